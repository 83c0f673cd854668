// SPDX-License-Identifier: GPL-2.0
/* Check suite for parent/worker/ioapic.c (the child's I/O APIC). */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "ioapic.h"
#include "hv_check.h"

#define MAX_CALLS	64

static struct ioapic io;
static struct {
	uint32_t dest;
	uint8_t vector;
} calls[MAX_CALLS];
static unsigned int ncalls;
static int deliver_ret;
static void *seen_ctx;
static int ctx_token;

static int fake_deliver(void *ctx, uint32_t dest, uint8_t vector)
{
	seen_ctx = ctx;
	if (ncalls < MAX_CALLS) {
		calls[ncalls].dest = dest;
		calls[ncalls].vector = vector;
	}
	ncalls++;
	return deliver_ret;
}

static void setup(void)
{
	ncalls = 0;
	deliver_ret = 0;
	seen_ctx = NULL;
	ioapic_init(&io, fake_deliver, &ctx_token);
}

static uint32_t rd(uint32_t reg)
{
	ioapic_mmio_write(&io, IOAPIC_IOREGSEL, 4, reg);
	return ioapic_mmio_read(&io, IOAPIC_IOWIN, 4);
}

static void wr(uint32_t reg, uint32_t val)
{
	ioapic_mmio_write(&io, IOAPIC_IOREGSEL, 4, reg);
	ioapic_mmio_write(&io, IOAPIC_IOWIN, 4, val);
}

/* Program @pin as Linux does: high dword first, then the low one. */
static void program(unsigned int pin, uint8_t dest, uint32_t low)
{
	wr(IOAPIC_REG_RTE + 2 * pin + 1, (uint32_t)dest << 24);
	wr(IOAPIC_REG_RTE + 2 * pin, low);
}

static uint32_t rte_low(unsigned int pin)
{
	return rd(IOAPIC_REG_RTE + 2 * pin);
}

#define EDGE(vec)	((uint32_t)(vec))
#define LEVEL(vec)	((uint32_t)(vec) | (uint32_t)IOAPIC_RTE_LEVEL)
#define MASKED		((uint32_t)IOAPIC_RTE_MASKED)
#define REMOTE_IRR	((uint32_t)IOAPIC_RTE_REMOTE_IRR)
#define DM(mode)	((uint32_t)(mode) << IOAPIC_RTE_DELMODE_SHIFT)

static void eoi(uint32_t vector)
{
	ioapic_mmio_write(&io, IOAPIC_EOI, 4, vector);
}

START_TEST(reset_state)
{
	unsigned int pin;

	ck_assert_uint_eq(rd(IOAPIC_REG_VER), 0x00170020);
	ck_assert_uint_eq(rd(IOAPIC_REG_ID), 0);
	ck_assert_uint_eq(rd(IOAPIC_REG_ARB), 0);
	for (pin = 0; pin < IOAPIC_PINS; pin++) {
		ck_assert_uint_eq(rte_low(pin), MASKED);
		ck_assert_uint_eq(rd(IOAPIC_REG_RTE + 2 * pin + 1), 0);
	}
	/* Nothing is delivered from a reset IOAPIC. */
	for (pin = 0; pin < IOAPIC_PINS; pin++)
		ioapic_set_irq(&io, pin, true);
	ck_assert_uint_eq(ncalls, 0);
}
END_TEST

START_TEST(linux_init_sequence)
{
	uint32_t ver = rd(IOAPIC_REG_VER);
	unsigned int entries = ((ver >> 16) & 0xff) + 1, pin;

	ck_assert_uint_eq(ver & 0xff, 0x20);
	ck_assert_uint_eq(entries, IOAPIC_PINS);
	/* clear_IO_APIC: mask every entry (low first), read it back. */
	for (pin = 0; pin < entries; pin++) {
		wr(IOAPIC_REG_RTE + 2 * pin, MASKED);
		wr(IOAPIC_REG_RTE + 2 * pin + 1, 0);
		ck_assert_uint_eq(rte_low(pin), MASKED);
		ck_assert_uint_eq(rd(IOAPIC_REG_RTE + 2 * pin + 1), 0);
	}
	/* setup_IO_APIC_irqs: ISA IRQ 4 edge, masked, to APIC 3. */
	program(4, 3, EDGE(0x24) | MASKED);
	ck_assert_uint_eq(rte_low(4), 0x24 | MASKED);
	ck_assert_uint_eq(rd(IOAPIC_REG_RTE + 9), 3U << 24);
	/* request_irq: unmask (read-modify-write of the low dword). */
	wr(IOAPIC_REG_RTE + 8, rte_low(4) & ~MASKED);
	ioapic_set_irq(&io, 4, true);
	ck_assert_uint_eq(ncalls, 1);
	ck_assert_uint_eq(calls[0].dest, 3);
	ck_assert_uint_eq(calls[0].vector, 0x24);
	ck_assert_ptr_eq(seen_ctx, &ctx_token);
	/* The other entries are untouched. */
	ck_assert_uint_eq(rte_low(3), MASKED);
	ck_assert_uint_eq(rte_low(5), MASKED);
}
END_TEST

