// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the RNDIS parser of the worker's network VSP
 * (parent/worker/rndis.c): the bytes are what a hostile child puts in a
 * send section.  The first byte picks the device state (initialized or
 * not, packet filter set or not); the rest goes to rndis_input().  Every
 * frame and reply handed back must lie inside what was given / be a
 * well-formed message; ASan and UBSan catch the rest.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_net.h>

#include "rndis.h"

static const uint8_t *in_lo, *in_hi;

static void frame(void *ctx, const uint8_t *f, uint32_t len, const struct rndis_tx_meta *m)
{
	struct virtio_net_hdr vh;
	uint8_t hdr[RNDIS_TX_HDR_MAX];
	uint32_t hlen;

	(void)ctx;
	if (f < in_lo || f + len > in_hi || len < RNDIS_ETH_HLEN ||
	    len > (m->mss ? RNDIS_MAX_LSO_FRAME : RNDIS_MAX_FRAME))
		abort();
	/* the offload fields the host fills in, checked against the frame */
	if (!rndis_tx_offload(f, len, m, &vh, hdr, &hlen) &&
	    (hlen > len || hlen > RNDIS_TX_HDR_MAX ||
	     (vh.flags && (uint32_t)vh.csum_start + vh.csum_offset + 2 > len) ||
	     (vh.gso_type && (vh.hdr_len != hlen || !vh.gso_size))))
		abort();
}

static int reply(void *ctx, const void *msg, uint32_t len)
{
	struct rndis_hdr h;

	(void)ctx;
	if (len < sizeof(h) || len > RNDIS_MAX_REPLY)
		abort();
	memcpy(&h, msg, sizeof(h));
	if (h.msg_len != len || !(h.msg_type & RNDIS_MSG_COMPLETION))
		abort();
	return 0;
}

static const struct rndis_ops ops = { .frame = frame, .reply = reply };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0, 1, 2, 3 };
	struct rndis_dev r;
	uint8_t *copy;
	int n;

	if (size < 1 || size > 65536)
		return 0;
	rndis_init(&r, mac);
	r.initialized = data[0] & 1;
	r.filter = data[0] & 2 ? 0x0D : 0;
	/* a private heap copy, exactly sized, as netvsp.c hands it over */
	copy = malloc(size - 1 ? size - 1 : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, size - 1);
	in_lo = copy;
	in_hi = copy + size - 1;
	n = rndis_input(&r, copy, (uint32_t)(size - 1), &ops, NULL);
	if (n < -EBADMSG)
		abort();
	free(copy);
	return 0;
}
