// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hvd's RPC layer (parent/hvd/rpc.c, rpc_domain.c): framing,
 * header checks, dispatch, libvirt error codes and hostile input.  Frames
 * are built with the same rpcgen routines a libvirt client uses.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "backend.h"
#include "guest.h"
#include "rpc.h"
#include "hvd_rpc_util.h"
#include "hvd_test_util.h"

static struct hvd h;
static struct backend be;
static struct rpc_client cl;
static char *dir;
static uint8_t frame[1 << 16];

static void setup(void)
{
	struct hvd_err err;

	dir = test_tmpdir();
	ck_assert_ptr_nonnull(dir);
	ck_assert_int_eq(backend_open("test", &be, &err), 0);
	ck_assert_int_eq(hvd_init(&h, dir, &be, &err), 0);
	memset(&cl, 0, sizeof(cl));
}

static void teardown(void)
{
	rpc_client_free(&cl);
	hvd_fini(&h);
	test_rmdir(dir);
	free(dir);
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* Encode a frame the way libvirt's client does. */
static size_t mk_frame(unsigned int prog, unsigned int vers, int proc, int type,
		       unsigned int serial, rpc_xdr_fn fn, void *args)
{
	struct hvd_msg_header hdr = { prog, vers, proc, type, serial, HVD_MSG_OK };

	return test_frame(frame, sizeof(frame), &hdr, fn, args, NULL, 0);
}

static size_t mk_call(int proc, unsigned int serial, rpc_xdr_fn fn, void *args)
{
	return mk_frame(REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION, proc,
			HVD_MSG_CALL, serial, fn, args);
}

/*
 * Decode the one frame in cl.out: header into *hdr, then the payload with
 * @fn (status OK) or into *err (status ERROR).  Empties cl.out.
 */
static void take_reply(struct hvd_msg_header *hdr, rpc_xdr_fn fn, void *ret,
		       remote_error *err)
{
	u_int len;
	XDR x;

	ck_assert_uint_ge(cl.out.len, RPC_FRAME_MIN);
	memset(hdr, 0, sizeof(*hdr));
	xdrmem_create(&x, (char *)cl.out.data, (u_int)cl.out.len, XDR_DECODE);
	ck_assert(xdr_u_int(&x, &len));
	ck_assert_uint_eq(len, cl.out.len);
	ck_assert(xdr_hvd_msg_header(&x, hdr));
	if (hdr->status == HVD_MSG_ERROR) {
		ck_assert_ptr_nonnull(err);
		memset(err, 0, sizeof(*err));
		ck_assert(xdr_remote_error(&x, err));
	} else if (fn) {
		ck_assert(fn(&x, ret));
	}
	ck_assert_uint_eq(xdr_getpos(&x), len);
	xdr_destroy(&x);
	cl.out.len = 0;
}

/* Call @proc and expect success; decodes the reply into @ret. */
static void call_ok(int proc, rpc_xdr_fn fa, void *args, rpc_xdr_fn fr, void *ret)
{
	struct hvd_msg_header hdr;
	remote_error err;
	size_t n = mk_call(proc, 7, fa, args);

	ck_assert_int_eq(rpc_dispatch(&h, &cl, frame, n), 0);
	take_reply(&hdr, fr, ret, &err);
	if (hdr.status != HVD_MSG_OK)
		ck_abort_msg("proc %d failed: %s", proc, *err.message);
	ck_assert_int_eq(hdr.type, HVD_MSG_REPLY);
	ck_assert_int_eq(hdr.proc, proc);
	ck_assert_uint_eq(hdr.serial, 7);
}

/* Call @proc and expect an error; returns its code, message in @msg. */
static int call_err(int proc, rpc_xdr_fn fa, void *args, char *msg, size_t len)
{
	struct hvd_msg_header hdr;
	remote_error err;
	size_t n = mk_call(proc, 9, fa, args);
	int code;

	ck_assert_int_eq(rpc_dispatch(&h, &cl, frame, n), 0);
	take_reply(&hdr, NULL, NULL, &err);
	ck_assert_int_eq(hdr.status, HVD_MSG_ERROR);
	ck_assert_uint_eq(hdr.serial, 9);
	ck_assert_ptr_nonnull(err.message);
	snprintf(msg, len, "%s", *err.message);
	code = err.code;
	xdr_free((xdrproc_t)xdr_remote_error, &err);
	return code;
}

static void do_open(void)
{
	remote_connect_open_args a = { 0 };

	call_ok(REMOTE_PROC_CONNECT_OPEN, RPC_XDR(xdr_remote_connect_open_args),
		&a, NULL, NULL);
}

static remote_nonnull_domain define_dom(const char *name)
{
	remote_domain_define_xml_args a = { .xml = test_xml(name) };
	remote_domain_ret r = { 0 };

	call_ok(REMOTE_PROC_DOMAIN_DEFINE_XML,
		RPC_XDR(xdr_remote_domain_define_xml_args), &a,
		RPC_XDR(xdr_remote_domain_ret), &r);
	ck_assert_str_eq(r.dom.name, name);
	ck_assert_int_eq(r.dom.id, -1);
	return r.dom;
}

/* ---- framing ---- */

START_TEST(frame_bytewise)
{
	struct rpc_frame f = { 0 };
	size_t n = mk_call(REMOTE_PROC_AUTH_LIST, 1, NULL, NULL), i, used;

	for (i = 0; i + 1 < n; i++) {
		ck_assert_int_eq(rpc_frame_feed(&f, frame + i, 1, &used), 0);
		ck_assert_uint_eq(used, 1);
	}
	ck_assert_int_eq(rpc_frame_feed(&f, frame + i, 1, &used), 1);
	ck_assert_uint_eq(f.len, n);
	ck_assert_mem_eq(f.buf, frame, n);
	rpc_frame_free(&f);
}
END_TEST

START_TEST(frame_two_in_one_read)
{
	struct rpc_frame f = { 0 };
	uint8_t two[256];
	size_t n = mk_call(REMOTE_PROC_AUTH_LIST, 1, NULL, NULL), used;

	memcpy(two, frame, n);
	memcpy(two + n, frame, n);
	ck_assert_int_eq(rpc_frame_feed(&f, two, 2 * n, &used), 1);
	ck_assert_uint_eq(used, n);
	rpc_frame_reset(&f);
	ck_assert_int_eq(rpc_frame_feed(&f, two + n, n, &used), 1);
	ck_assert_uint_eq(used, n);
	rpc_frame_free(&f);
}
END_TEST

START_TEST(frame_length_too_small)
{
	struct rpc_frame f = { 0 };
	uint8_t b[4];
	size_t used;

	put_be32(b, RPC_FRAME_MIN - 1);
	ck_assert_int_eq(rpc_frame_feed(&f, b, 4, &used), -EMSGSIZE);
	rpc_frame_free(&f);
}
END_TEST

START_TEST(frame_length_too_large)
{
	struct rpc_frame f = { 0 };
	uint8_t b[4];
	size_t used;

	put_be32(b, (uint32_t)RPC_FRAME_MAX + 1);
	ck_assert_int_eq(rpc_frame_feed(&f, b, 4, &used), -EMSGSIZE);
	rpc_frame_free(&f);
	put_be32(b, 0xffffffffu);
	ck_assert_int_eq(rpc_frame_feed(&f, b, 4, &used), -EMSGSIZE);
	rpc_frame_free(&f);
}
END_TEST

START_TEST(frame_max_claim_allocates_lazily)
{
	struct rpc_frame f = { 0 };
	uint8_t b[64] = { 0 };
	size_t used;

	put_be32(b, (uint32_t)RPC_FRAME_MAX);
	ck_assert_int_eq(rpc_frame_feed(&f, b, sizeof(b), &used), 0);
	ck_assert_uint_eq(f.want, RPC_FRAME_MAX);
	ck_assert_uint_lt(f.cap, 1u << 20);
	rpc_frame_free(&f);
}
END_TEST

/* Count the frames in cl.out and return the status of the last one. */
static int count_replies(int *status, unsigned int *serial)
{
	size_t off = 0;
	int n = 0;

	while (off + RPC_FRAME_MIN <= cl.out.len) {
		const uint8_t *p = cl.out.data + off;
		uint32_t len = (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];

		*serial = (uint32_t)p[20] << 24 | p[21] << 16 | p[22] << 8 | p[23];
		*status = p[27];
		off += len;
		n++;
	}
	return n;
}

START_TEST(input_two_frames_two_replies)
{
	size_t n = mk_call(REMOTE_PROC_AUTH_LIST, 1, NULL, NULL);
	unsigned int serial;
	uint8_t two[256];
	int status;

	memcpy(two, frame, n);
	memcpy(two + n, frame, n);
	ck_assert_int_eq(rpc_client_input(&h, &cl, two, 2 * n), 0);
	ck_assert_int_eq(count_replies(&status, &serial), 2);
	ck_assert_int_eq(status, HVD_MSG_OK);
}
END_TEST

START_TEST(input_bad_length_drops)
{
	uint8_t b[8] = { 0xff, 0xff, 0xff, 0xff };

	ck_assert_int_eq(rpc_client_input(&h, &cl, b, sizeof(b)), -EMSGSIZE);
	ck_assert_uint_eq(cl.out.len, 0);
}
END_TEST

START_TEST(input_oversized_request_discarded_and_answered)
{
	static uint8_t junk[65536];
	size_t total = RPC_REQUEST_MAX + 4096, sent;
	unsigned int serial;
	int status;

	do_open();
	mk_call(REMOTE_PROC_DOMAIN_DEFINE_XML, 77, NULL, NULL);
	put_be32(frame, (uint32_t)total);
	ck_assert_int_eq(rpc_client_input(&h, &cl, frame, RPC_FRAME_MIN), 0);
	memset(junk, 'x', sizeof(junk));
	for (sent = RPC_FRAME_MIN; sent < total; sent += sizeof(junk)) {
		size_t n = total - sent < sizeof(junk) ? total - sent : sizeof(junk);

		ck_assert_int_eq(rpc_client_input(&h, &cl, junk, n), 0);
		ck_assert_uint_lt(cl.in.cap, 1u << 16);  /* nothing buffered */
	}
	ck_assert_int_eq(count_replies(&status, &serial), 1);
	ck_assert_int_eq(status, HVD_MSG_ERROR);
	ck_assert_uint_eq(serial, 77);
	/* The connection is still in sync: the next call works. */
	cl.out.len = 0;
	mk_call(REMOTE_PROC_AUTH_LIST, 78, NULL, NULL);
	ck_assert_int_eq(rpc_client_input(&h, &cl, frame, RPC_FRAME_MIN), 0);
	ck_assert_int_eq(count_replies(&status, &serial), 1);
	ck_assert_int_eq(status, HVD_MSG_OK);
	ck_assert_uint_eq(serial, 78);
}
END_TEST

START_TEST(input_stops_after_close)
{
	size_t n = mk_call(REMOTE_PROC_CONNECT_CLOSE, 1, NULL, NULL);
	unsigned int serial;
	uint8_t two[256];
	int status;

	memcpy(two, frame, n);
	mk_call(REMOTE_PROC_AUTH_LIST, 2, NULL, NULL);  /* RPC_FRAME_MIN bytes */
	memcpy(two + n, frame, RPC_FRAME_MIN);
	ck_assert_int_eq(rpc_client_input(&h, &cl, two, n + RPC_FRAME_MIN), 0);
	ck_assert_int_eq(count_replies(&status, &serial), 1);
	ck_assert_uint_eq(serial, 1);
}
END_TEST

/* ---- connection procedures ---- */

START_TEST(auth_list_offers_none)
{
	remote_auth_list_ret r = { 0 };

	call_ok(REMOTE_PROC_AUTH_LIST, NULL, NULL,
		RPC_XDR(xdr_remote_auth_list_ret), &r);
	ck_assert_uint_eq(r.types.types_len, 1);
	ck_assert_int_eq(r.types.types_val[0], REMOTE_AUTH_NONE);
	xdr_free((xdrproc_t)xdr_remote_auth_list_ret, &r);
}
END_TEST

START_TEST(calls_need_open)
{
	char msg[512];

	ck_assert_int_eq(call_err(REMOTE_PROC_CONNECT_GET_HOSTNAME, NULL, NULL,
				  msg, sizeof(msg)), VIR_ERR_INTERNAL_ERROR);
	ck_assert_ptr_nonnull(strstr(msg, "connection not open"));
}
END_TEST

START_TEST(open_foreign_uri_refused)
{
	char *name = "qemu:///system", msg[512];
	remote_connect_open_args a = { .name = &name };

	ck_assert_int_eq(call_err(REMOTE_PROC_CONNECT_OPEN,
				  RPC_XDR(xdr_remote_connect_open_args), &a,
				  msg, sizeof(msg)), VIR_ERR_NO_CONNECT);
	ck_assert(!cl.open);
}
END_TEST

START_TEST(get_type_and_versions)
{
	remote_connect_get_type_ret t = { 0 };
	remote_connect_get_version_ret v = { 0 };
	remote_connect_get_lib_version_ret l = { 0 };

	do_open();
	call_ok(REMOTE_PROC_CONNECT_GET_TYPE, NULL, NULL,
		RPC_XDR(xdr_remote_connect_get_type_ret), &t);
	ck_assert_str_eq(t.type, "mkhv");
	call_ok(REMOTE_PROC_CONNECT_GET_VERSION, NULL, NULL,
		RPC_XDR(xdr_remote_connect_get_version_ret), &v);
	ck_assert_uint_eq(v.hv_ver, HVD_VERSION_NUM);
	call_ok(REMOTE_PROC_CONNECT_GET_LIB_VERSION, NULL, NULL,
		RPC_XDR(xdr_remote_connect_get_lib_version_ret), &l);
	ck_assert_uint_eq(l.lib_ver, HVD_LIBVIRT_LEVEL);
	xdr_free((xdrproc_t)xdr_remote_connect_get_type_ret, &t);
}
END_TEST

START_TEST(capabilities_offer_hyperv_x86_64)
{
	remote_connect_get_capabilities_ret r = { 0 };

	do_open();
	call_ok(REMOTE_PROC_CONNECT_GET_CAPABILITIES, NULL, NULL,
		RPC_XDR(xdr_remote_connect_get_capabilities_ret), &r);
	ck_assert_ptr_nonnull(strstr(r.capabilities, "<arch name='x86_64'>"));
	ck_assert_ptr_nonnull(strstr(r.capabilities, "<domain type='hyperv'/>"));
	xdr_free((xdrproc_t)xdr_remote_connect_get_capabilities_ret, &r);
}
END_TEST

START_TEST(nodeinfo_is_sane)
{
	remote_node_get_info_ret r = { 0 };

	do_open();
	call_ok(REMOTE_PROC_NODE_GET_INFO, NULL, NULL,
		RPC_XDR(xdr_remote_node_get_info_ret), &r);
	ck_assert_str_eq(r.model, "x86_64");
	ck_assert_int_ge(r.cpus, 1);
	ck_assert_uint_gt(r.memory, 0);
}
END_TEST

START_TEST(keepalive_only_feature)
{
	remote_connect_supports_feature_args a = { .feature = 10 };
	remote_connect_supports_feature_ret r = { 0 };

	call_ok(REMOTE_PROC_CONNECT_SUPPORTS_FEATURE,
		RPC_XDR(xdr_remote_connect_supports_feature_args), &a,
		RPC_XDR(xdr_remote_connect_supports_feature_ret), &r);
	ck_assert_int_eq(r.supported, 1);
	a.feature = 15;  /* remote close callback: not offered */
	call_ok(REMOTE_PROC_CONNECT_SUPPORTS_FEATURE,
		RPC_XDR(xdr_remote_connect_supports_feature_args), &a,
		RPC_XDR(xdr_remote_connect_supports_feature_ret), &r);
	ck_assert_int_eq(r.supported, 0);
}
END_TEST

START_TEST(keepalive_ping_pong)
{
	struct hvd_msg_header hdr;
	size_t n = mk_frame(KEEPALIVE_PROGRAM, KEEPALIVE_PROTOCOL_VERSION,
			    KEEPALIVE_PROC_PING, HVD_MSG_MESSAGE, 0, NULL, NULL);

	ck_assert_int_eq(rpc_dispatch(&h, &cl, frame, n), 0);
	take_reply(&hdr, NULL, NULL, NULL);
	ck_assert_uint_eq(hdr.prog, KEEPALIVE_PROGRAM);
	ck_assert_int_eq(hdr.proc, KEEPALIVE_PROC_PONG);
	ck_assert_int_eq(hdr.type, HVD_MSG_MESSAGE);
}
END_TEST

START_TEST(readonly_refuses_writes)
{
	remote_connect_open_args o = { .flags = VIR_CONNECT_RO };
	remote_domain_define_xml_args a = { .xml = test_xml("web1") };
	remote_connect_list_all_domains_args la = { .need_results = 1 };
	remote_connect_list_all_domains_ret lr = { 0 };
	char msg[512];

	call_ok(REMOTE_PROC_CONNECT_OPEN, RPC_XDR(xdr_remote_connect_open_args),
		&o, NULL, NULL);
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_DEFINE_XML,
				  RPC_XDR(xdr_remote_domain_define_xml_args), &a,
				  msg, sizeof(msg)), VIR_ERR_OPERATION_DENIED);
	ck_assert_str_eq(msg, "operation forbidden: read only access prevents "
			 "virDomainDefineXML");
	ck_assert_uint_eq(h.ndoms, 0);
	call_ok(REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS,
		RPC_XDR(xdr_remote_connect_list_all_domains_args), &la,
		RPC_XDR(xdr_remote_connect_list_all_domains_ret), &lr);
	ck_assert_uint_eq(lr.ret, 0);
}
END_TEST

