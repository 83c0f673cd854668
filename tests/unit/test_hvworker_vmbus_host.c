// SPDX-License-Identifier: GPL-2.0
/*
 * Check suite for parent/worker/vmbus_host.c: a fake Linux 6.1 guest
 * (hvworker_vmbus_fake.h) connects, gets offers, builds GPADLs and opens
 * channels through the fake transport; then hostile guests.
 */
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "hvworker_vmbus_fake.h"

static const struct vmbus_guid ic_types[4] = {
	VMBUS_GUID_SHUTDOWN, VMBUS_GUID_TIMESYNC, VMBUS_GUID_HEARTBEAT, VMBUS_GUID_KVP,
};

/* Linux tries 5.3 down to 2.4: each is accepted on its connection id. */
START_TEST(connect_each_version)
{
	for (size_t i = 0; i < sizeof(fg_versions) / sizeof(fg_versions[0]); i++) {
		uint32_t v = fg_versions[i];
		struct fake *f = fg_new(VMBUS_IC_ALL, v, false);

		ck_assert_uint_eq(fg_connect(f), v);
		ck_assert_uint_eq(status(f).version, v);
		ck_assert_uint_eq(f->msg_conn, v >= VERSION_WIN10_V5 ?
				  VMBUS_MESSAGE_CONNECTION_ID_4 : VMBUS_MESSAGE_CONNECTION_ID);
		/* The refused newer versions were answered, never dropped. */
		ck_assert_uint_eq(status(f).msgs_posted, i + 1);
		fg_free(f);
	}
}
END_TEST

START_TEST(connect_ids_registered)
{
	struct fake *f = fg_new(VMBUS_IC_ALL, 0, false);

	ck_assert(fg_connected(f->conn_msg, f->nconn_msg, 1));
	ck_assert(fg_connected(f->conn_msg, f->nconn_msg, 4));
	ck_assert_int_eq(f->nconn_event, 4);
	for (int i = 0; i < 4; i++)
		ck_assert_uint_eq(f->conn_event[i], VMBUS_HOST_EVENT_CONN_BASE + i);
	ck_assert_uint_eq(fg_connect(f), VERSION_WIN10_V5_3);
	fg_free(f);
}
END_TEST

START_TEST(offers_ic_devices)
{
	struct fake *f = fg_new(VMBUS_IC_ALL, 0, false);

	fg_connect(f);
	ck_assert_int_eq(fg_request_offers(f), 4);
	ck_assert(f->offers_done);
	for (int i = 0; i < 4; i++) {
		struct fg_chan *c = fg_chan_by_type(f, ic_types[i]);

		ck_assert_ptr_nonnull(c);
		ck_assert_uint_ne(c->relid, 0);
		ck_assert_uint_eq(c->monitor_allocated, 0);
		ck_assert(fg_connected(f->conn_event, f->nconn_event, c->conn_id));
	}
	fg_free(f);
}
END_TEST

START_TEST(offers_subset)
{
	struct fake *f = fg_new(VMBUS_IC_SHUTDOWN | VMBUS_IC_HEARTBEAT, 0, false);

	fg_connect(f);
	ck_assert_int_eq(fg_request_offers(f), 2);
	ck_assert_ptr_nonnull(fg_chan_by_type(f, ic_types[0]));
	ck_assert_ptr_nonnull(fg_chan_by_type(f, ic_types[2]));
	ck_assert_ptr_null(fg_chan_by_type(f, ic_types[3]));
	fg_free(f);
}
END_TEST

START_TEST(open_util_channels)
{
	struct fake *f = fg_up(VMBUS_IC_ALL, false);

	ck_assert_uint_eq(status(f).channels_open, 4);
	/* The NEGOTIATE of each service lands in its host -> guest ring. */
	fg_run(f, 50);
	for (int i = 0; i < 4; i++)
		if (!guid_eq(f->ch[i].type, ic_types[3]))
			ck_assert_uint_ge(f->ch[i].packets, 1);
	/* hv_kvp reads nothing until its daemon registers. */
	ck_assert_uint_eq(fg_chan_by_type(f, ic_types[3])->packets, 0);
	fg_free(f);
}
END_TEST

/* A 64-page ring GPADL: one header (26 PFNs) and two bodies (28 + 10). */
START_TEST(open_big_gpadl)
{
	struct fake *f = fg_new(VMBUS_IC_HEARTBEAT, 0, false);

	fg_boot(f);
	ck_assert_uint_eq(fg_open(f, &f->ch[0], 32, 32), 0);
	ck_assert_uint_eq(status(f).channels_open, 1);
	fg_run(f, 50);
	ck_assert_uint_ge(f->ch[0].packets, 1);
	fg_free(f);
}
END_TEST

