// SPDX-License-Identifier: MIT
/* Check suite for vmbus/ring.c. */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ring.h"

/* A ring shared by a writer view and a reader view, as two sides would. */
struct pair {
	struct vmbus_ring_header *hdr;
	uint8_t *data;
	uint32_t size;
	struct vmbus_ring w, r;
};

static struct pair *pair_new_at(uint32_t size, uint32_t start, uint32_t feat)
{
	struct pair *p = calloc(1, sizeof(*p));

	ck_assert_ptr_nonnull(p);
	p->hdr = aligned_alloc(4096, sizeof(*p->hdr));
	p->data = aligned_alloc(8, size);
	ck_assert_ptr_nonnull(p->hdr);
	ck_assert_ptr_nonnull(p->data);
	memset(p->data, 0xa5, size);
	vmbus_ring_header_init(p->hdr, feat);
	p->hdr->write_index = start;
	p->hdr->read_index = start;
	p->size = size;
	ck_assert_int_eq(vmbus_ring_init(&p->w, p->hdr, p->data, size, VMBUS_RING_WRITER), 0);
	ck_assert_int_eq(vmbus_ring_init(&p->r, p->hdr, p->data, size, VMBUS_RING_READER), 0);
	return p;
}

static struct pair *pair_new(uint32_t size)
{
	return pair_new_at(size, 0, 0);
}

static void pair_free(struct pair *p)
{
	free(p->hdr);
	free(p->data);
	free(p);
}

static void fill(uint8_t *buf, uint32_t len, uint32_t seed)
{
	for (uint32_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(seed * 131 + i * 7 + (i >> 8));
}

static int send_inband(struct pair *p, uint64_t id, const void *buf,
		       uint32_t len, bool *sig)
{
	struct vmbus_packet_desc d = { .type = VM_PKT_DATA_INBAND, .trans_id = id };
	struct vmbus_ring_iov iov = { buf, len };

	return vmbus_ring_send(&p->w, &d, &iov, 1, sig);
}

/* Puts a raw descriptor at the reader position and publishes write_index. */
static void plant_desc(struct pair *p, uint16_t off8, uint16_t len8, uint32_t w)
{
	struct vmbus_packet_desc d = { .type = VM_PKT_DATA_INBAND,
				       .offset8 = off8, .len8 = len8 };

	memcpy(p->data + p->hdr->read_index, &d, sizeof(d));
	p->hdr->write_index = w;
}

START_TEST(init_rejects_bad_arguments)
{
	struct vmbus_ring_header *hdr = aligned_alloc(4096, sizeof(*hdr));
	uint8_t data[64];
	struct vmbus_ring r;

	vmbus_ring_header_init(hdr, 0);
	ck_assert_int_eq(vmbus_ring_init(&r, hdr, data, 60, VMBUS_RING_READER), -EINVAL);
	ck_assert_int_eq(vmbus_ring_init(&r, hdr, data, 24, VMBUS_RING_READER), -EINVAL);
	ck_assert_int_eq(vmbus_ring_init(&r, NULL, data, 64, VMBUS_RING_READER), -EINVAL);
	ck_assert_int_eq(vmbus_ring_init(&r, hdr, NULL, 64, VMBUS_RING_READER), -EINVAL);
	ck_assert_int_eq(vmbus_ring_init(&r, hdr, data, 64, 7), -EINVAL);
	ck_assert_int_eq(vmbus_ring_init(&r, hdr, data, 64, VMBUS_RING_WRITER), 0);
	free(hdr);
}
END_TEST

START_TEST(init_rejects_corrupt_own_index)
{
	struct vmbus_ring_header *hdr = aligned_alloc(4096, sizeof(*hdr));
	uint8_t data[64];
	struct vmbus_ring r;

	vmbus_ring_header_init(hdr, 0);
	hdr->read_index = 64;
	ck_assert_int_eq(vmbus_ring_init(&r, hdr, data, 64, VMBUS_RING_READER), -EPROTO);
	ck_assert_int_eq(vmbus_ring_fault(&r), VMBUS_RING_FAULT_READ_INDEX_RANGE);
	hdr->write_index = 12;
	ck_assert_int_eq(vmbus_ring_init(&r, hdr, data, 64, VMBUS_RING_WRITER), -EPROTO);
	ck_assert_int_eq(vmbus_ring_fault(&r), VMBUS_RING_FAULT_WRITE_INDEX_ALIGN);
	free(hdr);
}
END_TEST

START_TEST(header_init_sets_features_and_zeroes)
{
	struct vmbus_ring_header *hdr = aligned_alloc(4096, sizeof(*hdr));

	memset(hdr, 0xff, sizeof(*hdr));
	vmbus_ring_header_init(hdr, VMBUS_RING_FEAT_PENDING_SEND_SZ);
	ck_assert_uint_eq(hdr->feature_bits, 1);
	ck_assert_uint_eq(hdr->write_index, 0);
	ck_assert_uint_eq(hdr->pending_send_sz, 0);
	ck_assert_uint_eq(hdr->reserved2[sizeof(hdr->reserved2) - 1], 0);
	free(hdr);
}
END_TEST

START_TEST(empty_ring_peek_is_eagain)
{
	struct pair *p = pair_new(4096);
	struct vmbus_ring_pkt pkt;

	ck_assert_int_eq(vmbus_ring_peek(&p->r, &pkt), -EAGAIN);
	ck_assert_int_eq(vmbus_ring_read_done(&p->r), 0);
	ck_assert(!vmbus_ring_broken(&p->r));
	pair_free(p);
}
END_TEST

START_TEST(roundtrip_descriptor_padding_trailer)
{
	struct pair *p = pair_new(4096);
	struct vmbus_ring_pkt pkt;
	struct vmbus_packet_desc d = { .type = VM_PKT_COMP, .flags = 1,
				       .trans_id = 0x1122334455667788ull };
	uint8_t in[13], out[32];
	struct vmbus_ring_iov iov = { in, sizeof(in) };
	uint64_t trailer;
	bool sig;

	fill(in, sizeof(in), 1);
	ck_assert_int_eq(vmbus_ring_send(&p->w, &d, &iov, 1, &sig), 0);
	/* 16 + 13 -> 32 bytes of packet, then the 8-byte trailer. */
	ck_assert_uint_eq(p->hdr->write_index, 40);
	memcpy(&trailer, p->data + 32, 8);
	ck_assert_uint_eq(trailer, 0);	/* old write index 0 << 32 */
	ck_assert_uint_eq(p->data[29], 0);	/* padding zeroed */
	ck_assert_uint_eq(p->data[31], 0);

	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, out, sizeof(out)), 16);
	ck_assert_uint_eq(pkt.desc.type, VM_PKT_COMP);
	ck_assert_uint_eq(pkt.desc.flags, 1);
	ck_assert_uint_eq(pkt.desc.offset8, 2);
	ck_assert_uint_eq(pkt.desc.len8, 4);
	ck_assert_uint_eq(pkt.desc.trans_id, 0x1122334455667788ull);
	ck_assert_mem_eq(out, in, sizeof(in));

	/* Second packet: trailer holds its start offset 40 << 32. */
	ck_assert_int_eq(vmbus_ring_send(&p->w, &d, &iov, 1, &sig), 0);
	memcpy(&trailer, p->data + 40 + 32, 8);
	ck_assert_uint_eq(trailer, (uint64_t)40 << 32);
	pair_free(p);
}
END_TEST

