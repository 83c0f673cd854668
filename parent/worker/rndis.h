/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: the RNDIS device behind a synthetic NIC (DESIGN §8, issue 10).
 *
 * Pure message handling, no VMBus and no I/O: netvsp.c copies what the
 * guest sent (a send-buffer section or GPA-direct pages) into a private
 * buffer once and hands it to rndis_input(), which walks the RNDIS
 * messages in it, answers INITIALIZE / QUERY / SET / RESET / KEEPALIVE
 * through ops->reply and passes the Ethernet frames of PACKET messages to
 * ops->frame.  The other direction builds PACKET and INDICATE_STATUS
 * messages for the guest's receive buffer.
 *
 * Every length and offset in a message is checked against the message
 * and the buffer; a message that lies stops the walk (-EBADMSG).
 */
#ifndef HVWORKER_RNDIS_H
#define HVWORKER_RNDIS_H

#include <stdbool.h>
#include <stdint.h>

#include <vmbus/netvsc_wire.h>

#define RNDIS_ETH_HLEN		14
#define RNDIS_MTU		1500
/* Largest frame accepted from the guest: MTU + Ethernet + a VLAN tag. */
#define RNDIS_MAX_FRAME		(RNDIS_MTU + RNDIS_ETH_HLEN + 4)
/* Header the host puts before a frame it delivers (header + rndis_packet). */
#define RNDIS_PKT_HDR		(sizeof(struct rndis_hdr) + sizeof(struct rndis_packet))
/* Largest control reply built here. */
#define RNDIS_MAX_REPLY		256
/* Link speed reported, in 100 bit/s units (10 Gbit/s). */
#define RNDIS_LINK_SPEED	100000000u

struct rndis_dev {
	uint8_t mac[6];
	bool initialized;	/* INITIALIZE answered, no HALT since */
	bool link_up;
	uint32_t filter;	/* OID_GEN_CURRENT_PACKET_FILTER, 0 = no RX */
	uint64_t frames;	/* PACKET messages passed to ops->frame */
	uint64_t bad;		/* messages dropped as malformed */
	uint64_t control;	/* control messages answered */
};

struct rndis_ops {
	/* An Ethernet frame from the guest (bytes valid during the call). */
	void (*frame)(void *ctx, const uint8_t *frame, uint32_t len);
	/* A complete reply message for the guest; 0 or -errno. */
	int (*reply)(void *ctx, const void *msg, uint32_t len);
	/* Why a message was dropped (may be NULL; rate-limit in the caller). */
	void (*bad)(void *ctx, const char *why);
};

void rndis_init(struct rndis_dev *r, const uint8_t mac[6]);

/*
 * rndis_input() - the messages in @buf (@len bytes, a private copy), one
 * after the other as their msg_len says (the guest may batch several in a
 * send section).  Return: messages handled, or -EBADMSG at the first one
 * whose header or fields lie (the ones before it were handled).
 */
int rndis_input(struct rndis_dev *r, const uint8_t *buf, uint32_t len,
		const struct rndis_ops *ops, void *ctx);

/* True when the guest asked for frames (initialized, filter set). */
bool rndis_rx_ready(const struct rndis_dev *r);

/*
 * rndis_packet_header() - the RNDIS_PKT_HDR bytes that go before a
 * @len-byte frame delivered to the guest (no per-packet info).
 */
void rndis_packet_header(uint8_t hdr[RNDIS_PKT_HDR], uint32_t len);

/* rndis_indicate() - an INDICATE_STATUS message (@status RNDIS_STATUS_*);
 * its length. */
uint32_t rndis_indicate(uint8_t *msg, uint32_t status);

#endif /* HVWORKER_RNDIS_H */
