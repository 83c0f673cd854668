// SPDX-License-Identifier: GPL-2.0
/*
 * hvd RPC: what the guest's integration services report, as stock virsh
 * asks for it (DESIGN §8; docs/hvd.md "Guest information"):
 *
 *   virsh domifaddr NAME --source agent   DOMAIN_INTERFACE_ADDRESSES
 *   virsh guestinfo NAME                  DOMAIN_GET_GUEST_INFO
 *   virsh domstats [NAME...]              CONNECT_GET_ALL_DOMAIN_STATS
 *   virsh domtime NAME --sync             DOMAIN_SET_TIME (time sync IC)
 *
 * On Hyper-V the "agent" is the KVP integration service (hv_utils'
 * hv_kvp and hv_kvp_daemon in the guest).  Its auto pool names neither
 * interfaces nor prefixes nor MACs: hvd reports one interface, "kvp",
 * without a hardware address, holding every address the guest listed,
 * prefix 0 (unknown, as libvirt's ARP source does).  domstats carries the
 * VMBus heartbeat as vmbus.* typed parameters beside libvirt's own
 * state/cpu-total/balloon/vcpu groups.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "backend.h"
#include "guest.h"
#include "rpc.h"

/* The one interface KVP's address lists are reported as. */
#define KVP_IFACE_NAME "kvp"

/* ---- typed parameters ---- */

struct tp_list {
	remote_typed_param *v;
	u_int n, cap;
};

