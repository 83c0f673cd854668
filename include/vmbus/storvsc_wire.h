/* SPDX-License-Identifier: MIT */
/*
 * Synthetic SCSI (storvsc / VSTOR) wire formats: the 64-byte vstor_packet
 * that travels in a SCSI channel's rings, the SRB inside it and the
 * channel properties, laid out as Linux 6.1's drivers/scsi/storvsc_drv.c
 * puts them on the wire (x86-64, little endian, packed).  Stock Linux
 * children are on the other end: nothing here may change.
 *
 * Control packets (BEGIN/END_INITIALIZATION, QUERY_PROTOCOL_VERSION,
 * QUERY_PROPERTIES, RESET_*) and SRBs without data arrive in-band
 * (VM_PKT_DATA_INBAND) with the completion flag; SRBs with data arrive as
 * VM_PKT_DATA_USING_GPA_DIRECT with one GPA range (wire.h's
 * vmbus_gpa_direct_header with range_cnt 1, then one vmbus_gpa_range
 * {len, offset, pfn[n]}) between the descriptor and the vstor_packet, at
 * offset8 * 8 = 32 + 8 * n (vmbus_sendpacket_mpb_desc).
 * The host answers every request with a VM_PKT_COMP packet carrying a
 * whole vstor_packet (operation COMPLETE_IO) and the request's trans_id.
 */
#ifndef MKHV_VMBUS_STORVSC_WIRE_H
#define MKHV_VMBUS_STORVSC_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include <vmbus/wire.h>

/* Protocol versions: major << 8 | minor.  Linux 6.1 tries them in order. */
#define VMSTOR_PROTO_VERSION(maj, min)	((uint16_t)(((maj) << 8) | (min)))
#define VMSTOR_PROTO_VERSION_WIN8	VMSTOR_PROTO_VERSION(5, 1)
#define VMSTOR_PROTO_VERSION_WIN8_1	VMSTOR_PROTO_VERSION(6, 0)
#define VMSTOR_PROTO_VERSION_WIN10	VMSTOR_PROTO_VERSION(6, 2)

/* vstor_packet.operation */
enum vstor_operation {
	VSTOR_OPERATION_COMPLETE_IO = 1,
	VSTOR_OPERATION_REMOVE_DEVICE = 2,
	VSTOR_OPERATION_EXECUTE_SRB = 3,
	VSTOR_OPERATION_RESET_LUN = 4,
	VSTOR_OPERATION_RESET_ADAPTER = 5,
	VSTOR_OPERATION_RESET_BUS = 6,
	VSTOR_OPERATION_BEGIN_INITIALIZATION = 7,
	VSTOR_OPERATION_END_INITIALIZATION = 8,
	VSTOR_OPERATION_QUERY_PROTOCOL_VERSION = 9,
	VSTOR_OPERATION_QUERY_PROPERTIES = 10,
	VSTOR_OPERATION_ENUMERATE_BUS = 11,
	VSTOR_OPERATION_FCHBA_DATA = 12,
	VSTOR_OPERATION_CREATE_SUB_CHANNELS = 13,
};

/* vstor_packet.flags */
#define VSTOR_FLAG_REQUEST_COMPLETION	0x1

/* Sizes inside the SRB (storvsc_drv.c). */
#define STORVSC_MAX_CMD_LEN		16	/* CDB bytes */
#define STORVSC_SENSE_BUFFER_SIZE	20	/* sense bytes (post-Win7) */
#define STORVSC_MAX_BUF_LEN_WITH_PADDING 20

/* vmscsi_request.data_in */
#define VMSCSI_WRITE_TYPE		0
#define VMSCSI_READ_TYPE		1
#define VMSCSI_UNKNOWN_TYPE		2

/* srb_status (Windows SRB status codes). */
#define SRB_STATUS_PENDING		0x00
#define SRB_STATUS_SUCCESS		0x01
#define SRB_STATUS_ABORTED		0x02
#define SRB_STATUS_ERROR		0x04
#define SRB_STATUS_INVALID_REQUEST	0x06
#define SRB_STATUS_DATA_OVERRUN		0x12
#define SRB_STATUS_INVALID_LUN		0x20
#define SRB_STATUS_INTERNAL_ERROR	0x30
#define SRB_STATUS_AUTOSENSE_VALID	0x80	/* flag: sense_data is valid */

/* The win8 extension of the SRB (struct vmscsi_win8_extension). */
struct vmscsi_win8_extension {
	uint16_t reserve;		/* @0 */
	uint8_t queue_tag;		/* @2 */
	uint8_t queue_action;		/* @3 */
	uint32_t srb_flags;		/* @4 */
	uint32_t time_out_value;	/* @8 */
	uint32_t queue_sort_key;	/* @12 */
} __attribute__((packed));
_Static_assert(sizeof(struct vmscsi_win8_extension) == 16, "win8 extension");

