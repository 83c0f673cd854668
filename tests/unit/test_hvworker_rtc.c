// SPDX-License-Identifier: GPL-2.0
/* Check suite for parent/worker/rtc.c (the CMOS clock). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "rtc.h"

/* 2026-11-25 12:34:56 UTC, a Wednesday. */
#define T0	1795610096LL

static struct rtc r;
static time_t fake_time = T0;

static time_t fake_now(void)
{
	return fake_time;
}

static void setup(void)
{
	fake_time = T0;
	rtc_init(&r, fake_now);
}

static uint8_t rd(uint8_t reg)
{
	rtc_write(&r, RTC_PORT_INDEX, reg);
	return rtc_read(&r, RTC_PORT_DATA);
}

static void wr(uint8_t reg, uint8_t v)
{
	rtc_write(&r, RTC_PORT_INDEX, reg);
	rtc_write(&r, RTC_PORT_DATA, v);
}

START_TEST(reads_host_time_in_bcd)
{
	ck_assert_uint_eq(rd(RTC_SECONDS), 0x56);
	ck_assert_uint_eq(rd(RTC_MINUTES), 0x34);
	ck_assert_uint_eq(rd(RTC_HOURS), 0x12);
	ck_assert_uint_eq(rd(RTC_DAY), 0x25);
	ck_assert_uint_eq(rd(RTC_MONTH), 0x11);
	ck_assert_uint_eq(rd(RTC_YEAR), 0x26);
	ck_assert_uint_eq(rd(RTC_CENTURY), 0x20);
	ck_assert_uint_eq(rd(RTC_WEEKDAY), 4);	/* Sunday = 1 */
	/* The clock follows the host. */
	fake_time += 65;
	ck_assert_uint_eq(rd(RTC_SECONDS), 0x01);
	ck_assert_uint_eq(rd(RTC_MINUTES), 0x36);
}
END_TEST

/* What Linux's mc146818_get_time() checks before it trusts the clock. */
START_TEST(status_registers)
{
	ck_assert_uint_eq(rd(RTC_REG_A) & 0x80, 0);	/* no update in progress */
	ck_assert_uint_eq(rd(RTC_REG_B), RTC_B_24H);	/* 24 h, BCD */
	ck_assert_uint_eq(rd(RTC_REG_D), RTC_D_VRT);	/* battery good */
	wr(RTC_REG_A, 0xff);				/* UIP is read-only */
	ck_assert_uint_eq(rd(RTC_REG_A), 0x7f);
	wr(RTC_REG_D, 0);
	ck_assert_uint_eq(rd(RTC_REG_D), RTC_D_VRT);
	/* The NMI-mask bit of the index does not change the register. */
	ck_assert_uint_eq(rd(0x80 | RTC_HOURS), 0x12);
	ck_assert_uint_eq(rtc_read(&r, RTC_PORT_INDEX), 0xff);
}
END_TEST

START_TEST(binary_mode)
{
	wr(RTC_REG_B, RTC_B_24H | RTC_B_DM_BINARY);
	ck_assert_uint_eq(rd(RTC_SECONDS), 56);
	ck_assert_uint_eq(rd(RTC_YEAR), 26);
	wr(RTC_MINUTES, 10);
	ck_assert_uint_eq(rd(RTC_MINUTES), 10);
	ck_assert_uint_eq(rd(RTC_HOURS), 12);
}
END_TEST

/* hwclock --systohc: SET held, fields in Linux's order, then release. */
START_TEST(set_time_atomically)
{
	wr(RTC_REG_B, RTC_B_24H | RTC_B_SET);
	wr(RTC_SECONDS, 0x00);
	wr(RTC_MINUTES, 0x00);
	wr(RTC_HOURS, 0x08);
	wr(RTC_DAY, 0x31);	/* not valid in November: staged, not applied */
	wr(RTC_MONTH, 0x01);
	wr(RTC_YEAR, 0x27);
	fake_time += 5;		/* the host clock moves on meanwhile */
	wr(RTC_REG_B, RTC_B_24H);
	ck_assert_uint_eq(rd(RTC_DAY), 0x31);
	ck_assert_uint_eq(rd(RTC_MONTH), 0x01);
	ck_assert_uint_eq(rd(RTC_YEAR), 0x27);
	ck_assert_uint_eq(rd(RTC_HOURS), 0x08);
	ck_assert_uint_eq(rd(RTC_SECONDS), 0x00);
	/* And it keeps running from there. */
	fake_time += 90;
	ck_assert_uint_eq(rd(RTC_MINUTES), 0x01);
	ck_assert_uint_eq(rd(RTC_SECONDS), 0x30);
}
END_TEST

START_TEST(single_field_write_keeps_others)
{
	wr(RTC_HOURS, 0x23);
	ck_assert_uint_eq(rd(RTC_HOURS), 0x23);
	ck_assert_uint_eq(rd(RTC_MINUTES), 0x34);
	ck_assert_uint_eq(rd(RTC_DAY), 0x25);
}
END_TEST

START_TEST(cmos_ram_and_reg_c)
{
	wr(0x40, 0xa5);
	wr(0x7f, 0x5a);
	ck_assert_uint_eq(rd(0x40), 0xa5);
	ck_assert_uint_eq(rd(0x7f), 0x5a);
	ck_assert_uint_eq(rd(RTC_REG_C), 0);
	/* Alarm registers read 0 and writes to them change no time. */
	wr(0x01, 0x59);
	ck_assert_uint_eq(rd(0x01), 0);
	ck_assert_uint_eq(rd(RTC_SECONDS), 0x56);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hvworker_rtc");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, reads_host_time_in_bcd);
	tcase_add_test(tc, status_registers);
	tcase_add_test(tc, binary_mode);
	tcase_add_test(tc, set_time_atomically);
	tcase_add_test(tc, single_field_write_keeps_others);
	tcase_add_test(tc, cmos_ram_and_reg_c);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
