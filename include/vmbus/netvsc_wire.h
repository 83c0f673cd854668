/* SPDX-License-Identifier: MIT */
/*
 * Synthetic network wire formats: NVSP (the netvsc transport on the VMBus
 * channel) and RNDIS (the messages it carries), laid out as Linux 6.1's
 * drivers/net/hyperv/hyperv_net.h and include/linux/rndis.h put them on
 * the wire (x86-64, little endian, packed structs without holes).
 *
 * Types and constants only, like vmbus/wire.h.  "guest" is hv_netvsc in
 * the child, "host" the worker's network VSP (parent/worker/netvsp.c).
 */
#ifndef MKHV_VMBUS_NETVSC_WIRE_H
#define MKHV_VMBUS_NETVSC_WIRE_H

#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------------- */
/* NVSP                                                                    */
/* ---------------------------------------------------------------------- */

/* Protocol versions Linux 6.1 tries, in this order (netvsc_connect_vsp). */
#define NVSP_PROTOCOL_VERSION_1		0x2
#define NVSP_PROTOCOL_VERSION_2		0x30002
#define NVSP_PROTOCOL_VERSION_4		0x40000
#define NVSP_PROTOCOL_VERSION_5		0x50000
#define NVSP_PROTOCOL_VERSION_6		0x60000
#define NVSP_PROTOCOL_VERSION_61	0x60001

/* Message types (enum nvsp_msg_type). */
#define NVSP_MSG_TYPE_INIT			1
#define NVSP_MSG_TYPE_INIT_COMPLETE		2
#define NVSP_MSG1_TYPE_SEND_NDIS_VER		100
#define NVSP_MSG1_TYPE_SEND_RECV_BUF		101
#define NVSP_MSG1_TYPE_SEND_RECV_BUF_COMPLETE	102
#define NVSP_MSG1_TYPE_REVOKE_RECV_BUF		103
#define NVSP_MSG1_TYPE_SEND_SEND_BUF		104
#define NVSP_MSG1_TYPE_SEND_SEND_BUF_COMPLETE	105
#define NVSP_MSG1_TYPE_REVOKE_SEND_BUF		106
#define NVSP_MSG1_TYPE_SEND_RNDIS_PKT		107
#define NVSP_MSG1_TYPE_SEND_RNDIS_PKT_COMPLETE	108
#define NVSP_MSG2_TYPE_SEND_NDIS_CONFIG		125
#define NVSP_MSG4_TYPE_SEND_VF_ASSOCIATION	128
#define NVSP_MSG4_TYPE_SWITCH_DATA_PATH		129
#define NVSP_MSG5_TYPE_OID_QUERY_EX		131
#define NVSP_MSG5_TYPE_OID_QUERY_EX_COMP	132
#define NVSP_MSG5_TYPE_SUBCHANNEL		133
#define NVSP_MSG5_TYPE_SEND_INDIRECTION_TABLE	134

/* Status values of completions. */
#define NVSP_STAT_NONE		0
#define NVSP_STAT_SUCCESS	1
#define NVSP_STAT_FAIL		2

/* Page-set id of the receive buffer (NETVSC_RECEIVE_BUFFER_ID). */
#define NVSP_RECV_BUFFER_ID	0xCAFE
/* send_buf_section_index when the data is not in the send buffer. */
#define NVSP_INVALID_SECTION	0xFFFFFFFFu
/* channel_type of SEND_RNDIS_PKT. */
#define NVSP_CHANNEL_DATA	0
#define NVSP_CHANNEL_CONTROL	1

/* Every NVSP message is this size on the wire (union nvsp_all_messages). */
#define NVSP_MSG_SIZE		40

/* INIT: the guest proposes one version (min = max). */
struct nvsp_init {
	uint32_t min_protocol_ver;	/* @4 */
	uint32_t max_protocol_ver;	/* @8 */
} __attribute__((packed));

