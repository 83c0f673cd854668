// SPDX-License-Identifier: GPL-2.0
/* Check suite for parent/kmod/mkhv_validate.h (mkhv.ko's pure checks). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mkhv_validate.h"

static struct mkhv_ioc_probe_phys probe(uint64_t base, uint64_t size)
{
	struct mkhv_ioc_probe_phys p;

	memset(&p, 0, sizeof(p));
	p.base = base;
	p.size = size;
	return p;
}

START_TEST(status_success_and_reps)
{
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_SUCCESS), 0);
	/* Reps-completed bits above the status do not change the verdict. */
	ck_assert_int_eq(mkhv_status_to_errno(5ULL << HV_HYPERCALL_REP_COMP_SHIFT), 0);
}
END_TEST

START_TEST(status_errors)
{
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_INVALID_HYPERCALL_CODE), -EOPNOTSUPP);
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_INVALID_HYPERCALL_INPUT), -EINVAL);
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_INVALID_ALIGNMENT), -EINVAL);
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_INVALID_PARAMETER), -EINVAL);
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_ACCESS_DENIED), -EACCES);
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_INSUFFICIENT_MEMORY), -ENOMEM);
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_NOT_FOUND), -ENOENT);
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_TIME_OUT), -ETIMEDOUT);
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_OBJECT_IN_USE), -EBUSY);
}
END_TEST

START_TEST(status_unknown_and_no_page)
{
	ck_assert_int_eq(mkhv_status_to_errno(0x7777), -EIO);
	ck_assert_int_eq(mkhv_status_to_errno(MKHV_HVCALL_NO_PAGE), -ENODEV);
	/* A failure with reps completed is still a failure. */
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_ACCESS_DENIED |
					      (3ULL << HV_HYPERCALL_REP_COMP_SHIFT)),
			 -EACCES);
}
END_TEST

START_TEST(probe_good)
{
	struct mkhv_ioc_probe_phys p = probe(0x77e00000, 64ULL << 20);

	ck_assert_int_eq(mkhv_probe_validate(&p, 48), 0);
	p = probe(0, MKHV_PROBE_PAGE_SIZE);
	ck_assert_int_eq(mkhv_probe_validate(&p, 48), 0);
	p = probe(0, MKHV_PROBE_MAX_SIZE);
	ck_assert_int_eq(mkhv_probe_validate(&p, 48), 0);
	/* Ends exactly at the top of the physical address space. */
	p = probe((1ULL << 40) - 4096, 4096);
	ck_assert_int_eq(mkhv_probe_validate(&p, 40), 0);
}
END_TEST

START_TEST(probe_unaligned)
{
	struct mkhv_ioc_probe_phys p = probe(0x77e00001, 4096);

	ck_assert_int_eq(mkhv_probe_validate(&p, 48), -EINVAL);
	p = probe(0x77e00000, 4095);
	ck_assert_int_eq(mkhv_probe_validate(&p, 48), -EINVAL);
	p = probe(0x77e00800, 8192);
	ck_assert_int_eq(mkhv_probe_validate(&p, 48), -EINVAL);
}
END_TEST

START_TEST(probe_sizes)
{
	struct mkhv_ioc_probe_phys p = probe(0x1000, 0);

	ck_assert_int_eq(mkhv_probe_validate(&p, 48), -EINVAL);
	p = probe(0, MKHV_PROBE_MAX_SIZE + 4096);
	ck_assert_int_eq(mkhv_probe_validate(&p, 48), -EINVAL);
	p = probe(0, ~0ULL & ~4095ULL);
	ck_assert_int_eq(mkhv_probe_validate(&p, 48), -EINVAL);
}
END_TEST

START_TEST(probe_wrap_and_width)
{
	struct mkhv_ioc_probe_phys p = probe(0xfffffffffffff000ULL, 0x2000);

	ck_assert_int_eq(mkhv_probe_validate(&p, 64), -EINVAL);
	p = probe(1ULL << 40, 4096);
	ck_assert_int_eq(mkhv_probe_validate(&p, 40), -EINVAL);
	p = probe((1ULL << 40) - 4096, 8192);
	ck_assert_int_eq(mkhv_probe_validate(&p, 40), -EINVAL);
	/* A 64-bit width does not shift by 64. */
	p = probe(0xffffffffffffe000ULL, 0x1000);
	ck_assert_int_eq(mkhv_probe_validate(&p, 64), 0);
}
END_TEST

