#!/bin/bash
# child-worker-vmx: a child partition on Intel VMX.  Boots build/esp.img in
# Bochs (corei7_haswell_4770, 2 CPUs: cpu0 runs the parent, cpu1 is the
# child pool) like parent-boot-vmx.sh, then runs hvworker in the parent
# with /usr/share/mkhv/tinyguest.bzImage, as child-worker.sh does on SVM:
# the guest runs on the pool pCPU under its own EPT and VMCS, its UART
# output reaches the worker as port I/O intercept messages, it powers off
# with ACPI S5, and the hv gives every page back when the partition is
# deleted; then two busy guests share the pool pCPU and killing one
# worker deletes only its partition.  Prints bochs_parent_boot_seconds and
# child_worker_vmx_guest_seconds (worker start to S5).
# Environment: MKHV_BOCHS_MODEL (corei7_haswell_4770), MKHV_BOCHS_TIMEOUT
# (seconds to the shell, 900).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/parent_shell.sh"
. "$(dirname "$0")/child_lib.sh"
test_init child-worker-vmx

esp_src="$T_BUILD/esp.img"

. "$(dirname "$0")/bochs_lib.sh"

bochs_boot_parent
com2=$(log_path -p com2)

g0=$SECONDS
run start1 "hvworker --name vm1 --memory 32 --vcpus 1 --kernel $guest --cmdline console=ttyS0 --console-log /tmp/vm1.console > /tmp/vm1.out 2>&1 & echo \$! > /tmp/vm1.pid" 60
check "hv: child controls computed" \
	wait_for -p com2 120 "vmx: child controls pin"
check "hv: partition 1 created (1 VP, default weight)" \
	wait_for -p com2 120 "partition 1 created (1 VPs, weight 1024)"
# The guest's whole life: UART line through port intercepts, S5, teardown.
check "hv: partition 1 deleted, all $pages pages back" \
	wait_for -p com2 600 "partition 1 deleted: $pages pages back to the parent"
echo "child_worker_vmx_guest_seconds: $((SECONDS - g0))"
run e2e "cat /tmp/vm1.out; cat /tmp/vm1.console" 120
sed 's/^/#   | /' "$T_LOGS/e2e.txt"
check "worker: state running" out_has e2e "hvworker: state running"
check "guest console line through the emulated UART" \
	out_has e2e "tinyguest: hello from a child partition"
check "worker reports ACPI S5 and shutdown" \
	eval 'out_has e2e "hvworker: detail ACPI S5" && out_has e2e "hvworker: state shutdown"'
# Two busy guests share the one pool pCPU (VP switches: TLB tags of two
# partitions), then a killed worker takes only its VM down.
d1=$(deleted 1) d2=$(deleted 2)
worker vm2 "spin console=ttyS0"
worker vm3 "spin console=ttyS0"
run w23 "sleep 20; cat /tmp/vm2.out /tmp/vm2.console /tmp/vm3.out /tmp/vm3.console" 180
check "two busy guests run side by side (both printed)" \
	eval '[ "$(grep -c "tinyguest: hello" "$T_LOGS/w23.txt")" = 2 ]'
run kill2 'kill -9 $(cat /tmp/vm2.pid); sleep 5' 120
wait_for -p com2 60 "partition 1 deleted" >/dev/null
check "kill -9 of worker 2: hv deleted partition 1, all $pages pages back" \
	eval '[ "$(deleted 1)" = $((d1 + 1)) ]'
check "partition 2 untouched" eval '[ "$(deleted 2)" = "$d2" ]'
run alive3 'kill -0 $(cat /tmp/vm3.pid)'
check "worker 3 still alive" rc_is alive3 0
run kill3 'kill $(cat /tmp/vm3.pid); sleep 5' 120
wait_for -p com2 60 "partition 2 deleted" >/dev/null
check "SIGTERM of worker 3: partition 2 deleted, all $pages pages back" \
	eval '[ "$(deleted 2)" = $((d2 + 1)) ]'
# Vector state isolation on VMX (child_lib.sh): Bochs is slower than QEMU.
vector_isolation 15 2
check "no child died, no fatal exit in the hv log" \
	eval '! log_has -p com2 "hv panic" && ! log_has -p com2 "unexpected exit" && ! log_has -p com2 "VM entry"'
test_finish
