/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Linux x86 boot protocol wire format: the setup header of a bzImage and the
 * "zero page" struct boot_params a boot loader hands to the kernel.
 *
 * Shared by the hv (boots the parent) and hvworker (boots children).  The
 * layout is Linux's (Documentation/x86/boot.rst, zero-page.rst and
 * arch/x86/include/uapi/asm/bootparam.h, v6.1); every field the loader
 * writes has a comment "offset: meaning (writer)" and a _Static_assert on its
 * offset.  Offsets in boot_params are from the start of the zero page; the
 * setup header sits at 0x1f1 of both the bzImage file and boot_params.
 *
 * Byte order little-endian, structures packed, whole zero page 4096 bytes.
 * Protocol version required by mkhv: 2.12 (64-bit entry, xloadflags).
 */
#ifndef MKHV_LINUX_BOOT_H
#define MKHV_LINUX_BOOT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/stddef.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

#define LINUX_BOOT_PROTOCOL_MIN	0x020c	/* 2.12: xloadflags, 64-bit entry */

/* Setup header magic values (writer: the kernel build). */
#define LINUX_BOOT_FLAG		0xaa55		/* at 0x1fe */
#define LINUX_HDRS_MAGIC	0x53726448	/* "HdrS" at 0x202 */
#define LINUX_SETUP_HDR_OFFSET	0x1f1
#define LINUX_SECTOR_SIZE	512
#define LINUX_SETUP_SECTS_DEFAULT 4	/* setup_sects == 0 means 4 */
/* The 64-bit entry is 0x200 bytes into the protected-mode kernel. */
#define LINUX_ENTRY64_OFFSET	0x200

/* loadflags (0x211) */
#define LINUX_LOADED_HIGH	(1 << 0)	/* protected-mode code at 1 MiB+ */
#define LINUX_KASLR_FLAG	(1 << 1)	/* set by the kernel itself */
#define LINUX_QUIET_FLAG	(1 << 5)	/* suppress early messages */
#define LINUX_KEEP_SEGMENTS	(1 << 6)	/* obsolete */
#define LINUX_CAN_USE_HEAP	(1 << 7)	/* heap_end_ptr is valid */

/* xloadflags (0x236) */
#define LINUX_XLF_KERNEL_64			(1 << 0) /* 64-bit entry at +0x200 */
#define LINUX_XLF_CAN_BE_LOADED_ABOVE_4G	(1 << 1) /* kernel/initrd/cmdline/bp > 4 GiB ok */
#define LINUX_XLF_EFI_HANDOVER_32		(1 << 2)
#define LINUX_XLF_EFI_HANDOVER_64		(1 << 3)
#define LINUX_XLF_EFI_KEXEC			(1 << 4)

/* type_of_loader 0xff: "undefined" boot loader (boot.rst) */
#define LINUX_LOADER_TYPE_UNDEFINED	0xff

/* e820 entry types (arch/x86/include/asm/e820/types.h) */
#define E820_TYPE_RAM		1
#define E820_TYPE_RESERVED	2
#define E820_TYPE_ACPI		3
#define E820_TYPE_NVS		4
#define E820_TYPE_UNUSABLE	5
#define E820_TYPE_PMEM		7
#define E820_TYPE_SOFT_RESERVED	0xefffffff

/* Entries of the zero page's e820_table (E820_MAX_ENTRIES_ZEROPAGE). */
#define E820_MAX_ENTRIES_ZEROPAGE	128

/* One e820 entry: 20 bytes, packed (struct boot_e820_entry). */
struct boot_e820_entry {
	uint64_t addr;		/* 0x00: first byte */
	uint64_t size;		/* 0x08: length in bytes */
	uint32_t type;		/* 0x10: E820_TYPE_* */
} __attribute__((packed));
_Static_assert(sizeof(struct boot_e820_entry) == 20, "e820 entry size");

/*
 * The setup header (struct setup_header), 0x1f1..0x26c.  The loader copies
 * it from the bzImage and then writes the fields marked (loader).
 */
