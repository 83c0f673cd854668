// SPDX-License-Identifier: GPL-2.0
/*
 * VMX exit handling for the parent partition: the same policy as
 * svm/svm.c (CPUID and synthetic MSRs through hyperv.c, hypercalls,
 * hv memory denied, the hv's UART hidden), plus what VMX makes exit
 * unconditionally (XSETBV, INVD, the VMX instructions, CR writes that
 * touch the fixed CR0/CR4 bits).  Instruction lengths come from the VMCS
 * (VM-exit instruction length), which VMX always provides for these exits.
 */
#include <mkhv/errno.h>
#include <mkhv/hypercall.h>
#include <mkhv/lib.h>
#include <mkhv/printk.h>
#include <asm/vcpu.h>
#include <asm/x86.h>
#include "vmx.h"

void vmx_skip(struct vcpu_x86 *v)
{
	u64 intr = vmread(VMCS_GUEST_INTERRUPTIBILITY);

	vmwrite(VMCS_GUEST_RIP, vmread(VMCS_GUEST_RIP) +
				vmread(VMCS_EXIT_INSN_LEN));
	/* The STI / MOV SS shadow ends with the emulated instruction. */
	if (intr & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS))
		vmwrite(VMCS_GUEST_INTERRUPTIBILITY,
			intr & ~(u64)(INTERRUPTIBILITY_STI |
				      INTERRUPTIBILITY_MOV_SS));
	(void)v;
}

void vmx_inject_exc(u8 vector, bool has_err, u32 err)
{
	vmwrite(VMCS_ENTRY_INTR_INFO, vector | INTR_TYPE_HW_EXC |
		INTR_INFO_VALID | (has_err ? INTR_INFO_ERR : 0));
	if (has_err)
		vmwrite(VMCS_ENTRY_EXC_ERR, err);
}

/*
 * An exit in the middle of delivering an event (IDT-vectoring info
 * valid, e.g. an EPT violation on the guest's stack) must not lose the
 * event: hand it back to the next entry.  A handler that injects its own
 * exception overwrites it, as the CPU would turn the pair into #DF
 * rarely enough not to matter for the parent.
 */
void vmx_reinject_vectoring(void)
{
	u32 info = (u32)vmread(VMCS_IDT_VECTORING_INFO);
	u32 type = info & INTR_TYPE_MASK;

	if (!(info & INTR_INFO_VALID))
		return;
	vmwrite(VMCS_ENTRY_INTR_INFO, info & ~(u32)(1u << 12));
	if (info & INTR_INFO_ERR)
		vmwrite(VMCS_ENTRY_EXC_ERR, vmread(VMCS_IDT_VECTORING_ERR));
	if (type == INTR_TYPE_SW_INT || type == INTR_TYPE_PRIV_SW_EXC ||
	    type == INTR_TYPE_SW_EXC)
		vmwrite(VMCS_ENTRY_INSN_LEN, vmread(VMCS_EXIT_INSN_LEN));
}

/* Instructions this CPU cannot let a guest execute (they would #UD). */
void vmx_cpuid_hide_missing(u32 leaf, u32 sub, struct cpuid_regs *r)
{
	u32 missing = vmx.ctls.missing_proc2;

	if (leaf == 7 && sub == 0 && (missing & PROC2_INVPCID))
		r->ebx &= ~BIT(10);
	else if (leaf == 0xd && sub == 1 && (missing & PROC2_XSAVES))
		r->eax &= ~BIT(3);
	else if (leaf == 0x80000001 && (missing & PROC2_RDTSCP))
		r->edx &= ~BIT(27);
}

/* The CPUID result into the guest's registers; past the instruction. */
void vmx_cpuid_done(struct vcpu_x86 *v, const struct cpuid_regs *r)
{
	v->regs.rax = r->eax;
	v->regs.rbx = r->ebx;
	v->regs.rcx = r->ecx;
	v->regs.rdx = r->edx;
	vmx_skip(v);
}

