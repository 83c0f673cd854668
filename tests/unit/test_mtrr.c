// SPDX-License-Identifier: GPL-2.0
#include "hv_check.h"
#include <stdint.h>
#include <mkhv/errno.h>
#include <mkhv/mtrr.h>
#include "hv_fakes.h"

#define MiB (1024ULL * 1024)
#define GiB (1024 * MiB)
#define PHYS40 ((1ULL << 40) - 1)

/* One byte type repeated in a fixed-range MSR. */
static uint64_t fx(uint8_t t)
{
	return 0x0101010101010101ULL * t;
}

static void var(struct mtrr_state *s, unsigned int i, uint64_t base,
		uint64_t size, uint8_t type)
{
	s->var[i].base = base | type;
	s->var[i].mask = (~(size - 1) & s->phys_mask) | MTRR_MASK_VALID;
	if (s->nr_var <= i)
		s->nr_var = i + 1;
}

/*
 * What OVMF leaves on a 40-bit CPU: default WB, fixed ranges on (RAM
 * below 640 KiB WB, VGA UC, option ROMs and BIOS WP), the 32-bit PCI hole
 * 2-4 GiB UC through one variable range.
 */
static void ovmf(struct mtrr_state *s)
{
	memset(s, 0, sizeof(*s));
	s->phys_mask = PHYS40;
	s->has_fixed = true;
	s->def_type = MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_WB;
	s->fixed[0] = fx(MTRR_TYPE_WB);		/* 0 - 512 KiB */
	s->fixed[1] = fx(MTRR_TYPE_WB);		/* 512 - 640 KiB */
	s->fixed[2] = fx(MTRR_TYPE_UC);		/* 640 - 768 KiB: VGA */
	for (int i = 3; i < MTRR_NR_FIXED; i++)
		s->fixed[i] = fx(MTRR_TYPE_WP);	/* 768 KiB - 1 MiB */
	var(s, 0, 2 * GiB, 2 * GiB, MTRR_TYPE_UC);
	s->nr_var = 8;				/* VCNT 8, 7 unused */
}

static struct seg { uint64_t start, end; enum npt_memtype mt; } segs[64];

static unsigned int segments(const struct mtrr_state *s, uint64_t limit)
{
	unsigned int n = 0;

	for (uint64_t pa = 0; pa < limit; n++) {
		ck_assert_uint_lt(n, 64);
		segs[n].start = pa;
		pa = mtrr_segment(s, pa, limit, &segs[n].mt);
		ck_assert_uint_gt(pa, segs[n].start);
		ck_assert_uint_le(pa, limit);
		segs[n].end = pa;
	}
	return n;
}

static void seg_is(unsigned int i, uint64_t start, uint64_t end,
		   enum npt_memtype mt)
{
	ck_assert_uint_eq(segs[i].start, start);
	ck_assert_uint_eq(segs[i].end, end);
	ck_assert_int_eq(segs[i].mt, mt);
}

START_TEST(test_type_at_ovmf)
{
	struct mtrr_state s;

	ovmf(&s);
	ck_assert_int_eq(mtrr_check(&s), 0);
	ck_assert_uint_eq(mtrr_type_at(&s, 0x1000), MTRR_TYPE_WB);
	ck_assert_uint_eq(mtrr_type_at(&s, 0x9f000), MTRR_TYPE_WB);
	ck_assert_uint_eq(mtrr_type_at(&s, 0xa0000), MTRR_TYPE_UC);
	ck_assert_uint_eq(mtrr_type_at(&s, 0xbf000), MTRR_TYPE_UC);
	ck_assert_uint_eq(mtrr_type_at(&s, 0xc0000), MTRR_TYPE_WP);
	ck_assert_uint_eq(mtrr_type_at(&s, 0xff000), MTRR_TYPE_WP);
	ck_assert_uint_eq(mtrr_type_at(&s, 0x100000), MTRR_TYPE_WB);
	ck_assert_uint_eq(mtrr_type_at(&s, 2 * GiB - 4096), MTRR_TYPE_WB);
	ck_assert_uint_eq(mtrr_type_at(&s, 2 * GiB), MTRR_TYPE_UC);
	ck_assert_uint_eq(mtrr_type_at(&s, 0xfee00000), MTRR_TYPE_UC);
	ck_assert_uint_eq(mtrr_type_at(&s, 4 * GiB), MTRR_TYPE_WB);
}
END_TEST

