// SPDX-License-Identifier: GPL-2.0
/* hvd: one hvworker process, seen from hvd (worker_proc.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "worker_proc.h"

#define WORKER_WEIGHT_MAX 262144
#define WORKER_DISKS_MAX  8	/* hvworker's SCSI controller: LUNs 0-7 */

/* ---- command line ---- */

unsigned int worker_cap_permille(const struct domain_def *def)
{
	uint64_t cap, max = 1000ull * (def->vcpus ? def->vcpus : 1);

	if (def->quota_us <= 0 || !def->period_us)
		return 0;
	cap = (uint64_t)def->quota_us * 1000 / def->period_us;
	if (cap < 1)
		cap = 1;
	return (unsigned int)(cap > max ? max : cap);
}

struct argv_builder {
	char **argv;
	int argc;
	char *store;
	size_t left;
	bool full;
};

static void arg(struct argv_builder *b, const char *s)
{
	size_t n = strlen(s) + 1;

	if (b->argc >= WORKER_ARGV_MAX - 1 || n > b->left) {
		b->full = true;
		return;
	}
	memcpy(b->store, s, n);
	b->argv[b->argc++] = b->store;
	b->store += n;
	b->left -= n;
}

static void arg_u64(struct argv_builder *b, const char *opt, uint64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRIu64, v);
	arg(b, opt);
	arg(b, num);
}

/* --nic bridge=BR|network=NAME[,mac=..] for each <interface>. */
static void arg_nics(struct argv_builder *b, const struct domain_def *def)
{
	for (size_t i = 0; i < def->nnets; i++) {
		const struct domain_net *n = &def->nets[i];
		char spec[128];
		int len;

		len = snprintf(spec, sizeof(spec), "%s=%s",
			       n->type == DOMAIN_NET_BRIDGE ? "bridge" : "network",
			       n->source ? n->source : "");
		if (n->mac_set && len > 0 && (size_t)len < sizeof(spec))
			snprintf(spec + len, sizeof(spec) - (size_t)len,
				 ",mac=%02x:%02x:%02x:%02x:%02x:%02x", n->mac[0],
				 n->mac[1], n->mac[2], n->mac[3], n->mac[4], n->mac[5]);
		arg(b, "--nic");
		arg(b, spec);
	}
}

/*
 * One --disk PATH[,format=qcow2][,readonly][,cache=MODE] per <disk>, LUN =
 * order.  cache= only when the XML names a mode other than "default".
 */
static int arg_disks(struct argv_builder *b, const struct domain_def *def,
		     char *err, size_t errlen)
{
	char spec[4200];

	if (def->ndisks > WORKER_DISKS_MAX) {
		snprintf(err, errlen, "domain '%s' has %zu disks: at most %d",
			 def->name, def->ndisks, WORKER_DISKS_MAX);
		return -EINVAL;
	}
	for (size_t i = 0; i < def->ndisks; i++) {
		const struct domain_disk *d = &def->disks[i];
		const char *cache = domain_disk_cache_given(d->cache);

		if (!d->source || !d->source[0] || strchr(d->source, ',') ||
		    strlen(d->source) >= 4096) {
			snprintf(err, errlen, "domain '%s': disk %zu needs a source path "
				 "without commas", def->name, i);
			return -EINVAL;
		}
		snprintf(spec, sizeof(spec), "%s%s%s%s%s", d->source,
			 d->format == DOMAIN_DISK_QCOW2 ? ",format=qcow2" : "",
			 d->readonly ? ",readonly" : "",
			 cache ? ",cache=" : "", cache ? cache : "");
		arg(b, "--disk");
		arg(b, spec);
	}
	return 0;
}

int worker_argv(const struct domain_def *def, const char *worker,
		const char *console_log, char **argv, char *store,
		size_t storelen, char *err, size_t errlen)
{
	struct argv_builder b = { argv, 0, store, storelen, false };
	unsigned int cap = worker_cap_permille(def);

	if (!def->kernel || !def->kernel[0]) {
		snprintf(err, errlen, "domain '%s' has no <os><kernel>: mkhv "
			 "boots a kernel directly", def->name);
		return -EINVAL;
	}
	arg(&b, worker);
	arg(&b, "--name");
	arg(&b, def->name);
	arg_u64(&b, "--memory", (def->memory_kib + 1023) / 1024);
	arg_u64(&b, "--vcpus", def->vcpus);
	arg(&b, "--kernel");
	arg(&b, def->kernel);
	if (def->initrd) {
		arg(&b, "--initrd");
		arg(&b, def->initrd);
	}
	if (def->cmdline) {
		arg(&b, "--cmdline");
		arg(&b, def->cmdline);
	}
	if (def->shares)
		arg_u64(&b, "--weight", def->shares > WORKER_WEIGHT_MAX ?
			WORKER_WEIGHT_MAX : def->shares);
	if (cap)
		arg_u64(&b, "--cap", cap);
	if (arg_disks(&b, def, err, errlen))
		return -EINVAL;
	arg(&b, "--console-pty");
	arg(&b, "--console-log");
	arg(&b, console_log);
	arg_u64(&b, "--control-fd", WORKER_CONTROL_FD);
	arg_nics(&b, def);
	if (b.full) {
		snprintf(err, errlen, "hvworker command line of domain '%s' is "
			 "too long", def->name);
		return -ENOSPC;
	}
	argv[b.argc] = NULL;
	return b.argc;
}

