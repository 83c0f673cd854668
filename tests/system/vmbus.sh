#!/bin/bash
# vmbus: a stock Debian child finds mkhv's VMBus with its inbox hv_vmbus and
# hv_utils, and the admin's virsh drives it through the integration
# services.  In the parent, stock virsh defines and starts the demo domain
# (hvd's mkhv backend, one hvworker with its VMBus server); the child's
# console (hvd's log of it) must list the four offered devices with their
# Hyper-V class GUIDs bound to hv_utils, at VMBus 5.3; `virsh shutdown`
# must power it off in an orderly way (the shutdown IC -> orderly_poweroff
# -> ACPI S5) within 30 s; `virsh reboot` must restart it (the shutdown IC
# with the reboot flag, <on_reboot>restart).  Through stock virsh as well:
# `virsh domstats` shows the heartbeat advancing (vmbus.heartbeat.seq),
# `virsh domifaddr --source agent` the child's address and `virsh
# guestinfo` its hostname and kernel (KVP), and a child whose clock was set
# to 2001 is corrected by the time synchronization service's SYNC sample
# (`virsh domtime --sync`) within 10 s.  The domain is the demo one with
# mkhv.addr= (an address on the child's dummy0) and mkhv.clocktest
# (guest-drivers/initramfs/vmbus-tests).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/parent_shell.sh"
test_init vmbus

esp="$T_LOGS/esp.img"
cp "$T_BUILD/esp.img" "$esp"
MKHV_QEMU_SMP=3 qemu_start -s 2 "$esp"
check "parent reaches its shell" wait_for 300 "mkhv-parent# "
serial_send "dmesg -n 1"

state() {
	run state "virsh domstate demo --reason"
}

run start "sed 's|mkhv.name=demo|mkhv.name=demo mkhv.addr=192.0.2.10/24 mkhv.clocktest|' /etc/mkhv/examples/demo-child.xml > /tmp/demo.xml && virsh define /tmp/demo.xml && virsh start demo" 120
check "virsh start demo" eval 'rc_is start 0 && out_has start "Domain '"'"'demo'"'"' started"'
check "the child connected to VMBus 5.3" \
	until_console c1 "mkhv-child: vmbus version 5.3" 180 demo
until_console c1 "mkhv-child: vmbus device" 30 demo
until_console c1 "mkhv-child: init done" 60 demo
for dev in "0e0b6031-5213-4934-818b-38d90ced39db shutdown" \
	   "9527e630-d0ae-497b-adce-e80ab0175caf timesync" \
	   "57164f39-9115-4e78-ab55-382f3bd5422d heartbeat" \
	   "a9a0f4e7-5a45-4d96-b827-8a841e8c03e6 KVP"; do
	check "${dev#* } offered, bound to hv_utils" \
		eval 'grep -q "mkhv-child: vmbus device {${dev%% *}} {.*} hv_utils" "$T_LOGS/c1.txt"'
done
check "hv_kvp_daemon runs in the child" out_has c1 "mkhv-child: kvp daemon started"

# The heartbeat through stock virsh: vmbus.* typed parameters of domstats.
# Sampled every 3 s for up to 30 s: it must advance by 2 (a second each).
check "virsh domstats: heartbeat advancing" heartbeat_advances hb demo
echo "heartbeat seq sampled every 3 s: $(tr '\n' ' ' < "$T_LOGS/hb.seqs")"
check "virsh domstats: heartbeat alive" out_has hb "vmbus.heartbeat.state=alive"

# KVP through stock virsh (the worker's first round waits for the daemon).
check "virsh domifaddr --source agent shows the child's address" \
	eval 'for i in $(seq 1 20); do run ifaddr "virsh domifaddr demo --source agent"; out_has ifaddr "192.0.2.10/0" && break; sleep 3; done; out_has ifaddr "192.0.2.10/0"'
run ginfo "virsh guestinfo demo"
check "virsh guestinfo: hostname and kernel from KVP" \
	eval 'grep -q "^hostname *: demo" "$T_LOGS/ginfo.txt" && grep -q "^os.kernel-release *: 6\.1\." "$T_LOGS/ginfo.txt"'

# Timesync: the child set its clock to 2001; a SYNC sample corrects it.
until_console c1t "mkhv-child: clock set to 2001" 30 demo >/dev/null
run tsync "date +%s; virsh domtime demo --sync; date +%s" 60
t0=$(sed -n 's/^\([0-9]\{9,\}\)\r*$/\1/p' "$T_LOGS/tsync.txt" | head -n 1)
check "virsh domtime --sync accepted" rc_is tsync 0
check "the child's clock corrected (2001 -> now)" \
	until_console c1u "mkhv-child: clock corrected to" 30 demo
t1=$(sed -n 's/.*mkhv-child: clock corrected to \([0-9]*\).*/\1/p' "$T_LOGS/c1u.txt" | head -n 1)
echo "timesync: domtime --sync at $t0, child's clock corrected to $t1 ($((${t1:-0} - ${t0:-0})) s later)"
check "corrected to the host's time within 10 s" \
	eval '[ -n "$t0" ] && [ -n "$t1" ] && [ "$t1" -ge $((t0 - 1)) ] && [ "$t1" -le $((t0 + 10)) ]'

# virsh shutdown: the shutdown IC asks, the child powers off itself.
run shut "virsh shutdown demo" 60
check "virsh shutdown demo accepted" \
	eval 'rc_is shut 0 && out_has shut "is being shutdown"'
check "the child shut down in an orderly way" \
	until_console c2 "mkhv-child: orderly poweroff" 30 demo
check "within 30 s it is shut off (shutdown)" \
	eval 'for i in $(seq 1 15); do state; out_has state "shut off (shutdown)" && break; sleep 2; done; out_has state "shut off (shutdown)"'

# virsh reboot: the same service with the reboot flag; on_reboot restarts.
run start2 "virsh start demo" 120
until_console c3 "mkhv-child: vmbus device" 180 demo >/dev/null
until_console c3 "mkhv-child: init done" 60 demo >/dev/null
run reboot "virsh reboot demo" 60
check "virsh reboot demo accepted" \
	eval 'rc_is reboot 0 && out_has reboot "is being rebooted"'
check "the child rebooted in an orderly way" \
	until_console c4 "mkhv-child: orderly reboot" 30 demo
check "it came back (init reached again, running)" \
	eval 'for i in $(seq 1 40); do console c5 demo; [ "$(grep -c "init reached (demo)" "$T_LOGS/c5.txt")" -ge 2 ] && break; sleep 3; done; state; out_has state "running"'
run destroy "virsh destroy demo"
check "virsh destroy demo" rc_is destroy 0
test_finish
