// SPDX-License-Identifier: GPL-2.0
/*
 * mkhv_probe.ko: isolation probes run inside a child partition by
 * tests/system/child-boot.sh (through guest-drivers/initramfs/probe).
 * Each load does what its parameters say, prints "mkhv_probe: ..." lines
 * and stays loaded (the probe script unloads it):
 *
 *   write_gpa=A value=V   store V (u32) at guest-physical A (RAM, WB)
 *   read_gpa=A            print the u32 at A: RAM through the direct map,
 *                         anything else through an uncached mapping
 *   hypercalls=1          call every parent-only hypercall through the
 *                         guest's own hypercall page; print each status
 *   triple=1              triple-fault this vCPU (empty IDT, then #UD)
 *
 * Nothing here is mkhv-specific kernel API: a stock kernel's hypercall
 * page (hv_do_hypercall) and memremap/ioremap, as a hostile guest would.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <asm/desc.h>
#include <asm/mshyperv.h>

static unsigned long write_gpa, read_gpa;
static uint value;
static bool hypercalls, triple;
module_param(write_gpa, ulong, 0);
module_param(read_gpa, ulong, 0);
module_param(value, uint, 0);
module_param(hypercalls, bool, 0);
module_param(triple, bool, 0);

static int probe_write(unsigned long gpa, u32 v)
{
	u32 *p = memremap(gpa, sizeof(v), MEMREMAP_WB);

	if (!p) {
		pr_info("mkhv_probe: gpa %#lx cannot be mapped\n", gpa);
		return -EINVAL;
	}
	WRITE_ONCE(*p, v);
	pr_info("mkhv_probe: gpa %#lx written %#x reads %#x\n", gpa, v,
		READ_ONCE(*p));
	memunmap(p);
	return 0;
}

static int probe_read(unsigned long gpa)
{
	void __iomem *io;
	u32 *p;

	if (page_is_ram(PHYS_PFN(gpa))) {
		p = memremap(gpa, sizeof(*p), MEMREMAP_WB);
		if (!p)
			return -EINVAL;
		pr_info("mkhv_probe: gpa %#lx (RAM) reads %#x\n", gpa,
			READ_ONCE(*p));
		memunmap(p);
		return 0;
	}
	pr_info("mkhv_probe: gpa %#lx (not RAM) reading...\n", gpa);
	io = ioremap(gpa, sizeof(u32));
	if (!io)
		return -EINVAL;
	pr_info("mkhv_probe: gpa %#lx (not RAM) reads %#x\n", gpa, readl(io));
	iounmap(io);
	return 0;
}

/*
 * The TLFS partition-management calls a child must never be granted
 * (Linux 6.1's guest headers do not name them), then mkhv's own.  Rep
 * calls get one rep.
 */
static const struct { u16 code; bool rep; } parent_only[] = {
	{ 0x0040 }, { 0x0041 }, { 0x0042 }, { 0x0043 },	/* Create..Delete */
	{ 0x004b, true }, { 0x004c, true },		/* Map/UnmapGpaPages */
	{ 0x004d }, { 0x004e },				/* InstallIntercept, CreateVp */
	{ 0x0050, true }, { 0x0051, true },		/* Get/SetVpRegisters */
	{ 0x8100 }, { 0x8101 }, { 0x8102 }, { 0x8103 },	/* mkhv's own */
};

static int probe_hypercalls(void)
{
	void *in = (void *)__get_free_page(GFP_KERNEL | __GFP_ZERO);
	void *out = (void *)__get_free_page(GFP_KERNEL | __GFP_ZERO);
	unsigned int i, denied = 0;

	if (!in || !out || !hv_hypercall_pg) {
		free_page((unsigned long)in);
		free_page((unsigned long)out);
		pr_info("mkhv_probe: no hypercall page\n");
		return -ENODEV;
	}
	for (i = 0; i < ARRAY_SIZE(parent_only); i++) {
		u64 ctl = parent_only[i].code, st;

		/* Partition 1 (likely another child), VP 0. */
		((u64 *)in)[0] = 1;
		if (parent_only[i].rep)
			ctl |= 1ULL << HV_HYPERCALL_REP_COMP_OFFSET;
		st = hv_do_hypercall(ctl, in, out) & HV_HYPERCALL_RESULT_MASK;
		pr_info("mkhv_probe: hypercall %#06x status %#06llx\n",
			parent_only[i].code, st);
		denied += st == HV_STATUS_ACCESS_DENIED;
	}
	pr_info("mkhv_probe: %u of %zu parent-only hypercalls denied\n",
		denied, ARRAY_SIZE(parent_only));
	free_page((unsigned long)in);
	free_page((unsigned long)out);
	return 0;
}

static void probe_triple(void)
{
	struct desc_ptr empty = { .size = 0, .address = 0 };

	pr_info("mkhv_probe: triple fault now\n");
	local_irq_disable();
	load_idt(&empty);
	asm volatile("ud2");
}

static int __init mkhv_probe_init(void)
{
	int ret = 0;

	if (write_gpa)
		ret = probe_write(write_gpa, value);
	if (!ret && read_gpa)
		ret = probe_read(read_gpa);
	if (!ret && hypercalls)
		ret = probe_hypercalls();
	if (!ret && triple)
		probe_triple();
	return ret;
}

static void __exit mkhv_probe_exit(void)
{
}

module_init(mkhv_probe_init);
module_exit(mkhv_probe_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mkhv isolation probes for child partitions (tests only)");
