#!/bin/bash
# parent-boot: the machine boots into the hypervisor, which starts every
# AP, keeps them as the child pool and boots the stock Debian parent on
# the BSP.  The parent detects Hyper-V, keeps the TSC as its clock, owns
# the real devices (an NVMe disk and an e1000e NIC: MMIO, MSI-X/MSI and DMA
# pass through) and reaches its shell.  Runs at -smp 2 and -smp 4.
. "$(dirname "$0")/lib.sh"
test_init parent-boot

version=$(cat "$T_BUILD/version")
esp="$T_LOGS/esp.img"
cp "$T_BUILD/esp.img" "$esp"

# A data disk with a known sector 100, read back by the parent.
disk="$T_LOGS/data.img"
marker="MKHV-SECTOR-100-$$-$RANDOM"
truncate -s 16M "$disk"
printf '%s' "$marker" | dd of="$disk" bs=512 seek=100 conv=notrunc status=none

boot() {   # smp
	local smp=$1 n=smp$1 port aps
	port=$(free_tcp_port)
	aps=$((smp - 1))
	MKHV_QEMU_SMP=$smp qemu_start -n "$n" -s 2 "$esp" \
		-drive "if=none,id=data,format=raw,file=$disk" \
		-device nvme,drive=data,serial=mkhvdata \
		-netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$port-:7777" \
		-device e1000e,netdev=n0
	check "$n: hv banner with version $version" \
		wait_for -n "$n" -p com2 90 "mkhv hypervisor $version"
	check "$n: every AP up in the hv" \
		wait_for -n "$n" -p com2 30 "cpu$aps (APIC ID"
	check "$n: $smp CPUs online, $aps in the child pool" \
		log_has -n "$n" -p com2 "$smp CPUs online: cpu0 runs the parent, $aps in the child pool"
	check "$n: parent started by the hv" \
		wait_for -n "$n" -p com2 60 "starting the parent partition on cpu0"
	check "$n: parent detects Hyper-V" \
		wait_for -n "$n" 60 "Hypervisor detected: Microsoft Hyper-V"
	check "$n: parent shell" wait_for -n "$n" 120 "mkhv-parent# "

	serial_send -n "$n" 'echo "CLOCK=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource) CPUS=$(nproc)"'
	check "$n: parent clocksource is the TSC, one vCPU" \
		wait_for -n "$n" 30 "CLOCK=tsc CPUS=1"

	serial_send -n "$n" "echo \"DISK=\$(dd if=/dev/nvme0n1 bs=512 skip=100 count=1 2>/dev/null | head -c ${#marker})\""
	check "$n: NVMe sector read back in the parent" \
		wait_for -n "$n" 30 "DISK=$marker"

	# Wait for the link (e1000e autonegotiates), then answer every
	# connection with the hostname (nc -e closes after the answer; the
	# loop re-arms it in case a probe raced the link).  The parent's init
	# makes eth0 a port of bridge br0 (30-bridge), which then carries the
	# address: frames still arrive through the e1000e.
	serial_send -n "$n" 'd=eth0; [ -e /sys/class/net/br0 ] && d=br0; ip link set eth0 up; ip link set $d up; ip addr add 10.0.2.15/24 dev $d 2>/dev/null; for i in $(seq 60); do [ "$(cat /sys/class/net/eth0/carrier)" = 1 ] && break; sleep 0.5; done; { while :; do nc -l -p 7777 -e hostname; done & } ; echo NET-LISTENING'
	wait_for -n "$n" 60 "NET-LISTENING" >/dev/null
	local got="" i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		got=$(timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && cat <&3" 2>/dev/null)
		[ -n "$got" ] && break
		sleep 1
	done
	check "$n: TCP from the host answered by the parent over e1000e (got '$got')" \
		test "$got" = "mkhv-parent"

	serial_send -n "$n" 'grep -c -e "PCI-MSI" /proc/interrupts | sed "s/^/MSI-LINES=/"'
	check "$n: parent devices use MSI/MSI-X" \
		eval 'wait_for -n "$n" 20 "MSI-LINES=" && ! log_has -n "$n" "MSI-LINES=0"'
	check "$n: no hv error" \
		eval '! log_has -n "$n" -p com2 "ERROR:"'
	serial_send -n "$n" 'exit'
	qemu_exits -n "$n" 60
	check "$n: parent powers the machine off (status '$Q_STATUS')" \
		test "$Q_STATUS" = 0
}

# A CPU without SVM: the loader says why and never starts the hv.
no_svm() {
	MKHV_QEMU_CPU=max,-svm qemu_start -n no-svm -s 2 "$esp"
	check "no-svm: clear message from the loader" \
		wait_for -n no-svm 90 "mkhv: error: this CPU (AuthenticAMD) has no AMD-V (SVM) or Intel VT-x (VMX): mkhv cannot run on this machine"
	check "no-svm: boot stopped, hv never started" \
		eval 'wait_for -n no-svm 20 "mkhv: boot stopped" &&
		      ! log_has -n no-svm -p com2 "mkhv hypervisor"'
	qemu_stop -n no-svm
}

boot 2
boot 4
no_svm
test_finish
