# hv/core.mk: the portable hv core (hv/*.c, headers in hv/include/mkhv/).
#
# The same sources are built twice:
#  - freestanding into $(BUILD)/hv/core/*.o (HV_CORE_OBJS), which the hv
#    image links (hv/hv.mk); building them in `make all` proves the core
#    needs nothing but the freestanding headers;
#  - for the host, one Check binary per core file (tests/unit/test_<file>.c),
#    with tests/unit/harness.h force-included and the arch_* fakes of
#    tests/unit/hv_fakes.c.

# Portable core sources (host-testable).  hv/string.c is freestanding only.
HV_CORE_SRCS := hv/printk.c hv/bzimage.c hv/e820.c hv/npt.c hv/hyperv.c \
		hv/hypercall.c hv/ownership.c hv/child.c hv/sched.c hv/vlapic.c \
		hv/stimer.c hv/synic.c hv/intercept.c hv/port.c \
		hv/gva.c hv/mtrr.c
HV_CORE_SRCS := $(wildcard $(HV_CORE_SRCS))

HV_CORE_CFLAGS := $(FREESTANDING_CFLAGS) -Ihv/include -fno-pic \
		-mcmodel=small -mno-sse -mno-mmx -mno-80387 -mgeneral-regs-only

# Everything the hv image links from the core: portable objects + string.o.
HV_CORE_OBJS := $(patsubst hv/%.c,$(BUILD)/hv/core/%.o,$(HV_CORE_SRCS)) \
		$(BUILD)/hv/core/string.o

$(BUILD)/hv/core/%.o: hv/%.c $(wildcard hv/include/mkhv/*.h include/mkhv/*.h)
	@mkdir -p $(@D)
	$(Q)$(CC) $(HV_CORE_CFLAGS) -c -o $@ $<

ALL_TARGETS += $(HV_CORE_OBJS)

# Host unit tests.
HV_TEST_CFLAGS := $(HOST_CFLAGS) -Ihv/include -include tests/unit/harness.h \
		$(CHECK_CFLAGS)
HV_TEST_DEPS := tests/unit/harness.h tests/unit/hv_check.h tests/unit/hv_fakes.c \
		tests/unit/child_fixture.h \
		tests/unit/hv_fakes.h $(wildcard hv/include/mkhv/*.h include/mkhv/*.h)

# test name -> extra core sources it links besides hv/<name>.c
HV_TEST_printk_SRCS :=
HV_TEST_bzimage_SRCS := hv/printk.c
HV_TEST_e820_SRCS := hv/printk.c
HV_TEST_npt_SRCS := hv/printk.c hv/e820.c
HV_TEST_hyperv_SRCS := hv/printk.c
# hypercall.c's table names child.c's handlers, which need the rest.
HV_CHILD_DEPS := hv/printk.c hv/hyperv.c hv/ownership.c hv/e820.c hv/mm.c \
		hv/vlapic.c hv/synic.c hv/intercept.c hv/port.c
HV_TEST_hypercall_SRCS := $(HV_CHILD_DEPS) hv/child.c
HV_TEST_child_SRCS := $(filter-out hv/child.c,$(HV_CHILD_DEPS)) hv/hypercall.c \
		      tests/unit/child_fixture.c
HV_TEST_intercept_SRCS := $(filter-out hv/intercept.c,$(HV_CHILD_DEPS)) \
			  hv/child.c hv/hypercall.c tests/unit/child_fixture.c
HV_TEST_ownership_SRCS := hv/printk.c hv/e820.c
HV_TEST_sched_SRCS :=
HV_TEST_vlapic_SRCS :=
HV_TEST_stimer_SRCS := hv/vlapic.c
HV_TEST_synic_SRCS := hv/vlapic.c hv/printk.c
HV_TEST_gva_SRCS :=
HV_TEST_mtrr_SRCS :=
HV_TEST_port_SRCS := $(filter-out hv/port.c,$(HV_CHILD_DEPS)) hv/child.c \
		     hv/hypercall.c tests/unit/child_fixture.c

HV_TEST_NAMES := $(patsubst hv/%.c,%,$(HV_CORE_SRCS))
HV_TESTS := $(patsubst %,$(BUILD)/hv/tests/test_%,$(HV_TEST_NAMES))

# One explicit rule per test (no .SECONDEXPANSION: it would leak into the
# fragments included after this one).
define HV_TEST_RULE
$$(BUILD)/hv/tests/test_$(1): tests/unit/test_$(1).c hv/$(1).c \
		$$(HV_TEST_$(1)_SRCS) $$(HV_TEST_DEPS)
	@mkdir -p $$(@D)
	$$(Q)$$(CC) $$(HV_TEST_CFLAGS) -o $$@ tests/unit/test_$(1).c hv/$(1).c \
		$$(HV_TEST_$(1)_SRCS) tests/unit/hv_fakes.c $$(CHECK_LIBS)
endef
$(foreach t,$(HV_TEST_NAMES),$(eval $(call HV_TEST_RULE,$(t))))

UNIT_TESTS += $(HV_TESTS)

.PHONY: hv-core hv-core-check fuzz-hypercall
hv-core: $(HV_CORE_OBJS) $(HV_TESTS)
hv-core-check: $(HV_TESTS)
	$(Q)scripts/run-unit.sh $(HV_TESTS)

# libFuzzer harness for hypercall decoding (clang; not part of check).
HV_FUZZ_CC ?= clang
$(BUILD)/hv/fuzz/fuzz_hypercall: tests/fuzz/fuzz_hypercall.c hv/hypercall.c \
		hv/child.c $(HV_CHILD_DEPS) $(HV_TEST_DEPS)
	@mkdir -p $(@D)
	$(Q)$(HV_FUZZ_CC) -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Werror \
		-Iinclude -Ihv/include -include tests/unit/harness.h \
		-fsanitize=fuzzer,address,undefined -o $@ $(filter %.c,$^)

HV_FUZZ_RUNS ?= 200000
fuzz-hypercall: $(BUILD)/hv/fuzz/fuzz_hypercall
	$(Q)$< -runs=$(HV_FUZZ_RUNS) -max_len=8192
