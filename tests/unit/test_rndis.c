// SPDX-License-Identifier: GPL-2.0
/* Unit tests for parent/worker/rndis.c: the RNDIS device of a synthetic NIC. */
#include <check.h>
#include <errno.h>
#include <string.h>
#include <linux/virtio_net.h>

#include "rndis.h"
#include "hv_check.h"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

/* What the callbacks saw. */
static uint8_t reply_buf[16][RNDIS_MAX_REPLY];
static uint32_t reply_len[16];
static int nreplies;
static uint8_t frames[8][2048];
static uint32_t frame_len[8];
static struct rndis_tx_meta frame_meta[8];
static int nframes, nbad;

static void cb_frame(void *ctx, const uint8_t *f, uint32_t len,
		     const struct rndis_tx_meta *m)
{
	(void)ctx;
	ck_assert_int_lt(nframes, 8);
	ck_assert_uint_le(len, sizeof(frames[0]));
	memcpy(frames[nframes], f, len);
	frame_meta[nframes] = *m;
	frame_len[nframes++] = len;
}

static int cb_reply(void *ctx, const void *m, uint32_t len)
{
	(void)ctx;
	ck_assert_int_lt(nreplies, 16);
	ck_assert_uint_le(len, RNDIS_MAX_REPLY);
	memcpy(reply_buf[nreplies], m, len);
	reply_len[nreplies++] = len;
	return 0;
}

static void cb_bad(void *ctx, const char *why)
{
	(void)ctx;
	ck_assert_ptr_nonnull(why);
	nbad++;
}

static const struct rndis_ops ops = { cb_frame, cb_reply, cb_bad };
static struct rndis_dev dev;

static void setup(void)
{
	rndis_init(&dev, mac);
	nreplies = nframes = nbad = 0;
}

static uint32_t u32at(const uint8_t *p, uint32_t off)
{
	uint32_t v;

	memcpy(&v, p + off, 4);
	return v;
}

static void put32(uint8_t *p, uint32_t off, uint32_t v)
{
	memcpy(p + off, &v, 4);
}

/* A message of @type with @n u32 body words. */
static uint32_t msg(uint8_t *b, uint32_t type, const uint32_t *w, uint32_t n)
{
	put32(b, 0, type);
	put32(b, 4, 8 + 4 * n);
	for (uint32_t i = 0; i < n; i++)
		put32(b, 8 + 4 * i, w[i]);
	return 8 + 4 * n;
}

static int send_init(void)
{
	uint8_t b[64];
	uint32_t w[] = { 7, 1, 0, 0x4000 };

	return rndis_input(&dev, b, msg(b, RNDIS_MSG_INIT, w, 4), &ops, NULL);
}

/* QUERY @oid with an info buffer of @inlen bytes; the reply index. */
static int query(uint32_t oid, uint32_t inlen)
{
	uint8_t b[512] = { 0 };
	uint32_t w[] = { 9, oid, inlen, 20, 0 };
	uint32_t len = msg(b, RNDIS_MSG_QUERY, w, 5) + inlen;

	put32(b, 4, len);
	ck_assert_int_eq(rndis_input(&dev, b, len, &ops, NULL), 1);
	ck_assert_int_gt(nreplies, 0);
	return nreplies - 1;
}

static int set(uint32_t oid, const void *val, uint32_t vlen)
{
	uint8_t b[512] = { 0 };
	uint32_t w[] = { 11, oid, vlen, 20, 0 };
	uint32_t len = msg(b, RNDIS_MSG_SET, w, 5);

	memcpy(b + len, val, vlen);
	put32(b, 4, len + vlen);
	ck_assert_int_eq(rndis_input(&dev, b, len + vlen, &ops, NULL), 1);
	return nreplies - 1;
}

/* A PACKET message carrying @flen bytes of 0xA0 + i at @b. */
static uint32_t packet(uint8_t *b, uint32_t flen)
{
	uint32_t w[9] = { 36, flen };
	uint32_t len = msg(b, RNDIS_MSG_PACKET, w, 9);

	for (uint32_t i = 0; i < flen; i++)
		b[len + i] = (uint8_t)(0xA0 + i);
	put32(b, 4, len + flen);
	return len + flen;
}

