// SPDX-License-Identifier: GPL-2.0
/*
 * Child-pool scheduler: per-pCPU run queues with stride scheduling (see
 * mkhv/sched.h).  Queues are short (a few VPs per pCPU), so a linear scan
 * for the minimum vruntime is cheaper than any tree.
 */
#include <mkhv/errno.h>
#include <mkhv/sched.h>
#include <mkhv/spinlock.h>

struct run_queue {
	spinlock_t rq_lock;		/* protects everything below */
	struct hv_vp *vps[SCHED_MAX_PER_CPU];
	u32 n;
};

static struct run_queue queues[SCHED_MAX_POOL];
static u32 nr_pool;

void sched_init(u32 nr)
{
	u32 i;

	/* Queues first: pool pCPUs may already be asking (nr_pool 0 = none). */
	for (i = 0; i < SCHED_MAX_POOL; i++) {
		spin_lock_init(&queues[i].rq_lock);
		queues[i].n = 0;
	}
	__atomic_store_n(&nr_pool, nr > SCHED_MAX_POOL ? SCHED_MAX_POOL : nr,
			 __ATOMIC_RELEASE);
}

u32 sched_nr_pool(void)
{
	return nr_pool;
}

/*
 * The smallest vruntime among the queue's other VPs that compete for the
 * CPU (runnable, not halted): where a newcomer or a waking VP starts.
 * @fallback when there is none.
 */
static u64 min_vruntime(const struct run_queue *q, const struct hv_vp *self,
			u64 fallback)
{
	u64 m = ~0ull;
	u32 i;

	for (i = 0; i < q->n; i++) {
		const struct hv_vp *v = q->vps[i];

		if (v == self || v->halted || v->state != VP_RUNNABLE)
			continue;
		if (v->vruntime < m)
			m = v->vruntime;
	}
	return m == ~0ull ? fallback : m;
}

int sched_attach(struct hv_vp *vp)
{
	u32 i, best = 0;
	struct run_queue *q;

	if (vp->sched_attached)
		return 0;
	if (!nr_pool)
		return -ENOSPC;
	/* Least loaded queue; ties go to the lowest slot. */
	for (i = 1; i < nr_pool; i++)
		if (__atomic_load_n(&queues[i].n, __ATOMIC_RELAXED) <
		    __atomic_load_n(&queues[best].n, __ATOMIC_RELAXED))
			best = i;
	q = &queues[best];
	spin_lock(&q->rq_lock);
	if (q->n == SCHED_MAX_PER_CPU) {
		spin_unlock(&q->rq_lock);
		return -ENOSPC;
	}
	vp->vruntime = min_vruntime(q, vp, 0);
	vp->sched_cpu = best;
	q->vps[q->n++] = vp;
	vp->sched_attached = true;
	spin_unlock(&q->rq_lock);
	return 0;
}

void sched_detach(struct hv_vp *vp)
{
	struct run_queue *q;
	u32 i;

	if (!vp->sched_attached)
		return;
	q = &queues[vp->sched_cpu];
	spin_lock(&q->rq_lock);
	for (i = 0; i < q->n; i++) {
		if (q->vps[i] == vp) {
			q->vps[i] = q->vps[--q->n];
			break;
		}
	}
	vp->sched_attached = false;
	spin_unlock(&q->rq_lock);
}

/* ---- caps ---- */

static u64 cap_period(const struct hv_partition *p)
{
	return p->hv.tsc_hz / 1000 * SCHED_CAP_PERIOD_MS;
}

static u64 cap_budget(const struct hv_partition *p)
{
	return cap_period(p) / 1000 * p->cpu_cap_permille;
}

static bool capped(const struct hv_partition *p)
{
	return p->cpu_cap_permille && cap_period(p);
}

/* cap_lock held: start a new period if @now is past the current one. */
static void cap_roll(struct hv_partition *p, u64 now)
{
	if (now - p->cap_period_start >= cap_period(p)) {
		p->cap_period_start = now;
		p->cap_used = 0;
	}
}

