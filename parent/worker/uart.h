/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: a 16550A UART (the child's ttyS0 at 0x3f8).  Register-level
 * model of what Linux's 8250 driver uses: THR/RBR, DLL/DLM behind DLAB,
 * IER, IIR/FCR (FIFO bits), LCR, MCR (loopback), LSR, MSR, SCR, and the
 * interrupt output (ISA IRQ 4, to the worker's I/O APIC), gated by
 * MCR.OUT2 as on a PC.  Not thread-safe: the caller serialises
 * (hvworker's I/O lock).
 */
#ifndef HVWORKER_UART_H
#define HVWORKER_UART_H

#include <stdbool.h>
#include <stdint.h>

#define UART_COM1_BASE	0x3f8
#define UART_NR_PORTS	8
#define UART_RX_SIZE	256

/* Register offsets */
#define UART_RBR	0	/* read, DLAB 0 */
#define UART_THR	0	/* write, DLAB 0 */
#define UART_DLL	0	/* DLAB 1 */
#define UART_IER	1	/* DLAB 0 */
#define UART_DLM	1	/* DLAB 1 */
#define UART_IIR	2	/* read */
#define UART_FCR	2	/* write */
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_MSR	6
#define UART_SCR	7

#define UART_LCR_DLAB	0x80
#define UART_IER_RDI	0x01
#define UART_IER_THRI	0x02
#define UART_IIR_NO_INT	0x01
#define UART_IIR_THRI	0x02
#define UART_IIR_RDI	0x04
#define UART_IIR_FIFO	0xc0
#define UART_FCR_ENABLE	0x01
#define UART_FCR_CLEAR_RCVR 0x02
#define UART_MCR_OUT2	0x08	/* gates the interrupt line on a PC */
#define UART_MCR_LOOP	0x10
#define UART_IRQ	4
#define UART_LSR_DR	0x01
#define UART_LSR_THRE	0x20
#define UART_LSR_TEMT	0x40

struct uart16550 {
	uint8_t ier, lcr, mcr, fcr, scr, dll, dlm;
	bool thri_pending;		/* THR-empty interrupt identified */
	uint8_t rx[UART_RX_SIZE];	/* received bytes, oldest first */
	unsigned int rx_head, rx_count;
	void (*out)(void *ctx, uint8_t c);	/* a transmitted byte */
	void *ctx;
};

void uart_init(struct uart16550 *u, void (*out)(void *ctx, uint8_t c),
	       void *ctx);
/* Register access at offset @off (0..7) from the base port. */
uint8_t uart_read(struct uart16550 *u, unsigned int off);
void uart_write(struct uart16550 *u, unsigned int off, uint8_t v);
/* The interrupt line: OUT2 set and an enabled condition pending. */
bool uart_irq_line(const struct uart16550 *u);
/* A byte from the console for the guest; -ENOSPC if the buffer is full. */
int uart_rx_push(struct uart16550 *u, uint8_t c);

#endif /* HVWORKER_UART_H */