START_TEST(open_close_reopen)
{
	struct fake *f = fg_new(VMBUS_IC_HEARTBEAT, 0, false);
	struct vmbus_channel_close_channel cl = {
		.header.msgtype = CHANNELMSG_CLOSECHANNEL,
	};
	struct vmbus_channel_gpadl_teardown td = {
		.header.msgtype = CHANNELMSG_GPADL_TEARDOWN,
	};

	fg_boot(f);
	ck_assert_uint_eq(fg_open(f, &f->ch[0], 4, 4), 0);
	cl.child_relid = f->ch[0].relid;
	ck_assert_int_eq(fg_post(f, f->msg_conn, &cl, sizeof(cl)), 0);
	fg_pump(f);
	ck_assert_uint_eq(status(f).channels_open, 0);
	td.child_relid = f->ch[0].relid;
	td.gpadl = f->ch[0].gpadl;
	ck_assert_int_eq(fg_post(f, f->msg_conn, &td, sizeof(td)), 0);
	fg_pump(f);
	fg_expect(f, CHANNELMSG_GPADL_TORNDOWN, NULL, 12);
	ck_assert_uint_eq(fg_open(f, &f->ch[0], 4, 4), 0);
	ck_assert_uint_eq(status(f).channels_open, 1);
	fg_free(f);
}
END_TEST

/* UNLOAD closes everything and answers; the next connection gets offers again. */
START_TEST(unload_and_reconnect)
{
	struct fake *f = fg_up(VMBUS_IC_ALL, false);
	struct vmbus_channel_message_header u = { .msgtype = CHANNELMSG_UNLOAD };

	ck_assert_int_eq(fg_post(f, f->msg_conn, &u, sizeof(u)), 0);
	fg_pump(f);
	fg_expect(f, CHANNELMSG_UNLOAD_RESPONSE, NULL, 8);
	ck_assert_uint_eq(status(f).channels_open, 0);
	ck_assert_uint_eq(status(f).version, 0);
	fg_boot(f);
	ck_assert_int_eq(f->nch, 4);
	fg_open_all(f);
	ck_assert_uint_eq(status(f).channels_open, 4);
	fg_free(f);
}
END_TEST

/* Busy SIMP slot: messages queue and go out in order once it is free. */
START_TEST(slot_busy_queues_in_order)
{
	struct fake *f = fg_new(VMBUS_IC_ALL, 0, false);
	struct vmbus_channel_message_header m = { .msgtype = CHANNELMSG_REQUESTOFFERS };
	struct fg_msg r;

	fg_connect(f);
	f->slot_busy = true;
	ck_assert_int_eq(fg_post(f, f->msg_conn, &m, sizeof(m)), 0);
	fg_pump(f);
	ck_assert_int_eq(f->in_count, 0);
	ck_assert_uint_eq(status(f).msgs_queued, 5);	/* 4 offers + ALLOFFERS */
	vmbus_host_poll(f->h, 100);
	ck_assert_int_eq(f->in_count, 0);
	f->slot_busy = false;
	vmbus_host_poll(f->h, 100);
	vmbus_host_poll(f->h, 100);
	ck_assert_int_eq(f->in_count, 5);
	for (int i = 0; i < 4; i++) {
		ck_assert(fg_take(f, &r));
		ck_assert_uint_eq(fg_msgtype(&r), CHANNELMSG_OFFERCHANNEL);
	}
	ck_assert(fg_take(f, &r));
	ck_assert_uint_eq(fg_msgtype(&r), CHANNELMSG_ALLOFFERS_DELIVERED);
	ck_assert_uint_eq(status(f).msgs_dropped, 0);
	fg_free(f);
}
END_TEST

/* A slot busy for good: the queue is bounded and the host logs it. */
START_TEST(slot_busy_bounded)
{
	struct fake *f = fg_new(VMBUS_IC_ALL, 0, false);
	struct vmbus_channel_initiate_contact m = {
		.header.msgtype = CHANNELMSG_INITIATE_CONTACT,
		.vmbus_version_requested = VERSION_WIN10_V5_3,
		.msg_sint = 2,
	};
	struct vmbus_host_status st;

	fg_connect(f);
	f->slot_busy = true;
	/* Each repeated INITIATE_CONTACT is answered (refused). */
	for (int i = 0; i < VMBUS_HOST_MSGQ_MAX + 50; i++)
		ck_assert_int_eq(fg_post(f, 4, &m, sizeof(m)), 0);
	fg_pump(f);
	st = status(f);
	ck_assert_uint_eq(st.msgs_queued, VMBUS_HOST_MSGQ_MAX);
	ck_assert_uint_eq(st.msgs_dropped, 50);
	/* The refusals used up this second's log budget. */
	ck_assert_uint_gt(st.log_suppressed, 0);
	f->busy_posts = 0;
	for (uint64_t end = f->now_ms + 11000; f->now_ms < end;)
		vmbus_host_poll(f->h, 1000);
	ck_assert(fg_logged(f, "has not freed"));
	/* Every 2 ms for a second, then every 50 ms. */
	ck_assert_uint_ge(f->busy_posts, 500);
	ck_assert_uint_le(f->busy_posts, 500 + 10000 / 50 + 10);
	f->slot_busy = false;
	for (int i = 0; i < 3; i++)
		vmbus_host_poll(f->h, 10);
	ck_assert_int_eq(f->in_count, VMBUS_HOST_MSGQ_MAX);
	ck_assert_uint_eq(status(f).version, VERSION_WIN10_V5_3);
	fg_free(f);
}
END_TEST

