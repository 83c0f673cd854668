/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MTRRs as the firmware left them, turned into second-level memory types.
 *
 * Why: an EPT leaf's memory type takes the place of the MTRRs for every
 * guest access (SDM vol. 3 §29.3.7.2: with IPAT clear the EPT type is
 * combined with the guest's PAT type by the MTRR+PAT table), and the host
 * MTRRs are not consulted at all.  Mapping the parent's MMIO write-back
 * would let a WB guest mapping of device memory be cached.  Copying the
 * firmware's MTRRs into the EPT reproduces what the parent would get on
 * bare metal, including a guest PAT WC over an MTRR-UC framebuffer (WC).
 * AMD NPT needs none of this: host MTRRs still apply under NPT.
 *
 * The decoding here is pure (host-tested, tests/unit/test_mtrr.c); the
 * arch code reads the MSRs into struct mtrr_state once at boot.
 */
#ifndef MKHV_MTRR_H
#define MKHV_MTRR_H

#include <mkhv/types.h>
#include <mkhv/npt.h>

/* MTRR memory types (SDM vol. 3 Table 11-8). */
#define MTRR_TYPE_UC	0
#define MTRR_TYPE_WC	1
#define MTRR_TYPE_WT	4
#define MTRR_TYPE_WP	5
#define MTRR_TYPE_WB	6

/* MSRs. */
#define MSR_MTRR_CAP		0xfe	/* VCNT 7:0, FIX 8, WC 10 */
#define MSR_MTRR_DEF_TYPE	0x2ff	/* type 7:0, FE 10, E 11 */
#define MSR_MTRR_PHYSBASE(n)	(0x200 + 2 * (n))
#define MSR_MTRR_PHYSMASK(n)	(0x201 + 2 * (n))
#define MTRR_DEF_FE		BIT_ULL(10)
#define MTRR_DEF_E		BIT_ULL(11)
#define MTRR_MASK_VALID		BIT_ULL(11)
#define MTRR_CAP_FIX		BIT_ULL(8)

#define MTRR_MAX_VAR		32
#define MTRR_NR_FIXED		11	/* 0x250, 0x258, 0x259, 0x268-0x26f */
#define MTRR_FIXED_END		0x100000ULL

/* The MSRs holding the fixed ranges, in address order. */
extern const u32 mtrr_fixed_msrs[MTRR_NR_FIXED];

struct mtrr_state {
	u64 def_type;			/* IA32_MTRR_DEF_TYPE */
	bool has_fixed;			/* IA32_MTRRCAP.FIX */
	u64 fixed[MTRR_NR_FIXED];	/* 8 one-byte types per MSR */
	u32 nr_var;			/* IA32_MTRRCAP.VCNT (<= MTRR_MAX_VAR) */
	struct { u64 base, mask; } var[MTRR_MAX_VAR];
	u64 phys_mask;			/* (1 << MAXPHYADDR) - 1 */
};

/**
 * mtrr_check() - can the decoder below describe @s exactly?
 * Return: 0; -EINVAL for a variable range whose mask is not contiguous
 * (legal but unused by firmware: such a range is not one interval), or a
 * bad phys_mask / nr_var.
 */
int mtrr_check(const struct mtrr_state *s);

/** mtrr_type_at() - the MTRR_TYPE_* the CPU would use for @pa. */
u8 mtrr_type_at(const struct mtrr_state *s, u64 pa);

/**
 * mtrr_segment() - the longest [@pa, end) with one second-level memory
 * type, end <= @limit (@pa < @limit, both page-aligned).  WB and WC map to
 * themselves, UC, WT and WP to NPT_MT_UC (never weaker than asked).
 * Return: end; *@mt the type.
 */
u64 mtrr_segment(const struct mtrr_state *s, u64 pa, u64 limit,
		 enum npt_memtype *mt);

/**
 * arch_mtrr_read() - this CPU's MTRRs and MAXPHYADDR into @s.
 * Return: 0; -ENODEV without MTRRs; -EINVAL from mtrr_check().
 */
int arch_mtrr_read(struct mtrr_state *s);

#endif /* MKHV_MTRR_H */
