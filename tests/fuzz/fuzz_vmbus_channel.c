// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the channel-message parser and state machine
 * (vmbus/channel.c).  The input is a sequence of guest messages, each
 * {len u8, flags u8, bytes[len]}; flags bit 0 picks connection id 4 or 1,
 * bit 1 makes the host rescind relid 1 first.  The server starts with two
 * devices and, for half the inputs, already connected at 5.3.  Replies
 * must fit a SynIC message and memory must balance at the end.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "channel.h"

static long live_allocs;

static void check(int cond)
{
	if (!cond)
		abort();
}

static int f_send(void *ctx, uint32_t vp, const void *msg, uint32_t len)
{
	(void)ctx;
	(void)vp;
	(void)msg;
	check(len >= 8 && len <= VMBUS_MAX_MSG_SIZE);
	return 0;
}

static void *f_alloc(void *ctx, size_t n)
{
	(void)ctx;
	check(n <= 128 * 1024);
	live_allocs++;
	return malloc(n);
}

static void f_free(void *ctx, void *p)
{
	(void)ctx;
	live_allocs--;
	free(p);
}

static int f_open(void *ctx, const struct vmbus_open_request *req)
{
	const struct vmbus_gpadl_range *r = &req->gpadl->ranges[0];

	(void)ctx;
	check(req->gpadl->range_count == 1);
	check(req->downstream_page >= 2 && req->downstream_page + 2 <= r->page_count);
	check(r->pfns[r->page_count - 1] <= VMBUS_GPADL_MAX_PFN);
	return req->userdata[0] == 0xee ? -EIO : 0;
}

static void f_close(void *ctx, uint32_t relid)
{
	(void)ctx;
	check(relid >= 1 && relid <= VMBUS_SERVER_MAX_CHANNELS);
}

static const struct vmbus_server_ops f_ops = {
	.send = f_send, .alloc = f_alloc, .free = f_free,
	.open = f_open, .close = f_close,
};

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t n)
{
	static struct vmbus_server srv;
	struct vmbus_offer_params p = { .connection_id = 0x10 };
	uint8_t msg[256];

	check(vmbus_server_init(&srv, &f_ops, NULL, NULL) == 0);
	check(vmbus_server_add_channel(&srv, &p) == 1);
	check(vmbus_server_add_channel(&srv, &p) == 2);
	if (n && (in[0] & 1)) {
		struct vmbus_channel_initiate_contact ic = {
			.header.msgtype = CHANNELMSG_INITIATE_CONTACT,
			.vmbus_version_requested = VERSION_WIN10_V5_3,
			.msg_sint = 2,
		};
		struct vmbus_channel_message_header ro = {
			.msgtype = CHANNELMSG_REQUESTOFFERS,
		};

		check(vmbus_server_handle_message(&srv, 4, &ic, sizeof(ic)) == 0);
		check(vmbus_server_handle_message(&srv, 4, &ro, sizeof(ro)) == 0);
	}
	while (n >= 2) {
		uint32_t len = in[0], flags = in[1];

		in += 2;
		n -= 2;
		if (len > n)
			len = (uint32_t)n;
		memcpy(msg, in, len);
		if (flags & 2)
			vmbus_server_rescind(&srv, 1);
		vmbus_server_handle_message(&srv, flags & 1 ? 4 : 1, msg, len);
		in += len;
		n -= len;
	}
	vmbus_server_fini(&srv);
	check(live_allocs == 0);
	return 0;
}
