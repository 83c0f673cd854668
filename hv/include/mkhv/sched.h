/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The child-pool scheduler (issue 7): each pool pCPU has a run queue of the
 * VPs placed on it; it runs the runnable VP with the smallest weighted run
 * time (stride scheduling: a VP's vruntime advances by ran * 1024 / weight,
 * so CPU time splits in proportion to <cputune><shares>).  Idle VPs (HLT)
 * are not runnable and cost nothing.  Portable: the pool loop that calls
 * sched_pick()/sched_ran() is arch code.
 */
#ifndef MKHV_SCHED_H
#define MKHV_SCHED_H

#include <mkhv/partition.h>

#define SCHED_MAX_POOL		63	/* pool pCPUs */
#define SCHED_MAX_PER_CPU	64	/* VPs placed on one pool pCPU */
#define SCHED_WEIGHT_DEFAULT	1024

/** sched_init() - @nr pool pCPUs, slots 0..nr-1 (arch maps them to pCPUs). */
void sched_init(u32 nr);

/** sched_nr_pool() - pool pCPUs given to sched_init(). */
u32 sched_nr_pool(void);

/**
 * sched_attach() - place @vp on the least loaded pool pCPU (once; a VP
 * stays where it was placed).  Return: 0, -ENOSPC (no pool, or every
 * queue full).
 */
int sched_attach(struct hv_vp *vp);

/** sched_detach() - take @vp off its queue (it must not be running). */
void sched_detach(struct hv_vp *vp);

/*
 * Caps (<cputune><period>/<quota>, as cpu_cap_permille of one pCPU summed
 * over the partition's VPs): each period of SCHED_CAP_PERIOD_MS a
 * partition may run cap_permille / 1000 of the period on all its VPs
 * together; past that its VPs are not picked until the next period
 * (CFS bandwidth control does the same for libvirt's quota).
 */
#define SCHED_CAP_PERIOD_MS	100

/**
 * sched_pick() - the VP pool slot @cpu should run next at host TSC @now:
 * the runnable, not halted, not throttled VP with the smallest vruntime;
 * NULL when none is.  @wake_at (may be NULL) gets the earliest TSC at
 * which a VP skipped for its cap may run again (0: none was skipped).
 */
struct hv_vp *sched_pick(u32 cpu, u64 now, u64 *wake_at);

/**
 * sched_budget() - how many TSC ticks @vp may run from @now before its
 * partition's cap stops it (~0 when uncapped): the pool ends the slice
 * there.
 */
u64 sched_budget(struct hv_vp *vp, u64 now);

/**
 * sched_ran() - account @ticks of run time, ending at @now, to @vp
 * (weighted by its partition's cpu_weight) and to its partition's cap.
 */
void sched_ran(struct hv_vp *vp, u64 now, u64 ticks);

/**
 * sched_wake() - @vp left HLT or became runnable: it restarts at the
 * queue's minimum vruntime, so a sleeper neither starves the others nor
 * gets a burst of catch-up time.
 */
void sched_wake(struct hv_vp *vp);

/** sched_wake_locked() - sched_wake() from a sched_for_each() callback. */
void sched_wake_locked(struct hv_vp *vp);

/**
 * sched_for_each() - call @fn on every VP placed on pool slot @cpu, with
 * the queue locked (@fn must not take it again or block).
 */
void sched_for_each(u32 cpu, void (*fn)(struct hv_vp *vp, void *ctx),
		    void *ctx);

#endif /* MKHV_SCHED_H */
