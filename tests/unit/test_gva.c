// SPDX-License-Identifier: GPL-2.0
/*
 * hv/gva.c: a child's page-table walk over fake guest memory (64 KiB at
 * fake_guest_base): 4 KiB, 2 MiB and 1 GiB pages, non-present entries,
 * paging off, unsupported modes, tables outside the child's RAM, and
 * reads that cross into an unmapped page.
 */
#include "hv_check.h"
#include <stdint.h>
#include <mkhv/errno.h>
#include <mkhv/gva.h>
#include "hv_fakes.h"

#define B		0x100000ULL		/* fake_guest_base */
#define PML4		(B + 0x0000)
#define PDPT		(B + 0x1000)
#define PD		(B + 0x2000)
#define PT		(B + 0x3000)
#define DATA		(B + 0x4000)
#define P		0x1ULL
#define RW		0x2ULL
#define PS		0x80ULL
#define KVA		0xffffffff81000000ULL	/* PML4 511, PDPT 510, PD 8 */

static struct hv_partition part;
static const struct gva_mode lm = {
	.cr0 = 0x80050033, .cr3 = PML4, .cr4 = 0x20 /* PAE */, .efer = 0x500,
};

static void pte(u64 table, unsigned int idx, u64 val)
{
	memcpy(fake_guest_mem + (table - B) + idx * 8, &val, 8);
}

static void setup(void)
{
	fake_guest_reset();
	pte(PML4, 511, PDPT | P | RW);
	pte(PDPT, 510, PD | P | RW);
	pte(PD, 8, PT | P | RW);
	pte(PT, 0, DATA | P | RW);
	memcpy(fake_guest_mem + (DATA - B), "\x8b\x07\x90\x90", 4);
}

START_TEST(walks_4k_pages)
{
	u64 gpa;
	u8 insn[4];

	ck_assert_int_eq(gva_to_gpa(&part, &lm, KVA + 0x123, &gpa), 0);
	ck_assert_uint_eq(gpa, DATA + 0x123);
	ck_assert_uint_eq(gva_read(&part, &lm, KVA, insn, 4), 4);
	ck_assert_mem_eq(insn, "\x8b\x07\x90\x90", 4);
}
END_TEST

START_TEST(large_pages)
{
	u64 gpa;

	pte(PD, 9, 0x40000000ULL | P | PS);		/* 2 MiB at 1 GiB */
	ck_assert_int_eq(gva_to_gpa(&part, &lm, KVA + 0x200000 + 0x1234, &gpa), 0);
	ck_assert_uint_eq(gpa, 0x40001234);
	pte(PDPT, 509, 0x80000000ULL | P | PS);		/* 1 GiB at 2 GiB */
	ck_assert_int_eq(gva_to_gpa(&part, &lm, 0xffffffff40000000ULL + 0x345678,
				    &gpa), 0);
	ck_assert_uint_eq(gpa, 0x80345678);
}
END_TEST

START_TEST(not_present_and_outside_ram)
{
	u64 gpa;
	u8 buf[16];

	ck_assert_int_eq(gva_to_gpa(&part, &lm, 0x1000, &gpa), -EFAULT);
	/* A table the child does not own: the walk stops there. */
	pte(PD, 10, 0xdead000ULL | P);
	ck_assert_int_eq(gva_to_gpa(&part, &lm, KVA + 0x400000, &gpa), -EFAULT);
	/* CR3 outside its RAM. */
	{
		struct gva_mode bad = lm;

		bad.cr3 = 0x7fff0000;
		ck_assert_int_eq(gva_to_gpa(&part, &bad, KVA, &gpa), -EFAULT);
	}
	/* An instruction at the end of a page whose next page is unmapped. */
	ck_assert_uint_eq(gva_read(&part, &lm, KVA + 0xffc, buf, 16), 4);
}
END_TEST

START_TEST(paging_off_and_unsupported_modes)
{
	struct gva_mode m = { .cr0 = 0x11 };
	u64 gpa;

	ck_assert_int_eq(gva_to_gpa(&part, &m, 0x7c00, &gpa), 0);
	ck_assert_uint_eq(gpa, 0x7c00);
	m = lm;
	m.efer = 0;				/* 32-bit PAE paging */
	ck_assert_int_eq(gva_to_gpa(&part, &m, 0x1000, &gpa), -EOPNOTSUPP);
}
END_TEST

/* LA57: one more level on top, index bits 56:48 (Linux uses it on CPUs
 * that have it, QEMU's -cpu max among them). */
START_TEST(five_level_paging)
{
	struct gva_mode m = lm;
	u64 gpa;

	m.cr4 |= 1ULL << 12;
	m.cr3 = B + 0x5000;				/* PML5 */
	pte(B + 0x5000, 511, PML4 | P | RW);
	ck_assert_int_eq(gva_to_gpa(&part, &m, KVA + 0x42, &gpa), 0);
	ck_assert_uint_eq(gpa, DATA + 0x42);
	/* The same tables as 4-level would be read one level short. */
	pte(B + 0x5000, 511, 0);
	ck_assert_int_eq(gva_to_gpa(&part, &m, KVA, &gpa), -EFAULT);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("gva");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, walks_4k_pages);
	tcase_add_test(tc, large_pages);
	tcase_add_test(tc, not_present_and_outside_ram);
	tcase_add_test(tc, paging_off_and_unsupported_modes);
	tcase_add_test(tc, five_level_paging);
	suite_add_tcase(s, tc);
	return hv_check_run(s);
}
