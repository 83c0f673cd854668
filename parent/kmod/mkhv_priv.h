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

#endif /* MKHV_KMOD_PRIV_H */