/* Append a parameter named by @fmt of @type; NULL on ENOMEM. */
static remote_typed_param *tp_add(struct tp_list *l, int type,
				  const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static remote_typed_param *tp_add(struct tp_list *l, int type,
				  const char *fmt, ...)
{
	remote_typed_param *p;
	char field[VIR_TYPED_PARAM_FIELD_LENGTH];
	va_list ap;

	if (l->n == l->cap) {
		u_int cap = l->cap ? l->cap * 2 : 16;

		p = realloc(l->v, cap * sizeof(*p));
		if (!p)
			return NULL;
		l->v = p;
		l->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(field, sizeof(field), fmt, ap);
	va_end(ap);
	p = &l->v[l->n];
	memset(p, 0, sizeof(*p));
	p->field = strdup(field);
	if (!p->field)
		return NULL;
	p->value.type = type;
	l->n++;
	return p;
}

static int tp_str(struct tp_list *l, const char *field, const char *s)
{
	remote_typed_param *p = tp_add(l, HVD_TYPED_PARAM_STRING, "%s", field);

	if (!p)
		return -1;
	p->value.remote_typed_param_value_u.s = strdup(s);
	return p->value.remote_typed_param_value_u.s ? 0 : -1;
}

static int tp_ull(struct tp_list *l, const char *field, uint64_t v)
{
	remote_typed_param *p = tp_add(l, HVD_TYPED_PARAM_ULLONG, "%s", field);

	if (!p)
		return -1;
	p->value.remote_typed_param_value_u.ul = v;
	return 0;
}

static int tp_uint(struct tp_list *l, const char *field, unsigned int v)
{
	remote_typed_param *p = tp_add(l, HVD_TYPED_PARAM_UINT, "%s", field);

	if (!p)
		return -1;
	p->value.remote_typed_param_value_u.ui = v;
	return 0;
}

static int tp_int(struct tp_list *l, const char *field, int v)
{
	remote_typed_param *p = tp_add(l, HVD_TYPED_PARAM_INT, "%s", field);

	if (!p)
		return -1;
	p->value.remote_typed_param_value_u.i = v;
	return 0;
}

/* ---- the guest's addresses ---- */

struct guest_addrs {
	char a[2 * HVD_GUEST_ADDRS_MAX][46];
	int type[2 * HVD_GUEST_ADDRS_MAX];	/* virIPAddrType */
	size_t n;
};

static void guest_addrs(const struct hvd_guest *g, struct guest_addrs *out)
{
	size_t n4 = hvd_guest_addrs(hvd_guest_kvp(g, HVD_KVP_IPV4), AF_INET,
				    out->a, HVD_GUEST_ADDRS_MAX);
	size_t n6 = hvd_guest_addrs(hvd_guest_kvp(g, HVD_KVP_IPV6), AF_INET6,
				    out->a + n4, HVD_GUEST_ADDRS_MAX);

	out->n = n4 + n6;
	for (size_t i = 0; i < out->n; i++)
		out->type[i] = i < n4 ? VIR_IP_ADDR_TYPE_IPV4 : VIR_IP_ADDR_TYPE_IPV6;
}

int rpc_guest_ifaces(const struct hvd_guest *g,
		     remote_domain_interface_addresses_ret *r)
{
	struct guest_addrs ga;
	remote_domain_interface *ifc;

	memset(r, 0, sizeof(*r));
	guest_addrs(g, &ga);
	if (!ga.n)
		return 0;
	ifc = calloc(1, sizeof(*ifc));
	if (!ifc)
		return -1;
	r->ifaces.ifaces_val = ifc;
	r->ifaces.ifaces_len = 1;
	ifc->name = strdup(KVP_IFACE_NAME);
	ifc->addrs.addrs_val = calloc(ga.n, sizeof(remote_domain_ip_addr));
	if (!ifc->name || !ifc->addrs.addrs_val)
		return -1;
	for (size_t i = 0; i < ga.n; i++) {
		remote_domain_ip_addr *a = &ifc->addrs.addrs_val[i];

		a->type = ga.type[i];
		a->prefix = 0;		/* KVP's auto pool has none */
		a->addr = strdup(ga.a[i]);
		if (!a->addr)
			return -1;
		ifc->addrs.addrs_len = (u_int)i + 1;
	}
	return 0;
}

static int info_ifaces(struct tp_list *l, const struct hvd_guest *g)
{
	struct guest_addrs ga;

	guest_addrs(g, &ga);
	if (tp_uint(l, "if.count", ga.n ? 1 : 0))
		return -1;
	if (!ga.n)
		return 0;
	if (tp_str(l, "if.0.name", KVP_IFACE_NAME) ||
	    tp_uint(l, "if.0.addr.count", (unsigned int)ga.n))
		return -1;
	for (size_t i = 0; i < ga.n; i++) {
		remote_typed_param *p;

		p = tp_add(l, HVD_TYPED_PARAM_STRING, "if.0.addr.%zu.type", i);
		if (!p || !(p->value.remote_typed_param_value_u.s =
			    strdup(ga.type[i] == VIR_IP_ADDR_TYPE_IPV4 ? "ipv4" : "ipv6")))
			return -1;
		p = tp_add(l, HVD_TYPED_PARAM_STRING, "if.0.addr.%zu.addr", i);
		if (!p || !(p->value.remote_typed_param_value_u.s = strdup(ga.a[i])))
			return -1;
		p = tp_add(l, HVD_TYPED_PARAM_UINT, "if.0.addr.%zu.prefix", i);
		if (!p)
			return -1;
	}
	return 0;
}

/* os.*: libvirt's names (virDomainGetGuestInfo) filled from KVP. */
static int info_os(struct tp_list *l, const struct hvd_guest *g)
{
	static const struct { enum hvd_kvp_key k; const char *field; } map[] = {
		{ HVD_KVP_OS_NAME, "os.name" },
		{ HVD_KVP_OS_VERSION, "os.version" },
		{ HVD_KVP_OS_BUILD, "os.kernel-release" },
		{ HVD_KVP_ARCH, "os.machine" },
	};
	const char *major = hvd_guest_kvp(g, HVD_KVP_OS_MAJOR);
	const char *minor = hvd_guest_kvp(g, HVD_KVP_OS_MINOR);

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		const char *v = hvd_guest_kvp(g, map[i].k);

		if (v && *v && tp_str(l, map[i].field, v))
			return -1;
	}
	if (major && *major) {
		char id[2 * HVD_GUEST_VALUE_MAX];

		snprintf(id, sizeof(id), "%s%s%s", major,
			 minor && *minor ? "." : "", minor && *minor ? minor : "");
		if (tp_str(l, "os.version-id", id))
			return -1;
	}
	return 0;
}

int rpc_guest_info(const struct hvd_guest *g, unsigned int types,
		   remote_domain_get_guest_info_ret *r)
{
	struct tp_list l = { 0 };
	const char *host = hvd_guest_kvp(g, HVD_KVP_FQDN);
	int ret = 0;

	if (!types)
		types = VIR_DOMAIN_GUEST_INFO_OS | VIR_DOMAIN_GUEST_INFO_HOSTNAME |
			VIR_DOMAIN_GUEST_INFO_INTERFACES;
	/* Users, time zone, file systems, disks: KVP has none (skipped, as
	 * libvirt skips what its agent does not support). */
	if (types & VIR_DOMAIN_GUEST_INFO_OS)
		ret = info_os(&l, g);
	if (!ret && types & VIR_DOMAIN_GUEST_INFO_HOSTNAME && host && *host)
		ret = tp_str(&l, "hostname", host);
	if (!ret && types & VIR_DOMAIN_GUEST_INFO_INTERFACES)
		ret = info_ifaces(&l, g);
	r->params.params_val = l.v;
	r->params.params_len = l.n;
	return ret;
}

/* ---- domain statistics ---- */

#define STATS_SUPPORTED (VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL | \
			 VIR_DOMAIN_STATS_BALLOON | VIR_DOMAIN_STATS_VCPU | \
			 VIR_DOMAIN_STATS_INTERFACE | VIR_DOMAIN_STATS_BLOCK | \
			 VIR_DOMAIN_STATS_VM)

/* libvirt's block.* group: each disk's name, path and counters. */
static int stats_block(struct tp_list *l, const struct hvd_dom *d,
		       const struct rpc_dev_stats *ds)
{
	if (tp_uint(l, "block.count", (unsigned int)ds->nblk))
		return -1;
	for (size_t i = 0; i < ds->nblk; i++) {
		const struct domain_disk *k = &d->def.disks[i];
		const struct hvd_blk_stats *b = &ds->blk[i];
		const struct { const char *f; uint64_t v; } c[] = {
			{ "rd.reqs", b->rd_req }, { "rd.bytes", b->rd_bytes },
			{ "wr.reqs", b->wr_req }, { "wr.bytes", b->wr_bytes },
			{ "fl.reqs", b->fl_req },
		};
		char f[VIR_TYPED_PARAM_FIELD_LENGTH];

		snprintf(f, sizeof(f), "block.%zu.name", i);
		if (tp_str(l, f, k->target))
			return -1;
		snprintf(f, sizeof(f), "block.%zu.path", i);
		if (k->source && tp_str(l, f, k->source))
			return -1;
		for (size_t j = 0; ds->blk_ok[i] && j < sizeof(c) / sizeof(c[0]); j++) {
			snprintf(f, sizeof(f), "block.%zu.%s", i, c[j].f);
			if (tp_ull(l, f, c[j].v))
				return -1;
		}
	}
	return 0;
}

/* libvirt's net.* group: each NIC's name (its tap, else its MAC) and counters. */
static int stats_net(struct tp_list *l, const struct hvd_dom *d,
		     const struct rpc_dev_stats *ds)
{
	if (tp_uint(l, "net.count", (unsigned int)ds->nif))
		return -1;
	for (size_t i = 0; i < ds->nif; i++) {
		const struct hvd_if_stats *s = &ds->ifs[i];
		const struct { const char *f; uint64_t v; } c[] = {
			{ "rx.bytes", s->rx_bytes }, { "rx.pkts", s->rx_packets },
			{ "rx.errs", s->rx_errs }, { "rx.drop", s->rx_drop },
			{ "tx.bytes", s->tx_bytes }, { "tx.pkts", s->tx_packets },
			{ "tx.errs", s->tx_errs }, { "tx.drop", s->tx_drop },
		};
		char f[VIR_TYPED_PARAM_FIELD_LENGTH], name[18];

		if (ds->if_ok[i] && s->ifname[0])
			snprintf(name, sizeof(name), "%s", s->ifname);
		else
			rpc_mac_str(d->def.nets[i].mac, name);
		snprintf(f, sizeof(f), "net.%zu.name", i);
		if (tp_str(l, f, name))
			return -1;
		for (size_t j = 0; ds->if_ok[i] && j < sizeof(c) / sizeof(c[0]); j++) {
			snprintf(f, sizeof(f), "net.%zu.%s", i, c[j].f);
			if (tp_ull(l, f, c[j].v))
				return -1;
		}
	}
	return 0;
}

static int stats_vmbus(struct tp_list *l, const struct hvd_guest *g)
{
	char v[16];

	if (g->vmbus_major || g->vmbus_minor) {
		snprintf(v, sizeof(v), "%u.%u", g->vmbus_major, g->vmbus_minor);
		if (tp_str(l, "vmbus.version", v))
			return -1;
	}
	if (g->heartbeat &&
	    (tp_ull(l, "vmbus.heartbeat.seq", g->heartbeat_seq) ||
	     tp_str(l, "vmbus.heartbeat.state", g->hung ? "hung" : "alive")))
		return -1;
	return 0;
}

