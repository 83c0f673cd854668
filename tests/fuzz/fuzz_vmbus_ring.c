// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the ring reader and writer (vmbus/ring.c).
 * The input is the whole shared state a hostile peer controls: header
 * fields and data bytes.  The reader drains it and the writer writes into
 * it; every result must be 0, -EAGAIN, -ENOBUFS or -EPROTO, and every
 * packet view must lie inside the data area.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ring.h"

static struct vmbus_ring_header hdr __attribute__((aligned(4096)));

static void check(int cond)
{
	if (!cond)
		abort();
}

static void drain(struct vmbus_ring *r, uint8_t *data, uint32_t size)
{
	static uint8_t buf[1u << 16];
	struct vmbus_ring_pkt pkt;
	int rc = 0;

	for (int round = 0; round < 4 && rc >= 0; round++) {
		for (int n = 0; n < 1024; n++) {
			rc = vmbus_ring_peek(r, &pkt);
			if (rc)
				break;
			check(pkt.len >= 16 && pkt.len < size);
			check(pkt.data_offset >= 16 && pkt.data_offset <= pkt.len);
			for (int f = 0; f < 2; f++)
				check(pkt.frag[f] >= data &&
				      pkt.frag[f] + pkt.frag_len[f] <= data + size);
			check(pkt.frag_len[0] + pkt.frag_len[1] ==
			      pkt.len - pkt.data_offset);
			check(vmbus_ring_pkt_copy(r, &pkt, 0, buf, pkt.len) == 0);
			check(vmbus_ring_pkt_copy(r, &pkt, 1, buf, pkt.len) == -EINVAL);
			check(vmbus_ring_consume(r, &pkt) == 0);
		}
		check(rc == 0 || rc == -EAGAIN || rc == -EPROTO);
		rc = vmbus_ring_read_done(r);
		check(rc >= -EPROTO && rc <= 1 && rc != -EINVAL);
		if (rc >= 0)
			rc = vmbus_ring_unmask(r);
	}
}

static void write_some(struct vmbus_ring *w, const uint8_t *in, size_t n)
{
	struct vmbus_packet_desc d = { .type = VM_PKT_DATA_INBAND };
	struct vmbus_ring_iov iov = { in, (uint32_t)(n > 600 ? 600 : n) };
	bool sig;
	int rc;

	for (int i = 0; i < 8; i++) {
		d.trans_id = i;
		if (n && (in[0] >> i) & 1)	/* some packets deferred */
			rc = vmbus_ring_send_deferred(w, &d, &iov, 1);
		else
			rc = vmbus_ring_send(w, &d, &iov, 1, &sig);
		check(rc == 0 || rc == -EAGAIN || rc == -EMSGSIZE || rc == -EPROTO);
		if (rc == -EAGAIN) {
			check(vmbus_ring_flush(w, &sig) == 0);
			rc = vmbus_ring_wait_space(w, 64);
		}
		if (rc < 0 && rc != -EAGAIN && rc != -EMSGSIZE)
			break;
	}
	rc = vmbus_ring_flush(w, &sig);
	check(rc == 0 || rc == -EPROTO);
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t n)
{
	struct vmbus_ring r, w;
	uint32_t f[5], size;
	uint8_t *data;

	if (n < sizeof(f))
		return 0;
	memcpy(f, in, sizeof(f));
	in += sizeof(f);
	n -= sizeof(f);
	/* data size 32 .. 8192, multiple of 8 */
	size = 32 + (f[0] % 1021) * 8;
	data = malloc(size);
	memset(data, 0, size);
	memcpy(data, in, n < size ? n : size);
	memset(&hdr, 0, sizeof(hdr));
	hdr.read_index = f[1] & 0x8000 ? f[1] : (f[1] % size) & ~7u;
	hdr.write_index = f[2] & 0x8000 ? f[2] : (f[2] % size) & ~7u;
	hdr.feature_bits = f[3];
	hdr.pending_send_sz = f[4];

	if (vmbus_ring_init(&r, &hdr, data, size, VMBUS_RING_READER) == 0)
		drain(&r, data, size);
	hdr.read_index = f[1];
	hdr.write_index = f[2] & ~0x8000u;
	if (vmbus_ring_init(&w, &hdr, data, size, VMBUS_RING_WRITER) == 0)
		write_some(&w, in, n);
	free(data);
	return 0;
}
