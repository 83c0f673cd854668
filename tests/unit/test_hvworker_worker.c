// SPDX-License-Identifier: GPL-2.0
/*
 * Check suite for parent/worker/worker.c: the command line, and whole
 * worker runs (real kernel image, guest RAM, console, vCPU threads)
 * against the scripted fake backend.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest.h"
#include "hvworker_fake.h"
#include "worker.h"

#define ARGV(...) ((char *[]){ "hvworker", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "hvworker", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(o, err, ...) \
	worker_parse_args(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), (o), NULL, \
			  (err), sizeof(err))

START_TEST(args_good)
{
	struct worker_opts o;
	char err[256] = "";

	ck_assert_int_eq(PARSE(&o, err, "--name", "web1", "--memory", "512",
			       "--vcpus", "2", "--kernel", "/k", "--initrd", "/i",
			       "--cmdline", "console=ttyS0", "--console-log", "/l",
			       "--console-pty", "--weight", "2048", "--cap", "1500"), 0);
	ck_assert_str_eq(o.name, "web1");
	ck_assert_uint_eq(o.memory_mib, 512);
	ck_assert_uint_eq(o.vcpus, 2);
	ck_assert_str_eq(o.kernel, "/k");
	ck_assert_str_eq(o.initrd, "/i");
	ck_assert_str_eq(o.cmdline, "console=ttyS0");
	ck_assert_str_eq(o.console_log, "/l");
	ck_assert(o.console_pty);
	ck_assert_uint_eq(o.weight, 2048);
	ck_assert_uint_eq(o.cap_permille, 1500);
	ck_assert_uint_eq(o.vmbus_poll_us, WORKER_POLL_US_DEFAULT);
	ck_assert_int_eq(PARSE(&o, err, "--name", "a", "--memory", "64", "--vcpus", "1",
			       "--kernel", "/k", "--vmbus-poll-us", "0"), 0);
	ck_assert_uint_eq(o.vmbus_poll_us, 0);
	ck_assert_int_eq(PARSE(&o, err, "--name", "a", "--memory", "64", "--vcpus", "1",
			       "--kernel", "/k", "--vmbus-poll-us", "250"), 0);
	ck_assert_uint_eq(o.vmbus_poll_us, 250);
}
END_TEST

START_TEST(args_nics)
{
	struct worker_opts o;
	char err[256] = "";

	ck_assert_int_eq(PARSE(&o, err, "--name", "web1", "--memory", "64",
			       "--vcpus", "1", "--kernel", "/k",
			       "--nic", "bridge=br0,mac=52:54:00:aa:bb:cc",
			       "--nic", "network=default"), 0);
	ck_assert_uint_eq(o.nnics, 2);
	ck_assert_int_eq(o.nics[0].type, NIC_BRIDGE);
	ck_assert_str_eq(o.nics[0].source, "br0");
	ck_assert(o.nics[0].mac_set);
	ck_assert_uint_eq(o.nics[0].mac[5], 0xcc);
	ck_assert_int_eq(o.nics[1].type, NIC_NETWORK);
	ck_assert_str_eq(o.nics[1].source, "default");
	/* no MAC given: a stable locally administered one from name + index */
	ck_assert(!o.nics[1].mac_set);
	ck_assert_uint_eq(o.nics[1].mac[0], 0x52);
	ck_assert_uint_eq(o.nics[1].mac[0] & 1, 0);
#define BADNIC(spec) ck_assert_int_eq(PARSE(&o, err, "--name", "a", "--memory", "64", \
		"--vcpus", "1", "--kernel", "/k", "--nic", spec), -EINVAL)
	BADNIC("");
	BADNIC("bridge=");
	BADNIC("mac=52:54:00:aa:bb:cc");			/* no source */
	BADNIC("bridge=br0,mac=53:54:00:aa:bb:cc");		/* multicast */
	BADNIC("bridge=br0,mac=52:54:00:aa:bb");		/* short */
	BADNIC("bridge=br0,mac=52:54:00:aa:bb:cc:dd");	/* long */
	BADNIC("bridge=br0,mac=52:54:00:aa:bb:zz");
	BADNIC("bridge=br0,bridge=br1");
	BADNIC("bridge=a-very-long-bridge-name");		/* > IFNAMSIZ */
	BADNIC("bridge=../x");
	BADNIC("network=other");	/* only the default network exists */
	BADNIC("bridge=br0,vlan=3");
	BADNIC("bridge");
