// SPDX-License-Identifier: GPL-2.0
/*
 * The parent partition: a stock Linux booted by the hv as its first guest
 * through the Linux x86 64-bit boot protocol, on the BSP, with one vCPU.
 *
 * Its memory is the machine's, identity-mapped by NPT, minus every hv
 * range (the hv region and the AP trampoline page), which the parent's
 * e820 marks reserved so Linux neither uses it as RAM nor places PCI BARs
 * there.  Boot structures (zero page, command line, GDT, page tables) live
 * in the loader's parent area, reserved in the e820 as well.
 */
#include <mkhv/bzimage.h>
#include <mkhv/child.h>
#include <mkhv/e820.h>
#include <mkhv/errno.h>
#include <mkhv/hypercall.h>
#include <mkhv/lib.h>
#include <mkhv/mm.h>
#include <mkhv/mtrr.h>
#include <mkhv/printk.h>
#include <mkhv/string.h>
#include <asm/vcpu.h>
#include <asm/x86.h>

#ifndef MKHV_VERSION
#define MKHV_VERSION "unknown"
#endif

/* Parent area pages (bootinfo->parent_area). */
#define PA_BOOT_PARAMS	0
#define PA_CMDLINE	1
#define PA_GDT		2
#define PA_PML4		3
#define PA_PDPT		4
#define PA_PD		5	/* four page directories: 0-4 GiB */
#define PA_PAGES	9

#define PTE_P	BIT_ULL(0)
#define PTE_W	BIT_ULL(1)
#define PTE_PS	BIT_ULL(7)
#define NPT_MAX_PHYS_BITS 46	/* map at most 64 TiB of address space */

static struct hv_partition parent_part;
static struct part_x86 parent_px;
static struct hv_vp parent_vp;
static struct vcpu_x86 parent_vcpu;
static struct mem_range hv_ranges[1];
static size_t nr_hv_ranges;
static struct e820_map parent_e820;
static struct ownership ownership;

/*
 * The page-ownership table over every frame up to the end of the highest
 * RAM range: what children may be lent (DESIGN §4).  From the parent's
 * e820, so RAM kept from the parent (parent_memory) is never lent.
 */
static int build_ownership(void)
{
	u64 top = 0, frames;
	size_t bytes;
	void *mem;
	u32 i;

	for (i = 0; i < parent_e820.nr; i++)
		if (parent_e820.r[i].type == E820_TYPE_RAM)
			top = MAX(top, parent_e820.r[i].end);
	/*
	 * The hv's own ranges are tracked too (OWN_HV), also when the
	 * parent's highest RAM lies below them (parent_memory keeps the RAM
	 * above the hv from the parent, and a large initrd may be loaded
	 * below it): otherwise marking them fails with -ERANGE.
	 */
	for (i = 0; i < nr_hv_ranges; i++)
		top = MAX(top, ALIGN_UP(hv_ranges[i].start + hv_ranges[i].size,
					PAGE_SIZE));
	frames = top >> PAGE_SHIFT;
	bytes = ALIGN_UP(ownership_table_bytes(frames), PAGE_SIZE);
	mem = mm_alloc_pages(bytes / PAGE_SIZE);
	if (!mem || ownership_init(&ownership, mem, bytes, frames) ||
	    ownership_init_from_e820(&ownership, &parent_e820, hv_ranges,
				     nr_hv_ranges))
		return -ENOMEM;
	pr_info("ownership table: %llu frames, %llu KiB\n",
		(unsigned long long)frames, (unsigned long long)(bytes >> 10));
	return 0;
}

bool parent_gpa_is_hv(u64 gpa)
{
	size_t i;

	for (i = 0; i < nr_hv_ranges; i++)
		if (gpa >= hv_ranges[i].start &&
		    gpa - hv_ranges[i].start < hv_ranges[i].size)
			return true;
	return false;
}

