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
#include <stdbool.h>
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

/* ---- VM ioctls (vm.c) ---- */

/* MKHV_IOC_CREATE_VM: 1..16 VPs, sane weight and cap, no flags. */
static inline int mkhv_create_vm_validate(const struct mkhv_ioc_create_vm *c)
{
	if (c->flags || c->reserved || c->partition_id)
		return -EINVAL;
	if (c->max_vps < 1 || c->max_vps > MKHV_MAX_CHILD_VPS)
		return -EINVAL;
	if (c->weight > MKHV_VM_WEIGHT_MAX)
		return -EINVAL;
	if (c->cap_permille > 1000u * c->max_vps)
		return -EINVAL;
	return 0;
}

/*
 * MKHV_VM_MAP_MEMORY: page-aligned, non-empty, no wrap, the guest range
 * inside the child's address space, R required and only R/W/X flags.
 * On success *@npages is the number of 4 KiB pages.
 */
static inline int mkhv_map_validate(const struct mkhv_vm_map_memory *m,
				    uint64_t *npages)
{
	const uint64_t pg = 4096;
	uint64_t end, n;

	if (m->reserved || !(m->flags & HV_MAP_GPA_READABLE) ||
	    (m->flags & ~(uint32_t)HV_MAP_GPA_PERMISSIONS_MASK))
		return -EINVAL;
	if (!m->size || ((m->userspace_addr | m->size) & (pg - 1)))
		return -EINVAL;
	if (__builtin_add_overflow(m->userspace_addr, m->size, &end))
		return -EINVAL;
	n = m->size / pg;
	if (n > MKHV_MAX_CHILD_PAGES || m->guest_pfn >= MKHV_MAX_CHILD_PAGES ||
	    n > MKHV_MAX_CHILD_PAGES - m->guest_pfn)
		return -EINVAL;
	*npages = n;
	return 0;
}

/* Do guest page ranges [a, a + na) and [b, b + nb) overlap? */
static inline int mkhv_ranges_overlap(uint64_t a, uint64_t na, uint64_t b,
				      uint64_t nb)
{
	return a < b + nb && b < a + na;
}

/* MKHV_VM_SET_REGS / GET_REGS header: 1..MKHV_VM_REGS_MAX registers. */
static inline int mkhv_regs_validate(const struct mkhv_vm_regs *r,
				     uint32_t max_vps)
{
	if (r->flags || r->vp_index >= max_vps)
		return -EINVAL;
	if (r->count < 1 || r->count > MKHV_VM_REGS_MAX || !r->regs)
		return -EINVAL;
	return 0;
}

/* Only registers the hv reads while the VP runs (a GET on a running VP)? */
static inline bool mkhv_regs_statistics_only(const struct hv_register_assoc *a,
					     uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (!hv_register_is_statistic(a[i].name))
			return false;
	return true;
}

/* MKHV_VM_INSTALL_INTERCEPT: one port, read and/or write. */
static inline int mkhv_intercept_req_validate(const struct mkhv_vm_intercept *c)
{
	if (c->port > 0xffff || !c->access ||
	    (c->access & ~(uint32_t)(HV_INTERCEPT_ACCESS_MASK_READ |
				     HV_INTERCEPT_ACCESS_MASK_WRITE)))
		return -EINVAL;
	return 0;
}

/* MKHV_VM_ASSERT_INTERRUPT: a VP of the VM, a fixed interrupt, a vector. */
static inline int mkhv_interrupt_req_validate(const struct mkhv_vm_interrupt *c,
					      uint32_t max_vps)
{
	if (c->flags || c->vp_index >= max_vps ||
	    c->vector < 16 || c->vector > 255 ||
	    c->type != HV_X64_INTERRUPT_TYPE_FIXED)
		return -EINVAL;
	return 0;
}

/* A register association from the caller: reserved fields must be 0. */
static inline int mkhv_reg_assoc_validate(const struct hv_register_assoc *a)
{
	return a->reserved1 || a->reserved2 ? -EINVAL : 0;
}

/*
 * The hv's intercept message in a VP's slot: the type the parent may get
 * and the VP index it claims.  -EIO for anything else (a broken hv).
 */
