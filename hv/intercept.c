// SPDX-License-Identifier: GPL-2.0
/*
 * HvCallInstallIntercept for port I/O, and the check the pool pCPUs make
 * on every child port access (see mkhv/intercept.h for the policy).
 */
#include <mkhv/child.h>
#include <mkhv/errno.h>
#include <mkhv/intercept.h>
#include <mkhv/lib.h>
#include <mkhv/mm.h>
#include <mkhv/string.h>

#define PORTS_PER_PAGE	(PAGE_SIZE * 8)

static u8 *claim_page(const struct hv_partition *p, u16 port, bool write)
{
	return __atomic_load_n(&p->io_claimed[(write ? 2 : 0) +
					      port / PORTS_PER_PAGE],
			       __ATOMIC_ACQUIRE);
}

static bool port_claimed(const struct hv_partition *p, u16 port, bool write)
{
	const u8 *bits = claim_page(p, port, write);
	u32 i = port % PORTS_PER_PAGE;

	return bits && (__atomic_load_n(&bits[i / 8], __ATOMIC_RELAXED) &
			(1u << (i % 8)));
}

bool intercept_io_claimed(const struct hv_partition *p, u16 port, u8 size,
			  bool write)
{
	u8 i;

	for (i = 0; i < size; i++)
		if (port_claimed(p, (u16)(port + i), write))
			return true;
	return false;
}

/* part_lock held (installs are serialized; readers are lock-free). */
static int claim(struct hv_partition *p, u16 port, bool write)
{
	u32 slot = (write ? 2 : 0) + port / PORTS_PER_PAGE;
	u32 i = port % PORTS_PER_PAGE;
	u8 *bits = p->io_claimed[slot];

	if (!bits) {
		bits = mm_alloc_page();	/* zeroed: nothing claimed */
		if (!bits)
			return -ENOMEM;
		__atomic_store_n(&p->io_claimed[slot], bits, __ATOMIC_RELEASE);
	}
	__atomic_or_fetch(&bits[i / 8], (u8)(1u << (i % 8)), __ATOMIC_RELEASE);
	return 0;
}

void intercept_free(struct hv_partition *p)
{
	u32 i;

	/* Called with every VP stopped: no pool pCPU reads the pages. */
	for (i = 0; i < ARRAY_SIZE(p->io_claimed); i++) {
		if (p->io_claimed[i])
			mm_free_page(p->io_claimed[i]);
		p->io_claimed[i] = NULL;
	}
}

u16 hc_install_intercept(struct hypercall_args *a)
{
	struct hv_input_install_intercept in;
	struct hv_partition *p;
	u16 st;
	int ret = 0;

	memcpy(&in, a->in, sizeof(in));
	if (in.intercept_type != HV_INTERCEPT_TYPE_X64_IO_PORT ||
	    in.intercept_parameter > 0xffff || !in.access_type ||
	    (in.access_type & ~(u32)(HV_INTERCEPT_ACCESS_MASK_READ |
				     HV_INTERCEPT_ACCESS_MASK_WRITE)))
		return HV_STATUS_INVALID_PARAMETER;
	p = child_lock(in.partition_id, &st);
	if (!p)
		return st;
	if (in.access_type & HV_INTERCEPT_ACCESS_MASK_READ)
		ret = claim(p, (u16)in.intercept_parameter, false);
	if (!ret && (in.access_type & HV_INTERCEPT_ACCESS_MASK_WRITE))
		ret = claim(p, (u16)in.intercept_parameter, true);
	spin_unlock(&p->part_lock);
	return ret ? HV_STATUS_INSUFFICIENT_MEMORY : HV_STATUS_SUCCESS;
}
