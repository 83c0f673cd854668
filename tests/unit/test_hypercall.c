// SPDX-License-Identifier: GPL-2.0
#include "hv_check.h"
#include <stdint.h>
#include <mkhv/errno.h>
#include <mkhv/hvcall.h>
#include <mkhv/hypercall.h>
#include <mkhv/partition.h>
#include <mkhv/printk.h>
#include "hv_fakes.h"

static struct hv_partition parent, child;
static struct hv_vp *pvp, *cvp;

#define BASE	0x100000ULL	/* fake_guest_base */
#define OUT	(BASE + 0x2000)
#define IN	(BASE + 0x1000)

static void setup(void)
{
	struct hyperv_config cfg = { .role = HYPERV_ROLE_PARENT, .nr_vps = 1,
				     .nr_lps = 4, .tsc_hz = 2000000000ULL };
	struct hv_sysinfo si = {
		.nr_pcpus = 4, .nr_parent_vcpus = 1, .nr_pool_pcpus = 3,
		.pool_cpu_mask = { 0xe },
		.hv_mem_base = 0x7e000000, .hv_mem_size = 0x2000000,
		.build_id = "v0.1.0-test",
	};

	fake_guest_reset();
	fake_hv_mem_free = 0x1234000;
	memset(&parent, 0, sizeof(parent));
	memset(&child, 0, sizeof(child));
	parent.is_parent = true;
	hyperv_partition_init(&parent.hv, &cfg);
	child.id = 1;
	cfg.role = HYPERV_ROLE_CHILD;
	hyperv_partition_init(&child.hv, &cfg);
	pvp = calloc(1, sizeof(*pvp));
	cvp = calloc(1, sizeof(*cvp));
	pvp->part = &parent;
	cvp->part = &child;
	hypercall_set_sysinfo(&si);
}

static void teardown(void)
{
	free(pvp);
	free(cvp);
}

static uint64_t call(struct hv_vp *vp, uint64_t control, uint64_t in,
		     uint64_t out)
{
	uint64_t rax = 0xdeadbeef;

	ck_assert_int_eq(hypercall_handle(vp, 0, control, in, out, &rax), 0);
	return rax;
}

START_TEST(test_decode_fields)
{
	struct hypercall_control c;
	uint64_t ctl = 0x8100 | (1ULL << 16) | (5ULL << 17) |
		       (0xabcULL << 32) | (0x123ULL << 48);

	ck_assert_uint_eq(hypercall_decode(ctl, &c), HV_STATUS_SUCCESS);
	ck_assert_uint_eq(c.code, 0x8100);
	ck_assert(c.fast);
	ck_assert_uint_eq(c.varhead_bytes, 40);
	ck_assert_uint_eq(c.rep_count, 0xabc);
	ck_assert_uint_eq(c.rep_start, 0x123);
	ck_assert_uint_eq(hypercall_decode(0x3ffULL << 17 | 0xfffULL << 32 |
					   0xfffULL << 48 | 0x1ffff, &c),
			  HV_STATUS_SUCCESS);
	ck_assert_uint_eq(c.varhead_bytes, 0x3ff * 8);
}
END_TEST

START_TEST(test_decode_reserved_bits)
{
	struct hypercall_control c;
	static const int bits[] = { 27, 28, 29, 30, 31, 44, 45, 46, 47,
				    60, 61, 62, 63 };

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		ck_assert_uint_eq(hypercall_decode(0x8100 | 1ULL << bits[i], &c),
				  HV_STATUS_INVALID_HYPERCALL_INPUT);
		ck_assert_uint_eq(call(pvp, HVCALL_MKHV_GET_INFO |
				       1ULL << bits[i], IN, OUT),
				  HV_STATUS_INVALID_HYPERCALL_INPUT);
	}
	/* Every other bit is a field. */
	for (int b = 0; b < 64; b++) {
		bool rsvd = (HV_HYPERCALL_RSVD_MASK >> b) & 1;

		ck_assert_uint_eq(hypercall_decode(1ULL << b, &c),
				  rsvd ? HV_STATUS_INVALID_HYPERCALL_INPUT :
					 HV_STATUS_SUCCESS);
	}
}
END_TEST

