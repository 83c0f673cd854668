# parent/worker/storvsp.mk: the storage VSP of hvworker (issue 10,
# docs/storvsp.md): storvsc protocol, SCSI target emulation, disk backends.
#
#   $(STORVSP_OBJS)      objects for the hvworker link (worker.mk adds them
#                        to WORKER_VMBUS_LIBS)
#   make storvsp         objects, Check suites, fuzz harness build check
#   make storvsp-check   runs the suites (ASan + UBSan)
#   make fuzz-storvsp    the VSTOR/SRB parser under libFuzzer (clang);
#                        part of `make fuzz`
#
# Read before vmbus.mk and worker.mk (sorted includes): their variables are
# not set yet, so paths are spelled out here.

STORVSP_SRC  := storvsp scsi_disk disk_backend disk_nbd
STORVSP_HDRS := parent/worker/storvsp.h parent/worker/scsi_disk.h parent/worker/be_bytes.h \
		parent/worker/disk_backend.h parent/worker/vmbus_host.h parent/worker/vmbus_host_priv.h parent/worker/gpa_direct.h \
		parent/worker/guest.h include/vmbus/storvsc_wire.h \
		include/vmbus/wire.h vmbus/ring.h vmbus/channel.h
STORVSP_OUT  := $(BUILD)/parent/storvsp-obj
STORVSP_OBJS := $(patsubst %,$(STORVSP_OUT)/%.o,$(STORVSP_SRC))
STORVSP_CFLAGS := $(HOST_CFLAGS) -Ivmbus -Iparent/worker -pthread
STORVSP_SANFLAGS := -fsanitize=address,undefined \
		    -fno-sanitize-recover=undefined -fno-omit-frame-pointer
STORVSP_SAN_OBJS := $(patsubst %,$(STORVSP_OUT)/san/%.o,$(STORVSP_SRC))
# (the fake guest header has helpers other suites use: -Wno-unused-function)
# vmbus_host and friends, sanitized (vmbus.mk's outputs, spelled out)
STORVSP_HOST_SAN := $(patsubst %,$(BUILD)/parent/vmbus-obj/san/%.o,\
		      vmbus_host vmbus_host_srv vmbus_poll vmbus_report gpa_direct ic ic_shutdown ic_heartbeat \
		      ic_timesync ic_kvp guest) \
		    $(BUILD)/vmbus/san/ring.o $(BUILD)/vmbus/san/channel.o

STORVSP_TESTS := $(BUILD)/tests/unit/test_storvsp $(BUILD)/tests/unit/test_scsi_disk

ALL_TARGETS += $(STORVSP_OBJS)
UNIT_TESTS  += $(STORVSP_TESTS)

.PHONY: storvsp storvsp-check fuzz-storvsp
storvsp: $(STORVSP_OBJS) $(STORVSP_TESTS)

