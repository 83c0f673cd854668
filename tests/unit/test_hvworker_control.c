// SPDX-License-Identifier: GPL-2.0
/* Check suite for parent/worker/control.c (hvworker's control channel). */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "control.h"
#include "worker.h"
#include "netvsp.h"
#include "worker_vmbus.h"

static struct control ctl;
static char reply[512];

static void setup(void)
{
	control_init(&ctl, -1);
	memset(reply, 0, sizeof(reply));
}

static void teardown(void)
{
	control_stop(&ctl);
}

static int hook_ok(void *ctx, const char *arg, char *r, size_t len)
{
	ck_assert_ptr_null(arg);	/* commands without argument */
	(*(int *)ctx)++;
	snprintf(r, len, "ok");
	return 0;
}

static int hook_fail_silent(void *ctx, const char *arg, char *r, size_t len)
{
	(void)ctx;
	(void)arg;
	(void)r;
	(void)len;
	return -EBUSY;
}

static int hook_multiline(void *ctx, const char *arg, char *r, size_t len)
{
	(void)ctx;
	(void)arg;
	snprintf(r, len, "ok first\nsecond line");
	return 0;
}

START_TEST(unhooked_shutdown_is_unsupported)
{
	control_handle(&ctl, "shutdown", reply, sizeof(reply));
	ck_assert_str_eq(reply, "unsupported graceful shutdown needs the guest's "
			 "VMBus shutdown service");
	control_handle(&ctl, "reboot", reply, sizeof(reply));
	ck_assert_str_eq(reply, "unsupported graceful reboot needs the guest's "
			 "VMBus shutdown service");
}
END_TEST

START_TEST(unhooked_timesync_is_unsupported)
{
	control_handle(&ctl, "timesync", reply, sizeof(reply));
	ck_assert_str_eq(reply, "unsupported setting the guest's clock needs its "
			 "VMBus time synchronization service");
}
END_TEST

START_TEST(hooked_command_runs_its_hook)
{
	int calls = 0;

	control_set_hook(&ctl, CONTROL_SHUTDOWN, hook_ok, &calls);
	control_handle(&ctl, "shutdown", reply, sizeof(reply));
	ck_assert_str_eq(reply, "ok");
	ck_assert_int_eq(calls, 1);
	/* Only that command: reboot still has no hook. */
	control_handle(&ctl, "reboot", reply, sizeof(reply));
	ck_assert_ptr_nonnull(strstr(reply, "unsupported"));
	ck_assert_int_eq(calls, 1);
}
END_TEST

START_TEST(failing_hook_without_text_gets_errno_text)
{
	control_set_hook(&ctl, CONTROL_REBOOT, hook_fail_silent, NULL);
	control_handle(&ctl, "reboot", reply, sizeof(reply));
	ck_assert_str_eq(reply, "error Device or resource busy");
}
END_TEST

START_TEST(hook_reply_is_one_line)
{
	control_set_hook(&ctl, CONTROL_STATS, hook_multiline, NULL);
	control_handle(&ctl, "stats", reply, sizeof(reply));
	ck_assert_str_eq(reply, "ok first");
}
END_TEST

START_TEST(unknown_command_is_shown_sanitized)
{
	control_handle(&ctl, "format c:", reply, sizeof(reply));
	ck_assert_str_eq(reply, "error unknown command 'format c:'");
	control_handle(&ctl, "x\x1b[2Jy", reply, sizeof(reply));
	ck_assert_str_eq(reply, "error unknown command 'x?[2Jy'");
	/* Prefixes and case variants are not commands. */
	control_handle(&ctl, "stats now", reply, sizeof(reply));
	ck_assert_ptr_nonnull(strstr(reply, "error unknown command"));
	control_handle(&ctl, "SHUTDOWN", reply, sizeof(reply));
	ck_assert_ptr_nonnull(strstr(reply, "error unknown command"));
	control_handle(&ctl, "", reply, sizeof(reply));
	ck_assert_str_eq(reply, "error unknown command ''");
}
END_TEST

/* ---- commands with an index: blkstats N, ifstats N ---- */

static char hook_arg[64];
static int hook_arg_calls;

static int hook_record_arg(void *ctx, const char *arg, char *r, size_t len)
{
	ck_assert_ptr_nonnull(arg);
	snprintf(hook_arg, sizeof(hook_arg), "%s", arg);
	hook_arg_calls++;
	snprintf(r, len, "%s got %s", (const char *)ctx, arg);
	return 0;
}

