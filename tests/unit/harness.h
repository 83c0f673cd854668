/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host harness for the portable hv core (hv/ *.c), in the manner of Xen's
 * tools/tests: force-included (-include) before every core file and test
 * built for the host.  It maps the hv's services onto libc:
 *   - MKHV_HOST_TEST makes <mkhv/string.h> use libc's <string.h>;
 *   - ASSERT() becomes assert() (a failed invariant aborts the forked test,
 *     which Check reports as an error);
 *   - spinlocks stay the real __atomic ones (they work on the host), their
 *     arch_cpu_relax() and the other arch_* services are the fakes in
 *     tests/unit/hv_fakes.c.
 */
#ifndef MKHV_TEST_HARNESS_H
#define MKHV_TEST_HARNESS_H

#define MKHV_HOST_TEST 1

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ASSERT(cond) assert(cond)

#endif /* MKHV_TEST_HARNESS_H */
