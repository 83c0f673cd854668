// SPDX-License-Identifier: GPL-2.0
/*
 * hvworker: the network VSP (netvsp.h).  The host half of Linux 6.1's
 * netvsc_connect_vsp() / netvsc_init_buf() / netvsc_send() /
 * netvsc_receive(), as linux-hv-guest.md §6.2 describes it.
 *
 * Guest input is hostile: the NVSP message is copied out of the ring by
 * vmbus_host.c and checked here; buffer GPADLs are looked up on this
 * channel only and every page goes through guest_ptr(); section indexes,
 * sizes and GPA ranges are checked before one copy into a private buffer
 * that rndis.c parses.  Bad input is dropped with a rate-limited log
 * line and counted; the guest only hurts its own NIC.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpa_direct.h"
#include "guest.h"
#include "netvsp.h"

/* A guest buffer described by a GPADL: one host pointer per page. */
struct gbuf {
	uint32_t gpadl;
	uint32_t size;		/* bytes */
	uint32_t npages;
	uint8_t **page;		/* NULL: not set up */
};

struct pending {
	uint64_t trans;
	struct nvsp_msg m;
};

struct netvsp {
	struct vmbus_host *h;
	struct vmbus_host_dev *dev;
	struct netvsp_backend be;
	struct rndis_dev rndis;
	uint8_t mac[6];
	uint32_t version;
	struct gbuf recv, send;
	uint32_t nsec;		/* receive sections */
	uint32_t nfree;
	uint32_t *free;		/* stack of free section indexes */
	uint8_t *busy;		/* per section: with the guest */
	uint32_t send_nsec;
	struct pending *pend;	/* NETVSP_MAX_PENDING, a ring */
	uint32_t pend_head, npend;
	struct netvsp_stats st;
	uint8_t xfer[NETVSP_MAX_XFER];
};

static const uint32_t versions[] = {
	NVSP_PROTOCOL_VERSION_61, NVSP_PROTOCOL_VERSION_6,
	NVSP_PROTOCOL_VERSION_5, NVSP_PROTOCOL_VERSION_4,
	NVSP_PROTOCOL_VERSION_2, NVSP_PROTOCOL_VERSION_1,
};

static void bad(struct netvsp *n, const char *why)
{
	n->st.bad++;
	vmbus_host_logf(n->h, "%s: %s: dropped", n->dev->name, why);
}

/* ---- guest buffers ---------------------------------------------------- */

static void gbuf_drop(struct gbuf *b)
{
	free(b->page);
	memset(b, 0, sizeof(*b));
}

static int gbuf_map(struct netvsp *n, struct gbuf *b, uint32_t handle)
{
	const struct guest_mem *mem = vmbus_host_cfg(n->h)->mem;
	const struct vmbus_gpadl_info *g = vmbus_host_dev_gpadl(n->dev, handle);
	const struct vmbus_gpadl_range *r;

	if (!g)
		return -ENOENT;
	r = &g->ranges[0];
	/* vmbus_establish_gpadl(): one page-aligned range */
	if (g->range_count != 1 || r->byte_offset || r->byte_count < VMBUS_PAGE_SIZE ||
	    r->byte_count > (uint64_t)r->page_count * VMBUS_PAGE_SIZE)
		return -EINVAL;
	b->page = calloc(r->page_count, sizeof(*b->page));
	if (!b->page)
		return -ENOMEM;
	for (uint32_t i = 0; i < r->page_count; i++) {
		b->page[i] = guest_ptr(mem, r->pfns[i] << VMBUS_PAGE_SHIFT, VMBUS_PAGE_SIZE);
		if (!b->page[i]) {
			gbuf_drop(b);
			return -EFAULT;
		}
	}
	b->gpadl = handle;
	b->size = r->byte_count;
	b->npages = r->page_count;
	return 0;
}

