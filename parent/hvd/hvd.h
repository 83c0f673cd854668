/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvd: the parent partition's management daemon.  This header holds what
 * the RPC layer, the domain table, the state directory and the backends
 * share: libvirt-style errors and the in-memory domain objects.
 *
 * Locking: hvd is single-threaded.  One request runs to completion before
 * the next is read, so requests for one domain are serialized (and so are
 * requests across domains).  A backend that must wait (the real /dev/mkhv
 * one) will hand the slow part to the VM's worker process and mark the
 * domain busy; it must never block the loop.
 */
#ifndef MKHV_HVD_HVD_H
#define MKHV_HVD_HVD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "domain.h"

#define HVD_VERSION_NUM   1000     /* 0.1.0 as libvirt's major*1e6+minor*1e3+micro */
#define HVD_LIBVIRT_LEVEL 9000000  /* libvirt API level hvd answers to (9.0.0) */
#define HVD_MAX_VCPUS     240
#define HVD_ERR_MSG_MAX   1024

/*
 * struct hvd_err - an error as libvirt reports it: virErrorNumber code,
 * virErrorDomain and the full message text virsh prints after "error: ".
 */
struct hvd_err {
	int code;
	int domain;
	char msg[HVD_ERR_MSG_MAX];
};

/*
 * hvd_err_set() - fill @e; the message gets libvirt's prefix for @code
 * (e.g. VIR_ERR_NO_DOMAIN: "Domain not found: "), so @fmt only gives the
 * detail, as virReportError() callers do.  Returns -1 for convenience.
 */
int hvd_err_set(struct hvd_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * hvd_bad_flags() - libvirt's virCheckFlags(): when @flags has bits outside
 * @ok, fill @e (VIR_ERR_INVALID_ARG naming @api) and return -1; else 0.
 */
int hvd_bad_flags(struct hvd_err *e, unsigned int flags, unsigned int ok,
		  const char *api);
/* hvd_err_raw() - like hvd_err_set() but @msg is used unprefixed. */
int hvd_err_raw(struct hvd_err *e, int code, const char *msg);

/* One domain known to hvd (defined, or running and transient). */
struct hvd_dom {
	struct domain_def def;
	int id;                 /* > 0 while active, -1 when shut off */
	int state;              /* virDomainState */
	int reason;             /* virDomain*Reason for @state */
	bool persistent;        /* has a definition in the state dir */
	bool autostart;
	bool starting;          /* the backend is starting it (id still -1) */
	uint64_t cpu_time_ns;   /* accumulated by the backend */
	struct timespec started;
	void *backend_priv;
};

struct backend;

struct hvd {
	char *state_dir;
	struct backend *backend;
	struct hvd_dom **doms;
	size_t ndoms, cap;
	int next_id;
	/*
	 * Called when a start the backend finished later (hvd_start()
	 * returned 1) succeeded (@err NULL) or failed; the RPC layer answers
	 * the waiting request.  May be NULL.
	 */
	void (*start_done)(struct hvd *h, struct hvd_dom *d,
			   const struct hvd_err *err);
};

/* domains.c: the domain table and the operations behind the procedures. */
int hvd_init(struct hvd *h, const char *state_dir, struct backend *be,
	     struct hvd_err *err);
/* hvd_load() - reload the state dir; returns the number loaded. */
int hvd_load(struct hvd *h, void (*report)(const char *msg));
void hvd_fini(struct hvd *h);

struct hvd_dom *hvd_by_name(struct hvd *h, const char *name);
struct hvd_dom *hvd_by_uuid(struct hvd *h, const uint8_t uuid[DOMAIN_UUID_LEN]);
struct hvd_dom *hvd_by_id(struct hvd *h, int id);

int hvd_define(struct hvd *h, const char *xml, size_t len, unsigned int flags,
	       struct hvd_dom **out, struct hvd_err *err);
int hvd_undefine(struct hvd *h, struct hvd_dom *d, unsigned int flags,
		 struct hvd_err *err);
/*
 * hvd_start() - start @d.  Return: 0 when running, 1 when the backend goes
 * on in the background (d->starting; hvd_dom_start_done() follows), -1
 * with @err.
 */
int hvd_start(struct hvd *h, struct hvd_dom *d, unsigned int flags,
	      struct hvd_err *err);
int hvd_shutdown(struct hvd *h, struct hvd_dom *d, unsigned int flags,
		 struct hvd_err *err);
int hvd_destroy(struct hvd *h, struct hvd_dom *d, unsigned int flags,
		struct hvd_err *err);
int hvd_reboot(struct hvd *h, struct hvd_dom *d, unsigned int flags,
	       struct hvd_err *err);
/*
 * hvd_dom_stopped() - @d is no longer active (id -1); a transient domain
 * is freed.  For backends whose domains stop on their own; d->state and
 * d->reason are set before.
 */
void hvd_dom_stopped(struct hvd *h, struct hvd_dom *d);
/*
 * hvd_dom_start_done() - the backend finished starting @d: running (@err
 * NULL: it gets an id if it has none) or not (@err: @d stops, a transient
 * @d is freed).  Answers the request waiting for it through start_done.
 */
void hvd_dom_start_done(struct hvd *h, struct hvd_dom *d,
			const struct hvd_err *err);
int hvd_set_autostart(struct hvd *h, struct hvd_dom *d, bool on,
		      struct hvd_err *err);
/* hvd_autostart() - start every autostart domain (at daemon start). */
void hvd_autostart(struct hvd *h, void (*report)(const char *msg));

/*
 * hvd_fill_defaults() - what a definition may leave out and hvd generates
 * at define: a random v4 UUID, and 52:54:00:xx:xx:xx MACs for NICs.
 */
int hvd_fill_defaults(struct domain_def *def);
void hvd_uuid_format(const uint8_t uuid[DOMAIN_UUID_LEN], char out[37]);
/* hvd_random() - fill @buf from getrandom(); 0 or -errno. */
int hvd_random(void *buf, size_t len);

#endif /* MKHV_HVD_HVD_H */
