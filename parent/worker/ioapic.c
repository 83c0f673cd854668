// SPDX-License-Identifier: GPL-2.0
/*
 * hvworker: the child's I/O APIC (see ioapic.h for the model and the
 * choices).  Every guest-controlled index (IOREGSEL, MMIO offset, EOI
 * vector) is masked or range-checked before it selects anything.
 */
#include <string.h>

#include "ioapic.h"

/* The RTE bits the guest can write (the rest: read-only or reserved). */
#define RTE_LOW_WRITABLE	(IOAPIC_RTE_VECTOR | IOAPIC_RTE_DELMODE | \
				 IOAPIC_RTE_LOGICAL | IOAPIC_RTE_ACTIVE_LOW | \
				 IOAPIC_RTE_LEVEL | IOAPIC_RTE_MASKED)
#define RTE_HIGH_WRITABLE	0xff000000U	/* destination, 56..63 */
#define IOAPIC_ID_MASK		0x0f000000U
#define IOAPIC_FIRST_VECTOR	16	/* 0..15 are illegal on a local APIC */

void ioapic_init(struct ioapic *io, ioapic_deliver_fn deliver, void *ctx)
{
	unsigned int pin;

	memset(io, 0, sizeof(*io));
	for (pin = 0; pin < IOAPIC_PINS; pin++)
		io->rte[pin] = IOAPIC_RTE_MASKED;
	io->deliver = deliver;
	io->ctx = ctx;
}

/* Send the interrupt @rte describes; true if the local APIC got it. */
static bool send(struct ioapic *io, uint64_t rte)
{
	unsigned int mode = (rte & IOAPIC_RTE_DELMODE) >>
			    IOAPIC_RTE_DELMODE_SHIFT;
	uint8_t vector = rte & IOAPIC_RTE_VECTOR;

	if ((mode != IOAPIC_DM_FIXED && mode != IOAPIC_DM_LOWEST) ||
	    (rte & IOAPIC_RTE_LOGICAL) || vector < IOAPIC_FIRST_VECTOR ||
	    !io->deliver ||
	    io->deliver(io->ctx, rte >> IOAPIC_RTE_DEST_SHIFT, vector) < 0) {
		io->dropped++;
		return false;
	}
	io->delivered++;
	return true;
}

/* Deliver a level pin that is asserted, unmasked and not awaiting EOI. */
static void service_level(struct ioapic *io, unsigned int pin)
{
	uint64_t *rte = &io->rte[pin];

	if (!(*rte & IOAPIC_RTE_LEVEL) || (*rte & IOAPIC_RTE_MASKED) ||
	    (*rte & IOAPIC_RTE_REMOTE_IRR) || !(io->asserted & (1U << pin)))
		return;
	if (send(io, *rte))
		*rte |= IOAPIC_RTE_REMOTE_IRR;
}

void ioapic_set_irq(struct ioapic *io, unsigned int pin, bool level)
{
	uint32_t bit;
	bool rising;

	if (pin >= IOAPIC_PINS)
		return;
	bit = 1U << pin;
	rising = level && !(io->asserted & bit);
	if (level)
		io->asserted |= bit;
	else
		io->asserted &= ~bit;

	if (io->rte[pin] & IOAPIC_RTE_LEVEL)
		service_level(io, pin);
	else if (rising && !(io->rte[pin] & IOAPIC_RTE_MASKED))
		send(io, io->rte[pin]);
}

void ioapic_eoi(struct ioapic *io, uint8_t vector)
{
	unsigned int pin;

	for (pin = 0; pin < IOAPIC_PINS; pin++) {
		uint64_t *rte = &io->rte[pin];

		if ((*rte & IOAPIC_RTE_VECTOR) != vector ||
		    !(*rte & IOAPIC_RTE_REMOTE_IRR))
			continue;
		*rte &= ~IOAPIC_RTE_REMOTE_IRR;
		service_level(io, pin);
	}
}

static uint32_t read_reg(const struct ioapic *io, uint32_t index)
{
	unsigned int pin;

	switch (index) {
	case IOAPIC_REG_ID:
		return io->id;
	case IOAPIC_REG_VER:
		return IOAPIC_VERSION;
	case IOAPIC_REG_ARB:
		return io->arb;
	}
	if (index < IOAPIC_REG_RTE || index >= IOAPIC_REG_RTE + 2 * IOAPIC_PINS)
		return 0;
	pin = (index - IOAPIC_REG_RTE) / 2;
	if (index & 1)
		return io->rte[pin] >> 32;
	return (uint32_t)io->rte[pin];
}

static void write_rte(struct ioapic *io, unsigned int pin, bool high,
		      uint32_t val)
{
	uint64_t *rte = &io->rte[pin];

	if (high) {
		*rte = (uint32_t)*rte |
		       (uint64_t)(val & RTE_HIGH_WRITABLE) << 32;
		return;
	}
	*rte = (*rte & ~RTE_LOW_WRITABLE) | (val & RTE_LOW_WRITABLE);
	if (!(*rte & IOAPIC_RTE_LEVEL))
		*rte &= ~IOAPIC_RTE_REMOTE_IRR;
	service_level(io, pin);	/* an unmasked, asserted level pin fires */
}

static void write_reg(struct ioapic *io, uint32_t index, uint32_t val)
{
	if (index == IOAPIC_REG_ID) {
		io->id = val & IOAPIC_ID_MASK;
		io->arb = io->id;
		return;
	}
	if (index < IOAPIC_REG_RTE || index >= IOAPIC_REG_RTE + 2 * IOAPIC_PINS)
		return;		/* VER, ARB, holes, past the table */
	write_rte(io, (index - IOAPIC_REG_RTE) / 2, index & 1, val);
}

uint32_t ioapic_mmio_read(struct ioapic *io, uint64_t offset,
			  unsigned int size)
{
	if (size != 4)
		return 0;
	switch (offset) {
	case IOAPIC_IOREGSEL:
		return io->ioregsel;
	case IOAPIC_IOWIN:
		return read_reg(io, io->ioregsel);
	default:
		return 0;	/* EOI is write-only */
	}
}

void ioapic_mmio_write(struct ioapic *io, uint64_t offset, unsigned int size,
		       uint32_t val)
{
	if (size != 4)
		return;
	switch (offset) {
	case IOAPIC_IOREGSEL:
		io->ioregsel = val & 0xff;
		break;
	case IOAPIC_IOWIN:
		write_reg(io, io->ioregsel, val);
		break;
	case IOAPIC_EOI:
		ioapic_eoi(io, val & 0xff);
		break;
	}
}
