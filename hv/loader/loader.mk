# hvloader.efi: GNU-EFI application (DESIGN §11 gives the flags).

EFI_INC    := /usr/include/efi
EFI_LIBDIR := /usr/lib
EFI_LDS    := $(EFI_LIBDIR)/elf_x86_64_efi.lds
EFI_CRT0   := $(EFI_LIBDIR)/crt0-efi-x86_64.o

LOADER_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror \
	-fpic -fshort-wchar -mno-red-zone -ffreestanding -fno-stack-protector \
	-fno-strict-aliasing -DEFI_FUNCTION_WRAPPER \
	-I$(EFI_INC) -I$(EFI_INC)/x86_64 -Ihv/loader -Iinclude \
	-DMKHV_VERSION='"$(MKHV_VERSION)"'

LOADER_SRCS := hv/loader/main.c hv/loader/cfg.c hv/loader/fs.c \
	       hv/loader/hvboot.c hv/loader/elf.c \
	       hv/loader/mpacpi.c
LOADER_OBJS := $(LOADER_SRCS:%.c=$(BUILD)/loader/%.o)
LOADER_SO   := $(BUILD)/loader/hvloader.so
LOADER_EFI  := $(BUILD)/hvloader.efi

ALL_TARGETS += $(LOADER_EFI)

$(BUILD)/loader/%.o: %.c $(wildcard hv/loader/*.h) include/mkhv/bootinfo.h \
		$(MKHV_VERSION_FILE)
	@mkdir -p $(@D)
	$(Q)$(CC) $(LOADER_CFLAGS) -c $< -o $@

$(LOADER_SO): $(LOADER_OBJS)
	$(Q)ld -nostdlib -znocombreloc -T $(EFI_LDS) -shared -Bsymbolic \
		-L$(EFI_LIBDIR) $(EFI_CRT0) $^ -o $@ -lefi -lgnuefi

$(LOADER_EFI): $(LOADER_SO)
	$(Q)objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym \
		-j .rel -j .rela -j .rel.* -j .rela.* -j .reloc \
		--target efi-app-x86_64 --subsystem=10 $< $@

# Unit tests: the cfg parser, compiled for the host.
$(BUILD)/tests/test_cfg: tests/unit/test_cfg.c hv/loader/cfg.c hv/loader/cfg.h
	@mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) $(CHECK_CFLAGS) -Ihv/loader \
		tests/unit/test_cfg.c hv/loader/cfg.c -o $@ $(CHECK_LIBS)

UNIT_TESTS += $(BUILD)/tests/test_cfg

SYSTEM_TESTS += tests/system/loader-boot.sh
