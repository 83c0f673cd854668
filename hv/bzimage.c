// SPDX-License-Identifier: GPL-2.0
/*
 * bzImage loading for the Linux x86 64-bit boot protocol (boot.rst).
 */
#include <mkhv/bzimage.h>
#include <mkhv/errno.h>
#include <mkhv/printk.h>
#include <mkhv/string.h>

#define FOUR_G	0x100000000ULL

static u16 rd16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static u32 rd32(const u8 *p)
{
	return (u32)rd16(p) | (u32)rd16(p + 2) << 16;
}

static bool is_pow2(u64 x)
{
	return x && !(x & (x - 1));
}

/* Header presence and version checks; fills hdr and hdr_len. */
static int parse_header(const u8 *img, size_t size, struct bzimage_info *bi)
{
	size_t hdr_end;

	/* Enough to read the jump byte at 0x201 and "HdrS" at 0x202. */
	if (size < 0x206)
		return -EINVAL;
	if (rd16(img + 0x1fe) != LINUX_BOOT_FLAG ||
	    rd32(img + 0x202) != LINUX_HDRS_MAGIC)
		return -EINVAL;
	/* boot.rst: the header ends at 0x202 + the byte at 0x201. */
	hdr_end = 0x202 + (size_t)img[0x201];
	/* 2.12 fields up to init_size/handover_offset must be there. */
	if (hdr_end < 0x268 || hdr_end > size)
		return -EINVAL;
	bi->hdr_len = MIN(hdr_end, (size_t)0x26c) - LINUX_SETUP_HDR_OFFSET;
	memset(&bi->hdr, 0, sizeof(bi->hdr));
	memcpy(&bi->hdr, img + LINUX_SETUP_HDR_OFFSET, bi->hdr_len);
	if (bi->hdr.version < LINUX_BOOT_PROTOCOL_MIN ||
	    !(bi->hdr.xloadflags & LINUX_XLF_KERNEL_64) ||
	    !(bi->hdr.loadflags & LINUX_LOADED_HIGH) ||
	    bi->hdr.cmdline_size == 0)
		return -EINVAL;
	return 0;
}

/* Sizes: setup, protected-mode kernel, syssize, alignment, init_size. */
static int parse_layout(size_t size, size_t hdr_end, struct bzimage_info *bi)
{
	const struct linux_setup_header *h = &bi->hdr;
	u64 sects = h->setup_sects ? h->setup_sects : LINUX_SETUP_SECTS_DEFAULT;
	u64 sys_bytes = (u64)h->syssize * 16;

	bi->setup_size = (sects + 1) * LINUX_SECTOR_SIZE;
	if (bi->setup_size < hdr_end || bi->setup_size >= size)
		return -EINVAL;
	bi->kernel_offset = bi->setup_size;
	bi->kernel_size = size - bi->setup_size;
	/* The 64-bit entry at +0x200 must lie inside the file. */
	if (bi->kernel_size <= LINUX_ENTRY64_OFFSET)
		return -EINVAL;
	/* tools/build.c rounds syssize up over the payload + 4-byte CRC. */
	if (sys_bytes == 0 || sys_bytes > bi->kernel_size + 15)
		return -EINVAL;
	if (!is_pow2(h->kernel_alignment) || h->kernel_alignment < PAGE_SIZE)
		return -EINVAL;
	if ((u64)h->init_size < bi->kernel_size)
		return -EINVAL;
	bi->pref_address = h->pref_address;
	bi->kernel_alignment = h->kernel_alignment;
	bi->init_size = h->init_size;
	bi->relocatable = h->relocatable_kernel != 0;
	if (!bi->relocatable &&
	    (range_overflows(bi->pref_address, bi->init_size) ||
	     !IS_ALIGNED(bi->pref_address, PAGE_SIZE)))
		return -EINVAL;
	return 0;
}

int bzimage_parse(const void *image, size_t size, struct bzimage_info *bi)
{
	int ret;

	if (!image || !bi)
		return -EINVAL;
	memset(bi, 0, sizeof(*bi));
	ret = parse_header(image, size, bi);
	if (!ret)
		ret = parse_layout(size, bi->hdr_len + LINUX_SETUP_HDR_OFFSET,
				   bi);
	if (ret)
		pr_debug("bzimage: rejected (%d)\n", ret);
	return ret;
}

