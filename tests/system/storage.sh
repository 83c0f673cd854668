#!/bin/bash
# storage: a stock Debian child finds its disks through its inbox hv_storvsc
# on hvworker's storage VSP (issue 10).  In the parent (QEMU TCG: hv ->
# parent), stock virsh defines and starts the shipped disks-child example
# with three LUNs: a raw image, a qcow2 image (qemu-storage-daemon over
# NBD in the worker) and a read-only raw image.  The child
# (guest-drivers/initramfs/storage, mkhv.storage=1) must see the three
# disks on the storvsc host, write a checksummed 1 MiB pattern to each
# writable one and fsync; the read-only one must refuse writes, both in
# the kernel and, forced writable, on the device (DATA PROTECT from the
# worker).  After `virsh destroy`, the parent's copy of the raw image must
# hold the pattern; after `virsh start` the child must read every pattern
# back intact.
#
# STORAGE_QCOW2=0 leaves the qcow2 disk out.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/parent_shell.sh"
test_init storage

qcow2=${STORAGE_QCOW2:-1}
img=/var/lib/mkhv/images
esp="$T_LOGS/esp.img"
cp "$T_BUILD/esp.img" "$esp"
MKHV_QEMU_SMP=3 qemu_start -s 2 "$esp"
check "parent reaches its shell" wait_for 300 "mkhv-parent# "
serial_send "dmesg -n 1"

console() {	# the child's console log into $T_LOGS/$1.txt
	run "$1" "cat /var/log/mkhv/disks.console"
}
until_count() {	# NAME PATTERN COUNT TIMEOUT: PATTERN printed COUNT times
	local i
	for i in $(seq 1 $(($4 / 4))); do
		console "$1"
		[ "$(grep -cF -- "$2" "$T_LOGS/$1.txt")" -ge "$3" ] && return 0
		sleep 3
	done
	return 1
}
boot() {	# NAME N: boot N's part of console NAME (from its Nth "init reached")
	awk -v n="$2" '/mkhv-child: init reached/ { k++ } k == n' "$T_LOGS/$1.txt" \
		> "$T_LOGS/$1-b$2.txt"
}
dev_of() {	# LOG LUN: the child's name for LUN (sd probes asynchronously)
	sed -n "s/.*mkhv-child: disk \(sd[a-z]*\) hctl [0-9]*:0:0:$2 .*/\1/p" \
		"$T_LOGS/$1.txt" | head -n 1
}
disk_line() {	# LOG LUN RO: the child lists LUN, 64 MiB, ro flag, on storvsc
	grep -q "mkhv-child: disk sd[a-z]* hctl [0-9]*:0:0:$2 blocks 131072 ro $3 .*host storvsc" \
		"$T_LOGS/$1.txt"
}
sum_of() {	# LOG DEV SEQ: the sum the child printed for DEV's pattern SEQ
	sed -n "s/.*mkhv-child: storage $2 wrote seq $3 sum \([0-9a-f]*\).*/\1/p" \
		"$T_LOGS/$1.txt" | tail -n 1
}

# Images, and the example domain with the storage exercise on its command line.
ndisks=3
drop=
if [ "$qcow2" = 0 ]; then
	ndisks=2
	drop="/<disk/{N;N;N;N;/qcow2/d;};"
fi
mkqcow2=true
[ "$qcow2" = 1 ] && mkqcow2="qemu-img create -f qcow2 $img/disk1.qcow2 64M"
run prep "mkdir -p $img && truncate -s 64M $img/disk0.raw $img/disk2.raw && printf RO-DISK-CONTENT | dd of=$img/disk2.raw conv=notrunc 2>/dev/null && $mkqcow2 && sed -e '${drop}s/mkhv.name=disks/& mkhv.storage=1 mkhv.storage.disks=$ndisks/' /etc/mkhv/examples/disks-child.xml > /tmp/disks.xml && virsh define /tmp/disks.xml" 60
check "images created, domain defined" rc_is prep 0

# First boot: find the disks, write the patterns.
run start "virsh start disks" 120
check "virsh start disks" eval 'rc_is start 0 && out_has start "Domain '"'"'disks'"'"' started"'
check "the child ran its storage exercise" until_count c1 "mkhv-child: storage done" 1 360
boot c1 1
rw_luns=0 ro_lun=1
[ "$qcow2" = 1 ] && rw_luns="0 1" ro_lun=2
for l in $rw_luns; do
	check "LUN $l: a 64 MiB writable disk on the storvsc host" disk_line c1-b1 $l 0
	d=$(dev_of c1-b1 $l)
	check "LUN $l ($d): new disk, pattern 1 written and synced" \
		eval 'out_has c1-b1 "mkhv-child: storage $d empty" && [ -n "$(sum_of c1-b1 "$d" 1)" ]'
done
check "LUN $ro_lun: a 64 MiB read-only disk on the storvsc host" disk_line c1-b1 $ro_lun 1
ro=$(dev_of c1-b1 $ro_lun)
check "LUN $ro_lun ($ro): the kernel refuses writes" \
	out_has c1-b1 "mkhv-child: storage $ro readonly refused"
check "LUN $ro_lun ($ro): forced writable, the disk refuses them (DATA PROTECT)" \
	out_has c1-b1 "mkhv-child: storage $ro device refused"

