/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intercepts the parent installs for a child (HvCallInstallIntercept).
 *
 * Only port I/O is installable.  A port access the parent claimed goes to
 * it as an intercept message (its worker emulates the device); any other
 * port behaves as an ISA bus with nothing on it, answered by the hv on the
 * pool pCPU without waking the parent: reads return all-ones, writes are
 * dropped.  Guests probe many legacy ports (PIC, PIT, DMA, port 0x80
 * delays, PCI config): forwarding each would cost a parent round trip.
 */
#ifndef MKHV_INTERCEPT_H
#define MKHV_INTERCEPT_H

#include <mkhv/hypercall.h>
#include <mkhv/partition.h>

/**
 * intercept_io_claimed() - does an access of @size bytes at @port by a VP
 * of @p go to the parent?  True if any byte's port is claimed for that
 * direction (an access past 0xffff wraps, as the I/O bus does).
 */
bool intercept_io_claimed(const struct hv_partition *p, u16 port, u8 size,
			  bool write);

/** intercept_free() - drop every installed intercept (partition delete). */
void intercept_free(struct hv_partition *p);

/* HvCallInstallIntercept, parent only (hypercall.c's table). */
u16 hc_install_intercept(struct hypercall_args *a);

#endif /* MKHV_INTERCEPT_H */
