// SPDX-License-Identifier: GPL-2.0
/* hvworker: VM core and vCPU run loop (vmm.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "guest.h"
#include "mmio_decode.h"
#include "vmm.h"

#define IO_ACCESS_WRITE	1
#define IO_FLAG_STRING	0x1
#define MSR_INSN_LEN	2	/* rdmsr / wrmsr */

/* The I/O APIC's output: a fixed interrupt for a VP (io_lock held). */
static int ioapic_deliver(void *ctx, uint32_t dest, uint8_t vector)
{
	struct vm *vm = ctx;
	int ret;

	if (!vm->ops->assert_irq)
		return -ENODEV;
	ret = vm->ops->assert_irq(vm->ctx, dest, vector);
	if (!ret)
		atomic_fetch_add(&vm->irqs, 1);
	return ret;
}

void vm_init(struct vm *vm, const struct vm_backend_ops *ops, void *ctx,
	     void (*console_out)(void *ctx, uint8_t c), void *console_ctx)
{
	memset(vm, 0, sizeof(*vm));
	vm->ops = ops;
	vm->ctx = ctx;
	pthread_mutex_init(&vm->io_lock, NULL);
	uart_init(&vm->uart, console_out, console_ctx);
	rtc_init(&vm->rtc, NULL);
	ioapic_init(&vm->ioapic, ioapic_deliver, vm);
	atomic_store(&vm->exit, VM_RUNNING);
}

void vm_destroy(struct vm *vm)
{
	pthread_mutex_destroy(&vm->io_lock);
}

enum vm_exit vm_request_exit(struct vm *vm, enum vm_exit why,
			     const char *fmt, ...)
{
	int expected = VM_RUNNING;
	va_list ap;

	if (!atomic_compare_exchange_strong(&vm->exit, &expected, why))
		return (enum vm_exit)expected;
	va_start(ap, fmt);
	vsnprintf(vm->exit_detail, sizeof(vm->exit_detail), fmt, ap);
	va_end(ap);
	return why;
}

enum vm_exit vm_exit_reason(struct vm *vm)
{
	return (enum vm_exit)atomic_load(&vm->exit);
}

const char *vm_exit_name(enum vm_exit e)
{
	static const char *const names[] = {
		[VM_RUNNING] = "running",	[VM_EXIT_SHUTDOWN] = "shutdown",
		[VM_EXIT_REBOOT] = "reboot",	[VM_EXIT_HALTED] = "halted",
		[VM_EXIT_CRASHED] = "crashed",	[VM_EXIT_ERROR] = "error",
	};

	return (unsigned int)e < sizeof(names) / sizeof(names[0]) ?
	       names[e] : "error";
}

static uint8_t uart_port(struct vm *vm, uint16_t port, int write, uint8_t v)
{
	uint8_t r = 0;

	if (write)
		uart_write(&vm->uart, port - UART_COM1_BASE, v);
	else
		r = uart_read(&vm->uart, port - UART_COM1_BASE);
	/* Any access may move the line (IER, MCR, THR written, IIR read). */
	ioapic_set_irq(&vm->ioapic, UART_IRQ, uart_irq_line(&vm->uart));
	return r;
}

/* One byte-wide port; the caller holds io_lock. */
static uint8_t port_byte(struct vm *vm, uint16_t port, int write, uint8_t v)
{
	if (port >= UART_COM1_BASE && port < UART_COM1_BASE + UART_NR_PORTS)
		return uart_port(vm, port, write, v);
	switch (port) {
	case RTC_PORT_INDEX:
	case RTC_PORT_DATA:
		if (!write)
			return rtc_read(&vm->rtc, port);
		rtc_write(&vm->rtc, port, v);
		return 0;
	case GUEST_PORT_SLEEP_CTL:
		/* HW-reduced sleep: SLP_TYP in bits 2-4, SLP_EN bit 5. */
		if (write && (v & GUEST_SLP_EN) &&
		    ((v >> 2) & 7) == GUEST_SLP_TYP_S5)
			vm_request_exit(vm, VM_EXIT_SHUTDOWN,
					"ACPI S5 (sleep control %#x)", v);
		return 0;
	case GUEST_PORT_SLEEP_STS:
		return 0;
	case GUEST_PORT_RESET:
		if (write && v == GUEST_RESET_VALUE)
			vm_request_exit(vm, VM_EXIT_REBOOT,
					"ACPI reset register");
		return 0;
	default:
		atomic_fetch_add(&vm->unknown_port_accesses, 1);
		return 0xff;	/* nothing there: the bus floats high */
	}
}

int vm_claim_ports(struct vm *vm)
{
	static const uint16_t ports[] = {
		RTC_PORT_INDEX, RTC_PORT_DATA, GUEST_PORT_SLEEP_CTL,
		GUEST_PORT_SLEEP_STS, GUEST_PORT_RESET,
	};
	const uint32_t rw = HV_INTERCEPT_ACCESS_MASK_READ |
			    HV_INTERCEPT_ACCESS_MASK_WRITE;
	unsigned int i;
	int ret = 0;

	if (!vm->ops->install_io)
		return 0;
	for (i = 0; i < UART_NR_PORTS && !ret; i++)
		ret = vm->ops->install_io(vm->ctx, UART_COM1_BASE + i, rw);
	for (i = 0; i < sizeof(ports) / sizeof(ports[0]) && !ret; i++)
		ret = vm->ops->install_io(vm->ctx, ports[i], rw);
	return ret;
}

