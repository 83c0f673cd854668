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
 * @err filled.  A backend whose domains change state on their own (a
 * worker exits) tells hvd through hvd_dom_stopped() (domains.c).
 */
#ifndef MKHV_HVD_BACKEND_H
#define MKHV_HVD_BACKEND_H

#include "guest.h"
#include "hvd.h"

/*
 * A running domain's disk and NIC counters since it started (virsh
 * domblkstat, domifstat, domstats --block/--interface); NIC counters are
 * the guest's view (rx: frames it received).
 */
struct hvd_blk_stats {
	uint64_t rd_req, rd_bytes, wr_req, wr_bytes, fl_req, errs;
};

struct hvd_if_stats {
	uint64_t rx_bytes, rx_packets, rx_errs, rx_drop;
	uint64_t tx_bytes, tx_packets, tx_errs, tx_drop;
	char ifname[16];        /* its tap in the parent, "" unknown */
};

struct backend_ops {
	const char *name;
	/*
	 * 0: running now; 1: starting in the background, the backend calls
	 * hvd_dom_start_done() when it knows; -1 with @err.  destroy is also
	 * called on a domain still starting (d->starting).
	 */
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
	/*
	 * The console pty of running domain @d into @path (may be NULL: no
	 * consoles).  0 or -1 with @err.
	 */
	int (*console_path)(struct backend *be, struct hvd_dom *d, char *path,
			    size_t len, struct hvd_err *err);
	/*
	 * What running domain @d's guest reported through its integration
	 * services (VMBus heartbeat, KVP) into @g (may be NULL: guests say
	 * nothing).  0, or -1 with @err when @d has no running guest.
	 */
	int (*guest)(struct backend *be, struct hvd_dom *d, struct hvd_guest *g,
		     struct hvd_err *err);
	/*
	 * Set running domain @d's clock to the host's now (its time
	 * synchronization service; may be NULL).  0 or -1 with @err.
	 */
	int (*sync_time)(struct backend *be, struct hvd_dom *d,
			 struct hvd_err *err);
	/*
	 * Counters of running domain @d's disk @idx / NIC @idx (the place
	 * of its <disk>/<interface> in the definition) into @st (may be
	 * NULL: no statistics).  0 or -1 with @err.
	 */
	int (*blk_stats)(struct backend *be, struct hvd_dom *d, size_t idx,
			 struct hvd_blk_stats *st, struct hvd_err *err);
	int (*if_stats)(struct backend *be, struct hvd_dom *d, size_t idx,
			struct hvd_if_stats *st, struct hvd_err *err);
	void (*close)(struct backend *be);
};

struct backend {
	const struct backend_ops *ops;
	void *priv;
	struct hvd *hvd;        /* set by hvd_init() */
};

/* What the mkhv backend needs to know (NULL fields: the defaults). */
struct backend_cfg {
	const char *worker;         /* hvworker, default /usr/sbin/hvworker */
	const char *log_dir;        /* worker logs, default /var/log/mkhv */
	int start_timeout_ms;       /* for "state running", default 60 s */
};

#define BACKEND_WORKER_DEFAULT  "/usr/sbin/hvworker"
#define BACKEND_LOG_DIR_DEFAULT "/var/log/mkhv"

/*
 * backend_open() - open the backend called @name ("test" or "mkhv") with
 * @cfg (may be NULL).
 * Return: 0, -ENOENT for an unknown name, -ENODEV when the backend exists
 * but cannot run here (@err says why).
 */
int backend_open_cfg(const char *name, const struct backend_cfg *cfg,
		     struct backend *be, struct hvd_err *err);
int backend_open(const char *name, struct backend *be, struct hvd_err *err);
void backend_close(struct backend *be);

/* The RAM of the machine (or partition) hvd runs on, in KiB. */
uint64_t backend_host_memory_kib(struct backend *be);

extern const struct backend_ops backend_test_ops;
int backend_mkhv_open(const struct backend_cfg *cfg, struct backend *be,
		      struct hvd_err *err);

#endif /* MKHV_HVD_BACKEND_H */
