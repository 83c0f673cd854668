// SPDX-License-Identifier: GPL-2.0
/*
 * Check suite for parent/worker/mmio_decode.c.  The byte sequences are what
 * gcc/gas emit (checked with objdump -d) for Linux's MMIO accessors and
 * their addressing modes.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "mmio_decode.h"
#include "hv_check.h"

struct good_case {
	const char *what;
	uint8_t bytes[16];
	uint8_t n;		/* bytes in the instruction */
	uint8_t size;
	bool write;
	int reg;
	uint64_t imm;
	bool zext;
	uint8_t dst_size;
	bool high;
};

static const struct good_case cases64[] = {
	{ "mov (%rdi),%eax", { 0x8b, 0x07 }, 2, 4, false, MMIO_RAX, 0,
	  false, 4, false },
	{ "mov %esi,(%rdi)", { 0x89, 0x37 }, 2, 4, true, MMIO_RSI, 0,
	  false, 0, false },
	{ "mov 0x10(%rdi),%eax", { 0x8b, 0x47, 0x10 }, 3, 4, false, MMIO_RAX,
	  0, false, 4, false },
	{ "mov %esi,(%rsp)", { 0x89, 0x34, 0x24 }, 3, 4, true, MMIO_RSI, 0,
	  false, 0, false },
	{ "mov %r15d,(%rdi)", { 0x44, 0x89, 0x3f }, 3, 4, true, MMIO_R15, 0,
	  false, 0, false },
	{ "mov 0x12345678(%rip),%rax",
	  { 0x48, 0x8b, 0x05, 0x78, 0x56, 0x34, 0x12 }, 7, 8, false,
	  MMIO_RAX, 0, false, 8, false },
	{ "mov %ax,(%rdi)", { 0x66, 0x89, 0x07 }, 3, 2, true, MMIO_RAX, 0,
	  false, 0, false },
	{ "movl $0x0,0x40(%rdi)",
	  { 0xc7, 0x47, 0x40, 0x00, 0x00, 0x00, 0x00 }, 7, 4, true, -1, 0,
	  false, 0, false },
	{ "movzwl (%rdi),%eax", { 0x0f, 0xb7, 0x07 }, 3, 2, false, MMIO_RAX,
	  0, true, 4, false },
	{ "mov %ah,(%rdi)", { 0x88, 0x27 }, 2, 1, true, MMIO_RAX, 0, false, 0,
	  true },
	{ "mov %sil,(%rdi)", { 0x40, 0x88, 0x37 }, 3, 1, true, MMIO_RSI, 0,
	  false, 0, false },
	{ "mov %r8,0x100(%r12,%rcx,8)",
	  { 0x4d, 0x89, 0x84, 0xcc, 0x00, 0x01, 0x00, 0x00 }, 8, 8, true,
	  MMIO_R8, 0, false, 0, false },
	{ "movzbl 0x30(%rbx),%r9d", { 0x44, 0x0f, 0xb6, 0x4b, 0x30 }, 5, 1,
	  false, MMIO_R9, 0, true, 4, false },
	{ "movzbq 0x0(%r13),%rax", { 0x49, 0x0f, 0xb6, 0x45, 0x00 }, 5, 1,
	  false, MMIO_RAX, 0, true, 8, false },
	{ "movb $0xfe,(%rdx)", { 0xc6, 0x02, 0xfe }, 3, 1, true, -1, 0xfe,
	  false, 0, false },
	{ "movw $0x8001,(%rdi)", { 0x66, 0xc7, 0x07, 0x01, 0x80 }, 5, 2, true,
	  -1, 0x8001, false, 0, false },
	{ "movq $-2,(%rdi)", { 0x48, 0xc7, 0x07, 0xfe, 0xff, 0xff, 0xff }, 7,
	  8, true, -1, 0xfffffffffffffffeULL, false, 0, false },
	{ "movl $0x80000000,0x4(%rax)",
	  { 0xc7, 0x40, 0x04, 0x00, 0x00, 0x00, 0x80 }, 7, 4, true, -1,
	  0x80000000ULL, false, 0, false },
	{ "mov 0x12345678,%eax (SIB, no base)",
	  { 0x8b, 0x04, 0x25, 0x78, 0x56, 0x34, 0x12 }, 7, 4, false,
	  MMIO_RAX, 0, false, 4, false },
	{ "mov 0x12345678(,%rcx,4),%eax",
	  { 0x8b, 0x04, 0x8d, 0x78, 0x56, 0x34, 0x12 }, 7, 4, false,
	  MMIO_RAX, 0, false, 4, false },
	{ "mov (%rdi),%bh", { 0x8a, 0x3f }, 2, 1, false, MMIO_RBX, 0, false,
	  1, true },
	{ "mov %gs:0x10(%rdi),%eax", { 0x65, 0x8b, 0x47, 0x10 }, 4, 4, false,
	  MMIO_RAX, 0, false, 4, false },
	{ "mov (%edi),%eax", { 0x67, 0x8b, 0x07 }, 3, 4, false, MMIO_RAX, 0,
	  false, 4, false },
	{ "movzbw (%rdi),%ax", { 0x66, 0x0f, 0xb6, 0x07 }, 4, 1, false,
	  MMIO_RAX, 0, true, 2, false },
	{ "mov 0x7fffffff(%rdi),%r11 (disp32)",
	  { 0x4c, 0x8b, 0x9f, 0xff, 0xff, 0xff, 0x7f }, 7, 8, false,
	  MMIO_R11, 0, false, 8, false },
	{ "mov %dil,0x8(%rsp) (SIB disp8)",
	  { 0x40, 0x88, 0x7c, 0x24, 0x08 }, 5, 1, true, MMIO_RDI, 0, false,
	  0, false },
	{ "mov 0x0(%r13,%r14,2),%r12w (REX.X/B)",
	  { 0x66, 0x47, 0x8b, 0x64, 0x75, 0x00 }, 6, 2, false, MMIO_R12, 0,
	  false, 2, false },
	{ "mov 0x11223344(%rip),%eax with REX.B (still RIP-relative)",
	  { 0x41, 0x8b, 0x05, 0x44, 0x33, 0x22, 0x11 }, 7, 4, false,
	  MMIO_RAX, 0, false, 4, false },
	{ "mov (%r12),%ecx (REX.B, rm 100 still needs SIB)",
	  { 0x41, 0x8b, 0x0c, 0x24 }, 4, 4, false, MMIO_RCX, 0, false, 4,
	  false },
	{ "movb $0x7,0x0(%rip) (RIP-rel with imm)",
	  { 0xc6, 0x05, 0x00, 0x00, 0x00, 0x00, 0x07 }, 7, 1, true, -1, 7,
	  false, 0, false },
};

