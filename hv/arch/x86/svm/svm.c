// SPDX-License-Identifier: GPL-2.0
/*
 * AMD SVM backend: per-CPU enable, VMCB set-up and the run loop with the
 * exits the hv owns (CPUID, MSRs, VMMCALL, nested page faults on hv
 * memory, the hidden hv serial port, shutdown).  The parent partition
 * keeps physical interrupts, NMIs, HLT and its LAPIC: none of those exit.
 *
 * QEMU's TCG SVM has no NRIP save and no decode assists, so instruction
 * lengths are computed here when CPUID says NRIP is missing (DESIGN §3).
 */
#include <mkhv/errno.h>
#include <mkhv/hypercall.h>
#include <mkhv/lib.h>
#include <mkhv/mm.h>
#include <mkhv/printk.h>
#include <mkhv/string.h>
#include <asm/child.h>
#include <asm/vcpu.h>
#include <asm/x86.h>
#include "vmcb.h"
#include "svm.h"

#define SVM_FEAT_NPT	BIT(0)
#define SVM_FEAT_NRIPS	BIT(3)

/* Guest segment attributes (VMCB format: descriptor bits 40-47, 52-55). */
#define SEG_CODE64	0x0a9b	/* P, S, exec/read, accessed, L, G */
#define SEG_DATA	0x0c93	/* P, S, read/write, accessed, D/B, G */
#define SEG_TSS64_BUSY	0x008b
#define SEG_LDT		0x0082

bool has_nrips;
u32 svm_nr_asids;
static void *parent_msrpm;	/* shared by the parent's vCPUs */
static void *parent_iopm;
static void *child_msrpm;	/* shared by every child vCPU */
static void *child_iopm;

/*
 * MSRs a child reaches directly: state VMLOAD/VMSAVE or the VMCB swap on
 * every world switch, so the hv and other partitions never see the
 * child's values.  Everything else exits (synthetic MSRs, x2APIC, and all
 * host-wide MSRs, which the hv emulates or refuses with #GP).
 */
static const u32 child_passthrough_msrs[] = {
	0xc0000100, 0xc0000101, 0xc0000102,	/* FS/GS/KERNEL_GS base */
	0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084, /* STAR..SFMASK */
	0x174, 0x175, 0x176,			/* SYSENTER_CS/ESP/EIP */
};

static int svm_check(void)
{
	struct cpuid_regs r;

	cpuid_count(0x80000001, 0, &r);
	if (!(r.ecx & BIT(2))) {
		pr_err("this CPU has no AMD-V (SVM): mkhv cannot run here\n");
		return -ENODEV;
	}
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
		pr_err("AMD-V is disabled by the firmware (VM_CR.SVMDIS)\n");
		return -ENODEV;
	}
	cpuid_count(0x8000000a, 0, &r);
	if (!(r.edx & SVM_FEAT_NPT)) {
		pr_err("this CPU's AMD-V has no nested paging (NPT)\n");
		return -ENODEV;
	}
	has_nrips = r.edx & SVM_FEAT_NRIPS;
	svm_nr_asids = r.ebx;
	pr_info("svm: revision %u, %u ASIDs, NRIP save %s\n", r.eax & 0xff,
		r.ebx, has_nrips ? "yes" : "no (lengths computed)");
	return 0;
}

static int svm_cpu_enable(struct pcpu *cpu)
{
	void *hsave = mm_alloc_page(), *host = mm_alloc_page();

	if (!hsave || !host)
		return -ENOMEM;
	cpu->hsave_pa = (u64)(uintptr_t)hsave;
	cpu->host_vmcb_pa = (u64)(uintptr_t)host;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, cpu->hsave_pa);
	/*
	 * XSAVE/XSETBV for the hv: a pool pCPU switches its children's
	 * AVX state and XCR0 (svm_child.c), which FXSAVE would not cover.
	 */
	{
		struct cpuid_regs r;

		cpuid_count(1, 0, &r);
		if (r.ecx & BIT(26))		/* CPUID.1:ECX.XSAVE */
			write_cr4(read_cr4() | BIT(18));	/* CR4.OSXSAVE */
	}
	/* The hv runs with GIF clear: interrupts are the guest's business. */
	__asm__ volatile("clgi");
	return 0;
}

/*
 * MSR permission map: 2 bits per MSR (read, write) in three 2 KiB vectors.
 * Return: the bit offset of @msr's read bit, or -1 outside the map (such
 * MSRs always exit).
 */
