// SPDX-License-Identifier: GPL-2.0
/*
 * Minimal ACPI table walker for the hv (ACPI 6.4 §5.2): RSDP -> XSDT/RSDT
 * -> MADT.  The parent gets the same tables untouched and parses them with
 * Linux's ACPICA; the hv only needs the CPU list to start its APs.
 */
#include <mkhv/acpi.h>
#include <mkhv/errno.h>
#include <mkhv/string.h>

struct acpi_rsdp {
	char sig[8];		/* "RSD PTR " */
	u8 checksum;		/* first 20 bytes sum to 0 */
	char oem[6];
	u8 revision;		/* 0 = ACPI 1.0 (RSDT only), 2+ = XSDT */
	u32 rsdt;
	u32 length;		/* 2+: whole structure */
	u64 xsdt;
	u8 ext_checksum;
	u8 reserved[3];
} __packed;
_Static_assert(sizeof(struct acpi_rsdp) == 36, "rsdp");

struct acpi_header {
	char sig[4];
	u32 length;
	u8 revision;
	u8 checksum;
	char oem[6];
	char oem_table[8];
	u32 oem_rev;
	u32 creator;
	u32 creator_rev;
} __packed;
_Static_assert(sizeof(struct acpi_header) == 36, "sdt header");

#define MADT_BODY	8	/* local APIC address + flags after the header */
#define MADT_LAPIC	0
#define MADT_X2APIC	9
#define MADT_ENABLED	BIT(0)
#define MADT_ONLINE_CAPABLE BIT(1)
#define ACPI_TABLE_MAX	(1u << 20)	/* refuse absurd lengths */

static bool checksum_ok(const void *p, u32 len)
{
	const u8 *b = p;
	u8 sum = 0;
	u32 i;

	for (i = 0; i < len; i++)
		sum += b[i];
	return sum == 0;
}

static const struct acpi_header *table_at(u64 addr)
{
	const struct acpi_header *h = (const void *)(uintptr_t)addr;

	if (!addr || h->length < sizeof(*h) || h->length > ACPI_TABLE_MAX ||
	    !checksum_ok(h, h->length))
		return NULL;
	return h;
}

u64 acpi_find_table(u64 rsdp_addr, const char *sig)
{
	const struct acpi_rsdp *rsdp = (const void *)(uintptr_t)rsdp_addr;
	const struct acpi_header *root;
	bool xsdt;
	u32 i, n, esz;

	if (!rsdp_addr || memcmp(rsdp->sig, "RSD PTR ", 8) ||
	    !checksum_ok(rsdp, 20))
		return 0;
	xsdt = rsdp->revision >= 2 && rsdp->xsdt &&
	       checksum_ok(rsdp, sizeof(*rsdp));
	root = table_at(xsdt ? rsdp->xsdt : rsdp->rsdt);
	if (!root)
		return 0;
	esz = xsdt ? 8 : 4;
	n = (root->length - sizeof(*root)) / esz;
	for (i = 0; i < n; i++) {
		const u8 *e = (const u8 *)(root + 1) + i * esz;
		u64 addr = 0;
		const struct acpi_header *t;

		memcpy(&addr, e, esz);
		t = table_at(addr);
		if (t && !memcmp(t->sig, sig, 4))
			return addr;
	}
	return 0;
}

int acpi_madt_cpus(u64 rsdp, u32 *ids, u32 max, u32 *count)
{
	const struct acpi_header *madt;
	const u8 *p, *end;

	madt = table_at(acpi_find_table(rsdp, "APIC"));
	if (!madt || madt->length < sizeof(*madt) + MADT_BODY)
		return -ENOENT;
	*count = 0;
	p = (const u8 *)(madt + 1) + MADT_BODY;
	end = (const u8 *)madt + madt->length;
	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		u32 id, flags;
		bool cpu = false;

		if (p[0] == MADT_LAPIC && p[1] >= 8) {
			id = p[3];
			memcpy(&flags, p + 4, 4);
			cpu = true;
		} else if (p[0] == MADT_X2APIC && p[1] >= 16) {
			memcpy(&id, p + 4, 4);
			memcpy(&flags, p + 8, 4);
			cpu = true;
		}
		/* Online-capable CPUs are hot-plug slots: not started. */
		if (cpu && (flags & MADT_ENABLED)) {
			if (*count < max)
				ids[*count] = id;
			(*count)++;
		}
		p += p[1];
	}
	return 0;
}
