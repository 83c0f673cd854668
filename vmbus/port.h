/* SPDX-License-Identifier: MIT */
/*
 * Portability shim for the vmbus core files (ring.c, channel.c).  They
 * must compile freestanding (kernel module, hv) as well as hosted, so they
 * include only <stdint.h>, <stddef.h>, <stdbool.h>, <stdatomic.h> and this
 * file.
 *
 * - Errors are negative errno values with Linux's numbers: in a hosted
 *   build they come from <errno.h>, freestanding they are defined here.
 * - vmbus_memcpy/vmbus_memset map to the compiler builtins.  For large or
 *   variable sizes GCC and clang emit calls to memcpy/memset, which every
 *   environment that links this code provides (libc, the Linux kernel);
 *   an environment without them defines VMBUS_NO_BUILTIN_MEM to get the
 *   byte loops below.
 */
#ifndef MKHV_VMBUS_PORT_H
#define MKHV_VMBUS_PORT_H

#include <stddef.h>
#include <stdint.h>

#if defined(__STDC_HOSTED__) && __STDC_HOSTED__ && !defined(__KERNEL__)
#include <errno.h>
#else
#ifndef EPERM
#define EPERM		1
#define ENOENT		2
#define EIO		5
#define E2BIG		7
#define EAGAIN		11
#define ENOMEM		12
#define EBUSY		16
#define EEXIST		17
#define EINVAL		22
#define ENOSPC		28
#define ERANGE		34
#define ENODATA		61
#define EPROTO		71
#define EBADMSG		74
#define EMSGSIZE	90
#define EOPNOTSUPP	95
#define ENOBUFS		105
#define ENOTCONN	107
#define EALREADY	114
#endif
#endif

#ifdef VMBUS_NO_BUILTIN_MEM
static inline void vmbus_memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	while (n--)
		*d++ = *s++;
}

static inline void vmbus_memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	while (n--)
		*d++ = (uint8_t)c;
}
#else
#define vmbus_memcpy(d, s, n)	__builtin_memcpy((d), (s), (n))
#define vmbus_memset(d, c, n)	__builtin_memset((d), (c), (n))
#endif

#endif /* MKHV_VMBUS_PORT_H */
