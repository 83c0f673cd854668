// SPDX-License-Identifier: GPL-2.0
/*
 * Check suite for parent/worker/linux_loader.c and guest.c: the real
 * parent kernel ($(BUILD)/kernel/vmlinuz, HVWORKER_TEST_KERNEL) booted
 * into a plain buffer standing in for guest RAM.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "linux_loader.h"

static uint8_t *kernel;
static size_t kernel_size;

static void load_kernel(void)
{
	FILE *f = fopen(HVWORKER_TEST_KERNEL, "rb");
	long n;

	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	kernel = malloc((size_t)n);
	ck_assert_ptr_nonnull(kernel);
	ck_assert_uint_eq(fread(kernel, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	kernel_size = (size_t)n;
}

struct ram {
	uint8_t *p;
	uint64_t size;
	struct guest_mem m;
};

static void ram_get(struct ram *r, uint64_t mib)
{
	r->size = mib << 20;
	r->p = mmap(NULL, r->size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ck_assert(r->p != MAP_FAILED);
	ck_assert_int_eq(guest_mem_init(&r->m, r->p, r->size), 0);
}

static void ram_put(struct ram *r)
{
	munmap(r->p, r->size);
}

static int boot(struct ram *r, const char *cmdline, const uint8_t *initrd,
		size_t isize, unsigned int vcpus, struct linux_boot_info *bi,
		char *err)
{
	struct linux_boot_cfg c = {
		.kernel = kernel, .kernel_size = kernel_size,
		.initrd = initrd, .initrd_size = isize,
		.cmdline = cmdline, .nr_vcpus = vcpus,
	};

	return linux_boot_setup(&r->m, &c, bi, err, 256);
}

START_TEST(guest_ptr_bounds)
{
	struct ram r;

	ram_get(&r, 64);
	ck_assert_ptr_eq(guest_ptr(&r.m, 0, 4096), r.p);
	ck_assert_ptr_eq(guest_ptr(&r.m, (64 << 20) - 1, 1), r.p + (64 << 20) - 1);
	ck_assert_ptr_null(guest_ptr(&r.m, (64 << 20) - 1, 2));
	ck_assert_ptr_null(guest_ptr(&r.m, 64 << 20, 1));
	ck_assert_ptr_null(guest_ptr(&r.m, 0, ~0ULL));
	ck_assert_ptr_null(guest_ptr(&r.m, GUEST_HIGH_BASE, 1));
	ram_put(&r);
	ck_assert_int_eq(guest_mem_init(&r.m, (uint8_t *)16, 16 << 20), -EINVAL);
	ck_assert_int_eq(guest_mem_init(&r.m, (uint8_t *)16, (64 << 20) + 1), -EINVAL);
	ck_assert_int_eq(guest_mem_init(&r.m, (uint8_t *)16, 17ULL << 30), -EINVAL);
}
END_TEST

START_TEST(kernel_placed_and_copied)
{
	struct linux_boot_info bi;
	struct ram r;
	char err[256];
	uint64_t setup = ((uint64_t)(kernel[0x1f1] ? kernel[0x1f1] : 4) + 1) * 512;

	ram_get(&r, 256);
	ck_assert_int_eq(boot(&r, "console=ttyS0", NULL, 0, 1, &bi, err), 0);
	ck_assert_uint_eq(bi.load_addr, 0x1000000);	/* pref_address */
	ck_assert_uint_eq(bi.entry, bi.load_addr + 0x200);
	ck_assert_mem_eq(r.p + bi.load_addr, kernel + setup, kernel_size - setup);
	ram_put(&r);
}
END_TEST