START_TEST(init_completes)
{
	ck_assert_int_eq(send_init(), 1);
	ck_assert_int_eq(nreplies, 1);
	ck_assert_uint_eq(reply_len[0], 8 + sizeof(struct rndis_init_complete));
	ck_assert_uint_eq(u32at(reply_buf[0], 0), RNDIS_MSG_INIT_C);
	ck_assert_uint_eq(u32at(reply_buf[0], 4), reply_len[0]);
	ck_assert_uint_eq(u32at(reply_buf[0], 8), 7);	/* req_id */
	ck_assert_uint_eq(u32at(reply_buf[0], 12), RNDIS_STATUS_SUCCESS);
	ck_assert_uint_eq(u32at(reply_buf[0], 16), 1);	/* major */
	ck_assert_uint_ge(u32at(reply_buf[0], 32), 1);	/* max_pkt_per_msg */
	ck_assert(dev.initialized);
	ck_assert(!rndis_rx_ready(&dev));
}
END_TEST

START_TEST(init_wrong_major_refused)
{
	uint8_t b[64];
	uint32_t w[] = { 7, 2, 0, 0x4000 };

	ck_assert_int_eq(rndis_input(&dev, b, msg(b, RNDIS_MSG_INIT, w, 4), &ops, NULL), 1);
	ck_assert_uint_ne(u32at(reply_buf[0], 12), RNDIS_STATUS_SUCCESS);
	ck_assert(!dev.initialized);
}
END_TEST

START_TEST(query_mac)
{
	int r;

	send_init();
	r = query(RNDIS_OID_802_3_PERMANENT_ADDRESS, 0);
	ck_assert_uint_eq(u32at(reply_buf[r], 0), RNDIS_MSG_QUERY_C);
	ck_assert_uint_eq(u32at(reply_buf[r], 8), 9);
	ck_assert_uint_eq(u32at(reply_buf[r], 12), RNDIS_STATUS_SUCCESS);
	ck_assert_uint_eq(u32at(reply_buf[r], 16), 6);
	ck_assert_uint_eq(u32at(reply_buf[r], 20), 16);	/* >= sizeof(query_complete) */
	ck_assert_uint_eq(reply_len[r], 8 + 16 + 6);
	ck_assert_mem_eq(reply_buf[r] + 8 + 16, mac, 6);
	r = query(RNDIS_OID_802_3_CURRENT_ADDRESS, 0);
	ck_assert_mem_eq(reply_buf[r] + 8 + 16, mac, 6);
}
END_TEST

START_TEST(query_u32_oids)
{
	int r = query(RNDIS_OID_GEN_MAXIMUM_FRAME_SIZE, 0);

	ck_assert_uint_eq(u32at(reply_buf[r], 16), 4);
	ck_assert_uint_eq(u32at(reply_buf[r], 24), 1500);
	r = query(RNDIS_OID_GEN_LINK_SPEED, 0);
	ck_assert_uint_eq(u32at(reply_buf[r], 24), RNDIS_LINK_SPEED);
	r = query(RNDIS_OID_GEN_MEDIA_CONNECT_STATUS, 0);
	ck_assert_uint_eq(u32at(reply_buf[r], 24), 0);	/* connected */
	dev.link_up = false;
	r = query(RNDIS_OID_GEN_MEDIA_CONNECT_STATUS, 0);
	ck_assert_uint_eq(u32at(reply_buf[r], 24), 1);
}
END_TEST

