/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: the storage VSP (issue 10) — one synthetic SCSI controller
 * (VMBus class ba6163d9-…, Linux's hv_storvsc) whose LUNs are the VM's
 * --disk options, served over the controller's VMBus channel.
 *
 * Protocol (include/vmbus/storvsc_wire.h, linux-hv-guest.md §6.1):
 * BEGIN_INITIALIZATION, QUERY_PROTOCOL_VERSION (6.2, 6.0, 5.1 accepted),
 * QUERY_PROPERTIES (no sub-channels, STORVSP_MAX_TRANSFER bytes per SRB),
 * END_INITIALIZATION, then EXECUTE_SRB: in-band without data, GPA-direct
 * with one page range of the guest's RAM.  Each request is answered with
 * a VM_PKT_COMP carrying a whole vstor_packet.  SCSI commands run in
 * scsi_disk.c; reads and writes go to the disk's I/O threads and are
 * completed from the VMBus thread (vmbus_host_dev_wake), so a slow request
 * does not stop the ring.
 *
 * Hostile guests: every packet is copied once; a packet that is not a
 * well-formed request (type, lengths, range count, page list shorter than
 * the buffer, buffer length different from the SRB's, a page outside RAM,
 * a buffer larger than STORVSP_MAX_TRANSFER) fails the channel
 * (vmbus_host_dev_fail: closed and rescinded); an SRB for a LUN that does
 * not exist gets SCSI errors; an unknown operation an error status.
 */
#ifndef HVWORKER_STORVSP_H
#define HVWORKER_STORVSP_H

#include <stdint.h>
#include <sys/uio.h>

#include <vmbus/storvsc_wire.h>

#include "disk_backend.h"
#include "guest.h"
#include "vmbus_host.h"

#define STORVSP_MAX_TRANSFER	(1u << 20)	/* max_transfer_bytes */
#define STORVSP_MAX_REQS	1024		/* SRBs in flight per channel */
#define STORVSP_MAX_PFNS	(STORVSP_MAX_TRANSFER / VMBUS_PAGE_SIZE + 1)

struct storvsp;

/*
 * storvsp_create() - a SCSI controller on @h with LUN i = @disks[i]
 * (n <= DISK_MAX_DISKS; the disks stay the caller's).  Call before
 * vmbus_host_start()/spawn().  Return: the VSP or NULL.
 */
struct storvsp *storvsp_create(struct vmbus_host *h, const struct guest_mem *mem,
			       struct disk *const *disks, unsigned int n);

/*
 * storvsp_destroy() - after vmbus_host_join() (the VMBus thread is gone),
 * disk_close() of its disks (no I/O in flight) and vmbus_host_destroy()
 * (which may still close the channel).
 */
void storvsp_destroy(struct storvsp *s);

/*
 * Where an SRB's time goes (ns, CLOCK_MONOTONIC), per class: read of at
 * most 4 KiB, larger read, write, anything else.  queue: from the packet
 * in dev_packet() to its I/O starting (the hop to a pool thread, 0 for
 * commands answered at once); io: the backing's preadv/pwritev/fdatasync;
 * send: from the I/O's end to the completion written into the ring.
 */
enum { STORVSP_T_READ4K, STORVSP_T_READ, STORVSP_T_WRITE, STORVSP_T_OTHER, STORVSP_T_N };
struct storvsp_timing {
	uint64_t n, bytes, queue_ns, io_ns, send_ns, inline_n;
};

struct storvsp_stats {
	uint32_t version;	/* negotiated VSTOR version, 0 = none */
	bool ready;		/* END_INITIALIZATION seen */
	uint64_t srbs, completions, errors, in_flight, busy;
	uint64_t max_in_flight;
	struct storvsp_timing t[STORVSP_T_N];
};
void storvsp_get_stats(struct storvsp *s, struct storvsp_stats *st);
/* The timing figures as log lines ("storvsp: timing ..."); under the host lock. */
void storvsp_log_timing(struct storvsp *s);

/* One guest packet, checked (storvsp_parse). */
struct storvsp_msg {
	struct vstor_packet p;		/* copied once */
	struct iovec iov[STORVSP_MAX_PFNS];	/* GPA-direct: the buffer in guest RAM */
	int iovcnt;
	uint32_t buf_len;		/* bytes in iov (= the SRB's data_transfer_length) */
	const char *why;		/* error: why the channel must fail */
};

/*
 * storvsp_parse() - check one guest packet (@desc its validated
 * descriptor, @ext/@ext_len the bytes between the descriptor and the
 * payload (GPA ranges), @buf/@len the payload from offset8 * 8) and map
 * its buffer through @mem.  No side effects (the fuzz harness calls it).
 * Return: 0 a request in @m; 1 nothing to do (a completion); -EINVAL a
 * malformed or hostile packet (@m->why says why; fail the channel).
 */
int storvsp_parse(const struct guest_mem *mem, const struct vmbus_packet_desc *desc,
		  const uint8_t *ext, uint32_t ext_len, const uint8_t *buf, uint32_t len,
		  struct storvsp_msg *m);

/* The channel (for tests). */
struct vmbus_host_dev *storvsp_dev(struct storvsp *s);

#endif /* HVWORKER_STORVSP_H */
