// SPDX-License-Identifier: GPL-2.0
/*
 * Check suite for parent/worker/multiboot.c: Multiboot v1 kernels
 * synthesized in a buffer (good ones and every hostile variant), the real
 * tinyguest_mb.elf, the information structure, the boot registers, the
 * bzImage / Multiboot switch, and the whole worker booting tinyguest_mb
 * on the scripted fake backend.
 */
#include <check.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hvworker_fake.h"
#include "multiboot.h"
#include "uart.h"
#include "worker.h"

#define FILE_SIZE	0x2000
#define HDR_OFF		0x1000	/* the Multiboot header, in segment 0 */
#define SEG0_PADDR	0x100000ULL
#define SEG1_PADDR	0x200000ULL
#define SEG1_MEMSZ	0x2f00	/* the BSS ends off a page boundary */
#define ENTRY		(SEG0_PADDR + 0x40)
#define RAM_MIB		64

static uint8_t file[FILE_SIZE] __attribute__((aligned(8)));
static char err[256];

static Elf32_Ehdr *ehdr(void)
{
	return (Elf32_Ehdr *)file;
}

static Elf32_Phdr *phdr(unsigned int i)
{
	return (Elf32_Phdr *)(file + sizeof(Elf32_Ehdr)) + i;
}

static void mb_header(uint8_t *at, uint32_t flags)
{
	uint32_t h[3] = { MULTIBOOT_HEADER_MAGIC, flags,
			  -(MULTIBOOT_HEADER_MAGIC + flags) };

	memcpy(at, h, sizeof(h));
}

/*
 * A good kernel: text [1 MiB, +0x800) from offset 0x1000 (holding the
 * header), data + BSS [2 MiB, +0x2f00) with 0x100 file bytes at 0x1800.
 */
static void make_elf(void)
{
	Elf32_Ehdr *eh = ehdr();

	memset(file, 0, sizeof(file));
	for (unsigned int i = HDR_OFF; i < FILE_SIZE; i++)
		file[i] = (uint8_t)(i * 7 + 1);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS32;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_386;
	eh->e_version = EV_CURRENT;
	eh->e_entry = (uint32_t)ENTRY;
	eh->e_phoff = sizeof(Elf32_Ehdr);
	eh->e_ehsize = sizeof(Elf32_Ehdr);
	eh->e_phentsize = sizeof(Elf32_Phdr);
	eh->e_phnum = 2;
	*phdr(0) = (Elf32_Phdr){ .p_type = PT_LOAD, .p_offset = HDR_OFF,
				 .p_vaddr = SEG0_PADDR, .p_paddr = SEG0_PADDR,
				 .p_filesz = 0x800, .p_memsz = 0x800 };
	*phdr(1) = (Elf32_Phdr){ .p_type = PT_LOAD, .p_offset = 0x1800,
				 .p_vaddr = SEG1_PADDR, .p_paddr = SEG1_PADDR,
				 .p_filesz = 0x100, .p_memsz = SEG1_MEMSZ };
	mb_header(file + HDR_OFF, MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO);
}

struct ram {
	uint8_t *p;
	uint64_t size;
	struct guest_mem m;
};

