// SPDX-License-Identifier: GPL-2.0
/*
 * Pure VMX logic (see vmx_caps.h): no CPU access, host unit-tested.
 */
#include <mkhv/errno.h>
#include "vmx_caps.h"

u32 vmx_ctl_msr(u64 basic, u32 msr)
{
	if (!(basic & VMX_BASIC_TRUE_CTLS))
		return msr;
	switch (msr) {
	case MSR_VMX_PINBASED_CTLS:
		return MSR_VMX_TRUE_PINBASED_CTLS;
	case MSR_VMX_PROCBASED_CTLS:
		return MSR_VMX_TRUE_PROCBASED_CTLS;
	case MSR_VMX_EXIT_CTLS:
		return MSR_VMX_TRUE_EXIT_CTLS;
	case MSR_VMX_ENTRY_CTLS:
		return MSR_VMX_TRUE_ENTRY_CTLS;
	default:
		return msr;
	}
}

int vmx_ctl_fix(u64 cap, u32 required, u32 optional, u32 *out)
{
	u32 must1 = (u32)cap, may1 = (u32)(cap >> 32);

	/* A broken MSR (must-1 bit not allowed-1) keeps the bit: entry fails. */
	*out = must1 | (required & may1) | (optional & may1);
	return (required & ~may1) ? -ENODEV : 0;
}

#define PROC_REQUIRED	(PROC_TSC_OFFSET | PROC_USE_IO_BITMAPS | \
			 PROC_USE_MSR_BITMAPS | PROC_SECONDARY)
#define PROC2_REQUIRED	(PROC2_EPT | PROC2_UNRESTRICTED)
#define PROC2_OPTIONAL	(PROC2_VPID | PROC2_RDTSCP | PROC2_INVPCID | \
			 PROC2_XSAVES)
#define EXIT_REQUIRED	(EXIT_HOST_64 | EXIT_SAVE_PAT | EXIT_LOAD_PAT | \
			 EXIT_SAVE_EFER | EXIT_LOAD_EFER)
#define ENTRY_REQUIRED	(ENTRY_GUEST_64 | ENTRY_LOAD_PAT | ENTRY_LOAD_EFER)

static int ept_caps(const struct vmx_caps *c, struct vmx_ctls *out,
		    const char **why)
{
	u64 cap = c->ept_vpid;

	if (!(cap & EPT_CAP_WALK4) || !(cap & EPT_CAP_WB)) {
		*why = "EPT without 4-level walks or write-back tables";
		return -ENODEV;
	}
	if (!(cap & EPT_CAP_INVEPT) ||
	    !(cap & (EPT_CAP_INVEPT_SINGLE | EPT_CAP_INVEPT_ALL))) {
		*why = "EPT without INVEPT";
		return -ENODEV;
	}
	out->invept_single = cap & EPT_CAP_INVEPT_SINGLE;
	out->ept_1g = cap & EPT_CAP_1G;
	/* Without INVVPID a VPID could never be flushed: do without. */
	if (!(cap & VPID_CAP_INVVPID) ||
	    !(cap & (VPID_CAP_INVVPID_SINGLE | VPID_CAP_INVVPID_ALL)))
		out->proc2 &= ~PROC2_VPID;
	out->vpid = out->proc2 & PROC2_VPID;
	return 0;
}

