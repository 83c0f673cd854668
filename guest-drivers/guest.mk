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
GUEST_MODULES :=

ALL_TARGETS += $(GUEST_INITRD)
PARENT_INITRD_FILES += $(GUEST_INITRD)=/usr/share/mkhv/child/initrd.img \
		       $(BUILD)/kernel/vmlinuz=/usr/share/mkhv/child/vmlinuz

# Test tooling in the child image: the probe script and its module.
GUEST_PROBE_KO := $(BUILD)/guest/probe/mkhv_probe.ko
GUEST_FILES := guest-drivers/initramfs/probe=/etc/mkhv/init.d/50-probe \
	       $(GUEST_PROBE_KO)=/lib/modules/mkhv_probe.ko

$(GUEST_INITRD): scripts/mkinitramfs.sh guest-drivers/initramfs/init \
		guest-drivers/initramfs/profile guest-drivers/initramfs/probe \
		$(GUEST_PROBE_KO) $(BUILD)/kernel/vmlinuz
	$(Q)scripts/mkinitramfs.sh -i guest-drivers/initramfs \
		$(if $(GUEST_MODULES),-k $(BUILD)/kernel/root -m "$(GUEST_MODULES)") \
		$@ $(GUEST_FILES)

# mkhv_probe.ko: built out of tree against the child kernel's Debian
# headers (as parent/kmod/kmod.mk builds mkhv.ko), in a copy under $(BUILD).
$(GUEST_PROBE_KO): guest-drivers/tests/mkhv_probe.c guest-drivers/tests/Kbuild \
		$(BUILD)/kernel/vmlinuz
	@mkdir -p $(@D)
	$(Q)rel=$$(cat $(BUILD)/kernel/version) && \
	hdr=/usr/src/linux-headers-$$rel && \
	cp guest-drivers/tests/mkhv_probe.c guest-drivers/tests/Kbuild $(@D)/ && \
	$(MAKE) --no-print-directory -C "$$hdr" M=$(abspath $(@D)) modules && \
	strip --strip-debug $@