static void handle_cpuid(struct vcpu_x86 *v)
{
	u32 leaf = (u32)v->regs.rax, sub = (u32)v->regs.rcx;
	struct cpuid_regs r;

	if (!hyperv_cpuid(v->vp, leaf, &r)) {
		cpuid_count(leaf, sub, &r);
		hyperv_cpuid_fixup(v->vp, leaf, &r);
		/* No VMX for the parent (it cannot nest). */
		if (leaf == 1)
			r.ecx &= ~CPUID_1_ECX_VMX;
		vmx_cpuid_hide_missing(leaf, sub, &r);
	}
	vmx_cpuid_done(v, &r);
}

static bool has_tsc_adjust(void)
{
	struct cpuid_regs r;

	cpuid_count(7, 0, &r);
	return r.ebx & BIT(1);
}

/* MSRs the hv emulates for the parent; -EINVAL means #GP. */
static int msr_read(struct vcpu_x86 *v, u32 msr, u64 *val)
{
	if (hyperv_msr_is_synthetic(msr))
		return hyperv_msr_read(v->vp, msr, val);
	switch (msr) {
	case MSR_IA32_FEATURE_CONTROL:
		*val = FEATURE_CONTROL_LOCK;	/* locked, VMXON off */
		return 0;
	case MSR_TSC_ADJUST:
		if (!has_tsc_adjust())
			return -EINVAL;
		*val = v->tsc_adjust;
		return 0;
	default:
		return -EINVAL;	/* VMX capability MSRs, unknown MSRs */
	}
}

static int msr_write(struct vcpu_x86 *v, u32 msr, u64 val)
{
	if (hyperv_msr_is_synthetic(msr))
		return hyperv_msr_write(v->vp, msr, val);
	switch (msr) {
	case MSR_TSC:
		vmwrite(VMCS_TSC_OFFSET, val - rdtsc());
		return 0;
	case MSR_TSC_ADJUST:
		if (!has_tsc_adjust())
			return -EINVAL;
		/* SDM 17.17.3: writing the adjust moves the TSC by the delta. */
		vmwrite(VMCS_TSC_OFFSET, vmread(VMCS_TSC_OFFSET) + val -
					 v->tsc_adjust);
		v->tsc_adjust = val;
		return 0;
	default:
		return -EINVAL;	/* feature control is locked, VMX MSRs #GP */
	}
}

static const struct x86_msr_ops vmx_msr_ops = {
	.read = msr_read,
	.write = msr_write,
};

static void handle_msr(struct vcpu_x86 *v, bool write)
{
	if (x86_msr_exit(v, write, &v->regs.rax, &vmx_msr_ops))
		vmx_inject_exc(X86_EXC_GP, true, 0);
	else
		vmx_skip(v);
}

void vmx_handle_vmcall(struct vcpu_x86 *v)
{
	unsigned int cpl = (vmread(VMCS_GUEST_SS_AR) >> 5) & 3;
	u64 rax;

	/* TLFS §3.2: a hypercall from CPL > 0 raises #UD. */
	if (hypercall_handle(v->vp, cpl, v->regs.rcx, v->regs.rdx,
			     v->regs.r8, &rax)) {
		vmx_inject_exc(X86_EXC_UD, false, 0);
		return;
	}
	v->regs.rax = rax;
	vmx_skip(v);
}

/* The hv's console UART is hidden: reads all-ones, writes dropped. */
static void handle_io(struct vcpu_x86 *v)
{
	u64 q = vmread(VMCS_EXIT_QUALIFICATION);
	u32 size = (u32)(q & IO_QUAL_SIZE_MASK) + 1;

	if (q & IO_QUAL_STRING) {
		if (q & IO_QUAL_REP)
			v->regs.rcx = 0;
	} else if (q & IO_QUAL_IN) {
		v->regs.rax |= size == 1 ? 0xff : size == 2 ? 0xffff :
			       0xffffffff;
	}
	vmx_skip(v);
}

