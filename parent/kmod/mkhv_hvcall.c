// SPDX-License-Identifier: GPL-2.0
/*
 * The one place mkhv.ko touches Linux's Hyper-V guest code: the hypercall
 * page Linux's hyperv_init() set up (hv_hypercall_pg) and
 * hv_do_hypercall(), which passes the input and output pages by their
 * guest-physical addresses (TLFS §3: RCX control, RDX input GPA, R8 output
 * GPA, RAX result).
 */
#include <asm/mshyperv.h>

#include "mkhv_priv.h"

bool mkhv_hypercall_ready(void)
{
	return READ_ONCE(hv_hypercall_pg) != NULL;
}

u64 mkhv_hypercall(u64 control, void *in, void *out)
{
	return hv_do_hypercall(control, in, out);
}
