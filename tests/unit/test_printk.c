// SPDX-License-Identifier: GPL-2.0
#include "hv_check.h"
#include <stdint.h>
#include <mkhv/printk.h>
#include "hv_fakes.h"

static char buf[256];

#define FMT_IS(expect, ...)						\
	do {								\
		int n_ = hv_snprintf(buf, sizeof(buf), __VA_ARGS__);	\
		ck_assert_str_eq(buf, expect);				\
		ck_assert_int_eq(n_, (int)strlen(expect));		\
	} while (0)

START_TEST(test_plain_and_percent)
{
	FMT_IS("hello 100%", "hello 100%%");
}
END_TEST

/* Deliberately odd formats: the checker must not stop them. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-overflow"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
START_TEST(test_strings_chars)
{
	FMT_IS("a=abc b=(null) c=x", "a=%s b=%s c=%c", "abc", (char *)NULL, 'x');
	FMT_IS("[  ab][ab  ][ab]", "[%4s][%-4s][%.2s]", "ab", "ab", "abcd");
	FMT_IS("[abc]", "[%.*s]", 3, "abcdef");
}
END_TEST

#pragma GCC diagnostic pop

START_TEST(test_signed)
{
	FMT_IS("0 -1 42 -2147483648", "%d %d %i %d", 0, -1, 42, INT32_MIN);
	FMT_IS("-9223372036854775808", "%lld", (long long)INT64_MIN);
	FMT_IS("-5 -5", "%ld %hhd", -5L, (signed char)-5);
	FMT_IS("[  -42][-0042][-42  ]", "[%5d][%05d][%-5d]", -42, -42, -42);
}
END_TEST

START_TEST(test_unsigned_hex)
{
	FMT_IS("4294967295 ffffffff FFFFFFFF", "%u %x %X", UINT32_MAX,
	       UINT32_MAX, UINT32_MAX);
	FMT_IS("ffffffffffffffff", "%llx", (unsigned long long)UINT64_MAX);
	FMT_IS("deadbeefcafe", "%lx", 0xdeadbeefcafeUL);
	FMT_IS("00000abc", "%08x", 0xabc);
	FMT_IS("18446744073709551615", "%zu", (size_t)UINT64_MAX);
	FMT_IS("65535 255", "%hu %hhu", 0x1ffff, 0x1ff);
}
END_TEST

START_TEST(test_flags_alt_sign)
{
	FMT_IS("0x1f 0 0X1F", "%#x %#x %#X", 0x1f, 0, 0x1f);
	FMT_IS("0x00001f", "%#08x", 0x1f);
	FMT_IS("+5 -5  5", "%+d %+d % d", 5, -5, 5);
	FMT_IS("[  +42]", "[%+5d]", 42);
}
END_TEST

START_TEST(test_pointer)
{
	FMT_IS("0x0000000000001000", "%p", (void *)0x1000);
	FMT_IS("0x0000000000000000", "%p", NULL);
}
END_TEST

START_TEST(test_star_width)
{
	FMT_IS("[   7][7   ]", "[%*d][%*d]", 4, 7, -4, 7);
}
END_TEST

START_TEST(test_truncation)
{
	char small[8];
	int n = hv_snprintf(small, sizeof(small), "%s", "0123456789");

	ck_assert_int_eq(n, 10);
	ck_assert_str_eq(small, "0123456");
	n = hv_snprintf(small, 0, "abc");
	ck_assert_int_eq(n, 3);
	n = hv_snprintf(small, 1, "abc");
	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(small, "");
}
END_TEST

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
START_TEST(test_unknown_conversion)
{
	FMT_IS("%q 1", "%q %d", 1);
	FMT_IS("abc", "abc%");
}
END_TEST

#pragma GCC diagnostic pop

START_TEST(test_level_filter)
{
	fake_console_reset();
	printk_level = LOG_WARN;
	pr_err("e%d\n", 1);
	pr_warn("w\n");
	pr_info("i\n");
	pr_debug("d\n");
	ck_assert_str_eq(fake_console, "ERROR: e1\nWARNING: w\n");
	printk_level = LOG_DEBUG;
	pr_debug("d\n");
	ck_assert_str_eq(fake_console, "ERROR: e1\nWARNING: w\nd\n");
	printk_level = LOG_INFO;
}
END_TEST

START_TEST(test_long_line_cut)
{
	char big[600];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	fake_console_reset();
	pr_info("%s", big);
	ck_assert_uint_eq(fake_console_len, PRINTK_LINE_MAX - 1);
}
END_TEST

START_TEST(test_ring_read)
{
	char out[64];
	u64 pos = 0;
	size_t n;

	printk_ring_reset();
	pr_info("one\n");
	pr_info("two\n");
	n = printk_ring_read(&pos, out, 5);
	ck_assert_uint_eq(n, 5);
	ck_assert_int_eq(memcmp(out, "one\nt", 5), 0);
	n = printk_ring_read(&pos, out, sizeof(out));
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(memcmp(out, "wo\n", 3), 0);
	ck_assert_uint_eq(pos, printk_ring_head());
	ck_assert_uint_eq(printk_ring_read(&pos, out, sizeof(out)), 0);
	/* A position from the future is clamped to the head. */
	pos = 1000;
	ck_assert_uint_eq(printk_ring_read(&pos, out, sizeof(out)), 0);
	ck_assert_uint_eq(pos, 8);
}
END_TEST

START_TEST(test_ring_wrap)
{
	char out[32];
	u64 pos = 0;
	size_t n;
	int i;

	printk_ring_reset();
	for (i = 0; i < PRINTK_RING_SIZE / 8 + 10; i++)
		pr_info("%07d\n", i);
	/* Position 0 was overwritten: reading restarts at the oldest byte. */
	n = printk_ring_read(&pos, out, 8);
	ck_assert_uint_eq(n, 8);
	ck_assert_uint_eq(pos, printk_ring_head() - PRINTK_RING_SIZE + 8);
	ck_assert_int_eq(memcmp(out, "0000010\n", 8), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("printk");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_plain_and_percent);
	tcase_add_test(tc, test_strings_chars);
	tcase_add_test(tc, test_signed);
	tcase_add_test(tc, test_unsigned_hex);
	tcase_add_test(tc, test_flags_alt_sign);
	tcase_add_test(tc, test_pointer);
	tcase_add_test(tc, test_star_width);
	tcase_add_test(tc, test_truncation);
	tcase_add_test(tc, test_unknown_conversion);
	tcase_add_test(tc, test_level_filter);
	tcase_add_test(tc, test_long_line_cut);
	tcase_add_test(tc, test_ring_read);
	tcase_add_test(tc, test_ring_wrap);
	suite_add_tcase(s, tc);
	return hv_check_run(s);
}
