// SPDX-License-Identifier: GPL-2.0
/*
 * hvd's mkhv backend: one hvworker process per running domain (DESIGN §1).
 * start spawns the worker and waits for its "state running"; the event
 * loop watches its status pipe and pidfd and applies <on_poweroff>,
 * <on_reboot> and <on_crash> when it ends; destroy kills it (mkhv.ko then
 * deletes the partition); shutdown, reboot and statistics go through the
 * worker's control channel.  A worker that dies takes only its domain
 * down: hvd reaps it and goes on.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "backend.h"
#include "loop.h"
#include "mkhv_policy.h"
#include "worker_proc.h"

#define MKHV_START_TIMEOUT_MS 60000
#define MKHV_CONTROL_TIMEOUT_MS 2000

struct mkhv_be {
	char worker[PATH_MAX];
	char log_dir[PATH_MAX];
	int start_timeout_ms;
};

struct mkhv_dom {
	struct backend *be;
	struct hvd_dom *d;
	struct worker_proc w;
	bool starting;          /* spawned, "state running" not seen yet */
	int timer_fd;           /* the start's deadline (timerfd), -1 */
	char stderr_log[PATH_MAX];
	bool stats_failed;      /* logged once per worker */
};

static void logf_(const struct hvd_dom *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void logf_(const struct hvd_dom *d, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "hvd: domain '%s': %s\n", d->def.name, msg);
}

static struct mkhv_be *priv(struct backend *be)
{
	return be->priv;
}

/* ---- watching a running worker ---- */

static void on_worker_out(void *opaque, int fd, short revents);
static void on_worker_pid(void *opaque, int fd, short revents);
static void on_start_timeout(void *opaque, int fd, short revents);

static void watch(struct mkhv_dom *md)
{
	if (md->w.out_fd >= 0)
		loop_add(md->w.out_fd, POLLIN, on_worker_out, md);
	if (md->w.pidfd >= 0)
		loop_add(md->w.pidfd, POLLIN, on_worker_pid, md);
	if (md->timer_fd >= 0)
		loop_add(md->timer_fd, POLLIN, on_start_timeout, md);
}

static void timer_close(struct mkhv_dom *md)
{
	if (md->timer_fd < 0)
		return;
	loop_del(md->timer_fd);
	close(md->timer_fd);
	md->timer_fd = -1;
}

static void unwatch(struct mkhv_dom *md)
{
	if (md->w.out_fd >= 0)
		loop_del(md->w.out_fd);
	if (md->w.pidfd >= 0)
		loop_del(md->w.pidfd);
	if (md->timer_fd >= 0)
		loop_del(md->timer_fd);
}

