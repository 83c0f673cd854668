// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for domain_xml_parse(): any input must give 0 or a
 * negative errno with a one-line message, and every accepted document must
 * round-trip (format, parse, same definition, same bytes).
 *
 *   make fuzz-domain-xml [FUZZ_TIME=seconds]
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "../unit/domain_xml_testutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct domain_def d, e;
	char err[256];
	char *x, *y;
	int rc;

	rc = domain_xml_parse((const char *)data, size, &d, err, sizeof(err));
	if (rc) {
		if (rc != -EINVAL && rc != -ENOTSUP && rc != -E2BIG &&
		    rc != -ENOMEM)
			abort();
		if (!err[0] || strchr(err, '\n'))
			abort();
		return 0;
	}
	x = domain_xml_format(&d);
	if (!x)
		abort();
	if (domain_xml_parse(x, strlen(x), &e, err, sizeof(err)))
		abort();
	if (tu_def_diff(&d, &e))
		abort();
	y = domain_xml_format(&e);
	if (!y || strcmp(x, y))
		abort();
	free(x);
	free(y);
	domain_def_clear(&d);
	domain_def_clear(&e);
	return 0;
}