START_TEST(close_marks_client)
{
	do_open();
	call_ok(REMOTE_PROC_CONNECT_CLOSE, NULL, NULL, NULL, NULL);
	ck_assert(cl.closing);
	ck_assert(!cl.open);
}
END_TEST

/* ---- not supported ---- */

START_TEST(unknown_procedure_not_supported)
{
	char msg[512];

	do_open();
	ck_assert_int_eq(call_err(9999, NULL, NULL, msg, sizeof(msg)),
			 VIR_ERR_NO_SUPPORT);
	ck_assert_str_eq(msg, "this function is not supported by the "
			 "connection driver: remote procedure 9999");
}
END_TEST

START_TEST(known_unsupported_names_api)
{
	char msg[512];

	do_open();
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_SUSPEND, NULL, NULL, msg,
				  sizeof(msg)), VIR_ERR_NO_SUPPORT);
	ck_assert_str_eq(msg, "this function is not supported by the "
			 "connection driver: virDomainSuspend");
}
END_TEST

/* ---- domains ---- */

START_TEST(define_lookup_dump)
{
	remote_domain_lookup_by_name_args ln = { .name = "web1" };
	remote_domain_ret r = { 0 };
	remote_domain_flags_args fa = { 0 };
	remote_domain_get_xml_desc_ret x = { 0 };
	remote_nonnull_domain d;

	do_open();
	d = define_dom("web1");
	call_ok(REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME,
		RPC_XDR(xdr_remote_domain_lookup_by_name_args), &ln,
		RPC_XDR(xdr_remote_domain_ret), &r);
	ck_assert_mem_eq(r.dom.uuid, d.uuid, 16);
	fa.dom = d;
	call_ok(REMOTE_PROC_DOMAIN_GET_XML_DESC,
		RPC_XDR(xdr_remote_domain_flags_args), &fa,
		RPC_XDR(xdr_remote_domain_get_xml_desc_ret), &x);
	ck_assert_ptr_nonnull(strstr(x.xml, "<name>web1</name>"));
	ck_assert_ptr_nonnull(strstr(x.xml, "<uuid>"));
	xdr_free((xdrproc_t)xdr_remote_domain_ret, &r);
	xdr_free((xdrproc_t)xdr_remote_domain_get_xml_desc_ret, &x);
}
END_TEST