/* INIT_COMPLETE (host). */
struct nvsp_init_complete {
	uint32_t negotiated_protocol_ver;	/* @4 */
	uint32_t max_mdl_chain_len;		/* @8 */
	uint32_t status;			/* @12 NVSP_STAT_* */
} __attribute__((packed));

/* SEND_NDIS_VER (guest, no completion). */
struct nvsp_ndis_ver {
	uint32_t ndis_major_ver;	/* @4 6 */
	uint32_t ndis_minor_ver;	/* @8 1 or 30 */
} __attribute__((packed));

/* SEND_RECV_BUF / SEND_SEND_BUF (guest). */
struct nvsp_send_buf {
	uint32_t gpadl_handle;	/* @4 GPADL of the buffer on this channel */
	uint16_t id;		/* @8 0xCAFE (receive) or 0 (send) */
} __attribute__((packed));

/* One section of the receive buffer (nvsp_1_receive_buffer_section). */
struct nvsp_recv_section {
	uint32_t offset;		/* must be 0 */
	uint32_t sub_alloc_size;	/* bytes per sub-allocation (>= 68) */
	uint32_t num_sub_allocs;
	uint32_t end_offset;
} __attribute__((packed));

/* SEND_RECV_BUF_COMPLETE (host). */
struct nvsp_recv_buf_complete {
	uint32_t status;			/* @4 */
	uint32_t num_sections;			/* @8 must be 1 */
	struct nvsp_recv_section sections[1];	/* @12 */
} __attribute__((packed));

/* SEND_SEND_BUF_COMPLETE (host). */
struct nvsp_send_buf_complete {
	uint32_t status;	/* @4 */
	uint32_t section_size;	/* @8 the guest's send sections (>= 68) */
} __attribute__((packed));

/* REVOKE_RECV_BUF / REVOKE_SEND_BUF (guest, no completion). */
struct nvsp_revoke_buf {
	uint16_t id;		/* @4 */
} __attribute__((packed));

/* SEND_RNDIS_PKT: guest -> host (with a completion) and host -> guest
 * (in an xfer-page packet, completed by the guest). */
struct nvsp_rndis_pkt {
	uint32_t channel_type;		/* @4 NVSP_CHANNEL_* */
	uint32_t send_buf_section_index;	/* @8 or NVSP_INVALID_SECTION */
	uint32_t send_buf_section_size;	/* @12 bytes used in the section */
} __attribute__((packed));

/* SEND_RNDIS_PKT_COMPLETE. */
struct nvsp_rndis_pkt_complete {
	uint32_t status;	/* @4 */
} __attribute__((packed));

/* SEND_NDIS_CONFIG (guest, v2+, no completion). */
struct nvsp_ndis_config {
	uint32_t mtu;		/* @4 MTU + ETH_HLEN */
	uint32_t reserved;	/* @8 */
	uint64_t capability;	/* @12 bit 0 vmq, 1 chimney, 2 sriov, 3 ieee8021q, 4 correlation_id, 5 teaming, 6 vsubnetid, 7 rsc */
} __attribute__((packed));

/* SUBCHANNEL request (guest, v5) and its completion (host). */
struct nvsp_subchannel_req {
	uint32_t op;		/* @4 1 = allocate */
	uint32_t num_subchannels;	/* @8 */
} __attribute__((packed));

struct nvsp_subchannel_complete {
	uint32_t status;	/* @4 */
	uint32_t num_subchannels;	/* @8 granted */
} __attribute__((packed));

