// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for hypercall decoding and dispatch (DESIGN §10).
 * Input: control (8 bytes), RDX (8), R8 (8), a flags byte, then the bytes
 * of the caller's guest memory.  Checks the invariants every hostile call
 * must keep: a status from the TLFS set, reps reported on failure only by
 * rep calls and short of the count, root calls succeeding only for the
 * parent, the control word round-trips, and (through ASan) no access
 * outside the buffers.  The real table includes the child-partition calls,
 * run against an ownership table of fake RAM.
 * Build and run: make fuzz-hypercall (clang).
 */
#include <stdint.h>
#include <stdlib.h>
#include <mkhv/child.h>
#include <mkhv/e820.h>
#include <mkhv/errno.h>
#include <mkhv/mm.h>
#include <mkhv/hvcall.h>
#include <mkhv/hypercall.h>
#include <mkhv/partition.h>
#include "../unit/hv_fakes.h"

static uint16_t rep_fn(struct hypercall_args *a)
{
	/* Touch the whole input and output, as a real handler may. */
	uint8_t x = 0;

	for (size_t i = 0; i < a->in_len; i++)
		x ^= a->in[i];
	if (a->out_len)
		memset(a->out, x, a->out_len);
	if (a->ctl->rep_count)
		a->reps_done = a->ctl->rep_count;
	return HV_STATUS_SUCCESS;
}

static const struct hypercall_entry fuzz_table[] = {
	{ 0x10, HC_FAST | HC_SLOW, 16, 0, 0, 0, rep_fn, "fast16" },
	{ 0x11, HC_SLOW | HC_REP | HC_VARHEAD, 16, 8, 8, 4, rep_fn, "rep" },
	{ 0x12, HC_PARENT_ONLY | HC_SLOW | HC_REP, 8, 16, 0, 8, rep_fn, "prep" },
};

static struct hv_partition part;
static struct hv_vp vp;

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* Child partitions need RAM to lend and a heap: 64 MiB of fake RAM. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static struct e820_map m;
	static struct ownership own;
	static struct hv_partition parent = { .is_parent = true };
	u64 frames = (64ull << 20) >> 12;
	void *mem = malloc(ownership_table_bytes(frames));
	void *heap = aligned_alloc(4096, 32u << 20);

	(void)argc;
	(void)argv;
	e820_set(&m, 0, 64ull << 20, E820_TYPE_RAM, false);
	ownership_init(&own, mem, ownership_table_bytes(frames), frames);
	ownership_init_from_e820(&own, &m, NULL, 0);
	mm_init((u64)(uintptr_t)heap, (u64)(uintptr_t)heap + (32u << 20));
	child_init(&parent, &own);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hypercall_control c;
	uint64_t control, in, out, rax = 0;
	uint8_t flags;
	int ret;

	if (size < 25)
		return 0;
	control = rd64(data);
	in = rd64(data + 8);
	out = rd64(data + 16);
	flags = data[24];
	/* Keep GPAs near the fake guest RAM half of the time. */
	if (flags & 0x10) {
		in = fake_guest_base + (in % (2 * FAKE_GUEST_SIZE));
		out = fake_guest_base + (out % (2 * FAKE_GUEST_SIZE));
	}
	if (flags & 0x20)
		control &= ~HV_HYPERCALL_RSVD_MASK;
	if (flags & 0x40)
		control = (control & ~HV_HYPERCALL_CODE_MASK) |
			  (0x10 + (control & 3));
	fake_guest_reset();
	memcpy(fake_guest_mem, data + 25,
	       size - 25 < FAKE_GUEST_SIZE ? size - 25 : FAKE_GUEST_SIZE);
	part.is_parent = flags & 1;
	vp.part = &part;
	hypercall_test_set_table((flags & 0x80) ? fuzz_table : NULL, 3);

	ret = hypercall_handle(&vp, (flags >> 1) & 3, control, in, out, &rax);
	if ((flags >> 1) & 3) {
		if (ret != -EPERM)
			__builtin_trap();
		return 0;
	}
	if (ret != 0 || (rax & ~(HV_HYPERCALL_RESULT_MASK |
				 HV_HYPERCALL_REP_COMP_MASK)))
		__builtin_trap();
	hypercall_decode(control, &c);
	if ((rax & 0xffff) != HV_STATUS_SUCCESS && (rax >> 32) &&
	    (!c.rep_count || (rax >> 32) >= c.rep_count))
		__builtin_trap();	/* partial progress: rep calls only */
	if ((rax & 0xffff) == HV_STATUS_SUCCESS && !(flags & 0x80) &&
	    !part.is_parent)
		__builtin_trap();	/* every real call is parent-only */
	if (hypercall_decode(control, &c) == HV_STATUS_SUCCESS &&
	    (c.code | (uint64_t)c.fast << 16 |
	     (uint64_t)(c.varhead_bytes / 8) << 17 |
	     (uint64_t)c.rep_count << 32 | (uint64_t)c.rep_start << 48) !=
	    control)
		__builtin_trap();
	return 0;
}
