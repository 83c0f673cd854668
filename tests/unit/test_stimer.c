// SPDX-License-Identifier: GPL-2.0
/* Hyper-V synthetic timers (hv/stimer.c), direct mode into a vLAPIC. */
#include "hv_check.h"
#include <stdint.h>
#include <mkhv/errno.h>
#include <mkhv/stimer.h>
#include <mkhv/vlapic.h>

#define CFG0	HV_X64_MSR_STIMER0_CONFIG
#define CNT0	(HV_X64_MSR_STIMER0_CONFIG + 1)

static struct hv_stimers st;
static struct vlapic vl;

static void setup(void)
{
	memset(&st, 0, sizeof(st));
	vlapic_init(&vl, 0, 2000000000ull, 100000000ull);
	ck_assert_int_eq(vlapic_wrmsr(&vl, 0x80f, 0x1ff, 0, NULL), 0);
}

/* What Linux's hv_stimer does: vector 0xed, direct, auto-enable. */
static const u64 linux_cfg = HV_STIMER_ENABLE | HV_STIMER_AUTO_ENABLE |
			     (0xedull << HV_STIMER_VECTOR_SHIFT) |
			     HV_STIMER_DIRECT;

START_TEST(test_linux_oneshot)
{
	u64 v;

	ck_assert_int_eq(stimer_wrmsr(&st, CFG0, linux_cfg, 100), 0);
	ck_assert_uint_eq(stimer_next_due(&st), 0);	/* count 0: idle */
	ck_assert_int_eq(stimer_wrmsr(&st, CNT0, 5000, 100), 0);
	ck_assert_uint_eq(stimer_next_due(&st), 5000);
	ck_assert_int_eq(stimer_check(&st, &vl, 4999), 0);
	ck_assert_int_eq(vlapic_pending(&vl), -1);
	ck_assert_int_eq(stimer_check(&st, &vl, 5000), 1);
	ck_assert_int_eq(vlapic_pending(&vl), 0xed);
	ck_assert_uint_eq(stimer_next_due(&st), 0);
	ck_assert_int_eq(stimer_rdmsr(&st, CFG0, &v), 0);
	ck_assert_uint_eq(v & HV_STIMER_ENABLE, 0);	/* one-shot: off */
	/* AUTO_ENABLE: the next COUNT write re-enables it. */
	ck_assert_int_eq(stimer_wrmsr(&st, CNT0, 9000, 6000), 0);
	ck_assert_uint_eq(stimer_next_due(&st), 9000);
	ck_assert_int_eq(stimer_rdmsr(&st, CNT0, &v), 0);
	ck_assert_uint_eq(v, 9000);
	/* Shutdown as Linux does: COUNT 0 then CONFIG 0. */
	ck_assert_int_eq(stimer_wrmsr(&st, CNT0, 0, 6000), 0);
	ck_assert_int_eq(stimer_wrmsr(&st, CFG0, 0, 6000), 0);
	ck_assert_uint_eq(stimer_next_due(&st), 0);
}
END_TEST

START_TEST(test_past_deadline_fires_at_once)
{
	ck_assert_int_eq(stimer_wrmsr(&st, CFG0, linux_cfg, 0), 0);
	ck_assert_int_eq(stimer_wrmsr(&st, CNT0, 10, 1000), 0);
	ck_assert_int_eq(stimer_check(&st, &vl, 1000), 1);
}
END_TEST

START_TEST(test_periodic_no_drift)
{
	u64 cfg = HV_STIMER_ENABLE | HV_STIMER_PERIODIC | HV_STIMER_DIRECT |
		  (0x40ull << HV_STIMER_VECTOR_SHIFT);

	ck_assert_int_eq(stimer_wrmsr(&st, CNT0 + 2, 1000, 0), 0);	/* timer 1 */
	ck_assert_int_eq(stimer_wrmsr(&st, CFG0 + 2, cfg, 500), 0);
	ck_assert_uint_eq(stimer_next_due(&st), 1500);
	ck_assert_int_eq(stimer_check(&st, &vl, 1700), 1);
	ck_assert_uint_eq(stimer_next_due(&st), 2500);
	ck_assert_int_eq(stimer_check(&st, &vl, 100000), 1);	/* one fire */
	ck_assert_uint_eq(stimer_next_due(&st), 101000);
}
END_TEST

START_TEST(test_hostile_config)
{
	u64 v;

	ck_assert_int_eq(stimer_wrmsr(&st, CFG0, 1ull << 20, 0), -EINVAL);
	ck_assert_int_eq(stimer_wrmsr(&st, CFG0, 1ull << 63, 0), -EINVAL);
	/* Direct mode with an exception vector. */
	ck_assert_int_eq(stimer_wrmsr(&st, CFG0, HV_STIMER_ENABLE |
				      HV_STIMER_DIRECT |
				      (8ull << HV_STIMER_VECTOR_SHIFT), 0),
			 -EINVAL);
	ck_assert_int_eq(stimer_rdmsr(&st, CFG0, &v), 0);
	ck_assert_uint_eq(v, 0);				/* unchanged */
	ck_assert_int_eq(stimer_rdmsr(&st, CFG0 + 8, &v), -EINVAL);
	ck_assert_int_eq(stimer_wrmsr(&st, CFG0 - 1, 0, 0), -EINVAL);
	/* Message mode is accepted but (until SynIC) never fires. */
	ck_assert_int_eq(stimer_wrmsr(&st, CFG0, HV_STIMER_ENABLE |
				      (2ull << HV_STIMER_SINT_SHIFT), 0), 0);
	ck_assert_int_eq(stimer_wrmsr(&st, CNT0, 50, 0), 0);
	ck_assert_int_eq(stimer_check(&st, &vl, 100), 1);
	ck_assert_int_eq(vlapic_pending(&vl), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("stimer");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_linux_oneshot);
	tcase_add_test(tc, test_past_deadline_fires_at_once);
	tcase_add_test(tc, test_periodic_no_drift);
	tcase_add_test(tc, test_hostile_config);
	suite_add_tcase(s, tc);
	return hv_check_run(s);
}
