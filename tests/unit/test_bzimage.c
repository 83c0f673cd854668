// SPDX-License-Identifier: GPL-2.0
#include "hv_check.h"
#include <stdint.h>
#include <mkhv/bzimage.h>
#include <mkhv/errno.h>
#include "hv_fakes.h"

#define SETUP_SECTS	4
#define SETUP_SIZE	((SETUP_SECTS + 1) * 512)
#define KERNEL_SIZE	0x3004		/* payload + 4-byte CRC */
#define IMG_SIZE	(SETUP_SIZE + KERNEL_SIZE)

static uint8_t img[IMG_SIZE + 4096];

static void put16(size_t off, uint16_t v)
{
	img[off] = (uint8_t)v;
	img[off + 1] = (uint8_t)(v >> 8);
}

static void put32(size_t off, uint32_t v)
{
	put16(off, (uint16_t)v);
	put16(off + 2, (uint16_t)(v >> 16));
}

static void put64(size_t off, uint64_t v)
{
	put32(off, (uint32_t)v);
	put32(off + 4, (uint32_t)(v >> 32));
}

/* A minimal but well-formed 2.15 bzImage header, as Linux 6.1 builds it. */
static void make_image(void)
{
	memset(img, 0, sizeof(img));
	img[0x1f1] = SETUP_SECTS;
	put32(0x1f4, (KERNEL_SIZE + 15) / 16);
	put16(0x1fe, 0xaa55);
	img[0x200] = 0xeb;
	img[0x201] = 0x6a;		/* header ends at 0x26c */
	put32(0x202, 0x53726448);
	put16(0x206, 0x020f);
	img[0x211] = LINUX_LOADED_HIGH | LINUX_CAN_USE_HEAP;
	put16(0x224, 0xfe00);
	put32(0x22c, 0x7fffffff);	/* initrd_addr_max */
	put32(0x230, 0x200000);		/* kernel_alignment 2 MiB */
	img[0x234] = 1;			/* relocatable */
	put16(0x236, LINUX_XLF_KERNEL_64 | LINUX_XLF_CAN_BE_LOADED_ABOVE_4G);
	put32(0x238, 2047);		/* cmdline_size */
	put64(0x258, 0x1000000);	/* pref_address 16 MiB */
	put32(0x260, 0x2000000);	/* init_size 32 MiB */
	put32(0x268, 0x1234);
	img[0x1f1 + 0x7b] = 0x5a;	/* a byte past the header: never copied */
}

static struct bzimage_info bi;

START_TEST(test_parse_good)
{
	make_image();
	ck_assert_int_eq(bzimage_parse(img, IMG_SIZE, &bi), 0);
	ck_assert_uint_eq(bi.setup_size, SETUP_SIZE);
	ck_assert_uint_eq(bi.kernel_offset, SETUP_SIZE);
	ck_assert_uint_eq(bi.kernel_size, KERNEL_SIZE);
	ck_assert_uint_eq(bi.pref_address, 0x1000000);
	ck_assert_uint_eq(bi.kernel_alignment, 0x200000);
	ck_assert_uint_eq(bi.init_size, 0x2000000);
	ck_assert(bi.relocatable);
	ck_assert_uint_eq(bi.hdr_len, 0x26c - 0x1f1);
	ck_assert_uint_eq(bi.hdr.kernel_info_offset, 0x1234);
	ck_assert_uint_eq(bzimage_entry64(0x1000000), 0x1000200);
}
END_TEST

START_TEST(test_setup_sects_zero_means_four)
{
	make_image();
	img[0x1f1] = 0;
	ck_assert_int_eq(bzimage_parse(img, IMG_SIZE, &bi), 0);
	ck_assert_uint_eq(bi.setup_size, 5 * 512);
}
END_TEST

START_TEST(test_short_header_copies_only_header)
{
	make_image();
	img[0x201] = 0x66;		/* 2.12-style header ending at 0x268 */
	put16(0x206, 0x020c);
	ck_assert_int_eq(bzimage_parse(img, IMG_SIZE, &bi), 0);
	ck_assert_uint_eq(bi.hdr_len, 0x268 - 0x1f1);
	ck_assert_uint_eq(bi.hdr.kernel_info_offset, 0);
}
END_TEST

