// SPDX-License-Identifier: GPL-2.0
/*
 * Child partitions (hv/child.c) driven through the real hypercall entry
 * (hypercall_handle) as the parent's VMM would, with the arch fakes of
 * hv_fakes.c: lifecycle, memory lending checked against the ownership
 * table, VPs, registers, the run-loop calls and hostile inputs.
 */
#include "hv_check.h"
#include <stdint.h>
#include <stdlib.h>
#include <mkhv/child.h>
#include <mkhv/e820.h>
#include <mkhv/errno.h>
#include <mkhv/hypercall.h>
#include <mkhv/mm.h>
#include <mkhv/ownership.h>
#include <mkhv/printk.h>
#include "child_fixture.h"
#include "hv_fakes.h"

static u64 lent(uint64_t id)
{
	return ownership_count(&own, OWN_CHILD, (u16)id);
}

START_TEST(test_create_ids_and_limits)
{
	struct hv_input_create_partition in = { 0 };
	uint64_t i;

	ck_assert_uint_eq(create(0), 1);
	ck_assert_uint_eq(create(MKHV_MAX_CHILD_VPS), 2);
	ck_assert_uint_eq(child_get(2)->max_vps, MKHV_MAX_CHILD_VPS);
	ck_assert_uint_eq(child_get(1)->max_vps, 1);
	ck_assert_uint_eq(child_get(1)->cpu_weight, 1024);
	for (i = 3; i <= MKHV_MAX_CHILDREN; i++)
		ck_assert_uint_eq(create(1), i);
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_CREATE_PARTITION, 0, &in,
				sizeof(in))), HV_STATUS_NO_RESOURCES);
	/* A freed slot is reused. */
	ck_assert_uint_eq(simple(HVCALL_DELETE_PARTITION, 7), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(create(1), 7);
}
END_TEST

START_TEST(test_create_hostile)
{
	struct hv_input_create_partition in;
	size_t i;
	static const size_t fields[] = { 0x00, 0x14, 0x18, 0x20, 0x28, 0x3c };

	/* Every must-be-zero field refuses a non-zero value. */
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		memset(&in, 0, sizeof(in));
		((uint8_t *)&in)[fields[i]] = 1;
		ck_assert_uint_eq(ST(hc(pvp, HVCALL_CREATE_PARTITION, 0, &in,
					sizeof(in))), HV_STATUS_INVALID_PARAMETER);
	}
	memset(&in, 0, sizeof(in));
	in.max_vps = MKHV_MAX_CHILD_VPS + 1;
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_CREATE_PARTITION, 0, &in,
				sizeof(in))), HV_STATUS_INVALID_PARAMETER);
	fake_fail_partition_create = 1;
	in.max_vps = 1;
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_CREATE_PARTITION, 0, &in,
				sizeof(in))), HV_STATUS_INSUFFICIENT_MEMORY);
	ck_assert_ptr_null(child_get(1));	/* nothing half-made */
}
END_TEST

START_TEST(test_lifecycle_states)
{
	uint64_t id = create(1);

	ck_assert_uint_eq(simple(HVCALL_FINALIZE_PARTITION, id),
			  HV_STATUS_SUCCESS);	/* created -> finalized */
	ck_assert_uint_eq(simple(HVCALL_INITIALIZE_PARTITION, id),
			  HV_STATUS_INVALID_PARTITION_STATE);
	id = create(1);
	ck_assert_uint_eq(simple(HVCALL_INITIALIZE_PARTITION, id),
			  HV_STATUS_SUCCESS);
	ck_assert_uint_eq(simple(HVCALL_INITIALIZE_PARTITION, id),
			  HV_STATUS_INVALID_PARTITION_STATE);
	ck_assert_uint_eq(simple(HVCALL_FINALIZE_PARTITION, id),
			  HV_STATUS_SUCCESS);
	ck_assert_uint_eq(simple(HVCALL_DELETE_PARTITION, id),
			  HV_STATUS_SUCCESS);
	ck_assert_ptr_null(child_get(id));
	/* Bad ids: 0 (the parent), past the table, never created. */
	ck_assert_uint_eq(simple(HVCALL_INITIALIZE_PARTITION, 0),
			  HV_STATUS_INVALID_PARTITION_ID);
	ck_assert_uint_eq(simple(HVCALL_DELETE_PARTITION, MKHV_MAX_CHILDREN + 1),
			  HV_STATUS_INVALID_PARTITION_ID);
	ck_assert_uint_eq(simple(HVCALL_DELETE_PARTITION, 0xffffffffffffffffull),
			  HV_STATUS_INVALID_PARTITION_ID);
	ck_assert_uint_eq(simple(HVCALL_FINALIZE_PARTITION, 9),
			  HV_STATUS_INVALID_PARTITION_ID);
}
END_TEST

