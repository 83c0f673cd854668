// SPDX-License-Identifier: GPL-2.0
/*
 * SVM: running a child VP on a pool pCPU.  The hv owns the exits that
 * concern the platform it presents (CPUID, MSRs, hypercalls, HLT,
 * interrupts, SVM instructions); port I/O and accesses to unmapped GPAs
 * go to the parent's VMM as intercept messages; a shutdown (triple fault)
 * kills this VP alone.  Nothing a child does reaches the host's MSRs.
 */
#include <mkhv/child.h>
#include <mkhv/errno.h>
#include <mkhv/hypercall.h>
#include <mkhv/gva.h>
#include <mkhv/intercept.h>
#include <mkhv/mm.h>
#include <mkhv/printk.h>
#include <mkhv/string.h>
#include <mkhv/vlapic.h>
#include <asm/child.h>
#include <asm/pool.h>
#include <asm/setup.h>
#include <asm/vcpu.h>
#include <asm/x86.h>
#include "vmcb.h"
#include "svm.h"

/* ---- CPUID and MSRs: child_platform.c, with the VMCB's part here ---- */

static void child_cpuid(struct vcpu_x86 *v)
{
	struct vmcb *vmcb = v->vmcb;
	struct cpuid_regs r;

	x86_child_cpuid(v, (u32)vmcb->save.rax, (u32)v->regs.rcx,
			vmcb->save.cr4, &r);
	vmcb->save.rax = r.eax;
	v->regs.rbx = r.ebx;
	v->regs.rcx = r.ecx;
	v->regs.rdx = r.edx;
	svm_skip(v, 2);
}

static int child_rdmsr(struct vcpu_x86 *v, u32 msr, u64 *val)
{
	struct vmcb *vmcb = v->vmcb;

	switch (msr) {
	case MSR_EFER:
		*val = vmcb->save.efer & ~EFER_SVME;
		return 0;
	case MSR_PAT:
		*val = vmcb->save.g_pat;
		return 0;
	default:
		return x86_child_rdmsr(v, msr, vmcb->ctl.tsc_offset, val);
	}
}

static int child_wrmsr(struct vcpu_x86 *v, u32 msr, u64 val)
{
	struct vmcb *vmcb = v->vmcb;

	switch (msr) {
	case MSR_EFER:
		return svm_efer_write(v, val, BIT_ULL(14));
	case MSR_TSC:
		vmcb->ctl.tsc_offset = val - rdtsc();
		return 0;
	case MSR_PAT:
		if (!x86_pat_valid(val))
			return -EINVAL;
		vmcb->save.g_pat = val;
		return 0;
	default:
		return x86_child_wrmsr(v, msr, val, vmcb->ctl.tsc_offset);
	}
}

static const struct x86_msr_ops child_msr_ops = {
	.read = child_rdmsr,
	.write = child_wrmsr,
};

static void child_msr(struct vcpu_x86 *v)
{
	struct vmcb *vmcb = v->vmcb;

	if (x86_msr_exit(v, vmcb->ctl.exitinfo1, &vmcb->save.rax,
			 &child_msr_ops))
		svm_inject_exc(v, X86_EXC_GP, true, 0);
	else
		svm_skip(v, 2);
}

/* ---- messages to the parent ---- */

static void msg_header(struct vcpu_x86 *v, struct hv_intercept_message *m,
		       u32 type)
{
	struct vmcb *vmcb = v->vmcb;
	struct x86_child_exit_state s = {
		.rip = vmcb->save.rip, .rflags = vmcb->save.rflags,
		.rax = vmcb->save.rax, .cpl = vmcb->save.cpl,
		.long_mode = vmcb->save.efer & EFER_LMA,
	};

	x86_child_msg_init(v, m, type, &s);
}

static enum run_result child_ioio(struct vcpu_x86 *v)
{
	struct vmcb *vmcb = v->vmcb;
	u32 info = (u32)vmcb->ctl.exitinfo1;
	struct hv_intercept_message m;

	if (x86_child_io_unclaimed(v, (u16)(info >> 16),
				   (u8)((info >> SVM_IOIO_SZ_SHIFT) & 7),
				   info & SVM_IOIO_IN,
				   info & (SVM_IOIO_STR | SVM_IOIO_REP),
				   &vmcb->save.rax)) {
		vmcb->save.rip = vmcb->ctl.exitinfo2;	/* IOIO always gives it */
		return RUN_CONTINUE;
	}
	msg_header(v, &m, HVMSG_X64_IO_PORT_INTERCEPT);
	m.access_type = (info & SVM_IOIO_IN) ? 0 : 1;
	m.port = (u16)(info >> 16);
	m.access_size = (u8)((info >> SVM_IOIO_SZ_SHIFT) & 7);
	m.io_flags = ((info & SVM_IOIO_STR) ? 1 : 0) |
		     ((info & SVM_IOIO_REP) ? 2 : 0);
	m.next_rip = vmcb->ctl.exitinfo2;	/* IOIO always gives it */
	m.instruction_length = (u8)(m.next_rip - m.rip);
	return x86_child_post(v, &m);
}

