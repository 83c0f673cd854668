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

u64 arch_hv_mem_free(void)
{
	return fake_hv_mem_free;
}
