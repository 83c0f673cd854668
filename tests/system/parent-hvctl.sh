#!/bin/bash
# parent-hvctl: mkhv.ko and hvctl in the parent partition, through the real
# hypercall path.  Boots build/esp.img (hv -> parent Linux) and checks that
# the parent's init loaded mkhv.ko, that `hvctl version`, `hvctl hv-info`
# and `hvctl hv-log` agree with what the hv itself printed on COM2, that an
# isolation probe over hv memory reads only all-ones and leaves a trace in
# the hv log, and that hostile probe arguments are refused.  Then boots
# the same ESP natively (`hypervisor = off`), where mkhv.ko must refuse to
# load with a clear message without stopping the boot.
. "$(dirname "$0")/lib.sh"
test_init parent-hvctl

hvcall_h="$T_ROOT/include/mkhv/hvcall.h"
ver_part() { sed -n "s/^#define MKHV_VERSION_$1[[:space:]]*\([0-9]*\).*/\1/p" "$hvcall_h"; }
hv_version="$(ver_part MAJOR).$(ver_part MINOR).$(ver_part PATCH)"
build_version=$(cat "$T_BUILD/version")

# run NAME CMD [TIMEOUT]: runs CMD in the parent shell on COM1; its output
# lands in $T_LOGS/NAME.txt and its exit status in $T_LOGS/NAME.rc.  The
# start/end markers are computed by the shell ($((...))), so the echoed
# command line (which the console may wrap) never matches them.
RUN_N=0
run() {
	local name=$1 cmd=$2 timeout=${3:-60} inst=${RUN_INST:-main} id log
	RUN_N=$((RUN_N + 1))
	id=$((1000 + RUN_N))
	serial_send -n "$inst" "echo @@S-\$((1000+$RUN_N)); $cmd; echo @@E-\$((1000+$RUN_N))-rc=\$?"
	wait_for -n "$inst" "$timeout" "@@E-$id-rc=" || return 1
	log=$(log_path -n "$inst")
	awk -v s="@@S-$id" -v e="@@E-$id-rc=" \
		'$0 == s { p = 1; next } index($0, e) == 1 { p = 0 } p' \
		"$log" > "$T_LOGS/$name.txt"
	sed -n "s/^@@E-$id-rc=\([0-9]*\).*/\1/p" "$log" | tail -n 1 \
		> "$T_LOGS/$name.rc"
}
out_has() { grep -qF -- "$2" "$T_LOGS/$1.txt"; }
out_line() { grep -qxF -- "$2" "$T_LOGS/$1.txt"; }
rc_is() { [ "$(cat "$T_LOGS/$1.rc" 2>/dev/null)" = "$2" ]; }

# --- under the hypervisor ------------------------------------------------
esp="$T_LOGS/esp.img"
cp "$T_BUILD/esp.img" "$esp"
qemu_start -s 2 "$esp"
check "hv reports its CPUs on COM2" \
	wait_for -p com2 240 " CPUs online: cpu0 runs the parent"
check "parent reaches its shell" wait_for 300 "mkhv-parent# "
check "init loaded mkhv.ko" log_has "mkhv-parent: mkhv.ko loaded"

com2=$(log_path -p com2)
hv_build=$(sed -n 's/^mkhv hypervisor \([^ ]*\) (loader .*/\1/p' "$com2" | head -n 1)
banner=$(grep -m 1 '^mkhv hypervisor ' "$com2")
# "hv memory 77e00000-7bdfffff (64 MiB), TSC ..."
hv_mem=$(sed -n 's/^hv memory \([0-9a-f]*\)-\([0-9a-f]*\) (\([0-9]* MiB\)).*/0x\1-0x\2 (\3)/p' "$com2" | head -n 1)
hv_mem_base=$(sed -n 's/^hv memory \([0-9a-f]*\)-.*/\1/p' "$com2" | head -n 1)
hv_mib=$(sed -n 's/^hv memory .* (\([0-9]*\) MiB).*/\1/p' "$com2" | head -n 1)
# "2 CPUs online: cpu0 runs the parent, 1 in the child pool"
ncpus=$(sed -n 's/^\([0-9]*\) CPUs online: .*/\1/p' "$com2" | head -n 1)
npool=$(sed -n 's/^[0-9]* CPUs online: .*, \([0-9]*\) in the child pool/\1/p' "$com2" | head -n 1)
echo "#   hv: build '$hv_build', memory '$hv_mem', $ncpus CPUs, $npool in the pool"
check "hv banner carries this build's version ($build_version)" \
	test "$hv_build" = "$build_version"

run devnode 'ls -l /dev/mkhv'
check "/dev/mkhv is a root-only (0600) character device" \
	eval 'out_has devnode "crw-------" && rc_is devnode 0'

run version 'hvctl version'
check "hvctl version: exit status 0" rc_is version 0
check "hvctl version: tool version line" \
	out_line version "hvctl (mkhv) $build_version, hypercall ABI 1"
check "hvctl version: 'Running hypervisor: mkhv $hv_version'" \
	out_line version "Running hypervisor: mkhv $hv_version"
check "hvctl version: the hv's build id from the hypercall ($hv_build)" \
	out_line version "Hypervisor build: $hv_build, hypercall ABI 1"

run info 'hvctl hv-info'
if [ "$npool" -gt 1 ]; then pool_list="1-$npool"; else pool_list=1; fi
[ "$npool" -eq 0 ] && pool_list=none
check "hvctl hv-info: exit status 0" rc_is info 0
check "hvctl hv-info: pCPU count matches the hv ($ncpus)" \
	out_line info "pCPUs:            $ncpus"
