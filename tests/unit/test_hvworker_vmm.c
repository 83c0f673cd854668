// SPDX-License-Identifier: GPL-2.0
/* Check suite for parent/worker/vmm.c: I/O dispatch and the vCPU loop. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"
#include "hvworker_fake.h"
#include "vmm.h"

static struct fake_vm f;
static struct vm vm;
static struct fake_console con;
#define out con.out
#define nout con.n

static void setup(void)
{
	fake_console_reset(&con);
	fake_init(&f);
	vm_init(&vm, &fake_ops, &f, fake_console_out, &con);
}

static void teardown(void)
{
	vm_destroy(&vm);
}

#define S5_WRITE	((GUEST_SLP_TYP_S5 << 2) | GUEST_SLP_EN)

START_TEST(unknown_ports_float_high)
{
	ck_assert_uint_eq(vm_port_io(&vm, 0x80, 1, 0, 0), 0xff);
	ck_assert_uint_eq(vm_port_io(&vm, 0xcf8, 4, 0, 0), 0xffffffff);
	ck_assert_uint_eq(vm_port_io(&vm, 0x1234, 2, 0, 0), 0xffff);
	ck_assert_uint_eq(vm_port_io(&vm, 0x80, 1, 1, 0x12), 0);	/* ignored */
	ck_assert_uint_eq(vm.unknown_port_accesses, 1 + 4 + 2 + 1);
	ck_assert_int_eq(vm_exit_reason(&vm), VM_RUNNING);
}
END_TEST

START_TEST(uart_through_ports)
{
	vm_port_io(&vm, UART_COM1_BASE, 1, 1, 'Z');
	ck_assert_str_eq(out, "Z");
	ck_assert_uint_eq(vm_port_io(&vm, UART_COM1_BASE + UART_LSR, 1, 0, 0) &
			  UART_LSR_THRE, UART_LSR_THRE);
	ck_assert_uint_eq(vm.unknown_port_accesses, 0);
}
END_TEST

START_TEST(rtc_through_ports)
{
	uint8_t d;

	vm_port_io(&vm, RTC_PORT_INDEX, 1, 1, RTC_REG_D);
	ck_assert_uint_eq(vm_port_io(&vm, RTC_PORT_DATA, 1, 0, 0), RTC_D_VRT);
	vm_port_io(&vm, RTC_PORT_INDEX, 1, 1, RTC_MONTH);
	d = (uint8_t)vm_port_io(&vm, RTC_PORT_DATA, 1, 0, 0);
	ck_assert(d >= 0x01 && d <= 0x12 && (d & 0xf) <= 9);	/* BCD month */
	ck_assert_uint_eq(vm.unknown_port_accesses, 0);
}
END_TEST

/*
 * The ports claimed from the hv are exactly the ports the worker
 * emulates: a missed one would read all-ones in the hv, an extra one
 * would cost a round trip for nothing.
 */
START_TEST(claimed_ports_are_the_emulated_ones)
{
	const uint32_t rw = HV_INTERCEPT_ACCESS_MASK_READ |
			    HV_INTERCEPT_ACCESS_MASK_WRITE;
	unsigned int port, claimed = 0;

	ck_assert_int_eq(vm_claim_ports(&vm), 0);
	for (port = 0; port < 65536; port++) {
		uint64_t before = vm.unknown_port_accesses;

		vm_port_io(&vm, (uint16_t)port, 1, 0, 0);
		if (f.claimed[port]) {
			ck_assert_uint_eq(f.claimed[port], rw);
			ck_assert_uint_eq(vm.unknown_port_accesses, before);
			claimed++;
		} else {
			ck_assert_uint_eq(vm.unknown_port_accesses, before + 1);
		}
	}
	ck_assert_uint_eq(claimed, UART_NR_PORTS + 2 + 3);
	f.fail_install = -ENOMEM;
	ck_assert_int_eq(vm_claim_ports(&vm), -ENOMEM);
}
END_TEST

START_TEST(stats_sum_over_vps)
{
	struct vm_stats st;
	struct vm_backend_ops no_regs = fake_ops;

	ck_assert_int_eq(vm_read_stats(&vm, 2, &st), 0);
	ck_assert_uint_eq(st.runtime_ns, 3000000);	/* 1 ms + 2 ms */
	ck_assert_uint_eq(st.exits, 30);
	no_regs.get_regs = NULL;
	vm.ops = &no_regs;
	ck_assert_int_eq(vm_read_stats(&vm, 2, &st), -EOPNOTSUPP);
	vm.ops = &fake_ops;
}
END_TEST