START_TEST(probe_flags)
{
	struct mkhv_ioc_probe_phys p = probe(0x1000, 4096);

	p.flags = 1;
	ck_assert_int_eq(mkhv_probe_validate(&p, 48), -EINVAL);
	p.flags = 1ULL << 63;
	ck_assert_int_eq(mkhv_probe_validate(&p, 48), -EINVAL);
}
END_TEST

START_TEST(log_read_request)
{
	static struct mkhv_ioc_log_read r;

	memset(&r, 0, sizeof(r));
	r.pos = ~0ULL;		/* any position is the hv's to clamp */
	r.len = 12345;		/* output only: ignored */
	ck_assert_int_eq(mkhv_log_read_validate(&r), 0);
	r.flags = 2;
	ck_assert_int_eq(mkhv_log_read_validate(&r), -EINVAL);
}
END_TEST

START_TEST(log_read_answer)
{
	static struct mkhv_log_read_out o;

	memset(&o, 0, sizeof(o));
	o.len = MKHV_LOG_READ_MAX;
	ck_assert_int_eq(mkhv_log_read_out_validate(&o), 0);
	o.len = 0;
	ck_assert_int_eq(mkhv_log_read_out_validate(&o), 0);
	o.len = MKHV_LOG_READ_MAX + 1;
	ck_assert_int_eq(mkhv_log_read_out_validate(&o), -EIO);
	o.len = 0xffffffff;
	ck_assert_int_eq(mkhv_log_read_out_validate(&o), -EIO);
}
END_TEST

START_TEST(ioctl_numbers)
{
	/* Direction and size are encoded; the numbers are distinct. */
	ck_assert_uint_eq(_IOC_SIZE(MKHV_IOC_GET_INFO), sizeof(struct mkhv_info));
	ck_assert_uint_eq(_IOC_DIR(MKHV_IOC_GET_INFO), _IOC_READ);
	ck_assert_uint_eq(_IOC_SIZE(MKHV_IOC_LOG_READ), 4096);
	ck_assert_uint_eq(_IOC_DIR(MKHV_IOC_LOG_READ), _IOC_READ | _IOC_WRITE);
	ck_assert_uint_eq(_IOC_SIZE(MKHV_IOC_PROBE_PHYS), 64);
	ck_assert_uint_ne(MKHV_IOC_GET_INFO, MKHV_IOC_LOG_READ);
	ck_assert_uint_ne(MKHV_IOC_LOG_READ, MKHV_IOC_PROBE_PHYS);
}
END_TEST


static struct mkhv_ioc_create_vm cvm(uint32_t vps, uint32_t w, uint32_t cap)
{
	struct mkhv_ioc_create_vm c;

	memset(&c, 0, sizeof(c));
	c.max_vps = vps;
	c.weight = w;
	c.cap_permille = cap;
	return c;
}

START_TEST(create_vm_args)
{
	struct mkhv_ioc_create_vm c = cvm(2, 0, 0);

	ck_assert_int_eq(mkhv_create_vm_validate(&c), 0);
	c = cvm(MKHV_MAX_CHILD_VPS, MKHV_VM_WEIGHT_MAX, 1000 * MKHV_MAX_CHILD_VPS);
	ck_assert_int_eq(mkhv_create_vm_validate(&c), 0);
	c = cvm(0, 0, 0);
	ck_assert_int_eq(mkhv_create_vm_validate(&c), -EINVAL);
	c = cvm(MKHV_MAX_CHILD_VPS + 1, 0, 0);
	ck_assert_int_eq(mkhv_create_vm_validate(&c), -EINVAL);
	c = cvm(1, MKHV_VM_WEIGHT_MAX + 1, 0);
	ck_assert_int_eq(mkhv_create_vm_validate(&c), -EINVAL);
	c = cvm(1, 0, 1001);	/* more than its one VP can use */
	ck_assert_int_eq(mkhv_create_vm_validate(&c), -EINVAL);
	c = cvm(1, 0, 0);
	c.flags = 1;
	ck_assert_int_eq(mkhv_create_vm_validate(&c), -EINVAL);
	c = cvm(1, 0, 0);
	c.reserved = 1;
	ck_assert_int_eq(mkhv_create_vm_validate(&c), -EINVAL);
	c = cvm(1, 0, 0);
	c.partition_id = 3;	/* out-only field set by the caller */
	ck_assert_int_eq(mkhv_create_vm_validate(&c), -EINVAL);
}
END_TEST