/* [off, off + len) must be inside the buffer (checked by the callers). */
static void gbuf_read(const struct gbuf *b, uint32_t off, uint8_t *dst, uint32_t len)
{
	while (len) {
		uint32_t in = off & (VMBUS_PAGE_SIZE - 1);
		uint32_t k = VMBUS_PAGE_SIZE - in < len ? VMBUS_PAGE_SIZE - in : len;

		memcpy(dst, b->page[off >> VMBUS_PAGE_SHIFT] + in, k);
		dst += k;
		off += k;
		len -= k;
	}
}

static void gbuf_write(const struct gbuf *b, uint32_t off, const uint8_t *src, uint32_t len)
{
	while (len) {
		uint32_t in = off & (VMBUS_PAGE_SIZE - 1);
		uint32_t k = VMBUS_PAGE_SIZE - in < len ? VMBUS_PAGE_SIZE - in : len;

		memcpy(b->page[off >> VMBUS_PAGE_SHIFT] + in, src, k);
		src += k;
		off += k;
		len -= k;
	}
}

static void drop_recv(struct netvsp *n)
{
	gbuf_drop(&n->recv);
	free(n->free);
	free(n->busy);
	n->free = NULL;
	n->busy = NULL;
	n->nsec = n->nfree = 0;
}

static void reset(struct netvsp *n)
{
	drop_recv(n);
	gbuf_drop(&n->send);
	n->send_nsec = 0;
	n->version = 0;
	n->npend = n->pend_head = 0;
	rndis_init(&n->rndis, n->mac);
}

/* ---- host -> guest ---------------------------------------------------- */

static void flush_pending(struct netvsp *n)
{
	while (n->npend) {
		struct pending *p = &n->pend[n->pend_head];
		int rc = vmbus_host_dev_send(n->dev, VM_PKT_COMP, 0, p->trans,
					     &p->m, sizeof(p->m));

		if (rc == -EAGAIN) {
			rc = vmbus_host_dev_wait_space(n->dev, (uint32_t)
				vmbus_ring_packet_bytes(sizeof(struct vmbus_packet_desc),
							sizeof(p->m)));
			if (rc == 1)
				continue;
			return;
		}
		/* sent, or the channel is gone: either way done with it */
		n->pend_head = (n->pend_head + 1) % NETVSP_MAX_PENDING;
		n->npend--;
	}
}

/* A completion (VM_PKT_COMP with an NVSP message) for guest request @trans. */
static void complete(struct netvsp *n, uint64_t trans, const struct nvsp_msg *m)
{
	int rc = -EAGAIN;

	if (!n->npend)
		rc = vmbus_host_dev_send(n->dev, VM_PKT_COMP, 0, trans, m, sizeof(*m));
	if (rc != -EAGAIN)
		return;
	if (n->npend == NETVSP_MAX_PENDING) {
		vmbus_host_dev_fail(n->dev, "guest does not read its completions");
		return;
	}
	n->pend[(n->pend_head + n->npend) % NETVSP_MAX_PENDING] =
		(struct pending){ .trans = trans, .m = *m };
	n->npend++;
	flush_pending(n);
}

/* Ring bytes of the transfer-page packet that announces a section. */
#define XFER_PKT_BYTES \
	vmbus_ring_packet_bytes(sizeof(struct vmbus_packet_desc) + 16, sizeof(struct nvsp_msg))

/*
 * A free receive section for one RNDIS message, or -EAGAIN when there is
 * none or the ring has no room to announce it (pending_send_sz is then
 * set: the guest's signal wakes the backend).  Frames also wait while
 * completions do; control replies need not.
 */
static int take_section(struct netvsp *n, uint32_t channel_type)
{
	int64_t space;
	int rc;

	if (!n->nsec)
		return -ENOTCONN;
	if ((n->npend && channel_type == NVSP_CHANNEL_DATA) || !n->nfree)
		return -EAGAIN;
	space = vmbus_ring_write_space(&n->dev->out);
	if (space < 0)
		return (int)space;
	if ((uint64_t)space <= XFER_PKT_BYTES) {
		rc = vmbus_host_dev_wait_space(n->dev, (uint32_t)XFER_PKT_BYTES);
		if (rc != 1)
			return rc < 0 ? rc : -EAGAIN;
	}
	return (int)n->free[--n->nfree];
}

