/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: decode the x86 instruction behind an MMIO intercept.
 *
 * A child's access to an unmapped GPA (the I/O APIC at 0xFEC00000) reaches
 * the worker with the GPA, the access type, RIP, up to 16 instruction bytes
 * and the GPRs.  The GPA is the address, so the decoder only needs what the
 * address cannot say: the access size, the source (register or immediate)
 * of a store, the destination register of a load and the instruction's
 * length (to advance RIP).
 *
 * Handled: what Linux's readb/w/l/q, writeb/w/l/q and ioread/iowrite
 * compile to,
 *
 *	88 /r		MOV r/m8, r8		(store)
 *	89 /r		MOV r/m16/32/64, r	(store)
 *	8A /r		MOV r8, r/m8		(load)
 *	8B /r		MOV r16/32/64, r/m	(load)
 *	C6 /0 ib	MOV r/m8, imm8		(store)
 *	C7 /0 iw/id	MOV r/m16/32/64, imm	(store; imm32 sign-extended
 *						 for a 64-bit store)
 *	0F B6 /r	MOVZX r16/32/64, r/m8	(load)
 *	0F B7 /r	MOVZX r16/32/64, r/m16	(load)
 *
 * with the 66 (operand size) and 67 (address size) prefixes, the segment
 * prefixes 26 2E 36 3E 64 65 (ignored: the GPA already has the segment
 * base), REX (W, R, X, B; 40-4F in long mode only, and only when it
 * immediately precedes the opcode, else it is ignored as the CPU does) and
 * every memory ModRM form: SIB, disp8, disp32, RIP-relative (mod 00 rm 101)
 * and, outside long mode with 67, the 16-bit forms.
 *
 * Rejected with -EINVAL: LOCK (F0), REP/REPNE (F2/F3), any other opcode
 * (string ops, MOVSX, XCHG, moffs A0-A3, ALU ops on MMIO...), a register
 * operand (ModRM mod 11: not a memory access), C6/C7 with a reg field other
 * than 0, and anything longer than the architectural 15 bytes (e.g. 15+
 * prefixes).  -ENODATA: @n bytes end before the instruction does (the caller
 * fetched too few; with the hv's 16 bytes this cannot happen for a valid
 * instruction).  A caller that gets either ends the VM with a clear message.
 *
 * Pure: no state, no libc beyond string.h.
 */
#ifndef HVWORKER_MMIO_DECODE_H
#define HVWORKER_MMIO_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#define MMIO_INSN_MAX_LEN	15	/* the architectural limit */

/* GPR indices, x86 encoding order (what struct mmio_insn.reg holds). */
enum mmio_gpr {
	MMIO_RAX, MMIO_RCX, MMIO_RDX, MMIO_RBX,
	MMIO_RSP, MMIO_RBP, MMIO_RSI, MMIO_RDI,
	MMIO_R8, MMIO_R9, MMIO_R10, MMIO_R11,
	MMIO_R12, MMIO_R13, MMIO_R14, MMIO_R15,
};

struct mmio_insn {
	uint8_t len;		/* instruction length: RIP += len */
	uint8_t size;		/* memory access size: 1, 2, 4 or 8 */
	bool write;		/* store to MMIO (else a load from it) */
	int reg;		/* source (store) or destination (load) GPR,
				 * 0..15 (enum mmio_gpr); -1 for an immediate */
	uint64_t imm;		/* the store's immediate, already sign-extended
				 * to @size bytes; 0 unless reg == -1 */
	bool zero_extend;	/* MOVZX: the load zero-extends to @dst_size */
	uint8_t dst_size;	/* destination register width for a load: the
				 * same as @size for MOV, 2, 4 or 8 for MOVZX
				 * (2: MOVZX with a 66 prefix); 0 for a store */
	bool high_byte;		/* 8-bit AH/CH/DH/BH (no REX): @reg is then
				 * RAX/RCX/RDX/RBX and the byte is bits 8..15 */
};

/*
 * Decode the instruction in @bytes[0..@n).  @long_mode: the VP runs in
 * 64-bit mode (REX exists, 67 selects 32-bit addressing); otherwise 32-bit
 * protected mode (40-4F are INC/DEC and rejected, 67 selects 16-bit
 * addressing).  Returns 0 and fills @out, -EINVAL (not handled) or
 * -ENODATA (@n too short).  @out is only written on success.
 */
int mmio_decode(const uint8_t *bytes, unsigned int n, bool long_mode,
		struct mmio_insn *out);

/*
 * The value a store writes, from @regval (the value of GPR @in->reg; unused
 * for an immediate): the low @in->size bytes, or bits 8..15 for AH-style.
 */
uint64_t mmio_store_value(const struct mmio_insn *in, uint64_t regval);

/*
 * The destination GPR after a load of @val (the MMIO data, low @in->size
 * bytes used) into a register holding @old, with x86 semantics: an 8- or
 * 16-bit destination keeps the other bits (AH-style: bits 8..15 replaced),
 * a 32-bit destination zero-extends to 64 bits, MOVZX zero-extends @val
 * first.  For a store it returns @old.
 */
uint64_t mmio_reg_merge(uint64_t old, uint64_t val, const struct mmio_insn *in);

#endif /* HVWORKER_MMIO_DECODE_H */
