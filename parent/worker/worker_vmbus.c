// SPDX-License-Identifier: GPL-2.0
/* hvworker: the VM's VMBus server, started and reported (worker_vmbus.h). */
#include <errno.h>
#include <string.h>

#include "storvsp.h"
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

static int shutdown_hook(void *ctx, const char *arg, char *reply, size_t len)
{
	(void)arg;
	return request(ctx, false, reply, len);
}

static int reboot_hook(void *ctx, const char *arg, char *reply, size_t len)
{
	(void)arg;
	return request(ctx, true, reply, len);
}

/* The index of a blkstats/ifstats command, or false with the error answered. */
static bool hook_index(const char *arg, uint32_t *i, char *reply, size_t len)
{
	if (!control_parse_index(arg, i))
		return true;
	snprintf(reply, len, "error bad argument");
	return false;
}

int worker_vmbus_blkstats_hook(void *ctx, const char *arg, char *reply, size_t len)
{
	struct worker_vmbus *wv = ctx;
	uint32_t i;

	if (!hook_index(arg, &i, reply, len))
		return 0;
	if (i >= wv->ndisks || !wv->disks[i]) {
		snprintf(reply, len, "error no disk %u", i);
		return 0;
	}
	disk_blkstats(wv->disks[i], reply, len);
	return 0;
}

int worker_vmbus_ifstats_hook(void *ctx, const char *arg, char *reply, size_t len)
{
	struct worker_vmbus *wv = ctx;
	uint32_t i;

	if (!hook_index(arg, &i, reply, len))
		return 0;
	if (i >= NIC_MAX || !wv->nics[i]) {
		snprintf(reply, len, "error no nic %u", i);
		return 0;
	}
	nic_ifstats(wv->nics[i], reply, len);
	return 0;
}

static void close_disks(struct worker_vmbus *wv)
{
	for (unsigned int i = 0; i < wv->ndisks; i++)
		disk_close(wv->disks[i]);
	wv->ndisks = 0;
}

int worker_vmbus_disks(struct worker_vmbus *wv, const struct disk_spec *specs,
		       unsigned int n, char *err, size_t errlen)
{
	memset(wv, 0, sizeof(*wv));
	for (unsigned int i = 0; i < n && i < DISK_MAX_DISKS; i++) {
		wv->disks[i] = disk_open(&specs[i], DISK_THREADS, err, errlen);
		if (!wv->disks[i]) {
			close_disks(wv);
			return -EIO;
		}
		wv->ndisks++;
	}
	return 0;
}

/* virsh domtime --sync: a SYNC sample now (the guest steps its clock). */
static int timesync_hook(void *ctx, const char *arg, char *reply, size_t len)
{
	struct worker_vmbus *wv = ctx;
	struct vmbus_host_status st;

	(void)arg;
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
			uint32_t poll_us, struct control *ctl, FILE *status)
{
	struct vmbus_host_config cfg = {
		.ops = ops, .ctx = ctx, .mem = mem, .nr_vps = nr_vps,
		.services = VMBUS_IC_ALL,
		.poll_us = poll_us,
	};
	int ret;

	wv->host = NULL;
	if (!ops) {
		close_disks(wv);
		return;
	}
	wv->host = vmbus_host_create(&cfg);
	if (wv->host && wv->ndisks) {
		wv->storvsp = storvsp_create(wv->host, mem, wv->disks, wv->ndisks);
		if (!wv->storvsp) {
			fprintf(status, "hvworker: storage unavailable (cannot add the SCSI controller)\n");
			close_disks(wv);
		}
	}
	ret = wv->host ? vmbus_host_spawn(wv->host) : -ENOMEM;
	if (ret) {
		fprintf(status, "hvworker: vmbus unavailable (%s)\n", strerror(-ret));
		fflush(status);
		worker_vmbus_stop(wv);
		return;
	}
	control_set_hook(ctl, CONTROL_SHUTDOWN, shutdown_hook, wv);
	control_set_hook(ctl, CONTROL_REBOOT, reboot_hook, wv);
	control_set_hook(ctl, CONTROL_TIMESYNC, timesync_hook, wv);
	control_set_hook(ctl, CONTROL_BLKSTATS, worker_vmbus_blkstats_hook, wv);
	control_set_hook(ctl, CONTROL_IFSTATS, worker_vmbus_ifstats_hook, wv);
}

void worker_vmbus_nics(struct worker_vmbus *wv, const struct nic_spec *specs,
		       uint32_t n, FILE *status)
{
	char err[256];

	for (uint32_t i = 0; wv->host && i < n && i < NIC_MAX; i++) {
		struct nic *nic = nic_start(wv->host, &specs[i], i, status, err,
					    sizeof(err));

		wv->nics[i] = nic;	/* ifstats i: the i-th --nic */
		if (!nic) {
			fprintf(status, "hvworker: nic %u error %s\n", i, err);
			fflush(status);
		}
	}
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
	for (uint32_t i = 0; i < NIC_MAX; i++)
		nic_stop(wv->nics[i]);	/* NULL: one that did not start */
	/*
	 * The VMBus thread first, then the disks (their I/O threads drain and
	 * wake the host), then the host (it closes the VSP's channel), then
	 * the VSP.
	 */
	if (wv->host)
		vmbus_host_join(wv->host);
	close_disks(wv);
	if (wv->host)
		vmbus_host_destroy(wv->host);
	wv->host = NULL;
	for (uint32_t i = 0; i < NIC_MAX; i++) {
		nic_free(wv->nics[i]);	/* after the host closed their channels */
		wv->nics[i] = NULL;
	}
	storvsp_destroy(wv->storvsp);
	wv->storvsp = NULL;
}
