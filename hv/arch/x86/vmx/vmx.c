// SPDX-License-Identifier: GPL-2.0
/*
 * Intel VMX backend: feature checks, per-CPU VMXON, the parent's VMCS and
 * the run loop.  Same policy as svm/svm.c: the parent keeps physical
 * interrupts, NMIs, HLT and its LAPIC (none of those exit); the hv owns
 * CPUID, the synthetic and VMX MSRs, VMCALL, EPT violations on hv memory,
 * the hv's serial port, XSETBV (always exits on VMX) and triple faults.
 *
 * The guest runs with EPT and "unrestricted guest" (real mode and
 * unpaged protected mode need no emulation); EFER and PAT are switched by
 * the VMCS.  Exit handlers are in vmx_exit.c; the pure capability logic
 * is in vmx_caps.c (host unit-tested).
 */
#include <mkhv/errno.h>
#include <mkhv/lib.h>
#include <mkhv/mm.h>
#include <mkhv/printk.h>
#include <mkhv/string.h>
#include <asm/vcpu.h>
#include <asm/x86.h>
#include "vmx.h"

struct vmx_state vmx;

/* --- CPU features ---------------------------------------------------- */

static void read_caps(struct vmx_caps *c)
{
	u32 may1;

	c->basic = rdmsr(MSR_VMX_BASIC);
	c->pin = rdmsr(vmx_ctl_msr(c->basic, MSR_VMX_PINBASED_CTLS));
	c->proc = rdmsr(vmx_ctl_msr(c->basic, MSR_VMX_PROCBASED_CTLS));
	c->exit = rdmsr(vmx_ctl_msr(c->basic, MSR_VMX_EXIT_CTLS));
	c->entry = rdmsr(vmx_ctl_msr(c->basic, MSR_VMX_ENTRY_CTLS));
	/* These two MSRs only exist if the controls they describe do. */
	c->proc2 = (c->proc >> 32) & PROC_SECONDARY ?
		   rdmsr(MSR_VMX_PROCBASED_CTLS2) : 0;
	may1 = (u32)(c->proc2 >> 32);
	c->ept_vpid = may1 & (PROC2_EPT | PROC2_VPID) ?
		      rdmsr(MSR_VMX_EPT_VPID_CAP) : 0;
	c->cr0_fixed0 = rdmsr(MSR_VMX_CR0_FIXED0);
	c->cr0_fixed1 = rdmsr(MSR_VMX_CR0_FIXED1);
	c->cr4_fixed0 = rdmsr(MSR_VMX_CR4_FIXED0);
	c->cr4_fixed1 = rdmsr(MSR_VMX_CR4_FIXED1);
}

/* IA32_FEATURE_CONTROL: lock it with VMXON allowed, unless already locked. */
static int feature_control_enable(void)
{
	u64 fc = rdmsr(MSR_IA32_FEATURE_CONTROL);

	if (!(fc & FEATURE_CONTROL_LOCK)) {
		wrmsr(MSR_IA32_FEATURE_CONTROL, fc | FEATURE_CONTROL_LOCK |
			      FEATURE_CONTROL_VMXON);
		return 0;
	}
	return fc & FEATURE_CONTROL_VMXON ? 0 : -ENODEV;
}

static int vmx_check(void)
{
	struct cpuid_regs r;
	const char *why;

	cpuid_count(1, 0, &r);
	if (!(r.ecx & CPUID_1_ECX_VMX)) {
		pr_err("this CPU has no Intel VT-x (VMX): mkhv cannot run here\n");
		return -ENODEV;
	}
	if (r.ecx & CPUID_1_ECX_XSAVE) {
		struct cpuid_regs x;

		cpuid_count(0xd, 0, &x);
		vmx.xcr0_supported = ((u64)x.edx << 32) | x.eax;
	}
	if ((rdmsr(MSR_IA32_FEATURE_CONTROL) &
	     (FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMXON)) ==
	    FEATURE_CONTROL_LOCK) {
		pr_err("VT-x is disabled by the firmware (IA32_FEATURE_CONTROL "
		       "locked without VMXON): enable it in the setup menu\n");
		return -ENODEV;
	}
	read_caps(&vmx.caps);
	if (vmx_compute_ctls(&vmx.caps, &vmx.ctls, &why)) {
		pr_err("this CPU's VT-x cannot run mkhv: %s\n", why);
		return -ENODEV;
	}
	pr_info("vmx: VMCS revision %llx, EPT%s, VPID %s, unrestricted guest; "
		"controls pin %x proc %x proc2 %x exit %x entry %x\n",
		(unsigned long long)(vmx.caps.basic & VMX_BASIC_REVISION_MASK),
		vmx.ctls.ept_1g ? " (1 GiB pages)" : "",
		vmx.ctls.vpid ? "yes" : "no", vmx.ctls.pin, vmx.ctls.proc,
		vmx.ctls.proc2, vmx.ctls.exit, vmx.ctls.entry);
	return 0;
}

