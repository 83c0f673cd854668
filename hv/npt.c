// SPDX-License-Identifier: GPL-2.0
/*
 * Nested page tables: one walker over two entry formats (AMD NPT, EPT).
 * Levels: 3 = PML4, 2 = PDPT (1 GiB leaves), 1 = PD (2 MiB), 0 = PT (4 KiB).
 */
#include <mkhv/errno.h>
#include <mkhv/lib.h>
#include <mkhv/npt.h>
#include <mkhv/string.h>

#define NPT_LEVELS	4
#define NPT_ENTRIES	512
#define ADDR_MASK	0x000ffffffffff000ULL	/* bits 51:12 */

struct npt_fmt_ops {
	u64 (*table)(hpa_t hpa);
	u64 (*leaf)(hpa_t hpa, int level, unsigned int prot,
		    enum npt_memtype mt);
	bool (*present)(u64 e);
	bool (*large)(u64 e);		/* PS bit (levels 1, 2) */
	unsigned int (*prot)(u64 e);
	enum npt_memtype (*memtype)(u64 e);
};

static u64 level_size(int level)
{
	return 1ULL << (PAGE_SHIFT + 9 * level);
}

static unsigned int level_index(gpa_t gpa, int level)
{
	return (gpa >> (PAGE_SHIFT + 9 * level)) & (NPT_ENTRIES - 1);
}

/* Leaf address: bits 51:12 minus the offset bits of a large page. */
static hpa_t leaf_addr(u64 e, int level)
{
	return e & ADDR_MASK & ~(level_size(level) - 1);
}

/* ---- AMD NPT: long-mode format ---- */
#define AMD_P		BIT_ULL(0)
#define AMD_RW		BIT_ULL(1)
#define AMD_US		BIT_ULL(2)
#define AMD_PWT		BIT_ULL(3)
#define AMD_PCD		BIT_ULL(4)
#define AMD_PS		BIT_ULL(7)
#define AMD_NX		BIT_ULL(63)

static u64 amd_table(hpa_t hpa)
{
	return hpa | AMD_P | AMD_RW | AMD_US;
}

static u64 amd_leaf(hpa_t hpa, int level, unsigned int prot,
		    enum npt_memtype mt)
{
	u64 e = hpa | AMD_P | AMD_US;

	if (prot & NPT_W)
		e |= AMD_RW;
	if (!(prot & NPT_X))
		e |= AMD_NX;
	if (level > 0)
		e |= AMD_PS;
	/* Index into NPT_HOST_PAT; the PAT bit is never used. */
	if (mt == NPT_MT_WC)
		e |= AMD_PWT;
	else if (mt == NPT_MT_UC)
		e |= AMD_PCD | AMD_PWT;
	return e;
}

static bool amd_present(u64 e)
{
	return e & AMD_P;
}

static bool amd_large(u64 e)
{
	return e & AMD_PS;
}

static unsigned int amd_prot(u64 e)
{
	return NPT_R | (e & AMD_RW ? NPT_W : 0) | (e & AMD_NX ? 0 : NPT_X);
}

static enum npt_memtype amd_memtype(u64 e)
{
	if (e & AMD_PCD)
		return NPT_MT_UC;
	return e & AMD_PWT ? NPT_MT_WC : NPT_MT_WB;
}

static const struct npt_fmt_ops amd_ops = {
	.table = amd_table, .leaf = amd_leaf, .present = amd_present,
	.large = amd_large, .prot = amd_prot, .memtype = amd_memtype,
};

/* ---- Intel EPT ---- */
#define EPT_R		BIT_ULL(0)
#define EPT_W		BIT_ULL(1)
#define EPT_X		BIT_ULL(2)
#define EPT_MT_SHIFT	3
#define EPT_MT_MASK	(7ULL << EPT_MT_SHIFT)
#define EPT_PS		BIT_ULL(7)
#define EPT_MT_UC_VAL	0ULL
#define EPT_MT_WC_VAL	1ULL
#define EPT_MT_WB_VAL	6ULL

