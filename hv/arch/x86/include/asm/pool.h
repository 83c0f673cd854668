/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The child pool on x86: every pCPU but the parent's runs pool_loop(),
 * which asks sched.c what to run and runs it through the vendor backend.
 */
#ifndef MKHV_ASM_POOL_H
#define MKHV_ASM_POOL_H

#include <mkhv/types.h>

#define POOL_KICK_VECTOR	0xf0	/* "look at your run queue" IPI */
#define POOL_TIMER_VECTOR	0xef	/* end of a time slice */
#define POOL_SLICE_US		10000

struct pcpu;
struct vcpu_x86;

/* What a vendor run of a child VP ended with. */
enum run_result {
	RUN_CONTINUE,	/* (internal) re-enter the guest */
	RUN_YIELD,	/* slice over, kicked or asked to stop: still runnable */
	RUN_HALT,	/* HLT with nothing to deliver: idle until woken */
	RUN_PARENT,	/* an intercept went to the parent: VP_WAITING */
	RUN_DEAD,	/* triple fault or a state the CPU refused */
};

/**
 * vcpu_vendor_run_child() - run child VP @v on this pool pCPU until an
 * exit needs the scheduler or the parent, or the TSC passes @slice_end.
 */
enum run_result vcpu_vendor_run_child(struct vcpu_x86 *v, u64 slice_end);

/** pool_loop() - a pool pCPU's life after boot; never returns. */
__noreturn void pool_loop(struct pcpu *cpu);

/**
 * pool_take_interrupts() - after an INTR exit: open GIF/IF for a moment
 * so the pending physical interrupt reaches the hv's handler.
 */
void pool_take_interrupts(void);

/** pool_resched_pending() - this pCPU got a kick since it last looked. */
bool pool_resched_pending(void);

#endif /* MKHV_ASM_POOL_H */
