/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A simple test-and-set spinlock on GCC's __atomic builtins (works in the
 * hv and on the host).  Unlock in the function that locked (STYLE §4).
 */
#ifndef MKHV_SPINLOCK_H
#define MKHV_SPINLOCK_H

#include <mkhv/arch.h>

typedef struct {
	volatile u32 locked;
} spinlock_t;

#define SPINLOCK_INIT	{ 0 }

static inline void spin_lock_init(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			arch_cpu_relax();
}

static inline void spin_unlock(spinlock_t *l)
{
	/* Release: the protected stores are seen before the lock is free. */
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif /* MKHV_SPINLOCK_H */
