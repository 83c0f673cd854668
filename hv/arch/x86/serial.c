// SPDX-License-Identifier: GPL-2.0
/*
 * The hv console: a 16550 UART at a legacy COM port, chosen by the cfg
 * (hv_serial, default COM2 so the hv log does not fight the parent's
 * console on COM1).  Polled output only; the hv never reads from it.
 * The port is hidden from the parent (svm.c intercepts its I/O range).
 */
#include <mkhv/arch.h>
#include <mkhv/bootinfo.h>
#include <asm/x86.h>
#include <asm/setup.h>

#define UART_THR 0	/* transmit holding register (DLAB = 0) */
#define UART_DLL 0	/* divisor latch low (DLAB = 1) */
#define UART_IER 1
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LSR_THRE 0x20

static u16 serial_base;

static const u16 com_ports[] = {
	[MKHV_SERIAL_COM1] = 0x3f8,
	[MKHV_SERIAL_COM2] = 0x2f8,
};

u16 serial_port(void)
{
	return serial_base;
}

void serial_init(u32 which)
{
	if (which != MKHV_SERIAL_COM1 && which != MKHV_SERIAL_COM2) {
		serial_base = 0;
		return;
	}
	serial_base = com_ports[which];
	outb(serial_base + UART_IER, 0);	/* no interrupts: polled */
	outb(serial_base + UART_LCR, 0x80);	/* DLAB: set divisor */
	outb(serial_base + UART_DLL, 1);	/* 115200 baud */
	outb(serial_base + UART_DLM, 0);
	outb(serial_base + UART_LCR, 0x03);	/* 8N1 */
	outb(serial_base + UART_FCR, 0x07);	/* FIFO on, cleared */
	outb(serial_base + UART_MCR, 0x03);	/* DTR, RTS */
}

static void serial_putc(char c)
{
	unsigned int spins = 0;

	/* A missing UART reads 0xff (THRE set), so this cannot hang. */
	while (!(inb(serial_base + UART_LSR) & UART_LSR_THRE) &&
	       ++spins < 100000)
		pause();
	outb(serial_base + UART_THR, (u8)c);
}

void arch_console_write(const char *s, size_t n)
{
	size_t i;

	if (!serial_base)
		return;
	for (i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}
