// SPDX-License-Identifier: GPL-2.0
/*
 * hvd RPC: a running domain's disk and NIC counters, as stock virsh asks
 * for them (docs/hvd.md "Device statistics"):
 *
 *   virsh domblkstat NAME [DEV]           DOMAIN_BLOCK_STATS_FLAGS, and
 *                                         DOMAIN_BLOCK_STATS (older clients)
 *   virsh domifstat NAME IFACE            DOMAIN_INTERFACE_STATS
 *   virsh domstats --block --interface    block.* and net.* (rpc_guest.c)
 *
 * The counters come from the domain's worker (backend ops blk_stats and
 * if_stats: its storage and network VSPs).  A disk is named by its target
 * ("sda") or its source path, "" meaning every disk summed (as libvirt's
 * QEMU driver does); a NIC by its tap in the parent or its MAC.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "backend.h"
#include "rpc.h"

/* The running domain @rd names, its backend having counters (@has). */
static struct hvd_dom *running(struct rpc_ctx *ctx,
			       const remote_nonnull_domain *rd, bool has,
			       const char *api)
{
	struct hvd_dom *d = rpc_get_dom(ctx, rd);

	if (!d)
		return NULL;
	if (!has) {
		hvd_err_set(&ctx->err, VIR_ERR_NO_SUPPORT, "%s", api);
		return NULL;
	}
	return rpc_need_running(ctx, d) ? NULL : d;
}

/*
 * Disk @path of @d (target or source; "" = all of them) summed into @st.
 * 0, or -1 with ctx->err.
 */
static int disk_counters(struct rpc_ctx *ctx, struct hvd_dom *d,
			 const char *path, struct hvd_blk_stats *st)
{
	struct backend *be = ctx->h->backend;
	bool found = false;

	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < d->def.ndisks; i++) {
		const struct domain_disk *k = &d->def.disks[i];
		struct hvd_blk_stats one;

		if (*path && strcmp(path, k->target) &&
		    (!k->source || strcmp(path, k->source)))
			continue;
		if (be->ops->blk_stats(be, d, i, &one, &ctx->err))
			return -1;
		st->rd_req += one.rd_req;
		st->rd_bytes += one.rd_bytes;
		st->wr_req += one.wr_req;
		st->wr_bytes += one.wr_bytes;
		st->fl_req += one.fl_req;
		st->errs += one.errs;
		found = true;
		if (*path)
			break;
	}
	if (!found && *path)
		return hvd_err_set(&ctx->err, VIR_ERR_INVALID_ARG,
				   "invalid path: %s", path);
	return 0;
}

int rpc_block_stats(struct rpc_ctx *ctx, void *args, void *ret)
{
	remote_domain_block_stats_args *a = args;
	remote_domain_block_stats_ret *r = ret;
	struct hvd_dom *d = running(ctx, &a->dom, ctx->h->backend->ops->blk_stats,
				    "virDomainBlockStats");
	struct hvd_blk_stats st;

	if (!d || disk_counters(ctx, d, a->path, &st))
		return -1;
	r->rd_req = (int64_t)st.rd_req;
	r->rd_bytes = (int64_t)st.rd_bytes;
	r->wr_req = (int64_t)st.wr_req;
	r->wr_bytes = (int64_t)st.wr_bytes;
	r->errs = (int64_t)st.errs;
	return 0;
}

/* virDomainBlockStatsFlags' parameters, in the order they are sent. */
#define BLOCK_PARAMS 6

/* The first @n (<= BLOCK_PARAMS) of @st's parameters into @r; 0 or -1. */
static int block_params(const struct hvd_blk_stats *st, u_int n,
			remote_domain_block_stats_flags_ret *r)
{
	const struct { const char *field; uint64_t v; } p[BLOCK_PARAMS] = {
		{ VIR_DOMAIN_BLOCK_STATS_READ_REQ, st->rd_req },
		{ VIR_DOMAIN_BLOCK_STATS_READ_BYTES, st->rd_bytes },
		{ VIR_DOMAIN_BLOCK_STATS_WRITE_REQ, st->wr_req },
		{ VIR_DOMAIN_BLOCK_STATS_WRITE_BYTES, st->wr_bytes },
		{ VIR_DOMAIN_BLOCK_STATS_FLUSH_REQ, st->fl_req },
		{ VIR_DOMAIN_BLOCK_STATS_ERRS, st->errs },
	};

	r->params.params_val = calloc(n, sizeof(remote_typed_param));
	if (!r->params.params_val)
		return -1;
	for (u_int i = 0; i < n; i++) {
		remote_typed_param *t = &r->params.params_val[i];

		t->field = strdup(p[i].field);
		if (!t->field)
			return -1;
		r->params.params_len = i + 1;	/* what xdr_free() frees */
		t->value.type = HVD_TYPED_PARAM_LLONG;
		t->value.remote_typed_param_value_u.l = (int64_t)p[i].v;
	}
	r->nparams = (int)n;
	return 0;
}

