/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Second-level (nested) page tables: AMD NPT, with Intel EPT as a second
 * entry format behind the same npt_* API.
 *
 * 4-level tables (48-bit guest-physical space), 4 KiB, 2 MiB and (if
 * allowed) 1 GiB pages, chosen largest-first where GPA, HPA and size allow.
 * Table pages come from an allocator (struct npt_allocator) that returns a
 * page's host-physical address and a pointer through which the hv writes
 * it (equal in the identity-mapped hv; different in tests).
 *
 * Formats (struct npt_fmt_ops in npt.c):
 *  - AMD NPT (APM vol. 2 §15.25): the long-mode format.  Every level has
 *    P|RW|US set (nested walks are user accesses), leaves add PS above 4 KiB
 *    and NX (bit 63) when not executable; host EFER.NXE must be 1 (else NX
 *    is a reserved bit and every non-executable page faults).  No
 *    write-only or execute-only pages: every mapping includes NPT_R.
 *    Memory type: PWT/PCD select an entry of the HOST PAT, which the arch
 *    code must program to NPT_HOST_PAT; the nested type then combines with
 *    the guest's own PAT type (APM §15.25.8), so NPT_MT_WB lets the guest
 *    decide (right for the parent's RAM and passthrough MMIO, as on bare
 *    metal, host MTRRs still apply) and NPT_MT_UC forces UC.
 *  - Intel EPT (SDM vol. 3 §29.3): R/W/X in bits 0-2, memory type in bits
 *    3-5 (WB 6, UC 0, WC 1) with IPAT clear, PS in bit 7.  EPT replaces the
 *    MTRRs, so the parent's map takes its types from the firmware's MTRRs
 *    (mkhv/mtrr.h).  EPTP = npt_root() | 6 | (3 << 3).
 *
 * Locking: none inside; the owner of a struct npt serialises calls to it
 * (the partition's npt_lock).  TLB: callers flush the nested TLB (VMCB
 * TLB_CONTROL / INVEPT) after npt_unmap() and npt_protect() before the guest
 * runs again.
 */
#ifndef MKHV_NPT_H
#define MKHV_NPT_H

#include <mkhv/types.h>
#include <mkhv/e820.h>

enum npt_format {
	NPT_FORMAT_AMD = 0,
	NPT_FORMAT_EPT = 1,
};

/* Access rights of a mapping (NPT_R is mandatory). */
#define NPT_R		BIT(0)
#define NPT_W		BIT(1)
#define NPT_X		BIT(2)
#define NPT_RW		(NPT_R | NPT_W)
#define NPT_RWX		(NPT_R | NPT_W | NPT_X)

enum npt_memtype {
	NPT_MT_WB = 0,	/* AMD: PAT index 0; EPT: 6 */
	NPT_MT_WC = 1,	/* AMD: PAT index 1 (PWT); EPT: 1 */
	NPT_MT_UC = 2,	/* AMD: PAT index 3 (PCD|PWT); EPT: 0 */
};

/*
 * Host IA32_PAT the AMD format assumes (Linux's layout): PA0 WB, PA1 WC,
 * PA2 UC-, PA3 UC, PA4 WB, PA5 WP, PA6 UC-, PA7 WT.
 */
#define NPT_HOST_PAT	0x0407050600070106ULL

/* Guest-physical limit of 4-level tables, host-physical limit of entries. */
#define NPT_GPA_LIMIT	(1ULL << 48)
#define NPT_HPA_LIMIT	(1ULL << 52)

/**
 * struct npt_allocator - source of page-table pages.
 * @alloc: return a pointer to a 4 KiB page (need not be zeroed) and its
 *         host-physical address in *@hpa, or NULL when out of memory
 * @free: give back a page from @alloc
 * @to_virt: pointer through which the page at @hpa (from @alloc) is written
 */
struct npt_allocator {
	void *ctx;
	void *(*alloc)(void *ctx, hpa_t *hpa);
	void (*free)(void *ctx, void *va, hpa_t hpa);
	void *(*to_virt)(void *ctx, hpa_t hpa);
};

struct npt_fmt_ops;

struct npt {
	const struct npt_fmt_ops *ops;
	const struct npt_allocator *alloc;
	u64 *root;		/* PML4 (hv pointer) */
	hpa_t root_hpa;		/* nCR3 / EPTP base */
	bool allow_1g;		/* CPU supports 1 GiB nested pages */
	u32 table_pages;	/* table pages in use, root included */
};

/* What a lookup found. */
struct npt_mapping {
	hpa_t hpa;		/* host-physical address of the looked-up GPA */
	u64 page_size;		/* 4 KiB, 2 MiB or 1 GiB */
	unsigned int prot;	/* NPT_R/W/X */
	enum npt_memtype memtype;
};

