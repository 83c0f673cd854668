/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Partition management ABI (parent only): the wire structures of the TLFS
 * root hypercalls mkhv implements, the x64 register names of
 * Get/SetVpRegisters, the intercept messages the hv posts to the parent,
 * and mkhv's own calls that complete the run loop.  Shared by the hv,
 * mkhv.ko and the per-VM worker.  Layouts follow the TLFS / Linux mshv
 * (hvhdk.h) where those define them; every struct has its offsets checked.
 *
 * Run model (DESIGN §3, §5): child VPs run on the hv's child pool and are
 * scheduled by the hv.  An exit the hv does not own (port I/O, access to
 * an unmapped GPA, an MSR the VMM installed an intercept for, shutdown)
 * suspends the VP, writes a struct hv_intercept_message into that VP's
 * slot of the partition's intercept page (registered by the parent with
 * HvCallMkhvSetInterceptPage) and sends the parent the 0xF3 callback IPI.
 * The parent's VMM handles it, updates registers with SetVpRegisters and
 * resumes the VP with HvCallMkhvResumeVp.
 */
#ifndef MKHV_HVCALL_PARTITION_H
#define MKHV_HVCALL_PARTITION_H

#include <mkhv/hvcall.h>

#define HV_PAGE_SHIFT		12
#define MKHV_MAX_CHILDREN	64	/* partition ids 1..64 */
#define MKHV_MAX_CHILD_VPS	16	/* VPs per child (one intercept page) */
#define MKHV_MAX_CHILD_PAGES	(1ull << 22)	/* 16 GiB of RAM per child */

/* ---- HvCallCreatePartition (0x40), output: u64 partition id ---- */
struct hv_input_create_partition {
	uint64_t flags;			/* 0x00: must be 0 */
	uint64_t proximity_domain_info;	/* 0x08: ignored (no NUMA) */
	uint32_t compatibility_version;	/* 0x10: ignored */
	uint32_t padding;		/* 0x14: must be 0 */
	uint64_t creation_properties[2];/* 0x18: must be 0 */
	uint64_t isolation_properties;	/* 0x28: must be 0 (no isolation) */
	/* mkhv extension, read by mkhv only (TLFS callers pass 0 = default): */
	uint32_t max_vps;		/* 0x30: 1..MKHV_MAX_CHILD_VPS, 0 = 1 */
	uint32_t cpu_weight;		/* 0x34: <cputune><shares>, 0 = 1024 */
	uint32_t cpu_cap_permille;	/* 0x38: quota/period, 0 = no cap */
	uint32_t reserved;		/* 0x3c: must be 0 */
};
_Static_assert(sizeof(struct hv_input_create_partition) == 0x40, "create");
_Static_assert(offsetof(struct hv_input_create_partition, isolation_properties) == 0x28, "iso");

/* Initialize (0x41), Finalize (0x42), Delete (0x43) */
struct hv_input_partition_id {
	uint64_t partition_id;		/* 0x00 */
};
_Static_assert(sizeof(struct hv_input_partition_id) == 8, "pid");

/* ---- HvCallMapGpaPages (0x4b), rep: one u64 source page per rep ---- */
#define HV_MAP_GPA_READABLE		0x1
#define HV_MAP_GPA_WRITABLE		0x2
#define HV_MAP_GPA_KERNEL_EXECUTABLE	0x4
#define HV_MAP_GPA_USER_EXECUTABLE	0x8
#define HV_MAP_GPA_EXECUTABLE		0xc
#define HV_MAP_GPA_PERMISSIONS_MASK	0xf
struct hv_input_map_gpa_pages {
	uint64_t target_partition_id;	/* 0x00: a child */
	uint64_t target_gpa_base;	/* 0x08: child page number of rep 0 */
	uint32_t map_flags;		/* 0x10: HV_MAP_GPA_*, R required */
	uint32_t padding;		/* 0x14: must be 0 */
	/* 0x18: rep elements: u64 parent page number (the parent's GPA, which
	 * is the host-physical page: the parent is identity-mapped) */
};
_Static_assert(sizeof(struct hv_input_map_gpa_pages) == 0x18, "map");

