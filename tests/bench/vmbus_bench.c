// SPDX-License-Identifier: MIT
/*
 * Ring benchmark: one producer and one consumer thread (pinned to CPUs 0
 * and 1 when there are two) on a 256 KiB ring, measured in one run
 * against a plain memcpy loop.  Prints `name: value` lines:
 *
 *   ring_vs_memcpy        4 KiB packets: ring payload bandwidth (copy in by
 *                         the producer, copy out by the consumer) divided by
 *                         single-thread memcpy bandwidth of 4 KiB blocks
 *   ring_small_mpps       64-byte packets, millions of packets per second
 *   notify_per_packet     signals (both directions) per 64-byte packet
 *
 * plus the raw figures, and vmbus_ring_4KiB_vs_raw_spsc: the ring against
 * a protocol-free two-thread hand-off of the same 4 KiB blocks (what the
 * two cores can move at all).  Both sides follow the notification protocol of
 * ring.h: the consumer polls with interrupt_mask set for a short while,
 * then unmasks and sleeps on a futex until signalled; the producer polls
 * a full ring briefly, then sets pending_send_sz and sleeps.  The main
 * figures publish every packet (vmbus_ring_send semantics); the *_batch*
 * lines publish 8 (4 KiB) or 32 (64 B) packets per vmbus_ring_flush().
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
#define SPIN_LIMIT	20000
#define RUN_NS		1500000000ull	/* per measurement, bounded */
#define STOP_ID		UINT64_MAX

struct event {
	atomic_uint seq;
	atomic_ulong signals;
};

