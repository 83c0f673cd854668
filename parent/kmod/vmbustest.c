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
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <mkhv/mkhv_ioctl.h>

#include "selftest.h"


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

/* ---- end to end: a real-mode child VP makes the calls ---- */

/*
 * The child's 64 KiB at GPA 0xF0000 (CS = F000 with base 0xF0000): code at
 * 0xF0100, its SIM page at 0xF8000, SIEF page at 0xF9000, hypercall input
 * at 0xFA000.  GPA 0 is unmapped: "mov al, [0]" ends each step with an
 * UNMAPPED_GPA intercept whose RAX is the step's result.
 */
#define E2E_BASE	0xf0000u
#define E2E_SIZE	0x10000u
#define E2E_SIMP	0xf8000u
#define E2E_SIEFP	0xf9000u
#define E2E_INPUT	0xfa000u
#define IP_HYPERCALL	0x100	/* vmmcall or vmcall; mov al, [0] */
#define IP_WRMSR	0x110	/* wrmsr; mov al, [0] */
#define IP_NOTHING	0x113	/* mov al, [0] */

static uint8_t *e2e_ram;

static uint8_t *gpa(uint32_t a)
{
	return e2e_ram + (a - E2E_BASE);
}

/* One step of VP 0: registers in, run to its intercept; RAX out, or -1. */
static int64_t step(int vm, uint64_t rip, uint64_t rax, uint64_t rcx,
		    uint64_t rdx, uint64_t r8)
{
	struct hv_register_assoc r[5] = {
		{ .name = HV_X64_REGISTER_RIP, .value.low = rip },
		{ .name = HV_X64_REGISTER_RAX, .value.low = rax },
		{ .name = HV_X64_REGISTER_RAX + 1, .value.low = rcx },
		{ .name = HV_X64_REGISTER_RAX + 2, .value.low = rdx },
		{ .name = HV_X64_REGISTER_RAX + 8, .value.low = r8 },
	};
	struct mkhv_vm_regs a = { .vp_index = 0, .count = 5,
				  .regs = (uint64_t)(uintptr_t)r };
	static struct mkhv_vm_run run;

	if (io(vm, MKHV_VM_SET_REGS, &a))
		return -1;
	memset(&run, 0, sizeof(run));
	if (io(vm, MKHV_VM_RUN, &run) ||
	    run.msg.message_type != HVMSG_UNMAPPED_GPA)
		return -1;
	return (int64_t)run.msg.rax;
}

/* The child's HvCallPostMessage of @size bytes of @fill on @conn: status. */
static int64_t child_post(int vm, uint32_t conn, uint32_t type, uint32_t size,
			  uint8_t fill)
{
	struct hv_input_post_message *in = (void *)gpa(E2E_INPUT);
	int64_t st;

	memset(in, 0, sizeof(*in));
	in->connection_id = conn;
	in->message_type = type;
	in->payload_size = size;
	memset(in->payload, fill, size);
	/* RAX starts as a sentinel: a vmmcall that never ran shows. */
	st = step(vm, IP_HYPERCALL, 0xdeadbeef, HVCALL_POST_MESSAGE, E2E_INPUT, 0);
	return st < 0 ? st : (st & 0xffff);
}

static int wrmsr_(int vm, uint32_t msr, uint64_t v)
{
	return step(vm, IP_WRMSR, (uint32_t)v, msr, v >> 32, 0) < 0 ? -1 : 0;
}

struct receiver {
	int vm;
	int ret;
	struct mkhv_vm_receive r;
};

static void *receiver_thread(void *arg)
{
	struct receiver *rc = arg;

	rc->r.flags = 0;
	rc->r.timeout_ms = 30000;
	rc->ret = io(rc->vm, MKHV_VM_RECEIVE, &rc->r);
	return NULL;
}