/* ---- process ---- */

static void child_exec(const char *path, char *const argv[], int out,
		       int log, int ctl)
{
	int null = open("/dev/null", O_RDONLY);
	sigset_t none;

	/* fds 0-3 as the worker expects; everything else is O_CLOEXEC. */
	if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 ||
	    dup2(log, 2) < 0 || dup2(ctl, WORKER_CONTROL_FD) < 0)
		_exit(1);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	setsid();
	execv(path, argv);
	dprintf(1, "hvworker: state error\nhvworker: detail cannot run %s: %s\n",
		path, strerror(errno));
	_exit(1);
}

static void worker_reset(struct worker_proc *w)
{
	memset(w, 0, sizeof(*w));
	w->pidfd = w->out_fd = w->ctl_fd = -1;
}

int worker_spawn(struct worker_proc *w, const char *path, char *const argv[],
		 const char *stderr_log, char *err, size_t errlen)
{
	int out[2] = { -1, -1 }, ctl[2] = { -1, -1 }, log = -1, ret;
	pid_t pid;

	worker_reset(w);
	log = open(stderr_log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (log < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot open %s: %s", stderr_log,
			 strerror(errno));
		return ret;
	}
	if (pipe2(out, O_CLOEXEC) < 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ctl) < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot create the worker's pipes: %s",
			 strerror(errno));
		goto fail;
	}
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot fork: %s", strerror(errno));
		goto fail;
	}
	if (pid == 0)
		child_exec(path, argv, out[1], log, ctl[1]);
	close(out[1]);
	close(ctl[1]);
	close(log);
	w->pid = pid;
	w->out_fd = out[0];
	w->ctl_fd = ctl[0];
	fcntl(w->out_fd, F_SETFL, O_NONBLOCK);
#ifdef SYS_pidfd_open
	w->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (w->pidfd >= 0)
		fcntl(w->pidfd, F_SETFD, FD_CLOEXEC);
	else
		w->pidfd = -1;
#endif
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (ctl[i] >= 0)
			close(ctl[i]);
	}
	close(log);
	return ret;
}

/* ---- status lines ---- */

/* A pty path a worker may name: /dev/pts/<digits>, nothing else. */
static bool pty_path_ok(const char *p)
{
	const char *d = p + strlen("/dev/pts/");

	if (strncmp(p, "/dev/pts/", strlen("/dev/pts/")) || !*d ||
	    strlen(d) > 9)
		return false;
	for (; *d; d++)
		if (*d < '0' || *d > '9')
			return false;
	return true;
}

/* "N MAC tap NAME bridge BR": NIC N's tap, a plain interface name. */
static void nic_line(struct worker_proc *w, const char *line)
{
	char mac[18], tap[16], *end;
	unsigned long idx;
	int used = 0;

	errno = 0;
	idx = strtoul(line, &end, 10);
	if (errno || end == line || *end != ' ' || idx >= DOMAIN_NETS_MAX)
		return;
	if (sscanf(end, " %17s tap %15[A-Za-z0-9_.-]%n", mac, tap, &used) != 2 ||
	    (end[used] && end[used] != ' '))
		return;
	snprintf(w->tap[idx], sizeof(w->tap[idx]), "%s", tap);
}

void worker_parse_line(struct worker_proc *w, const char *line)
{
	static const char pre[] = "hvworker: ";
	const char *v;

	if (strncmp(line, pre, sizeof(pre) - 1))
		return;
	line += sizeof(pre) - 1;
	if (!strncmp(line, "partition ", 10)) {
		char *end;
		unsigned long long id;

		errno = 0;
		id = strtoull(line + 10, &end, 10);
		if (!errno && !*end && end != line + 10)
			w->partition = id;
	} else if (!strncmp(line, "console-pty ", 12)) {
		v = line + 12;
		if (pty_path_ok(v))
			snprintf(w->pty, sizeof(w->pty), "%s", v);
	} else if (!strncmp(line, "state ", 6)) {
		hvd_copy_printable(w->state, sizeof(w->state), line + 6);
		if (!strcmp(w->state, "running"))
			w->running = true;
	} else if (!strncmp(line, "nic ", 4)) {
		nic_line(w, line + 4);
	} else if (!strncmp(line, "detail ", 7)) {
		hvd_copy_printable(w->detail, sizeof(w->detail), line + 7);
	} else if (hvd_guest_status_line(&w->guest, line) == 2) {
		w->hung_event = true;
	}
}

