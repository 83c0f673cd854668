// SPDX-License-Identifier: GPL-2.0
/* hvworker: SCSI target emulation (scsi_disk.h). */
#include <errno.h>
#include <string.h>

#include "be_bytes.h"
#include "scsi_disk.h"

/* Opcodes */
#define TEST_UNIT_READY		0x00
#define REQUEST_SENSE		0x03
#define READ_6			0x08
#define WRITE_6			0x0a
#define INQUIRY			0x12
#define MODE_SENSE_6		0x1a
#define START_STOP_UNIT		0x1b
#define PREVENT_ALLOW		0x1e
#define READ_CAPACITY_10	0x25
#define READ_10			0x28
#define WRITE_10		0x2a
#define VERIFY_10		0x2f
#define SYNCHRONIZE_CACHE_10	0x35
#define UNMAP			0x42
#define MODE_SENSE_10		0x5a
#define READ_16			0x88
#define WRITE_16		0x8a
#define VERIFY_16		0x8f
#define SYNCHRONIZE_CACHE_16	0x91
#define SERVICE_ACTION_IN_16	0x9e
#define SAI_READ_CAPACITY_16	0x10
#define REPORT_LUNS		0xa0

#define MAX_UNMAP_DESC		DISK_MAX_RANGES
#define MAX_UNMAP_BLOCKS	(64u << 20 >> 9)	/* 64 MiB per descriptor */

void scsi_set_sense(struct scsi_cmd *c, uint8_t key, uint16_t asc_ascq)
{
	c->status = SAM_STAT_CHECK_CONDITION;
	memset(c->sense, 0, sizeof(c->sense));
	c->sense[0] = 0x70;		/* current error, fixed format */
	c->sense[2] = key & 0xf;
	c->sense[7] = SCSI_SENSE_LEN - 8;	/* additional sense length */
	c->sense[12] = (uint8_t)(asc_ascq >> 8);
	c->sense[13] = (uint8_t)asc_ascq;
	c->sense_len = SCSI_SENSE_LEN;
	c->xfer = 0;
}

static int good(struct scsi_cmd *c)
{
	c->status = SAM_STAT_GOOD;
	c->sense_len = 0;
	return 0;
}

static int fail(struct scsi_cmd *c, uint8_t key, uint16_t asc_ascq)
{
	scsi_set_sense(c, key, asc_ascq);
	return 0;
}

/* Copy @len bytes of @src to the start of the buffer (at most @alloc). */
static int data_in(struct scsi_cmd *c, const void *src, uint32_t len, uint32_t alloc)
{
	const uint8_t *s = src;
	uint32_t n = len < alloc ? len : alloc, done = 0;

	if (n > c->buf_len)
		n = c->buf_len;
	for (int i = 0; i < c->iovcnt && done < n; i++) {
		uint32_t k = n - done < c->iov[i].iov_len ? n - done :
							    (uint32_t)c->iov[i].iov_len;

		memcpy(c->iov[i].iov_base, s + done, k);
		done += k;
	}
	c->xfer = done;
	return good(c);
}

/* Copy the first @len bytes of the buffer out (once: it is guest memory). */
static uint32_t data_out(const struct scsi_cmd *c, void *dst, uint32_t len)
{
	uint8_t *d = dst;
	uint32_t done = 0;

	for (int i = 0; i < c->iovcnt && done < len; i++) {
		uint32_t k = len - done < c->iov[i].iov_len ? len - done :
							      (uint32_t)c->iov[i].iov_len;

		memcpy(d + done, c->iov[i].iov_base, k);
		done += k;
	}
	return done;
}

/* ---- INQUIRY ------------------------------------------------------------ */

static void pad(uint8_t *dst, const char *s, size_t n)
{
	size_t l = strlen(s);

	memset(dst, ' ', n);
	memcpy(dst, s, l < n ? l : n);
}

