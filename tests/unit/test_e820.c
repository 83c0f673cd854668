// SPDX-License-Identifier: GPL-2.0
#include "hv_check.h"
#include <stdint.h>
#include <mkhv/e820.h>
#include <mkhv/errno.h>
#include "hv_fakes.h"

#define MiB (1024ULL * 1024)
#define GiB (1024 * MiB)

static uint8_t efi[64 * 1024];
static size_t efi_len;
static size_t stride = 48;	/* OVMF's DescriptorSize */
static struct e820_map map;

static void efi_reset(size_t s)
{
	memset(efi, 0xa5, sizeof(efi));	/* stride padding is garbage */
	efi_len = 0;
	stride = s;
}

static void efi_add(uint32_t type, uint64_t start, uint64_t pages,
		    uint64_t attr)
{
	struct efi_memory_desc d = {
		.type = type, .phys_start = start, .num_pages = pages,
		.attribute = attr, .pad = 0xdeadbeef,
	};

	memcpy(efi + efi_len, &d, sizeof(d));
	efi_len += stride;
}

static void expect(uint32_t i, uint64_t start, uint64_t end, uint32_t type)
{
	ck_assert_uint_gt(map.nr, i);
	ck_assert_uint_eq(map.r[i].start, start);
	ck_assert_uint_eq(map.r[i].end, end);
	ck_assert_uint_eq(map.r[i].type, type);
}

/* An OVMF-like q35 map (unsorted, as firmware may give it). */
static void ovmf_map(void)
{
	efi_reset(48);
	efi_add(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x700, 0);
	efi_add(EFI_BOOT_SERVICES_CODE, 0, 0xa0, 0);
	efi_add(EFI_LOADER_DATA, 0x800000, 0x800, 0);
	efi_add(EFI_ACPI_MEMORY_NVS, 0x1000000, 0x10, 0);
	efi_add(EFI_BOOT_SERVICES_DATA, 0x1010000, 0x1dff0, 0);
	efi_add(EFI_RUNTIME_SERVICES_DATA, 0x1f000000, 0x100, 0);
	efi_add(EFI_ACPI_RECLAIM_MEMORY, 0x1f100000, 0x10, 0);
	efi_add(EFI_CONVENTIONAL_MEMORY, 0x1f110000, 0xef0, 0);
	efi_add(EFI_MEMORY_MAPPED_IO, 0xb0000000, 0x10000, 0);	/* ECAM */
	efi_add(EFI_MEMORY_MAPPED_IO, 0xffc00000, 0x400, 0);	/* flash */
}

START_TEST(test_type_mapping)
{
	static const uint32_t want[16] = {
		[EFI_RESERVED_MEMORY_TYPE] = E820_TYPE_RESERVED,
		[EFI_LOADER_CODE] = E820_TYPE_RAM,
		[EFI_LOADER_DATA] = E820_TYPE_RAM,
		[EFI_BOOT_SERVICES_CODE] = E820_TYPE_RAM,
		[EFI_BOOT_SERVICES_DATA] = E820_TYPE_RAM,
		[EFI_RUNTIME_SERVICES_CODE] = E820_TYPE_RESERVED,
		[EFI_RUNTIME_SERVICES_DATA] = E820_TYPE_RESERVED,
		[EFI_CONVENTIONAL_MEMORY] = E820_TYPE_RAM,
		[EFI_UNUSABLE_MEMORY] = E820_TYPE_UNUSABLE,
		[EFI_ACPI_RECLAIM_MEMORY] = E820_TYPE_ACPI,
		[EFI_ACPI_MEMORY_NVS] = E820_TYPE_NVS,
		[EFI_MEMORY_MAPPED_IO] = E820_TYPE_RESERVED,
		[EFI_MEMORY_MAPPED_IO_PORT_SPACE] = E820_TYPE_RESERVED,
		[EFI_PAL_CODE] = E820_TYPE_RESERVED,
		[EFI_PERSISTENT_MEMORY] = E820_TYPE_PMEM,
		[EFI_UNACCEPTED_MEMORY] = E820_TYPE_RESERVED,
	};

	for (uint32_t t = 0; t < 16; t++)
		ck_assert_uint_eq(e820_type_from_efi(t, 0), want[t]);
	ck_assert_uint_eq(e820_type_from_efi(0x70000000, 0), E820_TYPE_RESERVED);
	ck_assert_uint_eq(e820_type_from_efi(EFI_CONVENTIONAL_MEMORY,
					     EFI_MEMORY_SP),
			  E820_TYPE_SOFT_RESERVED);
}
END_TEST

