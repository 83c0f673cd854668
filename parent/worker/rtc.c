// SPDX-License-Identifier: GPL-2.0
/* hvworker: the CMOS real-time clock (rtc.h). */
#include <string.h>

#include "rtc.h"

static time_t host_now(void)
{
	return time(NULL);
}

void rtc_init(struct rtc *r, time_t (*now)(void))
{
	memset(r, 0, sizeof(*r));
	r->now = now ? now : host_now;
	r->cmos[RTC_REG_A] = 0x26;	/* 32.768 kHz divider, 1024 Hz rate */
	r->cmos[RTC_REG_B] = RTC_B_24H;	/* BCD, as PC firmware sets it */
	r->cmos[RTC_REG_D] = RTC_D_VRT;
}

static bool is_time_reg(uint8_t i)
{
	return i <= RTC_YEAR || i == RTC_CENTURY;
}

static uint8_t to_reg(const struct rtc *r, int v)
{
	if (r->cmos[RTC_REG_B] & RTC_B_DM_BINARY)
		return (uint8_t)v;
	return (uint8_t)(((v / 10) << 4) | (v % 10));
}

static int from_reg(const struct rtc *r, uint8_t v)
{
	if (r->cmos[RTC_REG_B] & RTC_B_DM_BINARY)
		return v;
	return (v >> 4) * 10 + (v & 0xf);
}

static void guest_tm(const struct rtc *r, struct tm *tm)
{
	time_t t = r->now() + (time_t)r->offset;

	gmtime_r(&t, tm);
}

static uint8_t read_time(struct rtc *r, uint8_t i)
{
	struct tm tm;

	guest_tm(r, &tm);
	switch (i) {
	case RTC_SECONDS:	return to_reg(r, tm.tm_sec);
	case RTC_MINUTES:	return to_reg(r, tm.tm_min);
	case RTC_HOURS:		return to_reg(r, tm.tm_hour);
	case RTC_WEEKDAY:	return to_reg(r, tm.tm_wday + 1);
	case RTC_DAY:		return to_reg(r, tm.tm_mday);
	case RTC_MONTH:		return to_reg(r, tm.tm_mon + 1);
	case RTC_YEAR:		return to_reg(r, tm.tm_year % 100);
	case RTC_CENTURY:	return to_reg(r, (tm.tm_year + 1900) / 100);
	default:		return 0;	/* alarm registers: never set */
	}
}

static void commit(struct rtc *r)
{
	time_t t = timegm(&r->staged);

	if (t != (time_t)-1)
		r->offset = (int64_t)(t - r->now());
}

/*
 * The guest set one time field.  Outside SET mode it applies at once (the
 * other fields keep their current guest values); in SET mode it is staged.
 */
static void write_time(struct rtc *r, uint8_t i, uint8_t v)
{
	struct tm *tm = &r->staged;
	int val = from_reg(r, v);

	if (!(r->cmos[RTC_REG_B] & RTC_B_SET))
		guest_tm(r, tm);
	switch (i) {
	case RTC_SECONDS:	tm->tm_sec = val; break;
	case RTC_MINUTES:	tm->tm_min = val; break;
	case RTC_HOURS:		tm->tm_hour = val; break;
	case RTC_DAY:		tm->tm_mday = val; break;
	case RTC_MONTH:		tm->tm_mon = val - 1; break;
	case RTC_YEAR:		tm->tm_year = tm->tm_year / 100 * 100 + val; break;
	case RTC_CENTURY:	tm->tm_year = (val - 19) * 100 + tm->tm_year % 100; break;
	default:		return;	/* weekday follows from the date */
	}
	if (!(r->cmos[RTC_REG_B] & RTC_B_SET))
		commit(r);
}

static void write_reg_b(struct rtc *r, uint8_t v)
{
	bool was_set = r->cmos[RTC_REG_B] & RTC_B_SET;

	if (!was_set && (v & RTC_B_SET))
		guest_tm(r, &r->staged);
	r->cmos[RTC_REG_B] = v;
	if (was_set && !(v & RTC_B_SET))
		commit(r);
}

uint8_t rtc_read(struct rtc *r, uint16_t port)
{
	uint8_t i = r->index & 0x7f, v;

	if (port == RTC_PORT_INDEX)
		return 0xff;	/* write-only on a PC */
	if (is_time_reg(i))
		return read_time(r, i);
	v = r->cmos[i];
	if (i == RTC_REG_C)
		r->cmos[RTC_REG_C] = 0;
	return v;	/* REG_A: UIP is never set, an update is instant here */
}

void rtc_write(struct rtc *r, uint16_t port, uint8_t v)
{
	uint8_t i = r->index & 0x7f;

	if (port == RTC_PORT_INDEX) {
		r->index = v;
		return;
	}
	if (is_time_reg(i))
		write_time(r, i, v);
	else if (i == RTC_REG_B)
		write_reg_b(r, v);
	else if (i == RTC_REG_A)
		r->cmos[i] = v & 0x7f;		/* UIP is read-only */
	else if (i != RTC_REG_C && i != RTC_REG_D)	/* read-only */
		r->cmos[i] = v;
}