START_TEST(unknown_name_is_no_domain)
{
	remote_domain_lookup_by_name_args ln = { .name = "nosuch" };
	char msg[512];

	do_open();
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME,
				  RPC_XDR(xdr_remote_domain_lookup_by_name_args),
				  &ln, msg, sizeof(msg)), VIR_ERR_NO_DOMAIN);
	ck_assert_str_eq(msg, "Domain not found: no domain with matching name 'nosuch'");
}
END_TEST

START_TEST(lifecycle_changes_state)
{
	remote_domain_flags_args fa = { 0 };
	remote_domain_args da;
	remote_domain_get_state_ret st = { 0 };
	remote_domain_ret r = { 0 };
	char msg[512];

	do_open();
	da.dom = define_dom("web1");
	fa.dom = da.dom;
	call_ok(REMOTE_PROC_DOMAIN_CREATE_WITH_FLAGS,
		RPC_XDR(xdr_remote_domain_flags_args), &fa,
		RPC_XDR(xdr_remote_domain_ret), &r);
	ck_assert_int_gt(r.dom.id, 0);
	call_ok(REMOTE_PROC_DOMAIN_GET_STATE, RPC_XDR(xdr_remote_domain_flags_args),
		&fa, RPC_XDR(xdr_remote_domain_get_state_ret), &st);
	ck_assert_int_eq(st.state, VIR_DOMAIN_RUNNING);
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_CREATE,
				  RPC_XDR(xdr_remote_domain_args), &da, msg,
				  sizeof(msg)), VIR_ERR_OPERATION_INVALID);
	call_ok(REMOTE_PROC_DOMAIN_SHUTDOWN, RPC_XDR(xdr_remote_domain_args),
		&da, NULL, NULL);
	call_ok(REMOTE_PROC_DOMAIN_GET_STATE, RPC_XDR(xdr_remote_domain_flags_args),
		&fa, RPC_XDR(xdr_remote_domain_get_state_ret), &st);
	ck_assert_int_eq(st.state, VIR_DOMAIN_SHUTOFF);
	ck_assert_int_eq(st.reason, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_DESTROY,
				  RPC_XDR(xdr_remote_domain_args), &da, msg,
				  sizeof(msg)), VIR_ERR_OPERATION_INVALID);
	ck_assert_str_eq(msg, "Requested operation is not valid: domain is not running");
	xdr_free((xdrproc_t)xdr_remote_domain_ret, &r);
}
END_TEST

START_TEST(list_all_filters)
{
	remote_connect_list_all_domains_args a = { .need_results = 1 };
	remote_connect_list_all_domains_ret r = { 0 };
	remote_domain_args da;

	do_open();
	define_dom("a");
	da.dom = define_dom("b");
	call_ok(REMOTE_PROC_DOMAIN_CREATE, RPC_XDR(xdr_remote_domain_args), &da,
		NULL, NULL);
	call_ok(REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS,
		RPC_XDR(xdr_remote_connect_list_all_domains_args), &a,
		RPC_XDR(xdr_remote_connect_list_all_domains_ret), &r);
	ck_assert_uint_eq(r.ret, 2);
	xdr_free((xdrproc_t)xdr_remote_connect_list_all_domains_ret, &r);
	memset(&r, 0, sizeof(r));
	a.flags = VIR_CONNECT_LIST_DOMAINS_ACTIVE;
	call_ok(REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS,
		RPC_XDR(xdr_remote_connect_list_all_domains_args), &a,
		RPC_XDR(xdr_remote_connect_list_all_domains_ret), &r);
	ck_assert_uint_eq(r.ret, 1);
	ck_assert_str_eq(r.domains.domains_val[0].name, "b");
	xdr_free((xdrproc_t)xdr_remote_connect_list_all_domains_ret, &r);
	memset(&r, 0, sizeof(r));
	a.flags = VIR_CONNECT_LIST_DOMAINS_INACTIVE;
	a.need_results = 0;
	call_ok(REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS,
		RPC_XDR(xdr_remote_connect_list_all_domains_args), &a,
		RPC_XDR(xdr_remote_connect_list_all_domains_ret), &r);
	ck_assert_uint_eq(r.ret, 1);
	ck_assert_uint_eq(r.domains.domains_len, 0);
}
END_TEST

START_TEST(undefine_then_not_found)
{
	remote_domain_args da;
	char msg[512];

	do_open();
	da.dom = define_dom("web1");
	call_ok(REMOTE_PROC_DOMAIN_UNDEFINE, RPC_XDR(xdr_remote_domain_args),
		&da, NULL, NULL);
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_GET_INFO,
				  RPC_XDR(xdr_remote_domain_args), &da, msg,
				  sizeof(msg)), VIR_ERR_NO_DOMAIN);
	ck_assert_ptr_nonnull(strstr(msg, "Domain not found: "));
}
END_TEST

START_TEST(define_bad_xml_is_xml_error)
{
	remote_domain_define_xml_args a = { .xml = "<domain type='hyperv'><name>x" };
	char msg[512];
	int code;

	do_open();
	code = call_err(REMOTE_PROC_DOMAIN_DEFINE_XML,
			RPC_XDR(xdr_remote_domain_define_xml_args), &a, msg,
			sizeof(msg));
	ck_assert_int_eq(code, VIR_ERR_XML_ERROR);
	ck_assert_uint_eq(h.ndoms, 0);
}
END_TEST

#define CACHE_XML_FMT \
	"<domain type='hyperv'><name>%s</name><memory>65536</memory>" \
	"<vcpu>1</vcpu><os><type>hvm</type><kernel>/k</kernel></os>" \
	"<devices><disk type='file' device='disk'>" \
	"<driver name='qemu' type='raw' cache='%s'/><source file='/a.img'/>" \
	"<target dev='sda' bus='scsi'/></disk></devices></domain>"