/* Each hostile mutation of a good image must be refused. */
START_TEST(test_hostile_headers)
{
	static const struct {
		size_t off;
		int width;
		uint64_t val;
	} bad[] = {
		{ 0x1fe, 2, 0x55aa },		/* boot flag */
		{ 0x202, 4, 0x53726449 },	/* "HdrT" */
		{ 0x206, 2, 0x020b },		/* protocol 2.11 */
		{ 0x236, 2, 0 },		/* no XLF_KERNEL_64 */
		{ 0x211, 1, 0 },		/* zImage: not LOADED_HIGH */
		{ 0x201, 1, 0x10 },		/* header too short */
		{ 0x1f1, 1, 0xff },		/* setup past the file */
		{ 0x1f1, 1, 0x1c },		/* leaves 4 bytes of kernel */
		{ 0x1f4, 4, 0 },		/* syssize 0 */
		{ 0x1f4, 4, 0x10000 },		/* syssize past the file */
		{ 0x230, 4, 0x300000 },		/* alignment not a power of 2 */
		{ 0x230, 4, 0 },		/* alignment 0 */
		{ 0x230, 4, 0x800 },		/* alignment below a page */
		{ 0x260, 4, 0x100 },		/* init_size smaller than kernel */
		{ 0x238, 4, 0 },		/* cmdline_size 0 */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		make_image();
		if (bad[i].width == 1)
			img[bad[i].off] = (uint8_t)bad[i].val;
		else if (bad[i].width == 2)
			put16(bad[i].off, (uint16_t)bad[i].val);
		else
			put32(bad[i].off, (uint32_t)bad[i].val);
		ck_assert_msg(bzimage_parse(img, IMG_SIZE, &bi) == -EINVAL,
			      "mutation %zu accepted", i);
	}
}
END_TEST

START_TEST(test_truncated_files)
{
	make_image();
	for (size_t sz = 0; sz <= SETUP_SIZE + 0x200; sz += 7)
		ck_assert_int_eq(bzimage_parse(img, sz, &bi), -EINVAL);
	/* Missing CRC bytes beyond the 15-byte round-up: syssize too big. */
	ck_assert_int_eq(bzimage_parse(img, IMG_SIZE - 20, &bi), -EINVAL);
	ck_assert_int_eq(bzimage_parse(NULL, IMG_SIZE, &bi), -EINVAL);
}
END_TEST

START_TEST(test_nonrelocatable_wrapping_pref)
{
	make_image();
	img[0x234] = 0;
	put64(0x258, 0xfffffffffff00000ULL);
	ck_assert_int_eq(bzimage_parse(img, IMG_SIZE, &bi), -EINVAL);
}
END_TEST

START_TEST(test_place)
{
	uint64_t a = 0;

	make_image();
	ck_assert_int_eq(bzimage_parse(img, IMG_SIZE, &bi), 0);
	/* pref_address fits. */
	ck_assert_int_eq(bzimage_place(&bi, 0x100000, 0x40000000, &a), 0);
	ck_assert_uint_eq(a, 0x1000000);
	/* Region above pref: aligned start of region. */
	ck_assert_int_eq(bzimage_place(&bi, 0x2000001, 0x40000000, &a), 0);
	ck_assert_uint_eq(a, 0x2200000);
	/* Too small for init_size after alignment. */
	ck_assert_int_eq(bzimage_place(&bi, 0x2000001, 0x4100000, &a), -ENOSPC);
	/* Exactly enough. */
	ck_assert_int_eq(bzimage_place(&bi, 0x2200000, 0x4200000, &a), 0);
	ck_assert_uint_eq(a, 0x2200000);
	/* Alignment overflow near the top of the address space. */
	ck_assert_int_eq(bzimage_place(&bi, UINT64_MAX - 5, UINT64_MAX, &a),
			 -ENOSPC);
	ck_assert_int_eq(bzimage_place(&bi, 10, 10, &a), -ENOSPC);
	/* Not relocatable: pref_address or nothing. */
	bi.relocatable = false;
	ck_assert_int_eq(bzimage_place(&bi, 0x2000000, 0x40000000, &a),
			 -ENOSPC);
}
END_TEST

