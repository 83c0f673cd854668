// SPDX-License-Identifier: GPL-2.0
/*
 * mkhv-vmbustest: mkhv.ko's SynIC transport ioctls (CONNECT, DISCONNECT,
 * RECEIVE, POST_MESSAGE, SIGNAL_EVENT) in the parent against the real hv,
 * for tests/system/vmbus-hv.sh: good calls, hostile arguments with their
 * documented errno, the bounds (64 connections, a VP inbox of 16 messages
 * its never-running VP does not take), coalesced events, an interrupted
 * blocking RECEIVE.  One "ok"/"FAIL" line per check, then
 * "vmbustest: N passed, M failed".
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <mkhv/mkhv_ioctl.h>

static int passed, failed;

static void check(const char *what, int ok)
{
	printf("%s - %s\n", ok ? "ok  " : "FAIL", what);
	if (ok)
		passed++;
	else
		failed++;
}

/* ioctl -> 0 or -errno */
static int io(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

static int create_vm(int dev, uint32_t vps, uint64_t *pid)
{
	struct mkhv_ioc_create_vm c = { .max_vps = vps };
	int fd = ioctl(dev, MKHV_IOC_CREATE_VM, &c);

	*pid = c.partition_id;
	return fd < 0 ? -errno : fd;
}

static int connect_(int vm, uint32_t conn, uint32_t type, uint32_t flags,
		    uint32_t *port)
{
	struct mkhv_vm_connect c = { conn, type, flags, 0 };
	int ret = io(vm, MKHV_VM_CONNECT, &c);

	if (port)
		*port = c.port_id;
	return ret;
}

static int disconnect(int vm, uint32_t conn)
{
	struct mkhv_vm_disconnect d = { conn, 0 };

	return io(vm, MKHV_VM_DISCONNECT, &d);
}

static int post(int vm, uint32_t vp, uint32_t sint, uint32_t type,
		uint32_t size)
{
	static struct mkhv_vm_post_message m;

	memset(&m, 0, sizeof(m));
	m.vp_index = vp;
	m.sint = sint;
	m.message_type = type;
	m.payload_size = size;
	memset(m.payload, 0x5a, sizeof(m.payload));
	return io(vm, MKHV_VM_POST_MESSAGE, &m);
}

static int signal_(int vm, uint32_t vp, uint32_t sint, uint32_t flag,
		   uint32_t *newly)
{
	struct mkhv_vm_signal_event e = { vp, sint, flag, 7 };
	int ret = io(vm, MKHV_VM_SIGNAL_EVENT, &e);

	*newly = e.newly_signaled;
	return ret;
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void connections(int vm, uint64_t pid)
{
	uint32_t port = 0, i;
	int n = 0;

	check("CONNECT message port for connection id 4",
	      connect_(vm, 4, HV_PORT_TYPE_MESSAGE, 0, &port) == 0);
	check("its port id is pid << 8 | slot 0", port == (uint32_t)(pid << 8));
	check("CONNECT message port for connection id 1",
	      connect_(vm, 1, HV_PORT_TYPE_MESSAGE, 0, NULL) == 0);
	check("CONNECT event port, flag_count 0 (= 1)",
	      connect_(vm, 0x2001, HV_PORT_TYPE_EVENT, 0, NULL) == 0);
	check("CONNECT an id in use: -EEXIST",
	      connect_(vm, 4, HV_PORT_TYPE_EVENT, 1, NULL) == -EEXIST);
	check("CONNECT id 0: -EINVAL",
	      connect_(vm, 0, HV_PORT_TYPE_MESSAGE, 0, NULL) == -EINVAL);
	check("CONNECT id beyond 24 bits: -EINVAL",
	      connect_(vm, 1u << 24, HV_PORT_TYPE_MESSAGE, 0, NULL) == -EINVAL);
	check("CONNECT monitor port: -EINVAL",
	      connect_(vm, 9, HV_PORT_TYPE_MONITOR, 0, NULL) == -EINVAL);
	check("CONNECT event port with 33 flags: -EINVAL",
	      connect_(vm, 9, HV_PORT_TYPE_EVENT, 33, NULL) == -EINVAL);
	check("CONNECT message port with flags: -EINVAL",
	      connect_(vm, 9, HV_PORT_TYPE_MESSAGE, 1, NULL) == -EINVAL);
	for (i = 0; i < MKHV_MAX_PORTS; i++)
		if (connect_(vm, 0x100 + i, HV_PORT_TYPE_EVENT, 1, NULL) == 0)
			n++;
	check("connections stop at 64 per VM (61 more fit)", n == 61);
	check("the 65th: -ENOSPC",
	      connect_(vm, 0x200, HV_PORT_TYPE_EVENT, 1, NULL) == -ENOSPC);
	check("DISCONNECT frees a slot",
	      disconnect(vm, 0x100) == 0 &&
	      connect_(vm, 0x200, HV_PORT_TYPE_EVENT, 1, NULL) == 0);
	check("DISCONNECT unknown id: -ENOENT", disconnect(vm, 0x100) == -ENOENT);
	check("DISCONNECT id 0: -EINVAL", disconnect(vm, 0) == -EINVAL);
	{
		struct mkhv_vm_disconnect d = { 4, 1 };

		check("DISCONNECT with flags: -EINVAL",
		      io(vm, MKHV_VM_DISCONNECT, &d) == -EINVAL);
	}
}

static void receive(int vm)
{
	static struct mkhv_vm_receive r;
	struct sigaction sa;

	memset(&r, 0xff, sizeof(r));
	r.flags = MKHV_VM_RECEIVE_NONBLOCK;
	r.timeout_ms = 0;
	check("RECEIVE non-blocking: nothing queued",
	      io(vm, MKHV_VM_RECEIVE, &r) == 0 && r.out.nr_messages == 0 &&
	      r.out.nr_events == 0 && r.out.flags == 0);
	r.flags = 2;
	check("RECEIVE unknown flag: -EINVAL",
	      io(vm, MKHV_VM_RECEIVE, &r) == -EINVAL);
	r.flags = MKHV_VM_RECEIVE_NONBLOCK;
	r.timeout_ms = 5;
	check("RECEIVE non-blocking with a timeout: -EINVAL",
	      io(vm, MKHV_VM_RECEIVE, &r) == -EINVAL);
	r.flags = 0;
	r.timeout_ms = 200;
	check("RECEIVE with a 200 ms timeout: -ETIMEDOUT",
	      io(vm, MKHV_VM_RECEIVE, &r) == -ETIMEDOUT);
	r.timeout_ms = 0;
	check("RECEIVE_KICK", ioctl(vm, MKHV_VM_RECEIVE_KICK) == 0);
	check("the next RECEIVE returns -EINTR at once",
	      io(vm, MKHV_VM_RECEIVE, &r) == -EINTR);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	check("RECEIVE blocks until a signal: -EINTR",
	      io(vm, MKHV_VM_RECEIVE, &r) == -EINTR);
	alarm(0);
}

/* HvRegisterTimeRefCount through GET_REGS: the child's clock runs. */
static void ref_time(int vm)
{
	struct hv_register_assoc r = { .name = HV_REGISTER_TIME_REF_COUNT };
	struct mkhv_vm_regs a = { .vp_index = 0, .count = 1,
				  .regs = (uint64_t)(uintptr_t)&r };
	uint64_t t0;

	check("GET_REGS TIME_REF_COUNT", io(vm, MKHV_VM_GET_REGS, &a) == 0);
	t0 = r.value.low;
	usleep(100000);
	check("it advances about 100 ms (1e6 units of 100 ns) in 100 ms",
	      io(vm, MKHV_VM_GET_REGS, &a) == 0 &&
	      r.value.low - t0 >= 900000 && r.value.low - t0 < 100000000);
}

static void to_child(int vm)
{
	uint32_t newly = 9;
	int i, n = 0;

	/* VP 0 exists but never runs: nothing takes the inbox. */
	for (i = 0; i < MKHV_VP_MSG_INBOX + 4; i++)
		if (post(vm, 0, 2, 1, 240) == 0)
			n++;
		else
			break;
	check("POST_MESSAGE: 16 messages wait in the VP's inbox", n == 16);
	check("the 17th: -EAGAIN (the child took none)",
	      post(vm, 0, 2, 1, 0) == -EAGAIN);
	check("POST_MESSAGE to a VP not created: -ENOENT",
	      post(vm, 1, 2, 1, 0) == -ENOENT);
	check("POST_MESSAGE to VP 2 of a 2-VP VM: -EINVAL",
	      post(vm, 2, 2, 1, 0) == -EINVAL);
	check("POST_MESSAGE sint 16: -EINVAL", post(vm, 0, 16, 1, 0) == -EINVAL);
	check("POST_MESSAGE type 0: -EINVAL", post(vm, 0, 2, 0, 0) == -EINVAL);
	check("POST_MESSAGE 241 bytes: -EINVAL", post(vm, 0, 2, 1, 241) == -EINVAL);
	check("SIGNAL_EVENT: newly signalled",
	      signal_(vm, 0, 2, 5, &newly) == 0 && newly == 1);
	check("SIGNAL_EVENT again: coalesced",
	      signal_(vm, 0, 2, 5, &newly) == 0 && newly == 0);
	check("SIGNAL_EVENT flag 2047",
	      signal_(vm, 0, 2, 2047, &newly) == 0 && newly == 1);
	check("SIGNAL_EVENT flag 2048: -EINVAL",
	      signal_(vm, 0, 2, 2048, &newly) == -EINVAL);
	check("SIGNAL_EVENT sint 16: -EINVAL",
	      signal_(vm, 0, 16, 0, &newly) == -EINVAL);
	check("SIGNAL_EVENT to a VP not created: -ENOENT",
	      signal_(vm, 1, 2, 0, &newly) == -ENOENT);
}

int main(void)
{
	struct mkhv_vm_create_vp cvp = { 0 };
	uint64_t pid = 0, pid2 = 0;
	uint32_t port2 = 0;
	int dev, vm, vm2;

	dev = open(MKHV_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	check("open /dev/mkhv", dev >= 0);
	if (dev < 0)
		return 1;
	vm = create_vm(dev, 2, &pid);
	check("CREATE_VM (2 VPs)", vm >= 0);
	if (vm < 0)
		return 1;
	check("CREATE_VP 0", io(vm, MKHV_VM_CREATE_VP, &cvp) == 0);
	connections(vm, pid);
	receive(vm);
	ref_time(vm);
	to_child(vm);

	/* A second VM: its own connection ids, its own port ids. */
	vm2 = create_vm(dev, 1, &pid2);
	check("a second VM", vm2 >= 0);
	check("it may use connection id 4 too",
	      connect_(vm2, 4, HV_PORT_TYPE_MESSAGE, 0, &port2) == 0);
	check("with another port id", port2 == (uint32_t)(pid2 << 8) &&
	      port2 != (uint32_t)(pid << 8));
	close(vm2);
	close(vm);
	printf("vmbustest: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