START_TEST(ioregsel_keeps_low_8_bits)
{
	ioapic_mmio_write(&io, IOAPIC_IOREGSEL, 4, 0xabcd1201);
	ck_assert_uint_eq(ioapic_mmio_read(&io, IOAPIC_IOREGSEL, 4), 0x01);
	ck_assert_uint_eq(ioapic_mmio_read(&io, IOAPIC_IOWIN, 4),
			  IOAPIC_VERSION);
}
END_TEST

START_TEST(id_writable_arb_and_ver_read_only)
{
	wr(IOAPIC_REG_ID, 0xffffffff);
	ck_assert_uint_eq(rd(IOAPIC_REG_ID), 0x0f000000);
	ck_assert_uint_eq(rd(IOAPIC_REG_ARB), 0x0f000000);
	wr(IOAPIC_REG_ID, 0x02000000);
	ck_assert_uint_eq(rd(IOAPIC_REG_ID), 0x02000000);
	wr(IOAPIC_REG_VER, 0);
	wr(IOAPIC_REG_ARB, 0x05000000);
	ck_assert_uint_eq(rd(IOAPIC_REG_VER), IOAPIC_VERSION);
	ck_assert_uint_eq(rd(IOAPIC_REG_ARB), 0x02000000);
}
END_TEST

START_TEST(read_only_and_reserved_rte_bits)
{
	wr(IOAPIC_REG_RTE + 2 * 7, 0xffffffff);
	wr(IOAPIC_REG_RTE + 2 * 7 + 1, 0xffffffff);
	/* No delivery status, no Remote IRR, no reserved bits. */
	ck_assert_uint_eq(rte_low(7), 0x0001afff);
	ck_assert_uint_eq(rd(IOAPIC_REG_RTE + 2 * 7 + 1), 0xff000000);
}
END_TEST

START_TEST(remote_irr_cannot_be_written)
{
	program(2, 0, LEVEL(0x30));
	ioapic_set_irq(&io, 2, true);
	ck_assert(rte_low(2) & REMOTE_IRR);
	/* Rewriting the entry (level, bit 14 clear) keeps Remote IRR... */
	wr(IOAPIC_REG_RTE + 4, LEVEL(0x30));
	ck_assert(rte_low(2) & REMOTE_IRR);
	ck_assert_uint_eq(ncalls, 1);
	/* ...and setting bit 14 on a fresh entry does not set it. */
	program(3, 0, LEVEL(0x31) | REMOTE_IRR | MASKED);
	ck_assert_uint_eq(rte_low(3), LEVEL(0x31) | MASKED);
}
END_TEST

START_TEST(only_4_byte_accesses)
{
	static const unsigned int sizes[] = { 0, 1, 2, 3, 8, 16 };
	unsigned int i;

	program(0, 0, EDGE(0x40));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		ioapic_mmio_write(&io, IOAPIC_IOREGSEL, sizes[i], 0x01);
		ck_assert_uint_eq(ioapic_mmio_read(&io, IOAPIC_IOREGSEL, 4),
				  IOAPIC_REG_RTE);
		ck_assert_uint_eq(ioapic_mmio_read(&io, IOAPIC_IOREGSEL,
						   sizes[i]), 0);
		ck_assert_uint_eq(ioapic_mmio_read(&io, IOAPIC_IOWIN,
						   sizes[i]), 0);
		ioapic_mmio_write(&io, IOAPIC_IOWIN, sizes[i], MASKED);
		ck_assert_uint_eq(rte_low(0), EDGE(0x40));
		ioapic_mmio_write(&io, IOAPIC_IOREGSEL, 4, IOAPIC_REG_RTE);
	}
}
END_TEST

