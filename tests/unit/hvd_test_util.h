/* SPDX-License-Identifier: GPL-2.0 */
/* Shared helpers for the hvd unit tests: a temp state dir and test XML. */
#ifndef MKHV_TESTS_HVD_TEST_UTIL_H
#define MKHV_TESTS_HVD_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A minimal document both the stub and the real XML layer accept. */
#define TEST_XML_FMT \
	"<domain type='hyperv'>\n" \
	"  <name>%s</name>\n" \
	"  <memory unit='MiB'>512</memory>\n" \
	"  <vcpu>2</vcpu>\n" \
	"  <os>\n" \
	"    <type arch='x86_64'>hvm</type>\n" \
	"    <kernel>/var/lib/mkhv/vmlinuz</kernel>\n" \
	"  </os>\n" \
	"</domain>\n"

static inline char *test_xml(const char *name)
{
	static char buf[1024];

	snprintf(buf, sizeof(buf), TEST_XML_FMT, name);
	return buf;
}

static inline char *test_tmpdir(void)
{
	char tmpl[] = "/tmp/hvd-test-XXXXXX";
	char *d = mkdtemp(tmpl);

	return d ? strdup(d) : NULL;
}

static inline void test_rmdir(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

#endif