/*
 * Announce section @sec holding an RNDIS message of @len bytes with a
 * transfer-page packet whose trans_id is the section index; the guest's
 * completion frees it.  On failure the section is free again.
 */
static int announce(struct netvsp *n, uint32_t sec, uint32_t channel_type, uint32_t len)
{
	struct {
		uint16_t xfer_pageset_id;
		uint8_t sender_owns_set;
		uint8_t reserved;
		uint32_t range_cnt;
		struct vmbus_xfer_page_range range;
	} __attribute__((packed)) x = {
		.xfer_pageset_id = NVSP_RECV_BUFFER_ID, .range_cnt = 1,
		.range = { .byte_count = len, .byte_offset = sec * NETVSP_RECV_SECTION },
	};
	struct nvsp_msg m = { .msg_type = NVSP_MSG1_TYPE_SEND_RNDIS_PKT };
	struct vmbus_packet_desc desc = {
		.type = VM_PKT_DATA_USING_XFER_PAGES,
		.offset8 = (sizeof(desc) + sizeof(x)) / 8,
		.flags = VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED,
		.trans_id = sec,
	};
	struct vmbus_ring_iov iov[2] = { { &x, sizeof(x) }, { &m, sizeof(m) } };
	int rc;

	_Static_assert(sizeof(x) == 16, "xfer header after the descriptor");
	m.u.rndis_pkt.channel_type = channel_type;
	m.u.rndis_pkt.send_buf_section_index = NVSP_INVALID_SECTION;
	rc = vmbus_host_dev_sendv(n->dev, &desc, iov, 2);
	if (rc) {
		n->free[n->nfree++] = sec;
		return rc;
	}
	n->busy[sec] = 1;
	return 0;
}

/* One RNDIS message (@a then @b) copied into a free receive section. */
static int send_rndis(struct netvsp *n, uint32_t channel_type, const void *a,
		      uint32_t alen, const void *b, uint32_t blen)
{
	uint32_t off;
	int sec;

	if (alen + blen > NETVSP_RECV_SECTION)
		return -EMSGSIZE;
	sec = take_section(n, channel_type);
	if (sec < 0)
		return sec;
	off = (uint32_t)sec * NETVSP_RECV_SECTION;
	gbuf_write(&n->recv, off, a, alen);
	if (blen)
		gbuf_write(&n->recv, off + alen, b, blen);
	return announce(n, (uint32_t)sec, channel_type, alen + blen);
}

static bool rx_ready(struct netvsp *n)
{
	return n->dev->open && rndis_rx_ready(&n->rndis) && n->nsec;
}

int netvsp_rx(struct netvsp *n, const uint8_t *frame, uint32_t len)
{
	uint8_t hdr[RNDIS_PKT_HDR];
	int rc;

	if (!rx_ready(n)) {
		n->st.rx_dropped++;
		return -ENOTCONN;
	}
	if (len < RNDIS_ETH_HLEN || len > RNDIS_MAX_FRAME) {
		n->st.rx_dropped++;
		return -EMSGSIZE;
	}
	rndis_packet_header(hdr, len);
	rc = send_rndis(n, NVSP_CHANNEL_DATA, hdr, sizeof(hdr), frame, len);
	if (!rc) {
		n->st.rx_frames++;
		n->st.rx_bytes += len;
	} else if (rc != -EAGAIN)
		n->st.rx_dropped++;
	return rc;
}

