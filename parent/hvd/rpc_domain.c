// SPDX-License-Identifier: GPL-2.0
/*
 * hvd RPC: the domain procedures of libvirt's remote program.  Each handler
 * decodes nothing itself (rpc.c did) and only maps arguments to the domain
 * operations in domains.c and their results to the _ret structures.
 */
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "backend.h"
#include "console.h"
#include "rpc.h"

/* The domain a call names; libvirt's drivers look it up by UUID. */
struct hvd_dom *rpc_get_dom(struct rpc_ctx *ctx, const remote_nonnull_domain *rd)
{
	struct hvd_dom *d = hvd_by_uuid(ctx->h, (const uint8_t *)rd->uuid);
	char uuid[37];

	if (!d) {
		hvd_uuid_format((const uint8_t *)rd->uuid, uuid);
		hvd_err_set(&ctx->err, VIR_ERR_NO_DOMAIN,
			    "no domain with matching uuid '%s' (%.64s)", uuid,
			    rd->name ? rd->name : "");
	}
	return d;
}

int rpc_need_running(struct rpc_ctx *ctx, const struct hvd_dom *d)
{
	if (d->id > 0 && d->state == VIR_DOMAIN_RUNNING)
		return 0;
	return hvd_err_set(&ctx->err, VIR_ERR_OPERATION_INVALID,
			   "domain is not running");
}

/*
 * Procedures that take a domain, with or without flags, all decode into a
 * remote_domain_flags_args (see DOM/DOM_FLAGS in the table): without flags
 * the field stays 0, so one handler serves both forms.
 */
#define DOM_FLAGS_ARG(args) ((remote_domain_flags_args *)(args))
#define DOM_ARG(args) (&DOM_FLAGS_ARG(args)->dom)

static int ret_dom(struct rpc_ctx *ctx, void *ret, const struct hvd_dom *d)
{
	return rpc_set_dom(ctx, &((remote_domain_ret *)ret)->dom, d);
}

static int ret_int(void *ret, int v)
{
	((remote_int_ret *)ret)->value = v;
	return 0;
}

typedef int (*dom_op)(struct hvd *h, struct hvd_dom *d, unsigned int flags,
		      struct hvd_err *err);

static int run_op(struct rpc_ctx *ctx, void *args, dom_op op)
{
	struct hvd_dom *d = rpc_get_dom(ctx, DOM_ARG(args));

	return d ? op(ctx->h, d, DOM_FLAGS_ARG(args)->flags, &ctx->err) : -1;
}

/* ---- lookups ---- */

static int lookup_by_name(struct rpc_ctx *ctx, void *args, void *ret)
{
	const char *name = ((remote_domain_lookup_by_name_args *)args)->name;
	struct hvd_dom *d = hvd_by_name(ctx->h, name);

	if (!d)
		return hvd_err_set(&ctx->err, VIR_ERR_NO_DOMAIN,
				   "no domain with matching name '%.64s'", name);
	return ret_dom(ctx, ret, d);
}

static int lookup_by_uuid(struct rpc_ctx *ctx, void *args, void *ret)
{
	const uint8_t *uuid =
		(const uint8_t *)((remote_domain_lookup_by_uuid_args *)args)->uuid;
	struct hvd_dom *d = hvd_by_uuid(ctx->h, uuid);
	char s[37];

	if (!d) {
		hvd_uuid_format(uuid, s);
		return hvd_err_set(&ctx->err, VIR_ERR_NO_DOMAIN,
				   "no domain with matching uuid '%s'", s);
	}
	return ret_dom(ctx, ret, d);
}

static int lookup_by_id(struct rpc_ctx *ctx, void *args, void *ret)
{
	int id = ((remote_domain_lookup_by_id_args *)args)->id;
	struct hvd_dom *d = hvd_by_id(ctx->h, id);

	if (!d)
		return hvd_err_set(&ctx->err, VIR_ERR_NO_DOMAIN,
				   "no domain with matching id %d", id);
	return ret_dom(ctx, ret, d);
}

/* ---- lists ---- */

static bool pick(unsigned int f, unsigned int yes, unsigned int no, bool is)
{
	if (!(f & (yes | no)) || (f & yes && f & no))
		return true;
	return is ? !!(f & yes) : !!(f & no);
}

