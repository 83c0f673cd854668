# Helpers of the tinyguest child tests (child-worker.sh on SVM,
# child-worker-vmx.sh on VMX); source after parent_shell.sh.
guest=/usr/share/mkhv/tinyguest.bzImage
pages=$((32 * 256))	# --memory 32

worker() {	# worker NAME [CMDLINE]: start in the background, pid in /tmp/NAME.pid
	run "start-$1" "hvworker --name $1 --memory 32 --vcpus 1 --kernel $guest --cmdline '${2:-console=ttyS0}' --console-log /tmp/$1.console > /tmp/$1.out 2>&1 & echo \$! > /tmp/$1.pid" 60
}
deleted() {	# how many times the hv logged "partition N deleted: all pages back"
	grep -c "^partition $1 deleted: $pages pages back to the parent" \
		"$(log_path -p com2)"
}

# Vector state isolation.  Two VPs on the one
# pool pCPU fill XMM0-15 (and YMM0-15 when the CPU has AVX) with different
# bytes and check them in a loop (tinyguest's "vecsP" mode): the hv must
# switch FPU/SSE/AVX state between them.
# vector_isolation SECONDS MIN_ROUNDS: each VP must report MIN_ROUNDS
# clean rounds in SECONDS and neither may see a foreign byte.
vector_isolation() {
	local secs=$1 min=$2
	worker vec1 "vecsA console=ttyS0"
	worker vec2 "vecsB console=ttyS0"
	run vec "sleep $secs; cat /tmp/vec1.console /tmp/vec2.console" $((secs + 120))
	grep "tinyguest: vec" "$T_LOGS/vec.txt" | sort | uniq -c | sed 's/^/#   | /'
	check "VP A kept its vector registers while sharing the pCPU with B" \
		eval '[ "$(grep -c "tinyguest: vec ok A" "$T_LOGS/vec.txt")" -ge '"$min"' ]'
	check "VP B kept its vector registers while sharing the pCPU with A" \
		eval '[ "$(grep -c "tinyguest: vec ok B" "$T_LOGS/vec.txt")" -ge '"$min"' ]'
	check "neither saw the other's vector state" \
		eval '! grep -q "vec CORRUPT" "$T_LOGS/vec.txt"'
	run vkill 'kill $(cat /tmp/vec1.pid) $(cat /tmp/vec2.pid); sleep 5; cat /proc/$(cat /tmp/vec1.pid)/status /proc/$(cat /tmp/vec2.pid)/status 2>/dev/null | grep -c State' 120
	check "both vector workers ended" out_line vkill "0"
}
