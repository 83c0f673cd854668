#!/bin/bash
# vmbus-hv: the hv's SynIC messaging for children (issue 8, hv part)
# through mkhv.ko's VM-fd ioctls, in the parent against the real hv
# (/usr/lib/mkhv/mkhv-vmbustest): ports/connections, the pull with its
# armed notification, the VP inbox and its bound, coalesced events,
# hostile arguments; then end to end with a real-mode child VP that makes
# HvPostMessage / HvSignalEvent itself (a RECEIVE asleep in another thread
# is woken through 0xF3; a flooding child gets INSUFFICIENT_BUFFERS) and
# gets POST_MESSAGE / SIGNAL_EVENT into its SIM / SIEF pages with the
# msg_pending/EOM handshake.  Then the hv must have deleted the
# partitions, logged no panic, and the parent must still answer.  The
# VMBus server itself (a stock child's hv_vmbus) is vmbus.sh's.
# With MKHV_VMX=1 (vmbus-hv-vmx.sh) the same checks run on Intel VMX under
# Bochs instead of QEMU's SVM.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/parent_shell.sh"

slow=1
if [ -n "${MKHV_VMX:-}" ]; then
	test_init vmbus-hv-vmx
	esp_src="$T_BUILD/esp.img"
	. "$(dirname "$0")/bochs_lib.sh"
	bochs_boot_parent
	slow=4
else
	test_init vmbus-hv
	esp="$T_LOGS/esp.img"
	cp "$T_BUILD/esp.img" "$esp"
	qemu_start -s 2 "$esp"
	check "parent reaches its shell" wait_for 300 "mkhv-parent# "
	check "init loaded mkhv.ko" log_has "mkhv-parent: mkhv.ko loaded"
fi
com2=$(log_path -p com2)

run vmbustest '/usr/lib/mkhv/mkhv-vmbustest' $((120 * slow))
sed 's/^/#   | /' "$T_LOGS/vmbustest.txt"
check "mkhv-vmbustest: every SynIC transport check passed" \
	eval 'rc_is vmbustest 0 && out_has vmbustest "vmbustest: " && out_has vmbustest " 0 failed"'
# Partitions 1 and 2, then the end-to-end one (slot 1 again, 16 pages).
check "hv: every partition deleted when its fd closed, pages back" \
	eval 'wait_for -p com2 $((30 * slow)) "partition 1 deleted: 16 pages back" &&
	      [ "$(grep -c "^partition [12] created" "$com2")" = \
	        "$(grep -c "^partition [12] deleted" "$com2")" ]'
check "hv: no panic or assertion" eval '! grep -qE "hv panic|assertion" "$com2"'
run alive 'echo parent-alive'
check "the parent still answers" out_has alive "parent-alive"

test_finish