START_TEST(query_offload_caps)
{
	struct ndis_object_header h;
	int r = query(RNDIS_OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES, NDIS_OFFLOAD_SIZE);

	ck_assert_uint_eq(u32at(reply_buf[r], 12), RNDIS_STATUS_SUCCESS);
	ck_assert_uint_eq(u32at(reply_buf[r], 16), NDIS_OFFLOAD_SIZE);
	memcpy(&h, reply_buf[r] + 24, sizeof(h));
	ck_assert_uint_eq(h.type, NDIS_OBJECT_TYPE_OFFLOAD);
	ck_assert_uint_eq(h.revision, 3);
	ck_assert_uint_eq(h.size, NDIS_OFFLOAD_SIZE);
	/* IPv4 TCP checksums and LSOv2 IPv4 on 802.3, nothing else */
	ck_assert_uint_eq(u32at(reply_buf[r], 24 + NDIS_OFFLOAD_IP4_TXENC), NDIS_OFFLOAD_ENCAP_8023);
	ck_assert_uint_eq(u32at(reply_buf[r], 24 + NDIS_OFFLOAD_IP4_TXCSUM) & 0x14, 0x14);
	ck_assert_uint_eq(u32at(reply_buf[r], 24 + NDIS_OFFLOAD_LSO2_IP4_ENCAP),
			  NDIS_OFFLOAD_ENCAP_8023);
	ck_assert_uint_eq(u32at(reply_buf[r], 24 + NDIS_OFFLOAD_LSO2_IP4_MAXSZ), RNDIS_LSO_MAX_SIZE);
	for (uint32_t i = 4; i < NDIS_OFFLOAD_SIZE; i += 4)
		if (i != NDIS_OFFLOAD_IP4_TXENC && i != NDIS_OFFLOAD_IP4_TXCSUM &&
		    i != NDIS_OFFLOAD_LSO2_IP4_ENCAP && i != NDIS_OFFLOAD_LSO2_IP4_MAXSZ &&
		    i != NDIS_OFFLOAD_LSO2_IP4_MINSG)
			ck_assert_uint_eq(u32at(reply_buf[r], 24 + i), 0);
	/* a guest with the 6.1-sized struct gets what fits */
	r = query(RNDIS_OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES, NDIS_OFFLOAD_SIZE_6_1);
	ck_assert_uint_eq(u32at(reply_buf[r], 16), NDIS_OFFLOAD_SIZE_6_1);
	memcpy(&h, reply_buf[r] + 24, sizeof(h));
	ck_assert_uint_eq(h.size, NDIS_OFFLOAD_SIZE_6_1);
	ck_assert_uint_ge(h.revision, 1);
}
END_TEST

START_TEST(query_unknown_refused)
{
	int r = query(RNDIS_OID_GEN_RECEIVE_SCALE_CAPABILITIES, 0);

	ck_assert_uint_eq(u32at(reply_buf[r], 12), RNDIS_STATUS_NOT_SUPPORTED);
	ck_assert_uint_eq(u32at(reply_buf[r], 16), 0);
	ck_assert_uint_eq(reply_len[r], 24);
	r = query(RNDIS_OID_GEN_FRIENDLY_NAME, 0);
	ck_assert_uint_eq(u32at(reply_buf[r], 12), RNDIS_STATUS_NOT_SUPPORTED);
}
END_TEST

START_TEST(set_packet_filter)
{
	uint32_t f = 0x0D;
	int r;

	send_init();
	r = set(RNDIS_OID_GEN_CURRENT_PACKET_FILTER, &f, 4);
	ck_assert_uint_eq(u32at(reply_buf[r], 0), RNDIS_MSG_SET_C);
	ck_assert_uint_eq(u32at(reply_buf[r], 8), 11);
	ck_assert_uint_eq(u32at(reply_buf[r], 12), RNDIS_STATUS_SUCCESS);
	ck_assert_uint_eq(dev.filter, 0x0D);
	ck_assert(rndis_rx_ready(&dev));
	r = query(RNDIS_OID_GEN_CURRENT_PACKET_FILTER, 0);
	ck_assert_uint_eq(u32at(reply_buf[r], 24), 0x0D);
	/* too short */
	r = set(RNDIS_OID_GEN_CURRENT_PACKET_FILTER, &f, 2);
	ck_assert_uint_eq(u32at(reply_buf[r], 12), RNDIS_STATUS_INVALID_DATA);
	ck_assert_uint_eq(dev.filter, 0x0D);
}
END_TEST

START_TEST(set_offload_params_ok_others_refused)
{
	uint8_t params[22] = { 0x80, 3, 22, 0 };
	int r = set(RNDIS_OID_TCP_OFFLOAD_PARAMETERS, params, sizeof(params));

	ck_assert_uint_eq(u32at(reply_buf[r], 12), RNDIS_STATUS_SUCCESS);
	r = set(RNDIS_OID_GEN_RNDIS_CONFIG_PARAMETER, params, sizeof(params));
	ck_assert_uint_eq(u32at(reply_buf[r], 12), RNDIS_STATUS_NOT_SUPPORTED);
}
END_TEST

