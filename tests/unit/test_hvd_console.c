// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for `virsh console` in hvd (parent/hvd/console.c and the
 * stream path of rpc.c): DOMAIN_OPEN_CONSOLE and libvirt stream packets
 * between RPC clients and the console pty of a fake hvworker
 * (tests/unit/fake_hvworker.c echoes what it gets as "echo:<byte>").
 * Also the other request answered later: a start, once the worker runs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "hvd_rpc_util.h"
#include "hvd_mkhv_util.h"

static struct rpc_client c1, c2;
static uint8_t frame[1 << 16];

/* What one client got: replies and stream packets, decoded. */
struct got {
	int replies_ok, replies_err, stream_ok, stream_err;
	char err[512];
	char data[8192];        /* stream data, concatenated */
	size_t ndata;
};

static void setup(void)
{
	mk_setup();
	memset(&c1, 0, sizeof(c1));
	memset(&c2, 0, sizeof(c2));
	c1.open = c2.open = true;
}

static void teardown(void)
{
	rpc_client_free(&c1);
	rpc_client_free(&c2);
	mk_teardown();
}

static size_t mk_frame(int proc, int type, unsigned int serial, int status,
		       rpc_xdr_fn fn, void *args, const void *raw, size_t rawlen)
{
	struct hvd_msg_header hdr = { REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION,
				      proc, type, serial, status };

	return test_frame(frame, sizeof(frame), &hdr, fn, args, raw, rawlen);
}

/* Open the console of @d on client @c with stream serial @serial. */
static void open_console(struct rpc_client *c, struct hvd_dom *d,
			 unsigned int serial, const char *dev, unsigned int flags)
{
	char *devp = (char *)dev;
	remote_domain_open_console_args a = {
		.dom = { .name = d->def.name },
		.dev_name = dev ? &devp : NULL,
		.flags = flags,
	};
	size_t n;

	memcpy(a.dom.uuid, d->def.uuid, sizeof(a.dom.uuid));
	n = mk_frame(REMOTE_PROC_DOMAIN_OPEN_CONSOLE, HVD_MSG_CALL, serial,
		     HVD_MSG_OK, RPC_XDR(xdr_remote_domain_open_console_args),
		     &a, NULL, 0);
	ck_assert_int_eq(rpc_dispatch(&h, c, frame, n), 0);
}

static void send_stream(struct rpc_client *c, unsigned int serial, int status,
			const char *data)
{
	size_t n = mk_frame(REMOTE_PROC_DOMAIN_OPEN_CONSOLE, HVD_MSG_STREAM,
			    serial, status, NULL, NULL, data,
			    data ? strlen(data) : 0);

	ck_assert_int_eq(rpc_dispatch(&h, c, frame, n), 0);
}

/* Decode and consume everything queued for @c into @g (accumulating). */
static void take(struct rpc_client *c, unsigned int serial, struct got *g)
{
	size_t off = 0;

	while (off + RPC_FRAME_MIN <= c->out.len) {
		struct hvd_msg_header hdr;
		u_int len;
		XDR x;

		xdrmem_create(&x, (char *)c->out.data + off,
			      (u_int)(c->out.len - off), XDR_DECODE);
		ck_assert(xdr_u_int(&x, &len));
		ck_assert(xdr_hvd_msg_header(&x, &hdr));
		ck_assert_uint_eq(hdr.serial, serial);
		ck_assert_int_eq(hdr.proc, REMOTE_PROC_DOMAIN_OPEN_CONSOLE);
		if (hdr.status == HVD_MSG_ERROR) {
			remote_error e;

			memset(&e, 0, sizeof(e));
			ck_assert(xdr_remote_error(&x, &e));
			snprintf(g->err, sizeof(g->err), "%s", *e.message);
			xdr_free((xdrproc_t)xdr_remote_error, &e);
		}
		xdr_destroy(&x);
		if (hdr.type == HVD_MSG_REPLY) {
			g->replies_ok += hdr.status == HVD_MSG_OK;
			g->replies_err += hdr.status == HVD_MSG_ERROR;
			if (hdr.status == HVD_MSG_OK)
				ck_assert_uint_eq(len, RPC_FRAME_MIN);	/* empty */
		} else {
			ck_assert_int_eq(hdr.type, HVD_MSG_STREAM);
			if (hdr.status == HVD_MSG_CONTINUE) {
				size_t dl = len - RPC_FRAME_MIN;

				ck_assert_uint_gt(dl, 0);
				ck_assert_uint_lt(g->ndata + dl, sizeof(g->data));
				memcpy(g->data + g->ndata,
				       c->out.data + off + RPC_FRAME_MIN, dl);
				g->ndata += dl;
				g->data[g->ndata] = '\0';
			} else if (hdr.status == HVD_MSG_OK) {
				ck_assert_uint_eq(len, RPC_FRAME_MIN);
				g->stream_ok++;
			} else {
				g->stream_err++;
			}
		}
		off += len;
	}
	ck_assert_uint_eq(off, c->out.len);
	c->out.len = c->out.off = 0;
}

