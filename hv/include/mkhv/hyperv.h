/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hyper-V enlightenments a partition sees: CPUID leaves 0x40000000-0x40000006
 * ("Microsoft Hv"), mkhv's own leaves 0x40000100-0x40000101, and the
 * synthetic MSRs (TLFS v6.0 §2, §3.13, §12; Linux 6.1 as a guest:
 * shared/reference/linux-hv-guest.md §1-§3).
 *
 * Two profiles:
 *  - parent (issue 4, DESIGN §5): HYPERCALL + VP_INDEX, ACCESS_TSC_INVARIANT
 *    (MSR 0x40000118, so Linux keeps the native TSC as a reliable
 *    clocksource), TIME_REF_COUNT, and the frequency MSRs when the arch
 *    code knows the TSC and APIC timer frequencies (then Linux skips its
 *    calibration).  Never CPU_MANAGEMENT, partition id or isolation (EBX
 *    bits 12, 1, 22: EBX is 0).  Hint bit 9 DEPRECATING_AEOI.
 *  - child (DESIGN §7): EAX 0xA7E | bit 15, EBX 0x30, EDX 0x80100, no hints:
 *    without DEPRECATING_AEOI Linux programs its VMBus SINT with auto-EOI,
 *    which the vLAPIC honours (vlapic_accept_auto_eoi), so a VMBus
 *    interrupt costs the child no EOI exit.  The parent keeps hint 9: its
 *    LAPIC is the real one, which has no auto-EOI.
 * Time-based bits are dropped when tsc_hz/apic_hz are unknown (0), because
 * Linux trusts them (linux-hv-guest.md §1.4: zero frequency -> no TSC).
 */
#ifndef MKHV_HYPERV_H
#define MKHV_HYPERV_H

#include <mkhv/types.h>
#include <mkhv/spinlock.h>

struct hv_vp;

struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

/* CPUID leaves */
#define HV_CPUID_VENDOR_AND_MAX		0x40000000
#define HV_CPUID_INTERFACE		0x40000001
#define HV_CPUID_VERSION		0x40000002
#define HV_CPUID_FEATURES		0x40000003
#define HV_CPUID_ENLIGHTMENT_INFO	0x40000004
#define HV_CPUID_IMPLEMENT_LIMITS	0x40000005
#define HV_CPUID_HARDWARE_FEATURES	0x40000006
#define HV_CPUID_MAX_LEAF		HV_CPUID_HARDWARE_FEATURES

#define HV_CPUID_SIG_EBX	0x7263694d	/* "Micr" */
#define HV_CPUID_SIG_ECX	0x666f736f	/* "osof" */
#define HV_CPUID_SIG_EDX	0x76482074	/* "t Hv" */
#define HV_CPUID_INTERFACE_HV1	0x31237648	/* "Hv#1" */

/* 0x40000003.EAX: partition privileges (MSR access) */
#define HV_MSR_VP_RUNTIME_AVAILABLE		BIT(0)
#define HV_MSR_TIME_REF_COUNT_AVAILABLE		BIT(1)	/* MSR 0x40000020 */
#define HV_MSR_SYNIC_AVAILABLE			BIT(2)
#define HV_MSR_SYNTIMER_AVAILABLE		BIT(3)
#define HV_MSR_APIC_ACCESS_AVAILABLE		BIT(4)
#define HV_MSR_HYPERCALL_AVAILABLE		BIT(5)	/* MSRs 0x40000000/1 */
#define HV_MSR_VP_INDEX_AVAILABLE		BIT(6)	/* MSR 0x40000002 */
#define HV_MSR_RESET_AVAILABLE			BIT(7)
#define HV_MSR_REFERENCE_TSC_AVAILABLE		BIT(9)	/* MSR 0x40000021 */
#define HV_ACCESS_FREQUENCY_MSRS		BIT(11)	/* MSRs 0x40000022/23 */
#define HV_ACCESS_TSC_INVARIANT			BIT(15)	/* MSR 0x40000118 */
/* 0x40000003.EBX */
#define HV_ACCESS_PARTITION_ID			BIT(1)	/* never: BUG() in Linux */
#define HV_POST_MESSAGES			BIT(4)
#define HV_SIGNAL_EVENTS			BIT(5)
#define HV_CPU_MANAGEMENT			BIT(12)	/* never: root partition */
#define HV_ISOLATION				BIT(22)	/* never */
/* 0x40000003.EDX */
#define HV_FEATURE_FREQUENCY_MSRS_AVAILABLE	BIT(8)
#define HV_STIMER_DIRECT_MODE_AVAILABLE		BIT(19)
/* 0x40000004.EAX */
#define HV_DEPRECATING_AEOI_RECOMMENDED		BIT(9)

