#!/bin/bash
# network: stock Debian children get a working NIC from their inbox
# hv_netvsc, served by their hvworker's network VSP over VMBus and carried
# by a tap on a bridge in the parent (issue 10).
#
# QEMU gives the parent a virtio-net NIC on QEMU's user network
# (10.0.2.0/24) with a hostfwd 127.0.0.1:PORT -> 10.0.2.21:7000.  The
# parent has its eth0 in bridge br0 (10.0.2.15 on br0), so the bridge
# is one Ethernet segment with QEMU's network: the children's taps join
# it and their frames leave through the parent's stock virtio_net driver.
# (The parent's init does this at boot: /etc/mkhv/init.d/30-bridge, with
# udhcpc on br0.)
# Two children, A (10.0.2.21) and B (10.0.2.22), are defined from XML
# with <interface type='bridge'><source bridge='br0'/>; their init
# (guest-drivers/initramfs/net) serves 1 MiB of random bytes on TCP 7000,
# prints the md5 of what arrives on TCP 7001, and pings, fetches from and
# pushes to each peer.  The parent does the same from its shell.
# Checks: the NIC probes (link, MAC from the XML), ping and a TCP transfer
# with a matching md5 in both directions between every pair, and a
# connection from the host through hostfwd reaches A's listener.
# libvirt's 'default' NAT network, which the parent sets up at boot
# (/etc/mkhv/init.d/35-default-net: virbr0 192.168.122.1/24, dnsmasq for
# DHCP and DNS on virbr0 only, nftables masquerade): B's second NIC and
# child C's only NIC are on it and lease 192.168.122.x by DHCP; C reaches
# the parent's uplink address (10.0.2.15), QEMU's user-net gateway
# 10.0.2.2 (ping) and a TCP listener of this script on the host's
# 127.0.0.1 (slirp's 10.0.2.2:HPORT) through the parent's NAT.  DNS: C's
# resolv.conf names 192.168.122.1 (from DHCP), C resolves B's DHCP host
# name to B's lease, and a name only an upstream server knows: the test
# starts a second dnsmasq on the parent's 10.0.2.15 as that upstream and
# points the parent's /etc/resolv.conf at it after the boot-time dnsmasq
# started, so the answer proves forwarding and the re-read of resolv.conf.  The children's TCP leaves them as LSO frames (one tap
# write of up to 64 KB each).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/parent_shell.sh"
test_init network

child=/usr/share/mkhv/child
port=$((20000 + $$ % 20000))
hport=$(free_tcp_port)
token=nat-$$-$RANDOM
# The host listener C reaches through NAT: answers each connection with
# the token and the line it got, logs that line.
python3 - "$hport" "$token" "$T_LOGS/hostlistener.txt" <<'PY' &
import socket, sys
port, token, log = int(sys.argv[1]), sys.argv[2], sys.argv[3]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(4)
s.settimeout(1800)
while True:
    c, a = s.accept()
    c.settimeout(30)
    data = b""
    try:
        while b"\n" not in data:
            b = c.recv(4096)
            if not b:
                break
            data += b
    except OSError:
        pass
    line = data.decode(errors="replace").strip()
    with open(log, "a") as f:
        f.write("got %s\n" % line)
    c.sendall(("%s %s\n" % (token, line.replace(" ", "_"))).encode())
    c.close()
PY
hlpid=$!
trap 'kill $hlpid 2>/dev/null; _test_cleanup' EXIT
esp="$T_LOGS/esp.img"
cp "$T_BUILD/esp.img" "$esp"
MKHV_QEMU_SMP=3 qemu_start -s 2 "$esp" \
	-netdev "user,id=n0,net=10.0.2.0/24,hostfwd=tcp:127.0.0.1:$port-10.0.2.21:7000" \
	-device virtio-net-pci,netdev=n0,mac=52:54:00:12:34:01
check "parent reaches its shell" wait_for 300 "mkhv-parent# "
serial_send "dmesg -n 1"
check "parent: network 'default' set up at boot (35-default-net: virbr0, DHCP, DNS, masquerade)" \
	log_has "mkhv-parent: network 'default' virbr0 192.168.122.1/24, DHCP, DNS, masquerade"