/* --- per-CPU enable -------------------------------------------------- */

void *vmx_region(void)
{
	u32 *p = mm_alloc_page();

	if (p) {
		memset(p, 0, PAGE_SIZE);
		p[0] = (u32)(vmx.caps.basic & VMX_BASIC_REVISION_MASK);
	}
	return p;
}

/*
 * VMXON needs CR4.VMXE, CR0/CR4 inside the fixed-bit MSRs (SDM §24.8:
 * in practice CR0.NE) and an unlocked-or-enabled IA32_FEATURE_CONTROL.
 * CR4.OSXSAVE lets the hv execute a guest's XSETBV on its behalf.
 */
static int vmx_cpu_enable(struct pcpu *cpu)
{
	const struct vmx_caps *c = &vmx.caps;
	u64 cr4 = read_cr4() | X86_CR4_VMXE;
	void *region = vmx_region();

	if (!region)
		return -ENOMEM;
	if (feature_control_enable())
		return -ENODEV;
	if (vmx.xcr0_supported)
		cr4 |= X86_CR4_OSXSAVE;
	write_cr0(vmx_cr_fixed(read_cr0(), c->cr0_fixed0, c->cr0_fixed1));
	write_cr4(vmx_cr_fixed(cr4, c->cr4_fixed0, c->cr4_fixed1));
	cpu->vmxon_pa = (u64)(uintptr_t)region;
	if (vmx_insn_m64("vmxon", cpu->vmxon_pa)) {
		pr_err("cpu%u: VMXON failed\n", cpu->index);
		return -ENODEV;
	}
	return 0;
}

/* --- the parent's VMCS ----------------------------------------------- */

static int parent_maps(void)
{
	u16 port = serial_port();
	int i;

	if (vmx.msr_bitmap)
		return 0;
	vmx.msr_bitmap = mm_alloc_page();
	vmx.io_bitmap = mm_alloc_pages(2);
	if (!vmx.msr_bitmap || !vmx.io_bitmap)
		return -ENOMEM;
	memset(vmx.msr_bitmap, 0, PAGE_SIZE);
	memset(vmx.io_bitmap, 0, 2 * PAGE_SIZE);
	/*
	 * The parent sees a CPU without VMX: IA32_FEATURE_CONTROL reads as
	 * locked with VMXON off, the capability MSRs raise #GP.  The TSC
	 * is the hv's clock too: writes move only the parent's view (the
	 * VMCS TSC offset).  Synthetic MSRs (0x40000000+) are outside the
	 * bitmap and always exit.
	 */
	vmx_msr_bitmap_set(vmx.msr_bitmap, MSR_IA32_FEATURE_CONTROL, true,
			   true);
	for (i = MSR_VMX_FIRST; i <= MSR_VMX_LAST; i++)
		vmx_msr_bitmap_set(vmx.msr_bitmap, (u32)i, true, true);
	vmx_msr_bitmap_set(vmx.msr_bitmap, MSR_TSC, false, true);
	vmx_msr_bitmap_set(vmx.msr_bitmap, MSR_TSC_ADJUST, true, true);
	/* The hv's console UART is not the parent's (reads as absent). */
	if (port)
		vmx_io_bitmap_set(vmx.io_bitmap, port, 8);
	return 0;
}

void vmx_setup_host_state(struct pcpu *cpu)
{
	struct {
		u16 limit;
		u64 base;
	} __packed idtr;

	__asm__ volatile("sidt %0" : "=m"(idtr));
	vmwrite(VMCS_HOST_CR0, read_cr0());
	vmwrite(VMCS_HOST_CR3, read_cr3());
	vmwrite(VMCS_HOST_CR4, read_cr4());
	vmwrite(VMCS_HOST_CS_SEL, HV_CS);
	vmwrite(VMCS_HOST_SS_SEL, HV_DS);
	vmwrite(VMCS_HOST_DS_SEL, HV_DS);
	vmwrite(VMCS_HOST_ES_SEL, HV_DS);
	vmwrite(VMCS_HOST_FS_SEL, 0);
	vmwrite(VMCS_HOST_GS_SEL, 0);
	vmwrite(VMCS_HOST_TR_SEL, HV_TSS);
	vmwrite(VMCS_HOST_FS_BASE, 0);
	vmwrite(VMCS_HOST_GS_BASE, (u64)(uintptr_t)cpu);
	vmwrite(VMCS_HOST_TR_BASE, (u64)(uintptr_t)&cpu->tss);
	vmwrite(VMCS_HOST_GDTR_BASE, (u64)(uintptr_t)cpu->gdt);
	vmwrite(VMCS_HOST_IDTR_BASE, idtr.base);
	vmwrite(VMCS_HOST_SYSENTER_CS, 0);
	vmwrite(VMCS_HOST_SYSENTER_ESP, 0);
	vmwrite(VMCS_HOST_SYSENTER_EIP, 0);
	vmwrite(VMCS_HOST_PAT, rdmsr(MSR_PAT));
	vmwrite(VMCS_HOST_EFER, rdmsr(MSR_EFER));
	vmwrite(VMCS_HOST_RIP, (u64)(uintptr_t)vmx_exit_entry);
}