void vmx_invept(void)
{
	struct {
		u64 eptp, reserved;
	} desc = { vmread(VMCS_EPT_POINTER), 0 };
	u64 type = vmx.ctls.invept_single ? 1 : 2;

	__asm__ volatile("invept %0, %1" : : "m"(desc), "r"(type)
			 : "cc", "memory");
}

/*
 * An EPT violation can only mean an access to what the parent has no
 * mapping for: hv memory.  Same policy as SVM's nested page faults: a
 * read maps the page read-only to a page of 0xff, a write raises #GP, and
 * the first accesses are logged so an isolation probe leaves a trace.
 */
static void handle_ept_violation(struct vcpu_x86 *v)
{
	struct part_x86 *px = part_x86(v->vp->part);
	u64 gpa = vmread(VMCS_GUEST_PHYS_ADDR);
	u64 q = vmread(VMCS_EXIT_QUALIFICATION);
	bool write = q & EPT_QUAL_WRITE;

	if (!parent_gpa_is_hv(gpa)) {
		pr_err("vp%u: EPT violation at GPA %llx (qualification %llx) "
		       "outside hv memory\n", v->vp->hv.vp_index,
		       (unsigned long long)gpa, (unsigned long long)q);
		vmx_inject_exc(X86_EXC_GP, true, 0);
		return;
	}
	if (px->hv_access_logged++ < 64)
		pr_warn("isolation: parent %s of hv memory at GPA %llx "
			"(rip %llx) denied\n", write ? "write" : "read",
			(unsigned long long)gpa,
			(unsigned long long)vmread(VMCS_GUEST_RIP));
	if (write || npt_map(&px->npt, gpa & PAGE_MASK, px->void_page,
			     PAGE_SIZE, NPT_R, NPT_MT_WB)) {
		vmx_inject_exc(X86_EXC_GP, true, 0);
		return;
	}
	vmx_invept();
}

static u64 *gpr(struct vcpu_x86 *v, unsigned int n)
{
	return &((u64 *)&v->regs)[n];	/* x86 register-number order */
}

static u64 read_gpr(struct vcpu_x86 *v, unsigned int n)
{
	return n == 4 ? vmread(VMCS_GUEST_RSP) : *gpr(v, n);
}

/*
 * MOV to CR0/CR4 exits only when it changes a bit the hv owns (the VMX
 * fixed bits: CR0.NE, CR4.VMXE); MOV to/from CR3 only when the CPU has
 * no TRUE controls to turn CR3 exiting off.
 */
void vmx_handle_cr(struct vcpu_x86 *v)
{
	u64 q = vmread(VMCS_EXIT_QUALIFICATION), val;
	unsigned int cr = CR_QUAL_NR(q), reg = CR_QUAL_GPR(q);

	if (CR_QUAL_TYPE(q) == 1 && cr == 3) {
		val = vmread(VMCS_GUEST_CR3);
		if (reg == 4)
			vmwrite(VMCS_GUEST_RSP, val);
		else
			*gpr(v, reg) = val;
		vmx_skip(v);
		return;
	}
	if (CR_QUAL_TYPE(q) != 0) {
		vmx_dump(v, "unexpected CR access");
		panic("CLTS/LMSW exit with no CR0 bit intercepted for them");
	}
	val = read_gpr(v, reg);
	switch (cr) {
	case 0:
		if (!v->vp->part->is_parent) {
			if (vmx_child_cr0(val))
				return;
			break;
		}
		/* Clearing NE, or PG changes: not from a 64-bit Linux. */
		if ((val ^ vmread(VMCS_CR0_SHADOW)) & X86_CR0_PG) {
			vmx_inject_exc(X86_EXC_GP, true, 0);
			return;
		}
		vmx_set_cr0(val);
		break;
	case 3:
		vmwrite(VMCS_GUEST_CR3, val);
		break;
	case 4:
		/*
		 * VMXE is not offered to partitions; reserved bits #GP, and
		 * so does clearing PAE in long mode.
		 */
		if ((val & (X86_CR4_VMXE | ~vmx.caps.cr4_fixed1)) ||
		    (!(val & X86_CR4_PAE) &&
		     (vmread(VMCS_GUEST_EFER) & EFER_LMA))) {
			vmx_inject_exc(X86_EXC_GP, true, 0);
			return;
		}
		vmx_set_cr4(val);
		break;
	default:
		vmx_dump(v, "CR access to an unknown CR");
		panic("unexpected CR%u exit", cr);
	}
	vmx_skip(v);
}

