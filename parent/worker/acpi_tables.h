/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: the ACPI tables of a child (ACPI 6.4 §5.2): RSDP (rev 2) ->
 * XSDT -> FADT (rev 6, HW_REDUCED_ACPI, sleep control/status and reset
 * registers on worker-emulated I/O ports) -> DSDT (dsdt.asl, compiled by
 * iasl at build time), and a MADT with one Processor Local x2APIC entry per
 * vCPU (APIC IDs 0..n-1).  No PIC, IOAPIC, HPET, PM timer or RTC.
 */
#ifndef HVWORKER_ACPI_TABLES_H
#define HVWORKER_ACPI_TABLES_H

#include <stddef.h>
#include <stdint.h>

#define ACPI_MAX_VCPUS		16
#define ACPI_OEM_ID		"MKHV  "
#define ACPI_OEM_TABLE_ID	"MKHVCHLD"

/* FADT offsets and flags used by the worker and its tests. */
#define FADT_REVISION		6
#define FADT_SIZE		276
#define FADT_OFF_DSDT		40
#define FADT_OFF_IAPC_BOOT_ARCH	109
#define FADT_OFF_FLAGS		112
#define FADT_OFF_RESET_REG	116
#define FADT_OFF_RESET_VALUE	128
#define FADT_OFF_MINOR		131
#define FADT_OFF_X_DSDT		140
#define FADT_OFF_SLEEP_CTL	244
#define FADT_OFF_SLEEP_STS	256
#define FADT_OFF_HV_VENDOR	268
#define FADT_F_PWR_BUTTON	(1u << 4)
#define FADT_F_SLP_BUTTON	(1u << 5)
#define FADT_F_RESET_REG_SUP	(1u << 10)
#define FADT_F_HW_REDUCED_ACPI	(1u << 20)
#define IAPC_VGA_NOT_PRESENT	(1u << 2)
#define IAPC_CMOS_RTC_NOT_PRESENT (1u << 5)

#define MADT_TYPE_LOCAL_X2APIC	9
#define MADT_X2APIC_LEN		16
#define MADT_TYPE_IOAPIC	1
#define MADT_IOAPIC_LEN		12

/* The compiled DSDT (dsdt.asl -> $(BUILD)/parent/worker/dsdt_aml.c). */
extern const unsigned char hvworker_dsdt_aml[];
extern const unsigned int hvworker_dsdt_aml_len;

/* Where each table went (guest-physical addresses). */
struct acpi_layout {
	uint64_t rsdp, xsdt, fadt, dsdt, madt;
	uint64_t end;		/* first byte after the last table */
};

/* Sum of @len bytes (a valid table sums to 0). */
uint8_t acpi_checksum(const void *p, size_t len);

/**
 * acpi_build() - write every table into @buf, which the guest sees at @gpa.
 * @buf: zeroed by the function; @size bytes
 * @gpa: guest-physical address of @buf[0], 16-byte aligned (the RSDP goes
 *       there)
 * @nr_vcpus: 1..ACPI_MAX_VCPUS
 * @layout: out
 *
 * Return: 0, -EINVAL for a bad vCPU count or alignment, -ENOSPC if the
 * tables do not fit in @size.
 */
int acpi_build(uint8_t *buf, size_t size, uint64_t gpa, unsigned int nr_vcpus,
	       struct acpi_layout *layout);

#endif /* HVWORKER_ACPI_TABLES_H */
