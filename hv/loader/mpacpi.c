// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal ACPI 1.0 table set (RSDP -> RSDT -> MADT) built from the
 * firmware's MP Services protocol, for firmware that installs no ACPI
 * tables at all.  Debian's OVMF installs them only through QEMU's fw_cfg,
 * so under Bochs (docs/vmx.md) the hv would otherwise find no MADT and
 * never start the APs.  The tables live in EfiACPIReclaimMemory, which
 * the parent's e820 keeps as ACPI data.  Real firmware always has ACPI
 * tables; this path is never taken there.
 */
#include "loader.h"

/* UEFI PI vol. 2 §13.4: EFI_MP_SERVICES_PROTOCOL (not in gnu-efi). */
#define MP_SERVICES_GUID \
	{ 0x3fdda605, 0xa76e, 0x4f46, \
	  { 0xad, 0x29, 0x12, 0xf4, 0x53, 0x1b, 0x3d, 0x08 } }

struct mp_cpu_info {
	UINT64 processor_id;	/* the APIC ID */
	UINT32 status;		/* bit 1: enabled */
	UINT32 package, core, thread;
	UINT32 extended[6];	/* room for PI 1.7's extended topology */
};

struct mp_services {
	EFI_STATUS (EFIAPI *count)(struct mp_services *self, UINTN *n,
				   UINTN *enabled);
	EFI_STATUS (EFIAPI *info)(struct mp_services *self, UINTN cpu,
				  struct mp_cpu_info *out);
};

#define MP_CPU_ENABLED	(1u << 1)
#define MAX_MADT_CPUS	((EFI_PAGE_SIZE - 0x100) / 8)

struct acpi_hdr {
	char sig[4];
	UINT32 length;
	UINT8 revision, checksum;
	char oem_id[6], oem_table_id[8];
	UINT32 oem_revision, creator_id, creator_revision;
} __attribute__((packed));

static void finish(void *t, UINTN len, UINT8 *sum)
{
	UINT8 s = 0, *p = t;
	UINTN i;

	*sum = 0;
	for (i = 0; i < len; i++)
		s += p[i];
	*sum = (UINT8)-s;
}

static void header(struct acpi_hdr *h, const char *sig, UINT32 len)
{
	CopyMem(h->sig, (void *)sig, 4);
	h->length = len;
	h->revision = 1;
	CopyMem(h->oem_id, "MKHV  ", 6);
	CopyMem(h->oem_table_id, "MKHVLDR ", 8);
	h->oem_revision = 1;
	h->creator_id = 0x564b484d;	/* "MHKV" */
	h->creator_revision = 1;
}

/*
 * One page: RSDP at 0 (20 bytes), RSDT at 0x20 (40), MADT at 0x80 with one
 * processor-local-APIC entry per enabled CPU.  Returns 0 if the firmware
 * has no MP Services or no memory for the page.
 */
UINT64 mpacpi_build(void)
{
	EFI_GUID guid = MP_SERVICES_GUID;
	struct mp_services *mp;
	EFI_PHYSICAL_ADDRESS a = 0xffffffff;
	UINTN n, enabled, i;
	UINT8 *page, *e;
	struct acpi_hdr *rsdt, *madt;
	UINT32 len, nr = 0;

	if (EFI_ERROR(LibLocateProtocol(&guid, (void **)&mp)) ||
	    EFI_ERROR(uefi_call_wrapper(mp->count, 3, mp, &n, &enabled)) ||
	    EFI_ERROR(uefi_call_wrapper(BS->AllocatePages, 4,
					AllocateMaxAddress,
					EfiACPIReclaimMemory, 1, &a)))
		return 0;
	page = (UINT8 *)(UINTN)a;
	ZeroMem(page, EFI_PAGE_SIZE);
	madt = (struct acpi_hdr *)(page + 0x80);
	e = (UINT8 *)(madt + 1);
	*(UINT32 *)e = 0xfee00000;	/* local APIC address; flags 0 */
	e += 8;
	for (i = 0; i < n && nr < MAX_MADT_CPUS && nr < 255; i++) {
		struct mp_cpu_info ci;

		if (EFI_ERROR(uefi_call_wrapper(mp->info, 3, mp, i, &ci)) ||
		    !(ci.status & MP_CPU_ENABLED) || ci.processor_id > 254)
			continue;
		e[0] = 0;		/* processor local APIC */
		e[1] = 8;
		e[2] = (UINT8)nr;	/* ACPI processor UID */
		e[3] = (UINT8)ci.processor_id;
		e[4] = 1;		/* enabled */
		e += 8;
		nr++;
	}
	len = (UINT32)(e - (UINT8 *)madt);
	header(madt, "APIC", len);
	finish(madt, len, &madt->checksum);
	rsdt = (struct acpi_hdr *)(page + 0x20);
	header(rsdt, "RSDT", sizeof(*rsdt) + 4);
	*(UINT32 *)(rsdt + 1) = (UINT32)(a + 0x80);
	finish(rsdt, rsdt->length, &rsdt->checksum);
	CopyMem(page, "RSD PTR ", 8);
	CopyMem(page + 9, "MKHV  ", 6);
	*(UINT32 *)(page + 16) = (UINT32)(a + 0x20);	/* revision 0 */
	finish(page, 20, page + 8);
	Print(L"mkhv: no ACPI tables from the firmware: built a MADT of %d "
	      L"CPUs from MP Services\n", (int)nr);
	return a;
}