static void ram_get(struct ram *r, uint64_t mib, uint8_t fill)
{
	r->size = mib << 20;
	r->p = mmap(NULL, r->size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ck_assert(r->p != MAP_FAILED);
	if (fill)
		memset(r->p, fill, 4 << 20);	/* the first 4 MiB dirty */
	ck_assert_int_eq(guest_mem_init(&r->m, r->p, r->size), 0);
}

static void ram_put(struct ram *r)
{
	munmap(r->p, r->size);
}

static int boot_file(struct ram *r, const uint8_t *k, size_t ksize,
		     const void *mod, size_t msize, const char *cmdline,
		     struct multiboot_boot_info *bi)
{
	struct multiboot_cfg c = {
		.kernel = k, .kernel_size = ksize,
		.module = mod, .module_size = msize,
		.module_string = "initrd.img", .cmdline = cmdline,
		.nr_vcpus = 1,
	};

	err[0] = '\0';
	return multiboot_setup(&r->m, &c, bi, err, sizeof(err));
}

/* Boot the synthesized file in fresh RAM; returns what the loader did. */
static int boot(const char *want_err)
{
	struct multiboot_boot_info bi;
	struct ram r;
	int ret;

	ram_get(&r, RAM_MIB, 0);
	ret = boot_file(&r, file, sizeof(file), "MOD", 3, "x", &bi);
	if (ret && want_err)
		ck_assert_msg(strstr(err, want_err), "error '%s' lacks '%s'",
			      err, want_err);
	if (ret) {
		/* Nothing of a refused kernel reached guest RAM. */
		ck_assert_uint_eq(r.p[SEG0_PADDR], 0);
		ck_assert_uint_eq(r.p[MB_INFO], 0);
	}
	ram_put(&r);
	return ret;
}

static uint64_t reg_of(const struct hv_register_assoc *regs, unsigned int n,
		       uint32_t name, bool high)
{
	for (unsigned int i = 0; i < n; i++)
		if (regs[i].name == name)
			return high ? regs[i].value.high : regs[i].value.low;
	ck_abort_msg("register %#x not set", name);
	return 0;
}

static uint8_t *read_all(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*size = (size_t)n;
	return buf;
}

/* ---- the header ---- */

START_TEST(header_found_aligned_with_checksum)
{
	make_elf();
	ck_assert_int_eq(multiboot_find_header(file, sizeof(file)), HDR_OFF);
	/* Not 4-byte aligned: not a header. */
	memset(file + HDR_OFF, 0, 12);
	mb_header(file + 0x102, 0);
	ck_assert_int_eq(multiboot_find_header(file, sizeof(file)), -1);
	/* Bad checksum. */
	mb_header(file + 0x100, 0);
	file[0x108] ^= 1;
	ck_assert_int_eq(multiboot_find_header(file, sizeof(file)), -1);
	/* Truncated: magic and flags in the file, checksum past its end. */
	mb_header(file + 0x100, 0);
	ck_assert_int_eq(multiboot_find_header(file, 0x108), -1);
	ck_assert_int_eq(multiboot_find_header(file, 0x10c), 0x100);
	ck_assert_int_eq(multiboot_find_header(NULL, 100), -1);
}
END_TEST

START_TEST(header_only_in_first_8k)
{
	static uint8_t big[0x3000];

	mb_header(big + 0x2000 - 12, 0);	/* the last slot inside 8 KiB */
	ck_assert_int_eq(multiboot_find_header(big, sizeof(big)), 0x2000 - 12);
	memset(big, 0, sizeof(big));
	mb_header(big + 0x2000, 0);		/* just past it */
	ck_assert_int_eq(multiboot_find_header(big, sizeof(big)), -1);
}
END_TEST

/* ---- loading ---- */

START_TEST(elf_segments_loaded_bss_zeroed)
{
	struct multiboot_boot_info bi;
	struct ram r;

	make_elf();
	ram_get(&r, RAM_MIB, 0xaa);
	ck_assert_int_eq(boot_file(&r, file, sizeof(file), NULL, 0, NULL, &bi), 0);
	ck_assert_int_eq(memcmp(r.p + SEG0_PADDR, file + HDR_OFF, 0x800), 0);
	ck_assert_int_eq(memcmp(r.p + SEG1_PADDR, file + 0x1800, 0x100), 0);
	for (uint64_t a = SEG1_PADDR + 0x100; a < SEG1_PADDR + SEG1_MEMSZ; a++)
		ck_assert_uint_eq(r.p[a], 0);
	/* Bytes outside the segments are left alone. */
	ck_assert_uint_eq(r.p[SEG0_PADDR + 0x800], 0xaa);
	ck_assert_uint_eq(r.p[SEG1_PADDR + SEG1_MEMSZ], 0xaa);
	ck_assert_uint_eq(bi.entry, ENTRY);
	ck_assert_uint_eq(bi.kernel_start, SEG0_PADDR);
	ck_assert_uint_eq(bi.kernel_end, SEG1_PADDR + SEG1_MEMSZ);
	ck_assert_uint_eq(bi.module_addr, 0);
	ram_put(&r);
}
END_TEST

START_TEST(elf_virtual_entry_translated)
{
	struct multiboot_boot_info bi;
	struct ram r;

	make_elf();
	/* A higher-half kernel: linked at 3 GiB, loaded at 1 MiB. */
	phdr(0)->p_vaddr = 0xc0100000;
	ehdr()->e_entry = 0xc0100040;
	ram_get(&r, RAM_MIB, 0);
	ck_assert_int_eq(boot_file(&r, file, sizeof(file), NULL, 0, NULL, &bi), 0);
	ck_assert_uint_eq(bi.entry, SEG0_PADDR + 0x40);
	ram_put(&r);
}
END_TEST

START_TEST(module_page_aligned_after_kernel)
{
	static const char mod[] = "MODULE-0123456789abcdef";
	struct multiboot_boot_info bi;
	struct multiboot_module *mm;
	struct ram r;

	make_elf();
	ram_get(&r, RAM_MIB, 0);
	ck_assert_int_eq(boot_file(&r, file, sizeof(file), mod, sizeof(mod),
				   "", &bi), 0);
	ck_assert_uint_eq(bi.module_addr, SEG1_PADDR + 0x3000);
	ck_assert_int_eq(memcmp(r.p + bi.module_addr, mod, sizeof(mod)), 0);
	mm = (struct multiboot_module *)(r.p + MB_MODS);
	ck_assert_uint_eq(mm->mod_start, bi.module_addr);
	ck_assert_uint_eq(mm->mod_end, bi.module_addr + sizeof(mod));
	ck_assert_uint_eq(mm->string, MB_MOD_STRING);
	ck_assert_str_eq((char *)r.p + mm->string, "initrd.img");
	ck_assert_uint_eq(mm->reserved, 0);
	ram_put(&r);
}
END_TEST

START_TEST(info_structure)
{
	struct multiboot_boot_info bi;
	struct linux_boot_info lb;
	struct multiboot_info *mbi;
	struct multiboot_mmap_entry *e;
	struct ram r;
	bool acpi = false;

	make_elf();
	ram_get(&r, RAM_MIB, 0);
	ck_assert_int_eq(boot_file(&r, file, sizeof(file), "M", 1,
				   "root=/dev/x quiet", &bi), 0);
	ck_assert_uint_eq(bi.info_addr, MB_INFO);
	mbi = (struct multiboot_info *)(r.p + MB_INFO);
	ck_assert_uint_eq(mbi->flags,
			  MULTIBOOT_INFO_MEMORY | MULTIBOOT_INFO_CMDLINE |
			  MULTIBOOT_INFO_MODS | MULTIBOOT_INFO_MEM_MAP |
			  MULTIBOOT_INFO_BOOT_LOADER_NAME);
	ck_assert_uint_eq(mbi->mem_lower, 636);
	ck_assert_uint_eq(mbi->mem_upper, (RAM_MIB - 1) * 1024);
	ck_assert_str_eq((char *)r.p + mbi->cmdline, "root=/dev/x quiet");
	ck_assert_uint_eq(mbi->mods_count, 1);
	ck_assert_uint_eq(mbi->mods_addr, MB_MODS);
	ck_assert_str_eq((char *)r.p + mbi->boot_loader_name, "mkhv");
	/* The memory map is the e820 Linux gets, entry for entry. */
	linux_boot_e820(&r.m, &lb);
	ck_assert_uint_eq(bi.e820_nr, lb.e820_nr);
	ck_assert_uint_eq(mbi->mmap_addr, MB_MMAP);
	ck_assert_uint_eq(mbi->mmap_length, lb.e820_nr * 24);
	e = (struct multiboot_mmap_entry *)(r.p + mbi->mmap_addr);
	for (uint32_t i = 0; i < lb.e820_nr; i++) {
		ck_assert_uint_eq(e[i].size, 20);
		ck_assert_uint_eq(e[i].addr, lb.e820[i].addr);
		ck_assert_uint_eq(e[i].len, lb.e820[i].size);
		ck_assert_uint_eq(e[i].type, lb.e820[i].type);
		if (e[i].addr == GUEST_ACPI_BASE) {
			acpi = true;
			ck_assert_uint_ne(e[i].type, 1);	/* not RAM */
			ck_assert_uint_eq(e[i].len, GUEST_ACPI_SIZE);
		}
	}
	ck_assert(acpi);
	ck_assert_uint_eq(e[3].addr, GUEST_HIGH_RAM);
	ck_assert_uint_eq(e[3].len, (RAM_MIB - 1) << 20);
	ck_assert_uint_eq(e[3].type, 1);
	/* The ACPI tables are there: the RSDP at 0xe0000. */
	ck_assert_int_eq(memcmp(r.p + GUEST_ACPI_BASE, "RSD PTR ", 8), 0);
	ck_assert_uint_eq(bi.acpi.rsdp, GUEST_ACPI_BASE);
	/* The boot data sits below the kernel, clear of the ELF. */
	ck_assert_uint_lt(MB_MOD_STRING + MB_MOD_STRING_MAX, GUEST_CMDLINE);
	ck_assert_uint_le(GUEST_CMDLINE + GUEST_CMDLINE_MAX, GUEST_LOW_RAM_END);
	ram_put(&r);
}
END_TEST

START_TEST(no_module_no_cmdline)
{
	struct multiboot_boot_info bi;
	struct multiboot_info *mbi;
	struct ram r;

	make_elf();
	ram_get(&r, RAM_MIB, 0);
	ck_assert_int_eq(boot_file(&r, file, sizeof(file), NULL, 0, NULL, &bi), 0);
	mbi = (struct multiboot_info *)(r.p + MB_INFO);
	ck_assert_uint_eq(mbi->mods_count, 0);
	ck_assert_str_eq((char *)r.p + mbi->cmdline, "");
	ram_put(&r);
}
END_TEST

START_TEST(boot_registers_and_gdt)
{
	struct hv_register_assoc regs[MULTIBOOT_NR_REGS];
	struct multiboot_boot_info bi;
	uint64_t *gdt, cs, ds;
	unsigned int n;
	struct ram r;

	make_elf();
	ram_get(&r, RAM_MIB, 0);
	ck_assert_int_eq(boot_file(&r, file, sizeof(file), NULL, 0, NULL, &bi), 0);
	n = multiboot_regs(&bi, regs);
	ck_assert_uint_eq(n, MULTIBOOT_NR_REGS);
	ck_assert_uint_eq(reg_of(regs, n, HV_X64_REGISTER_CR0, false), 0x11);
	ck_assert_uint_eq(reg_of(regs, n, HV_X64_REGISTER_CR4, false), 0);
	ck_assert_uint_eq(reg_of(regs, n, HV_X64_REGISTER_EFER, false), 0);
	ck_assert_uint_eq(reg_of(regs, n, HV_X64_REGISTER_RFLAGS, false), 2);
	ck_assert_uint_eq(reg_of(regs, n, HV_X64_REGISTER_RIP, false), ENTRY);
	ck_assert_uint_eq(reg_of(regs, n, HV_X64_REGISTER_RAX, false),
			  0x2BADB002);
	ck_assert_uint_eq(reg_of(regs, n, HV_X64_REGISTER_RAX + 3, false),
			  MB_INFO);				/* EBX */
	ck_assert_uint_eq(reg_of(regs, n, HV_X64_REGISTER_GDTR, false),
			  GUEST_GDT);
	ck_assert_uint_eq(reg_of(regs, n, HV_X64_REGISTER_GDTR, true), 31);
	/* Flat 4 GiB, 32-bit (D/B), granular, base 0. */
	cs = reg_of(regs, n, HV_X64_REGISTER_CS, true);
	ds = reg_of(regs, n, HV_X64_REGISTER_SS, true);
	ck_assert_uint_eq(cs, 0xffffffffULL | 0x10ULL << 32 | 0xc09bULL << 48);
	ck_assert_uint_eq(ds, 0xffffffffULL | 0x18ULL << 32 | 0xc093ULL << 48);
	ck_assert_uint_eq(reg_of(regs, n, HV_X64_REGISTER_CS, false), 0);
	for (uint32_t s = HV_X64_REGISTER_ES; s <= HV_X64_REGISTER_ES + 5; s++)
		if (s != HV_X64_REGISTER_CS)
			ck_assert_uint_eq(reg_of(regs, n, s, true), ds);
	/* The descriptors the selectors name say the same (bar accessed). */
	gdt = (uint64_t *)(r.p + GUEST_GDT);
	for (int i = 0; i < 2; i++) {
		uint64_t d = gdt[(i ? 0x18 : 0x10) / 8];
		uint16_t attr = (uint16_t)((i ? ds : cs) >> 48);

		ck_assert_uint_eq(((d >> 40) & 0xff) | 1, attr & 0xff);
		ck_assert_uint_eq((d >> 52) & 0xf, attr >> 12);
		ck_assert_uint_eq(d & 0xffff, 0xffff);		/* limit */
		ck_assert_uint_eq((d >> 48) & 0xf, 0xf);
		ck_assert_uint_eq(d & 0xff000000ffff0000ULL, 0);	/* base */
	}
	ck_assert_uint_eq(gdt[0], 0);
	ram_put(&r);
}
END_TEST

START_TEST(aout_kludge_address_fields)
{
	static uint8_t raw[0x800];
	struct multiboot_header h = {
		.magic = MULTIBOOT_HEADER_MAGIC,
		.flags = MULTIBOOT_AOUT_KLUDGE | MULTIBOOT_PAGE_ALIGN,
		.header_addr = 0x100020, .load_addr = 0x100000,
		.load_end_addr = 0x100600, .bss_end_addr = 0x101000,
		.entry_addr = 0x100040,
	};
	struct multiboot_boot_info bi;
	struct ram r;

	h.checksum = -(h.magic + h.flags);
	for (unsigned int i = 0; i < sizeof(raw); i++)
		raw[i] = (uint8_t)(i + 3);
	memcpy(raw + 0x20, &h, sizeof(h));
	ram_get(&r, RAM_MIB, 0xaa);
	ck_assert_int_eq(boot_file(&r, raw, sizeof(raw), NULL, 0, NULL, &bi), 0);
	ck_assert_int_eq(memcmp(r.p + 0x100000, raw, 0x600), 0);
	for (uint64_t a = 0x100600; a < 0x101000; a++)
		ck_assert_uint_eq(r.p[a], 0);
	ck_assert_uint_eq(bi.entry, 0x100040);
	ck_assert_uint_eq(bi.kernel_end, 0x101000);
	/* load_end_addr 0: to the end of the file. */
	h.load_end_addr = 0;
	h.bss_end_addr = 0;
	memcpy(raw + 0x20, &h, sizeof(h));
	ck_assert_int_eq(boot_file(&r, raw, sizeof(raw), NULL, 0, NULL, &bi), 0);
	ck_assert_uint_eq(bi.kernel_end, 0x100000 + sizeof(raw));
	ram_put(&r);
}
END_TEST

START_TEST(tinyguest_mb_elf)
{
	struct mb_image img;
	size_t size;
	uint8_t *k = read_all(HVWORKER_TEST_TINYGUEST_MB, &size);

	ck_assert_int_eq(kernel_detect(k, size), KERNEL_MULTIBOOT);
	ck_assert_int_eq(multiboot_parse(k, size, 64 << 20, &img, err,
					 sizeof(err)), 0);
	ck_assert_uint_lt(img.header_offset, MULTIBOOT_SEARCH);
	ck_assert_uint_eq(img.nr_segments, 1);
	ck_assert_uint_eq(img.seg[0].paddr, 0x100000);
	ck_assert_uint_gt(img.seg[0].memsz, img.seg[0].filesz);	/* BSS */
	ck_assert_uint_eq(img.entry, 0x100000 + 12);	/* after the header */
	free(k);
}
END_TEST

/* ---- hostile kernels ---- */

START_TEST(hostile_not_elf_without_address_fields)
{
	make_elf();
	memset(file, 0, 4);
	ck_assert_int_eq(boot("not an ELF"), -EINVAL);
}
END_TEST

START_TEST(hostile_elf_class_machine_type)
{
	make_elf();
	ehdr()->e_ident[EI_CLASS] = ELFCLASS64;
	ck_assert_int_eq(boot("i386"), -EINVAL);
	make_elf();
	ehdr()->e_ident[EI_DATA] = ELFDATA2MSB;
	ck_assert_int_eq(boot("i386"), -EINVAL);
	make_elf();
	ehdr()->e_machine = EM_X86_64;
	ck_assert_int_eq(boot("i386"), -EINVAL);
	make_elf();
	ehdr()->e_type = ET_DYN;
	ck_assert_int_eq(boot("ET_EXEC"), -EINVAL);
}
END_TEST

START_TEST(hostile_program_header_table)
{
	make_elf();
	ehdr()->e_phnum = 0;
	ck_assert_int_eq(boot("program headers"), -EINVAL);
	make_elf();
	ehdr()->e_phnum = 0xffff;
	ck_assert_int_eq(boot("program headers"), -EINVAL);
	make_elf();
	ehdr()->e_phentsize = 56;	/* an ELF64 phdr */
	ck_assert_int_eq(boot("program headers"), -EINVAL);
	make_elf();
	ehdr()->e_phoff = FILE_SIZE - 40;	/* 2 headers, 64 bytes */
	ck_assert_int_eq(boot("past the end of the file"), -EINVAL);
	make_elf();
	ehdr()->e_phoff = 0xffffffe0;	/* would wrap in 32 bits */
	ck_assert_int_eq(boot("past the end of the file"), -EINVAL);
}
END_TEST

START_TEST(hostile_segment_outside_file)
{
	make_elf();
	phdr(1)->p_offset = FILE_SIZE - 0x80;	/* 0x100 bytes from there */
	ck_assert_int_eq(boot("not inside the file"), -EINVAL);
	make_elf();
	phdr(1)->p_offset = 0xffffff80;		/* wraps in 32 bits */
	ck_assert_int_eq(boot("not inside the file"), -EINVAL);
	make_elf();
	phdr(1)->p_filesz = SEG1_MEMSZ + 1;	/* more file than memory */
	ck_assert_int_eq(boot("not inside the file"), -EINVAL);
}
END_TEST

START_TEST(hostile_no_or_too_many_segments)
{
	make_elf();
	phdr(0)->p_type = PT_NOTE;
	phdr(1)->p_type = PT_NULL;
	ck_assert_int_eq(boot("no loadable"), -EINVAL);
	make_elf();
	phdr(0)->p_memsz = 0;	/* empty segments do not count */
	phdr(0)->p_filesz = 0;
	phdr(1)->p_memsz = 0;
	phdr(1)->p_filesz = 0;
	ck_assert_int_eq(boot("no loadable"), -EINVAL);
	/* 17 tiny PT_LOAD segments, each one a valid piece. */
	make_elf();
	ehdr()->e_phnum = MB_MAX_SEGMENTS + 1;
	for (unsigned int i = 0; i <= MB_MAX_SEGMENTS; i++)
		*phdr(i) = (Elf32_Phdr){ .p_type = PT_LOAD,
			.p_offset = HDR_OFF, .p_filesz = 0x10, .p_memsz = 0x1000,
			.p_vaddr = SEG0_PADDR + i * 0x1000,
			.p_paddr = SEG0_PADDR + i * 0x1000 };
	ck_assert_int_eq(boot("more than 16"), -EINVAL);
	ehdr()->e_phnum = MB_MAX_SEGMENTS;
	ck_assert_int_eq(boot(NULL), 0);
}
END_TEST

START_TEST(hostile_segment_placement)
{
	make_elf();
	phdr(1)->p_paddr = 0xe0000;	/* the ACPI tables */
	ck_assert_int_eq(boot("ACPI"), -EINVAL);
	make_elf();
	phdr(1)->p_paddr = 0xd0000;	/* runs into them */
	phdr(1)->p_memsz = 0x20000;
	ck_assert_int_eq(boot("ACPI"), -EINVAL);
	make_elf();
	phdr(1)->p_paddr = 0x7000;	/* the information structure */
	ck_assert_int_eq(boot("low memory"), -EINVAL);
	make_elf();
	phdr(1)->p_paddr = (RAM_MIB - 1) << 20;	/* runs past RAM */
	phdr(1)->p_memsz = 2 << 20;
	ck_assert_int_eq(boot("past the end of low RAM"), -ENOSPC);
	make_elf();
	phdr(1)->p_paddr = 0xfffff000;	/* past 4 GiB in 32 bits */
	phdr(1)->p_memsz = 0x2000;
	ck_assert_int_eq(boot("past the end of low RAM"), -ENOSPC);
	make_elf();
	phdr(1)->p_memsz = 0xffffffff;	/* a 4 GiB BSS */
	ck_assert_int_eq(boot("past the end of low RAM"), -ENOSPC);
}
END_TEST

START_TEST(hostile_entry_outside_image)
{
	make_elf();
	ehdr()->e_entry = 0x300000;
	ck_assert_int_eq(boot("entry point"), -EINVAL);
	make_elf();
	ehdr()->e_entry = 0;
	ck_assert_int_eq(boot("entry point"), -EINVAL);
}
END_TEST

START_TEST(hostile_required_flags)
{
	make_elf();
	mb_header(file + HDR_OFF, MULTIBOOT_VIDEO_MODE);
	ck_assert_int_eq(boot("video mode"), -EINVAL);
	make_elf();
	mb_header(file + HDR_OFF, 1u << 15);
	ck_assert_int_eq(boot("0x8000"), -EINVAL);
	/* Optional bits (16-31) mkhv does not know are fine... */
	make_elf();
	mb_header(file + HDR_OFF, 1u << 20);
	ck_assert_int_eq(boot(NULL), 0);
	/* ...and a file without any header is refused. */
	make_elf();
	memset(file + HDR_OFF, 0, 12);
	ck_assert_int_eq(boot("no Multiboot header"), -EINVAL);
}
END_TEST

static void aout_header(uint32_t header_addr, uint32_t load_addr,
			uint32_t load_end, uint32_t bss_end, uint32_t entry)
{
	struct multiboot_header h = {
		.magic = MULTIBOOT_HEADER_MAGIC,
		.flags = MULTIBOOT_AOUT_KLUDGE,
		.header_addr = header_addr, .load_addr = load_addr,
		.load_end_addr = load_end, .bss_end_addr = bss_end,
		.entry_addr = entry,
	};

	h.checksum = -(h.magic + h.flags);
	memset(file, 0, sizeof(file));
	memcpy(file + 0x40, &h, sizeof(h));
}

START_TEST(hostile_aout_fields)
{
	aout_header(0x100040, 0x100000, 0, 0, 0x100100);
	ck_assert_int_eq(boot(NULL), 0);
	aout_header(0x100000, 0x100040, 0, 0, 0x100100);	/* header first */
	ck_assert_int_eq(boot("do not match"), -EINVAL);
	aout_header(0x200000, 0x100000, 0, 0, 0x100100);	/* offset < 0 */
	ck_assert_int_eq(boot("do not match"), -EINVAL);
	aout_header(0x100040, 0x100000, 0x100000 + FILE_SIZE + 1, 0, 0x100100);
	ck_assert_int_eq(boot("not inside the file"), -EINVAL);
	aout_header(0x100040, 0x100000, 0xfffff, 0, 0x100100);	/* end < start */
	ck_assert_int_eq(boot("not inside the file"), -EINVAL);
	aout_header(0x100040, 0x100000, 0x101000, 0x100800, 0x100100);
	ck_assert_int_eq(boot("bss_end_addr"), -EINVAL);
	aout_header(0x100040, 0x100000, 0x101000, 0xfffff000, 0x100100);
	ck_assert_int_eq(boot("past the end of low RAM"), -ENOSPC);
	aout_header(0x100040, 0x100000, 0, 0, 0x400000);	/* entry */
	ck_assert_int_eq(boot("entry point"), -EINVAL);
	aout_header(0x40040, 0x40000, 0, 0, 0x40100);		/* below 1 MiB */
	ck_assert_int_eq(boot("low memory"), -EINVAL);
	aout_header(0x100040, 0x100040, 0x100040, 0, 0x100040);	/* nothing */
	ck_assert_int_eq(boot("load nothing"), -EINVAL);
}
END_TEST

START_TEST(hostile_aout_header_truncated)
{
	struct multiboot_boot_info bi;
	struct ram r;

	aout_header(0x100040, 0x100000, 0, 0, 0x100100);
	ram_get(&r, RAM_MIB, 0);
	/* The file ends inside the address fields. */
	ck_assert_int_eq(boot_file(&r, file, 0x40 + 20, NULL, 0, NULL, &bi),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "truncated"));
	ram_put(&r);
}
END_TEST

