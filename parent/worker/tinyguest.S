/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tinyguest: the smallest "Linux bzImage" hvworker will boot, for tests.
 * A real boot-protocol 2.15 header (setup_sects 1, 64-bit entry,
 * relocatable, init_size one page) and a protected-mode part whose 64-bit
 * entry (offset 0x200) prints a line on the 16550 at 0x3f8 and then powers
 * off through the HW-reduced ACPI sleep control register (S5), as Linux's
 * poweroff does.  Position independent: it runs wherever it is loaded.
 *
 * Built with as + objcopy -O binary (parent/worker/worker.mk).
 */
	.code64
	.text
	.globl _start
_start:
	/* ---- setup part: 2 sectors (setup_sects = 1) ---- */
	.org 0x1f1
	.byte 1				/* 0x1f1 setup_sects */
	.word 0				/* 0x1f2 root_flags */
	.long (pm_end - pm_start + 15) / 16 /* 0x1f4 syssize */
	.word 0				/* 0x1f8 ram_size */
	.word 0				/* 0x1fa vid_mode */
	.word 0				/* 0x1fc root_dev */
	.word 0xaa55			/* 0x1fe boot_flag */
	.byte 0xeb, hdr_end - _start - 0x202/* 0x200 jump; header length */
	.ascii "HdrS"			/* 0x202 */
	.word 0x020f			/* 0x206 protocol 2.15 */
	.long 0				/* 0x208 realmode_swtch */
	.word 0				/* 0x20c start_sys_seg */
	.word 0				/* 0x20e kernel_version */
	.byte 0				/* 0x210 type_of_loader */
	.byte 0x01			/* 0x211 loadflags: LOADED_HIGH */
	.word 0				/* 0x212 setup_move_size */
	.long 0x100000			/* 0x214 code32_start */
	.long 0, 0			/* 0x218 ramdisk_image, ramdisk_size */
	.long 0				/* 0x220 bootsect_kludge */
	.word 0				/* 0x224 heap_end_ptr */
	.byte 0, 0			/* 0x226 ext_loader_ver/type */
	.long 0				/* 0x228 cmd_line_ptr */
	.long 0x7fffffff		/* 0x22c initrd_addr_max */
	.long 0x200000			/* 0x230 kernel_alignment */
	.byte 1				/* 0x234 relocatable_kernel */
	.byte 21			/* 0x235 min_alignment */
	.word 0x0001			/* 0x236 xloadflags: KERNEL_64 */
	.long 255			/* 0x238 cmdline_size */
	.long 0				/* 0x23c hardware_subarch */
	.quad 0				/* 0x240 hardware_subarch_data */
	.long 0, 0			/* 0x248 payload_offset/length */
	.quad 0				/* 0x250 setup_data */
	.quad 0x1000000			/* 0x258 pref_address */
	.long 0x4000			/* 0x260 init_size */
	.long 0				/* 0x264 handover_offset */
	.long 0				/* 0x268 kernel_info_offset */
hdr_end:
	.org 0x400

	/* ---- protected-mode part, loaded at the load address ---- */
pm_start:
	.org 0x400 + 0x200		/* 64-bit entry: RSI = boot_params */
	mov	$0x3f8, %dx
	lea	msg(%rip), %rcx
1:	movb	(%rcx), %al
	test	%al, %al
	jz	2f
	outb	%al, %dx
	inc	%rcx
	jmp	1b
2:	/* Command line "spin...": stay busy forever (scheduler and
	 * isolation tests); "vecsP...": fill the vector registers with the
	 * byte P and check them forever (vector state isolation);
	 * anything else: power off. */
	mov	0x228(%rsi), %ebx	/* boot_params.hdr.cmd_line_ptr */
	test	%ebx, %ebx
	jz	4f
	cmpl	$0x73636576, (%rbx)	/* "vecs" */
	je	vecs
	cmpl	$0x6e697073, (%rbx)	/* "spin" */
	jne	4f
5:	pause
	jmp	5b
