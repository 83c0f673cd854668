// SPDX-License-Identifier: GPL-2.0
/*
 * mkhv-vmtest: exercises mkhv.ko's VM ioctls directly in the parent, for
 * tests/system/child-worker.sh: good calls, hostile arguments (each must
 * fail with the documented errno and change nothing), the register round
 * trip through Set/GetVpRegisters, and an interrupted RUN.  Prints one
 * "ok"/"FAIL" line per check and "vmtest: N passed, M failed".
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mkhv/mkhv_ioctl.h>

#include "../kmod/selftest.h"


static int create_vm(int dev, uint32_t vps, uint32_t weight, uint32_t cap)
{
	struct mkhv_ioc_create_vm c = { .max_vps = vps, .weight = weight,
					.cap_permille = cap };
	int fd = ioctl(dev, MKHV_IOC_CREATE_VM, &c);

	return fd < 0 ? -errno : fd;
}

static int map(int vm, void *ua, uint64_t size, uint64_t gfn, uint32_t flags)
{
	struct mkhv_vm_map_memory m = {
		.userspace_addr = (uint64_t)(uintptr_t)ua, .size = size,
		.guest_pfn = gfn, .flags = flags,
	};

	return io(vm, MKHV_VM_MAP_MEMORY, &m);
}

static int regs(int vm, unsigned long req, uint32_t vp,
		struct hv_register_assoc *r, uint32_t n)
{
	struct mkhv_vm_regs a = { .vp_index = vp, .count = n,
				  .regs = (uint64_t)(uintptr_t)r };

	return io(vm, req, &a);
}

static void on_alarm(int sig)
{
	(void)sig;
}

int main(void)
{
	const uint32_t rwx = HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE |
			     HV_MAP_GPA_EXECUTABLE;
	struct hv_register_assoc r[MKHV_VM_REGS_MAX + 1];
	struct mkhv_vm_create_vp cvp = { 0 };
	struct mkhv_vm_run run;
	struct sigaction sa;
	uint64_t size = 4 << 20;
	int dev, vm, ret;
	uint8_t *ram;

	setvbuf(stdout, NULL, _IOLBF, 0);
	dev = open(MKHV_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		printf("FAIL - open %s: %s\nvmtest: 0 passed, 1 failed\n",
		       MKHV_DEVICE_PATH, strerror(errno));
		return 1;
	}

	check("CREATE_VM with 0 VPs: EINVAL", create_vm(dev, 0, 0, 0) == -EINVAL);
	check("CREATE_VM with 17 VPs: EINVAL", create_vm(dev, 17, 0, 0) == -EINVAL);
	check("CREATE_VM with a cap above its VPs: EINVAL",
	      create_vm(dev, 1, 0, 1001) == -EINVAL);
	check("CREATE_VM with a bad pointer: EFAULT",
	      io(dev, MKHV_IOC_CREATE_VM, (void *)8) == -EFAULT);
	vm = create_vm(dev, 2, 512, 500);
	check("CREATE_VM (2 VPs, weight 512, cap 50%): a VM fd", vm >= 0);
	if (vm < 0)
		goto out;
	check("the VM fd is close-on-exec",
	      (fcntl(vm, F_GETFD) & FD_CLOEXEC) != 0);
	check("unknown ioctl on the VM fd: ENOTTY",
	      io(vm, MKHV_IOC_GET_INFO, &run) == -ENOTTY);

	ram = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check("MAP_MEMORY unaligned address: EINVAL",
	      map(vm, ram + 1, 4096, 0, rwx) == -EINVAL);
	check("MAP_MEMORY no READ permission: EINVAL",
	      map(vm, ram, 4096, 0, HV_MAP_GPA_WRITABLE) == -EINVAL);
	check("MAP_MEMORY beyond the child's 16 GiB: EINVAL",
	      map(vm, ram, 8192, MKHV_MAX_CHILD_PAGES - 1, rwx) == -EINVAL);
	check("MAP_MEMORY of unmapped user memory: EFAULT",
	      map(vm, (void *)0x10000, 4096, 0, rwx) == -EFAULT);
	check("MAP_MEMORY 4 MiB at GPA 0", map(vm, ram, size, 0, rwx) == 0);
	check("MAP_MEMORY overlapping it: EEXIST",
	      map(vm, ram, 4096, 1023, rwx) == -EEXIST);
	check("MAP_MEMORY of the same pages at another GPA: refused by the hv",
	      map(vm, ram, 4096, 0x10000, rwx) < 0);
	/*
	 * Rollback inside a batch: a fresh page followed by an already lent
	 * one.  The hv maps the first rep and refuses the second; the module
	 * must unmap the first and unpin both, so the fresh page alone maps
	 * at the same GPA afterwards.
	 */
	if (mmap(ram - 4096, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) ==
	    ram - 4096) {
		check("MAP_MEMORY fresh + lent page: refused",
		      map(vm, ram - 4096, 8192, 0x20000, rwx) < 0);
		check("... and rolled back: the fresh page maps there alone",
		      map(vm, ram - 4096, 4096, 0x20000, rwx) == 0);
	} else {
		printf("#   no free page below the RAM mapping: rollback not tested\n");
	}

	cvp.index = 2;
	check("CREATE_VP 2 on a 2-VP VM: EINVAL", io(vm, MKHV_VM_CREATE_VP, &cvp) == -EINVAL);
	cvp.index = 0;
	check("CREATE_VP 0", io(vm, MKHV_VM_CREATE_VP, &cvp) == 0);
	check("CREATE_VP 0 again: EEXIST", io(vm, MKHV_VM_CREATE_VP, &cvp) == -EEXIST);

	memset(r, 0, sizeof(r));
	r[0].name = HV_X64_REGISTER_RIP;
	r[0].value.low = 0x1234;
	r[1].name = HV_X64_REGISTER_RAX + 6;	/* RSI */
	r[1].value.low = 0x7000;
	check("SET_REGS on VP 1 (not created): ENOENT",
	      regs(vm, MKHV_VM_SET_REGS, 1, r, 2) == -ENOENT);
	check("SET_REGS count 0: EINVAL", regs(vm, MKHV_VM_SET_REGS, 0, r, 0) == -EINVAL);
	check("SET_REGS count 65: EINVAL",
	      regs(vm, MKHV_VM_SET_REGS, 0, r, MKHV_VM_REGS_MAX + 1) == -EINVAL);
	check("SET_REGS RIP and RSI", regs(vm, MKHV_VM_SET_REGS, 0, r, 2) == 0);
	r[2].name = 0x7777777;
	check("SET_REGS with an unknown register: EINVAL from the hv",
	      regs(vm, MKHV_VM_SET_REGS, 0, r, 3) == -EINVAL);
	r[2].name = HV_X64_REGISTER_RFLAGS;
	r[2].reserved1 = 1;
	check("SET_REGS with a reserved field set: EINVAL",
	      regs(vm, MKHV_VM_SET_REGS, 0, r, 3) == -EINVAL);
	memset(r, 0, sizeof(r));
	r[0].name = HV_X64_REGISTER_RIP;
	r[1].name = HV_X64_REGISTER_RAX + 6;
	r[2].name = HV_X64_REGISTER_CS;
	ret = regs(vm, MKHV_VM_GET_REGS, 0, r, 3);
	check("GET_REGS gives back RIP and RSI",
	      !ret && r[0].value.low == 0x1234 && r[1].value.low == 0x7000);
	check("GET_REGS: CS of a new VP is the reset state (selector 0xf000)",
	      !ret && ((r[2].value.high >> 32) & 0xffff) == 0xf000);

	memset(&run, 0, sizeof(run));
	run.vp_index = 5;
	check("RUN on VP 5: EINVAL", io(vm, MKHV_VM_RUN, &run) == -EINVAL);
	run.vp_index = 1;
	check("RUN on VP 1 (not created): ENOENT", io(vm, MKHV_VM_RUN, &run) == -ENOENT);
	run.vp_index = 0;
	run.flags = 1;
	check("RUN with flags: EINVAL", io(vm, MKHV_VM_RUN, &run) == -EINVAL);

	/* RUN starts VP 0; until it exits, a signal ends the wait. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	run.flags = 0;
	alarm(1);
	ret = io(vm, MKHV_VM_RUN, &run);
	if (ret == 0) {
		printf("#   the VP ran: intercept type %#x at rip %#llx\n",
		       run.msg.message_type, (unsigned long long)run.msg.rip);
		check("RUN returned an intercept message from VP 0",
		      run.msg.vp_index == 0);
	} else {
		check("RUN started VP 0 and waits until a signal (EINTR)",
		      ret == -EINTR);
		check("SET_REGS while the VP runs: EBUSY",
		      regs(vm, MKHV_VM_SET_REGS, 0, r, 1) == -EBUSY);
		alarm(1);
		check("a second RUN just waits again (EINTR)",
		      io(vm, MKHV_VM_RUN, &run) == -EINTR);
	}
	close(vm);
out:
	close(dev);
	return selftest_summary("vmtest");
}
