// SPDX-License-Identifier: GPL-2.0
/*
 * SynIC messages and events between the parent and a child (hv/port.c),
 * driven through the real hypercall entry from both sides: the parent's
 * port calls, the child's PostMessage/SignalEvent, the parent's pull
 * (MkhvReceive) with its armed notification, and the direct calls that
 * reach a child VP's SIMP slot / SIEF flags through its inbox.
 */
#include "hv_check.h"
#include <stdint.h>
#include <stdlib.h>
#include <mkhv/child.h>
#include <mkhv/hypercall.h>
#include <mkhv/mm.h>
#include <mkhv/port.h>
#include <mkhv/synic.h>
#include "child_fixture.h"
#include "hv_fakes.h"

#define NOTIFY		(ICPT_PAGE + 0x100)	/* parent RAM in fake memory */
#define SIMP_GPA	(0x100000ull + 0xa000)	/* the child VP's pages */
#define SIEFP_GPA	(0x100000ull + 0xb000)
#define SELF		HV_PARTITION_ID_SELF

static uint64_t cid;		/* the child */
static struct hv_vp *cvp;	/* its VP 0 */

static void port_setup(void)
{
	setup();
	cid = create(2);
	ck_assert_uint_eq(create_vp(cid, 0), HV_STATUS_SUCCESS);
	cvp = child_get(cid)->vps[0];
}

static uint8_t *gmem(uint64_t gpa)
{
	return fake_guest_mem + (gpa - fake_guest_base);
}

static uint16_t create_port(uint64_t child, uint32_t port, uint32_t type,
			    uint16_t flags)
{
	struct hv_input_create_port in = {
		.port_partition_id = SELF, .port_id = port,
		.connection_partition_id = child,
		.port_info = { .port_type = type, .flag_count = flags },
	};

	return ST(hc(pvp, HVCALL_CREATE_PORT, 0, &in, sizeof(in)));
}

static uint16_t connect(uint64_t child, uint32_t conn, uint32_t port,
			uint32_t type)
{
	struct hv_input_connect_port in = {
		.connection_partition_id = child, .connection_id = conn,
		.port_partition_id = 0, .port_id = port,
		.connection_info = { .port_type = type },
	};

	return ST(hc(pvp, HVCALL_CONNECT_PORT, 0, &in, sizeof(in)));
}

/* A port of @type for the child and its connection @conn. */
static void port_conn(uint32_t port, uint32_t type, uint16_t flags,
		      uint32_t conn)
{
	ck_assert_uint_eq(create_port(cid, port, type, flags),
			  HV_STATUS_SUCCESS);
	ck_assert_uint_eq(connect(cid, conn, port, type), HV_STATUS_SUCCESS);
}

/* The child posts @size bytes of 0xab with type @type on @conn. */
static uint16_t post(struct hv_vp *vp, uint32_t conn, uint32_t type,
		     uint32_t size)
{
	struct hv_input_post_message in = {
		.connection_id = conn, .message_type = type,
		.payload_size = size,
	};

	memset(in.payload, 0xab, size <= 240 ? size : 240);
	return ST(hc(vp, HVCALL_POST_MESSAGE, 0, &in, sizeof(in)));
}

/* The child's fast HvSignalEvent: RDX = connection id | flag << 32. */
static uint16_t signal(struct hv_vp *vp, uint32_t conn, uint16_t flag)
{
	uint64_t rax;

	ck_assert_int_eq(hypercall_handle(vp, 0, HVCALL_SIGNAL_EVENT |
					  HV_HYPERCALL_FAST_BIT,
					  conn | ((uint64_t)flag << 32), 0,
					  &rax), 0);
	return ST(rax);
}

static const struct mkhv_output_receive *out_page(void)
{
	return (const struct mkhv_output_receive *)gmem(OUT);
}

static uint16_t receive(uint64_t child, uint64_t notify)
{
	struct mkhv_input_receive in = { child, notify, 0 };

	return ST(hc(pvp, HVCALL_MKHV_RECEIVE, 0, &in, sizeof(in)));
}

static uint64_t notify_word(void)
{
	uint64_t v;

	memcpy(&v, gmem(NOTIFY), 8);
	return v;
}

/* ---- ports and connections ---- */

