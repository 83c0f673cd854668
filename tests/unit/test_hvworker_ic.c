// SPDX-License-Identifier: GPL-2.0
/*
 * Check suite for parent/worker/ic*.c: the integration services through
 * real rings against the fake hv_utils of hvworker_vmbus_fake.h.
 */
#include <linux/hyperv.h>

#include "hvworker_vmbus_fake.h"

static struct fg_chan *chan(struct fake *f, struct vmbus_guid g)
{
	struct fg_chan *c = fg_chan_by_type(f, g);

	ck_assert_ptr_nonnull(c);
	return c;
}

/* Our wire structs against the installed Linux uapi header. */
START_TEST(wire_matches_linux_uapi)
{
	ck_assert_uint_eq(sizeof(struct kvp_msg), sizeof(struct hv_kvp_msg));
	ck_assert_uint_eq(sizeof(struct kvp_exchg_value),
			  sizeof(struct hv_kvp_exchg_msg_value));
	ck_assert_uint_eq(sizeof(struct kvp_ipaddr_value),
			  sizeof(struct hv_kvp_ipaddr_value));
	ck_assert_uint_eq(offsetof(struct kvp_msg, body.enumerate.data.value),
			  offsetof(struct hv_kvp_msg, body.kvp_enum_data.data.value));
	ck_assert_uint_eq(KVP_OP_ENUMERATE, IC_KVP_OP_ENUMERATE);
	ck_assert_uint_eq(KVP_POOL_AUTO, IC_KVP_POOL_AUTO);
	ck_assert_uint_eq(HV_S_CONT, IC_S_CONT);
	ck_assert_uint_eq(REG_SZ, IC_KVP_REG_SZ);
}
END_TEST

/* The NEGOTIATE packet as hv_utils sees it, and what each service picks. */
START_TEST(negotiate_versions)
{
	struct fake *f = fg_up(VMBUS_IC_ALL, true);
	struct fg_chan *hb = chan(f, (struct vmbus_guid)VMBUS_GUID_HEARTBEAT);
	struct ic_msg_hdr hdr;
	struct ic_negotiate n;
	struct ic_version v[4];
	struct vmbus_host_status st;

	f->kvp_daemon = true;
	fg_run(f, 20);
	/* The first packet of heartbeat was the NEGOTIATE: 28 + 8 + 4 * 4. */
	ck_assert_uint_ge(hb->packets, 1);
	st = status(f);
	ck_assert(st.shutdown_ready && st.heartbeat_ready && st.timesync_ready &&
		  st.kvp_ready);
	ck_assert_uint_eq(chan(f, (struct vmbus_guid)VMBUS_GUID_SHUTDOWN)->srv, IC_VERSION(3, 2));
	ck_assert_uint_eq(chan(f, (struct vmbus_guid)VMBUS_GUID_TIMESYNC)->srv, IC_VERSION(4, 0));
	ck_assert_uint_eq(hb->srv, IC_VERSION(3, 0));
	ck_assert_uint_eq(chan(f, (struct vmbus_guid)VMBUS_GUID_KVP)->srv, IC_VERSION(4, 0));
	fg_free(f);

	/* A fresh heartbeat channel: look at the raw NEGOTIATE. */
	f = fg_up(VMBUS_IC_HEARTBEAT, false);
	f->ch[0].mute = true;
	fg_run(f, 5);
	ck_assert_uint_eq(vmbus_ring_read(&f->ch[0].in, &(struct vmbus_ring_pkt){ 0 },
					  f->ch[0].last, sizeof(f->ch[0].last)), 56);
	memcpy(&hdr, f->ch[0].last + 8, sizeof(hdr));
	memcpy(&n, f->ch[0].last + 28, sizeof(n));
	memcpy(v, f->ch[0].last + 36, sizeof(v));
	ck_assert_uint_eq(hdr.icmsgtype, IC_MSGTYPE_NEGOTIATE);
	ck_assert_uint_eq(hdr.icflags, IC_FLAG_TRANSACTION | IC_FLAG_REQUEST);
	ck_assert_uint_eq(n.icframe_vercnt, 2);
	ck_assert_uint_eq(n.icmsg_vercnt, 2);
	ck_assert_uint_eq(v[0].major, 3);
	ck_assert_uint_eq(v[1].major, 1);
	ck_assert_uint_eq(v[2].major, 3);
	ck_assert_uint_eq(v[3].major, 1);
	fg_free(f);
}
END_TEST

