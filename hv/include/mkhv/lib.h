/* SPDX-License-Identifier: GPL-2.0 */
/*
 * panic() and ASSERT() for broken hv invariants (never for guest errors).
 * Host unit tests define ASSERT in tests/unit/harness.h (libc assert()).
 */
#ifndef MKHV_LIB_H
#define MKHV_LIB_H

#include <mkhv/types.h>

/**
 * panic() - print the message and stop the machine (arch_panic_stop()).
 */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

#ifndef ASSERT
#define ASSERT(cond)							\
	do {								\
		if (unlikely(!(cond)))					\
			panic("ASSERT(%s) failed at %s:%d", #cond,	\
			      __FILE__, __LINE__);			\
	} while (0)
#endif

#endif /* MKHV_LIB_H */