START_TEST(test_ovmf_map_sorted_coalesced)
{
	ovmf_map();
	ck_assert_int_eq(e820_from_efi(&map, efi, efi_len, stride, NULL, 0), 0);
	ck_assert_uint_eq(map.nr, 9);
	expect(0, 0, 0xa0000, E820_TYPE_RAM);
	expect(1, 0x100000, 0x1000000, E820_TYPE_RAM);	/* conv + loader */
	expect(2, 0x1000000, 0x1010000, E820_TYPE_NVS);
	expect(3, 0x1010000, 0x1f000000, E820_TYPE_RAM);
	expect(4, 0x1f000000, 0x1f100000, E820_TYPE_RESERVED);
	expect(5, 0x1f100000, 0x1f110000, E820_TYPE_ACPI);
	expect(6, 0x1f110000, 0x20000000, E820_TYPE_RAM);
	expect(7, 0xb0000000, 0xc0000000, E820_TYPE_RESERVED);
	expect(8, 0xffc00000, 0x100000000, E820_TYPE_RESERVED);
}
END_TEST

START_TEST(test_hv_ranges_reserved)
{
	struct mem_range hv[] = {
		{ 0x2000000, 0x400000 },	/* inside RAM: split */
		{ 0x1f0ff800, 0x1000 },		/* straddles, unaligned */
		{ 0x0, 0 },			/* empty: ignored */
	};

	ovmf_map();
	ck_assert_int_eq(e820_from_efi(&map, efi, efi_len, stride, hv, 3), 0);
	expect(3, 0x1010000, 0x2000000, E820_TYPE_RAM);
	expect(4, 0x2000000, 0x2400000, E820_TYPE_RESERVED);
	expect(5, 0x2400000, 0x1f000000, E820_TYPE_RAM);
	/* Rounded out to pages and merged with runtime data + eaten ACPI page */
	expect(6, 0x1f000000, 0x1f101000, E820_TYPE_RESERVED);
	expect(7, 0x1f101000, 0x1f110000, E820_TYPE_ACPI);
	ck_assert_uint_eq(e820_ram_bytes(&map),
			  0xa0000 + 0xf00000 + (0x1f000000 - 0x1010000 - 0x400000) +
			  0xef0000);
}
END_TEST

START_TEST(test_hv_range_outside_map_and_spanning)
{
	struct mem_range hv[] = {
		{ 0x40000000, 0x100000 },		/* in no descriptor */
		{ 0x80000, 0x1000000 },			/* swallows several */
	};

	ovmf_map();
	ck_assert_int_eq(e820_from_efi(&map, efi, efi_len, stride, hv, 2), 0);
	expect(0, 0, 0x80000, E820_TYPE_RAM);
	expect(1, 0x80000, 0x1080000, E820_TYPE_RESERVED);
	expect(2, 0x1080000, 0x1f000000, E820_TYPE_RAM);
	ck_assert_uint_eq(map.r[map.nr - 3].start, 0x40000000);
	ck_assert_uint_eq(map.r[map.nr - 3].type, E820_TYPE_RESERVED);
}
END_TEST

