// SPDX-License-Identifier: GPL-2.0
/*
 * HvCallInstallIntercept and the port-claim check (hv/intercept.c),
 * through the real hypercall entry: claimed ports per direction, accesses
 * spanning ports, the wrap at 0xffff, hostile inputs, and the bitmap pages
 * given back when the partition is deleted.
 */
#include "hv_check.h"
#include <stdint.h>
#include <mkhv/child.h>
#include <mkhv/intercept.h>
#include <mkhv/mm.h>
#include "child_fixture.h"
#include "hv_fakes.h"

#define RW (HV_INTERCEPT_ACCESS_MASK_READ | HV_INTERCEPT_ACCESS_MASK_WRITE)

static uint16_t install(uint64_t id, uint32_t access, uint32_t type,
			uint64_t param)
{
	struct hv_input_install_intercept in = { id, access, type, param };

	return ST(hc(pvp, HVCALL_INSTALL_INTERCEPT, 0, &in, sizeof(in)));
}

START_TEST(test_nothing_claimed_by_default)
{
	struct hv_partition *p = child_get(create(1));

	ck_assert(!intercept_io_claimed(p, 0x3f8, 1, false));
	ck_assert(!intercept_io_claimed(p, 0x80, 1, true));
	ck_assert(!intercept_io_claimed(p, 0xcf8, 4, false));
}
END_TEST

START_TEST(test_claim_per_port_and_direction)
{
	uint64_t id = create(1);
	struct hv_partition *p = child_get(id);

	ck_assert_uint_eq(install(id, RW, HV_INTERCEPT_TYPE_X64_IO_PORT, 0x3f8),
			  HV_STATUS_SUCCESS);
	ck_assert_uint_eq(install(id, HV_INTERCEPT_ACCESS_MASK_WRITE,
				  HV_INTERCEPT_TYPE_X64_IO_PORT, 0x600),
			  HV_STATUS_SUCCESS);
	ck_assert_uint_eq(install(id, HV_INTERCEPT_ACCESS_MASK_READ,
				  HV_INTERCEPT_TYPE_X64_IO_PORT, 0xc000),
			  HV_STATUS_SUCCESS);
	ck_assert(intercept_io_claimed(p, 0x3f8, 1, false));
	ck_assert(intercept_io_claimed(p, 0x3f8, 1, true));
	ck_assert(!intercept_io_claimed(p, 0x3f9, 1, true));
	ck_assert(!intercept_io_claimed(p, 0x3f7, 1, false));
	/* A wider access touching a claimed port is the parent's. */
	ck_assert(intercept_io_claimed(p, 0x3f6, 4, false));
	ck_assert(intercept_io_claimed(p, 0x3f7, 2, true));
	/* Direction matters. */
	ck_assert(intercept_io_claimed(p, 0x600, 2, true));
	ck_assert(!intercept_io_claimed(p, 0x600, 2, false));
	ck_assert(intercept_io_claimed(p, 0xc000, 1, false));
	ck_assert(!intercept_io_claimed(p, 0xc000, 1, true));
	ck_assert(!intercept_io_claimed(p, 0x4000, 1, false));
}
END_TEST

START_TEST(test_access_wraps_at_64k)
{
	uint64_t id = create(1);
	struct hv_partition *p = child_get(id);

	ck_assert_uint_eq(install(id, RW, HV_INTERCEPT_TYPE_X64_IO_PORT, 0),
			  HV_STATUS_SUCCESS);
	ck_assert(intercept_io_claimed(p, 0xffff, 2, false));
	ck_assert(intercept_io_claimed(p, 0xfffe, 4, true));
	ck_assert(!intercept_io_claimed(p, 0xfffc, 4, true));
}
END_TEST

START_TEST(test_hostile_input)
{
	uint64_t id = create(1);
	struct hv_partition *p = child_get(id);
	struct hv_vp *cvp = calloc(1, sizeof(*cvp));
	struct hv_input_install_intercept in = { id, RW, 0, 0x70 };

	/* MSR, CPUID, exception intercepts: not supported. */
	ck_assert_uint_eq(install(id, RW, 1, 0x10), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(install(id, RW, 3, 14), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(install(id, RW, 0xffffffff, 0), HV_STATUS_INVALID_PARAMETER);
	/* No port above 0xffff; no empty or execute access mask. */
	ck_assert_uint_eq(install(id, RW, 0, 0x10000), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(install(id, RW, 0, 1ull << 63), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(install(id, 0, 0, 0x70), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(install(id, RW | HV_INTERCEPT_ACCESS_MASK_EXECUTE, 0,
				  0x70), HV_STATUS_INVALID_PARAMETER);
	/* Unknown partitions, the parent itself. */
	ck_assert_uint_eq(install(id + 1, RW, 0, 0x70),
			  HV_STATUS_INVALID_PARTITION_ID);
	ck_assert_uint_eq(install(0, RW, 0, 0x70), HV_STATUS_INVALID_PARTITION_ID);
	/* A child may not install intercepts, not even for itself. */
	cvp->part = p;
	ck_assert_uint_eq(ST(hc(cvp, HVCALL_INSTALL_INTERCEPT, 0, &in, sizeof(in))),
			  HV_STATUS_ACCESS_DENIED);
	free(cvp);
	/* Nothing was claimed by any of that. */
	ck_assert(!intercept_io_claimed(p, 0x70, 1, false));
	ck_assert(!intercept_io_claimed(p, 0x10, 1, true));
	ck_assert(!intercept_io_claimed(p, 0, 1, true));
}
END_TEST

START_TEST(test_delete_frees_bitmaps)
{
	u64 before = mm_free_bytes();
	uint64_t id = create(1);

	ck_assert_uint_eq(install(id, RW, 0, 0x3f8), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(install(id, RW, 0, 0xfff0), HV_STATUS_SUCCESS);
	ck_assert_uint_lt(mm_free_bytes(), before);
	ck_assert_uint_eq(simple(HVCALL_DELETE_PARTITION, id), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(mm_free_bytes(), before);
	/* A new partition in the same slot starts with nothing claimed. */
	id = create(1);
	ck_assert(!intercept_io_claimed(child_get(id), 0x3f8, 1, false));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("intercept");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_nothing_claimed_by_default);
	tcase_add_test(tc, test_claim_per_port_and_direction);
	tcase_add_test(tc, test_access_wraps_at_64k);
	tcase_add_test(tc, test_hostile_input);
	tcase_add_test(tc, test_delete_frees_bitmaps);
	suite_add_tcase(s, tc);
	return hv_check_run(s);
}
