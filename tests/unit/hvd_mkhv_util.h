/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the mkhv backend suites: hvd with the mkhv backend running the
 * fake worker (tests/unit/fake_hvworker.c), in a temp dir; domains whose
 * <cmdline> tells the fake what to do.
 */
#ifndef MKHV_TESTS_HVD_MKHV_UTIL_H
#define MKHV_TESTS_HVD_MKHV_UTIL_H

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

#include <libvirt/libvirt.h>

#include "backend.h"
#include "loop.h"
#include "hvd_test_util.h"

static struct hvd h;
static struct backend be;
static char *dir;
static char log_dir[512], state_dir[512];
/* What the last start finished in the background said (hvd->start_done). */
static struct hvd_err start_err;
static int starts_done, starts_failed;

static inline void mk_start_done(struct hvd *hh, struct hvd_dom *d,
				 const struct hvd_err *err)
{
	(void)hh;
	(void)d;
	starts_done++;
	if (err) {
		starts_failed++;
		start_err = *err;
	}
}

static inline void mk_open(const char *worker, int timeout_ms)
{
	struct backend_cfg cfg = { worker, log_dir, timeout_ms };
	struct hvd_err err;

	dir = test_tmpdir();
	ck_assert_ptr_nonnull(dir);
	snprintf(log_dir, sizeof(log_dir), "%s/logs", dir);
	snprintf(state_dir, sizeof(state_dir), "%s/state", dir);
	ck_assert_int_eq(backend_open_cfg("mkhv", &cfg, &be, &err), 0);
	ck_assert_int_eq(hvd_init(&h, state_dir, &be, &err), 0);
	h.start_done = mk_start_done;
	starts_done = starts_failed = 0;
	memset(&start_err, 0, sizeof(start_err));
}

static inline void mk_setup(void)
{
	mk_open(FAKE_HVWORKER, 3000);
}

static inline void mk_teardown(void)
{
	if (be.ops)		/* a test may have closed it */
		backend_close(&be);
	hvd_fini(&h);
	ck_assert_uint_eq(loop_count(), 0);	/* nothing left watched */
	test_rmdir(dir);
	free(dir);
}

/*
 * Define @name with <cmdline>@cmdline</cmdline>, @extra in <domain> and
 * @devices (may be NULL) in <devices> before its console.
 */
static inline struct hvd_dom *mk_define_dev(const char *name, const char *cmdline,
					    const char *extra, const char *devices)
{
	char xml[4096];
	struct hvd_dom *d;
	struct hvd_err err;

	snprintf(xml, sizeof(xml),
		 "<domain type='hyperv'><name>%s</name>"
		 "<memory unit='MiB'>256</memory><vcpu>1</vcpu>"
		 "<os><type arch='x86_64'>hvm</type><kernel>/boot/vmlinuz</kernel>"
		 "<cmdline>%s</cmdline></os>%s"
		 "<devices>%s<console type='pty'/></devices></domain>",
		 name, cmdline, extra ? extra : "", devices ? devices : "");
	if (hvd_define(&h, xml, strlen(xml), 0, &d, &err))
		ck_abort_msg("define %s: %s", name, err.msg);
	return d;
}

static inline struct hvd_dom *mk_define(const char *name, const char *cmdline,
					const char *extra)
{
	return mk_define_dev(name, cmdline, extra, NULL);
}

static inline long long mk_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Run the event loop until @cond holds or @ms pass; returns @cond. */
#define PUMP_UNTIL(cond, ms) ({ \
	long long _end = mk_now_ms() + (ms); \
	while (!(cond) && mk_now_ms() < _end) \
		loop_run_once(20); \
	(cond); })

/* hvd_start() @d and run the loop until its worker reports running. */
static inline struct hvd_dom *mk_start_dom(struct hvd_dom *d)
{
	struct hvd_err err;
	int r = hvd_start(&h, d, 0, &err);

	if (r < 0)
		ck_abort_msg("start %s: %s", d->def.name, err.msg);
	ck_assert(PUMP_UNTIL(!d->starting, 5000));
	ck_assert_int_eq(d->state, VIR_DOMAIN_RUNNING);
	ck_assert_int_gt(d->id, 0);
	return d;
}

static inline struct hvd_dom *mk_start(const char *name, const char *cmdline,
				       const char *extra)
{
	return mk_start_dom(mk_define(name, cmdline, extra));
}

/* hvd_start() @d, expecting the background start to fail: its error. */
static inline const char *mk_start_fails(struct hvd_dom *d)
{
	struct hvd_err err;
	int failed = starts_failed;

	ck_assert_int_eq(hvd_start(&h, d, 0, &err), 1);
	ck_assert(d->starting);
	ck_assert_int_eq(d->id, -1);
	ck_assert(PUMP_UNTIL(!d->starting, 5000));
	ck_assert_int_eq(starts_failed, failed + 1);
	ck_assert_int_eq(d->state, VIR_DOMAIN_SHUTOFF);
	ck_assert_int_eq(d->reason, VIR_DOMAIN_SHUTOFF_FAILED);
	ck_assert_int_eq(d->id, -1);
	return start_err.msg;
}

/*
 * The fake's <log_dir>/<name>.console.starts: how many workers ran (the
 * return value) and the pid of the last one (*@last, may be NULL).
 */
static inline int mk_starts_pid(const char *name, pid_t *last)
{
	char path[1024], line[64];
	int n = 0, pid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.console.starts", log_dir, name);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		n += sscanf(line, "start %d", &pid) == 1;
	if (f)
		fclose(f);
	if (last)
		*last = pid;
	return n;
}

static inline int mk_starts(const char *name)
{
	return mk_starts_pid(name, NULL);
}

static inline pid_t mk_last_pid(const char *name)
{
	pid_t pid;

	ck_assert_int_gt(mk_starts_pid(name, &pid), 0);
	return pid;
}

#endif
