/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypercall decoding, validation and dispatch (TLFS form; ABI constants and
 * wire structs in include/mkhv/hvcall.h).
 *
 * Every call goes through one table (hv/hypercall.c) of {code, handler,
 * parent-only, fast allowed, slow allowed, rep, variable header allowed,
 * sizes}.  Before a handler runs, the control word, the caller's rights and
 * both parameter lists are checked, and the input list is copied once into
 * the VP's hypercall buffer; handlers only see that copy.
 */
#ifndef MKHV_HYPERCALL_H
#define MKHV_HYPERCALL_H

#include <mkhv/types.h>

struct hv_vp;

/* A control word (RCX), decoded. */
struct hypercall_control {
	u16 code;		/* bits 15:0 */
	bool fast;		/* bit 16 */
	u16 varhead_bytes;	/* bits 26:17, times 8 */
	u16 rep_count;		/* bits 43:32 */
	u16 rep_start;		/* bits 59:48 */
};

/**
 * hypercall_decode() - split a control word.
 * Return: HV_STATUS_SUCCESS, or HV_STATUS_INVALID_HYPERCALL_INPUT if a
 * reserved bit (31:27, 47:44, 63:60) is set (@c is filled anyway).
 */
u16 hypercall_decode(u64 control, struct hypercall_control *c);

/* What a handler gets. */
struct hypercall_args {
	struct hv_vp *vp;
	const struct hypercall_control *ctl;
	const u8 *in;		/* hv copy of the input list (fast: RDX, R8) */
	size_t in_len;		/* its size: header + var. header + reps */
	u8 *out;		/* zeroed output list, copied out after the call */
	size_t out_len;
	u16 reps_done;		/* rep calls: set to the next rep index */
};

/* Returns an HV_STATUS_*. */
typedef u16 (*hypercall_fn)(struct hypercall_args *a);

#define HC_PARENT_ONLY	BIT(0)	/* children get HV_STATUS_ACCESS_DENIED */
#define HC_FAST		BIT(1)	/* register form allowed (input <= 16 bytes, no output) */
#define HC_SLOW		BIT(2)	/* memory form allowed */
#define HC_REP		BIT(3)	/* rep call: rep_count >= 1 required */
#define HC_VARHEAD	BIT(4)	/* variable-size header allowed */

struct hypercall_entry {
	u16 code;
	u16 flags;		/* HC_* */
	u16 in_size;		/* fixed input header, bytes */
	u16 in_rep_size;	/* bytes per rep element of input */
	u16 out_size;		/* fixed output, bytes */
	u16 out_rep_size;	/* bytes per rep element of output */
	hypercall_fn fn;
	const char *name;
};

/* Machine facts for HvCallMkhvGetInfo, set once at boot by the arch code. */
struct hv_sysinfo {
	u32 nr_pcpus;
	u32 nr_parent_vcpus;
	u32 nr_pool_pcpus;
	u64 pool_cpu_mask[4];	/* bit n: pCPU n is in the child pool */
	u64 hv_mem_base;
	u64 hv_mem_size;
	char build_id[32];	/* NUL-padded */
};

/** hypercall_set_sysinfo() - record @si (copied) for HvCallMkhvGetInfo. */
void hypercall_set_sysinfo(const struct hv_sysinfo *si);

/**
 * hypercall_lookup() - the table entry of @code, or NULL.
 */
const struct hypercall_entry *hypercall_lookup(u16 code);

#ifdef MKHV_HOST_TEST
/* Host tests only: dispatch through @t (NULL: back to the real table). */
void hypercall_test_set_table(const struct hypercall_entry *t, size_t n);
#endif

/**
 * hypercall_handle() - run the hypercall @vp made with VMMCALL/VMCALL.
 * @vp: calling VP (its partition decides parent-only rights)
 * @cpl: the caller's CPL (from the VMCB/VMCS)
 * @control: RCX
 * @in: RDX (input GPA, or fast input 1)
 * @out: R8 (output GPA, or fast input 2)
 * @rax: out: the value for RAX (status | reps completed << 32)
 *
 * Order of checks: CPL, reserved control bits, code, rights, call form
 * (fast/rep/variable header), list sizes, alignment (8 bytes, no page
 * crossing), overlap, guest access (arch_copy_from_guest / _to_guest).
 * Status codes: see docs/hv-core.md.
 *
 * Return: 0: write *@rax to RAX and move RIP past the 3-byte instruction;
 * -EPERM: the caller is not at CPL 0, inject #UD (TLFS §3.6) and leave RAX.
 */
int hypercall_handle(struct hv_vp *vp, unsigned int cpl, u64 control, u64 in,
		     u64 out, u64 *rax);

#endif /* MKHV_HYPERCALL_H */