START_TEST(zero_length_payload)
{
	struct pair *p = pair_new(256);
	struct vmbus_ring_pkt pkt;
	uint8_t out[8];

	ck_assert_int_eq(send_inband(p, 5, NULL, 0, NULL), 0);
	ck_assert_uint_eq(p->hdr->write_index, 24);
	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, out, 0), 0);
	ck_assert_uint_eq(pkt.desc.len8, 2);
	ck_assert_uint_eq(pkt.frag_len[0] + pkt.frag_len[1], 0);
	ck_assert_int_eq(vmbus_ring_peek(&p->r, &pkt), -EAGAIN);
	pair_free(p);
}
END_TEST

/* Every start offset of a small ring, packet sizes crossing the end. */
START_TEST(wraparound_every_offset)
{
	const uint32_t size = 256;

	for (uint32_t start = 0; start < size; start += 8) {
		for (uint32_t len = 0; len <= 200; len += 25) {
			struct pair *p = pair_new_at(size, start, 0);
			struct vmbus_ring_pkt pkt;
			uint8_t in[256], out[256], inplace[256];

			fill(in, len, start + len);
			ck_assert_int_eq(send_inband(p, start, in, len, NULL), 0);
			ck_assert_int_eq(vmbus_ring_peek(&p->r, &pkt), 0);
			ck_assert_uint_eq(pkt.pos, start);
			ck_assert_uint_eq(pkt.desc.trans_id, start);
			ck_assert_uint_eq(pkt.frag_len[0] + pkt.frag_len[1],
					  (len + 7) & ~7u);
			memcpy(inplace, pkt.frag[0], pkt.frag_len[0]);
			memcpy(inplace + pkt.frag_len[0], pkt.frag[1], pkt.frag_len[1]);
			ck_assert_mem_eq(inplace, in, len);
			ck_assert_int_eq(vmbus_ring_pkt_copy(&p->r, &pkt, 16, out, len), 0);
			ck_assert_mem_eq(out, in, len);
			ck_assert_int_eq(vmbus_ring_consume(&p->r, &pkt), 0);
			ck_assert_int_eq(vmbus_ring_read_done(&p->r), 0);
			ck_assert_uint_eq(p->hdr->read_index, p->hdr->write_index);
			ck_assert_uint_eq(p->hdr->write_index,
					  (start + 16 + ((len + 7) & ~7u) + 8) % size);
			pair_free(p);
		}
	}
}
END_TEST

START_TEST(wraparound_splits_fragments)
{
	struct pair *p = pair_new_at(256, 232, 0);
	struct vmbus_ring_pkt pkt;
	uint8_t in[40], out[40];

	fill(in, sizeof(in), 9);
	ck_assert_int_eq(send_inband(p, 1, in, sizeof(in), NULL), 0);
	ck_assert_int_eq(vmbus_ring_peek(&p->r, &pkt), 0);
	/* descriptor at 232..247, payload from 248: 8 bytes, then 32 wrapped */
	ck_assert_uint_eq(pkt.frag_len[0], 8);
	ck_assert_uint_eq(pkt.frag_len[1], 32);
	ck_assert_ptr_eq(pkt.frag[1], p->data);
	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, out, sizeof(out)), 40);
	ck_assert_mem_eq(out, in, sizeof(in));
	pair_free(p);
}
END_TEST

START_TEST(descriptor_wraps)
{
	/* The descriptor itself straddles the end of the data area. */
	struct pair *p = pair_new_at(256, 248, 0);
	struct vmbus_ring_pkt pkt;
	uint8_t in[24], out[24];

	fill(in, sizeof(in), 3);
	ck_assert_int_eq(send_inband(p, 0xabcdef, in, sizeof(in), NULL), 0);
	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, out, sizeof(out)), 24);
	ck_assert_uint_eq(pkt.desc.trans_id, 0xabcdef);
	ck_assert_mem_eq(out, in, sizeof(in));
	pair_free(p);
}
END_TEST

START_TEST(exactly_full_boundary)
{
	struct pair *p = pair_new(256);
	uint8_t buf[256] = { 0 };
	int64_t space;

	/* Packet of 16 + 96 = 112 bytes + 8 trailer = 120 each. */
	ck_assert_int_eq(send_inband(p, 1, buf, 96, NULL), 0);
	space = vmbus_ring_write_space(&p->w);
	ck_assert_int_eq(space, 136);
	/* A 136-byte packet would fill the ring exactly: refused. */
	ck_assert_int_eq(send_inband(p, 2, buf, 112, NULL), -EAGAIN);
	/* 8 bytes less fits and leaves exactly 8 bytes free. */
	ck_assert_int_eq(send_inband(p, 3, buf, 104, NULL), 0);
	ck_assert_int_eq(vmbus_ring_write_space(&p->w), 8);
	/* Nothing fits any more, not even an empty packet. */
	ck_assert_int_eq(send_inband(p, 4, NULL, 0, NULL), -EAGAIN);
	ck_assert_uint_eq(p->hdr->write_index, 248);
	ck_assert(!vmbus_ring_broken(&p->w));
	pair_free(p);
}
END_TEST

START_TEST(exactly_empty_after_drain)
{
	struct pair *p = pair_new(256);
	struct vmbus_ring_pkt pkt;
	uint8_t buf[64] = { 0 };

	for (int round = 0; round < 20; round++) {
		ck_assert_int_eq(send_inband(p, round, buf, 40, NULL), 0);
		ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf)), 40);
		ck_assert_int_eq(vmbus_ring_peek(&p->r, &pkt), -EAGAIN);
		ck_assert_int_eq(vmbus_ring_read_done(&p->r), 0);
		ck_assert_int_eq(vmbus_ring_write_space(&p->w), 256);
	}
	pair_free(p);
}
END_TEST