static struct mkhv_vm_map_memory mapm(uint64_t ua, uint64_t size, uint64_t gfn,
				      uint32_t flags)
{
	struct mkhv_vm_map_memory m;

	memset(&m, 0, sizeof(m));
	m.userspace_addr = ua;
	m.size = size;
	m.guest_pfn = gfn;
	m.flags = flags;
	return m;
}

#define RWX (HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE | HV_MAP_GPA_EXECUTABLE)

START_TEST(map_memory_args)
{
	struct mkhv_vm_map_memory m = mapm(0x7f0000000000, 64 << 20, 0, RWX);
	uint64_t n = 0;

	ck_assert_int_eq(mkhv_map_validate(&m, &n), 0);
	ck_assert_uint_eq(n, (64 << 20) / 4096);
	/* The last page of the child's address space. */
	m = mapm(0x1000, 4096, MKHV_MAX_CHILD_PAGES - 1, HV_MAP_GPA_READABLE);
	ck_assert_int_eq(mkhv_map_validate(&m, &n), 0);
	ck_assert_uint_eq(n, 1);
}
END_TEST

START_TEST(map_memory_hostile)
{
	struct mkhv_vm_map_memory m;
	uint64_t n;

	m = mapm(0x1000, 0, 0, RWX);			/* empty */
	ck_assert_int_eq(mkhv_map_validate(&m, &n), -EINVAL);
	m = mapm(0x1001, 4096, 0, RWX);			/* unaligned address */
	ck_assert_int_eq(mkhv_map_validate(&m, &n), -EINVAL);
	m = mapm(0x1000, 4097, 0, RWX);			/* unaligned size */
	ck_assert_int_eq(mkhv_map_validate(&m, &n), -EINVAL);
	m = mapm(~0xfffULL, 0x2000, 0, RWX);		/* wraps */
	ck_assert_int_eq(mkhv_map_validate(&m, &n), -EINVAL);
	m = mapm(0x1000, 0x2000, MKHV_MAX_CHILD_PAGES - 1, RWX); /* past the end */
	ck_assert_int_eq(mkhv_map_validate(&m, &n), -EINVAL);
	m = mapm(0x1000, 0x1000, ~0ULL, RWX);		/* gfn overflow */
	ck_assert_int_eq(mkhv_map_validate(&m, &n), -EINVAL);
	m = mapm(0x1000, (MKHV_MAX_CHILD_PAGES + 1) * 4096, 0, RWX); /* too big */
	ck_assert_int_eq(mkhv_map_validate(&m, &n), -EINVAL);
	m = mapm(0x1000, 0x1000, 0, HV_MAP_GPA_WRITABLE);	/* no R */
	ck_assert_int_eq(mkhv_map_validate(&m, &n), -EINVAL);
	m = mapm(0x1000, 0x1000, 0, RWX | 0x10);	/* unknown flag */
	ck_assert_int_eq(mkhv_map_validate(&m, &n), -EINVAL);
	m = mapm(0x1000, 0x1000, 0, RWX);
	m.reserved = 1;
	ck_assert_int_eq(mkhv_map_validate(&m, &n), -EINVAL);
}
END_TEST

START_TEST(ranges_overlap)
{
	ck_assert(mkhv_ranges_overlap(0, 10, 9, 1));
	ck_assert(mkhv_ranges_overlap(5, 1, 0, 10));
	ck_assert(!mkhv_ranges_overlap(0, 10, 10, 5));
	ck_assert(!mkhv_ranges_overlap(10, 5, 0, 10));
}
END_TEST

