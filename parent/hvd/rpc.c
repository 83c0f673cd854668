// SPDX-License-Identifier: GPL-2.0
/*
 * hvd RPC layer: framing, header checks, dispatch, error replies and the
 * connection-level procedures of libvirt's remote program.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "console.h"
#include "rpc.h"

/* libvirt's internal virDrvFeature numbers that hvd answers "yes" to. */
#define VIR_DRV_FEATURE_PROGRAM_KEEPALIVE 10

static void drop_pending(struct rpc_client *c);

/* ---- framing ---- */

static int frame_reserve(struct rpc_frame *f, size_t need)
{
	size_t cap = f->cap ? f->cap : 4096;
	uint8_t *nb;

	if (need <= f->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	nb = realloc(f->buf, cap);
	if (!nb)
		return -ENOMEM;
	f->buf = nb;
	f->cap = cap;
	return 0;
}

int rpc_frame_feed(struct rpc_frame *f, const uint8_t *data, size_t n,
		   size_t *used)
{
	size_t have = f->len + f->skipped;
	size_t goal = f->want ? f->want : HVD_MSG_LEN_LEN;
	size_t take = goal - have < n ? goal - have : n;
	size_t keep = take;

	*used = take;
	/* Of an oversized frame only the length word and header are kept. */
	if (f->want > RPC_REQUEST_MAX)
		keep = f->len < RPC_FRAME_MIN ?
		       (RPC_FRAME_MIN - f->len < take ? RPC_FRAME_MIN - f->len : take) : 0;
	if (keep) {
		if (frame_reserve(f, f->len + keep))
			return -ENOMEM;
		memcpy(f->buf + f->len, data, keep);
		f->len += keep;
	}
	f->skipped += take - keep;
	if (!f->want && f->len == HVD_MSG_LEN_LEN) {
		uint32_t len = (uint32_t)f->buf[0] << 24 | f->buf[1] << 16 |
			       f->buf[2] << 8 | f->buf[3];
		size_t more;
		int ret;

		if (len < RPC_FRAME_MIN || len > RPC_FRAME_MAX)
			return -EMSGSIZE;
		f->want = len;
		if (n == take)
			return 0;
		ret = rpc_frame_feed(f, data + take, n - take, &more);
		*used += more;
		return ret;
	}
	return f->want && f->len + f->skipped == f->want;
}

void rpc_frame_reset(struct rpc_frame *f)
{
	f->len = 0;
	f->want = 0;
	f->skipped = 0;
	/* Do not keep a huge buffer around after a huge message. */
	if (f->cap > 1u << 20) {
		free(f->buf);
		f->buf = NULL;
		f->cap = 0;
	}
}

void rpc_frame_free(struct rpc_frame *f)
{
	free(f->buf);
	memset(f, 0, sizeof(*f));
}

void rpc_buf_free(struct rpc_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

void rpc_client_free(struct rpc_client *c)
{
	console_detach(c);
	drop_pending(c);
	rpc_frame_free(&c->in);
	rpc_buf_free(&c->out);
	free(c->uri);
	memset(c, 0, sizeof(*c));
}

static int buf_reserve(struct rpc_buf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 4096;
	uint8_t *nd;

	if (b->len + more <= b->cap)
		return 0;
	while (cap < b->len + more)
		cap *= 2;
	nd = realloc(b->data, cap);
	if (!nd)
		return -ENOMEM;
	b->data = nd;
	b->cap = cap;
	return 0;
}

/*
 * Append one frame: length word, @hdr, then @obj encoded by @fn (if any),
 * then @raw bytes as they are (stream data is not XDR-encoded).
 */
static int put_frame_raw(struct rpc_buf *out, const struct hvd_msg_header *hdr,
			 rpc_xdr_fn fn, void *obj, const void *raw,
			 size_t rawlen)
{
	struct hvd_msg_header h = *hdr;
	size_t body = fn ? xdr_sizeof((xdrproc_t)fn, obj) : 0;
	size_t total = RPC_FRAME_MIN + body + rawlen;
	u_int len = (u_int)total;
	bool ok;
	XDR x;

	if (total > RPC_FRAME_MAX)
		return -EMSGSIZE;
	if (buf_reserve(out, total))
		return -ENOMEM;
	xdrmem_create(&x, (char *)out->data + out->len, (u_int)(total - rawlen),
		      XDR_ENCODE);
	ok = xdr_u_int(&x, &len) && xdr_hvd_msg_header(&x, &h) &&
	     (!fn || fn(&x, obj));
	xdr_destroy(&x);
	if (!ok)
		return -EPROTO;
	if (rawlen)
		memcpy(out->data + out->len + total - rawlen, raw, rawlen);
	out->len += total;
	return 0;
}

static int put_frame(struct rpc_buf *out, const struct hvd_msg_header *hdr,
		     rpc_xdr_fn fn, void *obj)
{
	return put_frame_raw(out, hdr, fn, obj, NULL, 0);
}

/* An error with header @hdr as given (type and status included). */
static int put_error_hdr(struct rpc_buf *out, const struct hvd_msg_header *hdr,
			 const struct hvd_err *e)
{
	char *msg = (char *)e->msg;
	remote_error re = {
		.code = e->code,
		.domain = e->domain,
		.message = &msg,
		.level = VIR_ERR_ERROR,
	};

	return put_frame(out, hdr, RPC_XDR(xdr_remote_error), &re);
}

static int put_error(struct rpc_buf *out, const struct hvd_msg_header *req,
		     const struct hvd_err *e)
{
	struct hvd_msg_header hdr = *req;

	hdr.type = HVD_MSG_REPLY;
	hdr.status = HVD_MSG_ERROR;
	return put_error_hdr(out, &hdr, e);
}

static struct hvd_msg_header stream_hdr(int proc, unsigned int serial,
					int status)
{
	return (struct hvd_msg_header){
		.prog = REMOTE_PROGRAM,
		.vers = REMOTE_PROTOCOL_VERSION,
		.proc = proc,
		.type = HVD_MSG_STREAM,
		.serial = serial,
		.status = status,
	};
}

int rpc_put_stream(struct rpc_buf *out, int proc, unsigned int serial,
		   int status, const void *data, size_t len)
{
	struct hvd_msg_header h = stream_hdr(proc, serial, status);

	return put_frame_raw(out, &h, NULL, NULL, data, len);
}

int rpc_put_stream_error(struct rpc_buf *out, int proc, unsigned int serial,
			 const struct hvd_err *e)
{
	struct hvd_msg_header h = stream_hdr(proc, serial, HVD_MSG_ERROR);

	return put_error_hdr(out, &h, e);
}

/* ---- connection procedures ---- */

static int connect_open(struct rpc_ctx *ctx, void *args, void *ret)
{
	remote_connect_open_args *a = args;
	const char *name = a->name ? *a->name : NULL;

	(void)ret;
	if (name && name[0] && strncmp(name, "mkhv:", 5))
		return hvd_err_set(&ctx->err, VIR_ERR_NO_CONNECT, "%s", name);
	free(ctx->c->uri);
	ctx->c->readonly = a->flags & VIR_CONNECT_RO;
	ctx->c->uri = strdup(name && name[0] ? name : "mkhv:///system");
	if (!ctx->c->uri)
		return hvd_err_set(&ctx->err, VIR_ERR_NO_MEMORY, "%s", "");
	ctx->c->open = true;
	return 0;
}

static int connect_close(struct rpc_ctx *ctx, void *args, void *ret)
{
	(void)args;
	(void)ret;
	ctx->c->open = false;
	ctx->c->closing = true;
	return 0;
}

static int auth_list(struct rpc_ctx *ctx, void *args, void *ret)
{
	remote_auth_list_ret *r = ret;

	(void)args;
	/* The unix socket is 0600: whoever reaches it is root already. */
	r->types.types_val = calloc(1, sizeof(remote_auth_type));
	if (!r->types.types_val)
		return hvd_err_set(&ctx->err, VIR_ERR_NO_MEMORY, "%s", "");
	r->types.types_len = 1;
	r->types.types_val[0] = REMOTE_AUTH_NONE;
	return 0;
}

static int supports_feature(struct rpc_ctx *ctx, void *args, void *ret)
{
	remote_connect_supports_feature_args *a = args;
	remote_connect_supports_feature_ret *r = ret;

	(void)ctx;
	r->supported = a->feature == VIR_DRV_FEATURE_PROGRAM_KEEPALIVE;
	return 0;
}

static int set_string(struct rpc_ctx *ctx, char **out, const char *s)
{
	*out = strdup(s);
	return *out ? 0 : hvd_err_set(&ctx->err, VIR_ERR_NO_MEMORY, "%s", "");
}

static int get_type(struct rpc_ctx *ctx, void *args, void *ret)
{
	(void)args;
	return set_string(ctx, &((remote_connect_get_type_ret *)ret)->type, "mkhv");
}

static int get_version(struct rpc_ctx *ctx, void *args, void *ret)
{
	(void)ctx;
	(void)args;
	((remote_connect_get_version_ret *)ret)->hv_ver = HVD_VERSION_NUM;
	return 0;
}

static int get_lib_version(struct rpc_ctx *ctx, void *args, void *ret)
{
	(void)ctx;
	(void)args;
	((remote_connect_get_lib_version_ret *)ret)->lib_ver = HVD_LIBVIRT_LEVEL;
	return 0;
}

static int get_hostname(struct rpc_ctx *ctx, void *args, void *ret)
{
	char host[256];

	(void)args;
	if (gethostname(host, sizeof(host)) < 0)
		return hvd_err_set(&ctx->err, VIR_ERR_SYSTEM_ERROR,
				   "cannot get the host name: %s", strerror(errno));
	host[sizeof(host) - 1] = '\0';
	return set_string(ctx, &((remote_connect_get_hostname_ret *)ret)->hostname,
			  host);
}

static int get_uri(struct rpc_ctx *ctx, void *args, void *ret)
{
	(void)args;
	return set_string(ctx, &((remote_connect_get_uri_ret *)ret)->uri,
			  ctx->c->uri ? ctx->c->uri : "mkhv:///system");
}

static int get_max_vcpus(struct rpc_ctx *ctx, void *args, void *ret)
{
	(void)ctx;
	(void)args;
	((remote_connect_get_max_vcpus_ret *)ret)->max_vcpus = HVD_MAX_VCPUS;
	return 0;
}

static int is_secure(struct rpc_ctx *ctx, void *args, void *ret)
{
	(void)ctx;
	(void)args;
	/* Only the local unix socket is secure; TCP has no TLS yet. */
	((remote_connect_is_secure_ret *)ret)->secure = 1;
	return 0;
}

static int cpu_mhz(void)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];
	double mhz = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "cpu MHz : %lf", &mhz) == 1)
			break;
	fclose(f);
	return (int)mhz;
}

