/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: direct boot of a Multiboot v1 kernel (Multiboot Specification
 * 0.6.96), as QEMU's -kernel does: an ELF32 (EM_386) whose first 8 KiB hold
 * a Multiboot header, or any file whose header has the address fields
 * (flag bit 16).  The kernel's segments go to their physical addresses,
 * the <initrd> becomes module 0 (page aligned after the kernel), the
 * <cmdline> the kernel's command line, and vCPU 0 starts in flat 32-bit
 * protected mode with EAX = 0x2BADB002, EBX = the information structure.
 *
 * Also the format switch of the worker (kernel_boot_*): a bzImage ("HdrS"
 * at 0x202) goes to linux_loader.c, a Multiboot kernel here.
 *
 * Guest layout of a Multiboot boot (everything the loader writes lives in
 * low RAM below 640 KiB; the kernel and the module must sit in
 * [1 MiB, end of low RAM), so they never collide with it or with the ACPI
 * tables at 0xe0000):
 *
 *   0x00500  GDT: null, null, 0x10 flat 32-bit code, 0x18 flat data
 *   0x07000  struct multiboot_info (ESP starts just below it)
 *   0x07100  the module list (one struct multiboot_module)
 *   0x07200  the memory map (struct multiboot_mmap_entry, from the e820)
 *   0x07400  boot_loader_name "mkhv"
 *   0x08000  module 0's string, up to MB_MOD_STRING_MAX bytes
 *   0x20000  the command line (GUEST_CMDLINE, up to GUEST_CMDLINE_MAX)
 */
#ifndef HVWORKER_MULTIBOOT_H
#define HVWORKER_MULTIBOOT_H

#include <stddef.h>
#include <stdint.h>

#include <mkhv/hvcall_partition.h>
#include <mkhv/linux_boot.h>

#include "acpi_tables.h"
#include "guest.h"
#include "linux_loader.h"

/* ---- wire format (Multiboot 0.6.96, little-endian, packed) ---- */

#define MULTIBOOT_HEADER_MAGIC		0x1BADB002
#define MULTIBOOT_BOOTLOADER_MAGIC	0x2BADB002	/* EAX at entry */
#define MULTIBOOT_SEARCH		8192	/* header within the first 8 KiB */
#define MULTIBOOT_HEADER_ALIGN		4

/* Header flags: bits 0-15 are requirements, 16-31 optional features. */
#define MULTIBOOT_PAGE_ALIGN		(1u << 0)	/* modules page aligned */
#define MULTIBOOT_MEMORY_INFO		(1u << 1)	/* mem_* (and mmap) */
#define MULTIBOOT_VIDEO_MODE		(1u << 2)	/* video mode table */
#define MULTIBOOT_AOUT_KLUDGE		(1u << 16)	/* address fields valid */
#define MULTIBOOT_REQUIRED_MASK		0x0000ffffu

struct multiboot_header {
	uint32_t magic;		/* 0x00: MULTIBOOT_HEADER_MAGIC */
	uint32_t flags;		/* 0x04 */
	uint32_t checksum;	/* 0x08: magic + flags + checksum == 0 */
	uint32_t header_addr;	/* 0x0c: bit 16: where this header loads */
	uint32_t load_addr;	/* 0x10: bit 16: first byte of text */
	uint32_t load_end_addr;	/* 0x14: bit 16: end of data, 0 = file end */
	uint32_t bss_end_addr;	/* 0x18: bit 16: end of bss, 0 = none */
	uint32_t entry_addr;	/* 0x1c: bit 16: entry point */
} __attribute__((packed));
_Static_assert(offsetof(struct multiboot_header, checksum) == 0x08, "mb hdr");
_Static_assert(offsetof(struct multiboot_header, load_end_addr) == 0x14, "mb hdr");
_Static_assert(offsetof(struct multiboot_header, entry_addr) == 0x1c, "mb hdr");
_Static_assert(sizeof(struct multiboot_header) == 32, "mb hdr size");

/* Information structure flags (which fields are valid). */
#define MULTIBOOT_INFO_MEMORY		(1u << 0)
#define MULTIBOOT_INFO_BOOTDEV		(1u << 1)
#define MULTIBOOT_INFO_CMDLINE		(1u << 2)
#define MULTIBOOT_INFO_MODS		(1u << 3)
#define MULTIBOOT_INFO_MEM_MAP		(1u << 6)
#define MULTIBOOT_INFO_BOOT_LOADER_NAME	(1u << 9)

