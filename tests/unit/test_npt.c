// SPDX-License-Identifier: GPL-2.0
#include "hv_check.h"
#include <stdint.h>
#include <mkhv/errno.h>
#include <mkhv/npt.h>
#include "hv_fakes.h"

#define MiB (1024ULL * 1024)
#define GiB (1024 * MiB)

/*
 * Fake page source: a pool whose "host-physical" addresses (FAKE_HPA_BASE +
 * index * 4 KiB) differ from the host pointers, so mixing them up fails.
 */
#define POOL_PAGES	256
#define FAKE_HPA_BASE	0x7700000000ULL

static uint8_t (*pool)[4096];
static bool used[POOL_PAGES];
static int pool_limit;		/* allocations left before failing */
static int in_use, allocs, frees;

static void *fake_alloc(void *ctx, hpa_t *hpa)
{
	(void)ctx;
	if (pool_limit == 0)
		return NULL;
	for (int i = 0; i < POOL_PAGES; i++) {
		if (!used[i]) {
			used[i] = true;
			pool_limit--;
			in_use++;
			allocs++;
			memset(pool[i], 0x5a, 4096);	/* dirty on purpose */
			*hpa = FAKE_HPA_BASE + (uint64_t)i * 4096;
			return pool[i];
		}
	}
	return NULL;
}

static void *fake_to_virt(void *ctx, hpa_t hpa)
{
	uint64_t i = (hpa - FAKE_HPA_BASE) / 4096;

	(void)ctx;
	ck_assert(hpa >= FAKE_HPA_BASE && i < POOL_PAGES && used[i]);
	return pool[i];
}

static void fake_free(void *ctx, void *va, hpa_t hpa)
{
	uint64_t i = (hpa - FAKE_HPA_BASE) / 4096;

	(void)ctx;
	ck_assert_ptr_eq(va, fake_to_virt(NULL, hpa));
	used[i] = false;
	in_use--;
	frees++;
}

static const struct npt_allocator fake = {
	.alloc = fake_alloc, .free = fake_free, .to_virt = fake_to_virt,
};

static struct npt npt;
static enum npt_format fmt;

static void setup(void)
{
	pool = aligned_alloc(4096, POOL_PAGES * 4096);
	memset(used, 0, sizeof(used));
	pool_limit = -1;
	in_use = allocs = frees = 0;
}

static void teardown(void)
{
	free(pool);
}

static void init(bool allow_1g)
{
	ck_assert_int_eq(npt_init(&npt, fmt, &fake, allow_1g), 0);
	ck_assert_int_eq(in_use, 1);
	ck_assert_uint_eq(npt.table_pages, 1);
}

static struct npt_mapping look(gpa_t gpa)
{
	struct npt_mapping m = { 0 };

	ck_assert_int_eq(npt_lookup(&npt, gpa, &m), 0);
	return m;
}

static void expect_unmapped(gpa_t gpa)
{
	struct npt_mapping m;

	ck_assert_int_eq(npt_lookup(&npt, gpa, &m), -ENOENT);
}

START_TEST(test_init_destroy)
{
	fmt = _i;
	init(false);
	ck_assert_uint_eq(npt_root(&npt) & 0xfff, 0);
	ck_assert_uint_ge(npt_root(&npt), FAKE_HPA_BASE);
	expect_unmapped(0);
	npt_destroy(&npt);
	ck_assert_int_eq(in_use, 0);
	ck_assert_int_eq(npt_init(&npt, 7, &fake, false), -EINVAL);
	pool_limit = 0;
	ck_assert_int_eq(npt_init(&npt, fmt, &fake, false), -ENOMEM);
}
END_TEST

START_TEST(test_map_4k)
{
	struct npt_mapping m;

	fmt = _i;
	init(false);
	ck_assert_int_eq(npt_map(&npt, 0x5000, 0x123000, 0x2000, NPT_RW,
				 NPT_MT_WB), 0);
	m = look(0x5abc);
	ck_assert_uint_eq(m.hpa, 0x123abc);
	ck_assert_uint_eq(m.page_size, 4096);
	ck_assert_uint_eq(m.prot, NPT_RW);
	ck_assert_int_eq(m.memtype, NPT_MT_WB);
	ck_assert_uint_eq(look(0x6000).hpa, 0x124000);
	expect_unmapped(0x4fff);
	expect_unmapped(0x7000);
	/* root + PDPT + PD + PT */
	ck_assert_uint_eq(npt.table_pages, 4);
	npt_destroy(&npt);
	ck_assert_int_eq(in_use, 0);
}
END_TEST

