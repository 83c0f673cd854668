// SPDX-License-Identifier: GPL-2.0
/*
 * hvd - mkhv's management daemon.  Serves libvirt's remote protocol on a
 * unix socket (and optionally TCP) so stock virsh and libvirt-python manage
 * mkhv domains:
 *
 *   virsh -c 'mkhv+unix:///system?socket=/run/mkhv/hvd-sock' list --all
 *
 * One thread, one poll() loop; each client has an input frame being
 * reassembled and an output buffer of encoded replies.
 */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "console.h"
#include "loop.h"
#include "rpc.h"

#define HVD_MAX_CLIENTS   1024
#define HVD_MAX_LISTENERS 8
#define HVD_OUT_HIGH      (4u << 20)  /* stop reading a client above this */
#define HVD_OPEN_TIMEOUT  30          /* s for a client to send CONNECT_OPEN */

struct conn {
	int fd;
	time_t since;
	struct rpc_client rc;
};

static struct {
	int listen[HVD_MAX_LISTENERS];
	int nlisten;
	struct conn *conns[HVD_MAX_CLIENTS];
	int nconns;
	const char *socket_path;
} srv;

static volatile sig_atomic_t quit;

static void on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

static void report(const char *msg)
{
	fprintf(stderr, "hvd: %s\n", msg);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hvd [--state-dir DIR] [--socket PATH] [--listen-tcp ADDR:PORT]\n"
		"           [--backend test|mkhv] [--worker PATH] [--log-dir DIR]\n"
		"Serves libvirt's remote protocol for mkhv; connect with\n"
		"  virsh -c 'mkhv+unix:///system?socket=PATH'\n"
		"defaults: --state-dir /var/lib/mkhv/hvd --socket /run/mkhv/hvd-sock\n"
		"          --backend test (in memory; mkhv runs VMs: one hvworker each)\n"
		"          --worker /usr/sbin/hvworker --log-dir /var/log/mkhv\n");
}

static int mkdir_parent(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* A socket file nobody listens on is a leftover from a crash. */
static void remove_stale(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return;
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0 &&
	    errno == ECONNREFUSED)
		unlink(sa->sun_path);
	close(fd);
}

static int listen_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int fd, ret;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	ret = mkdir_parent(path);
	if (ret)
		return ret;
	remove_stale(&sa);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	old = umask(0177);      /* the socket is born 0600 */
	ret = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (ret < 0 || chmod(path, 0600) < 0 || listen(fd, 256) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

static int listen_tcp(const char *spec)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV,
	};
	char host[256], *port;
	struct addrinfo *ai;
	int fd, one = 1, ret;

	snprintf(host, sizeof(host), "%s", spec);
	port = strrchr(host, ':');
	if (!port)
		return -EINVAL;
	*port++ = '\0';
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	if (getaddrinfo(host[0] ? host : NULL, port, &hints, &ai))
		return -EINVAL;
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		freeaddrinfo(ai);
		return -errno;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	ret = bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 256) < 0 ?
	      -errno : fd;
	freeaddrinfo(ai);
	if (ret < 0)
		close(fd);
	return ret;
}

static void conn_close(int i)
{
	struct conn *c = srv.conns[i];

	close(c->fd);
	rpc_client_free(&c->rc);
	free(c);
	srv.conns[i] = srv.conns[--srv.nconns];
}

