#!/bin/bash
# make bench: a child's disk through hv_storvsc and hvworker's storage VSP
# against the parent on the same backing file, measured in one run (QEMU
# TCG: hv -> parent -> child):
#
#   disk_seq_read_ratio    1 MiB sequential reads, child MB/s / parent MB/s
#   disk_seq_write_ratio   1 MiB sequential writes + fdatasync, likewise
#   disk_randread_ratio    4 KiB random reads, child IOPS / parent IOPS
#
# The backing file is a 128 MiB raw image in the parent's RAM file system
# (its page cache is the storage, so the parent's side is the best any
# path can do); tests/bench/diskbench.c runs each mode for BENCH_DISK_S
# seconds (default 5) over the first 64 MiB, first in the parent on the
# file, then in a child (mkhv.bench= on its command line, LUN 0, O_DIRECT
# so its own page cache does not answer).  The parent runs its modes
# again after the child (the machine is shared and its speed drifts): its
# figure is the mean of the two.  Both sides: one request at a time, the
# same block sizes, offsets and byte counts; the parent reads and writes
# its page cache (tmpfs has no O_DIRECT), and so does the worker for the
# child, so the ratio is the cost of the path child -> storvsc -> VMBus ->
# worker, not of a device.  Also printed: the raw figures and where a 4 KiB
# read's time goes (the worker's timing log, the child's block stats).
. "$(dirname "$0")/bench_lib.sh" bench-disk disk_seq_read_ratio

secs=${BENCH_DISK_S:-5}
img=/var/lib/mkhv/images/bench.raw

figure() {	# LOG MODE FIELD(3 MB/s, 4 IOPS): from "diskbench MODE MB/s IOPS" (mean)
	awk -v m="$2" -v f="$3" '{ for (i = 1; i < NF; i++) if ($i == "diskbench" && $(i + 1) == m) { v += $(i + f - 1); n++ } } END { print n ? v / n : 0 }' \
		"$T_LOGS/$1.txt"
}

MKHV_QEMU_SMP=3 bench_boot_parent -s 2

# The example domain with LUN 0 only, on the bench image, with mkhv.bench=.
keep0="awk '/<disk /{k=1; b=\"\"} k{b=b \$0 RS; if (/<\\/disk>/) {k=0; if (b ~ /disk0.raw/) printf \"%s\", b}; next} 1'"
run prep "mkdir -p ${img%/*} && dd if=/dev/zero of=$img bs=1M count=128 2>/dev/null && $keep0 /etc/mkhv/examples/disks-child.xml | sed -e 's|/var/lib/mkhv/images/disk0.raw|$img|;s/mkhv.name=disks/& mkhv.bench=64:$secs/' > /tmp/bench.xml && virsh define /tmp/bench.xml" 120 >/dev/null
rc_is prep 0 || fail "cannot prepare the image and the domain"
run parent "for m in seqread seqwrite randread; do diskbench \$m $img 64 $secs; done" $((secs * 3 + 120)) >/dev/null
run start "virsh start disks" 120 >/dev/null
rc_is start 0 || fail "virsh start disks failed"
ok=0
for i in $(seq 1 $(( (360 + secs * 3) / 5 ))); do
	run child "cat /var/log/mkhv/disks.console" >/dev/null
	grep -q "mkhv-child: bench done" "$T_LOGS/child.txt" && { ok=1; break; }
	sleep 4
done
sleep 3	# the worker logs its timing after 1 s without I/O
run worker "grep 'storvsp: timing' /var/log/mkhv/disks.log | tail -n 6" 60 >/dev/null
run destroy "virsh destroy disks" 60 >/dev/null
run parent2 "for m in seqread seqwrite randread; do diskbench \$m $img 64 $secs; done" $((secs * 3 + 120)) >/dev/null
cat "$T_LOGS/parent2.txt" >> "$T_LOGS/parent.txt"
qemu_stop
trap - EXIT
[ "$ok" = 1 ] || fail "the child did not finish its disk bench"

pr=$(figure parent seqread 3) pw=$(figure parent seqwrite 3) pi=$(figure parent randread 4)
cr=$(figure child seqread 3) cw=$(figure child seqwrite 3) ci=$(figure child randread 4)
awk -v pr="$pr" -v pw="$pw" -v pi="$pi" -v cr="$cr" -v cw="$cw" -v ci="$ci" 'BEGIN {
	if (pr > 0 && cr > 0) printf "disk_seq_read_ratio: %.3f\n", cr / pr
	else print "disk_seq_read_ratio: failed (no figures)"
	if (pw > 0 && cw > 0) printf "disk_seq_write_ratio: %.3f\n", cw / pw
	else print "disk_seq_write_ratio: failed (no figures)"
	if (pi > 0 && ci > 0) printf "disk_randread_ratio: %.3f\n", ci / pi
	else print "disk_randread_ratio: failed (no figures)"
	printf "disk_seq_read_mbps: child %.1f parent %.1f\n", cr, pr
	printf "disk_seq_write_mbps: child %.1f parent %.1f\n", cw, pw
	printf "disk_randread_iops: child %.0f parent %.0f\n", ci, pi
}'
# Where a 4 KiB read goes: the child's block layer (ms in flight / reads
# during randread), the worker (arrival -> I/O -> completion written), the
# worker's signal hypercall.
tr -d '\r' < "$T_LOGS/child.txt" | awk '/benchstat randread/ { for (i = 1; i <= NF; i++) { if ($i == "before") b = i; if ($i == "after") a = i }
	n = $(a + 1) - $(b + 1); if (n > 0) printf "disk_randread_child_block_us: %.0f\n", ($(a + 3) - $(b + 3)) * 1000 / n }'
tr -d '\r' < "$T_LOGS/worker.txt" | awk '/timing read4k/ { for (i = 1; i < NF; i++) { if ($i == "queue_us") q = $(i + 1); if ($i == "io_us") o = $(i + 1); if ($i == "send_us") s = $(i + 1) } }
	/timing signals_in/ { for (i = 1; i < NF; i++) if ($i == "signal_us") g = $(i + 1) }
	END { if (q != "") printf "disk_randread_worker_us: %.0f (queue %s io %s send %s)\n", q + o + s, q, o, s
	      if (g != "") printf "disk_signal_hypercall_us: %s\n", g }'
