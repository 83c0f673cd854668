// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for parent/worker/netvsp.c: the network VSP driven through
 * the real VMBus server (vmbus_host.c, vmbus/) by a fake guest that does
 * what Linux 6.1's hv_netvsc does (hvworker_vmbus_fake.h + the NVSP and
 * RNDIS sequences of linux-hv-guest.md §6.2), with a fake frame backend.
 */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "hvworker_vmbus_fake.h"
#include "netvsp.h"
#include "hv_check.h"

#define RECV_PAGES	32	/* 128 KiB: 75 sections of 1728 bytes */
#define SEND_PAGES	8	/* 32 KiB: 5 sections of 6144 bytes */
#define RECV_GPADL	0x7001
#define SEND_GPADL	0x7002

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };

struct t {
	struct fake *f;
	struct netvsp *nv;
	struct fg_chan *c;
	uint64_t recv_gpa, send_gpa;
	uint8_t tx[8][2048];
	uint32_t tx_len[8];
	int ntx, wakes;
	uint64_t trans;
	uint8_t stash[256];	/* an xfer packet read before a completion */
	int stash_len;
};

static bool be_tx_fail;	/* the tap refuses frames */

static int be_tx(void *ctx, const uint8_t *frame, uint32_t len,
		 const struct rndis_tx_meta *meta)
{
	(void)meta;
	struct t *t = ctx;

	if (be_tx_fail)
		return -EIO;

	if (t->ntx < 8) {
		memcpy(t->tx[t->ntx], frame, len < 2048 ? len : 2048);
		t->tx_len[t->ntx] = len;
	}
	t->ntx++;
	return 0;
}

static void be_wake(void *ctx)
{
	((struct t *)ctx)->wakes++;
}

/* A guest packet with a descriptor of our own (flags, GPA ranges). */
static int g_send(struct t *t, uint16_t type, uint16_t flags, uint64_t trans,
		  const void *ext, uint32_t extlen, const void *p, uint32_t len)
{
	struct vmbus_packet_desc d = {
		.type = type, .flags = flags, .trans_id = trans,
		.offset8 = (uint16_t)((16 + extlen) / 8),
	};
	struct vmbus_ring_iov iov[2] = { { ext, extlen }, { p, len } };
	bool sig = false;
	int rc;

	if (!extlen)
		rc = vmbus_ring_send(&t->c->out, &d, &iov[1], 1, &sig);
	else
		rc = vmbus_ring_send(&t->c->out, &d, iov, 2, &sig);
	if (!rc && sig)
		fg_signal_host(t->f, t->c->conn_id);
	fg_pump(t->f);
	return rc;
}

static int g_nvsp(struct t *t, const struct nvsp_msg *m)
{
	return g_send(t, VM_PKT_DATA_INBAND, VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED,
		      ++t->trans, NULL, 0, m, sizeof(*m));
}

/* The next host packet, whole (descriptor first); its length or -EAGAIN. */
static int g_read(struct t *t, uint8_t *buf, uint32_t cap)
{
	struct vmbus_ring_pkt pkt;
	int rc = vmbus_ring_peek(&t->c->in, &pkt);

	if (rc)
		return rc;
	ck_assert_uint_le(pkt.len, cap);
	ck_assert_int_eq(vmbus_ring_pkt_copy(&t->c->in, &pkt, 0, buf, pkt.len), 0);
	vmbus_ring_consume(&t->c->in, &pkt);
	if (vmbus_ring_read_done(&t->c->in) > 0)
		fg_signal_host(t->f, t->c->conn_id);
	return (int)pkt.len;
}

/* Expect a completion of our last request; returns its NVSP message. */
static struct nvsp_msg g_comp(struct t *t, uint32_t type)
{
	uint8_t buf[256];
	struct vmbus_packet_desc d;
	struct nvsp_msg m;
	int len = g_read(t, buf, sizeof(buf));

	/* an RNDIS reply may come before the completion of its request */
	memcpy(&d, buf, sizeof(d));
	if (len > 0 && d.type == VM_PKT_DATA_USING_XFER_PAGES && !t->stash_len) {
		memcpy(t->stash, buf, (size_t)len);
		t->stash_len = len;
		len = g_read(t, buf, sizeof(buf));
	}

	ck_assert_int_ge(len, 16 + (int)sizeof(m));	/* the full 40 bytes */
	memcpy(&d, buf, sizeof(d));
	ck_assert_uint_eq(d.type, VM_PKT_COMP);
	ck_assert_uint_eq(d.trans_id, t->trans);
	memcpy(&m, buf + d.offset8 * 8, sizeof(m));
	ck_assert_uint_eq(m.msg_type, type);
	return m;
}

/*
 * Expect an xfer-page packet: copies the RNDIS message out of the
 * receive buffer into @out, completes the section unless @keep; returns
 * the message length.
 */
