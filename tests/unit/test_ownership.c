// SPDX-License-Identifier: GPL-2.0
#include "hv_check.h"
#include <stdint.h>
#include <mkhv/errno.h>
#include <mkhv/ownership.h>
#include "hv_fakes.h"

#define NR	64			/* frames: [0, 256 KiB) */
#define PG(n)	((uint64_t)(n) * 4096)

static struct ownership own;
static struct own_frame mem[NR + 1];
static struct own_frame snap[NR];

static void setup(void)
{
	memset(mem, 0x77, sizeof(mem));
	mem[NR] = (struct own_frame){ .kind = 0xee };	/* guard */
	ck_assert_int_eq(ownership_init(&own, mem, NR * sizeof(mem[0]), NR), 0);
}

static void check_guard(void)
{
	ck_assert_uint_eq(mem[NR].kind, 0xee);
}

static void take_snapshot(void)
{
	memcpy(snap, mem, sizeof(snap));
}

static void expect_unchanged(void)
{
	ck_assert_int_eq(memcmp(snap, mem, sizeof(snap)), 0);
	check_guard();
}

static struct own_frame q(uint64_t pfn)
{
	struct own_frame f;

	ck_assert_int_eq(ownership_query(&own, PG(pfn), &f), 0);
	return f;
}

/* Frames 0-15 parent, 16-23 hv, 24-31 MMIO, 32-47 parent, 48-63 NONE. */
static void layout(void)
{
	ck_assert_int_eq(ownership_set_range(&own, PG(0), 16, OWN_PARENT), 0);
	ck_assert_int_eq(ownership_set_range(&own, PG(16), 8, OWN_HV), 0);
	ck_assert_int_eq(ownership_set_range(&own, PG(24), 8, OWN_MMIO), 0);
	ck_assert_int_eq(ownership_set_range(&own, PG(32), 16, OWN_PARENT), 0);
}

START_TEST(test_init)
{
	ck_assert_uint_eq(ownership_count(&own, OWN_NONE, 0), NR);
	ck_assert_uint_eq(q(0).kind, OWN_NONE);
	ck_assert_uint_eq(q(NR - 1).child, 0);
	check_guard();
	ck_assert_int_eq(ownership_init(&own, mem, NR * 4 - 1, NR), -EINVAL);
	ck_assert_int_eq(ownership_init(&own, mem, sizeof(mem), 0), -EINVAL);
	ck_assert_int_eq(ownership_init(&own, NULL, sizeof(mem), 1), -EINVAL);
	ck_assert_uint_eq(ownership_table_bytes(1ULL << 20), 4ULL << 20);
}
END_TEST

START_TEST(test_set_range_args)
{
	ck_assert_int_eq(ownership_set_range(&own, PG(0), NR, OWN_PARENT), 0);
	ck_assert_int_eq(ownership_set_range(&own, PG(0), NR + 1, OWN_PARENT),
			 -ERANGE);
	ck_assert_int_eq(ownership_set_range(&own, PG(NR), 1, OWN_PARENT),
			 -ERANGE);
	ck_assert_int_eq(ownership_set_range(&own, 0x800, 1, OWN_PARENT),
			 -EINVAL);
	ck_assert_int_eq(ownership_set_range(&own, 0, 0, OWN_PARENT), -EINVAL);
	ck_assert_int_eq(ownership_set_range(&own, 0, 1, OWN_CHILD), -EINVAL);
	ck_assert_int_eq(ownership_set_range(&own, 0, 1, 99), -EINVAL);
	ck_assert_int_eq(ownership_set_range(&own, PG(1), UINT64_MAX >> 12,
					     OWN_HV), -EINVAL);
	check_guard();
}
END_TEST

/*
 * Every transition: for each starting state of a frame and each operation,
 * the result and the new state.
 */
