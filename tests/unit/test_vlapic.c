// SPDX-License-Identifier: GPL-2.0
/* The children's virtual x2APIC (hv/vlapic.c). */
#include "hv_check.h"
#include <stdint.h>
#include <mkhv/errno.h>
#include <mkhv/vlapic.h>

#define TSC_HZ	2000000000ull
#define BUS_HZ	100000000ull	/* 20 TSC ticks per timer tick */

static struct vlapic vl;
static struct vlapic_ipi ipi;

static void setup(void)
{
	vlapic_init(&vl, 3, TSC_HZ, BUS_HZ);
	memset(&ipi, 0, sizeof(ipi));
}

static u64 rd(u32 reg)
{
	u64 v = 0xdead;

	ck_assert_int_eq(vlapic_rdmsr(&vl, 0x800 + reg, 0, &v), 0);
	return v;
}

static int wr(u32 reg, u64 val, u64 now)
{
	return vlapic_wrmsr(&vl, 0x800 + reg, val, now, &ipi);
}

static void enable(void)
{
	ck_assert_int_eq(wr(0x0f, 0x1ff, 0), 0);	/* SVR: enabled */
}

START_TEST(test_identity_and_readonly)
{
	u64 v;

	ck_assert_uint_eq(rd(0x02), 3);
	ck_assert_uint_eq(rd(0x03), VLAPIC_VERSION);
	ck_assert_uint_eq(rd(0x0d), (0u << 16) | (1u << 3));
	ck_assert_int_eq(wr(0x02, 5, 0), -EINVAL);	/* ID is read-only */
	ck_assert_int_eq(wr(0x0a, 0, 0), -EINVAL);	/* PPR */
	ck_assert_int_eq(vlapic_rdmsr(&vl, 0x80b, 0, &v), -EINVAL); /* EOI */
	ck_assert_int_eq(vlapic_rdmsr(&vl, 0x83f, 0, &v), -EINVAL); /* SELF_IPI */
	ck_assert_int_eq(vlapic_rdmsr(&vl, 0x8ff, 0, &v), -EINVAL);
	ck_assert_int_eq(vlapic_rdmsr(&vl, 0x7ff, 0, &v), -EINVAL);
	ck_assert_int_eq(wr(0x08, 0x100, 0), -EINVAL);	/* TPR reserved */
	ck_assert_int_eq(wr(0x0b, 1, 0), -EINVAL);	/* EOI must be 0 */
	ck_assert_int_eq(wr(0x08, 1ull << 32, 0), -EINVAL);
}
END_TEST

START_TEST(test_priority_and_eoi)
{
	enable();
	ck_assert_int_eq(vlapic_pending(&vl), -1);
	vlapic_accept(&vl, 0x31);
	vlapic_accept(&vl, 0x52);
	ck_assert_int_eq(vlapic_pending(&vl), 0x52);
	vlapic_ack(&vl, 0x52);
	ck_assert_uint_eq(rd(0x10 + 2) & (1u << (0x52 - 64)), 1u << (0x52 - 64));
	/* 0x31 is below the in-service class 0x50. */
	ck_assert_int_eq(vlapic_pending(&vl), -1);
	ck_assert_uint_eq(rd(0x0a), 0x50);
	ck_assert_int_eq(wr(0x0b, 0, 0), 0);		/* EOI */
	ck_assert_int_eq(vlapic_pending(&vl), 0x31);
	/* TPR masks its class and below. */
	ck_assert_int_eq(wr(0x08, 0x30, 0), 0);
	ck_assert_int_eq(vlapic_pending(&vl), -1);
	ck_assert_int_eq(wr(0x08, 0x20, 0), 0);
	ck_assert_int_eq(vlapic_pending(&vl), 0x31);
	/* Vectors 0-15 are illegal: ESR bit 6, nothing pending. */
	vlapic_accept(&vl, 7);
	ck_assert_uint_eq(rd(0x28) & 0x40, 0x40);
}
END_TEST

START_TEST(test_software_disabled_delivers_nothing)
{
	vlapic_accept(&vl, 0x40);
	ck_assert_int_eq(vlapic_pending(&vl), -1);
	enable();
	ck_assert_int_eq(vlapic_pending(&vl), 0x40);
	/* LVTs stay masked while disabled. */
	ck_assert_int_eq(wr(0x0f, 0xff, 0), 0);
	ck_assert_int_eq(wr(0x32, 0xec, 0), 0);
	ck_assert_uint_eq(rd(0x32), 0x100ec);
}
END_TEST

START_TEST(test_oneshot_timer)
{
	enable();
	ck_assert_int_eq(wr(0x3e, 0xb, 0), 0);		/* divide by 1 */
	ck_assert_int_eq(wr(0x32, 0xec, 0), 0);		/* one-shot, vector 0xec */
	ck_assert_int_eq(wr(0x38, 1000, 5000), 0);	/* 1000 ticks = 20000 TSC */
	ck_assert_uint_eq(vlapic_timer_due(&vl), 25000);
	ck_assert_uint_eq(rd(0x39), 1000);		/* TMCCT at t=0: clamp */
	ck_assert(!vlapic_timer_check(&vl, 24999));
	{
		u64 v;

		ck_assert_int_eq(vlapic_rdmsr(&vl, 0x839, 15000, &v), 0);
		ck_assert_uint_eq(v, 500);
	}
	ck_assert(vlapic_timer_check(&vl, 25000));
	ck_assert_int_eq(vlapic_pending(&vl), 0xec);
	ck_assert_uint_eq(vlapic_timer_due(&vl), 0);	/* one-shot: done */
	/* Divide by 2 doubles the period. */
	ck_assert_int_eq(wr(0x3e, 0x0, 0), 0);
	ck_assert_int_eq(wr(0x38, 1000, 0), 0);
	ck_assert_uint_eq(vlapic_timer_due(&vl), 40000);
	ck_assert_int_eq(wr(0x3e, 0x4, 0), -EINVAL);	/* reserved bit */
}
END_TEST

