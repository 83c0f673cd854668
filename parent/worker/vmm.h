/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: the VM core, independent of /dev/mkhv.  The run loop talks to
 * the hypervisor only through struct vm_backend_ops, so the unit tests run
 * it against a scripted fake; mkhv_backend.c implements it with the VM
 * fd's ioctls.
 *
 * One thread per vCPU runs vm_vcpu_loop(): RUN -> intercept message ->
 * handle (I/O ports: the UART, the RTC, the ACPI sleep and reset
 * registers; other ports read all-ones and ignore writes, in the hv once
 * vm_claim_ports() told it which ports are ours; MMIO: the I/O APIC,
 * decoded from the instruction bytes the hv sends, and all-ones elsewhere) -> set RIP (and RAX for IN) ->
 * RUN again, until some vCPU ends the VM (S5, reset, HALT, triple fault or
 * an error); vm_exit_reason() then says why.
 */
#ifndef HVWORKER_VMM_H
#define HVWORKER_VMM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include <mkhv/hvcall_partition.h>

#include "ioapic.h"
#include "rtc.h"
#include "uart.h"

struct vm_backend_ops {
	int (*create_vp)(void *ctx, uint32_t vp);
	int (*map)(void *ctx, void *hva, uint64_t size, uint64_t gfn,
		   uint32_t flags);
	int (*set_regs)(void *ctx, uint32_t vp,
			const struct hv_register_assoc *regs, uint32_t n);
	/* Run @vp until its next intercept; -EINTR when a signal came. */
	int (*run)(void *ctx, uint32_t vp, struct hv_intercept_message *msg);
	/*
	 * Claim I/O port @port (HV_INTERCEPT_ACCESS_MASK_*): only claimed
	 * ports reach run(); the hv answers the others as an empty bus.
	 * NULL: the backend forwards every port.
	 */
	int (*install_io)(void *ctx, uint16_t port, uint32_t access);
	/*
	 * Raise fixed interrupt @vector in VP @vp (may be running).  NULL:
	 * the VM has no interrupts from the worker's devices.
	 */
	int (*assert_irq)(void *ctx, uint32_t vp, uint8_t vector);
	/* Read registers (may be NULL); statistics work while @vp runs. */
	int (*get_regs)(void *ctx, uint32_t vp, struct hv_register_assoc *regs,
			uint32_t n);
};

enum vm_exit {
	VM_RUNNING = 0,
	VM_EXIT_SHUTDOWN,	/* ACPI S5 */
	VM_EXIT_REBOOT,		/* ACPI reset register */
	VM_EXIT_HALTED,		/* a VP shut down (HVMSG_X64_HALT) */
	VM_EXIT_CRASHED,	/* triple fault */
	VM_EXIT_ERROR,		/* the worker could not go on */
};

struct vm {
	const struct vm_backend_ops *ops;
	void *ctx;
	pthread_mutex_t io_lock;	/* device models */
	struct uart16550 uart;
	struct rtc rtc;
	struct ioapic ioapic;		/* at IOAPIC_BASE; UART on pin 4 */
	_Atomic int exit;		/* enum vm_exit; the first one wins */
	char exit_detail[160];
	_Atomic uint64_t io_exits, unknown_port_accesses;
	_Atomic uint64_t mmio_exits, unknown_mmio_accesses, irqs;
};

void vm_init(struct vm *vm, const struct vm_backend_ops *ops, void *ctx,
	     void (*console_out)(void *ctx, uint8_t c), void *console_ctx);
void vm_destroy(struct vm *vm);

/*
 * Claim the ports of the worker's devices (UART, RTC, ACPI registers)
 * from the hypervisor.  Return: 0 or the backend's -errno.
 */
int vm_claim_ports(struct vm *vm);

/* Console input for the guest's UART (raises its interrupt). */
void vm_console_input(struct vm *vm, const uint8_t *buf, size_t n);

/*
 * One MMIO access of @size bytes at @gpa (the I/O APIC, or nothing: reads
 * all-ones, writes dropped).  Return: the value read.
 */
uint64_t vm_mmio(struct vm *vm, uint64_t gpa, unsigned int size, int write,
		 uint64_t val);

/* What the hv counted for the VM's VPs (their sum). */
struct vm_stats {
	uint64_t runtime_ns;	/* guest time */
	uint64_t exits;		/* exits the hv took */
};

/*
 * Read the hv's statistics of VPs 0..@nr_vps-1 (they may be running).
 * Return: 0, -EOPNOTSUPP without get_regs, or the backend's -errno.
 */
int vm_read_stats(struct vm *vm, uint32_t nr_vps, struct vm_stats *st);

/* End the VM (first caller wins); returns the reason in force. */
enum vm_exit vm_request_exit(struct vm *vm, enum vm_exit why,
			     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
enum vm_exit vm_exit_reason(struct vm *vm);
/* "running", "shutdown", "reboot", "halted", "crashed", "error" */
const char *vm_exit_name(enum vm_exit e);

/*
 * One port access: @write with @val, or a read whose value is returned.
 * @size 1, 2 or 4 (byte-wide devices see the bytes one by one).
 */
uint32_t vm_port_io(struct vm *vm, uint16_t port, unsigned int size,
		    int write, uint32_t val);

/*
 * Handle one intercept message of @vp: 0 to run on, 1 if the VM ended,
 * -errno on a backend failure (the VM is ended with VM_EXIT_ERROR).
 */
int vm_handle_intercept(struct vm *vm, uint32_t vp,
			const struct hv_intercept_message *m);

/* The vCPU thread's loop; returns the VM's exit reason. */
enum vm_exit vm_vcpu_loop(struct vm *vm, uint32_t vp);

#endif /* HVWORKER_VMM_H */