START_TEST(max_packet_size)
{
	struct pair *p = pair_new(4096);
	static uint8_t in[4096], out[4096];
	struct vmbus_ring_pkt pkt;

	fill(in, sizeof(in), 77);
	/* 4096 - 16 (descriptor) - 8 (trailer) - 8 (never full) = 4064 */
	ck_assert_int_eq(send_inband(p, 1, in, 4072, NULL), -EMSGSIZE);
	ck_assert_int_eq(send_inband(p, 1, in, 4065, NULL), -EMSGSIZE);
	ck_assert_int_eq(send_inband(p, 1, in, 4064, NULL), 0);
	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, out, sizeof(out)), 4064);
	ck_assert_mem_eq(out, in, 4064);
	pair_free(p);
}
END_TEST

START_TEST(gather_write)
{
	struct pair *p = pair_new_at(512, 480, 0);
	struct vmbus_packet_desc d = { .type = VM_PKT_DATA_INBAND, .trans_id = 42 };
	uint8_t a[3], b[50], c[1], all[54], out[64];
	struct vmbus_ring_iov iov[4] = { { a, 3 }, { NULL, 0 }, { b, 50 }, { c, 1 } };
	struct vmbus_ring_pkt pkt;

	fill(a, 3, 1);
	fill(b, 50, 2);
	fill(c, 1, 3);
	memcpy(all, a, 3);
	memcpy(all + 3, b, 50);
	memcpy(all + 53, c, 1);
	ck_assert_int_eq(vmbus_ring_send(&p->w, &d, iov, 4, NULL), 0);
	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, out, sizeof(out)), 56);
	ck_assert_mem_eq(out, all, 54);
	ck_assert_uint_eq(out[54], 0);
	ck_assert_uint_eq(out[55], 0);
	pair_free(p);
}
END_TEST

START_TEST(raw_write_keeps_caller_descriptor)
{
	struct pair *p = pair_new(512);
	struct vmbus_packet_desc d = { .type = VM_PKT_DATA_USING_GPA_DIRECT,
				       .offset8 = 5, .len8 = 6, .trans_id = 9 };
	uint8_t hdr[24] = { 1, 2, 3 }, payload[8] = { 4 }, out[16];
	struct vmbus_ring_iov iov[3] = { { &d, 16 }, { hdr, 24 }, { payload, 8 } };
	struct vmbus_ring_pkt pkt;

	ck_assert_int_eq(vmbus_ring_write(&p->w, iov, 3, NULL), 0);
	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, out, sizeof(out)), 8);
	ck_assert_uint_eq(pkt.data_offset, 40);
	ck_assert_uint_eq(out[0], 4);
	ck_assert_int_eq(vmbus_ring_pkt_copy(&p->r, &pkt, 16, out, 3), 0);
	ck_assert_uint_eq(out[2], 3);
	/* A raw packet must at least hold a descriptor. */
	ck_assert_int_eq(vmbus_ring_write(&p->w, iov + 1, 1, NULL), 0);
	iov[0].len = 8;
	ck_assert_int_eq(vmbus_ring_write(&p->w, iov, 1, NULL), -EINVAL);
	pair_free(p);
}
END_TEST

START_TEST(send_with_type_header)
{
	struct pair *p = pair_new(512);
	struct vmbus_packet_desc d = { .type = VM_PKT_DATA_USING_GPA_DIRECT,
				       .offset8 = 5, .trans_id = 3 };
	uint8_t hdr[24], payload[20], out[24];
	struct vmbus_ring_iov iov[2] = { { hdr, 24 }, { payload, 20 } };
	struct vmbus_ring_pkt pkt;

	fill(hdr, 24, 5);
	fill(payload, 20, 6);
	ck_assert_int_eq(vmbus_ring_send(&p->w, &d, iov, 2, NULL), 0);
	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, out, sizeof(out)), 24);
	ck_assert_uint_eq(pkt.desc.offset8, 5);
	ck_assert_uint_eq(pkt.desc.len8, 8);
	ck_assert_mem_eq(out, payload, 20);
	/* offset8 beyond the data, or inside the descriptor: refused. */
	d.offset8 = 9;
	ck_assert_int_eq(vmbus_ring_send(&p->w, &d, iov, 2, NULL), -EINVAL);
	d.offset8 = 1;
	ck_assert_int_eq(vmbus_ring_send(&p->w, &d, iov, 2, NULL), -EINVAL);
	pair_free(p);
}
END_TEST

START_TEST(batched_read_single_index_update)
{
	struct pair *p = pair_new(4096);
	struct vmbus_ring_pkt pkt;
	uint8_t buf[128] = { 0 };
	int n = 0;

	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(send_inband(p, i, buf, 8 * i, NULL), 0);
	while (vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf)) >= 0) {
		ck_assert_uint_eq(pkt.desc.trans_id, n);
		n++;
		/* read_index stays put during the batch */
		ck_assert_uint_eq(p->hdr->read_index, 0);
	}
	ck_assert_int_eq(n, 10);
	ck_assert_int_eq(vmbus_ring_read_done(&p->r), 0);
	ck_assert_uint_eq(p->hdr->read_index, p->hdr->write_index);
	pair_free(p);
}
END_TEST

START_TEST(read_small_buffer_keeps_packet)
{
	struct pair *p = pair_new(512);
	struct vmbus_ring_pkt pkt;
	uint8_t buf[64];

	ck_assert_int_eq(send_inband(p, 1, buf, 40, NULL), 0);
	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, buf, 39), -ENOBUFS);
	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, buf, 40), 40);
	ck_assert(!vmbus_ring_broken(&p->r));
	pair_free(p);
}
END_TEST

START_TEST(pkt_copy_bounds)
{
	struct pair *p = pair_new(512);
	struct vmbus_ring_pkt pkt;
	uint8_t buf[64];

	ck_assert_int_eq(send_inband(p, 1, buf, 16, NULL), 0);
	ck_assert_int_eq(vmbus_ring_peek(&p->r, &pkt), 0);
	ck_assert_int_eq(vmbus_ring_pkt_copy(&p->r, &pkt, 0, buf, 32), 0);
	ck_assert_int_eq(vmbus_ring_pkt_copy(&p->r, &pkt, 0, buf, 33), -EINVAL);
	ck_assert_int_eq(vmbus_ring_pkt_copy(&p->r, &pkt, 33, buf, 0), -EINVAL);
	ck_assert_int_eq(vmbus_ring_pkt_copy(&p->r, &pkt, 8, buf, UINT32_MAX), -EINVAL);
	pair_free(p);
}
END_TEST

