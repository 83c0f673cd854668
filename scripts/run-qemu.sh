#!/bin/bash
# `make run`: boots an ESP image in QEMU with the serial console on this
# terminal.  Ctrl-a x quits QEMU; exiting the parent shell powers off.
# The image is copied first so a session never alters the build output.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/qemu.sh"
esp=${1:?usage: run-qemu.sh ESP.img}
tmp=$(mktemp --suffix=.img)
trap 'rm -f "$tmp"' EXIT
cp "$esp" "$tmp"
echo "mkhv: booting $esp in QEMU (Ctrl-a x quits)" >&2
# shellcheck disable=SC2046
# The parent's NIC: QEMU's user network; the parent bridges it for its
# children (30-bridge), and the demo child's web page is on the host at
# 127.0.0.1:${MKHV_RUN_HTTP_PORT:-8080}.
qemu-system-x86_64 $(mkhv_qemu_base_args "$tmp") -serial mon:stdio \
	-netdev "user,id=net0,hostfwd=tcp:127.0.0.1:${MKHV_RUN_HTTP_PORT:-8080}-10.0.2.21:80" \
	-device virtio-net-pci,netdev=net0 \
	${MKHV_QEMU_EXTRA:-}
