/* SPDX-License-Identifier: MIT */
/*
 * VMBus server-side channel management: the host half of the protocol in
 * Linux 6.1's drivers/hv/{connection,channel_mgmt,channel}.c.  It answers
 * version negotiation, delivers offers, assembles GPADLs, opens and closes
 * channels, rescinds offers and handles UNLOAD.
 *
 * It touches no hypervisor: the owner (the per-VM worker, or a test)
 * feeds it the guest's messages with vmbus_server_handle_message() and
 * gets its replies, memory and channel open/close requests through
 * struct vmbus_server_ops.
 *
 * Every guest message is hostile: it is copied into a local struct, its
 * size and fields are checked, and a message that fails a check returns a
 * negative errno and leaves the server state as it was.  Where a guest
 * would otherwise wait forever (OPENCHANNEL, a GPADL over the limits) the
 * server also replies with a failure status.
 *
 * Not thread-safe: the owner serialises all calls on one server.
 */
#ifndef MKHV_VMBUS_CHANNEL_H
#define MKHV_VMBUS_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vmbus/wire.h>

#define VMBUS_SERVER_MAX_CHANNELS	64	/* relids 1 .. 64 */
#define VMBUS_SERVER_MAX_GPADLS		256
#define VMBUS_GPADL_MAX_RANGES		16
/* PFNs above this are refused (52-bit physical addresses). */
#define VMBUS_GPADL_MAX_PFN		((1ull << 40) - 1)

/* One range of a created GPADL. */
struct vmbus_gpadl_range {
	uint32_t byte_count;	/* bytes described */
	uint32_t byte_offset;	/* offset into the first page, < 4096 */
	uint32_t page_count;	/* entries in pfns */
	const uint64_t *pfns;	/* 4 KiB guest page numbers */
};

/* A created GPADL as the server hands it to its owner (read-only). */
struct vmbus_gpadl_info {
	uint32_t handle;
	uint32_t relid;		/* channel it was created for */
	uint32_t range_count;
	uint32_t page_count;	/* all ranges */
	struct vmbus_gpadl_range ranges[VMBUS_GPADL_MAX_RANGES];
};

/* An OPENCHANNEL request, validated, passed to ops->open. */
struct vmbus_open_request {
	uint32_t relid;
	uint32_t openid;
	uint32_t target_vp;		/* VP for host -> guest interrupts */
	uint32_t downstream_page;	/* first page of the host -> guest ring */
	const struct vmbus_gpadl_info *gpadl;	/* ring GPADL: one range */
	const uint8_t *userdata;	/* VMBUS_MAX_USER_DEFINED_BYTES */
};

/* What the server needs from its environment. */
struct vmbus_server_ops {
	/**
	 * send() - post a message to the guest (SynIC SINT of the
	 * connection, VP @target_vp).  Must queue it (the SynIC message slot
	 * protocol delivers one at a time); 0 or negative errno.
	 * @target_vp comes from the guest (INITIATE_CONTACT): the transport
	 * must check it names one of the partition's VPs.
	 */
	int (*send)(void *ctx, uint32_t target_vp, const void *msg, uint32_t len);
	/** alloc()/free() - memory for GPADLs (kmalloc, malloc...). */
	void *(*alloc)(void *ctx, size_t size);
	void (*free)(void *ctx, void *ptr);
	/**
	 * open() - the guest opens channel @req->relid: map the rings from
	 * the GPADL pages and start the device.  Return 0 on success; any
	 * negative errno makes the server reply with a failure status.
	 */
	int (*open)(void *ctx, const struct vmbus_open_request *req);
	/** close() - stop using the rings of an open channel. */
	void (*close)(void *ctx, uint32_t relid);
	/**
	 * gpadl_teardown() - optional veto: return -EBUSY while the device
	 * still uses the GPADL (e.g. a netvsc receive buffer).
	 */
	int (*gpadl_teardown)(void *ctx, const struct vmbus_gpadl_info *gpadl);
	/** modify() - optional: a channel's interrupt target changed. */
	void (*modify)(void *ctx, uint32_t relid, uint32_t target_vp);
};

/* Resource limits against a hostile guest (0 = default). */
struct vmbus_server_limits {
	uint32_t max_gpadls;		/* default and cap VMBUS_SERVER_MAX_GPADLS */
	uint32_t max_gpadl_pages;	/* per GPADL, default 8192 (32 MiB) */
	uint32_t max_total_pages;	/* all GPADLs, default 262144 (1 GiB) */
	uint32_t max_version;		/* highest version offered, default 5.3 */
};

/* What the worker registers for each device. */
struct vmbus_offer_params {
	struct vmbus_guid if_type;	/* device class */
	struct vmbus_guid if_instance;	/* device instance */
	uint16_t chn_flags;
	uint16_t mmio_megabytes;
	uint16_t sub_channel_index;
	uint8_t user_def[VMBUS_MAX_USER_DEFINED_BYTES];
	uint32_t connection_id;		/* guest -> host HvSignalEvent id, non-zero */
	bool dedicated_interrupt;
};

enum vmbus_chan_state {
	VMBUS_CHAN_FREE = 0,
	VMBUS_CHAN_PENDING,	/* registered, offer not sent yet */
	VMBUS_CHAN_OFFERED,	/* offer sent, closed */
	VMBUS_CHAN_OPEN,
	VMBUS_CHAN_RESCINDED,	/* rescind sent, waiting for RELID_RELEASED */
};