START_TEST(post_error_dropped)
{
	struct fake *f = fg_new(VMBUS_IC_ALL, 0, false);
	struct vmbus_channel_initiate_contact m = {
		.header.msgtype = CHANNELMSG_INITIATE_CONTACT,
		.vmbus_version_requested = VERSION_WIN10_V5_3,
		.msg_sint = 2,
	};

	f->post_err = -EINVAL;
	ck_assert_int_eq(fg_post(f, 4, &m, sizeof(m)), 0);
	fg_pump(f);
	ck_assert_uint_eq(status(f).msgs_dropped, 1);
	ck_assert(fg_logged(f, "dropped"));
	fg_free(f);
}
END_TEST

/* The echo message comes back unchanged to VP 0, bounded like any answer. */
START_TEST(echo_comes_back)
{
	struct fake *f = fg_new(VMBUS_IC_ALL, 0, false);
	uint32_t m[4] = { VMBUS_MSG_ECHO, 0, 0x1234, 0x5678 };
	struct fg_msg r;

	fg_connect(f);
	ck_assert_int_eq(fg_post(f, f->msg_conn, m, sizeof(m)), 0);
	fg_pump(f);
	ck_assert(fg_take(f, &r));
	ck_assert_uint_eq(r.vp, 0);
	ck_assert_uint_eq(r.len, sizeof(m));
	ck_assert_int_eq(memcmp(r.data, m, sizeof(m)), 0);
	/* Before the guest connected, and a flood into a busy slot. */
	fg_free(f);
	f = fg_new(VMBUS_IC_ALL, 0, false);
	f->slot_busy = true;
	for (int i = 0; i < VMBUS_HOST_MSGQ_MAX + 20; i++)
		ck_assert_int_eq(fg_post(f, 4, m, sizeof(m)), 0);
	fg_pump(f);
	ck_assert_uint_eq(status(f).msgs_queued, VMBUS_HOST_MSGQ_MAX);
	ck_assert_uint_eq(status(f).msgs_dropped, 20);
	ck_assert_uint_eq(status(f).version, 0);	/* no connection made */
	fg_free(f);
}
END_TEST

/* ---- hostile guests ---- */

START_TEST(hostile_bad_message_types)
{
	struct fake *f = fg_new(VMBUS_IC_ALL, 0, false);
	uint8_t junk[240];
	uint32_t t;

	memset(junk, 0xa5, sizeof(junk));
	/* Wrong SynIC message type, on both ids. */
	ck_assert_int_eq(fg_post_type(f, 4, 7, junk, 40), 0);
	ck_assert_int_eq(fg_post_type(f, 1, 0x80000010, junk, 40), 0);
	/* Channel messages: invalid, host -> guest ones, unknown, too short. */
	for (t = 0; t < 40; t++) {
		memcpy(junk, &t, 4);
		if (t == CHANNELMSG_INITIATE_CONTACT)
			continue;
		ck_assert_int_eq(fg_post(f, 4, junk, 240), 0);
		ck_assert_int_eq(fg_post(f, 1, junk, 8), 0);
	}
	t = CHANNELMSG_INITIATE_CONTACT;
	memcpy(junk, &t, 4);
	ck_assert_int_eq(fg_post(f, 4, junk, 39), 0);	/* short */
	ck_assert_int_eq(fg_post(f, 4, junk, 3), 0);
	ck_assert_int_eq(fg_post(f, 4, junk, 0), 0);
	fg_pump(f);
	ck_assert_uint_eq(status(f).msgs_bad, status(f).msgs_in);
	ck_assert_uint_eq(status(f).version, 0);
	ck_assert(fg_logged(f, "dropped") || fg_logged(f, "refused"));
	/* The host still works. */
	f->in_count = 0;
	ck_assert_uint_eq(fg_connect(f), VERSION_WIN10_V5_3);
	ck_assert_int_eq(fg_request_offers(f), 4);
	fg_free(f);
}
END_TEST

START_TEST(hostile_oversized_event_len)
{
	struct fake *f = fg_new(VMBUS_IC_ALL, 0, false);
	struct vmbus_host_event ev = {
		.type = VMBUS_HOST_EV_MESSAGE, .conn_id = 4, .msg_type = 1,
		.len = 100000,
	};

	fg_push(f, &ev);
	ev.type = 99;
	fg_push(f, &ev);
	fg_pump(f);
	ck_assert_uint_eq(status(f).msgs_bad, 1);
	ck_assert(fg_logged(f, "ignored"));
	fg_free(f);
}
END_TEST

