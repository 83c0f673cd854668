# hvworker's I/O APIC and MMIO instruction decoder, built standalone for
# their Check suites (parent/worker/ioapic.h, mmio_decode.h).  The worker
# itself links them through worker.mk's WORKER_CORE.
#
#   $(BUILD)/tests/unit/test_hvworker_mmio_decode
#   $(BUILD)/tests/unit/test_hvworker_ioapic

IOAPIC_OUT    := $(BUILD)/parent/ioapic-obj
IOAPIC_CFLAGS := $(HOST_CFLAGS) -Ihv/include -Iparent/worker $(CHECK_CFLAGS) \
		 -MMD -MP
IOAPIC_TEST_BINS := $(BUILD)/tests/unit/test_hvworker_mmio_decode \
		    $(BUILD)/tests/unit/test_hvworker_ioapic
UNIT_TESTS += $(IOAPIC_TEST_BINS)

.PHONY: ioapic-check

$(IOAPIC_OUT)/mmio_decode.o: parent/worker/mmio_decode.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(IOAPIC_CFLAGS) -c -o $@ $<

$(IOAPIC_OUT)/ioapic.o: parent/worker/ioapic.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(IOAPIC_CFLAGS) -c -o $@ $<

$(IOAPIC_OUT)/test_hvworker_%.o: tests/unit/test_hvworker_%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(IOAPIC_CFLAGS) -c -o $@ $<

# Explicit rules: they take precedence over worker.mk's
# test_hvworker_% pattern rule.
$(BUILD)/tests/unit/test_hvworker_mmio_decode: \
		$(IOAPIC_OUT)/test_hvworker_mmio_decode.o \
		$(IOAPIC_OUT)/mmio_decode.o
	@mkdir -p $(@D)
	$(Q)$(CC) -o $@ $^ $(CHECK_LIBS)

$(BUILD)/tests/unit/test_hvworker_ioapic: \
		$(IOAPIC_OUT)/test_hvworker_ioapic.o $(IOAPIC_OUT)/ioapic.o
	@mkdir -p $(@D)
	$(Q)$(CC) -o $@ $^ $(CHECK_LIBS)

ioapic-check: $(IOAPIC_TEST_BINS)
	$(Q)scripts/run-unit.sh $(IOAPIC_TEST_BINS)

-include $(IOAPIC_OUT)/*.d
