/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker's control channel (--control-fd N): hvd sends one command per
 * line and gets one line back for each, in order.
 *
 *   shutdown  ->  ok | unsupported <why> | error <why>
 *   reboot    ->  ok | unsupported <why> | error <why>
 *   stats     ->  stats cpu_time_ns=<N> vcpus=<N> exits=<N> | error <why>
 *   timesync  ->  ok | unsupported <why> | error <why>   (virsh domtime --sync)
 *   blkstats N ->  blkstats rd_req=<u64> rd_bytes=<u64> wr_req=<u64>
 *                  wr_bytes=<u64> fl_req=<u64> errs=<u64>   (one line)
 *                | error no disk N | error bad argument | unsupported <why>
 *   ifstats N  ->  ifstats rx_bytes=<u64> rx_packets=<u64> rx_errs=<u64>
 *                  rx_drop=<u64> tx_bytes=<u64> tx_packets=<u64>
 *                  tx_errs=<u64> tx_drop=<u64>   (one line)
 *                | error no nic N | error bad argument | unsupported <why>
 *   other     ->  error unknown command '<cmd>'
 *
 * N is the 0-based index of the worker's --disk (blkstats: virsh
 * domblkstat, the order of <disk> in the domain XML) or --nic (ifstats:
 * virsh domifstat, the order of <interface>) options: "blkstats" or
 * "ifstats", one space, then decimal digits only, below 2^32 ("blkstats",
 * "blkstats x", "blkstats 1x", "blkstats -1", "blkstats  1", "blkstats 1 "
 * and 2^32 or more: error bad argument).  Counters run from the worker's
 * start.  blkstats (docs/storvsp.md): READ and WRITE commands completed and
 * their bytes, SYNCHRONIZE CACHE completed, and those three that failed in
 * the backing (errs).  ifstats (docs/netvsp.md) from the guest's side as
 * libvirt reports it: rx = frames delivered into the guest, rx_drop =
 * frames for the guest it could not take, tx = the guest's frames written
 * to the tap, tx_errs = those that could not be; rx_errs and tx_drop are 0
 * (no such events).  Bytes are Ethernet frame bytes.  The other commands
 * take no argument: "stats 1" is an unknown command.
 *
 * What a command does is a hook (control_set_hook): the worker plugs in
 * stats; the VMBus shutdown integration service plugs in shutdown and
 * reboot when it exists, the time synchronization service timesync, the
 * VMBus devices blkstats and ifstats.  A command without a hook answers
 * "unsupported" (after its argument was checked).
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
	CONTROL_BLKSTATS,
	CONTROL_IFSTATS,
	CONTROL_NR_CMDS,
};

/*
 * A hook fills @reply (one line, no newline) and returns 0 or -errno.
 * @arg: NULL for a command without argument; for blkstats/ifstats the
 * index as sent, already checked by control_parse_index().
 */
typedef int (*control_hook)(void *ctx, const char *arg, char *reply, size_t len);

/*
 * control_parse_index() - @arg as a command's index: decimal digits only,
 * below 2^32.  0 with the value in @n, or -EINVAL.
 */
int control_parse_index(const char *arg, uint32_t *n);

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

int control_stats_hook(void *ctx, const char *arg, char *reply, size_t len);

#endif /* HVWORKER_CONTROL_H */
