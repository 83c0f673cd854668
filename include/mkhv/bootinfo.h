/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loader -> hypervisor handoff (hvloader.efi writes, hv reads).
 *
 * hvloader loads hv.elf (a static PIE) into a 2 MiB-aligned region of
 * physical memory it allocated, applies its R_X86_64_RELATIVE relocations,
 * fills one struct mkhv_bootinfo inside that region, calls
 * ExitBootServices and jumps to the ELF entry with interrupts disabled,
 * the firmware's identity page tables still loaded and RDI = the physical
 * (= virtual) address of the bootinfo (System V calling convention).
 *
 * All addresses are host-physical.  Every range below was allocated by the
 * loader before ExitBootServices, so none overlaps another or the hv
 * region, except where a field says "inside the hv region".  The hv still
 * checks what it relies on (it trusts the loader, but a bad ESP must give
 * a clear error rather than a crash).
 */
#ifndef MKHV_BOOTINFO_H
#define MKHV_BOOTINFO_H

#include <stddef.h>
#include <stdint.h>

#define MKHV_BOOTINFO_MAGIC   0x4f424b4d  /* "MKBO" */
#define MKHV_BOOTINFO_VERSION 1

/* Size of the hv region the loader allocates (image + heap). */
#define MKHV_HV_REGION_SIZE   (64ull << 20)

/* hv_serial values. */
#define MKHV_SERIAL_NONE 0
#define MKHV_SERIAL_COM1 1
#define MKHV_SERIAL_COM2 2

/* on_fatal values: what the hv does after a fatal error. */
#define MKHV_FATAL_HALT  0
#define MKHV_FATAL_RESET 1

struct mkhv_bootinfo {
	uint32_t magic;           /* 0x00: MKHV_BOOTINFO_MAGIC */
	uint32_t version;         /* 0x04: MKHV_BOOTINFO_VERSION */
	uint32_t size;            /* 0x08: sizeof(struct mkhv_bootinfo) */
	uint32_t log_level;       /* 0x0c: 0 error .. 3 debug (cfg log_level) */

	uint64_t hv_base;         /* 0x10: hv region, 2 MiB aligned */
	uint64_t hv_size;         /* 0x18: its size in bytes */
	uint64_t hv_image_size;   /* 0x20: bytes of it used by the loaded image
				   *       (text, data, bss), page aligned */

	uint64_t memmap_addr;     /* 0x28: UEFI memory map at ExitBootServices
				   *       (inside the hv region) */
	uint64_t memmap_size;     /* 0x30: its size in bytes */
	uint32_t memmap_desc_size;    /* 0x38: stride of its descriptors */
	uint32_t memmap_desc_version; /* 0x3c: EFI_MEMORY_DESCRIPTOR_VERSION */

	uint64_t acpi_rsdp;       /* 0x40: ACPI 2.0+ RSDP, 0 if none */

	uint64_t kernel_addr;     /* 0x48: the parent's bzImage file, as read */
	uint64_t kernel_size;     /* 0x50 */
	uint64_t kernel_area;     /* 0x58: free RAM for the protected-mode
				   *       kernel: init_size + alignment bytes */
	uint64_t kernel_area_size;/* 0x60 */
	uint64_t initrd_addr;     /* 0x68: the parent's initrd, as read */
	uint64_t initrd_size;     /* 0x70 */
	uint64_t parent_area;     /* 0x78: scratch RAM the parent may see at
				   *       boot (boot_params, cmdline, GDT,
				   *       page tables); reserved in its e820 */
	uint64_t parent_area_size;/* 0x80 */
	uint64_t trampoline;      /* 0x88: one 4 KiB page below 1 MiB for the
				   *       AP start-up code */

	uint64_t parent_memory;   /* 0x90: cfg parent_memory, 0 = all RAM */
	uint32_t hv_serial;       /* 0x98: MKHV_SERIAL_*: hv log port */
	uint32_t on_fatal;        /* 0x9c: MKHV_FATAL_* */
	char cmdline[2048];       /* 0xa0: parent cmdline, NUL-terminated */

	/* GOP framebuffer, all 0 when the firmware has none. */
	uint64_t fb_base;         /* 0x8a0 */
	uint64_t fb_size;         /* 0x8a8 */
	uint32_t fb_width;        /* 0x8b0: pixels */
	uint32_t fb_height;       /* 0x8b4 */
	uint32_t fb_stride;       /* 0x8b8: pixels per scan line */
	uint32_t fb_format;       /* 0x8bc: EFI_GRAPHICS_PIXEL_FORMAT */

	char loader_version[32];  /* 0x8c0: hvloader's MKHV_VERSION */
};

_Static_assert(offsetof(struct mkhv_bootinfo, hv_base) == 0x10, "hv_base");
_Static_assert(offsetof(struct mkhv_bootinfo, memmap_addr) == 0x28, "memmap");
_Static_assert(offsetof(struct mkhv_bootinfo, acpi_rsdp) == 0x40, "rsdp");
_Static_assert(offsetof(struct mkhv_bootinfo, kernel_addr) == 0x48, "kernel");
_Static_assert(offsetof(struct mkhv_bootinfo, trampoline) == 0x88, "tramp");
_Static_assert(offsetof(struct mkhv_bootinfo, parent_memory) == 0x90, "pmem");
_Static_assert(offsetof(struct mkhv_bootinfo, cmdline) == 0xa0, "cmdline");
_Static_assert(offsetof(struct mkhv_bootinfo, fb_base) == 0x8a0, "fb_base");
_Static_assert(offsetof(struct mkhv_bootinfo, loader_version) == 0x8c0, "ver");
_Static_assert(sizeof(struct mkhv_bootinfo) == 0x8e0, "bootinfo size");

#endif /* MKHV_BOOTINFO_H */
