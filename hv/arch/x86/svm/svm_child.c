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
#include <mkhv/printk.h>
#include <mkhv/string.h>
#include <mkhv/vlapic.h>
#include <asm/pool.h>
#include <asm/vcpu.h>
#include <asm/x86.h>
#include "vmcb.h"
#include "svm.h"

/* ---- CPUID: the child's platform (DESIGN §7) ---- */

static void child_cpuid_mask(struct vcpu_x86 *v, u32 leaf, struct cpuid_regs *r)
{
	switch (leaf) {
	case 1:
		/* No VMX/SMX/MONITOR; an x2APIC with TSC-deadline timer. */
		r->ecx &= ~(BIT(3) | BIT(5) | BIT(6));
		r->ecx |= BIT(21) | BIT(24);
		r->ebx = (r->ebx & 0xffff) | (v->vp->part->max_vps << 16) |
			 (v->vp->index << 24);
		break;
	case 5: case 6: case 0xa:	/* MWAIT, power, perfmon: none */
		*r = (struct cpuid_regs){ 0 };
		break;
	case 0xb: case 0x1f:
		r->edx = v->vp->index;
		break;
	case 0x80000001:
		r->ecx &= ~BIT(2);	/* SVM */
		break;
	case 0x8000000a:
		*r = (struct cpuid_regs){ 0 };
		break;
	}
}

static void child_cpuid(struct vcpu_x86 *v)
{
	struct vmcb *vmcb = v->vmcb;
	u32 leaf = (u32)vmcb->save.rax;
	struct cpuid_regs r;

	if (!hyperv_cpuid(v->vp, leaf, &r)) {
		cpuid_count(leaf, (u32)v->regs.rcx, &r);
		hyperv_cpuid_fixup(v->vp, leaf, &r);
		child_cpuid_mask(v, leaf, &r);
	}
	vmcb->save.rax = r.eax;
	v->regs.rbx = r.ebx;
	v->regs.rcx = r.ecx;
	v->regs.rdx = r.edx;
	svm_skip(v, 2);
}

/* ---- MSRs: synthetic, the few a guest kernel reads, #GP for the rest ---- */

/* Host-wide MSRs a Linux guest reads at boot: reads 0, writes ignored. */
static bool benign_msr(u32 msr)
{
	switch (msr) {
	case 0x8b:			/* microcode revision */
	case 0xfe:			/* MTRRcap: no variable ranges */
	case 0x179: case 0x17a:		/* MCG_CAP, MCG_STATUS */
	case 0xc0010010:		/* AMD SYSCFG */
	case 0xc0010015:		/* AMD HWCR */
	case 0xc001001f:		/* AMD NB_CFG */
	case 0xc0010055:		/* AMD INT_PENDING_MSG: no C1E */
	case 0xc0011029:		/* AMD DE_CFG */
		return true;
	default:
		return msr >= 0xc0010000 && msr <= 0xc0010007; /* PERF_CTL/CTR */
	}
}

static bool vlapic_msr(u32 msr)
{
	return (msr >= VLAPIC_MSR_FIRST && msr <= VLAPIC_MSR_LAST) ||
	       msr == VLAPIC_MSR_TSC_DEADLINE;
}

