/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker's control channel (--control-fd N): hvd sends one command per
 * line and gets one line back for each, in order.
 *
 *   shutdown  ->  ok | unsupported <why> | error <why>
 *   reboot    ->  ok | unsupported <why> | error <why>
 *   stats     ->  stats cpu_time_ns=<N> vcpus=<N> exits=<N> | error <why>
 *   timesync  ->  ok | unsupported <why> | error <why>   (virsh domtime --sync)
 *   other     ->  error unknown command '<cmd>'
 *
 * What a command does is a hook (control_set_hook): the worker plugs in
 * stats; the VMBus shutdown integration service plugs in shutdown and
 * reboot when it exists, the time synchronization service timesync.  A command without a hook answers "unsupported".
 * EOF on the channel (hvd went away) ends the channel, not the VM.
 */
#ifndef HVWORKER_CONTROL_H
#define HVWORKER_CONTROL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmm.h"

#define CONTROL_LINE_MAX	256	/* longer command lines are refused */

enum control_cmd {
	CONTROL_SHUTDOWN,
	CONTROL_REBOOT,
	CONTROL_STATS,
	CONTROL_TIMESYNC,
	CONTROL_NR_CMDS,
};

/* A hook fills @reply (one line, no newline) and returns 0 or -errno. */
typedef int (*control_hook)(void *ctx, char *reply, size_t len);

struct control {
	int fd;
	struct {
		control_hook fn;
		void *ctx;
	} hooks[CONTROL_NR_CMDS];
	pthread_mutex_t lock;	/* hooks may be set while the thread runs */
	pthread_t thread;
	bool running;
};

void control_init(struct control *c, int fd);
void control_set_hook(struct control *c, enum control_cmd cmd,
		      control_hook fn, void *ctx);

/*
 * control_handle() - the answer to one command line @line (no newline) in
 * @reply (no newline).
 */
void control_handle(struct control *c, const char *line, char *reply,
		    size_t len);

/*
 * control_serve() - read commands from c->fd and answer them until EOF or
 * an error; lines longer than CONTROL_LINE_MAX are answered with an error
 * and skipped.  Returns 0 at EOF, -errno on a read/write error.
 */
int control_serve(struct control *c);

/* Run control_serve() in a thread (0 or -errno) / stop and join it. */
int control_start(struct control *c);
void control_stop(struct control *c);

/*
 * The worker's stats hook: the hv's counters of the VM's VPs summed
 * (vm_read_stats(): HvRegisterVpRuntime in ns, exits), as
 * "stats cpu_time_ns=N vcpus=N exits=N"; @ctx is a struct control_stats.
 */
struct control_stats {
	struct vm *vm;
	uint32_t nr_vps;
};

int control_stats_hook(void *ctx, char *reply, size_t len);

#endif /* HVWORKER_CONTROL_H */
