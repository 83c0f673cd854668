#!/bin/bash
# loader-boot: hvloader reads mkhv.cfg, shows it, and (with
# `hypervisor = off`) boots the stock Debian parent kernel natively through
# its EFI stub into the project's initramfs shell; bad cfgs stop the boot
# with the documented error and never start the kernel.  The boot through
# the hypervisor is parent-boot.sh.
. "$(dirname "$0")/lib.sh"
test_init loader-boot

version=$(cat "$T_BUILD/version")
cfg_cmdline=$(sed -n 's/^cmdline *= *//p' "$T_ROOT/configs/mkhv.cfg")

# An ESP in $T_LOGS/NAME whose cfg is BASE-CFG-FILE plus extra lines.
make_esp() {   # name, base cfg, extra cfg text
	local dir="$T_LOGS/$1"
	mkdir -p "$dir"
	{ cat "$2"; printf '%s\n' "$3"; } > "$dir/mkhv.cfg"
	"$T_ROOT/scripts/mkesp.sh" "$dir/esp.img" "$T_BUILD/hvloader.efi" \
		"$T_BUILD/kernel/vmlinuz" "$T_BUILD/parent/initrd.img" \
		"$dir/mkhv.cfg" "$T_BUILD/hv.elf=hv.elf"
}
make_esp native "$T_ROOT/configs/mkhv.cfg" "hypervisor = off"
esp="$T_LOGS/native/esp.img"

# --- good configuration: all the way to a shell ------------------------
qemu_start "$esp"
check "loader banner with version $version" \
	wait_for 90 "mkhv hvloader $version"
check "cfg cmdline shown" log_has "mkhv: cfg: cmdline=\"$cfg_cmdline\""
check "cfg parent_memory shown" log_has "mkhv: cfg: parent_memory=1024 MiB"
check "cfg log_level shown" log_has "mkhv: cfg: log_level=info"
check "cfg hypervisor=off shown" \
	log_has "mkhv: cfg: hypervisor=off hv_serial=com2 on_fatal=halt"
check "handover to the parent kernel" \
	wait_for 30 "mkhv: starting parent kernel"
check "EFI stub loaded the initrd" \
	wait_for 60 "EFI stub: Loaded initrd from command line option"
check "kernel got the cfg cmdline and memory limit" \
	wait_for 60 "Kernel command line: initrd=\\EFI\\mkhv\\initrd.img $cfg_cmdline mem=1024M"
check "initramfs init ran" wait_for 120 "mkhv-parent: init done"
check "shell prompt" wait_for 30 "mkhv-parent# "
serial_send 'echo "MKHV-$((6 * 7))-OK $(cat /proc/meminfo | grep -c MemTotal)"'
check "shell runs a command" wait_for 30 "MKHV-42-OK 1"
serial_send 'exit'
check "shell exit powers off" wait_for 30 "mkhv-parent: shell exited"
qemu_exits 60
check "QEMU ended cleanly after poweroff (status '$Q_STATUS')" \
	test "$Q_STATUS" = 0

# --- bad configurations: documented error, kernel never starts ---------
bad_boot() {   # name, cfg line, expected error text
	local name=$1 line=$2 want=$3 dir="$T_LOGS/$1"
	mkdir -p "$dir"
	printf 'cmdline = %s\n' "$cfg_cmdline" > "$dir/base.cfg"
	make_esp "$name" "$dir/base.cfg" "$line"
	qemu_start -n "$name" "$dir/esp.img"
	check "$name: error names the line and the problem" \
		wait_for -n "$name" 90 "mkhv: error: \\EFI\\mkhv\\mkhv.cfg line 2: $want"
	check "$name: boot stopped" \
		wait_for -n "$name" 20 "mkhv: boot stopped"
	sleep 3
	check "$name: parent kernel never started" \
		eval '! log_has -n "$name" "mkhv: starting parent kernel" &&
		      ! log_has -n "$name" "Linux version"'
	qemu_stop -n "$name"
}
bad_boot bad-value "parent_memory = lots" \
	"bad value 'lots' for parent_memory (expected a size such as 512M or 2G)"
bad_boot unknown-key "memory = 1G" \
	"unknown key 'memory' (known keys: cmdline, parent_memory, log_level, hypervisor, hv_serial, on_fatal)"
bad_boot bad-serial "hv_serial = com9" \
	"bad value 'com9' for hv_serial (expected com1, com2 or none)"

test_finish
