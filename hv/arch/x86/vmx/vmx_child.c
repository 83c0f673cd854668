// SPDX-License-Identifier: GPL-2.0
/*
 * VMX: running a child VP on a pool pCPU, with the semantics of
 * svm/svm_child.c.  The hv owns the exits that concern the platform it
 * presents (CPUID, MSRs, hypercalls, HLT, interrupts, XSETBV, the VMX
 * instructions); port I/O and accesses to unmapped GPAs go to the
 * parent's VMM as intercept messages; a triple fault kills this VP alone.
 *
 * The VMCS of a child VP is active only during vmx_run_child(): VMCLEAR +
 * VMPTRLD at the start, every field written from the VP's
 * struct vmx_child_state, VMLAUNCH/VMRESUME until an exit needs the
 * scheduler or the parent, then the guest state is read back and the VMCS
 * cleared before any message is posted (the parent reads the registers
 * from memory as soon as the VP waits).  So cpu0, whose current VMCS is
 * the parent's, never touches a child VMCS.  (See vmx_cstate.h.)
 */
#include <mkhv/child.h>
#include <mkhv/errno.h>
#include <mkhv/gva.h>
#include <mkhv/mm.h>
#include <mkhv/printk.h>
#include <mkhv/string.h>
#include <mkhv/vlapic.h>
#include <asm/child.h>
#include <asm/pool.h>
#include <asm/vcpu.h>
#include <asm/x86.h>
#include "vmx.h"
#include "vmx_cstate.h"

#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SFMASK		0xc0000084
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_SYSENTER_CS		0x174
#define MSR_SYSENTER_ESP	0x175
#define MSR_SYSENTER_EIP	0x176

/* What vcpu_x86.vmcb points to for a child VP (one page). */
struct vmx_child {
	struct vmx_child_state s;
	void *vmcs;		/* its VMCS region (vcpu_x86.vmcb_pa) */
	bool window;		/* interrupt-window exiting is on */
};

static struct vmx_ctls child_ctls;
static u32 preempt_shift;	/* VMX-preemption timer ticks = TSC >> this */
static u8 *child_msr_bitmap;	/* shared by every child VP */
static u8 *child_io_bitmap;	/* all ones: every port exits */
/* Per pool pCPU: the child VP entered last (its TLB tags are still there). */
static struct vcpu_x86 *last_vp[MAX_CPUS];

/*
 * MSRs a child reaches directly: FS/GS base and SYSENTER are VMCS guest
 * state; STAR..SFMASK and KERNEL_GS_BASE are loaded into the pool pCPU for
 * the run and read back (the hv never uses them).  Everything else exits.
 */
static const u32 child_passthrough_msrs[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE,
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK,
	MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP,
};

static struct vmx_child *child_of(struct vcpu_x86 *v)
{
	return v->vmcb;
}

static int child_maps(void)
{
	const char *why;
	size_t i;

	if (child_msr_bitmap)
		return 0;
	if (vmx_child_ctls(&vmx.caps, &vmx.ctls, &child_ctls, &why)) {
		pr_err("vmx: this CPU cannot run child partitions: %s\n", why);
		return -ENODEV;
	}
	child_msr_bitmap = mm_alloc_page();
	child_io_bitmap = mm_alloc_pages(2);
	if (!child_msr_bitmap || !child_io_bitmap)
		return -ENOMEM;
	memset(child_msr_bitmap, 0xff, PAGE_SIZE);
	memset(child_io_bitmap, 0xff, 2 * PAGE_SIZE);
	for (i = 0; i < ARRAY_SIZE(child_passthrough_msrs); i++)
		vmx_msr_bitmap_allow(child_msr_bitmap,
				     child_passthrough_msrs[i]);
	preempt_shift = (u32)(rdmsr(MSR_VMX_MISC) & VMX_MISC_PREEMPT_SHIFT_MASK);
	pr_info("vmx: child controls pin %x proc %x proc2 %x exit %x entry %x; "
		"preemption timer %s\n", child_ctls.pin, child_ctls.proc,
		child_ctls.proc2, child_ctls.exit, child_ctls.entry,
		(child_ctls.pin & PIN_PREEMPT_TIMER) ? "yes" : "no");
	return 0;
}

