// SPDX-License-Identifier: GPL-2.0
/*
 * Check suite for parent/worker/pic.c (the 8259A pair), driven the way
 * Linux 6.1's arch/x86/kernel/i8259.c drives it: probe, ICW1-4, masks,
 * mask-and-ack with a specific EOI, ISR reads through OCW3.
 */
#include <check.h>
#include <stdlib.h>

#include "pic.h"

static struct pic p;
static uint8_t vectors[16];
static unsigned int nvec;

static void intr(void *ctx, uint8_t v)
{
	(void)ctx;
	if (nvec < sizeof(vectors))
		vectors[nvec] = v;
	nvec++;
}

/* init_8259A(auto_eoi = 0): vectors 0x30.. and 0x38.., IRQ2 cascade. */
static void linux_init(void)
{
	pic_write(&p, PIC_MASTER_DATA, 0xff);
	pic_write(&p, PIC_SLAVE_DATA, 0xff);
	pic_write(&p, PIC_MASTER_CMD, 0x11);
	pic_write(&p, PIC_MASTER_DATA, 0x30);
	pic_write(&p, PIC_MASTER_DATA, 1u << PIC_CASCADE_IRQ);
	pic_write(&p, PIC_MASTER_DATA, 0x01);
	pic_write(&p, PIC_SLAVE_CMD, 0x11);
	pic_write(&p, PIC_SLAVE_DATA, 0x38);
	pic_write(&p, PIC_SLAVE_DATA, PIC_CASCADE_IRQ);
	pic_write(&p, PIC_SLAVE_DATA, 0x01);
	pic_write(&p, PIC_MASTER_DATA, 0xff & ~(1u << PIC_CASCADE_IRQ));
	pic_write(&p, PIC_SLAVE_DATA, 0xff);
}

static void unmask(unsigned int irq)
{
	uint16_t port = irq < 8 ? PIC_MASTER_DATA : PIC_SLAVE_DATA;

	pic_write(&p, port, pic_read(&p, port) & ~(1u << (irq % 8)));
}

/* mask_and_ack_8259A() for a master IRQ. */
static void mask_and_ack(unsigned int irq)
{
	pic_write(&p, PIC_MASTER_DATA, pic_read(&p, PIC_MASTER_DATA) | (1u << irq));
	pic_write(&p, PIC_MASTER_CMD, 0x60 + irq);
}

static void setup(void)
{
	nvec = 0;
	pic_init(&p, intr, NULL);
}

START_TEST(probe_reads_back_the_mask)
{
	pic_write(&p, PIC_MASTER_DATA, 0xff);
	ck_assert_uint_eq(pic_read(&p, PIC_MASTER_DATA), 0xff);
	pic_write(&p, PIC_MASTER_DATA, 0x5a);
	ck_assert_uint_eq(pic_read(&p, PIC_MASTER_DATA), 0x5a);
	ck_assert(pic_is_port(0x20) && pic_is_port(0xa1) && pic_is_port(0x4d0));
	ck_assert(!pic_is_port(0x22) && !pic_is_port(0x80));
}
END_TEST

START_TEST(masked_until_linux_unmasks)
{
	linux_init();
	pic_set_irq(&p, 4, true);
	ck_assert_uint_eq(nvec, 0);
	ck_assert_uint_eq(pic_read(&p, PIC_MASTER_CMD), 1u << 4);	/* IRR */
	unmask(4);
	ck_assert_uint_eq(nvec, 1);
	ck_assert_uint_eq(vectors[0], 0x34);
	pic_write(&p, PIC_MASTER_CMD, 0x0b);				/* read ISR */
	ck_assert_uint_eq(pic_read(&p, PIC_MASTER_CMD), 1u << 4);
	pic_write(&p, PIC_MASTER_CMD, 0x0a);				/* read IRR */
	ck_assert_uint_eq(pic_read(&p, PIC_MASTER_CMD), 0);		/* edge: taken */
}
END_TEST

