/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mkhv hypercall ABI, shared by the hv, mkhv.ko and hvctl.
 *
 * The ABI is the Hyper-V TLFS one (v6.0, §3 "Hypercall Interface"): x64
 * RCX = control word, RDX = input GPA (fast: input value 1), R8 = output
 * GPA (fast: input value 2), result in RAX.  Status codes and call codes are
 * the TLFS's where the TLFS has them; mkhv's own calls are in one table at
 * HVCALL_MKHV_BASE.  Wire structs: fixed-width, little-endian, 8-byte
 * aligned in guest memory, never crossing a page.
 */
#ifndef MKHV_HVCALL_H
#define MKHV_HVCALL_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/stddef.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

/* Version of the hv and of this ABI. */
#define MKHV_VERSION_MAJOR	0
#define MKHV_VERSION_MINOR	1
#define MKHV_VERSION_PATCH	0
#define MKHV_VERSION_ENCODE(ma, mi, pa)	(((ma) << 16) | ((mi) << 8) | (pa))
#define MKHV_VERSION_CODE	MKHV_VERSION_ENCODE(MKHV_VERSION_MAJOR, \
				MKHV_VERSION_MINOR, MKHV_VERSION_PATCH)
#define MKHV_HVCALL_ABI_VERSION	1

/* ---- control word (RCX) ---- */
#define HV_HYPERCALL_CODE_MASK		0xffffULL	/* bits 15:0 call code */
#define HV_HYPERCALL_FAST_BIT		(1ULL << 16)	/* register-based call */
#define HV_HYPERCALL_VARHEAD_SHIFT	17		/* bits 26:17 var. header, 8-byte units */
#define HV_HYPERCALL_VARHEAD_MASK	(0x3ffULL << 17)
#define HV_HYPERCALL_REP_COUNT_SHIFT	32		/* bits 43:32 rep count */
#define HV_HYPERCALL_REP_COUNT_MASK	(0xfffULL << 32)
#define HV_HYPERCALL_REP_START_SHIFT	48		/* bits 59:48 rep start index */
#define HV_HYPERCALL_REP_START_MASK	(0xfffULL << 48)
/* Reserved, must be 0: bits 31:27, 47:44, 63:60. */
#define HV_HYPERCALL_RSVD_MASK		0xf000f000f8000000ULL

/* ---- result (RAX) ---- */
#define HV_HYPERCALL_RESULT_MASK	0xffffULL	/* bits 15:0 HV_STATUS_* */
#define HV_HYPERCALL_REP_COMP_SHIFT	32		/* bits 43:32 reps completed */
#define HV_HYPERCALL_REP_COMP_MASK	(0xfffULL << 32)

/* ---- status codes (TLFS Appendix "Hypercall status codes") ---- */
#define HV_STATUS_SUCCESS			0x0000
#define HV_STATUS_INVALID_HYPERCALL_CODE	0x0002
#define HV_STATUS_INVALID_HYPERCALL_INPUT	0x0003
#define HV_STATUS_INVALID_ALIGNMENT		0x0004
#define HV_STATUS_INVALID_PARAMETER		0x0005
#define HV_STATUS_ACCESS_DENIED			0x0006
#define HV_STATUS_INVALID_PARTITION_STATE	0x0007
#define HV_STATUS_OPERATION_DENIED		0x0008
#define HV_STATUS_UNKNOWN_PROPERTY		0x0009
#define HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE	0x000a
#define HV_STATUS_INSUFFICIENT_MEMORY		0x000b
#define HV_STATUS_INVALID_PARTITION_ID		0x000d
#define HV_STATUS_INVALID_VP_INDEX		0x000e
#define HV_STATUS_NOT_FOUND			0x0010
#define HV_STATUS_INVALID_PORT_ID		0x0011
#define HV_STATUS_INVALID_CONNECTION_ID		0x0012
#define HV_STATUS_INSUFFICIENT_BUFFERS		0x0013
#define HV_STATUS_NOT_ACKNOWLEDGED		0x0014
#define HV_STATUS_INVALID_VP_STATE		0x0015
#define HV_STATUS_OBJECT_IN_USE			0x0019
#define HV_STATUS_NO_RESOURCES			0x001d
#define HV_STATUS_FEATURE_UNAVAILABLE		0x001e
#define HV_STATUS_TIME_OUT			0x0078

/* ---- TLFS call codes mkhv uses (DESIGN §6) ---- */
#define HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE	0x0002
#define HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST	0x0003
#define HVCALL_NOTIFY_LONG_SPIN_WAIT		0x0008
#define HVCALL_SEND_IPI				0x000b
#define HVCALL_CREATE_PARTITION			0x0040
#define HVCALL_INITIALIZE_PARTITION		0x0041
#define HVCALL_FINALIZE_PARTITION		0x0042
#define HVCALL_DELETE_PARTITION			0x0043
#define HVCALL_GET_PARTITION_ID			0x0046
#define HVCALL_MAP_GPA_PAGES			0x004b
#define HVCALL_UNMAP_GPA_PAGES			0x004c
#define HVCALL_INSTALL_INTERCEPT		0x004d
#define HVCALL_CREATE_VP			0x004e
#define HVCALL_GET_VP_REGISTERS			0x0050
#define HVCALL_SET_VP_REGISTERS			0x0051
#define HVCALL_DELETE_PORT			0x0058
#define HVCALL_DISCONNECT_PORT			0x005b
#define HVCALL_POST_MESSAGE			0x005c
#define HVCALL_SIGNAL_EVENT			0x005d
#define HVCALL_ASSERT_VIRTUAL_INTERRUPT		0x0094
#define HVCALL_CREATE_PORT			0x0095
#define HVCALL_CONNECT_PORT			0x0096
#define HVCALL_SIGNAL_EVENT_DIRECT		0x00c0
#define HVCALL_POST_MESSAGE_DIRECT		0x00c1
#define HVCALL_DISPATCH_VP			0x00c2