static int child_rdmsr(struct vcpu_x86 *v, u32 msr, u64 *val)
{
	struct vmcb *vmcb = v->vmcb;

	if (stimer_is_msr(msr))
		return stimer_rdmsr(&v->vp->stimers, msr, val);
	if (synic_is_msr(msr))
		return synic_rdmsr(&v->vp->synic, msr, val);
	if (hyperv_msr_is_synthetic(msr))
		return hyperv_msr_read(v->vp, msr, val);
	if (vlapic_msr(msr))
		return vlapic_rdmsr(&v->vp->vlapic, msr,
				    rdtsc() + vmcb->ctl.tsc_offset, val);
	switch (msr) {
	case MSR_EFER:
		*val = vmcb->save.efer & ~EFER_SVME;
		return 0;
	case MSR_TSC:
		*val = rdtsc() + vmcb->ctl.tsc_offset;
		return 0;
	case MSR_PAT:
		*val = vmcb->save.g_pat;
		return 0;
	case MSR_TSC_AUX:
		*val = v->tsc_aux;
		return 0;
	case MSR_APIC_BASE:
		*val = 0xfee00000 | APIC_BASE_EN | APIC_BASE_EXTD |
		       (v->vp->index ? 0 : APIC_BASE_BSP);
		return 0;
	case 0x1a0:			/* MISC_ENABLE: fast strings */
		*val = 1;
		return 0;
	case 0x2ff:			/* MTRR default type: enabled, WB */
		*val = 0x806;
		return 0;
	default:
		if (!benign_msr(msr))
			return -EINVAL;
		*val = 0;
		return 0;
	}
}

