#!/bin/bash
# make bench: the VMBus message path against the bare exit, in one run.
#
#   vmbus_msg_roundtrip_us   a child's HvPostMessage of the worker's echo
#                            message (VMBUS_MSG_ECHO) until the answer lands
#                            in its SINT2 SIMP slot: hv -> parent (mkhv.ko
#                            wakes the worker) -> worker -> hv -> child;
#                            mean over 10,000
#   vmbus_msg_post_us        the child's HvPostMessage hypercall alone (the
#                            hv queues the message for the parent and
#                            returns), within the round trip above
#   hypercall_roundtrip_us   a null hypercall from the same child
#                            (HvCallNotifyLongSpinWait), mean over 10,000
#   vmbus_msg_vs_hypercall   their ratio
#
# The child is the demo image with mkhv.bench=10000: its init runs
# guest-drivers/tests/mkhv_hostile.ko bench=10000 (interrupts off while it
# measures; the module takes the answers from the slot itself).
. "$(dirname "$0")/bench_lib.sh" bench-vmbus-msg vmbus_msg_roundtrip_us

bench_boot_parent
run start "sed -e '/<disk /,/<\/disk>/d' -e 's| mkhv.boots=sda||' -e 's|<name>demo</name>|<name>bench</name>|' -e 's|mkhv.name=demo|mkhv.name=bench mkhv.bench=10000|' /etc/mkhv/examples/demo-child.xml > /tmp/bench.xml && virsh define /tmp/bench.xml && virsh start bench" 120 >/dev/null
until_console c1 "mkhv-child: hostile done" 400 bench >/dev/null ||
	fail "the child did not finish the bench"
run destroy "virsh destroy bench" 60 >/dev/null
qemu_stop
trap - EXIT
line=$(tr -d '\r' < "$T_LOGS/c1.txt" | grep "mkhv-child: hostile bench n=" | tail -n 1)
[ -n "$line" ] || fail "no bench line: $(tr -d '\r' < "$T_LOGS/c1.txt" | grep 'mkhv-child: hostile' | tail -n 1)"
echo "$line" | awk '{
	for (i = 1; i <= NF; i++) {
		split($i, kv, "=")
		v[kv[1]] = kv[2]
	}
	printf "vmbus_msg_roundtrip_us: %.2f\nvmbus_msg_post_us: %.2f\nhypercall_roundtrip_us: %.2f\n",
	       v["vmbus_msg_roundtrip_ns"] / 1000, v["post_ns"] / 1000, v["hypercall_ns"] / 1000
	if (v["hypercall_ns"] > 0)
		printf "vmbus_msg_vs_hypercall: %.1f\n", v["vmbus_msg_roundtrip_ns"] / v["hypercall_ns"]
}'
