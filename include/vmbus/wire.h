/* SPDX-License-Identifier: MIT */
/*
 * VMBus wire formats: the ring-buffer header, packet descriptors and the
 * channel-management messages, laid out exactly as Linux 6.1's
 * include/linux/hyperv.h and drivers/hv/hyperv_vmbus.h put them on the wire
 * (x86-64, little endian).  Stock Linux children are on the other end, so
 * nothing here may change.
 *
 * Types, constants and static inline size helpers only: this header is
 * included by freestanding code (hv, kernel modules) and by userspace.
 * Structures are naturally aligned unless a comment says otherwise; the
 * few unaligned parts (the GPA range inside GPADL_HEADER) are described,
 * not declared, and parsed byte-wise.
 *
 * "guest" is the VMBus client (a child partition), "host" the VMBus server
 * (the per-VM worker in the parent).
 */
#ifndef MKHV_VMBUS_WIRE_H
#define MKHV_VMBUS_WIRE_H

#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------------- */
/* Protocol versions (major << 16 | minor).  Linux 6.1 tries 5.3 .. 2.4.    */
/* ---------------------------------------------------------------------- */

#define VMBUS_MAKE_VERSION(maj, min)	((uint32_t)(maj) << 16 | (uint32_t)(min))
#define VMBUS_VERSION_MAJOR(v)		((uint32_t)(v) >> 16)
#define VMBUS_VERSION_MINOR(v)		((uint32_t)(v) & 0xffffu)

#define VERSION_WS2008		VMBUS_MAKE_VERSION(0, 13)	/* not supported */
#define VERSION_WIN7		VMBUS_MAKE_VERSION(1, 1)	/* not supported */
#define VERSION_WIN8		VMBUS_MAKE_VERSION(2, 4)	/* 0x20004 */
#define VERSION_WIN8_1		VMBUS_MAKE_VERSION(3, 0)	/* 0x30000 */
#define VERSION_WIN10		VMBUS_MAKE_VERSION(4, 0)	/* 0x40000 */
#define VERSION_WIN10_V4_1	VMBUS_MAKE_VERSION(4, 1)	/* 0x40001 */
#define VERSION_WIN10_V5	VMBUS_MAKE_VERSION(5, 0)	/* 0x50000 */
#define VERSION_WIN10_V5_1	VMBUS_MAKE_VERSION(5, 1)	/* 0x50001 */
#define VERSION_WIN10_V5_2	VMBUS_MAKE_VERSION(5, 2)	/* 0x50002 */
#define VERSION_WIN10_V5_3	VMBUS_MAKE_VERSION(5, 3)	/* 0x50003 */

/* SynIC connection ids and SINT (drivers/hv/hyperv_vmbus.h). */
#define VMBUS_MESSAGE_CONNECTION_ID	1	/* messages, version < 5.0 */
#define VMBUS_MESSAGE_CONNECTION_ID_4	4	/* INITIATE_CONTACT, >= 5.0 */
#define VMBUS_EVENT_CONNECTION_ID	2
#define VMBUS_MONITOR_CONNECTION_ID	3
#define VMBUS_MESSAGE_PORT_ID		1
#define VMBUS_EVENT_PORT_ID		2
#define VMBUS_MESSAGE_SINT		2	/* SINT2, vector 0xF3 */

/* Largest SynIC message payload (HV_MESSAGE_PAYLOAD_BYTE_COUNT). */
#define VMBUS_MAX_MSG_SIZE		240
/* Relids are 1 .. 2047 (MAX_CHANNEL_RELIDS = 2048; 0 is reserved). */
#define VMBUS_MAX_CHANNEL_RELIDS	2048
/* Hyper-V page size used by GPADLs and rings, whatever the host page is. */
#define VMBUS_PAGE_SIZE			4096u
#define VMBUS_PAGE_SHIFT		12

/* ---------------------------------------------------------------------- */
/* Ring buffer                                                             */
/* ---------------------------------------------------------------------- */

/*
 * One direction of a channel: a 4 KiB header page followed by the data
 * area.  Indices are byte offsets into the data area, always multiples of
 * 8 and below the data size.  write_index == read_index means empty; a
 * writer never fills the ring completely (at least 8 bytes stay free).
 * The writer owns write_index and pending_send_sz, the reader owns
 * read_index and interrupt_mask; feature_bits is set by the writer.
 */
struct vmbus_ring_header {
	uint32_t write_index;		/* @0  next byte the writer fills (writer) */
	uint32_t read_index;		/* @4  next byte the reader consumes (reader) */
	uint32_t interrupt_mask;	/* @8  non-zero: reader polls, writer must not signal (reader) */
	uint32_t pending_send_sz;	/* @12 bytes the blocked writer waits for, 0 = none (writer) */
	uint32_t reserved1[12];		/* @16 zero */
	uint32_t feature_bits;		/* @64 VMBUS_RING_FEAT_* (writer) */
	uint8_t reserved2[VMBUS_PAGE_SIZE - 68];	/* @68 pad to one page */
};
_Static_assert(sizeof(struct vmbus_ring_header) == 4096, "ring header is one page");
_Static_assert(offsetof(struct vmbus_ring_header, write_index) == 0, "write_index@0");
_Static_assert(offsetof(struct vmbus_ring_header, read_index) == 4, "read_index@4");
_Static_assert(offsetof(struct vmbus_ring_header, interrupt_mask) == 8, "interrupt_mask@8");
_Static_assert(offsetof(struct vmbus_ring_header, pending_send_sz) == 12, "pending_send_sz@12");
_Static_assert(offsetof(struct vmbus_ring_header, feature_bits) == 64, "feature_bits@64");

/* feature_bits: the writer of this ring sets pending_send_sz when blocked
 * and the reader must signal it once that much space is free. */
#define VMBUS_RING_FEAT_PENDING_SEND_SZ	0x1u

/* Every packet is followed by this trailer: the packet's start offset
 * (the writer's old write_index) in the upper 32 bits. */
#define VMBUS_RING_TRAILER_SIZE		8u
#define VMBUS_PKT_ALIGN			8u

/* Packet types (enum vmbus_packet_type). */
#define VM_PKT_INVALID			0x0
#define VM_PKT_SYNCH			0x1
#define VM_PKT_ADD_XFER_PAGESET		0x2
#define VM_PKT_RM_XFER_PAGESET		0x3
#define VM_PKT_ESTABLISH_GPADL		0x4
#define VM_PKT_TEARDOWN_GPADL		0x5
#define VM_PKT_DATA_INBAND		0x6
#define VM_PKT_DATA_USING_XFER_PAGES	0x7
#define VM_PKT_DATA_USING_GPADL		0x8
#define VM_PKT_DATA_USING_GPA_DIRECT	0x9
#define VM_PKT_CANCEL_REQUEST		0xa
#define VM_PKT_COMP			0xb
#define VM_PKT_DATA_USING_ADDITIONAL_PKT 0xc
#define VM_PKT_ADDITIONAL_DATA		0xd

/* Descriptor flags. */
#define VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED	0x1

/*
 * Packet descriptor (struct vmpacket_descriptor), first 16 bytes of every
 * packet.  Lengths are in 8-byte units and count from the packet start.
 */
struct vmbus_packet_desc {
	uint16_t type;		/* @0 VM_PKT_* */
	uint16_t offset8;	/* @2 start of the payload / 8 (2 = right after this) */
	uint16_t len8;		/* @4 whole packet length / 8, padding included, trailer not */
	uint16_t flags;		/* @6 VMBUS_DATA_PACKET_FLAG_* */
	uint64_t trans_id;	/* @8 request id, echoed by the completion */
};
_Static_assert(sizeof(struct vmbus_packet_desc) == 16, "descriptor is 16 bytes");
_Static_assert(offsetof(struct vmbus_packet_desc, offset8) == 2, "offset8@2");
_Static_assert(offsetof(struct vmbus_packet_desc, len8) == 4, "len8@4");
_Static_assert(offsetof(struct vmbus_packet_desc, flags) == 6, "flags@6");
_Static_assert(offsetof(struct vmbus_packet_desc, trans_id) == 8, "trans_id@8");