static uint32_t g_xfer(struct t *t, uint8_t *out, uint32_t cap, bool keep, uint64_t *tid)
{
	uint8_t buf[256];
	struct vmbus_xfer_page_header x;
	struct vmbus_xfer_page_range r;
	struct nvsp_msg m;
	int len;

	if (t->stash_len) {
		len = t->stash_len;
		memcpy(buf, t->stash, (size_t)len);
		t->stash_len = 0;
	} else {
		len = g_read(t, buf, sizeof(buf));
	}
	ck_assert_int_gt(len, 0);
	memcpy(&x, buf, sizeof(x));
	ck_assert_uint_eq(x.d.type, VM_PKT_DATA_USING_XFER_PAGES);
	ck_assert_uint_eq(x.xfer_pageset_id, NVSP_RECV_BUFFER_ID);
	ck_assert_uint_eq(x.range_cnt, 1);
	ck_assert_uint_ge(x.d.offset8 * 8u, sizeof(x) + sizeof(r));	/* netvsc_receive */
	ck_assert(x.d.flags & VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED);
	memcpy(&r, buf + sizeof(x), sizeof(r));
	memcpy(&m, buf + x.d.offset8 * 8, sizeof(m));
	ck_assert_uint_eq(m.msg_type, NVSP_MSG1_TYPE_SEND_RNDIS_PKT);
	ck_assert_uint_le(r.byte_count, NETVSP_RECV_SECTION);
	ck_assert_uint_le((uint64_t)r.byte_offset + r.byte_count, RECV_PAGES * 4096ull);
	ck_assert_uint_le(r.byte_count, cap);
	memcpy(out, t->f->ram + t->recv_gpa + r.byte_offset, r.byte_count);
	if (tid)
		*tid = x.d.trans_id;
	if (!keep) {
		struct nvsp_msg c = { .msg_type = NVSP_MSG1_TYPE_SEND_RNDIS_PKT_COMPLETE };

		c.u.rndis_pkt_complete.status = NVSP_STAT_SUCCESS;
		g_send(t, VM_PKT_COMP, 0, x.d.trans_id, NULL, 0, &c, sizeof(c));
	}
	return r.byte_count;
}

static uint32_t u32at(const uint8_t *p, uint32_t off)
{
	uint32_t v;

	memcpy(&v, p + off, 4);
	return v;
}

/* An RNDIS message through send section @idx; the completion status. */
static uint32_t g_rndis(struct t *t, uint32_t idx, const void *msg, uint32_t len)
{
	struct nvsp_msg m = { .msg_type = NVSP_MSG1_TYPE_SEND_RNDIS_PKT };

	memcpy(t->f->ram + t->send_gpa + idx * NETVSP_SEND_SECTION, msg, len);
	m.u.rndis_pkt.channel_type = NVSP_CHANNEL_CONTROL;
	m.u.rndis_pkt.send_buf_section_index = idx;
	m.u.rndis_pkt.send_buf_section_size = len;
	ck_assert_int_eq(g_nvsp(t, &m), 0);
	return g_comp(t, NVSP_MSG1_TYPE_SEND_RNDIS_PKT_COMPLETE).u.rndis_pkt_complete.status;
}

/* A QUERY or SET: the reply in @out (status checked by the caller). */
static uint32_t g_req(struct t *t, uint32_t type, uint32_t oid, const void *val,
		      uint32_t vlen, uint8_t *out)
{
	uint8_t b[256] = { 0 };
	uint32_t w[] = { type, 28 + vlen, 77, oid, vlen, 20, 0 };

	memcpy(b, w, sizeof(w));
	if (vlen)
		memcpy(b + 28, val, vlen);
	ck_assert_uint_eq(g_rndis(t, 0, b, 28 + vlen), NVSP_STAT_SUCCESS);
	return g_xfer(t, out, 512, false, NULL);
}

static void g_buffers(struct t *t)
{
	uint64_t pfns[RECV_PAGES];
	struct nvsp_msg m = { .msg_type = NVSP_MSG1_TYPE_SEND_RECV_BUF }, r;

	t->recv_gpa = fg_alloc(t->f, RECV_PAGES);
	for (int i = 0; i < RECV_PAGES; i++)
		pfns[i] = (t->recv_gpa >> 12) + i;
	ck_assert_uint_eq(fg_gpadl(t->f, t->c->relid, RECV_GPADL, pfns, RECV_PAGES), 0);
	m.u.send_buf.gpadl_handle = RECV_GPADL;
	m.u.send_buf.id = NVSP_RECV_BUFFER_ID;
	g_nvsp(t, &m);
	r = g_comp(t, NVSP_MSG1_TYPE_SEND_RECV_BUF_COMPLETE);
	ck_assert_uint_eq(r.u.recv_buf_complete.status, NVSP_STAT_SUCCESS);
	ck_assert_uint_eq(r.u.recv_buf_complete.num_sections, 1);
	ck_assert_uint_eq(r.u.recv_buf_complete.sections[0].offset, 0);
	ck_assert_uint_ge(r.u.recv_buf_complete.sections[0].sub_alloc_size, 68);
	ck_assert_uint_le((uint64_t)r.u.recv_buf_complete.sections[0].sub_alloc_size *
			  r.u.recv_buf_complete.sections[0].num_sub_allocs, RECV_PAGES * 4096ull);

	t->send_gpa = fg_alloc(t->f, SEND_PAGES);
	for (int i = 0; i < SEND_PAGES; i++)
		pfns[i] = (t->send_gpa >> 12) + i;
	ck_assert_uint_eq(fg_gpadl(t->f, t->c->relid, SEND_GPADL, pfns, SEND_PAGES), 0);
	m.msg_type = NVSP_MSG1_TYPE_SEND_SEND_BUF;
	m.u.send_buf.gpadl_handle = SEND_GPADL;
	m.u.send_buf.id = 0;
	g_nvsp(t, &m);
	r = g_comp(t, NVSP_MSG1_TYPE_SEND_SEND_BUF_COMPLETE);
	ck_assert_uint_eq(r.u.send_buf_complete.status, NVSP_STAT_SUCCESS);
	ck_assert_uint_eq(r.u.send_buf_complete.section_size, NETVSP_SEND_SECTION);
}