/*
 * The reference TSC page matters even though the parent's clock is the
 * TSC: Linux 6.1 lowers the Hyper-V clocksource rating below the TSC's
 * (invariant-TSC offered) only on the TSC-page path; with the MSR
 * clocksource alone it keeps rating 500 and every clock read would exit.
 */
#define HV_PARENT_FEATURES_EAX	(HV_MSR_HYPERCALL_AVAILABLE | \
				 HV_MSR_VP_INDEX_AVAILABLE | \
				 HV_MSR_TIME_REF_COUNT_AVAILABLE | \
				 HV_MSR_REFERENCE_TSC_AVAILABLE | \
				 HV_ACCESS_FREQUENCY_MSRS | \
				 HV_ACCESS_TSC_INVARIANT)
#define HV_CHILD_FEATURES_EAX	(0xa7e | HV_ACCESS_TSC_INVARIANT)
#define HV_CHILD_FEATURES_EBX	(HV_POST_MESSAGES | HV_SIGNAL_EVENTS)
#define HV_CHILD_FEATURES_EDX	0x80100
#define HV_NEVER_EBX		(HV_ACCESS_PARTITION_ID | HV_CPU_MANAGEMENT | \
				 HV_ISOLATION)

/* Synthetic MSRs */
#define HV_X64_MSR_GUEST_OS_ID		0x40000000
#define HV_X64_MSR_HYPERCALL		0x40000001
#define HV_X64_MSR_VP_INDEX		0x40000002
#define HV_X64_MSR_TIME_REF_COUNT	0x40000020
#define HV_X64_MSR_REFERENCE_TSC	0x40000021
#define HV_X64_MSR_TSC_FREQUENCY	0x40000022
#define HV_X64_MSR_APIC_FREQUENCY	0x40000023
#define HV_X64_MSR_VP_ASSIST_PAGE	0x40000073
#define HV_X64_MSR_TSC_INVARIANT_CONTROL 0x40000118

#define HV_SYNTHETIC_MSR_FIRST		0x40000000
#define HV_SYNTHETIC_MSR_LAST		0x4000ffff

#define HV_HYPERCALL_ENABLE		BIT_ULL(0)
#define HV_HYPERCALL_LOCKED		BIT_ULL(1)
#define HV_HYPERCALL_RSVD		0xffcULL	/* bits 11:2 */
#define HV_PAGE_MSR_ENABLE		BIT_ULL(0)	/* VP assist, reference TSC */
#define HV_PAGE_MSR_RSVD		0xffeULL	/* bits 11:1 */
#define HV_TSC_INVARIANT_ENABLE		BIT_ULL(0)

/* Reference time runs at 10 MHz (100 ns units). */
#define HV_REF_HZ			10000000ULL

/* The reference TSC page (TLFS §12.7), written by the hv. */
struct hv_ref_tsc_page {
	u32 tsc_sequence;	/* 0x00: 0 = invalid, use MSR 0x40000020 */
	u32 reserved1;		/* 0x04 */
	u64 tsc_scale;		/* 0x08: ref = ((tsc * scale) >> 64) + offset */
	s64 tsc_offset;		/* 0x10 */
};

enum hyperv_role {
	HYPERV_ROLE_PARENT,
	HYPERV_ROLE_CHILD,
};

/* Partition-wide inputs of hyperv_partition_init(). */
struct hyperv_config {
	enum hyperv_role role;
	u32 nr_vps;		/* VPs the partition may have (CPUID 0x40000005.EAX) */
	u32 nr_lps;		/* pCPUs of the machine (0x40000005.EBX) */
	u64 tsc_hz;		/* host TSC frequency, 0 = unknown */
	u64 apic_hz;		/* LAPIC timer input clock, 0 = unknown */
};

/* Per-partition state; the MSR fields are protected by hyperv_lock. */
struct hyperv_partition {
	enum hyperv_role role;
	struct cpuid_regs leaf[HV_CPUID_MAX_LEAF - HV_CPUID_VENDOR_AND_MAX + 1];
	spinlock_t hyperv_lock;
	u64 guest_os_id;	/* MSR 0x40000000 */
	u64 hypercall;		/* MSR 0x40000001 */
	u64 ref_tsc;		/* MSR 0x40000021 */
	u64 tsc_invariant_ctl;	/* MSR 0x40000118 */
	u64 tsc_hz, apic_hz;
	u64 ref_scale;		/* 2^64 * 10 MHz / tsc_hz */
	s64 ref_offset;		/* so that reference time starts at 0 */
};