START_TEST(hostile_module_cmdline_vcpus)
{
	struct multiboot_boot_info bi;
	struct multiboot_cfg c;
	char *big = malloc(GUEST_CMDLINE_MAX + 1);
	uint8_t *mod = calloc(1, 31 << 20);
	uint64_t fits = (32 << 20) - (SEG1_PADDR + 0x3000);
	struct ram r;

	ck_assert_ptr_nonnull(big);
	ck_assert_ptr_nonnull(mod);
	make_elf();
	ram_get(&r, 32, 0);
	/* A module larger than RAM above the kernel. */
	ck_assert_int_eq(boot_file(&r, file, sizeof(file), mod, 31 << 20, NULL,
				   &bi), -ENOSPC);
	ck_assert_ptr_nonnull(strstr(err, "module"));
	ck_assert_int_eq(boot_file(&r, file, sizeof(file), mod, fits + 1, NULL,
				   &bi), -ENOSPC);
	/* A module that just fits: up to the last byte of RAM. */
	mod[fits - 1] = 0x5a;
	ck_assert_int_eq(boot_file(&r, file, sizeof(file), mod, fits, NULL,
				   &bi), 0);
	ck_assert_uint_eq(r.p[(32 << 20) - 1], 0x5a);
	free(mod);
	memset(big, 'x', GUEST_CMDLINE_MAX);
	big[GUEST_CMDLINE_MAX] = '\0';
	ck_assert_int_eq(boot_file(&r, file, sizeof(file), NULL, 0, big, &bi),
			 -E2BIG);
	c = (struct multiboot_cfg){ .kernel = file, .kernel_size = sizeof(file),
				    .module = (const uint8_t *)"m", .module_size = 1,
				    .module_string = big, .nr_vcpus = 1 };
	ck_assert_int_eq(multiboot_setup(&r.m, &c, &bi, err, sizeof(err)), -E2BIG);
	ck_assert_ptr_nonnull(strstr(err, "module string"));
	c.module_string = NULL;
	c.nr_vcpus = 0;
	ck_assert_int_eq(multiboot_setup(&r.m, &c, &bi, err, sizeof(err)), -EINVAL);
	c.nr_vcpus = ACPI_MAX_VCPUS + 1;
	ck_assert_int_eq(multiboot_setup(&r.m, &c, &bi, err, sizeof(err)), -EINVAL);
	c.nr_vcpus = 1;
	c.kernel = NULL;
	ck_assert_int_eq(multiboot_setup(&r.m, &c, &bi, err, sizeof(err)), -EINVAL);
	free(big);
	ram_put(&r);
}
END_TEST

