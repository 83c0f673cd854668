/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory and string helpers.  The hv image gets them from hv/string.c (the
 * compiler may also emit calls to memcpy/memset for struct copies); host
 * unit tests (MKHV_HOST_TEST, set by tests/unit/harness.h) use libc's.
 */
#ifndef MKHV_STRING_H
#define MKHV_STRING_H

#include <mkhv/types.h>

#ifdef MKHV_HOST_TEST
#include <string.h>
#else
/** Copy n bytes; the areas must not overlap. Returns dst. */
void *memcpy(void *dst, const void *src, size_t n);
/** Copy n bytes; the areas may overlap. Returns dst. */
void *memmove(void *dst, const void *src, size_t n);
/** Fill n bytes with (u8)c. Returns dst. */
void *memset(void *dst, int c, size_t n);
/** Compare n bytes: <0, 0, >0 as the first differing byte (unsigned). */
int memcmp(const void *a, const void *b, size_t n);
/** Length of the NUL-terminated string s. */
size_t strlen(const char *s);
/** Length of s, but at most max (s need not be terminated within max). */
size_t strnlen(const char *s, size_t max);
#endif

#endif /* MKHV_STRING_H */