static inline int mkhv_intercept_validate(const struct hv_intercept_message *m,
					  uint32_t vp_index)
{
	switch (m->message_type) {
	case HVMSG_UNMAPPED_GPA:
	case HVMSG_X64_IO_PORT_INTERCEPT:
	case HVMSG_X64_MSR_INTERCEPT:
	case HVMSG_X64_HALT:
	case HVMSG_X64_TRIPLE_FAULT:
		break;
	default:
		return -EIO;
	}
	return m->vp_index == vp_index ? 0 : -EIO;
}

/* ---- SynIC messages and events (issue 8) ---- */

/* MKHV_VM_CONNECT: a 24-bit non-zero connection id, a message or event port. */
static inline int mkhv_connect_validate(const struct mkhv_vm_connect *c)
{
	if (!c->connection_id || (c->connection_id & ~HV_PORT_ID_MASK))
		return -EINVAL;
	switch (c->port_type) {
	case HV_PORT_TYPE_MESSAGE:
		return c->flag_count ? -EINVAL : 0;
	case HV_PORT_TYPE_EVENT:
		return c->flag_count > MKHV_MAX_EVENT_FLAGS ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
}

/*
 * The hv port id of connection slot @slot of partition @pid: unique over
 * every VM (ports of a deleted partition are gone with it) and within the
 * TLFS's 24 bits.
 */
static inline uint32_t mkhv_port_id(uint64_t pid, uint32_t slot)
{
	return (uint32_t)(pid << 8) | (slot & 0xff);
}
_Static_assert(MKHV_MAX_PORTS <= 256, "slot fits the port id");
_Static_assert(((uint64_t)MKHV_MAX_CHILDREN << 8 | 0xff) <= HV_PORT_ID_MASK,
	       "port ids fit 24 bits");

/* MKHV_VM_DISCONNECT. */
static inline int mkhv_disconnect_validate(const struct mkhv_vm_disconnect *d)
{
	if (d->flags || !d->connection_id ||
	    (d->connection_id & ~HV_PORT_ID_MASK))
		return -EINVAL;
	return 0;
}

/* MKHV_VM_RECEIVE request: known flags; a timeout only for a blocking call. */
static inline int mkhv_receive_validate(const struct mkhv_vm_receive *r)
{
	if (r->flags & ~(uint32_t)MKHV_VM_RECEIVE_NONBLOCK)
		return -EINVAL;
	if ((r->flags & MKHV_VM_RECEIVE_NONBLOCK) && r->timeout_ms)
		return -EINVAL;
	return r->timeout_ms > MKHV_VM_RECEIVE_TIMEOUT_MAX ? -EINVAL : 0;
}

/* The hv's HvCallMkhvReceive answer: counts and sizes in range, else -EIO. */
static inline int mkhv_receive_out_validate(const struct mkhv_output_receive *o)
{
	uint32_t i;

	if (o->nr_messages > MKHV_RECEIVE_MAX_MESSAGES ||
	    o->nr_events > MKHV_MAX_PORTS ||
	    (o->flags & ~(uint32_t)(MKHV_RECEIVE_MORE | MKHV_RECEIVE_INBOX_SPACE)))
		return -EIO;
	for (i = 0; i < o->nr_messages; i++)
		if (o->messages[i].payload_size > HV_MESSAGE_PAYLOAD_MAX)
			return -EIO;
	return 0;
}

/* Does a Receive answer carry anything for the caller? */
static inline bool mkhv_receive_has_news(const struct mkhv_output_receive *o)
{
	return o->nr_messages || o->nr_events ||
	       (o->flags & MKHV_RECEIVE_INBOX_SPACE);
}

/* MKHV_VM_POST_MESSAGE: a VP of the VM, a SINT, a non-zero type, <= 240 bytes. */
static inline int mkhv_post_validate(const struct mkhv_vm_post_message *m,
				     uint32_t max_vps)
{
	if (m->vp_index >= max_vps || m->sint > 15 || !m->message_type ||
	    m->payload_size > HV_MESSAGE_PAYLOAD_MAX)
		return -EINVAL;
	return 0;
}

/* MKHV_VM_SIGNAL_EVENT: a VP, a SINT, a flag of the SINT's 2048. */
static inline int mkhv_signal_validate(const struct mkhv_vm_signal_event *e,
				       uint32_t max_vps)
{
	if (e->vp_index >= max_vps || e->sint > 15 ||
	    e->flag >= HV_EVENT_FLAGS_COUNT)
		return -EINVAL;
	return 0;
}

#endif /* MKHV_KMOD_VALIDATE_H */