/* The UART's life: THRI raised again while the handler runs masked. */
START_TEST(edge_during_handler_waits_for_unmask)
{
	linux_init();
	unmask(4);
	pic_set_irq(&p, 4, true);
	ck_assert_uint_eq(nvec, 1);
	mask_and_ack(4);
	pic_set_irq(&p, 4, false);	/* IIR read */
	pic_set_irq(&p, 4, true);	/* THR written: THRI again */
	ck_assert_uint_eq(nvec, 1);	/* masked */
	unmask(4);
	ck_assert_uint_eq(nvec, 2);
	ck_assert_uint_eq(vectors[1], 0x34);
	/* A level held high makes no new edge. */
	mask_and_ack(4);
	unmask(4);
	pic_set_irq(&p, 4, true);
	ck_assert_uint_eq(nvec, 2);
}
END_TEST

START_TEST(one_in_service_at_a_time)
{
	linux_init();
	unmask(3);
	unmask(4);
	pic_set_irq(&p, 4, true);
	pic_set_irq(&p, 3, true);	/* higher priority, but 4 is in service */
	ck_assert_uint_eq(nvec, 1);
	pic_write(&p, PIC_MASTER_CMD, 0x20);	/* non-specific EOI */
	ck_assert_uint_eq(nvec, 2);
	ck_assert_uint_eq(vectors[1], 0x33);
	pic_write(&p, PIC_MASTER_CMD, 0x63);	/* specific EOI 3 */
	ck_assert_uint_eq(nvec, 2);
}
END_TEST

START_TEST(slave_through_cascade)
{
	linux_init();
	unmask(12);
	pic_set_irq(&p, 12, true);
	ck_assert_uint_eq(nvec, 1);
	ck_assert_uint_eq(vectors[0], 0x3c);
	/* Linux EOIs the slave (specific 4), then the master's IR2. */
	pic_write(&p, PIC_SLAVE_CMD, 0x60 + 4);
	pic_write(&p, PIC_MASTER_CMD, 0x60 + PIC_CASCADE_IRQ);
	pic_write(&p, PIC_MASTER_CMD, 0x0b);
	ck_assert_uint_eq(pic_read(&p, PIC_MASTER_CMD), 0);
	/* IRQ 2 itself is not an input. */
	pic_set_irq(&p, PIC_CASCADE_IRQ, true);
	pic_set_irq(&p, 99, true);
	ck_assert_uint_eq(nvec, 1);
}
END_TEST

START_TEST(level_triggered_repeats_until_low)
{
	linux_init();
	pic_write(&p, PIC_ELCR1, 0x20 | 0x07);	/* IRQ 5 level; 0-2 cannot be */
	ck_assert_uint_eq(pic_read(&p, PIC_ELCR1), 0x20);
	unmask(5);
	pic_set_irq(&p, 5, true);
	ck_assert_uint_eq(nvec, 1);
	pic_write(&p, PIC_MASTER_CMD, 0x65);
	ck_assert_uint_eq(nvec, 2);		/* still high: again */
	pic_set_irq(&p, 5, false);
	pic_write(&p, PIC_MASTER_CMD, 0x65);
	ck_assert_uint_eq(nvec, 2);
}
END_TEST

START_TEST(auto_eoi_mode)
{
	pic_write(&p, PIC_MASTER_CMD, 0x11);
	pic_write(&p, PIC_MASTER_DATA, 0x30);
	pic_write(&p, PIC_MASTER_DATA, 0x04);
	pic_write(&p, PIC_MASTER_DATA, 0x03);	/* ICW4: AEOI */
	pic_write(&p, PIC_MASTER_DATA, 0x00);
	pic_set_irq(&p, 4, true);
	pic_set_irq(&p, 4, false);
	pic_set_irq(&p, 4, true);
	ck_assert_uint_eq(nvec, 2);		/* no EOI needed */
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hvworker_pic");
	TCase *tc = tcase_create("8259");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, probe_reads_back_the_mask);
	tcase_add_test(tc, masked_until_linux_unmasks);
	tcase_add_test(tc, edge_during_handler_waits_for_unmask);
	tcase_add_test(tc, one_in_service_at_a_time);
	tcase_add_test(tc, slave_through_cascade);
	tcase_add_test(tc, level_triggered_repeats_until_low);
	tcase_add_test(tc, auto_eoi_mode);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