/* An unmapped-GPA intercept as the hv sends it: bytes at RIP and GPRs. */
static struct hv_intercept_message mmio_msg(uint64_t gpa, int write,
					    const char *bytes, unsigned int n)
{
	struct hv_intercept_message m;

	memset(&m, 0, sizeof(m));
	m.message_type = HVMSG_UNMAPPED_GPA;
	m.execution_state = 0x100;		/* long mode */
	m.rip = 0x1000;
	m.gpa = gpa;
	m.access_type = (uint8_t)write;
	m.instruction_byte_count = (uint8_t)n;
	memcpy(m.instruction_bytes, bytes, n);
	return m;
}

START_TEST(mmio_ioapic_through_decoded_instructions)
{
	struct hv_intercept_message m;

	/* mov %esi,(%rax): IOREGSEL = 1 (VER) */
	m = mmio_msg(IOAPIC_BASE, 1, "\x89\x30", 2);
	m.gpr[6] = 1;
	ck_assert_int_eq(vm_handle_intercept(&vm, 0, &m), 0);
	ck_assert_uint_eq(f.rip, 0x1002);
	/* mov 0x10(%rax),%eax: IOWIN -> EAX, the upper half zeroed */
	m = mmio_msg(IOAPIC_BASE + 0x10, 0, "\x8b\x40\x10", 3);
	m.gpr[0] = 0xdeadbeef00000000ULL;
	ck_assert_int_eq(vm_handle_intercept(&vm, 0, &m), 0);
	ck_assert_uint_eq(f.rip, 0x1003);
	ck_assert_uint_eq(f.rax, 0x00170020);
	ck_assert_uint_eq(vm.mmio_exits, 2);
	ck_assert_uint_eq(vm.unknown_mmio_accesses, 0);
}
END_TEST

START_TEST(mmio_elsewhere_reads_all_ones)
{
	struct hv_intercept_message m = mmio_msg(0xd0000000, 0, "\x8b\x07", 2);

	ck_assert_int_eq(vm_handle_intercept(&vm, 0, &m), 0);
	ck_assert_uint_eq(f.rax, 0xffffffff);
	m = mmio_msg(0xd0000000, 1, "\xc7\x07\x01\x00\x00\x00", 6);
	ck_assert_int_eq(vm_handle_intercept(&vm, 0, &m), 0);	/* dropped */
	ck_assert_uint_eq(f.rip, 0x1006);
	ck_assert_uint_eq(vm.unknown_mmio_accesses, 2);
	ck_assert_int_eq(vm_exit_reason(&vm), VM_RUNNING);
}
END_TEST

START_TEST(mmio_that_cannot_be_emulated_ends_the_vm)
{
	struct hv_intercept_message m = mmio_msg(0xd0000000, 1, "\xf0\x01\x07", 3);

	ck_assert_int_eq(vm_handle_intercept(&vm, 0, &m), 1);	/* lock add */
	ck_assert_int_eq(vm_exit_reason(&vm), VM_EXIT_CRASHED);
	ck_assert_ptr_nonnull(strstr(vm.exit_detail, "unmapped GPA 0xd0000000"));
}
END_TEST

START_TEST(mmio_execute_ends_the_vm)
{
	struct hv_intercept_message m = mmio_msg(0xd0000000, 2, "\x8b\x07", 2);

	ck_assert_int_eq(vm_handle_intercept(&vm, 0, &m), 1);
	ck_assert_int_eq(vm_exit_reason(&vm), VM_EXIT_CRASHED);
	ck_assert_ptr_nonnull(strstr(vm.exit_detail, "executed"));
}
END_TEST

/* The UART's line through the I/O APIC, as Linux programs pin 4. */
START_TEST(uart_interrupts_through_ioapic)
{
	vm_mmio(&vm, IOAPIC_BASE, 4, 1, 0x10 + 2 * 4 + 1);	/* RTE 4 high */
	vm_mmio(&vm, IOAPIC_BASE + 0x10, 4, 1, 1u << 24);	/* dest APIC 1 */
	vm_mmio(&vm, IOAPIC_BASE, 4, 1, 0x10 + 2 * 4);		/* RTE 4 low */
	vm_mmio(&vm, IOAPIC_BASE + 0x10, 4, 1, 0x24);		/* vector, edge, unmasked */
	vm_port_io(&vm, UART_COM1_BASE + UART_MCR, 1, 1, UART_MCR_OUT2);
	ck_assert_uint_eq(f.irqs, 0);
	vm_port_io(&vm, UART_COM1_BASE + UART_IER, 1, 1, UART_IER_THRI);
	ck_assert_uint_eq(f.irqs, 1);				/* THR empty */
	ck_assert_uint_eq(f.irq_vector, 0x24);
	ck_assert_uint_eq(f.irq_vp, 1);
	vm_port_io(&vm, UART_COM1_BASE + UART_IIR, 1, 0, 0);	/* identified */
	vm_port_io(&vm, UART_COM1_BASE, 1, 1, 'x');		/* THR again */
	ck_assert_uint_eq(f.irqs, 2);
	/* Console input with RX interrupts on. */
	vm_port_io(&vm, UART_COM1_BASE + UART_IIR, 1, 0, 0);
	vm_port_io(&vm, UART_COM1_BASE + UART_IER, 1, 1, UART_IER_RDI);
	vm_console_input(&vm, (const uint8_t *)"ab", 2);
	ck_assert_uint_eq(f.irqs, 3);
	ck_assert_uint_eq(vm.irqs, 3);
}
END_TEST

