/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mkhv.ko's pure checks: what a TLFS status means as an errno and which
 * ioctl arguments are acceptable.  Plain C that builds in the kernel and on
 * the host, so tests/unit/test_mkhv_validate.c tests exactly the code the
 * module runs.
 */
#ifndef MKHV_KMOD_VALIDATE_H
#define MKHV_KMOD_VALIDATE_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <stdint.h>
#endif

#include <mkhv/hvcall.h>
#include <mkhv/mkhv_ioctl.h>

/* hv_do_hypercall()'s answer when Linux has no hypercall page. */
#define MKHV_HVCALL_NO_PAGE	(~0ULL)

/* TLFS hypercall result (RAX) -> 0 or -errno. */
static inline int mkhv_status_to_errno(uint64_t rax)
{
	if (rax == MKHV_HVCALL_NO_PAGE)
		return -ENODEV;
	switch (rax & HV_HYPERCALL_RESULT_MASK) {
	case HV_STATUS_SUCCESS:
		return 0;
	case HV_STATUS_INVALID_HYPERCALL_CODE:
	case HV_STATUS_FEATURE_UNAVAILABLE:
		return -EOPNOTSUPP;
	case HV_STATUS_INVALID_HYPERCALL_INPUT:
	case HV_STATUS_INVALID_ALIGNMENT:
	case HV_STATUS_INVALID_PARAMETER:
	case HV_STATUS_INVALID_PARTITION_ID:
	case HV_STATUS_INVALID_VP_INDEX:
	case HV_STATUS_INVALID_PORT_ID:
	case HV_STATUS_INVALID_CONNECTION_ID:
		return -EINVAL;
	case HV_STATUS_ACCESS_DENIED:
	case HV_STATUS_OPERATION_DENIED:
		return -EACCES;
	case HV_STATUS_INSUFFICIENT_MEMORY:
	case HV_STATUS_NO_RESOURCES:
		return -ENOMEM;
	case HV_STATUS_INSUFFICIENT_BUFFERS:
		return -ENOBUFS;
	case HV_STATUS_NOT_FOUND:
		return -ENOENT;
	case HV_STATUS_OBJECT_IN_USE:
		return -EBUSY;
	case HV_STATUS_TIME_OUT:
		return -ETIMEDOUT;
	default:
		return -EIO;
	}
}

/*
 * MKHV_IOC_PROBE_PHYS arguments: no flags, 1 page to MKHV_PROBE_MAX_SIZE,
 * page aligned, no wrap, below 2^@phys_bits (the CPU's physical address
 * width).
 */
static inline int mkhv_probe_validate(const struct mkhv_ioc_probe_phys *p,
				      unsigned int phys_bits)
{
	uint64_t end;

	if (p->flags)
		return -EINVAL;
	if (!p->size || p->size > MKHV_PROBE_MAX_SIZE)
		return -EINVAL;
	if ((p->base | p->size) & (MKHV_PROBE_PAGE_SIZE - 1))
		return -EINVAL;
	if (__builtin_add_overflow(p->base, p->size, &end))
		return -EINVAL;
	if (phys_bits < 64 && end > (1ULL << phys_bits))
		return -EINVAL;
	return 0;
}

/* MKHV_IOC_LOG_READ request header (pos, len, flags): no flags. */
static inline int mkhv_log_read_validate(const struct mkhv_ioc_log_read *r)
{
	return r->flags ? -EINVAL : 0;
}

/* The hv's HvCallMkhvLogRead answer: at most a page of data. */
static inline int mkhv_log_read_out_validate(const struct mkhv_log_read_out *o)
{
	return o->len > sizeof(o->data) ? -EIO : 0;
}

#endif /* MKHV_KMOD_VALIDATE_H */
