/* SPDX-License-Identifier: GPL-2.0 */
/* Fakes of the arch_* services (mkhv/arch.h) for host unit tests. */
#ifndef MKHV_TEST_HV_FAKES_H
#define MKHV_TEST_HV_FAKES_H

#include <mkhv/types.h>

/* Everything arch_console_write() received, NUL-terminated. */
extern char fake_console[65536];
extern size_t fake_console_len;
void fake_console_reset(void);

/* arch_read_tsc() returns this. */
extern u64 fake_tsc;
/* arch_hv_mem_free() returns this. */
extern u64 fake_hv_mem_free;
/* arch_hypercall_stub(): 0 = AMD vmmcall, 1 = Intel vmcall. */
extern int fake_vendor_intel;

/*
 * Guest memory of every partition in the fakes: fake_guest_size bytes at
 * guest-physical fake_guest_base.  Copies outside it fail with -EFAULT.
 */
#define FAKE_GUEST_SIZE (64 * 1024)
extern u8 fake_guest_mem[FAKE_GUEST_SIZE];
extern gpa_t fake_guest_base;
extern unsigned int fake_copy_from_calls, fake_copy_to_calls;
/* Called before each arch_copy_from_guest() copy (a racing guest); NULL = none. */
extern void (*fake_copy_from_hook)(gpa_t gpa, size_t len);
void fake_guest_reset(void);

/* Child-partition fakes: failure injection and call counters. */
struct hv_partition;
extern int fake_fail_partition_create, fake_fail_vp_create, fake_fail_map;
extern unsigned int fake_kicks, fake_stops, fake_notifies, fake_flushes;
extern unsigned int fake_wakes;
/* What the fake second-level table maps @gpa to: 0 or -ENOENT. */
int fake_lookup(struct hv_partition *p, gpa_t gpa, hpa_t *hpa, u32 *flags);

#endif /* MKHV_TEST_HV_FAKES_H */