/* Random damage to the headers: refused or loaded, never a crash. */
START_TEST(hostile_random_header_bytes)
{
	struct multiboot_boot_info bi;
	unsigned int seed = 12345, ok = 0;
	struct ram r;

	ram_get(&r, 32, 0);
	for (int round = 0; round < 3000; round++) {
		make_elf();
		for (int k = 0; k < 1 + round % 4; k++) {
			unsigned int at = (unsigned int)rand_r(&seed) %
					  (sizeof(Elf32_Ehdr) + 2 * sizeof(Elf32_Phdr));

			file[at] = (uint8_t)rand_r(&seed);
		}
		if (!boot_file(&r, file, sizeof(file), NULL, 0, NULL, &bi)) {
			ok++;
			ck_assert_uint_ge(bi.entry, bi.kernel_start);
			ck_assert_uint_lt(bi.entry, bi.kernel_end);
			ck_assert_uint_le(bi.kernel_end, 32 << 20);
			ck_assert_uint_ge(bi.kernel_start, GUEST_HIGH_RAM);
		} else {
			ck_assert(err[0]);
		}
	}
	ck_assert_uint_gt(ok, 0);	/* some damage is harmless */
	ram_put(&r);
}
END_TEST

/* ---- the format switch ---- */

START_TEST(detect_formats)
{
	size_t size;
	uint8_t *bz = read_all(HVWORKER_TEST_TINYGUEST, &size);
	static uint8_t junk[0x4000];

	ck_assert_int_eq(kernel_detect(bz, size), KERNEL_LINUX);
	ck_assert_int_eq(kernel_detect(bz, 0x205), KERNEL_UNKNOWN);
	make_elf();
	ck_assert_int_eq(kernel_detect(file, sizeof(file)), KERNEL_MULTIBOOT);
	ck_assert_int_eq(kernel_detect(junk, sizeof(junk)), KERNEL_UNKNOWN);
	ck_assert_int_eq(kernel_detect(NULL, 0), KERNEL_UNKNOWN);
	free(bz);
}
END_TEST