check "hvctl hv-info: the parent's vCPU on pCPU 0" \
	out_line info "parent vCPUs:     1 (on pCPUs 0)"
check "hvctl hv-info: child pool matches the hv ($npool: $pool_list)" \
	out_line info "child pool pCPUs: $npool ($pool_list)"
check "hvctl hv-info: hv memory matches the hv ($hv_mem)" \
	out_line info "hv memory:        $hv_mem"
check "hvctl hv-info: free hv memory reported" \
	grep -qE '^free hv memory:   [0-9]+ (bytes|KiB|MiB)$' "$T_LOGS/info.txt"
check "hvctl hv-info: figures consistent (no warning)" \
	eval '! out_has info "inconsistent"'

run hvlog 'hvctl hv-log'
check "hvctl hv-log: exit status 0" rc_is hvlog 0
check "hvctl hv-log: the hv banner line" out_line hvlog "$banner"
check "hvctl hv-log: the CPU line" \
	out_line hvlog "$ncpus CPUs online: cpu0 runs the parent, $npool in the child pool"

# --- isolation probe over hv memory -------------------------------------
pages=$((hv_mib * 256))
# A follower started before the probe must see its trace arrive.
run follow_start 'hvctl hv-log --follow > /tmp/follow.log 2>&1 & sleep 2'
run probe 'hvctl probe-phys' 300
check "probe of hv memory: exit status 0" rc_is probe 0
check "probe of hv memory: all $pages pages read as all-ones" \
	out_line probe "probe ${hv_mem%% (*}: $pages pages read, $pages all-ones, 0 unmapped, first value 0xffffffffffffffff"
check "hv log on COM2 records the attempt" \
	wait_for -p com2 30 "isolation: parent read of hv memory at GPA $hv_mem_base "
run hvlog2 'hvctl hv-log | grep -c "isolation: parent read of hv memory"'
check "hvctl hv-log records the attempt" \
	eval '[ "$(cat "$T_LOGS/hvlog2.txt")" -ge 1 ]'

run follow 'sleep 2; kill $!; grep -c "isolation: parent read of hv memory" /tmp/follow.log; grep -c "^mkhv hypervisor " /tmp/follow.log'
check "hvctl hv-log --follow: printed the log, then the new isolation lines" \
	eval '[ "$(sed -n 1p "$T_LOGS/follow.txt")" -ge 1 ] &&
	      [ "$(sed -n 2p "$T_LOGS/follow.txt")" = 1 ]'

# The probe can tell: parent RAM (1 MiB at 1 MiB) is not all-ones.
run probe_ram 'hvctl probe-phys 0x100000 1M'
check "probe of parent RAM: read, and not all-ones" \
	eval 'rc_is probe_ram 0 && grep -qE "^probe 0x100000-0x1fffff: 256 pages read, ([0-9]|[0-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5]) all-ones" "$T_LOGS/probe_ram.txt"'

# Hostile arguments: unaligned, empty, wrapping, too large.
run bad1 "hvctl probe-phys $(printf 0x%x $((0x$hv_mem_base + 1))) 4096"
run bad2 'hvctl probe-phys 0x100000 0'
run bad3 'hvctl probe-phys 0xfffffffffffff000 0x2000'
run bad4 'hvctl probe-phys 0 0x40001000'
check "probe refuses an unaligned base" \
	eval 'rc_is bad1 1 && out_has bad1 "Invalid argument"'
check "probe refuses an empty range" \
	eval 'rc_is bad2 1 && out_has bad2 "Invalid argument"'
check "probe refuses a wrapping range" \
	eval 'rc_is bad3 1 && out_has bad3 "Invalid argument"'
check "probe refuses more than 1 GiB" \
	eval 'rc_is bad4 1 && out_has bad4 "Invalid argument"'

run nodev 'hvctl -d /dev/nonexistent version'
check "hvctl without the device: clear error, exit 1" \
	eval 'rc_is nodev 1 && out_has nodev "mkhv.ko not loaded or not running on mkhv"'
check "the parent is still alive" eval 'run alive "echo ALIVE-\$((6*7))" && out_line alive ALIVE-42'
qemu_stop

# --- native boot: mkhv.ko refuses to load --------------------------------
ndir="$T_LOGS/native"
mkdir -p "$ndir"
{ cat "$T_ROOT/configs/mkhv.cfg"; echo "hypervisor = off"; } > "$ndir/mkhv.cfg"
"$T_ROOT/scripts/mkesp.sh" "$ndir/esp.img" "$T_BUILD/hvloader.efi" \
	"$T_BUILD/kernel/vmlinuz" "$T_BUILD/parent/initrd.img" \
	"$ndir/mkhv.cfg" "$T_BUILD/hv.elf=hv.elf" > "$ndir/mkesp.log" 2>&1
qemu_start -n native "$ndir/esp.img"
RUN_INST=native
check "native: parent reaches its shell" wait_for -n native 300 "mkhv-parent# "
check "native: mkhv.ko refused with the clear message, boot went on" \
	log_has -n native "mkhv-parent: mkhv.ko not loaded: mkhv: not running on the mkhv hypervisor"
run native_dmesg 'dmesg | grep "mkhv: not running"; ls /dev/mkhv'
check "native: kernel log has the refusal, no /dev/mkhv" \
	eval 'out_has native_dmesg "mkhv: not running on the mkhv hypervisor" &&
	      out_has native_dmesg "/dev/mkhv: No such file or directory"'
run native_version 'hvctl version'
check "native: hvctl version says mkhv.ko is not loaded" \
	eval 'rc_is native_version 1 &&
	      out_has native_version "mkhv.ko not loaded or not running on mkhv"'
qemu_stop -n native

test_finish
