# Helpers for system tests that type commands into the parent's shell on
# COM1 (source after lib.sh).
#
# run NAME CMD [TIMEOUT]: runs CMD in the parent shell (of QEMU instance
# $RUN_INST, default main); its output lands in $T_LOGS/NAME.txt and its
# exit status in $T_LOGS/NAME.rc.  The start/end markers are computed by
# the shell ($((...))), so the echoed command line (which the console may
# wrap) never matches them.
RUN_N=0
run() {
	local name=$1 cmd=$2 timeout=${3:-60} inst=${RUN_INST:-main} id log
	RUN_N=$((RUN_N + 1))
	id=$((1000 + RUN_N))
	serial_send -n "$inst" "echo @@S-\$((1000+$RUN_N)); $cmd; echo @@E-\$((1000+$RUN_N))-rc=\$?"
	wait_for -n "$inst" "$timeout" "@@E-$id-rc=" || return 1
	log=$(log_path -n "$inst")
	awk -v s="@@S-$id" -v e="@@E-$id-rc=" \
		'$0 == s { p = 1; next } index($0, e) == 1 { p = 0 } p' \
		"$log" > "$T_LOGS/$name.txt"
	sed -n "s/^@@E-$id-rc=\([0-9]*\).*/\1/p" "$log" | tail -n 1 \
		> "$T_LOGS/$name.rc"
}
out_has() { grep -qF -- "$2" "$T_LOGS/$1.txt"; }
out_line() { grep -qxF -- "$2" "$T_LOGS/$1.txt"; }
rc_is() { [ "$(cat "$T_LOGS/$1.rc" 2>/dev/null)" = "$2" ]; }

# console OUT [DOMAIN]: DOMAIN's console log (hvd keeps it in
# /var/log/mkhv/DOMAIN.console) into $T_LOGS/OUT.txt; DOMAIN defaults to OUT.
console() {
	run "$1" "cat /var/log/mkhv/${2:-$1}.console"
}

# until_console OUT PATTERN TIMEOUT [DOMAIN]: poll the console log until
# it holds PATTERN (about TIMEOUT seconds).
until_console() {
	local i
	for i in $(seq 1 $(($3 / 3))); do
		console "$1" "${4:-}"
		out_has "$1" "$2" && return 0
		sleep 2
	done
	return 1
}