START_TEST(test_map_parent_ram)
{
	uint64_t id = create(1), pfn[4] = { RAM_PFN(0), RAM_PFN(5), RAM_PFN(1),
					    RAM_PFN(9) };
	uint64_t rax = map(id, 0x100, pfn, 4, HV_MAP_GPA_READABLE |
			   HV_MAP_GPA_WRITABLE | HV_MAP_GPA_EXECUTABLE);
	hpa_t hpa;
	u32 flags;

	ck_assert_uint_eq(ST(rax), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(REPS(rax), 4);
	ck_assert_uint_eq(lent(id), 4);
	ck_assert_int_eq(fake_lookup(child_get(id), 0x101000, &hpa, &flags), 0);
	ck_assert_uint_eq(hpa, RAM_PFN(5) << 12);
	ck_assert_uint_eq(flags, 0xf);
	ck_assert_uint_eq(child_get(id)->nr_mapped, 4);
}
END_TEST

START_TEST(test_map_refuses_foreign_pages)
{
	uint64_t a = create(1), b = create(1), rax;
	uint64_t hv_pfn = HV_BASE >> 12, mmio = MMIO_BASE >> 12;
	uint64_t above = (64 * MiB) >> 12, ok = RAM_PFN(0);

	/* hv memory, MMIO and holes are never lent. */
	ck_assert_uint_eq(ST(map(a, 0, &hv_pfn, 1, 1)), HV_STATUS_ACCESS_DENIED);
	ck_assert_uint_eq(ST(map(a, 0, &mmio, 1, 1)), HV_STATUS_ACCESS_DENIED);
	ck_assert_uint_eq(ST(map(a, 0, &above, 1, 1)), HV_STATUS_ACCESS_DENIED);
	/* A page lent to one child is not lent to another, nor twice. */
	ck_assert_uint_eq(ST(map(a, 0, &ok, 1, 1)), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(ST(map(b, 0, &ok, 1, 1)), HV_STATUS_ACCESS_DENIED);
	ck_assert_uint_eq(ST(map(a, 1, &ok, 1, 1)), HV_STATUS_ACCESS_DENIED);
	/* A GPA already mapped keeps its page; the new page stays parent's. */
	ok = RAM_PFN(1);
	ck_assert_uint_eq(ST(map(a, 0, &ok, 1, 1)), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(lent(a), 1);
	ck_assert_uint_eq(lent(b), 0);
	/* Partial progress is reported: the third rep fails. */
	{
		uint64_t pfn[3] = { RAM_PFN(20), RAM_PFN(21), hv_pfn };

		rax = map(b, 10, pfn, 3, 1);
		ck_assert_uint_eq(ST(rax), HV_STATUS_ACCESS_DENIED);
		ck_assert_uint_eq(REPS(rax), 2);
		ck_assert_uint_eq(lent(b), 2);
	}
	/* Out-of-memory in the tables leaves nothing lent. */
	fake_fail_map = 1;
	ok = RAM_PFN(30);
	ck_assert_uint_eq(ST(map(b, 50, &ok, 1, 1)),
			  HV_STATUS_INSUFFICIENT_MEMORY);
	ck_assert_uint_eq(lent(b), 2);
}
END_TEST

START_TEST(test_map_hostile_arguments)
{
	uint64_t id = create(1), pfn = RAM_PFN(0), huge = 1ull << 45;

	ck_assert_uint_eq(ST(map(id, 0, &pfn, 1, 0)), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(ST(map(id, 0, &pfn, 1, 0x11)),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(ST(map(id, MKHV_MAX_CHILD_PAGES, &pfn, 1, 1)),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(ST(map(id, MKHV_MAX_CHILD_PAGES - 1, (uint64_t[2]){
				 RAM_PFN(0), RAM_PFN(1) }, 2, 1)),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(ST(map(id, 0, &huge, 1, 1)), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(ST(map(id + 1, 0, &pfn, 1, 1)),
			  HV_STATUS_INVALID_PARTITION_ID);
	ck_assert_uint_eq(ST(map(0, 0, &pfn, 1, 1)),
			  HV_STATUS_INVALID_PARTITION_ID);
	/* Rep count 0 is not a rep call (TLFS). */
	ck_assert_uint_eq(ST(map(id, 0, &pfn, 0, 1)),
			  HV_STATUS_INVALID_HYPERCALL_INPUT);
	ck_assert_uint_eq(lent(id), 0);
	/* No memory changes once finalized. */
	ck_assert_uint_eq(simple(HVCALL_FINALIZE_PARTITION, id), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(ST(map(id, 0, &pfn, 1, 1)),
			  HV_STATUS_INVALID_PARTITION_STATE);
}
END_TEST

START_TEST(test_unmap_and_delete_return_pages)
{
	uint64_t id = create(2), pfn[3] = { RAM_PFN(0), RAM_PFN(1), RAM_PFN(2) };
	u64 parent_before = ownership_count(&own, OWN_PARENT, 0);
	uint64_t rax;

	ck_assert_uint_eq(ST(map(id, 0, pfn, 3, 3)), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(ownership_count(&own, OWN_PARENT, 0), parent_before - 3);
	rax = unmap(id, 1, 1);
	ck_assert_uint_eq(ST(rax), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(lent(id), 2);
	ck_assert_uint_eq(fake_flushes, 1);
	/* Unmapping what is not mapped stops at that page. */
	rax = unmap(id, 0, 2);
	ck_assert_uint_eq(ST(rax), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(REPS(rax), 1);
	ck_assert_uint_eq(lent(id), 1);
	ck_assert_uint_eq(create_vp(id, 0), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(simple(HVCALL_DELETE_PARTITION, id), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(lent(id), 0);
	ck_assert_uint_eq(ownership_count(&own, OWN_PARENT, 0), parent_before);
	ck_assert_uint_ge(fake_stops, 1);
}
END_TEST

START_TEST(test_create_vp)
{
	uint64_t id = create(2);
	struct hv_input_create_vp in = { .partition_id = id };

	ck_assert_uint_eq(create_vp(id, 0), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(create_vp(id, 0), HV_STATUS_INVALID_VP_STATE);
	ck_assert_uint_eq(create_vp(id, 2), HV_STATUS_INVALID_VP_INDEX);
	ck_assert_uint_eq(create_vp(id, 0xffffffff), HV_STATUS_INVALID_VP_INDEX);
	ck_assert_uint_eq(create_vp(id + 1, 0), HV_STATUS_INVALID_PARTITION_ID);
	in.vp_index = 1;
	in.flags = 1;
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_CREATE_VP, 0, &in, sizeof(in))),
			  HV_STATUS_INVALID_PARAMETER);
	fake_fail_vp_create = 1;
	ck_assert_uint_eq(create_vp(id, 1), HV_STATUS_INSUFFICIENT_MEMORY);
	ck_assert_ptr_null(child_get(id)->vps[1]);
	fake_fail_vp_create = 0;
	ck_assert_uint_eq(create_vp(id, 1), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(child_get(id)->vps[1]->hv.vp_index, 1);
}
END_TEST

static uint64_t set_regs(uint64_t id, uint32_t vp, const struct hv_register_assoc *r,
			 unsigned int n)
{
	uint8_t buf[4096];
	struct hv_input_vp_registers in = { .partition_id = id, .vp_index = vp };

	memcpy(buf, &in, sizeof(in));
	memcpy(buf + sizeof(in), r, n * sizeof(*r));
	return hc(pvp, HVCALL_SET_VP_REGISTERS, n, buf, sizeof(in) + n * sizeof(*r));
}

START_TEST(test_vp_registers)
{
	uint64_t id = create(1), rax;
	struct hv_register_assoc r[2] = {
		{ .name = HV_X64_REGISTER_RIP, .value = { 0xfff0, 0 } },
		{ .name = HV_X64_REGISTER_RAX + 3, .value = { 0x1234, 0 } },
	};
	uint8_t buf[64];
	struct hv_input_vp_registers in = { .partition_id = id };
	uint32_t names[2] = { HV_X64_REGISTER_RAX + 3, HV_X64_REGISTER_RIP };
	struct hv_register_value out[2];

	ck_assert_uint_eq(create_vp(id, 0), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(ST(set_regs(id, 0, r, 2)), HV_STATUS_SUCCESS);
	memcpy(buf, &in, sizeof(in));
	memcpy(buf + sizeof(in), names, sizeof(names));
	rax = hc(pvp, HVCALL_GET_VP_REGISTERS, 2, buf, sizeof(in) + 8);
	ck_assert_uint_eq(ST(rax), HV_STATUS_SUCCESS);
	memcpy(out, fake_guest_mem + (OUT - fake_guest_base), sizeof(out));
	ck_assert_uint_eq(out[0].low, 0x1234);
	ck_assert_uint_eq(out[1].low, 0xfff0);
	/* Unknown name, reserved fields, VTL, running VP. */
	r[1].name = 0x12345678;
	rax = set_regs(id, 0, r, 2);
	ck_assert_uint_eq(ST(rax), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(REPS(rax), 1);
	r[1].name = HV_X64_REGISTER_RIP;
	r[1].reserved1 = 1;
	ck_assert_uint_eq(ST(set_regs(id, 0, &r[1], 1)), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(ST(set_regs(id, 1, r, 1)), HV_STATUS_INVALID_VP_INDEX);
	child_get(id)->vps[0]->state = VP_RUNNING;
	ck_assert_uint_eq(ST(set_regs(id, 0, r, 1)), HV_STATUS_INVALID_VP_STATE);
	child_get(id)->vps[0]->state = VP_STOPPED;
}
END_TEST

/* HvRegisterVpRuntime: from the scheduler's accounting, even while running. */
START_TEST(test_vp_runtime_register)
{
	uint64_t id = create(1), rax;
	uint8_t buf[64];
	struct hv_input_vp_registers in = { .partition_id = id };
	uint32_t names[2] = { HV_REGISTER_VP_RUNTIME, HV_X64_REGISTER_RIP };
	struct hv_register_value out;
	struct hv_vp *vp;

	ck_assert_uint_eq(create_vp(id, 0), HV_STATUS_SUCCESS);
	vp = child_get(id)->vps[0];
	vp->state = VP_RUNNING;
	/* One second of TSC ticks is 10^7 units of 100 ns. */
	vp->run_ticks = vp->part->hv.tsc_hz;
	memcpy(buf, &in, sizeof(in));
	memcpy(buf + sizeof(in), names, sizeof(names));
	rax = hc(pvp, HVCALL_GET_VP_REGISTERS, 1, buf, sizeof(in) + 4);
	ck_assert_uint_eq(ST(rax), HV_STATUS_SUCCESS);
	memcpy(&out, fake_guest_mem + (OUT - fake_guest_base), sizeof(out));
	ck_assert(out.low >= 9999999 && out.low <= 10000000);
	/* The exit counter too. */
	vp->nr_exits = 1234;
	names[0] = MKHV_REGISTER_VP_EXITS;
	memcpy(buf + sizeof(in), names, sizeof(names));
	rax = hc(pvp, HVCALL_GET_VP_REGISTERS, 1, buf, sizeof(in) + 4);
	ck_assert_uint_eq(ST(rax), HV_STATUS_SUCCESS);
	memcpy(&out, fake_guest_mem + (OUT - fake_guest_base), sizeof(out));
	ck_assert_uint_eq(out.low, 1234);
	/* The partition reference counter: what the child's MSR 0x40000020
	 * reads; one second of TSC later it is 10^7 more. */
	names[0] = HV_REGISTER_TIME_REF_COUNT;
	memcpy(buf + sizeof(in), names, sizeof(names));
	fake_tsc = 1000;
	rax = hc(pvp, HVCALL_GET_VP_REGISTERS, 1, buf, sizeof(in) + 4);
	ck_assert_uint_eq(ST(rax), HV_STATUS_SUCCESS);
	memcpy(&out, fake_guest_mem + (OUT - fake_guest_base), sizeof(out));
	ck_assert_uint_eq(out.low, hyperv_ref_time(&vp->part->hv));
	fake_tsc += vp->part->hv.tsc_hz;
	rax = hc(pvp, HVCALL_GET_VP_REGISTERS, 1, buf, sizeof(in) + 4);
	{
		struct hv_register_value later;

		memcpy(&later, fake_guest_mem + (OUT - fake_guest_base),
		       sizeof(later));
		ck_assert(later.low - out.low >= 9999999 &&
			  later.low - out.low <= 10000001);
	}
	/* With a VMCB register in the list, the VP must be stopped. */
	rax = hc(pvp, HVCALL_GET_VP_REGISTERS, 2, buf, sizeof(in) + 8);
	ck_assert_uint_eq(ST(rax), HV_STATUS_INVALID_VP_STATE);
	/* Read-only. */
	vp->state = VP_STOPPED;
	{
		struct hv_register_assoc r = { .name = HV_REGISTER_VP_RUNTIME };

		ck_assert_uint_eq(ST(set_regs(id, 0, &r, 1)),
				  HV_STATUS_INVALID_PARAMETER);
	}
}
END_TEST

START_TEST(test_run_loop_calls)
{
	uint64_t id = create(1);
	struct mkhv_input_set_intercept_page ip = { id, ICPT_PAGE };
	struct mkhv_input_resume_vp rv = { id, 0, MKHV_RESUME_START };
	struct hv_intercept_message m = { 0 }, got;
	struct hv_vp *vp;

	ck_assert_uint_eq(create_vp(id, 0), HV_STATUS_SUCCESS);
	vp = child_get(id)->vps[0];
	/* Resume needs an initialized partition and an intercept page. */
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_MKHV_RESUME_VP, 0, &rv, sizeof(rv))),
			  HV_STATUS_INVALID_PARTITION_STATE);
	ck_assert_uint_eq(simple(HVCALL_INITIALIZE_PARTITION, id), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_MKHV_RESUME_VP, 0, &rv, sizeof(rv))),
			  HV_STATUS_INVALID_PARTITION_STATE);
	/* The intercept page must be plain parent RAM, page aligned. */
	ip.page_gpa = ICPT_PAGE + 8;
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_MKHV_SET_INTERCEPT_PAGE, 0, &ip,
				sizeof(ip))), HV_STATUS_INVALID_PARAMETER);
	ip.page_gpa = HV_BASE;
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_MKHV_SET_INTERCEPT_PAGE, 0, &ip,
				sizeof(ip))), HV_STATUS_INVALID_PARAMETER);
	ip.page_gpa = MMIO_BASE;
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_MKHV_SET_INTERCEPT_PAGE, 0, &ip,
				sizeof(ip))), HV_STATUS_INVALID_PARAMETER);
	ip.page_gpa = ICPT_PAGE;
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_MKHV_SET_INTERCEPT_PAGE, 0, &ip,
				sizeof(ip))), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_MKHV_RESUME_VP, 0, &rv, sizeof(rv))),
			  HV_STATUS_SUCCESS);
	ck_assert_uint_eq(vp->state, VP_RUNNABLE);
	ck_assert_uint_eq(fake_kicks, 1);
	/* Not twice, and not a plain resume of a runnable VP. */
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_MKHV_RESUME_VP, 0, &rv, sizeof(rv))),
			  HV_STATUS_INVALID_VP_STATE);
	rv.flags = 0;
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_MKHV_RESUME_VP, 0, &rv, sizeof(rv))),
			  HV_STATUS_INVALID_VP_STATE);
	rv.flags = 0x80;
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_MKHV_RESUME_VP, 0, &rv, sizeof(rv))),
			  HV_STATUS_INVALID_PARAMETER);

	/* A pool pCPU posts an intercept: slot 0, type last, parent told. */
	vp->state = VP_RUNNING;
	m.message_type = HVMSG_X64_IO_PORT_INTERCEPT;
	m.vp_index = 0;
	m.port = 0x3f8;
	m.rax = 'A';
	ck_assert_int_eq(child_post_intercept(vp, &m), 0);
	memcpy(&got, fake_guest_mem + (ICPT_PAGE - fake_guest_base), sizeof(got));
	ck_assert_uint_eq(got.message_type, HVMSG_X64_IO_PORT_INTERCEPT);
	ck_assert_uint_eq(got.port, 0x3f8);
	ck_assert_uint_eq(got.rax, 'A');
	ck_assert_uint_eq(vp->state, VP_WAITING);
	ck_assert_uint_eq(fake_notifies, 1);
	/* Now a plain resume continues it. */
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_MKHV_RESUME_VP, 0, &rv, sizeof(rv))),
			  HV_STATUS_INVALID_PARAMETER);
	rv.flags = 0;
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_MKHV_RESUME_VP, 0, &rv, sizeof(rv))),
			  HV_STATUS_SUCCESS);
	ck_assert_uint_eq(vp->state, VP_RUNNABLE);
	/* Finalize stops it. */
	ck_assert_uint_eq(simple(HVCALL_FINALIZE_PARTITION, id), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(vp->state, VP_STOPPED);
}
END_TEST