START_TEST(hostile_gpadl_outside_ram)
{
	struct fake *f = fg_new(VMBUS_IC_HEARTBEAT, 0, false);
	uint64_t pfns[8];

	fg_boot(f);
	for (int i = 0; i < 8; i++)
		pfns[i] = (FG_RAM >> 12) - 4 + i;	/* last 4 pages run past RAM */
	ck_assert_uint_eq(fg_gpadl(f, f->ch[0].relid, 0x1234, pfns, 8),
			  VMBUS_STATUS_INVALID_PARAMETER);
	ck_assert(fg_logged(f, "not guest RAM"));
	/* Opening on it fails too, without touching the pages. */
	ck_assert_uint_ne(fg_open_msg(f, f->ch[0].relid, 0x1234, 4, 0), 0);
	ck_assert_uint_eq(status(f).channels_open, 0);
	/* In the 3-4 GiB hole and far above. */
	for (int i = 0; i < 8; i++)
		pfns[i] = (0xC0000000ull >> 12) + i;
	ck_assert_uint_ne(fg_gpadl(f, f->ch[0].relid, 0x1235, pfns, 8), 0);
	for (int i = 0; i < 8; i++)
		pfns[i] = (1ull << 39) + i;
	ck_assert_uint_ne(fg_gpadl(f, f->ch[0].relid, 0x1236, pfns, 8), 0);
	/* A good open still works. */
	ck_assert_uint_eq(fg_open(f, &f->ch[0], 4, 4), 0);
	fg_free(f);
}
END_TEST

START_TEST(hostile_ring_not_contiguous)
{
	struct fake *f = fg_new(VMBUS_IC_HEARTBEAT, 0, false);
	uint64_t base = fg_alloc(f, 16) >> 12;
	uint64_t pfns[8] = { base, base + 2, base + 4, base + 6,
			     base + 8, base + 9, base + 10, base + 11 };

	fg_boot(f);
	ck_assert_uint_eq(fg_gpadl(f, f->ch[0].relid, 0x77, pfns, 8), 0);
	ck_assert_uint_ne(fg_open_msg(f, f->ch[0].relid, 0x77, 4, 0), 0);
	ck_assert(fg_logged(f, "not contiguous"));
	ck_assert_uint_eq(status(f).channels_open, 0);
	fg_free(f);
}
END_TEST

START_TEST(hostile_open_bad_vp_and_layout)
{
	struct fake *f = fg_new(VMBUS_IC_HEARTBEAT, 0, false);
	uint64_t base = fg_alloc(f, 8) >> 12;
	uint64_t pfns[8];

	for (int i = 0; i < 8; i++)
		pfns[i] = base + i;
	fg_boot(f);
	ck_assert_uint_eq(fg_gpadl(f, f->ch[0].relid, 0x88, pfns, 8), 0);
	ck_assert_uint_ne(fg_open_msg(f, f->ch[0].relid, 0x88, 4, FG_NR_VPS), 0);
	ck_assert(fg_logged(f, "target VP"));
	ck_assert_uint_ne(fg_open_msg(f, f->ch[0].relid, 0x88, 7, 0), 0);
	ck_assert_uint_ne(fg_open_msg(f, f->ch[0].relid, 0x88, 0, 0), 0);
	/* Corrupt ring header at open: read_index of the guest ring past the data. */
	((struct vmbus_ring_header *)(f->ram + (base << 12)))->read_index = 0xfffffff8;
	ck_assert_uint_ne(fg_open_msg(f, f->ch[0].relid, 0x88, 4, 0), 0);
	((struct vmbus_ring_header *)(f->ram + (base << 12)))->read_index = 0;
	ck_assert_uint_eq(fg_open_msg(f, f->ch[0].relid, 0x88, 4, 0), 0);
	ck_assert_uint_eq(status(f).channels_open, 1);
	fg_free(f);
}
END_TEST

/* Corrupt write_index: that channel is rescinded, the others keep going. */
START_TEST(hostile_corrupt_ring_index)
{
	struct fake *f = fg_new(VMBUS_IC_ALL, 0, false);
	struct fg_chan *hb, *sd;
	struct vmbus_ring_header *hdr;
	struct vmbus_channel_rescind_offer r;
	uint64_t before;

	fg_boot(f);
	fg_open_all(f);
	fg_run(f, 100);
	hb = fg_chan_by_type(f, ic_types[2]);
	sd = fg_chan_by_type(f, ic_types[0]);
	hdr = (void *)(f->ram + sd->gpa);
	hdr->write_index = 0x12345679;	/* unaligned and out of range */
	fg_signal_host(f, sd->conn_id);
	fg_pump(f);
	fg_expect(f, CHANNELMSG_RESCIND_CHANNELOFFER, &r, sizeof(r));
	ck_assert_uint_eq(r.child_relid, sd->relid);
	ck_assert(fg_logged(f, "corrupt"));
	ck_assert_uint_eq(status(f).channels_open, 3);
	/* The ring stays broken for good; further signals do nothing. */
	fg_signal_host(f, sd->conn_id);
	fg_pump(f);
	ck_assert_int_eq(f->in_count, 0);
	sd->opened = false;
	before = hb->packets;
	fg_run(f, 3000);
	ck_assert_uint_gt(hb->packets, before);
	ck_assert_uint_ge(status(f).heartbeat_count, 2);
	fg_free(f);
}
END_TEST

