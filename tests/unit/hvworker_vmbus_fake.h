/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fake transport and fake Linux guest for the vmbus_host / IC suites.
 *
 * The transport is a SynIC in miniature: connect() records ids, post()
 * fills the guest's SINT2 message inbox (or says -EAGAIN while the test
 * holds the slot busy), signal() sets SIEF bits, wait() hands out what
 * the guest posted or signalled and otherwise lets simulated time pass.
 *
 * The guest plays Linux 6.1's drivers/hv byte for byte: INITIATE_CONTACT
 * from 5.3 down (connection id 4 from 5.0, else 1), REQUESTOFFERS, GPADLs
 * built as create_gpadl_header() builds them (26 PFNs in the header, 28
 * per body), OPENCHANNEL with the downstream page offset, real rings
 * (vmbus/ring.c) in its RAM, and hv_utils' IC answers
 * (vmbus_prep_negotiate_resp ported as is, heartbeat, shutdown,
 * timesync, KVP with a daemon table).
 */
#ifndef HVWORKER_VMBUS_FAKE_H
#define HVWORKER_VMBUS_FAKE_H

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "guest.h"
#include "ic.h"
#include "ic_wire.h"
#include "ring.h"
#include "vmbus_host.h"

#define FG_RAM		(64ull << 20)
#define FG_EVQ		16384
#define FG_INBOX	1024
#define FG_CHANS	16
#define FG_LOGS		64
#define FG_NR_VPS	2
#define FG_INT_PAGE	0x100000ull
#define FG_MON1		0x101000ull
#define FG_MON2		0x102000ull
#define FG_RING_BASE	0x200000ull	/* rings from 2 MiB */
#define HV_STATUS_INVALID_CONNECTION_ID_ 18

struct fg_msg {
	uint32_t vp, type, len;
	uint8_t data[VMBUS_MAX_MSG_SIZE];
};

struct fg_chan {
	uint32_t relid, conn_id;
	struct vmbus_guid type;
	uint8_t monitor_allocated;
	bool opened;
	uint64_t gpa;
	uint32_t pages, down, gpadl;
	struct vmbus_ring out;	/* guest -> host (guest writes) */
	struct vmbus_ring in;	/* host -> guest (guest reads) */
	/* hv_utils state */
	uint32_t fw, srv;	/* negotiated */
	bool mute;		/* don't answer (hung guest) */
	uint64_t packets;
	uint8_t last[8192];	/* last IC request as received */
	uint32_t last_len;
	uint64_t last_trans;
	uint16_t last_pkt_flags;
};

struct fake {
	/* transport */
	struct vmbus_host_event *evq;
	int ev_head, ev_count;
	uint32_t conn_msg[8], conn_event[32];
	int nconn_msg, nconn_event;
	struct fg_msg inbox[FG_INBOX];
	int in_head, in_count;
	bool slot_busy;
	int post_err;
	uint64_t sief[FG_NR_VPS][32];	/* 2048 bits per VP */
	uint64_t signals, posts, busy_posts;
	bool kicked;
	/* clocks */
	uint64_t now_ms, utc;
	bool have_ref;
	uint64_t ref;
	struct vmbus_host_clock clock;
	/* log */
	char logs[FG_LOGS][256];
	int nlogs;
	/* guest */
	uint8_t *ram;
	struct guest_mem mem;
	uint64_t next_gpa;
	uint32_t gpadl_next;
	uint32_t version, msg_conn;
	struct fg_chan ch[FG_CHANS];
	int nch;
	bool offers_done;
	/* hv_utils and the daemon */
	bool kvp_daemon;
	const char *const *kvp_keys;
	const char *const *kvp_values;
	int kvp_n;
	uint32_t shutdown_flags[8];
	int shutdowns;
	uint64_t ts_parent, ts_ref;
	uint8_t ts_flags;
	uint32_t ts_len;
	int ts_count;
	struct vmbus_host *h;
	struct vmbus_transport_ops ops;
	struct vmbus_host_config cfg;
};

/* ---- transport ---- */

