/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: the child's I/O APIC, an 82093AA-style IOAPIC with 24 pins at
 * 0xFEC00000 (as on a PC and a Hyper-V VM).  A child runs Linux with ACPI
 * HW-reduced and x2APIC: Linux bypasses the 8259 there, so the UART's
 * interrupt reaches the guest through this IOAPIC and the hv's virtual
 * local APIC (the @deliver callback).
 *
 * MMIO (only 32-bit accesses at these offsets; others read 0, writes are
 * dropped):
 *	+0x00 IOREGSEL	register index (bits 0..7; the rest read 0)
 *	+0x10 IOWIN	data of the selected register
 *	+0x40 EOI	write a vector: EOI of level pins with that vector
 *			(version 0x20, what Linux uses, see below)
 * Registers (through IOREGSEL/IOWIN; indexes past 0x3F read 0):
 *	0x00 ID		bits 24..27, R/W (reset 0)
 *	0x01 VER	0x00170020: 24 entries (max index 0x17), version 0x20
 *	0x02 ARB	bits 24..27, read-only, loaded from ID on an ID write
 *	0x10+2n	RTE n low, 0x11+2n RTE n high (n = 0..23)
 *
 * Redirection entry: vector 0..7, delivery mode 8..10, destination mode 11
 * (1 logical), delivery status 12 (RO, always 0: delivery is immediate),
 * polarity 13, Remote IRR 14 (RO), trigger mode 15 (1 level), mask 16,
 * destination 56..63.  Only those bits are stored; the reserved bits and
 * Linux's extended destination id (bits 49..55, used only when the
 * hypervisor advertises it; mkhv does not) read 0.  Entries reset masked,
 * edge, vector 0.
 *
 * Delivery: fixed and lowest-priority in physical destination mode, both to
 * the APIC id in bits 56..63 (what Linux programs on Hyper-V: x2apic_phys,
 * no interrupt remapping; lowest priority is treated as physical delivery
 * to that one id).  Logical destination mode, the SMI, NMI, INIT, ExtINT
 * and reserved delivery modes and the vectors 0..15 (illegal on a local
 * APIC) are not delivered: counted in @dropped, as are failures of
 * @deliver (a level pin then keeps Remote IRR clear and retries at the next
 * ioapic_set_irq, EOI or unmask).
 *
 * Pins (ioapic_set_irq): @level is the logical assertion of the line, so
 * the polarity bit is stored for the guest but not applied; the worker
 * writes the polarity its own devices use into the ACPI tables.
 *
 * Edge-triggered pins deliver on a rising edge (deasserted -> asserted) of
 * an unmasked pin.  An edge on a masked pin is dropped, not latched: the
 * 82093AA datasheet (IOREDTBL, Interrupt Mask) says "Edge-sensitive
 * interrupts signaled on a masked interrupt pin are ignored (i.e., not
 * delivered or held pending)", and QEMU and KVM do the same.  Linux does
 * not rely on a latch: it disables interrupts lazily (the RTE stays
 * unmasked; an interrupt arriving while disabled is marked pending in the
 * irq core, the pin masked, and the interrupt resent at enable with
 * ioapic_retrigger_irq, an IPI), so an edge only hits a masked pin before
 * request_irq, and the 8250 driver makes fresh edges when it programs IER
 * after request_irq.
 *
 * Level-triggered pins deliver while asserted, unmasked and Remote IRR is
 * clear; delivery sets Remote IRR.  An EOI (EOI register write, or
 * ioapic_eoi()) with the entry's vector clears it and, if the line is still
 * asserted and unmasked, delivers again.  Unmasking an asserted level pin
 * delivers.  Rewriting an entry as edge-triggered clears Remote IRR (what
 * Linux's pre-0x20 EOI emulation relies on; QEMU does the same).  Linux 6.1
 * sends the EOI register write itself (ioapic_ack_level: the vector's TMR
 * bit in the local APIC reads 0 because @deliver injects the vector as an
 * edge interrupt; needs the hv's x2APIC TMR MSRs 0x818..0x81F to read 0).
 *
 * Not thread-safe: the caller serialises (hvworker's I/O lock); @deliver is
 * called with that lock held, from ioapic_set_irq, ioapic_mmio_write and
 * ioapic_eoi.
 */
#ifndef HVWORKER_IOAPIC_H
#define HVWORKER_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define IOAPIC_BASE		0xfec00000ULL
#define IOAPIC_SIZE		0x1000
#define IOAPIC_PINS		24

/* MMIO offsets. */
#define IOAPIC_IOREGSEL		0x00
#define IOAPIC_IOWIN		0x10
#define IOAPIC_EOI		0x40

/* Register indexes. */
#define IOAPIC_REG_ID		0x00
#define IOAPIC_REG_VER		0x01
#define IOAPIC_REG_ARB		0x02
#define IOAPIC_REG_RTE		0x10	/* 0x10 + 2 * pin: low, + 1: high */
#define IOAPIC_VERSION		0x00170020

/* Redirection entry bits. */
#define IOAPIC_RTE_VECTOR	0x000000ffULL
#define IOAPIC_RTE_DELMODE	0x00000700ULL
#define IOAPIC_RTE_DELMODE_SHIFT 8
#define IOAPIC_RTE_LOGICAL	(1ULL << 11)
#define IOAPIC_RTE_DELIVS	(1ULL << 12)
#define IOAPIC_RTE_ACTIVE_LOW	(1ULL << 13)
#define IOAPIC_RTE_REMOTE_IRR	(1ULL << 14)
#define IOAPIC_RTE_LEVEL	(1ULL << 15)
#define IOAPIC_RTE_MASKED	(1ULL << 16)
#define IOAPIC_RTE_DEST_SHIFT	56

/* Delivery modes (bits 8..10). */
#define IOAPIC_DM_FIXED		0
#define IOAPIC_DM_LOWEST	1
#define IOAPIC_DM_SMI		2
#define IOAPIC_DM_NMI		4
#define IOAPIC_DM_INIT		5
#define IOAPIC_DM_EXTINT	7

/* Inject @vector into the local APIC with id @dest_apic_id: 0 or -errno. */
typedef int (*ioapic_deliver_fn)(void *ctx, uint32_t dest_apic_id,
				 uint8_t vector);

struct ioapic {
	uint32_t ioregsel;		/* bits 0..7 */
	uint32_t id;			/* ID register (bits 24..27) */
	uint32_t arb;			/* ARB register (bits 24..27) */
	uint64_t rte[IOAPIC_PINS];
	uint32_t asserted;		/* line level of each pin */
	ioapic_deliver_fn deliver;
	void *ctx;
	uint64_t delivered;		/* interrupts handed to @deliver */
	uint64_t dropped;		/* not deliverable, or @deliver failed */
};

/* Reset state: ID 0, every entry masked edge vector 0, no line asserted. */
void ioapic_init(struct ioapic *io, ioapic_deliver_fn deliver, void *ctx);

/* @offset from IOAPIC_BASE (any value: hostile offsets read 0). */
uint32_t ioapic_mmio_read(struct ioapic *io, uint64_t offset,
			  unsigned int size);
void ioapic_mmio_write(struct ioapic *io, uint64_t offset, unsigned int size,
		       uint32_t val);

/* Drive input @pin (>= IOAPIC_PINS: ignored) to @level (asserted). */
void ioapic_set_irq(struct ioapic *io, unsigned int pin, bool level);

/* An EOI for @vector (what a write of @vector to IOAPIC_EOI does). */
void ioapic_eoi(struct ioapic *io, uint8_t vector);

#endif /* HVWORKER_IOAPIC_H */