/* virsh define with a disk cache mode; dumpxml gives it back. */
START_TEST(define_disk_cache_dumps_it)
{
	char xml[1024];
	remote_domain_define_xml_args a = { .xml = xml };
	remote_domain_flags_args fa = { 0 };
	remote_domain_get_xml_desc_ret x = { 0 };
	remote_domain_ret r = { 0 };

	do_open();
	snprintf(xml, sizeof(xml), CACHE_XML_FMT, "c1", "writethrough");
	call_ok(REMOTE_PROC_DOMAIN_DEFINE_XML,
		RPC_XDR(xdr_remote_domain_define_xml_args), &a,
		RPC_XDR(xdr_remote_domain_ret), &r);
	fa.dom = r.dom;
	call_ok(REMOTE_PROC_DOMAIN_GET_XML_DESC,
		RPC_XDR(xdr_remote_domain_flags_args), &fa,
		RPC_XDR(xdr_remote_domain_get_xml_desc_ret), &x);
	ck_assert_ptr_nonnull(strstr(x.xml,
		"<driver name='qemu' type='raw' cache='writethrough'/>"));
	xdr_free((xdrproc_t)xdr_remote_domain_ret, &r);
	xdr_free((xdrproc_t)xdr_remote_domain_get_xml_desc_ret, &x);
}
END_TEST

/* A cache mode libvirt does not know: an XML error, nothing defined. */
START_TEST(define_bad_disk_cache_defines_nothing)
{
	static const char *const bad[] = { "bogus", "None", "", "write back" };
	char xml[1024], msg[512];
	remote_domain_define_xml_args a = { .xml = xml };

	do_open();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(xml, sizeof(xml), CACHE_XML_FMT, "c2", bad[i]);
		ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_DEFINE_XML,
					  RPC_XDR(xdr_remote_domain_define_xml_args),
					  &a, msg, sizeof(msg)), VIR_ERR_XML_ERROR);
		ck_assert_msg(strstr(msg, "failed to validate"), "'%s': %s",
			      bad[i], msg);
		ck_assert_uint_eq(h.ndoms, 0);
		ck_assert_ptr_null(hvd_by_name(&h, "c2"));
	}
}
END_TEST

START_TEST(define_flags_validate_and_bad_flag)
{
	remote_domain_define_xml_flags_args a = {
		.xml = test_xml("v1"), .flags = VIR_DOMAIN_DEFINE_VALIDATE,
	};
	remote_domain_ret r = { 0 };
	char msg[512];

	do_open();
	call_ok(REMOTE_PROC_DOMAIN_DEFINE_XML_FLAGS,
		RPC_XDR(xdr_remote_domain_define_xml_flags_args), &a,
		RPC_XDR(xdr_remote_domain_ret), &r);
	xdr_free((xdrproc_t)xdr_remote_domain_ret, &r);
	a.xml = test_xml("v2");
	a.flags = 0x80;
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_DEFINE_XML_FLAGS,
				  RPC_XDR(xdr_remote_domain_define_xml_flags_args),
				  &a, msg, sizeof(msg)), VIR_ERR_INVALID_ARG);
	ck_assert_ptr_null(hvd_by_name(&h, "v2"));
}
END_TEST

/* ---- hostile input ---- */

START_TEST(wrong_program_gets_error)
{
	struct hvd_msg_header hdr;
	remote_error err;
	size_t n = mk_frame(0x12345678, 1, 1, HVD_MSG_CALL, 5, NULL, NULL);

	ck_assert_int_eq(rpc_dispatch(&h, &cl, frame, n), 0);
	take_reply(&hdr, NULL, NULL, &err);
	ck_assert_int_eq(hdr.status, HVD_MSG_ERROR);
	ck_assert_uint_eq(hdr.serial, 5);
	ck_assert_int_eq(err.code, VIR_ERR_RPC);
	xdr_free((xdrproc_t)xdr_remote_error, &err);
}
END_TEST

START_TEST(wrong_version_gets_error)
{
	struct hvd_msg_header hdr;
	remote_error err;
	size_t n = mk_frame(REMOTE_PROGRAM, 2, REMOTE_PROC_AUTH_LIST,
			    HVD_MSG_CALL, 5, NULL, NULL);

	ck_assert_int_eq(rpc_dispatch(&h, &cl, frame, n), 0);
	take_reply(&hdr, NULL, NULL, &err);
	ck_assert_int_eq(err.code, VIR_ERR_RPC);
	xdr_free((xdrproc_t)xdr_remote_error, &err);
}
END_TEST

START_TEST(reply_from_client_drops_it)
{
	size_t n = mk_frame(REMOTE_PROGRAM, 1, REMOTE_PROC_AUTH_LIST,
			    HVD_MSG_REPLY, 5, NULL, NULL);

	ck_assert_int_eq(rpc_dispatch(&h, &cl, frame, n), -EPROTO);
	ck_assert_uint_eq(cl.out.len, 0);
}
END_TEST

START_TEST(length_word_mismatch_drops)
{
	size_t n = mk_call(REMOTE_PROC_AUTH_LIST, 1, NULL, NULL);

	put_be32(frame, (uint32_t)n + 4);
	ck_assert_int_eq(rpc_dispatch(&h, &cl, frame, n), -EPROTO);
}
END_TEST

START_TEST(truncated_args_rpc_error)
{
	char msg[512];

	do_open();
	/* LOOKUP_BY_NAME without its string argument. */
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, NULL, NULL,
				  msg, sizeof(msg)), VIR_ERR_RPC);
	ck_assert_ptr_nonnull(strstr(msg, "cannot decode"));
}
END_TEST

START_TEST(huge_string_length_rpc_error)
{
	size_t n = mk_call(REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, 3, NULL, NULL);
	struct hvd_msg_header hdr;
	remote_error err;

	do_open();
	put_be32(frame + n, 0xfffffff0u);  /* string length */
	memset(frame + n + 4, 'a', 16);
	n += 20;
	put_be32(frame, (uint32_t)n);
	ck_assert_int_eq(rpc_dispatch(&h, &cl, frame, n), 0);
	take_reply(&hdr, NULL, NULL, &err);
	ck_assert_int_eq(err.code, VIR_ERR_RPC);
	xdr_free((xdrproc_t)xdr_remote_error, &err);
}
END_TEST

START_TEST(trailing_garbage_rpc_error)
{
	remote_domain_lookup_by_name_args ln = { .name = "web1" };
	size_t n = mk_call(REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, 3,
			   RPC_XDR(xdr_remote_domain_lookup_by_name_args), &ln);
	struct hvd_msg_header hdr;
	remote_error err;

	do_open();
	memset(frame + n, 0xee, 8);
	n += 8;
	put_be32(frame, (uint32_t)n);
	ck_assert_int_eq(rpc_dispatch(&h, &cl, frame, n), 0);
	take_reply(&hdr, NULL, NULL, &err);
	ck_assert_int_eq(err.code, VIR_ERR_RPC);
	xdr_free((xdrproc_t)xdr_remote_error, &err);
}
END_TEST

START_TEST(random_payloads_never_crash)
{
	static const int procs[] = {
		REMOTE_PROC_CONNECT_OPEN, REMOTE_PROC_DOMAIN_DEFINE_XML,
		REMOTE_PROC_DOMAIN_DEFINE_XML_FLAGS, REMOTE_PROC_DOMAIN_LOOKUP_BY_UUID,
		REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS, REMOTE_PROC_CONNECT_LIST_DOMAINS,
		REMOTE_PROC_CONNECT_LIST_DEFINED_DOMAINS, REMOTE_PROC_DOMAIN_GET_INFO,
		REMOTE_PROC_DOMAIN_SET_AUTOSTART, REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS,
	};
	unsigned int seed = 1234;
	int i, j;

	do_open();
	define_dom("web1");
	for (i = 0; i < 3000; i++) {
		size_t n = mk_call(procs[i % 10], (unsigned int)i, NULL, NULL);
		size_t extra = (size_t)(rand_r(&seed) % 200);
		int ret;

		for (j = 0; j < (int)extra; j++)
			frame[n + j] = (uint8_t)(j % 7 ? rand_r(&seed) : 0);
		n += extra;
		put_be32(frame, (uint32_t)n);
		ret = rpc_dispatch(&h, &cl, frame, n);
		ck_assert(ret == 0 || ret == -EPROTO);
		cl.out.len = 0;
		cl.open = true;
	}
	ck_assert_ptr_nonnull(hvd_by_name(&h, "web1"));
}
END_TEST


/* ---- guest information (rpc_guest.c) over the test backend ---- */

static struct backend_ops guest_ops;
static struct hvd_guest fake_g;
static bool fake_g_ok;

static int fake_guest(struct backend *b, struct hvd_dom *d, struct hvd_guest *g,
		      struct hvd_err *err)
{
	(void)b;
	(void)d;
	if (!fake_g_ok)
		return hvd_err_set(err, VIR_ERR_OPERATION_INVALID, "no worker");
	*g = fake_g;
	return 0;
}

static int syncs;

static int fake_sync_time(struct backend *b, struct hvd_dom *d,
			  struct hvd_err *err)
{
	(void)b;
	(void)d;
	(void)err;
	syncs++;
	return 0;
}

static void guest_setup(void)
{
	setup();
	guest_ops = backend_test_ops;
	guest_ops.guest = fake_guest;
	guest_ops.sync_time = fake_sync_time;
	syncs = 0;
	be.ops = &guest_ops;
	memset(&fake_g, 0, sizeof(fake_g));
	fake_g_ok = true;
}

/* What the worker's status lines of a KVP-speaking guest leave. */
static void fake_guest_lines(void)
{
	static const char *const lines[] = {
		"vmbus version 5.3", "heartbeat 41 alive",
		"kvp FullyQualifiedDomainName web1.example",
		"kvp NetworkAddressIPv4 10.0.2.15;not-an-address;192.168.7.3",
		"kvp NetworkAddressIPv6 FE80:0:0:0:5054:ff:fe12:3456",
		"kvp OSName Debian GNU/Linux", "kvp OSVersion 6.1.0",
		"kvp OSBuildNumber 6.1.0-56-amd64", "kvp OSMajorVersion 12",
		"kvp ProcessorArchitecture x86_64",
	};

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		ck_assert_int_eq(hvd_guest_status_line(&fake_g, lines[i]), 1);
}

/* A running domain "web1"; its reference in *@dom. */
static void start_web1(remote_nonnull_domain *dom)
{
	remote_domain_args da;

	do_open();
	da.dom = define_dom("web1");
	call_ok(REMOTE_PROC_DOMAIN_CREATE, RPC_XDR(xdr_remote_domain_args),
		&da, NULL, NULL);
	*dom = da.dom;
}

static const remote_typed_param *param(const remote_typed_param *p, u_int n,
				       const char *field)
{
	for (u_int i = 0; i < n; i++)
		if (!strcmp(p[i].field, field))
			return &p[i];
	return NULL;
}

static const char *param_str(const remote_typed_param *p, u_int n,
			     const char *field)
{
	const remote_typed_param *t = param(p, n, field);

	if (!t)
		return NULL;
	ck_assert_int_eq(t->value.type, VIR_TYPED_PARAM_STRING);
	return t->value.remote_typed_param_value_u.s;
}

START_TEST(domifaddr_agent_from_kvp)
{
	remote_domain_interface_addresses_args a = {
		.source = VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT };
	remote_domain_interface_addresses_ret r = { 0 };
	remote_domain_interface *ifc;

	fake_guest_lines();
	start_web1(&a.dom);
	call_ok(REMOTE_PROC_DOMAIN_INTERFACE_ADDRESSES,
		RPC_XDR(xdr_remote_domain_interface_addresses_args), &a,
		RPC_XDR(xdr_remote_domain_interface_addresses_ret), &r);
	ck_assert_uint_eq(r.ifaces.ifaces_len, 1);
	ifc = &r.ifaces.ifaces_val[0];
	ck_assert_str_eq(ifc->name, "kvp");
	ck_assert_ptr_null(ifc->hwaddr);	/* KVP gives no MAC */
	ck_assert_uint_eq(ifc->addrs.addrs_len, 3);	/* the bogus one dropped */
	ck_assert_str_eq(ifc->addrs.addrs_val[0].addr, "10.0.2.15");
	ck_assert_int_eq(ifc->addrs.addrs_val[0].type, VIR_IP_ADDR_TYPE_IPV4);
	ck_assert_str_eq(ifc->addrs.addrs_val[1].addr, "192.168.7.3");
	ck_assert_str_eq(ifc->addrs.addrs_val[2].addr, "fe80::5054:ff:fe12:3456");
	ck_assert_int_eq(ifc->addrs.addrs_val[2].type, VIR_IP_ADDR_TYPE_IPV6);
	ck_assert_uint_eq(ifc->addrs.addrs_val[2].prefix, 0);
	xdr_free((xdrproc_t)xdr_remote_domain_interface_addresses_ret, (char *)&r);
}
END_TEST

START_TEST(domifaddr_errors_as_libvirt)
{
	remote_domain_interface_addresses_args a = {
		.source = VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT };
	remote_domain_args da;
	rpc_xdr_fn fa = RPC_XDR(xdr_remote_domain_interface_addresses_args);
	char msg[512];

	start_web1(&a.dom);
	/* Running, but the KVP service never answered. */
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_INTERFACE_ADDRESSES, fa, &a,
				  msg, sizeof(msg)), VIR_ERR_AGENT_UNRESPONSIVE);
	ck_assert_ptr_nonnull(strstr(msg, "Guest agent is not responding: "));
	/* A heartbeat alone is not KVP. */
	ck_assert_int_eq(hvd_guest_status_line(&fake_g, "heartbeat 1 alive"), 1);
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_INTERFACE_ADDRESSES, fa, &a,
				  msg, sizeof(msg)), VIR_ERR_AGENT_UNRESPONSIVE);
	fake_guest_lines();
	a.source = VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE;
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_INTERFACE_ADDRESSES, fa, &a,
				  msg, sizeof(msg)), VIR_ERR_OPERATION_UNSUPPORTED);
	a.source = 77;
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_INTERFACE_ADDRESSES, fa, &a,
				  msg, sizeof(msg)), VIR_ERR_ARGUMENT_UNSUPPORTED);
	a.source = VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT;
	a.flags = 1;
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_INTERFACE_ADDRESSES, fa, &a,
				  msg, sizeof(msg)), VIR_ERR_INVALID_ARG);
	a.flags = 0;
	da.dom = a.dom;
	call_ok(REMOTE_PROC_DOMAIN_DESTROY, RPC_XDR(xdr_remote_domain_args), &da,
		NULL, NULL);
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_INTERFACE_ADDRESSES, fa, &a,
				  msg, sizeof(msg)), VIR_ERR_OPERATION_INVALID);
	ck_assert_str_eq(msg, "Requested operation is not valid: domain is not running");
}
END_TEST

START_TEST(domifaddr_no_addresses_no_interfaces)
{
	remote_domain_interface_addresses_args a = {
		.source = VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT };
	remote_domain_interface_addresses_ret r = { 0 };

	ck_assert_int_eq(hvd_guest_status_line(&fake_g, "kvp NetworkAddressIPv4 "), 1);
	start_web1(&a.dom);
	call_ok(REMOTE_PROC_DOMAIN_INTERFACE_ADDRESSES,
		RPC_XDR(xdr_remote_domain_interface_addresses_args), &a,
		RPC_XDR(xdr_remote_domain_interface_addresses_ret), &r);
	ck_assert_uint_eq(r.ifaces.ifaces_len, 0);
}
END_TEST

START_TEST(guestinfo_typed_params)
{
	remote_domain_get_guest_info_args a = { 0 };
	remote_domain_get_guest_info_ret r = { 0 };
	const remote_typed_param *p, *v;
	u_int n;

	fake_guest_lines();
	start_web1(&a.dom);
	call_ok(REMOTE_PROC_DOMAIN_GET_GUEST_INFO,
		RPC_XDR(xdr_remote_domain_get_guest_info_args), &a,
		RPC_XDR(xdr_remote_domain_get_guest_info_ret), &r);
	p = r.params.params_val;
	n = r.params.params_len;
	ck_assert_str_eq(param_str(p, n, "hostname"), "web1.example");
	ck_assert_str_eq(param_str(p, n, "os.name"), "Debian GNU/Linux");
	ck_assert_str_eq(param_str(p, n, "os.version"), "6.1.0");
	ck_assert_str_eq(param_str(p, n, "os.version-id"), "12");
	ck_assert_str_eq(param_str(p, n, "os.kernel-release"), "6.1.0-56-amd64");
	ck_assert_str_eq(param_str(p, n, "os.machine"), "x86_64");
	v = param(p, n, "if.count");
	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(v->value.type, VIR_TYPED_PARAM_UINT);
	ck_assert_uint_eq(v->value.remote_typed_param_value_u.ui, 1);
	ck_assert_str_eq(param_str(p, n, "if.0.name"), "kvp");
	ck_assert_ptr_null(param(p, n, "if.0.hwaddr"));
	ck_assert_str_eq(param_str(p, n, "if.0.addr.2.type"), "ipv6");
	ck_assert_str_eq(param_str(p, n, "if.0.addr.1.addr"), "192.168.7.3");
	xdr_free((xdrproc_t)xdr_remote_domain_get_guest_info_ret, (char *)&r);

	/* Only what is asked for; types KVP cannot give are skipped. */
	a.types = VIR_DOMAIN_GUEST_INFO_HOSTNAME | VIR_DOMAIN_GUEST_INFO_USERS;
	memset(&r, 0, sizeof(r));
	call_ok(REMOTE_PROC_DOMAIN_GET_GUEST_INFO,
		RPC_XDR(xdr_remote_domain_get_guest_info_args), &a,
		RPC_XDR(xdr_remote_domain_get_guest_info_ret), &r);
	ck_assert_uint_eq(r.params.params_len, 1);
	ck_assert_str_eq(r.params.params_val[0].field, "hostname");
	xdr_free((xdrproc_t)xdr_remote_domain_get_guest_info_ret, (char *)&r);
}
END_TEST