/* ---- HvCallUnmapGpaPages (0x4c), rep count = pages, no elements ---- */
struct hv_input_unmap_gpa_pages {
	uint64_t target_partition_id;	/* 0x00 */
	uint64_t target_gpa_base;	/* 0x08: first child page number */
	uint32_t unmap_flags;		/* 0x10: must be 0 */
	uint32_t padding;		/* 0x14 */
};
_Static_assert(sizeof(struct hv_input_unmap_gpa_pages) == 0x18, "unmap");

/* ---- HvCallCreateVp (0x4e) ---- */
struct hv_input_create_vp {
	uint64_t partition_id;		/* 0x00 */
	uint32_t vp_index;		/* 0x08: < the partition's max_vps */
	uint8_t padding[3];		/* 0x0c */
	uint8_t subnode_type;		/* 0x0f: must be 0 */
	uint64_t subnode_id;		/* 0x10: must be 0 */
	uint64_t proximity_domain_info;	/* 0x18: ignored */
	uint64_t flags;			/* 0x20: must be 0 */
};
_Static_assert(sizeof(struct hv_input_create_vp) == 0x28, "create vp");

/* ---- Get/SetVpRegisters (0x50/0x51), rep calls ---- */
struct hv_input_vp_registers {
	uint64_t partition_id;		/* 0x00 */
	uint32_t vp_index;		/* 0x08 */
	uint8_t input_vtl;		/* 0x0c: must be 0 */
	uint8_t padding[3];		/* 0x0d */
	/* Get: rep elements u32 names (then a u32 pad if odd, TLFS packs
	 * them: element size 4); output rep elements struct hv_register_value.
	 * Set: rep elements struct hv_register_assoc. */
};
_Static_assert(sizeof(struct hv_input_vp_registers) == 0x10, "vp regs");

struct hv_register_value {
	uint64_t low;			/* 0x00: the value (segments: base) */
	uint64_t high;			/* 0x08: segments: limit | sel<<32 | attr<<48 */
};
_Static_assert(sizeof(struct hv_register_value) == 16, "reg value");

struct hv_register_assoc {
	uint32_t name;			/* 0x00: HV_X64_REGISTER_* */
	uint32_t reserved1;		/* 0x04 */
	uint64_t reserved2;		/* 0x08 */
	struct hv_register_value value;	/* 0x10 */
};
_Static_assert(sizeof(struct hv_register_assoc) == 32, "reg assoc");

/* TLFS x64 register names (the subset mkhv supports). */
#define HV_X64_REGISTER_RAX	0x00020000	/* ... R15 = 0x0002000f */
#define HV_X64_REGISTER_RIP	0x00020010
#define HV_X64_REGISTER_RFLAGS	0x00020011
#define HV_X64_REGISTER_CR0	0x00040000
#define HV_X64_REGISTER_CR2	0x00040001
#define HV_X64_REGISTER_CR3	0x00040002
#define HV_X64_REGISTER_CR4	0x00040003
#define HV_X64_REGISTER_ES	0x00060000	/* ES CS SS DS FS GS LDTR TR */
#define HV_X64_REGISTER_CS	0x00060001
#define HV_X64_REGISTER_SS	0x00060002
#define HV_X64_REGISTER_TR	0x00060007
#define HV_X64_REGISTER_IDTR	0x00070000	/* value: base | limit in high */
#define HV_X64_REGISTER_GDTR	0x00070001
#define HV_X64_REGISTER_EFER	0x00080001
/* Time the VP has run, 100 ns units; readable while the VP runs. */
#define HV_REGISTER_VP_RUNTIME	0x00090000
/* The partition reference counter (MSR 0x40000020's value), 100 ns units;
 * readable while the VP runs (the worker's timesync samples it). */
#define HV_REGISTER_TIME_REF_COUNT	0x00090004
/* mkhv's own statistic (readable while the VP runs): exits the hv took. */
#define MKHV_REGISTER_VP_EXITS	0x0009f000

/*
 * The registers GetVpRegisters reads while the VP runs (the hv keeps them
 * outside the VMCB/VMCS); mkhv.ko lets a GET of only these through for a
 * running VP.  Any other name needs the VP stopped.
 */
