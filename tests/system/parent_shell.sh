# Helpers for system tests that type commands into the parent's shell on
# COM1 (source after lib.sh).  Same protocol as parent-hvctl.sh's run():
#
# prun NAME CMD [TIMEOUT]: runs CMD in the parent shell; its output lands
# in $T_LOGS/NAME.txt and its exit status in $T_LOGS/NAME.rc.  The markers
# are computed by the parent's shell ($((...))), so the echoed command
# line (which the console may wrap) never matches them.
PRUN_N=0
prun() {
	local name=$1 cmd=$2 timeout=${3:-60} inst=${PRUN_INST:-main} id log
	PRUN_N=$((PRUN_N + 1))
	id=$((5000 + PRUN_N))
	serial_send -n "$inst" "echo @@S-\$((5000+$PRUN_N)); $cmd; echo @@E-\$((5000+$PRUN_N))-rc=\$?"
	wait_for -n "$inst" "$timeout" "@@E-$id-rc=" || return 1
	log=$(log_path -n "$inst")
	awk -v s="@@S-$id" -v e="@@E-$id-rc=" \
		'$0 == s { p = 1; next } index($0, e) == 1 { p = 0 } p' \
		"$log" > "$T_LOGS/$name.txt"
	sed -n "s/^@@E-$id-rc=\([0-9]*\).*/\1/p" "$log" | tail -n 1 \
		> "$T_LOGS/$name.rc"
}
pout_has() { grep -qF -- "$2" "$T_LOGS/$1.txt"; }
prc_is() { [ "$(cat "$T_LOGS/$1.rc" 2>/dev/null)" = "$2" ]; }
