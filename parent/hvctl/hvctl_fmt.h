/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvctl's pure parts (no device access): formatting of what the hv
 * reports and parsing of the command line's numbers.  Unit-tested in
 * tests/unit/test_hvctl.c.
 */
#ifndef HVCTL_FMT_H
#define HVCTL_FMT_H

#include <stddef.h>
#include <stdint.h>

#include <mkhv/hvcall.h>

/* pCPU bits mkhv_info can describe (pool_cpu_mask). */
#define HVCTL_MAX_PCPUS	256

/* "X.Y.Z" from a MKHV_VERSION_CODE.  Returns snprintf's count. */
int hvctl_format_version(char *buf, size_t len, uint32_t code);

/*
 * Linux cpulist form ("0", "1-3,5", "none") of the set bits among the
 * first @nbits (at most HVCTL_MAX_PCPUS) of @mask; @invert lists the clear
 * bits instead.  Returns 0, or -ENOSPC if @buf is too small (it then holds
 * a truncated, NUL-terminated list).
 */
int hvctl_format_cpulist(char *buf, size_t len, const uint64_t *mask,
			 unsigned int nbits, int invert);

/* "64 MiB", "65288 KiB" or "100 bytes": the largest exact unit. */
int hvctl_format_size(char *buf, size_t len, uint64_t bytes);

/*
 * The `hvctl hv-info` text.  Inconsistent counts from the hv (more pCPUs
 * than the mask covers, a pool larger than the machine, a range that
 * wraps) are reported, never trusted for indexing.  Returns 0, -EINVAL if
 * the info is inconsistent (the text then says what) or -ENOSPC.
 */
int hvctl_format_info(char *buf, size_t len, const struct mkhv_info *info);

/*
 * Parses an unsigned number: decimal, 0x hex, optionally followed by one
 * of K, M, G, T (binary, case-insensitive, optional "iB"/"B").  Returns 0,
 * or -EINVAL (junk, empty, negative) / -ERANGE (overflow).
 */
int hvctl_parse_u64(const char *s, uint64_t *out);

/*
 * Bytes of the hv log lost between a read asked at @pos and its answer
 * (the ring dropped them): next_pos - len - pos, or 0 if the answer does
 * not make sense (it never underflows).
 */
uint64_t hvctl_log_lost(uint64_t pos, uint64_t next_pos, uint32_t len);

#endif /* HVCTL_FMT_H */
