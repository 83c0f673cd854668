# hv.elf: the hypervisor image (static PIE; see hv/arch/x86/hv.lds).
#
# The portable core (HV_CORE_SRCS from hv/core.mk, plus the boot-time
# pieces mm.c and acpi.c) and the x86 arch code with both backends (svm/,
# vmx/: one image, the backend is chosen at boot) are compiled here as
# position-independent freestanding code; hvloader relocates the image.

HV_ARCH_DIR := hv/arch/x86
include $(HV_ARCH_DIR)/vmx/vmx.mk
HV_IMG_SRCS := $(HV_CORE_SRCS) hv/string.c hv/mm.c hv/acpi.c \
	$(HV_ARCH_DIR)/setup.c $(HV_ARCH_DIR)/serial.c $(HV_ARCH_DIR)/cpu.c \
	$(HV_ARCH_DIR)/paging.c $(HV_ARCH_DIR)/apic.c $(HV_ARCH_DIR)/smp.c \
	$(HV_ARCH_DIR)/parent.c $(HV_ARCH_DIR)/vendor.c $(HV_ARCH_DIR)/child.c \
	$(HV_ARCH_DIR)/pool.c $(HV_ARCH_DIR)/msr.c \
	$(HV_ARCH_DIR)/svm/svm.c $(HV_ARCH_DIR)/svm/svm_regs.c \
	$(HV_ARCH_DIR)/svm/svm_child.c $(HV_VMX_SRCS)
HV_IMG_ASM  := $(HV_ARCH_DIR)/entry.S $(HV_ARCH_DIR)/trampoline.S \
	$(HV_ARCH_DIR)/svm/svm_asm.S $(HV_VMX_ASM)
HV_IMG_OBJS := $(patsubst %.c,$(BUILD)/hv/img/%.o,$(HV_IMG_SRCS)) \
	$(patsubst %.S,$(BUILD)/hv/img/%.o,$(HV_IMG_ASM))
HV_ELF      := $(BUILD)/hv.elf

HV_IMG_CFLAGS := $(FREESTANDING_CFLAGS) -Ihv/include -I$(HV_ARCH_DIR)/include \
	-fpie -fvisibility=hidden -mcmodel=small -mno-sse -mno-mmx \
	-mno-80387 -mgeneral-regs-only -fno-asynchronous-unwind-tables \
	-DMKHV_VERSION='"$(MKHV_VERSION)"'
HV_IMG_DEPS := $(wildcard hv/include/mkhv/*.h include/mkhv/*.h \
	$(HV_ARCH_DIR)/include/asm/*.h $(HV_ARCH_DIR)/svm/*.h \
	$(HV_ARCH_DIR)/vmx/*.h) \
	$(MKHV_VERSION_FILE)

ALL_TARGETS += $(HV_ELF)

$(BUILD)/hv/img/%.o: %.c $(HV_IMG_DEPS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(HV_IMG_CFLAGS) -c $< -o $@

$(BUILD)/hv/img/%.o: %.S
	@mkdir -p $(@D)
	$(Q)$(CC) $(HV_IMG_CFLAGS) -c $< -o $@

$(HV_ELF): $(HV_IMG_OBJS) $(HV_ARCH_DIR)/hv.lds
	$(Q)$(CC) -nostdlib -static-pie -Wl,--no-dynamic-linker \
		-Wl,-T,$(HV_ARCH_DIR)/hv.lds -Wl,-z,max-page-size=4096 \
		-Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments -o $@ $(HV_IMG_OBJS) -lgcc
	$(Q)if readelf -r $@ | grep -q 'R_X86_64_' && \
	    readelf -r $@ | grep 'R_X86_64_' | grep -vq 'R_X86_64_RELATIVE'; then \
		echo "hv.elf: relocations other than RELATIVE" >&2; rm -f $@; exit 1; fi
SYSTEM_TESTS += tests/system/parent-boot.sh
BENCHES += scripts/bench-parent-boot.sh