static void e2e_child_to_parent(int vm)
{
	static struct receiver rc;
	static struct mkhv_vm_receive r;
	const struct mkhv_received_message *m = &rc.r.out.messages[0];
	pthread_t t;
	int i, ok = 0;
	int64_t st;

	/* A RECEIVE asleep when the child posts: the 0xF3 path wakes it. */
	rc.vm = vm;
	pthread_create(&t, NULL, receiver_thread, &rc);
	usleep(300000);
	st = child_post(vm, 4, 1, 16, 0xc5);
	check("child HvPostMessage on connection 4: success", st == 0);
	pthread_join(t, NULL);
	check("the sleeping RECEIVE woke up with it",
	      rc.ret == 0 && rc.r.out.nr_messages == 1);
	check("connection 4, type 1, 16 bytes, VP 0, payload intact",
	      m->connection_id == 4 && m->message_type == 1 &&
	      m->payload_size == 16 && m->vp_index == 0 &&
	      m->payload[0] == 0xc5 && m->payload[15] == 0xc5 &&
	      m->payload[16] == 0);
	st = step(vm, IP_HYPERCALL, 0xdeadbeef,
		  HVCALL_SIGNAL_EVENT | HV_HYPERCALL_FAST_BIT, 0x2001, 0);
	check("child HvSignalEvent (fast) on connection 0x2001: success",
	      st >= 0 && (st & 0xffff) == 0);
	r.flags = MKHV_VM_RECEIVE_NONBLOCK;
	check("RECEIVE: the event, flag 0, on connection 0x2001",
	      io(vm, MKHV_VM_RECEIVE, &r) == 0 && r.out.nr_events == 1 &&
	      r.out.events[0].connection_id == 0x2001 &&
	      r.out.events[0].flags == 1 && r.out.nr_messages == 0);
	check("child PostMessage on an unknown connection: INVALID_CONNECTION_ID",
	      child_post(vm, 99, 1, 8, 0) == HV_STATUS_INVALID_CONNECTION_ID);
	check("child PostMessage of 241 bytes: INVALID_PARAMETER",
	      child_post(vm, 4, 1, 241, 0) == HV_STATUS_INVALID_PARAMETER);
	check("child PostMessage on the event connection: INVALID_PORT_ID",
	      child_post(vm, 0x2001, 1, 8, 0) == HV_STATUS_INVALID_PORT_ID);
	for (i = 0; i < MKHV_CHILD_MSG_QUEUE; i++)
		if (child_post(vm, 4, 2 + i, 8, (uint8_t)i) == 0)
			ok++;
	check("a flooding child: 32 messages queue", ok == MKHV_CHILD_MSG_QUEUE);
	check("the 33rd: INSUFFICIENT_BUFFERS (Linux retries)",
	      child_post(vm, 4, 99, 8, 0) == HV_STATUS_INSUFFICIENT_BUFFERS);
	ok = 0;
	do {
		if (io(vm, MKHV_VM_RECEIVE, &r))
			break;
		for (i = 0; i < (int)r.out.nr_messages; i++, ok++)
			if (r.out.messages[i].message_type != (uint32_t)(2 + ok))
				ok = -1000;
	} while (r.out.flags & MKHV_RECEIVE_MORE);
	check("RECEIVE gives all 32 back, in order", ok == MKHV_CHILD_MSG_QUEUE);
	check("and the child may post again", child_post(vm, 4, 1, 0, 0) == 0);
	io(vm, MKHV_VM_RECEIVE, &r);
}