int rpc_block_stats_flags(struct rpc_ctx *ctx, void *args, void *ret)
{
	remote_domain_block_stats_flags_args *a = args;
	remote_domain_block_stats_flags_ret *r = ret;
	struct hvd_dom *d = running(ctx, &a->dom, ctx->h->backend->ops->blk_stats,
				    "virDomainBlockStatsFlags");
	struct hvd_blk_stats st;

	if (!d || hvd_bad_flags(&ctx->err, a->flags, VIR_TYPED_PARAM_STRING_OKAY,
				"virDomainBlockStatsFlags"))
		return -1;
	if (a->nparams < 0 || a->nparams > REMOTE_DOMAIN_BLOCK_STATS_PARAMETERS_MAX)
		return hvd_err_set(&ctx->err, VIR_ERR_RPC, "%s",
				   "nparams too large");
	if (disk_counters(ctx, d, a->path, &st))
		return -1;
	if (a->nparams == 0) {	/* the caller asks how many there are */
		r->nparams = BLOCK_PARAMS;
		return 0;
	}
	if (block_params(&st, a->nparams < BLOCK_PARAMS ? (u_int)a->nparams :
			 BLOCK_PARAMS, r))
		return hvd_err_set(&ctx->err, VIR_ERR_NO_MEMORY, "%s", "");
	return 0;
}

void rpc_mac_str(const uint8_t mac[6], char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

/* Does @path name NIC @i of @d: its tap (@st->ifname) or its MAC? */
static bool nic_named(const struct hvd_dom *d, size_t i,
		      const struct hvd_if_stats *st, const char *path)
{
	char mac[18];

	if (st->ifname[0] && !strcmp(path, st->ifname))
		return true;
	rpc_mac_str(d->def.nets[i].mac, mac);
	return !strcasecmp(path, mac);
}

int rpc_interface_stats(struct rpc_ctx *ctx, void *args, void *ret)
{
	remote_domain_interface_stats_args *a = args;
	remote_domain_interface_stats_ret *r = ret;
	struct backend *be = ctx->h->backend;
	struct hvd_dom *d = running(ctx, &a->dom, be->ops->if_stats,
				    "virDomainInterfaceStats");

	if (!d)
		return -1;
	for (size_t i = 0; i < d->def.nnets; i++) {
		struct hvd_if_stats st;
		struct hvd_err ignored;

		/* A NIC that did not start has no counters and no tap. */
		if (be->ops->if_stats(be, d, i, &st, &ignored))
			continue;
		if (!nic_named(d, i, &st, a->path))
			continue;
		r->rx_bytes = (int64_t)st.rx_bytes;
		r->rx_packets = (int64_t)st.rx_packets;
		r->rx_errs = (int64_t)st.rx_errs;
		r->rx_drop = (int64_t)st.rx_drop;
		r->tx_bytes = (int64_t)st.tx_bytes;
		r->tx_packets = (int64_t)st.tx_packets;
		r->tx_errs = (int64_t)st.tx_errs;
		r->tx_drop = (int64_t)st.tx_drop;
		return 0;
	}
	return hvd_err_set(&ctx->err, VIR_ERR_INVALID_ARG,
			   "invalid path, '%s' is not a known interface", a->path);
}

void rpc_dev_stats_collect(struct rpc_ctx *ctx, struct hvd_dom *d,
			   struct rpc_dev_stats *ds)
{
	struct backend *be = ctx->h->backend;
	struct hvd_err ignored;

	memset(ds, 0, sizeof(*ds));
	ds->nblk = d->def.ndisks < DOMAIN_DISKS_MAX ? d->def.ndisks : DOMAIN_DISKS_MAX;
	ds->nif = d->def.nnets < DOMAIN_NETS_MAX ? d->def.nnets : DOMAIN_NETS_MAX;
	if (d->id <= 0)
		return;
	for (size_t i = 0; be->ops->blk_stats && i < ds->nblk; i++)
		ds->blk_ok[i] = !be->ops->blk_stats(be, d, i, &ds->blk[i], &ignored);
	for (size_t i = 0; be->ops->if_stats && i < ds->nif; i++)
		ds->if_ok[i] = !be->ops->if_stats(be, d, i, &ds->ifs[i], &ignored);
}
