#!/bin/sh
# Runs each Check unit-test binary given as an argument; fails if any fails.
# CK_FORK stays at Check's default (fork) so a crashing test is reported as
# an error instead of killing the run.
set -u
fail=0
for t in "$@"; do
	echo "== $t"
	if ! "$t"; then
		echo "FAILED: $t" >&2
		fail=1
	fi
done
exit $fail
