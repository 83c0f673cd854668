#!/bin/bash
# child-worker: mkhv.ko's VM API driven by hvworker in the parent, through
# the real hypercalls.  Boots build/esp.img (hv -> parent), starts two
# workers for /usr/share/mkhv/tinyguest.bzImage (a 1.6 KiB bzImage that
# prints a line on its UART and writes S5), and checks on the hv's COM2
# log and in the parent that each worker created its partition, mapped
# its RAM, created its VP and set its boot registers, and that killing a
# worker (kill -9) deletes exactly its partition and gives every page
# back, while the other VM stays.  It also boots tinyguest_mb.elf, a
# Multiboot v1 kernel, with a module and a command line.  The guests run
# on the hv's child pool: their console lines and ACPI S5 come back
# through the worker.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/parent_shell.sh"
. "$(dirname "$0")/child_lib.sh"
test_init child-worker


esp="$T_LOGS/esp.img"
cp "$T_BUILD/esp.img" "$esp"
qemu_start -s 2 "$esp"
check "parent reaches its shell" wait_for 300 "mkhv-parent# "
check "init loaded mkhv.ko" log_has "mkhv-parent: mkhv.ko loaded"
com2=$(log_path -p com2)

# mkhv.ko's VM ioctls one by one, hostile arguments included.
run vmtest '/usr/lib/mkhv/mkhv-vmtest' 120
sed 's/^/#   | /' "$T_LOGS/vmtest.txt"
check "mkhv-vmtest: every VM ioctl check passed" \
	eval 'rc_is vmtest 0 && out_has vmtest "vmtest: " && out_has vmtest " 0 failed"'
# 1024 pages of RAM, plus the rollback test's fresh page when it ran.
check "hv: mkhv-vmtest's partition deleted when its fd closed, pages back" \
	eval 'wait_for -p com2 30 "partition 1 deleted: " &&
	      grep -qE "^partition 1 deleted: 102[45] pages back to the parent" "$com2"'

# Its hostile calls made the hv refuse some hypercalls (logged, rate
# limited); the workers below must not add any.
run fails0 'dmesg | grep -c "hypercall .* failed"'


# 1. A guest that prints and powers off: the whole run loop, end to end
#    (hv pool scheduler, port I/O intercepts to the worker, RIP/RAX back
#    through SetVpRegisters, ResumeVp), then its pages return.
worker vm1
check "worker 1: state running" \
	eval 'run w1 "sleep 3; cat /tmp/vm1.out" && out_has w1 "hvworker: state running"'
check "worker 1: partition 1" out_has w1 "hvworker: partition 1"
check "hv: partition 1 created (1 VP, default weight)" \
	wait_for -p com2 30 "partition 1 created (1 VPs, weight 1024)"
check "parent kernel log: mkhv created partition 1 for the worker" \
	eval 'run dm1 "dmesg | grep \"mkhv: partition 1 created\"" && rc_is dm1 0'
run e2e "sleep 5; cat /tmp/vm1.out; cat /tmp/vm1.console"
check "guest console line through the emulated UART" \
	out_has e2e "tinyguest: hello from a child partition"
check "worker 1 reports ACPI S5 and shutdown" \
	eval 'out_has e2e "hvworker: detail ACPI S5" && out_has e2e "hvworker: state shutdown"'
check "hv: partition 1 deleted, all $pages pages back" \
	wait_for -p com2 30 "partition 1 deleted: $pages pages back to the parent"

# 1b. A Multiboot v1 kernel (tinyguest_mb.elf, 32-bit protected-mode
#     entry): its command line and its module (the --initrd file) arrive,
#     it prints them and powers off.
mbdel=$(deleted 1)
run start-mb "printf 'MODULE-CONTENTS-0123456789' > /tmp/mb.mod; hvworker --name vmmb --memory 32 --vcpus 1 --kernel /usr/share/mkhv/tinyguest_mb.elf --initrd /tmp/mb.mod --cmdline 'mb-cmdline-42 x=y' --console-log /tmp/vmmb.console > /tmp/vmmb.out 2>&1; echo worker-rc=\$?" 60
run mb "cat /tmp/vmmb.out /tmp/vmmb.console"
check "multiboot guest: command line and module arrived" \
	out_has mb "tinyguest-mb: hello, cmdline=mb-cmdline-42 x=y mods=1 mod0=MODULE-CONTENTS-"
check "multiboot worker reports ACPI S5 and shutdown (exit 0)" \
	eval 'out_has mb "hvworker: detail ACPI S5" && out_has mb "hvworker: state shutdown" &&
	      out_has start-mb "worker-rc=0"'
wait_for -p com2 20 "partition 1 deleted" >/dev/null
check "hv: the multiboot guest's partition deleted, all $pages pages back" \
	eval '[ "$(deleted 1)" = $((mbdel + 1)) ]'

# 2. Two guests that stay busy share the pool; a killed worker takes its
#    VM down, and only its VM.
d1=$(deleted 1) d2=$(deleted 2)
worker vm2 "spin console=ttyS0"
worker vm3 "spin console=ttyS0"
run w23 "sleep 5; cat /tmp/vm2.out /tmp/vm2.console /tmp/vm3.out /tmp/vm3.console"
check "two busy guests run side by side (both printed)" \
	eval '[ "$(grep -c "tinyguest: hello" "$T_LOGS/w23.txt")" = 2 ]'
check "worker 2 on partition 1, worker 3 on partition 2" \
	eval 'run p2 "cat /tmp/vm2.out" && out_has p2 "hvworker: partition 1" &&
	      run p3 "cat /tmp/vm3.out" && out_has p3 "hvworker: partition 2"'
run kill2 'kill -9 $(cat /tmp/vm2.pid); sleep 3'
wait_for -p com2 20 "partition 1 deleted" >/dev/null
check "kill -9 of worker 2: hv deleted partition 1, all $pages pages back" \
	eval '[ "$(deleted 1)" = $((d1 + 1)) ]'
check "partition 2 untouched" eval '[ "$(deleted 2)" = "$d2" ]'
run alive3 'kill -0 $(cat /tmp/vm3.pid)'
check "worker 3 still alive" rc_is alive3 0
run kill3 'kill $(cat /tmp/vm3.pid); sleep 3'
wait_for -p com2 20 "partition 2 deleted" >/dev/null
check "SIGTERM of worker 3: partition 2 deleted, all $pages pages back" \
	eval '[ "$(deleted 2)" = $((d2 + 1)) ]'
# 3. Vector state isolation (child_vec.sh).
vector_isolation 15 3

check "no hypercall of the workers failed" \
	eval 'run fails1 "dmesg | grep -c \"hypercall .* failed\""; cmp -s "$T_LOGS/fails0.txt" "$T_LOGS/fails1.txt"'

test_finish
