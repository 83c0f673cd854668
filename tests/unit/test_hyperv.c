// SPDX-License-Identifier: GPL-2.0
#include "hv_check.h"
#include <stdint.h>
#include <mkhv/errno.h>
#include <mkhv/hvcall.h>
#include <mkhv/hyperv.h>
#include <mkhv/partition.h>
#include "hv_fakes.h"

#define TSC_HZ	2000000000ULL	/* 2 GHz */
#define APIC_HZ	1000000000ULL	/* 1 GHz bus clock */

static struct hv_partition part;
static struct hv_vp *vp;

static void setup_role(enum hyperv_role role, uint64_t tsc, uint64_t apic)
{
	struct hyperv_config cfg = {
		.role = role, .nr_vps = 2, .nr_lps = 4,
		.tsc_hz = tsc, .apic_hz = apic,
	};

	fake_guest_reset();
	fake_tsc = 1000000;
	memset(&part, 0, sizeof(part));
	part.id = role == HYPERV_ROLE_PARENT ? 0 : 3;
	part.is_parent = role == HYPERV_ROLE_PARENT;
	hyperv_partition_init(&part.hv, &cfg);
	vp = calloc(1, sizeof(*vp));
	vp->part = &part;
	hyperv_vp_init(&vp->hv, 1);
}

static void setup(void)
{
	setup_role(HYPERV_ROLE_PARENT, TSC_HZ, APIC_HZ);
}

static void teardown(void)
{
	free(vp);
}

static struct cpuid_regs cpuid(uint32_t leaf)
{
	struct cpuid_regs r = { 1, 2, 3, 4 };

	ck_assert(hyperv_cpuid(vp, leaf, &r));
	return r;
}

START_TEST(test_vendor_leaf)
{
	struct cpuid_regs r = cpuid(0x40000000);
	char sig[13];

	ck_assert_uint_eq(r.eax, 0x40000006);
	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	sig[12] = '\0';
	ck_assert_str_eq(sig, "Microsoft Hv");
	ck_assert_uint_eq(cpuid(0x40000001).eax, 0x31237648);	/* Hv#1 */
	ck_assert_uint_eq(cpuid(0x40000002).ebx,
			  MKHV_VERSION_MAJOR << 16 | MKHV_VERSION_MINOR);
}
END_TEST

START_TEST(test_parent_features)
{
	struct cpuid_regs r = cpuid(0x40000003);

	/*
	 * HYPERCALL, VP_INDEX, TIME_REF_COUNT, REFERENCE_TSC (so Linux takes
	 * the TSC-page path that lowers its rating below the TSC's),
	 * FREQUENCY MSRs, TSC_INVARIANT.
	 */
	ck_assert_uint_eq(r.eax, (1u << 5) | (1u << 6) | (1u << 1) | (1u << 9) |
				 (1u << 11) | (1u << 15));
	ck_assert_uint_eq(r.ebx, 0);
	ck_assert_uint_eq(r.edx, 1u << 8);
	/* No SynIC/stimer/APIC-access for the parent. */
	ck_assert_uint_eq(r.eax & ((1u << 2) | (1u << 3) | (1u << 4)), 0);
	ck_assert_uint_eq(cpuid(0x40000004).eax, 1u << 9);
	ck_assert_uint_eq(cpuid(0x40000005).eax, 2);
	ck_assert_uint_eq(cpuid(0x40000005).ebx, 4);
	ck_assert_uint_eq(cpuid(0x40000006).eax, 0);
}
END_TEST

START_TEST(test_child_features)
{
	struct cpuid_regs r;

	teardown();
	setup_role(HYPERV_ROLE_CHILD, TSC_HZ, APIC_HZ);
	r = cpuid(0x40000003);
	ck_assert_uint_eq(r.eax, 0xa7e | (1u << 15));
	ck_assert_uint_eq(r.ebx, 0x30);
	ck_assert_uint_eq(r.edx, 0x80100);
	/* No DEPRECATING_AEOI: Linux then uses auto-EOI for its VMBus SINT. */
	ck_assert_uint_eq(cpuid(0x40000004).eax, 0);
	ck_assert_uint_eq(cpuid(0x40000100).edx, 0);	/* no parent features */
}
END_TEST

START_TEST(test_never_dangerous_ebx_bits)
{
	for (int role = 0; role < 2; role++) {
		teardown();
		setup_role(role, TSC_HZ, APIC_HZ);
		ck_assert_uint_eq(cpuid(0x40000003).ebx &
				  ((1u << 1) | (1u << 12) | (1u << 22)), 0);
		ck_assert_uint_eq(cpuid(0x40000003).ebx & (1u << 20), 0);
	}
}
END_TEST