START_TEST(test_largest_pages)
{
	fmt = _i;
	init(true);
	/* 4K head, 2M pages, 1G page, 2M, 4K tail. */
	ck_assert_int_eq(npt_map(&npt, 0x3ffff000, 0x3ffff000,
				 0x1000 + GiB + 2 * MiB + 0x1000, NPT_RWX,
				 NPT_MT_WB), 0);
	ck_assert_uint_eq(look(0x3ffff000).page_size, 4096);
	ck_assert_uint_eq(look(0x40000000).page_size, GiB);
	ck_assert_uint_eq(look(0x7fffffff).hpa, 0x7fffffff);
	ck_assert_uint_eq(look(0x80000000).page_size, 2 * MiB);
	ck_assert_uint_eq(look(0x80200000).page_size, 4096);
	expect_unmapped(0x80201000);
	npt_destroy(&npt);
	ck_assert_int_eq(in_use, 0);
}
END_TEST

START_TEST(test_no_1g_when_not_allowed)
{
	fmt = _i;
	init(false);
	ck_assert_int_eq(npt_map(&npt, GiB, GiB, GiB, NPT_RW, NPT_MT_WB), 0);
	ck_assert_uint_eq(look(GiB + 5).page_size, 2 * MiB);
	ck_assert_uint_eq(look(2 * GiB - 1).hpa, 2 * GiB - 1);
	npt_destroy(&npt);
}
END_TEST

START_TEST(test_misaligned_hpa_uses_small_pages)
{
	fmt = _i;
	init(true);
	/* GPA 2M-aligned, HPA only 4K-aligned: 4K pages throughout. */
	ck_assert_int_eq(npt_map(&npt, 2 * MiB, 0x1001000, 4 * MiB, NPT_RW,
				 NPT_MT_WB), 0);
	ck_assert_uint_eq(look(2 * MiB).page_size, 4096);
	ck_assert_uint_eq(look(6 * MiB - 1).hpa, 0x1001000 + 4 * MiB - 1);
	npt_destroy(&npt);
}
END_TEST

START_TEST(test_map_rejects_bad_args)
{
	fmt = _i;
	init(true);
	ck_assert_int_eq(npt_map(&npt, 0x1800, 0, 0x1000, NPT_RW, 0), -EINVAL);
	ck_assert_int_eq(npt_map(&npt, 0x1000, 0x800, 0x1000, NPT_RW, 0), -EINVAL);
	ck_assert_int_eq(npt_map(&npt, 0x1000, 0, 0x800, NPT_RW, 0), -EINVAL);
	ck_assert_int_eq(npt_map(&npt, 0x1000, 0, 0, NPT_RW, 0), -EINVAL);
	ck_assert_int_eq(npt_map(&npt, 0x1000, 0, 0x1000, NPT_W, 0), -EINVAL);
	ck_assert_int_eq(npt_map(&npt, 0x1000, 0, 0x1000, 0, 0), -EINVAL);
	ck_assert_int_eq(npt_map(&npt, 0x1000, 0, 0x1000, 0x9, 0), -EINVAL);
	ck_assert_int_eq(npt_map(&npt, 0x1000, 0, 0x1000, NPT_R, 3), -EINVAL);
	ck_assert_int_eq(npt_map(&npt, NPT_GPA_LIMIT, 0, 0x1000, NPT_R, 0), -EINVAL);
	ck_assert_int_eq(npt_map(&npt, NPT_GPA_LIMIT - 0x1000, 0, 0x2000,
				 NPT_R, 0), -EINVAL);
	ck_assert_int_eq(npt_map(&npt, 0, NPT_HPA_LIMIT - 0x1000, 0x2000,
				 NPT_R, 0), -EINVAL);
	ck_assert_int_eq(npt_map(&npt, 0xfffffffffffff000ULL, 0, 0x2000,
				 NPT_R, 0), -EINVAL);
	/* The very last page of both spaces is fine. */
	ck_assert_int_eq(npt_map(&npt, NPT_GPA_LIMIT - 0x1000,
				 NPT_HPA_LIMIT - 0x1000, 0x1000, NPT_R, 0), 0);
	ck_assert_uint_eq(look(NPT_GPA_LIMIT - 1).hpa, NPT_HPA_LIMIT - 1);
	ck_assert_int_eq(npt_lookup(&npt, NPT_GPA_LIMIT, &(struct npt_mapping){ 0 }),
			 -EINVAL);
	npt_destroy(&npt);
	ck_assert_int_eq(in_use, 0);
}
END_TEST

