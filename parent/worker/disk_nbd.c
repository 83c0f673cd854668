// SPDX-License-Identifier: GPL-2.0
/*
 * hvworker: qcow2 disks (disk_backend.h).  The qcow2 format is qemu's: the
 * worker starts qemu-storage-daemon on the image, exporting it over NBD on
 * a unix socket, and each I/O thread of the disk talks NBD on its own
 * connection (fixed newstyle handshake, NBD_OPT_GO, simple replies; the
 * protocol is the NBD project's doc/proto.md).  The daemon dies with the
 * worker (PR_SET_PDEATHSIG) or at disk_close().
 *
 * libnbd would do the client side, but hvworker is a static binary (the
 * parent's initramfs has no libc) and Debian's libnbd.a needs GnuTLS and
 * libxml2 static libraries; the client needed here is a few request types
 * on a trusted local socket.
 *
 * QEMU_STORAGE_DAEMON in the environment overrides the daemon's path.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "be_bytes.h"
#include "disk_backend.h"

#define NBD_MAGIC		0x4e42444d41474943ull	/* "NBDMAGIC" */
#define NBD_IHAVEOPT		0x49484156454f5054ull	/* "IHAVEOPT" */
#define NBD_REP_MAGIC		0x3e889045565a9ull
#define NBD_REQUEST_MAGIC	0x25609513u
#define NBD_SIMPLE_REPLY_MAGIC	0x67446698u
#define NBD_FLAG_FIXED_NEWSTYLE	0x1
#define NBD_FLAG_NO_ZEROES	0x2
#define NBD_OPT_GO		7
#define NBD_REP_ACK		1
#define NBD_REP_INFO		3
#define NBD_INFO_EXPORT		0
#define NBD_FLAG_READ_ONLY	0x2
#define NBD_FLAG_SEND_TRIM	0x20
#define NBD_CMD_FLAG_FUA	0x1
#define NBD_CMD_READ		0
#define NBD_CMD_WRITE		1
#define NBD_CMD_DISC		2
#define NBD_CMD_FLUSH		3
#define NBD_CMD_TRIM		4
#define NBD_MAX_CHUNK		(32u << 20)	/* qemu's NBD_MAX_BUFFER_SIZE */
#define EXPORT_NAME		"disk"
#define START_TIMEOUT_MS	30000	/* within hvd's 60 s for "state running" */

struct nbd {
	pid_t daemon;
	char sock[108];
	int fds[DISK_THREADS];
	unsigned int nfds;
	uint64_t handle;
};

static int xfer_all(int fd, bool out, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = out ? send(fd, p, len, MSG_NOSIGNAL) : recv(fd, p, len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Fixed-newstyle handshake and NBD_OPT_GO: size and transmission flags. */
static int nbd_handshake(int fd, uint64_t *size, uint16_t *tflags)
{
	uint8_t b[64];
	uint32_t nlen = sizeof(EXPORT_NAME) - 1;
	bool have_info = false;

	if (xfer_all(fd, false, b, 18))
		return -EPROTO;
	if (be_get64(b) != NBD_MAGIC || be_get64(b + 8) != NBD_IHAVEOPT ||
	    !((b[16] << 8 | b[17]) & NBD_FLAG_FIXED_NEWSTYLE))
		return -EPROTO;
	be_put32(b, NBD_FLAG_FIXED_NEWSTYLE | NBD_FLAG_NO_ZEROES);
	be_put64(b + 4, NBD_IHAVEOPT);
	be_put32(b + 12, NBD_OPT_GO);
	be_put32(b + 16, 4 + nlen + 2);
	be_put32(b + 20, nlen);
	memcpy(b + 24, EXPORT_NAME, nlen);
	b[24 + nlen] = 0;	/* no information requests */
	b[25 + nlen] = 0;
	if (xfer_all(fd, true, b, 26 + nlen))
		return -EPIPE;
	for (;;) {
		uint32_t type, len;
		uint8_t data[256];

		if (xfer_all(fd, false, b, 20) || be_get64(b) != NBD_REP_MAGIC ||
		    be_get32(b + 8) != NBD_OPT_GO)
			return -EPROTO;
		type = be_get32(b + 12);
		len = be_get32(b + 16);
		if (len > sizeof(data) || xfer_all(fd, false, data, len))
			return -EPROTO;
		if (type & 0x80000000u)
			return -ENOENT;		/* an error reply */
		if (type == NBD_REP_INFO && len >= 12 &&
		    (data[0] << 8 | data[1]) == NBD_INFO_EXPORT) {
			*size = be_get64(data + 2);
			*tflags = (uint16_t)(data[10] << 8 | data[11]);
			have_info = true;
		}
		if (type == NBD_REP_ACK)
			return have_info ? 0 : -EPROTO;
	}
}

static int nbd_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int e = -errno;

		close(fd);
		return e;
	}
	return fd;
}