START_TEST(regs_args)
{
	struct mkhv_vm_regs r = { .vp_index = 1, .count = 3, .regs = 0x1000 };
	struct hv_register_assoc a;

	ck_assert_int_eq(mkhv_regs_validate(&r, 2), 0);
	ck_assert_int_eq(mkhv_regs_validate(&r, 1), -EINVAL);	/* no VP 1 */
	r.count = 0;
	ck_assert_int_eq(mkhv_regs_validate(&r, 2), -EINVAL);
	r.count = MKHV_VM_REGS_MAX + 1;
	ck_assert_int_eq(mkhv_regs_validate(&r, 2), -EINVAL);
	r.count = MKHV_VM_REGS_MAX;
	ck_assert_int_eq(mkhv_regs_validate(&r, 2), 0);
	r.regs = 0;
	ck_assert_int_eq(mkhv_regs_validate(&r, 2), -EINVAL);
	r.regs = 0x1000;
	r.flags = 1;
	ck_assert_int_eq(mkhv_regs_validate(&r, 2), -EINVAL);

	memset(&a, 0, sizeof(a));
	a.name = HV_X64_REGISTER_RIP;
	ck_assert_int_eq(mkhv_reg_assoc_validate(&a), 0);
	a.reserved2 = 1;
	ck_assert_int_eq(mkhv_reg_assoc_validate(&a), -EINVAL);
}
END_TEST

START_TEST(statistics_only_regs)
{
	struct hv_register_assoc r[2] = {
		{ .name = HV_REGISTER_VP_RUNTIME },
		{ .name = HV_REGISTER_VP_RUNTIME },
	};

	ck_assert(mkhv_regs_statistics_only(r, 2));
	r[1].name = HV_X64_REGISTER_RIP;
	ck_assert(!mkhv_regs_statistics_only(r, 2));
	ck_assert(mkhv_regs_statistics_only(r, 1));
	/* The reference counter is one too (timesync samples it). */
	r[1].name = HV_REGISTER_TIME_REF_COUNT;
	ck_assert(mkhv_regs_statistics_only(r, 2));
}
END_TEST

START_TEST(install_intercept_args)
{
	struct mkhv_vm_intercept c = { 0x3f8, HV_INTERCEPT_ACCESS_MASK_READ |
					      HV_INTERCEPT_ACCESS_MASK_WRITE };

	ck_assert_int_eq(mkhv_intercept_req_validate(&c), 0);
	c.access = HV_INTERCEPT_ACCESS_MASK_WRITE;
	ck_assert_int_eq(mkhv_intercept_req_validate(&c), 0);
	c.access = 0;
	ck_assert_int_eq(mkhv_intercept_req_validate(&c), -EINVAL);
	c.access = HV_INTERCEPT_ACCESS_MASK_EXECUTE;
	ck_assert_int_eq(mkhv_intercept_req_validate(&c), -EINVAL);
	c.access = 0x80000001;
	ck_assert_int_eq(mkhv_intercept_req_validate(&c), -EINVAL);
	c.access = HV_INTERCEPT_ACCESS_MASK_READ;
	c.port = 0x10000;
	ck_assert_int_eq(mkhv_intercept_req_validate(&c), -EINVAL);
	c.port = 0xffff;
	ck_assert_int_eq(mkhv_intercept_req_validate(&c), 0);
}
END_TEST

START_TEST(intercept_from_hv)
{
	struct hv_intercept_message m;

	memset(&m, 0, sizeof(m));
	m.message_type = HVMSG_X64_IO_PORT_INTERCEPT;
	m.vp_index = 3;
	ck_assert_int_eq(mkhv_intercept_validate(&m, 3), 0);
	ck_assert_int_eq(mkhv_intercept_validate(&m, 2), -EIO);
	m.message_type = 0x1234;
	ck_assert_int_eq(mkhv_intercept_validate(&m, 3), -EIO);
	m.message_type = HVMSG_NONE;
	ck_assert_int_eq(mkhv_intercept_validate(&m, 3), -EIO);
}
END_TEST

START_TEST(assert_interrupt_args)
{
	struct mkhv_vm_interrupt c = { 1, HV_X64_INTERRUPT_TYPE_FIXED, 0x34, 0 };

	ck_assert_int_eq(mkhv_interrupt_req_validate(&c, 2), 0);
	ck_assert_int_eq(mkhv_interrupt_req_validate(&c, 1), -EINVAL);	/* VP 1 of 1 */
	c.type = 7;	/* ExtINT: no 8259 in a HW-reduced ACPI child */
	ck_assert_int_eq(mkhv_interrupt_req_validate(&c, 2), -EINVAL);
	c.type = HV_X64_INTERRUPT_TYPE_FIXED;
	c.vector = 15;
	ck_assert_int_eq(mkhv_interrupt_req_validate(&c, 2), -EINVAL);
	c.vector = 256;
	ck_assert_int_eq(mkhv_interrupt_req_validate(&c, 2), -EINVAL);
	c.vector = 0x40;
	c.flags = 1;
	ck_assert_int_eq(mkhv_interrupt_req_validate(&c, 2), -EINVAL);
}
END_TEST

