#!/bin/bash
# parent-virsh: the parent partition ships hvd and stock virsh.  One boot
# of build/esp.img in QEMU; in the parent shell, plain virsh (no -c:
# /etc/profile sets LIBVIRT_DEFAULT_URI) defines, lists, shows, dumps and
# undefines the example domain served by hvd's test backend.
. "$(dirname "$0")/lib.sh"
test_init parent-virsh

esp="$T_LOGS/esp.img"
cp "$T_BUILD/esp.img" "$esp"
qemu_start -s 2 "$esp"

check "hvd started by the parent's init" \
	wait_for 240 "hvd: running (pid"
check "parent shell" wait_for 120 "mkhv-parent# "

# Every command ends with a marker carrying its exit status, so a failing
# virsh shows up as RC=1 rather than as a timeout (split in the typed
# line, so the console's echo of the command does not match).
run() {   # tag command
	serial_send "$2; echo \"$1-R\"\"C=\$?\""
	wait_for 60 "$1-RC=" >/dev/null
}
run URI 'echo "URI=$LIBVIRT_DEFAULT_URI"'
check "LIBVIRT_DEFAULT_URI points at hvd" \
	log_has "URI=mkhv+unix:///system?socket=/run/mkhv/hvd-sock"

run DEFINE 'virsh define /etc/mkhv/examples/web1.xml'
check "virsh define web1.xml" \
	eval 'log_has "DEFINE-RC=0" && log_has "Domain '"'web1'"' defined from /etc/mkhv/examples/web1.xml"'

run LIST 'virsh list --all | sed "s/^/LIST: /"'
check "virsh list --all shows web1 shut off" \
	eval 'log_has "LIST-RC=0" && grep -Eq "^LIST: +- +web1 +shut off" "$(log_path)"'

run INFO 'virsh dominfo web1 | sed "s/^/INFO: /"'
check "virsh dominfo web1: name, uuid, state, 2 vCPUs, 512 MiB" \
	eval 'grep -Eq "^INFO: Name: +web1$" "$(log_path)" &&
	      grep -Eq "^INFO: UUID: +01234567-89ab-cdef-0123-456789abcdef$" "$(log_path)" &&
	      grep -Eq "^INFO: State: +shut off$" "$(log_path)" &&
	      grep -Eq "^INFO: CPU\(s\): +2$" "$(log_path)" &&
	      grep -Eq "^INFO: Max memory: +524288 KiB$" "$(log_path)"'

run DUMP 'virsh dumpxml web1 | sed "s/^/DUMP: /"'
check "virsh dumpxml web1: canonical hyperv domain with its kernel and disk" \
	eval 'grep -q "^DUMP: <domain type=.hyperv.>" "$(log_path)" &&
	      grep -q "^DUMP:     <kernel>/var/lib/mkhv/images/vmlinuz</kernel>" "$(log_path)" &&
	      grep -q "^DUMP:       <source file=./var/lib/mkhv/images/web1.qcow2./>" "$(log_path)" &&
	      grep -q "^DUMP: </domain>" "$(log_path)"'

run STATE 'ls /var/lib/mkhv/hvd | sed "s/^/STATE: /"'
check "hvd keeps web1.xml in /var/lib/mkhv/hvd" log_has "STATE: web1.xml"

run UNDEF 'virsh undefine web1'
check "virsh undefine web1" \
	eval 'log_has "UNDEF-RC=0" && log_has "Domain '"'web1'"' has been undefined"'

run GONE 'virsh dominfo web1'
check "web1 is gone: virsh error, exit 1" \
	eval 'log_has "GONE-RC=1" && log_has "error: failed to get domain '"'web1'"'"'

run LOG 'grep -c . /var/log/hvd.log | sed "s/^/LOGLINES=/"; grep -q "listening on /run/mkhv/hvd-sock" /var/log/hvd.log'
check "hvd logs to /var/log/hvd.log" log_has "LOG-RC=0"

serial_send 'exit'
qemu_exits 60
check "parent powers off (status '$Q_STATUS')" test "$Q_STATUS" = 0
test_finish
