#!/bin/sh
# Fetches the stock Debian kernel that matches the installed
# linux-headers-amd64 metapackage into $OUT (default build/kernel), straight
# from the package archive (apt-get download + dpkg-deb -x), never from this
# machine's /boot, so every machine and CI get the same kernel and modules.
#
# Result:
#   $OUT/vmlinuz                  the EFI-stub bzImage
#   $OUT/version                  the kernel release, e.g. 6.1.0-56-amd64
#   $OUT/root/lib/modules/<rel>/  its modules, with modules.dep
set -eu
OUT=${1:-build/kernel}

dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null) || {
	echo "fetch-kernel: linux-headers-amd64 is not installed (run make deps)" >&2
	exit 1
}
# "linux-headers-6.1.0-56-amd64 (= 6.1.158-1)" -> 6.1.0-56-amd64
rel=$(echo "$dep" | sed -n 's/.*linux-headers-\([0-9][^ ,]*-amd64\).*/\1/p')
[ -n "$rel" ] || { echo "fetch-kernel: cannot parse '$dep'" >&2; exit 1; }

if [ -f "$OUT/version" ] && [ "$(cat "$OUT/version")" = "$rel" ] &&
   [ -f "$OUT/vmlinuz" ]; then
	exit 0
fi

echo "fetch-kernel: linux-image-$rel from the Debian archive" >&2
rm -rf "$OUT"
mkdir -p "$OUT/deb"
# A machine whose package lists are missing or stale needs an update
# first (root only; otherwise say what to run).
if ! (cd "$OUT/deb" && apt-get download -q "linux-image-$rel" >&2); then
	if [ "$(id -u)" = 0 ]; then
		apt-get update -q >&2
		(cd "$OUT/deb" && apt-get download -q "linux-image-$rel" >&2)
	fi || {
		echo "fetch-kernel: 'apt-get download linux-image-$rel' failed;" \
		     "run 'apt-get update' (and make deps) and retry" >&2
		exit 1
	}
fi
dpkg-deb -x "$OUT"/deb/linux-image-"$rel"_*.deb "$OUT/root"
# The package ships no modules.dep (its postinst runs depmod): build it.
/sbin/depmod -b "$OUT/root" "$rel"
cp "$OUT/root/boot/vmlinuz-$rel" "$OUT/vmlinuz"
echo "$rel" > "$OUT/version"
rm -rf "$OUT/deb"