START_TEST(kernel_boot_switch)
{
	struct hv_register_assoc regs[KERNEL_BOOT_NR_REGS];
	static uint8_t junk[0x4000];
	struct linux_boot_cfg c = { .nr_vcpus = 1, .cmdline = "a" };
	struct kernel_boot kb;
	size_t size;
	uint8_t *bz = read_all(HVWORKER_TEST_TINYGUEST, &size);
	struct ram r;

	ram_get(&r, RAM_MIB, 0);
	c.kernel = bz;
	c.kernel_size = size;
	ck_assert_int_eq(kernel_boot_setup(&r.m, &c, NULL, &kb, err,
					   sizeof(err)), 0);
	ck_assert_int_eq(kb.format, KERNEL_LINUX);
	ck_assert_uint_eq(kernel_boot_regs(&kb, regs), LINUX_BOOT_NR_REGS);

	make_elf();
	c.kernel = file;
	c.kernel_size = sizeof(file);
	c.initrd = (const uint8_t *)"MOD";
	c.initrd_size = 3;
	ck_assert_int_eq(kernel_boot_setup(&r.m, &c, "/boot/initrd", &kb, err,
					   sizeof(err)), 0);
	ck_assert_int_eq(kb.format, KERNEL_MULTIBOOT);
	ck_assert_uint_eq(kernel_boot_regs(&kb, regs), MULTIBOOT_NR_REGS);
	ck_assert_uint_eq(reg_of(regs, MULTIBOOT_NR_REGS, HV_X64_REGISTER_RAX,
				 false), 0x2BADB002);
	ck_assert_str_eq((char *)r.p + MB_MOD_STRING, "/boot/initrd");
	ck_assert_str_eq((char *)r.p + GUEST_CMDLINE, "a");

	c.kernel = junk;
	c.kernel_size = sizeof(junk);
	ck_assert_int_eq(kernel_boot_setup(&r.m, &c, NULL, &kb, err,
					   sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "Linux bzImage"));
	ck_assert_ptr_nonnull(strstr(err, "Multiboot"));
	free(bz);
	ram_put(&r);
}
END_TEST

