// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercall decoding, validation and dispatch.  TLFS v6.0 §3: control word,
 * simple/rep calls, fast calls, 8-byte aligned parameter lists that do not
 * cross a page.  Guest lists are copied once into the VP's buffer.
 */
#include <mkhv/arch.h>
#include <mkhv/child.h>
#include <mkhv/intercept.h>
#include <mkhv/errno.h>
#include <mkhv/hvcall.h>
#include <mkhv/hypercall.h>
#include <mkhv/partition.h>
#include <mkhv/port.h>
#include <mkhv/printk.h>
#include <mkhv/string.h>

static struct hv_sysinfo sysinfo;

void hypercall_set_sysinfo(const struct hv_sysinfo *si)
{
	sysinfo = *si;
	sysinfo.build_id[sizeof(sysinfo.build_id) - 1] = '\0';
}

/* HvCallMkhvGetInfo: no input. */
static u16 hc_mkhv_get_info(struct hypercall_args *a)
{
	struct mkhv_info *info = (struct mkhv_info *)a->out;

	info->version = MKHV_VERSION_CODE;
	info->abi_version = MKHV_HVCALL_ABI_VERSION;
	info->nr_pcpus = sysinfo.nr_pcpus;
	info->nr_parent_vcpus = sysinfo.nr_parent_vcpus;
	info->nr_pool_pcpus = sysinfo.nr_pool_pcpus;
	memcpy(info->pool_cpu_mask, sysinfo.pool_cpu_mask,
	       sizeof(info->pool_cpu_mask));
	info->hv_mem_base = sysinfo.hv_mem_base;
	info->hv_mem_size = sysinfo.hv_mem_size;
	info->hv_mem_free = arch_hv_mem_free();
	memcpy(info->build_id, sysinfo.build_id, sizeof(info->build_id));
	return HV_STATUS_SUCCESS;
}

/* HvCallMkhvLogRead: one page of the hv log from a position. */
static u16 hc_mkhv_log_read(struct hypercall_args *a)
{
	struct mkhv_log_read_in in;
	struct mkhv_log_read_out *o = (struct mkhv_log_read_out *)a->out;
	u64 pos;

	memcpy(&in, a->in, sizeof(in));
	pos = in.pos;
	o->len = (u32)printk_ring_read(&pos, o->data, sizeof(o->data));
	o->next_pos = pos;
	return HV_STATUS_SUCCESS;
}

/*
 * The one table of hypercalls.  TLFS codes first (DESIGN §6; added with the
 * partition work of issue 7), then mkhv's own at HVCALL_MKHV_BASE (listed
 * in include/mkhv/hvcall.h).
 */
