#!/bin/bash
# child-vmx: a stock Debian child on Intel VMX+EPT.  Bochs (as in
# parent-boot-vmx.sh: corei7_haswell_4770, 2 CPUs, cpu0 the parent, cpu1
# the child pool) boots hv -> parent; stock virsh defines and starts the
# demo domain through hvd; the unmodified Debian 6.1 kernel must detect
# Hyper-V, reach its init, connect to the worker's VMBus with its inbox
# hv_vmbus at 5.3 and bind the integration services with hv_utils, and
# `virsh shutdown` must power it off in an orderly way through the shutdown
# IC.  The same flow as child-boot.sh and vmbus.sh on SVM, on the other
# backend.  Prints child_vmx_boot_seconds (virsh start to init).
# Environment: MKHV_BOCHS_MODEL, MKHV_BOCHS_TIMEOUT as parent-boot-vmx.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/parent_shell.sh"
test_init child-vmx

esp_src="$T_BUILD/esp.img"
. "$(dirname "$0")/bochs_lib.sh"
bochs_boot_parent
serial_send "dmesg -n 1"

t0=$SECONDS
run start "virsh define /etc/mkhv/examples/demo-child.xml && virsh start demo" 300
check "virsh start demo" eval 'rc_is start 0 && out_has start "Domain '"'"'demo'"'"' started"'
check "the Debian child reached its init on VMX" \
	until_console c1 "mkhv-child: init reached (demo)" 900 demo
echo "child_vmx_boot_seconds: $((SECONDS - t0))"
check "it detected the hypervisor as Hyper-V" \
	until_console c1 "mkhv-child: Hypervisor detected: Microsoft Hyper-V" 120 demo
check "it connected to VMBus 5.3" \
	until_console c1 "mkhv-child: vmbus version 5.3" 600 demo
until_console c1 "mkhv-child: init done" 300 demo >/dev/null
for dev in "0e0b6031-5213-4934-818b-38d90ced39db shutdown" \
	   "57164f39-9115-4e78-ab55-382f3bd5422d heartbeat"; do
	check "${dev#* } offered, bound to hv_utils" \
		eval 'grep -q "mkhv-child: vmbus device {${dev%% *}} {.*} hv_utils" "$T_LOGS/c1.txt"'
done

run shut "virsh shutdown demo" 120
check "virsh shutdown demo accepted" \
	eval 'rc_is shut 0 && out_has shut "is being shutdown"'
check "the child shut down in an orderly way" \
	until_console c2 "mkhv-child: orderly poweroff" 300 demo
check "then it is shut off (shutdown)" \
	eval 'for i in $(seq 1 40); do run state "virsh domstate demo --reason" 60; out_has state "shut off (shutdown)" && break; sleep 3; done; out_has state "shut off (shutdown)"'
check "hv: the child's partition deleted, all its 65536 pages back (256 MiB)" \
	wait_for -p com2 60 "partition 1 deleted: 65536 pages back to the parent"
check "no fatal exit in the hv log" \
	eval '! log_has -p com2 "hv panic" && ! log_has -p com2 "unexpected exit" && ! log_has -p com2 "VM entry"'
test_finish
