/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared fixture of the child-partition suites (test_child, test_intercept):
 * a parent partition with a fake e820 (64 MiB RAM, an hv range, an MMIO
 * range), the ownership table, a 16 MiB hv heap, and helpers that make the
 * parent's hypercalls through the real hypercall entry.
 */
#ifndef MKHV_TEST_CHILD_FIXTURE_H
#define MKHV_TEST_CHILD_FIXTURE_H

#include <stdint.h>
#include <mkhv/ownership.h>
#include <mkhv/partition.h>

#define MiB		(1ull << 20)
#define IN		(0x100000ull + 0x1000)	/* in fake guest memory */
#define OUT		(0x100000ull + 0x3000)
#define ICPT_PAGE	(0x100000ull + 0x8000)	/* parent RAM, fake memory */
#define HV_BASE		(32 * MiB)		/* hv range in the fake e820 */
#define MMIO_BASE	0xfec00000ull
#define RAM_PFN(n)	((8 * MiB >> 12) + (n))	/* free parent RAM pages */

#define ST(rax)		((uint16_t)(rax))
#define REPS(rax)	((unsigned int)(((rax) >> 32) & 0xfff))

extern struct hv_partition parent;
extern struct hv_vp *pvp;
extern struct ownership own;

void setup(void);
void teardown(void);
/* One hypercall from @vp: returns RAX (status | reps << 32). */
uint64_t hc(struct hv_vp *vp, uint16_t code, unsigned int reps,
	    const void *in, size_t inlen);
uint64_t create(uint32_t max_vps);		/* a child with @max_vps */
uint16_t simple(uint16_t code, uint64_t id);	/* partition-id-only calls */
/* MapGpaPages of @n pages with sources @pfn[]; returns RAX. */
uint64_t map(uint64_t id, uint64_t gfn, const uint64_t *pfn,
	     unsigned int n, uint32_t flags);
uint64_t unmap(uint64_t id, uint64_t gfn, unsigned int n);
uint16_t create_vp(uint64_t id, uint32_t idx);

#endif
