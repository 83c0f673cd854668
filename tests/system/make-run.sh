#!/bin/bash
# make-run: what `make run` shows.  Boots $(BUILD)/run/esp.img (the normal
# image with mkhv.demo=demo on the parent's command line): the parent's
# init defines and starts the demo child through hvd (stock virsh), and the
# console is the demo child's (`virsh console demo`) until Ctrl-], which
# returns to the parent's shell.  The demo child's disk is a qcow2 image in
# the parent (70-demo creates it) on which the child counts its boots
# (mkhv.boots=sda): boot 1 on its console and web page, boot 2 after
# `virsh shutdown` and `virsh start`, and the parent's image holds the count.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/parent_shell.sh"
test_init make-run

esp="$T_LOGS/esp.img"
cp "$T_BUILD/run/esp.img" "$esp"
# As scripts/run-qemu.sh: the parent's NIC on QEMU's user network, the
# demo child's web page forwarded to the host.
port=$((20000 + $$ % 20000))
qemu_start -s 2 "$esp" \
	-netdev "user,id=net0,hostfwd=tcp:127.0.0.1:$port-10.0.2.21:80" \
	-device virtio-net-pci,netdev=net0
check "hvd runs with the mkhv backend" wait_for 300 "backend mkhv"
check "the parent created the demo child's qcow2 disk" \
	wait_for 120 "mkhv-demo: created the demo child's disk /var/lib/mkhv/images/demo.qcow2"
check "the parent started the demo child" \
	wait_for 120 "mkhv-demo: child 'demo' started"
check "the console is the demo child's: its init reports" \
	wait_for 180 "mkhv-child: init reached (demo)"
check "the child found the Hyper-V it runs on" \
	wait_for 30 "mkhv-child: Hypervisor detected: Microsoft Hyper-V"
check "the child's shell prompt" wait_for 60 "demo# "
check "the child found its 64 MiB disk sda through hv_storvsc" \
	grep -q "mkhv-child: disk sda hctl [0-9]*:0:0:0 blocks 131072 ro 0 .* host storvsc_host" "$(log_path)"
check "the child counted boot 1 on its new disk" \
	log_has "mkhv-child: boot 1 on sda (64 MiB, host storvsc_host)"
serial_send "echo child-says-\$((6*7))"
check "typing reaches the child's shell" wait_for 30 "child-says-42"
web() {
	python3 -c 'import sys, urllib.request; print(urllib.request.urlopen("http://127.0.0.1:" + sys.argv[1] + "/", timeout=20).read().decode().strip())' "$port" 2>/dev/null
}
check "the host reaches the demo child's web page (hostfwd, parent's br0, netvsc)" \
	eval 'for i in $(seq 1 20); do web | grep -q "hello from mkhv child demo" && break; sleep 3; done; web | grep -q "hello from mkhv child demo"'
check "the web page shows the child's boot count (its disk)" \
	eval 'web | grep -qxF "boot 1 on sda (64 MiB, host storvsc_host)"'
serial_send $'\x1d'
check "Ctrl-] returns to the parent's shell" \
	eval 'wait_for 30 "left the console of '"'"'demo'"'"'" && wait_for 30 "mkhv-parent# "'
serial_send "virsh list"
sleep 3
wait_for 10 "mkhv-parent# " >/dev/null
check "virsh list in the parent shows demo running" \
	eval 'grep -qE "^ *[0-9]+ +demo +running" "$(log_path)"'
# The admin's virsh shutdown reaches the child through the shutdown
# integration service; the domain ends shut off (shutdown).
serial_send "virsh shutdown demo; for i in \$(seq 1 30); do virsh domstate demo --reason | grep -q 'shut off' && break; sleep 2; done; echo DEMO-STATE=\$(virsh domstate demo --reason | tr ' ' _)"
check "virsh shutdown demo: shut off (shutdown) within 60 s" \
	wait_for 90 "DEMO-STATE=shut_off_(shutdown)"
# Started again, the child finds its count on the parent's qcow2 file.
run start2 "virsh start demo" 120
check "virsh start demo again" rc_is start2 0
check "the restarted child counted boot 2 on sda (its disk survived)" \
	until_console c2 "mkhv-child: boot 2 on sda (64 MiB, host storvsc_host)" 300 demo
run destroy "virsh destroy demo" 60
check "virsh destroy demo" rc_is destroy 0
run sector0 "rm -f /tmp/s0; qemu-img dd -f qcow2 -O raw bs=512 count=1 if=/var/lib/mkhv/images/demo.qcow2 of=/tmp/s0 && head -n 1 /tmp/s0" 60
check "the parent's demo.qcow2 holds the child's count (MKHVBOOTS 2)" \
	out_line sector0 "MKHVBOOTS 2"
test_finish
