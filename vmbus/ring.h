/* SPDX-License-Identifier: MIT */
/*
 * VMBus ring buffer: one direction of a channel, as Hyper-V and Linux's
 * drivers/hv/ring_buffer.c use it.  A struct vmbus_ring is one side's
 * private view (reader or writer) of a shared header page and data area;
 * the other side is untrusted.
 *
 * Reader drain loop (what the notification rules assume):
 *
 *	vmbus_ring_mask(r);                  // optional: we are polling
 *	for (;;) {
 *		while (vmbus_ring_peek(r, &pkt) == 0) {
 *			... use pkt (in place or vmbus_ring_pkt_copy) ...
 *			vmbus_ring_consume(r, &pkt);
 *		}
 *		if (vmbus_ring_read_done(r) > 0)
 *			signal the writer;           // pending_send_sz satisfied
 *		if (vmbus_ring_unmask(r) == 0)
 *			break;                       // empty: wait for a signal
 *	}
 *
 * Writer: vmbus_ring_send()/vmbus_ring_write() set *signal when the reader
 * must be interrupted.  On -EAGAIN (full) call vmbus_ring_wait_space():
 * 1 means retry now, 0 means wait for the reader's signal.  Batches:
 * vmbus_ring_send_deferred() several times, then vmbus_ring_flush().
 *
 * No locking: one reader and one writer per ring, each single-threaded
 * (callers serialise their own side).
 *
 * Every operation on a ring that has seen corrupt shared state returns
 * -EPROTO; vmbus_ring_fault() tells which check failed.
 */
#ifndef MKHV_VMBUS_RING_H
#define MKHV_VMBUS_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vmbus/wire.h>

enum vmbus_ring_role {
	VMBUS_RING_READER,
	VMBUS_RING_WRITER,
};

/* Why a ring is broken (first fault wins, the ring stays broken). */
enum vmbus_ring_fault {
	VMBUS_RING_FAULT_NONE = 0,
	VMBUS_RING_FAULT_WRITE_INDEX_RANGE,	/* write_index >= data size */
	VMBUS_RING_FAULT_WRITE_INDEX_ALIGN,	/* write_index not 8-aligned */
	VMBUS_RING_FAULT_READ_INDEX_RANGE,	/* read_index >= data size */
	VMBUS_RING_FAULT_READ_INDEX_ALIGN,	/* read_index not 8-aligned */
	VMBUS_RING_FAULT_SHORT_DATA,	/* data present but < descriptor + trailer */
	VMBUS_RING_FAULT_DESC_LEN,	/* len8 * 8 < descriptor size */
	VMBUS_RING_FAULT_DESC_OFFSET,	/* offset8 * 8 < descriptor or > len */
	VMBUS_RING_FAULT_PKT_PAST_DATA,	/* packet + trailer > bytes written */
};

/* A gather element for vmbus_ring_write()/vmbus_ring_send(). */
struct vmbus_ring_iov {
	const void *base;
	uint32_t len;
};

/* A received packet, as returned by vmbus_ring_peek(). */
struct vmbus_ring_pkt {
	struct vmbus_packet_desc desc;	/* copied once from the ring, validated */
	uint32_t pos;		/* data-area offset of the packet start */
	uint32_t len;		/* desc.len8 * 8: whole packet, padding included */
	uint32_t data_offset;	/* desc.offset8 * 8: start of the payload */
	/*
	 * The payload [data_offset, len) in place, in at most two pieces
	 * (the second is non-empty when the packet wraps).  This is shared
	 * memory: the other side can still change it, so copy what you
	 * validate.
	 */
	const uint8_t *frag[2];
	uint32_t frag_len[2];
};

/* One side's private state.  Fields are private to ring.c. */
struct vmbus_ring {
	struct vmbus_ring_header *hdr;
	uint8_t *data;
	uint32_t size;		/* data area bytes */
	enum vmbus_ring_role role;
	uint32_t index;		/* writer: write index; reader: read position */
	uint32_t published;	/* index last stored to the shared header */
	uint32_t seen_write;	/* reader: last validated write_index */
	uint32_t seen_read;	/* writer: last validated read_index */
	bool seen_read_valid;	/* writer: seen_read was loaded */
	bool pending_set;	/* writer: we set pending_send_sz */
	enum vmbus_ring_fault fault;
};

