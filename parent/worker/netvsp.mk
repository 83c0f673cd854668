# parent/worker/netvsp.mk: the synthetic NIC of a child (issue 10,
# docs/netvsp.md): NVSP transport (netvsp.c), RNDIS device (rndis.c) and
# the tap backend (nic.c), linked into hvworker with the VMBus server
# (parent/worker/vmbus.mk, read after this fragment, adds $(NETVSP_SRC)
# to its objects).
#
#   make netvsp            the Check suites and the fuzzer
#   make netvsp-check      runs the suites (ASan + UBSan)
#   make fuzz-netvsp       the RNDIS libFuzzer harness, ~20 s (part of `make fuzz`)

NETVSP_SRC  := netvsp rndis nic
NETVSP_HDRS := parent/worker/netvsp.h parent/worker/rndis.h parent/worker/nic.h \
	       include/vmbus/netvsc_wire.h
# Spelled out: vmbus.mk (read later) owns the pattern rules for these.
NETVSP_SAN_DIR  := $(BUILD)/parent/vmbus-obj/san
NETVSP_HOST_SAN := $(patsubst %,$(NETVSP_SAN_DIR)/%.o,vmbus_host vmbus_host_srv vmbus_poll vmbus_report gpa_direct ic \
		   ic_shutdown ic_heartbeat ic_timesync ic_kvp guest netvsp rndis nic) \
		   $(BUILD)/vmbus/san/ring.o $(BUILD)/vmbus/san/channel.o
NETVSP_TESTS := $(BUILD)/tests/unit/test_netvsp $(BUILD)/tests/unit/test_rndis
NETVSP_FUZZER := $(BUILD)/fuzz/fuzz_rndis
NETVSP_FUZZ_SECONDS ?= 20
NETVSP_TEST_FLAGS = $(HOST_CFLAGS) -Ivmbus -Iparent/worker -pthread \
		    -fsanitize=address,undefined -fno-sanitize-recover=undefined \
		    -fno-omit-frame-pointer $(CHECK_CFLAGS)

UNIT_TESTS += $(NETVSP_TESTS)
SYSTEM_TESTS += tests/system/network.sh

# The child gets hv_netvsc and the network test script; the parent the
# tap, bridge and veth drivers.
GUEST_MODULES += hv_netvsc
GUEST_TEST_FILES += guest-drivers/initramfs/net=/etc/mkhv/init.d/55-net
$(GUEST_INITRD): guest-drivers/initramfs/net
PARENT_MODULES += tun bridge veth

.PHONY: netvsp netvsp-check fuzz-netvsp
netvsp: $(NETVSP_TESTS) $(NETVSP_FUZZER)

$(BUILD)/tests/unit/test_netvsp: tests/unit/test_netvsp.c tests/unit/hvworker_vmbus_fake.h \
		$(NETVSP_HOST_SAN) $(NETVSP_HDRS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(NETVSP_TEST_FLAGS) -o $@ $< $(NETVSP_HOST_SAN) $(CHECK_LIBS)

$(BUILD)/tests/unit/test_rndis: tests/unit/test_rndis.c $(NETVSP_SAN_DIR)/rndis.o $(NETVSP_HDRS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(NETVSP_TEST_FLAGS) -o $@ $< $(NETVSP_SAN_DIR)/rndis.o $(CHECK_LIBS)

netvsp-check: $(NETVSP_TESTS)
	$(Q)scripts/run-unit.sh $(NETVSP_TESTS)

$(NETVSP_FUZZER): tests/fuzz/fuzz_rndis.c parent/worker/rndis.c $(NETVSP_HDRS)
	@mkdir -p $(@D)
	$(Q)clang -std=c11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Werror -Iinclude \
		-Iparent/worker -fsanitize=fuzzer,address,undefined $< parent/worker/rndis.c -o $@

fuzz-netvsp: $(NETVSP_FUZZER)
	@mkdir -p $(BUILD)/fuzz/corpus/fuzz_rndis
	$(Q)echo "== fuzz_rndis ($(NETVSP_FUZZ_SECONDS) s)"; \
	if ! $< -max_total_time=$(NETVSP_FUZZ_SECONDS) -print_final_stats=1 \
		$(BUILD)/fuzz/corpus/fuzz_rndis tests/fuzz/seeds/fuzz_rndis \
		>$(BUILD)/fuzz/fuzz_rndis.log 2>&1; then \
		tail -40 $(BUILD)/fuzz/fuzz_rndis.log; exit 1; fi; \
	grep -E 'stat::number_of_executed_units|Done [0-9]+ runs' $(BUILD)/fuzz/fuzz_rndis.log

fuzz: fuzz-netvsp

# make bench: net_tcp_ratio (scripts/bench-net.sh) with its parent-side
# helper (veth pair, timed TCP sink).
NETBENCH := $(BUILD)/parent/mkhv-netbench
ALL_TARGETS += $(NETBENCH)
PARENT_INITRD_FILES += $(NETBENCH)=/usr/lib/mkhv/mkhv-netbench
BENCHES += scripts/bench-net.sh

$(NETBENCH): tests/bench/mkhv_netbench.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) -static -s -o $@ $<

# The parent bridges its wired NIC into br0 (DHCP on br0) for the
# children's taps; `make run`'s demo child sits there.
PARENT_INITRD_FILES += parent/initramfs/bridge=/etc/mkhv/init.d/30-bridge \
		       parent/initramfs/udhcpc.script=/etc/mkhv/udhcpc.script

# libvirt's 'default' NAT network, set up by the parent at boot
# (parent/initramfs/default-net): virbr0, Debian's dnsmasq (package
# dnsmasq-base) for its DHCP and DNS as libvirt runs it, and Debian's nft
# (package nftables) for the masquerade rule, both with their libraries;
# the kernel's nf_tables NAT modules (crc32c_generic first: libcrc32c
# needs a crc32c that modules.dep does not name).  hvworker only attaches
# taps to virbr0.
NETNAT_NFT     := /usr/sbin/nft
NETNAT_DNSMASQ := /usr/sbin/dnsmasq
NETNAT_LIBS    := $(shell scripts/initrd-bins.sh $(NETNAT_NFT) $(NETNAT_DNSMASQ))
PARENT_MODULES += crc32c_generic nf_tables nft_chain_nat nft_masq
PARENT_INITRD_FILES += parent/initramfs/default-net=/etc/mkhv/init.d/35-default-net \
		       parent/initramfs/default-net.nft=/etc/mkhv/default-net.nft \
		       parent/initramfs/dnsmasq-default.conf=/etc/mkhv/dnsmasq-default.conf \
		       $(NETNAT_NFT)=/usr/sbin/nft $(NETNAT_DNSMASQ)=/usr/sbin/dnsmasq \
		       $(NETNAT_LIBS)

$(BUILD)/parent/netnat-image.ok: $(NETNAT_NFT) $(NETNAT_DNSMASQ) scripts/initrd-bins.sh
	$(Q)scripts/initrd-bins.sh -c "$(NETNAT_LIBS)" $(NETNAT_NFT) $(NETNAT_DNSMASQ)
	@mkdir -p $(@D)
	$(Q)touch $@

$(BUILD)/parent/initrd.img: $(BUILD)/parent/netnat-image.ok

# The child's 55-net takes an address by DHCP when mkhv.ip is not given,
# with the parent's udhcpc hook.
GUEST_TEST_FILES += parent/initramfs/udhcpc.script=/etc/mkhv/udhcpc.script
$(GUEST_INITRD): parent/initramfs/udhcpc.script
