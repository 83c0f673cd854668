// SPDX-License-Identifier: GPL-2.0
/*
 * SynIC of a child VP (see mkhv/synic.h).  The message page belongs to the
 * guest: the hv writes a slot only when its message type is HVMSG_NONE and
 * writes the type last; a busy slot gets msg_pending so the guest writes
 * EOM when it frees one (TLFS §11.10.3).  The parent's messages and events
 * wait in the VP's inbox until the VP's own pCPU drains it, because the
 * SynIC registers and the vLAPIC belong to that pCPU alone.
 */
#include <mkhv/arch.h>
#include <mkhv/errno.h>
#include <mkhv/partition.h>
#include <mkhv/printk.h>
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
		s->pending = 0;	/* rescan every busy slot (TLFS §11.10.3) */
		return 1;
	default:
		return -EINVAL;	/* SVERSION is read-only */
	}
}

/* The SINT's interrupt, unless masked (lost, TLFS) or in polling mode. */
static void raise_sint(const struct hv_synic *s, struct vlapic *vl, u32 sint)
{
	u64 v = s->sint[sint];

	if (v & (HV_SINT_MASKED | HV_SINT_POLLING))
		return;
	if (v & HV_SINT_AUTO_EOI)
		vlapic_accept_auto_eoi(vl, (u8)v);
	else
		vlapic_accept(vl, (u8)v);
}

/*
 * The slot at @slot holds an undelivered message: set its msg_pending so
 * the guest writes EOM once it frees the slot.  Linux frees a slot with
 * cmpxchg(type, 0) and then reads msg_pending: if the guest freed it
 * between our read of the type and our write of the flag, it may have
 * read the flag as 0 and will never EOM, so read the type again after
 * setting the flag.  Return: 0 (now free), -EAGAIN (busy), -EFAULT.
 */
static int mark_pending(struct hv_synic *s, struct hv_partition *part,
			u64 slot, u32 sint)
{
	u32 type;
	u8 flags;

	if (arch_copy_from_guest(part, &flags, slot + 5, 1))
		return -EFAULT;
	flags |= HV_MSG_FLAG_PENDING;
	if (arch_copy_to_guest(part, slot + 5, &flags, 1))
		return -EFAULT;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (arch_copy_from_guest(part, &type, slot, sizeof(type)))
		return -EFAULT;
	if (!type)
		return 0;
	s->pending |= (u16)(1u << sint);
	return -EAGAIN;
}

int synic_post(struct hv_synic *s, struct hv_partition *part,
	       struct vlapic *vl, u32 sint, const void *msg)
{
	u64 slot;
	u32 type;
	int ret;

	if (sint >= HV_SYNIC_SINT_COUNT ||
	    !(s->control & HV_SYNIC_CONTROL_ENABLE) ||
	    !(s->simp & HV_SYNIC_PAGE_ENABLE))
		return -ENODEV;
	slot = (s->simp & PAGE_MASK) + (u64)sint * HV_MESSAGE_SIZE;
	if (arch_copy_from_guest(part, &type, slot, sizeof(type)))
		return -EFAULT;
	if (type) {
		ret = mark_pending(s, part, slot, sint);
		if (ret)
			return ret;
	}
	if (arch_copy_to_guest(part, slot + 4, (const u8 *)msg + 4,
			       HV_MESSAGE_SIZE - 4))
		return -EFAULT;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	if (arch_copy_to_guest(part, slot, msg, 4))
		return -EFAULT;
	s->pending &= (u16)~(1u << sint);
	raise_sint(s, vl, sint);
	return 0;
}

int synic_signal(struct hv_synic *s, struct hv_partition *part,
		 struct vlapic *vl, u32 sint, const u64 *bits, u32 nwords)
{
	u64 area, old;
	bool fresh = false;
	u32 i;

	if (sint >= HV_SYNIC_SINT_COUNT || nwords > HV_EVENT_FLAGS_COUNT / 64 ||
	    !(s->control & HV_SYNIC_CONTROL_ENABLE) ||
	    !(s->siefp & HV_SYNIC_PAGE_ENABLE))
		return -ENODEV;
	area = (s->siefp & PAGE_MASK) + (u64)sint * (HV_EVENT_FLAGS_COUNT / 8);
	for (i = 0; i < nwords; i++) {
		if (!bits[i])
			continue;
		if (arch_guest_or64(part, area + 8 * i, bits[i], &old))
			return -EFAULT;
		fresh |= (bits[i] & ~old) != 0;
	}
	if (fresh)
		raise_sint(s, vl, sint);
	return 0;
}

/* ---- the parent's deliveries, waiting for the VP's pCPU ---- */

void synic_inbox_init(struct synic_inbox *in)
{
	memset(in, 0, sizeof(*in));
	spin_lock_init(&in->lock);
}

