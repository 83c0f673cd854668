/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SynIC messages and events between the parent and its children (issue 8,
 * TLFS "Inter-Partition Communication"): the parent's ports for each
 * child and the child's connections to them, the bounded per-child queue
 * of what children send, and the hypercalls of both directions.  ABI in
 * include/mkhv/hvcall_partition.h; docs/hv-core.md explains the model.
 *
 *   child  --PostMessage/SignalEvent-->  per-child queue / pending flags
 *   parent <--MkhvReceive (pull)--------  (notify word + 0xF3 IPI, armed)
 *   parent --PostMessageDirect/SignalEventDirect--> VP inbox (synic.h),
 *          drained by the VP's own pCPU into its SIMP slot / SIEF flags
 *
 * Locking: port_lock (global) serialises creating and deleting ports,
 * whose ids are unique over all children; each child's table has its own
 * lock for the tables and the queue, which children's calls take on their
 * pool pCPUs.  The table is allocated at the first port (or Receive) and
 * freed by DeletePartition once the child's VPs are stopped.
 */
#ifndef MKHV_PORT_H
#define MKHV_PORT_H

#include <mkhv/hypercall.h>
#include <mkhv/ownership.h>
#include <mkhv/partition.h>

/**
 * port_init() - boot-time: the parent (its memory holds the notify words)
 * and the ownership table notify words are checked against.  Called by
 * child_init().
 */
void port_init(struct hv_partition *parent, struct ownership *own);

/**
 * port_free() - DeletePartition: drop @p's ports, connections and queued
 * messages.  The child's VPs must be stopped (no call of theirs running).
 */
void port_free(struct hv_partition *p);

/**
 * port_inbox_space() - on a pool pCPU: a VP of @p whose inbox refused a
 * PostMessageDirect has room again (synic_inbox_take_space()): tell the
 * parent (MKHV_RECEIVE_INBOX_SPACE, and the armed notification).
 */
void port_inbox_space(struct hv_partition *p);

/* Hypercall handlers (hv/hypercall.c's table). */
u16 hc_create_port(struct hypercall_args *a);
u16 hc_delete_port(struct hypercall_args *a);
u16 hc_connect_port(struct hypercall_args *a);
u16 hc_disconnect_port(struct hypercall_args *a);
u16 hc_post_message(struct hypercall_args *a);
u16 hc_signal_event(struct hypercall_args *a);
u16 hc_mkhv_receive(struct hypercall_args *a);
u16 hc_post_message_direct(struct hypercall_args *a);
u16 hc_signal_event_direct(struct hypercall_args *a);

#endif /* MKHV_PORT_H */