/*
 * The execution controls of a VMCS (parent or child): @k's words, the
 * partition's EPT and VPID, the bitmaps, no exception or MSR-list use,
 * CR0/CR4 guest-owned except the VMX fixed bits (NE, VMXE).
 */
int vmx_write_controls(struct vcpu_x86 *v, const struct vmx_ctls *k,
		       u32 entry, const u8 *msr_bitmap, const u8 *io_bitmap)
{
	struct part_x86 *px = part_x86(v->vp->part);
	u64 eptp;

	if (vmx_eptp(npt_root(&px->npt), vmx.caps.ept_vpid, &eptp))
		return -ENODEV;
	vmwrite(VMCS_PIN_CTLS, k->pin);
	vmwrite(VMCS_PROC_CTLS, k->proc);
	vmwrite(VMCS_PROC_CTLS2, k->proc2);
	vmwrite(VMCS_EXIT_CTLS, k->exit);
	vmwrite(VMCS_ENTRY_CTLS, entry);
	vmwrite(VMCS_EXCEPTION_BITMAP, 0);
	vmwrite(VMCS_PF_ERR_MASK, 0);
	vmwrite(VMCS_PF_ERR_MATCH, 0);
	vmwrite(VMCS_CR3_TARGET_COUNT, 0);
	vmwrite(VMCS_EXIT_MSR_STORE_COUNT, 0);
	vmwrite(VMCS_EXIT_MSR_LOAD_COUNT, 0);
	vmwrite(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	vmwrite(VMCS_MSR_BITMAP, (u64)(uintptr_t)msr_bitmap);
	vmwrite(VMCS_IO_BITMAP_A, (u64)(uintptr_t)io_bitmap);
	vmwrite(VMCS_IO_BITMAP_B, (u64)(uintptr_t)io_bitmap + PAGE_SIZE);
	vmwrite(VMCS_EPT_POINTER, eptp);
	if (k->vpid)
		vmwrite(VMCS_VPID, px->asid);
	vmwrite(VMCS_CR0_MASK, vmx_cr0_guest_fixed0());
	vmwrite(VMCS_CR4_MASK, vmx.caps.cr4_fixed0);
	vmwrite(VMCS_LINK_POINTER, ~0ull);
	return 0;
}

static int setup_controls(struct vcpu_x86 *v)
{
	int ret = vmx_write_controls(v, &vmx.ctls, vmx.ctls.entry,
				     vmx.msr_bitmap, vmx.io_bitmap);

	vmwrite(VMCS_ENTRY_INTR_INFO, 0);
	vmwrite(VMCS_TSC_OFFSET, 0);
	return ret;
}

static int vmx_create(struct vcpu_x86 *v)
{
	void *vmcs;
	int ret;

	if (!v->vp->part->is_parent)
		return vmx_child_create(v);
	vmcs = vmx_region();
	if (!vmcs || parent_maps())
		return -ENOMEM;
	v->vmcb = vmcs;
	v->vmcb_pa = (u64)(uintptr_t)vmcs;
	v->launched = false;
	/* The VMCS stays current on this pCPU, which runs the vCPU. */
	if (vmx_insn_m64("vmclear", v->vmcb_pa) ||
	    vmx_insn_m64("vmptrld", v->vmcb_pa)) {
		pr_err("vmx: cannot load the VMCS\n");
		return -ENODEV;
	}
	vmx.vmwrite_errors = 0;
	vmx_setup_host_state(this_cpu());
	ret = setup_controls(v);
	if (!ret && vmx.vmwrite_errors) {
		pr_err("vmx: %u VMWRITEs failed (first field %x)\n",
		       vmx.vmwrite_errors, vmx.vmwrite_bad_field);
		ret = -ENODEV;
	}
	return ret;
}

/* Segment registers in VMCS order: ES CS SS DS FS GS LDTR TR. */
enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR };

static void set_seg(int seg, u16 sel, u32 ar, u32 limit)
{
	vmwrite(VMCS_GUEST_ES_SEL + 2 * seg, sel);
	vmwrite(VMCS_GUEST_ES_AR + 2 * seg, ar);
	vmwrite(VMCS_GUEST_ES_LIMIT + 2 * seg, limit);
	vmwrite(VMCS_GUEST_ES_BASE + 2 * seg, 0);
}