static int child_wrmsr(struct vcpu_x86 *v, u32 msr, u64 val)
{
	struct vmcb *vmcb = v->vmcb;

	if (stimer_is_msr(msr))
		return stimer_wrmsr(&v->vp->stimers, msr, val,
				    hyperv_ref_time(&v->vp->part->hv));
	if (synic_is_msr(msr))	/* EOM (1): the next drain retries busy slots */
		return synic_wrmsr(&v->vp->synic, msr, val) < 0 ? -EINVAL : 0;
	if (hyperv_msr_is_synthetic(msr))
		return hyperv_msr_write(v->vp, msr, val);
	if (vlapic_msr(msr)) {
		struct vlapic_ipi ipi;
		/* The guest's TSC: deadlines are in its time base. */
		int ret = vlapic_wrmsr(&v->vp->vlapic, msr, val,
				       rdtsc() + vmcb->ctl.tsc_offset, &ipi);

		if (ret == 1) {
			child_send_ipi(v->vp, &ipi);
			ret = 0;
		}
		return ret;
	}
	switch (msr) {
	case MSR_EFER:
		return svm_efer_write(v, val, BIT_ULL(14));
	case MSR_TSC:
		vmcb->ctl.tsc_offset = val - rdtsc();
		return 0;
	case MSR_PAT: {
		int i;

		/* Each entry must be a valid memory type (0, 1, 4-7). */
		for (i = 0; i < 8; i++) {
			u8 t = (u8)(val >> (8 * i));

			if (t > 7 || t == 2 || t == 3)
				return -EINVAL;
		}
		vmcb->save.g_pat = val;
		return 0;
	}
	case MSR_TSC_AUX:
		/*
		 * Linux stores its CPU number here for RDTSCP/RDPID, which
		 * run unintercepted: the pCPU's MSR must hold the VP's value
		 * (loaded again whenever a VP starts on a pool pCPU).
		 */
		if (val >> 32)
			return -EINVAL;
		v->tsc_aux = (u32)val;
		wrmsr(MSR_TSC_AUX, val);
		return 0;
	case MSR_APIC_BASE:
		/* x2APIC mode for good: leaving it is not supported. */
		return (val & ~(u64)APIC_BASE_BSP) ==
		       (0xfee00000 | APIC_BASE_EN | APIC_BASE_EXTD) ? 0 : -EINVAL;
	case 0x1a0: case 0x2ff:
		return 0;
	default:
		return benign_msr(msr) ? 0 : -EINVAL;
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

	memset(m, 0, sizeof(*m));
	m->message_type = type;
	m->payload_size = sizeof(*m) - 0x10;
	m->sender = v->vp->part->id;
	m->vp_index = v->vp->index;
	m->execution_state = (u16)(vmcb->save.cpl & 3) |
			     ((vmcb->save.efer & EFER_LMA) ? BIT(8) : 0);
	m->rip = vmcb->save.rip;
	m->rflags = vmcb->save.rflags;
	m->rax = vmcb->save.rax;
	m->rdx = v->regs.rdx;
}

static enum run_result post(struct vcpu_x86 *v, struct hv_intercept_message *m)
{
	if (child_post_intercept(v->vp, m))
		pr_warn("partition %u vp%u: no intercept page: VP waits\n",
			v->vp->part->id, v->vp->index);
	return RUN_PARENT;
}

/*
 * A port nobody claimed (mkhv/intercept.h): an empty bus, answered here.
 * String forms always go to the parent, which emulates them.
 */
static bool child_io_unclaimed(struct vcpu_x86 *v, u32 info)
{
	struct vmcb *vmcb = v->vmcb;
	u8 size = (u8)((info >> SVM_IOIO_SZ_SHIFT) & 7);
	bool in = info & SVM_IOIO_IN;

	if ((info & (SVM_IOIO_STR | SVM_IOIO_REP)) ||
	    intercept_io_claimed(v->vp->part, (u16)(info >> 16), size, !in))
		return false;
	if (in)		/* IN to EAX zero-extends into RAX (SDM "IN") */
		vmcb->save.rax = size == 4 ? 0xffffffffull :
			(vmcb->save.rax & ~((1ull << (8 * size)) - 1)) |
			((1ull << (8 * size)) - 1);
	vmcb->save.rip = vmcb->ctl.exitinfo2;	/* IOIO always gives it */
	return true;
}

static enum run_result child_ioio(struct vcpu_x86 *v)
{
	struct vmcb *vmcb = v->vmcb;
	u32 info = (u32)vmcb->ctl.exitinfo1;
	struct hv_intercept_message m;

	if (child_io_unclaimed(v, info))
		return RUN_CONTINUE;
	msg_header(v, &m, HVMSG_X64_IO_PORT_INTERCEPT);
	m.access_type = (info & SVM_IOIO_IN) ? 0 : 1;
	m.port = (u16)(info >> 16);
	m.access_size = (u8)((info >> SVM_IOIO_SZ_SHIFT) & 7);
	m.io_flags = ((info & SVM_IOIO_STR) ? 1 : 0) |
		     ((info & SVM_IOIO_REP) ? 2 : 0);
	m.next_rip = vmcb->ctl.exitinfo2;	/* IOIO always gives it */
	m.instruction_length = (u8)(m.next_rip - m.rip);
	return post(v, &m);
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
	/* guest_regs is the GPRs in encoding order; RAX and RSP live in the VMCB. */
	_Static_assert(sizeof(v->regs) == sizeof(m.gpr), "GPR order");
	memcpy(m.gpr, &v->regs, sizeof(m.gpr));
	m.gpr[0] = vmcb->save.rax;
	m.gpr[4] = vmcb->save.rsp;
	return post(v, &m);
}

static enum run_result child_dies(struct vcpu_x86 *v, const char *why)
{
	struct hv_intercept_message m;

	svm_dump_vmcb(v, why);
	msg_header(v, &m, HVMSG_X64_TRIPLE_FAULT);
	post(v, &m);
	__atomic_store_n(&v->vp->state, VP_DEAD, __ATOMIC_RELEASE);
	return RUN_DEAD;
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
	vcpu_vendor_reset(v);
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

enum run_result vcpu_vendor_run_child(struct vcpu_x86 *v, u64 slice_end)
{
	struct vmcb *vmcb = v->vmcb;
	struct part_x86 *px = part_x86(v->vp->part);
	enum run_result r;

	v->pcpu = this_cpu();
	/* ASIDs beyond the CPU's count share the last one, flushed each run. */
	if (px->asid < svm_nr_asids) {
		vmcb->ctl.asid = px->asid;
	} else {
		vmcb->ctl.asid = svm_nr_asids - 1;
		vmcb->ctl.tlb_ctl = 1;
	}
	child_take_sipi(v);
	/* Pool pCPUs run only children: nothing of the hv's own to restore. */
	wrmsr(MSR_TSC_AUX, v->tsc_aux);
	do {
		u64 due;

		if (__atomic_load_n(&v->vp->stop_req, __ATOMIC_ACQUIRE) ||
		    rdtsc() >= slice_end || pool_resched_pending())
			return RUN_YIELD;
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
	return r;
}
