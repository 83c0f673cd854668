// SPDX-License-Identifier: GPL-2.0
/* gpa_direct.c: the GPA ranges of GPA-direct packets, good and hostile. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <vmbus/wire.h>

#include "gpa_direct.h"
#include "guest.h"
#include "hv_check.h"

#define RAM	GUEST_MEM_MIN	/* the smallest child */

static uint8_t *ram;
static struct guest_mem mem;
static uint8_t ext[1024];
static uint32_t ext_len;
static struct iovec iov[8];
static int cnt;

/* An empty packet header: reserved, range_cnt. */
static void reset(void)
{
	memset(ext, 0, sizeof(ext));
	ext_len = 8;
	cnt = -1;
}

static void setup(void)
{
	ram = calloc(1, RAM);
	ck_assert_ptr_nonnull(ram);
	ck_assert_int_eq(guest_mem_init(&mem, ram, RAM), 0);
	reset();
}

static void teardown(void)
{
	free(ram);
}

static void set_count(uint32_t n)
{
	memcpy(ext + 4, &n, sizeof(n));
}

/* Append a range of @count bytes from @offset over @npfn page numbers. */
static void range(uint32_t count, uint32_t offset, const uint64_t *pfn, int npfn)
{
	struct vmbus_gpa_range r = { .byte_count = count, .byte_offset = offset };

	memcpy(ext + ext_len, &r, sizeof(r));
	ext_len += sizeof(r);
	memcpy(ext + ext_len, pfn, 8u * npfn);
	ext_len += 8u * npfn;
}

static int map(uint32_t max_ranges, uint32_t max_bytes, int max_iov)
{
	return gpa_direct_map(&mem, ext, ext_len, max_ranges, max_bytes, iov,
			      max_iov, &cnt);
}

START_TEST(test_one_range_contiguous)
{
	static const uint64_t pfn[] = { 3, 4 };

	set_count(1);
	range(5000, 100, pfn, 2);
	ck_assert_int_eq(map(1, 1 << 20, 8), 5000);
	ck_assert_int_eq(cnt, 1);		/* pages 3 and 4 are adjacent */
	ck_assert_ptr_eq(iov[0].iov_base, ram + 3 * 4096 + 100);
	ck_assert_uint_eq(iov[0].iov_len, 5000);
}
END_TEST

START_TEST(test_scattered_pages_and_ranges)
{
	static const uint64_t a[] = { 9, 2 }, b[] = { 40 };

	set_count(2);
	range(4096 + 10, 0, a, 2);
	range(7, 4000, b, 1);
	ck_assert_int_eq(map(4, 1 << 20, 8), 4096 + 10 + 7);
	ck_assert_int_eq(cnt, 3);
	ck_assert_ptr_eq(iov[0].iov_base, ram + 9 * 4096);
	ck_assert_uint_eq(iov[0].iov_len, 4096);
	ck_assert_ptr_eq(iov[1].iov_base, ram + 2 * 4096);
	ck_assert_uint_eq(iov[1].iov_len, 10);
	ck_assert_ptr_eq(iov[2].iov_base, ram + 40 * 4096 + 4000);
	ck_assert_uint_eq(iov[2].iov_len, 7);
}
END_TEST

START_TEST(test_empty_range_names_one_page)
{
	static const uint64_t pfn[] = { 1 };

	set_count(1);
	range(0, 0, pfn, 1);
	ck_assert_int_eq(map(1, 4096, 8), 0);
	ck_assert_int_eq(cnt, 0);
}
END_TEST

/* Lying counts and sizes: -EBADMSG, nothing mapped. */
START_TEST(test_lying_counts)
{
	static const uint64_t pfn[] = { 1, 2 };

	ext_len = 7;				/* no room for range_cnt */
	ck_assert_int_eq(map(4, 1 << 20, 8), -EBADMSG);
	ext_len = 8;
	set_count(0);				/* no range */
	ck_assert_int_eq(map(4, 1 << 20, 8), -EBADMSG);
	set_count(2);				/* one range present */
	range(10, 0, pfn, 1);
	ck_assert_int_eq(map(4, 1 << 20, 8), -EBADMSG);
	ck_assert_int_eq(map(1, 1 << 20, 8), -EBADMSG);	/* over max_ranges */
	reset();
	set_count(1);
	range(5000, 0, pfn, 1);			/* needs 2 page numbers */
	ck_assert_int_eq(map(1, 1 << 20, 8), -EBADMSG);
	reset();
	set_count(1);
	range(10, 4096, pfn, 1);		/* offset beyond the page */
	ck_assert_int_eq(map(1, 1 << 20, 8), -EBADMSG);
	reset();
	set_count(1);
	range(0xffffffffu, 4095, pfn, 2);	/* page count overflow */
	ck_assert_int_eq(map(1, 0xffffffffu, 8), -EBADMSG);
	ck_assert_int_eq(cnt, 0);
}
END_TEST

/* Pages outside the child's RAM, or page numbers that overflow: -EFAULT. */
START_TEST(test_pages_outside_ram)
{
	const uint64_t beyond[] = { RAM / 4096 }, wrap[] = { UINT64_MAX >> 11 },
		       last[] = { RAM / 4096 - 1, RAM / 4096 };

	set_count(1);
	range(16, 0, beyond, 1);
	ck_assert_int_eq(map(1, 1 << 20, 8), -EFAULT);
	reset();
	set_count(1);
	range(16, 0, wrap, 1);
	ck_assert_int_eq(map(1, 1 << 20, 8), -EFAULT);
	reset();
	set_count(1);
	range(4096 + 1, 0, last, 2);		/* second page past the end */
	ck_assert_int_eq(map(1, 1 << 20, 8), -EFAULT);
	ck_assert_int_eq(cnt, 0);
}
END_TEST

START_TEST(test_limits)
{
	static const uint64_t pfn[] = { 1, 5, 9 };

	set_count(1);
	range(3 * 4096, 0, pfn, 3);
	ck_assert_int_eq(map(1, 2 * 4096, 8), -EMSGSIZE);	/* max_bytes */
	ck_assert_int_eq(map(1, 3 * 4096, 2), -EMSGSIZE);	/* iov space */
	ck_assert_int_eq(map(1, 3 * 4096, 3), 3 * 4096);
	ck_assert_int_eq(cnt, 3);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("gpa_direct");
	TCase *tc = tcase_create("map");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_one_range_contiguous);
	tcase_add_test(tc, test_scattered_pages_and_ranges);
	tcase_add_test(tc, test_empty_range_names_one_page);
	tcase_add_test(tc, test_lying_counts);
	tcase_add_test(tc, test_pages_outside_ram);
	tcase_add_test(tc, test_limits);
	suite_add_tcase(s, tc);
	return hv_check_run(s);
}