/* Smallest data area accepted (one minimal packet must fit). */
#define VMBUS_RING_MIN_DATA	32u
/* Largest data area accepted. */
#define VMBUS_RING_MAX_DATA	0x40000000u

/**
 * vmbus_ring_header_init() - zero a ring header and set its feature bits.
 * @hdr: the header page
 * @features: VMBUS_RING_FEAT_* the writer of this ring announces
 *
 * For the side that allocates the ring; the other side attaches with
 * vmbus_ring_init() and trusts nothing in it.
 */
void vmbus_ring_header_init(struct vmbus_ring_header *hdr, uint32_t features);

/**
 * vmbus_ring_init() - attach to a ring as its reader or writer.
 * @ring: private state to fill
 * @hdr: shared header page
 * @data: shared data area (data_size bytes)
 * @data_size: multiple of 8, VMBUS_RING_MIN_DATA .. VMBUS_RING_MAX_DATA
 *	(real channels use page multiples)
 * @role: which side this is
 *
 * Reads this side's own index (read_index or write_index) once.
 *
 * Return: 0; -EINVAL for bad arguments; -EPROTO if the index in the
 * shared header is corrupt (the ring is then broken).
 */
int vmbus_ring_init(struct vmbus_ring *ring, struct vmbus_ring_header *hdr,
		    void *data, uint32_t data_size, enum vmbus_ring_role role);

/**
 * vmbus_ring_fault() - why the ring is broken.
 * Return: VMBUS_RING_FAULT_NONE while it is healthy.
 */
enum vmbus_ring_fault vmbus_ring_fault(const struct vmbus_ring *ring);

/** vmbus_ring_broken() - true once any corruption has been seen. */
bool vmbus_ring_broken(const struct vmbus_ring *ring);

/**
 * vmbus_ring_write() - write one raw packet gathered from @iov (writer).
 * @iov, @iovcnt: the packet bytes, descriptor included; zero-padded to 8
 *	bytes and followed by the trailer.  The caller's descriptor is
 *	written as is (see vmbus_ring_send() for a checked one).
 * @signal: set to true when the reader must be signalled (the ring went
 *	from empty to non-empty and interrupt_mask was clear); may be NULL.
 *
 * Return: 0; -EAGAIN when the ring has no room now; -EMSGSIZE when the
 * packet can never fit; -EINVAL for bad arguments; -EPROTO when the
 * reader's read_index is corrupt or the ring is broken.
 * See vmbus_ring_wait_space().
 */
int vmbus_ring_write(struct vmbus_ring *ring, const struct vmbus_ring_iov *iov,
		     unsigned int iovcnt, bool *signal);

/**
 * vmbus_ring_send() - write a packet with a descriptor built here (writer).
 * @desc: type, flags and trans_id are used; offset8 0 means 2 (payload
 *	right after the descriptor), otherwise the first offset8 * 8 - 16
 *	bytes of @iov are the type-specific header (GPA ranges...); len8 is
 *	computed.
 * @iov, @iovcnt: header (if any) and payload.
 * @signal: as for vmbus_ring_write().
 *
 * Return: as vmbus_ring_write(); -EINVAL if offset8 does not fit the data.
 */
int vmbus_ring_send(struct vmbus_ring *ring, const struct vmbus_packet_desc *desc,
		    const struct vmbus_ring_iov *iov, unsigned int iovcnt,
		    bool *signal);

/**
 * vmbus_ring_send_deferred() - write a packet without publishing it.
 * @desc, @iov, @iovcnt: as for vmbus_ring_send()
 *
 * The packet is in the ring but the reader cannot see it until
 * vmbus_ring_flush(): a producer with several packets pays for one
 * write_index store, one fence and one signal decision per batch.  Its
 * space counts as used at once.
 *
 * Return: as vmbus_ring_send().
 */
int vmbus_ring_send_deferred(struct vmbus_ring *ring,
			     const struct vmbus_packet_desc *desc,
			     const struct vmbus_ring_iov *iov, unsigned int iovcnt);

/**
 * vmbus_ring_flush() - publish the packets written since the last publish.
 * @signal: set to true when the reader must be signalled (the ring was
 *	empty before this batch and interrupt_mask was clear); may be NULL.
 *
 * Return: 0 (also when there was nothing to publish), -EINVAL when not a
 * writer, -EPROTO if the ring is broken.
 */
