# Helpers of the tests that run domains through hvd and virsh in the
# parent (source after parent_shell.sh).

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
		console "$1" "$4"
		out_has "$1" "$2" && return 0
		sleep 2
	done
	return 1
}
