// SPDX-License-Identifier: GPL-2.0
/*
 * Hyper-V CPUID leaves and synthetic MSRs (see mkhv/hyperv.h for the two
 * profiles).  TLFS v6.0 §2.4 (CPUID), §3.13 (hypercall page), §12 (time).
 */
#include <mkhv/arch.h>
#include <mkhv/errno.h>
#include <mkhv/hyperv.h>
#include <mkhv/partition.h>
#include <mkhv/printk.h>
#include <mkhv/string.h>
#include <mkhv/hvcall.h>

/* (a * b) >> 64 without a libgcc call (x86-64: one MUL). */
static u64 mul_hi64(u64 a, u64 b)
{
	__extension__ unsigned __int128 p = (unsigned __int128)a * b;

	return (u64)(p >> 64);
}

u64 hyperv_ref_scale(u64 tsc_hz)
{
	u64 rem = HV_REF_HZ, q = 0;

	/* (10^7 << 64) / tsc_hz by shift-and-subtract (no __udivti3). */
	if (tsc_hz < HV_REF_HZ)
		return 0;
	for (int i = 0; i < 64; i++) {
		bool carry = rem >> 63;

		rem <<= 1;
		q <<= 1;
		if (carry || rem >= tsc_hz) {
			rem -= tsc_hz;
			q |= 1;
		}
	}
	return q;
}

static void build_leaves(struct hyperv_partition *hp,
			 const struct hyperv_config *cfg)
{
	struct cpuid_regs *l = hp->leaf;
	struct cpuid_regs *f = &l[HV_CPUID_FEATURES - HV_CPUID_VENDOR_AND_MAX];

	l[0] = (struct cpuid_regs){ HV_CPUID_MAX_LEAF, HV_CPUID_SIG_EBX,
				    HV_CPUID_SIG_ECX, HV_CPUID_SIG_EDX };
	l[1].eax = HV_CPUID_INTERFACE_HV1;
	/* Build number, major.minor; service pack/branch 0. */
	l[2].eax = MKHV_VERSION_PATCH;
	l[2].ebx = MKHV_VERSION_MAJOR << 16 | MKHV_VERSION_MINOR;
	if (cfg->role == HYPERV_ROLE_PARENT) {
		f->eax = HV_PARENT_FEATURES_EAX;
		f->edx = HV_FEATURE_FREQUENCY_MSRS_AVAILABLE;
	} else {
		f->eax = HV_CHILD_FEATURES_EAX;
		f->ebx = HV_CHILD_FEATURES_EBX;
		f->edx = HV_CHILD_FEATURES_EDX;
	}
	if (!hp->ref_scale)
		f->eax &= ~(HV_MSR_TIME_REF_COUNT_AVAILABLE |
			    HV_MSR_REFERENCE_TSC_AVAILABLE);
	if (!hp->ref_scale || !hp->apic_hz) {
		f->eax &= ~HV_ACCESS_FREQUENCY_MSRS;
		f->edx &= ~HV_FEATURE_FREQUENCY_MSRS_AVAILABLE;
	}
	f->ebx &= ~HV_NEVER_EBX;
	if (cfg->role == HYPERV_ROLE_PARENT)
		l[4].eax = HV_DEPRECATING_AEOI_RECOMMENDED;
	l[4].ebx = 0xffffffff;	/* spinlock retries: never notify */
	l[5].eax = cfg->nr_vps;
	l[5].ebx = cfg->nr_lps;
}

void hyperv_partition_init(struct hyperv_partition *hp,
			   const struct hyperv_config *cfg)
{
	memset(hp, 0, sizeof(*hp));
	spin_lock_init(&hp->hyperv_lock);
	hp->role = cfg->role;
	hp->tsc_hz = cfg->tsc_hz;
	hp->apic_hz = cfg->apic_hz;
	hp->ref_scale = hyperv_ref_scale(cfg->tsc_hz);
	hp->ref_offset = -(s64)mul_hi64(arch_read_tsc(), hp->ref_scale);
	build_leaves(hp, cfg);
}

void hyperv_vp_init(struct hyperv_vp *hvp, u32 vp_index)
{
	memset(hvp, 0, sizeof(*hvp));
	hvp->vp_index = vp_index;
}

static u32 features_eax(const struct hyperv_partition *hp)
{
	return hp->leaf[HV_CPUID_FEATURES - HV_CPUID_VENDOR_AND_MAX].eax;
}