static inline int hv_register_is_statistic(uint32_t name)
{
	return name == HV_REGISTER_VP_RUNTIME || name == MKHV_REGISTER_VP_EXITS ||
	       name == HV_REGISTER_TIME_REF_COUNT;
}

/* ---- HvCallInstallIntercept (0x4d) ---- */
#define HV_INTERCEPT_ACCESS_MASK_READ	0x1
#define HV_INTERCEPT_ACCESS_MASK_WRITE	0x2
#define HV_INTERCEPT_ACCESS_MASK_EXECUTE 0x4
#define HV_INTERCEPT_TYPE_X64_IO_PORT	0x0	/* the only type mkhv takes */
struct hv_input_install_intercept {
	uint64_t partition_id;		/* 0x00: a child */
	uint32_t access_type;		/* 0x08: HV_INTERCEPT_ACCESS_MASK_* */
	uint32_t intercept_type;	/* 0x0c: HV_INTERCEPT_TYPE_* */
	uint64_t intercept_parameter;	/* 0x10: the I/O port (bits 15:0) */
};
_Static_assert(sizeof(struct hv_input_install_intercept) == 0x18, "intercept");
_Static_assert(offsetof(struct hv_input_install_intercept, intercept_parameter) == 0x10,
	       "intercept param");

/* ---- HvCallAssertVirtualInterrupt (0x94) ---- */
#define HV_X64_INTERRUPT_TYPE_FIXED	0x0	/* the only type mkhv takes */
struct hv_input_assert_virtual_interrupt {
	uint64_t partition_id;		/* 0x00: a child */
	uint32_t interrupt_type;	/* 0x08: HV_X64_INTERRUPT_TYPE_* */
	uint32_t control_flags;		/* 0x0c: bit 0 level, bit 1 logical
					 * destination; mkhv takes 0 only */
	uint64_t dest_addr;		/* 0x10: the target's APIC id (= VP index) */
	uint32_t vector;		/* 0x18: 16..255 */
	uint8_t target_vtl;		/* 0x1c: must be 0 */
	uint8_t rsvd_z0;		/* 0x1d */
	uint16_t rsvd_z1;		/* 0x1e */
};
_Static_assert(sizeof(struct hv_input_assert_virtual_interrupt) == 0x20, "assert");
_Static_assert(offsetof(struct hv_input_assert_virtual_interrupt, vector) == 0x18,
	       "assert vector");

/* ---- mkhv's own partition calls (after HVCALL_MKHV_GET_INFO/LOG_READ) ---- */
#define HVCALL_MKHV_SET_INTERCEPT_PAGE	0x8102
#define HVCALL_MKHV_RESUME_VP		0x8103

/* HvCallMkhvSetInterceptPage: where the hv posts intercept messages. */
struct mkhv_input_set_intercept_page {
	uint64_t partition_id;		/* 0x00: a child */
	uint64_t page_gpa;		/* 0x08: parent page, 4 KiB aligned:
					 * 16 slots of 256 bytes, slot = vp */
};
_Static_assert(sizeof(struct mkhv_input_set_intercept_page) == 16, "icpt pg");

/* HvCallMkhvResumeVp: the parent is done with the VP's message. */
struct mkhv_input_resume_vp {
	uint64_t partition_id;		/* 0x00 */
	uint32_t vp_index;		/* 0x08 */
	uint32_t flags;			/* 0x0c: MKHV_RESUME_* */
};
_Static_assert(sizeof(struct mkhv_input_resume_vp) == 16, "resume");
#define MKHV_RESUME_START	0x1	/* first run of a new VP */

/* ---- intercept messages (TLFS hv_message: 256 bytes) ---- */
#define HVMSG_NONE			0x00000000
#define HVMSG_UNMAPPED_GPA		0x80000000
#define HVMSG_X64_IO_PORT_INTERCEPT	0x80010000
#define HVMSG_X64_MSR_INTERCEPT		0x80010001
#define HVMSG_X64_HALT			0x80010007	/* VP shut down */
#define HVMSG_X64_TRIPLE_FAULT		0x80010009	/* mkhv: VP dead */

