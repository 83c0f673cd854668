/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 arch-internal interfaces: boot, per-CPU state, LAPIC, SMP, paging.
 * Nothing here is visible to the portable core (that is mkhv/arch.h).
 */
#ifndef MKHV_ASM_SETUP_H
#define MKHV_ASM_SETUP_H

#include <mkhv/types.h>
#include <mkhv/bootinfo.h>

#define MAX_CPUS	64
#define HV_STACK_SIZE	(16 * 1024)

/* GDT selectors of the hv (cpu.c). */
#define HV_CS	0x08
#define HV_DS	0x10
#define HV_TSS	0x18

struct tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;
_Static_assert(sizeof(struct tss64) == 104, "tss64 size");

struct vcpu_x86;

/*
 * One per physical CPU, found through GS (this_cpu()).  The first field
 * points to the struct itself so `mov %gs:0` yields it.
 */
struct pcpu {
	struct pcpu *self;
	u32 index;		/* 0 = BSP, in MADT order */
	u32 apic_id;
	volatile u32 online;	/* set by the CPU once it runs in the hv */
	u64 stack_top;
	u64 gdt[6] __aligned(16);	/* null, code, data, TSS (2 slots) */
	struct tss64 tss __aligned(16);
	u64 hsave_pa;		/* SVM: VM_HSAVE_PA page */
	u64 host_vmcb_pa;	/* SVM: VMSAVE/VMLOAD area for hv state */
	struct vcpu_x86 *vcpu;	/* vCPU this pCPU runs, if any */
};

extern struct pcpu pcpus[MAX_CPUS];
extern u32 nr_pcpus;

static inline struct pcpu *this_cpu(void)
{
	struct pcpu *p;

	__asm__ volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}

/* setup.c */
extern struct mkhv_bootinfo *bootinfo;
__noreturn void x86_boot(struct mkhv_bootinfo *bi);
__noreturn void x86_ap_main(struct pcpu *cpu);
u64 tsc_hz(void);
void udelay(u64 us);

/* serial.c */
void serial_init(u32 which);
u16 serial_port(void);

/* cpu.c */
void cpu_init(struct pcpu *cpu);
void idt_build(void);

/* paging.c */
int paging_init(u64 max_phys);
u64 paging_cr3(void);

/* apic.c */
void apic_init(void);
u32 apic_id(void);
void apic_eoi(void);
u64 apic_timer_hz(void);
void apic_timer_oneshot(u64 us);
int apic_start_ap(u32 apic_id, u64 trampoline);
int apic_send_fixed(u32 apic_id, u8 vector);

/* smp.c */
void smp_boot_aps(u64 trampoline);

#endif /* MKHV_ASM_SETUP_H */