START_TEST(parse_index)
{
	uint32_t n = 7;

	ck_assert_int_eq(control_parse_index("0", &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(control_parse_index("007", &n), 0);
	ck_assert_uint_eq(n, 7);
	ck_assert_int_eq(control_parse_index("4294967295", &n), 0);
	ck_assert_uint_eq(n, UINT32_MAX);
	n = 9;
	ck_assert_int_eq(control_parse_index("4294967296", &n), -EINVAL);
	ck_assert_int_eq(control_parse_index("99999999999999999999999", &n), -EINVAL);
	ck_assert_int_eq(control_parse_index("", &n), -EINVAL);
	ck_assert_int_eq(control_parse_index(NULL, &n), -EINVAL);
	ck_assert_int_eq(control_parse_index("-1", &n), -EINVAL);
	ck_assert_int_eq(control_parse_index("+1", &n), -EINVAL);
	ck_assert_int_eq(control_parse_index("1x", &n), -EINVAL);
	ck_assert_int_eq(control_parse_index(" 1", &n), -EINVAL);
	ck_assert_int_eq(control_parse_index("0x1", &n), -EINVAL);
	ck_assert_uint_eq(n, 9);	/* untouched on error */
}
END_TEST

START_TEST(index_commands_pass_their_argument)
{
	hook_arg_calls = 0;
	control_set_hook(&ctl, CONTROL_BLKSTATS, hook_record_arg, "blk");
	control_set_hook(&ctl, CONTROL_IFSTATS, hook_record_arg, "if");
	control_handle(&ctl, "blkstats 0", reply, sizeof(reply));
	ck_assert_str_eq(reply, "blk got 0");
	ck_assert_str_eq(hook_arg, "0");
	control_handle(&ctl, "ifstats 3", reply, sizeof(reply));
	ck_assert_str_eq(reply, "if got 3");
	control_handle(&ctl, "blkstats 4294967295", reply, sizeof(reply));
	ck_assert_str_eq(reply, "blk got 4294967295");
	ck_assert_int_eq(hook_arg_calls, 3);
}
END_TEST

START_TEST(index_commands_refuse_bad_arguments)
{
	static const char *const bad[] = {
		"blkstats", "blkstats ", "blkstats x", "blkstats 1x", "blkstats -1",
		"blkstats +1", "blkstats 4294967296",
		"blkstats 123456789012345678901234567890", "blkstats  0",
		"blkstats 0 ", "blkstats 0 1", "ifstats", "ifstats a", "ifstats 1.0",
	};

	hook_arg_calls = 0;
	control_set_hook(&ctl, CONTROL_BLKSTATS, hook_record_arg, "blk");
	control_set_hook(&ctl, CONTROL_IFSTATS, hook_record_arg, "if");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		control_handle(&ctl, bad[i], reply, sizeof(reply));
		ck_assert_msg(!strcmp(reply, "error bad argument"), "'%s': %s", bad[i], reply);
	}
	ck_assert_int_eq(hook_arg_calls, 0);
	/* not the command at all */
	control_handle(&ctl, "blkstats\t0", reply, sizeof(reply));
	ck_assert_str_eq(reply, "error unknown command 'blkstats?0'");
	control_handle(&ctl, "blkstatsx 0", reply, sizeof(reply));
	ck_assert_str_eq(reply, "error unknown command 'blkstatsx 0'");
	control_handle(&ctl, " blkstats 0", reply, sizeof(reply));
	ck_assert_str_eq(reply, "error unknown command ' blkstats 0'");
	control_handle(&ctl, "BLKSTATS 0", reply, sizeof(reply));
	ck_assert_ptr_nonnull(strstr(reply, "error unknown command"));
	ck_assert_int_eq(hook_arg_calls, 0);
}
END_TEST

START_TEST(argumentless_commands_still_refuse_arguments)
{
	int calls = 0;

	control_set_hook(&ctl, CONTROL_SHUTDOWN, hook_ok, &calls);
	control_set_hook(&ctl, CONTROL_STATS, hook_ok, &calls);
	control_set_hook(&ctl, CONTROL_TIMESYNC, hook_ok, &calls);
	control_handle(&ctl, "stats 0", reply, sizeof(reply));
	ck_assert_str_eq(reply, "error unknown command 'stats 0'");
	control_handle(&ctl, "shutdown 1", reply, sizeof(reply));
	ck_assert_str_eq(reply, "error unknown command 'shutdown 1'");
	control_handle(&ctl, "timesync ", reply, sizeof(reply));
	ck_assert_str_eq(reply, "error unknown command 'timesync '");
	ck_assert_int_eq(calls, 0);
	control_handle(&ctl, "stats", reply, sizeof(reply));
	ck_assert_str_eq(reply, "ok");
	control_handle(&ctl, "timesync", reply, sizeof(reply));
	ck_assert_str_eq(reply, "ok");
	ck_assert_int_eq(calls, 2);
}
END_TEST

START_TEST(unhooked_index_commands_are_unsupported)
{
	control_handle(&ctl, "blkstats 0", reply, sizeof(reply));
	ck_assert_str_eq(reply, "unsupported disk statistics need the VM's VMBus "
			 "storage controller");
	control_handle(&ctl, "ifstats 0", reply, sizeof(reply));
	ck_assert_str_eq(reply, "unsupported interface statistics need the VM's "
			 "VMBus network adapters");
	/* the argument is checked first */
	control_handle(&ctl, "ifstats x", reply, sizeof(reply));
	ck_assert_str_eq(reply, "error bad argument");
}
END_TEST

/* ---- worker_vmbus's blkstats / ifstats hooks, end to end ---- */

static int io_done_calls;

static void io_done(struct disk_io *io)
{
	(void)io;
	__atomic_add_fetch(&io_done_calls, 1, __ATOMIC_SEQ_CST);
}

/* Run @op of @len bytes at @off on @d (pool threads) and wait for it. */
static int disk_io_wait(struct disk *d, enum disk_op op, uint64_t off, uint32_t len)
{
	static uint8_t buf[65536];
	struct iovec iov = { buf, len };
	struct disk_io io = { .op = op, .off = off, .iov = &iov, .iovcnt = 1,
			      .len = len, .done = io_done };
	int before = __atomic_load_n(&io_done_calls, __ATOMIC_SEQ_CST);

	if (op == DISK_FLUSH)
		io.iovcnt = 0, io.iov = NULL, io.len = 0;
	disk_submit(d, &io);
	while (__atomic_load_n(&io_done_calls, __ATOMIC_SEQ_CST) == before)
		usleep(1000);
	return io.result;
}

START_TEST(worker_vmbus_hooks_answer)
{
	struct disk_spec specs[2];
	struct worker_vmbus wv;
	char path[2][64], err[256];

	for (int i = 0; i < 2; i++) {
		int fd;

		snprintf(path[i], sizeof(path[i]), "/tmp/hvworker-blkstats-XXXXXX");
		fd = mkstemp(path[i]);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(ftruncate(fd, 1 << 20), 0);
		close(fd);
		ck_assert_int_eq(disk_spec_parse(path[i], &specs[i], err, sizeof(err)), 0);
	}
	ck_assert_int_eq(worker_vmbus_disks(&wv, specs, 2, err, sizeof(err)), 0);
	ck_assert_uint_eq(wv.ndisks, 2);
	control_set_hook(&ctl, CONTROL_BLKSTATS, worker_vmbus_blkstats_hook, &wv);
	control_set_hook(&ctl, CONTROL_IFSTATS, worker_vmbus_ifstats_hook, &wv);
	ck_assert_int_eq(disk_io_wait(wv.disks[1], DISK_WRITE, 0, 65536), 0);
	ck_assert_int_eq(disk_io_wait(wv.disks[1], DISK_READ, 4096, 512), 0);
	ck_assert_int_eq(disk_io_wait(wv.disks[1], DISK_READ, 8192, 4096), 0);
	ck_assert_int_eq(disk_io_wait(wv.disks[1], DISK_FLUSH, 0, 0), 0);
	/* past the end of the file: an I/O error */
	ck_assert_int_ne(disk_io_wait(wv.disks[1], DISK_READ, 2 << 20, 512), 0);
	control_handle(&ctl, "blkstats 1", reply, sizeof(reply));
	ck_assert_str_eq(reply, "blkstats rd_req=2 rd_bytes=4608 wr_req=1 "
			 "wr_bytes=65536 fl_req=1 errs=1");
	control_handle(&ctl, "blkstats 0", reply, sizeof(reply));
	ck_assert_str_eq(reply, "blkstats rd_req=0 rd_bytes=0 wr_req=0 "
			 "wr_bytes=0 fl_req=0 errs=0");
	control_handle(&ctl, "blkstats 2", reply, sizeof(reply));
	ck_assert_str_eq(reply, "error no disk 2");
	control_handle(&ctl, "blkstats 4294967295", reply, sizeof(reply));
	ck_assert_str_eq(reply, "error no disk 4294967295");
	control_handle(&ctl, "blkstats 1x", reply, sizeof(reply));
	ck_assert_str_eq(reply, "error bad argument");
	/* no NIC started (none given, or the first failed) */
	control_handle(&ctl, "ifstats 0", reply, sizeof(reply));
	ck_assert_str_eq(reply, "error no nic 0");
	control_handle(&ctl, "ifstats 8", reply, sizeof(reply));
	ck_assert_str_eq(reply, "error no nic 8");
	/* called directly: the hooks check their argument too */
	ck_assert_int_eq(worker_vmbus_blkstats_hook(&wv, "", reply, sizeof(reply)), 0);
	ck_assert_str_eq(reply, "error bad argument");
	ck_assert_int_eq(worker_vmbus_ifstats_hook(&wv, NULL, reply, sizeof(reply)), 0);
	ck_assert_str_eq(reply, "error bad argument");
	worker_vmbus_stop(&wv);	/* no VMBus: closes the disks */
	ck_assert_uint_eq(wv.ndisks, 0);
	control_handle(&ctl, "blkstats 0", reply, sizeof(reply));
	ck_assert_str_eq(reply, "error no disk 0");
	unlink(path[0]);
	unlink(path[1]);
}
END_TEST

/* A transport that is never used: the host is created, not started. */
static int tp_connect(void *ctx, uint32_t id, enum vmbus_conn_kind kind)
{
	(void)ctx, (void)id, (void)kind;
	return 0;
}

static int tp_post(void *ctx, uint32_t vp, uint32_t sint, uint32_t type,
		   const void *msg, uint32_t len)
{
	(void)ctx, (void)vp, (void)sint, (void)type, (void)msg, (void)len;
	return 0;
}

static int tp_signal(void *ctx, uint32_t vp, uint32_t sint, uint32_t flag)
{
	(void)ctx, (void)vp, (void)sint, (void)flag;
	return 0;
}

static int tp_wait(void *ctx, struct vmbus_host_event *ev, int timeout_ms)
{
	(void)ctx, (void)ev, (void)timeout_ms;
	return 0;
}

/* ifstats N names the N-th --nic even when an earlier one did not start. */
START_TEST(worker_vmbus_ifstats_by_nic_index)
{
	static const struct vmbus_transport_ops ops = {
		.connect = tp_connect, .post = tp_post, .signal = tp_signal,
		.wait = tp_wait,
	};
	static const uint8_t mac[6] = { 0x52, 0x54, 0, 1, 2, 3 };
	uint8_t *ram = mmap(NULL, GUEST_MEM_MIN, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	struct guest_mem mem;
	struct vmbus_host_config cfg = { .ops = &ops, .mem = &mem, .nr_vps = 1 };
	struct worker_vmbus wv;
	struct netvsp *nv;

	memset(&wv, 0, sizeof(wv));
	ck_assert(ram != MAP_FAILED);
	ck_assert_int_eq(guest_mem_init(&mem, ram, GUEST_MEM_MIN), 0);
	wv.host = vmbus_host_create(&cfg);
	ck_assert_ptr_nonnull(wv.host);
	nv = netvsp_create(wv.host, mac, 1, NULL);
	ck_assert_ptr_nonnull(nv);
	/* --nic 0 failed to start, --nic 1 runs */
	wv.nics[1] = nic_attach(wv.host, nv);
	ck_assert_ptr_nonnull(wv.nics[1]);
	control_set_hook(&ctl, CONTROL_IFSTATS, worker_vmbus_ifstats_hook, &wv);
	vmbus_host_lock(wv.host);
	ck_assert_int_eq(netvsp_rx(nv, (const uint8_t[60]){ 0 }, 60), -ENOTCONN);
	vmbus_host_unlock(wv.host);
	control_handle(&ctl, "ifstats 1", reply, sizeof(reply));
	ck_assert_str_eq(reply, "ifstats rx_bytes=0 rx_packets=0 rx_errs=0 rx_drop=1 "
			 "tx_bytes=0 tx_packets=0 tx_errs=0 tx_drop=0");
	control_handle(&ctl, "ifstats 0", reply, sizeof(reply));
	ck_assert_str_eq(reply, "error no nic 0");
	control_handle(&ctl, "ifstats 2", reply, sizeof(reply));
	ck_assert_str_eq(reply, "error no nic 2");
	vmbus_host_destroy(wv.host);
	nic_free(wv.nics[1]);
	munmap(ram, GUEST_MEM_MIN);
}
END_TEST

/* ---- control_serve over a socketpair ---- */

static int sv[2];

static void *serve_thread(void *arg)
{
	return (void *)(intptr_t)control_serve(arg);
}

static void serve_setup(void)
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	control_init(&ctl, sv[1]);
}

/* Read until @n newlines arrived (or EOF); returns the text. */
static char *read_lines(int fd, int n)
{
	static char buf[4096];
	size_t have = 0;

	while (n > 0 && have < sizeof(buf) - 1) {
		ssize_t r = read(fd, buf + have, sizeof(buf) - 1 - have);

		if (r <= 0)
			break;
		for (ssize_t i = 0; i < r; i++)
			n -= buf[have + i] == '\n';
		have += (size_t)r;
	}
	buf[have] = '\0';
	return buf;
}

static int serve_and_close(pthread_t *t)
{
	void *rv;

	shutdown(sv[0], SHUT_WR);
	pthread_join(*t, &rv);
	close(sv[0]);
	close(sv[1]);
	return (int)(intptr_t)rv;
}

START_TEST(serve_answers_each_line_in_order)
{
	int calls = 0;
	pthread_t t;

	serve_setup();
	control_set_hook(&ctl, CONTROL_SHUTDOWN, hook_ok, &calls);
	ck_assert_int_eq(pthread_create(&t, NULL, serve_thread, &ctl), 0);
	/* Two commands in one write, a third split across writes, CRLF. */
	ck_assert_int_eq(write(sv[0], "shutdown\nbogus\nsta", 18), 18);
	usleep(10000);
	ck_assert_int_eq(write(sv[0], "ts\r\n", 4), 4);
	ck_assert_str_eq(read_lines(sv[0], 3),
			 "ok\nerror unknown command 'bogus'\n"
			 "unsupported this worker has no statistics\n");
	ck_assert_int_eq(calls, 1);
	/* EOF (hvd gone) ends the channel cleanly. */
	ck_assert_int_eq(serve_and_close(&t), 0);
}
END_TEST

START_TEST(serve_refuses_overlong_line_once_and_resyncs)
{
	char big[3 * CONTROL_LINE_MAX];
	pthread_t t;

	serve_setup();
	memset(big, 'a', sizeof(big));
	ck_assert_int_eq(pthread_create(&t, NULL, serve_thread, &ctl), 0);
	ck_assert_int_eq(write(sv[0], big, sizeof(big)), (ssize_t)sizeof(big));
	ck_assert_int_eq(write(sv[0], "\nshutdown\n", 10), 10);
	ck_assert_str_eq(read_lines(sv[0], 2),
			 "error line too long\nunsupported graceful shutdown "
			 "needs the guest's VMBus shutdown service\n");
	ck_assert_int_eq(serve_and_close(&t), 0);
}
END_TEST

START_TEST(serve_index_commands)
{
	pthread_t t;

	serve_setup();
	control_set_hook(&ctl, CONTROL_IFSTATS, hook_record_arg, "if");
	ck_assert_int_eq(pthread_create(&t, NULL, serve_thread, &ctl), 0);
	ck_assert_int_eq(write(sv[0], "ifstats 2\r\nblkstats 1\nifstats\n", 30), 30);
	ck_assert_str_eq(read_lines(sv[0], 3),
			 "if got 2\nunsupported disk statistics need the VM's VMBus "
			 "storage controller\nerror bad argument\n");
	ck_assert_int_eq(serve_and_close(&t), 0);
}
END_TEST

START_TEST(start_stop_thread_answers)
{
	serve_setup();
	ck_assert_int_eq(control_start(&ctl), 0);
	ck_assert_int_eq(write(sv[0], "reboot\n", 7), 7);
	ck_assert_ptr_nonnull(strstr(read_lines(sv[0], 1), "unsupported graceful reboot"));
	control_stop(&ctl);
	control_init(&ctl, -1);	/* teardown stops it once more */
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* ---- the stats hook ---- */

static int regs_calls, regs_fail_vp = -1;

static int fake_get_regs(void *ctx, uint32_t vp, struct hv_register_assoc *r,
			 uint32_t n)
{
	(void)ctx;
	regs_calls++;
	if ((int)vp == regs_fail_vp)
		return -EINVAL;
	for (uint32_t i = 0; i < n; i++) {
		if (r[i].name == HV_REGISTER_VP_RUNTIME)
			r[i].value.low = 1000 * (vp + 1);	/* 100 ns units */
		else
			r[i].value.low = 5;
	}
	return 0;
}

START_TEST(stats_hook_sums_vps)
{
	const struct vm_backend_ops ops = { .get_regs = fake_get_regs };
	struct vm vm = { .ops = &ops };
	struct control_stats cs = { &vm, 3 };

	regs_calls = 0;
	regs_fail_vp = -1;
	control_set_hook(&ctl, CONTROL_STATS, control_stats_hook, &cs);
	control_handle(&ctl, "stats", reply, sizeof(reply));
	ck_assert_str_eq(reply, "stats cpu_time_ns=600000 vcpus=3 exits=15");
	ck_assert_int_eq(regs_calls, 3);
}
END_TEST

START_TEST(stats_hook_errors)
{
	const struct vm_backend_ops none = { 0 };
	const struct vm_backend_ops ops = { .get_regs = fake_get_regs };
	struct vm vm = { .ops = &none };
	struct control_stats cs = { &vm, 2 };

	control_set_hook(&ctl, CONTROL_STATS, control_stats_hook, &cs);
	control_handle(&ctl, "stats", reply, sizeof(reply));
	ck_assert_str_eq(reply, "error cannot read HvRegisterVpRuntime: "
			 "Operation not supported");
	vm.ops = &ops;
	regs_fail_vp = 1;
	control_handle(&ctl, "stats", reply, sizeof(reply));
	ck_assert_str_eq(reply, "error cannot read HvRegisterVpRuntime: "
			 "Invalid argument");
	regs_fail_vp = -1;
}
END_TEST

/* ---- --control-fd ---- */

START_TEST(control_fd_option)
{
	char err[256];
	struct worker_opts o;
	int fds[2];
	char fdarg[16];
	char *good[] = { "hvworker", "--name", "a", "--memory", "64", "--vcpus",
			 "1", "--kernel", "k", "--control-fd", fdarg, NULL };
	char *bad_fd[] = { "hvworker", "--name", "a", "--memory", "64", "--vcpus",
			   "1", "--kernel", "k", "--control-fd", "999", NULL };
	char *stdin_fd[] = { "hvworker", "--name", "a", "--memory", "64",
			     "--vcpus", "1", "--kernel", "k", "--control-fd",
			     "0", NULL };

	ck_assert_int_eq(pipe(fds), 0);
	snprintf(fdarg, sizeof(fdarg), "%d", fds[0]);
	ck_assert_int_eq(worker_parse_args(11, good, &o, stdout, err, sizeof(err)), 0);
	ck_assert_int_eq(o.control_fd, fds[0]);
	ck_assert_int_eq(worker_parse_args(9, good, &o, stdout, err, sizeof(err)), 0);
	ck_assert_int_eq(o.control_fd, -1);	/* none by default */
	ck_assert_int_eq(worker_parse_args(11, bad_fd, &o, stdout, err, sizeof(err)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "--control-fd"));
	ck_assert_int_eq(worker_parse_args(11, stdin_fd, &o, stdout, err, sizeof(err)),
			 -EINVAL);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

static Suite *control_suite(void)
{
	Suite *s = suite_create("hvworker_control");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, unhooked_shutdown_is_unsupported);
	tcase_add_test(tc, hooked_command_runs_its_hook);
	tcase_add_test(tc, failing_hook_without_text_gets_errno_text);
	tcase_add_test(tc, hook_reply_is_one_line);
	tcase_add_test(tc, unknown_command_is_shown_sanitized);
	tcase_add_test(tc, unhooked_timesync_is_unsupported);
	tcase_add_test(tc, serve_answers_each_line_in_order);
	tcase_add_test(tc, serve_refuses_overlong_line_once_and_resyncs);
	tcase_add_test(tc, start_stop_thread_answers);
	tcase_add_test(tc, stats_hook_sums_vps);
	tcase_add_test(tc, stats_hook_errors);
	tcase_add_test(tc, control_fd_option);
	tcase_add_test(tc, parse_index);
	tcase_add_test(tc, index_commands_pass_their_argument);
	tcase_add_test(tc, index_commands_refuse_bad_arguments);
	tcase_add_test(tc, argumentless_commands_still_refuse_arguments);
	tcase_add_test(tc, unhooked_index_commands_are_unsupported);
	tcase_add_test(tc, worker_vmbus_hooks_answer);
	tcase_add_test(tc, worker_vmbus_ifstats_by_nic_index);
	tcase_add_test(tc, serve_index_commands);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(control_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
