// SPDX-License-Identifier: GPL-2.0
/* Check suite for parent/hvd/loop.c (the backends' fd watches). */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "loop.h"

static int p1[2], p2[2];
static int calls1, calls2;

static void setup(void)
{
	ck_assert_int_eq(pipe(p1), 0);
	ck_assert_int_eq(pipe(p2), 0);
	calls1 = calls2 = 0;
}

static void teardown(void)
{
	loop_del(p1[0]);
	loop_del(p2[0]);
	close(p1[0]);
	close(p1[1]);
	close(p2[0]);
	close(p2[1]);
	ck_assert_uint_eq(loop_count(), 0);
}

static void count(void *opaque, int fd, short revents)
{
	(void)fd;
	ck_assert(revents & POLLIN);
	(*(int *)opaque)++;
}

START_TEST(dispatches_ready_fds_only)
{
	ck_assert_int_eq(loop_add(p1[0], POLLIN, count, &calls1), 0);
	ck_assert_int_eq(loop_add(p2[0], POLLIN, count, &calls2), 0);
	ck_assert_int_eq(loop_run_once(0), 0);
	ck_assert_int_eq(write(p2[1], "x", 1), 1);
	ck_assert_int_eq(loop_run_once(100), 1);
	ck_assert_int_eq(calls1, 0);
	ck_assert_int_eq(calls2, 1);
}
END_TEST

START_TEST(add_twice_and_bad_fd_refused)
{
	ck_assert_int_eq(loop_add(p1[0], POLLIN, count, &calls1), 0);
	ck_assert_int_eq(loop_add(p1[0], POLLIN, count, &calls2), -EEXIST);
	ck_assert_int_eq(loop_add(-1, POLLIN, count, &calls2), -EBADF);
	ck_assert_uint_eq(loop_count(), 1);
}
END_TEST

START_TEST(events_zero_pauses_watch)
{
	ck_assert_int_eq(loop_add(p1[0], POLLIN, count, &calls1), 0);
	ck_assert_int_eq(write(p1[1], "x", 1), 1);
	loop_set_events(p1[0], 0);
	ck_assert_int_eq(loop_run_once(0), 0);
	ck_assert_int_eq(calls1, 0);
	loop_set_events(p1[0], POLLIN);
	ck_assert_int_eq(loop_run_once(0), 1);
	ck_assert_int_eq(calls1, 1);
}
END_TEST

/* A callback that removes the other watch: it must not be called after. */
static void remove_other(void *opaque, int fd, short revents)
{
	(void)fd;
	(void)revents;
	calls1++;
	loop_del(*(int *)opaque);
}

START_TEST(watch_deleted_in_dispatch_not_called)
{
	ck_assert_int_eq(loop_add(p1[0], POLLIN, remove_other, &p2[0]), 0);
	ck_assert_int_eq(loop_add(p2[0], POLLIN, count, &calls2), 0);
	ck_assert_int_eq(write(p1[1], "x", 1), 1);
	ck_assert_int_eq(write(p2[1], "x", 1), 1);
	ck_assert_int_eq(loop_run_once(0), 2);
	ck_assert_int_eq(calls1, 1);
	ck_assert_int_eq(calls2, 0);
	ck_assert_uint_eq(loop_count(), 1);
}
END_TEST

/* Deleted and re-added (a new owner of the fd number) within one round. */
static void replace_other(void *opaque, int fd, short revents)
{
	(void)fd;
	(void)revents;
	calls1++;
	loop_del(*(int *)opaque);
	ck_assert_int_eq(loop_add(*(int *)opaque, POLLIN, count, &calls1), 0);
}

START_TEST(replaced_watch_skipped_this_round)
{
	struct pollfd pfd[LOOP_MAX];
	size_t n;

	ck_assert_int_eq(loop_add(p1[0], POLLIN, replace_other, &p2[0]), 0);
	ck_assert_int_eq(loop_add(p2[0], POLLIN, count, &calls2), 0);
	ck_assert_int_eq(write(p1[1], "x", 1), 1);
	ck_assert_int_eq(write(p2[1], "x", 1), 1);
	n = loop_fill(pfd, LOOP_MAX);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(poll(pfd, n, 0), 2);
	loop_dispatch(pfd, n);
	/* p2's old owner (calls2) never ran; its new owner waits for next round. */
	ck_assert_int_eq(calls2, 0);
	ck_assert_int_eq(calls1, 1);
}
END_TEST

static Suite *loop_suite(void)
{
	Suite *s = suite_create("hvd_loop");
	TCase *tc = tcase_create("watches");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, dispatches_ready_fds_only);
	tcase_add_test(tc, add_twice_and_bad_fd_refused);
	tcase_add_test(tc, events_zero_pauses_watch);
	tcase_add_test(tc, watch_deleted_in_dispatch_not_called);
	tcase_add_test(tc, replaced_watch_skipped_this_round);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(loop_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