static u64 ept_table(hpa_t hpa)
{
	return hpa | EPT_R | EPT_W | EPT_X;
}

static u64 ept_leaf(hpa_t hpa, int level, unsigned int prot,
		    enum npt_memtype mt)
{
	static const u64 mtval[] = {
		[NPT_MT_WB] = EPT_MT_WB_VAL, [NPT_MT_WC] = EPT_MT_WC_VAL,
		[NPT_MT_UC] = EPT_MT_UC_VAL,
	};
	u64 e = hpa | (mtval[mt] << EPT_MT_SHIFT);

	e |= (prot & NPT_R ? EPT_R : 0) | (prot & NPT_W ? EPT_W : 0) |
	     (prot & NPT_X ? EPT_X : 0);
	if (level > 0)
		e |= EPT_PS;
	return e;
}

static bool ept_present(u64 e)
{
	return e & (EPT_R | EPT_W | EPT_X);
}

static bool ept_large(u64 e)
{
	return e & EPT_PS;
}

static unsigned int ept_prot(u64 e)
{
	return (e & EPT_R ? NPT_R : 0) | (e & EPT_W ? NPT_W : 0) |
	       (e & EPT_X ? NPT_X : 0);
}

static enum npt_memtype ept_memtype(u64 e)
{
	u64 v = (e & EPT_MT_MASK) >> EPT_MT_SHIFT;

	if (v == EPT_MT_WB_VAL)
		return NPT_MT_WB;
	return v == EPT_MT_WC_VAL ? NPT_MT_WC : NPT_MT_UC;
}

static const struct npt_fmt_ops ept_ops = {
	.table = ept_table, .leaf = ept_leaf, .present = ept_present,
	.large = ept_large, .prot = ept_prot, .memtype = ept_memtype,
};

/* ---- table pages ---- */

static u64 *table_alloc(struct npt *npt, hpa_t *hpa)
{
	u64 *t = npt->alloc->alloc(npt->alloc->ctx, hpa);

	if (!t)
		return NULL;
	ASSERT(IS_ALIGNED(*hpa, PAGE_SIZE) && *hpa < NPT_HPA_LIMIT);
	memset(t, 0, PAGE_SIZE);
	npt->table_pages++;
	return t;
}

static void table_free(struct npt *npt, u64 *t, hpa_t hpa)
{
	npt->alloc->free(npt->alloc->ctx, t, hpa);
	npt->table_pages--;
}

static u64 *table_of(const struct npt *npt, u64 e)
{
	return npt->alloc->to_virt(npt->alloc->ctx, e & ADDR_MASK);
}

static bool is_leaf(const struct npt *npt, u64 e, int level)
{
	return level == 0 || npt->ops->large(e);
}

int npt_init(struct npt *npt, enum npt_format fmt,
	     const struct npt_allocator *alloc, bool allow_1g)
{
	memset(npt, 0, sizeof(*npt));
	if (fmt == NPT_FORMAT_AMD)
		npt->ops = &amd_ops;
	else if (fmt == NPT_FORMAT_EPT)
		npt->ops = &ept_ops;
	else
		return -EINVAL;
	npt->alloc = alloc;
	npt->allow_1g = allow_1g;
	npt->root = table_alloc(npt, &npt->root_hpa);
	return npt->root ? 0 : -ENOMEM;
}

static void free_tree(struct npt *npt, u64 *t, hpa_t hpa, int level)
{
	for (int i = 0; level > 0 && i < NPT_ENTRIES; i++)
		if (npt->ops->present(t[i]) && !is_leaf(npt, t[i], level))
			free_tree(npt, table_of(npt, t[i]), t[i] & ADDR_MASK,
				  level - 1);
	table_free(npt, t, hpa);
}

void npt_destroy(struct npt *npt)
{
	if (npt->root)
		free_tree(npt, npt->root, npt->root_hpa, NPT_LEVELS - 1);
	npt->root = NULL;
	npt->root_hpa = 0;
}

