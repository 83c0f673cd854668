// SPDX-License-Identifier: MIT
/*
 * VMBus server-side channel management (see channel.h).  Message layouts
 * are in include/vmbus/wire.h; the guest behaviour this answers is Linux
 * 6.1's drivers/hv/connection.c (vmbus_negotiate_version), channel_mgmt.c
 * (offers, rescind, unload) and channel.c (GPADLs, open, close).
 *
 * Every handler copies the message into a zeroed local struct of the
 * expected type first (never reading the caller's buffer twice), checks
 * it completely, and only then changes state or calls back.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "port.h"
#include "channel.h"

#define DEF_GPADL_PAGES		8192u
#define DEF_TOTAL_PAGES		262144u
#define HDR_SIZE		((uint32_t)sizeof(struct vmbus_channel_message_header))
#define GPADL_HDR_SIZE		((uint32_t)sizeof(struct vmbus_channel_gpadl_header))
#define GPADL_BODY_SIZE		((uint32_t)sizeof(struct vmbus_channel_gpadl_body))

enum gpadl_state { GPADL_ASSEMBLING, GPADL_CREATED };

struct vmbus_gpadl {
	struct vmbus_gpadl_info info;
	enum gpadl_state state;
	bool in_use;		/* ring of an open channel */
	uint16_t rangecount;
	uint32_t buflen;	/* range_buflen announced */
	uint32_t received;	/* range bytes received so far */
	uint32_t pages;		/* pages charged against the limits */
	uint64_t buf[];		/* range stream; 8-aligned so PFNs are too */
};

/* Versions a guest may ask for, newest first (Linux 6.1's list). */
static const uint32_t versions[] = {
	VERSION_WIN10_V5_3, VERSION_WIN10_V5_2, VERSION_WIN10_V5_1,
	VERSION_WIN10_V5, VERSION_WIN10_V4_1, VERSION_WIN10,
	VERSION_WIN8_1, VERSION_WIN8,
};

static struct vmbus_server_channel *chan_get(struct vmbus_server *srv,
					     uint32_t relid)
{
	if (relid == 0 || relid > VMBUS_SERVER_MAX_CHANNELS ||
	    srv->chan[relid - 1].state == VMBUS_CHAN_FREE)
		return NULL;
	return &srv->chan[relid - 1];
}

static int send_msg(struct vmbus_server *srv, const void *msg, uint32_t len)
{
	return srv->ops->send(srv->ctx, srv->target_vcpu, msg, len);
}

static int send_hdr_only(struct vmbus_server *srv, uint32_t type)
{
	struct vmbus_channel_message_header h = { .msgtype = type };

	return send_msg(srv, &h, sizeof(h));
}

/* ---- GPADL table ---------------------------------------------------- */

static int gpadl_slot(const struct vmbus_server *srv, uint32_t handle)
{
	for (int i = 0; i < VMBUS_SERVER_MAX_GPADLS; i++)
		if (srv->gpadl[i] && srv->gpadl[i]->info.handle == handle)
			return i;
	return -1;
}

static void gpadl_free_slot(struct vmbus_server *srv, int slot)
{
	struct vmbus_gpadl *g = srv->gpadl[slot];

	srv->total_pages -= g->pages;
	srv->gpadl_count--;
	srv->gpadl[slot] = NULL;
	srv->ops->free(srv->ctx, g);
}

static void gpadl_free_all(struct vmbus_server *srv)
{
	for (int i = 0; i < VMBUS_SERVER_MAX_GPADLS; i++)
		if (srv->gpadl[i])
			gpadl_free_slot(srv, i);
}

static void gpadl_free_relid(struct vmbus_server *srv, uint32_t relid)
{
	for (int i = 0; i < VMBUS_SERVER_MAX_GPADLS; i++)
		if (srv->gpadl[i] && srv->gpadl[i]->info.relid == relid)
			gpadl_free_slot(srv, i);
}

/*
 * Parses the complete range stream into info.ranges.  The stream lives in
 * our own buffer, so it cannot change under us.
 */
