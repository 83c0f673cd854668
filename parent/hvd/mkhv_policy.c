// SPDX-License-Identifier: GPL-2.0
/* hvd: what a worker's end does to its domain (mkhv_policy.h). */
#include <sys/wait.h>

#include <libvirt/libvirt.h>

#include "mkhv_policy.h"

/* hvworker's exit codes (parent/worker/worker.h). */
#define WORKER_EXIT_SHUTDOWN 0
#define WORKER_EXIT_REBOOT   2
#define WORKER_EXIT_CRASHED  3

enum mkhv_end mkhv_end_of(int st)
{
	if (WIFSIGNALED(st))
		return MKHV_END_CRASH;
	if (!WIFEXITED(st))
		return MKHV_END_ERROR;
	switch (WEXITSTATUS(st)) {
	case WORKER_EXIT_SHUTDOWN:
		return MKHV_END_POWEROFF;
	case WORKER_EXIT_REBOOT:
		return MKHV_END_REBOOT;
	case WORKER_EXIT_CRASHED:
		return MKHV_END_CRASH;
	default:
		return MKHV_END_ERROR;
	}
}

const char *mkhv_end_name(enum mkhv_end e)
{
	switch (e) {
	case MKHV_END_POWEROFF: return "powered off";
	case MKHV_END_REBOOT:   return "rebooted";
	case MKHV_END_CRASH:    return "crashed";
	default:                return "failed";
	}
}

struct mkhv_verdict mkhv_verdict(const struct domain_def *def, int st)
{
	struct mkhv_verdict v = { .end = mkhv_end_of(st),
				  .state = VIR_DOMAIN_SHUTOFF };
	enum domain_lifecycle lc;

	switch (v.end) {
	case MKHV_END_POWEROFF:
		lc = def->on_poweroff;
		v.reason = VIR_DOMAIN_SHUTOFF_SHUTDOWN;
		break;
	case MKHV_END_REBOOT:
		lc = def->on_reboot;
		v.reason = VIR_DOMAIN_SHUTOFF_SHUTDOWN;
		break;
	case MKHV_END_CRASH:
		lc = def->on_crash;
		v.reason = VIR_DOMAIN_SHUTOFF_CRASHED;
		/* preserve: keep the domain, crashed, until destroyed. */
		if (lc == DOMAIN_LC_PRESERVE) {
			v.state = VIR_DOMAIN_CRASHED;
			v.reason = VIR_DOMAIN_CRASHED_PANICKED;
			return v;
		}
		break;
	default:
		/* The worker failed: nothing to restart into. */
		v.reason = VIR_DOMAIN_SHUTOFF_FAILED;
		return v;
	}
	/* rename-restart has nothing to rename in mkhv: a restart. */
	v.restart = lc == DOMAIN_LC_RESTART || lc == DOMAIN_LC_RENAME_RESTART;
	return v;
}

enum mkhv_hung_action mkhv_hung_action(const struct domain_def *def)
{
	return def->on_crash == DOMAIN_LC_PRESERVE ? MKHV_HUNG_LOG :
						     MKHV_HUNG_KILL;
}