#define PO HC_PARENT_ONLY
static const struct hypercall_entry hypercall_table[] = {
	{ HVCALL_CREATE_PARTITION, PO | HC_SLOW,
	  sizeof(struct hv_input_create_partition), 0, sizeof(u64), 0,
	  hc_create_partition, "CreatePartition" },
	{ HVCALL_INITIALIZE_PARTITION, PO | HC_SLOW | HC_FAST,
	  sizeof(struct hv_input_partition_id), 0, 0, 0,
	  hc_initialize_partition, "InitializePartition" },
	{ HVCALL_FINALIZE_PARTITION, PO | HC_SLOW | HC_FAST,
	  sizeof(struct hv_input_partition_id), 0, 0, 0,
	  hc_finalize_partition, "FinalizePartition" },
	{ HVCALL_DELETE_PARTITION, PO | HC_SLOW | HC_FAST,
	  sizeof(struct hv_input_partition_id), 0, 0, 0,
	  hc_delete_partition, "DeletePartition" },
	{ HVCALL_MAP_GPA_PAGES, PO | HC_SLOW | HC_REP,
	  sizeof(struct hv_input_map_gpa_pages), sizeof(u64), 0, 0,
	  hc_map_gpa_pages, "MapGpaPages" },
	{ HVCALL_UNMAP_GPA_PAGES, PO | HC_SLOW | HC_REP,
	  sizeof(struct hv_input_unmap_gpa_pages), 0, 0, 0,
	  hc_unmap_gpa_pages, "UnmapGpaPages" },
	{ HVCALL_INSTALL_INTERCEPT, PO | HC_SLOW,
	  sizeof(struct hv_input_install_intercept), 0, 0, 0,
	  hc_install_intercept, "InstallIntercept" },
	{ HVCALL_ASSERT_VIRTUAL_INTERRUPT, PO | HC_SLOW,
	  sizeof(struct hv_input_assert_virtual_interrupt), 0, 0, 0,
	  hc_assert_virtual_interrupt, "AssertVirtualInterrupt" },
	{ HVCALL_CREATE_VP, PO | HC_SLOW, sizeof(struct hv_input_create_vp),
	  0, 0, 0, hc_create_vp, "CreateVp" },
	{ HVCALL_GET_VP_REGISTERS, PO | HC_SLOW | HC_REP,
	  sizeof(struct hv_input_vp_registers), sizeof(u32), 0,
	  sizeof(struct hv_register_value), hc_get_vp_registers,
	  "GetVpRegisters" },
	{ HVCALL_SET_VP_REGISTERS, PO | HC_SLOW | HC_REP,
	  sizeof(struct hv_input_vp_registers), sizeof(struct hv_register_assoc),
	  0, 0, hc_set_vp_registers, "SetVpRegisters" },
	{ HVCALL_DELETE_PORT, PO | HC_SLOW | HC_FAST,
	  sizeof(struct hv_input_delete_port), 0, 0, 0, hc_delete_port,
	  "DeletePort" },
	{ HVCALL_DISCONNECT_PORT, PO | HC_SLOW | HC_FAST,
	  sizeof(struct hv_input_disconnect_port), 0, 0, 0,
	  hc_disconnect_port, "DisconnectPort" },
	/* Children's calls (issue 8); the parent gets ACCESS_DENIED inside. */
	{ HVCALL_POST_MESSAGE, HC_SLOW, sizeof(struct hv_input_post_message),
	  0, 0, 0, hc_post_message, "PostMessage" },
	{ HVCALL_SIGNAL_EVENT, HC_SLOW | HC_FAST,
	  sizeof(struct hv_input_signal_event), 0, 0, 0, hc_signal_event,
	  "SignalEvent" },
	{ HVCALL_CREATE_PORT, PO | HC_SLOW, sizeof(struct hv_input_create_port),
	  0, 0, 0, hc_create_port, "CreatePort" },
	{ HVCALL_CONNECT_PORT, PO | HC_SLOW,
	  sizeof(struct hv_input_connect_port), 0, 0, 0, hc_connect_port,
	  "ConnectPort" },
	{ HVCALL_SIGNAL_EVENT_DIRECT, PO | HC_SLOW,
	  sizeof(struct hv_input_signal_event_direct), 0,
	  sizeof(struct hv_output_signal_event_direct), 0,
	  hc_signal_event_direct, "SignalEventDirect" },
	{ HVCALL_POST_MESSAGE_DIRECT, PO | HC_SLOW,
	  sizeof(struct hv_input_post_message_direct), 0, 0, 0,
	  hc_post_message_direct, "PostMessageDirect" },
	{ HVCALL_MKHV_GET_INFO, HC_PARENT_ONLY | HC_SLOW, 0, 0,
	  sizeof(struct mkhv_info), 0, hc_mkhv_get_info, "MkhvGetInfo" },
	{ HVCALL_MKHV_LOG_READ, HC_PARENT_ONLY | HC_SLOW,
	  sizeof(struct mkhv_log_read_in), 0, sizeof(struct mkhv_log_read_out),
	  0, hc_mkhv_log_read, "MkhvLogRead" },
	{ HVCALL_MKHV_SET_INTERCEPT_PAGE, PO | HC_SLOW | HC_FAST,
	  sizeof(struct mkhv_input_set_intercept_page), 0, 0, 0,
	  hc_mkhv_set_intercept_page, "MkhvSetInterceptPage" },
	{ HVCALL_MKHV_RESUME_VP, PO | HC_SLOW | HC_FAST,
	  sizeof(struct mkhv_input_resume_vp), 0, 0, 0, hc_mkhv_resume_vp,
	  "MkhvResumeVp" },
	{ HVCALL_MKHV_RECEIVE, PO | HC_SLOW, sizeof(struct mkhv_input_receive),
	  0, sizeof(struct mkhv_output_receive), 0, hc_mkhv_receive,
	  "MkhvReceive" },
};
#undef PO

static const struct hypercall_entry *table = hypercall_table;
static size_t table_len = ARRAY_SIZE(hypercall_table);

#ifdef MKHV_HOST_TEST
/* Unit tests and the fuzzer swap in a table with rep/fast test calls. */
void hypercall_test_set_table(const struct hypercall_entry *t, size_t n)
{
	table = t ? t : hypercall_table;
	table_len = t ? n : ARRAY_SIZE(hypercall_table);
}
#endif

const struct hypercall_entry *hypercall_lookup(u16 code)
{
	for (size_t i = 0; i < table_len; i++)
		if (table[i].code == code)
			return &table[i];
	return NULL;
}

u16 hypercall_decode(u64 control, struct hypercall_control *c)
{
	c->code = (u16)(control & HV_HYPERCALL_CODE_MASK);
	c->fast = control & HV_HYPERCALL_FAST_BIT;
	c->varhead_bytes = (u16)(((control & HV_HYPERCALL_VARHEAD_MASK) >>
				  HV_HYPERCALL_VARHEAD_SHIFT) * 8);
	c->rep_count = (u16)((control & HV_HYPERCALL_REP_COUNT_MASK) >>
			     HV_HYPERCALL_REP_COUNT_SHIFT);
	c->rep_start = (u16)((control & HV_HYPERCALL_REP_START_MASK) >>
			     HV_HYPERCALL_REP_START_SHIFT);
	if (control & HV_HYPERCALL_RSVD_MASK)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	return HV_STATUS_SUCCESS;
}

