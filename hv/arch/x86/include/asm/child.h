/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vendor-neutral half of running a child VP (child_platform.c): its
 * CPUID and emulated MSRs, unclaimed ports, intercept messages.  The
 * backends (svm/svm_child.c, vmx/vmx_child.c) keep what lives in their
 * control block.
 */
#ifndef MKHV_ASM_CHILD_H
#define MKHV_ASM_CHILD_H

#include <mkhv/child.h>
#include <asm/pool.h>
#include <asm/vcpu.h>

/**
 * x86_child_cpuid() - the child's CPUID @leaf/@sub (DESIGN §7); @guest_cr4
 * is the CR4 the child sees (CPUID.1:ECX.OSXSAVE reflects it).
 */
void x86_child_cpuid(struct vcpu_x86 *v, u32 leaf, u32 sub, u64 guest_cr4,
		     struct cpuid_regs *r);

/**
 * x86_child_rdmsr() / x86_child_wrmsr() - the MSRs the hv emulates for
 * every child: synthetic, x2APIC, TSC (read; @tsc_offset is guest minus
 * host), TSC_AUX, APIC_BASE and the benign ones.  The caller handles EFER,
 * PAT and TSC writes first.  Return: 0, or -EINVAL (#GP).
 */
int x86_child_rdmsr(struct vcpu_x86 *v, u32 msr, u64 tsc_offset, u64 *val);
int x86_child_wrmsr(struct vcpu_x86 *v, u32 msr, u64 val, u64 tsc_offset);

/** x86_pat_valid() - every PAT entry a valid memory type (0, 1, 4-7). */
bool x86_pat_valid(u64 val);

/**
 * x86_child_io_unclaimed() - a port access nobody claimed (mkhv/intercept.h)
 * is an empty bus, answered in the hv: an IN reads all-ones into *@rax.
 * String and REP forms always go to the parent.
 * Return: true if answered (the caller moves RIP past the instruction).
 */
bool x86_child_io_unclaimed(struct vcpu_x86 *v, u16 port, u8 size, bool in,
			    bool str_or_rep, u64 *rax);

/* Guest state an intercept message header carries. */
struct x86_child_exit_state {
	u64 rip, rflags, rax;
	u8 cpl;
	bool long_mode;		/* EFER.LMA */
};

/** x86_child_msg_init() - zeroed message of @type with the common header. */
void x86_child_msg_init(struct vcpu_x86 *v, struct hv_intercept_message *m,
			u32 type, const struct x86_child_exit_state *s);

/** x86_child_msg_gprs() - the 16 GPRs in encoding order into @m. */
void x86_child_msg_gprs(struct vcpu_x86 *v, struct hv_intercept_message *m,
			u64 rax, u64 rsp);

/** x86_child_post() - @m to the parent; the VP waits.  Return: RUN_PARENT. */
enum run_result x86_child_post(struct vcpu_x86 *v,
			       struct hv_intercept_message *m);

/** x86_child_dies() - post @m (a triple fault) and kill the VP: RUN_DEAD. */
enum run_result x86_child_dies(struct vcpu_x86 *v,
			       struct hv_intercept_message *m);

/*
 * The x87/SSE/AVX state of a child VP: neither VMX nor SVM switches it,
 * and the hv never touches it (-mgeneral-regs-only), so it only has to
 * move when a pool pCPU changes VPs.  XSAVE of every component the
 * current XCR0 enables (the VP's own XCR0 must be loaded), else FXSAVE.
 */
/** x86_fpu_area_size() - bytes of a VP's save area (64-byte aligned use). */
size_t x86_fpu_area_size(void);
/**
 * x86_fpu_alloc() / x86_fpu_free() - @v's save area (v->fpu, initialised
 * as after INIT, XCR0 1).  Return: 0 or -ENOMEM.
 */
int x86_fpu_alloc(struct vcpu_x86 *v);
void x86_fpu_free(struct vcpu_x86 *v);
/** x86_fpu_init() - the area of a VP after INIT (FCW 0x37f, MXCSR 0x1f80). */
void x86_fpu_init(void *area);
/*
 * x86_fpu_xcr0() / x86_fpu_set_xcr0() - this pCPU's XCR0 (0 / no-op
 * without XSAVE).  A VP's XCR0 must be loaded around its save/restore.
 */
u64 x86_fpu_xcr0(void);
void x86_fpu_set_xcr0(u64 xcr0);
/** x86_fpu_save() / x86_fpu_restore() - this pCPU's state to/from @area. */
void x86_fpu_save(void *area);
void x86_fpu_restore(const void *area);

#endif /* MKHV_ASM_CHILD_H */