START_TEST(test_unknown_frequencies_drop_time_bits)
{
	struct cpuid_regs r;
	uint64_t v;

	teardown();
	setup_role(HYPERV_ROLE_CHILD, TSC_HZ, 0);
	r = cpuid(0x40000003);
	ck_assert_uint_eq(r.eax & (1u << 11), 0);
	ck_assert_uint_eq(r.edx & (1u << 8), 0);
	ck_assert_uint_ne(r.eax & (1u << 9), 0);
	ck_assert_int_eq(hyperv_msr_read(vp, HV_X64_MSR_TSC_FREQUENCY, &v),
			 -EINVAL);
	teardown();
	setup_role(HYPERV_ROLE_PARENT, 0, APIC_HZ);
	r = cpuid(0x40000003);
	ck_assert_uint_eq(r.eax & ((1u << 1) | (1u << 9) | (1u << 11)), 0);
	ck_assert_uint_ne(r.eax & (1u << 5), 0);
	ck_assert_int_eq(hyperv_msr_read(vp, HV_X64_MSR_TIME_REF_COUNT, &v),
			 -EINVAL);
}
END_TEST

START_TEST(test_mkhv_leaves_and_range)
{
	struct cpuid_regs r = cpuid(0x40000100);

	ck_assert_uint_eq(r.eax, 0x40000101);
	ck_assert_uint_eq(r.ebx, 0x76686b6d);
	ck_assert_int_eq(memcmp(&r.ebx, "mkhv", 4), 0);
	ck_assert_uint_eq(r.ecx, MKHV_VERSION_CODE);
	ck_assert_uint_eq(r.edx, MKHV_FEAT_GET_INFO | MKHV_FEAT_LOG_READ |
				 MKHV_FEAT_PARENT);
	r = cpuid(0x40000101);
	ck_assert_uint_eq(r.eax, 0x8100);
	ck_assert_uint_eq(r.ebx, HVCALL_MKHV_COUNT);
	/* Unlisted leaves in the range read 0 (not the native values). */
	r = cpuid(0x4000000a);
	ck_assert_uint_eq(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = cpuid(0x4000ffff);
	ck_assert_uint_eq(r.eax | r.ebx | r.ecx | r.edx, 0);
	ck_assert(!hyperv_cpuid(vp, 0x3fffffff, &r));
	ck_assert(!hyperv_cpuid(vp, 0x40010000, &r));
	ck_assert(!hyperv_cpuid(vp, 1, &r));
}
END_TEST

START_TEST(test_native_fixups)
{
	struct cpuid_regs r = { 0, 0, 0x1234, 0 };

	hyperv_cpuid_fixup(vp, 1, &r);
	ck_assert_uint_eq(r.ecx, 0x80001234);
	/* Invariant TSC hidden until MSR 0x40000118 is enabled. */
	r = (struct cpuid_regs){ 0, 0, 0, 0x100 };
	hyperv_cpuid_fixup(vp, 0x80000007, &r);
	ck_assert_uint_eq(r.edx, 0);
	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_TSC_INVARIANT_CONTROL,
					  1), 0);
	r = (struct cpuid_regs){ 0, 0, 0, 0x100 };
	hyperv_cpuid_fixup(vp, 0x80000007, &r);
	ck_assert_uint_eq(r.edx, 0x100);
	r = (struct cpuid_regs){ 5, 6, 7, 8 };
	hyperv_cpuid_fixup(vp, 0x80000001, &r);
	ck_assert_uint_eq(r.ecx, 7);
}
END_TEST

START_TEST(test_guest_os_id_and_hypercall_page)
{
	uint64_t v;
	gpa_t page = fake_guest_base + 0x3000;

	/* Linux: guest OS id first, then HYPERCALL = GPA | enable. */
	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_GUEST_OS_ID,
					  0x8100000601020000ULL), 0);
	ck_assert_int_eq(hyperv_msr_read(vp, HV_X64_MSR_GUEST_OS_ID, &v), 0);
	ck_assert_uint_eq(v, 0x8100000601020000ULL);
	ck_assert_int_eq(hyperv_msr_read(vp, HV_X64_MSR_HYPERCALL, &v), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_HYPERCALL, page | 1), 0);
	ck_assert_int_eq(hyperv_msr_read(vp, HV_X64_MSR_HYPERCALL, &v), 0);
	ck_assert_uint_eq(v, page | 1);	/* enable reads back as 1 */
	/* AMD stub: vmmcall; ret, then int3 to the end of the page. */
	ck_assert_uint_eq(fake_guest_mem[0x3000], 0x0f);
	ck_assert_uint_eq(fake_guest_mem[0x3001], 0x01);
	ck_assert_uint_eq(fake_guest_mem[0x3002], 0xd9);
	ck_assert_uint_eq(fake_guest_mem[0x3003], 0xc3);
	ck_assert_uint_eq(fake_guest_mem[0x3004], 0xcc);
	ck_assert_uint_eq(fake_guest_mem[0x3fff], 0xcc);
	ck_assert_uint_eq(fake_guest_mem[0x4000], 0);
	ck_assert_uint_eq(fake_guest_mem[0x2fff], 0);
}
END_TEST