static bool fits(u64 addr, u64 len, u64 start, u64 end)
{
	return addr >= start && addr <= end && len <= end - addr;
}

int bzimage_place(const struct bzimage_info *bi, u64 start, u64 end,
		  u64 *load_addr)
{
	u64 a;

	if (start >= end)
		return -ENOSPC;
	if (IS_ALIGNED(bi->pref_address, bi->kernel_alignment) &&
	    fits(bi->pref_address, bi->init_size, start, end)) {
		*load_addr = bi->pref_address;
		return 0;
	}
	if (!bi->relocatable)
		return -ENOSPC;
	if (start > UINT64_MAX - (bi->kernel_alignment - 1))
		return -ENOSPC;
	a = ALIGN_UP(start, (u64)bi->kernel_alignment);
	if (!fits(a, bi->init_size, start, end))
		return -ENOSPC;
	*load_addr = a;
	return 0;
}

static int set_cmdline(const struct bzimage_info *bi,
		       const struct bzimage_boot_cfg *cfg, struct boot_params *bp)
{
	bool above4g = bi->hdr.xloadflags & LINUX_XLF_CAN_BE_LOADED_ABOVE_4G;

	if (!cfg->cmdline_addr)
		return 0;
	if (cfg->cmdline_len > bi->hdr.cmdline_size ||
	    range_overflows(cfg->cmdline_addr, (u64)cfg->cmdline_len + 1))
		return -EINVAL;
	if (cfg->cmdline_addr + cfg->cmdline_len >= FOUR_G && !above4g)
		return -EINVAL;
	bp->hdr.cmd_line_ptr = (u32)cfg->cmdline_addr;
	bp->ext_cmd_line_ptr = (u32)(cfg->cmdline_addr >> 32);
	return 0;
}

static int set_initrd(const struct bzimage_info *bi,
		      const struct bzimage_boot_cfg *cfg, struct boot_params *bp)
{
	bool above4g = bi->hdr.xloadflags & LINUX_XLF_CAN_BE_LOADED_ABOVE_4G;
	u64 last;

	if (!cfg->initrd_size)
		return 0;
	if (!cfg->initrd_addr ||
	    range_overflows(cfg->initrd_addr, cfg->initrd_size))
		return -EINVAL;
	last = cfg->initrd_addr + cfg->initrd_size - 1;
	if (last > bi->hdr.initrd_addr_max && !above4g)
		return -EINVAL;
	bp->hdr.ramdisk_image = (u32)cfg->initrd_addr;
	bp->ext_ramdisk_image = (u32)(cfg->initrd_addr >> 32);
	bp->hdr.ramdisk_size = (u32)cfg->initrd_size;
	bp->ext_ramdisk_size = (u32)(cfg->initrd_size >> 32);
	return 0;
}

int bzimage_fill_boot_params(const struct bzimage_info *bi,
			     const struct bzimage_boot_cfg *cfg,
			     struct boot_params *bp)
{
	int ret;

	if (cfg->e820_nr > E820_MAX_ENTRIES_ZEROPAGE)
		return -E2BIG;
	if (cfg->e820_nr && !cfg->e820)
		return -EINVAL;
	memset(bp, 0, sizeof(*bp));
	memcpy(&bp->hdr, &bi->hdr, bi->hdr_len);
	bp->hdr.type_of_loader = LINUX_LOADER_TYPE_UNDEFINED;
	bp->hdr.loadflags |= LINUX_LOADED_HIGH;
	/* No real-mode setup code runs on the 64-bit entry: no heap. */
	bp->hdr.loadflags &= (u8)~LINUX_CAN_USE_HEAP;
	bp->hdr.heap_end_ptr = 0;
	ret = set_cmdline(bi, cfg, bp);
	if (!ret)
		ret = set_initrd(bi, cfg, bp);
	if (ret) {
		memset(bp, 0, sizeof(*bp));
		return ret;
	}
	bp->acpi_rsdp_addr = cfg->acpi_rsdp_addr;
	bp->e820_entries = (u8)cfg->e820_nr;
	if (cfg->e820_nr)
		memcpy(bp->e820_table, cfg->e820,
		       cfg->e820_nr * sizeof(struct boot_e820_entry));
	return 0;
}
