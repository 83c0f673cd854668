#!/bin/bash
# make-run: what `make run` shows.  Boots $(BUILD)/run/esp.img (the normal
# image with mkhv.demo=demo on the parent's command line): the parent's
# init defines and starts the demo child through hvd (stock virsh), and the
# console is the demo child's (`virsh console demo`) until Ctrl-], which
# returns to the parent's shell.
. "$(dirname "$0")/lib.sh"
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
check "the parent started the demo child" \
	wait_for 120 "mkhv-demo: child 'demo' started"
check "the console is the demo child's: its init reports" \
	wait_for 180 "mkhv-child: init reached (demo)"
check "the child found the Hyper-V it runs on" \
	wait_for 30 "mkhv-child: Hypervisor detected: Microsoft Hyper-V"
check "the child's shell prompt" wait_for 60 "demo# "
serial_send "echo child-says-\$((6*7))"
check "typing reaches the child's shell" wait_for 30 "child-says-42"
web() {
	python3 -c 'import sys, urllib.request; print(urllib.request.urlopen("http://127.0.0.1:" + sys.argv[1] + "/", timeout=20).read().decode().strip())' "$port" 2>/dev/null
}
check "the host reaches the demo child's web page (hostfwd, parent's br0, netvsc)" \
	eval 'for i in $(seq 1 20); do web | grep -q "hello from mkhv child demo" && break; sleep 3; done; web | grep -q "hello from mkhv child demo"'
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
test_finish
