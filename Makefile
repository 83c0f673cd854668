# mkhv top-level Makefile.
#
# Every component keeps its rules in a fragment named <dir>/<name>.mk that
# this file includes, so components never edit each other's rules.  A
# fragment appends to these lists:
#
#   ALL_TARGETS     files `make` (all) builds
#   UNIT_TESTS      Check test binaries `make check-unit` runs (each prints
#                   Check's "100%: Checks: N, Failures: 0, Errors: 0" line)
#   SYSTEM_TESTS    tests/system/*.sh scripts `make check-system` runs
#   BENCHES         commands `make bench` runs (each prints `name: value`)
#
# Everything built goes to $(BUILD).

BUILD   ?= build
Q       ?= @
export BUILD

.DEFAULT_GOAL := all

ALL_TARGETS  :=
UNIT_TESTS   :=
SYSTEM_TESTS :=
BENCHES      :=

include scripts/common.mk
include $(sort $(filter-out scripts/%,$(wildcard */*.mk */*/*.mk)))

.PHONY: all deps deps-ok check check-unit check-system bench run clean

ESP_IMG := $(BUILD)/esp.img
ALL_TARGETS += $(PARENT_INITRD) $(ESP_IMG)

all: deps-ok
	$(Q)$(MAKE) --no-print-directory $(ALL_TARGETS)

# Integration rules: they use lists every fragment has filled in.
PARENT_INITRD_SRCS := $(foreach p,$(PARENT_INITRD_FILES),$(firstword $(subst =, ,$(p))))
$(PARENT_INITRD): scripts/mkinitramfs.sh parent/initramfs/init \
		parent/initramfs/profile $(PARENT_INITRD_SRCS) $(PARENT_KERNEL)
	$(Q)scripts/mkinitramfs.sh -k $(BUILD)/kernel/root -m "$(PARENT_MODULES)" \
		$@ $(PARENT_INITRD_FILES)

$(ESP_IMG): scripts/mkesp.sh $(LOADER_EFI) $(PARENT_KERNEL) $(PARENT_INITRD) \
		configs/mkhv.cfg $(HV_ELF)
	$(Q)scripts/mkesp.sh $@ $(LOADER_EFI) $(PARENT_KERNEL) $(PARENT_INITRD) \
		configs/mkhv.cfg $(HV_ELF)=hv.elf

# `make run`: the same image with mkhv.demo=demo on the parent's command
# line, so the parent starts the demo child and shows its console
# (parent/initramfs/demo; Ctrl-] returns to the parent's shell).
RUN_ESP := $(BUILD)/run/esp.img
ALL_TARGETS += $(RUN_ESP)
SYSTEM_TESTS += tests/system/make-run.sh
$(RUN_ESP): $(ESP_IMG) configs/mkhv.cfg
	@mkdir -p $(@D)
	$(Q)sed 's/^cmdline = .*/& mkhv.demo=demo/' configs/mkhv.cfg > $(@D)/mkhv.cfg
	$(Q)scripts/mkesp.sh $@ $(LOADER_EFI) $(PARENT_KERNEL) $(PARENT_INITRD) \
		$(@D)/mkhv.cfg $(HV_ELF)=hv.elf

run: all
	$(Q)$(MAKE) --no-print-directory $(RUN_ESP)
	$(Q)scripts/run-qemu.sh $(RUN_ESP)

# Installs the Debian packages mkhv needs (idempotent).  `deps-ok` is the
# cheap check the other targets run first: it installs what is missing when
# run as root and otherwise prints the exact apt-get line and stops.
deps:
	$(Q)scripts/deps.sh install

deps-ok:
	$(Q)scripts/deps.sh check

check: all
	$(Q)$(MAKE) --no-print-directory check-unit
	$(Q)$(MAKE) --no-print-directory check-system

check-unit: deps-ok
	$(Q)$(MAKE) --no-print-directory $(UNIT_TESTS)
	$(Q)scripts/run-unit.sh $(UNIT_TESTS)

check-system: all
	$(Q)scripts/run-system.sh $(SYSTEM_TESTS)

bench: all
	$(Q)$(MAKE) --no-print-directory $(BENCHES)
	$(Q)set -e; for b in $(BENCHES); do $$b; done

clean:
	rm -rf $(BUILD)
