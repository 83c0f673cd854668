// SPDX-License-Identifier: MIT
/*
 * Ring benchmark (issue 5).  A producer and a consumer thread, pinned to
 * two different CPUs, move data through a 256 KiB ring; the same two
 * threads, pinned the same way, move the same 4 KiB blocks through a plain
 * 256 KiB shared buffer for the baseline.  Prints `name: value` lines:
 *
 *   ring_vs_memcpy       4 KiB packets through the ring (bytes/s) divided by
 *                        the two-thread memcpy hand-off of 4 KiB blocks
 *                        through a shared buffer of the same size
 *   ring_small_mpps      64-byte packets, millions of packets per second
 *   notify_per_packet    signals (both directions) per 64-byte packet
 *
 * and the raw figures behind them (docs/vmbus.md explains each).
 *
 * Both sides do what a device's queue does: the producer copies each
 * payload in (vmbus_ring_send_deferred) and publishes a batch with one
 * vmbus_ring_flush(); the consumer looks at each packet in place
 * (vmbus_ring_peek), copies the payload out to its own buffer (as the
 * baseline's consumer does), and publishes read_index every few packets
 * with vmbus_ring_read_done().  Waiting follows ring.h's protocol: the
 * consumer polls with interrupt_mask set for a while, then unmasks and
 * sleeps on a futex until signalled; the producer polls a full ring for a
 * while, then sets pending_send_sz and sleeps.  Sleeping (not spinning for
 * ever) matters on a host where another thread may share the core.
 *
 * The baseline has no protocol: a head and a tail counter, one 4 KiB slot
 * per block, the same copy in and copy out, the same pinning; it polls as
 * long as the ring's sides do, then naps instead of sleeping until woken.
 *
 * VMBUS_BENCH_MS sets the time per measurement (default 1000), split into
 * ROUNDS alternating rounds.
 */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ring.h"

#define RING_DATA	(256 * 1024)
#define BLOCK		4096
#define SLOTS		(RING_DATA / BLOCK)
#define SPIN_LIMIT	20000
#define READ_BATCH	8		/* packets per read_index update */
#define STOP_ID		UINT64_MAX

static uint64_t run_ns = 1000000000ull;
static int cpus[2] = { -1, -1 };

struct event {
	atomic_uint seq;
	atomic_ulong signals;
};

/*
 * Each thread's private state sits on cache lines of its own (128 bytes:
 * the adjacent-line prefetcher works in pairs): in real use the two sides
 * are in different partitions, so sharing a line here would measure false
 * sharing, not the ring.
 */
#define PRIVATE __attribute__((aligned(128)))

struct bench {
	uint32_t payload;
	uint32_t batch;		/* packets per vmbus_ring_flush() */
	double seconds;
	/* producer */
	struct vmbus_ring w PRIVATE;
	uint64_t sent, sum_in, full_waits, sleeps_w;
	/* consumer */
	struct vmbus_ring r PRIVATE;
	uint64_t received, sum_out, sleeps_r;
	/* the "interrupts" each way */
	struct event to_reader PRIVATE;
	struct event to_writer PRIVATE;
};

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The first two CPUs this process may run on; none if only one. */
static void pick_cpus(void)
{
	cpu_set_t set;
	int n = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	for (int c = 0; c < CPU_SETSIZE && n < 2; c++)
		if (CPU_ISSET(c, &set))
			cpus[n++] = c;
	if (n < 2)
		cpus[0] = cpus[1] = -1;
}

static void pin(int which)
{
	cpu_set_t set;

	if (cpus[which] < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpus[which], &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set))
		abort();
}

