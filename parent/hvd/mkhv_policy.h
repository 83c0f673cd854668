/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mkhv backend's verdict when a worker ends: its wait status (exit
 * code as parent/worker/worker.h defines it, or a signal) and the domain's
 * <on_poweroff>/<on_reboot>/<on_crash> give the libvirt state and reason,
 * or a restart.
 */
#ifndef MKHV_HVD_MKHV_POLICY_H
#define MKHV_HVD_MKHV_POLICY_H

#include <stdbool.h>

#include "domain.h"

enum mkhv_end {
	MKHV_END_POWEROFF,      /* exit 0: the guest powered off */
	MKHV_END_REBOOT,        /* exit 2: the guest rebooted */
	MKHV_END_CRASH,         /* exit 3 (halted, triple fault) or a signal */
	MKHV_END_ERROR,         /* exit 1 or anything else: the worker failed */
};

struct mkhv_verdict {
	enum mkhv_end end;
	bool restart;           /* start a new worker, the domain stays running */
	int state;              /* virDomainState when not restarting */
	int reason;             /* its virDomain*Reason */
};

/* mkhv_end_of() - what a worker's wait status means. */
enum mkhv_end mkhv_end_of(int wait_status);
const char *mkhv_end_name(enum mkhv_end e);

struct mkhv_verdict mkhv_verdict(const struct domain_def *def, int wait_status);

/*
 * What hvd does when a guest that answered its VMBus heartbeat stops
 * answering (the worker's "heartbeat N hung"): <on_crash> destroy,
 * restart and rename-restart end the worker as crashed (then
 * mkhv_verdict() applies), preserve leaves the guest as it is for
 * analysis.  A guest that never answered (no hv_utils) never gets here.
 */
enum mkhv_hung_action {
	MKHV_HUNG_LOG,          /* log only */
	MKHV_HUNG_KILL,         /* end the worker: a crash */
};

enum mkhv_hung_action mkhv_hung_action(const struct domain_def *def);

#endif /* MKHV_HVD_MKHV_POLICY_H */
