# hvd: mkhv's management daemon (libvirt remote protocol for stock virsh).
#
#   $(BUILD)/parent/hvd                the daemon
#   $(BUILD)/parent/hvd-obj/libhvd.a   everything but main(), for the unit tests
#
# The domain XML layer comes from parent/hvd/domain_xml.mk
# ($(DOMAIN_XML_LIB), $(DOMAIN_XML_LDLIBS)) once parent/hvd/domain_xml.c
# exists; until then a minimal stub (domain_xml_stub.c) stands in.

HVD_DIR   := parent/hvd
HVD_OUT   := $(BUILD)/parent/hvd-obj

HVD_TIRPC_CFLAGS := $(shell pkg-config --cflags libtirpc 2>/dev/null)
HVD_TIRPC_LIBS   := $(shell pkg-config --libs libtirpc 2>/dev/null)
HVD_XML2_CFLAGS  := $(shell pkg-config --cflags libxml-2.0 2>/dev/null)
HVD_XML2_LIBS    := $(shell pkg-config --libs libxml-2.0 2>/dev/null)

HVD_CFLAGS := $(HOST_CFLAGS) -I$(HVD_DIR) -I$(HVD_OUT) $(HVD_TIRPC_CFLAGS) \
              $(HVD_XML2_CFLAGS) -MMD -MP

ifneq ($(wildcard $(HVD_DIR)/domain_xml.c),)
HVD_XML_LIB    := $(if $(DOMAIN_XML_LIB),$(DOMAIN_XML_LIB),$(BUILD)/parent/libdomainxml.a)
HVD_XML_LDLIBS := $(DOMAIN_XML_LDLIBS) $(HVD_XML2_LIBS)
else
HVD_XML_LIB    := $(HVD_OUT)/libdomainxml_stub.a
HVD_XML_LDLIBS := $(HVD_XML2_LIBS)
endif

HVD_LIB_SRCS := rpc.c rpc_domain.c domains.c state.c backend_test.c \
                backend_mkhv.c mkhv_policy.c worker_proc.c loop.c console.c \
                guest.c rpc_guest.c rpc_devstats.c
HVD_LIB_OBJS := $(addprefix $(HVD_OUT)/,$(HVD_LIB_SRCS:.c=.o)) $(HVD_OUT)/remote_xdr.o
HVD_LIB      := $(HVD_OUT)/libhvd.a
HVD_LDLIBS   := $(HVD_LIB) $(HVD_XML_LIB) $(HVD_XML_LDLIBS) $(HVD_TIRPC_LIBS)

# rpcgen: XDR routines and types for our subset of libvirt's protocol.
$(HVD_OUT)/remote.h: $(HVD_DIR)/remote.x
	@mkdir -p $(@D)
	$(Q)rm -f $@ && cd $(@D) && cp $(CURDIR)/$< remote.x && rpcgen -h -o remote.h remote.x

$(HVD_OUT)/remote_xdr.c: $(HVD_DIR)/remote.x $(HVD_OUT)/remote.h
	@mkdir -p $(@D)
	$(Q)rm -f $@ && cd $(@D) && rpcgen -c -o remote_xdr.c remote.x

# rpcgen's output declares unused locals; only that file gets the waiver.
$(HVD_OUT)/remote_xdr.o: $(HVD_OUT)/remote_xdr.c $(HVD_OUT)/remote.h
	$(Q)$(CC) $(HVD_CFLAGS) -Wno-unused-variable -c -o $@ $<

$(HVD_OUT)/%.o: $(HVD_DIR)/%.c $(HVD_OUT)/remote.h
	@mkdir -p $(@D)
	$(Q)$(CC) $(HVD_CFLAGS) -c -o $@ $<

$(HVD_LIB): $(HVD_LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(HVD_OUT)/libdomainxml_stub.a: $(HVD_OUT)/domain_xml_stub.o
	$(Q)rm -f $@ && ar rcs $@ $^

HVD := $(BUILD)/parent/hvd

$(HVD): $(HVD_OUT)/hvd.o $(HVD_LIB) $(HVD_XML_LIB)
	$(Q)$(CC) -o $@ $< $(HVD_LDLIBS)

# Unit tests.
HVD_TEST_CFLAGS := $(HVD_CFLAGS) $(CHECK_CFLAGS)

$(BUILD)/tests/unit/test_hvd_%: tests/unit/test_hvd_%.c $(HVD_LIB) $(HVD_XML_LIB) $(HVD_OUT)/remote.h
	@mkdir -p $(@D)
	$(Q)$(CC) $(HVD_TEST_CFLAGS) -o $@ $< $(HVD_LDLIBS) $(CHECK_LIBS)

# The mkhv backend's suites run a fake hvworker (real processes, ptys).
HVD_FAKE_WORKER := $(BUILD)/tests/unit/fake_hvworker
HVD_MKHV_TESTS  := $(BUILD)/tests/unit/test_hvd_mkhv $(BUILD)/tests/unit/test_hvd_console

$(HVD_FAKE_WORKER): tests/unit/fake_hvworker.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) -o $@ $<

