// SPDX-License-Identifier: MIT
/*
 * VMBus ring buffer (see ring.h).  Semantics follow Hyper-V as Linux 6.1's
 * drivers/hv/ring_buffer.c implements the guest side; this is our own code.
 *
 * Memory ordering.  The header fields are shared with another CPU (often
 * another partition), so every access to them is a C11 atomic on the
 * field, cast from the wire struct (_Atomic uint32_t has the size and
 * alignment of uint32_t, checked below).  Data bytes are plain memory,
 * ordered by the index accesses:
 *
 *  W1 writer: load read_index (acquire)   pairs with R3: the reader's
 *     copies out of the space we are about to reuse are complete.
 *  W2 writer: store write_index (release) pairs with R1: the reader sees
 *     the packet bytes before the index that covers them.
 *  W3 writer: full fence, then load interrupt_mask and read_index:
 *     store->load ordering (Dekker) against R4; either we see the mask
 *     cleared / the ring drained, or the reader sees our new write_index.
 *  R1 reader: load write_index (acquire).
 *  R3 reader: store read_index (release) after the last copy of a batch.
 *  R4 reader: store interrupt_mask = 0, full fence, load write_index.
 *  R5 reader: full fence between storing read_index and loading
 *     pending_send_sz; pairs with W4.
 *  W4 writer: store pending_send_sz, full fence, load read_index; either
 *     we see the freed space or the reader sees our pending_send_sz.
 *
 * Hostile input.  The reader reads only write_index (and pending_send_sz,
 * feature_bits, used as numbers); the writer reads only read_index (and
 * interrupt_mask).  Each value is loaded once into a local, checked, and
 * the local is used from then on.  Each side keeps its own index
 * privately and never reloads it from shared memory after attaching.
 * The writer also keeps the last validated read_index (seen_read) and
 * reloads it only when a packet does not fit in the space it implies;
 * a corrupt read_index is therefore caught at the next reload.
 * Packet descriptors are copied out before they are checked.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "port.h"
#include "ring.h"

_Static_assert(sizeof(_Atomic uint32_t) == sizeof(uint32_t), "atomic u32 size");
_Static_assert(_Alignof(_Atomic uint32_t) == _Alignof(uint32_t), "atomic u32 alignment");

#define DESC_SIZE ((uint32_t)sizeof(struct vmbus_packet_desc))

static inline _Atomic uint32_t *shared(uint32_t *field)
{
	return (_Atomic uint32_t *)field;
}

static inline uint32_t align8(uint32_t n)
{
	return (n + VMBUS_PKT_ALIGN - 1) & ~(VMBUS_PKT_ALIGN - 1);
}

/* pos < size and n <= size, so the sum cannot overflow (size <= 2^30). */
static inline uint32_t ring_add(const struct vmbus_ring *ring, uint32_t pos,
				uint32_t n)
{
	pos += n;
	return pos >= ring->size ? pos - ring->size : pos;
}

/* Bytes written and not yet read between read position r and write w. */
static inline uint32_t ring_used(const struct vmbus_ring *ring, uint32_t w,
				 uint32_t r)
{
	return w >= r ? w - r : ring->size - r + w;
}

static inline uint32_t ring_free(const struct vmbus_ring *ring, uint32_t w,
				 uint32_t r)
{
	return ring->size - ring_used(ring, w, r);
}

static int ring_break(struct vmbus_ring *ring, enum vmbus_ring_fault fault)
{
	if (ring->fault == VMBUS_RING_FAULT_NONE)
		ring->fault = fault;
	return -EPROTO;
}

/*
 * copy_in/copy_out are inline so that the fixed-size pieces (the 16-byte
 * descriptor, the 8-byte trailer) become plain moves instead of library
 * calls; only payloads call memcpy.
 */
static inline void copy_out(const struct vmbus_ring *ring, uint32_t pos,
			    void *dst, uint32_t len)
{
	uint32_t first = ring->size - pos;

	if (len <= first) {
		vmbus_memcpy(dst, ring->data + pos, len);
	} else {
		vmbus_memcpy(dst, ring->data + pos, first);
		vmbus_memcpy((uint8_t *)dst + first, ring->data, len - first);
	}
}

static inline uint32_t copy_in(struct vmbus_ring *ring, uint32_t pos,
			       const void *src, uint32_t len)
{
	uint32_t first = ring->size - pos;

	if (!len)
		return pos;
	if (len <= first) {
		vmbus_memcpy(ring->data + pos, src, len);
	} else {
		vmbus_memcpy(ring->data + pos, src, first);
		vmbus_memcpy(ring->data, (const uint8_t *)src + first,
			     len - first);
	}
	return ring_add(ring, pos, len);
}

