# hvworker: the per-VM worker process of the parent (DESIGN §1).
#
#   $(BUILD)/parent/hvworker                static binary (the parent
#                                           initramfs has no libc)
#   $(BUILD)/tests/unit/test_hvworker_*     Check suites, one per core file
#
# The DSDT is compiled from parent/worker/dsdt.asl with iasl (acpica-tools)
# and embedded as a C array.  hv/bzimage.c, the hv's portable bzImage
# parser, is built once more for userspace (MKHV_HOST_TEST: libc string
# functions; printk from hv_shim.c).

WORKER_DIR    := parent/worker
WORKER_OUT    := $(BUILD)/parent/worker-obj
HVWORKER      := $(BUILD)/parent/hvworker
WORKER_CFLAGS := $(HOST_CFLAGS) -Ihv/include -Ivmbus -DMKHV_HOST_TEST -pthread -MMD -MP

# The VM core (no /dev/mkhv): what the unit tests link.
WORKER_CORE   := guest acpi_tables linux_loader multiboot uart rtc ioapic mmio_decode vmm worker hv_shim
# hvd's control channel (--control-fd)
WORKER_CORE   += control worker_vmbus
WORKER_CORE_OBJS := $(patsubst %,$(WORKER_OUT)/%.o,$(WORKER_CORE)) \
		    $(WORKER_OUT)/bzimage.o $(WORKER_OUT)/dsdt_aml.o
WORKER_MAIN_OBJS := $(WORKER_OUT)/hvworker.o $(WORKER_OUT)/mkhv_backend.o \
		    $(WORKER_OUT)/vmbus_transport.o
# The VMBus server (parent/worker/vmbus.mk and vmbus/vmbus.mk, both read
# before this fragment).
WORKER_VMBUS_LIBS := $(VMBUS_HOST_OBJS) $(STORVSP_OBJS) $(BUILD)/vmbus/libvmbus.a

ALL_TARGETS += $(HVWORKER)
HVWORKER_INITRD := $(WORKER_OUT)/hvworker.stripped
PARENT_INITRD_FILES += $(HVWORKER_INITRD)=/usr/sbin/hvworker

.PHONY: hvworker hvworker-check
hvworker: $(HVWORKER)

$(WORKER_OUT)/%.o: $(WORKER_DIR)/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(WORKER_CFLAGS) -c -o $@ $<

$(WORKER_OUT)/bzimage.o: hv/bzimage.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(WORKER_CFLAGS) -c -o $@ $<

# iasl writes <name>.aml next to -p; od (coreutils) makes the C array.
$(WORKER_OUT)/dsdt.aml: $(WORKER_DIR)/dsdt.asl
	@mkdir -p $(@D)
	$(Q)iasl -vs -vi -p $(WORKER_OUT)/dsdt $< >$(WORKER_OUT)/iasl.log 2>&1 || \
		{ cat $(WORKER_OUT)/iasl.log >&2; exit 1; }

$(WORKER_OUT)/dsdt_aml.c: $(WORKER_OUT)/dsdt.aml
	$(Q){ echo '/* generated from parent/worker/dsdt.asl by iasl */'; \
	      echo 'const unsigned char hvworker_dsdt_aml[] = {'; \
	      od -An -v -tx1 $< | sed 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	      echo '};'; \
	      echo "const unsigned int hvworker_dsdt_aml_len = $$(stat -c %s $<);"; \
	    } > $@

$(WORKER_OUT)/dsdt_aml.o: $(WORKER_OUT)/dsdt_aml.c
	$(Q)$(CC) $(HOST_CFLAGS) -c -o $@ $<

$(HVWORKER): $(WORKER_MAIN_OBJS) $(WORKER_CORE_OBJS) $(WORKER_VMBUS_LIBS)
	@mkdir -p $(@D)
	$(Q)$(CC) -static -pthread -o $@ $^

$(HVWORKER_INITRD): $(HVWORKER)
	$(Q)strip -o $@ $<

# tinyguest: a 1.6 KiB bzImage (header + 64-bit code that prints a line on
# the UART and writes S5), shipped in the parent for tests and demos.
TINYGUEST := $(WORKER_OUT)/tinyguest.bzImage
ALL_TARGETS += $(TINYGUEST)
PARENT_INITRD_FILES += $(TINYGUEST)=/usr/share/mkhv/tinyguest.bzImage

$(WORKER_OUT)/tinyguest.o: $(WORKER_DIR)/tinyguest.S
	@mkdir -p $(@D)
	$(Q)$(CC) -c -o $@ $<

$(TINYGUEST): $(WORKER_OUT)/tinyguest.o
	$(Q)objcopy -O binary -j .text $< $@

# mkhv-vmtest: mkhv.ko's VM ioctls, good and hostile, for child-worker.sh.
VMTEST := $(BUILD)/parent/mkhv-vmtest
ALL_TARGETS += $(VMTEST)
PARENT_INITRD_FILES += $(WORKER_OUT)/mkhv-vmtest.stripped=/usr/lib/mkhv/mkhv-vmtest

$(WORKER_OUT)/vmtest.o: parent/kmod/selftest.h
$(VMTEST): $(WORKER_OUT)/vmtest.o
	$(Q)$(CC) -static -o $@ $^

$(WORKER_OUT)/mkhv-vmtest.stripped: $(VMTEST)
	$(Q)strip -o $@ $<

# ---- unit tests ----
WORKER_TESTS := acpi_tables linux_loader uart rtc vmm worker
WORKER_TESTS += control
WORKER_TEST_BINS := $(patsubst %,$(BUILD)/tests/unit/test_hvworker_%,$(WORKER_TESTS))
UNIT_TESTS += $(WORKER_TEST_BINS)

# The loader tests boot the real parent kernel image (parent/parent.mk
# is read after this fragment: the path is spelled out).
WORKER_TEST_KERNEL := $(BUILD)/kernel/vmlinuz

$(BUILD)/tests/unit/test_hvworker_%: tests/unit/test_hvworker_%.c \
		tests/unit/hvworker_fake.h $(WORKER_CORE_OBJS) $(WORKER_VMBUS_LIBS) \
		$(WORKER_TEST_KERNEL) $(TINYGUEST)
	@mkdir -p $(@D)
	$(Q)$(CC) $(WORKER_CFLAGS) -I$(WORKER_DIR) $(CHECK_CFLAGS) \
		-DHVWORKER_TEST_KERNEL='"$(abspath $(WORKER_TEST_KERNEL))"' \
		-DHVWORKER_TEST_TINYGUEST='"$(abspath $(TINYGUEST))"' \
		-o $@ $< $(WORKER_CORE_OBJS) $(WORKER_VMBUS_LIBS) $(CHECK_LIBS)

hvworker-check: $(WORKER_TEST_BINS)
	$(Q)scripts/run-unit.sh $(WORKER_TEST_BINS)

-include $(WORKER_OUT)/*.d
SYSTEM_TESTS += tests/system/child-worker.sh tests/system/child-boot.sh \
		tests/system/fairness.sh
BENCHES += scripts/bench-child-boot.sh
