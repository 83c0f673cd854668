// SPDX-License-Identifier: GPL-2.0
/* The child-pool scheduler's policy (hv/sched.c), simulated on the host. */
#include "hv_check.h"
#include <stdint.h>
#include <stdlib.h>
#include <mkhv/errno.h>
#include <mkhv/sched.h>

static struct hv_partition parts[4];
static struct hv_vp vps[8];

static void setup(void)
{
	memset(parts, 0, sizeof(parts));
	memset(vps, 0, sizeof(vps));
	for (int i = 0; i < 8; i++) {
		vps[i].part = &parts[i % 4];
		vps[i].state = VP_RUNNABLE;
	}
	for (int i = 0; i < 4; i++) {
		parts[i].cpu_weight = 1024;
		parts[i].hv.tsc_hz = 1000000000ULL;	/* 1 GHz: ticks = ns */
	}
	sched_init(1);
}

static u64 now;	/* simulated host TSC */

/*
 * Runs slice-sized turns on pool slot 0 (a cap may cut a slice short, a
 * throttled pool idles until the next period, as pool.c does) and returns
 * each VP's run time.
 */
static void run(unsigned int turns, u64 slice, u64 *got, int n)
{
	memset(got, 0, sizeof(*got) * n);
	for (unsigned int t = 0; t < turns; t++) {
		u64 wake_at, ran;
		struct hv_vp *vp = sched_pick(0, now, &wake_at);

		if (!vp) {
			if (!wake_at)
				break;
			now = wake_at;		/* idle until the next period */
			continue;
		}
		ran = MIN(slice, sched_budget(vp, now));
		now += ran;
		sched_ran(vp, now, ran);
		got[vp - vps] += ran;
	}
}

START_TEST(test_shares_1_1_2)
{
	u64 got[3], total;

	parts[2].cpu_weight = 2048;
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(sched_attach(&vps[i]), 0);
	run(10000, 1000, got, 3);
	total = got[0] + got[1] + got[2];
	/* Issue 7: within 10% of 25/25/50. */
	ck_assert_uint_ge(got[0] * 1000 / total, 225);
	ck_assert_uint_le(got[0] * 1000 / total, 275);
	ck_assert_uint_ge(got[1] * 1000 / total, 225);
	ck_assert_uint_le(got[1] * 1000 / total, 275);
	ck_assert_uint_ge(got[2] * 1000 / total, 450);
	ck_assert_uint_le(got[2] * 1000 / total, 550);
}
END_TEST

START_TEST(test_idle_vps_cost_nothing)
{
	u64 got[3];

	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(sched_attach(&vps[i]), 0);
	vps[1].halted = 1;			/* in HLT */
	vps[2].state = VP_WAITING;		/* waiting for the parent */
	run(100, 1000, got, 3);
	ck_assert_uint_eq(got[0], 100 * 1000);
	ck_assert_uint_eq(got[1], 0);
	ck_assert_uint_eq(got[2], 0);
	vps[0].halted = 1;
	ck_assert_ptr_null(sched_pick(0, now, NULL));	/* the pCPU may idle */
}
END_TEST

START_TEST(test_wake_gets_no_burst)
{
	u64 got[2];

	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(sched_attach(&vps[i]), 0);
	vps[1].halted = 1;
	run(1000, 1000, got, 2);		/* vps[0] alone for a while */
	sched_wake(&vps[1]);
	ck_assert_uint_eq(vps[1].halted, 0);
	run(100, 1000, got, 2);
	/* After waking, the two alternate: no catch-up monopoly. */
	ck_assert_uint_ge(got[0], 45 * 1000);
	ck_assert_uint_ge(got[1], 45 * 1000);
}
END_TEST

