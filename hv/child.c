// SPDX-License-Identifier: GPL-2.0
/*
 * Child partitions (issue 7): the table, their lifecycle and the
 * parent-only root hypercalls.  Every input comes from the parent's VMM
 * and is treated as hostile: ids, states, flags and reserved fields are
 * checked before anything changes, and every page a child receives is
 * checked against the ownership table first (DESIGN §4), all-or-nothing
 * per page.
 *
 * Locking: child_table_lock protects slot allocation; each partition's
 * part_lock protects its fields and VP array.  Hypercalls come from the
 * parent's single vCPU; pool pCPUs only touch VP state (atomics) and call
 * child_post_intercept().
 */
#include <mkhv/arch.h>
#include <mkhv/child.h>
#include <mkhv/intercept.h>
#include <mkhv/errno.h>
#include <mkhv/lib.h>
#include <mkhv/mm.h>
#include <mkhv/port.h>
#include <mkhv/printk.h>
#include <mkhv/string.h>

#define VP_PAGES	((sizeof(struct hv_vp) + PAGE_SIZE - 1) / PAGE_SIZE)
#define CHILD_GPA_LIMIT	(MKHV_MAX_CHILD_PAGES << HV_PAGE_SHIFT)

static struct hv_partition children[MKHV_MAX_CHILDREN];
static spinlock_t child_table_lock = SPINLOCK_INIT;
static struct hv_partition *parent_part;
static struct ownership *own;
static void *vp_cache;		/* freed VP objects, linked through word 0 */

void child_init(struct hv_partition *parent, struct ownership *o)
{
	parent_part = parent;
	own = o;
	port_init(parent, o);
}

struct hv_partition *child_get(u64 id)
{
	struct hv_partition *p;

	if (id < 1 || id > MKHV_MAX_CHILDREN)
		return NULL;
	p = &children[id - 1];
	return __atomic_load_n(&p->state, __ATOMIC_ACQUIRE) == PART_FREE ? NULL : p;
}

/* ---- VP objects: VP_PAGES contiguous pages, recycled through a cache ---- */

static struct hv_vp *vp_alloc(void)
{
	void *v;

	spin_lock(&child_table_lock);
	v = vp_cache;
	if (v)
		vp_cache = *(void **)v;
	spin_unlock(&child_table_lock);
	if (!v)
		return mm_alloc_pages(VP_PAGES);
	memset(v, 0, VP_PAGES * PAGE_SIZE);
	return v;
}

static void vp_free(struct hv_vp *vp)
{
	spin_lock(&child_table_lock);
	*(void **)vp = vp_cache;
	vp_cache = vp;
	spin_unlock(&child_table_lock);
}

/* ---- helpers ---- */

