/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hv heap: 4 KiB pages from the part of the hv region the image does
 * not use.  The hv runs identity-mapped, so a page's virtual address is its
 * host-physical address.
 */
#ifndef MKHV_MM_H
#define MKHV_MM_H

#include <mkhv/types.h>

/**
 * mm_init() - hand [start, end) to the page allocator.
 * @start: first byte, rounded up to a page
 * @end: first byte after the heap, rounded down to a page
 *
 * Called once on the BSP before any allocation.
 */
void mm_init(u64 start, u64 end);

/**
 * mm_alloc_page() - one zeroed 4 KiB page.
 *
 * Return: its address, or NULL when the heap is exhausted (callers fail
 * the operation with -ENOMEM; the hv itself never assumes success).
 * @see mm_free_page()
 */
void *mm_alloc_page(void);

/**
 * mm_alloc_pages() - @n physically contiguous zeroed pages.
 *
 * Contiguous runs come only from never-used heap (boot-time structures:
 * stacks, permission maps); freed pages are not coalesced.
 * Return: the first page, or NULL.
 */
void *mm_alloc_pages(size_t n);

/** mm_free_page() - return a page from mm_alloc_page()/mm_alloc_pages(). */
void mm_free_page(void *page);

/** mm_free_bytes() - bytes the heap can still hand out. */
u64 mm_free_bytes(void);

/** mm_heap_range() - the heap's [start, end) as given to mm_init(). */
void mm_heap_range(u64 *start, u64 *end);

#endif /* MKHV_MM_H */
