/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The synthetic interrupt controller of a child VP (TLFS §11): SCONTROL,
 * SVERSION, SIEFP, SIMP, EOM and SINT0-15, and posting a 256-byte message
 * into a SINT's slot of the message page with the msg_pending/EOM
 * protocol.  Messages raise the SINT's vector in the VP's vLAPIC.  The
 * VMBus server of the parent feeds it (issue 8).  Portable.
 */
#ifndef MKHV_SYNIC_H
#define MKHV_SYNIC_H

#include <mkhv/types.h>
#include <mkhv/spinlock.h>
#include <mkhv/hvcall_partition.h>

#define HV_X64_MSR_SCONTROL	0x40000080
#define HV_X64_MSR_SVERSION	0x40000081
#define HV_X64_MSR_SIEFP	0x40000082
#define HV_X64_MSR_SIMP		0x40000083
#define HV_X64_MSR_EOM		0x40000084
#define HV_X64_MSR_SINT0	0x40000090
#define HV_X64_MSR_SINT15	0x4000009f
#define HV_SYNIC_SINT_COUNT	16
#define HV_SYNIC_VERSION	1

#define HV_SYNIC_CONTROL_ENABLE	BIT_ULL(0)
#define HV_SYNIC_PAGE_ENABLE	BIT_ULL(0)	/* SIMP, SIEFP */
#define HV_SINT_MASKED		BIT_ULL(16)
#define HV_SINT_AUTO_EOI	BIT_ULL(17)
#define HV_SINT_POLLING		BIT_ULL(18)
#define HV_SINT_VALID		0x700ffULL	/* vector, masked, auto-EOI, polling */

#define HV_MESSAGE_SIZE		256
#define HV_MSG_FLAG_PENDING	0x01		/* header byte 5 */

struct hv_partition;
struct vlapic;

struct hv_synic {
	u64 control, simp, siefp;
	u64 sint[HV_SYNIC_SINT_COUNT];
	u16 pending;		/* SINTs whose slot was busy: retry on EOM */
};

/*
 * What the parent sent a VP (HvCallPostMessageDirect/SignalEventDirect),
 * waiting for the VP's own pCPU, which alone touches the VP's SynIC and
 * vLAPIC (synic_inbox_drain() before each entry).  Any CPU adds under
 * @lock; bounded: MKHV_VP_MSG_INBOX messages, one bit per SIEF flag.
 */
struct synic_inbox_msg {
	u32 seq;		/* arrival order (wraps; compared as a difference) */
	u8 sint;
	u8 used;
	u8 msg[HV_MESSAGE_SIZE];
};

struct synic_inbox {
	spinlock_t lock;
	volatile u32 work;	/* non-zero: something to deliver (atomics) */
	u32 next_seq;
	u32 nr_msgs;
	u16 event_sints;	/* SINTs with flags in events[] */
	volatile u8 refused;	/* a post found it full (atomics) */
	struct synic_inbox_msg msgs[MKHV_VP_MSG_INBOX];
	u64 events[HV_SYNIC_SINT_COUNT][HV_EVENT_FLAGS_COUNT / 64];
};

/** synic_is_msr() - is @msr a SynIC register? */
static inline bool synic_is_msr(u32 msr)
{
	return (msr >= HV_X64_MSR_SCONTROL && msr <= HV_X64_MSR_EOM) ||
	       (msr >= HV_X64_MSR_SINT0 && msr <= HV_X64_MSR_SINT15);
}

/** synic_init() - reset values: disabled, every SINT masked. */
void synic_init(struct hv_synic *s);

/**
 * synic_rdmsr() / synic_wrmsr() - guest register access.
 * Return: 0, 1 from wrmsr for an EOM write (it also clears @pending, so
 * the next synic_inbox_drain() retries the busy slots: TLFS "the
 * hypervisor rescans on EOM"), -EINVAL (#GP) for reserved bits, a SINT
 * vector below 16, a write to SVERSION or a read of EOM.
 */
int synic_rdmsr(const struct hv_synic *s, u32 msr, u64 *val);
int synic_wrmsr(struct hv_synic *s, u32 msr, u64 val);

/**
 * synic_post() - put @msg (HV_MESSAGE_SIZE bytes, message type first) in
 * slot @sint of the VP's message page and raise the SINT (TLFS §11.10:
 * a masked SINT gets the message but the interrupt is lost; a polling
 * SINT gets no interrupt; an auto-EOI SINT's vector skips the ISR).
 * @part: the child (guest memory access), @vl: the VP's vLAPIC
 * Return: 0; -EAGAIN when the slot is still owned by the guest (the slot's
 * msg_pending flag is set so the guest EOMs, then retry); -ENODEV when the
 * SynIC or the message page is disabled or @sint is out of range;
 * -EFAULT when the page is not the child's RAM.
 */
int synic_post(struct hv_synic *s, struct hv_partition *part,
	       struct vlapic *vl, u32 sint, const void *msg);

/**
 * synic_signal() - OR @bits (@nwords u64s, flag 0 first) into SINT @sint's
 * area of the VP's SIEF page, atomically per word (the guest clears flags
 * concurrently with test-and-clear), then raise the SINT if a flag was
 * newly set (same masked/polling/auto-EOI rules as synic_post()).
 * Return: 0; -ENODEV when the SynIC or the SIEF page is disabled or @sint
 * is out of range; -EFAULT when the page is not the child's RAM.
 */
int synic_signal(struct hv_synic *s, struct hv_partition *part,
		 struct vlapic *vl, u32 sint, const u64 *bits, u32 nwords);

/** synic_inbox_init() - an empty inbox. */
void synic_inbox_init(struct synic_inbox *in);

/**
 * synic_inbox_post() - queue @msg for slot @sint (any CPU).  Messages of
 * one SINT are delivered in the order they were queued.
 * Return: 0, -EINVAL (@sint >= 16), -ENOSPC (inbox full: the caller
 * reports HV_STATUS_INSUFFICIENT_BUFFERS).
 */
int synic_inbox_post(struct synic_inbox *in, u32 sint, const void *msg);

/**
 * synic_inbox_take_space() - did the inbox refuse a post (-ENOSPC) and
 * has it room again?  Then the refusal is forgotten and the caller tells
 * the parent to retry (once per refusal).  VP's pCPU, after a drain.
 */
bool synic_inbox_take_space(struct synic_inbox *in);

/**
 * synic_inbox_signal() - mark SIEF flag @flag of SINT @sint pending (any
 * CPU); signals coalesce.
 * Return: 1 if the flag was not pending yet, 0 if it was, -EINVAL for a
 * SINT >= 16 or a flag >= HV_EVENT_FLAGS_COUNT.
 */
int synic_inbox_signal(struct synic_inbox *in, u32 sint, u32 flag);

/**
 * synic_inbox_drain() - on the VP's own pCPU, before an entry: deliver
 * what the inbox holds.  Messages go oldest first per SINT; a SINT whose
 * slot is busy waits for the guest's EOM (synic_wrmsr()), a SINT whose
 * page is disabled keeps its messages and flags until the guest enables
 * it; a message or flag for a page that is not guest RAM is dropped.
 * Return: true if something was delivered.
 */
bool synic_inbox_drain(struct synic_inbox *in, struct hv_synic *s,
		       struct hv_partition *part, struct vlapic *vl);

#endif /* MKHV_SYNIC_H */