/* After UNLOAD (kexec) a rescinded device is offered again. */
START_TEST(unload_revives_rescinded)
{
	struct fake *f = fg_up(VMBUS_IC_ALL, false);
	struct vmbus_channel_message_header u = { .msgtype = CHANNELMSG_UNLOAD };
	struct vmbus_ring_header *hdr;

	hdr = (void *)(f->ram + f->ch[1].gpa);
	hdr->write_index = 8;	/* data "written" but garbage: zero descriptor */
	fg_signal_host(f, f->ch[1].conn_id);
	fg_pump(f);
	fg_expect(f, CHANNELMSG_RESCIND_CHANNELOFFER, NULL, 12);
	ck_assert_uint_eq(status(f).channels_open, 3);
	fg_post(f, f->msg_conn, &u, sizeof(u));
	fg_pump(f);
	fg_expect(f, CHANNELMSG_UNLOAD_RESPONSE, NULL, 8);
	fg_boot(f);
	ck_assert_int_eq(f->nch, 4);
	fg_open_all(f);
	ck_assert_uint_eq(status(f).channels_open, 4);
	fg_free(f);
}
END_TEST

/*
 * read_index of the host -> guest ring corrupted by the guest.  The
 * host's writer trusts the read_index it validated last until a packet no
 * longer fits (vmbus/ring.c), so a garbage value is never used: here the
 * guest's next read writes its own index back and the channel carries on
 * (a value caught at a reload breaks the channel: test_ring covers that).
 */
START_TEST(hostile_corrupt_read_index)
{
	struct fake *f = fg_up(VMBUS_IC_HEARTBEAT, false);
	struct vmbus_ring_header *hdr;
	uint64_t before;

	fg_run(f, 100);
	before = status(f).heartbeat_count;
	hdr = (void *)(f->ram + f->ch[0].gpa + f->ch[0].down * 4096ull);
	hdr->read_index = 0x7fff0000;
	fg_run(f, 5000);
	ck_assert_uint_eq(status(f).channels_open, 1);
	ck_assert_uint_gt(status(f).heartbeat_count, before);
	ck_assert(!status(f).guest_hung);
	fg_free(f);
}
END_TEST

/* A packet bigger than the host accepts is dropped; the channel lives on. */
START_TEST(hostile_giant_packet)
{
	struct fake *f = fg_new(VMBUS_IC_HEARTBEAT, 0, false);
	static uint8_t big[20000];

	fg_boot(f);
	ck_assert_uint_eq(fg_open(f, &f->ch[0], 8, 4), 0);
	ck_assert_int_eq(fg_send(f, &f->ch[0], VM_PKT_DATA_INBAND, 1, big, sizeof(big)), 0);
	fg_pump(f);
	ck_assert(fg_logged(f, "packet dropped"));
	ck_assert_uint_eq(status(f).channels_open, 1);
	fg_run(f, 2500);
	ck_assert_uint_ge(status(f).heartbeat_count, 1);
	fg_free(f);
}
END_TEST

/* Packet floods are drained in budgets; unsolicited ones are dropped. */
START_TEST(hostile_packet_flood)
{
	struct fake *f = fg_new(VMBUS_IC_HEARTBEAT, 0, false);
	uint8_t p[64];
	int sent = 0;

	memset(p, 0, sizeof(p));
	fg_boot(f);
	ck_assert_uint_eq(fg_open(f, &f->ch[0], 32, 4), 0);
	while (fg_send(f, &f->ch[0], VM_PKT_DATA_INBAND, 99, p, sizeof(p)) == 0)
		sent++;
	ck_assert_int_gt(sent, VMBUS_HOST_RX_BUDGET);
	fg_pump(f);
	/* One signal: one budget of packets, the rest on later turns. */
	ck_assert_int_lt(vmbus_ring_write_space(&f->ch[0].out), 31 * 4096);
	ck_assert_int_le(vmbus_ring_write_space(&f->ch[0].out),
			 31 * 4096 - (sent - VMBUS_HOST_RX_BUDGET) * 88);
	for (int i = 0; i < 100; i++)
		vmbus_host_poll(f->h, 0);
	ck_assert_int_eq(vmbus_ring_write_space(&f->ch[0].out), 31 * 4096);
	ck_assert(fg_logged(f, "unsolicited"));
	ck_assert_uint_gt(status(f).log_suppressed, 0);
	fg_free(f);
}
END_TEST

