// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual x2APIC for child VPs (see mkhv/vlapic.h).  Register semantics
 * follow the Intel SDM vol. 3 ch. 10 / AMD APM vol. 2 ch. 16 for x2APIC
 * mode: MSR index = 0x800 + (xAPIC offset >> 4); 64-bit ICR at 0x830.
 */
#include <mkhv/errno.h>
#include <mkhv/string.h>
#include <mkhv/vlapic.h>

#define R_ID		0x02
#define R_VERSION	0x03
#define R_TPR		0x08
#define R_PPR		0x0a
#define R_EOI		0x0b
#define R_LDR		0x0d
#define R_SVR		0x0f
#define R_ISR		0x10	/* 0x10-0x17 */
#define R_TMR		0x18	/* 0x18-0x1f */
#define R_IRR		0x20	/* 0x20-0x27 */
#define R_ESR		0x28
#define R_LVT_CMCI	0x2f
#define R_ICR		0x30
#define R_LVT_TIMER	0x32	/* 0x32-0x37: timer, thermal, PMC, LINT0/1, error */
#define R_TMICT		0x38
#define R_TMCCT		0x39
#define R_TDCR		0x3e
#define R_SELF_IPI	0x3f

#define LVT_MASKED	BIT(16)
#define TIMER_MODE(l)	(((l) >> 17) & 3)	/* 0 one-shot, 1 periodic, 2 deadline */
#define SVR_ENABLED	BIT(8)

static void set_vec(u64 *v, u8 n)
{
	v[n / 64] |= 1ull << (n % 64);
}

static void clear_vec(u64 *v, u8 n)
{
	v[n / 64] &= ~(1ull << (n % 64));
}

static int highest(const u64 *v)
{
	int i;

	for (i = 3; i >= 0; i--)
		if (v[i])
			return i * 64 + 63 - __builtin_clzll(v[i]);
	return -1;
}

/* Divide configuration: bits 0,1,3 -> 2, 4, 8, 16, 32, 64, 128, 1. */
static u32 divider(u32 tdcr)
{
	u32 code = (tdcr & 3) | ((tdcr >> 1) & 4);

	return code == 7 ? 1 : 2u << code;
}

void vlapic_init(struct vlapic *vl, u32 id, u64 tsc_hz, u64 bus_hz)
{
	int i;

	memset(vl, 0, sizeof(*vl));
	vl->id = id;
	/* x2APIC LDR: cluster (id >> 4) in 31:16, bit (id & 15) in 15:0. */
	vl->ldr = ((id >> 4) << 16) | (1u << (id & 15));
	vl->svr = 0xff;
	for (i = 0; i < 7; i++)
		vl->lvt[i] = LVT_MASKED;
	vl->tsc_per_tick = bus_hz ? (tsc_hz << 16) / bus_hz : 1 << 16;
}

static u32 ppr(const struct vlapic *vl)
{
	int isrv = highest(vl->isr);
	u32 isr_class = isrv < 0 ? 0 : (u32)isrv & 0xf0;

	return (vl->tpr & 0xf0) >= isr_class ? vl->tpr : isr_class;
}

int vlapic_pending(const struct vlapic *vl)
{
	int v = highest(vl->irr);

	if (v < 0 || !(vl->svr & SVR_ENABLED))
		return -1;
	return ((u32)v & 0xf0) > (ppr(vl) & 0xf0) ? v : -1;
}

void vlapic_accept(struct vlapic *vl, u8 vector)
{
	if (vector < 16) {
		vl->esr |= BIT(6);	/* illegal vector received */
		return;
	}
	set_vec(vl->irr, vector);
}

void vlapic_accept_auto_eoi(struct vlapic *vl, u8 vector)
{
	vlapic_accept(vl, vector);
	if (vector >= 16)
		set_vec(vl->aeoi, vector);
}

void vlapic_ack(struct vlapic *vl, u8 vector)
{
	clear_vec(vl->irr, vector);
	if (vl->aeoi[vector / 64] & (1ull << (vector % 64)))
		clear_vec(vl->aeoi, vector);
	else
		set_vec(vl->isr, vector);
}

