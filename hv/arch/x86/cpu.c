// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU descriptor tables (GDT, TSS) and the shared IDT, plus the trap
 * handler.  Exceptions in the hv are hv bugs: they print the frame and stop
 * the machine.  NMIs have their own IST stack (they may hit anywhere);
 * interrupts that reach the hv (child-pool CPUs, later) are acknowledged.
 */
#include <mkhv/lib.h>
#include <mkhv/mm.h>
#include <mkhv/printk.h>
#include <mkhv/string.h>
#include <asm/setup.h>
#include <asm/x86.h>

#define IST_NMI	1
#define IST_DF	2
#define IST_MC	3

struct trap_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error;
	u64 rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

struct idt_gate {
	u16 off_lo;
	u16 sel;
	u8 ist;
	u8 type;
	u16 off_mid;
	u32 off_hi;
	u32 reserved;
} __packed;
_Static_assert(sizeof(struct idt_gate) == 16, "idt gate");

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

extern const u8 trap_stubs[];
static struct idt_gate idt[256] __aligned(16);

static const char *const exc_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO",
	"#TS", "#NP", "#SS", "#GP", "#PF", "15", "#MF", "#AC", "#MC", "#XM",
	"#VE", "#CP", "22", "23", "24", "25", "26", "27", "#HV", "#VC", "#SX",
	"31",
};

void idt_build(void)
{
	unsigned int v;

	for (v = 0; v < 256; v++) {
		u64 a = (u64)(uintptr_t)&trap_stubs[16 * v];
		struct idt_gate *g = &idt[v];

		g->off_lo = (u16)a;
		g->sel = HV_CS;
		g->ist = v == X86_EXC_NMI ? IST_NMI :
			 v == X86_EXC_DF ? IST_DF : v == 18 ? IST_MC : 0;
		g->type = 0x8e;		/* present, DPL 0, interrupt gate */
		g->off_mid = (u16)(a >> 16);
		g->off_hi = (u32)(a >> 32);
	}
}

static void tss_desc(struct pcpu *cpu)
{
	u64 base = (u64)(uintptr_t)&cpu->tss;
	u64 limit = sizeof(cpu->tss) - 1;

	/* 64-bit available TSS (type 9), present; 16 bytes (two slots). */
	cpu->gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		      (0x89ull << 40) | (((limit >> 16) & 0xf) << 48) |
		      (((base >> 24) & 0xff) << 56);
	cpu->gdt[4] = base >> 32;
}

/* Loads this CPU's GDT, TSS and the IDT, and points GS at @cpu. */
void cpu_init(struct pcpu *cpu)
{
	struct desc_ptr gdtr = { sizeof(cpu->gdt) - 1, (u64)(uintptr_t)cpu->gdt };
	struct desc_ptr idtr = { sizeof(idt) - 1, (u64)(uintptr_t)idt };
	int i;

	cpu->self = cpu;
	cpu->gdt[0] = 0;
	cpu->gdt[1] = 0x00af9a000000ffffull;	/* HV_CS: 64-bit code */
	cpu->gdt[2] = 0x00cf92000000ffffull;	/* HV_DS: data */
	for (i = 0; i < 3; i++) {
		u8 *ist = mm_alloc_pages(2);

		if (!ist)
			panic("cpu%u: no memory for IST stacks", cpu->index);
		cpu->tss.ist[i] = (u64)(uintptr_t)ist + 2 * PAGE_SIZE;
	}
	cpu->tss.iomap_base = sizeof(cpu->tss);
	tss_desc(cpu);

	__asm__ volatile(
		"lgdt %0\n\t"
		"lidt %1\n\t"
		"mov %2, %%ds\n\t"
		"mov %2, %%es\n\t"
		"mov %2, %%ss\n\t"
		"xor %%eax, %%eax\n\t"
		"mov %%ax, %%fs\n\t"
		"mov %%ax, %%gs\n\t"
		"pushq %3\n\t"
		"lea 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"ltr %w4"
		:
		: "m"(gdtr), "m"(idtr), "r"((u64)HV_DS), "i"(HV_CS),
		  "r"(HV_TSS)
		: "rax", "memory");
	wrmsr(0xc0000101, (u64)(uintptr_t)cpu);	/* GS base */
}

static void dump_frame(const struct trap_frame *f)
{
	pr_err("  rip %016llx cs %llx rflags %llx rsp %016llx err %llx\n",
	       (unsigned long long)f->rip, (unsigned long long)f->cs,
	       (unsigned long long)f->rflags, (unsigned long long)f->rsp,
	       (unsigned long long)f->error);
	pr_err("  rax %016llx rbx %016llx rcx %016llx rdx %016llx\n",
	       (unsigned long long)f->rax, (unsigned long long)f->rbx,
	       (unsigned long long)f->rcx, (unsigned long long)f->rdx);
	pr_err("  rsi %016llx rdi %016llx rbp %016llx r8  %016llx\n",
	       (unsigned long long)f->rsi, (unsigned long long)f->rdi,
	       (unsigned long long)f->rbp, (unsigned long long)f->r8);
}

void x86_trap(struct trap_frame *f);
void x86_trap(struct trap_frame *f)
{
	u64 cr2;

	if (f->vector >= 32) {
		/* 0xff is the LAPIC spurious vector: no EOI for it. */
		if (f->vector != 0xff)
			apic_eoi();
		return;
	}
	if (f->vector == X86_EXC_NMI) {
		pr_warn("NMI on cpu%u ignored\n", this_cpu()->index);
		return;
	}
	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	pr_err("hv exception %s (vector %llu) on cpu%u, cr2 %llx\n",
	       exc_names[f->vector], (unsigned long long)f->vector,
	       this_cpu()->index, (unsigned long long)cr2);
	dump_frame(f);
	panic("unexpected exception in the hypervisor");
}
