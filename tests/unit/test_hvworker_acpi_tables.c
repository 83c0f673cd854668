// SPDX-License-Identifier: GPL-2.0
/* Check suite for parent/worker/acpi_tables.c (hvworker's ACPI tables). */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "acpi_tables.h"
#include "guest.h"

#define BASE	0xe0000ULL
#define SIZE	0x20000U

static uint8_t buf[SIZE];
static struct acpi_layout l;

static uint32_t rd32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static const uint8_t *at(uint64_t gpa)
{
	ck_assert_uint_ge(gpa, BASE);
	ck_assert_uint_lt(gpa, BASE + SIZE);
	return buf + (gpa - BASE);
}

static void build(unsigned int n)
{
	ck_assert_int_eq(acpi_build(buf, SIZE, BASE, n, &l), 0);
}

/* A table's header: signature, length inside the buffer, checksum 0. */
static const uint8_t *table(uint64_t gpa, const char *sig)
{
	const uint8_t *t = at(gpa);
	uint32_t len = rd32(t + 4);

	ck_assert_mem_eq(t, sig, 4);
	ck_assert_uint_ge(len, 36);
	ck_assert_uint_le(gpa + len, l.end);
	ck_assert_uint_eq(acpi_checksum(t, len), 0);
	return t;
}

START_TEST(rsdp)
{
	const uint8_t *r;

	build(1);
	ck_assert_uint_eq(l.rsdp, BASE);
	r = at(l.rsdp);
	ck_assert_mem_eq(r, "RSD PTR ", 8);
	ck_assert_uint_eq(r[15], 2);			/* revision */
	ck_assert_uint_eq(acpi_checksum(r, 20), 0);	/* ACPI 1.0 part */
	ck_assert_uint_eq(rd32(r + 20), 36);		/* length */
	ck_assert_uint_eq(acpi_checksum(r, 36), 0);	/* extended */
	ck_assert_uint_eq(rd64(r + 24), l.xsdt);
	ck_assert_uint_eq(l.rsdp % 16, 0);
}
END_TEST

START_TEST(xsdt_lists_fadt_and_madt)
{
	const uint8_t *x;

	build(2);
	x = table(l.xsdt, "XSDT");
	ck_assert_uint_eq(rd32(x + 4), 36 + 2 * 8);
	ck_assert_uint_eq(rd64(x + 36), l.fadt);
	ck_assert_uint_eq(rd64(x + 44), l.madt);
	table(l.fadt, "FACP");
	table(l.madt, "APIC");
}
END_TEST

START_TEST(fadt_hw_reduced)
{
	const uint8_t *f;
	uint32_t flags;

	build(1);
	f = table(l.fadt, "FACP");
	ck_assert_uint_eq(rd32(f + 4), FADT_SIZE);
	ck_assert_uint_eq(f[8], 6);			/* revision */
	flags = rd32(f + FADT_OFF_FLAGS);
	ck_assert(flags & FADT_F_HW_REDUCED_ACPI);
	ck_assert(flags & FADT_F_RESET_REG_SUP);
	ck_assert_uint_eq(rd32(f + FADT_OFF_DSDT), l.dsdt);
	ck_assert_uint_eq(rd64(f + FADT_OFF_X_DSDT), l.dsdt);
	/* No fixed-hardware blocks (PM1, PM timer, GPE) at all. */
	for (unsigned int off = 56; off < 88; off++)
		ck_assert_uint_eq(f[off], 0);
}
END_TEST

static void check_gas_io8(const uint8_t *g, uint16_t port)
{
	ck_assert_uint_eq(g[0], 1);	/* SystemIO */
	ck_assert_uint_eq(g[1], 8);	/* bit width */
	ck_assert_uint_eq(g[3], 1);	/* byte access */
	ck_assert_uint_eq(rd64(g + 4), port);
}

START_TEST(fadt_sleep_and_reset_registers)
{
	const uint8_t *f;

	build(1);
	f = at(l.fadt);
	check_gas_io8(f + FADT_OFF_SLEEP_CTL, GUEST_PORT_SLEEP_CTL);
	check_gas_io8(f + FADT_OFF_SLEEP_STS, GUEST_PORT_SLEEP_STS);
	check_gas_io8(f + FADT_OFF_RESET_REG, GUEST_PORT_RESET);
	ck_assert_uint_eq(f[FADT_OFF_RESET_VALUE], GUEST_RESET_VALUE);
}
END_TEST

static bool contains(const uint8_t *p, size_t len, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i + n <= len; i++)
		if (!memcmp(p + i, s, n))
			return true;
	return false;
}

START_TEST(dsdt_embedded)
{
	const uint8_t *d;
	uint32_t len;

	build(1);
	d = table(l.dsdt, "DSDT");
	len = rd32(d + 4);
	ck_assert_uint_eq(len, hvworker_dsdt_aml_len);
	ck_assert_mem_eq(d, hvworker_dsdt_aml, len);
	ck_assert_uint_eq(d[8], 2);			/* AML revision */
	/* The objects Linux looks for, as AML name segments/strings. */
	ck_assert(contains(d, len, "_S5_"));
	ck_assert(contains(d, len, "VMBUS"));
	ck_assert(contains(d, len, "_CRS"));
	ck_assert(contains(d, len, "_UID"));
}
END_TEST

START_TEST(madt_one_x2apic_per_vcpu)
{
	unsigned int n = (unsigned int)_i;
	const uint8_t *m, *e;

	build(n);
	m = table(l.madt, "APIC");
	ck_assert_uint_eq(rd32(m + 4), 44 + 16 * n + 12);
	ck_assert_uint_eq(rd32(m + 40) & 1, 0);		/* no PCAT_COMPAT */
	e = m + 44;
	for (unsigned int i = 0; i < n; i++, e += 16) {
		ck_assert_uint_eq(e[0], MADT_TYPE_LOCAL_X2APIC);
		ck_assert_uint_eq(e[1], MADT_X2APIC_LEN);
		ck_assert_uint_eq(rd32(e + 4), i);	/* APIC ID */
		ck_assert_uint_eq(rd32(e + 8), 1);	/* enabled */
		ck_assert_uint_eq(rd32(e + 12), i);	/* UID */
	}
	/* Then the I/O APIC the UART's IRQ 4 goes through. */
	ck_assert_uint_eq(e[0], MADT_TYPE_IOAPIC);
	ck_assert_uint_eq(e[1], MADT_IOAPIC_LEN);
	ck_assert_uint_eq(rd32(e + 4), 0xfec00000);
	ck_assert_uint_eq(rd32(e + 8), 0);		/* GSI base */
	ck_assert_uint_eq(l.madt + 44 + 16 * n + 12, l.end);
}
END_TEST

START_TEST(hostile_arguments)
{
	uint8_t small[256];

	ck_assert_int_eq(acpi_build(buf, SIZE, BASE, 0, &l), -EINVAL);
	ck_assert_int_eq(acpi_build(buf, SIZE, BASE, ACPI_MAX_VCPUS + 1, &l),
			 -EINVAL);
	ck_assert_int_eq(acpi_build(buf, SIZE, BASE + 8, 1, &l), -EINVAL);
	ck_assert_int_eq(acpi_build(small, sizeof(small), BASE, 1, &l), -ENOSPC);
}
END_TEST

static Suite *acpi_suite(void)
{
	Suite *s = suite_create("hvworker_acpi_tables");
	TCase *tc = tcase_create("tables");

	tcase_add_test(tc, rsdp);
	tcase_add_test(tc, xsdt_lists_fadt_and_madt);
	tcase_add_test(tc, fadt_hw_reduced);
	tcase_add_test(tc, fadt_sleep_and_reset_registers);
	tcase_add_test(tc, dsdt_embedded);
	tcase_add_loop_test(tc, madt_one_x2apic_per_vcpu, 1, ACPI_MAX_VCPUS + 1);
	tcase_add_test(tc, hostile_arguments);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(acpi_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