static void eoi(struct vlapic *vl)
{
	int v = highest(vl->isr);

	if (v >= 0)
		clear_vec(vl->isr, (u8)v);
}

/* ---- timer ---- */

static u64 period(const struct vlapic *vl)
{
	/* TSC ticks for tmict timer ticks at the current divider. */
	return ((u64)vl->tmict * divider(vl->tdcr) * vl->tsc_per_tick) >> 16;
}

static void timer_arm(struct vlapic *vl, u64 now)
{
	u32 mode = TIMER_MODE(vl->lvt[1]);

	if (mode == 2) {
		vl->timer_due = vl->tsc_deadline;
		return;
	}
	vl->timer_start = now;
	vl->timer_due = vl->tmict ? now + (period(vl) ? period(vl) : 1) : 0;
}

bool vlapic_timer_check(struct vlapic *vl, u64 now)
{
	if (!vl->timer_due || now < vl->timer_due)
		return false;
	if (!(vl->lvt[1] & LVT_MASKED))
		vlapic_accept(vl, (u8)vl->lvt[1]);
	switch (TIMER_MODE(vl->lvt[1])) {
	case 1:		/* periodic: next period from the due time, no drift */
		vl->timer_start = vl->timer_due;
		vl->timer_due += period(vl) ? period(vl) : 1;
		if (vl->timer_due <= now)	/* we were away for long */
			vl->timer_due = now + (period(vl) ? period(vl) : 1);
		break;
	case 2:
		vl->tsc_deadline = 0;
		vl->timer_due = 0;
		break;
	default:
		vl->timer_due = 0;
		break;
	}
	return true;
}

static u32 current_count(const struct vlapic *vl, u64 now)
{
	u64 per_tick = (divider(vl->tdcr) * vl->tsc_per_tick) >> 16;
	u64 left;

	if (!vl->timer_due || TIMER_MODE(vl->lvt[1]) == 2 || now >= vl->timer_due)
		return 0;
	left = (vl->timer_due - now) / (per_tick ? per_tick : 1);
	return left > vl->tmict ? vl->tmict : (u32)left;
}

/* ---- MSR access ---- */

int vlapic_rdmsr(struct vlapic *vl, u32 msr, u64 now, u64 *val)
{
	u32 r = msr - VLAPIC_MSR_FIRST;

	if (msr == VLAPIC_MSR_TSC_DEADLINE) {
		*val = TIMER_MODE(vl->lvt[1]) == 2 ? vl->tsc_deadline : 0;
		return 0;
	}
	if (msr < VLAPIC_MSR_FIRST || msr > VLAPIC_MSR_LAST)
		return -EINVAL;
	if (r >= R_ISR && r < R_ISR + 8) {
		*val = (u32)(vl->isr[(r - R_ISR) / 2] >> (32 * ((r - R_ISR) & 1)));
		return 0;
	}
	if (r >= R_TMR && r < R_TMR + 8) {
		*val = (u32)(vl->tmr[(r - R_TMR) / 2] >> (32 * ((r - R_TMR) & 1)));
		return 0;
	}
	if (r >= R_IRR && r < R_IRR + 8) {
		*val = (u32)(vl->irr[(r - R_IRR) / 2] >> (32 * ((r - R_IRR) & 1)));
		return 0;
	}
	if (r >= R_LVT_TIMER && r <= R_LVT_TIMER + 5) {
		*val = vl->lvt[1 + r - R_LVT_TIMER];
		return 0;
	}
	switch (r) {
	case R_ID: *val = vl->id; return 0;
	case R_VERSION: *val = VLAPIC_VERSION; return 0;
	case R_TPR: *val = vl->tpr; return 0;
	case R_PPR: *val = ppr(vl); return 0;
	case R_LDR: *val = vl->ldr; return 0;
	case R_SVR: *val = vl->svr; return 0;
	case R_ESR: *val = vl->esr; return 0;
	case R_LVT_CMCI: *val = vl->lvt[0]; return 0;
	case R_ICR: *val = 0; return 0;	/* delivery is instantaneous */
	case R_TMICT: *val = vl->tmict; return 0;
	case R_TMCCT: *val = current_count(vl, now); return 0;
	case R_TDCR: *val = vl->tdcr; return 0;
	default: return -EINVAL;	/* EOI, SELF_IPI, reserved */
	}
}

