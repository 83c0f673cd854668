/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure VMX logic, built into the hv and into the host unit tests
 * (tests/unit/test_vmx_caps.c): VMCS field-encoding decoding, the control
 * words computed from the capability MSRs, CR0/CR4 fixed bits, the EPT
 * pointer, MSR/I/O bitmap bits and the XSETBV check.  Nothing here touches
 * the CPU: vmx.c reads the MSRs and hands their values in.
 */
#ifndef MKHV_VMX_CAPS_H
#define MKHV_VMX_CAPS_H

#include <mkhv/types.h>
#include "vmcs.h"

/* Raw capability MSRs (the TRUE_* variants where vmx_ctl_msr() says so). */
struct vmx_caps {
	u64 basic;
	u64 pin, proc, proc2, exit, entry;
	u64 ept_vpid;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
};

/* Control words and the optional features they ended up with. */
struct vmx_ctls {
	u32 pin, proc, proc2, exit, entry;
	bool vpid;		/* PROC2_VPID set (and INVVPID available) */
	bool ept_1g;		/* 1 GiB EPT pages */
	bool invept_single;	/* single-context INVEPT (else all-context) */
	u32 missing_proc2;	/* optional PROC2 bits the CPU lacks */
};

static inline enum vmcs_width vmcs_field_width(u32 enc)
{
	return (enum vmcs_width)((enc >> VMCS_ENC_WIDTH_SHIFT) & 3);
}

static inline enum vmcs_type vmcs_field_type(u32 enc)
{
	return (enum vmcs_type)((enc >> VMCS_ENC_TYPE_SHIFT) & 3);
}

/**
 * vmcs_field_valid() - is @enc a well-formed field encoding?
 * Reserved bits must be clear and only 64-bit fields have a "high" form.
 */
static inline bool vmcs_field_valid(u32 enc)
{
	if (enc & VMCS_ENC_RESERVED)
		return false;
	return !(enc & VMCS_ENC_HIGH) || vmcs_field_width(enc) == VMCS_WIDTH_64;
}

/**
 * vmx_ctl_msr() - the capability MSR to read for a control word.
 * @basic: IA32_VMX_BASIC
 * @msr: MSR_VMX_{PINBASED,PROCBASED,EXIT,ENTRY}_CTLS (others unchanged)
 *
 * When IA32_VMX_BASIC bit 55 is set the TRUE_* variants report which
 * default-1 bits may really be 0 (SDM §A.2), e.g. CR3-load exiting.
 */
u32 vmx_ctl_msr(u64 basic, u32 msr);

/**
 * vmx_ctl_fix() - a control word from its capability MSR.
 * @cap: allowed-0 settings in bits 31:0 (1 = must be 1), allowed-1
 *       settings in bits 63:32 (0 = must be 0)
 * @required: bits mkhv cannot run without
 * @optional: bits used when the CPU offers them
 * @out: the word: every must-be-1 bit, @required, and what @optional allows
 *
 * Return: 0, or -ENODEV if a @required bit is not allowed to be 1 (then
 * @out holds the word without it).
 */
int vmx_ctl_fix(u64 cap, u32 required, u32 optional, u32 *out);

/**
 * vmx_compute_ctls() - every control word of the parent's VMCS.
 * @why: on failure, what the CPU lacks (a static string)
 *
 * Requires MSR and I/O bitmaps, TSC offsetting, secondary controls with EPT
 * and unrestricted guest, 64-bit host and guest, EFER and PAT switched by
 * the VMCS, EPT with 4-level walks, WB tables and INVEPT.  VPID, RDTSCP,
 * INVPCID and XSAVES are used when offered (vmx.c hides the CPUID bits of
 * the ones that are not, see @out->missing_proc2).
 *
 * Return: 0 or -ENODEV.
 */
int vmx_compute_ctls(const struct vmx_caps *c, struct vmx_ctls *out,
		     const char **why);

/** vmx_cr_fixed() - @val with the FIXED0 bits set and non-FIXED1 bits clear. */
static inline u64 vmx_cr_fixed(u64 val, u64 fixed0, u64 fixed1)
{
	return (val | fixed0) & fixed1;
}

/**
 * vmx_eptp() - the EPT pointer for tables rooted at @root.
 * @ept_cap: IA32_VMX_EPT_VPID_CAP
 *
 * WB paging-structure accesses and a 4-level walk, no accessed/dirty flags.
 * Return: 0; -EINVAL if @root is not a page-aligned address below 2^52;
 * -ENODEV if the CPU lacks 4-level walks or WB.
 */
int vmx_eptp(hpa_t root, u64 ept_cap, u64 *eptp);

/**
 * vmx_msr_bitmap_set() - intercept reads and/or writes of @msr.
 * @bm: the 4 KiB MSR bitmap (read-low, read-high, write-low, write-high)
 *
 * Return: 0; -ERANGE if @msr is outside the two ranges the bitmap covers
 * (0-0x1fff, 0xc0000000-0xc0001fff): those always exit anyway.
 */
int vmx_msr_bitmap_set(u8 *bm, u32 msr, bool rd, bool wr);

/** vmx_msr_bitmap_allow() - let reads and writes of @msr through (-ERANGE as above). */
int vmx_msr_bitmap_allow(u8 *bm, u32 msr);

/** vmx_msr_bitmap_test() - does an access to @msr exit? (@write: a WRMSR) */
bool vmx_msr_bitmap_test(const u8 *bm, u32 msr, bool write);

/**
 * vmx_io_bitmap_set() - intercept @n ports from @port.
 * @bm: bitmaps A and B, contiguous (8 KiB: ports 0-0x7fff, 0x8000-0xffff)
 * Return: 0, or -EINVAL if the range passes port 0xffff.
 */
int vmx_io_bitmap_set(u8 *bm, u32 port, u32 n);

/**
 * vmx_xcr0_check() - may the guest load @xcr0 with XSETBV?
 * @supported: the XCR0 bits the CPU supports (CPUID 0xd.0 EDX:EAX)
 *
 * SDM vol. 1 §13.3: x87 must stay set, AVX needs SSE, the AVX-512 state
 * components go together and need AVX, BNDREGS and BNDCSR go together.
 * Return: 0, or -EINVAL (the XSETBV raises #GP).
 */
int vmx_xcr0_check(u64 xcr0, u64 supported);

#endif /* MKHV_VMX_CAPS_H */
