// SPDX-License-Identifier: GPL-2.0
/*
 * The child pool: every pCPU but the parent's runs pool_loop().  It asks
 * the scheduler (hv/sched.c) for the next runnable VP of its queue, runs
 * it for at most one time slice (the pCPU's LAPIC timer forces an exit),
 * accounts the time, and sleeps in HLT when nothing is runnable: an idle
 * pool costs nothing.  Kicks (a VP became runnable, or must stop) arrive
 * as an IPI on POOL_KICK_VECTOR.
 *
 * The hv runs with GIF and IF clear; interrupts are taken only in
 * pool_take_interrupts() and while idle, where the handlers just EOI.
 */
#include <mkhv/arch.h>
#include <mkhv/child.h>
#include <mkhv/vlapic.h>
#include <mkhv/stimer.h>
#include <mkhv/printk.h>
#include <mkhv/sched.h>
#include <asm/pool.h>
#include <asm/setup.h>
#include <asm/vcpu.h>
#include <asm/x86.h>

static volatile u32 resched[MAX_CPUS];	/* per pCPU: kicked since last look */

static u32 pool_cpu_of_slot(u32 slot)
{
	return slot + 1;	/* cpu0 runs the parent */
}

/*
 * pool_arm_timer() - this pCPU's LAPIC timer fires at host TSC @deadline
 * (0 disarms; a deadline already past fires at once).
 */
void pool_arm_timer(u64 deadline)
{
	u64 now = rdtsc();

	if (!deadline) {
		apic_timer_oneshot(0);
		return;
	}
	apic_timer_oneshot(deadline > now ?
			   (deadline - now) / (tsc_hz() / 1000000) + 1 : 1);
}

/* SVM keeps the hv's GIF clear; VMX has no GIF (and STGI would #UD). */
static bool has_gif(void)
{
	return vcpu_vendor == &svm_vendor_ops;
}

void pool_take_interrupts(void)
{
	if (has_gif())
		__asm__ volatile("stgi; sti; nop; cli; clgi" ::: "memory");
	else
		__asm__ volatile("sti; nop; cli" ::: "memory");
}

bool pool_resched_pending(void)
{
	return __atomic_exchange_n(&resched[this_cpu()->index], 0,
				   __ATOMIC_ACQ_REL);
}

/* Sleep until an interrupt; `sti; hlt` leaves no window for a lost kick. */
static void idle(void)
{
	if (has_gif())
		__asm__ volatile("stgi; sti; hlt; cli; clgi" ::: "memory");
	else
		__asm__ volatile("sti; hlt; cli" ::: "memory");
}

static void kick_slot(u32 slot)
{
	u32 cpu = pool_cpu_of_slot(slot);

	__atomic_store_n(&resched[cpu], 1, __ATOMIC_RELEASE);
	if (cpu != this_cpu()->index)
		apic_send_fixed(pcpus[cpu].apic_id, POOL_KICK_VECTOR);
}

void arch_vp_kick(struct hv_vp *vp)
{
	if (sched_attach(vp)) {
		pr_err("partition %u vp%u: no pool pCPU can take it\n",
		       vp->part->id, vp->index);
		return;
	}
	sched_wake(vp);
	kick_slot(vp->sched_cpu);
}

/*
 * Called by the parent's hypercalls (cpu0): ask the VP's pCPU to park it
 * and wait until it is off the CPU.  Bounded by one slice in practice.
 */
void arch_vp_stop(struct hv_vp *vp)
{
	u32 s;

	__atomic_store_n(&vp->stop_req, 1, __ATOMIC_RELEASE);
	if (vp->sched_attached)
		kick_slot(vp->sched_cpu);
	while (__atomic_load_n(&vp->state, __ATOMIC_ACQUIRE) == VP_RUNNING)
		pause();
	s = __atomic_load_n(&vp->state, __ATOMIC_ACQUIRE);
	if (s != VP_DEAD)
		__atomic_store_n(&vp->state, VP_STOPPED, __ATOMIC_RELEASE);
	__atomic_store_n(&vp->stop_req, 0, __ATOMIC_RELEASE);
}