static enum run_result child_npf(struct vcpu_x86 *v)
{
	struct vmcb *vmcb = v->vmcb;
	struct hv_intercept_message m;
	u64 err = vmcb->ctl.exitinfo1;

	struct gva_mode mode = {
		.cr0 = vmcb->save.cr0, .cr3 = vmcb->save.cr3,
		.cr4 = vmcb->save.cr4, .efer = vmcb->save.efer,
	};

	msg_header(v, &m, HVMSG_UNMAPPED_GPA);
	m.gpa = vmcb->ctl.exitinfo2;
	m.access_type = (err & BIT(4)) ? 2 : (err & BIT(1)) ? 1 : 0;
	m.next_rip = has_nrips ? vmcb->ctl.next_rip : 0;
	m.instruction_byte_count = (u8)gva_read(v->vp->part, &mode,
		vmcb->save.cs.base + vmcb->save.rip, m.instruction_bytes,
		sizeof(m.instruction_bytes));
	x86_child_msg_gprs(v, &m, vmcb->save.rax, vmcb->save.rsp);
	return x86_child_post(v, &m);
}

static enum run_result child_dies(struct vcpu_x86 *v, const char *why)
{
	struct hv_intercept_message m;

	svm_dump_vmcb(v, why);
	msg_header(v, &m, HVMSG_X64_TRIPLE_FAULT);
	return x86_child_dies(v, &m);
}

static bool child_vmmcall(struct vcpu_x86 *v)
{
	struct vmcb *vmcb = v->vmcb;
	u64 rax;

	if (hypercall_handle(v->vp, vmcb->save.cpl, v->regs.rcx, v->regs.rdx,
			     v->regs.r8, &rax)) {
		svm_inject_exc(v, X86_EXC_UD, false, 0);
		return true;
	}
	vmcb->save.rax = rax;
	svm_skip(v, 3);
	return true;
}

/*
 * Interrupt delivery before an entry.  An event the last exit interrupted
 * is re-injected first (EXITINTINFO).  Otherwise the vLAPIC's best vector
 * is injected if the guest can take it now (IF set, no interrupt shadow);
 * if not, a virtual interrupt request with the VINTR intercept makes the
 * CPU exit as soon as it can, and the next entry injects it.
 */
static void child_inject(struct vcpu_x86 *v)
{
	struct vmcb *vmcb = v->vmcb;
	struct vlapic *vl = &v->vp->vlapic;
	int vec;

	if (vmcb->ctl.exitintinfo & SVM_EVTINJ_VALID) {
		vmcb->ctl.event_inj = vmcb->ctl.exitintinfo;
		vmcb->ctl.exitintinfo = 0;
		return;
	}
	vec = vlapic_pending(vl);
	if (vec < 0) {
		vmcb->ctl.intercept1 &= ~INTERCEPT1_VINTR;
		vmcb->ctl.vintr &= ~SVM_VINTR_V_IRQ;
		return;
	}
	if ((vmcb->save.rflags & BIT(9)) && !(vmcb->ctl.int_state & 1)) {
		vmcb->ctl.event_inj = (u64)vec | SVM_EVTINJ_VALID;
		vlapic_ack(vl, (u8)vec);
		vmcb->ctl.intercept1 &= ~INTERCEPT1_VINTR;
		vmcb->ctl.vintr &= ~SVM_VINTR_V_IRQ;
	} else {
		vmcb->ctl.vintr |= SVM_VINTR_V_IRQ | SVM_VINTR_PRIO_MASK |
				   SVM_VINTR_IGN_TPR;
		vmcb->ctl.intercept1 |= INTERCEPT1_VINTR;
	}
}

/* A SIPI arrived for this AP: real mode at vector << 12 (SDM 8.4.4). */
static void child_take_sipi(struct vcpu_x86 *v)
{
	u32 sv = __atomic_exchange_n(&v->vp->sipi_vector, 0, __ATOMIC_ACQ_REL);
	struct vmcb_save *s = &((struct vmcb *)v->vmcb)->save;

	if (!sv)
		return;
	svm_vcpu_reset(v);
	s->cs.sel = (u16)((sv & 0xff) << 8);
	s->cs.base = (u64)(sv & 0xff) << 12;
	s->rip = 0;
}

/* Timers and posted interrupts into the vLAPIC; true if one is deliverable. */
static bool child_interrupts(struct vcpu_x86 *v)
{
	return pool_vp_events(v->vp, rdtsc()) >= 0;
}

/* One exit; returns RUN_CONTINUE to re-enter the guest. */
static enum run_result child_exit(struct vcpu_x86 *v)
{
	struct vmcb *vmcb = v->vmcb;