4:	mov	$0x600, %dx		/* FADT SLEEP_CONTROL_REG */
	mov	$0x34, %al		/* SLP_TYP 5 << 2 | SLP_EN */
	outb	%al, %dx
3:	cli
	hlt
	jmp	3b

/*
 * Vector state isolation: XMM0-15 (and YMM0-15 when the CPU offers AVX)
 * all hold the command line's fifth byte in every byte.  Another VP on
 * the same pCPU fills its registers with another byte: if the hv does not
 * switch FPU/SSE/AVX state between VPs, one of them sees the other's.
 * Prints "tinyguest: vec ok P avx=N" every 2^12 rounds, or
 * "tinyguest: vec CORRUPT P reg R" once and stops.
 * r12 = P (byte), r15 = P in all 8 bytes, r14 = qwords per register,
 * r13 = rounds.
 */
vecs:
	lea	stack_top(%rip), %rsp
	movzbl	4(%rbx), %r12d
	mov	$0x0101010101010101, %r15
	imul	%r12, %r15
	mov	%cr4, %rax
	or	$0x600, %rax		/* OSFXSR | OSXMMEXCPT */
	mov	%rax, %cr4
	mov	$2, %r14d
	mov	$1, %eax
	cpuid
	and	$0x14000000, %ecx	/* XSAVE (26) and AVX (28) */
	cmp	$0x14000000, %ecx
	jne	6f
	mov	%cr4, %rax
	bts	$18, %rax		/* OSXSAVE */
	mov	%rax, %cr4
	xor	%ecx, %ecx
	xor	%edx, %edx
	mov	$7, %eax		/* x87 | SSE | AVX */
	xsetbv
	mov	$4, %r14d
6:	movq	%r15, %xmm0
	punpcklqdq %xmm0, %xmm0
	.irp	r, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	movdqa	%xmm0, %xmm\r
	.endr
	cmp	$4, %r14d
	jne	7f
	.irp	r, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	vinsertf128 $1, %xmm\r, %ymm\r, %ymm\r
	.endr
7:	xor	%r13d, %r13d
8:	.irp	r, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	mov	$\r, %r8d
	cmp	$4, %r14d
	jne	9f
	vmovdqu	%ymm\r, vbuf(%rip)
	jmp	10f
9:	movdqu	%xmm\r, vbuf(%rip)
10:	call	vcheck
	.endr
	pause
	inc	%r13
	test	$0xfff, %r13d
	jnz	8b
	lea	vok(%rip), %rcx
	call	puts
	jmp	8b

/* Compare r14 qwords of vbuf with r15; on a difference report r8 and stop. */
vcheck:
	xor	%ecx, %ecx
1:	lea	vbuf(%rip), %rax
	cmp	(%rax,%rcx,8), %r15
	jne	2f
	inc	%ecx
	cmp	%r14d, %ecx
	jb	1b
	ret
2:	lea	vbad(%rip), %rcx
	call	puts
	mov	%r8d, %eax
	add	$'A', %al		/* register 0..15 as A..P */
	mov	$0x3f8, %dx
	outb	%al, %dx
	mov	$'\n', %al
	outb	%al, %dx
3:	cli
	hlt
	jmp	3b

/* Print the string at rcx, "@" replaced by r12's byte and "#" by avx 0/1. */
puts:
	mov	$0x3f8, %dx
1:	movb	(%rcx), %al
	test	%al, %al
	jz	3f
	cmp	$'@', %al
	jne	2f
	mov	%r12b, %al
2:	cmp	$'#', %al
	jne	4f
	cmp	$4, %r14d
	sete	%al
	add	$'0', %al
4:	outb	%al, %dx
	inc	%rcx
	jmp	1b
3:	ret

vok:
	.asciz "tinyguest: vec ok @ avx=#\n"
vbad:
	.asciz "tinyguest: vec CORRUPT @ avx=# reg "
msg:
	.asciz "tinyguest: hello from a child partition\n"
	.balign 32
vbuf:
	.skip	32
	.skip	256
stack_top:
	.balign 16
pm_end:
