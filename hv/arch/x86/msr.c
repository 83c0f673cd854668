// SPDX-License-Identifier: GPL-2.0
/*
 * The vendor-neutral half of an RDMSR/WRMSR exit: EDX:EAX in and out and
 * the #GP decision, so SVM and VMX, parent and children, differ only in
 * which MSRs they emulate and in how they inject and skip.  Also the
 * firmware's MTRRs, read once for the parent's EPT memory types.
 */
#include <mkhv/errno.h>
#include <mkhv/mtrr.h>
#include <mkhv/printk.h>
#include <mkhv/string.h>
#include <asm/vcpu.h>
#include <asm/x86.h>

int x86_msr_exit(struct vcpu_x86 *v, bool write, u64 *rax,
		 const struct x86_msr_ops *ops)
{
	u32 msr = (u32)v->regs.rcx;
	u64 val;
	int ret;

	if (write) {
		ret = ops->write(v, msr, (*rax & 0xffffffff) | (v->regs.rdx << 32));
	} else {
		ret = ops->read(v, msr, &val);
		if (!ret) {
			*rax = (u32)val;
			v->regs.rdx = val >> 32;
		}
	}
	if (ret)
		pr_debug("vp%u: #GP on %s of MSR %x\n", v->vp->hv.vp_index,
			 write ? "write" : "read", msr);
	return ret;
}

int arch_mtrr_read(struct mtrr_state *s)
{
	struct cpuid_regs r;
	u64 cap;
	u32 i;

	memset(s, 0, sizeof(*s));
	cpuid_count(1, 0, &r);
	if (!(r.edx & BIT(12)))			/* CPUID.1:EDX.MTRR */
		return -ENODEV;
	cap = rdmsr(MSR_MTRR_CAP);
	s->def_type = rdmsr(MSR_MTRR_DEF_TYPE);
	s->has_fixed = cap & MTRR_CAP_FIX;
	s->nr_var = MIN((u32)(cap & 0xff), (u32)MTRR_MAX_VAR);
	for (i = 0; s->has_fixed && i < MTRR_NR_FIXED; i++)
		s->fixed[i] = rdmsr(mtrr_fixed_msrs[i]);
	for (i = 0; i < s->nr_var; i++) {
		s->var[i].base = rdmsr(MSR_MTRR_PHYSBASE(i));
		s->var[i].mask = rdmsr(MSR_MTRR_PHYSMASK(i));
	}
	cpuid_count(0x80000008, 0, &r);
	s->phys_mask = (1ULL << (r.eax & 0xff)) - 1;
	return mtrr_check(s);
}
