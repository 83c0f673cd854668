#!/bin/sh
# Builds a bootable ESP disk image: a GPT disk with one EFI System
# Partition (FAT32, written with mtools, no root or loop devices needed)
# holding
#   \EFI\BOOT\BOOTX64.EFI   hvloader (the removable-media default path)
#   \EFI\mkhv\vmlinuz       parent kernel
#   \EFI\mkhv\initrd.img    parent initramfs
#   \EFI\mkhv\mkhv.cfg      boot configuration
# plus any extra SRC=\EFI\mkhv\NAME pairs.  OVMF boots it in QEMU; written
# to a USB stick (dd) it boots a real PC.
#
#   scripts/mkesp.sh OUT.img LOADER.efi VMLINUZ INITRD CFG [SRC=NAME ...]
set -eu
[ $# -ge 5 ] || { echo "usage: $0 OUT LOADER VMLINUZ INITRD CFG [SRC=NAME...]" >&2; exit 2; }
out=$1 loader=$2 kernel=$3 initrd=$4 cfg=$5
shift 5
for f in "$loader" "$kernel" "$initrd" "$cfg"; do
	[ -f "$f" ] || { echo "mkesp: $f: no such file" >&2; exit 1; }
done

# Size: the payload plus 16 MiB of slack, at least 64 MiB so FAT32 has
# enough clusters; the partition starts at 1 MiB.
kib=$(du -kc "$loader" "$kernel" "$initrd" "$cfg" | tail -1 | cut -f1)
for pair in "$@"; do kib=$((kib + $(du -k "${pair%%=*}" | cut -f1))); done
mib=$(( kib / 1024 + 16 ))
[ $mib -lt 64 ] && mib=64
tmp="$out.tmp"
rm -f "$tmp"
truncate -s $(( (mib + 2) * 1024 * 1024 )) "$tmp"
printf 'label: gpt\nstart=2048, size=%d, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="EFI System"\n' \
	$(( mib * 2048 )) | sfdisk --quiet "$tmp"
part="$tmp@@1M"
export MTOOLS_SKIP_CHECK=1
mformat -i "$part" -F -v MKHV-ESP -T $(( mib * 2048 )) -h 64 -s 32 ::
mmd -i "$part" ::/EFI ::/EFI/BOOT ::/EFI/mkhv
mcopy -i "$part" "$loader" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$part" "$kernel" ::/EFI/mkhv/vmlinuz
mcopy -i "$part" "$initrd" ::/EFI/mkhv/initrd.img
mcopy -i "$part" "$cfg" ::/EFI/mkhv/mkhv.cfg
for pair in "$@"; do
	mcopy -i "$part" "${pair%%=*}" "::/EFI/mkhv/${pair#*=}"
done
mv "$tmp" "$out"
