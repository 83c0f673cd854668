// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the VMX backend's pure logic (hv/arch/x86/vmx/vmx_caps.c):
 * VMCS field encodings, control words from the capability MSRs, CR fixed
 * bits, the EPT pointer, MSR/I/O bitmaps and the XSETBV check.
 */
#include "hv_check.h"
#include <stdint.h>
#include <mkhv/errno.h>
#include "vmx_caps.h"
#include "vmx_haswell.h"

/* Every field vmcs.h defines, with the width and type its group says. */
static const struct {
	uint32_t enc;
	enum vmcs_width width;
	enum vmcs_type type;
} fields[] = {
	{ VMCS_VPID, VMCS_WIDTH_16, VMCS_TYPE_CONTROL },
	{ VMCS_GUEST_ES_SEL, VMCS_WIDTH_16, VMCS_TYPE_GUEST },
	{ VMCS_GUEST_TR_SEL, VMCS_WIDTH_16, VMCS_TYPE_GUEST },
	{ VMCS_HOST_ES_SEL, VMCS_WIDTH_16, VMCS_TYPE_HOST },
	{ VMCS_HOST_TR_SEL, VMCS_WIDTH_16, VMCS_TYPE_HOST },
	{ VMCS_IO_BITMAP_A, VMCS_WIDTH_64, VMCS_TYPE_CONTROL },
	{ VMCS_MSR_BITMAP, VMCS_WIDTH_64, VMCS_TYPE_CONTROL },
	{ VMCS_TSC_OFFSET, VMCS_WIDTH_64, VMCS_TYPE_CONTROL },
	{ VMCS_EPT_POINTER, VMCS_WIDTH_64, VMCS_TYPE_CONTROL },
	{ VMCS_GUEST_PHYS_ADDR, VMCS_WIDTH_64, VMCS_TYPE_EXIT_INFO },
	{ VMCS_LINK_POINTER, VMCS_WIDTH_64, VMCS_TYPE_GUEST },
	{ VMCS_GUEST_PAT, VMCS_WIDTH_64, VMCS_TYPE_GUEST },
	{ VMCS_GUEST_EFER, VMCS_WIDTH_64, VMCS_TYPE_GUEST },
	{ VMCS_HOST_PAT, VMCS_WIDTH_64, VMCS_TYPE_HOST },
	{ VMCS_HOST_EFER, VMCS_WIDTH_64, VMCS_TYPE_HOST },
	{ VMCS_PIN_CTLS, VMCS_WIDTH_32, VMCS_TYPE_CONTROL },
	{ VMCS_PROC_CTLS2, VMCS_WIDTH_32, VMCS_TYPE_CONTROL },
	{ VMCS_ENTRY_INTR_INFO, VMCS_WIDTH_32, VMCS_TYPE_CONTROL },
	{ VMCS_INSN_ERROR, VMCS_WIDTH_32, VMCS_TYPE_EXIT_INFO },
	{ VMCS_EXIT_REASON, VMCS_WIDTH_32, VMCS_TYPE_EXIT_INFO },
	{ VMCS_EXIT_INSN_LEN, VMCS_WIDTH_32, VMCS_TYPE_EXIT_INFO },
	{ VMCS_GUEST_ES_LIMIT, VMCS_WIDTH_32, VMCS_TYPE_GUEST },
	{ VMCS_GUEST_TR_AR, VMCS_WIDTH_32, VMCS_TYPE_GUEST },
	{ VMCS_GUEST_INTERRUPTIBILITY, VMCS_WIDTH_32, VMCS_TYPE_GUEST },
	{ VMCS_HOST_SYSENTER_CS, VMCS_WIDTH_32, VMCS_TYPE_HOST },
	{ VMCS_CR0_MASK, VMCS_WIDTH_NATURAL, VMCS_TYPE_CONTROL },
	{ VMCS_CR4_SHADOW, VMCS_WIDTH_NATURAL, VMCS_TYPE_CONTROL },
	{ VMCS_EXIT_QUALIFICATION, VMCS_WIDTH_NATURAL, VMCS_TYPE_EXIT_INFO },
	{ VMCS_GUEST_CR0, VMCS_WIDTH_NATURAL, VMCS_TYPE_GUEST },
	{ VMCS_GUEST_RIP, VMCS_WIDTH_NATURAL, VMCS_TYPE_GUEST },
	{ VMCS_HOST_CR0, VMCS_WIDTH_NATURAL, VMCS_TYPE_HOST },
	{ VMCS_HOST_RSP, VMCS_WIDTH_NATURAL, VMCS_TYPE_HOST },
	{ VMCS_HOST_RIP, VMCS_WIDTH_NATURAL, VMCS_TYPE_HOST },
};