static int gpadl_parse(struct vmbus_gpadl *g)
{
	const uint8_t *p = (const uint8_t *)g->buf;
	uint32_t off = 0, total = 0;

	for (uint32_t i = 0; i < g->rangecount; i++) {
		struct vmbus_gpadl_range *r = &g->info.ranges[i];
		uint32_t hdr[2];
		uint64_t pages;

		if (g->buflen - off < 8)
			return -EBADMSG;
		vmbus_memcpy(hdr, p + off, sizeof(hdr));
		r->byte_count = hdr[0];
		r->byte_offset = hdr[1];
		if (!r->byte_count || r->byte_offset >= VMBUS_PAGE_SIZE)
			return -EBADMSG;
		pages = ((uint64_t)r->byte_offset + r->byte_count +
			 VMBUS_PAGE_SIZE - 1) >> VMBUS_PAGE_SHIFT;
		off += 8;
		if (pages > (g->buflen - off) / 8)
			return -EBADMSG;
		r->page_count = (uint32_t)pages;
		r->pfns = (const uint64_t *)(p + off);
		for (uint32_t k = 0; k < r->page_count; k++)
			if (r->pfns[k] > VMBUS_GPADL_MAX_PFN)
				return -EBADMSG;
		off += r->page_count * 8;
		total += r->page_count;
	}
	if (off != g->buflen)
		return -EBADMSG;
	g->info.range_count = g->rangecount;
	g->info.page_count = total;
	return 0;
}

static int gpadl_reply(struct vmbus_server *srv, uint32_t relid, uint32_t handle,
		       uint32_t status)
{
	struct vmbus_channel_gpadl_created m = {
		.header.msgtype = CHANNELMSG_GPADL_CREATED,
		.child_relid = relid,
		.gpadl = handle,
		.creation_status = status,
	};

	return send_msg(srv, &m, sizeof(m));
}

/* All range bytes are in: parse, then answer GPADL_CREATED. */
static int gpadl_complete(struct vmbus_server *srv, int slot)
{
	struct vmbus_gpadl *g = srv->gpadl[slot];
	uint32_t relid = g->info.relid, handle = g->info.handle;
	int rc = gpadl_parse(g);

	if (rc) {
		/* Malformed ranges: the GPADL is refused as a whole. */
		gpadl_free_slot(srv, slot);
		gpadl_reply(srv, relid, handle, VMBUS_STATUS_INVALID_PARAMETER);
		return rc;
	}
	g->state = GPADL_CREATED;
	return gpadl_reply(srv, relid, handle, VMBUS_STATUS_SUCCESS);
}

/* Append n range bytes (checked to fit) and complete the GPADL when full. */
static int gpadl_append(struct vmbus_server *srv, int slot, const uint8_t *src,
			uint32_t n)
{
	struct vmbus_gpadl *g = srv->gpadl[slot];

	vmbus_memcpy((uint8_t *)g->buf + g->received, src, n);
	g->received += n;
	if (g->received == g->buflen)
		return gpadl_complete(srv, slot);
	return 0;
}

static int handle_gpadl_header(struct vmbus_server *srv, const uint8_t *msg,
			       uint32_t len)
{
	struct vmbus_channel_gpadl_header m;
	struct vmbus_server_channel *ch;
	struct vmbus_gpadl *g;
	uint32_t first, pages;
	int slot;

	if (len < GPADL_HDR_SIZE + 8)
		return -EBADMSG;
	vmbus_memcpy(&m, msg, GPADL_HDR_SIZE);
	first = len - GPADL_HDR_SIZE;
	if (!m.gpadl || !m.rangecount || m.rangecount > VMBUS_GPADL_MAX_RANGES ||
	    m.range_buflen < 16u * m.rangecount || (m.range_buflen & 7) ||
	    (first & 7) || first > m.range_buflen)
		return -EBADMSG;
	ch = chan_get(srv, m.child_relid);
	if (!ch || ch->state == VMBUS_CHAN_PENDING ||
	    ch->state == VMBUS_CHAN_RESCINDED)
		return -ENOENT;
	if (gpadl_slot(srv, m.gpadl) >= 0)
		return -EEXIST;

	/* Upper bound of pages: every range has an 8-byte header. */
	pages = m.range_buflen / 8 - m.rangecount;
	if (pages > srv->limits.max_gpadl_pages ||
	    srv->gpadl_count >= srv->limits.max_gpadls ||
	    pages > srv->limits.max_total_pages - srv->total_pages) {
		gpadl_reply(srv, m.child_relid, m.gpadl, VMBUS_STATUS_NO_MEMORY);
		return -ENOSPC;
	}
	slot = -1;
	for (int i = 0; i < VMBUS_SERVER_MAX_GPADLS && slot < 0; i++)
		if (!srv->gpadl[i])
			slot = i;
	g = srv->ops->alloc(srv->ctx, sizeof(*g) + m.range_buflen);
	if (!g || slot < 0) {
		if (g)
			srv->ops->free(srv->ctx, g);
		gpadl_reply(srv, m.child_relid, m.gpadl, VMBUS_STATUS_NO_MEMORY);
		return -ENOMEM;
	}
	vmbus_memset(g, 0, sizeof(*g));
	g->info.handle = m.gpadl;
	g->info.relid = m.child_relid;
	g->state = GPADL_ASSEMBLING;
	g->rangecount = m.rangecount;
	g->buflen = m.range_buflen;
	g->pages = pages;
	srv->gpadl[slot] = g;
	srv->gpadl_count++;
	srv->total_pages += pages;
	return gpadl_append(srv, slot, msg + GPADL_HDR_SIZE, first);
}

