// SPDX-License-Identifier: MIT
/*
 * Check suite for vmbus/channel.c: scripted guest conversations, in the
 * manner of OpenVMM's vmbus_server channel tests, through a fake transport.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "channel.h"
#include "ring.h"

#define MAX_SENT 512

struct sent {
	uint32_t vp;
	uint32_t len;
	uint8_t data[VMBUS_MAX_MSG_SIZE];
};

/* Fake transport: records everything the server does. */
struct env {
	struct vmbus_server srv;
	struct sent sent[MAX_SENT];
	int nsent, seen;
	int allocs, frees;
	int opens, closes, modifies;
	int open_rc, teardown_rc, send_rc, fail_alloc;
	struct vmbus_open_request last_open;
	uint64_t last_open_pfn0;
	uint8_t last_userdata0;
	uint32_t last_close;
};

static int t_send(void *ctx, uint32_t vp, const void *msg, uint32_t len)
{
	struct env *e = ctx;

	ck_assert_uint_le(len, VMBUS_MAX_MSG_SIZE);
	if (e->send_rc)
		return e->send_rc;
	ck_assert_int_lt(e->nsent, MAX_SENT);
	e->sent[e->nsent].vp = vp;
	e->sent[e->nsent].len = len;
	memcpy(e->sent[e->nsent].data, msg, len);
	e->nsent++;
	return 0;
}

static void *t_alloc(void *ctx, size_t n)
{
	if (((struct env *)ctx)->fail_alloc)
		return NULL;
	((struct env *)ctx)->allocs++;
	return malloc(n);
}

static void t_free(void *ctx, void *p)
{
	((struct env *)ctx)->frees++;
	free(p);
}

static int t_open(void *ctx, const struct vmbus_open_request *req)
{
	struct env *e = ctx;

	e->opens++;
	e->last_open = *req;
	e->last_open_pfn0 = req->gpadl->ranges[0].pfns[0];
	e->last_userdata0 = req->userdata[0];
	return e->open_rc;
}

static void t_close(void *ctx, uint32_t relid)
{
	struct env *e = ctx;

	e->closes++;
	e->last_close = relid;
}

static int t_teardown(void *ctx, const struct vmbus_gpadl_info *g)
{
	(void)g;
	return ((struct env *)ctx)->teardown_rc;
}

static void t_modify(void *ctx, uint32_t relid, uint32_t vp)
{
	(void)relid;
	(void)vp;
	((struct env *)ctx)->modifies++;
}

static const struct vmbus_server_ops ops = {
	.send = t_send, .alloc = t_alloc, .free = t_free, .open = t_open,
	.close = t_close, .gpadl_teardown = t_teardown, .modify = t_modify,
};

static struct env *env_new_limits(const struct vmbus_server_limits *l)
{
	struct env *e = calloc(1, sizeof(*e));

	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(vmbus_server_init(&e->srv, &ops, e, l), 0);
	return e;
}

static struct env *env_new(void)
{
	return env_new_limits(NULL);
}

static void env_free(struct env *e)
{
	vmbus_server_fini(&e->srv);
	ck_assert_int_eq(e->allocs, e->frees);	/* nothing leaked */
	free(e);
}

/* The next unread message the server sent; checks its type. */
static const void *next_msg(struct env *e, uint32_t type)
{
	struct vmbus_channel_message_header h;

	ck_assert_int_lt(e->seen, e->nsent);
	memcpy(&h, e->sent[e->seen].data, sizeof(h));
	ck_assert_uint_eq(h.msgtype, type);
	return e->sent[e->seen++].data;
}

static void no_more_msgs(struct env *e)
{
	ck_assert_int_eq(e->seen, e->nsent);
}

static int post(struct env *e, uint32_t conn, const void *m, uint32_t len)
{
	return vmbus_server_handle_message(&e->srv, conn, m, len);
}

static uint32_t conn_for(uint32_t version)
{
	return version >= VERSION_WIN10_V5 ? 4 : 1;
}

static int initiate(struct env *e, uint32_t version, uint32_t conn)
{
	struct vmbus_channel_initiate_contact m = {
		.header.msgtype = CHANNELMSG_INITIATE_CONTACT,
		.vmbus_version_requested = version,
		.target_vcpu = 0,
	};

	if (version >= VERSION_WIN10_V5)
		m.msg_sint = VMBUS_MESSAGE_SINT;
	else
		m.interrupt_page = 0x1234000;
	m.monitor_page1 = 0x5000;
	m.monitor_page2 = 0x6000;
	return post(e, conn, &m, sizeof(m));
}

static const struct vmbus_channel_version_response *version_reply(struct env *e)
{
	return next_msg(e, CHANNELMSG_VERSION_RESPONSE);
}

static void connect_v(struct env *e, uint32_t version)
{
	ck_assert_int_eq(initiate(e, version, conn_for(version)), 0);
	ck_assert_uint_eq(version_reply(e)->version_supported, 1);
}

static int simple(struct env *e, uint32_t type)
{
	struct vmbus_channel_message_header h = { .msgtype = type };

	return post(e, conn_for(e->srv.version), &h, sizeof(h));
}

static int add_dev(struct env *e, uint32_t conn_id)
{
	struct vmbus_offer_params p = {
		.if_type = VMBUS_GUID_SCSI,
		.if_instance = VMBUS_GUID_INIT(0x12345678, 0x1, 0x2, 1, 2, 3, 4, 5, 6, 7, (uint8_t)conn_id),
		.chn_flags = VMBUS_CHANNEL_SERVER_SUPPORTS_GPADLS,
		.connection_id = conn_id,
		.dedicated_interrupt = true,
	};

	return vmbus_server_add_channel(&e->srv, &p);
}

/* Connected at 5.3 with n devices offered. */
static struct env *env_ready(int n)
{
	struct env *e = env_new();

	for (int i = 0; i < n; i++)
		ck_assert_int_eq(add_dev(e, 0x100 + i), i + 1);
	connect_v(e, VERSION_WIN10_V5_3);
	ck_assert_int_eq(simple(e, CHANNELMSG_REQUESTOFFERS), 0);
	for (int i = 0; i < n; i++)
		next_msg(e, CHANNELMSG_OFFERCHANNEL);
	next_msg(e, CHANNELMSG_ALLOFFERS_DELIVERED);
	return e;
}

static uint64_t pfn_of(uint32_t handle, uint32_t i)
{
	return 0x10000 + handle * 0x1000 + i;
}

/*
 * Sends a one-range GPADL of `pages` pages the way Linux does: up to 26
 * PFNs in the header (240-byte messages), 28 per body.  Returns the last handler result.
 */
static int gpadl_send(struct env *e, uint32_t relid, uint32_t handle,
		      uint32_t pages)
{
	uint8_t msg[VMBUS_MAX_MSG_SIZE];
	struct vmbus_channel_gpadl_header h = {
		.header.msgtype = CHANNELMSG_GPADL_HEADER,
		.child_relid = relid, .gpadl = handle,
		.range_buflen = (uint16_t)(8 + pages * 8), .rangecount = 1,
	};
	uint32_t range[2] = { pages * 4096, 0 };
	uint32_t conn = conn_for(e->srv.version), i = 0, n;
	int rc;

	memcpy(msg, &h, sizeof(h));
	memcpy(msg + 20, range, 8);
	for (n = 0; n < 26 && i < pages; n++, i++) {
		uint64_t pfn = pfn_of(handle, i);

		memcpy(msg + 28 + n * 8, &pfn, 8);
	}
	rc = post(e, conn, msg, 28 + n * 8);
	while (rc == 0 && i < pages) {
		struct vmbus_channel_gpadl_body b = {
			.header.msgtype = CHANNELMSG_GPADL_BODY, .gpadl = handle,
		};

		memcpy(msg, &b, sizeof(b));
		for (n = 0; n < 28 && i < pages; n++, i++) {
			uint64_t pfn = pfn_of(handle, i);

			memcpy(msg + 16 + n * 8, &pfn, 8);
		}
		rc = post(e, conn, msg, 16 + n * 8);
	}
	return rc;
}