static void accept_one(int lfd)
{
	struct conn *c;
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	if (srv.nconns == HVD_MAX_CLIENTS) {
		close(fd);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->fd = fd;
	c->since = time(NULL);
	srv.conns[srv.nconns++] = c;
}

/* Write what we can; returns -1 when the client is gone. */
static int conn_flush(struct conn *c)
{
	struct rpc_buf *o = &c->rc.out;

	while (o->off < o->len) {
		ssize_t n = send(c->fd, o->data + o->off, o->len - o->off,
				 MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		o->off += (size_t)n;
	}
	o->len = o->off = 0;
	console_flushed(&c->rc);
	return 0;
}

/* Read and dispatch; returns -1 when the client must be dropped. */
static int conn_read(struct hvd *h, struct conn *c)
{
	static uint8_t buf[65536];
	ssize_t n = recv(c->fd, buf, sizeof(buf), 0);

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n == 0)
		return -1;
	if (rpc_client_input(h, &c->rc, buf, (size_t)n) < 0) {
		conn_flush(c);
		return -1;
	}
	return 0;
}

static void serve(struct hvd *h)
{
	static struct pollfd pfd[HVD_MAX_LISTENERS + HVD_MAX_CLIENTS + LOOP_MAX];
	size_t nw;
	int i, n, base;

	while (!quit) {
		time_t now = time(NULL);

		for (i = 0; i < srv.nlisten; i++)
			pfd[i] = (struct pollfd){ .fd = srv.listen[i], .events = POLLIN };
		for (i = 0; i < srv.nconns; i++) {
			struct conn *c = srv.conns[i];
			short ev = c->rc.out.len - c->rc.out.off > HVD_OUT_HIGH ||
				   c->rc.closing ? 0 : POLLIN;

			if (c->rc.out.len > c->rc.out.off)
				ev |= POLLOUT;
			pfd[srv.nlisten + i] = (struct pollfd){ .fd = c->fd, .events = ev };
		}
		/* The backends' fds (workers, consoles) come last. */
		base = srv.nlisten + srv.nconns;
		nw = loop_fill(pfd + base, LOOP_MAX);
		n = poll(pfd, (nfds_t)base + nw, 1000);
		if (n < 0 && errno != EINTR) {
			report(strerror(errno));
			return;
		}
		if (n > 0)
			loop_dispatch(pfd + base, nw);
		/* Walk backwards: conn_close() moves the last client into i. */
		for (i = srv.nconns - 1; n > 0 && i >= 0; i--) {
			struct conn *c = srv.conns[i];
			short re = pfd[srv.nlisten + i].revents;
			bool drop = false;

			if (re & POLLIN)
				drop = conn_read(h, c) < 0;
			else if (re & (POLLHUP | POLLERR | POLLNVAL))
				drop = true;
			if (!drop && c->rc.out.len > c->rc.out.off)
				drop = conn_flush(c) < 0;
			if (!drop && c->rc.closing && c->rc.out.len == 0)
				drop = true;
			if (drop)
				conn_close(i);
		}
		for (i = srv.nconns - 1; i >= 0; i--)
			if (!srv.conns[i]->rc.open &&
			    now - srv.conns[i]->since > HVD_OPEN_TIMEOUT)
				conn_close(i);
		for (i = 0; n > 0 && i < srv.nlisten; i++)
			if (pfd[i].revents & POLLIN)
				accept_one(srv.listen[i]);
	}
}

struct opts {
	const char *state_dir, *socket, *tcp, *backend;
	struct backend_cfg cfg;
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "state-dir", required_argument, NULL, 'd' },
		{ "socket", required_argument, NULL, 's' },
		{ "listen-tcp", required_argument, NULL, 't' },
		{ "backend", required_argument, NULL, 'b' },
		{ "worker", required_argument, NULL, 'w' },
		{ "log-dir", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct opts){ "/var/lib/mkhv/hvd", "/run/mkhv/hvd-sock", NULL, "test",
			    { NULL, NULL, 0 } };
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'd':
			o->state_dir = optarg;
			break;
		case 's':
			o->socket = optarg;
			break;
		case 't':
			o->tcp = optarg;
			break;
		case 'b':
			o->backend = optarg;
			break;
		case 'w':
			o->cfg.worker = optarg;
			break;
		case 'l':
			o->cfg.log_dir = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("hvd %s\n", MKHV_VERSION);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -1;
	}
	return 0;
}

static int open_listeners(const struct opts *o)
{
	int fd = listen_unix(o->socket);

	if (fd < 0) {
		fprintf(stderr, "hvd: cannot listen on %s: %s\n", o->socket,
			strerror(-fd));
		return -1;
	}
	srv.listen[srv.nlisten++] = fd;
	srv.socket_path = o->socket;
	if (!o->tcp)
		return 0;
	fd = listen_tcp(o->tcp);
	if (fd < 0) {
		fprintf(stderr, "hvd: cannot listen on tcp %s: %s\n", o->tcp,
			strerror(-fd));
		return -1;
	}
	srv.listen[srv.nlisten++] = fd;
	fprintf(stderr, "hvd: WARNING: listening on tcp %s without TLS or SASL: "
		"anyone who reaches it has full control; use only on an "
		"isolated management network\n", o->tcp);
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct backend be;
	struct hvd_err err;
	struct opts o;
	struct hvd h;
	int n, i;

	if (parse_opts(argc, argv, &o))
		return 2;
	/* Workers are reaped through pidfds; SIGCHLD must not be ignored. */
	signal(SIGCHLD, SIG_DFL);
	if (backend_open_cfg(o.backend, &o.cfg, &be, &err)) {
		fprintf(stderr, "hvd: %s\n", err.msg);
		return 1;
	}
	if (hvd_init(&h, o.state_dir, &be, &err)) {
		fprintf(stderr, "hvd: %s\n", err.msg);
		return 1;
	}
	n = hvd_load(&h, report);
	if (n < 0) {
		fprintf(stderr, "hvd: cannot read %s: %s\n", o.state_dir, strerror(-n));
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (open_listeners(&o))
		return 1;
	hvd_autostart(&h, report);
	fprintf(stderr, "hvd: %s backend, %d domain(s) from %s, listening on %s\n",
		be.ops->name, n, o.state_dir, o.socket);
	serve(&h);
	for (i = srv.nconns - 1; i >= 0; i--)
		conn_close(i);
	for (i = 0; i < srv.nlisten; i++)
		close(srv.listen[i]);
	unlink(srv.socket_path);
	backend_close(&be);     /* before the domains it knows go */
	hvd_fini(&h);
	return 0;
}
