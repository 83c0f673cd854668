// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hvd's mkhv backend (parent/hvd/backend_mkhv.c,
 * mkhv_policy.c, worker_proc.c): real processes, with a fake hvworker
 * (tests/unit/fake_hvworker.c) that speaks the worker's status lines and
 * control channel and ends as its domain's <cmdline> says.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "mkhv_policy.h"
#include "worker_proc.h"
#include "hvd_mkhv_util.h"

static bool alive(pid_t pid)
{
	return kill(pid, 0) == 0;
}

static bool is_off(struct hvd_dom *d, int reason)
{
	return d->state == VIR_DOMAIN_SHUTOFF && d->reason == reason &&
	       d->id == -1;
}

/* ---- policy (no processes) ---- */

static int exited(int code)
{
	return (code & 0xff) << 8;	/* as waitpid() reports exit(code) */
}

START_TEST(policy_every_end_and_action)
{
	struct domain_def def = { .on_poweroff = DOMAIN_LC_DESTROY,
				  .on_reboot = DOMAIN_LC_RESTART,
				  .on_crash = DOMAIN_LC_DESTROY };
	struct mkhv_verdict v;

	v = mkhv_verdict(&def, exited(0));
	ck_assert(!v.restart && v.state == VIR_DOMAIN_SHUTOFF &&
		  v.reason == VIR_DOMAIN_SHUTOFF_SHUTDOWN);
	v = mkhv_verdict(&def, exited(2));
	ck_assert(v.restart && v.end == MKHV_END_REBOOT);
	v = mkhv_verdict(&def, exited(3));
	ck_assert(!v.restart && v.reason == VIR_DOMAIN_SHUTOFF_CRASHED);
	v = mkhv_verdict(&def, SIGKILL);	/* killed: WIFSIGNALED */
	ck_assert(v.end == MKHV_END_CRASH && v.reason == VIR_DOMAIN_SHUTOFF_CRASHED);
	v = mkhv_verdict(&def, exited(1));
	ck_assert(!v.restart && v.reason == VIR_DOMAIN_SHUTOFF_FAILED);
	v = mkhv_verdict(&def, exited(77));	/* unknown code: an error */
	ck_assert(v.end == MKHV_END_ERROR && v.reason == VIR_DOMAIN_SHUTOFF_FAILED);

	def.on_poweroff = DOMAIN_LC_RESTART;
	def.on_reboot = DOMAIN_LC_DESTROY;
	def.on_crash = DOMAIN_LC_PRESERVE;
	ck_assert(mkhv_verdict(&def, exited(0)).restart);
	v = mkhv_verdict(&def, exited(2));
	ck_assert(!v.restart && v.reason == VIR_DOMAIN_SHUTOFF_SHUTDOWN);
	v = mkhv_verdict(&def, SIGSEGV);
	ck_assert(!v.restart && v.state == VIR_DOMAIN_CRASHED &&
		  v.reason == VIR_DOMAIN_CRASHED_PANICKED);
	def.on_crash = DOMAIN_LC_RENAME_RESTART;
	ck_assert(mkhv_verdict(&def, exited(3)).restart);
	/* An error never restarts, whatever the policies say. */
	def.on_crash = def.on_poweroff = def.on_reboot = DOMAIN_LC_RESTART;
	ck_assert(!mkhv_verdict(&def, exited(1)).restart);
}
END_TEST

/* ---- worker command line and status lines (no processes) ---- */

START_TEST(argv_from_definition)
{
	struct domain_def def = {
		.name = "web1", .memory_kib = 262144 + 1, .vcpus = 2,
		.kernel = "/k", .initrd = "/i", .cmdline = "console=ttyS0 quiet",
		.shares = 2048, .period_us = 100000, .quota_us = 50000,
	};
	char *argv[WORKER_ARGV_MAX], store[4096], err[256], all[1024] = "";
	int argc = worker_argv(&def, "/usr/sbin/hvworker", "/log/web1.console",
			       argv, store, sizeof(store), err, sizeof(err));

	ck_assert_int_gt(argc, 0);
	ck_assert_ptr_null(argv[argc]);
	for (int i = 0; i < argc; i++) {
		strcat(all, argv[i]);
		strcat(all, "|");
	}
	ck_assert_str_eq(all, "/usr/sbin/hvworker|--name|web1|--memory|257|"
			 "--vcpus|2|--kernel|/k|--initrd|/i|--cmdline|"
			 "console=ttyS0 quiet|--weight|2048|--cap|500|"
			 "--console-pty|--console-log|/log/web1.console|"
			 "--control-fd|3|");
}
END_TEST

START_TEST(argv_interfaces)
{
	struct domain_net nets[2] = {
		{ .type = DOMAIN_NET_BRIDGE, .source = "br0",
		  .mac = { 0x52, 0x54, 0, 0xab, 0xcd, 0x01 }, .mac_set = true },
		{ .type = DOMAIN_NET_NETWORK, .source = "default" },
	};
	struct domain_def def = { .name = "a", .memory_kib = 65536, .vcpus = 1,
				  .kernel = "/k", .nets = nets, .nnets = 2 };
	char *argv[WORKER_ARGV_MAX], store[4096], err[256], all[1024] = "";
	int argc = worker_argv(&def, "w", "l", argv, store, sizeof(store), err,
			       sizeof(err));

	ck_assert_int_gt(argc, 0);
	for (int i = 0; i < argc; i++) {
		strcat(all, argv[i]);
		strcat(all, "|");
	}
	ck_assert_ptr_nonnull(strstr(all, "|--nic|bridge=br0,mac=52:54:00:ab:cd:01|"
				     "--nic|network=default|"));
}
END_TEST

