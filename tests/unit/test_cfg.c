// SPDX-License-Identifier: GPL-2.0
/* Unit tests for the mkhv.cfg parser (hv/loader/cfg.c). */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

static struct mkhv_cfg cfg;
static struct cfg_error err;

static int parse(const char *s)
{
	memset(&cfg, 0xa5, sizeof(cfg));
	memset(&err, 0, sizeof(err));
	return cfg_parse(s, strlen(s), &cfg, &err);
}

/* A failed parse must leave exactly the defaults behind. */
static void assert_defaults(void)
{
	ck_assert_str_eq(cfg.cmdline, "");
	ck_assert_uint_eq(cfg.parent_memory, 0);
	ck_assert_int_eq(cfg.log_level, CFG_LOG_INFO);
}

START_TEST(empty_file_gives_defaults)
{
	ck_assert_int_eq(parse(""), 0);
	assert_defaults();
}
END_TEST

START_TEST(full_file)
{
	ck_assert_int_eq(parse("# comment\n\n"
			       "cmdline = console=ttyS0,115200 panic=-1\n"
			       "parent_memory = 1024M\n"
			       "log_level = debug\n"), 0);
	ck_assert_str_eq(cfg.cmdline, "console=ttyS0,115200 panic=-1");
	ck_assert_uint_eq(cfg.parent_memory, 1024ull << 20);
	ck_assert_int_eq(cfg.log_level, CFG_LOG_DEBUG);
}
END_TEST

START_TEST(whitespace_crlf_and_no_final_newline)
{
	ck_assert_int_eq(parse("  \t# indented comment\r\n"
			       "\tlog_level\t=  warn  \r\n"
			       "cmdline=a=b c"), 0);
	ck_assert_int_eq(cfg.log_level, CFG_LOG_WARN);
	/* Only the first '=' splits: values may contain '='. */
	ck_assert_str_eq(cfg.cmdline, "a=b c");
}
END_TEST

START_TEST(empty_cmdline_is_allowed)
{
	ck_assert_int_eq(parse("cmdline =\n"), 0);
	ck_assert_str_eq(cfg.cmdline, "");
}
END_TEST

START_TEST(size_suffixes)
{
	static const struct { const char *v; unsigned long long bytes; } ok[] = {
		{ "134217728", 128ull << 20 }, { "131072K", 128ull << 20 },
		{ "512M", 512ull << 20 }, { "512MiB", 512ull << 20 },
		{ "512mb", 512ull << 20 }, { "2G", 2ull << 30 },
		{ "2GiB", 2ull << 30 }, { "1T", 1ull << 40 }, { "4T", 4ull << 40 },
	};
	char buf[64];

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(buf, sizeof(buf), "parent_memory = %s\n", ok[i].v);
		ck_assert_msg(parse(buf) == 0, "%s: %s", ok[i].v, err.msg);
		ck_assert_uint_eq(cfg.parent_memory, ok[i].bytes);
	}
}
END_TEST

START_TEST(bad_memory_values)
{
	static const char *const bad[] = {
		"lots", "", "M", "-1G", "1.5G", "12X", "1Gx", "1 G",
		"0x100M", "18446744073709551616", "99999999999999999999T",
		"17179869184G", "5T", "64M", "134217729", "1000K",
	};
	char buf[64];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), "parent_memory = %s\n", bad[i]);
		ck_assert_msg(parse(buf) == -EINVAL, "accepted '%s'", bad[i]);
		ck_assert_uint_eq(err.line, 1);
		assert_defaults();
	}
}
END_TEST

START_TEST(bad_memory_message)
{
	ck_assert_int_eq(parse("log_level = info\nparent_memory = lots\n"),
			 -EINVAL);
	ck_assert_uint_eq(err.line, 2);
	ck_assert_str_eq(err.msg, "bad value 'lots' for parent_memory "
			 "(expected a size such as 512M or 2G)");
}
END_TEST

