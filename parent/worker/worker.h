/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: one running VM (DESIGN §1): command line, guest RAM, direct
 * Linux boot, console, vCPU threads and the status lines hvd reads.
 *
 * Status lines (stdout, one per event, machine-readable):
 *   hvworker: partition <id>            after the VM exists
 *   hvworker: console-pty <path>        with --console-pty
 *   hvworker: state running             vCPU 0 is about to start
 *   hvworker: state <reason>            shutdown | reboot | halted |
 *                                       crashed | error, then
 *   hvworker: detail <text>             why, in words
 *   hvworker: stats runtime_ns <n> exits <n> io_exits <n>
 *                                       on SIGUSR2: the hv's counters
 *                                       summed over the VPs, and the port
 *                                       intercepts the worker handled
 * Exit status: 0 shutdown, 2 reboot, 3 halted/crashed, 1 error.
 *
 * With --control-fd N, hvd's commands arrive on fd N (control.h).
 */
#ifndef HVWORKER_WORKER_H
#define HVWORKER_WORKER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "nic.h"
#include "disk_backend.h"
#include "vmm.h"

#define WORKER_NAME_MAX		64
#define WORKER_POLL_US_DEFAULT	1000	/* adaptive: see vmbus_host_poll_adjust() */
#define WORKER_POLL_US_MAX	100000
#define WORKER_KERNEL_MAX	(256ULL << 20)	/* a bzImage bigger than this is refused */

enum {
	WORKER_EXIT_SHUTDOWN = 0,
	WORKER_EXIT_ERROR = 1,
	WORKER_EXIT_REBOOT = 2,
	WORKER_EXIT_CRASHED = 3,
};

struct vmbus_transport_ops;

struct worker_opts {
	char name[WORKER_NAME_MAX + 1];
	uint64_t memory_mib;
	uint32_t vcpus;
	uint32_t weight;	/* 0 = the hv's default */
	uint32_t cap_permille;	/* 0 = none */
	const char *kernel;
	const char *initrd;	/* NULL = none */
	const char *cmdline;	/* NULL = "" */
	const char *console_log;	/* NULL = none */
	bool console_pty;
	struct disk_spec disks[DISK_MAX_DISKS];	/* --disk: LUN = order */
	unsigned int ndisks;
	uint32_t vmbus_poll_us;	/* --vmbus-poll-us, WORKER_POLL_US_DEFAULT */
	/* Not from the command line: the VMBus transport (NULL: none). */
	const struct vmbus_transport_ops *vmbus_ops;
	void *vmbus_ctx;
	int control_fd;		/* --control-fd (control.h), -1 = none */
	struct nic_spec nics[NIC_MAX];	/* --nic, in order */
	uint32_t nnics;
};

/*
 * Parse the command line (getopt_long).  Return: 0; 1 for --help (usage
 * printed to @out); -EINVAL with a reason in @err for anything missing,
 * unknown or out of range.
 */
int worker_parse_args(int argc, char **argv, struct worker_opts *o,
		      FILE *out, char *err, size_t errlen);

/*
 * Run the VM described by @o on a backend whose VM already exists; status
 * lines go to @status.  Returns the process exit status (WORKER_EXIT_*).
 */
int worker_run(const struct worker_opts *o, const struct vm_backend_ops *ops,
	       void *ctx, FILE *status);

#endif /* HVWORKER_WORKER_H */