START_TEST(argv_limits)
{
	struct domain_def def = { .name = "a", .memory_kib = 1024, .vcpus = 2,
				  .kernel = "/k" };
	char *argv[WORKER_ARGV_MAX], store[4096], err[256];

	/* No quota, quota -1, quota without period: no cap. */
	ck_assert_uint_eq(worker_cap_permille(&def), 0);
	def.quota_us = -1;
	def.period_us = 100000;
	ck_assert_uint_eq(worker_cap_permille(&def), 0);
	/* Above what the vCPUs can use: clamped to 1000 per vCPU. */
	def.quota_us = 1000000;
	ck_assert_uint_eq(worker_cap_permille(&def), 2000);
	def.quota_us = 1;	/* rounds to 0: at least 1 */
	ck_assert_uint_eq(worker_cap_permille(&def), 1);
	/* shares beyond hvworker's range are clamped. */
	def.shares = 1000000;
	ck_assert_int_gt(worker_argv(&def, "w", "l", argv, store, sizeof(store),
				     err, sizeof(err)), 0);
	for (int i = 0; argv[i]; i++)
		if (!strcmp(argv[i], "--weight"))
			ck_assert_str_eq(argv[i + 1], "262144");
	/* Too small a store: refused, not overrun. */
	ck_assert_int_eq(worker_argv(&def, "w", "l", argv, store, 20, err,
				     sizeof(err)), -ENOSPC);
	def.kernel = NULL;
	ck_assert_int_eq(worker_argv(&def, "w", "l", argv, store, sizeof(store),
				     err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "no <os><kernel>"));
}
END_TEST

START_TEST(argv_disks)
{
	struct domain_disk disks[9] = {
		{ .type = DOMAIN_DISK_FILE, .format = DOMAIN_DISK_RAW,
		  .source = "/img/a.raw", .target = "sda" },
		{ .type = DOMAIN_DISK_FILE, .format = DOMAIN_DISK_QCOW2,
		  .source = "/img/b.qcow2", .target = "sdb" },
		{ .type = DOMAIN_DISK_BLOCK, .format = DOMAIN_DISK_RAW,
		  .source = "/dev/sdz", .target = "sdc", .readonly = true },
	};
	struct domain_def def = { .name = "a", .memory_kib = 1024, .vcpus = 1,
				  .kernel = "/k", .disks = disks, .ndisks = 3 };
	char *argv[WORKER_ARGV_MAX], store[8192], err[256], all[1024] = "";
	int argc = worker_argv(&def, "w", "l", argv, store, sizeof(store), err,
			       sizeof(err));

	ck_assert_int_gt(argc, 0);
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--disk")) {
			strcat(all, argv[i + 1]);
			strcat(all, "|");
		}
	}
	ck_assert_str_eq(all, "/img/a.raw|/img/b.qcow2,format=qcow2|/dev/sdz,readonly|");
	/* a comma would split the worker's option */
	disks[0].source = "/img/a,b.raw";
	ck_assert_int_eq(worker_argv(&def, "w", "l", argv, store, sizeof(store),
				     err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "commas"));
	disks[0].source = NULL;
	ck_assert_int_eq(worker_argv(&def, "w", "l", argv, store, sizeof(store),
				     err, sizeof(err)), -EINVAL);
	/* the controller has 8 LUNs */
	disks[0].source = "/img/a.raw";
	for (int i = 3; i < 9; i++)
		disks[i] = disks[0];
	def.ndisks = 8;
	ck_assert_int_gt(worker_argv(&def, "w", "l", argv, store, sizeof(store),
				     err, sizeof(err)), 0);
	def.ndisks = 9;
	ck_assert_int_eq(worker_argv(&def, "w", "l", argv, store, sizeof(store),
				     err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "at most 8"));
}
END_TEST

/* The --disk values of @def's worker command line, '|'-separated. */
static void disk_specs(const struct domain_def *def, char *all, size_t len)
{
	char *argv[WORKER_ARGV_MAX], store[8192], err[256];
	int argc = worker_argv(def, "w", "l", argv, store, sizeof(store), err,
			       sizeof(err));

	ck_assert_msg(argc > 0, "%s", err);
	all[0] = '\0';
	for (int i = 0; i + 1 < argc; i++) {
		if (!strcmp(argv[i], "--disk")) {
			strncat(all, argv[i + 1], len - strlen(all) - 1);
			strncat(all, "|", len - strlen(all) - 1);
		}
	}
}

/* <driver cache=...> becomes ,cache=MODE last; "default" or none: no option. */
START_TEST(argv_disk_cache)
{
	static const struct {
		enum domain_disk_cache cache;
		const char *tail;	/* after "PATH,format=qcow2,readonly" */
	} cases[] = {
		{ DOMAIN_DISK_CACHE_DEFAULT, "" },
		{ DOMAIN_DISK_CACHE_NONE, ",cache=none" },
		{ DOMAIN_DISK_CACHE_WRITEBACK, ",cache=writeback" },
		{ DOMAIN_DISK_CACHE_WRITETHROUGH, ",cache=writethrough" },
		{ DOMAIN_DISK_CACHE_DIRECTSYNC, ",cache=directsync" },
		{ DOMAIN_DISK_CACHE_UNSAFE, ",cache=unsafe" },
		/* never seen from the parser; must not reach the worker */
		{ DOMAIN_DISK_CACHE_COUNT, "" },
	};
	struct domain_disk disks[2] = {
		{ .type = DOMAIN_DISK_FILE, .format = DOMAIN_DISK_QCOW2,
		  .source = "/img/a.qcow2", .target = "sda", .readonly = true },
		{ .type = DOMAIN_DISK_FILE, .format = DOMAIN_DISK_RAW,
		  .source = "/img/b.raw", .target = "sdb",
		  .cache = DOMAIN_DISK_CACHE_NONE },
	};
	struct domain_def def = { .name = "a", .memory_kib = 1024, .vcpus = 1,
				  .kernel = "/k", .disks = disks, .ndisks = 1 };
	char all[1024], want[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		disks[0].cache = cases[i].cache;
		disk_specs(&def, all, sizeof(all));
		snprintf(want, sizeof(want), "/img/a.qcow2,format=qcow2,readonly%s|",
			 cases[i].tail);
		ck_assert_str_eq(all, want);
	}
	/* Per disk: the second disk's mode does not leak to the first. */
	disks[0].cache = DOMAIN_DISK_CACHE_DEFAULT;
	def.ndisks = 2;
	disk_specs(&def, all, sizeof(all));
	ck_assert_str_eq(all, "/img/a.qcow2,format=qcow2,readonly|"
			 "/img/b.raw,cache=none|");
}
END_TEST

