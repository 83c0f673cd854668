// SPDX-License-Identifier: GPL-2.0
/*
 * Prints the cost of the domain XML layer, per document, for
 * configs/examples/web1.xml (2 disks, 2 interfaces, console):
 *   domain_xml_first_parse_ms: first call, includes compiling domain.rng
 *   domain_xml_parse_format_us: one parse (read, RelaxNG, checks) + format
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain.h"
#include "domain_xml_testutil.h"

#ifndef DOMAIN_XML_EXAMPLE
#define DOMAIN_XML_EXAMPLE "configs/examples/web1.xml"
#endif

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	const int rounds = 2000;
	struct domain_def d;
	char err[256], *y;
	size_t len;
	char *x = tu_read(DOMAIN_XML_EXAMPLE, &len);
	double t;
	int i;

	if (!x) {
		perror(DOMAIN_XML_EXAMPLE);
		return 1;
	}
	t = now();
	if (domain_xml_parse(x, len, &d, err, sizeof(err))) {
		fprintf(stderr, "bench_domain_xml: %s\n", err);
		return 1;
	}
	printf("domain_xml_first_parse_ms: %.2f\n", (now() - t) * 1e3);
	domain_def_clear(&d);
	t = now();
	for (i = 0; i < rounds; i++) {
		if (domain_xml_parse(x, len, &d, err, sizeof(err)))
			return 1;
		y = domain_xml_format(&d);
		if (!y)
			return 1;
		free(y);
		domain_def_clear(&d);
	}
	printf("domain_xml_parse_format_us: %.1f\n", (now() - t) * 1e6 / rounds);
	free(x);
	return 0;
}
