// SPDX-License-Identifier: GPL-2.0
/*
 * hvworker: Multiboot v1 direct boot and the kernel format switch
 * (multiboot.h).  The kernel file is hostile: every header field is read
 * once into a local copy, every file range and guest range is checked in
 * 64-bit arithmetic before anything is copied, and guest memory is only
 * reached through guest_ptr().
 */
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "multiboot.h"

#define CR0_PE		(1ULL << 0)
#define CR0_ET		(1ULL << 4)

/* GDT entries: null, null, flat 32-bit code (0x10), flat data (0x18). */
#define GDT_CODE32	0x00cf9a000000ffffULL
#define GDT_DATA	0x00cf92000000ffffULL
#define ATTR_CODE32	0xc09b	/* G, D/B, P, S, type 0xb */

/* TLFS names without a macro in hvcall_partition.h. */
#define REG_RBX		(HV_X64_REGISTER_RAX + 3)
#define REG_RSP		(HV_X64_REGISTER_RAX + 4)

#define MB_LOADER_NAME_STR	"mkhv"

long multiboot_find_header(const uint8_t *file, size_t size)
{
	size_t lim = size < MULTIBOOT_SEARCH ? size : MULTIBOOT_SEARCH;
	uint32_t w[3];

	if (!file)
		return -1;
	for (size_t off = 0; off + sizeof(w) <= lim;
	     off += MULTIBOOT_HEADER_ALIGN) {
		memcpy(w, file + off, sizeof(w));
		if (w[0] == MULTIBOOT_HEADER_MAGIC &&
		    (uint32_t)(w[0] + w[1] + w[2]) == 0)
			return (long)off;
	}
	return -1;
}

static int add_segment(struct mb_image *img, uint64_t paddr, uint64_t offset,
		       uint64_t filesz, uint64_t memsz, char *err, size_t errlen)
{
	if (img->nr_segments == MB_MAX_SEGMENTS)
		return boot_fail(err, errlen, -EINVAL,
				 "kernel: more than %u PT_LOAD segments",
				 MB_MAX_SEGMENTS);
	img->seg[img->nr_segments++] = (struct mb_segment){
		.paddr = paddr, .offset = offset,
		.filesz = filesz, .memsz = memsz,
	};
	return 0;
}

/* Flag bit 16: the header's address fields say what to load, as a.out. */
static int parse_aout(size_t size, struct mb_image *img, char *err,
		      size_t errlen)
{
	const struct multiboot_header *h = &img->hdr;
	uint64_t off = img->header_offset, offset, filesz, memsz;

	if (size - off < sizeof(*h))
		return boot_fail(err, errlen, -EINVAL,
				 "kernel: Multiboot header with address fields (flag bit 16) is truncated");
	if (h->header_addr < h->load_addr ||
	    h->header_addr - h->load_addr > off)
		return boot_fail(err, errlen, -EINVAL,
				 "kernel: Multiboot header_addr %#x and load_addr %#x do not match the header's file offset %#llx",
				 h->header_addr, h->load_addr,
				 (unsigned long long)off);
	offset = off - (h->header_addr - h->load_addr);
	if (!h->load_end_addr) {
		filesz = size - offset;
	} else {
		if (h->load_end_addr < h->load_addr ||
		    h->load_end_addr - h->load_addr > size - offset)
			return boot_fail(err, errlen, -EINVAL,
					 "kernel: Multiboot load_end_addr %#x: [%#x, %#x) is not inside the file (%zu bytes from offset %#llx)",
					 h->load_end_addr, h->load_addr,
					 h->load_end_addr, size,
					 (unsigned long long)offset);
		filesz = h->load_end_addr - h->load_addr;
	}
	memsz = filesz;
	if (h->bss_end_addr) {
		if (h->bss_end_addr < h->load_addr + filesz)
			return boot_fail(err, errlen, -EINVAL,
					 "kernel: Multiboot bss_end_addr %#x is below the end of the loaded data %#llx",
					 h->bss_end_addr,
					 (unsigned long long)(h->load_addr + filesz));
		memsz = h->bss_end_addr - h->load_addr;
	}
	if (!memsz)
		return boot_fail(err, errlen, -EINVAL,
				 "kernel: Multiboot address fields load nothing");
	img->entry = h->entry_addr;
	return add_segment(img, h->load_addr, offset, filesz, memsz, err,
			   errlen);
}

