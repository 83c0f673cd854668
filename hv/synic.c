// SPDX-License-Identifier: GPL-2.0
/*
 * SynIC of a child VP (see mkhv/synic.h).  The message page belongs to the
 * guest: the hv writes a slot only when its message type is HVMSG_NONE and
 * writes the type last; a busy slot gets msg_pending so the guest writes
 * EOM when it frees one (TLFS §11.10.3).
 */
#include <mkhv/arch.h>
#include <mkhv/errno.h>
#include <mkhv/string.h>
#include <mkhv/synic.h>
#include <mkhv/vlapic.h>

#define PAGE_MSR_VALID	(PAGE_MASK | HV_SYNIC_PAGE_ENABLE)

void synic_init(struct hv_synic *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < HV_SYNIC_SINT_COUNT; i++)
		s->sint[i] = HV_SINT_MASKED;
}

int synic_rdmsr(const struct hv_synic *s, u32 msr, u64 *val)
{
	if (msr >= HV_X64_MSR_SINT0 && msr <= HV_X64_MSR_SINT15) {
		*val = s->sint[msr - HV_X64_MSR_SINT0];
		return 0;
	}
	switch (msr) {
	case HV_X64_MSR_SCONTROL: *val = s->control; return 0;
	case HV_X64_MSR_SVERSION: *val = HV_SYNIC_VERSION; return 0;
	case HV_X64_MSR_SIEFP: *val = s->siefp; return 0;
	case HV_X64_MSR_SIMP: *val = s->simp; return 0;
	default: return -EINVAL;	/* EOM is write-only */
	}
}

int synic_wrmsr(struct hv_synic *s, u32 msr, u64 val)
{
	if (msr >= HV_X64_MSR_SINT0 && msr <= HV_X64_MSR_SINT15) {
		if ((val & ~HV_SINT_VALID) ||
		    (!(val & HV_SINT_MASKED) && (val & 0xff) < 16))
			return -EINVAL;
		s->sint[msr - HV_X64_MSR_SINT0] = val;
		return 0;
	}
	switch (msr) {
	case HV_X64_MSR_SCONTROL:
		if (val & ~HV_SYNIC_CONTROL_ENABLE)
			return -EINVAL;
		s->control = val;
		return 0;
	case HV_X64_MSR_SIEFP:
	case HV_X64_MSR_SIMP:
		/* Guest physical page number in 63:12 (TLFS), bits 11:1 reserved. */
		if (val & ~PAGE_MSR_VALID)
			return -EINVAL;
		*(msr == HV_X64_MSR_SIMP ? &s->simp : &s->siefp) = val;
		return 0;
	case HV_X64_MSR_EOM:
		return 1;
	default:
		return -EINVAL;	/* SVERSION is read-only */
	}
}

int synic_post(struct hv_synic *s, struct hv_partition *part,
	       struct vlapic *vl, u32 sint, const void *msg)
{
	u64 slot;
	u32 type;
	u8 flags;

	if (sint >= HV_SYNIC_SINT_COUNT ||
	    !(s->control & HV_SYNIC_CONTROL_ENABLE) ||
	    !(s->simp & HV_SYNIC_PAGE_ENABLE) ||
	    (s->sint[sint] & HV_SINT_MASKED))
		return -ENODEV;
	slot = (s->simp & PAGE_MASK) + (u64)sint * HV_MESSAGE_SIZE;
	if (arch_copy_from_guest(part, &type, slot, sizeof(type)))
		return -EFAULT;
	if (type) {
		/* Guest still owns the slot: ask for an EOM, retry then. */
		if (arch_copy_from_guest(part, &flags, slot + 5, 1))
			return -EFAULT;
		flags |= HV_MSG_FLAG_PENDING;
		if (arch_copy_to_guest(part, slot + 5, &flags, 1))
			return -EFAULT;
		s->pending |= (u16)(1u << sint);
		return -EAGAIN;
	}
	if (arch_copy_to_guest(part, slot + 4, (const u8 *)msg + 4,
			       HV_MESSAGE_SIZE - 4))
		return -EFAULT;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	if (arch_copy_to_guest(part, slot, msg, 4))
		return -EFAULT;
	s->pending &= (u16)~(1u << sint);
	if (!(s->sint[sint] & HV_SINT_POLLING))
		vlapic_accept(vl, (u8)s->sint[sint]);
	return 0;
}