static int msrpm_bit(u32 msr)
{
	u32 base, off;

	if (msr <= 0x1fff)
		base = 0, off = 0;
	else if (msr >= 0xc0000000 && msr <= 0xc0001fff)
		base = 0xc0000000, off = 0x800;
	else if (msr >= 0xc0010000 && msr <= 0xc0011fff)
		base = 0xc0010000, off = 0x1000;
	else
		return -1;
	return (int)(off * 8 + (msr - base) * 2);
}

static void msrpm_intercept(u8 *pm, u32 msr, bool rd, bool wr)
{
	int off = msrpm_bit(msr);

	if (off < 0)
		return;
	if (rd)
		pm[off / 8] |= (u8)(1u << (off % 8));
	if (wr)
		pm[(off + 1) / 8] |= (u8)(1u << ((off + 1) % 8));
}

static void msrpm_allow(u8 *pm, u32 msr)
{
	int off = msrpm_bit(msr);

	if (off >= 0)
		pm[off / 8] &= (u8)~(3u << (off % 8));
}

static int parent_maps(void)
{
	u16 port = serial_port();
	u8 *io;
	int i;

	if (parent_msrpm)
		return 0;
	parent_msrpm = mm_alloc_pages(2);
	parent_iopm = mm_alloc_pages(3);
	if (!parent_msrpm || !parent_iopm)
		return -ENOMEM;
	/* EFER hides SVME; the SVM MSRs belong to the hv. */
	msrpm_intercept(parent_msrpm, MSR_EFER, true, true);
	msrpm_intercept(parent_msrpm, MSR_VM_CR, true, true);
	msrpm_intercept(parent_msrpm, MSR_VM_HSAVE_PA, true, true);
	/*
	 * The TSC is the hv's clock too (reference time, delays): the
	 * parent's writes move only its own view, through the VMCB TSC
	 * offset, never the physical counter.
	 */
	msrpm_intercept(parent_msrpm, MSR_TSC, false, true);
	msrpm_intercept(parent_msrpm, MSR_TSC_ADJUST, true, true);
	/* The hv's console UART is not the parent's (reads as absent). */
	io = parent_iopm;
	for (i = 0; port && i < 8; i++)
		io[(port + i) / 8] |= (u8)(1u << ((port + i) % 8));
	return 0;
}

/* Children: every port exits, MSRs exit but for the passthrough list. */
static int child_maps(void)
{
	u32 i;

	if (child_msrpm)
		return 0;
	child_msrpm = mm_alloc_pages(2);
	child_iopm = mm_alloc_pages(3);
	if (!child_msrpm || !child_iopm)
		return -ENOMEM;
	memset(child_msrpm, 0xff, 2 * PAGE_SIZE);
	memset(child_iopm, 0xff, 3 * PAGE_SIZE);
	for (i = 0; i < ARRAY_SIZE(child_passthrough_msrs); i++)
		msrpm_allow(child_msrpm, child_passthrough_msrs[i]);
	return 0;
}

static int svm_create(struct vcpu_x86 *v)
{
	bool parent = v->vp->part->is_parent;
	struct part_x86 *px = part_x86(v->vp->part);
	struct vmcb *vmcb;

	if (parent ? parent_maps() : child_maps())
		return -ENOMEM;
	vmcb = mm_alloc_page();
	if (!vmcb)
		return -ENOMEM;
	if (!parent && x86_fpu_alloc(v)) {
		mm_free_page(vmcb);
		return -ENOMEM;
	}
	v->vmcb = vmcb;
	v->vmcb_pa = (u64)(uintptr_t)vmcb;
	vmcb->ctl.intercept1 = INTERCEPT1_CPUID | INTERCEPT1_MSR |
			       INTERCEPT1_IOIO | INTERCEPT1_SHUTDOWN;
	if (!parent)	/* the pool's interrupts and idle belong to the hv */
		vmcb->ctl.intercept1 |= INTERCEPT1_INTR | INTERCEPT1_NMI |
					INTERCEPT1_HLT | INTERCEPT1_INIT;
	vmcb->ctl.intercept2 = INTERCEPT2_VMRUN | INTERCEPT2_VMMCALL |
			       INTERCEPT2_VMLOAD | INTERCEPT2_VMSAVE |
			       INTERCEPT2_STGI | INTERCEPT2_CLGI |
			       INTERCEPT2_SKINIT;
	vmcb->ctl.msrpm_pa = (u64)(uintptr_t)(parent ? parent_msrpm : child_msrpm);
	vmcb->ctl.iopm_pa = (u64)(uintptr_t)(parent ? parent_iopm : child_iopm);
	if (!parent)	/* physical interrupts exit instead of reaching it */
		vmcb->ctl.vintr = 1ull << 24;	/* V_INTR_MASKING */
	vmcb->ctl.asid = px->asid;
	vmcb->ctl.tlb_ctl = 1;			/* flush this ASID on entry */
	vmcb->ctl.nested_ctl = 1;		/* NP_ENABLE */
	vmcb->ctl.nested_cr3 = npt_root(&px->npt);
	vmcb->save.g_pat = 0x0007040600070406ull;	/* power-on PAT */
	return 0;
}

