// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the VMX child-VP logic (hv/arch/x86/vmx/vmx_cstate.c):
 * the child's control words, its INIT state, TLFS register get/set with
 * the 16-bit segment attribute form, CR0/EFER writes with the long-mode
 * transitions, and the I/O and EPT-violation qualification decoding.
 */
#include "hv_check.h"
#include <stdint.h>
#include <mkhv/errno.h>
#include "vmx_cstate.h"
#include "vmx_haswell.h"

#define RAX	HV_X64_REGISTER_RAX
#define RSP	(HV_X64_REGISTER_RAX + 4)
#define R15	(HV_X64_REGISTER_RAX + 15)
#define CR4_FIXED1	0x001727ffull	/* Haswell: up to SMEP/FSGSBASE/PCIDE/OSXSAVE */

static struct vmx_ctls parent_ctls(const struct vmx_caps *c)
{
	struct vmx_ctls k;
	const char *why = NULL;

	ck_assert_int_eq(vmx_compute_ctls(c, &k, &why), 0);
	return k;
}

START_TEST(child_controls_add_interrupt_hlt_nmi_exiting_and_preemption_timer)
{
	struct vmx_caps c = haswell();
	struct vmx_ctls p = parent_ctls(&c), k;
	const char *why = NULL;

	p.entry |= ENTRY_GUEST_64;
	ck_assert_int_eq(vmx_child_ctls(&c, &p, &k, &why), 0);
	ck_assert_uint_eq(k.pin, p.pin | PIN_EXT_INTR_EXIT | PIN_NMI_EXIT |
			  PIN_PREEMPT_TIMER);
	ck_assert_uint_eq(k.proc, p.proc | PROC_HLT_EXIT);
	ck_assert(!(k.proc & PROC_INTR_WINDOW));	/* toggled per entry */
	ck_assert_uint_eq(k.proc2, p.proc2);
	ck_assert_uint_eq(k.exit, p.exit);
	ck_assert_uint_eq(k.entry, p.entry & ~ENTRY_GUEST_64);
	ck_assert(k.proc & PROC_USE_IO_BITMAPS);
	ck_assert(k.proc & PROC_USE_MSR_BITMAPS);
	ck_assert(k.proc2 & PROC2_EPT);
	ck_assert(k.vpid == p.vpid);
}
END_TEST

START_TEST(child_controls_without_nmi_exiting_or_timer_still_work)
{
	struct vmx_caps c = haswell();
	struct vmx_ctls p = parent_ctls(&c), k;
	const char *why = NULL;

	c.pin &= ~((u64)(PIN_NMI_EXIT | PIN_PREEMPT_TIMER) << 32);
	ck_assert_int_eq(vmx_child_ctls(&c, &p, &k, &why), 0);
	ck_assert(!(k.pin & PIN_NMI_EXIT));
	ck_assert(!(k.pin & PIN_PREEMPT_TIMER));
	ck_assert(k.pin & PIN_EXT_INTR_EXIT);
}
END_TEST

START_TEST(child_controls_refused_without_required_exits)
{
	struct vmx_caps c = haswell();
	struct vmx_ctls p = parent_ctls(&c), k;
	const char *why = NULL;

	c.pin &= ~((u64)PIN_EXT_INTR_EXIT << 32);
	ck_assert_int_eq(vmx_child_ctls(&c, &p, &k, &why), -ENODEV);
	ck_assert_str_eq(why, "no external-interrupt exiting");
	c = haswell();
	c.proc &= ~((u64)PROC_HLT_EXIT << 32);
	ck_assert_int_eq(vmx_child_ctls(&c, &p, &k, &why), -ENODEV);
	ck_assert_str_eq(why, "no HLT exiting");
	c = haswell();
	c.proc &= ~((u64)PROC_INTR_WINDOW << 32);
	ck_assert_int_eq(vmx_child_ctls(&c, &p, &k, &why), -ENODEV);
	ck_assert_str_eq(why, "no interrupt-window exiting");
}
END_TEST

