// SPDX-License-Identifier: GPL-2.0
/*
 * Backend choice: one hv image runs on AMD (SVM) and Intel (VMX).  The
 * choice is made once on the BSP from CPUID, before any CPU turns
 * virtualization on; every CPU of a machine has the same vendor.
 */
#include <mkhv/printk.h>
#include <asm/vcpu.h>
#include <asm/x86.h>

#define CPUID_1_ECX_VMX	BIT(5)

const struct vcpu_vendor_ops *vcpu_vendor = &svm_vendor_ops;

void vcpu_vendor_select(void)
{
	struct cpuid_regs r;

	cpuid_count(1, 0, &r);
	vcpu_vendor = (r.ecx & CPUID_1_ECX_VMX) ? &vmx_vendor_ops :
						  &svm_vendor_ops;
	pr_info("virtualization backend: %s\n", vcpu_vendor->name);
}
