/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mkhv.cfg: the boot configuration hvloader reads from \EFI\mkhv\mkhv.cfg.
 *
 * Format (documented for admins in docs/mkhv-cfg.md):
 *   - one `key = value` per line; blank lines and lines whose first
 *     non-blank character is '#' are ignored; CRLF line ends are accepted;
 *   - keys: cmdline, parent_memory, log_level, hypervisor, hv_serial,
 *     on_fatal; each at most once;
 *   - unknown keys, bad values, duplicate keys, non-ASCII bytes and
 *     over-long lines are errors with the line number: the loader shows the
 *     error and does not boot.
 *
 * The parser is freestanding (no libc) so the loader and the host unit
 * tests run the same code.
 */
#ifndef MKHV_LOADER_CFG_H
#define MKHV_LOADER_CFG_H

#include <stddef.h>
#include <stdint.h>

#define CFG_FILE_MAX     (64u * 1024)  /* bytes; larger files are refused */
#define CFG_LINE_MAX     4096          /* bytes per line, without the newline */
#define CFG_CMDLINE_MAX  2048          /* x86 COMMAND_LINE_SIZE, with NUL */
#define CFG_MSG_MAX      192

/* Smallest and largest parent_memory accepted. */
#define CFG_MEM_MIN      (128ull << 20)
#define CFG_MEM_MAX      (1ull << 42)  /* 4 TiB */

enum cfg_log_level {
	CFG_LOG_ERROR,
	CFG_LOG_WARN,
	CFG_LOG_INFO,
	CFG_LOG_DEBUG,
};

enum cfg_serial { CFG_SERIAL_NONE, CFG_SERIAL_COM1, CFG_SERIAL_COM2 };
enum cfg_fatal { CFG_FATAL_HALT, CFG_FATAL_RESET };

struct mkhv_cfg {
	char cmdline[CFG_CMDLINE_MAX];  /* parent kernel command line */
	uint64_t parent_memory;         /* bytes; 0 = all RAM (default) */
	enum cfg_log_level log_level;   /* default CFG_LOG_INFO */
	int hypervisor;                 /* 1 (default): boot the hv; 0: start
					 * the parent natively (no hv) */
	enum cfg_serial hv_serial;      /* hv log port, default COM2 */
	enum cfg_fatal on_fatal;        /* after a fatal hv error, default halt */
};

struct cfg_error {
	unsigned int line;              /* 1-based; 0 = whole file */
	char msg[CFG_MSG_MAX];          /* NUL-terminated, ASCII */
};

/* cfg_defaults() - fill @cfg with the values used for absent keys. */
void cfg_defaults(struct mkhv_cfg *cfg);

/*
 * cfg_parse() - parse the contents of mkhv.cfg.
 * @buf: file contents (not NUL-terminated), @len bytes
 * @cfg: receives the result; on error it holds the defaults only, so a
 *       bad file never yields a half-applied configuration
 * @err: on error, the line number and a message for the admin
 *
 * Return: 0 on success, -EINVAL on any syntax or value error, -E2BIG when
 * the file is larger than CFG_FILE_MAX.
 */
int cfg_parse(const char *buf, size_t len, struct mkhv_cfg *cfg,
	      struct cfg_error *err);

/* cfg_log_level_name() - "error", "warn", "info" or "debug". */
const char *cfg_log_level_name(enum cfg_log_level level);

/* cfg_serial_name() - "none", "com1" or "com2". */
const char *cfg_serial_name(enum cfg_serial port);

/* cfg_fatal_name() - "halt" or "reset". */
const char *cfg_fatal_name(enum cfg_fatal what);

#endif /* MKHV_LOADER_CFG_H */
