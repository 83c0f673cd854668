# mkhv system-test library (sourced by tests/system/*.sh).
#
#   . "$(dirname "$0")/lib.sh"
#   test_init loader-boot            # logs go to build/test-logs/loader-boot/
#   qemu_start [-n NAME] [-s NSERIAL] ESP [extra qemu args...]
#   wait_for [-n NAME] [-p PORT] TIMEOUT FIXED-STRING  # 0 found, 1 not
#   serial_send [-n NAME] [-p PORT] "line"             # types a line
#   log_has [-n NAME] [-p PORT] FIXED-STRING           # already printed?
#   check "description" command...   # counts a pass or a fail
#   qemu_stop [-n NAME]              # ends QEMU (kept logs stay)
#   qemu_exits [-n NAME] TIMEOUT     # waits for QEMU to exit: Q_STATUS
#   test_finish                      # prints "N passed, N failed", exits
#
# Each QEMU instance NAME (default "main") logs serial port P (com1, com2..)
# to build/test-logs/<test>/[<NAME>/]<P>.log with ANSI escapes and CRs
# stripped; the raw stream is kept beside it as <P>.raw, QEMU's own stderr
# as qemu.log.  Input reaches a port through a FIFO pair (QEMU's "pipe"
# chardev), so tests can type into the guest's console.