START_TEST(consume_checks_packet)
{
	struct pair *p = pair_new(512);
	struct vmbus_ring_pkt pkt, bogus;
	uint8_t buf[16];

	ck_assert_int_eq(send_inband(p, 1, buf, 16, NULL), 0);
	ck_assert_int_eq(vmbus_ring_peek(&p->r, &pkt), 0);
	bogus = pkt;
	bogus.pos += 8;
	ck_assert_int_eq(vmbus_ring_consume(&p->r, &bogus), -EINVAL);
	bogus = pkt;
	bogus.len = 400;
	ck_assert_int_eq(vmbus_ring_consume(&p->r, &bogus), -EINVAL);
	ck_assert_int_eq(vmbus_ring_consume(&p->r, &pkt), 0);
	ck_assert_int_eq(vmbus_ring_consume(&p->r, &pkt), -EINVAL);
	pair_free(p);
}
END_TEST

START_TEST(role_checks)
{
	struct pair *p = pair_new(512);
	struct vmbus_ring_pkt pkt;
	uint8_t buf[16] = { 0 };
	struct vmbus_ring_iov iov = { buf, 16 };

	ck_assert_int_eq(vmbus_ring_peek(&p->w, &pkt), -EINVAL);
	ck_assert_int_eq(vmbus_ring_write(&p->r, &iov, 1, NULL), -EINVAL);
	ck_assert_int_eq(vmbus_ring_wait_space(&p->r, 8), -EINVAL);
	ck_assert_int_eq(vmbus_ring_read_done(&p->w), -EINVAL);
	ck_assert_int_eq(vmbus_ring_unmask(&p->w), -EINVAL);
	ck_assert_int_eq(vmbus_ring_write_space(&p->r), -EINVAL);
	ck_assert_int_eq(vmbus_ring_consume(&p->w, &pkt), -EINVAL);
	pair_free(p);
}
END_TEST

START_TEST(bad_gather_lists)
{
	struct pair *p = pair_new(512);
	struct vmbus_packet_desc d = { .type = VM_PKT_DATA_INBAND };
	struct vmbus_ring_iov iov[2] = { { "abcdefgh", 8 }, { NULL, 4 } };
	bool sig = true;

	ck_assert_int_eq(vmbus_ring_send(&p->w, &d, iov, 2, &sig), -EINVAL);
	ck_assert(!sig);
	ck_assert_int_eq(vmbus_ring_send(&p->w, &d, NULL, 1, NULL), -EINVAL);
	ck_assert_int_eq(vmbus_ring_write(&p->w, iov, 2, NULL), -EINVAL);
	ck_assert_int_eq(vmbus_ring_send(&p->w, NULL, iov, 1, NULL), -EINVAL);
	ck_assert_uint_eq(p->hdr->write_index, 0);
	pair_free(p);
}
END_TEST

START_TEST(len8_limit_on_big_ring)
{
	/* len8 is 16 bits: 512 KiB - 8 is the largest describable packet. */
	struct pair *p = pair_new(1u << 20);
	uint8_t *buf = calloc(1, 1u << 19);
	struct vmbus_ring_pkt pkt;

	ck_assert_int_eq(send_inband(p, 1, buf, (1u << 19) - 16, NULL), -EMSGSIZE);
	ck_assert_int_eq(send_inband(p, 1, buf, (1u << 19) - 24, NULL), 0);
	ck_assert_int_eq(vmbus_ring_peek(&p->r, &pkt), 0);
	ck_assert_uint_eq(pkt.desc.len8, 0xffff);
	free(buf);
	pair_free(p);
}
END_TEST

static int send_deferred(struct pair *p, uint64_t id, const void *buf,
			 uint32_t len)
{
	struct vmbus_packet_desc d = { .type = VM_PKT_DATA_INBAND, .trans_id = id };
	struct vmbus_ring_iov iov = { buf, len };

	return vmbus_ring_send_deferred(&p->w, &d, &iov, 1);
}

START_TEST(deferred_batch_published_by_flush)
{
	struct pair *p = pair_new(4096);
	struct vmbus_ring_pkt pkt;
	uint8_t buf[64] = { 0 };
	bool sig = true;

	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(send_deferred(p, i, buf, 24), 0);
	/* Nothing visible yet. */
	ck_assert_uint_eq(p->hdr->write_index, 0);
	ck_assert_int_eq(vmbus_ring_peek(&p->r, &pkt), -EAGAIN);
	ck_assert_int_eq(vmbus_ring_write_space(&p->w), 4096 - 3 * 48);
	ck_assert_int_eq(vmbus_ring_wait_space(&p->w, 64), -EINVAL);
	/* One store, one signal for the batch. */
	ck_assert_int_eq(vmbus_ring_flush(&p->w, &sig), 0);
	ck_assert(sig);
	ck_assert_uint_eq(p->hdr->write_index, 3 * 48);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf)), 24);
		ck_assert_uint_eq(pkt.desc.trans_id, i);
	}
	/* Trailers carry each packet's own start. */
	{
		uint64_t t;

		memcpy(&t, p->data + 48 + 40, 8);
		ck_assert_uint_eq(t, (uint64_t)48 << 32);
	}
	/* Reader busy (not published): the next batch is not signalled. */
	ck_assert_int_eq(send_deferred(p, 9, buf, 8), 0);
	ck_assert_int_eq(vmbus_ring_flush(&p->w, &sig), 0);
	ck_assert(!sig);
	/* Empty flush: no store, no signal. */
	ck_assert_int_eq(vmbus_ring_flush(&p->w, &sig), 0);
	ck_assert(!sig);
	ck_assert_int_eq(vmbus_ring_flush(&p->r, &sig), -EINVAL);
	pair_free(p);
}
END_TEST

START_TEST(deferred_fills_ring)
{
	struct pair *p = pair_new(1024);
	struct vmbus_ring_pkt pkt;
	uint8_t buf[96] = { 0 };
	int n = 0;

	while (send_deferred(p, n, buf, 96) == 0)
		n++;
	ck_assert_int_eq(n, 8);			/* same as published writes */
	ck_assert_int_eq(vmbus_ring_flush(&p->w, NULL), 0);
	while (vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf)) == 96)
		n--;
	ck_assert_int_eq(n, 0);
	pair_free(p);
}
END_TEST