/* Per-VP state (only the VP itself touches it: no lock). */
struct hyperv_vp {
	u32 vp_index;		/* MSR 0x40000002 */
	u64 vp_assist;		/* MSR 0x40000073 */
};

/**
 * hyperv_partition_init() - build a partition's CPUID profile and zero its
 * synthetic MSRs.  Reference time starts at 0 now (arch_read_tsc()).
 */
void hyperv_partition_init(struct hyperv_partition *hp,
			   const struct hyperv_config *cfg);

/** hyperv_vp_init() - a VP with VP_INDEX @vp_index (distinct per VP). */
void hyperv_vp_init(struct hyperv_vp *hvp, u32 vp_index);

/**
 * hyperv_cpuid() - answer a CPUID in the hypervisor range.
 * @leaf: EAX; 0x40000000-0x4000ffff is ours (unlisted leaves read 0)
 * @r: out
 *
 * Return: true if handled; false for other leaves (run the real CPUID, then
 * hyperv_cpuid_fixup()).
 */
bool hyperv_cpuid(const struct hv_vp *vp, u32 leaf, struct cpuid_regs *r);

/**
 * hyperv_cpuid_fixup() - adjust a native CPUID result for @vp's partition:
 * leaf 1 gets the hypervisor bit; 0x80000007 EDX[8] (invariant TSC) is
 * hidden while an offered MSR 0x40000118 is not enabled (TLFS §12.8).
 */
void hyperv_cpuid_fixup(const struct hv_vp *vp, u32 leaf,
			struct cpuid_regs *r);

/** cpuid_set_hypervisor_bit() - CPUID.1:ECX[31] "running on a hypervisor". */
static inline void cpuid_set_hypervisor_bit(struct cpuid_regs *r)
{
	r->ecx |= 1U << 31;
}

/** hyperv_msr_is_synthetic() - true for 0x40000000-0x4000ffff. */
static inline bool hyperv_msr_is_synthetic(u32 msr)
{
	return msr >= HV_SYNTHETIC_MSR_FIRST && msr <= HV_SYNTHETIC_MSR_LAST;
}

/**
 * hyperv_msr_read() - RDMSR of a synthetic MSR by @vp.
 * Return: 0 and *@val; -EINVAL for an unknown or unoffered MSR (the
 * caller injects #GP).
 */
int hyperv_msr_read(struct hv_vp *vp, u32 msr, u64 *val);

/**
 * hyperv_msr_write() - WRMSR of a synthetic MSR by @vp.
 *
 * HYPERCALL with the enable bit (and a non-zero GUEST_OS_ID) writes the
 * hypercall page (arch_hypercall_stub() + int3 padding) at its GPA through
 * arch_copy_to_guest(); a locked HYPERCALL MSR ignores writes; writing
 * GUEST_OS_ID 0 disables the hypercall page.  REFERENCE_TSC with the enable
 * bit writes the TSC page.
 *
 * Return: 0; -EINVAL for an unknown/unoffered/read-only MSR, reserved
 * bits, or a page GPA that is not the partition's RAM (#GP).
 */
int hyperv_msr_write(struct hv_vp *vp, u32 msr, u64 val);

/** hyperv_ticks_to_ref() - a TSC tick count in 100 ns units. */
u64 hyperv_ticks_to_ref(const struct hyperv_partition *hp, u64 ticks);

/** hyperv_ref_time() - partition reference time, 100 ns since creation. */
u64 hyperv_ref_time(const struct hyperv_partition *hp);

/**
 * hyperv_ref_to_tsc() - the host TSC value at which the partition's
 * reference time reaches @ref (to arm a host timer for a synthetic one).
 */
u64 hyperv_ref_to_tsc(const struct hyperv_partition *hp, u64 ref);

/**
 * hyperv_ref_scale() - floor(2^64 * 10^7 / @tsc_hz), the TSC page scale;
 * 0 if @tsc_hz < 10 MHz (not representable).
 */
u64 hyperv_ref_scale(u64 tsc_hz);

#endif /* MKHV_HYPERV_H */
