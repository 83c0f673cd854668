// SPDX-License-Identifier: GPL-2.0
/*
 * hvworker: the VMBus server of one child partition (vmbus_host.h).
 *
 * vmbus/channel.c does the channel-management protocol and
 * vmbus_host_srv.c gives it its environment; this file holds the server's
 * life, its event loop (transport events, timers, queued posts) and the
 * device channels with their rings (vmbus/ring.c); vmbus_poll.c spins on
 * those rings after a packet.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "guest.h"
#include "ic.h"
#include "vmbus_host_priv.h"

#define RUN_WAIT_MS		1000

/* ---- clocks and log ---------------------------------------------------- */

uint64_t vmbus_host_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t real_mono_ms(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t real_utc_100ns(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 10000000 + (uint64_t)ts.tv_nsec / 100 +
	       IC_WLTIMEDELTA;
}

static const struct vmbus_host_clock real_clock = {
	.mono_ms = real_mono_ms,
	.utc_100ns = real_utc_100ns,
};

uint64_t vmbus_host_now_ms(struct vmbus_host *h)
{
	return h->cfg.clock->mono_ms(h->cfg.clock->ctx);
}

uint64_t vmbus_host_utc_100ns(struct vmbus_host *h)
{
	return h->cfg.clock->utc_100ns(h->cfg.clock->ctx);
}

bool vmbus_host_has_ref_time(struct vmbus_host *h)
{
	return h->cfg.ops->ref_time != NULL;
}

int vmbus_host_ref_time(struct vmbus_host *h, uint64_t *ref)
{
	if (!h->cfg.ops->ref_time)
		return -EOPNOTSUPP;
	return h->cfg.ops->ref_time(h->cfg.ctx, ref);
}

const struct vmbus_host_config *vmbus_host_cfg(struct vmbus_host *h)
{
	return &h->cfg;
}

struct vmbus_ic *vmbus_host_ic(struct vmbus_host *h)
{
	return h->ic;
}

static void emit(struct vmbus_host *h, const char *line)
{
	if (h->cfg.log)
		h->cfg.log(h->cfg.log_ctx, line);
	else
		fprintf(stderr, "hvworker: vmbus: %s\n", line);
}

/* Rate-limited: a misbehaving guest must not flood the worker log. */
void vmbus_host_logf(struct vmbus_host *h, const char *fmt, ...)
{
	uint64_t now = vmbus_host_now_ms(h), sec = now / 1000;
	char line[256];
	va_list ap;

	if (sec != h->log_window) {
		if (h->log_count > h->cfg.log_per_sec) {
			snprintf(line, sizeof(line), "%u log lines suppressed",
				 h->log_count - h->cfg.log_per_sec);
			emit(h, line);
		}
		h->log_window = sec;
		h->log_count = 0;
	}
	if (h->log_count++ >= h->cfg.log_per_sec) {
		h->cnt.log_suppressed++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	emit(h, line);
}

/* ---- devices ----------------------------------------------------------- */

void vmbus_host_dev_fail(struct vmbus_host_dev *d, const char *why)
{
	struct vmbus_host *h = d->host;
	uint32_t relid = d->relid;

	if (d->broken)
		return;
	vmbus_host_logf(h, "%s (relid %u): %s: channel closed and rescinded",
			d->name, relid, why);
	d->broken = true;
	if (vmbus_server_channel_state(&h->srv, relid) != VMBUS_CHAN_FREE)
		vmbus_server_rescind(&h->srv, relid);
	vmbus_host_srv_ops.close(h, relid);	/* no-op if the server closed it already */
}

static void signal_guest(struct vmbus_host_dev *d)
{
	struct vmbus_host *h = d->host;
	struct timespec t0, t1;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = h->cfg.ops->signal(h->cfg.ctx, d->target_vp, VMBUS_HOST_SINT, d->relid);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	d->signal_ns += (uint64_t)((t1.tv_sec - t0.tv_sec) * 1000000000ll +
				   (t1.tv_nsec - t0.tv_nsec));
	d->signals_out++;
	if (rc)
		vmbus_host_logf(h, "%s: signal to VP %u failed (%s)", d->name,
				d->target_vp, strerror(-rc));
}

int vmbus_host_dev_sendv(struct vmbus_host_dev *d, const struct vmbus_packet_desc *desc,
			 const struct vmbus_ring_iov *iov, unsigned int iovcnt)
{
	bool sig = false;
	int rc;

	if (!d->open || d->broken)
		return -ENOTCONN;
	rc = vmbus_ring_send(&d->out, desc, iov, iovcnt, &sig);
	if (rc == -EPROTO) {
		vmbus_host_dev_fail(d, "corrupt read_index in the host -> guest ring");
		return rc;
	}
	if (rc)
		return rc;
	d->tx_packets++;
	if (sig)
		signal_guest(d);
	return 0;
}

int vmbus_host_dev_send(struct vmbus_host_dev *d, uint16_t type, uint16_t flags,
			uint64_t trans_id, const void *payload, uint32_t len)
{
	struct vmbus_packet_desc desc = {
		.type = type, .flags = flags, .trans_id = trans_id,
	};
	struct vmbus_ring_iov iov = { .base = payload, .len = len };

	return vmbus_host_dev_sendv(d, &desc, &iov, len ? 1 : 0);
}

int vmbus_host_dev_wait_space(struct vmbus_host_dev *d, uint32_t bytes)
{
	int rc;

	if (!d->open || d->broken)
		return -ENOTCONN;
	rc = vmbus_ring_wait_space(&d->out, bytes);
	if (rc == -EPROTO)
		vmbus_host_dev_fail(d, "corrupt read_index in the host -> guest ring");
	return rc;
}

const struct vmbus_gpadl_info *vmbus_host_dev_gpadl(struct vmbus_host_dev *d,
						    uint32_t handle)
{
	return d->relid ? vmbus_server_find_gpadl(&d->host->srv, d->relid, handle) : NULL;
}

void vmbus_host_lock(struct vmbus_host *h)
{
	pthread_mutex_lock(&h->lock);
}

void vmbus_host_unlock(struct vmbus_host *h)
{
	pthread_mutex_unlock(&h->lock);
}

void vmbus_host_dev_timer(struct vmbus_host_dev *d, uint64_t deadline_ms)
{
	d->deadline_ms = deadline_ms;
}

static void kick(struct vmbus_host *h);

void vmbus_host_dev_wake(struct vmbus_host_dev *d)
{
	if (!atomic_exchange(&d->wake, true))
		kick(d->host);
}

void vmbus_host_dev_expect(struct vmbus_host_dev *d)
{
	if (!d->host->cfg.poll_us)
		return;
	d->last_rx_ns = vmbus_host_mono_ns();
	vmbus_host_dev_wake(d);
}

/* Drain the guest -> host ring (ring.h's reader loop), within a budget. */
void vmbus_host_drain(struct vmbus_host *h, struct vmbus_host_dev *d)
{
	struct vmbus_ring_pkt pkt;
	unsigned int n = 0;
	int rc = 0;

	d->rx_more = false;
	for (;;) {
		while (d->open && (rc = vmbus_ring_peek(&d->in, &pkt)) == 0) {
			uint32_t plen = pkt.len - pkt.data_offset;
			uint32_t elen = pkt.data_offset - sizeof(pkt.desc);
			bool keep = plen <= VMBUS_HOST_MAX_PKT &&
				    elen <= VMBUS_HOST_MAX_EXT;

			/* header and payload in one private copy */
			if (keep)
				vmbus_ring_pkt_copy(&d->in, &pkt, sizeof(pkt.desc),
						    h->rxbuf, elen + plen);
			vmbus_ring_consume(&d->in, &pkt);
			if (keep) {
				struct vmbus_ring_pkt next;

				/* corruption is seen by the next peek */
				d->rx_pending = vmbus_ring_peek(&d->in, &next) == 0;
			}
			if (!keep) {
				d->rx_dropped++;
				vmbus_host_logf(h, "%s: %u-byte packet dropped (limit %u)",
						d->name, plen, VMBUS_HOST_MAX_PKT);
			} else {
				d->rx_packets++;
				d->pkt_ext = h->rxbuf;
				d->pkt_ext_len = elen;
				if (d->ops->packet)
					d->ops->packet(d, &pkt.desc, h->rxbuf + elen, plen);
				d->pkt_ext = NULL;
				d->pkt_ext_len = 0;
				d->rx_pending = false;
			}
			if (h->cfg.poll_us)	/* the poll window's start */
				d->last_rx_ns = vmbus_host_mono_ns();
			if (++n >= VMBUS_HOST_RX_BUDGET) {
				d->rx_more = true;
				break;
			}
		}
		if (!d->open)
			return;
		if (rc == -EPROTO)
			goto broken;
		rc = vmbus_ring_read_done(&d->in);
		if (rc < 0)
			goto broken;
		if (rc > 0)
			signal_guest(d);
		if (d->rx_more)
			return;
		rc = vmbus_ring_unmask(&d->in);
		if (rc < 0)
			goto broken;
		if (rc == 0)
			return;
	}
broken:
	vmbus_host_dev_fail(d, "corrupt guest -> host ring");
}

int vmbus_host_add_device(struct vmbus_host *h, const struct vmbus_offer_params *p,
			  const struct vmbus_host_dev_ops *ops, void *priv,
			  const char *name, struct vmbus_host_dev **out)
{
	struct vmbus_offer_params op;
	struct vmbus_host_dev *d;
	int relid, rc;

	if (!p || !ops)
		return -EINVAL;
	pthread_mutex_lock(&h->lock);
	if (h->ndevs == VMBUS_HOST_MAX_DEVS) {
		rc = -ENOSPC;
		goto out;
	}
	d = &h->devs[h->ndevs];
	memset(d, 0, sizeof(*d));
	d->host = h;
	d->ops = ops;
	d->priv = priv;
	snprintf(d->name, sizeof(d->name), "%s", name ? name : "dev");
	d->conn_id = VMBUS_HOST_EVENT_CONN_BASE + h->ndevs;
	op = *p;
	op.connection_id = d->conn_id;
	d->params = op;
	/* Added after vmbus_host_start(): its event id too. */
	if (h->started) {
		rc = h->cfg.ops->connect(h->cfg.ctx, d->conn_id, VMBUS_CONN_EVENT);
		if (rc)
			goto out;
	}
	relid = vmbus_server_add_channel(&h->srv, &op);
	if (relid < 0) {
		rc = relid;
		goto out;
	}
	d->relid = (uint32_t)relid;
	h->ndevs++;
	if (out)
		*out = d;
	rc = 0;
out:
	pthread_mutex_unlock(&h->lock);
	return rc;
}

/* ---- life -------------------------------------------------------------- */

struct vmbus_host *vmbus_host_create(const struct vmbus_host_config *cfg)
{
	struct vmbus_host *h;

	if (!cfg || !cfg->ops || !cfg->ops->connect || !cfg->ops->post ||
	    !cfg->ops->signal || !cfg->ops->wait || !cfg->mem || !cfg->nr_vps)
		return NULL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->q = calloc(VMBUS_HOST_MSGQ_MAX, sizeof(*h->q));
	if (!h->q)
		goto fail;
	h->cfg = *cfg;
	if (!h->cfg.clock)
		h->cfg.clock = &real_clock;
	if (!h->cfg.heartbeat_ms)
		h->cfg.heartbeat_ms = 1000;
	if (!h->cfg.hung_ms)
		h->cfg.hung_ms = 10000;
	if (!h->cfg.timesync_ms)
		h->cfg.timesync_ms = 5000;
	if (!h->cfg.kvp_ms)
		h->cfg.kvp_ms = 30000;
	if (!h->cfg.log_per_sec)
		h->cfg.log_per_sec = 20;
	pthread_mutex_init(&h->lock, NULL);
	if (vmbus_server_init(&h->srv, &vmbus_host_srv_ops, h, &h->cfg.limits))
		goto fail_lock;
	if (cfg->services) {
		h->ic = ic_create(h, cfg->services);
		if (!h->ic)
			goto fail_srv;
	}
	return h;
fail_srv:
	vmbus_server_fini(&h->srv);
fail_lock:
	pthread_mutex_destroy(&h->lock);
fail:
	free(h->q);
	free(h);
	return NULL;
}

void vmbus_host_destroy(struct vmbus_host *h)
{
	if (!h)
		return;
	vmbus_host_join(h);
	vmbus_server_fini(&h->srv);
	ic_destroy(h->ic);
	pthread_mutex_destroy(&h->lock);
	free(h->q);
	free(h);
}

int vmbus_host_start(struct vmbus_host *h)
{
	const struct vmbus_transport_ops *ops = h->cfg.ops;
	int rc;

	if (h->started)
		return 0;
	rc = ops->connect(h->cfg.ctx, VMBUS_MESSAGE_CONNECTION_ID, VMBUS_CONN_MESSAGE);
	if (!rc)
		rc = ops->connect(h->cfg.ctx, VMBUS_MESSAGE_CONNECTION_ID_4,
				  VMBUS_CONN_MESSAGE);
	for (uint32_t i = 0; !rc && i < h->ndevs; i++)
		rc = ops->connect(h->cfg.ctx, h->devs[i].conn_id, VMBUS_CONN_EVENT);
	if (rc)
		vmbus_host_logf(h, "cannot connect the VMBus connection ids: %s",
				strerror(-rc));
	h->started = !rc;
	return rc;
}

static const char *msg_name(uint32_t t)
{
	static const char *const names[] = {
		[CHANNELMSG_REQUESTOFFERS] = "REQUESTOFFERS",
		[CHANNELMSG_OPENCHANNEL] = "OPENCHANNEL",
		[CHANNELMSG_CLOSECHANNEL] = "CLOSECHANNEL",
		[CHANNELMSG_GPADL_HEADER] = "GPADL_HEADER",
		[CHANNELMSG_GPADL_BODY] = "GPADL_BODY",
		[CHANNELMSG_GPADL_TEARDOWN] = "GPADL_TEARDOWN",
		[CHANNELMSG_RELID_RELEASED] = "RELID_RELEASED",
		[CHANNELMSG_INITIATE_CONTACT] = "INITIATE_CONTACT",
		[CHANNELMSG_UNLOAD] = "UNLOAD",
		[CHANNELMSG_MODIFYCHANNEL] = "MODIFYCHANNEL",
	};

	return t < sizeof(names) / sizeof(names[0]) && names[t] ? names[t] : "?";
}

/*
 * After UNLOAD (kexec, a reloaded hv_vmbus) the guest is a new client:
 * devices rescinded for misbehaving are offered again with the others.
 */
static void revive_devices(struct vmbus_host *h)
{
	for (uint32_t i = 0; i < h->ndevs; i++) {
		struct vmbus_host_dev *d = &h->devs[i];
		int relid;

		if (!d->broken || vmbus_server_channel_state(&h->srv, d->relid) !=
				  VMBUS_CHAN_FREE)
			continue;
		relid = vmbus_server_add_channel(&h->srv, &d->params);
		if (relid > 0) {
			d->relid = (uint32_t)relid;
			d->broken = false;
		}
	}
}

static void handle_message(struct vmbus_host *h, const struct vmbus_host_event *ev)
{
	uint32_t len = ev->len, type = 0;
	int rc;

	h->cnt.msgs_in++;
	if (ev->msg_type != VMBUS_HOST_MSG_TYPE || len > VMBUS_MAX_MSG_SIZE) {
		h->cnt.msgs_bad++;
		vmbus_host_logf(h, "guest message of type %u, %u bytes, on connection %u dropped",
				ev->msg_type, len, ev->conn_id);
		return;
	}
	if (len >= 4)
		memcpy(&type, ev->payload, sizeof(type));
	if (type == VMBUS_MSG_ECHO) {
		vmbus_host_srv_ops.send(h, 0, ev->payload, len);
		return;
	}
	if (type == CHANNELMSG_INITIATE_CONTACT && len >= 16) {
		struct vmbus_channel_initiate_contact ic;

		memset(&ic, 0, sizeof(ic));
		memcpy(&ic, ev->payload, 16);
		if (ic.target_vcpu >= h->cfg.nr_vps) {
			h->cnt.msgs_bad++;
			vmbus_host_logf(h, "guest INITIATE_CONTACT names VP %u of %u: dropped",
					ic.target_vcpu, h->cfg.nr_vps);
			return;
		}
	}
	rc = vmbus_server_handle_message(&h->srv, ev->conn_id, ev->payload, len);
	if (!rc && type == CHANNELMSG_UNLOAD)
		revive_devices(h);
	if (rc < 0) {
		h->cnt.msgs_bad++;
		vmbus_host_logf(h, "guest %s (type %u, %u bytes) on connection %u refused: %s",
				msg_name(type), type, len, ev->conn_id, strerror(-rc));
	}
}

static void handle_signal(struct vmbus_host *h, uint32_t conn_id)
{
	h->cnt.events_in++;
	for (uint32_t i = 0; i < h->ndevs; i++) {
		struct vmbus_host_dev *d = &h->devs[i];

		if (d->conn_id != conn_id)
			continue;
		d->signals_in++;
		if (d->open && !d->broken)
			vmbus_host_drain(h, d);
		if (d->open && !d->broken && d->ops->signal)
			d->ops->signal(d);
		return;
	}
	h->cnt.events_unknown++;
}

/* Timers, leftover ring work and queued posts; returns the wait bound. */
static int housekeeping(struct vmbus_host *h, int timeout_ms)
{
	uint64_t now = vmbus_host_now_ms(h);
	uint64_t limit = now + (uint64_t)(timeout_ms < 0 ? 0 : timeout_ms);

	if (h->q_count && now >= h->q_retry_at)
		vmbus_host_flush_queue(h, now);
	for (uint32_t i = 0; i < h->ndevs; i++) {
		struct vmbus_host_dev *d = &h->devs[i];

		if (d->deadline_ms && now >= d->deadline_ms) {
			d->deadline_ms = 0;
			if (d->ops->timer)
				d->ops->timer(d, now);
		}
		if (atomic_exchange(&d->wake, false) && d->ops->wake)
			d->ops->wake(d);
		if (d->rx_more && d->open)
			vmbus_host_drain(h, d);
	}
	for (uint32_t i = 0; i < h->ndevs; i++) {
		struct vmbus_host_dev *d = &h->devs[i];

		if ((d->rx_more && d->open) || atomic_load(&d->wake))
			limit = now;
		if (d->deadline_ms && d->deadline_ms < limit)
			limit = d->deadline_ms;
	}
	if (h->q_count && h->q_retry_at < limit)
		limit = h->q_retry_at;
	return limit <= now ? 0 : (int)(limit - now);
}

int vmbus_host_poll(struct vmbus_host *h, int timeout_ms)
{
	struct vmbus_host_event ev;
	int rc, wait_ms;

	pthread_mutex_lock(&h->lock);
	wait_ms = housekeeping(h, timeout_ms);
	pthread_mutex_unlock(&h->lock);
	if (wait_ms && vmbus_host_spin(h))
		return 1;

	memset(&ev, 0, sizeof(ev));
	rc = h->cfg.ops->wait(h->cfg.ctx, &ev, wait_ms);
	vmbus_host_spin_adjust(h);
	if (rc == -ETIMEDOUT)
		return 0;
	if (rc)
		return rc;

	pthread_mutex_lock(&h->lock);
	switch (ev.type) {
	case VMBUS_HOST_EV_MESSAGE:
		handle_message(h, &ev);
		break;
	case VMBUS_HOST_EV_SIGNAL:
		handle_signal(h, ev.conn_id);
		break;
	case VMBUS_HOST_EV_SLOT_FREE:
		h->q_retry_at = 0;
		break;
	default:
		vmbus_host_logf(h, "transport event type %u ignored", ev.type);
		break;
	}
	if (h->q_count && !h->q_retry_at)
		vmbus_host_flush_queue(h, vmbus_host_now_ms(h));
	pthread_mutex_unlock(&h->lock);
	return 1;
}

int vmbus_host_run(struct vmbus_host *h)
{
	while (!atomic_load(&h->stop)) {
		int rc = vmbus_host_poll(h, RUN_WAIT_MS);

		if (rc < 0 && rc != -EINTR) {
			vmbus_host_logf(h, "transport wait failed: %s", strerror(-rc));
			return rc;
		}
	}
	return 0;
}

static void kick(struct vmbus_host *h)
{
	if (h->cfg.ops->kick)
		h->cfg.ops->kick(h->cfg.ctx);
}

void vmbus_host_stop(struct vmbus_host *h)
{
	atomic_store(&h->stop, true);
	kick(h);
}

static void *host_thread(void *arg)
{
	return (void *)(intptr_t)vmbus_host_run(arg);
}

int vmbus_host_spawn(struct vmbus_host *h)
{
	int rc = vmbus_host_start(h);

	if (rc)
		return rc;
	atomic_store(&h->stop, false);
	rc = pthread_create(&h->thread, NULL, host_thread, h);
	if (rc)
		return -rc;
	h->thread_running = true;
	return 0;
}

void vmbus_host_join(struct vmbus_host *h)
{
	if (!h->thread_running)
		return;
	vmbus_host_stop(h);
	pthread_join(h->thread, NULL);
	h->thread_running = false;
}

/* ---- queries and requests ---------------------------------------------- */

void vmbus_host_get_status(struct vmbus_host *h, struct vmbus_host_status *st)
{
	pthread_mutex_lock(&h->lock);
	*st = h->cnt;
	st->version = vmbus_server_version(&h->srv);
	if (h->ic)
		ic_status(h->ic, st);
	pthread_mutex_unlock(&h->lock);
}

/* Lock the host and find service @flag (NULL: not offered). */
static struct ic_chan *ic_lock(struct vmbus_host *h, uint32_t flag)
{
	pthread_mutex_lock(&h->lock);
	return h->ic ? ic_find(h->ic, flag) : NULL;
}

static int ic_unlock(struct vmbus_host *h, int rc, bool wake)
{
	pthread_mutex_unlock(&h->lock);
	if (wake)
		kick(h);
	return rc;
}

int vmbus_host_request_shutdown(struct vmbus_host *h, bool reboot)
{
	struct ic_chan *c = ic_lock(h, VMBUS_IC_SHUTDOWN);

	return ic_unlock(h, c ? ic_shutdown_request(c, reboot) : -ENODEV, true);
}

int vmbus_host_timesync_now(struct vmbus_host *h)
{
	struct ic_chan *c = ic_lock(h, VMBUS_IC_TIMESYNC);

	return ic_unlock(h, c ? ic_timesync_now(c) : -ENODEV, true);
}

int vmbus_host_kvp_refresh(struct vmbus_host *h)
{
	struct ic_chan *c = ic_lock(h, VMBUS_IC_KVP);

	return ic_unlock(h, c ? ic_kvp_refresh(c) : -ENODEV, true);
}

int vmbus_host_kvp_get(struct vmbus_host *h, const char *key, char *val, size_t len)
{
	struct ic_chan *c = ic_lock(h, VMBUS_IC_KVP);

	return ic_unlock(h, c ? ic_kvp_get(c, key, val, len) : -ENODEV, false);
}
