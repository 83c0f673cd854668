/* SPDX-License-Identifier: GPL-2.0 */
/* hvworker: struct vm_backend_ops on a mkhv.ko VM fd (mkhv_ioctl.h). */
#ifndef HVWORKER_MKHV_BACKEND_H
#define HVWORKER_MKHV_BACKEND_H

#include <stdint.h>

#include "vmm.h"

struct mkhv_backend {
	int vm_fd;
	uint64_t partition_id;
};

extern const struct vm_backend_ops mkhv_backend_ops;

/* ioctl() returning 0 or -errno. */
int mkhv_xioctl(int fd, unsigned long req, void *arg);

/*
 * MKHV_VM_SET_REGS / MKHV_VM_GET_REGS (@req) of @n registers of VP @vp on
 * VM fd @vm_fd; GET writes the values back into @regs.  0 or -errno.
 */
int mkhv_regs_ioctl(int vm_fd, unsigned long req, uint32_t vp,
		    const struct hv_register_assoc *regs, uint32_t n);

/*
 * Open /dev/mkhv and create the VM (MKHV_IOC_CREATE_VM); -errno on
 * failure.  The VM lives until mkhv_backend_close() or the process exits.
 */
int mkhv_backend_open(struct mkhv_backend *b, uint32_t nr_vcpus,
		      uint32_t weight, uint32_t cap_permille);
void mkhv_backend_close(struct mkhv_backend *b);

#endif /* HVWORKER_MKHV_BACKEND_H */