static void gpadl_ok(struct env *e, uint32_t relid, uint32_t handle, uint32_t pages)
{
	const struct vmbus_channel_gpadl_created *c;

	ck_assert_int_eq(gpadl_send(e, relid, handle, pages), 0);
	c = next_msg(e, CHANNELMSG_GPADL_CREATED);
	ck_assert_uint_eq(c->child_relid, relid);
	ck_assert_uint_eq(c->gpadl, handle);
	ck_assert_uint_eq(c->creation_status, 0);
}

static int open_ch(struct env *e, uint32_t relid, uint32_t handle, uint32_t down)
{
	struct vmbus_channel_open_channel m = {
		.header.msgtype = CHANNELMSG_OPENCHANNEL,
		.child_relid = relid, .openid = relid,
		.ringbuffer_gpadlhandle = handle, .target_vp = 1,
		.downstream_ringbuffer_pageoffset = down,
	};

	m.userdata[0] = 0x77;
	return post(e, conn_for(e->srv.version), &m, sizeof(m));
}

static uint32_t open_status(struct env *e)
{
	const struct vmbus_channel_open_result *r =
		next_msg(e, CHANNELMSG_OPENCHANNEL_RESULT);

	return r->status;
}

static int relid_msg(struct env *e, uint32_t type, uint32_t relid)
{
	struct vmbus_channel_close_channel m = { .header.msgtype = type,
						 .child_relid = relid };

	return post(e, conn_for(e->srv.version), &m, sizeof(m));
}

static int teardown(struct env *e, uint32_t relid, uint32_t handle)
{
	struct vmbus_channel_gpadl_teardown m = {
		.header.msgtype = CHANNELMSG_GPADL_TEARDOWN,
		.child_relid = relid, .gpadl = handle,
	};

	return post(e, conn_for(e->srv.version), &m, sizeof(m));
}

/* Asserts a hostile message leaves every byte of the server as it was. */
static void expect_rejected(struct env *e, uint32_t conn, const void *m,
			    uint32_t len, int err)
{
	static struct vmbus_server before;
	int sent = e->nsent;

	memcpy(&before, &e->srv, sizeof(before));
	ck_assert_int_eq(post(e, conn, m, len), err);
	ck_assert_int_eq(memcmp(&before, &e->srv, sizeof(before)), 0);
	ck_assert_int_eq(e->nsent, sent);
}

/* ---- Version negotiation -------------------------------------------- */

static const uint32_t linux_versions[] = {
	VERSION_WIN10_V5_3, VERSION_WIN10_V5_2, VERSION_WIN10_V5_1,
	VERSION_WIN10_V5, VERSION_WIN10_V4_1, VERSION_WIN10,
	VERSION_WIN8_1, VERSION_WIN8,
};

START_TEST(negotiate_each_guest_version)
{
	uint32_t v = linux_versions[_i];
	struct env *e = env_new();
	const struct vmbus_channel_version_response *r;

	ck_assert_int_eq(initiate(e, v, conn_for(v)), 0);
	r = version_reply(e);
	ck_assert_uint_eq(r->version_supported, 1);
	ck_assert_uint_eq(r->connection_state, 0);
	ck_assert_uint_eq(r->msg_conn_id, v >= VERSION_WIN10_V5 ? 4 : 0);
	ck_assert_uint_eq(e->sent[0].len, 16);
	ck_assert_uint_eq(vmbus_server_version(&e->srv), v);
	ck_assert_int_eq(vmbus_server_conn_state(&e->srv), VMBUS_CONN_CONNECTED);
	/* Later messages must use the agreed connection id. */
	ck_assert_int_eq(simple(e, CHANNELMSG_REQUESTOFFERS), 0);
	next_msg(e, CHANNELMSG_ALLOFFERS_DELIVERED);
	env_free(e);
}
END_TEST

START_TEST(negotiate_walks_down_like_linux)
{
	struct vmbus_server_limits l = { .max_version = VERSION_WIN10_V4_1 };
	struct env *e = env_new_limits(&l);
	int tries = 0;

	for (size_t i = 0; i < 8; i++) {
		uint32_t v = linux_versions[i];

		tries++;
		ck_assert_int_eq(initiate(e, v, conn_for(v)), 0);
		if (version_reply(e)->version_supported)
			break;
		ck_assert_uint_eq(vmbus_server_version(&e->srv), 0);
	}
	ck_assert_int_eq(tries, 5);
	ck_assert_uint_eq(vmbus_server_version(&e->srv), VERSION_WIN10_V4_1);
	env_free(e);
}
END_TEST

START_TEST(refuse_unknown_versions)
{
	static const uint32_t bad[] = { VERSION_WS2008, VERSION_WIN7, 0x50004,
					0x60000, 0x20003, 0, 0xffffffff };
	struct env *e = env_new();

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(initiate(e, bad[i], conn_for(bad[i])), 0);
		ck_assert_uint_eq(version_reply(e)->version_supported, 0);
		ck_assert_int_eq(vmbus_server_conn_state(&e->srv), VMBUS_CONN_DISCONNECTED);
	}
	env_free(e);
}
END_TEST

START_TEST(refuse_wrong_connection_id_or_sint)
{
	struct env *e = env_new();
	struct vmbus_channel_initiate_contact m = {
		.header.msgtype = CHANNELMSG_INITIATE_CONTACT,
		.vmbus_version_requested = VERSION_WIN10_V5_3,
		.msg_sint = 2, .msg_vtl = 1,
	};

	/* 5.x must come on connection 4, older versions on 1. */
	ck_assert_int_eq(initiate(e, VERSION_WIN10_V5_3, 1), 0);
	ck_assert_uint_eq(version_reply(e)->version_supported, 0);
	ck_assert_int_eq(initiate(e, VERSION_WIN10_V4_1, 4), 0);
	ck_assert_uint_eq(version_reply(e)->version_supported, 0);
	ck_assert_int_eq(post(e, 4, &m, sizeof(m)), 0);	/* VTL 1 */
	ck_assert_uint_eq(version_reply(e)->version_supported, 0);
	m.msg_vtl = 0;
	m.msg_sint = 0;
	ck_assert_int_eq(post(e, 4, &m, sizeof(m)), 0);	/* SINT 0 */
	ck_assert_uint_eq(version_reply(e)->version_supported, 0);
	ck_assert_uint_eq(vmbus_server_version(&e->srv), 0);
	env_free(e);
}
END_TEST

START_TEST(initiate_again_while_connected)
{
	struct env *e = env_new();

	connect_v(e, VERSION_WIN10_V5_3);
	ck_assert_int_eq(initiate(e, VERSION_WIN10_V5_2, 4), -EALREADY);
	ck_assert_uint_eq(version_reply(e)->version_supported, 0);
	ck_assert_uint_eq(vmbus_server_version(&e->srv), VERSION_WIN10_V5_3);
	env_free(e);
}
END_TEST

START_TEST(initiate_short_is_dropped)
{
	struct env *e = env_new();
	struct vmbus_channel_initiate_contact m = {
		.header.msgtype = CHANNELMSG_INITIATE_CONTACT,
		.vmbus_version_requested = VERSION_WIN10_V5_3, .msg_sint = 2,
	};

	expect_rejected(e, 4, &m, 39, -EBADMSG);
	expect_rejected(e, 4, &m, 8, -EBADMSG);
	env_free(e);
}
END_TEST

