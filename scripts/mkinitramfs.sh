#!/bin/sh
# Builds the parent partition's initramfs: busybox-static, mkhv's init,
# and any extra files given as SRC=DEST pairs (modules, daemons).
#
#   scripts/mkinitramfs.sh OUT.img [SRC=DEST ...]
set -eu
out=$1; shift
# busybox-static installs /bin/busybox; the initramfs has no libc, so a
# dynamically linked busybox would not run there.
busybox=/bin/busybox
if [ ! -x "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
	echo "mkinitramfs: $busybox missing or not static (install busybox-static)" >&2
	exit 1
fi
here=$(cd "$(dirname "$0")/.." && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/sbin" "$stage/etc/mkhv/init.d" "$stage/root" \
	"$stage/proc" "$stage/sys" "$stage/dev" "$stage/run" "$stage/tmp"
cp "$busybox" "$stage/bin/busybox"
cp "$here/parent/initramfs/init" "$stage/init"
cp "$here/parent/initramfs/profile" "$stage/etc/profile"
chmod 755 "$stage/init"
for pair in "$@"; do
	src=${pair%%=*} dst=${pair#*=}
	mkdir -p "$stage/$(dirname "$dst")"
	cp -a "$src" "$stage/$dst"
done
mkdir -p "$(dirname "$out")"
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) |
	gzip -9n > "$out.tmp"
mv "$out.tmp" "$out"
