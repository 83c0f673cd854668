/* SPDX-License-Identifier: GPL-2.0 */
/* SVM backend internals shared by svm.c, svm_child.c and svm_regs.c. */
#ifndef MKHV_SVM_SVM_H
#define MKHV_SVM_SVM_H

#include <asm/vcpu.h>

extern bool has_nrips;		/* CPUID 8000000A EDX[3] */
extern u32 svm_nr_asids;	/* CPUID 8000000A EBX */

/* svm_asm.S: one world switch; guest GPRs in @regs. */
void svm_vmrun(u64 vmcb_pa, struct guest_regs *regs, u64 host_vmcb_pa);

/* Advance RIP past the exiting instruction (NRIP when the CPU has it). */
void svm_skip(struct vcpu_x86 *v, unsigned int len);

/* Queue exception @vector for the next VMRUN. */
void svm_inject_exc(struct vcpu_x86 *v, u8 vector, bool has_err, u32 err);

/*
 * A guest's WRMSR to EFER: SCE/LME/NXE plus the @extra bits it may set;
 * LMA stays the CPU's and SVME stays set.  Return: 0 or -EINVAL (#GP).
 */
int svm_efer_write(struct vcpu_x86 *v, u64 val, u64 extra);

/* Print the VMCB state on the hv console. */
void svm_dump_vmcb(struct vcpu_x86 *v, const char *why);

/* Child VPs (struct vcpu_vendor_ops): svm_regs.c and svm_child.c. */
struct hv_register_value;
void svm_vcpu_destroy(struct vcpu_x86 *v);
void svm_vcpu_reset(struct vcpu_x86 *v);
int svm_get_reg(struct vcpu_x86 *v, u32 name, struct hv_register_value *val);
int svm_set_reg(struct vcpu_x86 *v, u32 name,
		const struct hv_register_value *val);
u64 svm_tsc_offset(struct vcpu_x86 *v);
void svm_flush_tlb(struct vcpu_x86 *v);
enum run_result svm_run_child(struct vcpu_x86 *v, u64 slice_end);
/* A child VP's x87/SSE/AVX save area (SVM does not switch that state). */
void svm_child_fpu_free(struct vcpu_x86 *v);

#endif /* MKHV_SVM_SVM_H */
