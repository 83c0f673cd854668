/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The AMD SVM Virtual Machine Control Block (AMD APM vol. 2, appendix B):
 * a 4 KiB page, control area at 0x000, state-save area at 0x400.  Only
 * the fields the hv uses are named; the rest is explicit padding so every
 * offset is checked below.  Every field is naturally aligned, so the
 * structs need no packing (and pointers to their fields are safe).
 */
#ifndef MKHV_SVM_VMCB_H
#define MKHV_SVM_VMCB_H

#include <mkhv/types.h>

struct vmcb_seg {
	u16 sel;
	u16 attrib;		/* descriptor bits 40-47 and 52-55, packed */
	u32 limit;
	u64 base;
};

struct vmcb_control {
	u32 intercept_cr;	/* 0x000: reads 0-15, writes 16-31 */
	u32 intercept_dr;	/* 0x004 */
	u32 intercept_exc;	/* 0x008: one bit per exception vector */
	u32 intercept1;		/* 0x00c: INTERCEPT1_* */
	u32 intercept2;		/* 0x010: INTERCEPT2_* */
	u32 intercept3;		/* 0x014 */
	u8 reserved1[0x3c - 0x18];
	u16 pause_thresh;	/* 0x03c */
	u16 pause_count;	/* 0x03e */
	u64 iopm_pa;		/* 0x040: 12 KiB I/O permission map */
	u64 msrpm_pa;		/* 0x048: 8 KiB MSR permission map */
	u64 tsc_offset;		/* 0x050 */
	u32 asid;		/* 0x058: never 0 for a guest */
	u8 tlb_ctl;		/* 0x05c */
	u8 reserved2[3];
	u64 vintr;		/* 0x060: V_TPR, V_IRQ, V_INTR_MASKING, ... */
	u64 int_state;		/* 0x068: bit 0 interrupt shadow */
	u64 exitcode;		/* 0x070 */
	u64 exitinfo1;		/* 0x078 */
	u64 exitinfo2;		/* 0x080 */
	u64 exitintinfo;	/* 0x088: event being delivered at exit */
	u64 nested_ctl;		/* 0x090: bit 0 NP_ENABLE */
	u64 avic_bar;		/* 0x098 */
	u64 ghcb_pa;		/* 0x0a0 */
	u64 event_inj;		/* 0x0a8: EVENTINJ */
	u64 nested_cr3;		/* 0x0b0: nCR3 */
	u64 virt_ext;		/* 0x0b8 */
	u32 clean;		/* 0x0c0: VMCB clean bits */
	u32 reserved3;
	u64 next_rip;		/* 0x0c8: with NRIP save only */
	u8 insn_len;		/* 0x0d0: with decode assists only */
	u8 insn_bytes[15];
	u8 reserved4[0x400 - 0xe0];
};

struct vmcb_save {
	struct vmcb_seg es, cs, ss, ds, fs, gs;	/* 0x400 .. 0x450 */
	struct vmcb_seg gdtr, ldtr, idtr, tr;	/* 0x460 .. 0x490 */
	u8 reserved1[0x4cb - 0x4a0];
	u8 cpl;			/* 0x4cb */
	u32 reserved2;
	u64 efer;		/* 0x4d0 */
	u8 reserved3[0x548 - 0x4d8];
	u64 cr4;		/* 0x548 */
	u64 cr3;		/* 0x550 */
	u64 cr0;		/* 0x558 */
	u64 dr7;		/* 0x560 */
	u64 dr6;		/* 0x568 */
	u64 rflags;		/* 0x570 */
	u64 rip;		/* 0x578 */
	u8 reserved4[0x5d8 - 0x580];
	u64 rsp;		/* 0x5d8 */
	u8 reserved5[0x5f8 - 0x5e0];
	u64 rax;		/* 0x5f8 */
	u64 star;		/* 0x600 */
	u64 lstar;		/* 0x608 */
	u64 cstar;		/* 0x610 */
	u64 sfmask;		/* 0x618 */
	u64 kernel_gs_base;	/* 0x620 */
	u64 sysenter_cs;	/* 0x628 */
	u64 sysenter_esp;	/* 0x630 */
	u64 sysenter_eip;	/* 0x638 */
	u64 cr2;		/* 0x640 */
	u8 reserved6[0x668 - 0x648];
	u64 g_pat;		/* 0x668 */
	u64 dbgctl;		/* 0x670 */
	u8 reserved7[0x1000 - 0x400 - 0x278];
};

struct vmcb {
	struct vmcb_control ctl;
	struct vmcb_save save;
};

