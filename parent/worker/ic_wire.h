/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hyper-V integration-service (IC) wire formats, laid out as Linux 6.1's
 * include/linux/hyperv.h and include/uapi/linux/hyperv.h put them on the
 * wire (hv_utils: hv_util.c, hv_kvp.c; channel_mgmt.c's
 * vmbus_prep_negotiate_resp).  All packed, little endian.
 *
 * An IC packet is one VM_PKT_DATA_INBAND payload: vmbuspipe_hdr (8),
 * icmsg_hdr (20), then the message body.  The host sends requests; the
 * guest rewrites the buffer in place and sends it back with the same
 * length and trans_id.
 */
#ifndef HVWORKER_IC_WIRE_H
#define HVWORKER_IC_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define IC_MSGTYPE_NEGOTIATE	0
#define IC_MSGTYPE_HEARTBEAT	1
#define IC_MSGTYPE_KVPEXCHANGE	2
#define IC_MSGTYPE_SHUTDOWN	3
#define IC_MSGTYPE_TIMESYNC	4

#define IC_FLAG_TRANSACTION	1
#define IC_FLAG_REQUEST		2
#define IC_FLAG_RESPONSE	4

#define IC_S_OK			0x00000000u
#define IC_E_FAIL		0x80004005u
#define IC_S_CONT		0x80070103u

#define IC_VERSION(maj, min)	((uint32_t)(maj) << 16 | (uint32_t)(min))
#define IC_MAX_VER_COUNT	100	/* IC_VERSION_NEGOTIATION_MAX_VER_COUNT */

struct ic_pipe_hdr {
	uint32_t flags;
	uint32_t msgsize;
} __attribute__((packed));

struct ic_version {
	uint16_t major;
	uint16_t minor;
} __attribute__((packed));

struct ic_msg_hdr {
	struct ic_version icverframe;	/* @0  framework version */
	uint16_t icmsgtype;		/* @4  IC_MSGTYPE_* */
	struct ic_version icvermsg;	/* @6  service version */
	uint16_t icmsgsize;		/* @10 body bytes */
	uint32_t status;		/* @12 IC_S_OK / IC_E_FAIL ... */
	uint8_t ictransaction_id;	/* @16 */
	uint8_t icflags;		/* @17 IC_FLAG_* */
	uint8_t reserved[2];
} __attribute__((packed));

/* Header bytes before every IC body (ICMSG_HDR). */
#define IC_HDR_SIZE	(sizeof(struct ic_pipe_hdr) + sizeof(struct ic_msg_hdr))

struct ic_negotiate {
	uint16_t icframe_vercnt;
	uint16_t icmsg_vercnt;
	uint32_t reserved;
	struct ic_version icversion_data[];	/* framework, then service versions */
} __attribute__((packed));

struct ic_shutdown_data {
	uint32_t reason_code;
	uint32_t timeout_seconds;
	uint32_t flags;			/* 0/1 shutdown, 2/3 reboot, 4/5 hibernate */
	uint8_t display_message[2048];
} __attribute__((packed));

#define IC_SHUTDOWN_FLAG_SHUTDOWN	0
#define IC_SHUTDOWN_FLAG_REBOOT		2

struct ic_heartbeat_data {
	uint64_t seq_num;
	uint32_t reserved[8];
} __attribute__((packed));

#define IC_TIMESYNC_FLAG_PROBE	0
#define IC_TIMESYNC_FLAG_SYNC	1
#define IC_TIMESYNC_FLAG_SAMPLE	2
/* 1601-01-01 -> 1970-01-01 in 100 ns units (WLTIMEDELTA). */
#define IC_WLTIMEDELTA		116444736000000000ull

/* Timesync service version <= 3.0. */
struct ic_timesync_data {
	uint64_t parenttime;		/* host UTC, 100 ns since 1601 */
	uint64_t childtime;
	uint64_t roundtriptime;
	uint8_t flags;
} __attribute__((packed));