/* Pump the loop until @c's stream data contains @s. */
static bool wait_data(struct rpc_client *c, unsigned int serial, struct got *g,
		      const char *s)
{
	long long end = mk_now_ms() + 3000;

	for (;;) {
		take(c, serial, g);
		if (strstr(g->data, s))
			return true;
		if (mk_now_ms() > end)
			return false;
		loop_run_once(20);
	}
}

START_TEST(relay_both_ways)
{
	struct hvd_dom *d = mk_start("c", "x", NULL);
	struct got g = { 0 };

	open_console(&c1, d, 41, NULL, 0);
	take(&c1, 41, &g);
	ck_assert_int_eq(g.replies_ok, 1);	/* the call's own reply first */
	ck_assert(wait_data(&c1, 41, &g, "fake console ready\r\n"));
	send_stream(&c1, 41, HVD_MSG_CONTINUE, "ls");
	ck_assert(wait_data(&c1, 41, &g, "echo:l\r\necho:s\r\n"));
	ck_assert_int_eq(g.stream_ok + g.stream_err, 0);
}
END_TEST

START_TEST(finish_and_abort_are_confirmed)
{
	struct hvd_dom *d = mk_start("c", "x", NULL);
	struct got g = { 0 };

	open_console(&c1, d, 5, "serial0", VIR_DOMAIN_CONSOLE_SAFE);
	send_stream(&c1, 5, HVD_MSG_OK, NULL);		/* virStreamFinish */
	take(&c1, 5, &g);
	ck_assert_int_eq(g.replies_ok, 1);
	ck_assert_int_eq(g.stream_ok, 1);
	ck_assert_ptr_null(c1.console);
	/* The same connection opens it again, then aborts. */
	memset(&g, 0, sizeof(g));
	open_console(&c1, d, 6, "console0", 0);
	send_stream(&c1, 6, HVD_MSG_ERROR, NULL);	/* virStreamAbort */
	take(&c1, 6, &g);
	ck_assert_int_eq(g.replies_ok, 1);
	ck_assert_int_eq(g.stream_ok, 1);
	ck_assert_ptr_null(c1.console);
}
END_TEST

START_TEST(one_session_per_domain_force_takes_over)
{
	struct hvd_dom *d = mk_start("c", "x", NULL);
	struct got g1 = { 0 }, g2 = { 0 };

	open_console(&c1, d, 1, NULL, 0);
	take(&c1, 1, &g1);
	open_console(&c2, d, 2, NULL, 0);
	take(&c2, 2, &g2);
	ck_assert_int_eq(g2.replies_err, 1);
	ck_assert_str_eq(g2.err, "operation failed: Active console session "
			 "exists for this domain");
	memset(&g2, 0, sizeof(g2));
	open_console(&c2, d, 3, NULL, VIR_DOMAIN_CONSOLE_FORCE);
	take(&c2, 3, &g2);
	ck_assert_int_eq(g2.replies_ok, 1);
	take(&c1, 1, &g1);
	ck_assert_int_eq(g1.stream_err, 1);		/* the old one was ended */
	ck_assert_ptr_null(c1.console);
	send_stream(&c2, 3, HVD_MSG_CONTINUE, "z");
	ck_assert(wait_data(&c2, 3, &g2, "echo:z"));
}
END_TEST

START_TEST(client_gone_frees_the_console)
{
	struct hvd_dom *d = mk_start("c", "x", NULL);
	struct got g = { 0 };

	open_console(&c1, d, 1, NULL, 0);
	rpc_client_free(&c1);
	c1.open = true;
	open_console(&c2, d, 2, NULL, 0);
	take(&c2, 2, &g);
	ck_assert_int_eq(g.replies_ok, 1);
}
END_TEST

START_TEST(domain_end_is_end_of_file)
{
	struct hvd_dom *d = mk_start("c", "x", NULL);
	struct hvd_err err;
	struct got g = { 0 };

	open_console(&c1, d, 9, NULL, 0);
	ck_assert(wait_data(&c1, 9, &g, "ready"));
	ck_assert_int_eq(hvd_destroy(&h, d, 0, &err), 0);
	ck_assert(PUMP_UNTIL((take(&c1, 9, &g), g.stream_ok == 1), 3000));
	/* virsh then finishes its side: confirmed, console gone. */
	send_stream(&c1, 9, HVD_MSG_OK, NULL);
	take(&c1, 9, &g);
	ck_assert_int_eq(g.stream_ok, 2);
	ck_assert_ptr_null(c1.console);
}
END_TEST