int rpc_dom_stats(const struct hvd_dom *d, const struct hvd_guest *g,
		  const struct rpc_dev_stats *ds, unsigned int stats,
		  remote_typed_param **params, u_int *n)
{
	struct tp_list l = { 0 };
	bool active = d->id > 0;
	int ret = 0;

	if (!stats)
		stats = STATS_SUPPORTED;
	if (stats & VIR_DOMAIN_STATS_STATE)
		ret = tp_int(&l, "state.state", d->state) ||
		      tp_int(&l, "state.reason", d->reason);
	if (!ret && active && stats & VIR_DOMAIN_STATS_CPU_TOTAL)
		ret = tp_ull(&l, "cpu.time", d->cpu_time_ns);
	if (!ret && active && stats & VIR_DOMAIN_STATS_BALLOON)
		ret = tp_ull(&l, "balloon.current", d->def.cur_memory_kib) ||
		      tp_ull(&l, "balloon.maximum", d->def.memory_kib);
	if (!ret && active && stats & VIR_DOMAIN_STATS_VCPU)
		ret = tp_uint(&l, "vcpu.current", d->def.vcpus) ||
		      tp_uint(&l, "vcpu.maximum", d->def.vcpus);
	if (!ret && active && ds && stats & VIR_DOMAIN_STATS_INTERFACE)
		ret = stats_net(&l, d, ds);
	if (!ret && active && ds && stats & VIR_DOMAIN_STATS_BLOCK)
		ret = stats_block(&l, d, ds);
	if (!ret && active && g && stats & VIR_DOMAIN_STATS_VM)
		ret = stats_vmbus(&l, g);
	*params = l.v;
	*n = l.n;
	return ret ? -1 : 0;
}

/* ---- procedures ---- */

static int running_guest(struct rpc_ctx *ctx, struct hvd_dom *d,
			 struct hvd_guest *g)
{
	struct backend *be = ctx->h->backend;

	if (rpc_need_running(ctx, d))
		return -1;
	if (!be->ops->guest)
		return hvd_err_set(&ctx->err, VIR_ERR_AGENT_UNRESPONSIVE,
				   "backend '%s' has no guest integration services",
				   be->ops->name);
	return be->ops->guest(be, d, g, &ctx->err);
}

/* The guest's KVP service answered at least once. */
static int kvp_ready(struct rpc_ctx *ctx, const struct hvd_guest *g)
{
	if (g->kvp)
		return 0;
	return hvd_err_set(&ctx->err, VIR_ERR_AGENT_UNRESPONSIVE, "%s",
			   "the guest's KVP integration service has not answered "
			   "(it needs hv_utils and hv_kvp_daemon)");
}

/*
 * The guest of running domain @rd whose KVP service answered, into @g
 * (@flags must be 0 for @api).  0, or -1 with ctx->err.
 */
static int kvp_guest(struct rpc_ctx *ctx, const remote_nonnull_domain *rd,
		     unsigned int flags, const char *api, struct hvd_guest *g)
{
	struct hvd_dom *d = rpc_get_dom(ctx, rd);

	if (!d || hvd_bad_flags(&ctx->err, flags, 0, api) ||
	    running_guest(ctx, d, g))
		return -1;
	return kvp_ready(ctx, g);
}

int rpc_interface_addresses(struct rpc_ctx *ctx, void *args, void *ret)
{
	remote_domain_interface_addresses_args *a = args;
	struct hvd_guest g;

	if (a->source == VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE ||
	    a->source == VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP)
		return hvd_err_set(&ctx->err, VIR_ERR_OPERATION_UNSUPPORTED,
				   "mkhv has no DHCP leases or ARP table for "
				   "its domains: use --source agent (the KVP "
				   "integration service)");
	if (a->source != VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT)
		return hvd_err_set(&ctx->err, VIR_ERR_ARGUMENT_UNSUPPORTED,
				   "Unknown IP address data source %u", a->source);
	if (kvp_guest(ctx, &a->dom, a->flags, "virDomainInterfaceAddresses", &g))
		return -1;
	if (rpc_guest_ifaces(&g, ret))
		return hvd_err_set(&ctx->err, VIR_ERR_NO_MEMORY, "%s", "");
	return 0;
}

int rpc_get_guest_info(struct rpc_ctx *ctx, void *args, void *ret)
{
	remote_domain_get_guest_info_args *a = args;
	struct hvd_guest g;

	if (kvp_guest(ctx, &a->dom, a->flags, "virDomainGetGuestInfo", &g))
		return -1;
	if (rpc_guest_info(&g, a->types, ret))
		return hvd_err_set(&ctx->err, VIR_ERR_NO_MEMORY, "%s", "");
	return 0;
}