/* Timesync service version 4.0. */
struct ic_timesync_ref_data {
	uint64_t parenttime;		/* host UTC, 100 ns since 1601 */
	uint64_t vmreferencetime;	/* child reference time when sampled */
	uint8_t flags;
	uint8_t leapflags;
	uint8_t stratum;
	uint8_t reserved[3];
} __attribute__((packed));

/* ---- KVP (uapi/linux/hyperv.h) ---- */
#define IC_KVP_MAX_KEY_SIZE	512
#define IC_KVP_MAX_VALUE_SIZE	2048
#define IC_KVP_OP_GET		0
#define IC_KVP_OP_SET		1
#define IC_KVP_OP_DELETE		2
#define IC_KVP_OP_ENUMERATE	3
#define IC_KVP_OP_GET_IP_INFO	4
#define IC_KVP_OP_SET_IP_INFO	5
#define IC_KVP_POOL_EXTERNAL	0
#define IC_KVP_POOL_GUEST		1
#define IC_KVP_POOL_AUTO		2
#define IC_KVP_POOL_AUTO_EXTERNAL	3
#define IC_KVP_POOL_AUTO_INTERNAL	4
#define IC_KVP_REG_SZ		1

struct kvp_exchg_value {
	uint32_t value_type;
	uint32_t key_size;		/* bytes (UTF-16 on the host side) */
	uint32_t value_size;
	uint8_t key[IC_KVP_MAX_KEY_SIZE];
	uint8_t value[IC_KVP_MAX_VALUE_SIZE];
} __attribute__((packed));

struct kvp_msg_enumerate {
	uint32_t index;
	struct kvp_exchg_value data;
} __attribute__((packed));

/* struct hv_kvp_ipaddr_value: the largest member of the body union. */
struct kvp_ipaddr_value {
	uint16_t adapter_id[128];
	uint8_t addr_family;
	uint8_t dhcp_enabled;
	uint16_t ip_addr[1024];
	uint16_t sub_net[1024];
	uint16_t gate_way[512];
	uint16_t dns_addr[1024];
} __attribute__((packed));

/* struct hv_kvp_msg: what follows the IC header in a KVPEXCHANGE packet. */
struct kvp_msg {
	union {
		struct {
			uint8_t operation;
			uint8_t pool;
			uint16_t pad;
		} __attribute__((packed)) hdr;
		uint32_t error;
	};
	union {
		struct kvp_msg_enumerate enumerate;
		struct kvp_exchg_value get;
		struct kvp_ipaddr_value ip;
		/* Linux's union also holds the 4-aligned hv_kvp_msg_delete,
		 * which pads it to 7428 bytes. */
		uint8_t raw[7428];
	} body;
} __attribute__((packed));

_Static_assert(sizeof(struct ic_msg_hdr) == 20, "icmsg_hdr");
_Static_assert(IC_HDR_SIZE == 28, "ICMSG_HDR");
_Static_assert(sizeof(struct ic_negotiate) == 8, "icmsg_negotiate");
_Static_assert(sizeof(struct ic_shutdown_data) == 2060, "shutdown_msg_data");
_Static_assert(sizeof(struct ic_heartbeat_data) == 40, "heartbeat_msg_data");
_Static_assert(sizeof(struct ic_timesync_data) == 25, "ictimesync_data");
_Static_assert(sizeof(struct ic_timesync_ref_data) == 22, "ictimesync_ref_data");
_Static_assert(sizeof(struct kvp_exchg_value) == 2572, "hv_kvp_exchg_msg_value");
_Static_assert(sizeof(struct kvp_ipaddr_value) == 7426, "hv_kvp_ipaddr_value");
_Static_assert(sizeof(struct kvp_msg) == 7432, "hv_kvp_msg");
_Static_assert(offsetof(struct kvp_msg, body.enumerate.data.key) == 20, "kvp key");

#endif /* HVWORKER_IC_WIRE_H */