/* One range of a transfer-page packet (struct vmtransfer_page_range). */
struct vmbus_xfer_page_range {
	uint32_t byte_count;	/* @0 length of the range in the page set */
	uint32_t byte_offset;	/* @4 offset of the range in the page set */
};
_Static_assert(sizeof(struct vmbus_xfer_page_range) == 8, "xfer range");

/* VM_PKT_DATA_USING_XFER_PAGES header (struct vmtransfer_page_packet_header,
 * which Linux declares with ranges[1], hence its sizeof 32):
 * ranges[range_cnt] follow at @24, then the payload at offset8 * 8. */
struct vmbus_xfer_page_header {
	struct vmbus_packet_desc d;	/* @0 type 7 */
	uint16_t xfer_pageset_id;	/* @16 page set (netvsc: 0xCAFE) */
	uint8_t sender_owns_set;	/* @18 */
	uint8_t reserved;		/* @19 */
	uint32_t range_cnt;		/* @20 number of ranges following */
};
_Static_assert(sizeof(struct vmbus_xfer_page_header) == 24, "xfer header");
_Static_assert(offsetof(struct vmbus_xfer_page_header, range_cnt) == 20, "range_cnt@20");

/*
 * A GPA range (struct gpa_range): byte_count bytes starting byte_offset
 * bytes into the first page; pfn_array holds one 4 KiB page frame number
 * for every page spanned.  8-byte aligned inside ring packets, but only
 * 4-byte aligned inside GPADL_HEADER (see below).
 */
struct vmbus_gpa_range {
	uint32_t byte_count;	/* @0 length in bytes */
	uint32_t byte_offset;	/* @4 offset into the first page, < 4096 */
	uint64_t pfn_array[];	/* @8 VMBUS_PAGE_SIZE page numbers */
};
_Static_assert(sizeof(struct vmbus_gpa_range) == 8, "gpa range header");

/* VM_PKT_DATA_USING_GPA_DIRECT header (struct vmdata_gpa_direct without
 * its range): range_cnt gpa ranges follow at @24, then the payload. */
struct vmbus_gpa_direct_header {
	struct vmbus_packet_desc d;	/* @0 type 9 */
	uint32_t reserved;		/* @16 zero */
	uint32_t range_cnt;		/* @20 number of gpa ranges following */
};
_Static_assert(sizeof(struct vmbus_gpa_direct_header) == 24, "gpa direct header");

/* VM_PKT_DATA_USING_GPADL header (struct vmgpadl_packet_header). */
struct vmbus_gpadl_packet_header {
	struct vmbus_packet_desc d;	/* @0 type 8 */
	uint32_t gpadl;			/* @16 GPADL handle */
	uint32_t reserved;		/* @20 zero */
};
_Static_assert(sizeof(struct vmbus_gpadl_packet_header) == 24, "gpadl pkt header");

/* Completion packets (VM_PKT_COMP) are a plain descriptor with type 11,
 * offset8 2 and the request's trans_id, followed by the payload. */

/* Payload bytes a packet with hdr_len-byte header and len-byte payload
 * occupies in the ring, trailer included. */
static inline uint64_t vmbus_ring_packet_bytes(uint32_t hdr_len, uint32_t len)
{
	uint64_t n = (uint64_t)hdr_len + len;

	return ((n + VMBUS_PKT_ALIGN - 1) & ~(uint64_t)(VMBUS_PKT_ALIGN - 1)) +
	       VMBUS_RING_TRAILER_SIZE;
}

/* ---------------------------------------------------------------------- */
/* Channel-management messages (SynIC message payloads)                    */
/* ---------------------------------------------------------------------- */