/* From the XML text to the worker's --disk: what `virsh define` gives. */
START_TEST(argv_disk_cache_from_xml)
{
	static const struct {
		const char *driver;
		const char *spec;
	} cases[] = {
		{ "", "/img/a.raw|" },
		{ "<driver name='qemu' type='raw'/>", "/img/a.raw|" },
		{ "<driver name='qemu' type='raw' cache='default'/>", "/img/a.raw|" },
		{ "<driver name='qemu' type='raw' cache='none'/>",
		  "/img/a.raw,cache=none|" },
		{ "<driver name='qemu' type='qcow2' cache='writethrough'/>",
		  "/img/a.raw,format=qcow2,cache=writethrough|" },
		{ "<driver cache='unsafe'/>", "/img/a.raw,cache=unsafe|" },
		{ "<driver name='qemu' cache='directsync'/>",
		  "/img/a.raw,cache=directsync|" },
		{ "<driver name='qemu' cache='writeback'/>",
		  "/img/a.raw,cache=writeback|" },
	};
	struct domain_def def;
	char xml[1024], err[256], all[1024];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(xml, sizeof(xml),
			 "<domain type='hyperv'><name>c</name><memory>65536</memory>"
			 "<vcpu>1</vcpu><os><type>hvm</type><kernel>/k</kernel></os>"
			 "<devices><disk type='file' device='disk'>%s"
			 "<source file='/img/a.raw'/><target dev='sda'/></disk>"
			 "</devices></domain>", cases[i].driver);
		ck_assert_msg(domain_xml_parse(xml, strlen(xml), &def, err,
					       sizeof(err)) == 0, "%s: %s", xml, err);
		disk_specs(&def, all, sizeof(all));
		ck_assert_msg(!strcmp(all, cases[i].spec), "%s: got %s, want %s",
			      cases[i].driver, all, cases[i].spec);
		domain_def_clear(&def);
	}
}
END_TEST

START_TEST(status_lines_checked)
{
	struct worker_proc w;

	memset(&w, 0, sizeof(w));
	worker_parse_line(&w, "hvworker: partition 12");
	ck_assert_uint_eq(w.partition, 12);
	worker_parse_line(&w, "hvworker: partition 12x");	/* ignored */
	worker_parse_line(&w, "hvworker: partition ");
	ck_assert_uint_eq(w.partition, 12);
	worker_parse_line(&w, "hvworker: console-pty /dev/pts/3");
	ck_assert_str_eq(w.pty, "/dev/pts/3");
	/* hvd opens this path: only /dev/pts/<digits> is believed. */
	worker_parse_line(&w, "hvworker: console-pty /etc/shadow");
	worker_parse_line(&w, "hvworker: console-pty /dev/pts/../../etc/shadow");
	worker_parse_line(&w, "hvworker: console-pty /dev/pts/");
	ck_assert_str_eq(w.pty, "/dev/pts/3");
	worker_parse_line(&w, "hvworker: detail bad\x1b[31m\x7f text");
	ck_assert_str_eq(w.detail, "bad?[31m? text");
	worker_parse_line(&w, "something else: state running");
	ck_assert(!w.running);
	worker_parse_line(&w, "hvworker: state running");
	ck_assert(w.running);
	ck_assert_str_eq(w.state, "running");
}
END_TEST

START_TEST(status_pipe_cuts_long_lines)
{
	struct worker_proc w;
	int p[2];
	char big[3 * WORKER_LINE_MAX];

	memset(&w, 0, sizeof(w));
	ck_assert_int_eq(pipe(p), 0);
	w.out_fd = p[0];
	w.pidfd = w.ctl_fd = -1;
	memcpy(big, "hvworker: detail ", 17);
	memset(big + 17, 'x', sizeof(big) - 17);
	ck_assert_int_eq(write(p[1], big, sizeof(big)), (ssize_t)sizeof(big));
	ck_assert_int_eq(write(p[1], "\nhvworker: partition 5\nhvworker: sta", 36), 36);
	close(p[1]);
	ck_assert_int_eq(worker_read_status(&w), 1);	/* EOF */
	ck_assert_int_eq(w.out_fd, -1);
	ck_assert_uint_eq(strlen(w.detail), 0);		/* the long line was dropped */
	ck_assert_uint_eq(w.partition, 5);
	ck_assert_str_eq(w.state, "");			/* "sta" is not a state */
}
END_TEST

START_TEST(stats_reply_parsing)
{
	uint64_t ns = 0;

	ck_assert_int_eq(worker_parse_stats("stats cpu_time_ns=123 vcpus=2", &ns), 0);
	ck_assert_uint_eq(ns, 123);
	ck_assert_int_eq(worker_parse_stats("stats cpu_time_ns=18446744073709551615", &ns), 0);
	ck_assert_int_eq(worker_parse_stats("stats cpu_time_ns=18446744073709551616", &ns),
			 -EINVAL);
	ck_assert_int_eq(worker_parse_stats("stats cpu_time_ns=-1", &ns), -EINVAL);
	ck_assert_int_eq(worker_parse_stats("stats cpu_time_ns=12abc", &ns), -EINVAL);
	ck_assert_int_eq(worker_parse_stats("error cannot read HvRegisterVpRuntime", &ns),
			 -EINVAL);
	ck_assert_int_eq(worker_parse_stats("stats", &ns), -EINVAL);
}
END_TEST


START_TEST(guest_lines_parsed)
{
	struct worker_proc w;
	char addrs[4][46];

	memset(&w, 0, sizeof(w));
	worker_parse_line(&w, "hvworker: vmbus version 5.3");
	ck_assert_uint_eq(w.guest.vmbus_major, 5);
	ck_assert_uint_eq(w.guest.vmbus_minor, 3);
	worker_parse_line(&w, "hvworker: heartbeat 17 alive");
	ck_assert(w.guest.heartbeat && w.guest.alive_seen && !w.guest.hung);
	ck_assert_uint_eq(w.guest.heartbeat_seq, 17);
	worker_parse_line(&w, "hvworker: kvp FullyQualifiedDomainName web1");
	worker_parse_line(&w, "hvworker: kvp NetworkAddressIPv4 10.0.0.5;10.1.2.3");
	ck_assert(w.guest.kvp);
	ck_assert_str_eq(hvd_guest_kvp(&w.guest, HVD_KVP_FQDN), "web1");
	ck_assert_ptr_null(hvd_guest_kvp(&w.guest, HVD_KVP_OS_NAME));
	ck_assert_uint_eq(hvd_guest_addrs(hvd_guest_kvp(&w.guest, HVD_KVP_IPV4),
					  AF_INET, addrs, 4), 2);
	ck_assert_str_eq(addrs[1], "10.1.2.3");
	/* A later value replaces the earlier one. */
	worker_parse_line(&w, "hvworker: kvp FullyQualifiedDomainName web2");
	ck_assert_str_eq(hvd_guest_kvp(&w.guest, HVD_KVP_FQDN), "web2");
	ck_assert(!w.hung_event);
}
END_TEST

