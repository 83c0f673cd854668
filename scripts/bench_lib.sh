#!/bin/bash
# What the make bench scripts that boot mkhv under QEMU share:
#
#   . "$(dirname "$0")/bench_lib.sh" NAME FIGURE
#
# sources the system tests' lib.sh and parent_shell.sh (run, console, ...),
# starts test NAME (logs in build/test-logs/NAME), and defines
#   fail WHY                  prints make bench's line "FIGURE: failed (WHY;
#                             logs in ...)" and exits 1
#   bench_boot_parent [-s N] [QEMU_ARGS...]
#                             boots build/esp.img (a copy; -s N: serial
#                             ports, QEMU_ARGS: more devices, MKHV_QEMU_SMP
#                             from the caller) to the parent's shell, kernel
#                             messages off its console, or fails
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../tests/system/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../tests/system/parent_shell.sh"
test_init "$1" >/dev/null
BENCH_FIGURE=$2

fail() {
	echo "$BENCH_FIGURE: failed ($1; logs in ${T_LOGS#$T_ROOT/})"
	exit 1
}

bench_boot_parent() {
	local esp="$T_LOGS/esp.img" opts=()

	if [ "${1:-}" = -s ]; then
		opts=(-s "$2")
		shift 2
	fi
	cp "$T_BUILD/esp.img" "$esp"
	qemu_start "${opts[@]}" "$esp" "$@" >/dev/null
	wait_for 300 "mkhv-parent# " >/dev/null || fail "the parent did not boot"
	serial_send "dmesg -n 1"
}