int netvsp_rx_fill(struct netvsp *n, netvsp_fill_fn fill, void *ctx)
{
	/* a frame area of a section spans at most two pages, plus one
	 * byte past it that only a frame too large for it reaches */
	struct iovec iov[NETVSP_FILL_IOV];
	uint8_t hdr[RNDIS_PKT_HDR], over;
	uint32_t off, pos, end, cnt = 0;
	ssize_t len;
	int sec;

	if (!rx_ready(n))
		return -ENOTCONN;
	sec = take_section(n, NVSP_CHANNEL_DATA);
	if (sec < 0)
		return sec;
	off = (uint32_t)sec * NETVSP_RECV_SECTION;
	pos = off + RNDIS_PKT_HDR;
	end = off + RNDIS_PKT_HDR + RNDIS_MAX_FRAME;
	while (pos < end) {
		uint32_t in = pos & (VMBUS_PAGE_SIZE - 1);
		uint32_t k = VMBUS_PAGE_SIZE - in < end - pos ? VMBUS_PAGE_SIZE - in : end - pos;

		iov[cnt++] = (struct iovec){ n->recv.page[pos >> VMBUS_PAGE_SHIFT] + in, k };
		pos += k;
	}
	iov[cnt++] = (struct iovec){ &over, 1 };
	len = fill(ctx, iov, (int)cnt);
	if (len < RNDIS_ETH_HLEN || len > RNDIS_MAX_FRAME) {
		n->free[n->nfree++] = (uint32_t)sec;
		if (len <= 0)
			return len ? (int)len : -ENODATA;
		n->st.rx_dropped++;
		return -EMSGSIZE;
	}
	rndis_packet_header(hdr, (uint32_t)len);
	gbuf_write(&n->recv, off, hdr, sizeof(hdr));
	if (announce(n, (uint32_t)sec, NVSP_CHANNEL_DATA, sizeof(hdr) + (uint32_t)len)) {
		n->st.rx_dropped++;
		return -EIO;
	}
	n->st.rx_frames++;
	n->st.rx_bytes += (uint64_t)len;
	return 0;
}

int netvsp_link(struct netvsp *n, bool up)
{
	uint8_t msg[32];
	uint32_t len;

	n->rndis.link_up = up;
	if (!n->rndis.initialized)
		return 0;
	len = rndis_indicate(msg, up ? RNDIS_STATUS_MEDIA_CONNECT :
				       RNDIS_STATUS_MEDIA_DISCONNECT);
	return send_rndis(n, NVSP_CHANNEL_CONTROL, msg, len, NULL, 0);
}

/* ---- RNDIS callbacks -------------------------------------------------- */

static void rndis_frame(void *ctx, const uint8_t *frame, uint32_t len,
			const struct rndis_tx_meta *meta)
{
	struct netvsp *n = ctx;

	if (n->be.tx && n->be.tx(n->be.ctx, frame, len, meta) == 0) {
		n->st.tx_frames++;
		n->st.tx_bytes += len;
	} else {
		n->st.tx_errors++;
	}
}

static int rndis_reply(void *ctx, const void *msg, uint32_t len)
{
	struct netvsp *n = ctx;
	int rc = send_rndis(n, NVSP_CHANNEL_CONTROL, msg, len, NULL, 0);

	if (rc)
		vmbus_host_logf(n->h, "%s: RNDIS reply lost (%s)", n->dev->name,
				strerror(-rc));
	return rc;
}

static void rndis_bad(void *ctx, const char *why)
{
	struct netvsp *n = ctx;

	vmbus_host_logf(n->h, "%s: %s: dropped", n->dev->name, why);
}

static const struct rndis_ops rndis_ops = {
	.frame = rndis_frame, .reply = rndis_reply, .bad = rndis_bad,
};

/* ---- guest -> host ---------------------------------------------------- */

/*
 * The frame of a GPA-direct packet (gpa_direct.c checks its ranges) copied
 * into n->xfer, where rndis.c parses it once; bytes or -errno.
 */
static int gather_gpa(struct netvsp *n)
{
	/* every range can add a piece at each end */
	struct iovec iov[NETVSP_MAX_XFER / VMBUS_PAGE_SIZE + 2 * NETVSP_MAX_RANGES];
	uint32_t total = 0;
	int cnt, len;

	len = gpa_direct_map(vmbus_host_cfg(n->h)->mem, n->dev->pkt_ext,
			     n->dev->pkt_ext_len, NETVSP_MAX_RANGES, NETVSP_MAX_XFER,
			     iov, (int)(sizeof(iov) / sizeof(iov[0])), &cnt);
	for (int i = 0; len > 0 && i < cnt; i++) {
		memcpy(n->xfer + total, iov[i].iov_base, iov[i].iov_len);
		total += (uint32_t)iov[i].iov_len;
	}
	return len;
}

