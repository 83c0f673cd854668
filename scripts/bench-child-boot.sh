#!/bin/bash
# make bench: child boots and idle cost, measured in one run.
#
#   child_boot_ratio          a child's boot (hvworker started in the parent
#                             -> "mkhv-child: init reached" on its console)
#                             divided by the same kernel, initramfs and
#                             command line booted directly by QEMU (-kernel,
#                             1 CPU, 256 MiB); cmdline "console=ttyS0 quiet"
#   child_boot_ratio_verbose  the same without "quiet": every console byte
#                             is two port intercepts to the worker
#   idle_exits_per_s          exits the hv takes for an idle child (at its
#                             shell prompt), from the hv's own counter
#
# Each side boots twice, alternating, and keeps its fastest boot (a shared,
# noisy machine).  The child's console goes to the parent's serial port, so
# the host sees both markers on a serial log and times them the same way.
. "$(dirname "$0")/bench_lib.sh" bench-child-boot child_boot_ratio

kernel="$T_BUILD/kernel/vmlinuz" initrd="$T_BUILD/guest/initrd.img"
quiet="console=ttyS0 quiet"
verbose="console=ttyS0"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# until_marker LOG PATTERN TIMEOUT_S: polls every 20 ms; prints the time.
until_marker() {
	local end=$(( $(now_ms) + $3 * 1000 ))
	while [ "$(now_ms)" -lt "$end" ]; do
		grep -qF -- "$2" "$1" 2>/dev/null && { now_ms; return 0; }
		sleep 0.02
	done
	return 1
}

native_boot() {	# NAME CMDLINE -> ms from QEMU start to the marker, 0 on failure
	local log="$T_LOGS/$1.log" t0 t1 pid
	: > "$log"
	t0=$(now_ms)
	qemu-system-x86_64 -machine q35 -accel tcg -cpu max -smp 1 -m 256 \
		-nodefaults -display none -no-reboot -kernel "$kernel" \
		-initrd "$initrd" -append "$2 mkhv.name=$1" \
		-serial "file:$log" &
	pid=$!
	t1=$(until_marker "$log" "init reached ($1)" 120) || t1=0
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ "$t1" -gt 0 ] && echo $((t1 - t0)) || echo 0
}

child_boot() {	# NAME CMDLINE -> ms from starting hvworker to the marker
	local t0 t1 com1
	com1="${Q_DIR[main]}/com1.raw"	# raw: log_path's copy lags behind
	t0=$(now_ms)
	serial_send "hvworker --name $1 --memory 256 --vcpus 1 --kernel /usr/share/mkhv/child/vmlinuz --initrd /usr/share/mkhv/child/initrd.img --cmdline '$2 mkhv.name=$1' --console-log /dev/ttyS0 > /tmp/$1.out 2>&1 & echo \$! > /tmp/$1.pid"
	t1=$(until_marker "$com1" "init reached ($1)" 180) || t1=0
	[ "$t1" -gt 0 ] && echo $((t1 - t0)) || echo 0
}

stop_child() {	# NAME: end the worker (its partition goes with it)
	run "stop-$1" "kill \$(cat /tmp/$1.pid); sleep 2" 30 >/dev/null
}

best() {	# keeps the smallest positive value of $1 and $2
	if [ "$1" -le 0 ]; then echo "$2"
	elif [ "$2" -le 0 ] || [ "$1" -lt "$2" ]; then echo "$1"
	else echo "$2"; fi
}

bench_boot_parent

bn=0 bc=0 vn=0 vc=0
for round in 1 2; do
	n=$(native_boot "n$round" "$quiet"); bn=$(best "$n" "$bn")
	c=$(child_boot "c$round" "$quiet"); bc=$(best "$c" "$bc")
	echo "# round $round quiet: native ${n} ms, child ${c} ms" >&2
	[ "$round" = 1 ] && {
		# The first child idles at its prompt: count the hv's exits.
		sleep 5
		run idle "kill -USR2 \$(cat /tmp/c1.pid); sleep 10; kill -USR2 \$(cat /tmp/c1.pid); sleep 1; grep 'stats' /tmp/c1.out" 60 >/dev/null
	}
	stop_child "c$round"
	n=$(native_boot "vn$round" "$verbose"); vn=$(best "$n" "$vn")
	c=$(child_boot "vc$round" "$verbose"); vc=$(best "$c" "$vc")
	echo "# round $round verbose: native ${n} ms, child ${c} ms" >&2
	stop_child "vc$round"
done
qemu_stop
trap - EXIT
[ "$bn" -gt 0 ] && [ "$bc" -gt 0 ] || fail "a boot did not reach its init"
exits=$(awk '/hvworker: stats/ { e[n++] = $6 } END { if (n >= 2) print e[n-1] - e[n-2]; else print -1 }' \
	"$T_LOGS/idle.txt")
awk -v n="$bn" -v c="$bc" -v vn="$vn" -v vc="$vc" -v e="$exits" 'BEGIN {
	printf "child_boot_ratio: %.3f\nchild_boot_ms: %d\nchild_boot_native_ms: %d\n", c / n, c, n
	if (vn > 0 && vc > 0)
		printf "child_boot_ratio_verbose: %.3f\n", vc / vn
	if (e >= 0)
		printf "idle_exits_per_s: %.1f\n", e / 10
	else
		print "idle_exits_per_s: failed (no stats lines)"
}'
