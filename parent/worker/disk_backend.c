// SPDX-License-Identifier: GPL-2.0
/* hvworker: disk backing stores and their I/O thread pool (disk_backend.h). */
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <limits.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/uio.h>
#include <linux/magic.h>
#include <time.h>
#include <unistd.h>

#include "disk_backend.h"

/* ---- --disk PATH[,format=raw|qcow2][,readonly][,cache=MODE] ----------- */

static const char *const cache_names[] = {
	[DISK_CACHE_WRITEBACK] = "writeback",
	[DISK_CACHE_NONE] = "none",
	[DISK_CACHE_WRITETHROUGH] = "writethrough",
	[DISK_CACHE_DIRECTSYNC] = "directsync",
	[DISK_CACHE_UNSAFE] = "unsafe",
};

static int cache_parse(const char *v, size_t n, enum disk_cache *c)
{
	for (size_t i = 0; i < sizeof(cache_names) / sizeof(cache_names[0]); i++) {
		if (strlen(cache_names[i]) == n && !strncmp(v, cache_names[i], n)) {
			*c = (enum disk_cache)i;
			return 0;
		}
	}
	return -EINVAL;
}

bool disk_cache_direct(enum disk_cache c)
{
	return c == DISK_CACHE_NONE || c == DISK_CACHE_DIRECTSYNC;
}

/* No volatile cache for the guest: every write durable when it completes. */
static bool cache_sync(enum disk_cache c)
{
	return c == DISK_CACHE_WRITETHROUGH || c == DISK_CACHE_DIRECTSYNC;
}

int disk_spec_parse(const char *arg, struct disk_spec *s, char *err, size_t errlen)
{
	const char *p = arg ? strchr(arg, ',') : NULL;
	size_t plen = p ? (size_t)(p - arg) : (arg ? strlen(arg) : 0);

	memset(s, 0, sizeof(*s));
	if (!plen || plen >= sizeof(s->path)) {
		snprintf(err, errlen, "--disk: a path is required");
		return -EINVAL;
	}
	memcpy(s->path, arg, plen);
	while (p) {
		const char *opt = p + 1, *next = strchr(opt, ',');
		size_t n = next ? (size_t)(next - opt) : strlen(opt);

		if (n == 10 && !strncmp(opt, "format=raw", n)) {
			s->format = DISK_FORMAT_RAW;
		} else if (n == 12 && !strncmp(opt, "format=qcow2", n)) {
			s->format = DISK_FORMAT_QCOW2;
		} else if (n == 8 && !strncmp(opt, "readonly", n)) {
			s->readonly = true;
		} else if (n > 6 && !strncmp(opt, "cache=", 6)) {
			if (cache_parse(opt + 6, n - 6, &s->cache))
				goto bad;
		} else {
			goto bad;
		}
		p = next;
		continue;
bad:
		snprintf(err, errlen, "--disk %s: unknown option '%.*s' (format=raw|qcow2, readonly, cache=none|writeback|writethrough|directsync|unsafe)",
			 s->path, (int)n, opt);
		return -EINVAL;
	}
	return 0;
}

/* ---- thread pool ------------------------------------------------------- */

struct disk_pool {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct disk_io *head, **tail;
	bool stop;
	unsigned int started;
	pthread_t threads[DISK_THREADS];
	struct disk *disk;
	unsigned int next_tid;
};

uint64_t disk_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void disk_count(struct disk *d, enum disk_op op, uint64_t bytes, int result)
{
	_Atomic uint64_t *req, *b = NULL;

	switch (op) {
	case DISK_READ:
		req = &d->rd_req;
		b = &d->rd_bytes;
		break;
	case DISK_WRITE:
		req = &d->wr_req;
		b = &d->wr_bytes;
		break;
	case DISK_FLUSH:
		req = &d->fl_req;
		break;
	default:
		return;
	}
	if (result) {
		atomic_fetch_add_explicit(&d->errs, 1, memory_order_relaxed);
		return;
	}
	atomic_fetch_add_explicit(req, 1, memory_order_relaxed);
	if (b)
		atomic_fetch_add_explicit(b, bytes, memory_order_relaxed);
}

void disk_get_stats(struct disk *d, struct disk_stats *st)
{
	st->rd_req = atomic_load_explicit(&d->rd_req, memory_order_relaxed);
	st->rd_bytes = atomic_load_explicit(&d->rd_bytes, memory_order_relaxed);
	st->wr_req = atomic_load_explicit(&d->wr_req, memory_order_relaxed);
	st->wr_bytes = atomic_load_explicit(&d->wr_bytes, memory_order_relaxed);
	st->fl_req = atomic_load_explicit(&d->fl_req, memory_order_relaxed);
	st->errs = atomic_load_explicit(&d->errs, memory_order_relaxed);
}

