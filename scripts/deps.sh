#!/bin/sh
# Checks for, and installs, the Debian 12 packages mkhv needs.
#
#   scripts/deps.sh check    install what is missing when run as root;
#                            otherwise print the apt-get line and fail
#   scripts/deps.sh install  same, but always try to install
#   scripts/deps.sh list     print the package list
#
# Idempotent: when everything is present it only runs dpkg-query.
set -eu

PACKAGES="
build-essential pkg-config git
gnu-efi
bochs bochsbios vgabios bochs-term
qemu-system-x86 qemu-utils ovmf
mtools dosfstools cpio fdisk kmod
busybox-static hyperv-daemons nftables dnsmasq-base
acpica-tools
libxml2-dev libxml2-utils
libvirt-dev libvirt-clients python3-libvirt
libtirpc-dev rpcsvc-proto
check
clang
linux-headers-amd64
"

missing() {
	for p in $PACKAGES; do
		s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		case "$s" in
		*" installed") ;;
		*) printf '%s ' "$p" ;;
		esac
	done
}

cmd=${1:-check}
case "$cmd" in
list) echo $PACKAGES; exit 0 ;;
check|install) ;;
*) echo "usage: $0 check|install|list" >&2; exit 2 ;;
esac

m=$(missing)
[ -z "$m" ] && exit 0

line="apt-get install -y --no-install-recommends $m"
if [ "$(id -u)" != 0 ]; then
	echo "mkhv: missing Debian packages. As root, run:" >&2
	echo "  apt-get update && $line" >&2
	exit 1
fi
echo "mkhv: installing missing packages: $m" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $m >&2
m=$(missing)
if [ -n "$m" ]; then
	echo "mkhv: still missing after apt-get: $m" >&2
	exit 1
fi
