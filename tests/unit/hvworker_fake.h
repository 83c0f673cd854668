/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A scripted fake of hvworker's VM backend (struct vm_backend_ops): VP 0
 * gets the intercept messages of a script, one per RUN, and the fake
 * checks that the worker moved RIP to where the next message says the VP
 * is; other VPs block in RUN until a signal kicks them.  Shared by the
 * vmm and worker suites.
 */
#ifndef HVWORKER_FAKE_H
#define HVWORKER_FAKE_H

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "vmm.h"

#define FAKE_SCRIPT_MAX	64

struct fake_vm {
	pthread_mutex_t lock;
	struct hv_intercept_message script[FAKE_SCRIPT_MAX];
	unsigned int nscript, pos;
	uint64_t rip, rax;		/* VP 0 as the worker set it */
	unsigned int rip_mismatches;	/* RIP not where the script expects */
	unsigned int set_regs_calls, maps, vps_created, kicks;
	uint64_t mapped_bytes, first_map_gfn;
	struct hv_register_assoc first_regs[32];
	unsigned int nfirst_regs;
	int fail_map;			/* -errno for the next map */
	unsigned int wait_blocked;	/* VP 0 waits for this many blocked VPs */
	unsigned int blocked;		/* VPs sleeping in RUN now */
	uint8_t claimed[65536];		/* install_io() access masks */
	unsigned int irqs;		/* assert_irq() calls */
	uint32_t irq_vp;
	uint8_t irq_vector;		/* the last one */
	int fail_install;		/* -errno for install_io */
};

static inline void fake_init(struct fake_vm *f)
{
	memset(f, 0, sizeof(*f));
	pthread_mutex_init(&f->lock, NULL);
	f->first_map_gfn = ~0ULL;
}

/* A port I/O intercept at @rip of an @len-byte instruction. */
static inline void fake_io(struct fake_vm *f, uint16_t port, uint8_t size,
			   int write, uint64_t rax, uint64_t rip, uint8_t len)
{
	struct hv_intercept_message *m = &f->script[f->nscript++];

	memset(m, 0, sizeof(*m));
	m->message_type = HVMSG_X64_IO_PORT_INTERCEPT;
	m->port = port;
	m->access_size = size;
	m->access_type = write ? 1 : 0;
	m->rax = rax;
	m->rip = rip;
	m->instruction_length = len;
}

/* "out dx, al" of every byte of @s at consecutive 1-byte instructions. */
static inline uint64_t fake_puts(struct fake_vm *f, uint16_t port,
				 const char *s, uint64_t rip)
{
	for (; *s; s++, rip++)
		fake_io(f, port, 1, 1, (uint8_t)*s, rip, 1);
	return rip;
}

static inline int fake_create_vp(void *ctx, uint32_t vp)
{
	struct fake_vm *f = ctx;

	(void)vp;
	pthread_mutex_lock(&f->lock);
	f->vps_created++;
	pthread_mutex_unlock(&f->lock);
	return 0;
}

static inline int fake_map(void *ctx, void *hva, uint64_t size, uint64_t gfn,
			   uint32_t flags)
{
	struct fake_vm *f = ctx;

	(void)hva;
	(void)flags;
	if (f->fail_map)
		return f->fail_map;
	f->maps++;
	f->mapped_bytes += size;
	if (f->first_map_gfn == ~0ULL)
		f->first_map_gfn = gfn;
	return 0;
}

static inline int fake_set_regs(void *ctx, uint32_t vp,
				const struct hv_register_assoc *r, uint32_t n)
{
	struct fake_vm *f = ctx;

	pthread_mutex_lock(&f->lock);
	if (!f->set_regs_calls && n <= 32) {
		memcpy(f->first_regs, r, n * sizeof(*r));
		f->nfirst_regs = n;
	}
	f->set_regs_calls++;
	for (uint32_t i = 0; i < n && vp == 0; i++) {
		if (r[i].name == HV_X64_REGISTER_RIP)
			f->rip = r[i].value.low;
		if (r[i].name == HV_X64_REGISTER_RAX)
			f->rax = r[i].value.low;
	}
	pthread_mutex_unlock(&f->lock);
	return 0;
}

static inline int fake_run(void *ctx, uint32_t vp,
			   struct hv_intercept_message *m)
{
	struct fake_vm *f = ctx;

	if (vp == 0 && f->pos == 0) {
		/* Let the other VPs reach RUN first (at most 5 s). */
		for (int i = 0; i < 5000; i++) {
			pthread_mutex_lock(&f->lock);
			bool ready = f->blocked >= f->wait_blocked;

			pthread_mutex_unlock(&f->lock);
			if (ready)
				break;
			poll(NULL, 0, 1);
		}
	}
	pthread_mutex_lock(&f->lock);
	if (vp == 0 && f->pos < f->nscript) {
		*m = f->script[f->pos++];
		/* After the first message the VP is where the worker put it. */
		if (f->pos > 1 && f->rip != m->rip)
			f->rip_mismatches++;
		pthread_mutex_unlock(&f->lock);
		return 0;
	}
	f->blocked++;
	pthread_mutex_unlock(&f->lock);
	/* Nothing to say: sleep in the "hypervisor" until a kick (signal). */
	if (poll(NULL, 0, 5000) < 0 && errno == EINTR) {
		pthread_mutex_lock(&f->lock);
		f->blocked--;
		f->kicks++;
		pthread_mutex_unlock(&f->lock);
		return -EINTR;
	}
	pthread_mutex_lock(&f->lock);
	f->blocked--;
	pthread_mutex_unlock(&f->lock);
	return -ETIMEDOUT;
}

static inline int fake_install_io(void *ctx, uint16_t port, uint32_t access)
{
	struct fake_vm *f = ctx;

	if (f->fail_install)
		return f->fail_install;
	f->claimed[port] |= (uint8_t)access;
	return 0;
}

static inline int fake_assert_irq(void *ctx, uint32_t vp, uint8_t vector)
{
	struct fake_vm *f = ctx;

	f->irqs++;
	f->irq_vp = vp;
	f->irq_vector = vector;
	return 0;
}

/* Statistics: VP n has run (n + 1) ms and taken 10 * (n + 1) exits. */
static inline int fake_get_regs(void *ctx, uint32_t vp,
				struct hv_register_assoc *r, uint32_t n)
{
	(void)ctx;
	for (uint32_t i = 0; i < n; i++) {
		if (r[i].name == HV_REGISTER_VP_RUNTIME)
			r[i].value.low = (vp + 1) * 10000ULL;
		else if (r[i].name == MKHV_REGISTER_VP_EXITS)
			r[i].value.low = (vp + 1) * 10ULL;
		else
			return -EINVAL;
	}
	return 0;
}

/* A console that keeps what the guest wrote to the UART. */
struct fake_console {
	char out[256];
	unsigned int n;
};

static inline void fake_console_reset(struct fake_console *c)
{
	memset(c, 0, sizeof(*c));
}

static inline void fake_console_out(void *ctx, uint8_t ch)
{
	struct fake_console *c = ctx;

	if (c->n < sizeof(c->out) - 1)
		c->out[c->n++] = (char)ch;
}

static const struct vm_backend_ops fake_ops = {
	.create_vp = fake_create_vp,
	.map = fake_map,
	.set_regs = fake_set_regs,
	.run = fake_run,
	.install_io = fake_install_io,
	.get_regs = fake_get_regs,
	.assert_irq = fake_assert_irq,
};

#endif /* HVWORKER_FAKE_H */
