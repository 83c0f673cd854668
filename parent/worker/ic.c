// SPDX-License-Identifier: GPL-2.0
/*
 * hvworker: the integration-service framework (ic.h).  One VMBus channel
 * per service; on open the host sends ICMSG NEGOTIATE with the framework
 * versions {3.0, 1.0} and the service's versions (what hv_utils in Linux
 * 6.1 accepts), the guest answers in place with the pair it chose
 * (vmbus_prep_negotiate_resp), and then the service runs its requests,
 * one outstanding at a time, each answered with the same trans_id.
 *
 * Guest answers are hostile: copied out of the ring by vmbus_host.c, then
 * checked here (type, trans_id, length, flags, counts); anything else is
 * dropped with a log line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ic.h"

#define IC_FW_COUNT	2
static const uint32_t fw_versions[IC_FW_COUNT] = {
	IC_VERSION(3, 0), IC_VERSION(1, 0),
};

static const struct ic_service *const services[] = {
	&ic_shutdown_service, &ic_timesync_service,
	&ic_heartbeat_service, &ic_kvp_service,
};

/* Largest request: KVP (IC headers + struct hv_kvp_msg). */
#define IC_MAX_REQ	(IC_HDR_SIZE + sizeof(struct kvp_msg))

int ic_send(struct ic_chan *c, uint16_t msgtype, const void *body, uint32_t body_len)
{
	uint8_t *buf = c->ic->txbuf;
	struct ic_pipe_hdr pipe = { .flags = 0 };
	struct ic_msg_hdr hdr = { .icmsgtype = msgtype };
	uint64_t trans;
	int rc;

	if (c->state == IC_CLOSED || !c->dev->open)
		return -ENOTCONN;
	if (c->busy)
		return -EBUSY;
	if (body_len > IC_MAX_REQ - IC_HDR_SIZE)
		return -E2BIG;
	pipe.msgsize = (uint32_t)(sizeof(hdr) + body_len);
	if (msgtype == IC_MSGTYPE_NEGOTIATE) {
		hdr.icverframe = (struct ic_version){ 1, 0 };
		hdr.icvermsg = (struct ic_version){ 1, 0 };
	} else {
		hdr.icverframe.major = c->fw_version >> 16;
		hdr.icverframe.minor = c->fw_version & 0xffff;
		hdr.icvermsg.major = c->srv_version >> 16;
		hdr.icvermsg.minor = c->srv_version & 0xffff;
	}
	hdr.icmsgsize = (uint16_t)(body_len > 0xffff ? 0xffff : body_len);
	hdr.ictransaction_id = c->txn++;
	hdr.icflags = IC_FLAG_TRANSACTION | IC_FLAG_REQUEST;
	memcpy(buf, &pipe, sizeof(pipe));
	memcpy(buf + sizeof(pipe), &hdr, sizeof(hdr));
	if (body)
		memcpy(buf + IC_HDR_SIZE, body, body_len);
	else
		memset(buf + IC_HDR_SIZE, 0, body_len);
	trans = ++c->next_trans;
	rc = vmbus_host_dev_send(c->dev, VM_PKT_DATA_INBAND,
				 VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED, trans,
				 buf, (uint32_t)IC_HDR_SIZE + body_len);
	if (rc)
		return rc;
	c->busy = true;
	c->busy_trans = trans;
	c->busy_type = msgtype;
	c->busy_since = vmbus_host_now_ms(c->dev->host);
	return 0;
}

void ic_chan_timer(struct ic_chan *c, uint64_t deadline_ms)
{
	vmbus_host_dev_timer(c->dev, deadline_ms ? deadline_ms :
				     vmbus_host_now_ms(c->dev->host));
}

static bool offered(const struct ic_chan *c, uint32_t v)
{
	const struct ic_service *s = c->svc;

	for (uint32_t i = 0; i < s->nversions; i++)
		if (s->versions[i] == v)
			return !s->offer || s->offer((struct ic_chan *)c, v);
	return false;
}

static int send_negotiate(struct ic_chan *c)
{
	struct {
		struct ic_negotiate n;
		struct ic_version v[IC_FW_COUNT + 4];
	} __attribute__((packed)) m;
	uint16_t nsrv = 0;

	memset(&m, 0, sizeof(m));
	for (int i = 0; i < IC_FW_COUNT; i++) {
		m.v[i].major = fw_versions[i] >> 16;
		m.v[i].minor = fw_versions[i] & 0xffff;
	}
	for (uint32_t i = 0; i < c->svc->nversions; i++) {
		uint32_t v = c->svc->versions[i];

		if (!offered(c, v))
			continue;
		m.v[IC_FW_COUNT + nsrv].major = v >> 16;
		m.v[IC_FW_COUNT + nsrv].minor = v & 0xffff;
		nsrv++;
	}
	m.n.icframe_vercnt = IC_FW_COUNT;
	m.n.icmsg_vercnt = nsrv;
	return ic_send(c, IC_MSGTYPE_NEGOTIATE, &m,
		       (uint32_t)(sizeof(m.n) + (IC_FW_COUNT + nsrv) * sizeof(m.v[0])));
}

