# Shared QEMU settings for `make run` and the system tests (sourced).
#
# mkhv_qemu_base_args ESP: prints the machine arguments every mkhv boot
# uses: q35, OVMF, TCG with SVM+NPT, 2 CPUs, the ESP on a virtio disk,
# no default devices, no reboot (a guest reset ends QEMU), and the ISA
# debug-exit port 0xf4 for exit codes.  Override with the environment:
#   MKHV_QEMU      qemu binary           (qemu-system-x86_64)
#   MKHV_QEMU_CPU  -cpu model            (max: TCG's SVM with NPT)
#   MKHV_QEMU_SMP  CPU count             (2)
#   MKHV_QEMU_MEM  RAM                   (2048)
#   MKHV_OVMF      OVMF firmware image   (first found of the usual paths)

mkhv_find_ovmf() {
	for f in "${MKHV_OVMF:-}" /usr/share/ovmf/OVMF.fd \
		/usr/share/qemu/OVMF.fd /usr/share/OVMF/OVMF.fd; do
		[ -n "$f" ] && [ -f "$f" ] && { echo "$f"; return 0; }
	done
	echo "mkhv: no OVMF firmware found (install ovmf)" >&2
	return 1
}

mkhv_qemu_base_args() {
	local esp=$1 ovmf
	ovmf=$(mkhv_find_ovmf) || return 1
	echo -machine q35 -accel tcg \
		-cpu "${MKHV_QEMU_CPU:-max}" \
		-smp "${MKHV_QEMU_SMP:-2}" -m "${MKHV_QEMU_MEM:-2048}" \
		-bios "$ovmf" -nodefaults -display none -no-reboot \
		-drive "if=none,id=esp,format=raw,file=$esp" \
		-device virtio-blk-pci,drive=esp,bootindex=0 \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04
}
