#!/bin/bash
# vmbus-hostile: a child that attacks the parent's VMBus server with
# guest-drivers/tests/mkhv_hostile.ko (malformed channel messages, GPADLs
# for pages it does not own and with lying counts, a 10000-message flood,
# corrupt ring indices of an open channel) while another child runs.  The
# hv must refuse what is malformed at its level, the hostile child's worker
# must log what it drops (rate-limited) and close and rescind the channel
# whose ring was corrupted; the parent (hvd, virsh) and the other child
# (its heartbeat and console) go on, and so do the hostile child's other
# integration services.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/parent_shell.sh"
test_init vmbus-hostile

esp="$T_LOGS/esp.img"
cp "$T_BUILD/esp.img" "$esp"
MKHV_QEMU_SMP=3 qemu_start -s 2 "$esp"
check "parent reaches its shell" wait_for 300 "mkhv-parent# "
serial_send "dmesg -n 1"

run start "virsh define /etc/mkhv/examples/demo-child.xml && virsh start demo" 120
check "the good child runs" until_console g1 "mkhv-child: init done" 240 demo

run start2 "sed -e '/<disk /,/<\/disk>/d' -e 's| mkhv.boots=sda||' -e 's|<name>demo</name>|<name>hostile</name>|' -e 's|mkhv.name=demo|mkhv.name=hostile mkhv.hostile=msgs,gpadl,flood,ring|' -e 's|<on_crash>destroy</on_crash>|<on_crash>preserve</on_crash>|' /etc/mkhv/examples/demo-child.xml > /tmp/hostile.xml && virsh define /tmp/hostile.xml && virsh start hostile" 120
check "virsh start hostile" rc_is start2 0
check "the hostile child ran its attacks" \
	until_console h1 "mkhv-child: hostile done" 400 hostile
grep "mkhv-child: hostile" "$T_LOGS/h1.txt" | tr -d '\r' | sed 's/^/   /'

# What the hv itself refuses.
check "hv: a 241-byte HvPostMessage is INVALID_PARAMETER" \
	out_has h1 "241-byte post (hv limit 240): status 0x5"
check "hv: an unknown connection id is refused" \
	eval 'grep "connection id 0x7777: status" "$T_LOGS/h1.txt" | grep -qv "status 0x0"'
check "the flood was sent" out_has h1 "flood of 10000:"

# What the worker drops, logged and rate-limited.
run wlog "cat /var/log/mkhv/hostile.log" 60
tr -d '\r' < "$T_LOGS/wlog.txt" | grep -c . | sed 's/^/   hostile worker log lines: /'
check "worker logged malformed messages" \
	eval 'out_has wlog "refused" && out_has wlog "dropped"'
check "worker logged GPADL pages outside the child's RAM" out_has wlog "is not guest RAM"
check "worker log rate-limited (lines suppressed)" out_has wlog "log lines suppressed"
check "worker log bounded (< 400 lines)" \
	eval '[ "$(grep -c . "$T_LOGS/wlog.txt")" -lt 400 ]'
check "the corrupted channel was closed and rescinded" \
	out_has wlog "channel closed and rescinded"
check "the child saw the rescind" out_has h1 "removed (rescinded 1)"

# Everything else goes on.
run list "virsh list" 60
check "parent and hvd alive: both children running" \
	eval 'rc_is list 0 && grep -q " demo .*running" "$T_LOGS/list.txt" && grep -q " hostile .*running" "$T_LOGS/list.txt"'
check "the good child's heartbeat advances" heartbeat_advances hb2 demo
echo "   good child heartbeat every 3 s: $(tr '\n' ' ' < "$T_LOGS/hb2.seqs")"
run type 'p=$(sed -n "s/.*domain .demo.: running .*console \(\/dev\/pts\/[0-9]*\).*/\1/p" /var/log/hvd.log | tail -n 1); echo "echo still-here-\$((6*7))" > $p' 30
check "the good child's console answers" \
	until_console g2 "still-here-42" 30 demo
check "the hostile child's other services go on (heartbeat)" \
	heartbeat_advances hb3 hostile
echo "   hostile child heartbeat every 3 s: $(tr '\n' ' ' < "$T_LOGS/hb3.seqs")"

run destroy "virsh destroy hostile && virsh destroy demo" 60
check "both destroyed" rc_is destroy 0
test_finish