# The worker's counters through stock virsh (hvd: docs/hvd.md "Device
# statistics"): sda (LUN 0) took the child's reads and its synced 1 MiB
# pattern; the read-only disk was read and never written.
blkstat() {	# LOG DEV FIELD: a "DEV FIELD N" line's N from virsh domblkstat
	sed -n "s|^$2 $3 \([0-9]*\)\$|\1|p" "$T_LOGS/$1.txt" | tail -n 1
}
ro_src=/var/lib/mkhv/images/disk2.raw
run blk0 "virsh domblkstat disks sda" 30
run blkro "virsh domblkstat disks $ro_src" 30
run blkall "virsh domblkstat disks" 30
r0=$(blkstat blk0 sda rd_req) w0=$(blkstat blk0 sda wr_bytes) f0=$(blkstat blk0 sda flush_operations)
rr=$(blkstat blkro $ro_src rd_req) rw=$(blkstat blkro $ro_src wr_bytes) ra=$(blkstat blkall "" rd_req)
check "domblkstat sda: reads, the 1 MiB pattern written, flushes (rd_req ${r0:-?}, wr_bytes ${w0:-?}, flush_operations ${f0:-?})" \
	eval '[ "${r0:-0}" -gt 0 ] && [ "${w0:-0}" -ge 1048576 ] && [ "${f0:-0}" -gt 0 ]'
check "domblkstat of the read-only disk by its path: read, never written (rd_req ${rr:-?}, wr_bytes ${rw:-?})" \
	eval '[ "${rr:-0}" -gt 0 ] && [ "$rw" = 0 ]'
check "domblkstat without a device sums every disk (rd_req ${ra:-?} >= ${r0:-?} + ${rr:-?})" \
	eval '[ -n "$ra" ] && [ "$ra" -ge $((${r0:-0} + ${rr:-0})) ]'
run blkbad "virsh domblkstat disks sdz" 30
check "domblkstat of a disk the domain does not have: invalid path" \
	eval '! rc_is blkbad 0 && out_has blkbad "invalid path: sdz"'
run blkgrp "virsh domstats --block disks" 30
check "domstats --block: libvirt's block.* names, sda's writes" \
	eval 'out_has blkgrp "block.count=$ndisks" && out_has blkgrp "block.0.name=sda" && out_has blkgrp "block.0.path=/var/lib/mkhv/images/disk0.raw" && grep -q "block.0.wr.bytes=[1-9]" "$T_LOGS/blkgrp.txt"'

# Destroyed: what the child synced is in the parent's files.
run destroy "virsh destroy disks" 60
check "virsh destroy disks" rc_is destroy 0
sum=$(sum_of c1-b1 "$(dev_of c1-b1 0)" 1)
run header "dd if=$img/disk0.raw bs=512 count=1 2>/dev/null | head -n 1"
run data "dd if=$img/disk0.raw bs=1048576 skip=1 count=1 2>/dev/null | sha256sum"
check "the parent's disk0.raw has the child's header" out_line header "MKHVPAT 1 $sum"
check "the parent's disk0.raw has the child's data" out_has data "$sum"
run rodata "dd if=$img/disk2.raw bs=15 count=1 2>/dev/null; echo"
check "the read-only image is unchanged" out_line rodata "RO-DISK-CONTENT"
if [ "$qcow2" = 1 ]; then
	run qcheck "qemu-img check $img/disk1.qcow2 && qemu-img info $img/disk1.qcow2"
	check "the qcow2 image is consistent (qemu-img check)" rc_is qcheck 0
fi

# Second boot: every pattern reads back, and new ones are written.
run start2 "virsh start disks" 120
check "virsh start disks again" rc_is start2 0
check "the child ran its storage exercise again" until_count c2 "mkhv-child: storage done" 2 360
boot c2 2
for l in $rw_luns; do
	d=$(dev_of c2-b2 $l)
	check "LUN $l ($d): pattern 1 read back intact after destroy and restart" \
		out_has c2-b2 "mkhv-child: storage $d verify ok seq 1"
	check "LUN $l ($d): pattern 2 written" eval '[ -n "$(sum_of c2-b2 "$d" 2)" ]'
done
check "no pattern was corrupt, no write got through" \
	eval '! grep -q "verify BAD\|write FAILED\|ALLOWED\|ACCEPTED" "$T_LOGS/c2.txt"'
run destroy2 "virsh destroy disks" 60
check "virsh destroy disks (2)" rc_is destroy2 0
# cache='none' is O_DIRECT, which the parent's RAM file system (tmpfs in
# 6.1) does not have: the start fails with that reason and the domain
# stays shut off.
run nodirect "sed -e 's|<name>disks</name>|<name>nodirect</name>|' -e \"s|<driver name='qemu' type='raw'/>|<driver name='qemu' type='raw' cache='none'/>|\" /tmp/disks.xml > /tmp/nodirect.xml && grep -c \"cache='none'\" /tmp/nodirect.xml && virsh define /tmp/nodirect.xml && virsh start nodirect; virsh domstate nodirect" 120
check "cache='none' on the parent's tmpfs: virsh start fails naming O_DIRECT, shut off" \
	eval 'out_has nodirect "cache=none needs O_DIRECT" && out_line nodirect "shut off"'
run hvdlog "tail -n 30 /var/log/hvd.log; tail -n 30 /var/log/mkhv/disks.log 2>/dev/null; dmesg | tail -n 20"
test_finish