START_TEST(messages_before_connect)
{
	struct env *e = env_new();
	struct vmbus_channel_message_header h = { .msgtype = CHANNELMSG_REQUESTOFFERS };

	expect_rejected(e, 4, &h, sizeof(h), -ENOTCONN);
	h.msgtype = CHANNELMSG_UNLOAD;
	expect_rejected(e, 1, &h, sizeof(h), -ENOTCONN);
	env_free(e);
}
END_TEST

START_TEST(hostile_framing)
{
	struct env *e = env_ready(1);
	uint8_t big[VMBUS_MAX_MSG_SIZE + 1] = { CHANNELMSG_REQUESTOFFERS };
	struct vmbus_channel_message_header h = { .msgtype = 25 };

	expect_rejected(e, 4, big, sizeof(big), -EMSGSIZE);
	expect_rejected(e, 4, big, 7, -EBADMSG);
	expect_rejected(e, 4, big, 0, -EBADMSG);
	expect_rejected(e, 4, &h, sizeof(h), -EOPNOTSUPP);
	h.msgtype = 0;
	expect_rejected(e, 4, &h, sizeof(h), -EOPNOTSUPP);
	h.msgtype = 0x80000001u;
	expect_rejected(e, 4, &h, sizeof(h), -EOPNOTSUPP);
	/* Host -> guest messages coming from the guest. */
	h.msgtype = CHANNELMSG_OFFERCHANNEL;
	expect_rejected(e, 4, &h, sizeof(h), -EOPNOTSUPP);
	h.msgtype = CHANNELMSG_VERSION_RESPONSE;
	expect_rejected(e, 4, &h, sizeof(h), -EOPNOTSUPP);
	h.msgtype = CHANNELMSG_TL_CONNECT_REQUEST;
	expect_rejected(e, 4, &h, sizeof(h), -EOPNOTSUPP);
	/* Right message, wrong connection. */
	h.msgtype = CHANNELMSG_UNLOAD;
	expect_rejected(e, 1, &h, sizeof(h), -EPERM);
	ck_assert_int_eq(vmbus_server_handle_message(&e->srv, 4, NULL, 8), -EINVAL);
	env_free(e);
}
END_TEST

/* ---- Offers ----------------------------------------------------------- */

START_TEST(offers_then_all_delivered)
{
	struct env *e = env_new();
	const struct vmbus_channel_offer_channel *o;
	struct vmbus_guid scsi = VMBUS_GUID_SCSI;

	ck_assert_int_eq(add_dev(e, 0x100), 1);
	ck_assert_int_eq(add_dev(e, 0x101), 2);
	ck_assert_int_eq(add_dev(e, 0x102), 3);
	ck_assert_int_eq(e->nsent, 0);	/* nothing before REQUESTOFFERS */
	connect_v(e, VERSION_WIN10_V5_2);
	ck_assert_int_eq(simple(e, CHANNELMSG_REQUESTOFFERS), 0);
	for (uint32_t i = 1; i <= 3; i++) {
		ck_assert_uint_eq(e->sent[e->seen].len, 196);
		o = next_msg(e, CHANNELMSG_OFFERCHANNEL);
		ck_assert_uint_eq(o->child_relid, i);
		ck_assert_uint_eq(o->connection_id, 0xff + i);
		ck_assert_uint_eq(o->monitor_allocated, 0);
		ck_assert_uint_eq(o->is_dedicated_interrupt, 1);
		ck_assert_uint_eq(o->offer.sub_channel_index, 0);
		ck_assert_mem_eq(&o->offer.if_type, &scsi, 16);
		ck_assert_uint_eq(o->offer.if_instance.b[15], (uint8_t)(0xff + i));
		/* GUID_INIT stores the first field little endian */
		ck_assert_uint_eq(o->offer.if_type.b[0], 0xd9);
		ck_assert_int_eq(vmbus_server_channel_state(&e->srv, i), VMBUS_CHAN_OFFERED);
	}
	next_msg(e, CHANNELMSG_ALLOFFERS_DELIVERED);
	no_more_msgs(e);
	ck_assert_int_eq(simple(e, CHANNELMSG_REQUESTOFFERS), -EALREADY);
	no_more_msgs(e);
	env_free(e);
}
END_TEST

START_TEST(hot_add_after_offers)
{
	struct env *e = env_ready(1);
	const struct vmbus_channel_offer_channel *o;

	ck_assert_int_eq(add_dev(e, 0x200), 2);
	o = next_msg(e, CHANNELMSG_OFFERCHANNEL);
	ck_assert_uint_eq(o->child_relid, 2);
	no_more_msgs(e);
	env_free(e);
}
END_TEST

START_TEST(add_channel_limits)
{
	struct env *e = env_new();
	struct vmbus_offer_params p = { .connection_id = 0 };

	ck_assert_int_eq(vmbus_server_add_channel(&e->srv, &p), -EINVAL);
	for (int i = 0; i < VMBUS_SERVER_MAX_CHANNELS; i++)
		ck_assert_int_eq(add_dev(e, 0x100 + i), i + 1);
	ck_assert_int_eq(add_dev(e, 0x999), -ENOSPC);
	env_free(e);
}
END_TEST

/* ---- GPADLs ----------------------------------------------------------- */

START_TEST(gpadl_single_message)
{
	struct env *e = env_ready(1);
	const struct vmbus_gpadl_info *g;

	gpadl_ok(e, 1, 0xE1E10, 20);
	g = vmbus_server_find_gpadl(&e->srv, 1, 0xE1E10);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->range_count, 1);
	ck_assert_uint_eq(g->page_count, 20);
	ck_assert_uint_eq(g->ranges[0].byte_count, 20 * 4096);
	for (uint32_t i = 0; i < 20; i++)
		ck_assert_uint_eq(g->ranges[0].pfns[i], pfn_of(0xE1E10, i));
	ck_assert_ptr_null(vmbus_server_find_gpadl(&e->srv, 2, 0xE1E10));
	env_free(e);
}
END_TEST

START_TEST(gpadl_multi_body)
{
	struct env *e = env_ready(1);
	const struct vmbus_gpadl_info *g;

	/* 26 in the header, then 28 + 28 + 18 in three bodies. */
	gpadl_ok(e, 1, 0xE1E11, 100);
	no_more_msgs(e);
	g = vmbus_server_find_gpadl(&e->srv, 1, 0xE1E11);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->page_count, 100);
	for (uint32_t i = 0; i < 100; i++)
		ck_assert_uint_eq(g->ranges[0].pfns[i], pfn_of(0xE1E11, i));
	env_free(e);
}
END_TEST

START_TEST(gpadl_waits_for_missing_body)
{
	struct env *e = env_ready(1);
	uint8_t msg[VMBUS_MAX_MSG_SIZE] = { 0 };
	struct vmbus_channel_gpadl_header h = {
		.header.msgtype = CHANNELMSG_GPADL_HEADER, .child_relid = 1,
		.gpadl = 7, .range_buflen = 8 + 40 * 8, .rangecount = 1,
	};
	uint32_t range[2] = { 40 * 4096, 0 };

	memcpy(msg, &h, sizeof(h));
	memcpy(msg + 20, range, 8);
	ck_assert_int_eq(post(e, 4, msg, 28 + 26 * 8), 0);
	no_more_msgs(e);	/* no GPADL_CREATED yet */
	ck_assert_ptr_null(vmbus_server_find_gpadl(&e->srv, 1, 7));
	ck_assert_uint_eq(vmbus_server_gpadl_count(&e->srv), 1);
	/* Opening with the incomplete GPADL fails with a status. */
	ck_assert_int_eq(open_ch(e, 1, 7, 2), -EINVAL);
	ck_assert_uint_ne(open_status(e), 0);
	/* The guest may still tear it down. */
	ck_assert_int_eq(teardown(e, 1, 7), 0);
	next_msg(e, CHANNELMSG_GPADL_TORNDOWN);
	ck_assert_uint_eq(vmbus_server_gpadl_count(&e->srv), 0);
	env_free(e);
}
END_TEST

