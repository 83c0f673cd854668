// SPDX-License-Identifier: GPL-2.0
/*
 * hvloader's hypervisor path (DESIGN §2): load hv.elf, gather what the hv
 * needs (memory map, ACPI RSDP, framebuffer, the parent's kernel, initrd
 * and command line), call ExitBootServices ourselves and jump to the hv.
 * The hv then owns every CPU and boots the parent as its first guest.
 *
 * Everything that can fail is done before ExitBootServices, so errors
 * are still printed by the firmware and the machine returns to it.
 */
#include <mkhv/bootinfo.h>

#include "loader.h"
#include "elf.h"

#ifndef MKHV_VERSION
#define MKHV_VERSION "unknown"
#endif

#define HV_FILE_MAX      (16u << 20)
#define KERNEL_FILE_MAX  (128u << 20)
#define INITRD_FILE_MAX  (1024u << 20)
#define MEMMAP_MAX       (256u << 10)	/* room for the map in the region */
#define PARENT_AREA_PAGES 16
#define LOW_4G           0xffffffffull

static const char *const no_boot = "mkhv cannot run on this machine";

static void cpuid(UINT32 leaf, UINT32 r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(0));
}

static UINT64 rdmsr(UINT32 msr)
{
	UINT32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((UINT64)hi << 32) | lo;
}

/*
 * Intel VT-x: VMX enabled by the firmware (IA32_FEATURE_CONTROL locked
 * with VMXON outside SMX, or left unlocked for the hv to set), with EPT
 * and unrestricted guest among the allowed-1 secondary controls.
 */
static EFI_STATUS vmx_check(void)
{
	UINT64 fc = rdmsr(0x3a), proc, proc2;

	if ((fc & 5) == 1) {
		Print(L"mkhv: error: Intel VT-x is disabled by the firmware "
		      L"(IA32_FEATURE_CONTROL locked without VMXON): enable "
		      L"VT-x in the setup menu\n");
		return EFI_UNSUPPORTED;
	}
	/* IA32_VMX_PROCBASED_CTLS bit 63: secondary controls allowed. */
	proc = rdmsr(0x482);
	proc2 = (proc >> 63) ? rdmsr(0x48b) >> 32 : 0;
	if (!(proc2 & (1u << 1)) || !(proc2 & (1u << 7))) {
		Print(L"mkhv: error: this CPU's VT-x has no %a: %a\n",
		      !(proc2 & (1u << 1)) ? "EPT" : "unrestricted guest",
		      no_boot);
		return EFI_UNSUPPORTED;
	}
	return EFI_SUCCESS;
}

/* AMD-V with nested paging, not disabled by the firmware. */
static EFI_STATUS svm_check(const char *vendor)
{
	UINT32 r[4], max_ext;

	cpuid(0x80000000, r);
	max_ext = r[0];
	cpuid(0x80000001, r);
	if (max_ext < 0x8000000a || !(r[2] & (1u << 2))) {
		Print(L"mkhv: error: this CPU (%a) has no AMD-V (SVM) or Intel "
		      L"VT-x (VMX): %a\n", vendor, no_boot);
		return EFI_UNSUPPORTED;
	}
	cpuid(0x8000000a, r);
	if (!(r[3] & 1)) {
		Print(L"mkhv: error: this CPU's AMD-V has no nested paging "
		      L"(NPT): %a\n", no_boot);
		return EFI_UNSUPPORTED;
	}
	if (rdmsr(0xc0010114) & (1u << 4)) {
		Print(L"mkhv: error: AMD-V is disabled by the firmware "
		      L"(VM_CR.SVMDIS): enable SVM in the setup menu\n");
		return EFI_UNSUPPORTED;
	}
	return EFI_SUCCESS;
}

/*
 * The hv runs on Intel VT-x (VMX) or AMD-V (SVM), chosen like the hv
 * chooses its backend (CPUID.1:ECX.VMX first).  Checked here, where the
 * firmware can still show the reason.
 */
static EFI_STATUS cpu_check(void)
{
	UINT32 r[4];
	char vendor[13];

	cpuid(0, r);
	CopyMem(vendor, &r[1], 4);
	CopyMem(vendor + 4, &r[3], 4);
	CopyMem(vendor + 8, &r[2], 4);
	vendor[12] = 0;
	cpuid(1, r);
	if (r[2] & (1u << 5))
		return vmx_check();
	return svm_check(vendor);
}

static EFI_STATUS load_hv(EFI_FILE_HANDLE root, UINT64 *region,
			  struct elf_image *img)
{
	const char *why = "";
	EFI_STATUS st;
	UINTN size, pages;
	UINT64 a;
	void *file;

