#!/bin/bash
# child-virsh: a stock Debian kernel in a child partition, managed with
# stock virsh through hvd's mkhv backend.  One boot of build/esp.img in
# QEMU (3 CPUs: the parent's and a pool of 2); in the parent's shell:
# virsh define/start the shipped demo domain, its console log shows the
# child's init and "Hypervisor detected: Microsoft Hyper-V", virsh list
# and dominfo show it running with CPU time grown over its boot, `virsh console`
# reaches the child's shell (Ctrl-] returns to the parent), kill -9 of
# its worker makes it crashed (on_crash destroy: shut off), it starts
# again, and virsh destroy deletes its partition (every page back, on the
# hv's COM2 log).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/parent_shell.sh"
test_init child-virsh

export MKHV_QEMU_SMP=3
pages=$((256 * 256))	# <memory unit='MiB'>256</memory>
con=/var/log/mkhv/demo.console

esp="$T_LOGS/esp.img"
cp "$T_BUILD/esp.img" "$esp"
qemu_start -s 2 "$esp"
check "hvd started with the mkhv backend" wait_for 300 "backend mkhv), log in"
check "parent shell" wait_for 120 "mkhv-parent# "
com2=$(log_path -p com2)

# Wait (in the parent) until the console log has COUNT lines matching PATTERN.
await_console() {	# NAME COUNT PATTERN TIMEOUT
	run "$1" "i=0; while [ \$(cat $con 2>/dev/null | grep -c '$3') -lt $2 ] && [ \$i -lt $4 ]; do sleep 1; i=\$((i+1)); done; read up _ < /proc/uptime; echo T=\$up; cat $con | grep -c '$3'" $(($4 + 30))
}
uptime_of() { sed -n 's/^T=//p' "$T_LOGS/$1.txt" | tail -n 1; }

run define 'virsh define /etc/mkhv/examples/demo-child.xml'
check "virsh define demo-child.xml" \
	eval 'rc_is define 0 && out_has define "Domain '"'demo'"' defined"'

run start 'read up _ < /proc/uptime; echo T=$up; virsh start demo; read up _ < /proc/uptime; echo S=$up' 120
check "virsh start demo" \
	eval 'rc_is start 0 && out_has start "Domain '"'demo'"' started"'
run info0 'virsh dominfo demo'	# CPU time while it boots
await_console boot1 1 "mkhv-child: init reached" 150
check "child console log: mkhv-child: init reached" \
	eval '[ "$(tail -n 1 "$T_LOGS/boot1.txt")" -ge 1 ]'
boot_s=$(awk -v a="$(uptime_of start)" -v b="$(uptime_of boot1)" 'BEGIN { printf "%.1f", b - a }')
start_s=$(awk -v a="$(uptime_of start)" -v b="$(sed -n 's/^S=//p' "$T_LOGS/start.txt")" 'BEGIN { printf "%.1f", b - a }')
echo "#   virsh start returned after ${start_s} s (worker: state running)"
echo "#   child boot (virsh start -> init reached, seen by polling the log): ${boot_s} s"
await_console hv 1 "mkhv-child: Hypervisor detected: Microsoft Hyper-V" 30
check "child dmesg: Hypervisor detected: Microsoft Hyper-V" \
	eval '[ "$(tail -n 1 "$T_LOGS/hv.txt")" -ge 1 ]'

run list 'virsh list'
check "virsh list: demo running with an id" \
	eval 'grep -Eq "^ *[0-9]+ +demo +running" "$T_LOGS/list.txt"'

run info1 'virsh dominfo demo'
cpu0=$(sed -n 's/^CPU time: *\([0-9.]*\)s/\1/p' "$T_LOGS/info0.txt")
cpu1=$(sed -n 's/^CPU time: *\([0-9.]*\)s/\1/p' "$T_LOGS/info1.txt")
echo "#   dominfo CPU time: ${cpu0:-?} s as it started, ${cpu1:-?} s after its boot"
check "virsh dominfo: running" out_has info1 "running"
# (An idle child costs next to nothing: the boot is what shows.)
check "virsh dominfo: CPU time > 0 and grown over the boot" \
	eval 'awk -v a="${cpu0:-0}" -v b="${cpu1:-0}" "BEGIN { exit !(b > 0 && b > a) }"'
[ "${cpu1:-0}" = 0.0 ] && run stats_err 'grep "CPU time" /var/log/hvd.log | tail -n 1' &&
	sed 's/^/#   hvd.log: /' "$T_LOGS/stats_err.txt"

# virsh console in the parent's own serial console (its controlling tty).
serial_send 'virsh console demo'
check "virsh console: connected" wait_for 30 "Escape character is ^]"
sleep 2
# The child's hostname is demo (mkhv.name=demo), the parent's mkhv-parent.
serial_send 'echo mkhv-console-$((6*7))-$(hostname)'
check "virsh console: the child's shell answers" wait_for 30 "mkhv-console-42-demo"
serial_send $'\x1d'
sleep 2
run back 'echo back-in-parent-$((2*21))'
check "Ctrl-] returns to the parent's shell" out_has back "back-in-parent-42"

# kill -9 of the worker: only its VM goes, hvd stays (on_crash destroy).
run part 'grep "domain '"'demo'"': running" /var/log/hvd.log | tail -n 1'
part=$(sed -n 's/.*partition \([0-9]*\),.*/\1/p' "$T_LOGS/part.txt" | tail -n 1)
run kill 'kill -9 $(pidof hvworker); sleep 2; virsh domstate --reason demo'
check "kill -9 of the worker: demo shut off (crashed)" out_has kill "shut off (crashed)"
check "hv: its partition $part deleted, all $pages pages back" \
	wait_for -p com2 30 "partition $part deleted: $pages pages back to the parent"
run alive 'virsh list --all'
check "hvd alive after the worker's crash" \
	eval 'rc_is alive 0 && grep -Eq "^ *- +demo +shut off" "$T_LOGS/alive.txt"'

run start2 'virsh start demo' 120
check "virsh start demo again" out_has start2 "Domain 'demo' started"
await_console boot2 2 "mkhv-child: init reached" 150
check "second boot reaches init" eval '[ "$(tail -n 1 "$T_LOGS/boot2.txt")" -ge 2 ]'
run part2 'grep "domain '"'demo'"': running" /var/log/hvd.log | tail -n 1'
part2=$(sed -n 's/.*partition \([0-9]*\),.*/\1/p' "$T_LOGS/part2.txt" | tail -n 1)

run destroy 'virsh destroy demo; virsh domstate --reason demo'
check "virsh destroy: shut off (destroyed)" \
	eval 'out_has destroy "Domain '"'demo'"' destroyed" && out_has destroy "shut off (destroyed)"'
check "hv: partition $part2 deleted, all $pages pages back" \
	wait_for -p com2 30 "partition $part2 deleted: $pages pages back to the parent"
run hvdlog 'grep "domain '"'demo'"'" /var/log/hvd.log'
sed 's/^/#   hvd.log: /' "$T_LOGS/hvdlog.txt"
check "hvd logged every state change" \
	eval 'out_has hvdlog "killed by signal 9: crashed" && out_has hvdlog "shut off (crashed)" &&
	      out_has hvdlog "destroyed"'

test_finish