void disk_blkstats(struct disk *d, char *reply, size_t len)
{
	struct disk_stats st;

	disk_get_stats(d, &st);
	snprintf(reply, len, "blkstats rd_req=%llu rd_bytes=%llu wr_req=%llu wr_bytes=%llu fl_req=%llu errs=%llu",
		 (unsigned long long)st.rd_req, (unsigned long long)st.rd_bytes,
		 (unsigned long long)st.wr_req, (unsigned long long)st.wr_bytes,
		 (unsigned long long)st.fl_req, (unsigned long long)st.errs);
}

/* @io finished with io->result: count it, then tell its owner. */
static void complete(struct disk *d, struct disk_io *io)
{
	disk_count(d, io->op, io->len, io->result);
	io->done(io);
}

static void run_one(struct disk *d, unsigned int tid, struct disk_io *io)
{
	io->start_ns = disk_now_ns();
	io->result = d->ops->run(d, tid, io);
	io->end_ns = disk_now_ns();
	complete(d, io);
}

static void *pool_main(void *arg)
{
	struct disk *d = arg;
	struct disk_pool *p = d->pool;
	unsigned int tid;
	struct disk_io *io;

	pthread_mutex_lock(&p->lock);
	tid = p->next_tid++;
	pthread_mutex_unlock(&p->lock);
	if (d->ops->thread_init && d->ops->thread_init(d, tid))
		fprintf(stderr, "hvworker: disk: I/O thread %u could not connect\n", tid);
	for (;;) {
		pthread_mutex_lock(&p->lock);
		while (!p->head && !p->stop)
			pthread_cond_wait(&p->cond, &p->lock);
		io = p->head;
		if (!io) {	/* stopping and drained */
			pthread_mutex_unlock(&p->lock);
			break;
		}
		p->head = io->next;
		if (!p->head)
			p->tail = &p->head;
		pthread_mutex_unlock(&p->lock);
		run_one(d, tid, io);
	}
	if (d->ops->thread_fini)
		d->ops->thread_fini(d, tid);
	return NULL;
}

int disk_pool_start(struct disk *d, unsigned int threads)
{
	struct disk_pool *p;

	if (threads > DISK_THREADS)
		threads = DISK_THREADS;
	d->nthreads = threads;
	if (!threads)
		return d->ops->thread_init ? d->ops->thread_init(d, 0) : 0;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	p->tail = &p->head;
	p->disk = d;
	d->pool = p;
	for (unsigned int i = 0; i < threads; i++) {
		if (pthread_create(&p->threads[i], NULL, pool_main, d))
			break;
		p->started++;
	}
	return p->started ? 0 : -EAGAIN;
}