void vmx_handle_xsetbv(struct vcpu_x86 *v)
{
	u64 val = (v->regs.rax & 0xffffffff) | (v->regs.rdx << 32);

	if ((u32)v->regs.rcx != 0 ||
	    vmx_xcr0_check(val, vmx.xcr0_supported)) {
		vmx_inject_exc(X86_EXC_GP, true, 0);
		return;
	}
	/* XCR0 is not in the VMCS: the hv (no XSAVE use) runs with it too. */
	__asm__ volatile("xsetbv"
			 : : "c"(0), "a"((u32)val), "d"((u32)(val >> 32)));
	vmx_skip(v);
}

void vmx_dump(struct vcpu_x86 *v, const char *why)
{
	pr_err("vp%u: %s: exit reason %llx qualification %llx gpa %llx "
	       "insn error %llu\n", v->vp->hv.vp_index, why,
	       (unsigned long long)vmread(VMCS_EXIT_REASON),
	       (unsigned long long)vmread(VMCS_EXIT_QUALIFICATION),
	       (unsigned long long)vmread(VMCS_GUEST_PHYS_ADDR),
	       (unsigned long long)vmread(VMCS_INSN_ERROR));
	pr_err("  intr info %llx idt vectoring %llx entry intr %llx "
	       "interruptibility %llx activity %llx\n",
	       (unsigned long long)vmread(VMCS_EXIT_INTR_INFO),
	       (unsigned long long)vmread(VMCS_IDT_VECTORING_INFO),
	       (unsigned long long)vmread(VMCS_ENTRY_INTR_INFO),
	       (unsigned long long)vmread(VMCS_GUEST_INTERRUPTIBILITY),
	       (unsigned long long)vmread(VMCS_GUEST_ACTIVITY));
	pr_err("  rip %016llx rsp %016llx rflags %llx\n",
	       (unsigned long long)vmread(VMCS_GUEST_RIP),
	       (unsigned long long)vmread(VMCS_GUEST_RSP),
	       (unsigned long long)vmread(VMCS_GUEST_RFLAGS));
	pr_err("  cr0 %llx cr3 %llx cr4 %llx efer %llx (shadows %llx %llx)\n",
	       (unsigned long long)vmread(VMCS_GUEST_CR0),
	       (unsigned long long)vmread(VMCS_GUEST_CR3),
	       (unsigned long long)vmread(VMCS_GUEST_CR4),
	       (unsigned long long)vmread(VMCS_GUEST_EFER),
	       (unsigned long long)vmread(VMCS_CR0_SHADOW),
	       (unsigned long long)vmread(VMCS_CR4_SHADOW));
	pr_err("  cs %04llx/%llx/%llx ss %04llx/%llx tr %04llx/%llx "
	       "gdt %llx/%llx\n",
	       (unsigned long long)vmread(VMCS_GUEST_CS_SEL),
	       (unsigned long long)vmread(VMCS_GUEST_CS_AR),
	       (unsigned long long)vmread(VMCS_GUEST_CS_BASE),
	       (unsigned long long)vmread(VMCS_GUEST_SS_SEL),
	       (unsigned long long)vmread(VMCS_GUEST_SS_AR),
	       (unsigned long long)vmread(VMCS_GUEST_TR_SEL),
	       (unsigned long long)vmread(VMCS_GUEST_TR_AR),
	       (unsigned long long)vmread(VMCS_GUEST_GDTR_BASE),
	       (unsigned long long)vmread(VMCS_GUEST_GDTR_LIMIT));
	pr_err("  controls pin %llx proc %llx proc2 %llx exit %llx entry %llx "
	       "eptp %llx\n",
	       (unsigned long long)vmread(VMCS_PIN_CTLS),
	       (unsigned long long)vmread(VMCS_PROC_CTLS),
	       (unsigned long long)vmread(VMCS_PROC_CTLS2),
	       (unsigned long long)vmread(VMCS_EXIT_CTLS),
	       (unsigned long long)vmread(VMCS_ENTRY_CTLS),
	       (unsigned long long)vmread(VMCS_EPT_POINTER));
	pr_err("  rax %016llx rbx %016llx rcx %016llx rdx %016llx\n",
	       (unsigned long long)v->regs.rax, (unsigned long long)v->regs.rbx,
	       (unsigned long long)v->regs.rcx, (unsigned long long)v->regs.rdx);
	pr_err("  rsi %016llx rdi %016llx rbp %016llx exits %llu\n",
	       (unsigned long long)v->regs.rsi, (unsigned long long)v->regs.rdi,
	       (unsigned long long)v->regs.rbp, (unsigned long long)v->exits);
}

