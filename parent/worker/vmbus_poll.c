// SPDX-License-Identifier: GPL-2.0
/*
 * hvworker: adaptive polling of the VMBus rings (vmbus_host_priv.h).
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include "vmbus_host_priv.h"

/*
 * Adaptive polling (cfg.poll_us), the way QEMU's AioContext polls: after
 * a packet, the VMBus thread spins on the rings of channels that may be
 * polled, with the rings masked so the guest does not signal, for a window
 * that grows while the guest's next packet comes soon after the spin gave
 * up and drops to nothing once the guest stays quiet longer than the
 * limit.  At queue depth 1 this saves, per request, the guest's signal
 * hypercall and the parent's interrupt and wake-up (docs/storvsp.md).
 */
uint64_t vmbus_host_poll_adjust(uint64_t window_ns, uint64_t blocked_ns,
				uint64_t max_ns)
{
	if (blocked_ns > max_ns)
		return 0;	/* quiet guest: polling would only burn the CPU */
	if (!window_ns)
		return VMBUS_HOST_POLL_START_NS < max_ns ? VMBUS_HOST_POLL_START_NS : max_ns;
	return window_ns * 2 < max_ns ? window_ns * 2 : max_ns;
}

/* Channels that saw a packet within the limit and may be polled: masked. */
static uint32_t spin_candidates(struct vmbus_host *h, uint64_t now,
				struct vmbus_host_dev **cand)
{
	uint64_t max_ns = (uint64_t)h->cfg.poll_us * 1000;
	uint32_t n = 0;

	pthread_mutex_lock(&h->lock);
	for (uint32_t i = 0; i < h->ndevs; i++) {
		struct vmbus_host_dev *d = &h->devs[i];

		if (!d->open || d->broken || !d->ops->can_poll ||
		    d->last_rx_ns + max_ns <= now || !d->ops->can_poll(d))
			continue;
		vmbus_ring_mask(&d->in);
		cand[n++] = d;
	}
	pthread_mutex_unlock(&h->lock);
	return n;
}

/* True if a packet came within the window (and was handled). */
bool vmbus_host_spin(struct vmbus_host *h)
{
	struct vmbus_host_dev *cand[VMBUS_HOST_MAX_DEVS];
	uint64_t now = vmbus_host_mono_ns(), end = now + h->poll_window_ns;
	uint32_t n = h->cfg.poll_us ? spin_candidates(h, now, cand) : 0;
	bool found = false;

	h->spun = n != 0;
	for (uint64_t t = now; n && !found && t < end && !atomic_load(&h->stop);
	     t = vmbus_host_mono_ns()) {
		for (uint32_t i = 0; i < n; i++) {
			struct vmbus_host_dev *d = cand[i];
			struct vmbus_ring_pkt pkt;

			found |= atomic_load(&d->wake);
			if (!d->open || vmbus_ring_peek(&d->in, &pkt))
				continue;
			pthread_mutex_lock(&h->lock);
			d->polled++;
			vmbus_host_drain(h, d);
			pthread_mutex_unlock(&h->lock);
			found = true;
		}
		/* The parent's other threads (I/O, other VMs) go first. */
		sched_yield();
	}
	/* Unmask; a packet that raced with that is drained here. */
	pthread_mutex_lock(&h->lock);
	for (uint32_t i = 0; i < n; i++)
		if (cand[i]->open && !cand[i]->broken)
			vmbus_host_drain(h, cand[i]);
	pthread_mutex_unlock(&h->lock);
	h->blocked_since = found ? 0 : vmbus_host_mono_ns();
	return found;
}

/* The wait after a fruitless spin ended: size the next window by it. */
void vmbus_host_spin_adjust(struct vmbus_host *h)
{
	if (!h->spun || !h->blocked_since)
		return;
	h->poll_window_ns = vmbus_host_poll_adjust(h->poll_window_ns,
						   vmbus_host_mono_ns() - h->blocked_since,
						   (uint64_t)h->cfg.poll_us * 1000);
	h->blocked_since = 0;
}