struct bench {
	struct vmbus_ring w, r;
	uint32_t payload;
	uint32_t batch;		/* packets per vmbus_ring_flush() */
	uint64_t sent, received;
	uint64_t sum_in, sum_out;
	struct event to_reader, to_writer;
	double seconds;
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

static void pin(int cpu)
{
	cpu_set_t set;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void ev_signal(struct event *ev)
{
	ev->signals++;
	ev->seq++;
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

static void *producer(void *arg)
{
	struct bench *b = arg;
	uint8_t buf[4096];
	uint64_t start = now_ns(), id;
	uint32_t need = (uint32_t)vmbus_ring_packet_bytes(16, b->payload);

	pin(0);
	memset(buf, 0x5a, sizeof(buf));
	for (id = 0;; id++) {
		struct vmbus_packet_desc d = { .type = VM_PKT_DATA_INBAND };
		struct vmbus_ring_iov iov = { buf, b->payload };
		int rc, spins = 0;

		if ((id & 1023) == 0 && now_ns() - start > RUN_NS)
			break;
		d.trans_id = id;
		buf[0] = (uint8_t)id;
		while ((rc = vmbus_ring_send_deferred(&b->w, &d, &iov, 1)) == -EAGAIN) {
			unsigned int seen = b->to_writer.seq;

			flush(b);
			if (++spins < SPIN_LIMIT) {
				cpu_relax();
				continue;
			}
			if (vmbus_ring_wait_space(&b->w, need) == 0)
				ev_wait(&b->to_writer, seen);
		}
		if (rc)
			abort();
		b->sum_in += buf[0];
		if ((id + 1) % b->batch == 0)
			flush(b);
	}
	b->sent = id;
	{
		struct vmbus_packet_desc d = { .type = VM_PKT_DATA_INBAND,
					       .trans_id = STOP_ID };

		while (vmbus_ring_send_deferred(&b->w, &d, NULL, 0) == -EAGAIN) {
			flush(b);
			sched_yield();
		}
		flush(b);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	struct bench *b = arg;
	static uint8_t buf[4096];
	struct vmbus_ring_pkt pkt;
	int spins = 0;

	pin(1);
	vmbus_ring_mask(&b->r);
	for (;;) {
		int n;

		while ((n = vmbus_ring_read(&b->r, &pkt, buf, sizeof(buf))) >= 0) {
			if (pkt.desc.trans_id == STOP_ID) {
				vmbus_ring_read_done(&b->r);
				return NULL;
			}
			b->sum_out += buf[0];
			b->received++;
		}
		if (n != -EAGAIN)
			abort();
		if (vmbus_ring_read_done(&b->r) > 0)
			ev_signal(&b->to_writer);
		if (++spins < SPIN_LIMIT) {
			cpu_relax();	/* poll, interrupts still masked */
			continue;
		}
		spins = 0;
		{
			unsigned int seen = b->to_reader.seq;

			if (vmbus_ring_unmask(&b->r) == 0)
				ev_wait(&b->to_reader, seen);
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
 * Baseline without the ring protocol: the same two threads hand 4 KiB
 * blocks through 64 slots of a 256 KiB buffer with one counter each way
 * (copy in, copy out), so the ring's own cost shows apart from the cost of
 * moving data between two cores.
 */
static struct {
	_Atomic uint64_t head, tail;
	uint64_t count;
	uint8_t buf[RING_DATA] __attribute__((aligned(4096)));
} raw;

/* Spin politely; yield now and then so an overcommitted host still runs
 * the other side. */
static void raw_wait(unsigned int *spins)
{
	if (++*spins % 4096)
		cpu_relax();
	else
		sched_yield();
}

static void *raw_producer(void *arg)
{
	static uint8_t src[4096];
	uint64_t start = now_ns(), i;

	(void)arg;
	pin(0);
	memset(src, 3, sizeof(src));
	for (i = 0; (i & 255) || now_ns() - start < RUN_NS / 2; i++) {
		unsigned int spins = 0;

		while (i - atomic_load_explicit(&raw.tail, memory_order_acquire) >=
		       RING_DATA / 4096)
			raw_wait(&spins);
		memcpy(raw.buf + (i % (RING_DATA / 4096)) * 4096, src, 4096);
		atomic_store_explicit(&raw.head, i + 1, memory_order_release);
	}
	raw.count = i;
	atomic_store_explicit(&raw.head, UINT64_MAX, memory_order_release);
	return NULL;
}

static void *raw_consumer(void *arg)
{
	static uint8_t dst[4096];
	uint64_t i, h;

	(void)arg;
	pin(1);
	for (i = 0;; i++) {
		unsigned int spins = 0;

		while ((h = atomic_load_explicit(&raw.head, memory_order_acquire)) <= i)
			raw_wait(&spins);
		if (h == UINT64_MAX && i >= raw.count)
			return NULL;
		memcpy(dst, raw.buf + (i % (RING_DATA / 4096)) * 4096, 4096);
		__asm__ volatile("" : : "r"(dst) : "memory");
		atomic_store_explicit(&raw.tail, i + 1, memory_order_release);
	}
}

static double raw_bytes_per_s(void)
{
	pthread_t tp, tc;
	uint64_t t0 = now_ns();

	pthread_create(&tc, NULL, raw_consumer, NULL);
	pthread_create(&tp, NULL, raw_producer, NULL);
	pthread_join(tp, NULL);
	pthread_join(tc, NULL);
	return (double)raw.count * 4096 / ((double)(now_ns() - t0) / 1e9);
}

/* Single-thread memcpy of 4 KiB blocks into a 256 KiB buffer. */
static double memcpy_bytes_per_s(void)
{
	static uint8_t src[4096], dst[RING_DATA];
	uint64_t t0 = now_ns(), bytes = 0, t;
	uint32_t pos = 0;

	memset(src, 1, sizeof(src));
	do {
		for (int i = 0; i < 256; i++) {
			memcpy(dst + pos, src, sizeof(src));
			__asm__ volatile("" : : "r"(dst) : "memory");
			pos = (pos + 4096) % RING_DATA;
		}
		bytes += 256 * 4096;
		t = now_ns() - t0;
	} while (t < RUN_NS / 2);
	return (double)bytes / ((double)t / 1e9);
}

int main(void)
{
	static struct bench big, small, bigb, smallb;
	double mc, raw_bw, ring_bw, small_pps, small_bw;

	mc = memcpy_bytes_per_s();
	raw_bw = raw_bytes_per_s();
	run(&big, 4096, 1);
	run(&small, 64, 1);
	run(&bigb, 4096, 8);
	run(&smallb, 64, 32);
	ring_bw = (double)big.sent * 4096 / big.seconds;
	small_pps = (double)small.sent / small.seconds;
	small_bw = small_pps * 64;

	printf("ring_vs_memcpy: %.3f\n", ring_bw / mc);
	printf("ring_small_mpps: %.3f\n", small_pps / 1e6);
	printf("notify_per_packet: %.5f\n",
	       (double)(small.to_reader.signals + small.to_writer.signals) /
	       (double)small.sent);
	printf("vmbus_memcpy_4KiB_GBps: %.3f\n", mc / 1e9);
	printf("vmbus_ring_4KiB_GBps: %.3f\n", ring_bw / 1e9);
	printf("vmbus_ring_4KiB_kpps: %.1f\n", (double)big.sent / big.seconds / 1e3);
	printf("vmbus_ring_4KiB_notify_per_packet: %.5f\n",
	       (double)(big.to_reader.signals + big.to_writer.signals) /
	       (double)big.sent);
	printf("vmbus_ring_64B_vs_memcpy: %.3f\n", small_bw / mc);
	printf("vmbus_raw_spsc_4KiB_GBps: %.3f\n", raw_bw / 1e9);
	printf("vmbus_ring_4KiB_vs_raw_spsc: %.3f\n", ring_bw / raw_bw);
	printf("vmbus_ring_4KiB_batch8_vs_memcpy: %.3f\n",
	       (double)bigb.sent * 4096 / bigb.seconds / mc);
	printf("vmbus_ring_4KiB_batch8_vs_raw_spsc: %.3f\n",
	       (double)bigb.sent * 4096 / bigb.seconds / raw_bw);
	printf("vmbus_ring_64B_batch32_mpps: %.3f\n",
	       (double)smallb.sent / smallb.seconds / 1e6);
	printf("vmbus_ring_64B_batch32_notify_per_packet: %.5f\n",
	       (double)(smallb.to_reader.signals + smallb.to_writer.signals) /
	       (double)smallb.sent);
	return 0;
}
