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
 * arch_guest_or64() - atomically OR @bits into the u64 at @gpa of @part.
 * @gpa: 8-byte aligned guest-physical address of writable RAM
 * @old: out: the value before the OR
 *
 * For flag pages the guest updates concurrently (SIEF: the guest clears
 * flags with atomic test-and-clear while the hv sets others).
 * Return: 0, or -EFAULT (unaligned, not mapped writable RAM of @part).
 */
int arch_guest_or64(struct hv_partition *part, gpa_t gpa, u64 bits, u64 *old);

/**
 * arch_hv_mem_free() - free hv heap memory right now, in bytes.
 *
 * Reported by HvCallMkhvGetInfo.  May be called with no lock held.
 */
u64 arch_hv_mem_free(void);

/* ---- child partitions (issue 7): implemented per vendor ---- */

struct hv_vp;
struct hv_register_value;

/**
 * arch_partition_create() - second-level page tables and the rest of the
 * arch state of a new child @p.  Return: 0 or -ENOMEM.
 * @see arch_partition_destroy()
 */
int arch_partition_create(struct hv_partition *p);

/**
 * arch_partition_destroy() - free what arch_partition_create() made.  Every
 * VP has been destroyed; mappings are dropped wholesale (the core returns
 * the pages to the parent through the ownership table).
 */
void arch_partition_destroy(struct hv_partition *p);

/**
 * arch_gpa_map() - map child page @gpa to host page @hpa with HV_MAP_GPA_*
 * @flags.  Return: 0, -EEXIST (@gpa already mapped), -ENOMEM.
 * @see arch_gpa_unmap()
 */
int arch_gpa_map(struct hv_partition *p, gpa_t gpa, hpa_t hpa, u32 flags);

/**
 * arch_gpa_unmap() - unmap child page @gpa, flush every pCPU's TLB for
 * the child and say which host page it was.  Return: 0 or -ENOENT.
 */
int arch_gpa_unmap(struct hv_partition *p, gpa_t gpa, hpa_t *hpa);

/**
 * arch_vp_create() - the control block of a new child VP in its reset
 * state (x86: real mode at F000:FFF0 as after INIT).  Return: 0, -ENOMEM.
 * @see arch_vp_destroy()
 */
int arch_vp_create(struct hv_vp *vp);

/** arch_vp_destroy() - free a VP that is not running (VP_STOPPED/WAITING/DEAD). */
void arch_vp_destroy(struct hv_vp *vp);

/**
 * arch_vp_get_reg() / arch_vp_set_reg() - one TLFS register of a VP that
 * is not running.  Return: 0 or -EINVAL (unknown or unsupported name, or
 * a value the hardware would refuse).
 */
int arch_vp_get_reg(struct hv_vp *vp, u32 name, struct hv_register_value *v);
int arch_vp_set_reg(struct hv_vp *vp, u32 name,
		    const struct hv_register_value *v);

/**
 * arch_vp_kick() - @vp became VP_RUNNABLE: make a pool pCPU pick it up.
 * @see arch_vp_stop()
 */
void arch_vp_kick(struct hv_vp *vp);

/**
 * arch_vp_stop() - take @vp off the pool: returns once it is not running
 * (its state is then VP_STOPPED, or VP_DEAD if it was dead).
 */
void arch_vp_stop(struct hv_vp *vp);

/**
 * arch_vp_wake() - @vp has something to deliver (posted interrupt, SIPI):
 * end its HLT and make its pCPU look at it.
 */
void arch_vp_wake(struct hv_vp *vp);

/** arch_notify_parent() - send the parent the callback IPI (vector 0xF3). */
void arch_notify_parent(void);

#endif /* MKHV_ARCH_H */