START_TEST(guestinfo_not_ready_and_readonly)
{
	remote_connect_open_args o = { .flags = VIR_CONNECT_RO };
	remote_domain_get_guest_info_args a = { 0 };
	rpc_xdr_fn fa = RPC_XDR(xdr_remote_domain_get_guest_info_args);
	char msg[512];

	start_web1(&a.dom);
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_GET_GUEST_INFO, fa, &a, msg,
				  sizeof(msg)), VIR_ERR_AGENT_UNRESPONSIVE);
	fake_guest_lines();
	fake_g_ok = false;	/* the backend has no running guest */
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_GET_GUEST_INFO, fa, &a, msg,
				  sizeof(msg)), VIR_ERR_OPERATION_INVALID);
	/* libvirt's ACL: domain:write, so not on a read-only connection. */
	rpc_client_free(&cl);
	memset(&cl, 0, sizeof(cl));
	call_ok(REMOTE_PROC_CONNECT_OPEN, RPC_XDR(xdr_remote_connect_open_args),
		&o, NULL, NULL);
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_GET_GUEST_INFO, fa, &a, msg,
				  sizeof(msg)), VIR_ERR_OPERATION_DENIED);
}
END_TEST

START_TEST(domstats_groups_and_vmbus)
{
	remote_connect_get_all_domain_stats_args a = { 0 };
	remote_connect_get_all_domain_stats_ret r = { 0 };
	remote_domain_stats_record *rec;
	remote_nonnull_domain web1;
	const remote_typed_param *t;

	fake_guest_lines();
	start_web1(&web1);
	define_dom("off1");
	call_ok(REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS,
		RPC_XDR(xdr_remote_connect_get_all_domain_stats_args), &a,
		RPC_XDR(xdr_remote_connect_get_all_domain_stats_ret), &r);
	ck_assert_uint_eq(r.retStats.retStats_len, 2);
	rec = &r.retStats.retStats_val[0];
	if (strcmp(rec->dom.name, "web1"))
		rec++;
	ck_assert_str_eq(rec->dom.name, "web1");
	t = param(rec->params.params_val, rec->params.params_len, "vmbus.heartbeat.seq");
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(t->value.type, VIR_TYPED_PARAM_ULLONG);
	ck_assert_uint_eq(t->value.remote_typed_param_value_u.ul, 41);
	ck_assert_str_eq(param_str(rec->params.params_val, rec->params.params_len,
				   "vmbus.heartbeat.state"), "alive");
	ck_assert_str_eq(param_str(rec->params.params_val, rec->params.params_len,
				   "vmbus.version"), "5.3");
	t = param(rec->params.params_val, rec->params.params_len, "state.state");
	ck_assert_int_eq(t->value.remote_typed_param_value_u.i, VIR_DOMAIN_RUNNING);
	ck_assert_ptr_nonnull(param(rec->params.params_val, rec->params.params_len,
				    "cpu.time"));
	/* The shut-off one has its state only. */
	rec = rec == r.retStats.retStats_val ? rec + 1 : rec - 1;
	ck_assert_str_eq(rec->dom.name, "off1");
	ck_assert_uint_eq(rec->params.params_len, 2);
	xdr_free((xdrproc_t)xdr_remote_connect_get_all_domain_stats_ret, (char *)&r);

	/* virsh domstats --state web1: the list names it, one group. */
	a.doms.doms_val = &web1;
	a.doms.doms_len = 1;
	a.stats = VIR_DOMAIN_STATS_STATE;
	memset(&r, 0, sizeof(r));
	call_ok(REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS,
		RPC_XDR(xdr_remote_connect_get_all_domain_stats_args), &a,
		RPC_XDR(xdr_remote_connect_get_all_domain_stats_ret), &r);
	ck_assert_uint_eq(r.retStats.retStats_len, 1);
	ck_assert_uint_eq(r.retStats.retStats_val[0].params.params_len, 2);
	xdr_free((xdrproc_t)xdr_remote_connect_get_all_domain_stats_ret, (char *)&r);
}
END_TEST

START_TEST(domstats_filters_enforce_unknown)
{
	remote_connect_get_all_domain_stats_args a = { 0 };
	remote_connect_get_all_domain_stats_ret r = { 0 };
	rpc_xdr_fn fa = RPC_XDR(xdr_remote_connect_get_all_domain_stats_args);
	remote_nonnull_domain web1, ghost;
	char msg[512];

	start_web1(&web1);
	define_dom("off1");
	a.flags = VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING;
	call_ok(REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS, fa, &a,
		RPC_XDR(xdr_remote_connect_get_all_domain_stats_ret), &r);
	ck_assert_uint_eq(r.retStats.retStats_len, 1);
	ck_assert_str_eq(r.retStats.retStats_val[0].dom.name, "web1");
	/* No heartbeat yet: no vmbus.* fields. */
	ck_assert_ptr_null(param(r.retStats.retStats_val[0].params.params_val,
				 r.retStats.retStats_val[0].params.params_len,
				 "vmbus.heartbeat.seq"));
	xdr_free((xdrproc_t)xdr_remote_connect_get_all_domain_stats_ret, (char *)&r);
	a.flags = VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS;
	a.stats = VIR_DOMAIN_STATS_PERF | VIR_DOMAIN_STATS_STATE;
	ck_assert_int_eq(call_err(REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS, fa, &a,
				  msg, sizeof(msg)), VIR_ERR_ARGUMENT_UNSUPPORTED);
	ck_assert_str_eq(msg, "argument unsupported: Stats types bits 0x40 are not "
			 "supported by this daemon");
	a.flags = 1u << 20;
	ck_assert_int_eq(call_err(REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS, fa, &a,
				  msg, sizeof(msg)), VIR_ERR_INVALID_ARG);
	ghost = web1;
	ghost.uuid[0] ^= 0xff;
	a.flags = 0;
	a.doms.doms_val = &ghost;
	a.doms.doms_len = 1;
	ck_assert_int_eq(call_err(REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS, fa, &a,
				  msg, sizeof(msg)), VIR_ERR_NO_DOMAIN);
}
END_TEST

START_TEST(domtime_sync_only)
{
	remote_domain_set_time_args a = { .flags = VIR_DOMAIN_TIME_SYNC };
	remote_domain_args da;
	rpc_xdr_fn fa = RPC_XDR(xdr_remote_domain_set_time_args);
	char msg[512];

	start_web1(&a.dom);
	call_ok(REMOTE_PROC_DOMAIN_SET_TIME, fa, &a, NULL, NULL);
	ck_assert_int_eq(syncs, 1);
	/* An arbitrary time: the service carries the host's only. */
	a.flags = 0;
	a.seconds = 978307200;
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_SET_TIME, fa, &a, msg,
				  sizeof(msg)), VIR_ERR_ARGUMENT_UNSUPPORTED);
	a.flags = 2;
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_SET_TIME, fa, &a, msg,
				  sizeof(msg)), VIR_ERR_INVALID_ARG);
	ck_assert_int_eq(syncs, 1);
	a.flags = VIR_DOMAIN_TIME_SYNC;
	da.dom = a.dom;
	call_ok(REMOTE_PROC_DOMAIN_DESTROY, RPC_XDR(xdr_remote_domain_args), &da,
		NULL, NULL);
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_SET_TIME, fa, &a, msg,
				  sizeof(msg)), VIR_ERR_OPERATION_INVALID);
}
END_TEST

/* ---- disk and NIC counters (rpc_devstats.c) over a fake backend ---- */