START_TEST(foreign_stream_packets_are_dropped)
{
	struct hvd_dom *d = mk_start("c", "x", NULL);
	struct got g = { 0 };

	/* No console yet: dropped, the connection stays. */
	send_stream(&c1, 77, HVD_MSG_CONTINUE, "x");
	send_stream(&c1, 77, HVD_MSG_OK, NULL);
	ck_assert_uint_eq(c1.out.len, 0);
	open_console(&c1, d, 8, NULL, 0);
	take(&c1, 8, &g);
	/* Wrong serial: neither written nor closing the stream. */
	send_stream(&c1, 9, HVD_MSG_ERROR, NULL);
	send_stream(&c1, 9, HVD_MSG_CONTINUE, "q");
	ck_assert_ptr_nonnull(c1.console);
	ck_assert(wait_data(&c1, 8, &g, "ready"));
	ck_assert_ptr_null(strstr(g.data, "echo:q"));
}
END_TEST

static int open_err(struct rpc_client *c, struct hvd_dom *d, const char *dev,
		    unsigned int flags, char *msg, size_t len)
{
	struct got g = { 0 };

	open_console(c, d, 4, dev, flags);
	take(c, 4, &g);
	ck_assert_int_eq(g.replies_err, 1);
	snprintf(msg, len, "%s", g.err);
	return g.replies_err;
}

START_TEST(open_errors)
{
	struct hvd_dom *off = mk_define("off", "x", NULL);
	struct hvd_dom *on = mk_start("on", "x", NULL);
	char msg[512];

	open_err(&c1, off, NULL, 0, msg, sizeof(msg));
	ck_assert_str_eq(msg, "Requested operation is not valid: domain is not running");
	open_err(&c1, on, "serial1", 0, msg, sizeof(msg));
	ck_assert_str_eq(msg, "internal error: cannot find character device serial1");
	open_err(&c1, on, NULL, 0x80, msg, sizeof(msg));
	ck_assert_ptr_nonnull(strstr(msg, "unsupported flags (0x80)"));
	c2.readonly = true;
	open_err(&c2, on, NULL, 0, msg, sizeof(msg));
	ck_assert_str_eq(msg, "operation forbidden: read only access prevents "
			 "virDomainOpenConsole");
	ck_assert_ptr_null(c1.console);
	ck_assert_ptr_null(c2.console);
}
END_TEST

START_TEST(test_backend_has_no_console)
{
	struct backend tb;
	struct hvd th;
	struct hvd_err err;
	struct hvd_dom *d;
	char *tdir = test_tmpdir();
	char msg[512];

	ck_assert_int_eq(backend_open("test", &tb, &err), 0);
	ck_assert_int_eq(hvd_init(&th, tdir, &tb, &err), 0);
	ck_assert_int_eq(hvd_define(&th, test_xml("t"), strlen(test_xml("t")), 0,
				    &d, &err), 0);
	ck_assert_int_eq(hvd_start(&th, d, 0, &err), 0);
	{
		remote_domain_open_console_args a = { .dom = { .name = "t" },
						      .dev_name = NULL };
		struct got g = { 0 };
		size_t n;

		memcpy(a.dom.uuid, d->def.uuid, sizeof(a.dom.uuid));
		n = mk_frame(REMOTE_PROC_DOMAIN_OPEN_CONSOLE, HVD_MSG_CALL, 4,
			     HVD_MSG_OK,
			     RPC_XDR(xdr_remote_domain_open_console_args), &a,
			     NULL, 0);
		ck_assert_int_eq(rpc_dispatch(&th, &c1, frame, n), 0);
		take(&c1, 4, &g);
		snprintf(msg, sizeof(msg), "%s", g.err);
	}
	ck_assert_str_eq(msg, "this function is not supported by the connection "
			 "driver: virDomainOpenConsole");
	hvd_fini(&th);
	backend_close(&tb);
	test_rmdir(tdir);
	free(tdir);
}
END_TEST

/* ---- a start answered when the worker runs (not console, same RPC path) ---- */

static void call_start(struct rpc_client *c, struct hvd_dom *d, int proc,
		       unsigned int serial)
{
	remote_domain_flags_args a = { .dom = { .name = d->def.name } };
	size_t n;

	memcpy(a.dom.uuid, d->def.uuid, sizeof(a.dom.uuid));
	n = mk_frame(proc, HVD_MSG_CALL, serial, HVD_MSG_OK,
		     proc == REMOTE_PROC_DOMAIN_CREATE ?
		     RPC_XDR(xdr_remote_domain_args) :
		     RPC_XDR(xdr_remote_domain_flags_args), &a, NULL, 0);
	ck_assert_int_eq(rpc_dispatch(&h, c, frame, n), 0);
}