/* The EPT the parent gets: RAM WB, VGA + ROMs UC, the PCI hole UC. */
START_TEST(test_segments_ovmf)
{
	struct mtrr_state s;

	ovmf(&s);
	ck_assert_uint_eq(segments(&s, 8 * GiB), 5);
	seg_is(0, 0, 0xa0000, NPT_MT_WB);
	seg_is(1, 0xa0000, 0x100000, NPT_MT_UC);	/* UC and WP merged */
	seg_is(2, 0x100000, 2 * GiB, NPT_MT_WB);
	seg_is(3, 2 * GiB, 4 * GiB, NPT_MT_UC);
	seg_is(4, 4 * GiB, 8 * GiB, NPT_MT_WB);
}
END_TEST

START_TEST(test_disabled_is_all_uc)
{
	struct mtrr_state s;

	ovmf(&s);
	s.def_type &= ~MTRR_DEF_E;
	ck_assert_uint_eq(mtrr_type_at(&s, 0x1000), MTRR_TYPE_UC);
	ck_assert_uint_eq(segments(&s, 4 * GiB), 1);
	seg_is(0, 0, 4 * GiB, NPT_MT_UC);
}
END_TEST

/* FE clear or no fixed MTRRs: the first MiB follows the variable ranges. */
START_TEST(test_fixed_off)
{
	struct mtrr_state s;

	ovmf(&s);
	s.def_type &= ~MTRR_DEF_FE;
	ck_assert_uint_eq(mtrr_type_at(&s, 0xa0000), MTRR_TYPE_WB);
	ck_assert_uint_eq(segments(&s, 4 * GiB), 2);
	seg_is(0, 0, 2 * GiB, NPT_MT_WB);
	ovmf(&s);
	s.has_fixed = false;
	ck_assert_uint_eq(mtrr_type_at(&s, 0xc0000), MTRR_TYPE_WB);
}
END_TEST

/* SDM §11.11.4.1: UC wins, WT beats WB, other overlaps are undefined (UC). */
START_TEST(test_overlaps)
{
	struct mtrr_state s;

	memset(&s, 0, sizeof(s));
	s.phys_mask = PHYS40;
	s.def_type = MTRR_DEF_E | MTRR_TYPE_UC;
	var(&s, 0, 0, 4 * GiB, MTRR_TYPE_WB);
	var(&s, 1, 3 * GiB, 1 * GiB, MTRR_TYPE_UC);
	var(&s, 2, 1 * GiB, 256 * MiB, MTRR_TYPE_WT);
	var(&s, 3, 2 * GiB, 256 * MiB, MTRR_TYPE_WC);
	ck_assert_int_eq(mtrr_check(&s), 0);
	ck_assert_uint_eq(mtrr_type_at(&s, 3 * GiB), MTRR_TYPE_UC);
	ck_assert_uint_eq(mtrr_type_at(&s, 1 * GiB), MTRR_TYPE_WT);
	ck_assert_uint_eq(mtrr_type_at(&s, 2 * GiB), MTRR_TYPE_UC); /* WB+WC */
	ck_assert_uint_eq(mtrr_type_at(&s, 5 * GiB), MTRR_TYPE_UC); /* default */
	ck_assert_uint_eq(segments(&s, 6 * GiB), 6);
	seg_is(0, 0, 1 * GiB, NPT_MT_WB);
	seg_is(1, 1 * GiB, 1 * GiB + 256 * MiB, NPT_MT_UC);	/* WT */
	seg_is(2, 1 * GiB + 256 * MiB, 2 * GiB, NPT_MT_WB);
	seg_is(3, 2 * GiB, 2 * GiB + 256 * MiB, NPT_MT_UC);	/* WB+WC */
	seg_is(4, 2 * GiB + 256 * MiB, 3 * GiB, NPT_MT_WB);
	seg_is(5, 3 * GiB, 6 * GiB, NPT_MT_UC);	/* UC, then the default */
	ck_assert_uint_eq(segments(&s, 5 * GiB), 6);	/* cut at the limit */
	seg_is(5, 3 * GiB, 5 * GiB, NPT_MT_UC);
}
END_TEST

