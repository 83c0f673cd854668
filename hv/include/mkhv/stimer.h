/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hyper-V synthetic timers of a child VP (TLFS §12.10): four timers, MSRs
 * STIMERn_CONFIG (0x400000b0 + 2n) and STIMERn_COUNT (0x400000b1 + 2n), in
 * reference time (100 ns units).  Direct mode only (EDX bit 19 offered):
 * an expiry raises the configured APIC vector in the VP's vLAPIC, as Linux
 * 6.1's hv_stimer clockevent expects (linux-hv-guest.md §3).  Message mode
 * (through SynIC SINTs) comes with the SynIC (issue 8); configuring it is
 * accepted but such a timer never fires.  Portable: "now" is given.
 */
#ifndef MKHV_STIMER_H
#define MKHV_STIMER_H

#include <mkhv/types.h>

#define HV_X64_MSR_STIMER0_CONFIG	0x400000b0
#define HV_X64_MSR_STIMER3_COUNT	0x400000b7
#define HV_STIMER_COUNT			4

/* STIMERn_CONFIG bits (TLFS). */
#define HV_STIMER_ENABLE		BIT_ULL(0)
#define HV_STIMER_PERIODIC		BIT_ULL(1)
#define HV_STIMER_LAZY			BIT_ULL(2)
#define HV_STIMER_AUTO_ENABLE		BIT_ULL(3)
#define HV_STIMER_VECTOR_SHIFT		4	/* bits 11:4 */
#define HV_STIMER_DIRECT		BIT_ULL(12)
#define HV_STIMER_SINT_SHIFT		16	/* bits 19:16 */
#define HV_STIMER_CONFIG_VALID		0xf1fffULL

struct vlapic;

struct hv_stimer {
	u64 config;
	u64 count;
	u64 due;		/* reference time of the next expiry, 0 = none */
};

struct hv_stimers {
	struct hv_stimer t[HV_STIMER_COUNT];
};

/** stimer_is_msr() - is @msr one of the eight timer MSRs? */
static inline bool stimer_is_msr(u32 msr)
{
	return msr >= HV_X64_MSR_STIMER0_CONFIG &&
	       msr <= HV_X64_MSR_STIMER3_COUNT;
}

/**
 * stimer_rdmsr() / stimer_wrmsr() - guest access to a timer MSR.
 * @now: current reference time
 * Return: 0, or -EINVAL (#GP) for reserved config bits or a direct-mode
 * vector below 16.
 */
int stimer_rdmsr(const struct hv_stimers *s, u32 msr, u64 *val);
int stimer_wrmsr(struct hv_stimers *s, u32 msr, u64 val, u64 now);

/**
 * stimer_check() - fire every timer due at @now into @vl (direct mode);
 * periodic timers re-arm without drift, one-shot timers disable.
 * Return: number of timers that fired.
 */
int stimer_check(struct hv_stimers *s, struct vlapic *vl, u64 now);

/** stimer_next_due() - earliest reference time a timer is due, 0 if none. */
u64 stimer_next_due(const struct hv_stimers *s);

#endif /* MKHV_STIMER_H */
