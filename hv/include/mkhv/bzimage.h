/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bzImage validation, placement and boot_params construction for the Linux
 * x86 64-bit boot protocol (Documentation/x86/boot.rst, "64-bit Boot
 * Protocol").  Used by the hv to boot the parent; the image is treated as
 * hostile: every field is bounds-checked and the header is copied once.
 */
#ifndef MKHV_BZIMAGE_H
#define MKHV_BZIMAGE_H

#include <mkhv/types.h>
#include <mkhv/linux_boot.h>

/* What bzimage_parse() learned about an image (copied, trusted after). */
struct bzimage_info {
	struct linux_setup_header hdr;	/* header copy (bytes past the image's header end are 0) */
	size_t hdr_len;			/* header bytes present in the image, from 0x1f1 */
	u64 setup_size;			/* (setup_sects + 1) * 512 */
	u64 kernel_offset;		/* file offset of the protected-mode kernel (= setup_size) */
	u64 kernel_size;		/* bytes of it in the file: copy these to the load address */
	u64 pref_address;		/* preferred load address */
	u32 kernel_alignment;		/* load address alignment (power of two) */
	u32 init_size;			/* bytes needed from the load address on */
	bool relocatable;
};

/**
 * bzimage_parse() - validate a bzImage in memory.
 * @image: the whole file
 * @size: its size in bytes
 * @bi: filled on success
 *
 * Checks boot flag 0xaa55, "HdrS", protocol >= 2.12, XLF_KERNEL_64,
 * LOADED_HIGH, the header end, setup_sects and syssize against @size, a
 * power-of-two kernel_alignment and init_size >= the kernel's size.
 *
 * Return: 0 on success, -EINVAL for anything malformed or unsupported.
 */
int bzimage_parse(const void *image, size_t size, struct bzimage_info *bi);

/**
 * bzimage_place() - choose where the protected-mode kernel goes.
 * @bi: from bzimage_parse()
 * @start: first byte of the free physical region offered
 * @end: first byte after it
 * @load_addr: out: load address
 *
 * Takes pref_address if [pref_address, pref_address + init_size) fits in
 * the region, else (relocatable kernels only) @start aligned up to
 * kernel_alignment.  Copy bi->kernel_size bytes from image +
 * bi->kernel_offset to @load_addr and keep init_size bytes free there.
 *
 * Return: 0 on success, -ENOSPC if the kernel cannot go in the region.
 */
int bzimage_place(const struct bzimage_info *bi, u64 start, u64 end,
		  u64 *load_addr);

/** bzimage_entry64() - the 64-bit entry point of a kernel loaded at @load_addr. */
static inline u64 bzimage_entry64(u64 load_addr)
{
	return load_addr + LINUX_ENTRY64_OFFSET;
}

/* What the loader tells the kernel (all physical addresses). */
struct bzimage_boot_cfg {
	u64 cmdline_addr;	/* NUL-terminated command line, 0 = none */
	u32 cmdline_len;	/* its length without the NUL */
	u64 initrd_addr;	/* initrd, 0 = none */
	u64 initrd_size;
	u64 acpi_rsdp_addr;	/* 0 = let the kernel search (EFI: none) */
	const struct boot_e820_entry *e820;
	u32 e820_nr;		/* <= E820_MAX_ENTRIES_ZEROPAGE */
};

/**
 * bzimage_fill_boot_params() - build the zero page for the 64-bit entry.
 * @bi: from bzimage_parse()
 * @cfg: command line, initrd, RSDP and memory map
 * @bp: out: zeroed, then filled
 *
 * Copies the setup header, sets type_of_loader 0xff, LOADED_HIGH (and
 * clears CAN_USE_HEAP: no real-mode setup runs), the command line, initrd,
 * ACPI RSDP and e820 table, using the ext_* high halves above 4 GiB.
 *
 * Return: 0 on success; -EINVAL if the command line is longer than the
 * kernel's cmdline_size, a range wraps, or something lies above 4 GiB /
 * initrd_addr_max without XLF_CAN_BE_LOADED_ABOVE_4G; -E2BIG for more than
 * 128 e820 entries.
 */
int bzimage_fill_boot_params(const struct bzimage_info *bi,
			     const struct bzimage_boot_cfg *cfg,
			     struct boot_params *bp);

#endif /* MKHV_BZIMAGE_H */