static int check_range(gpa_t gpa, u64 size)
{
	if (size == 0 || !IS_ALIGNED(gpa, PAGE_SIZE) ||
	    !IS_ALIGNED(size, PAGE_SIZE) || gpa >= NPT_GPA_LIMIT ||
	    size > NPT_GPA_LIMIT - gpa)
		return -EINVAL;
	return 0;
}

static bool prot_ok(unsigned int prot)
{
	return (prot & NPT_R) && !(prot & ~NPT_RWX);
}

/* ---- range walker ---- */

/*
 * Visit every present leaf of [gpa, end) below table @t (which maps the
 * region starting at @base).  @leaf may change the entry; returning true
 * stops the walk.  With @free_empty, tables left with no present entry are
 * freed (never the root).
 */
struct range_op {
	bool (*leaf)(struct npt *npt, u64 *e, int level, gpa_t s, gpa_t gpa,
		     gpa_t end, void *ctx);
	bool free_empty;
};

static bool table_empty(const struct npt *npt, const u64 *t)
{
	for (int i = 0; i < NPT_ENTRIES; i++)
		if (npt->ops->present(t[i]))
			return false;
	return true;
}

static bool walk_range(struct npt *npt, u64 *t, int level, gpa_t base,
		       gpa_t gpa, gpa_t end, const struct range_op *op,
		       void *ctx)
{
	u64 sz = level_size(level);

	for (unsigned int i = level_index(gpa, level); i < NPT_ENTRIES; i++) {
		gpa_t s = base + i * sz;
		u64 *ct;

		if (s >= end)
			break;
		if (!npt->ops->present(t[i]))
			continue;
		if (is_leaf(npt, t[i], level)) {
			if (op->leaf(npt, &t[i], level, s, gpa, end, ctx))
				return true;
			continue;
		}
		ct = table_of(npt, t[i]);
		if (walk_range(npt, ct, level - 1, s, MAX(gpa, s),
			       MIN(end, s + sz), op, ctx))
			return true;
		if (op->free_empty && table_empty(npt, ct)) {
			hpa_t chpa = t[i] & ADDR_MASK;

			t[i] = 0;
			table_free(npt, ct, chpa);
		}
	}
	return false;
}

static bool walk(struct npt *npt, gpa_t gpa, gpa_t end,
		 const struct range_op *op, void *ctx)
{
	return walk_range(npt, npt->root, NPT_LEVELS - 1, 0, gpa, end, op, ctx);
}

static bool leaf_found(struct npt *npt, u64 *e, int level, gpa_t s,
		       gpa_t gpa, gpa_t end, void *ctx)
{
	(void)npt, (void)e, (void)level, (void)s, (void)gpa, (void)end;
	(void)ctx;
	return true;
}

static const struct range_op op_find = { .leaf = leaf_found };

/* Leaves are whole inside the range: the caller split the ends. */
static bool leaf_clear(struct npt *npt, u64 *e, int level, gpa_t s,
		       gpa_t gpa, gpa_t end, void *ctx)
{
	(void)npt, (void)ctx;
	ASSERT(s >= gpa && s + level_size(level) <= end);
	*e = 0;
	return false;
}

/* Never allocates, so it cannot fail. */
static const struct range_op op_clear = { .leaf = leaf_clear,
					  .free_empty = true };

static bool leaf_protect(struct npt *npt, u64 *e, int level, gpa_t s,
			 gpa_t gpa, gpa_t end, void *ctx)
{
	(void)s, (void)gpa, (void)end;
	*e = npt->ops->leaf(leaf_addr(*e, level), level, *(unsigned int *)ctx,
			    npt->ops->memtype(*e));
	return false;
}

static const struct range_op op_protect = { .leaf = leaf_protect };

