/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: the guest buffer of a VM_PKT_DATA_USING_GPA_DIRECT packet
 * (include/vmbus/wire.h: vmbus_gpa_direct_header, then range_cnt
 * vmbus_gpa_range each followed by its page numbers) as pointers into the
 * child's RAM.  One parser for every VSP that takes such packets (storvsp
 * SRB buffers, netvsp frames): the ranges are hostile, so every count,
 * offset and page is checked here once, and each page goes through
 * guest_ptr().
 */
#ifndef HVWORKER_GPA_DIRECT_H
#define HVWORKER_GPA_DIRECT_H

#include <stdint.h>
#include <sys/uio.h>

struct guest_mem;

/*
 * gpa_direct_map() - map the ranges in @ext (the @ext_len bytes between
 * the packet's 16-byte descriptor and its payload: vmbus_host_dev.pkt_ext)
 * into @iov (at most @max_iov entries; pieces contiguous in the worker's
 * view are merged).  At most @max_ranges ranges and @max_bytes bytes.
 * Return: total bytes (*@iovcnt entries filled); -EBADMSG for lying
 * counts, offsets or sizes (no range, too many, page list beyond @ext);
 * -EFAULT for a page outside the child's RAM; -EMSGSIZE over @max_bytes
 * or @max_iov.
 */
int gpa_direct_map(const struct guest_mem *mem, const uint8_t *ext, uint32_t ext_len,
		   uint32_t max_ranges, uint32_t max_bytes, struct iovec *iov,
		   int max_iov, int *iovcnt);

#endif /* HVWORKER_GPA_DIRECT_H */
