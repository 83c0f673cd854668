/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: the child's pair of 8259A interrupt controllers (master at
 * 0x20/0x21, slave at 0xa0/0xa1 on the master's IR2, ELCR at 0x4d0/0x4d1),
 * so ISA devices of the worker (the UART's IRQ 4) interrupt the child as on
 * a PC: Linux finds the PIC (the MADT says PCAT_COMPAT), programs it with
 * ICW1-4, masks and acknowledges at the PIC, and takes the interrupt as an
 * ExtINT on its LINT0.
 *
 * Fully nested mode, one interrupt in service at a time: when the PIC's
 * output would rise and nothing is in service, the worker does the INTA
 * cycle itself (IRR -> ISR) and calls @intr with the vector, which raises
 * it through the hypervisor (HvCallAssertVirtualInterrupt, ExtINT).  The
 * guest's EOI then lets the next one through.  Not modelled: priority
 * rotation, special mask and poll modes, single (non-cascaded) mode.
 * Not thread-safe: the caller serialises (hvworker's I/O lock).
 */
#ifndef HVWORKER_PIC_H
#define HVWORKER_PIC_H

#include <stdbool.h>
#include <stdint.h>

#define PIC_MASTER_CMD	0x20
#define PIC_MASTER_DATA	0x21
#define PIC_SLAVE_CMD	0xa0
#define PIC_SLAVE_DATA	0xa1
#define PIC_ELCR1	0x4d0
#define PIC_ELCR2	0x4d1
#define PIC_CASCADE_IRQ	2
#define PIC_NR_IRQS	16

struct pic8259 {
	uint8_t irr, isr, imr;
	uint8_t elcr;		/* 1 = level-triggered input */
	uint8_t lines;		/* input levels, for edge detection */
	uint8_t base;		/* ICW2: vector of IR0 */
	uint8_t icw_step;	/* 0: ready; 2, 3, 4: next ICW expected */
	bool icw4_needed, read_isr, auto_eoi;
};

struct pic {
	struct pic8259 chip[2];	/* master, slave */
	void (*intr)(void *ctx, uint8_t vector);
	void *ctx;
};

void pic_init(struct pic *p, void (*intr)(void *ctx, uint8_t vector),
	      void *ctx);
/* Is @port one of the PIC's (command, data, ELCR)? */
bool pic_is_port(uint16_t port);
uint8_t pic_read(struct pic *p, uint16_t port);
void pic_write(struct pic *p, uint16_t port, uint8_t v);
/* The level of ISA interrupt line @irq (0..15) changed (or not). */
void pic_set_irq(struct pic *p, unsigned int irq, bool level);

#endif /* HVWORKER_PIC_H */