static void set_seg(struct vmcb_seg *s, u16 sel, u16 attrib, u32 limit)
{
	s->sel = sel;
	s->attrib = attrib;
	s->limit = limit;
	s->base = 0;
}

static void svm_set_boot_state(struct vcpu_x86 *v,
			       const struct x86_boot_state *bs)
{
	struct vmcb_save *s = &((struct vmcb *)v->vmcb)->save;

	/* Linux 64-bit boot protocol: __BOOT_CS 0x10, __BOOT_DS 0x18. */
	set_seg(&s->cs, 0x10, SEG_CODE64, 0xffffffff);
	set_seg(&s->ds, 0x18, SEG_DATA, 0xffffffff);
	s->es = s->ss = s->fs = s->gs = s->ds;
	set_seg(&s->tr, 0, SEG_TSS64_BUSY, 0x67);
	set_seg(&s->ldtr, 0, SEG_LDT, 0xffff);
	s->gdtr.base = bs->gdt_base;
	s->gdtr.limit = bs->gdt_limit;
	s->idtr.limit = 0xffff;
	s->cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE |
		 X86_CR0_PG;
	s->cr3 = bs->cr3;
	s->cr4 = X86_CR4_PAE;
	/* SVME must be set in the guest EFER (VMRUN consistency check). */
	s->efer = EFER_LME | EFER_LMA | EFER_SVME;
	s->rflags = 0x2;
	s->rip = bs->rip;
	s->dr6 = 0xffff0ff0;
	s->dr7 = 0x400;
	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.rsi = bs->rsi;
}

/* --- exits --- */

void svm_skip(struct vcpu_x86 *v, unsigned int len)
{
	struct vmcb *vmcb = v->vmcb;

	vmcb->save.rip = has_nrips ? vmcb->ctl.next_rip : vmcb->save.rip + len;
	vmcb->ctl.int_state &= ~1ull;	/* the shadow ends with the insn */
}

void svm_inject_exc(struct vcpu_x86 *v, u8 vector, bool has_err, u32 err)
{
	struct vmcb *vmcb = v->vmcb;

	vmcb->ctl.event_inj = vector | SVM_EVTINJ_TYPE_EXC | SVM_EVTINJ_VALID |
			      (has_err ? SVM_EVTINJ_EV | ((u64)err << 32) : 0);
}

static void handle_cpuid(struct vcpu_x86 *v)
{
	struct vmcb *vmcb = v->vmcb;
	u32 leaf = (u32)vmcb->save.rax, sub = (u32)v->regs.rcx;
	struct cpuid_regs r;

	if (!hyperv_cpuid(v->vp, leaf, &r)) {
		cpuid_count(leaf, sub, &r);
		hyperv_cpuid_fixup(v->vp, leaf, &r);
		/* The parent must not see SVM: it cannot nest. */
		if (leaf == 0x80000001)
			r.ecx &= ~BIT(2);
		else if (leaf == 0x8000000a)
			r = (struct cpuid_regs){ 0 };
	}
	vmcb->save.rax = r.eax;
	v->regs.rbx = r.ebx;
	v->regs.rcx = r.ecx;
	v->regs.rdx = r.edx;
	svm_skip(v, 2);
}

static bool has_tsc_adjust(void)
{
	struct cpuid_regs r;

	cpuid_count(7, 0, &r);
	return r.ebx & BIT(1);
}

int svm_efer_write(struct vcpu_x86 *v, u64 val, u64 extra)
{
	struct vmcb *vmcb = v->vmcb;

	/* LMA is the CPU's; reserved bits fault as on hardware. */
	if (val & ~(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE | extra))
		return -EINVAL;
	/* SVME stays set in the VMCB: VMRUN refuses a guest without it. */
	vmcb->save.efer = (val & ~EFER_LMA) | (vmcb->save.efer & EFER_LMA) |
			  EFER_SVME;
	return 0;
}

