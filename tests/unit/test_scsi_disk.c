// SPDX-License-Identifier: GPL-2.0
/*
 * Check suite for parent/worker/scsi_disk.c (SCSI target emulation) and
 * disk_backend.c (raw backend, thread pool, --disk parsing), on memfd and
 * temporary-file disks.
 */
#include <check.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "disk_backend.h"
#include "scsi_disk.h"
#include "hv_check.h"

#define DISK_BYTES	(4u << 20)
#define BLOCKS		(DISK_BYTES / 512)

static int memfd_disk(uint32_t bytes)
{
	int fd = memfd_create("scsi-disk", MFD_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, bytes), 0);
	return fd;
}

static struct disk *new_disk(bool ro, unsigned int threads, int *fdp)
{
	char err[256];
	int fd = memfd_disk(DISK_BYTES);
	struct disk *d;

	if (fdp)
		*fdp = dup(fd);
	d = disk_open_fd(fd, ro, "test-disk", threads, err, sizeof(err));
	ck_assert_msg(d != NULL, "%s", err);
	return d;
}

/* Synchronous completion for inline disks. */
static void sync_done(struct scsi_cmd *c)
{
	*(int *)c->priv += 1;
}

static struct scsi_cmd *cmd;

/* Run a CDB on @t/@lun with a @len-byte buffer @buf (split in two iovecs). */
static int run(const struct scsi_target *t, unsigned int lun, const uint8_t *cdb,
	       uint8_t cdb_len, void *buf, uint32_t len)
{
	static struct iovec iov[2];
	static int dones;
	int rc;

	memset(cmd, 0, sizeof(*cmd));
	memcpy(cmd->cdb, cdb, cdb_len);
	cmd->cdb_len = cdb_len;
	iov[0].iov_base = buf;
	iov[0].iov_len = len / 2;
	iov[1].iov_base = (uint8_t *)buf + len / 2;
	iov[1].iov_len = len - len / 2;
	cmd->iov = iov;
	cmd->iovcnt = 2;
	cmd->buf_len = len;
	cmd->done = sync_done;
	dones = 0;
	cmd->priv = &dones;
	rc = scsi_target_exec(t, lun, cmd);
	ck_assert_int_eq(dones, rc);	/* inline disk: done() ran iff async */
	return cmd->status;
}

static pthread_mutex_t async_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t async_cond = PTHREAD_COND_INITIALIZER;
static int async_done;

static void async_cb(struct scsi_cmd *c)
{
	(void)c;
	pthread_mutex_lock(&async_lock);
	async_done = 1;
	pthread_cond_signal(&async_cond);
	pthread_mutex_unlock(&async_lock);
}

/* run() on a disk with I/O threads: wait for done(). */
static int run_async(const struct scsi_target *t, unsigned int lun, const uint8_t *cdb,
		     uint8_t cdb_len, void *b, uint32_t len)
{
	static struct iovec iov;

	memset(cmd, 0, sizeof(*cmd));
	memcpy(cmd->cdb, cdb, cdb_len);
	cmd->cdb_len = cdb_len;
	iov.iov_base = b;
	iov.iov_len = len;
	cmd->iov = &iov;
	cmd->iovcnt = 1;
	cmd->buf_len = len;
	cmd->done = async_cb;
	async_done = 0;
	if (scsi_target_exec(t, lun, cmd)) {
		pthread_mutex_lock(&async_lock);
		while (!async_done)
			pthread_cond_wait(&async_cond, &async_lock);
		pthread_mutex_unlock(&async_lock);
	}
	return cmd->status;
}

static void expect_sense(uint8_t key, uint16_t asc)
{
	ck_assert_uint_eq(cmd->status, SAM_STAT_CHECK_CONDITION);
	ck_assert_uint_eq(cmd->sense_len, SCSI_SENSE_LEN);
	ck_assert_uint_eq(cmd->sense[0], 0x70);
	ck_assert_uint_eq(cmd->sense[2], key);
	ck_assert_uint_eq(cmd->sense[12], asc >> 8);
	ck_assert_uint_eq(cmd->sense[13], asc & 0xff);
	ck_assert_uint_eq(cmd->xfer, 0);
}

static struct scsi_target tgt;
static struct disk *d0, *d1;
static int fd0;
static uint8_t buf[1 << 20];

static void cmd_alloc(void)
{
	cmd = calloc(1, sizeof(*cmd));
	ck_assert_ptr_nonnull(cmd);
}

static void setup(void)
{
	cmd_alloc();
	d0 = new_disk(false, 0, &fd0);
	d1 = new_disk(true, 0, NULL);
	memset(&tgt, 0, sizeof(tgt));
	tgt.luns[0] = d0;
	tgt.luns[1] = d1;
	tgt.nluns = 2;
	memset(buf, 0xee, sizeof(buf));
}