static void check_case(const struct good_case *c, bool long_mode)
{
	struct mmio_insn in;
	int ret;

	memset(&in, 0xa5, sizeof(in));
	ret = mmio_decode(c->bytes, sizeof(c->bytes), long_mode, &in);
	ck_assert_msg(ret == 0, "%s: ret %d", c->what, ret);
	ck_assert_msg(in.len == c->n, "%s: len %u", c->what, in.len);
	ck_assert_msg(in.size == c->size, "%s: size %u", c->what, in.size);
	ck_assert_msg(in.write == c->write, "%s: write", c->what);
	ck_assert_msg(in.reg == c->reg, "%s: reg %d", c->what, in.reg);
	ck_assert_msg(in.imm == c->imm, "%s: imm %#llx", c->what,
		      (unsigned long long)in.imm);
	ck_assert_msg(in.zero_extend == c->zext, "%s: zext", c->what);
	ck_assert_msg(in.dst_size == c->dst_size, "%s: dst_size %u", c->what,
		      in.dst_size);
	ck_assert_msg(in.high_byte == c->high, "%s: high_byte", c->what);

	/* Exactly len bytes suffice; one fewer is -ENODATA. */
	ck_assert_int_eq(mmio_decode(c->bytes, c->n, long_mode, &in), 0);
	ck_assert_msg(mmio_decode(c->bytes, c->n - 1, long_mode, &in) ==
		      -ENODATA, "%s: truncated", c->what);
}

START_TEST(decodes_gcc_encodings_64)
{
	check_case(&cases64[_i], true);
}
END_TEST