void vm_console_input(struct vm *vm, const uint8_t *buf, size_t n)
{
	pthread_mutex_lock(&vm->io_lock);
	for (size_t i = 0; i < n; i++)
		uart_rx_push(&vm->uart, buf[i]);	/* full: lost, as on a UART */
	ioapic_set_irq(&vm->ioapic, UART_IRQ, uart_irq_line(&vm->uart));
	pthread_mutex_unlock(&vm->io_lock);
}

uint64_t vm_mmio(struct vm *vm, uint64_t gpa, unsigned int size, int write,
		 uint64_t val)
{
	uint64_t r = 0;

	pthread_mutex_lock(&vm->io_lock);
	if (gpa >= IOAPIC_BASE && gpa < IOAPIC_BASE + IOAPIC_SIZE) {
		if (write)
			ioapic_mmio_write(&vm->ioapic, gpa - IOAPIC_BASE,
					  size, (uint32_t)val);
		else
			r = ioapic_mmio_read(&vm->ioapic, gpa - IOAPIC_BASE,
					     size);
	} else {
		atomic_fetch_add(&vm->unknown_mmio_accesses, 1);
		r = size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
	}
	pthread_mutex_unlock(&vm->io_lock);
	return write ? 0 : r;
}

int vm_read_stats(struct vm *vm, uint32_t nr_vps, struct vm_stats *st)
{
	struct hv_register_assoc r[2];
	uint32_t vp;
	int ret;

	memset(st, 0, sizeof(*st));
	if (!vm->ops->get_regs)
		return -EOPNOTSUPP;
	for (vp = 0; vp < nr_vps; vp++) {
		memset(r, 0, sizeof(r));
		r[0].name = HV_REGISTER_VP_RUNTIME;
		r[1].name = MKHV_REGISTER_VP_EXITS;
		ret = vm->ops->get_regs(vm->ctx, vp, r, 2);
		if (ret)
			return ret;
		st->runtime_ns += r[0].value.low * 100;
		st->exits += r[1].value.low;
	}
	return 0;
}

uint32_t vm_port_io(struct vm *vm, uint16_t port, unsigned int size, int write,
		    uint32_t val)
{
	uint32_t r = 0;

	pthread_mutex_lock(&vm->io_lock);
	for (unsigned int i = 0; i < size; i++)
		r |= (uint32_t)port_byte(vm, (uint16_t)(port + i), write,
					 (uint8_t)(val >> (8 * i))) << (8 * i);
	pthread_mutex_unlock(&vm->io_lock);
	return write ? 0 : r;
}

static uint64_t next_rip(const struct hv_intercept_message *m,
			 unsigned int fallback_len)
{
	if (m->next_rip)
		return m->next_rip;
	if (m->instruction_length)
		return m->rip + m->instruction_length;
	return fallback_len ? m->rip + fallback_len : 0;
}

#define NO_GPR	(-1)
#define GPR_RAX	0
#define GPR_RDX	2

/*
 * Continue VP @vp at @rip, first setting GPR @reg1 to @v1 and @reg2 to @v2
 * (x86 encoding order, NO_GPR for none), in one SetVpRegisters.
 */
static int resume_at(struct vm *vm, uint32_t vp, uint64_t rip, int reg1,
		     uint64_t v1, int reg2, uint64_t v2)
{
	struct hv_register_assoc r[3];
	uint32_t n = 0;
	int ret;

	memset(r, 0, sizeof(r));
	r[n].name = HV_X64_REGISTER_RIP;
	r[n++].value.low = rip;
	if (reg1 != NO_GPR) {
		r[n].name = HV_X64_REGISTER_RAX + (uint32_t)reg1;
		r[n++].value.low = v1;
	}
	if (reg2 != NO_GPR) {
		r[n].name = HV_X64_REGISTER_RAX + (uint32_t)reg2;
		r[n++].value.low = v2;
	}
	ret = vm->ops->set_regs(vm->ctx, vp, r, n);
	if (ret)
		vm_request_exit(vm, VM_EXIT_ERROR,
				"VP %u: setting registers failed (%s)", vp,
				strerror(-ret));
	return ret;
}

