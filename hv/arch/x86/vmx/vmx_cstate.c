// SPDX-License-Identifier: GPL-2.0
/*
 * Pure logic of VMX child VPs (see vmx_cstate.h); built into the hv and
 * into tests/unit/test_vmx_child.c.  Nothing here touches the CPU.
 */
#include <mkhv/errno.h>
#include <mkhv/string.h>
#include "vmx_cstate.h"

#define REG_RSP		(HV_X64_REGISTER_RAX + 4)
#define REG_GPR_LAST	(HV_X64_REGISTER_RAX + 15)
#define RFLAGS_VALID	0x003f7fd7ull
#define EFER_VALID	(VMX_EFER_SCE | VMX_EFER_LME | VMX_EFER_LMA | \
			 VMX_EFER_NXE)
#define AR_PRESENT	(1u << 7)

int vmx_child_ctls(const struct vmx_caps *c, const struct vmx_ctls *parent,
		   struct vmx_ctls *out, const char **why)
{
	u32 window;

	*out = *parent;
	if (vmx_ctl_fix(c->pin, parent->pin | PIN_EXT_INTR_EXIT,
			PIN_NMI_EXIT | PIN_PREEMPT_TIMER, &out->pin)) {
		*why = "no external-interrupt exiting";
		return -ENODEV;
	}
	if (vmx_ctl_fix(c->proc, parent->proc | PROC_HLT_EXIT, 0, &out->proc)) {
		*why = "no HLT exiting";
		return -ENODEV;
	}
	/* Set only while an interrupt waits for the guest to take it. */
	if (vmx_ctl_fix(c->proc, PROC_INTR_WINDOW, 0, &window)) {
		*why = "no interrupt-window exiting";
		return -ENODEV;
	}
	out->entry = parent->entry & ~ENTRY_GUEST_64;
	return 0;
}

static void seg(struct vmx_seg *s, u16 sel, u64 base, u32 limit, u32 ar)
{
	s->sel = sel;
	s->base = base;
	s->limit = limit;
	s->ar = ar;
}

void vmx_child_reset(struct vmx_child_state *s, u64 *rdx)
{
	int i;

	memset(s, 0, sizeof(*s));
	seg(&s->seg[VMX_SEG_CS], 0xf000, 0xffff0000, 0xffff, 0x9b);
	for (i = VMX_SEG_ES; i <= VMX_SEG_GS; i++)
		if (i != VMX_SEG_CS)
			seg(&s->seg[i], 0, 0, 0xffff, 0x93);
	seg(&s->seg[VMX_SEG_LDTR], 0, 0, 0xffff, 0x82);
	seg(&s->seg[VMX_SEG_TR], 0, 0, 0xffff, 0x8b);
	s->gdtr.limit = 0xffff;
	s->idtr.limit = 0xffff;
	s->cr0 = 0x60000010 | VMX_CR0_NE;
	s->rflags = 0x2;
	s->rip = 0xfff0;
	s->dr7 = 0x400;
	s->pat = 0x0007040600070406ull;
	s->xcr0 = 1;
	*rdx = 0x600;
}

/*
 * The TLFS (and the descriptor) keep type/S/DPL/P in bits 7:0 and
 * AVL/L/D/G in bits 15:12, as the VMCS access rights do; bits 11:8 are
 * reserved in both.  VMX adds "unusable" (bit 16), which the TLFS form
 * expresses as a segment that is not present.
 */
u16 vmx_ar_to_tlfs(u32 ar)
{
	if (ar & VMX_AR_UNUSABLE)
		return (u16)(ar & 0xf07f);
	return (u16)(ar & 0xf0ff);
}

u32 vmx_ar_from_tlfs(u16 attr)
{
	u32 ar = attr & 0xf0ff;

	return ar & AR_PRESENT ? ar : ar | VMX_AR_UNUSABLE;
}

static const u64 *ctrl_c(const struct vmx_child_state *s, u32 name)
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

static const struct vmx_seg *table_c(const struct vmx_child_state *s, u32 name)
{
	if (name == HV_X64_REGISTER_IDTR)
		return &s->idtr;
	return name == HV_X64_REGISTER_GDTR ? &s->gdtr : NULL;
}

int vmx_child_get_reg(const struct vmx_child_state *s, const u64 *gprs,
		      u32 name, struct hv_register_value *val)
{
	const struct vmx_seg *g;
	const u64 *r;

	val->high = 0;
	if (name >= HV_X64_REGISTER_RAX && name <= REG_GPR_LAST) {
		val->low = name == REG_RSP ? s->rsp :
			   gprs[name - HV_X64_REGISTER_RAX];
	} else if (name >= HV_X64_REGISTER_ES && name <= HV_X64_REGISTER_TR) {
		g = &s->seg[name - HV_X64_REGISTER_ES];
		val->low = g->base;
		val->high = g->limit | (u64)g->sel << 32 |
			    (u64)vmx_ar_to_tlfs(g->ar) << 48;
	} else if ((g = table_c(s, name))) {
		val->low = g->base;
		val->high = g->limit;
	} else if ((r = ctrl_c(s, name))) {
		val->low = *r;
	} else {
		return -EINVAL;
	}
	return 0;
}

/* Values VM entry would refuse (SDM §27.3.1) or a CPU would #GP on. */
static bool ctrl_value_ok(u32 name, u64 v, u64 cr4_fixed1)
{
	switch (name) {
	case HV_X64_REGISTER_CR0:
		return !(v >> 32) && !((v & VMX_CR0_NW) && !(v & VMX_CR0_CD)) &&
		       !((v & VMX_CR0_PG) && !(v & VMX_CR0_PE));
	case HV_X64_REGISTER_CR3:
		return !(v >> 52);
	case HV_X64_REGISTER_CR4:
		return !(v & ~(cr4_fixed1 & ~(VMX_CR4_VMXE | VMX_CR4_SMXE)));
	case HV_X64_REGISTER_EFER:
		return !(v & ~EFER_VALID);
	case HV_X64_REGISTER_RFLAGS:
		return !(v & ~RFLAGS_VALID) && (v & 2);
	default:
		return true;
	}
}

int vmx_child_set_reg(struct vmx_child_state *s, u64 *gprs, u64 cr4_fixed1,
		      u32 name, const struct hv_register_value *val)
{
	struct vmx_seg *g;

	if (name >= HV_X64_REGISTER_RAX && name <= REG_GPR_LAST) {
		if (val->high)
			return -EINVAL;
		if (name == REG_RSP)
			s->rsp = val->low;
		else
			gprs[name - HV_X64_REGISTER_RAX] = val->low;
	} else if (name >= HV_X64_REGISTER_ES && name <= HV_X64_REGISTER_TR) {
		u16 attr = (u16)(val->high >> 48);

		if (attr & 0xf00)	/* reserved attribute bits */
			return -EINVAL;
		g = &s->seg[name - HV_X64_REGISTER_ES];
		g->base = val->low;
		g->limit = (u32)val->high;
		g->sel = (u16)(val->high >> 32);
		g->ar = vmx_ar_from_tlfs(attr);
	} else if (name == HV_X64_REGISTER_IDTR ||
		   name == HV_X64_REGISTER_GDTR) {
		if (val->high >> 16)
			return -EINVAL;
		g = (struct vmx_seg *)table_c(s, name);
		g->base = val->low;
		g->limit = (u32)val->high;
	} else if (ctrl_c(s, name) && !val->high &&
		   ctrl_value_ok(name, val->low, cr4_fixed1)) {
		*(u64 *)ctrl_c(s, name) = val->low;
	} else {
		return -EINVAL;
	}
	return 0;
}

int vmx_child_cr0_write(u64 old, u64 val, u64 cr4, u64 *efer)
{
	if ((val >> 32) || ((val & VMX_CR0_NW) && !(val & VMX_CR0_CD)) ||
	    ((val & VMX_CR0_PG) && !(val & VMX_CR0_PE)))
		return -EINVAL;
	if (!(*efer & VMX_EFER_LME) || !((old ^ val) & VMX_CR0_PG))
		return 0;
	if (val & VMX_CR0_PG) {
		if (!(cr4 & VMX_CR4_PAE))
			return -EINVAL;
		*efer |= VMX_EFER_LMA;
	} else {
		*efer &= ~VMX_EFER_LMA;
	}
	return 0;
}

int vmx_child_efer_write(u64 cur, u64 val, u64 cr0, u64 *out)
{
	if (val & ~EFER_VALID)
		return -EINVAL;
	if ((cr0 & VMX_CR0_PG) && ((cur ^ val) & VMX_EFER_LME))
		return -EINVAL;
	*out = (val & ~VMX_EFER_LMA) | (cur & VMX_EFER_LMA);
	return 0;
}

int vmx_io_decode(u64 qual, struct vmx_io_exit *io)
{
	u32 size = (u32)(qual & IO_QUAL_SIZE_MASK) + 1;

	if (size != 1 && size != 2 && size != 4)
		return -EINVAL;
	io->size = (u8)size;
	io->port = (u16)(qual >> IO_QUAL_PORT_SHIFT);
	io->in = qual & IO_QUAL_IN;
	io->string = qual & IO_QUAL_STRING;
	io->rep = qual & IO_QUAL_REP;
	return 0;
}

u8 vmx_ept_access(u64 qual)
{
	if (qual & EPT_QUAL_FETCH)
		return 2;
	return (qual & EPT_QUAL_WRITE) ? 1 : 0;
}
