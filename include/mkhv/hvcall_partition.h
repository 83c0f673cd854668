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
/* mkhv's own statistic (readable while the VP runs): exits the hv took. */
#define MKHV_REGISTER_VP_EXITS	0x0009f000

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

/* The parent's callback vector (Linux HYPERVISOR_CALLBACK_VECTOR). */
#define MKHV_PARENT_CALLBACK_VECTOR	0xf3

#endif /* MKHV_HVCALL_PARTITION_H */