START_TEST(gpadl_oversized_body)
{
	struct env *e = env_ready(1);
	uint8_t msg[VMBUS_MAX_MSG_SIZE] = { 0 };
	struct vmbus_channel_gpadl_header h = {
		.header.msgtype = CHANNELMSG_GPADL_HEADER, .child_relid = 1,
		.gpadl = 9, .range_buflen = 8 + 30 * 8, .rangecount = 1,
	};
	struct vmbus_channel_gpadl_body b = {
		.header.msgtype = CHANNELMSG_GPADL_BODY, .gpadl = 9,
	};
	uint32_t range[2] = { 30 * 4096, 0 };

	memcpy(msg, &h, sizeof(h));
	memcpy(msg + 20, range, 8);
	ck_assert_int_eq(post(e, 4, msg, 28 + 26 * 8), 0);
	/* 4 PFNs missing; a body with 5 is refused, nothing changes. */
	memset(msg, 0, sizeof(msg));
	memcpy(msg, &b, sizeof(b));
	expect_rejected(e, 4, msg, 16 + 5 * 8, -E2BIG);
	/* Bodies must hold whole PFNs, at least one. */
	expect_rejected(e, 4, msg, 16 + 12, -EBADMSG);
	expect_rejected(e, 4, msg, 16, -EBADMSG);
	/* The right body still completes it. */
	ck_assert_int_eq(post(e, 4, msg, 16 + 4 * 8), 0);
	ck_assert_uint_eq(((const struct vmbus_channel_gpadl_created *)
			   next_msg(e, CHANNELMSG_GPADL_CREATED))->creation_status, 0);
	/* A body for a created GPADL is a protocol error. */
	expect_rejected(e, 4, msg, 16 + 8, -EBUSY);
	env_free(e);
}
END_TEST

START_TEST(gpadl_duplicate_and_unknown)
{
	struct env *e = env_ready(1);
	uint8_t msg[64] = { 0 };
	struct vmbus_channel_gpadl_body b = {
		.header.msgtype = CHANNELMSG_GPADL_BODY, .gpadl = 0x4444,
	};
	struct vmbus_channel_gpadl_header h = {
		.header.msgtype = CHANNELMSG_GPADL_HEADER, .child_relid = 1,
		.gpadl = 0xE1E10, .range_buflen = 16, .rangecount = 1,
	};
	uint32_t range[2] = { 4096, 0 };

	gpadl_ok(e, 1, 0xE1E10, 4);
	memcpy(msg, &h, sizeof(h));
	memcpy(msg + 20, range, 8);
	expect_rejected(e, 4, msg, 36, -EEXIST);
	/* Unknown channel, unknown GPADL handle, handle 0. */
	h.gpadl = 0xE1E11;
	h.child_relid = 5;
	memcpy(msg, &h, sizeof(h));
	expect_rejected(e, 4, msg, 36, -ENOENT);
	h.child_relid = 0;
	memcpy(msg, &h, sizeof(h));
	expect_rejected(e, 4, msg, 36, -ENOENT);
	h.child_relid = 1;
	h.gpadl = 0;
	memcpy(msg, &h, sizeof(h));
	expect_rejected(e, 4, msg, 36, -EBADMSG);
	memcpy(msg, &b, sizeof(b));
	expect_rejected(e, 4, msg, 24, -ENOENT);
	ck_assert_int_eq(teardown(e, 1, 0x4444), -ENOENT);
	ck_assert_int_eq(teardown(e, 2, 0xE1E10), -ENOENT);
	env_free(e);
}
END_TEST

START_TEST(gpadl_malformed_header)
{
	struct env *e = env_ready(1);
	uint8_t msg[64] = { 0 };
	struct vmbus_channel_gpadl_header h = {
		.header.msgtype = CHANNELMSG_GPADL_HEADER, .child_relid = 1,
		.gpadl = 1, .range_buflen = 16, .rangecount = 1,
	};

	memcpy(msg, &h, sizeof(h));
	expect_rejected(e, 4, msg, 20, -EBADMSG);	/* no range */
	expect_rejected(e, 4, msg, 40, -EBADMSG);	/* more than buflen */
	expect_rejected(e, 4, msg, 31, -EBADMSG);	/* partial PFN */
	h.range_buflen = 20;				/* not PFN-sized */
	memcpy(msg, &h, sizeof(h));
	expect_rejected(e, 4, msg, 28, -EBADMSG);
	h.range_buflen = 16;
	h.rangecount = 0;
	memcpy(msg, &h, sizeof(h));
	expect_rejected(e, 4, msg, 36, -EBADMSG);
	h.rangecount = 2;				/* 2 ranges need 32 bytes */
	memcpy(msg, &h, sizeof(h));
	expect_rejected(e, 4, msg, 36, -EBADMSG);
	h.rangecount = VMBUS_GPADL_MAX_RANGES + 1;
	h.range_buflen = 8 * 16 * (VMBUS_GPADL_MAX_RANGES + 1);
	memcpy(msg, &h, sizeof(h));
	expect_rejected(e, 4, msg, 36, -EBADMSG);
	env_free(e);
}
END_TEST

/* Complete GPADLs whose ranges contradict their sizes are refused with a
 * failure status and forgotten. */
static void bad_ranges(struct env *e, uint32_t handle, uint32_t count,
		       uint32_t offset, uint64_t pfn, uint16_t buflen)
{
	uint8_t msg[64] = { 0 };
	struct vmbus_channel_gpadl_header h = {
		.header.msgtype = CHANNELMSG_GPADL_HEADER, .child_relid = 1,
		.gpadl = handle, .range_buflen = buflen, .rangecount = 1,
	};
	uint32_t range[2] = { count, offset };

	memcpy(msg, &h, sizeof(h));
	memcpy(msg + 20, range, 8);
	memcpy(msg + 28, &pfn, 8);
	memcpy(msg + 36, &pfn, 8);
	ck_assert_int_eq(post(e, 4, msg, 20 + buflen), -EBADMSG);
	ck_assert_uint_ne(((const struct vmbus_channel_gpadl_created *)
			   next_msg(e, CHANNELMSG_GPADL_CREATED))->creation_status, 0);
	ck_assert_ptr_null(vmbus_server_find_gpadl(&e->srv, 1, handle));
	ck_assert_uint_eq(vmbus_server_gpadl_count(&e->srv), 0);
}

START_TEST(gpadl_inconsistent_ranges)
{
	struct env *e = env_ready(1);

	bad_ranges(e, 1, 4096, 4096, 5, 16);		/* offset past a page */
	bad_ranges(e, 2, 0, 0, 5, 16);			/* empty range */
	bad_ranges(e, 3, 8192, 0, 5, 16);		/* 2 pages, 1 PFN */
	bad_ranges(e, 4, 4096, 0, 5, 24);		/* 1 page, 2 PFNs */
	bad_ranges(e, 5, 4096, 1, 5, 16);		/* offset spills to a 2nd page */
	bad_ranges(e, 6, 4096, 0, 1ull << 50, 16);	/* PFN beyond 52 bits */
	bad_ranges(e, 7, 0xffffffff, 4095, 5, 16);	/* huge count */
	env_free(e);
}
END_TEST