static void *npt_page_alloc(void *ctx, hpa_t *hpa)
{
	void *p = mm_alloc_page();

	(void)ctx;
	*hpa = (hpa_t)(uintptr_t)p;
	return p;
}

static void npt_page_free(void *ctx, void *va, hpa_t hpa)
{
	(void)ctx;
	(void)hpa;
	mm_free_page(va);
}

static void *npt_page_virt(void *ctx, hpa_t hpa)
{
	(void)ctx;
	return (void *)(uintptr_t)hpa;	/* the hv is identity-mapped */
}

/* Second-level tables of every partition come from the hv heap. */
const struct npt_allocator hv_npt_alloc = {
	.alloc = npt_page_alloc,
	.free = npt_page_free,
	.to_virt = npt_page_virt,
};

static u64 phys_limit(void)
{
	struct cpuid_regs r;
	u32 bits;

	cpuid_count(0x80000008, 0, &r);
	bits = MIN(r.eax & 0xff, NPT_MAX_PHYS_BITS);
	return 1ull << bits;
}

/*
 * EPT: memory types from the firmware's MTRRs, which EPT replaces
 * (mkhv/mtrr.h); if they cannot be used, e820 RAM write-back and the rest
 * uncached.  One log line per range, so the boot log shows the choice.
 */
static int map_parent_ept(struct npt *npt, u64 limit)
{
	static const char *const mt_name[] = {
		[NPT_MT_WB] = "WB", [NPT_MT_WC] = "WC", [NPT_MT_UC] = "UC",
	};
	struct mtrr_state mtrr;
	enum npt_memtype mt;
	u64 cur, next;
	int ret;

	ret = arch_mtrr_read(&mtrr);
	if (ret) {
		pr_warn("parent EPT: MTRRs unusable (%d): e820 RAM WB, the rest UC\n",
			ret);
		return npt_map_parent(npt, &parent_e820, hv_ranges,
				      nr_hv_ranges, limit, NPT_MT_UC);
	}
	for (cur = 0; cur < limit; cur = next) {
		next = mtrr_segment(&mtrr, cur, limit, &mt);
		ret = npt_map_identity(npt, cur, next, hv_ranges, nr_hv_ranges,
				       mt);
		if (ret)
			return ret;
		pr_info("parent EPT: %016llx-%016llx %s (MTRRs)\n",
			(unsigned long long)cur, (unsigned long long)next - 1,
			mt_name[mt]);
	}
	return 0;
}

/*
 * Identity map of the whole physical address space minus hv ranges.  AMD
 * NPT maps it all WB: the host MTRRs still apply, and the guest's PAT
 * combines with them as on bare metal.
 */
static int build_npt(struct part_x86 *px)
{
	struct cpuid_regs r;
	u64 limit = phys_limit();
	int ret;

	cpuid_count(0x80000001, 0, &r);
	ret = npt_init(&px->npt, vcpu_vendor_npt_format(), &hv_npt_alloc,
		       r.edx & BIT(26));
	if (ret)
		return ret;
	if (vcpu_vendor_npt_format() == NPT_FORMAT_EPT)
		ret = map_parent_ept(&px->npt, limit);
	else
		ret = npt_map_identity(&px->npt, 0, limit, hv_ranges,
				       nr_hv_ranges, NPT_MT_WB);
	if (ret)
		return ret;
	px->void_page = (hpa_t)(uintptr_t)mm_alloc_page();
	if (!px->void_page)
		return -ENOMEM;
	memset((void *)(uintptr_t)px->void_page, 0xff, PAGE_SIZE);
	pr_info("parent NPT: identity map of %llu GiB minus %zu hv ranges, "
		"%u table pages\n", (unsigned long long)(limit >> 30),
		nr_hv_ranges, px->npt.table_pages);
	return 0;
}

static void log_e820(const struct e820_map *m)
{
	u32 i;

	for (i = 0; i < m->nr; i++)
		pr_debug("  e820 %016llx-%016llx type %u\n",
			 (unsigned long long)m->r[i].start,
			 (unsigned long long)m->r[i].end - 1, m->r[i].type);
}