#undef BADNIC
	ck_assert_int_eq(PARSE(&o, err, "--name", "a", "--memory", "64", "--vcpus", "1",
			       "--kernel", "/k", "--nic", "bridge=b", "--nic", "bridge=b",
			       "--nic", "bridge=b", "--nic", "bridge=b", "--nic", "bridge=b",
			       "--nic", "bridge=b", "--nic", "bridge=b", "--nic", "bridge=b",
			       "--nic", "bridge=b"), -EINVAL);	/* 9 > NIC_MAX */
}
END_TEST

START_TEST(args_required)
{
	struct worker_opts o;
	char err[256] = "";

	ck_assert_int_eq(PARSE(&o, err, "--name", "a", "--memory", "64",
			       "--vcpus", "1"), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "required"));
}
END_TEST

START_TEST(args_hostile)
{
	struct worker_opts o;
	char err[256] = "";
	char longname[100];

	memset(longname, 'n', 99);
	longname[99] = '\0';
#define BAD(...) ck_assert_int_eq(PARSE(&o, err, "--kernel", "/k", __VA_ARGS__), -EINVAL)
	BAD("--name", "a", "--memory", "16", "--vcpus", "1");	/* < 32 MiB */
	BAD("--name", "a", "--memory", "99999999", "--vcpus", "1");
	BAD("--name", "a", "--memory", "-5", "--vcpus", "1");
	BAD("--name", "a", "--memory", "64k", "--vcpus", "1");
	BAD("--name", "a", "--memory", "64", "--vcpus", "0");
	BAD("--name", "a", "--memory", "64", "--vcpus", "17");
	BAD("--name", "a", "--memory", "64", "--vcpus", "18446744073709551617");
	BAD("--name", longname, "--memory", "64", "--vcpus", "1");
	BAD("--name", "", "--memory", "64", "--vcpus", "1");
	BAD("--name", "a", "--memory", "64", "--vcpus", "1", "--bogus");
	BAD("--name", "a", "--memory", "64", "--vcpus", "1", "extra");
	BAD("--name", "a", "--memory", "64", "--vcpus", "1", "--cap", "1001");
	BAD("--name", "a", "--memory", "64", "--vcpus", "1", "--weight", "0");
	BAD("--name", "a", "--memory", "64", "--vcpus", "1", "--vmbus-poll-us", "100001");
	BAD("--name", "a", "--memory", "64", "--vcpus", "1", "--vmbus-poll-us", "-1");
	BAD("--name", "a", "--memory", "64", "--vcpus");
#undef BAD
}
END_TEST

/* A temporary file name for status / console output. */
static void tmpname(char *buf, size_t len, const char *what)
{
	snprintf(buf, len, "/tmp/hvworker-test-%d-%s", (int)getpid(), what);
	unlink(buf);
}

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static struct worker_opts opts(unsigned int vcpus, const char *log)
{
	struct worker_opts o;

	memset(&o, 0, sizeof(o));
	strcpy(o.name, "t");
	o.memory_mib = 128;
	o.vcpus = vcpus;
	o.kernel = HVWORKER_TEST_KERNEL;
	o.cmdline = "console=ttyS0";
	o.console_log = log;
	return o;
}

static int run(struct fake_vm *f, const struct worker_opts *o, char *status)
{
	char path[128];
	FILE *st;
	int ret;

	tmpname(path, sizeof(path), "status");
	st = fopen(path, "w+");
	ck_assert_ptr_nonnull(st);
	ret = worker_run(o, &fake_ops, f, st);
	fclose(st);
	strcpy(status, slurp(path));
	unlink(path);
	return ret;
}