/* A flood of messages: all refused or answered, the log is rate-limited. */
START_TEST(hostile_message_flood)
{
	struct fake *f = fg_new(VMBUS_IC_ALL, 0, false);
	struct vmbus_channel_open_channel o = { .header.msgtype = CHANNELMSG_OPENCHANNEL };

	fg_boot(f);
	o.child_relid = 999;
	for (int i = 0; i < 10000; i++)
		ck_assert_int_eq(fg_post(f, f->msg_conn, &o, sizeof(o)), 0);
	fg_pump(f);
	ck_assert_uint_eq(status(f).msgs_bad, 10000);
	ck_assert_int_le(f->nlogs, 64);
	ck_assert_uint_ge(status(f).log_suppressed, 10000 - 64);
	fg_open_all(f);
	fg_free(f);
}
END_TEST

static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* One random channel message: junk, or a valid layout with random fields. */
static uint32_t chaos_msg(uint32_t *seed, uint8_t *m)
{
	uint32_t len = rnd(seed) % 241, t = rnd(seed) % 26, r;

	for (uint32_t i = 0; i < len; i++)
		m[i] = (uint8_t)rnd(seed);
	if (len < 8)
		return len;
	if ((t == CHANNELMSG_UNLOAD || t == CHANNELMSG_INITIATE_CONTACT) && rnd(seed) % 16)
		t = CHANNELMSG_OPENCHANNEL;	/* keep the connection up mostly */
	memcpy(m, &t, 4);
	r = 1 + rnd(seed) % 6;			/* relid, mostly real ones */
	memcpy(m + 8, &r, 4);
	if (t == CHANNELMSG_GPADL_HEADER && len >= 28) {
		uint16_t buflen = (uint16_t)(len - 20), count = 1;
		uint32_t h = 1 + rnd(seed) % 16, range[2] = { buflen / 8 * 4096 - 4096, 0 };
		uint64_t pfn = rnd(seed) % 2 ? (FG_RING_BASE >> 12) + rnd(seed) % 64 :
					       rnd(seed);

		buflen &= (uint16_t)~7;
		memcpy(m + 12, &h, 4);
		memcpy(m + 16, &buflen, 2);
		memcpy(m + 18, &count, 2);
		memcpy(m + 20, range, 8);
		for (uint32_t o = 28; o + 8 <= len; o += 8, pfn++)
			memcpy(m + o, &pfn, 8);
		len = 20 + buflen;
	} else if (t == CHANNELMSG_OPENCHANNEL && len >= 148) {
		uint32_t f3[3] = { r, 1 + rnd(seed) % 16, rnd(seed) % 3 };
		uint32_t down = rnd(seed) % 10;

		memcpy(m + 8, f3, 4);
		memcpy(m + 16, &f3[1], 8);
		memcpy(m + 24, &down, 4);
	}
	return len;
}

/* Random messages, ring bytes, events and requests: the host survives. */
START_TEST(hostile_random_chaos)
{
	struct fake *f = fg_up(VMBUS_IC_ALL, true);
	struct vmbus_channel_message_header u = { .msgtype = CHANNELMSG_UNLOAD };
	uint32_t seed = 0x2545f491;
	uint8_t m[240];

	for (int round = 0; round < 100000; round++) {
		uint32_t what = rnd(&seed) % 10;
		struct fg_chan *c = &f->ch[rnd(&seed) % 4];

		if (what < 4) {
			uint32_t len = chaos_msg(&seed, m);
			uint32_t conns[3] = { 1, 4, 7 };

			fg_post(f, conns[rnd(&seed) % 3], m, len);
		} else if (what < 6) {
			uint64_t off = c->gpa + rnd(&seed) % (c->pages * 4096ull);

			f->ram[off] = (uint8_t)rnd(&seed);
			fg_signal_host(f, c->conn_id);
		} else if (what == 6) {
			fg_signal_host(f, VMBUS_HOST_EVENT_CONN_BASE + rnd(&seed) % 6);
		} else if (what == 7) {
			f->slot_busy = rnd(&seed) % 4 == 0;
		} else if (what == 8) {
			vmbus_host_request_shutdown(f->h, rnd(&seed) & 1);
			vmbus_host_timesync_now(f->h);
			vmbus_host_kvp_refresh(f->h);
		} else {
			vmbus_host_poll(f->h, (int)(rnd(&seed) % 3000));
		}
		fg_pump(f);
		f->in_count = 0;	/* the guest reads and ignores */
		if (round % 2000 == 1999 || !status(f).version) {
			/* The guest reboots (kexec): everything works again. */
			f->next_gpa = FG_RING_BASE;
			f->slot_busy = false;
			vmbus_host_poll(f->h, 10);
			f->in_count = 0;
			fg_post(f, 4, &u, sizeof(u));
			fg_post(f, 1, &u, sizeof(u));
			fg_pump(f);
			f->in_count = 0;
			fg_boot(f);
			ck_assert_int_eq(f->nch, 4);
			fg_open_all(f);
			ck_assert_uint_eq(status(f).channels_open, 4);
		}
	}
	/* Still serving: a new guest (after UNLOAD) gets all devices. */
	f->slot_busy = false;
	for (int i = 0; i < 10; i++)
		vmbus_host_poll(f->h, 10);
	f->in_count = 0;
	fg_post(f, 4, &u, sizeof(u));
	fg_post(f, 1, &u, sizeof(u));
	fg_pump(f);
	f->in_count = 0;
	fg_boot(f);
	ck_assert_int_eq(f->nch, 4);
	fg_open_all(f);
	ck_assert_uint_eq(status(f).channels_open, 4);
	ck_assert_uint_gt(status(f).msgs_bad, 1000);
	if (getenv("CHAOS_STATS"))
		fprintf(stderr, "chaos: in %llu bad %llu posted %llu dropped %llu logs %d\n",
			(unsigned long long)status(f).msgs_in,
			(unsigned long long)status(f).msgs_bad,
			(unsigned long long)status(f).msgs_posted,
			(unsigned long long)status(f).msgs_dropped, f->nlogs);
	for (int i = 0; getenv("CHAOS_STATS") && i < FG_LOGS; i++)
		fprintf(stderr, "chaos log: %s\n", f->logs[i]);
	fg_free(f);
}
END_TEST