START_TEST(guest_lines_hostile)
{
	struct hvd_guest g;
	char addrs[HVD_GUEST_ADDRS_MAX][46], list[2048] = "";

	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(hvd_guest_status_line(&g, "heartbeat x alive"), -EINVAL);
	ck_assert_int_eq(hvd_guest_status_line(&g, "heartbeat 1 dead"), -EINVAL);
	ck_assert_int_eq(hvd_guest_status_line(&g, "heartbeat -1 alive"), -EINVAL);
	ck_assert_int_eq(hvd_guest_status_line(&g, "heartbeat 99999999999999999999 alive"),
			 -EINVAL);
	ck_assert_int_eq(hvd_guest_status_line(&g, "heartbeat 1 alive "), -EINVAL);
	ck_assert(!g.heartbeat);
	ck_assert_int_eq(hvd_guest_status_line(&g, "vmbus version 5"), -EINVAL);
	ck_assert_int_eq(hvd_guest_status_line(&g, "vmbus version 70000.1"), -EINVAL);
	ck_assert_int_eq(hvd_guest_status_line(&g, "vmbus version 5.3x"), -EINVAL);
	ck_assert_uint_eq(g.vmbus_major, 0);
	ck_assert_int_eq(hvd_guest_status_line(&g, "kvp NoSpace"), -EINVAL);
	ck_assert_int_eq(hvd_guest_status_line(&g, "kvp  value"), -EINVAL);
	/* Keys hvd does not use are ignored, not stored. */
	ck_assert_int_eq(hvd_guest_status_line(&g, "kvp Password hunter2"), 0);
	ck_assert(!g.kvp);
	/* Control bytes from the guest never reach virsh. */
	ck_assert_int_eq(hvd_guest_status_line(&g, "kvp OSName A\x1b[2J\x7f" "B"), 1);
	ck_assert_str_eq(hvd_guest_kvp(&g, HVD_KVP_OS_NAME), "A?[2J?B");
	/* Addresses: only what inet_pton takes, canonical, bounded. */
	ck_assert_uint_eq(hvd_guest_addrs("1.2.3.4;;1.2.3;999.1.1.1;::1;;5.6.7.8",
					  AF_INET, addrs, 8), 2);
	ck_assert_str_eq(addrs[1], "5.6.7.8");
	ck_assert_uint_eq(hvd_guest_addrs("1.2.3.4;FE80::0:1", AF_INET6, addrs, 8), 1);
	ck_assert_str_eq(addrs[0], "fe80::1");
	ck_assert_uint_eq(hvd_guest_addrs(NULL, AF_INET, addrs, 8), 0);
	for (int i = 0; i < 100; i++)
		strcat(list, "10.0.0.1;");
	ck_assert_uint_eq(hvd_guest_addrs(list, AF_INET, addrs, HVD_GUEST_ADDRS_MAX),
			  HVD_GUEST_ADDRS_MAX);
}
END_TEST

START_TEST(hung_only_after_alive)
{
	struct worker_proc w;
	struct domain_def d = { .on_crash = DOMAIN_LC_DESTROY };

	memset(&w, 0, sizeof(w));
	/* Never answered (no hv_utils): hung lines are no event. */
	worker_parse_line(&w, "hvworker: heartbeat 0 hung");
	ck_assert(w.guest.hung && !w.hung_event);
	worker_parse_line(&w, "hvworker: heartbeat 3 alive");
	ck_assert(!w.guest.hung && !w.hung_event);
	worker_parse_line(&w, "hvworker: heartbeat 3 hung");
	ck_assert(w.hung_event);
	/* Once per episode. */
	w.hung_event = false;
	worker_parse_line(&w, "hvworker: heartbeat 3 hung");
	ck_assert(!w.hung_event);
	worker_parse_line(&w, "hvworker: heartbeat 4 alive");
	worker_parse_line(&w, "hvworker: heartbeat 4 hung");
	ck_assert(w.hung_event);
	ck_assert_int_eq(mkhv_hung_action(&d), MKHV_HUNG_KILL);
	d.on_crash = DOMAIN_LC_RESTART;
	ck_assert_int_eq(mkhv_hung_action(&d), MKHV_HUNG_KILL);
	d.on_crash = DOMAIN_LC_PRESERVE;
	ck_assert_int_eq(mkhv_hung_action(&d), MKHV_HUNG_LOG);
}
END_TEST

/* ---- lifecycle with the fake worker ---- */

START_TEST(start_runs_worker_with_its_arguments)
{
	struct hvd_dom *d = mk_start("c1", "console=ttyS0", NULL);
	char path[1024], argv[2048] = "";
	FILE *f;
	size_t n;

	ck_assert_int_eq(d->state, VIR_DOMAIN_RUNNING);
	ck_assert_int_eq(d->reason, VIR_DOMAIN_RUNNING_BOOTED);
	ck_assert_int_gt(d->id, 0);
	ck_assert(alive(mk_last_pid("c1")));
	snprintf(path, sizeof(path), "%s/c1.console.argv", log_dir);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(argv, 1, sizeof(argv) - 1, f);
	argv[n] = '\0';
	fclose(f);
	ck_assert_ptr_nonnull(strstr(argv, "--name\nc1\n--memory\n256\n--vcpus\n1\n"));
	ck_assert_ptr_nonnull(strstr(argv, "--console-pty\n--console-log\n"));
	ck_assert_ptr_nonnull(strstr(argv, "/logs/c1.console\n--control-fd\n3\n"));
	/* stderr went to <log_dir>/c1.log. */
	snprintf(path, sizeof(path), "%s/c1.log", log_dir);
	ck_assert_int_eq(access(path, F_OK), 0);
}
END_TEST

