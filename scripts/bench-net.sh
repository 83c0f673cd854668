#!/bin/bash
# make bench: net_tcp_ratio, measured in one run (issue 10).
#
#   net_tcp_child_mbps   TCP throughput child -> parent: the child's
#                        busybox `dd | nc` sends 64 MiB through hv_netvsc,
#                        the worker's network VSP and its tap on br0 to a
#                        sink in the parent
#   net_tcp_veth_mbps    the same sender and sink between two network
#                        namespaces of the parent over a veth pair
#   net_tcp_ratio        child / veth (goal >= 0.5)
#
# The sink (tests/bench/mkhv_netbench.c, in the parent) times from the
# first byte to EOF.  QEMU TCG, 2 CPUs: the parent on cpu0, the child on
# the pool CPU; each side runs twice and keeps its best.
. "$(dirname "$0")/bench_lib.sh" bench-net net_tcp_ratio

mib=64
mbps() {	# NAME: the MB/s of a sink line in $T_LOGS/NAME.txt
	sed -n 's/^sink [0-9]* bytes [0-9]* ns \([0-9.]*\) MB\/s.*/\1/p' "$T_LOGS/$1.txt" | tail -n 1
}
best() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { print (a > b ? a : b) }'; }

MKHV_QEMU_SMP=2 bench_boot_parent
nb=/usr/lib/mkhv/mkhv-netbench

# veth between two namespaces of the parent.
run ns "unshare -n sleep 100000 & echo \$! > /tmp/p1; unshare -n sleep 100000 & echo \$! > /tmp/p2; sleep 1; $nb veth \$(cat /tmp/p1) \$(cat /tmp/p2) && echo veth-ok" 60 >/dev/null
grep -q veth-ok "$T_LOGS/ns.txt" || fail "no veth pair"
run ns1 "nsenter -n -t \$(cat /tmp/p1) sh -c 'ip link set lo up; ip addr add 10.0.4.1/24 dev nb0; ip link set nb0 up'; nsenter -n -t \$(cat /tmp/p2) sh -c 'ip link set lo up; ip addr add 10.0.4.2/24 dev nb1; ip link set nb1 up'" 60 >/dev/null
veth=0
for i in 1 2; do
	run "vs$i" "(nsenter -n -t \$(cat /tmp/p2) $nb sink 7200 > /tmp/vs.out &) ; sleep 1; nsenter -n -t \$(cat /tmp/p1) sh -c 'dd if=/dev/zero bs=65536 count=$((mib * 16)) 2>/dev/null | nc -w 30 10.0.4.2 7200'; sleep 1; cat /tmp/vs.out" 300 >/dev/null
	veth=$(best "$veth" "$(mbps "vs$i")")
done

# child -> parent over netvsc.
run br "brctl addbr br0 && ip addr add 10.0.3.1/24 dev br0 && ip link set br0 up && echo br-ok" 60 >/dev/null
grep -q br-ok "$T_LOGS/br.txt" || fail "no bridge"
child=0
for i in 1 2; do
	x="<domain type='hyperv'><name>nb$i</name><memory unit='MiB'>256</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type><kernel>/usr/share/mkhv/child/vmlinuz</kernel><initrd>/usr/share/mkhv/child/initrd.img</initrd><cmdline>console=ttyS0 quiet mkhv.name=nb$i mkhv.ip=10.0.3.$((10 + i))/24 mkhv.bench=10.0.3.1:7100:$mib</cmdline></os><on_poweroff>destroy</on_poweroff><devices><interface type='bridge'><source bridge='br0'/></interface><console type='pty'><target type='serial' port='0'/></console></devices></domain>"
	run "cs$i" "($nb sink 7100 > /tmp/cs.out &) ; printf '%s\\n' \"$x\" > /tmp/nb.xml && virsh define /tmp/nb.xml && virsh start nb$i" 120 >/dev/null
	for k in $(seq 1 120); do
		run "cw$i" "cat /tmp/cs.out" 30 >/dev/null
		grep -q '^sink' "$T_LOGS/cw$i.txt" && break
		sleep 3
	done
	child=$(best "$child" "$(mbps "cw$i")")
	run "cd$i" "virsh destroy nb$i" 60 >/dev/null
done
[ "$veth" != 0 ] || fail "no veth figure"
[ "$child" != 0 ] || fail "no child figure"
echo "net_tcp_child_mbps: $child"
echo "net_tcp_veth_mbps: $veth"
awk -v c="$child" -v v="$veth" 'BEGIN { printf "net_tcp_ratio: %.2f\n", c / v }'