START_TEST(signal_on_empty_to_nonempty_only)
{
	struct pair *p = pair_new(4096);
	struct vmbus_ring_pkt pkt;
	uint8_t buf[32] = { 0 };
	bool sig;

	ck_assert_int_eq(send_inband(p, 1, buf, 8, &sig), 0);
	ck_assert(sig);
	ck_assert_int_eq(send_inband(p, 2, buf, 8, &sig), 0);
	ck_assert(!sig);
	/* Reader consumed one but has not drained: still non-empty. */
	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf)), 8);
	ck_assert_int_eq(vmbus_ring_read_done(&p->r), 0);
	ck_assert_int_eq(send_inband(p, 3, buf, 8, &sig), 0);
	ck_assert(!sig);
	/* Drained and published: the next write is empty -> non-empty. */
	while (vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf)) >= 0)
		;
	/* Consumed but read_index not yet published: reader still busy. */
	ck_assert_int_eq(send_inband(p, 4, buf, 8, &sig), 0);
	ck_assert(!sig);
	while (vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf)) >= 0)
		;
	ck_assert_int_eq(vmbus_ring_read_done(&p->r), 0);
	ck_assert_int_eq(send_inband(p, 5, buf, 8, &sig), 0);
	ck_assert(sig);
	pair_free(p);
}
END_TEST

START_TEST(no_signal_when_masked)
{
	struct pair *p = pair_new(4096);
	struct vmbus_ring_pkt pkt;
	uint8_t buf[32] = { 0 };
	bool sig = true;

	vmbus_ring_mask(&p->r);
	ck_assert_uint_ne(p->hdr->interrupt_mask, 0);
	ck_assert_int_eq(send_inband(p, 1, buf, 8, &sig), 0);
	ck_assert(!sig);
	while (vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf)) >= 0)
		;
	ck_assert_int_eq(vmbus_ring_read_done(&p->r), 0);
	/* Unmask with nothing pending: 0, then writes signal again. */
	ck_assert_int_eq(vmbus_ring_unmask(&p->r), 0);
	ck_assert_uint_eq(p->hdr->interrupt_mask, 0);
	ck_assert_int_eq(send_inband(p, 2, buf, 8, &sig), 0);
	ck_assert(sig);
	pair_free(p);
}
END_TEST

START_TEST(unmask_reports_late_packet)
{
	struct pair *p = pair_new(4096);
	struct vmbus_ring_pkt pkt;
	uint8_t buf[32] = { 0 };
	bool sig = true;

	vmbus_ring_mask(&p->r);
	ck_assert_int_eq(send_inband(p, 1, buf, 8, &sig), 0);
	ck_assert(!sig);
	/* The reader drained earlier data, then a packet arrived while masked:
	 * unmask must tell it to look again. */
	ck_assert_int_eq(vmbus_ring_unmask(&p->r), 1);
	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf)), 8);
	ck_assert_int_eq(vmbus_ring_read_done(&p->r), 0);
	ck_assert_int_eq(vmbus_ring_unmask(&p->r), 0);
	pair_free(p);
}
END_TEST

/* Fills a 1 KiB ring with 120-byte packets; returns how many fit. */
static int fill_ring(struct pair *p)
{
	uint8_t buf[96] = { 0 };
	int n = 0;

	while (send_inband(p, n, buf, 96, NULL) == 0)
		n++;
	return n;
}

START_TEST(pending_send_sz_signals_when_enough_freed)
{
	struct pair *p = pair_new_at(1024, 0, VMBUS_RING_FEAT_PENDING_SEND_SZ);
	struct vmbus_ring_pkt pkt;
	uint8_t buf[256];
	uint32_t need = (uint32_t)vmbus_ring_packet_bytes(16, 200);	/* 224 */

	ck_assert_int_eq(fill_ring(p), 8);	/* 960 used, 64 free */
	ck_assert_int_eq(send_inband(p, 99, buf, 200, NULL), -EAGAIN);
	ck_assert_int_eq(vmbus_ring_wait_space(&p->w, need), 0);
	ck_assert_uint_eq(p->hdr->pending_send_sz, need);

	/* Free 120: 184 free, not > 224 yet: no signal. */
	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf)), 96);
	ck_assert_int_eq(vmbus_ring_read_done(&p->r), 0);
	/* Free 120 more: 304 > 224, and 184 <= 224 before: signal. */
	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf)), 96);
	ck_assert_int_eq(vmbus_ring_read_done(&p->r), 1);
	/* More freeing: the writer had room already: no second signal. */
	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf)), 96);
	ck_assert_int_eq(vmbus_ring_read_done(&p->r), 0);

	/* The successful write clears pending_send_sz. */
	ck_assert_int_eq(send_inband(p, 99, buf, 200, NULL), 0);
	ck_assert_uint_eq(p->hdr->pending_send_sz, 0);
	pair_free(p);
}
END_TEST

START_TEST(pending_send_sz_exact_boundary)
{
	struct pair *p = pair_new_at(1024, 0, VMBUS_RING_FEAT_PENDING_SEND_SZ);
	struct vmbus_ring_pkt pkt;
	uint8_t buf[256];

	fill_ring(p);				/* 64 bytes free */
	ck_assert_int_eq(vmbus_ring_wait_space(&p->w, 304), 0);
	/* 304 free is not enough: a writer needs strictly more. */
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf)), 96);
	ck_assert_int_eq(vmbus_ring_read_done(&p->r), 0);
	ck_assert_int_eq(vmbus_ring_wait_space(&p->w, 304), 0);
	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf)), 96);
	ck_assert_int_eq(vmbus_ring_read_done(&p->r), 1);	/* 424 > 304 */
	ck_assert_int_eq(vmbus_ring_wait_space(&p->w, 304), 1);
	pair_free(p);
}
END_TEST

START_TEST(pending_send_sz_ignored_without_feature)
{
	struct pair *p = pair_new_at(1024, 0, 0);
	struct vmbus_ring_pkt pkt;
	uint8_t buf[256];

	fill_ring(p);
	ck_assert_int_eq(vmbus_ring_wait_space(&p->w, 224), 0);
	for (int i = 0; i < 8; i++)
		ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf)), 96);
	ck_assert_int_eq(vmbus_ring_read_done(&p->r), 0);
	pair_free(p);
}
END_TEST

START_TEST(pending_send_sz_batch_signals_once)
{
	struct pair *p = pair_new_at(1024, 0, VMBUS_RING_FEAT_PENDING_SEND_SZ);
	struct vmbus_ring_pkt pkt;
	uint8_t buf[256];

	fill_ring(p);
	ck_assert_int_eq(vmbus_ring_wait_space(&p->w, 300), 0);
	/* One batch frees three packets: a single index update and a single
	 * signal decision. */
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf)), 96);
	ck_assert_uint_eq(p->hdr->read_index, 0);
	ck_assert_int_eq(vmbus_ring_read_done(&p->r), 1);
	ck_assert_uint_eq(p->hdr->read_index, 360);
	pair_free(p);
}
END_TEST