START_TEST(serial_file_is_console_log)
{
	char xml[2048], path[600];
	struct hvd_dom *d;
	struct hvd_err err;

	snprintf(path, sizeof(path), "%s/serial.log", dir);
	/* mk_define adds its own <devices>: this one is written out. */
	snprintf(xml, sizeof(xml),
		 "<domain type='hyperv'><name>s1</name>"
		 "<memory unit='MiB'>64</memory><vcpu>1</vcpu>"
		 "<os><type arch='x86_64'>hvm</type><kernel>/k</kernel></os>"
		 "<devices><serial type='file'><source path='%s'/></serial>"
		 "</devices></domain>", path);
	ck_assert_int_eq(hvd_define(&h, xml, strlen(xml), 0, &d, &err), 0);
	mk_start_dom(d);
	strcat(path, ".argv");	/* the fake records next to its console log */
	ck_assert_int_eq(access(path, F_OK), 0);
}
END_TEST

START_TEST(start_failure_gives_worker_detail)
{
	struct hvd_dom *d = mk_define("bad", "fake-fail", NULL);

	ck_assert_str_eq(mk_start_fails(d), "operation failed: boot: fake failure");
	ck_assert_int_eq(start_err.code, VIR_ERR_OPERATION_FAILED);
	ck_assert_uint_eq(loop_count(), 0);
	ck_assert(!alive(mk_last_pid("bad")));	/* reaped, not a zombie */
	/* It can be started again (and fails the same way). */
	mk_start_fails(d);
	ck_assert_int_eq(mk_starts("bad"), 2);
}
END_TEST

START_TEST(start_does_not_block_hvd)
{
	struct hvd_dom *slow = mk_define("slow", "fake-hang", NULL);
	struct hvd_err err;

	ck_assert_int_eq(hvd_start(&h, slow, 0, &err), 1);
	/* Meanwhile hvd goes on: another domain starts and runs. */
	mk_start("quick", "x", NULL);
	ck_assert(slow->starting);
	ck_assert_int_eq(hvd_start(&h, slow, 0, &err), -1);
	ck_assert_str_eq(err.msg, "Requested operation is not valid: domain is already starting");
	ck_assert_int_eq(hvd_shutdown(&h, slow, 0, &err), -1);
	ck_assert_str_eq(err.msg, "Requested operation is not valid: domain is starting");
	/* The fake worker has written its pid (a loaded machine is slow). */
	for (int i = 0; i < 500 && mk_starts("slow") == 0; i++)
		usleep(10000);
	/* destroy ends the start: its request fails, the worker is gone. */
	ck_assert_int_eq(hvd_destroy(&h, slow, 0, &err), 0);
	ck_assert(!slow->starting);
	ck_assert(is_off(slow, VIR_DOMAIN_SHUTOFF_DESTROYED));
	ck_assert_str_eq(start_err.msg, "operation failed: domain 'slow' was "
			 "destroyed while starting");
	ck_assert(!alive(mk_last_pid("slow")));
}
END_TEST

START_TEST(undefined_while_starting_goes_at_failure)
{
	struct hvd_dom *d = mk_define("gone", "fake-fail", NULL);
	struct hvd_err err;

	ck_assert_int_eq(hvd_start(&h, d, 0, &err), 1);
	ck_assert_int_eq(hvd_undefine(&h, d, 0, &err), 0);
	ck_assert_ptr_eq(hvd_by_name(&h, "gone"), d);	/* transient now */
	ck_assert(PUMP_UNTIL(!hvd_by_name(&h, "gone"), 3000));
	ck_assert_int_eq(starts_failed, 1);
}
END_TEST

/* Start over with another worker path or start timeout. */
static void mk_reopen(const char *worker, int timeout_ms)
{
	mk_teardown();
	mk_open(worker, timeout_ms);
}

START_TEST(start_timeout_kills_worker)
{
	struct hvd_dom *d;

	mk_reopen(FAKE_HVWORKER, 300);
	d = mk_define("slow", "fake-hang", NULL);
	ck_assert_ptr_nonnull(strstr(mk_start_fails(d), "did not start within"));
	ck_assert(!alive(mk_last_pid("slow")));
}
END_TEST

START_TEST(exec_failure_is_start_failure)
{
	struct hvd_dom *d;

	mk_reopen("/tmp", 1000);	/* passes access(X_OK), cannot be executed */
	d = mk_define("noexec", "x", NULL);
	ck_assert_ptr_nonnull(strstr(mk_start_fails(d),
				     "cannot run /tmp: Permission denied"));
}
END_TEST

START_TEST(poweroff_destroy_and_restart)
{
	struct hvd_dom *a = mk_start("a", "fake-exit=0@50", NULL);
	struct hvd_dom *b = mk_start("b", "fake-exit=0@50",
				     "<on_poweroff>restart</on_poweroff>");

	ck_assert(PUMP_UNTIL(is_off(a, VIR_DOMAIN_SHUTOFF_SHUTDOWN), 3000));
	ck_assert(PUMP_UNTIL(mk_starts("b") >= 3, 3000));
	ck_assert_int_eq(b->state, VIR_DOMAIN_RUNNING);
	ck_assert_int_gt(b->id, 0);
	ck_assert_int_eq(mk_starts("a"), 1);
}
END_TEST

START_TEST(reboot_restarts_or_stops)
{
	struct hvd_dom *a = mk_start("a", "fake-exit=2@50", NULL);
	struct hvd_dom *b = mk_start("b", "fake-exit=2@50",
				     "<on_reboot>destroy</on_reboot>");
	int id = a->id;

	ck_assert(PUMP_UNTIL(mk_starts("a") >= 2, 3000));
	ck_assert_int_eq(a->state, VIR_DOMAIN_RUNNING);
	ck_assert_int_eq(a->id, id);	/* a reboot keeps the id */
	ck_assert(PUMP_UNTIL(is_off(b, VIR_DOMAIN_SHUTOFF_SHUTDOWN), 3000));
}
END_TEST

