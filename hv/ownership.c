// SPDX-License-Identifier: GPL-2.0
/*
 * Page-ownership table (see mkhv/ownership.h for the state machine).
 * Multi-page changes check every page first and change nothing unless all
 * pass, with ownership_lock held across both passes.
 */
#include <mkhv/errno.h>
#include <mkhv/ownership.h>
#include <mkhv/string.h>

int ownership_init(struct ownership *o, void *mem, size_t mem_bytes,
		   u64 nr_frames)
{
	if (!mem || nr_frames == 0 ||
	    nr_frames > mem_bytes / sizeof(struct own_frame))
		return -EINVAL;
	spin_lock_init(&o->ownership_lock);
	o->frames = mem;
	o->nr_frames = nr_frames;
	memset(mem, 0, ownership_table_bytes(nr_frames));
	return 0;
}

/* Frame index range of a request, validated. */
static int frame_range(const struct ownership *o, hpa_t hpa, u64 npages,
		       u64 *first)
{
	if (npages == 0 || !IS_ALIGNED(hpa, PAGE_SIZE) ||
	    npages > (UINT64_MAX - hpa) >> PAGE_SHIFT)
		return -EINVAL;
	*first = hpa >> PAGE_SHIFT;
	if (*first >= o->nr_frames || npages > o->nr_frames - *first)
		return -ERANGE;
	return 0;
}

static void fill(struct ownership *o, u64 first, u64 n, u8 kind, u16 child)
{
	for (u64 i = first; i < first + n; i++)
		o->frames[i] = (struct own_frame){ .kind = kind, .child = child };
}

int ownership_set_range(struct ownership *o, hpa_t hpa, u64 npages,
			enum own_kind kind)
{
	u64 first;
	int ret;

	if (kind == OWN_CHILD || (unsigned int)kind > OWN_CHILD)
		return -EINVAL;
	ret = frame_range(o, hpa, npages, &first);
	if (ret)
		return ret;
	spin_lock(&o->ownership_lock);
	fill(o, first, npages, kind, 0);
	spin_unlock(&o->ownership_lock);
	return 0;
}

static int set_e820_range(struct ownership *o, const struct e820_range *r)
{
	u64 table_end = o->nr_frames << PAGE_SHIFT;
	u64 s = ALIGN_DOWN(r->start, PAGE_SIZE), e = ALIGN_UP(r->end, PAGE_SIZE);
	bool ram = r->type == E820_TYPE_RAM;

	if (r->end <= r->start)
		return -EINVAL;
	if (e > table_end) {
		if (ram)
			return -ERANGE;
		e = table_end;	/* MMIO above the last RAM: not tracked */
	}
	if (s >= e)
		return 0;
	return ownership_set_range(o, s, (e - s) >> PAGE_SHIFT,
				   ram ? OWN_PARENT : OWN_MMIO);
}

int ownership_init_from_e820(struct ownership *o, const struct e820_map *m,
			     const struct mem_range *hv, size_t nr_hv)
{
	int ret = 0;

	for (u32 i = 0; i < m->nr && !ret; i++)
		ret = set_e820_range(o, &m->r[i]);
	for (size_t i = 0; i < nr_hv && !ret; i++) {
		u64 s, e;

		if (!hv[i].size)
			continue;
		if (range_overflows(hv[i].start, hv[i].size) ||
		    hv[i].start + hv[i].size > UINT64_MAX - PAGE_SIZE)
			return -EINVAL;
		s = ALIGN_DOWN(hv[i].start, PAGE_SIZE);
		e = ALIGN_UP(hv[i].start + hv[i].size, PAGE_SIZE);
		ret = ownership_set_range(o, s, (e - s) >> PAGE_SHIFT, OWN_HV);
	}
	return ret;
}

/* Why @f may not go to a child (0: it may). */
static int check_assign(const struct own_frame *f, u16 child)
{
	(void)child;
	if (f->kind == OWN_PARENT)
		return 0;
	return f->kind == OWN_CHILD ? -EBUSY : -EPERM;
}

/* Why @f may not go back to the parent from @child (0: it may). */
static int check_release(const struct own_frame *f, u16 child)
{
	return f->kind == OWN_CHILD && f->child == child ? 0 : -EPERM;
}

/*
 * Check every frame of the range with @check, then (only if all passed)
 * set them all to @kind/@set_child: all-or-nothing under ownership_lock.
 */
static int change_range(struct ownership *o, u16 child, hpa_t hpa,
			u64 npages, int (*check)(const struct own_frame *, u16),
			u8 kind, u16 set_child)
{
	u64 first;
	int ret;

	if (child < OWN_CHILD_MIN)
		return -EINVAL;
	ret = frame_range(o, hpa, npages, &first);
	if (ret)
		return ret;
	spin_lock(&o->ownership_lock);
	for (u64 i = first; i < first + npages && !ret; i++)
		ret = check(&o->frames[i], child);
	if (!ret)
		fill(o, first, npages, kind, set_child);
	spin_unlock(&o->ownership_lock);
	return ret;
}

int ownership_assign_to_child(struct ownership *o, u16 child, hpa_t hpa,
			      u64 npages)
{
	return change_range(o, child, hpa, npages, check_assign, OWN_CHILD,
			    child);
}

int ownership_release(struct ownership *o, u16 child, hpa_t hpa, u64 npages)
{
	return change_range(o, child, hpa, npages, check_release, OWN_PARENT,
			    0);
}

u64 ownership_release_child(struct ownership *o, u16 child)
{
	u64 n = 0;

	if (child < OWN_CHILD_MIN)
		return 0;
	spin_lock(&o->ownership_lock);
	for (u64 i = 0; i < o->nr_frames; i++) {
		if (o->frames[i].kind == OWN_CHILD &&
		    o->frames[i].child == child) {
			o->frames[i] = (struct own_frame){ .kind = OWN_PARENT };
			n++;
		}
	}
	spin_unlock(&o->ownership_lock);
	return n;
}

int ownership_query(struct ownership *o, hpa_t hpa, struct own_frame *out)
{
	u64 pfn = hpa >> PAGE_SHIFT;

	if (pfn >= o->nr_frames)
		return -ERANGE;
	spin_lock(&o->ownership_lock);
	*out = o->frames[pfn];
	spin_unlock(&o->ownership_lock);
	return 0;
}

u64 ownership_count(struct ownership *o, enum own_kind kind, u16 child)
{
	u64 n = 0;

	spin_lock(&o->ownership_lock);
	for (u64 i = 0; i < o->nr_frames; i++)
		if (o->frames[i].kind == kind &&
		    (kind != OWN_CHILD || o->frames[i].child == child))
			n++;
	spin_unlock(&o->ownership_lock);
	return n;
}