/* MSRs the hv emulates for the parent; -EINVAL means #GP. */
static int msr_read(struct vcpu_x86 *v, u32 msr, u64 *val)
{
	struct vmcb *vmcb = v->vmcb;

	if (hyperv_msr_is_synthetic(msr))
		return hyperv_msr_read(v->vp, msr, val);
	switch (msr) {
	case MSR_EFER:
		*val = vmcb->save.efer & ~EFER_SVME;
		return 0;
	case MSR_VM_CR:
		*val = VM_CR_LOCK | VM_CR_SVMDIS;
		return 0;
	case MSR_TSC_ADJUST:
		if (!has_tsc_adjust())
			return -EINVAL;
		*val = v->tsc_adjust;
		return 0;
	default:
		return -EINVAL;
	}
}

static int msr_write(struct vcpu_x86 *v, u32 msr, u64 val)
{
	struct vmcb *vmcb = v->vmcb;

	if (hyperv_msr_is_synthetic(msr))
		return hyperv_msr_write(v->vp, msr, val);
	switch (msr) {
	case MSR_EFER:
		return svm_efer_write(v, val, BIT_ULL(14) | BIT_ULL(15));
	case MSR_VM_CR:
		return 0;	/* locked: writes ignored as on hardware */
	case MSR_TSC:
		vmcb->ctl.tsc_offset = val - rdtsc();
		return 0;
	case MSR_TSC_ADJUST:
		if (!has_tsc_adjust())
			return -EINVAL;
		/* SDM 17.17.3: writing the adjust moves the TSC by the delta. */
		vmcb->ctl.tsc_offset += val - v->tsc_adjust;
		v->tsc_adjust = val;
		return 0;
	default:
		return -EINVAL;
	}
}

static const struct x86_msr_ops parent_msr_ops = {
	.read = msr_read,
	.write = msr_write,
};

static void handle_msr(struct vcpu_x86 *v)
{
	struct vmcb *vmcb = v->vmcb;

	if (x86_msr_exit(v, vmcb->ctl.exitinfo1, &vmcb->save.rax,
			 &parent_msr_ops))
		svm_inject_exc(v, X86_EXC_GP, true, 0);
	else
		svm_skip(v, 2);
}

static void handle_vmmcall(struct vcpu_x86 *v)
{
	struct vmcb *vmcb = v->vmcb;
	u64 rax;

	/* TLFS §3.2: a hypercall from CPL > 0 raises #UD. */
	if (hypercall_handle(v->vp, vmcb->save.cpl, v->regs.rcx, v->regs.rdx,
			     v->regs.r8, &rax)) {
		svm_inject_exc(v, X86_EXC_UD, false, 0);
		return;
	}
	vmcb->save.rax = rax;
	svm_skip(v, 3);
}

/*
 * The hv's console UART is hidden from the parent: reads return all-ones
 * (no device), writes are dropped.  EXITINFO2 holds the next RIP.
 */
static void handle_ioio(struct vcpu_x86 *v)
{
	struct vmcb *vmcb = v->vmcb;
	u32 info = (u32)vmcb->ctl.exitinfo1;
	u32 size = (info >> SVM_IOIO_SZ_SHIFT) & 7;

	if (info & SVM_IOIO_STR) {
		if (info & SVM_IOIO_REP)
			v->regs.rcx = 0;
	} else if (info & SVM_IOIO_IN) {
		u64 mask = size == 1 ? 0xff : size == 2 ? 0xffff : 0xffffffff;

		vmcb->save.rax |= mask;
	}
	vmcb->save.rip = vmcb->ctl.exitinfo2;
}

/*
 * A nested page fault can only mean an access to a range the parent has
 * no mapping for: hv memory.  Reads of such a page return all-ones (the
 * page is mapped read-only to a page of 0xff); writes raise #GP.  Every
 * first access is logged so an isolation probe leaves a trace.
 */
static void handle_npf(struct vcpu_x86 *v)
{
	struct vmcb *vmcb = v->vmcb;
	struct part_x86 *px = part_x86(v->vp->part);
	u64 gpa = vmcb->ctl.exitinfo2, err = vmcb->ctl.exitinfo1;
	bool write = err & BIT(1);

	if (!parent_gpa_is_hv(gpa)) {
		pr_err("vp%u: nested page fault at GPA %llx (error %llx) "
		       "outside hv memory\n", v->vp->hv.vp_index,
		       (unsigned long long)gpa, (unsigned long long)err);
		svm_inject_exc(v, X86_EXC_GP, true, 0);
		return;
	}
	if (px->hv_access_logged++ < 64)
		pr_warn("isolation: parent %s of hv memory at GPA %llx "
			"(rip %llx) denied\n", write ? "write" : "read",
			(unsigned long long)gpa,
			(unsigned long long)vmcb->save.rip);
	if (write || npt_map(&px->npt, gpa & PAGE_MASK, px->void_page,
			     PAGE_SIZE, NPT_R, NPT_MT_WB)) {
		svm_inject_exc(v, X86_EXC_GP, true, 0);
		return;
	}
	vmcb->ctl.tlb_ctl = 1;
}

