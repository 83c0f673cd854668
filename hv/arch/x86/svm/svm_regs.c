// SPDX-License-Identifier: GPL-2.0
/*
 * SVM: a child VP's register state as the parent's VMM sees it through
 * Get/SetVpRegisters (TLFS register names), its INIT reset state, and
 * control-block teardown.  Values VMRUN would refuse on real hardware are
 * refused here (QEMU's TCG does not check them, DESIGN §11).
 */
#include <mkhv/errno.h>
#include <mkhv/hvcall_partition.h>
#include <mkhv/mm.h>
#include <mkhv/string.h>
#include <asm/vcpu.h>
#include <asm/x86.h>
#include "vmcb.h"
#include "svm.h"

#define REG_GPR_LAST	(HV_X64_REGISTER_RAX + 15)
#define REG_SEG_LAST	HV_X64_REGISTER_TR
#define REG_RSP		(HV_X64_REGISTER_RAX + 4)

/* EFER bits a guest may hold: SCE, LME, LMA, NXE, SVME, LMSLE, FFXSR. */
#define EFER_VALID	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE | \
			 EFER_SVME | BIT_ULL(13) | BIT_ULL(14))
/* CR4 bits mkhv lets a child set (VME..PKE, no SMX/VMX features). */
#define CR4_VALID	0x007d17ffull
#define RFLAGS_VALID	0x003f7fd7ull

static struct vmcb *vmcb_of(struct vcpu_x86 *v)
{
	return v->vmcb;
}

void svm_vcpu_destroy(struct vcpu_x86 *v)
{
	mm_free_page(v->vmcb);
	v->vmcb = NULL;
	svm_child_fpu_free(v);
}

u64 svm_tsc_offset(struct vcpu_x86 *v)
{
	return vmcb_of(v)->ctl.tsc_offset;
}

void svm_flush_tlb(struct vcpu_x86 *v)
{
	vmcb_of(v)->ctl.tlb_ctl = 1;
}

static void seg(struct vmcb_seg *s, u16 sel, u64 base, u32 limit, u16 attr)
{
	s->sel = sel;
	s->base = base;
	s->limit = limit;
	s->attrib = attr;
}

/* Architectural state after INIT (AMD APM vol. 2, table 14-1). */
void svm_vcpu_reset(struct vcpu_x86 *v)
{
	struct vmcb_save *s = &vmcb_of(v)->save;

	memset(s, 0, sizeof(*s));
	seg(&s->cs, 0xf000, 0xffff0000, 0xffff, 0x9b);
	seg(&s->ds, 0, 0, 0xffff, 0x93);
	s->es = s->ss = s->fs = s->gs = s->ds;
	seg(&s->ldtr, 0, 0, 0xffff, 0x82);
	seg(&s->tr, 0, 0, 0xffff, 0x8b);
	s->gdtr.limit = 0xffff;
	s->idtr.limit = 0xffff;
	s->cr0 = 0x60000010;
	s->efer = EFER_SVME;	/* hidden from the guest; VMRUN needs it */
	s->rflags = 0x2;
	s->rip = 0xfff0;
	s->dr6 = 0xffff0ff0;
	s->dr7 = 0x400;
	s->g_pat = 0x0007040600070406ull;
	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.rdx = 0x600;	/* family 6 reset signature */
}

/*
 * Segment attributes: the TLFS (and the descriptor) keep type/S/DPL/P in
 * bits 7:0 and AVL/L/D/G in bits 15:12; the VMCB packs the latter into
 * bits 11:8.  TLFS bits 11:8 are reserved.
 */
static u16 attr_to_tlfs(u16 vmcb)
{
	return (u16)((vmcb & 0xff) | ((vmcb & 0xf00) << 4));
}

static u16 attr_to_vmcb(u16 tlfs)
{
	return (u16)((tlfs & 0xff) | ((tlfs >> 4) & 0xf00));
}

static struct vmcb_seg *seg_of(struct vmcb_save *s, u32 name)
{
	struct vmcb_seg *segs[] = { &s->es, &s->cs, &s->ss, &s->ds, &s->fs,
				    &s->gs, &s->ldtr, &s->tr };

	return segs[name - HV_X64_REGISTER_ES];
}

/* GPRs: RAX and RSP live in the VMCB, the rest in v->regs by number. */
static u64 *gpr(struct vcpu_x86 *v, u32 name)
{
	struct vmcb_save *s = &vmcb_of(v)->save;
	u64 *regs = (u64 *)&v->regs;

	if (name == HV_X64_REGISTER_RAX)
		return &s->rax;
	if (name == REG_RSP)
		return &s->rsp;
	return &regs[name - HV_X64_REGISTER_RAX];
}