START_TEST(heartbeat_sequence)
{
	struct fake *f = fg_up(VMBUS_IC_HEARTBEAT, false);
	struct vmbus_host_status st;
	struct ic_heartbeat_data d;

	fg_run(f, 5500);
	st = status(f);
	ck_assert(st.heartbeat_ready);
	ck_assert_uint_ge(st.heartbeat_count, 5);
	ck_assert_uint_le(st.heartbeat_count, 7);
	ck_assert_uint_eq(st.heartbeat_seq, st.heartbeat_count);
	ck_assert(!st.guest_hung);
	ck_assert_uint_lt(st.heartbeat_age_ms, 1100);
	/* The last request as hv_utils receives it: 28 + 40 bytes, padded to 8. */
	ck_assert_uint_eq(f->ch[0].last_len, 72);
	ck_assert_uint_eq(f->ch[0].last_pkt_flags, 1);
	memcpy(&d, f->ch[0].last + 28, 8);
	ck_assert_uint_eq(d.seq_num, st.heartbeat_seq - 1);
	fg_free(f);
}
END_TEST

START_TEST(heartbeat_hung_and_back)
{
	struct fake *f = fg_up(VMBUS_IC_HEARTBEAT, false);
	uint64_t seq;

	fg_run(f, 3000);
	seq = status(f).heartbeat_seq;
	f->ch[0].mute = true;
	fg_run(f, 5000);
	ck_assert(!status(f).guest_hung);
	fg_run(f, 7000);
	ck_assert(status(f).guest_hung);
	ck_assert_uint_eq(status(f).heartbeat_seq, seq);
	ck_assert_uint_ge(status(f).heartbeat_age_ms, 10000);
	ck_assert(fg_logged(f, "guest hung"));
	f->ch[0].mute = false;
	fg_run(f, 2500);
	ck_assert(!status(f).guest_hung);
	ck_assert_uint_gt(status(f).heartbeat_seq, seq);
	fg_free(f);
}
END_TEST

START_TEST(shutdown_request)
{
	struct fake *f = fg_new(VMBUS_IC_SHUTDOWN, 0, false);
	struct ic_shutdown_data sd;

	/* Requested before the guest's driver is even there. */
	ck_assert_int_eq(vmbus_host_request_shutdown(f->h, false), 0);
	ck_assert(status(f).shutdown_pending);
	fg_boot(f);
	fg_open_all(f);
	fg_run(f, 50);
	ck_assert_int_eq(f->shutdowns, 1);
	ck_assert_uint_eq(f->shutdown_flags[0], IC_SHUTDOWN_FLAG_SHUTDOWN);
	ck_assert_uint_eq(f->ch[0].last_len, 2088);
	memcpy(&sd, f->ch[0].last + 28, 12);
	ck_assert_uint_eq(sd.flags, 0);
	ck_assert(!status(f).shutdown_pending);
	ck_assert_uint_eq(status(f).shutdown_answers, 1);
	ck_assert_uint_eq(status(f).shutdown_status, IC_S_OK);
	/* Reboot. */
	ck_assert_int_eq(vmbus_host_request_shutdown(f->h, true), 0);
	fg_run(f, 50);
	ck_assert_int_eq(f->shutdowns, 2);
	ck_assert_uint_eq(f->shutdown_flags[1], IC_SHUTDOWN_FLAG_REBOOT);
	fg_free(f);
}
END_TEST

START_TEST(shutdown_without_service)
{
	struct fake *f = fg_new(VMBUS_IC_HEARTBEAT, 0, false);

	ck_assert_int_eq(vmbus_host_request_shutdown(f->h, false), -ENODEV);
	ck_assert_int_eq(vmbus_host_kvp_refresh(f->h), -ENODEV);
	ck_assert_int_eq(vmbus_host_timesync_now(f->h), -ENODEV);
	fg_free(f);
}
END_TEST

/* Without the reference time: 3.0, ictimesync_data, SYNC then SAMPLEs. */
START_TEST(timesync_v3)
{
	struct fake *f = fg_up(VMBUS_IC_TIMESYNC, false);

	fg_run(f, 50);
	ck_assert_uint_eq(f->ch[0].srv, IC_VERSION(3, 0));
	ck_assert_int_eq(f->ts_count, 1);
	ck_assert_uint_eq(f->ts_len, 56);	/* 28 + 25, padded */
	ck_assert_uint_eq(f->ts_flags, IC_TIMESYNC_FLAG_SYNC);
	ck_assert_uint_ge(f->ts_parent, 133000000000000000ull);
	ck_assert_uint_le(f->ts_parent, f->utc);
	fg_run(f, 5100);
	ck_assert_int_eq(f->ts_count, 2);
	ck_assert_uint_eq(f->ts_flags, IC_TIMESYNC_FLAG_SAMPLE);
	ck_assert_int_eq(vmbus_host_timesync_now(f->h), 0);
	fg_run(f, 50);
	ck_assert_int_eq(f->ts_count, 3);
	ck_assert_uint_eq(f->ts_flags, IC_TIMESYNC_FLAG_SYNC);
	ck_assert_uint_eq(status(f).timesync_samples, 3);
	fg_free(f);
}
END_TEST

/* With the reference time: 4.0 and ictimesync_ref_data. */
START_TEST(timesync_v4)
{
	struct fake *f = fg_up(VMBUS_IC_TIMESYNC, true);

	fg_run(f, 50);
	ck_assert_uint_eq(f->ch[0].srv, IC_VERSION(4, 0));
	ck_assert_uint_eq(f->ts_len, 56);	/* 28 + 22, padded */
	ck_assert_uint_eq(f->ts_flags, IC_TIMESYNC_FLAG_SYNC);
	ck_assert_uint_ne(f->ts_ref, 0);
	ck_assert_uint_le(f->ts_ref, f->ref + f->now_ms * 10000);
	fg_free(f);
}
END_TEST

static const char *const kvp_keys[] = {
	"FullyQualifiedDomainName", "IntegrationServicesVersion",
	"NetworkAddressIPv4", "NetworkAddressIPv6", "OSName",
};
static const char *const kvp_vals[] = {
	"web1.example", "6.1.0", "192.168.122.10;10.0.0.5", "fe80::1", "Debian GNU/Linux",
};

/* No daemon: NEGOTIATE waits in the ring, the others are not held up. */
START_TEST(kvp_waits_for_daemon)
{
	struct fake *f = fg_up(VMBUS_IC_KVP | VMBUS_IC_HEARTBEAT, false);
	char v[64];

	f->kvp_keys = kvp_keys;
	f->kvp_values = kvp_vals;
	f->kvp_n = 5;
	fg_run(f, 60000);
	ck_assert(!status(f).kvp_ready);
	ck_assert(status(f).heartbeat_ready);
	ck_assert_uint_ge(status(f).heartbeat_count, 50);
	ck_assert_int_eq(vmbus_host_kvp_get(f->h, "OSName", v, sizeof(v)), -ENOENT);
	f->kvp_daemon = true;
	fg_run(f, 100);
	ck_assert(status(f).kvp_ready);
	ck_assert_uint_eq(status(f).kvp_rounds, 1);
	ck_assert_int_eq(vmbus_host_kvp_get(f->h, "FullyQualifiedDomainName", v, sizeof(v)), 12);
	ck_assert_str_eq(v, "web1.example");
	ck_assert_int_gt(vmbus_host_kvp_get(f->h, "NetworkAddressIPv4", v, sizeof(v)), 0);
	ck_assert_str_eq(v, "192.168.122.10;10.0.0.5");
	ck_assert_int_eq(vmbus_host_kvp_get(f->h, "OSName", v, 5), -ENOSPC);
	ck_assert_int_eq(vmbus_host_kvp_get(f->h, "Nope", v, sizeof(v)), -ENOENT);
	fg_free(f);
}
END_TEST

