/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: the VM's VMBus server in the worker (vmbus_host.h) — started
 * with the VM when a transport is given (mkhv.ko's, in hvworker.c), wired
 * to the control channel (hvd's `shutdown` / `reboot` become requests of
 * the shutdown integration service), and reporting what changed
 * (VMBus version, heartbeats, KVP) on the status stream for hvd.
 */
#ifndef HVWORKER_WORKER_VMBUS_H
#define HVWORKER_WORKER_VMBUS_H

#include <stdint.h>
#include <stdio.h>

#include "control.h"
#include "disk_backend.h"
#include "guest.h"
#include "nic.h"
#include "vmbus_host.h"

struct worker_vmbus {
	struct vmbus_host *host;	/* NULL: the VM runs without VMBus */
	struct vmbus_host_seen seen;
	unsigned int ticks;
	struct nic *nics[NIC_MAX];	/* by --nic index; NULL: not started */
	struct disk *disks[DISK_MAX_DISKS];	/* the SCSI controller's LUNs */
	unsigned int ndisks;
	struct storvsp *storvsp;
};

/*
 * Open the VM's disks (before worker_vmbus_start(), which serves them
 * through the storage VSP; worker_vmbus_stop() closes them).  Resets @wv.
 * 0, or -errno with a reason in @err (nothing left open).
 */
int worker_vmbus_disks(struct worker_vmbus *wv, const struct disk_spec *specs,
		       unsigned int n, char *err, size_t errlen);

/*
 * Start the server for @nr_vps VPs over @mem on transport @ops/@ctx (NULL
 * @ops: no VMBus, not an error) and hook shutdown/reboot into @ctl; the
 * VMBus thread spins up to @poll_us for a storage request (--vmbus-poll-us).
 * A server that cannot start is logged on @status; the VM runs without it.
 */
void worker_vmbus_start(struct worker_vmbus *wv,
			const struct vmbus_transport_ops *ops, void *ctx,
			const struct guest_mem *mem, uint32_t nr_vps,
			uint32_t poll_us, struct control *ctl, FILE *status);

/*
 * Offer a synthetic NIC per @specs (tap on a bridge, nic.h); one that
 * cannot be set up is reported on @status ("hvworker: nic <i> error
 * <why>") and left out.  No-op without VMBus.
 */
void worker_vmbus_nics(struct worker_vmbus *wv, const struct nic_spec *specs,
		       uint32_t n, FILE *status);

/*
 * The control channel's blkstats / ifstats hooks (control.h), @ctx the
 * worker_vmbus: "blkstats ..." of disk @arg (its --disk index), "ifstats
 * ..." of the NIC of the @arg-th --nic; "error no disk N" / "error no nic
 * N" when there is none (or it did not start).  Set by
 * worker_vmbus_start() once the server runs.
 */
int worker_vmbus_blkstats_hook(void *ctx, const char *arg, char *reply, size_t len);
int worker_vmbus_ifstats_hook(void *ctx, const char *arg, char *reply, size_t len);

/* Called every 10 ms by the main thread: reports changes once a second. */
void worker_vmbus_tick(struct worker_vmbus *wv, FILE *status);

/* Stop and free the server (before guest RAM goes away). */
void worker_vmbus_stop(struct worker_vmbus *wv);

#endif /* HVWORKER_WORKER_VMBUS_H */