static void update_work(struct synic_inbox *in)
{
	__atomic_store_n(&in->work, in->nr_msgs || in->event_sints,
			 __ATOMIC_RELEASE);
}

int synic_inbox_post(struct synic_inbox *in, u32 sint, const void *msg)
{
	u32 i;

	if (sint >= HV_SYNIC_SINT_COUNT)
		return -EINVAL;
	spin_lock(&in->lock);
	for (i = 0; i < MKHV_VP_MSG_INBOX && in->msgs[i].used; i++)
		;
	if (i == MKHV_VP_MSG_INBOX) {
		__atomic_store_n(&in->refused, 1, __ATOMIC_RELEASE);
		spin_unlock(&in->lock);
		return -ENOSPC;
	}
	in->msgs[i].used = 1;
	in->msgs[i].sint = (u8)sint;
	in->msgs[i].seq = in->next_seq++;
	memcpy(in->msgs[i].msg, msg, HV_MESSAGE_SIZE);
	in->nr_msgs++;
	update_work(in);
	spin_unlock(&in->lock);
	return 0;
}

bool synic_inbox_take_space(struct synic_inbox *in)
{
	bool space = false;

	if (!__atomic_load_n(&in->refused, __ATOMIC_ACQUIRE))
		return false;
	spin_lock(&in->lock);
	if (in->refused && in->nr_msgs < MKHV_VP_MSG_INBOX) {
		in->refused = 0;
		space = true;
	}
	spin_unlock(&in->lock);
	return space;
}

int synic_inbox_signal(struct synic_inbox *in, u32 sint, u32 flag)
{
	u64 bit = 1ull << (flag % 64);
	int fresh;

	if (sint >= HV_SYNIC_SINT_COUNT || flag >= HV_EVENT_FLAGS_COUNT)
		return -EINVAL;
	spin_lock(&in->lock);
	fresh = !(in->events[sint][flag / 64] & bit);
	in->events[sint][flag / 64] |= bit;
	in->event_sints |= (u16)(1u << sint);
	update_work(in);
	spin_unlock(&in->lock);
	return fresh;
}

/* The oldest queued message of a SINT not in @skip, or -1. */
static int oldest(const struct synic_inbox *in, u16 skip)
{
	int best = -1;
	u32 i;

	for (i = 0; i < MKHV_VP_MSG_INBOX; i++) {
		const struct synic_inbox_msg *m = &in->msgs[i];

		if (!m->used || (skip & (1u << m->sint)))
			continue;
		if (best < 0 || (s32)(m->seq - in->msgs[best].seq) < 0)
			best = (int)i;
	}
	return best;
}

static bool drain_msgs(struct synic_inbox *in, struct hv_synic *s,
		       struct hv_partition *part, struct vlapic *vl)
{
	/* Busy slots wait for EOM; order within a SINT is kept. */
	u16 skip = s->pending;
	bool any = false;
	int i;

	while ((i = oldest(in, skip)) >= 0) {
		struct synic_inbox_msg *m = &in->msgs[i];
		int ret = synic_post(s, part, vl, m->sint, m->msg);

		if (ret == -EAGAIN || ret == -ENODEV) {
			skip |= (u16)(1u << m->sint);
			continue;
		}
		if (ret)
			pr_warn("partition %u: SIMP page is not RAM: message for SINT%u dropped\n",
				part->id, m->sint);
		any |= ret == 0;
		m->used = 0;
		in->nr_msgs--;
	}
	return any;
}

static bool drain_events(struct synic_inbox *in, struct hv_synic *s,
			 struct hv_partition *part, struct vlapic *vl)
{
	u16 sints = in->event_sints;
	bool any = false;

	while (sints) {
		u32 sint = (u32)__builtin_ctz(sints);
		int ret = synic_signal(s, part, vl, sint, in->events[sint],
				       HV_EVENT_FLAGS_COUNT / 64);

		sints &= (u16)(sints - 1);
		if (ret == -ENODEV)
			continue;	/* SIEF page not enabled yet: keep */
		if (ret)
			pr_warn("partition %u: SIEF page is not RAM: SINT%u events dropped\n",
				part->id, sint);
		any |= ret == 0;
		memset(in->events[sint], 0, sizeof(in->events[sint]));
		in->event_sints &= (u16)~(1u << sint);
	}
	return any;
}

bool synic_inbox_drain(struct synic_inbox *in, struct hv_synic *s,
		       struct hv_partition *part, struct vlapic *vl)
{
	bool any;

	if (!__atomic_load_n(&in->work, __ATOMIC_ACQUIRE))
		return false;
	spin_lock(&in->lock);
	any = drain_msgs(in, s, part, vl);
	any |= drain_events(in, s, part, vl);
	update_work(in);
	spin_unlock(&in->lock);
	return any;
}