bool rpc_list_match(const struct hvd_dom *d, unsigned int f)
{
	bool other = d->state != VIR_DOMAIN_RUNNING &&
		     d->state != VIR_DOMAIN_PAUSED &&
		     d->state != VIR_DOMAIN_SHUTOFF;
	const unsigned int states = VIR_CONNECT_LIST_DOMAINS_RUNNING |
		VIR_CONNECT_LIST_DOMAINS_PAUSED |
		VIR_CONNECT_LIST_DOMAINS_SHUTOFF |
		VIR_CONNECT_LIST_DOMAINS_OTHER;

	if (f & states &&
	    !((f & VIR_CONNECT_LIST_DOMAINS_RUNNING && d->state == VIR_DOMAIN_RUNNING) ||
	      (f & VIR_CONNECT_LIST_DOMAINS_PAUSED && d->state == VIR_DOMAIN_PAUSED) ||
	      (f & VIR_CONNECT_LIST_DOMAINS_SHUTOFF && d->state == VIR_DOMAIN_SHUTOFF) ||
	      (f & VIR_CONNECT_LIST_DOMAINS_OTHER && other)))
		return false;
	/* mkhv has no managed save, snapshots or checkpoints. */
	return pick(f, VIR_CONNECT_LIST_DOMAINS_ACTIVE,
		    VIR_CONNECT_LIST_DOMAINS_INACTIVE, d->id > 0) &&
	       pick(f, VIR_CONNECT_LIST_DOMAINS_PERSISTENT,
		    VIR_CONNECT_LIST_DOMAINS_TRANSIENT, d->persistent) &&
	       pick(f, VIR_CONNECT_LIST_DOMAINS_AUTOSTART,
		    VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART, d->autostart) &&
	       pick(f, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE,
		    VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE, false) &&
	       pick(f, VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT,
		    VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT, false) &&
	       pick(f, VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT,
		    VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT, false);
}

static int list_all(struct rpc_ctx *ctx, void *args, void *ret)
{
	remote_connect_list_all_domains_args *a = args;
	remote_connect_list_all_domains_ret *r = ret;
	struct hvd *h = ctx->h;
	size_t i, n = 0;

	if (hvd_bad_flags(&ctx->err, a->flags, 0xffffu, "virConnectListAllDomains"))
		return -1;
	if (a->need_results && h->ndoms) {
		r->domains.domains_val = calloc(h->ndoms, sizeof(remote_nonnull_domain));
		if (!r->domains.domains_val)
			return hvd_err_set(&ctx->err, VIR_ERR_NO_MEMORY, "%s", "");
	}
	for (i = 0; i < h->ndoms && n < REMOTE_DOMAIN_LIST_MAX; i++) {
		if (!rpc_list_match(h->doms[i], a->flags))
			continue;
		if (a->need_results) {
			if (rpc_set_dom(ctx, &r->domains.domains_val[n], h->doms[i]))
				return -1;
			r->domains.domains_len = (u_int)n + 1;
		}
		n++;
	}
	r->ret = (u_int)n;
	return 0;
}

static int num_of(struct rpc_ctx *ctx, void *ret, bool active)
{
	size_t i;
	int n = 0;

	for (i = 0; i < ctx->h->ndoms; i++)
		n += (ctx->h->doms[i]->id > 0) == active;
	return ret_int(ret, n);
}

static int num_of_domains(struct rpc_ctx *ctx, void *args, void *ret)
{
	(void)args;
	return num_of(ctx, ret, true);
}

static int num_of_defined(struct rpc_ctx *ctx, void *args, void *ret)
{
	(void)args;
	return num_of(ctx, ret, false);
}

static int bad_max(struct rpc_ctx *ctx, int max)
{
	if (max >= 0 && max <= REMOTE_DOMAIN_LIST_MAX)
		return 0;
	return hvd_err_set(&ctx->err, VIR_ERR_RPC,
			   "too many remote domains requested (%d)", max);
}

static int list_domains(struct rpc_ctx *ctx, void *args, void *ret)
{
	int max = ((remote_connect_list_domains_args *)args)->maxids;
	remote_connect_list_domains_ret *r = ret;
	size_t i;

	if (bad_max(ctx, max))
		return -1;
	r->ids.ids_val = calloc((size_t)max + 1, sizeof(int));
	if (!r->ids.ids_val)
		return hvd_err_set(&ctx->err, VIR_ERR_NO_MEMORY, "%s", "");
	for (i = 0; i < ctx->h->ndoms && r->ids.ids_len < (u_int)max; i++)
		if (ctx->h->doms[i]->id > 0)
			r->ids.ids_val[r->ids.ids_len++] = ctx->h->doms[i]->id;
	return 0;
}