static int ft_connect(void *ctx, uint32_t id, enum vmbus_conn_kind kind)
{
	struct fake *f = ctx;

	if (kind == VMBUS_CONN_MESSAGE)
		f->conn_msg[f->nconn_msg++] = id;
	else
		f->conn_event[f->nconn_event++] = id;
	return 0;
}

static int ft_post(void *ctx, uint32_t vp, uint32_t sint, uint32_t type,
		   const void *p, uint32_t len)
{
	struct fake *f = ctx;
	struct fg_msg *m;

	ck_assert_uint_eq(sint, 2);
	ck_assert_uint_eq(type, 1);
	ck_assert_uint_le(len, VMBUS_MAX_MSG_SIZE);
	ck_assert_uint_lt(vp, FG_NR_VPS);
	if (f->post_err)
		return f->post_err;
	if (f->slot_busy || f->in_count == FG_INBOX) {
		f->busy_posts++;
		return -EAGAIN;
	}
	m = &f->inbox[(f->in_head + f->in_count++) % FG_INBOX];
	m->vp = vp;
	m->type = type;
	m->len = len;
	memcpy(m->data, p, len);
	f->posts++;
	return 0;
}

static int ft_signal(void *ctx, uint32_t vp, uint32_t sint, uint32_t flag)
{
	struct fake *f = ctx;

	ck_assert_uint_eq(sint, 2);
	ck_assert_uint_lt(vp, FG_NR_VPS);
	ck_assert_uint_lt(flag, 2048);
	f->sief[vp][flag / 64] |= 1ull << (flag % 64);
	f->signals++;
	return 0;
}

static int ft_wait(void *ctx, struct vmbus_host_event *ev, int timeout_ms)
{
	struct fake *f = ctx;

	if (f->ev_count) {
		*ev = f->evq[f->ev_head];
		f->ev_head = (f->ev_head + 1) % FG_EVQ;
		f->ev_count--;
		return 0;
	}
	if (f->kicked) {
		f->kicked = false;
		return -EINTR;
	}
	f->now_ms += (uint64_t)timeout_ms;	/* simulated time passes */
	f->utc += (uint64_t)timeout_ms * 10000;
	return -ETIMEDOUT;
}

static void ft_kick(void *ctx)
{
	((struct fake *)ctx)->kicked = true;
}

static int ft_ref_time(void *ctx, uint64_t *ref)
{
	struct fake *f = ctx;

	*ref = f->ref + f->now_ms * 10000;
	return 0;
}

static uint64_t fc_mono(void *ctx)
{
	return ((struct fake *)ctx)->now_ms;
}

static uint64_t fc_utc(void *ctx)
{
	return ((struct fake *)ctx)->utc;
}

static void fl_log(void *ctx, const char *line)
{
	struct fake *f = ctx;

	snprintf(f->logs[f->nlogs % FG_LOGS], sizeof(f->logs[0]), "%s", line);
	f->nlogs++;
}

static bool fg_logged(struct fake *f, const char *what)
{
	int first = f->nlogs > FG_LOGS ? f->nlogs - FG_LOGS : 0;

	for (int i = first; i < f->nlogs; i++)
		if (strstr(f->logs[i % FG_LOGS], what))
			return true;
	return false;
}

/* ---- setup ---- */

/* cfg.poll_us of the hosts fg_create() makes next (0: no polling). */
static uint32_t fg_poll_us;

/* A host that is not started yet (devices can still be added). */
static struct fake *fg_create(uint32_t services, uint32_t max_version, bool ref)
{
	struct fake *f = calloc(1, sizeof(*f));