struct multiboot_info {
	uint32_t flags;			/* 0x00 */
	uint32_t mem_lower;		/* 0x04: KiB from 0 */
	uint32_t mem_upper;		/* 0x08: KiB from 1 MiB */
	uint32_t boot_device;		/* 0x0c */
	uint32_t cmdline;		/* 0x10: physical address, C string */
	uint32_t mods_count;		/* 0x14 */
	uint32_t mods_addr;		/* 0x18 */
	uint32_t syms[4];		/* 0x1c: a.out or ELF symbols */
	uint32_t mmap_length;		/* 0x2c: bytes */
	uint32_t mmap_addr;		/* 0x30 */
	uint32_t drives_length;		/* 0x34 */
	uint32_t drives_addr;		/* 0x38 */
	uint32_t config_table;		/* 0x3c */
	uint32_t boot_loader_name;	/* 0x40 */
	uint32_t apm_table;		/* 0x44 */
	uint32_t vbe_control_info;	/* 0x48 */
	uint32_t vbe_mode_info;		/* 0x4c */
	uint16_t vbe_mode;		/* 0x50 */
	uint16_t vbe_interface_seg;	/* 0x52 */
	uint16_t vbe_interface_off;	/* 0x54 */
	uint16_t vbe_interface_len;	/* 0x56 */
} __attribute__((packed));
_Static_assert(offsetof(struct multiboot_info, cmdline) == 0x10, "mbi");
_Static_assert(offsetof(struct multiboot_info, mods_addr) == 0x18, "mbi");
_Static_assert(offsetof(struct multiboot_info, mmap_length) == 0x2c, "mbi");
_Static_assert(offsetof(struct multiboot_info, boot_loader_name) == 0x40, "mbi");
_Static_assert(offsetof(struct multiboot_info, vbe_interface_len) == 0x56, "mbi");
_Static_assert(sizeof(struct multiboot_info) == 88, "mbi size");

struct multiboot_module {
	uint32_t mod_start;	/* 0x00: first byte */
	uint32_t mod_end;	/* 0x04: one past the last byte */
	uint32_t string;	/* 0x08: C string, 0 = none */
	uint32_t reserved;	/* 0x0c: 0 */
} __attribute__((packed));
_Static_assert(sizeof(struct multiboot_module) == 16, "mb module size");

/* mmap_addr points at @size; the next entry is size + 4 bytes further. */
struct multiboot_mmap_entry {
	uint32_t size;		/* 0x00: 20, the bytes after this field */
	uint64_t addr;		/* 0x04 */
	uint64_t len;		/* 0x0c */
	uint32_t type;		/* 0x14: 1 RAM, anything else reserved */
} __attribute__((packed));
_Static_assert(offsetof(struct multiboot_mmap_entry, addr) == 4, "mb mmap");
_Static_assert(offsetof(struct multiboot_mmap_entry, type) == 20, "mb mmap");
_Static_assert(sizeof(struct multiboot_mmap_entry) == 24, "mb mmap size");

/* ---- guest layout ---- */

#define MB_INFO			0x7000ULL
#define MB_MODS			0x7100ULL
#define MB_MMAP			0x7200ULL
#define MB_LOADER_NAME		0x7400ULL
#define MB_MOD_STRING		0x8000ULL
#define MB_MOD_STRING_MAX	0x1000ULL	/* with the NUL */
#define MB_STACK_TOP		MB_INFO		/* ESP (the spec leaves it open) */
#define MB_KERNEL_MIN		GUEST_HIGH_RAM	/* segments from 1 MiB */
#define MB_KERNEL_MAX_ADDR	(1ULL << 32)	/* 32-bit addresses */

/* ---- parsing ---- */

#define MB_MAX_PHNUM		128	/* more program headers: refused */
#define MB_MAX_SEGMENTS		16	/* more PT_LOAD segments: refused */