#define DEV_XML \
	"<domain type='hyperv'><name>io1</name><memory>65536</memory>" \
	"<vcpu>1</vcpu><os><type>hvm</type><kernel>/k</kernel></os><devices>" \
	"<disk type='file' device='disk'><source file='/a.img'/>" \
	"<target dev='sda' bus='scsi'/></disk>" \
	"<disk type='file' device='disk'><source file='/b.img'/>" \
	"<target dev='sdb' bus='scsi'/></disk>" \
	"<interface type='bridge'><mac address='52:54:00:aa:bb:01'/>" \
	"<source bridge='br0'/></interface>" \
	"<interface type='bridge'><mac address='52:54:00:aa:bb:02'/>" \
	"<source bridge='br0'/></interface>" \
	"<interface type='bridge'><mac address='52:54:00:aa:bb:03'/>" \
	"<source bridge='br0'/></interface>" \
	"</devices></domain>"

/* Disk i counts 1000 * (i + 1) + the field's place (1..6). */
static int fake_blk(struct backend *b, struct hvd_dom *d, size_t idx,
		    struct hvd_blk_stats *st, struct hvd_err *err)
{
	uint64_t k = 1000 * (idx + 1);

	(void)b;
	(void)d;
	(void)err;
	*st = (struct hvd_blk_stats){ k + 1, k + 2, k + 3, k + 4, k + 5, k + 6 };
	return 0;
}

/* NIC i counts 100 * (i + 1) + the field's place; NIC 1 did not start,
 * NIC 0's tap is known, NIC 2's is not. */
static int fake_if(struct backend *b, struct hvd_dom *d, size_t idx,
		   struct hvd_if_stats *st, struct hvd_err *err)
{
	uint64_t k = 100 * (idx + 1);

	(void)b;
	(void)d;
	if (idx == 1)
		return hvd_err_set(err, VIR_ERR_OPERATION_FAILED, "no nic 1");
	*st = (struct hvd_if_stats){ k + 1, k + 2, k + 3, k + 4,
				     k + 5, k + 6, k + 7, k + 8, "" };
	if (idx == 0)
		snprintf(st->ifname, sizeof(st->ifname), "mkhvtap7");
	return 0;
}

static void dev_setup(void)
{
	guest_setup();
	guest_ops.blk_stats = fake_blk;
	guest_ops.if_stats = fake_if;
}

/* Domain io1 (two disks, three NICs) defined, and started if @run. */
static remote_nonnull_domain io1(bool run)
{
	remote_domain_define_xml_args a = { .xml = DEV_XML };
	remote_domain_ret r = { 0 };
	remote_domain_args da;

	do_open();
	call_ok(REMOTE_PROC_DOMAIN_DEFINE_XML,
		RPC_XDR(xdr_remote_domain_define_xml_args), &a,
		RPC_XDR(xdr_remote_domain_ret), &r);
	da.dom = r.dom;
	if (run)
		call_ok(REMOTE_PROC_DOMAIN_CREATE, RPC_XDR(xdr_remote_domain_args),
			&da, NULL, NULL);
	return da.dom;
}

/* virsh domblkstat (older clients): by target, by source, "" sums all. */
START_TEST(domblkstat_by_target_source_and_all)
{
	remote_domain_block_stats_args a = { .dom = io1(true) };
	remote_domain_block_stats_ret r;
	rpc_xdr_fn fa = RPC_XDR(xdr_remote_domain_block_stats_args);
	rpc_xdr_fn fr = RPC_XDR(xdr_remote_domain_block_stats_ret);
	char msg[512];

	a.path = "sdb";
	call_ok(REMOTE_PROC_DOMAIN_BLOCK_STATS, fa, &a, fr, &r);
	ck_assert_int_eq(r.rd_req, 2001);
	ck_assert_int_eq(r.rd_bytes, 2002);
	ck_assert_int_eq(r.wr_req, 2003);
	ck_assert_int_eq(r.wr_bytes, 2004);
	ck_assert_int_eq(r.errs, 2006);
	a.path = "/a.img";
	call_ok(REMOTE_PROC_DOMAIN_BLOCK_STATS, fa, &a, fr, &r);
	ck_assert_int_eq(r.rd_req, 1001);
	a.path = "";
	call_ok(REMOTE_PROC_DOMAIN_BLOCK_STATS, fa, &a, fr, &r);
	ck_assert_int_eq(r.rd_req, 3002);
	ck_assert_int_eq(r.wr_bytes, 3008);
	ck_assert_int_eq(r.errs, 3012);
	a.path = "sdc";
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_BLOCK_STATS, fa, &a, msg,
				  sizeof(msg)), VIR_ERR_INVALID_ARG);
	ck_assert_str_eq(msg, "invalid argument: invalid path: sdc");
}
END_TEST

/* virsh domblkstat: the count first (nparams 0), then the parameters. */
START_TEST(domblkstat_flags_count_then_params)
{
	static const char *const names[] = {
		"rd_operations", "rd_bytes", "wr_operations", "wr_bytes",
		"flush_operations", "errs",
	};
	remote_domain_block_stats_flags_args a = { .dom = io1(true), .path = "sda" };
	remote_domain_block_stats_flags_ret r = { 0 };
	rpc_xdr_fn fa = RPC_XDR(xdr_remote_domain_block_stats_flags_args);
	rpc_xdr_fn fr = RPC_XDR(xdr_remote_domain_block_stats_flags_ret);
	char msg[512];

	call_ok(REMOTE_PROC_DOMAIN_BLOCK_STATS_FLAGS, fa, &a, fr, &r);
	ck_assert_int_eq(r.nparams, 6);
	ck_assert_uint_eq(r.params.params_len, 0);
	a.nparams = 6;
	call_ok(REMOTE_PROC_DOMAIN_BLOCK_STATS_FLAGS, fa, &a, fr, &r);
	ck_assert_int_eq(r.nparams, 6);
	ck_assert_uint_eq(r.params.params_len, 6);
	for (int i = 0; i < 6; i++) {
		ck_assert_str_eq(r.params.params_val[i].field, names[i]);
		ck_assert_int_eq(r.params.params_val[i].value.type, VIR_TYPED_PARAM_LLONG);
		ck_assert_int_eq(r.params.params_val[i].value.remote_typed_param_value_u.l,
				 1001 + i);
	}
	xdr_free((xdrproc_t)xdr_remote_domain_block_stats_flags_ret, (char *)&r);
	a.nparams = 2;		/* a short array gets the first ones */
	memset(&r, 0, sizeof(r));
	call_ok(REMOTE_PROC_DOMAIN_BLOCK_STATS_FLAGS, fa, &a, fr, &r);
	ck_assert_uint_eq(r.params.params_len, 2);
	ck_assert_int_eq(r.nparams, 2);
	xdr_free((xdrproc_t)xdr_remote_domain_block_stats_flags_ret, (char *)&r);
	a.nparams = 17;
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_BLOCK_STATS_FLAGS, fa, &a,
				  msg, sizeof(msg)), VIR_ERR_RPC);
	a.nparams = -1;
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_BLOCK_STATS_FLAGS, fa, &a,
				  msg, sizeof(msg)), VIR_ERR_RPC);
	a.nparams = 6;
	a.flags = 1u << 9;
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_BLOCK_STATS_FLAGS, fa, &a,
				  msg, sizeof(msg)), VIR_ERR_INVALID_ARG);
}
END_TEST

/* Counters only of a running domain, and only from a backend with them. */
START_TEST(devstats_need_running_domain_and_backend)
{
	remote_domain_block_stats_args a = { .dom = io1(false), .path = "sda" };
	remote_domain_interface_stats_args ia = { .dom = a.dom,
						  .path = "52:54:00:aa:bb:01" };
	char msg[512];

	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_BLOCK_STATS,
				  RPC_XDR(xdr_remote_domain_block_stats_args), &a,
				  msg, sizeof(msg)), VIR_ERR_OPERATION_INVALID);
	ck_assert_str_eq(msg, "Requested operation is not valid: domain is not running");
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_INTERFACE_STATS,
				  RPC_XDR(xdr_remote_domain_interface_stats_args), &ia,
				  msg, sizeof(msg)), VIR_ERR_OPERATION_INVALID);
	guest_ops.blk_stats = NULL;	/* e.g. the test backend */
	ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_BLOCK_STATS,
				  RPC_XDR(xdr_remote_domain_block_stats_args), &a,
				  msg, sizeof(msg)), VIR_ERR_NO_SUPPORT);
	ck_assert_str_eq(msg, "this function is not supported by the connection "
			 "driver: virDomainBlockStats");
}
END_TEST

