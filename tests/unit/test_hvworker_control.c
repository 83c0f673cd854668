// SPDX-License-Identifier: GPL-2.0
/* Check suite for parent/worker/control.c (hvworker's control channel). */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "control.h"
#include "worker.h"

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
