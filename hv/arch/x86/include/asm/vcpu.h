/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 vCPU and partition state, and the vcpu_vendor_* interface that
 * svm/ and vmx/ implement.  One hv image serves both vendors: each backend
 * fills a struct vcpu_vendor_ops, vendor.c picks one from CPUID once at
 * boot (NOVA style), and the vcpu_vendor_* inline wrappers below keep the
 * callers unaware of it (no #ifdef, no vendor test at the call sites).
 */
#ifndef MKHV_ASM_VCPU_H
#define MKHV_ASM_VCPU_H

#include <mkhv/npt.h>
#include <mkhv/partition.h>
#include <asm/pool.h>
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
	void *vmcb;			/* SVM: VMCB; VMX: VMCS */
	u64 vmcb_pa;
	bool launched;			/* VMX: VMLAUNCH done, VMRESUME next */
	u64 tsc_adjust;			/* virtual IA32_TSC_ADJUST */
	u32 tsc_aux;			/* child: its TSC_AUX (RDTSCP, RDPID) */
	/* SVM child: x87/SSE/AVX state and XCR0 while another VP runs. */
	u8 *fpu;
	u32 fpu_pages;
	u64 xcr0;
	u64 exits;			/* statistics */
};

static inline struct part_x86 *part_x86(struct hv_partition *p)
{
	return p->arch;
}

struct hv_register_value;

/**
 * struct vcpu_vendor_ops - one virtualization backend (svm/, vmx/).
 * @name: "svm" or "vmx", for the log
 * @check: can this CPU run mkhv?  Prints the reason if not.
 *         Return: 0 if it can, -ENODEV otherwise.
 * @cpu_enable: turn virtualization on for the calling pCPU (SVM:
 *         EFER.SVME and the host save area; VMX: VMXON).
 *         Return: 0 or -ENOMEM/-ENODEV.
 * @create: allocate and set up v's control structure (VMCB/VMCS) for a
 *         vCPU of v->vp->part with its intercepts, on the pCPU that will
 *         run it.  Return: 0 or -ENOMEM.
 * @set_boot_state: registers for a 64-bit Linux entry.
 * @run: run v on the calling pCPU forever, handling its exits.  Never
 *         returns (a fatal exit stops or resets the machine).
 * @npt_format: the nested page-table format of this CPU.
 * @hypercall_insn: the hypercall page's code: the call instruction plus
 *         RET (VMMCALL 0f 01 d9 / VMCALL 0f 01 c1, then c3).
 *
 * Child partitions (the VP is not running whenever these are called, but
 * possibly from another pCPU than the one that runs it):
 * @destroy: free what @create allocated.
 * @reset: architectural INIT state (real mode, F000:FFF0).
 * @get_reg/@set_reg: one TLFS register (HV_X64_REGISTER_*).  Return: 0,
 *         or -EINVAL for an unknown name or a value with reserved bits set
 *         that VMRUN/VM entry would refuse.
 * @tsc_offset: guest TSC minus host TSC.
 * @flush_tlb: flush the VP's guest TLB (its nested mappings changed)
 *         before its next entry.
 * @run_child: run the VP on this pool pCPU until an exit needs the
 *         scheduler or the parent, or the TSC passes @slice_end.
 *
 * Picked once by vcpu_vendor_select(); the hot path (exits) stays inside
 * one backend, so the only indirect calls are at set-up, per register
 * access and once per child run.
 */
struct vcpu_vendor_ops {
	const char *name;
	int (*check)(void);
	int (*cpu_enable)(struct pcpu *cpu);
	int (*create)(struct vcpu_x86 *v);
	void (*set_boot_state)(struct vcpu_x86 *v,
			       const struct x86_boot_state *s);
	__noreturn void (*run)(struct vcpu_x86 *v);
	enum npt_format npt_format;
	u8 hypercall_insn[4];

