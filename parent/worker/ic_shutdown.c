// SPDX-License-Identifier: GPL-2.0
/*
 * hvworker: the shutdown integration service.  A request from hvd
 * (virsh shutdown / reboot) is sent as SHUTDOWN with flags 0 (power off)
 * or 2 (restart) once the channel is negotiated; hv_utils answers with a
 * status and then runs orderly_poweroff() / orderly_reboot().  The packet
 * must hold the whole shutdown_msg_data (28 + 2060 bytes) or the guest
 * drops it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ic.h"

struct sd_state {
	int pending;		/* 0 none, 1 shutdown, 2 reboot */
	uint32_t status;	/* last answer */
	uint64_t answers;
};

int ic_shutdown_request(struct ic_chan *c, bool reboot)
{
	struct sd_state *s = c->priv;

	s->pending = reboot ? 2 : 1;
	if (c->state == IC_READY)
		ic_chan_timer(c, 0);
	return 0;
}

static void sd_tick(struct ic_chan *c, uint64_t now)
{
	struct sd_state *s = c->priv;
	struct ic_shutdown_data m;
	int rc;

	if (!s->pending || c->busy)
		return;
	memset(&m, 0, sizeof(m));
	m.flags = s->pending == 2 ? IC_SHUTDOWN_FLAG_REBOOT : IC_SHUTDOWN_FLAG_SHUTDOWN;
	rc = ic_send(c, IC_MSGTYPE_SHUTDOWN, &m, sizeof(m));
	if (!rc) {
		vmbus_host_logf(c->dev->host, "shutdown: %s requested",
				s->pending == 2 ? "restart" : "power off");
	} else if (rc == -EAGAIN) {
		ic_chan_timer(c, now + 100);
	}
}

static void sd_ready(struct ic_chan *c)
{
	struct sd_state *s = c->priv;

	if (s->pending)
		ic_chan_timer(c, 0);
}

static void sd_response(struct ic_chan *c, const struct ic_msg_hdr *hdr,
			const uint8_t *body, uint32_t len)
{
	struct sd_state *s = c->priv;

	(void)body;
	(void)len;
	s->status = hdr->status;
	s->answers++;
	vmbus_host_logf(c->dev->host, "shutdown: guest answered %#x", hdr->status);
	s->pending = 0;
}

static void sd_status(struct ic_chan *c, struct vmbus_host_status *st)
{
	struct sd_state *s = c->priv;

	st->shutdown_ready = c->state == IC_READY;
	st->shutdown_pending = s->pending != 0;
	st->shutdown_status = s->status;
	st->shutdown_answers = s->answers;
}

const struct ic_service ic_shutdown_service = {
	.priv_size = sizeof(struct sd_state),
	.name = "shutdown",
	.flag = VMBUS_IC_SHUTDOWN,
	.type = VMBUS_GUID_SHUTDOWN,
	.instance_tag = 1,
	.msgtype = IC_MSGTYPE_SHUTDOWN,
	.nversions = 4,
	.versions = { IC_VERSION(3, 2), IC_VERSION(3, 1), IC_VERSION(3, 0),
		      IC_VERSION(1, 0) },
	.ready = sd_ready,
	.response = sd_response,
	.tick = sd_tick,
	.status = sd_status,
};
