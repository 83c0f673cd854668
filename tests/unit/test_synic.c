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
	ck_assert_int_eq(synic_post(&sy, &part, &vl, 2, msg), -ENODEV); /* off */
	enable_vmbus_sint();
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

/* TLFS: a masked SINT still gets the message; only the interrupt is lost. */
START_TEST(test_post_masked_sint)
{
	enable_vmbus_sint();
	ck_assert_int_eq(synic_post(&sy, &part, &vl, 3, msg), 0);
	ck_assert_uint_eq(slot(3)[0], 0x01);
	ck_assert_int_eq(vlapic_pending(&vl), -1);
}
END_TEST

/* An auto-EOI SINT: the vector is injected without entering the ISR. */
START_TEST(test_post_auto_eoi)
{
	enable_vmbus_sint();
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_SINT0 + 2,
				     0xf2 | HV_SINT_AUTO_EOI), 0);
	ck_assert_int_eq(synic_post(&sy, &part, &vl, 2, msg), 0);
	ck_assert_int_eq(vlapic_pending(&vl), 0xf2);
	vlapic_ack(&vl, 0xf2);
	ck_assert_uint_eq(vl.isr[3], 0);	/* no EOI owed */
	ck_assert_uint_eq(vl.irr[3], 0);
	/* A normal SINT's vector does enter the ISR. */
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_SINT0 + 2, 0xf2), 0);
	slot(2)[0] = 0;
	ck_assert_int_eq(synic_post(&sy, &part, &vl, 2, msg), 0);
	vlapic_ack(&vl, 0xf2);
	ck_assert_uint_ne(vl.isr[3], 0);
}
END_TEST

/* A busy slot gets msg_pending and waits for EOM, which clears pending. */
START_TEST(test_post_busy_slot_pending_then_eom)
{
	enable_vmbus_sint();
	slot(2)[0] = 7;		/* busy */
	ck_assert_int_eq(synic_post(&sy, &part, &vl, 2, msg), -EAGAIN);
	ck_assert_uint_eq(slot(2)[5] & HV_MSG_FLAG_PENDING, HV_MSG_FLAG_PENDING);
	ck_assert_uint_eq(sy.pending, 1u << 2);
	/* EOM clears the hv's record, so the drain retries. */
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_EOM, 0), 1);
	ck_assert_uint_eq(sy.pending, 0);
	slot(2)[0] = 0;
	ck_assert_int_eq(synic_post(&sy, &part, &vl, 2, msg), 0);
	ck_assert_uint_eq(slot(2)[5], 0);	/* the message's own flags */
}
END_TEST

/*
 * Linux frees a slot with cmpxchg(type, 0) and then reads msg_pending.
 * If it does so between the hv's read of the type and its write of the
 * flag, it saw no flag and will never EOM: the hv must look at the type
 * again after setting the flag and deliver.  The hook is that guest: it
 * frees the slot just before the hv's second read of the type.
 */
static int type_reads;

static void guest_frees_slot(gpa_t gpa, size_t len)
{
	if (gpa == SIMP_GPA + 2 * 256 && len == 4 && ++type_reads == 2)
		slot(2)[0] = 0;
}

START_TEST(test_post_slot_freed_while_flagging)
{
	enable_vmbus_sint();
	slot(2)[0] = 7;
	type_reads = 0;
	fake_copy_from_hook = guest_frees_slot;
	ck_assert_int_eq(synic_post(&sy, &part, &vl, 2, msg), 0);
	ck_assert_uint_eq(slot(2)[0], 0x01);
	ck_assert_uint_eq(sy.pending, 0);
	ck_assert_int_eq(vlapic_pending(&vl), 0xf2);
}
END_TEST

#define SIEFP_GPA	(0x100000ull + 0x4000)

static u64 flags_word(int sint, int w)
{
	u64 v;

	memcpy(&v, fake_guest_mem + (SIEFP_GPA - fake_guest_base) +
		   sint * 256 + w * 8, 8);
	return v;
}

