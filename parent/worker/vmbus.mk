# parent/worker/vmbus.mk: hvworker's VMBus server and integration services
# (issue 8, docs/vmbus-host.md).
#
#   $(VMBUS_HOST_OBJS)   objects for the hvworker link (with
#                        $(BUILD)/vmbus/libvmbus.a); compiled with -Ivmbus
#   make vmbus-host      objects and the Check suites
#   make vmbus-host-check  runs the suites (ASan + UBSan, like vmbus/)
#
# vmbus/vmbus.mk is read after this fragment: its paths are spelled out.

VMBUS_HOST_SRC  := vmbus_host vmbus_host_srv vmbus_poll vmbus_report gpa_direct ic ic_shutdown ic_heartbeat ic_timesync ic_kvp \
		   $(NETVSP_SRC)
VMBUS_HOST_HDRS := parent/worker/vmbus_host.h parent/worker/vmbus_host_priv.h parent/worker/gpa_direct.h parent/worker/ic.h \
		   parent/worker/ic_wire.h parent/worker/guest.h \
		   vmbus/channel.h vmbus/ring.h include/vmbus/wire.h $(NETVSP_HDRS)
VMBUS_HOST_OUT  := $(BUILD)/parent/vmbus-obj
VMBUS_HOST_OBJS := $(patsubst %,$(VMBUS_HOST_OUT)/%.o,$(VMBUS_HOST_SRC))
VMBUS_HOST_CFLAGS := $(HOST_CFLAGS) -Ivmbus -Iparent/worker -pthread
VMBUS_HOST_SANFLAGS := -fsanitize=address,undefined \
		       -fno-sanitize-recover=undefined -fno-omit-frame-pointer
VMBUS_HOST_SAN_OBJS := $(patsubst %,$(VMBUS_HOST_OUT)/san/%.o,$(VMBUS_HOST_SRC) guest)
VMBUS_HOST_LIBSAN := $(BUILD)/vmbus/san/ring.o $(BUILD)/vmbus/san/channel.o

VMBUS_HOST_TESTS := $(BUILD)/tests/unit/test_hvworker_vmbus_host \
		    $(BUILD)/tests/unit/test_hvworker_ic \
		    $(BUILD)/tests/unit/test_gpa_direct

ALL_TARGETS += $(VMBUS_HOST_OBJS)
UNIT_TESTS  += $(VMBUS_HOST_TESTS)

.PHONY: vmbus-host vmbus-host-check
vmbus-host: $(VMBUS_HOST_OBJS) $(VMBUS_HOST_TESTS)

$(VMBUS_HOST_OUT)/%.o: parent/worker/%.c $(VMBUS_HOST_HDRS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(VMBUS_HOST_CFLAGS) -c -o $@ $<

$(VMBUS_HOST_OUT)/san/%.o: parent/worker/%.c $(VMBUS_HOST_HDRS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(VMBUS_HOST_CFLAGS) $(VMBUS_HOST_SANFLAGS) -c -o $@ $<

.SECONDARY: $(VMBUS_HOST_SAN_OBJS)

$(BUILD)/tests/unit/test_hvworker_vmbus_host: tests/unit/test_hvworker_vmbus_host.c \
		tests/unit/hvworker_vmbus_fake.h $(VMBUS_HOST_SAN_OBJS) $(VMBUS_HOST_LIBSAN)
	@mkdir -p $(@D)
	$(Q)$(CC) $(VMBUS_HOST_CFLAGS) $(VMBUS_HOST_SANFLAGS) $(CHECK_CFLAGS) \
		-o $@ $< $(VMBUS_HOST_SAN_OBJS) $(VMBUS_HOST_LIBSAN) $(CHECK_LIBS)

$(BUILD)/tests/unit/test_hvworker_ic: tests/unit/test_hvworker_ic.c \
		tests/unit/hvworker_vmbus_fake.h $(VMBUS_HOST_SAN_OBJS) $(VMBUS_HOST_LIBSAN)
	@mkdir -p $(@D)
	$(Q)$(CC) $(VMBUS_HOST_CFLAGS) $(VMBUS_HOST_SANFLAGS) $(CHECK_CFLAGS) \
		-o $@ $< $(VMBUS_HOST_SAN_OBJS) $(VMBUS_HOST_LIBSAN) $(CHECK_LIBS)

$(BUILD)/tests/unit/test_gpa_direct: tests/unit/test_gpa_direct.c \
		$(VMBUS_HOST_OUT)/san/gpa_direct.o $(VMBUS_HOST_OUT)/san/guest.o
	@mkdir -p $(@D)
	$(Q)$(CC) $(VMBUS_HOST_CFLAGS) $(VMBUS_HOST_SANFLAGS) $(CHECK_CFLAGS) \
		-o $@ $^ $(CHECK_LIBS)

vmbus-host-check: $(VMBUS_HOST_TESTS)
	$(Q)scripts/run-unit.sh $(VMBUS_HOST_TESTS)
SYSTEM_TESTS += tests/system/vmbus.sh tests/system/vmbus-hostile.sh
BENCHES      += scripts/bench-vmbus-msg.sh