/* ---- the whole worker on the fake backend ---- */

/* worker_run() on @f with its status lines in @status (4 KiB). */
static int run_worker(const struct worker_opts *o, struct fake_vm *f,
		      char *status)
{
	char spath[128];
	FILE *st;
	size_t n;
	int ret;

	snprintf(spath, sizeof(spath), "/tmp/hvworker-mb-%d-status", getpid());
	st = fopen(spath, "w+");
	ck_assert_ptr_nonnull(st);
	ret = worker_run(o, &fake_ops, f, st);
	rewind(st);
	n = fread(status, 1, 4095, st);
	status[n] = '\0';
	fclose(st);
	unlink(spath);
	return ret;
}

static void opts_mb(struct worker_opts *o, const char *kernel)
{
	memset(o, 0, sizeof(*o));
	strcpy(o->name, "mb");
	o->memory_mib = 32;
	o->vcpus = 1;
	o->kernel = kernel;
	o->control_fd = -1;
}

START_TEST(whole_worker_boots_tinyguest_mb)
{
	static char status[4096];
	struct worker_opts o;
	struct fake_vm f;
	char mpath[128];
	FILE *mf;
	int ret;

	snprintf(mpath, sizeof(mpath), "/tmp/hvworker-mb-%d-module", getpid());
	mf = fopen(mpath, "w");
	ck_assert_ptr_nonnull(mf);
	fputs("MODULE-CONTENTS-0123456789", mf);
	fclose(mf);
	opts_mb(&o, HVWORKER_TEST_TINYGUEST_MB);
	o.initrd = mpath;
	o.cmdline = "hello-mb";
	fake_init(&f);
	/* The guest's first OUT, at its entry, is the UART; then S5. */
	fake_puts(&f, UART_COM1_BASE, "t", 0x10000c);
	fake_io(&f, GUEST_PORT_SLEEP_CTL, 1, 1,
		(GUEST_SLP_TYP_S5 << 2) | GUEST_SLP_EN, 0x10000d, 1);
	ret = run_worker(&o, &f, status);
	unlink(mpath);
	ck_assert_msg(ret == WORKER_EXIT_SHUTDOWN, "status: %s", status);
	ck_assert_ptr_nonnull(strstr(status, "hvworker: state shutdown\n"));
	ck_assert_uint_eq(f.nfirst_regs, MULTIBOOT_NR_REGS);
	ck_assert_uint_eq(reg_of(f.first_regs, f.nfirst_regs,
				 HV_X64_REGISTER_RAX, false), 0x2BADB002);
	ck_assert_uint_eq(reg_of(f.first_regs, f.nfirst_regs,
				 HV_X64_REGISTER_RIP, false), 0x10000c);
	ck_assert_uint_eq(reg_of(f.first_regs, f.nfirst_regs,
				 HV_X64_REGISTER_EFER, false), 0);
	ck_assert_uint_eq(f.rip_mismatches, 0);
}
END_TEST