START_TEST(wait_space_already_available)
{
	struct pair *p = pair_new_at(1024, 0, VMBUS_RING_FEAT_PENDING_SEND_SZ);
	struct vmbus_ring_pkt pkt;
	uint8_t buf[256];

	fill_ring(p);
	/* The reader frees space before the writer gets to wait. */
	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf)), 96);
	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf)), 96);
	ck_assert_int_eq(vmbus_ring_read_done(&p->r), 0);	/* nobody waiting */
	ck_assert_int_eq(vmbus_ring_wait_space(&p->w, 224), 1);
	pair_free(p);
}
END_TEST

START_TEST(private_indices_not_reloaded)
{
	struct pair *p = pair_new(512);
	struct vmbus_ring_pkt pkt;
	uint8_t buf[16] = { 0 };

	ck_assert_int_eq(send_inband(p, 1, buf, 16, NULL), 0);
	/* The reader scribbles on write_index; the writer keeps its own. */
	p->hdr->write_index = 400;
	ck_assert_int_eq(send_inband(p, 2, buf, 16, NULL), 0);
	ck_assert_uint_eq(p->hdr->write_index, 80);
	/* The writer scribbles on read_index; the reader keeps its own. */
	p->hdr->read_index = 200;
	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf)), 16);
	ck_assert_uint_eq(pkt.desc.trans_id, 1);
	pair_free(p);
}
END_TEST

/* Corruption: each case yields -EPROTO, a distinct fault, and stays broken. */
static void expect_reader_fault(struct pair *p, enum vmbus_ring_fault f)
{
	struct vmbus_ring_pkt pkt;
	uint8_t buf[64];

	ck_assert_int_eq(vmbus_ring_peek(&p->r, &pkt), -EPROTO);
	ck_assert_int_eq(vmbus_ring_fault(&p->r), f);
	ck_assert(vmbus_ring_broken(&p->r));
	/* Broken for good, even if the index is repaired. */
	p->hdr->write_index = 0;
	ck_assert_int_eq(vmbus_ring_peek(&p->r, &pkt), -EPROTO);
	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf)), -EPROTO);
	ck_assert_int_eq(vmbus_ring_read_done(&p->r), -EPROTO);
	ck_assert_int_eq(vmbus_ring_unmask(&p->r), -EPROTO);
	ck_assert_int_eq(vmbus_ring_fault(&p->r), f);
}

START_TEST(corrupt_write_index_beyond_size)
{
	struct pair *p = pair_new(512);

	p->hdr->write_index = 512;
	expect_reader_fault(p, VMBUS_RING_FAULT_WRITE_INDEX_RANGE);
	pair_free(p);
}
END_TEST

START_TEST(corrupt_write_index_huge)
{
	struct pair *p = pair_new(512);

	p->hdr->write_index = 0xfffffff8u;
	expect_reader_fault(p, VMBUS_RING_FAULT_WRITE_INDEX_RANGE);
	pair_free(p);
}
END_TEST

START_TEST(corrupt_write_index_unaligned)
{
	struct pair *p = pair_new(512);

	p->hdr->write_index = 44;
	expect_reader_fault(p, VMBUS_RING_FAULT_WRITE_INDEX_ALIGN);
	pair_free(p);
}
END_TEST

START_TEST(corrupt_short_data)
{
	struct pair *p = pair_new(512);

	p->hdr->write_index = 16;	/* less than descriptor + trailer */
	expect_reader_fault(p, VMBUS_RING_FAULT_SHORT_DATA);
	pair_free(p);
}
END_TEST

START_TEST(corrupt_len8_past_available)
{
	struct pair *p = pair_new(512);

	plant_desc(p, 2, 10, 48);	/* 80 + 8 bytes claimed, 48 written */
	expect_reader_fault(p, VMBUS_RING_FAULT_PKT_PAST_DATA);
	pair_free(p);
}
END_TEST

START_TEST(corrupt_len8_trailer_missing)
{
	struct pair *p = pair_new(512);

	plant_desc(p, 2, 6, 48);	/* 48 bytes, no room for the trailer */
	expect_reader_fault(p, VMBUS_RING_FAULT_PKT_PAST_DATA);
	pair_free(p);
}
END_TEST

START_TEST(corrupt_len8_max)
{
	struct pair *p = pair_new(512);

	plant_desc(p, 2, 0xffff, 48);
	expect_reader_fault(p, VMBUS_RING_FAULT_PKT_PAST_DATA);
	pair_free(p);
}
END_TEST

START_TEST(corrupt_len8_below_descriptor)
{
	struct pair *p = pair_new(512);

	plant_desc(p, 1, 1, 48);
	expect_reader_fault(p, VMBUS_RING_FAULT_DESC_LEN);
	pair_free(p);
}
END_TEST

START_TEST(corrupt_offset8_inside_descriptor)
{
	struct pair *p = pair_new(512);

	plant_desc(p, 1, 4, 48);
	expect_reader_fault(p, VMBUS_RING_FAULT_DESC_OFFSET);
	pair_free(p);
}
END_TEST

START_TEST(corrupt_offset8_past_len)
{
	struct pair *p = pair_new(512);

	plant_desc(p, 5, 4, 48);
	expect_reader_fault(p, VMBUS_RING_FAULT_DESC_OFFSET);
	pair_free(p);
}
END_TEST

START_TEST(corrupt_second_packet_in_batch)
{
	struct pair *p = pair_new(512);
	struct vmbus_ring_pkt pkt;
	uint8_t buf[64] = { 0 };

	ck_assert_int_eq(send_inband(p, 1, buf, 16, NULL), 0);	/* 40 bytes */
	ck_assert_int_eq(send_inband(p, 2, buf, 16, NULL), 0);
	/* Corrupt the second descriptor after the writer published it. */
	((struct vmbus_packet_desc *)(p->data + 40))->len8 = 60;
	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf)), 16);
	ck_assert_int_eq(vmbus_ring_peek(&p->r, &pkt), -EPROTO);
	ck_assert_int_eq(vmbus_ring_fault(&p->r), VMBUS_RING_FAULT_PKT_PAST_DATA);
	pair_free(p);
}
END_TEST

