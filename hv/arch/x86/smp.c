// SPDX-License-Identifier: GPL-2.0
/*
 * Starting the APs.  After ExitBootServices the firmware no longer owns
 * them, so the hv starts each enabled MADT CPU itself with INIT-SIPI-SIPI
 * through a trampoline page below 1 MiB, one at a time, and waits for it to
 * report in.  APs then enable SVM and idle in the hv: they are the child
 * pool.
 */
#include <mkhv/acpi.h>
#include <mkhv/lib.h>
#include <mkhv/mm.h>
#include <mkhv/printk.h>
#include <mkhv/string.h>
#include <asm/setup.h>
#include <asm/x86.h>

extern const u8 tramp_start[], tramp_end[];
extern const u8 tramp_cr3[], tramp_stack[], tramp_entry[], tramp_arg[];
extern const u8 x86_ap_entry[];

#define AP_WAIT_US 200000	/* how long an AP gets to report in */

static void tramp_set(u8 *page, const u8 *field, u64 v)
{
	memcpy(page + (field - tramp_start), &v, sizeof(v));
}

static int start_one(struct pcpu *cpu, u8 *page)
{
	u8 *stack = mm_alloc_pages(HV_STACK_SIZE / PAGE_SIZE);
	u64 waited;

	if (!stack)
		return -1;
	cpu->stack_top = (u64)(uintptr_t)stack + HV_STACK_SIZE;
	tramp_set(page, tramp_stack, cpu->stack_top);
	tramp_set(page, tramp_arg, (u64)(uintptr_t)cpu);
	tramp_set(page, tramp_entry, (u64)(uintptr_t)x86_ap_entry);
	tramp_set(page, tramp_cr3, paging_cr3());
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	if (apic_start_ap(cpu->apic_id, (u64)(uintptr_t)page))
		return -1;
	for (waited = 0; waited < AP_WAIT_US; waited += 100) {
		if (__atomic_load_n(&cpu->online, __ATOMIC_ACQUIRE))
			return 0;
		udelay(100);
	}
	return -1;
}

void smp_boot_aps(u64 trampoline)
{
	u8 *page = (u8 *)(uintptr_t)trampoline;
	u32 ids[MAX_CPUS], n = 0, i, bsp = apic_id();

	if (acpi_madt_cpus(bootinfo->acpi_rsdp, ids, MAX_CPUS, &n)) {
		pr_warn("smp: no usable MADT: running on the boot CPU only\n");
		n = 0;
	}
	if (n > MAX_CPUS) {
		pr_warn("smp: %u CPUs in the MADT, using the first %u\n", n,
			MAX_CPUS);
		n = MAX_CPUS;
	}
	if (!trampoline || trampoline >= 0x100000 ||
	    !IS_ALIGNED(trampoline, PAGE_SIZE)) {
		pr_err("smp: bad trampoline page %llx: APs not started\n",
		       (unsigned long long)trampoline);
		return;
	}
	memcpy(page, tramp_start, (size_t)(tramp_end - tramp_start));
	for (i = 0; i < n; i++) {
		struct pcpu *cpu;

		if (ids[i] == bsp)
			continue;
		cpu = &pcpus[nr_pcpus];
		cpu->index = nr_pcpus;
		cpu->apic_id = ids[i];
		if (start_one(cpu, page)) {
			pr_err("smp: cpu with APIC ID %u did not start\n",
			       ids[i]);
			continue;
		}
		nr_pcpus++;
	}
}