START_TEST(test_children_cannot_manage_partitions)
{
	uint64_t id = create(1);
	struct hv_partition *c = child_get(id);
	struct hv_vp *cvp = calloc(1, sizeof(*cvp));
	struct hv_input_partition_id in = { id };
	static const uint16_t codes[] = {
		HVCALL_CREATE_PARTITION, HVCALL_INITIALIZE_PARTITION,
		HVCALL_FINALIZE_PARTITION, HVCALL_DELETE_PARTITION,
		HVCALL_MAP_GPA_PAGES, HVCALL_UNMAP_GPA_PAGES, HVCALL_CREATE_VP,
		HVCALL_INSTALL_INTERCEPT, HVCALL_ASSERT_VIRTUAL_INTERRUPT,
		HVCALL_GET_VP_REGISTERS, HVCALL_SET_VP_REGISTERS,
		HVCALL_MKHV_SET_INTERCEPT_PAGE, HVCALL_MKHV_RESUME_VP,
		HVCALL_MKHV_GET_INFO,
	};
	size_t i;

	cvp->part = c;
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		ck_assert_uint_eq(ST(hc(cvp, codes[i], 0, &in, sizeof(in))),
				  HV_STATUS_ACCESS_DENIED);
	ck_assert_ptr_nonnull(child_get(id));
	free(cvp);
}
END_TEST