static uint32_t tx_rndis(struct netvsp *n, const struct vmbus_packet_desc *desc,
			 const struct nvsp_msg *m)
{
	uint32_t idx = m->u.rndis_pkt.send_buf_section_index;
	uint32_t size = m->u.rndis_pkt.send_buf_section_size;
	int len;

	if (idx != NVSP_INVALID_SECTION) {
		if (!n->send_nsec || idx >= n->send_nsec || size > NETVSP_SEND_SECTION) {
			bad(n, "RNDIS packet names a send section out of range");
			return NVSP_STAT_FAIL;
		}
		gbuf_read(&n->send, idx * NETVSP_SEND_SECTION, n->xfer, size);
		len = (int)size;
	} else if (desc->type == VM_PKT_DATA_USING_GPA_DIRECT) {
		len = gather_gpa(n);
		if (len < 0) {
			bad(n, len == -EFAULT ? "GPA range outside guest RAM" :
			       "malformed GPA-direct ranges");
			return NVSP_STAT_FAIL;
		}
	} else {
		bad(n, "RNDIS packet without data");
		return NVSP_STAT_FAIL;
	}
	if (rndis_input(&n->rndis, n->xfer, (uint32_t)len, &rndis_ops, n) < 0) {
		n->st.bad++;
		return NVSP_STAT_FAIL;
	}
	return NVSP_STAT_SUCCESS;
}

static bool version_ok(uint32_t v)
{
	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++)
		if (versions[i] == v)
			return true;
	return false;
}

static void set_recv_buf(struct netvsp *n, const struct nvsp_msg *m, struct nvsp_msg *r)
{
	struct nvsp_recv_buf_complete *c = &r->u.recv_buf_complete;
	uint32_t nsec;

	r->msg_type = NVSP_MSG1_TYPE_SEND_RECV_BUF_COMPLETE;
	c->status = NVSP_STAT_FAIL;
	if (!n->version || n->nsec || m->u.send_buf.id != NVSP_RECV_BUFFER_ID) {
		bad(n, "receive buffer in the wrong state or with a wrong id");
		return;
	}
	if (gbuf_map(n, &n->recv, m->u.send_buf.gpadl_handle)) {
		bad(n, "receive buffer GPADL unknown or not guest RAM");
		return;
	}
	nsec = n->recv.size / NETVSP_RECV_SECTION;
	if (nsec > NETVSP_MAX_RECV_SECTIONS)
		nsec = NETVSP_MAX_RECV_SECTIONS;
	n->free = calloc(nsec ? nsec : 1, sizeof(*n->free));
	n->busy = calloc(nsec ? nsec : 1, 1);
	if (!nsec || !n->free || !n->busy) {
		drop_recv(n);
		bad(n, "receive buffer too small");
		return;
	}
	for (uint32_t i = 0; i < nsec; i++)
		n->free[i] = nsec - 1 - i;	/* section 0 first */
	n->nsec = n->nfree = nsec;
	c->status = NVSP_STAT_SUCCESS;
	c->num_sections = 1;
	c->sections[0].offset = 0;
	c->sections[0].sub_alloc_size = NETVSP_RECV_SECTION;
	c->sections[0].num_sub_allocs = nsec;
	c->sections[0].end_offset = nsec * NETVSP_RECV_SECTION;
}

static void set_send_buf(struct netvsp *n, const struct nvsp_msg *m, struct nvsp_msg *r)
{
	r->msg_type = NVSP_MSG1_TYPE_SEND_SEND_BUF_COMPLETE;
	r->u.send_buf_complete.status = NVSP_STAT_FAIL;
	if (!n->version || n->send_nsec) {
		bad(n, "send buffer in the wrong state");
		return;
	}
	if (gbuf_map(n, &n->send, m->u.send_buf.gpadl_handle)) {
		bad(n, "send buffer GPADL unknown or not guest RAM");
		return;
	}
	n->send_nsec = n->send.size / NETVSP_SEND_SECTION;
	if (!n->send_nsec) {
		gbuf_drop(&n->send);
		bad(n, "send buffer smaller than a section");
		return;
	}
	r->u.send_buf_complete.status = NVSP_STAT_SUCCESS;
	r->u.send_buf_complete.section_size = NETVSP_SEND_SECTION;
}

