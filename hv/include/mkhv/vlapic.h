/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual local APIC of a child VP, in x2APIC mode only (children are
 * told so by CPUID and never see the xAPIC page, DESIGN §5): registers
 * through MSRs 0x800-0x8ff and TSC_DEADLINE (0x6e0), interrupt request and
 * in-service bookkeeping with TPR/PPR priority, EOI, IPIs through the ICR
 * (handed to the caller to route), and the timer in one-shot, periodic and
 * TSC-deadline modes, expressed as an absolute host-TSC deadline the pool
 * pCPU arms its own timer for.  Portable and time-source free: every call
 * that needs "now" is given the TSC.
 */
#ifndef MKHV_VLAPIC_H
#define MKHV_VLAPIC_H

#include <mkhv/types.h>

#define VLAPIC_MSR_FIRST	0x800
#define VLAPIC_MSR_LAST		0x8ff
#define VLAPIC_MSR_TSC_DEADLINE	0x6e0
#define VLAPIC_VERSION		0x00050014	/* 6 LVTs - 1, version 0x14 */

/* ICR delivery modes a child may send. */
enum vlapic_delivery {
	VLAPIC_DM_FIXED = 0,
	VLAPIC_DM_NMI = 4,
	VLAPIC_DM_INIT = 5,
	VLAPIC_DM_SIPI = 6,
};

/* An IPI the guest wrote to its ICR, for the caller to deliver. */
struct vlapic_ipi {
	u32 dest;		/* x2APIC ID, or 0xffffffff = broadcast */
	u8 vector;
	u8 mode;		/* enum vlapic_delivery */
	u8 shorthand;		/* 0 none, 1 self, 2 all incl. self, 3 all but self */
};

struct vlapic {
	u32 id;
	u32 tpr, svr, esr, ldr;
	u32 lvt[7];		/* CMCI, timer, thermal, PMC, LINT0, LINT1, error */
	u32 tdcr, tmict;
	u64 irr[4], isr[4], tmr[4];	/* 256-bit vectors */
	u64 aeoi[4];		/* pending vectors that skip the ISR (SynIC auto-EOI) */
	u64 tsc_deadline;	/* MSR 0x6e0 (TSC-deadline mode) */
	u64 timer_start;	/* host TSC when TMICT was written / reloaded */
	u64 timer_due;		/* host TSC of the next expiry, 0 = none */
	u64 tsc_per_tick;	/* host TSC ticks per timer input tick, <<16 */
};

/**
 * vlapic_init() - reset state (APIC enabled in x2APIC mode, software
 * disabled: SVR bit 8 clear, every LVT masked).
 * @tsc_hz: host TSC frequency
 * @bus_hz: the timer's input clock the child is told (APIC_FREQUENCY MSR)
 */
void vlapic_init(struct vlapic *vl, u32 id, u64 tsc_hz, u64 bus_hz);

/**
 * vlapic_rdmsr() / vlapic_wrmsr() - an x2APIC MSR access by the guest.
 * @now: host TSC
 * @ipi: out (write only): set when the write was an ICR/SELF_IPI send
 * Return: 0; 1 from wrmsr when @ipi was filled; -EINVAL for #GP (unknown
 * register, write to a read-only one, reserved bits, read of EOI/SELF_IPI).
 */
int vlapic_rdmsr(struct vlapic *vl, u32 msr, u64 now, u64 *val);
int vlapic_wrmsr(struct vlapic *vl, u32 msr, u64 val, u64 now,
		 struct vlapic_ipi *ipi);

/** vlapic_accept() - a fixed interrupt @vector arrives (IRR). Vectors < 16 are dropped. */
void vlapic_accept(struct vlapic *vl, u8 vector);

/**
 * vlapic_accept_auto_eoi() - like vlapic_accept(), but the vector's next
 * injection does not enter the ISR, so the guest writes no EOI for it
 * (a SynIC SINT with the auto-EOI bit, TLFS §11.8.4).
 */
void vlapic_accept_auto_eoi(struct vlapic *vl, u8 vector);

/**
 * vlapic_pending() - the vector to inject now: the highest IRR vector
 * whose priority class beats the PPR.  Return: the vector or -1.
 */
int vlapic_pending(const struct vlapic *vl);

/** vlapic_ack() - @vector was injected: IRR -> ISR (not for auto-EOI). */
void vlapic_ack(struct vlapic *vl, u8 vector);

/**
 * vlapic_timer_check() - fire the timer if due at @now (IRR gets the LVT
 * timer vector unless masked; periodic mode re-arms).
 * Return: true if it fired.
 */
bool vlapic_timer_check(struct vlapic *vl, u64 now);

/** vlapic_timer_due() - host TSC of the next expiry, 0 when not armed. */
static inline u64 vlapic_timer_due(const struct vlapic *vl)
{
	return vl->timer_due;
}

#endif /* MKHV_VLAPIC_H */