bool hyperv_cpuid(const struct hv_vp *vp, u32 leaf, struct cpuid_regs *r)
{
	const struct hyperv_partition *hp = &vp->part->hv;

	if (leaf < HV_SYNTHETIC_MSR_FIRST || leaf > 0x4000ffff)
		return false;
	*r = (struct cpuid_regs){ 0 };
	if (leaf <= HV_CPUID_MAX_LEAF) {
		*r = hp->leaf[leaf - HV_CPUID_VENDOR_AND_MAX];
	} else if (leaf == MKHV_CPUID_IDENT) {
		r->eax = MKHV_CPUID_HVCALL;
		r->ebx = MKHV_CPUID_SIGNATURE;
		r->ecx = MKHV_VERSION_CODE;
		r->edx = vp->part->is_parent ?
			 MKHV_FEAT_GET_INFO | MKHV_FEAT_LOG_READ |
			 MKHV_FEAT_PARENT : 0;
	} else if (leaf == MKHV_CPUID_HVCALL) {
		r->eax = HVCALL_MKHV_BASE;
		r->ebx = HVCALL_MKHV_COUNT;
		r->ecx = MKHV_HVCALL_ABI_VERSION;
	}
	return true;
}

void hyperv_cpuid_fixup(const struct hv_vp *vp, u32 leaf,
			struct cpuid_regs *r)
{
	const struct hyperv_partition *hp = &vp->part->hv;

	if (leaf == 1)
		cpuid_set_hypervisor_bit(r);
	if (leaf == 0x80000007 &&
	    (features_eax(hp) & HV_ACCESS_TSC_INVARIANT) &&
	    !(__atomic_load_n(&hp->tsc_invariant_ctl, __ATOMIC_RELAXED) &
	      HV_TSC_INVARIANT_ENABLE))
		r->edx &= ~(1U << 8);
}

u64 hyperv_ref_to_tsc(const struct hyperv_partition *hp, u64 ref)
{
	u64 r = ref - (u64)hp->ref_offset;

	if (!hp->tsc_hz)
		return 0;
	/* Inverse of hyperv_ref_time(): ticks = r * tsc_hz / 10 MHz. */
	return (u64)(((unsigned __int128)r * hp->tsc_hz) / HV_REF_HZ);
}

u64 hyperv_ticks_to_ref(const struct hyperv_partition *hp, u64 ticks)
{
	return mul_hi64(ticks, hp->ref_scale);
}

u64 hyperv_ref_time(const struct hyperv_partition *hp)
{
	return mul_hi64(arch_read_tsc(), hp->ref_scale) + (u64)hp->ref_offset;
}

static bool offered(const struct hyperv_partition *hp, u32 bit)
{
	return features_eax(hp) & bit;
}

/* MSRs that exist only when their 0x40000003.EAX bit is offered. */
static bool msr_offered(const struct hyperv_partition *hp, u32 msr)
{
	switch (msr) {
	case HV_X64_MSR_TIME_REF_COUNT:
		return offered(hp, HV_MSR_TIME_REF_COUNT_AVAILABLE);
	case HV_X64_MSR_REFERENCE_TSC:
		return offered(hp, HV_MSR_REFERENCE_TSC_AVAILABLE);
	case HV_X64_MSR_TSC_FREQUENCY:
	case HV_X64_MSR_APIC_FREQUENCY:
		return offered(hp, HV_ACCESS_FREQUENCY_MSRS);
	case HV_X64_MSR_TSC_INVARIANT_CONTROL:
		return offered(hp, HV_ACCESS_TSC_INVARIANT);
	default:
		return true;
	}
}

int hyperv_msr_read(struct hv_vp *vp, u32 msr, u64 *val)
{
	struct hyperv_partition *hp = &vp->part->hv;
	int ret = 0;

	if (!msr_offered(hp, msr))
		return -EINVAL;
	spin_lock(&hp->hyperv_lock);
	switch (msr) {
	case HV_X64_MSR_GUEST_OS_ID:
		*val = hp->guest_os_id;
		break;
	case HV_X64_MSR_HYPERCALL:
		*val = hp->hypercall;
		break;
	case HV_X64_MSR_VP_INDEX:
		*val = vp->hv.vp_index;
		break;
	case HV_X64_MSR_VP_ASSIST_PAGE:
		*val = vp->hv.vp_assist;
		break;
	case HV_X64_MSR_TIME_REF_COUNT:
		*val = hyperv_ref_time(hp);
		break;
	case HV_X64_MSR_REFERENCE_TSC:
		*val = hp->ref_tsc;
		break;
	case HV_X64_MSR_TSC_FREQUENCY:
		*val = hp->tsc_hz;
		break;
	case HV_X64_MSR_APIC_FREQUENCY:
		*val = hp->apic_hz;
		break;
	case HV_X64_MSR_TSC_INVARIANT_CONTROL:
		*val = hp->tsc_invariant_ctl;
		break;
	default:
		ret = -EINVAL;
		break;
	}
	spin_unlock(&hp->hyperv_lock);
	return ret;
}

