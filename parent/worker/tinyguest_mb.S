/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tinyguest-mb: the smallest Multiboot v1 kernel hvworker boots, for tests.
 * An ELF32 (EM_386) linked at 1 MiB whose 32-bit entry, called as the
 * Multiboot spec says (EAX = 0x2BADB002, EBX = the information structure,
 * flat protected mode, paging off), prints one line on the 16550 at 0x3f8:
 *
 *   tinyguest-mb: hello, cmdline=<cmdline> mods=<count> mod0=<text>
 *
 * (<text>: the first 16 bytes of module 0, unprintable bytes as '.') and
 * then powers off through the ACPI sleep control register (S5) like
 * tinyguest.S.  A wrong EAX prints "tinyguest-mb: bad magic" instead.
 * The stack and the number buffer are BSS, which the loader must zero.
 *
 * Built with $(CC) -m32 -c and ld -m elf_i386 (parent/worker/multiboot.mk).
 */
	.set	MB_MAGIC, 0x1BADB002
	.set	MB_FLAGS, 0x00000003	/* modules page aligned, memory info */
	.set	COM1, 0x3f8

	.code32
	.text
	.globl	_start
	.balign	4
mb_header:
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)

_start:
	cli
	mov	$stack_top, %esp
	mov	%eax, %edi		/* the loader's magic */
	mov	%ebx, %esi		/* struct multiboot_info */
	cmp	$0x2BADB002, %edi
	je	1f
	mov	$msg_bad, %ecx
	call	puts
	jmp	poweroff
1:	mov	$msg_hello, %ecx
	call	puts
	testl	$(1 << 2), (%esi)	/* MULTIBOOT_INFO_CMDLINE */
	jz	2f
	mov	16(%esi), %ecx		/* cmdline */
	call	puts
2:	mov	$msg_mods, %ecx
	call	puts
	xor	%eax, %eax
	testl	$(1 << 3), (%esi)	/* MULTIBOOT_INFO_MODS */
	jz	3f
	mov	20(%esi), %eax		/* mods_count */
3:	mov	%eax, %ebp
	call	putu
	mov	$msg_mod0, %ecx
	call	puts
	test	%ebp, %ebp
	jz	done
	mov	24(%esi), %ebx		/* mods_addr */
	mov	(%ebx), %ecx		/* mod_start */
	mov	4(%ebx), %edx		/* mod_end */
	sub	%ecx, %edx
	cmp	$16, %edx
	jbe	4f
	mov	$16, %edx
4:	test	%edx, %edx
	jz	done
	movb	(%ecx), %al
	cmp	$0x20, %al
	jb	5f
	cmp	$0x7e, %al
	jbe	6f
5:	mov	$'.', %al
6:	call	putc
	inc	%ecx
	dec	%edx
	jmp	4b
done:
	mov	$'\n', %al
	call	putc
poweroff:
	mov	$0x600, %dx		/* FADT SLEEP_CONTROL_REG */
	mov	$0x34, %al		/* SLP_TYP 5 << 2 | SLP_EN */
	outb	%al, %dx
7:	cli
	hlt
	jmp	7b

/* putc: AL to COM1. */
putc:
	push	%edx
	mov	$COM1, %dx
	outb	%al, %dx
	pop	%edx
	ret

/* puts: the C string at ECX (ECX is kept). */
puts:
	push	%ecx
1:	movb	(%ecx), %al
	test	%al, %al
	jz	2f
	call	putc
	inc	%ecx
	jmp	1b
2:	pop	%ecx
	ret

/* putu: EAX in decimal. */
putu:
	push	%ebx
	push	%ecx
	push	%edx
	mov	$10, %ebx
	mov	$numbuf + 11, %ecx
	movb	$0, (%ecx)
1:	xor	%edx, %edx
	div	%ebx
	add	$'0', %dl
	dec	%ecx
	movb	%dl, (%ecx)
	test	%eax, %eax
	jnz	1b
	call	puts
	pop	%edx
	pop	%ecx
	pop	%ebx
	ret

msg_hello:
	.asciz	"tinyguest-mb: hello, cmdline="
msg_mods:
	.asciz	" mods="
msg_mod0:
	.asciz	" mod0="
msg_bad:
	.asciz	"tinyguest-mb: bad magic\n"

	.bss
	.balign	16
numbuf:
	.skip	12
	.balign	16
stack:
	.skip	4096
stack_top:
