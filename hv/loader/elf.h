/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading hv.elf: a static position-independent ELF64 executable for
 * x86-64 whose only dynamic relocations are R_X86_64_RELATIVE.  The loader
 * copies its PT_LOAD segments to a base address and applies the
 * relocations.  Freestanding: shared by hvloader and the host unit tests.
 */
#ifndef MKHV_LOADER_ELF_H
#define MKHV_LOADER_ELF_H

#include <stddef.h>
#include <stdint.h>

struct elf_image {
	uint64_t span;		/* bytes from base the image occupies */
	uint64_t entry;		/* entry point offset from base */
};

/*
 * elf_inspect() - validate @file (@size bytes) and report its span/entry.
 * Return: 0, or -EINVAL (22) for anything that is not such an image, with
 * a short reason in *@why.
 */
int elf_inspect(const void *file, size_t size, struct elf_image *img,
		const char **why);

/*
 * elf_load() - copy the segments of a validated image to @base (which has
 * img->span bytes, already zeroed), then relocate it for @base.
 * Return: 0, or -EINVAL with *@why set for a bad relocation.
 */
int elf_load(const void *file, size_t size, const struct elf_image *img,
	     uint8_t *base, const char **why);

#endif /* MKHV_LOADER_ELF_H */