static int handle_gpadl_body(struct vmbus_server *srv, const uint8_t *msg,
			     uint32_t len)
{
	struct vmbus_channel_gpadl_body m;
	struct vmbus_gpadl *g;
	uint32_t n;
	int slot;

	if (len < GPADL_BODY_SIZE + 8 || ((len - GPADL_BODY_SIZE) & 7))
		return -EBADMSG;
	vmbus_memcpy(&m, msg, GPADL_BODY_SIZE);
	/* msgnumber is not filled in by Linux: not checked. */
	slot = gpadl_slot(srv, m.gpadl);
	if (slot < 0)
		return -ENOENT;
	g = srv->gpadl[slot];
	if (g->state != GPADL_ASSEMBLING)
		return -EBUSY;
	n = len - GPADL_BODY_SIZE;
	if (n > g->buflen - g->received)
		return -E2BIG;
	return gpadl_append(srv, slot, msg + GPADL_BODY_SIZE, n);
}

static int handle_gpadl_teardown(struct vmbus_server *srv, const uint8_t *msg,
				 uint32_t len)
{
	struct vmbus_channel_gpadl_teardown m;
	struct vmbus_channel_gpadl_torndown r = {
		.header.msgtype = CHANNELMSG_GPADL_TORNDOWN,
	};
	struct vmbus_gpadl *g;
	int slot, rc;

	if (len < sizeof(m))
		return -EBADMSG;
	vmbus_memcpy(&m, msg, sizeof(m));
	slot = gpadl_slot(srv, m.gpadl);
	if (slot < 0 || srv->gpadl[slot]->info.relid != m.child_relid)
		return -ENOENT;
	g = srv->gpadl[slot];
	if (g->in_use)
		return -EBUSY;
	if (g->state == GPADL_CREATED && srv->ops->gpadl_teardown) {
		rc = srv->ops->gpadl_teardown(srv->ctx, &g->info);
		if (rc)
			return rc;
	}
	gpadl_free_slot(srv, slot);
	r.gpadl = m.gpadl;
	return send_msg(srv, &r, sizeof(r));
}

/* ---- Channels -------------------------------------------------------- */

_Static_assert(offsetof(struct vmbus_channel_open_channel, child_relid) == HDR_SIZE, "relid");
_Static_assert(offsetof(struct vmbus_channel_close_channel, child_relid) == HDR_SIZE, "relid");
_Static_assert(offsetof(struct vmbus_channel_relid_released, child_relid) == HDR_SIZE, "relid");
_Static_assert(offsetof(struct vmbus_channel_modifychannel, child_relid) == HDR_SIZE, "relid");

/*
 * Copies a message whose first field after the header is child_relid
 * (open, close, relid released, modify) into *m (size bytes) and finds
 * the channel.  Return: 0, -EBADMSG if short, -ENOENT if unknown.
 */
static int copy_chan_msg(struct vmbus_server *srv, const uint8_t *msg,
			 uint32_t len, void *m, uint32_t size,
			 struct vmbus_server_channel **ch)
{
	uint32_t relid;

	if (len < size)
		return -EBADMSG;
	vmbus_memcpy(m, msg, size);
	vmbus_memcpy(&relid, (const uint8_t *)m + HDR_SIZE, sizeof(relid));
	*ch = chan_get(srv, relid);
	return *ch ? 0 : -ENOENT;
}

