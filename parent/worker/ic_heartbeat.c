// SPDX-License-Identifier: GPL-2.0
/*
 * hvworker: the heartbeat integration service.  Every heartbeat_ms the
 * host sends a sequence number; hv_utils answers with that number + 1.
 * The last number returned and the time since the last answer feed hvd
 * (virsh dominfo) and its hung-guest detection: a heartbeat left
 * unanswered for hung_ms marks the guest hung until it answers again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ic.h"

struct hb_state {
	uint64_t next_seq;	/* sequence number of the next request */
	uint64_t sent_seq;	/* of the outstanding one */
	uint64_t last_seq;	/* last number the guest returned */
	uint64_t count;		/* answers */
	uint64_t last_answer;	/* ms */
	bool hung;
};

static void hb_ready(struct ic_chan *c)
{
	struct hb_state *s = c->priv;

	s->last_answer = vmbus_host_now_ms(c->dev->host);
	s->hung = false;
	ic_chan_timer(c, 0);
}

static void hb_tick(struct ic_chan *c, uint64_t now)
{
	struct vmbus_host *h = c->dev->host;
	struct hb_state *s = c->priv;
	struct ic_heartbeat_data m;

	ic_chan_timer(c, now + vmbus_host_cfg(h)->heartbeat_ms);
	if (c->busy) {
		if (!s->hung && now - c->busy_since >= vmbus_host_cfg(h)->hung_ms) {
			s->hung = true;
			vmbus_host_logf(h, "heartbeat %llu unanswered for %llu ms: guest hung",
					(unsigned long long)s->sent_seq,
					(unsigned long long)(now - c->busy_since));
		}
		return;
	}
	memset(&m, 0, sizeof(m));
	m.seq_num = s->next_seq;
	if (!ic_send(c, IC_MSGTYPE_HEARTBEAT, &m, sizeof(m)))
		s->sent_seq = s->next_seq;
}

static void hb_response(struct ic_chan *c, const struct ic_msg_hdr *hdr,
			const uint8_t *body, uint32_t len)
{
	struct vmbus_host *h = c->dev->host;
	struct hb_state *s = c->priv;
	struct ic_heartbeat_data m;

	if (len < sizeof(m.seq_num) || hdr->status != IC_S_OK) {
		vmbus_host_logf(h, "heartbeat: bad answer (%u bytes, status %#x)",
				len, hdr->status);
		return;
	}
	memcpy(&m.seq_num, body, sizeof(m.seq_num));
	if (m.seq_num != s->sent_seq + 1)
		vmbus_host_logf(h, "heartbeat: sent %llu, guest returned %llu",
				(unsigned long long)s->sent_seq,
				(unsigned long long)m.seq_num);
	if (s->hung)
		vmbus_host_logf(h, "heartbeat: guest answers again");
	s->last_seq = m.seq_num;
	s->next_seq = m.seq_num;	/* as Hyper-V: continue from the answer */
	s->count++;
	s->last_answer = vmbus_host_now_ms(h);
	s->hung = false;
}

static void hb_status(struct ic_chan *c, struct vmbus_host_status *st)
{
	struct hb_state *s = c->priv;
	uint64_t now = vmbus_host_now_ms(c->dev->host);

	st->heartbeat_ready = c->state == IC_READY;
	st->heartbeat_seq = s->last_seq;
	st->heartbeat_count = s->count;
	st->heartbeat_age_ms = now - s->last_answer;
	/* Also hung before the next tick notices. */
	st->guest_hung = s->hung || (c->state == IC_READY && c->busy &&
		now - c->busy_since >= vmbus_host_cfg(c->dev->host)->hung_ms);
}

const struct ic_service ic_heartbeat_service = {
	.priv_size = sizeof(struct hb_state),
	.name = "heartbeat",
	.flag = VMBUS_IC_HEARTBEAT,
	.type = VMBUS_GUID_HEARTBEAT,
	.instance_tag = 3,
	.msgtype = IC_MSGTYPE_HEARTBEAT,
	.nversions = 2,
	.versions = { IC_VERSION(3, 0), IC_VERSION(1, 0) },
	.ready = hb_ready,
	.response = hb_response,
	.tick = hb_tick,
	.status = hb_status,
};