START_TEST(test_periodic_timer_no_drift)
{
	enable();
	ck_assert_int_eq(wr(0x3e, 0xb, 0), 0);
	ck_assert_int_eq(wr(0x32, 0xec | (1u << 17), 0), 0);
	ck_assert_int_eq(wr(0x38, 100, 0), 0);		/* 2000 TSC */
	ck_assert(vlapic_timer_check(&vl, 2300));	/* late by 300 */
	ck_assert_uint_eq(vlapic_timer_due(&vl), 4000);	/* not 4300 */
	ck_assert(vlapic_timer_check(&vl, 100000));	/* away for long */
	ck_assert_uint_eq(vlapic_timer_due(&vl), 102000);
	/* Masked: time goes on, nothing is raised. */
	vlapic_ack(&vl, 0xec);
	ck_assert_int_eq(wr(0x0b, 0, 0), 0);
	ck_assert_int_eq(wr(0x32, 0xec | (1u << 17) | (1u << 16), 0), 0);
	ck_assert(vlapic_timer_check(&vl, 104000));
	ck_assert_int_eq(vlapic_pending(&vl), -1);
}
END_TEST

START_TEST(test_tsc_deadline)
{
	u64 v;

	enable();
	/* Outside deadline mode the MSR reads 0 and writes are ignored. */
	ck_assert_int_eq(vlapic_wrmsr(&vl, 0x6e0, 5000, 0, &ipi), 0);
	ck_assert_uint_eq(vlapic_timer_due(&vl), 0);
	ck_assert_int_eq(wr(0x32, 0xef | (2u << 17), 0), 0);
	ck_assert_int_eq(vlapic_wrmsr(&vl, 0x6e0, 5000, 0, &ipi), 0);
	ck_assert_int_eq(vlapic_rdmsr(&vl, 0x6e0, 0, &v), 0);
	ck_assert_uint_eq(v, 5000);
	ck_assert_uint_eq(vlapic_timer_due(&vl), 5000);
	ck_assert_int_eq(wr(0x38, 77, 0), 0);		/* TMICT ignored */
	ck_assert_uint_eq(vlapic_timer_due(&vl), 5000);
	ck_assert(vlapic_timer_check(&vl, 6000));
	ck_assert_int_eq(vlapic_pending(&vl), 0xef);
	ck_assert_int_eq(vlapic_rdmsr(&vl, 0x6e0, 0, &v), 0);
	ck_assert_uint_eq(v, 0);			/* cleared on expiry */
	/* Leaving the mode disarms. */
	ck_assert_int_eq(vlapic_wrmsr(&vl, 0x6e0, 9000, 0, &ipi), 0);
	ck_assert_int_eq(wr(0x32, 0xef, 0), 0);
	ck_assert_uint_eq(vlapic_timer_due(&vl), 0);
}
END_TEST

START_TEST(test_icr_and_self_ipi)
{
	enable();
	ck_assert_int_eq(wr(0x30, (7ull << 32) | 0x4041, 0), 1);	/* fixed */
	ck_assert_uint_eq(ipi.dest, 7);
	ck_assert_uint_eq(ipi.vector, 0x41);
	ck_assert_uint_eq(ipi.mode, VLAPIC_DM_FIXED);
	ck_assert_uint_eq(ipi.shorthand, 0);
	ck_assert_int_eq(wr(0x30, (1ull << 32) | 0x4500, 0), 1);	/* INIT */
	ck_assert_uint_eq(ipi.mode, VLAPIC_DM_INIT);
	ck_assert_int_eq(wr(0x30, (1ull << 32) | 0x4608, 0), 1);	/* SIPI */
	ck_assert_uint_eq(ipi.mode, VLAPIC_DM_SIPI);
	ck_assert_uint_eq(ipi.vector, 8);
	ck_assert_int_eq(wr(0x30, 0xc0000 | 0x4050, 0), 1);	/* all but self */
	ck_assert_uint_eq(ipi.shorthand, 3);
	ck_assert_int_eq(wr(0x30, 0x4100, 0), -EINVAL);	/* lowest-prio */
	ck_assert_int_eq(wr(0x30, 0x4800 | 0x41, 0), -EINVAL);	/* logical */
	ck_assert_int_eq(wr(0x30, 0x10000 | 0x41, 0), -EINVAL);	/* reserved */
	ck_assert_int_eq(wr(0x3f, 0x33, 0), 1);
	ck_assert_uint_eq(ipi.dest, 3);
	ck_assert_uint_eq(ipi.vector, 0x33);
	ck_assert_int_eq(wr(0x3f, 0x133, 0), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vlapic");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_identity_and_readonly);
	tcase_add_test(tc, test_priority_and_eoi);
	tcase_add_test(tc, test_software_disabled_delivers_nothing);
	tcase_add_test(tc, test_oneshot_timer);
	tcase_add_test(tc, test_periodic_timer_no_drift);
	tcase_add_test(tc, test_tsc_deadline);
	tcase_add_test(tc, test_icr_and_self_ipi);
	suite_add_tcase(s, tc);
	return hv_check_run(s);
}