START_TEST(boot_params_and_cmdline)
{
	struct linux_boot_info bi;
	struct boot_params *bp;
	struct ram r;
	char err[256];

	ram_get(&r, 256);
	ck_assert_int_eq(boot(&r, "console=ttyS0 quiet", NULL, 0, 2, &bi, err), 0);
	ck_assert_uint_eq(bi.boot_params, GUEST_BOOT_PARAMS);
	bp = (struct boot_params *)(r.p + GUEST_BOOT_PARAMS);
	ck_assert_uint_eq(bp->hdr.header, LINUX_HDRS_MAGIC);
	ck_assert_uint_eq(bp->hdr.boot_flag, LINUX_BOOT_FLAG);
	ck_assert_uint_eq(bp->hdr.type_of_loader, 0xff);
	ck_assert(bp->hdr.loadflags & LINUX_LOADED_HIGH);
	ck_assert_uint_eq(bp->hdr.cmd_line_ptr, GUEST_CMDLINE);
	ck_assert_str_eq((char *)r.p + GUEST_CMDLINE, "console=ttyS0 quiet");
	ck_assert_uint_eq(bp->hdr.ramdisk_image, 0);
	ck_assert_uint_eq(bp->acpi_rsdp_addr, GUEST_ACPI_BASE);
	ck_assert_mem_eq(r.p + GUEST_ACPI_BASE, "RSD PTR ", 8);
	ram_put(&r);
}
END_TEST

START_TEST(e820_map)
{
	struct linux_boot_info bi;
	struct boot_params *bp;
	struct ram r;
	char err[256];

	ram_get(&r, 256);
	ck_assert_int_eq(boot(&r, "", NULL, 0, 1, &bi, err), 0);
	bp = (struct boot_params *)(r.p + GUEST_BOOT_PARAMS);
	ck_assert_uint_eq(bp->e820_entries, 4);
	ck_assert_uint_eq(bp->e820_table[0].addr, 0);
	ck_assert_uint_eq(bp->e820_table[0].size, GUEST_LOW_RAM_END);
	ck_assert_uint_eq(bp->e820_table[0].type, E820_TYPE_RAM);
	ck_assert_uint_eq(bp->e820_table[1].type, E820_TYPE_RESERVED);
	ck_assert_uint_eq(bp->e820_table[2].addr, GUEST_ACPI_BASE);
	ck_assert_uint_eq(bp->e820_table[2].type, E820_TYPE_ACPI);
	ck_assert_uint_eq(bp->e820_table[3].addr, 0x100000);
	ck_assert_uint_eq(bp->e820_table[3].addr + bp->e820_table[3].size,
			  256 << 20);
	ck_assert_uint_eq(bp->e820_table[3].type, E820_TYPE_RAM);
	/* Contiguous, sorted, nothing beyond RAM. */
	for (unsigned int i = 1; i < 4; i++)
		ck_assert_uint_eq(bp->e820_table[i].addr,
				  bp->e820_table[i - 1].addr + bp->e820_table[i - 1].size);
	ram_put(&r);
}
END_TEST

START_TEST(e820_above_4g)
{
	struct linux_boot_info bi;
	struct ram r;
	char err[256];

	ram_get(&r, 5 << 10);	/* 5 GiB: 3 low, 2 high (never touched) */
	ck_assert_int_eq(boot(&r, "", NULL, 0, 1, &bi, err), 0);
	ck_assert_uint_eq(bi.e820_nr, 5);
	ck_assert_uint_eq(bi.e820[3].addr + bi.e820[3].size, GUEST_LOW_MAX);
	ck_assert_uint_eq(bi.e820[4].addr, GUEST_HIGH_BASE);
	ck_assert_uint_eq(bi.e820[4].size, 2ULL << 30);
	ck_assert_ptr_eq(guest_ptr(&r.m, GUEST_HIGH_BASE, 1), r.p + GUEST_LOW_MAX);
	ck_assert_ptr_null(guest_ptr(&r.m, GUEST_LOW_MAX, 1));	/* the hole */
	ram_put(&r);
}
END_TEST

START_TEST(initrd_placement)
{
	static const uint8_t initrd[3 * 4096 + 5] = { 0x1f, 0x8b, 7 };
	struct linux_boot_info bi;
	struct boot_params *bp;
	struct ram r;
	char err[256];

	ram_get(&r, 128);
	ck_assert_int_eq(boot(&r, "", initrd, sizeof(initrd), 1, &bi, err), 0);
	bp = (struct boot_params *)(r.p + GUEST_BOOT_PARAMS);
	ck_assert_uint_eq(bi.initrd_addr % 4096, 0);
	ck_assert_uint_le(bi.initrd_addr + sizeof(initrd), 128 << 20);
	ck_assert_uint_ge(bi.initrd_addr, bi.load_addr + 0x3000000);
	ck_assert_uint_eq(bp->hdr.ramdisk_image, bi.initrd_addr);
	ck_assert_uint_eq(bp->hdr.ramdisk_size, sizeof(initrd));
	ck_assert_mem_eq(r.p + bi.initrd_addr, initrd, sizeof(initrd));
	ram_put(&r);
}
END_TEST

