/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: direct boot of a Linux bzImage (Documentation/x86/boot.rst,
 * 64-bit boot protocol) into a child's RAM: kernel, command line, initrd,
 * boot_params with the e820 map and acpi_rsdp_addr, the ACPI tables, a GDT
 * and identity page tables, and the registers vCPU 0 starts with.  Pure
 * logic on a struct guest_mem, so it runs in unit tests on a plain buffer.
 */
#ifndef HVWORKER_LINUX_LOADER_H
#define HVWORKER_LINUX_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include <mkhv/hvcall_partition.h>
#include <mkhv/linux_boot.h>

#include "acpi_tables.h"
#include "guest.h"

struct linux_boot_cfg {
	const uint8_t *kernel;		/* the bzImage file */
	size_t kernel_size;
	const uint8_t *initrd;		/* NULL = none */
	size_t initrd_size;
	const char *cmdline;		/* NULL = "" */
	unsigned int nr_vcpus;
};

struct linux_boot_info {
	uint64_t load_addr;		/* protected-mode kernel */
	uint64_t entry;			/* 64-bit entry point */
	uint64_t initrd_addr;		/* 0 = none */
	uint64_t boot_params;		/* the zero page */
	uint32_t e820_nr;
	struct boot_e820_entry e820[8];
	struct acpi_layout acpi;
};

/**
 * linux_boot_setup() - load everything into @m.
 * @err: a one-line reason on failure (may be NULL)
 *
 * Return: 0; -EINVAL (not a 64-bit bzImage >= 2.12, bad vCPU count),
 * -E2BIG (command line longer than the kernel accepts), -ENOSPC (RAM too
 * small for the kernel's init_size, or the initrd does not fit above it).
 */
int linux_boot_setup(const struct guest_mem *m, const struct linux_boot_cfg *c,
		     struct linux_boot_info *bi, char *err, size_t errlen);

/*
 * The guest's e820 map into @bi->e820 and @bi->e820_nr: low RAM, the
 * reserved hole, the ACPI tables at 0xe0000, RAM from 1 MiB (and above
 * 4 GiB).  Also the source of a Multiboot kernel's memory map.
 */
void linux_boot_e820(const struct guest_mem *m, struct linux_boot_info *bi);

/* The boot vCPU's registers for the 64-bit entry; returns how many. */
#define LINUX_BOOT_NR_REGS	16
unsigned int linux_boot_regs(const struct linux_boot_info *bi,
			     struct hv_register_assoc regs[LINUX_BOOT_NR_REGS]);

/*
 * Helpers shared with multiboot.c.  boot_fail(): writes a one-line reason
 * to @err (if any) and returns @ret.  boot_reg(): one register of a
 * SetVpRegisters list.  boot_flat_regs(): GDTR (GUEST_GDT, 4 entries),
 * IDTR 0, CS = GUEST_BOOT_CS flat with @code_attr, DS/ES/FS/GS/SS =
 * GUEST_BOOT_DS flat data; returns how many (BOOT_FLAT_NR_REGS).
 */
int boot_fail(char *err, size_t errlen, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void boot_reg(struct hv_register_assoc *r, uint32_t name, uint64_t low,
	      uint64_t high);
#define BOOT_FLAT_NR_REGS	8
unsigned int boot_flat_regs(struct hv_register_assoc *regs, uint16_t code_attr);

/*
 * A segment register value (limit | sel << 32 | attr << 48) from
 * descriptor attribute bits 40-47 and 52-55 (@attr: type, S, DPL, P in
 * bits 0-7, AVL, L, D/B, G in bits 12-15: the TLFS / VMX layout, which the
 * hv converts to its vendor's form).
 */
uint64_t linux_boot_seg_high(uint16_t sel, uint32_t limit, uint16_t attr);

#endif /* HVWORKER_LINUX_LOADER_H */