enum vmbus_channel_message_type {
	CHANNELMSG_INVALID = 0,
	CHANNELMSG_OFFERCHANNEL = 1,
	CHANNELMSG_RESCIND_CHANNELOFFER = 2,
	CHANNELMSG_REQUESTOFFERS = 3,
	CHANNELMSG_ALLOFFERS_DELIVERED = 4,
	CHANNELMSG_OPENCHANNEL = 5,
	CHANNELMSG_OPENCHANNEL_RESULT = 6,
	CHANNELMSG_CLOSECHANNEL = 7,
	CHANNELMSG_GPADL_HEADER = 8,
	CHANNELMSG_GPADL_BODY = 9,
	CHANNELMSG_GPADL_CREATED = 10,
	CHANNELMSG_GPADL_TEARDOWN = 11,
	CHANNELMSG_GPADL_TORNDOWN = 12,
	CHANNELMSG_RELID_RELEASED = 13,
	CHANNELMSG_INITIATE_CONTACT = 14,
	CHANNELMSG_VERSION_RESPONSE = 15,
	CHANNELMSG_UNLOAD = 16,
	CHANNELMSG_UNLOAD_RESPONSE = 17,
	CHANNELMSG_18 = 18,
	CHANNELMSG_19 = 19,
	CHANNELMSG_20 = 20,
	CHANNELMSG_TL_CONNECT_REQUEST = 21,
	CHANNELMSG_MODIFYCHANNEL = 22,
	CHANNELMSG_TL_CONNECT_RESULT = 23,
	CHANNELMSG_MODIFYCHANNEL_RESPONSE = 24,
	CHANNELMSG_COUNT
};

/* Common 8-byte header of every channel message.  REQUESTOFFERS,
 * ALLOFFERS_DELIVERED, UNLOAD and UNLOAD_RESPONSE are this header alone. */
struct vmbus_channel_message_header {
	uint32_t msgtype;	/* @0 CHANNELMSG_* */
	uint32_t padding;	/* @4 zero */
};
_Static_assert(sizeof(struct vmbus_channel_message_header) == 8, "msg header");

/* A GUID as 16 bytes in memory order (Linux guid_t). */
struct vmbus_guid {
	uint8_t b[16];
};
_Static_assert(sizeof(struct vmbus_guid) == 16, "guid");

/* Linux GUID_INIT: a, b and c are stored little endian. */
#define VMBUS_GUID_INIT(a, b, c, d0, d1, d2, d3, d4, d5, d6, d7)	\
	{ { (a) & 0xff, ((a) >> 8) & 0xff, ((a) >> 16) & 0xff,		\
	    ((a) >> 24) & 0xff, (b) & 0xff, ((b) >> 8) & 0xff,		\
	    (c) & 0xff, ((c) >> 8) & 0xff,					\
	    (d0), (d1), (d2), (d3), (d4), (d5), (d6), (d7) } }

/* Offer flags (chn_flags). */
#define VMBUS_CHANNEL_ENUMERATE_DEVICE_INTERFACE	0x1
#define VMBUS_CHANNEL_SERVER_SUPPORTS_TRANSFER_PAGES	0x2
#define VMBUS_CHANNEL_SERVER_SUPPORTS_GPADLS		0x4
#define VMBUS_CHANNEL_NAMED_PIPE_MODE			0x10
#define VMBUS_CHANNEL_LOOPBACK_OFFER			0x100
#define VMBUS_CHANNEL_PARENT_OFFER			0x200
#define VMBUS_CHANNEL_REQUEST_MONITORED_NOTIFICATION	0x400
#define VMBUS_CHANNEL_TLNPI_PROVIDER_OFFER		0x2000

#define VMBUS_MAX_USER_DEFINED_BYTES	120

/* struct vmbus_channel_offer (176 bytes). */
struct vmbus_channel_offer {
	struct vmbus_guid if_type;	/* @0  device class GUID */
	struct vmbus_guid if_instance;	/* @16 device instance GUID */
	uint32_t reserved1[2];		/* @32 zero (u64 in Linux; split so the
					 * offer stays 4-aligned and the 196-byte
					 * offer message has no tail padding) */
	uint32_t reserved2[2];		/* @40 zero */
	uint16_t chn_flags;		/* @48 VMBUS_CHANNEL_* */
	uint16_t mmio_megabytes;	/* @50 MMIO space wanted, MiB */
	uint8_t user_def[VMBUS_MAX_USER_DEFINED_BYTES];	/* @52 device specific (pipe: mode u32 first) */
	uint16_t sub_channel_index;	/* @172 0 = primary channel */
	uint16_t reserved3;		/* @174 zero */
};
_Static_assert(sizeof(struct vmbus_channel_offer) == 176, "offer");
_Static_assert(_Alignof(struct vmbus_channel_offer) == 4, "offer alignment");
_Static_assert(offsetof(struct vmbus_channel_offer, chn_flags) == 48, "chn_flags@48");
_Static_assert(offsetof(struct vmbus_channel_offer, user_def) == 52, "user_def@52");
_Static_assert(offsetof(struct vmbus_channel_offer, sub_channel_index) == 172, "sub_channel_index@172");

