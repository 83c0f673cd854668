// SPDX-License-Identifier: GPL-2.0
/*
 * hvd domain table and the operations behind the libvirt procedures:
 * define/undefine (persisted through state.c), start/shutdown/destroy/
 * reboot (through the backend), autostart.  Verdicts and messages follow
 * libvirt's so that virsh prints what admins expect.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "backend.h"
#include "hvd.h"
#include "state.h"

/* libvirt's message prefix for each error code hvd reports. */
static const char *err_prefix(int code)
{
	switch (code) {
	case VIR_ERR_INTERNAL_ERROR:     return "internal error: ";
	case VIR_ERR_NO_MEMORY:          return "out of memory";
	case VIR_ERR_NO_SUPPORT:
		return "this function is not supported by the connection driver: ";
	case VIR_ERR_NO_CONNECT:         return "no connection driver available for ";
	case VIR_ERR_OPERATION_DENIED:   return "operation forbidden: ";
	case VIR_ERR_INVALID_ARG:        return "invalid argument: ";
	case VIR_ERR_OPERATION_FAILED:   return "operation failed: ";
	case VIR_ERR_XML_ERROR:          return "XML error: ";
	case VIR_ERR_RPC:                return "RPC error: ";
	case VIR_ERR_NO_DOMAIN:          return "Domain not found: ";
	case VIR_ERR_OPERATION_INVALID:  return "Requested operation is not valid: ";
	case VIR_ERR_CONFIG_UNSUPPORTED: return "unsupported configuration: ";
	case VIR_ERR_OPERATION_UNSUPPORTED: return "Operation not supported: ";
	case VIR_ERR_ARGUMENT_UNSUPPORTED: return "argument unsupported: ";
	case VIR_ERR_AGENT_UNRESPONSIVE: return "Guest agent is not responding: ";
	default:                         return "";
	}
}

static int err_domain(int code)
{
	switch (code) {
	case VIR_ERR_NO_DOMAIN:
	case VIR_ERR_OPERATION_INVALID:
	case VIR_ERR_OPERATION_FAILED:
	case VIR_ERR_OPERATION_UNSUPPORTED:
	case VIR_ERR_AGENT_UNRESPONSIVE:
		return VIR_FROM_DOM;
	case VIR_ERR_XML_ERROR:
	case VIR_ERR_CONFIG_UNSUPPORTED:
		return VIR_FROM_DOMAIN;
	case VIR_ERR_RPC:
		return VIR_FROM_RPC;
	default:
		return VIR_FROM_NONE;
	}
}

int hvd_err_set(struct hvd_err *e, int code, const char *fmt, ...)
{
	const char *pre = err_prefix(code);
	size_t n = strlen(pre);
	va_list ap;

	e->code = code;
	e->domain = err_domain(code);
	snprintf(e->msg, sizeof(e->msg), "%s", pre);
	va_start(ap, fmt);
	vsnprintf(e->msg + n, sizeof(e->msg) - n, fmt, ap);
	va_end(ap);
	return -1;
}

int hvd_bad_flags(struct hvd_err *e, unsigned int flags, unsigned int ok,
		  const char *api)
{
	if (!(flags & ~ok))
		return 0;
	return hvd_err_set(e, VIR_ERR_INVALID_ARG,
			   "unsupported flags (0x%x) in function %s",
			   flags & ~ok, api);
}

int hvd_err_raw(struct hvd_err *e, int code, const char *msg)
{
	e->code = code;
	e->domain = err_domain(code);
	snprintf(e->msg, sizeof(e->msg), "%s", msg);
	return -1;
}

void hvd_uuid_format(const uint8_t u[DOMAIN_UUID_LEN], char out[37])
{
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
}

int hvd_random(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* ---- table ---- */

struct hvd_dom *hvd_by_name(struct hvd *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->ndoms; i++)
		if (!strcmp(h->doms[i]->def.name, name))
			return h->doms[i];
	return NULL;
}