/* The whole message: a type and a union padded to 36 bytes. */
struct nvsp_msg {
	uint32_t msg_type;	/* @0 NVSP_MSG*_TYPE_* */
	union {
		struct nvsp_init init;
		struct nvsp_init_complete init_complete;
		struct nvsp_ndis_ver ndis_ver;
		struct nvsp_send_buf send_buf;
		struct nvsp_recv_buf_complete recv_buf_complete;
		struct nvsp_send_buf_complete send_buf_complete;
		struct nvsp_revoke_buf revoke_buf;
		struct nvsp_rndis_pkt rndis_pkt;
		struct nvsp_rndis_pkt_complete rndis_pkt_complete;
		struct nvsp_ndis_config ndis_config;
		struct nvsp_subchannel_req subchannel_req;
		struct nvsp_subchannel_complete subchannel_complete;
		uint8_t raw[NVSP_MSG_SIZE - 4];
	} u;			/* @4 */
} __attribute__((packed));

_Static_assert(sizeof(struct nvsp_msg) == NVSP_MSG_SIZE, "nvsp_message is 40 bytes");
_Static_assert(offsetof(struct nvsp_msg, u.init_complete.status) == 12, "init status@12");
_Static_assert(offsetof(struct nvsp_msg, u.send_buf.id) == 8, "buf id@8");
_Static_assert(offsetof(struct nvsp_msg, u.recv_buf_complete.sections) == 12, "sections@12");
_Static_assert(sizeof(struct nvsp_recv_buf_complete) == 24, "recv buf complete");
_Static_assert(offsetof(struct nvsp_msg, u.send_buf_complete.section_size) == 8, "section_size@8");
_Static_assert(offsetof(struct nvsp_msg, u.rndis_pkt.send_buf_section_size) == 12, "section size@12");
_Static_assert(offsetof(struct nvsp_msg, u.ndis_config.capability) == 12, "capability@12");

/* ---------------------------------------------------------------------- */
/* RNDIS                                                                   */
/* ---------------------------------------------------------------------- */

#define RNDIS_MSG_PACKET	0x00000001u
#define RNDIS_MSG_INIT		0x00000002u
#define RNDIS_MSG_HALT		0x00000003u
#define RNDIS_MSG_QUERY		0x00000004u
#define RNDIS_MSG_SET		0x00000005u
#define RNDIS_MSG_RESET		0x00000006u
#define RNDIS_MSG_INDICATE	0x00000007u
#define RNDIS_MSG_KEEPALIVE	0x00000008u
#define RNDIS_MSG_COMPLETION	0x80000000u	/* | request type */
#define RNDIS_MSG_INIT_C	(RNDIS_MSG_INIT | RNDIS_MSG_COMPLETION)
#define RNDIS_MSG_QUERY_C	(RNDIS_MSG_QUERY | RNDIS_MSG_COMPLETION)
#define RNDIS_MSG_SET_C		(RNDIS_MSG_SET | RNDIS_MSG_COMPLETION)
#define RNDIS_MSG_RESET_C	(RNDIS_MSG_RESET | RNDIS_MSG_COMPLETION)
#define RNDIS_MSG_KEEPALIVE_C	(RNDIS_MSG_KEEPALIVE | RNDIS_MSG_COMPLETION)

#define RNDIS_STATUS_SUCCESS		0x00000000u
#define RNDIS_STATUS_FAILURE		0xC0000001u
#define RNDIS_STATUS_INVALID_DATA	0xC0010015u
#define RNDIS_STATUS_NOT_SUPPORTED	0xC00000BBu
#define RNDIS_STATUS_MEDIA_CONNECT	0x4001000Bu
#define RNDIS_STATUS_MEDIA_DISCONNECT	0x4001000Cu
#define RNDIS_STATUS_NETWORK_CHANGE	0x40010018u