START_TEST(test_get_info_end_to_end)
{
	struct mkhv_info info;
	uint64_t rax = call(pvp, HVCALL_MKHV_GET_INFO, 0, OUT);

	ck_assert_uint_eq(rax, HV_STATUS_SUCCESS);
	memcpy(&info, fake_guest_mem + 0x2000, sizeof(info));
	ck_assert_uint_eq(info.version, MKHV_VERSION_CODE);
	ck_assert_uint_eq(info.abi_version, MKHV_HVCALL_ABI_VERSION);
	ck_assert_uint_eq(info.nr_pcpus, 4);
	ck_assert_uint_eq(info.nr_parent_vcpus, 1);
	ck_assert_uint_eq(info.nr_pool_pcpus, 3);
	ck_assert_uint_eq(info.pool_cpu_mask[0], 0xe);
	ck_assert_uint_eq(info.hv_mem_base, 0x7e000000);
	ck_assert_uint_eq(info.hv_mem_size, 0x2000000);
	ck_assert_uint_eq(info.hv_mem_free, 0x1234000);
	ck_assert_str_eq(info.build_id, "v0.1.0-test");
	/* Nothing beyond the struct was written; input never read. */
	ck_assert_uint_eq(fake_guest_mem[0x2000 + sizeof(info)], 0);
	ck_assert_uint_eq(fake_copy_from_calls, 0);
}
END_TEST

START_TEST(test_unknown_code)
{
	static const uint16_t codes[] = { 0, 1, 0x5e, 0x46, 0x8001, 0x80ff,
					  0x8105, 0xffff };

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		ck_assert_uint_eq(call(pvp, codes[i], IN, OUT),
				  HV_STATUS_INVALID_HYPERCALL_CODE);
		ck_assert_uint_eq(call(cvp, codes[i], IN, OUT),
				  HV_STATUS_INVALID_HYPERCALL_CODE);
	}
	ck_assert_ptr_null(hypercall_lookup(0x5e));
	ck_assert_ptr_nonnull(hypercall_lookup(HVCALL_POST_MESSAGE));
	ck_assert_ptr_nonnull(hypercall_lookup(HVCALL_MKHV_GET_INFO));
}
END_TEST

START_TEST(test_child_denied_parent_only)
{
	ck_assert_uint_eq(call(cvp, HVCALL_MKHV_GET_INFO, 0, OUT),
			  HV_STATUS_ACCESS_DENIED);
	ck_assert_uint_eq(call(cvp, HVCALL_MKHV_LOG_READ, IN, OUT),
			  HV_STATUS_ACCESS_DENIED);
	/* Nothing was read or written on its behalf. */
	ck_assert_uint_eq(fake_copy_from_calls + fake_copy_to_calls, 0);
}
END_TEST

START_TEST(test_cpl3_gets_ud)
{
	uint64_t rax = 77;

	ck_assert_int_eq(hypercall_handle(pvp, 3, HVCALL_MKHV_GET_INFO, 0, OUT,
					  &rax), -EPERM);
	ck_assert_uint_eq(rax, 77);
	ck_assert_uint_eq(fake_copy_to_calls, 0);
}
END_TEST

START_TEST(test_form_checks)
{
	/* Fast form not allowed for GetInfo. */
	ck_assert_uint_eq(call(pvp, HVCALL_MKHV_GET_INFO | HV_HYPERCALL_FAST_BIT,
			       0, 0), HV_STATUS_INVALID_HYPERCALL_INPUT);
	/* Rep count / rep start on a simple call. */
	ck_assert_uint_eq(call(pvp, HVCALL_MKHV_GET_INFO | 1ULL << 32, 0, OUT),
			  HV_STATUS_INVALID_HYPERCALL_INPUT);
	ck_assert_uint_eq(call(pvp, HVCALL_MKHV_GET_INFO | 1ULL << 48, 0, OUT),
			  HV_STATUS_INVALID_HYPERCALL_INPUT);
	/* Variable header on a call without one. */
	ck_assert_uint_eq(call(pvp, HVCALL_MKHV_GET_INFO | 1ULL << 17, 0, OUT),
			  HV_STATUS_INVALID_HYPERCALL_INPUT);
	ck_assert_uint_eq(fake_copy_to_calls, 0);
}
END_TEST