START_TEST(reset_state_is_real_mode_at_fff0)
{
	struct vmx_child_state s;
	u64 rdx = 0;

	memset(&s, 0xa5, sizeof(s));
	vmx_child_reset(&s, &rdx);
	ck_assert_uint_eq(rdx, 0x600);
	ck_assert_uint_eq(s.seg[VMX_SEG_CS].sel, 0xf000);
	ck_assert_uint_eq(s.seg[VMX_SEG_CS].base, 0xffff0000);
	ck_assert_uint_eq(s.seg[VMX_SEG_CS].ar, 0x9b);
	ck_assert_uint_eq(s.seg[VMX_SEG_SS].ar, 0x93);
	ck_assert_uint_eq(s.seg[VMX_SEG_TR].ar, 0x8b);	/* usable: VM entry needs it */
	ck_assert_uint_eq(s.seg[VMX_SEG_LDTR].ar, 0x82);
	ck_assert_uint_eq(s.rip, 0xfff0);
	ck_assert_uint_eq(s.rflags, 2);
	ck_assert(!(s.cr0 & VMX_CR0_PE) && !(s.cr0 & VMX_CR0_PG));
	ck_assert(s.cr0 & VMX_CR0_NE);
	ck_assert_uint_eq(s.cr0 & ~VMX_CR0_NE, 0x60000010);
	ck_assert_uint_eq(s.efer, 0);
	ck_assert_uint_eq(s.pat, 0x0007040600070406ull);
	ck_assert_uint_eq(s.xcr0, 1);
	ck_assert_uint_eq(s.tsc_offset, 0);
	ck_assert_uint_eq(s.entry_intr, 0);
	ck_assert(!s.flush);
}
END_TEST

START_TEST(segment_attributes_tlfs_form)
{
	/* 64-bit code: P S type b, L and G in bits 15:12. */
	ck_assert_uint_eq(vmx_ar_to_tlfs(0xa09b), 0xa09b);
	ck_assert_uint_eq(vmx_ar_from_tlfs(0xa09b), 0xa09b);
	/* Unusable reads as not present; not present sets unusable. */
	ck_assert_uint_eq(vmx_ar_to_tlfs(VMX_AR_UNUSABLE | 0xc093), 0xc013);
	ck_assert_uint_eq(vmx_ar_from_tlfs(0x0000), VMX_AR_UNUSABLE);
	ck_assert_uint_eq(vmx_ar_from_tlfs(0xc013), VMX_AR_UNUSABLE | 0xc013);
}
END_TEST

START_TEST(gprs_roundtrip_rsp_in_state)
{
	struct vmx_child_state s = { 0 };
	u64 gprs[16] = { 0 };
	struct hv_register_value v = { .low = 0x1234 }, out;
	u32 n;

	for (n = RAX; n <= R15; n++) {
		v.low = 0x1000 + n;
		ck_assert_int_eq(vmx_child_set_reg(&s, gprs, CR4_FIXED1, n, &v), 0);
	}
	ck_assert_uint_eq(s.rsp, 0x1000 + RSP);
	ck_assert_uint_eq(gprs[4], 0);
	ck_assert_uint_eq(gprs[15], 0x1000 + R15);
	for (n = RAX; n <= R15; n++) {
		ck_assert_int_eq(vmx_child_get_reg(&s, gprs, n, &out), 0);
		ck_assert_uint_eq(out.low, 0x1000 + n);
		ck_assert_uint_eq(out.high, 0);
	}
	v.high = 1;	/* GPRs are 64 bits */
	ck_assert_int_eq(vmx_child_set_reg(&s, gprs, CR4_FIXED1, RAX, &v),
			 -EINVAL);
}
END_TEST

START_TEST(segments_roundtrip_and_reserved_attr_refused)
{
	struct vmx_child_state s = { 0 };
	u64 gprs[16] = { 0 };
	struct hv_register_value v, out;

	v.low = 0x12345000;
	v.high = 0xffffffffull | (u64)0x10 << 32 | (u64)0xa09b << 48;
	ck_assert_int_eq(vmx_child_set_reg(&s, gprs, CR4_FIXED1,
					   HV_X64_REGISTER_CS, &v), 0);
	ck_assert_uint_eq(s.seg[VMX_SEG_CS].sel, 0x10);
	ck_assert_uint_eq(s.seg[VMX_SEG_CS].ar, 0xa09b);
	ck_assert_uint_eq(s.seg[VMX_SEG_CS].limit, 0xffffffff);
	ck_assert_uint_eq(s.seg[VMX_SEG_CS].base, 0x12345000);
	ck_assert_int_eq(vmx_child_get_reg(&s, gprs, HV_X64_REGISTER_CS,
					   &out), 0);
	ck_assert_uint_eq(out.low, v.low);
	ck_assert_uint_eq(out.high, v.high);
	/* Not present LDTR -> unusable. */
	v.low = 0;
	v.high = 0;
	ck_assert_int_eq(vmx_child_set_reg(&s, gprs, CR4_FIXED1,
					   HV_X64_REGISTER_ES + 6, &v), 0);
	ck_assert(s.seg[VMX_SEG_LDTR].ar & VMX_AR_UNUSABLE);
	/* Reserved attribute bits 11:8 are refused, nothing changes. */
	v.high = (u64)0xa19b << 48;
	ck_assert_int_eq(vmx_child_set_reg(&s, gprs, CR4_FIXED1,
					   HV_X64_REGISTER_CS, &v), -EINVAL);
	ck_assert_uint_eq(s.seg[VMX_SEG_CS].ar, 0xa09b);
}
END_TEST

START_TEST(tables_and_control_registers)
{
	struct vmx_child_state s = { 0 };
	u64 gprs[16] = { 0 };
	struct hv_register_value v = { .low = 0xffff8000, .high = 0x7f }, out;

	ck_assert_int_eq(vmx_child_set_reg(&s, gprs, CR4_FIXED1,
					   HV_X64_REGISTER_GDTR, &v), 0);
	ck_assert_uint_eq(s.gdtr.base, 0xffff8000);
	ck_assert_uint_eq(s.gdtr.limit, 0x7f);
	v.high = 0x10000;	/* limit is 16 bits */
	ck_assert_int_eq(vmx_child_set_reg(&s, gprs, CR4_FIXED1,
					   HV_X64_REGISTER_IDTR, &v), -EINVAL);
	v = (struct hv_register_value){ .low = 0x80050033 };
	ck_assert_int_eq(vmx_child_set_reg(&s, gprs, CR4_FIXED1,
					   HV_X64_REGISTER_CR0, &v), 0);
	v.low = 0x500;	/* LME | LMA */
	ck_assert_int_eq(vmx_child_set_reg(&s, gprs, CR4_FIXED1,
					   HV_X64_REGISTER_EFER, &v), 0);
	v.low = 0x1000;
	ck_assert_int_eq(vmx_child_set_reg(&s, gprs, CR4_FIXED1,
					   HV_X64_REGISTER_RIP, &v), 0);
	ck_assert_int_eq(vmx_child_get_reg(&s, gprs, HV_X64_REGISTER_CR0,
					   &out), 0);
	ck_assert_uint_eq(out.low, 0x80050033);
	ck_assert_int_eq(vmx_child_get_reg(&s, gprs, HV_X64_REGISTER_EFER,
					   &out), 0);
	ck_assert_uint_eq(out.low, 0x500);
	ck_assert_uint_eq(s.rip, 0x1000);
	ck_assert_int_eq(vmx_child_get_reg(&s, gprs, 0x12345, &out), -EINVAL);
	ck_assert_int_eq(vmx_child_set_reg(&s, gprs, CR4_FIXED1, 0x12345, &v),
			 -EINVAL);
}
END_TEST

