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

$(GUEST_INITRD): scripts/mkinitramfs.sh guest-drivers/initramfs/init \
		guest-drivers/initramfs/profile $(BUILD)/kernel/vmlinuz
	$(Q)scripts/mkinitramfs.sh -i guest-drivers/initramfs \
		$(if $(GUEST_MODULES),-k $(BUILD)/kernel/root -m "$(GUEST_MODULES)") $@