START_TEST(crash_destroy_restart_preserve)
{
	struct hvd_dom *a = mk_start("a", "fake-exit=3@50", NULL);
	struct hvd_dom *b = mk_start("b", "fake-exit=3@50",
				     "<on_crash>restart</on_crash>");
	struct hvd_dom *c = mk_start("c", "fake-exit=3@50",
				     "<on_crash>preserve</on_crash>");
	struct hvd_err err;

	ck_assert(PUMP_UNTIL(is_off(a, VIR_DOMAIN_SHUTOFF_CRASHED), 3000));
	ck_assert(PUMP_UNTIL(mk_starts("b") >= 2, 3000));
	ck_assert_int_eq(b->state, VIR_DOMAIN_RUNNING);
	ck_assert(PUMP_UNTIL(c->state == VIR_DOMAIN_CRASHED, 3000));
	ck_assert_int_eq(c->reason, VIR_DOMAIN_CRASHED_PANICKED);
	ck_assert_int_gt(c->id, 0);	/* kept active until destroyed */
	ck_assert_int_eq(hvd_shutdown(&h, c, 0, &err), -1);
	ck_assert_int_eq(err.code, VIR_ERR_OPERATION_INVALID);
	ck_assert_int_eq(hvd_destroy(&h, c, 0, &err), 0);
	ck_assert(is_off(c, VIR_DOMAIN_SHUTOFF_DESTROYED));
}
END_TEST

START_TEST(killed_worker_is_a_crash_hvd_lives_on)
{
	struct hvd_dom *a = mk_start("a", "x", NULL);
	struct hvd_dom *b = mk_start("b", "x", "<on_crash>restart</on_crash>");
	struct hvd_dom *c = mk_start("c", "fake-signal=11@50", NULL);
	struct hvd_dom *other = mk_start("other", "x", NULL);
	pid_t pa = mk_last_pid("a");

	ck_assert_int_eq(kill(pa, SIGKILL), 0);
	ck_assert_int_eq(kill(mk_last_pid("b"), SIGKILL), 0);
	ck_assert(PUMP_UNTIL(is_off(a, VIR_DOMAIN_SHUTOFF_CRASHED), 3000));
	ck_assert(PUMP_UNTIL(mk_starts("b") == 2, 3000));
	ck_assert_int_eq(b->state, VIR_DOMAIN_RUNNING);
	ck_assert(PUMP_UNTIL(is_off(c, VIR_DOMAIN_SHUTOFF_CRASHED), 3000));
	ck_assert(!alive(pa));		/* reaped */
	ck_assert(alive(mk_last_pid("other")));
	ck_assert_int_eq(other->state, VIR_DOMAIN_RUNNING);
}
END_TEST

START_TEST(worker_error_is_failed)
{
	struct hvd_dom *a = mk_start("a", "fake-exit=1@50",
				     "<on_crash>restart</on_crash>");

	ck_assert(PUMP_UNTIL(is_off(a, VIR_DOMAIN_SHUTOFF_FAILED), 3000));
	ck_assert_int_eq(mk_starts("a"), 1);
}
END_TEST

START_TEST(destroy_kills_and_reaps)
{
	struct hvd_dom *a = mk_start("a", "x", NULL);
	pid_t pid = mk_last_pid("a");
	struct hvd_err err;

	ck_assert_int_eq(hvd_destroy(&h, a, 0, &err), 0);
	ck_assert(is_off(a, VIR_DOMAIN_SHUTOFF_DESTROYED));
	ck_assert(!alive(pid));
	ck_assert_int_eq(waitpid(pid, NULL, WNOHANG), -1);	/* reaped */
	ck_assert_uint_eq(loop_count(), 0);
	ck_assert_int_eq(hvd_destroy(&h, a, 0, &err), -1);
	ck_assert_int_eq(err.code, VIR_ERR_OPERATION_INVALID);
	/* Start again after destroy. */
	mk_start_dom(a);
}
END_TEST

START_TEST(graceful_needs_guest_service)
{
	struct hvd_dom *a = mk_start("a", "x", NULL);
	struct hvd_err err;

	ck_assert_int_eq(hvd_shutdown(&h, a, 0, &err), -1);
	ck_assert_int_eq(err.code, VIR_ERR_OPERATION_UNSUPPORTED);
	ck_assert_str_eq(err.msg, "Operation not supported: graceful shutdown "
			 "needs the guest's VMBus shutdown service");
	ck_assert_int_eq(hvd_reboot(&h, a, 0, &err), -1);
	ck_assert_int_eq(err.code, VIR_ERR_OPERATION_UNSUPPORTED);
	ck_assert_int_eq(a->state, VIR_DOMAIN_RUNNING);
	/* destroy always works. */
	ck_assert_int_eq(hvd_destroy(&h, a, 0, &err), 0);
}
END_TEST

START_TEST(graceful_when_worker_supports_it)
{
	struct hvd_dom *a = mk_start("a", "fake-graceful", NULL);
	struct hvd_err err;

	ck_assert_int_eq(hvd_reboot(&h, a, 0, &err), 0);
	ck_assert(PUMP_UNTIL(mk_starts("a") == 2, 3000));
	ck_assert_int_eq(a->state, VIR_DOMAIN_RUNNING);
	/* Refused ("not running") until the new worker reports running. */
	ck_assert(PUMP_UNTIL(hvd_shutdown(&h, a, 0, &err) == 0, 3000));
	ck_assert(PUMP_UNTIL(is_off(a, VIR_DOMAIN_SHUTOFF_SHUTDOWN), 3000));
}
END_TEST

START_TEST(stats_give_cpu_time)
{
	struct hvd_dom *a = mk_start("a", "x", NULL);
	struct hvd_dom *b = mk_start("b", "fake-nostats", NULL);
	uint64_t t1;

	be.ops->update(&be, a);
	t1 = a->cpu_time_ns;
	ck_assert_uint_gt(t1, 0);
	be.ops->update(&be, a);
	ck_assert_uint_gt(a->cpu_time_ns, t1);
	be.ops->update(&be, b);		/* an error: stays 0, logged once */
	be.ops->update(&be, b);
	ck_assert_uint_eq(b->cpu_time_ns, 0);
	ck_assert_int_eq(b->state, VIR_DOMAIN_RUNNING);
}
END_TEST