START_TEST(hostile_control_values_refused)
{
	struct vmx_child_state s = { 0 };
	u64 gprs[16] = { 0 };
	static const struct { u32 name; u64 val; } bad[] = {
		{ HV_X64_REGISTER_CR0, 1ull << 32 },
		{ HV_X64_REGISTER_CR0, 0x20000001 },	/* NW without CD */
		{ HV_X64_REGISTER_CR0, 0x80000000 },	/* PG without PE */
		{ HV_X64_REGISTER_CR3, 1ull << 52 },
		{ HV_X64_REGISTER_CR4, 1ull << 13 },	/* VMXE */
		{ HV_X64_REGISTER_CR4, 1ull << 14 },	/* SMXE */
		{ HV_X64_REGISTER_CR4, 1ull << 30 },	/* not in FIXED1 */
		{ HV_X64_REGISTER_EFER, 1ull << 12 },	/* SVME */
		{ HV_X64_REGISTER_RFLAGS, 0 },		/* bit 1 clear */
		{ HV_X64_REGISTER_RFLAGS, 0x2 | (1ull << 22) },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct hv_register_value v = { .low = bad[i].val };

		ck_assert_msg(vmx_child_set_reg(&s, gprs, CR4_FIXED1,
						bad[i].name, &v) == -EINVAL,
			      "%x = %llx accepted", bad[i].name,
			      (unsigned long long)bad[i].val);
	}
	ck_assert_uint_eq(s.cr0 | s.cr3 | s.cr4 | s.efer | s.rflags, 0);
	{
		struct hv_register_value v = { .low = 2, .high = 1 };

		ck_assert_int_eq(vmx_child_set_reg(&s, gprs, CR4_FIXED1,
						   HV_X64_REGISTER_RFLAGS, &v),
				 -EINVAL);
	}
}
END_TEST

START_TEST(cr0_paging_on_with_lme_sets_lma)
{
	u64 efer = VMX_EFER_LME;

	ck_assert_int_eq(vmx_child_cr0_write(0x11, 0x80000011, VMX_CR4_PAE,
					     &efer), 0);
	ck_assert_uint_eq(efer, VMX_EFER_LME | VMX_EFER_LMA);
	/* Paging off again leaves long mode. */
	ck_assert_int_eq(vmx_child_cr0_write(0x80000011, 0x11, VMX_CR4_PAE,
					     &efer), 0);
	ck_assert_uint_eq(efer, VMX_EFER_LME);
	/* Without LME paging on is legacy paging: EFER unchanged. */
	efer = 0;
	ck_assert_int_eq(vmx_child_cr0_write(0x11, 0x80000011, 0, &efer), 0);
	ck_assert_uint_eq(efer, 0);
	/* Other bits (NE) change nothing in EFER. */
	efer = VMX_EFER_LME | VMX_EFER_LMA;
	ck_assert_int_eq(vmx_child_cr0_write(0x80000011, 0x80000031,
					     VMX_CR4_PAE, &efer), 0);
	ck_assert_uint_eq(efer, VMX_EFER_LME | VMX_EFER_LMA);
}
END_TEST

START_TEST(cr0_bad_writes_gp)
{
	u64 efer = VMX_EFER_LME;

	/* Long mode needs PAE. */
	ck_assert_int_eq(vmx_child_cr0_write(0x11, 0x80000011, 0, &efer),
			 -EINVAL);
	ck_assert_uint_eq(efer, VMX_EFER_LME);
	ck_assert_int_eq(vmx_child_cr0_write(0x11, 0x80000010, VMX_CR4_PAE,
					     &efer), -EINVAL);
	ck_assert_int_eq(vmx_child_cr0_write(0x11, 0x20000011, 0, &efer),
			 -EINVAL);
	ck_assert_int_eq(vmx_child_cr0_write(0x11, 1ull << 40, 0, &efer),
			 -EINVAL);
}
END_TEST