static bool all_zero(const void *p, size_t n)
{
	const u8 *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

struct hv_partition *child_lock(u64 id, u16 *st)
{
	struct hv_partition *p = child_get(id);

	if (!p) {
		*st = HV_STATUS_INVALID_PARTITION_ID;
		return NULL;
	}
	spin_lock(&p->part_lock);
	if (p->state == PART_FREE) {	/* deleted while we looked */
		spin_unlock(&p->part_lock);
		*st = HV_STATUS_INVALID_PARTITION_ID;
		return NULL;
	}
	*st = HV_STATUS_SUCCESS;
	return p;
}

static void stop_vps(struct hv_partition *p)
{
	u32 i;

	for (i = 0; i < MKHV_MAX_CHILD_VPS; i++)
		if (p->vps[i])
			arch_vp_stop(p->vps[i]);
}

/* ---- lifecycle ---- */

u16 hc_create_partition(struct hypercall_args *a)
{
	struct hv_input_create_partition in;
	struct hyperv_config hc = { .role = HYPERV_ROLE_CHILD };
	struct hv_partition *p = NULL;
	u32 i;

	memcpy(&in, a->in, sizeof(in));
	if (in.flags || in.padding || in.creation_properties[0] ||
	    in.creation_properties[1] || in.isolation_properties || in.reserved)
		return HV_STATUS_INVALID_PARAMETER;
	if (in.max_vps > MKHV_MAX_CHILD_VPS ||
	    in.cpu_cap_permille > 1000u * MKHV_MAX_CHILD_VPS)
		return HV_STATUS_INVALID_PARAMETER;

	spin_lock(&child_table_lock);
	for (i = 0; i < MKHV_MAX_CHILDREN && !p; i++)
		if (children[i].state == PART_FREE)
			p = &children[i];
	if (p) {
		memset(p, 0, sizeof(*p));
		p->id = i;	/* i is one past the slot: ids start at 1 */
		p->state = PART_CREATED;
	}
	spin_unlock(&child_table_lock);
	if (!p)
		return HV_STATUS_NO_RESOURCES;

	p->max_vps = in.max_vps ? in.max_vps : 1;
	p->cpu_weight = in.cpu_weight ? in.cpu_weight : 1024;
	p->cpu_cap_permille = in.cpu_cap_permille;
	hc.nr_vps = p->max_vps;
	hc.nr_lps = a->vp->part->hv.leaf[5].ebx;	/* what the parent sees */
	hc.tsc_hz = a->vp->part->hv.tsc_hz;
	hc.apic_hz = a->vp->part->hv.apic_hz;
	hyperv_partition_init(&p->hv, &hc);
	if (arch_partition_create(p)) {
		__atomic_store_n(&p->state, PART_FREE, __ATOMIC_RELEASE);
		return HV_STATUS_INSUFFICIENT_MEMORY;
	}
	memcpy(a->out, &(u64){ p->id }, sizeof(u64));
	pr_info("partition %u created (%u VPs, weight %u)\n", p->id, p->max_vps,
		p->cpu_weight);
	return HV_STATUS_SUCCESS;
}

static u16 transition(struct hypercall_args *a, enum partition_state from,
		      enum partition_state to)
{
	struct hv_input_partition_id in;
	struct hv_partition *p;
	u16 st = HV_STATUS_SUCCESS;

	memcpy(&in, a->in, sizeof(in));
	p = child_lock(in.partition_id, &st);
	if (!p)
		return st;
	if (p->state != from && !(to == PART_FINALIZED &&
				  p->state == PART_CREATED))
		st = HV_STATUS_INVALID_PARTITION_STATE;
	else
		p->state = to;
	spin_unlock(&p->part_lock);
	if (st == HV_STATUS_SUCCESS && to == PART_FINALIZED)
		stop_vps(p);
	return st;
}

u16 hc_initialize_partition(struct hypercall_args *a)
{
	return transition(a, PART_CREATED, PART_INITIALIZED);
}

u16 hc_finalize_partition(struct hypercall_args *a)
{
	return transition(a, PART_INITIALIZED, PART_FINALIZED);
}

/*
 * Delete works from any state: it stops the VPs, frees them, drops the
 * second-level tables and gives every lent page back to the parent.
 */
u16 hc_delete_partition(struct hypercall_args *a)
{
	struct hv_input_partition_id in;
	struct hv_partition *p;
	u64 returned;
	u16 st;
	u32 i;

	memcpy(&in, a->in, sizeof(in));
	p = child_lock(in.partition_id, &st);
	if (!p)
		return st;
	p->state = PART_FINALIZED;	/* no new VP may start */
	spin_unlock(&p->part_lock);
	stop_vps(p);
	for (i = 0; i < MKHV_MAX_CHILD_VPS; i++) {
		if (!p->vps[i])
			continue;
		arch_vp_destroy(p->vps[i]);
		vp_free(p->vps[i]);
		p->vps[i] = NULL;
	}
	arch_partition_destroy(p);
	intercept_free(p);
	port_free(p);	/* the VPs are stopped: no child call is running */
	returned = ownership_release_child(own, (u16)p->id);
	pr_info("partition %u deleted: %llu pages back to the parent\n", p->id,
		(unsigned long long)returned);
	__atomic_store_n(&p->state, PART_FREE, __ATOMIC_RELEASE);
	return HV_STATUS_SUCCESS;
}

/* ---- memory ---- */

static bool may_change_memory(const struct hv_partition *p)
{
	return p->state == PART_CREATED || p->state == PART_INITIALIZED;
}

static u16 map_one(struct hv_partition *p, u64 gfn, u64 pfn, u32 flags)
{
	hpa_t hpa = pfn << HV_PAGE_SHIFT;
	int ret;

	if (pfn >= (1ull << (52 - HV_PAGE_SHIFT)))
		return HV_STATUS_INVALID_PARAMETER;
	ret = ownership_assign_to_child(own, (u16)p->id, hpa, 1);
	if (ret == -EPERM || ret == -EBUSY)
		return HV_STATUS_ACCESS_DENIED;	/* not parent RAM, or lent */
	if (ret)
		return HV_STATUS_INVALID_PARAMETER;
	ret = arch_gpa_map(p, gfn << HV_PAGE_SHIFT, hpa, flags);
	if (ret) {
		ownership_release(own, (u16)p->id, hpa, 1);
		return ret == -ENOMEM ? HV_STATUS_INSUFFICIENT_MEMORY :
					HV_STATUS_INVALID_PARAMETER;
	}
	p->nr_mapped++;
	return HV_STATUS_SUCCESS;
}

u16 hc_map_gpa_pages(struct hypercall_args *a)
{
	struct hv_input_map_gpa_pages in;
	const u64 *src = (const u64 *)(a->in + sizeof(in));
	struct hv_partition *p;
	u16 st;

	memcpy(&in, a->in, sizeof(in));
	if (in.padding || !(in.map_flags & HV_MAP_GPA_READABLE) ||
	    (in.map_flags & ~HV_MAP_GPA_PERMISSIONS_MASK))
		return HV_STATUS_INVALID_PARAMETER;
	if (in.target_gpa_base >= MKHV_MAX_CHILD_PAGES ||
	    a->ctl->rep_count > MKHV_MAX_CHILD_PAGES - in.target_gpa_base)
		return HV_STATUS_INVALID_PARAMETER;
	p = child_lock(in.target_partition_id, &st);
	if (!p)
		return st;
	st = may_change_memory(p) ? HV_STATUS_SUCCESS :
				    HV_STATUS_INVALID_PARTITION_STATE;
	for (; st == HV_STATUS_SUCCESS && a->reps_done < a->ctl->rep_count;
	     a->reps_done++) {
		u64 pfn;

		memcpy(&pfn, &src[a->reps_done], sizeof(pfn));
		st = map_one(p, in.target_gpa_base + a->reps_done, pfn,
			     in.map_flags);
		if (st != HV_STATUS_SUCCESS)
			break;
	}
	spin_unlock(&p->part_lock);
	return st;
}

u16 hc_unmap_gpa_pages(struct hypercall_args *a)
{
	struct hv_input_unmap_gpa_pages in;
	struct hv_partition *p;
	u16 st;

	memcpy(&in, a->in, sizeof(in));
	if (in.unmap_flags || in.padding ||
	    in.target_gpa_base >= MKHV_MAX_CHILD_PAGES ||
	    a->ctl->rep_count > MKHV_MAX_CHILD_PAGES - in.target_gpa_base)
		return HV_STATUS_INVALID_PARAMETER;
	p = child_lock(in.target_partition_id, &st);
	if (!p)
		return st;
	st = may_change_memory(p) ? HV_STATUS_SUCCESS :
				    HV_STATUS_INVALID_PARTITION_STATE;
	for (; st == HV_STATUS_SUCCESS && a->reps_done < a->ctl->rep_count;
	     a->reps_done++) {
		gpa_t gpa = (in.target_gpa_base + a->reps_done) << HV_PAGE_SHIFT;
		hpa_t hpa;

		if (arch_gpa_unmap(p, gpa, &hpa)) {
			st = HV_STATUS_INVALID_PARAMETER;
			break;
		}
		ownership_release(own, (u16)p->id, hpa, 1);
		p->nr_mapped--;
	}
	spin_unlock(&p->part_lock);
	return st;
}

/* ---- VPs ---- */

u16 hc_create_vp(struct hypercall_args *a)
{
	struct hv_input_create_vp in;
	struct hv_partition *p;
	struct hv_vp *vp;
	u16 st;

	memcpy(&in, a->in, sizeof(in));
	if (!all_zero(in.padding, sizeof(in.padding)) || in.subnode_type ||
	    in.subnode_id || in.flags)
		return HV_STATUS_INVALID_PARAMETER;
	p = child_lock(in.partition_id, &st);
	if (!p)
		return st;
	if (!may_change_memory(p))
		st = HV_STATUS_INVALID_PARTITION_STATE;
	else if (in.vp_index >= p->max_vps)
		st = HV_STATUS_INVALID_VP_INDEX;
	else if (p->vps[in.vp_index])
		st = HV_STATUS_INVALID_VP_STATE;	/* exists already */
	else if (!(vp = vp_alloc()))
		st = HV_STATUS_INSUFFICIENT_MEMORY;
	if (st != HV_STATUS_SUCCESS) {
		spin_unlock(&p->part_lock);
		return st;
	}
	vp->part = p;
	vp->index = in.vp_index;
	hyperv_vp_init(&vp->hv, in.vp_index);
	vlapic_init(&vp->vlapic, in.vp_index, p->hv.tsc_hz, p->hv.apic_hz);
	/* vp_alloc() zeroed the synthetic timers: all disabled. */
	synic_init(&vp->synic);
	synic_inbox_init(&vp->inbox);
	/* APs wait for their SIPI from VP 0, as on hardware. */
	vp->wait_sipi = in.vp_index != 0;
	if (arch_vp_create(vp)) {
		vp_free(vp);
		st = HV_STATUS_INSUFFICIENT_MEMORY;
	} else {
		p->vps[in.vp_index] = vp;
	}
	spin_unlock(&p->part_lock);
	return st;
}

/*
 * The VP named by a register call, locked in its partition; unless
 * @running_ok, only if it is not running (its VMCB/VMCS is then stable).
 */
static struct hv_vp *call_vp(const struct hv_input_vp_registers *in,
			     struct hv_partition **pp, u16 *st, bool running_ok)
{
	struct hv_partition *p;
	struct hv_vp *vp;
	u32 s;

	if (in->input_vtl || !all_zero(in->padding, sizeof(in->padding))) {
		*st = HV_STATUS_INVALID_PARAMETER;
		return NULL;
	}
	p = child_lock(in->partition_id, st);
	if (!p)
		return NULL;
	vp = in->vp_index < MKHV_MAX_CHILD_VPS ? p->vps[in->vp_index] : NULL;
	s = vp ? __atomic_load_n(&vp->state, __ATOMIC_ACQUIRE) : 0;
	if (!vp)
		*st = HV_STATUS_INVALID_VP_INDEX;
	else if (!running_ok && (s == VP_RUNNABLE || s == VP_RUNNING))
		*st = HV_STATUS_INVALID_VP_STATE;
	if (*st != HV_STATUS_SUCCESS) {
		spin_unlock(&p->part_lock);
		return NULL;
	}
	*pp = p;
	return vp;
}

/* Registers that are not in the VMCB/VMCS: readable while the VP runs. */
static int get_reg(struct hv_vp *vp, u32 name, struct hv_register_value *v)
{
	if (name == HV_REGISTER_VP_RUNTIME) {
		v->low = hyperv_ticks_to_ref(&vp->part->hv,
			__atomic_load_n(&vp->run_ticks, __ATOMIC_RELAXED));
		v->high = 0;
		return 0;
	}
	if (name == HV_REGISTER_TIME_REF_COUNT) {
		v->low = hyperv_ref_time(&vp->part->hv);
		v->high = 0;
		return 0;
	}
	if (name == MKHV_REGISTER_VP_EXITS) {
		v->low = __atomic_load_n(&vp->nr_exits, __ATOMIC_RELAXED);
		v->high = 0;
		return 0;
	}
	return arch_vp_get_reg(vp, name, v);
}

u16 hc_get_vp_registers(struct hypercall_args *a)
{
	struct hv_input_vp_registers in;
	const u8 *names = a->in + sizeof(in);
	struct hv_partition *p;
	struct hv_vp *vp;
	u16 st = HV_STATUS_SUCCESS;
	bool stats_only = true;
	u32 i, name;

	memcpy(&in, a->in, sizeof(in));
	for (i = a->reps_done; i < a->ctl->rep_count && stats_only; i++) {
		memcpy(&name, names + 4 * i, 4);
		stats_only = hv_register_is_statistic(name);
	}
	vp = call_vp(&in, &p, &st, stats_only);
	if (!vp)
		return st;
	for (; a->reps_done < a->ctl->rep_count; a->reps_done++) {
		struct hv_register_value v;

		memcpy(&name, names + 4 * a->reps_done, 4);
		if (get_reg(vp, name, &v)) {
			st = HV_STATUS_INVALID_PARAMETER;
			break;
		}
		memcpy(a->out + sizeof(v) * a->reps_done, &v, sizeof(v));
	}
	spin_unlock(&p->part_lock);
	return st;
}

u16 hc_set_vp_registers(struct hypercall_args *a)
{
	struct hv_input_vp_registers in;
	const u8 *assoc = a->in + sizeof(in);
	struct hv_partition *p;
	struct hv_vp *vp;
	u16 st = HV_STATUS_SUCCESS;

	memcpy(&in, a->in, sizeof(in));
	vp = call_vp(&in, &p, &st, false);
	if (!vp)
		return st;
	for (; a->reps_done < a->ctl->rep_count; a->reps_done++) {
		struct hv_register_assoc r;

		memcpy(&r, assoc + sizeof(r) * a->reps_done, sizeof(r));
		if (r.reserved1 || r.reserved2 ||
		    arch_vp_set_reg(vp, r.name, &r.value)) {
			st = HV_STATUS_INVALID_PARAMETER;
			break;
		}
	}
	spin_unlock(&p->part_lock);
	return st;
}

/* ---- the run loop's parent side ---- */

u16 hc_mkhv_set_intercept_page(struct hypercall_args *a)
{
	struct mkhv_input_set_intercept_page in;
	struct own_frame f;
	struct hv_partition *p;
	u16 st;

	memcpy(&in, a->in, sizeof(in));
	/* The page must be ordinary parent RAM: never hv, MMIO or lent. */
	if (!IS_ALIGNED(in.page_gpa, PAGE_SIZE) ||
	    ownership_query(own, in.page_gpa, &f) || f.kind != OWN_PARENT)
		return HV_STATUS_INVALID_PARAMETER;
	p = child_lock(in.partition_id, &st);
	if (!p)
		return st;
	p->intercept_page = in.page_gpa;
	spin_unlock(&p->part_lock);
	return HV_STATUS_SUCCESS;
}

u16 hc_mkhv_resume_vp(struct hypercall_args *a)
{
	struct mkhv_input_resume_vp in;
	struct hv_partition *p;
	struct hv_vp *vp;
	u32 from;
	u16 st;

	memcpy(&in, a->in, sizeof(in));
	if (in.flags & ~MKHV_RESUME_START)
		return HV_STATUS_INVALID_PARAMETER;
	p = child_lock(in.partition_id, &st);
	if (!p)
		return st;
	vp = in.vp_index < MKHV_MAX_CHILD_VPS ? p->vps[in.vp_index] : NULL;
	from = in.flags & MKHV_RESUME_START ? VP_STOPPED : VP_WAITING;
	if (!vp)
		st = HV_STATUS_INVALID_VP_INDEX;
	else if (p->state != PART_INITIALIZED || !p->intercept_page)
		st = HV_STATUS_INVALID_PARTITION_STATE;
	else if (!__atomic_compare_exchange_n(&vp->state, &from, VP_RUNNABLE,
					      false, __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE))
		st = HV_STATUS_INVALID_VP_STATE;
	spin_unlock(&p->part_lock);
	if (st == HV_STATUS_SUCCESS)
		arch_vp_kick(vp);
	return st;
}

int child_post_intercept(struct hv_vp *vp, const struct hv_intercept_message *m)
{
	struct hv_partition *p = vp->part;
	u64 slot = p->intercept_page + (u64)vp->index * sizeof(*m);
	u32 type = m->message_type;

	__atomic_store_n(&vp->state, VP_WAITING, __ATOMIC_RELEASE);
	if (!p->intercept_page)
		return -ENODEV;
	/*
	 * Body first, type last: the parent polls the type, so it must see
	 * a complete message once the type is non-zero.
	 */
	if (arch_copy_to_guest(parent_part, slot + 4, (const u8 *)m + 4,
			       sizeof(*m) - 4))
		return -EFAULT;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	if (arch_copy_to_guest(parent_part, slot, &type, sizeof(type)))
		return -EFAULT;
	arch_notify_parent();
	return 0;
}

/* ---- interrupts between a child's VPs ---- */

void child_post_vector(struct hv_vp *vp, u8 vector)
{
	__atomic_fetch_or(&vp->posted_irr[vector / 64], 1ull << (vector % 64),
			  __ATOMIC_RELEASE);
	arch_vp_wake(vp);
}

bool child_pull_posted(struct hv_vp *vp)
{
	/* The parent's SynIC messages and events first (port.c). */
	bool any = synic_inbox_drain(&vp->inbox, &vp->synic, vp->part,
				     &vp->vlapic);
	int i;

	if (synic_inbox_take_space(&vp->inbox))
		port_inbox_space(vp->part);

	for (i = 0; i < 4; i++) {
		u64 bits = __atomic_exchange_n(&vp->posted_irr[i], 0,
					       __ATOMIC_ACQ_REL);

		while (bits) {
			int b = __builtin_ctzll(bits);

			vlapic_accept(&vp->vlapic, (u8)(i * 64 + b));
			bits &= bits - 1;
			any = true;
		}
	}
	return any;
}

static void deliver(struct hv_vp *to, const struct vlapic_ipi *ipi)
{
	switch (ipi->mode) {
	case VLAPIC_DM_FIXED:
		child_post_vector(to, ipi->vector);
		break;
	case VLAPIC_DM_INIT:
		__atomic_store_n(&to->wait_sipi, 1, __ATOMIC_RELEASE);
		break;
	case VLAPIC_DM_SIPI:
		if (!__atomic_load_n(&to->wait_sipi, __ATOMIC_ACQUIRE))
			break;	/* a SIPI only starts a waiting AP */
		__atomic_store_n(&to->sipi_vector, ipi->vector | 0x100u,
				 __ATOMIC_RELEASE);
		__atomic_store_n(&to->wait_sipi, 0, __ATOMIC_RELEASE);
		arch_vp_wake(to);
		break;
	default:	/* NMI: not modelled yet, dropped */
		break;
	}
}

void child_send_ipi(struct hv_vp *from, const struct vlapic_ipi *ipi)
{
	struct hv_partition *p = from->part;
	u32 i;

	for (i = 0; i < MKHV_MAX_CHILD_VPS; i++) {
		struct hv_vp *to = p->vps[i];
		bool hit;

		if (!to)
			continue;
		switch (ipi->shorthand) {
		case 1: hit = to == from; break;
		case 2: hit = true; break;
		case 3: hit = to != from; break;
		default: hit = ipi->dest == 0xffffffff || to->index == ipi->dest;
		}
		if (hit)
			deliver(to, ipi);
	}
}

/*
 * HvCallAssertVirtualInterrupt: the parent's device models (an I/O APIC
 * in the worker) interrupt a VP: a fixed vector into its vLAPIC, as an IPI
 * would arrive.  Physical destination mode, edge; other types refused.
 */
u16 hc_assert_virtual_interrupt(struct hypercall_args *a)
{
	struct hv_input_assert_virtual_interrupt in;
	struct hv_partition *p;
	struct hv_vp *vp;
	u16 st;

	memcpy(&in, a->in, sizeof(in));
	if (in.control_flags || in.target_vtl || in.rsvd_z0 || in.rsvd_z1 ||
	    in.vector < 16 || in.vector > 255 ||
	    in.interrupt_type != HV_X64_INTERRUPT_TYPE_FIXED)
		return HV_STATUS_INVALID_PARAMETER;
	p = child_lock(in.partition_id, &st);
	if (!p)
		return st;
	vp = in.dest_addr < MKHV_MAX_CHILD_VPS ? p->vps[in.dest_addr] : NULL;
	if (vp)
		child_post_vector(vp, (u8)in.vector);
	else
		st = HV_STATUS_INVALID_VP_INDEX;
	spin_unlock(&p->part_lock);
	return st;
}
