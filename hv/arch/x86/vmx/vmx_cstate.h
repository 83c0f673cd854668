/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A child VP's guest state kept in memory between runs (struct
 * vmx_child_state), and the pure logic around it, host unit-tested
 * (tests/unit/test_vmx_child.c): the child's control words, its INIT
 * state, TLFS register get/set (segment attributes in the TLFS 16-bit
 * form), CR0/EFER writes with the long-mode transitions the hv must do
 * itself, and the decoding of I/O and EPT-violation exit qualifications.
 *
 * Why in memory: a child's VMCS is active only while vmx_child.c runs it
 * on its pool pCPU (VMPTRLD at the start of a run, VMCLEAR at the end).
 * The parent's hypercalls read and write a stopped VP's registers from
 * cpu0, whose current VMCS is the parent's, and a VP may be destroyed
 * from there: neither may touch a VMCS another CPU may still cache.
 */
#ifndef MKHV_VMX_CSTATE_H
#define MKHV_VMX_CSTATE_H

#include <mkhv/types.h>
#include <mkhv/hvcall_partition.h>
#include "vmx_caps.h"

/* Segment registers in VMCS order. */
enum { VMX_SEG_ES, VMX_SEG_CS, VMX_SEG_SS, VMX_SEG_DS, VMX_SEG_FS,
       VMX_SEG_GS, VMX_SEG_LDTR, VMX_SEG_TR, VMX_NR_SEGS };

struct vmx_seg {
	u64 base;
	u32 limit;
	u32 ar;			/* VMCS access rights (bit 16: unusable) */
	u16 sel;
};

struct vmx_child_state {
	struct vmx_seg seg[VMX_NR_SEGS];
	struct vmx_seg gdtr, idtr;	/* base and limit only */
	u64 cr0, cr4;			/* as the guest sees them */
	u64 cr2, cr3, efer, pat, rip, rsp, rflags, dr7, pending_dbg;
	u64 sysenter_cs, sysenter_esp, sysenter_eip;
	/* Not in the VMCS: loaded into the pCPU for the run, read back. */
	u64 star, lstar, cstar, sfmask, kernel_gs_base, xcr0;
	u64 tsc_offset;
	u32 interruptibility, activity;
	/* An event for the next entry (VM-entry interruption info). */
	u32 entry_intr, entry_err, entry_len;
	bool flush;			/* INVEPT before the next entry */
};

#define VMX_CR0_PE	(1ull << 0)
#define VMX_CR0_NE	(1ull << 5)
#define VMX_CR0_NW	(1ull << 29)
#define VMX_CR0_CD	(1ull << 30)
#define VMX_CR0_PG	(1ull << 31)
#define VMX_CR4_PAE	(1ull << 5)
#define VMX_CR4_VMXE	(1ull << 13)
#define VMX_CR4_SMXE	(1ull << 14)
#define VMX_EFER_SCE	(1ull << 0)
#define VMX_EFER_LME	(1ull << 8)
#define VMX_EFER_LMA	(1ull << 10)
#define VMX_EFER_NXE	(1ull << 11)

/* Primary processor-based controls the children add to the parent's. */
#define PROC_INTR_WINDOW	(1u << 2)

/**
 * vmx_child_ctls() - control words of a child VMCS from the CPU's
 * capabilities and the parent's words: external-interrupt exiting (the
 * pool's interrupts are the hv's), HLT exiting (idle belongs to the pool)
 * and interrupt-window exiting available (injection) are required; NMI
 * exiting and the VMX-preemption timer (slice ends and the VP's timers
 * without relying on an external interrupt) are used when offered.  I/O and MSR bitmaps, EPT, VPID come
 * from the parent's words.  The IA-32e-guest entry control is left clear
 * (it follows the guest's EFER.LMA at each entry).
 * Return: 0, or -ENODEV with @why set.
 */
int vmx_child_ctls(const struct vmx_caps *c, const struct vmx_ctls *parent,
		   struct vmx_ctls *out, const char **why);

/**
 * vmx_child_reset() - the architectural INIT state (SDM vol. 3 table
 * 10-1): real mode at F000:FFF0, power-on PAT, XCR0 = x87, RDX = the
 * family-6 signature.  One difference: CR0 reads with NE set (0x60000030)
 * so that no later CR0 write of the guest changes a bit VMX owns.
 */
void vmx_child_reset(struct vmx_child_state *s, u64 *rdx);

/** vmx_ar_to_tlfs() - VMCS access rights -> TLFS attributes (unusable: not present). */
u16 vmx_ar_to_tlfs(u32 ar);

/** vmx_ar_from_tlfs() - TLFS attributes -> VMCS access rights (not present: unusable). */
u32 vmx_ar_from_tlfs(u16 attr);

/**
 * vmx_child_get_reg() / vmx_child_set_reg() - TLFS register @name of a
 * stopped VP.  GPRs other than RSP are in @gprs (x86 encoding order; RSP
 * is in @s).  @cr4_fixed1: the CPU's allowed CR4 bits (VMXE/SMXE never).
 * Set refuses reserved bits VM entry would refuse.
 * Return: 0 or -EINVAL.
 */
int vmx_child_get_reg(const struct vmx_child_state *s, const u64 *gprs,
		      u32 name, struct hv_register_value *val);
int vmx_child_set_reg(struct vmx_child_state *s, u64 *gprs, u64 cr4_fixed1,
		      u32 name, const struct hv_register_value *val);

/**
 * vmx_child_cr0_write() - a guest MOV to CR0 of @val (the visible CR0 was
 * @old): refuses what raises #GP (reserved high bits, PG without PE, NW
 * without CD, paging on with LME but without PAE) and updates *@efer's
 * LMA when paging turns on or off with LME set (the hv does what the CPU
 * would, as the write exited).  Return: 0 or -EINVAL (#GP).
 */
int vmx_child_cr0_write(u64 old, u64 val, u64 cr4, u64 *efer);

/**
 * vmx_child_efer_write() - a guest WRMSR to EFER: SCE/LME/NXE (LMA is
 * the CPU's and keeps its value); changing LME with paging on is #GP.
 * Return: 0 or -EINVAL.
 */
int vmx_child_efer_write(u64 cur, u64 val, u64 cr0, u64 *out);

/* An I/O exit qualification (SDM table 28-5), decoded. */
struct vmx_io_exit {
	u16 port;
	u8 size;		/* 1, 2 or 4 */
	bool in, string, rep;
};

/** vmx_io_decode() - decode @qual; Return: 0 or -EINVAL (size 3 or > 4). */
int vmx_io_decode(u64 qual, struct vmx_io_exit *io);

/** vmx_ept_access() - TLFS access type of an EPT violation: 0 read, 1 write, 2 execute. */
u8 vmx_ept_access(u64 qual);

#endif /* MKHV_VMX_CSTATE_H */