START_TEST(packet_passes_frame)
{
	uint8_t b[2048];
	uint32_t len;

	send_init();
	len = packet(b, 60);
	ck_assert_int_eq(rndis_input(&dev, b, len, &ops, NULL), 1);
	ck_assert_int_eq(nframes, 1);
	ck_assert_uint_eq(frame_len[0], 60);
	ck_assert_uint_eq(frames[0][0], 0xA0);
	ck_assert_uint_eq(frames[0][59], (uint8_t)(0xA0 + 59));
	ck_assert_uint_eq(dev.frames, 1);
}
END_TEST

START_TEST(packet_before_init_dropped)
{
	uint8_t b[2048];

	ck_assert_int_eq(rndis_input(&dev, b, packet(b, 60), &ops, NULL), -EBADMSG);
	ck_assert_int_eq(nframes, 0);
	ck_assert_int_eq(nbad, 1);
}
END_TEST

START_TEST(batched_messages)
{
	uint8_t b[4096] = { 0 };
	uint32_t a, c;

	send_init();
	a = packet(b, 100);
	a = (a + 7) & ~7u;	/* the guest pads to pkt_align and counts it */
	put32(b, 4, a);
	c = packet(b + a, 70);
	/* zero padding after the last message ends the walk */
	ck_assert_int_eq(rndis_input(&dev, b, a + c + 24, &ops, NULL), 2);
	ck_assert_int_eq(nframes, 2);
	ck_assert_uint_eq(frame_len[0], 100);
	ck_assert_uint_eq(frame_len[1], 70);
}
END_TEST

START_TEST(keepalive_reset_halt)
{
	uint8_t b[64];
	uint32_t w[] = { 0x55 };
	uint32_t f = 1;

	send_init();
	ck_assert_int_eq(rndis_input(&dev, b, msg(b, RNDIS_MSG_KEEPALIVE, w, 1), &ops, NULL), 1);
	ck_assert_uint_eq(u32at(reply_buf[1], 0), RNDIS_MSG_KEEPALIVE_C);
	ck_assert_uint_eq(u32at(reply_buf[1], 8), 0x55);
	ck_assert_uint_eq(u32at(reply_buf[1], 12), RNDIS_STATUS_SUCCESS);
	ck_assert_int_eq(rndis_input(&dev, b, msg(b, RNDIS_MSG_RESET, w, 1), &ops, NULL), 1);
	ck_assert_uint_eq(u32at(reply_buf[2], 0), RNDIS_MSG_RESET_C);
	set(RNDIS_OID_GEN_CURRENT_PACKET_FILTER, &f, 4);
	ck_assert(rndis_rx_ready(&dev));
	ck_assert_int_eq(rndis_input(&dev, b, msg(b, RNDIS_MSG_HALT, w, 1), &ops, NULL), 1);
	ck_assert(!dev.initialized);
	ck_assert(!rndis_rx_ready(&dev));
}
END_TEST

START_TEST(hostile_msg_len)
{
	uint8_t b[256] = { 0 };
	uint32_t lens[] = { 0, 4, 7, 65, 0xFFFFFFFF, 0x80000000 };

	send_init();
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		put32(b, 0, RNDIS_MSG_QUERY);
		put32(b, 4, lens[i]);
		ck_assert_int_eq(rndis_input(&dev, b, 64, &ops, NULL), -EBADMSG);
	}
	ck_assert_int_eq(nreplies, 1);	/* only INIT_C */
	ck_assert_int_eq(nbad, 6);
}
END_TEST

