/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: the child's CMOS real-time clock (an MC146818 at ports 0x70 and
 * 0x71, as on a PC and a Hyper-V VM).  Linux reads the wall clock from it at
 * boot; without one it waits for the update-in-progress bit to clear and
 * gives up after seconds.  The clock runs on the host's UTC time plus an
 * offset the guest sets by writing the time registers (hwclock, NTP's
 * 11-minute sync; with REG_B.SET held the new time applies when SET is
 * cleared, so the fields can be written in any order); the other bytes are plain CMOS RAM.  No alarm or
 * periodic interrupts (no interrupt line).  Not thread-safe: the caller
 * serialises (hvworker's I/O lock).
 */
#ifndef HVWORKER_RTC_H
#define HVWORKER_RTC_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define RTC_PORT_INDEX	0x70
#define RTC_PORT_DATA	0x71

/* Registers (CMOS index). */
#define RTC_SECONDS	0x00
#define RTC_MINUTES	0x02
#define RTC_HOURS	0x04
#define RTC_WEEKDAY	0x06
#define RTC_DAY		0x07
#define RTC_MONTH	0x08
#define RTC_YEAR	0x09
#define RTC_REG_A	0x0a	/* UIP, divider, rate */
#define RTC_REG_B	0x0b	/* SET, PIE/AIE/UIE, SQWE, DM, 24/12, DSE */
#define RTC_REG_C	0x0c	/* interrupt flags (read clears) */
#define RTC_REG_D	0x0d	/* VRT: battery good */
#define RTC_CENTURY	0x32	/* the FADT's default century register */

#define RTC_B_SET	0x80
#define RTC_B_DM_BINARY	0x04
#define RTC_B_24H	0x02
#define RTC_D_VRT	0x80

struct rtc {
	uint8_t index;		/* selected register (bit 7 is the NMI mask) */
	uint8_t cmos[128];	/* RAM; the time registers live in @offset */
	int64_t offset;		/* guest time - host time, seconds */
	struct tm staged;	/* time being set while REG_B.SET is 1 */
	time_t (*now)(void);	/* host UTC seconds (tests inject a clock) */
};

/* A clock at host time (@now NULL: time(NULL)), 24-hour BCD, battery good. */
void rtc_init(struct rtc *r, time_t (*now)(void));
uint8_t rtc_read(struct rtc *r, uint16_t port);
void rtc_write(struct rtc *r, uint16_t port, uint8_t v);

#endif /* HVWORKER_RTC_H */
