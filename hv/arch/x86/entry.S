/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv entry from hvloader (BSP) and the exception/interrupt stubs.
 *
 * hvloader jumps here in 64-bit mode, interrupts off, firmware page tables
 * (identity) still loaded, RDI = struct mkhv_bootinfo.  The image is a
 * static PIE already relocated by the loader, so RIP-relative addressing
 * and absolute pointers both work.
 */
	.section .text.entry, "ax"
	.code64
	.globl hv_entry
hv_entry:
	cli
	cld
	lea	bsp_stack_top(%rip), %rsp
	xor	%ebp, %ebp
	call	x86_boot
1:	hlt
	jmp	1b

/*
 * 256 trap stubs of 16 bytes each: trap_stubs + 16 * vector.  Vectors
 * whose exceptions push an error code skip the dummy push, so every frame
 * has the same shape (struct trap_frame in cpu.c).
 */
	.text
	.p2align 4
	.globl trap_stubs
trap_stubs:
	vec = 0
	.rept 256
	.p2align 4
	.if !(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
	pushq	$0
	.endif
	pushq	$vec
	jmp	trap_common
	vec = vec + 1
	.endr

trap_common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, %rdi
	cld
	call	x86_trap
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$16, %rsp		/* vector, error code */
	iretq

	.bss
	.balign 4096
bsp_stack:
	.skip	16384
	.globl bsp_stack_top
bsp_stack_top:

	.section .note.GNU-stack, "", @progbits
