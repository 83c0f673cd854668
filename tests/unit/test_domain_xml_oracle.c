// SPDX-License-Identifier: GPL-2.0
/*
 * The oracle: libvirt's own test:///default driver, driven through
 * libvirt's client library, must give the same verdict as
 * domain_xml_parse() on every document of tests/data/domain-xml/:
 *
 *   valid-*        libvirt accepts, mkhv accepts (0)
 *   invalid-*      libvirt rejects, mkhv rejects (-EINVAL)
 *   unsupported-*  libvirt accepts, mkhv refuses by name (-ENOTSUP)
 *
 * libvirt is asked with VIR_DOMAIN_DEFINE_VALIDATE, so its RelaxNG check
 * runs as ours does.  libvirt 9.0's test driver accepts type='hyperv' as
 * is (its capabilities do not restrict the virt type at define time), so no
 * substitution is needed; tu_oracle_type() below checks that assumption.
 * Documents with a DOCTYPE are not in the corpus: mkhv refuses every
 * DOCTYPE (-ENOTSUP) whereas libvirt's verdict depends on the entities;
 * test_domain_xml.c covers them.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "domain.h"
#include "domain_xml_testutil.h"

static virConnectPtr conn;

static void quiet(void *data, virErrorPtr e)
{
	(void)data;
	(void)e;
}

static void oracle_setup(void)
{
	virSetErrorFunc(NULL, quiet);
	conn = virConnectOpen("test:///default");
	ck_assert_ptr_nonnull(conn);
}

static void oracle_teardown(void)
{
	virConnectClose(conn);
}

/* 1: libvirt accepts @xml (and forgets it again), 0: it rejects it. */
static int oracle_accepts(const char *xml, char *msg, size_t msglen)
{
	virDomainPtr dom = virDomainDefineXMLFlags(conn, xml,
						   VIR_DOMAIN_DEFINE_VALIDATE);
	virErrorPtr e;

	if (!dom) {
		e = virGetLastError();
		snprintf(msg, msglen, "%s", e && e->message ? e->message : "?");
		return 0;
	}
	msg[0] = '\0';
	ck_assert_int_eq(virDomainUndefine(dom), 0);
	virDomainFree(dom);
	return 1;
}

START_TEST(test_oracle_type_hyperv)
{
	static const char x[] =
		"<domain type='hyperv'><name>oracle</name><memory>1024</memory>"
		"<vcpu>1</vcpu><os><type>hvm</type><kernel>/k</kernel></os></domain>";
	char msg[512];

	ck_assert_msg(oracle_accepts(x, msg, sizeof(msg)),
		      "test:///default refuses type='hyperv': %s", msg);
}
END_TEST

START_TEST(test_oracle_corpus)
{
	size_t n, i, len, agree = 0, counts[3] = { 0 };
	char **names = tu_corpus(&n);
	char msg[512], err[512];
	struct domain_def d;
	int want, ours, libvirt;
	char *x;

	ck_assert_uint_ge(n, 100);
	for (i = 0; i < n; i++) {
		x = tu_corpus_read(names[i], &len);
		ck_assert_ptr_nonnull(x);
		want = tu_expected(names[i]);
		libvirt = oracle_accepts(x, msg, sizeof(msg));
		ours = domain_xml_parse(x, len, &d, err, sizeof(err));
		domain_def_clear(&d);
		free(x);
		ck_assert_msg(libvirt == (want != -EINVAL),
			      "%s: libvirt %s it (%s): corpus file misnamed?",
			      names[i], libvirt ? "accepts" : "rejects", msg);
		ck_assert_msg(ours == want, "%s: mkhv %d (%s), libvirt %s (%s)",
			      names[i], ours, err,
			      libvirt ? "accepts" : "rejects", msg);
		agree++;
		counts[want == 0 ? 0 : want == -EINVAL ? 1 : 2]++;
	}
	printf("oracle: %zu documents, %zu verdicts agree (%zu valid, %zu invalid, %zu unsupported-by-mkhv)\n",
	       n, agree, counts[0], counts[1], counts[2]);
	tu_free_corpus(names, n);
}
END_TEST