static int write_icr(u64 val, struct vlapic_ipi *ipi)
{
	u32 mode = (val >> 8) & 7;

	/* Reserved: bits 13, 16-17, 20-31 (x2APIC), logical dest unsupported. */
	if (val & 0xfff32000ull || (val & BIT(11)) ||
	    (mode != VLAPIC_DM_FIXED && mode != VLAPIC_DM_NMI &&
	     mode != VLAPIC_DM_INIT && mode != VLAPIC_DM_SIPI))
		return -EINVAL;
	ipi->dest = (u32)(val >> 32);
	ipi->vector = (u8)val;
	ipi->mode = (u8)mode;
	ipi->shorthand = (u8)((val >> 18) & 3);
	return 1;
}

static int write_lvt(struct vlapic *vl, unsigned int idx, u64 val, u64 now)
{
	static const u32 valid[7] = {
		0x000110ff, 0x000710ff, 0x000117ff, 0x000117ff,
		0x0001f7ff, 0x0001f7ff, 0x000110ff,
	};

	if (val & ~(u64)valid[idx])
		return -EINVAL;
	if (!(vl->svr & SVR_ENABLED))
		val |= LVT_MASKED;	/* software-disabled: stays masked */
	if (idx == 1 && TIMER_MODE(val) != TIMER_MODE(vl->lvt[1])) {
		vl->lvt[1] = (u32)val;
		vl->tmict = 0;		/* mode change stops the timer */
		vl->tsc_deadline = 0;
		vl->timer_due = 0;
		return 0;
	}
	vl->lvt[idx] = (u32)val;
	(void)now;
	return 0;
}

int vlapic_wrmsr(struct vlapic *vl, u32 msr, u64 val, u64 now,
		 struct vlapic_ipi *ipi)
{
	u32 r = msr - VLAPIC_MSR_FIRST;
	int i;

	if (msr == VLAPIC_MSR_TSC_DEADLINE) {
		if (TIMER_MODE(vl->lvt[1]) != 2)
			return 0;	/* ignored outside deadline mode */
		vl->tsc_deadline = val;
		vl->timer_due = val;
		return 0;
	}
	if (msr < VLAPIC_MSR_FIRST || msr > VLAPIC_MSR_LAST)
		return -EINVAL;
	if (r >= R_LVT_TIMER && r <= R_LVT_TIMER + 5)
		return write_lvt(vl, 1 + r - R_LVT_TIMER, val, now);
	if (r != R_ICR && (val >> 32))
		return -EINVAL;
	switch (r) {
	case R_TPR:
		if (val & ~0xffull)
			return -EINVAL;
		vl->tpr = (u32)val;
		return 0;
	case R_EOI:
		if (val)
			return -EINVAL;	/* x2APIC: non-zero EOI is a #GP */
		eoi(vl);
		return 0;
	case R_SVR:
		if (val & ~0x11ffull)
			return -EINVAL;
		vl->svr = (u32)val;
		if (!(val & SVR_ENABLED))
			for (i = 0; i < 7; i++)
				vl->lvt[i] |= LVT_MASKED;
		return 0;
	case R_ESR:
		if (val)
			return -EINVAL;
		vl->esr = 0;
		return 0;
	case R_LVT_CMCI:
		return write_lvt(vl, 0, val, now);
	case R_ICR:
		return write_icr(val, ipi);
	case R_TMICT:
		if (TIMER_MODE(vl->lvt[1]) == 2)
			return 0;	/* ignored in deadline mode */
		vl->tmict = (u32)val;
		timer_arm(vl, now);
		return 0;
	case R_TDCR:
		if (val & ~0xbull)
			return -EINVAL;
		vl->tdcr = (u32)val;
		return 0;
	case R_SELF_IPI:
		if (val & ~0xffull)
			return -EINVAL;
		ipi->dest = vl->id;
		ipi->vector = (u8)val;
		ipi->mode = VLAPIC_DM_FIXED;
		ipi->shorthand = 1;
		return 1;
	default:
		return -EINVAL;	/* read-only or reserved */
	}
}
