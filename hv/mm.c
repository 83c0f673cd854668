// SPDX-License-Identifier: GPL-2.0
/*
 * hv page allocator: a bump pointer over never-used heap plus a free list
 * of returned pages (linked through their first word).  Simple and O(1);
 * the hv allocates few, long-lived structures (page tables, VMCBs, stacks).
 */
#include <mkhv/mm.h>
#include <mkhv/spinlock.h>
#include <mkhv/string.h>
#include <mkhv/printk.h>

static spinlock_t mm_lock = SPINLOCK_INIT;	/* protects everything below */
static u64 heap_start, heap_end;
static u64 bump;		/* next never-used page */
static void *free_list;
static u64 free_pages;		/* pages on free_list */

void mm_init(u64 start, u64 end)
{
	heap_start = ALIGN_UP(start, PAGE_SIZE);
	heap_end = ALIGN_DOWN(end, PAGE_SIZE);
	if (heap_end < heap_start)
		heap_end = heap_start;
	bump = heap_start;
	free_list = NULL;
	free_pages = 0;
}

void *mm_alloc_page(void)
{
	void *p = NULL;

	spin_lock(&mm_lock);
	if (free_list) {
		p = free_list;
		free_list = *(void **)p;
		free_pages--;
	} else if (bump < heap_end) {
		p = (void *)(uintptr_t)bump;
		bump += PAGE_SIZE;
	}
	spin_unlock(&mm_lock);
	if (p)
		memset(p, 0, PAGE_SIZE);
	return p;
}

void *mm_alloc_pages(size_t n)
{
	void *p = NULL;

	if (n == 1)
		return mm_alloc_page();
	spin_lock(&mm_lock);
	if (n && n <= (heap_end - bump) / PAGE_SIZE) {
		p = (void *)(uintptr_t)bump;
		bump += n * PAGE_SIZE;
	}
	spin_unlock(&mm_lock);
	if (p)
		memset(p, 0, n * PAGE_SIZE);
	return p;
}

void mm_free_page(void *page)
{
	u64 a = (u64)(uintptr_t)page;

	if (!page)
		return;
	/* A foreign pointer would corrupt the list: refuse it loudly. */
	if (a < heap_start || a >= bump || !IS_ALIGNED(a, PAGE_SIZE)) {
		pr_err("mm: refusing to free %p: not a heap page\n", page);
		return;
	}
	spin_lock(&mm_lock);
	*(void **)page = free_list;
	free_list = page;
	free_pages++;
	spin_unlock(&mm_lock);
}

u64 mm_free_bytes(void)
{
	u64 n;

	spin_lock(&mm_lock);
	n = heap_end - bump + free_pages * PAGE_SIZE;
	spin_unlock(&mm_lock);
	return n;
}

void mm_heap_range(u64 *start, u64 *end)
{
	*start = heap_start;
	*end = heap_end;
}