START_TEST(test_large_stride_and_unaligned_buffer)
{
	static uint8_t buf[1024];

	efi_reset(136);
	efi_add(EFI_CONVENTIONAL_MEMORY, 0x1000, 1, 0);
	efi_add(EFI_CONVENTIONAL_MEMORY, 0x2000, 1, 0);
	memcpy(buf + 3, efi, efi_len);
	ck_assert_int_eq(e820_from_efi(&map, buf + 3, efi_len, stride, NULL, 0),
			 0);
	ck_assert_uint_eq(map.nr, 1);
	expect(0, 0x1000, 0x3000, E820_TYPE_RAM);
}
END_TEST

START_TEST(test_hostile_maps)
{
	ovmf_map();
	ck_assert_int_eq(e820_from_efi(&map, efi, efi_len, 39, NULL, 0), -EINVAL);
	ck_assert_int_eq(e820_from_efi(&map, efi, efi_len - 1, stride, NULL, 0),
			 -EINVAL);
	ck_assert_int_eq(e820_from_efi(&map, efi, 0, stride, NULL, 0), -EINVAL);
	ck_assert_int_eq(e820_from_efi(&map, NULL, 48, stride, NULL, 0), -EINVAL);
	ck_assert_uint_eq(map.nr, 0);

	efi_reset(48);	/* zero pages */
	efi_add(EFI_CONVENTIONAL_MEMORY, 0x1000, 0, 0);
	ck_assert_int_eq(e820_from_efi(&map, efi, efi_len, stride, NULL, 0), -EINVAL);

	efi_reset(48);	/* unaligned start */
	efi_add(EFI_CONVENTIONAL_MEMORY, 0x1800, 1, 0);
	ck_assert_int_eq(e820_from_efi(&map, efi, efi_len, stride, NULL, 0), -EINVAL);

	efi_reset(48);	/* start + pages * 4096 wraps */
	efi_add(EFI_CONVENTIONAL_MEMORY, 0x1000, 1ULL << 52, 0);
	ck_assert_int_eq(e820_from_efi(&map, efi, efi_len, stride, NULL, 0), -EINVAL);
	efi_reset(48);
	efi_add(EFI_CONVENTIONAL_MEMORY, 0xfffffffffffff000ULL, 2, 0);
	ck_assert_int_eq(e820_from_efi(&map, efi, efi_len, stride, NULL, 0), -EINVAL);
	efi_reset(48);	/* above 2^52 */
	efi_add(EFI_CONVENTIONAL_MEMORY, 1ULL << 52, 1, 0);
	ck_assert_int_eq(e820_from_efi(&map, efi, efi_len, stride, NULL, 0), -EINVAL);
	efi_reset(48);	/* ends exactly at 2^52: fine */
	efi_add(EFI_CONVENTIONAL_MEMORY, (1ULL << 52) - 0x1000, 1, 0);
	ck_assert_int_eq(e820_from_efi(&map, efi, efi_len, stride, NULL, 0), 0);

	efi_reset(48);	/* overlap, same type */
	efi_add(EFI_CONVENTIONAL_MEMORY, 0x1000, 4, 0);
	efi_add(EFI_CONVENTIONAL_MEMORY, 0x4000, 4, 0);
	ck_assert_int_eq(e820_from_efi(&map, efi, efi_len, stride, NULL, 0), -EINVAL);
	efi_reset(48);	/* overlap, contained, other type, out of order */
	efi_add(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100, 0);
	efi_add(EFI_ACPI_MEMORY_NVS, 0x0, 0x10, 0);
	efi_add(EFI_RUNTIME_SERVICES_DATA, 0x150000, 1, 0);
	ck_assert_int_eq(e820_from_efi(&map, efi, efi_len, stride, NULL, 0), -EINVAL);
	ck_assert_uint_eq(map.nr, 0);
}
END_TEST

START_TEST(test_hostile_hv_range)
{
	struct mem_range hv = { 0xfffffffffffff000ULL, 0x2000 };

	ovmf_map();
	ck_assert_int_eq(e820_from_efi(&map, efi, efi_len, stride, &hv, 1), -EINVAL);
	ck_assert_uint_eq(map.nr, 0);
}
END_TEST