START_TEST(hostile_events)
{
	struct fake *f = fg_new(VMBUS_IC_ALL, 0, false);
	struct vmbus_host_event ev = { .type = VMBUS_HOST_EV_SIGNAL, .conn_id = 12345 };

	fg_push(f, &ev);
	ev.conn_id = VMBUS_HOST_EVENT_CONN_BASE;	/* channel not open */
	fg_push(f, &ev);
	fg_pump(f);
	ck_assert_uint_eq(status(f).events_in, 2);
	ck_assert_uint_eq(status(f).events_unknown, 1);
	fg_free(f);
}
END_TEST

START_TEST(modify_channel_vp)
{
	struct fake *f = fg_up(VMBUS_IC_HEARTBEAT, false);
	struct vmbus_channel_modifychannel m = { .header.msgtype = CHANNELMSG_MODIFYCHANNEL };

	m.child_relid = f->ch[0].relid;
	m.target_vp = 1;
	fg_post(f, f->msg_conn, &m, sizeof(m));
	fg_pump(f);
	fg_expect(f, CHANNELMSG_MODIFYCHANNEL_RESPONSE, NULL, 16);
	m.target_vp = 77;
	fg_post(f, f->msg_conn, &m, sizeof(m));
	fg_pump(f);
	fg_expect(f, CHANNELMSG_MODIFYCHANNEL_RESPONSE, NULL, 16);
	ck_assert(fg_logged(f, "MODIFYCHANNEL to VP 77"));
	/* Events now go to VP 1. */
	memset(f->sief, 0, sizeof(f->sief));
	fg_run(f, 1500);
	ck_assert(f->sief[1][0] & (1ull << f->ch[0].relid));
	fg_free(f);
}
END_TEST

START_TEST(run_and_stop)
{
	struct fake *f = fg_new(VMBUS_IC_ALL, 0, false);

	vmbus_host_stop(f->h);
	ck_assert_int_eq(vmbus_host_run(f->h), 0);
	fg_free(f);
}
END_TEST

/* ---- the VMBus thread for real: blocking wait, requests from another thread ---- */

static pthread_mutex_t mt_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t mt_cond = PTHREAD_COND_INITIALIZER;

static int mt_wait(void *ctx, struct vmbus_host_event *ev, int timeout_ms)
{
	struct fake *f = ctx;
	struct timespec ts;
	int rc = -ETIMEDOUT;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	ts.tv_sec += timeout_ms / 1000 + ts.tv_nsec / 1000000000;
	ts.tv_nsec %= 1000000000;
	pthread_mutex_lock(&mt_lock);
	while (!f->ev_count && !f->kicked &&
	       pthread_cond_timedwait(&mt_cond, &mt_lock, &ts) == 0)
		;
	if (f->ev_count) {
		*ev = f->evq[f->ev_head];
		f->ev_head = (f->ev_head + 1) % FG_EVQ;
		f->ev_count--;
		rc = 0;
	} else if (f->kicked) {
		f->kicked = false;
		rc = -EINTR;
	}
	pthread_mutex_unlock(&mt_lock);
	return rc;
}

static int mt_post(void *ctx, uint32_t vp, uint32_t sint, uint32_t type,
		   const void *p, uint32_t len)
{
	int rc;

	pthread_mutex_lock(&mt_lock);
	rc = ft_post(ctx, vp, sint, type, p, len);
	pthread_mutex_unlock(&mt_lock);
	return rc;
}