START_TEST(test_map_over_existing_refused)
{
	int before;

	fmt = _i;
	init(true);
	ck_assert_int_eq(npt_map(&npt, 4 * MiB, 4 * MiB, 2 * MiB, NPT_RW, 0), 0);
	before = in_use;
	/* Overlap at the end of the new range, via a large page. */
	ck_assert_int_eq(npt_map(&npt, 0x100000, 0, 4 * MiB, NPT_RW, 0), -EEXIST);
	ck_assert_int_eq(npt_map(&npt, 6 * MiB - 0x1000, 0, 0x1000, NPT_RW, 0),
			 -EEXIST);
	ck_assert_int_eq(in_use, before);
	expect_unmapped(0x100000);
	/* Adjacent is fine. */
	ck_assert_int_eq(npt_map(&npt, 6 * MiB, 0, 0x1000, NPT_RW, 0), 0);
	npt_destroy(&npt);
}
END_TEST

START_TEST(test_map_enomem_rolls_back)
{
	fmt = _i;
	init(false);
	ck_assert_int_eq(npt_map(&npt, 0, 0, 0x1000, NPT_RW, 0), 0);
	ck_assert_int_eq(in_use, 4);
	/* Spans two PTs and a new PD: needs 3 new tables, give 2. */
	pool_limit = 2;
	ck_assert_int_eq(npt_map(&npt, GiB - 0x2000, GiB - 0x2000, 0x4000,
				 NPT_RW, 0), -ENOMEM);
	ck_assert_int_eq(in_use, 4);
	expect_unmapped(GiB - 0x2000);
	expect_unmapped(GiB);
	ck_assert_uint_eq(look(0).hpa, 0);
	pool_limit = -1;
	ck_assert_int_eq(npt_map(&npt, GiB - 0x2000, GiB - 0x2000, 0x4000,
				 NPT_RW, 0), 0);
	npt_destroy(&npt);
	ck_assert_int_eq(in_use, 0);
}
END_TEST

START_TEST(test_unmap_splits_and_frees)
{
	fmt = _i;
	init(true);
	ck_assert_int_eq(npt_map(&npt, GiB, 3 * GiB, GiB, NPT_RW, NPT_MT_UC), 0);
	ck_assert_int_eq(in_use, 2);	/* root + PDPT */
	/* A 4K hole in the middle of the 1G page. */
	ck_assert_int_eq(npt_unmap(&npt, GiB + 5 * MiB + 0x3000, 0x1000), 0);
	expect_unmapped(GiB + 5 * MiB + 0x3000);
	ck_assert_uint_eq(look(GiB + 5 * MiB + 0x2fff).hpa,
			  3 * GiB + 5 * MiB + 0x2fff);
	ck_assert_uint_eq(look(GiB + 5 * MiB + 0x4000).page_size, 4096);
	ck_assert_uint_eq(look(GiB + 4 * MiB).page_size, 4096);
	ck_assert_uint_eq(look(GiB + 6 * MiB).page_size, 2 * MiB);
	ck_assert_int_eq(look(GiB + 4 * MiB).memtype, NPT_MT_UC);
	ck_assert_uint_eq(look(GiB + 5 * MiB).prot, NPT_RW);
	ck_assert_int_eq(in_use, 4);	/* + PD + PT */
	/* Unmap everything (with holes around): tables are freed. */
	ck_assert_int_eq(npt_unmap(&npt, 0, 4 * GiB), 0);
	expect_unmapped(GiB);
	ck_assert_int_eq(in_use, 1);
	npt_destroy(&npt);
	ck_assert_int_eq(in_use, 0);
	ck_assert_int_eq(allocs, frees);
}
END_TEST