/* The guest completed receive section @trans. */
static void rx_done(struct netvsp *n, uint64_t trans, const struct nvsp_msg *m)
{
	if (m->msg_type != NVSP_MSG1_TYPE_SEND_RNDIS_PKT_COMPLETE) {
		bad(n, "completion of an unknown type");
		return;
	}
	if (trans >= n->nsec || !n->busy[trans]) {
		bad(n, "completion for a receive section not in use");
		return;
	}
	n->busy[trans] = 0;
	n->free[n->nfree++] = (uint32_t)trans;
}

static void message(struct netvsp *n, const struct vmbus_packet_desc *desc,
		    const struct nvsp_msg *m)
{
	bool want = desc->flags & VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED;
	struct nvsp_msg r;

	memset(&r, 0, sizeof(r));
	switch (m->msg_type) {
	case NVSP_MSG_TYPE_INIT:
		r.msg_type = NVSP_MSG_TYPE_INIT_COMPLETE;
		r.u.init_complete.status = NVSP_STAT_FAIL;
		if (!n->nsec && !n->send_nsec &&
		    m->u.init.min_protocol_ver <= m->u.init.max_protocol_ver) {
			for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
				uint32_t v = versions[i];

				if (v < m->u.init.min_protocol_ver ||
				    v > m->u.init.max_protocol_ver || !version_ok(v))
					continue;
				n->version = v;
				r.u.init_complete.negotiated_protocol_ver = v;
				r.u.init_complete.max_mdl_chain_len = 34;
				r.u.init_complete.status = NVSP_STAT_SUCCESS;
				break;
			}
		}
		complete(n, desc->trans_id, &r);
		return;
	case NVSP_MSG1_TYPE_SEND_NDIS_VER:
	case NVSP_MSG2_TYPE_SEND_NDIS_CONFIG:
		return;	/* nothing to answer; the MTU is ours anyway */
	case NVSP_MSG1_TYPE_SEND_RECV_BUF:
		set_recv_buf(n, m, &r);
		complete(n, desc->trans_id, &r);
		return;
	case NVSP_MSG1_TYPE_SEND_SEND_BUF:
		set_send_buf(n, m, &r);
		complete(n, desc->trans_id, &r);
		return;
	case NVSP_MSG1_TYPE_REVOKE_RECV_BUF:
		drop_recv(n);
		return;
	case NVSP_MSG1_TYPE_REVOKE_SEND_BUF:
		gbuf_drop(&n->send);
		n->send_nsec = 0;
		return;
	case NVSP_MSG1_TYPE_SEND_RNDIS_PKT:
		r.msg_type = NVSP_MSG1_TYPE_SEND_RNDIS_PKT_COMPLETE;
		r.u.rndis_pkt_complete.status = tx_rndis(n, desc, m);
		if (want)
			complete(n, desc->trans_id, &r);
		return;
	case NVSP_MSG5_TYPE_SUBCHANNEL:
		/* one channel: the guest then runs with num_chn = 1 */
		r.msg_type = NVSP_MSG5_TYPE_SUBCHANNEL;
		r.u.subchannel_complete.status = NVSP_STAT_FAIL;
		complete(n, desc->trans_id, &r);
		return;
	default:
		bad(n, "unknown NVSP message");
		return;
	}
}