/* Entry for @gpa at @level, creating tables down to it. */
static u64 *walk_create(struct npt *npt, gpa_t gpa, int level)
{
	u64 *t = npt->root;

	for (int l = NPT_LEVELS - 1; l > level; l--) {
		u64 *e = &t[level_index(gpa, l)];

		if (!npt->ops->present(*e)) {
			hpa_t hpa;
			u64 *nt = table_alloc(npt, &hpa);

			if (!nt)
				return NULL;
			*e = npt->ops->table(hpa);
		}
		ASSERT(!is_leaf(npt, *e, l));
		t = table_of(npt, *e);
	}
	return &t[level_index(gpa, level)];
}

static int pick_level(const struct npt *npt, gpa_t gpa, hpa_t hpa, u64 left)
{
	for (int l = npt->allow_1g ? 2 : 1; l > 0; l--) {
		u64 sz = level_size(l);

		if (IS_ALIGNED(gpa, sz) && IS_ALIGNED(hpa, sz) && left >= sz)
			return l;
	}
	return 0;
}

int npt_map(struct npt *npt, gpa_t gpa, hpa_t hpa, u64 size,
	    unsigned int prot, enum npt_memtype mt)
{
	gpa_t g = gpa;
	u64 left = size;

	if (check_range(gpa, size) || !IS_ALIGNED(hpa, PAGE_SIZE) ||
	    hpa >= NPT_HPA_LIMIT || size > NPT_HPA_LIMIT - hpa ||
	    !prot_ok(prot) || (unsigned int)mt > NPT_MT_UC)
		return -EINVAL;
	if (walk(npt, gpa, gpa + size, &op_find, NULL))
		return -EEXIST;
	while (left) {
		int l = pick_level(npt, g, hpa, left);
		u64 *e = walk_create(npt, g, l);

		if (!e) {
			/*
			 * Roll back [gpa, g) and the empty tables made for g
			 * (no leaf there yet).  Our own range never needs a
			 * split, so this cannot fail.
			 */
			walk(npt, gpa, g + PAGE_SIZE, &op_clear, NULL);
			return -ENOMEM;
		}
		*e = npt->ops->leaf(hpa, l, prot, mt);
		g += level_size(l);
		hpa += level_size(l);
		left -= level_size(l);
	}
	return 0;
}

/* Make @gpa a leaf boundary at every level (split straddling large pages). */
static int split_at(struct npt *npt, gpa_t gpa)
{
	u64 *t = npt->root;

	if (gpa >= NPT_GPA_LIMIT)
		return 0;
	for (int l = NPT_LEVELS - 1; l > 0; l--) {
		u64 *e = &t[level_index(gpa, l)];
		u64 *nt;
		hpa_t nhpa, addr;

		if (!npt->ops->present(*e))
			return 0;
		if (npt->ops->large(*e)) {
			if (IS_ALIGNED(gpa, level_size(l)))
				return 0;
			nt = table_alloc(npt, &nhpa);
			if (!nt)
				return -ENOMEM;
			addr = leaf_addr(*e, l);
			for (int i = 0; i < NPT_ENTRIES; i++)
				nt[i] = npt->ops->leaf(
					addr + i * level_size(l - 1), l - 1,
					npt->ops->prot(*e),
					npt->ops->memtype(*e));
			*e = npt->ops->table(nhpa);
		}
		t = table_of(npt, *e);
	}
	return 0;
}

static int split_ends(struct npt *npt, gpa_t gpa, u64 size)
{
	int ret = split_at(npt, gpa);

	return ret ? ret : split_at(npt, gpa + size);
}

int npt_unmap(struct npt *npt, gpa_t gpa, u64 size)
{
	int ret = check_range(gpa, size);

	if (!ret)
		ret = split_ends(npt, gpa, size);
	if (!ret)
		walk(npt, gpa, gpa + size, &op_clear, NULL);
	return ret;
}