/*
 * ---- mkhv's own calls ----
 * DESIGN §6 puts them at 0x8000+.  0x8001-0x80ff are left alone because
 * the TLFS "extended hypercalls" live there (HvExtCallQueryCapabilities
 * 0x8001, GetBootZeroedMemory 0x8002, MemoryHeatHint 0x8003, ...), which a
 * guest issues if EBX bit 20 is ever offered.  The table (hv/hypercall.c)
 * lists every own code; CPUID 0x40000101 reports the base and count.
 *
 *   code    name                 who      in           out
 *   0x8100  HvCallMkhvGetInfo    parent   -            struct mkhv_info
 *   0x8101  HvCallMkhvLogRead    parent   struct mkhv_log_read_in
 *                                                      struct mkhv_log_read_out
 */
#define HVCALL_MKHV_BASE		0x8100
#define HVCALL_MKHV_GET_INFO		0x8100
#define HVCALL_MKHV_LOG_READ		0x8101
#define HVCALL_MKHV_COUNT		5	/* ...0x8104, hvcall_partition.h */

/* HvCallMkhvGetInfo output (written by the hv). */
struct mkhv_info {
	uint32_t version;		/* 0x00: MKHV_VERSION_CODE */
	uint32_t abi_version;		/* 0x04: MKHV_HVCALL_ABI_VERSION */
	uint32_t nr_pcpus;		/* 0x08: pCPUs the hv runs on */
	uint32_t nr_parent_vcpus;	/* 0x0c: parent vCPUs (pinned 1:1) */
	uint32_t nr_pool_pcpus;		/* 0x10: pCPUs in the child pool */
	uint32_t reserved0;		/* 0x14: 0 */
	uint64_t pool_cpu_mask[4];	/* 0x18: bit n = pCPU n is in the pool (pCPUs 0-255) */
	uint64_t hv_mem_base;		/* 0x38: first byte of hv memory (host-physical) */
	uint64_t hv_mem_size;		/* 0x40: bytes of hv memory */
	uint64_t hv_mem_free;		/* 0x48: free bytes of the hv heap right now */
	char build_id[32];		/* 0x50: NUL-padded build id (git describe) */
};					/* 0x70 bytes */
_Static_assert(sizeof(struct mkhv_info) == 0x70, "mkhv_info size");
_Static_assert(offsetof(struct mkhv_info, nr_pool_pcpus) == 0x10, "nr_pool_pcpus");
_Static_assert(offsetof(struct mkhv_info, pool_cpu_mask) == 0x18, "pool_cpu_mask");
_Static_assert(offsetof(struct mkhv_info, hv_mem_base) == 0x38, "hv_mem_base");
_Static_assert(offsetof(struct mkhv_info, hv_mem_free) == 0x48, "hv_mem_free");
_Static_assert(offsetof(struct mkhv_info, build_id) == 0x50, "build_id");

/* HvCallMkhvLogRead input (written by the caller). */
struct mkhv_log_read_in {
	uint64_t pos;			/* 0x00: log byte position to read from (0 = oldest kept) */
};
_Static_assert(sizeof(struct mkhv_log_read_in) == 8, "log_read_in size");

#define MKHV_LOG_READ_MAX	(4096 - 16)

/* HvCallMkhvLogRead output (written by the hv): one full 4 KiB page. */
struct mkhv_log_read_out {
	uint64_t next_pos;		/* 0x00: position after the last byte returned */
	uint32_t len;			/* 0x08: bytes in data[] */
	uint32_t reserved;		/* 0x0c: 0 */
	char data[MKHV_LOG_READ_MAX];	/* 0x10: log text, not NUL-terminated */
};
_Static_assert(sizeof(struct mkhv_log_read_out) == 4096, "log_read_out size");
_Static_assert(offsetof(struct mkhv_log_read_out, data) == 16, "log data");

/* CPUID 0x40000100: mkhv identity (in every partition). */
#define MKHV_CPUID_IDENT		0x40000100	/* EAX max mkhv leaf, EBX "mkhv", ECX version, EDX features */
#define MKHV_CPUID_HVCALL		0x40000101	/* EAX own-call base, EBX count, ECX ABI version */
#define MKHV_CPUID_SIGNATURE		0x76686b6d	/* "mkhv" little-endian */
#define MKHV_FEAT_GET_INFO		(1U << 0)
#define MKHV_FEAT_LOG_READ		(1U << 1)
#define MKHV_FEAT_PARENT		(1U << 31)	/* the caller is the parent */

#endif /* MKHV_HVCALL_H */