/* One request and its simple reply on @fd; data from/to @iov. */
static int nbd_request(int fd, uint16_t type, uint16_t flags, uint64_t off,
		       uint32_t len, const struct iovec *iov, int iovcnt,
		       uint64_t handle)
{
	uint8_t h[28], r[16];
	uint32_t err;

	be_put32(h, NBD_REQUEST_MAGIC);
	h[4] = (uint8_t)(flags >> 8);
	h[5] = (uint8_t)flags;
	h[6] = (uint8_t)(type >> 8);
	h[7] = (uint8_t)type;
	be_put64(h + 8, handle);
	be_put64(h + 16, off);
	be_put32(h + 24, len);
	if (xfer_all(fd, true, h, sizeof(h)))
		return -EIO;
	if (type == NBD_CMD_WRITE) {
		for (int i = 0; i < iovcnt; i++)
			if (xfer_all(fd, true, iov[i].iov_base, iov[i].iov_len))
				return -EIO;
	}
	if (xfer_all(fd, false, r, sizeof(r)) || be_get32(r) != NBD_SIMPLE_REPLY_MAGIC ||
	    be_get64(r + 8) != handle)
		return -EIO;
	err = be_get32(r + 4);
	if (err)
		return err == 28 ? -ENOSPC : -EIO;
	if (type == NBD_CMD_READ) {
		for (int i = 0; i < iovcnt; i++)
			if (xfer_all(fd, false, iov[i].iov_base, iov[i].iov_len))
				return -EIO;
	}
	return 0;
}

/* The part of @iov covering [skip, skip + len) as @out (at most DISK_MAX_IOV). */
static int iov_slice(const struct iovec *iov, int cnt, uint64_t skip, uint64_t len,
		     struct iovec *out)
{
	int n = 0;

	for (int i = 0; i < cnt && len; i++) {
		uint64_t l = iov[i].iov_len;

		if (skip >= l) {
			skip -= l;
			continue;
		}
		out[n].iov_base = (uint8_t *)iov[i].iov_base + skip;
		out[n].iov_len = l - skip < len ? (size_t)(l - skip) : (size_t)len;
		len -= out[n].iov_len;
		skip = 0;
		n++;
	}
	return n;
}

static int nbd_run(struct disk *d, unsigned int tid, struct disk_io *io)
{
	struct nbd *b = d->priv;
	int fd = b->fds[tid < b->nfds ? tid : 0];
	uint64_t handle = __atomic_add_fetch(&b->handle, 1, __ATOMIC_RELAXED);
	struct iovec part[DISK_MAX_IOV];
	int ret = 0;

	switch (io->op) {
	case DISK_READ:
	case DISK_WRITE:
		for (uint64_t done = 0; done < io->len && !ret;) {
			uint32_t k = io->len - done > NBD_MAX_CHUNK ? NBD_MAX_CHUNK :
								     (uint32_t)(io->len - done);
			int n = iov_slice(io->iov, io->iovcnt, done, k, part);

			ret = nbd_request(fd, io->op == DISK_READ ? NBD_CMD_READ : NBD_CMD_WRITE,
					  io->op == DISK_WRITE && io->fua ? NBD_CMD_FLAG_FUA : 0,
					  io->off + done, k, part, n, handle);
			done += k;
		}
		return ret;
	case DISK_FLUSH:
		return nbd_request(fd, NBD_CMD_FLUSH, 0, 0, 0, NULL, 0, handle);
	case DISK_DISCARD:
		for (unsigned int i = 0; i < io->nranges && !ret; i++)
			ret = nbd_request(fd, NBD_CMD_TRIM, 0, io->ranges[i].off,
					  (uint32_t)io->ranges[i].len, NULL, 0, handle);
		return ret;
	}
	return -EINVAL;
}

static void nbd_stop(struct nbd *b)
{
	uint8_t h[28] = { 0 };

	for (unsigned int i = 0; i < b->nfds; i++) {
		be_put32(h, NBD_REQUEST_MAGIC);
		h[7] = NBD_CMD_DISC;
		xfer_all(b->fds[i], true, h, sizeof(h));
		close(b->fds[i]);
	}
	b->nfds = 0;
	if (b->daemon > 0) {
		kill(b->daemon, SIGTERM);
		waitpid(b->daemon, NULL, 0);
	}
	unlink(b->sock);
	free(b);
}

static void nbd_close(struct disk *d)
{
	nbd_stop(d->priv);
}

static const struct disk_ops nbd_ops = {
	.run = nbd_run,
	.close = nbd_close,
};

