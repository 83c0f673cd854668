/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: the VMBus server of one child partition (DESIGN §8, issue 8).
 *
 * struct vmbus_host owns the vmbus/ library's channel-management server
 * (vmbus/channel.c) and the device channels of one VM.  It talks to the
 * hypervisor only through struct vmbus_transport_ops (mkhv.ko ioctls in
 * the worker, a fake in the unit tests), and reaches guest memory only
 * through struct guest_mem (guest_ptr(): every GPADL page is bounds
 * checked against the child's RAM).
 *
 * One thread per VM runs vmbus_host_run() (or calls vmbus_host_poll() in
 * a loop): it delivers the guest's messages to the server, drains the
 * rings of signalled channels, retries queued SynIC messages and runs the
 * device timers (the integration services' heartbeat, timesync and KVP
 * polls).  The query and request functions at the end may be called from
 * any thread.
 *
 * Everything the guest writes is hostile: messages are copied once and
 * checked by the server; ring indices by vmbus/ring.c; a guest that
 * breaks a ring gets that channel rescinded, a bad message is dropped,
 * both with a (rate-limited) log line.
 */
#ifndef HVWORKER_VMBUS_HOST_H
#define HVWORKER_VMBUS_HOST_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <vmbus/wire.h>

#include "channel.h"
#include "ring.h"

struct guest_mem;
struct vmbus_host;
struct vmbus_ic;

/* SynIC parameters of VMBus (linux-hv-guest.md §4). */
#define VMBUS_HOST_SINT			2	/* messages and events: SINT2 */
#define VMBUS_HOST_MSG_TYPE		1	/* HvPostMessage type of channel messages */
/*
 * mkhv's echo: a channel message whose msgtype is VMBUS_MSG_ECHO (no VMBus
 * version uses it) is posted back unchanged to the guest's VP 0, through
 * the same bounded queue as every answer: the guest measures the message
 * path's round trip with it (make bench: vmbus_msg_roundtrip_us, from
 * guest-drivers/tests/mkhv_hostile.c).
 */
#define VMBUS_MSG_ECHO			0x4d4b4543	/* "CEKM" */
/* Event connection id of device slot i (the offer's connection_id). */
#define VMBUS_HOST_EVENT_CONN_BASE	0x2000u
#define VMBUS_HOST_MAX_DEVS		16
/* Largest guest -> host packet payload copied out (bigger: dropped). */
#define VMBUS_HOST_MAX_PKT		16384u
/* Host -> guest messages waiting for a free SIMP slot. */
#define VMBUS_HOST_MSGQ_MAX		256
/* Packets drained from one ring before the others get a turn. */
#define VMBUS_HOST_RX_BUDGET		64

/* ---- Transport: what the lead implements on mkhv.ko (TLFS semantics) ---- */

enum vmbus_conn_kind {
	VMBUS_CONN_MESSAGE = 1,	/* guest HvPostMessage to this id */
	VMBUS_CONN_EVENT = 2,	/* guest HvSignalEvent to this id */
};

enum vmbus_host_event_type {
	VMBUS_HOST_EV_MESSAGE = 1,	/* a guest HvPostMessage */
	VMBUS_HOST_EV_SIGNAL = 2,	/* a guest HvSignalEvent */
	VMBUS_HOST_EV_SLOT_FREE = 3,	/* optional: a SIMP slot was freed (EOM) */
};

struct vmbus_host_event {
	uint32_t type;		/* VMBUS_HOST_EV_* */
	uint32_t conn_id;	/* MESSAGE, SIGNAL: the connection id used */
	uint32_t msg_type;	/* MESSAGE: the guest's message type */
	uint32_t len;		/* MESSAGE: payload bytes (<= 240) */
	uint8_t payload[VMBUS_MAX_MSG_SIZE];
};

struct vmbus_transport_ops {
	/*
	 * connect() - let the guest HvPostMessage (@kind MESSAGE) or
	 * HvSignalEvent (@kind EVENT) to @conn_id and have it reach this
	 * host's wait() (the hv's CreatePort + ConnectPort).  0 or -errno.
	 */
	int (*connect)(void *ctx, uint32_t conn_id, enum vmbus_conn_kind kind);
	/*
	 * post() - HvPostMessageDirect: put a message of @msg_type with
	 * @len (<= 240) payload bytes into the SIMP slot @sint of guest VP
	 * @vp and raise the SINT.  -EAGAIN while the slot is occupied (the
	 * guest has not EOM'd): the host queues and retries.  Any other
	 * error drops the message (logged).
	 */
	int (*post)(void *ctx, uint32_t vp, uint32_t sint, uint32_t msg_type,
		    const void *payload, uint32_t len);
	/*
	 * signal() - HvSignalEventDirect: set bit @flag of the SINT @sint
	 * event-flags area of guest VP @vp's SIEF page and raise the SINT if
	 * the bit was clear.  0 or -errno.
	 */
	int (*signal)(void *ctx, uint32_t vp, uint32_t sint, uint32_t flag);
	/*
	 * wait() - the next guest message or event on a connected id, or a
	 * SLOT_FREE notice.  Blocks up to @timeout_ms (0: poll).
	 * Return: 0 with *ev filled, -ETIMEDOUT, -EINTR (kick or signal).
	 */
	int (*wait)(void *ctx, struct vmbus_host_event *ev, int timeout_ms);
	/* Optional: make a wait() in progress return -EINTR soon. */
	void (*kick)(void *ctx);
	/*
	 * Optional: the child's partition reference time now (100 ns units,
	 * what its MSR 0x40000020 reads).  Without it timesync offers only
	 * service versions <= 3.0 (the guest reads its own counter).
	 */
	int (*ref_time)(void *ctx, uint64_t *ref);
};

/* Clocks (tests replace them). */
struct vmbus_host_clock {
	uint64_t (*mono_ms)(void *ctx);		/* monotonic milliseconds */
	uint64_t (*utc_100ns)(void *ctx);	/* UTC, 100 ns since 1601 */
	void *ctx;
};

/* Integration services to offer (vmbus_host_config.services). */
#define VMBUS_IC_SHUTDOWN	0x1u
#define VMBUS_IC_TIMESYNC	0x2u
#define VMBUS_IC_HEARTBEAT	0x4u
#define VMBUS_IC_KVP		0x8u
#define VMBUS_IC_ALL		0xfu

struct vmbus_host_config {
	const struct vmbus_transport_ops *ops;
	void *ctx;				/* passed to every transport op */
	const struct guest_mem *mem;		/* the child's RAM */
	uint32_t nr_vps;			/* guest VP indices are < this */
	uint32_t services;			/* VMBUS_IC_* to offer */
	const struct vmbus_host_clock *clock;	/* NULL: CLOCK_MONOTONIC/REALTIME */
	void (*log)(void *ctx, const char *line);	/* NULL: stderr */
	void *log_ctx;
	uint32_t heartbeat_ms;		/* 0: 1000 */
	uint32_t hung_ms;		/* heartbeat unanswered this long = hung; 0: 10000 */
	uint32_t timesync_ms;		/* SAMPLE period; 0: 5000 */
	uint32_t kvp_ms;		/* KVP re-enumeration period; 0: 30000 */
	uint32_t log_per_sec;		/* log line budget; 0: 20 */
	uint32_t poll_us;		/* longest spin for the next packet; 0: never */
	struct vmbus_server_limits limits;	/* GPADL limits, max version */
};

/* ---- Devices (the ICs today; storvsc/netvsc VSPs later) ---- */

struct vmbus_host_dev;

struct vmbus_host_dev_ops {
	/* The guest opened the channel; the rings are attached. */
	int (*open)(struct vmbus_host_dev *d);
	/* The channel closed (guest close, rescind, unload, teardown). */
	void (*close)(struct vmbus_host_dev *d);
	/* One guest packet, copied out of the ring and consumed. */
	void (*packet)(struct vmbus_host_dev *d, const struct vmbus_packet_desc *desc,
		       const uint8_t *payload, uint32_t len);
	/* The deadline set with vmbus_host_dev_timer() was reached. */
	void (*timer)(struct vmbus_host_dev *d, uint64_t now_ms);
	/*
	 * Optional: the guest signalled the channel (after its ring was
	 * drained): space may have freed up in the host -> guest ring.
	 */
	void (*signal)(struct vmbus_host_dev *d);
	/*
	 * Optional: vmbus_host_dev_wake() was called (from any thread); runs
	 * on the VMBus thread with the host locked, e.g. to send the
	 * completions of I/O finished by other threads.
	 */
	void (*wake)(struct vmbus_host_dev *d);
	/*
	 * Optional: true while the VMBus thread may spin on this channel's
	 * ring for the guest's next packet (cfg.poll_us), i.e. nothing of the
	 * device's own waits for the parent's CPU (no I/O on other threads).
	 */
	bool (*can_poll)(struct vmbus_host_dev *d);
};

struct vmbus_host_dev {
	struct vmbus_host *host;
	const struct vmbus_host_dev_ops *ops;
	void *priv;
	char name[16];
	uint32_t relid;		/* 0 once rescinded for good */
	uint32_t conn_id;	/* the guest signals us here */
	uint32_t target_vp;	/* we signal the guest here */
	struct vmbus_offer_params params;	/* as offered */
	bool open;
	bool broken;		/* a ring was corrupt: rescinded */
	bool rx_more;		/* budget ran out: drain again */
	struct vmbus_ring in;	/* guest -> host (we read) */
	struct vmbus_ring out;	/* host -> guest (we write) */
	uint64_t deadline_ms;	/* 0: no timer */
	/*
	 * During ops->packet: the packet's type-specific header, the bytes
	 * between the 16-byte descriptor and the payload (GPA ranges of a
	 * VM_PKT_DATA_USING_GPA_DIRECT packet), a private copy.
	 */
	const uint8_t *pkt_ext;
	uint32_t pkt_ext_len;
	/*
	 * During ops->packet: another packet already waits in the guest ->
	 * host ring (a hint: a device may do short work inline when not).
	 */
	bool rx_pending;
	atomic_bool wake;	/* vmbus_host_dev_wake() pending */
	uint64_t rx_packets, tx_packets, rx_dropped;
	uint64_t signals_in, signals_out;	/* guest -> host events, host -> guest */
	uint64_t signal_ns;	/* time spent in the transport's signal (hypercall) */
	uint64_t last_rx_ns;	/* CLOCK_MONOTONIC of the last packet (poll_us) */
	uint64_t polled;	/* packets found by spinning, not signalled */
};

/*
 * vmbus_host_poll_adjust() - the next spin window (cfg.poll_us): 0 once the
 * guest stayed quiet for longer than @max_ns after a spin (@blocked_ns),
 * else doubled (from VMBUS_HOST_POLL_START_NS) up to @max_ns.
 */
#define VMBUS_HOST_POLL_START_NS	4000u
uint64_t vmbus_host_poll_adjust(uint64_t window_ns, uint64_t blocked_ns,
				uint64_t max_ns);

/*
 * vmbus_host_dev_expect() - a completion went out on another thread: the
 * guest's next packet is likely soon.  Restarts @d's poll window and wakes
 * the VMBus thread to spin (cfg.poll_us; nothing without it).  Host locked.
 */
void vmbus_host_dev_expect(struct vmbus_host_dev *d);

/*
 * vmbus_host_create() - a host for one VM; offers cfg->services.
 * Return: the host, or NULL (bad config or no memory).
 */
struct vmbus_host *vmbus_host_create(const struct vmbus_host_config *cfg);
void vmbus_host_destroy(struct vmbus_host *h);

/*
 * vmbus_host_start() - connect the message ids 1 and 4 and every device's
 * event id, once (later calls do nothing).  Call before the guest's VMBus
 * driver loads (before the VPs run).  0 or the transport's error.
 */
int vmbus_host_start(struct vmbus_host *h);

/*
 * vmbus_host_poll() - one turn of the loop: retry queued messages, run
 * due timers, drain channels with work left, then wait up to
 * @timeout_ms (less if a timer or a retry is due) for one guest message
 * or event and handle it.  Return: 1 if something was handled, 0 if the
 * wait timed out, -EINTR, or -errno from the transport.
 */
int vmbus_host_poll(struct vmbus_host *h, int timeout_ms);

/* The VM's VMBus thread: vmbus_host_poll() until vmbus_host_stop(). */
int vmbus_host_run(struct vmbus_host *h);
void vmbus_host_stop(struct vmbus_host *h);

/*
 * vmbus_host_spawn() - vmbus_host_start() and a thread running
 * vmbus_host_run(); vmbus_host_join() - stop it and wait for it.
 * Return: 0 or -errno (nothing started).
 */
int vmbus_host_spawn(struct vmbus_host *h);
void vmbus_host_join(struct vmbus_host *h);

/*
 * vmbus_host_add_device() - register a device channel (offered now if the
 * guest already asked for offers; its event id connected now if the host
 * is started).  @p->connection_id is assigned here.  Takes the host lock.
 * Return: 0 and *out, -ENOSPC, -EINVAL or a server/transport error.
 */
int vmbus_host_add_device(struct vmbus_host *h, const struct vmbus_offer_params *p,
			  const struct vmbus_host_dev_ops *ops, void *priv,
			  const char *name, struct vmbus_host_dev **out);

/*
 * vmbus_host_dev_send() - one packet (descriptor built here, payload
 * after it) into the host -> guest ring; signals the guest when the ring
 * rules ask for it.  0, -EAGAIN (ring full), -ENOTCONN (not open),
 * -EPROTO (ring broken: the channel is rescinded), -EMSGSIZE.
 */
int vmbus_host_dev_send(struct vmbus_host_dev *d, uint16_t type, uint16_t flags,
			uint64_t trans_id, const void *payload, uint32_t len);
/*
 * vmbus_host_dev_sendv() - like vmbus_host_dev_send() with the caller's
 * descriptor (type, flags, trans_id and offset8: the first offset8 * 8 -
 * 16 bytes of @iov are the type-specific header, e.g. the transfer-page
 * ranges of a VM_PKT_DATA_USING_XFER_PAGES packet).
 */
int vmbus_host_dev_sendv(struct vmbus_host_dev *d, const struct vmbus_packet_desc *desc,
			 const struct vmbus_ring_iov *iov, unsigned int iovcnt);
/*
 * vmbus_host_dev_wait_space() - after -EAGAIN: ask the guest (through
 * pending_send_sz) to signal once @bytes are free in the host -> guest
 * ring.  1: retry now; 0: wait for ops->signal; -errno.
 */
int vmbus_host_dev_wait_space(struct vmbus_host_dev *d, uint32_t bytes);
/* A GPADL the guest created on this device's channel, or NULL. */
const struct vmbus_gpadl_info *vmbus_host_dev_gpadl(struct vmbus_host_dev *d,
						    uint32_t handle);
/* Run d->ops->timer at @deadline_ms (0: cancel). */
void vmbus_host_dev_timer(struct vmbus_host_dev *d, uint64_t deadline_ms);
/*
 * vmbus_host_dev_wake() - any thread: have d->ops->wake run on the VMBus
 * thread soon (the transport's wait is kicked).
 */
void vmbus_host_dev_wake(struct vmbus_host_dev *d);
/* Close a misbehaving device's channel for good: log @why, rescind. */
void vmbus_host_dev_fail(struct vmbus_host_dev *d, const char *why);

/* Services for devices. */
uint64_t vmbus_host_now_ms(struct vmbus_host *h);
uint64_t vmbus_host_utc_100ns(struct vmbus_host *h);
bool vmbus_host_has_ref_time(struct vmbus_host *h);
int vmbus_host_ref_time(struct vmbus_host *h, uint64_t *ref);
const struct vmbus_host_config *vmbus_host_cfg(struct vmbus_host *h);
struct vmbus_ic *vmbus_host_ic(struct vmbus_host *h);
void vmbus_host_logf(struct vmbus_host *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * vmbus_host_lock() - for device threads (a NIC's tap reader, a disk's I/O
 * threads): hold the host's lock around calls into a device and
 * vmbus_host_dev_send*().  Device ops already run with it held (the lock
 * is not recursive: never from inside a callback).
 */
void vmbus_host_lock(struct vmbus_host *h);
void vmbus_host_unlock(struct vmbus_host *h);

/* ---- Queries and requests (any thread) ---- */

struct vmbus_host_status {
	uint32_t version;		/* agreed VMBus version, 0 = not connected */
	uint32_t channels_open;
	uint64_t msgs_in, msgs_bad, msgs_posted, msgs_queued, msgs_dropped;
	uint64_t events_in, events_unknown, log_suppressed;
	/* integration services: ready = negotiated */
	bool shutdown_ready, heartbeat_ready, timesync_ready, kvp_ready;
	bool shutdown_pending;		/* requested, not yet answered */
	uint32_t shutdown_status;	/* last answer's status (0 = accepted) */
	uint64_t shutdown_answers;
	uint64_t heartbeat_seq;		/* last sequence number the guest returned */
	uint64_t heartbeat_count;	/* heartbeats answered */
	uint64_t heartbeat_age_ms;	/* since the last answer (or since ready) */
	bool guest_hung;		/* a heartbeat is unanswered for hung_ms */
	uint64_t timesync_samples;	/* samples the guest acknowledged */
	uint64_t kvp_rounds;		/* complete enumerations */
};

void vmbus_host_get_status(struct vmbus_host *h, struct vmbus_host_status *st);

/*
 * vmbus_host_request_shutdown() - ask the guest to power off (@reboot
 * false) or restart through the shutdown IC (sent once it is
 * negotiated).  0; -ENODEV without the shutdown service.
 */
int vmbus_host_request_shutdown(struct vmbus_host *h, bool reboot);

/* Send a timesync SYNC sample now (after resume or migration). */
int vmbus_host_timesync_now(struct vmbus_host *h);

/* Re-enumerate the guest's KVP auto pool now. */
int vmbus_host_kvp_refresh(struct vmbus_host *h);

/*
 * vmbus_host_kvp_get() - a value of the guest's KVP auto pool (UTF-8) from
 * the last complete enumeration, e.g. "FullyQualifiedDomainName",
 * "NetworkAddressIPv4" ("a.b.c.d;..."), "OSName".
 * Return: value length, -ENOENT, -ENODEV (no KVP), -ENOSPC (@len short).
 */
int vmbus_host_kvp_get(struct vmbus_host *h, const char *key, char *val, size_t len);

/* ---- Status lines for hvd (vmbus_report.c) ---- */

/* What the last vmbus_host_report() printed (zero-initialise). */
struct vmbus_host_seen {
	uint32_t version;
	uint64_t heartbeat_seq;
	bool hung;
	uint64_t shutdown_answers;
	uint64_t kvp_rounds;
	bool any;
};

/*
 * vmbus_host_report() - print what changed since @seen, one line each, in
 * the worker's status-line style (worker.h):
 *   hvworker: vmbus version <major>.<minor>      connected (0.0: gone)
 *   hvworker: heartbeat <seq> alive|hung         seq or state changed
 *   hvworker: shutdown-answer <status hex>       the guest answered
 *   hvworker: kvp <key> <value>                  after each new KVP round,
 *                                                for the keys hvd uses
 * Return: lines printed.
 */
int vmbus_host_report(struct vmbus_host *h, FILE *out, struct vmbus_host_seen *seen);

#endif /* HVWORKER_VMBUS_HOST_H */