	st = file_read(root, HV_PATH, HV_FILE_MAX, FILE_POOL, &file, &size);
	if (EFI_ERROR(st)) {
		Print(L"mkhv: error: %s: cannot read (%r)\n", HV_PATH, st);
		return st;
	}
	if (elf_inspect(file, size, img, &why)) {
		Print(L"mkhv: error: %s: %a\n", HV_PATH, why);
		FreePool(file);
		return EFI_LOAD_ERROR;
	}
	/* 2 MiB alignment lets the parent's NPT use large pages around it. */
	pages = EFI_SIZE_TO_PAGES(MKHV_HV_REGION_SIZE + (2u << 20));
	st = alloc_low(pages, LOW_4G, &a);
	if (EFI_ERROR(st)) {
		Print(L"mkhv: error: no memory for the hypervisor (%r)\n", st);
		FreePool(file);
		return st;
	}
	*region = (a + (2u << 20) - 1) & ~((2ull << 20) - 1);
	if (elf_load(file, size, img, (UINT8 *)(UINTN)*region, &why)) {
		Print(L"mkhv: error: %s: %a\n", HV_PATH, why);
		st = EFI_LOAD_ERROR;
	}
	FreePool(file);
	return st;
}

static EFI_STATUS load_parent(EFI_FILE_HANDLE root, struct mkhv_bootinfo *bi)
{
	UINT32 init_size, align;
	EFI_STATUS st;
	UINTN size;
	void *p;
	UINT8 *k;

	st = file_read(root, KERNEL_PATH, KERNEL_FILE_MAX, FILE_LOW, &p, &size);
	if (EFI_ERROR(st)) {
		Print(L"mkhv: error: %s: cannot read (%r)\n", KERNEL_PATH, st);
		return st;
	}
	bi->kernel_addr = (UINTN)p;
	bi->kernel_size = size;
	/* The hv validates the image; here only size its run area. */
	k = p;
	if (size < 0x264) {
		Print(L"mkhv: error: %s: not a bzImage\n", KERNEL_PATH);
		return EFI_LOAD_ERROR;
	}
	CopyMem(&init_size, k + 0x260, 4);
	CopyMem(&align, k + 0x230, 4);
	if (init_size > (512u << 20) || align > (16u << 20)) {
		Print(L"mkhv: error: %s: implausible init_size/alignment\n",
		      KERNEL_PATH);
		return EFI_LOAD_ERROR;
	}
	bi->kernel_area_size = ((UINT64)init_size + align + 0xfff) & ~0xfffull;
	st = alloc_low(EFI_SIZE_TO_PAGES(bi->kernel_area_size), LOW_4G,
		       &bi->kernel_area);
	if (!EFI_ERROR(st))
		st = file_read(root, INITRD_PATH, INITRD_FILE_MAX, FILE_LOW, &p,
			       &size);
	if (EFI_ERROR(st)) {
		Print(L"mkhv: error: cannot load the parent's initrd (%r)\n", st);
		return st;
	}
	bi->initrd_addr = (UINTN)p;
	bi->initrd_size = size;
	bi->parent_area_size = PARENT_AREA_PAGES * EFI_PAGE_SIZE;
	st = alloc_low(PARENT_AREA_PAGES, LOW_4G, &bi->parent_area);
	if (!EFI_ERROR(st))
		st = alloc_low(1, 0x9ffff, &bi->trampoline);
	if (EFI_ERROR(st))
		Print(L"mkhv: error: no low memory for the boot areas (%r)\n", st);
	return st;
}

static void find_platform(struct mkhv_bootinfo *bi)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
	UINT64 rsdp1 = 0;
	UINTN i;

	for (i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_GUID *g = &ST->ConfigurationTable[i].VendorGuid;
		UINTN t = (UINTN)ST->ConfigurationTable[i].VendorTable;

		if (!CompareGuid(g, &acpi20))
			bi->acpi_rsdp = t;
		else if (!CompareGuid(g, &acpi10))
			rsdp1 = t;
	}
	/* OVMF without QEMU's fw_cfg (Bochs) installs ACPI 1.0 tables only. */
	if (!bi->acpi_rsdp)
		bi->acpi_rsdp = rsdp1;
	if (!bi->acpi_rsdp)
		bi->acpi_rsdp = mpacpi_build();
	if (EFI_ERROR(LibLocateProtocol(&GraphicsOutputProtocol, (void **)&gop)))
		return;
	bi->fb_base = gop->Mode->FrameBufferBase;
	bi->fb_size = gop->Mode->FrameBufferSize;
	bi->fb_width = gop->Mode->Info->HorizontalResolution;
	bi->fb_height = gop->Mode->Info->VerticalResolution;
	bi->fb_stride = gop->Mode->Info->PixelsPerScanLine;
	bi->fb_format = gop->Mode->Info->PixelFormat;
}