/* virsh domifstat: a NIC by MAC (any case) or by its tap. */
START_TEST(domifstat_by_mac_or_tap)
{
	remote_domain_interface_stats_args a = { .dom = io1(true) };
	remote_domain_interface_stats_ret r;
	rpc_xdr_fn fa = RPC_XDR(xdr_remote_domain_interface_stats_args);
	rpc_xdr_fn fr = RPC_XDR(xdr_remote_domain_interface_stats_ret);
	static const char *const unknown[] = {
		"52:54:00:aa:bb:02",	/* NIC 1 did not start: no counters */
		"eth0", "", "52:54:00:aa:bb:0", "mkhvtap",
	};
	char msg[512];

	a.path = "52:54:00:AA:BB:03";
	call_ok(REMOTE_PROC_DOMAIN_INTERFACE_STATS, fa, &a, fr, &r);
	ck_assert_int_eq(r.rx_bytes, 301);
	ck_assert_int_eq(r.rx_packets, 302);
	ck_assert_int_eq(r.rx_errs, 303);
	ck_assert_int_eq(r.rx_drop, 304);
	ck_assert_int_eq(r.tx_bytes, 305);
	ck_assert_int_eq(r.tx_packets, 306);
	ck_assert_int_eq(r.tx_errs, 307);
	ck_assert_int_eq(r.tx_drop, 308);
	a.path = "mkhvtap7";
	call_ok(REMOTE_PROC_DOMAIN_INTERFACE_STATS, fa, &a, fr, &r);
	ck_assert_int_eq(r.rx_bytes, 101);
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		char want[128];

		a.path = (char *)unknown[i];
		ck_assert_int_eq(call_err(REMOTE_PROC_DOMAIN_INTERFACE_STATS, fa, &a,
					  msg, sizeof(msg)), VIR_ERR_INVALID_ARG);
		snprintf(want, sizeof(want), "invalid argument: invalid path, '%s' "
			 "is not a known interface", unknown[i]);
		ck_assert_str_eq(msg, want);
	}
}
END_TEST

static uint64_t param_ull(const remote_typed_param *p, u_int n, const char *field)
{
	const remote_typed_param *t = param(p, n, field);

	ck_assert_msg(t != NULL, "no %s", field);
	ck_assert_int_eq(t->value.type, VIR_TYPED_PARAM_ULLONG);
	return t->value.remote_typed_param_value_u.ul;
}

/* virsh domstats --block --interface: libvirt's block.* and net.* names. */
START_TEST(domstats_block_and_net)
{
	remote_connect_get_all_domain_stats_args a = { 0 };
	remote_connect_get_all_domain_stats_ret r = { 0 };
	remote_nonnull_domain dom = io1(true);
	const remote_typed_param *p;
	u_int n;

	a.doms.doms_val = &dom;
	a.doms.doms_len = 1;
	a.stats = VIR_DOMAIN_STATS_BLOCK | VIR_DOMAIN_STATS_INTERFACE;
	call_ok(REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS,
		RPC_XDR(xdr_remote_connect_get_all_domain_stats_args), &a,
		RPC_XDR(xdr_remote_connect_get_all_domain_stats_ret), &r);
	ck_assert_uint_eq(r.retStats.retStats_len, 1);
	p = r.retStats.retStats_val[0].params.params_val;
	n = r.retStats.retStats_val[0].params.params_len;
	ck_assert_ptr_null(param(p, n, "state.state"));	/* only what was asked */
	ck_assert_uint_eq(param(p, n, "block.count")->value.remote_typed_param_value_u.ui, 2);
	ck_assert_str_eq(param_str(p, n, "block.0.name"), "sda");
	ck_assert_str_eq(param_str(p, n, "block.1.path"), "/b.img");
	ck_assert_uint_eq(param_ull(p, n, "block.0.rd.reqs"), 1001);
	ck_assert_uint_eq(param_ull(p, n, "block.1.wr.bytes"), 2004);
	ck_assert_uint_eq(param_ull(p, n, "block.1.fl.reqs"), 2005);
	ck_assert_uint_eq(param(p, n, "net.count")->value.remote_typed_param_value_u.ui, 3);
	ck_assert_str_eq(param_str(p, n, "net.0.name"), "mkhvtap7");
	ck_assert_uint_eq(param_ull(p, n, "net.0.rx.bytes"), 101);
	ck_assert_uint_eq(param_ull(p, n, "net.0.tx.drop"), 108);
	/* NIC 1 has no counters, NIC 2 no known tap: named by MAC. */
	ck_assert_str_eq(param_str(p, n, "net.1.name"), "52:54:00:aa:bb:02");
	ck_assert_ptr_null(param(p, n, "net.1.rx.bytes"));
	ck_assert_str_eq(param_str(p, n, "net.2.name"), "52:54:00:aa:bb:03");
	ck_assert_uint_eq(param_ull(p, n, "net.2.rx.pkts"), 302);
	xdr_free((xdrproc_t)xdr_remote_connect_get_all_domain_stats_ret, (char *)&r);
}
END_TEST

static Suite *rpc_suite(void)
{
	Suite *s = suite_create("hvd_rpc");
	TCase *f = tcase_create("framing"), *c = tcase_create("connect");
	TCase *d = tcase_create("domains"), *x = tcase_create("hostile");
	TCase *g = tcase_create("guest"), *v = tcase_create("devstats");

	tcase_add_test(f, frame_bytewise);
	tcase_add_test(f, frame_two_in_one_read);
	tcase_add_test(f, frame_length_too_small);
	tcase_add_test(f, frame_length_too_large);
	tcase_add_test(f, frame_max_claim_allocates_lazily);
	tcase_add_checked_fixture(c, setup, teardown);
	tcase_add_test(c, auth_list_offers_none);
	tcase_add_test(c, calls_need_open);
	tcase_add_test(c, open_foreign_uri_refused);
	tcase_add_test(c, get_type_and_versions);
	tcase_add_test(c, capabilities_offer_hyperv_x86_64);
	tcase_add_test(c, nodeinfo_is_sane);
	tcase_add_test(c, keepalive_only_feature);
	tcase_add_test(c, keepalive_ping_pong);
	tcase_add_test(c, readonly_refuses_writes);
	tcase_add_test(c, close_marks_client);
	tcase_add_test(c, unknown_procedure_not_supported);
	tcase_add_test(c, known_unsupported_names_api);
	tcase_add_checked_fixture(d, setup, teardown);
	tcase_add_test(d, define_lookup_dump);
	tcase_add_test(d, unknown_name_is_no_domain);
	tcase_add_test(d, lifecycle_changes_state);
	tcase_add_test(d, list_all_filters);
	tcase_add_test(d, undefine_then_not_found);
	tcase_add_test(d, define_bad_xml_is_xml_error);
	tcase_add_test(d, define_disk_cache_dumps_it);
	tcase_add_test(d, define_bad_disk_cache_defines_nothing);
	tcase_add_test(d, define_flags_validate_and_bad_flag);
	tcase_add_checked_fixture(g, guest_setup, teardown);
	tcase_add_test(g, domifaddr_agent_from_kvp);
	tcase_add_test(g, domifaddr_errors_as_libvirt);
	tcase_add_test(g, domifaddr_no_addresses_no_interfaces);
	tcase_add_test(g, guestinfo_typed_params);
	tcase_add_test(g, guestinfo_not_ready_and_readonly);
	tcase_add_test(g, domstats_groups_and_vmbus);
	tcase_add_test(g, domstats_filters_enforce_unknown);
	tcase_add_test(g, domtime_sync_only);
	tcase_add_checked_fixture(v, dev_setup, teardown);
	tcase_add_test(v, domblkstat_by_target_source_and_all);
	tcase_add_test(v, domblkstat_flags_count_then_params);
	tcase_add_test(v, devstats_need_running_domain_and_backend);
	tcase_add_test(v, domifstat_by_mac_or_tap);
	tcase_add_test(v, domstats_block_and_net);
	tcase_add_checked_fixture(x, setup, teardown);
	tcase_set_timeout(x, 60);
	tcase_add_test(x, wrong_program_gets_error);
	tcase_add_test(x, wrong_version_gets_error);
	tcase_add_test(x, reply_from_client_drops_it);
	tcase_add_test(x, length_word_mismatch_drops);
	tcase_add_test(x, truncated_args_rpc_error);
	tcase_add_test(x, huge_string_length_rpc_error);
	tcase_add_test(x, trailing_garbage_rpc_error);
	tcase_add_test(x, random_payloads_never_crash);
	tcase_add_test(x, input_two_frames_two_replies);
	tcase_add_test(x, input_bad_length_drops);
	tcase_add_test(x, input_oversized_request_discarded_and_answered);
	tcase_add_test(x, input_stops_after_close);
	suite_add_tcase(s, f);
	suite_add_tcase(s, c);
	suite_add_tcase(s, d);
	suite_add_tcase(s, x);
	suite_add_tcase(s, g);
	suite_add_tcase(s, v);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rpc_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