/* One piece of the kernel: file bytes at @paddr, then zeros to memsz. */
struct mb_segment {
	uint64_t paddr;
	uint64_t offset;	/* in the file */
	uint64_t filesz;
	uint64_t memsz;		/* >= filesz; the rest is BSS */
};

struct mb_image {
	uint32_t header_offset;		/* of the Multiboot header in the file */
	struct multiboot_header hdr;	/* a copy (only 12 bytes without bit 16) */
	uint64_t entry;			/* physical */
	uint64_t start, end;		/* lowest and one past the highest byte */
	unsigned int nr_segments;
	struct mb_segment seg[MB_MAX_SEGMENTS];
};

/**
 * multiboot_find_header() - the offset of a valid Multiboot header (magic,
 * checksum, 4-byte aligned) within the first 8 KiB of @file, or -1.
 */
long multiboot_find_header(const uint8_t *file, size_t size);

/**
 * multiboot_parse() - check @file and describe what to load, for RAM whose
 * low part (below 4 GiB) ends at @low_end.
 *
 * Return: 0; -EINVAL (no header, unsupported required flags, not an
 * ELF32 EM_386 executable, program headers or segments outside the file,
 * no PT_LOAD segment, too many, entry outside the loaded image), -ENOSPC
 * (a segment outside [1 MiB, @low_end)).  @err says which, in words.
 */
int multiboot_parse(const uint8_t *file, size_t size, uint64_t low_end,
		    struct mb_image *img, char *err, size_t errlen);

struct multiboot_cfg {
	const uint8_t *kernel;
	size_t kernel_size;
	const uint8_t *module;		/* the <initrd>; NULL = no module */
	size_t module_size;
	const char *module_string;	/* NULL = "" */
	const char *cmdline;		/* NULL = "" */
	unsigned int nr_vcpus;
};

struct multiboot_boot_info {
	uint64_t entry;
	uint64_t kernel_start, kernel_end;
	uint64_t module_addr;		/* 0 = none */
	uint64_t info_addr;		/* EBX */
	uint32_t e820_nr;
	struct boot_e820_entry e820[8];
	struct acpi_layout acpi;
};

/**
 * multiboot_setup() - parse, load and fill in the information structure.
 *
 * Return: 0; -EINVAL (see multiboot_parse(), bad vCPU count), -E2BIG
 * (command line or module string too long), -ENOSPC (the kernel or the
 * module does not fit in RAM).
 */
int multiboot_setup(const struct guest_mem *m, const struct multiboot_cfg *c,
		    struct multiboot_boot_info *bi, char *err, size_t errlen);

/* The boot vCPU's registers for the 32-bit entry; returns how many. */
#define MULTIBOOT_NR_REGS	17
unsigned int multiboot_regs(const struct multiboot_boot_info *bi,
			    struct hv_register_assoc regs[MULTIBOOT_NR_REGS]);

/* ---- the worker's format switch ---- */

enum kernel_format {
	KERNEL_UNKNOWN,
	KERNEL_LINUX,		/* bzImage: "HdrS" at 0x202 */
	KERNEL_MULTIBOOT,	/* Multiboot v1 header in the first 8 KiB */
};

enum kernel_format kernel_detect(const uint8_t *file, size_t size);

struct kernel_boot {
	enum kernel_format format;
	struct linux_boot_info linux;
	struct multiboot_boot_info mb;
};

#define KERNEL_BOOT_NR_REGS	(LINUX_BOOT_NR_REGS > MULTIBOOT_NR_REGS ? \
				 LINUX_BOOT_NR_REGS : MULTIBOOT_NR_REGS)

/**
 * kernel_boot_setup() - detect @c->kernel's format and load it:
 * linux_boot_setup() or multiboot_setup() (@module_string: the Multiboot
 * module's string, the initrd's file name; NULL = "").
 *
 * Return: 0 or what the loader returned; -EINVAL with both formats named
 * if the file is neither.
 */
int kernel_boot_setup(const struct guest_mem *m, const struct linux_boot_cfg *c,
		      const char *module_string, struct kernel_boot *kb,
		      char *err, size_t errlen);

unsigned int kernel_boot_regs(const struct kernel_boot *kb,
			      struct hv_register_assoc regs[KERNEL_BOOT_NR_REGS]);

#endif /* HVWORKER_MULTIBOOT_H */
