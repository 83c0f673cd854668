/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The portable part of a partition and of a virtual processor.  The arch
 * code embeds or points to these from its own structures (VMCB, NPT...)
 * through the @arch pointers; core code only sees these fields.
 */
#ifndef MKHV_PARTITION_H
#define MKHV_PARTITION_H

#include <mkhv/types.h>
#include <mkhv/hyperv.h>

#define HV_PARENT_PARTITION_ID	0

struct hv_partition {
	u32 id;				/* 0 = the parent, children 1.. */
	bool is_parent;
	struct hyperv_partition hv;	/* CPUID profile, synthetic MSRs */
	void *arch;			/* arch/vendor state (lead) */
};

/* Hypercall parameter pages, copied in once (hypercall.c). */
struct hv_hypercall_buf {
	u8 in[PAGE_SIZE] __aligned(8);
	u8 out[PAGE_SIZE] __aligned(8);
};

struct hv_vp {
	struct hv_partition *part;
	struct hyperv_vp hv;		/* VP_INDEX, VP assist page */
	struct hv_hypercall_buf hc;	/* only this VP's pCPU uses it */
	void *arch;			/* VMCB/VMCS etc. (lead) */
};

#endif /* MKHV_PARTITION_H */