START_TEST(test_unmap_enomem_keeps_translation)
{
	fmt = _i;
	init(true);
	ck_assert_int_eq(npt_map(&npt, 0, 0, 4 * MiB, NPT_RW, 0), 0);
	pool_limit = 0;
	ck_assert_int_eq(npt_unmap(&npt, 0x1000, 0x1000), -ENOMEM);
	ck_assert_uint_eq(look(0x1000).hpa, 0x1000);
	ck_assert_uint_eq(look(0x1000).page_size, 2 * MiB);
	/* Aligned unmap of a whole large page needs no allocation. */
	ck_assert_int_eq(npt_unmap(&npt, 2 * MiB, 2 * MiB), 0);
	expect_unmapped(2 * MiB);
	ck_assert_int_eq(npt_unmap(&npt, 0x1000, 0x800), -EINVAL);
	ck_assert_int_eq(npt_unmap(&npt, 0, 0), -EINVAL);
	npt_destroy(&npt);
}
END_TEST

START_TEST(test_protect)
{
	struct npt_mapping m;

	fmt = _i;
	init(true);
	ck_assert_int_eq(npt_map(&npt, 0, 0x40000000, 4 * MiB, NPT_RWX,
				 NPT_MT_WC), 0);
	/* Write-protect 3 pages straddling nothing but inside a 2M page. */
	ck_assert_int_eq(npt_protect(&npt, 0x10000, 0x3000, NPT_R | NPT_X), 0);
	m = look(0x11000);
	ck_assert_uint_eq(m.prot, NPT_R | NPT_X);
	ck_assert_int_eq(m.memtype, NPT_MT_WC);
	ck_assert_uint_eq(m.hpa, 0x40011000);
	ck_assert_uint_eq(look(0x13000).prot, NPT_RWX);
	ck_assert_uint_eq(look(0xf000).prot, NPT_RWX);
	ck_assert_uint_eq(look(2 * MiB).page_size, 2 * MiB);
	/* Whole range read-only: the 2M page stays a 2M page. */
	ck_assert_int_eq(npt_protect(&npt, 0, 4 * MiB, NPT_R), 0);
	ck_assert_uint_eq(look(3 * MiB).prot, NPT_R);
	ck_assert_uint_eq(look(3 * MiB).page_size, 2 * MiB);
	ck_assert_int_eq(npt_protect(&npt, 0, 4 * MiB, NPT_W), -EINVAL);
	ck_assert_int_eq(npt_protect(&npt, 0, 4 * MiB, 0x10 | NPT_R), -EINVAL);
	/* Holes are skipped. */
	ck_assert_int_eq(npt_protect(&npt, 8 * MiB, 4 * MiB, NPT_RW), 0);
	expect_unmapped(8 * MiB);
	npt_destroy(&npt);
	ck_assert_int_eq(in_use, 0);
}
END_TEST

START_TEST(test_map_unmap_cycles_no_leak)
{
	fmt = _i;
	init(true);
	for (int i = 0; i < 20; i++) {
		uint64_t g = (uint64_t)i * 3 * MiB + (uint64_t)i * 0x1000;

		ck_assert_int_eq(npt_map(&npt, g, g, 5 * MiB + 0x3000, NPT_RW, 0), 0);
		ck_assert_int_eq(npt_unmap(&npt, g + 0x1000, 5 * MiB), 0);
		ck_assert_int_eq(npt_unmap(&npt, g, 5 * MiB + 0x3000), 0);
		ck_assert_int_eq(in_use, 1);
	}
	npt_destroy(&npt);
	ck_assert_int_eq(allocs, frees);
}
END_TEST

