// SPDX-License-Identifier: GPL-2.0
/*
 * hvworker: Linux direct boot (linux_loader.h).  The bzImage header is
 * parsed and checked by the hv's own hv/bzimage.c (reused unchanged);
 * everything placed in guest memory goes through guest_ptr(), which
 * refuses any range outside RAM.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <mkhv/bzimage.h>

#include "linux_loader.h"

#define FOUR_G		(1ULL << 32)
#define PTE_P		0x1ULL
#define PTE_RW		0x2ULL
#define PTE_PS		0x80ULL

#define CR0_PE		(1ULL << 0)
#define CR0_ET		(1ULL << 4)
#define CR0_NE		(1ULL << 5)
#define CR0_PG		(1ULL << 31)
#define CR4_PAE		(1ULL << 5)
#define EFER_LME	(1ULL << 8)
#define EFER_LMA	(1ULL << 10)

/* GDT entries: null, null, __BOOT_CS (64-bit code), __BOOT_DS. */
#define GDT_CODE64	0x00af9a000000ffffULL
#define GDT_DATA	0x00cf92000000ffffULL
#define ATTR_CODE64	0xa09b	/* G, L, P, S, type 0xb */
#define ATTR_DATA	0xc093	/* G, D/B, P, S, type 0x3 */

/* TLFS names without a macro in hvcall_partition.h. */
#define REG_RSP		(HV_X64_REGISTER_RAX + 4)
#define REG_RSI		(HV_X64_REGISTER_RAX + 6)
#define REG_DS		(HV_X64_REGISTER_ES + 3)
#define REG_FS		(HV_X64_REGISTER_ES + 4)
#define REG_GS		(HV_X64_REGISTER_ES + 5)

int boot_fail(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}

static void add_e820(struct linux_boot_info *bi, uint64_t start, uint64_t end,
		     uint32_t type)
{
	struct boot_e820_entry *e = &bi->e820[bi->e820_nr++];

	e->addr = start;
	e->size = end - start;
	e->type = type;
}

void linux_boot_e820(const struct guest_mem *m, struct linux_boot_info *bi)
{
	bi->e820_nr = 0;
	add_e820(bi, 0, GUEST_LOW_RAM_END, E820_TYPE_RAM);
	add_e820(bi, GUEST_LOW_RAM_END, GUEST_ACPI_BASE, E820_TYPE_RESERVED);
	add_e820(bi, GUEST_ACPI_BASE, GUEST_HIGH_RAM, E820_TYPE_ACPI);
	add_e820(bi, GUEST_HIGH_RAM, m->low_size, E820_TYPE_RAM);
	if (m->size > m->low_size)
		add_e820(bi, GUEST_HIGH_BASE,
			 GUEST_HIGH_BASE + (m->size - m->low_size),
			 E820_TYPE_RAM);
}

/* GDT and 4 GiB identity map with 2 MiB pages (boot.rst: 64-bit entry). */
static int build_cpu_tables(const struct guest_mem *m)
{
	uint64_t gdt[4] = { 0, 0, GDT_CODE64, GDT_DATA };
	uint64_t *pml4 = guest_ptr(m, GUEST_PML4, GUEST_PAGE_SIZE);
	uint64_t *pdpt = guest_ptr(m, GUEST_PDPT, GUEST_PAGE_SIZE);
	uint64_t *pd = guest_ptr(m, GUEST_PD, 4 * GUEST_PAGE_SIZE);

	if (!pml4 || !pdpt || !pd || guest_write(m, GUEST_GDT, gdt, sizeof(gdt)))
		return -ENOSPC;
	memset(pml4, 0, GUEST_PAGE_SIZE);
	memset(pdpt, 0, GUEST_PAGE_SIZE);
	pml4[0] = GUEST_PDPT | PTE_P | PTE_RW;
	for (uint64_t i = 0; i < 4; i++)
		pdpt[i] = (GUEST_PD + i * GUEST_PAGE_SIZE) | PTE_P | PTE_RW;
	for (uint64_t i = 0; i < 4 * 512; i++)
		pd[i] = (i << 21) | PTE_P | PTE_RW | PTE_PS;
	return 0;
}