static int handle_io(struct vm *vm, uint32_t vp,
		     const struct hv_intercept_message *m)
{
	unsigned int size = m->access_size;
	int write = m->access_type == IO_ACCESS_WRITE;
	uint64_t rip = next_rip(m, 0), rax = m->rax;
	uint32_t v;

	atomic_fetch_add(&vm->io_exits, 1);
	if (size != 1 && size != 2 && size != 4) {
		vm_request_exit(vm, VM_EXIT_ERROR,
				"VP %u: I/O port %#x with access size %u", vp,
				m->port, size);
		return -EINVAL;
	}
	if (!rip) {
		vm_request_exit(vm, VM_EXIT_ERROR,
				"VP %u: I/O port %#x at rip %#llx without an instruction length",
				vp, m->port, (unsigned long long)m->rip);
		return -EINVAL;
	}
	if (m->io_flags & IO_FLAG_STRING) {
		/* ins/outs are not emulated (no device of ours needs them). */
		vm_request_exit(vm, VM_EXIT_ERROR,
				"VP %u: string I/O on port %#x at rip %#llx is not supported",
				vp, m->port, (unsigned long long)m->rip);
		return -EOPNOTSUPP;
	}
	v = vm_port_io(vm, m->port, size, write, (uint32_t)rax);
	if (vm_exit_reason(vm) != VM_RUNNING)
		return 1;
	if (write)
		return resume_at(vm, vp, rip, NO_GPR, 0, NO_GPR, 0);
	if (size == 4)
		rax = v;		/* 32-bit results zero-extend */
	else
		rax = (rax & ~((1ULL << (8 * size)) - 1)) | v;
	return resume_at(vm, vp, rip, GPR_RAX, rax, NO_GPR, 0);
}

/*
 * An access to a GPA with no RAM: emulate the instruction from the bytes
 * and registers the hv sent.  An instruction that is not a plain load or
 * store (or an execute) ends the VM with what it was.
 */
static int handle_mmio(struct vm *vm, uint32_t vp,
		       const struct hv_intercept_message *m)
{
	struct mmio_insn in;
	uint64_t v;
	int ret;

	atomic_fetch_add(&vm->mmio_exits, 1);
	ret = m->access_type == 2 ? -EINVAL :
	      mmio_decode(m->instruction_bytes, m->instruction_byte_count,
			  m->execution_state & 0x100, &in);
	if (ret) {
		vm_request_exit(vm, VM_EXIT_CRASHED,
				"VP %u %s unmapped GPA %#llx at rip %#llx (%u instruction bytes: %02x %02x %02x %02x)",
				vp, m->access_type == 2 ? "executed" : "accessed",
				(unsigned long long)m->gpa,
				(unsigned long long)m->rip,
				m->instruction_byte_count, m->instruction_bytes[0],
				m->instruction_bytes[1], m->instruction_bytes[2],
				m->instruction_bytes[3]);
		return 1;
	}
	if (in.write) {
		v = mmio_store_value(&in, in.reg >= 0 ? m->gpr[in.reg] : 0);
		vm_mmio(vm, m->gpa, in.size, 1, v);
		return resume_at(vm, vp, m->rip + in.len, NO_GPR, 0, NO_GPR, 0);
	}
	v = vm_mmio(vm, m->gpa, in.size, 0, 0);
	return resume_at(vm, vp, m->rip + in.len, in.reg,
			 mmio_reg_merge(m->gpr[in.reg], v, &in), NO_GPR, 0);
}

/* An MSR the hv forwarded: reads give 0, writes are dropped. */
static int handle_msr(struct vm *vm, uint32_t vp,
		      const struct hv_intercept_message *m)
{
	uint64_t rip = next_rip(m, MSR_INSN_LEN);

	if (m->access_type == IO_ACCESS_WRITE)
		return resume_at(vm, vp, rip, NO_GPR, 0, NO_GPR, 0);
	return resume_at(vm, vp, rip, GPR_RAX, 0, GPR_RDX, 0);
}

int vm_handle_intercept(struct vm *vm, uint32_t vp,
			const struct hv_intercept_message *m)
{
	switch (m->message_type) {
	case HVMSG_X64_IO_PORT_INTERCEPT:
		return handle_io(vm, vp, m);
	case HVMSG_X64_MSR_INTERCEPT:
		return handle_msr(vm, vp, m);
	case HVMSG_X64_HALT:
		vm_request_exit(vm, VM_EXIT_HALTED, "VP %u halted at rip %#llx",
				vp, (unsigned long long)m->rip);
		return 1;
	case HVMSG_X64_TRIPLE_FAULT:
		vm_request_exit(vm, VM_EXIT_CRASHED,
				"VP %u triple fault at rip %#llx", vp,
				(unsigned long long)m->rip);
		return 1;
	case HVMSG_UNMAPPED_GPA:
		return handle_mmio(vm, vp, m);
	default:
		vm_request_exit(vm, VM_EXIT_ERROR,
				"VP %u: unknown intercept message %#x", vp,
				m->message_type);
		return -EPROTO;
	}
}

enum vm_exit vm_vcpu_loop(struct vm *vm, uint32_t vp)
{
	struct hv_intercept_message m;
	int ret;

	while (vm_exit_reason(vm) == VM_RUNNING) {
		ret = vm->ops->run(vm->ctx, vp, &m);
		if (ret == -EINTR)
			continue;	/* a kick: look at the exit flag */
		if (ret) {
			vm_request_exit(vm, VM_EXIT_ERROR,
					"VP %u: run failed (%s)", vp,
					strerror(-ret));
			break;
		}
		if (vm_handle_intercept(vm, vp, &m))
			break;
	}
	return vm_exit_reason(vm);
}