/*
 * virsh domtime --sync: the time synchronization service's SYNC sample
 * sets the guest's clock to the host's.  It carries only the host's time:
 * an arbitrary time (--time, --now without --sync) cannot be set.
 */
int rpc_set_time(struct rpc_ctx *ctx, void *args, void *ret)
{
	remote_domain_set_time_args *a = args;
	struct hvd_dom *d = rpc_get_dom(ctx, &a->dom);
	struct backend *be = ctx->h->backend;

	(void)ret;
	if (!d)
		return -1;
	if (hvd_bad_flags(&ctx->err, a->flags, VIR_DOMAIN_TIME_SYNC,
			  "virDomainSetTime"))
		return -1;
	if (!(a->flags & VIR_DOMAIN_TIME_SYNC))
		return hvd_err_set(&ctx->err, VIR_ERR_ARGUMENT_UNSUPPORTED, "%s",
				   "the time synchronization service sets the "
				   "guest's clock to the host's only: use "
				   "virsh domtime --sync");
	if (rpc_need_running(ctx, d))
		return -1;
	if (!be->ops->sync_time)
		return hvd_err_set(&ctx->err, VIR_ERR_NO_SUPPORT, "%s",
				   "virDomainSetTime");
	return be->ops->sync_time(be, d, &ctx->err);
}

static int stats_record(struct rpc_ctx *ctx, struct hvd_dom *d,
			unsigned int stats, remote_domain_stats_record *rec)
{
	struct backend *be = ctx->h->backend;
	struct hvd_guest g, *gp = NULL;
	struct hvd_err ignored;
	struct rpc_dev_stats *ds = NULL;
	int ret = 0;

	if (d->id > 0 && be->ops->update)
		be->ops->update(be, d);
	if (d->id > 0 && be->ops->guest && !be->ops->guest(be, d, &g, &ignored))
		gp = &g;
	if (d->id > 0 && (!stats || stats & (VIR_DOMAIN_STATS_BLOCK |
					      VIR_DOMAIN_STATS_INTERFACE))) {
		ds = malloc(sizeof(*ds));
		if (!ds)
			return hvd_err_set(&ctx->err, VIR_ERR_NO_MEMORY, "%s", "");
		rpc_dev_stats_collect(ctx, d, ds);
	}
	if (rpc_set_dom(ctx, &rec->dom, d) ||
	    rpc_dom_stats(d, gp, ds, stats, &rec->params.params_val,
			  &rec->params.params_len))
		ret = hvd_err_set(&ctx->err, VIR_ERR_NO_MEMORY, "%s", "");
	free(ds);
	return ret;
}

int rpc_all_domain_stats(struct rpc_ctx *ctx, void *args, void *ret)
{
	remote_connect_get_all_domain_stats_args *a = args;
	remote_connect_get_all_domain_stats_ret *r = ret;
	const unsigned int filters = 0xff;	/* ACTIVE ... OTHER, as listing */
	const unsigned int ok = filters |
		VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT |
		VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING |
		VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS;
	struct hvd *h = ctx->h;
	size_t i, n = a->doms.doms_len ? a->doms.doms_len : h->ndoms;

	if (hvd_bad_flags(&ctx->err, a->flags, ok, "virConnectGetAllDomainStats"))
		return -1;
	if (a->flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS &&
	    a->stats & ~STATS_SUPPORTED)
		return hvd_err_set(&ctx->err, VIR_ERR_ARGUMENT_UNSUPPORTED,
				   "Stats types bits 0x%x are not supported by "
				   "this daemon", a->stats & ~STATS_SUPPORTED);
	if (!n)
		return 0;
	r->retStats.retStats_val = calloc(n, sizeof(remote_domain_stats_record));
	if (!r->retStats.retStats_val)
		return hvd_err_set(&ctx->err, VIR_ERR_NO_MEMORY, "%s", "");
	for (i = 0; i < n; i++) {
		remote_domain_stats_record *rec =
			&r->retStats.retStats_val[r->retStats.retStats_len];
		struct hvd_dom *d;

		if (a->doms.doms_len) {
			d = rpc_get_dom(ctx, &a->doms.doms_val[i]);
			if (!d)
				return -1;
		} else {
			d = h->doms[i];
			if (!rpc_list_match(d, a->flags & filters))
				continue;
		}
		r->retStats.retStats_len++;
		if (stats_record(ctx, d, a->stats, rec))
			return -1;
	}
	return 0;
}
