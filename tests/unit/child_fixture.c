// SPDX-License-Identifier: GPL-2.0
/* The child-partition test fixture (child_fixture.h). */
#include "hv_check.h"
#include <stdint.h>
#include <stdlib.h>
#include <mkhv/child.h>
#include <mkhv/e820.h>
#include <mkhv/hypercall.h>
#include <mkhv/mm.h>
#include "child_fixture.h"
#include "hv_fakes.h"

struct hv_partition parent;
struct hv_vp *pvp;
struct ownership own;
static void *own_mem, *heap;

void setup(void)
{
	struct hyperv_config cfg = { .role = HYPERV_ROLE_PARENT, .nr_vps = 1,
				     .nr_lps = 4, .tsc_hz = 2000000000ULL };
	static struct e820_map m;
	struct mem_range hv = { HV_BASE, 4 * MiB };
	u64 frames = (4096 * MiB) >> 12;

	fake_guest_reset();
	fake_kicks = fake_stops = fake_notifies = fake_flushes = fake_wakes = 0;
	fake_fail_partition_create = fake_fail_vp_create = fake_fail_map = 0;
	memset(&parent, 0, sizeof(parent));
	parent.is_parent = true;
	hyperv_partition_init(&parent.hv, &cfg);
	pvp = calloc(1, sizeof(*pvp));
	pvp->part = &parent;

	memset(&m, 0, sizeof(m));
	ck_assert_int_eq(e820_set(&m, 0, 64 * MiB, E820_TYPE_RAM, false), 0);
	ck_assert_int_eq(e820_set(&m, MMIO_BASE, MiB, E820_TYPE_RESERVED,
				  false), 0);
	own_mem = malloc(ownership_table_bytes(frames));
	ck_assert_int_eq(ownership_init(&own, own_mem,
					ownership_table_bytes(frames), frames), 0);
	ck_assert_int_eq(ownership_init_from_e820(&own, &m, &hv, 1), 0);
	heap = aligned_alloc(4096, 16 * MiB);
	mm_init((u64)(uintptr_t)heap, (u64)(uintptr_t)heap + 16 * MiB);
	child_init(&parent, &own);
}

void teardown(void)
{
	u64 id;

	for (id = 1; id <= MKHV_MAX_CHILDREN; id++)
		if (child_get(id)) {
			struct hv_partition *p = child_get(id);
			u32 i;

			/* Leave no fake arch state behind between tests. */
			for (i = 0; i < MKHV_MAX_CHILD_VPS; i++)
				if (p->vps[i])
					arch_vp_destroy(p->vps[i]);
			arch_partition_destroy(p);
			p->state = PART_FREE;
		}
	free(pvp);
	free(own_mem);
	free(heap);
}

/* One hypercall from the parent: returns RAX (status | reps << 32). */
uint64_t hc(struct hv_vp *vp, uint16_t code, unsigned int reps,
		   const void *in, size_t inlen)
{
	uint64_t rax = 0xdeadbeef;

	memcpy(fake_guest_mem + (IN - fake_guest_base), in, inlen);
	ck_assert_int_eq(hypercall_handle(vp, 0, code | ((uint64_t)reps << 32),
					  IN, OUT, &rax), 0);
	return rax;
}

uint64_t create(uint32_t max_vps)
{
	struct hv_input_create_partition in = { .max_vps = max_vps };
	uint64_t id;

	ck_assert_uint_eq(ST(hc(pvp, HVCALL_CREATE_PARTITION, 0, &in,
				sizeof(in))), HV_STATUS_SUCCESS);
	memcpy(&id, fake_guest_mem + (OUT - fake_guest_base), 8);
	return id;
}

uint16_t simple(uint16_t code, uint64_t id)
{
	struct hv_input_partition_id in = { id };

	return ST(hc(pvp, code, 0, &in, sizeof(in)));
}

/* MapGpaPages of @n pages with sources @pfn[]; returns RAX. */
uint64_t map(uint64_t id, uint64_t gfn, const uint64_t *pfn,
		    unsigned int n, uint32_t flags)
{
	uint8_t buf[4096];
	struct hv_input_map_gpa_pages in = { id, gfn, flags, 0 };

	memcpy(buf, &in, sizeof(in));
	memcpy(buf + sizeof(in), pfn, n * 8);
	return hc(pvp, HVCALL_MAP_GPA_PAGES, n, buf, sizeof(in) + n * 8);
}

uint64_t unmap(uint64_t id, uint64_t gfn, unsigned int n)
{
	struct hv_input_unmap_gpa_pages in = { id, gfn, 0, 0 };

	return hc(pvp, HVCALL_UNMAP_GPA_PAGES, n, &in, sizeof(in));
}

uint16_t create_vp(uint64_t id, uint32_t idx)
{
	struct hv_input_create_vp in = { .partition_id = id, .vp_index = idx };

	return ST(hc(pvp, HVCALL_CREATE_VP, 0, &in, sizeof(in)));
}