START_TEST(test_too_many_ranges)
{
	efi_reset(48);
	/* 300 alternating ranges cannot coalesce. */
	for (uint64_t i = 0; i < 300; i++)
		efi_add(i & 1 ? EFI_ACPI_MEMORY_NVS : EFI_CONVENTIONAL_MEMORY,
			i * 0x1000, 1, 0);
	ck_assert_int_eq(e820_from_efi(&map, efi, efi_len, stride, NULL, 0), -E2BIG);
	/* 200 fit in the working map, not in the zero page. */
	ck_assert_int_eq(e820_from_efi(&map, efi, 200 * stride, stride, NULL, 0), 0);
	ck_assert_uint_eq(map.nr, 200);
	{
		struct boot_e820_entry out[E820_MAX_ENTRIES_ZEROPAGE];
		uint32_t nr = 7;

		ck_assert_int_eq(e820_to_boot(&map, out, 128, &nr), -E2BIG);
		ck_assert_uint_eq(nr, 7);
	}
}
END_TEST

START_TEST(test_set_full_map_unchanged)
{
	map.nr = 0;
	for (uint64_t i = 0; i < E820_MAP_MAX - 1; i++)
		ck_assert_int_eq(e820_set(&map, i * 0x2000, 0x1000,
					  E820_TYPE_RAM, false), 0);
	ck_assert_uint_eq(map.nr, E820_MAP_MAX - 1);
	/* A split would need two slots: refused, nothing changed. */
	ck_assert_int_eq(e820_set(&map, 0x800, 0x100, E820_TYPE_RESERVED, true),
			 -E2BIG);
	ck_assert_uint_eq(map.nr, E820_MAP_MAX - 1);
	expect(0, 0, 0x1000, E820_TYPE_RAM);
	ck_assert_int_eq(e820_set(&map, 0, 0, E820_TYPE_RAM, true), -EINVAL);
	ck_assert_int_eq(e820_set(&map, UINT64_MAX - 10, 100, E820_TYPE_RAM,
				  true), -EINVAL);
}
END_TEST

START_TEST(test_set_override_cases)
{
	map.nr = 0;
	ck_assert_int_eq(e820_set(&map, 0x0000, 0x4000, E820_TYPE_RAM, false), 0);
	ck_assert_int_eq(e820_set(&map, 0x4000, 0x4000, E820_TYPE_ACPI, false), 0);
	ck_assert_int_eq(e820_set(&map, 0x8000, 0x4000, E820_TYPE_RAM, false), 0);
	/* Cover the tail of 0, all of 1, the head of 2. */
	ck_assert_int_eq(e820_set(&map, 0x3000, 0x6000, E820_TYPE_NVS, true), 0);
	ck_assert_uint_eq(map.nr, 3);
	expect(0, 0, 0x3000, E820_TYPE_RAM);
	expect(1, 0x3000, 0x9000, E820_TYPE_NVS);
	expect(2, 0x9000, 0xc000, E820_TYPE_RAM);
	/* Back to RAM: everything coalesces into one range. */
	ck_assert_int_eq(e820_set(&map, 0x3000, 0x6000, E820_TYPE_RAM, true), 0);
	ck_assert_uint_eq(map.nr, 1);
	expect(0, 0, 0xc000, E820_TYPE_RAM);
	/* Same type inside: no split, no change. */
	ck_assert_int_eq(e820_set(&map, 0x1000, 0x1000, E820_TYPE_RAM, true), 0);
	ck_assert_uint_eq(map.nr, 1);
	/* Exactly the whole range. */
	ck_assert_int_eq(e820_set(&map, 0, 0xc000, E820_TYPE_PMEM, true), 0);
	expect(0, 0, 0xc000, E820_TYPE_PMEM);
	ck_assert_uint_eq(map.nr, 1);
	/* Touching, no overlap: inserted and coalesced without override. */
	ck_assert_int_eq(e820_set(&map, 0xc000, 0x1000, E820_TYPE_PMEM, false), 0);
	expect(0, 0, 0xd000, E820_TYPE_PMEM);
}
END_TEST

