// SPDX-License-Identifier: GPL-2.0
/*
 * hvworker: the KVP (key-value pair) integration service, host side.
 *
 * The host enumerates the guest's auto pool (KVP_POOL_AUTO) index by
 * index, one transaction at a time, until the guest answers with an
 * error status (HV_S_CONT / HV_E_FAIL): hv_kvp forwards each request to
 * hv_kvp_daemon, which fills in FullyQualifiedDomainName,
 * IntegrationServicesVersion, NetworkAddressIPv4, NetworkAddressIPv6,
 * OSBuildNumber, OSName, OSMajorVersion, OSMinorVersion, OSVersion and
 * ProcessorArchitecture, as UTF-16.  A complete round replaces the
 * published table (vmbus_host_kvp_get); a new round starts every kvp_ms.
 *
 * The host never blocks on KVP: without the daemon hv_kvp does not even
 * read the NEGOTIATE, which then just stays in the ring (ic.c has no
 * timeout on it), and a guest that never answers stalls only this channel.
 * Every request carries a whole struct hv_kvp_msg, as hv_kvp expects.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ic.h"

#define KVP_MAX_ENTRIES	32
/* A round ends here even if the guest never says "no more". */
#define KVP_MAX_INDEX	64
/* UTF-8 can need 3 bytes per UTF-16 unit. */
#define KVP_KEY_UTF8	(IC_KVP_MAX_KEY_SIZE / 2 * 3 + 1)
#define KVP_VAL_UTF8	(IC_KVP_MAX_VALUE_SIZE / 2 * 3 + 1)

struct kvp_entry {
	char key[KVP_KEY_UTF8];
	char value[KVP_VAL_UTF8];
};

struct kvp_table {
	uint32_t n;
	struct kvp_entry e[KVP_MAX_ENTRIES];
};

struct kvp_state {
	bool round;		/* an enumeration is in progress */
	uint32_t index;		/* next index to ask for */
	uint64_t rounds;	/* complete enumerations */
	struct kvp_table building, published;
	struct kvp_msg msg;	/* request being built */
};

static void kvp_start(struct ic_chan *c)
{
	struct kvp_state *s = c->priv;

	s->round = true;
	s->index = 0;
	s->building.n = 0;
	ic_chan_timer(c, 0);
}

static void kvp_ready(struct ic_chan *c)
{
	kvp_start(c);
}

int ic_kvp_refresh(struct ic_chan *c)
{
	struct kvp_state *s = c->priv;

	if (c->state == IC_READY && !s->round)
		kvp_start(c);
	return 0;
}

static void kvp_tick(struct ic_chan *c, uint64_t now)
{
	struct kvp_state *s = c->priv;
	int rc;

	if (c->busy)
		return;
	if (!s->round) {
		kvp_start(c);
		return;
	}
	memset(&s->msg, 0, sizeof(s->msg));
	s->msg.hdr.operation = IC_KVP_OP_ENUMERATE;
	s->msg.hdr.pool = IC_KVP_POOL_AUTO;
	s->msg.body.enumerate.index = s->index;
	rc = ic_send(c, IC_MSGTYPE_KVPEXCHANGE, &s->msg, sizeof(s->msg));
	if (rc == -EAGAIN)
		ic_chan_timer(c, now + 100);
}

static void kvp_finish(struct ic_chan *c)
{
	struct kvp_state *s = c->priv;

	/* An empty round (the daemon failed at once) keeps the old table. */
	if (s->building.n)
		s->published = s->building;
	s->rounds++;
	s->round = false;
	ic_chan_timer(c, vmbus_host_now_ms(c->dev->host) +
			 vmbus_host_cfg(c->dev->host)->kvp_ms);
}

static void kvp_response(struct ic_chan *c, const struct ic_msg_hdr *hdr,
			 const uint8_t *body, uint32_t len)
{
	struct kvp_state *s = c->priv;
	struct kvp_exchg_value v;
	struct kvp_entry *e;
	size_t off = offsetof(struct kvp_msg, body.enumerate.data);

	if (!s->round)
		return;
	if (hdr->status != IC_S_OK) {
		/* End of the pool (HV_S_CONT) or the daemon failed. */
		kvp_finish(c);
		return;
	}
	if (len < off + sizeof(v) || s->building.n == KVP_MAX_ENTRIES) {
		if (len < off + sizeof(v))
			vmbus_host_logf(c->dev->host, "kvp: %u-byte answer: round ended", len);
		kvp_finish(c);
		return;
	}
	memcpy(&v, body + off, sizeof(v));
	e = &s->building.e[s->building.n];
	ic_utf16le_to_utf8(v.key, v.key_size < sizeof(v.key) ? v.key_size : sizeof(v.key),
			   e->key, sizeof(e->key));
	if (v.value_type == IC_KVP_REG_SZ)
		ic_utf16le_to_utf8(v.value, v.value_size < sizeof(v.value) ?
				   v.value_size : sizeof(v.value),
				   e->value, sizeof(e->value));
	else
		e->value[0] = 0;
	if (e->key[0])
		s->building.n++;
	if (++s->index >= KVP_MAX_INDEX) {
		vmbus_host_logf(c->dev->host, "kvp: guest enumerates past index %u: round ended",
				KVP_MAX_INDEX);
		kvp_finish(c);
		return;
	}
	ic_chan_timer(c, 0);
}

int ic_kvp_get(struct ic_chan *c, const char *key, char *val, size_t len)
{
	struct kvp_state *s = c->priv;
	size_t n;

	for (uint32_t i = 0; i < s->published.n; i++) {
		if (strcmp(s->published.e[i].key, key))
			continue;
		n = strlen(s->published.e[i].value);
		if (n >= len)
			return -ENOSPC;
		memcpy(val, s->published.e[i].value, n + 1);
		return (int)n;
	}
	return -ENOENT;
}

static void kvp_closed(struct ic_chan *c)
{
	struct kvp_state *s = c->priv;

	s->round = false;
}

static void kvp_status(struct ic_chan *c, struct vmbus_host_status *st)
{
	struct kvp_state *s = c->priv;

	st->kvp_ready = c->state == IC_READY;
	st->kvp_rounds = s->rounds;
}

const struct ic_service ic_kvp_service = {
	.priv_size = sizeof(struct kvp_state),
	.name = "kvp",
	.flag = VMBUS_IC_KVP,
	.type = VMBUS_GUID_KVP,
	.instance_tag = 4,
	.msgtype = IC_MSGTYPE_KVPEXCHANGE,
	.nversions = 3,
	.versions = { IC_VERSION(4, 0), IC_VERSION(3, 0), IC_VERSION(1, 0) },
	.ready = kvp_ready,
	.response = kvp_response,
	.tick = kvp_tick,
	.closed = kvp_closed,
	.status = kvp_status,
};
