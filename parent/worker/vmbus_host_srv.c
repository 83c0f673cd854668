// SPDX-License-Identifier: GPL-2.0
/*
 * hvworker: vmbus/channel.c's environment (struct vmbus_server_ops) in the
 * VMBus server of one child partition (vmbus_host_priv.h): SynIC messages
 * through the transport with a bounded queue for busy SIMP slots, GPADLs
 * checked against guest RAM, and a channel's rings mapped from its GPADL
 * pages at open.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"
#include "vmbus_host_priv.h"

#define RETRY_MS		2	/* busy SIMP slot: retry this often, */
#define RETRY_SLOW_MS		50	/* or this often once busy for a second */
#define STUCK_LOG_MS		10000	/* log once when a slot stays busy this long */

/* ---- SynIC messages: post now or queue ------------------------------- */

static int post_one(struct vmbus_host *h, uint32_t vp, const void *msg, uint32_t len)
{
	return h->cfg.ops->post(h->cfg.ctx, vp, VMBUS_HOST_SINT,
				VMBUS_HOST_MSG_TYPE, msg, len);
}

/* Post queued messages in order until the slot is busy again. */
void vmbus_host_flush_queue(struct vmbus_host *h, uint64_t now)
{
	while (h->q_count) {
		struct msgq_entry *e = &h->q[h->q_head];
		int rc = post_one(h, e->vp, e->data, e->len);

		if (rc == -EAGAIN) {
			h->q_retry_at = now + (now - h->q_busy_since >= 1000 ?
					       RETRY_SLOW_MS : RETRY_MS);
			if (!h->q_stuck_logged && now - h->q_busy_since >= STUCK_LOG_MS) {
				vmbus_host_logf(h, "guest VP %u has not freed its SINT2 message slot for %llu ms (%u messages queued)",
						e->vp, (unsigned long long)(now - h->q_busy_since),
						h->q_count);
				h->q_stuck_logged = true;
			}
			return;
		}
		if (rc) {
			h->cnt.msgs_dropped++;
			vmbus_host_logf(h, "post to VP %u failed (%s): message type %u dropped",
					e->vp, strerror(-rc), e->len >= 4 ? e->data[0] : 0);
		} else {
			h->cnt.msgs_posted++;
		}
		h->q_head = (h->q_head + 1) % VMBUS_HOST_MSGQ_MAX;
		h->q_count--;
		h->q_busy_since = now;
		h->q_stuck_logged = false;
	}
}

static bool gpadl_in_ram(struct vmbus_host *h, const struct vmbus_gpadl_info *g,
			 uint64_t *bad)
{
	for (uint32_t r = 0; r < g->range_count; r++)
		for (uint32_t k = 0; k < g->ranges[r].page_count; k++)
			if (!guest_ptr(h->cfg.mem, g->ranges[r].pfns[k] << VMBUS_PAGE_SHIFT,
				       VMBUS_PAGE_SIZE)) {
				*bad = g->ranges[r].pfns[k];
				return false;
			}
	return true;
}

static int srv_send(void *ctx, uint32_t vp, const void *msg, uint32_t len)
{
	struct vmbus_host *h = ctx;
	struct vmbus_channel_gpadl_created gc;
	uint64_t now = vmbus_host_now_ms(h);
	struct msgq_entry *e;
	int rc;

	if (vp >= h->cfg.nr_vps) {
		h->cnt.msgs_dropped++;
		vmbus_host_logf(h, "guest asked for messages on VP %u of %u: dropped",
				vp, h->cfg.nr_vps);
		return -EINVAL;
	}
	/*
	 * A GPADL whose pages are not all guest RAM is refused here, where
	 * the server announces it created (the guest then never uses it;
	 * opening a channel on it fails too).
	 */
	if (len == sizeof(gc)) {
		memcpy(&gc, msg, sizeof(gc));
		if (gc.header.msgtype == CHANNELMSG_GPADL_CREATED &&
		    gc.creation_status == VMBUS_STATUS_SUCCESS) {
			const struct vmbus_gpadl_info *g =
				vmbus_server_find_gpadl(&h->srv, gc.child_relid, gc.gpadl);
			uint64_t bad;

			if (g && !gpadl_in_ram(h, g, &bad)) {
				vmbus_host_logf(h, "GPADL %#x of relid %u: page %#llx is not guest RAM: refused",
						gc.gpadl, gc.child_relid,
						(unsigned long long)bad);
				gc.creation_status = VMBUS_STATUS_INVALID_PARAMETER;
				msg = &gc;
			}
		}
	}
	if (!h->q_count) {
		rc = post_one(h, vp, msg, len);
		if (!rc) {
			h->cnt.msgs_posted++;
			return 0;
		}
		if (rc != -EAGAIN) {
			h->cnt.msgs_dropped++;
			vmbus_host_logf(h, "post to VP %u failed (%s): message dropped",
					vp, strerror(-rc));
			return 0;
		}
		h->q_busy_since = now;
		h->q_retry_at = now + RETRY_MS;
	}
	if (h->q_count == VMBUS_HOST_MSGQ_MAX) {
		h->cnt.msgs_dropped++;
		vmbus_host_logf(h, "message queue full (guest VP %u not taking messages): dropped", vp);
		return -ENOBUFS;
	}
	e = &h->q[(h->q_head + h->q_count) % VMBUS_HOST_MSGQ_MAX];
	e->vp = vp;
	e->len = len;
	memcpy(e->data, msg, len);
	h->q_count++;
	h->cnt.msgs_queued++;
	return 0;
}