START_TEST(sleep_register_s5)
{
	/* Other sleep types, or SLP_EN clear, do nothing. */
	vm_port_io(&vm, GUEST_PORT_SLEEP_CTL, 1, 1, GUEST_SLP_TYP_S5 << 2);
	vm_port_io(&vm, GUEST_PORT_SLEEP_CTL, 1, 1, (3 << 2) | GUEST_SLP_EN);
	ck_assert_int_eq(vm_exit_reason(&vm), VM_RUNNING);
	vm_port_io(&vm, GUEST_PORT_SLEEP_CTL, 1, 1, S5_WRITE);
	ck_assert_int_eq(vm_exit_reason(&vm), VM_EXIT_SHUTDOWN);
	ck_assert_str_eq(vm_exit_name(vm_exit_reason(&vm)), "shutdown");
	ck_assert_uint_eq(vm_port_io(&vm, GUEST_PORT_SLEEP_STS, 1, 0, 0), 0);
}
END_TEST

START_TEST(reset_register)
{
	vm_port_io(&vm, GUEST_PORT_RESET, 1, 1, 0x06);	/* not the value */
	ck_assert_int_eq(vm_exit_reason(&vm), VM_RUNNING);
	vm_port_io(&vm, GUEST_PORT_RESET, 1, 1, GUEST_RESET_VALUE);
	ck_assert_int_eq(vm_exit_reason(&vm), VM_EXIT_REBOOT);
	/* The first reason stays. */
	vm_port_io(&vm, GUEST_PORT_SLEEP_CTL, 1, 1, S5_WRITE);
	ck_assert_int_eq(vm_exit_reason(&vm), VM_EXIT_REBOOT);
}
END_TEST

START_TEST(in_sets_rax_and_rip)
{
	fake_io(&f, UART_COM1_BASE + UART_LSR, 1, 0, 0xdeadbeefcafe0000ULL,
		0x1000, 1);
	ck_assert_int_eq(vm_handle_intercept(&vm, 0, &f.script[0]), 0);
	ck_assert_uint_eq(f.rip, 0x1001);
	/* Only AL changes: THRE | TEMT. */
	ck_assert_uint_eq(f.rax, 0xdeadbeefcafe0060ULL);
}
END_TEST

START_TEST(in32_zero_extends)
{
	fake_io(&f, 0xcfc, 4, 0, 0xffffffff00000000ULL, 0x2000, 1);
	f.script[0].next_rip = 0x2005;		/* preferred over the length */
	ck_assert_int_eq(vm_handle_intercept(&vm, 0, &f.script[0]), 0);
	ck_assert_uint_eq(f.rip, 0x2005);
	ck_assert_uint_eq(f.rax, 0xffffffff);
}
END_TEST

START_TEST(io_without_length_is_an_error)
{
	fake_io(&f, 0x3f8, 1, 1, 'a', 0x3000, 0);
	ck_assert_int_lt(vm_handle_intercept(&vm, 0, &f.script[0]), 0);
	ck_assert_int_eq(vm_exit_reason(&vm), VM_EXIT_ERROR);
	ck_assert_ptr_nonnull(strstr(vm.exit_detail, "instruction length"));
}
END_TEST

