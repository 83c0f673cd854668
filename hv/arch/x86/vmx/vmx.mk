# hv/arch/x86/vmx/vmx.mk: the Intel VMX backend (included by hv/hv.mk,
# which links HV_VMX_SRCS/HV_VMX_ASM into hv.elf), and the host unit test
# of its pure logic (vmx_caps.c) built with the hv core's harness like
# hv/core.mk's tests.

HV_VMX_DIR  := hv/arch/x86/vmx
HV_VMX_SRCS := $(HV_VMX_DIR)/vmx.c $(HV_VMX_DIR)/vmx_exit.c \
	$(HV_VMX_DIR)/vmx_caps.c $(HV_VMX_DIR)/vmx_child.c \
	$(HV_VMX_DIR)/vmx_cstate.c
HV_VMX_ASM  := $(HV_VMX_DIR)/vmx_asm.S
# The vendor-neutral half of child VPs (CPUID, MSRs, messages), shared
# with svm/svm_child.c; listed here so hv/hv.mk need not change.
HV_VMX_SRCS += hv/arch/x86/child_platform.c

HV_VMX_TEST := $(BUILD)/hv/tests/test_vmx_caps

$(HV_VMX_TEST): tests/unit/test_vmx_caps.c $(HV_VMX_DIR)/vmx_caps.c \
		$(HV_VMX_DIR)/vmx_caps.h $(HV_VMX_DIR)/vmcs.h \
		tests/unit/harness.h tests/unit/hv_check.h tests/unit/vmx_haswell.h
	@mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) -Ihv/include -I$(HV_VMX_DIR) \
		-include tests/unit/harness.h $(CHECK_CFLAGS) -o $@ \
		tests/unit/test_vmx_caps.c $(HV_VMX_DIR)/vmx_caps.c $(CHECK_LIBS)

HV_VMX_CHILD_TEST := $(BUILD)/hv/tests/test_vmx_child

$(HV_VMX_CHILD_TEST): tests/unit/test_vmx_child.c $(HV_VMX_DIR)/vmx_cstate.c \
		$(HV_VMX_DIR)/vmx_caps.c $(HV_VMX_DIR)/vmx_cstate.h \
		$(HV_VMX_DIR)/vmx_caps.h $(HV_VMX_DIR)/vmcs.h \
		tests/unit/harness.h tests/unit/hv_check.h tests/unit/vmx_haswell.h
	@mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) -Ihv/include -I$(HV_VMX_DIR) \
		-include tests/unit/harness.h $(CHECK_CFLAGS) -o $@ \
		tests/unit/test_vmx_child.c $(HV_VMX_DIR)/vmx_cstate.c \
		$(HV_VMX_DIR)/vmx_caps.c $(CHECK_LIBS)

UNIT_TESTS += $(HV_VMX_TEST) $(HV_VMX_CHILD_TEST)

.PHONY: hv-vmx-check
hv-vmx-check: $(HV_VMX_TEST) $(HV_VMX_CHILD_TEST)
	$(Q)scripts/run-unit.sh $(HV_VMX_TEST) $(HV_VMX_CHILD_TEST)

# The same esp.img booted on an Intel CPU model under Bochs (about 2.5
# minutes here; needs Debian's bochs, bochsbios, vgabios, bochs-term).
SYSTEM_TESTS += tests/system/parent-boot-vmx.sh
# tinyguest children on VMX under Bochs (4-5 minutes here, mostly the boot).
SYSTEM_TESTS += tests/system/child-worker-vmx.sh
# The hv's SynIC messaging (vmbus-hv.sh's checks) on VMX, and a stock
# Debian child with VMBus and virsh shutdown on VMX (child-vmx.sh).
SYSTEM_TESTS += tests/system/vmbus-hv-vmx.sh tests/system/child-vmx.sh
