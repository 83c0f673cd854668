// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for hvd's state directory (parent/hvd/state.c) and the domain
 * table that persists through it (parent/hvd/domains.c): atomic writes,
 * reload, corrupt files, autostart, and a kill-at-any-instant check.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "backend.h"
#include "hvd.h"
#include "state.h"
#include "hvd_test_util.h"

static char *dir;
static struct backend be;
static int nreports;

static void count_report(const char *msg)
{
	(void)msg;
	nreports++;
}

static void setup(void)
{
	struct hvd_err err;

	dir = test_tmpdir();
	ck_assert_ptr_nonnull(dir);
	ck_assert_int_eq(backend_open("test", &be, &err), 0);
	nreports = 0;
}

static void teardown(void)
{
	test_rmdir(dir);
	free(dir);
}

static void write_file(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static char *read_back(const char *name)
{
	static char buf[8192];
	char path[512];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int count_entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static bool exists(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static void open_hvd(struct hvd *h)
{
	struct hvd_err err;

	ck_assert_int_eq(hvd_init(h, dir, &be, &err), 0);
}

static struct hvd_dom *define(struct hvd *h, const char *name)
{
	const char *xml = test_xml(name);
	struct hvd_dom *d = NULL;
	struct hvd_err err;

	if (hvd_define(h, xml, strlen(xml), 0, &d, &err))
		ck_abort_msg("define %s: %s", name, err.msg);
	return d;
}

/* ---- state.c ---- */

START_TEST(save_writes_file_without_temp)
{
	ck_assert_int_eq(state_save(dir, "web1", "<a/>", 4), 0);
	ck_assert_str_eq(read_back("web1.xml"), "<a/>");
	ck_assert(!exists(".web1.xml.tmp"));
	ck_assert_int_eq(state_save(dir, "web1", "<bb/>", 5), 0);
	ck_assert_str_eq(read_back("web1.xml"), "<bb/>");
	ck_assert_int_eq(count_entries(), 1);
}
END_TEST

START_TEST(file_is_private)
{
	char path[512];
	struct stat st;

	ck_assert_int_eq(state_save(dir, "web1", "<a/>", 4), 0);
	snprintf(path, sizeof(path), "%s/web1.xml", dir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0077, 0);
}
END_TEST

START_TEST(unsafe_names_refused)
{
	char longname[80];

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ck_assert(!state_name_ok(""));
	ck_assert(!state_name_ok("../etc/passwd"));
	ck_assert(!state_name_ok("a/b"));
	ck_assert(!state_name_ok(".hidden"));
	ck_assert(!state_name_ok(longname));
	ck_assert(state_name_ok("web-1.example_2"));
	ck_assert_int_eq(state_save(dir, "../x", "<a/>", 4), -EINVAL);
	ck_assert_int_eq(count_entries(), 0);
}
END_TEST

START_TEST(remove_deletes_marker_too)
{
	ck_assert_int_eq(state_save(dir, "web1", "<a/>", 4), 0);
	ck_assert_int_eq(state_set_autostart(dir, "web1", true), 0);
	ck_assert(state_get_autostart(dir, "web1"));
	ck_assert_int_eq(state_remove(dir, "web1"), 0);
	ck_assert_int_eq(count_entries(), 0);
	ck_assert_int_eq(state_remove(dir, "web1"), 0);  /* idempotent */
}
END_TEST

static int accept_all(void *opaque, const char *name, const char *xml,
		      size_t len, char *msg, size_t msglen)
{
	int *n = opaque;

	(void)name;
	(void)msglen;
	if (strncmp(xml, "<ok", 3) || len < 3) {
		snprintf(msg, msglen, "bad");
		return -EINVAL;
	}
	(*n)++;
	return 0;
}

START_TEST(load_skips_temp_and_reports_bad)
{
	int n = 0;

	write_file("a.xml", "<ok/>");
	write_file("b.xml", "garbage");
	write_file(".c.xml.tmp", "<ok/>");
	write_file("notes.txt", "<ok/>");
	ck_assert_int_eq(state_load(dir, accept_all, &n, count_report), 1);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(nreports, 1);
	ck_assert(!exists(".c.xml.tmp"));  /* crash leftovers are removed */
}
END_TEST

START_TEST(load_missing_dir_is_error)
{
	int n = 0;

	ck_assert_int_lt(state_load("/nonexistent/hvd-test", accept_all, &n, NULL), 0);
}
END_TEST

/* A writer killed at a random instant leaves the old or the new file. */
START_TEST(kill_during_save_never_tears)
{
	static char a[4096], b[4096];
	unsigned int seed = 42;
	int round;

	memset(a, 'A', sizeof(a) - 1);
	memset(b, 'B', sizeof(b) - 1);
	ck_assert_int_eq(state_save(dir, "web1", a, strlen(a)), 0);
	for (round = 0; round < 20; round++) {
		pid_t pid = fork();
		char *got;

		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			for (int i = 0;; i++)
				state_save(dir, "web1", i % 2 ? a : b, strlen(a));
		}
		usleep(1000 + rand_r(&seed) % 20000);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		got = read_back("web1.xml");
		ck_assert_ptr_nonnull(got);
		ck_assert(!strcmp(got, a) || !strcmp(got, b));
	}
}
END_TEST

/* ---- domains.c over the state dir ---- */

START_TEST(define_survives_restart)
{
	uint8_t uuid[DOMAIN_UUID_LEN];
	struct hvd h;
	struct hvd_dom *d;

	open_hvd(&h);
	d = define(&h, "web1");
	memcpy(uuid, d->def.uuid, sizeof(uuid));
	ck_assert(exists("web1.xml"));
	hvd_fini(&h);

	open_hvd(&h);
	ck_assert_int_eq(hvd_load(&h, count_report), 1);
	d = hvd_by_name(&h, "web1");
	ck_assert_ptr_nonnull(d);
	ck_assert_mem_eq(d->def.uuid, uuid, sizeof(uuid));
	ck_assert_int_eq(d->id, -1);
	ck_assert_int_eq(d->state, VIR_DOMAIN_SHUTOFF);
	hvd_fini(&h);
}
END_TEST

START_TEST(uuid_generated_when_absent)
{
	static const uint8_t zero[DOMAIN_UUID_LEN];
	struct hvd h;
	struct hvd_dom *a, *b;

	open_hvd(&h);
	a = define(&h, "a");
	b = define(&h, "b");
	ck_assert(a->def.uuid_set);
	ck_assert_mem_ne(a->def.uuid, zero, DOMAIN_UUID_LEN);
	ck_assert_mem_ne(a->def.uuid, b->def.uuid, DOMAIN_UUID_LEN);
	ck_assert_int_eq(a->def.uuid[6] >> 4, 4);
	hvd_fini(&h);
}
END_TEST

START_TEST(macs_generated_when_absent)
{
	struct domain_net nets[2] = {
		{ .mac_set = false },
		{ .mac = { 0x02, 1, 2, 3, 4, 5 }, .mac_set = true },
	};
	struct domain_def def = { .nets = nets, .nnets = 2, .uuid_set = true };

	ck_assert_int_eq(hvd_fill_defaults(&def), 0);
	ck_assert(nets[0].mac_set);
	ck_assert_int_eq(nets[0].mac[0], 0x52);
	ck_assert_int_eq(nets[0].mac[1], 0x54);
	ck_assert_int_eq(nets[0].mac[2], 0x00);
	ck_assert_int_eq(nets[1].mac[0], 0x02);  /* given MACs are kept */
	ck_assert_int_eq(nets[1].mac[5], 5);
	ck_assert_mem_eq(def.uuid, (uint8_t[16]){ 0 }, 16);  /* uuid was set */
}
END_TEST

START_TEST(corrupt_file_reported_not_fatal)
{
	struct hvd h;

	open_hvd(&h);
	define(&h, "good");
	hvd_fini(&h);
	write_file("bad.xml", "<domain type='hyperv'><name>bad</na");
	write_file("other.xml", test_xml("mismatch"));

	open_hvd(&h);
	nreports = 0;
	ck_assert_int_eq(hvd_load(&h, count_report), 1);
	ck_assert_int_eq(nreports, 2);
	ck_assert_ptr_nonnull(hvd_by_name(&h, "good"));
	ck_assert_ptr_null(hvd_by_name(&h, "bad"));
	ck_assert_ptr_null(hvd_by_name(&h, "mismatch"));
	hvd_fini(&h);
}
END_TEST

START_TEST(failed_define_leaves_dir_unchanged)
{
	const char *bad = "<domain type='hyperv'><name>web1</name>";
	struct hvd_dom *d = NULL;
	struct hvd_err err;
	char before[8192];
	struct hvd h;

	open_hvd(&h);
	define(&h, "web1");
	strcpy(before, read_back("web1.xml"));
	ck_assert_int_ne(hvd_define(&h, bad, strlen(bad), 0, &d, &err), 0);
	ck_assert_int_eq(err.code, VIR_ERR_XML_ERROR);
	/* Same name, new generated uuid: libvirt refuses it too. */
	ck_assert_int_ne(hvd_define(&h, test_xml("web1"), strlen(test_xml("web1")),
				    0, &d, &err), 0);
	ck_assert_int_eq(err.code, VIR_ERR_OPERATION_FAILED);
	ck_assert_str_eq(read_back("web1.xml"), before);
	ck_assert_int_eq(count_entries(), 1);
	hvd_fini(&h);
}
END_TEST

/* A backend whose host has 1 GiB for domains. */
static uint64_t small_host_kib(struct backend *b)
{
	(void)b;
	return 1024 * 1024;
}

START_TEST(memory_beyond_host_refused)
{
	static const char fmt[] =
		"<domain type='hyperv'><name>%s</name>"
		"<memory unit='KiB'>%llu</memory><vcpu>1</vcpu>"
		"<os><type>hvm</type><kernel>/k</kernel></os></domain>";
	struct backend_ops ops = backend_test_ops;
	struct backend small = { .ops = &ops };
	struct hvd_dom *d = NULL;
	struct hvd_err err;
	char xml[512];
	struct hvd h;

	ops.max_memory_kib = small_host_kib;
	ck_assert_int_eq(hvd_init(&h, dir, &small, &err), 0);
	snprintf(xml, sizeof(xml), fmt, "big", 1024ull * 1024 + 1);
	ck_assert_int_ne(hvd_define(&h, xml, strlen(xml), 0, &d, &err), 0);
	ck_assert_int_eq(err.code, VIR_ERR_CONFIG_UNSUPPORTED);
	ck_assert_msg(strstr(err.msg, "more than this host has (1048576 KiB)"),
		      "%s", err.msg);
	ck_assert_int_eq(count_entries(), 0);
	ck_assert_ptr_null(hvd_by_name(&h, "big"));
	/* Exactly what the host has is fine. */
	snprintf(xml, sizeof(xml), fmt, "fits", 1024ull * 1024);
	ck_assert_int_eq(hvd_define(&h, xml, strlen(xml), 0, &d, &err), 0);
	ck_assert_int_eq(count_entries(), 1);
	hvd_fini(&h);
}
END_TEST

/* The test backend's host is the machine's RAM: a TiB is more than that. */
START_TEST(test_backend_host_is_this_machine)
{
	ck_assert_uint_gt(backend_test_ops.max_memory_kib(&be), 0);
	ck_assert_uint_lt(backend_test_ops.max_memory_kib(&be), 1ull << 30);
}
END_TEST

START_TEST(undefine_removes_file)
{
	struct hvd_err err;
	struct hvd h;

	open_hvd(&h);
	ck_assert_int_eq(hvd_undefine(&h, define(&h, "web1"), 0, &err), 0);
	ck_assert_int_eq(count_entries(), 0);
	ck_assert_ptr_null(hvd_by_name(&h, "web1"));
	hvd_fini(&h);
}
END_TEST

START_TEST(undefine_running_becomes_transient)
{
	struct hvd_err err;
	struct hvd_dom *d;
	struct hvd h;

	open_hvd(&h);
	d = define(&h, "web1");
	ck_assert_int_eq(hvd_start(&h, d, 0, &err), 0);
	ck_assert_int_eq(hvd_undefine(&h, d, 0, &err), 0);
	ck_assert_int_eq(count_entries(), 0);
	ck_assert(!d->persistent);
	ck_assert_int_eq(hvd_destroy(&h, d, 0, &err), 0);
	ck_assert_ptr_null(hvd_by_name(&h, "web1"));
	hvd_fini(&h);
}
END_TEST

START_TEST(autostart_persists_and_starts)
{
	struct hvd_err err;
	struct hvd_dom *d;
	struct hvd h;

	open_hvd(&h);
	ck_assert_int_eq(hvd_set_autostart(&h, define(&h, "web1"), true, &err), 0);
	define(&h, "web2");
	hvd_fini(&h);

	open_hvd(&h);
	ck_assert_int_eq(hvd_load(&h, NULL), 2);
	hvd_autostart(&h, NULL);
	d = hvd_by_name(&h, "web1");
	ck_assert(d->autostart);
	ck_assert_int_gt(d->id, 0);
	ck_assert_int_eq(d->state, VIR_DOMAIN_RUNNING);
	ck_assert_int_eq(hvd_by_name(&h, "web2")->id, -1);
	hvd_fini(&h);
}
END_TEST

START_TEST(mkhv_backend_not_available)
{
	const struct backend_cfg cfg = { .worker = "/nonexistent/hvworker" };
	struct backend b;
	struct hvd_err err;

	ck_assert_int_eq(backend_open_cfg("mkhv", &cfg, &b, &err), -ENODEV);
	ck_assert_ptr_nonnull(strstr(err.msg, "needs the VM worker /nonexistent/hvworker"));
	ck_assert_int_eq(backend_open("xen", &b, &err), -ENOENT);
}
END_TEST

static Suite *state_suite(void)
{
	Suite *s = suite_create("hvd_state");
	TCase *st = tcase_create("state"), *dm = tcase_create("domains");

	tcase_add_checked_fixture(st, setup, teardown);
	tcase_set_timeout(st, 60);
	tcase_add_test(st, save_writes_file_without_temp);
	tcase_add_test(st, file_is_private);
	tcase_add_test(st, unsafe_names_refused);
	tcase_add_test(st, remove_deletes_marker_too);
	tcase_add_test(st, load_skips_temp_and_reports_bad);
	tcase_add_test(st, load_missing_dir_is_error);
	tcase_add_test(st, kill_during_save_never_tears);
	tcase_add_checked_fixture(dm, setup, teardown);
	tcase_add_test(dm, define_survives_restart);
	tcase_add_test(dm, uuid_generated_when_absent);
	tcase_add_test(dm, macs_generated_when_absent);
	tcase_add_test(dm, corrupt_file_reported_not_fatal);
	tcase_add_test(dm, failed_define_leaves_dir_unchanged);
	tcase_add_test(dm, memory_beyond_host_refused);
	tcase_add_test(dm, test_backend_host_is_this_machine);
	tcase_add_test(dm, undefine_removes_file);
	tcase_add_test(dm, undefine_running_becomes_transient);
	tcase_add_test(dm, autostart_persists_and_starts);
	tcase_add_test(dm, mkhv_backend_not_available);
	suite_add_tcase(s, st);
	suite_add_tcase(s, dm);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(state_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
