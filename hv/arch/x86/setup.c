// SPDX-License-Identifier: GPL-2.0
/*
 * x86 boot of the hv: from the loader's handoff to a running parent.
 *
 * BSP: console, heap, descriptor tables, own page tables, TSC calibration,
 * SVM checks, APs, then the parent partition on this CPU.  APs: descriptor
 * tables, SVM on, idle (the child pool).
 */
#include <mkhv/lib.h>
#include <mkhv/mm.h>
#include <mkhv/printk.h>
#include <mkhv/string.h>
#include <asm/setup.h>
#include <asm/x86.h>
#include <mkhv/sched.h>
#include <asm/pool.h>
#include <asm/vcpu.h>

#ifndef MKHV_VERSION
#define MKHV_VERSION "unknown"
#endif

extern u8 bsp_stack_top[];

struct mkhv_bootinfo *bootinfo;
struct pcpu pcpus[MAX_CPUS];
u32 nr_pcpus;
static u64 tsc_freq;

u64 tsc_hz(void)
{
	return tsc_freq;
}

void udelay(u64 us)
{
	u64 end = rdtsc() + us * (tsc_freq / 1000000);

	while (rdtsc() < end)
		pause();
}

/*
 * TSC frequency from PIT channel 2 (gated through port 0x61, counting
 * 1193182 Hz): run it for 10 ms and count TSC ticks.  The hv needs this
 * for delays and for the Hyper-V TSC/APIC frequency MSRs.
 */
static void tsc_calibrate(void)
{
	const u16 ticks = 11932;	/* 10 ms */
	u64 t0, t1;
	u8 gate = inb(0x61);
	u32 spins = 0;

	outb(0x61, (gate & ~0x02) | 0x01);	/* gate on, speaker off */
	outb(0x43, 0xb0);			/* ch2, lo/hi, mode 0 */
	outb(0x42, ticks & 0xff);
	outb(0x42, ticks >> 8);
	t0 = rdtsc();
	while (!(inb(0x61) & 0x20) && ++spins < 100000000)
		;
	t1 = rdtsc();
	outb(0x61, gate);
	tsc_freq = (t1 - t0) * 100;
	if (!tsc_freq || spins >= 100000000) {
		tsc_freq = 2000000000ull;
		pr_warn("tsc: PIT calibration failed, assuming 2 GHz\n");
	}
}

/* Highest address the hv must map: end of RAM/MMIO in the map, >= 4 GiB. */
static u64 max_phys_addr(const struct mkhv_bootinfo *bi)
{
	u64 max = 1ull << 32, off;

	for (off = 0; off + 40 <= bi->memmap_size; off += bi->memmap_desc_size) {
		const u8 *d = (const u8 *)(uintptr_t)(bi->memmap_addr + off);
		u64 start, pages;

		memcpy(&start, d + 8, 8);
		memcpy(&pages, d + 24, 8);
		if (pages < (1ull << 40) && start + (pages << 12) > max)
			max = start + (pages << 12);
	}
	return max;
}

static bool bootinfo_ok(const struct mkhv_bootinfo *bi)
{
	return bi->magic == MKHV_BOOTINFO_MAGIC &&
	       bi->version == MKHV_BOOTINFO_VERSION &&
	       bi->size == sizeof(*bi) && bi->memmap_desc_size >= 40 &&
	       IS_ALIGNED(bi->hv_base, SZ_2M) && bi->hv_size >= SZ_2M;
}

static u64 heap_start(const struct mkhv_bootinfo *bi)
{
	u64 s = bi->hv_base + bi->hv_image_size;

	s = MAX(s, (u64)(uintptr_t)bi + sizeof(*bi));
	s = MAX(s, bi->memmap_addr + bi->memmap_size);
	return ALIGN_UP(s, PAGE_SIZE);
}

void x86_boot(struct mkhv_bootinfo *bi)
{
	struct pcpu *bsp = &pcpus[0];

	if (!bootinfo_ok(bi)) {
		serial_init(MKHV_SERIAL_COM1);
		pr_err("mkhv: bad handoff from the loader (version mismatch?)\n");
		cpu_halt_forever();
	}
	bootinfo = bi;
	serial_init(bi->hv_serial);
	printk_level = (int)bi->log_level;
	pr_info("mkhv hypervisor %s (loader %s)\n", MKHV_VERSION,
		bi->loader_version);

	mm_init(heap_start(bi), bi->hv_base + bi->hv_size);
	bsp->index = 0;
	bsp->apic_id = apic_id();
	bsp->stack_top = (u64)(uintptr_t)bsp_stack_top;
	nr_pcpus = 1;
	idt_build();
	cpu_init(bsp);
	if (paging_init(max_phys_addr(bi)))
		panic("no memory for the hv page tables");
	tsc_calibrate();
	pr_info("hv memory %llx-%llx (%llu MiB), TSC %llu MHz\n",
		(unsigned long long)bi->hv_base,
		(unsigned long long)(bi->hv_base + bi->hv_size - 1),
		(unsigned long long)(bi->hv_size >> 20),
		(unsigned long long)(tsc_freq / 1000000));

	if (vcpu_vendor_check())
		panic("this CPU cannot run mkhv");
	if (vcpu_vendor_cpu_enable(bsp))
		panic("cannot enable virtualization on the boot CPU");
	smp_boot_aps(bi->trampoline);
	pr_info("%u CPUs online: cpu0 runs the parent, %u in the child pool\n",
		nr_pcpus, nr_pcpus - 1);
	sched_init(nr_pcpus - 1);
	parent_start(bi);
}

void x86_ap_main(struct pcpu *cpu)
{
	cpu_init(cpu);
	apic_init();
	if (vcpu_vendor_cpu_enable(cpu)) {
		pr_err("cpu%u: cannot enable virtualization: left offline\n",
		       cpu->index);
		cpu_halt_forever();
	}
	pr_info("cpu%u (APIC ID %u) up, idle in the child pool\n", cpu->index,
		cpu->apic_id);
	__atomic_store_n(&cpu->online, 1, __ATOMIC_RELEASE);
	pool_loop(cpu);
}

__noreturn void arch_panic_stop(void)
{
	if (bootinfo && bootinfo->on_fatal == MKHV_FATAL_RESET) {
		pr_err("mkhv: resetting the machine\n");
		outb(0xcf9, 0x06);	/* PCI reset control: hard reset */
		outb(0x64, 0xfe);	/* fallback: keyboard controller */
	}
	pr_err("mkhv: machine halted\n");
	cpu_halt_forever();
	__builtin_unreachable();
}

void arch_cpu_relax(void)
{
	pause();
}

u64 arch_read_tsc(void)
{
	return rdtsc();
}

u64 arch_hv_mem_free(void)
{
	return mm_free_bytes();
}