START_TEST(field_encodings_match_their_group)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		ck_assert_msg(vmcs_field_valid(fields[i].enc), "%x",
			      fields[i].enc);
		ck_assert_int_eq(vmcs_field_width(fields[i].enc),
				 fields[i].width);
		ck_assert_int_eq(vmcs_field_type(fields[i].enc),
				 fields[i].type);
	}
}
END_TEST

START_TEST(segment_fields_are_laid_out_in_vmcs_order)
{
	/* vmx.c addresses segment N as <ES field> + 2 * N. */
	ck_assert_uint_eq(VMCS_GUEST_CS_SEL, VMCS_GUEST_ES_SEL + 2);
	ck_assert_uint_eq(VMCS_GUEST_TR_SEL, VMCS_GUEST_ES_SEL + 14);
	ck_assert_uint_eq(VMCS_GUEST_TR_LIMIT, VMCS_GUEST_ES_LIMIT + 14);
	ck_assert_uint_eq(VMCS_GUEST_TR_AR, VMCS_GUEST_ES_AR + 14);
	ck_assert_uint_eq(VMCS_GUEST_TR_BASE, VMCS_GUEST_ES_BASE + 14);
	ck_assert_uint_eq(VMCS_GUEST_LDTR_AR, VMCS_GUEST_ES_AR + 12);
}
END_TEST

START_TEST(malformed_encodings_are_rejected)
{
	ck_assert(!vmcs_field_valid(0x8000));		/* bit 15 */
	ck_assert(!vmcs_field_valid(0x1000));		/* bit 12 */
	ck_assert(!vmcs_field_valid(0x10000000));
	ck_assert(!vmcs_field_valid(VMCS_PIN_CTLS | 1));	/* high of 32-bit */
	ck_assert(!vmcs_field_valid(VMCS_GUEST_RIP | 1));	/* high of natural */
	ck_assert(vmcs_field_valid(VMCS_EPT_POINTER | 1));	/* high of 64-bit */
}
END_TEST

START_TEST(true_msrs_only_when_basic_bit55)
{
	ck_assert_uint_eq(vmx_ctl_msr(0, MSR_VMX_PROCBASED_CTLS),
			  MSR_VMX_PROCBASED_CTLS);
	ck_assert_uint_eq(vmx_ctl_msr(VMX_BASIC_TRUE_CTLS,
				      MSR_VMX_PINBASED_CTLS),
			  MSR_VMX_TRUE_PINBASED_CTLS);
	ck_assert_uint_eq(vmx_ctl_msr(VMX_BASIC_TRUE_CTLS,
				      MSR_VMX_PROCBASED_CTLS),
			  MSR_VMX_TRUE_PROCBASED_CTLS);
	ck_assert_uint_eq(vmx_ctl_msr(VMX_BASIC_TRUE_CTLS, MSR_VMX_EXIT_CTLS),
			  MSR_VMX_TRUE_EXIT_CTLS);
	ck_assert_uint_eq(vmx_ctl_msr(VMX_BASIC_TRUE_CTLS, MSR_VMX_ENTRY_CTLS),
			  MSR_VMX_TRUE_ENTRY_CTLS);
	/* Secondary controls have no TRUE variant. */
	ck_assert_uint_eq(vmx_ctl_msr(VMX_BASIC_TRUE_CTLS,
				      MSR_VMX_PROCBASED_CTLS2),
			  MSR_VMX_PROCBASED_CTLS2);
}
END_TEST

START_TEST(ctl_fix_sets_must1_and_drops_disallowed_optional)
{
	uint32_t out;

	/* must-1 0x16, may-1 0x7f: optional 0x80 is not allowed. */
	ck_assert_int_eq(vmx_ctl_fix(0x0000007f00000016ull, 0x8, 0x80 | 0x20,
				     &out), 0);
	ck_assert_uint_eq(out, 0x16 | 0x8 | 0x20);
}
END_TEST

START_TEST(ctl_fix_fails_on_missing_required_bit)
{
	uint32_t out;

	ck_assert_int_eq(vmx_ctl_fix(0x0000000f00000001ull, 0x10, 0, &out),
			 -ENODEV);
	ck_assert_uint_eq(out, 0x1);
}
END_TEST

START_TEST(haswell_controls)
{
	struct vmx_caps c = haswell();
	struct vmx_ctls k;
	const char *why;

	ck_assert_int_eq(vmx_compute_ctls(&c, &k, &why), 0);
	ck_assert_uint_eq(k.pin, 0x16);
	ck_assert(k.proc & PROC_USE_MSR_BITMAPS);
	ck_assert(k.proc & PROC_USE_IO_BITMAPS);
	ck_assert(k.proc & PROC_SECONDARY);
	ck_assert(k.proc & PROC_TSC_OFFSET);
	/* TRUE controls let CR3 exiting and HLT exiting stay off. */
	ck_assert(!(k.proc & (PROC_CR3_LOAD_EXIT | PROC_CR3_STORE_EXIT)));
	ck_assert(!(k.proc & PROC_HLT_EXIT));
	ck_assert_uint_eq(k.proc2, PROC2_EPT | PROC2_UNRESTRICTED |
				   PROC2_VPID | PROC2_RDTSCP | PROC2_INVPCID);
	ck_assert_uint_eq(k.missing_proc2, PROC2_XSAVES);
	ck_assert(k.exit & EXIT_HOST_64);
	ck_assert(k.exit & EXIT_LOAD_EFER);
	ck_assert(k.entry & ENTRY_LOAD_EFER);
	ck_assert(k.vpid);
	ck_assert(k.invept_single);
	ck_assert(k.ept_1g);
}
END_TEST

START_TEST(non_true_msrs_force_cr3_exiting)
{
	struct vmx_caps c = haswell();
	struct vmx_ctls k;
	const char *why;

	c.basic &= ~VMX_BASIC_TRUE_CTLS;
	c.proc = 0xfff9fffe0401e172ull;	/* plain MSR: CR3 exits default-1 */
	ck_assert_int_eq(vmx_compute_ctls(&c, &k, &why), 0);
	ck_assert(k.proc & PROC_CR3_LOAD_EXIT);
	ck_assert(k.proc & PROC_CR3_STORE_EXIT);
}
END_TEST

START_TEST(no_ept_is_refused)
{
	struct vmx_caps c = haswell();
	struct vmx_ctls k;
	const char *why;

	c.proc2 &= ~((uint64_t)PROC2_EPT << 32);
	ck_assert_int_eq(vmx_compute_ctls(&c, &k, &why), -ENODEV);
	ck_assert_str_eq(why, "no EPT");
}
END_TEST

START_TEST(no_unrestricted_guest_is_refused)
{
	struct vmx_caps c = haswell();
	struct vmx_ctls k;
	const char *why;

	c.proc2 &= ~((uint64_t)PROC2_UNRESTRICTED << 32);
	ck_assert_int_eq(vmx_compute_ctls(&c, &k, &why), -ENODEV);
	ck_assert_str_eq(why, "no unrestricted guest");
}
END_TEST

START_TEST(no_secondary_controls_is_refused)
{
	struct vmx_caps c = haswell();
	struct vmx_ctls k;
	const char *why;

	c.proc &= ~((uint64_t)PROC_SECONDARY << 32);
	ck_assert_int_eq(vmx_compute_ctls(&c, &k, &why), -ENODEV);
	ck_assert_ptr_nonnull(strstr(why, "secondary"));
}
END_TEST

START_TEST(no_efer_switch_is_refused)
{
	struct vmx_caps c = haswell();
	struct vmx_ctls k;
	const char *why;

	c.entry &= ~((uint64_t)ENTRY_LOAD_EFER << 32);
	ck_assert_int_eq(vmx_compute_ctls(&c, &k, &why), -ENODEV);
	ck_assert_ptr_nonnull(strstr(why, "EFER"));
}
END_TEST

START_TEST(ept_without_wb_or_invept_is_refused)
{
	struct vmx_caps c = haswell();
	struct vmx_ctls k;
	const char *why;

	c.ept_vpid &= ~EPT_CAP_WB;
	ck_assert_int_eq(vmx_compute_ctls(&c, &k, &why), -ENODEV);
	c = haswell();
	c.ept_vpid &= ~EPT_CAP_INVEPT;
	ck_assert_int_eq(vmx_compute_ctls(&c, &k, &why), -ENODEV);
	ck_assert_str_eq(why, "EPT without INVEPT");
}
END_TEST

START_TEST(vpid_dropped_without_invvpid)
{
	struct vmx_caps c = haswell();
	struct vmx_ctls k;
	const char *why;

	c.ept_vpid &= ~VPID_CAP_INVVPID;
	ck_assert_int_eq(vmx_compute_ctls(&c, &k, &why), 0);
	ck_assert(!k.vpid);
	ck_assert(!(k.proc2 & PROC2_VPID));
}
END_TEST

START_TEST(cr_fixed_bits)
{
	struct vmx_caps c = haswell();

	/* CR0 without NE gets it; CR4 gets VMXE; unsupported bits go. */
	ck_assert_uint_eq(vmx_cr_fixed(0x80000011, c.cr0_fixed0, c.cr0_fixed1),
			  0x80000031);
	ck_assert_uint_eq(vmx_cr_fixed(0x20, c.cr4_fixed0, c.cr4_fixed1),
			  0x2020);
	ck_assert_uint_eq(vmx_cr_fixed(0x1000 | 0x20, c.cr4_fixed0,
				       c.cr4_fixed1), 0x2020);
}
END_TEST

START_TEST(eptp_wb_4level)
{
	uint64_t eptp = 0;

	ck_assert_int_eq(vmx_eptp(0x12345000, haswell().ept_vpid, &eptp), 0);
	ck_assert_uint_eq(eptp, 0x12345000 | 6 | (3 << 3));
	ck_assert_uint_eq(eptp & 0x40, 0);	/* no A/D flags */
}
END_TEST

START_TEST(eptp_rejects_bad_root_and_caps)
{
	uint64_t eptp = 0;

	ck_assert_int_eq(vmx_eptp(0x12345008, haswell().ept_vpid, &eptp),
			 -EINVAL);
	ck_assert_int_eq(vmx_eptp(1ull << 52, haswell().ept_vpid, &eptp),
			 -EINVAL);
	ck_assert_int_eq(vmx_eptp(0x1000, EPT_CAP_WB, &eptp), -ENODEV);
	ck_assert_int_eq(vmx_eptp(0x1000, EPT_CAP_WALK4, &eptp), -ENODEV);
}
END_TEST

