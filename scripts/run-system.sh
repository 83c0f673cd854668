#!/bin/sh
# Runs each system test script given as an argument, one after another
# (QEMU TCG wants a whole core).  Prints a summary and fails if any failed.
set -u
pass=0 failed=""
for t in "$@"; do
	echo "== $t"
	start=$(date +%s)
	if bash "$t"; then
		pass=$((pass + 1))
	else
		failed="$failed $t"
	fi
	echo "   ($t took $(( $(date +%s) - start )) s)"
done
n=$(echo $failed | wc -w)
echo "system tests: $pass passed, $n failed${failed:+ (}${failed# }${failed:+)}"
[ -z "$failed" ]