START_TEST(hostile_packet_offsets)
{
	uint8_t b[2048];
	uint32_t len;
	struct { uint32_t off, dlen; } bad[] = {
		{ 36, 0xFFFFFFF0 },	/* data_len wraps offset + len */
		{ 0xFFFFFFF0, 20 },	/* offset past the message */
		{ 4, 60 },		/* offset inside the header */
		{ 36, 61 },		/* one byte past the end */
		{ 36, 10 },		/* shorter than an Ethernet header */
	};

	send_init();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		len = packet(b, 60);
		put32(b, 8, bad[i].off);
		put32(b, 12, bad[i].dlen);
		ck_assert_int_eq(rndis_input(&dev, b, len, &ops, NULL), -EBADMSG);
	}
	/* a short rndis_packet body */
	put32(b, 0, RNDIS_MSG_PACKET);
	put32(b, 4, 20);
	ck_assert_int_eq(rndis_input(&dev, b, 20, &ops, NULL), -EBADMSG);
	/* frame larger than the MTU allows */
	len = packet(b, RNDIS_MAX_FRAME + 1 > 1900 ? 1900 : RNDIS_MAX_FRAME + 1);
	ck_assert_int_eq(rndis_input(&dev, b, len, &ops, NULL), -EBADMSG);
	ck_assert_int_eq(nframes, 0);
}
END_TEST

START_TEST(hostile_info_buffer)
{
	uint8_t b[256] = { 0 };
	uint32_t w[] = { 9, RNDIS_OID_802_3_PERMANENT_ADDRESS, 200, 20, 0 };
	uint32_t len = msg(b, RNDIS_MSG_QUERY, w, 5);

	ck_assert_int_eq(rndis_input(&dev, b, len, &ops, NULL), 1);
	ck_assert_uint_eq(u32at(reply_buf[0], 12), RNDIS_STATUS_INVALID_DATA);
	ck_assert_uint_eq(u32at(reply_buf[0], 16), 0);
	/* SET with the value outside the message */
	w[1] = RNDIS_OID_GEN_CURRENT_PACKET_FILTER;
	w[2] = 4;
	w[3] = 0xFFFFFFFE;
	len = msg(b, RNDIS_MSG_SET, w, 5);
	ck_assert_int_eq(rndis_input(&dev, b, len, &ops, NULL), 1);
	ck_assert_uint_eq(u32at(reply_buf[1], 12), RNDIS_STATUS_INVALID_DATA);
	ck_assert_uint_eq(dev.filter, 0);
	/* short QUERY / SET / INIT / KEEPALIVE bodies */
	for (uint32_t t = RNDIS_MSG_INIT; t <= RNDIS_MSG_KEEPALIVE; t++) {
		if (t == RNDIS_MSG_HALT || t == RNDIS_MSG_RESET || t == RNDIS_MSG_INDICATE)
			continue;
		put32(b, 0, t);
		put32(b, 4, 8);
		ck_assert_int_eq(rndis_input(&dev, b, 8, &ops, NULL), -EBADMSG);
	}
	/* unknown type */
	put32(b, 0, 0x1234);
	ck_assert_int_eq(rndis_input(&dev, b, 8, &ops, NULL), -EBADMSG);
}
END_TEST

/* A PACKET whose per-packet info is one element of @type with @value, then the frame. */
static uint32_t packet_ppi(uint8_t *b, const uint8_t *frame, uint32_t flen,
			   uint32_t type, uint32_t value)
{
	uint32_t w[9] = { 36 + 16, flen, 0, 0, 0, 36, 16 };
	uint32_t len = msg(b, RNDIS_MSG_PACKET, w, 9);

	put32(b, len, 16);		/* element size */
	put32(b, len + 4, type);
	put32(b, len + 8, 12);		/* ppi_offset */
	put32(b, len + 12, value);
	memcpy(b + len + 16, frame, flen);
	put32(b, 4, len + 16 + flen);
	return len + 16 + flen;
}

/* Ethernet + IPv4 (20) + TCP (20 + @opt) + @payload bytes, as Linux's
 * netvsc sends an LSO packet (tot_len and check zeroed). */
static uint32_t tcp_frame(uint8_t *f, uint32_t opt, uint32_t payload)
{
	uint32_t len = 14 + 20 + 20 + opt + payload;

	memset(f, 0, len);
	f[12] = 0x08;
	f[14] = 0x45;
	f[22] = 64;			/* ttl */
	f[23] = 6;			/* TCP */
	memcpy(f + 26, "\x0a\x00\x03\x0b\x0a\x00\x03\x01", 8);
	f[34 + 12] = (uint8_t)((20 + opt) / 4) << 4;
	for (uint32_t i = 0; i < payload; i++)
		f[54 + opt + i] = (uint8_t)i;
	return len;
}

static uint32_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xFFFF) + (s >> 16);
	return s;
}

