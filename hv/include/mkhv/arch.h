/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The services the portable hv core needs from the architecture code.
 *
 * This is the only way core files (hv/ *.c) reach arch code.  The x86 code
 * (hv/arch/x86/, lead) implements every function here; host unit tests link
 * fakes (tests/unit/hv_fakes.c).  Keep this list short and documented.
 */
#ifndef MKHV_ARCH_H
#define MKHV_ARCH_H

#include <mkhv/types.h>

struct hv_partition;

/**
 * arch_console_write() - emit log text on the hv console (serial port).
 * @s: bytes to write (not NUL-terminated)
 * @n: number of bytes
 *
 * Called by printk() with printk_lock held, so it is never entered twice at
 * once; it must not call printk().  "\n" is sent as is (the implementation
 * adds "\r" if its device needs it).
 */
void arch_console_write(const char *s, size_t n);

/**
 * arch_panic_stop() - stop the machine after a broken hv invariant.
 *
 * Called by panic()/ASSERT after the message has been printed.  Stops or
 * resets the machine as the cfg says; never returns.  Never called for guest
 * misbehaviour (that fails the guest only).
 */
__noreturn void arch_panic_stop(void);

/**
 * arch_cpu_relax() - hint inside a spin-wait loop (x86: PAUSE).
 */
void arch_cpu_relax(void);

/**
 * arch_read_tsc() - read this CPU's time-stamp counter.
 *
 * Return: the host TSC (x86: RDTSC).  TSCs are assumed synchronised across
 * pCPUs (invariant TSC), which the partition reference counter relies on.
 */
u64 arch_read_tsc(void);

/**
 * arch_hypercall_stub() - the instruction bytes of the hypercall page.
 * @buf: where to write the stub
 * @len: size of @buf (at least 8)
 *
 * TLFS 3.13: AMD `vmmcall; ret` (0f 01 d9 c3), Intel `vmcall; ret`
 * (0f 01 c1 c3).  The core pads the rest of the page with int3 (0xcc).
 *
 * Return: number of bytes written (4 on x86), 0 if @len is too small.
 */
size_t arch_hypercall_stub(u8 *buf, size_t len);

/**
 * arch_copy_from_guest() - copy bytes out of a partition's memory.
 * @part: partition whose guest-physical address space @gpa is in
 * @dst: hv buffer
 * @gpa: guest-physical start address
 * @len: number of bytes
 *
 * Translates through @part's NPT (never reads hv memory or another
 * partition's memory); the copy is a snapshot: the caller checks the copy,
 * never the guest page again.
 *
 * Return: 0 on success, -EFAULT if any byte of the range is not mapped
 * RAM of @part.
 * @see arch_copy_to_guest()
 */
int arch_copy_from_guest(struct hv_partition *part, void *dst, gpa_t gpa,
			 size_t len);

/**
 * arch_copy_to_guest() - copy bytes into a partition's memory.
 * @part: partition whose guest-physical address space @gpa is in
 * @gpa: guest-physical start address
 * @src: hv buffer
 * @len: number of bytes
 *
 * Return: 0 on success, -EFAULT if any byte of the range is not mapped,
 * writable RAM of @part (then nothing was written).
 * @see arch_copy_from_guest()
 */
int arch_copy_to_guest(struct hv_partition *part, gpa_t gpa, const void *src,
		       size_t len);

/**
 * arch_hv_mem_free() - free hv heap memory right now, in bytes.
 *
 * Reported by HvCallMkhvGetInfo.  May be called with no lock held.
 */
u64 arch_hv_mem_free(void);

#endif /* MKHV_ARCH_H */
