#!/bin/bash
# child-worker-vmx: a child partition on Intel VMX.  Boots build/esp.img in
# Bochs (corei7_haswell_4770, 2 CPUs: cpu0 runs the parent, cpu1 is the
# child pool) like parent-boot-vmx.sh, then runs hvworker in the parent
# with /usr/share/mkhv/tinyguest.bzImage, as child-worker.sh does on SVM:
# the guest runs on the pool pCPU under its own EPT and VMCS, its UART
# output reaches the worker as port I/O intercept messages, it powers off
# with ACPI S5, and the hv gives every page back when the partition is
# deleted.  Prints child_worker_vmx_seconds (boot) and
# child_worker_vmx_guest_seconds (worker start to S5).
# Environment: MKHV_BOCHS_MODEL (corei7_haswell_4770), MKHV_BOCHS_TIMEOUT
# (seconds to the shell, 900).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/parent_shell.sh"
test_init child-worker-vmx

model=${MKHV_BOCHS_MODEL:-corei7_haswell_4770}
limit=${MKHV_BOCHS_TIMEOUT:-900}
esp_src="$T_BUILD/esp.img"
guest=/usr/share/mkhv/tinyguest.bzImage
pages=$((32 * 256))	# --memory 32

. "$(dirname "$0")/bochs_lib.sh"

start=$SECONDS
bochs_start main "$model" 2 socket
check "hv chose the VMX backend" \
	wait_for -p com2 600 "virtualization backend: vmx"
check "hv has a pool pCPU" \
	wait_for -p com2 300 "2 CPUs online: cpu0 runs the parent"
check "parent shell prompt" wait_for "$limit" "mkhv-parent# "
check "init loaded mkhv.ko" log_has "mkhv-parent: mkhv.ko loaded"
echo "child_worker_vmx_seconds: $((SECONDS - start))"
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
check "no child died, no fatal exit in the hv log" \
	eval '! log_has -p com2 "hv panic" && ! log_has -p com2 "unexpected exit" && ! log_has -p com2 "VM entry"'
test_finish
