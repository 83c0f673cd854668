/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: SCSI target emulation (SBC-3/SPC-4 subset) for the synthetic
 * SCSI controller (storvsp.h), independent of the transport: a target
 * with up to DISK_MAX_DISKS LUNs, each a 512-byte-block disk on a
 * struct disk (disk_backend.h).
 *
 * Commands: TEST UNIT READY, REQUEST SENSE, INQUIRY (standard and VPD
 * 0x00, 0x80, 0x83, 0xB0, 0xB1, 0xB2), REPORT LUNS, READ CAPACITY
 * (10/16), MODE SENSE (6/10: caching and control pages, WP and DPOFUA),
 * READ/WRITE (6/10/16, FUA), SYNCHRONIZE CACHE (10/16), UNMAP (when the
 * backing punches holes), VERIFY (10/16), START STOP UNIT, PREVENT ALLOW
 * MEDIUM REMOVAL.  Anything else: CHECK CONDITION, ILLEGAL REQUEST,
 * INVALID COMMAND OPERATION CODE.  Writes to a read-only disk: DATA
 * PROTECT, WRITE PROTECTED; out-of-range LBAs: ILLEGAL REQUEST, LOGICAL
 * BLOCK ADDRESS OUT OF RANGE; a LUN that does not exist: INQUIRY with
 * peripheral qualifier 3, other commands LOGICAL UNIT NOT SUPPORTED.
 *
 * The data buffer is the guest's memory, given as an iovec list; the CDB
 * and the list are the caller's checked copies.
 */
#ifndef HVWORKER_SCSI_DISK_H
#define HVWORKER_SCSI_DISK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "disk_backend.h"

#define SCSI_BLOCK_SIZE		512u
#define SCSI_SENSE_LEN		18u	/* fixed-format sense */
#define SCSI_MAX_XFER		(1u << 20)	/* bytes per command */

/* SAM status */
#define SAM_STAT_GOOD			0x00
#define SAM_STAT_CHECK_CONDITION	0x02

/* Sense keys */
#define SK_NO_SENSE		0x0
#define SK_NOT_READY		0x2
#define SK_MEDIUM_ERROR		0x3
#define SK_HARDWARE_ERROR	0x4
#define SK_ILLEGAL_REQUEST	0x5
#define SK_DATA_PROTECT		0x7
#define SK_ABORTED_COMMAND	0xb

/* ASC/ASCQ pairs (asc << 8 | ascq) */
#define ASC_INVALID_OPCODE	0x2000
#define ASC_LBA_OUT_OF_RANGE	0x2100
#define ASC_INVALID_FIELD_CDB	0x2400
#define ASC_LUN_NOT_SUPPORTED	0x2500
#define ASC_INVALID_FIELD_PARAM	0x2600
#define ASC_WRITE_PROTECTED	0x2700
#define ASC_PARAM_LIST_LENGTH	0x1a00
#define ASC_READ_ERROR		0x1100
#define ASC_WRITE_ERROR		0x0c00

struct scsi_cmd;

struct scsi_cmd {
	/* in */
	uint8_t cdb[16];
	uint8_t cdb_len;
	const struct iovec *iov;	/* data buffer */
	int iovcnt;
	uint32_t buf_len;		/* sum of iov lengths */
	/* out */
	uint8_t status;			/* SAM_STAT_* */
	uint8_t sense[SCSI_SENSE_LEN];
	uint8_t sense_len;		/* 0 or SCSI_SENSE_LEN */
	uint32_t xfer;			/* bytes moved to or from the buffer */
	/* async completion (READ/WRITE/SYNC/UNMAP) */
	bool may_run_now;		/* disk_submit_now(): done() may run inline */
	void (*done)(struct scsi_cmd *c);
	void *priv;
	struct disk_io io;
	struct iovec sub[DISK_MAX_IOV];	/* the part of iov the I/O uses */
};

struct scsi_target {
	struct disk *luns[DISK_MAX_DISKS];
	unsigned int nluns;
};

/*
 * scsi_target_exec() - run @c on LUN @lun of @t (@t NULL or @lun >=
 * nluns: an absent LUN).
 * Return: 0 when @c is complete now (status, sense and xfer set, done()
 * not called); 1 when it went to the disk: done() is called later, from
 * an I/O thread (or before this returns, for an inline disk).
 */
int scsi_target_exec(const struct scsi_target *t, unsigned int lun, struct scsi_cmd *c);

/* Set CHECK CONDITION with fixed-format sense @key/@asc_ascq. */
void scsi_set_sense(struct scsi_cmd *c, uint8_t key, uint16_t asc_ascq);

#endif /* HVWORKER_SCSI_DISK_H */