START_TEST(vm_ioctl_numbers)
{
	unsigned long n[] = { MKHV_IOC_CREATE_VM, MKHV_VM_MAP_MEMORY,
			      MKHV_VM_CREATE_VP, MKHV_VM_SET_REGS,
			      MKHV_VM_GET_REGS, MKHV_VM_RUN, MKHV_VM_INSTALL_INTERCEPT,
			      MKHV_VM_CONNECT, MKHV_VM_DISCONNECT, MKHV_VM_RECEIVE,
			      MKHV_VM_POST_MESSAGE, MKHV_VM_SIGNAL_EVENT,
			      MKHV_VM_RECEIVE_KICK, MKHV_VM_ASSERT_INTERRUPT,
			      MKHV_IOC_GET_INFO,
			      MKHV_IOC_LOG_READ, MKHV_IOC_PROBE_PHYS };

	for (size_t i = 0; i < sizeof(n) / sizeof(n[0]); i++)
		for (size_t j = i + 1; j < sizeof(n) / sizeof(n[0]); j++)
			ck_assert_uint_ne(n[i], n[j]);
	ck_assert_uint_eq(_IOC_SIZE(MKHV_VM_RUN), 264);
	ck_assert_uint_eq(_IOC_DIR(MKHV_IOC_CREATE_VM), _IOC_READ | _IOC_WRITE);
	ck_assert_uint_eq(_IOC_SIZE(MKHV_VM_RECEIVE), 8 + 0x410 + 11 * 256);
	ck_assert_uint_eq(_IOC_DIR(MKHV_VM_RECEIVE), _IOC_READ | _IOC_WRITE);
	ck_assert_uint_eq(_IOC_DIR(MKHV_VM_SIGNAL_EVENT), _IOC_READ | _IOC_WRITE);
	ck_assert_uint_eq(_IOC_DIR(MKHV_VM_POST_MESSAGE), _IOC_WRITE);
}
END_TEST

/* ---- SynIC transport (issue 8) ---- */

START_TEST(connect_args)
{
	struct mkhv_vm_connect c = { 4, HV_PORT_TYPE_MESSAGE, 0, 0 };

	ck_assert_int_eq(mkhv_connect_validate(&c), 0);
	c.port_id = 0xdead;	/* out: whatever the caller left there */
	ck_assert_int_eq(mkhv_connect_validate(&c), 0);
	c.flag_count = 1;	/* message ports have no flags */
	ck_assert_int_eq(mkhv_connect_validate(&c), -EINVAL);
	c = (struct mkhv_vm_connect){ 0x123456, HV_PORT_TYPE_EVENT, 0, 0 };
	ck_assert_int_eq(mkhv_connect_validate(&c), 0);	/* 0 = 1 flag */
	c.flag_count = MKHV_MAX_EVENT_FLAGS;
	ck_assert_int_eq(mkhv_connect_validate(&c), 0);
	c.flag_count = MKHV_MAX_EVENT_FLAGS + 1;
	ck_assert_int_eq(mkhv_connect_validate(&c), -EINVAL);
	c = (struct mkhv_vm_connect){ 0, HV_PORT_TYPE_EVENT, 1, 0 };
	ck_assert_int_eq(mkhv_connect_validate(&c), -EINVAL);
	c.connection_id = 1u << 24;
	ck_assert_int_eq(mkhv_connect_validate(&c), -EINVAL);
	c.connection_id = 0xffffffffu;
	ck_assert_int_eq(mkhv_connect_validate(&c), -EINVAL);
	c = (struct mkhv_vm_connect){ 4, HV_PORT_TYPE_MONITOR, 0, 0 };
	ck_assert_int_eq(mkhv_connect_validate(&c), -EINVAL);
	c.port_type = 0;
	ck_assert_int_eq(mkhv_connect_validate(&c), -EINVAL);
	c.port_type = 0x80000001u;
	ck_assert_int_eq(mkhv_connect_validate(&c), -EINVAL);
}
END_TEST

