// SPDX-License-Identifier: GPL-2.0
/* hvworker: the VM backend on /dev/mkhv (mkhv_backend.h). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <mkhv/mkhv_ioctl.h>

#include "mkhv_backend.h"

int mkhv_xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

static int be_create_vp(void *ctx, uint32_t vp)
{
	struct mkhv_backend *b = ctx;
	struct mkhv_vm_create_vp c = { .index = vp };

	return mkhv_xioctl(b->vm_fd, MKHV_VM_CREATE_VP, &c);
}

static int be_map(void *ctx, void *hva, uint64_t size, uint64_t gfn,
		  uint32_t flags)
{
	struct mkhv_backend *b = ctx;
	struct mkhv_vm_map_memory m = {
		.userspace_addr = (uint64_t)(uintptr_t)hva,
		.size = size,
		.guest_pfn = gfn,
		.flags = flags,
	};

	return mkhv_xioctl(b->vm_fd, MKHV_VM_MAP_MEMORY, &m);
}

int mkhv_regs_ioctl(int vm_fd, unsigned long req, uint32_t vp,
		    const struct hv_register_assoc *regs, uint32_t n)
{
	struct mkhv_vm_regs r = {
		.vp_index = vp,
		.count = n,
		.regs = (uint64_t)(uintptr_t)regs,
	};

	return mkhv_xioctl(vm_fd, req, &r);
}

static int be_set_regs(void *ctx, uint32_t vp,
		       const struct hv_register_assoc *regs, uint32_t n)
{
	return mkhv_regs_ioctl(((struct mkhv_backend *)ctx)->vm_fd,
			       MKHV_VM_SET_REGS, vp, regs, n);
}

/* GET writes the values back into @regs. */
static int be_get_regs(void *ctx, uint32_t vp, struct hv_register_assoc *regs,
		       uint32_t n)
{
	return mkhv_regs_ioctl(((struct mkhv_backend *)ctx)->vm_fd,
			       MKHV_VM_GET_REGS, vp, regs, n);
}

static int be_run(void *ctx, uint32_t vp, struct hv_intercept_message *msg)
{
	struct mkhv_backend *b = ctx;
	struct mkhv_vm_run r;
	int ret;

	memset(&r, 0, sizeof(r));
	r.vp_index = vp;
	ret = mkhv_xioctl(b->vm_fd, MKHV_VM_RUN, &r);
	if (!ret)
		memcpy(msg, &r.msg, sizeof(*msg));
	return ret;
}

static int be_install_io(void *ctx, uint16_t port, uint32_t access)
{
	struct mkhv_backend *b = ctx;
	struct mkhv_vm_intercept c = { .port = port, .access = access };

	return mkhv_xioctl(b->vm_fd, MKHV_VM_INSTALL_INTERCEPT, &c);
}

static int be_assert_irq(void *ctx, uint32_t vp, uint8_t vector)
{
	struct mkhv_backend *b = ctx;
	struct mkhv_vm_interrupt c = {
		.vp_index = vp,
		.type = HV_X64_INTERRUPT_TYPE_FIXED,
		.vector = vector,
	};

	return mkhv_xioctl(b->vm_fd, MKHV_VM_ASSERT_INTERRUPT, &c);
}

const struct vm_backend_ops mkhv_backend_ops = {
	.create_vp = be_create_vp,
	.map = be_map,
	.set_regs = be_set_regs,
	.run = be_run,
	.install_io = be_install_io,
	.get_regs = be_get_regs,
	.assert_irq = be_assert_irq,
};

int mkhv_backend_open(struct mkhv_backend *b, uint32_t nr_vcpus,
		      uint32_t weight, uint32_t cap_permille)
{
	struct mkhv_ioc_create_vm c = {
		.max_vps = nr_vcpus,
		.weight = weight,
		.cap_permille = cap_permille,
	};
	int dev, fd;

	b->vm_fd = -1;
	dev = open(MKHV_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (dev < 0)
		return -errno;
	fd = ioctl(dev, MKHV_IOC_CREATE_VM, &c);
	if (fd < 0) {
		fd = -errno;
		close(dev);
		return fd;
	}
	close(dev);	/* the VM fd holds the VM, not /dev/mkhv */
	b->vm_fd = fd;
	b->partition_id = c.partition_id;
	return 0;
}

void mkhv_backend_close(struct mkhv_backend *b)
{
	if (b->vm_fd >= 0)
		close(b->vm_fd);
	b->vm_fd = -1;
}
