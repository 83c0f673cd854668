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

/**
 * sched_pick() - the VP pool slot @cpu should run next: the runnable, not
 * halted VP with the smallest vruntime; NULL when none is.
 */
struct hv_vp *sched_pick(u32 cpu);

/**
 * sched_ran() - account @ticks of run time to @vp (weighted by its
 * partition's cpu_weight).
 */
void sched_ran(struct hv_vp *vp, u64 ticks);

/**
 * sched_wake() - @vp left HLT or became runnable: it restarts at the
 * queue's minimum vruntime, so a sleeper neither starves the others nor
 * gets a burst of catch-up time.
 */
void sched_wake(struct hv_vp *vp);

#endif /* MKHV_SCHED_H */
