/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: the backing store of one virtual disk (issue 10), served to
 * the SCSI target emulation (scsi_disk.h) with asynchronous I/O.
 *
 * A disk is a raw file or block device (pread/pwrite, fdatasync,
 * fallocate(PUNCH_HOLE) or BLKDISCARD), or a qcow2 image that
 * qemu-storage-daemon exports over NBD on a unix socket (disk_nbd.c): the
 * qcow2 format is qemu's, not ours.
 *
 * I/O runs on a small pool of threads per disk, so one slow request does
 * not hold up the VMBus thread or the other requests; each finished
 * request calls its done() on the pool thread that ran it.  With
 * threads = 0 (tests, fuzzing) disk_submit() runs the request inline.
 */
#ifndef HVWORKER_DISK_BACKEND_H
#define HVWORKER_DISK_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#define DISK_MAX_DISKS		8	/* --disk options (LUNs 0..7) */
#define DISK_THREADS		4	/* pool threads per disk */
#define DISK_MAX_RANGES		16	/* discard ranges per request */
#define DISK_MAX_IOV		272	/* buffer pieces per request */

enum disk_format {
	DISK_FORMAT_RAW = 0,
	DISK_FORMAT_QCOW2 = 1,
};

/*
 * libvirt's <driver cache='...'/> modes, as QEMU implements them: whether
 * the parent's page cache is used (not with none/directsync: O_DIRECT),
 * whether the guest sees a volatile write cache it must flush (not with
 * writethrough/directsync: every write is durable before it completes),
 * and unsafe, whose flushes do nothing.
 */
enum disk_cache {
	DISK_CACHE_WRITEBACK = 0,	/* the default */
	DISK_CACHE_NONE,
	DISK_CACHE_WRITETHROUGH,
	DISK_CACHE_DIRECTSYNC,
	DISK_CACHE_UNSAFE,
};

/* disk_cache_direct() - @c bypasses the parent's page cache (O_DIRECT). */
bool disk_cache_direct(enum disk_cache c);

/* One --disk PATH[,format=raw|qcow2][,readonly][,cache=MODE]. */
struct disk_spec {
	char path[4096];
	enum disk_format format;
	bool readonly;
	enum disk_cache cache;
};

/*
 * disk_spec_parse() - parse "PATH[,format=raw|qcow2][,readonly]
 * [,cache=none|writeback|writethrough|directsync|unsafe]" (PATH may not
 * contain a comma).  0 or -EINVAL with a reason in @err.
 */
int disk_spec_parse(const char *arg, struct disk_spec *s, char *err, size_t errlen);

enum disk_op {
	DISK_READ,
	DISK_WRITE,
	DISK_FLUSH,
	DISK_DISCARD,
};

struct disk_range {
	uint64_t off, len;
};

/* One request: filled by the caller, result set before done(). */
struct disk_io {
	enum disk_op op;
	uint64_t off;			/* READ/WRITE: byte offset */
	const struct iovec *iov;	/* READ/WRITE: buffer */
	int iovcnt;
	uint64_t len;			/* READ/WRITE: bytes (sum of iov) */
	bool fua;			/* WRITE: durable before done() */
	struct disk_range ranges[DISK_MAX_RANGES];	/* DISCARD */
	unsigned int nranges;
	int result;			/* 0 or -errno */
	bool ran_now;			/* disk_submit_now() ran it on the caller */
	uint64_t start_ns, end_ns;	/* CLOCK_MONOTONIC around run() */
	void (*done)(struct disk_io *io);
	void *priv;
	struct disk_io *next;		/* private: pool queue */
};

struct disk;

/*
 * What a disk served since it was opened (virsh domblkstat, control.h's
 * blkstats): READ / WRITE requests completed and their bytes, FLUSH
 * (SYNCHRONIZE CACHE) completed, and those three that failed in the
 * backing (errs; a failed request counts there only).  DISCARD is not
 * counted.  Updated at completion on whatever thread completes (pool,
 * VMBus): atomics.
 */
