#!/bin/sh
# Builds the parent partition's initramfs: busybox-static, mkhv's init,
# kernel modules with their dependencies, and any extra files given as
# SRC=DEST pairs (mkhv.ko, daemons, init.d scripts).
#
#   scripts/mkinitramfs.sh [-i INITDIR] [-k KERNEL_ROOT -m "mod1 mod2 ..."] OUT.img [SRC=DEST ...]
#
# INITDIR holds the image's `init` and `profile` (default parent/initramfs;
# the child image uses guest-drivers/initramfs).
# KERNEL_ROOT is the extracted kernel package (build/kernel/root, with
# modules.dep); the modules and everything they depend on are copied, and
# /etc/mkhv/modules lists them in load order for the init.
set -eu
kroot= mods= initdir=
while getopts i:k:m: opt; do
	case $opt in
	i) initdir=$OPTARG ;;
	k) kroot=$OPTARG ;;
	m) mods=$OPTARG ;;
	*) echo "usage: $0 [-i INITDIR] [-k KERNEL_ROOT -m MODULES] OUT [SRC=DEST...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
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
initdir=${initdir:-$here/parent/initramfs}
cp "$initdir/init" "$stage/init"
cp "$initdir/profile" "$stage/etc/profile"
chmod 755 "$stage/init"

# Modules: depth-first over modules.dep so dependencies load first.
if [ -n "$mods" ]; then
	rel=$(ls "$kroot/lib/modules")
	mdir="$kroot/lib/modules/$rel"
	[ -f "$mdir/modules.dep" ] || { echo "mkinitramfs: no modules.dep in $mdir" >&2; exit 1; }
	order="$stage/etc/mkhv/modules"
	: > "$order"
	add_module() {   # path relative to $mdir
		grep -qxF "$1" "$order" && return 0
		for dep in $(sed -n "s|^$1: *||p" "$mdir/modules.dep"); do
			add_module "$dep"
		done
		mkdir -p "$stage/lib/modules/$rel/$(dirname "$1")"
		cp "$mdir/$1" "$stage/lib/modules/$rel/$1"
		echo "$1" >> "$order"
	}
	for m in $mods; do
		path=$(grep -E "(^|/)$m\.ko(\.[a-z]+)?:" "$mdir/modules.dep" | cut -d: -f1)
		[ -n "$path" ] || { echo "mkinitramfs: module $m not found" >&2; exit 1; }
		add_module "$path"
	done
fi

for pair in "$@"; do
	src=${pair%%=*} dst=${pair#*=}
	mkdir -p "$stage/$(dirname "$dst")"
	cp -a "$src" "$stage/$dst"
done
mkdir -p "$(dirname "$out")"
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) |
	gzip -9n > "$out.tmp"
mv "$out.tmp" "$out"