static void nv_packet(struct vmbus_host_dev *d, const struct vmbus_packet_desc *desc,
		      const uint8_t *payload, uint32_t len)
{
	struct netvsp *n = d->priv;
	uint32_t had = n->nfree;
	struct nvsp_msg m;

	if (len < sizeof(m.msg_type)) {
		bad(n, "packet shorter than an NVSP header");
		return;
	}
	memset(&m, 0, sizeof(m));
	memcpy(&m, payload, len < sizeof(m) ? len : sizeof(m));
	switch (desc->type) {
	case VM_PKT_COMP:
		rx_done(n, desc->trans_id, &m);
		break;
	case VM_PKT_DATA_INBAND:
	case VM_PKT_DATA_USING_GPA_DIRECT:
		message(n, desc, &m);
		break;
	default:
		bad(n, "unexpected VMBus packet type");
		break;
	}
	if (!had && n->nfree && n->be.wake)
		n->be.wake(n->be.ctx);
}

static void nv_signal(struct vmbus_host_dev *d)
{
	struct netvsp *n = d->priv;

	flush_pending(n);
	if (n->be.wake)
		n->be.wake(n->be.ctx);
}

static int nv_open(struct vmbus_host_dev *d)
{
	reset(d->priv);
	return 0;
}

static void nv_close(struct vmbus_host_dev *d)
{
	reset(d->priv);
}

static const struct vmbus_host_dev_ops nv_ops = {
	.open = nv_open, .close = nv_close, .packet = nv_packet,
	.signal = nv_signal,
};

struct netvsp *netvsp_create(struct vmbus_host *h, const uint8_t mac[6],
			     unsigned int index, const struct netvsp_backend *be)
{
	struct vmbus_offer_params p = { .if_type = VMBUS_GUID_NIC };
	struct netvsp *n = calloc(1, sizeof(*n));
	char name[16];

	if (!n)
		return NULL;
	n->pend = calloc(NETVSP_MAX_PENDING, sizeof(*n->pend));
	if (!n->pend) {
		free(n);
		return NULL;
	}
	n->h = h;
	if (be)
		n->be = *be;
	memcpy(n->mac, mac, 6);
	rndis_init(&n->rndis, mac);
	/* Instance GUID: "mkhv-nic" then the MAC and the index. */
	memcpy(p.if_instance.b, "mkhv-nic", 8);
	memcpy(p.if_instance.b + 8, mac, 6);
	p.if_instance.b[14] = (uint8_t)(index >> 8);
	p.if_instance.b[15] = (uint8_t)index;
	p.dedicated_interrupt = true;
	snprintf(name, sizeof(name), "netvsp%u", index);
	if (vmbus_host_add_device(h, &p, &nv_ops, n, name, &n->dev)) {
		free(n->pend);
		free(n);
		return NULL;
	}
	return n;
}

void netvsp_free(struct netvsp *n)
{
	if (!n)
		return;
	drop_recv(n);
	gbuf_drop(&n->send);
	free(n->pend);
	free(n);
}

void netvsp_get_stats(struct netvsp *n, struct netvsp_stats *st)
{
	*st = n->st;
	st->version = n->version;
	st->recv_sections = n->nsec;
	st->recv_free = n->nfree;
	st->send_sections = n->send_nsec;
	st->rndis_ready = rndis_rx_ready(&n->rndis);
	st->filter = n->rndis.filter;
	st->tx_frames = n->st.tx_frames;
	st->bad += n->rndis.bad;
	st->pending = n->npend;
}

void netvsp_rx_drop(struct netvsp *n)
{
	n->st.rx_dropped++;
}

void netvsp_ifstats(struct netvsp *n, char *reply, size_t len)
{
	const struct netvsp_stats *st = &n->st;

	/* The guest's side: what it received, then what it sent. */
	snprintf(reply, len, "ifstats rx_bytes=%llu rx_packets=%llu rx_errs=0 rx_drop=%llu tx_bytes=%llu tx_packets=%llu tx_errs=%llu tx_drop=0",
		 (unsigned long long)st->rx_bytes, (unsigned long long)st->rx_frames,
		 (unsigned long long)st->rx_dropped, (unsigned long long)st->tx_bytes,
		 (unsigned long long)st->tx_frames, (unsigned long long)st->tx_errors);
}

struct vmbus_host_dev *netvsp_dev(struct netvsp *n)
{
	return n->dev;
}