/* CHANNELMSG_OFFERCHANNEL (host -> guest), 196 bytes. */
struct vmbus_channel_offer_channel {
	struct vmbus_channel_message_header header;	/* @0 type 1 */
	struct vmbus_channel_offer offer;		/* @8 */
	uint32_t child_relid;		/* @184 channel id, 1 .. 2047 */
	uint8_t monitorid;		/* @188 monitor page bit, if monitor_allocated */
	uint8_t monitor_allocated;	/* @189 bit 0: guest signals via monitor page */
	uint16_t is_dedicated_interrupt;	/* @190 bit 0: no int_page bit needed */
	uint32_t connection_id;		/* @192 HvSignalEvent connection id for this channel */
};
_Static_assert(sizeof(struct vmbus_channel_offer_channel) == 196, "offer message");
_Static_assert(offsetof(struct vmbus_channel_offer_channel, child_relid) == 184, "child_relid@184");
_Static_assert(offsetof(struct vmbus_channel_offer_channel, monitorid) == 188, "monitorid@188");
_Static_assert(offsetof(struct vmbus_channel_offer_channel, monitor_allocated) == 189, "monitor_allocated@189");
_Static_assert(offsetof(struct vmbus_channel_offer_channel, is_dedicated_interrupt) == 190, "is_dedicated_interrupt@190");
_Static_assert(offsetof(struct vmbus_channel_offer_channel, connection_id) == 192, "connection_id@192");

/* CHANNELMSG_RESCIND_CHANNELOFFER (host -> guest), 12 bytes. */
struct vmbus_channel_rescind_offer {
	struct vmbus_channel_message_header header;	/* @0 type 2 */
	uint32_t child_relid;				/* @8 */
};
_Static_assert(sizeof(struct vmbus_channel_rescind_offer) == 12, "rescind");

/* CHANNELMSG_OPENCHANNEL (guest -> host), 148 bytes. */
struct vmbus_channel_open_channel {
	struct vmbus_channel_message_header header;	/* @0 type 5 */
	uint32_t child_relid;		/* @8  channel to open */
	uint32_t openid;		/* @12 echoed in the result (Linux: relid) */
	uint32_t ringbuffer_gpadlhandle;	/* @16 GPADL with both rings */
	uint32_t target_vp;		/* @20 VP for host -> guest interrupts */
	uint32_t downstream_ringbuffer_pageoffset;	/* @24 page of the host -> guest ring in the GPADL */
	uint8_t userdata[VMBUS_MAX_USER_DEFINED_BYTES];	/* @28 */
};
_Static_assert(sizeof(struct vmbus_channel_open_channel) == 148, "open");
_Static_assert(offsetof(struct vmbus_channel_open_channel, downstream_ringbuffer_pageoffset) == 24, "dso@24");
_Static_assert(offsetof(struct vmbus_channel_open_channel, userdata) == 28, "userdata@28");

/* CHANNELMSG_OPENCHANNEL_RESULT (host -> guest), 20 bytes. */
struct vmbus_channel_open_result {
	struct vmbus_channel_message_header header;	/* @0 type 6 */
	uint32_t child_relid;	/* @8 */
	uint32_t openid;	/* @12 from the request */
	uint32_t status;	/* @16 0 = opened, otherwise an NTSTATUS failure */
};
_Static_assert(sizeof(struct vmbus_channel_open_result) == 20, "open result");

/* CHANNELMSG_CLOSECHANNEL (guest -> host), 12 bytes. */
struct vmbus_channel_close_channel {
	struct vmbus_channel_message_header header;	/* @0 type 7 */
	uint32_t child_relid;				/* @8 */
};
_Static_assert(sizeof(struct vmbus_channel_close_channel) == 12, "close");

/*
 * CHANNELMSG_GPADL_HEADER (guest -> host), 20 bytes followed (unaligned,
 * at @20) by range_buflen bytes of gpa ranges: rangecount times
 * { byte_count u32, byte_offset u32, pfn u64[pages] }.  PFNs that do not
 * fit in one 240-byte message continue in GPADL_BODY messages.
 */