/* Port ids: non-zero, 24 bits, distinct over every (VM, slot). */
START_TEST(port_ids_unique)
{
	static uint8_t seen[1 << 24];
	uint64_t pid;
	uint32_t slot, id;

	for (pid = 1; pid <= MKHV_MAX_CHILDREN; pid++)
		for (slot = 0; slot < MKHV_MAX_PORTS; slot++) {
			id = mkhv_port_id(pid, slot);
			ck_assert_uint_ne(id, 0);
			ck_assert_uint_eq(id & ~HV_PORT_ID_MASK, 0);
			ck_assert_uint_eq(seen[id], 0);
			seen[id] = 1;
		}
}
END_TEST

START_TEST(disconnect_args)
{
	struct mkhv_vm_disconnect d = { 4, 0 };

	ck_assert_int_eq(mkhv_disconnect_validate(&d), 0);
	d.flags = 1;
	ck_assert_int_eq(mkhv_disconnect_validate(&d), -EINVAL);
	d = (struct mkhv_vm_disconnect){ 0, 0 };
	ck_assert_int_eq(mkhv_disconnect_validate(&d), -EINVAL);
	d.connection_id = 1u << 24;
	ck_assert_int_eq(mkhv_disconnect_validate(&d), -EINVAL);
}
END_TEST

START_TEST(receive_args)
{
	static struct mkhv_vm_receive r;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(mkhv_receive_validate(&r), 0);
	r.flags = MKHV_VM_RECEIVE_NONBLOCK;
	ck_assert_int_eq(mkhv_receive_validate(&r), 0);
	r.timeout_ms = 10;	/* a timeout makes no sense without blocking */
	ck_assert_int_eq(mkhv_receive_validate(&r), -EINVAL);
	r.flags = 0;
	ck_assert_int_eq(mkhv_receive_validate(&r), 0);
	r.timeout_ms = MKHV_VM_RECEIVE_TIMEOUT_MAX;
	ck_assert_int_eq(mkhv_receive_validate(&r), 0);
	r.timeout_ms = MKHV_VM_RECEIVE_TIMEOUT_MAX + 1;
	ck_assert_int_eq(mkhv_receive_validate(&r), -EINVAL);
	r.timeout_ms = 0xffffffffu;
	ck_assert_int_eq(mkhv_receive_validate(&r), -EINVAL);
	r.timeout_ms = 0;
	r.flags = 2;
	ck_assert_int_eq(mkhv_receive_validate(&r), -EINVAL);
}
END_TEST

/* What wakes a blocking RECEIVE up: messages, events, or inbox space. */
START_TEST(receive_news)
{
	static struct mkhv_output_receive o;

	memset(&o, 0, sizeof(o));
	ck_assert(!mkhv_receive_has_news(&o));
	o.flags = MKHV_RECEIVE_MORE;	/* cannot come alone, but is no news */
	ck_assert(!mkhv_receive_has_news(&o));
	o.flags = MKHV_RECEIVE_INBOX_SPACE;
	ck_assert(mkhv_receive_has_news(&o));
	o.flags = 0;
	o.nr_events = 1;
	ck_assert(mkhv_receive_has_news(&o));
	o.nr_events = 0;
	o.nr_messages = 1;
	ck_assert(mkhv_receive_has_news(&o));
}
END_TEST

/* A broken hv's Receive answer is refused, never copied on blindly. */
START_TEST(receive_answer)
{
	static struct mkhv_output_receive o;

	memset(&o, 0, sizeof(o));
	o.nr_messages = MKHV_RECEIVE_MAX_MESSAGES;
	o.nr_events = MKHV_MAX_PORTS;
	o.flags = MKHV_RECEIVE_MORE;
	o.messages[MKHV_RECEIVE_MAX_MESSAGES - 1].payload_size = 240;
	ck_assert_int_eq(mkhv_receive_out_validate(&o), 0);
	o.messages[MKHV_RECEIVE_MAX_MESSAGES - 1].payload_size = 241;
	ck_assert_int_eq(mkhv_receive_out_validate(&o), -EIO);
	o.messages[MKHV_RECEIVE_MAX_MESSAGES - 1].payload_size = 0;
	o.nr_messages = MKHV_RECEIVE_MAX_MESSAGES + 1;
	ck_assert_int_eq(mkhv_receive_out_validate(&o), -EIO);
	o.nr_messages = 0;
	o.nr_events = MKHV_MAX_PORTS + 1;
	ck_assert_int_eq(mkhv_receive_out_validate(&o), -EIO);
	o.nr_events = 0;
	o.flags = MKHV_RECEIVE_INBOX_SPACE;
	ck_assert_int_eq(mkhv_receive_out_validate(&o), 0);
	o.flags = 4;
	ck_assert_int_eq(mkhv_receive_out_validate(&o), -EIO);
	/* Sizes of messages beyond nr_messages are not looked at. */
	o.flags = 0;
	o.messages[3].payload_size = 0xffff;
	o.nr_messages = 3;
	ck_assert_int_eq(mkhv_receive_out_validate(&o), 0);
}
END_TEST