void svm_dump_vmcb(struct vcpu_x86 *v, const char *why)
{
	struct vmcb *vmcb = v->vmcb;
	struct vmcb_save *s = &vmcb->save;

	pr_err("vp%u: %s: exit %llx info1 %llx info2 %llx intinfo %llx\n",
	       v->vp->hv.vp_index, why, (unsigned long long)vmcb->ctl.exitcode,
	       (unsigned long long)vmcb->ctl.exitinfo1,
	       (unsigned long long)vmcb->ctl.exitinfo2,
	       (unsigned long long)vmcb->ctl.exitintinfo);
	pr_err("  rip %016llx rsp %016llx rflags %llx cpl %u\n",
	       (unsigned long long)s->rip, (unsigned long long)s->rsp,
	       (unsigned long long)s->rflags, s->cpl);
	pr_err("  cr0 %llx cr3 %llx cr4 %llx efer %llx cr2 %llx\n",
	       (unsigned long long)s->cr0, (unsigned long long)s->cr3,
	       (unsigned long long)s->cr4, (unsigned long long)s->efer,
	       (unsigned long long)s->cr2);
	pr_err("  cs %04x/%03x/%llx ss %04x ds %04x tr %04x/%03x gdt %llx/%x\n",
	       s->cs.sel, s->cs.attrib, (unsigned long long)s->cs.base,
	       s->ss.sel, s->ds.sel, s->tr.sel, s->tr.attrib,
	       (unsigned long long)s->gdtr.base, s->gdtr.limit);
	pr_err("  rax %016llx rbx %016llx rcx %016llx rdx %016llx\n",
	       (unsigned long long)s->rax, (unsigned long long)v->regs.rbx,
	       (unsigned long long)v->regs.rcx, (unsigned long long)v->regs.rdx);
	pr_err("  rsi %016llx rdi %016llx rbp %016llx exits %llu\n",
	       (unsigned long long)v->regs.rsi, (unsigned long long)v->regs.rdi,
	       (unsigned long long)v->regs.rbp, (unsigned long long)v->exits);
}

static void handle_exit(struct vcpu_x86 *v)
{
	struct vmcb *vmcb = v->vmcb;

	switch (vmcb->ctl.exitcode) {
	case SVM_EXIT_CPUID:
		handle_cpuid(v);
		break;
	case SVM_EXIT_MSR:
		handle_msr(v);
		break;
	case SVM_EXIT_VMMCALL:
		handle_vmmcall(v);
		break;
	case SVM_EXIT_IOIO:
		handle_ioio(v);
		break;
	case SVM_EXIT_NPF:
		handle_npf(v);
		break;
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_SKINIT:
		svm_inject_exc(v, X86_EXC_UD, false, 0);	/* no nesting */
		break;
	case SVM_EXIT_SHUTDOWN:
		svm_dump_vmcb(v, "the parent partition shut down (triple fault)");
		panic("parent partition died");
	case SVM_EXIT_INVALID:
		svm_dump_vmcb(v, "VMRUN refused the guest state");
		panic("invalid VMCB");
	default:
		svm_dump_vmcb(v, "unexpected exit");
		panic("unexpected exit from the parent partition");
	}
}

static __noreturn void svm_run(struct vcpu_x86 *v)
{
	struct vmcb *vmcb = v->vmcb;

	v->pcpu = this_cpu();
	for (;;) {
		svm_vmrun(v->vmcb_pa, &v->regs, v->pcpu->host_vmcb_pa);
		v->exits++;
		vmcb->ctl.tlb_ctl = 0;
		vmcb->ctl.event_inj = 0;
		handle_exit(v);
	}
}

const struct vcpu_vendor_ops svm_vendor_ops = {
	.name = "svm",
	.check = svm_check,
	.cpu_enable = svm_cpu_enable,
	.create = svm_create,
	.set_boot_state = svm_set_boot_state,
	.run = svm_run,
	.npt_format = NPT_FORMAT_AMD,
	.hypercall_insn = { 0x0f, 0x01, 0xd9, 0xc3 },	/* vmmcall; ret */
	.destroy = svm_vcpu_destroy,
	.reset = svm_vcpu_reset,
	.get_reg = svm_get_reg,
	.set_reg = svm_set_reg,
	.tsc_offset = svm_tsc_offset,
	.flush_tlb = svm_flush_tlb,
	.run_child = svm_run_child,
};
