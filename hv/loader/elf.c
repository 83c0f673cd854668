// SPDX-License-Identifier: GPL-2.0
/*
 * ELF64 static-PIE loader for hv.elf (see elf.h).  The file comes from the
 * ESP: every offset and size is checked against the file and the span
 * before use.
 */
#include "elf.h"

#define EINVAL 22

#define ET_DYN		3
#define EM_X86_64	62
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define DT_NULL		0
#define DT_RELA		7
#define DT_RELASZ	8
#define DT_RELAENT	9
#define R_X86_64_RELATIVE 8
#define SPAN_MAX	(64ull << 20)

struct ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct dyn {
	int64_t tag;
	uint64_t val;
};

struct rela {
	uint64_t offset, info;
	int64_t addend;
};

_Static_assert(sizeof(struct ehdr) == 64, "ehdr");
_Static_assert(sizeof(struct phdr) == 56, "phdr");
_Static_assert(sizeof(struct rela) == 24, "rela");

static void copy(void *d, const void *s, size_t n)
{
	uint8_t *dd = d;
	const uint8_t *ss = s;

	while (n--)
		*dd++ = *ss++;
}

/* True if [off, off + len) lies within [0, size). */
static int within(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static int bad(const char **why, const char *reason)
{
	*why = reason;
	return -EINVAL;
}

static int get_phdr(const void *file, size_t size, const struct ehdr *eh,
		    unsigned int i, struct phdr *ph)
{
	uint64_t off = eh->phoff + (uint64_t)i * sizeof(*ph);

	if (!within(off, sizeof(*ph), size))
		return -EINVAL;
	copy(ph, (const uint8_t *)file + off, sizeof(*ph));
	return 0;
}

int elf_inspect(const void *file, size_t size, struct elf_image *img,
		const char **why)
{
	struct ehdr eh;
	struct phdr ph;
	unsigned int i;
	uint64_t span = 0;

	if (size < sizeof(eh))
		return bad(why, "file too short");
	copy(&eh, file, sizeof(eh));
	if (eh.ident[0] != 0x7f || eh.ident[1] != 'E' || eh.ident[2] != 'L' ||
	    eh.ident[3] != 'F')
		return bad(why, "not an ELF file");
	if (eh.ident[4] != 2 || eh.ident[5] != 1 || eh.machine != EM_X86_64)
		return bad(why, "not a little-endian x86-64 ELF64 file");
	if (eh.type != ET_DYN)
		return bad(why, "not position independent (ET_DYN)");
	if (eh.phentsize != sizeof(ph) || eh.phnum == 0 || eh.phnum > 64)
		return bad(why, "bad program header table");
	for (i = 0; i < eh.phnum; i++) {
		if (get_phdr(file, size, &eh, i, &ph))
			return bad(why, "program header outside the file");
		if (ph.type != PT_LOAD)
			continue;
		if (ph.filesz > ph.memsz || !within(ph.offset, ph.filesz, size))
			return bad(why, "segment outside the file");
		if (!within(ph.vaddr, ph.memsz, SPAN_MAX))
			return bad(why, "segment beyond 64 MiB");
		if (ph.vaddr + ph.memsz > span)
			span = ph.vaddr + ph.memsz;
	}
	if (!span || eh.entry >= span)
		return bad(why, "no loadable segment holds the entry point");
	img->span = (span + 4095) & ~4095ull;
	img->entry = eh.entry;
	return 0;
}

static int relocate(const struct elf_image *img, uint8_t *base,
		    uint64_t rela, uint64_t relasz, const char **why)
{
	uint64_t off;

	if (!within(rela, relasz, img->span))
		return bad(why, "relocations outside the image");
	for (off = 0; off + sizeof(struct rela) <= relasz;
	     off += sizeof(struct rela)) {
		struct rela r;
		uint64_t v;

		copy(&r, base + rela + off, sizeof(r));
		if ((uint32_t)r.info != R_X86_64_RELATIVE)
			return bad(why, "relocation type other than RELATIVE");
		if (!within(r.offset, 8, img->span))
			return bad(why, "relocation outside the image");
		v = (uint64_t)(uintptr_t)base + (uint64_t)r.addend;
		copy(base + r.offset, &v, 8);
	}
	return 0;
}

int elf_load(const void *file, size_t size, const struct elf_image *img,
	     uint8_t *base, const char **why)
{
	struct ehdr eh;
	struct phdr ph;
	uint64_t dyn_off = 0, dyn_len = 0, rela = 0, relasz = 0, off;
	unsigned int i;

	copy(&eh, file, sizeof(eh));
	for (i = 0; i < eh.phnum; i++) {
		if (get_phdr(file, size, &eh, i, &ph))
			return bad(why, "program header outside the file");
		if (ph.type == PT_LOAD)
			copy(base + ph.vaddr, (const uint8_t *)file + ph.offset,
			     ph.filesz);
		else if (ph.type == PT_DYNAMIC) {
			dyn_off = ph.vaddr;
			dyn_len = ph.memsz;
		}
	}
	if (!dyn_len)
		return 0;
	if (!within(dyn_off, dyn_len, img->span))
		return bad(why, "dynamic section outside the image");
	for (off = 0; off + sizeof(struct dyn) <= dyn_len; off += sizeof(struct dyn)) {
		struct dyn d;

		copy(&d, base + dyn_off + off, sizeof(d));
		if (d.tag == DT_NULL)
			break;
		if (d.tag == DT_RELA)
			rela = d.val;
		else if (d.tag == DT_RELASZ)
			relasz = d.val;
		else if (d.tag == DT_RELAENT && d.val != sizeof(struct rela))
			return bad(why, "unexpected relocation entry size");
	}
	return relasz ? relocate(img, base, rela, relasz, why) : 0;
}