static void negotiated(struct ic_chan *c, const uint8_t *body, uint32_t len)
{
	struct vmbus_host *h = c->dev->host;
	struct ic_negotiate n;
	struct ic_version v[2];
	uint32_t fw, srv;

	if (len < sizeof(n) + sizeof(v))
		goto bad;
	memcpy(&n, body, sizeof(n));
	memcpy(v, body + sizeof(n), sizeof(v));
	if (n.icframe_vercnt == 0 && n.icmsg_vercnt == 0) {
		vmbus_host_logf(h, "%s: the guest supports none of our versions",
				c->svc->name);
		c->state = IC_FAILED;
		return;
	}
	if (n.icframe_vercnt != 1 || n.icmsg_vercnt != 1)
		goto bad;
	fw = IC_VERSION(v[0].major, v[0].minor);
	srv = IC_VERSION(v[1].major, v[1].minor);
	if ((fw != fw_versions[0] && fw != fw_versions[1]) || !offered(c, srv))
		goto bad;
	c->fw_version = fw;
	c->srv_version = srv;
	c->state = IC_READY;
	vmbus_host_logf(h, "%s: IC framework %u.%u, service %u.%u", c->svc->name,
			fw >> 16, fw & 0xffff, srv >> 16, srv & 0xffff);
	if (c->svc->ready)
		c->svc->ready(c);
	return;
bad:
	vmbus_host_logf(h, "%s: malformed NEGOTIATE answer: service disabled",
			c->svc->name);
	c->state = IC_FAILED;
}

static void ic_packet(struct vmbus_host_dev *d, const struct vmbus_packet_desc *desc,
		      const uint8_t *p, uint32_t len)
{
	struct ic_chan *c = d->priv;
	struct vmbus_host *h = d->host;
	struct ic_msg_hdr hdr;

	if (desc->type != VM_PKT_DATA_INBAND || len < IC_HDR_SIZE) {
		vmbus_host_logf(h, "%s: packet type %u, %u bytes: dropped",
				c->svc->name, desc->type, len);
		return;
	}
	if (!c->busy || desc->trans_id != c->busy_trans) {
		vmbus_host_logf(h, "%s: unsolicited answer (trans_id %llu): dropped",
				c->svc->name, (unsigned long long)desc->trans_id);
		return;
	}
	memcpy(&hdr, p + sizeof(struct ic_pipe_hdr), sizeof(hdr));
	if (!(hdr.icflags & IC_FLAG_RESPONSE) || hdr.icmsgtype != c->busy_type) {
		vmbus_host_logf(h, "%s: answer with type %u flags %#x to type %u: dropped",
				c->svc->name, hdr.icmsgtype, hdr.icflags, c->busy_type);
		return;
	}
	c->busy = false;
	if (hdr.icmsgtype == IC_MSGTYPE_NEGOTIATE) {
		negotiated(c, p + IC_HDR_SIZE, len - (uint32_t)IC_HDR_SIZE);
		return;
	}
	if (c->state == IC_READY && c->svc->response)
		c->svc->response(c, &hdr, p + IC_HDR_SIZE, len - (uint32_t)IC_HDR_SIZE);
}

static int ic_open(struct vmbus_host_dev *d)
{
	struct ic_chan *c = d->priv;

	c->state = IC_NEGOTIATING;
	c->busy = false;
	/* NEGOTIATE goes out on the next turn, after OPENCHANNEL_RESULT. */
	ic_chan_timer(c, 0);
	return 0;
}

static void ic_close(struct vmbus_host_dev *d)
{
	struct ic_chan *c = d->priv;

	c->state = IC_CLOSED;
	c->busy = false;
	if (c->svc->closed)
		c->svc->closed(c);
}

static void ic_timer(struct vmbus_host_dev *d, uint64_t now)
{
	struct ic_chan *c = d->priv;
	int rc;

	if (c->state == IC_NEGOTIATING && !c->busy) {
		rc = send_negotiate(c);
		if (rc == -EAGAIN)
			ic_chan_timer(c, now + 100);
		else if (rc)
			vmbus_host_logf(d->host, "%s: cannot send NEGOTIATE: %s",
					c->svc->name, strerror(-rc));
		return;
	}
	if (c->state == IC_READY && c->svc->tick)
		c->svc->tick(c, now);
}

