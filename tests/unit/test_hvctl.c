// SPDX-License-Identifier: GPL-2.0
/* Check suite for parent/hvctl/hvctl_fmt.c. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hvctl_fmt.h"

static struct mkhv_info two_cpu_info(void)
{
	struct mkhv_info i;

	memset(&i, 0, sizeof(i));
	i.version = MKHV_VERSION_ENCODE(0, 1, 0);
	i.abi_version = 1;
	i.nr_pcpus = 2;
	i.nr_parent_vcpus = 1;
	i.nr_pool_pcpus = 1;
	i.pool_cpu_mask[0] = 0x2;
	i.hv_mem_base = 0x77e00000;
	i.hv_mem_size = 64ULL << 20;
	i.hv_mem_free = 65288ULL << 10;
	return i;
}

START_TEST(version_code)
{
	char b[32];

	hvctl_format_version(b, sizeof(b), MKHV_VERSION_ENCODE(0, 1, 0));
	ck_assert_str_eq(b, "0.1.0");
	hvctl_format_version(b, sizeof(b), MKHV_VERSION_ENCODE(12, 255, 7));
	ck_assert_str_eq(b, "12.255.7");
}
END_TEST

START_TEST(cpulist_ranges)
{
	uint64_t m[4] = { 0x2e, 0, 0, 0 };	/* 1-3,5 */
	char b[64];

	ck_assert_int_eq(hvctl_format_cpulist(b, sizeof(b), m, 8, 0), 0);
	ck_assert_str_eq(b, "1-3,5");
	ck_assert_int_eq(hvctl_format_cpulist(b, sizeof(b), m, 8, 1), 0);
	ck_assert_str_eq(b, "0,4,6-7");
}
END_TEST

START_TEST(cpulist_empty_is_none)
{
	uint64_t m[4] = { 0 };
	char b[16];

	ck_assert_int_eq(hvctl_format_cpulist(b, sizeof(b), m, 1, 0), 0);
	ck_assert_str_eq(b, "none");
	ck_assert_int_eq(hvctl_format_cpulist(b, sizeof(b), m, 0, 1), 0);
	ck_assert_str_eq(b, "none");
}
END_TEST

START_TEST(cpulist_crosses_words_and_clamps)
{
	uint64_t m[4] = { 1ULL << 63, 1, ~0ULL, ~0ULL };
	char b[64];

	/* 63-64 spans two words; nbits beyond 256 is clamped. */
	ck_assert_int_eq(hvctl_format_cpulist(b, sizeof(b), m, 100000, 0), 0);
	ck_assert_str_eq(b, "63-64,128-255");
}
END_TEST

START_TEST(cpulist_small_buffer)
{
	uint64_t m[4] = { 0x5555555555555555ULL, 0, 0, 0 };
	char b[8];

	ck_assert_int_eq(hvctl_format_cpulist(b, sizeof(b), m, 64, 0),
			 -ENOSPC);
	ck_assert_uint_lt(strlen(b), sizeof(b));
	ck_assert_int_eq(hvctl_format_cpulist(b, 0, m, 64, 0), -ENOSPC);
}
END_TEST

START_TEST(size_units)
{
	char b[32];

	hvctl_format_size(b, sizeof(b), 64ULL << 20);
	ck_assert_str_eq(b, "64 MiB");
	hvctl_format_size(b, sizeof(b), 65288ULL << 10);
	ck_assert_str_eq(b, "65288 KiB");
	hvctl_format_size(b, sizeof(b), 100);
	ck_assert_str_eq(b, "100 bytes");
	hvctl_format_size(b, sizeof(b), 0);
	ck_assert_str_eq(b, "0 bytes");
	hvctl_format_size(b, sizeof(b), 3ULL << 50);
	ck_assert_str_eq(b, "3072 TiB");
}
END_TEST

START_TEST(info_text)
{
	struct mkhv_info i = two_cpu_info();
	char b[1024];

	ck_assert_int_eq(hvctl_format_info(b, sizeof(b), &i), 0);
	ck_assert_str_eq(b,
		"pCPUs:            2\n"
		"parent vCPUs:     1 (on pCPUs 0)\n"
		"child pool pCPUs: 1 (1)\n"
		"hv memory:        0x77e00000-0x7bdfffff (64 MiB)\n"
		"free hv memory:   65288 KiB\n");
}
END_TEST

START_TEST(info_inconsistent_pool)
{
	struct mkhv_info i = two_cpu_info();
	char b[1024];

	i.nr_pool_pcpus = 5;	/* more than the machine has */
	ck_assert_int_eq(hvctl_format_info(b, sizeof(b), &i), -EINVAL);
	ck_assert_ptr_nonnull(strstr(b, "inconsistent"));
}
END_TEST

