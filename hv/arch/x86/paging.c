// SPDX-License-Identifier: GPL-2.0
/*
 * The hv's own page tables: an identity map of physical memory, so a
 * pointer is a host-physical address everywhere in the hv.  Built once on
 * the BSP (the firmware's tables live in boot-services memory that becomes
 * parent RAM) and shared by every CPU.  1 GiB pages when the CPU has them,
 * else 2 MiB.  Memory types come from the MTRRs (PAT index 0 = WB here, so
 * the firmware's UC MTRRs keep MMIO uncached on real hardware).
 */
#include <mkhv/errno.h>
#include <mkhv/mm.h>
#include <mkhv/printk.h>
#include <asm/setup.h>
#include <asm/x86.h>

#define PTE_P	BIT_ULL(0)
#define PTE_W	BIT_ULL(1)
#define PTE_PS	BIT_ULL(7)

static u64 hv_cr3;

u64 paging_cr3(void)
{
	return hv_cr3;
}

static bool has_1g_pages(void)
{
	struct cpuid_regs r;

	cpuid_count(0x80000001, 0, &r);
	return r.edx & BIT(26);
}

static int map_1g(u64 *pml4, u64 max)
{
	u64 a;

	for (a = 0; a < max; a += SZ_1G) {
		u64 *pdpt, i4 = (a >> 39) & 511;

		if (!(pml4[i4] & PTE_P)) {
			pdpt = mm_alloc_page();
			if (!pdpt)
				return -ENOMEM;
			pml4[i4] = (u64)(uintptr_t)pdpt | PTE_P | PTE_W;
		}
		pdpt = (u64 *)(uintptr_t)(pml4[i4] & PAGE_MASK);
		pdpt[(a >> 30) & 511] = a | PTE_P | PTE_W | PTE_PS;
	}
	return 0;
}

static int map_2m(u64 *pml4, u64 max)
{
	u64 a;

	for (a = 0; a < max; a += SZ_2M) {
		u64 *pdpt, *pd, i4 = (a >> 39) & 511, i3 = (a >> 30) & 511;

		if (!(pml4[i4] & PTE_P)) {
			pdpt = mm_alloc_page();
			if (!pdpt)
				return -ENOMEM;
			pml4[i4] = (u64)(uintptr_t)pdpt | PTE_P | PTE_W;
		}
		pdpt = (u64 *)(uintptr_t)(pml4[i4] & PAGE_MASK);
		if (!(pdpt[i3] & PTE_P)) {
			pd = mm_alloc_page();
			if (!pd)
				return -ENOMEM;
			pdpt[i3] = (u64)(uintptr_t)pd | PTE_P | PTE_W;
		}
		pd = (u64 *)(uintptr_t)(pdpt[i3] & PAGE_MASK);
		pd[(a >> 21) & 511] = a | PTE_P | PTE_W | PTE_PS;
	}
	return 0;
}

/*
 * paging_init() - build and load the identity map of [0, @max_phys).
 * @max_phys: highest physical address the hv must reach (RAM, MMIO of the
 *            LAPIC and the ACPI tables), rounded up to 1 GiB here.
 */
int paging_init(u64 max_phys)
{
	u64 *pml4 = mm_alloc_page();
	bool big = has_1g_pages();
	int ret;

	if (!pml4)
		return -ENOMEM;
	max_phys = ALIGN_UP(max_phys, SZ_1G);
	ret = big ? map_1g(pml4, max_phys) : map_2m(pml4, max_phys);
	if (ret)
		return ret;
	hv_cr3 = (u64)(uintptr_t)pml4;
	write_cr3(hv_cr3);
	pr_debug("paging: identity map of %llu GiB with %s pages\n",
		 (unsigned long long)(max_phys >> 30), big ? "1 GiB" : "2 MiB");
	return 0;
}
