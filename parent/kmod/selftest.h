/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reporting of mkhv.ko's in-parent self tests (mkhv-vmtest,
 * mkhv-vmbustest): one "ok"/"FAIL" line per check, counted for the
 * "NAME: N passed, M failed" summary the system tests grep.
 */
#ifndef MKHV_KMOD_SELFTEST_H
#define MKHV_KMOD_SELFTEST_H

#include <errno.h>
#include <stdio.h>
#include <sys/ioctl.h>

static int passed, failed;

static void check(const char *what, int ok)
{
	printf("%s - %s\n", ok ? "ok  " : "FAIL", what);
	if (ok)
		passed++;
	else
		failed++;
}

/* ioctl -> 0 or -errno */
static int io(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

/* The summary line; main()'s exit code. */
static int selftest_summary(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, passed, failed);
	return failed ? 1 : 0;
}

#endif /* MKHV_KMOD_SELFTEST_H */