START_TEST(whole_worker_refuses_unknown_kernel)
{
	static char status[4096];
	struct worker_opts o;
	struct fake_vm f;
	char kpath[128];
	FILE *kf;

	snprintf(kpath, sizeof(kpath), "/tmp/hvworker-mb-%d-junk", getpid());
	kf = fopen(kpath, "w");
	ck_assert_ptr_nonnull(kf);
	for (int i = 0; i < 1000; i++)
		fputs("not a kernel ", kf);
	fclose(kf);
	opts_mb(&o, kpath);
	fake_init(&f);
	ck_assert_int_eq(run_worker(&o, &f, status), WORKER_EXIT_ERROR);
	unlink(kpath);
	ck_assert_ptr_nonnull(strstr(status, "hvworker: state error\n"));
	ck_assert_ptr_nonnull(strstr(status, "neither a Linux bzImage"));
	ck_assert_uint_eq(f.maps, 0);
}
END_TEST

static Suite *multiboot_suite(void)
{
	Suite *s = suite_create("hvworker_multiboot");
	TCase *tc = tcase_create("multiboot");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, header_found_aligned_with_checksum);
	tcase_add_test(tc, header_only_in_first_8k);
	tcase_add_test(tc, elf_segments_loaded_bss_zeroed);
	tcase_add_test(tc, elf_virtual_entry_translated);
	tcase_add_test(tc, module_page_aligned_after_kernel);
	tcase_add_test(tc, info_structure);
	tcase_add_test(tc, no_module_no_cmdline);
	tcase_add_test(tc, boot_registers_and_gdt);
	tcase_add_test(tc, aout_kludge_address_fields);
	tcase_add_test(tc, tinyguest_mb_elf);
	tcase_add_test(tc, hostile_not_elf_without_address_fields);
	tcase_add_test(tc, hostile_elf_class_machine_type);
	tcase_add_test(tc, hostile_program_header_table);
	tcase_add_test(tc, hostile_segment_outside_file);
	tcase_add_test(tc, hostile_no_or_too_many_segments);
	tcase_add_test(tc, hostile_segment_placement);
	tcase_add_test(tc, hostile_entry_outside_image);
	tcase_add_test(tc, hostile_required_flags);
	tcase_add_test(tc, hostile_aout_fields);
	tcase_add_test(tc, hostile_aout_header_truncated);
	tcase_add_test(tc, hostile_module_cmdline_vcpus);
	tcase_add_test(tc, hostile_random_header_bytes);
	tcase_add_test(tc, detect_formats);
	tcase_add_test(tc, kernel_boot_switch);
	tcase_add_test(tc, whole_worker_boots_tinyguest_mb);
	tcase_add_test(tc, whole_worker_refuses_unknown_kernel);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(multiboot_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