static const struct vmbus_host_dev_ops ic_dev_ops = {
	.open = ic_open,
	.close = ic_close,
	.packet = ic_packet,
	.timer = ic_timer,
};

struct vmbus_ic *ic_create(struct vmbus_host *h, uint32_t mask)
{
	struct vmbus_ic *ic = calloc(1, sizeof(*ic));

	if (!ic)
		return NULL;
	ic->host = h;
	ic->txbuf = malloc(IC_MAX_REQ);
	if (!ic->txbuf)
		goto fail;
	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
		const struct ic_service *s = services[i];
		struct vmbus_offer_params p;
		struct ic_chan *c;

		if (!(mask & s->flag))
			continue;
		c = calloc(1, sizeof(*c));
		if (!c)
			goto fail;
		c->svc = s;
		c->ic = ic;
		ic->chan[ic->nchan++] = c;
		c->priv = calloc(1, s->priv_size);
		if (!c->priv)
			goto fail;
		memset(&p, 0, sizeof(p));
		p.if_type = s->type;
		/* Instance: "mkhv" then the service's tag. */
		memcpy(p.if_instance.b, "mkhv-ic-instance", 16);
		p.if_instance.b[15] = s->instance_tag;
		p.dedicated_interrupt = true;
		if (vmbus_host_add_device(h, &p, &ic_dev_ops, c, s->name, &c->dev))
			goto fail;
	}
	return ic;
fail:
	ic_destroy(ic);
	return NULL;
}

void ic_destroy(struct vmbus_ic *ic)
{
	if (!ic)
		return;
	for (uint32_t i = 0; i < ic->nchan; i++) {
		if (ic->chan[i]->svc->closed)
			ic->chan[i]->svc->closed(ic->chan[i]);
		free(ic->chan[i]->priv);
		free(ic->chan[i]);
	}
	free(ic->txbuf);
	free(ic);
}

struct ic_chan *ic_find(struct vmbus_ic *ic, uint32_t flag)
{
	for (uint32_t i = 0; i < ic->nchan; i++)
		if (ic->chan[i]->svc->flag == flag)
			return ic->chan[i];
	return NULL;
}

void ic_status(struct vmbus_ic *ic, struct vmbus_host_status *st)
{
	for (uint32_t i = 0; i < ic->nchan; i++)
		if (ic->chan[i]->svc->status)
			ic->chan[i]->svc->status(ic->chan[i], st);
}

/* UTF-16LE to UTF-8; unpaired surrogates become U+FFFD. */
size_t ic_utf16le_to_utf8(const uint8_t *in, size_t n, char *out, size_t outlen)
{
	size_t o = 0;

	if (!outlen)
		return 0;
	for (size_t i = 0; i + 1 < n; i += 2) {
		uint32_t u = in[i] | (uint32_t)in[i + 1] << 8;
		char tmp[4];
		size_t k;

		if (!u)
			break;
		if (u >= 0xd800 && u < 0xdc00 && i + 3 < n) {
			uint32_t lo = in[i + 2] | (uint32_t)in[i + 3] << 8;

			if (lo >= 0xdc00 && lo < 0xe000) {
				u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				i += 2;
			} else {
				u = 0xfffd;
			}
		} else if (u >= 0xd800 && u < 0xe000) {
			u = 0xfffd;
		}
		if (u < 0x80) {
			tmp[0] = (char)u;
			k = 1;
		} else if (u < 0x800) {
			tmp[0] = (char)(0xc0 | u >> 6);
			tmp[1] = (char)(0x80 | (u & 0x3f));
			k = 2;
		} else if (u < 0x10000) {
			tmp[0] = (char)(0xe0 | u >> 12);
			tmp[1] = (char)(0x80 | ((u >> 6) & 0x3f));
			tmp[2] = (char)(0x80 | (u & 0x3f));
			k = 3;
		} else {
			tmp[0] = (char)(0xf0 | u >> 18);
			tmp[1] = (char)(0x80 | ((u >> 12) & 0x3f));
			tmp[2] = (char)(0x80 | ((u >> 6) & 0x3f));
			tmp[3] = (char)(0x80 | (u & 0x3f));
			k = 4;
		}
		if (o + k >= outlen)
			break;
		memcpy(out + o, tmp, k);
		o += k;
	}
	out[o] = 0;
	return o;
}