/*
 * Write a descriptor field by field: copying the 16-byte struct just
 * built from 2-byte fields would load it back whole, a store-forwarding
 * stall that cost more than the rest of a small packet's send.
 */
static inline uint32_t put_desc(struct vmbus_ring *ring, uint32_t pos,
				const struct vmbus_packet_desc *d)
{
	uint8_t *p = ring->data + pos;

	if (DESC_SIZE > ring->size - pos)	/* wraps (pos == size - 8) */
		return copy_in(ring, pos, d, DESC_SIZE);
	vmbus_memcpy(p + offsetof(struct vmbus_packet_desc, type), &d->type, 2);
	vmbus_memcpy(p + offsetof(struct vmbus_packet_desc, offset8), &d->offset8, 2);
	vmbus_memcpy(p + offsetof(struct vmbus_packet_desc, len8), &d->len8, 2);
	vmbus_memcpy(p + offsetof(struct vmbus_packet_desc, flags), &d->flags, 2);
	vmbus_memcpy(p + offsetof(struct vmbus_packet_desc, trans_id), &d->trans_id, 8);
	return ring_add(ring, pos, DESC_SIZE);
}

/* Load the peer's index once (acquire: R1 / W1) and check it. */
static int load_index(struct vmbus_ring *ring, uint32_t *field,
		      enum vmbus_ring_fault range, enum vmbus_ring_fault align,
		      uint32_t *out)
{
	uint32_t v = atomic_load_explicit(shared(field), memory_order_acquire);

	if (v >= ring->size)
		return ring_break(ring, range);
	if (v & (VMBUS_PKT_ALIGN - 1))
		return ring_break(ring, align);
	*out = v;
	return 0;
}

static int load_write_index(struct vmbus_ring *ring, uint32_t *out)
{
	return load_index(ring, &ring->hdr->write_index,
			  VMBUS_RING_FAULT_WRITE_INDEX_RANGE,
			  VMBUS_RING_FAULT_WRITE_INDEX_ALIGN, out);
}

static int load_read_index(struct vmbus_ring *ring, uint32_t *out)
{
	return load_index(ring, &ring->hdr->read_index,
			  VMBUS_RING_FAULT_READ_INDEX_RANGE,
			  VMBUS_RING_FAULT_READ_INDEX_ALIGN, out);
}

void vmbus_ring_header_init(struct vmbus_ring_header *hdr, uint32_t features)
{
	vmbus_memset(hdr, 0, sizeof(*hdr));
	hdr->feature_bits = features;
}

int vmbus_ring_init(struct vmbus_ring *ring, struct vmbus_ring_header *hdr,
		    void *data, uint32_t data_size, enum vmbus_ring_role role)
{
	uint32_t idx;
	int rc;

	if (!ring || !hdr || !data || data_size < VMBUS_RING_MIN_DATA ||
	    data_size > VMBUS_RING_MAX_DATA ||
	    (data_size & (VMBUS_PKT_ALIGN - 1)) ||
	    (role != VMBUS_RING_READER && role != VMBUS_RING_WRITER))
		return -EINVAL;

	vmbus_memset(ring, 0, sizeof(*ring));
	ring->hdr = hdr;
	ring->data = data;
	ring->size = data_size;
	ring->role = role;
	if (role == VMBUS_RING_READER)
		rc = load_read_index(ring, &idx);
	else
		rc = load_write_index(ring, &idx);
	if (rc)
		return rc;
	ring->index = idx;
	ring->published = idx;
	ring->seen_write = idx;
	return 0;
}

enum vmbus_ring_fault vmbus_ring_fault(const struct vmbus_ring *ring)
{
	return ring->fault;
}

bool vmbus_ring_broken(const struct vmbus_ring *ring)
{
	return ring->fault != VMBUS_RING_FAULT_NONE;
}

/* Sum of a gather list; -EINVAL for a NULL element with a length. */
static int iov_total(const struct vmbus_ring_iov *iov, unsigned int iovcnt,
		     uint64_t *total)
{
	if (!iov && iovcnt)
		return -EINVAL;
	for (unsigned int i = 0; i < iovcnt; i++) {
		if (!iov[i].base && iov[i].len)
			return -EINVAL;
		*total += iov[i].len;
	}
	return 0;
}

static uint32_t copy_iov(struct vmbus_ring *ring, uint32_t pos,
			 const struct vmbus_ring_iov *iov, unsigned int iovcnt)
{
	for (unsigned int i = 0; i < iovcnt; i++)
		pos = copy_in(ring, pos, iov[i].base, iov[i].len);
	return pos;
}