static int send_offer(struct vmbus_server *srv, struct vmbus_server_channel *ch)
{
	int rc = send_msg(srv, &ch->offer, sizeof(ch->offer));

	if (!rc)
		ch->state = VMBUS_CHAN_OFFERED;
	return rc;
}

static void chan_close(struct vmbus_server *srv, struct vmbus_server_channel *ch,
		       uint32_t relid)
{
	int slot = gpadl_slot(srv, ch->ring_gpadl);

	srv->ops->close(srv->ctx, relid);
	if (slot >= 0)
		srv->gpadl[slot]->in_use = false;
	ch->ring_gpadl = 0;
}

static int open_result(struct vmbus_server *srv, uint32_t relid,
		       uint32_t openid, uint32_t status)
{
	struct vmbus_channel_open_result r = {
		.header.msgtype = CHANNELMSG_OPENCHANNEL_RESULT,
		.child_relid = relid,
		.openid = openid,
		.status = status,
	};

	return send_msg(srv, &r, sizeof(r));
}

/* The ring GPADL: one range from offset 0, both rings with a header page
 * and at least one data page. */
static bool ring_layout_ok(const struct vmbus_gpadl *g, uint32_t relid,
			   uint32_t down)
{
	const struct vmbus_gpadl_range *r = &g->info.ranges[0];

	return g->state == GPADL_CREATED && !g->in_use &&
	       g->info.relid == relid && g->info.range_count == 1 &&
	       r->byte_offset == 0 && (r->byte_count & (VMBUS_PAGE_SIZE - 1)) == 0 &&
	       down >= 2 && down <= r->page_count - 2 && r->page_count >= 4;
}

static int handle_open(struct vmbus_server *srv, const uint8_t *msg, uint32_t len)
{
	struct vmbus_channel_open_channel m;
	struct vmbus_server_channel *ch;
	struct vmbus_open_request req;
	struct vmbus_gpadl *g;
	int slot, rc;

	rc = copy_chan_msg(srv, msg, len, &m, sizeof(m), &ch);
	if (rc)
		return rc;
	if (ch->state == VMBUS_CHAN_PENDING || ch->state == VMBUS_CHAN_RESCINDED)
		return -ENOENT;
	if (ch->state == VMBUS_CHAN_OPEN) {
		open_result(srv, m.child_relid, m.openid, VMBUS_STATUS_DEVICE_BUSY);
		return -EBUSY;
	}
	slot = gpadl_slot(srv, m.ringbuffer_gpadlhandle);
	g = slot >= 0 ? srv->gpadl[slot] : NULL;
	if (!g || !ring_layout_ok(g, m.child_relid,
				  m.downstream_ringbuffer_pageoffset)) {
		open_result(srv, m.child_relid, m.openid,
			    VMBUS_STATUS_INVALID_PARAMETER);
		return -EINVAL;
	}
	req = (struct vmbus_open_request){
		.relid = m.child_relid,
		.openid = m.openid,
		.target_vp = m.target_vp,
		.downstream_page = m.downstream_ringbuffer_pageoffset,
		.gpadl = &g->info,
		.userdata = m.userdata,
	};
	rc = srv->ops->open(srv->ctx, &req);
	if (rc) {
		open_result(srv, m.child_relid, m.openid, VMBUS_STATUS_UNSUCCESSFUL);
		return rc;
	}
	g->in_use = true;
	ch->state = VMBUS_CHAN_OPEN;
	ch->ring_gpadl = m.ringbuffer_gpadlhandle;
	ch->target_vp = m.target_vp;
	return open_result(srv, m.child_relid, m.openid, VMBUS_STATUS_SUCCESS);
}

static int handle_close(struct vmbus_server *srv, const uint8_t *msg, uint32_t len)
{
	struct vmbus_channel_close_channel m;
	struct vmbus_server_channel *ch;
	int rc = copy_chan_msg(srv, msg, len, &m, sizeof(m), &ch);

	if (rc)
		return rc;
	/* Linux still closes a rescinded channel; it is closed already. */
	if (ch->state == VMBUS_CHAN_RESCINDED)
		return 0;
	if (ch->state != VMBUS_CHAN_OPEN)
		return -EBUSY;
	chan_close(srv, ch, m.child_relid);
	ch->state = VMBUS_CHAN_OFFERED;
	return 0;
}

