# Domain XML layer of hvd: $(DOMAIN_XML_LIB), its unit and oracle tests,
# and a libFuzzer harness (make fuzz-domain-xml, not part of make check).
#
# hvd links:  $(DOMAIN_XML_LIB) $(DOMAIN_XML_LDLIBS)
# and compiles against parent/hvd/domain.h with $(DOMAIN_XML_CFLAGS).
#
# DOMAIN_XML_RNG is the libvirt domain schema path compiled in as the first
# choice; at run time $MKHV_DOMAIN_RNG overrides it and the usual prefixes
# are tried after it (see rng_find() in domain_xml.c).

DOMAIN_XML_RNG ?= $(or $(shell pkg-config --variable=datarootdir libvirt 2>/dev/null),/usr/share)/libvirt/schemas/domain.rng

DOMAIN_XML_CFLAGS := $(shell pkg-config --cflags libxml-2.0)
DOMAIN_XML_LDLIBS := $(shell pkg-config --libs libxml-2.0) -lpthread
DOMAIN_XML_LIB    := $(BUILD)/parent/libdomainxml.a

DOMAIN_XML_SRCS := parent/hvd/domain_xml.c parent/hvd/domain_xml_read.c \
                   parent/hvd/domain_xml_devices.c \
                   parent/hvd/domain_xml_format.c
DOMAIN_XML_OBJS := $(DOMAIN_XML_SRCS:%.c=$(BUILD)/dxml/%.o)
DOMAIN_XML_HDRS := parent/hvd/domain.h parent/hvd/domain_xml_priv.h

$(DOMAIN_XML_OBJS): $(BUILD)/dxml/%.o: %.c $(DOMAIN_XML_HDRS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) $(DOMAIN_XML_CFLAGS) \
		-DDOMAIN_XML_RNG_DEFAULT='"$(DOMAIN_XML_RNG)"' -c $< -o $@

$(DOMAIN_XML_LIB): $(DOMAIN_XML_OBJS)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

ALL_TARGETS += $(DOMAIN_XML_LIB)

# ---- unit tests ----
DOMAIN_XML_TESTDATA := $(CURDIR)/tests/data/domain-xml
DOMAIN_XML_TEST_CFLAGS := $(HOST_CFLAGS) $(CHECK_CFLAGS) $(DOMAIN_XML_CFLAGS) \
	-Iparent/hvd -DDOMAIN_XML_TESTDATA='"$(DOMAIN_XML_TESTDATA)"'

$(BUILD)/tests/unit/test_domain_xml: tests/unit/test_domain_xml.c \
		tests/unit/domain_xml_testutil.h $(DOMAIN_XML_LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) $(DOMAIN_XML_TEST_CFLAGS) $< -o $@ $(DOMAIN_XML_LIB) \
		$(DOMAIN_XML_LDLIBS) $(CHECK_LIBS)

# The oracle: libvirt's own test:///default driver, through libvirt's
# client library, must agree with domain_xml_parse() on the corpus.
$(BUILD)/tests/unit/test_domain_xml_oracle: tests/unit/test_domain_xml_oracle.c \
		tests/unit/domain_xml_testutil.h $(DOMAIN_XML_LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) $(DOMAIN_XML_TEST_CFLAGS) $(shell pkg-config --cflags libvirt) \
		$< -o $@ $(DOMAIN_XML_LIB) $(DOMAIN_XML_LDLIBS) \
		$(shell pkg-config --libs libvirt) $(CHECK_LIBS)

UNIT_TESTS += $(BUILD)/tests/unit/test_domain_xml \
              $(BUILD)/tests/unit/test_domain_xml_oracle

# ---- fuzzing (clang's libFuzzer with ASan/UBSan) ----
FUZZ_CC          ?= clang
FUZZ_TIME        ?= 60
DOMAIN_XML_FUZZ  := $(BUILD)/fuzz/fuzz_domain_xml

$(DOMAIN_XML_FUZZ): tests/fuzz/fuzz_domain_xml.c $(DOMAIN_XML_SRCS) $(DOMAIN_XML_HDRS)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Werror \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-Iparent/hvd $(DOMAIN_XML_CFLAGS) \
		-DDOMAIN_XML_RNG_DEFAULT='"$(DOMAIN_XML_RNG)"' \
		$< $(DOMAIN_XML_SRCS) -o $@ $(DOMAIN_XML_LDLIBS)

.PHONY: fuzz fuzz-domain-xml
fuzz: fuzz-domain-xml
fuzz-domain-xml: $(DOMAIN_XML_FUZZ)
	@mkdir -p $(BUILD)/fuzz/corpus-domain-xml
	$(Q)$(DOMAIN_XML_FUZZ) -max_total_time=$(FUZZ_TIME) -max_len=65536 \
		-timeout=10 -rss_limit_mb=2048 -artifact_prefix=$(BUILD)/fuzz/ -print_final_stats=1 \
		-dict=tests/fuzz/domain_xml.dict \
		$(BUILD)/fuzz/corpus-domain-xml tests/data/domain-xml

# ---- bench ----
$(BUILD)/tests/bench/bench_domain_xml: tests/bench/bench_domain_xml.c \
		tests/unit/domain_xml_testutil.h $(DOMAIN_XML_LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) -Iparent/hvd -Itests/unit \
		-DDOMAIN_XML_EXAMPLE='"$(CURDIR)/configs/examples/web1.xml"' \
		$< -o $@ $(DOMAIN_XML_LIB) $(DOMAIN_XML_LDLIBS)

BENCHES += $(BUILD)/tests/bench/bench_domain_xml
