// SPDX-License-Identifier: GPL-2.0
/*
 * hvd test backend: domains "run" in memory only.  Start, shutdown,
 * destroy and reboot change the state at once (like libvirt's test
 * driver), and CPU time grows with wall-clock time while running.
 * Also holds backend_open(), which picks a backend by name.
 */
#include <errno.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <time.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "backend.h"

static uint64_t elapsed_ns(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)(now.tv_sec - since->tv_sec) * 1000000000ull +
	       (uint64_t)(now.tv_nsec - since->tv_nsec);
}

static int test_start(struct backend *be, struct hvd_dom *d,
		      struct hvd_err *err)
{
	(void)be;
	(void)err;
	d->state = VIR_DOMAIN_RUNNING;
	d->reason = VIR_DOMAIN_RUNNING_BOOTED;
	d->cpu_time_ns = 0;
	return 0;
}

static int test_stop(struct hvd_dom *d, int reason)
{
	d->state = VIR_DOMAIN_SHUTOFF;
	d->reason = reason;
	return 0;
}

static int test_shutdown(struct backend *be, struct hvd_dom *d,
			 struct hvd_err *err)
{
	(void)be;
	(void)err;
	return test_stop(d, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
}

static int test_destroy(struct backend *be, struct hvd_dom *d,
			struct hvd_err *err)
{
	(void)be;
	(void)err;
	return test_stop(d, VIR_DOMAIN_SHUTOFF_DESTROYED);
}

static int test_reboot(struct backend *be, struct hvd_dom *d,
		       struct hvd_err *err)
{
	(void)be;
	(void)err;
	d->state = VIR_DOMAIN_RUNNING;
	d->reason = VIR_DOMAIN_RUNNING_BOOTED;
	return 0;
}

static void test_update(struct backend *be, struct hvd_dom *d)
{
	(void)be;
	if (d->id > 0)
		d->cpu_time_ns = elapsed_ns(&d->started);
}

/* The host is the machine (or partition) hvd runs on: its RAM. */
uint64_t backend_host_memory_kib(struct backend *be)
{
	struct sysinfo si;

	(void)be;
	if (sysinfo(&si) < 0)
		return 0;
	return (uint64_t)si.totalram * si.mem_unit / 1024;
}

const struct backend_ops backend_test_ops = {
	.name = "test",
	.start = test_start,
	.shutdown = test_shutdown,
	.destroy = test_destroy,
	.reboot = test_reboot,
	.update = test_update,
	.max_memory_kib = backend_host_memory_kib,
};

int backend_open_cfg(const char *name, const struct backend_cfg *cfg,
		     struct backend *be, struct hvd_err *err)
{
	memset(be, 0, sizeof(*be));
	if (!strcmp(name, "test")) {
		be->ops = &backend_test_ops;
		return 0;
	}
	if (!strcmp(name, "mkhv"))
		return backend_mkhv_open(cfg, be, err);
	hvd_err_set(err, VIR_ERR_INVALID_ARG,
		    "unknown backend '%s' (expected test or mkhv)", name);
	return -ENOENT;
}

int backend_open(const char *name, struct backend *be, struct hvd_err *err)
{
	return backend_open_cfg(name, NULL, be, err);
}

void backend_close(struct backend *be)
{
	if (be->ops && be->ops->close)
		be->ops->close(be);
	memset(be, 0, sizeof(*be));
}