static int handle_relid_released(struct vmbus_server *srv, const uint8_t *msg,
				 uint32_t len)
{
	struct vmbus_channel_relid_released m;
	struct vmbus_server_channel *ch;
	int rc = copy_chan_msg(srv, msg, len, &m, sizeof(m), &ch);

	if (rc)
		return rc;
	if (ch->state != VMBUS_CHAN_RESCINDED)
		return -EBUSY;
	gpadl_free_relid(srv, m.child_relid);
	vmbus_memset(ch, 0, sizeof(*ch));
	return 0;
}

static int handle_modify(struct vmbus_server *srv, const uint8_t *msg, uint32_t len)
{
	struct vmbus_channel_modifychannel m;
	struct vmbus_channel_modifychannel_response r = {
		.header.msgtype = CHANNELMSG_MODIFYCHANNEL_RESPONSE,
	};
	struct vmbus_server_channel *ch;
	int rc;

	if (srv->version < VERSION_WIN10_V4_1)
		return -EOPNOTSUPP;
	rc = copy_chan_msg(srv, msg, len, &m, sizeof(m), &ch);
	if (rc)
		return rc;
	if (ch->state != VMBUS_CHAN_OPEN)
		return -EBUSY;
	ch->target_vp = m.target_vp;
	if (srv->ops->modify)
		srv->ops->modify(srv->ctx, m.child_relid, m.target_vp);
	if (srv->version < VERSION_WIN10_V5_3)
		return 0;
	r.child_relid = m.child_relid;
	return send_msg(srv, &r, sizeof(r));
}

/* ---- Connection ------------------------------------------------------ */

static bool version_known(uint32_t v, uint32_t max)
{
	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++)
		if (versions[i] == v)
			return v <= max;
	return false;
}

static int version_reply(struct vmbus_server *srv, uint32_t target_vp,
			 bool ok, uint32_t conn_id)
{
	struct vmbus_channel_version_response r = {
		.header.msgtype = CHANNELMSG_VERSION_RESPONSE,
		.version_supported = ok,
		.connection_state = VMBUS_CONNECTION_SUCCESSFUL,
		.msg_conn_id = conn_id,
	};

	return srv->ops->send(srv->ctx, target_vp, &r, sizeof(r));
}

static int handle_initiate(struct vmbus_server *srv, uint32_t conn_id,
			   const uint8_t *msg, uint32_t len)
{
	struct vmbus_channel_initiate_contact m;
	uint32_t v, want_conn;
	bool ok;

	if (len < sizeof(m))
		return -EBADMSG;
	vmbus_memcpy(&m, msg, sizeof(m));
	v = m.vmbus_version_requested;
	if (srv->conn != VMBUS_CONN_DISCONNECTED) {
		/* Refuse rather than stay silent: the guest waits forever. */
		version_reply(srv, m.target_vcpu, false, 0);
		return -EALREADY;
	}
	/* From 5.0 on INITIATE_CONTACT goes to connection 4, before to 1;
	 * 5.0+ also names the SINT (Linux: 2) and VTL (0) in the union. */
	want_conn = v >= VERSION_WIN10_V5 ? VMBUS_MESSAGE_CONNECTION_ID_4 :
					    VMBUS_MESSAGE_CONNECTION_ID;
	ok = version_known(v, srv->limits.max_version) && conn_id == want_conn &&
	     (v < VERSION_WIN10_V5 || (m.msg_sint && m.msg_sint < 16 && !m.msg_vtl));
	if (!ok)
		return version_reply(srv, m.target_vcpu, false, 0);

	srv->target_vcpu = m.target_vcpu;
	srv->version = v;
	srv->msg_conn_id = want_conn;
	srv->msg_sint = v >= VERSION_WIN10_V5 ? m.msg_sint : VMBUS_MESSAGE_SINT;
	srv->interrupt_page = v >= VERSION_WIN10_V5 ? 0 : m.interrupt_page;
	srv->monitor_page[0] = m.monitor_page1;
	srv->monitor_page[1] = m.monitor_page2;
	srv->conn = VMBUS_CONN_CONNECTED;
	return version_reply(srv, m.target_vcpu, true,
			     v >= VERSION_WIN10_V5 ? want_conn : 0);
}