START_TEST(test_output_alignment_and_pages)
{
	/* Not 8-byte aligned. */
	ck_assert_uint_eq(call(pvp, HVCALL_MKHV_GET_INFO, 0, OUT + 4),
			  HV_STATUS_INVALID_ALIGNMENT);
	/* Crosses into the next page. */
	ck_assert_uint_eq(call(pvp, HVCALL_MKHV_GET_INFO, 0, OUT + 0xfb0),
			  HV_STATUS_INVALID_ALIGNMENT);
	/* Last position that fits in the page. */
	ck_assert_uint_eq(call(pvp, HVCALL_MKHV_GET_INFO, 0,
			       OUT + 0x1000 - sizeof(struct mkhv_info)),
			  HV_STATUS_SUCCESS);
	/* Outside the partition's memory: no write happens. */
	ck_assert_uint_eq(call(pvp, HVCALL_MKHV_GET_INFO, 0, 0xfee00000),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(call(pvp, HVCALL_MKHV_GET_INFO, 0,
			       0xfffffffffffff000ULL),
			  HV_STATUS_INVALID_PARAMETER);
}
END_TEST

START_TEST(test_log_read)
{
	struct mkhv_log_read_in in = { .pos = 0 };
	struct mkhv_log_read_out *o = malloc(sizeof(*o));

	printk_ring_reset();
	pr_info("hello from the hv\n");
	memcpy(fake_guest_mem + 0x1000, &in, sizeof(in));
	ck_assert_uint_eq(call(pvp, HVCALL_MKHV_LOG_READ, IN, OUT),
			  HV_STATUS_SUCCESS);
	memcpy(o, fake_guest_mem + 0x2000, sizeof(*o));
	ck_assert_uint_eq(o->len, 18);
	ck_assert_uint_eq(o->next_pos, 18);
	ck_assert_int_eq(memcmp(o->data, "hello from the hv\n", 18), 0);
	/* From the returned position: nothing new. */
	in.pos = o->next_pos;
	memcpy(fake_guest_mem + 0x1000, &in, sizeof(in));
	ck_assert_uint_eq(call(pvp, HVCALL_MKHV_LOG_READ, IN, OUT),
			  HV_STATUS_SUCCESS);
	memcpy(o, fake_guest_mem + 0x2000, sizeof(*o));
	ck_assert_uint_eq(o->len, 0);
	/* The output page must be page-aligned (4 KiB list). */
	ck_assert_uint_eq(call(pvp, HVCALL_MKHV_LOG_READ, IN, OUT + 8),
			  HV_STATUS_INVALID_ALIGNMENT);
	free(o);
}
END_TEST

START_TEST(test_input_checks)
{
	/* Misaligned input GPA. */
	ck_assert_uint_eq(call(pvp, HVCALL_MKHV_LOG_READ, IN + 1, OUT),
			  HV_STATUS_INVALID_ALIGNMENT);
	/* Input outside memory: nothing written to the output. */
	fake_copy_to_calls = 0;
	ck_assert_uint_eq(call(pvp, HVCALL_MKHV_LOG_READ, 0x1000, OUT),
			  HV_STATUS_INVALID_PARAMETER);
	ck_assert_uint_eq(fake_copy_to_calls, 0);
	/* Input inside the output list. */
	ck_assert_uint_eq(call(pvp, HVCALL_MKHV_LOG_READ, OUT + 8, OUT),
			  HV_STATUS_INVALID_PARAMETER);
	/* Input at the very end of the page: fine. */
	ck_assert_uint_eq(call(pvp, HVCALL_MKHV_LOG_READ, IN + 0xff8, OUT),
			  HV_STATUS_SUCCESS);
	/* Input crossing the page end. */
	ck_assert_uint_eq(call(pvp, HVCALL_MKHV_LOG_READ, IN + 0xffc, OUT),
			  HV_STATUS_INVALID_ALIGNMENT);
}
END_TEST

START_TEST(test_result_has_no_reps_for_simple_calls)
{
	uint64_t rax = call(pvp, HVCALL_MKHV_GET_INFO, 0, OUT);

	ck_assert_uint_eq(rax >> 32, 0);
	ck_assert_uint_eq(rax, 0);
}
END_TEST

/* ---- generic dispatch paths, through a test table ---- */

static struct hypercall_args seen;
static uint8_t seen_in[4096];
static int calls;

static uint16_t rec_fn(struct hypercall_args *a)
{
	calls++;
	seen = *a;
	memcpy(seen_in, a->in, a->in_len);
	memset(a->out, 0xab, a->out_len);
	/* Rep calls: finish at most 3 reps per call (continuation). */
	if (a->ctl->rep_count) {
		a->reps_done = a->ctl->rep_start + 3;
		if (a->reps_done > a->ctl->rep_count)
			a->reps_done = a->ctl->rep_count;
	}
	return HV_STATUS_SUCCESS;
}

static const struct hypercall_entry test_table[] = {
	{ 0x10, HC_FAST | HC_SLOW, 16, 0, 0, 0, rec_fn, "fast16" },
	{ 0x11, HC_SLOW | HC_REP | HC_VARHEAD, 16, 8, 8, 4, rec_fn, "rep" },
	{ 0x12, HC_FAST, 8, 0, 0, 0, rec_fn, "fastonly" },
	{ 0x13, HC_FAST | HC_SLOW, 0, 0, 8, 0, rec_fn, "fast-with-output" },
};

static void use_test_table(void)
{
	setup();
	hypercall_test_set_table(test_table,
				 sizeof(test_table) / sizeof(test_table[0]));
	calls = 0;
}

static void restore_table(void)
{
	hypercall_test_set_table(NULL, 0);
	teardown();
}

START_TEST(test_fast_call_registers)
{
	ck_assert_uint_eq(call(cvp, 0x10 | HV_HYPERCALL_FAST_BIT,
			       0x1122334455667788ULL, 0x99aabbccddeeff00ULL),
			  HV_STATUS_SUCCESS);
	ck_assert_int_eq(calls, 1);
	ck_assert_uint_eq(seen.in_len, 16);
	ck_assert_uint_eq(*(uint64_t *)seen_in, 0x1122334455667788ULL);
	ck_assert_uint_eq(*(uint64_t *)(seen_in + 8), 0x99aabbccddeeff00ULL);
	/* Fast calls never touch guest memory. */
	ck_assert_uint_eq(fake_copy_from_calls + fake_copy_to_calls, 0);
	/* Slow-only form refused for a fast-only call, and vice versa. */
	ck_assert_uint_eq(call(cvp, 0x12, IN, OUT),
			  HV_STATUS_INVALID_HYPERCALL_INPUT);
	ck_assert_uint_eq(call(cvp, 0x11 | HV_HYPERCALL_FAST_BIT | 1ULL << 32,
			       0, 0), HV_STATUS_INVALID_HYPERCALL_INPUT);
	/* A call with an output list cannot be fast. */
	ck_assert_uint_eq(call(cvp, 0x13 | HV_HYPERCALL_FAST_BIT, 0, 0),
			  HV_STATUS_INVALID_HYPERCALL_INPUT);
	ck_assert_int_eq(calls, 1);
}
END_TEST

START_TEST(test_rep_sizes_and_continuation)
{
	uint64_t ctl = 0x11 | (10ULL << HV_HYPERCALL_REP_COUNT_SHIFT) |
		       (2ULL << HV_HYPERCALL_VARHEAD_SHIFT);
	uint64_t rax;

	for (int i = 0; i < 4096; i++)
		fake_guest_mem[0x1000 + i] = (uint8_t)i;
	rax = call(cvp, ctl, IN, OUT);
	ck_assert_uint_eq(rax & 0xffff, HV_STATUS_SUCCESS);
	ck_assert_uint_eq(rax >> 32, 3);
	/* header 16 + var. header 16 + 10 reps * 8 */
	ck_assert_uint_eq(seen.in_len, 16 + 16 + 80);
	ck_assert_uint_eq(seen.out_len, 8 + 40);
	ck_assert_uint_eq(seen_in[111], 111);
	ck_assert_uint_eq(fake_guest_mem[0x2000 + 47], 0xab);
	ck_assert_uint_eq(fake_guest_mem[0x2000 + 48], 0);
	/* Continue as Linux does: rep start = reps completed. */
	ctl |= 3ULL << HV_HYPERCALL_REP_START_SHIFT;
	rax = call(cvp, ctl, IN, OUT);
	ck_assert_uint_eq(rax >> 32, 6);
	ctl = (ctl & ~HV_HYPERCALL_REP_START_MASK) |
	      9ULL << HV_HYPERCALL_REP_START_SHIFT;
	rax = call(cvp, ctl, IN, OUT);
	ck_assert_uint_eq(rax >> 32, 10);
}
END_TEST

START_TEST(test_rep_hostile_counts)
{
	/* rep count 0, rep start >= rep count. */
	ck_assert_uint_eq(call(cvp, 0x11, IN, OUT),
			  HV_STATUS_INVALID_HYPERCALL_INPUT);
	ck_assert_uint_eq(call(cvp, 0x11 | 5ULL << 32 | 5ULL << 48, IN, OUT),
			  HV_STATUS_INVALID_HYPERCALL_INPUT);
	ck_assert_uint_eq(call(cvp, 0x11 | 5ULL << 32 | 0xfffULL << 48, IN, OUT),
			  HV_STATUS_INVALID_HYPERCALL_INPUT);
	/* Rep list past the page: 16 + 0xfff * 8 bytes of input. */
	ck_assert_uint_eq(call(cvp, 0x11 | 0xfffULL << 32, IN, OUT),
			  HV_STATUS_INVALID_HYPERCALL_INPUT);
	/* Max var. header (0x3ff * 8) too. */
	ck_assert_uint_eq(call(cvp, 0x11 | 1ULL << 32 | 0x3ffULL << 17, IN, OUT),
			  HV_STATUS_INVALID_HYPERCALL_INPUT);
	/* Largest list that still fits: (4096 - 16) / 8 = 510 reps. */
	ck_assert_uint_eq(call(cvp, 0x11 | 510ULL << 32, BASE, BASE + 0x3000) &
			  0xffff, HV_STATUS_SUCCESS);
	ck_assert_uint_eq(call(cvp, 0x11 | 511ULL << 32, BASE, BASE + 0x3000),
			  HV_STATUS_INVALID_HYPERCALL_INPUT);
	/* The input list must start at the page start to fit. */
	ck_assert_uint_eq(call(cvp, 0x11 | 510ULL << 32, BASE + 8,
			       BASE + 0x3000), HV_STATUS_INVALID_ALIGNMENT);
	ck_assert_int_eq(calls, 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hypercall");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_decode_fields);
	tcase_add_test(tc, test_decode_reserved_bits);
	tcase_add_test(tc, test_get_info_end_to_end);
	tcase_add_test(tc, test_unknown_code);
	tcase_add_test(tc, test_child_denied_parent_only);
	tcase_add_test(tc, test_cpl3_gets_ud);
	tcase_add_test(tc, test_form_checks);
	tcase_add_test(tc, test_output_alignment_and_pages);
	tcase_add_test(tc, test_log_read);
	tcase_add_test(tc, test_input_checks);
	tcase_add_test(tc, test_result_has_no_reps_for_simple_calls);
	suite_add_tcase(s, tc);
	tc = tcase_create("dispatch");
	tcase_add_checked_fixture(tc, use_test_table, restore_table);
	tcase_add_test(tc, test_fast_call_registers);
	tcase_add_test(tc, test_rep_sizes_and_continuation);
	tcase_add_test(tc, test_rep_hostile_counts);
	suite_add_tcase(s, tc);
	return hv_check_run(s);
}