run nat "ip addr show virbr0; cat /proc/sys/net/ipv4/ip_forward; nft list table ip mkhv_nat; pidof dnsmasq" 60
check "parent: virbr0 192.168.122.1/24, ip_forward 1, nft masquerade, dnsmasq" \
	eval 'out_has nat "inet 192.168.122.1/24" && out_line nat 1 && out_has nat "masquerade" && grep -qE "^[0-9]+$" "$T_LOGS/nat.txt"'
# DNS on virbr0's address only: nothing on the uplink, lo or a wildcard.
run dns53 "netstat -lntu | grep ':53 '" 30
check "parent: dnsmasq serves DNS on 192.168.122.1:53 only (UDP and TCP)" \
	eval '[ "$(grep -c "192\.168\.122\.1:53 " "$T_LOGS/dns53.txt")" = 2 ] && ! grep -qE "(0\.0\.0\.0|10\.0\.2\.15|127\.0\.0\.1|:::?):53 " "$T_LOGS/dns53.txt"'

# The parent: br0 = eth0 + the children's taps; a pattern, a server
# (7000) and a sink (7001) like the children's.
run br "for i in \$(seq 1 30); do ip addr show br0 | grep -q 'inet 10.0.2.15/24' && break; sleep 1; done; ls /sys/class/net/br0/brif; ip addr show br0" 60
check "parent: eth0 (virtio_net) bridged into br0 at boot (30-bridge)" out_line br "eth0"
check "parent: br0 got 10.0.2.15/24 from QEMU's DHCP (udhcpc)" out_has br "inet 10.0.2.15/24"
# The default network's upstream DNS: a second dnsmasq on 10.0.2.15 that
# alone knows upstream.mkhv.test, and the parent's resolv.conf (udhcpc
# wrote QEMU's 10.0.2.3 there) now names it.
run upstream "cat /etc/resolv.conf; dnsmasq --user= --port=53 --listen-address=10.0.2.15 --bind-interfaces --no-resolv --no-hosts --pid-file=/run/upstream-dns.pid --host-record=upstream.mkhv.test,10.11.12.13 && echo nameserver 10.0.2.15 > /etc/resolv.conf && echo upstream started" 30
check "parent: br0's udhcpc wrote resolv.conf (10.0.2.3); a test upstream DNS on 10.0.2.15 replaces it" \
	eval 'out_has upstream "nameserver 10.0.2.3" && out_has upstream "upstream started"'
run srv1 "dd if=/dev/urandom of=/tmp/pattern bs=1024 count=1024 2>/dev/null; md5sum < /tmp/pattern"
run srv2 "printf '#!/bin/sh\\ncat /tmp/pattern\\n' > /tmp/serve; printf '#!/bin/sh\\nmd5sum >> /tmp/sinks\\n' > /tmp/sink; chmod 755 /tmp/serve /tmp/sink"
run srv3 "setsid nc -ll -p 7000 -e /tmp/serve </dev/null >/dev/null 2>&1 & setsid nc -ll -p 7001 -e /tmp/sink </dev/null >/dev/null 2>&1 & echo started"
pmd5=$(grep -oE '^[0-9a-f]{32}' "$T_LOGS/srv1.txt" | tail -n 1)
check "parent: pattern ${pmd5:-?} and listeners" eval '[ -n "$pmd5" ] && out_has srv3 started'