static int build_e820(const struct mkhv_bootinfo *bi)
{
	struct mem_range pool[16];
	size_t pool_nr = 0, i;
	int ret;

	ret = e820_from_efi(&parent_e820, (const void *)(uintptr_t)bi->memmap_addr,
			    bi->memmap_size, bi->memmap_desc_size, hv_ranges,
			    nr_hv_ranges);
	if (!ret)
		ret = e820_set(&parent_e820, bi->parent_area,
			       bi->parent_area_size, E820_TYPE_RESERVED, true);
	if (!ret && bi->parent_memory)
		ret = e820_limit_ram(&parent_e820, bi->parent_memory, pool,
				     ARRAY_SIZE(pool), &pool_nr);
	/*
	 * What the loader placed for the parent stays RAM whatever the
	 * limit: the kernel's run area and the initrd (Linux frees it after
	 * unpacking).  The parent may thus get slightly more than
	 * parent_memory.
	 */
	if (!ret && pool_nr)
		ret = e820_set(&parent_e820, bi->kernel_area,
			       bi->kernel_area_size, E820_TYPE_RAM, true);
	if (!ret && pool_nr)
		ret = e820_set(&parent_e820, ALIGN_DOWN(bi->initrd_addr, PAGE_SIZE),
			       ALIGN_UP(bi->initrd_size, PAGE_SIZE), E820_TYPE_RAM,
			       true);
	if (ret)
		return ret;
	for (i = 0; i < pool_nr; i++)
		pr_info("RAM %llx-%llx kept from the parent (parent_memory)\n",
			(unsigned long long)pool[i].start,
			(unsigned long long)(pool[i].start + pool[i].size - 1));
	pr_info("parent RAM: %llu MiB in %u e820 ranges\n",
		(unsigned long long)(e820_ram_bytes(&parent_e820) >> 20),
		parent_e820.nr);
	log_e820(&parent_e820);
	return 0;
}

/* The 64-bit boot protocol wants flat __BOOT_CS (0x10) and __BOOT_DS. */
static void build_gdt_and_tables(u8 *area)
{
	u64 *gdt = (u64 *)(area + PA_GDT * PAGE_SIZE);
	u64 *pml4 = (u64 *)(area + PA_PML4 * PAGE_SIZE);
	u64 *pdpt = (u64 *)(area + PA_PDPT * PAGE_SIZE);
	u64 base = (u64)(uintptr_t)area;
	int i, j;

	memset(area + PA_GDT * PAGE_SIZE, 0, (PA_PAGES - PA_GDT) * PAGE_SIZE);
	gdt[2] = 0x00af9a000000ffffull;
	gdt[3] = 0x00cf92000000ffffull;
	pml4[0] = (base + PA_PDPT * PAGE_SIZE) | PTE_P | PTE_W;
	for (i = 0; i < 4; i++) {
		u64 *pd = (u64 *)(area + (PA_PD + i) * PAGE_SIZE);

		pdpt[i] = (base + (PA_PD + i) * PAGE_SIZE) | PTE_P | PTE_W;
		for (j = 0; j < 512; j++)
			pd[j] = (((u64)i << 30) + ((u64)j << 21)) | PTE_P |
				PTE_W | PTE_PS;
	}
}

/*
 * The parent gets the cfg's command line plus " nr_cpus=1": it has one
 * vCPU, and the other pCPUs are the hv's child pool, which the parent
 * must not try to start (until its ICR writes are trapped, DESIGN §2.4).
 */
static void append_cmdline(char *dst, const char *cfg)
{
	static const char extra[] = " nr_cpus=1";
	size_t n = strlen(cfg);

	if (n > PAGE_SIZE - sizeof(extra))
		n = PAGE_SIZE - sizeof(extra);
	memcpy(dst, cfg, n);
	memcpy(dst + n, extra, sizeof(extra));
}

