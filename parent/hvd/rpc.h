/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvd RPC layer: libvirt's framing (4-byte big-endian length word, then a
 * 24-byte header, then the XDR payload) and the dispatch of the remote
 * program (0x20008086 v1) and the keepalive program (0x6b656570 v1).
 * Everything here works on byte buffers, so it is tested without sockets.
 */
#ifndef MKHV_HVD_RPC_H
#define MKHV_HVD_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rpc/rpc.h>

#include "backend.h"
#include "hvd.h"
#include "remote.h"

/* Smallest frame: the length word and the header. */
#define RPC_FRAME_MIN (HVD_MSG_LEN_LEN + HVD_MSG_HEADER_LEN)
/* Largest frame: libvirt's VIR_NET_MESSAGE_MAX plus the length word. */
#define RPC_FRAME_MAX ((size_t)HVD_MSG_MAX + HVD_MSG_LEN_LEN)
/*
 * Largest request hvd keeps in memory: one maximal string argument (domain
 * XML is refused past 1 MiB anyway) and change.  Longer frames, up to
 * RPC_FRAME_MAX, are read and discarded and answered with an error.
 */
#define RPC_REQUEST_MAX ((size_t)REMOTE_STRING_MAX + 65536)

/* A growable byte buffer (replies waiting to be written). */
struct rpc_buf {
	uint8_t *data;
	size_t len, cap;
	size_t off;             /* bytes already written to the socket */
};

/*
 * struct rpc_frame - reassembles one incoming frame.  Memory grows with
 * the bytes actually received, never with the length a peer claims.
 */
struct rpc_frame {
	uint8_t *buf;
	size_t len, cap;
	size_t want;            /* total frame length, 0 until known */
	size_t skipped;         /* bytes of an oversized frame not kept */
};

struct console;

struct rpc_client {
	bool open;              /* CONNECT_OPEN succeeded */
	bool readonly;          /* opened with VIR_CONNECT_RO (virsh -r) */
	bool closing;           /* drop once the output is flushed */
	char *uri;
	struct rpc_frame in;
	struct rpc_buf out;
	struct console *console; /* its `virsh console` stream (console.c) */
};

/*
 * rpc_frame_feed() - append up to @n bytes of @data, stopping at the end of
 * the current frame; *@used says how many were taken.
 * Return: 1 when a whole frame is in f->buf (f->len bytes, length word
 * included; for a frame over RPC_REQUEST_MAX only its length word and
 * header are kept and f->skipped counts the rest), 0 when more bytes are
 * needed, -EMSGSIZE for a length word below RPC_FRAME_MIN or above
 * RPC_FRAME_MAX, -ENOMEM.
 */
int rpc_frame_feed(struct rpc_frame *f, const uint8_t *data, size_t n,
		   size_t *used);
/* rpc_frame_reset() - forget the current frame, keep the buffer. */
void rpc_frame_reset(struct rpc_frame *f);
void rpc_frame_free(struct rpc_frame *f);

void rpc_buf_free(struct rpc_buf *b);

/*
 * rpc_put_stream() - append a stream packet of the remote program for
 * procedure @proc and stream @serial: @status (HVD_MSG_CONTINUE with @len
 * raw bytes of data, HVD_MSG_OK with none for end of file).  0 or -errno.
 */
int rpc_put_stream(struct rpc_buf *out, int proc, unsigned int serial,
		   int status, const void *data, size_t len);
/* rpc_put_stream_error() - a stream packet with status ERROR and @e. */
int rpc_put_stream_error(struct rpc_buf *out, int proc, unsigned int serial,
			 const struct hvd_err *e);

/*
 * rpc_dispatch() - handle one whole frame @msg/@len (length word included)
 * from client @c and append the reply frames, if any, to c->out.
 * Return: 0, or -EPROTO when the peer broke the protocol badly enough
 * that it must be disconnected (after c->out is flushed).
 */
int rpc_dispatch(struct hvd *h, struct rpc_client *c, const uint8_t *msg,
		 size_t len);

/*
 * rpc_client_input() - the bytes @data/@n a client sent: reassemble frames,
 * dispatch each whole one (c->in) and queue the replies in c->out.
 * Return: 0, or a negative errno when the client must be dropped (after
 * c->out is flushed): a bad length word or a protocol violation.
 */
int rpc_client_input(struct hvd *h, struct rpc_client *c, const uint8_t *data,
		     size_t n);

void rpc_client_free(struct rpc_client *c);

/*
 * rpc_start_done() - hvd->start_done: answer the requests waiting for @d's
 * start (the reply, or @err).  rpc_dispatch() installs it.
 */
void rpc_start_done(struct hvd *h, struct hvd_dom *d, const struct hvd_err *err);

/* ---- used by the procedure tables ---- */

typedef bool_t (*rpc_xdr_fn)(XDR *xdrs, void *obj);

struct rpc_ctx {
	struct hvd *h;
	struct rpc_client *c;
	const struct hvd_msg_header *hdr;  /* the call (its serial names streams) */
	struct hvd_err err;
	const uint8_t *deferred_uuid;      /* with RPC_DEFERRED: the domain */
};

