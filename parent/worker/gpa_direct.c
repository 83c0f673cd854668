// SPDX-License-Identifier: GPL-2.0
/*
 * hvworker: GPA-direct buffers (gpa_direct.h).
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <vmbus/wire.h>

#include "gpa_direct.h"
#include "guest.h"

/* Append [p, p + len) to @iov, merged with the last entry if adjacent. */
static int iov_add(struct iovec *iov, int max_iov, int *n, uint8_t *p, uint32_t len)
{
	struct iovec *last = *n ? &iov[*n - 1] : NULL;

	if (last && (uint8_t *)last->iov_base + last->iov_len == p) {
		last->iov_len += len;
		return 0;
	}
	if (*n == max_iov)
		return -EMSGSIZE;
	iov[*n].iov_base = p;
	iov[(*n)++].iov_len = len;
	return 0;
}

/* One range's @pages page numbers at @pfns: @count bytes from @offset. */
static int map_range(const struct guest_mem *mem, const uint8_t *pfns, uint64_t pages,
		     uint32_t offset, uint32_t count, struct iovec *iov,
		     int max_iov, int *n)
{
	uint32_t done = 0, in = offset;

	for (uint64_t k = 0; k < pages && done < count; k++, in = 0) {
		uint32_t chunk = VMBUS_PAGE_SIZE - in;
		uint64_t pfn;
		uint8_t *p;
		int rc;

		memcpy(&pfn, pfns + k * 8, sizeof(pfn));
		if (chunk > count - done)
			chunk = count - done;
		p = pfn > (UINT64_MAX >> VMBUS_PAGE_SHIFT) ? NULL :
		    guest_ptr(mem, (pfn << VMBUS_PAGE_SHIFT) + in, chunk);
		if (!p)
			return -EFAULT;
		rc = iov_add(iov, max_iov, n, p, chunk);
		if (rc)
			return rc;
		done += chunk;
	}
	return 0;
}

int gpa_direct_map(const struct guest_mem *mem, const uint8_t *ext, uint32_t ext_len,
		   uint32_t max_ranges, uint32_t max_bytes, struct iovec *iov,
		   int max_iov, int *iovcnt)
{
	const size_t hdr = sizeof(struct vmbus_gpa_direct_header) -
			   sizeof(struct vmbus_packet_desc);
	uint32_t left = ext_len, cnt, total = 0;
	const uint8_t *p = ext;
	int n = 0, rc;

	*iovcnt = 0;
	if (left < hdr)
		return -EBADMSG;
	memcpy(&cnt, p + offsetof(struct vmbus_gpa_direct_header, range_cnt) -
		     sizeof(struct vmbus_packet_desc), sizeof(cnt));
	if (!cnt || cnt > max_ranges)
		return -EBADMSG;
	p += hdr;
	left -= hdr;
	for (uint32_t i = 0; i < cnt; i++) {
		struct vmbus_gpa_range r;
		uint64_t pages;

		if (left < sizeof(r))
			return -EBADMSG;
		memcpy(&r, p, sizeof(r));
		p += sizeof(r);
		left -= sizeof(r);
		if (r.byte_offset >= VMBUS_PAGE_SIZE)
			return -EBADMSG;
		pages = ((uint64_t)r.byte_offset + r.byte_count + VMBUS_PAGE_SIZE - 1) >>
			VMBUS_PAGE_SHIFT;
		if (!pages)
			pages = 1;	/* an empty range still names its page */
		if (pages > left / 8)
			return -EBADMSG;
		if (r.byte_count > max_bytes - total)
			return -EMSGSIZE;
		rc = map_range(mem, p, pages, r.byte_offset, r.byte_count, iov, max_iov, &n);
		if (rc)
			return rc;
		p += pages * 8;
		left -= (uint32_t)(pages * 8);
		total += r.byte_count;
	}
	*iovcnt = n;
	return (int)total;
}