struct hv_intercept_message {
	uint32_t message_type;		/* 0x00: HVMSG_*; the hv writes it last
					 * (release), the parent clears it to
					 * HVMSG_NONE when done */
	uint8_t payload_size;		/* 0x04: bytes used after the header */
	uint8_t flags;			/* 0x05 */
	uint16_t reserved;		/* 0x06 */
	uint64_t sender;		/* 0x08: partition id */
	/* Intercept header (TLFS hv_x64_intercept_message_header). */
	uint32_t vp_index;		/* 0x10 */
	uint8_t instruction_length;	/* 0x14: 0 when unknown (no decode) */
	uint8_t access_type;		/* 0x15: 0 read, 1 write, 2 execute */
	uint16_t execution_state;	/* 0x16: bit 0-1 CPL, bit 8 long mode */
	uint64_t rip;			/* 0x18 */
	uint64_t rflags;		/* 0x20 */
	/* Type-specific part. */
	uint64_t gpa;			/* 0x28: unmapped GPA */
	uint16_t port;			/* 0x30: I/O port */
	uint8_t access_size;		/* 0x32: 1, 2 or 4 */
	uint8_t io_flags;		/* 0x33: bit 0 string, bit 1 rep */
	uint32_t msr;			/* 0x34: MSR index */
	uint64_t rax;			/* 0x38: RAX (OUT data, MSR write low) */
	uint64_t rdx;			/* 0x40 */
	uint64_t next_rip;		/* 0x48: RIP after the instruction, 0 = unknown */
	/*
	 * HVMSG_UNMAPPED_GPA only (as the TLFS memory intercept message):
	 * the bytes at RIP, fetched by the hv through the VP's page tables
	 * (fewer when a page does not translate), and the GPRs, so the
	 * worker emulates an MMIO access without another call.
	 */
	uint8_t instruction_byte_count;	/* 0x50: 0..16 */
	uint8_t reserved3[7];		/* 0x51 */
	uint8_t instruction_bytes[16];	/* 0x58 */
	uint64_t gpr[16];		/* 0x68: RAX RCX RDX RBX RSP RBP RSI RDI
					 * R8..R15 (x86 encoding order) */
	uint8_t reserved2[256 - 0xe8];	/* 0xe8 */
};
_Static_assert(sizeof(struct hv_intercept_message) == 256, "message");
_Static_assert(offsetof(struct hv_intercept_message, vp_index) == 0x10, "vp");
_Static_assert(offsetof(struct hv_intercept_message, port) == 0x30, "port");
_Static_assert(offsetof(struct hv_intercept_message, next_rip) == 0x48, "nrip");
_Static_assert(offsetof(struct hv_intercept_message, instruction_bytes) == 0x58, "insn");
_Static_assert(offsetof(struct hv_intercept_message, gpr) == 0x68, "gpr");

/*
 * ---- SynIC messages and events between the parent and a child (issue 8) ----
 *
 * TLFS ports and connections (§11.x "Inter-Partition Communication"):
 * the parent creates a port for one child (HvCallCreatePort, parent-only)
 * and connects a child connection id to it (HvCallConnectPort).  The child
 * then sends with HvCallPostMessage (message ports) or HvCallSignalEvent
 * (event ports, fast); both are queued in the hv per child, bounded, and
 * the parent pulls them with HvCallMkhvReceive after the 0xF3 callback.
 * The parent sends to a child VP with HvCallPostMessageDirect and
 * HvCallSignalEventDirect; the hv delivers on the VP's own pCPU into its
 * SIMP slot / SIEF flags (msg_pending/EOM handshake per the TLFS).
 *
 * Port ids are chosen by the parent and are unique among all its ports
 * (every port belongs to the parent); connection ids are per child.
 * Layouts are Linux mshv's hvhdk.h (which follows the TLFS).
 */