/* What hvd dumps must be a document libvirt itself accepts. */
START_TEST(test_oracle_accepts_our_dumps)
{
	size_t n, i, len, done = 0;
	char **names = tu_corpus(&n);
	char msg[512], err[512];
	struct domain_def d;
	char *x, *y;

	for (i = 0; i < n; i++) {
		if (tu_expected(names[i]) != 0)
			continue;
		x = tu_corpus_read(names[i], &len);
		ck_assert_int_eq(domain_xml_parse(x, len, &d, err, sizeof(err)), 0);
		y = domain_xml_format(&d);
		ck_assert_msg(oracle_accepts(y, msg, sizeof(msg)),
			      "%s: libvirt rejects our dump: %s\n%s", names[i], msg, y);
		domain_def_clear(&d);
		free(x);
		free(y);
		done++;
	}
	ck_assert_uint_ge(done, 30);
	tu_free_corpus(names, n);
}
END_TEST

/* The <driver .../> line of @xml's first disk, trimmed, into @out. */
static void driver_line(const char *xml, char *out, size_t len)
{
	const char *p = strstr(xml, "<driver"), *e = p ? strstr(p, "/>") : NULL;

	ck_assert_msg(e, "no <driver/> in:\n%s", xml);
	snprintf(out, len, "%.*s", (int)(e + 2 - p), p);
}

/*
 * Disk cache modes: for each of libvirt's values (and none), libvirt's own
 * dump and hvd's carry the same <driver/>: "default" is left out, the
 * others are written back as given.
 */
START_TEST(test_oracle_disk_cache_dump)
{
	static const char *const modes[] = { NULL, "default", "none", "writeback",
		"writethrough", "directsync", "unsafe" };
	static const char fmt[] =
		"<domain type='hyperv'><name>oracle</name><memory>1024</memory>"
		"<vcpu>1</vcpu><os><type>hvm</type><kernel>/k</kernel></os>"
		"<devices><disk type='file' device='disk'>"
		"<driver name='qemu' type='qcow2'%s%s%s/>"
		"<source file='/a.qcow2'/><target dev='sda' bus='scsi'/>"
		"</disk></devices></domain>";
	char x[1024], err[512], theirs[256], ours[256];
	struct domain_def d;
	virDomainPtr dom;
	char *lv, *y;
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		snprintf(x, sizeof(x), fmt, modes[i] ? " cache='" : "",
			 modes[i] ? modes[i] : "", modes[i] ? "'" : "");
		dom = virDomainDefineXMLFlags(conn, x, VIR_DOMAIN_DEFINE_VALIDATE);
		ck_assert_ptr_nonnull(dom);
		lv = virDomainGetXMLDesc(dom, 0);
		ck_assert_ptr_nonnull(lv);
		ck_assert_int_eq(virDomainUndefine(dom), 0);
		virDomainFree(dom);
		ck_assert_int_eq(domain_xml_parse(x, strlen(x), &d, err,
						  sizeof(err)), 0);
		y = domain_xml_format(&d);
		ck_assert_ptr_nonnull(y);
		driver_line(lv, theirs, sizeof(theirs));
		driver_line(y, ours, sizeof(ours));
		ck_assert_msg(!strcmp(theirs, ours), "cache %s: libvirt %s, mkhv %s",
			      modes[i] ? modes[i] : "(none)", theirs, ours);
		free(lv);
		free(y);
		domain_def_clear(&d);
	}
}
END_TEST

static Suite *oracle_suite(void)
{
	Suite *s = suite_create("domain_xml_oracle");
	TCase *tc = tcase_create("libvirt-test-driver");

	tcase_add_checked_fixture(tc, oracle_setup, oracle_teardown);
	tcase_add_test(tc, test_oracle_type_hyperv);
	tcase_add_test(tc, test_oracle_corpus);
	tcase_add_test(tc, test_oracle_accepts_our_dumps);
	tcase_add_test(tc, test_oracle_disk_cache_dump);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(oracle_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