START_TEST(identity_page_tables_and_gdt)
{
	struct linux_boot_info bi;
	struct ram r;
	uint64_t *pml4, *pdpt, *pd, *gdt;
	char err[256];

	ram_get(&r, 128);
	ck_assert_int_eq(boot(&r, "", NULL, 0, 1, &bi, err), 0);
	pml4 = (uint64_t *)(r.p + GUEST_PML4);
	pdpt = (uint64_t *)(r.p + GUEST_PDPT);
	pd = (uint64_t *)(r.p + GUEST_PD);
	ck_assert_uint_eq(pml4[0], GUEST_PDPT | 3);
	ck_assert_uint_eq(pml4[1], 0);
	for (unsigned int i = 0; i < 4; i++)
		ck_assert_uint_eq(pdpt[i], (GUEST_PD + i * 4096) | 3);
	/* The entry point and the zero page translate to themselves. */
	ck_assert_uint_eq(pd[bi.entry >> 21] & ~0xfffULL, bi.entry & ~0x1fffffULL);
	ck_assert_uint_eq(pd[0], 0x83);
	ck_assert_uint_eq(pd[2047], (2047ULL << 21) | 0x83);
	gdt = (uint64_t *)(r.p + GUEST_GDT);
	ck_assert_uint_eq(gdt[GUEST_BOOT_CS / 8], 0x00af9a000000ffffULL);
	ck_assert_uint_eq(gdt[GUEST_BOOT_DS / 8], 0x00cf92000000ffffULL);
	ram_put(&r);
}
END_TEST

static const struct hv_register_assoc *find(const struct hv_register_assoc *r,
					    unsigned int n, uint32_t name)
{
	for (unsigned int i = 0; i < n; i++)
		if (r[i].name == name)
			return &r[i];
	ck_abort_msg("register %#x not set", name);
	return NULL;
}

START_TEST(boot_registers)
{
	struct hv_register_assoc regs[LINUX_BOOT_NR_REGS];
	struct linux_boot_info bi;
	struct ram r;
	unsigned int n;
	char err[256];

	ram_get(&r, 128);
	ck_assert_int_eq(boot(&r, "", NULL, 0, 1, &bi, err), 0);
	n = linux_boot_regs(&bi, regs);
	ck_assert_uint_le(n, LINUX_BOOT_NR_REGS);
	ck_assert_uint_eq(find(regs, n, HV_X64_REGISTER_RIP)->value.low, bi.entry);
	ck_assert_uint_eq(find(regs, n, HV_X64_REGISTER_RAX + 6)->value.low,
			  GUEST_BOOT_PARAMS);			/* RSI */
	ck_assert_uint_eq(find(regs, n, HV_X64_REGISTER_CR0)->value.low & 0x80000001,
			  0x80000001);				/* PG, PE */
	ck_assert_uint_eq(find(regs, n, HV_X64_REGISTER_CR3)->value.low, GUEST_PML4);
	ck_assert(find(regs, n, HV_X64_REGISTER_CR4)->value.low & 0x20);	/* PAE */
	ck_assert_uint_eq(find(regs, n, HV_X64_REGISTER_EFER)->value.low, 0x500);
	ck_assert_uint_eq(find(regs, n, HV_X64_REGISTER_GDTR)->value.low, GUEST_GDT);
	ck_assert_uint_eq(find(regs, n, HV_X64_REGISTER_GDTR)->value.high, 31);
	/* CS: selector 0x10, long-mode code; packed attributes L/G in 8-11. */
	ck_assert_uint_eq(find(regs, n, HV_X64_REGISTER_CS)->value.high,
			  0xffffffffULL | 0x10ULL << 32 | 0xa09bULL << 48);
	ck_assert_uint_eq(find(regs, n, HV_X64_REGISTER_SS)->value.high,
			  0xffffffffULL | 0x18ULL << 32 | 0xc093ULL << 48);
	for (unsigned int i = 0; i < n; i++)
		ck_assert(!regs[i].reserved1 && !regs[i].reserved2);
	ram_put(&r);
}
END_TEST