static void mt_kick(void *ctx)
{
	pthread_mutex_lock(&mt_lock);
	((struct fake *)ctx)->kicked = true;
	pthread_cond_broadcast(&mt_cond);
	pthread_mutex_unlock(&mt_lock);
}

static void *mt_thread(void *arg)
{
	return (void *)(intptr_t)vmbus_host_run(arg);
}

START_TEST(threaded_run)
{
	struct fake *f = fg_new(VMBUS_IC_ALL, 0, false);
	struct vmbus_channel_initiate_contact m = {
		.header.msgtype = CHANNELMSG_INITIATE_CONTACT,
		.vmbus_version_requested = VERSION_WIN10_V5_3,
		.msg_sint = 2,
	};
	struct vmbus_host_event ev = {
		.type = VMBUS_HOST_EV_MESSAGE, .conn_id = 4, .msg_type = 1,
		.len = sizeof(m),
	};
	pthread_t t;
	void *ret;
	int got = 0;
	char v[16];

	f->ops.wait = mt_wait;
	f->ops.post = mt_post;
	f->ops.kick = mt_kick;
	ck_assert_int_eq(pthread_create(&t, NULL, mt_thread, f->h), 0);
	for (int i = 0; i < 1000; i++) {
		ck_assert_int_eq(vmbus_host_request_shutdown(f->h, i & 1), 0);
		ck_assert_int_eq(vmbus_host_kvp_get(f->h, "x", v, sizeof(v)), -ENOENT);
		ck_assert(status(f).shutdown_pending);
	}
	memcpy(ev.payload, &m, sizeof(m));
	pthread_mutex_lock(&mt_lock);
	fg_push(f, &ev);
	pthread_cond_broadcast(&mt_cond);
	pthread_mutex_unlock(&mt_lock);
	for (int i = 0; i < 5000 && !got; i++) {
		pthread_mutex_lock(&mt_lock);
		got = f->in_count;
		pthread_mutex_unlock(&mt_lock);
		if (!got)
			usleep(1000);
	}
	ck_assert_int_eq(got, 1);
	ck_assert_uint_eq(status(f).version, VERSION_WIN10_V5_3);
	vmbus_host_stop(f->h);
	ck_assert_int_eq(pthread_join(t, &ret), 0);
	ck_assert_ptr_null(ret);
	/* The same through spawn/join; destroy joins a running thread too. */
	ck_assert_int_eq(vmbus_host_spawn(f->h), 0);
	ck_assert_int_eq(f->nconn_msg, 2);	/* ids connected once */
	vmbus_host_join(f->h);
	vmbus_host_join(f->h);
	ck_assert_int_eq(vmbus_host_spawn(f->h), 0);
	fg_free(f);
}
END_TEST

START_TEST(create_bad_config)
{
	struct vmbus_host_config c = { 0 };

	ck_assert_ptr_null(vmbus_host_create(NULL));
	ck_assert_ptr_null(vmbus_host_create(&c));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("hvworker_vmbus_host");
	TCase *t = tcase_create("protocol");
	TCase *x = tcase_create("hostile");

	tcase_set_timeout(t, 60);
	tcase_set_timeout(x, 60);
	tcase_add_test(t, connect_each_version);
	tcase_add_test(t, connect_ids_registered);
	tcase_add_test(t, offers_ic_devices);
	tcase_add_test(t, offers_subset);
	tcase_add_test(t, open_util_channels);
	tcase_add_test(t, open_big_gpadl);
	tcase_add_test(t, open_close_reopen);
	tcase_add_test(t, unload_and_reconnect);
	tcase_add_test(t, slot_busy_queues_in_order);
	tcase_add_test(t, slot_busy_bounded);
	tcase_add_test(t, post_error_dropped);
	tcase_add_test(t, echo_comes_back);
	tcase_add_test(t, modify_channel_vp);
	tcase_add_test(t, run_and_stop);
	tcase_add_test(t, threaded_run);
	tcase_add_test(t, create_bad_config);
	tcase_add_test(x, hostile_bad_message_types);
	tcase_add_test(x, hostile_oversized_event_len);
	tcase_add_test(x, hostile_gpadl_outside_ram);
	tcase_add_test(x, hostile_ring_not_contiguous);
	tcase_add_test(x, hostile_open_bad_vp_and_layout);
	tcase_add_test(x, hostile_corrupt_ring_index);
	tcase_add_test(x, hostile_corrupt_read_index);
	tcase_add_test(x, unload_revives_rescinded);
	tcase_add_test(x, hostile_giant_packet);
	tcase_add_test(x, hostile_packet_flood);
	tcase_add_test(x, hostile_message_flood);
	tcase_add_test(x, hostile_events);
	tcase_add_test(x, hostile_random_chaos);
	suite_add_tcase(s, t);
	suite_add_tcase(s, x);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