void arch_vp_wake(struct hv_vp *vp)
{
	if (!vp->sched_attached)
		return;		/* not started yet: the start kicks it */
	sched_wake(vp);
	kick_slot(vp->sched_cpu);
}

/*
 * Halted VPs of this pCPU: a posted interrupt or an expired vLAPIC timer
 * ends their HLT; the earliest timer still ahead is where idle must wake.
 */
struct halted_scan {
	u64 now;
	u64 next_due;	/* host TSC, 0 = none */
};

int pool_vp_events(struct hv_vp *vp, u64 now)
{
	u64 off = vcpu_vendor_tsc_offset(vp->arch);

	child_pull_posted(vp);
	vlapic_timer_check(&vp->vlapic, now + off);
	stimer_check(&vp->stimers, &vp->vlapic, hyperv_ref_time(&vp->part->hv));
	return vlapic_pending(&vp->vlapic);
}

u64 pool_vp_next_due(struct hv_vp *vp)
{
	u64 off = vcpu_vendor_tsc_offset(vp->arch);
	u64 lapic = vlapic_timer_due(&vp->vlapic);
	u64 st = stimer_next_due(&vp->stimers);
	u64 a = lapic ? lapic - off : 0;	/* guest TSC -> host TSC */
	u64 b = st ? hyperv_ref_to_tsc(&vp->part->hv, st) : 0;

	if (!a)
		return b;
	return b && b < a ? b : a;
}

static void scan_halted(struct hv_vp *vp, void *ctx)
{
	struct halted_scan *hs = ctx;
	u64 due;

	if (!vp->halted || vp->state != VP_RUNNABLE)
		return;
	if (pool_vp_events(vp, hs->now) >= 0) {
		sched_wake_locked(vp);
		return;
	}
	due = pool_vp_next_due(vp);
	if (due && (!hs->next_due || due < hs->next_due))
		hs->next_due = due;
}

static void finish(struct hv_vp *vp, enum run_result r)
{
	u32 running = VP_RUNNING;

	if (r == RUN_HALT)
		__atomic_store_n(&vp->halted, 1, __ATOMIC_RELEASE);
	/* PARENT and DEAD already moved the state on. */
	if (r == RUN_HALT || r == RUN_YIELD)
		__atomic_compare_exchange_n(&vp->state, &running, VP_RUNNABLE,
					    false, __ATOMIC_ACQ_REL,
					    __ATOMIC_ACQUIRE);
}

void pool_loop(struct pcpu *cpu)
{
	u32 slot = cpu->index - 1;
	u64 slice = POOL_SLICE_US * (tsc_hz() / 1000000);

	apic_init();
	for (;;) {
		struct halted_scan hs = { .now = rdtsc() };
		u32 runnable = VP_RUNNABLE;
		enum run_result r;
		struct hv_vp *vp;
		u64 t0, t1, capped_until, budget;

		sched_for_each(slot, scan_halted, &hs);
		vp = sched_pick(slot, hs.now, &capped_until);
		if (!vp) {
			/*
			 * Tickless: sleep until a kick, the next vLAPIC timer
			 * or the next cap period of a throttled partition.
			 */
			if (capped_until && (!hs.next_due || capped_until < hs.next_due))
				hs.next_due = capped_until;
			pool_arm_timer(hs.next_due);
			if (!__atomic_exchange_n(&resched[cpu->index], 0,
						 __ATOMIC_ACQ_REL))
				idle();
			continue;
		}
		if (vp->stop_req ||
		    !__atomic_compare_exchange_n(&vp->state, &runnable,
						 VP_RUNNING, false,
						 __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE))
			continue;
		t0 = rdtsc();
		budget = sched_budget(vp, t0);	/* a cap ends the slice early */
		r = vcpu_vendor_run_child(vp->arch, t0 + MIN(slice, budget));
		pool_arm_timer(0);
		t1 = rdtsc();
		sched_ran(vp, t1, t1 - t0);
		finish(vp, r);
	}
}
