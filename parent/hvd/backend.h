/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvd backends: what actually runs a domain.  The test backend keeps
 * everything in memory (for tests and for developing the toolstack before
 * child partitions exist); the mkhv backend will drive /dev/mkhv and one
 * worker process per VM.
 *
 * Every operation is called with a domain whose state hvd has already
 * checked (start only on a shut-off domain, the others only on an active
 * one); it updates d->state/d->reason itself and returns 0 or -errno with
 * @err filled.
 */
#ifndef MKHV_HVD_BACKEND_H
#define MKHV_HVD_BACKEND_H

#include "hvd.h"

struct backend_ops {
	const char *name;
	int (*start)(struct backend *be, struct hvd_dom *d, struct hvd_err *err);
	int (*shutdown)(struct backend *be, struct hvd_dom *d, struct hvd_err *err);
	int (*destroy)(struct backend *be, struct hvd_dom *d, struct hvd_err *err);
	int (*reboot)(struct backend *be, struct hvd_dom *d, struct hvd_err *err);
	/*
	 * Most memory one domain may have, in KiB (may be NULL: no limit).
	 * hvd refuses to define a domain asking for more.
	 */
	uint64_t (*max_memory_kib)(struct backend *be);
	/* Refresh d->cpu_time_ns (may be NULL). */
	void (*update)(struct backend *be, struct hvd_dom *d);
	void (*close)(struct backend *be);
};

struct backend {
	const struct backend_ops *ops;
	void *priv;
};

/*
 * backend_open() - open the backend called @name ("test" or "mkhv").
 * Return: 0, -ENOENT for an unknown name, -ENODEV when the backend exists
 * but cannot run here (@err says why).
 */
int backend_open(const char *name, struct backend *be, struct hvd_err *err);
void backend_close(struct backend *be);

extern const struct backend_ops backend_test_ops;

#endif /* MKHV_HVD_BACKEND_H */
