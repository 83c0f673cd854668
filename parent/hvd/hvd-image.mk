# hvd and stock virsh in the parent partition's initramfs.
#
# Ships /usr/sbin/hvd, /usr/bin/virsh, the shared libraries of both with the
# dynamic loader (scripts/initrd-bins.sh expands them), libvirt's domain.rng
# and the schemas it includes (hvd validates against it at run time), the
# init.d hook that starts hvd, and the example domain.  The initramfs's
# /etc/profile sets LIBVIRT_DEFAULT_URI, so plain `virsh list` talks to hvd.
#
# This fragment is read before parent/parent.mk and hvd.mk, so it names
# their outputs by path.

HVD_IMAGE_BIN    := $(BUILD)/parent/hvd
HVD_IMAGE_VIRSH  := /usr/bin/virsh
# hvd may not be built yet while make parses this: its libraries are then
# checked when the initramfs is built (hvd-image.ok below).
HVD_IMAGE_LIBS   := $(shell scripts/initrd-bins.sh $(HVD_IMAGE_VIRSH) $(HVD_IMAGE_BIN))
HVD_IMAGE_SCHEMA := $(shell scripts/initrd-bins.sh -r $(DOMAIN_XML_RNG))

PARENT_INITRD_FILES += $(HVD_IMAGE_BIN)=/usr/sbin/hvd \
	$(HVD_IMAGE_VIRSH)=/usr/bin/virsh \
	$(HVD_IMAGE_LIBS) $(HVD_IMAGE_SCHEMA) \
	parent/hvd/hvd.init=/etc/mkhv/init.d/50-hvd \
	configs/examples/web1.xml=/etc/mkhv/examples/web1.xml \
	configs/examples/demo-child.xml=/etc/mkhv/examples/demo-child.xml \
	parent/initramfs/demo=/etc/mkhv/init.d/70-demo

$(BUILD)/parent/hvd-image.ok: $(HVD_IMAGE_BIN) $(HVD_IMAGE_VIRSH) scripts/initrd-bins.sh
	$(Q)scripts/initrd-bins.sh -c "$(HVD_IMAGE_LIBS)" $(HVD_IMAGE_BIN) $(HVD_IMAGE_VIRSH)
	$(Q)touch $@

$(BUILD)/parent/initrd.img: $(BUILD)/parent/hvd-image.ok

SYSTEM_TESTS += tests/system/hvd-xml-virsh.sh tests/system/parent-virsh.sh \
		tests/system/child-virsh.sh

# `make fuzz [FUZZ_TIME=60]`: every libFuzzer harness of the tree, each for
# a bounded time (clang; not part of `make check`).  The other fragments
# add their harness as a prerequisite of `fuzz` without a recipe
# (domain_xml.mk: fuzz-domain-xml, vmbus.mk: fuzz-vmbus-smoke); this one
# adds hvd's RPC decoder and the hv's hypercall decoder, which their
# fragments do not, and holds the only recipe.  FUZZ_TIME (seconds,
# domain_xml.mk's knob) also bounds the hvd and vmbus runs; the hypercall
# harness is bounded by HV_FUZZ_RUNS (hv/core.mk).  A finding stops make
# with the fuzzer's report.
HVD_FUZZ_SECONDS   ?= $(FUZZ_TIME)
VMBUS_FUZZ_SECONDS ?= $(FUZZ_TIME)

.PHONY: fuzz
fuzz: hvd-fuzz fuzz-hypercall
	@echo "fuzz: every harness ran ($^), no findings"
