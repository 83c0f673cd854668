# Bochs helpers for the VMX system tests (source after lib.sh and after
# setting $esp_src): checks that bochs and OVMF exist, overrides
# qemu_running for Bochs, and defines bochs_start.  Used by
# parent-boot-vmx.sh and the other *-vmx.sh tests.
if ! command -v bochs > /dev/null; then
	echo "# bochs is not installed (apt-get install --no-install-recommends bochs bochs-term bochsbios vgabios)"
	check "bochs installed" false
	test_finish
fi
ovmf=$(mkhv_find_ovmf) || { check "OVMF found" false; test_finish; }

# lib.sh's qemu_running uses kill -0, which a zombie passes: Bochs is our
# child until qemu_stop reaps it, so check its state too.
qemu_running() {
	local pid=${Q_PID[${1:-main}]:-}
	[ -n "$pid" ] && kill -0 "$pid" 2> /dev/null &&
		[ "$(ps -o stat= -p "$pid" | cut -c1)" != Z ]
}

# bochs_start NAME MODEL CPUS COM1: boots a copy of the ESP (Bochs locks
# and may write its disk) as lib.sh instance NAME, logs in $T_LOGS[/NAME].
# COM1 is "socket" (a TCP socket-server bridged to com1.raw and com1.in,
# like QEMU's pipes in lib.sh) or "file"; COM2 is always a file.
bochs_start() {
	local name=$1 model=$2 n=$3 com1=$4 d=$T_LOGS com1cfg port
	[ "$name" = main ] || d=$T_LOGS/$name
	mkdir -p "$d"
	cp "$esp_src" "$d/esp.img"
	: > "$d/com1.raw"
	: > "$d/com2.raw"
	port=$(( 20000 + ($$ + ${#name}) % 20000 ))
	if [ "$com1" = socket ]; then
		com1cfg="mode=socket-server, dev=127.0.0.1:$port"
	else
		com1cfg="mode=file, dev=$d/com1.raw"
	fi
	cat > "$d/bochsrc" <<EOF
megs: 1536
cpu: model=$model, count=$n, ips=100000000, reset_on_triple_fault=0
romimage: file=$ovmf, address=0xffe00000
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
vga: extension=vbe
pci: enabled=1, chipset=i440fx
display_library: rfb, options="timeout=0"
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=disk, path=$d/esp.img, mode=flat
boot: disk
com1: enabled=1, $com1cfg
com2: enabled=1, mode=file, dev=$d/com2.raw
log: $d/bochs.log
panic: action=fatal
error: action=report
info: action=ignore
debug: action=ignore
mouse: enabled=0
clock: sync=none, time0=local
EOF
	printf 'c\n' > "$d/debugger.in"
	(cd "$d" && exec bochs -q -f "$d/bochsrc" < "$d/debugger.in" \
		> "$d/qemu.log" 2>&1) &
	Q_PID[$name]=$!
	Q_DIR[$name]=$d
	echo "#   bochs[$name] pid ${Q_PID[$name]}: $model x$n"
	[ "$com1" = socket ] || return 0
	rm -f "$d/com1.in"
	mkfifo "$d/com1.in"
	local connected= cats
	for _ in $(seq 1 100); do
		if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2> /dev/null; then
			connected=1
			break
		fi
		qemu_running "$name" || break
		sleep 0.2
	done
	check "$name: COM1 socket connected" test -n "$connected"
	[ -n "$connected" ] || return 0
	cat <&3 >> "$d/com1.raw" &
	cats=$!
	# Opened read-write, the FIFO never reports EOF: one cat serves
	# every serial_send and dies with the other bridge in qemu_stop.
	cat 0<> "$d/com1.in" >&3 &
	Q_CATS[$name]="$cats $!"
	exec 3>&-
}


# bochs_boot_parent: boot the ESP on $MKHV_BOCHS_MODEL (corei7_haswell_4770)
# with 2 CPUs (cpu0 the parent, cpu1 the child pool) to the parent's shell
# with mkhv.ko loaded; prints bochs_parent_boot_seconds.
bochs_boot_parent() {
	local start=$SECONDS
	bochs_start main "${MKHV_BOCHS_MODEL:-corei7_haswell_4770}" 2 socket
	check "hv chose the VMX backend" \
		wait_for -p com2 600 "virtualization backend: vmx"
	check "hv has a pool pCPU" \
		wait_for -p com2 300 "2 CPUs online: cpu0 runs the parent"
	check "parent shell prompt" \
		wait_for "${MKHV_BOCHS_TIMEOUT:-900}" "mkhv-parent# "
	check "init loaded mkhv.ko" log_has "mkhv-parent: mkhv.ko loaded"
	echo "bochs_parent_boot_seconds: $((SECONDS - start))"
}
