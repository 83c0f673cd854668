/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The little ACPI the hv reads itself: the MADT's list of CPUs.  Tables
 * are read in place through the identity map (host tests pass buffers).
 * Checksums and lengths are verified before any field is used.
 */
#ifndef MKHV_ACPI_H
#define MKHV_ACPI_H

#include <mkhv/types.h>

/**
 * acpi_find_table() - find a table by signature through the RSDP's XSDT
 * (or RSDT for ACPI 1.0).
 * @rsdp: physical address of the RSDP
 * @sig: four-character signature, e.g. "APIC"
 *
 * Return: the table's address, or 0 if absent or any checksum is bad.
 */
u64 acpi_find_table(u64 rsdp, const char *sig);

/**
 * acpi_madt_cpus() - APIC IDs of the enabled CPUs, in MADT order.
 * @rsdp: physical address of the RSDP
 * @ids: receives up to @max IDs (xAPIC and x2APIC entries)
 * @max: capacity of @ids
 * @count: number of enabled CPUs found (may exceed @max: then the
 *         rest are not stored)
 *
 * Return: 0, or -ENOENT when there is no valid MADT.
 */
int acpi_madt_cpus(u64 rsdp, u32 *ids, u32 max, u32 *count);

#endif /* MKHV_ACPI_H */
