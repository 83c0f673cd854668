// SPDX-License-Identifier: GPL-2.0
/* Check suite for parent/worker/uart.c (16550A model). */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hvworker_fake.h"
#include "uart.h"

static struct uart16550 u;
static struct fake_console con;
#define out con.out
#define nout con.n

static void setup(void)
{
	fake_console_reset(&con);
	uart_init(&u, fake_console_out, &con);
}

START_TEST(thr_transmits)
{
	uart_write(&u, UART_THR, 'h');
	uart_write(&u, UART_THR, 'i');
	ck_assert_str_eq(out, "hi");
	/* Transmission is instantaneous: THR and the shifter stay empty. */
	ck_assert_uint_eq(uart_read(&u, UART_LSR) & (UART_LSR_THRE | UART_LSR_TEMT),
			  UART_LSR_THRE | UART_LSR_TEMT);
	ck_assert_uint_eq(uart_read(&u, UART_LSR) & UART_LSR_DR, 0);
}
END_TEST

START_TEST(dlab_selects_divisor)
{
	uart_write(&u, UART_LCR, UART_LCR_DLAB | 0x03);
	uart_write(&u, UART_DLL, 0x01);		/* 115200 baud */
	uart_write(&u, UART_DLM, 0x00);
	ck_assert_uint_eq(nout, 0);		/* not transmitted */
	ck_assert_uint_eq(uart_read(&u, UART_DLL), 0x01);
	ck_assert_uint_eq(uart_read(&u, UART_DLM), 0x00);
	uart_write(&u, UART_LCR, 0x03);
	ck_assert_uint_eq(uart_read(&u, UART_IER), 0);	/* IER untouched */
	uart_write(&u, UART_THR, 'x');
	ck_assert_str_eq(out, "x");
	ck_assert_uint_eq(uart_read(&u, UART_LCR), 0x03);
}
END_TEST

START_TEST(iir_and_fifo)
{
	ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_NO_INT);
	uart_write(&u, UART_FCR, UART_FCR_ENABLE);
	ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_FIFO | UART_IIR_NO_INT);
	uart_write(&u, UART_FCR, 0);
	ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_NO_INT);
}
END_TEST

START_TEST(thri_identified_once)
{
	uart_write(&u, UART_IER, UART_IER_THRI);
	ck_assert_uint_eq(uart_read(&u, UART_IER), UART_IER_THRI);
	ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_THRI);
	ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_NO_INT);
	uart_write(&u, UART_THR, 'a');		/* THR empties again */
	ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_THRI);
	uart_write(&u, UART_IER, 0);
	uart_write(&u, UART_THR, 'b');
	ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_NO_INT);
	uart_write(&u, UART_IER, 0xff);		/* only 4 bits exist */
	ck_assert_uint_eq(uart_read(&u, UART_IER), 0x0f);
}
END_TEST

START_TEST(receive)
{
	ck_assert_int_eq(uart_rx_push(&u, 'k'), 0);
	ck_assert_int_eq(uart_rx_push(&u, '!'), 0);
	ck_assert(uart_read(&u, UART_LSR) & UART_LSR_DR);
	uart_write(&u, UART_IER, UART_IER_RDI);
	ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_RDI);
	ck_assert_uint_eq(uart_read(&u, UART_RBR), 'k');
	ck_assert_uint_eq(uart_read(&u, UART_RBR), '!');
	ck_assert_uint_eq(uart_read(&u, UART_LSR) & UART_LSR_DR, 0);
	ck_assert_uint_eq(uart_read(&u, UART_RBR), 0);	/* empty */
	ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_NO_INT);
}
END_TEST

START_TEST(receive_overflow_and_clear)
{
	for (unsigned int i = 0; i < UART_RX_SIZE; i++)
		ck_assert_int_eq(uart_rx_push(&u, (uint8_t)i), 0);
	ck_assert_int_eq(uart_rx_push(&u, 'x'), -ENOSPC);
	ck_assert_uint_eq(uart_read(&u, UART_RBR), 0);	/* oldest first */
	ck_assert_uint_eq(uart_read(&u, UART_RBR), 1);
	uart_write(&u, UART_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR_RCVR);
	ck_assert_uint_eq(uart_read(&u, UART_LSR) & UART_LSR_DR, 0);
}
END_TEST

START_TEST(loopback_as_linux_autoconfig)
{
	/* 8250 autoconfig: MCR = LOOP | RTS | OUT2 must read MSR 0x90. */
	uart_write(&u, UART_MCR, UART_MCR_LOOP | 0x0a);
	ck_assert_uint_eq(uart_read(&u, UART_MSR) & 0xf0, 0x90);
	uart_write(&u, UART_MCR, UART_MCR_LOOP | 0x0f);
	ck_assert_uint_eq(uart_read(&u, UART_MSR) & 0xf0, 0xf0);
	/* Looped-back data is received, not transmitted. */
	uart_write(&u, UART_THR, 'L');
	ck_assert_uint_eq(nout, 0);
	ck_assert_uint_eq(uart_read(&u, UART_RBR), 'L');
	uart_write(&u, UART_MCR, 0x0b);
	ck_assert_uint_eq(uart_read(&u, UART_MSR), 0xb0);
	ck_assert_uint_eq(uart_read(&u, UART_MCR), 0x0b);
}
END_TEST

START_TEST(scratch_and_read_only)
{
	uart_write(&u, UART_SCR, 0x5a);
	ck_assert_uint_eq(uart_read(&u, UART_SCR), 0x5a);
	uart_write(&u, UART_LSR, 0);		/* ignored */
	ck_assert(uart_read(&u, UART_LSR) & UART_LSR_THRE);
	ck_assert_uint_eq(uart_read(&u, 9), 0xff);	/* beyond the 8 registers */
}
END_TEST

static Suite *uart_suite(void)
{
	Suite *s = suite_create("hvworker_uart");
	TCase *tc = tcase_create("16550");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, thr_transmits);
	tcase_add_test(tc, dlab_selects_divisor);
	tcase_add_test(tc, iir_and_fifo);
	tcase_add_test(tc, thri_identified_once);
	tcase_add_test(tc, receive);
	tcase_add_test(tc, receive_overflow_and_clear);
	tcase_add_test(tc, loopback_as_linux_autoconfig);
	tcase_add_test(tc, scratch_and_read_only);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(uart_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