/* Checks shared by both write paths; *need is the ring bytes used. */
static int write_prepare(struct vmbus_ring *ring, uint64_t total,
			 uint32_t *need)
{
	uint32_t r;
	int rc;

	if (ring->fault)
		return -EPROTO;
	if (total < DESC_SIZE)
		return -EINVAL;
	/* A packet may use at most size - 8 bytes: a full ring would look
	 * empty (write_index == read_index). */
	if (total > ring->size ||
	    (uint64_t)align8((uint32_t)total) + VMBUS_RING_TRAILER_SIZE >= ring->size)
		return -EMSGSIZE;
	*need = align8((uint32_t)total) + VMBUS_RING_TRAILER_SIZE;
	/*
	 * The reader only ever frees space, so the free space computed from
	 * the read_index we validated last is a lower bound: while it is
	 * enough, leave the header cache line (which the reader writes)
	 * alone.  Reload (W1) only when the packet does not fit.
	 */
	if (ring->seen_read_valid &&
	    *need < ring_free(ring, ring->index, ring->seen_read))
		return 0;
	rc = load_read_index(ring, &r);
	if (rc)
		return rc;
	ring->seen_read = r;
	ring->seen_read_valid = true;
	if (*need >= ring_free(ring, ring->index, r))
		return -EAGAIN;
	return 0;
}

/* Pad and add the trailer (the packet's start << 32); not yet visible. */
static void write_tail(struct vmbus_ring *ring, uint32_t start, uint32_t pos,
		       uint32_t total)
{
	static const uint8_t zeros[VMBUS_PKT_ALIGN];
	uint64_t trailer = (uint64_t)start << 32;

	if (total & (VMBUS_PKT_ALIGN - 1))
		pos = copy_in(ring, pos, zeros, align8(total) - total);
	/* pos is 8-aligned and size a multiple of 8: no wrap inside. */
	vmbus_memcpy(ring->data + pos, &trailer, sizeof(trailer));
	ring->index = ring_add(ring, pos, sizeof(trailer));
}

/* Publish everything written so far and decide about the signal. */
static void publish(struct vmbus_ring *ring, bool *signal)
{
	uint32_t old = ring->published;
	bool sig = false;

	if (ring->index != old) {
		/* W2: the packet bytes are visible before the index covering
		 * them. */
		atomic_store_explicit(shared(&ring->hdr->write_index),
				      ring->index, memory_order_release);
		ring->published = ring->index;
		if (ring->pending_set) {
			atomic_store_explicit(shared(&ring->hdr->pending_send_sz),
					      0, memory_order_relaxed);
			ring->pending_set = false;
		}
		/* W3: order the write_index store before the loads below. */
		atomic_thread_fence(memory_order_seq_cst);
		if (!atomic_load_explicit(shared(&ring->hdr->interrupt_mask),
					  memory_order_relaxed)) {
			/* Signal only on empty -> non-empty: the reader had
			 * consumed everything up to where this batch starts. */
			sig = atomic_load_explicit(shared(&ring->hdr->read_index),
						   memory_order_relaxed) == old;
		}
	}
	if (signal)
		*signal = sig;
}

int vmbus_ring_write(struct vmbus_ring *ring, const struct vmbus_ring_iov *iov,
		     unsigned int iovcnt, bool *signal)
{
	uint64_t total = 0;
	uint32_t need, pos;
	int rc;

	if (signal)
		*signal = false;
	if (!ring || ring->role != VMBUS_RING_WRITER)
		return -EINVAL;
	rc = iov_total(iov, iovcnt, &total);
	if (!rc)
		rc = write_prepare(ring, total, &need);
	if (rc)
		return rc;

	pos = copy_iov(ring, ring->index, iov, iovcnt);
	write_tail(ring, ring->index, pos, (uint32_t)total);
	publish(ring, signal);
	return 0;
}