static uint32_t g_init(struct t *t, uint32_t ver)
{
	struct nvsp_msg m = { .msg_type = NVSP_MSG_TYPE_INIT }, r;

	m.u.init.min_protocol_ver = m.u.init.max_protocol_ver = ver;
	g_nvsp(t, &m);
	r = g_comp(t, NVSP_MSG_TYPE_INIT_COMPLETE);
	return r.u.init_complete.status == NVSP_STAT_SUCCESS ?
	       r.u.init_complete.negotiated_protocol_ver : 0;
}

/* Host, NIC, guest connected and the NIC channel open (no NVSP yet). */
static struct t *t_new(void)
{
	struct t *t = calloc(1, sizeof(*t));
	struct netvsp_backend be = { be_tx, be_wake, NULL };

	ck_assert_ptr_nonnull(t);
	be.ctx = t;
	t->f = fg_new(0, 0, false);	/* started: the NIC is added hot */
	t->nv = netvsp_create(t->f->h, mac, 0, &be);
	ck_assert_ptr_nonnull(t->nv);
	fg_boot(t->f);
	t->c = fg_chan_by_type(t->f, (struct vmbus_guid)VMBUS_GUID_NIC);
	ck_assert_ptr_nonnull(t->c);
	ck_assert_uint_eq(fg_open(t->f, t->c, 8, 8), 0);
	return t;
}

/* ... and probed as Linux 6.1 does, up to ndo_open's packet filter. */
static struct t *t_up(void)
{
	struct t *t = t_new();
	uint8_t b[512], out[512];
	uint32_t w[] = { RNDIS_MSG_INIT, 24, 1, 1, 0, 0x4000 };
	uint8_t offl[22] = { 0x80, 3, 22, 0 };
	uint32_t filter = 0x0D;
	struct nvsp_msg m = { .msg_type = NVSP_MSG1_TYPE_SEND_NDIS_VER };

	ck_assert_uint_eq(g_init(t, NVSP_PROTOCOL_VERSION_61), NVSP_PROTOCOL_VERSION_61);
	m.u.ndis_ver.ndis_major_ver = 6;
	m.u.ndis_ver.ndis_minor_ver = 30;
	g_send(t, VM_PKT_DATA_INBAND, 0, 0, NULL, 0, &m, sizeof(m));
	g_buffers(t);
	memcpy(b, w, sizeof(w));
	ck_assert_uint_eq(g_rndis(t, 0, b, sizeof(w)), NVSP_STAT_SUCCESS);
	g_xfer(t, out, sizeof(out), false, NULL);
	ck_assert_uint_eq(u32at(out, 0), RNDIS_MSG_INIT_C);
	ck_assert_uint_eq(u32at(out, 12), RNDIS_STATUS_SUCCESS);
	g_req(t, RNDIS_MSG_QUERY, RNDIS_OID_GEN_MAXIMUM_FRAME_SIZE, NULL, 0, out);
	ck_assert_uint_eq(u32at(out, 24), 1500);
	g_req(t, RNDIS_MSG_QUERY, RNDIS_OID_802_3_PERMANENT_ADDRESS, NULL, 0, out);
	ck_assert_uint_eq(u32at(out, 12), RNDIS_STATUS_SUCCESS);
	ck_assert_mem_eq(out + 24, mac, 6);
	memset(b, 0, sizeof(b));
	g_req(t, RNDIS_MSG_QUERY, RNDIS_OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES, b,
	      NDIS_OFFLOAD_SIZE, out);
	ck_assert_uint_eq(u32at(out, 12), RNDIS_STATUS_SUCCESS);
	ck_assert_uint_eq(out[24], NDIS_OBJECT_TYPE_OFFLOAD);
	g_req(t, RNDIS_MSG_SET, RNDIS_OID_TCP_OFFLOAD_PARAMETERS, offl, sizeof(offl), out);
	ck_assert_uint_eq(u32at(out, 12), RNDIS_STATUS_SUCCESS);
	g_req(t, RNDIS_MSG_QUERY, RNDIS_OID_GEN_MEDIA_CONNECT_STATUS, NULL, 0, out);
	ck_assert_uint_eq(u32at(out, 24), 0);
	g_req(t, RNDIS_MSG_QUERY, RNDIS_OID_GEN_LINK_SPEED, NULL, 0, out);
	g_req(t, RNDIS_MSG_QUERY, RNDIS_OID_GEN_RECEIVE_SCALE_CAPABILITIES, NULL, 0, out);
	ck_assert_uint_ne(u32at(out, 12), RNDIS_STATUS_SUCCESS);
	g_req(t, RNDIS_MSG_SET, RNDIS_OID_GEN_CURRENT_PACKET_FILTER, &filter, 4, out);
	ck_assert_uint_eq(u32at(out, 12), RNDIS_STATUS_SUCCESS);
	return t;
}

static void t_free(struct t *t)
{
	fg_free(t->f);	/* closes the channel */
	netvsp_free(t->nv);
	free(t);
}

