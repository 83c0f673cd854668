/* SPDX-License-Identifier: GPL-2.0 */
/* Shared main() body of the Check suites (hv core, worker, VSPs). */
#ifndef MKHV_TEST_HV_CHECK_H
#define MKHV_TEST_HV_CHECK_H

#include <check.h>

/* Run @s (forking, as Check defaults to) and return main()'s exit code. */
static inline int hv_check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

#endif /* MKHV_TEST_HV_CHECK_H */