START_TEST(msr_bitmap_quarters)
{
	static uint8_t bm[4096];

	memset(bm, 0, sizeof(bm));
	ck_assert_int_eq(vmx_msr_bitmap_set(bm, 0x3a, true, false), 0);
	ck_assert_uint_eq(bm[0x3a / 8], 1u << (0x3a % 8));
	ck_assert_int_eq(vmx_msr_bitmap_set(bm, 0x10, false, true), 0);
	ck_assert_uint_eq(bm[2048 + 0x10 / 8], 1u << (0x10 % 8));
	ck_assert_int_eq(vmx_msr_bitmap_set(bm, 0xc0000080, true, true), 0);
	ck_assert_uint_eq(bm[1024 + 0x80 / 8], 1);
	ck_assert_uint_eq(bm[3072 + 0x80 / 8], 1);
	ck_assert(vmx_msr_bitmap_test(bm, 0x3a, false));
	ck_assert(!vmx_msr_bitmap_test(bm, 0x3a, true));
	ck_assert(vmx_msr_bitmap_test(bm, 0x10, true));
	ck_assert(!vmx_msr_bitmap_test(bm, 0x10, false));
	ck_assert(!vmx_msr_bitmap_test(bm, 0xc0000081, false));
}
END_TEST

START_TEST(msr_bitmap_outside_ranges)
{
	static uint8_t bm[4096];
	size_t i;

	memset(bm, 0, sizeof(bm));
	ck_assert_int_eq(vmx_msr_bitmap_set(bm, 0x40000000, true, true),
			 -ERANGE);
	ck_assert_int_eq(vmx_msr_bitmap_set(bm, 0x2000, true, true), -ERANGE);
	ck_assert_int_eq(vmx_msr_bitmap_set(bm, 0xc0002000, true, true),
			 -ERANGE);
	ck_assert_int_eq(vmx_msr_bitmap_set(bm, 0xffffffff, true, true),
			 -ERANGE);
	for (i = 0; i < sizeof(bm); i++)
		ck_assert_uint_eq(bm[i], 0);
	/* Those MSRs always exit. */
	ck_assert(vmx_msr_bitmap_test(bm, 0x40000000, false));
	ck_assert(vmx_msr_bitmap_test(bm, 0xc0010114, true));
}
END_TEST

START_TEST(io_bitmap_spans_a_and_b)
{
	static uint8_t bm[8192];

	memset(bm, 0, sizeof(bm));
	ck_assert_int_eq(vmx_io_bitmap_set(bm, 0x2f8, 8), 0);
	ck_assert_uint_eq(bm[0x2f8 / 8], 0xff);
	ck_assert_uint_eq(bm[0x300 / 8], 0);
	ck_assert_int_eq(vmx_io_bitmap_set(bm, 0x7ffe, 4), 0);
	ck_assert_uint_eq(bm[0xfff], 0xc0);
	ck_assert_uint_eq(bm[0x1000], 0x03);	/* bitmap B */
	ck_assert_int_eq(vmx_io_bitmap_set(bm, 0xffff, 1), 0);
	ck_assert_uint_eq(bm[8191], 0x80);
}
END_TEST

START_TEST(io_bitmap_rejects_wrap)
{
	static uint8_t bm[8192];

	memset(bm, 0, sizeof(bm));
	ck_assert_int_eq(vmx_io_bitmap_set(bm, 0xfffc, 8), -EINVAL);
	ck_assert_int_eq(vmx_io_bitmap_set(bm, 0x10000, 1), -EINVAL);
	ck_assert_int_eq(vmx_io_bitmap_set(bm, 0, 0xffffffffu), -EINVAL);
	ck_assert_uint_eq(bm[8191], 0);
}
END_TEST