/* The SCSI request block (struct vmscsi_request): 52 bytes. */
struct vmscsi_request {
	uint16_t length;		/* @0  sizeof(struct vmscsi_request) */
	uint8_t srb_status;		/* @2  completion: SRB_STATUS_* */
	uint8_t scsi_status;		/* @3  completion: SAM status (2 = CHECK CONDITION) */
	uint8_t port_number;		/* @4  the guest's SCSI host number */
	uint8_t path_id;		/* @5  channel (0..7) */
	uint8_t target_id;		/* @6  target (0..1) */
	uint8_t lun;			/* @7  LUN (0..255) */
	uint8_t cdb_length;		/* @8  bytes of cdb used (<= 16) */
	uint8_t sense_info_length;	/* @9  request: sense buffer size; completion: sense bytes */
	uint8_t data_in;		/* @10 VMSCSI_*_TYPE */
	uint8_t reserved;		/* @11 */
	uint32_t data_transfer_length;	/* @12 request: buffer bytes; completion: bytes moved */
	union {
		uint8_t cdb[STORVSC_MAX_CMD_LEN];
		uint8_t sense_data[STORVSC_SENSE_BUFFER_SIZE];
		uint8_t reserved_array[STORVSC_MAX_BUF_LEN_WITH_PADDING];
	};				/* @16 request: CDB; completion: sense */
	struct vmscsi_win8_extension win8_extension;	/* @36 */
} __attribute__((packed));
_Static_assert(sizeof(struct vmscsi_request) == 52, "vmscsi_request");
_Static_assert(offsetof(struct vmscsi_request, srb_status) == 2, "srb_status@2");
_Static_assert(offsetof(struct vmscsi_request, lun) == 7, "lun@7");
_Static_assert(offsetof(struct vmscsi_request, data_in) == 10, "data_in@10");
_Static_assert(offsetof(struct vmscsi_request, data_transfer_length) == 12, "dtl@12");
_Static_assert(offsetof(struct vmscsi_request, cdb) == 16, "cdb@16");
_Static_assert(offsetof(struct vmscsi_request, win8_extension) == 36, "win8@36");

/* QUERY_PROPERTIES answer (struct vmstorage_channel_properties). */
struct vmstorage_channel_properties {
	uint32_t reserved;		/* @0 */
	uint16_t max_channel_cnt;	/* @4 sub-channels the host allows */
	uint16_t reserved1;		/* @6 */
	uint32_t flags;			/* @8 STORAGE_CHANNEL_* */
	uint32_t max_transfer_bytes;	/* @12 largest SRB data (multiple of 4 KiB) */
	uint64_t reserved2;		/* @16 */
} __attribute__((packed));
_Static_assert(sizeof(struct vmstorage_channel_properties) == 24, "properties");
_Static_assert(offsetof(struct vmstorage_channel_properties, max_transfer_bytes) == 12,
	       "max_transfer_bytes@12");

#define STORAGE_CHANNEL_SUPPORTS_MULTI_CHANNEL	0x1

/* QUERY_PROTOCOL_VERSION body (struct vmstorage_protocol_version). */
struct vmstorage_protocol_version {
	uint16_t major_minor;		/* @0 VMSTOR_PROTO_VERSION() */
	uint16_t revision;		/* @2 0 */
} __attribute__((packed));
_Static_assert(sizeof(struct vmstorage_protocol_version) == 4, "version");

/* The packet of every request and completion (struct vstor_packet). */
struct vstor_packet {
	uint32_t operation;		/* @0 enum vstor_operation */
	uint32_t flags;			/* @4 VSTOR_FLAG_* */
	uint32_t status;		/* @8 completion: 0 = success */
	union {
		struct vmscsi_request vm_srb;
		struct vmstorage_channel_properties storage_channel_properties;
		struct vmstorage_protocol_version version;
		uint16_t sub_channel_count;
		uint8_t buffer[0x34];
	};				/* @12 */
} __attribute__((packed));
_Static_assert(sizeof(struct vstor_packet) == 64, "vstor_packet is 64 bytes");
_Static_assert(offsetof(struct vstor_packet, vm_srb) == 12, "vm_srb@12");

/* vstor_packet.status values the host may return (NTSTATUS). */
#define VSTOR_STATUS_SUCCESS		0x00000000u
#define VSTOR_STATUS_REVISION_MISMATCH	0xC0000059u
#define VSTOR_STATUS_INVALID_DEVICE_REQUEST 0xC0000010u

/* Trans ids Linux's storvsc uses for its own requests (VMBUS_RQST_*). */
#define STORVSC_RQST_INIT		0xFFFFFFFFFFFFFFFDull
#define STORVSC_RQST_RESET		0xFFFFFFFFFFFFFFFCull

/* The ring size Linux's storvsc uses per direction by default. */
#define STORVSC_RING_SIZE		(128u * 1024)

#endif /* MKHV_VMBUS_STORVSC_WIRE_H */