static struct netvsp_stats stats(struct t *t)
{
	struct netvsp_stats st;

	netvsp_get_stats(t->nv, &st);
	return st;
}

START_TEST(offered_as_nic)
{
	struct t *t = t_new();

	ck_assert_uint_eq(netvsp_dev(t->nv)->relid, t->c->relid);
	ck_assert(fg_connected(t->f->conn_event, t->f->nconn_event, t->c->conn_id));
	t_free(t);
}
END_TEST

START_TEST(versions_as_linux_tries)
{
	struct t *t = t_new();

	/* not offered: refused with status FAIL, the guest tries the next */
	ck_assert_uint_eq(g_init(t, 0x70000), 0);
	ck_assert_uint_eq(g_init(t, NVSP_PROTOCOL_VERSION_61), NVSP_PROTOCOL_VERSION_61);
	ck_assert_uint_eq(g_init(t, NVSP_PROTOCOL_VERSION_2), NVSP_PROTOCOL_VERSION_2);
	ck_assert_uint_eq(g_init(t, NVSP_PROTOCOL_VERSION_1), NVSP_PROTOCOL_VERSION_1);
	ck_assert_uint_eq(stats(t).version, NVSP_PROTOCOL_VERSION_1);
	t_free(t);
}
END_TEST

START_TEST(linux_probe_sequence)
{
	struct t *t = t_up();
	struct netvsp_stats st = stats(t);

	ck_assert(st.rndis_ready);
	ck_assert_uint_eq(st.filter, 0x0D);
	ck_assert_uint_eq(st.recv_sections, RECV_PAGES * 4096 / NETVSP_RECV_SECTION);
	ck_assert_uint_eq(st.recv_free, st.recv_sections);	/* all completed */
	ck_assert_uint_eq(st.send_sections, SEND_PAGES * 4096 / NETVSP_SEND_SECTION);
	ck_assert_uint_eq(st.bad, 0);
	t_free(t);
}
END_TEST

/* An RNDIS data packet (no PPI) with a @len-byte frame of i ^ 0x5a. */
static uint32_t data_pkt(uint8_t *b, uint32_t len)
{
	uint32_t w[11] = { RNDIS_MSG_PACKET, 44 + len, 36, len };

	memset(b, 0, 44);
	memcpy(b, w, sizeof(w));
	for (uint32_t i = 0; i < len; i++)
		b[44 + i] = (uint8_t)(i ^ 0x5a);
	return 44 + len;
}

START_TEST(tx_from_send_section)
{
	struct t *t = t_up();
	uint8_t b[2048];
	uint32_t len = data_pkt(b, 1514);

	ck_assert_uint_eq(g_rndis(t, 3, b, len), NVSP_STAT_SUCCESS);
	ck_assert_int_eq(t->ntx, 1);
	ck_assert_uint_eq(t->tx_len[0], 1514);
	ck_assert_mem_eq(t->tx[0], b + 44, 1514);
	ck_assert_uint_eq(stats(t).tx_frames, 1);
	t_free(t);
}
END_TEST

START_TEST(tx_gpa_direct_across_pages)
{
	struct t *t = t_up();
	uint64_t gpa = fg_alloc(t->f, 2);
	uint8_t b[2048], ext[8 + 2 * 16];
	uint32_t len = data_pkt(b, 1000), hdr[2] = { 0, 2 };
	struct nvsp_msg m = { .msg_type = NVSP_MSG1_TYPE_SEND_RNDIS_PKT };
	/* RNDIS header in one page buffer, the frame split over a page end */
	uint32_t r0[2] = { 44, 100 }, r1[2] = { 1000, 3596 };
	uint64_t p0 = gpa >> 12, p1 = gpa >> 12;

	memcpy(t->f->ram + gpa + 100, b, 44);
	memcpy(t->f->ram + gpa + 3596, b + 44, 1000);	/* crosses into page 2 */
	memcpy(ext, hdr, 8);
	memcpy(ext + 8, r0, 8);
	memcpy(ext + 16, &p0, 8);
	memcpy(ext + 24, r1, 8);
	memcpy(ext + 32, &p1, 8);
	/* the second range spans two pages: its PFN list has two entries */
	{
		uint8_t ext2[8 + 16 + 24];
		uint64_t p2 = p1 + 1;

		hdr[1] = 2;
		memcpy(ext2, ext, 40);
		memcpy(ext2 + 40, &p2, 8);
		m.u.rndis_pkt.channel_type = NVSP_CHANNEL_DATA;
		m.u.rndis_pkt.send_buf_section_index = NVSP_INVALID_SECTION;
		ck_assert_int_eq(g_send(t, VM_PKT_DATA_USING_GPA_DIRECT,
					VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED,
					++t->trans, ext2, sizeof(ext2), &m, sizeof(m)), 0);
	}
	ck_assert_uint_eq(g_comp(t, NVSP_MSG1_TYPE_SEND_RNDIS_PKT_COMPLETE)
			  .u.rndis_pkt_complete.status, NVSP_STAT_SUCCESS);
	ck_assert_int_eq(t->ntx, 1);
	ck_assert_uint_eq(t->tx_len[0], 1000);
	ck_assert_mem_eq(t->tx[0], b + 44, 1000);
	(void)len;
	t_free(t);
}
END_TEST

