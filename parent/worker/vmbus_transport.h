/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: the VMBus server's transport (struct vmbus_transport_ops,
 * vmbus_host.h) on a mkhv.ko VM fd: connections are the hv's ports
 * (MKHV_VM_CONNECT), replies HvPostMessageDirect / HvSignalEventDirect,
 * and the guest's messages and events come from MKHV_VM_RECEIVE, which
 * returns a batch that wait() hands out one at a time.  Only the VMBus
 * thread calls wait(); kick() may come from any thread.
 */
#ifndef HVWORKER_VMBUS_TRANSPORT_H
#define HVWORKER_VMBUS_TRANSPORT_H

#include <stdbool.h>
#include <stdint.h>

#include <mkhv/mkhv_ioctl.h>

#include "vmbus_host.h"

struct vmbus_transport_mkhv {
	int vm_fd;
	struct mkhv_vm_receive rx;	/* the last batch */
	uint32_t msg_pos, ev_pos;	/* what wait() handed out of it */
	bool inbox_space;		/* a SLOT_FREE still to report */
};

void vmbus_transport_mkhv_init(struct vmbus_transport_mkhv *t, int vm_fd);

extern const struct vmbus_transport_ops vmbus_transport_mkhv_ops;

#endif /* HVWORKER_VMBUS_TRANSPORT_H */