/* Memory only: cpu0 creates the VP, a pool pCPU runs it. */
int vmx_child_create(struct vcpu_x86 *v)
{
	struct vmx_child *c;
	void *vmcs;
	int ret = child_maps();

	if (ret)
		return ret;
	_Static_assert(sizeof(*c) <= PAGE_SIZE, "vmx_child fits a page");
	c = mm_alloc_page();
	vmcs = vmx_region();
	if (!c || !vmcs) {
		if (c)
			mm_free_page(c);
		if (vmcs)
			mm_free_page(vmcs);
		return -ENOMEM;
	}
	memset(c, 0, sizeof(*c));
	if (x86_fpu_alloc(v)) {
		mm_free_page(c);
		mm_free_page(vmcs);
		return -ENOMEM;
	}
	c->vmcs = vmcs;
	v->vmcb = c;
	v->vmcb_pa = (u64)(uintptr_t)vmcs;
	v->launched = false;
	return 0;
}

void vmx_child_destroy(struct vcpu_x86 *v)
{
	struct vmx_child *c = child_of(v);
	u32 i;

	/* A new VP at this address must not pass for this one (TLB tags). */
	for (i = 0; i < MAX_CPUS; i++) {
		struct vcpu_x86 *old = v;

		__atomic_compare_exchange_n(&last_vp[i], &old, NULL, false,
					    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
	}
	x86_fpu_free(v);
	/* Cleared at the end of its last run: no CPU caches it. */
	mm_free_page(c->vmcs);
	mm_free_page(c);
	v->vmcb = NULL;
}

void vmx_child_vcpu_reset(struct vcpu_x86 *v)
{
	memset(&v->regs, 0, sizeof(v->regs));
	vmx_child_reset(&child_of(v)->s, &v->regs.rdx);
	x86_fpu_init(v->fpu);
}

int vmx_child_get(struct vcpu_x86 *v, u32 name,
		  struct hv_register_value *val)
{
	return vmx_child_get_reg(&child_of(v)->s, (const u64 *)&v->regs, name,
				 val);
}

int vmx_child_set(struct vcpu_x86 *v, u32 name,
		  const struct hv_register_value *val)
{
	return vmx_child_set_reg(&child_of(v)->s, (u64 *)&v->regs,
				 vmx.caps.cr4_fixed1, name, val);
}

u64 vmx_child_tsc_offset(struct vcpu_x86 *v)
{
	return __atomic_load_n(&child_of(v)->s.tsc_offset, __ATOMIC_RELAXED);
}

void vmx_child_flush_tlb(struct vcpu_x86 *v)
{
	__atomic_store_n(&child_of(v)->s.flush, true, __ATOMIC_RELEASE);
}

/* ---- VMCS <-> struct vmx_child_state ---- */

static void load_state(struct vcpu_x86 *v, struct vmx_child *c)
{
	struct vmx_child_state *s = &c->s;
	int i;

	vmx_setup_host_state(v->pcpu);
	vmx_write_controls(v, &child_ctls, child_ctls.entry |
			   ((s->efer & EFER_LMA) ? ENTRY_GUEST_64 : 0),
			   child_msr_bitmap, child_io_bitmap);
	c->window = false;

	for (i = 0; i < VMX_NR_SEGS; i++) {
		vmwrite(VMCS_GUEST_ES_SEL + 2 * i, s->seg[i].sel);
		vmwrite(VMCS_GUEST_ES_AR + 2 * i, s->seg[i].ar);
		vmwrite(VMCS_GUEST_ES_LIMIT + 2 * i, s->seg[i].limit);
		vmwrite(VMCS_GUEST_ES_BASE + 2 * i, s->seg[i].base);
	}
	vmwrite(VMCS_GUEST_GDTR_BASE, s->gdtr.base);
	vmwrite(VMCS_GUEST_GDTR_LIMIT, s->gdtr.limit);
	vmwrite(VMCS_GUEST_IDTR_BASE, s->idtr.base);
	vmwrite(VMCS_GUEST_IDTR_LIMIT, s->idtr.limit);
	vmx_set_cr0(s->cr0);
	vmx_set_cr4(s->cr4);
	vmwrite(VMCS_GUEST_CR3, s->cr3);
	vmwrite(VMCS_GUEST_EFER, s->efer);
	vmwrite(VMCS_GUEST_PAT, s->pat);
	vmwrite(VMCS_GUEST_DEBUGCTL, 0);
	vmwrite(VMCS_GUEST_DR7, s->dr7);
	vmwrite(VMCS_GUEST_RFLAGS, s->rflags);
	vmwrite(VMCS_GUEST_RSP, s->rsp);
	vmwrite(VMCS_GUEST_RIP, s->rip);
	vmwrite(VMCS_GUEST_SYSENTER_CS, s->sysenter_cs);
	vmwrite(VMCS_GUEST_SYSENTER_ESP, s->sysenter_esp);
	vmwrite(VMCS_GUEST_SYSENTER_EIP, s->sysenter_eip);
	vmwrite(VMCS_GUEST_INTERRUPTIBILITY, s->interruptibility);
	vmwrite(VMCS_GUEST_ACTIVITY, s->activity);
	vmwrite(VMCS_GUEST_PENDING_DBG, s->pending_dbg);
	vmwrite(VMCS_TSC_OFFSET, s->tsc_offset);
	vmwrite(VMCS_ENTRY_INTR_INFO, s->entry_intr);
	vmwrite(VMCS_ENTRY_EXC_ERR, s->entry_err);
	vmwrite(VMCS_ENTRY_INSN_LEN, s->entry_len);
}

/* The guest's view of a CR: its own bits, the shadow where the hv owns them. */
static u64 visible_cr(u32 guest, u32 shadow, u32 mask)
{
	u64 m = vmread(mask);

	return (vmread(guest) & ~m) | (vmread(shadow) & m);
}

static void save_state(struct vmx_child *c)
{
	struct vmx_child_state *s = &c->s;
	int i;

	for (i = 0; i < VMX_NR_SEGS; i++) {
		s->seg[i].sel = (u16)vmread(VMCS_GUEST_ES_SEL + 2 * i);
		s->seg[i].ar = (u32)vmread(VMCS_GUEST_ES_AR + 2 * i);
		s->seg[i].limit = (u32)vmread(VMCS_GUEST_ES_LIMIT + 2 * i);
		s->seg[i].base = vmread(VMCS_GUEST_ES_BASE + 2 * i);
	}
	s->gdtr.base = vmread(VMCS_GUEST_GDTR_BASE);
	s->gdtr.limit = (u32)vmread(VMCS_GUEST_GDTR_LIMIT);
	s->idtr.base = vmread(VMCS_GUEST_IDTR_BASE);
	s->idtr.limit = (u32)vmread(VMCS_GUEST_IDTR_LIMIT);
	s->cr0 = visible_cr(VMCS_GUEST_CR0, VMCS_CR0_SHADOW, VMCS_CR0_MASK);
	s->cr4 = visible_cr(VMCS_GUEST_CR4, VMCS_CR4_SHADOW, VMCS_CR4_MASK);
	s->cr3 = vmread(VMCS_GUEST_CR3);
	s->efer = vmread(VMCS_GUEST_EFER);
	s->pat = vmread(VMCS_GUEST_PAT);
	s->dr7 = vmread(VMCS_GUEST_DR7);
	s->rflags = vmread(VMCS_GUEST_RFLAGS);
	s->rsp = vmread(VMCS_GUEST_RSP);
	s->rip = vmread(VMCS_GUEST_RIP);
	s->sysenter_cs = vmread(VMCS_GUEST_SYSENTER_CS);
	s->sysenter_esp = vmread(VMCS_GUEST_SYSENTER_ESP);
	s->sysenter_eip = vmread(VMCS_GUEST_SYSENTER_EIP);
	s->interruptibility = (u32)vmread(VMCS_GUEST_INTERRUPTIBILITY);
	s->activity = (u32)vmread(VMCS_GUEST_ACTIVITY);
	s->pending_dbg = vmread(VMCS_GUEST_PENDING_DBG);
	/* An event still to deliver (re-injected vectoring or a fault). */
	s->entry_intr = (u32)vmread(VMCS_ENTRY_INTR_INFO);
	s->entry_err = (u32)vmread(VMCS_ENTRY_EXC_ERR);
	s->entry_len = (u32)vmread(VMCS_ENTRY_INSN_LEN);
}

static u64 read_cr2(void)
{
	u64 v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static void write_cr2(u64 v)
{
	__asm__ volatile("mov %0, %%cr2" : : "r"(v));
}

static u64 xgetbv0(void)
{
	u32 lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((u64)hi << 32) | lo;
}

static void xsetbv0(u64 v)
{
	__asm__ volatile("xsetbv" : : "c"(0), "a"((u32)v), "d"((u32)(v >> 32)));
}

/* The VP's state that VMX does not switch, into this pCPU and back. */
static void load_cpu_state(struct vcpu_x86 *v, struct vmx_child_state *s)
{
	wrmsr(MSR_TSC_AUX, v->tsc_aux);
	wrmsr(MSR_STAR, s->star);
	wrmsr(MSR_LSTAR, s->lstar);
	wrmsr(MSR_CSTAR, s->cstar);
	wrmsr(MSR_SFMASK, s->sfmask);
	wrmsr(MSR_KERNEL_GS_BASE, s->kernel_gs_base);
	write_cr2(s->cr2);
	if (vmx.xcr0_supported)
		xsetbv0(s->xcr0 ? s->xcr0 : 1);
}

static void save_cpu_state(struct vmx_child_state *s)
{
	s->star = rdmsr(MSR_STAR);
	s->lstar = rdmsr(MSR_LSTAR);
	s->cstar = rdmsr(MSR_CSTAR);
	s->sfmask = rdmsr(MSR_SFMASK);
	s->kernel_gs_base = rdmsr(MSR_KERNEL_GS_BASE);
	s->cr2 = read_cr2();
	if (vmx.xcr0_supported)
		s->xcr0 = xgetbv0();
}

/* ---- exits ---- */

static int child_rdmsr(struct vcpu_x86 *v, u32 msr, u64 *val)
{
	switch (msr) {
	case MSR_EFER:
		*val = vmread(VMCS_GUEST_EFER);
		return 0;
	case MSR_PAT:
		*val = vmread(VMCS_GUEST_PAT);
		return 0;
	default:
		return x86_child_rdmsr(v, msr, child_of(v)->s.tsc_offset, val);
	}
}

static int child_wrmsr(struct vcpu_x86 *v, u32 msr, u64 val)
{
	struct vmx_child_state *s = &child_of(v)->s;
	u64 efer;

	switch (msr) {
	case MSR_EFER:
		if (vmx_child_efer_write(vmread(VMCS_GUEST_EFER), val,
					 vmread(VMCS_CR0_SHADOW), &efer))
			return -EINVAL;
		vmwrite(VMCS_GUEST_EFER, efer);
		return 0;
	case MSR_TSC:
		__atomic_store_n(&s->tsc_offset, val - rdtsc(),
				 __ATOMIC_RELAXED);
		vmwrite(VMCS_TSC_OFFSET, s->tsc_offset);
		return 0;
	case MSR_PAT:
		if (!x86_pat_valid(val))
			return -EINVAL;
		vmwrite(VMCS_GUEST_PAT, val);
		return 0;
	default:
		return x86_child_wrmsr(v, msr, val, s->tsc_offset);
	}
}

static const struct x86_msr_ops child_msr_ops = {
	.read = child_rdmsr,
	.write = child_wrmsr,
};

bool vmx_child_cr0(u64 val)
{
	u64 efer = vmread(VMCS_GUEST_EFER);
	u32 entry = (u32)vmread(VMCS_ENTRY_CTLS);

	if (vmx_child_cr0_write(vmread(VMCS_CR0_SHADOW), val,
				vmread(VMCS_CR4_SHADOW), &efer)) {
		vmx_inject_exc(X86_EXC_GP, true, 0);
		return true;
	}
	vmx_set_cr0(val);
	vmwrite(VMCS_GUEST_EFER, efer);
	vmwrite(VMCS_ENTRY_CTLS, (efer & EFER_LMA) ? entry | ENTRY_GUEST_64 :
						     entry & ~ENTRY_GUEST_64);
	return false;
}

static void child_cpuid(struct vcpu_x86 *v)
{
	u32 leaf = (u32)v->regs.rax, sub = (u32)v->regs.rcx;
	struct cpuid_regs r;

	x86_child_cpuid(v, leaf, sub,
			visible_cr(VMCS_GUEST_CR4, VMCS_CR4_SHADOW, VMCS_CR4_MASK), &r);
	vmx_cpuid_hide_missing(leaf, sub, &r);
	vmx_cpuid_done(v, &r);
}

static void msg_header(struct vcpu_x86 *v, struct hv_intercept_message *m,
		       u32 type)
{
	struct x86_child_exit_state s = {
		.rip = vmread(VMCS_GUEST_RIP),
		.rflags = vmread(VMCS_GUEST_RFLAGS),
		.rax = v->regs.rax,
		.cpl = (u8)((vmread(VMCS_GUEST_SS_AR) >> 5) & 3),
		.long_mode = vmread(VMCS_GUEST_EFER) & EFER_LMA,
	};

	x86_child_msg_init(v, m, type, &s);
}

static enum run_result child_io(struct vcpu_x86 *v,
				struct hv_intercept_message *m)
{
	struct vmx_io_exit io;
	u64 len = vmread(VMCS_EXIT_INSN_LEN);

	if (vmx_io_decode(vmread(VMCS_EXIT_QUALIFICATION), &io)) {
		vmx_inject_exc(X86_EXC_UD, false, 0);
		return RUN_CONTINUE;
	}
	if (x86_child_io_unclaimed(v, io.port, io.size, io.in,
				   io.string || io.rep, &v->regs.rax)) {
		vmx_skip(v);
		return RUN_CONTINUE;
	}
	msg_header(v, m, HVMSG_X64_IO_PORT_INTERCEPT);
	m->access_type = io.in ? 0 : 1;
	m->port = io.port;
	m->access_size = io.size;
	m->io_flags = (io.string ? 1 : 0) | (io.rep ? 2 : 0);
	m->next_rip = m->rip + len;	/* VMX always gives the length */
	m->instruction_length = (u8)len;
	return RUN_PARENT;
}

static enum run_result child_ept(struct vcpu_x86 *v,
				 struct hv_intercept_message *m)
{
	struct gva_mode mode = {
		.cr0 = vmread(VMCS_GUEST_CR0), .cr3 = vmread(VMCS_GUEST_CR3),
		.cr4 = vmread(VMCS_GUEST_CR4), .efer = vmread(VMCS_GUEST_EFER),
	};

	msg_header(v, m, HVMSG_UNMAPPED_GPA);
	m->gpa = vmread(VMCS_GUEST_PHYS_ADDR);
	m->access_type = vmx_ept_access(vmread(VMCS_EXIT_QUALIFICATION));
	m->next_rip = 0;	/* no instruction length on EPT violations */
	m->instruction_byte_count = (u8)gva_read(v->vp->part, &mode,
		vmread(VMCS_GUEST_CS_BASE) + m->rip, m->instruction_bytes,
		sizeof(m->instruction_bytes));
	x86_child_msg_gprs(v, m, v->regs.rax, vmread(VMCS_GUEST_RSP));
	return RUN_PARENT;
}

static enum run_result child_dies(struct vcpu_x86 *v,
				  struct hv_intercept_message *m,
				  const char *why)
{
	vmx_dump(v, why);
	msg_header(v, m, HVMSG_X64_TRIPLE_FAULT);
	return RUN_DEAD;
}

/* One exit; RUN_PARENT and RUN_DEAD leave the message to post in @m. */
static enum run_result child_exit(struct vcpu_x86 *v,
				  struct hv_intercept_message *m)
{
	u32 reason = (u32)vmread(VMCS_EXIT_REASON);

	if (reason & EXIT_REASON_ENTRY_FAILED)
		return child_dies(v, m, "VM entry refused the child's state");
	vmx_reinject_vectoring();
	switch (reason & 0xffff) {
	case EXIT_REASON_EXT_INTR:
		pool_take_interrupts();
		return RUN_CONTINUE;
	case EXIT_REASON_PREEMPT_TIMER:	/* the loop looks at the clock */
	case EXIT_REASON_EXCEPTION_NMI:	/* NMI exiting: the hv's, dropped */
	case EXIT_REASON_INIT:
	case EXIT_REASON_INTR_WINDOW:	/* the guest can take it now */
		return RUN_CONTINUE;
	case EXIT_REASON_CPUID:
		child_cpuid(v);
		return RUN_CONTINUE;
	case EXIT_REASON_RDMSR:
	case EXIT_REASON_WRMSR:
		if (x86_msr_exit(v, (reason & 0xffff) == EXIT_REASON_WRMSR,
				 &v->regs.rax, &child_msr_ops))
			vmx_inject_exc(X86_EXC_GP, true, 0);
		else
			vmx_skip(v);
		return RUN_CONTINUE;
	case EXIT_REASON_VMCALL:
		vmx_handle_vmcall(v);
		return RUN_CONTINUE;
	case EXIT_REASON_HLT:
		vmx_skip(v);
		return pool_vp_events(v->vp, rdtsc()) >= 0 ? RUN_CONTINUE :
							       RUN_HALT;
	case EXIT_REASON_IO:
		return child_io(v, m);
	case EXIT_REASON_EPT_VIOLATION:
		return child_ept(v, m);
	case EXIT_REASON_CR_ACCESS:
		vmx_handle_cr(v);
		return RUN_CONTINUE;
	case EXIT_REASON_XSETBV:
		vmx_handle_xsetbv(v);
		return RUN_CONTINUE;
	case EXIT_REASON_INVD:
		vmx_skip(v);
		return RUN_CONTINUE;
	case EXIT_REASON_GETSEC: case EXIT_REASON_VMCLEAR:
	case EXIT_REASON_VMLAUNCH: case EXIT_REASON_VMPTRLD:
	case EXIT_REASON_VMPTRST: case EXIT_REASON_VMREAD:
	case EXIT_REASON_VMRESUME: case EXIT_REASON_VMWRITE:
	case EXIT_REASON_VMXOFF: case EXIT_REASON_VMXON:
	case EXIT_REASON_INVEPT: case EXIT_REASON_INVVPID:
	case EXIT_REASON_VMFUNC:
		vmx_inject_exc(X86_EXC_UD, false, 0);
		return RUN_CONTINUE;
	case EXIT_REASON_TRIPLE_FAULT:
		return child_dies(v, m, "child shut down (triple fault)");
	default:
		return child_dies(v, m, "unexpected exit from a child");
	}
}

/*
 * Interrupt delivery before an entry.  An event already queued (a
 * re-injected one, an exception) goes first.  Otherwise the vLAPIC's
 * best vector is injected if the guest can take it now (IF set, no
 * STI/MOV-SS shadow); if not, interrupt-window exiting makes the CPU exit
 * as soon as it can, and the next entry injects it.
 */
static void child_inject(struct vcpu_x86 *v, struct vmx_child *c)
{
	struct vlapic *vl = &v->vp->vlapic;
	int vec = vlapic_pending(vl);
	bool want_window = false;

	if (vec >= 0) {
		bool busy = vmread(VMCS_ENTRY_INTR_INFO) & INTR_INFO_VALID;
		bool open = (vmread(VMCS_GUEST_RFLAGS) & BIT(9)) &&
			    !(vmread(VMCS_GUEST_INTERRUPTIBILITY) &
			      (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS));

		if (!busy && open) {
			vmwrite(VMCS_ENTRY_INTR_INFO, (u32)vec |
				INTR_TYPE_EXT | INTR_INFO_VALID);
			vlapic_ack(vl, (u8)vec);
		} else {
			want_window = true;
		}
	}
	if (want_window != c->window) {
		c->window = want_window;
		vmwrite(VMCS_PROC_CTLS, child_ctls.proc |
			(want_window ? PROC_INTR_WINDOW : 0));
	}
}

/*
 * A SIPI arrived for this AP: real mode at vector << 12 (SDM 8.4.4).
 * Return: true if it did (the FPU state is reset too).
 */
static bool child_take_sipi(struct vcpu_x86 *v)
{
	u32 sv = __atomic_exchange_n(&v->vp->sipi_vector, 0, __ATOMIC_ACQ_REL);
	struct vmx_child_state *s = &child_of(v)->s;
	u64 tsc_offset = s->tsc_offset;

	if (!sv)
		return false;
	vmx_child_vcpu_reset(v);
	s->tsc_offset = tsc_offset;
	s->seg[VMX_SEG_CS].sel = (u16)((sv & 0xff) << 8);
	s->seg[VMX_SEG_CS].base = (u64)(sv & 0xff) << 12;
	s->rip = 0;
	return true;
}

/*
 * The VMX-preemption timer ends the slice (and wakes the VP's timers) by
 * itself, even where an external interrupt does not make the guest exit
 * (under Bochs 2.7 a guest spinning with IF clear never saw the pool's
 * LAPIC timer or kick IPI exit: docs/vmx.md).  The LAPIC timer stays
 * armed too.
 */
static void arm_preemption_timer(u64 deadline)
{
	u64 now = rdtsc(), ticks;

	if (!(child_ctls.pin & PIN_PREEMPT_TIMER))
		return;
	ticks = deadline > now ? (deadline - now) >> preempt_shift : 0;
	vmwrite(VMCS_PREEMPT_TIMER, MIN(ticks, 0xffffffffull));
}

enum run_result vmx_run_child(struct vcpu_x86 *v, u64 slice_end)
{
	struct vmx_child *c = child_of(v);
	struct hv_intercept_message m;
	enum run_result r;
	bool moved, reset;

	v->pcpu = this_cpu();
	reset = child_take_sipi(v);
	if (vmx_insn_m64("vmclear", v->vmcb_pa) ||
	    vmx_insn_m64("vmptrld", v->vmcb_pa)) {
		pr_err("partition %u vp%u: cannot load its VMCS\n",
		       v->vp->part->id, v->vp->index);
		__atomic_store_n(&v->vp->state, VP_DEAD, __ATOMIC_RELEASE);
		return RUN_DEAD;
	}
	v->launched = false;
	load_state(v, c);
	/*
	 * TLB tags are VPID (per partition) and EPTP: another VP of the same
	 * partition ran here last, or the partition's EPT changed: drop them.
	 */
	moved = last_vp[v->pcpu->index] != v;
	last_vp[v->pcpu->index] = v;
	load_cpu_state(v, &c->s);
	if (moved)
		vmx_invept();
	if (moved || reset) {
		/* Another VP's registers are here: this VP's, with its XCR0. */
		x86_fpu_restore(v->fpu);
	}
	do {
		u64 due;

		if (__atomic_load_n(&v->vp->stop_req, __ATOMIC_ACQUIRE) ||
		    rdtsc() >= slice_end || pool_resched_pending()) {
			r = RUN_YIELD;
			break;
		}
		if (__atomic_exchange_n(&c->s.flush, false, __ATOMIC_ACQ_REL))
			vmx_invept();
		pool_vp_events(v->vp, rdtsc());
		child_inject(v, c);
		/* Exit in time for the VP's own timers. */
		due = pool_vp_next_due(v->vp);
		due = due ? MIN(due, slice_end) : slice_end;
		pool_arm_timer(due);
		arm_preemption_timer(due);
		if (vmx_enter(&v->regs, v->launched)) {
			pr_err("partition %u vp%u: VM entry failed "
			       "(VM-instruction error %llu)\n",
			       v->vp->part->id, v->vp->index,
			       (unsigned long long)vmread(VMCS_INSN_ERROR));
			r = child_dies(v, &m, "VM entry failed");
			break;
		}
		v->launched = true;
		v->exits++;
		/* Single writer; GetVpRegisters reads it from another pCPU. */
		__atomic_store_n(&v->vp->nr_exits, v->vp->nr_exits + 1,
				 __ATOMIC_RELAXED);
		r = child_exit(v, &m);
	} while (r == RUN_CONTINUE);
	/* Everything back in memory before the parent may look at it. */
	save_state(c);
	x86_fpu_save(v->fpu);	/* with the VP's XCR0 still loaded */
	save_cpu_state(&c->s);
	vmx_insn_m64("vmclear", v->vmcb_pa);
	if (r == RUN_PARENT)
		return x86_child_post(v, &m);
	if (r == RUN_DEAD)
		return x86_child_dies(v, &m);
	return r;
}