START_TEST(counters_reply_parsing)
{
	static const char *const keys[] = { "a", "bb", "c" };
	static const char *const bad[] = {
		"cnt a=1 bb=2",			/* a field missing */
		"cnt a=1 bb=2 c=3 d=4",		/* one too many */
		"cnt a=1 c=3 bb=2",		/* out of order */
		"cnt a=1 bb=2 c=-3", "cnt a=1 bb=2 c=", "cnt a=1 bb=2 c=3x",
		"cnt a=1 bb=2 c=18446744073709551616",
		"cnt  a=1 bb=2 c=3", "cnt a=1 bb=2 c=3 ", "cnta=1 bb=2 c=3",
		"other a=1 bb=2 c=3", "error no disk 0", "",
	};
	uint64_t v[3];

	ck_assert_int_eq(worker_parse_counters("cnt a=1 bb=18446744073709551615 c=0",
					       "cnt", keys, 3, v), 0);
	ck_assert_uint_eq(v[0], 1);
	ck_assert_uint_eq(v[1], UINT64_MAX);
	ck_assert_uint_eq(v[2], 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(worker_parse_counters(bad[i], "cnt", keys, 3, v) == -EINVAL,
			      "accepted '%s'", bad[i]);
}
END_TEST

START_TEST(nic_lines_give_taps)
{
	struct worker_proc w;

	memset(&w, 0, sizeof(w));
	worker_parse_line(&w, "hvworker: nic 0 52:54:00:00:00:01 tap mkhvtap3 bridge br0");
	worker_parse_line(&w, "hvworker: nic 31 52:54:00:00:00:02 tap mkhvtap4 bridge virbr0");
	ck_assert_str_eq(w.tap[0], "mkhvtap3");
	ck_assert_str_eq(w.tap[31], "mkhvtap4");
	/* hostile or malformed: nothing changes */
	worker_parse_line(&w, "hvworker: nic 32 52:54:00:00:00:02 tap mkhvtap5 bridge br0");
	worker_parse_line(&w, "hvworker: nic 0 52:54:00:00:00:01 tap ../../etc bridge br0");
	worker_parse_line(&w, "hvworker: nic 0 52:54:00:00:00:01 tap a;b bridge br0");
	worker_parse_line(&w, "hvworker: nic 0 52:54:00:00:00:01 tap aaaaaaaaaaaaaaaaaaaa bridge br0");
	worker_parse_line(&w, "hvworker: nic -1 52:54:00:00:00:01 tap x bridge br0");
	worker_parse_line(&w, "hvworker: nic 1 error no tap");
	ck_assert_str_eq(w.tap[0], "mkhvtap3");
	ck_assert_str_eq(w.tap[1], "");
}
END_TEST

/* Two disks and three NICs: the worker's counters per device. */
START_TEST(device_counters_from_worker)
{
	char dev[1024];
	struct hvd_dom *d, *bad;
	struct hvd_blk_stats b;
	struct hvd_if_stats n;
	struct hvd_err err;

	snprintf(dev, sizeof(dev),
		 "<disk type='file' device='disk'><source file='%s/a.img'/>"
		 "<target dev='sda' bus='scsi'/></disk>"
		 "<disk type='file' device='disk'><source file='%s/b.img'/>"
		 "<target dev='sdb' bus='scsi'/></disk>"
		 "<interface type='bridge'><source bridge='br0'/></interface>"
		 "<interface type='bridge'><source bridge='br0'/></interface>"
		 "<interface type='bridge'><source bridge='br0'/></interface>",
		 dir, dir);
	d = mk_start_dom(mk_define_dev("io", "x", NULL, dev));
	ck_assert_int_eq(be.ops->blk_stats(&be, d, 1, &b, &err), 0);
	ck_assert_uint_eq(b.rd_req, 2001);
	ck_assert_uint_eq(b.rd_bytes, 2002);
	ck_assert_uint_eq(b.wr_req, 2003);
	ck_assert_uint_eq(b.wr_bytes, 2004);
	ck_assert_uint_eq(b.fl_req, 2005);
	ck_assert_uint_eq(b.errs, 2006);
	ck_assert_int_eq(be.ops->if_stats(&be, d, 2, &n, &err), 0);
	ck_assert_uint_eq(n.rx_bytes, 3001);
	ck_assert_uint_eq(n.tx_drop, 3008);
	ck_assert_str_eq(n.ifname, "faketap2");
	/* the worker's own error, passed on */
	ck_assert_int_ne(be.ops->if_stats(&be, d, 1, &n, &err), 0);
	ck_assert_int_eq(err.code, VIR_ERR_OPERATION_FAILED);
	ck_assert_str_eq(err.msg, "operation failed: no nic 1");
	ck_assert_int_ne(be.ops->blk_stats(&be, d, 2, &b, &err), 0);
	ck_assert_str_eq(err.msg, "operation failed: no disk 2");
	/* a malformed answer is an error naming it */
	bad = mk_start_dom(mk_define_dev("bad", "fake-badstats", NULL, dev));
	ck_assert_int_ne(be.ops->blk_stats(&be, bad, 0, &b, &err), 0);
	ck_assert_int_eq(err.code, VIR_ERR_OPERATION_FAILED);
	ck_assert_str_eq(err.msg, "operation failed: hvworker of domain 'bad' "
			 "answered blkstats 0 with 'blkstats rd_req=1001 rd_bytes=1002'");
}
END_TEST

START_TEST(transient_domain_goes_when_worker_ends)
{
	struct hvd_dom *a = mk_start("gone", "fake-exit=0@200", NULL);
	struct hvd_err err;

	ck_assert_int_eq(hvd_undefine(&h, a, 0, &err), 0);
	ck_assert_ptr_eq(hvd_by_name(&h, "gone"), a);	/* still running */
	ck_assert(PUMP_UNTIL(!hvd_by_name(&h, "gone"), 3000));
	ck_assert_uint_eq(loop_count(), 0);
}
END_TEST

START_TEST(close_kills_every_worker)
{
	pid_t pa, pb;

	mk_start("a", "x", NULL);
	mk_start("b", "x", NULL);
	pa = mk_last_pid("a");
	pb = mk_last_pid("b");
	backend_close(&be);
	ck_assert(!alive(pa) && !alive(pb));
	be.ops = NULL;
}
END_TEST


START_TEST(guest_reports_reach_backend)
{
	struct hvd_dom *a = mk_start("a", "fake-guest", NULL);
	struct hvd_dom *b = mk_start("b", "x", NULL);
	struct hvd_guest g;
	struct hvd_err err;
	uint64_t seq;

	ck_assert(PUMP_UNTIL(!be.ops->guest(&be, a, &g, &err) && g.kvp &&
			     g.heartbeat, 3000));
	ck_assert_str_eq(hvd_guest_kvp(&g, HVD_KVP_FQDN), "fake1");
	ck_assert_uint_eq(g.vmbus_major, 5);
	seq = g.heartbeat_seq;
	/* The heartbeat advances. */
	ck_assert(PUMP_UNTIL(!be.ops->guest(&be, a, &g, &err) &&
			     g.heartbeat_seq >= seq + 2, 3000));
	/* A guest without integration services says nothing. */
	ck_assert_int_eq(be.ops->guest(&be, b, &g, &err), 0);
	ck_assert(!g.kvp && !g.heartbeat);
	ck_assert_int_eq(hvd_destroy(&h, a, 0, &err), 0);
	ck_assert_int_eq(be.ops->guest(&be, a, &g, &err), -1);
	ck_assert_int_eq(err.code, VIR_ERR_OPERATION_INVALID);
}
END_TEST

START_TEST(sync_time_through_worker)
{
	struct hvd_dom *a = mk_start("a", "fake-guest", NULL);
	struct hvd_dom *b = mk_start("b", "x", NULL);
	struct hvd_err err;
	char path[1024];

	ck_assert_int_eq(be.ops->sync_time(&be, a, &err), 0);
	snprintf(path, sizeof(path), "%s/a.console.timesync", log_dir);
	ck_assert_int_eq(access(path, F_OK), 0);
	ck_assert_int_eq(be.ops->sync_time(&be, b, &err), -1);
	ck_assert_int_eq(err.code, VIR_ERR_OPERATION_UNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(err.msg, "time synchronization"));
}
END_TEST

START_TEST(hung_guest_gets_on_crash)
{
	struct hvd_dom *a = mk_start("a", "fake-hung=300", NULL);
	struct hvd_dom *b = mk_start("b", "fake-hung=300",
				     "<on_crash>restart</on_crash>");
	struct hvd_dom *c = mk_start("c", "fake-hung=300",
				     "<on_crash>preserve</on_crash>");
	pid_t pc = mk_last_pid("c");

	ck_assert(PUMP_UNTIL(is_off(a, VIR_DOMAIN_SHUTOFF_CRASHED), 3000));
	ck_assert(PUMP_UNTIL(mk_starts("b") >= 2, 3000));
	ck_assert_int_eq(b->state, VIR_DOMAIN_RUNNING);
	/* preserve: left running as it is, for analysis. */
	PUMP_UNTIL(false, 700);
	ck_assert_int_eq(c->state, VIR_DOMAIN_RUNNING);
	ck_assert(alive(pc));
	ck_assert_int_eq(mk_starts("c"), 1);
}
END_TEST

START_TEST(never_alive_guest_is_never_killed)
{
	struct hvd_dom *a = mk_start("a", "fake-hung-only=50",
				     "<on_crash>destroy</on_crash>");
	struct hvd_guest g;
	struct hvd_err err;

	PUMP_UNTIL(false, 800);
	ck_assert_int_eq(a->state, VIR_DOMAIN_RUNNING);
	ck_assert(alive(mk_last_pid("a")));
	ck_assert_int_eq(be.ops->guest(&be, a, &g, &err), 0);
	ck_assert(g.hung && !g.alive_seen);
}
END_TEST

static Suite *mkhv_suite(void)
{
	Suite *s = suite_create("hvd_mkhv");
	TCase *pure = tcase_create("policy");
	TCase *life = tcase_create("lifecycle");

	tcase_add_test(pure, policy_every_end_and_action);
	tcase_add_test(pure, argv_from_definition);
	tcase_add_test(pure, argv_interfaces);
	tcase_add_test(pure, argv_limits);
	tcase_add_test(pure, argv_disks);
	tcase_add_test(pure, argv_disk_cache);
	tcase_add_test(pure, argv_disk_cache_from_xml);
	tcase_add_test(pure, status_lines_checked);
	tcase_add_test(pure, status_pipe_cuts_long_lines);
	tcase_add_test(pure, stats_reply_parsing);
	tcase_add_test(pure, counters_reply_parsing);
	tcase_add_test(pure, nic_lines_give_taps);
	tcase_add_test(pure, guest_lines_parsed);
	tcase_add_test(pure, guest_lines_hostile);
	tcase_add_test(pure, hung_only_after_alive);
	suite_add_tcase(s, pure);

	tcase_add_checked_fixture(life, mk_setup, mk_teardown);
	tcase_set_timeout(life, 20);
	tcase_add_test(life, start_runs_worker_with_its_arguments);
	tcase_add_test(life, serial_file_is_console_log);
	tcase_add_test(life, start_failure_gives_worker_detail);
	tcase_add_test(life, start_does_not_block_hvd);
	tcase_add_test(life, undefined_while_starting_goes_at_failure);
	tcase_add_test(life, start_timeout_kills_worker);
	tcase_add_test(life, exec_failure_is_start_failure);
	tcase_add_test(life, poweroff_destroy_and_restart);
	tcase_add_test(life, reboot_restarts_or_stops);
	tcase_add_test(life, crash_destroy_restart_preserve);
	tcase_add_test(life, killed_worker_is_a_crash_hvd_lives_on);
	tcase_add_test(life, worker_error_is_failed);
	tcase_add_test(life, destroy_kills_and_reaps);
	tcase_add_test(life, graceful_needs_guest_service);
	tcase_add_test(life, graceful_when_worker_supports_it);
	tcase_add_test(life, stats_give_cpu_time);
	tcase_add_test(life, device_counters_from_worker);
	tcase_add_test(life, transient_domain_goes_when_worker_ends);
	tcase_add_test(life, close_kills_every_worker);
	tcase_add_test(life, guest_reports_reach_backend);
	tcase_add_test(life, sync_time_through_worker);
	tcase_add_test(life, hung_guest_gets_on_crash);
	tcase_add_test(life, never_alive_guest_is_never_killed);
	suite_add_tcase(s, life);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(mkhv_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