#define HV_PARTITION_ID_SELF		(~0ULL)	/* "the caller" as port partition */
#define HV_PORT_ID_MASK			0x00ffffffu	/* 24-bit port / connection ids */
#define HV_PORT_TYPE_MESSAGE		1
#define HV_PORT_TYPE_EVENT		2
#define HV_PORT_TYPE_MONITOR		3	/* refused by mkhv */
#define HV_PORT_TYPE_DOORBELL		4	/* refused by mkhv */
#define HV_MESSAGE_PAYLOAD_MAX		240	/* bytes of payload in a message */
#define HV_EVENT_FLAGS_COUNT		2048	/* flags per SINT in the SIEF page */

#define MKHV_MAX_PORTS			64	/* ports (= connections) per child */
#define MKHV_MAX_EVENT_FLAGS		32	/* flag_count of an event port, max */
#define MKHV_CHILD_MSG_QUEUE		32	/* child -> parent messages queued per child */
#define MKHV_VP_MSG_INBOX		16	/* parent -> child messages queued per VP */

/* TLFS HV_PORT_INFO (24 bytes). */
struct hv_port_info {
	uint32_t port_type;		/* 0x00: HV_PORT_TYPE_MESSAGE or _EVENT */
	uint32_t padding;		/* 0x04: must be 0 */
	uint32_t target_sint;		/* 0x08: ignored (the parent has no SynIC for mkhv) */
	uint32_t target_vp;		/* 0x0c: ignored */
	uint16_t base_flag_number;	/* 0x10: event ports: ignored */
	uint16_t flag_count;		/* 0x12: event ports: 1..MKHV_MAX_EVENT_FLAGS;
					 * message ports: 0 */
	uint32_t rsvdz;			/* 0x14: must be 0 */
};
_Static_assert(sizeof(struct hv_port_info) == 24, "port info");
_Static_assert(offsetof(struct hv_port_info, flag_count) == 0x12, "flag count");

/* TLFS HV_CONNECTION_INFO (32 bytes in mshv: the doorbell form is the largest). */
struct hv_connection_info {
	uint32_t port_type;		/* 0x00: must equal the port's type */
	uint32_t padding;		/* 0x04: must be 0 */
	uint64_t rsvdz[3];		/* 0x08: must be 0 */
};
_Static_assert(sizeof(struct hv_connection_info) == 32, "connection info");

/* ---- HvCallCreatePort (0x95), parent only ---- */
struct hv_input_create_port {
	uint64_t port_partition_id;	/* 0x00: the parent: 0 or HV_PARTITION_ID_SELF */
	uint32_t port_id;		/* 0x08: 1..HV_PORT_ID_MASK, unused by any port */
	uint8_t port_vtl;		/* 0x0c: must be 0 */
	uint8_t min_connection_vtl;	/* 0x0d: must be 0 */
	uint16_t padding;		/* 0x0e: must be 0 */
	uint64_t connection_partition_id; /* 0x10: the child that may connect */
	struct hv_port_info port_info;	/* 0x18 */
	uint64_t proximity_domain_info;	/* 0x30: ignored */
};
_Static_assert(sizeof(struct hv_input_create_port) == 0x38, "create port");
_Static_assert(offsetof(struct hv_input_create_port, connection_partition_id) == 0x10,
	       "create port conn");
_Static_assert(offsetof(struct hv_input_create_port, port_info) == 0x18, "port info");

/* ---- HvCallDeletePort (0x58), parent only, fast or slow ---- */
struct hv_input_delete_port {
	uint64_t port_partition_id;	/* 0x00: the parent: 0 or HV_PARTITION_ID_SELF */
	uint32_t port_id;		/* 0x08 */
	uint32_t reserved;		/* 0x0c: must be 0 */
};
_Static_assert(sizeof(struct hv_input_delete_port) == 16, "delete port");

/* ---- HvCallConnectPort (0x96), parent only ---- */
struct hv_input_connect_port {
	uint64_t connection_partition_id; /* 0x00: the child */
	uint32_t connection_id;		/* 0x08: 24 bits, what the child passes */
	uint8_t connection_vtl;		/* 0x0c: must be 0 */
	uint8_t rsvdz0;			/* 0x0d */
	uint16_t rsvdz1;		/* 0x0e */
	uint64_t port_partition_id;	/* 0x10: the parent: 0 or HV_PARTITION_ID_SELF */
	uint32_t port_id;		/* 0x18: a port created for this child */
	uint32_t reserved2;		/* 0x1c */
	struct hv_connection_info connection_info; /* 0x20 */
	uint64_t proximity_domain_info;	/* 0x40: ignored */
};
_Static_assert(sizeof(struct hv_input_connect_port) == 0x48, "connect port");
_Static_assert(offsetof(struct hv_input_connect_port, port_id) == 0x18, "connect port id");
_Static_assert(offsetof(struct hv_input_connect_port, connection_info) == 0x20,
	       "connection info");