/* Each request is a whole hv_kvp_msg; rounds repeat every kvp_ms. */
START_TEST(kvp_rounds)
{
	struct fake *f = fg_new(VMBUS_IC_KVP, 0, false);
	struct fg_chan *c;
	struct kvp_msg m;
	char v[64];

	f->kvp_daemon = true;
	f->kvp_keys = kvp_keys;
	f->kvp_values = kvp_vals;
	f->kvp_n = 5;
	fg_boot(f);
	fg_open_all(f);
	c = &f->ch[0];
	fg_run(f, 100);
	ck_assert_uint_eq(c->last_len, 28 + sizeof(struct kvp_msg) + 4);	/* padded */
	memcpy(&m, c->last + 28, 8);
	ck_assert_uint_eq(m.hdr.operation, IC_KVP_OP_ENUMERATE);
	ck_assert_uint_eq(m.hdr.pool, IC_KVP_POOL_AUTO);
	ck_assert_uint_eq(m.body.enumerate.index, 5);	/* the one answered S_CONT */
	ck_assert_uint_eq(status(f).kvp_rounds, 1);
	f->kvp_values = (const char *const[]){ "web2", "6.1.0", "10.1.1.1", "", "Debian" };
	fg_run(f, 31000);
	ck_assert_uint_eq(status(f).kvp_rounds, 2);
	ck_assert_int_eq(vmbus_host_kvp_get(f->h, "FullyQualifiedDomainName", v, sizeof(v)), 4);
	ck_assert_int_eq(vmbus_host_kvp_refresh(f->h), 0);
	fg_run(f, 100);
	ck_assert_uint_eq(status(f).kvp_rounds, 3);
	fg_free(f);
}
END_TEST

/* Status lines for hvd: what changed, once; guest text made one line. */
START_TEST(report_lines)
{
	static const char *const keys[] = { "FullyQualifiedDomainName", "NetworkAddressIPv4" };
	static const char *const vals[] = { "evil\nhvworker: state shutdown", "10.0.0.9" };
	struct fake *f = fg_new(VMBUS_IC_ALL, 0, false);
	struct vmbus_host_seen seen = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	f->kvp_daemon = true;
	f->kvp_keys = keys;
	f->kvp_values = vals;
	f->kvp_n = 2;
	ck_assert_int_eq(vmbus_host_report(f->h, out, &seen), 1);	/* version 0.0 */
	fg_boot(f);
	fg_open_all(f);
	vmbus_host_request_shutdown(f->h, false);
	fg_run(f, 3000);
	ck_assert_int_eq(vmbus_host_report(f->h, out, &seen), 5);
	ck_assert_int_eq(vmbus_host_report(f->h, out, &seen), 0);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(buf, "hvworker: vmbus version 0.0\n"));
	ck_assert_ptr_nonnull(strstr(buf, "hvworker: vmbus version 5.3\n"));
	ck_assert_ptr_nonnull(strstr(buf, "hvworker: heartbeat "));
	ck_assert_ptr_nonnull(strstr(buf, " alive\n"));
	ck_assert_ptr_nonnull(strstr(buf, "hvworker: shutdown-answer 0\n"));
	ck_assert_ptr_nonnull(strstr(buf, "hvworker: kvp FullyQualifiedDomainName evil?hvworker: state shutdown\n"));
	ck_assert_ptr_nonnull(strstr(buf, "hvworker: kvp NetworkAddressIPv4 10.0.0.9\n"));
	ck_assert_ptr_null(strstr(buf, "\nhvworker: state"));
	free(buf);
	fg_free(f);
}
END_TEST