	switch (vmcb->ctl.exitcode) {
	case SVM_EXIT_INTR:
		pool_take_interrupts();
		return RUN_CONTINUE;
	case SVM_EXIT_NMI:
	case SVM_EXIT_INIT:
		return RUN_CONTINUE;
	case SVM_EXIT_VINTR:	/* the guest can take the interrupt now */
		vmcb->ctl.vintr &= ~SVM_VINTR_V_IRQ;
		return RUN_CONTINUE;
	case SVM_EXIT_CPUID:
		child_cpuid(v);
		return RUN_CONTINUE;
	case SVM_EXIT_MSR:
		child_msr(v);
		return RUN_CONTINUE;
	case SVM_EXIT_VMMCALL:
		child_vmmcall(v);
		return RUN_CONTINUE;
	case SVM_EXIT_HLT:
		svm_skip(v, 1);
		return child_interrupts(v) ? RUN_CONTINUE : RUN_HALT;
	case SVM_EXIT_IOIO:
		return child_ioio(v);
	case SVM_EXIT_NPF:
		return child_npf(v);
	case SVM_EXIT_VMRUN: case SVM_EXIT_VMLOAD: case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI: case SVM_EXIT_CLGI: case SVM_EXIT_SKINIT:
		svm_inject_exc(v, X86_EXC_UD, false, 0);
		return RUN_CONTINUE;
	case SVM_EXIT_SHUTDOWN:
		return child_dies(v, "child shut down (triple fault)");
	case SVM_EXIT_INVALID:
		return child_dies(v, "VMRUN refused the child's state");
	default:
		return child_dies(v, "unexpected exit from a child");
	}
}

/* ---- the VP's x87/SSE/AVX state: SVM does not switch it ---- */

/* The VP whose vector registers each pool pCPU holds (only it writes). */
static struct vcpu_x86 *fpu_owner[MAX_CPUS];

void svm_child_fpu_free(struct vcpu_x86 *v)
{
	x86_fpu_free(v);
	/* A pCPU that last ran it must not think it still holds it. */
	for (u32 i = 0; i < MAX_CPUS; i++)
		__atomic_compare_exchange_n(&fpu_owner[i], &v, NULL, false,
					    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

/* INIT: the VP's state as after reset, loaded at its next run. */
static void child_fpu_reset(struct vcpu_x86 *v)
{
	x86_fpu_init(v->fpu);
	v->xcr0 = 1;
	fpu_owner[v->pcpu->index] = NULL;
}

enum run_result svm_run_child(struct vcpu_x86 *v, u64 slice_end)
{
	struct vmcb *vmcb = v->vmcb;
	struct part_x86 *px = part_x86(v->vp->part);
	enum run_result r = RUN_YIELD;

	v->pcpu = this_cpu();
	/* ASIDs beyond the CPU's count share the last one, flushed each run. */
	if (px->asid < svm_nr_asids) {
		vmcb->ctl.asid = px->asid;
	} else {
		vmcb->ctl.asid = svm_nr_asids - 1;
		vmcb->ctl.tlb_ctl = 1;
	}
	if (__atomic_load_n(&v->vp->sipi_vector, __ATOMIC_ACQUIRE))
		child_fpu_reset(v);
	child_take_sipi(v);
	/* Pool pCPUs run only children: nothing of the hv's own to restore. */
	wrmsr(MSR_TSC_AUX, v->tsc_aux);
	/* Another VP's vector registers are here: load this VP's. */
	if (fpu_owner[v->pcpu->index] != v) {
		x86_fpu_set_xcr0(v->xcr0);
		x86_fpu_restore(v->fpu);
		fpu_owner[v->pcpu->index] = v;
	}
	do {
		u64 due;

		if (__atomic_load_n(&v->vp->stop_req, __ATOMIC_ACQUIRE) ||
		    rdtsc() >= slice_end || pool_resched_pending()) {
			r = RUN_YIELD;
			break;
		}
		child_interrupts(v);
		child_inject(v);
		/* Exit in time for the VP's own timers. */
		due = pool_vp_next_due(v->vp);
		pool_arm_timer(due ? MIN(due, slice_end) : slice_end);
		svm_vmrun(v->vmcb_pa, &v->regs, v->pcpu->host_vmcb_pa);
		v->exits++;
		/* Single writer; GetVpRegisters reads it from another pCPU. */
		__atomic_store_n(&v->vp->nr_exits, v->vp->nr_exits + 1,
				 __ATOMIC_RELAXED);
		if (px->asid < svm_nr_asids)
			vmcb->ctl.tlb_ctl = 0;
		vmcb->ctl.event_inj = 0;
		r = child_exit(v);
	} while (r == RUN_CONTINUE);
	/* XSETBV is not intercepted: the guest's XCR0 is the pCPU's now. */
	v->xcr0 = x86_fpu_xcr0();
	x86_fpu_save(v->fpu);
	return r;
}