struct linux_setup_header {
	uint8_t  setup_sects;		/* 0x1f1: 512-byte setup sectors - 1 */
	uint16_t root_flags;		/* 0x1f2: obsolete */
	uint32_t syssize;		/* 0x1f4: pm code size, 16-byte units */
	uint16_t ram_size;		/* 0x1f8: obsolete */
	uint16_t vid_mode;		/* 0x1fa: video mode (loader may set) */
	uint16_t root_dev;		/* 0x1fc: default root device */
	uint16_t boot_flag;		/* 0x1fe: 0xaa55 */
	uint16_t jump;			/* 0x200: jmp; byte 0x201 = header end - 0x202 */
	uint32_t header;		/* 0x202: "HdrS" */
	uint16_t version;		/* 0x206: protocol version, 0x020c = 2.12 */
	uint32_t realmode_swtch;	/* 0x208: 16-bit hook (loader, unused) */
	uint16_t start_sys_seg;		/* 0x20c: obsolete */
	uint16_t kernel_version;	/* 0x20e: pointer to version string */
	uint8_t  type_of_loader;	/* 0x210: boot loader id (loader) */
	uint8_t  loadflags;		/* 0x211: LINUX_LOADED_HIGH... (loader) */
	uint16_t setup_move_size;	/* 0x212: 16-bit only */
	uint32_t code32_start;		/* 0x214: 32-bit entry (loader, unused for 64-bit) */
	uint32_t ramdisk_image;		/* 0x218: initrd address, low 32 bits (loader) */
	uint32_t ramdisk_size;		/* 0x21c: initrd size, low 32 bits (loader) */
	uint32_t bootsect_kludge;	/* 0x220: obsolete */
	uint16_t heap_end_ptr;		/* 0x224: end of setup heap (loader) */
	uint8_t  ext_loader_ver;	/* 0x226: loader version extension */
	uint8_t  ext_loader_type;	/* 0x227: loader type extension */
	uint32_t cmd_line_ptr;		/* 0x228: cmdline address, low 32 bits (loader) */
	uint32_t initrd_addr_max;	/* 0x22c: highest initrd byte allowed */
	uint32_t kernel_alignment;	/* 0x230: alignment of the pm kernel */
	uint8_t  relocatable_kernel;	/* 0x234: pm kernel may be moved */
	uint8_t  min_alignment;		/* 0x235: log2 of the minimum alignment */
	uint16_t xloadflags;		/* 0x236: LINUX_XLF_* */
	uint32_t cmdline_size;		/* 0x238: max cmdline length without NUL */
	uint32_t hardware_subarch;	/* 0x23c: 0 = PC (loader) */
	uint64_t hardware_subarch_data;	/* 0x240: subarch data (loader) */
	uint32_t payload_offset;	/* 0x248: compressed payload offset */
	uint32_t payload_length;	/* 0x24c: compressed payload length */
	uint64_t setup_data;		/* 0x250: list of struct setup_data (loader) */
	uint64_t pref_address;		/* 0x258: preferred pm kernel address */
	uint32_t init_size;		/* 0x260: memory needed from the load address */
	uint32_t handover_offset;	/* 0x264: EFI handover entry */
	uint32_t kernel_info_offset;	/* 0x268: struct kernel_info (2.15+) */
} __attribute__((packed));
_Static_assert(sizeof(struct linux_setup_header) == 0x26c - 0x1f1, "setup_header size");

#define LINUX_HDR_OFF(f) (0x1f1 + offsetof(struct linux_setup_header, f))
_Static_assert(LINUX_HDR_OFF(syssize) == 0x1f4, "syssize");
_Static_assert(LINUX_HDR_OFF(boot_flag) == 0x1fe, "boot_flag");
_Static_assert(LINUX_HDR_OFF(header) == 0x202, "header");
_Static_assert(LINUX_HDR_OFF(version) == 0x206, "version");
_Static_assert(LINUX_HDR_OFF(type_of_loader) == 0x210, "type_of_loader");
_Static_assert(LINUX_HDR_OFF(loadflags) == 0x211, "loadflags");
_Static_assert(LINUX_HDR_OFF(code32_start) == 0x214, "code32_start");
_Static_assert(LINUX_HDR_OFF(ramdisk_image) == 0x218, "ramdisk_image");
_Static_assert(LINUX_HDR_OFF(ramdisk_size) == 0x21c, "ramdisk_size");
_Static_assert(LINUX_HDR_OFF(heap_end_ptr) == 0x224, "heap_end_ptr");
_Static_assert(LINUX_HDR_OFF(cmd_line_ptr) == 0x228, "cmd_line_ptr");
_Static_assert(LINUX_HDR_OFF(initrd_addr_max) == 0x22c, "initrd_addr_max");
_Static_assert(LINUX_HDR_OFF(kernel_alignment) == 0x230, "kernel_alignment");
_Static_assert(LINUX_HDR_OFF(relocatable_kernel) == 0x234, "relocatable_kernel");
_Static_assert(LINUX_HDR_OFF(xloadflags) == 0x236, "xloadflags");
_Static_assert(LINUX_HDR_OFF(cmdline_size) == 0x238, "cmdline_size");
_Static_assert(LINUX_HDR_OFF(hardware_subarch) == 0x23c, "hardware_subarch");
_Static_assert(LINUX_HDR_OFF(setup_data) == 0x250, "setup_data");
_Static_assert(LINUX_HDR_OFF(pref_address) == 0x258, "pref_address");
_Static_assert(LINUX_HDR_OFF(init_size) == 0x260, "init_size");
_Static_assert(LINUX_HDR_OFF(kernel_info_offset) == 0x268, "kernel_info_offset");