/**
 * npt_init() - create empty tables (just the root).
 * @fmt: NPT_FORMAT_AMD or NPT_FORMAT_EPT
 * @alloc: page source, used for the lifetime of @npt
 * @allow_1g: use 1 GiB pages (AMD: CPUID 0x80000001 EDX[26]; EPT: VPID/EPT cap bit 17)
 *
 * Return: 0, -EINVAL (unknown format), -ENOMEM.
 * @see npt_destroy()
 */
int npt_init(struct npt *npt, enum npt_format fmt,
	     const struct npt_allocator *alloc, bool allow_1g);

/** npt_destroy() - free every table page, root included. @see npt_init() */
void npt_destroy(struct npt *npt);

/** npt_root() - host-physical address of the root table (nCR3, EPTP base). */
static inline hpa_t npt_root(const struct npt *npt)
{
	return npt->root_hpa;
}

/**
 * npt_map() - map [gpa, gpa + size) to [hpa, hpa + size).
 * @prot: NPT_R plus optionally NPT_W, NPT_X
 * @mt: memory type
 *
 * All-or-nothing: on any error nothing changed.
 *
 * Return: 0; -EINVAL (unaligned to 4 KiB, size 0, wrap, gpa beyond 2^48,
 * hpa beyond 2^52, bad prot/memtype); -EEXIST if any page of the range is
 * already mapped; -ENOMEM if the allocator ran dry.
 * @see npt_unmap()
 */
int npt_map(struct npt *npt, gpa_t gpa, hpa_t hpa, u64 size,
	    unsigned int prot, enum npt_memtype mt);

/**
 * npt_unmap() - unmap [gpa, gpa + size) (holes are fine).
 *
 * Large pages that straddle the range ends are split first; tables left
 * empty are freed.  On -ENOMEM (no page to split with) the translation is
 * unchanged.
 *
 * Return: 0, -EINVAL (bad range), -ENOMEM.
 * @see npt_map()
 */
int npt_unmap(struct npt *npt, gpa_t gpa, u64 size);

/**
 * npt_protect() - set the rights of every mapped page in [gpa, gpa + size).
 * @prot: new rights (NPT_R mandatory; e.g. NPT_R | NPT_X write-protects
 *        for dirty logging)
 *
 * Memory types and addresses are kept; straddling large pages are split.
 *
 * Return: 0, -EINVAL, -ENOMEM (then nothing changed).
 */
int npt_protect(struct npt *npt, gpa_t gpa, u64 size, unsigned int prot);

/**
 * npt_lookup() - translate one GPA.
 * @out: filled on success
 *
 * Return: 0, -ENOENT if unmapped, -EINVAL if @gpa >= NPT_GPA_LIMIT.
 */
int npt_lookup(const struct npt *npt, gpa_t gpa, struct npt_mapping *out);

/**
 * npt_map_identity() - map [@s, @e) GPA = HPA, NPT_RWX, type @mt, except
 * the @hv ranges (which stay unmapped).
 * Return: 0 or npt_map()'s error.
 */
int npt_map_identity(struct npt *npt, u64 s, u64 e,
		     const struct mem_range *hv, size_t nr_hv,
		     enum npt_memtype mt);

/**
 * npt_map_parent() - build the parent's identity map (DESIGN §2.3).
 * @npt: empty tables from npt_init()
 * @m: the parent's e820 (page-aligned ranges, as e820_from_efi() makes)
 * @hv: hv-owned ranges: never mapped (rounded out to pages)
 * @nr_hv: number of @hv ranges
 * @limit: map [0, @limit): the top of RAM and MMIO the parent may use
 *         (page-aligned, <= NPT_GPA_LIMIT).  Without 1 GiB pages keep it
 *         near the real top: a 2 MiB-page map of 2^46 bytes needs 256 MiB.
 * @other_mt: memory type of everything that is not e820 RAM (MMIO,
 *            firmware, holes): NPT_MT_WB on AMD (guest PAT and host MTRRs
 *            decide, as on bare metal), NPT_MT_UC on EPT (no MTRRs there).
 *
 * RAM is mapped NPT_RWX / NPT_MT_WB, everything else NPT_RWX / @other_mt,
 * GPA = HPA, except the @hv ranges, which stay unmapped (an access there is
 * a nested page fault for the arch code to log and refuse).
 *
 * Return: 0; -EINVAL (unaligned e820 range, bad @limit, wrapping @hv
 * range); -ENOMEM (the tables are then partly built: npt_destroy() them).
 */
int npt_map_parent(struct npt *npt, const struct e820_map *m,
		   const struct mem_range *hv, size_t nr_hv, u64 limit,
		   enum npt_memtype other_mt);

#endif /* MKHV_NPT_H */
