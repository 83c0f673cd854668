// SPDX-License-Identifier: GPL-2.0
/* SynIC registers and message posting (hv/synic.c), guest memory faked. */
#include "hv_check.h"
#include <stdint.h>
#include <mkhv/errno.h>
#include <mkhv/partition.h>
#include <mkhv/synic.h>
#include <mkhv/vlapic.h>
#include "hv_fakes.h"

#define SIMP_GPA	(0x100000ull + 0x2000)	/* in fake guest memory */

static struct hv_synic sy;
static struct vlapic vl;
static struct hv_partition part;
static uint8_t msg[HV_MESSAGE_SIZE];

static void setup(void)
{
	fake_guest_reset();
	synic_init(&sy);
	vlapic_init(&vl, 0, 2000000000ull, 100000000ull);
	ck_assert_int_eq(vlapic_wrmsr(&vl, 0x80f, 0x1ff, 0, NULL), 0);
	memset(msg, 0x5a, sizeof(msg));
	msg[0] = 0x01;	/* message type 1 */
	msg[1] = msg[2] = msg[3] = 0;
	msg[5] = 0;	/* flags */
}

static void enable_vmbus_sint(void)
{
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_SIMP, SIMP_GPA | 1), 0);
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_SCONTROL, 1), 0);
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_SINT0 + 2, 0xf2), 0);
}

static uint8_t *slot(int sint)
{
	return fake_guest_mem + (SIMP_GPA - fake_guest_base) + sint * 256;
}

START_TEST(test_registers)
{
	u64 v;

	ck_assert_int_eq(synic_rdmsr(&sy, HV_X64_MSR_SVERSION, &v), 0);
	ck_assert_uint_eq(v, 1);
	ck_assert_int_eq(synic_rdmsr(&sy, HV_X64_MSR_SINT0 + 5, &v), 0);
	ck_assert_uint_eq(v, HV_SINT_MASKED);
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_SVERSION, 2), -EINVAL);
	ck_assert_int_eq(synic_rdmsr(&sy, HV_X64_MSR_EOM, &v), -EINVAL);
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_EOM, 0), 1);
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_SIMP, SIMP_GPA | 2), -EINVAL);
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_SCONTROL, 2), -EINVAL);
	/* An unmasked SINT needs a real interrupt vector. */
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_SINT0, 0x08), -EINVAL);
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_SINT0, 0x08 | HV_SINT_MASKED), 0);
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_SINT0, 1ull << 20), -EINVAL);
	ck_assert(synic_is_msr(HV_X64_MSR_SINT15));
	ck_assert(!synic_is_msr(0x40000085));
}
END_TEST

START_TEST(test_post_and_eom_protocol)
{
	uint8_t second[HV_MESSAGE_SIZE];

	ck_assert_int_eq(synic_post(&sy, &part, &vl, 2, msg), -ENODEV);
	enable_vmbus_sint();
	ck_assert_int_eq(synic_post(&sy, &part, &vl, 2, msg), 0);
	ck_assert_mem_eq(slot(2), msg, HV_MESSAGE_SIZE);
	ck_assert_int_eq(vlapic_pending(&vl), 0xf2);
	/* Slot busy: nothing overwritten, msg_pending asks for an EOM. */
	memcpy(second, msg, sizeof(second));
	second[0] = 0x02;
	ck_assert_int_eq(synic_post(&sy, &part, &vl, 2, second), -EAGAIN);
	ck_assert_uint_eq(slot(2)[0], 0x01);
	ck_assert_uint_eq(slot(2)[5] & HV_MSG_FLAG_PENDING, 1);
	ck_assert_uint_eq(sy.pending, 1u << 2);
	/* The guest frees the slot and EOMs: the retry lands. */
	slot(2)[0] = 0;
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_EOM, 0), 1);
	ck_assert_int_eq(synic_post(&sy, &part, &vl, 2, second), 0);
	ck_assert_uint_eq(slot(2)[0], 0x02);
	ck_assert_uint_eq(sy.pending, 0);
}
END_TEST

START_TEST(test_post_refused)
{
	enable_vmbus_sint();
	ck_assert_int_eq(synic_post(&sy, &part, &vl, 3, msg), -ENODEV); /* masked */
	ck_assert_int_eq(synic_post(&sy, &part, &vl, 16, msg), -ENODEV);
	/* A message page outside the child's memory. */
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_SIMP, 0x7000000 | 1), 0);
	ck_assert_int_eq(synic_post(&sy, &part, &vl, 2, msg), -EFAULT);
	/* Polling SINT: the message lands, no interrupt. */
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_SIMP, SIMP_GPA | 1), 0);
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_SINT0 + 4,
				     0xf4 | HV_SINT_POLLING), 0);
	ck_assert_int_eq(synic_post(&sy, &part, &vl, 4, msg), 0);
	ck_assert_int_eq(vlapic_pending(&vl), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("synic");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_registers);
	tcase_add_test(tc, test_post_and_eom_protocol);
	tcase_add_test(tc, test_post_refused);
	suite_add_tcase(s, tc);
	return hv_check_run(s);
}