START_TEST(corrupt_read_index_beyond_size)
{
	struct pair *p = pair_new(512);
	uint8_t buf[16] = { 0 };

	p->hdr->read_index = 1024;
	ck_assert_int_eq(send_inband(p, 1, buf, 16, NULL), -EPROTO);
	ck_assert_int_eq(vmbus_ring_fault(&p->w), VMBUS_RING_FAULT_READ_INDEX_RANGE);
	p->hdr->read_index = 0;
	ck_assert_int_eq(send_inband(p, 1, buf, 16, NULL), -EPROTO);
	ck_assert_int_eq(vmbus_ring_wait_space(&p->w, 8), -EPROTO);
	ck_assert_int_eq(vmbus_ring_write_space(&p->w), -EPROTO);
	{
		struct vmbus_ring_iov iov = { buf, 16 };

		ck_assert_int_eq(vmbus_ring_write(&p->w, &iov, 1, NULL), -EPROTO);
	}
	ck_assert_uint_eq(p->hdr->write_index, 0);	/* nothing written */
	pair_free(p);
}
END_TEST

START_TEST(corrupt_read_index_unaligned)
{
	struct pair *p = pair_new(512);
	uint8_t buf[16] = { 0 };

	p->hdr->read_index = 3;
	ck_assert_int_eq(send_inband(p, 1, buf, 16, NULL), -EPROTO);
	ck_assert_int_eq(vmbus_ring_fault(&p->w), VMBUS_RING_FAULT_READ_INDEX_ALIGN);
	pair_free(p);
}
END_TEST

/*
 * The writer keeps the read_index it validated last and reloads it only
 * when a packet does not fit: space the reader frees shows up then, and a
 * read_index corrupted meanwhile is caught at that reload.
 */
START_TEST(writer_reloads_read_index_when_full)
{
	struct pair *p = pair_new(512);
	struct vmbus_ring_pkt pkt;
	uint8_t buf[64] = { 0 }, out[64];
	int sent = 0;

	/* 64 + 16 + 8 = 88 ring bytes a packet: 5 fit in 512 (440 < 512). */
	while (send_inband(p, 1, buf, 64, NULL) == 0)
		sent++;
	ck_assert_int_eq(sent, 5);
	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, out, sizeof(out)), 64);
	ck_assert_int_eq(vmbus_ring_read_done(&p->r), 0);
	/* Freed by the reader: seen at the reload. */
	ck_assert_int_eq(send_inband(p, 2, buf, 64, NULL), 0);
	ck_assert_int_eq(send_inband(p, 3, buf, 64, NULL), -EAGAIN);
	/* Corrupt while the writer is full: the reload catches it. */
	p->hdr->read_index = 3;
	ck_assert_int_eq(send_inband(p, 4, buf, 64, NULL), -EPROTO);
	ck_assert_int_eq(vmbus_ring_fault(&p->w), VMBUS_RING_FAULT_READ_INDEX_ALIGN);
	pair_free(p);
}
END_TEST

START_TEST(corrupt_read_index_in_wait_space)
{
	struct pair *p = pair_new(512);

	p->hdr->read_index = 700;
	ck_assert_int_eq(vmbus_ring_wait_space(&p->w, 64), -EPROTO);
	ck_assert_int_eq(vmbus_ring_fault(&p->w), VMBUS_RING_FAULT_READ_INDEX_RANGE);
	pair_free(p);
}
END_TEST

START_TEST(corrupt_write_index_at_read_done)
{
	struct pair *p = pair_new_at(512, 0, VMBUS_RING_FEAT_PENDING_SEND_SZ);
	struct vmbus_ring_pkt pkt;
	uint8_t buf[64] = { 0 };

	ck_assert_int_eq(send_inband(p, 1, buf, 16, NULL), 0);
	ck_assert_int_eq(vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf)), 16);
	p->hdr->pending_send_sz = 100;
	p->hdr->write_index = 999;
	ck_assert_int_eq(vmbus_ring_read_done(&p->r), -EPROTO);
	ck_assert_int_eq(vmbus_ring_fault(&p->r), VMBUS_RING_FAULT_WRITE_INDEX_RANGE);
	pair_free(p);
}
END_TEST

/* Random shared state: the reader must only ever return 0, -EAGAIN or
 * -EPROTO and stay inside the buffers (ASan watches). */
START_TEST(random_garbage_never_escapes)
{
	uint64_t x = 88172645463325252ull;

	for (int iter = 0; iter < 3000; iter++) {
		struct pair *p = pair_new(256);
		struct vmbus_ring_pkt pkt;
		uint8_t buf[256];
		int rc, steps = 0;

		for (uint32_t i = 0; i < 256; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			p->data[i] = (uint8_t)x;
		}
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		p->hdr->write_index = (iter & 1) ? (uint32_t)(x % 264) & ~7u : (uint32_t)x;
		while ((rc = vmbus_ring_read(&p->r, &pkt, buf, sizeof(buf))) >= 0)
			ck_assert_int_lt(++steps, 64);
		ck_assert(rc == -EAGAIN || rc == -EPROTO || rc == -ENOBUFS);
		pair_free(p);
	}
}
END_TEST

/* ---- Two-thread stress ------------------------------------------------ */

struct stress {
	struct pair *p;
	uint64_t packets;
	sem_t to_reader, to_writer;
	atomic_ulong signals;
	atomic_int failed;
	uint64_t received;
};

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void payload_for(uint64_t seq, uint8_t *buf, uint32_t *len)
{
	uint64_t s = seq * 0x9e3779b97f4a7c15ull + 1;
	uint32_t n = (uint32_t)(rnd(&s) % 1024);

	if (rnd(&s) % 4 == 0)
		n &= 63;	/* plenty of small packets */
	for (uint32_t i = 0; i < n; i += 8) {
		uint64_t v = rnd(&s);

		memcpy(buf + i, &v, n - i < 8 ? n - i : 8);
	}
	*len = n;
}

static bool wait_sem(sem_t *s)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 10;	/* a lost wakeup shows up as a timeout */
	return sem_timedwait(s, &ts) == 0;
}

static void stress_flush(struct stress *st)
{
	bool sig;

	if (vmbus_ring_flush(&st->p->w, &sig))
		st->failed = 7;
	if (sig) {
		st->signals++;
		sem_post(&st->to_reader);
	}
}

/* Sends in batches of 1..8 packets published by one flush. */
static void *stress_writer(void *arg)
{
	struct stress *st = arg;
	uint8_t buf[1024];
	uint64_t batch = 1;

	for (uint64_t seq = 0; seq < st->packets && !st->failed; seq++) {
		struct vmbus_packet_desc d = { .type = VM_PKT_DATA_INBAND,
					       .trans_id = seq };
		struct vmbus_ring_iov iov[2];
		uint32_t len, half;
		int rc;

		payload_for(seq, buf, &len);
		half = len / 3;
		iov[0] = (struct vmbus_ring_iov){ buf, half };
		iov[1] = (struct vmbus_ring_iov){ buf + half, len - half };
		while ((rc = vmbus_ring_send_deferred(&st->p->w, &d, iov, 2)) == -EAGAIN) {
			stress_flush(st);
			rc = vmbus_ring_wait_space(&st->p->w,
				(uint32_t)vmbus_ring_packet_bytes(16, len));
			if (rc == 0 && !wait_sem(&st->to_writer)) {
				st->failed = 1;
				break;
			}
		}
		if (rc < 0 && rc != -EAGAIN) {
			st->failed = 2;
			break;
		}
		if (seq % batch == 0) {
			stress_flush(st);
			batch = 1 + (seq >> 3) % 8;
		}
	}
	stress_flush(st);
	return NULL;
}