START_TEST(test_transition_matrix)
{
	enum { S_NONE, S_HV, S_PARENT, S_MMIO, S_CHILD1, S_CHILD2, S_N };
	static const struct own_frame start[S_N] = {
		{ OWN_NONE, 0, 0 }, { OWN_HV, 0, 0 }, { OWN_PARENT, 0, 0 },
		{ OWN_MMIO, 0, 0 }, { OWN_CHILD, 0, 1 }, { OWN_CHILD, 0, 2 },
	};
	/* assign to child 1: result, then kind/child */
	static const int assign_ret[S_N] = { -EPERM, -EPERM, 0, -EPERM,
					     -EBUSY, -EBUSY };
	/* release by child 1 */
	static const int release_ret[S_N] = { -EPERM, -EPERM, -EPERM, -EPERM,
					      0, -EPERM };

	for (int s = 0; s < S_N; s++) {
		struct own_frame f;

		mem[5] = start[s];
		ck_assert_int_eq(ownership_assign_to_child(&own, 1, PG(5), 1),
				 assign_ret[s]);
		f = q(5);
		if (assign_ret[s] == 0)
			ck_assert(f.kind == OWN_CHILD && f.child == 1);
		else
			ck_assert_int_eq(memcmp(&f, &start[s], sizeof(f)), 0);

		mem[5] = start[s];
		ck_assert_int_eq(ownership_release(&own, 1, PG(5), 1),
				 release_ret[s]);
		f = q(5);
		if (release_ret[s] == 0)
			ck_assert(f.kind == OWN_PARENT && f.child == 0);
		else
			ck_assert_int_eq(memcmp(&f, &start[s], sizeof(f)), 0);

		mem[5] = start[s];
		ck_assert_uint_eq(ownership_release_child(&own, 1),
				  s == S_CHILD1 ? 1 : 0);
		f = q(5);
		if (s == S_CHILD1)
			ck_assert(f.kind == OWN_PARENT && f.child == 0);
		else
			ck_assert_int_eq(memcmp(&f, &start[s], sizeof(f)), 0);
	}
}
END_TEST

START_TEST(test_assign_release_cycle)
{
	layout();
	ck_assert_int_eq(ownership_assign_to_child(&own, 7, PG(2), 10), 0);
	ck_assert_uint_eq(ownership_count(&own, OWN_CHILD, 7), 10);
	ck_assert_uint_eq(q(1).kind, OWN_PARENT);
	ck_assert_uint_eq(q(2).child, 7);
	ck_assert_uint_eq(q(11).child, 7);
	ck_assert_uint_eq(q(12).kind, OWN_PARENT);
	/* Partial release (UnmapGpaPages). */
	ck_assert_int_eq(ownership_release(&own, 7, PG(4), 2), 0);
	ck_assert_uint_eq(ownership_count(&own, OWN_CHILD, 7), 8);
	/* Release by the wrong child: refused. */
	ck_assert_int_eq(ownership_release(&own, 8, PG(2), 1), -EPERM);
	/* Delete: every page back. */
	ck_assert_uint_eq(ownership_release_child(&own, 7), 8);
	ck_assert_uint_eq(ownership_count(&own, OWN_PARENT, 0), 32);
	ck_assert_uint_eq(ownership_release_child(&own, 7), 0);
	ck_assert_uint_eq(ownership_release_child(&own, 0), 0);
	check_guard();
}
END_TEST

START_TEST(test_two_children_isolated)
{
	layout();
	ck_assert_int_eq(ownership_assign_to_child(&own, 1, PG(0), 8), 0);
	ck_assert_int_eq(ownership_assign_to_child(&own, 2, PG(8), 8), 0);
	/* Child 2 cannot take child 1's page, nor can child 1 again. */
	ck_assert_int_eq(ownership_assign_to_child(&own, 2, PG(7), 1), -EBUSY);
	ck_assert_int_eq(ownership_assign_to_child(&own, 1, PG(7), 1), -EBUSY);
	ck_assert_uint_eq(ownership_release_child(&own, 1), 8);
	ck_assert_uint_eq(ownership_count(&own, OWN_CHILD, 2), 8);
	ck_assert_int_eq(ownership_assign_to_child(&own, 2, PG(7), 1), 0);
	ck_assert_uint_eq(ownership_count(&own, OWN_CHILD, 2), 9);
}
END_TEST

START_TEST(test_partial_failure_changes_nothing)
{
	layout();
	ck_assert_int_eq(ownership_assign_to_child(&own, 3, PG(40), 1), 0);
	take_snapshot();
	/* Bad page last, first, in the middle; hv, MMIO, NONE, child. */
	ck_assert_int_eq(ownership_assign_to_child(&own, 1, PG(8), 9), -EPERM);
	ck_assert_int_eq(ownership_assign_to_child(&own, 1, PG(15), 2), -EPERM);
	ck_assert_int_eq(ownership_assign_to_child(&own, 1, PG(23), 10), -EPERM);
	ck_assert_int_eq(ownership_assign_to_child(&own, 1, PG(32), 17), -EBUSY);
	ck_assert_int_eq(ownership_assign_to_child(&own, 1, PG(41), 8), -EPERM);
	ck_assert_int_eq(ownership_assign_to_child(&own, 1, PG(36), 8), -EBUSY);
	ck_assert_int_eq(ownership_assign_to_child(&own, 1, PG(40), 1), -EBUSY);
	ck_assert_int_eq(ownership_assign_to_child(&own, 1, PG(0), NR), -EPERM);
	ck_assert_int_eq(ownership_release(&own, 3, PG(39), 2), -EPERM);
	ck_assert_int_eq(ownership_release(&own, 3, PG(40), 2), -EPERM);
	expect_unchanged();
}
END_TEST

