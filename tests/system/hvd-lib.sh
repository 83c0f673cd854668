# Shared by the hvd system tests (sourced): a temporary socket and state
# dir, hvd on the test backend, and helpers that count passes/failures.
#
#   start_hvd [hvd args]   start hvd, wait until virsh gets an answer
#   stop_hvd               SIGTERM and reap it
#   ok NAME / bad NAME [DETAILS]
#   v NAME EXPECT_RC REGEX -- virsh args...
#   finish                 prints "N passed, N failed", exits 0 only if none failed
set -u

BUILD=${BUILD:-build}
HVD=${HVD:-$BUILD/parent/hvd}
PY=/usr/bin/python3
pass=0
fail=0

if [ ! -x "$HVD" ]; then
	echo "$(basename "$0"): $HVD not built (run make)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
command -v virsh >/dev/null || { echo "$(basename "$0"): virsh missing"; echo "0 passed, 1 failed"; exit 1; }

tmp=$(mktemp -d /tmp/hvd-test.XXXXXX)
sock=$tmp/hvd-sock
state=$tmp/state
uri="mkhv+unix:///system?socket=$sock"
hvd_pid=

cleanup() {
	[ -n "$hvd_pid" ] && kill "$hvd_pid" 2>/dev/null && wait "$hvd_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

ok()  { pass=$((pass + 1)); echo "ok   - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && sed 's/^/       /' <<<"$2"; }

# start_hvd [extra hvd args]: start hvd and wait until it answers (a socket
# file left by a killed hvd must not count as ready).
start_hvd() {
	"$HVD" --state-dir "$state" --socket "$sock" --backend test "$@" \
		>>"$tmp/hvd.log" 2>&1 &
	hvd_pid=$!
	for _ in $(seq 100); do
		timeout 5 virsh -c "$uri" uri >/dev/null 2>&1 && return 0
		kill -0 "$hvd_pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

stop_hvd() {
	kill "$hvd_pid" 2>/dev/null
	wait "$hvd_pid" 2>/dev/null
	hvd_pid=
}

# v NAME EXPECT_RC REGEX -- virsh args...: run virsh, check rc and output.
v() {
	local name=$1 want=$2 re=$3 out rc
	shift 4
	out=$(timeout 20 virsh -c "$uri" "$@" 2>&1)
	rc=$?
	if [ "$rc" != "$want" ]; then
		bad "$name (virsh $*: rc $rc, want $want)" "$out"
	elif [ -n "$re" ] && ! grep -Eq -- "$re" <<<"$out"; then
		bad "$name (virsh $*: output lacks /$re/)" "$out"
	else
		ok "$name"
	fi
}

finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit $?
}
