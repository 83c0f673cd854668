#!/bin/bash
# Benchmark (issue 6): N define+undefine pairs through stock virsh against
# hvd's test backend, divided by the same through virsh against libvirt's
# own test:///default driver, in one run.  Both sides run as a single virsh
# session fed from stdin, so the figure compares the servers, not process
# start-up.  Prints `define_1000_vs_virsh_test: X` (goal <= 1.0), and
# `define_1000_fsync_floor_seconds`: the same pairs' fsyncs alone, without
# hvd (what the durable state dir costs on this disk; docs/hvd.md).
set -eu

BUILD=${BUILD:-build}
HVD=${HVD:-$BUILD/parent/hvd}
N=${HVD_BENCH_N:-1000}
tmp=$(mktemp -d "${HVD_BENCH_DIR:-/tmp}/hvd-bench.XXXXXX")
hvd_pid=
cleanup() {
	[ -n "$hvd_pid" ] && kill "$hvd_pid" 2>/dev/null && wait "$hvd_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# One XML per side; the name differs per pair, so each define is new.
script() {  # $1 = domain type
	for i in $(seq 1 "$N"); do
		sed "s/@N@/b$i/; s/@T@/$1/" "$tmp/tmpl.xml" >"$tmp/$1-$i.xml"
		echo "define $tmp/$1-$i.xml"
		echo "undefine b$i"
	done
}
cat >"$tmp/tmpl.xml" <<'XML'
<domain type='@T@'>
  <name>@N@</name>
  <memory unit='MiB'>512</memory>
  <vcpu>2</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
    <kernel>/var/lib/mkhv/vmlinuz</kernel>
  </os>
</domain>
XML
script hyperv >"$tmp/hvd.cmds"
script test >"$tmp/test.cmds"

"$HVD" --state-dir "$tmp/state" --socket "$tmp/sock" --backend test \
	>"$tmp/hvd.log" 2>&1 &
hvd_pid=$!
uri="mkhv+unix:///system?socket=$tmp/sock"
for _ in $(seq 100); do
	virsh -c "$uri" uri >/dev/null 2>&1 && break
	sleep 0.1
done

run() {  # $1 = uri, $2 = commands; prints seconds
	local t0 t1 ok
	t0=$(date +%s.%N)
	ok=$(virsh -c "$1" <"$2" 2>&1 | grep -c 'has been undefined' || true)
	t1=$(date +%s.%N)
	[ "$ok" = "$N" ] || { echo "hvd-define-bench: only $ok of $N pairs worked on $1" >&2; exit 1; }
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }'
}

# What durability alone costs here: the state dir's three fsyncs per pair
# (temp file, directory after the rename, directory after the unlink),
# with no RPC and no XML, in the same file system.
disk_floor() {
	"${PY:-python3}" - "$1" "$N" <<'PY'
import os, sys, time
d, n = sys.argv[1], int(sys.argv[2])
os.makedirs(d)
dfd = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
data = open(sys.argv[1] + "/../tmpl.xml", "rb").read()
t0 = time.perf_counter()
for i in range(n):
    tmp, dst = f"{d}/.b{i}.xml.tmp", f"{d}/b{i}.xml"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.write(fd, data)
    os.fsync(fd)
    os.close(fd)
    os.rename(tmp, dst)
    os.fsync(dfd)
    os.unlink(dst)
    os.fsync(dfd)
print(f"{time.perf_counter() - t0:.6f}")
PY
}

t_hvd=$(run "$uri" "$tmp/hvd.cmds")
t_test=$(run "test:///default" "$tmp/test.cmds")
t_disk=$(disk_floor "$tmp/floor")
printf 'define_%d_hvd_seconds: %.3f\n' "$N" "$t_hvd"
printf 'define_%d_virsh_test_seconds: %.3f\n' "$N" "$t_test"
printf 'define_%d_fsync_floor_seconds: %.3f\n' "$N" "$t_disk"
awk -v n="$N" -v a="$t_hvd" -v b="$t_test" \
	'BEGIN { printf "define_%d_vs_virsh_test: %.2f\n", n, a / b }'
