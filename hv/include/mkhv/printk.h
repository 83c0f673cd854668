/* SPDX-License-Identifier: GPL-2.0 */
/*
 * printk: formatted logging of the hv.
 *
 * Messages go to a memory ring (read by the parent through
 * HvCallMkhvLogRead, like `xl dmesg`) and to arch_console_write().  A
 * message is kept only if its level is <= printk_level.
 */
#ifndef MKHV_PRINTK_H
#define MKHV_PRINTK_H

#include <stdarg.h>
#include <mkhv/types.h>

enum log_level {
	LOG_ERROR = 0,
	LOG_WARN = 1,
	LOG_INFO = 2,
	LOG_DEBUG = 3,
};

/* Global filter: messages above this level are dropped.  Default LOG_INFO. */
extern int printk_level;

/* Size of the log ring in bytes (a power of two). */
#define PRINTK_RING_SIZE	16384

/* Longest message printk() formats; longer ones are cut. */
#define PRINTK_LINE_MAX		256

/**
 * hv_vsnprintf() - format into a buffer (freestanding vsnprintf).
 * @buf: output, always NUL-terminated if @size > 0
 * @size: size of @buf
 * @fmt: format: %s %c %d %i %u %x %X %p %%, length modifiers hh h l ll z,
 *       flags '0' '-', a decimal or '*' width, a precision for %s
 * @ap: arguments
 *
 * Return: the length the full output would have had (C99 semantics), so a
 * result >= @size means the output was cut.
 */
int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/** hv_snprintf() - hv_vsnprintf() with variadic arguments. */
int hv_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/**
 * printk() - log a message at @level (see enum log_level).
 *
 * Error and warning messages get an "ERROR: "/"WARNING: " prefix.  Safe to
 * call from any pCPU (printk_lock); not from NMI context.
 */
void printk(int level, const char *fmt, ...) __printf(2, 3);

/**
 * printk_ring_read() - copy log bytes out of the ring.
 * @pos: in: byte position to read from (0 = the beginning of time); out:
 *       the position after the last byte copied.  If @pos is older than the
 *       oldest byte kept, reading restarts at the oldest byte.
 * @buf: destination
 * @len: size of @buf
 *
 * Return: number of bytes copied (0 when @pos is the newest position).
 */
size_t printk_ring_read(u64 *pos, char *buf, size_t len);

/** printk_ring_head() - position after the newest logged byte. */
u64 printk_ring_head(void);

/** Reset the ring (tests and early boot only). */
void printk_ring_reset(void);

#define pr_err(...)	printk(LOG_ERROR, __VA_ARGS__)
#define pr_warn(...)	printk(LOG_WARN, __VA_ARGS__)
#define pr_info(...)	printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...)	printk(LOG_DEBUG, __VA_ARGS__)

#endif /* MKHV_PRINTK_H */
