/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: the integration-service (IC) framework over VMBus channels
 * (hv_utils' protocol, ic_wire.h).  ic.c offers one channel per service,
 * negotiates framework and service versions with ICMSG NEGOTIATE and keeps
 * one transaction outstanding per channel; ic_shutdown.c, ic_heartbeat.c,
 * ic_timesync.c and ic_kvp.c are the services.
 *
 * All of it runs on the VM's VMBus thread with the host lock held
 * (vmbus_host.c takes it around every callback and query).
 */
#ifndef HVWORKER_IC_H
#define HVWORKER_IC_H

#include <stdbool.h>
#include <stdint.h>

#include "ic_wire.h"
#include "vmbus_host.h"

enum ic_state {
	IC_CLOSED = 0,		/* channel not open */
	IC_NEGOTIATING,		/* NEGOTIATE to send or sent */
	IC_READY,		/* versions agreed */
	IC_FAILED,		/* no common version, or bad answers */
};

struct ic_chan;

struct ic_service {
	const char *name;
	size_t priv_size;		/* the service's state (ic_chan.priv), zeroed */
	uint32_t flag;			/* VMBUS_IC_* */
	struct vmbus_guid type;		/* class GUID */
	uint8_t instance_tag;		/* makes the instance GUID unique */
	uint16_t msgtype;		/* IC_MSGTYPE_* of its requests */
	uint32_t nversions;
	uint32_t versions[4];		/* service versions offered, best first */
	/* Optional: may version @v be offered on this host? */
	bool (*offer)(struct ic_chan *c, uint32_t v);
	/* Versions agreed: start the service. */
	void (*ready)(struct ic_chan *c);
	/* The answer to our request (checked: trans id, RESPONSE, type). */
	void (*response)(struct ic_chan *c, const struct ic_msg_hdr *hdr,
			 const uint8_t *body, uint32_t body_len);
	/* The service's timer (ic_chan_timer) fired while READY. */
	void (*tick)(struct ic_chan *c, uint64_t now);
	/* The channel closed. */
	void (*closed)(struct ic_chan *c);
	/* Fill the service's part of the status. */
	void (*status)(struct ic_chan *c, struct vmbus_host_status *st);
};

struct ic_chan {
	struct vmbus_ic *ic;
	struct vmbus_host_dev *dev;
	const struct ic_service *svc;
	enum ic_state state;
	uint32_t fw_version, srv_version;	/* agreed, IC_VERSION() */
	bool busy;			/* a request is outstanding */
	uint64_t busy_trans;		/* its trans_id */
	uint16_t busy_type;		/* its icmsgtype */
	uint64_t busy_since;		/* ms */
	uint64_t next_trans;
	uint8_t txn;
	void *priv;			/* the service's state */
};

/* All services of one host. */
struct vmbus_ic {
	struct vmbus_host *host;
	struct ic_chan *chan[4];	/* shutdown, timesync, heartbeat, kvp */
	uint32_t nchan;
	uint8_t *txbuf;			/* one request being built */
};

/* ---- used by vmbus_host.c ---- */
struct vmbus_ic *ic_create(struct vmbus_host *h, uint32_t services);
void ic_destroy(struct vmbus_ic *ic);
void ic_status(struct vmbus_ic *ic, struct vmbus_host_status *st);
struct ic_chan *ic_find(struct vmbus_ic *ic, uint32_t flag);

/* ---- used by the services ---- */
/*
 * ic_send() - send a request of @msgtype with @body_len body bytes (the
 * IC headers are built here; @body may be NULL for zeros) and make it the
 * outstanding transaction.  0, -EBUSY (one outstanding), -ENOTCONN,
 * -EAGAIN (ring full; retried by the caller's next tick), -E2BIG.
 */
int ic_send(struct ic_chan *c, uint16_t msgtype, const void *body, uint32_t body_len);
/* Run the service's tick at @deadline_ms (0: now). */
void ic_chan_timer(struct ic_chan *c, uint64_t deadline_ms);

/* The services (ic_shutdown.c, ...). */
extern const struct ic_service ic_shutdown_service;
extern const struct ic_service ic_timesync_service;
extern const struct ic_service ic_heartbeat_service;
extern const struct ic_service ic_kvp_service;

/* Service requests (host lock held). */
int ic_shutdown_request(struct ic_chan *c, bool reboot);
int ic_timesync_now(struct ic_chan *c);
int ic_kvp_refresh(struct ic_chan *c);
int ic_kvp_get(struct ic_chan *c, const char *key, char *val, size_t len);

/* UTF-16LE (@n bytes, stops at NUL) to NUL-terminated UTF-8; output bytes. */
size_t ic_utf16le_to_utf8(const uint8_t *in, size_t n, char *out, size_t outlen);

#endif /* HVWORKER_IC_H */