START_TEST(post_message_args)
{
	struct mkhv_vm_post_message m;

	memset(&m, 0, sizeof(m));
	m.vp_index = 1;
	m.sint = 2;
	m.message_type = 1;
	m.payload_size = 240;
	ck_assert_int_eq(mkhv_post_validate(&m, 2), 0);
	ck_assert_int_eq(mkhv_post_validate(&m, 1), -EINVAL);	/* no VP 1 */
	m.payload_size = 241;
	ck_assert_int_eq(mkhv_post_validate(&m, 2), -EINVAL);
	m.payload_size = 0;
	m.message_type = 0;
	ck_assert_int_eq(mkhv_post_validate(&m, 2), -EINVAL);
	m.message_type = 1;
	m.sint = 16;
	ck_assert_int_eq(mkhv_post_validate(&m, 2), -EINVAL);
	m.sint = 15;
	ck_assert_int_eq(mkhv_post_validate(&m, 2), 0);
	m.vp_index = 0xffffffffu;
	ck_assert_int_eq(mkhv_post_validate(&m, MKHV_MAX_CHILD_VPS), -EINVAL);
}
END_TEST

START_TEST(signal_event_args)
{
	struct mkhv_vm_signal_event e = { 0, 2, 2047, 0 };

	ck_assert_int_eq(mkhv_signal_validate(&e, 1), 0);
	e.flag = 2048;
	ck_assert_int_eq(mkhv_signal_validate(&e, 1), -EINVAL);
	e.flag = 0;
	e.sint = 16;
	ck_assert_int_eq(mkhv_signal_validate(&e, 1), -EINVAL);
	e.sint = 2;
	e.vp_index = 1;
	ck_assert_int_eq(mkhv_signal_validate(&e, 1), -EINVAL);
}
END_TEST

START_TEST(status_port_errors)
{
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_INVALID_PORT_ID), -EINVAL);
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_INVALID_CONNECTION_ID), -EINVAL);
	/* vm.c turns this one into -EAGAIN for POST_MESSAGE. */
	ck_assert_int_eq(mkhv_status_to_errno(HV_STATUS_INSUFFICIENT_BUFFERS), -ENOBUFS);
}
END_TEST

static Suite *validate_suite(void)
{
	Suite *s = suite_create("mkhv_validate");
	TCase *tc = tcase_create("validate");

	tcase_add_test(tc, status_success_and_reps);
	tcase_add_test(tc, status_errors);
	tcase_add_test(tc, status_unknown_and_no_page);
	tcase_add_test(tc, probe_good);
	tcase_add_test(tc, probe_unaligned);
	tcase_add_test(tc, probe_sizes);
	tcase_add_test(tc, probe_wrap_and_width);
	tcase_add_test(tc, probe_flags);
	tcase_add_test(tc, log_read_request);
	tcase_add_test(tc, log_read_answer);
	tcase_add_test(tc, ioctl_numbers);
	tcase_add_test(tc, create_vm_args);
	tcase_add_test(tc, map_memory_args);
	tcase_add_test(tc, map_memory_hostile);
	tcase_add_test(tc, ranges_overlap);
	tcase_add_test(tc, regs_args);
	tcase_add_test(tc, statistics_only_regs);
	tcase_add_test(tc, install_intercept_args);
	tcase_add_test(tc, intercept_from_hv);
	tcase_add_test(tc, assert_interrupt_args);
	tcase_add_test(tc, vm_ioctl_numbers);
	tcase_add_test(tc, connect_args);
	tcase_add_test(tc, port_ids_unique);
	tcase_add_test(tc, disconnect_args);
	tcase_add_test(tc, receive_args);
	tcase_add_test(tc, receive_answer);
	tcase_add_test(tc, receive_news);
	tcase_add_test(tc, post_message_args);
	tcase_add_test(tc, signal_event_args);
	tcase_add_test(tc, status_port_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(validate_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