struct vmbus_channel_gpadl_header {
	struct vmbus_channel_message_header header;	/* @0 type 8 */
	uint32_t child_relid;	/* @8  channel the GPADL belongs to */
	uint32_t gpadl;		/* @12 guest-chosen handle (Linux: from 0xE1E10) */
	uint16_t range_buflen;	/* @16 bytes of all ranges incl. PFNs */
	uint16_t rangecount;	/* @18 number of ranges (Linux: 1) */
};
_Static_assert(sizeof(struct vmbus_channel_gpadl_header) == 20, "gpadl header");
_Static_assert(offsetof(struct vmbus_channel_gpadl_header, range_buflen) == 16, "range_buflen@16");

/* CHANNELMSG_GPADL_BODY (guest -> host), 16 bytes + pfn u64[] at @16. */
struct vmbus_channel_gpadl_body {
	struct vmbus_channel_message_header header;	/* @0 type 9 */
	uint32_t msgnumber;	/* @8  not set by Linux (0): ignored */
	uint32_t gpadl;		/* @12 handle from the header message */
	uint64_t pfn[];		/* @16 next PFNs of the range stream */
};
_Static_assert(sizeof(struct vmbus_channel_gpadl_body) == 16, "gpadl body");

/* CHANNELMSG_GPADL_CREATED (host -> guest), 20 bytes. */
struct vmbus_channel_gpadl_created {
	struct vmbus_channel_message_header header;	/* @0 type 10 */
	uint32_t child_relid;		/* @8 */
	uint32_t gpadl;			/* @12 */
	uint32_t creation_status;	/* @16 0 = created */
};
_Static_assert(sizeof(struct vmbus_channel_gpadl_created) == 20, "gpadl created");

/* CHANNELMSG_GPADL_TEARDOWN (guest -> host), 16 bytes. */
struct vmbus_channel_gpadl_teardown {
	struct vmbus_channel_message_header header;	/* @0 type 11 */
	uint32_t child_relid;	/* @8 */
	uint32_t gpadl;		/* @12 */
};
_Static_assert(sizeof(struct vmbus_channel_gpadl_teardown) == 16, "gpadl teardown");

/* CHANNELMSG_GPADL_TORNDOWN (host -> guest), 12 bytes. */
struct vmbus_channel_gpadl_torndown {
	struct vmbus_channel_message_header header;	/* @0 type 12 */
	uint32_t gpadl;		/* @8 */
};
_Static_assert(sizeof(struct vmbus_channel_gpadl_torndown) == 12, "gpadl torndown");

/* CHANNELMSG_RELID_RELEASED (guest -> host), 12 bytes: the guest is done
 * with a rescinded relid. */
struct vmbus_channel_relid_released {
	struct vmbus_channel_message_header header;	/* @0 type 13 */
	uint32_t child_relid;				/* @8 */
};
_Static_assert(sizeof(struct vmbus_channel_relid_released) == 12, "relid released");

/* CHANNELMSG_INITIATE_CONTACT (guest -> host), 40 bytes. */
struct vmbus_channel_initiate_contact {
	struct vmbus_channel_message_header header;	/* @0 type 14 */
	uint32_t vmbus_version_requested;	/* @8  VERSION_* */
	uint32_t target_vcpu;		/* @12 VP index the host sends messages to */
	union {
		uint64_t interrupt_page;	/* @16 < 5.0: GPA of the int page */
		struct {
			uint8_t msg_sint;	/* @16 >= 5.0: SINT for messages (2) */
			uint8_t msg_vtl;	/* @17 >= 5.0: VTL (0); padding
						 * (zeroed) in Linux 6.1 */
			uint8_t reserved[6];	/* @18 */
		};
	};
	uint64_t monitor_page1;		/* @24 GPA of monitor page 1 */
	uint64_t monitor_page2;		/* @32 GPA of monitor page 2 */
};
_Static_assert(sizeof(struct vmbus_channel_initiate_contact) == 40, "initiate contact");
_Static_assert(offsetof(struct vmbus_channel_initiate_contact, interrupt_page) == 16, "int page@16");
_Static_assert(offsetof(struct vmbus_channel_initiate_contact, monitor_page2) == 32, "monitor2@32");

