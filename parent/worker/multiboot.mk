# hvworker's Multiboot v1 direct boot (parent/worker/multiboot.c, issue 7).
# multiboot.o itself is part of worker.mk's WORKER_CORE (the worker links
# it); this fragment builds the test guest and the Check suite.
#
#   $(BUILD)/parent/worker-obj/tinyguest_mb.elf   a 1.2 KiB Multiboot ELF
#        (/usr/share/mkhv/tinyguest_mb.elf in the parent)
#   $(BUILD)/tests/unit/test_hvworker_multiboot
#
# worker.mk is read after this fragment: its paths are spelled out here.

MB_OUT       := $(BUILD)/parent/worker-obj
TINYGUEST_MB := $(MB_OUT)/tinyguest_mb.elf
MB_TEST      := $(BUILD)/tests/unit/test_hvworker_multiboot
# The suite links the worker's core objects like worker.mk's suites
# (WORKER_CORE_OBJS and WORKER_VMBUS_LIBS, expanded when the recipe runs);
# hvworker depends on all of them, so depending on it builds them first.
MB_TEST_DEPS := $(BUILD)/parent/hvworker $(MB_OUT)/tinyguest.bzImage

ALL_TARGETS += $(TINYGUEST_MB)
UNIT_TESTS  += $(MB_TEST)
PARENT_INITRD_FILES += $(TINYGUEST_MB)=/usr/share/mkhv/tinyguest_mb.elf

.PHONY: multiboot-check

$(MB_OUT)/tinyguest_mb.o: parent/worker/tinyguest_mb.S
	@mkdir -p $(@D)
	$(Q)$(CC) -m32 -c -o $@ $<

$(TINYGUEST_MB): $(MB_OUT)/tinyguest_mb.o
	$(Q)ld -m elf_i386 -N -s -Ttext 0x100000 -e _start \
		--no-warn-rwx-segments -o $@ $<

$(MB_TEST): tests/unit/test_hvworker_multiboot.c tests/unit/hvworker_fake.h \
		parent/worker/multiboot.h $(MB_TEST_DEPS) $(TINYGUEST_MB)
	@mkdir -p $(@D)
	$(Q)$(CC) $(WORKER_CFLAGS) -Iparent/worker $(CHECK_CFLAGS) \
		-DHVWORKER_TEST_TINYGUEST='"$(abspath $(MB_OUT)/tinyguest.bzImage)"' \
		-DHVWORKER_TEST_TINYGUEST_MB='"$(abspath $(TINYGUEST_MB))"' \
		-o $@ $< $(WORKER_CORE_OBJS) $(WORKER_VMBUS_LIBS) $(CHECK_LIBS)

multiboot-check: $(MB_TEST)
	$(Q)scripts/run-unit.sh $(MB_TEST)