static int list_defined(struct rpc_ctx *ctx, void *args, void *ret)
{
	int max = ((remote_connect_list_defined_domains_args *)args)->maxnames;
	remote_connect_list_defined_domains_ret *r = ret;
	size_t i;

	if (bad_max(ctx, max))
		return -1;
	r->names.names_val = calloc((size_t)max + 1, sizeof(char *));
	if (!r->names.names_val)
		return hvd_err_set(&ctx->err, VIR_ERR_NO_MEMORY, "%s", "");
	for (i = 0; i < ctx->h->ndoms && r->names.names_len < (u_int)max; i++) {
		char *name;

		if (ctx->h->doms[i]->id > 0)
			continue;
		name = strdup(ctx->h->doms[i]->def.name);
		if (!name)
			return hvd_err_set(&ctx->err, VIR_ERR_NO_MEMORY, "%s", "");
		r->names.names_val[r->names.names_len++] = name;
	}
	return 0;
}

/* ---- definitions ---- */

static int define(struct rpc_ctx *ctx, const char *xml, unsigned int flags,
		  void *ret)
{
	struct hvd_dom *d;

	if (hvd_define(ctx->h, xml, strlen(xml), flags, &d, &ctx->err))
		return -1;
	return ret_dom(ctx, ret, d);
}

static int define_xml(struct rpc_ctx *ctx, void *args, void *ret)
{
	return define(ctx, ((remote_domain_define_xml_args *)args)->xml, 0, ret);
}

static int define_xml_flags(struct rpc_ctx *ctx, void *args, void *ret)
{
	remote_domain_define_xml_flags_args *a = args;

	return define(ctx, a->xml, a->flags, ret);
}

static int undefine(struct rpc_ctx *ctx, void *args, void *ret)
{
	(void)ret;
	return run_op(ctx, args, hvd_undefine);
}

static int get_xml_desc(struct rpc_ctx *ctx, void *args, void *ret)
{
	const unsigned int ok = VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE |
				VIR_DOMAIN_XML_UPDATE_CPU |
				VIR_DOMAIN_XML_MIGRATABLE;
	unsigned int flags = DOM_FLAGS_ARG(args)->flags;
	struct hvd_dom *d = rpc_get_dom(ctx, DOM_ARG(args));
	char *xml;

	if (!d)
		return -1;
	if (hvd_bad_flags(&ctx->err, flags, ok, "virDomainGetXMLDesc"))
		return -1;
	xml = domain_xml_format(&d->def);
	if (!xml)
		return hvd_err_set(&ctx->err, VIR_ERR_NO_MEMORY, "%s", "");
	((remote_domain_get_xml_desc_ret *)ret)->xml = xml;
	return 0;
}

/* ---- life cycle ---- */

/* A start the backend finishes later is answered by rpc_start_done(). */
static int start(struct rpc_ctx *ctx, void *args)
{
	int r = run_op(ctx, args, hvd_start);

	if (r > 0) {
		ctx->deferred_uuid = (const uint8_t *)DOM_ARG(args)->uuid;
		return RPC_DEFERRED;
	}
	return r;
}

static int create(struct rpc_ctx *ctx, void *args, void *ret)
{
	(void)ret;
	return start(ctx, args);
}

static int create_with_flags(struct rpc_ctx *ctx, void *args, void *ret)
{
	int r = start(ctx, args);

	if (r)
		return r;
	return ret_dom(ctx, ret, hvd_by_uuid(ctx->h,
			(const uint8_t *)DOM_ARG(args)->uuid));
}

static int shutdown_(struct rpc_ctx *ctx, void *args, void *ret)
{
	(void)ret;
	return run_op(ctx, args, hvd_shutdown);
}

static int destroy(struct rpc_ctx *ctx, void *args, void *ret)
{
	(void)ret;
	return run_op(ctx, args, hvd_destroy);
}

static int reboot(struct rpc_ctx *ctx, void *args, void *ret)
{
	(void)ret;
	return run_op(ctx, args, hvd_reboot);
}

/* ---- queries ---- */

