// SPDX-License-Identifier: GPL-2.0
/*
 * The vendor-neutral half of an RDMSR/WRMSR exit: EDX:EAX in and out and
 * the #GP decision, so SVM and VMX, parent and children, differ only in
 * which MSRs they emulate and in how they inject and skip.
 */
#include <mkhv/printk.h>
#include <asm/vcpu.h>

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
