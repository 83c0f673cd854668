// SPDX-License-Identifier: GPL-2.0
/* A child's page-table walk (mkhv/gva.h). */
#include <mkhv/arch.h>
#include <mkhv/errno.h>
#include <mkhv/gva.h>
#include <mkhv/lib.h>

#define CR0_PG		BIT_ULL(31)
#define CR4_PAE		BIT_ULL(5)
#define CR4_LA57	BIT_ULL(12)
#define EFER_LMA	BIT_ULL(10)
#define PTE_P		BIT_ULL(0)
#define PTE_PS		BIT_ULL(7)
#define PTE_ADDR	0x000ffffffffff000ULL

int gva_to_gpa(struct hv_partition *p, const struct gva_mode *m, u64 gva,
	       u64 *gpa)
{
	u64 table = m->cr3 & PTE_ADDR, e = 0;
	int level;

	if (!(m->cr0 & CR0_PG)) {
		*gpa = gva;
		return 0;
	}
	if (!(m->efer & EFER_LMA) || !(m->cr4 & CR4_PAE))
		return -EOPNOTSUPP;
	/* Levels 5 (LA57) or 4 down to 1: index bits 56:48 ... 20:12. */
	for (level = (m->cr4 & CR4_LA57) ? 5 : 4; level >= 1; level--) {
		unsigned int shift = 12 + 9 * (level - 1);
		u64 idx = (gva >> shift) & 511;

		if (arch_copy_from_guest(p, &e, table + idx * 8, sizeof(e)) ||
		    !(e & PTE_P))
			return -EFAULT;
		if ((level == 3 || level == 2) && (e & PTE_PS)) {
			u64 mask = (1ULL << shift) - 1;

			*gpa = ((e & PTE_ADDR) & ~mask) | (gva & mask);
			return 0;
		}
		table = e & PTE_ADDR;
	}
	*gpa = table | (gva & 0xfff);
	return 0;
}

size_t gva_read(struct hv_partition *p, const struct gva_mode *m, u64 gva,
		void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		u64 gpa, chunk = MIN((u64)(len - done),
				     PAGE_SIZE - ((gva + done) & (PAGE_SIZE - 1)));

		if (gva_to_gpa(p, m, gva + done, &gpa) ||
		    arch_copy_from_guest(p, (u8 *)buf + done, gpa, chunk))
			break;
		done += chunk;
	}
	return done;
}