START_TEST(efer_writes_keep_lma)
{
	u64 out = 0;

	ck_assert_int_eq(vmx_child_efer_write(0, VMX_EFER_LME | VMX_EFER_SCE |
					      VMX_EFER_NXE, 0x11, &out), 0);
	ck_assert_uint_eq(out, VMX_EFER_LME | VMX_EFER_SCE | VMX_EFER_NXE);
	/* LMA written by the guest is ignored; the CPU's stays. */
	ck_assert_int_eq(vmx_child_efer_write(0, VMX_EFER_LMA, 0x11, &out), 0);
	ck_assert_uint_eq(out, 0);
	ck_assert_int_eq(vmx_child_efer_write(VMX_EFER_LME | VMX_EFER_LMA,
					      VMX_EFER_LME | VMX_EFER_SCE,
					      0x80000011, &out), 0);
	ck_assert_uint_eq(out, VMX_EFER_LME | VMX_EFER_LMA | VMX_EFER_SCE);
	/* Reserved bits and LME changes under paging: #GP. */
	ck_assert_int_eq(vmx_child_efer_write(0, 1ull << 12, 0, &out), -EINVAL);
	ck_assert_int_eq(vmx_child_efer_write(VMX_EFER_LME | VMX_EFER_LMA, 0,
					      0x80000011, &out), -EINVAL);
}
END_TEST

START_TEST(io_qualification_decoded)
{
	struct vmx_io_exit io;

	/* OUT DX, AL to 0x3f8. */
	ck_assert_int_eq(vmx_io_decode(0x3f80000ull | 0x40, &io), 0);
	ck_assert_uint_eq(io.port, 0x3f8);
	ck_assert_uint_eq(io.size, 1);
	ck_assert(!io.in && !io.string && !io.rep);
	/* REP INSD from 0xcfc. */
	ck_assert_int_eq(vmx_io_decode(0xcfc0000ull | IO_QUAL_REP |
				       IO_QUAL_STRING | IO_QUAL_IN | 3, &io), 0);
	ck_assert_uint_eq(io.port, 0xcfc);
	ck_assert_uint_eq(io.size, 4);
	ck_assert(io.in && io.string && io.rep);
	ck_assert_int_eq(vmx_io_decode(1, &io), 0);
	ck_assert_uint_eq(io.size, 2);
	/* Sizes 3, 5-8 do not exist. */
	ck_assert_int_eq(vmx_io_decode(2, &io), -EINVAL);
	ck_assert_int_eq(vmx_io_decode(7, &io), -EINVAL);
}
END_TEST

START_TEST(ept_access_types)
{
	ck_assert_uint_eq(vmx_ept_access(EPT_QUAL_READ), 0);
	ck_assert_uint_eq(vmx_ept_access(EPT_QUAL_WRITE), 1);
	ck_assert_uint_eq(vmx_ept_access(EPT_QUAL_FETCH | EPT_QUAL_READ), 2);
	ck_assert_uint_eq(vmx_ept_access(EPT_QUAL_WRITE | EPT_QUAL_READ |
					 (1u << 7)), 1);
}
END_TEST

static Suite *vmx_child_suite(void)
{
	Suite *s = suite_create("vmx_child");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, child_controls_add_interrupt_hlt_nmi_exiting_and_preemption_timer);
	tcase_add_test(tc, child_controls_without_nmi_exiting_or_timer_still_work);
	tcase_add_test(tc, child_controls_refused_without_required_exits);
	tcase_add_test(tc, reset_state_is_real_mode_at_fff0);
	tcase_add_test(tc, segment_attributes_tlfs_form);
	tcase_add_test(tc, gprs_roundtrip_rsp_in_state);
	tcase_add_test(tc, segments_roundtrip_and_reserved_attr_refused);
	tcase_add_test(tc, tables_and_control_registers);
	tcase_add_test(tc, hostile_control_values_refused);
	tcase_add_test(tc, cr0_paging_on_with_lme_sets_lma);
	tcase_add_test(tc, cr0_bad_writes_gp);
	tcase_add_test(tc, efer_writes_keep_lma);
	tcase_add_test(tc, io_qualification_decoded);
	tcase_add_test(tc, ept_access_types);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return hv_check_run(vmx_child_suite());
}
