/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvd's side of one hvworker process (parent/worker/worker.h): its command
 * line from the domain definition, spawning it, its status lines (stdout
 * pipe), its control channel (a socketpair, --control-fd 3) and reaping it.
 * The worker is less trusted than hvd (a guest may own it): every line it
 * sends is length-bounded and checked before use.
 */
#ifndef MKHV_HVD_WORKER_PROC_H
#define MKHV_HVD_WORKER_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "domain.h"
#include "guest.h"

#define WORKER_LINE_MAX   512   /* longer status lines are cut */
#define WORKER_PATH_MAX   256
#define WORKER_CONTROL_FD 3     /* where the worker finds its channel */
#define WORKER_ARGV_MAX   64

struct worker_proc {
	pid_t pid;              /* 0 when none */
	int pidfd;              /* -1 without pidfd_open() */
	int out_fd;             /* status pipe (non-blocking), -1 at EOF */
	int ctl_fd;             /* control socket, -1 when none */
	char line[WORKER_LINE_MAX + 1];
	size_t have;            /* bytes of a partial line in @line */
	bool skipping;          /* inside an over-long line */
	bool running;           /* "state running" seen */
	uint64_t partition;
	char pty[WORKER_PATH_MAX];     /* "console-pty", checked */
	char state[16];                /* last "state" word */
	char detail[WORKER_LINE_MAX];  /* last "detail" text */
	struct hvd_guest guest;        /* its "heartbeat", "kvp", "vmbus" lines */
	char tap[DOMAIN_NETS_MAX][16]; /* "nic N ... tap NAME": NIC N's tap */
	bool hung_event;               /* the guest went from alive to hung */
};

/*
 * worker_argv() - hvworker's arguments for @def into @argv (at most
 * WORKER_ARGV_MAX - 1 entries and a NULL), strings in @store (@storelen
 * bytes).  @console_log: the console log file.  Return: argc, or -EINVAL
 * (@err says why: no <kernel>) / -ENOSPC.
 */
int worker_argv(const struct domain_def *def, const char *worker,
		const char *console_log, char **argv, char *store,
		size_t storelen, char *err, size_t errlen);

/* worker_cap_permille() - <period>/<quota> as hvworker's --cap, 0 = none. */
unsigned int worker_cap_permille(const struct domain_def *def);

/*
 * worker_spawn() - start @path with @argv: stdout to a pipe hvd reads,
 * stderr appended to @stderr_log, one end of a socketpair on fd 3, stdin
 * /dev/null, in its own session.  Return: 0 or -errno (@err says why).
 * An exec failure shows up as the worker's "state error" and exit 1.
 */
int worker_spawn(struct worker_proc *w, const char *path, char *const argv[],
		 const char *stderr_log, char *err, size_t errlen);

/*
 * worker_parse_line() - take one status line (no newline) into @w: its
 * state, console and partition, and what the guest's integration services
 * said (w->guest); a guest that stops answering its heartbeat after
 * answering it sets w->hung_event for the backend's policy.
 */
void worker_parse_line(struct worker_proc *w, const char *line);

/*
 * worker_read_status() - read what the status pipe has (non-blocking) and
 * parse every whole line.  Return: 1 at EOF (out_fd closed), 0 otherwise,
 * -errno on a read error.
 */
int worker_read_status(struct worker_proc *w);

/*
 * worker_request() - send @cmd on the control channel and read the one
 * line answer into @reply within @timeout_ms.  0 or -errno.
 */
int worker_request(struct worker_proc *w, const char *cmd, char *reply,
		   size_t len, int timeout_ms);

/* worker_parse_stats() - "stats cpu_time_ns=N ..." -> N; else -EINVAL. */
int worker_parse_stats(const char *reply, uint64_t *ns);

/*
 * worker_parse_counters() - a counters answer "WORD k1=N k2=N ..." with
 * exactly the @n keys @keys in that order, into @v.  0, or -EINVAL for
 * anything else (an "error ..." answer, a missing or extra field, junk).
 */
int worker_parse_counters(const char *reply, const char *word,
			  const char *const *keys, size_t n, uint64_t *v);

/*
 * worker_reap() - waitpid; @block waits.  Return: 1 with *@status when
 * reaped (fds closed, w->pid 0), 0 when still running, -errno.
 */
int worker_reap(struct worker_proc *w, bool block, int *status);

/* worker_kill() - SIGKILL and reap; returns the wait status. */
int worker_kill(struct worker_proc *w);

/* worker_close_fds() - close the pipe, pidfd and control socket. */
void worker_close_fds(struct worker_proc *w);

#endif /* MKHV_HVD_WORKER_PROC_H */