static void queue_io(struct disk *d, struct disk_io *io)
{
	struct disk_pool *p = d->pool;

	io->ran_now = false;
	if (!p) {
		run_one(d, 0, io);
		return;
	}
	io->next = NULL;
	pthread_mutex_lock(&p->lock);
	*p->tail = io;
	p->tail = &io->next;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

/*
 * The cache mode's part of a request: writethrough/directsync make every
 * write FUA; unsafe drops FUA and completes flushes at once (true: done).
 */
static bool cache_apply(struct disk *d, struct disk_io *io)
{
	if (io->op == DISK_WRITE)
		io->fua = d->cache == DISK_CACHE_UNSAFE ? false :
			  io->fua || cache_sync(d->cache);
	if (io->op != DISK_FLUSH || d->cache != DISK_CACHE_UNSAFE)
		return false;
	io->start_ns = io->end_ns = disk_now_ns();
	io->result = 0;
	io->ran_now = true;
	complete(d, io);
	return true;
}

void disk_submit(struct disk *d, struct disk_io *io)
{
	if (!cache_apply(d, io))
		queue_io(d, io);
}

void disk_submit_now(struct disk *d, struct disk_io *io)
{
	int rc;

	if (cache_apply(d, io))
		return;

	if (d->pool && d->ops->try_now) {
		io->start_ns = disk_now_ns();
		rc = d->ops->try_now(d, io);
		if (rc != -EAGAIN) {
			io->end_ns = disk_now_ns();
			io->result = rc;
			io->ran_now = true;
			complete(d, io);
			return;
		}
	}
	queue_io(d, io);
}

void disk_close(struct disk *d)
{
	struct disk_pool *p;

	if (!d)
		return;
	p = d->pool;
	if (p) {
		pthread_mutex_lock(&p->lock);
		p->stop = true;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
		for (unsigned int i = 0; i < p->started; i++)
			pthread_join(p->threads[i], NULL);
		pthread_mutex_destroy(&p->lock);
		pthread_cond_destroy(&p->cond);
		free(p);
	} else if (d->ops->thread_fini) {
		d->ops->thread_fini(d, 0);
	}
	if (d->ops->close)
		d->ops->close(d);
	free(d);
}

/* ---- raw file or block device ------------------------------------------ */

struct raw {
	int fd;
	int fd_buffered;	/* cache=none/directsync: for unaligned requests, else -1 */
	bool block;
	bool memory;		/* tmpfs/ramfs: no I/O ever waits for a device */
	bool no_nowait;		/* preadv2(RWF_NOWAIT) is not supported */
};

/* preadv/pwritev until done: short transfers are retried, EOF is -EIO. */
static int raw_rw(int fd, bool write, const struct iovec *iov, int iovcnt,
		  uint64_t off, uint64_t len)
{
	struct iovec vv[DISK_MAX_IOV], *v = vv;
	int cnt = iovcnt;

	if (iovcnt < 0 || iovcnt > DISK_MAX_IOV)
		return -EINVAL;
	memcpy(vv, iov, sizeof(*iov) * (size_t)iovcnt);
	while (len) {
		int c = cnt > IOV_MAX ? IOV_MAX : cnt;
		ssize_t n = write ? pwritev(fd, v, c, (off_t)off) :
				    preadv(fd, v, c, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		off += (uint64_t)n;
		len -= (uint64_t)n > len ? len : (uint64_t)n;
		while (cnt && (size_t)n >= v->iov_len) {
			n -= (ssize_t)v->iov_len;
			v++;
			cnt--;
		}
		if (cnt) {
			v->iov_base = (uint8_t *)v->iov_base + n;
			v->iov_len -= (size_t)n;
		} else if (len) {
			return -EIO;
		}
	}
	return 0;
}

static int raw_run(struct disk *d, unsigned int tid, struct disk_io *io)
{
	struct raw *r = d->priv;
	int ret = 0;

	(void)tid;
	switch (io->op) {
	case DISK_READ:
	case DISK_WRITE:
		ret = raw_rw(r->fd, io->op == DISK_WRITE, io->iov, io->iovcnt, io->off, io->len);
		/* O_DIRECT refuses buffers not aligned to the device's blocks. */
		if (ret == -EINVAL && r->fd_buffered >= 0)
			ret = raw_rw(r->fd_buffered, io->op == DISK_WRITE, io->iov,
				     io->iovcnt, io->off, io->len);
		if (!ret && io->op == DISK_WRITE && io->fua && fdatasync(r->fd))
			ret = -errno;
		return ret;
	case DISK_FLUSH:
		return fdatasync(r->fd) ? -errno : 0;
	case DISK_DISCARD:
		for (unsigned int i = 0; i < io->nranges && !ret; i++) {
			const struct disk_range *g = &io->ranges[i];

			if (r->block) {
				uint64_t range[2] = { g->off, g->len };

				if (ioctl(r->fd, BLKDISCARD, range))
					ret = -errno;
			} else if (fallocate(r->fd, FALLOC_FL_PUNCH_HOLE |
					     FALLOC_FL_KEEP_SIZE,
					     (off_t)g->off, (off_t)g->len)) {
				ret = -errno;
			}
		}
		/* UNMAP is advisory: a backing that cannot punch keeps the data. */
		return ret == -EOPNOTSUPP ? 0 : ret;
	}
	return -EINVAL;
}

/*
 * The VMBus thread, with nothing else in the guest's ring: a small
 * request to a file in RAM is a copy, cheaper than waking a pool thread;
 * elsewhere a small read whose pages are all cached (RWF_NOWAIT: no
 * device I/O, no lock waits).  Large ones go to the pool, which keeps the
 * ring served meanwhile: under TCG a 1 MiB copy on the VMBus thread did
 * not complete sooner in any run (docs/storvsp.md).
 */
#define DISK_RUN_NOW_MAX	(64u << 10)

static int raw_try_now(struct disk *d, struct disk_io *io)
{
	struct raw *r = d->priv;
	ssize_t n;

	if (io->len > DISK_RUN_NOW_MAX)
		return -EAGAIN;
	if (r->memory)
		return raw_run(d, 0, io);
	if (io->op != DISK_READ || r->no_nowait || io->iovcnt > IOV_MAX)
		return -EAGAIN;
	n = preadv2(r->fd, io->iov, io->iovcnt, (off_t)io->off, RWF_NOWAIT);
	if (n == (ssize_t)io->len)
		return 0;
	if (n < 0 && errno == EOPNOTSUPP)
		r->no_nowait = true;
	return -EAGAIN;	/* also a short read: the pool does it all again */
}

static void raw_close(struct disk *d)
{
	struct raw *r = d->priv;

	close(r->fd);
	if (r->fd_buffered >= 0)
		close(r->fd_buffered);
	free(r);
}

static const struct disk_ops raw_ops = {
	.run = raw_run,
	.close = raw_close,
	.try_now = raw_try_now,
};

/* A stable 20-character serial from the backing's identity (FNV-1a). */
void disk_make_serial(char *out, const char *id)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (const char *p = id; *p; p++) {
		h ^= (uint8_t)*p;
		h *= 0x100000001b3ull;
	}
	snprintf(out, 21, "MKHV%016llx", (unsigned long long)h);
}

struct disk *disk_open_fd(int fd, bool readonly, const char *id,
			  unsigned int threads, char *err, size_t errlen)
{
	struct disk *d = calloc(1, sizeof(*d));
	struct raw *r = calloc(1, sizeof(*r));
	struct stat st;
	struct statfs sfs;
	uint64_t size = 0;

	if (!d || !r) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (fstat(fd, &st)) {
		snprintf(err, errlen, "%s: %s", id, strerror(errno));
		goto fail;
	}
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(fd, BLKGETSIZE64, &size)) {
			snprintf(err, errlen, "%s: BLKGETSIZE64: %s", id, strerror(errno));
			goto fail;
		}
		r->block = true;
	} else if (S_ISREG(st.st_mode)) {
		size = (uint64_t)st.st_size;
		r->memory = !fstatfs(fd, &sfs) && (sfs.f_type == TMPFS_MAGIC ||
						   sfs.f_type == RAMFS_MAGIC);
	} else {
		snprintf(err, errlen, "%s: not a regular file or block device", id);
		goto fail;
	}
	if (size < 512) {
		snprintf(err, errlen, "%s: smaller than one 512-byte block", id);
		goto fail;
	}
	r->fd = fd;
	r->fd_buffered = -1;
	d->ops = &raw_ops;
	d->priv = r;
	d->size = size & ~511ull;
	d->readonly = readonly;
	d->can_discard = !readonly;
	d->write_cache = true;
	disk_make_serial(d->serial, id);
	if (disk_pool_start(d, threads)) {
		snprintf(err, errlen, "%s: cannot start I/O threads", id);
		d->ops = NULL;
		goto fail;
	}
	return d;