static void e2e_parent_to_child(int vm)
{
	const uint8_t *slot = gpa(E2E_SIMP + 2 * 256);
	static struct mkhv_vm_post_message m;
	uint32_t newly;
	uint64_t flags;

	check("the child enables its SynIC (SIMP, SIEFP, SINT2, SCONTROL)",
	      wrmsr_(vm, 0x40000083, E2E_SIMP | 1) == 0 &&
	      wrmsr_(vm, 0x40000082, E2E_SIEFP | 1) == 0 &&
	      wrmsr_(vm, 0x40000092, 0xf3) == 0 &&
	      wrmsr_(vm, 0x40000080, 1) == 0);
	memset(&m, 0, sizeof(m));
	m.vp_index = 0;
	m.sint = 2;
	m.message_type = 1;
	m.payload_size = 8;
	memcpy(m.payload, "1stmsg!!", 8);
	check("POST_MESSAGE twice", io(vm, MKHV_VM_POST_MESSAGE, &m) == 0 &&
	      (memcpy(m.payload, "2ndmsg!!", 8),
	       io(vm, MKHV_VM_POST_MESSAGE, &m) == 0));
	check("the VP runs", step(vm, IP_NOTHING, 0, 0, 0, 0) >= 0);
	check("SIMP slot 2 holds the first message, msg_pending set",
	      slot[0] == 1 && slot[4] == 8 && !memcmp(slot + 16, "1stmsg!!", 8) &&
	      (slot[5] & 1));
	/* The guest's vmbus_signal_eom(): free the slot, then EOM. */
	((uint8_t *)slot)[0] = 0;
	check("the child writes EOM", wrmsr_(vm, 0x40000084, 0) == 0);
	check("then the slot holds the second message",
	      slot[0] == 1 && !memcmp(slot + 16, "2ndmsg!!", 8) && !(slot[5] & 1));
	check("SIGNAL_EVENT flag 5 of SINT2",
	      signal_(vm, 0, 2, 5, &newly) == 0 && newly == 1);
	step(vm, IP_NOTHING, 0, 0, 0, 0);
	memcpy(&flags, gpa(E2E_SIEFP + 2 * 256), 8);
	check("bit 5 set in the SIEF page's SINT2 area", flags == 1u << 5);
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/*
 * Rough figures (TCG: relative only): a child step that posts, with the
 * parent's RECEIVE of it, against a step that does nothing but the
 * intercept round trip every step pays.
 */
static void figures(int vm)
{
	static struct mkhv_vm_receive r;
	const int n = 200;
	double t0, post_us, bare_us;
	int i, got = 0;

	r.flags = MKHV_VM_RECEIVE_NONBLOCK;
	t0 = now_us();
	for (i = 0; i < n; i++)
		step(vm, IP_NOTHING, 0, 0, 0, 0);
	bare_us = (now_us() - t0) / n;
	t0 = now_us();
	for (i = 0; i < n; i++) {
		child_post(vm, 4, 1, 240, 1);
		if (!io(vm, MKHV_VM_RECEIVE, &r))
			got += r.out.nr_messages;
	}
	post_us = (now_us() - t0) / n;
	check("figures: every posted message received", got == n);
	printf("vmbustest_step_us: %.1f\n", bare_us);
	printf("vmbustest_post_receive_step_us: %.1f\n", post_us);
}

/*
 * The hypercall instruction of this CPU's vendor: the child has no
 * hypercall page (real mode), so it executes VMMCALL (AMD) or VMCALL
 * (Intel) itself, as the page would (the parent sees the real vendor).
 */
static uint8_t hypercall_modrm(void)
{
	unsigned int a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0));
	return b == 0x756e6547 ? 0xc1 : 0xd9;	/* "Genu"ineIntel */
}

static void end_to_end(int dev)
{
	uint8_t code[] = {
		[0x00] = 0x0f, 0x01, 0xd9, 0xa0, 0x00, 0x00,	/* vmmcall; mov al,[0] */
		[0x10] = 0x0f, 0x30, 0xa0, 0x00, 0x00,		/* wrmsr; mov al,[0] */
	};
	struct mkhv_vm_map_memory mm = { 0 };
	struct mkhv_vm_create_vp cvp = { 0 };
	uint64_t pid;
	int vm;

	e2e_ram = mmap(NULL, E2E_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	vm = create_vm(dev, 1, &pid);
	check("end to end: a VM with 64 KiB at 0xF0000 and VP 0",
	      e2e_ram != MAP_FAILED && vm >= 0 &&
	      io(vm, MKHV_VM_CREATE_VP, &cvp) == 0);
	if (vm < 0 || e2e_ram == MAP_FAILED)
		return;
	code[2] = hypercall_modrm();
	memcpy(gpa(E2E_BASE + IP_HYPERCALL), code, sizeof(code));
	{
		/* Reset CS has base 0xFFFF0000: move it to our 64 KiB. */
		struct hv_register_assoc cs = { .name = HV_X64_REGISTER_CS };
		struct mkhv_vm_regs a = { .vp_index = 0, .count = 1,
					  .regs = (uint64_t)(uintptr_t)&cs };

		check("CS base 0xF0000", io(vm, MKHV_VM_GET_REGS, &a) == 0 &&
		      (cs.value.low = E2E_BASE,
		       io(vm, MKHV_VM_SET_REGS, &a) == 0));
	}
	mm.userspace_addr = (uint64_t)(uintptr_t)e2e_ram;
	mm.size = E2E_SIZE;
	mm.guest_pfn = E2E_BASE >> 12;
	mm.flags = HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE |
		   HV_MAP_GPA_EXECUTABLE;
	check("MAP_MEMORY", io(vm, MKHV_VM_MAP_MEMORY, &mm) == 0);
	check("CONNECT 4 (messages) and 0x2001 (events)",
	      connect_(vm, 4, HV_PORT_TYPE_MESSAGE, 0, NULL) == 0 &&
	      connect_(vm, 0x2001, HV_PORT_TYPE_EVENT, 0, NULL) == 0);
	e2e_child_to_parent(vm);
	e2e_parent_to_child(vm);
	figures(vm);
	close(vm);
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
	end_to_end(dev);
	return selftest_summary("vmbustest");
}
