# mkhv.ko: the parent partition's kernel module (/dev/mkhv), built out of
# tree against the Debian headers of the parent kernel:
#
#   $(BUILD)/parent/kmod/mkhv.ko
#
# The kernel release comes from $(BUILD)/kernel/version, which
# scripts/fetch-kernel.sh writes with the kernel ($(PARENT_KERNEL), a
# prerequisite); the headers are /usr/src/linux-headers-<release> from
# linux-headers-amd64 (`make deps`).  Kbuild runs in a copy of the sources under $(BUILD), so
# the source tree stays clean; -Werror comes from parent/kmod/Kbuild.

KMOD_DIR   := parent/kmod
KMOD_OUT   := $(BUILD)/parent/kmod
KMOD_KO    := $(KMOD_OUT)/mkhv.ko
KMOD_FILES := Kbuild mkhv_main.c mkhv_hvcall.c vm.c vm_synic.c vm.h \
	      mkhv_priv.h mkhv_validate.h
KMOD_SRCS  := $(addprefix $(KMOD_DIR)/,$(KMOD_FILES))
KMOD_HDRS  := include/mkhv/hvcall.h include/mkhv/hvcall_partition.h \
	      include/mkhv/mkhv_ioctl.h
# = $(PARENT_KERNEL), spelled out: parent/parent.mk is read after this
# fragment, and prerequisites are expanded when the rule is read.
KMOD_KERNEL := $(BUILD)/kernel/vmlinuz

ALL_TARGETS += $(KMOD_KO)
# The initramfs gets a copy without debug info (as Debian ships modules).
KMOD_KO_INITRD := $(KMOD_OUT)/initrd/mkhv.ko
PARENT_INITRD_FILES += $(KMOD_KO_INITRD)=/lib/modules/mkhv/mkhv.ko \
	$(KMOD_DIR)/10-mkhv=/etc/mkhv/init.d/10-mkhv

.PHONY: kmod kmod-clean
kmod: $(KMOD_KO)

$(KMOD_KO): $(KMOD_SRCS) $(KMOD_HDRS) $(KMOD_KERNEL) $(MKHV_VERSION_FILE) \
		$(KMOD_DIR)/kmod.mk
	@mkdir -p $(@D)
	$(Q)rel=$$(cat $(BUILD)/kernel/version) && \
	hdr=/usr/src/linux-headers-$$rel && \
	if [ ! -f "$$hdr/Makefile" ]; then \
		echo "kmod: $$hdr is missing: install linux-headers-$$rel" \
		     "(make deps installs it through linux-headers-amd64)" >&2; \
		exit 1; \
	fi && \
	cp $(KMOD_SRCS) $(@D)/ && \
	$(MAKE) --no-print-directory -C "$$hdr" M=$(abspath $(@D)) \
		MKHV_INCLUDE=$(abspath include) \
		MKHV_KMOD_VERSION=$(MKHV_VERSION) modules

$(KMOD_KO_INITRD): $(KMOD_KO)
	@mkdir -p $(@D)
	$(Q)strip --strip-debug -o $@ $<

kmod-clean:
	rm -rf $(KMOD_OUT)

# The module's pure checks (mkhv_validate.h) on the host.
KMOD_TEST := $(BUILD)/tests/unit/test_mkhv_validate
UNIT_TESTS += $(KMOD_TEST)

$(KMOD_TEST): tests/unit/test_mkhv_validate.c $(KMOD_DIR)/mkhv_validate.h $(KMOD_HDRS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) -I$(KMOD_DIR) $(CHECK_CFLAGS) -o $@ $< $(CHECK_LIBS)

# mkhv-vmbustest: the SynIC transport ioctls against the real hv, for
# tests/system/vmbus-hv.sh (static: the parent initramfs has no libc).
KMOD_VMBUSTEST := $(BUILD)/parent/mkhv-vmbustest
ALL_TARGETS += $(KMOD_VMBUSTEST)
PARENT_INITRD_FILES += $(KMOD_OUT)/mkhv-vmbustest.stripped=/usr/lib/mkhv/mkhv-vmbustest
SYSTEM_TESTS += tests/system/vmbus-hv.sh

$(KMOD_VMBUSTEST): $(KMOD_DIR)/vmbustest.c $(KMOD_DIR)/selftest.h $(KMOD_HDRS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) -pthread -static -o $@ $<

$(KMOD_OUT)/mkhv-vmbustest.stripped: $(KMOD_VMBUSTEST)
	@mkdir -p $(@D)
	$(Q)strip -o $@ $<