static u64 *ctrl(struct vmcb_save *s, u32 name)
{
	switch (name) {
	case HV_X64_REGISTER_RIP: return &s->rip;
	case HV_X64_REGISTER_RFLAGS: return &s->rflags;
	case HV_X64_REGISTER_CR0: return &s->cr0;
	case HV_X64_REGISTER_CR2: return &s->cr2;
	case HV_X64_REGISTER_CR3: return &s->cr3;
	case HV_X64_REGISTER_CR4: return &s->cr4;
	case HV_X64_REGISTER_EFER: return &s->efer;
	default: return NULL;
	}
}

int svm_get_reg(struct vcpu_x86 *v, u32 name, struct hv_register_value *val)
{
	struct vmcb_save *s = &vmcb_of(v)->save;
	u64 *r;

	val->high = 0;
	if (name >= HV_X64_REGISTER_RAX && name <= REG_GPR_LAST) {
		val->low = *gpr(v, name);
	} else if (name >= HV_X64_REGISTER_ES && name <= REG_SEG_LAST) {
		struct vmcb_seg *g = seg_of(s, name);

		val->low = g->base;
		val->high = g->limit | (u64)g->sel << 32 |
			    (u64)attr_to_tlfs(g->attrib) << 48;
	} else if (name == HV_X64_REGISTER_IDTR || name == HV_X64_REGISTER_GDTR) {
		struct vmcb_seg *g = name == HV_X64_REGISTER_IDTR ? &s->idtr :
								    &s->gdtr;

		val->low = g->base;
		val->high = g->limit;
	} else if ((r = ctrl(s, name))) {
		val->low = *r;
		if (name == HV_X64_REGISTER_EFER)
			val->low &= ~EFER_SVME;	/* the guest never sees it */
	} else {
		return -EINVAL;
	}
	return 0;
}

/* Values VMRUN would refuse (APM 15.5.1 "canonicalization and checks"). */
static bool ctrl_value_ok(u32 name, u64 v)
{
	switch (name) {
	case HV_X64_REGISTER_CR0:
		return !(v >> 32) && !(!(v & X86_CR0_CD_BIT) && (v & X86_CR0_NW_BIT));
	case HV_X64_REGISTER_CR3:
		return !(v >> 52);
	case HV_X64_REGISTER_CR4:
		return !(v & ~CR4_VALID);
	case HV_X64_REGISTER_EFER:
		return !(v & ~EFER_VALID);
	case HV_X64_REGISTER_RFLAGS:
		return !(v & ~RFLAGS_VALID) && (v & 2);
	default:
		return true;
	}
}

int svm_set_reg(struct vcpu_x86 *v, u32 name,
		const struct hv_register_value *val)
{
	struct vmcb_save *s = &vmcb_of(v)->save;
	u64 *r;

	if (name >= HV_X64_REGISTER_RAX && name <= REG_GPR_LAST) {
		if (val->high)
			return -EINVAL;
		*gpr(v, name) = val->low;
	} else if (name >= HV_X64_REGISTER_ES && name <= REG_SEG_LAST) {
		struct vmcb_seg *g = seg_of(s, name);

		if ((val->high >> 48) & 0xf00)	/* reserved attribute bits */
			return -EINVAL;
		g->base = val->low;
		g->limit = (u32)val->high;
		g->sel = (u16)(val->high >> 32);
		g->attrib = attr_to_vmcb((u16)(val->high >> 48));
		if (name == HV_X64_REGISTER_CS || name == HV_X64_REGISTER_SS)
			s->cpl = (u8)(g->sel & 3);
	} else if (name == HV_X64_REGISTER_IDTR || name == HV_X64_REGISTER_GDTR) {
		struct vmcb_seg *g = name == HV_X64_REGISTER_IDTR ? &s->idtr :
								    &s->gdtr;

		if (val->high >> 16)
			return -EINVAL;
		g->base = val->low;
		g->limit = (u32)val->high;
	} else if ((r = ctrl(s, name)) && !val->high &&
		   ctrl_value_ok(name, val->low)) {
		*r = val->low;
		if (name == HV_X64_REGISTER_EFER)
			*r |= EFER_SVME;
	} else {
		return -EINVAL;
	}
	return 0;
}
