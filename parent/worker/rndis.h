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
/*
 * TCP segmentation offload (LSOv2, IPv4) offered to the guest: its
 * gso_max_size, so a whole message stays within NETVSP_MAX_XFER (64 KiB),
 * and the largest frame a LARGESEND packet may carry.
 */
#define RNDIS_LSO_MAX_SIZE	62780u
#define RNDIS_MAX_LSO_FRAME	(RNDIS_ETH_HLEN + 65535u)
/* Headers rndis_tx_offload() may patch: Ethernet, IPv4 and TCP, options included. */
#define RNDIS_TX_HDR_MAX	(RNDIS_ETH_HLEN + 60 + 60)
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

/* What the guest left to the host on a frame it sent (per-packet info). */
enum rndis_csum { RNDIS_CSUM_NONE, RNDIS_CSUM_TCP, RNDIS_CSUM_UDP };

struct rndis_tx_meta {
	enum rndis_csum csum;	/* L4 checksum to complete */
	uint32_t l4_off;	/* its header, from the frame start */
	uint32_t mss;		/* TCP segmentation (LSOv2 IPv4), 0 = none */
};

struct rndis_ops {
	/*
	 * An Ethernet frame from the guest (bytes valid during the call);
	 * @meta: offloads the host must finish (rndis_tx_offload()).
	 */
	void (*frame)(void *ctx, const uint8_t *frame, uint32_t len,
		      const struct rndis_tx_meta *meta);
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

struct virtio_net_hdr;

/*
 * rndis_tx_offload() - what a tap with IFF_VNET_HDR needs to finish a
 * guest frame with @meta: the virtio_net_hdr in @vh (checksum start and
 * offset; for LSO the TCPv4 GSO type and size) and, for LSO, in @hdr a
 * copy of the frame's first *@hlen bytes with the fields Linux's netvsc
 * leaves for the host filled in (IPv4 total length and header checksum,
 * the TCP pseudo-header checksum with the length), to be written instead
 * of those bytes.  *@hlen is 0 when the frame goes as it is.  Every field
 * is checked against the frame (a private copy).
 * Return: 0, or -EINVAL when the frame does not match @meta.
 */
int rndis_tx_offload(const uint8_t *frame, uint32_t len, const struct rndis_tx_meta *meta,
		     struct virtio_net_hdr *vh, uint8_t hdr[RNDIS_TX_HDR_MAX],
		     uint32_t *hlen);

/* rndis_indicate() - an INDICATE_STATUS message (@status RNDIS_STATUS_*);
 * its length. */
uint32_t rndis_indicate(uint8_t *msg, uint32_t status);

#endif /* HVWORKER_RNDIS_H */
