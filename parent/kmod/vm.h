/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mkhv.ko: one child partition ("VM") as its fd holds it, shared by vm.c
 * (life cycle, memory, VPs, RUN) and vm_synic.c (the SynIC transport of
 * the worker's VMBus server).
 */
#ifndef MKHV_KMOD_VM_H
#define MKHV_KMOD_VM_H

#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/wait.h>

#include <mkhv/hvcall_partition.h>
#include <mkhv/mkhv_ioctl.h>

enum vp_state {
	VP_NONE = 0,	/* not created */
	VP_NEW,		/* created, never run: RUN starts it */
	VP_RUNNING,	/* resumed, no message taken yet */
	VP_AT_MSG,	/* stopped at the message RUN returned */
};

struct mkhv_region {
	u64 gfn;
	u64 npages;
	struct page **pages;
};

struct mkhv_vp {
	struct mutex run_lock;	/* one RUN caller per VP */
	enum vp_state state;	/* under vm->lock */
};

struct mkhv_conn {
	u32 connection_id;	/* 0: free slot */
	u32 port_id;		/* mkhv_port_id(pid, slot) */
};

struct mkhv_vm {
	struct list_head node;	/* mkhv_vms, under mkhv_vms_lock */
	u64 pid;		/* the hv's partition id */
	u32 max_vps;
	struct mm_struct *mm;	/* the creator's; only it may use the VM */
	struct hv_intercept_message *icpt; /* one page: slot = VP index */
	wait_queue_head_t wq;
	struct mutex lock;	/* regions, VP states, hypercall ordering */
	u32 nr_regions;
	struct mkhv_region regions[MKHV_VM_MAX_REGIONS];
	struct mkhv_vp vps[MKHV_MAX_CHILD_VPS];
	struct mkhv_conn conns[MKHV_MAX_PORTS];	/* under lock */
	/*
	 * HvCallMkhvReceive's notify word: the hv stores 1 here (and sends
	 * 0xF3) when the child sends something after an armed pull.
	 */
	u64 rx_notify __aligned(8);
	wait_queue_head_t rx_wq;
	atomic_t rx_kick;	/* MKHV_VM_RECEIVE_KICK pending */
};

/*
 * mkhv_vm_synic_ioctl() - CONNECT, DISCONNECT, RECEIVE, RECEIVE_KICK,
 * POST_MESSAGE and SIGNAL_EVENT on @vm.  Return: the ioctl's result, or
 * -ENOTTY for any other @cmd.
 */
long mkhv_vm_synic_ioctl(struct mkhv_vm *vm, unsigned int cmd,
			 void __user *arg);

#endif /* MKHV_KMOD_VM_H */