struct hvd_dom *hvd_by_uuid(struct hvd *h, const uint8_t uuid[DOMAIN_UUID_LEN])
{
	size_t i;

	for (i = 0; i < h->ndoms; i++)
		if (!memcmp(h->doms[i]->def.uuid, uuid, DOMAIN_UUID_LEN))
			return h->doms[i];
	return NULL;
}

struct hvd_dom *hvd_by_id(struct hvd *h, int id)
{
	size_t i;

	if (id <= 0)
		return NULL;
	for (i = 0; i < h->ndoms; i++)
		if (h->doms[i]->id == id)
			return h->doms[i];
	return NULL;
}

static int table_add(struct hvd *h, struct hvd_dom *d)
{
	if (h->ndoms == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 16;
		struct hvd_dom **nd = realloc(h->doms, cap * sizeof(*nd));

		if (!nd)
			return -ENOMEM;
		h->doms = nd;
		h->cap = cap;
	}
	h->doms[h->ndoms++] = d;
	return 0;
}

static void dom_free(struct hvd_dom *d)
{
	domain_def_clear(&d->def);
	free(d);
}

static void table_remove(struct hvd *h, struct hvd_dom *d)
{
	size_t i;

	for (i = 0; i < h->ndoms; i++) {
		if (h->doms[i] != d)
			continue;
		memmove(&h->doms[i], &h->doms[i + 1],
			(h->ndoms - i - 1) * sizeof(*h->doms));
		h->ndoms--;
		dom_free(d);
		return;
	}
}

/* ---- definitions ---- */

/* Fill what the document may leave out: uuid, NIC MACs (52:54:00:xx:xx:xx). */
int hvd_fill_defaults(struct domain_def *def)
{
	size_t i;
	int ret;

	if (!def->uuid_set) {
		ret = hvd_random(def->uuid, DOMAIN_UUID_LEN);
		if (ret)
			return ret;
		def->uuid[6] = (def->uuid[6] & 0x0f) | 0x40;  /* version 4 */
		def->uuid[8] = (def->uuid[8] & 0x3f) | 0x80;  /* RFC 4122 */
		def->uuid_set = true;
	}
	for (i = 0; i < def->nnets; i++) {
		struct domain_net *n = &def->nets[i];

		if (n->mac_set)
			continue;
		n->mac[0] = 0x52;
		n->mac[1] = 0x54;
		n->mac[2] = 0x00;
		ret = hvd_random(&n->mac[3], 3);
		if (ret)
			return ret;
		n->mac_set = true;
	}
	return 0;
}

static int parse_err(int ret, const char *msg, struct hvd_err *err)
{
	switch (ret) {
	case -ENOTSUP:
		return hvd_err_raw(err, VIR_ERR_CONFIG_UNSUPPORTED, msg);
	case -ENOMEM:
		return hvd_err_set(err, VIR_ERR_NO_MEMORY, "%s", "");
	default:
		return hvd_err_raw(err, VIR_ERR_XML_ERROR,
				   msg[0] ? msg : "XML error: invalid domain XML");
	}
}

/* A domain asking for more memory than the backend can give is refused. */
static bool host_memory_short(struct hvd *h, const struct domain_def *def,
			      struct hvd_err *err)
{
	const struct backend_ops *ops = h->backend ? h->backend->ops : NULL;
	uint64_t max;

	if (!ops || !ops->max_memory_kib)
		return false;
	max = ops->max_memory_kib(h->backend);
	if (!max || def->memory_kib <= max)
		return false;
	hvd_err_set(err, VIR_ERR_CONFIG_UNSUPPORTED,
		    "domain '%s' needs %llu KiB of memory, more than this host has (%llu KiB)",
		    def->name, (unsigned long long)def->memory_kib,
		    (unsigned long long)max);
	return true;
}

/* Check @def against the table; returns the domain it redefines, if any. */
static int check_conflicts(struct hvd *h, const struct domain_def *def,
			   struct hvd_dom **same, struct hvd_err *err)
{
	struct hvd_dom *byname = hvd_by_name(h, def->name);
	struct hvd_dom *byuuid = hvd_by_uuid(h, def->uuid);
	char uuid[37];

	*same = NULL;
	if (byname && byname != byuuid) {
		hvd_uuid_format(byname->def.uuid, uuid);
		return hvd_err_set(err, VIR_ERR_OPERATION_FAILED,
				   "domain '%s' already exists with uuid %s",
				   def->name, uuid);
	}
	if (byuuid && byuuid != byname) {
		hvd_uuid_format(def->uuid, uuid);
		return hvd_err_set(err, VIR_ERR_OPERATION_FAILED,
				   "domain '%s' is already defined with uuid %s",
				   byuuid->def.name, uuid);
	}
	*same = byname;
	return 0;
}

static int persist(struct hvd *h, const struct domain_def *def,
		   struct hvd_err *err)
{
	char *xml = domain_xml_format(def);
	int ret;

	if (!xml)
		return hvd_err_set(err, VIR_ERR_NO_MEMORY, "%s", "");
	ret = state_save(h->state_dir, def->name, xml, strlen(xml));
	free(xml);
	if (ret)
		return hvd_err_set(err, VIR_ERR_OPERATION_FAILED,
				   "cannot save definition of domain '%s': %s",
				   def->name, strerror(-ret));
	return 0;
}

int hvd_define(struct hvd *h, const char *xml, size_t len, unsigned int flags,
	       struct hvd_dom **out, struct hvd_err *err)
{
	char msg[HVD_ERR_MSG_MAX] = "";
	struct domain_def def;
	struct hvd_dom *same, *d;
	int ret;

	if (hvd_bad_flags(err, flags, VIR_DOMAIN_DEFINE_VALIDATE, "virDomainDefineXMLFlags"))
		return -1;
	/* The XML layer always validates against libvirt's schema. */
	ret = domain_xml_parse(xml, len, &def, msg, sizeof(msg));
	if (ret)
		return parse_err(ret, msg, err);
	ret = hvd_fill_defaults(&def);
	if (!ret && host_memory_short(h, &def, err))
		ret = -1;
	else if (!ret && !state_name_ok(def.name))
		/* The name is a file name in the state dir (no leading '.'). */
		ret = hvd_err_set(err, VIR_ERR_CONFIG_UNSUPPORTED,
				  "domain name '%s' is not supported by mkhv (it cannot start with '.')",
				  def.name);
	else if (ret)
		ret = hvd_err_set(err, VIR_ERR_INTERNAL_ERROR,
				  "cannot generate a uuid: %s", strerror(-ret));
	if (!ret)
		ret = check_conflicts(h, &def, &same, err);
	if (!ret)
		ret = persist(h, &def, err);
	if (ret)
		goto fail;
	if (same) {
		/* Redefinition: the new definition applies from the next start. */
		domain_def_clear(&same->def);
		same->def = def;
		same->persistent = true;
		*out = same;
		return 0;
	}
	d = calloc(1, sizeof(*d));
	if (!d || table_add(h, d)) {
		free(d);
		state_remove(h->state_dir, def.name);
		ret = hvd_err_set(err, VIR_ERR_NO_MEMORY, "%s", "");
		goto fail;
	}
	d->def = def;
	d->id = -1;
	d->state = VIR_DOMAIN_SHUTOFF;
	d->reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
	d->persistent = true;
	*out = d;
	return 0;
fail:
	domain_def_clear(&def);
	return -1;
}

int hvd_undefine(struct hvd *h, struct hvd_dom *d, unsigned int flags,
		 struct hvd_err *err)
{
	/* Nothing to clean for these: mkhv has no managed save, snapshots,
	 * checkpoints, nvram or TPM state. */
	const unsigned int ok = VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
		VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
		VIR_DOMAIN_UNDEFINE_NVRAM | VIR_DOMAIN_UNDEFINE_KEEP_NVRAM |
		VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA |
		VIR_DOMAIN_UNDEFINE_TPM | VIR_DOMAIN_UNDEFINE_KEEP_TPM;
	int ret;