fail:
	free(r);
	free(d);
	close(fd);
	return NULL;
}

/* cache=none/directsync on a raw backing: O_DIRECT, and a buffered fd. */
static struct disk *open_direct(const struct disk_spec *s, int flags,
				unsigned int threads, char *err, size_t errlen)
{
	int fd = open(s->path, flags | O_DIRECT), fd2;
	struct disk *d;
	struct raw *r;

	if (fd < 0 && errno == EINVAL) {
		snprintf(err, errlen, "%s: cache=%s needs O_DIRECT, which its file system does not support",
			 s->path, cache_names[s->cache]);
		return NULL;
	}
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", s->path, strerror(errno));
		return NULL;
	}
	fd2 = open(s->path, flags);
	if (fd2 < 0) {
		snprintf(err, errlen, "%s: %s", s->path, strerror(errno));
		close(fd);
		return NULL;
	}
	d = disk_open_fd(fd, s->readonly, s->path, threads, err, errlen);
	if (!d) {
		close(fd2);
		return NULL;
	}
	r = d->priv;
	r->fd_buffered = fd2;
	r->no_nowait = true;	/* no page cache to ask */
	r->memory = false;
	return d;
}

struct disk *disk_open(const struct disk_spec *s, unsigned int threads,
		       char *err, size_t errlen)
{
	int flags = (s->readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC, fd;
	struct disk *d;

	if (s->format == DISK_FORMAT_QCOW2) {
		d = disk_open_nbd(s, threads, err, errlen);
	} else if (disk_cache_direct(s->cache)) {
		d = open_direct(s, flags, threads, err, errlen);
	} else {
		fd = open(s->path, flags);
		if (fd < 0) {
			snprintf(err, errlen, "%s: %s", s->path, strerror(errno));
			return NULL;
		}
		d = disk_open_fd(fd, s->readonly, s->path, threads, err, errlen);
	}
	if (d) {
		d->cache = s->cache;
		d->write_cache = !cache_sync(s->cache);
	}
	return d;
}
