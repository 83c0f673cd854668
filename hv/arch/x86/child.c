// SPDX-License-Identifier: GPL-2.0
/*
 * x86 side of child partitions (the arch_* hooks of hv/child.c): nested
 * page tables per child, VP control blocks through the vendor backend, and
 * the parent callback IPI.  Running VPs on the pool is pool.c.
 */
#include <mkhv/arch.h>
#include <mkhv/errno.h>
#include <mkhv/hvcall_partition.h>
#include <mkhv/mm.h>
#include <mkhv/printk.h>
#include <mkhv/sched.h>
#include <mkhv/string.h>
#include <asm/vcpu.h>
#include <asm/x86.h>

int arch_partition_create(struct hv_partition *p)
{
	struct part_x86 *px = mm_alloc_page();
	struct cpuid_regs r;

	if (!px)
		return -ENOMEM;
	_Static_assert(sizeof(*px) <= PAGE_SIZE, "part_x86 fits a page");
	cpuid_count(0x80000001, 0, &r);
	if (npt_init(&px->npt, vcpu_vendor_npt_format(), &hv_npt_alloc,
		     r.edx & BIT(26))) {
		mm_free_page(px);
		return -ENOMEM;
	}
	px->asid = (u16)(p->id + 1);	/* 1 is the parent's */
	p->arch = px;
	return 0;
}

void arch_partition_destroy(struct hv_partition *p)
{
	struct part_x86 *px = p->arch;

	if (!px)
		return;
	npt_destroy(&px->npt);
	mm_free_page(px);
	p->arch = NULL;
}

int arch_gpa_map(struct hv_partition *p, gpa_t gpa, hpa_t hpa, u32 flags)
{
	unsigned int prot = NPT_R;

	if (flags & HV_MAP_GPA_WRITABLE)
		prot |= NPT_W;
	if (flags & HV_MAP_GPA_EXECUTABLE)
		prot |= NPT_X;
	return npt_map(&part_x86(p)->npt, gpa, hpa, PAGE_SIZE, prot, NPT_MT_WB);
}

int arch_gpa_unmap(struct hv_partition *p, gpa_t gpa, hpa_t *hpa)
{
	struct part_x86 *px = part_x86(p);
	struct npt_mapping m;
	u32 i;

	if (npt_lookup(&px->npt, gpa, &m))
		return -ENOENT;
	if (npt_unmap(&px->npt, gpa, PAGE_SIZE))
		return -ENOENT;
	*hpa = m.hpa;
	/* No VP may use a stale translation of the page the parent gets back. */
	for (i = 0; i < MKHV_MAX_CHILD_VPS; i++)
		if (p->vps[i])
			vcpu_vendor_flush_tlb(p->vps[i]->arch);
	return 0;
}

int arch_vp_create(struct hv_vp *vp)
{
	struct vcpu_x86 *v = mm_alloc_page();

	if (!v)
		return -ENOMEM;
	_Static_assert(sizeof(*v) <= PAGE_SIZE, "vcpu_x86 fits a page");
	v->vp = vp;
	vp->arch = v;
	if (vcpu_vendor_create(v)) {
		vp->arch = NULL;
		mm_free_page(v);
		return -ENOMEM;
	}
	vcpu_vendor_reset(v);
	return 0;
}

void arch_vp_destroy(struct hv_vp *vp)
{
	struct vcpu_x86 *v = vp->arch;

	sched_detach(vp);
	if (!v)
		return;
	vcpu_vendor_destroy(v);
	mm_free_page(v);
	vp->arch = NULL;
}

int arch_vp_get_reg(struct hv_vp *vp, u32 name, struct hv_register_value *val)
{
	return vcpu_vendor_get_reg(vp->arch, name, val);
}

int arch_vp_set_reg(struct hv_vp *vp, u32 name,
		    const struct hv_register_value *val)
{
	return vcpu_vendor_set_reg(vp->arch, name, val);
}

void arch_notify_parent(void)
{
	apic_send_fixed(pcpus[0].apic_id, MKHV_PARENT_CALLBACK_VECTOR);
}
