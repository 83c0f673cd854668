/* SPDX-License-Identifier: GPL-2.0 */
/* Private interface of the VMX backend (vmx.c, vmx_exit.c). */
#ifndef MKHV_VMX_VMX_H
#define MKHV_VMX_VMX_H

#include <mkhv/errno.h>
#include <mkhv/types.h>
#include <asm/vcpu.h>
#include "vmx_caps.h"

#define CPUID_1_ECX_VMX		BIT(5)
#define CPUID_1_ECX_XSAVE	BIT(26)
#define X86_CR4_VMXE		BIT(13)
#define X86_CR4_OSXSAVE		BIT(18)

/* Machine-wide VMX state, written on the BSP before the APs start. */
struct vmx_state {
	struct vmx_caps caps;
	struct vmx_ctls ctls;
	u64 xcr0_supported;	/* 0: no XSAVE */
	u8 *msr_bitmap;		/* shared by the parent's vCPUs */
	u8 *io_bitmap;		/* bitmaps A and B, contiguous */
	u32 vmwrite_errors;	/* failed VMWRITEs since the last check */
	u32 vmwrite_bad_field;
};

extern struct vmx_state vmx;

void vmx_vmwrite_failed(u32 field);

static inline u64 vmread(u32 field)
{
	u64 v;

	__asm__ volatile("vmread %1, %0" : "=r"(v) : "r"((u64)field) : "cc");
	return v;
}

static inline void vmwrite(u32 field, u64 val)
{
	u8 fail;

	/* VMfailInvalid sets CF, VMfailValid sets ZF. */
	__asm__ volatile("vmwrite %1, %2\n\tsetna %0"
			 : "=q"(fail)
			 : "r"(val), "r"((u64)field)
			 : "cc", "memory");
	if (unlikely(fail))
		vmx_vmwrite_failed(field);
}

/* VMXON/VMCLEAR/VMPTRLD with a physical-address operand: 0 or -EIO. */
#define vmx_insn_m64(insn, pa) ({					\
	u64 __pa = (pa);						\
	u8 __fail;							\
	__asm__ volatile(insn " %1\n\tsetna %0"				\
			 : "=q"(__fail) : "m"(__pa) : "cc", "memory");	\
	__fail ? -EIO : 0; })

static inline void write_cr0(u64 v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

/* vmx_asm.S */
int vmx_enter(struct guest_regs *regs, u32 launched);
extern const u8 vmx_exit_entry[];

/* vmx.c: guest CR0/CR4 with the read shadows the guest sees. */
u64 vmx_cr0_guest_fixed0(void);
void vmx_set_cr0(u64 val);
void vmx_set_cr4(u64 val);

/* vmx.c */
void *vmx_region(void);
void vmx_setup_host_state(struct pcpu *cpu);
int vmx_write_controls(struct vcpu_x86 *v, const struct vmx_ctls *k,
		       u32 entry, const u8 *msr_bitmap, const u8 *io_bitmap);

/* vmx_exit.c: the parent's exits, and the handlers children share. */
void vmx_handle_exit(struct vcpu_x86 *v);
void vmx_dump(struct vcpu_x86 *v, const char *why);
void vmx_skip(struct vcpu_x86 *v);
void vmx_inject_exc(u8 vector, bool has_err, u32 err);
void vmx_reinject_vectoring(void);
void vmx_cpuid_hide_missing(u32 leaf, u32 sub, struct cpuid_regs *r);
void vmx_cpuid_done(struct vcpu_x86 *v, const struct cpuid_regs *r);
void vmx_handle_vmcall(struct vcpu_x86 *v);
void vmx_handle_cr(struct vcpu_x86 *v);
void vmx_handle_xsetbv(struct vcpu_x86 *v);
void vmx_invept(void);

/* vmx_child.c: child VPs (struct vcpu_vendor_ops) */
struct hv_register_value;
int vmx_child_create(struct vcpu_x86 *v);
void vmx_child_destroy(struct vcpu_x86 *v);
void vmx_child_vcpu_reset(struct vcpu_x86 *v);
int vmx_child_get(struct vcpu_x86 *v, u32 name, struct hv_register_value *val);
int vmx_child_set(struct vcpu_x86 *v, u32 name,
		  const struct hv_register_value *val);
u64 vmx_child_tsc_offset(struct vcpu_x86 *v);
void vmx_child_flush_tlb(struct vcpu_x86 *v);
enum run_result vmx_run_child(struct vcpu_x86 *v, u64 slice_end);
/* A child's MOV to CR0: true if it raised #GP (nothing to skip). */
bool vmx_child_cr0(u64 val);

#endif /* MKHV_VMX_VMX_H */
