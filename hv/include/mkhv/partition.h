/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The portable part of a partition and of a virtual processor.  The arch
 * code embeds or points to these from its own structures (VMCB, NPT...)
 * through the @arch pointers; core code only sees these fields.
 */
#ifndef MKHV_PARTITION_H
#define MKHV_PARTITION_H

#include <mkhv/types.h>
#include <mkhv/hyperv.h>
#include <mkhv/spinlock.h>
#include <mkhv/hvcall_partition.h>
#include <mkhv/vlapic.h>
#include <mkhv/stimer.h>
#include <mkhv/synic.h>

#define HV_PARENT_PARTITION_ID	0

/*
 * Child lifecycle (TLFS root calls, partition.c):
 *   FREE --Create--> CREATED --Initialize--> INITIALIZED --Finalize-->
 *   FINALIZED --Delete--> FREE.  Delete from any state stops the VPs first.
 * Memory may be mapped and VPs created in CREATED and INITIALIZED; VPs run
 * only in INITIALIZED.
 */
enum partition_state {
	PART_FREE = 0,
	PART_CREATED,
	PART_INITIALIZED,
	PART_FINALIZED,
};

struct hv_vp;
struct port_table;

struct hv_partition {
	u32 id;				/* 0 = the parent, children 1.. */
	bool is_parent;
	struct hyperv_partition hv;	/* CPUID profile, synthetic MSRs */
	void *arch;			/* arch/vendor state (lead) */

	/* Children only; part_lock protects all of these. */
	spinlock_t part_lock;
	enum partition_state state;
	u32 max_vps;			/* VP indexes 0..max_vps-1 */
	u32 cpu_weight;			/* relative share, default 1024 */
	u32 cpu_cap_permille;		/* 0 = uncapped */
	/* The cap's accounting (sched.c), under cap_lock: the current
	 * period's start (host TSC) and the run time charged in it. */
	spinlock_t cap_lock;
	u64 cap_period_start, cap_used;
	struct hv_vp *vps[MKHV_MAX_CHILD_VPS];
	u64 intercept_page;		/* parent GPA of the message page, 0 = none */
	u64 nr_mapped;			/* pages mapped (= lent by the parent) */
	/*
	 * Ports the parent installed intercepts for (intercept.c): a bit
	 * per port, reads in pages 0-1, writes in pages 2-3; NULL pages
	 * have no port claimed.  Published with release stores, read by
	 * the pool pCPUs without part_lock.
	 */
	u8 *io_claimed[4];
	/*
	 * SynIC ports and connections, the queue of the child's messages
	 * (port.c); NULL until the first port.  Published with a release
	 * store, read by the child's pool pCPUs with an acquire load.
	 */
	struct port_table *ports;
};

/* Hypercall parameter pages, copied in once (hypercall.c). */
struct hv_hypercall_buf {
	u8 in[PAGE_SIZE] __aligned(8);
	u8 out[PAGE_SIZE] __aligned(8);
};

/*
 * VP run states.  The parent moves STOPPED/WAITING -> RUNNABLE (ResumeVp);
 * the pool pCPU running it moves RUNNABLE <-> RUNNING and, on an intercept
 * the parent must handle, RUNNING -> WAITING; DEAD is final (triple fault).
 */
enum vp_state {
	VP_STOPPED = 0,
	VP_RUNNABLE,
	VP_RUNNING,
	VP_WAITING,
	VP_DEAD,
};

struct hv_vp {
	struct hv_partition *part;
	struct hyperv_vp hv;		/* VP_INDEX, VP assist page */
	struct hv_hypercall_buf hc;	/* only this VP's pCPU uses it */
	void *arch;			/* VMCB/VMCS etc. (lead) */
	u32 index;			/* VP index in the partition */
	volatile u32 state;		/* enum vp_state, atomics only */

	/* Scheduling (sched.c); the pool pCPU's run-queue lock protects these. */
	u32 sched_cpu;			/* pool slot the VP is placed on */
	bool sched_attached;
	u64 vruntime;			/* weighted run time, TSC ticks */
	volatile u32 halted;		/* in HLT with nothing to deliver */
	volatile u32 stop_req;		/* arch_vp_stop() asks the pCPU to park it */
	u64 run_ticks;			/* TSC ticks spent in the guest (atomics) */
	u64 nr_exits;			/* exits taken; written by its pCPU only */

	/*
	 * Interrupts: the vLAPIC belongs to the pCPU running the VP; other
	 * senders post vectors into posted_irr (atomic OR), which the owner
	 * pulls in before each entry (child_pull_posted()).
	 */
	struct vlapic vlapic;
	struct hv_stimers stimers;	/* synthetic timers, direct mode */
	struct hv_synic synic;		/* SynIC registers, message posting */
	struct synic_inbox inbox;	/* the parent's messages/events for it */
	u64 posted_irr[4];
	volatile u32 wait_sipi;		/* AP before its SIPI: not runnable */
	volatile u32 sipi_vector;	/* set by a SIPI, consumed by the pCPU */
};

#endif /* MKHV_PARTITION_H */