int vmx_compute_ctls(const struct vmx_caps *c, struct vmx_ctls *out,
		     const char **why)
{
	*out = (struct vmx_ctls){ 0 };
	*why = "";
	vmx_ctl_fix(c->pin, 0, 0, &out->pin);
	if (vmx_ctl_fix(c->proc, PROC_REQUIRED, 0, &out->proc)) {
		*why = "no MSR/I/O bitmaps, TSC offsetting or secondary controls";
		return -ENODEV;
	}
	if (vmx_ctl_fix(c->proc2, PROC2_REQUIRED, PROC2_OPTIONAL, &out->proc2)) {
		*why = (u32)(c->proc2 >> 32) & PROC2_EPT ?
		       "no unrestricted guest" : "no EPT";
		return -ENODEV;
	}
	out->missing_proc2 = PROC2_OPTIONAL & ~out->proc2;
	if (vmx_ctl_fix(c->exit, EXIT_REQUIRED, 0, &out->exit) ||
	    vmx_ctl_fix(c->entry, ENTRY_REQUIRED, 0, &out->entry)) {
		*why = "VM-exit/entry controls cannot switch EFER and PAT";
		return -ENODEV;
	}
	return ept_caps(c, out, why);
}

int vmx_eptp(hpa_t root, u64 ept_cap, u64 *eptp)
{
	if (root & ~PAGE_MASK || root >= (1ull << 52))
		return -EINVAL;
	if (!(ept_cap & EPT_CAP_WALK4) || !(ept_cap & EPT_CAP_WB))
		return -ENODEV;
	*eptp = root | EPTP_MT_WB | EPTP_WALK4;
	return 0;
}

/* Offsets of the four 1 KiB quarters of the MSR bitmap (SDM §25.6.9). */
static int msr_bit(u32 msr, bool write)
{
	int base;

	if (msr <= 0x1fff)
		base = 0;
	else if (msr >= 0xc0000000 && msr <= 0xc0001fff)
		base = 1024 * 8, msr -= 0xc0000000;
	else
		return -ERANGE;
	return base + (write ? 2048 * 8 : 0) + (int)msr;
}

int vmx_msr_bitmap_set(u8 *bm, u32 msr, bool rd, bool wr)
{
	int r = msr_bit(msr, false), w = msr_bit(msr, true);

	if (r < 0)
		return r;
	if (rd)
		bm[r / 8] |= (u8)(1u << (r % 8));
	if (wr)
		bm[w / 8] |= (u8)(1u << (w % 8));
	return 0;
}

int vmx_msr_bitmap_allow(u8 *bm, u32 msr)
{
	int r = msr_bit(msr, false), w = msr_bit(msr, true);

	if (r < 0)
		return r;
	bm[r / 8] &= (u8)~(1u << (r % 8));
	bm[w / 8] &= (u8)~(1u << (w % 8));
	return 0;
}

bool vmx_msr_bitmap_test(const u8 *bm, u32 msr, bool write)
{
	int b = msr_bit(msr, write);

	return b < 0 || (bm[b / 8] & (1u << (b % 8)));
}

int vmx_io_bitmap_set(u8 *bm, u32 port, u32 n)
{
	u32 i;

	if (port > 0xffff || n > 0x10000 - port)
		return -EINVAL;
	for (i = port; i < port + n; i++)
		bm[i / 8] |= (u8)(1u << (i % 8));
	return 0;
}

#define XCR0_X87	BIT_ULL(0)
#define XCR0_SSE	BIT_ULL(1)
#define XCR0_AVX	BIT_ULL(2)
#define XCR0_BNDREGS	BIT_ULL(3)
#define XCR0_BNDCSR	BIT_ULL(4)
#define XCR0_AVX512	(BIT_ULL(5) | BIT_ULL(6) | BIT_ULL(7))

int vmx_xcr0_check(u64 xcr0, u64 supported)
{
	if (xcr0 & ~supported || !(xcr0 & XCR0_X87))
		return -EINVAL;
	if ((xcr0 & XCR0_AVX) && !(xcr0 & XCR0_SSE))
		return -EINVAL;
	if (!!(xcr0 & XCR0_BNDREGS) != !!(xcr0 & XCR0_BNDCSR))
		return -EINVAL;
	if ((xcr0 & XCR0_AVX512) &&
	    ((xcr0 & XCR0_AVX512) != XCR0_AVX512 || !(xcr0 & XCR0_AVX)))
		return -EINVAL;
	return 0;
}
