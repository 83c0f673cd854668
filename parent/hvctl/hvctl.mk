# hvctl: mkhv-specific commands for the parent partition (/dev/mkhv).
#
#   $(BUILD)/parent/hvctl                  static binary (the parent
#                                          initramfs has no libc)
#   $(BUILD)/tests/unit/test_hvctl         Check suite of hvctl_fmt.c

HVCTL_DIR    := parent/hvctl
HVCTL_OUT    := $(BUILD)/parent/hvctl-obj
HVCTL        := $(BUILD)/parent/hvctl
HVCTL_CFLAGS := $(HOST_CFLAGS) -I$(HVCTL_DIR) -MMD -MP
HVCTL_TEST   := $(BUILD)/tests/unit/test_hvctl

ALL_TARGETS += $(HVCTL)
UNIT_TESTS  += $(HVCTL_TEST)
SYSTEM_TESTS += tests/system/parent-hvctl.sh
# The initramfs gets a stripped copy.
HVCTL_INITRD := $(HVCTL_OUT)/hvctl.stripped
PARENT_INITRD_FILES += $(HVCTL_INITRD)=/usr/sbin/hvctl

.PHONY: hvctl
hvctl: $(HVCTL)

$(HVCTL_OUT)/%.o: $(HVCTL_DIR)/%.c $(MKHV_VERSION_FILE)
	@mkdir -p $(@D)
	$(Q)$(CC) $(HVCTL_CFLAGS) -c -o $@ $<

$(HVCTL): $(HVCTL_OUT)/hvctl.o $(HVCTL_OUT)/hvctl_fmt.o
	@mkdir -p $(@D)
	$(Q)$(CC) -static -o $@ $^

$(HVCTL_INITRD): $(HVCTL)
	$(Q)strip -o $@ $<

$(HVCTL_TEST): tests/unit/test_hvctl.c $(HVCTL_OUT)/hvctl_fmt.o
	@mkdir -p $(@D)
	$(Q)$(CC) $(HVCTL_CFLAGS) $(CHECK_CFLAGS) -o $@ $^ $(CHECK_LIBS)

-include $(HVCTL_OUT)/*.d