START_TEST(test_signal_flags)
{
	u64 bits[32] = { 0 };

	bits[1] = 1ull << 3;	/* flag 67 */
	ck_assert_int_eq(synic_signal(&sy, &part, &vl, 2, bits, 32), -ENODEV);
	enable_vmbus_sint();
	ck_assert_int_eq(synic_signal(&sy, &part, &vl, 2, bits, 32), -ENODEV);
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_SIEFP, SIEFP_GPA | 1), 0);
	ck_assert_int_eq(synic_signal(&sy, &part, &vl, 2, bits, 32), 0);
	ck_assert_uint_eq(flags_word(2, 1), 1ull << 3);
	ck_assert_int_eq(vlapic_pending(&vl), 0xf2);
	/* Already set: no new interrupt. */
	vlapic_ack(&vl, 0xf2);
	ck_assert_int_eq(synic_signal(&sy, &part, &vl, 2, bits, 32), 0);
	ck_assert_int_eq(vlapic_pending(&vl), -1);
	/* Other flags of the word are kept (OR). */
	bits[1] = 1;
	ck_assert_int_eq(synic_signal(&sy, &part, &vl, 2, bits, 32), 0);
	ck_assert_uint_eq(flags_word(2, 1), (1ull << 3) | 1);
	ck_assert_int_eq(synic_signal(&sy, &part, &vl, 16, bits, 32), -ENODEV);
	ck_assert_int_eq(synic_signal(&sy, &part, &vl, 2, bits, 33), -ENODEV);
	/* A SIEF page outside the child's memory. */
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_SIEFP, 0x7000000 | 1), 0);
	ck_assert_int_eq(synic_signal(&sy, &part, &vl, 2, bits, 32), -EFAULT);
}
END_TEST

START_TEST(test_inbox_order_and_eom)
{
	static struct synic_inbox in;
	uint8_t m[3][HV_MESSAGE_SIZE];
	int i;

	synic_inbox_init(&in);
	enable_vmbus_sint();
	for (i = 0; i < 3; i++) {
		memset(m[i], 0, sizeof(m[i]));
		m[i][0] = (uint8_t)(0x10 + i);
		ck_assert_int_eq(synic_inbox_post(&in, 2, m[i]), 0);
	}
	ck_assert(synic_inbox_drain(&in, &sy, &part, &vl));
	ck_assert_uint_eq(slot(2)[0], 0x10);
	/* Slot busy, no EOM yet: nothing moves, msg_pending set. */
	ck_assert(!synic_inbox_drain(&in, &sy, &part, &vl));
	ck_assert_uint_eq(slot(2)[5], HV_MSG_FLAG_PENDING);
	slot(2)[0] = 0;
	ck_assert(!synic_inbox_drain(&in, &sy, &part, &vl));	/* waits for EOM */
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_EOM, 0), 1);
	ck_assert(synic_inbox_drain(&in, &sy, &part, &vl));
	ck_assert_uint_eq(slot(2)[0], 0x11);
	slot(2)[0] = 0;
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_EOM, 0), 1);
	ck_assert(synic_inbox_drain(&in, &sy, &part, &vl));
	ck_assert_uint_eq(slot(2)[0], 0x12);
	ck_assert_uint_eq(in.work, 0);
	ck_assert_int_eq(synic_inbox_post(&in, 16, m[0]), -EINVAL);
}
END_TEST

START_TEST(test_inbox_bounded)
{
	static struct synic_inbox in;
	int i;

	synic_inbox_init(&in);
	for (i = 0; i < MKHV_VP_MSG_INBOX; i++)
		ck_assert_int_eq(synic_inbox_post(&in, 2, msg), 0);
	ck_assert_int_eq(synic_inbox_post(&in, 2, msg), -ENOSPC);
	ck_assert(!synic_inbox_take_space(&in));	/* still full */
	/* Disabled SynIC: kept, not lost. */
	ck_assert(!synic_inbox_drain(&in, &sy, &part, &vl));
	ck_assert_uint_eq(in.nr_msgs, MKHV_VP_MSG_INBOX);
	ck_assert_int_eq(synic_inbox_signal(&in, 2, 5), 1);
	ck_assert_int_eq(synic_inbox_signal(&in, 2, 5), 0);	/* coalesced */
	ck_assert_int_eq(synic_inbox_signal(&in, 2, 2048), -EINVAL);
	ck_assert_int_eq(synic_inbox_signal(&in, 16, 0), -EINVAL);
	/* A SIMP page that is not RAM: messages dropped, inbox usable. */
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_SIMP, 0x7000000 | 1), 0);
	ck_assert_int_eq(synic_wrmsr(&sy, HV_X64_MSR_SCONTROL, 1), 0);
	ck_assert(!synic_inbox_drain(&in, &sy, &part, &vl));
	ck_assert_uint_eq(in.nr_msgs, 0);
	ck_assert_uint_eq(in.event_sints, 1u << 2);	/* SIEF still off */
	/* Room again after the refusal: reported once. */
	ck_assert(synic_inbox_take_space(&in));
	ck_assert(!synic_inbox_take_space(&in));
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
	tcase_add_test(tc, test_post_masked_sint);
	tcase_add_test(tc, test_post_auto_eoi);
	tcase_add_test(tc, test_post_busy_slot_pending_then_eom);
	tcase_add_test(tc, test_post_slot_freed_while_flagging);
	tcase_add_test(tc, test_signal_flags);
	tcase_add_test(tc, test_inbox_order_and_eom);
	tcase_add_test(tc, test_inbox_bounded);
	suite_add_tcase(s, tc);
	return hv_check_run(s);
}