START_TEST(hostile_io_messages)
{
	fake_io(&f, 0x3f8, 3, 1, 'a', 0x3000, 1);	/* size 3 */
	ck_assert_int_lt(vm_handle_intercept(&vm, 0, &f.script[0]), 0);
	ck_assert_int_eq(vm_exit_reason(&vm), VM_EXIT_ERROR);
	ck_assert_uint_eq(nout, 0);

	setup();
	fake_io(&f, 0x3f8, 1, 1, 'a', 0x3000, 2);
	f.script[0].io_flags = 1;			/* outsb */
	ck_assert_int_lt(vm_handle_intercept(&vm, 0, &f.script[0]), 0);
	ck_assert_ptr_nonnull(strstr(vm.exit_detail, "string I/O"));
	ck_assert_uint_eq(nout, 0);

	setup();
	f.script[0].message_type = 0x12345;
	ck_assert_int_lt(vm_handle_intercept(&vm, 0, &f.script[0]), 0);
	ck_assert_int_eq(vm_exit_reason(&vm), VM_EXIT_ERROR);
}
END_TEST

START_TEST(halt_and_triple_fault)
{
	struct hv_intercept_message m;

	memset(&m, 0, sizeof(m));
	m.message_type = HVMSG_X64_TRIPLE_FAULT;
	m.rip = 0xffffffff81000000ULL;
	ck_assert_int_eq(vm_handle_intercept(&vm, 0, &m), 1);
	ck_assert_int_eq(vm_exit_reason(&vm), VM_EXIT_CRASHED);
	ck_assert_ptr_nonnull(strstr(vm.exit_detail, "triple fault"));

	setup();
	m.message_type = HVMSG_X64_HALT;
	ck_assert_int_eq(vm_handle_intercept(&vm, 0, &m), 1);
	ck_assert_int_eq(vm_exit_reason(&vm), VM_EXIT_HALTED);
	ck_assert_str_eq(vm_exit_name(VM_EXIT_HALTED), "halted");
}
END_TEST

START_TEST(msr_intercept_reads_zero)
{
	struct hv_intercept_message m;

	memset(&m, 0, sizeof(m));
	m.message_type = HVMSG_X64_MSR_INTERCEPT;
	m.rip = 0x4000;
	f.rax = 77;
	ck_assert_int_eq(vm_handle_intercept(&vm, 0, &m), 0);
	ck_assert_uint_eq(f.rip, 0x4002);	/* rdmsr is 2 bytes */
	ck_assert_uint_eq(f.rax, 0);
}
END_TEST

START_TEST(loop_hello_then_s5)
{
	uint64_t rip = fake_puts(&f, UART_COM1_BASE, "hello\n", 0x100000);

	fake_io(&f, UART_COM1_BASE + UART_LSR, 1, 0, 0, rip, 1);
	fake_io(&f, 0x80, 1, 1, 0, rip + 1, 2);		/* a POST-code write */
	fake_io(&f, GUEST_PORT_SLEEP_CTL, 1, 1, S5_WRITE, rip + 3, 1);
	fake_io(&f, UART_COM1_BASE, 1, 1, 'X', rip + 4, 1);	/* never run */
	ck_assert_int_eq(vm_vcpu_loop(&vm, 0), VM_EXIT_SHUTDOWN);
	ck_assert_str_eq(out, "hello\n");
	ck_assert_uint_eq(f.pos, f.nscript - 1);
	ck_assert_uint_eq(f.rip_mismatches, 0);
	ck_assert_uint_eq(vm.io_exits, 6 + 3);
	ck_assert_ptr_nonnull(strstr(vm.exit_detail, "S5"));
}
END_TEST

static Suite *vmm_suite(void)
{
	Suite *s = suite_create("hvworker_vmm");
	TCase *tc = tcase_create("vmm");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, unknown_ports_float_high);
	tcase_add_test(tc, uart_through_ports);
	tcase_add_test(tc, rtc_through_ports);
	tcase_add_test(tc, claimed_ports_are_the_emulated_ones);
	tcase_add_test(tc, stats_sum_over_vps);
	tcase_add_test(tc, mmio_ioapic_through_decoded_instructions);
	tcase_add_test(tc, mmio_elsewhere_reads_all_ones);
	tcase_add_test(tc, mmio_that_cannot_be_emulated_ends_the_vm);
	tcase_add_test(tc, mmio_execute_ends_the_vm);
	tcase_add_test(tc, uart_interrupts_through_ioapic);
	tcase_add_test(tc, sleep_register_s5);
	tcase_add_test(tc, reset_register);
	tcase_add_test(tc, in_sets_rax_and_rip);
	tcase_add_test(tc, in32_zero_extends);
	tcase_add_test(tc, io_without_length_is_an_error);
	tcase_add_test(tc, hostile_io_messages);
	tcase_add_test(tc, halt_and_triple_fault);
	tcase_add_test(tc, msr_intercept_reads_zero);
	tcase_add_test(tc, loop_hello_then_s5);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(vmm_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
