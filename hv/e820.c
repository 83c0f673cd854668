// SPDX-License-Identifier: GPL-2.0
/*
 * e820 map of the parent, from the UEFI memory map (see mkhv/e820.h for
 * the policy).  The map is an array of sorted, disjoint, coalesced ranges
 * edited in place.
 */
#include <mkhv/e820.h>
#include <mkhv/errno.h>
#include <mkhv/lib.h>
#include <mkhv/printk.h>
#include <mkhv/string.h>

u32 e820_type_from_efi(u32 efi_type, u64 attribute)
{
	switch (efi_type) {
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
	case EFI_CONVENTIONAL_MEMORY:
		/* Boot-services memory is free once EBS has run. */
		if (attribute & EFI_MEMORY_SP)
			return E820_TYPE_SOFT_RESERVED;
		return E820_TYPE_RAM;
	case EFI_UNUSABLE_MEMORY:
		return E820_TYPE_UNUSABLE;
	case EFI_ACPI_RECLAIM_MEMORY:
		return E820_TYPE_ACPI;
	case EFI_ACPI_MEMORY_NVS:
		return E820_TYPE_NVS;
	case EFI_PERSISTENT_MEMORY:
		return E820_TYPE_PMEM;
	case EFI_RESERVED_MEMORY_TYPE:
	case EFI_RUNTIME_SERVICES_CODE:
	case EFI_RUNTIME_SERVICES_DATA:
	case EFI_MEMORY_MAPPED_IO:
	case EFI_MEMORY_MAPPED_IO_PORT_SPACE:
	case EFI_PAL_CODE:
	default:
		/* Unaccepted (TDX/SNP) and unknown types: not RAM, no hole. */
		return E820_TYPE_RESERVED;
	}
}

static void map_remove(struct e820_map *m, u32 idx, u32 cnt)
{
	memmove(&m->r[idx], &m->r[idx + cnt],
		(m->nr - idx - cnt) * sizeof(m->r[0]));
	m->nr -= cnt;
}

/* Caller checked capacity. */
static void map_insert(struct e820_map *m, u32 idx, u64 s, u64 e, u32 type)
{
	memmove(&m->r[idx + 1], &m->r[idx], (m->nr - idx) * sizeof(m->r[0]));
	m->r[idx] = (struct e820_range){ .start = s, .end = e, .type = type };
	m->nr++;
}

/* Coalesce r[idx] with equal-typed, touching neighbours. */
static void map_merge_around(struct e820_map *m, u32 idx)
{
	struct e820_range *r = m->r;

	if (idx + 1 < m->nr && r[idx].end == r[idx + 1].start &&
	    r[idx].type == r[idx + 1].type) {
		r[idx].end = r[idx + 1].end;
		map_remove(m, idx + 1, 1);
	}
	if (idx > 0 && r[idx - 1].end == r[idx].start &&
	    r[idx - 1].type == r[idx].type) {
		r[idx - 1].end = r[idx].end;
		map_remove(m, idx, 1);
	}
}

static int set_no_overlap(struct e820_map *m, u32 i, u64 s, u64 e, u32 type)
{
	if (i < m->nr && m->r[i].start < e)
		return -EINVAL;
	if (m->nr >= E820_MAP_MAX)
		return -E2BIG;
	map_insert(m, i, s, e, type);
	map_merge_around(m, i);
	return 0;
}

int e820_set(struct e820_map *m, u64 start, u64 size, u32 type,
	     bool override)
{
	u64 s = start, e = start + size;
	u32 i = 0, j;

	if (size == 0 || range_overflows(start, size) || e < s)
		return -EINVAL;
	while (i < m->nr && m->r[i].end <= s)
		i++;
	if (!override)
		return set_no_overlap(m, i, s, e, type);
	/* Up to two new slots (a split); refuse before touching anything. */
	if (m->nr + 2 > E820_MAP_MAX)
		return -E2BIG;
	if (i < m->nr && m->r[i].start < s) {
		if (m->r[i].end > e) {
			/* Strictly inside r[i]: split it around the new range. */
			struct e820_range old = m->r[i];

			m->r[i].end = s;
			map_insert(m, i + 1, e, old.end, old.type);
			map_insert(m, i + 1, s, e, type);
			map_merge_around(m, i + 1);
			return 0;
		}
		m->r[i].end = s;
		i++;
	}
	for (j = i; j < m->nr && m->r[j].end <= e; j++)
		;
	if (j < m->nr && m->r[j].start < e)
		m->r[j].start = e;
	if (j > i) {
		m->r[i] = (struct e820_range){ .start = s, .end = e, .type = type };
		map_remove(m, i + 1, j - i - 1);
	} else {
		map_insert(m, i, s, e, type);
	}
	map_merge_around(m, i);
	return 0;
}