static void *stress_reader(void *arg)
{
	struct stress *st = arg;
	uint8_t want[1024], got[1024];
	struct vmbus_ring_pkt pkt;
	uint64_t seq = 0;

	while (seq < st->packets && !st->failed) {
		int n, rc;

		while ((n = vmbus_ring_read(&st->p->r, &pkt, got, sizeof(got))) >= 0) {
			uint32_t len;

			payload_for(seq, want, &len);
			if (pkt.desc.trans_id != seq || (uint32_t)n != ((len + 7) & ~7u) ||
			    memcmp(want, got, len)) {
				st->failed = 3;
				return NULL;
			}
			seq++;
		}
		if (n != -EAGAIN) {
			st->failed = 4;
			break;
		}
		rc = vmbus_ring_read_done(&st->p->r);
		if (rc > 0) {
			st->signals++;
			sem_post(&st->to_writer);
		}
		rc = vmbus_ring_unmask(&st->p->r);
		if (rc < 0) {
			st->failed = 5;
			break;
		}
		if (rc == 0 && seq < st->packets && !wait_sem(&st->to_reader)) {
			st->failed = 6;
			break;
		}
	}
	st->received = seq;
	return NULL;
}

START_TEST(two_thread_stress_checksummed)
{
	struct stress st = { 0 };
	const char *env = getenv("VMBUS_STRESS_PACKETS");
	pthread_t tw, tr;

	st.packets = env ? strtoull(env, NULL, 0) : 10000000;
	st.p = pair_new_at(64 * 1024, 0, VMBUS_RING_FEAT_PENDING_SEND_SZ);
	sem_init(&st.to_reader, 0, 0);
	sem_init(&st.to_writer, 0, 0);
	pthread_create(&tr, NULL, stress_reader, &st);
	pthread_create(&tw, NULL, stress_writer, &st);
	pthread_join(tw, NULL);
	pthread_join(tr, NULL);
	ck_assert_int_eq(st.failed, 0);
	ck_assert_uint_eq(st.received, st.packets);
	ck_assert(!vmbus_ring_broken(&st.p->r));
	sem_destroy(&st.to_reader);
	sem_destroy(&st.to_writer);
	pair_free(st.p);
}
END_TEST

static Suite *ring_suite(void)
{
	Suite *s = suite_create("ring");
	TCase *tc = tcase_create("basic");
	TCase *bad = tcase_create("hostile");
	TCase *notify = tcase_create("notify");
	TCase *stress = tcase_create("stress");

	tcase_add_test(tc, init_rejects_bad_arguments);
	tcase_add_test(tc, init_rejects_corrupt_own_index);
	tcase_add_test(tc, header_init_sets_features_and_zeroes);
	tcase_add_test(tc, empty_ring_peek_is_eagain);
	tcase_add_test(tc, roundtrip_descriptor_padding_trailer);
	tcase_add_test(tc, zero_length_payload);
	tcase_add_test(tc, wraparound_every_offset);
	tcase_add_test(tc, wraparound_splits_fragments);
	tcase_add_test(tc, descriptor_wraps);
	tcase_add_test(tc, exactly_full_boundary);
	tcase_add_test(tc, exactly_empty_after_drain);
	tcase_add_test(tc, max_packet_size);
	tcase_add_test(tc, gather_write);
	tcase_add_test(tc, raw_write_keeps_caller_descriptor);
	tcase_add_test(tc, send_with_type_header);
	tcase_add_test(tc, batched_read_single_index_update);
	tcase_add_test(tc, read_small_buffer_keeps_packet);
	tcase_add_test(tc, pkt_copy_bounds);
	tcase_add_test(tc, consume_checks_packet);
	tcase_add_test(tc, role_checks);
	tcase_add_test(tc, bad_gather_lists);
	tcase_add_test(tc, len8_limit_on_big_ring);
	suite_add_tcase(s, tc);

	tcase_add_test(notify, signal_on_empty_to_nonempty_only);
	tcase_add_test(notify, deferred_batch_published_by_flush);
	tcase_add_test(notify, deferred_fills_ring);
	tcase_add_test(notify, no_signal_when_masked);
	tcase_add_test(notify, unmask_reports_late_packet);
	tcase_add_test(notify, pending_send_sz_signals_when_enough_freed);
	tcase_add_test(notify, pending_send_sz_exact_boundary);
	tcase_add_test(notify, pending_send_sz_ignored_without_feature);
	tcase_add_test(notify, pending_send_sz_batch_signals_once);
	tcase_add_test(notify, wait_space_already_available);
	suite_add_tcase(s, notify);

	tcase_add_test(bad, private_indices_not_reloaded);
	tcase_add_test(bad, corrupt_write_index_beyond_size);
	tcase_add_test(bad, corrupt_write_index_huge);
	tcase_add_test(bad, corrupt_write_index_unaligned);
	tcase_add_test(bad, corrupt_short_data);
	tcase_add_test(bad, corrupt_len8_past_available);
	tcase_add_test(bad, corrupt_len8_trailer_missing);
	tcase_add_test(bad, corrupt_len8_max);
	tcase_add_test(bad, corrupt_len8_below_descriptor);
	tcase_add_test(bad, corrupt_offset8_inside_descriptor);
	tcase_add_test(bad, corrupt_offset8_past_len);
	tcase_add_test(bad, corrupt_second_packet_in_batch);
	tcase_add_test(bad, corrupt_read_index_beyond_size);
	tcase_add_test(bad, corrupt_read_index_unaligned);
	tcase_add_test(bad, corrupt_read_index_in_wait_space);
	tcase_add_test(bad, writer_reloads_read_index_when_full);
	tcase_add_test(bad, corrupt_write_index_at_read_done);
	tcase_add_test(bad, random_garbage_never_escapes);
	tcase_set_timeout(bad, 30);
	suite_add_tcase(s, bad);

	tcase_add_test(stress, two_thread_stress_checksummed);
	tcase_set_timeout(stress, 120);
	suite_add_tcase(s, stress);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ring_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