START_TEST(test_limit_ram)
{
	struct mem_range pool[8];
	size_t n = 99;

	ovmf_map();
	ck_assert_int_eq(e820_from_efi(&map, efi, efi_len, stride, NULL, 0), 0);
	/* Keep 0xa0000 + 0xf00000 + 0x1000000 + a bit. */
	ck_assert_int_eq(e820_limit_ram(&map, 0xa0000 + 0xf00000 + 0x1000fff,
					pool, 8, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(pool[0].start, 0x1010000 + 0x1000000);
	ck_assert_uint_eq(pool[0].size, 0x1f000000 - 0x2010000);
	ck_assert_uint_eq(pool[1].start, 0x1f110000);
	ck_assert_uint_eq(pool[1].size, 0xef0000);
	ck_assert_uint_eq(e820_ram_bytes(&map), 0xa0000 + 0xf00000 + 0x1000000);
	expect(3, 0x1010000, 0x2010000, E820_TYPE_RAM);
	expect(4, 0x2010000, 0x1f100000, E820_TYPE_RESERVED);
	expect(6, 0x1f110000, 0x20000000, E820_TYPE_RESERVED);
}
END_TEST

START_TEST(test_limit_ram_edges)
{
	struct mem_range pool[1];
	size_t n = 5;
	uint32_t before;

	ovmf_map();
	ck_assert_int_eq(e820_from_efi(&map, efi, efi_len, stride, NULL, 0), 0);
	before = map.nr;
	/* More than all RAM: nothing changes. */
	ck_assert_int_eq(e820_limit_ram(&map, 64 * GiB, pool, 1, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_uint_eq(map.nr, before);
	/* Pool list too small: -E2BIG, map unchanged. */
	ck_assert_int_eq(e820_limit_ram(&map, 1 * MiB, pool, 1, &n), -E2BIG);
	ck_assert_uint_eq(map.nr, before);
	ck_assert_uint_eq(e820_ram_bytes(&map),
			  0xa0000 + 0xf00000 + 0x1dff0000 + 0xef0000);
	/* Zero: all RAM goes to the pool. */
	{
		struct mem_range big[8];

		ck_assert_int_eq(e820_limit_ram(&map, 0, big, 8, &n), 0);
		ck_assert_uint_eq(n, 4);
		ck_assert_uint_eq(e820_ram_bytes(&map), 0);
	}
}
END_TEST

START_TEST(test_to_boot)
{
	struct boot_e820_entry out[E820_MAX_ENTRIES_ZEROPAGE];
	uint32_t nr = 0;

	ovmf_map();
	ck_assert_int_eq(e820_from_efi(&map, efi, efi_len, stride, NULL, 0), 0);
	ck_assert_int_eq(e820_to_boot(&map, out, 128, &nr), 0);
	ck_assert_uint_eq(nr, map.nr);
	ck_assert_uint_eq(out[1].addr, 0x100000);
	ck_assert_uint_eq(out[1].size, 0xf00000);
	ck_assert_uint_eq(out[1].type, E820_TYPE_RAM);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("e820");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_type_mapping);
	tcase_add_test(tc, test_ovmf_map_sorted_coalesced);
	tcase_add_test(tc, test_hv_ranges_reserved);
	tcase_add_test(tc, test_hv_range_outside_map_and_spanning);
	tcase_add_test(tc, test_large_stride_and_unaligned_buffer);
	tcase_add_test(tc, test_hostile_maps);
	tcase_add_test(tc, test_hostile_hv_range);
	tcase_add_test(tc, test_too_many_ranges);
	tcase_add_test(tc, test_set_full_map_unchanged);
	tcase_add_test(tc, test_set_override_cases);
	tcase_add_test(tc, test_limit_ram);
	tcase_add_test(tc, test_limit_ram_edges);
	tcase_add_test(tc, test_to_boot);
	suite_add_tcase(s, tc);
	return hv_check_run(s);
}