/* The one reply queued for @c: its status; the message or the domain id. */
static int take_start_reply(struct rpc_client *c, int proc, unsigned int serial,
			    char *msg, size_t len, int *id)
{
	struct hvd_msg_header hdr;
	u_int flen;
	XDR x;

	ck_assert_uint_ge(c->out.len, RPC_FRAME_MIN);
	xdrmem_create(&x, (char *)c->out.data, (u_int)c->out.len, XDR_DECODE);
	ck_assert(xdr_u_int(&x, &flen));
	ck_assert_uint_eq(flen, c->out.len);
	ck_assert(xdr_hvd_msg_header(&x, &hdr));
	ck_assert_int_eq(hdr.type, HVD_MSG_REPLY);
	ck_assert_int_eq(hdr.proc, proc);
	ck_assert_uint_eq(hdr.serial, serial);
	if (hdr.status == HVD_MSG_ERROR) {
		remote_error e;

		memset(&e, 0, sizeof(e));
		ck_assert(xdr_remote_error(&x, &e));
		snprintf(msg, len, "%s", *e.message);
		xdr_free((xdrproc_t)xdr_remote_error, &e);
	} else if (proc == REMOTE_PROC_DOMAIN_CREATE_WITH_FLAGS) {
		remote_domain_ret r;

		memset(&r, 0, sizeof(r));
		ck_assert(xdr_remote_domain_ret(&x, &r));
		*id = r.dom.id;
		xdr_free((xdrproc_t)xdr_remote_domain_ret, (char *)&r);
	}
	ck_assert_uint_eq(xdr_getpos(&x), flen);
	xdr_destroy(&x);
	c->out.len = c->out.off = 0;
	return hdr.status;
}

START_TEST(start_reply_waits_for_running)
{
	struct hvd_dom *d = mk_define("s", "x", NULL);
	char msg[256];
	int id = 0;

	call_start(&c1, d, REMOTE_PROC_DOMAIN_CREATE_WITH_FLAGS, 31);
	ck_assert_uint_eq(c1.out.len, 0);	/* not yet */
	ck_assert(d->starting);
	ck_assert(PUMP_UNTIL(c1.out.len > 0, 5000));
	ck_assert_int_eq(take_start_reply(&c1, REMOTE_PROC_DOMAIN_CREATE_WITH_FLAGS,
					  31, msg, sizeof(msg), &id), HVD_MSG_OK);
	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(id, d->id);
	ck_assert_int_eq(d->state, VIR_DOMAIN_RUNNING);
}
END_TEST

START_TEST(start_failure_reply_has_worker_detail)
{
	struct hvd_dom *d = mk_define("f", "fake-fail", NULL);
	char msg[256] = "";
	int id = 0;

	call_start(&c1, d, REMOTE_PROC_DOMAIN_CREATE, 32);
	ck_assert_uint_eq(c1.out.len, 0);
	ck_assert(PUMP_UNTIL(c1.out.len > 0, 5000));
	ck_assert_int_eq(take_start_reply(&c1, REMOTE_PROC_DOMAIN_CREATE, 32, msg,
					  sizeof(msg), &id), HVD_MSG_ERROR);
	ck_assert_str_eq(msg, "operation failed: boot: fake failure");
}
END_TEST

START_TEST(client_gone_while_starting)
{
	struct hvd_dom *d = mk_define("s", "x", NULL);

	call_start(&c1, d, REMOTE_PROC_DOMAIN_CREATE, 33);
	rpc_client_free(&c1);		/* virsh killed meanwhile */
	c1.open = true;
	ck_assert(PUMP_UNTIL(!d->starting, 5000));
	ck_assert_int_eq(d->state, VIR_DOMAIN_RUNNING);
	ck_assert_uint_eq(c1.out.len, 0);
}
END_TEST

static Suite *console_suite(void)
{
	Suite *s = suite_create("hvd_console");
	TCase *tc = tcase_create("stream");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, relay_both_ways);
	tcase_add_test(tc, finish_and_abort_are_confirmed);
	tcase_add_test(tc, one_session_per_domain_force_takes_over);
	tcase_add_test(tc, client_gone_frees_the_console);
	tcase_add_test(tc, domain_end_is_end_of_file);
	tcase_add_test(tc, foreign_stream_packets_are_dropped);
	tcase_add_test(tc, open_errors);
	tcase_add_test(tc, test_backend_has_no_console);
	tcase_add_test(tc, start_reply_waits_for_running);
	tcase_add_test(tc, start_failure_reply_has_worker_detail);
	tcase_add_test(tc, client_gone_while_starting);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(console_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