	ck_assert_ptr_nonnull(f);
	f->evq = calloc(FG_EVQ, sizeof(*f->evq));
	ck_assert_ptr_nonnull(f->evq);
	f->ram = mmap(NULL, FG_RAM, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ck_assert(f->ram != MAP_FAILED);
	ck_assert_int_eq(guest_mem_init(&f->mem, f->ram, FG_RAM), 0);
	f->next_gpa = FG_RING_BASE;
	f->gpadl_next = 0xE1E10;
	f->now_ms = 1000000;
	f->utc = 133000000000000000ull;	/* 2022 */
	f->have_ref = ref;
	f->ref = 5000000;
	f->clock = (struct vmbus_host_clock){ fc_mono, fc_utc, f };
	f->ops = (struct vmbus_transport_ops){
		.connect = ft_connect, .post = ft_post, .signal = ft_signal,
		.wait = ft_wait, .kick = ft_kick,
		.ref_time = ref ? ft_ref_time : NULL,
	};
	f->cfg = (struct vmbus_host_config){
		.ops = &f->ops, .ctx = f, .mem = &f->mem, .nr_vps = FG_NR_VPS,
		.services = services, .clock = &f->clock, .log = fl_log,
		.log_ctx = f, .limits.max_version = max_version,
		.poll_us = fg_poll_us,
	};
	f->h = vmbus_host_create(&f->cfg);
	ck_assert_ptr_nonnull(f->h);
	return f;
}

static struct fake *fg_new(uint32_t services, uint32_t max_version, bool ref)
{
	struct fake *f = fg_create(services, max_version, ref);