set -u
T_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
T_BUILD=${BUILD:-build}
case "$T_BUILD" in /*) ;; *) T_BUILD="$T_ROOT/$T_BUILD" ;; esac
. "$T_ROOT/scripts/qemu.sh"

T_PASS=0
T_FAIL=0
declare -A Q_PID Q_DIR Q_CATS

test_init() {
	T_NAME=$1
	T_LOGS="$T_BUILD/test-logs/$T_NAME"
	rm -rf "$T_LOGS"
	mkdir -p "$T_LOGS"
	trap '_test_cleanup' EXIT
	echo "# $T_NAME: logs in ${T_LOGS#$T_ROOT/}"
}

_inst_opts() {   # parses -n/-p into INST and PORT, rest into ARGS
	INST=main PORT=com1 ARGS=()
	while [ $# -gt 0 ]; do
		case "$1" in
		-n) INST=$2; shift 2 ;;
		-p) PORT=$2; shift 2 ;;
		*) ARGS+=("$1"); shift ;;
		esac
	done
}

_strip() {       # raw serial stream -> readable log
	sed -e 's/\x1b\[[0-9;?=]*[A-Za-z]//g' -e 's/\x1b[()][A-Z0-9]//g' \
		-e 's/\r//g' "$1" > "$2.tmp" 2>/dev/null && mv "$2.tmp" "$2"
}

_refresh() {     # brings <port>.log up to date
	local d=${Q_DIR[$1]}
	[ -f "$d/$2.raw" ] && _strip "$d/$2.raw" "$d/$2.log"
	return 0
}

qemu_start() {
	local nser=1 i d
	INST=main
	while :; do
		case "$1" in
		-n) INST=$2; shift 2 ;;
		-s) nser=$2; shift 2 ;;
		*) break ;;
		esac
	done
	local esp=$1; shift
	if [ "$INST" = main ]; then d=$T_LOGS; else d=$T_LOGS/$INST; fi
	mkdir -p "$d"
	Q_DIR[$INST]=$d
	local serial=() cats=""
	for i in $(seq 1 "$nser"); do
		rm -f "$d/com$i.in" "$d/com$i.out"
		mkfifo "$d/com$i.in" "$d/com$i.out"
		: > "$d/com$i.raw"
		cat "$d/com$i.out" >> "$d/com$i.raw" &
		cats="$cats $!"
		serial+=(-chardev "pipe,id=com$i,path=$d/com$i"
			 -serial "chardev:com$i")
	done
	Q_CATS[$INST]=$cats
	# shellcheck disable=SC2046
	qemu-system-x86_64 $(mkhv_qemu_base_args "$esp") "${serial[@]}" \
		"$@" > "$d/qemu.log" 2>&1 &
	Q_PID[$INST]=$!
	echo "#   qemu[$INST] pid ${Q_PID[$INST]}: ${esp#$T_ROOT/}"
}

qemu_running() {
	local pid=${Q_PID[${1:-main}]:-}
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

log_has() {
	_inst_opts "$@"
	_refresh "$INST" "$PORT"
	grep -qF -- "${ARGS[0]}" "${Q_DIR[$INST]}/$PORT.log" 2>/dev/null
}

log_path() {
	_inst_opts "$@"
	_refresh "$INST" "$PORT"
	echo "${Q_DIR[$INST]}/$PORT.log"
}

_show_tail() {
	local f=${Q_DIR[$1]}/$2.log
	echo "#   --- last 25 lines of ${f#$T_ROOT/} ---"
	tail -n 25 "$f" 2>/dev/null | sed 's/^/#   | /'
	if [ -s "${Q_DIR[$1]}/qemu.log" ]; then
		echo "#   --- qemu.log ---"
		tail -n 5 "${Q_DIR[$1]}/qemu.log" | sed 's/^/#   | /'
	fi
}

wait_for() {
	_inst_opts "$@"
	local timeout=${ARGS[0]} pat=${ARGS[1]} start=$SECONDS
	while :; do
		if log_has -n "$INST" -p "$PORT" "$pat"; then
			return 0
		fi
		if ! qemu_running "$INST"; then
			sleep 0.2
			log_has -n "$INST" -p "$PORT" "$pat" && return 0
			echo "#   qemu[$INST] exited before '$pat' appeared"
			_show_tail "$INST" "$PORT"
			return 1
		fi
		if [ $((SECONDS - start)) -ge "$timeout" ]; then
			echo "#   timeout (${timeout}s) waiting for '$pat'"
			_show_tail "$INST" "$PORT"
			return 1
		fi
		sleep 0.5
	done
}

serial_send() {
	_inst_opts "$@"
	# A FIFO open blocks while nobody reads it: never wait on a dead QEMU.
	if ! qemu_running "$INST"; then
		echo "#   qemu[$INST] is not running: cannot type '${ARGS[0]}'"
		return 1
	fi
	timeout 10 bash -c 'printf "%s\n" "$1" > "$2"' _ "${ARGS[0]}" \
		"${Q_DIR[$INST]}/$PORT.in"
}

# free_tcp_port: a loopback TCP port nothing listens on right now.
free_tcp_port() {
	local p hex
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 40000))
		hex=$(printf ':%04X ' "$p")
		if ! grep -q "$hex" /proc/net/tcp /proc/net/tcp6 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	echo $((20000 + RANDOM % 40000))
}

check() {
	local what=$1; shift
	if "$@"; then
		T_PASS=$((T_PASS + 1))
		echo "ok   - $what"
	else
		T_FAIL=$((T_FAIL + 1))
		echo "FAIL - $what"
	fi
}

qemu_stop() {
	local inst=${2:-main}
	[ "${1:-}" = -n ] || inst=main
	local pid=${Q_PID[$inst]:-} i
	[ -n "$pid" ] || return 0
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null
		for i in $(seq 1 20); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.25
		done
		kill -9 "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	Q_PID[$inst]=
	sleep 0.2
	for p in ${Q_CATS[$inst]:-}; do kill "$p" 2>/dev/null; done
	for f in "${Q_DIR[$inst]}"/*.raw; do
		[ -f "$f" ] && _strip "$f" "${f%.raw}.log"
	done
	rm -f "${Q_DIR[$inst]}"/*.in "${Q_DIR[$inst]}"/*.out
}

# qemu_exits [-n NAME] TIMEOUT: waits up to TIMEOUT seconds for QEMU to
# exit by itself and stores its exit status in Q_STATUS (isa-debug-exit
# value v gives (v << 1) | 1).  Returns 1 on timeout.  Must run in the
# test's own shell (not in $(...)): only the parent shell can reap QEMU.
qemu_exits() {
	local inst=main limit
	[ "$1" = -n ] && { inst=$2; shift 2; }
	limit=$1
	local pid=${Q_PID[$inst]} start=$SECONDS
	Q_STATUS=
	while kill -0 "$pid" 2>/dev/null; do
		[ $((SECONDS - start)) -ge "$limit" ] && return 1
		sleep 0.5
	done
	wait "$pid"
	Q_STATUS=$?
	Q_PID[$inst]=
	for p in ${Q_CATS[$inst]:-}; do kill "$p" 2>/dev/null; done
	_refresh "$inst" com1
	return 0
}

_test_cleanup() {
	local i
	for i in "${!Q_PID[@]}"; do
		[ -n "${Q_PID[$i]}" ] && qemu_stop -n "$i"
	done
}

test_finish() {
	_test_cleanup
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ] && [ "$T_PASS" -gt 0 ]
	exit $?
}