/*
 * A handler returns 0 with *ret filled (malloc'd members) or -1 with
 * ctx->err; or RPC_DEFERRED (a domain start going on in the background,
 * ctx->deferred_uuid set): rpc_start_done() answers later.
 */
#define RPC_DEFERRED 1
typedef int (*rpc_handler)(struct rpc_ctx *ctx, void *args, void *ret);

struct rpc_proc {
	int proc;
	const char *api;        /* libvirt API name, for "not supported" */
	rpc_xdr_fn xargs;       /* NULL: no arguments */
	size_t args_size;
	rpc_xdr_fn xret;        /* NULL: empty reply */
	size_t ret_size;
	rpc_handler fn;         /* NULL: answered "not supported" */
	bool before_open;       /* allowed before CONNECT_OPEN */
	bool writes;            /* refused on a read-only connection */
};

#define RPC_XDR(fn) ((rpc_xdr_fn)(fn))
/* Table helpers: the XDR routine and size of type @t, or nothing. */
#define RPC_X(t) RPC_XDR(xdr_##t), sizeof(t)
#define RPC_NONE NULL, 0
/* Table entries: plain, allowed before CONNECT_OPEN, writing, not served. */
#define RPC_PROC(num, api, args, ret, fn) \
	{ REMOTE_PROC_##num, api, args, ret, fn, false, false }
#define RPC_PRE_OPEN(num, api, args, ret, fn) \
	{ REMOTE_PROC_##num, api, args, ret, fn, true, false }
#define RPC_WRITE(num, api, args, ret, fn) \
	{ REMOTE_PROC_##num, api, args, ret, fn, false, true }
#define RPC_UNSUPPORTED(num, api) \
	{ REMOTE_PROC_##num, api, RPC_NONE, RPC_NONE, NULL, false, false }

extern const struct rpc_proc rpc_domain_procs[];
extern const size_t rpc_domain_nprocs;

/* rpc_get_dom() - the domain @rd names, or NULL with ctx->err (no domain). */
struct hvd_dom *rpc_get_dom(struct rpc_ctx *ctx, const remote_nonnull_domain *rd);
/* rpc_need_running() - 0 if @d runs, else -1 with ctx->err (libvirt's words). */
int rpc_need_running(struct rpc_ctx *ctx, const struct hvd_dom *d);
/* rpc_list_match() - does @d pass virConnectListAllDomains filter @flags? */
bool rpc_list_match(const struct hvd_dom *d, unsigned int flags);

/* rpc_guest.c: procedures over the guest's integration services. */
int rpc_interface_addresses(struct rpc_ctx *ctx, void *args, void *ret);
int rpc_get_guest_info(struct rpc_ctx *ctx, void *args, void *ret);
int rpc_all_domain_stats(struct rpc_ctx *ctx, void *args, void *ret);
int rpc_set_time(struct rpc_ctx *ctx, void *args, void *ret);

/* rpc_devstats.c: disk and NIC counters (virsh domblkstat, domifstat). */
int rpc_block_stats(struct rpc_ctx *ctx, void *args, void *ret);
int rpc_block_stats_flags(struct rpc_ctx *ctx, void *args, void *ret);
int rpc_interface_stats(struct rpc_ctx *ctx, void *args, void *ret);

/* Every disk's and NIC's counters of one domain, for domstats. */
struct rpc_dev_stats {
	size_t nblk, nif;       /* its <disk>s and <interface>s */
	struct hvd_blk_stats blk[DOMAIN_DISKS_MAX];
	struct hvd_if_stats ifs[DOMAIN_NETS_MAX];
	bool blk_ok[DOMAIN_DISKS_MAX], if_ok[DOMAIN_NETS_MAX];  /* counted */
};
/* rpc_mac_str() - @mac as libvirt prints it: "52:54:00:12:34:56". */
void rpc_mac_str(const uint8_t mac[6], char out[18]);
/* rpc_dev_stats_collect() - @d's counters (none while it is not running). */
void rpc_dev_stats_collect(struct rpc_ctx *ctx, struct hvd_dom *d,
			   struct rpc_dev_stats *ds);

struct hvd_guest;
/*
 * The replies' encodings, for tests: @g's KVP addresses as interfaces;
 * its guest info for virDomainGetGuestInfo @types (0: all hvd has);
 * @d's statistics of groups @stats (0: all) into *@params and *@n, the
 * vmbus.* ones from @g (NULL: none), block.* and net.* from @ds (NULL:
 * none).  0, or -1 (ENOMEM, the partly
 * filled reply is for xdr_free()).
 */
int rpc_guest_ifaces(const struct hvd_guest *g,
		     remote_domain_interface_addresses_ret *r);
int rpc_guest_info(const struct hvd_guest *g, unsigned int types,
		   remote_domain_get_guest_info_ret *r);
int rpc_dom_stats(const struct hvd_dom *d, const struct hvd_guest *g,
		  const struct rpc_dev_stats *ds, unsigned int stats,
		  remote_typed_param **params, u_int *n);

/* rpc_set_dom() - fill a remote_nonnull_domain for @d; 0 or -1 (ENOMEM). */
int rpc_set_dom(struct rpc_ctx *ctx, remote_nonnull_domain *out,
		const struct hvd_dom *d);

#endif /* MKHV_HVD_RPC_H */