START_TEST(whole_worker_hello_and_s5)
{
	unsigned int vcpus = (unsigned int)_i;
	static char status[4096];
	struct worker_opts o;
	struct fake_vm f;
	char log[128];
	uint64_t rip;

	tmpname(log, sizeof(log), "console");
	o = opts(vcpus, log);
	fake_init(&f);
	f.wait_blocked = vcpus - 1;
	rip = fake_puts(&f, UART_COM1_BASE, "hello", 0x1000200);
	fake_io(&f, GUEST_PORT_SLEEP_CTL, 1, 1,
		(GUEST_SLP_TYP_S5 << 2) | GUEST_SLP_EN, rip, 1);
	ck_assert_int_eq(run(&f, &o, status), WORKER_EXIT_SHUTDOWN);
	ck_assert_ptr_nonnull(strstr(status, "hvworker: state running\n"));
	ck_assert_ptr_nonnull(strstr(status, "hvworker: state shutdown\n"));
	ck_assert_ptr_nonnull(strstr(status, "hvworker: detail ACPI S5"));
	ck_assert_str_eq(slurp(log), "hello");
	/* All of RAM mapped at GPA 0, every VP created, VP 0 booted at the
	 * kernel's 64-bit entry (load address 16 MiB + 0x200). */
	ck_assert_uint_eq(f.mapped_bytes, 128 << 20);
	ck_assert_uint_eq(f.first_map_gfn, 0);
	ck_assert_uint_eq(f.vps_created, vcpus);
	ck_assert_uint_ge(f.nfirst_regs, 10);
	ck_assert_uint_eq(f.rip_mismatches, 0);
	ck_assert_uint_eq(f.pos, f.nscript);
	/* The APs, blocked in RUN, were kicked out by a signal. */
	ck_assert_uint_ge(f.kicks, vcpus - 1);
	unlink(log);
}
END_TEST

START_TEST(whole_worker_triple_fault)
{
	static char status[4096];
	struct worker_opts o = opts(1, NULL);
	struct fake_vm f;

	fake_init(&f);
	f.script[0].message_type = HVMSG_X64_TRIPLE_FAULT;
	f.script[0].rip = 0x1000200;
	f.nscript = 1;
	ck_assert_int_eq(run(&f, &o, status), WORKER_EXIT_CRASHED);
	ck_assert_ptr_nonnull(strstr(status, "hvworker: state crashed\n"));
	ck_assert_ptr_nonnull(strstr(status, "triple fault"));
}
END_TEST

START_TEST(whole_worker_reboot)
{
	static char status[4096];
	struct worker_opts o = opts(1, NULL);
	struct fake_vm f;

	fake_init(&f);
	fake_io(&f, GUEST_PORT_RESET, 1, 1, GUEST_RESET_VALUE, 0x1000200, 1);
	ck_assert_int_eq(run(&f, &o, status), WORKER_EXIT_REBOOT);
	ck_assert_ptr_nonnull(strstr(status, "hvworker: state reboot\n"));
}
END_TEST

START_TEST(whole_worker_setup_errors)
{
	static char status[4096];
	struct worker_opts o = opts(1, NULL);
	struct fake_vm f;
	char big[3000];

	fake_init(&f);
	o.kernel = "/nonexistent/vmlinuz";
	ck_assert_int_eq(run(&f, &o, status), WORKER_EXIT_ERROR);
	ck_assert_ptr_nonnull(strstr(status, "hvworker: state error\n"));
	ck_assert_ptr_nonnull(strstr(status, "/nonexistent/vmlinuz"));
	ck_assert_uint_eq(f.maps, 0);

	o = opts(1, NULL);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	o.cmdline = big;
	ck_assert_int_eq(run(&f, &o, status), WORKER_EXIT_ERROR);
	ck_assert_ptr_nonnull(strstr(status, "command line"));

	o = opts(1, NULL);
	o.initrd = HVWORKER_TEST_KERNEL;	/* 8 MiB "initrd" in 64 MiB */
	o.memory_mib = 64;
	ck_assert_int_eq(run(&f, &o, status), WORKER_EXIT_ERROR);
	ck_assert_ptr_nonnull(strstr(status, "memory too small"));

	o = opts(1, NULL);
	f.fail_map = -EACCES;
	ck_assert_int_eq(run(&f, &o, status), WORKER_EXIT_ERROR);
	ck_assert_ptr_nonnull(strstr(status, "map memory"));
	ck_assert_uint_eq(f.vps_created, 0);
}
END_TEST

