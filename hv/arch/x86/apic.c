// SPDX-License-Identifier: GPL-2.0
/*
 * Local APIC access for the hv: its ID, EOI and the INIT-SIPI-SIPI
 * sequence that starts an AP.  Works in xAPIC (MMIO) and x2APIC (MSR) mode,
 * whichever the firmware left enabled.  On the parent's pCPU the LAPIC
 * belongs to the parent once it runs; the hv touches it only at boot.
 */
#include <mkhv/errno.h>
#include <mkhv/printk.h>
#include <asm/pool.h>
#include <asm/setup.h>
#include <asm/x86.h>

#define APIC_ID		0x020
#define APIC_EOI	0x0b0
#define APIC_SVR	0x0f0
#define APIC_LVT_TIMER	0x320
#define APIC_TMR_INIT	0x380
#define APIC_TMR_CUR	0x390
#define APIC_TMR_DIV	0x3e0
#define APIC_LVT_MASKED	BIT(16)
#define APIC_ICR_LO	0x300
#define APIC_ICR_HI	0x310
#define ICR_INIT	0x00000500
#define ICR_STARTUP	0x00000600
#define ICR_ASSERT	0x00004000
#define ICR_LEVEL	0x00008000
#define ICR_BUSY	0x00001000

static bool x2apic(void)
{
	return rdmsr(MSR_APIC_BASE) & APIC_BASE_EXTD;
}

static volatile u32 *xapic_reg(u32 reg)
{
	return (volatile u32 *)(uintptr_t)((rdmsr(MSR_APIC_BASE) & PAGE_MASK) + reg);
}

static u32 apic_read(u32 reg)
{
	if (x2apic())
		return (u32)rdmsr(0x800 + (reg >> 4));
	return *xapic_reg(reg);
}

static void apic_write(u32 reg, u32 v)
{
	if (x2apic())
		wrmsr(0x800 + (reg >> 4), v);
	else
		*xapic_reg(reg) = v;
}

u32 apic_id(void)
{
	u32 id = apic_read(APIC_ID);

	return x2apic() ? id : id >> 24;
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

/* Software-enables the LAPIC with 0xff as the spurious vector. */
void apic_init(void)
{
	apic_write(APIC_SVR, 0x1ff);
}

/*
 * apic_timer_hz() - the LAPIC timer's input clock, measured against the
 * TSC over 10 ms with the timer masked (divide by 1).  Offered to the
 * parent through the Hyper-V APIC frequency MSR so Linux skips its own
 * calibration.  Only at boot, before the parent owns the LAPIC.
 */
static u64 apic_hz;	/* LAPIC timer input clock, measured at boot */

u64 apic_timer_hz(void)
{
	u32 left;

	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
	apic_write(APIC_TMR_DIV, 0xb);		/* divide by 1 */
	apic_write(APIC_TMR_INIT, 0xffffffff);
	udelay(10000);
	left = apic_read(APIC_TMR_CUR);
	apic_write(APIC_TMR_INIT, 0);
	apic_hz = (u64)(0xffffffffu - left) * 100;
	return apic_hz;
}

/*
 * apic_timer_oneshot() - this pCPU's LAPIC timer fires once after @us on
 * POOL_TIMER_VECTOR (0 disarms).  Pool pCPUs only: their LAPIC is the hv's.
 */
void apic_timer_oneshot(u64 us)
{
	u64 ticks = us * (apic_hz / 1000000);

	apic_write(APIC_TMR_INIT, 0);
	if (!us)
		return;
	apic_write(APIC_TMR_DIV, 0xb);
	apic_write(APIC_LVT_TIMER, POOL_TIMER_VECTOR);
	apic_write(APIC_TMR_INIT, ticks > 0xffffffffu ? 0xffffffffu :
				  (u32)(ticks ? ticks : 1));
}

static int send_ipi(u32 dest, u32 icr)
{
	int spins;

	if (x2apic()) {
		wrmsr(0x830, ((u64)dest << 32) | icr);
		return 0;
	}
	apic_write(APIC_ICR_HI, dest << 24);
	apic_write(APIC_ICR_LO, icr);
	for (spins = 0; spins < 100000; spins++) {
		if (!(apic_read(APIC_ICR_LO) & ICR_BUSY))
			return 0;
		pause();
	}
	return -ETIMEDOUT;
}

/* apic_send_fixed() - a fixed-delivery IPI with @vector to @dest. */
int apic_send_fixed(u32 dest, u8 vector)
{
	return send_ipi(dest, ICR_ASSERT | vector);
}

/*
 * apic_start_ap() - INIT, then two STARTUP IPIs at @trampoline (the
 * universal start-up algorithm of the Intel SDM / AMD APM).
 * @trampoline: page-aligned address below 1 MiB
 */
int apic_start_ap(u32 dest, u64 trampoline)
{
	u32 vector = (u32)(trampoline >> 12);
	int ret;

	ret = send_ipi(dest, ICR_INIT | ICR_ASSERT | ICR_LEVEL);
	if (ret)
		return ret;
	udelay(10000);
	ret = send_ipi(dest, ICR_STARTUP | ICR_ASSERT | vector);
	if (ret)
		return ret;
	udelay(200);
	return send_ipi(dest, ICR_STARTUP | ICR_ASSERT | vector);
}