static pid_t start_daemon(const struct disk_spec *s, const char *sock)
{
	const char *qsd = getenv("QEMU_STORAGE_DAEMON");
	const char *ro = s->readonly ? "on" : "off";
	char file[4200], fmt[256], srv[256], exp[256];
	pid_t pid;

	/* cache=none/directsync: qemu opens the image with O_DIRECT */
	snprintf(file, sizeof(file),
		 "driver=file,node-name=file0,filename=%s,read-only=%s,discard=unmap,aio=threads,cache.direct=%s",
		 s->path, ro, disk_cache_direct(s->cache) ? "on" : "off");
	snprintf(fmt, sizeof(fmt),
		 "driver=qcow2,node-name=disk0,file=file0,read-only=%s,discard=unmap", ro);
	snprintf(srv, sizeof(srv), "addr.type=unix,addr.path=%s,max-connections=%d",
		 sock, DISK_THREADS + 1);
	snprintf(exp, sizeof(exp), "type=nbd,id=exp0,node-name=disk0,name=%s,writable=%s",
		 EXPORT_NAME, s->readonly ? "off" : "on");
	pid = fork();
	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		_exit(127);
	/* The worker's stdout is hvd's status stream: keep the daemon off it. */
	dup2(STDERR_FILENO, STDOUT_FILENO);
	if (!qsd)
		qsd = "qemu-storage-daemon";
	execlp(qsd, qsd, "--blockdev", file, "--blockdev", fmt, "--nbd-server", srv,
	       "--export", exp, (char *)NULL);
	fprintf(stderr, "hvworker: cannot run %s: %s\n", qsd, strerror(errno));
	_exit(127);
}

struct disk *disk_open_nbd(const struct disk_spec *s, unsigned int threads,
			   char *err, size_t errlen)
{
	static unsigned int seq;
	struct nbd *b = calloc(1, sizeof(*b));
	struct disk *d = calloc(1, sizeof(*d));
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	uint64_t size = 0;
	uint16_t tflags = 0;
	unsigned int want = threads ? (threads > DISK_THREADS ? DISK_THREADS : threads) : 1;
	int fd = -1, ret = 0;

	if (!b || !d) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (access(s->path, s->readonly ? R_OK : R_OK | W_OK)) {
		snprintf(err, errlen, "%s: %s", s->path, strerror(errno));
		goto fail;
	}
	snprintf(b->sock, sizeof(b->sock), "/tmp/hvworker-%d-nbd%u.sock", (int)getpid(), seq++);
	unlink(b->sock);
	b->daemon = start_daemon(s, b->sock);
	if (b->daemon < 0) {
		snprintf(err, errlen, "%s: fork: %s", s->path, strerror(errno));
		goto fail;
	}
	/* Wait for the socket; a daemon that exits (bad image) ends the wait. */
	for (int t = 0; t < START_TIMEOUT_MS / 20; t++) {
		fd = nbd_connect(b->sock);
		if (fd >= 0 || waitpid(b->daemon, NULL, WNOHANG) == b->daemon)
			break;
		nanosleep(&tick, NULL);
	}
	if (fd < 0) {
		snprintf(err, errlen, "%s: qemu-storage-daemon did not serve the qcow2 image (see the worker log)",
			 s->path);
		goto fail;
	}
	b->fds[b->nfds++] = fd;
	ret = nbd_handshake(fd, &size, &tflags);
	while (!ret && b->nfds < want) {
		uint64_t sz2;
		uint16_t f2;

		fd = nbd_connect(b->sock);
		ret = fd < 0 ? fd : 0;
		if (!ret) {
			b->fds[b->nfds++] = fd;
			ret = nbd_handshake(fd, &sz2, &f2);
		}
	}
	if (ret) {
		snprintf(err, errlen, "%s: NBD handshake with qemu-storage-daemon failed: %s",
			 s->path, strerror(-ret));
		goto fail;
	}
	if (size < 512) {
		snprintf(err, errlen, "%s: smaller than one 512-byte block", s->path);
		goto fail;
	}
	d->ops = &nbd_ops;
	d->priv = b;
	d->size = size & ~511ull;
	d->readonly = s->readonly || (tflags & NBD_FLAG_READ_ONLY);
	d->can_discard = !d->readonly && (tflags & NBD_FLAG_SEND_TRIM);
	{
		char id[4200];

		snprintf(id, sizeof(id), "qcow2:%s", s->path);
		disk_make_serial(d->serial, id);
	}
	if (disk_pool_start(d, want < threads ? want : threads)) {
		snprintf(err, errlen, "%s: cannot start I/O threads", s->path);
		d->ops = NULL;
		goto fail;
	}
	return d;
fail:
	if (b)
		nbd_stop(b);
	free(d);
	return NULL;
}