int npt_protect(struct npt *npt, gpa_t gpa, u64 size, unsigned int prot)
{
	int ret = check_range(gpa, size);

	if (!ret && !prot_ok(prot))
		ret = -EINVAL;
	if (!ret)
		ret = split_ends(npt, gpa, size);
	if (!ret)
		walk(npt, gpa, gpa + size, &op_protect, &prot);
	return ret;
}

int npt_lookup(const struct npt *npt, gpa_t gpa, struct npt_mapping *out)
{
	const u64 *t = npt->root;

	if (gpa >= NPT_GPA_LIMIT)
		return -EINVAL;
	for (int l = NPT_LEVELS - 1; l >= 0; l--) {
		u64 e = t[level_index(gpa, l)];

		if (!npt->ops->present(e))
			return -ENOENT;
		if (is_leaf(npt, e, l)) {
			out->page_size = level_size(l);
			out->hpa = leaf_addr(e, l) + (gpa & (level_size(l) - 1));
			out->prot = npt->ops->prot(e);
			out->memtype = npt->ops->memtype(e);
			return 0;
		}
		t = table_of(npt, e);
	}
	return -ENOENT;
}

/* Lowest-starting hv range overlapping [s, e), rounded out; false if none. */
static bool next_hv(const struct mem_range *hv, size_t nr_hv, u64 s, u64 e,
		    u64 *hs, u64 *he)
{
	bool found = false;

	for (size_t i = 0; i < nr_hv; i++) {
		u64 a = ALIGN_DOWN(hv[i].start, PAGE_SIZE);
		u64 b = ALIGN_UP(hv[i].start + hv[i].size, PAGE_SIZE);

		if (!hv[i].size || b <= s || a >= e)
			continue;
		if (!found || a < *hs) {
			*hs = a;
			*he = b;
			found = true;
		}
	}
	return found;
}

int npt_map_identity(struct npt *npt, u64 s, u64 e,
		     const struct mem_range *hv, size_t nr_hv,
		     enum npt_memtype mt)
{
	u64 hs = 0, he = 0;
	int ret;

	while (s < e) {
		if (!next_hv(hv, nr_hv, s, e, &hs, &he))
			return npt_map(npt, s, s, e - s, NPT_RWX, mt);
		if (hs > s) {
			ret = npt_map(npt, s, s, hs - s, NPT_RWX, mt);
			if (ret)
				return ret;
		}
		s = he;
	}
	return 0;
}

int npt_map_parent(struct npt *npt, const struct e820_map *m,
		   const struct mem_range *hv, size_t nr_hv, u64 limit,
		   enum npt_memtype other_mt)
{
	u64 cur = 0;
	int ret = 0;

	if (!IS_ALIGNED(limit, PAGE_SIZE) || limit > NPT_GPA_LIMIT)
		return -EINVAL;
	for (size_t i = 0; i < nr_hv; i++)
		if (range_overflows(hv[i].start, hv[i].size) ||
		    hv[i].start + hv[i].size > UINT64_MAX - PAGE_SIZE)
			return -EINVAL;
	for (u32 i = 0; i <= m->nr && !ret && cur < limit; i++) {
		/* The gap before range i (or the tail after the last one). */
		u64 rs = i < m->nr ? MIN(m->r[i].start, limit) : limit;
		u64 re = i < m->nr ? MIN(m->r[i].end, limit) : limit;
		bool ram = i < m->nr && m->r[i].type == E820_TYPE_RAM;

		if (i < m->nr && (!IS_ALIGNED(m->r[i].start, PAGE_SIZE) ||
				  !IS_ALIGNED(m->r[i].end, PAGE_SIZE) ||
				  m->r[i].start < cur))
			return -EINVAL;
		if (rs > cur)
			ret = npt_map_identity(npt, cur, rs, hv, nr_hv,
						    other_mt);
		if (!ret && re > rs)
			ret = npt_map_identity(npt, rs, re, hv, nr_hv,
						    ram ? NPT_MT_WB : other_mt);
		cur = MAX(cur, re);
	}
	return ret;
}