START_TEST(gpadl_page_limit_per_gpadl)
{
	struct vmbus_server_limits l = { .max_gpadl_pages = 64 };
	struct env *e = env_new_limits(&l);
	const struct vmbus_channel_gpadl_created *c;

	ck_assert_int_eq(add_dev(e, 1), 1);
	connect_v(e, VERSION_WIN10_V5_3);
	ck_assert_int_eq(simple(e, CHANNELMSG_REQUESTOFFERS), 0);
	e->seen = e->nsent;
	gpadl_ok(e, 1, 10, 64);
	ck_assert_int_eq(gpadl_send(e, 1, 11, 65), -ENOSPC);
	c = next_msg(e, CHANNELMSG_GPADL_CREATED);
	ck_assert_uint_eq(c->gpadl, 11);
	ck_assert_uint_ne(c->creation_status, 0);
	ck_assert_uint_eq(vmbus_server_gpadl_count(&e->srv), 1);
	env_free(e);
}
END_TEST

START_TEST(gpadl_total_and_count_limits)
{
	struct vmbus_server_limits l = { .max_gpadls = 3, .max_total_pages = 100 };
	struct env *e = env_new_limits(&l);

	ck_assert_int_eq(add_dev(e, 1), 1);
	connect_v(e, VERSION_WIN10_V5_3);
	ck_assert_int_eq(simple(e, CHANNELMSG_REQUESTOFFERS), 0);
	e->seen = e->nsent;
	gpadl_ok(e, 1, 1, 60);
	ck_assert_int_eq(gpadl_send(e, 1, 2, 41), -ENOSPC);	/* 101 pages */
	ck_assert_uint_ne(((const struct vmbus_channel_gpadl_created *)
			   next_msg(e, CHANNELMSG_GPADL_CREATED))->creation_status, 0);
	gpadl_ok(e, 1, 2, 20);
	gpadl_ok(e, 1, 3, 20);
	ck_assert_int_eq(gpadl_send(e, 1, 4, 1), -ENOSPC);	/* 4th GPADL */
	next_msg(e, CHANNELMSG_GPADL_CREATED);
	/* Freeing one makes room again. */
	ck_assert_int_eq(teardown(e, 1, 1), 0);
	next_msg(e, CHANNELMSG_GPADL_TORNDOWN);
	gpadl_ok(e, 1, 4, 50);
	ck_assert_uint_eq(vmbus_server_gpadl_count(&e->srv), 3);
	env_free(e);
}
END_TEST

START_TEST(gpadl_multi_range)
{
	struct env *e = env_ready(1);
	uint8_t msg[VMBUS_MAX_MSG_SIZE] = { 0 };
	struct vmbus_channel_gpadl_header h = {
		.header.msgtype = CHANNELMSG_GPADL_HEADER, .child_relid = 1,
		.gpadl = 0x77, .range_buflen = 16 + 24, .rangecount = 2,
	};
	uint32_t r1[2] = { 100, 4000 }, r2[2] = { 4096, 0 };
	uint64_t p1[2] = { 11, 12 }, p2 = 13;
	const struct vmbus_gpadl_info *g;

	memcpy(msg, &h, sizeof(h));
	memcpy(msg + 20, r1, 8);
	memcpy(msg + 28, p1, 16);
	memcpy(msg + 44, r2, 8);
	memcpy(msg + 52, &p2, 8);
	ck_assert_int_eq(post(e, 4, msg, 60), 0);
	next_msg(e, CHANNELMSG_GPADL_CREATED);
	g = vmbus_server_find_gpadl(&e->srv, 1, 0x77);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->range_count, 2);
	ck_assert_uint_eq(g->page_count, 3);
	ck_assert_uint_eq(g->ranges[0].page_count, 2);
	ck_assert_uint_eq(g->ranges[0].pfns[1], 12);
	ck_assert_uint_eq(g->ranges[1].pfns[0], 13);
	/* A multi-range GPADL cannot hold the rings. */
	ck_assert_int_eq(open_ch(e, 1, 0x77, 2), -EINVAL);
	ck_assert_uint_ne(open_status(e), 0);
	env_free(e);
}
END_TEST

START_TEST(gpadl_alloc_failure)
{
	struct env *e = env_ready(1);

	e->fail_alloc = 1;
	ck_assert_int_eq(gpadl_send(e, 1, 5, 4), -ENOMEM);
	ck_assert_uint_eq(((const struct vmbus_channel_gpadl_created *)
			   next_msg(e, CHANNELMSG_GPADL_CREATED))->creation_status,
			  VMBUS_STATUS_NO_MEMORY);
	ck_assert_uint_eq(vmbus_server_gpadl_count(&e->srv), 0);
	e->fail_alloc = 0;
	gpadl_ok(e, 1, 5, 4);
	env_free(e);
}
END_TEST

START_TEST(short_channel_messages)
{
	struct env *e = env_ready(1);
	static const uint32_t types[] = {
		CHANNELMSG_CLOSECHANNEL, CHANNELMSG_GPADL_TEARDOWN,
		CHANNELMSG_RELID_RELEASED, CHANNELMSG_MODIFYCHANNEL,
		CHANNELMSG_GPADL_BODY, CHANNELMSG_GPADL_HEADER,
		CHANNELMSG_OPENCHANNEL,
	};
	uint8_t msg[16] = { 0 };

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		memcpy(msg, &types[i], 4);
		expect_rejected(e, 4, msg, 11, -EBADMSG);
	}
	env_free(e);
}
END_TEST

START_TEST(gpadl_teardown_veto)
{
	struct env *e = env_ready(1);

	gpadl_ok(e, 1, 3, 8);
	e->teardown_rc = -EBUSY;
	ck_assert_int_eq(teardown(e, 1, 3), -EBUSY);
	no_more_msgs(e);
	e->teardown_rc = 0;
	ck_assert_int_eq(teardown(e, 1, 3), 0);
	ck_assert_uint_eq(((const struct vmbus_channel_gpadl_torndown *)
			   next_msg(e, CHANNELMSG_GPADL_TORNDOWN))->gpadl, 3);
	env_free(e);
}
END_TEST

/* ---- Open / close ----------------------------------------------------- */

START_TEST(open_close_reopen)
{
	struct env *e = env_ready(2);

	gpadl_ok(e, 2, 0xE1E10, 8);
	ck_assert_int_eq(open_ch(e, 2, 0xE1E10, 4), 0);
	ck_assert_uint_eq(open_status(e), 0);
	ck_assert_int_eq(e->opens, 1);
	ck_assert_uint_eq(e->last_open.relid, 2);
	ck_assert_uint_eq(e->last_open.downstream_page, 4);
	ck_assert_uint_eq(e->last_open.target_vp, 1);
	ck_assert_uint_eq(e->last_userdata0, 0x77);
	ck_assert_uint_eq(e->last_open_pfn0, pfn_of(0xE1E10, 0));
	ck_assert_int_eq(vmbus_server_channel_state(&e->srv, 2), VMBUS_CHAN_OPEN);
	/* The ring GPADL cannot go while open. */
	ck_assert_int_eq(teardown(e, 2, 0xE1E10), -EBUSY);

	ck_assert_int_eq(relid_msg(e, CHANNELMSG_CLOSECHANNEL, 2), 0);
	ck_assert_int_eq(e->closes, 1);
	ck_assert_uint_eq(e->last_close, 2);
	ck_assert_int_eq(vmbus_server_channel_state(&e->srv, 2), VMBUS_CHAN_OFFERED);
	ck_assert_int_eq(relid_msg(e, CHANNELMSG_CLOSECHANNEL, 2), -EBUSY);
	no_more_msgs(e);	/* CLOSECHANNEL has no reply */

	ck_assert_int_eq(open_ch(e, 2, 0xE1E10, 4), 0);
	ck_assert_uint_eq(open_status(e), 0);
	ck_assert_int_eq(relid_msg(e, CHANNELMSG_CLOSECHANNEL, 2), 0);
	ck_assert_int_eq(teardown(e, 2, 0xE1E10), 0);
	next_msg(e, CHANNELMSG_GPADL_TORNDOWN);
	env_free(e);
}
END_TEST