START_TEST(test_hypercall_page_intel_stub)
{
	fake_vendor_intel = 1;
	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_GUEST_OS_ID, 1), 0);
	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_HYPERCALL,
					  fake_guest_base | 1), 0);
	ck_assert_uint_eq(fake_guest_mem[2], 0xc1);
	fake_vendor_intel = 0;
}
END_TEST

START_TEST(test_hypercall_needs_guest_os_id)
{
	uint64_t v;

	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_HYPERCALL,
					  fake_guest_base | 1), 0);
	ck_assert_int_eq(hyperv_msr_read(vp, HV_X64_MSR_HYPERCALL, &v), 0);
	ck_assert_uint_eq(v, fake_guest_base);	/* enable not taken */
	ck_assert_uint_eq(fake_copy_to_calls, 0);
	/* Clearing GUEST_OS_ID disables an enabled page. */
	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_GUEST_OS_ID, 5), 0);
	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_HYPERCALL,
					  fake_guest_base | 1), 0);
	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_GUEST_OS_ID, 0), 0);
	ck_assert_int_eq(hyperv_msr_read(vp, HV_X64_MSR_HYPERCALL, &v), 0);
	ck_assert_uint_eq(v & 1, 0);
}
END_TEST

START_TEST(test_hypercall_hostile_writes)
{
	uint64_t v;

	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_GUEST_OS_ID, 5), 0);
	/* Reserved bits 11:2. */
	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_HYPERCALL,
					  fake_guest_base | 1 | 0x10), -EINVAL);
	/* GPA outside the partition's RAM: #GP, MSR unchanged. */
	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_HYPERCALL,
					  0xfee00000ULL | 1), -EINVAL);
	ck_assert_int_eq(hyperv_msr_read(vp, HV_X64_MSR_HYPERCALL, &v), 0);
	ck_assert_uint_eq(v, 0);
	/* Locked: later writes are ignored. */
	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_HYPERCALL,
					  fake_guest_base | 3), 0);
	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_HYPERCALL, 0), 0);
	ck_assert_int_eq(hyperv_msr_read(vp, HV_X64_MSR_HYPERCALL, &v), 0);
	ck_assert_uint_eq(v, fake_guest_base | 3);
}
END_TEST

START_TEST(test_vp_index_and_assist)
{
	uint64_t v;

	ck_assert_int_eq(hyperv_msr_read(vp, HV_X64_MSR_VP_INDEX, &v), 0);
	ck_assert_uint_eq(v, 1);
	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_VP_INDEX, 0), -EINVAL);
	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_VP_ASSIST_PAGE,
					  0x12345000ULL | 1), 0);
	ck_assert_int_eq(hyperv_msr_read(vp, HV_X64_MSR_VP_ASSIST_PAGE, &v), 0);
	ck_assert_uint_eq(v, 0x12345001ULL);
	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_VP_ASSIST_PAGE,
					  0x12345000ULL | 2), -EINVAL);
	/* Never touched guest memory. */
	ck_assert_uint_eq(fake_copy_to_calls, 0);
}
END_TEST

START_TEST(test_frequency_msrs)
{
	uint64_t v;

	ck_assert_int_eq(hyperv_msr_read(vp, HV_X64_MSR_TSC_FREQUENCY, &v), 0);
	ck_assert_uint_eq(v, TSC_HZ);
	ck_assert_int_eq(hyperv_msr_read(vp, HV_X64_MSR_APIC_FREQUENCY, &v), 0);
	ck_assert_uint_eq(v, APIC_HZ);
	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_TSC_FREQUENCY, 1),
			 -EINVAL);
}
END_TEST

START_TEST(test_ref_counter)
{
	uint64_t v;

	/* Partition created at TSC 1e6: reference time starts near 0. */
	ck_assert_int_eq(hyperv_msr_read(vp, HV_X64_MSR_TIME_REF_COUNT, &v), 0);
	ck_assert_uint_le(v, 1);
	fake_tsc += TSC_HZ;		/* one second later */
	ck_assert_int_eq(hyperv_msr_read(vp, HV_X64_MSR_TIME_REF_COUNT, &v), 0);
	ck_assert_uint_ge(v, 10000000 - 1);
	ck_assert_uint_le(v, 10000000 + 1);
	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_TIME_REF_COUNT, 0),
			 -EINVAL);
}
END_TEST

