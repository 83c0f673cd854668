// SPDX-License-Identifier: GPL-2.0
/* hvworker: guest-physical <-> worker address translation (guest.h). */
#include <errno.h>
#include <string.h>

#include "guest.h"

int guest_mem_init(struct guest_mem *m, uint8_t *hva, uint64_t size)
{
	if (!hva || size < GUEST_MEM_MIN || size > GUEST_MEM_MAX ||
	    size % GUEST_PAGE_SIZE)
		return -EINVAL;
	m->hva = hva;
	m->size = size;
	m->low_size = size < GUEST_LOW_MAX ? size : GUEST_LOW_MAX;
	return 0;
}

void *guest_ptr(const struct guest_mem *m, uint64_t gpa, uint64_t len)
{
	uint64_t high = m->size - m->low_size;

	if (gpa < m->low_size) {
		if (len > m->low_size - gpa)
			return NULL;
		return m->hva + gpa;
	}
	if (gpa >= GUEST_HIGH_BASE && gpa - GUEST_HIGH_BASE < high) {
		if (len > high - (gpa - GUEST_HIGH_BASE))
			return NULL;
		return m->hva + m->low_size + (gpa - GUEST_HIGH_BASE);
	}
	return NULL;
}

int guest_write(const struct guest_mem *m, uint64_t gpa, const void *src,
		uint64_t len)
{
	void *dst = guest_ptr(m, gpa, len);

	if (!dst)
		return -ENOSPC;
	memcpy(dst, src, len);
	return 0;
}