START_TEST(open_twice_is_busy)
{
	struct env *e = env_ready(1);

	gpadl_ok(e, 1, 1, 8);
	gpadl_ok(e, 1, 2, 8);
	ck_assert_int_eq(open_ch(e, 1, 1, 4), 0);
	ck_assert_uint_eq(open_status(e), 0);
	ck_assert_int_eq(open_ch(e, 1, 2, 4), -EBUSY);
	ck_assert_uint_eq(open_status(e), VMBUS_STATUS_DEVICE_BUSY);
	ck_assert_int_eq(e->opens, 1);
	env_free(e);
}
END_TEST

START_TEST(open_bad_ring_layout)
{
	struct env *e = env_ready(2);
	static const uint32_t bad_down[] = { 0, 1, 7, 8, 0xffffffff };

	gpadl_ok(e, 1, 1, 8);
	gpadl_ok(e, 2, 2, 8);
	gpadl_ok(e, 1, 3, 3);	/* too small for two rings */
	for (size_t i = 0; i < 5; i++) {
		ck_assert_int_eq(open_ch(e, 1, 1, bad_down[i]), -EINVAL);
		ck_assert_uint_eq(open_status(e), VMBUS_STATUS_INVALID_PARAMETER);
	}
	ck_assert_int_eq(open_ch(e, 1, 2, 4), -EINVAL);	/* other channel's */
	ck_assert_uint_ne(open_status(e), 0);
	ck_assert_int_eq(open_ch(e, 1, 99, 4), -EINVAL);	/* unknown GPADL */
	ck_assert_uint_ne(open_status(e), 0);
	ck_assert_int_eq(open_ch(e, 1, 3, 2), -EINVAL);
	ck_assert_uint_ne(open_status(e), 0);
	ck_assert_int_eq(e->opens, 0);
	ck_assert_int_eq(vmbus_server_channel_state(&e->srv, 1), VMBUS_CHAN_OFFERED);
	/* Edges that are fine: downstream at 2 and at pages - 2. */
	ck_assert_int_eq(open_ch(e, 1, 1, 6), 0);
	ck_assert_uint_eq(open_status(e), 0);
	env_free(e);
}
END_TEST

START_TEST(open_unknown_or_short)
{
	struct env *e = env_ready(1);
	struct vmbus_channel_open_channel m = {
		.header.msgtype = CHANNELMSG_OPENCHANNEL, .child_relid = 9,
	};

	expect_rejected(e, 4, &m, sizeof(m), -ENOENT);
	m.child_relid = 1;
	expect_rejected(e, 4, &m, sizeof(m) - 1, -EBADMSG);
	env_free(e);
}
END_TEST

START_TEST(open_callback_failure)
{
	struct env *e = env_ready(1);

	gpadl_ok(e, 1, 1, 8);
	e->open_rc = -ENOMEM;
	ck_assert_int_eq(open_ch(e, 1, 1, 4), -ENOMEM);
	ck_assert_uint_eq(open_status(e), VMBUS_STATUS_UNSUCCESSFUL);
	ck_assert_int_eq(vmbus_server_channel_state(&e->srv, 1), VMBUS_CHAN_OFFERED);
	/* The GPADL was not taken: it can be torn down. */
	ck_assert_int_eq(teardown(e, 1, 1), 0);
	env_free(e);
}
END_TEST

START_TEST(modify_channel)
{
	struct env *e = env_ready(1);
	struct vmbus_channel_modifychannel m = {
		.header.msgtype = CHANNELMSG_MODIFYCHANNEL, .child_relid = 1,
		.target_vp = 3,
	};

	expect_rejected(e, 4, &m, sizeof(m), -EBUSY);	/* not open */
	gpadl_ok(e, 1, 1, 8);
	ck_assert_int_eq(open_ch(e, 1, 1, 4), 0);
	open_status(e);
	ck_assert_int_eq(post(e, 4, &m, sizeof(m)), 0);
	ck_assert_int_eq(e->modifies, 1);
	next_msg(e, CHANNELMSG_MODIFYCHANNEL_RESPONSE);	/* 5.3 answers */
	env_free(e);
}
END_TEST

/* ---- Rescind / unload -------------------------------------------------- */

START_TEST(rescind_open_channel)
{
	struct env *e = env_ready(1);
	const struct vmbus_channel_rescind_offer *r;

	gpadl_ok(e, 1, 1, 8);
	ck_assert_int_eq(open_ch(e, 1, 1, 4), 0);
	open_status(e);
	ck_assert_int_eq(vmbus_server_rescind(&e->srv, 1), 0);
	ck_assert_int_eq(e->closes, 1);
	r = next_msg(e, CHANNELMSG_RESCIND_CHANNELOFFER);
	ck_assert_uint_eq(r->child_relid, 1);
	ck_assert_int_eq(vmbus_server_channel_state(&e->srv, 1), VMBUS_CHAN_RESCINDED);
	ck_assert_int_eq(vmbus_server_rescind(&e->srv, 1), -EALREADY);
	/* Linux still closes and tears down, then releases the relid. */
	ck_assert_int_eq(relid_msg(e, CHANNELMSG_CLOSECHANNEL, 1), 0);
	ck_assert_int_eq(e->closes, 1);
	ck_assert_int_eq(open_ch(e, 1, 1, 4), -ENOENT);
	ck_assert_int_eq(teardown(e, 1, 1), 0);
	next_msg(e, CHANNELMSG_GPADL_TORNDOWN);
	ck_assert_int_eq(relid_msg(e, CHANNELMSG_RELID_RELEASED, 1), 0);
	ck_assert_int_eq(vmbus_server_channel_state(&e->srv, 1), VMBUS_CHAN_FREE);
	/* The relid can be reused. */
	ck_assert_int_eq(add_dev(e, 0x300), 1);
	next_msg(e, CHANNELMSG_OFFERCHANNEL);
	no_more_msgs(e);
	env_free(e);
}
END_TEST

START_TEST(rescind_frees_leftover_gpadls_on_release)
{
	struct env *e = env_ready(1);

	gpadl_ok(e, 1, 1, 8);
	ck_assert_int_eq(vmbus_server_rescind(&e->srv, 1), 0);
	next_msg(e, CHANNELMSG_RESCIND_CHANNELOFFER);
	ck_assert_int_eq(relid_msg(e, CHANNELMSG_RELID_RELEASED, 1), 0);
	ck_assert_uint_eq(vmbus_server_gpadl_count(&e->srv), 0);
	env_free(e);
}
END_TEST

START_TEST(rescind_unsent_and_unknown)
{
	struct env *e = env_new();

	ck_assert_int_eq(add_dev(e, 1), 1);
	ck_assert_int_eq(vmbus_server_rescind(&e->srv, 1), 0);	/* never offered */
	ck_assert_int_eq(e->nsent, 0);
	ck_assert_int_eq(vmbus_server_channel_state(&e->srv, 1), VMBUS_CHAN_FREE);
	ck_assert_int_eq(vmbus_server_rescind(&e->srv, 1), -ENOENT);
	ck_assert_int_eq(vmbus_server_rescind(&e->srv, 0), -ENOENT);
	ck_assert_int_eq(vmbus_server_rescind(&e->srv, 5000), -ENOENT);
	env_free(e);
}
END_TEST

