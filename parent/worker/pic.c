// SPDX-License-Identifier: GPL-2.0
/* hvworker: the 8259A pair (pic.h). */
#include <string.h>

#include "pic.h"

void pic_init(struct pic *p, void (*intr)(void *ctx, uint8_t vector),
	      void *ctx)
{
	memset(p, 0, sizeof(*p));
	p->chip[0].imr = p->chip[1].imr = 0xff;	/* all masked until set up */
	p->intr = intr;
	p->ctx = ctx;
}

bool pic_is_port(uint16_t port)
{
	return port == PIC_MASTER_CMD || port == PIC_MASTER_DATA ||
	       port == PIC_SLAVE_CMD || port == PIC_SLAVE_DATA ||
	       port == PIC_ELCR1 || port == PIC_ELCR2;
}

/* Lowest set bit = highest priority (IR0 first, no rotation). */
static int first_bit(uint8_t v)
{
	return v ? __builtin_ctz(v) : -1;
}

/*
 * If an unmasked request is waiting and nothing is in service, do the
 * INTA cycle and hand the vector to the CPU.
 */
static void update(struct pic *p)
{
	struct pic8259 *m = &p->chip[0], *s = &p->chip[1];
	uint8_t spend = s->irr & ~s->imr, mpend = m->irr & ~m->imr;
	uint8_t vector;
	int b, sb;

	/* The slave's output is the master's IR2 (a level). */
	if (spend && !s->isr)
		mpend |= 1u << PIC_CASCADE_IRQ;
	else
		mpend &= (uint8_t)~(1u << PIC_CASCADE_IRQ);
	if (m->isr || (b = first_bit(mpend)) < 0)
		return;
	if (b == PIC_CASCADE_IRQ) {
		sb = first_bit(spend);
		if (!(s->elcr & (1u << sb)))
			s->irr &= (uint8_t)~(1u << sb);
		if (!s->auto_eoi)
			s->isr |= (uint8_t)(1u << sb);
		vector = (uint8_t)(s->base + sb);
	} else {
		if (!(m->elcr & (1u << b)))
			m->irr &= (uint8_t)~(1u << b);
		vector = (uint8_t)(m->base + b);
	}
	if (!m->auto_eoi)
		m->isr |= (uint8_t)(1u << b);
	if (p->intr)
		p->intr(p->ctx, vector);
}

static void eoi(struct pic8259 *c, int bit)
{
	if (bit >= 0)
		c->isr &= (uint8_t)~(1u << bit);
}

static void write_cmd(struct pic8259 *c, uint8_t v)
{
	if (v & 0x10) {			/* ICW1: start initialisation */
		c->icw_step = 2;
		c->icw4_needed = v & 0x01;
		c->imr = c->isr = c->irr = 0;
		c->read_isr = c->auto_eoi = false;
		return;
	}
	if ((v & 0x18) == 0x08) {	/* OCW3 */
		if (v & 0x02)
			c->read_isr = v & 0x01;
		return;
	}
	switch (v >> 5) {		/* OCW2 */
	case 1: case 5:			/* non-specific EOI (and rotate) */
		eoi(c, first_bit(c->isr));
		break;
	case 3: case 7:			/* specific EOI (and rotate) */
		eoi(c, v & 7);
		break;
	default:			/* priority commands: fixed here */
		break;
	}
}

static void write_data(struct pic8259 *c, uint8_t v)
{
	switch (c->icw_step) {
	case 2:				/* ICW2: vector base */
		c->base = v & 0xf8;
		c->icw_step = 3;
		break;
	case 3:				/* ICW3: cascade wiring (fixed) */
		c->icw_step = c->icw4_needed ? 4 : 0;
		break;
	case 4:				/* ICW4: auto-EOI */
		c->auto_eoi = v & 0x02;
		c->icw_step = 0;
		break;
	default:			/* OCW1: the mask */
		c->imr = v;
		break;
	}
}

uint8_t pic_read(struct pic *p, uint16_t port)
{
	switch (port) {
	case PIC_MASTER_CMD: case PIC_SLAVE_CMD: {
		struct pic8259 *c = &p->chip[port == PIC_SLAVE_CMD];

		return c->read_isr ? c->isr : c->irr;
	}
	case PIC_MASTER_DATA:
		return p->chip[0].imr;
	case PIC_SLAVE_DATA:
		return p->chip[1].imr;
	case PIC_ELCR1:
		return p->chip[0].elcr;
	case PIC_ELCR2:
		return p->chip[1].elcr;
	default:
		return 0xff;
	}
}

void pic_write(struct pic *p, uint16_t port, uint8_t v)
{
	switch (port) {
	case PIC_MASTER_CMD:
		write_cmd(&p->chip[0], v);
		break;
	case PIC_SLAVE_CMD:
		write_cmd(&p->chip[1], v);
		break;
	case PIC_MASTER_DATA:
		write_data(&p->chip[0], v);
		break;
	case PIC_SLAVE_DATA:
		write_data(&p->chip[1], v);
		break;
	case PIC_ELCR1:		/* IRQ 0, 1, 2 are edge-only on a PC */
		p->chip[0].elcr = v & 0xf8;
		break;
	case PIC_ELCR2:		/* IRQ 8 and 13 too */
		p->chip[1].elcr = v & 0xde;
		break;
	default:
		return;
	}
	update(p);
}

void pic_set_irq(struct pic *p, unsigned int irq, bool level)
{
	struct pic8259 *c;
	uint8_t bit;

	if (irq >= PIC_NR_IRQS || irq == PIC_CASCADE_IRQ)
		return;
	c = &p->chip[irq / 8];
	bit = (uint8_t)(1u << (irq % 8));
	if (level && (!(c->lines & bit) || (c->elcr & bit)))
		c->irr |= bit;		/* rising edge, or a level held */
	else if (!level && (c->elcr & bit))
		c->irr &= (uint8_t)~bit;
	c->lines = level ? (uint8_t)(c->lines | bit) : (uint8_t)(c->lines & ~bit);
	update(p);
}