START_TEST(hostile_cmdline_too_long)
{
	struct linux_boot_info bi;
	struct ram r;
	char err[256] = "";
	char *cmd = malloc(5000);

	memset(cmd, 'a', 4999);
	cmd[4999] = '\0';
	ram_get(&r, 128);
	ck_assert_int_eq(boot(&r, cmd, NULL, 0, 1, &bi, err), -E2BIG);
	ck_assert_ptr_nonnull(strstr(err, "command line"));
	ram_put(&r);
	free(cmd);
}
END_TEST

START_TEST(hostile_initrd_larger_than_ram)
{
	struct linux_boot_info bi;
	struct ram r;
	char err[256] = "";
	size_t isize = 100 << 20;
	uint8_t *initrd = calloc(1, isize);

	ram_get(&r, 128);
	ck_assert_int_eq(boot(&r, "", initrd, isize, 1, &bi, err), -ENOSPC);
	ck_assert_ptr_nonnull(strstr(err, "initrd"));
	ram_put(&r);
	free(initrd);
}
END_TEST

START_TEST(hostile_memory_too_small)
{
	struct linux_boot_info bi;
	struct ram r;
	char err[256] = "";

	ram_get(&r, 64);	/* init_size is ~64 MiB: no room */
	ck_assert_int_eq(boot(&r, "", NULL, 0, 1, &bi, err), -ENOSPC);
	ck_assert_ptr_nonnull(strstr(err, "memory too small"));
	ram_put(&r);
}
END_TEST

START_TEST(hostile_not_a_kernel)
{
	struct linux_boot_cfg c = { .nr_vcpus = 1 };
	struct linux_boot_info bi;
	uint8_t junk[8192];
	struct ram r;
	char err[256] = "";

	memset(junk, 0x90, sizeof(junk));
	c.kernel = junk;
	c.kernel_size = sizeof(junk);
	ram_get(&r, 128);
	ck_assert_int_eq(linux_boot_setup(&r.m, &c, &bi, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "bzImage"));
	/* A truncated real kernel is refused too. */
	c.kernel = kernel;
	c.kernel_size = 0x1000;
	ck_assert_int_eq(linux_boot_setup(&r.m, &c, &bi, err, sizeof(err)), -EINVAL);
	c.kernel_size = kernel_size;
	c.nr_vcpus = 17;
	ck_assert_int_eq(linux_boot_setup(&r.m, &c, &bi, err, sizeof(err)), -EINVAL);
	ram_put(&r);
}
END_TEST

START_TEST(tinyguest_boots)
{
	struct linux_boot_cfg c = { .nr_vcpus = 1, .cmdline = "x" };
	struct linux_boot_info bi;
	uint8_t img[8192];
	struct ram r;
	char err[256] = "";
	FILE *f = fopen(HVWORKER_TEST_TINYGUEST, "rb");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(img, 1, sizeof(img), f);
	fclose(f);
	c.kernel = img;
	c.kernel_size = n;
	ram_get(&r, 32);	/* the smallest VM hvworker makes */
	ck_assert_int_eq(linux_boot_setup(&r.m, &c, &bi, err, sizeof(err)), 0);
	ck_assert_uint_eq(bi.load_addr, 0x1000000);
	/* Its entry: mov $0x3f8, %dx. */
	ck_assert_mem_eq(r.p + bi.entry, "\x66\xba\xf8\x03", 4);
	ram_put(&r);
}
END_TEST

static Suite *loader_suite(void)
{
	Suite *s = suite_create("hvworker_linux_loader");
	TCase *tc = tcase_create("loader");

	tcase_add_unchecked_fixture(tc, load_kernel, NULL);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, guest_ptr_bounds);
	tcase_add_test(tc, kernel_placed_and_copied);
	tcase_add_test(tc, boot_params_and_cmdline);
	tcase_add_test(tc, e820_map);
	tcase_add_test(tc, e820_above_4g);
	tcase_add_test(tc, initrd_placement);
	tcase_add_test(tc, identity_page_tables_and_gdt);
	tcase_add_test(tc, boot_registers);
	tcase_add_test(tc, hostile_cmdline_too_long);
	tcase_add_test(tc, hostile_initrd_larger_than_ram);
	tcase_add_test(tc, hostile_memory_too_small);
	tcase_add_test(tc, hostile_not_a_kernel);
	tcase_add_test(tc, tinyguest_boots);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(loader_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
