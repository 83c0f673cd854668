/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/mkhv ioctl interface: the one declaration shared by mkhv.ko
 * (parent/kmod) and its userspace tools (hvctl, later hvd/hvworker).
 *
 * Every struct is fixed-width, 8-byte aligned, free of implicit padding
 * and has the same layout for 32- and 64-bit callers, so no compat ioctl
 * is needed.  Reserved fields must be 0 on input (the driver refuses
 * anything else with -EINVAL) and are 0 on output.
 */
#ifndef MKHV_MKHV_IOCTL_H
#define MKHV_MKHV_IOCTL_H

#ifdef __KERNEL__
#include <linux/ioctl.h>
#include <linux/types.h>
#else
#include <stdint.h>
#include <sys/ioctl.h>
#endif

#include <mkhv/hvcall.h>

#define MKHV_DEVICE_PATH	"/dev/mkhv"
#define MKHV_DEVICE_NAME	"mkhv"

/* 'magic' of the ioctl numbers (not registered in ioctl-number.rst). */
#define MKHV_IOC_MAGIC		0xe8

/*
 * MKHV_IOC_GET_INFO: struct mkhv_info (include/mkhv/hvcall.h) straight from
 * HvCallMkhvGetInfo.
 */
#define MKHV_IOC_GET_INFO	_IOR(MKHV_IOC_MAGIC, 0x00, struct mkhv_info)

/*
 * MKHV_IOC_LOG_READ: up to MKHV_IOC_LOG_DATA_MAX bytes of the hv log from
 * byte position @pos (HvCallMkhvLogRead).  The driver reads only the 16
 * header bytes from the caller and writes back the header and @len bytes
 * of @data.  The log is a ring: a position older than the oldest byte kept
 * reads from the oldest (so next_pos - len > pos tells that bytes were
 * lost); len == 0 means the caller is at the end of the log.
 */
#define MKHV_IOC_LOG_DATA_MAX	MKHV_LOG_READ_MAX	/* 4080 */

struct mkhv_ioc_log_read {
	uint64_t pos;		/* in: position to read from; out: next position */
	uint32_t len;		/* out: bytes in data[] */
	uint32_t flags;		/* in: 0 */
	char data[MKHV_IOC_LOG_DATA_MAX]; /* out: log text, not NUL-terminated */
};

#define MKHV_IOC_LOG_READ	_IOWR(MKHV_IOC_MAGIC, 0x01, struct mkhv_ioc_log_read)

/*
 * MKHV_IOC_PROBE_PHYS (CAP_SYS_RAWIO): the isolation probe.  Maps
 * [@base, @base + @size) page by page and reads the first 8 bytes of each
 * 4 KiB page.  @base and @size must be page aligned, @size non-zero and at
 * most MKHV_PROBE_MAX_SIZE, and the range may not wrap or exceed the
 * CPU's physical address width.  A page the kernel refuses to map counts
 * in @unmapped_pages and is not read.  The parent's view of hv memory is
 * a page of all-ones, so a probe of the hv range must give
 * ones_pages == pages_read.
 */
#define MKHV_PROBE_MAX_SIZE	(1ULL << 30)	/* 1 GiB = 262144 pages */
#define MKHV_PROBE_PAGE_SIZE	4096ULL

struct mkhv_ioc_probe_phys {
	uint64_t base;		/* in: first physical byte, page aligned */
	uint64_t size;		/* in: bytes, page multiple, 1 page - 1 GiB */
	uint64_t flags;		/* in: 0 */
	uint64_t pages_read;	/* out: pages mapped and read */
	uint64_t ones_pages;	/* out: pages whose first 8 bytes were all-ones */
	uint64_t unmapped_pages; /* out: pages the kernel would not map */
	uint64_t first_value;	/* out: first 8 bytes of the first page read */
	uint64_t reserved;	/* out: 0 */
};

#define MKHV_IOC_PROBE_PHYS	_IOWR(MKHV_IOC_MAGIC, 0x02, struct mkhv_ioc_probe_phys)

_Static_assert(sizeof(struct mkhv_ioc_log_read) == 4096, "mkhv_ioc_log_read size");
_Static_assert(offsetof(struct mkhv_ioc_log_read, data) == 16, "log_read data");
_Static_assert(sizeof(struct mkhv_ioc_probe_phys) == 64, "mkhv_ioc_probe_phys size");
_Static_assert(offsetof(struct mkhv_ioc_probe_phys, first_value) == 48,
	       "probe first_value");
/* The ioctl size field has 14 bits. */
_Static_assert(sizeof(struct mkhv_ioc_log_read) < (1 << 14), "ioctl size");

#endif /* MKHV_MKHV_IOCTL_H */