/* OIDs Linux 6.1's rndis_filter.c uses. */
#define RNDIS_OID_GEN_MAXIMUM_FRAME_SIZE	0x00010106u
#define RNDIS_OID_GEN_LINK_SPEED		0x00010107u
#define RNDIS_OID_GEN_CURRENT_PACKET_FILTER	0x0001010Eu
#define RNDIS_OID_GEN_MAXIMUM_TOTAL_SIZE	0x00010111u
#define RNDIS_OID_GEN_MEDIA_CONNECT_STATUS	0x00010114u
#define RNDIS_OID_GEN_RECEIVE_SCALE_CAPABILITIES 0x00010203u
#define RNDIS_OID_GEN_RECEIVE_SCALE_PARAMETERS	0x00010204u
#define RNDIS_OID_GEN_FRIENDLY_NAME		0x00020216u
#define RNDIS_OID_GEN_RNDIS_CONFIG_PARAMETER	0x0001021Bu
#define RNDIS_OID_802_3_PERMANENT_ADDRESS	0x01010101u
#define RNDIS_OID_802_3_CURRENT_ADDRESS		0x01010102u
#define RNDIS_OID_TCP_OFFLOAD_PARAMETERS	0xFC01020Cu
#define RNDIS_OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES 0xFC01020Du

/* Every message starts with this (RNDIS_HEADER_SIZE). */
struct rndis_hdr {
	uint32_t msg_type;	/* @0 RNDIS_MSG_* */
	uint32_t msg_len;	/* @4 whole message, header included */
};
_Static_assert(sizeof(struct rndis_hdr) == 8, "rndis header");

/* Bodies: offsets in them are relative to the body (after the header). */
struct rndis_init_req {
	uint32_t req_id;	/* @8 */
	uint32_t major_ver;	/* @12 1 */
	uint32_t minor_ver;	/* @16 0 */
	uint32_t max_xfer_size;	/* @20 */
};

struct rndis_init_complete {
	uint32_t req_id;		/* @8 */
	uint32_t status;		/* @12 */
	uint32_t major_ver;		/* @16 */
	uint32_t minor_ver;		/* @20 */
	uint32_t dev_flags;		/* @24 1 = connectionless */
	uint32_t medium;		/* @28 0 = 802.3 */
	uint32_t max_pkt_per_msg;	/* @32 */
	uint32_t max_xfer_size;		/* @36 */
	uint32_t pkt_alignment_factor;	/* @40 alignment = 1 << this */
	uint32_t af_list_offset;	/* @44 */
	uint32_t af_list_size;		/* @48 */
};
_Static_assert(sizeof(struct rndis_init_complete) == 44, "init complete");

/* QUERY and SET requests share the layout up to dev_vc_handle. */
struct rndis_query_req {
	uint32_t req_id;		/* @8 */
	uint32_t oid;			/* @12 */
	uint32_t info_buflen;		/* @16 */
	uint32_t info_buf_offset;	/* @20 from the body */
	uint32_t dev_vc_handle;		/* @24 */
};
_Static_assert(sizeof(struct rndis_query_req) == 20, "query request");

struct rndis_query_complete {
	uint32_t req_id;		/* @8 */
	uint32_t status;		/* @12 */
	uint32_t info_buflen;		/* @16 */
	uint32_t info_buf_offset;	/* @20 from the body, >= 16 */
};
_Static_assert(sizeof(struct rndis_query_complete) == 16, "query complete");

struct rndis_set_complete {
	uint32_t req_id;	/* @8 */
	uint32_t status;	/* @12 */
};

struct rndis_reset_complete {
	uint32_t status;		/* @8 */
	uint32_t addressing_reset;	/* @12 */
};

/* KEEPALIVE request and completion (host answers the guest's). */
struct rndis_keepalive {
	uint32_t req_id;	/* @8 */
	uint32_t status;	/* @12 completion only */
};

struct rndis_indicate_status {
	uint32_t status;		/* @8 RNDIS_STATUS_MEDIA_* */
	uint32_t status_buflen;		/* @12 */
	uint32_t status_buf_offset;	/* @16 */
};
_Static_assert(sizeof(struct rndis_indicate_status) == 12, "indicate");