/* CHANNELMSG_VERSION_RESPONSE (host -> guest), 16 bytes. */
struct vmbus_channel_version_response {
	struct vmbus_channel_message_header header;	/* @0 type 15 */
	uint8_t version_supported;	/* @8  1 = accepted, 0 = try a lower one */
	uint8_t connection_state;	/* @9  VMBUS_CONNECTION_* (0 on success) */
	uint16_t padding;		/* @10 zero */
	uint32_t msg_conn_id;		/* @12 >= 5.0: connection id for later messages */
};
_Static_assert(sizeof(struct vmbus_channel_version_response) == 16, "version response");
_Static_assert(offsetof(struct vmbus_channel_version_response, msg_conn_id) == 12, "msg_conn_id@12");

#define VMBUS_CONNECTION_SUCCESSFUL		0
#define VMBUS_CONNECTION_FAILED_LOW_RESOURCES	1
#define VMBUS_CONNECTION_FAILED_UNKNOWN		2

/* CHANNELMSG_MODIFYCHANNEL (guest -> host, >= 4.1), 16 bytes. */
struct vmbus_channel_modifychannel {
	struct vmbus_channel_message_header header;	/* @0 type 22 */
	uint32_t child_relid;	/* @8 */
	uint32_t target_vp;	/* @12 new interrupt target */
};
_Static_assert(sizeof(struct vmbus_channel_modifychannel) == 16, "modifychannel");

/* CHANNELMSG_MODIFYCHANNEL_RESPONSE (host -> guest, >= 5.3), 16 bytes. */
struct vmbus_channel_modifychannel_response {
	struct vmbus_channel_message_header header;	/* @0 type 24 */
	uint32_t child_relid;	/* @8 */
	uint32_t status;	/* @12 0 = done */
};
_Static_assert(sizeof(struct vmbus_channel_modifychannel_response) == 16, "modify response");

/* NTSTATUS used in failure replies (creation_status, open status). */
#define VMBUS_STATUS_SUCCESS		0x00000000u
#define VMBUS_STATUS_UNSUCCESSFUL	0xC0000001u
#define VMBUS_STATUS_INVALID_PARAMETER	0xC000000Du
#define VMBUS_STATUS_NO_MEMORY		0xC0000017u
#define VMBUS_STATUS_DEVICE_BUSY	0xC00000AEu

/* ---------------------------------------------------------------------- */
/* Device class GUIDs (include/linux/hyperv.h)                             */
/* ---------------------------------------------------------------------- */

#define VMBUS_GUID_SCSI		VMBUS_GUID_INIT(0xba6163d9, 0x04a1, 0x4d29, \
	0xb6, 0x05, 0x72, 0xe2, 0xff, 0xb1, 0xdc, 0x7f)
#define VMBUS_GUID_NIC		VMBUS_GUID_INIT(0xf8615163, 0xdf3e, 0x46c5, \
	0x91, 0x3f, 0xf2, 0xd2, 0xf9, 0x65, 0xed, 0x0e)
#define VMBUS_GUID_SHUTDOWN	VMBUS_GUID_INIT(0x0e0b6031, 0x5213, 0x4934, \
	0x81, 0x8b, 0x38, 0xd9, 0x0c, 0xed, 0x39, 0xdb)
#define VMBUS_GUID_TIMESYNC	VMBUS_GUID_INIT(0x9527e630, 0xd0ae, 0x497b, \
	0xad, 0xce, 0xe8, 0x0a, 0xb0, 0x17, 0x5c, 0xaf)
#define VMBUS_GUID_HEARTBEAT	VMBUS_GUID_INIT(0x57164f39, 0x9115, 0x4e78, \
	0xab, 0x55, 0x38, 0x2f, 0x3b, 0xd5, 0x42, 0x2d)
#define VMBUS_GUID_KVP		VMBUS_GUID_INIT(0xa9a0f4e7, 0x5a45, 0x4d96, \
	0xb8, 0x27, 0x8a, 0x84, 0x1e, 0x8c, 0x03, 0xe6)

#endif /* MKHV_VMBUS_WIRE_H */