START_TEST(unknown_key)
{
	ck_assert_int_eq(parse("cmdline = x\nparent_mem = 1G\n"), -EINVAL);
	ck_assert_uint_eq(err.line, 2);
	ck_assert_str_eq(err.msg, "unknown key 'parent_mem' (known keys: "
			 "cmdline, parent_memory, log_level, hypervisor, "
			 "hv_serial, on_fatal)");
	assert_defaults();  /* line 1 was valid but nothing is half-applied */
}
END_TEST

START_TEST(duplicate_key)
{
	ck_assert_int_eq(parse("log_level = info\nlog_level = debug\n"),
			 -EINVAL);
	ck_assert_uint_eq(err.line, 2);
	ck_assert_str_eq(err.msg, "duplicate key 'log_level'");
}
END_TEST

START_TEST(bad_log_level)
{
	ck_assert_int_eq(parse("log_level = verbose\n"), -EINVAL);
	ck_assert_str_eq(err.msg, "bad value 'verbose' for log_level "
			 "(expected error, warn, info or debug)");
	ck_assert_int_eq(parse("log_level = INFO\n"), -EINVAL);
}
END_TEST

START_TEST(hv_keys)
{
	ck_assert_int_eq(parse(""), 0);
	ck_assert_int_eq(cfg.hypervisor, 1);
	ck_assert_int_eq(cfg.hv_serial, CFG_SERIAL_COM2);
	ck_assert_int_eq(cfg.on_fatal, CFG_FATAL_HALT);
	ck_assert_int_eq(parse("hypervisor = off\nhv_serial = none\n"
			       "on_fatal = reset\n"), 0);
	ck_assert_int_eq(cfg.hypervisor, 0);
	ck_assert_int_eq(cfg.hv_serial, CFG_SERIAL_NONE);
	ck_assert_int_eq(cfg.on_fatal, CFG_FATAL_RESET);
	ck_assert_int_eq(parse("hv_serial = com1\n"), 0);
	ck_assert_int_eq(cfg.hv_serial, CFG_SERIAL_COM1);
	ck_assert_str_eq(cfg_serial_name(CFG_SERIAL_COM2), "com2");
	ck_assert_str_eq(cfg_fatal_name(CFG_FATAL_RESET), "reset");
}
END_TEST

START_TEST(bad_hv_keys)
{
	ck_assert_int_eq(parse("hypervisor = yes\n"), -EINVAL);
	ck_assert_str_eq(err.msg,
			 "bad value 'yes' for hypervisor (expected on or off)");
	ck_assert_int_eq(parse("hv_serial = com3\n"), -EINVAL);
	ck_assert_str_eq(err.msg, "bad value 'com3' for hv_serial "
			 "(expected com1, com2 or none)");
	ck_assert_int_eq(parse("on_fatal = reboot\n"), -EINVAL);
	ck_assert_str_eq(err.msg, "bad value 'reboot' for on_fatal "
			 "(expected halt or reset)");
	assert_defaults();
	ck_assert_int_eq(cfg.hypervisor, 1);
}
END_TEST

START_TEST(missing_equals)
{
	ck_assert_int_eq(parse("\n\ncmdline console=ttyS0\n"), -EINVAL);
	ck_assert_uint_eq(err.line, 3);
	ck_assert_str_eq(err.msg,
			 "expected 'key = value', got 'cmdline console=ttyS0'");
	ck_assert_int_eq(parse("= value\n"), -EINVAL);
	ck_assert_str_eq(err.msg, "expected 'key = value', got '= value'");
	ck_assert_int_eq(parse("Log-Level = info\n"), -EINVAL);
	ck_assert_str_eq(err.msg,
			 "expected 'key = value', got 'Log-Level = info'");
}
END_TEST