START_TEST(relid_released_without_rescind)
{
	struct env *e = env_ready(1);
	struct vmbus_channel_relid_released m = {
		.header.msgtype = CHANNELMSG_RELID_RELEASED, .child_relid = 1,
	};

	expect_rejected(e, 4, &m, sizeof(m), -EBUSY);
	m.child_relid = 2;
	expect_rejected(e, 4, &m, sizeof(m), -ENOENT);
	env_free(e);
}
END_TEST

START_TEST(unload_and_reconnect)
{
	struct env *e = env_ready(2);

	gpadl_ok(e, 1, 1, 8);
	gpadl_ok(e, 2, 2, 100);
	ck_assert_int_eq(open_ch(e, 1, 1, 4), 0);
	open_status(e);
	ck_assert_int_eq(vmbus_server_rescind(&e->srv, 2), 0);
	next_msg(e, CHANNELMSG_RESCIND_CHANNELOFFER);

	ck_assert_int_eq(simple(e, CHANNELMSG_UNLOAD), 0);
	next_msg(e, CHANNELMSG_UNLOAD_RESPONSE);
	no_more_msgs(e);
	ck_assert_int_eq(e->closes, 1);
	ck_assert_uint_eq(vmbus_server_gpadl_count(&e->srv), 0);
	ck_assert_int_eq(vmbus_server_conn_state(&e->srv), VMBUS_CONN_DISCONNECTED);
	ck_assert_uint_eq(vmbus_server_version(&e->srv), 0);
	ck_assert_int_eq(vmbus_server_channel_state(&e->srv, 1), VMBUS_CHAN_PENDING);
	ck_assert_int_eq(vmbus_server_channel_state(&e->srv, 2), VMBUS_CHAN_FREE);

	/* kexec: the next kernel connects again and sees relid 1 only. */
	connect_v(e, VERSION_WIN10_V5_1);
	ck_assert_int_eq(simple(e, CHANNELMSG_REQUESTOFFERS), 0);
	ck_assert_uint_eq(((const struct vmbus_channel_offer_channel *)
			   next_msg(e, CHANNELMSG_OFFERCHANNEL))->child_relid, 1);
	next_msg(e, CHANNELMSG_ALLOFFERS_DELIVERED);
	env_free(e);
}
END_TEST

START_TEST(old_protocol_uses_connection_1)
{
	struct env *e = env_new();

	ck_assert_int_eq(add_dev(e, 1), 1);
	connect_v(e, VERSION_WIN8);
	ck_assert_uint_eq(e->srv.interrupt_page, 0x1234000);
	ck_assert_int_eq(simple(e, CHANNELMSG_REQUESTOFFERS), 0);
	next_msg(e, CHANNELMSG_OFFERCHANNEL);
	next_msg(e, CHANNELMSG_ALLOFFERS_DELIVERED);
	gpadl_ok(e, 1, 1, 8);
	/* MODIFYCHANNEL needs 4.1. */
	{
		struct vmbus_channel_modifychannel m = {
			.header.msgtype = CHANNELMSG_MODIFYCHANNEL, .child_relid = 1,
		};

		expect_rejected(e, 1, &m, sizeof(m), -EOPNOTSUPP);
	}
	env_free(e);
}
END_TEST

START_TEST(send_failure_is_reported)
{
	struct env *e = env_new();

	e->send_rc = -EAGAIN;
	ck_assert_int_eq(initiate(e, VERSION_WIN10_V5_3, 4), -EAGAIN);
	env_free(e);

	/* A hot-added offer that cannot be sent is not registered. */
	e = env_ready(1);
	e->send_rc = -EAGAIN;
	ck_assert_int_eq(add_dev(e, 0x50), -EAGAIN);
	ck_assert_int_eq(vmbus_server_channel_state(&e->srv, 2), VMBUS_CHAN_FREE);
	e->send_rc = 0;
	ck_assert_int_eq(add_dev(e, 0x50), 2);
	env_free(e);
}
END_TEST

START_TEST(modify_without_response_before_5_3)
{
	struct env *e = env_new();
	struct vmbus_channel_modifychannel m = {
		.header.msgtype = CHANNELMSG_MODIFYCHANNEL, .child_relid = 1,
		.target_vp = 1,
	};

	ck_assert_int_eq(add_dev(e, 1), 1);
	connect_v(e, VERSION_WIN10_V4_1);
	ck_assert_int_eq(simple(e, CHANNELMSG_REQUESTOFFERS), 0);
	e->seen = e->nsent;
	gpadl_ok(e, 1, 1, 8);
	ck_assert_int_eq(open_ch(e, 1, 1, 4), 0);
	ck_assert_uint_eq(open_status(e), 0);
	ck_assert_int_eq(post(e, 1, &m, sizeof(m)), 0);
	ck_assert_int_eq(e->modifies, 1);
	no_more_msgs(e);
	m.child_relid = 7;
	expect_rejected(e, 1, &m, sizeof(m), -ENOENT);
	env_free(e);
}
END_TEST

START_TEST(init_checks_ops)
{
	struct vmbus_server srv;
	struct vmbus_server_ops bad = ops;
	struct vmbus_server_limits l = { .max_gpadls = VMBUS_SERVER_MAX_GPADLS + 1 };

	bad.open = NULL;
	ck_assert_int_eq(vmbus_server_init(&srv, &bad, NULL, NULL), -EINVAL);
	ck_assert_int_eq(vmbus_server_init(&srv, &ops, NULL, &l), -EINVAL);
	ck_assert_int_eq(vmbus_server_init(&srv, NULL, NULL, NULL), -EINVAL);
}
END_TEST

/*
 * End to end without a hypervisor: the "guest" lays out its two rings in
 * a GPADL the Linux way (outbound ring first, inbound at the downstream
 * page), the server opens the channel, and the "host" maps the same pages
 * as reader of the first ring and writer of the second.
 */
#define GUEST_PAGES	8
#define GUEST_PFN0	0x100
static uint8_t guest_mem[GUEST_PAGES * 4096] __attribute__((aligned(4096)));
static struct vmbus_ring host_in, host_out;

static void *guest_page(uint64_t pfn)
{
	ck_assert_uint_ge(pfn, GUEST_PFN0);
	ck_assert_uint_lt(pfn, GUEST_PFN0 + GUEST_PAGES);
	return guest_mem + (pfn - GUEST_PFN0) * 4096;
}

static int e2e_open(void *ctx, const struct vmbus_open_request *req)
{
	const struct vmbus_gpadl_range *r = &req->gpadl->ranges[0];
	uint32_t d = req->downstream_page;

	(void)ctx;
	/* This test maps contiguous guest pages only. */
	for (uint32_t i = 1; i < r->page_count; i++)
		if (r->pfns[i] != r->pfns[0] + i)
			return -EINVAL;
	if (vmbus_ring_init(&host_in, guest_page(r->pfns[0]), guest_page(r->pfns[1]),
			    (d - 1) * 4096, VMBUS_RING_READER) ||
	    vmbus_ring_init(&host_out, guest_page(r->pfns[d]), guest_page(r->pfns[d + 1]),
			    (r->page_count - d - 1) * 4096, VMBUS_RING_WRITER))
		return -EPROTO;
	return 0;
}