START_TEST(other_offsets_ignored)
{
	static const uint64_t offs[] = {
		0x01, 0x04, 0x08, 0x0c, 0x11, 0x14, 0x20, 0x30, 0x3c, 0x44,
		0x50, 0xffc, 0x1000, 0x1010, 0xfffffffffffffff0ULL,
	};
	struct ioapic before;
	unsigned int i;

	program(1, 5, EDGE(0x41));
	ioapic_mmio_write(&io, IOAPIC_IOREGSEL, 4, IOAPIC_REG_RTE + 2);
	memcpy(&before, &io, sizeof(io));
	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		ck_assert_uint_eq(ioapic_mmio_read(&io, offs[i], 4), 0);
		ioapic_mmio_write(&io, offs[i], 4, 0xffffffff);
	}
	ck_assert(memcmp(&before, &io, sizeof(io)) == 0);
	/* EOI is write-only. */
	ck_assert_uint_eq(ioapic_mmio_read(&io, IOAPIC_EOI, 4), 0);
}
END_TEST

START_TEST(indexes_outside_the_table)
{
	struct ioapic before;
	unsigned int idx;

	memcpy(&before, &io, sizeof(io));
	for (idx = 0x03; idx <= 0xff; idx++) {
		if (idx >= IOAPIC_REG_RTE &&
		    idx < IOAPIC_REG_RTE + 2 * IOAPIC_PINS)
			continue;
		wr(idx, 0xffffffff);
		ck_assert_msg(rd(idx) == 0, "index %#x", idx);
	}
	ioapic_mmio_write(&io, IOAPIC_IOREGSEL, 4, before.ioregsel);
	ck_assert(memcmp(&before, &io, sizeof(io)) == 0);
	/* The last entry is there, 0x40 is not. */
	wr(0x3e, 0x55);
	ck_assert_uint_eq(rd(0x3e), 0x55);
	ck_assert_uint_eq(rd(0x40), 0);
}
END_TEST

START_TEST(edge_delivers_on_rising_edges_only)
{
	program(4, 2, EDGE(0x31));
	ioapic_set_irq(&io, 4, true);
	ck_assert_uint_eq(ncalls, 1);
	ck_assert_uint_eq(calls[0].dest, 2);
	ck_assert_uint_eq(calls[0].vector, 0x31);
	ioapic_set_irq(&io, 4, true);	/* still high: no edge */
	ck_assert_uint_eq(ncalls, 1);
	ioapic_set_irq(&io, 4, false);
	ck_assert_uint_eq(ncalls, 1);
	ioapic_set_irq(&io, 4, true);
	ck_assert_uint_eq(ncalls, 2);
	ck_assert_uint_eq(io.delivered, 2);
	/* No Remote IRR for edge entries, and an EOI changes nothing. */
	ck_assert_uint_eq(rte_low(4), EDGE(0x31));
	eoi(0x31);
	ck_assert_uint_eq(ncalls, 2);
}
END_TEST

START_TEST(edge_on_masked_pin_is_not_latched)
{
	program(4, 0, EDGE(0x31) | MASKED);
	ioapic_set_irq(&io, 4, true);
	ck_assert_uint_eq(ncalls, 0);
	wr(IOAPIC_REG_RTE + 8, EDGE(0x31));	/* unmask while high */
	ck_assert_uint_eq(ncalls, 0);
	ck_assert_uint_eq(io.dropped, 0);	/* ignored, not dropped */
	/* The next rising edge is delivered. */
	ioapic_set_irq(&io, 4, false);
	ioapic_set_irq(&io, 4, true);
	ck_assert_uint_eq(ncalls, 1);
}
END_TEST

START_TEST(lowest_priority_is_physical)
{
	program(9, 7, EDGE(0x50) | DM(IOAPIC_DM_LOWEST));
	ioapic_set_irq(&io, 9, true);
	ck_assert_uint_eq(ncalls, 1);
	ck_assert_uint_eq(calls[0].dest, 7);
	ck_assert_uint_eq(calls[0].vector, 0x50);
}
END_TEST

