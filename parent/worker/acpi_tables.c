// SPDX-License-Identifier: GPL-2.0
/*
 * hvworker: ACPI table builder (see acpi_tables.h).  Tables are written
 * byte by byte at fixed offsets (little-endian), so the layout does not
 * depend on the compiler's struct packing.
 */
#include <errno.h>
#include <string.h>

#include "acpi_tables.h"
#include "ioapic.h"
#include "guest.h"

#define HDR_LEN		36
#define RSDP_LEN	36
#define XSDT_ENTRIES	2	/* FADT, MADT */
#define MADT_HDR_LEN	44

static void put8(uint8_t *p, uint8_t v)
{
	p[0] = v;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

uint8_t acpi_checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum = (uint8_t)(sum + *b++);
	return sum;
}

/* Standard header (§5.2.6); the checksum is set by seal(). */
static void header(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	put8(t + 8, rev);
	memcpy(t + 10, ACPI_OEM_ID, 6);
	memcpy(t + 16, ACPI_OEM_TABLE_ID, 8);
	put32(t + 24, 1);		/* OEM revision */
	memcpy(t + 28, "MKHV", 4);	/* creator id */
	put32(t + 32, 1);		/* creator revision */
}

static void seal(uint8_t *t, size_t len, size_t csum_off)
{
	t[csum_off] = 0;
	t[csum_off] = (uint8_t)(0x100 - acpi_checksum(t, len));
}

/* Generic Address Structure (§5.2.3.2) for a byte-wide I/O port. */
static void gas_io8(uint8_t *p, uint16_t port)
{
	put8(p, 1);		/* SystemIO */
	put8(p + 1, 8);		/* bit width */
	put8(p + 2, 0);		/* bit offset */
	put8(p + 3, 1);		/* access size: byte */
	put64(p + 4, port);
}

static void build_fadt(uint8_t *t, uint64_t dsdt)
{
	header(t, "FACP", FADT_SIZE, FADT_REVISION);
	put32(t + FADT_OFF_DSDT, (uint32_t)dsdt);
	put16(t + FADT_OFF_IAPC_BOOT_ARCH,
	      IAPC_VGA_NOT_PRESENT | IAPC_CMOS_RTC_NOT_PRESENT);
	put32(t + FADT_OFF_FLAGS, FADT_F_HW_REDUCED_ACPI | FADT_F_RESET_REG_SUP |
				  FADT_F_PWR_BUTTON | FADT_F_SLP_BUTTON);
	gas_io8(t + FADT_OFF_RESET_REG, GUEST_PORT_RESET);
	put8(t + FADT_OFF_RESET_VALUE, GUEST_RESET_VALUE);
	put8(t + FADT_OFF_MINOR, 4);	/* ACPI 6.4 */
	put64(t + FADT_OFF_X_DSDT, dsdt);
	gas_io8(t + FADT_OFF_SLEEP_CTL, GUEST_PORT_SLEEP_CTL);
	gas_io8(t + FADT_OFF_SLEEP_STS, GUEST_PORT_SLEEP_STS);
	memcpy(t + FADT_OFF_HV_VENDOR, "MKHV\0\0\0\0", 8);
	seal(t, FADT_SIZE, 9);
}

static uint32_t madt_len(unsigned int nr_vcpus)
{
	return MADT_HDR_LEN + nr_vcpus * MADT_X2APIC_LEN + MADT_IOAPIC_LEN;
}

static void build_madt(uint8_t *t, unsigned int nr_vcpus)
{
	uint32_t len = madt_len(nr_vcpus);
	uint8_t *e = t + MADT_HDR_LEN;

	header(t, "APIC", len, 5);
	put32(t + 36, 0xfee00000);	/* LAPIC address (unused in x2APIC) */
	put32(t + 40, 0);		/* flags: no PCAT_COMPAT (no 8259: HW-reduced) */
	for (unsigned int i = 0; i < nr_vcpus; i++, e += MADT_X2APIC_LEN) {
		put8(e, MADT_TYPE_LOCAL_X2APIC);
		put8(e + 1, MADT_X2APIC_LEN);
		put32(e + 4, i);	/* x2APIC ID */
		put32(e + 8, 1);	/* enabled */
		put32(e + 12, i);	/* ACPI processor UID */
	}
	/* The worker's I/O APIC: GSIs 0-23 = ISA IRQs, identity (no overrides). */
	put8(e, MADT_TYPE_IOAPIC);
	put8(e + 1, MADT_IOAPIC_LEN);
	put8(e + 2, 0);			/* I/O APIC ID */
	put32(e + 4, IOAPIC_BASE);
	put32(e + 8, 0);		/* GSI base */
	seal(t, len, 9);
}

static uint64_t align16(uint64_t x)
{
	return (x + 15) & ~15ULL;
}

int acpi_build(uint8_t *buf, size_t size, uint64_t gpa, unsigned int nr_vcpus,
	       struct acpi_layout *l)
{
	uint64_t off_xsdt, off_fadt, off_dsdt, off_madt, end;
	uint32_t xsdt_len = HDR_LEN + 8 * XSDT_ENTRIES;

	if (nr_vcpus < 1 || nr_vcpus > ACPI_MAX_VCPUS || (gpa & 15))
		return -EINVAL;
	off_xsdt = align16(RSDP_LEN);
	off_fadt = align16(off_xsdt + xsdt_len);
	off_dsdt = align16(off_fadt + FADT_SIZE);
	off_madt = align16(off_dsdt + hvworker_dsdt_aml_len);
	end = off_madt + madt_len(nr_vcpus);
	if (end > size)
		return -ENOSPC;
	memset(buf, 0, size);
	l->rsdp = gpa;
	l->xsdt = gpa + off_xsdt;
	l->fadt = gpa + off_fadt;
	l->dsdt = gpa + off_dsdt;
	l->madt = gpa + off_madt;
	l->end = gpa + end;

	memcpy(buf + off_dsdt, hvworker_dsdt_aml, hvworker_dsdt_aml_len);
	build_fadt(buf + off_fadt, l->dsdt);
	build_madt(buf + off_madt, nr_vcpus);

	header(buf + off_xsdt, "XSDT", xsdt_len, 1);
	put64(buf + off_xsdt + HDR_LEN, l->fadt);
	put64(buf + off_xsdt + HDR_LEN + 8, l->madt);
	seal(buf + off_xsdt, xsdt_len, 9);

	/* RSDP (§5.2.5.3): checksum over 20 bytes, extended over 36. */
	memcpy(buf, "RSD PTR ", 8);
	memcpy(buf + 9, ACPI_OEM_ID, 6);
	put8(buf + 15, 2);			/* revision: XSDT present */
	put32(buf + 16, 0);			/* no RSDT */
	put32(buf + 20, RSDP_LEN);
	put64(buf + 24, l->xsdt);
	seal(buf, 20, 8);
	seal(buf, RSDP_LEN, 32);
	return 0;
}
