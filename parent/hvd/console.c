// SPDX-License-Identifier: GPL-2.0
/* hvd: `virsh console` streams over a domain's console pty (console.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "console.h"
#include "loop.h"
#include "rpc.h"

struct console {
	struct rpc_client *c;
	unsigned int serial;
	int fd;                 /* the pty; -1 once it hung up */
	bool throttled;         /* not read until the client drains */
	char pty[64];
	struct console *next;
};

static struct console *consoles;

static size_t backlog(const struct rpc_client *c)
{
	return c->out.len - c->out.off;
}

static void put(struct console *con, int status, const void *data, size_t len)
{
	rpc_put_stream(&con->c->out, REMOTE_PROC_DOMAIN_OPEN_CONSOLE,
		       con->serial, status, data, len);
}

static void close_pty(struct console *con)
{
	if (con->fd < 0)
		return;
	loop_del(con->fd);
	close(con->fd);
	con->fd = -1;
}

static void console_free(struct console *con)
{
	struct console **p;

	close_pty(con);
	for (p = &consoles; *p; p = &(*p)->next) {
		if (*p == con) {
			*p = con->next;
			break;
		}
	}
	if (con->c->console == con)
		con->c->console = NULL;
	free(con);
}

static void on_pty(void *opaque, int fd, short revents)
{
	static uint8_t buf[CONSOLE_READ_MAX];
	struct console *con = opaque;
	ssize_t n;

	(void)revents;
	if (backlog(con->c) > CONSOLE_OUT_HIGH) {
		con->throttled = true;
		loop_set_events(fd, 0);
		return;
	}
	n = read(fd, buf, sizeof(buf));
	if (n > 0) {
		put(con, HVD_MSG_CONTINUE, buf, (size_t)n);
		return;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	/* EOF or EIO: the worker (the pty's master) is gone. */
	close_pty(con);
	put(con, HVD_MSG_OK, NULL, 0);
}

static int open_pty(const char *path, struct hvd_err *err)
{
	struct termios t;
	/* O_NOCTTY: hvd runs in its own session, the pty must not become its tty. */
	int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return hvd_err_set(err, VIR_ERR_OPERATION_FAILED,
				   "cannot open console %s: %s", path,
				   strerror(errno));
	if (!isatty(fd)) {
		close(fd);
		return hvd_err_set(err, VIR_ERR_OPERATION_FAILED,
				   "console %s is not a terminal", path);
	}
	/* A serial line: raw bytes both ways, no echo. */
	if (!tcgetattr(fd, &t)) {
		cfmakeraw(&t);
		tcsetattr(fd, TCSANOW, &t);
	}
	return fd;
}

int console_attach(struct rpc_client *c, unsigned int serial, const char *pty,
		   bool force, struct hvd_err *err)
{
	struct console *con, *old;

	if (c->console)
		return hvd_err_set(err, VIR_ERR_OPERATION_FAILED,
				   "this connection has a console open already");
	if (strlen(pty) >= sizeof(con->pty))
		return hvd_err_set(err, VIR_ERR_INTERNAL_ERROR,
				   "console path too long");
	for (old = consoles; old; old = old->next)
		if (!strcmp(old->pty, pty))
			break;
	if (old && !force)
		return hvd_err_set(err, VIR_ERR_OPERATION_FAILED,
				   "Active console session exists for this domain");
	con = calloc(1, sizeof(*con));
	if (!con)
		return hvd_err_set(err, VIR_ERR_NO_MEMORY, "%s", "");
	con->fd = open_pty(pty, err);
	if (con->fd < 0) {
		free(con);
		return -1;
	}
	if (old) {
		/* --force: the other session ends with an error, as in libvirt. */
		struct hvd_err e;

		hvd_err_set(&e, VIR_ERR_OPERATION_FAILED,
			    "console taken over by another session");
		rpc_put_stream_error(&old->c->out, REMOTE_PROC_DOMAIN_OPEN_CONSOLE,
				     old->serial, &e);
		console_free(old);
	}
	if (loop_add(con->fd, POLLIN, on_pty, con)) {
		close(con->fd);
		free(con);
		return hvd_err_set(err, VIR_ERR_INTERNAL_ERROR,
				   "too many open consoles");
	}
	con->c = c;
	con->serial = serial;
	snprintf(con->pty, sizeof(con->pty), "%s", pty);
	con->next = consoles;
	consoles = con;
	c->console = con;
	return 0;
}

/* Keystrokes: written as they come; what a full pty refuses is dropped. */
static void to_pty(struct console *con, const uint8_t *data, size_t len)
{
	while (con->fd >= 0 && len) {
		ssize_t n = write(con->fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		data += n;
		len -= (size_t)n;
	}
}

void console_stream(struct rpc_client *c, const struct hvd_msg_header *hdr,
		    const uint8_t *data, size_t len)
{
	struct console *con = c->console;

	/* Packets of a stream that is gone (or never was) are dropped. */
	if (!con || hdr->serial != con->serial ||
	    hdr->proc != REMOTE_PROC_DOMAIN_OPEN_CONSOLE)
		return;
	if (hdr->status == HVD_MSG_CONTINUE) {
		to_pty(con, data, len);
		return;
	}
	/* Finish (OK) or abort (ERROR): confirm with an empty OK and close. */
	put(con, HVD_MSG_OK, NULL, 0);
	console_free(con);
}

void console_detach(struct rpc_client *c)
{
	if (c->console)
		console_free(c->console);
}

void console_flushed(struct rpc_client *c)
{
	struct console *con = c->console;

	if (con && con->throttled && con->fd >= 0 &&
	    backlog(c) <= CONSOLE_OUT_HIGH / 2) {
		con->throttled = false;
		loop_set_events(con->fd, POLLIN);
	}
}