START_TEST(test_message_roundtrip)
{
	const struct mkhv_output_receive *o = out_page();

	port_conn(0x100, HV_PORT_TYPE_MESSAGE, 0, 4);
	ck_assert_uint_eq(connect(cid, 1, 0x100, HV_PORT_TYPE_MESSAGE),
			  HV_STATUS_SUCCESS);	/* two connections, one port */
	ck_assert_uint_eq(post(cvp, 4, 1, 40), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(post(cvp, 1, 0x7fffffff, 0), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(receive(cid, 0), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(o->nr_messages, 2);
	ck_assert_uint_eq(o->nr_events, 0);
	ck_assert_uint_eq(o->flags, 0);
	ck_assert_uint_eq(o->messages[0].connection_id, 4);
	ck_assert_uint_eq(o->messages[0].port_id, 0x100);
	ck_assert_uint_eq(o->messages[0].message_type, 1);
	ck_assert_uint_eq(o->messages[0].payload_size, 40);
	ck_assert_uint_eq(o->messages[0].vp_index, 0);
	ck_assert_uint_eq(o->messages[0].payload[39], 0xab);
	ck_assert_uint_eq(o->messages[0].payload[40], 0);	/* no stale bytes */
	ck_assert_uint_eq(o->messages[1].connection_id, 1);
	ck_assert_uint_eq(o->messages[1].message_type, 0x7fffffff);
	/* The queue is empty now. */
	ck_assert_uint_eq(receive(cid, 0), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(o->nr_messages, 0);
}
END_TEST

START_TEST(test_create_port_hostile)
{
	struct hv_input_create_port in, good = {
		.port_partition_id = 0, .port_id = 9,
		.connection_partition_id = cid,
		.port_info = { .port_type = HV_PORT_TYPE_EVENT, .flag_count = 1 },
	};
	static const size_t rsvd[] = { 0x0c, 0x0d, 0x0e, 0x1c, 0x2c };
	size_t i;

	for (i = 0; i < sizeof(rsvd) / sizeof(rsvd[0]); i++) {
		in = good;
		((uint8_t *)&in)[rsvd[i]] = 1;
		ck_assert_uint_eq(ST(hc(pvp, HVCALL_CREATE_PORT, 0, &in,
					sizeof(in))), HV_STATUS_INVALID_PARAMETER);
	}
	in = good;
	in.port_partition_id = cid;	/* ports belong to the parent */
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_CREATE_PORT, 0, &in, sizeof(in))),
			  HV_STATUS_INVALID_PARAMETER);
	in = good;
	in.connection_partition_id = 42;
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_CREATE_PORT, 0, &in, sizeof(in))),
			  HV_STATUS_INVALID_PARTITION_ID);
	ck_assert_uint_eq(create_port(cid, 0, HV_PORT_TYPE_MESSAGE, 0),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(create_port(cid, 1u << 24, HV_PORT_TYPE_MESSAGE, 0),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(create_port(cid, 5, HV_PORT_TYPE_MONITOR, 0),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(create_port(cid, 5, HV_PORT_TYPE_DOORBELL, 0),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(create_port(cid, 5, 0, 0), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(create_port(cid, 5, HV_PORT_TYPE_EVENT, 0),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(create_port(cid, 5, HV_PORT_TYPE_EVENT,
				      MKHV_MAX_EVENT_FLAGS + 1),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(create_port(cid, 5, HV_PORT_TYPE_MESSAGE, 1),
			  HV_STATUS_INVALID_PARAMETER);
	/* A child may not make ports. */
	ck_assert_uint_eq(ST(hc(cvp, HVCALL_CREATE_PORT, 0, &good,
				sizeof(good))), HV_STATUS_ACCESS_DENIED);
	ck_assert_ptr_null(child_get(cid)->ports);	/* nothing half-made */
}
END_TEST

START_TEST(test_port_ids_unique_and_bounded)
{
	uint64_t other = create(1);
	uint32_t i;

	ck_assert_uint_eq(create_port(cid, 7, HV_PORT_TYPE_MESSAGE, 0),
			  HV_STATUS_SUCCESS);
	/* Unique over all the parent's ports, whichever child they serve. */
	ck_assert_uint_eq(create_port(cid, 7, HV_PORT_TYPE_MESSAGE, 0),
			  HV_STATUS_INVALID_PORT_ID);
	ck_assert_uint_eq(create_port(other, 7, HV_PORT_TYPE_MESSAGE, 0),
			  HV_STATUS_INVALID_PORT_ID);
	for (i = 1; i < MKHV_MAX_PORTS; i++)
		ck_assert_uint_eq(create_port(cid, 100 + i, HV_PORT_TYPE_EVENT, 1),
				  HV_STATUS_SUCCESS);
	ck_assert_uint_eq(create_port(cid, 999, HV_PORT_TYPE_EVENT, 1),
			  HV_STATUS_NO_RESOURCES);
	/* Another child's table is its own. */
	ck_assert_uint_eq(create_port(other, 999, HV_PORT_TYPE_EVENT, 1),
			  HV_STATUS_SUCCESS);
}
END_TEST

START_TEST(test_connect_hostile)
{
	struct hv_input_connect_port in, good = {
		.connection_partition_id = cid, .connection_id = 4,
		.port_partition_id = SELF, .port_id = 0x10,
		.connection_info = { .port_type = HV_PORT_TYPE_MESSAGE },
	};
	static const size_t rsvd[] = { 0x0c, 0x0d, 0x0e, 0x1c, 0x24, 0x28,
				       0x30, 0x38 };
	uint64_t other = create(1);
	size_t i;

	ck_assert_uint_eq(connect(cid, 4, 0x10, HV_PORT_TYPE_MESSAGE),
			  HV_STATUS_INVALID_PORT_ID);	/* no table yet */
	ck_assert_uint_eq(create_port(cid, 0x10, HV_PORT_TYPE_MESSAGE, 0),
			  HV_STATUS_SUCCESS);
	ck_assert_uint_eq(create_port(other, 0x20, HV_PORT_TYPE_MESSAGE, 0),
			  HV_STATUS_SUCCESS);
	for (i = 0; i < sizeof(rsvd) / sizeof(rsvd[0]); i++) {
		in = good;
		((uint8_t *)&in)[rsvd[i]] = 1;
		ck_assert_uint_eq(ST(hc(pvp, HVCALL_CONNECT_PORT, 0, &in,
					sizeof(in))), HV_STATUS_INVALID_PARAMETER);
	}
	ck_assert_uint_eq(connect(cid, 0, 0x10, HV_PORT_TYPE_MESSAGE),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(connect(cid, 1u << 24, 0x10, HV_PORT_TYPE_MESSAGE),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(connect(cid, 4, 0x11, HV_PORT_TYPE_MESSAGE),
			  HV_STATUS_INVALID_PORT_ID);
	/* The other child's port is not reachable from this child. */
	ck_assert_uint_eq(connect(cid, 4, 0x20, HV_PORT_TYPE_MESSAGE),
			  HV_STATUS_INVALID_PORT_ID);
	ck_assert_uint_eq(connect(cid, 4, 0x10, HV_PORT_TYPE_EVENT),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(connect(99, 4, 0x10, HV_PORT_TYPE_MESSAGE),
			  HV_STATUS_INVALID_PARTITION_ID);
	ck_assert_uint_eq(connect(cid, 4, 0x10, HV_PORT_TYPE_MESSAGE),
			  HV_STATUS_SUCCESS);
	ck_assert_uint_eq(connect(cid, 4, 0x10, HV_PORT_TYPE_MESSAGE),
			  HV_STATUS_INVALID_CONNECTION_ID);	/* in use */
	/* The same connection id in another child is another connection. */
	ck_assert_uint_eq(connect(other, 4, 0x20, HV_PORT_TYPE_MESSAGE),
			  HV_STATUS_SUCCESS);
}
END_TEST

START_TEST(test_connections_bounded)
{
	uint32_t i;

	ck_assert_uint_eq(create_port(cid, 1, HV_PORT_TYPE_EVENT, 1),
			  HV_STATUS_SUCCESS);
	for (i = 0; i < MKHV_MAX_PORTS; i++)
		ck_assert_uint_eq(connect(cid, 10 + i, 1, HV_PORT_TYPE_EVENT),
				  HV_STATUS_SUCCESS);
	ck_assert_uint_eq(connect(cid, 9, 1, HV_PORT_TYPE_EVENT),
			  HV_STATUS_NO_RESOURCES);
}
END_TEST

/* ---- the child's calls ---- */

START_TEST(test_post_message_hostile)
{
	struct hv_input_post_message in = { .connection_id = 4,
					    .message_type = 1 };

	ck_assert_uint_eq(post(cvp, 4, 1, 8), HV_STATUS_INVALID_CONNECTION_ID);
	port_conn(0x30, HV_PORT_TYPE_MESSAGE, 0, 4);
	port_conn(0x31, HV_PORT_TYPE_EVENT, 1, 5);
	ck_assert_uint_eq(post(cvp, 6, 1, 8), HV_STATUS_INVALID_CONNECTION_ID);
	ck_assert_uint_eq(post(cvp, 0, 1, 8), HV_STATUS_INVALID_CONNECTION_ID);
	ck_assert_uint_eq(post(cvp, 4, 0, 8), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(post(cvp, 4, 0x80000000u, 8),
			  HV_STATUS_INVALID_PARAMETER);	/* hv message types */
	ck_assert_uint_eq(post(cvp, 4, 1, 241), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(post(cvp, 4, 1, 0xffffffffu),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(post(cvp, 5, 1, 8), HV_STATUS_INVALID_PORT_ID);
	in.reserved = 1;
	ck_assert_uint_eq(ST(hc(cvp, HVCALL_POST_MESSAGE, 0, &in, sizeof(in))),
			  HV_STATUS_INVALID_PARAMETER);
	/* The parent has no connections (no PostMessages privilege). */
	ck_assert_uint_eq(post(pvp, 4, 1, 8), HV_STATUS_ACCESS_DENIED);
	/* The fast form is not allowed: the input is 256 bytes. */
	{
		uint64_t rax;

		ck_assert_int_eq(hypercall_handle(cvp, 0, HVCALL_POST_MESSAGE |
						  HV_HYPERCALL_FAST_BIT, 4, 0,
						  &rax), 0);
		ck_assert_uint_eq(ST(rax), HV_STATUS_INVALID_HYPERCALL_INPUT);
	}
	ck_assert_uint_eq(receive(cid, 0), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(out_page()->nr_messages, 0);
}
END_TEST

START_TEST(test_queue_bounded_and_ordered)
{
	const struct mkhv_output_receive *o = out_page();
	uint32_t i, got = 0;

	port_conn(0x40, HV_PORT_TYPE_MESSAGE, 0, 4);
	for (i = 0; i < MKHV_CHILD_MSG_QUEUE; i++)
		ck_assert_uint_eq(post(cvp, 4, 1 + i, i % 241),
				  HV_STATUS_SUCCESS);
	/* Full: Linux retries on INSUFFICIENT_BUFFERS; hv memory is bounded. */
	ck_assert_uint_eq(post(cvp, 4, 99, 8), HV_STATUS_INSUFFICIENT_BUFFERS);
	do {
		ck_assert_uint_eq(receive(cid, 0), HV_STATUS_SUCCESS);
		ck_assert_uint_le(o->nr_messages, MKHV_RECEIVE_MAX_MESSAGES);
		for (i = 0; i < o->nr_messages; i++, got++)
			ck_assert_uint_eq(o->messages[i].message_type, 1 + got);
	} while (o->flags & MKHV_RECEIVE_MORE);
	ck_assert_uint_eq(got, MKHV_CHILD_MSG_QUEUE);
	ck_assert_uint_eq(post(cvp, 4, 1, 8), HV_STATUS_SUCCESS);
}
END_TEST

START_TEST(test_signal_event_coalesces)
{
	const struct mkhv_output_receive *o = out_page();
	int i;

	ck_assert_uint_eq(signal(cvp, 7, 0), HV_STATUS_INVALID_CONNECTION_ID);
	port_conn(0x50, HV_PORT_TYPE_EVENT, 4, 7);
	port_conn(0x51, HV_PORT_TYPE_MESSAGE, 0, 8);
	for (i = 0; i < 1000; i++)
		ck_assert_uint_eq(signal(cvp, 7, 0), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(signal(cvp, 7, 3), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(signal(cvp, 7, 4), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(signal(cvp, 8, 0), HV_STATUS_INVALID_PORT_ID);
	/* Reserved upper 16 bits of the fast input. */
	ck_assert_uint_eq(signal(cvp, 7, 0) | 0, HV_STATUS_SUCCESS);
	{
		uint64_t rax;

		ck_assert_int_eq(hypercall_handle(cvp, 0, HVCALL_SIGNAL_EVENT |
						  HV_HYPERCALL_FAST_BIT,
						  7 | (1ull << 48), 0, &rax), 0);
		ck_assert_uint_eq(ST(rax), HV_STATUS_INVALID_PARAMETER);
	}
	ck_assert_uint_eq(receive(cid, 0), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(o->nr_messages, 0);
	ck_assert_uint_eq(o->nr_events, 1);
	ck_assert_uint_eq(o->events[0].port_id, 0x50);
	ck_assert_uint_eq(o->events[0].connection_id, 7);
	ck_assert_uint_eq(o->events[0].flags, 0x9);
	ck_assert_uint_eq(receive(cid, 0), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(o->nr_events, 0);	/* cleared */
}
END_TEST

/* ---- the parent's pull and its notification ---- */

START_TEST(test_receive_notify_armed_once)
{
	port_conn(0x60, HV_PORT_TYPE_MESSAGE, 0, 4);
	port_conn(0x61, HV_PORT_TYPE_EVENT, 1, 9);
	/* Not armed: queued silently. */
	ck_assert_uint_eq(post(cvp, 4, 1, 8), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(fake_notifies, 0);
	ck_assert_uint_eq(receive(cid, NOTIFY), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(out_page()->nr_messages, 1);
	ck_assert_uint_eq(notify_word(), 0);
	/* Armed: the first arrival writes the word and IPIs, once. */
	ck_assert_uint_eq(signal(cvp, 9, 0), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(notify_word(), 1);
	ck_assert_uint_eq(fake_notifies, 1);
	ck_assert_uint_eq(post(cvp, 4, 1, 8), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(fake_notifies, 1);
	/* The parent clears the word and pulls again: re-armed. */
	memset(gmem(NOTIFY), 0, 8);
	ck_assert_uint_eq(receive(cid, NOTIFY), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(out_page()->nr_messages, 1);
	ck_assert_uint_eq(out_page()->nr_events, 1);
	ck_assert_uint_eq(post(cvp, 4, 1, 8), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(fake_notifies, 2);
	ck_assert_uint_eq(notify_word(), 1);
	/* A failed call does not notify. */
	memset(gmem(NOTIFY), 0, 8);
	ck_assert_uint_eq(receive(cid, NOTIFY), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(post(cvp, 4, 0, 8), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(fake_notifies, 2);
}
END_TEST

/* Arming before any port exists must not lose the first message. */
START_TEST(test_receive_armed_before_ports)
{
	ck_assert_uint_eq(receive(cid, NOTIFY), HV_STATUS_SUCCESS);
	ck_assert_ptr_nonnull(child_get(cid)->ports);
	port_conn(0x70, HV_PORT_TYPE_MESSAGE, 0, 4);
	ck_assert_uint_eq(post(cvp, 4, 1, 8), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(fake_notifies, 1);
	ck_assert_uint_eq(notify_word(), 1);
}
END_TEST

START_TEST(test_receive_hostile)
{
	struct mkhv_input_receive in = { cid, 0, 1 };
	uint64_t lent[1] = { RAM_PFN(0) };

	ck_assert_uint_eq(ST(hc(pvp, HVCALL_MKHV_RECEIVE, 0, &in, sizeof(in))),
			  HV_STATUS_INVALID_PARAMETER);	/* flags */
	ck_assert_uint_eq(receive(cid, NOTIFY + 4), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(receive(cid, HV_BASE), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(receive(cid, MMIO_BASE), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(receive(cid, 1ull << 50), HV_STATUS_INVALID_PARAMETER);
	/* A page the parent lent to a child is not the parent's any more. */
	ck_assert_uint_eq(ST(map(cid, 0, lent, 1, HV_MAP_GPA_READABLE)),
			  HV_STATUS_SUCCESS);
	ck_assert_uint_eq(receive(cid, RAM_PFN(0) << 12),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(receive(0, 0), HV_STATUS_INVALID_PARTITION_ID);
	ck_assert_uint_eq(receive(77, 0), HV_STATUS_INVALID_PARTITION_ID);
	/* Children may not pull. */
	in.flags = 0;
	ck_assert_uint_eq(ST(hc(cvp, HVCALL_MKHV_RECEIVE, 0, &in, sizeof(in))),
			  HV_STATUS_ACCESS_DENIED);
}
END_TEST

START_TEST(test_delete_and_disconnect)
{
	struct hv_input_delete_port del = { .port_partition_id = SELF,
					    .port_id = 0x80 };
	struct hv_input_disconnect_port dis = { .connection_partition_id = cid,
						.connection_id = 5 };
	const struct mkhv_output_receive *o = out_page();
	uint64_t rax;

	port_conn(0x80, HV_PORT_TYPE_MESSAGE, 0, 4);
	port_conn(0x81, HV_PORT_TYPE_MESSAGE, 0, 5);
	ck_assert_uint_eq(post(cvp, 4, 1, 8), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(post(cvp, 5, 2, 8), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(post(cvp, 4, 3, 8), HV_STATUS_SUCCESS);
	/* Fast form: 16 bytes in RDX/R8. */
	ck_assert_int_eq(hypercall_handle(pvp, 0, HVCALL_DELETE_PORT |
					  HV_HYPERCALL_FAST_BIT, SELF,
					  0x80, &rax), 0);
	ck_assert_uint_eq(ST(rax), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_DELETE_PORT, 0, &del, sizeof(del))),
			  HV_STATUS_INVALID_PORT_ID);	/* gone */
	/* Its queued messages went with it; the other port's stayed. */
	ck_assert_uint_eq(receive(cid, 0), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(o->nr_messages, 1);
	ck_assert_uint_eq(o->messages[0].message_type, 2);
	/* The connection to a deleted port: INVALID_PORT_ID (TLFS). */
	ck_assert_uint_eq(post(cvp, 4, 1, 8), HV_STATUS_INVALID_PORT_ID);
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_DISCONNECT_PORT, 0, &dis,
				sizeof(dis))), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(post(cvp, 5, 1, 8), HV_STATUS_INVALID_CONNECTION_ID);
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_DISCONNECT_PORT, 0, &dis,
				sizeof(dis))), HV_STATUS_INVALID_CONNECTION_ID);
	dis.flags = 1;	/* doorbell */
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_DISCONNECT_PORT, 0, &dis,
				sizeof(dis))), HV_STATUS_INVALID_PARAMETER);
	del.reserved = 1;
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_DELETE_PORT, 0, &del, sizeof(del))),
			  HV_STATUS_INVALID_PARAMETER);
	/* The port id is free again. */
	ck_assert_uint_eq(create_port(cid, 0x80, HV_PORT_TYPE_EVENT, 1),
			  HV_STATUS_SUCCESS);
	ck_assert_uint_eq(ST(hc(cvp, HVCALL_DISCONNECT_PORT, 0, &dis,
				sizeof(dis))), HV_STATUS_ACCESS_DENIED);
}
END_TEST

/* A finalized child gets no new ports (nor a table that would leak). */
START_TEST(test_finalized_child_gets_no_ports)
{
	ck_assert_uint_eq(simple(HVCALL_FINALIZE_PARTITION, cid),
			  HV_STATUS_SUCCESS);
	ck_assert_uint_eq(create_port(cid, 0xa0, HV_PORT_TYPE_MESSAGE, 0),
			  HV_STATUS_INVALID_PARTITION_STATE);
	ck_assert_uint_eq(receive(cid, NOTIFY), HV_STATUS_SUCCESS);
	ck_assert_ptr_null(child_get(cid)->ports);
	ck_assert_uint_eq(out_page()->nr_messages, 0);
}
END_TEST

START_TEST(test_delete_partition_frees_ports)
{
	u64 free_before;

	port_conn(0x90, HV_PORT_TYPE_MESSAGE, 0, 4);
	ck_assert_uint_eq(post(cvp, 4, 1, 8), HV_STATUS_SUCCESS);
	free_before = mm_free_bytes();
	ck_assert_uint_eq(simple(HVCALL_DELETE_PARTITION, cid),
			  HV_STATUS_SUCCESS);
	/* The table and its two queue pages came back (and the VP). */
	ck_assert_uint_ge(mm_free_bytes(), free_before + 3 * 4096);
	ck_assert_uint_eq(create(1), cid);
	ck_assert_ptr_null(child_get(cid)->ports);
	/* The port id can be used again. */
	ck_assert_uint_eq(create_port(cid, 0x90, HV_PORT_TYPE_MESSAGE, 0),
			  HV_STATUS_SUCCESS);
}
END_TEST

/* ---- parent -> child ---- */

static void enable_synic(struct hv_vp *vp, uint64_t sint2)
{
	ck_assert_int_eq(synic_wrmsr(&vp->synic, HV_X64_MSR_SIMP,
				     SIMP_GPA | 1), 0);
	ck_assert_int_eq(synic_wrmsr(&vp->synic, HV_X64_MSR_SIEFP,
				     SIEFP_GPA | 1), 0);
	ck_assert_int_eq(synic_wrmsr(&vp->synic, HV_X64_MSR_SCONTROL, 1), 0);
	ck_assert_int_eq(synic_wrmsr(&vp->synic, HV_X64_MSR_SINT0 + 2, sint2),
			 0);
	/* Software-enable the vLAPIC (SVR). */
	ck_assert_int_eq(vlapic_wrmsr(&vp->vlapic, 0x80f, 0x1ff, 0, NULL), 0);
}

static uint16_t post_direct(uint64_t child, uint32_t vp, uint32_t sint,
			    uint32_t type, uint8_t size, uint8_t tag)
{
	struct hv_input_post_message_direct in = {
		.partition_id = child, .vp_index = vp, .sint_index = sint,
	};
	struct hv_synic_message m = { .message_type = type,
				      .payload_size = size };

	m.payload[0] = tag;
	memcpy(in.message, &m, sizeof(m));
	return ST(hc(pvp, HVCALL_POST_MESSAGE_DIRECT, 0, &in, sizeof(in)));
}

static uint16_t signal_direct(uint64_t child, uint32_t vp, uint8_t sint,
			      uint16_t flag, uint8_t *newly)
{
	struct hv_input_signal_event_direct in = {
		.target_partition = child, .target_vp = vp,
		.target_sint = sint, .flag_number = flag,
	};
	uint16_t st = ST(hc(pvp, HVCALL_SIGNAL_EVENT_DIRECT, 0, &in,
			    sizeof(in)));

	*newly = gmem(OUT)[0];
	return st;
}

static struct hv_synic_message *simp_slot(int sint)
{
	return (struct hv_synic_message *)gmem(SIMP_GPA + sint * 256);
}

START_TEST(test_post_direct_delivered_on_vp_cpu)
{
	struct hv_synic_message *s = simp_slot(2);

	enable_synic(cvp, 0xf3);
	ck_assert_uint_eq(post_direct(cid, 0, 2, 1, 16, 0x42),
			  HV_STATUS_SUCCESS);
	ck_assert_uint_eq(fake_wakes, 1);
	/* Nothing lands before the VP's own pCPU drains its inbox. */
	ck_assert_uint_eq(s->message_type, 0);
	ck_assert(child_pull_posted(cvp));
	ck_assert_uint_eq(s->message_type, 1);
	ck_assert_uint_eq(s->payload_size, 16);
	ck_assert_uint_eq(s->payload[0], 0x42);
	ck_assert_uint_eq(s->flags, 0);
	ck_assert_int_eq(vlapic_pending(&cvp->vlapic), 0xf3);
}
END_TEST

START_TEST(test_post_direct_eom_and_order)
{
	struct hv_synic_message *s = simp_slot(2);
	int i;

	enable_synic(cvp, 0xf3);
	for (i = 0; i < 3; i++)
		ck_assert_uint_eq(post_direct(cid, 0, 2, 1, 1, (uint8_t)i),
				  HV_STATUS_SUCCESS);
	ck_assert(child_pull_posted(cvp));
	ck_assert_uint_eq(s->payload[0], 0);
	ck_assert_uint_eq(s->flags, HV_MSG_FLAG_PENDING);	/* more queued */
	for (i = 1; i < 3; i++) {
		/* The guest (Linux vmbus_signal_eom): free, then EOM. */
		s->message_type = 0;
		ck_assert_int_eq(synic_wrmsr(&cvp->synic, HV_X64_MSR_EOM, 0), 1);
		ck_assert(child_pull_posted(cvp));
		ck_assert_uint_eq(s->payload[0], i);
	}
}
END_TEST

/* A child that never EOMs fills its own inbox, and nothing else. */
START_TEST(test_post_direct_inbox_bounded)
{
	int i;

	enable_synic(cvp, 0xf3);
	ck_assert_uint_eq(post_direct(cid, 0, 2, 1, 0, 0), HV_STATUS_SUCCESS);
	child_pull_posted(cvp);		/* the slot is now the guest's */
	for (i = 0; i < MKHV_VP_MSG_INBOX; i++) {
		ck_assert_uint_eq(post_direct(cid, 0, 2, 1, 0, 0),
				  HV_STATUS_SUCCESS);
		child_pull_posted(cvp);
	}
	ck_assert_uint_eq(post_direct(cid, 0, 2, 1, 0, 0),
			  HV_STATUS_INSUFFICIENT_BUFFERS);
	/* Another VP's inbox is unaffected. */
	ck_assert_uint_eq(create_vp(cid, 1), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(post_direct(cid, 1, 2, 1, 0, 0), HV_STATUS_SUCCESS);
}
END_TEST

/*
 * The inbox refused a post; once the child takes a message the parent
 * learns it (MKHV_RECEIVE_INBOX_SPACE, notified if armed), once.
 */
START_TEST(test_post_direct_inbox_space_notifies)
{
	struct hv_synic_message *s = simp_slot(2);
	const struct mkhv_output_receive *o = out_page();
	int i;

	enable_synic(cvp, 0xf3);
	ck_assert_uint_eq(post_direct(cid, 0, 2, 1, 0, 0), HV_STATUS_SUCCESS);
	child_pull_posted(cvp);		/* in the slot */
	for (i = 0; i < MKHV_VP_MSG_INBOX; i++)
		ck_assert_uint_eq(post_direct(cid, 0, 2, 1, 0, 0),
				  HV_STATUS_SUCCESS);
	child_pull_posted(cvp);		/* slot busy: 16 stay queued */
	ck_assert_uint_eq(post_direct(cid, 0, 2, 1, 0, 0),
			  HV_STATUS_INSUFFICIENT_BUFFERS);
	ck_assert_uint_eq(receive(cid, NOTIFY), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(o->flags, 0);
	ck_assert_uint_eq(fake_notifies, 0);
	/* Still full: nothing to report. */
	child_pull_posted(cvp);
	ck_assert_uint_eq(fake_notifies, 0);
	/* The guest takes the message and EOMs: one slot frees up. */
	s->message_type = 0;
	ck_assert_int_eq(synic_wrmsr(&cvp->synic, HV_X64_MSR_EOM, 0), 1);
	ck_assert(child_pull_posted(cvp));
	ck_assert_uint_eq(fake_notifies, 1);
	ck_assert_uint_eq(notify_word(), 1);
	ck_assert_uint_eq(receive(cid, 0), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(o->flags, MKHV_RECEIVE_INBOX_SPACE);
	ck_assert_uint_eq(receive(cid, 0), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(o->flags, 0);		/* reported once */
	/* Further drains without a new refusal report nothing. */
	s->message_type = 0;
	ck_assert_int_eq(synic_wrmsr(&cvp->synic, HV_X64_MSR_EOM, 0), 1);
	child_pull_posted(cvp);
	ck_assert_uint_eq(fake_notifies, 1);
	ck_assert_uint_eq(post_direct(cid, 0, 2, 1, 0, 0), HV_STATUS_SUCCESS);
}
END_TEST

START_TEST(test_post_direct_waits_for_synic)
{
	ck_assert_uint_eq(post_direct(cid, 0, 2, 1, 4, 9), HV_STATUS_SUCCESS);
	ck_assert(!child_pull_posted(cvp));	/* SynIC off: kept */
	enable_synic(cvp, 0xf3);
	ck_assert(child_pull_posted(cvp));
	ck_assert_uint_eq(simp_slot(2)->payload[0], 9);
}
END_TEST

START_TEST(test_post_direct_hostile)
{
	struct hv_input_post_message_direct in = { .partition_id = cid,
						   .sint_index = 2 };
	struct hv_synic_message m = { .message_type = 1 };
	static const size_t rsvd[] = { 0x0c, 0x0d, 0x0e, 0x0f, 0x114 };
	size_t i;

	ck_assert_uint_eq(post_direct(cid, 0, 16, 1, 0, 0),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(post_direct(cid, 0, 2, 0, 0, 0),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(post_direct(cid, 0, 2, 1, 241, 0),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(post_direct(cid, 1, 2, 1, 0, 0),
			  HV_STATUS_INVALID_VP_INDEX);	/* not created */
	ck_assert_uint_eq(post_direct(cid, 0xffffffffu, 2, 1, 0, 0),
			  HV_STATUS_INVALID_VP_INDEX);
	ck_assert_uint_eq(post_direct(55, 0, 2, 1, 0, 0),
			  HV_STATUS_INVALID_PARTITION_ID);
	memcpy(in.message, &m, sizeof(m));
	for (i = 0; i < sizeof(rsvd) / sizeof(rsvd[0]); i++) {
		struct hv_input_post_message_direct bad = in;

		((uint8_t *)&bad)[rsvd[i]] = 1;
		ck_assert_uint_eq(ST(hc(pvp, HVCALL_POST_MESSAGE_DIRECT, 0,
					&bad, sizeof(bad))),
				  HV_STATUS_INVALID_PARAMETER);
	}
	/* msg_pending from the parent is ignored: it is the hv's flag. */
	m.flags = HV_MSG_FLAG_PENDING;
	memcpy(in.message, &m, sizeof(m));
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_POST_MESSAGE_DIRECT, 0, &in,
				sizeof(in))), HV_STATUS_SUCCESS);
	enable_synic(cvp, 0xf3);
	child_pull_posted(cvp);
	ck_assert_uint_eq(simp_slot(2)->flags, 0);
	/* Children may not post into each other. */
	ck_assert_uint_eq(ST(hc(cvp, HVCALL_POST_MESSAGE_DIRECT, 0, &in,
				sizeof(in))), HV_STATUS_ACCESS_DENIED);
	ck_assert_uint_eq(simple(HVCALL_FINALIZE_PARTITION, cid),
			  HV_STATUS_SUCCESS);
	ck_assert_uint_eq(post_direct(cid, 0, 2, 1, 0, 0),
			  HV_STATUS_INVALID_PARTITION_STATE);
}
END_TEST

START_TEST(test_signal_direct)
{
	uint8_t newly = 0xff;
	uint64_t w;

	ck_assert_uint_eq(signal_direct(cid, 0, 2, 5, &newly), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(newly, 1);
	ck_assert_uint_eq(signal_direct(cid, 0, 2, 5, &newly), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(newly, 0);	/* coalesced in the inbox */
	ck_assert_uint_eq(signal_direct(cid, 0, 2, 2047, &newly),
			  HV_STATUS_SUCCESS);
	ck_assert(!child_pull_posted(cvp));	/* SIEF page off: kept */
	enable_synic(cvp, 0xf3);
	ck_assert(child_pull_posted(cvp));
	memcpy(&w, gmem(SIEFP_GPA + 2 * 256), 8);
	ck_assert_uint_eq(w, 1u << 5);
	memcpy(&w, gmem(SIEFP_GPA + 2 * 256 + 248), 8);
	ck_assert_uint_eq(w, 1ull << 63);
	ck_assert_int_eq(vlapic_pending(&cvp->vlapic), 0xf3);
	ck_assert_uint_eq(signal_direct(cid, 0, 2, 2048, &newly),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(signal_direct(cid, 0, 16, 0, &newly),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(signal_direct(cid, 3, 2, 0, &newly),
			  HV_STATUS_INVALID_VP_INDEX);
}
END_TEST

/* Masked: flags set, the interrupt is lost (TLFS).  Polling: no interrupt. */
START_TEST(test_signal_direct_masked_and_polling)
{
	uint8_t newly;
	uint64_t w;

	enable_synic(cvp, 0xf3 | HV_SINT_MASKED);
	ck_assert_uint_eq(signal_direct(cid, 0, 2, 1, &newly), HV_STATUS_SUCCESS);
	child_pull_posted(cvp);
	memcpy(&w, gmem(SIEFP_GPA + 2 * 256), 8);
	ck_assert_uint_eq(w, 2);
	ck_assert_int_eq(vlapic_pending(&cvp->vlapic), -1);
	ck_assert_int_eq(synic_wrmsr(&cvp->synic, HV_X64_MSR_SINT0 + 2,
				     0xf3 | HV_SINT_POLLING), 0);
	ck_assert_uint_eq(signal_direct(cid, 0, 2, 3, &newly), HV_STATUS_SUCCESS);
	child_pull_posted(cvp);
	memcpy(&w, gmem(SIEFP_GPA + 2 * 256), 8);
	ck_assert_uint_eq(w, 0xa);
	ck_assert_int_eq(vlapic_pending(&cvp->vlapic), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("port");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, port_setup, teardown);
	tcase_add_test(tc, test_message_roundtrip);
	tcase_add_test(tc, test_create_port_hostile);
	tcase_add_test(tc, test_port_ids_unique_and_bounded);
	tcase_add_test(tc, test_connect_hostile);
	tcase_add_test(tc, test_connections_bounded);
	tcase_add_test(tc, test_post_message_hostile);
	tcase_add_test(tc, test_queue_bounded_and_ordered);
	tcase_add_test(tc, test_signal_event_coalesces);
	tcase_add_test(tc, test_receive_notify_armed_once);
	tcase_add_test(tc, test_receive_armed_before_ports);
	tcase_add_test(tc, test_receive_hostile);
	tcase_add_test(tc, test_delete_and_disconnect);
	tcase_add_test(tc, test_finalized_child_gets_no_ports);
	tcase_add_test(tc, test_delete_partition_frees_ports);
	tcase_add_test(tc, test_post_direct_delivered_on_vp_cpu);
	tcase_add_test(tc, test_post_direct_eom_and_order);
	tcase_add_test(tc, test_post_direct_inbox_bounded);
	tcase_add_test(tc, test_post_direct_inbox_space_notifies);
	tcase_add_test(tc, test_post_direct_waits_for_synic);
	tcase_add_test(tc, test_post_direct_hostile);
	tcase_add_test(tc, test_signal_direct);
	tcase_add_test(tc, test_signal_direct_masked_and_polling);
	suite_add_tcase(s, tc);
	return hv_check_run(s);
}