static uint32_t sum16(const uint8_t *p, uint32_t len)
{
	uint32_t s = 0;

	for (uint32_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	return fold(s);
}

START_TEST(packet_checksum_info)
{
	uint8_t b[2048], f[200];
	uint32_t flen = tcp_frame(f, 0, 100);
	/* is_ipv4, tcp_checksum, tcp_header_offset 34 */
	uint32_t len = packet_ppi(b, f, flen, RNDIS_PPI_TCPIP_CHKSUM, 1 | 4 | 34u << 16);
	struct virtio_net_hdr vh;
	uint8_t hdr[RNDIS_TX_HDR_MAX];
	uint32_t hlen;

	send_init();
	ck_assert_int_eq(rndis_input(&dev, b, len, &ops, NULL), 1);
	ck_assert_int_eq(nframes, 1);
	ck_assert_uint_eq(frame_len[0], flen);
	ck_assert_int_eq(frame_meta[0].csum, RNDIS_CSUM_TCP);
	ck_assert_uint_eq(frame_meta[0].l4_off, 34);
	ck_assert_uint_eq(frame_meta[0].mss, 0);
	ck_assert_int_eq(rndis_tx_offload(frames[0], flen, &frame_meta[0], &vh, hdr, &hlen), 0);
	ck_assert_uint_eq(vh.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	ck_assert_uint_eq(vh.gso_type, VIRTIO_NET_HDR_GSO_NONE);
	ck_assert_uint_eq(vh.csum_start, 34);
	ck_assert_uint_eq(vh.csum_offset, 16);
	ck_assert_uint_eq(hlen, 0);
	/* UDP: offset 6; IPv6 requests (not offered) leave the frame alone */
	len = packet_ppi(b, f, flen, RNDIS_PPI_TCPIP_CHKSUM, 1 | 8 | 34u << 16);
	ck_assert_int_eq(rndis_input(&dev, b, len, &ops, NULL), 1);
	ck_assert_int_eq(frame_meta[1].csum, RNDIS_CSUM_UDP);
	ck_assert_int_eq(rndis_tx_offload(frames[1], flen, &frame_meta[1], &vh, hdr, &hlen), 0);
	ck_assert_uint_eq(vh.csum_offset, 6);
	len = packet_ppi(b, f, flen, RNDIS_PPI_TCPIP_CHKSUM, 2 | 4 | 34u << 16);
	ck_assert_int_eq(rndis_input(&dev, b, len, &ops, NULL), 1);
	ck_assert_int_eq(frame_meta[2].csum, RNDIS_CSUM_NONE);
	ck_assert_int_eq(rndis_tx_offload(frames[2], flen, &frame_meta[2], &vh, hdr, &hlen), 0);
	ck_assert_uint_eq(vh.flags, 0);
	/* other info types (hash, VLAN) are skipped */
	len = packet_ppi(b, f, flen, 6, 0x123);
	ck_assert_int_eq(rndis_input(&dev, b, len, &ops, NULL), 1);
	ck_assert_int_eq(frame_meta[3].csum, RNDIS_CSUM_NONE);
	ck_assert_int_eq(nbad, 0);
}
END_TEST

START_TEST(packet_lso_fills_headers)
{
	uint8_t b[2048], f[1900];
	uint32_t flen = tcp_frame(f, 12, 1800);	/* larger than the MTU */
	/* mss 1448, tcp_header_offset 34, type LSOv2, IPv4 */
	uint32_t len = packet_ppi(b, f, flen, RNDIS_PPI_TCP_LARGESEND,
				  1448 | 34u << 20 | 1u << 30);
	struct virtio_net_hdr vh;
	uint8_t hdr[RNDIS_TX_HDR_MAX];
	uint32_t hlen, s;

	send_init();
	ck_assert_int_eq(rndis_input(&dev, b, len, &ops, NULL), 1);
	ck_assert_int_eq(nframes, 1);
	ck_assert_uint_eq(frame_len[0], flen);
	ck_assert_uint_eq(frame_meta[0].mss, 1448);
	ck_assert_int_eq(rndis_tx_offload(frames[0], flen, &frame_meta[0], &vh, hdr, &hlen), 0);
	ck_assert_uint_eq(hlen, 14 + 20 + 32);
	ck_assert_uint_eq(vh.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	ck_assert_uint_eq(vh.gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
	ck_assert_uint_eq(vh.gso_size, 1448);
	ck_assert_uint_eq(vh.hdr_len, hlen);
	ck_assert_uint_eq(vh.csum_start, 34);
	ck_assert_uint_eq(vh.csum_offset, 16);
	/* IPv4 total length and a header checksum that verifies */
	ck_assert_uint_eq((uint32_t)hdr[16] << 8 | hdr[17], flen - 14);
	ck_assert_uint_eq(sum16(hdr + 14, 20), 0xFFFF);
	/* TCP: the pseudo-header sum with the TCP length */
	s = sum16(f + 26, 8) + 6 + (flen - 34);
	ck_assert_uint_eq((uint32_t)hdr[50] << 8 | hdr[51], fold(s));
	/* the rest of the headers as the guest sent them */
	ck_assert_mem_eq(hdr, f, 16);
	ck_assert_mem_eq(hdr + 54, f + 54, 12);
	ck_assert_int_eq(nbad, 0);
}
END_TEST

START_TEST(hostile_packet_info)
{
	uint8_t b[2048], f[1900];
	uint32_t flen = tcp_frame(f, 0, 100), len;
	struct { uint32_t off, elem; uint32_t val; } bad[] = {
		{ 28, 0, 16 },		/* per_pkt_info_offset inside the header */
		{ 28, 0, 0xFFFFFFF0 },	/* offset past the message */
		{ 32, 0, 0xFFFFFFF0 },	/* length past the message */
		{ 0, 0, 0 },		/* element size 0 */
		{ 0, 0, 0x10000 },	/* element size past the info */
		{ 0, 8, 4 },		/* ppi_offset inside the element header */
		{ 0, 8, 14 },		/* data past the element */
	};

	send_init();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		len = packet_ppi(b, f, flen, RNDIS_PPI_TCPIP_CHKSUM, 1 | 4 | 34u << 16);
		put32(b, bad[i].off ? bad[i].off : 44 + bad[i].elem, bad[i].val);
		ck_assert_int_eq(rndis_input(&dev, b, len, &ops, NULL), -EBADMSG);
	}
	/* LSO for IPv6 (not offered) and with an MSS of 0 */
	len = packet_ppi(b, f, flen, RNDIS_PPI_TCP_LARGESEND, 1448 | 34u << 20 | 3u << 30);
	ck_assert_int_eq(rndis_input(&dev, b, len, &ops, NULL), -EBADMSG);
	len = packet_ppi(b, f, flen, RNDIS_PPI_TCP_LARGESEND, 34u << 20 | 1u << 30);
	ck_assert_int_eq(rndis_input(&dev, b, len, &ops, NULL), -EBADMSG);
	/* a frame over the MTU without LSO */
	flen = tcp_frame(f, 0, 1600);
	len = packet_ppi(b, f, flen, RNDIS_PPI_TCPIP_CHKSUM, 1 | 4 | 34u << 16);
	ck_assert_int_eq(rndis_input(&dev, b, len, &ops, NULL), -EBADMSG);
	ck_assert_int_eq(nframes, 0);
}
END_TEST

START_TEST(hostile_tx_offload)
{
	uint8_t f[1900], hdr[RNDIS_TX_HDR_MAX];
	uint32_t flen = tcp_frame(f, 0, 1000), hlen;
	struct virtio_net_hdr vh;
	struct rndis_tx_meta ok = { RNDIS_CSUM_TCP, 34, 500 }, m;

	ck_assert_int_eq(rndis_tx_offload(f, flen, &ok, &vh, hdr, &hlen), 0);
	/* checksum offsets outside the frame */
	m = ok; m.mss = 0; m.l4_off = flen - 10;
	ck_assert_int_eq(rndis_tx_offload(f, flen, &m, &vh, hdr, &hlen), -EINVAL);
	m.l4_off = 2000;
	ck_assert_int_eq(rndis_tx_offload(f, flen, &m, &vh, hdr, &hlen), -EINVAL);
	m.l4_off = 10;	/* inside the Ethernet header */
	ck_assert_int_eq(rndis_tx_offload(f, flen, &m, &vh, hdr, &hlen), -EINVAL);
	/* LSO: offset not after the IPv4 header, not IPv4, not TCP, UDP asked */
	m = ok; m.l4_off = 38;
	ck_assert_int_eq(rndis_tx_offload(f, flen, &m, &vh, hdr, &hlen), -EINVAL);
	m = ok; f[12] = 0x86;
	ck_assert_int_eq(rndis_tx_offload(f, flen, &m, &vh, hdr, &hlen), -EINVAL);
	f[12] = 0x08; f[23] = 17;
	ck_assert_int_eq(rndis_tx_offload(f, flen, &m, &vh, hdr, &hlen), -EINVAL);
	f[23] = 6; m.csum = RNDIS_CSUM_UDP;
	ck_assert_int_eq(rndis_tx_offload(f, flen, &m, &vh, hdr, &hlen), -EINVAL);
	m = ok; m.csum = RNDIS_CSUM_NONE;
	ck_assert_int_eq(rndis_tx_offload(f, flen, &m, &vh, hdr, &hlen), -EINVAL);
	/* IHL below 5, TCP data offset below 5 or past the frame */
	m = ok; f[14] = 0x44;
	ck_assert_int_eq(rndis_tx_offload(f, flen, &m, &vh, hdr, &hlen), -EINVAL);
	f[14] = 0x45; f[46] = 4 << 4;
	ck_assert_int_eq(rndis_tx_offload(f, flen, &m, &vh, hdr, &hlen), -EINVAL);
	f[46] = 15 << 4;
	ck_assert_int_eq(rndis_tx_offload(f, 34 + 40, &m, &vh, hdr, &hlen), -EINVAL);
	/* an MSS too large for virtio_net_hdr */
	f[46] = 5 << 4; m.mss = 0x10000;
	ck_assert_int_eq(rndis_tx_offload(f, flen, &m, &vh, hdr, &hlen), -EINVAL);
}
END_TEST

START_TEST(builders)
{
	uint8_t h[RNDIS_PKT_HDR], m[32];
	uint32_t len;

	rndis_packet_header(h, 1514);
	ck_assert_uint_eq(u32at(h, 0), RNDIS_MSG_PACKET);
	ck_assert_uint_eq(u32at(h, 4), RNDIS_PKT_HDR + 1514);
	ck_assert_uint_eq(u32at(h, 8), 36);	/* data right after rndis_packet */
	ck_assert_uint_eq(u32at(h, 12), 1514);
	ck_assert_uint_eq(u32at(h, 28), 0);	/* no per-packet info */
	len = rndis_indicate(m, RNDIS_STATUS_MEDIA_CONNECT);
	ck_assert_uint_eq(len, 20);
	ck_assert_uint_eq(u32at(m, 0), RNDIS_MSG_INDICATE);
	ck_assert_uint_eq(u32at(m, 8), RNDIS_STATUS_MEDIA_CONNECT);
	/* what the guest builds is parsed back */
	send_init();
	ck_assert_int_eq(rndis_input(&dev, m, len, &ops, NULL), -EBADMSG);	/* not a guest message */
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rndis");
	TCase *t = tcase_create("rndis");

	tcase_add_checked_fixture(t, setup, NULL);
	tcase_add_test(t, init_completes);
	tcase_add_test(t, init_wrong_major_refused);
	tcase_add_test(t, query_mac);
	tcase_add_test(t, query_u32_oids);
	tcase_add_test(t, query_offload_caps);
	tcase_add_test(t, query_unknown_refused);
	tcase_add_test(t, set_packet_filter);
	tcase_add_test(t, set_offload_params_ok_others_refused);
	tcase_add_test(t, packet_passes_frame);
	tcase_add_test(t, packet_before_init_dropped);
	tcase_add_test(t, batched_messages);
	tcase_add_test(t, keepalive_reset_halt);
	tcase_add_test(t, hostile_msg_len);
	tcase_add_test(t, hostile_packet_offsets);
	tcase_add_test(t, hostile_info_buffer);
	tcase_add_test(t, packet_checksum_info);
	tcase_add_test(t, packet_lso_fills_headers);
	tcase_add_test(t, hostile_packet_info);
	tcase_add_test(t, hostile_tx_offload);
	tcase_add_test(t, builders);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return hv_check_run(suite());
}