static void fill_cfg(struct mkhv_bootinfo *bi, const struct mkhv_cfg *cfg)
{
	static const UINT32 serial[] = {
		[CFG_SERIAL_NONE] = MKHV_SERIAL_NONE,
		[CFG_SERIAL_COM1] = MKHV_SERIAL_COM1,
		[CFG_SERIAL_COM2] = MKHV_SERIAL_COM2,
	};

	bi->magic = MKHV_BOOTINFO_MAGIC;
	bi->version = MKHV_BOOTINFO_VERSION;
	bi->size = sizeof(*bi);
	bi->log_level = cfg->log_level;
	bi->parent_memory = cfg->parent_memory;
	bi->hv_serial = serial[cfg->hv_serial];
	bi->on_fatal = cfg->on_fatal == CFG_FATAL_RESET ? MKHV_FATAL_RESET :
							  MKHV_FATAL_HALT;
	CopyMem(bi->cmdline, (void *)cfg->cmdline, sizeof(bi->cmdline));
	bi->cmdline[sizeof(bi->cmdline) - 1] = 0;
	CopyMem(bi->loader_version, MKHV_VERSION,
		sizeof(MKHV_VERSION) < sizeof(bi->loader_version) ?
		sizeof(MKHV_VERSION) : sizeof(bi->loader_version) - 1);
}

/*
 * Gets the final memory map into the hv region and exits boot services.
 * Nothing may allocate between GetMemoryMap and ExitBootServices; if the
 * map key went stale (an event allocated), fetch the map again.
 */
static EFI_STATUS exit_boot(EFI_HANDLE image, struct mkhv_bootinfo *bi)
{
	EFI_MEMORY_DESCRIPTOR *map = (void *)(UINTN)bi->memmap_addr;
	UINTN size, key, dsize;
	UINT32 dver;
	EFI_STATUS st = EFI_LOAD_ERROR;
	int tries;

	for (tries = 0; tries < 8; tries++) {
		size = MEMMAP_MAX;
		st = uefi_call_wrapper(BS->GetMemoryMap, 5, &size, map, &key,
				       &dsize, &dver);
		if (EFI_ERROR(st))
			return st;
		st = uefi_call_wrapper(BS->ExitBootServices, 2, image, key);
		if (!EFI_ERROR(st))
			break;
	}
	bi->memmap_size = size;
	bi->memmap_desc_size = (UINT32)dsize;
	bi->memmap_desc_version = dver;
	return st;
}

EFI_STATUS hv_boot(EFI_HANDLE image, EFI_FILE_HANDLE root,
		   const struct mkhv_cfg *cfg)
{
	struct mkhv_bootinfo *bi;
	struct elf_image img;
	void (*entry)(struct mkhv_bootinfo *);
	UINT64 region;
	EFI_STATUS st;

	st = cpu_check();
	if (EFI_ERROR(st))
		return st;
	st = load_hv(root, &region, &img);
	if (EFI_ERROR(st))
		return st;
	/* Region: [image][bootinfo page][memory map][heap ...]. */
	bi = (void *)(UINTN)(region + img.span);
	bi->hv_base = region;
	bi->hv_size = MKHV_HV_REGION_SIZE;
	bi->hv_image_size = img.span;
	bi->memmap_addr = region + img.span + EFI_PAGE_SIZE;
	fill_cfg(bi, cfg);
	st = load_parent(root, bi);
	if (EFI_ERROR(st))
		return st;
	find_platform(bi);
	if (!bi->acpi_rsdp)
		Print(L"mkhv: warning: no ACPI RSDP: APs will stay off\n");
	Print(L"mkhv: hypervisor at %lx (%d KiB image), log on %a; "
	      L"exiting boot services\n", region, (int)(img.span >> 10),
	      cfg_serial_name(cfg->hv_serial));
	st = exit_boot(image, bi);
	if (EFI_ERROR(st)) {
		Print(L"mkhv: error: ExitBootServices failed (%r)\n", st);
		return st;
	}
	/* No firmware services from here on. */
	__asm__ volatile("cli");
	entry = (void *)(UINTN)(region + img.entry);
	entry(bi);
	for (;;)
		__asm__ volatile("hlt");
}