START_TEST(utf16_conversion)
{
	const uint8_t in[] = { 'h', 0, 0xe9, 0, 0xac, 0x20, 0x3d, 0xd8, 0x00, 0xde,
			       0x00, 0xd8, 'x', 0, 0, 0, 'z', 0 };
	char out[32];

	/* h, é, €, U+1F600, lone high surrogate, x, NUL */
	ck_assert_uint_eq(ic_utf16le_to_utf8(in, sizeof(in), out, sizeof(out)), 14);
	ck_assert_str_eq(out, "h\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xef\xbf\xbdx");
	/* Truncated to the output, never past it. */
	ck_assert_uint_eq(ic_utf16le_to_utf8(in, sizeof(in), out, 4), 3);
	ck_assert_str_eq(out, "h\xc3\xa9");
	/* Odd byte count, empty. */
	ck_assert_uint_eq(ic_utf16le_to_utf8(in, 3, out, sizeof(out)), 1);
	ck_assert_uint_eq(ic_utf16le_to_utf8(in, 0, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "");
}
END_TEST

/* ---- hostile hv_utils ---- */

/* Build a reply to the outstanding request by hand. */
static void reply(struct fake *f, struct fg_chan *c, uint64_t trans, uint16_t type,
		  uint8_t flags, uint32_t status_, const void *body, uint32_t blen)
{
	uint8_t buf[4096];
	struct ic_msg_hdr h = { .icmsgtype = type, .icflags = flags, .status = status_ };

	memset(buf, 0, sizeof(buf));
	memcpy(buf + 8, &h, sizeof(h));
	if (body)
		memcpy(buf + 28, body, blen);
	ck_assert_int_eq(fg_send(f, c, VM_PKT_DATA_INBAND, trans, buf, 28 + blen), 0);
	fg_pump(f);
}

static uint64_t take_request(struct fake *f, struct fg_chan *c)
{
	struct vmbus_ring_pkt pkt;

	fg_run(f, 5);
	ck_assert_int_ge(vmbus_ring_read(&c->in, &pkt, c->last, sizeof(c->last)), 28);
	vmbus_ring_read_done(&c->in);
	return pkt.desc.trans_id;
}

START_TEST(hostile_negotiate_answers)
{
	struct fake *f = fg_up(VMBUS_IC_HEARTBEAT, false);
	struct fg_chan *c = &f->ch[0];
	struct { struct ic_negotiate n; struct ic_version v[2]; } __attribute__((packed)) b;
	uint64_t t;

	c->mute = true;
	t = take_request(f, c);
	/* Wrong trans_id, wrong type, no RESPONSE flag, a completion packet. */
	reply(f, c, t + 1, 0, 5, 0, NULL, 0);
	reply(f, c, t, 1, 5, 0, NULL, 0);
	reply(f, c, t, 0, 1, 0, NULL, 0);
	ck_assert_int_eq(fg_send(f, c, VM_PKT_COMP, t, "x", 1), 0);
	fg_pump(f);
	ck_assert(!status(f).heartbeat_ready);
	ck_assert(fg_logged(f, "unsolicited"));
	/* Counts 2/2: refused, the service is disabled. */
	memset(&b, 0, sizeof(b));
	b.n.icframe_vercnt = 2;
	b.n.icmsg_vercnt = 2;
	reply(f, c, t, 0, 5, 0, &b, sizeof(b));
	ck_assert(!status(f).heartbeat_ready);
	ck_assert(fg_logged(f, "malformed NEGOTIATE"));
	/* Further answers are unsolicited. */
	reply(f, c, t, 0, 5, 0, &b, sizeof(b));
	fg_run(f, 3000);
	ck_assert_uint_eq(status(f).heartbeat_count, 0);
	fg_free(f);
}
END_TEST

START_TEST(hostile_negotiate_versions)
{
	struct fake *f = fg_up(VMBUS_IC_HEARTBEAT, false);
	struct fg_chan *c = &f->ch[0];
	struct { struct ic_negotiate n; struct ic_version v[2]; } __attribute__((packed)) b;
	uint64_t t;

	c->mute = true;
	t = take_request(f, c);
	/* A version we never offered. */
	memset(&b, 0, sizeof(b));
	b.n.icframe_vercnt = 1;
	b.n.icmsg_vercnt = 1;
	b.v[0] = (struct ic_version){ 3, 0 };
	b.v[1] = (struct ic_version){ 9, 9 };
	reply(f, c, t, 0, 5, 0, &b, sizeof(b));
	ck_assert(!status(f).heartbeat_ready);
	fg_free(f);

	/* Short body; then "no common version" (0/0). */
	f = fg_up(VMBUS_IC_HEARTBEAT, false);
	c = &f->ch[0];
	c->mute = true;
	t = take_request(f, c);
	reply(f, c, t, 0, 5, 0, &b, 4);
	ck_assert(fg_logged(f, "malformed"));
	fg_free(f);

	f = fg_up(VMBUS_IC_HEARTBEAT, false);
	c = &f->ch[0];
	c->mute = true;
	t = take_request(f, c);
	memset(&b, 0, sizeof(b));
	reply(f, c, t, 0, 5, 0, &b, sizeof(b));
	ck_assert(fg_logged(f, "none of our versions"));
	ck_assert(!status(f).heartbeat_ready);
	fg_free(f);
}
END_TEST

/* KVP answers with absurd key/value sizes are clamped to the arrays. */
START_TEST(hostile_kvp_sizes)
{
	struct fake *f = fg_new(VMBUS_IC_KVP, 0, false);
	struct fg_chan *c;
	static uint8_t body[sizeof(struct kvp_msg)];
	struct kvp_exchg_value v;
	char out[64];
	uint64_t t;

	f->kvp_daemon = true;
	fg_boot(f);
	fg_open_all(f);
	c = &f->ch[0];
	fg_run(f, 5);	/* negotiated by the fake hv_utils */
	ck_assert(status(f).kvp_ready);
	c->mute = true;
	t = take_request(f, c);
	memset(&v, 'A', sizeof(v));	/* no NUL anywhere */
	v.value_type = IC_KVP_REG_SZ;
	v.key_size = 0xffffffff;
	v.value_size = 0x80000000;
	v.key[0] = 'K';
	v.key[1] = v.key[2] = v.key[3] = 0;
	memset(body, 0, sizeof(body));
	memcpy(body + offsetof(struct kvp_msg, body.enumerate.data), &v, sizeof(v));
	{
		static uint8_t buf[28 + sizeof(struct kvp_msg)];
		struct ic_msg_hdr h = { .icmsgtype = IC_MSGTYPE_KVPEXCHANGE, .icflags = 5 };

		memcpy(buf + 8, &h, sizeof(h));
		memcpy(buf + 28, body, sizeof(body));
		ck_assert_int_eq(fg_send(f, c, VM_PKT_DATA_INBAND, t, buf, sizeof(buf)), 0);
		fg_pump(f);
	}
	/* End the round: S_CONT. */
	t = take_request(f, c);
	reply(f, c, t, IC_MSGTYPE_KVPEXCHANGE, 5, IC_S_CONT, NULL, 0);
	ck_assert_int_eq(vmbus_host_kvp_get(f->h, "K", out, sizeof(out)), -ENOSPC);
	ck_assert_uint_eq(status(f).kvp_rounds, 1);
	fg_free(f);
}
END_TEST

/* A guest that never ends the enumeration (empty keys forever). */
START_TEST(hostile_kvp_endless)
{
	struct fake *f = fg_new(VMBUS_IC_KVP, 0, false);
	static const char *empty[200];

	for (int i = 0; i < 200; i++)
		empty[i] = "";
	f->kvp_daemon = true;
	f->kvp_keys = empty;
	f->kvp_values = empty;
	f->kvp_n = 200;
	fg_boot(f);
	fg_open_all(f);
	fg_run(f, 5000);
	ck_assert_uint_eq(status(f).kvp_rounds, 1);
	ck_assert(fg_logged(f, "past index 64"));
	ck_assert_uint_le(f->ch[0].packets, 66);	/* NEGOTIATE + 64 + none more yet */
	fg_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("hvworker_ic");
	TCase *t = tcase_create("services");
	TCase *x = tcase_create("hostile");

	tcase_set_timeout(t, 60);
	tcase_set_timeout(x, 60);
	tcase_add_test(t, wire_matches_linux_uapi);
	tcase_add_test(t, negotiate_versions);
	tcase_add_test(t, heartbeat_sequence);
	tcase_add_test(t, heartbeat_hung_and_back);
	tcase_add_test(t, shutdown_request);
	tcase_add_test(t, shutdown_without_service);
	tcase_add_test(t, timesync_v3);
	tcase_add_test(t, timesync_v4);
	tcase_add_test(t, kvp_waits_for_daemon);
	tcase_add_test(t, kvp_rounds);
	tcase_add_test(t, utf16_conversion);
	tcase_add_test(t, report_lines);
	tcase_add_test(x, hostile_negotiate_answers);
	tcase_add_test(x, hostile_negotiate_versions);
	tcase_add_test(x, hostile_kvp_sizes);
	tcase_add_test(x, hostile_kvp_endless);
	suite_add_tcase(s, t);
	suite_add_tcase(s, x);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