	ck_assert_int_eq(vmbus_host_start(f->h), 0);
	return f;
}

static void fg_free(struct fake *f)
{
	vmbus_host_destroy(f->h);
	munmap(f->ram, FG_RAM);
	free(f->evq);
	free(f);
}

/* ---- guest -> host ---- */

static bool fg_connected(const uint32_t *ids, int n, uint32_t id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static void fg_push(struct fake *f, const struct vmbus_host_event *ev)
{
	ck_assert_int_lt(f->ev_count, FG_EVQ);
	f->evq[(f->ev_head + f->ev_count++) % FG_EVQ] = *ev;
}

/* HvPostMessage: 0 or the hv status (18 for an unknown connection). */
static int fg_post_type(struct fake *f, uint32_t conn, uint32_t type,
			const void *p, uint32_t len)
{
	struct vmbus_host_event ev = {
		.type = VMBUS_HOST_EV_MESSAGE, .conn_id = conn,
		.msg_type = type, .len = len,
	};

	if (!fg_connected(f->conn_msg, f->nconn_msg, conn))
		return HV_STATUS_INVALID_CONNECTION_ID_;
	memcpy(ev.payload, p, len > sizeof(ev.payload) ? sizeof(ev.payload) : len);
	fg_push(f, &ev);
	return 0;
}

static int fg_post(struct fake *f, uint32_t conn, const void *p, uint32_t len)
{
	return fg_post_type(f, conn, 1, p, len);
}

static void fg_signal_host(struct fake *f, uint32_t conn)
{
	struct vmbus_host_event ev = { .type = VMBUS_HOST_EV_SIGNAL, .conn_id = conn };

	if (fg_connected(f->conn_event, f->nconn_event, conn))
		fg_push(f, &ev);
}

/* Let the host work until it has nothing queued from the guest. */
static void fg_pump(struct fake *f)
{
	int guard = 0;

	int rc;

	do {
		rc = vmbus_host_poll(f->h, 0);
		ck_assert(rc >= 0 || rc == -EINTR);
	} while (f->ev_count && guard++ < FG_EVQ * 2);
}

/* Read the next host message (the guest's tasklet + EOM). */
static bool fg_take(struct fake *f, struct fg_msg *m)
{
	if (!f->in_count)
		return false;
	*m = f->inbox[f->in_head];
	f->in_head = (f->in_head + 1) % FG_INBOX;
	f->in_count--;
	return true;
}

static uint32_t fg_msgtype(const struct fg_msg *m)
{
	uint32_t t;

	memcpy(&t, m->data, sizeof(t));
	return t;
}

static void fg_expect(struct fake *f, uint32_t type, void *out, uint32_t len)
{
	struct fg_msg m;

	ck_assert_msg(fg_take(f, &m), "no message, wanted type %u", type);
	ck_assert_uint_eq(fg_msgtype(&m), type);
	ck_assert_uint_ge(m.len, len);
	if (out)
		memcpy(out, m.data, len);
}

/* ---- Linux's vmbus_connect() / vmbus_negotiate_version() ---- */

static const uint32_t fg_versions[] = {
	VERSION_WIN10_V5_3, VERSION_WIN10_V5_2, VERSION_WIN10_V5_1,
	VERSION_WIN10_V5, VERSION_WIN10_V4_1, VERSION_WIN10,
	VERSION_WIN8_1, VERSION_WIN8,
};

static int fg_try_version(struct fake *f, uint32_t v)
{
	struct vmbus_channel_initiate_contact m;
	struct vmbus_channel_version_response r;
	uint32_t conn;
	int st;

	memset(&m, 0, sizeof(m));
	m.header.msgtype = CHANNELMSG_INITIATE_CONTACT;
	m.vmbus_version_requested = v;
	m.target_vcpu = 0;
	if (v >= VERSION_WIN10_V5) {
		m.msg_sint = VMBUS_MESSAGE_SINT;
		m.msg_vtl = 0;
		conn = VMBUS_MESSAGE_CONNECTION_ID_4;
	} else {
		m.interrupt_page = FG_INT_PAGE;
		conn = VMBUS_MESSAGE_CONNECTION_ID;
	}
	m.monitor_page1 = FG_MON1;
	m.monitor_page2 = FG_MON2;
	st = fg_post(f, conn, &m, sizeof(m));
	if (st)
		return -st;
	fg_pump(f);
	fg_expect(f, CHANNELMSG_VERSION_RESPONSE, &r, sizeof(r));
	if (!r.version_supported)
		return 0;
	f->version = v;
	f->msg_conn = v >= VERSION_WIN10_V5 ? r.msg_conn_id : VMBUS_MESSAGE_CONNECTION_ID;
	return 1;
}

static uint32_t fg_connect(struct fake *f)
{
	for (size_t i = 0; i < sizeof(fg_versions) / sizeof(fg_versions[0]); i++)
		if (fg_try_version(f, fg_versions[i]) == 1)
			return f->version;
	return 0;
}

static struct fg_chan *fg_chan_by_type(struct fake *f, struct vmbus_guid type)
{
	for (int i = 0; i < f->nch; i++)
		if (!memcmp(&f->ch[i].type, &type, sizeof(type)))
			return &f->ch[i];
	return NULL;
}

/* REQUESTOFFERS, then offers until ALLOFFERS_DELIVERED; offer count. */
static int fg_request_offers(struct fake *f)
{
	struct vmbus_channel_message_header m = { .msgtype = CHANNELMSG_REQUESTOFFERS };
	struct fg_msg r;

	ck_assert_int_eq(fg_post(f, f->msg_conn, &m, sizeof(m)), 0);
	fg_pump(f);
	f->nch = 0;
	while (fg_take(f, &r)) {
		struct vmbus_channel_offer_channel o;

		if (fg_msgtype(&r) == CHANNELMSG_ALLOFFERS_DELIVERED) {
			f->offers_done = true;
			break;
		}
		ck_assert_uint_eq(fg_msgtype(&r), CHANNELMSG_OFFERCHANNEL);
		ck_assert_uint_ge(r.len, 196);
		memcpy(&o, r.data, sizeof(o));
		ck_assert_int_lt(f->nch, FG_CHANS);
		f->ch[f->nch].relid = o.child_relid;
		f->ch[f->nch].conn_id = o.connection_id;
		f->ch[f->nch].type = o.offer.if_type;
		f->ch[f->nch].monitor_allocated = o.monitor_allocated;
		f->nch++;
	}
	return f->nch;
}

/* create_gpadl_header() + the GPADL_HEADER/BODY posts; creation status. */
static uint32_t fg_gpadl(struct fake *f, uint32_t relid, uint32_t handle,
			 const uint64_t *pfns, uint32_t n)
{
	uint8_t buf[VMBUS_MAX_MSG_SIZE];
	struct vmbus_channel_gpadl_header hdr;
	struct vmbus_channel_gpadl_created gc;
	uint32_t range[2] = { n * 4096u, 0 };
	uint32_t first = n > 26 ? 26 : n, done;

	memset(&hdr, 0, sizeof(hdr));
	hdr.header.msgtype = CHANNELMSG_GPADL_HEADER;
	hdr.child_relid = relid;
	hdr.gpadl = handle;
	hdr.range_buflen = (uint16_t)(8 + n * 8);
	hdr.rangecount = 1;
	memcpy(buf, &hdr, sizeof(hdr));
	memcpy(buf + 20, range, 8);
	memcpy(buf + 28, pfns, first * 8);
	ck_assert_int_eq(fg_post(f, f->msg_conn, buf, 28 + first * 8), 0);
	for (done = first; done < n;) {
		struct vmbus_channel_gpadl_body b = {
			.header.msgtype = CHANNELMSG_GPADL_BODY, .gpadl = handle,
		};
		uint32_t k = n - done > 28 ? 28 : n - done;

		memcpy(buf, &b, sizeof(b));
		memcpy(buf + 16, pfns + done, k * 8);
		ck_assert_int_eq(fg_post(f, f->msg_conn, buf, 16 + k * 8), 0);
		done += k;
	}
	fg_pump(f);
	fg_expect(f, CHANNELMSG_GPADL_CREATED, &gc, sizeof(gc));
	ck_assert_uint_eq(gc.gpadl, handle);
	ck_assert_uint_eq(gc.child_relid, relid);
	return gc.creation_status;
}

static uint32_t fg_open_msg(struct fake *f, uint32_t relid, uint32_t gpadl,
			    uint32_t down, uint32_t target_vp)
{
	struct vmbus_channel_open_channel m;
	struct vmbus_channel_open_result r;

	memset(&m, 0, sizeof(m));
	m.header.msgtype = CHANNELMSG_OPENCHANNEL;
	m.child_relid = relid;
	m.openid = relid;
	m.ringbuffer_gpadlhandle = gpadl;
	m.target_vp = target_vp;
	m.downstream_ringbuffer_pageoffset = down;
	ck_assert_int_eq(fg_post(f, f->msg_conn, &m, sizeof(m)), 0);
	fg_pump(f);
	fg_expect(f, CHANNELMSG_OPENCHANNEL_RESULT, &r, sizeof(r));
	ck_assert_uint_eq(r.child_relid, relid);
	ck_assert_uint_eq(r.openid, relid);
	return r.status;
}

static uint64_t fg_alloc(struct fake *f, uint32_t pages)
{
	uint64_t gpa = f->next_gpa;

	f->next_gpa += (uint64_t)pages * 4096;
	ck_assert_uint_le(f->next_gpa, FG_RAM);
	memset(f->ram + gpa, 0, (size_t)pages * 4096);
	return gpa;
}

/* vmbus_open(): rings (send pages, then receive pages), GPADL, OPEN. */
static uint32_t fg_open(struct fake *f, struct fg_chan *c, uint32_t send, uint32_t recv)
{
	uint64_t pfns[512];
	uint32_t n = send + recv, st;

	ck_assert_uint_le(n, 512);
	c->gpa = fg_alloc(f, n);
	c->pages = n;
	c->down = send;
	for (uint32_t i = 0; i < n; i++)
		pfns[i] = (c->gpa >> 12) + i;
	/* hv_ringbuffer_init(): zeroed headers, feat_pending_send_sz in both. */
	vmbus_ring_header_init((void *)(f->ram + c->gpa), VMBUS_RING_FEAT_PENDING_SEND_SZ);
	vmbus_ring_header_init((void *)(f->ram + c->gpa + send * 4096ull),
			       VMBUS_RING_FEAT_PENDING_SEND_SZ);
	ck_assert_int_eq(vmbus_ring_init(&c->out, (void *)(f->ram + c->gpa),
					 f->ram + c->gpa + 4096, (send - 1) * 4096,
					 VMBUS_RING_WRITER), 0);
	ck_assert_int_eq(vmbus_ring_init(&c->in, (void *)(f->ram + c->gpa + send * 4096ull),
					 f->ram + c->gpa + (send + 1) * 4096ull,
					 (recv - 1) * 4096, VMBUS_RING_READER), 0);
	c->gpadl = ++f->gpadl_next;
	st = fg_gpadl(f, c->relid, c->gpadl, pfns, n);
	if (st)
		return st;
	st = fg_open_msg(f, c->relid, c->gpadl, send, 0);
	c->opened = st == 0;
	return st;
}

/* Linux's util channels: 16 KiB per direction (VMBUS_RING_SIZE(3 pages)). */
static void fg_boot(struct fake *f)
{
	ck_assert_uint_ne(fg_connect(f), 0);
	ck_assert_int_gt(fg_request_offers(f), 0);
}

static void fg_open_all(struct fake *f)
{
	for (int i = 0; i < f->nch; i++)
		ck_assert_uint_eq(fg_open(f, &f->ch[i], 4, 4), 0);
}

static struct vmbus_host_status status(struct fake *f)
{
	struct vmbus_host_status st;

	vmbus_host_get_status(f->h, &st);
	return st;
}

/* A host with @services and a guest that connected and opened them all. */
static struct fake *fg_up(uint32_t services, bool ref)
{
	struct fake *f = fg_new(services, 0, ref);

	fg_boot(f);
	fg_open_all(f);
	return f;
}

/* Guest sends a packet on channel c (vmbus_sendpacket + hv_signal_on_write). */
static int fg_send(struct fake *f, struct fg_chan *c, uint16_t type, uint64_t trans,
		   const void *p, uint32_t len)
{
	struct vmbus_packet_desc d = { .type = type, .trans_id = trans };
	struct vmbus_ring_iov iov = { p, len };
	bool sig = false;
	int rc = vmbus_ring_send(&c->out, &d, &iov, 1, &sig);

	if (!rc && sig)
		fg_signal_host(f, c->conn_id);
	return rc;
}

/* ---- hv_utils ---- */

/* vmbus_prep_negotiate_resp() of Linux 6.1, on the packet in buf. */
static bool fg_negotiate_resp(uint8_t *buf, uint32_t buflen, const uint32_t *fw,
			      int fwn, const uint32_t *srv, int srvn,
			      uint32_t *nego_fw, uint32_t *nego_srv)
{
	struct ic_msg_hdr hdr;
	struct ic_negotiate neg;
	struct ic_version *data;
	int icframe_major, icframe_minor = 0, icmsg_major, icmsg_minor = 0;
	bool found = false;
	int i, j;

	if (buflen < IC_HDR_SIZE + offsetof(struct ic_negotiate, reserved))
		return false;
	memcpy(&hdr, buf + 8, sizeof(hdr));
	hdr.icmsgsize = 0x10;
	memcpy(buf + 8, &hdr, sizeof(hdr));
	memcpy(&neg, buf + IC_HDR_SIZE, sizeof(neg));
	data = (struct ic_version *)(buf + IC_HDR_SIZE + sizeof(neg));
	icframe_major = neg.icframe_vercnt;
	icmsg_major = neg.icmsg_vercnt;
	if (icframe_major > IC_MAX_VER_COUNT || icmsg_major > IC_MAX_VER_COUNT ||
	    IC_HDR_SIZE + sizeof(neg) + (icframe_major + icmsg_major) * 4u > buflen)
		goto fw_error;
	for (i = 0; i < fwn && !found; i++)
		for (j = 0; j < neg.icframe_vercnt; j++)
			if (data[j].major == fw[i] >> 16 && data[j].minor == (fw[i] & 0xffff)) {
				icframe_major = data[j].major;
				icframe_minor = data[j].minor;
				found = true;
				break;
			}
	if (!found)
		goto fw_error;
	found = false;
	for (i = 0; i < srvn && !found; i++)
		for (j = neg.icframe_vercnt; j < neg.icframe_vercnt + neg.icmsg_vercnt; j++)
			if (data[j].major == srv[i] >> 16 && data[j].minor == (srv[i] & 0xffff)) {
				icmsg_major = data[j].major;
				icmsg_minor = data[j].minor;
				found = true;
				break;
			}
fw_error:
	neg.icframe_vercnt = found ? 1 : 0;
	neg.icmsg_vercnt = found ? 1 : 0;
	memcpy(buf + IC_HDR_SIZE, &neg, sizeof(neg));
	if (nego_fw)
		*nego_fw = (uint32_t)(icframe_major << 16 | icframe_minor);
	if (nego_srv)
		*nego_srv = (uint32_t)(icmsg_major << 16 | icmsg_minor);
	data[0].major = (uint16_t)icframe_major;
	data[0].minor = (uint16_t)icframe_minor;
	data[1].major = (uint16_t)icmsg_major;
	data[1].minor = (uint16_t)icmsg_minor;
	return found;
}

static const uint32_t fg_util_fw[] = { IC_VERSION(3, 0), IC_VERSION(1, 0) };
static const uint32_t fg_sd_ver[] = { IC_VERSION(3, 2), IC_VERSION(3, 1),
				      IC_VERSION(3, 0), IC_VERSION(1, 0) };
static const uint32_t fg_ts_ver[] = { IC_VERSION(4, 0), IC_VERSION(3, 0),
				      IC_VERSION(1, 0) };
static const uint32_t fg_hb_ver[] = { IC_VERSION(3, 0), IC_VERSION(1, 0) };
static const uint32_t fg_kvp_ver[] = { IC_VERSION(4, 0), IC_VERSION(3, 0),
				       IC_VERSION(1, 0) };

static bool guid_eq(struct vmbus_guid a, struct vmbus_guid b)
{
	return !memcmp(&a, &b, sizeof(a));
}

/* ASCII to UTF-16LE with its NUL; returns the byte size (hv_kvp's key_size). */
static uint32_t put_utf16(uint8_t *dst, const char *s)
{
	uint32_t n = (uint32_t)strlen(s);

	for (uint32_t i = 0; i < n; i++) {
		dst[2 * i] = (uint8_t)s[i];
		dst[2 * i + 1] = 0;
	}
	dst[2 * n] = dst[2 * n + 1] = 0;
	return 2 * (n + 1);
}

/* One IC request in buf: answer in place as hv_utils does; false = no answer. */
static bool fg_ic_answer(struct fake *f, struct fg_chan *c, uint8_t *buf, uint32_t len)
{
	struct ic_msg_hdr hdr;

	if (len < IC_HDR_SIZE)
		return false;
	memcpy(&hdr, buf + 8, sizeof(hdr));
	if (hdr.icmsgtype == IC_MSGTYPE_NEGOTIATE) {
		const uint32_t *sv = fg_hb_ver;
		int n = 2;

		if (guid_eq(c->type, (struct vmbus_guid)VMBUS_GUID_SHUTDOWN))
			sv = fg_sd_ver, n = 4;
		else if (guid_eq(c->type, (struct vmbus_guid)VMBUS_GUID_TIMESYNC))
			sv = fg_ts_ver, n = 3;
		else if (guid_eq(c->type, (struct vmbus_guid)VMBUS_GUID_KVP))
			sv = fg_kvp_ver, n = 3;
		fg_negotiate_resp(buf, len, fg_util_fw, 2, sv, n, NULL, &c->srv);
		memcpy(&hdr, buf + 8, sizeof(hdr));
	} else if (hdr.icmsgtype == IC_MSGTYPE_HEARTBEAT) {
		struct ic_heartbeat_data hb;

		if (len < IC_HDR_SIZE + 8)
			return false;
		memcpy(&hb, buf + IC_HDR_SIZE, 8);
		hb.seq_num++;
		memcpy(buf + IC_HDR_SIZE, &hb, 8);
	} else if (hdr.icmsgtype == IC_MSGTYPE_SHUTDOWN) {
		struct ic_shutdown_data sd;

		if (len < IC_HDR_SIZE + sizeof(sd))
			return false;
		memcpy(&sd, buf + IC_HDR_SIZE, 12);
		hdr.status = sd.flags <= 3 ? IC_S_OK : IC_E_FAIL;
		if (f->shutdowns < 8)
			f->shutdown_flags[f->shutdowns] = sd.flags;
		f->shutdowns++;
	} else if (hdr.icmsgtype == IC_MSGTYPE_TIMESYNC) {
		f->ts_len = len;
		f->ts_count++;
		if (c->srv > IC_VERSION(3, 0)) {
			struct ic_timesync_ref_data r;

			if (len < IC_HDR_SIZE + sizeof(r))
				return false;
			memcpy(&r, buf + IC_HDR_SIZE, sizeof(r));
			f->ts_parent = r.parenttime;
			f->ts_ref = r.vmreferencetime;
			f->ts_flags = r.flags;
		} else {
			struct ic_timesync_data d;

			if (len < IC_HDR_SIZE + sizeof(d))
				return false;
			memcpy(&d, buf + IC_HDR_SIZE, sizeof(d));
			f->ts_parent = d.parenttime;
			f->ts_flags = d.flags;
		}
	} else if (hdr.icmsgtype == IC_MSGTYPE_KVPEXCHANGE) {
		struct kvp_msg *m = (struct kvp_msg *)(buf + IC_HDR_SIZE);
		uint32_t idx;

		if (len < IC_HDR_SIZE + sizeof(*m))
			return false;
		memcpy(&idx, &m->body.enumerate.index, 4);
		if (m->hdr.operation != IC_KVP_OP_ENUMERATE || m->hdr.pool != IC_KVP_POOL_AUTO ||
		    (int)idx >= f->kvp_n) {
			hdr.status = IC_S_CONT;
		} else {
			struct kvp_exchg_value v;

			memset(&v, 0, sizeof(v));
			v.key_size = put_utf16(v.key, f->kvp_keys[idx]);
			v.value_size = put_utf16(v.value, f->kvp_values[idx]);
			v.value_type = IC_KVP_REG_SZ;
			memcpy(&m->body.enumerate.data, &v, sizeof(v));
		}
	} else {
		hdr.status = IC_E_FAIL;
	}
	hdr.icflags = IC_FLAG_TRANSACTION | IC_FLAG_RESPONSE;
	memcpy(buf + 8, &hdr, sizeof(hdr));
	return true;
}

/*
 * The guest's channel callbacks: read every packet of every open IC
 * channel, answer it with the same length and trans_id.  Returns packets
 * answered.  The KVP channel is not read until the daemon registered.
 */
static int fg_run_ics(struct fake *f)
{
	static uint8_t buf[16384];
	int answered = 0;

	for (int i = 0; i < f->nch; i++) {
		struct fg_chan *c = &f->ch[i];
		struct vmbus_ring_pkt pkt;
		int rc;

		if (!c->opened || c->mute)
			continue;
		if (guid_eq(c->type, (struct vmbus_guid)VMBUS_GUID_KVP) && !f->kvp_daemon)
			continue;
		while ((rc = vmbus_ring_read(&c->in, &pkt, buf, sizeof(buf))) >= 0) {
			uint32_t len = (uint32_t)rc;

			if (vmbus_ring_read_done(&c->in) > 0)
				fg_signal_host(f, c->conn_id);
			c->packets++;
			c->last_len = len;
			c->last_trans = pkt.desc.trans_id;
			c->last_pkt_flags = pkt.desc.flags;
			memcpy(c->last, buf, len < sizeof(c->last) ? len : sizeof(c->last));
			if (fg_ic_answer(f, c, buf, len)) {
				ck_assert_int_eq(fg_send(f, c, VM_PKT_DATA_INBAND,
							 pkt.desc.trans_id, buf, len), 0);
				answered++;
			}
		}
		vmbus_ring_unmask(&c->in);
	}
	return answered;
}

/* Host and guest take turns for @ms of simulated time. */
static void fg_run(struct fake *f, uint64_t ms)
{
	uint64_t end = f->now_ms + ms;

	while (f->now_ms < end) {
		fg_pump(f);
		fg_run_ics(f);
		fg_pump(f);
		vmbus_host_poll(f->h, 10);
	}
}

#endif /* HVWORKER_VMBUS_FAKE_H */