static struct boot_params bp;
static const char cmdline[] = "console=ttyS0 nr_cpus=1";

static struct bzimage_boot_cfg base_cfg(void)
{
	static struct boot_e820_entry e820[3] = {
		{ 0, 0x9f000, E820_TYPE_RAM },
		{ 0x9f000, 0x61000, E820_TYPE_RESERVED },
		{ 0x100000, 0x3ff00000, E820_TYPE_RAM },
	};
	return (struct bzimage_boot_cfg){
		.cmdline_addr = 0x20000,
		.cmdline_len = sizeof(cmdline) - 1,
		.initrd_addr = 0x30000000,
		.initrd_size = 0x800000,
		.acpi_rsdp_addr = 0x7fbfe014,
		.e820 = e820,
		.e820_nr = 3,
	};
}

START_TEST(test_fill_boot_params)
{
	struct bzimage_boot_cfg cfg = base_cfg();

	make_image();
	ck_assert_int_eq(bzimage_parse(img, IMG_SIZE, &bi), 0);
	memset(&bp, 0xee, sizeof(bp));
	ck_assert_int_eq(bzimage_fill_boot_params(&bi, &cfg, &bp), 0);
	ck_assert_uint_eq(bp.hdr.boot_flag, 0xaa55);
	ck_assert_uint_eq(bp.hdr.header, LINUX_HDRS_MAGIC);
	ck_assert_uint_eq(bp.hdr.type_of_loader, 0xff);
	ck_assert_uint_eq(bp.hdr.loadflags, LINUX_LOADED_HIGH);
	ck_assert_uint_eq(bp.hdr.heap_end_ptr, 0);
	ck_assert_uint_eq(bp.hdr.cmd_line_ptr, 0x20000);
	ck_assert_uint_eq(bp.ext_cmd_line_ptr, 0);
	ck_assert_uint_eq(bp.hdr.ramdisk_image, 0x30000000);
	ck_assert_uint_eq(bp.hdr.ramdisk_size, 0x800000);
	ck_assert_uint_eq(bp.ext_ramdisk_image, 0);
	ck_assert_uint_eq(bp.acpi_rsdp_addr, 0x7fbfe014);
	ck_assert_uint_eq(bp.e820_entries, 3);
	ck_assert_uint_eq(bp.e820_table[2].addr, 0x100000);
	ck_assert_uint_eq(bp.e820_table[2].type, E820_TYPE_RAM);
	ck_assert_uint_eq(bp.e820_table[3].size, 0);
	ck_assert_uint_eq(bp.sentinel, 0);
	ck_assert_uint_eq(bp.screen_info.orig_video_isVGA, 0);
	/* Byte past the image's header end stays 0 in the zero page. */
	ck_assert_uint_eq(((uint8_t *)&bp)[0x26c], 0);
	/* Raw offsets, as the kernel reads them. */
	ck_assert_uint_eq(((uint8_t *)&bp)[0x210], 0xff);
	ck_assert_uint_eq(((uint8_t *)&bp)[0x1e8], 3);
	ck_assert_uint_eq(*(uint32_t *)((uint8_t *)&bp + 0x228), 0x20000);
	ck_assert_uint_eq(*(uint64_t *)((uint8_t *)&bp + 0x070), 0x7fbfe014);
	ck_assert_uint_eq(*(uint64_t *)((uint8_t *)&bp + 0x2d0 + 40), 0x100000);
}
END_TEST