/* struct screen_info, 0x000..0x040 (loader: framebuffer from GOP). */
#define LINUX_VIDEO_TYPE_EFI	0x70	/* orig_video_isVGA for an EFI fb */
struct linux_screen_info {
	uint8_t  orig_x;		/* 0x00 */
	uint8_t  orig_y;		/* 0x01 */
	uint16_t ext_mem_k;		/* 0x02 */
	uint16_t orig_video_page;	/* 0x04 */
	uint8_t  orig_video_mode;	/* 0x06 */
	uint8_t  orig_video_cols;	/* 0x07 */
	uint8_t  flags;			/* 0x08 */
	uint8_t  unused2;		/* 0x09 */
	uint16_t orig_video_ega_bx;	/* 0x0a */
	uint16_t unused3;		/* 0x0c */
	uint8_t  orig_video_lines;	/* 0x0e */
	uint8_t  orig_video_isVGA;	/* 0x0f: LINUX_VIDEO_TYPE_EFI */
	uint16_t orig_video_points;	/* 0x10 */
	uint16_t lfb_width;		/* 0x12: pixels */
	uint16_t lfb_height;		/* 0x14: pixels */
	uint16_t lfb_depth;		/* 0x16: bits per pixel */
	uint32_t lfb_base;		/* 0x18: fb address, low 32 bits */
	uint32_t lfb_size;		/* 0x1c: fb size in bytes */
	uint16_t cl_magic;		/* 0x20 */
	uint16_t cl_offset;		/* 0x22 */
	uint16_t lfb_linelength;	/* 0x24: bytes per line */
	uint8_t  red_size;		/* 0x26 */
	uint8_t  red_pos;		/* 0x27 */
	uint8_t  green_size;		/* 0x28 */
	uint8_t  green_pos;		/* 0x29 */
	uint8_t  blue_size;		/* 0x2a */
	uint8_t  blue_pos;		/* 0x2b */
	uint8_t  rsvd_size;		/* 0x2c */
	uint8_t  rsvd_pos;		/* 0x2d */
	uint16_t vesapm_seg;		/* 0x2e */
	uint16_t vesapm_off;		/* 0x30 */
	uint16_t pages;			/* 0x32 */
	uint16_t vesa_attributes;	/* 0x34 */
	uint32_t capabilities;		/* 0x36: bit 1 = 64-bit lfb base */
	uint32_t ext_lfb_base;		/* 0x3a: fb address, high 32 bits */
	uint8_t  _reserved[2];		/* 0x3e */
} __attribute__((packed));
_Static_assert(sizeof(struct linux_screen_info) == 0x40, "screen_info size");
_Static_assert(offsetof(struct linux_screen_info, lfb_base) == 0x18, "lfb_base");
_Static_assert(offsetof(struct linux_screen_info, ext_lfb_base) == 0x3a, "ext_lfb_base");

/* struct efi_info, 0x1c0..0x1e0 (loader: for EFI runtime services, later). */
struct linux_efi_info {
	uint32_t efi_loader_signature;	/* 0x00: "EL64" */
	uint32_t efi_systab;		/* 0x04: system table, low 32 bits */
	uint32_t efi_memdesc_size;	/* 0x08: descriptor stride */
	uint32_t efi_memdesc_version;	/* 0x0c */
	uint32_t efi_memmap;		/* 0x10: memory map, low 32 bits */
	uint32_t efi_memmap_size;	/* 0x14: bytes */
	uint32_t efi_systab_hi;		/* 0x18 */
	uint32_t efi_memmap_hi;		/* 0x1c */
} __attribute__((packed));
_Static_assert(sizeof(struct linux_efi_info) == 0x20, "efi_info size");