_Static_assert(sizeof(struct vmcb_control) == 0x400, "vmcb control");
_Static_assert(sizeof(struct vmcb) == 0x1000, "vmcb size");
_Static_assert(offsetof(struct vmcb, ctl.iopm_pa) == 0x040, "iopm");
_Static_assert(offsetof(struct vmcb, ctl.asid) == 0x058, "asid");
_Static_assert(offsetof(struct vmcb, ctl.exitcode) == 0x070, "exitcode");
_Static_assert(offsetof(struct vmcb, ctl.nested_ctl) == 0x090, "np");
_Static_assert(offsetof(struct vmcb, ctl.event_inj) == 0x0a8, "eventinj");
_Static_assert(offsetof(struct vmcb, ctl.nested_cr3) == 0x0b0, "ncr3");
_Static_assert(offsetof(struct vmcb, ctl.next_rip) == 0x0c8, "nrip");
_Static_assert(offsetof(struct vmcb, save.cs) == 0x410, "cs");
_Static_assert(offsetof(struct vmcb, save.tr) == 0x490, "tr");
_Static_assert(offsetof(struct vmcb, save.cpl) == 0x4cb, "cpl");
_Static_assert(offsetof(struct vmcb, save.efer) == 0x4d0, "efer");
_Static_assert(offsetof(struct vmcb, save.cr4) == 0x548, "cr4");
_Static_assert(offsetof(struct vmcb, save.rflags) == 0x570, "rflags");
_Static_assert(offsetof(struct vmcb, save.rip) == 0x578, "rip");
_Static_assert(offsetof(struct vmcb, save.rsp) == 0x5d8, "rsp");
_Static_assert(offsetof(struct vmcb, save.rax) == 0x5f8, "rax");
_Static_assert(offsetof(struct vmcb, save.cr2) == 0x640, "cr2");
_Static_assert(offsetof(struct vmcb, save.g_pat) == 0x668, "gpat");

/* intercept1 */
#define INTERCEPT1_INTR		BIT(0)
#define INTERCEPT1_NMI		BIT(1)
#define INTERCEPT1_INIT		BIT(3)
#define INTERCEPT1_CPUID	BIT(18)
#define INTERCEPT1_HLT		BIT(24)
#define INTERCEPT1_IOIO		BIT(27)
#define INTERCEPT1_MSR		BIT(28)
#define INTERCEPT1_SHUTDOWN	BIT(31)
/* intercept2 */
#define INTERCEPT2_VMRUN	BIT(0)	/* required by VMRUN */
#define INTERCEPT2_VMMCALL	BIT(1)
#define INTERCEPT2_VMLOAD	BIT(2)
#define INTERCEPT2_VMSAVE	BIT(3)
#define INTERCEPT2_STGI		BIT(4)
#define INTERCEPT2_CLGI		BIT(5)
#define INTERCEPT2_SKINIT	BIT(6)

/* Exit codes (APM vol. 2, table C-1). */
#define SVM_EXIT_EXCP_BASE	0x040
#define SVM_EXIT_INTR		0x060
#define SVM_EXIT_NMI		0x061
#define SVM_EXIT_INIT		0x063
#define SVM_EXIT_CPUID		0x072
#define SVM_EXIT_HLT		0x078
#define SVM_EXIT_IOIO		0x07b
#define SVM_EXIT_MSR		0x07c
#define SVM_EXIT_SHUTDOWN	0x07f
#define SVM_EXIT_VMRUN		0x080
#define SVM_EXIT_VMMCALL	0x081
#define SVM_EXIT_VMLOAD		0x082
#define SVM_EXIT_VMSAVE		0x083
#define SVM_EXIT_STGI		0x084
#define SVM_EXIT_CLGI		0x085
#define SVM_EXIT_SKINIT		0x086
#define SVM_EXIT_NPF		0x400
#define SVM_EXIT_INVALID	((u64)-1)

/* EVENTINJ */
#define SVM_EVTINJ_VALID	BIT_ULL(31)
#define SVM_EVTINJ_EV		BIT_ULL(11)	/* error code valid */
#define SVM_EVTINJ_TYPE_EXC	(3ULL << 8)

/* IOIO EXITINFO1 */
#define SVM_IOIO_IN		BIT(0)
#define SVM_IOIO_STR		BIT(2)
#define SVM_IOIO_REP		BIT(3)
#define SVM_IOIO_SZ_SHIFT	4	/* bits 4-6: 1, 2 or 4 bytes */

#endif /* MKHV_SVM_VMCB_H */
