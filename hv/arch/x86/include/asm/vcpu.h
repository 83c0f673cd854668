/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 vCPU and partition state, and the vcpu_vendor_* interface that
 * svm/ (and later vmx/) implement under the same names.  The vendor is
 * chosen at link time; callers contain no #ifdef.
 */
#ifndef MKHV_ASM_VCPU_H
#define MKHV_ASM_VCPU_H

#include <mkhv/npt.h>
#include <mkhv/partition.h>
#include <asm/setup.h>

/*
 * Guest GPRs the hardware does not keep in the VMCB/VMCS, indexed by the
 * x86 register number (RSP's slot is unused: it lives in the VMCB).
 * Offsets are used by svm_asm.S.
 */
struct guest_regs {
	u64 rax, rcx, rdx, rbx, rsp_unused, rbp, rsi, rdi;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
};

/* Partition state the x86 code keeps (hv_partition.arch). */
struct part_x86 {
	struct npt npt;			/* guest-physical -> host-physical */
	u16 asid;			/* SVM ASID / VMX VPID */
	hpa_t void_page;		/* all-ones page hv ranges read as */
	u32 hv_access_logged;		/* denied accesses logged so far */
};

/* Where a vCPU starts: the 64-bit Linux boot protocol state. */
struct x86_boot_state {
	u64 rip, rsi, cr3;
	u64 gdt_base;
	u16 gdt_limit;
};

struct vcpu_x86 {
	struct guest_regs regs;		/* must stay first (svm_asm.S) */
	struct hv_vp *vp;
	struct pcpu *pcpu;
	void *vmcb;			/* SVM: VMCB */
	u64 vmcb_pa;
	u64 tsc_adjust;			/* virtual IA32_TSC_ADJUST */
	u64 exits;			/* statistics */
};

static inline struct part_x86 *part_x86(struct hv_partition *p)
{
	return p->arch;
}

/**
 * vcpu_vendor_check() - can this CPU run mkhv?  Prints the reason if not.
 * Return: 0 if it can, -ENODEV otherwise.
 */
int vcpu_vendor_check(void);

/**
 * vcpu_vendor_cpu_enable() - turn virtualization on for the calling pCPU
 * (SVM: EFER.SVME and the host save area).  Return: 0 or -ENOMEM/-ENODEV.
 */
int vcpu_vendor_cpu_enable(struct pcpu *cpu);

/**
 * vcpu_vendor_create() - allocate and set up @v's control structure for a
 * vCPU of @v->vp->part with its intercepts.  Return: 0 or -ENOMEM.
 */
int vcpu_vendor_create(struct vcpu_x86 *v);

/** vcpu_vendor_destroy() - free what vcpu_vendor_create() allocated. */
void vcpu_vendor_destroy(struct vcpu_x86 *v);

/** vcpu_vendor_reset() - architectural INIT state (real mode, F000:FFF0). */
void vcpu_vendor_reset(struct vcpu_x86 *v);

/**
 * vcpu_vendor_get_reg() / vcpu_vendor_set_reg() - one TLFS register
 * (HV_X64_REGISTER_*) of a vCPU that is not running.
 * Return: 0, or -EINVAL for an unknown name or a value with reserved bits
 * set that VMRUN/VMENTRY would refuse.
 */
struct hv_register_value;
int vcpu_vendor_get_reg(struct vcpu_x86 *v, u32 name,
			struct hv_register_value *val);
int vcpu_vendor_set_reg(struct vcpu_x86 *v, u32 name,
			const struct hv_register_value *val);

/** vcpu_vendor_flush_tlb() - flush @v's guest TLB before its next entry. */
void vcpu_vendor_flush_tlb(struct vcpu_x86 *v);

/** vcpu_vendor_set_boot_state() - registers for a 64-bit Linux entry. */
void vcpu_vendor_set_boot_state(struct vcpu_x86 *v,
				const struct x86_boot_state *s);

/**
 * vcpu_vendor_run() - run @v on the calling pCPU forever, handling its
 * exits.  Never returns (a fatal exit stops or resets the machine).
 */
__noreturn void vcpu_vendor_run(struct vcpu_x86 *v);

/** vcpu_vendor_npt_format() - the nested page-table format of this CPU. */
enum npt_format vcpu_vendor_npt_format(void);

/* parent.c */
__noreturn void parent_start(struct mkhv_bootinfo *bi);
bool parent_gpa_is_hv(u64 gpa);

#endif /* MKHV_ASM_VCPU_H */