/* ---- HvCallDisconnectPort (0x5b), parent only, fast or slow ---- */
struct hv_input_disconnect_port {
	uint64_t connection_partition_id; /* 0x00: the child */
	uint32_t connection_id;		/* 0x08 */
	uint32_t flags;			/* 0x0c: bit 0 is_doorbell: must be 0 */
};
_Static_assert(sizeof(struct hv_input_disconnect_port) == 16, "disconnect port");

/* ---- HvCallPostMessage (0x5c), children ---- */
struct hv_input_post_message {
	uint32_t connection_id;		/* 0x00 */
	uint32_t reserved;		/* 0x04: must be 0 */
	uint32_t message_type;		/* 0x08: 1..0x7fffffff */
	uint32_t payload_size;		/* 0x0c: 0..HV_MESSAGE_PAYLOAD_MAX */
	uint8_t payload[HV_MESSAGE_PAYLOAD_MAX]; /* 0x10 */
};
_Static_assert(sizeof(struct hv_input_post_message) == 256, "post message");

/* ---- HvCallSignalEvent (0x5d), children, fast (RDX = all 8 bytes) ---- */
struct hv_input_signal_event {
	uint32_t connection_id;		/* 0x00 */
	uint16_t flag_number;		/* 0x04: < the port's flag_count */
	uint16_t rsvdz;			/* 0x06: must be 0 */
};
_Static_assert(sizeof(struct hv_input_signal_event) == 8, "signal event");

/* TLFS hv_message: a SynIC message slot (256 bytes). */
struct hv_synic_message {
	uint32_t message_type;		/* 0x00: HVMSG_NONE = free slot */
	uint8_t payload_size;		/* 0x04: 0..240 */
	uint8_t flags;			/* 0x05: bit 0 msg_pending (hv-owned) */
	uint16_t reserved;		/* 0x06 */
	uint64_t sender;		/* 0x08: port id / sender partition */
	uint8_t payload[HV_MESSAGE_PAYLOAD_MAX]; /* 0x10 */
};
_Static_assert(sizeof(struct hv_synic_message) == 256, "hv_synic_message");

/* ---- HvCallPostMessageDirect (0xc1), parent only: 280 bytes ---- */
struct hv_input_post_message_direct {
	uint64_t partition_id;		/* 0x00: the child */
	uint32_t vp_index;		/* 0x08 */
	uint8_t vtl;			/* 0x0c: must be 0 */
	uint8_t padding[3];		/* 0x0d: must be 0 */
	uint32_t sint_index;		/* 0x10: 0..15 */
	uint8_t message[256];		/* 0x14: struct hv_synic_message; type 1..0x7fffffff
					 * or an hv type, payload_size <= 240,
					 * flags must be 0 */
	uint32_t padding2;		/* 0x114: must be 0 */
};
_Static_assert(sizeof(struct hv_input_post_message_direct) == 280, "post direct");
_Static_assert(offsetof(struct hv_input_post_message_direct, message) == 0x14,
	       "post direct message");

/* ---- HvCallSignalEventDirect (0xc0), parent only, slow ---- */
struct hv_input_signal_event_direct {
	uint64_t target_partition;	/* 0x00: the child */
	uint32_t target_vp;		/* 0x08 */
	uint8_t target_vtl;		/* 0x0c: must be 0 */
	uint8_t target_sint;		/* 0x0d: 0..15 */
	uint16_t flag_number;		/* 0x0e: 0..HV_EVENT_FLAGS_COUNT-1 */
};
_Static_assert(sizeof(struct hv_input_signal_event_direct) == 16, "signal direct");