define() {	# NAME MIB CMDLINE INTERFACES: define and start a child
	local x="<domain type='hyperv'><name>$1</name><memory unit='MiB'>$2</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type><kernel>$child/vmlinuz</kernel><initrd>$child/initrd.img</initrd><cmdline>console=ttyS0 quiet mkhv.name=$1 $3</cmdline></os><on_poweroff>destroy</on_poweroff><on_crash>destroy</on_crash><devices>$4<console type='pty'><target type='serial' port='0'/></console></devices></domain>"
	run "start-$1" "printf '%s\\n' \"$x\" > /tmp/$1.xml && virsh define /tmp/$1.xml && virsh start $1" 120
}
start() {	# NAME IP LAST-MAC-BYTE PEERS [EXTRA-CMDLINE EXTRA-DEVICES]
	local n=$1
	define "$1" 256 "mkhv.ip=$2/24 mkhv.peers=$4 ${5:-}" \
		"<interface type='bridge'><source bridge='br0'/><mac address='52:54:00:00:00:$3'/></interface>${6:-}"
	check "$1: virsh define and start (interface on br0)" \
		eval 'rc_is "start-$n" 0 && out_has "start-$n" "Domain '"'"'$n'"'"' started"'
}
md5_of() {	# NAME: the child's pattern md5
	sed -n 's/^mkhv-child: net pattern \([0-9a-f]*\).*/\1/p' "$T_LOGS/$1.txt" | tail -n 1
}

start A 10.0.2.21 21 10.0.2.15,10.0.2.22
# B has a second NIC on libvirt's default network (virbr0 in the parent),
# addressed by DHCP.
start B 10.0.2.22 22 10.0.2.15,10.0.2.21 "mkhv.mac1=52:54:00:00:01:22" \
	"<interface type='network'><source network='default'/><mac address='52:54:00:00:01:22'/></interface>"
# C has only the default network: DHCP, then the parent's uplink address,
# QEMU's gateway and the host listener through the parent's NAT.
define C 192 "mkhv.reach=resolv,10.0.2.15,10.0.2.2,10.0.2.2:$hport,dns:B,dns:upstream.mkhv.test" \
	"<interface type='network'><source network='default'/><mac address='52:54:00:00:01:23'/></interface>"
check "C: virsh define and start (interface on network 'default')" \
	eval 'rc_is start-C 0 && out_has start-C "Domain '"'"'C'"'"' started"'