	if (hvd_bad_flags(err, flags, ok, "virDomainUndefineFlags"))
		return -1;
	if (!d->persistent)
		return hvd_err_set(err, VIR_ERR_OPERATION_INVALID,
				   "cannot undefine transient domain");
	ret = state_remove(h->state_dir, d->def.name);
	if (ret)
		return hvd_err_set(err, VIR_ERR_OPERATION_FAILED,
				   "cannot remove definition of domain '%s': %s",
				   d->def.name, strerror(-ret));
	d->autostart = false;
	if (d->id > 0 || d->starting) {
		d->persistent = false;  /* runs on as a transient domain */
		return 0;
	}
	table_remove(h, d);
	return 0;
}

/* ---- life cycle ---- */

static int need_active(struct hvd_dom *d, struct hvd_err *err)
{
	if (d->id > 0)
		return 0;
	if (d->starting)
		return hvd_err_set(err, VIR_ERR_OPERATION_INVALID,
				   "domain is starting");
	return hvd_err_set(err, VIR_ERR_OPERATION_INVALID, "domain is not running");
}

/* A domain that stopped: forget it if it was transient. */
void hvd_dom_stopped(struct hvd *h, struct hvd_dom *d)
{
	d->id = -1;
	d->starting = false;
	if (!d->persistent)
		table_remove(h, d);
}

static void assign_id(struct hvd *h, struct hvd_dom *d)
{
	if (h->next_id <= 0)
		h->next_id = 1;
	d->id = h->next_id++;
	clock_gettime(CLOCK_MONOTONIC, &d->started);
}

void hvd_dom_start_done(struct hvd *h, struct hvd_dom *d,
			const struct hvd_err *err)
{
	bool first = d->starting;

	d->starting = false;
	if (!err && d->id <= 0)
		assign_id(h, d);
	/* The waiting start request (if any) gets its answer first. */
	if (first && h->start_done)
		h->start_done(h, d, err);
	if (err)
		hvd_dom_stopped(h, d);  /* may free a transient @d */
}

int hvd_start(struct hvd *h, struct hvd_dom *d, unsigned int flags,
	      struct hvd_err *err)
{
	int ret;

	if (hvd_bad_flags(err, flags, 0, "virDomainCreateWithFlags"))
		return -1;
	if (d->id > 0)
		return hvd_err_set(err, VIR_ERR_OPERATION_INVALID,
				   "domain is already running");
	if (d->starting)
		return hvd_err_set(err, VIR_ERR_OPERATION_INVALID,
				   "domain is already starting");
	ret = h->backend->ops->start(h->backend, d, err);
	if (ret < 0)
		return -1;
	if (ret > 0) {
		/* Running later: hvd_dom_start_done() says how it went. */
		d->starting = true;
		return 1;
	}
	assign_id(h, d);
	return 0;
}

int hvd_shutdown(struct hvd *h, struct hvd_dom *d, unsigned int flags,
		 struct hvd_err *err)
{
	const unsigned int ok = VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN |
				VIR_DOMAIN_SHUTDOWN_PARAVIRT;

	if (hvd_bad_flags(err, flags, ok, "virDomainShutdownFlags"))
		return -1;
	if (need_active(d, err) ||
	    h->backend->ops->shutdown(h->backend, d, err))
		return -1;
	if (d->state == VIR_DOMAIN_SHUTOFF)
		hvd_dom_stopped(h, d);
	return 0;
}

int hvd_destroy(struct hvd *h, struct hvd_dom *d, unsigned int flags,
		struct hvd_err *err)
{
	if (hvd_bad_flags(err, flags, VIR_DOMAIN_DESTROY_GRACEFUL, "virDomainDestroyFlags"))
		return -1;
	if (d->starting) {
		/* A start in progress is destroyed too (its request fails). */
		if (h->backend->ops->destroy(h->backend, d, err))
			return -1;
		return 0;
	}
	if (need_active(d, err) ||
	    h->backend->ops->destroy(h->backend, d, err))
		return -1;
	hvd_dom_stopped(h, d);
	return 0;
}