$(STORVSP_OUT)/%.o: parent/worker/%.c $(STORVSP_HDRS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(STORVSP_CFLAGS) -c -o $@ $<

$(STORVSP_OUT)/san/%.o: parent/worker/%.c $(STORVSP_HDRS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(STORVSP_CFLAGS) $(STORVSP_SANFLAGS) -c -o $@ $<

.SECONDARY: $(STORVSP_SAN_OBJS)

$(BUILD)/tests/unit/test_scsi_disk: tests/unit/test_scsi_disk.c $(STORVSP_SAN_OBJS) \
		$(STORVSP_HOST_SAN)
	@mkdir -p $(@D)
	$(Q)$(CC) $(STORVSP_CFLAGS) $(STORVSP_SANFLAGS) $(CHECK_CFLAGS) \
		-o $@ $< $(STORVSP_SAN_OBJS) $(STORVSP_HOST_SAN) $(CHECK_LIBS)

$(BUILD)/tests/unit/test_storvsp: tests/unit/test_storvsp.c tests/unit/hvworker_vmbus_fake.h \
		$(STORVSP_SAN_OBJS) $(STORVSP_HOST_SAN)
	@mkdir -p $(@D)
	$(Q)$(CC) $(STORVSP_CFLAGS) $(STORVSP_SANFLAGS) $(CHECK_CFLAGS) \
		-Wno-unused-function \
		-o $@ $< $(STORVSP_SAN_OBJS) $(STORVSP_HOST_SAN) $(CHECK_LIBS)

storvsp-check: $(STORVSP_TESTS)
	$(Q)scripts/run-unit.sh $(STORVSP_TESTS)

SYSTEM_TESTS += tests/system/storage.sh

# The example domain with disks (storage.sh uses it).
PARENT_INITRD_FILES += configs/examples/disks-child.xml=/etc/mkhv/examples/disks-child.xml

# qcow2 disks: hvworker runs qemu-storage-daemon (qemu-system-common) and
# admins create images with qemu-img (qemu-utils); both go into the parent
# with their shared libraries (scripts/initrd-bins.sh).  A build machine
# without them gets a warning and a parent without qcow2 support.
STORVSP_QEMU_BINS := $(wildcard /usr/bin/qemu-storage-daemon /usr/bin/qemu-img)
ifneq ($(words $(STORVSP_QEMU_BINS)),2)
$(warning qemu-storage-daemon or qemu-img missing (qemu-system-common, qemu-utils): the parent cannot serve qcow2 disks)
endif
STORVSP_QEMU_LIBS := $(shell scripts/initrd-bins.sh $(STORVSP_QEMU_BINS))
PARENT_INITRD_FILES += $(foreach b,$(STORVSP_QEMU_BINS),$(b)=$(b)) $(STORVSP_QEMU_LIBS)

# libFuzzer harness (clang): the packet parser and the SCSI target.
STORVSP_FUZZER := $(STORVSP_OUT)/fuzz_storvsp
STORVSP_FUZZ_SRCS := $(patsubst %,parent/worker/%.c,$(STORVSP_SRC) vmbus_host vmbus_host_srv vmbus_poll gpa_direct \
		     vmbus_report ic ic_shutdown ic_heartbeat ic_timesync ic_kvp guest) \
		     vmbus/ring.c vmbus/channel.c
STORVSP_FUZZ_SECONDS ?= $(FUZZ_TIME)

$(STORVSP_FUZZER): tests/fuzz/fuzz_storvsp.c $(STORVSP_FUZZ_SRCS) $(STORVSP_HDRS)
	@mkdir -p $(@D)
	$(Q)clang -std=c11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Werror -Iinclude \
		-Ivmbus -Iparent/worker -pthread -fsanitize=fuzzer,address,undefined \
		-Wno-gnu-variable-sized-type-not-at-end \
		$< $(STORVSP_FUZZ_SRCS) -o $@

fuzz-storvsp: $(STORVSP_FUZZER)
	$(Q)mkdir -p $(STORVSP_OUT)/corpus
	$(Q)echo "== fuzz_storvsp ($(or $(STORVSP_FUZZ_SECONDS),60) s)"
	$(Q)$(STORVSP_FUZZER) -max_total_time=$(or $(STORVSP_FUZZ_SECONDS),60) \
		-max_len=4096 -print_final_stats=1 $(STORVSP_OUT)/corpus \
		tests/fuzz/seeds/fuzz_storvsp >$(STORVSP_OUT)/fuzz.log 2>&1 || \
		{ tail -40 $(STORVSP_OUT)/fuzz.log; exit 1; }
	$(Q)grep -E 'stat::number_of_executed_units|Done [0-9]+ runs' $(STORVSP_OUT)/fuzz.log

fuzz: fuzz-storvsp

# make bench: disk_seq_read_ratio, disk_seq_write_ratio, disk_randread_ratio
# (scripts/bench-disk.sh) with tests/bench/diskbench.c, static, in both the
# parent and the child image.  guest-drivers/guest.mk is read before this
# fragment: the child image gets it through GUEST_TEST_FILES (its recipe
# expands the list when it runs) and a prerequisite added here.
DISKBENCH := $(STORVSP_OUT)/diskbench
ALL_TARGETS += $(DISKBENCH)
GUEST_TEST_FILES += $(DISKBENCH)=/usr/bin/diskbench
PARENT_INITRD_FILES += $(DISKBENCH)=/usr/bin/diskbench
$(BUILD)/guest/initrd.img: $(DISKBENCH)
BENCHES += scripts/bench-disk.sh

$(DISKBENCH): tests/bench/diskbench.c
	@mkdir -p $(@D)
	$(Q)$(CC) -static -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -o $@ $<
	$(Q)strip $@
