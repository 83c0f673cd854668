#!/bin/bash
# child-boot: stock Debian children on the hv's child pool, and their
# isolation.  QEMU -smp 4 (cpu0 runs the parent, three pool pCPUs); in the
# parent, stock virsh defines and starts, through hvd's mkhv backend, three
# domains from XML booting the stock kernel and the child image
# (/usr/share/mkhv/child/, guest-drivers/initramfs):
#
#   A: 2 vCPUs, 256 MiB, writes a canary into its memory and watches it
#   B: 1 vCPU, 192 MiB, tries the parent-only hypercalls, then reads the
#      guest-physical address equal to the host-physical address of A's
#      canary page (from the worker's /proc/PID/pagemap) and a GPA far
#      beyond its RAM; powers itself off a minute later
#   C: 1 vCPU, 128 MiB, triple-faults on purpose (<on_crash>destroy)
#
# Checks: each console reaches its init with the Hyper-V detection and the
# vCPUs and memory it was given; every parent-only hypercall is denied; B
# never sees A's canary (beyond its RAM it reads all-ones), A's canary
# never changes; C dies alone (A and B keep running); every partition gives all its pages back and the
# parent's free memory returns to where it was.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/parent_shell.sh"
test_init child-boot

child=/usr/share/mkhv/child
canary=0xc0ffee01
canary_gpa=0x90000	# reserved low memory in a Linux guest: unused

esp="$T_LOGS/esp.img"
cp "$T_BUILD/esp.img" "$esp"
MKHV_QEMU_SMP=4 qemu_start -s 2 "$esp"
check "parent reaches its shell" wait_for 300 "mkhv-parent# "
serial_send "dmesg -n 1"
com2=$(log_path -p com2)
check "hv: three CPUs in the child pool" \
	log_has -p com2 "4 CPUs online: cpu0 runs the parent, 3 in the child pool"
# The parent's free pages: the buddy lists (MemFree) plus the per-CPU lists,
# which MemFree leaves out.  Their limit is the zone's low watermark (54 MB
# here: THP raises min_free_kbytes) and how full they are depends on the
# last frees, so MemFree alone moved by 50 MB between identical boots.
free_kb="awk '/^ *pages free/ { n += \$3 } /^ *count:/ { n += \$2 } END { print n * 4 }' /proc/zoneinfo"
run free0 "$free_kb"

start() {	# NAME VCPUS MIB PROBES: virsh define + start from XML
	local n=$1 x="<domain type='hyperv'><name>$1</name><memory unit='MiB'>$3</memory><vcpu>$2</vcpu><os><type arch='x86_64'>hvm</type><kernel>$child/vmlinuz</kernel><initrd>$child/initrd.img</initrd><cmdline>console=ttyS0 quiet mkhv.name=$1 mkhv.probe=$4</cmdline></os><on_poweroff>destroy</on_poweroff><on_crash>destroy</on_crash><devices><console type='pty'><target type='serial' port='0'/></console></devices></domain>"
	run "start-$1" "printf '%s\\n' \"$x\" > /tmp/$1.xml && virsh define /tmp/$1.xml && virsh start $1" 120
	check "$1: virsh define and start" \
		eval 'rc_is "start-$n" 0 && out_has "start-$n" "Domain '"'"'$n'"'"' started"'
}
state() {	# NAME: virsh domstate --reason into $T_LOGS/state-NAME.txt
	run "state-$1" "virsh domstate $1 --reason"
}
boots_as() {	# NAME VCPUS MIB
	local kb lo hi=$(($3 * 1024))
	check "$1: init reached" until_console "$1" "mkhv-child: init reached ($1)" 180
	until_console "$1" "mkhv-child: clocksource" 30	# its report is complete
	check "$1: Linux detected Microsoft Hyper-V" \
		out_has "$1" "mkhv-child: Hypervisor detected: Microsoft Hyper-V"
	check "$1: sees $2 vCPU(s)" out_has "$1" "mkhv-child: cpus $2"
	kb=$(sed -n 's/^mkhv-child: memtotal \([0-9]*\) kB.*/\1/p' "$T_LOGS/$1.txt")
	lo=$(($3 * 1024 * 6 / 10))
	check "$1: MemTotal ${kb:-?} kB fits its $3 MiB" \
		eval '[ -n "$kb" ] && [ "$kb" -gt "$lo" ] && [ "$kb" -le "$hi" ]'
}
deleted() {	# PAGES: how many partitions gave exactly that many pages back
	grep -c "partition [0-9]* deleted: $1 pages back to the parent" "$com2"
}

# A: the canary keeper, 2 vCPUs.
start A 2 256 "canary:$canary_gpa:$canary"
boots_as A 2 256
until_console A "probe gpa $canary_gpa written" 90
check "A: canary written" out_has A "probe gpa $canary_gpa written $canary reads $canary"
state A
check "A: virsh says running" out_has state-A "running"

