/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the VMX host tests (test_vmx_caps.c, test_vmx_child.c). */
#ifndef MKHV_TEST_VMX_HASWELL_H
#define MKHV_TEST_VMX_HASWELL_H

#include "vmx_caps.h"

/*
 * Capability MSRs of a Haswell-class CPU (the values Linux/KVM report on
 * an i7-4770; Bochs's corei7_haswell_4770 model is close to them).
 */
static inline struct vmx_caps haswell(void)
{
	return (struct vmx_caps){
		.basic = 0x00da040000000012ull,		/* rev 0x12, TRUE ctls */
		.pin = 0x0000007f00000016ull,
		.proc = 0xfff9fffe04006172ull,		/* TRUE: CR3 exits may be 0 */
		.proc2 = 0x000077ff00000000ull,
		.exit = 0x007fffff00036dfbull,
		.entry = 0x0000ffff000011fbull,
		.ept_vpid = 0x00000f0106734141ull,
		.cr0_fixed0 = 0x80000021ull,
		.cr0_fixed1 = 0xffffffffull,
		.cr4_fixed0 = 0x00002000ull,
		.cr4_fixed1 = 0x001727ffull,
	};
}

#endif /* MKHV_TEST_VMX_HASWELL_H */