int linux_boot_setup(const struct guest_mem *m, const struct linux_boot_cfg *c,
		     struct linux_boot_info *bi, char *err, size_t errlen)
{
	const char *cmdline = c->cmdline ? c->cmdline : "";
	size_t cmdlen = strlen(cmdline);
	struct bzimage_info bz;
	struct bzimage_boot_cfg bc;
	struct boot_params *bp;
	uint64_t initrd_top, kernel_end;
	uint8_t *acpi;
	int ret;

	memset(bi, 0, sizeof(*bi));
	if (c->nr_vcpus < 1 || c->nr_vcpus > ACPI_MAX_VCPUS)
		return boot_fail(err, errlen, -EINVAL, "%u vCPUs: 1 to %u supported",
				 c->nr_vcpus, ACPI_MAX_VCPUS);
	if (!c->kernel || bzimage_parse(c->kernel, c->kernel_size, &bz))
		return boot_fail(err, errlen, -EINVAL,
				 "kernel: not a 64-bit Linux bzImage (boot protocol 2.12+)");
	if (cmdlen > bz.hdr.cmdline_size || cmdlen >= GUEST_CMDLINE_MAX)
		return boot_fail(err, errlen, -E2BIG,
				 "command line is %zu bytes, the kernel takes at most %u",
				 cmdlen, bz.hdr.cmdline_size);
	if (bzimage_place(&bz, GUEST_HIGH_RAM, guest_low_end(m), &bi->load_addr))
		return boot_fail(err, errlen, -ENOSPC,
				 "memory too small: the kernel needs %u bytes at %#llx, RAM below 3 GiB ends at %#llx",
				 bz.init_size,
				 (unsigned long long)bz.pref_address,
				 (unsigned long long)guest_low_end(m));
	kernel_end = bi->load_addr + bz.init_size;

	if (c->initrd && c->initrd_size) {
		initrd_top = guest_low_end(m);
		if (!(bz.hdr.xloadflags & LINUX_XLF_CAN_BE_LOADED_ABOVE_4G) &&
		    initrd_top > (uint64_t)bz.hdr.initrd_addr_max + 1)
			initrd_top = (uint64_t)bz.hdr.initrd_addr_max + 1;
		if (c->initrd_size > initrd_top ||
		    ((initrd_top - c->initrd_size) & ~(GUEST_PAGE_SIZE - 1)) <
			    kernel_end)
			return boot_fail(err, errlen, -ENOSPC,
					 "initrd of %zu bytes does not fit between the kernel (ends %#llx) and the end of low RAM (%#llx)",
					 c->initrd_size,
					 (unsigned long long)kernel_end,
					 (unsigned long long)initrd_top);
		bi->initrd_addr = (initrd_top - c->initrd_size) &
				  ~(GUEST_PAGE_SIZE - 1);
	}

	linux_boot_e820(m, bi);
	acpi = guest_ptr(m, GUEST_ACPI_BASE, GUEST_ACPI_SIZE);
	if (!acpi)
		return boot_fail(err, errlen, -ENOSPC, "no RAM for the ACPI tables");
	ret = acpi_build(acpi, GUEST_ACPI_SIZE, GUEST_ACPI_BASE, c->nr_vcpus,
			 &bi->acpi);
	if (ret)
		return boot_fail(err, errlen, ret, "ACPI tables: %s", strerror(-ret));

