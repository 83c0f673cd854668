// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the storage VSP's packet parser (storvsp_parse:
 * descriptor type and offset, vstor_packet, GPA-direct range and page
 * list against guest RAM) and, for SRBs it accepts, the SCSI target
 * (scsi_target_exec: every CDB) on an inline 8 MiB memfd disk.
 *
 * Input: byte 0 the packet type (low 4 bits), byte 1 offset8, the rest the
 * packet after its 16-byte descriptor.  Guest RAM is 1 MiB at GPA 0.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "disk_backend.h"
#include "guest.h"
#include "scsi_disk.h"
#include "storvsp.h"

#define RAM	(1u << 20)

static struct guest_mem mem;
static struct scsi_target tgt;
static struct storvsp_msg msg;
static struct scsi_cmd cmd;
static uint8_t pkt[16 + 65536];

static void done(struct scsi_cmd *c)
{
	(void)c;
}

static void init(void)
{
	static uint8_t *ram;
	char err[128];
	int fd;

	if (ram)
		return;
	ram = calloc(1, RAM);
	guest_mem_init(&mem, ram, RAM);
	fd = memfd_create("fuzz-disk", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, 8 << 20))
		abort();
	tgt.luns[0] = disk_open_fd(fd, false, "fuzz", 0, err, sizeof(err));
	fd = memfd_create("fuzz-disk-ro", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, 1 << 20))
		abort();
	tgt.luns[1] = disk_open_fd(fd, true, "fuzz-ro", 0, err, sizeof(err));
	if (!tgt.luns[0] || !tgt.luns[1])
		abort();
	tgt.nluns = 2;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmbus_packet_desc desc;
	const struct vmscsi_request *srb = &msg.p.vm_srb;
	uint32_t len, off;

	init();
	if (size < 2 || size - 2 > sizeof(pkt) - 16)
		return 0;
	len = (uint32_t)(16 + size - 2);
	memset(&desc, 0, sizeof(desc));
	desc.type = data[0] & 0xf;
	desc.offset8 = data[1];
	desc.len8 = (uint16_t)((len + 7) / 8);
	memcpy(pkt, &desc, sizeof(desc));
	memcpy(pkt + 16, data + 2, size - 2);
	/* As the ring delivers it: 16 <= offset8 * 8 <= len. */
	off = desc.offset8 * 8u;
	if (off < 16 || off > len)
		return 0;
	if (storvsp_parse(&mem, &desc, pkt + 16, off - 16, pkt + off, len - off,
			  &msg) != 0)
		return 0;
	if (msg.p.operation != VSTOR_OPERATION_EXECUTE_SRB ||
	    !srb->cdb_length || srb->cdb_length > STORVSC_MAX_CMD_LEN)
		return 0;
	memset(&cmd, 0, offsetof(struct scsi_cmd, io));
	memcpy(cmd.cdb, srb->cdb, sizeof(cmd.cdb));
	cmd.cdb_len = srb->cdb_length;
	cmd.iov = msg.iov;
	cmd.iovcnt = msg.iovcnt;
	cmd.buf_len = msg.buf_len;
	cmd.done = done;
	scsi_target_exec(srb->path_id || srb->target_id ? NULL : &tgt, srb->lun, &cmd);
	return 0;
}