/* The raw bits of each format, read straight from the table pages. */
START_TEST(test_amd_entry_bits)
{
	uint64_t *pml4, *pdpt, *pd, *pt;

	fmt = NPT_FORMAT_AMD;
	init(true);
	ck_assert_int_eq(npt_map(&npt, 0x1000, 0xabc000, 0x1000, NPT_RW,
				 NPT_MT_UC), 0);
	ck_assert_int_eq(npt_map(&npt, 2 * MiB, 2 * MiB, 2 * MiB, NPT_RWX,
				 NPT_MT_WC), 0);
	ck_assert_int_eq(npt_map(&npt, GiB, GiB, GiB, NPT_R, NPT_MT_WB), 0);
	pml4 = fake_to_virt(NULL, npt_root(&npt));
	ck_assert_uint_eq(pml4[0] & 0xfff, 0x7);	/* P RW US */
	ck_assert_uint_eq(pml4[0] >> 63, 0);
	pdpt = fake_to_virt(NULL, pml4[0] & 0xffffffffff000ULL);
	ck_assert_uint_eq(pdpt[1], GiB | 0x85 | (1ULL << 63)); /* P US PS NX */
	pd = fake_to_virt(NULL, pdpt[0] & 0xffffffffff000ULL);
	ck_assert_uint_eq(pd[1], 2 * MiB | 0x8f);	/* P RW US PWT PS */
	pt = fake_to_virt(NULL, pd[0] & 0xffffffffff000ULL);
	ck_assert_uint_eq(pt[1], 0xabc000 | 0x1f | (1ULL << 63)); /* PCD PWT */
	ck_assert_uint_eq(pt[0], 0);
	npt_destroy(&npt);
}
END_TEST

START_TEST(test_ept_entry_bits)
{
	uint64_t *pml4, *pdpt, *pd, *pt;

	fmt = NPT_FORMAT_EPT;
	init(true);
	ck_assert_int_eq(npt_map(&npt, 0x1000, 0xabc000, 0x1000, NPT_RW,
				 NPT_MT_UC), 0);
	ck_assert_int_eq(npt_map(&npt, 2 * MiB, 2 * MiB, 2 * MiB, NPT_RWX,
				 NPT_MT_WC), 0);
	ck_assert_int_eq(npt_map(&npt, GiB, GiB, GiB, NPT_R | NPT_X,
				 NPT_MT_WB), 0);
	pml4 = fake_to_virt(NULL, npt_root(&npt));
	ck_assert_uint_eq(pml4[0] & 0xfff, 0x7);	/* RWX */
	pdpt = fake_to_virt(NULL, pml4[0] & 0xffffffffff000ULL);
	ck_assert_uint_eq(pdpt[1], GiB | 0x80 | (6 << 3) | 0x5);
	pd = fake_to_virt(NULL, pdpt[0] & 0xffffffffff000ULL);
	ck_assert_uint_eq(pd[1], 2 * MiB | 0x80 | (1 << 3) | 0x7);
	pt = fake_to_virt(NULL, pd[0] & 0xffffffffff000ULL);
	ck_assert_uint_eq(pt[1], 0xabc000 | 0x3);	/* UC = 0, RW */
	npt_destroy(&npt);
}
END_TEST

static struct e820_map pmap;

static void parent_map(void)
{
	pmap.nr = 0;
	ck_assert_int_eq(e820_set(&pmap, 0, 0xa0000, E820_TYPE_RAM, false), 0);
	ck_assert_int_eq(e820_set(&pmap, 0x100000, 0x7ff00000, E820_TYPE_RAM,
				  false), 0);
	ck_assert_int_eq(e820_set(&pmap, 0xb0000000, 0x10000000,
				  E820_TYPE_RESERVED, false), 0);
	ck_assert_int_eq(e820_set(&pmap, 4 * GiB, 2 * GiB, E820_TYPE_RAM,
				  false), 0);
}