START_TEST(end_to_end_open_and_exchange)
{
	struct vmbus_server_ops o = ops;
	struct env *e = calloc(1, sizeof(*e));
	struct vmbus_ring guest_out, guest_in;
	struct vmbus_ring_pkt pkt;
	uint8_t msg[VMBUS_MAX_MSG_SIZE], buf[64];
	struct vmbus_packet_desc d = { .type = VM_PKT_DATA_INBAND,
				       .flags = VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED,
				       .trans_id = 0xfffffffffffffffdull };
	struct vmbus_ring_iov iov = { "ping", 4 };
	bool sig;

	o.open = e2e_open;
	ck_assert_int_eq(vmbus_server_init(&e->srv, &o, e, NULL), 0);
	ck_assert_int_eq(add_dev(e, 0x42), 1);
	connect_v(e, VERSION_WIN10_V5_3);
	ck_assert_int_eq(simple(e, CHANNELMSG_REQUESTOFFERS), 0);
	e->seen = e->nsent;

	/* Guest: zeroed rings with feat_pending_send_sz in both headers. */
	memset(guest_mem, 0, sizeof(guest_mem));
	vmbus_ring_header_init((void *)guest_mem, VMBUS_RING_FEAT_PENDING_SEND_SZ);
	vmbus_ring_header_init((void *)(guest_mem + 4 * 4096), VMBUS_RING_FEAT_PENDING_SEND_SZ);
	ck_assert_int_eq(vmbus_ring_init(&guest_out, (void *)guest_mem, guest_mem + 4096,
					 3 * 4096, VMBUS_RING_WRITER), 0);
	ck_assert_int_eq(vmbus_ring_init(&guest_in, (void *)(guest_mem + 4 * 4096),
					 guest_mem + 5 * 4096, 3 * 4096,
					 VMBUS_RING_READER), 0);
	{
		struct vmbus_channel_gpadl_header h = {
			.header.msgtype = CHANNELMSG_GPADL_HEADER, .child_relid = 1,
			.gpadl = 0xE1E10, .range_buflen = 8 + 8 * 8, .rangecount = 1,
		};
		uint32_t range[2] = { 8 * 4096, 0 };

		memcpy(msg, &h, sizeof(h));
		memcpy(msg + 20, range, 8);
		for (uint64_t i = 0; i < 8; i++) {
			uint64_t pfn = GUEST_PFN0 + i;

			memcpy(msg + 28 + i * 8, &pfn, 8);
		}
		ck_assert_int_eq(post(e, 4, msg, 28 + 64), 0);
		next_msg(e, CHANNELMSG_GPADL_CREATED);
	}
	ck_assert_int_eq(open_ch(e, 1, 0xE1E10, 4), 0);
	ck_assert_uint_eq(open_status(e), 0);

	/* Guest -> host request, host -> guest completion echoing trans_id. */
	ck_assert_int_eq(vmbus_ring_send(&guest_out, &d, &iov, 1, &sig), 0);
	ck_assert(sig);
	ck_assert_int_eq(vmbus_ring_read(&host_in, &pkt, buf, sizeof(buf)), 8);
	ck_assert_mem_eq(buf, "ping", 4);
	ck_assert_uint_eq(pkt.desc.flags, VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED);
	ck_assert_int_eq(vmbus_ring_read_done(&host_in), 0);
	d.type = VM_PKT_COMP;
	d.flags = 0;
	d.trans_id = pkt.desc.trans_id;
	iov = (struct vmbus_ring_iov){ "pong", 4 };
	ck_assert_int_eq(vmbus_ring_send(&host_out, &d, &iov, 1, &sig), 0);
	ck_assert(sig);
	ck_assert_int_eq(vmbus_ring_read(&guest_in, &pkt, buf, sizeof(buf)), 8);
	ck_assert_uint_eq(pkt.desc.type, VM_PKT_COMP);
	ck_assert_uint_eq(pkt.desc.trans_id, 0xfffffffffffffffdull);
	ck_assert_mem_eq(buf, "pong", 4);
	/* The host's view of the guest's read_index is in guest memory. */
	ck_assert_int_eq(vmbus_ring_read_done(&guest_in), 0);
	ck_assert_uint_eq(((struct vmbus_ring_header *)(guest_mem + 4 * 4096))->read_index, 32);
	env_free(e);
}
END_TEST

/* Random messages at a live server: no crash, no leak (ASan/UBSan). */
START_TEST(random_messages)
{
	uint64_t x = 0x2545F4914F6CDD1Dull;
	struct env *e = env_ready(3);

	gpadl_ok(e, 1, 1, 8);
	for (int i = 0; i < 200000; i++) {
		uint8_t msg[VMBUS_MAX_MSG_SIZE + 8];
		uint32_t len;

		for (size_t k = 0; k < sizeof(msg); k += 8) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			memcpy(msg + k, &x, 8);
		}
		msg[0] = (uint8_t)(msg[0] % 26);
		msg[1] = msg[2] = msg[3] = 0;
		if (msg[5] & 1) {	/* small relids and handles hit more paths */
			msg[8] &= 3, msg[9] = msg[10] = msg[11] = 0;
			msg[12] &= 3, msg[13] = msg[14] = msg[15] = 0;
		}
		len = (uint32_t)(x % (sizeof(msg) + 1));
		post(e, (x >> 20) & 1 ? 4 : 1, msg, len);
		e->nsent = e->seen = 0;
	}
	env_free(e);
}
END_TEST

static Suite *channel_suite(void)
{
	Suite *s = suite_create("channel");
	TCase *ver = tcase_create("version");
	TCase *off = tcase_create("offers");
	TCase *gp = tcase_create("gpadl");
	TCase *op = tcase_create("open");
	TCase *life = tcase_create("lifecycle");

	tcase_add_loop_test(ver, negotiate_each_guest_version, 0, 8);
	tcase_add_test(ver, negotiate_walks_down_like_linux);
	tcase_add_test(ver, refuse_unknown_versions);
	tcase_add_test(ver, refuse_wrong_connection_id_or_sint);
	tcase_add_test(ver, initiate_again_while_connected);
	tcase_add_test(ver, initiate_short_is_dropped);
	tcase_add_test(ver, messages_before_connect);
	tcase_add_test(ver, hostile_framing);
	tcase_add_test(ver, old_protocol_uses_connection_1);
	tcase_add_test(ver, send_failure_is_reported);
	tcase_add_test(ver, short_channel_messages);
	tcase_add_test(ver, init_checks_ops);
	suite_add_tcase(s, ver);

	tcase_add_test(off, offers_then_all_delivered);
	tcase_add_test(off, hot_add_after_offers);
	tcase_add_test(off, add_channel_limits);
	suite_add_tcase(s, off);

	tcase_add_test(gp, gpadl_single_message);
	tcase_add_test(gp, gpadl_multi_body);
	tcase_add_test(gp, gpadl_waits_for_missing_body);
	tcase_add_test(gp, gpadl_oversized_body);
	tcase_add_test(gp, gpadl_duplicate_and_unknown);
	tcase_add_test(gp, gpadl_malformed_header);
	tcase_add_test(gp, gpadl_inconsistent_ranges);
	tcase_add_test(gp, gpadl_page_limit_per_gpadl);
	tcase_add_test(gp, gpadl_total_and_count_limits);
	tcase_add_test(gp, gpadl_multi_range);
	tcase_add_test(gp, gpadl_teardown_veto);
	tcase_add_test(gp, gpadl_alloc_failure);
	suite_add_tcase(s, gp);

	tcase_add_test(op, open_close_reopen);
	tcase_add_test(op, open_twice_is_busy);
	tcase_add_test(op, open_bad_ring_layout);
	tcase_add_test(op, open_unknown_or_short);
	tcase_add_test(op, open_callback_failure);
	tcase_add_test(op, modify_channel);
	tcase_add_test(op, modify_without_response_before_5_3);
	suite_add_tcase(s, op);

	tcase_add_test(life, rescind_open_channel);
	tcase_add_test(life, rescind_frees_leftover_gpadls_on_release);
	tcase_add_test(life, rescind_unsent_and_unknown);
	tcase_add_test(life, relid_released_without_rescind);
	tcase_add_test(life, unload_and_reconnect);
	tcase_add_test(life, random_messages);
	tcase_add_test(life, end_to_end_open_and_exchange);
	tcase_set_timeout(life, 60);
	suite_add_tcase(s, life);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(channel_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