START_TEST(test_ref_scale)
{
	/* 2^64 * 1e7 / 2e9 = 2^64 / 200 */
	ck_assert_uint_eq(hyperv_ref_scale(2000000000ULL),
			  (uint64_t)(((unsigned __int128)1 << 64) / 200));
	ck_assert_uint_eq(hyperv_ref_scale(3123456789ULL),
			  (uint64_t)((((unsigned __int128)10000000) << 64) /
				     3123456789ULL));
	ck_assert_uint_eq(hyperv_ref_scale(9999999), 0);
	ck_assert_uint_eq(hyperv_ref_scale(0), 0);
	ck_assert_uint_eq(hyperv_ref_scale(UINT64_MAX),
			  (uint64_t)((((unsigned __int128)10000000) << 64) /
				     UINT64_MAX));
}
END_TEST

START_TEST(test_reference_tsc_page_both_roles)
{
	uint64_t v;
	struct hv_ref_tsc_page pg;

	/* Parent: offered (see HV_PARENT_FEATURES_EAX), page filled. */
	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_REFERENCE_TSC,
					  fake_guest_base | 1), 0);
	ck_assert_int_eq(hyperv_msr_read(vp, HV_X64_MSR_REFERENCE_TSC, &v), 0);
	ck_assert_uint_eq(v, fake_guest_base | 1);
	memcpy(&pg, fake_guest_mem, sizeof(pg));
	ck_assert_uint_eq(pg.tsc_sequence, 1);
	teardown();
	setup_role(HYPERV_ROLE_CHILD, TSC_HZ, APIC_HZ);
	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_REFERENCE_TSC,
					  (fake_guest_base + 0x1000) | 1), 0);
	memcpy(&pg, fake_guest_mem + 0x1000, sizeof(pg));
	ck_assert_uint_eq(pg.tsc_sequence, 1);
	ck_assert_uint_eq(pg.tsc_scale, hyperv_ref_scale(TSC_HZ));
	/* The page gives the same time as the MSR. */
	fake_tsc = 123456789012ULL;
	ck_assert_int_eq(hyperv_msr_read(vp, HV_X64_MSR_TIME_REF_COUNT, &v), 0);
	ck_assert_uint_eq(v, (uint64_t)(((unsigned __int128)fake_tsc *
					 pg.tsc_scale) >> 64) +
				 (uint64_t)pg.tsc_offset);
	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_REFERENCE_TSC,
					  fake_guest_base | 0x3), -EINVAL);
}
END_TEST

START_TEST(test_tsc_invariant_control)
{
	uint64_t v;

	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_TSC_INVARIANT_CONTROL,
					  2), -EINVAL);
	ck_assert_int_eq(hyperv_msr_write(vp, HV_X64_MSR_TSC_INVARIANT_CONTROL,
					  1), 0);
	ck_assert_int_eq(hyperv_msr_read(vp, HV_X64_MSR_TSC_INVARIANT_CONTROL,
					 &v), 0);
	ck_assert_uint_eq(v, 1);
}
END_TEST

START_TEST(test_unknown_msrs)
{
	static const uint32_t msrs[] = {
		0x40000003, 0x40000080, 0x40000083, 0x40000090, 0x400000b0,
		0x40000100, 0x40000105, 0x4000ffff, 0x40000070,
	};
	uint64_t v;

	for (size_t i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++) {
		ck_assert(hyperv_msr_is_synthetic(msrs[i]));
		ck_assert_int_eq(hyperv_msr_read(vp, msrs[i], &v), -EINVAL);
		ck_assert_int_eq(hyperv_msr_write(vp, msrs[i], 0), -EINVAL);
	}
	ck_assert(!hyperv_msr_is_synthetic(0x3fffffff));
	ck_assert(!hyperv_msr_is_synthetic(0x40010000));
	ck_assert(!hyperv_msr_is_synthetic(0xc0000080));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hyperv");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_vendor_leaf);
	tcase_add_test(tc, test_parent_features);
	tcase_add_test(tc, test_child_features);
	tcase_add_test(tc, test_never_dangerous_ebx_bits);
	tcase_add_test(tc, test_unknown_frequencies_drop_time_bits);
	tcase_add_test(tc, test_mkhv_leaves_and_range);
	tcase_add_test(tc, test_native_fixups);
	tcase_add_test(tc, test_guest_os_id_and_hypercall_page);
	tcase_add_test(tc, test_hypercall_page_intel_stub);
	tcase_add_test(tc, test_hypercall_needs_guest_os_id);
	tcase_add_test(tc, test_hypercall_hostile_writes);
	tcase_add_test(tc, test_vp_index_and_assist);
	tcase_add_test(tc, test_frequency_msrs);
	tcase_add_test(tc, test_ref_counter);
	tcase_add_test(tc, test_ref_scale);
	tcase_add_test(tc, test_reference_tsc_page_both_roles);
	tcase_add_test(tc, test_tsc_invariant_control);
	tcase_add_test(tc, test_unknown_msrs);
	suite_add_tcase(s, tc);
	return hv_check_run(s);
}