START_TEST(rx_frame_into_receive_buffer)
{
	struct t *t = t_up();
	uint8_t frame[1514], out[2048];
	uint64_t tid;
	uint32_t len;

	for (uint32_t i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)(i * 7);
	ck_assert_int_eq(netvsp_rx(t->nv, frame, sizeof(frame)), 0);
	len = g_xfer(t, out, sizeof(out), true, &tid);
	ck_assert_uint_eq(len, RNDIS_PKT_HDR + sizeof(frame));
	ck_assert_uint_eq(u32at(out, 0), RNDIS_MSG_PACKET);
	ck_assert_uint_eq(u32at(out, 4), len);
	/* Linux: data_offset < buflen - 8, data at 8 + data_offset */
	ck_assert_uint_lt(u32at(out, 8), len - 8);
	ck_assert_uint_eq(u32at(out, 12), sizeof(frame));
	ck_assert_mem_eq(out + 8 + u32at(out, 8), frame, sizeof(frame));
	ck_assert_uint_eq(stats(t).recv_free, stats(t).recv_sections - 1);
	/* the guest's completion frees the section */
	{
		struct nvsp_msg c = { .msg_type = NVSP_MSG1_TYPE_SEND_RNDIS_PKT_COMPLETE };

		g_send(t, VM_PKT_COMP, 0, tid, NULL, 0, &c, sizeof(c));
	}
	ck_assert_uint_eq(stats(t).recv_free, stats(t).recv_sections);
	ck_assert_uint_eq(stats(t).rx_frames, 1);
	t_free(t);
}
END_TEST

/* A fill callback that writes fill_len bytes of fill_byte + i across the iovecs. */
static ssize_t fill_len;
static int fill_calls, fill_iovs;

static ssize_t fill_frame(void *ctx, struct iovec *iov, int cnt)
{
	ssize_t done = 0;

	(void)ctx;
	fill_calls++;
	fill_iovs = cnt;
	if (fill_len <= 0)
		return fill_len;
	for (int i = 0; i < cnt && done < fill_len; i++) {
		uint8_t *p = iov[i].iov_base;

		for (size_t k = 0; k < iov[i].iov_len && done < fill_len; k++, done++)
			p[k] = (uint8_t)(done * 5 + 1);
	}
	return fill_len;
}

START_TEST(rx_fill_straight_into_section)
{
	struct t *t = t_up();
	uint8_t out[2048];
	uint64_t tid;
	uint32_t len, nsec = stats(t).recv_sections, free0;

	/* every section's frame room, wherever it crosses a page */
	for (uint32_t s = 0; s < 8; s++) {
		fill_len = 1514 - s;
		ck_assert_int_eq(netvsp_rx_fill(t->nv, fill_frame, NULL), 0);
		ck_assert_int_le(fill_iovs, NETVSP_FILL_IOV);
		len = g_xfer(t, out, sizeof(out), true, &tid);
		ck_assert_uint_eq(len, RNDIS_PKT_HDR + (uint32_t)fill_len);
		ck_assert_uint_eq(u32at(out, 0), RNDIS_MSG_PACKET);
		ck_assert_uint_eq(u32at(out, 12), (uint32_t)fill_len);
		for (uint32_t i = 0; i < (uint32_t)fill_len; i++)
			ck_assert_uint_eq(out[8 + u32at(out, 8) + i], (uint8_t)(i * 5 + 1));
	}
	ck_assert_uint_eq(stats(t).rx_frames, 8);
	free0 = stats(t).recv_free;
	ck_assert_uint_le(free0, nsec);
	/* no frame, an error, a runt or a frame past the room: section kept */
	fill_len = 0;
	ck_assert_int_eq(netvsp_rx_fill(t->nv, fill_frame, NULL), -ENODATA);
	fill_len = -EIO;
	ck_assert_int_eq(netvsp_rx_fill(t->nv, fill_frame, NULL), -EIO);
	fill_len = 10;
	ck_assert_int_eq(netvsp_rx_fill(t->nv, fill_frame, NULL), -EMSGSIZE);
	fill_len = RNDIS_MAX_FRAME + 1;
	ck_assert_int_eq(netvsp_rx_fill(t->nv, fill_frame, NULL), -EMSGSIZE);
	ck_assert_uint_eq(stats(t).recv_free, free0);
	ck_assert_int_eq(g_read(t, out, sizeof(out)), -EAGAIN);
	t_free(t);
}
END_TEST