static int handle_request_offers(struct vmbus_server *srv)
{
	int rc;

	if (srv->conn == VMBUS_CONN_OFFERS_SENT)
		return -EALREADY;
	srv->conn = VMBUS_CONN_OFFERS_SENT;
	for (int i = 0; i < VMBUS_SERVER_MAX_CHANNELS; i++) {
		if (srv->chan[i].state != VMBUS_CHAN_PENDING)
			continue;
		rc = send_offer(srv, &srv->chan[i]);
		if (rc)
			return rc;
	}
	return send_hdr_only(srv, CHANNELMSG_ALLOFFERS_DELIVERED);
}

/* Back to the state before INITIATE_CONTACT; devices stay registered. */
static void disconnect(struct vmbus_server *srv)
{
	for (uint32_t i = 0; i < VMBUS_SERVER_MAX_CHANNELS; i++) {
		struct vmbus_server_channel *ch = &srv->chan[i];

		if (ch->state == VMBUS_CHAN_OPEN)
			chan_close(srv, ch, i + 1);
		if (ch->state == VMBUS_CHAN_RESCINDED)
			vmbus_memset(ch, 0, sizeof(*ch));
		else if (ch->state != VMBUS_CHAN_FREE)
			ch->state = VMBUS_CHAN_PENDING;
	}
	gpadl_free_all(srv);
	srv->conn = VMBUS_CONN_DISCONNECTED;
	srv->version = 0;
}

static int handle_unload(struct vmbus_server *srv)
{
	uint32_t vp = srv->target_vcpu;
	struct vmbus_channel_message_header r = {
		.msgtype = CHANNELMSG_UNLOAD_RESPONSE,
	};

	disconnect(srv);
	return srv->ops->send(srv->ctx, vp, &r, sizeof(r));
}

int vmbus_server_handle_message(struct vmbus_server *srv, uint32_t conn_id,
				const void *msg, uint32_t len)
{
	struct vmbus_channel_message_header h;
	const uint8_t *p = msg;

	if (!srv || (!msg && len))
		return -EINVAL;
	if (len > VMBUS_MAX_MSG_SIZE)
		return -EMSGSIZE;
	if (len < HDR_SIZE)
		return -EBADMSG;
	vmbus_memcpy(&h, p, sizeof(h));

	if (h.msgtype == CHANNELMSG_INITIATE_CONTACT)
		return handle_initiate(srv, conn_id, p, len);
	if (h.msgtype == CHANNELMSG_INVALID || h.msgtype >= CHANNELMSG_COUNT)
		return -EOPNOTSUPP;
	if (srv->conn == VMBUS_CONN_DISCONNECTED)
		return -ENOTCONN;
	if (conn_id != srv->msg_conn_id)
		return -EPERM;

	switch (h.msgtype) {
	case CHANNELMSG_REQUESTOFFERS:
		return handle_request_offers(srv);
	case CHANNELMSG_OPENCHANNEL:
		return handle_open(srv, p, len);
	case CHANNELMSG_CLOSECHANNEL:
		return handle_close(srv, p, len);
	case CHANNELMSG_GPADL_HEADER:
		return handle_gpadl_header(srv, p, len);
	case CHANNELMSG_GPADL_BODY:
		return handle_gpadl_body(srv, p, len);
	case CHANNELMSG_GPADL_TEARDOWN:
		return handle_gpadl_teardown(srv, p, len);
	case CHANNELMSG_RELID_RELEASED:
		return handle_relid_released(srv, p, len);
	case CHANNELMSG_UNLOAD:
		return handle_unload(srv);
	case CHANNELMSG_MODIFYCHANNEL:
		return handle_modify(srv, p, len);
	default:
		/* Host -> guest types, hv_sock (TL_CONNECT_REQUEST)... */
		return -EOPNOTSUPP;
	}
}

/* ---- Owner API ------------------------------------------------------- */

int vmbus_server_init(struct vmbus_server *srv, const struct vmbus_server_ops *ops,
		      void *ctx, const struct vmbus_server_limits *limits)
{
	struct vmbus_server_limits l = { 0 };

	if (!srv || !ops || !ops->send || !ops->alloc || !ops->free ||
	    !ops->open || !ops->close)
		return -EINVAL;
	if (limits)
		l = *limits;
	if (!l.max_gpadls)
		l.max_gpadls = VMBUS_SERVER_MAX_GPADLS;
	if (!l.max_gpadl_pages)
		l.max_gpadl_pages = DEF_GPADL_PAGES;
	if (!l.max_total_pages)
		l.max_total_pages = DEF_TOTAL_PAGES;
	if (!l.max_version)
		l.max_version = VERSION_WIN10_V5_3;
	if (l.max_gpadls > VMBUS_SERVER_MAX_GPADLS)
		return -EINVAL;
	vmbus_memset(srv, 0, sizeof(*srv));
	srv->ops = ops;
	srv->ctx = ctx;
	srv->limits = l;
	return 0;
}