static uint16_t assert_irq(uint64_t id, uint32_t type, uint64_t vp,
			   uint32_t vector)
{
	struct hv_input_assert_virtual_interrupt in = {
		.partition_id = id, .interrupt_type = type, .dest_addr = vp,
		.vector = vector,
	};

	return ST(hc(pvp, HVCALL_ASSERT_VIRTUAL_INTERRUPT, 0, &in, sizeof(in)));
}

START_TEST(test_assert_virtual_interrupt)
{
	uint64_t id = create(2);
	struct hv_vp *vp1;
	struct hv_input_assert_virtual_interrupt in = {
		.partition_id = id, .vector = 0x40,
	};

	ck_assert_uint_eq(create_vp(id, 0), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(create_vp(id, 1), HV_STATUS_SUCCESS);
	vp1 = child_get(id)->vps[1];
	/* Fixed: posted to the VP's vLAPIC inbox, the VP woken. */
	fake_wakes = 0;
	ck_assert_uint_eq(assert_irq(id, HV_X64_INTERRUPT_TYPE_FIXED, 1, 0x41),
			  HV_STATUS_SUCCESS);
	ck_assert_uint_eq(vp1->posted_irr[1], 1ull << 1);
	ck_assert_uint_eq(fake_wakes, 1);
	/* ExtINT (an 8259's INTR) is not taken: children have no 8259. */
	ck_assert_uint_eq(assert_irq(id, 7, 1, 0x34), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(vp1->posted_irr[0], 0);
	/* Hostile: types, vectors, flags, VTL, VPs, partitions. */
	ck_assert_uint_eq(assert_irq(id, 4 /* NMI */, 0, 0x40),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(assert_irq(id, 0xffffffff, 0, 0x40),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(assert_irq(id, 0, 0, 15), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(assert_irq(id, 0, 0, 256), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(assert_irq(id, 0, 2, 0x40), HV_STATUS_INVALID_VP_INDEX);
	ck_assert_uint_eq(assert_irq(id, 0, ~0ull, 0x40), HV_STATUS_INVALID_VP_INDEX);
	ck_assert_uint_eq(assert_irq(id + 1, 0, 0, 0x40),
			  HV_STATUS_INVALID_PARTITION_ID);
	in.control_flags = 2;	/* logical destination */
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_ASSERT_VIRTUAL_INTERRUPT, 0, &in,
				sizeof(in))), HV_STATUS_INVALID_PARAMETER);
	in.control_flags = 0;
	in.target_vtl = 1;
	ck_assert_uint_eq(ST(hc(pvp, HVCALL_ASSERT_VIRTUAL_INTERRUPT, 0, &in,
				sizeof(in))), HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(child_get(id)->vps[0]->posted_irr[1], 0);
}
END_TEST

START_TEST(test_ipis_between_vps)
{
	uint64_t id = create(3);
	struct hv_partition *p;
	struct vlapic_ipi ipi = { .dest = 1, .vector = 0x41,
				  .mode = VLAPIC_DM_FIXED };
	struct vlapic_ipi sipi = { .dest = 2, .vector = 0x9a,
				   .mode = VLAPIC_DM_SIPI };
	struct vlapic_ipi init = { .dest = 2, .mode = VLAPIC_DM_INIT };
	u64 v;

	for (uint32_t i = 0; i < 3; i++)
		ck_assert_uint_eq(create_vp(id, i), HV_STATUS_SUCCESS);
	p = child_get(id);
	ck_assert_uint_eq(p->vps[0]->wait_sipi, 0);
	ck_assert_uint_eq(p->vps[1]->wait_sipi, 1);
	/* Fixed IPI to VP 1: posted, VP woken, lands in its IRR. */
	child_send_ipi(p->vps[0], &ipi);
	ck_assert_uint_eq(fake_wakes, 1);
	ck_assert(!child_pull_posted(p->vps[2]));
	ck_assert(child_pull_posted(p->vps[1]));
	ck_assert_int_eq(vlapic_rdmsr(&p->vps[1]->vlapic, 0x822, 0, &v), 0);
	ck_assert_uint_eq(v, 1u << (0x41 - 64));	/* IRR 64-95 */
	/* An unknown destination reaches nobody. */
	ipi.dest = 9;
	child_send_ipi(p->vps[0], &ipi);
	for (uint32_t i = 0; i < 3; i++)
		ck_assert(!child_pull_posted(p->vps[i]));
	/* SIPI starts a waiting AP once; INIT re-arms it. */
	child_send_ipi(p->vps[0], &sipi);
	ck_assert_uint_eq(p->vps[2]->sipi_vector, 0x19a);
	ck_assert_uint_eq(p->vps[2]->wait_sipi, 0);
	p->vps[2]->sipi_vector = 0;
	child_send_ipi(p->vps[0], &sipi);
	ck_assert_uint_eq(p->vps[2]->sipi_vector, 0);	/* not waiting */
	child_send_ipi(p->vps[0], &init);
	ck_assert_uint_eq(p->vps[2]->wait_sipi, 1);
	/* Broadcast but self. */
	ipi.shorthand = 3;
	child_send_ipi(p->vps[1], &ipi);
	ck_assert(child_pull_posted(p->vps[0]));
	ck_assert(!child_pull_posted(p->vps[1]));
	ck_assert(child_pull_posted(p->vps[2]));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("child");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_create_ids_and_limits);
	tcase_add_test(tc, test_create_hostile);
	tcase_add_test(tc, test_lifecycle_states);
	tcase_add_test(tc, test_map_parent_ram);
	tcase_add_test(tc, test_map_refuses_foreign_pages);
	tcase_add_test(tc, test_map_hostile_arguments);
	tcase_add_test(tc, test_unmap_and_delete_return_pages);
	tcase_add_test(tc, test_create_vp);
	tcase_add_test(tc, test_vp_registers);
	tcase_add_test(tc, test_vp_runtime_register);
	tcase_add_test(tc, test_run_loop_calls);
	tcase_add_test(tc, test_children_cannot_manage_partitions);
	tcase_add_test(tc, test_assert_virtual_interrupt);
	tcase_add_test(tc, test_ipis_between_vps);
	suite_add_tcase(s, tc);
	return hv_check_run(s);
}