/* ifstats (control.h): guest's rx/tx frames and Ethernet bytes. */
START_TEST(ifstats_counts_frames_and_bytes)
{
	struct t *t = t_up();
	uint8_t b[2048], frame[1000] = { 0 }, out[2048];
	char reply[256];
	struct netvsp_stats st;
	uint64_t tid;

	netvsp_ifstats(t->nv, reply, sizeof(reply));
	ck_assert_str_eq(reply, "ifstats rx_bytes=0 rx_packets=0 rx_errs=0 rx_drop=0 "
			 "tx_bytes=0 tx_packets=0 tx_errs=0 tx_drop=0");
	/* guest -> tap: 1514 + 60 bytes; one more the tap refuses */
	ck_assert_uint_eq(g_rndis(t, 3, b, data_pkt(b, 1514)), NVSP_STAT_SUCCESS);
	ck_assert_uint_eq(g_rndis(t, 3, b, data_pkt(b, 60)), NVSP_STAT_SUCCESS);
	be_tx_fail = true;
	ck_assert_uint_eq(g_rndis(t, 3, b, data_pkt(b, 100)), NVSP_STAT_SUCCESS);
	be_tx_fail = false;
	/* tap -> guest: 1000 bytes by copy, 700 filled in place, one runt */
	ck_assert_int_eq(netvsp_rx(t->nv, frame, sizeof(frame)), 0);
	g_xfer(t, out, sizeof(out), true, &tid);
	fill_len = 700;
	ck_assert_int_eq(netvsp_rx_fill(t->nv, fill_frame, NULL), 0);
	g_xfer(t, out, sizeof(out), true, &tid);
	ck_assert_int_eq(netvsp_rx(t->nv, frame, 10), -EMSGSIZE);
	netvsp_rx_drop(t->nv);	/* the tap reader's drop */
	st = stats(t);
	ck_assert_uint_eq(st.tx_frames, 2);
	ck_assert_uint_eq(st.tx_bytes, 1514 + 60);
	ck_assert_uint_eq(st.tx_errors, 1);
	ck_assert_uint_eq(st.rx_frames, 2);
	ck_assert_uint_eq(st.rx_bytes, 1700);
	ck_assert_uint_eq(st.rx_dropped, 2);
	netvsp_ifstats(t->nv, reply, sizeof(reply));
	ck_assert_str_eq(reply, "ifstats rx_bytes=1700 rx_packets=2 rx_errs=0 rx_drop=2 "
			 "tx_bytes=1574 tx_packets=2 tx_errs=1 tx_drop=0");
	t_free(t);
}
END_TEST

START_TEST(rx_fill_waits_without_reading)
{
	struct t *t = t_new();
	uint8_t out[256];
	int rc, sent = 0;

	/* not ready: nothing is read */
	fill_calls = 0;
	fill_len = 64;
	ck_assert_int_eq(netvsp_rx_fill(t->nv, fill_frame, NULL), -ENOTCONN);
	ck_assert_int_eq(fill_calls, 0);
	t_free(t);
	/* no section or ring room: -EAGAIN before reading anything */
	t = t_up();
	while ((rc = netvsp_rx_fill(t->nv, fill_frame, NULL)) == 0)
		sent++;
	ck_assert_int_eq(rc, -EAGAIN);
	ck_assert_int_gt(sent, 10);
	ck_assert_int_eq(fill_calls, sent);
	g_xfer(t, out, sizeof(out), false, NULL);
	ck_assert_int_eq(netvsp_rx_fill(t->nv, fill_frame, NULL), 0);
	t_free(t);
}
END_TEST

START_TEST(rx_not_ready_dropped)
{
	struct t *t = t_new();
	uint8_t frame[60] = { 0 };

	ck_assert_int_eq(netvsp_rx(t->nv, frame, sizeof(frame)), -ENOTCONN);
	ck_assert_int_eq(g_read(t, frame, sizeof(frame)), -EAGAIN);
	t_free(t);
}
END_TEST

START_TEST(rx_backpressure_and_wake)
{
	struct t *t = t_up();
	uint8_t frame[64] = { 1 }, out[256];
	uint32_t nsec = stats(t).recv_sections, sent = 0;
	uint64_t tid;
	int rc, wakes;

	/* the guest does not complete: sections or ring space run out */
	while ((rc = netvsp_rx(t->nv, frame, sizeof(frame))) == 0)
		sent++;
	ck_assert_int_eq(rc, -EAGAIN);
	ck_assert_uint_gt(sent, 10);
	ck_assert_uint_le(sent, nsec);
	wakes = t->wakes;
	/* the guest reads and completes one: the backend is woken */
	g_xfer(t, out, sizeof(out), false, &tid);
	ck_assert_int_gt(t->wakes, wakes);
	ck_assert_int_eq(netvsp_rx(t->nv, frame, sizeof(frame)), 0);
	t_free(t);
}
END_TEST

START_TEST(link_indication)
{
	struct t *t = t_up();
	uint8_t out[256];

	ck_assert_int_eq(netvsp_link(t->nv, false), 0);
	g_xfer(t, out, sizeof(out), false, NULL);
	ck_assert_uint_eq(u32at(out, 0), RNDIS_MSG_INDICATE);
	ck_assert_uint_eq(u32at(out, 8), RNDIS_STATUS_MEDIA_DISCONNECT);
	ck_assert_int_eq(netvsp_link(t->nv, true), 0);
	g_xfer(t, out, sizeof(out), false, NULL);
	ck_assert_uint_eq(u32at(out, 8), RNDIS_STATUS_MEDIA_CONNECT);
	t_free(t);
}
END_TEST

START_TEST(subchannels_refused)
{
	struct t *t = t_up();
	struct nvsp_msg m = { .msg_type = NVSP_MSG5_TYPE_SUBCHANNEL };

	m.u.subchannel_req.op = 1;
	m.u.subchannel_req.num_subchannels = 3;
	g_nvsp(t, &m);
	ck_assert_uint_ne(g_comp(t, NVSP_MSG5_TYPE_SUBCHANNEL).u.subchannel_complete.status,
			  NVSP_STAT_SUCCESS);
	t_free(t);
}
END_TEST