static int add_efi_desc(struct e820_map *m, const u8 *p)
{
	struct efi_memory_desc d;

	/* The buffer may be unaligned and its stride odd: copy first. */
	memcpy(&d, p, sizeof(d));
	if (d.num_pages == 0 || !IS_ALIGNED(d.phys_start, PAGE_SIZE) ||
	    d.phys_start >= E820_PHYS_LIMIT ||
	    d.num_pages > (E820_PHYS_LIMIT - d.phys_start) >> EFI_PAGE_SHIFT)
		return -EINVAL;
	return e820_set(m, d.phys_start, d.num_pages << EFI_PAGE_SHIFT,
			e820_type_from_efi(d.type, d.attribute), false);
}

static int add_hv_range(struct e820_map *m, const struct mem_range *hv)
{
	u64 s, e;

	if (hv->size == 0)
		return 0;
	if (range_overflows(hv->start, hv->size) ||
	    hv->start + hv->size > E820_PHYS_LIMIT)
		return -EINVAL;
	/* Round outwards: a partly-hv page is an hv page. */
	s = ALIGN_DOWN(hv->start, PAGE_SIZE);
	e = ALIGN_UP(hv->start + hv->size, PAGE_SIZE);
	return e820_set(m, s, e - s, E820_TYPE_RESERVED, true);
}

int e820_from_efi(struct e820_map *m, const void *efi_map, size_t map_size,
		  size_t desc_size, const struct mem_range *hv, size_t nr_hv)
{
	const u8 *p = efi_map;
	int ret = 0;
	size_t i;

	m->nr = 0;
	if (!efi_map || desc_size < sizeof(struct efi_memory_desc) ||
	    map_size == 0 || map_size % desc_size)
		return -EINVAL;
	for (i = 0; i < map_size / desc_size && !ret; i++)
		ret = add_efi_desc(m, p + i * desc_size);
	for (i = 0; i < nr_hv && !ret; i++)
		ret = add_hv_range(m, &hv[i]);
	if (ret) {
		pr_warn("e820: UEFI memory map refused (%d)\n", ret);
		m->nr = 0;
	}
	return ret;
}

u64 e820_ram_bytes(const struct e820_map *m)
{
	u64 sum = 0;

	for (u32 i = 0; i < m->nr; i++)
		if (m->r[i].type == E820_TYPE_RAM)
			sum += m->r[i].end - m->r[i].start;
	return sum;
}

int e820_limit_ram(struct e820_map *m, u64 parent_bytes,
		   struct mem_range *pool, size_t pool_max, size_t *pool_nr)
{
	u64 left = ALIGN_DOWN(parent_bytes, PAGE_SIZE);
	size_t n = 0;
	u32 i;

	*pool_nr = 0;
	/* First pass: list the pool without changing the map. */
	for (i = 0; i < m->nr; i++) {
		const struct e820_range *r = &m->r[i];
		u64 len = r->end - r->start, keep;

		if (r->type != E820_TYPE_RAM)
			continue;
		keep = MIN(left, len);
		left -= keep;
		if (keep == len)
			continue;
		if (n == pool_max)
			return -E2BIG;
		pool[n++] = (struct mem_range){ r->start + keep, len - keep };
	}
	/*
	 * Only the first pool range can split a RAM range (one new slot); the
	 * others replace whole ranges.  e820_set() wants two free slots.
	 */
	if (n && m->nr + 3 > E820_MAP_MAX)
		return -E2BIG;
	for (i = 0; i < n; i++) {
		int ret = e820_set(m, pool[i].start, pool[i].size,
				   E820_TYPE_RESERVED, true);

		ASSERT(ret == 0);
	}
	*pool_nr = n;
	return 0;
}

int e820_to_boot(const struct e820_map *m, struct boot_e820_entry *out,
		 u32 max, u32 *nr)
{
	if (m->nr > max)
		return -E2BIG;
	for (u32 i = 0; i < m->nr; i++) {
		out[i].addr = m->r[i].start;
		out[i].size = m->r[i].end - m->r[i].start;
		out[i].type = m->r[i].type;
	}
	*nr = m->nr;
	return 0;
}