int vmbus_ring_send_deferred(struct vmbus_ring *ring,
			     const struct vmbus_packet_desc *desc,
			     const struct vmbus_ring_iov *iov, unsigned int iovcnt)
{
	struct vmbus_packet_desc d;
	uint64_t total = DESC_SIZE;
	uint32_t need, pos, off;
	int rc;

	if (!ring || !desc || ring->role != VMBUS_RING_WRITER)
		return -EINVAL;
	rc = iov_total(iov, iovcnt, &total);
	if (rc)
		return rc;
	off = desc->offset8 ? (uint32_t)desc->offset8 * 8 : DESC_SIZE;
	if (off < DESC_SIZE || off > total)
		return -EINVAL;
	rc = write_prepare(ring, total, &need);
	if (rc)
		return rc;

	/* len8 is u16: packets over 512 KiB cannot be described. */
	if (align8((uint32_t)total) / 8 > 0xffff)
		return -EMSGSIZE;
	d.type = desc->type;
	d.offset8 = (uint16_t)(off / 8);
	d.len8 = (uint16_t)(align8((uint32_t)total) / 8);
	d.flags = desc->flags;
	d.trans_id = desc->trans_id;

	pos = put_desc(ring, ring->index, &d);
	pos = copy_iov(ring, pos, iov, iovcnt);
	write_tail(ring, ring->index, pos, (uint32_t)total);
	return 0;
}

int vmbus_ring_flush(struct vmbus_ring *ring, bool *signal)
{
	if (signal)
		*signal = false;
	if (!ring || ring->role != VMBUS_RING_WRITER)
		return -EINVAL;
	if (ring->fault)
		return -EPROTO;
	publish(ring, signal);
	return 0;
}

int vmbus_ring_send(struct vmbus_ring *ring, const struct vmbus_packet_desc *desc,
		    const struct vmbus_ring_iov *iov, unsigned int iovcnt,
		    bool *signal)
{
	int rc;

	if (signal)
		*signal = false;
	rc = vmbus_ring_send_deferred(ring, desc, iov, iovcnt);
	if (rc)
		return rc;
	publish(ring, signal);
	return 0;
}

int vmbus_ring_wait_space(struct vmbus_ring *ring, uint32_t bytes)
{
	uint32_t r;
	int rc;

	if (!ring || ring->role != VMBUS_RING_WRITER ||
	    ring->index != ring->published)
		return -EINVAL;
	if (ring->fault)
		return -EPROTO;
	atomic_store_explicit(shared(&ring->hdr->pending_send_sz), bytes,
			      memory_order_relaxed);
	ring->pending_set = true;
	/* W4: publish pending_send_sz before re-reading read_index. */
	atomic_thread_fence(memory_order_seq_cst);
	rc = load_read_index(ring, &r);
	if (rc)
		return rc;
	ring->seen_read = r;
	ring->seen_read_valid = true;
	return bytes < ring_free(ring, ring->index, r) ? 1 : 0;
}

int64_t vmbus_ring_write_space(struct vmbus_ring *ring)
{
	uint32_t r;
	int rc;

	if (!ring || ring->role != VMBUS_RING_WRITER)
		return -EINVAL;
	if (ring->fault)
		return -EPROTO;
	rc = load_read_index(ring, &r);
	if (rc)
		return rc;
	ring->seen_read = r;
	ring->seen_read_valid = true;
	return ring_free(ring, ring->index, r);
}

int vmbus_ring_peek(struct vmbus_ring *ring, struct vmbus_ring_pkt *pkt)
{
	uint32_t avail, len, off, first, plen, ppos;
	int rc;

	if (!ring || !pkt || ring->role != VMBUS_RING_READER)
		return -EINVAL;
	if (ring->fault)
		return -EPROTO;

	avail = ring_used(ring, ring->seen_write, ring->index);
	if (!avail) {
		rc = load_write_index(ring, &ring->seen_write);
		if (rc)
			return rc;
		avail = ring_used(ring, ring->seen_write, ring->index);
		if (!avail)
			return -EAGAIN;
	}
	/* Writers publish whole packets: anything less is corruption. */
	if (avail < DESC_SIZE + VMBUS_RING_TRAILER_SIZE)
		return ring_break(ring, VMBUS_RING_FAULT_SHORT_DATA);

	copy_out(ring, ring->index, &pkt->desc, DESC_SIZE);
	len = (uint32_t)pkt->desc.len8 * 8;
	off = (uint32_t)pkt->desc.offset8 * 8;
	if (len < DESC_SIZE)
		return ring_break(ring, VMBUS_RING_FAULT_DESC_LEN);
	if (off < DESC_SIZE || off > len)
		return ring_break(ring, VMBUS_RING_FAULT_DESC_OFFSET);
	if ((uint64_t)len + VMBUS_RING_TRAILER_SIZE > avail)
		return ring_break(ring, VMBUS_RING_FAULT_PKT_PAST_DATA);

	pkt->pos = ring->index;
	pkt->len = len;
	pkt->data_offset = off;
	plen = len - off;
	ppos = ring_add(ring, ring->index, off);
	first = ring->size - ppos;
	pkt->frag[0] = ring->data + ppos;
	pkt->frag_len[0] = plen <= first ? plen : first;
	pkt->frag[1] = ring->data;
	pkt->frag_len[1] = plen - pkt->frag_len[0];
	return 0;
}

