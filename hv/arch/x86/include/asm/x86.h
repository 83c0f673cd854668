/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 instruction wrappers and architectural constants used by the hv's
 * arch code (never by the portable core).
 */
#ifndef MKHV_ASM_X86_H
#define MKHV_ASM_X86_H

#include <mkhv/types.h>
#include <mkhv/hyperv.h>	/* struct cpuid_regs */

/* Control-register and EFER bits. */
#define X86_CR0_PE	BIT(0)
#define X86_CR0_MP	BIT(1)
#define X86_CR0_ET	BIT(4)
#define X86_CR0_NE	BIT(5)
#define X86_CR0_WP	BIT(16)
#define X86_CR0_NW_BIT	BIT(29)
#define X86_CR0_CD_BIT	BIT(30)
#define X86_CR0_PG	BIT(31)
#define X86_CR4_PAE	BIT(5)
#define X86_CR4_PGE	BIT(7)
#define X86_CR4_OSFXSR	BIT(9)
#define X86_CR4_OSXMMEXCPT BIT(10)

#define MSR_EFER		0xc0000080
#define EFER_SCE		BIT(0)
#define EFER_LME		BIT(8)
#define EFER_LMA		BIT(10)
#define EFER_NXE		BIT(11)
#define EFER_SVME		BIT(12)

#define MSR_TSC			0x00000010
#define MSR_TSC_ADJUST		0x0000003b
#define MSR_APIC_BASE		0x0000001b
#define APIC_BASE_BSP		BIT(8)
#define APIC_BASE_EXTD		BIT(10)	/* x2APIC mode */
#define APIC_BASE_EN		BIT(11)
#define MSR_PAT			0x00000277
#define MSR_TSC_AUX		0xc0000103
#define MSR_VM_CR		0xc0010114
#define VM_CR_LOCK		BIT(3)
#define VM_CR_SVMDIS		BIT(4)
#define MSR_VM_HSAVE_PA		0xc0010117

/* Exception vectors. */
#define X86_EXC_DE	0
#define X86_EXC_NMI	2
#define X86_EXC_UD	6
#define X86_EXC_DF	8
#define X86_EXC_GP	13
#define X86_EXC_PF	14

static inline void cpuid_count(u32 leaf, u32 sub, struct cpuid_regs *r)
{
	__asm__ volatile("cpuid"
			 : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx),
			   "=d"(r->edx)
			 : "a"(leaf), "c"(sub));
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 val)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((u32)val), "d"((u32)(val >> 32))
			 : "memory");
}

static inline void outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u64 read_cr0(void)
{
	u64 v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline u64 read_cr3(void)
{
	u64 v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(u64 v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline u64 read_cr4(void)
{
	u64 v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(u64 v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static inline __noreturn void cpu_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

static inline void pause(void)
{
	__asm__ volatile("pause");
}

#endif /* MKHV_ASM_X86_H */
