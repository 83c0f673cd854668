/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: a child's guest-physical memory as the worker sees it, and the
 * fixed layout of what the worker puts in it for a direct Linux boot.
 *
 * Guest RAM is one anonymous mapping of @size bytes.  Up to 3 GiB it is
 * guest-physical [0, size); above that the rest goes to [4 GiB, ...) so the
 * 32-bit hole below 4 GiB (LAPIC, future MMIO) stays free.
 */
#ifndef HVWORKER_GUEST_H
#define HVWORKER_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GUEST_PAGE_SIZE		4096ULL
#define GUEST_LOW_MAX		(3ULL << 30)	/* RAM below the hole */
#define GUEST_HIGH_BASE		(4ULL << 30)	/* RAM above it */
#define GUEST_MEM_MIN		(32ULL << 20)	/* smaller is refused */
#define GUEST_MEM_MAX		(16ULL << 30)	/* MKHV_MAX_CHILD_PAGES */

/* Low-memory layout of a direct boot (all below 1 MiB). */
#define GUEST_GDT		0x0500ULL	/* 4 descriptors */
#define GUEST_BOOT_PARAMS	0x7000ULL	/* the zero page */
#define GUEST_PML4		0x9000ULL	/* identity map of the first 4 GiB */
#define GUEST_PDPT		0xa000ULL
#define GUEST_PD		0xb000ULL	/* 4 pages: 2 MiB pages */
#define GUEST_CMDLINE		0x20000ULL	/* up to GUEST_CMDLINE_MAX */
#define GUEST_CMDLINE_MAX	0x10000ULL
#define GUEST_LOW_RAM_END	0x9f000ULL	/* e820 RAM [0, here) */
#define GUEST_ACPI_BASE		0xe0000ULL	/* RSDP first; e820 ACPI to 1 MiB */
#define GUEST_ACPI_SIZE		0x20000ULL
#define GUEST_HIGH_RAM		0x100000ULL	/* e820 RAM from 1 MiB */

/* Boot GDT selectors (Linux's __BOOT_CS / __BOOT_DS). */
#define GUEST_BOOT_CS		0x10
#define GUEST_BOOT_DS		0x18

/* I/O ports the worker emulates besides the UART. */
#define GUEST_PORT_SLEEP_CTL	0x600	/* FADT SLEEP_CONTROL_REG */
#define GUEST_PORT_SLEEP_STS	0x601	/* FADT SLEEP_STATUS_REG */
#define GUEST_PORT_RESET	0x602	/* FADT RESET_REG */
#define GUEST_RESET_VALUE	0x01
#define GUEST_SLP_TYP_S5	5	/* \_S5 package value in dsdt.asl */
#define GUEST_SLP_EN		0x20	/* bit 5 of the sleep control register */

struct guest_mem {
	uint8_t *hva;		/* the worker's mapping */
	uint64_t size;		/* bytes of RAM */
	uint64_t low_size;	/* bytes at GPA 0 (the rest at 4 GiB) */
};

/* Split @size into the low and high parts (no allocation). */
int guest_mem_init(struct guest_mem *m, uint8_t *hva, uint64_t size);

/*
 * The worker's pointer to [gpa, gpa + len), or NULL if that range is not
 * entirely inside one RAM part.
 */
void *guest_ptr(const struct guest_mem *m, uint64_t gpa, uint64_t len);

/* Copy @len bytes to [gpa, gpa + len): 0, or -ENOSPC if not all RAM. */
int guest_write(const struct guest_mem *m, uint64_t gpa, const void *src,
		uint64_t len);

/* One past the highest RAM address below 4 GiB. */
static inline uint64_t guest_low_end(const struct guest_mem *m)
{
	return m->low_size;
}

#endif /* HVWORKER_GUEST_H */