START_TEST(control_and_non_ascii_bytes)
{
	static const char nul[] = "cmdline = a\0b\n";
	int ret;

	ck_assert_int_eq(parse("cmdline = caf\xc3\xa9\n"), -EINVAL);
	ck_assert_str_eq(err.msg, "non-ASCII or control character in line");
	ck_assert_int_eq(parse("cmdline = a\rb\n"), -EINVAL);
	ret = cfg_parse(nul, sizeof(nul) - 1, &cfg, &err);
	ck_assert_int_eq(ret, -EINVAL);
	ck_assert_uint_eq(err.line, 1);
}
END_TEST

START_TEST(long_values_are_refused_and_quoted_short)
{
	size_t n = CFG_CMDLINE_MAX + 16;
	char *buf = malloc(n + 32);

	strcpy(buf, "cmdline = ");
	memset(buf + 10, 'x', CFG_CMDLINE_MAX - 1);
	strcpy(buf + 10 + CFG_CMDLINE_MAX - 1, "\n");
	ck_assert_int_eq(parse(buf), 0);    /* 2047 bytes: the limit */
	ck_assert_uint_eq(strlen(cfg.cmdline), CFG_CMDLINE_MAX - 1);
	strcpy(buf + 10 + CFG_CMDLINE_MAX - 1, "y\n");
	ck_assert_int_eq(parse(buf), -EINVAL);
	ck_assert_str_eq(err.msg, "cmdline is longer than 2047 bytes");
	free(buf);

	/* Error messages quote at most 40 bytes of a hostile value. */
	ck_assert_int_eq(parse("log_level = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "...'"));
	ck_assert_uint_lt(strlen(err.msg), CFG_MSG_MAX);
}
END_TEST

START_TEST(long_line_and_big_file)
{
	size_t n = CFG_FILE_MAX + 1;
	char *buf = malloc(n);

	memset(buf, '#', n);
	ck_assert_int_eq(cfg_parse(buf, CFG_LINE_MAX + 1, &cfg, &err), -EINVAL);
	ck_assert_str_eq(err.msg, "line is longer than 4096 bytes");
	ck_assert_int_eq(cfg_parse(buf, n, &cfg, &err), -E2BIG);
	ck_assert_uint_eq(err.line, 0);
	free(buf);
}
END_TEST

START_TEST(level_names)
{
	ck_assert_str_eq(cfg_log_level_name(CFG_LOG_ERROR), "error");
	ck_assert_str_eq(cfg_log_level_name(CFG_LOG_DEBUG), "debug");
	ck_assert_str_eq(cfg_log_level_name((enum cfg_log_level)42), "?");
}
END_TEST

/* The shipped configs/mkhv.cfg must parse (run from the source tree). */
START_TEST(shipped_config_parses)
{
	FILE *f = fopen("configs/mkhv.cfg", "rb");
	char buf[CFG_FILE_MAX];
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	ck_assert_int_eq(cfg_parse(buf, n, &cfg, &err), 0);
	ck_assert_ptr_nonnull(strstr(cfg.cmdline, "console=ttyS0"));
}
END_TEST

static Suite *cfg_suite(void)
{
	Suite *s = suite_create("cfg");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, empty_file_gives_defaults);
	tcase_add_test(tc, full_file);
	tcase_add_test(tc, whitespace_crlf_and_no_final_newline);
	tcase_add_test(tc, empty_cmdline_is_allowed);
	tcase_add_test(tc, size_suffixes);
	tcase_add_test(tc, bad_memory_values);
	tcase_add_test(tc, bad_memory_message);
	tcase_add_test(tc, unknown_key);
	tcase_add_test(tc, duplicate_key);
	tcase_add_test(tc, bad_log_level);
	tcase_add_test(tc, hv_keys);
	tcase_add_test(tc, bad_hv_keys);
	tcase_add_test(tc, missing_equals);
	tcase_add_test(tc, control_and_non_ascii_bytes);
	tcase_add_test(tc, long_values_are_refused_and_quoted_short);
	tcase_add_test(tc, long_line_and_big_file);
	tcase_add_test(tc, level_names);
	tcase_add_test(tc, shipped_config_parses);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cfg_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