/* RNDIS_MSG_PACKET body. */
struct rndis_packet {
	uint32_t data_offset;		/* @8 frame, from the body */
	uint32_t data_len;		/* @12 frame bytes */
	uint32_t oob_data_offset;	/* @16 */
	uint32_t oob_data_len;		/* @20 */
	uint32_t num_oob_data_elements;	/* @24 */
	uint32_t per_pkt_info_offset;	/* @28 from the body, 0 = none */
	uint32_t per_pkt_info_len;	/* @32 */
	uint32_t vc_handle;		/* @36 */
	uint32_t reserved;		/* @40 */
};
_Static_assert(sizeof(struct rndis_packet) == 36, "rndis_packet");

/* One per-packet-info element (struct rndis_per_packet_info). */
struct rndis_ppi {
	uint32_t size;		/* @0 whole element */
	uint32_t type;		/* @4 bits 0-30 type, bit 31 internal */
	uint32_t ppi_offset;	/* @8 data, from the element */
};
_Static_assert(sizeof(struct rndis_ppi) == 12, "ppi");

/* NDIS object header at the start of offload structures. */
struct ndis_object_header {
	uint8_t type;		/* @0 */
	uint8_t revision;	/* @1 */
	uint16_t size;		/* @2 */
};
_Static_assert(sizeof(struct ndis_object_header) == 4, "ndis object header");

#define NDIS_OBJECT_TYPE_OFFLOAD	0xA7
/* Per-packet info types (rndis_ppi.type) and their u32 values. */
#define RNDIS_PPI_TCPIP_CHKSUM		0	/* struct ndis_tcp_ip_checksum_info */
#define RNDIS_PPI_TCP_LARGESEND		2	/* struct ndis_tcp_lso_info */
#define RNDIS_PPI_TYPE_MASK		0x7FFFFFFFu	/* bit 31: internal */
/* checksum info, transmit: is_ipv4:1 is_ipv6:1 tcp:1 udp:1 ip_hdr:1 _:11 tcp_header_offset:10 */
#define NDIS_CSUM_TX_IPV4		(1u << 0)
#define NDIS_CSUM_TX_TCP		(1u << 2)
#define NDIS_CSUM_TX_UDP		(1u << 3)
#define NDIS_CSUM_TX_OFFSET(v)		(((v) >> 16) & 0x3FF)
/* LSOv2 transmit: mss:20 tcp_header_offset:10 type:1 ip_version:1 (0 = IPv4) */
#define NDIS_LSO2_MSS(v)		((v) & 0xFFFFF)
#define NDIS_LSO2_OFFSET(v)		(((v) >> 20) & 0x3FF)
#define NDIS_LSO2_IPV6			(1u << 31)
/*
 * struct ndis_offload (Linux's hyperv_net.h): the object header, then
 * struct ndis_csum_offload (ip4_txenc @4, ip4_txcsum @8, ...), lsov1 @36,
 * ipsecv1 @52, struct ndis_lsov2_offload (ip4_encap @80, ip4_maxsz @84,
 * ip4_minsg @88, ...), flags @108.
 */
#define NDIS_OFFLOAD_IP4_TXENC		4
#define NDIS_OFFLOAD_IP4_TXCSUM		8
#define NDIS_OFFLOAD_LSO2_IP4_ENCAP	80
#define NDIS_OFFLOAD_LSO2_IP4_MAXSZ	84
#define NDIS_OFFLOAD_LSO2_IP4_MINSG	88
#define NDIS_OFFLOAD_ENCAP_8023		0x0002
#define NDIS_TXCSUM_CAP_IP4OPT		0x001
#define NDIS_TXCSUM_CAP_TCP4OPT		0x004
#define NDIS_TXCSUM_CAP_TCP4		0x010
#define NDIS_OFFLOAD_SIZE_6_0		112	/* Linux accepts >= this */
#define NDIS_OFFLOAD_SIZE_6_1		144
#define NDIS_OFFLOAD_SIZE		156	/* struct ndis_offload, revision 3 */

#endif /* MKHV_VMBUS_NETVSC_WIRE_H */