static int node_get_info(struct rpc_ctx *ctx, void *args, void *ret)
{
	remote_node_get_info_ret *r = ret;
	struct sysinfo si;
	int cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);

	(void)args;
	if (sysinfo(&si) < 0)
		return hvd_err_set(&ctx->err, VIR_ERR_SYSTEM_ERROR,
				   "sysinfo: %s", strerror(errno));
	snprintf(r->model, sizeof(r->model), "x86_64");
	r->memory = (uint64_t)si.totalram * si.mem_unit / 1024;
	r->cpus = cpus > 0 ? cpus : 1;
	r->mhz = cpu_mhz();
	r->nodes = 1;
	r->sockets = 1;
	r->cores = r->cpus;
	r->threads = 1;
	return 0;
}

static int node_get_free_memory(struct rpc_ctx *ctx, void *args, void *ret)
{
	struct sysinfo si;

	(void)args;
	if (sysinfo(&si) < 0)
		return hvd_err_set(&ctx->err, VIR_ERR_SYSTEM_ERROR,
				   "sysinfo: %s", strerror(errno));
	((remote_node_get_free_memory_ret *)ret)->freeMem =
		(uint64_t)si.freeram * si.mem_unit;
	return 0;
}

static const char caps_xml[] =
	"<capabilities>\n"
	"  <host>\n"
	"    <cpu>\n"
	"      <arch>x86_64</arch>\n"
	"    </cpu>\n"
	"    <power_management/>\n"
	"    <iommu support='no'/>\n"
	"    <migration_features>\n"
	"      <live/>\n"
	"      <uri_transports>\n"
	"        <uri_transport>tcp</uri_transport>\n"
	"      </uri_transports>\n"
	"    </migration_features>\n"
	"  </host>\n"
	"  <guest>\n"
	"    <os_type>hvm</os_type>\n"
	"    <arch name='x86_64'>\n"
	"      <wordsize>64</wordsize>\n"
	"      <domain type='hyperv'/>\n"
	"    </arch>\n"
	"    <features>\n"
	"      <acpi default='on' toggle='no'/>\n"
	"      <apic default='on' toggle='no'/>\n"
	"    </features>\n"
	"  </guest>\n"
	"</capabilities>\n";

static int get_capabilities(struct rpc_ctx *ctx, void *args, void *ret)
{
	(void)args;
	return set_string(ctx,
			  &((remote_connect_get_capabilities_ret *)ret)->capabilities,
			  caps_xml);
}

static const struct rpc_proc connect_procs[] = {
	RPC_PRE_OPEN(CONNECT_OPEN, "virConnectOpen",
		     RPC_X(remote_connect_open_args), RPC_NONE, connect_open),
	RPC_PRE_OPEN(CONNECT_CLOSE, "virConnectClose",
		     RPC_NONE, RPC_NONE, connect_close),
	RPC_PRE_OPEN(AUTH_LIST, "virConnectOpenAuth",
		     RPC_NONE, RPC_X(remote_auth_list_ret), auth_list),
	RPC_PRE_OPEN(CONNECT_SUPPORTS_FEATURE, "virConnectSupportsFeature",
		     RPC_X(remote_connect_supports_feature_args),
		     RPC_X(remote_connect_supports_feature_ret), supports_feature),
	RPC_PROC(CONNECT_GET_TYPE, "virConnectGetType",
		 RPC_NONE, RPC_X(remote_connect_get_type_ret), get_type),
	RPC_PROC(CONNECT_GET_VERSION, "virConnectGetVersion",
		 RPC_NONE, RPC_X(remote_connect_get_version_ret), get_version),
	RPC_PROC(CONNECT_GET_LIB_VERSION, "virConnectGetLibVersion",
		 RPC_NONE, RPC_X(remote_connect_get_lib_version_ret),
		 get_lib_version),
	RPC_PROC(CONNECT_GET_HOSTNAME, "virConnectGetHostname",
		 RPC_NONE, RPC_X(remote_connect_get_hostname_ret), get_hostname),
	RPC_PROC(CONNECT_GET_URI, "virConnectGetURI",
		 RPC_NONE, RPC_X(remote_connect_get_uri_ret), get_uri),
	RPC_PROC(CONNECT_GET_MAX_VCPUS, "virConnectGetMaxVcpus",
		 RPC_X(remote_connect_get_max_vcpus_args),
		 RPC_X(remote_connect_get_max_vcpus_ret), get_max_vcpus),
	RPC_PROC(CONNECT_IS_SECURE, "virConnectIsSecure",
		 RPC_NONE, RPC_X(remote_connect_is_secure_ret), is_secure),
	RPC_PROC(NODE_GET_INFO, "virNodeGetInfo",
		 RPC_NONE, RPC_X(remote_node_get_info_ret), node_get_info),
	RPC_PROC(NODE_GET_FREE_MEMORY, "virNodeGetFreeMemory",
		 RPC_NONE, RPC_X(remote_node_get_free_memory_ret),
		 node_get_free_memory),
	RPC_PROC(CONNECT_GET_CAPABILITIES, "virConnectGetCapabilities",
		 RPC_NONE, RPC_X(remote_connect_get_capabilities_ret),
		 get_capabilities),
	/* Known but not served: named so the error names the API. */
	RPC_UNSUPPORTED(AUTH_SASL_INIT, "virConnectOpenAuth"),
	RPC_UNSUPPORTED(AUTH_POLKIT, "virConnectOpenAuth"),
	RPC_UNSUPPORTED(CONNECT_GET_SYSINFO, "virConnectGetSysinfo"),
	RPC_UNSUPPORTED(NODE_GET_SECURITY_MODEL, "virNodeGetSecurityModel"),
	RPC_UNSUPPORTED(CONNECT_GET_DOMAIN_CAPABILITIES,
			"virConnectGetDomainCapabilities"),
	RPC_UNSUPPORTED(CONNECT_DOMAIN_EVENT_REGISTER,
			"virConnectDomainEventRegister"),
	RPC_UNSUPPORTED(CONNECT_DOMAIN_EVENT_REGISTER_ANY,
			"virConnectDomainEventRegisterAny"),
	RPC_UNSUPPORTED(CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
			"virConnectDomainEventRegisterAny"),
	RPC_UNSUPPORTED(CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY,
			"virConnectDomainEventDeregisterAny"),
	RPC_UNSUPPORTED(CONNECT_REGISTER_CLOSE_CALLBACK,
			"virConnectRegisterCloseCallback"),
	RPC_UNSUPPORTED(CONNECT_UNREGISTER_CLOSE_CALLBACK,
			"virConnectUnregisterCloseCallback"),
};