static void ev_signal(struct event *ev)
{
	atomic_fetch_add_explicit(&ev->signals, 1, memory_order_relaxed);
	atomic_fetch_add(&ev->seq, 1);
	syscall(SYS_futex, &ev->seq, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void ev_wait(struct event *ev, unsigned int seen)
{
	struct timespec ts = { 0, 10000000 };	/* 10 ms: never hang */

	syscall(SYS_futex, &ev->seq, FUTEX_WAIT_PRIVATE, seen, &ts, NULL, 0);
}

static void flush(struct bench *b)
{
	bool sig;

	if (vmbus_ring_flush(&b->w, &sig))
		abort();
	if (sig)
		ev_signal(&b->to_reader);
}

/* Write one packet, waiting for space as ring.h says. */
static void send_one(struct bench *b, const struct vmbus_packet_desc *d,
		     const struct vmbus_ring_iov *iov, unsigned int iovcnt,
		     uint32_t need)
{
	int rc, spins = 0;

	while ((rc = vmbus_ring_send_deferred(&b->w, d, iov, iovcnt)) == -EAGAIN) {
		unsigned int seen = atomic_load(&b->to_writer.seq);

		flush(b);
		if (!spins)
			b->full_waits++;
		if (++spins < SPIN_LIMIT) {
			cpu_relax();
			continue;
		}
		spins = 0;
		if (vmbus_ring_wait_space(&b->w, need) == 0) {
			b->sleeps_w++;
			ev_wait(&b->to_writer, seen);
		}
	}
	if (rc)
		abort();
}

static void *producer(void *arg)
{
	struct bench *b = arg;
	static uint8_t buf[BLOCK] __attribute__((aligned(4096)));
	uint64_t start = now_ns(), id;
	uint32_t need = (uint32_t)vmbus_ring_packet_bytes(16, b->payload);
	struct vmbus_packet_desc d = { .type = VM_PKT_DATA_INBAND };
	struct vmbus_ring_iov iov = { buf, b->payload };

	pin(0);
	memset(buf, 0x5a, sizeof(buf));
	for (id = 0;; id++) {
		if ((id & 1023) == 0 && now_ns() - start > run_ns)
			break;
		d.trans_id = id;
		buf[0] = (uint8_t)id;
		send_one(b, &d, &iov, 1, need);
		b->sum_in += buf[0];
		if ((id + 1) % b->batch == 0)
			flush(b);
	}
	b->sent = id;
	d.trans_id = STOP_ID;
	send_one(b, &d, NULL, 0, need);
	flush(b);
	return NULL;
}

/* Publish read_index; wake the producer if it waits for the space. */
static void read_done(struct bench *b)
{
	int rc = vmbus_ring_read_done(&b->r);

	if (rc < 0)
		abort();
	if (rc > 0)
		ev_signal(&b->to_writer);
}

static void *consumer(void *arg)
{
	struct bench *b = arg;
	static uint8_t dst[BLOCK] __attribute__((aligned(4096)));
	struct vmbus_ring_pkt pkt;
	unsigned int unpublished = 0;
	int spins = 0, rc;

	pin(1);
	vmbus_ring_mask(&b->r);
	for (;;) {
		while ((rc = vmbus_ring_peek(&b->r, &pkt)) == 0) {
			if (pkt.desc.trans_id == STOP_ID) {
				vmbus_ring_consume(&b->r, &pkt);
				read_done(b);
				return NULL;
			}
			/* In place: the payload's pieces straight to dst. */
			memcpy(dst, pkt.frag[0], pkt.frag_len[0]);
			memcpy(dst + pkt.frag_len[0], pkt.frag[1], pkt.frag_len[1]);
			__asm__ volatile("" : : "r"(dst) : "memory");
			b->sum_out += dst[0];
			b->received++;
			vmbus_ring_consume(&b->r, &pkt);
			if (++unpublished == READ_BATCH) {
				read_done(b);
				unpublished = 0;
			}
		}
		if (rc != -EAGAIN)
			abort();
		read_done(b);
		unpublished = 0;
		if (++spins < SPIN_LIMIT) {
			cpu_relax();	/* poll, interrupts still masked */
			continue;
		}
		spins = 0;
		{
			unsigned int seen = atomic_load(&b->to_reader.seq);

			if (vmbus_ring_unmask(&b->r) == 0) {
				b->sleeps_r++;
				ev_wait(&b->to_reader, seen);
			}
			vmbus_ring_mask(&b->r);
		}
	}
}

static void run(struct bench *b, uint32_t payload, uint32_t batch)
{
	static struct vmbus_ring_header hdr __attribute__((aligned(4096)));
	static uint8_t data[RING_DATA] __attribute__((aligned(4096)));
	pthread_t tp, tc;
	uint64_t t0;

	memset(b, 0, sizeof(*b));
	vmbus_ring_header_init(&hdr, VMBUS_RING_FEAT_PENDING_SEND_SZ);
	if (vmbus_ring_init(&b->w, &hdr, data, RING_DATA, VMBUS_RING_WRITER) ||
	    vmbus_ring_init(&b->r, &hdr, data, RING_DATA, VMBUS_RING_READER))
		abort();
	b->payload = payload;
	b->batch = batch;
	t0 = now_ns();
	pthread_create(&tc, NULL, consumer, b);
	pthread_create(&tp, NULL, producer, b);
	pthread_join(tp, NULL);
	pthread_join(tc, NULL);
	b->seconds = (double)(now_ns() - t0) / 1e9;
	if (b->received != b->sent || b->sum_in != b->sum_out) {
		fprintf(stderr, "vmbus_bench: lost packets (%llu/%llu)\n",
			(unsigned long long)b->received, (unsigned long long)b->sent);
		exit(1);
	}
}

/*
 * Baseline: the two-thread memcpy hand-off.  The producer copies a 4 KiB
 * block into the next of 64 slots of a 256 KiB buffer and publishes a
 * head counter; the consumer copies it out and publishes a tail counter.
 * Head, tail and the count live on cache lines of their own.
 */
static struct {
	_Atomic uint64_t head PRIVATE;
	_Atomic uint64_t tail PRIVATE;
	uint64_t count PRIVATE;
	uint8_t buf[RING_DATA] __attribute__((aligned(4096)));
} raw;

/*
 * The same patience as the ring's sides: poll SPIN_LIMIT times, then stop
 * burning the core (the peer may share it under load).  With no wake-up
 * protocol the sleeper wakes itself: 50 us, far below the ring's 10 ms
 * futex timeout, so the baseline is never the slower waiter.
 */
static void raw_wait(unsigned int *spins)
{
	static const struct timespec nap = { 0, 50000 };

	if (++*spins < SPIN_LIMIT)
		cpu_relax();
	else
		nanosleep(&nap, NULL);
}

static void *raw_producer(void *arg)
{
	static uint8_t src[BLOCK] __attribute__((aligned(4096)));
	uint64_t start = now_ns(), i;

	(void)arg;
	pin(0);
	memset(src, 3, sizeof(src));
	for (i = 0; (i & 255) || now_ns() - start < run_ns; i++) {
		unsigned int spins = 0;

		while (i - atomic_load_explicit(&raw.tail, memory_order_acquire) >= SLOTS)
			raw_wait(&spins);
		src[0] = (uint8_t)i;
		memcpy(raw.buf + (i % SLOTS) * BLOCK, src, BLOCK);
		atomic_store_explicit(&raw.head, i + 1, memory_order_release);
	}
	raw.count = i;
	atomic_store_explicit(&raw.head, UINT64_MAX, memory_order_release);
	return NULL;
}

static void *raw_consumer(void *arg)
{
	static uint8_t dst[BLOCK] __attribute__((aligned(4096)));
	uint64_t i, h = 0;

	(void)arg;
	pin(1);
	for (i = 0;; i++) {
		unsigned int spins = 0;

		while (h <= i &&
		       (h = atomic_load_explicit(&raw.head, memory_order_acquire)) <= i)
			raw_wait(&spins);
		if (h == UINT64_MAX && i >= raw.count)
			return NULL;
		memcpy(dst, raw.buf + (i % SLOTS) * BLOCK, BLOCK);
		__asm__ volatile("" : : "r"(dst) : "memory");
		atomic_store_explicit(&raw.tail, i + 1, memory_order_release);
	}
}

static double raw_bytes_per_s(void)
{
	pthread_t tp, tc;
	uint64_t t0;

	memset(&raw, 0, sizeof(raw));
	t0 = now_ns();
	pthread_create(&tc, NULL, raw_consumer, NULL);
	pthread_create(&tp, NULL, raw_producer, NULL);
	pthread_join(tp, NULL);
	pthread_join(tc, NULL);
	return (double)raw.count * BLOCK / ((double)(now_ns() - t0) / 1e9);
}

/* For reference only: one thread copying 4 KiB blocks inside its cache. */
static double memcpy_1t_bytes_per_s(void)
{
	static uint8_t src[BLOCK], dst[RING_DATA];
	uint64_t t0 = now_ns(), bytes = 0, t;
	uint32_t pos = 0;

	memset(src, 1, sizeof(src));
	do {
		for (int i = 0; i < 256; i++) {
			memcpy(dst + pos, src, sizeof(src));
			__asm__ volatile("" : : "r"(dst) : "memory");
			pos = (pos + BLOCK) % RING_DATA;
		}
		bytes += 256 * BLOCK;
		t = now_ns() - t0;
	} while (t < run_ns / 4);
	return (double)bytes / ((double)t / 1e9);
}

static double bw(const struct bench *b)
{
	return (double)b->sent * b->payload / b->seconds;
}

static double pps(const struct bench *b)
{
	return (double)b->sent / b->seconds;
}

static double notify(const struct bench *b)
{
	return (double)(b->to_reader.signals + b->to_writer.signals) /
	       (double)b->sent;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * The machine's load changes from second to second, so the ring and its
 * baseline are measured in alternating short rounds and each figure is
 * the median over the rounds (ratios are taken within a round).
 */
#define ROUNDS 5

int main(void)
{
	static struct bench big, small, big1, small1;
	const char *ms = getenv("VMBUS_BENCH_MS");
	double raw_bw[ROUNDS], ratio[ROUNDS], ratio1[ROUNDS], gbps[ROUNDS],
	       mpps[ROUNDS], mpps1[ROUNDS], nt[ROUNDS], nt1[ROUNDS],
	       ntb[ROUNDS], fw[ROUNDS], mc1;
	uint64_t sleeps = 0;
	double secs = 0;

	if (ms && atoi(ms) > 0)
		run_ns = (uint64_t)atoi(ms) * 1000000ull;
	run_ns /= ROUNDS;
	pick_cpus();
	if (cpus[0] < 0)
		fprintf(stderr, "vmbus_bench: fewer than two CPUs, threads not pinned\n");

	mc1 = memcpy_1t_bytes_per_s();
	for (int i = 0; i < ROUNDS; i++) {
		raw_bw[i] = raw_bytes_per_s();
		run(&big, BLOCK, 8);
		run(&big1, BLOCK, 1);
		run(&small, 64, 32);
		run(&small1, 64, 1);
		ratio[i] = bw(&big) / raw_bw[i];
		ratio1[i] = bw(&big1) / raw_bw[i];
		gbps[i] = bw(&big) / 1e9;
		mpps[i] = pps(&small) / 1e6;
		mpps1[i] = pps(&small1) / 1e6;
		nt[i] = notify(&small);
		nt1[i] = notify(&small1);
		ntb[i] = notify(&big);
		fw[i] = (double)big.full_waits / (double)big.sent;
		sleeps += big.sleeps_w + big.sleeps_r + small.sleeps_w + small.sleeps_r;
		secs += big.seconds + small.seconds;
	}

	printf("ring_vs_memcpy: %.3f\n", median(ratio, ROUNDS));
	printf("ring_small_mpps: %.3f\n", median(mpps, ROUNDS));
	printf("notify_per_packet: %.5f\n", median(nt, ROUNDS));
	printf("vmbus_cpus: %d,%d\n", cpus[0], cpus[1]);
	printf("vmbus_memcpy_2t_4KiB_GBps: %.3f\n", median(raw_bw, ROUNDS) / 1e9);
	printf("vmbus_ring_4KiB_batch8_GBps: %.3f\n", median(gbps, ROUNDS));
	printf("vmbus_ring_4KiB_batch8_notify_per_packet: %.5f\n", median(ntb, ROUNDS));
	printf("vmbus_ring_4KiB_batch8_full_waits_per_packet: %.4f\n", median(fw, ROUNDS));
	printf("vmbus_ring_4KiB_batch1_vs_memcpy: %.3f\n", median(ratio1, ROUNDS));
	printf("vmbus_ring_64B_batch1_mpps: %.3f\n", median(mpps1, ROUNDS));
	printf("vmbus_ring_64B_batch1_notify_per_packet: %.5f\n", median(nt1, ROUNDS));
	printf("vmbus_sleeps_per_s: %.1f\n", (double)sleeps / secs);
	printf("vmbus_memcpy_1t_4KiB_GBps: %.3f\n", mc1 / 1e9);
	{
		/* Other load on the machine changes every figure. */
		FILE *f = fopen("/proc/loadavg", "r");
		double la;

		if (f && fscanf(f, "%lf", &la) == 1)
			printf("vmbus_loadavg_1min: %.2f\n", la);
		if (f)
			fclose(f);
	}
	return 0;
}
