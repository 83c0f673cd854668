// SPDX-License-Identifier: GPL-2.0
/*
 * Hyper-V synthetic timers (see mkhv/stimer.h).  TLFS §12.10 semantics:
 * writing COUNT with AUTO_ENABLE set enables the timer; COUNT 0 disables
 * it; one-shot COUNT is an absolute reference time, periodic COUNT a
 * period; a one-shot timer clears ENABLE when it fires.
 */
#include <mkhv/errno.h>
#include <mkhv/stimer.h>
#include <mkhv/vlapic.h>

static void arm(struct hv_stimer *t, u64 now)
{
	if (!(t->config & HV_STIMER_ENABLE) || !t->count) {
		t->due = 0;
		return;
	}
	if (t->config & HV_STIMER_PERIODIC)
		t->due = now + t->count;
	else	/* absolute; a time in the past fires at the next check */
		t->due = t->count ? t->count : 1;
}

int stimer_rdmsr(const struct hv_stimers *s, u32 msr, u64 *val)
{
	const struct hv_stimer *t;

	if (!stimer_is_msr(msr))
		return -EINVAL;
	t = &s->t[(msr - HV_X64_MSR_STIMER0_CONFIG) / 2];
	*val = (msr & 1) ? t->count : t->config;
	return 0;
}

int stimer_wrmsr(struct hv_stimers *s, u32 msr, u64 val, u64 now)
{
	struct hv_stimer *t;

	if (!stimer_is_msr(msr))
		return -EINVAL;
	t = &s->t[(msr - HV_X64_MSR_STIMER0_CONFIG) / 2];
	if (msr & 1) {				/* COUNT */
		t->count = val;
		if (!val)
			t->config &= ~HV_STIMER_ENABLE;
		else if (t->config & HV_STIMER_AUTO_ENABLE)
			t->config |= HV_STIMER_ENABLE;
	} else {				/* CONFIG */
		u8 vector = (u8)(val >> HV_STIMER_VECTOR_SHIFT);

		if (val & ~HV_STIMER_CONFIG_VALID)
			return -EINVAL;
		if ((val & HV_STIMER_DIRECT) && (val & HV_STIMER_ENABLE) &&
		    vector < 16)
			return -EINVAL;
		t->config = val;
	}
	arm(t, now);
	return 0;
}

int stimer_check(struct hv_stimers *s, struct vlapic *vl, u64 now)
{
	int i, fired = 0;

	for (i = 0; i < HV_STIMER_COUNT; i++) {
		struct hv_stimer *t = &s->t[i];

		if (!t->due || now < t->due)
			continue;
		fired++;
		if (t->config & HV_STIMER_DIRECT)
			vlapic_accept(vl, (u8)(t->config >>
					       HV_STIMER_VECTOR_SHIFT));
		if (t->config & HV_STIMER_PERIODIC) {
			t->due += t->count;
			if (t->due <= now)	/* missed periods: no burst */
				t->due = now + t->count;
		} else {
			t->config &= ~HV_STIMER_ENABLE;
			t->due = 0;
		}
	}
	return fired;
}

u64 stimer_next_due(const struct hv_stimers *s)
{
	u64 m = 0;
	int i;

	for (i = 0; i < HV_STIMER_COUNT; i++)
		if (s->t[i].due && (!m || s->t[i].due < m))
			m = s->t[i].due;
	return m;
}
