// SPDX-License-Identifier: GPL-2.0
/*
 * The platform a child VP sees, vendor-neutral (DESIGN §7): its CPUID and
 * the MSRs the hv emulates for it.  svm/svm_child.c and vmx/vmx_child.c
 * call these from their CPUID and RDMSR/WRMSR exits and keep only what
 * lives in their control block (EFER, PAT, the TSC offset).  Nothing a
 * child does reaches the host's MSRs, except TSC_AUX, which the pool pCPU
 * holds for the VP that runs on it.
 */
#include <mkhv/child.h>
#include <mkhv/errno.h>
#include <mkhv/mm.h>
#include <mkhv/intercept.h>
#include <mkhv/printk.h>
#include <mkhv/string.h>
#include <mkhv/vlapic.h>
#include <asm/child.h>
#include <asm/vcpu.h>
#include <asm/x86.h>

/* ---- CPUID ---- */

#define X86_CR4_OSXSAVE_BIT	BIT(18)

static void child_cpuid_mask(struct vcpu_x86 *v, u32 leaf, u32 sub,
			     u64 guest_cr4, struct cpuid_regs *r)
{
	switch (leaf) {
	case 1:
		/* No VMX/SMX/MONITOR; an x2APIC with TSC-deadline timer. */
		r->ecx &= ~(BIT(3) | BIT(5) | BIT(6) | BIT(27));
		r->ecx |= BIT(21) | BIT(24);
		/* OSXSAVE mirrors the child's CR4, not the hv's. */
		if (guest_cr4 & X86_CR4_OSXSAVE_BIT)
			r->ecx |= BIT(27);
		r->ebx = (r->ebx & 0xffff) | (v->vp->part->max_vps << 16) |
			 (v->vp->index << 24);
		/* No thermal control (ACPI, TM): their MSRs would #GP. */
		r->edx &= ~(BIT(22) | BIT(29));
		break;
	case 7:
		if (!sub)
			r->ebx &= ~BIT(1);	/* IA32_TSC_ADJUST: not emulated */
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

void x86_child_cpuid(struct vcpu_x86 *v, u32 leaf, u32 sub, u64 guest_cr4,
		     struct cpuid_regs *r)
{
	if (hyperv_cpuid(v->vp, leaf, r))
		return;
	cpuid_count(leaf, sub, r);
	hyperv_cpuid_fixup(v->vp, leaf, r);
	child_cpuid_mask(v, leaf, sub, guest_cr4, r);
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

int x86_child_rdmsr(struct vcpu_x86 *v, u32 msr, u64 tsc_offset, u64 *val)
{
	if (stimer_is_msr(msr))
		return stimer_rdmsr(&v->vp->stimers, msr, val);
	if (synic_is_msr(msr))
		return synic_rdmsr(&v->vp->synic, msr, val);
	if (hyperv_msr_is_synthetic(msr))
		return hyperv_msr_read(v->vp, msr, val);
	if (vlapic_msr(msr))
		return vlapic_rdmsr(&v->vp->vlapic, msr, rdtsc() + tsc_offset,
				    val);
	switch (msr) {
	case MSR_TSC:
		*val = rdtsc() + tsc_offset;
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

bool x86_pat_valid(u64 val)
{
	int i;

	/* Each entry must be a valid memory type (0, 1, 4-7). */
	for (i = 0; i < 8; i++) {
		u8 t = (u8)(val >> (8 * i));

		if (t > 7 || t == 2 || t == 3)
			return false;
	}
	return true;
}

int x86_child_wrmsr(struct vcpu_x86 *v, u32 msr, u64 val, u64 tsc_offset)
{
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
				       rdtsc() + tsc_offset, &ipi);

		if (ret == 1) {
			child_send_ipi(v->vp, &ipi);
			ret = 0;
		}
		return ret;
	}
	switch (msr) {
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

/* ---- port I/O nobody claimed ---- */

bool x86_child_io_unclaimed(struct vcpu_x86 *v, u16 port, u8 size, bool in,
			    bool str_or_rep, u64 *rax)
{
	if (str_or_rep ||
	    intercept_io_claimed(v->vp->part, port, size, !in))
		return false;
	if (in)		/* IN to EAX zero-extends into RAX (SDM "IN") */
		*rax = size == 4 ? 0xffffffffull :
			(*rax & ~((1ull << (8 * size)) - 1)) |
			((1ull << (8 * size)) - 1);
	return true;
}

/* ---- messages to the parent ---- */

void x86_child_msg_init(struct vcpu_x86 *v, struct hv_intercept_message *m,
			u32 type, const struct x86_child_exit_state *s)
{
	memset(m, 0, sizeof(*m));
	m->message_type = type;
	m->payload_size = sizeof(*m) - 0x10;
	m->sender = v->vp->part->id;
	m->vp_index = v->vp->index;
	m->execution_state = (u16)(s->cpl & 3) | (s->long_mode ? BIT(8) : 0);
	m->rip = s->rip;
	m->rflags = s->rflags;
	m->rax = s->rax;
	m->rdx = v->regs.rdx;
}

void x86_child_msg_gprs(struct vcpu_x86 *v, struct hv_intercept_message *m,
			u64 rax, u64 rsp)
{
	/* guest_regs is the GPRs in encoding order; the vendor keeps RSP. */
	_Static_assert(sizeof(v->regs) == sizeof(m->gpr), "GPR order");
	memcpy(m->gpr, &v->regs, sizeof(m->gpr));
	m->gpr[0] = rax;
	m->gpr[4] = rsp;
}

enum run_result x86_child_post(struct vcpu_x86 *v,
			       struct hv_intercept_message *m)
{
	if (child_post_intercept(v->vp, m))
		pr_warn("partition %u vp%u: no intercept page: VP waits\n",
			v->vp->part->id, v->vp->index);
	return RUN_PARENT;
}

enum run_result x86_child_dies(struct vcpu_x86 *v,
			       struct hv_intercept_message *m)
{
	x86_child_post(v, m);
	__atomic_store_n(&v->vp->state, VP_DEAD, __ATOMIC_RELEASE);
	return RUN_DEAD;
}

/* ---- FPU/SSE/AVX state of a VP ---- */

static bool fpu_uses_xsave(void)
{
	return read_cr4() & X86_CR4_OSXSAVE_BIT;
}

size_t x86_fpu_area_size(void)
{
	struct cpuid_regs r;

	if (!fpu_uses_xsave())
		return 512;
	cpuid_count(0xd, 0, &r);	/* ECX: every supported component */
	return r.ecx > 512 + 64 ? r.ecx : 512 + 64;
}

int x86_fpu_alloc(struct vcpu_x86 *v)
{
	v->fpu_pages = (u32)((x86_fpu_area_size() + PAGE_SIZE - 1) / PAGE_SIZE);
	v->fpu = mm_alloc_pages(v->fpu_pages);
	if (!v->fpu)
		return -ENOMEM;
	x86_fpu_init(v->fpu);
	v->xcr0 = 1;		/* x87 only, as after reset */
	return 0;
}

void x86_fpu_free(struct vcpu_x86 *v)
{
	for (u32 i = 0; v->fpu && i < v->fpu_pages; i++)
		mm_free_page(v->fpu + (size_t)i * PAGE_SIZE);
	v->fpu = NULL;
}

void x86_fpu_init(void *area)
{
	u8 *a = area;

	memset(a, 0, x86_fpu_area_size());
	*(u16 *)a = 0x37f;		/* FCW; XSTATE_BV 0: x87 in init state */
	*(u32 *)(a + 24) = 0x1f80;	/* MXCSR */
}

u64 x86_fpu_xcr0(void)
{
	u32 lo, hi;

	if (!fpu_uses_xsave())
		return 0;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((u64)hi << 32) | lo;
}

void x86_fpu_set_xcr0(u64 xcr0)
{
	if (fpu_uses_xsave())
		__asm__ volatile("xsetbv" : : "c"(0), "a"((u32)xcr0),
				 "d"((u32)(xcr0 >> 32)));
}

void x86_fpu_save(void *area)
{
	if (fpu_uses_xsave())
		__asm__ volatile("xsave64 %0" : "+m"(*(u8 (*)[576])area)
				 : "a"(~0u), "d"(~0u) : "memory");
	else
		__asm__ volatile("fxsave64 %0" : "=m"(*(u8 (*)[512])area)
				 : : "memory");
}

void x86_fpu_restore(const void *area)
{
	if (fpu_uses_xsave())
		__asm__ volatile("xrstor64 %0" : : "m"(*(const u8 (*)[576])area),
				 "a"(~0u), "d"(~0u) : "memory");
	else
		__asm__ volatile("fxrstor64 %0" : : "m"(*(const u8 (*)[512])area)
				 : "memory");
}
