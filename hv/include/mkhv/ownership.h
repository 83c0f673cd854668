/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page-ownership table (DESIGN §4, issue 7): one entry per host page
 * frame saying who owns it.  Every map of a page into a child is checked
 * here first: a child may only receive parent RAM that is not hv memory,
 * not MMIO/firmware, and not already given to a child.  Deleting a child
 * returns all its pages.  The isolation core: keep it small and total.
 *
 * States and transitions (nothing else changes an entry after boot):
 *
 *   NONE, HV, MMIO  --(boot: ownership_set_range / _init_from_e820)-->  any
 *   PARENT  --ownership_assign_to_child(c)-->  CHILD(c)
 *   CHILD(c) --ownership_release(c) / ownership_release_child(c)--> PARENT
 *
 * The parent keeps its own (identity) access to pages it lent to a child
 * (DESIGN §4: privileged parent, as mshv for non-isolated VMs).
 *
 * Locking: ownership_lock (inside struct ownership) serialises every
 * change; multi-page operations are all-or-nothing under it.
 */
#ifndef MKHV_OWNERSHIP_H
#define MKHV_OWNERSHIP_H

#include <mkhv/types.h>
#include <mkhv/spinlock.h>
#include <mkhv/e820.h>

enum own_kind {
	OWN_NONE = 0,	/* not memory we know (hole, or beyond e820) */
	OWN_HV = 1,	/* hv code/data/heap: never in any partition */
	OWN_PARENT = 2,	/* parent RAM (e820 RAM) */
	OWN_MMIO = 3,	/* non-RAM the parent may touch: reserved/ACPI/NVS/MMIO */
	OWN_CHILD = 4,	/* parent RAM lent to child .child */
};

/* One entry per 4 KiB host frame. */
struct own_frame {
	u8 kind;	/* enum own_kind */
	u8 reserved;
	u16 child;	/* child partition id when kind == OWN_CHILD, else 0 */
};

#define OWN_CHILD_MIN	1
#define OWN_CHILD_MAX	0xffff

struct ownership {
	spinlock_t ownership_lock;
	struct own_frame *frames;
	u64 nr_frames;		/* covers host-physical [0, nr_frames * 4 KiB) */
};

/** ownership_table_bytes() - memory ownership_init() needs for @nr_frames. */
static inline size_t ownership_table_bytes(u64 nr_frames)
{
	return (size_t)nr_frames * sizeof(struct own_frame);
}

/**
 * ownership_init() - an empty table (every frame OWN_NONE) in @mem.
 * @mem: hv memory of at least ownership_table_bytes(@nr_frames) bytes
 * Return: 0, -EINVAL (@nr_frames 0 or too large for @mem_bytes).
 */
int ownership_init(struct ownership *o, void *mem, size_t mem_bytes,
		   u64 nr_frames);

/**
 * ownership_set_range() - boot-time: mark frames as HV, PARENT, MMIO or
 * NONE, whatever they were.  Never used once children exist.
 * Return: 0, -EINVAL (unaligned, 0 pages, wrap, @kind OWN_CHILD),
 * -ERANGE (beyond the table).
 */
int ownership_set_range(struct ownership *o, hpa_t hpa, u64 npages,
			enum own_kind kind);

/**
 * ownership_init_from_e820() - boot-time: RAM -> PARENT, every other e820
 * type -> MMIO, then @hv ranges (rounded out to pages) -> HV.  Non-RAM
 * entries beyond the table are clipped; RAM beyond it is an error.
 * Return: 0, -ERANGE, -EINVAL.
 */
int ownership_init_from_e820(struct ownership *o, const struct e820_map *m,
			     const struct mem_range *hv, size_t nr_hv);

/**
 * ownership_assign_to_child() - lend [hpa, hpa + npages * 4 KiB) to @child.
 *
 * All-or-nothing: succeeds only if every page is OWN_PARENT.
 *
 * Return: 0; -EINVAL (@child 0, unaligned @hpa, @npages 0, wrap); -ERANGE
 * (beyond the table); -EPERM (a page is HV, MMIO or NONE); -EBUSY (a page
 * is already lent to a child, this one included).
 * @see ownership_release(), ownership_release_child()
 */
int ownership_assign_to_child(struct ownership *o, u16 child, hpa_t hpa,
			      u64 npages);

/**
 * ownership_release() - give [hpa, hpa + npages * 4 KiB) back to the
 * parent; every page must be lent to @child (all-or-nothing).
 * Return: 0, -EINVAL, -ERANGE, -EPERM (a page is not @child's).
 */
int ownership_release(struct ownership *o, u16 child, hpa_t hpa, u64 npages);

/**
 * ownership_release_child() - give every page of @child back to the
 * parent (child deletion).  Return: the number of pages released.
 */
u64 ownership_release_child(struct ownership *o, u16 child);

/**
 * ownership_query() - the entry of the frame holding @hpa.
 * Return: 0, -ERANGE.
 */
int ownership_query(struct ownership *o, hpa_t hpa, struct own_frame *out);

/** ownership_count() - frames of @kind (and @child for OWN_CHILD). */
u64 ownership_count(struct ownership *o, enum own_kind kind, u16 child);

#endif /* MKHV_OWNERSHIP_H */
