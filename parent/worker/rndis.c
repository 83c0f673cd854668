// SPDX-License-Identifier: GPL-2.0
/*
 * hvworker: the RNDIS device of a synthetic NIC (rndis.h).  What Linux
 * 6.1's rndis_filter.c asks at probe (rndis_filter_device_add): INIT,
 * then QUERY of the maximum frame size, the permanent address, the
 * friendly name (optional), the offload capabilities (an NDIS_OFFLOAD
 * object is required), SET of the offload parameters (must succeed), the
 * media connect status, and for NVSP >= 5 the link speed and the RSS
 * capabilities (refused: one channel).  ndo_open sets the packet filter.
 */
#include <errno.h>
#include <string.h>
#include <linux/virtio_net.h>

#include "rndis.h"

void rndis_init(struct rndis_dev *r, const uint8_t mac[6])
{
	memset(r, 0, sizeof(*r));
	memcpy(r->mac, mac, 6);
	r->link_up = true;
}

bool rndis_rx_ready(const struct rndis_dev *r)
{
	return r->initialized && r->filter;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static int drop(struct rndis_dev *r, const struct rndis_ops *ops, void *ctx,
		const char *why)
{
	r->bad++;
	if (ops->bad)
		ops->bad(ctx, why);
	return -EBADMSG;
}

static int reply(struct rndis_dev *r, const struct rndis_ops *ops, void *ctx,
		 uint8_t *msg, uint32_t type, uint32_t len)
{
	struct rndis_hdr h = { .msg_type = type, .msg_len = len };

	memcpy(msg, &h, sizeof(h));
	r->control++;
	return ops->reply(ctx, msg, len);
}

/*
 * The per-packet info of a PACKET message (@off, @len inside the body,
 * checked): the checksum and LSO requests into @m.  Other types (hash,
 * VLAN) are skipped.  0 or -EBADMSG.
 */
static int packet_info(const uint8_t *body, uint32_t off, uint32_t len,
		       struct rndis_tx_meta *m)
{
	while (len) {
		struct rndis_ppi e;
		uint32_t v;

		if (len < sizeof(e))
			return -EBADMSG;
		memcpy(&e, body + off, sizeof(e));
		if (e.size < sizeof(e) || e.size > len || e.ppi_offset < sizeof(e) ||
		    e.ppi_offset > e.size - 4)
			return -EBADMSG;
		v = get32(body + off + e.ppi_offset);
		switch (e.type & RNDIS_PPI_TYPE_MASK) {
		case RNDIS_PPI_TCPIP_CHKSUM:
			if (!(v & NDIS_CSUM_TX_IPV4) ||
			    !(v & (NDIS_CSUM_TX_TCP | NDIS_CSUM_TX_UDP)))
				break;	/* nothing asked that we offered */
			m->csum = v & NDIS_CSUM_TX_TCP ? RNDIS_CSUM_TCP : RNDIS_CSUM_UDP;
			m->l4_off = NDIS_CSUM_TX_OFFSET(v);
			break;
		case RNDIS_PPI_TCP_LARGESEND:
			if (v & NDIS_LSO2_IPV6 || !NDIS_LSO2_MSS(v))
				return -EBADMSG;	/* not offered */
			m->csum = RNDIS_CSUM_TCP;
			m->l4_off = NDIS_LSO2_OFFSET(v);
			m->mss = NDIS_LSO2_MSS(v);
			break;
		default:
			break;
		}
		off += e.size;
		len -= e.size;
	}
	return 0;
}

/* A PACKET message: body of blen bytes. */
static int packet(struct rndis_dev *r, const uint8_t *body, uint32_t blen,
		  const struct rndis_ops *ops, void *ctx)
{
	struct rndis_tx_meta m = { .csum = RNDIS_CSUM_NONE };
	struct rndis_packet p;

	if (blen < sizeof(p))
		return drop(r, ops, ctx, "RNDIS packet shorter than its header");
	memcpy(&p, body, sizeof(p));
	if (p.data_offset < sizeof(p) || p.data_offset > blen ||
	    p.data_len > blen - p.data_offset)
		return drop(r, ops, ctx, "RNDIS packet data outside the message");
	if (p.per_pkt_info_len &&
	    (p.per_pkt_info_offset < sizeof(p) || p.per_pkt_info_offset > blen ||
	     p.per_pkt_info_len > blen - p.per_pkt_info_offset ||
	     packet_info(body, p.per_pkt_info_offset, p.per_pkt_info_len, &m)))
		return drop(r, ops, ctx, "RNDIS packet info malformed");
	if (p.data_len < RNDIS_ETH_HLEN ||
	    p.data_len > (m.mss ? RNDIS_MAX_LSO_FRAME : RNDIS_MAX_FRAME))
		return drop(r, ops, ctx, "RNDIS packet frame size out of range");
	if (!r->initialized)
		return drop(r, ops, ctx, "RNDIS packet before INITIALIZE");
	r->frames++;
	ops->frame(ctx, body + p.data_offset, p.data_len, &m);
	return 0;
}

static int init(struct rndis_dev *r, const uint8_t *body, uint32_t blen,
		const struct rndis_ops *ops, void *ctx)
{
	uint8_t msg[sizeof(struct rndis_hdr) + sizeof(struct rndis_init_complete)];
	struct rndis_init_complete c = {
		.major_ver = 1, .minor_ver = 0, .dev_flags = 1, .medium = 0,
		.max_pkt_per_msg = 8, .max_xfer_size = 0x4000,
		.pkt_alignment_factor = 3,
	};
	struct rndis_init_req q;

	if (blen < sizeof(q))
		return drop(r, ops, ctx, "short RNDIS INITIALIZE");
	memcpy(&q, body, sizeof(q));
	c.req_id = q.req_id;
	c.status = q.major_ver == 1 ? RNDIS_STATUS_SUCCESS : RNDIS_STATUS_NOT_SUPPORTED;
	if (!c.status)
		r->initialized = true;
	memcpy(msg + sizeof(struct rndis_hdr), &c, sizeof(c));
	return reply(r, ops, ctx, msg, RNDIS_MSG_INIT_C, sizeof(msg));
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/*
 * The offload capabilities: an NDIS_OFFLOAD object offering IPv4 TCP
 * transmit checksums (what Linux requires, NDIS_TXCSUM_ALL_TCP4) and
 * LSOv2 for IPv4 on 802.3 framing; nothing for IPv6, UDP or receive.
 */
static uint32_t offload_caps(uint8_t *out, uint32_t want)
{
	struct ndis_object_header h = { .type = NDIS_OBJECT_TYPE_OFFLOAD };
	uint32_t len = NDIS_OFFLOAD_SIZE;

	/* The guest sizes its buffer with its own struct ndis_offload. */
	if (want >= NDIS_OFFLOAD_SIZE_6_0 && want < len)
		len = want;
	h.revision = len >= NDIS_OFFLOAD_SIZE ? 3 : len >= NDIS_OFFLOAD_SIZE_6_1 ? 2 : 1;
	h.size = (uint16_t)len;
	memset(out, 0, len);
	memcpy(out, &h, sizeof(h));
	put32(out + NDIS_OFFLOAD_IP4_TXENC, NDIS_OFFLOAD_ENCAP_8023);
	put32(out + NDIS_OFFLOAD_IP4_TXCSUM, NDIS_TXCSUM_CAP_IP4OPT |
	      NDIS_TXCSUM_CAP_TCP4OPT | NDIS_TXCSUM_CAP_TCP4);
	put32(out + NDIS_OFFLOAD_LSO2_IP4_ENCAP, NDIS_OFFLOAD_ENCAP_8023);
	put32(out + NDIS_OFFLOAD_LSO2_IP4_MAXSZ, RNDIS_LSO_MAX_SIZE);
	put32(out + NDIS_OFFLOAD_LSO2_IP4_MINSG, 2);
	return len;
}

/* Fill @val for a QUERY of @oid; its length, or 0 if not supported. */
static uint32_t query_value(const struct rndis_dev *r, uint32_t oid,
			    uint32_t want, uint8_t *val)
{
	uint32_t v;

	switch (oid) {
	case RNDIS_OID_GEN_MAXIMUM_FRAME_SIZE:
		v = RNDIS_MTU;
		break;
	case RNDIS_OID_GEN_MAXIMUM_TOTAL_SIZE:
		v = RNDIS_MTU + RNDIS_ETH_HLEN;
		break;
	case RNDIS_OID_GEN_LINK_SPEED:
		v = RNDIS_LINK_SPEED;
		break;
	case RNDIS_OID_GEN_MEDIA_CONNECT_STATUS:
		v = r->link_up ? 0 : 1;	/* NdisMediaStateConnected = 0 */
		break;
	case RNDIS_OID_GEN_CURRENT_PACKET_FILTER:
		v = r->filter;
		break;
	case RNDIS_OID_802_3_PERMANENT_ADDRESS:
	case RNDIS_OID_802_3_CURRENT_ADDRESS:
		memcpy(val, r->mac, 6);
		return 6;
	case RNDIS_OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES:
		return offload_caps(val, want);
	default:
		return 0;
	}
	memcpy(val, &v, sizeof(v));
	return sizeof(v);
}

/* QUERY and SET: the request's info buffer must lie inside the body. */
static bool info_ok(const struct rndis_query_req *q, uint32_t blen)
{
	if (!q->info_buflen)
		return true;
	return q->info_buf_offset >= sizeof(*q) && q->info_buf_offset <= blen &&
	       q->info_buflen <= blen - q->info_buf_offset;
}

/*
 * The fixed part of a QUERY or SET: copied into @q; *@status is
 * INVALID_DATA when its info buffer lies, else SUCCESS.  -EBADMSG: short.
 */
static int request(struct rndis_dev *r, const uint8_t *body, uint32_t blen,
		   struct rndis_query_req *q, uint32_t *req_id, uint32_t *status)
{
	if (blen < sizeof(*q))
		return -EBADMSG;
	memcpy(q, body, sizeof(*q));
	*req_id = q->req_id;
	*status = RNDIS_STATUS_SUCCESS;
	if (!info_ok(q, blen)) {
		*status = RNDIS_STATUS_INVALID_DATA;
		r->bad++;
	}
	return 0;
}

static int query(struct rndis_dev *r, const uint8_t *body, uint32_t blen,
		 const struct rndis_ops *ops, void *ctx)
{
	uint8_t msg[RNDIS_MAX_REPLY];
	struct rndis_query_complete c = { .info_buf_offset = sizeof(c) };
	const uint32_t at = sizeof(struct rndis_hdr) + sizeof(c);
	struct rndis_query_req q;

	if (request(r, body, blen, &q, &c.req_id, &c.status))
		return drop(r, ops, ctx, "short RNDIS QUERY");
	if (!c.status) {
		c.info_buflen = query_value(r, q.oid, q.info_buflen, msg + at);
		c.status = c.info_buflen ? RNDIS_STATUS_SUCCESS : RNDIS_STATUS_NOT_SUPPORTED;
	}
	memcpy(msg + sizeof(struct rndis_hdr), &c, sizeof(c));
	return reply(r, ops, ctx, msg, RNDIS_MSG_QUERY_C, at + c.info_buflen);
}

static int set(struct rndis_dev *r, const uint8_t *body, uint32_t blen,
	       const struct rndis_ops *ops, void *ctx)
{
	uint8_t msg[sizeof(struct rndis_hdr) + sizeof(struct rndis_set_complete)];
	struct rndis_set_complete c = { .status = RNDIS_STATUS_SUCCESS };
	struct rndis_query_req q;	/* same layout as rndis_set_request */

	if (request(r, body, blen, &q, &c.req_id, &c.status))
		return drop(r, ops, ctx, "short RNDIS SET");
	if (!c.status) {
		switch (q.oid) {
		case RNDIS_OID_GEN_CURRENT_PACKET_FILTER:
			if (q.info_buflen < 4)
				c.status = RNDIS_STATUS_INVALID_DATA;
			else
				r->filter = get32(body + q.info_buf_offset);
			break;
		case RNDIS_OID_TCP_OFFLOAD_PARAMETERS:
			/* Per packet: the guest asks for what it uses in each. */
			break;
		default:
			c.status = RNDIS_STATUS_NOT_SUPPORTED;
			break;
		}
	}
	memcpy(msg + sizeof(struct rndis_hdr), &c, sizeof(c));
	return reply(r, ops, ctx, msg, RNDIS_MSG_SET_C, sizeof(msg));
}

static int one(struct rndis_dev *r, uint32_t type, const uint8_t *body,
	       uint32_t blen, const struct rndis_ops *ops, void *ctx)
{
	uint8_t msg[sizeof(struct rndis_hdr) + 8];
	uint32_t v[2] = { 0, RNDIS_STATUS_SUCCESS };

	switch (type) {
	case RNDIS_MSG_PACKET:
		return packet(r, body, blen, ops, ctx);
	case RNDIS_MSG_INIT:
		return init(r, body, blen, ops, ctx);
	case RNDIS_MSG_QUERY:
		return query(r, body, blen, ops, ctx);
	case RNDIS_MSG_SET:
		return set(r, body, blen, ops, ctx);
	case RNDIS_MSG_HALT:
		r->initialized = false;
		r->filter = 0;
		return 0;
	case RNDIS_MSG_RESET:
		v[0] = RNDIS_STATUS_SUCCESS;	/* status, addressing_reset 0 */
		v[1] = 0;
		r->filter = 0;
		memcpy(msg + sizeof(struct rndis_hdr), v, sizeof(v));
		return reply(r, ops, ctx, msg, RNDIS_MSG_RESET_C, sizeof(msg));
	case RNDIS_MSG_KEEPALIVE:
		if (blen < 4)
			return drop(r, ops, ctx, "short RNDIS KEEPALIVE");
		v[0] = get32(body);	/* req_id */
		memcpy(msg + sizeof(struct rndis_hdr), v, sizeof(v));
		return reply(r, ops, ctx, msg, RNDIS_MSG_KEEPALIVE_C, sizeof(msg));
	case RNDIS_MSG_KEEPALIVE_C:
		return 0;
	default:
		return drop(r, ops, ctx, "unknown RNDIS message type");
	}
}

int rndis_input(struct rndis_dev *r, const uint8_t *buf, uint32_t len,
		const struct rndis_ops *ops, void *ctx)
{
	uint32_t off = 0;
	int n = 0;

	while (len - off >= sizeof(struct rndis_hdr)) {
		struct rndis_hdr h;

		memcpy(&h, buf + off, sizeof(h));
		if (!h.msg_type && !h.msg_len)
			break;	/* zero padding at the end of a section */
		if (h.msg_len < sizeof(h) || h.msg_len > len - off)
			return drop(r, ops, ctx, "RNDIS msg_len outside the buffer");
		/* A reply that cannot be delivered is the transport's problem. */
		if (one(r, h.msg_type, buf + off + sizeof(h), h.msg_len - sizeof(h),
			ops, ctx) == -EBADMSG)
			return -EBADMSG;
		n++;
		off += h.msg_len;
	}
	return n;
}

void rndis_packet_header(uint8_t hdr[RNDIS_PKT_HDR], uint32_t len)
{
	struct rndis_hdr h = {
		.msg_type = RNDIS_MSG_PACKET, .msg_len = (uint32_t)RNDIS_PKT_HDR + len,
	};
	struct rndis_packet p = {
		.data_offset = sizeof(p), .data_len = len,
	};

	memcpy(hdr, &h, sizeof(h));
	memcpy(hdr + sizeof(h), &p, sizeof(p));
}

uint32_t rndis_indicate(uint8_t *msg, uint32_t status)
{
	struct rndis_indicate_status s = {
		.status = status, .status_buf_offset = sizeof(s),
	};
	struct rndis_hdr h = {
		.msg_type = RNDIS_MSG_INDICATE, .msg_len = sizeof(h) + sizeof(s),
	};

	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), &s, sizeof(s));
	return h.msg_len;
}

