// SPDX-License-Identifier: GPL-2.0
/*
 * hvworker: the per-VM worker process (DESIGN §1).  hvd starts one per
 * running VM; it owns the VM through its mkhv.ko VM fd, so whatever ends
 * this process (exit, crash, kill -9) deletes exactly this child.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mkhv_backend.h"
#include "vmbus_transport.h"
#include "worker.h"

int main(int argc, char **argv)
{
	struct worker_opts o;
	struct mkhv_backend b;
	static struct vmbus_transport_mkhv vt;	/* 3.9 KiB receive buffer */
	char err[256] = "";
	int ret;

	ret = worker_parse_args(argc, argv, &o, stdout, err, sizeof(err));
	if (ret)
		return ret > 0 ? 0 : (fprintf(stderr, "hvworker: %s (try --help)\n",
					      err), WORKER_EXIT_ERROR);
	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = mkhv_backend_open(&b, o.vcpus, o.weight, o.cap_permille);
	if (ret) {
		printf("hvworker: state error\nhvworker: detail cannot create the VM through /dev/mkhv: %s\n",
		       strerror(-ret));
		return WORKER_EXIT_ERROR;
	}
	printf("hvworker: partition %llu\n", (unsigned long long)b.partition_id);
	vmbus_transport_mkhv_init(&vt, b.vm_fd);
	o.vmbus_ops = &vmbus_transport_mkhv_ops;
	o.vmbus_ctx = &vt;
	ret = worker_run(&o, &mkhv_backend_ops, &b, stdout);
	mkhv_backend_close(&b);
	return ret;
}