static const struct rpc_proc *find_proc(int proc)
{
	size_t i;

	for (i = 0; i < sizeof(connect_procs) / sizeof(connect_procs[0]); i++)
		if (connect_procs[i].proc == proc)
			return &connect_procs[i];
	for (i = 0; i < rpc_domain_nprocs; i++)
		if (rpc_domain_procs[i].proc == proc)
			return &rpc_domain_procs[i];
	return NULL;
}

/* ---- dispatch ---- */

static int reply_error(struct rpc_client *c, const struct hvd_msg_header *hdr,
		       int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int reply_error(struct rpc_client *c, const struct hvd_msg_header *hdr,
		       int code, const char *fmt, ...)
{
	struct hvd_err e;
	char detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	hvd_err_set(&e, code, "%s", detail);
	return put_error(&c->out, hdr, &e);
}

/* ---- requests answered later (a domain's start) ---- */

struct rpc_pending {
	struct rpc_client *c;
	struct hvd_msg_header hdr;
	const struct rpc_proc *p;
	uint8_t uuid[DOMAIN_UUID_LEN];
	struct rpc_pending *next;
};

static struct rpc_pending *pending;

static int defer(struct rpc_client *c, const struct hvd_msg_header *hdr,
		 const struct rpc_proc *p, const uint8_t *uuid)
{
	struct rpc_pending *q = calloc(1, sizeof(*q));

	if (!q)
		return -ENOMEM;
	q->c = c;
	q->hdr = *hdr;
	q->p = p;
	memcpy(q->uuid, uuid, DOMAIN_UUID_LEN);
	q->next = pending;
	pending = q;
	return 0;
}

/* The reply of a deferred start: empty, or the domain (CREATE_WITH_FLAGS). */
static void answer(struct hvd *h, struct rpc_pending *q, struct hvd_dom *d,
		   const struct hvd_err *err)
{
	struct rpc_ctx ctx = { .h = h, .c = q->c, .hdr = &q->hdr };
	struct hvd_msg_header rh = q->hdr;
	remote_domain_ret ret;

	if (err) {
		put_error(&q->c->out, &q->hdr, err);
		return;
	}
	rh.type = HVD_MSG_REPLY;
	rh.status = HVD_MSG_OK;
	if (q->p->xret != RPC_XDR(xdr_remote_domain_ret)) {
		put_frame(&q->c->out, &rh, NULL, NULL);
		return;
	}
	memset(&ret, 0, sizeof(ret));
	if (rpc_set_dom(&ctx, &ret.dom, d))
		put_error(&q->c->out, &q->hdr, &ctx.err);
	else
		put_frame(&q->c->out, &rh, RPC_XDR(xdr_remote_domain_ret), &ret);
	xdr_free((xdrproc_t)xdr_remote_domain_ret, (char *)&ret);
}

void rpc_start_done(struct hvd *h, struct hvd_dom *d, const struct hvd_err *err)
{
	struct rpc_pending **pp = &pending;

	while (*pp) {
		struct rpc_pending *q = *pp;

		if (memcmp(q->uuid, d->def.uuid, DOMAIN_UUID_LEN)) {
			pp = &q->next;
			continue;
		}
		*pp = q->next;
		answer(h, q, d, err);
		free(q);
	}
}

static void drop_pending(struct rpc_client *c)
{
	struct rpc_pending **pp = &pending;

	while (*pp) {
		struct rpc_pending *q = *pp;

		if (q->c != c) {
			pp = &q->next;
			continue;
		}
		*pp = q->next;
		free(q);
	}
}

static int call_proc(struct hvd *h, struct rpc_client *c,
		     const struct hvd_msg_header *hdr, XDR *args_xdr,
		     size_t len)
{
	const struct rpc_proc *p = find_proc(hdr->proc);
	struct rpc_ctx ctx = { .h = h, .c = c, .hdr = hdr };
	void *args = NULL, *ret = NULL;
	struct hvd_msg_header rh = *hdr;
	int r;

	if (!p)
		return reply_error(c, hdr, VIR_ERR_NO_SUPPORT,
				   "remote procedure %d", hdr->proc);
	if (!p->fn)
		return reply_error(c, hdr, VIR_ERR_NO_SUPPORT, "%s", p->api);
	if (!c->open && !p->before_open)
		return reply_error(c, hdr, VIR_ERR_INTERNAL_ERROR,
				   "connection not open");
	if (c->readonly && p->writes)
		return reply_error(c, hdr, VIR_ERR_OPERATION_DENIED,
				   "read only access prevents %s", p->api);
	args = calloc(1, p->args_size ? p->args_size : 1);
	ret = calloc(1, p->ret_size ? p->ret_size : 1);
	if (!args || !ret) {
		r = reply_error(c, hdr, VIR_ERR_NO_MEMORY, "%s", "");
		goto out;
	}
	/* Arguments must decode and fill the payload exactly. */
	if ((p->xargs && !p->xargs(args_xdr, args)) ||
	    xdr_getpos(args_xdr) != len) {
		r = reply_error(c, hdr, VIR_ERR_RPC,
				"cannot decode the arguments of procedure %d",
				hdr->proc);
		goto out;
	}
	r = p->fn(&ctx, args, ret);
	if (r == RPC_DEFERRED) {
		/* Answered by rpc_start_done(), when the domain runs or fails. */
		r = defer(c, hdr, p, ctx.deferred_uuid);
		if (r)
			r = reply_error(c, hdr, VIR_ERR_NO_MEMORY, "%s", "");
		goto out;
	}
	if (r) {
		r = put_error(&c->out, hdr, &ctx.err);
		goto out;
	}
	rh.type = HVD_MSG_REPLY;
	rh.status = HVD_MSG_OK;
	r = put_frame(&c->out, &rh, p->xret, ret);
	if (r == -EMSGSIZE)
		r = reply_error(c, hdr, VIR_ERR_RPC,
				"reply to procedure %d is too large", hdr->proc);
out:
	if (p->xargs && args)
		xdr_free((xdrproc_t)p->xargs, args);
	if (p->xret && ret)
		xdr_free((xdrproc_t)p->xret, ret);
	free(args);
	free(ret);
	return r;
}

static int keepalive(struct rpc_client *c, const struct hvd_msg_header *hdr)
{
	struct hvd_msg_header pong = {
		.prog = KEEPALIVE_PROGRAM,
		.vers = KEEPALIVE_PROTOCOL_VERSION,
		.proc = KEEPALIVE_PROC_PONG,
		.type = HVD_MSG_MESSAGE,
		.serial = 0,
		.status = HVD_MSG_OK,
	};

	if (hdr->type != HVD_MSG_MESSAGE || hdr->vers != KEEPALIVE_PROTOCOL_VERSION)
		return -EPROTO;
	/* A PONG answers our PING (hvd sends none); ignore anything else. */
	if (hdr->proc != KEEPALIVE_PROC_PING)
		return 0;
	return put_frame(&c->out, &pong, NULL, NULL);
}

int rpc_dispatch(struct hvd *h, struct rpc_client *c, const uint8_t *msg,
		 size_t len)
{
	struct hvd_msg_header hdr;
	u_int wire_len;
	XDR x;
	int ret;

	if (len < RPC_FRAME_MIN || len > RPC_FRAME_MAX)
		return -EPROTO;
	h->start_done = rpc_start_done;	/* starts answered later come here */
	memset(&hdr, 0, sizeof(hdr));
	xdrmem_create(&x, (char *)msg, (u_int)len, XDR_DECODE);
	if (!xdr_u_int(&x, &wire_len) || wire_len != len ||
	    !xdr_hvd_msg_header(&x, &hdr)) {
		xdr_destroy(&x);
		return -EPROTO;
	}
	if (hdr.prog == KEEPALIVE_PROGRAM) {
		ret = keepalive(c, &hdr);
	} else if (hdr.type == HVD_MSG_STREAM && hdr.prog == REMOTE_PROGRAM &&
		   hdr.vers == REMOTE_PROTOCOL_VERSION) {
		/* Data, finish or abort of a stream the client has open. */
		console_stream(c, &hdr, msg + RPC_FRAME_MIN, len - RPC_FRAME_MIN);
		ret = 0;
	} else if (hdr.type != HVD_MSG_CALL || hdr.status != HVD_MSG_OK) {
		/* hvd never calls the client, so no reply is expected. */
		ret = -EPROTO;
	} else if (hdr.prog != REMOTE_PROGRAM || hdr.vers != REMOTE_PROTOCOL_VERSION) {
		struct hvd_err e;

		hvd_err_set(&e, VIR_ERR_RPC, "cannot find program %d version %d",
			    (int)hdr.prog, (int)hdr.vers);
		ret = put_error(&c->out, &hdr, &e);
	} else {
		ret = call_proc(h, c, &hdr, &x, len);
	}
	xdr_destroy(&x);
	return ret < 0 ? -EPROTO : 0;
}

/* A frame over RPC_REQUEST_MAX: only its header was kept; answer it. */
static int dispatch_oversized(struct rpc_client *c, const struct rpc_frame *f)
{
	struct hvd_msg_header hdr;
	bool ok;
	XDR x;

	xdrmem_create(&x, (char *)f->buf + HVD_MSG_LEN_LEN, HVD_MSG_HEADER_LEN,
		      XDR_DECODE);
	ok = xdr_hvd_msg_header(&x, &hdr);
	xdr_destroy(&x);
	if (!ok || hdr.type != HVD_MSG_CALL || hdr.prog != REMOTE_PROGRAM)
		return -EPROTO;
	return reply_error(c, &hdr, VIR_ERR_RPC,
			   "request of %zu bytes is larger than hvd accepts (%zu)",
			   f->want, (size_t)RPC_REQUEST_MAX) ? -EPROTO : 0;
}

int rpc_client_input(struct hvd *h, struct rpc_client *c, const uint8_t *data,
		     size_t n)
{
	size_t pos = 0;

	while (pos < n) {
		size_t used;
		int ret = rpc_frame_feed(&c->in, data + pos, n - pos, &used);

		pos += used;
		if (ret <= 0) {
			if (ret < 0)
				return ret;  /* bad length word: nothing to answer */
			continue;
		}
		if (c->in.skipped)
			ret = dispatch_oversized(c, &c->in);
		else
			ret = rpc_dispatch(h, c, c->in.buf, c->in.len);
		rpc_frame_reset(&c->in);
		if (ret < 0)
			return ret;
		if (c->closing)
			break;       /* nothing is read after CONNECT_CLOSE */
	}
	return 0;
}

int rpc_set_dom(struct rpc_ctx *ctx, remote_nonnull_domain *out,
		const struct hvd_dom *d)
{
	out->name = strdup(d->def.name);
	if (!out->name)
		return hvd_err_set(&ctx->err, VIR_ERR_NO_MEMORY, "%s", "");
	memcpy(out->uuid, d->def.uuid, DOMAIN_UUID_LEN);
	out->id = d->id;
	return 0;
}