static const struct good_case cases32[] = {
	{ "mov (%edi),%eax", { 0x8b, 0x07 }, 2, 4, false, MMIO_RAX, 0,
	  false, 4, false },
	{ "mov 0x12345678,%eax (absolute disp32)",
	  { 0x8b, 0x05, 0x78, 0x56, 0x34, 0x12 }, 6, 4, false, MMIO_RAX, 0,
	  false, 4, false },
	{ "mov %dx,0x4(%ebx,%esi,1)", { 0x66, 0x89, 0x54, 0x33, 0x04 }, 5, 2,
	  true, MMIO_RDX, 0, false, 0, false },
	{ "addr16 mov (%bx),%eax", { 0x67, 0x8b, 0x07 }, 3, 4, false,
	  MMIO_RAX, 0, false, 4, false },
	{ "addr16 mov 0x1234,%eax", { 0x67, 0x8b, 0x06, 0x34, 0x12 }, 5, 4,
	  false, MMIO_RAX, 0, false, 4, false },
	{ "addr16 mov 0x10(%bx),%eax", { 0x67, 0x8b, 0x47, 0x10 }, 4, 4,
	  false, MMIO_RAX, 0, false, 4, false },
	{ "addr16 mov %esi,0x1234(%bx)", { 0x67, 0x89, 0xb7, 0x34, 0x12 }, 5,
	  4, true, MMIO_RSI, 0, false, 0, false },
	{ "movl $0x1,(%eax)", { 0xc7, 0x00, 0x01, 0x00, 0x00, 0x00 }, 6, 4,
	  true, -1, 1, false, 0, false },
	{ "mov %ch,(%eax)", { 0x88, 0x28 }, 2, 1, true, MMIO_RCX, 0, false, 0,
	  true },
};

START_TEST(decodes_gcc_encodings_32)
{
	check_case(&cases32[_i], false);
}
END_TEST

START_TEST(rex_is_inc_dec_outside_long_mode)
{
	static const uint8_t b[] = { 0x48, 0x8b, 0x07 };
	struct mmio_insn in;

	ck_assert_int_eq(mmio_decode(b, sizeof(b), false, &in), -EINVAL);
	ck_assert_int_eq(mmio_decode(b, sizeof(b), true, &in), 0);
	ck_assert_uint_eq(in.size, 8);
}
END_TEST

START_TEST(rex_before_a_prefix_is_ignored)
{
	/* REX.W then 66: the REX is dropped, the access is 16-bit. */
	static const uint8_t b[] = { 0x48, 0x66, 0x89, 0x07 };
	/* Two REX: the last one counts (R: r8 + 7 = r15). */
	static const uint8_t b2[] = { 0x48, 0x44, 0x89, 0x3f };
	struct mmio_insn in;

	ck_assert_int_eq(mmio_decode(b, sizeof(b), true, &in), 0);
	ck_assert_uint_eq(in.size, 2);
	ck_assert_uint_eq(in.len, 4);
	ck_assert_int_eq(mmio_decode(b2, sizeof(b2), true, &in), 0);
	ck_assert_uint_eq(in.size, 4);
	ck_assert_int_eq(in.reg, MMIO_R15);
}
END_TEST

START_TEST(rex_w_beats_operand_size_prefix)
{
	static const uint8_t b[] = { 0x66, 0x48, 0x89, 0x07 };
	struct mmio_insn in;

	ck_assert_int_eq(mmio_decode(b, sizeof(b), true, &in), 0);
	ck_assert_uint_eq(in.size, 8);
}
END_TEST

START_TEST(any_rex_selects_low_byte_registers)
{
	/* 40 88 27: mov %spl,(%rdi), not %ah. */
	static const uint8_t b[] = { 0x40, 0x88, 0x27 };
	struct mmio_insn in;

	ck_assert_int_eq(mmio_decode(b, sizeof(b), true, &in), 0);
	ck_assert_int_eq(in.reg, MMIO_RSP);
	ck_assert(!in.high_byte);
}
END_TEST

START_TEST(rejects_lock_and_rep)
{
	static const uint8_t lock[] = { 0xf0, 0x89, 0x07 };
	static const uint8_t rep[] = { 0xf3, 0x89, 0x07 };
	static const uint8_t repne[] = { 0xf2, 0x8b, 0x07 };
	struct mmio_insn in;

	ck_assert_int_eq(mmio_decode(lock, 3, true, &in), -EINVAL);
	ck_assert_int_eq(mmio_decode(rep, 3, true, &in), -EINVAL);
	ck_assert_int_eq(mmio_decode(repne, 3, true, &in), -EINVAL);
}
END_TEST

START_TEST(rejects_string_and_other_opcodes)
{
	static const uint8_t ops[][3] = {
		{ 0xa5 },		/* movsl */
		{ 0xab },		/* stosl */
		{ 0xa1 },		/* mov moffs32,%eax */
		{ 0x87, 0x07 },		/* xchg */
		{ 0x01, 0x07 },		/* add */
		{ 0x0f, 0xbe, 0x07 },	/* movsbl: not handled */
		{ 0x0f, 0x0b },		/* ud2 */
		{ 0xff, 0x07 },		/* incl */
		{ 0x8c, 0x07 },		/* mov %es,(%rdi) */
	};
	struct mmio_insn in;
	unsigned int i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		ck_assert_msg(mmio_decode(ops[i], 3, true, &in) == -EINVAL,
			      "opcode %02x %02x", ops[i][0], ops[i][1]);
}
END_TEST

START_TEST(rejects_register_operands)
{
	static const uint8_t ops[][3] = {
		{ 0x89, 0xc7 },		/* mov %eax,%edi */
		{ 0x8a, 0xc4 },		/* mov %ah,%al */
		{ 0xc7, 0xc0 },		/* mov $imm,%eax */
		{ 0x0f, 0xb6, 0xc0 },	/* movzbl %al,%eax */
	};
	struct mmio_insn in;
	unsigned int i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		ck_assert_int_eq(mmio_decode(ops[i], 3, true, &in), -EINVAL);
}
END_TEST

START_TEST(rejects_c6_c7_other_reg_fields)
{
	/* c7 4f 40 = c7 /1: not a MOV. */
	static const uint8_t b[] = { 0xc7, 0x4f, 0x40, 0, 0, 0, 0 };
	static const uint8_t b8[] = { 0xc6, 0x38, 0x00 };	/* c6 /7 */
	struct mmio_insn in;

	ck_assert_int_eq(mmio_decode(b, sizeof(b), true, &in), -EINVAL);
	ck_assert_int_eq(mmio_decode(b8, sizeof(b8), true, &in), -EINVAL);
}
END_TEST

START_TEST(rejects_more_than_15_bytes)
{
	uint8_t b[16];
	struct mmio_insn in;

	/* 16 prefixes: past 15 bytes (#GP on hardware). */
	memset(b, 0x3e, sizeof(b));
	ck_assert_int_eq(mmio_decode(b, sizeof(b), true, &in), -EINVAL);
	/* 12 prefixes + 8b 47 10 = 15 bytes: still legal. */
	memset(b, 0x66, 12);
	b[12] = 0x8b;
	b[13] = 0x47;
	b[14] = 0x10;
	ck_assert_int_eq(mmio_decode(b, 15, true, &in), 0);
	ck_assert_uint_eq(in.len, 15);
	ck_assert_uint_eq(in.size, 2);
	/* 13 prefixes: 16 bytes. */
	memset(b, 0x66, 13);
	b[13] = 0x8b;
	b[14] = 0x47;
	b[15] = 0x10;
	ck_assert_int_eq(mmio_decode(b, 16, true, &in), -EINVAL);
	/* A 15-byte limit hit inside an immediate. */
	memset(b, 0x2e, 9);
	memcpy(b + 9, (uint8_t[]){ 0xc7, 0x47, 0x40, 1, 2, 3, 4 }, 7);
	ck_assert_int_eq(mmio_decode(b, 16, true, &in), -EINVAL);
}
END_TEST

START_TEST(truncated_inputs_are_enodata)
{
	static const uint8_t sib[] = { 0x89, 0x34, 0x24 };
	static const uint8_t twobyte[] = { 0x0f, 0xb7, 0x07 };
	static const uint8_t prefixes[] = { 0x66, 0x66, 0x66 };
	struct mmio_insn in = { .len = 77 };

	ck_assert_int_eq(mmio_decode(sib, 0, true, &in), -ENODATA);
	ck_assert_int_eq(mmio_decode(sib, 1, true, &in), -ENODATA);
	ck_assert_int_eq(mmio_decode(sib, 2, true, &in), -ENODATA);
	ck_assert_int_eq(mmio_decode(twobyte, 1, true, &in), -ENODATA);
	ck_assert_int_eq(mmio_decode(prefixes, 3, true, &in), -ENODATA);
	ck_assert_uint_eq(in.len, 77);	/* untouched on failure */
}
END_TEST

START_TEST(lock_after_truncation_point_is_enodata_before)
{
	/* The decoder reads in order: a LOCK it reached is -EINVAL. */
	static const uint8_t b[] = { 0x66, 0xf0, 0x89, 0x07 };
	struct mmio_insn in;

	ck_assert_int_eq(mmio_decode(b, 1, true, &in), -ENODATA);
	ck_assert_int_eq(mmio_decode(b, 2, true, &in), -EINVAL);
}
END_TEST

START_TEST(store_value_register_and_immediate)
{
	static const uint8_t movl[] = { 0x89, 0x37 };
	static const uint8_t movw[] = { 0x66, 0x89, 0x07 };
	static const uint8_t movah[] = { 0x88, 0x27 };
	static const uint8_t movq[] = { 0x48, 0x89, 0x07 };
	static const uint8_t imm[] = { 0xc7, 0x07, 0xfe, 0xff, 0xff, 0xff };
	const uint64_t v = 0x1122334455667788ULL;
	struct mmio_insn in;

	ck_assert_int_eq(mmio_decode(movl, 2, true, &in), 0);
	ck_assert_uint_eq(mmio_store_value(&in, v), 0x55667788);
	ck_assert_int_eq(mmio_decode(movw, 3, true, &in), 0);
	ck_assert_uint_eq(mmio_store_value(&in, v), 0x7788);
	ck_assert_int_eq(mmio_decode(movah, 2, true, &in), 0);
	ck_assert_uint_eq(mmio_store_value(&in, v), 0x77);
	ck_assert_int_eq(mmio_decode(movq, 3, true, &in), 0);
	ck_assert_uint_eq(mmio_store_value(&in, v), v);
	ck_assert_int_eq(mmio_decode(imm, 6, true, &in), 0);
	ck_assert_uint_eq(mmio_store_value(&in, v), 0xfffffffe);
}
END_TEST

static struct mmio_insn load(const uint8_t *b, unsigned int n)
{
	struct mmio_insn in;

	ck_assert_int_eq(mmio_decode(b, n, true, &in), 0);
	ck_assert(!in.write);
	return in;
}

#define OLD	0x1122334455667788ULL

START_TEST(merge_8_and_16_bit_keep_other_bits)
{
	static const uint8_t movb[] = { 0x8a, 0x07 };		/* %al */
	static const uint8_t movw[] = { 0x66, 0x8b, 0x07 };	/* %ax */
	struct mmio_insn in;

	in = load(movb, 2);
	ck_assert_uint_eq(mmio_reg_merge(OLD, 0xabcdef, &in),
			  0x11223344556677efULL);
	in = load(movw, 3);
	ck_assert_uint_eq(mmio_reg_merge(OLD, 0xabcdef, &in),
			  0x112233445566cdefULL);
}
END_TEST

START_TEST(merge_high_byte)
{
	static const uint8_t movdh[] = { 0x8a, 0x37 };	/* mov (%rdi),%dh */
	struct mmio_insn in = load(movdh, 2);

	ck_assert_int_eq(in.reg, MMIO_RDX);
	ck_assert(in.high_byte);
	ck_assert_uint_eq(mmio_reg_merge(OLD, 0x1ab, &in),
			  0x112233445566ab88ULL);
}
END_TEST

START_TEST(merge_32_bit_zero_extends)
{
	static const uint8_t movl[] = { 0x8b, 0x07 };
	struct mmio_insn in = load(movl, 2);

	ck_assert_uint_eq(mmio_reg_merge(OLD, 0xfedcba9876543210ULL, &in),
			  0x76543210ULL);
}
END_TEST

START_TEST(merge_64_bit_replaces)
{
	static const uint8_t movq[] = { 0x48, 0x8b, 0x07 };
	struct mmio_insn in = load(movq, 3);

	ck_assert_uint_eq(mmio_reg_merge(OLD, 0xfedcba9876543210ULL, &in),
			  0xfedcba9876543210ULL);
}
END_TEST

START_TEST(merge_movzx)
{
	static const uint8_t zbl[] = { 0x0f, 0xb6, 0x07 };
	static const uint8_t zwq[] = { 0x48, 0x0f, 0xb7, 0x07 };
	static const uint8_t zbw[] = { 0x66, 0x0f, 0xb6, 0x07 };
	struct mmio_insn in;

	in = load(zbl, 3);
	ck_assert_uint_eq(mmio_reg_merge(OLD, 0xfff0, &in), 0xf0);
	in = load(zwq, 4);
	ck_assert_uint_eq(in.dst_size, 8);
	ck_assert_uint_eq(mmio_reg_merge(OLD, 0xfffff00f, &in), 0xf00f);
	in = load(zbw, 4);	/* 16-bit destination keeps bits 16..63 */
	ck_assert_uint_eq(mmio_reg_merge(OLD, 0x1f0, &in),
			  0x11223344556600f0ULL);
}
END_TEST

START_TEST(merge_of_a_store_leaves_register)
{
	static const uint8_t movl[] = { 0x89, 0x07 };
	struct mmio_insn in;

	ck_assert_int_eq(mmio_decode(movl, 2, true, &in), 0);
	ck_assert_uint_eq(mmio_reg_merge(OLD, 0, &in), OLD);
}
END_TEST

START_TEST(hostile_bytes_never_crash)
{
	uint8_t b[16];
	struct mmio_insn in;
	unsigned int seed = 12345, i, j;
	int ret;

	/* Pseudo-random buffers: every result is 0, -EINVAL or -ENODATA,
	 * and a success never claims more than 15 bytes or more than n. */
	for (i = 0; i < 20000; i++) {
		unsigned int n = i % 17;

		for (j = 0; j < sizeof(b); j++) {
			seed = seed * 1103515245 + 12345;
			b[j] = seed >> 16;
		}
		ret = mmio_decode(b, n, i & 1, &in);
		ck_assert(ret == 0 || ret == -EINVAL || ret == -ENODATA);
		if (!ret) {
			ck_assert_uint_le(in.len, n);
			ck_assert_uint_le(in.len, MMIO_INSN_MAX_LEN);
			ck_assert(in.reg >= -1 && in.reg < 16);
		}
	}
}
END_TEST

static Suite *mmio_decode_suite(void)
{
	Suite *s = suite_create("hvworker_mmio_decode");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, decodes_gcc_encodings_64, 0,
			    sizeof(cases64) / sizeof(cases64[0]));
	tcase_add_loop_test(tc, decodes_gcc_encodings_32, 0,
			    sizeof(cases32) / sizeof(cases32[0]));
	tcase_add_test(tc, rex_is_inc_dec_outside_long_mode);
	tcase_add_test(tc, rex_before_a_prefix_is_ignored);
	tcase_add_test(tc, rex_w_beats_operand_size_prefix);
	tcase_add_test(tc, any_rex_selects_low_byte_registers);
	tcase_add_test(tc, rejects_lock_and_rep);
	tcase_add_test(tc, rejects_string_and_other_opcodes);
	tcase_add_test(tc, rejects_register_operands);
	tcase_add_test(tc, rejects_c6_c7_other_reg_fields);
	tcase_add_test(tc, rejects_more_than_15_bytes);
	tcase_add_test(tc, truncated_inputs_are_enodata);
	tcase_add_test(tc, lock_after_truncation_point_is_enodata_before);
	tcase_add_test(tc, store_value_register_and_immediate);
	tcase_add_test(tc, merge_8_and_16_bit_keep_other_bits);
	tcase_add_test(tc, merge_high_byte);
	tcase_add_test(tc, merge_32_bit_zero_extends);
	tcase_add_test(tc, merge_64_bit_replaces);
	tcase_add_test(tc, merge_movzx);
	tcase_add_test(tc, merge_of_a_store_leaves_register);
	tcase_add_test(tc, hostile_bytes_never_crash);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return hv_check_run(mmio_decode_suite());
}
