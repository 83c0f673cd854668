#!/bin/sh
# Expands dynamically linked programs into the SRC=DEST pairs that
# scripts/mkinitramfs.sh takes: each program's shared libraries (ldd's
# closure, symlinks resolved so the real file lands under the soname) and
# the dynamic loader.  The programs themselves are not printed: the caller
# lists them, so make sees them as prerequisites.
#
#   scripts/initrd-bins.sh BIN...             pairs for BIN's libraries
#   scripts/initrd-bins.sh -c "PAIRS" BIN...  check that PAIRS ships every
#                                             library BIN needs (exit 1
#                                             naming the missing ones)
#   scripts/initrd-bins.sh -r SCHEMA.rng      the schema and every .rng it
#                                             includes, as SRC=DEST pairs
#
# A program that does not exist yet is skipped (make calls this while
# parsing, before anything is built); use -c in a rule to catch a program
# that needs more than was listed.
set -eu

libs() {   # prints "path" for every library and the loader of $@
	for bin in "$@"; do
		[ -e "$bin" ] || continue
		out=$(ldd "$bin") || { echo "initrd-bins: ldd $bin failed" >&2; exit 1; }
		if echo "$out" | grep -q 'not found'; then
			echo "initrd-bins: $bin: $(echo "$out" | grep 'not found' | tr -s ' \t' ' ')" >&2
			exit 1
		fi
		echo "$out" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }
				   $1 ~ /^\// { print $1 }'
	done | LC_ALL=C sort -u
}

pairs() {
	for l in $(libs "$@"); do
		echo "$(readlink -f "$l")=$l"
	done
}

rng() {   # the schema and its <include href=...> closure (same directory)
	dir=$(dirname "$1") todo=$(basename "$1") seen=
	while [ -n "$(echo $todo)" ]; do
		set -- $todo
		f=$1; shift; todo=$*
		case " $seen " in *" $f "*) continue ;; esac
		[ -f "$dir/$f" ] || { echo "initrd-bins: $dir/$f missing" >&2; exit 1; }
		seen="$seen $f"
		todo="$todo $(sed -n 's/.*<include href="\([^"/]*\)".*/\1/p' "$dir/$f")"
	done
	for f in $seen; do
		echo "$dir/$f=$dir/$f"
	done
}

case "${1:-}" in
-r)
	[ $# -eq 2 ] || { echo "usage: $0 -r SCHEMA.rng" >&2; exit 2; }
	rng "$2"
	;;
-c)
	[ $# -ge 3 ] || { echo "usage: $0 -c PAIRS BIN..." >&2; exit 2; }
	have=$(echo $2); shift 2
	missing=
	for p in $(pairs "$@"); do
		case " $have " in *" $p "*) ;; *) missing="$missing ${p#*=}" ;; esac
	done
	if [ -n "$missing" ]; then
		echo "initrd-bins: the initramfs lacks libraries of $*:$missing (run make again)" >&2
		exit 1
	fi
	;;
-*|"")
	echo "usage: $0 [-c PAIRS | -r SCHEMA] BIN..." >&2
	exit 2
	;;
*)
	pairs "$@"
	;;
esac