	void (*destroy)(struct vcpu_x86 *v);
	void (*reset)(struct vcpu_x86 *v);
	int (*get_reg)(struct vcpu_x86 *v, u32 name,
		       struct hv_register_value *val);
	int (*set_reg)(struct vcpu_x86 *v, u32 name,
		       const struct hv_register_value *val);
	u64 (*tsc_offset)(struct vcpu_x86 *v);
	void (*flush_tlb)(struct vcpu_x86 *v);
	enum run_result (*run_child)(struct vcpu_x86 *v, u64 slice_end);
};

extern const struct vcpu_vendor_ops svm_vendor_ops;
extern const struct vcpu_vendor_ops vmx_vendor_ops;
extern const struct vcpu_vendor_ops *vcpu_vendor;

/**
 * vcpu_vendor_select() - choose the backend from CPUID: VMX when
 * CPUID.1:ECX.VMX is set, else SVM (whose check then explains what is
 * missing).  Call once on the BSP before any other vcpu_vendor_*.
 */
void vcpu_vendor_select(void);

static inline int vcpu_vendor_check(void)
{
	return vcpu_vendor->check();
}

static inline int vcpu_vendor_cpu_enable(struct pcpu *cpu)
{
	return vcpu_vendor->cpu_enable(cpu);
}

static inline int vcpu_vendor_create(struct vcpu_x86 *v)
{
	return vcpu_vendor->create(v);
}

static inline void vcpu_vendor_set_boot_state(struct vcpu_x86 *v,
					      const struct x86_boot_state *s)
{
	vcpu_vendor->set_boot_state(v, s);
}

static inline __noreturn void vcpu_vendor_run(struct vcpu_x86 *v)
{
	vcpu_vendor->run(v);
}

static inline enum npt_format vcpu_vendor_npt_format(void)
{
	return vcpu_vendor->npt_format;
}

static inline void vcpu_vendor_destroy(struct vcpu_x86 *v)
{
	vcpu_vendor->destroy(v);
}

static inline void vcpu_vendor_reset(struct vcpu_x86 *v)
{
	vcpu_vendor->reset(v);
}

static inline int vcpu_vendor_get_reg(struct vcpu_x86 *v, u32 name,
				      struct hv_register_value *val)
{
	return vcpu_vendor->get_reg(v, name, val);
}

static inline int vcpu_vendor_set_reg(struct vcpu_x86 *v, u32 name,
				      const struct hv_register_value *val)
{
	return vcpu_vendor->set_reg(v, name, val);
}

static inline u64 vcpu_vendor_tsc_offset(struct vcpu_x86 *v)
{
	return vcpu_vendor->tsc_offset(v);
}

static inline void vcpu_vendor_flush_tlb(struct vcpu_x86 *v)
{
	vcpu_vendor->flush_tlb(v);
}

/**
 * vcpu_vendor_run_child() - run child VP @v on this pool pCPU until an
 * exit needs the scheduler or the parent, or the TSC passes @slice_end.
 */
static inline enum run_result vcpu_vendor_run_child(struct vcpu_x86 *v,
						    u64 slice_end)
{
	return vcpu_vendor->run_child(v, slice_end);
}

/** vcpu_vendor_hypercall_insn() - the hypercall page code (4 bytes). */
static inline const u8 *vcpu_vendor_hypercall_insn(void)
{
	return vcpu_vendor->hypercall_insn;
}

/* msr.c: the shared part of an RDMSR/WRMSR exit. */
struct x86_msr_ops {
	int (*read)(struct vcpu_x86 *v, u32 msr, u64 *val);
	int (*write)(struct vcpu_x86 *v, u32 msr, u64 val);
};

/**
 * x86_msr_exit() - perform the guest's RDMSR/WRMSR (MSR in RCX, value in
 * EDX:*@rax) through @ops.  @rax is where the vendor keeps guest RAX.
 * Return: 0 (the caller skips the instruction) or -EINVAL (inject #GP).
 */
int x86_msr_exit(struct vcpu_x86 *v, bool write, u64 *rax,
		 const struct x86_msr_ops *ops);

/* parent.c */
extern const struct npt_allocator hv_npt_alloc;	/* hv heap, identity view */
__noreturn void parent_start(struct mkhv_bootinfo *bi);
bool parent_gpa_is_hv(u64 gpa);

#endif /* MKHV_ASM_VCPU_H */
