#!/bin/bash
# make bench: parent_boot_ratio = time from QEMU start to the parent's
# shell when booting through the hypervisor, divided by the same ESP
# booted natively (cfg `hypervisor = off`), measured in one run.  Boots
# alternate (hv, native, hv, native) and each side keeps its fastest boot,
# which filters out the noise of a shared machine.
set -u
. "$(dirname "$0")/../tests/system/lib.sh"
test_init bench-parent-boot >/dev/null

mkdir -p "$T_LOGS/native"
{ cat "$T_ROOT/configs/mkhv.cfg"; echo "hypervisor = off"; } > "$T_LOGS/native/mkhv.cfg"
"$T_ROOT/scripts/mkesp.sh" "$T_LOGS/native/esp.img" "$T_BUILD/hvloader.efi" \
	"$T_BUILD/kernel/vmlinuz" "$T_BUILD/parent/initrd.img" \
	"$T_LOGS/native/mkhv.cfg" "$T_BUILD/hv.elf=hv.elf"
cp "$T_BUILD/esp.img" "$T_LOGS/hv.img"

time_boot() {   # name esp -> prints milliseconds to the shell prompt
	local t0 t1
	t0=$(date +%s%N)
	qemu_start -n "$1" "$2" >/dev/null
	if ! wait_for -n "$1" 180 "mkhv-parent# " >/dev/null; then
		qemu_stop -n "$1"
		echo 0
		return
	fi
	t1=$(date +%s%N)
	qemu_stop -n "$1"
	echo $(( (t1 - t0) / 1000000 ))
}

best_hv=0 best_native=0
for round in 1 2; do
	h=$(time_boot "hv$round" "$T_LOGS/hv.img")
	n=$(time_boot "native$round" "$T_LOGS/native/esp.img")
	[ "$h" -gt 0 ] && { [ "$best_hv" -eq 0 ] || [ "$h" -lt "$best_hv" ]; } && best_hv=$h
	[ "$n" -gt 0 ] && { [ "$best_native" -eq 0 ] || [ "$n" -lt "$best_native" ]; } && best_native=$n
	echo "# round $round: hv ${h} ms, native ${n} ms" >&2
done
trap - EXIT
if [ "$best_hv" -eq 0 ] || [ "$best_native" -eq 0 ]; then
	echo "parent_boot_ratio: failed (a boot did not reach the shell; logs in ${T_LOGS#$T_ROOT/})"
	exit 1
fi
awk -v h="$best_hv" -v n="$best_native" \
	'BEGIN { printf "parent_boot_ratio: %.3f\nparent_boot_hv_ms: %d\nparent_boot_native_ms: %d\n", h / n, h, n }'
