#!/bin/bash
# make bench: a child's disk through hv_storvsc and hvworker's storage VSP
# against the parent on the same backing, measured in one run (QEMU TCG:
# hv -> parent -> child):
#
#   disk_seq_read_ratio    1 MiB sequential reads, child MB/s / parent MB/s
#   disk_seq_write_ratio   1 MiB sequential writes + fdatasync, likewise
#   disk_randread_ratio    4 KiB random reads, child IOPS / parent IOPS
#     on a 128 MiB raw file in the parent's RAM file system (the disk's
#     default cache mode, writeback): the parent reads and writes its page
#     cache (tmpfs has no O_DIRECT in 6.1), and so does the worker for the
#     child, so the ratio is the cost of the path child -> storvsc ->
#     VMBus -> worker, not of a device
#   disk_*_ratio_virtio    the same three on the parent's own virtio-blk
#     disk (/dev/vda: a 128 MiB file on the host), read and written with
#     O_DIRECT by the parent and, for the child, by the worker (<disk
#     type='block'>, cache='none'): neither side's page cache answers.
#     Under TCG this "device" is QEMU copying host memory natively, faster
#     than the parent's emulated page-cache copy, and its completions need
#     host CPU that the vCPU threads also want (docs/storvsp.md)
#
# tests/bench/diskbench.c runs each mode for BENCH_DISK_S seconds (default
# 5) over the first 64 MiB, in the parent, then in a child (mkhv.bench= on
# its command line, LUN 0, O_DIRECT so its own page cache does not
# answer), then in the parent again (the machine is shared and its speed
# drifts): the parent's figure is the mean of its two runs.  Both sides:
# one request at a time, the same block sizes, offsets and byte counts.
# Also printed: the raw figures and where a 4 KiB read's time goes (the
# worker's timing log, the child's block stats).
. "$(dirname "$0")/bench_lib.sh" bench-disk disk_seq_read_ratio

secs=${BENCH_DISK_S:-5}
img=/var/lib/mkhv/images/bench.raw

figure() {	# LOG MODE FIELD(3 MB/s, 4 IOPS): from "diskbench MODE MB/s IOPS" (mean)
	awk -v m="$2" -v f="$3" '{ for (i = 1; i < NF; i++) if ($i == "diskbench" && $(i + 1) == m) { v += $(i + f - 1); n++ } } END { print n ? v / n : 0 }' \
		"$T_LOGS/$1.txt"
}

# measure TAG BACKING DISK_XML: parent, child (domain bench-TAG with that
# one disk as LUN 0), parent again; logs TAG-parent, TAG-child, TAG-worker.
measure() {
	local tag=$1 backing=$2 disk=$3 x ok=0 i
	x="<domain type='hyperv'><name>bench-$tag</name><memory unit='MiB'>256</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type><kernel>/usr/share/mkhv/child/vmlinuz</kernel><initrd>/usr/share/mkhv/child/initrd.img</initrd><cmdline>console=ttyS0 mkhv.name=bench-$tag mkhv.bench=64:$secs</cmdline></os><on_poweroff>destroy</on_poweroff><on_crash>destroy</on_crash><devices>$disk<console type='pty'><target type='serial' port='0'/></console></devices></domain>"
	run "$tag-define" "printf '%s\\n' \"$x\" > /tmp/bench-$tag.xml && virsh define /tmp/bench-$tag.xml" 60 >/dev/null
	rc_is "$tag-define" 0 || fail "cannot define the $tag domain"
	run "$tag-parent" "for m in seqread seqwrite randread; do diskbench \$m $backing 64 $secs; done" $((secs * 3 + 120)) >/dev/null
	run "$tag-start" "virsh start bench-$tag" 120 >/dev/null
	rc_is "$tag-start" 0 || fail "virsh start bench-$tag failed"
	for i in $(seq 1 $(( (360 + secs * 3) / 5 ))); do
		run "$tag-child" "cat /var/log/mkhv/bench-$tag.console" >/dev/null
		grep -q "mkhv-child: bench done" "$T_LOGS/$tag-child.txt" && { ok=1; break; }
		sleep 4
	done
	sleep 3	# the worker logs its timing after 1 s without I/O
	run "$tag-worker" "grep 'storvsp: timing' /var/log/mkhv/bench-$tag.log | tail -n 6" 60 >/dev/null
	run "$tag-destroy" "virsh destroy bench-$tag" 60 >/dev/null
	[ "$ok" = 1 ] || fail "the $tag child did not finish its disk bench"
	run "$tag-parent2" "for m in seqread seqwrite randread; do diskbench \$m $backing 64 $secs; done" $((secs * 3 + 120)) >/dev/null
	cat "$T_LOGS/$tag-parent2.txt" >> "$T_LOGS/$tag-parent.txt"
}