START_TEST(args_disks)
{
	struct worker_opts o;
	char err[256] = "";

	ck_assert_int_eq(PARSE(&o, err, "--name", "a", "--memory", "64", "--vcpus", "1",
			       "--kernel", "/k", "--disk", "/img/a.raw",
			       "--disk", "/img/b.qcow2,format=qcow2,readonly"), 0);
	ck_assert_uint_eq(o.ndisks, 2);
	ck_assert_str_eq(o.disks[0].path, "/img/a.raw");
	ck_assert_int_eq(o.disks[0].format, DISK_FORMAT_RAW);
	ck_assert(!o.disks[0].readonly);
	ck_assert_str_eq(o.disks[1].path, "/img/b.qcow2");
	ck_assert_int_eq(o.disks[1].format, DISK_FORMAT_QCOW2);
	ck_assert(o.disks[1].readonly);
	ck_assert_int_eq(PARSE(&o, err, "--name", "a", "--memory", "64", "--vcpus", "1",
			       "--kernel", "/k", "--disk", "/x,format=vmdk"), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "format=vmdk"));
	ck_assert_int_eq(PARSE(&o, err, "--name", "a", "--memory", "64", "--vcpus", "1",
			       "--kernel", "/k", "--disk", "1", "--disk", "2", "--disk", "3",
			       "--disk", "4", "--disk", "5", "--disk", "6", "--disk", "7",
			       "--disk", "8", "--disk", "9"), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "at most 8"));
}
END_TEST

START_TEST(whole_worker_missing_disk)
{
	static char status[4096];
	struct worker_opts o = opts(1, NULL);
	struct fake_vm f;

	fake_init(&f);
	strcpy(o.disks[0].path, "/nonexistent/disk.raw");
	o.ndisks = 1;
	ck_assert_int_eq(run(&f, &o, status), WORKER_EXIT_ERROR);
	ck_assert_ptr_nonnull(strstr(status, "hvworker: state error\n"));
	ck_assert_ptr_nonnull(strstr(status, "disk: /nonexistent/disk.raw"));
}
END_TEST

START_TEST(whole_worker_console_pty)
{
	static char status[4096];
	struct worker_opts o = opts(1, NULL);
	struct fake_vm f;

	o.console_pty = true;
	fake_init(&f);
	fake_puts(&f, UART_COM1_BASE, "p", 0x1000200);
	fake_io(&f, GUEST_PORT_SLEEP_CTL, 1, 1,
		(GUEST_SLP_TYP_S5 << 2) | GUEST_SLP_EN, 0x1000201, 1);
	ck_assert_int_eq(run(&f, &o, status), WORKER_EXIT_SHUTDOWN);
	ck_assert_ptr_nonnull(strstr(status, "hvworker: console-pty /dev/pts/"));
	/* The pty line comes before the VM runs. */
	ck_assert(strstr(status, "console-pty") < strstr(status, "state running"));
}
END_TEST

static Suite *worker_suite(void)
{
	Suite *s = suite_create("hvworker_worker");
	TCase *tc = tcase_create("worker");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, args_good);
	tcase_add_test(tc, args_required);
	tcase_add_test(tc, args_nics);
	tcase_add_test(tc, args_hostile);
	tcase_add_test(tc, args_disks);
	tcase_add_test(tc, whole_worker_missing_disk);
	tcase_add_loop_test(tc, whole_worker_hello_and_s5, 1, 4);
	tcase_add_test(tc, whole_worker_triple_fault);
	tcase_add_test(tc, whole_worker_reboot);
	tcase_add_test(tc, whole_worker_setup_errors);
	tcase_add_test(tc, whole_worker_console_pty);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(worker_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