/* TLFS §3.13: the page reads as the call stub; the rest is int3. */
static int write_hypercall_page(struct hv_partition *part, gpa_t gpa)
{
	u8 chunk[256];
	size_t n;
	int ret = 0;

	for (size_t off = 0; off < PAGE_SIZE && !ret; off += sizeof(chunk)) {
		memset(chunk, 0xcc, sizeof(chunk));
		if (off == 0) {
			n = arch_hypercall_stub(chunk, sizeof(chunk));
			if (!n)
				return -EINVAL;
		}
		ret = arch_copy_to_guest(part, gpa + off, chunk, sizeof(chunk));
	}
	return ret;
}

/* hyperv_lock held. */
static int write_hypercall_msr(struct hv_vp *vp, u64 val)
{
	struct hyperv_partition *hp = &vp->part->hv;

	if (val & HV_HYPERCALL_RSVD)
		return -EINVAL;
	if (hp->hypercall & HV_HYPERCALL_LOCKED)
		return 0;	/* immutable until partition reset */
	/* No hypercall page before the guest has said who it is. */
	if (!hp->guest_os_id)
		val &= ~HV_HYPERCALL_ENABLE;
	if ((val & HV_HYPERCALL_ENABLE) &&
	    write_hypercall_page(vp->part, val & PAGE_MASK)) {
		pr_warn("hv: partition %u: hypercall page GPA %llx refused\n",
			vp->part->id, (unsigned long long)(val & PAGE_MASK));
		return -EINVAL;
	}
	hp->hypercall = val;
	return 0;
}

/* hyperv_lock held. */
static int write_ref_tsc_msr(struct hv_vp *vp, u64 val)
{
	struct hyperv_partition *hp = &vp->part->hv;
	struct hv_ref_tsc_page pg = {
		.tsc_sequence = 1,
		.tsc_scale = hp->ref_scale,
		.tsc_offset = hp->ref_offset,
	};

	if (val & HV_PAGE_MSR_RSVD)
		return -EINVAL;
	if ((val & HV_PAGE_MSR_ENABLE) &&
	    arch_copy_to_guest(vp->part, val & PAGE_MASK, &pg, sizeof(pg)))
		return -EINVAL;
	hp->ref_tsc = val;
	return 0;
}

int hyperv_msr_write(struct hv_vp *vp, u32 msr, u64 val)
{
	struct hyperv_partition *hp = &vp->part->hv;
	int ret = 0;

	if (!msr_offered(hp, msr))
		return -EINVAL;
	spin_lock(&hp->hyperv_lock);
	switch (msr) {
	case HV_X64_MSR_GUEST_OS_ID:
		hp->guest_os_id = val;
		if (!val)
			hp->hypercall &= ~HV_HYPERCALL_ENABLE;
		break;
	case HV_X64_MSR_HYPERCALL:
		ret = write_hypercall_msr(vp, val);
		break;
	case HV_X64_MSR_VP_ASSIST_PAGE:
		/* Linux 6.1 writes it unconditionally; the page is unused. */
		if (val & HV_PAGE_MSR_RSVD)
			ret = -EINVAL;
		else
			vp->hv.vp_assist = val;
		break;
	case HV_X64_MSR_REFERENCE_TSC:
		ret = write_ref_tsc_msr(vp, val);
		break;
	case HV_X64_MSR_TSC_INVARIANT_CONTROL:
		if (val & ~HV_TSC_INVARIANT_ENABLE)
			ret = -EINVAL;
		else
			__atomic_store_n(&hp->tsc_invariant_ctl, val,
					 __ATOMIC_RELAXED);
		break;
	default:
		/* VP_INDEX, TIME_REF_COUNT, frequencies: read-only; rest unknown. */
		ret = -EINVAL;
		break;
	}
	spin_unlock(&hp->hyperv_lock);
	return ret;
}