static int check_ehdr(const Elf32_Ehdr *eh, size_t size, char *err,
		      size_t errlen)
{
	if (eh->e_ident[EI_CLASS] != ELFCLASS32 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_386)
		return boot_fail(err, errlen, -EINVAL,
				 "kernel: Multiboot ELF is not 32-bit little-endian i386 (class %u, data %u, machine %u)",
				 eh->e_ident[EI_CLASS], eh->e_ident[EI_DATA],
				 eh->e_machine);
	if (eh->e_type != ET_EXEC)
		return boot_fail(err, errlen, -EINVAL,
				 "kernel: ELF type %u, only executables (ET_EXEC) boot",
				 eh->e_type);
	if (eh->e_phentsize != sizeof(Elf32_Phdr) || !eh->e_phnum ||
	    eh->e_phnum > MB_MAX_PHNUM)
		return boot_fail(err, errlen, -EINVAL,
				 "kernel: %u program headers of %u bytes (1 to %u of %zu bytes supported)",
				 eh->e_phnum, eh->e_phentsize, MB_MAX_PHNUM,
				 sizeof(Elf32_Phdr));
	if ((uint64_t)eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf32_Phdr) >
	    size)
		return boot_fail(err, errlen, -EINVAL,
				 "kernel: program headers at %#x (%u of them) run past the end of the file (%zu bytes)",
				 eh->e_phoff, eh->e_phnum, size);
	return 0;
}