static int load_kernel(const struct mkhv_bootinfo *bi, struct boot_params *bp,
		       u64 *entry)
{
	const void *image = (const void *)(uintptr_t)bi->kernel_addr;
	u8 *area = (u8 *)(uintptr_t)bi->parent_area;
	char *cmdline = (char *)(area + PA_CMDLINE * PAGE_SIZE);
	struct bzimage_boot_cfg cfg = { 0 };
	struct boot_e820_entry e820[E820_MAX_ENTRIES_ZEROPAGE];
	struct bzimage_info bz;
	u64 load;
	u32 nr;
	int ret;

	ret = bzimage_parse(image, bi->kernel_size, &bz);
	if (ret) {
		pr_err("parent kernel: not a usable 64-bit bzImage\n");
		return ret;
	}
	ret = bzimage_place(&bz, bi->kernel_area,
			    bi->kernel_area + bi->kernel_area_size, &load);
	if (ret) {
		pr_err("parent kernel: does not fit its area\n");
		return ret;
	}
	memcpy((void *)(uintptr_t)load, (const u8 *)image + bz.kernel_offset,
	       bz.kernel_size);
	ret = e820_to_boot(&parent_e820, e820, ARRAY_SIZE(e820), &nr);
	if (ret)
		return ret;
	append_cmdline(cmdline, bi->cmdline);
	cfg.cmdline_addr = (u64)(uintptr_t)cmdline;
	cfg.cmdline_len = (u32)strlen(cmdline);
	cfg.initrd_addr = bi->initrd_addr;
	cfg.initrd_size = bi->initrd_size;
	cfg.acpi_rsdp_addr = bi->acpi_rsdp;
	cfg.e820 = e820;
	cfg.e820_nr = nr;
	ret = bzimage_fill_boot_params(&bz, &cfg, bp);
	if (ret)
		pr_err("parent kernel: cannot build its boot parameters\n");
	*entry = bzimage_entry64(load);
	pr_info("parent kernel: protocol %x.%02x at %llx, initrd %llu KiB\n",
		bz.hdr.version >> 8, bz.hdr.version & 0xff,
		(unsigned long long)load,
		(unsigned long long)(bi->initrd_size >> 10));
	return ret;
}

static void publish_sysinfo(const struct mkhv_bootinfo *bi)
{
	struct hv_sysinfo si = { 0 };
	u32 i;

	si.nr_pcpus = nr_pcpus;
	si.nr_parent_vcpus = 1;
	si.nr_pool_pcpus = nr_pcpus - 1;
	for (i = 1; i < nr_pcpus && i < 256; i++)
		si.pool_cpu_mask[i / 64] |= 1ull << (i % 64);
	si.hv_mem_base = bi->hv_base;
	si.hv_mem_size = bi->hv_size;
	for (i = 0; i < sizeof(si.build_id) - 1 && MKHV_VERSION[i]; i++)
		si.build_id[i] = MKHV_VERSION[i];
	hypercall_set_sysinfo(&si);
}

