# The parent partition's image: the stock Debian kernel (fetched from the
# archive, matching linux-headers-amd64) and the initramfs built here.
#
# Fragments add files to the initramfs with
#   PARENT_INITRD_FILES += <built file>=<path in the initramfs>
# (the rule that uses the list lives in the top-level Makefile, after every
# fragment is read).

PARENT_KERNEL   := $(BUILD)/kernel/vmlinuz
PARENT_INITRD   := $(BUILD)/parent/initrd.img
# Not reset here: fragments sorted before this one (parent/hvd/, parent/kmod/)
# have already appended to it.
PARENT_INITRD_FILES ?=

# Stock drivers for the devices the parent owns in QEMU and on common
# servers (their dependencies come along).
PARENT_MODULES := virtio_pci virtio_blk virtio_net nvme e1000e

.PHONY: FORCE
FORCE:

# The script is cheap when the kernel is current and leaves vmlinuz's
# mtime alone, so dependents rebuild only when the kernel really changed.
$(PARENT_KERNEL): FORCE
	$(Q)scripts/fetch-kernel.sh $(BUILD)/kernel