static void vmx_set_boot_state(struct vcpu_x86 *v,
			       const struct x86_boot_state *bs)
{
	u64 cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE |
		  X86_CR0_PG;
	int s;

	/* Linux 64-bit boot protocol: __BOOT_CS 0x10, __BOOT_DS 0x18. */
	for (s = SEG_ES; s <= SEG_GS; s++)
		set_seg(s, 0x18, VMX_AR_DATA, 0xffffffff);
	set_seg(SEG_CS, 0x10, VMX_AR_CODE64, 0xffffffff);
	set_seg(SEG_LDTR, 0, VMX_AR_UNUSABLE, 0);
	set_seg(SEG_TR, 0, VMX_AR_TSS64_BUSY, 0x67);
	vmwrite(VMCS_GUEST_GDTR_BASE, bs->gdt_base);
	vmwrite(VMCS_GUEST_GDTR_LIMIT, bs->gdt_limit);
	vmwrite(VMCS_GUEST_IDTR_BASE, 0);
	vmwrite(VMCS_GUEST_IDTR_LIMIT, 0xffff);
	vmx_set_cr0(cr0);
	vmwrite(VMCS_GUEST_CR3, bs->cr3);
	vmx_set_cr4(X86_CR4_PAE);
	vmwrite(VMCS_GUEST_EFER, EFER_LME | EFER_LMA);
	vmwrite(VMCS_ENTRY_CTLS, vmx.ctls.entry | ENTRY_GUEST_64);
	vmwrite(VMCS_GUEST_PAT, 0x0007040600070406ull);	/* power-on PAT */
	vmwrite(VMCS_GUEST_DEBUGCTL, 0);
	vmwrite(VMCS_GUEST_DR7, 0x400);
	vmwrite(VMCS_GUEST_RFLAGS, 0x2);
	vmwrite(VMCS_GUEST_RSP, 0);
	vmwrite(VMCS_GUEST_RIP, bs->rip);
	vmwrite(VMCS_GUEST_SYSENTER_CS, 0);
	vmwrite(VMCS_GUEST_SYSENTER_ESP, 0);
	vmwrite(VMCS_GUEST_SYSENTER_EIP, 0);
	vmwrite(VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmwrite(VMCS_GUEST_ACTIVITY, 0);
	vmwrite(VMCS_GUEST_PENDING_DBG, 0);
	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.rsi = bs->rsi;
}

/* --- guest control registers (also used by CR-access exits) ---------- */

u64 vmx_cr0_guest_fixed0(void)
{
	/* Unrestricted guest: PE and PG are the guest's (SDM §26.3.1.1). */
	return vmx.caps.cr0_fixed0 & ~(u64)(X86_CR0_PE | X86_CR0_PG);
}

void vmx_set_cr0(u64 val)
{
	vmwrite(VMCS_CR0_SHADOW, val);
	vmwrite(VMCS_GUEST_CR0, vmx_cr_fixed(val, vmx_cr0_guest_fixed0(),
					     vmx.caps.cr0_fixed1));
}

void vmx_set_cr4(u64 val)
{
	vmwrite(VMCS_CR4_SHADOW, val);
	vmwrite(VMCS_GUEST_CR4, vmx_cr_fixed(val, vmx.caps.cr4_fixed0,
					     vmx.caps.cr4_fixed1));
}

void vmx_vmwrite_failed(u32 field)
{
	if (!vmx.vmwrite_errors++)
		vmx.vmwrite_bad_field = field;
}

/* --- run loop -------------------------------------------------------- */

static __noreturn void vmx_run(struct vcpu_x86 *v)
{
	v->pcpu = this_cpu();
	for (;;) {
		if (vmx_enter(&v->regs, v->launched)) {
			vmx_dump(v, v->launched ? "VMRESUME failed" :
						  "VMLAUNCH failed");
			panic("VM entry failed (VM-instruction error %llu)",
			      (unsigned long long)vmread(VMCS_INSN_ERROR));
		}
		v->launched = true;
		v->exits++;
		vmx_handle_exit(v);
	}
}

const struct vcpu_vendor_ops vmx_vendor_ops = {
	.name = "vmx",
	.check = vmx_check,
	.cpu_enable = vmx_cpu_enable,
	.create = vmx_create,
	.set_boot_state = vmx_set_boot_state,
	.run = vmx_run,
	.npt_format = NPT_FORMAT_EPT,
	.hypercall_insn = { 0x0f, 0x01, 0xc1, 0xc3 },	/* vmcall; ret */
	.destroy = vmx_child_destroy,
	.reset = vmx_child_vcpu_reset,
	.get_reg = vmx_child_get,
	.set_reg = vmx_child_set,
	.tsc_offset = vmx_child_tsc_offset,
	.flush_tlb = vmx_child_flush_tlb,
	.run_child = vmx_run_child,
};