START_TEST(logical_and_other_modes_dropped)
{
	static const unsigned int modes[] = {
		IOAPIC_DM_SMI, 3, IOAPIC_DM_NMI, IOAPIC_DM_INIT, 6,
		IOAPIC_DM_EXTINT,
	};
	unsigned int i;

	program(0, 1, EDGE(0x60) | (uint32_t)IOAPIC_RTE_LOGICAL);
	ioapic_set_irq(&io, 0, true);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		program(i + 1, 0, EDGE(0x60) | DM(modes[i]));
		ioapic_set_irq(&io, i + 1, true);
	}
	ck_assert_uint_eq(ncalls, 0);
	ck_assert_uint_eq(io.dropped, 7);
	ck_assert_uint_eq(io.delivered, 0);
}
END_TEST

START_TEST(illegal_vectors_dropped)
{
	program(0, 0, EDGE(0x0f));
	ioapic_set_irq(&io, 0, true);
	program(1, 0, EDGE(0x10));
	ioapic_set_irq(&io, 1, true);
	ck_assert_uint_eq(ncalls, 1);
	ck_assert_uint_eq(calls[0].vector, 0x10);
	ck_assert_uint_eq(io.dropped, 1);
}
END_TEST

START_TEST(level_sets_remote_irr_until_eoi)
{
	program(10, 1, LEVEL(0x70));
	ioapic_set_irq(&io, 10, true);
	ck_assert_uint_eq(ncalls, 1);
	ck_assert_uint_eq(rte_low(10), LEVEL(0x70) | REMOTE_IRR);
	/* Asserted again / still: nothing until the EOI. */
	ioapic_set_irq(&io, 10, true);
	ck_assert_uint_eq(ncalls, 1);
	/* Deasserted: Remote IRR stays until the EOI. */
	ioapic_set_irq(&io, 10, false);
	ck_assert(rte_low(10) & REMOTE_IRR);
	eoi(0x70);
	ck_assert_uint_eq(rte_low(10), LEVEL(0x70));
	ck_assert_uint_eq(ncalls, 1);	/* low: no redelivery */
	ioapic_set_irq(&io, 10, true);
	ck_assert_uint_eq(ncalls, 2);
}
END_TEST

START_TEST(level_eoi_redelivers_while_asserted)
{
	program(10, 1, LEVEL(0x70));
	ioapic_set_irq(&io, 10, true);
	eoi(0x70);
	ck_assert_uint_eq(ncalls, 2);
	ck_assert(rte_low(10) & REMOTE_IRR);
	eoi(0x70);
	ck_assert_uint_eq(ncalls, 3);
	ck_assert_uint_eq(calls[2].vector, 0x70);
}
END_TEST

START_TEST(eoi_matches_the_vector)
{
	program(10, 1, LEVEL(0x70));
	program(11, 1, LEVEL(0x71));
	program(12, 1, LEVEL(0x70));	/* a shared vector */
	ioapic_set_irq(&io, 10, true);
	ioapic_set_irq(&io, 11, true);
	ioapic_set_irq(&io, 12, true);
	ioapic_set_irq(&io, 10, false);
	ioapic_set_irq(&io, 11, false);
	ioapic_set_irq(&io, 12, false);
	eoi(0x72);
	ck_assert(rte_low(10) & REMOTE_IRR);
	ck_assert(rte_low(11) & REMOTE_IRR);
	/* Only the low 8 bits of the EOI write are the vector. */
	eoi(0x170);
	ck_assert(!(rte_low(10) & REMOTE_IRR));
	ck_assert(!(rte_low(12) & REMOTE_IRR));
	ck_assert(rte_low(11) & REMOTE_IRR);
	ioapic_eoi(&io, 0x71);
	ck_assert(!(rte_low(11) & REMOTE_IRR));
	ck_assert_uint_eq(ncalls, 3);
}
END_TEST

START_TEST(level_masked_then_unmasked_delivers)
{
	program(5, 4, LEVEL(0x80) | MASKED);
	ioapic_set_irq(&io, 5, true);
	ck_assert_uint_eq(ncalls, 0);
	ck_assert_uint_eq(rte_low(5), LEVEL(0x80) | MASKED);
	wr(IOAPIC_REG_RTE + 10, LEVEL(0x80));
	ck_assert_uint_eq(ncalls, 1);
	ck_assert_uint_eq(calls[0].dest, 4);
	ck_assert(rte_low(5) & REMOTE_IRR);
}
END_TEST

START_TEST(level_deasserted_while_masked_not_delivered)
{
	program(5, 4, LEVEL(0x80) | MASKED);
	ioapic_set_irq(&io, 5, true);
	ioapic_set_irq(&io, 5, false);
	wr(IOAPIC_REG_RTE + 10, LEVEL(0x80));
	ck_assert_uint_eq(ncalls, 0);
}
END_TEST

