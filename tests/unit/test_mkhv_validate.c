// SPDX-License-Identifier: GPL-2.0
/* Check suite for parent/kmod/mkhv_validate.h (mkhv.ko's pure checks). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mkhv_validate.h"

static struct mkhv_ioc_probe_phys probe(uint64_t base, uint64_t size)
{
	struct mkhv_ioc_probe_phys p;

	memset(&p, 0, sizeof(p));
	p.base = base;
	p.size = size;
	return p;
}

START_TEST(status_success_and_reps)
{
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_SUCCESS), 0);
	/* Reps-completed bits above the status do not change the verdict. */
	ck_assert_int_eq(mkhv_status_to_errno(5ULL << HV_HYPERCALL_REP_COMP_SHIFT), 0);
}
END_TEST

START_TEST(status_errors)
{
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_INVALID_HYPERCALL_CODE), -EOPNOTSUPP);
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_INVALID_HYPERCALL_INPUT), -EINVAL);
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_INVALID_ALIGNMENT), -EINVAL);
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_INVALID_PARAMETER), -EINVAL);
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_ACCESS_DENIED), -EACCES);
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_INSUFFICIENT_MEMORY), -ENOMEM);
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_NOT_FOUND), -ENOENT);
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_TIME_OUT), -ETIMEDOUT);
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_OBJECT_IN_USE), -EBUSY);
}
END_TEST

START_TEST(status_unknown_and_no_page)
{
	ck_assert_int_eq(mkhv_status_to_errno(0x7777), -EIO);
	ck_assert_int_eq(mkhv_status_to_errno(MKHV_HVCALL_NO_PAGE), -ENODEV);
	/* A failure with reps completed is still a failure. */
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_ACCESS_DENIED |
					      (3ULL << HV_HYPERCALL_REP_COMP_SHIFT)),
			 -EACCES);
}
END_TEST

START_TEST(probe_good)
{
	struct mkhv_ioc_probe_phys p = probe(0x77e00000, 64ULL << 20);

	ck_assert_int_eq(mkhv_probe_validate(&p, 48), 0);
	p = probe(0, MKHV_PROBE_PAGE_SIZE);
	ck_assert_int_eq(mkhv_probe_validate(&p, 48), 0);
	p = probe(0, MKHV_PROBE_MAX_SIZE);
	ck_assert_int_eq(mkhv_probe_validate(&p, 48), 0);
	/* Ends exactly at the top of the physical address space. */
	p = probe((1ULL << 40) - 4096, 4096);
	ck_assert_int_eq(mkhv_probe_validate(&p, 40), 0);
}
END_TEST

START_TEST(probe_unaligned)
{
	struct mkhv_ioc_probe_phys p = probe(0x77e00001, 4096);

	ck_assert_int_eq(mkhv_probe_validate(&p, 48), -EINVAL);
	p = probe(0x77e00000, 4095);
	ck_assert_int_eq(mkhv_probe_validate(&p, 48), -EINVAL);
	p = probe(0x77e00800, 8192);
	ck_assert_int_eq(mkhv_probe_validate(&p, 48), -EINVAL);
}
END_TEST

START_TEST(probe_sizes)
{
	struct mkhv_ioc_probe_phys p = probe(0x1000, 0);

	ck_assert_int_eq(mkhv_probe_validate(&p, 48), -EINVAL);
	p = probe(0, MKHV_PROBE_MAX_SIZE + 4096);
	ck_assert_int_eq(mkhv_probe_validate(&p, 48), -EINVAL);
	p = probe(0, ~0ULL & ~4095ULL);
	ck_assert_int_eq(mkhv_probe_validate(&p, 48), -EINVAL);
}
END_TEST

START_TEST(probe_wrap_and_width)
{
	struct mkhv_ioc_probe_phys p = probe(0xfffffffffffff000ULL, 0x2000);

	ck_assert_int_eq(mkhv_probe_validate(&p, 64), -EINVAL);
	p = probe(1ULL << 40, 4096);
	ck_assert_int_eq(mkhv_probe_validate(&p, 40), -EINVAL);
	p = probe((1ULL << 40) - 4096, 8192);
	ck_assert_int_eq(mkhv_probe_validate(&p, 40), -EINVAL);
	/* A 64-bit width does not shift by 64. */
	p = probe(0xffffffffffffe000ULL, 0x1000);
	ck_assert_int_eq(mkhv_probe_validate(&p, 64), 0);
}
END_TEST

START_TEST(probe_flags)
{
	struct mkhv_ioc_probe_phys p = probe(0x1000, 4096);

	p.flags = 1;
	ck_assert_int_eq(mkhv_probe_validate(&p, 48), -EINVAL);
	p.flags = 1ULL << 63;
	ck_assert_int_eq(mkhv_probe_validate(&p, 48), -EINVAL);
}
END_TEST

START_TEST(log_read_request)
{
	static struct mkhv_ioc_log_read r;

	memset(&r, 0, sizeof(r));
	r.pos = ~0ULL;		/* any position is the hv's to clamp */
	r.len = 12345;		/* output only: ignored */
	ck_assert_int_eq(mkhv_log_read_validate(&r), 0);
	r.flags = 2;
	ck_assert_int_eq(mkhv_log_read_validate(&r), -EINVAL);
}
END_TEST

START_TEST(log_read_answer)
{
	static struct mkhv_log_read_out o;

	memset(&o, 0, sizeof(o));
	o.len = MKHV_LOG_READ_MAX;
	ck_assert_int_eq(mkhv_log_read_out_validate(&o), 0);
	o.len = 0;
	ck_assert_int_eq(mkhv_log_read_out_validate(&o), 0);
	o.len = MKHV_LOG_READ_MAX + 1;
	ck_assert_int_eq(mkhv_log_read_out_validate(&o), -EIO);
	o.len = 0xffffffff;
	ck_assert_int_eq(mkhv_log_read_out_validate(&o), -EIO);
}
END_TEST

START_TEST(ioctl_numbers)
{
	/* Direction and size are encoded; the numbers are distinct. */
	ck_assert_uint_eq(_IOC_SIZE(MKHV_IOC_GET_INFO), sizeof(struct mkhv_info));
	ck_assert_uint_eq(_IOC_DIR(MKHV_IOC_GET_INFO), _IOC_READ);
	ck_assert_uint_eq(_IOC_SIZE(MKHV_IOC_LOG_READ), 4096);
	ck_assert_uint_eq(_IOC_DIR(MKHV_IOC_LOG_READ), _IOC_READ | _IOC_WRITE);
	ck_assert_uint_eq(_IOC_SIZE(MKHV_IOC_PROBE_PHYS), 64);
	ck_assert_uint_ne(MKHV_IOC_GET_INFO, MKHV_IOC_LOG_READ);
	ck_assert_uint_ne(MKHV_IOC_LOG_READ, MKHV_IOC_PROBE_PHYS);
}
END_TEST

static Suite *validate_suite(void)
{
	Suite *s = suite_create("mkhv_validate");
	TCase *tc = tcase_create("validate");

	tcase_add_test(tc, status_success_and_reps);
	tcase_add_test(tc, status_errors);
	tcase_add_test(tc, status_unknown_and_no_page);
	tcase_add_test(tc, probe_good);
	tcase_add_test(tc, probe_unaligned);
	tcase_add_test(tc, probe_sizes);
	tcase_add_test(tc, probe_wrap_and_width);
	tcase_add_test(tc, probe_flags);
	tcase_add_test(tc, log_read_request);
	tcase_add_test(tc, log_read_answer);
	tcase_add_test(tc, ioctl_numbers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(validate_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
