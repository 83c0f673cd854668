/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mkhv.ko internals.  The hypercall wrapper lives in its own file because
 * Linux's <asm/mshyperv.h> and mkhv's <mkhv/hvcall.h> both define the TLFS
 * constants (HV_STATUS_*, HV_HYPERCALL_*) with different spellings; no
 * file includes both.
 */
#ifndef MKHV_KMOD_PRIV_H
#define MKHV_KMOD_PRIV_H

#include <linux/types.h>

/* True once Linux's Hyper-V init has set up the hypercall page. */
bool mkhv_hypercall_ready(void);

/*
 * One slow hypercall: @in and @out are page-aligned pages of the direct
 * map (or NULL).  Returns the raw RAX value; U64_MAX if there is no
 * hypercall page.
 */
u64 mkhv_hypercall(u64 control, void *in, void *out);

/* hv_setup_vmbus_handler() / hv_remove_vmbus_handler(): the 0xF3 callback. */
void mkhv_set_callback(void (*handler)(void));
void mkhv_clear_callback(void);

/*
 * The device's two hypercall pages (mkhv_main.c), for the VM code:
 * mkhv_hc_begin() takes the lock and returns the zeroed input page;
 * mkhv_hc_call() issues @code with @reps repetitions (0: a simple call)
 * and returns 0 or -errno, the reps the hv completed in *@reps_done (may be
 * NULL) and the output page in *@out (may be NULL); mkhv_hc_end() unlocks.
 */
void *mkhv_hc_begin(void);
int mkhv_hc_call(u16 code, u32 reps, u32 *reps_done, void **out);
void mkhv_hc_end(void);

/* vm.c: MKHV_IOC_CREATE_VM, and its setup/teardown at module load/unload. */
long mkhv_ioc_create_vm(void __user *arg);
void mkhv_vm_init(void);
void mkhv_vm_exit(void);

#endif /* MKHV_KMOD_PRIV_H */