/* The zero page (struct boot_params), 4096 bytes. */
struct boot_params {
	struct linux_screen_info screen_info;	/* 0x000: framebuffer (loader) */
	uint8_t  apm_bios_info[0x14];		/* 0x040: obsolete */
	uint8_t  _pad2[4];			/* 0x054 */
	uint64_t tboot_addr;			/* 0x058: 0 */
	uint8_t  ist_info[0x10];		/* 0x060: obsolete */
	uint64_t acpi_rsdp_addr;		/* 0x070: ACPI RSDP physical address (loader) */
	uint8_t  _pad3[8];			/* 0x078 */
	uint8_t  hd0_info[16];			/* 0x080: obsolete */
	uint8_t  hd1_info[16];			/* 0x090: obsolete */
	uint8_t  sys_desc_table[0x10];		/* 0x0a0: obsolete */
	uint8_t  olpc_ofw_header[0x10];		/* 0x0b0: OLPC only */
	uint32_t ext_ramdisk_image;		/* 0x0c0: initrd address, high 32 bits (loader) */
	uint32_t ext_ramdisk_size;		/* 0x0c4: initrd size, high 32 bits (loader) */
	uint32_t ext_cmd_line_ptr;		/* 0x0c8: cmdline address, high 32 bits (loader) */
	uint8_t  _pad4[112];			/* 0x0cc */
	uint32_t cc_blob_address;		/* 0x13c: kernel-internal */
	uint8_t  edid_info[0x80];		/* 0x140 */
	struct linux_efi_info efi_info;		/* 0x1c0: EFI tables (loader, later) */
	uint32_t alt_mem_k;			/* 0x1e0: obsolete */
	uint32_t scratch;			/* 0x1e4: kernel scratch */
	uint8_t  e820_entries;			/* 0x1e8: used entries of e820_table (loader) */
	uint8_t  eddbuf_entries;		/* 0x1e9 */
	uint8_t  edd_mbr_sig_buf_entries;	/* 0x1ea */
	uint8_t  kbd_status;			/* 0x1eb */
	uint8_t  secure_boot;			/* 0x1ec */
	uint8_t  _pad5[2];			/* 0x1ed */
	uint8_t  sentinel;			/* 0x1ef: must be 0 from a clean loader */
	uint8_t  _pad6[1];			/* 0x1f0 */
	struct linux_setup_header hdr;		/* 0x1f1: setup header (image + loader) */
	uint8_t  _pad7[0x290 - 0x26c];		/* 0x26c */
	uint32_t edd_mbr_sig_buffer[16];	/* 0x290 */
	struct boot_e820_entry e820_table[E820_MAX_ENTRIES_ZEROPAGE]; /* 0x2d0: memory map (loader) */
	uint8_t  _pad8[48];			/* 0xcd0 */
	uint8_t  eddbuf[6 * 0x52];		/* 0xd00 */
	uint8_t  _pad9[276];			/* 0xeec */
} __attribute__((packed));
_Static_assert(sizeof(struct boot_params) == 4096, "boot_params size");
_Static_assert(offsetof(struct boot_params, acpi_rsdp_addr) == 0x070, "acpi_rsdp_addr");
_Static_assert(offsetof(struct boot_params, ext_ramdisk_image) == 0x0c0, "ext_ramdisk_image");
_Static_assert(offsetof(struct boot_params, ext_ramdisk_size) == 0x0c4, "ext_ramdisk_size");
_Static_assert(offsetof(struct boot_params, ext_cmd_line_ptr) == 0x0c8, "ext_cmd_line_ptr");
_Static_assert(offsetof(struct boot_params, cc_blob_address) == 0x13c, "cc_blob_address");
_Static_assert(offsetof(struct boot_params, edid_info) == 0x140, "edid_info");
_Static_assert(offsetof(struct boot_params, efi_info) == 0x1c0, "efi_info");
_Static_assert(offsetof(struct boot_params, e820_entries) == 0x1e8, "e820_entries");
_Static_assert(offsetof(struct boot_params, sentinel) == 0x1ef, "sentinel");
_Static_assert(offsetof(struct boot_params, hdr) == 0x1f1, "hdr");
_Static_assert(offsetof(struct boot_params, edd_mbr_sig_buffer) == 0x290, "edd_mbr_sig_buffer");
_Static_assert(offsetof(struct boot_params, e820_table) == 0x2d0, "e820_table");
_Static_assert(offsetof(struct boot_params, eddbuf) == 0xd00, "eddbuf");

#endif /* MKHV_LINUX_BOOT_H */
