# vmbus/: VMBus ring buffer and channel-management library (issue 5).
#
#   make vmbus                 library, freestanding compile check, tests
#   make check-unit            runs test_ring and test_channel (ASan+UBSan)
#   make bench                 runs the ring benchmark (vmbus_bench)
#   make fuzz-vmbus            builds the libFuzzer harnesses (clang)
#   make fuzz-vmbus-smoke      builds them and runs each for ~20 s
#                              (VMBUS_FUZZ_SECONDS=N to change); `make fuzz`
#                              depends on it
#   make check-vmbus-tsan      ring stress test under ThreadSanitizer
# Neither fuzz target is part of `make check`.

# For users (hvworker, guest-drivers): compile with -Ivmbus and link
# $(BUILD)/vmbus/libvmbus.a, then #include "ring.h" / "channel.h".  Spell the
# path out in prerequisites: fragments sorted before this one (parent/...)
# are read before VMBUS_LIB / VMBUS_CFLAGS exist.
VMBUS_CFLAGS   := -Ivmbus
VMBUS_DIR      := $(BUILD)/vmbus
VMBUS_SRCS     := vmbus/ring.c vmbus/channel.c
VMBUS_HDRS     := include/vmbus/wire.h vmbus/port.h vmbus/ring.h vmbus/channel.h
VMBUS_HOST_OBJS := $(patsubst vmbus/%.c,$(VMBUS_DIR)/host/%.o,$(VMBUS_SRCS))
VMBUS_FS_OBJS  := $(patsubst vmbus/%.c,$(VMBUS_DIR)/freestanding/%.o,$(VMBUS_SRCS))
VMBUS_SAN_OBJS := $(patsubst vmbus/%.c,$(VMBUS_DIR)/san/%.o,$(VMBUS_SRCS))
VMBUS_LIB      := $(VMBUS_DIR)/libvmbus.a
VMBUS_SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                  -fno-omit-frame-pointer
VMBUS_TESTS    := $(VMBUS_DIR)/test_ring $(VMBUS_DIR)/test_channel
VMBUS_BENCH    := $(VMBUS_DIR)/vmbus_bench
VMBUS_FUZZERS  := $(VMBUS_DIR)/fuzz_ring $(VMBUS_DIR)/fuzz_channel
VMBUS_FUZZ_SECONDS ?= 20

VMBUS_WIRE_OK  := $(VMBUS_DIR)/wire-vs-linux.ok

ALL_TARGETS += $(VMBUS_LIB) $(VMBUS_FS_OBJS) $(VMBUS_WIRE_OK)
UNIT_TESTS  += $(VMBUS_TESTS)
BENCHES     += $(VMBUS_BENCH)

# Keep the objects make would treat as intermediate.
.SECONDARY: $(VMBUS_SAN_OBJS) $(VMBUS_HOST_OBJS)

.PHONY: vmbus fuzz fuzz-vmbus fuzz-vmbus-smoke
vmbus: $(VMBUS_LIB) $(VMBUS_FS_OBJS) $(VMBUS_WIRE_OK) $(VMBUS_TESTS) $(VMBUS_BENCH)

# Host library for the worker (hvworker) and native tools.
$(VMBUS_DIR)/host/%.o: vmbus/%.c $(VMBUS_HDRS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) -c $< -o $@

$(VMBUS_LIB): $(VMBUS_HOST_OBJS)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

# Proof that the core compiles freestanding (no libc headers), as the
# kernel module and guest-drivers/ will compile it.
$(VMBUS_DIR)/freestanding/%.o: vmbus/%.c $(VMBUS_HDRS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(FREESTANDING_CFLAGS) -c $< -o $@

# wire.h against the installed Linux 6.1 hyperv.h (linux-headers-amd64):
# every size, offset and constant compared; skipped if no header exists.
$(VMBUS_WIRE_OK): include/vmbus/wire.h tests/unit/vmbus_wire_vs_linux.py
	@mkdir -p $(@D)
	$(Q)CC=$(CC) python3 tests/unit/vmbus_wire_vs_linux.py include $(VMBUS_DIR)/wire
	@touch $@

# Unit tests run the core under AddressSanitizer and UBSan.
$(VMBUS_DIR)/san/%.o: vmbus/%.c $(VMBUS_HDRS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) $(VMBUS_SANFLAGS) -c $< -o $@

$(VMBUS_DIR)/test_%: tests/unit/test_%.c $(VMBUS_SAN_OBJS) $(VMBUS_HDRS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) $(VMBUS_SANFLAGS) $(CHECK_CFLAGS) -Ivmbus \
		$< $(VMBUS_SAN_OBJS) -o $@ $(CHECK_LIBS) -pthread

$(VMBUS_BENCH): tests/bench/vmbus_bench.c $(VMBUS_LIB) $(VMBUS_HDRS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) -Ivmbus $< $(VMBUS_LIB) -o $@ -pthread

# libFuzzer harnesses (clang only).
$(VMBUS_DIR)/fuzz_%: tests/fuzz/fuzz_vmbus_%.c $(VMBUS_SRCS) $(VMBUS_HDRS)
	@mkdir -p $(@D)
	$(Q)clang -std=c11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Werror -Iinclude \
		-Ivmbus -fsanitize=fuzzer,address,undefined $< $(VMBUS_SRCS) -o $@

fuzz-vmbus: $(VMBUS_FUZZERS)

fuzz-vmbus-smoke: $(VMBUS_FUZZERS)
	$(Q)set -e; for f in $(VMBUS_FUZZERS); do \
		n=$${f##*/}; mkdir -p $(VMBUS_DIR)/corpus/$$n; \
		echo "== $$n ($(VMBUS_FUZZ_SECONDS) s)"; \
		if ! $$f -max_total_time=$(VMBUS_FUZZ_SECONDS) -print_final_stats=1 \
			$(VMBUS_DIR)/corpus/$$n tests/fuzz/seeds/$$n \
			>$(VMBUS_DIR)/$$n.log 2>&1; then \
			tail -40 $(VMBUS_DIR)/$$n.log; exit 1; fi; \
		grep -E 'stat::number_of_executed_units|Done [0-9]+ runs' \
			$(VMBUS_DIR)/$$n.log; \
	done

# ThreadSanitizer run of the two-thread ring stress test (not in check).
$(VMBUS_DIR)/test_ring_tsan: tests/unit/test_ring.c vmbus/ring.c $(VMBUS_HDRS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) -O1 -fsanitize=thread $(CHECK_CFLAGS) -Ivmbus \
		$< vmbus/ring.c -o $@ $(CHECK_LIBS) -pthread

.PHONY: check-vmbus-tsan
check-vmbus-tsan: $(VMBUS_DIR)/test_ring_tsan
	$(Q)VMBUS_STRESS_PACKETS=2000000 CK_RUN_CASE=stress $<

# `make fuzz` (no recipe here, so other components can add their harnesses).
fuzz: fuzz-vmbus-smoke