$(HVD_MKHV_TESTS): $(BUILD)/tests/unit/test_hvd_%: tests/unit/test_hvd_%.c \
		tests/unit/hvd_mkhv_util.h tests/unit/hvd_rpc_util.h $(HVD_LIB) $(HVD_XML_LIB) \
		$(HVD_OUT)/remote.h $(HVD_FAKE_WORKER)
	@mkdir -p $(@D)
	$(Q)$(CC) $(HVD_TEST_CFLAGS) -DFAKE_HVWORKER='"$(abspath $(HVD_FAKE_WORKER))"' \
		-o $@ $< $(HVD_LDLIBS) $(CHECK_LIBS)

HVD_UNIT_TESTS := $(BUILD)/tests/unit/test_hvd_rpc $(BUILD)/tests/unit/test_hvd_state \
		  $(BUILD)/tests/unit/test_hvd_loop $(HVD_MKHV_TESTS)

.PHONY: hvd hvd-check
hvd: $(HVD)
hvd-check: $(HVD_UNIT_TESTS)
	$(Q)scripts/run-unit.sh $^

ALL_TARGETS  += $(HVD)
UNIT_TESTS   += $(HVD_UNIT_TESTS)
SYSTEM_TESTS += tests/system/hvd-virsh.sh
BENCHES      += tests/bench/hvd-define-bench.sh

-include $(HVD_OUT)/*.d

# libFuzzer harness over the RPC input path (clang; not part of `all`).
#   make hvd-fuzz [HVD_FUZZ_SECONDS=60]
HVD_FUZZ         := $(BUILD)/tests/fuzz/fuzz_hvd_rpc
HVD_FUZZ_SECONDS ?= 60
HVD_FUZZ_SRCS    := $(addprefix $(HVD_DIR)/,$(HVD_LIB_SRCS)) $(HVD_OUT)/remote_xdr.c

$(HVD_FUZZ): tests/fuzz/fuzz_hvd_rpc.c $(HVD_FUZZ_SRCS) $(HVD_XML_LIB) $(HVD_OUT)/remote.h
	@mkdir -p $(@D)
	$(Q)clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
		-Wno-unused-variable -I$(HVD_DIR) -I$(HVD_OUT) $(HVD_TIRPC_CFLAGS) \
		$(HVD_XML2_CFLAGS) -o $@ $< $(HVD_FUZZ_SRCS) $(HVD_XML_LIB) \
		$(HVD_XML_LDLIBS) $(HVD_TIRPC_LIBS)

.PHONY: hvd-fuzz
hvd-fuzz: $(HVD_FUZZ)
	$(Q)rm -rf $(BUILD)/tests/fuzz/hvd_rpc_corpus $(BUILD)/tests/fuzz/hvd_rpc_state
	$(Q)python3 tests/fuzz/hvd_rpc_seeds.py $(BUILD)/tests/fuzz/hvd_rpc_corpus
	$(Q)HVD_FUZZ_DIR=$(BUILD)/tests/fuzz/hvd_rpc_state $(HVD_FUZZ) -max_total_time=$(HVD_FUZZ_SECONDS) -max_len=4096 \
		-print_final_stats=1 $(BUILD)/tests/fuzz/hvd_rpc_corpus \
		>$(BUILD)/tests/fuzz/hvd_rpc.log 2>&1; rc=$$?; \
	grep -E '^(stat::number_of_executed_units|==.*ERROR|SUMMARY)|^Done ' \
		$(BUILD)/tests/fuzz/hvd_rpc.log; \
	echo "hvd-fuzz: $$(grep -c '^artifact_prefix\|Test unit written' $(BUILD)/tests/fuzz/hvd_rpc.log) findings, log in $(BUILD)/tests/fuzz/hvd_rpc.log"; \
	exit $$rc
