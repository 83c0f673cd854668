/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: the VMBus server's state, shared by its three files and
 * nothing else (users see vmbus_host.h):
 *   vmbus_host.c      life, event loop, device channels and their rings
 *   vmbus_host_srv.c  vmbus/channel.c's environment: SynIC messages with
 *                     a queue for busy slots, GPADL checks, channel open
 *   vmbus_poll.c      adaptive ring polling (cfg.poll_us)
 */
#ifndef HVWORKER_VMBUS_HOST_PRIV_H
#define HVWORKER_VMBUS_HOST_PRIV_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "vmbus_host.h"

/* Largest type-specific packet header copied out (GPA ranges...). */
#define VMBUS_HOST_MAX_EXT	4096u

struct msgq_entry {
	uint32_t vp;
	uint32_t len;
	uint8_t data[VMBUS_MAX_MSG_SIZE];
};

struct vmbus_host {
	struct vmbus_host_config cfg;
	pthread_mutex_t lock;
	struct vmbus_server srv;
	struct vmbus_host_dev devs[VMBUS_HOST_MAX_DEVS];
	uint32_t ndevs;
	struct msgq_entry *q;		/* VMBUS_HOST_MSGQ_MAX entries */
	uint32_t q_head, q_count;
	uint64_t q_retry_at, q_busy_since;
	bool q_stuck_logged;
	atomic_bool stop;
	pthread_t thread;
	bool thread_running;
	bool started;		/* connection ids connected */
	struct vmbus_ic *ic;
	struct vmbus_host_status cnt;	/* counters part */
	uint64_t log_window;
	uint32_t log_count;
	/* cfg.poll_us: the current spin window, the wait after a vain spin */
	uint64_t poll_window_ns, blocked_since;
	bool spun;
	uint8_t rxbuf[VMBUS_HOST_MAX_EXT + VMBUS_HOST_MAX_PKT];
};

/* vmbus_host.c */
uint64_t vmbus_host_mono_ns(void);
void vmbus_host_drain(struct vmbus_host *h, struct vmbus_host_dev *d);

/* vmbus_host_srv.c */
extern const struct vmbus_server_ops vmbus_host_srv_ops;
void vmbus_host_flush_queue(struct vmbus_host *h, uint64_t now);

/* vmbus_poll.c: spin on the rings after a packet; adjust the window by
 * the wait that followed a vain spin */
bool vmbus_host_spin(struct vmbus_host *h);
void vmbus_host_spin_adjust(struct vmbus_host *h);

#endif