enum vmbus_conn_state {
	VMBUS_CONN_DISCONNECTED = 0,
	VMBUS_CONN_CONNECTED,	/* version agreed */
	VMBUS_CONN_OFFERS_SENT,	/* REQUESTOFFERS answered */
};

struct vmbus_gpadl;	/* private to channel.c */

struct vmbus_server_channel {
	enum vmbus_chan_state state;
	struct vmbus_channel_offer_channel offer;	/* as sent */
	uint32_t ring_gpadl;	/* handle while open */
	uint32_t target_vp;
};

/* Server state.  Fields are private to channel.c. */
struct vmbus_server {
	const struct vmbus_server_ops *ops;
	void *ctx;
	struct vmbus_server_limits limits;
	enum vmbus_conn_state conn;
	uint32_t version;
	uint32_t target_vcpu;
	uint32_t msg_conn_id;	/* connection id the guest posts to */
	uint8_t msg_sint;
	uint64_t interrupt_page;
	uint64_t monitor_page[2];
	struct vmbus_server_channel chan[VMBUS_SERVER_MAX_CHANNELS];
	struct vmbus_gpadl *gpadl[VMBUS_SERVER_MAX_GPADLS];
	uint32_t gpadl_count;
	uint32_t total_pages;
};

/**
 * vmbus_server_init() - set up a disconnected server.
 * @ops: callbacks; send, alloc, free, open and close are required
 * @ctx: passed to every callback
 * @limits: NULL or limits (0 fields take the defaults)
 *
 * Return: 0, or -EINVAL for missing callbacks or limits above the caps.
 */
int vmbus_server_init(struct vmbus_server *srv, const struct vmbus_server_ops *ops,
		      void *ctx, const struct vmbus_server_limits *limits);

/**
 * vmbus_server_fini() - close open channels and free every GPADL.
 */
void vmbus_server_fini(struct vmbus_server *srv);

/**
 * vmbus_server_add_channel() - register a device to offer.
 *
 * Sent at once if the guest has already asked for offers (hot add),
 * otherwise with the answer to REQUESTOFFERS.
 *
 * Return: the relid (> 0); -EINVAL for bad params; -ENOSPC when all
 * VMBUS_SERVER_MAX_CHANNELS are in use; a send() error.
 */
int vmbus_server_add_channel(struct vmbus_server *srv,
			     const struct vmbus_offer_params *params);

/**
 * vmbus_server_rescind() - hot-remove a channel.
 *
 * Closes it if open (ops->close) and sends RESCIND_CHANNELOFFER; the relid
 * stays reserved until the guest sends RELID_RELEASED.  A channel the
 * guest never saw is freed at once.
 *
 * Return: 0; -ENOENT for an unknown relid; -EALREADY if rescinded already;
 * a send() error.
 */
int vmbus_server_rescind(struct vmbus_server *srv, uint32_t relid);

/**
 * vmbus_server_handle_message() - process one message from the guest.
 * @conn_id: SynIC connection id the guest posted it to
 * @msg, @len: the message payload (at most VMBUS_MAX_MSG_SIZE bytes)
 *
 * Return: 0 when handled (including a refused version, which is answered
 * with version_supported = 0); otherwise a negative errno and the state is
 * unchanged: -EMSGSIZE (over 240 bytes), -EBADMSG (short or malformed),
 * -EOPNOTSUPP (unknown type), -ENOTCONN (not connected), -EPERM (wrong
 * connection id), -ENOENT (unknown relid or GPADL), -EEXIST (duplicate
 * GPADL handle), -EBUSY (wrong channel state), -EALREADY (repeated
 * INITIATE_CONTACT or REQUESTOFFERS), -ENOSPC (GPADL limits; answered with
 * a failed GPADL_CREATED), -E2BIG (GPADL body beyond the announced size),
 * -EINVAL (bad OPENCHANNEL ring layout; answered with a failed result),
 * -ENOMEM, or the error of a callback.  One exception to "unchanged": a
 * GPADL whose last piece completes ranges that contradict their sizes is
 * dropped as a whole (-EBADMSG, answered with a failed GPADL_CREATED).
 * A send() failure is returned as is; the state change it belonged to
 * has then already happened.
 */
int vmbus_server_handle_message(struct vmbus_server *srv, uint32_t conn_id,
				const void *msg, uint32_t len);

/** vmbus_server_version() - agreed version, 0 while disconnected. */
uint32_t vmbus_server_version(const struct vmbus_server *srv);

/** vmbus_server_conn_state() - connection state. */
enum vmbus_conn_state vmbus_server_conn_state(const struct vmbus_server *srv);

/** vmbus_server_channel_state() - state of @relid (FREE if unknown). */
enum vmbus_chan_state vmbus_server_channel_state(const struct vmbus_server *srv,
						 uint32_t relid);

/**
 * vmbus_server_find_gpadl() - a created GPADL of channel @relid.
 * Return: the GPADL, or NULL if unknown, still being assembled or owned
 * by another channel.  Valid until it is torn down.
 */
const struct vmbus_gpadl_info *vmbus_server_find_gpadl(const struct vmbus_server *srv,
							uint32_t relid, uint32_t handle);

/** vmbus_server_gpadl_count() - GPADLs held (created or assembling). */
uint32_t vmbus_server_gpadl_count(const struct vmbus_server *srv);

#endif /* MKHV_VMBUS_CHANNEL_H */
