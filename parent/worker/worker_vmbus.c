// SPDX-License-Identifier: GPL-2.0
/* hvworker: the VM's VMBus server, started and reported (worker_vmbus.h). */
#include <errno.h>
#include <string.h>

#include "worker_vmbus.h"

#define REPORT_TICKS	100	/* 10 ms ticks: a report a second */

static int request(struct worker_vmbus *wv, bool reboot, char *reply,
		   size_t len)
{
	int ret = vmbus_host_request_shutdown(wv->host, reboot);

	if (ret)
		return ret;
	snprintf(reply, len, "ok");
	return 0;
}

static int shutdown_hook(void *ctx, char *reply, size_t len)
{
	return request(ctx, false, reply, len);
}

static int reboot_hook(void *ctx, char *reply, size_t len)
{
	return request(ctx, true, reply, len);
}

/* virsh domtime --sync: a SYNC sample now (the guest steps its clock). */
static int timesync_hook(void *ctx, char *reply, size_t len)
{
	struct worker_vmbus *wv = ctx;
	struct vmbus_host_status st;

	vmbus_host_get_status(wv->host, &st);
	if (!st.timesync_ready) {
		snprintf(reply, len, "unsupported the guest's VMBus time "
			 "synchronization service is not connected (hv_utils)");
		return 0;
	}
	if (vmbus_host_timesync_now(wv->host))
		return -EIO;
	snprintf(reply, len, "ok");
	return 0;
}

void worker_vmbus_start(struct worker_vmbus *wv,
			const struct vmbus_transport_ops *ops, void *ctx,
			const struct guest_mem *mem, uint32_t nr_vps,
			struct control *ctl, FILE *status)
{
	struct vmbus_host_config cfg = {
		.ops = ops, .ctx = ctx, .mem = mem, .nr_vps = nr_vps,
		.services = VMBUS_IC_ALL,
	};
	int ret;

	memset(wv, 0, sizeof(*wv));
	if (!ops)
		return;
	wv->host = vmbus_host_create(&cfg);
	ret = wv->host ? vmbus_host_spawn(wv->host) : -ENOMEM;
	if (ret) {
		fprintf(status, "hvworker: vmbus unavailable (%s)\n", strerror(-ret));
		fflush(status);
		if (wv->host)
			vmbus_host_destroy(wv->host);
		wv->host = NULL;
		return;
	}
	control_set_hook(ctl, CONTROL_SHUTDOWN, shutdown_hook, wv);
	control_set_hook(ctl, CONTROL_REBOOT, reboot_hook, wv);
	control_set_hook(ctl, CONTROL_TIMESYNC, timesync_hook, wv);
}

void worker_vmbus_tick(struct worker_vmbus *wv, FILE *status)
{
	if (!wv->host || ++wv->ticks < REPORT_TICKS)
		return;
	wv->ticks = 0;
	if (vmbus_host_report(wv->host, status, &wv->seen) > 0)
		fflush(status);
}

void worker_vmbus_stop(struct worker_vmbus *wv)
{
	if (wv->host)
		vmbus_host_destroy(wv->host);	/* stops and joins its thread */
	wv->host = NULL;
}
