/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a child's memory by guest-virtual address: the walk of its own
 * page tables, for the instruction bytes the hv puts into a memory
 * intercept message (Hyper-V's HV_X64_MEMORY_INTERCEPT_MESSAGE carries
 * them too), so the parent's worker can emulate an MMIO access without
 * decode assists (QEMU's SVM has none).  Portable: every table and byte
 * is read with arch_copy_from_guest(), so a hostile CR3 or PTE can only
 * make the walk read the child's own RAM, or fail.
 */
#ifndef MKHV_GVA_H
#define MKHV_GVA_H

#include <mkhv/partition.h>

/* The paging controls of the VP at the moment of the access. */
struct gva_mode {
	u64 cr0, cr3, cr4, efer;
};

/**
 * gva_to_gpa() - translate @gva as the VP's MMU would for a read.
 * Long mode (4- and 5-level, 1 GiB and 2 MiB pages) and paging off;
 * 32-bit paging is not walked (-EOPNOTSUPP).
 * Return: 0; -EFAULT for a non-present entry or tables outside the
 * child's RAM; -EOPNOTSUPP.
 */
int gva_to_gpa(struct hv_partition *p, const struct gva_mode *m, u64 gva,
	       u64 *gpa);

/**
 * gva_read() - copy up to @len bytes from @gva, page by page.
 * Return: the bytes copied (fewer when a page does not translate).
 */
size_t gva_read(struct hv_partition *p, const struct gva_mode *m, u64 gva,
		void *buf, size_t len);

#endif /* MKHV_GVA_H */