void parent_start(struct mkhv_bootinfo *bi)
{
	u8 *area = (u8 *)(uintptr_t)bi->parent_area;
	struct hyperv_config hc = {
		.role = HYPERV_ROLE_PARENT,
		.nr_vps = 1,
		.nr_lps = nr_pcpus,
		.tsc_hz = tsc_hz(),
		.apic_hz = apic_timer_hz(),
	};
	struct x86_boot_state bs = { 0 };
	u64 entry;

	if (bi->parent_area_size < PA_PAGES * PAGE_SIZE)
		panic("parent area too small");
	pr_info("clocks: TSC %llu kHz, LAPIC timer %llu kHz\n",
		(unsigned long long)(hc.tsc_hz / 1000),
		(unsigned long long)(hc.apic_hz / 1000));
	/*
	 * The AP trampoline page is done with (every AP is up) and goes back
	 * to the parent as RAM: only the hv region stays hidden.
	 */
	hv_ranges[0] = (struct mem_range){ bi->hv_base, bi->hv_size };
	nr_hv_ranges = 1;

	if (build_e820(bi))
		panic("cannot build the parent's memory map");
	if (load_kernel(bi, (struct boot_params *)area, &entry))
		panic("cannot load the parent kernel");
	build_gdt_and_tables(area);

	parent_part.id = HV_PARENT_PARTITION_ID;
	parent_part.is_parent = true;
	parent_part.arch = &parent_px;
	parent_px.asid = 1;
	hyperv_partition_init(&parent_part.hv, &hc);
	parent_vp.part = &parent_part;
	parent_vp.arch = &parent_vcpu;
	hyperv_vp_init(&parent_vp.hv, 0);
	parent_vcpu.vp = &parent_vp;
	publish_sysinfo(bi);
	if (build_npt(&parent_px) || vcpu_vendor_create(&parent_vcpu) ||
	    build_ownership())
		panic("no memory for the parent partition");
	child_init(&parent_part, &ownership);

	bs.rip = entry;
	bs.rsi = (u64)(uintptr_t)area;
	bs.cr3 = (u64)(uintptr_t)(area + PA_PML4 * PAGE_SIZE);
	bs.gdt_base = (u64)(uintptr_t)(area + PA_GDT * PAGE_SIZE);
	bs.gdt_limit = 4 * 8 - 1;
	vcpu_vendor_set_boot_state(&parent_vcpu, &bs);
	pcpus[0].vcpu = &parent_vcpu;
	pr_info("starting the parent partition on cpu0 (hv heap %llu KiB free)\n",
		(unsigned long long)(mm_free_bytes() >> 10));
	vcpu_vendor_run(&parent_vcpu);
}

/* Guest memory access for the core (hypercall buffers, hypercall page). */
static int guest_span(struct hv_partition *part, gpa_t gpa, size_t len,
		      bool write, u8 **p)
{
	struct part_x86 *px = part_x86(part);
	struct npt_mapping m;
	u64 off;

	/* Walk every page: contiguity in GPA says nothing about HPA. */
	for (off = 0; off < len; off += PAGE_SIZE - ((gpa + off) & ~PAGE_MASK)) {
		if (npt_lookup(&px->npt, gpa + off, &m) ||
		    (write && !(m.prot & NPT_W)) ||
		    parent_gpa_is_hv(m.hpa))
			return -EFAULT;
		if (off == 0)
			*p = (u8 *)(uintptr_t)m.hpa;
		else if ((u8 *)(uintptr_t)m.hpa != *p + off)
			return -EFAULT;	/* not contiguous: refuse */
	}
	return 0;
}

int arch_copy_from_guest(struct hv_partition *part, void *dst, gpa_t gpa,
			 size_t len)
{
	u8 *p;

	if (range_overflows(gpa, len) || guest_span(part, gpa, len, false, &p))
		return -EFAULT;
	memcpy(dst, p, len);
	return 0;
}

int arch_copy_to_guest(struct hv_partition *part, gpa_t gpa, const void *src,
		       size_t len)
{
	u8 *p;

	if (range_overflows(gpa, len) || guest_span(part, gpa, len, true, &p))
		return -EFAULT;
	memcpy(p, src, len);
	return 0;
}

int arch_guest_or64(struct hv_partition *part, gpa_t gpa, u64 bits, u64 *old)
{
	u8 *p;

	if (!IS_ALIGNED(gpa, 8) || guest_span(part, gpa, 8, true, &p))
		return -EFAULT;
	*old = __atomic_fetch_or((u64 *)p, bits, __ATOMIC_SEQ_CST);
	return 0;
}

size_t arch_hypercall_stub(u8 *buf, size_t len)
{
	const size_t n = sizeof(vcpu_vendor->hypercall_insn);

	if (len < n)
		return 0;
	memcpy(buf, vcpu_vendor_hypercall_insn(), n);
	return n;
}