START_TEST(test_boundaries_and_overflow)
{
	ck_assert_int_eq(ownership_set_range(&own, 0, NR, OWN_PARENT), 0);
	take_snapshot();
	/* Past the end, straddling the end, wrapping. */
	ck_assert_int_eq(ownership_assign_to_child(&own, 1, PG(NR), 1), -ERANGE);
	ck_assert_int_eq(ownership_assign_to_child(&own, 1, PG(NR - 1), 2),
			 -ERANGE);
	ck_assert_int_eq(ownership_assign_to_child(&own, 1, UINT64_MAX & ~0xfffULL,
						   1), -EINVAL);
	ck_assert_int_eq(ownership_assign_to_child(&own, 1, 1ULL << 40, 1),
			 -ERANGE);
	ck_assert_int_eq(ownership_assign_to_child(&own, 1, PG(1),
						   UINT64_MAX >> 12), -EINVAL);
	ck_assert_int_eq(ownership_assign_to_child(&own, 1, PG(1),
						   (UINT64_MAX >> 12) - 1),
			 -ERANGE);
	ck_assert_int_eq(ownership_assign_to_child(&own, 1, PG(1), 1ULL << 63),
			 -EINVAL);
	/* Bad arguments. */
	ck_assert_int_eq(ownership_assign_to_child(&own, 0, PG(1), 1), -EINVAL);
	ck_assert_int_eq(ownership_assign_to_child(&own, 1, PG(1) + 8, 1),
			 -EINVAL);
	ck_assert_int_eq(ownership_assign_to_child(&own, 1, PG(1), 0), -EINVAL);
	ck_assert_int_eq(ownership_release(&own, 0, PG(1), 1), -EINVAL);
	ck_assert_int_eq(ownership_release(&own, 1, PG(NR), 1), -ERANGE);
	ck_assert_int_eq(ownership_release(&own, 1, PG(1), 0), -EINVAL);
	expect_unchanged();
	/* First and last frame, and the whole table, work. */
	ck_assert_int_eq(ownership_assign_to_child(&own, 1, PG(0), 1), 0);
	ck_assert_int_eq(ownership_assign_to_child(&own, 0xffff, PG(NR - 1), 1),
			 0);
	ck_assert_uint_eq(q(NR - 1).child, 0xffff);
	ck_assert_uint_eq(ownership_release_child(&own, 0xffff), 1);
	ck_assert_uint_eq(ownership_release_child(&own, 1), 1);
	ck_assert_int_eq(ownership_assign_to_child(&own, 9, 0, NR), 0);
	ck_assert_uint_eq(ownership_count(&own, OWN_CHILD, 9), NR);
	ck_assert_int_eq(ownership_query(&own, PG(NR), &(struct own_frame){ 0 }),
			 -ERANGE);
	check_guard();
}
END_TEST

