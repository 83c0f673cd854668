// SPDX-License-Identifier: GPL-2.0
/* hvworker: qcow2 disks through qemu-storage-daemon and NBD (disk_backend.h). */
#include <errno.h>
#include <stdio.h>

#include "disk_backend.h"

struct disk *disk_open_nbd(const struct disk_spec *s, unsigned int threads,
			   char *err, size_t errlen)
{
	(void)threads;
	snprintf(err, errlen, "%s: qcow2 is not supported yet", s->path);
	return NULL;
}
