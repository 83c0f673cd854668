// SPDX-License-Identifier: GPL-2.0
/* Fakes of the arch_* services (mkhv/arch.h) for host unit tests. */
#include <mkhv/arch.h>
#include <mkhv/errno.h>
#include "hv_fakes.h"

char fake_console[65536];
size_t fake_console_len;
u64 fake_tsc;
u64 fake_hv_mem_free;
int fake_vendor_intel;
u8 fake_guest_mem[FAKE_GUEST_SIZE];
gpa_t fake_guest_base = 0x100000;
unsigned int fake_copy_from_calls, fake_copy_to_calls;
void (*fake_copy_from_hook)(gpa_t gpa, size_t len);

void fake_console_reset(void)
{
	fake_console_len = 0;
	fake_console[0] = '\0';
}

void fake_guest_reset(void)
{
	memset(fake_guest_mem, 0, sizeof(fake_guest_mem));
	fake_guest_base = 0x100000;
	fake_copy_from_calls = 0;
	fake_copy_to_calls = 0;
	fake_copy_from_hook = NULL;
}

void arch_console_write(const char *s, size_t n)
{
	size_t room = sizeof(fake_console) - 1 - fake_console_len;

	if (n > room)
		n = room;
	memcpy(fake_console + fake_console_len, s, n);
	fake_console_len += n;
	fake_console[fake_console_len] = '\0';
}

void arch_panic_stop(void)
{
	abort();
}

void arch_cpu_relax(void)
{
}

u64 arch_read_tsc(void)
{
	return fake_tsc;
}

size_t arch_hypercall_stub(u8 *buf, size_t len)
{
	static const u8 amd[] = { 0x0f, 0x01, 0xd9, 0xc3 };
	static const u8 intel[] = { 0x0f, 0x01, 0xc1, 0xc3 };

	if (len < 4)
		return 0;
	memcpy(buf, fake_vendor_intel ? intel : amd, 4);
	return 4;
}

static bool fake_range_ok(gpa_t gpa, size_t len)
{
	return gpa >= fake_guest_base && len <= FAKE_GUEST_SIZE &&
	       gpa - fake_guest_base <= FAKE_GUEST_SIZE - len;
}

int arch_copy_from_guest(struct hv_partition *part, void *dst, gpa_t gpa,
			 size_t len)
{
	(void)part;
	fake_copy_from_calls++;
	if (!fake_range_ok(gpa, len))
		return -EFAULT;
	if (fake_copy_from_hook)
		fake_copy_from_hook(gpa, len);
	memcpy(dst, fake_guest_mem + (gpa - fake_guest_base), len);
	return 0;
}

int arch_copy_to_guest(struct hv_partition *part, gpa_t gpa, const void *src,
		       size_t len)
{
	(void)part;
	fake_copy_to_calls++;
	if (!fake_range_ok(gpa, len))
		return -EFAULT;
	memcpy(fake_guest_mem + (gpa - fake_guest_base), src, len);
	return 0;
}

int arch_guest_or64(struct hv_partition *part, gpa_t gpa, u64 bits, u64 *old)
{
	u64 v;

	(void)part;
	if ((gpa & 7) || !fake_range_ok(gpa, 8))
		return -EFAULT;
	memcpy(&v, fake_guest_mem + (gpa - fake_guest_base), 8);
	*old = v;
	v |= bits;
	memcpy(fake_guest_mem + (gpa - fake_guest_base), &v, 8);
	return 0;
}

u64 arch_hv_mem_free(void)
{
	return fake_hv_mem_free;
}

/* ---- child partitions: a map table and a register file per fake ---- */

#include <stdlib.h>
#include <mkhv/partition.h>

int fake_fail_partition_create, fake_fail_vp_create, fake_fail_map;
unsigned int fake_kicks, fake_stops, fake_notifies, fake_flushes;

#define FAKE_MAP_MAX 4096
struct fake_part {
	gpa_t gpa[FAKE_MAP_MAX];
	hpa_t hpa[FAKE_MAP_MAX];
	u32 flags[FAKE_MAP_MAX];
	size_t n;
};

struct fake_vp {
	u64 gpr[18];	/* RAX..R15, RIP, RFLAGS */
};

int arch_partition_create(struct hv_partition *p)
{
	if (fake_fail_partition_create)
		return -ENOMEM;
	p->arch = calloc(1, sizeof(struct fake_part));
	return p->arch ? 0 : -ENOMEM;
}

void arch_partition_destroy(struct hv_partition *p)
{
	free(p->arch);
	p->arch = NULL;
}

int arch_gpa_map(struct hv_partition *p, gpa_t gpa, hpa_t hpa, u32 flags)
{
	struct fake_part *f = p->arch;
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->gpa[i] == gpa)
			return -EEXIST;
	if (fake_fail_map || f->n == FAKE_MAP_MAX)
		return -ENOMEM;
	f->gpa[f->n] = gpa;
	f->hpa[f->n] = hpa;
	f->flags[f->n++] = flags;
	return 0;
}

int arch_gpa_unmap(struct hv_partition *p, gpa_t gpa, hpa_t *hpa)
{
	struct fake_part *f = p->arch;
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (f->gpa[i] != gpa)
			continue;
		*hpa = f->hpa[i];
		f->n--;
		f->gpa[i] = f->gpa[f->n];
		f->hpa[i] = f->hpa[f->n];
		f->flags[i] = f->flags[f->n];
		fake_flushes++;
		return 0;
	}
	return -ENOENT;
}

int fake_lookup(struct hv_partition *p, gpa_t gpa, hpa_t *hpa, u32 *flags)
{
	struct fake_part *f = p->arch;
	size_t i;

	for (i = 0; f && i < f->n; i++) {
		if (f->gpa[i] == gpa) {
			*hpa = f->hpa[i];
			*flags = f->flags[i];
			return 0;
		}
	}
	return -ENOENT;
}

int arch_vp_create(struct hv_vp *vp)
{
	if (fake_fail_vp_create)
		return -ENOMEM;
	vp->arch = calloc(1, sizeof(struct fake_vp));
	return vp->arch ? 0 : -ENOMEM;
}

void arch_vp_destroy(struct hv_vp *vp)
{
	free(vp->arch);
	vp->arch = NULL;
}

static u64 *fake_reg(struct hv_vp *vp, u32 name)
{
	struct fake_vp *f = vp->arch;

	if (name >= 0x00020000 && name <= 0x00020011)
		return &f->gpr[name - 0x00020000];
	return NULL;
}

int arch_vp_get_reg(struct hv_vp *vp, u32 name, struct hv_register_value *v)
{
	u64 *r = fake_reg(vp, name);

	if (!r)
		return -EINVAL;
	v->low = *r;
	v->high = 0;
	return 0;
}

int arch_vp_set_reg(struct hv_vp *vp, u32 name,
		    const struct hv_register_value *v)
{
	u64 *r = fake_reg(vp, name);

	if (!r || v->high)
		return -EINVAL;
	*r = v->low;
	return 0;
}

void arch_vp_kick(struct hv_vp *vp)
{
	(void)vp;
	fake_kicks++;
}

void arch_vp_stop(struct hv_vp *vp)
{
	u32 s = __atomic_load_n(&vp->state, __ATOMIC_ACQUIRE);

	fake_stops++;
	if (s != VP_DEAD)
		__atomic_store_n(&vp->state, VP_STOPPED, __ATOMIC_RELEASE);
}

unsigned int fake_wakes;

void arch_vp_wake(struct hv_vp *vp)
{
	(void)vp;
	fake_wakes++;
}

void arch_notify_parent(void)
{
	fake_notifies++;
}