static int get_info(struct rpc_ctx *ctx, void *args, void *ret)
{
	struct hvd_dom *d = rpc_get_dom(ctx, DOM_ARG(args));
	remote_domain_get_info_ret *r = ret;
	struct backend *be = ctx->h->backend;

	if (!d)
		return -1;
	if (be->ops->update)
		be->ops->update(be, d);
	r->state = (u_char)d->state;
	r->maxMem = d->def.memory_kib;
	r->memory = d->def.cur_memory_kib;
	r->nrVirtCpu = (u_short)d->def.vcpus;
	r->cpuTime = d->id > 0 ? d->cpu_time_ns : 0;
	return 0;
}

static int get_state(struct rpc_ctx *ctx, void *args, void *ret)
{
	struct hvd_dom *d = rpc_get_dom(ctx, DOM_ARG(args));
	remote_domain_get_state_ret *r = ret;

	if (!d)
		return -1;
	if (hvd_bad_flags(&ctx->err, DOM_FLAGS_ARG(args)->flags, 0,
			  "virDomainGetState"))
		return -1;
	r->state = d->state;
	r->reason = d->reason;
	return 0;
}

static int get_autostart(struct rpc_ctx *ctx, void *args, void *ret)
{
	struct hvd_dom *d = rpc_get_dom(ctx, DOM_ARG(args));

	return d ? ret_int(ret, d->autostart) : -1;
}

static int set_autostart(struct rpc_ctx *ctx, void *args, void *ret)
{
	remote_domain_set_autostart_args *a = args;
	struct hvd_dom *d = rpc_get_dom(ctx, &a->dom);

	(void)ret;
	return d ? hvd_set_autostart(ctx->h, d, a->autostart != 0, &ctx->err) : -1;
}

static int is_active(struct rpc_ctx *ctx, void *args, void *ret)
{
	struct hvd_dom *d = rpc_get_dom(ctx, DOM_ARG(args));

	return d ? ret_int(ret, d->id > 0) : -1;
}

static int is_persistent(struct rpc_ctx *ctx, void *args, void *ret)
{
	struct hvd_dom *d = rpc_get_dom(ctx, DOM_ARG(args));

	return d ? ret_int(ret, d->persistent) : -1;
}

/* is_updated, has_managed_save_image: never, in mkhv. */
static int always_no(struct rpc_ctx *ctx, void *args, void *ret)
{
	return rpc_get_dom(ctx, DOM_ARG(args)) ? ret_int(ret, 0) : -1;
}

static int get_os_type(struct rpc_ctx *ctx, void *args, void *ret)
{
	char **type = &((remote_domain_get_os_type_ret *)ret)->type;

	if (!rpc_get_dom(ctx, DOM_ARG(args)))
		return -1;
	*type = strdup("hvm");
	return *type ? 0 : hvd_err_set(&ctx->err, VIR_ERR_NO_MEMORY, "%s", "");
}

static int get_max_memory(struct rpc_ctx *ctx, void *args, void *ret)
{
	struct hvd_dom *d = rpc_get_dom(ctx, DOM_ARG(args));

	if (!d)
		return -1;
	((remote_domain_get_max_memory_ret *)ret)->memory = d->def.memory_kib;
	return 0;
}

static int get_max_vcpus(struct rpc_ctx *ctx, void *args, void *ret)
{
	struct hvd_dom *d = rpc_get_dom(ctx, DOM_ARG(args));

	return d ? ret_int(ret, (int)d->def.vcpus) : -1;
}

/* ---- console ---- */

static int open_console(struct rpc_ctx *ctx, void *args, void *ret)
{
	remote_domain_open_console_args *a = args;
	struct hvd_dom *d = rpc_get_dom(ctx, &a->dom);
	const char *dev = a->dev_name ? *a->dev_name : NULL;
	struct backend *be = ctx->h->backend;
	char path[256];

	(void)ret;
	if (!d)
		return -1;
	if (hvd_bad_flags(&ctx->err, a->flags,
			  VIR_DOMAIN_CONSOLE_FORCE | VIR_DOMAIN_CONSOLE_SAFE,
			  "virDomainOpenConsole"))
		return -1;
	if (rpc_need_running(ctx, d))
		return -1;
	/* The one console: the first serial port, by either of its names. */
	if (dev && strcmp(dev, "serial0") && strcmp(dev, "console0"))
		return hvd_err_set(&ctx->err, VIR_ERR_INTERNAL_ERROR,
				   "cannot find character device %.64s", dev);
	if (!be->ops->console_path)
		return hvd_err_set(&ctx->err, VIR_ERR_NO_SUPPORT, "%s",
				   "virDomainOpenConsole");
	if (be->ops->console_path(be, d, path, sizeof(path), &ctx->err))
		return -1;
	return console_attach(ctx->c, ctx->hdr->serial, path,
			      a->flags & VIR_DOMAIN_CONSOLE_FORCE, &ctx->err);
}