START_TEST(info_hostile_counts)
{
	struct mkhv_info i = two_cpu_info();
	char b[4096];

	/* A huge pCPU count never indexes past the 256-bit mask. */
	i.nr_pcpus = 0xffffffff;
	i.pool_cpu_mask[3] = ~0ULL;
	ck_assert_int_eq(hvctl_format_info(b, sizeof(b), &i), -EINVAL);
	ck_assert_ptr_nonnull(strstr(b, "192-255"));
	/* A range that wraps. */
	i = two_cpu_info();
	i.hv_mem_base = ~0ULL - 4095;
	i.hv_mem_size = 8192;
	ck_assert_int_eq(hvctl_format_info(b, sizeof(b), &i), -EINVAL);
	/* More free than there is. */
	i = two_cpu_info();
	i.hv_mem_free = i.hv_mem_size + 1;
	ck_assert_int_eq(hvctl_format_info(b, sizeof(b), &i), -EINVAL);
}
END_TEST

START_TEST(info_small_buffer)
{
	struct mkhv_info i = two_cpu_info();
	char b[20];

	ck_assert_int_eq(hvctl_format_info(b, sizeof(b), &i), -ENOSPC);
	ck_assert_uint_lt(strlen(b), sizeof(b));
}
END_TEST

START_TEST(parse_numbers)
{
	uint64_t v;

	ck_assert_int_eq(hvctl_parse_u64("4096", &v), 0);
	ck_assert_uint_eq(v, 4096);
	ck_assert_int_eq(hvctl_parse_u64("0x77e00000", &v), 0);
	ck_assert_uint_eq(v, 0x77e00000);
	ck_assert_int_eq(hvctl_parse_u64("0XaBc", &v), 0);
	ck_assert_uint_eq(v, 0xabc);
	ck_assert_int_eq(hvctl_parse_u64("64M", &v), 0);
	ck_assert_uint_eq(v, 64ULL << 20);
	ck_assert_int_eq(hvctl_parse_u64("4KiB", &v), 0);
	ck_assert_uint_eq(v, 4096);
	ck_assert_int_eq(hvctl_parse_u64("1g", &v), 0);
	ck_assert_uint_eq(v, 1ULL << 30);
	ck_assert_int_eq(hvctl_parse_u64("18446744073709551615", &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
}
END_TEST

START_TEST(parse_hostile)
{
	uint64_t v = 7;

	ck_assert_int_eq(hvctl_parse_u64("", &v), -EINVAL);
	ck_assert_int_eq(hvctl_parse_u64(NULL, &v), -EINVAL);
	ck_assert_int_eq(hvctl_parse_u64("-1", &v), -EINVAL);
	ck_assert_int_eq(hvctl_parse_u64("0x", &v), -EINVAL);
	ck_assert_int_eq(hvctl_parse_u64("12abc", &v), -EINVAL);
	ck_assert_int_eq(hvctl_parse_u64("4KB junk", &v), -EINVAL);
	ck_assert_int_eq(hvctl_parse_u64("4X", &v), -EINVAL);
	ck_assert_int_eq(hvctl_parse_u64(" 4", &v), -EINVAL);
	ck_assert_int_eq(hvctl_parse_u64("18446744073709551616", &v), -ERANGE);
	ck_assert_int_eq(hvctl_parse_u64("0x10000000000000000", &v), -ERANGE);
	ck_assert_int_eq(hvctl_parse_u64("16777216T", &v), -ERANGE);
	ck_assert_uint_eq(v, 7);	/* untouched on error */
}
END_TEST

START_TEST(log_lost_bytes)
{
	/* Asked at 100, got 50 bytes ending at 1150: 1000 were dropped. */
	ck_assert_uint_eq(hvctl_log_lost(100, 1150, 50), 1000);
	ck_assert_uint_eq(hvctl_log_lost(100, 150, 50), 0);
	/* Nonsense answers never underflow. */
	ck_assert_uint_eq(hvctl_log_lost(100, 10, 50), 0);
	ck_assert_uint_eq(hvctl_log_lost(100, 120, 50), 0);
	ck_assert_uint_eq(hvctl_log_lost(UINT64_MAX, 0, 0), 0);
}
END_TEST

static Suite *hvctl_suite(void)
{
	Suite *s = suite_create("hvctl");
	TCase *tc = tcase_create("fmt");

	tcase_add_test(tc, version_code);
	tcase_add_test(tc, cpulist_ranges);
	tcase_add_test(tc, cpulist_empty_is_none);
	tcase_add_test(tc, cpulist_crosses_words_and_clamps);
	tcase_add_test(tc, cpulist_small_buffer);
	tcase_add_test(tc, size_units);
	tcase_add_test(tc, info_text);
	tcase_add_test(tc, info_inconsistent_pool);
	tcase_add_test(tc, info_hostile_counts);
	tcase_add_test(tc, info_small_buffer);
	tcase_add_test(tc, parse_numbers);
	tcase_add_test(tc, parse_hostile);
	tcase_add_test(tc, log_lost_bytes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(hvctl_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
