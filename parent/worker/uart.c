// SPDX-License-Identifier: GPL-2.0
/* hvworker: 16550A UART model (uart.h). */
#include <errno.h>
#include <string.h>

#include "uart.h"

void uart_init(struct uart16550 *u, void (*out)(void *ctx, uint8_t c),
	       void *ctx)
{
	memset(u, 0, sizeof(*u));
	u->dll = 12;		/* 9600 baud, as after a BIOS */
	u->lcr = 0x03;		/* 8N1 */
	u->out = out;
	u->ctx = ctx;
}

int uart_rx_push(struct uart16550 *u, uint8_t c)
{
	if (u->rx_count == UART_RX_SIZE)
		return -ENOSPC;
	u->rx[(u->rx_head + u->rx_count) % UART_RX_SIZE] = c;
	u->rx_count++;
	return 0;
}

static uint8_t rx_pop(struct uart16550 *u)
{
	uint8_t c;

	if (!u->rx_count)
		return 0;
	c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % UART_RX_SIZE;
	u->rx_count--;
	return c;
}

static uint8_t iir(struct uart16550 *u)
{
	uint8_t fifo = (u->fcr & UART_FCR_ENABLE) ? UART_IIR_FIFO : 0;

	if ((u->ier & UART_IER_RDI) && u->rx_count)
		return fifo | UART_IIR_RDI;
	if (u->thri_pending) {
		u->thri_pending = false;	/* reading IIR clears it */
		return fifo | UART_IIR_THRI;
	}
	return fifo | UART_IIR_NO_INT;
}

bool uart_irq_line(const struct uart16550 *u)
{
	if (!(u->mcr & UART_MCR_OUT2))
		return false;
	return ((u->ier & UART_IER_RDI) && u->rx_count) || u->thri_pending;
}

/* In loopback the modem outputs come back as the modem inputs. */
static uint8_t msr(const struct uart16550 *u)
{
	uint8_t m = 0;

	if (!(u->mcr & UART_MCR_LOOP))
		return 0xb0;		/* DCD, DSR, CTS: a cable is there */
	if (u->mcr & 0x01)
		m |= 0x20;		/* DTR -> DSR */
	if (u->mcr & 0x02)
		m |= 0x10;		/* RTS -> CTS */
	if (u->mcr & 0x04)
		m |= 0x40;		/* OUT1 -> RI */
	if (u->mcr & 0x08)
		m |= 0x80;		/* OUT2 -> DCD */
	return m;
}

uint8_t uart_read(struct uart16550 *u, unsigned int off)
{
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (off) {
	case UART_RBR:
		return dlab ? u->dll : rx_pop(u);
	case UART_IER:
		return dlab ? u->dlm : u->ier;
	case UART_IIR:
		return iir(u);
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		/* Transmission is instantaneous: THR always empty. */
		return (u->rx_count ? UART_LSR_DR : 0) | UART_LSR_THRE |
		       UART_LSR_TEMT;
	case UART_MSR:
		return msr(u);
	case UART_SCR:
		return u->scr;
	default:
		return 0xff;
	}
}

void uart_write(struct uart16550 *u, unsigned int off, uint8_t v)
{
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (off) {
	case UART_THR:
		if (dlab) {
			u->dll = v;
			break;
		}
		if (u->mcr & UART_MCR_LOOP)
			uart_rx_push(u, v);
		else if (u->out)
			u->out(u->ctx, v);
		u->thri_pending = u->ier & UART_IER_THRI;
		break;
	case UART_IER:
		if (dlab) {
			u->dlm = v;
			break;
		}
		/* Enabling THRI with an empty THR raises it at once. */
		if ((v & UART_IER_THRI) && !(u->ier & UART_IER_THRI))
			u->thri_pending = true;
		u->ier = v & 0x0f;
		if (!(u->ier & UART_IER_THRI))
			u->thri_pending = false;
		break;
	case UART_FCR:
		if (v & UART_FCR_CLEAR_RCVR)
			u->rx_head = u->rx_count = 0;
		u->fcr = v & 0xc9;
		break;
	case UART_LCR:
		u->lcr = v;
		break;
	case UART_MCR:
		u->mcr = v & 0x1f;
		break;
	case UART_SCR:
		u->scr = v;
		break;
	default:		/* LSR, MSR: read-only */
		break;
	}
}