void vmx_handle_exit(struct vcpu_x86 *v)
{
	u32 reason = (u32)vmread(VMCS_EXIT_REASON);

	if (reason & EXIT_REASON_ENTRY_FAILED) {
		vmx_dump(v, "VM entry refused the guest state");
		panic("invalid VMCS guest state (exit reason %u)",
		      reason & 0xffff);
	}
	vmx_reinject_vectoring();
	switch (reason & 0xffff) {
	case EXIT_REASON_CPUID:
		handle_cpuid(v);
		break;
	case EXIT_REASON_RDMSR:
	case EXIT_REASON_WRMSR:
		handle_msr(v, (reason & 0xffff) == EXIT_REASON_WRMSR);
		break;
	case EXIT_REASON_VMCALL:
		vmx_handle_vmcall(v);
		break;
	case EXIT_REASON_IO:
		handle_io(v);
		break;
	case EXIT_REASON_EPT_VIOLATION:
		handle_ept_violation(v);
		break;
	case EXIT_REASON_CR_ACCESS:
		vmx_handle_cr(v);
		break;
	case EXIT_REASON_XSETBV:
		vmx_handle_xsetbv(v);
		break;
	case EXIT_REASON_INVD:
		vmx_skip(v);	/* caches stay coherent: nothing to drop */
		break;
	case EXIT_REASON_GETSEC:
	case EXIT_REASON_VMCLEAR:
	case EXIT_REASON_VMLAUNCH:
	case EXIT_REASON_VMPTRLD:
	case EXIT_REASON_VMPTRST:
	case EXIT_REASON_VMREAD:
	case EXIT_REASON_VMRESUME:
	case EXIT_REASON_VMWRITE:
	case EXIT_REASON_VMXOFF:
	case EXIT_REASON_VMXON:
	case EXIT_REASON_INVEPT:
	case EXIT_REASON_INVVPID:
	case EXIT_REASON_VMFUNC:
		vmx_inject_exc(X86_EXC_UD, false, 0);	/* no nesting */
		break;
	case EXIT_REASON_TRIPLE_FAULT:
		vmx_dump(v, "the parent partition shut down (triple fault)");
		panic("parent partition died");
	case EXIT_REASON_INIT:
		vmx_dump(v, "INIT signal to the parent's CPU");
		panic("parent partition reset");
	case EXIT_REASON_EPT_MISCONFIG:
		vmx_dump(v, "EPT misconfiguration");
		panic("bad EPT entry for GPA %llx",
		      (unsigned long long)vmread(VMCS_GUEST_PHYS_ADDR));
	default:
		vmx_dump(v, "unexpected exit");
		panic("unexpected exit from the parent partition");
	}
}