struct hv_output_signal_event_direct {
	uint8_t newly_signaled;		/* 0x00: 1 if the flag was not already
					 * pending for the VP (mkhv: in its inbox) */
	uint8_t reserved[7];		/* 0x01 */
};
_Static_assert(sizeof(struct hv_output_signal_event_direct) == 8, "signal direct out");

/*
 * ---- HvCallMkhvReceive (0x8104), parent only: the pull side ----
 *
 * Returns, for one child, up to MKHV_RECEIVE_MAX_MESSAGES queued messages
 * (oldest first; they leave the queue) and every event port with pending
 * flags (the flags are cleared).  MKHV_RECEIVE_MORE says messages are still
 * queued: call again.  With @notify_gpa set the call also arms the
 * notification: the next message or event the child sends after this call
 * makes the hv store the u64 1 at @notify_gpa (parent RAM, 8-byte aligned)
 * and send the 0xF3 callback IPI, once (the next Receive re-arms).  So the
 * parent clears the word, calls Receive, and sleeps only while the word is
 * 0: nothing can be lost between the call and the sleep.  A VP inbox that
 * refused a PostMessageDirect and then has room again notifies the same
 * way and shows as MKHV_RECEIVE_INBOX_SPACE.
 */
#define HVCALL_MKHV_RECEIVE		0x8104
#define MKHV_RECEIVE_MAX_MESSAGES	11
/* Output flags. */
#define MKHV_RECEIVE_MORE		0x1	/* messages still queued: call again */
#define MKHV_RECEIVE_INBOX_SPACE	0x2	/* a VP inbox that refused a
						 * PostMessageDirect (INSUFFICIENT_BUFFERS)
						 * has room again: retry now */

struct mkhv_input_receive {
	uint64_t partition_id;		/* 0x00: a child */
	uint64_t notify_gpa;		/* 0x08: 0 = do not arm */
	uint64_t flags;			/* 0x10: must be 0 */
};
_Static_assert(sizeof(struct mkhv_input_receive) == 24, "receive in");

/* One child -> parent message as the parent receives it. */
struct mkhv_received_message {
	uint32_t connection_id;		/* 0x00: the connection the child used */
	uint32_t port_id;		/* 0x04: the port it leads to */
	uint32_t message_type;		/* 0x08: as the child gave it */
	uint16_t payload_size;		/* 0x0c: 0..240 */
	uint16_t vp_index;		/* 0x0e: the child VP that posted it */
	uint8_t payload[HV_MESSAGE_PAYLOAD_MAX]; /* 0x10: bytes past payload_size are 0 */
};
_Static_assert(sizeof(struct mkhv_received_message) == 256, "received message");

/* One event port with pending flags. */
struct mkhv_received_event {
	uint32_t port_id;		/* 0x00 */
	uint32_t connection_id;		/* 0x04: the connection that signalled last */
	uint32_t flags;			/* 0x08: bit n = relative flag n was signalled */
	uint32_t reserved;		/* 0x0c: 0 */
};
_Static_assert(sizeof(struct mkhv_received_event) == 16, "received event");

struct mkhv_output_receive {
	uint32_t nr_messages;		/* 0x00: entries used in messages[] */
	uint32_t nr_events;		/* 0x04: entries used in events[] */
	uint32_t flags;			/* 0x08: MKHV_RECEIVE_MORE, _INBOX_SPACE */
	uint32_t reserved;		/* 0x0c: 0 */
	struct mkhv_received_event events[MKHV_MAX_PORTS];	/* 0x10 */
	struct mkhv_received_message messages[MKHV_RECEIVE_MAX_MESSAGES]; /* 0x410 */
};
_Static_assert(sizeof(struct mkhv_output_receive) == 0x410 + 11 * 256, "receive out");
_Static_assert(sizeof(struct mkhv_output_receive) <= 4096, "receive out fits a page");
_Static_assert(offsetof(struct mkhv_output_receive, messages) == 0x410, "messages");

/* The parent's callback vector (Linux HYPERVISOR_CALLBACK_VECTOR). */
#define MKHV_PARENT_CALLBACK_VECTOR	0xf3

#endif /* MKHV_HVCALL_PARTITION_H */