/* Is the call form (fast/slow, rep, variable header) one @e allows? */
static u16 check_form(const struct hypercall_entry *e,
		      const struct hypercall_control *c)
{
	if (c->fast ? !(e->flags & HC_FAST) : !(e->flags & HC_SLOW))
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (c->varhead_bytes && !(e->flags & HC_VARHEAD))
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (e->flags & HC_REP) {
		if (c->rep_count == 0 || c->rep_start >= c->rep_count)
			return HV_STATUS_INVALID_HYPERCALL_INPUT;
	} else if (c->rep_count || c->rep_start) {
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	}
	return HV_STATUS_SUCCESS;
}

/* A parameter list of @len bytes at @gpa: 8-byte aligned, one page. */
static u16 check_list(u64 gpa, size_t len)
{
	if (!len)
		return HV_STATUS_SUCCESS;
	if (len > PAGE_SIZE)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (!IS_ALIGNED(gpa, 8) || (gpa & (PAGE_SIZE - 1)) + len > PAGE_SIZE)
		return HV_STATUS_INVALID_ALIGNMENT;
	return HV_STATUS_SUCCESS;
}

static u16 setup_slow(struct hypercall_args *a, u64 in, u64 out)
{
	struct hv_vp *vp = a->vp;
	u16 st = check_list(in, a->in_len);

	if (st == HV_STATUS_SUCCESS)
		st = check_list(out, a->out_len);
	if (st != HV_STATUS_SUCCESS)
		return st;
	if (a->in_len && a->out_len && ranges_overlap(in, a->in_len, out,
						      a->out_len))
		return HV_STATUS_INVALID_PARAMETER;
	/* The one and only read of the guest's input list. */
	if (a->in_len &&
	    arch_copy_from_guest(vp->part, vp->hc.in, in, a->in_len))
		return HV_STATUS_INVALID_PARAMETER;
	/*
	 * Probe the output list with the zeroed buffer (TLFS lets the hv
	 * write zeros there), so that a call never takes effect with an
	 * unwritable result.
	 */
	memset(vp->hc.out, 0, a->out_len);
	if (a->out_len &&
	    arch_copy_to_guest(vp->part, out, vp->hc.out, a->out_len))
		return HV_STATUS_INVALID_PARAMETER;
	a->in = vp->hc.in;
	a->out = vp->hc.out;
	return HV_STATUS_SUCCESS;
}

static u16 dispatch(struct hv_vp *vp, const struct hypercall_control *c,
		    u64 in, u64 out, u16 *reps_done)
{
	const struct hypercall_entry *e = hypercall_lookup(c->code);
	struct hypercall_args a = { .vp = vp, .ctl = c };
	size_t reps = (e && (e->flags & HC_REP)) ? c->rep_count : 0;
	u16 st;

	if (!e)
		return HV_STATUS_INVALID_HYPERCALL_CODE;
	if ((e->flags & HC_PARENT_ONLY) && !vp->part->is_parent)
		return HV_STATUS_ACCESS_DENIED;
	st = check_form(e, c);
	if (st != HV_STATUS_SUCCESS)
		return st;
	a.in_len = e->in_size + c->varhead_bytes + reps * e->in_rep_size;
	a.out_len = e->out_size + reps * e->out_rep_size;
	if (c->fast) {
		/* Register form: up to 16 input bytes, no output list. */
		if (a.in_len > 16 || a.out_len)
			return HV_STATUS_INVALID_HYPERCALL_INPUT;
		memcpy(vp->hc.in, &in, 8);
		memcpy(vp->hc.in + 8, &out, 8);
		a.in = vp->hc.in;
	} else {
		st = setup_slow(&a, in, out);
		if (st != HV_STATUS_SUCCESS)
			return st;
	}
	a.reps_done = c->rep_start;
	st = e->fn(&a);
	*reps_done = a.reps_done;
	if (!c->fast && a.out_len &&
	    arch_copy_to_guest(vp->part, out, a.out, a.out_len))
		return HV_STATUS_INVALID_PARAMETER;
	return st;
}

int hypercall_handle(struct hv_vp *vp, unsigned int cpl, u64 control, u64 in,
		     u64 out, u64 *rax)
{
	struct hypercall_control c;
	u16 reps_done = 0;
	u16 st;

	if (cpl != 0)
		return -EPERM;
	st = hypercall_decode(control, &c);
	if (st == HV_STATUS_SUCCESS)
		st = dispatch(vp, &c, in, out, &reps_done);
	if (st != HV_STATUS_SUCCESS)
		pr_debug("hypercall %#x from partition %u: status %#x\n",
			 c.code, vp->part->id, st);
	*rax = st | ((u64)reps_done << HV_HYPERCALL_REP_COMP_SHIFT);
	return 0;
}
