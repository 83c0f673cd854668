#!/bin/bash
# vmbus: a stock Debian child finds mkhv's VMBus with its inbox hv_vmbus and
# hv_utils, and the admin's virsh drives it through the integration
# services.  In the parent, stock virsh defines and starts the demo domain
# (hvd's mkhv backend, one hvworker with its VMBus server); the child's
# console (hvd's log of it) must list the four offered devices with their
# Hyper-V class GUIDs bound to hv_utils, at VMBus 5.3; `virsh shutdown`
# must power it off in an orderly way (the shutdown IC -> orderly_poweroff
# -> ACPI S5) within 30 s; `virsh reboot` must restart it (the shutdown IC
# with the reboot flag, <on_reboot>restart).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/parent_shell.sh"
test_init vmbus

esp="$T_LOGS/esp.img"
cp "$T_BUILD/esp.img" "$esp"
MKHV_QEMU_SMP=3 qemu_start -s 2 "$esp"
check "parent reaches its shell" wait_for 300 "mkhv-parent# "
serial_send "dmesg -n 1"

console() {	# the demo child's console log into $T_LOGS/$1.txt
	run "$1" "cat /var/log/mkhv/demo.console"
}
until_console() {	# NAME PATTERN TIMEOUT
	local i
	for i in $(seq 1 $(($3 / 3))); do
		console "$1"
		out_has "$1" "$2" && return 0
		sleep 2
	done
	return 1
}
state() {
	run state "virsh domstate demo --reason"
}

run start "virsh define /etc/mkhv/examples/demo-child.xml && virsh start demo" 120
check "virsh start demo" eval 'rc_is start 0 && out_has start "Domain '"'"'demo'"'"' started"'
check "the child connected to VMBus 5.3" \
	until_console c1 "mkhv-child: vmbus version 5.3" 180
until_console c1 "mkhv-child: vmbus device" 30
until_console c1 "mkhv-child: init done" 60
for dev in "0e0b6031-5213-4934-818b-38d90ced39db shutdown" \
	   "9527e630-d0ae-497b-adce-e80ab0175caf timesync" \
	   "57164f39-9115-4e78-ab55-382f3bd5422d heartbeat" \
	   "a9a0f4e7-5a45-4d96-b827-8a841e8c03e6 KVP"; do
	check "${dev#* } offered, bound to hv_utils" \
		eval 'grep -q "mkhv-child: vmbus device {${dev%% *}} {.*} hv_utils" "$T_LOGS/c1.txt"'
done
check "hv_kvp_daemon runs in the child" out_has c1 "mkhv-child: kvp daemon started"

# virsh shutdown: the shutdown IC asks, the child powers off itself.
run shut "virsh shutdown demo" 60
check "virsh shutdown demo accepted" \
	eval 'rc_is shut 0 && out_has shut "is being shutdown"'
check "the child shut down in an orderly way" \
	until_console c2 "mkhv-child: orderly poweroff" 30
check "within 30 s it is shut off (shutdown)" \
	eval 'for i in $(seq 1 15); do state; out_has state "shut off (shutdown)" && break; sleep 2; done; out_has state "shut off (shutdown)"'

# virsh reboot: the same service with the reboot flag; on_reboot restarts.
run start2 "virsh start demo" 120
until_console c3 "mkhv-child: vmbus device" 180 >/dev/null
until_console c3 "mkhv-child: init done" 60 >/dev/null
run reboot "virsh reboot demo" 60
check "virsh reboot demo accepted" \
	eval 'rc_is reboot 0 && out_has reboot "is being rebooted"'
check "the child rebooted in an orderly way" \
	until_console c4 "mkhv-child: orderly reboot" 30
check "it came back (init reached again, running)" \
	eval 'for i in $(seq 1 40); do console c5; [ "$(grep -c "init reached (demo)" "$T_LOGS/c5.txt")" -ge 2 ] && break; sleep 3; done; state; out_has state "running"'
run destroy "virsh destroy demo"
check "virsh destroy demo" rc_is destroy 0
test_finish
