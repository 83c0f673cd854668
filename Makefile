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
include $(sort $(wildcard */*.mk */*/*.mk))

.PHONY: all deps check check-unit check-system bench run clean

all: deps-ok $(ALL_TARGETS)

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

check-unit: deps-ok $(UNIT_TESTS)
	$(Q)scripts/run-unit.sh $(UNIT_TESTS)

check-system: deps-ok $(ALL_TARGETS)
	$(Q)scripts/run-system.sh $(SYSTEM_TESTS)

bench: deps-ok $(ALL_TARGETS) $(BENCHES)
	$(Q)set -e; for b in $(BENCHES); do $$b; done

clean:
	rm -rf $(BUILD)