# ratios TAG SUFFIX: the three ratios and the raw figures of one backing
ratios() {
	local pr pw pi cr cw ci
	pr=$(figure "$1-parent" seqread 3) pw=$(figure "$1-parent" seqwrite 3) pi=$(figure "$1-parent" randread 4)
	cr=$(figure "$1-child" seqread 3) cw=$(figure "$1-child" seqwrite 3) ci=$(figure "$1-child" randread 4)
	awk -v pr="$pr" -v pw="$pw" -v pi="$pi" -v cr="$cr" -v cw="$cw" -v ci="$ci" -v s="$2" 'BEGIN {
		if (pr > 0 && cr > 0) printf "disk_seq_read_ratio%s: %.3f\n", s, cr / pr
		else printf "disk_seq_read_ratio%s: failed (no figures)\n", s
		if (pw > 0 && cw > 0) printf "disk_seq_write_ratio%s: %.3f\n", s, cw / pw
		else printf "disk_seq_write_ratio%s: failed (no figures)\n", s
		if (pi > 0 && ci > 0) printf "disk_randread_ratio%s: %.3f\n", s, ci / pi
		else printf "disk_randread_ratio%s: failed (no figures)\n", s
		printf "disk_seq_read_mbps%s: child %.1f parent %.1f\n", s, cr, pr
		printf "disk_seq_write_mbps%s: child %.1f parent %.1f\n", s, cw, pw
		printf "disk_randread_iops%s: child %.0f parent %.0f\n", s, ci, pi
	}'
	# Where a 4 KiB read goes: the child's block layer (ms in flight /
	# reads during randread), the worker (arrival -> I/O -> completion
	# written), the worker's signal hypercall.
	tr -d '\r' < "$T_LOGS/$1-child.txt" | awk -v s="$2" '/benchstat randread/ { for (i = 1; i <= NF; i++) { if ($i == "before") b = i; if ($i == "after") a = i }
		n = $(a + 1) - $(b + 1); if (n > 0) printf "disk_randread_child_block_us%s: %.0f\n", s, ($(a + 3) - $(b + 3)) * 1000 / n }'
	tr -d '\r' < "$T_LOGS/$1-worker.txt" | awk -v s="$2" '/timing read4k/ { for (i = 1; i < NF; i++) { if ($i == "queue_us") q = $(i + 1); if ($i == "io_us") o = $(i + 1); if ($i == "send_us") g2 = $(i + 1) } }
		/timing signals_in/ { for (i = 1; i < NF; i++) { if ($i == "signal_us") g = $(i + 1); if ($i == "polled") p = $(i + 1); if ($i == "signals_in") si = $(i + 1) } }
		END { if (q != "") printf "disk_randread_worker_us%s: %.0f (queue %s io %s send %s)\n", s, q + o + g2, q, o, g2
		      if (g != "") printf "disk_signal_hypercall_us%s: %s\n", s, g
		      if (p != "") printf "disk_requests_polled%s: %s of %s\n", s, p, p + si }'
}

# The parent's disk: 128 MiB of random bytes in a host file, virtio-blk.
head -c 128M /dev/urandom > "$T_LOGS/vda.raw" || fail "cannot make the host file"
MKHV_QEMU_SMP=3 bench_boot_parent -s 2 \
	-drive "file=$T_LOGS/vda.raw,if=none,id=benchdisk,format=raw" \
	-device virtio-blk-pci,drive=benchdisk
run prep "mkdir -p ${img%/*} && dd if=/dev/zero of=$img bs=1M count=128 2>/dev/null && ls /sys/block/vda >/dev/null" 120 >/dev/null
rc_is prep 0 || fail "cannot prepare the image (or no /dev/vda)"
measure mem "$img" "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='$img'/><target dev='sda' bus='scsi'/></disk>"
measure dev /dev/vda "<disk type='block' device='disk'><driver name='qemu' type='raw' cache='none'/><source dev='/dev/vda'/><target dev='sda' bus='scsi'/></disk>"
qemu_stop
trap - EXIT
ratios mem ""
ratios dev _virtio