/* The Internet checksum's 16-bit one's complement sum of @len bytes, folded. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, uint32_t len)
{
	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return sum;
}

static void put_be16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

int rndis_tx_offload(const uint8_t *frame, uint32_t len, const struct rndis_tx_meta *m,
		     struct virtio_net_hdr *vh, uint8_t hdr[RNDIS_TX_HDR_MAX],
		     uint32_t *hlen)
{
	const uint8_t *ip = frame + RNDIS_ETH_HLEN;
	uint32_t ihl, thl, tcp_len, sum;
	uint8_t pseudo[4];

	memset(vh, 0, sizeof(*vh));
	*hlen = 0;
	if (m->csum == RNDIS_CSUM_NONE)
		return m->mss ? -EINVAL : 0;
	vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh->csum_start = (uint16_t)m->l4_off;
	vh->csum_offset = m->csum == RNDIS_CSUM_TCP ? 16 : 6;
	if (m->l4_off < RNDIS_ETH_HLEN + 20 || m->l4_off > len ||
	    len - m->l4_off < (m->csum == RNDIS_CSUM_TCP ? 20u : 8u))
		return -EINVAL;
	if (!m->mss)
		return 0;

	/* LSOv2, IPv4 (packet_info() refuses IPv6): Ethernet, IPv4, TCP. */
	if (m->csum != RNDIS_CSUM_TCP || frame[12] != 0x08 || frame[13] != 0x00 ||
	    ip[0] >> 4 != 4 || ip[9] != 6 || m->mss > 0xFFFF ||
	    len - RNDIS_ETH_HLEN > 0xFFFF)
		return -EINVAL;
	ihl = (ip[0] & 0xF) * 4u;
	if (ihl < 20 || RNDIS_ETH_HLEN + ihl != m->l4_off)
		return -EINVAL;
	thl = (frame[m->l4_off + 12] >> 4) * 4u;
	if (thl < 20 || thl > len - m->l4_off)
		return -EINVAL;
	*hlen = m->l4_off + thl;
	memcpy(hdr, frame, *hlen);
	/* Linux's netvsc zeroes tot_len and check for the host to fill. */
	put_be16(hdr + RNDIS_ETH_HLEN + 2, len - RNDIS_ETH_HLEN);
	put_be16(hdr + RNDIS_ETH_HLEN + 10, 0);
	put_be16(hdr + RNDIS_ETH_HLEN + 10, ~csum_add(0, hdr + RNDIS_ETH_HLEN, ihl) & 0xFFFF);
	/* TCP: the pseudo-header sum with the length, not complemented
	 * (CHECKSUM_PARTIAL, as the kernel's GSO expects it). */
	tcp_len = len - m->l4_off;
	put_be16(pseudo, 6);
	put_be16(pseudo + 2, tcp_len);
	sum = csum_add(0, ip + 12, 8);	/* source and destination */
	sum = csum_add(sum, pseudo, 4);
	put_be16(hdr + m->l4_off + 16, sum);
	vh->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	vh->gso_size = (uint16_t)m->mss;
	vh->hdr_len = (uint16_t)*hlen;
	return 0;
}
