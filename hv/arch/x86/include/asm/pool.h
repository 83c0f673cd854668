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

/* vcpu_vendor_run_child() (asm/vcpu.h) runs a VP for one slice. */

/** pool_loop() - a pool pCPU's life after boot; never returns. */
__noreturn void pool_loop(struct pcpu *cpu);

/**
 * pool_take_interrupts() - after an INTR exit: open GIF/IF for a moment
 * so the pending physical interrupt reaches the hv's handler.
 */
void pool_take_interrupts(void);

struct hv_vp;

/**
 * pool_vp_events() - bring @vp's interrupt state up to date at host TSC
 * @now: posted vectors, vLAPIC timer, synthetic timers.
 * Return: the vector deliverable now, or -1.
 */
int pool_vp_events(struct hv_vp *vp, u64 now);

/** pool_vp_next_due() - host TSC of @vp's next timer event, 0 = none. */
u64 pool_vp_next_due(struct hv_vp *vp);

/** pool_arm_timer() - fire this pCPU's timer at host TSC @deadline (0: off). */
void pool_arm_timer(u64 deadline);

/** pool_resched_pending() - this pCPU got a kick since it last looked. */
bool pool_resched_pending(void);

#endif /* MKHV_ASM_POOL_H */