void vmbus_server_fini(struct vmbus_server *srv)
{
	disconnect(srv);
}

int vmbus_server_add_channel(struct vmbus_server *srv,
			     const struct vmbus_offer_params *pr)
{
	struct vmbus_server_channel *ch = NULL;
	struct vmbus_channel_offer_channel *o;
	uint32_t relid = 0;
	int rc;

	if (!srv || !pr || !pr->connection_id)
		return -EINVAL;
	for (uint32_t i = 0; i < VMBUS_SERVER_MAX_CHANNELS && !ch; i++) {
		if (srv->chan[i].state == VMBUS_CHAN_FREE) {
			ch = &srv->chan[i];
			relid = i + 1;
		}
	}
	if (!ch)
		return -ENOSPC;
	vmbus_memset(ch, 0, sizeof(*ch));
	o = &ch->offer;
	o->header.msgtype = CHANNELMSG_OFFERCHANNEL;
	o->offer.if_type = pr->if_type;
	o->offer.if_instance = pr->if_instance;
	o->offer.chn_flags = pr->chn_flags;
	o->offer.mmio_megabytes = pr->mmio_megabytes;
	vmbus_memcpy(o->offer.user_def, pr->user_def, sizeof(o->offer.user_def));
	o->offer.sub_channel_index = pr->sub_channel_index;
	o->child_relid = relid;
	/* No monitor pages: the guest always uses HvSignalEvent. */
	o->monitor_allocated = 0;
	o->is_dedicated_interrupt = pr->dedicated_interrupt ? 1 : 0;
	o->connection_id = pr->connection_id;
	ch->state = VMBUS_CHAN_PENDING;
	if (srv->conn == VMBUS_CONN_OFFERS_SENT) {
		rc = send_offer(srv, ch);
		if (rc) {
			ch->state = VMBUS_CHAN_FREE;
			return rc;
		}
	}
	return (int)relid;
}

int vmbus_server_rescind(struct vmbus_server *srv, uint32_t relid)
{
	struct vmbus_channel_rescind_offer m = {
		.header.msgtype = CHANNELMSG_RESCIND_CHANNELOFFER,
		.child_relid = relid,
	};
	struct vmbus_server_channel *ch = srv ? chan_get(srv, relid) : NULL;

	if (!ch)
		return -ENOENT;
	if (ch->state == VMBUS_CHAN_RESCINDED)
		return -EALREADY;
	if (ch->state == VMBUS_CHAN_PENDING) {
		vmbus_memset(ch, 0, sizeof(*ch));
		return 0;
	}
	if (ch->state == VMBUS_CHAN_OPEN)
		chan_close(srv, ch, relid);
	ch->state = VMBUS_CHAN_RESCINDED;
	return send_msg(srv, &m, sizeof(m));
}

uint32_t vmbus_server_version(const struct vmbus_server *srv)
{
	return srv->conn == VMBUS_CONN_DISCONNECTED ? 0 : srv->version;
}

enum vmbus_conn_state vmbus_server_conn_state(const struct vmbus_server *srv)
{
	return srv->conn;
}

enum vmbus_chan_state vmbus_server_channel_state(const struct vmbus_server *srv,
						 uint32_t relid)
{
	if (relid == 0 || relid > VMBUS_SERVER_MAX_CHANNELS)
		return VMBUS_CHAN_FREE;
	return srv->chan[relid - 1].state;
}

const struct vmbus_gpadl_info *vmbus_server_find_gpadl(const struct vmbus_server *srv,
							uint32_t relid, uint32_t handle)
{
	int slot = gpadl_slot(srv, handle);
	const struct vmbus_gpadl *g = slot >= 0 ? srv->gpadl[slot] : NULL;

	if (!g || g->state != GPADL_CREATED || g->info.relid != relid)
		return NULL;
	return &g->info;
}

uint32_t vmbus_server_gpadl_count(const struct vmbus_server *srv)
{
	return srv->gpadl_count;
}
