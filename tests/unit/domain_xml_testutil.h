/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by test_domain_xml.c and test_domain_xml_oracle.c:
 * reading the corpus (tests/data/domain-xml/{valid,invalid,unsupported}-*)
 * and comparing two domain definitions field by field.
 */
#ifndef MKHV_TEST_DOMAIN_XML_UTIL_H
#define MKHV_TEST_DOMAIN_XML_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"

#ifndef DOMAIN_XML_TESTDATA
#define DOMAIN_XML_TESTDATA "tests/data/domain-xml"
#endif

/* Whole file into a malloc'd buffer (NUL-terminated; *len excludes it). */
static inline char *tu_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	*len = 0;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		if (buf) {
			buf[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

/* Expected domain_xml_parse() result from a corpus file name. */
static inline int tu_expected(const char *name)
{
	if (!strncmp(name, "valid-", 6))
		return 0;
	if (!strncmp(name, "invalid-", 8))
		return -EINVAL;
	if (!strncmp(name, "unsupported-", 12))
		return -ENOTSUP;
	return 1;	/* not a corpus document */
}

static int tu_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted corpus file names (malloc'd array of malloc'd strings). */
static inline char **tu_corpus(size_t *count)
{
	DIR *d = opendir(DOMAIN_XML_TESTDATA);
	struct dirent *e;
	char **names = NULL, **nn;
	size_t n = 0;

	*count = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);

		if (l < 5 || strcmp(e->d_name + l - 4, ".xml") ||
		    tu_expected(e->d_name) == 1)
			continue;
		nn = realloc(names, (n + 1) * sizeof(*names));
		if (!nn)
			break;
		names = nn;
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	if (names)
		qsort(names, n, sizeof(*names), tu_cmp_names);
	*count = n;
	return names;
}

static inline void tu_free_corpus(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static inline char *tu_corpus_read(const char *name, size_t *len)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", DOMAIN_XML_TESTDATA, name);
	return tu_read(path, len);
}

static inline int tu_streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

/* Field-by-field equality; returns NULL or the name of the first difference. */
static inline const char *tu_def_diff(const struct domain_def *a,
				      const struct domain_def *b)
{
	size_t i;

#define TU_FIELD(f) do { if (a->f != b->f) return #f; } while (0)
#define TU_STR(f) do { if (!tu_streq(a->f, b->f)) return #f; } while (0)
	if (strcmp(a->name, b->name))
		return "name";
	TU_FIELD(uuid_set);
	if (a->uuid_set && memcmp(a->uuid, b->uuid, sizeof(a->uuid)))
		return "uuid";
	TU_STR(title);
	TU_STR(description);
	TU_FIELD(memory_kib);
	TU_FIELD(cur_memory_kib);
	TU_FIELD(vcpus);
	TU_FIELD(shares);
	TU_FIELD(period_us);
	TU_FIELD(quota_us);
	TU_STR(kernel);
	TU_STR(initrd);
	TU_STR(cmdline);
	TU_FIELD(on_poweroff);
	TU_FIELD(on_reboot);
	TU_FIELD(on_crash);
	TU_FIELD(ndisks);
	for (i = 0; i < a->ndisks; i++) {
		TU_FIELD(disks[i].type);
		TU_FIELD(disks[i].format);
		TU_STR(disks[i].source);
		TU_STR(disks[i].target);
		TU_FIELD(disks[i].readonly);
		TU_FIELD(disks[i].cache);
	}
	TU_FIELD(nnets);
	for (i = 0; i < a->nnets; i++) {
		TU_FIELD(nets[i].type);
		TU_STR(nets[i].source);
		TU_FIELD(nets[i].mac_set);
		if (a->nets[i].mac_set &&
		    memcmp(a->nets[i].mac, b->nets[i].mac, 6))
			return "nets[i].mac";
	}
	TU_FIELD(console);
	TU_FIELD(serial);
#undef TU_FIELD
#undef TU_STR
	return NULL;
}

#endif /* MKHV_TEST_DOMAIN_XML_UTIL_H */
