// SPDX-License-Identifier: GPL-2.0
/*
 * hvworker: the time synchronization integration service.  Once
 * negotiated the host sends a SYNC sample (the guest sets its clock),
 * then a SAMPLE every timesync_ms; vmbus_host_timesync_now() sends SYNC
 * again (after resume or migration).  Times are UTC in 100 ns units
 * since 1601.  Service 4.0 carries the child's reference time at the
 * sample (ictimesync_ref_data) and is offered only when the transport can
 * read it; 3.0 and 1.0 (ictimesync_data) let the guest use its own.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ic.h"

struct ts_state {
	bool sync;		/* next sample is SYNC */
	uint64_t samples;	/* answered */
};

static bool ts_offer(struct ic_chan *c, uint32_t v)
{
	return v != IC_VERSION(4, 0) || vmbus_host_has_ref_time(c->dev->host);
}

static void ts_ready(struct ic_chan *c)
{
	struct ts_state *s = c->priv;

	s->sync = true;
	ic_chan_timer(c, 0);
}

int ic_timesync_now(struct ic_chan *c)
{
	struct ts_state *s = c->priv;

	s->sync = true;
	if (c->state == IC_READY)
		ic_chan_timer(c, 0);
	return 0;
}

static void ts_tick(struct ic_chan *c, uint64_t now)
{
	struct vmbus_host *h = c->dev->host;
	struct ts_state *s = c->priv;
	uint8_t flags;
	int rc;

	if (c->busy) {
		/* Try again soon: a SYNC must not wait a whole period. */
		ic_chan_timer(c, now + (s->sync ? 100 : vmbus_host_cfg(h)->timesync_ms));
		return;
	}
	flags = s->sync ? IC_TIMESYNC_FLAG_SYNC : IC_TIMESYNC_FLAG_SAMPLE;
	if (c->srv_version > IC_VERSION(3, 0)) {
		struct ic_timesync_ref_data m;
		uint64_t ref;

		memset(&m, 0, sizeof(m));
		m.parenttime = vmbus_host_utc_100ns(h);
		m.vmreferencetime = vmbus_host_ref_time(h, &ref) ? 0 : ref;
		m.flags = flags;
		rc = ic_send(c, IC_MSGTYPE_TIMESYNC, &m, sizeof(m));
	} else {
		struct ic_timesync_data m;

		memset(&m, 0, sizeof(m));
		m.parenttime = vmbus_host_utc_100ns(h);
		m.flags = flags;
		rc = ic_send(c, IC_MSGTYPE_TIMESYNC, &m, sizeof(m));
	}
	if (!rc)
		s->sync = false;
	ic_chan_timer(c, now + (rc == -EAGAIN ? 100 : vmbus_host_cfg(h)->timesync_ms));
}

static void ts_response(struct ic_chan *c, const struct ic_msg_hdr *hdr,
			const uint8_t *body, uint32_t len)
{
	struct ts_state *s = c->priv;

	(void)body;
	(void)len;
	if (hdr->status == IC_S_OK)
		s->samples++;
}

static void ts_status(struct ic_chan *c, struct vmbus_host_status *st)
{
	struct ts_state *s = c->priv;

	st->timesync_ready = c->state == IC_READY;
	st->timesync_samples = s->samples;
}

const struct ic_service ic_timesync_service = {
	.priv_size = sizeof(struct ts_state),
	.name = "timesync",
	.flag = VMBUS_IC_TIMESYNC,
	.type = VMBUS_GUID_TIMESYNC,
	.instance_tag = 2,
	.msgtype = IC_MSGTYPE_TIMESYNC,
	.nversions = 3,
	.versions = { IC_VERSION(4, 0), IC_VERSION(3, 0), IC_VERSION(1, 0) },
	.offer = ts_offer,
	.ready = ts_ready,
	.response = ts_response,
	.tick = ts_tick,
	.status = ts_status,
};