START_TEST(test_parent_identity_map)
{
	struct mem_range hv[] = { { 0x7e000000, 0x2000000 }, { 0x9f000, 0x800 } };
	struct npt_mapping m;

	fmt = _i;
	init(true);
	parent_map();
	ck_assert_int_eq(npt_map_parent(&npt, &pmap, hv, 2, 8 * GiB,
					NPT_MT_UC), 0);
	/* RAM: identity, WB, large pages where possible. */
	m = look(0x40000000);
	ck_assert_uint_eq(m.hpa, 0x40000000);
	ck_assert_int_eq(m.memtype, NPT_MT_WB);
	ck_assert_uint_eq(m.page_size, 2 * MiB);	/* hv range in that GiB */
	m = look(5 * GiB + 0x1234);
	ck_assert_uint_eq(m.hpa, 5 * GiB + 0x1234);
	ck_assert_uint_eq(m.page_size, GiB);
	ck_assert_int_eq(m.memtype, NPT_MT_WB);
	ck_assert_uint_eq(m.prot, NPT_RWX);
	ck_assert_uint_eq(look(0x1234).hpa, 0x1234);
	/* hv memory: absent, and only it. */
	expect_unmapped(0x7e000000);
	expect_unmapped(0x7fffffff);
	expect_unmapped(0x9f000);
	ck_assert_uint_eq(look(0x7dffffff).hpa, 0x7dffffff);
	ck_assert_int_eq(look(0x7dffffff).memtype, NPT_MT_WB);
	ck_assert_uint_eq(look(0x9e000).hpa, 0x9e000);
	/* Legacy hole, gaps, ECAM and the top: identity with other_mt. */
	ck_assert_int_eq(look(0xa0000).memtype, NPT_MT_UC);
	ck_assert_int_eq(look(0x80000000).memtype, NPT_MT_UC);
	ck_assert_int_eq(look(0xb0000000).memtype, NPT_MT_UC);
	ck_assert_uint_eq(look(0xfee00000).hpa, 0xfee00000);
	ck_assert_uint_eq(look(4 * GiB - 1).hpa, 4 * GiB - 1);
	ck_assert_int_eq(look(7 * GiB).memtype, NPT_MT_UC);
	ck_assert_uint_eq(look(8 * GiB - 1).hpa, 8 * GiB - 1);
	expect_unmapped(8 * GiB);
	npt_destroy(&npt);
	ck_assert_int_eq(in_use, 0);
}
END_TEST

START_TEST(test_parent_map_hostile)
{
	struct mem_range wrap = { UINT64_MAX - 10, 100 };

	fmt = _i;
	init(false);
	parent_map();
	ck_assert_int_eq(npt_map_parent(&npt, &pmap, NULL, 0, 4 * GiB + 1,
					NPT_MT_UC), -EINVAL);
	ck_assert_int_eq(npt_map_parent(&npt, &pmap, NULL, 0,
					NPT_GPA_LIMIT + 4096, NPT_MT_UC),
			 -EINVAL);
	ck_assert_int_eq(npt_map_parent(&npt, &pmap, &wrap, 1, 4 * GiB,
					NPT_MT_UC), -EINVAL);
	pmap.r[0].end = 0x9f800;	/* unaligned */
	ck_assert_int_eq(npt_map_parent(&npt, &pmap, NULL, 0, 4 * GiB,
					NPT_MT_UC), -EINVAL);
	/* Out of table pages: -ENOMEM, and destroy frees what was built. */
	parent_map();
	pool_limit = 3;
	ck_assert_int_eq(npt_map_parent(&npt, &pmap, NULL, 0, 4 * GiB,
					NPT_MT_UC), -ENOMEM);
	npt_destroy(&npt);
	ck_assert_int_eq(in_use, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("npt");
	TCase *tc = tcase_create("both-formats");
	TCase *bits = tcase_create("entry-bits");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_checked_fixture(bits, setup, teardown);
	/* _i = format: every behaviour runs for AMD NPT and for EPT. */
	tcase_add_loop_test(tc, test_init_destroy, 0, 2);
	tcase_add_loop_test(tc, test_map_4k, 0, 2);
	tcase_add_loop_test(tc, test_largest_pages, 0, 2);
	tcase_add_loop_test(tc, test_no_1g_when_not_allowed, 0, 2);
	tcase_add_loop_test(tc, test_misaligned_hpa_uses_small_pages, 0, 2);
	tcase_add_loop_test(tc, test_map_rejects_bad_args, 0, 2);
	tcase_add_loop_test(tc, test_map_over_existing_refused, 0, 2);
	tcase_add_loop_test(tc, test_map_enomem_rolls_back, 0, 2);
	tcase_add_loop_test(tc, test_unmap_splits_and_frees, 0, 2);
	tcase_add_loop_test(tc, test_unmap_enomem_keeps_translation, 0, 2);
	tcase_add_loop_test(tc, test_protect, 0, 2);
	tcase_add_loop_test(tc, test_map_unmap_cycles_no_leak, 0, 2);
	tcase_add_loop_test(tc, test_parent_identity_map, 0, 2);
	tcase_add_loop_test(tc, test_parent_map_hostile, 0, 2);
	tcase_add_test(bits, test_amd_entry_bits);
	tcase_add_test(bits, test_ept_entry_bits);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, bits);
	return hv_check_run(s);
}
