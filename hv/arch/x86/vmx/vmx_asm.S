/* SPDX-License-Identifier: GPL-2.0 */
/*
 * int vmx_enter(struct guest_regs *regs, u32 launched)
 *
 * Loads the guest's GPRs from @regs and enters the guest with VMLAUNCH
 * (first entry) or VMRESUME.  A VM exit lands on vmx_exit_entry (the VMCS
 * HOST_RIP) with the stack as it was at entry (HOST_RSP is written here),
 * saves the guest's GPRs back to @regs and returns 0 from vmx_enter.
 * Returns 1 if the entry instruction failed (VMfailValid/VMfailInvalid:
 * the caller reads VMCS_INSN_ERROR).
 *
 * RSP, RIP and RFLAGS live in the VMCS; RAX is kept in @regs (unlike
 * SVM, VMX has no guest RAX field).  The VM exit loads the hv's CR0/3/4,
 * segments, GDTR/IDTR bases, EFER and PAT from the VMCS host area, and
 * clears RFLAGS (IF = 0: interrupts wait for the next entry, where the
 * guest takes them).
 */
	.text
	.code64

#define VMCS_HOST_RSP	0x6c14

	.globl vmx_enter
vmx_enter:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdi			/* regs: 0(%rsp) while the guest runs */

	mov	$VMCS_HOST_RSP, %eax
	vmwrite	%rsp, %rax
	jbe	.Lfail

	cmpl	$0, %esi		/* flags survive the MOVs below */
	mov	0x00(%rdi), %rax
	mov	0x08(%rdi), %rcx
	mov	0x10(%rdi), %rdx
	mov	0x18(%rdi), %rbx
	mov	0x28(%rdi), %rbp
	mov	0x30(%rdi), %rsi
	mov	0x40(%rdi), %r8
	mov	0x48(%rdi), %r9
	mov	0x50(%rdi), %r10
	mov	0x58(%rdi), %r11
	mov	0x60(%rdi), %r12
	mov	0x68(%rdi), %r13
	mov	0x70(%rdi), %r14
	mov	0x78(%rdi), %r15
	mov	0x38(%rdi), %rdi
	jne	1f
	vmlaunch
	jmp	.Lfail
1:	vmresume
.Lfail:
	pop	%rdi
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	mov	$1, %eax
	ret

	.globl vmx_exit_entry
vmx_exit_entry:
	push	%rdi			/* guest RDI */
	mov	8(%rsp), %rdi		/* regs */
	mov	%rax, 0x00(%rdi)
	mov	%rcx, 0x08(%rdi)
	mov	%rdx, 0x10(%rdi)
	mov	%rbx, 0x18(%rdi)
	mov	%rbp, 0x28(%rdi)
	mov	%rsi, 0x30(%rdi)
	mov	%r8, 0x40(%rdi)
	mov	%r9, 0x48(%rdi)
	mov	%r10, 0x50(%rdi)
	mov	%r11, 0x58(%rdi)
	mov	%r12, 0x60(%rdi)
	mov	%r13, 0x68(%rdi)
	mov	%r14, 0x70(%rdi)
	mov	%r15, 0x78(%rdi)
	pop	%rax
	mov	%rax, 0x38(%rdi)
	pop	%rdi
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	xor	%eax, %eax
	ret

	.section .note.GNU-stack, "", @progbits
