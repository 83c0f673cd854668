// SPDX-License-Identifier: GPL-2.0
/*
 * hvworker: the MMIO instruction decoder (see mmio_decode.h).
 *
 * Every byte read goes through take(), which enforces both the
 * architectural 15-byte limit (-EINVAL) and the caller's @n (-ENODATA), so
 * hostile bytes can neither run past the buffer nor loop.
 */
#include <errno.h>

#include "mmio_decode.h"

#define REX_W	0x08
#define REX_R	0x04

struct decoder {
	const uint8_t *b;
	unsigned int n;
	unsigned int pos;
};

struct prefixes {
	bool opsize;		/* 66 */
	bool addrsize;		/* 67 */
	uint8_t rex;		/* 0 or 40..4F */
};

/* Consume @count bytes; 0, or -EINVAL past 15 bytes, -ENODATA past @n. */
static int take(struct decoder *d, unsigned int count)
{
	if (d->pos + count > MMIO_INSN_MAX_LEN)
		return -EINVAL;
	if (d->pos + count > d->n)
		return -ENODATA;
	d->pos += count;
	return 0;
}

/* Consume one byte into *@v. */
static int take_byte(struct decoder *d, uint8_t *v)
{
	int ret = take(d, 1);

	if (!ret)
		*v = d->b[d->pos - 1];
	return ret;
}

/* Legacy prefixes and REX; stops at (and consumes) the first opcode byte. */
static int read_prefixes(struct decoder *d, bool long_mode,
			 struct prefixes *p, uint8_t *opcode)
{
	uint8_t b;
	int ret;

	for (;;) {
		ret = take_byte(d, &b);
		if (ret)
			return ret;
		switch (b) {
		case 0x66:
			p->opsize = true;
			break;
		case 0x67:
			p->addrsize = true;
			break;
		case 0x26: case 0x2e: case 0x36: case 0x3e:
		case 0x64: case 0x65:
			break;
		case 0xf0: case 0xf2: case 0xf3:
			return -EINVAL;		/* LOCK, REPNE, REP */
		default:
			if (long_mode && (b & 0xf0) == 0x40) {
				p->rex = b;
				continue;
			}
			*opcode = b;
			return 0;
		}
		p->rex = 0;	/* a REX not right before the opcode is ignored */
	}
}

/* Displacement size of a 16-bit ModRM (no SIB). */
static unsigned int disp16_len(uint8_t mod, uint8_t rm)
{
	if (mod == 1)
		return 1;
	if (mod == 2 || (mod == 0 && rm == 6))
		return 2;
	return 0;
}

/* Skip the SIB and displacement of a memory ModRM (mod != 3). */
static int skip_address(struct decoder *d, uint8_t modrm, bool addr16)
{
	uint8_t mod = modrm >> 6, rm = modrm & 7, sib;
	unsigned int disp;
	int ret;

	if (addr16)
		return take(d, disp16_len(mod, rm));
	disp = mod == 1 ? 1 : mod == 2 ? 4 : 0;
	if (rm == 4) {
		ret = take_byte(d, &sib);
		if (ret)
			return ret;
		if (mod == 0 && (sib & 7) == 5)
			disp = 4;	/* no base: disp32 */
	} else if (mod == 0 && rm == 5) {
		disp = 4;		/* RIP-relative, or disp32 in 32-bit */
	}
	return take(d, disp);
}

/* Little-endian immediate of @len bytes, sign-extended to 64 bits. */
static int read_imm(struct decoder *d, unsigned int len, int64_t *imm)
{
	uint64_t v = 0;
	unsigned int i;
	int ret = take(d, len);

	if (ret)
		return ret;
	for (i = 0; i < len; i++)
		v |= (uint64_t)d->b[d->pos - len + i] << (8 * i);
	if (v & (1ULL << (8 * len - 1)))
		v |= ~0ULL << (8 * len);
	*imm = (int64_t)v;
	return 0;
}

static uint64_t size_mask(unsigned int size)
{
	return size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

/* Operand size of a non-byte opcode: REX.W, then 66, else 32 bits. */
static uint8_t op_size(const struct prefixes *p)
{
	if (p->rex & REX_W)
		return 8;
	return p->opsize ? 2 : 4;
}

/* Classify the opcode(s) into @in (size, direction, movzx); 0 or -EINVAL. */
static int read_opcode(struct decoder *d, uint8_t op,
		       const struct prefixes *p, struct mmio_insn *in)
{
	uint8_t op2;
	int ret;

	switch (op) {
	case 0x88: case 0x8a: case 0xc6:
		in->size = 1;
		break;
	case 0x89: case 0x8b: case 0xc7:
		in->size = op_size(p);
		break;
	case 0x0f:
		ret = take_byte(d, &op2);
		if (ret)
			return ret;
		if (op2 != 0xb6 && op2 != 0xb7)
			return -EINVAL;
		in->size = op2 == 0xb6 ? 1 : 2;
		in->zero_extend = true;
		in->dst_size = op_size(p);
		return 0;
	default:
		return -EINVAL;
	}
	in->write = op == 0x88 || op == 0x89 || op == 0xc6 || op == 0xc7;
	if (!in->write)
		in->dst_size = in->size;
	return 0;
}

int mmio_decode(const uint8_t *bytes, unsigned int n, bool long_mode,
		struct mmio_insn *out)
{
	struct decoder d = { .b = bytes, .n = n };
	struct prefixes p = { 0 };
	struct mmio_insn in = { 0 };
	uint8_t op, modrm, reg;
	int64_t imm;
	int ret;

	ret = read_prefixes(&d, long_mode, &p, &op);
	if (!ret)
		ret = read_opcode(&d, op, &p, &in);
	if (!ret)
		ret = take_byte(&d, &modrm);
	if (ret)
		return ret;
	if ((modrm >> 6) == 3)
		return -EINVAL;		/* a register operand: not MMIO */
	reg = (modrm >> 3) & 7;
	ret = skip_address(&d, modrm, !long_mode && p.addrsize);
	if (ret)
		return ret;

	if (op == 0xc6 || op == 0xc7) {
		if (reg)
			return -EINVAL;	/* C6/C7 /1../7: not MOV */
		ret = read_imm(&d, in.size == 1 ? 1 : in.size == 2 ? 2 : 4,
			       &imm);
		if (ret)
			return ret;
		in.reg = -1;
		in.imm = (uint64_t)imm & size_mask(in.size);
	} else {
		in.reg = reg | (p.rex & REX_R ? 8 : 0);
		if (in.size == 1 && !in.zero_extend && !p.rex && reg >= 4) {
			in.high_byte = true;	/* AH, CH, DH, BH */
			in.reg = reg - 4;
		}
	}
	in.len = d.pos;
	*out = in;
	return 0;
}

uint64_t mmio_store_value(const struct mmio_insn *in, uint64_t regval)
{
	if (in->reg < 0)
		return in->imm;
	if (in->high_byte)
		regval >>= 8;
	return regval & size_mask(in->size);
}

uint64_t mmio_reg_merge(uint64_t old, uint64_t val, const struct mmio_insn *in)
{
	uint64_t keep;

	if (in->write)
		return old;
	val &= size_mask(in->size);
	if (in->high_byte)
		return (old & ~0xff00ULL) | (val << 8);
	if (in->dst_size >= 4)
		return val;	/* 32-bit writes zero-extend to 64 */
	keep = ~size_mask(in->dst_size);
	return (old & keep) | val;
}
