/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Child partitions: the table of children and the parent-only TLFS root
 * hypercalls that manage them (create, initialize, finalize, delete, map
 * and unmap memory, create VPs, get/set registers) plus mkhv's intercept
 * page and ResumeVp.  Portable: arch work goes through mkhv/arch.h.
 */
#ifndef MKHV_CHILD_H
#define MKHV_CHILD_H

#include <mkhv/hypercall.h>
#include <mkhv/ownership.h>
#include <mkhv/partition.h>

/**
 * child_init() - boot-time: the parent partition (intercept pages live in
 * its memory) and the page-ownership table every map is checked against.
 */
void child_init(struct hv_partition *parent, struct ownership *own);

/**
 * child_get() - a child in any state but PART_FREE.
 * @id: partition id from a hypercall (hostile)
 * Return: the partition or NULL.
 */
struct hv_partition *child_get(u64 id);

/**
 * child_lock() - the child named by a hypercall (@id is hostile), with its
 * part_lock held and @st set to HV_STATUS_SUCCESS.  Return: the partition,
 * or NULL with @st set to HV_STATUS_INVALID_PARTITION_ID.
 */
struct hv_partition *child_lock(u64 id, u16 *st);

/**
 * child_post_intercept() - called on the pool pCPU that ran @vp when an
 * exit needs the parent: @vp becomes VP_WAITING, @m goes to its slot of
 * the intercept page (type written last) and the parent is notified.
 * Return: 0, or -ENODEV when the parent registered no page (the VP stays
 * WAITING until the parent sets one and resumes it).
 */
int child_post_intercept(struct hv_vp *vp, const struct hv_intercept_message *m);

/**
 * child_send_ipi() - deliver an IPI a VP of @from's partition wrote to its
 * ICR: fixed vectors are posted to the target VPs and wake them; INIT puts
 * a VP back into wait-for-SIPI; SIPI starts a waiting VP at vector << 12.
 * Targets outside the partition do not exist (the IPI is dropped).
 */
void child_send_ipi(struct hv_vp *from, const struct vlapic_ipi *ipi);

/** child_post_vector() - a fixed interrupt for @vp from another CPU. */
void child_post_vector(struct hv_vp *vp, u8 vector);

/**
 * child_pull_posted() - on the VP's own pCPU, before each entry: deliver
 * the parent's SynIC messages and events waiting in the VP's inbox
 * (synic_inbox_drain()) and move posted vectors into its vLAPIC.
 * Return: true if something was pending.
 */
bool child_pull_posted(struct hv_vp *vp);

/* The hypercall handlers (registered in hypercall.c's table). */
u16 hc_create_partition(struct hypercall_args *a);
u16 hc_initialize_partition(struct hypercall_args *a);
u16 hc_finalize_partition(struct hypercall_args *a);
u16 hc_delete_partition(struct hypercall_args *a);
u16 hc_map_gpa_pages(struct hypercall_args *a);
u16 hc_unmap_gpa_pages(struct hypercall_args *a);
u16 hc_create_vp(struct hypercall_args *a);
u16 hc_get_vp_registers(struct hypercall_args *a);
u16 hc_set_vp_registers(struct hypercall_args *a);
u16 hc_mkhv_set_intercept_page(struct hypercall_args *a);
u16 hc_mkhv_resume_vp(struct hypercall_args *a);
u16 hc_assert_virtual_interrupt(struct hypercall_args *a);

#endif /* MKHV_CHILD_H */
