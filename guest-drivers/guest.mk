# The child image mkhv ships in the parent for demos and tests: the same
# stock Debian kernel the parent boots (unmodified) and a busybox
# initramfs whose init reports what the child sees (guest-drivers/initramfs).
#
#   $(BUILD)/guest/initrd.img  ->  /usr/share/mkhv/child/initrd.img
#   $(BUILD)/kernel/vmlinuz    ->  /usr/share/mkhv/child/vmlinuz
#
# (parent/parent.mk, which defines PARENT_KERNEL, is read after this
# fragment: the kernel path is spelled out.)

GUEST_INITRD  := $(BUILD)/guest/initrd.img
# dummy: one dummy0 interface, which vmbus.sh gives an address (mkhv.addr=)
# for KVP to report.
GUEST_MODULES := hv_vmbus hv_utils dummy
# Synthetic SCSI (issue 10): hv_storvsc (+ scsi_transport_fc, scsi_mod) and sd.
GUEST_MODULES += hv_storvsc sd_mod
# Prints the VMBus version and devices the child found (mkhv-child: lines);
# /sbin/poweroff and /sbin/reboot for the shutdown integration service's
# orderly_poweroff() / orderly_reboot().
GUEST_VMBUS_REPORT := guest-drivers/initramfs/vmbus-devices=/etc/mkhv/init.d/40-vmbus-devices \
	guest-drivers/initramfs/orderly-shutdown=/sbin/poweroff \
	guest-drivers/initramfs/orderly-shutdown=/sbin/reboot \
	guest-drivers/initramfs/storage=/etc/mkhv/init.d/45-storage \
	guest-drivers/initramfs/vmbus-tests=/etc/mkhv/init.d/45-vmbus-tests

# hv_kvp_daemon (Debian's hyperv-daemons) for the KVP integration service,
# with the two libraries it links (the image has no libc otherwise) and
# the init.d script that starts it.  Left out, with a warning, on a build
# machine without hyperv-daemons.
GUEST_KVP_DAEMON := $(wildcard /usr/sbin/hv_kvp_daemon)
ifneq ($(GUEST_KVP_DAEMON),)
GUEST_FILES := $(GUEST_KVP_DAEMON)=/usr/sbin/hv_kvp_daemon \
	$(realpath /lib/x86_64-linux-gnu/libc.so.6)=/lib/x86_64-linux-gnu/libc.so.6 \
	$(realpath /lib64/ld-linux-x86-64.so.2)=/lib64/ld-linux-x86-64.so.2 \
	guest-drivers/initramfs/kvp-daemon=/etc/mkhv/init.d/50-kvp-daemon
else
$(warning hv_kvp_daemon not found (install hyperv-daemons): the child image has no KVP daemon)
GUEST_FILES :=
endif

ALL_TARGETS += $(GUEST_INITRD)
PARENT_INITRD_FILES += $(GUEST_INITRD)=/usr/share/mkhv/child/initrd.img \
		       $(BUILD)/kernel/vmlinuz=/usr/share/mkhv/child/vmlinuz

# Test tooling in the child image: the probe script and its module, the
# hostile VMBus guest (vmbus-hostile.sh) and its script.
GUEST_PROBE_KO := $(BUILD)/guest/probe/mkhv_probe.ko
GUEST_HOSTILE_KO := $(BUILD)/guest/probe/mkhv_hostile.ko
GUEST_TEST_FILES := guest-drivers/initramfs/probe=/etc/mkhv/init.d/60-probe \
		    $(GUEST_PROBE_KO)=/lib/modules/mkhv_probe.ko \
		    guest-drivers/initramfs/hostile=/etc/mkhv/init.d/70-hostile \
		    $(GUEST_HOSTILE_KO)=/lib/modules/mkhv_hostile.ko

$(GUEST_INITRD): scripts/mkinitramfs.sh guest-drivers/initramfs/init \
		guest-drivers/initramfs/profile guest-drivers/initramfs/probe \
		guest-drivers/initramfs/kvp-daemon guest-drivers/initramfs/vmbus-devices \
		guest-drivers/initramfs/orderly-shutdown guest-drivers/initramfs/storage \
		guest-drivers/initramfs/vmbus-tests \
		$(GUEST_KVP_DAEMON) \
		$(GUEST_PROBE_KO) $(GUEST_HOSTILE_KO) guest-drivers/initramfs/hostile \
		$(BUILD)/kernel/vmlinuz
	$(Q)scripts/mkinitramfs.sh -i guest-drivers/initramfs \
		$(if $(GUEST_MODULES),-k $(BUILD)/kernel/root -m "$(GUEST_MODULES)") \
		$@ $(GUEST_VMBUS_REPORT) $(GUEST_FILES) $(GUEST_TEST_FILES)

# mkhv_probe.ko and mkhv_hostile.ko: built out of tree against the child
# kernel's Debian headers (as parent/kmod/kmod.mk builds mkhv.ko), in a
# copy under $(BUILD); one kbuild run makes both.
$(GUEST_PROBE_KO): guest-drivers/tests/mkhv_probe.c guest-drivers/tests/mkhv_hostile.c \
		guest-drivers/tests/Kbuild $(BUILD)/kernel/vmlinuz
	@mkdir -p $(@D)
	$(Q)rel=$$(cat $(BUILD)/kernel/version) && \
	hdr=/usr/src/linux-headers-$$rel && \
	cp guest-drivers/tests/mkhv_probe.c guest-drivers/tests/mkhv_hostile.c \
		guest-drivers/tests/Kbuild $(@D)/ && \
	$(MAKE) --no-print-directory -C "$$hdr" M=$(abspath $(@D)) modules && \
	strip --strip-debug $@ $(GUEST_HOSTILE_KO)

$(GUEST_HOSTILE_KO): $(GUEST_PROBE_KO)