START_TEST(hostile_buffers)
{
	struct t *t = t_new();
	struct nvsp_msg m = { .msg_type = NVSP_MSG1_TYPE_SEND_RECV_BUF };
	uint64_t pfns[4] = { (FG_RAM >> 12) - 2, (FG_RAM >> 12) - 1, FG_RAM >> 12, 1ull << 30 };

	/* before INIT */
	m.u.send_buf.gpadl_handle = 0x1234;
	m.u.send_buf.id = NVSP_RECV_BUFFER_ID;
	g_nvsp(t, &m);
	ck_assert_uint_eq(g_comp(t, NVSP_MSG1_TYPE_SEND_RECV_BUF_COMPLETE)
			  .u.recv_buf_complete.status, NVSP_STAT_FAIL);
	g_init(t, NVSP_PROTOCOL_VERSION_5);
	/* a GPADL that does not exist */
	g_nvsp(t, &m);
	ck_assert_uint_eq(g_comp(t, NVSP_MSG1_TYPE_SEND_RECV_BUF_COMPLETE)
			  .u.recv_buf_complete.status, NVSP_STAT_FAIL);
	/* a GPADL with pages past RAM (the host refused it at creation) */
	ck_assert_uint_ne(fg_gpadl(t->f, t->c->relid, 0x99, pfns, 4), 0);
	m.u.send_buf.gpadl_handle = 0x99;
	g_nvsp(t, &m);
	ck_assert_uint_eq(g_comp(t, NVSP_MSG1_TYPE_SEND_RECV_BUF_COMPLETE)
			  .u.recv_buf_complete.status, NVSP_STAT_FAIL);
	/* the ring GPADL of the channel is not a receive buffer twice */
	g_buffers(t);
	m.u.send_buf.gpadl_handle = RECV_GPADL;
	g_nvsp(t, &m);
	ck_assert_uint_eq(g_comp(t, NVSP_MSG1_TYPE_SEND_RECV_BUF_COMPLETE)
			  .u.recv_buf_complete.status, NVSP_STAT_FAIL);
	ck_assert_uint_ge(stats(t).bad, 4);
	t_free(t);
}
END_TEST

START_TEST(hostile_sections_and_ranges)
{
	struct t *t = t_up();
	struct nvsp_msg m = { .msg_type = NVSP_MSG1_TYPE_SEND_RNDIS_PKT };
	uint8_t b[2048], ext[8 + 16];
	uint32_t hdr[2] = { 0, 1 }, rr[2] = { 100, 0 };
	uint64_t pfn;
	uint32_t idx[] = { SEND_PAGES * 4096 / NETVSP_SEND_SECTION, 0xFFFFFFFE, 0x7FFFFFFF };

	for (size_t i = 0; i < sizeof(idx) / sizeof(idx[0]); i++) {
		m.u.rndis_pkt.send_buf_section_index = idx[i];
		m.u.rndis_pkt.send_buf_section_size = 100;
		g_nvsp(t, &m);
		ck_assert_uint_eq(g_comp(t, NVSP_MSG1_TYPE_SEND_RNDIS_PKT_COMPLETE)
				  .u.rndis_pkt_complete.status, NVSP_STAT_FAIL);
	}
	/* a size larger than a section */
	m.u.rndis_pkt.send_buf_section_index = 0;
	m.u.rndis_pkt.send_buf_section_size = NETVSP_SEND_SECTION + 1;
	g_nvsp(t, &m);
	ck_assert_uint_eq(g_comp(t, NVSP_MSG1_TYPE_SEND_RNDIS_PKT_COMPLETE)
			  .u.rndis_pkt_complete.status, NVSP_STAT_FAIL);
	/* no section and in-band: no data at all */
	m.u.rndis_pkt.send_buf_section_index = NVSP_INVALID_SECTION;
	g_nvsp(t, &m);
	ck_assert_uint_eq(g_comp(t, NVSP_MSG1_TYPE_SEND_RNDIS_PKT_COMPLETE)
			  .u.rndis_pkt_complete.status, NVSP_STAT_FAIL);
	/* GPA direct: a page outside RAM, a range count that lies */
	pfn = FG_RAM >> 12;
	memcpy(ext, hdr, 8);
	memcpy(ext + 8, rr, 8);
	memcpy(ext + 16, &pfn, 8);
	g_send(t, VM_PKT_DATA_USING_GPA_DIRECT, VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED,
	       ++t->trans, ext, sizeof(ext), &m, sizeof(m));
	ck_assert_uint_eq(g_comp(t, NVSP_MSG1_TYPE_SEND_RNDIS_PKT_COMPLETE)
			  .u.rndis_pkt_complete.status, NVSP_STAT_FAIL);
	hdr[1] = 1000;
	pfn = 0x300;
	memcpy(ext, hdr, 8);
	memcpy(ext + 16, &pfn, 8);
	g_send(t, VM_PKT_DATA_USING_GPA_DIRECT, VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED,
	       ++t->trans, ext, sizeof(ext), &m, sizeof(m));
	ck_assert_uint_eq(g_comp(t, NVSP_MSG1_TYPE_SEND_RNDIS_PKT_COMPLETE)
			  .u.rndis_pkt_complete.status, NVSP_STAT_FAIL);
	/* an RNDIS message whose msg_len lies */
	data_pkt(b, 100);
	memcpy(b + 4, &(uint32_t){ 5000 }, 4);
	ck_assert_uint_eq(g_rndis(t, 1, b, 144), NVSP_STAT_FAIL);
	ck_assert_int_eq(t->ntx, 0);
	/* completions for sections the host never used */
	{
		struct nvsp_msg c = { .msg_type = NVSP_MSG1_TYPE_SEND_RNDIS_PKT_COMPLETE };
		uint32_t freeb = stats(t).recv_free;

		g_send(t, VM_PKT_COMP, 0, 3, NULL, 0, &c, sizeof(c));
		g_send(t, VM_PKT_COMP, 0, 1ull << 40, NULL, 0, &c, sizeof(c));
		ck_assert_uint_eq(stats(t).recv_free, freeb);
	}
	/* junk: short packets, unknown types, unknown messages */
	g_send(t, VM_PKT_DATA_INBAND, 0, 1, NULL, 0, "ab", 2);
	g_send(t, VM_PKT_DATA_USING_GPADL, 0, 1, NULL, 0, &m, sizeof(m));
	m.msg_type = 0xdead;
	g_send(t, VM_PKT_DATA_INBAND, 0, 1, NULL, 0, &m, sizeof(m));
	ck_assert_uint_ge(stats(t).bad, 12);
	/* the NIC still works */
	ck_assert_uint_eq(g_rndis(t, 2, b, data_pkt(b, 60)), NVSP_STAT_SUCCESS);
	ck_assert_int_eq(t->ntx, 1);
	ck_assert(netvsp_dev(t->nv)->open);
	t_free(t);
}
END_TEST