START_TEST(edge_rewrite_clears_remote_irr)
{
	program(6, 0, LEVEL(0x90));
	ioapic_set_irq(&io, 6, true);
	ck_assert(rte_low(6) & REMOTE_IRR);
	/* Linux's pre-0x20 EOI: edge+masked, then level again. */
	wr(IOAPIC_REG_RTE + 12, EDGE(0x90) | MASKED);
	ck_assert(!(rte_low(6) & REMOTE_IRR));
	ioapic_set_irq(&io, 6, false);
	wr(IOAPIC_REG_RTE + 12, LEVEL(0x90));
	ck_assert_uint_eq(ncalls, 1);
	ioapic_set_irq(&io, 6, true);
	ck_assert_uint_eq(ncalls, 2);
}
END_TEST

START_TEST(deliver_failure_counts_and_level_retries)
{
	program(8, 0, LEVEL(0xa0));
	deliver_ret = -EAGAIN;
	ioapic_set_irq(&io, 8, true);
	ck_assert_uint_eq(io.dropped, 1);
	ck_assert_uint_eq(io.delivered, 0);
	ck_assert(!(rte_low(8) & REMOTE_IRR));
	deliver_ret = 0;
	ioapic_set_irq(&io, 8, true);
	ck_assert_uint_eq(io.delivered, 1);
	ck_assert(rte_low(8) & REMOTE_IRR);
}
END_TEST

START_TEST(destination_follows_high_dword)
{
	program(3, 1, EDGE(0xb0));
	wr(IOAPIC_REG_RTE + 7, 0xfe000000);
	ck_assert_uint_eq(rte_low(3), EDGE(0xb0));	/* low untouched */
	ioapic_set_irq(&io, 3, true);
	ck_assert_uint_eq(calls[0].dest, 0xfe);
}
END_TEST

START_TEST(hostile_pins_ignored)
{
	struct ioapic before;

	memcpy(&before, &io, sizeof(io));
	ioapic_set_irq(&io, IOAPIC_PINS, true);
	ioapic_set_irq(&io, 31, true);
	ioapic_set_irq(&io, 32, true);
	ioapic_set_irq(&io, ~0U, true);
	ck_assert(memcmp(&before, &io, sizeof(io)) == 0);
	ck_assert_uint_eq(ncalls, 0);
}
END_TEST

START_TEST(no_callback_drops)
{
	ioapic_init(&io, NULL, NULL);
	program(0, 0, EDGE(0x40));
	ioapic_set_irq(&io, 0, true);
	ck_assert_uint_eq(io.dropped, 1);
	ck_assert_uint_eq(ncalls, 0);
}
END_TEST

static Suite *ioapic_suite(void)
{
	Suite *s = suite_create("hvworker_ioapic");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, reset_state);
	tcase_add_test(tc, linux_init_sequence);
	tcase_add_test(tc, ioregsel_keeps_low_8_bits);
	tcase_add_test(tc, id_writable_arb_and_ver_read_only);
	tcase_add_test(tc, read_only_and_reserved_rte_bits);
	tcase_add_test(tc, remote_irr_cannot_be_written);
	tcase_add_test(tc, only_4_byte_accesses);
	tcase_add_test(tc, other_offsets_ignored);
	tcase_add_test(tc, indexes_outside_the_table);
	tcase_add_test(tc, edge_delivers_on_rising_edges_only);
	tcase_add_test(tc, edge_on_masked_pin_is_not_latched);
	tcase_add_test(tc, lowest_priority_is_physical);
	tcase_add_test(tc, logical_and_other_modes_dropped);
	tcase_add_test(tc, illegal_vectors_dropped);
	tcase_add_test(tc, level_sets_remote_irr_until_eoi);
	tcase_add_test(tc, level_eoi_redelivers_while_asserted);
	tcase_add_test(tc, eoi_matches_the_vector);
	tcase_add_test(tc, level_masked_then_unmasked_delivers);
	tcase_add_test(tc, level_deasserted_while_masked_not_delivered);
	tcase_add_test(tc, edge_rewrite_clears_remote_irr);
	tcase_add_test(tc, deliver_failure_counts_and_level_retries);
	tcase_add_test(tc, destination_follows_high_dword);
	tcase_add_test(tc, hostile_pins_ignored);
	tcase_add_test(tc, no_callback_drops);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return hv_check_run(ioapic_suite());
}