START_TEST(xcr0_rules)
{
	const uint64_t sup = 0xe7;	/* x87 SSE AVX, AVX-512 */

	ck_assert_int_eq(vmx_xcr0_check(0x1, sup), 0);
	ck_assert_int_eq(vmx_xcr0_check(0x7, sup), 0);
	ck_assert_int_eq(vmx_xcr0_check(0xe7, sup), 0);
	ck_assert_int_eq(vmx_xcr0_check(0x6, sup), -EINVAL);	/* no x87 */
	ck_assert_int_eq(vmx_xcr0_check(0x5, sup), -EINVAL);	/* AVX w/o SSE */
	ck_assert_int_eq(vmx_xcr0_check(0x27, sup), -EINVAL);	/* part AVX-512 */
	ck_assert_int_eq(vmx_xcr0_check(0xe3, sup), -EINVAL);	/* 512 w/o AVX */
	ck_assert_int_eq(vmx_xcr0_check(0x1f, 0x1f), 0);
	ck_assert_int_eq(vmx_xcr0_check(0xf, 0x1f), -EINVAL);	/* BNDREGS alone */
	ck_assert_int_eq(vmx_xcr0_check(0x8000000000000003ull, sup), -EINVAL);
	ck_assert_int_eq(vmx_xcr0_check(0x3, 0), -EINVAL);	/* no XSAVE */
}
END_TEST

START_TEST(msr_bitmap_allow_clears_both_directions)
{
	static u8 bm[4096];

	memset(bm, 0xff, sizeof(bm));
	ck_assert_int_eq(vmx_msr_bitmap_allow(bm, 0xc0000102), 0);
	ck_assert(!vmx_msr_bitmap_test(bm, 0xc0000102, false));
	ck_assert(!vmx_msr_bitmap_test(bm, 0xc0000102, true));
	/* Neighbours still exit. */
	ck_assert(vmx_msr_bitmap_test(bm, 0xc0000101, false));
	ck_assert(vmx_msr_bitmap_test(bm, 0xc0000103, true));
	ck_assert_int_eq(vmx_msr_bitmap_allow(bm, 0x174), 0);
	ck_assert(!vmx_msr_bitmap_test(bm, 0x174, true));
	ck_assert(vmx_msr_bitmap_test(bm, 0x175, true));
	/* Outside the bitmap: always exits, refused. */
	ck_assert_int_eq(vmx_msr_bitmap_allow(bm, 0x40000000), -ERANGE);
	ck_assert(vmx_msr_bitmap_test(bm, 0x40000000, false));
}
END_TEST

static Suite *vmx_caps_suite(void)
{
	Suite *s = suite_create("vmx_caps");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, field_encodings_match_their_group);
	tcase_add_test(tc, segment_fields_are_laid_out_in_vmcs_order);
	tcase_add_test(tc, malformed_encodings_are_rejected);
	tcase_add_test(tc, true_msrs_only_when_basic_bit55);
	tcase_add_test(tc, ctl_fix_sets_must1_and_drops_disallowed_optional);
	tcase_add_test(tc, ctl_fix_fails_on_missing_required_bit);
	tcase_add_test(tc, haswell_controls);
	tcase_add_test(tc, non_true_msrs_force_cr3_exiting);
	tcase_add_test(tc, no_ept_is_refused);
	tcase_add_test(tc, no_unrestricted_guest_is_refused);
	tcase_add_test(tc, no_secondary_controls_is_refused);
	tcase_add_test(tc, no_efer_switch_is_refused);
	tcase_add_test(tc, ept_without_wb_or_invept_is_refused);
	tcase_add_test(tc, vpid_dropped_without_invvpid);
	tcase_add_test(tc, cr_fixed_bits);
	tcase_add_test(tc, eptp_wb_4level);
	tcase_add_test(tc, eptp_rejects_bad_root_and_caps);
	tcase_add_test(tc, msr_bitmap_quarters);
	tcase_add_test(tc, msr_bitmap_outside_ranges);
	tcase_add_test(tc, msr_bitmap_allow_clears_both_directions);
	tcase_add_test(tc, io_bitmap_spans_a_and_b);
	tcase_add_test(tc, io_bitmap_rejects_wrap);
	tcase_add_test(tc, xcr0_rules);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return hv_check_run(vmx_caps_suite());
}