static void teardown(void)
{
	disk_close(d0);
	disk_close(d1);
	close(fd0);
	free(cmd);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

START_TEST(inquiry_standard)
{
	const uint8_t cdb[6] = { 0x12, 0, 0, 0, 96, 0 };
	const uint8_t short_cdb[6] = { 0x12, 0, 0, 0, 5, 0 };

	ck_assert_uint_eq(run(&tgt, 0, cdb, 6, buf, 255), SAM_STAT_GOOD);
	ck_assert_uint_eq(cmd->xfer, 96);
	ck_assert_uint_eq(buf[0], 0x00);	/* direct access, connected */
	ck_assert_uint_eq(buf[2], 0x06);	/* SPC-4 */
	ck_assert_uint_eq(buf[4], 91);
	ck_assert(!memcmp(buf + 8, "MKHV    ", 8));
	ck_assert(!memcmp(buf + 16, "Virtual Disk    ", 16));
	ck_assert_uint_eq(buf[96], 0xee);	/* nothing past the data */
	/* allocation length truncates */
	memset(buf, 0xee, 128);
	ck_assert_uint_eq(run(&tgt, 0, short_cdb, 6, buf, 255), SAM_STAT_GOOD);
	ck_assert_uint_eq(cmd->xfer, 5);
	ck_assert_uint_eq(buf[5], 0xee);
	/* buffer shorter than the allocation length */
	ck_assert_uint_eq(run(&tgt, 0, cdb, 6, buf, 36), SAM_STAT_GOOD);
	ck_assert_uint_eq(cmd->xfer, 36);
}
END_TEST

START_TEST(inquiry_page_without_evpd)
{
	const uint8_t cdb[6] = { 0x12, 0, 0x80, 0, 96, 0 };

	run(&tgt, 0, cdb, 6, buf, 96);
	expect_sense(SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
}
END_TEST

static void vpd(uint8_t page, unsigned int lun)
{
	const uint8_t cdb[6] = { 0x12, 1, page, 0, 255, 0 };

	memset(buf, 0xee, 512);
	ck_assert_uint_eq(run(&tgt, lun, cdb, 6, buf, 255), SAM_STAT_GOOD);
	ck_assert_uint_eq(buf[1], page);
	ck_assert_uint_eq(cmd->xfer, 4u + (buf[2] << 8 | buf[3]));
}

START_TEST(vpd_pages)
{
	static const uint8_t pages[] = { 0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2 };
	const uint8_t bad[6] = { 0x12, 1, 0x99, 0, 255, 0 };

	vpd(0x00, 0);
	ck_assert_uint_eq(buf[3], sizeof(pages));
	ck_assert(!memcmp(buf + 4, pages, sizeof(pages)));
	vpd(0x80, 0);
	ck_assert_uint_eq(buf[3], strlen(d0->serial));
	ck_assert(!memcmp(buf + 4, d0->serial, buf[3]));
	ck_assert(!memcmp(buf + 4, "MKHV", 4));
	vpd(0x83, 0);
	ck_assert_uint_eq(buf[4] & 0xf, 2);	/* ASCII */
	ck_assert_uint_eq(buf[5] & 0xf, 1);	/* T10 vendor id */
	ck_assert(!memcmp(buf + 8, "MKHV    ", 8));
	ck_assert(!memcmp(buf + 16, d0->serial, strlen(d0->serial)));
	vpd(0xb0, 0);
	ck_assert_uint_eq(be32(buf + 8), SCSI_MAX_XFER / 512);
	/* optimal transfer = maximum (sd's max_sectors_kb follows it) */
	ck_assert_uint_eq(be32(buf + 12), SCSI_MAX_XFER / 512);
	ck_assert_uint_gt(be32(buf + 20), 0);	/* unmap supported */
	ck_assert_uint_gt(be32(buf + 24), 0);
	vpd(0xb1, 0);
	ck_assert_uint_eq(buf[4] << 8 | buf[5], 1);	/* non-rotating */
	vpd(0xb2, 0);
	ck_assert_uint_eq(buf[5] & 0x80, 0x80);	/* LBPU */
	/* read-only disk: no UNMAP advertised */
	vpd(0xb2, 1);
	ck_assert_uint_eq(buf[5] & 0x80, 0);
	vpd(0xb0, 1);
	ck_assert_uint_eq(be32(buf + 20), 0);
	run(&tgt, 0, bad, 6, buf, 255);
	expect_sense(SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
}
END_TEST

START_TEST(serial_is_stable_per_backing)
{
	char err[128];
	struct disk *a = disk_open_fd(memfd_disk(4096), false, "/img/a", 0, err, sizeof(err));
	struct disk *b = disk_open_fd(memfd_disk(4096), false, "/img/a", 0, err, sizeof(err));
	struct disk *c = disk_open_fd(memfd_disk(4096), false, "/img/b", 0, err, sizeof(err));

	ck_assert_str_eq(a->serial, b->serial);
	ck_assert_str_ne(a->serial, c->serial);
	ck_assert_uint_eq(strlen(a->serial), 20);
	disk_close(a);
	disk_close(b);
	disk_close(c);
}
END_TEST

START_TEST(absent_lun)
{
	const uint8_t inq[6] = { 0x12, 0, 0, 0, 36, 0 };
	const uint8_t tur[6] = { 0 };
	const uint8_t rd[10] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 };

	ck_assert_uint_eq(run(&tgt, 2, inq, 6, buf, 36), SAM_STAT_GOOD);
	ck_assert_uint_eq(buf[0], 0x7f);	/* qualifier 3, no device */
	ck_assert_uint_eq(cmd->xfer, 36);
	ck_assert_uint_eq(run(NULL, 0, inq, 6, buf, 36), SAM_STAT_GOOD);
	ck_assert_uint_eq(buf[0], 0x7f);
	run(&tgt, 7, tur, 6, buf, 0);
	expect_sense(SK_ILLEGAL_REQUEST, ASC_LUN_NOT_SUPPORTED);
	run(&tgt, 200, rd, 10, buf, 512);
	expect_sense(SK_ILLEGAL_REQUEST, ASC_LUN_NOT_SUPPORTED);
}
END_TEST

START_TEST(report_luns)
{
	const uint8_t cdb[12] = { 0xa0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 };
	const uint8_t tiny[12] = { 0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0 };

	ck_assert_uint_eq(run(&tgt, 0, cdb, 12, buf, 256), SAM_STAT_GOOD);
	ck_assert_uint_eq(be32(buf), 16);
	ck_assert_uint_eq(cmd->xfer, 24);
	ck_assert_uint_eq(be64(buf + 8), 0);
	ck_assert_uint_eq(be64(buf + 16), 1ull << 48);	/* LUN 1, peripheral */
	/* sent to an absent LUN of the target: same list */
	ck_assert_uint_eq(run(&tgt, 5, cdb, 12, buf, 256), SAM_STAT_GOOD);
	ck_assert_uint_eq(be32(buf), 16);
	/* another target: no LUNs */
	ck_assert_uint_eq(run(NULL, 0, cdb, 12, buf, 256), SAM_STAT_GOOD);
	ck_assert_uint_eq(be32(buf), 0);
	ck_assert_uint_eq(cmd->xfer, 8);
	run(&tgt, 0, tiny, 12, buf, 256);
	expect_sense(SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
}
END_TEST

START_TEST(read_capacity)
{
	const uint8_t rc10[10] = { 0x25 };
	const uint8_t rc16[16] = { 0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0 };
	const uint8_t bad_sa[16] = { 0x9e, 0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0 };

	ck_assert_uint_eq(run(&tgt, 0, rc10, 10, buf, 8), SAM_STAT_GOOD);
	ck_assert_uint_eq(be32(buf), BLOCKS - 1);
	ck_assert_uint_eq(be32(buf + 4), 512);
	ck_assert_uint_eq(run(&tgt, 0, rc16, 16, buf, 32), SAM_STAT_GOOD);
	ck_assert_uint_eq(be64(buf), BLOCKS - 1);
	ck_assert_uint_eq(be32(buf + 8), 512);
	ck_assert_uint_eq(buf[14] & 0x80, 0x80);	/* LBPME: UNMAP works */
	ck_assert_uint_eq(run(&tgt, 1, rc16, 16, buf, 32), SAM_STAT_GOOD);
	ck_assert_uint_eq(buf[14] & 0x80, 0);
	run(&tgt, 0, bad_sa, 16, buf, 32);
	expect_sense(SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
}
END_TEST

START_TEST(mode_sense)
{
	const uint8_t all6[6] = { 0x1a, 0, 0x3f, 0, 255, 0 };
	const uint8_t cache6[6] = { 0x1a, 0x08, 0x08, 0, 255, 0 };
	const uint8_t chg6[6] = { 0x1a, 0x08, 0x48, 0, 255, 0 };
	const uint8_t saved6[6] = { 0x1a, 0x08, 0xc8, 0, 255, 0 };
	const uint8_t bad6[6] = { 0x1a, 0x08, 0x19, 0, 255, 0 };
	const uint8_t sub6[6] = { 0x1a, 0x08, 0x08, 1, 255, 0 };
	const uint8_t all10[10] = { 0x5a, 0, 0x3f, 0, 0, 0, 0, 1, 0, 0 };
	const uint8_t hdr6[6] = { 0x1a, 0, 0x3f, 0, 4, 0 };

	ck_assert_uint_eq(run(&tgt, 0, all6, 6, buf, 255), SAM_STAT_GOOD);
	ck_assert_uint_eq(cmd->xfer, 4 + 8 + 20 + 12);
	ck_assert_uint_eq(buf[0], cmd->xfer - 1);
	ck_assert_uint_eq(buf[2], 0x10);	/* DPOFUA, not write protected */
	ck_assert_uint_eq(buf[3], 8);		/* block descriptor */
	ck_assert_uint_eq(be32(buf + 4), BLOCKS);
	ck_assert_uint_eq(be32(buf + 8), 512);
	ck_assert_uint_eq(buf[12], 0x08);
	ck_assert_uint_eq(buf[14] & 0x04, 0x04);	/* WCE */
	ck_assert_uint_eq(buf[32], 0x0a);
	/* read-only disk: WP */
	ck_assert_uint_eq(run(&tgt, 1, all6, 6, buf, 255), SAM_STAT_GOOD);
	ck_assert_uint_eq(buf[2], 0x90);
	/* header only (sd's first WP probe) */
	ck_assert_uint_eq(run(&tgt, 1, hdr6, 6, buf, 255), SAM_STAT_GOOD);
	ck_assert_uint_eq(cmd->xfer, 4);
	ck_assert_uint_eq(buf[2] & 0x80, 0x80);
	/* caching page, DBD */
	ck_assert_uint_eq(run(&tgt, 0, cache6, 6, buf, 255), SAM_STAT_GOOD);
	ck_assert_uint_eq(cmd->xfer, 4 + 20);
	ck_assert_uint_eq(buf[3], 0);
	ck_assert_uint_eq(buf[4], 0x08);
	ck_assert_uint_eq(buf[6], 0x04);
	/* changeable values: none */
	ck_assert_uint_eq(run(&tgt, 0, chg6, 6, buf, 255), SAM_STAT_GOOD);
	ck_assert_uint_eq(buf[6], 0);
	run(&tgt, 0, saved6, 6, buf, 255);
	expect_sense(SK_ILLEGAL_REQUEST, 0x3900);
	run(&tgt, 0, bad6, 6, buf, 255);
	expect_sense(SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
	run(&tgt, 0, sub6, 6, buf, 255);
	expect_sense(SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
	/* MODE SENSE(10) */
	ck_assert_uint_eq(run(&tgt, 1, all10, 10, buf, 256), SAM_STAT_GOOD);
	ck_assert_uint_eq(cmd->xfer, 8 + 8 + 20 + 12);
	ck_assert_uint_eq(buf[0] << 8 | buf[1], cmd->xfer - 2);
	ck_assert_uint_eq(buf[3], 0x90);
	ck_assert_uint_eq(buf[7], 8);
}
END_TEST

static void fill(uint8_t *p, uint32_t n, uint32_t seed)
{
	for (uint32_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed * 31 + i * 7 + (i >> 9));
}

START_TEST(read_write_10_16_6)
{
	uint8_t w10[10] = { 0x2a, 0, 0, 0, 0, 10, 0, 0, 16, 0 };
	uint8_t r10[10] = { 0x28, 0, 0, 0, 0, 10, 0, 0, 16, 0 };
	uint8_t w16[16] = { 0x8a, 0x08, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 8, 0, 0 };
	uint8_t r16[16] = { 0x88, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 8, 0, 0 };
	uint8_t r6[6] = { 0x08, 0, 0, 10, 1, 0 };
	static uint8_t pattern[8192], back[8192];

	fill(pattern, sizeof(pattern), 1);
	ck_assert_uint_eq(run(&tgt, 0, w10, 10, pattern, 8192), SAM_STAT_GOOD);
	ck_assert_uint_eq(cmd->xfer, 8192);
	/* the backing file has it */
	ck_assert_int_eq(pread(fd0, back, 8192, 10 * 512), 8192);
	ck_assert(!memcmp(back, pattern, 8192));
	memset(back, 0, sizeof(back));
	ck_assert_uint_eq(run(&tgt, 0, r10, 10, back, 8192), SAM_STAT_GOOD);
	ck_assert(!memcmp(back, pattern, 8192));
	/* READ(6) of block 10 */
	memset(back, 0, sizeof(back));
	ck_assert_uint_eq(run(&tgt, 0, r6, 6, back, 512), SAM_STAT_GOOD);
	ck_assert(!memcmp(back, pattern, 512));
	/* WRITE(16) with FUA at block 0x1000 */
	fill(pattern, 4096, 2);
	ck_assert_uint_eq(run(&tgt, 0, w16, 16, pattern, 4096), SAM_STAT_GOOD);
	memset(back, 0, sizeof(back));
	ck_assert_uint_eq(run(&tgt, 0, r16, 16, back, 4096), SAM_STAT_GOOD);
	ck_assert(!memcmp(back, pattern, 4096));
	ck_assert_int_eq(pread(fd0, back, 4096, 0x1000 * 512), 4096);
	ck_assert(!memcmp(back, pattern, 4096));
}
END_TEST

START_TEST(read_larger_buffer_moves_cdb_length)
{
	uint8_t r10[10] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 };

	ck_assert_uint_eq(run(&tgt, 0, r10, 10, buf, 4096), SAM_STAT_GOOD);
	ck_assert_uint_eq(cmd->xfer, 512);
	ck_assert_uint_eq(buf[512 + 100], 0xee);
}
END_TEST

START_TEST(zero_length_transfer)
{
	uint8_t r10[10] = { 0x28, 0, 0, 0, 0, 5, 0, 0, 0, 0 };

	ck_assert_uint_eq(run(&tgt, 0, r10, 10, buf, 0), SAM_STAT_GOOD);
	ck_assert_uint_eq(cmd->xfer, 0);
}
END_TEST

START_TEST(write_protected)
{
	uint8_t w10[10] = { 0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
	uint8_t w16[16] = { 0x8a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 };
	uint8_t w6[6] = { 0x0a, 0, 0, 0, 1, 0 };
	uint8_t um[10] = { 0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0 };
	uint8_t r10[10] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
	uint8_t sync[10] = { 0x35 };

	run(&tgt, 1, w10, 10, buf, 512);
	expect_sense(SK_DATA_PROTECT, ASC_WRITE_PROTECTED);
	run(&tgt, 1, w16, 16, buf, 512);
	expect_sense(SK_DATA_PROTECT, ASC_WRITE_PROTECTED);
	run(&tgt, 1, w6, 6, buf, 512);
	expect_sense(SK_DATA_PROTECT, ASC_WRITE_PROTECTED);
	run(&tgt, 1, um, 10, buf, 24);
	expect_sense(SK_DATA_PROTECT, ASC_WRITE_PROTECTED);
	/* reads and SYNCHRONIZE CACHE work */
	ck_assert_uint_eq(run(&tgt, 1, r10, 10, buf, 512), SAM_STAT_GOOD);
	ck_assert_uint_eq(run(&tgt, 1, sync, 10, buf, 0), SAM_STAT_GOOD);
}
END_TEST

START_TEST(lba_out_of_range)
{
	/* last block + 1 block: fine; + 2 blocks: out of range */
	uint8_t ok[10] = { 0x28, 0, 0, 0, (BLOCKS - 1) >> 8, (BLOCKS - 1) & 0xff, 0, 0, 1, 0 };
	uint8_t over[10] = { 0x28, 0, 0, 0, (BLOCKS - 1) >> 8, (BLOCKS - 1) & 0xff, 0, 0, 2, 0 };
	uint8_t past[10] = { 0x2a, 0, 0, 0, BLOCKS >> 8, BLOCKS & 0xff, 0, 0, 1, 0 };
	/* LBA near 2^64 so that lba + n wraps */
	uint8_t wrap[16] = { 0x88, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			     0, 0, 0, 2, 0, 0 };
	uint8_t sync16[16] = { 0x91, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			       0, 0, 0, 2, 0, 0 };
	uint8_t ver[10] = { 0x2f, 0, 0, 0, BLOCKS >> 8, BLOCKS & 0xff, 0, 0, 1, 0 };

	ck_assert_uint_eq(run(&tgt, 0, ok, 10, buf, 512), SAM_STAT_GOOD);
	run(&tgt, 0, over, 10, buf, 1024);
	expect_sense(SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE);
	run(&tgt, 0, past, 10, buf, 512);
	expect_sense(SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE);
	run(&tgt, 0, wrap, 16, buf, 1024);
	expect_sense(SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE);
	run(&tgt, 0, sync16, 16, buf, 0);
	expect_sense(SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE);
	run(&tgt, 0, ver, 10, buf, 0);
	expect_sense(SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE);
}
END_TEST

START_TEST(buffer_shorter_than_transfer)
{
	uint8_t r10[10] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 8, 0 };
	/* 4096 blocks: 2 MiB > 1 MiB per command */
	uint8_t big[10] = { 0x28, 0, 0, 0, 0, 0, 0, 0x10, 0, 0 };

	run(&tgt, 0, r10, 10, buf, 4095);
	expect_sense(SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
	run(&tgt, 0, big, 10, buf, sizeof(buf));
	expect_sense(SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
}
END_TEST

START_TEST(synchronize_cache)
{
	uint8_t s10[10] = { 0x35 };
	uint8_t s16[16] = { 0x91 };

	ck_assert_uint_eq(run(&tgt, 0, s10, 10, buf, 0), SAM_STAT_GOOD);
	ck_assert_uint_eq(run(&tgt, 0, s16, 16, buf, 0), SAM_STAT_GOOD);
}
END_TEST

static void unmap_list(uint8_t *p, uint64_t lba, uint32_t n)
{
	memset(p, 0, 24);
	p[1] = 22;
	p[3] = 16;
	for (int i = 0; i < 8; i++)
		p[8 + i] = (uint8_t)(lba >> (56 - 8 * i));
	p[16] = (uint8_t)(n >> 24);
	p[17] = (uint8_t)(n >> 16);
	p[18] = (uint8_t)(n >> 8);
	p[19] = (uint8_t)n;
}

START_TEST(unmap_punches_hole)
{
	uint8_t w10[10] = { 0x2a, 0, 0, 0, 0, 64, 0, 0, 16, 0 };
	uint8_t r10[10] = { 0x28, 0, 0, 0, 0, 64, 0, 0, 16, 0 };
	uint8_t um[10] = { 0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0 };
	static uint8_t pattern[8192], zero[8192];
	uint8_t p[24];

	fill(pattern, sizeof(pattern), 3);
	ck_assert_uint_eq(run(&tgt, 0, w10, 10, pattern, 8192), SAM_STAT_GOOD);
	unmap_list(p, 64, 16);
	ck_assert_uint_eq(run(&tgt, 0, um, 10, p, 24), SAM_STAT_GOOD);
	ck_assert_uint_eq(run(&tgt, 0, r10, 10, pattern, 8192), SAM_STAT_GOOD);
	ck_assert(!memcmp(pattern, zero, sizeof(zero)));
}
END_TEST

START_TEST(unmap_bad_parameters)
{
	uint8_t um[10] = { 0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0 };
	uint8_t um_long[10] = { 0x42, 0, 0, 0, 0, 0, 0, 0, 240, 0 };
	uint8_t anchor[10] = { 0x42, 1, 0, 0, 0, 0, 0, 0, 24, 0 };
	uint8_t none[10] = { 0x42 };
	uint8_t p[24];

	unmap_list(p, BLOCKS - 1, 2);		/* past the end */
	run(&tgt, 0, um, 10, p, 24);
	expect_sense(SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE);
	unmap_list(p, 0, 1);
	p[3] = 17;				/* descriptor length not /16 */
	run(&tgt, 0, um, 10, p, 24);
	expect_sense(SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_PARAM);
	unmap_list(p, 0, 1);
	p[2] = 1;				/* claims 272 bytes of descriptors */
	run(&tgt, 0, um, 10, p, 24);
	expect_sense(SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_PARAM);
	run(&tgt, 0, um_long, 10, p, 24);	/* list longer than the buffer */
	expect_sense(SK_ILLEGAL_REQUEST, ASC_PARAM_LIST_LENGTH);
	run(&tgt, 0, anchor, 10, p, 24);
	expect_sense(SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
	ck_assert_uint_eq(run(&tgt, 0, none, 10, p, 0), SAM_STAT_GOOD);
}
END_TEST

START_TEST(unknown_opcode_and_short_cdb)
{
	const uint8_t ws[16] = { 0x93 };	/* WRITE SAME(16) */
	const uint8_t ms[6] = { 0x15 };		/* MODE SELECT(6) */
	const uint8_t r16[16] = { 0x88 };

	run(&tgt, 0, ws, 16, buf, 512);
	expect_sense(SK_ILLEGAL_REQUEST, ASC_INVALID_OPCODE);
	run(&tgt, 0, ms, 6, buf, 0);
	expect_sense(SK_ILLEGAL_REQUEST, ASC_INVALID_OPCODE);
	run(&tgt, 0, r16, 10, buf, 512);	/* a 16-byte opcode in 10 bytes */
	expect_sense(SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
	run(&tgt, 0, r16, 0, buf, 512);
	expect_sense(SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
}
END_TEST

START_TEST(misc_commands)
{
	const uint8_t tur[6] = { 0x00 };
	const uint8_t rs[6] = { 0x03, 0, 0, 0, 18, 0 };
	const uint8_t ssu[6] = { 0x1b, 0, 0, 0, 1, 0 };
	const uint8_t pa[6] = { 0x1e };
	const uint8_t v16[16] = { 0x8f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 };

	ck_assert_uint_eq(run(&tgt, 0, tur, 6, buf, 0), SAM_STAT_GOOD);
	ck_assert_uint_eq(run(&tgt, 0, rs, 6, buf, 252), SAM_STAT_GOOD);
	ck_assert_uint_eq(cmd->xfer, 18);
	ck_assert_uint_eq(buf[0], 0x70);
	ck_assert_uint_eq(buf[2], SK_NO_SENSE);
	ck_assert_uint_eq(run(&tgt, 0, ssu, 6, buf, 0), SAM_STAT_GOOD);
	ck_assert_uint_eq(run(&tgt, 0, pa, 6, buf, 0), SAM_STAT_GOOD);
	ck_assert_uint_eq(run(&tgt, 0, v16, 16, buf, 0), SAM_STAT_GOOD);
}
END_TEST

START_TEST(io_error_is_medium_error)
{
	char path[] = "/tmp/scsi-disk-XXXXXX", err[128];
	int fd = mkstemp(path);
	uint8_t w10[10] = { 0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
	struct scsi_target t = { .nluns = 1 };

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, 1 << 20), 0);
	close(fd);
	fd = open(path, O_RDONLY);	/* claims writable: pwrite fails */
	unlink(path);
	t.luns[0] = disk_open_fd(fd, false, path, 0, err, sizeof(err));
	ck_assert_ptr_nonnull(t.luns[0]);
	run(&t, 0, w10, 10, buf, 512);
	expect_sense(SK_MEDIUM_ERROR, ASC_WRITE_ERROR);
	disk_close(t.luns[0]);
}
END_TEST

/* ---- thread pool ---- */

struct waiter {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int done;
};

static void pool_done(struct scsi_cmd *c)
{
	struct waiter *w = c->priv;

	pthread_mutex_lock(&w->lock);
	w->done++;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

START_TEST(async_pool)
{
	enum { N = 64 };
	struct waiter w = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
	struct scsi_cmd *cs = calloc(N, sizeof(*cs));
	static struct iovec iov[N];
	static uint8_t data[N][4096];
	struct scsi_target t = { .nluns = 1 };
	int fd, async = 0;

	t.luns[0] = new_disk(false, 3, &fd);
	for (int i = 0; i < N; i++) {
		fill(data[i], 4096, (uint32_t)i + 10);
		ck_assert_int_eq(pwrite(fd, data[i], 4096, (off_t)i * 4096), 4096);
		memset(data[i], 0, 4096);
	}
	for (int i = 0; i < N; i++) {
		struct scsi_cmd *c = &cs[i];

		c->cdb[0] = 0x28;
		c->cdb[4] = (uint8_t)(i * 8 >> 8);
		c->cdb[5] = (uint8_t)(i * 8);
		c->cdb[8] = 8;
		c->cdb_len = 10;
		iov[i].iov_base = data[i];
		iov[i].iov_len = 4096;
		c->iov = &iov[i];
		c->iovcnt = 1;
		c->buf_len = 4096;
		c->done = pool_done;
		c->priv = &w;
		async += scsi_target_exec(&t, 0, c);
	}
	ck_assert_int_eq(async, N);
	pthread_mutex_lock(&w.lock);
	while (w.done < N)
		pthread_cond_wait(&w.cond, &w.lock);
	pthread_mutex_unlock(&w.lock);
	for (int i = 0; i < N; i++) {
		uint8_t want[4096];

		fill(want, 4096, (uint32_t)i + 10);
		ck_assert_uint_eq(cs[i].status, SAM_STAT_GOOD);
		ck_assert_uint_eq(cs[i].xfer, 4096);
		ck_assert(!memcmp(data[i], want, 4096));
	}
	disk_close(t.luns[0]);
	close(fd);
	free(cs);
}
END_TEST

/* One 4 KiB READ(10)/WRITE(10) at block @lba with may_run_now = @now. */
static void rw_now(struct scsi_target *t, struct scsi_cmd *c, struct waiter *w,
		   bool write, uint32_t lba, uint8_t *buf, bool now)
{
	static struct iovec iov;

	memset(c, 0, sizeof(*c));
	c->cdb[0] = write ? 0x2a : 0x28;
	c->cdb[2] = (uint8_t)(lba >> 24);
	c->cdb[3] = (uint8_t)(lba >> 16);
	c->cdb[4] = (uint8_t)(lba >> 8);
	c->cdb[5] = (uint8_t)lba;
	c->cdb[8] = 8;
	c->cdb_len = 10;
	iov.iov_base = buf;
	iov.iov_len = 4096;
	c->iov = &iov;
	c->iovcnt = 1;
	c->buf_len = 4096;
	c->done = pool_done;
	c->priv = w;
	c->may_run_now = now;
	ck_assert_int_eq(scsi_target_exec(t, 0, c), 1);
}

static void wait_done(struct waiter *w, int n)
{
	pthread_mutex_lock(&w->lock);
	while (w->done < n)
		pthread_cond_wait(&w->cond, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

/* A memory-backed disk with a pool: may_run_now runs it before exec returns. */
START_TEST(run_now_memory_file)
{
	struct waiter w = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
	struct scsi_target t = { .nluns = 1 };
	static uint8_t buf[4096], want[4096];
	struct scsi_cmd *c = calloc(1, sizeof(*c));
	int fd;

	t.luns[0] = new_disk(false, 3, &fd);
	fill(want, 4096, 77);
	memcpy(buf, want, 4096);
	rw_now(&t, c, &w, true, 16, buf, true);
	ck_assert_int_eq(w.done, 1);		/* no wait: it ran here */
	ck_assert(c->io.ran_now);
	ck_assert_uint_eq(c->status, SAM_STAT_GOOD);
	memset(buf, 0, 4096);
	ck_assert_int_eq(pread(fd, buf, 4096, 16 * 512), 4096);
	ck_assert(!memcmp(buf, want, 4096));
	memset(buf, 0, 4096);
	rw_now(&t, c, &w, false, 16, buf, true);
	ck_assert_int_eq(w.done, 2);
	ck_assert(c->io.ran_now);
	ck_assert_uint_eq(c->xfer, 4096);
	ck_assert(!memcmp(buf, want, 4096));
	/* a large request goes to the pool even so */
	{
		static uint8_t big[128 << 10];
		struct iovec biov = { big, sizeof(big) };

		memset(c, 0, sizeof(*c));
		c->cdb[0] = 0x28;
		c->cdb[7] = 1;		/* 256 blocks */
		c->cdb_len = 10;
		c->iov = &biov;
		c->iovcnt = 1;
		c->buf_len = sizeof(big);
		c->done = pool_done;
		c->priv = &w;
		c->may_run_now = true;
		ck_assert_int_eq(scsi_target_exec(&t, 0, c), 1);
		wait_done(&w, 3);
		ck_assert(!c->io.ran_now);
		ck_assert_uint_eq(c->xfer, sizeof(big));
		ck_assert(!memcmp(big + 16 * 512, want, 4096));
	}
	/* without may_run_now it goes to the pool */
	memset(buf, 0, 4096);
	rw_now(&t, c, &w, false, 16, buf, false);
	wait_done(&w, 4);
	ck_assert(!c->io.ran_now);
	ck_assert(!memcmp(buf, want, 4096));
	disk_close(t.luns[0]);
	close(fd);
	free(c);
}
END_TEST

/* A file on a disk file system: writes never run inline, reads may (RWF_NOWAIT). */
START_TEST(run_now_disk_file)
{
	struct waiter w = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
	struct scsi_target t = { .nluns = 1 };
	static uint8_t buf[4096], want[4096];
	struct scsi_cmd *c = calloc(1, sizeof(*c));
	char path[] = "./test_scsi_disk.XXXXXX", err[256];
	struct statfs sfs;
	bool memory;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	unlink(path);
	ck_assert_int_eq(ftruncate(fd, DISK_BYTES), 0);
	ck_assert_int_eq(fstatfs(fd, &sfs), 0);
	memory = sfs.f_type == TMPFS_MAGIC || sfs.f_type == RAMFS_MAGIC;
	t.luns[0] = disk_open_fd(dup(fd), false, "test-file", 2, err, sizeof(err));
	ck_assert_msg(t.luns[0] != NULL, "%s", err);
	fill(want, 4096, 78);
	memcpy(buf, want, 4096);
	rw_now(&t, c, &w, true, 8, buf, true);
	wait_done(&w, 1);
	ck_assert_int_eq(c->io.ran_now, memory);
	ck_assert_uint_eq(c->status, SAM_STAT_GOOD);
	memset(buf, 0, 4096);
	rw_now(&t, c, &w, false, 8, buf, true);	/* cached: inline if RWF_NOWAIT works */
	wait_done(&w, 2);
	ck_assert_uint_eq(c->status, SAM_STAT_GOOD);
	ck_assert(!memcmp(buf, want, 4096));
	disk_close(t.luns[0]);
	close(fd);
	free(c);
}
END_TEST

/* ---- --disk ---- */

START_TEST(spec_parse)
{
	struct disk_spec s;
	char err[256];

	ck_assert_int_eq(disk_spec_parse("/img/a.raw", &s, err, sizeof(err)), 0);
	ck_assert_str_eq(s.path, "/img/a.raw");
	ck_assert_int_eq(s.format, DISK_FORMAT_RAW);
	ck_assert(!s.readonly);
	ck_assert_int_eq(disk_spec_parse("/img/b.qcow2,format=qcow2,readonly", &s, err,
					 sizeof(err)), 0);
	ck_assert_str_eq(s.path, "/img/b.qcow2");
	ck_assert_int_eq(s.format, DISK_FORMAT_QCOW2);
	ck_assert(s.readonly);
	ck_assert_int_eq(disk_spec_parse("/dev/sdb,readonly,format=raw", &s, err,
					 sizeof(err)), 0);
	ck_assert(s.readonly);
	ck_assert_int_eq(disk_spec_parse("", &s, err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(disk_spec_parse(",readonly", &s, err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(disk_spec_parse("/a,format=vmdk", &s, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "format=vmdk"));
	ck_assert_int_eq(disk_spec_parse("/a,", &s, err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(disk_spec_parse("/a,readonlyx", &s, err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(s.cache, DISK_CACHE_WRITEBACK);
	ck_assert_int_eq(disk_spec_parse("/a,cache=none,readonly", &s, err, sizeof(err)), 0);
	ck_assert_int_eq(s.cache, DISK_CACHE_NONE);
	ck_assert(s.readonly);
	ck_assert_int_eq(disk_spec_parse("/a,format=qcow2,cache=unsafe", &s, err, sizeof(err)), 0);
	ck_assert_int_eq(s.cache, DISK_CACHE_UNSAFE);
	ck_assert_int_eq(disk_spec_parse("/a,cache=directsync", &s, err, sizeof(err)), 0);
	ck_assert_int_eq(s.cache, DISK_CACHE_DIRECTSYNC);
	ck_assert_int_eq(disk_spec_parse("/a,cache=writethrough", &s, err, sizeof(err)), 0);
	ck_assert_int_eq(s.cache, DISK_CACHE_WRITETHROUGH);
	ck_assert_int_eq(disk_spec_parse("/a,cache=writeback", &s, err, sizeof(err)), 0);
	ck_assert_int_eq(s.cache, DISK_CACHE_WRITEBACK);
	ck_assert_int_eq(disk_spec_parse("/a,cache=default", &s, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "cache=default"));
	ck_assert_int_eq(disk_spec_parse("/a,cache=", &s, err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(disk_spec_parse("/a,cache=nonex", &s, err, sizeof(err)), -EINVAL);
}
END_TEST

/* A 4 MiB file in the test's directory opened with cache=@mode. */
static struct disk *open_cached(const char *path, const char *mode, char *err,
				size_t errlen)
{
	struct disk_spec sp;
	char arg[256];

	snprintf(arg, sizeof(arg), "%s,cache=%s", path, mode);
	ck_assert_int_eq(disk_spec_parse(arg, &sp, err, errlen), 0);
	return disk_open(&sp, 0, err, errlen);
}

/* Is the page at @off of @fd in the page cache? */
static bool cached(int fd, off_t off)
{
	unsigned char vec = 0;
	void *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, off);

	ck_assert(p != MAP_FAILED);
	ck_assert_int_eq(mincore(p, 4096, &vec), 0);
	munmap(p, 4096);
	return vec & 1;
}

/* MODE SENSE's caching page: WCE. */
static bool wce(struct scsi_target *t)
{
	const uint8_t cache6[6] = { 0x1a, 0x08, 0x08, 0, 255, 0 };

	ck_assert_uint_eq(run(t, 0, cache6, 6, buf, 255), SAM_STAT_GOOD);
	return buf[6] & 0x04;
}

START_TEST(cache_modes)
{
	static const struct { const char *mode; bool wce, fua, direct; } m[] = {
		{ "writeback", true, false, false },
		{ "none", true, false, true },
		{ "writethrough", false, true, false },
		{ "directsync", false, true, true },
		{ "unsafe", true, false, false },
	};
	static uint8_t data[8192] __attribute__((aligned(4096)));
	const uint8_t w10[10] = { 0x2a, 0, 0, 0, 0, 8, 0, 0, 8, 0 };
	const uint8_t w10fua[10] = { 0x2a, 0x08, 0, 0, 0, 8, 0, 0, 8, 0 };
	const uint8_t r10[10] = { 0x28, 0, 0, 0, 0, 8, 0, 0, 8, 0 };
	const uint8_t s10[10] = { 0x35 };
	char path[] = "./test_scsi_disk.XXXXXX", err[256];
	struct scsi_target t = { .nluns = 1 };
	uint8_t want[4096];
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, DISK_BYTES), 0);
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		t.luns[0] = open_cached(path, m[i].mode, err, sizeof(err));
		ck_assert_msg(t.luns[0] != NULL, "%s: %s", m[i].mode, err);
		ck_assert_int_eq(wce(&t), m[i].wce);
		/* A write without FUA is durable at once without a write cache. */
		fill(want, 4096, (uint32_t)i);
		memcpy(data, want, 4096);
		ck_assert_int_eq(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0);
		ck_assert_uint_eq(run(&t, 0, w10, 10, data, 4096), SAM_STAT_GOOD);
		ck_assert_int_eq(cmd->io.fua, m[i].fua);
		/* none/directsync bypass the parent's page cache */
		ck_assert_int_eq(cached(fd, 4096), !m[i].direct);
		ck_assert_int_eq(pread(fd, data + 4096, 4096, 4096), 4096);
		ck_assert(!memcmp(data + 4096, want, 4096));
		/* unsafe: FUA and flushes do nothing; the others keep them */
		ck_assert_uint_eq(run(&t, 0, w10fua, 10, data, 4096), SAM_STAT_GOOD);
		ck_assert_int_eq(cmd->io.fua, strcmp(m[i].mode, "unsafe") != 0);
		ck_assert_uint_eq(run(&t, 0, s10, 10, data, 0), SAM_STAT_GOOD);
		ck_assert_int_eq(cmd->io.ran_now, !strcmp(m[i].mode, "unsafe"));
		/* O_DIRECT: an unaligned guest buffer still reads right */
		memset(data, 0, sizeof(data));
		ck_assert_uint_eq(run(&t, 0, r10, 10, data + 1, 4096), SAM_STAT_GOOD);
		ck_assert(!memcmp(data + 1, want, 4096));
		ck_assert_uint_eq(run(&t, 0, r10, 10, data, 4096), SAM_STAT_GOOD);
		ck_assert(!memcmp(data, want, 4096));
		disk_close(t.luns[0]);
	}
	unlink(path);
	close(fd);
}
END_TEST

START_TEST(open_refuses_bad_backing)
{
	struct disk_spec s;
	char err[256];

	memset(&s, 0, sizeof(s));
	strcpy(s.path, "/nonexistent/disk.img");
	ck_assert_ptr_null(disk_open(&s, 0, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
	strcpy(s.path, "/tmp");
	ck_assert_ptr_null(disk_open(&s, 0, err, sizeof(err)));
	ck_assert_ptr_null(disk_open_fd(memfd_disk(100), false, "tiny", 0, err,
					sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "smaller"));
}
END_TEST

/* ---- qcow2 through qemu-storage-daemon (qemu-utils, qemu-system-common) ---- */

static char qdir[] = "/tmp/scsi-qcow2-XXXXXX";
static char qimg[64];

static void qsetup(void)
{
	char sh[256];

	cmd_alloc();
	ck_assert_ptr_nonnull(mkdtemp(qdir));
	snprintf(qimg, sizeof(qimg), "%s/d.qcow2", qdir);
	snprintf(sh, sizeof(sh), "qemu-img create -q -f qcow2 %s 8M", qimg);
	ck_assert_int_eq(system(sh), 0);
}

static void qteardown(void)
{
	char sh[128];

	snprintf(sh, sizeof(sh), "rm -rf %s", qdir);
	ck_assert_int_eq(system(sh), 0);
	strcpy(qdir, "/tmp/scsi-qcow2-XXXXXX");
	free(cmd);
}

static struct disk *qopen(bool ro, unsigned int threads)
{
	struct disk_spec sp;
	char err[256], arg[128];
	struct disk *d;

	snprintf(arg, sizeof(arg), "%s,format=qcow2%s", qimg, ro ? ",readonly" : "");
	ck_assert_int_eq(disk_spec_parse(arg, &sp, err, sizeof(err)), 0);
	d = disk_open(&sp, threads, err, sizeof(err));
	ck_assert_msg(d != NULL, "%s", err);
	return d;
}

START_TEST(qcow2_write_flush_reopen)
{
	struct scsi_target t = { .nluns = 1 };
	uint8_t w16[16] = { 0x8a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0 };
	uint8_t r16[16] = { 0x88, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0 };
	uint8_t rc16[16] = { 0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0 };
	uint8_t s10[10] = { 0x35 };
	static uint8_t pat[16384], back[16384];
	char sh[256];
	FILE *p;

	t.luns[0] = qopen(false, 0);
	ck_assert_uint_eq(t.luns[0]->size, 8u << 20);
	ck_assert(t.luns[0]->can_discard);
	ck_assert_uint_eq(run(&t, 0, rc16, 16, buf, 32), SAM_STAT_GOOD);
	ck_assert_uint_eq(be64(buf), (8u << 20) / 512 - 1);
	fill(pat, sizeof(pat), 9);
	w16[9] = 200;	/* LBA 200 */
	r16[9] = 200;
	ck_assert_uint_eq(run(&t, 0, w16, 16, pat, sizeof(pat)), SAM_STAT_GOOD);
	ck_assert_uint_eq(cmd->xfer, sizeof(pat));
	ck_assert_uint_eq(run(&t, 0, s10, 10, buf, 0), SAM_STAT_GOOD);
	disk_close(t.luns[0]);
	/* qemu-img sees a consistent image with the data at 100 KiB */
	snprintf(sh, sizeof(sh), "qemu-img check -q %s", qimg);
	ck_assert_int_eq(system(sh), 0);
	snprintf(sh, sizeof(sh), "qemu-img convert -O raw %s %s/d.raw && "
		 "dd if=%s/d.raw bs=512 skip=200 count=32 2>/dev/null", qimg, qdir, qdir);
	p = popen(sh, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(fread(back, 1, sizeof(back), p), sizeof(back));
	pclose(p);
	ck_assert(!memcmp(back, pat, sizeof(pat)));
	/* reopened with I/O threads: the data reads back */
	t.luns[0] = qopen(false, 2);
	memset(back, 0, sizeof(back));
	ck_assert_uint_eq(run_async(&t, 0, r16, 16, back, sizeof(back)), SAM_STAT_GOOD);
	ck_assert(!memcmp(back, pat, sizeof(pat)));
	disk_close(t.luns[0]);
}
END_TEST

START_TEST(qcow2_unmap_and_readonly)
{
	struct scsi_target t = { .nluns = 1 };
	/* one whole 64 KiB qcow2 cluster: blocks 128-255 */
	uint8_t w10[10] = { 0x2a, 0, 0, 0, 0, 128, 0, 0, 16, 0 };
	uint8_t r10[10] = { 0x28, 0, 0, 0, 0, 128, 0, 0, 16, 0 };
	uint8_t um[10] = { 0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0 };
	static uint8_t pat[8192], zero[8192];
	uint8_t p[24];

	t.luns[0] = qopen(false, 0);
	fill(pat, sizeof(pat), 4);
	ck_assert_uint_eq(run(&t, 0, w10, 10, pat, sizeof(pat)), SAM_STAT_GOOD);
	unmap_list(p, 128, 128);
	ck_assert_uint_eq(run(&t, 0, um, 10, p, 24), SAM_STAT_GOOD);
	ck_assert_uint_eq(run(&t, 0, r10, 10, pat, sizeof(pat)), SAM_STAT_GOOD);
	ck_assert(!memcmp(pat, zero, sizeof(zero)));
	fill(pat, sizeof(pat), 5);
	ck_assert_uint_eq(run(&t, 0, w10, 10, pat, sizeof(pat)), SAM_STAT_GOOD);
	disk_close(t.luns[0]);
	t.luns[0] = qopen(true, 0);
	ck_assert(t.luns[0]->readonly);
	run(&t, 0, w10, 10, zero, sizeof(zero));
	expect_sense(SK_DATA_PROTECT, ASC_WRITE_PROTECTED);
	memset(pat, 0, sizeof(pat));
	ck_assert_uint_eq(run(&t, 0, r10, 10, pat, sizeof(pat)), SAM_STAT_GOOD);
	fill(zero, sizeof(zero), 5);
	ck_assert(!memcmp(pat, zero, sizeof(zero)));
	disk_close(t.luns[0]);
}
END_TEST

START_TEST(qcow2_bad_images_refused)
{
	struct disk_spec sp;
	char err[256], arg[128];
	int fd;

	/* a raw file is not a qcow2 image: the daemon exits, open fails */
	snprintf(arg, sizeof(arg), "%s/x.raw", qdir);
	fd = open(arg, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, 1 << 20), 0);
	close(fd);
	strcat(arg, ",format=qcow2");
	ck_assert_int_eq(disk_spec_parse(arg, &sp, err, sizeof(err)), 0);
	ck_assert_ptr_null(disk_open(&sp, 0, err, sizeof(err)));
	ck_assert_msg(strstr(err, "did not serve") != NULL, "%s", err);
	/* missing file */
	ck_assert_int_eq(disk_spec_parse("/nonexistent.qcow2,format=qcow2", &sp, err,
					 sizeof(err)), 0);
	ck_assert_ptr_null(disk_open(&sp, 0, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
	/* a daemon that is not there */
	setenv("QEMU_STORAGE_DAEMON", "/nonexistent/qemu-storage-daemon", 1);
	snprintf(arg, sizeof(arg), "%s,format=qcow2", qimg);
	ck_assert_int_eq(disk_spec_parse(arg, &sp, err, sizeof(err)), 0);
	ck_assert_ptr_null(disk_open(&sp, 0, err, sizeof(err)));
	unsetenv("QEMU_STORAGE_DAEMON");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("scsi_disk");
	TCase *t = tcase_create("scsi");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, inquiry_standard);
	tcase_add_test(t, inquiry_page_without_evpd);
	tcase_add_test(t, vpd_pages);
	tcase_add_test(t, serial_is_stable_per_backing);
	tcase_add_test(t, absent_lun);
	tcase_add_test(t, report_luns);
	tcase_add_test(t, read_capacity);
	tcase_add_test(t, mode_sense);
	tcase_add_test(t, read_write_10_16_6);
	tcase_add_test(t, read_larger_buffer_moves_cdb_length);
	tcase_add_test(t, zero_length_transfer);
	tcase_add_test(t, write_protected);
	tcase_add_test(t, lba_out_of_range);
	tcase_add_test(t, buffer_shorter_than_transfer);
	tcase_add_test(t, synchronize_cache);
	tcase_add_test(t, unmap_punches_hole);
	tcase_add_test(t, unmap_bad_parameters);
	tcase_add_test(t, unknown_opcode_and_short_cdb);
	tcase_add_test(t, misc_commands);
	tcase_add_test(t, io_error_is_medium_error);
	tcase_add_test(t, async_pool);
	tcase_add_test(t, run_now_memory_file);
	tcase_add_test(t, run_now_disk_file);
	tcase_add_test(t, spec_parse);
	tcase_add_test(t, open_refuses_bad_backing);
	tcase_add_test(t, cache_modes);
	suite_add_tcase(s, t);
	t = tcase_create("qcow2");
	tcase_add_checked_fixture(t, qsetup, qteardown);
	tcase_set_timeout(t, 60);
	tcase_add_test(t, qcow2_write_flush_reopen);
	tcase_add_test(t, qcow2_unmap_and_readonly);
	tcase_add_test(t, qcow2_bad_images_refused);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return hv_check_run(suite());
}