/* A 60-byte frame in send section 0 and the SEND_RNDIS_PKT naming it. */
static struct nvsp_msg section0_frame(struct t *t)
{
	struct nvsp_msg m = { .msg_type = NVSP_MSG1_TYPE_SEND_RNDIS_PKT };
	uint8_t b[256];
	uint32_t len = data_pkt(b, 60);

	memcpy(t->f->ram + t->send_gpa, b, len);
	m.u.rndis_pkt.send_buf_section_index = 0;
	m.u.rndis_pkt.send_buf_section_size = len;
	return m;
}

START_TEST(completions_wait_for_ring_space)
{
	struct t *t = t_up();
	uint8_t b[256];
	int sent = 0, got = 0, rc;
	struct nvsp_msg m = section0_frame(t);

	/* the guest sends 1000 packets without reading its ring */
	for (int i = 0; i < 1000; i++) {
		rc = g_send(t, VM_PKT_DATA_INBAND, VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED,
			    1000 + i, NULL, 0, &m, sizeof(m));
		if (rc)
			break;
		sent++;
	}
	ck_assert_int_eq(sent, 1000);
	ck_assert_uint_gt(stats(t).pending, 0);	/* 28 KiB ring: it filled up */
	/* now it reads: every completion arrives, in order */
	while (got < sent) {
		struct vmbus_packet_desc d;

		rc = g_read(t, b, sizeof(b));
		if (rc == -EAGAIN) {
			fg_pump(t->f);
			rc = g_read(t, b, sizeof(b));
		}
		ck_assert_int_gt(rc, 0);
		memcpy(&d, b, sizeof(d));
		ck_assert_uint_eq(d.trans_id, 1000u + got);
		got++;
	}
	ck_assert_uint_eq(stats(t).pending, 0);
	ck_assert_int_eq(t->ntx, 1000);
	t_free(t);
}
END_TEST

START_TEST(guest_never_reading_loses_its_nic)
{
	struct t *t = t_up();
	struct nvsp_msg m = section0_frame(t);
	int i;

	for (i = 0; i < 20000 && netvsp_dev(t->nv)->open; i++)
		g_send(t, VM_PKT_DATA_INBAND, VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED,
		       i, NULL, 0, &m, sizeof(m));
	/* bounded: the channel is rescinded once NETVSP_MAX_PENDING pile up */
	ck_assert(!netvsp_dev(t->nv)->open);
	ck_assert(netvsp_dev(t->nv)->broken);
	ck_assert_int_gt(i, (int)NETVSP_MAX_PENDING);
	ck_assert(fg_logged(t->f, "guest does not read its completions"));
	t_free(t);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("netvsp");
	TCase *t = tcase_create("netvsp");

	tcase_set_timeout(t, 30);
	tcase_add_test(t, offered_as_nic);
	tcase_add_test(t, versions_as_linux_tries);
	tcase_add_test(t, linux_probe_sequence);
	tcase_add_test(t, tx_from_send_section);
	tcase_add_test(t, tx_gpa_direct_across_pages);
	tcase_add_test(t, rx_frame_into_receive_buffer);
	tcase_add_test(t, rx_fill_straight_into_section);
	tcase_add_test(t, rx_fill_waits_without_reading);
	tcase_add_test(t, ifstats_counts_frames_and_bytes);
	tcase_add_test(t, rx_not_ready_dropped);
	tcase_add_test(t, rx_backpressure_and_wake);
	tcase_add_test(t, link_indication);
	tcase_add_test(t, subchannels_refused);
	tcase_add_test(t, hostile_buffers);
	tcase_add_test(t, hostile_sections_and_ranges);
	tcase_add_test(t, completions_wait_for_ring_space);
	tcase_add_test(t, guest_never_reading_loses_its_nic);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return hv_check_run(suite());
}