	memset(&bc, 0, sizeof(bc));
	bc.cmdline_addr = GUEST_CMDLINE;
	bc.cmdline_len = (uint32_t)cmdlen;
	bc.initrd_addr = bi->initrd_addr;
	bc.initrd_size = bi->initrd_addr ? c->initrd_size : 0;
	bc.acpi_rsdp_addr = bi->acpi.rsdp;
	bc.e820 = bi->e820;
	bc.e820_nr = bi->e820_nr;
	bi->boot_params = GUEST_BOOT_PARAMS;
	bp = guest_ptr(m, GUEST_BOOT_PARAMS, sizeof(*bp));
	if (!bp)
		return boot_fail(err, errlen, -ENOSPC, "no RAM for boot_params");
	ret = bzimage_fill_boot_params(&bz, &bc, bp);
	if (ret)
		return boot_fail(err, errlen, ret, "boot_params: %s", strerror(-ret));

	if (guest_write(m, GUEST_CMDLINE, cmdline, cmdlen + 1) ||
	    guest_write(m, bi->load_addr, c->kernel + bz.kernel_offset, bz.kernel_size) ||
	    (bi->initrd_addr &&
	     guest_write(m, bi->initrd_addr, c->initrd, c->initrd_size)) ||
	    build_cpu_tables(m))
		return boot_fail(err, errlen, -ENOSPC, "guest RAM too small for the boot layout");
	bi->entry = bzimage_entry64(bi->load_addr);
	return 0;
}

uint64_t linux_boot_seg_high(uint16_t sel, uint32_t limit, uint16_t attr)
{
	/* TLFS segment register value: limit, selector, 16-bit attributes. */
	return limit | (uint64_t)sel << 32 | (uint64_t)attr << 48;
}

void boot_reg(struct hv_register_assoc *r, uint32_t name, uint64_t low,
	      uint64_t high)
{
	memset(r, 0, sizeof(*r));
	r->name = name;
	r->value.low = low;
	r->value.high = high;
}

unsigned int boot_flat_regs(struct hv_register_assoc *regs, uint16_t code_attr)
{
	uint64_t cs = linux_boot_seg_high(GUEST_BOOT_CS, 0xffffffff, code_attr);
	uint64_t ds = linux_boot_seg_high(GUEST_BOOT_DS, 0xffffffff, ATTR_DATA);
	unsigned int n = 0;

	boot_reg(&regs[n++], HV_X64_REGISTER_GDTR, GUEST_GDT, 4 * 8 - 1);
	boot_reg(&regs[n++], HV_X64_REGISTER_IDTR, 0, 0);
	boot_reg(&regs[n++], HV_X64_REGISTER_CS, 0, cs);
	boot_reg(&regs[n++], HV_X64_REGISTER_ES, 0, ds);
	boot_reg(&regs[n++], HV_X64_REGISTER_SS, 0, ds);
	boot_reg(&regs[n++], REG_DS, 0, ds);
	boot_reg(&regs[n++], REG_FS, 0, ds);
	boot_reg(&regs[n++], REG_GS, 0, ds);
	return n;
}

unsigned int linux_boot_regs(const struct linux_boot_info *bi,
			     struct hv_register_assoc regs[LINUX_BOOT_NR_REGS])
{
	unsigned int n = 0;

	boot_reg(&regs[n++], HV_X64_REGISTER_CR0, CR0_PE | CR0_ET | CR0_NE | CR0_PG, 0);
	boot_reg(&regs[n++], HV_X64_REGISTER_CR3, GUEST_PML4, 0);
	boot_reg(&regs[n++], HV_X64_REGISTER_CR4, CR4_PAE, 0);
	boot_reg(&regs[n++], HV_X64_REGISTER_EFER, EFER_LME | EFER_LMA, 0);
	n += boot_flat_regs(&regs[n], ATTR_CODE64);
	boot_reg(&regs[n++], HV_X64_REGISTER_RFLAGS, 0x2, 0);
	boot_reg(&regs[n++], HV_X64_REGISTER_RIP, bi->entry, 0);
	boot_reg(&regs[n++], REG_RSI, bi->boot_params, 0);
	boot_reg(&regs[n++], REG_RSP, GUEST_BOOT_PARAMS, 0);	/* below the zero page */
	return n;
}