static int parse_elf(const uint8_t *file, size_t size, struct mb_image *img,
		     char *err, size_t errlen)
{
	bool entry_found = false;
	Elf32_Ehdr eh;
	Elf32_Phdr ph;
	int ret;

	if (size < sizeof(eh) || memcmp(file, ELFMAG, SELFMAG))
		return boot_fail(err, errlen, -EINVAL,
				 "kernel: has a Multiboot header but is not an ELF file and has no address fields (flag bit 16)");
	memcpy(&eh, file, sizeof(eh));
	ret = check_ehdr(&eh, size, err, errlen);
	if (ret)
		return ret;
	img->entry = eh.e_entry;
	for (unsigned int i = 0; i < eh.e_phnum; i++) {
		memcpy(&ph, file + eh.e_phoff + (size_t)i * sizeof(ph),
		       sizeof(ph));
		if (ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		if (ph.p_filesz > ph.p_memsz ||
		    (uint64_t)ph.p_offset + ph.p_filesz > size)
			return boot_fail(err, errlen, -EINVAL,
					 "kernel: segment %u: %u file bytes at offset %#x (memory size %u) are not inside the file (%zu bytes)",
					 i, ph.p_filesz, ph.p_offset, ph.p_memsz,
					 size);
		ret = add_segment(img, ph.p_paddr, ph.p_offset, ph.p_filesz,
				  ph.p_memsz, err, errlen);
		if (ret)
			return ret;
		/* e_entry is virtual; paging is off at entry (QEMU does this). */
		if (!entry_found && eh.e_entry >= ph.p_vaddr &&
		    eh.e_entry - ph.p_vaddr < ph.p_memsz) {
			img->entry = (uint64_t)ph.p_paddr +
				     (eh.e_entry - ph.p_vaddr);
			entry_found = true;
		}
	}
	if (!img->nr_segments)
		return boot_fail(err, errlen, -EINVAL,
				 "kernel: no loadable (PT_LOAD) segment");
	return 0;
}

/* Every segment inside [1 MiB, @low_end), the entry inside one of them. */
static int check_placement(struct mb_image *img, uint64_t low_end, char *err,
			   size_t errlen)
{
	bool entry_ok = false;

	img->start = ~0ULL;
	img->end = 0;
	for (unsigned int i = 0; i < img->nr_segments; i++) {
		const struct mb_segment *s = &img->seg[i];
		uint64_t end = s->paddr + s->memsz;

		if (s->paddr < MB_KERNEL_MIN)
			return boot_fail(err, errlen, -EINVAL,
					 "kernel: segment at [%#llx, %#llx) %s; Multiboot kernels load from 1 MiB",
					 (unsigned long long)s->paddr,
					 (unsigned long long)end,
					 end > GUEST_ACPI_BASE ?
					 "overlaps the ACPI tables at 0xe0000" :
					 "is in the loader's low memory");
		if (end > low_end)
			return boot_fail(err, errlen, -ENOSPC,
					 "memory too small: kernel segment [%#llx, %#llx) is past the end of low RAM (%#llx)",
					 (unsigned long long)s->paddr,
					 (unsigned long long)end,
					 (unsigned long long)low_end);
		if (s->paddr < img->start)
			img->start = s->paddr;
		if (end > img->end)
			img->end = end;
		if (img->entry >= s->paddr && img->entry < end)
			entry_ok = true;
	}
	if (!entry_ok)
		return boot_fail(err, errlen, -EINVAL,
				 "kernel: entry point %#llx is outside the loaded image",
				 (unsigned long long)img->entry);
	return 0;
}

int multiboot_parse(const uint8_t *file, size_t size, uint64_t low_end,
		    struct mb_image *img, char *err, size_t errlen)
{
	long off = multiboot_find_header(file, size);
	uint32_t unsupported;
	int ret;

	memset(img, 0, sizeof(*img));
	if (off < 0)
		return boot_fail(err, errlen, -EINVAL,
				 "kernel: no Multiboot header (magic 0x1BADB002, valid checksum) in the first 8 KiB");
	img->header_offset = (uint32_t)off;
	memcpy(&img->hdr, file + off,
	       size - (size_t)off < sizeof(img->hdr) ? size - (size_t)off :
						       sizeof(img->hdr));
	unsupported = img->hdr.flags & MULTIBOOT_REQUIRED_MASK &
		      ~(MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO);
	if (unsupported)
		return boot_fail(err, errlen, -EINVAL,
				 "kernel: Multiboot header requires features mkhv does not provide (flags %#x%s)",
				 unsupported,
				 unsupported & MULTIBOOT_VIDEO_MODE ?
				 ": a video mode" : "");
	if (img->hdr.flags & MULTIBOOT_AOUT_KLUDGE)
		ret = parse_aout(size, img, err, errlen);
	else
		ret = parse_elf(file, size, img, err, errlen);
	if (ret)
		return ret;
	return check_placement(img, low_end, err, errlen);
}

static int load_segments(const struct guest_mem *m, const struct mb_image *img,
			 const uint8_t *file)
{
	for (unsigned int i = 0; i < img->nr_segments; i++) {
		const struct mb_segment *s = &img->seg[i];
		uint8_t *dst = guest_ptr(m, s->paddr, s->memsz);

		if (!dst)
			return -ENOSPC;
		memcpy(dst, file + s->offset, s->filesz);
		memset(dst + s->filesz, 0, s->memsz - s->filesz);	/* BSS */
	}
	return 0;
}

/* The information structure and what it points to, in low memory. */
static int build_info(const struct guest_mem *m, const struct multiboot_cfg *c,
		      const struct multiboot_boot_info *bi, const char *cmdline,
		      const char *modstr)
{
	struct multiboot_mmap_entry mmap[8];
	struct multiboot_module mod = { 0 };
	struct multiboot_info mbi = { 0 };
	uint64_t upper = guest_low_end(m) - GUEST_HIGH_RAM;

	for (uint32_t i = 0; i < bi->e820_nr; i++)
		mmap[i] = (struct multiboot_mmap_entry){
			.size = sizeof(mmap[i]) - sizeof(mmap[i].size),
			.addr = bi->e820[i].addr,
			.len = bi->e820[i].size,
			.type = bi->e820[i].type,
		};
	mbi.flags = MULTIBOOT_INFO_MEMORY | MULTIBOOT_INFO_CMDLINE |
		    MULTIBOOT_INFO_MODS | MULTIBOOT_INFO_MEM_MAP |
		    MULTIBOOT_INFO_BOOT_LOADER_NAME;
	mbi.mem_lower = (uint32_t)(GUEST_LOW_RAM_END >> 10);
	mbi.mem_upper = (uint32_t)(upper >> 10);
	mbi.cmdline = (uint32_t)GUEST_CMDLINE;
	mbi.mods_addr = (uint32_t)MB_MODS;
	mbi.mmap_length = bi->e820_nr * (uint32_t)sizeof(mmap[0]);
	mbi.mmap_addr = (uint32_t)MB_MMAP;
	mbi.boot_loader_name = (uint32_t)MB_LOADER_NAME;
	if (bi->module_addr) {
		mbi.mods_count = 1;
		mod.mod_start = (uint32_t)bi->module_addr;
		mod.mod_end = (uint32_t)(bi->module_addr + c->module_size);
		mod.string = (uint32_t)MB_MOD_STRING;
	}
	if (guest_write(m, MB_INFO, &mbi, sizeof(mbi)) ||
	    guest_write(m, MB_MODS, &mod, sizeof(mod)) ||
	    guest_write(m, MB_MMAP, mmap, mbi.mmap_length) ||
	    guest_write(m, MB_LOADER_NAME, MB_LOADER_NAME_STR,
		sizeof(MB_LOADER_NAME_STR)) ||
	    guest_write(m, MB_MOD_STRING, modstr, strlen(modstr) + 1) ||
	    guest_write(m, GUEST_CMDLINE, cmdline, strlen(cmdline) + 1))
		return -ENOSPC;
	return 0;
}

static int build_gdt_acpi(const struct guest_mem *m, unsigned int nr_vcpus,
			  struct multiboot_boot_info *bi, char *err,
			  size_t errlen)
{
	uint64_t gdt[4] = { 0, 0, GDT_CODE32, GDT_DATA };
	uint8_t *acpi = guest_ptr(m, GUEST_ACPI_BASE, GUEST_ACPI_SIZE);
	int ret;

	if (!acpi || guest_write(m, GUEST_GDT, gdt, sizeof(gdt)))
		return boot_fail(err, errlen, -ENOSPC,
				 "no RAM for the GDT and the ACPI tables");
	ret = acpi_build(acpi, GUEST_ACPI_SIZE, GUEST_ACPI_BASE, nr_vcpus,
			 &bi->acpi);
	if (ret)
		return boot_fail(err, errlen, ret, "ACPI tables: %s", strerror(-ret));
	return 0;
}

int multiboot_setup(const struct guest_mem *m, const struct multiboot_cfg *c,
		    struct multiboot_boot_info *bi, char *err, size_t errlen)
{
	const char *cmdline = c->cmdline ? c->cmdline : "";
	const char *modstr = c->module_string ? c->module_string : "";
	struct linux_boot_info e820;
	struct mb_image img;
	uint64_t low_end = guest_low_end(m), mod;
	int ret;

	memset(bi, 0, sizeof(*bi));
	if (c->nr_vcpus < 1 || c->nr_vcpus > ACPI_MAX_VCPUS)
		return boot_fail(err, errlen, -EINVAL, "%u vCPUs: 1 to %u supported",
				 c->nr_vcpus, ACPI_MAX_VCPUS);
	ret = multiboot_parse(c->kernel, c->kernel_size, low_end, &img, err,
			      errlen);
	if (ret)
		return ret;
	if (strlen(cmdline) >= GUEST_CMDLINE_MAX)
		return boot_fail(err, errlen, -E2BIG,
				 "command line is %zu bytes, at most %llu",
				 strlen(cmdline), GUEST_CMDLINE_MAX - 1);
	if (strlen(modstr) >= MB_MOD_STRING_MAX)
		return boot_fail(err, errlen, -E2BIG,
				 "module string is %zu bytes, at most %llu",
				 strlen(modstr), MB_MOD_STRING_MAX - 1);
	bi->entry = img.entry;
	bi->kernel_start = img.start;
	bi->kernel_end = img.end;
	if (c->module && c->module_size) {
		mod = (img.end + GUEST_PAGE_SIZE - 1) & ~(GUEST_PAGE_SIZE - 1);
		if (mod > low_end || c->module_size > low_end - mod)
			return boot_fail(err, errlen, -ENOSPC,
					 "memory too small: module of %zu bytes does not fit between the kernel (ends %#llx) and the end of low RAM (%#llx)",
					 c->module_size,
					 (unsigned long long)img.end,
					 (unsigned long long)low_end);
		bi->module_addr = mod;
	}
	linux_boot_e820(m, &e820);
	bi->e820_nr = e820.e820_nr;
	memcpy(bi->e820, e820.e820, sizeof(bi->e820));
	bi->info_addr = MB_INFO;
	ret = build_gdt_acpi(m, c->nr_vcpus, bi, err, errlen);
	if (ret)
		return ret;
	if (load_segments(m, &img, c->kernel) ||
	    (bi->module_addr &&
	     guest_write(m, bi->module_addr, c->module, c->module_size)) ||
	    build_info(m, c, bi, cmdline, modstr))
		return boot_fail(err, errlen, -ENOSPC,
				 "guest RAM too small for the boot layout");
	return 0;
}

unsigned int multiboot_regs(const struct multiboot_boot_info *bi,
			    struct hv_register_assoc regs[MULTIBOOT_NR_REGS])
{
	unsigned int n = 0;

	boot_reg(&regs[n++], HV_X64_REGISTER_CR0, CR0_PE | CR0_ET, 0);
	boot_reg(&regs[n++], HV_X64_REGISTER_CR3, 0, 0);
	boot_reg(&regs[n++], HV_X64_REGISTER_CR4, 0, 0);
	boot_reg(&regs[n++], HV_X64_REGISTER_EFER, 0, 0);
	n += boot_flat_regs(&regs[n], ATTR_CODE32);
	boot_reg(&regs[n++], HV_X64_REGISTER_RFLAGS, 0x2, 0);
	boot_reg(&regs[n++], HV_X64_REGISTER_RIP, bi->entry, 0);
	boot_reg(&regs[n++], HV_X64_REGISTER_RAX, MULTIBOOT_BOOTLOADER_MAGIC, 0);
	boot_reg(&regs[n++], REG_RBX, bi->info_addr, 0);
	boot_reg(&regs[n++], REG_RSP, MB_STACK_TOP, 0);
	return n;
}

/* ---- the format switch ---- */

enum kernel_format kernel_detect(const uint8_t *file, size_t size)
{
	if (!file)
		return KERNEL_UNKNOWN;
	if (size >= 0x206 && !memcmp(file + 0x202, "HdrS", 4))
		return KERNEL_LINUX;
	if (multiboot_find_header(file, size) >= 0)
		return KERNEL_MULTIBOOT;
	return KERNEL_UNKNOWN;
}

int kernel_boot_setup(const struct guest_mem *m, const struct linux_boot_cfg *c,
		      const char *module_string, struct kernel_boot *kb,
		      char *err, size_t errlen)
{
	struct multiboot_cfg mc = {
		.kernel = c->kernel, .kernel_size = c->kernel_size,
		.module = c->initrd, .module_size = c->initrd_size,
		.module_string = module_string, .cmdline = c->cmdline,
		.nr_vcpus = c->nr_vcpus,
	};

	memset(kb, 0, sizeof(*kb));
	kb->format = kernel_detect(c->kernel, c->kernel_size);
	switch (kb->format) {
	case KERNEL_LINUX:
		return linux_boot_setup(m, c, &kb->linux, err, errlen);
	case KERNEL_MULTIBOOT:
		return multiboot_setup(m, &mc, &kb->mb, err, errlen);
	default:
		return boot_fail(err, errlen, -EINVAL,
				 "kernel: neither a Linux bzImage (\"HdrS\" at 0x202) nor a Multiboot v1 kernel (magic 0x1BADB002 in the first 8 KiB)");
	}
}

unsigned int kernel_boot_regs(const struct kernel_boot *kb,
			      struct hv_register_assoc regs[KERNEL_BOOT_NR_REGS])
{
	if (kb->format == KERNEL_MULTIBOOT)
		return multiboot_regs(&kb->mb, regs);
	return linux_boot_regs(&kb->linux, regs);
}