static void *srv_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return malloc(size);
}

static void srv_free(void *ctx, void *p)
{
	(void)ctx;
	free(p);
}

static struct vmbus_host_dev *dev_by_relid(struct vmbus_host *h, uint32_t relid)
{
	for (uint32_t i = 0; i < h->ndevs; i++)
		if (h->devs[i].relid == relid && relid)
			return &h->devs[i];
	return NULL;
}

/*
 * Guest pages [pfns[0], pfns[0] + n) as one pointer: Linux allocates each
 * channel's rings as physically contiguous pages, which are contiguous in
 * the worker's RAM mapping too when inside one RAM part.
 */
static uint8_t *map_pages(struct vmbus_host *h, const uint64_t *pfns, uint32_t n)
{
	for (uint32_t k = 1; k < n; k++)
		if (pfns[k] != pfns[0] + k)
			return NULL;
	return guest_ptr(h->cfg.mem, pfns[0] << VMBUS_PAGE_SHIFT,
			 (uint64_t)n << VMBUS_PAGE_SHIFT);
}

static int srv_open(void *ctx, const struct vmbus_open_request *req)
{
	struct vmbus_host *h = ctx;
	struct vmbus_host_dev *d = dev_by_relid(h, req->relid);
	const struct vmbus_gpadl_range *r = &req->gpadl->ranges[0];
	uint32_t down = req->downstream_page, up_pages, down_pages;
	uint8_t *up, *dn;
	uint64_t bad;
	int rc;

	if (!d || d->broken)
		return -ENODEV;
	if (req->target_vp >= h->cfg.nr_vps) {
		vmbus_host_logf(h, "%s: open with target VP %u of %u: refused",
				d->name, req->target_vp, h->cfg.nr_vps);
		return -EINVAL;
	}
	if (!gpadl_in_ram(h, req->gpadl, &bad)) {
		vmbus_host_logf(h, "%s: ring page %#llx is not guest RAM: open refused",
				d->name, (unsigned long long)bad);
		return -EFAULT;
	}
	/* The server checked 2 <= down <= pages - 2. */
	up_pages = down;
	down_pages = r->page_count - down;
	up = map_pages(h, r->pfns, up_pages);
	dn = map_pages(h, r->pfns + down, down_pages);
	if (!up || !dn) {
		vmbus_host_logf(h, "%s: ring pages are not contiguous guest RAM: open refused",
				d->name);
		return -EFAULT;
	}
	rc = vmbus_ring_init(&d->in, (struct vmbus_ring_header *)up,
			     up + VMBUS_PAGE_SIZE, (up_pages - 1) * VMBUS_PAGE_SIZE,
			     VMBUS_RING_READER);
	if (!rc)
		rc = vmbus_ring_init(&d->out, (struct vmbus_ring_header *)dn,
				     dn + VMBUS_PAGE_SIZE,
				     (down_pages - 1) * VMBUS_PAGE_SIZE,
				     VMBUS_RING_WRITER);
	if (rc) {
		vmbus_host_logf(h, "%s: ring header corrupt at open (%d): refused",
				d->name, rc);
		return rc;
	}
	d->target_vp = req->target_vp;
	d->open = true;
	d->rx_more = false;
	rc = d->ops->open ? d->ops->open(d) : 0;
	if (rc) {
		d->open = false;
		return rc;
	}
	h->cnt.channels_open++;
	return 0;
}

static void srv_close(void *ctx, uint32_t relid)
{
	struct vmbus_host *h = ctx;
	struct vmbus_host_dev *d = dev_by_relid(h, relid);

	if (!d || !d->open)
		return;
	d->open = false;
	d->rx_more = false;
	d->deadline_ms = 0;
	h->cnt.channels_open--;
	if (d->ops->close)
		d->ops->close(d);
	memset(&d->in, 0, sizeof(d->in));
	memset(&d->out, 0, sizeof(d->out));
}

static void srv_modify(void *ctx, uint32_t relid, uint32_t target_vp)
{
	struct vmbus_host *h = ctx;
	struct vmbus_host_dev *d = dev_by_relid(h, relid);

	if (!d)
		return;
	if (target_vp >= h->cfg.nr_vps) {
		vmbus_host_logf(h, "%s: MODIFYCHANNEL to VP %u of %u ignored",
				d->name, target_vp, h->cfg.nr_vps);
		return;
	}
	d->target_vp = target_vp;
}

const struct vmbus_server_ops vmbus_host_srv_ops = {
	.send = srv_send,
	.alloc = srv_alloc,
	.free = srv_free,
	.open = srv_open,
	.close = srv_close,
	.modify = srv_modify,
};
