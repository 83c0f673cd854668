#!/bin/bash
# fairness: the hv's scheduler shares one pool pCPU by weight.  QEMU -smp 2
# (cpu0 the parent, one pool pCPU); three workers run tinyguest in "spin"
# mode (a busy loop that never exits to the hv) with weights 1024, 1024
# and 2048 (<cputune><shares> 1:1:2).  Over 10 s, measured from the hv's
# own per-VP run-time counters (HvRegisterVpRuntime, through hvworker's
# SIGUSR2 stats line), each must get its share within 10% (relative) of
# 25/25/50.  Then a worker capped at 300 permille, alone on the pCPU, must
# get 30% of it (within 10%).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/parent_shell.sh"
test_init fairness

guest=/usr/share/mkhv/tinyguest.bzImage
esp="$T_LOGS/esp.img"
cp "$T_BUILD/esp.img" "$esp"
MKHV_QEMU_SMP=2 qemu_start -s 2 "$esp"
check "parent reaches its shell" wait_for 300 "mkhv-parent# "
check "hv: one pCPU in the child pool" \
	log_has -p com2 "2 CPUs online: cpu0 runs the parent, 1 in the child pool"

for w in 1:1024 2:1024 3:2048; do
	n=${w%%:*} weight=${w#*:}
	run "start$n" "hvworker --name f$n --memory 32 --vcpus 1 --weight $weight --kernel $guest --cmdline 'spin console=ttyS0' > /tmp/f$n.out 2>&1 & echo \$! > /tmp/f$n.pid"
done
check "three busy guests started" \
	eval 'run up "sleep 3; grep -l \"state running\" /tmp/f1.out /tmp/f2.out /tmp/f3.out | wc -l" && out_has up 3'

# Two snapshots 10 s apart; the share is each VP's run time over the sum.
stats='for n in 1 2 3; do kill -USR2 $(cat /tmp/f$n.pid); done; sleep 1'
run s0 "$stats; for n in 1 2 3; do echo f\$n \$(grep stats /tmp/f\$n.out | tail -n 1); done" 30
run wait "sleep 10" 30
run s1 "$stats; for n in 1 2 3; do echo f\$n \$(grep stats /tmp/f\$n.out | tail -n 1); done" 30
ns() {	# SNAPSHOT N: runtime_ns of worker N in that snapshot
	awk -v w="f$2" '$1 == w { for (i = 1; i < NF; i++) if ($i == "runtime_ns") print $(i + 1) }' \
		"$T_LOGS/$1.txt"
}
d1=$(( $(ns s1 1) - $(ns s0 1) )) d2=$(( $(ns s1 2) - $(ns s0 2) )) d3=$(( $(ns s1 3) - $(ns s0 3) ))
sum=$((d1 + d2 + d3))
share() { awk -v d="$1" -v s="$sum" 'BEGIN { printf "%.1f", s ? 100 * d / s : 0 }'; }
within() {	# SHARE TARGET: |share - target| <= 10% of target
	awk -v s="$1" -v t="$2" 'BEGIN { exit !(s >= t * 0.9 && s <= t * 1.1) }'
}
p1=$(share $d1) p2=$(share $d2) p3=$(share $d3)
echo "# shares: f1 ${p1}% f2 ${p2}% f3 ${p3}% of $((sum / 1000000)) ms"
check "the pool pCPU was busy (sum of run times ${sum} ns over 10 s)" \
	eval '[ "$sum" -gt 5000000000 ]'
check "weight 1024: ${p1}% within 10% of 25%" within "$p1" 25
check "weight 1024: ${p2}% within 10% of 25%" within "$p2" 25
check "weight 2048: ${p3}% within 10% of 50%" within "$p3" 50
run stop 'for n in 1 2 3; do kill $(cat /tmp/f$n.pid); done; sleep 2'

# A cap (<period>/<quota>): 300 permille of the pCPU even when alone on it.
run start4 "hvworker --name f4 --memory 32 --vcpus 1 --cap 300 --kernel $guest --cmdline 'spin console=ttyS0' > /tmp/f4.out 2>&1 & echo \$! > /tmp/f4.pid; sleep 3"
run c0 'kill -USR2 $(cat /tmp/f4.pid); sleep 1; echo f4 $(grep stats /tmp/f4.out | tail -n 1); cut -d" " -f1 /proc/uptime' 30
run cwait "sleep 10" 30
run c1 'kill -USR2 $(cat /tmp/f4.pid); sleep 1; echo f4 $(grep stats /tmp/f4.out | tail -n 1); cut -d" " -f1 /proc/uptime' 30
secs=$(awk -v a="$(tail -n 1 "$T_LOGS/c0.txt")" -v b="$(tail -n 1 "$T_LOGS/c1.txt")" 'BEGIN { print b - a }')
ran=$(( $(ns c1 4) - $(ns c0 4) ))
capshare=$(awk -v d="$ran" -v t="$secs" 'BEGIN { printf "%.1f", (t > 0 ? d / (t * 1e7) : 0) }')
echo "# capped at 30%: ${capshare}% of ${secs} s"
check "cap 300 permille: ${capshare}% of the pCPU, within 10% of 30%" within "$capshare" 30
run stop4 'kill $(cat /tmp/f4.pid); sleep 2'
test_finish
