// SPDX-License-Identifier: GPL-2.0
/*
 * MTRR decoding (SDM vol. 3 §11.11): the type of an address and the
 * intervals over which it is constant.  See mkhv/mtrr.h for why EPT needs
 * it.
 */
#include <mkhv/errno.h>
#include <mkhv/lib.h>
#include <mkhv/mtrr.h>

const u32 mtrr_fixed_msrs[MTRR_NR_FIXED] = {
	0x250,					/* 8 x 64 KiB from 0 */
	0x258, 0x259,				/* 16 x 16 KiB from 0x80000 */
	0x268, 0x269, 0x26a, 0x26b,		/* 64 x 4 KiB from 0xc0000 */
	0x26c, 0x26d, 0x26e, 0x26f,
};

/* Fixed range containing @pa (< 1 MiB): its byte index and size. */
static unsigned int fixed_index(u64 pa, u64 *size)
{
	if (pa < 0x80000) {
		*size = 0x10000;
		return pa >> 16;
	}
	if (pa < 0xc0000) {
		*size = 0x4000;
		return 8 + ((pa - 0x80000) >> 14);
	}
	*size = 0x1000;
	return 24 + ((pa - 0xc0000) >> 12);
}

static bool fixed_active(const struct mtrr_state *s, u64 pa)
{
	return pa < MTRR_FIXED_END && s->has_fixed &&
	       (s->def_type & MTRR_DEF_FE);
}

static u64 var_mask(const struct mtrr_state *s, unsigned int i)
{
	return s->var[i].mask & s->phys_mask & ~0xfffULL;
}

static bool var_valid(const struct mtrr_state *s, unsigned int i)
{
	return s->var[i].mask & MTRR_MASK_VALID;
}

/* [start, end) of a contiguous variable range (end 0: to the top). */
static void var_range(const struct mtrr_state *s, unsigned int i,
		      u64 *start, u64 *end)
{
	u64 m = var_mask(s, i);

	*start = s->var[i].base & m;
	*end = *start + ((~m & s->phys_mask) + 1);
}

int mtrr_check(const struct mtrr_state *s)
{
	u64 pm = s->phys_mask;

	if (s->nr_var > MTRR_MAX_VAR || pm < 0xfffff || (pm & (pm + 1)))
		return -EINVAL;
	for (unsigned int i = 0; i < s->nr_var; i++) {
		u64 low = ~var_mask(s, i) & pm;	/* must be 2^k - 1 */

		if (var_valid(s, i) && (low & (low + 1)))
			return -EINVAL;
	}
	return 0;
}

/* Several variable ranges match: UC wins, WT beats WB, else UC. */
static u8 combine(u8 a, u8 b)
{
	if (a == b)
		return a;
	if ((a == MTRR_TYPE_WT && b == MTRR_TYPE_WB) ||
	    (a == MTRR_TYPE_WB && b == MTRR_TYPE_WT))
		return MTRR_TYPE_WT;
	return MTRR_TYPE_UC;
}

u8 mtrr_type_at(const struct mtrr_state *s, u64 pa)
{
	int type = -1;
	u64 size;

	if (!(s->def_type & MTRR_DEF_E))
		return MTRR_TYPE_UC;
	if (fixed_active(s, pa)) {
		unsigned int idx = fixed_index(pa, &size);

		return (s->fixed[idx / 8] >> (8 * (idx % 8))) & 0xff;
	}
	for (unsigned int i = 0; i < s->nr_var; i++) {
		u8 t = s->var[i].base & 0xff;

		if (!var_valid(s, i) ||
		    ((pa ^ s->var[i].base) & var_mask(s, i)))
			continue;
		type = type < 0 ? t : combine((u8)type, t);
	}
	return type < 0 ? (s->def_type & 0xff) : (u8)type;
}

/* The next address after @pa where the type may change (<= @limit). */
static u64 next_boundary(const struct mtrr_state *s, u64 pa, u64 limit)
{
	u64 next = limit, size, start, end;

	if (fixed_active(s, pa)) {
		fixed_index(pa, &size);
		return MIN(ALIGN_DOWN(pa, size) + size, limit);
	}
	if (pa < MTRR_FIXED_END && s->has_fixed && (s->def_type & MTRR_DEF_FE))
		next = MIN(next, MTRR_FIXED_END);
	for (unsigned int i = 0; i < s->nr_var; i++) {
		if (!var_valid(s, i))
			continue;
		var_range(s, i, &start, &end);
		if (start > pa)
			next = MIN(next, start);
		if (end > pa && end > start)
			next = MIN(next, end);
	}
	return next;
}

static enum npt_memtype to_npt(u8 type)
{
	if (type == MTRR_TYPE_WB)
		return NPT_MT_WB;
	return type == MTRR_TYPE_WC ? NPT_MT_WC : NPT_MT_UC;
}

u64 mtrr_segment(const struct mtrr_state *s, u64 pa, u64 limit,
		 enum npt_memtype *mt)
{
	u64 end = next_boundary(s, pa, limit);

	*mt = to_npt(mtrr_type_at(s, pa));
	while (end < limit && to_npt(mtrr_type_at(s, end)) == *mt)
		end = next_boundary(s, end, limit);
	return end;
}
