/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Error numbers of the hv core.  Functions return 0 or a negative errno.
 * The values are Linux's (asm-generic/errno-base.h, errno.h), so they read
 * the same in the hv log, in mkhv.ko and in host unit tests; a macro that
 * libc already defined (host tests) has the same value and is left alone.
 */
#ifndef MKHV_ERRNO_H
#define MKHV_ERRNO_H

#ifndef EPERM
#define EPERM		1	/* operation not permitted */
#endif
#ifndef ENOENT
#define ENOENT		2	/* no such entry (lookup miss) */
#endif
#ifndef EIO
#define EIO		5	/* I/O error */

/* Try again later (a SynIC slot still owned by the guest). */
#define EAGAIN		11	/* resource temporarily unavailable */
#endif
#ifndef E2BIG
#define E2BIG		7	/* table or list too long */
#endif
#ifndef ENOMEM
#define ENOMEM		12	/* out of memory */
#endif
#ifndef EFAULT
#define EFAULT		14	/* bad guest address */
#endif
#ifndef EBUSY
#define EBUSY		16	/* resource in use */
#endif
#ifndef EEXIST
#define EEXIST		17	/* already exists / already mapped */

/* No such device: the CPU lacks a feature the hv needs. */
#define ENODEV		19	/* no such device */
#endif
#ifndef EINVAL
#define EINVAL		22	/* invalid argument or hostile input */
#endif
#ifndef ENOSPC
#define ENOSPC		28	/* no room */
#endif
#ifndef ERANGE
#define ERANGE		34	/* out of range */
#endif
#ifndef ENOSYS
#define ENOSYS		38	/* not implemented */
#endif
#ifndef EOVERFLOW
#define EOVERFLOW	75	/* value too large */
#endif
#ifndef EOPNOTSUPP
#define EOPNOTSUPP	95	/* operation not supported */

/* Hardware did not answer in time (IPI delivery, AP start). */
#define ETIMEDOUT	110	/* timed out */
#endif

#endif /* MKHV_ERRNO_H */