static int inquiry_std(struct scsi_cmd *c, uint8_t pdt, uint32_t alloc)
{
	uint8_t b[96];

	memset(b, 0, sizeof(b));
	b[0] = pdt;		/* qualifier 0, direct access; 0x7f absent */
	b[2] = 0x06;		/* SPC-4 */
	b[3] = 0x12;		/* HiSup, response data format 2 */
	b[4] = sizeof(b) - 5;
	b[7] = 0x02;		/* CmdQue */
	pad(b + 8, "MKHV", 8);
	pad(b + 16, "Virtual Disk", 16);
	pad(b + 32, "1.0", 4);
	return data_in(c, b, sizeof(b), alloc);
}

static int inquiry_vpd(struct scsi_cmd *c, const struct disk *d, uint8_t page,
		       uint32_t alloc)
{
	static const uint8_t pages[] = { 0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2 };
	uint8_t b[64];
	uint32_t n;
	size_t sl = strlen(d->serial);

	memset(b, 0, sizeof(b));
	b[1] = page;
	switch (page) {
	case 0x00:
		memcpy(b + 4, pages, sizeof(pages));
		n = 4 + sizeof(pages);
		break;
	case 0x80:		/* unit serial number */
		memcpy(b + 4, d->serial, sl);
		n = 4 + (uint32_t)sl;
		break;
	case 0x83:		/* device identification: T10 vendor id */
		b[4] = 0x02;	/* ASCII */
		b[5] = 0x01;	/* LU association, T10 vendor id */
		b[7] = (uint8_t)(8 + sl);
		pad(b + 8, "MKHV", 8);
		memcpy(b + 16, d->serial, sl);
		n = 16 + (uint32_t)sl;
		break;
	case 0xb0:		/* block limits */
		n = 64;
		be_put16(b + 6, 1);				/* optimal granularity */
		be_put32(b + 8, SCSI_MAX_XFER / SCSI_BLOCK_SIZE);	/* maximum transfer */
		/*
		 * Optimal = maximum: Linux's sd caps max_sectors_kb at the
		 * optimal transfer length, and one 1 MiB SRB costs one VMBus
		 * round trip where eight 128 KiB ones cost eight.
		 */
		be_put32(b + 12, SCSI_MAX_XFER / SCSI_BLOCK_SIZE);	/* optimal transfer */
		if (d->can_discard) {
			be_put32(b + 20, MAX_UNMAP_BLOCKS);	/* max unmap LBAs */
			be_put32(b + 24, MAX_UNMAP_DESC);		/* max descriptors */
			be_put32(b + 28, 4096 / SCSI_BLOCK_SIZE);	/* granularity */
		}
		break;
	case 0xb1:		/* block device characteristics */
		n = 64;
		be_put16(b + 4, 1);	/* non-rotating */
		break;
	case 0xb2:		/* logical block provisioning */
		n = 8;
		b[5] = d->can_discard ? 0x80 : 0;	/* LBPU */
		b[6] = d->can_discard ? 0x02 : 0;	/* thin provisioned */
		break;
	default:
		return fail(c, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
	}
	be_put16(b + 2, (uint16_t)(n - 4));
	return data_in(c, b, n, alloc);
}

static int inquiry(struct scsi_cmd *c, const struct disk *d)
{
	uint32_t alloc = be_get16(c->cdb + 3);

	if (c->cdb[1] & 0x01) {
		if (!d)
			return fail(c, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
		return inquiry_vpd(c, d, c->cdb[2], alloc);
	}
	if (c->cdb[2])		/* page code without EVPD */
		return fail(c, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
	return inquiry_std(c, d ? 0x00 : 0x7f, alloc);
}

/* ---- capacity, mode pages ---------------------------------------------- */

static uint64_t blocks(const struct disk *d)
{
	return d->size / SCSI_BLOCK_SIZE;
}

static int read_capacity_10(struct scsi_cmd *c, const struct disk *d)
{
	uint8_t b[8];
	uint64_t last = blocks(d) - 1;

	be_put32(b, last > 0xffffffffull ? 0xffffffffu : (uint32_t)last);
	be_put32(b + 4, SCSI_BLOCK_SIZE);
	return data_in(c, b, sizeof(b), sizeof(b));
}

static int read_capacity_16(struct scsi_cmd *c, const struct disk *d)
{
	uint8_t b[32];

	memset(b, 0, sizeof(b));
	be_put64(b, blocks(d) - 1);
	be_put32(b + 8, SCSI_BLOCK_SIZE);
	b[13] = 3;		/* 8 logical blocks per 4 KiB physical block */
	if (d->can_discard)
		b[14] = 0x80;	/* LBPME */
	return data_in(c, b, sizeof(b), be_get32(c->cdb + 10));
}

/* Mode page @code (current/default values; nothing is changeable) at @p. */
static uint32_t mode_page(const struct disk *d, uint8_t *p, uint8_t code,
			  bool changeable)
{
	switch (code) {
	case 0x08:		/* caching */
		memset(p, 0, 20);
		p[0] = 0x08;
		p[1] = 18;
		/* WCE: the guest must flush (writeback, none, unsafe) */
		if (!changeable && d->write_cache)
			p[2] = 0x04;
		return 20;
	case 0x0a:		/* control */
		memset(p, 0, 12);
		p[0] = 0x0a;
		p[1] = 10;
		if (!changeable)
			p[3] = 0x10;	/* unrestricted reordering allowed */
		return 12;
	}
	return 0;
}

static int mode_sense(struct scsi_cmd *c, const struct disk *d, bool ten)
{
	uint8_t b[128];
	uint8_t page = c->cdb[2] & 0x3f, pc = c->cdb[2] >> 6, sub = c->cdb[3];
	bool dbd = c->cdb[1] & 0x08;
	uint32_t hdr = ten ? 8 : 4, n = hdr, alloc = ten ? be_get16(c->cdb + 7) : c->cdb[4];
	uint64_t nb = blocks(d);

	if (pc == 3)		/* saved values */
		return fail(c, SK_ILLEGAL_REQUEST, 0x3900);	/* saving not supported */
	if (sub && !(page == 0x3f && sub == 0xff))
		return fail(c, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
	memset(b, 0, sizeof(b));
	if (!dbd) {		/* one short block descriptor */
		be_put32(b + n, nb > 0xffffffffull ? 0xffffffffu : (uint32_t)nb);
		be_put32(b + n + 4, SCSI_BLOCK_SIZE);
		n += 8;
	}
	if (page == 0x3f) {
		n += mode_page(d, b + n, 0x08, pc == 1);
		n += mode_page(d, b + n, 0x0a, pc == 1);
	} else {
		uint32_t k = mode_page(d, b + n, page, pc == 1);

		if (!k)
			return fail(c, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
		n += k;
	}
	/* device-specific parameter: WP, DPOFUA */
	if (ten) {
		be_put16(b, (uint16_t)(n - 2));
		b[3] = (d->readonly ? 0x80 : 0) | 0x10;
		b[7] = dbd ? 0 : 8;
	} else {
		b[0] = (uint8_t)(n - 1);
		b[2] = (d->readonly ? 0x80 : 0) | 0x10;
		b[3] = dbd ? 0 : 8;
	}
	return data_in(c, b, n, alloc);
}

static int report_luns(struct scsi_cmd *c, const struct scsi_target *t, bool present)
{
	uint8_t b[8 + 8 * DISK_MAX_DISKS];
	unsigned int n = present && t ? t->nluns : 0;
	uint32_t alloc = be_get32(c->cdb + 6);

	if (alloc < 16)
		return fail(c, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
	memset(b, 0, sizeof(b));
	be_put32(b, 8 * n);
	for (unsigned int i = 0; i < n; i++)
		b[8 + 8 * i + 1] = (uint8_t)i;	/* peripheral addressing */
	return data_in(c, b, 8 + 8 * n, alloc);
}

/* ---- I/O ---------------------------------------------------------------- */

static void io_done(struct disk_io *io)
{
	struct scsi_cmd *c = io->priv;

	if (io->result) {
		uint16_t asc = io->op == DISK_READ ? ASC_READ_ERROR : ASC_WRITE_ERROR;

		scsi_set_sense(c, SK_MEDIUM_ERROR, asc);
	} else {
		good(c);
		c->xfer = io->op == DISK_READ || io->op == DISK_WRITE ?
			  (uint32_t)io->len : 0;
	}
	c->done(c);
}

static int submit(struct scsi_cmd *c, struct disk *d)
{
	c->io.done = io_done;
	c->io.priv = c;
	if (c->may_run_now)
		disk_submit_now(d, &c->io);
	else
		disk_submit(d, &c->io);
	return 1;
}

/* Check [lba, lba + n) against the disk. */
static bool in_range(const struct disk *d, uint64_t lba, uint64_t n)
{
	return lba <= blocks(d) && n <= blocks(d) - lba;
}

/* The first @len bytes of the buffer as c->sub. */
static int sub_iov(struct scsi_cmd *c, uint32_t len)
{
	uint32_t done = 0;
	int n = 0;

	for (int i = 0; i < c->iovcnt && done < len; i++) {
		uint32_t k = len - done < c->iov[i].iov_len ? len - done :
							      (uint32_t)c->iov[i].iov_len;

		if (n == DISK_MAX_IOV)
			return -E2BIG;
		c->sub[n].iov_base = c->iov[i].iov_base;
		c->sub[n++].iov_len = k;
		done += k;
	}
	return n;
}

static int rw(struct scsi_cmd *c, struct disk *d, bool write, uint64_t lba,
	      uint32_t nblk, bool fua)
{
	uint64_t bytes = (uint64_t)nblk * SCSI_BLOCK_SIZE;
	int n;

	if (write && d->readonly)
		return fail(c, SK_DATA_PROTECT, ASC_WRITE_PROTECTED);
	if (!in_range(d, lba, nblk))
		return fail(c, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE);
	if (bytes > SCSI_MAX_XFER || bytes > c->buf_len)
		return fail(c, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
	if (!nblk) {
		disk_count(d, write ? DISK_WRITE : DISK_READ, 0, 0);
		c->xfer = 0;
		return good(c);
	}
	n = sub_iov(c, (uint32_t)bytes);
	if (n < 0)
		return fail(c, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
	memset(&c->io, 0, sizeof(c->io));
	c->io.op = write ? DISK_WRITE : DISK_READ;
	c->io.off = lba * SCSI_BLOCK_SIZE;
	c->io.iov = c->sub;
	c->io.iovcnt = n;
	c->io.len = bytes;
	c->io.fua = write && fua;
	return submit(c, d);
}

static int sync_cache(struct scsi_cmd *c, struct disk *d, uint64_t lba, uint64_t n)
{
	if (!in_range(d, lba, n))
		return fail(c, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE);
	if (d->readonly) {	/* nothing to flush */
		disk_count(d, DISK_FLUSH, 0, 0);
		c->xfer = 0;
		return good(c);
	}
	memset(&c->io, 0, sizeof(c->io));
	c->io.op = DISK_FLUSH;
	return submit(c, d);
}

static int unmap(struct scsi_cmd *c, struct disk *d)
{
	uint8_t p[8 + 16 * MAX_UNMAP_DESC];
	uint32_t plen = be_get16(c->cdb + 7), got, dlen, nd;

	if (d->readonly)
		return fail(c, SK_DATA_PROTECT, ASC_WRITE_PROTECTED);
	if (!d->can_discard)
		return fail(c, SK_ILLEGAL_REQUEST, ASC_INVALID_OPCODE);
	if (c->cdb[1] & 0x01)	/* ANCHOR */
		return fail(c, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
	if (!plen)
		return good(c);
	if (plen < 8 || plen > c->buf_len)
		return fail(c, SK_ILLEGAL_REQUEST, ASC_PARAM_LIST_LENGTH);
	if (plen > sizeof(p))
		plen = sizeof(p);
	got = data_out(c, p, plen);
	dlen = be_get16(p + 2);
	if (got < 8 || dlen % 16 || dlen > got - 8)
		return fail(c, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_PARAM);
	nd = dlen / 16;
	if (nd > MAX_UNMAP_DESC)
		return fail(c, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_PARAM);
	memset(&c->io, 0, sizeof(c->io));
	c->io.op = DISK_DISCARD;
	for (uint32_t i = 0; i < nd; i++) {
		uint64_t lba = be_get64(p + 8 + 16 * i);
		uint32_t n = be_get32(p + 8 + 16 * i + 8);

		if (!in_range(d, lba, n))
			return fail(c, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE);
		if (n > MAX_UNMAP_BLOCKS)
			return fail(c, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_PARAM);
		if (!n)
			continue;
		c->io.ranges[c->io.nranges].off = lba * SCSI_BLOCK_SIZE;
		c->io.ranges[c->io.nranges++].len = (uint64_t)n * SCSI_BLOCK_SIZE;
	}
	if (!c->io.nranges)
		return good(c);
	return submit(c, d);
}

/* The CDB must be at least as long as its group's size. */
static uint8_t cdb_size(uint8_t op)
{
	switch (op >> 5) {
	case 0:
		return 6;
	case 1:
	case 2:
		return 10;
	case 4:
		return 16;
	case 5:
		return 12;
	}
	return 1;	/* groups 3, 6, 7: reserved or vendor specific */
}

static int disk_exec(struct disk *d, struct scsi_cmd *c)
{
	const uint8_t *b = c->cdb;

	switch (b[0]) {
	case TEST_UNIT_READY:
	case START_STOP_UNIT:
	case PREVENT_ALLOW:
		return good(c);
	case REQUEST_SENSE: {
		uint8_t s[SCSI_SENSE_LEN] = { 0x70, 0, SK_NO_SENSE, 0, 0, 0, 0,
					      SCSI_SENSE_LEN - 8 };

		return data_in(c, s, sizeof(s), b[4]);
	}
	case INQUIRY:
		return inquiry(c, d);
	case READ_CAPACITY_10:
		return read_capacity_10(c, d);
	case SERVICE_ACTION_IN_16:
		if ((b[1] & 0x1f) != SAI_READ_CAPACITY_16)
			return fail(c, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
		return read_capacity_16(c, d);
	case MODE_SENSE_6:
		return mode_sense(c, d, false);
	case MODE_SENSE_10:
		return mode_sense(c, d, true);
	case READ_6:
	case WRITE_6: {
		uint32_t n = b[4] ? b[4] : 256;

		return rw(c, d, b[0] == WRITE_6,
			  (uint32_t)(b[1] & 0x1f) << 16 | be_get16(b + 2), n, false);
	}
	case READ_10:
	case WRITE_10:
		return rw(c, d, b[0] == WRITE_10, be_get32(b + 2), be_get16(b + 7),
			  b[1] & 0x08);
	case READ_16:
	case WRITE_16:
		return rw(c, d, b[0] == WRITE_16, be_get64(b + 2), be_get32(b + 10),
			  b[1] & 0x08);
	case VERIFY_10:
		if (!in_range(d, be_get32(b + 2), be_get16(b + 7)))
			return fail(c, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE);
		return good(c);
	case VERIFY_16:
		if (!in_range(d, be_get64(b + 2), be_get32(b + 10)))
			return fail(c, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE);
		return good(c);
	case SYNCHRONIZE_CACHE_10:
		return sync_cache(c, d, be_get32(b + 2), be_get16(b + 7));
	case SYNCHRONIZE_CACHE_16:
		return sync_cache(c, d, be_get64(b + 2), be_get32(b + 10));
	case UNMAP:
		return unmap(c, d);
	}
	return fail(c, SK_ILLEGAL_REQUEST, ASC_INVALID_OPCODE);
}

int scsi_target_exec(const struct scsi_target *t, unsigned int lun, struct scsi_cmd *c)
{
	bool present = t && lun < t->nluns && t->luns[lun];

	c->xfer = 0;
	c->sense_len = 0;
	c->status = SAM_STAT_GOOD;
	if (!c->cdb_len || c->cdb_len > sizeof(c->cdb) || c->cdb_len < cdb_size(c->cdb[0]))
		return fail(c, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
	if (c->cdb[0] == REPORT_LUNS)
		return report_luns(c, t, t != NULL);
	if (!present) {
		if (c->cdb[0] == INQUIRY)
			return inquiry(c, NULL);
		return fail(c, SK_ILLEGAL_REQUEST, ASC_LUN_NOT_SUPPORTED);
	}
	return disk_exec(t->luns[lun], c);
}
