/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intel VMX architectural constants: VMCS field encodings (SDM vol. 3
 * appendix B), capability MSRs (appendix A), control bits (§25.6, §25.7,
 * §25.8), exit reasons (appendix C) and exit-qualification layouts
 * (§28.2.1).  Types and constants only, so the host unit tests include it.
 *
 * A field encoding (SDM §25.11.2) packs: bit 0 access type (1 = high half
 * of a 64-bit field), bits 9:1 index, bits 11:10 type (control, exit
 * information, guest state, host state), bits 14:13 width (16-bit,
 * 64-bit, 32-bit, natural).  vmx_caps.h decodes them.
 */
#ifndef MKHV_VMX_VMCS_H
#define MKHV_VMX_VMCS_H

/* ---- 16-bit fields ---- */
#define VMCS_VPID			0x0000
#define VMCS_GUEST_ES_SEL		0x0800
#define VMCS_GUEST_CS_SEL		0x0802
#define VMCS_GUEST_SS_SEL		0x0804
#define VMCS_GUEST_DS_SEL		0x0806
#define VMCS_GUEST_FS_SEL		0x0808
#define VMCS_GUEST_GS_SEL		0x080a
#define VMCS_GUEST_LDTR_SEL		0x080c
#define VMCS_GUEST_TR_SEL		0x080e
#define VMCS_HOST_ES_SEL		0x0c00
#define VMCS_HOST_CS_SEL		0x0c02
#define VMCS_HOST_SS_SEL		0x0c04
#define VMCS_HOST_DS_SEL		0x0c06
#define VMCS_HOST_FS_SEL		0x0c08
#define VMCS_HOST_GS_SEL		0x0c0a
#define VMCS_HOST_TR_SEL		0x0c0c

/* ---- 64-bit fields ---- */
#define VMCS_IO_BITMAP_A		0x2000
#define VMCS_IO_BITMAP_B		0x2002
#define VMCS_MSR_BITMAP			0x2004
#define VMCS_EXIT_MSR_STORE_ADDR	0x2006
#define VMCS_EXIT_MSR_LOAD_ADDR		0x2008
#define VMCS_ENTRY_MSR_LOAD_ADDR	0x200a
#define VMCS_TSC_OFFSET			0x2010
#define VMCS_EPT_POINTER		0x201a
#define VMCS_GUEST_PHYS_ADDR		0x2400	/* read-only */
#define VMCS_LINK_POINTER		0x2800
#define VMCS_GUEST_DEBUGCTL		0x2802
#define VMCS_GUEST_PAT			0x2804
#define VMCS_GUEST_EFER			0x2806
#define VMCS_GUEST_PDPTE0		0x280a
#define VMCS_HOST_PAT			0x2c00
#define VMCS_HOST_EFER			0x2c02

/* ---- 32-bit fields ---- */
#define VMCS_PIN_CTLS			0x4000
#define VMCS_PROC_CTLS			0x4002
#define VMCS_EXCEPTION_BITMAP		0x4004
#define VMCS_PF_ERR_MASK		0x4006
#define VMCS_PF_ERR_MATCH		0x4008
#define VMCS_CR3_TARGET_COUNT		0x400a
#define VMCS_EXIT_CTLS			0x400c
#define VMCS_EXIT_MSR_STORE_COUNT	0x400e
#define VMCS_EXIT_MSR_LOAD_COUNT	0x4010
#define VMCS_ENTRY_CTLS			0x4012
#define VMCS_ENTRY_MSR_LOAD_COUNT	0x4014
#define VMCS_ENTRY_INTR_INFO		0x4016
#define VMCS_ENTRY_EXC_ERR		0x4018
#define VMCS_ENTRY_INSN_LEN		0x401a
#define VMCS_PROC_CTLS2			0x401e
#define VMCS_INSN_ERROR			0x4400	/* read-only from here */
#define VMCS_EXIT_REASON		0x4402
#define VMCS_EXIT_INTR_INFO		0x4404
#define VMCS_EXIT_INTR_ERR		0x4406
#define VMCS_IDT_VECTORING_INFO		0x4408
#define VMCS_IDT_VECTORING_ERR		0x440a
#define VMCS_EXIT_INSN_LEN		0x440c
#define VMCS_EXIT_INSN_INFO		0x440e
#define VMCS_GUEST_ES_LIMIT		0x4800
#define VMCS_GUEST_CS_LIMIT		0x4802
#define VMCS_GUEST_SS_LIMIT		0x4804
#define VMCS_GUEST_DS_LIMIT		0x4806
#define VMCS_GUEST_FS_LIMIT		0x4808
#define VMCS_GUEST_GS_LIMIT		0x480a
#define VMCS_GUEST_LDTR_LIMIT		0x480c
#define VMCS_GUEST_TR_LIMIT		0x480e
#define VMCS_GUEST_GDTR_LIMIT		0x4810
#define VMCS_GUEST_IDTR_LIMIT		0x4812
#define VMCS_GUEST_ES_AR		0x4814
#define VMCS_GUEST_CS_AR		0x4816
#define VMCS_GUEST_SS_AR		0x4818
#define VMCS_GUEST_DS_AR		0x481a
#define VMCS_GUEST_FS_AR		0x481c
#define VMCS_GUEST_GS_AR		0x481e
#define VMCS_GUEST_LDTR_AR		0x4820
#define VMCS_GUEST_TR_AR		0x4822
#define VMCS_GUEST_INTERRUPTIBILITY	0x4824
#define VMCS_GUEST_ACTIVITY		0x4826
#define VMCS_GUEST_SYSENTER_CS		0x482a
#define VMCS_PREEMPT_TIMER		0x482e
#define VMCS_HOST_SYSENTER_CS		0x4c00

