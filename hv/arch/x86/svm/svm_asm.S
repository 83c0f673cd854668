/* SPDX-License-Identifier: GPL-2.0 */
/*
 * svm_vmrun(u64 vmcb_pa, struct guest_regs *regs, u64 host_vmcb_pa)
 *
 * Enters the guest with VMRUN and returns after the #VMEXIT with the
 * guest's GPRs saved in @regs (RAX and RSP live in the VMCB).  VMRUN only
 * swaps part of the state; VMSAVE/VMLOAD around it swap the rest (FS, GS,
 * TR, LDTR, KernelGSBase, STAR/LSTAR/CSTAR/SFMASK, SYSENTER_*), so the hv
 * always runs on its own TR and GS whatever the guest loaded.
 * Called with GIF clear; VMRUN sets it in the guest and #VMEXIT clears it
 * again, so physical interrupts are only ever taken inside the guest (the
 * parent) or cause an INTR exit (children).
 */
	.text
	.code64
	.globl svm_vmrun
svm_vmrun:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rsi			/* regs */
	push	%rdx			/* host VMSAVE area */

	mov	%rdx, %rax
	vmsave	%rax			/* hv FS/GS/TR/... */
	mov	%rdi, %rax
	vmload	%rax			/* guest FS/GS/TR/... */

	mov	%rsi, %rbx
	mov	0x08(%rbx), %rcx
	mov	0x10(%rbx), %rdx
	mov	0x28(%rbx), %rbp
	mov	0x30(%rbx), %rsi
	mov	0x38(%rbx), %rdi
	mov	0x40(%rbx), %r8
	mov	0x48(%rbx), %r9
	mov	0x50(%rbx), %r10
	mov	0x58(%rbx), %r11
	mov	0x60(%rbx), %r12
	mov	0x68(%rbx), %r13
	mov	0x70(%rbx), %r14
	mov	0x78(%rbx), %r15
	mov	0x18(%rbx), %rbx

	/*
	 * Host IF = 1 across VMRUN: with V_INTR_MASKING (children) the host's
	 * IF is what lets physical interrupts reach the intercept while the
	 * guest runs (APM 15.21.1); GIF = 0 still keeps them off the hv before
	 * VMRUN and after #VMEXIT.
	 */
	sti
	vmrun	%rax			/* RAX = guest VMCB; restored on exit */
	cli

	push	%rbx			/* guest RBX */
	mov	16(%rsp), %rbx		/* regs */
	mov	%rcx, 0x08(%rbx)
	mov	%rdx, 0x10(%rbx)
	mov	%rbp, 0x28(%rbx)
	mov	%rsi, 0x30(%rbx)
	mov	%rdi, 0x38(%rbx)
	mov	%r8, 0x40(%rbx)
	mov	%r9, 0x48(%rbx)
	mov	%r10, 0x50(%rbx)
	mov	%r11, 0x58(%rbx)
	mov	%r12, 0x60(%rbx)
	mov	%r13, 0x68(%rbx)
	mov	%r14, 0x70(%rbx)
	mov	%r15, 0x78(%rbx)
	pop	%rcx
	mov	%rcx, 0x18(%rbx)

	vmsave	%rax			/* guest FS/GS/TR/... */
	pop	%rax
	vmload	%rax			/* hv FS/GS/TR/... */

	pop	%rsi
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret

	.section .note.GNU-stack, "", @progbits