int vmbus_ring_pkt_copy(const struct vmbus_ring *ring,
			const struct vmbus_ring_pkt *pkt, uint32_t off,
			void *dst, uint32_t len)
{
	if (!ring || !pkt || (!dst && len) || pkt->pos >= ring->size ||
	    pkt->len >= ring->size || off > pkt->len || len > pkt->len - off)
		return -EINVAL;
	if (len)
		copy_out(ring, ring_add(ring, pkt->pos, off), dst, len);
	return 0;
}

int vmbus_ring_consume(struct vmbus_ring *ring, const struct vmbus_ring_pkt *pkt)
{
	uint32_t n;

	if (!ring || !pkt || ring->role != VMBUS_RING_READER ||
	    pkt->pos != ring->index)
		return -EINVAL;
	n = pkt->len + VMBUS_RING_TRAILER_SIZE;
	if (pkt->len >= ring->size ||
	    n > ring_used(ring, ring->seen_write, ring->index))
		return -EINVAL;
	ring->index = ring_add(ring, ring->index, n);
	return 0;
}

int vmbus_ring_read(struct vmbus_ring *ring, struct vmbus_ring_pkt *pkt,
		    void *buf, uint32_t buflen)
{
	uint32_t plen;
	int rc;

	rc = vmbus_ring_peek(ring, pkt);
	if (rc)
		return rc;
	plen = pkt->len - pkt->data_offset;
	if (plen > buflen)
		return -ENOBUFS;
	if (plen) {
		vmbus_memcpy(buf, pkt->frag[0], pkt->frag_len[0]);
		vmbus_memcpy((uint8_t *)buf + pkt->frag_len[0], pkt->frag[1],
			     pkt->frag_len[1]);
	}
	vmbus_ring_consume(ring, pkt);
	return (int)plen;
}

int vmbus_ring_read_done(struct vmbus_ring *ring)
{
	uint32_t start, pending, w, space, bytes_read;
	int64_t before;
	int rc;

	if (!ring || ring->role != VMBUS_RING_READER)
		return -EINVAL;
	if (ring->fault)
		return -EPROTO;
	if (ring->index == ring->published)
		return 0;

	start = ring->published;
	/* R3: all our copies out of the batch happen before the writer can
	 * see the space as free. */
	atomic_store_explicit(shared(&ring->hdr->read_index), ring->index,
			      memory_order_release);
	ring->published = ring->index;

	if (!(atomic_load_explicit(shared(&ring->hdr->feature_bits),
				   memory_order_relaxed) &
	      VMBUS_RING_FEAT_PENDING_SEND_SZ))
		return 0;
	/* R5: read_index store before the pending_send_sz load. */
	atomic_thread_fence(memory_order_seq_cst);
	pending = atomic_load_explicit(shared(&ring->hdr->pending_send_sz),
				       memory_order_relaxed);
	if (!pending)
		return 0;
	rc = load_write_index(ring, &w);
	if (rc)
		return rc;
	ring->seen_write = w;

	space = ring_free(ring, w, ring->index);
	bytes_read = ring_used(ring, ring->index, start);
	before = (int64_t)space - bytes_read;
	/* The writer was not blocked on us if it already had room. */
	if (before > (int64_t)pending)
		return 0;
	/* Still not enough: it will be signalled by a later batch. */
	if (space <= pending)
		return 0;
	return 1;
}

void vmbus_ring_mask(struct vmbus_ring *ring)
{
	/* No fence: a writer that misses this only sends a spare signal. */
	atomic_store_explicit(shared(&ring->hdr->interrupt_mask), 1,
			      memory_order_relaxed);
}

int vmbus_ring_unmask(struct vmbus_ring *ring)
{
	int rc;

	if (!ring || ring->role != VMBUS_RING_READER)
		return -EINVAL;
	if (ring->fault)
		return -EPROTO;
	atomic_store_explicit(shared(&ring->hdr->interrupt_mask), 0,
			      memory_order_relaxed);
	/* R4: the cleared mask is visible before we look for new data;
	 * pairs with W3 so a packet is either signalled or seen here. */
	atomic_thread_fence(memory_order_seq_cst);
	rc = load_write_index(ring, &ring->seen_write);
	if (rc)
		return rc;
	return ring_used(ring, ring->seen_write, ring->index) ? 1 : 0;
}
