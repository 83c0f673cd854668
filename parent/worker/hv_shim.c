// SPDX-License-Identifier: GPL-2.0
/*
 * hvworker: what hv/bzimage.c (the hv's portable bzImage code, reused
 * as is) needs from the hv core in userspace: printk.  <mkhv/string.h>
 * maps to libc with MKHV_HOST_TEST (set on the command line).
 */
#include <stdio.h>
#include <mkhv/printk.h>

int printk_level = LOG_WARN;

void printk(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > printk_level)
		return;
	va_start(ap, fmt);
	fputs("hvworker: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}