/* ---- natural-width fields ---- */
#define VMCS_CR0_MASK			0x6000
#define VMCS_CR4_MASK			0x6002
#define VMCS_CR0_SHADOW			0x6004
#define VMCS_CR4_SHADOW			0x6006
#define VMCS_EXIT_QUALIFICATION		0x6400	/* read-only */
#define VMCS_GUEST_LINEAR_ADDR		0x640a	/* read-only */
#define VMCS_GUEST_CR0			0x6800
#define VMCS_GUEST_CR3			0x6802
#define VMCS_GUEST_CR4			0x6804
#define VMCS_GUEST_ES_BASE		0x6806
#define VMCS_GUEST_CS_BASE		0x6808
#define VMCS_GUEST_SS_BASE		0x680a
#define VMCS_GUEST_DS_BASE		0x680c
#define VMCS_GUEST_FS_BASE		0x680e
#define VMCS_GUEST_GS_BASE		0x6810
#define VMCS_GUEST_LDTR_BASE		0x6812
#define VMCS_GUEST_TR_BASE		0x6814
#define VMCS_GUEST_GDTR_BASE		0x6816
#define VMCS_GUEST_IDTR_BASE		0x6818
#define VMCS_GUEST_DR7			0x681a
#define VMCS_GUEST_RSP			0x681c
#define VMCS_GUEST_RIP			0x681e
#define VMCS_GUEST_RFLAGS		0x6820
#define VMCS_GUEST_PENDING_DBG		0x6822
#define VMCS_GUEST_SYSENTER_ESP		0x6824
#define VMCS_GUEST_SYSENTER_EIP		0x6826
#define VMCS_HOST_CR0			0x6c00
#define VMCS_HOST_CR3			0x6c02
#define VMCS_HOST_CR4			0x6c04
#define VMCS_HOST_FS_BASE		0x6c06
#define VMCS_HOST_GS_BASE		0x6c08
#define VMCS_HOST_TR_BASE		0x6c0a
#define VMCS_HOST_GDTR_BASE		0x6c0c
#define VMCS_HOST_IDTR_BASE		0x6c0e
#define VMCS_HOST_SYSENTER_ESP		0x6c10
#define VMCS_HOST_SYSENTER_EIP		0x6c12
#define VMCS_HOST_RSP			0x6c14
#define VMCS_HOST_RIP			0x6c16

/* Field-encoding layout (SDM §25.11.2). */
#define VMCS_ENC_HIGH			0x0001u
#define VMCS_ENC_TYPE_SHIFT		10
#define VMCS_ENC_WIDTH_SHIFT		13
#define VMCS_ENC_RESERVED		0xffff9000u	/* bits 31:15 and 12 */

enum vmcs_width {
	VMCS_WIDTH_16 = 0,
	VMCS_WIDTH_64 = 1,
	VMCS_WIDTH_32 = 2,
	VMCS_WIDTH_NATURAL = 3,
};

enum vmcs_type {
	VMCS_TYPE_CONTROL = 0,
	VMCS_TYPE_EXIT_INFO = 1,	/* read-only */
	VMCS_TYPE_GUEST = 2,
	VMCS_TYPE_HOST = 3,
};