struct disk_stats {
	uint64_t rd_req, rd_bytes, wr_req, wr_bytes, fl_req, errs;
};

struct disk_ops {
	/* Thread @tid of the pool (0..threads-1) runs @io synchronously. */
	int (*run)(struct disk *d, unsigned int tid, struct disk_io *io);
	/* Per-thread setup/teardown (NBD connections); optional. */
	int (*thread_init)(struct disk *d, unsigned int tid);
	void (*thread_fini)(struct disk *d, unsigned int tid);
	void (*close)(struct disk *d);
	/*
	 * Optional: run @io at once on the caller's thread if that cannot
	 * wait for a device (a memory-backed file; a read the page cache
	 * holds: RWF_NOWAIT).  0 or -errno: done; -EAGAIN: use the pool.
	 */
	int (*try_now)(struct disk *d, struct disk_io *io);
};

struct disk {
	const struct disk_ops *ops;
	void *priv;
	uint64_t size;		/* bytes */
	bool readonly;
	bool can_discard;	/* the backing can punch holes */
	enum disk_cache cache;	/* set by disk_open() */
	bool write_cache;	/* the guest sees WCE=1 and must flush */
	char serial[21];	/* stable id for VPD 0x80 / 0x83 */
	/* pool */
	unsigned int nthreads;
	struct disk_pool *pool;
	/* disk_stats, counted by disk_count() */
	_Atomic uint64_t rd_req, rd_bytes, wr_req, wr_bytes, fl_req, errs;
};

/*
 * disk_open() - open what @s names with @threads pool threads (0: inline).
 * Return: the disk, or NULL with a reason in @err.
 */
struct disk *disk_open(const struct disk_spec *s, unsigned int threads,
		       char *err, size_t errlen);

/* Queue @io; io->done() runs when it finished (inline if no threads). */
void disk_submit(struct disk *d, struct disk_io *io);
/*
 * disk_submit_now() - like disk_submit(), but first try to run @io on
 * this thread when the backend says that cannot block (ops->try_now):
 * io->ran_now tells the done() callback it runs inside this call.
 */
void disk_submit_now(struct disk *d, struct disk_io *io);

/*
 * disk_count() - account a READ/WRITE/FLUSH of @bytes that completed with
 * @result (0 or -errno) in the disk's statistics.  The backend does it for
 * every request it completes; the SCSI layer for commands it completes
 * without the backing (a zero-length transfer, a read-only disk's flush).
 */
void disk_count(struct disk *d, enum disk_op op, uint64_t bytes, int result);
void disk_get_stats(struct disk *d, struct disk_stats *st);
/*
 * disk_blkstats() - "blkstats rd_req=N rd_bytes=N wr_req=N wr_bytes=N
 * fl_req=N errs=N" into @reply (control.h).
 */
void disk_blkstats(struct disk *d, char *reply, size_t len);

/* Wait for queued requests, stop the threads, close the backing. */
void disk_close(struct disk *d);

/*
 * Raw file/block backend on an open fd (tests: a memfd); takes the fd.
 * The cache mode is writeback; disk_open() sets others.
 */
struct disk *disk_open_fd(int fd, bool readonly, const char *id,
			  unsigned int threads, char *err, size_t errlen);

/* Internal: a stable 20-character serial ("MKHV" + hash of @id) into @out. */
void disk_make_serial(char *out, const char *id);

/* CLOCK_MONOTONIC in ns. */
uint64_t disk_now_ns(void);

/* Internal: start the pool for a backend filled in by its open function. */
int disk_pool_start(struct disk *d, unsigned int threads);

/* qcow2 through qemu-storage-daemon + NBD (disk_nbd.c). */
struct disk *disk_open_nbd(const struct disk_spec *s, unsigned int threads,
			   char *err, size_t errlen);

#endif /* HVWORKER_DISK_BACKEND_H */
