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
 * Return: 0, 1 from wrmsr for an EOM write (the caller then retries
 * pending messages), -EINVAL (#GP) for reserved bits, a SINT vector
 * below 16, a write to SVERSION or a read of EOM.
 */
int synic_rdmsr(const struct hv_synic *s, u32 msr, u64 *val);
int synic_wrmsr(struct hv_synic *s, u32 msr, u64 val);

/**
 * synic_post() - put @msg (HV_MESSAGE_SIZE bytes, message type first) in
 * slot @sint of the VP's message page and raise the SINT.
 * @part: the child (guest memory access), @vl: the VP's vLAPIC
 * Return: 0; -EAGAIN when the slot is still owned by the guest (the slot's
 * msg_pending flag is set so the guest EOMs, then retry); -ENODEV when the
 * SynIC, the message page or the SINT is disabled/masked; -EFAULT when the
 * page is not the child's RAM.
 */
int synic_post(struct hv_synic *s, struct hv_partition *part,
	       struct vlapic *vl, u32 sint, const void *msg);

#endif /* MKHV_SYNIC_H */