START_TEST(test_placement_and_limits)
{
	static struct hv_vp many[SCHED_MAX_PER_CPU * 2 + 1];

	sched_init(3);
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(sched_attach(&vps[i]), 0);
	/* Least loaded first: two VPs on each of the three slots. */
	for (int c = 0; c < 3; c++) {
		int n = 0;

		for (int i = 0; i < 6; i++)
			n += vps[i].sched_cpu == (u32)c;
		ck_assert_int_eq(n, 2);
	}
	ck_assert_int_eq(sched_attach(&vps[0]), 0);	/* idempotent */
	sched_detach(&vps[0]);
	ck_assert(!vps[0].sched_attached);
	ck_assert_ptr_null(sched_pick(3, now, NULL));	/* no such slot */
	sched_init(1);
	memset(many, 0, sizeof(many));
	for (unsigned int i = 0; i < SCHED_MAX_PER_CPU; i++) {
		many[i].part = &parts[0];
		ck_assert_int_eq(sched_attach(&many[i]), 0);
	}
	many[SCHED_MAX_PER_CPU].part = &parts[0];
	ck_assert_int_eq(sched_attach(&many[SCHED_MAX_PER_CPU]), -ENOSPC);
	sched_init(0);
	ck_assert_int_eq(sched_attach(&vps[7]), -ENOSPC);
}
END_TEST

/* A cap of 250 permille: a quarter of the pCPU even when alone on it. */
START_TEST(test_cap_alone)
{
	u64 got[1];

	parts[0].cpu_cap_permille = 250;
	ck_assert_int_eq(sched_attach(&vps[0]), 0);
	now = 1;
	run(20000, 1000000, got, 1);		/* 1 ms slices */
	/* 20000 turns include idle ones: the share is over elapsed time. */
	ck_assert_uint_ge(got[0] * 1000 / (now - 1), 240);
	ck_assert_uint_le(got[0] * 1000 / (now - 1), 260);
}
END_TEST

/* A capped partition leaves the rest to an uncapped neighbour. */
START_TEST(test_cap_with_neighbour)
{
	u64 got[2], total;

	parts[0].cpu_cap_permille = 100;	/* 10% */
	parts[0].cpu_weight = 262144;		/* would otherwise take it all */
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(sched_attach(&vps[i]), 0);
	now = 1;
	run(20000, 1000000, got, 2);
	total = got[0] + got[1];
	ck_assert_uint_ge(got[0] * 1000 / total, 95);
	ck_assert_uint_le(got[0] * 1000 / total, 105);
	ck_assert_uint_eq(total, now - 1);	/* the pCPU never idled */
}
END_TEST

/* A slice never overruns the budget; a throttled VP says when it may run. */
START_TEST(test_cap_budget_and_wake)
{
	u64 wake_at;

	parts[0].cpu_cap_permille = 500;
	ck_assert_int_eq(sched_attach(&vps[0]), 0);
	now = 0;					/* a period starts at 0 */
	ck_assert_uint_eq(sched_budget(&vps[0], now), 50000000);	/* 50 ms */
	sched_ran(&vps[0], now + 50000000, 50000000);
	ck_assert_uint_eq(sched_budget(&vps[0], now + 50000000), 0);
	ck_assert_ptr_null(sched_pick(0, now + 50000000, &wake_at));
	ck_assert_uint_eq(wake_at, 100000000);			/* next period */
	ck_assert_ptr_eq(sched_pick(0, wake_at, NULL), &vps[0]);
	ck_assert_uint_eq(sched_budget(&vps[0], wake_at), 50000000);
	/* Uncapped: no limit. */
	parts[0].cpu_cap_permille = 0;
	ck_assert_uint_eq(sched_budget(&vps[0], now), ~0ull);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sched");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_shares_1_1_2);
	tcase_add_test(tc, test_cap_alone);
	tcase_add_test(tc, test_cap_with_neighbour);
	tcase_add_test(tc, test_cap_budget_and_wake);
	tcase_add_test(tc, test_idle_vps_cost_nothing);
	tcase_add_test(tc, test_wake_gets_no_burst);
	tcase_add_test(tc, test_placement_and_limits);
	suite_add_tcase(s, tc);
	return hv_check_run(s);
}