int hvd_reboot(struct hvd *h, struct hvd_dom *d, unsigned int flags,
	       struct hvd_err *err)
{
	const unsigned int ok = VIR_DOMAIN_REBOOT_ACPI_POWER_BTN |
				VIR_DOMAIN_REBOOT_PARAVIRT;

	if (hvd_bad_flags(err, flags, ok, "virDomainReboot"))
		return -1;
	if (need_active(d, err))
		return -1;
	return h->backend->ops->reboot(h->backend, d, err) ? -1 : 0;
}

int hvd_set_autostart(struct hvd *h, struct hvd_dom *d, bool on,
		      struct hvd_err *err)
{
	int ret;

	if (!d->persistent)
		return hvd_err_set(err, VIR_ERR_OPERATION_INVALID,
				   "cannot set autostart for transient domain");
	ret = state_set_autostart(h->state_dir, d->def.name, on);
	if (ret)
		return hvd_err_set(err, VIR_ERR_OPERATION_FAILED,
				   "cannot set autostart of domain '%s': %s",
				   d->def.name, strerror(-ret));
	d->autostart = on;
	return 0;
}

/* ---- daemon start ---- */

int hvd_init(struct hvd *h, const char *state_dir, struct backend *be,
	     struct hvd_err *err)
{
	int ret;

	memset(h, 0, sizeof(*h));
	h->backend = be;
	if (be)
		be->hvd = h;
	h->next_id = 1;
	ret = state_dir_prepare(state_dir);
	if (ret)
		return hvd_err_set(err, VIR_ERR_OPERATION_FAILED,
				   "cannot use state directory %s: %s",
				   state_dir, strerror(-ret));
	h->state_dir = strdup(state_dir);
	if (!h->state_dir)
		return hvd_err_set(err, VIR_ERR_NO_MEMORY, "%s", "");
	return 0;
}

static int load_cb(void *opaque, const char *name, const char *xml, size_t len,
		   char *msg, size_t msglen)
{
	struct hvd *h = opaque;
	struct domain_def def;
	struct hvd_dom *d;
	int ret;

	ret = domain_xml_parse(xml, len, &def, msg, msglen);
	if (ret)
		return ret;
	if (!def.uuid_set || strcmp(def.name, name) ||
	    hvd_by_name(h, def.name) || hvd_by_uuid(h, def.uuid)) {
		snprintf(msg, msglen, "file name, name or uuid conflicts "
			 "(defines '%s')", def.name);
		domain_def_clear(&def);
		return -EINVAL;
	}
	d = calloc(1, sizeof(*d));
	if (!d || table_add(h, d)) {
		free(d);
		domain_def_clear(&def);
		return -ENOMEM;
	}
	d->def = def;
	d->id = -1;
	d->state = VIR_DOMAIN_SHUTOFF;
	d->persistent = true;
	d->autostart = state_get_autostart(h->state_dir, name);
	return 0;
}

int hvd_load(struct hvd *h, void (*report)(const char *msg))
{
	return state_load(h->state_dir, load_cb, h, report);
}

void hvd_autostart(struct hvd *h, void (*report)(const char *msg))
{
	struct hvd_err err;
	char line[HVD_ERR_MSG_MAX + 128];
	size_t i;

	for (i = 0; i < h->ndoms; i++) {
		struct hvd_dom *d = h->doms[i];

		if (!d->autostart || d->id > 0 || hvd_start(h, d, 0, &err) >= 0)
			continue;
		snprintf(line, sizeof(line), "autostart of '%s' failed: %s",
			 d->def.name, err.msg);
		if (report)
			report(line);
	}
}

void hvd_fini(struct hvd *h)
{
	size_t i;

	for (i = 0; i < h->ndoms; i++)
		dom_free(h->doms[i]);
	free(h->doms);
	free(h->state_dir);
	memset(h, 0, sizeof(*h));
}