u64 sched_budget(struct hv_vp *vp, u64 now)
{
	struct hv_partition *p = vp->part;
	u64 left;

	if (!capped(p))
		return ~0ull;
	spin_lock(&p->cap_lock);
	cap_roll(p, now);
	left = p->cap_used < cap_budget(p) ? cap_budget(p) - p->cap_used : 0;
	spin_unlock(&p->cap_lock);
	return left;
}

/* 0 if @p may run at @now, else when its next period starts. */
static u64 throttled_until(struct hv_partition *p, u64 now)
{
	u64 until = 0;

	if (!capped(p))
		return 0;
	spin_lock(&p->cap_lock);
	cap_roll(p, now);
	if (p->cap_used >= cap_budget(p))
		until = p->cap_period_start + cap_period(p);
	spin_unlock(&p->cap_lock);
	return until;
}

struct hv_vp *sched_pick(u32 cpu, u64 now, u64 *wake_at)
{
	struct run_queue *q;
	struct hv_vp *best = NULL;
	u32 i;

	if (wake_at)
		*wake_at = 0;
	if (cpu >= __atomic_load_n(&nr_pool, __ATOMIC_ACQUIRE))
		return NULL;
	q = &queues[cpu];
	spin_lock(&q->rq_lock);
	for (i = 0; i < q->n; i++) {
		struct hv_vp *vp = q->vps[i];
		u64 until;

		if (__atomic_load_n(&vp->state, __ATOMIC_ACQUIRE) != VP_RUNNABLE ||
		    __atomic_load_n(&vp->halted, __ATOMIC_ACQUIRE) ||
		    __atomic_load_n(&vp->wait_sipi, __ATOMIC_ACQUIRE))
			continue;
		until = throttled_until(vp->part, now);
		if (until) {
			if (wake_at && (!*wake_at || until < *wake_at))
				*wake_at = until;
			continue;
		}
		if (!best || vp->vruntime < best->vruntime)
			best = vp;
	}
	spin_unlock(&q->rq_lock);
	return best;
}

void sched_ran(struct hv_vp *vp, u64 now, u64 ticks)
{
	struct hv_partition *p = vp->part;
	u32 w = p->cpu_weight ? p->cpu_weight : SCHED_WEIGHT_DEFAULT;
	struct run_queue *q = &queues[vp->sched_cpu];

	if (capped(p)) {
		spin_lock(&p->cap_lock);
		cap_roll(p, now - ticks);
		p->cap_used += ticks;
		spin_unlock(&p->cap_lock);
	}

	/* Read without the lock by GetVpRegisters(HvRegisterVpRuntime). */
	__atomic_add_fetch(&vp->run_ticks, ticks, __ATOMIC_RELAXED);
	spin_lock(&q->rq_lock);
	/* Weight 1..262144 (libvirt's shares range): no overflow for years. */
	vp->vruntime += ticks * SCHED_WEIGHT_DEFAULT / w;
	spin_unlock(&q->rq_lock);
}

/* rq_lock held. */
static void wake_locked(struct run_queue *q, struct hv_vp *vp)
{
	u64 m = min_vruntime(q, vp, vp->vruntime);

	if (vp->vruntime < m)
		vp->vruntime = m;
	__atomic_store_n(&vp->halted, 0, __ATOMIC_RELEASE);
}

void sched_wake(struct hv_vp *vp)
{
	struct run_queue *q = &queues[vp->sched_cpu];

	spin_lock(&q->rq_lock);
	wake_locked(q, vp);
	spin_unlock(&q->rq_lock);
}

void sched_wake_locked(struct hv_vp *vp)
{
	wake_locked(&queues[vp->sched_cpu], vp);
}

void sched_for_each(u32 cpu, void (*fn)(struct hv_vp *vp, void *ctx),
		    void *ctx)
{
	struct run_queue *q;
	u32 i;

	if (cpu >= __atomic_load_n(&nr_pool, __ATOMIC_ACQUIRE))
		return;
	q = &queues[cpu];
	spin_lock(&q->rq_lock);
	for (i = 0; i < q->n; i++)
		fn(q->vps[i], ctx);
	spin_unlock(&q->rq_lock);
}