int vmbus_ring_flush(struct vmbus_ring *ring, bool *signal);

/**
 * vmbus_ring_wait_space() - ask the reader to signal when space frees up.
 * @bytes: ring bytes the next packet needs (vmbus_ring_packet_bytes())
 *
 * Stores pending_send_sz, then re-checks the free space (the reader may
 * have freed it meanwhile).  The next successful write clears
 * pending_send_sz.  Only useful if the ring's feature bits announce
 * VMBUS_RING_FEAT_PENDING_SEND_SZ; otherwise the writer must poll.
 *
 * Return: 1 if the space is available now (retry the write), 0 if the
 * caller must wait for the reader's signal, -EPROTO if broken, -EINVAL
 * if deferred packets are not flushed yet (the reader could never free
 * anything for them).
 */
int vmbus_ring_wait_space(struct vmbus_ring *ring, uint32_t bytes);

/**
 * vmbus_ring_write_space() - bytes the writer could write now.
 * Return: free bytes (a packet needs strictly fewer), -EPROTO if broken.
 */
int64_t vmbus_ring_write_space(struct vmbus_ring *ring);

/**
 * vmbus_ring_peek() - look at the next unconsumed packet (reader).
 * @pkt: filled with a validated copy of the descriptor and in-place
 *	pointers to the payload.
 *
 * Does not consume: call vmbus_ring_consume() to move past it, then
 * vmbus_ring_read_done() once per batch to publish read_index.
 *
 * Return: 0; -EAGAIN when the ring is empty; -EPROTO when the ring is
 * corrupt (see vmbus_ring_fault()).
 */
int vmbus_ring_peek(struct vmbus_ring *ring, struct vmbus_ring_pkt *pkt);

/**
 * vmbus_ring_pkt_copy() - copy bytes of a peeked packet out of the ring.
 * @off: offset from the packet start (0 = descriptor)
 * @dst, @len: destination; [off, off + len) must lie inside pkt->len
 *
 * Return: 0, or -EINVAL if the range is outside the packet.
 */
int vmbus_ring_pkt_copy(const struct vmbus_ring *ring,
			const struct vmbus_ring_pkt *pkt, uint32_t off,
			void *dst, uint32_t len);

/**
 * vmbus_ring_consume() - step past the packet last returned by peek.
 *
 * Local only; the writer sees the space at vmbus_ring_read_done().
 * Return: 0, -EINVAL if @pkt is not the packet at the read position.
 */
int vmbus_ring_consume(struct vmbus_ring *ring, const struct vmbus_ring_pkt *pkt);

/**
 * vmbus_ring_read() - peek, copy the payload to @buf and consume.
 * @pkt: receives the packet (its frag pointers stay valid only until
 *	vmbus_ring_read_done())
 * @buf, @buflen: destination for the payload [data_offset, len)
 *
 * Return: payload length (>= 0); -EAGAIN when empty; -ENOBUFS if @buflen
 * is too small (nothing consumed); -EPROTO when corrupt.
 */
int vmbus_ring_read(struct vmbus_ring *ring, struct vmbus_ring_pkt *pkt,
		    void *buf, uint32_t buflen);

/**
 * vmbus_ring_read_done() - publish read_index after a batch (reader).
 *
 * One store for however many packets were consumed.  Then applies the
 * pending_send_sz rule: the writer must be signalled only if it waits
 * for more than was free before this batch and no more than is free now.
 *
 * Return: 1 if the writer must be signalled, 0 if not, -EPROTO when the
 * ring is corrupt.
 */
int vmbus_ring_read_done(struct vmbus_ring *ring);

/**
 * vmbus_ring_mask() - tell the writer not to signal (reader is polling).
 */
void vmbus_ring_mask(struct vmbus_ring *ring);

/**
 * vmbus_ring_unmask() - clear interrupt_mask and re-check for data.
 *
 * Call after vmbus_ring_read_done() when the ring looked empty: a packet
 * written before the writer could see the cleared mask is not signalled,
 * so the reader must look again.
 *
 * Return: 1 if data is waiting (keep draining), 0 if empty (safe to
 * sleep until signalled), -EPROTO when corrupt.
 */
int vmbus_ring_unmask(struct vmbus_ring *ring);

#endif /* MKHV_VMBUS_RING_H */