# Where A's canary lives in host-physical memory: the worker's RAM mapping
# is the 256 MiB anonymous one; pagemap gives the frame of GPA 0x90000.
# (Short command lines: a long one typed into a busy serial console can
# lose characters.)
run hpa1 "sed -n 's/.*domain .A.: running (worker pid \\([0-9]*\\).*/\\1/p' /var/log/hvd.log | tail -n 1 > /tmp/A.pid; cat /tmp/A.pid"
run hpa2 "awk '{ split(\$1, r, \"-\"); print r[1], r[2] }' /proc/\$(cat /tmp/A.pid)/maps > /tmp/A.maps"
run hpa3 "while read s e; do [ \$((0x\$e - 0x\$s)) -eq 268435456 ] && echo 0x\$s; done < /tmp/A.maps > /tmp/A.ram; cat /tmp/A.ram"
run hpa4 "va=\$((\$(cat /tmp/A.ram) + $canary_gpa)); dd if=/proc/\$(cat /tmp/A.pid)/pagemap bs=8 skip=\$((va / 4096)) count=1 2>/dev/null | od -An -tx8 | tr -d ' ' > /tmp/A.pte"
run hpa "printf 'hpa 0x%x\\n' \$(( (0x\$(cat /tmp/A.pte) & 0x7fffffffffffff) * 4096 ))"
hpa=$(sed -n 's/^hpa \(0x[0-9a-f]*\)$/\1/p' "$T_LOGS/hpa.txt" | tail -n 1)
check "A's canary page has a host-physical address (${hpa:-none})" \
	eval '[ -n "$hpa" ] && [ "$hpa" != 0x0 ]'

# B: hypercalls, its own view of the canary's GPA, A's host address as a
# GPA, and a GPA far beyond its RAM.
start B 1 192 "hypercalls,read:$canary_gpa,read:${hpa:-0x10000000},read:0xd0000000,poweroff:60"
boots_as B 1 192
check "B: all 14 parent-only hypercalls denied" \
	until_console B "probe 14 of 14 parent-only hypercalls denied" 30
check "B: hypercall status is ACCESS_DENIED (0x0006)" \
	eval '! grep "probe hypercall" "$T_LOGS/B.txt" | grep -qv "status 0x0006"'
until_console B "probe gpa 0xd0000000 (not RAM) reads" 30
check "B: its GPA $canary_gpa is its own memory, not A's canary" \
	eval 'grep -q "probe gpa $canary_gpa (RAM) reads" "$T_LOGS/B.txt" && ! grep -q "reads $canary" "$T_LOGS/B.txt"'
# A's host address as a GPA: B's own page if inside its RAM, else no RAM.
check "B: GPA $hpa (A's canary, host-physical) never shows A's canary" \
	eval 'grep -q "probe gpa ${hpa:-0x10000000} (.*) reads" "$T_LOGS/B.txt" && ! grep -q "reads $canary" "$T_LOGS/B.txt"'
check "B: a GPA beyond its RAM reads all-ones (the worker's empty bus)" \
	out_has B "probe gpa 0xd0000000 (not RAM) reads 0xffffffff"
state B
check "B survives its probes (virsh: running)" out_has state-B "running"
run list "virsh list"
check "virsh list shows A and B running" \
	eval 'grep -qE "^ *[0-9]+ +A +running" "$T_LOGS/list.txt" && grep -qE "^ *[0-9]+ +B +running" "$T_LOGS/list.txt"'

# C: a triple fault ends C only.
start C 1 128 "triple"
boots_as C 1 128
check "C: triple fault ends C (virsh: shut off, crashed)" \
	eval 'for i in 1 2 3 4 5 6 7 8 9 10; do state C; out_has state-C "shut off (crashed)" && break; sleep 2; done; out_has state-C "shut off (crashed)"'
check "hv: C's triple fault logged" wait_for -p com2 20 "child shut down (triple fault)"

# A is still alive and its canary intact after B and C.
sleep 12
console A
check "A is still running (alive lines continue)" \
	eval '[ "$(grep -c "mkhv-child: alive" "$T_LOGS/A.txt")" -ge 2 ]'
check "A's canary never changed" eval '! grep -q "canary CHANGED" "$T_LOGS/A.txt"'
state A
check "A still running after C's crash" out_has state-A "running"

# B powers itself off a minute after its probes (ACPI S5); A is destroyed.
check "B powered off from inside (virsh: shut off, shutdown)" \
	eval 'for i in $(seq 1 40); do state B; out_has state-B "shut off (shutdown)" && break; sleep 2; done; out_has state-B "shut off (shutdown)"'
run destroyA "virsh destroy A"
check "virsh destroy A" eval 'rc_is destroyA 0 && state A && out_has state-A "shut off (destroyed)"'
wait_for -p com2 20 "pages back to the parent" >/dev/null
check "hv: A's 65536 pages back" wait_for -p com2 20 "deleted: 65536 pages back to the parent"
check "hv: B's 49152 pages back" eval '[ "$(deleted 49152)" = 1 ]'
check "hv: C's 32768 pages back" eval '[ "$(deleted 32768)" = 1 ]'
run free1 "sleep 2; $free_kb"
f0=$(tr -dc 0-9 < "$T_LOGS/free0.txt") f1=$(tr -dc 0-9 < "$T_LOGS/free1.txt")
check "parent free pages back (before ${f0:-?} kB, after ${f1:-?} kB)" \
	eval '[ -n "$f0" ] && [ -n "$f1" ] && [ $((f0 - f1)) -lt 16384 ] && [ $((f1 - f0)) -lt 65536 ]'
check "hv: no isolation violation logged" eval '! grep -q "isolation" "$com2"'

test_finish