START_TEST(test_init_from_e820)
{
	static struct e820_map m;
	struct mem_range hv[] = { { PG(10) + 100, PG(2) }, { 0, 0 } };

	m.nr = 0;
	ck_assert_int_eq(e820_set(&m, 0, PG(20), E820_TYPE_RAM, false), 0);
	ck_assert_int_eq(e820_set(&m, PG(20), PG(4), E820_TYPE_ACPI, false), 0);
	ck_assert_int_eq(e820_set(&m, PG(24), PG(40), E820_TYPE_RAM, false), 0);
	/* MMIO far above the table: clipped. */
	ck_assert_int_eq(e820_set(&m, 0xfec00000, PG(1), E820_TYPE_RESERVED,
				  false), 0);
	ck_assert_int_eq(ownership_init_from_e820(&own, &m, hv, 2), 0);
	ck_assert_uint_eq(q(9).kind, OWN_PARENT);
	ck_assert_uint_eq(q(10).kind, OWN_HV);	/* rounded out: 10..12 */
	ck_assert_uint_eq(q(12).kind, OWN_HV);
	ck_assert_uint_eq(q(13).kind, OWN_PARENT);
	ck_assert_uint_eq(q(20).kind, OWN_MMIO);
	ck_assert_uint_eq(q(63).kind, OWN_PARENT);
	ck_assert_uint_eq(ownership_count(&own, OWN_HV, 0), 3);
	/* hv pages can never be lent. */
	ck_assert_int_eq(ownership_assign_to_child(&own, 1, PG(11), 1), -EPERM);
	/* RAM beyond the table is an error. */
	ck_assert_int_eq(e820_set(&m, PG(NR), PG(1), E820_TYPE_RAM, false), 0);
	ck_assert_int_eq(ownership_init_from_e820(&own, &m, NULL, 0), -ERANGE);
	m.nr = 0;
	hv[0] = (struct mem_range){ UINT64_MAX - 10, 5 };
	ck_assert_int_eq(ownership_init_from_e820(&own, &m, hv, 1), -EINVAL);
	check_guard();
}
END_TEST

/*
 * Random operations against a plain reference model (fixed seed): the
 * table must agree with the model after every step.
 */
START_TEST(test_random_against_model)
{
	struct own_frame model[NR];
	unsigned int seed = 12345;

	layout();
	memcpy(model, mem, sizeof(model));
	for (int step = 0; step < 20000; step++) {
		int op = rand_r(&seed) % 3;
		uint16_t child = 1 + rand_r(&seed) % 3;
		uint64_t first = rand_r(&seed) % (NR + 2);
		uint64_t n = rand_r(&seed) % 6;
		int want = 0, got;

		if (op == 2) {
			uint64_t cnt = 0;

			for (int i = 0; i < NR; i++)
				if (model[i].kind == OWN_CHILD &&
				    model[i].child == child) {
					model[i] = (struct own_frame){ OWN_PARENT, 0, 0 };
					cnt++;
				}
			ck_assert_uint_eq(ownership_release_child(&own, child),
					  cnt);
			ck_assert_int_eq(memcmp(model, mem, sizeof(model)), 0);
			continue;
		}
		if (n == 0)
			want = -EINVAL;
		else if (first + n > NR)
			want = -ERANGE;
		for (uint64_t i = first; !want && i < first + n; i++) {
			if (op == 0 && model[i].kind == OWN_CHILD)
				want = -EBUSY;
			else if (op == 0 && model[i].kind != OWN_PARENT)
				want = -EPERM;
			else if (op == 1 && (model[i].kind != OWN_CHILD ||
					     model[i].child != child))
				want = -EPERM;
		}
		/* The first bad page decides between EBUSY and EPERM. */
		if (op == 0 && want == -EBUSY) {
			for (uint64_t i = first; i < first + n; i++) {
				if (model[i].kind == OWN_PARENT)
					continue;
				want = model[i].kind == OWN_CHILD ? -EBUSY : -EPERM;
				break;
			}
		}
		if (op == 0)
			got = ownership_assign_to_child(&own, child, PG(first), n);
		else
			got = ownership_release(&own, child, PG(first), n);
		ck_assert_int_eq(got, want);
		for (uint64_t i = first; !want && i < first + n; i++)
			model[i] = op == 0 ?
				(struct own_frame){ OWN_CHILD, 0, child } :
				(struct own_frame){ OWN_PARENT, 0, 0 };
		ck_assert_int_eq(memcmp(model, mem, sizeof(model)), 0);
	}
	/* hv and MMIO frames never moved. */
	ck_assert_uint_eq(ownership_count(&own, OWN_HV, 0), 8);
	ck_assert_uint_eq(ownership_count(&own, OWN_MMIO, 0), 8);
	check_guard();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ownership");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_init);
	tcase_add_test(tc, test_set_range_args);
	tcase_add_test(tc, test_transition_matrix);
	tcase_add_test(tc, test_assign_release_cycle);
	tcase_add_test(tc, test_two_children_isolated);
	tcase_add_test(tc, test_partial_failure_changes_nothing);
	tcase_add_test(tc, test_boundaries_and_overflow);
	tcase_add_test(tc, test_init_from_e820);
	tcase_add_test(tc, test_random_against_model);
	suite_add_tcase(s, tc);
	return hv_check_run(s);
}