int worker_read_status(struct worker_proc *w)
{
	char buf[1024];
	int rounds = 0;

	/* At most 64 KiB per call: a chatty worker must not stall hvd. */
	while (w->out_fd >= 0 && rounds++ < 64) {
		ssize_t n = read(w->out_fd, buf, sizeof(buf));
		ssize_t i;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? 0 : -errno;
		}
		if (n == 0) {
			if (w->have && !w->skipping) {
				w->line[w->have] = '\0';
				worker_parse_line(w, w->line);
			}
			w->have = 0;
			close(w->out_fd);
			w->out_fd = -1;
			return 1;
		}
		for (i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				w->line[w->have] = '\0';
				if (!w->skipping)
					worker_parse_line(w, w->line);
				w->have = 0;
				w->skipping = false;
			} else if (w->have < WORKER_LINE_MAX) {
				w->line[w->have++] = buf[i];
			} else {
				w->skipping = true;	/* cut: ignore the rest */
			}
		}
	}
	return w->out_fd < 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- control channel ---- */

int worker_request(struct worker_proc *w, const char *cmd, char *reply,
		   size_t len, int timeout_ms)
{
	char buf[WORKER_LINE_MAX + 1], junk[256];
	size_t have = 0, n = strlen(cmd);
	int64_t end = now_ms() + timeout_ms;

	if (w->ctl_fd < 0)
		return -ENOTCONN;
	/* A late answer to an earlier, timed-out request is dropped. */
	while (recv(w->ctl_fd, junk, sizeof(junk), MSG_DONTWAIT) > 0)
		;
	if (send(w->ctl_fd, cmd, n, MSG_NOSIGNAL | MSG_DONTWAIT) != (ssize_t)n ||
	    send(w->ctl_fd, "\n", 1, MSG_NOSIGNAL | MSG_DONTWAIT) != 1)
		return errno ? -errno : -EIO;
	for (;;) {
		struct pollfd p = { .fd = w->ctl_fd, .events = POLLIN };
		int64_t left = end - now_ms();
		char *nl;
		ssize_t r;

		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		r = recv(w->ctl_fd, buf + have, sizeof(buf) - 1 - have,
			 MSG_DONTWAIT);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -ECONNRESET;
		have += (size_t)r;
		buf[have] = '\0';
		nl = memchr(buf, '\n', have);
		if (nl) {
			*nl = '\0';
			hvd_copy_printable(reply, len, buf);
			return 0;
		}
		if (have == sizeof(buf) - 1)
			return -EMSGSIZE;
	}
}

/* "stats cpu_time_ns=N ..." -> N; -EINVAL for anything else. */
int worker_parse_stats(const char *reply, uint64_t *ns)
{
	const char *p = strstr(reply, " cpu_time_ns=");
	char *end;
	unsigned long long v;

	if (strncmp(reply, "stats ", 6) || !p)
		return -EINVAL;
	p += strlen(" cpu_time_ns=");
	if (*p < '0' || *p > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(p, &end, 10);
	if (errno || (*end && *end != ' '))
		return -EINVAL;
	*ns = v;
	return 0;
}

int worker_parse_counters(const char *reply, const char *word,
			  const char *const *keys, size_t n, uint64_t *v)
{
	const char *p = reply;
	size_t i, l = strlen(word);

	if (strncmp(p, word, l))
		return -EINVAL;
	p += l;
	for (i = 0; i < n; i++) {
		size_t k = strlen(keys[i]);
		char *end;

		if (*p++ != ' ' || strncmp(p, keys[i], k) || p[k] != '=')
			return -EINVAL;
		p += k + 1;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		errno = 0;
		v[i] = strtoull(p, &end, 10);
		if (errno)
			return -EINVAL;
		p = end;
	}
	return *p ? -EINVAL : 0;
}

/* ---- end ---- */

void worker_close_fds(struct worker_proc *w)
{
	if (w->out_fd >= 0)
		close(w->out_fd);
	if (w->pidfd >= 0)
		close(w->pidfd);
	if (w->ctl_fd >= 0)
		close(w->ctl_fd);
	w->out_fd = w->pidfd = w->ctl_fd = -1;
}

int worker_reap(struct worker_proc *w, bool block, int *status)
{
	pid_t r;

	if (!w->pid)
		return -ECHILD;
	do
		r = waitpid(w->pid, status, block ? 0 : WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	if (r == 0)
		return 0;
	/* Whatever it printed last (its "state"/"detail") is read now. */
	if (w->out_fd >= 0)
		worker_read_status(w);
	worker_close_fds(w);
	w->pid = 0;
	return 1;
}

int worker_kill(struct worker_proc *w)
{
	int status = 0;

	if (!w->pid)
		return 0;
	kill(w->pid, SIGKILL);
	worker_reap(w, true, &status);
	return status;
}
