/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parent's e820 memory map, built from the UEFI memory map the loader
 * captured at ExitBootServices, minus the hv's own memory.
 *
 * Policy (docs/hv-core.md): hv-owned ranges (and a child pool cut off with
 * e820_limit_ram()) are E820_TYPE_RESERVED in the parent's e820 and absent
 * from its NPT.  Reserved rather than a hole because Linux treats e820 holes
 * below 4 GiB as free address space for PCI BARs (e820__setup_pci_gap), and
 * a BAR placed on top of hv RAM would be a mess; this is what Xen does with
 * its own memory.  UEFI types map to e820 types as Linux's EFI stub does
 * (drivers/firmware/efi/libstub/x86-stub.c, setup_e820()); unknown types
 * become reserved instead of being skipped (a hole again).
 */
#ifndef MKHV_E820_H
#define MKHV_E820_H

#include <mkhv/types.h>
#include <mkhv/linux_boot.h>

/* UEFI 2.10 §7.2 EFI_MEMORY_TYPE */
enum efi_memory_type {
	EFI_RESERVED_MEMORY_TYPE = 0,
	EFI_LOADER_CODE = 1,
	EFI_LOADER_DATA = 2,
	EFI_BOOT_SERVICES_CODE = 3,
	EFI_BOOT_SERVICES_DATA = 4,
	EFI_RUNTIME_SERVICES_CODE = 5,
	EFI_RUNTIME_SERVICES_DATA = 6,
	EFI_CONVENTIONAL_MEMORY = 7,
	EFI_UNUSABLE_MEMORY = 8,
	EFI_ACPI_RECLAIM_MEMORY = 9,
	EFI_ACPI_MEMORY_NVS = 10,
	EFI_MEMORY_MAPPED_IO = 11,
	EFI_MEMORY_MAPPED_IO_PORT_SPACE = 12,
	EFI_PAL_CODE = 13,
	EFI_PERSISTENT_MEMORY = 14,
	EFI_UNACCEPTED_MEMORY = 15,
};

#define EFI_MEMORY_SP		BIT_ULL(18)	/* specific-purpose memory */
#define EFI_PAGE_SHIFT		12

/* UEFI EFI_MEMORY_DESCRIPTOR (version 1); firmware's stride may be larger. */
struct efi_memory_desc {
	u32 type;		/* 0x00: enum efi_memory_type */
	u32 pad;		/* 0x04 */
	u64 phys_start;		/* 0x08: 4 KiB aligned */
	u64 virt_start;		/* 0x10 */
	u64 num_pages;		/* 0x18: 4 KiB pages */
	u64 attribute;		/* 0x20: EFI_MEMORY_* */
};
_Static_assert(sizeof(struct efi_memory_desc) == 40, "EFI descriptor size");

/* Highest physical address accepted (x86-64 MAXPHYADDR limit, 52 bits). */
#define E820_PHYS_LIMIT		(1ULL << 52)

/* A range [start, end) of one type; a map keeps them sorted, disjoint and
 * coalesced (no two adjacent ranges of the same type). */
struct e820_range {
	u64 start;
	u64 end;
	u32 type;		/* E820_TYPE_* */
};

/* Working capacity: more than the zero page's 128, so that a map can be
 * edited before it is cut to size by e820_to_boot(). */
#define E820_MAP_MAX	256

struct e820_map {
	u32 nr;
	struct e820_range r[E820_MAP_MAX];
};

/* A physical memory range [start, start + size). */
struct mem_range {
	u64 start;
	u64 size;
};

/**
 * e820_type_from_efi() - e820 type for a UEFI memory type (after EBS).
 * @efi_type: EFI_MEMORY_TYPE
 * @attribute: the descriptor's attributes (EFI_MEMORY_SP)
 */
u32 e820_type_from_efi(u32 efi_type, u64 attribute);

/**
 * e820_from_efi() - build the parent's map from the UEFI memory map.
 * @m: out
 * @efi_map: copy of the GetMemoryMap() buffer
 * @map_size: its size in bytes (a multiple of @desc_size)
 * @desc_size: the firmware's DescriptorSize (>= 40)
 * @hv: hv-owned ranges, marked reserved over whatever the firmware said
 * @nr_hv: number of @hv ranges
 *
 * Return: 0 on success; -EINVAL for a hostile map (stride < 40, size not a
 * multiple of the stride, empty map, zero pages, unaligned start, overflow of
 * start + pages * 4096, above 2^52, overlapping descriptors) or a wrapping hv
 * range; -E2BIG if more than E820_MAP_MAX ranges remain after coalescing.
 * On error @m is empty.
 */
int e820_from_efi(struct e820_map *m, const void *efi_map, size_t map_size,
		  size_t desc_size, const struct mem_range *hv, size_t nr_hv);

/**
 * e820_set() - set [start, start + size) to @type in @m.
 * @override: true: replace what is there (split, trim, swallow ranges);
 *            false: the range must not overlap any existing one (-EINVAL)
 *
 * Return: 0, -EINVAL (size 0, wrap, overlap without @override), -E2BIG
 * (map full; @m unchanged).
 */
int e820_set(struct e820_map *m, u64 start, u64 size, u32 type,
	     bool override);

/** e820_ram_bytes() - total bytes of E820_TYPE_RAM in @m. */
u64 e820_ram_bytes(const struct e820_map *m);

/**
 * e820_limit_ram() - keep the lowest @parent_bytes of RAM for the parent.
 * @m: map to edit: RAM above the limit becomes E820_TYPE_RESERVED
 * @parent_bytes: RAM the parent keeps (rounded down to 4 KiB)
 * @pool: out: the RAM taken away, ascending (the child pool)
 * @pool_max: capacity of @pool
 * @pool_nr: out: entries written
 *
 * Return: 0 (also when the map has less RAM than @parent_bytes: nothing
 * changes, *@pool_nr = 0); -E2BIG if @pool is too small or the map is full
 * (@m unchanged).
 */
int e820_limit_ram(struct e820_map *m, u64 parent_bytes,
		   struct mem_range *pool, size_t pool_max, size_t *pool_nr);

/**
 * e820_to_boot() - the zero-page form of @m.
 * @out: array of @max entries
 * @nr: out: entries used
 *
 * Return: 0, or -E2BIG if @m has more than @max ranges (the hv does not
 * merge ranges of different types to fit; setup_data E820_EXT is not done).
 */
int e820_to_boot(const struct e820_map *m, struct boot_e820_entry *out,
		 u32 max, u32 *nr);

#endif /* MKHV_E820_H */
