/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AP start-up code.  smp.c copies [tramp_start, tramp_end) to a page below
 * 1 MiB (bootinfo->trampoline) and fills the tramp_* data fields; the SIPI
 * vector makes the AP start at that page in real mode with CS = page >> 4,
 * IP = 0.  The code finds its own linear base from CS, so it runs at any
 * page, then goes real -> protected -> long mode with the hv's page tables
 * and jumps to x86_ap_entry on its own stack.
 */
	.section .rodata, "a"
	.code16
	.globl tramp_start, tramp_end
	.globl tramp_cr3, tramp_stack, tramp_entry, tramp_arg
	.p2align 4
tramp_start:
	cli
	cld
	mov	%cs, %ax
	mov	%ax, %ds
	xor	%ebx, %ebx
	mov	%cs, %bx
	shl	$4, %ebx			/* ebx = linear base of the page */

	/* Patch the linear addresses the far jumps and lgdt need. */
	lea	(tramp_gdt - tramp_start)(%ebx), %eax
	mov	%eax, (tramp_gdtr - tramp_start + 2)
	lea	(pm32 - tramp_start)(%ebx), %eax
	mov	%eax, (tramp_pm_ptr - tramp_start)
	lea	(lm64 - tramp_start)(%ebx), %eax
	mov	%eax, (tramp_lm_ptr - tramp_start)

	lgdtl	(tramp_gdtr - tramp_start)
	mov	%cr0, %eax
	or	$1, %eax			/* PE */
	mov	%eax, %cr0
	ljmpl	*(tramp_pm_ptr - tramp_start)

	.code32
pm32:
	mov	$0x10, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	%cr4, %eax
	or	$0x20, %eax			/* PAE */
	mov	%eax, %cr4
	mov	(tramp_cr3 - tramp_start)(%ebx), %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx		/* EFER: LME | NXE */
	rdmsr
	or	$0x900, %eax
	wrmsr
	mov	%cr0, %eax
	or	$0x80010021, %eax		/* PG | WP | NE | PE */
	mov	%eax, %cr0
	ljmpl	*(tramp_lm_ptr - tramp_start)(%ebx)

	.code64
lm64:
	mov	%ebx, %ebx			/* upper half undefined after the switch */
	mov	(tramp_stack - tramp_start)(%rbx), %rsp
	mov	(tramp_arg - tramp_start)(%rbx), %rdi
	mov	(tramp_entry - tramp_start)(%rbx), %rax
	xor	%ebp, %ebp
	jmp	*%rax

	.p2align 3
tramp_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff		/* 0x08: code32 */
	.quad	0x00cf92000000ffff		/* 0x10: data */
	.quad	0x00af9a000000ffff		/* 0x18: code64 */
tramp_gdtr:
	.word	4 * 8 - 1
	.long	0				/* patched: linear tramp_gdt */
	.p2align 3
tramp_pm_ptr:
	.long	0				/* patched: linear pm32 */
	.word	0x08
	.p2align 3
tramp_lm_ptr:
	.long	0				/* patched: linear lm64 */
	.word	0x18
	.p2align 3
tramp_cr3:	.quad	0			/* written by smp.c */
tramp_stack:	.quad	0
tramp_entry:	.quad	0
tramp_arg:	.quad	0
tramp_end:

	.text
	.globl x86_ap_entry
x86_ap_entry:
	/* RDI = struct pcpu *, RSP = its stack: continue in C. */
	call	x86_ap_main
1:	hlt
	jmp	1b

	.section .note.GNU-stack, "", @progbits