/* ---- capability and related MSRs (SDM appendix A) ---- */
#define MSR_IA32_FEATURE_CONTROL	0x0000003a
#define FEATURE_CONTROL_LOCK		(1ull << 0)
#define FEATURE_CONTROL_VMXON_SMX	(1ull << 1)
#define FEATURE_CONTROL_VMXON		(1ull << 2)	/* outside SMX */
#define MSR_IA32_DEBUGCTL		0x000001d9
#define MSR_VMX_BASIC			0x00000480
#define MSR_VMX_PINBASED_CTLS		0x00000481
#define MSR_VMX_PROCBASED_CTLS		0x00000482
#define MSR_VMX_EXIT_CTLS		0x00000483
#define MSR_VMX_ENTRY_CTLS		0x00000484
#define MSR_VMX_MISC			0x00000485
#define MSR_VMX_CR0_FIXED0		0x00000486
#define MSR_VMX_CR0_FIXED1		0x00000487
#define MSR_VMX_CR4_FIXED0		0x00000488
#define MSR_VMX_CR4_FIXED1		0x00000489
#define MSR_VMX_VMCS_ENUM		0x0000048a
#define MSR_VMX_PROCBASED_CTLS2		0x0000048b
#define MSR_VMX_EPT_VPID_CAP		0x0000048c
#define MSR_VMX_TRUE_PINBASED_CTLS	0x0000048d
#define MSR_VMX_TRUE_PROCBASED_CTLS	0x0000048e
#define MSR_VMX_TRUE_EXIT_CTLS		0x0000048f
#define MSR_VMX_TRUE_ENTRY_CTLS		0x00000490
#define MSR_VMX_VMFUNC			0x00000491
#define MSR_VMX_FIRST			MSR_VMX_BASIC
#define MSR_VMX_LAST			0x00000493	/* PROCBASED_CTLS3, EXIT_CTLS2 */

#define VMX_BASIC_REVISION_MASK		0x7fffffffull
#define VMX_BASIC_TRUE_CTLS		(1ull << 55)
#define VMX_MISC_PREEMPT_SHIFT_MASK	0x1full	/* timer = TSC >> this */

#define EPT_CAP_WALK4			(1ull << 6)
#define EPT_CAP_UC			(1ull << 8)
#define EPT_CAP_WB			(1ull << 14)
#define EPT_CAP_2M			(1ull << 16)
#define EPT_CAP_1G			(1ull << 17)
#define EPT_CAP_INVEPT			(1ull << 20)
#define EPT_CAP_AD			(1ull << 21)
#define EPT_CAP_INVEPT_SINGLE		(1ull << 25)
#define EPT_CAP_INVEPT_ALL		(1ull << 26)
#define VPID_CAP_INVVPID		(1ull << 32)
#define VPID_CAP_INVVPID_SINGLE		(1ull << 41)
#define VPID_CAP_INVVPID_ALL		(1ull << 42)

/* EPTP (SDM §25.6.11): memory type in bits 2:0, walk length - 1 in 5:3. */
#define EPTP_MT_WB			6ull
#define EPTP_WALK4			(3ull << 3)

/* ---- pin-based controls ---- */
#define PIN_EXT_INTR_EXIT		(1u << 0)
#define PIN_NMI_EXIT			(1u << 3)
#define PIN_VIRTUAL_NMI			(1u << 5)
#define PIN_PREEMPT_TIMER		(1u << 6)

/* ---- primary processor-based controls ---- */
#define PROC_TSC_OFFSET			(1u << 3)
#define PROC_HLT_EXIT			(1u << 7)
#define PROC_INVLPG_EXIT		(1u << 9)
#define PROC_CR3_LOAD_EXIT		(1u << 15)
#define PROC_CR3_STORE_EXIT		(1u << 16)
#define PROC_USE_IO_BITMAPS		(1u << 25)
#define PROC_USE_MSR_BITMAPS		(1u << 28)
#define PROC_SECONDARY			(1u << 31)

/* ---- secondary processor-based controls ---- */
#define PROC2_EPT			(1u << 1)
#define PROC2_RDTSCP			(1u << 3)
#define PROC2_VPID			(1u << 5)
#define PROC2_UNRESTRICTED		(1u << 7)
#define PROC2_INVPCID			(1u << 12)
#define PROC2_XSAVES			(1u << 20)

/* ---- VM-exit controls ---- */
#define EXIT_SAVE_DEBUG			(1u << 2)
#define EXIT_HOST_64			(1u << 9)
#define EXIT_SAVE_PAT			(1u << 18)
#define EXIT_LOAD_PAT			(1u << 19)
#define EXIT_SAVE_EFER			(1u << 20)
#define EXIT_LOAD_EFER			(1u << 21)