START_TEST(test_wc_kept)
{
	struct mtrr_state s;

	ovmf(&s);
	var(&s, 1, 4 * GiB, 16 * MiB, MTRR_TYPE_WC);	/* a framebuffer */
	ck_assert_uint_eq(segments(&s, 8 * GiB), 6);
	seg_is(4, 4 * GiB, 4 * GiB + 16 * MiB, NPT_MT_WC);
	seg_is(5, 4 * GiB + 16 * MiB, 8 * GiB, NPT_MT_WB);
}
END_TEST

/* A range ending at the top of the physical address space, a limit inside
 * ranges, and ranges above the limit. */
START_TEST(test_edges)
{
	struct mtrr_state s;

	memset(&s, 0, sizeof(s));
	s.phys_mask = PHYS40;
	s.def_type = MTRR_DEF_E | MTRR_TYPE_WB;
	var(&s, 0, (1ULL << 40) - 1 * GiB, 1 * GiB, MTRR_TYPE_UC);
	var(&s, 1, 64 * GiB, 64 * GiB, MTRR_TYPE_UC);
	ck_assert_uint_eq(mtrr_type_at(&s, (1ULL << 40) - 4096), MTRR_TYPE_UC);
	ck_assert_uint_eq(segments(&s, 1ULL << 40), 4);
	seg_is(3, (1ULL << 40) - 1 * GiB, 1ULL << 40, NPT_MT_UC);
	ck_assert_uint_eq(segments(&s, 65 * GiB), 2);
	seg_is(1, 64 * GiB, 65 * GiB, NPT_MT_UC);
	ck_assert_uint_eq(segments(&s, 32 * GiB), 1);
	/* Starting inside the first MiB with fixed ranges on: 4 KiB steps. */
	s.has_fixed = true;
	s.def_type |= MTRR_DEF_FE;
	for (int i = 0; i < MTRR_NR_FIXED; i++)
		s.fixed[i] = fx(MTRR_TYPE_WB);
	s.fixed[3] &= ~0xff00ULL;		/* 0xc1000 only: UC */
	ck_assert_uint_eq(segments(&s, 2 * MiB), 3);
	seg_is(0, 0, 0xc1000, NPT_MT_WB);
	seg_is(1, 0xc1000, 0xc2000, NPT_MT_UC);
	seg_is(2, 0xc2000, 2 * MiB, NPT_MT_WB);
}
END_TEST

START_TEST(test_check_hostile)
{
	struct mtrr_state s;

	ovmf(&s);
	s.var[1].base = 0x100000000ULL | MTRR_TYPE_UC;
	s.var[1].mask = 0xff0f0000000ULL | MTRR_MASK_VALID;	/* a hole in it */
	ck_assert_int_eq(mtrr_check(&s), -EINVAL);
	s.var[1].mask &= ~MTRR_MASK_VALID;	/* unused: ignored */
	ck_assert_int_eq(mtrr_check(&s), 0);
	s.nr_var = MTRR_MAX_VAR + 1;
	ck_assert_int_eq(mtrr_check(&s), -EINVAL);
	ovmf(&s);
	s.phys_mask = 0xfff0ffffffULL;
	ck_assert_int_eq(mtrr_check(&s), -EINVAL);
	s.phys_mask = 0;
	ck_assert_int_eq(mtrr_check(&s), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("mtrr");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_type_at_ovmf);
	tcase_add_test(tc, test_segments_ovmf);
	tcase_add_test(tc, test_disabled_is_all_uc);
	tcase_add_test(tc, test_fixed_off);
	tcase_add_test(tc, test_overlaps);
	tcase_add_test(tc, test_wc_kept);
	tcase_add_test(tc, test_edges);
	tcase_add_test(tc, test_check_hostile);
	suite_add_tcase(s, tc);
	return hv_check_run(s);
}