/* ---- the table ---- */

#define X(t) RPC_X(t)
#define NONE RPC_NONE
#define DOM RPC_XDR(xdr_remote_domain_args), sizeof(remote_domain_flags_args)
#define DOM_FLAGS X(remote_domain_flags_args)
#define PROC RPC_PROC
#define WPROC RPC_WRITE
#define UNSUPPORTED RPC_UNSUPPORTED

const struct rpc_proc rpc_domain_procs[] = {
	PROC(DOMAIN_LOOKUP_BY_NAME, "virDomainLookupByName",
	     X(remote_domain_lookup_by_name_args), X(remote_domain_ret), lookup_by_name),
	PROC(DOMAIN_LOOKUP_BY_UUID, "virDomainLookupByUUID",
	     X(remote_domain_lookup_by_uuid_args), X(remote_domain_ret), lookup_by_uuid),
	PROC(DOMAIN_LOOKUP_BY_ID, "virDomainLookupByID",
	     X(remote_domain_lookup_by_id_args), X(remote_domain_ret), lookup_by_id),
	PROC(CONNECT_LIST_ALL_DOMAINS, "virConnectListAllDomains",
	     X(remote_connect_list_all_domains_args),
	     X(remote_connect_list_all_domains_ret), list_all),
	PROC(CONNECT_NUM_OF_DOMAINS, "virConnectNumOfDomains",
	     NONE, X(remote_int_ret), num_of_domains),
	PROC(CONNECT_NUM_OF_DEFINED_DOMAINS, "virConnectNumOfDefinedDomains",
	     NONE, X(remote_int_ret), num_of_defined),
	PROC(CONNECT_LIST_DOMAINS, "virConnectListDomains",
	     X(remote_connect_list_domains_args),
	     X(remote_connect_list_domains_ret), list_domains),
	PROC(CONNECT_LIST_DEFINED_DOMAINS, "virConnectListDefinedDomains",
	     X(remote_connect_list_defined_domains_args),
	     X(remote_connect_list_defined_domains_ret), list_defined),
	WPROC(DOMAIN_DEFINE_XML, "virDomainDefineXML",
	     X(remote_domain_define_xml_args), X(remote_domain_ret), define_xml),
	WPROC(DOMAIN_DEFINE_XML_FLAGS, "virDomainDefineXMLFlags",
	     X(remote_domain_define_xml_flags_args), X(remote_domain_ret),
	     define_xml_flags),
	WPROC(DOMAIN_UNDEFINE, "virDomainUndefine",
	     DOM, NONE, undefine),
	WPROC(DOMAIN_UNDEFINE_FLAGS, "virDomainUndefineFlags",
	     DOM_FLAGS, NONE, undefine),
	PROC(DOMAIN_GET_XML_DESC, "virDomainGetXMLDesc",
	     DOM_FLAGS, X(remote_domain_get_xml_desc_ret),
	     get_xml_desc),
	WPROC(DOMAIN_CREATE, "virDomainCreate", DOM, NONE, create),
	WPROC(DOMAIN_CREATE_WITH_FLAGS, "virDomainCreateWithFlags",
	     DOM_FLAGS, X(remote_domain_ret), create_with_flags),
	WPROC(DOMAIN_SHUTDOWN, "virDomainShutdown",
	     DOM, NONE, shutdown_),
	WPROC(DOMAIN_SHUTDOWN_FLAGS, "virDomainShutdownFlags",
	     DOM_FLAGS, NONE, shutdown_),
	WPROC(DOMAIN_DESTROY, "virDomainDestroy", DOM, NONE, destroy),
	WPROC(DOMAIN_DESTROY_FLAGS, "virDomainDestroyFlags",
	     DOM_FLAGS, NONE, destroy),
	WPROC(DOMAIN_REBOOT, "virDomainReboot",
	     DOM_FLAGS, NONE, reboot),
	PROC(DOMAIN_GET_INFO, "virDomainGetInfo",
	     DOM, X(remote_domain_get_info_ret), get_info),
	PROC(DOMAIN_GET_STATE, "virDomainGetState",
	     DOM_FLAGS, X(remote_domain_get_state_ret), get_state),
	PROC(DOMAIN_GET_AUTOSTART, "virDomainGetAutostart",
	     DOM, X(remote_int_ret), get_autostart),
	WPROC(DOMAIN_SET_AUTOSTART, "virDomainSetAutostart",
	     X(remote_domain_set_autostart_args), NONE, set_autostart),
	PROC(DOMAIN_IS_ACTIVE, "virDomainIsActive",
	     DOM, X(remote_int_ret), is_active),
	PROC(DOMAIN_IS_PERSISTENT, "virDomainIsPersistent",
	     DOM, X(remote_int_ret), is_persistent),
	PROC(DOMAIN_IS_UPDATED, "virDomainIsUpdated",
	     DOM, X(remote_int_ret), always_no),
	PROC(DOMAIN_HAS_MANAGED_SAVE_IMAGE, "virDomainHasManagedSaveImage",
	     DOM_FLAGS, X(remote_int_ret), always_no),
	PROC(DOMAIN_GET_OS_TYPE, "virDomainGetOSType",
	     DOM, X(remote_domain_get_os_type_ret), get_os_type),
	PROC(DOMAIN_GET_MAX_MEMORY, "virDomainGetMaxMemory",
	     DOM, X(remote_domain_get_max_memory_ret),
	     get_max_memory),
	PROC(DOMAIN_GET_MAX_VCPUS, "virDomainGetMaxVcpus",
	     DOM, X(remote_int_ret), get_max_vcpus),
	PROC(DOMAIN_GET_VCPUS_FLAGS, "virDomainGetVcpusFlags",
	     DOM_FLAGS, X(remote_int_ret), get_max_vcpus),
	WPROC(DOMAIN_OPEN_CONSOLE, "virDomainOpenConsole",
	     X(remote_domain_open_console_args), NONE, open_console),
	/* rpc_guest.c: what the guest's integration services report. */
	PROC(DOMAIN_INTERFACE_ADDRESSES, "virDomainInterfaceAddresses",
	     X(remote_domain_interface_addresses_args),
	     X(remote_domain_interface_addresses_ret), rpc_interface_addresses),
	WPROC(DOMAIN_GET_GUEST_INFO, "virDomainGetGuestInfo",
	     X(remote_domain_get_guest_info_args),
	     X(remote_domain_get_guest_info_ret), rpc_get_guest_info),
	WPROC(DOMAIN_SET_TIME, "virDomainSetTime",
	     X(remote_domain_set_time_args), NONE, rpc_set_time),
	UNSUPPORTED(DOMAIN_GET_TIME, "virDomainGetTime"),
	/* rpc_devstats.c: disk and NIC counters. */
	PROC(DOMAIN_BLOCK_STATS, "virDomainBlockStats",
	     X(remote_domain_block_stats_args),
	     X(remote_domain_block_stats_ret), rpc_block_stats),
	PROC(DOMAIN_BLOCK_STATS_FLAGS, "virDomainBlockStatsFlags",
	     X(remote_domain_block_stats_flags_args),
	     X(remote_domain_block_stats_flags_ret), rpc_block_stats_flags),
	PROC(DOMAIN_INTERFACE_STATS, "virDomainInterfaceStats",
	     X(remote_domain_interface_stats_args),
	     X(remote_domain_interface_stats_ret), rpc_interface_stats),
	PROC(CONNECT_GET_ALL_DOMAIN_STATS, "virConnectGetAllDomainStats",
	     X(remote_connect_get_all_domain_stats_args),
	     X(remote_connect_get_all_domain_stats_ret), rpc_all_domain_stats),
	UNSUPPORTED(DOMAIN_ATTACH_DEVICE, "virDomainAttachDevice"),
	UNSUPPORTED(DOMAIN_ATTACH_DEVICE_FLAGS, "virDomainAttachDeviceFlags"),
	UNSUPPORTED(DOMAIN_DETACH_DEVICE, "virDomainDetachDevice"),
	UNSUPPORTED(DOMAIN_DETACH_DEVICE_FLAGS, "virDomainDetachDeviceFlags"),
	UNSUPPORTED(DOMAIN_CREATE_XML, "virDomainCreateXML"),
	UNSUPPORTED(DOMAIN_GET_VCPUS, "virDomainGetVcpus"),
	UNSUPPORTED(DOMAIN_PIN_VCPU, "virDomainPinVcpu"),
	UNSUPPORTED(DOMAIN_SUSPEND, "virDomainSuspend"),
	UNSUPPORTED(DOMAIN_RESUME, "virDomainResume"),
	UNSUPPORTED(DOMAIN_SET_MAX_MEMORY, "virDomainSetMaxMemory"),
	UNSUPPORTED(DOMAIN_SET_MEMORY, "virDomainSetMemory"),
	UNSUPPORTED(DOMAIN_SET_MEMORY_FLAGS, "virDomainSetMemoryFlags"),
	UNSUPPORTED(DOMAIN_SET_VCPUS, "virDomainSetVcpus"),
	UNSUPPORTED(DOMAIN_SET_VCPUS_FLAGS, "virDomainSetVcpusFlags"),
	UNSUPPORTED(DOMAIN_CORE_DUMP, "virDomainCoreDump"),
	UNSUPPORTED(DOMAIN_SAVE, "virDomainSave"),
	UNSUPPORTED(DOMAIN_RESTORE, "virDomainRestore"),
	UNSUPPORTED(DOMAIN_MANAGED_SAVE, "virDomainManagedSave"),
	UNSUPPORTED(DOMAIN_SNAPSHOT_CREATE_XML, "virDomainSnapshotCreateXML"),
	UNSUPPORTED(DOMAIN_GET_SCHEDULER_TYPE, "virDomainGetSchedulerType"),
	UNSUPPORTED(DOMAIN_GET_SECURITY_LABEL, "virDomainGetSecurityLabel"),
	UNSUPPORTED(DOMAIN_GET_SECURITY_LABEL_LIST, "virDomainGetSecurityLabelList"),
	UNSUPPORTED(DOMAIN_GET_JOB_INFO, "virDomainGetJobInfo"),
	UNSUPPORTED(DOMAIN_GET_JOB_STATS, "virDomainGetJobStats"),
	UNSUPPORTED(DOMAIN_MEMORY_STATS, "virDomainMemoryStats"),
	UNSUPPORTED(DOMAIN_SNAPSHOT_NUM, "virDomainSnapshotNum"),
	UNSUPPORTED(DOMAIN_LIST_ALL_SNAPSHOTS, "virDomainListAllSnapshots"),
	UNSUPPORTED(DOMAIN_RESET, "virDomainReset"),
	UNSUPPORTED(DOMAIN_RENAME, "virDomainRename"),
	UNSUPPORTED(DOMAIN_GET_METADATA, "virDomainGetMetadata"),
	UNSUPPORTED(DOMAIN_MIGRATE_PREPARE, "virDomainMigrate"),
	UNSUPPORTED(DOMAIN_MIGRATE_BEGIN3, "virDomainMigrate"),
	UNSUPPORTED(DOMAIN_MIGRATE_PREPARE3, "virDomainMigrate"),
	UNSUPPORTED(DOMAIN_MIGRATE_PERFORM3, "virDomainMigrate"),
	UNSUPPORTED(DOMAIN_MIGRATE_FINISH3, "virDomainMigrate"),
	UNSUPPORTED(DOMAIN_MIGRATE_CONFIRM3, "virDomainMigrate"),
	UNSUPPORTED(DOMAIN_MIGRATE_BEGIN3_PARAMS, "virDomainMigrate"),
	UNSUPPORTED(DOMAIN_MIGRATE_PREPARE3_PARAMS, "virDomainMigrate"),
	UNSUPPORTED(DOMAIN_MIGRATE_PERFORM3_PARAMS, "virDomainMigrate"),
	UNSUPPORTED(DOMAIN_MIGRATE_FINISH3_PARAMS, "virDomainMigrate"),
	UNSUPPORTED(DOMAIN_MIGRATE_CONFIRM3_PARAMS, "virDomainMigrate"),
};

const size_t rpc_domain_nprocs = sizeof(rpc_domain_procs) /
				 sizeof(rpc_domain_procs[0]);
