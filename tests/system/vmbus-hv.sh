#!/bin/bash
# vmbus-hv: the hv's SynIC messaging for children (issue 8, hv part)
# through mkhv.ko's VM-fd ioctls, in the parent against the real hv:
# ports/connections, the pull with its armed notification, the VP inbox
# and its bound, coalesced events, hostile arguments
# (/usr/lib/mkhv/mkhv-vmbustest).  Then the hv must have deleted both
# partitions with their ports, logged no panic, and the parent must still
# answer.  No child runs here: the VMBus server end to end is vmbus.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/parent_shell.sh"
test_init vmbus-hv

esp="$T_LOGS/esp.img"
cp "$T_BUILD/esp.img" "$esp"
qemu_start -s 2 "$esp"
check "parent reaches its shell" wait_for 300 "mkhv-parent# "
check "init loaded mkhv.ko" log_has "mkhv-parent: mkhv.ko loaded"
com2=$(log_path -p com2)

run vmbustest '/usr/lib/mkhv/mkhv-vmbustest' 120
sed 's/^/#   | /' "$T_LOGS/vmbustest.txt"
check "mkhv-vmbustest: every SynIC transport check passed" \
	eval 'rc_is vmbustest 0 && out_has vmbustest "vmbustest: " && out_has vmbustest " 0 failed"'
check "hv: both partitions deleted when their fds closed" \
	eval 'wait_for -p com2 30 "partition 2 deleted: " &&
	      grep -q "^partition 1 deleted: " "$com2"'
check "hv: no panic or assertion" eval '! grep -qE "hv panic|assertion" "$com2"'
run alive 'echo parent-alive'
check "the parent still answers" out_has alive "parent-alive"

test_finish