for c in A:21 B:22; do
	n=${c%:*} m=${c#*:}
	check "$n: hv_netvsc probed, eth0 has the MAC from the XML and carrier" \
		until_console "$n" "mkhv-child: net eth0 52:54:00:00:00:$m carrier 1 mtu 1500" 240
	until_console "$n" "mkhv-child: net pattern" 60 >/dev/null
done
amd5=$(md5_of A) bmd5=$(md5_of B)
check "A and B made their patterns (${amd5:-?}, ${bmd5:-?})" eval '[ -n "$amd5" ] && [ -n "$bmd5" ]'

# The parent talks to both children.
for c in A:10.0.2.21 B:10.0.2.22; do
	n=${c%:*} ip=${c#*:}
	run "ping-$n" "ping -c 3 -W 5 $ip" 60
	check "parent -> $n: ping" rc_is "ping-$n" 0
	run "fetch-$n" "nc -w 20 $ip 7000 </dev/null | md5sum" 120
	want=$([ "$n" = A ] && echo "$amd5" || echo "$bmd5")
	check "parent <- $n: 1 MiB over TCP, md5 matches" out_has "fetch-$n" "$want"
	run "push-$n" "nc -w 20 $ip 7001 < /tmp/pattern && echo pushed" 120
	check "parent -> $n: 1 MiB over TCP" out_has "push-$n" "pushed"
done

# The default network: B's second NIC and C lease their addresses.
check "B: second NIC (network 'default') probed with its MAC, 192.168.122.x by DHCP" \
	until_console B "52:54:00:00:01:22 carrier 1 mtu 1500 dhcp 192.168.122." 60
check "C: eth0 on network 'default', 192.168.122.x/24 by DHCP" \
	until_console C "mkhv-child: net eth0 52:54:00:00:01:23 carrier 1 mtu 1500 dhcp 192.168.122." 240
bnat=$(sed -n 's/.*52:54:00:00:01:22 carrier 1 mtu 1500 dhcp \(192\.168\.122\.[0-9]*\)\/24.*/\1/p' "$T_LOGS/B.txt" | tail -n 1)
cnat=$(sed -n 's/.*52:54:00:00:01:23 carrier 1 mtu 1500 dhcp \(192\.168\.122\.[0-9]*\)\/24.*/\1/p' "$T_LOGS/C.txt" | tail -n 1)
check "B and C got different leases (${bnat:-?}, ${cnat:-?})" \
	eval '[ -n "$bnat" ] && [ -n "$cnat" ] && [ "$bnat" != "$cnat" ]'
run virbr "ping -c 3 -W 5 ${bnat:-192.168.122.0} && ping -c 3 -W 5 ${cnat:-192.168.122.0}" 60
check "parent -> B and C over virbr0 (network 'default'): ping" rc_is virbr 0
until_console C "mkhv-child: net reach done" 240 >/dev/null
check "C -> parent's uplink address 10.0.2.15: ping" out_has C "mkhv-child: net reach 10.0.2.15 ok"
check "C -> QEMU's gateway 10.0.2.2 through NAT: ping" out_has C "mkhv-child: net reach 10.0.2.2 ok"
check "C -> host listener 127.0.0.1:$hport (10.0.2.2:$hport) through NAT: TCP both ways" \
	eval 'out_has C "mkhv-child: net reach 10.0.2.2:$hport $token hello_from_C" && grep -qx "got hello from C" "$T_LOGS/hostlistener.txt"'
# DNS on the default network (dnsmasq in the parent).
cres=$(sed -n 's/.*mkhv-child: net reach resolv\([0-9. ]*\).*/\1/p' "$T_LOGS/C.txt" | tail -n 1)
check "C: DHCP gave 192.168.122.1 as name server (C's resolv.conf:${cres:- nothing})" \
	eval '[ "$cres" = " 192.168.122.1" ]'
dns_of() {	# NAME: "ADDR SERVER" of C's dns:NAME line
	sed -n "s/.*mkhv-child: net reach dns:$1 \([0-9.a-z]*\) server \([0-9.]*\).*/\1 \2/p" "$T_LOGS/C.txt" | tail -n 1
}
cb=$(dns_of B) cu=$(dns_of upstream.mkhv.test)
check "C resolves B's DHCP host name through 192.168.122.1 to B's lease ${bnat:-?} (got ${cb:-nothing})" \
	eval '[ -n "$bnat" ] && [ "$cb" = "$bnat 192.168.122.1" ]'
check "C resolves upstream.mkhv.test through 192.168.122.1 (forwarded to the parent's new resolv.conf server): ${cu:-nothing}" \
	eval '[ "$cu" = "10.11.12.13 192.168.122.1" ]'
run dnslog "cat /run/mkhv/virbr0.leases; cat /run/mkhv/dnsmasq-virbr0.log" 30
check "parent: dnsmasq's leases name B and C; it re-read resolv.conf (10.0.2.3, then 10.0.2.15)" \
	eval 'grep -qF " $bnat B " "$T_LOGS/dnslog.txt" && grep -qF " $cnat C " "$T_LOGS/dnslog.txt" && out_has dnslog "using nameserver 10.0.2.3#53" && out_has dnslog "using nameserver 10.0.2.15#53"'

# The children's own round: ping, fetch and push to each peer.
for n in A B; do
	until_console "$n" "mkhv-child: net peers done" 300 >/dev/null
done
console A
console B
for c in A:B:10.0.2.22 B:A:10.0.2.21; do
	n=${c%%:*} rest=${c#*:} p=${rest%%:*} ip=${rest#*:}
	pm=$([ "$p" = A ] && echo "$amd5" || echo "$bmd5")
	nm=$([ "$n" = A ] && echo "$amd5" || echo "$bmd5")
	check "$n -> parent: ping" out_has "$n" "mkhv-child: net ping 10.0.2.15 ok"
	check "$n <- parent: TCP, md5 matches" out_has "$n" "mkhv-child: net fetch 10.0.2.15 $pmd5"
	check "$n -> $p: ping" out_has "$n" "mkhv-child: net ping $ip ok"
	check "$n <- $p: TCP, md5 matches" out_has "$n" "mkhv-child: net fetch $ip $pm"
	check "$p got $n's push (md5 matches)" out_has "$p" "mkhv-child: net sink $nm"
	check "$n got the parent's push (md5 matches)" out_has "$n" "mkhv-child: net sink $pmd5"
done
run sinks "sleep 2; cat /tmp/sinks"
check "parent got A's push (md5 matches)" out_has sinks "$amd5"
check "parent got B's push (md5 matches)" out_has sinks "$bmd5"

# The host: QEMU's hostfwd -> the parent's eth0 -> br0 -> A's tap -> netvsc.
hostfetch() {
	python3 - "$port" <<'PY'
import hashlib, socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=60)
h, n = hashlib.md5(), 0
while True:
    b = s.recv(65536)
    if not b:
        break
    h.update(b)
    n += len(b)
print(n, h.hexdigest())
PY
}
hf=""
for i in 1 2 3; do
	hf=$(hostfetch 2>/dev/null) && [ "${hf#* }" = "$amd5" ] && break
	sleep 3
done
check "host 127.0.0.1:$port (hostfwd) reaches A's listener: ${hf:-nothing}" \
	eval '[ "$hf" = "1048576 $amd5" ]'

# TSO: what the children wrote into their taps came as GSO frames (LSOv2
# from hv_netvsc, one tap write per 64 KB), so some tap averages more
# than a 1514-byte frame per packet.
run tapstat "for t in /sys/class/net/mkhvtap*; do echo \$((\$(cat \$t/statistics/rx_bytes) / (\$(cat \$t/statistics/rx_packets) + 1))); done" 30
tapavg=$(grep -E '^[0-9]+$' "$T_LOGS/tapstat.txt" | sort -n | tail -n 1)
check "children's TCP left as LSO (GSO) frames: largest average tap frame ${tapavg:-?} bytes > 1514" \
	eval '[ "${tapavg:-0}" -gt 1514 ]'

# The worker's NIC counters through stock virsh (docs/hvd.md "Device
# statistics"), the guest's view: A received at least three of the 1 MiB
# transfers above and sent at least three.
ifstat() {	# LOG DEV FIELD: a "DEV FIELD N" line's N from virsh domifstat
	sed -n "s/^$2 $3 \([0-9]*\)\$/\1/p" "$T_LOGS/$1.txt" | tail -n 1
}
run ifA "virsh domifstat A 52:54:00:00:00:21" 30
arx=$(ifstat ifA 52:54:00:00:00:21 rx_bytes) atx=$(ifstat ifA 52:54:00:00:00:21 tx_bytes)
check "domifstat A by MAC: >= 3 MiB each way (rx_bytes ${arx:-?}, tx_bytes ${atx:-?})" \
	eval '[ "${arx:-0}" -ge 3145728 ] && [ "${atx:-0}" -ge 3145728 ]'
run ifB "virsh domifstat B 52:54:00:00:01:22" 30
check "domifstat B's NIC on 'default': it received frames (DHCP, pings)" \
	eval '[ "$(ifstat ifB 52:54:00:00:01:22 rx_packets)" -gt 0 ]'
run ifgrp "virsh domstats --interface A" 30
atap=$(sed -n 's/^ *net\.0\.name=\(mkhvtap[0-9]*\)$/\1/p' "$T_LOGS/ifgrp.txt")
check "domstats --interface A: net.count=1, net.0.name is its tap (${atap:-none})" \
	eval 'out_has ifgrp "net.count=1" && [ -n "$atap" ] && grep -q "net.0.rx.bytes=[1-9]" "$T_LOGS/ifgrp.txt"'
run iftap "virsh domifstat A ${atap:-mkhvtap-none}" 30
check "domifstat A by its tap name ${atap:-?}" \
	eval '[ "$(ifstat iftap "$atap" rx_bytes)" -ge "$arx" ]'
run ifbad "virsh domifstat A 52:54:00:99:99:99" 30
check "domifstat of a MAC A does not have: not a known interface" \
	eval '! rc_is ifbad 0 && out_has ifbad "is not a known interface"'

run destroy "virsh destroy A; virsh destroy B; virsh destroy C"
check "virsh destroy A, B and C" rc_is destroy 0
test_finish