START_TEST(test_fill_high_addresses)
{
	struct bzimage_boot_cfg cfg = base_cfg();

	make_image();
	ck_assert_int_eq(bzimage_parse(img, IMG_SIZE, &bi), 0);
	cfg.cmdline_addr = 0x123456000ULL;
	cfg.initrd_addr = 0x240000000ULL;
	cfg.initrd_size = 0x100000010ULL;
	ck_assert_int_eq(bzimage_fill_boot_params(&bi, &cfg, &bp), 0);
	ck_assert_uint_eq(bp.hdr.cmd_line_ptr, 0x23456000);
	ck_assert_uint_eq(bp.ext_cmd_line_ptr, 1);
	ck_assert_uint_eq(bp.hdr.ramdisk_image, 0x40000000);
	ck_assert_uint_eq(bp.ext_ramdisk_image, 2);
	ck_assert_uint_eq(bp.hdr.ramdisk_size, 0x10);
	ck_assert_uint_eq(bp.ext_ramdisk_size, 1);
	/* Without XLF_CAN_BE_LOADED_ABOVE_4G both are refused. */
	bi.hdr.xloadflags = LINUX_XLF_KERNEL_64;
	ck_assert_int_eq(bzimage_fill_boot_params(&bi, &cfg, &bp), -EINVAL);
	cfg = base_cfg();
	cfg.initrd_addr = 0x7ff00000;	/* ends past initrd_addr_max */
	ck_assert_int_eq(bzimage_fill_boot_params(&bi, &cfg, &bp), -EINVAL);
	ck_assert_uint_eq(bp.hdr.boot_flag, 0);	/* wiped on failure */
}
END_TEST

START_TEST(test_fill_hostile_cfg)
{
	struct bzimage_boot_cfg cfg;

	make_image();
	ck_assert_int_eq(bzimage_parse(img, IMG_SIZE, &bi), 0);
	cfg = base_cfg();
	cfg.cmdline_len = 2048;		/* > cmdline_size 2047 */
	ck_assert_int_eq(bzimage_fill_boot_params(&bi, &cfg, &bp), -EINVAL);
	cfg = base_cfg();
	cfg.cmdline_len = 2047;
	ck_assert_int_eq(bzimage_fill_boot_params(&bi, &cfg, &bp), 0);
	cfg = base_cfg();
	cfg.cmdline_addr = UINT64_MAX - 4;
	ck_assert_int_eq(bzimage_fill_boot_params(&bi, &cfg, &bp), -EINVAL);
	cfg = base_cfg();
	cfg.initrd_addr = UINT64_MAX - 0x1000;
	ck_assert_int_eq(bzimage_fill_boot_params(&bi, &cfg, &bp), -EINVAL);
	cfg = base_cfg();
	cfg.initrd_addr = 0;
	ck_assert_int_eq(bzimage_fill_boot_params(&bi, &cfg, &bp), -EINVAL);
	cfg = base_cfg();
	cfg.e820_nr = 129;
	ck_assert_int_eq(bzimage_fill_boot_params(&bi, &cfg, &bp), -E2BIG);
	cfg = base_cfg();
	cfg.e820 = NULL;
	ck_assert_int_eq(bzimage_fill_boot_params(&bi, &cfg, &bp), -EINVAL);
	/* No cmdline and no initrd is fine. */
	cfg = base_cfg();
	cfg.cmdline_addr = 0;
	cfg.initrd_size = 0;
	ck_assert_int_eq(bzimage_fill_boot_params(&bi, &cfg, &bp), 0);
	ck_assert_uint_eq(bp.hdr.cmd_line_ptr, 0);
	ck_assert_uint_eq(bp.hdr.ramdisk_image, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bzimage");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse_good);
	tcase_add_test(tc, test_setup_sects_zero_means_four);
	tcase_add_test(tc, test_short_header_copies_only_header);
	tcase_add_test(tc, test_hostile_headers);
	tcase_add_test(tc, test_truncated_files);
	tcase_add_test(tc, test_nonrelocatable_wrapping_pref);
	tcase_add_test(tc, test_place);
	tcase_add_test(tc, test_fill_boot_params);
	tcase_add_test(tc, test_fill_high_addresses);
	tcase_add_test(tc, test_fill_hostile_cfg);
	suite_add_tcase(s, tc);
	return hv_check_run(s);
}