static int path_of(char *buf, size_t len, const char *dir, const char *name,
		   const char *suffix)
{
	int n = snprintf(buf, len, "%s/%s%s", dir, name, suffix);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/*
 * Spawn the worker of @md's domain; the event loop then waits for its
 * "state running" (start_ok) or its end or the deadline (start_failed).
 * 0, or -1 with @err for what fails at once.
 */
static int spawn(struct backend *be, struct mkhv_dom *md, struct hvd_err *err)
{
	struct mkhv_be *b = priv(be);
	struct hvd_dom *d = md->d;
	struct itimerspec its = {
		.it_value = { b->start_timeout_ms / 1000,
			      (b->start_timeout_ms % 1000) * 1000000L },
	};
	char *argv[WORKER_ARGV_MAX], store[8192], msg[512];
	char console_log[PATH_MAX];
	int ret;

	if (mkdir(b->log_dir, 0750) < 0 && errno != EEXIST)
		return hvd_err_set(err, VIR_ERR_OPERATION_FAILED,
				   "cannot create %s: %s", b->log_dir,
				   strerror(errno));
	if (path_of(md->stderr_log, sizeof(md->stderr_log), b->log_dir,
		    d->def.name, ".log") ||
	    path_of(console_log, sizeof(console_log), b->log_dir, d->def.name,
		    ".console"))
		return hvd_err_set(err, VIR_ERR_OPERATION_FAILED,
				   "log path of domain '%s' is too long",
				   d->def.name);
	ret = worker_argv(&d->def, b->worker,
			  d->def.serial_file ? d->def.serial_file : console_log,
			  argv, store, sizeof(store), msg, sizeof(msg));
	if (ret < 0)
		return hvd_err_set(err, VIR_ERR_CONFIG_UNSUPPORTED, "%s", msg);
	md->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (md->timer_fd < 0 || timerfd_settime(md->timer_fd, 0, &its, NULL) < 0) {
		ret = errno;
		timer_close(md);
		return hvd_err_set(err, VIR_ERR_OPERATION_FAILED,
				   "cannot arm the start timer: %s", strerror(ret));
	}
	ret = worker_spawn(&md->w, b->worker, argv, md->stderr_log, msg,
			   sizeof(msg));
	if (ret) {
		timer_close(md);
		return hvd_err_set(err, VIR_ERR_OPERATION_FAILED,
				   "cannot start hvworker: %s", msg);
	}
	md->starting = true;
	md->stats_failed = false;
	watch(md);
	return 0;
}

static void dom_release(struct hvd_dom *d)
{
	struct mkhv_dom *md = d->backend_priv;

	if (!md)
		return;
	unwatch(md);
	timer_close(md);
	worker_close_fds(&md->w);
	free(md);
	d->backend_priv = NULL;
}

/* "state running" arrived: the domain runs (a restart keeps its id). */
static void start_ok(struct mkhv_dom *md)
{
	struct hvd_dom *d = md->d;

	md->starting = false;
	timer_close(md);
	d->state = VIR_DOMAIN_RUNNING;
	d->reason = VIR_DOMAIN_RUNNING_BOOTED;
	logf_(d, "running (worker pid %d, partition %" PRIu64 ", console %s, log %s)",
	      (int)md->w.pid, md->w.partition, md->w.pty[0] ? md->w.pty : "none",
	      md->stderr_log);
	hvd_dom_start_done(md->be->hvd, d, NULL);
}

/*
 * The start failed: @err, or the worker's own words (its "detail" line)
 * when it ended with @status before running.  The domain stops; a start
 * request waiting for it gets the error.
 */
static void start_failed(struct mkhv_dom *md, int status,
			 const struct hvd_err *err)
{
	struct backend *be = md->be;
	struct hvd_dom *d = md->d;
	struct hvd_err e;

	if (!err) {
		logf_(d, "worker failed to start (%s, %s): %s",
		      md->w.state[0] ? md->w.state : "no state",
		      WIFSIGNALED(status) ? "killed" : "exited",
		      md->w.detail[0] ? md->w.detail :
		      "it ended before its VM ran");
		hvd_err_set(&e, VIR_ERR_OPERATION_FAILED, "%s",
			    md->w.detail[0] ? md->w.detail :
			    "hvworker ended before its VM ran");
		err = &e;
	}
	d->state = VIR_DOMAIN_SHUTOFF;
	d->reason = VIR_DOMAIN_SHUTOFF_FAILED;
	dom_release(d);
	hvd_dom_start_done(be->hvd, d, err);	/* may free a transient @d */
}

static void on_start_timeout(void *opaque, int fd, short revents)
{
	struct mkhv_dom *md = opaque;
	int ms = priv(md->be)->start_timeout_ms;
	struct hvd_err err;

	(void)fd;
	(void)revents;
	unwatch(md);
	worker_kill(&md->w);
	logf_(md->d, "worker did not report running within %d ms, killed", ms);
	hvd_err_set(&err, VIR_ERR_OPERATION_FAILED,
		    "hvworker of domain '%s' did not start within %d s",
		    md->d->def.name, ms / 1000);
	start_failed(md, 0, &err);
}

/* The worker of @md ended with @status: apply the domain's policy. */
static void worker_ended(struct mkhv_dom *md, int status)
{
	struct backend *be = md->be;
	struct hvd_dom *d = md->d;
	struct mkhv_verdict v = mkhv_verdict(&d->def, status);
	struct hvd_err err;

	if (WIFSIGNALED(status))
		logf_(d, "worker killed by signal %d: %s", WTERMSIG(status),
		      mkhv_end_name(v.end));
	else
		logf_(d, "worker exited %d: %s%s%s", WEXITSTATUS(status),
		      mkhv_end_name(v.end), md->w.detail[0] ? ": " : "",
		      md->w.detail);
	if (v.restart) {
		/* Still running (same id) while the new worker starts. */
		logf_(d, "restarting");
		if (!spawn(be, md, &err))
			return;
		logf_(d, "restart failed: %s", err.msg);
		v.state = VIR_DOMAIN_SHUTOFF;
		v.reason = VIR_DOMAIN_SHUTOFF_FAILED;
	}
	d->state = v.state;
	d->reason = v.reason;
	if (v.state == VIR_DOMAIN_CRASHED) {
		/* on_crash preserve: active but dead until destroyed. */
		logf_(d, "crashed (kept: on_crash preserve)");
		return;
	}
	logf_(d, "shut off (%s)", v.reason == VIR_DOMAIN_SHUTOFF_SHUTDOWN ?
	      "shutdown" : v.reason == VIR_DOMAIN_SHUTOFF_CRASHED ? "crashed" :
	      "failed");
	dom_release(d);
	hvd_dom_stopped(be->hvd, d);   /* may free a transient @d */
}

static void reap_now(struct mkhv_dom *md, bool block)
{
	int status = 0;

	unwatch(md);
	if (worker_reap(&md->w, block, &status) == 1) {
		if (md->starting)
			start_failed(md, status, NULL);
		else
			worker_ended(md, status);
		return;
	}
	watch(md);
}

/*
 * The guest stopped answering its heartbeat after answering it: apply
 * <on_crash> (mkhv_hung_action()).  Return: true when the worker was
 * ended (@md may be gone).
 */
static bool guest_hung(struct mkhv_dom *md)
{
	struct hvd_dom *d = md->d;
	int status;

	md->w.hung_event = false;
	if (md->starting)
		return false;
	if (mkhv_hung_action(&d->def) == MKHV_HUNG_LOG) {
		logf_(d, "guest hung: heartbeat %" PRIu64 " unanswered; left "
		      "as it is (on_crash preserve)", md->w.guest.heartbeat_seq);
		return false;
	}
	logf_(d, "guest hung: heartbeat %" PRIu64 " unanswered; ending its "
	      "worker as crashed (on_crash)", md->w.guest.heartbeat_seq);
	unwatch(md);
	status = worker_kill(&md->w);
	worker_ended(md, status);
	return true;
}

static void on_worker_out(void *opaque, int fd, short revents)
{
	struct mkhv_dom *md = opaque;
	int r;

	(void)fd;
	(void)revents;
	r = worker_read_status(&md->w);
	if (md->w.hung_event && guest_hung(md))
		return;
	if (r != 1) {
		if (md->starting && md->w.running)
			start_ok(md);
		return;
	}
	/* EOF: the worker is ending.  With a pidfd, wait for it to say so. */
	loop_del(fd);
	if (md->w.pidfd < 0)
		reap_now(md, true);
}

static void on_worker_pid(void *opaque, int fd, short revents)
{
	(void)fd;
	(void)revents;
	reap_now(opaque, false);
}

/* ---- operations ---- */

static int mkhv_start(struct backend *be, struct hvd_dom *d,
		      struct hvd_err *err)
{
	struct mkhv_dom *md;

	dom_release(d);
	md = calloc(1, sizeof(*md));
	if (!md)
		return hvd_err_set(err, VIR_ERR_NO_MEMORY, "%s", "");
	md->be = be;
	md->d = d;
	md->timer_fd = -1;
	if (spawn(be, md, err)) {
		free(md);
		return -1;
	}
	d->backend_priv = md;
	d->cpu_time_ns = 0;
	return 1;	/* start_ok() or start_failed() follows */
}

static int mkhv_destroy(struct backend *be, struct hvd_dom *d,
			struct hvd_err *err)
{
	struct mkhv_dom *md = d->backend_priv;

	struct hvd_err e;

	(void)err;
	if (md && md->w.pid) {
		unwatch(md);
		worker_kill(&md->w);
		logf_(d, "destroyed (worker killed and reaped)");
	}
	dom_release(d);
	d->state = VIR_DOMAIN_SHUTOFF;
	d->reason = VIR_DOMAIN_SHUTOFF_DESTROYED;
	if (d->starting) {
		/* The start request waiting for it fails; hvd forgets @d. */
		hvd_err_set(&e, VIR_ERR_OPERATION_FAILED,
			    "domain '%s' was destroyed while starting",
			    d->def.name);
		hvd_dom_start_done(be->hvd, d, &e);
	}
	return 0;
}

/*
 * Send @cmd to running domain @d's worker: its answer in @reply, or -1
 * with @err when there is none or it is "unsupported ..." / "error ...".
 */
static int ask(struct hvd_dom *d, const char *cmd, char *reply, size_t len,
	       struct hvd_err *err)
{
	struct mkhv_dom *md = d->backend_priv;
	int ret;

	if (!md || !md->w.pid || md->starting)
		return hvd_err_set(err, VIR_ERR_OPERATION_INVALID,
				   "domain is not running");
	ret = worker_request(&md->w, cmd, reply, len, MKHV_CONTROL_TIMEOUT_MS);
	if (ret)
		return hvd_err_set(err, VIR_ERR_OPERATION_FAILED,
				   "hvworker of domain '%s' did not answer %s: %s",
				   d->def.name, cmd, strerror(-ret));
	if (!strncmp(reply, "unsupported ", 12))
		return hvd_err_set(err, VIR_ERR_OPERATION_UNSUPPORTED, "%s",
				   reply + 12);
	if (!strncmp(reply, "error ", 6))
		return hvd_err_set(err, VIR_ERR_OPERATION_FAILED, "%s", reply + 6);
	return 0;
}

/* shutdown/reboot: the worker's control channel (its guest service). */
static int graceful(struct hvd_dom *d, const char *cmd, struct hvd_err *err)
{
	char reply[WORKER_LINE_MAX];

	if (ask(d, cmd, reply, sizeof(reply), err))
		return -1;
	if (strcmp(reply, "ok"))
		return hvd_err_set(err, VIR_ERR_OPERATION_FAILED, "%s", reply);
	logf_(d, "%s requested", cmd);
	return 0;
}

/* "WORD IDX" answered by "WORD k1=N ..." with @n keys, into @v. */
static int ask_counters(struct hvd_dom *d, const char *word, size_t idx,
			const char *const *keys, size_t n, uint64_t *v,
			struct hvd_err *err)
{
	char cmd[32], reply[WORKER_LINE_MAX];

	snprintf(cmd, sizeof(cmd), "%s %zu", word, idx);
	if (ask(d, cmd, reply, sizeof(reply), err))
		return -1;
	if (worker_parse_counters(reply, word, keys, n, v))
		return hvd_err_set(err, VIR_ERR_OPERATION_FAILED,
				   "hvworker of domain '%s' answered %s with '%s'",
				   d->def.name, cmd, reply);
	return 0;
}

static int mkhv_blk_stats(struct backend *be, struct hvd_dom *d, size_t idx,
			  struct hvd_blk_stats *st, struct hvd_err *err)
{
	static const char *const keys[] = {
		"rd_req", "rd_bytes", "wr_req", "wr_bytes", "fl_req", "errs",
	};
	uint64_t v[6];

	(void)be;
	if (ask_counters(d, "blkstats", idx, keys, 6, v, err))
		return -1;
	*st = (struct hvd_blk_stats){ .rd_req = v[0], .rd_bytes = v[1],
		.wr_req = v[2], .wr_bytes = v[3], .fl_req = v[4], .errs = v[5] };
	return 0;
}

static int mkhv_if_stats(struct backend *be, struct hvd_dom *d, size_t idx,
			 struct hvd_if_stats *st, struct hvd_err *err)
{
	static const char *const keys[] = {
		"rx_bytes", "rx_packets", "rx_errs", "rx_drop",
		"tx_bytes", "tx_packets", "tx_errs", "tx_drop",
	};
	struct mkhv_dom *md = d->backend_priv;
	uint64_t v[8];

	(void)be;
	if (ask_counters(d, "ifstats", idx, keys, 8, v, err))
		return -1;
	*st = (struct hvd_if_stats){ .rx_bytes = v[0], .rx_packets = v[1],
		.rx_errs = v[2], .rx_drop = v[3], .tx_bytes = v[4],
		.tx_packets = v[5], .tx_errs = v[6], .tx_drop = v[7] };
	if (idx < DOMAIN_NETS_MAX)
		snprintf(st->ifname, sizeof(st->ifname), "%s", md->w.tap[idx]);
	return 0;
}

static int mkhv_shutdown(struct backend *be, struct hvd_dom *d,
			 struct hvd_err *err)
{
	(void)be;
	return graceful(d, "shutdown", err);
}

static int mkhv_reboot(struct backend *be, struct hvd_dom *d,
		       struct hvd_err *err)
{
	(void)be;
	return graceful(d, "reboot", err);
}

static int mkhv_sync_time(struct backend *be, struct hvd_dom *d,
			  struct hvd_err *err)
{
	(void)be;
	return graceful(d, "timesync", err);
}

static void mkhv_update(struct backend *be, struct hvd_dom *d)
{
	struct mkhv_dom *md = d->backend_priv;
	char reply[WORKER_LINE_MAX];
	uint64_t ns;
	int ret;

	(void)be;
	if (!md || !md->w.pid || md->starting)
		return;
	ret = worker_request(&md->w, "stats", reply, sizeof(reply),
			     MKHV_CONTROL_TIMEOUT_MS);
	if (!ret)
		ret = worker_parse_stats(reply, &ns);
	if (!ret) {
		d->cpu_time_ns = ns;
		return;
	}
	if (!md->stats_failed)
		logf_(d, "no CPU time from the worker: %s",
		      ret == -EINVAL ? reply : strerror(-ret));
	md->stats_failed = true;
}

static int mkhv_console_path(struct backend *be, struct hvd_dom *d,
			     char *path, size_t len, struct hvd_err *err)
{
	struct mkhv_dom *md = d->backend_priv;

	(void)be;
	if (!md || !md->w.pid || md->starting)
		return hvd_err_set(err, VIR_ERR_OPERATION_INVALID,
				   "domain is not running");
	if (!md->w.pty[0])
		return hvd_err_set(err, VIR_ERR_OPERATION_FAILED,
				   "hvworker of domain '%s' has no console pty",
				   d->def.name);
	snprintf(path, len, "%s", md->w.pty);
	return 0;
}

static int mkhv_guest(struct backend *be, struct hvd_dom *d,
		      struct hvd_guest *g, struct hvd_err *err)
{
	struct mkhv_dom *md = d->backend_priv;

	(void)be;
	if (!md || !md->w.pid || md->starting)
		return hvd_err_set(err, VIR_ERR_OPERATION_INVALID,
				   "domain is not running");
	*g = md->w.guest;
	return 0;
}

/*
 * hvd does not re-attach to workers after a restart yet, so it does not
 * leave them behind either: every worker dies with hvd.
 */
static void mkhv_close(struct backend *be)
{
	struct hvd *h = be->hvd;
	size_t i;

	for (i = 0; h && i < h->ndoms; i++) {
		struct mkhv_dom *md = h->doms[i]->backend_priv;

		if (md && md->w.pid) {
			unwatch(md);
			worker_kill(&md->w);
		}
		dom_release(h->doms[i]);
	}
	free(be->priv);
	be->priv = NULL;
}

static const struct backend_ops backend_mkhv_ops = {
	.name = "mkhv",
	.start = mkhv_start,
	.shutdown = mkhv_shutdown,
	.destroy = mkhv_destroy,
	.reboot = mkhv_reboot,
	.max_memory_kib = backend_host_memory_kib,
	.update = mkhv_update,
	.console_path = mkhv_console_path,
	.guest = mkhv_guest,
	.sync_time = mkhv_sync_time,
	.blk_stats = mkhv_blk_stats,
	.if_stats = mkhv_if_stats,
	.close = mkhv_close,
};

int backend_mkhv_open(const struct backend_cfg *cfg, struct backend *be,
		      struct hvd_err *err)
{
	const char *worker = cfg && cfg->worker ? cfg->worker : BACKEND_WORKER_DEFAULT;
	const char *log_dir = cfg && cfg->log_dir ? cfg->log_dir : BACKEND_LOG_DIR_DEFAULT;
	struct mkhv_be *b;

	if (access(worker, X_OK) < 0) {
		hvd_err_set(err, VIR_ERR_NO_SUPPORT,
			    "backend 'mkhv' needs the VM worker %s: %s", worker,
			    strerror(errno));
		return -ENODEV;
	}
	if (strlen(worker) >= PATH_MAX || strlen(log_dir) >= PATH_MAX) {
		hvd_err_set(err, VIR_ERR_INVALID_ARG, "path too long");
		return -ENAMETOOLONG;
	}
	b = calloc(1, sizeof(*b));
	if (!b) {
		hvd_err_set(err, VIR_ERR_NO_MEMORY, "%s", "");
		return -ENOMEM;
	}
	strcpy(b->worker, worker);
	strcpy(b->log_dir, log_dir);
	b->start_timeout_ms = cfg && cfg->start_timeout_ms > 0 ?
			      cfg->start_timeout_ms : MKHV_START_TIMEOUT_MS;
	be->ops = &backend_mkhv_ops;
	be->priv = b;
	return 0;
}