/* ---- VM-entry controls ---- */
#define ENTRY_LOAD_DEBUG		(1u << 2)
#define ENTRY_GUEST_64			(1u << 9)
#define ENTRY_LOAD_PAT			(1u << 14)
#define ENTRY_LOAD_EFER			(1u << 15)

/* ---- event injection / exit interruption info (SDM §25.8.3) ---- */
#define INTR_INFO_VALID			(1u << 31)
#define INTR_INFO_ERR			(1u << 11)
#define INTR_TYPE_SHIFT			8
#define INTR_TYPE_EXT			(0u << INTR_TYPE_SHIFT)
#define INTR_TYPE_NMI			(2u << INTR_TYPE_SHIFT)
#define INTR_TYPE_HW_EXC		(3u << INTR_TYPE_SHIFT)
#define INTR_TYPE_SW_INT		(4u << INTR_TYPE_SHIFT)
#define INTR_TYPE_PRIV_SW_EXC		(5u << INTR_TYPE_SHIFT)
#define INTR_TYPE_SW_EXC		(6u << INTR_TYPE_SHIFT)
#define INTR_TYPE_MASK			(7u << INTR_TYPE_SHIFT)

/* Guest interruptibility state (SDM §25.4.2). */
#define INTERRUPTIBILITY_STI		(1u << 0)
#define INTERRUPTIBILITY_MOV_SS		(1u << 1)

/* Segment access rights (SDM §25.4.1): descriptor bits 40-47, 52-55. */
#define VMX_AR_CODE64			0xa09b	/* P, S, exec/read, accessed, L, G */
#define VMX_AR_DATA			0xc093	/* P, S, read/write, accessed, D/B, G */
#define VMX_AR_TSS64_BUSY		0x008b
#define VMX_AR_UNUSABLE			0x10000

/* ---- basic exit reasons (SDM appendix C) ---- */
#define EXIT_REASON_EXCEPTION_NMI	0
#define EXIT_REASON_EXT_INTR		1
#define EXIT_REASON_TRIPLE_FAULT	2
#define EXIT_REASON_INIT		3
#define EXIT_REASON_SIPI		4
#define EXIT_REASON_INTR_WINDOW		7
#define EXIT_REASON_TASK_SWITCH		9
#define EXIT_REASON_CPUID		10
#define EXIT_REASON_GETSEC		11
#define EXIT_REASON_HLT			12
#define EXIT_REASON_INVD		13
#define EXIT_REASON_VMCALL		18
#define EXIT_REASON_VMCLEAR		19
#define EXIT_REASON_VMLAUNCH		20
#define EXIT_REASON_VMPTRLD		21
#define EXIT_REASON_VMPTRST		22
#define EXIT_REASON_VMREAD		23
#define EXIT_REASON_VMRESUME		24
#define EXIT_REASON_VMWRITE		25
#define EXIT_REASON_VMXOFF		26
#define EXIT_REASON_VMXON		27
#define EXIT_REASON_CR_ACCESS		28
#define EXIT_REASON_IO			30
#define EXIT_REASON_RDMSR		31
#define EXIT_REASON_WRMSR		32
#define EXIT_REASON_BAD_GUEST_STATE	33
#define EXIT_REASON_MSR_LOADING		34
#define EXIT_REASON_MCE_DURING_ENTRY	41
#define EXIT_REASON_EPT_VIOLATION	48
#define EXIT_REASON_EPT_MISCONFIG	49
#define EXIT_REASON_PREEMPT_TIMER	52
#define EXIT_REASON_INVEPT		50
#define EXIT_REASON_INVVPID		53
#define EXIT_REASON_XSETBV		55
#define EXIT_REASON_VMFUNC		59
#define EXIT_REASON_ENTRY_FAILED	(1u << 31)

/* I/O exit qualification (SDM table 28-5). */
#define IO_QUAL_SIZE_MASK		0x7u	/* size - 1 */
#define IO_QUAL_IN			(1u << 3)
#define IO_QUAL_STRING			(1u << 4)
#define IO_QUAL_REP			(1u << 5)
#define IO_QUAL_PORT_SHIFT		16

/* Control-register access qualification (SDM table 28-3). */
#define CR_QUAL_NR(q)			((q) & 0xf)
#define CR_QUAL_TYPE(q)			(((q) >> 4) & 3)	/* 0 mov to, 1 mov from */
#define CR_QUAL_GPR(q)			(((q) >> 8) & 0xf)

/* EPT violation qualification (SDM table 28-7). */
#define EPT_QUAL_READ			(1u << 0)
#define EPT_QUAL_WRITE			(1u << 1)
#define EPT_QUAL_FETCH			(1u << 2)

#endif /* MKHV_VMX_VMCS_H */
