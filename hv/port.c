// SPDX-License-Identifier: GPL-2.0
/*
 * SynIC messages and events between the parent and its children (see
 * mkhv/port.h).  Everything a child or the parent passes is hostile: ids,
 * types, sizes and reserved fields are checked on the hv's copy of the
 * input before anything changes, and every queue is bounded, so a child
 * that floods or never EOMs fills only its own queue or inbox and gets
 * HV_STATUS_INSUFFICIENT_BUFFERS (Linux's vmbus_post_msg() retries).
 */
#include <mkhv/arch.h>
#include <mkhv/child.h>
#include <mkhv/errno.h>
#include <mkhv/mm.h>
#include <mkhv/port.h>
#include <mkhv/printk.h>
#include <mkhv/string.h>

#define Q_PER_PAGE	(PAGE_SIZE / sizeof(struct mkhv_received_message))
#define Q_PAGES		(MKHV_CHILD_MSG_QUEUE / Q_PER_PAGE)

struct port_entry {
	u32 id;			/* 0: free slot */
	u8 type;		/* HV_PORT_TYPE_* */
	u8 flag_count;		/* event ports */
	u16 reserved;
	u32 pending;		/* event ports: relative flags signalled */
	u32 last_conn;		/* event ports: connection that signalled last */
};

struct conn_entry {
	u32 id;			/* 0: free slot */
	u32 port_id;
};

struct port_table {
	spinlock_t lock;	/* everything below */
	struct port_entry ports[MKHV_MAX_PORTS];
	struct conn_entry conns[MKHV_MAX_PORTS];
	u64 notify_gpa;		/* armed by Receive: parent GPA, 0 = not armed */
	bool inbox_space;	/* MKHV_RECEIVE_INBOX_SPACE to report */
	u32 q_head, q_len;	/* ring of MKHV_CHILD_MSG_QUEUE messages */
	struct mkhv_received_message *q[Q_PAGES];
};

_Static_assert(sizeof(struct port_table) <= PAGE_SIZE, "port table fits a page");
_Static_assert(MKHV_CHILD_MSG_QUEUE % Q_PER_PAGE == 0, "queue in whole pages");

static spinlock_t port_lock = SPINLOCK_INIT;	/* port creation/deletion */
static struct hv_partition *parent_part;
static struct ownership *own;

void port_init(struct hv_partition *parent, struct ownership *o)
{
	parent_part = parent;
	own = o;
}

/* ---- tables ---- */

static void table_free(struct port_table *t)
{
	u32 i;

	for (i = 0; i < Q_PAGES; i++)
		if (t->q[i])
			mm_free_page(t->q[i]);
	mm_free_page(t);
}

/*
 * @p's table, made on first use; the caller holds @p's part_lock.  Never
 * for a finalized child: DeletePartition finalizes before port_free(),
 * so a table made after that would leak.
 */
static struct port_table *table_get(struct hv_partition *p)
{
	struct port_table *t = p->ports;
	u32 i;

	if (t || p->state == PART_FINALIZED)
		return t;
	t = mm_alloc_page();
	if (!t)
		return NULL;
	spin_lock_init(&t->lock);
	for (i = 0; i < Q_PAGES; i++) {
		t->q[i] = mm_alloc_page();
		if (!t->q[i]) {
			table_free(t);
			return NULL;
		}
	}
	__atomic_store_n(&p->ports, t, __ATOMIC_RELEASE);
	return t;
}

void port_free(struct hv_partition *p)
{
	struct port_table *t;

	/* part_lock: a parent call holding it may be using the table. */
	spin_lock(&port_lock);
	spin_lock(&p->part_lock);
	t = p->ports;
	__atomic_store_n(&p->ports, NULL, __ATOMIC_RELEASE);
	spin_unlock(&p->part_lock);
	spin_unlock(&port_lock);
	if (t)
		table_free(t);
}

static struct port_entry *find_port(struct port_table *t, u32 id)
{
	u32 i;

	for (i = 0; id && i < MKHV_MAX_PORTS; i++)
		if (t->ports[i].id == id)
			return &t->ports[i];
	return NULL;
}

static struct conn_entry *find_conn(struct port_table *t, u32 id)
{
	u32 i;

	for (i = 0; id && i < MKHV_MAX_PORTS; i++)
		if (t->conns[i].id == id)
			return &t->conns[i];
	return NULL;
}

static struct mkhv_received_message *q_at(struct port_table *t, u32 i)
{
	i %= MKHV_CHILD_MSG_QUEUE;
	return &t->q[i / Q_PER_PAGE][i % Q_PER_PAGE];
}

/* Drop the queued messages of a deleted port, keeping the others' order. */
static void q_purge(struct port_table *t, u32 port_id)
{
	u32 i, kept = 0;

	for (i = 0; i < t->q_len; i++) {
		struct mkhv_received_message *m = q_at(t, t->q_head + i);

		if (m->port_id == port_id)
			continue;
		if (kept != i)
			memcpy(q_at(t, t->q_head + kept), m, sizeof(*m));
		kept++;
	}
	t->q_len = kept;
}

/* The port partition of Create/Delete/ConnectPort: the parent itself. */
static bool is_parent_id(u64 id)
{
	return id == HV_PARENT_PARTITION_ID || id == HV_PARTITION_ID_SELF;
}

static bool valid_id(u32 id)
{
	return id && !(id & ~HV_PORT_ID_MASK);
}

/* Is @id used by a port of any child?  port_lock held. */
static bool port_id_in_use(u32 id)
{
	u64 c;

	for (c = 1; c <= MKHV_MAX_CHILDREN; c++) {
		struct hv_partition *p = child_get(c);
		struct port_table *t = p ? p->ports : NULL;

		if (t && find_port(t, id))
			return true;
	}
	return false;
}

static u16 check_port_info(const struct hv_port_info *pi)
{
	if (pi->padding || pi->rsvdz)
		return HV_STATUS_INVALID_PARAMETER;
	switch (pi->port_type) {
	case HV_PORT_TYPE_MESSAGE:
		/* target_sint/target_vp name the parent's SynIC: unused. */
		return pi->flag_count || pi->base_flag_number ?
		       HV_STATUS_INVALID_PARAMETER : HV_STATUS_SUCCESS;
	case HV_PORT_TYPE_EVENT:
		return pi->flag_count && pi->flag_count <= MKHV_MAX_EVENT_FLAGS ?
		       HV_STATUS_SUCCESS : HV_STATUS_INVALID_PARAMETER;
	default:	/* monitor and doorbell ports are not offered */
		return HV_STATUS_INVALID_PARAMETER;
	}
}

/* ---- the parent's port management ---- */

u16 hc_create_port(struct hypercall_args *a)
{
	struct hv_input_create_port in;
	struct hv_partition *p;
	struct port_table *t;
	struct port_entry *e;
	u16 st;

	memcpy(&in, a->in, sizeof(in));
	if (!is_parent_id(in.port_partition_id) || in.port_vtl ||
	    in.min_connection_vtl || in.padding || !valid_id(in.port_id))
		return HV_STATUS_INVALID_PARAMETER;
	st = check_port_info(&in.port_info);
	if (st != HV_STATUS_SUCCESS)
		return st;
	spin_lock(&port_lock);
	p = child_lock(in.connection_partition_id, &st);
	if (!p)
		goto out;
	if (p->state == PART_FINALIZED) {
		st = HV_STATUS_INVALID_PARTITION_STATE;
	} else if (port_id_in_use(in.port_id)) {
		st = HV_STATUS_INVALID_PORT_ID;
	} else if (!(t = table_get(p))) {
		st = HV_STATUS_INSUFFICIENT_MEMORY;
	} else {
		spin_lock(&t->lock);
		for (e = t->ports; e < t->ports + MKHV_MAX_PORTS && e->id; e++)
			;
		if (e == t->ports + MKHV_MAX_PORTS) {
			st = HV_STATUS_NO_RESOURCES;
		} else {
			memset(e, 0, sizeof(*e));
			e->type = (u8)in.port_info.port_type;
			e->flag_count = (u8)in.port_info.flag_count;
			e->id = in.port_id;
		}
		spin_unlock(&t->lock);
	}
	spin_unlock(&p->part_lock);
out:
	spin_unlock(&port_lock);
	return st;
}

u16 hc_delete_port(struct hypercall_args *a)
{
	struct hv_input_delete_port in;
	u16 st = HV_STATUS_INVALID_PORT_ID;
	u64 c;

	memcpy(&in, a->in, sizeof(in));
	if (!is_parent_id(in.port_partition_id) || in.reserved ||
	    !valid_id(in.port_id))
		return HV_STATUS_INVALID_PARAMETER;
	spin_lock(&port_lock);
	for (c = 1; c <= MKHV_MAX_CHILDREN && st != HV_STATUS_SUCCESS; c++) {
		struct hv_partition *p = child_get(c);
		struct port_table *t = p ? p->ports : NULL;
		struct port_entry *e;

		if (!t)
			continue;
		spin_lock(&t->lock);
		e = find_port(t, in.port_id);
		if (e) {
			/* Connections stay: the child then gets INVALID_PORT_ID. */
			memset(e, 0, sizeof(*e));
			q_purge(t, in.port_id);
			st = HV_STATUS_SUCCESS;
		}
		spin_unlock(&t->lock);
	}
	spin_unlock(&port_lock);
	return st;
}

u16 hc_connect_port(struct hypercall_args *a)
{
	struct hv_input_connect_port in;
	const struct hv_connection_info *ci = &in.connection_info;
	struct hv_partition *p;
	struct port_table *t;
	struct port_entry *e;
	struct conn_entry *c;
	u16 st;

	memcpy(&in, a->in, sizeof(in));
	if (!valid_id(in.connection_id) || in.connection_vtl || in.rsvdz0 ||
	    in.rsvdz1 || !is_parent_id(in.port_partition_id) ||
	    !valid_id(in.port_id) || in.reserved2 || ci->padding ||
	    ci->rsvdz[0] || ci->rsvdz[1] || ci->rsvdz[2])
		return HV_STATUS_INVALID_PARAMETER;
	p = child_lock(in.connection_partition_id, &st);
	if (!p)
		return st;
	t = p->ports;
	if (!t) {
		spin_unlock(&p->part_lock);
		return HV_STATUS_INVALID_PORT_ID;
	}
	spin_lock(&t->lock);
	e = find_port(t, in.port_id);
	if (!e)
		st = HV_STATUS_INVALID_PORT_ID;	/* not a port for this child */
	else if (ci->port_type != e->type)
		st = HV_STATUS_INVALID_PARAMETER;
	else if (find_conn(t, in.connection_id))
		st = HV_STATUS_INVALID_CONNECTION_ID;	/* in use */
	else {
		for (c = t->conns; c < t->conns + MKHV_MAX_PORTS && c->id; c++)
			;
		if (c == t->conns + MKHV_MAX_PORTS) {
			st = HV_STATUS_NO_RESOURCES;
		} else {
			c->port_id = in.port_id;
			c->id = in.connection_id;
		}
	}
	spin_unlock(&t->lock);
	spin_unlock(&p->part_lock);
	return st;
}

u16 hc_disconnect_port(struct hypercall_args *a)
{
	struct hv_input_disconnect_port in;
	struct hv_partition *p;
	struct port_table *t;
	struct conn_entry *c;
	u16 st;

	memcpy(&in, a->in, sizeof(in));
	if (!valid_id(in.connection_id) || in.flags)
		return HV_STATUS_INVALID_PARAMETER;
	p = child_lock(in.connection_partition_id, &st);
	if (!p)
		return st;
	t = p->ports;
	st = HV_STATUS_INVALID_CONNECTION_ID;
	if (t) {
		spin_lock(&t->lock);
		c = find_conn(t, in.connection_id);
		if (c) {
			memset(c, 0, sizeof(*c));
			st = HV_STATUS_SUCCESS;
		}
		spin_unlock(&t->lock);
	}
	spin_unlock(&p->part_lock);
	return st;
}

/* ---- child -> parent ---- */

/*
 * Something arrived for the parent: if a Receive armed the notification,
 * store 1 in its word (parent RAM) and disarm.  t->lock held.  Return:
 * whether to send the callback IPI (after unlocking).
 */
static bool take_notify(struct port_table *t)
{
	static const u64 one = 1;
	u64 gpa = t->notify_gpa;

	if (!gpa)
		return false;
	t->notify_gpa = 0;
	return !arch_copy_to_guest(parent_part, gpa, &one, sizeof(one));
}

/*
 * The port behind the calling child's connection @conn_id, of @type,
 * with the table locked (*@tp) on success.
 */
static struct port_entry *conn_port(struct hv_vp *vp, u32 conn_id, u8 type,
				    struct port_table **tp, u16 *st)
{
	struct port_table *t = __atomic_load_n(&vp->part->ports,
						__ATOMIC_ACQUIRE);
	struct conn_entry *c;
	struct port_entry *e = NULL;

	*st = HV_STATUS_INVALID_CONNECTION_ID;
	if (!t)
		return NULL;
	spin_lock(&t->lock);
	c = find_conn(t, conn_id);
	if (c) {
		e = find_port(t, c->port_id);
		*st = HV_STATUS_SUCCESS;
		if (!e || e->type != type) {
			/* Deleted, or not this kind of port (TLFS). */
			*st = HV_STATUS_INVALID_PORT_ID;
			e = NULL;
		}
	}
	if (!e) {
		spin_unlock(&t->lock);
		return NULL;
	}
	*tp = t;
	return e;
}

u16 hc_post_message(struct hypercall_args *a)
{
	struct hv_input_post_message in;
	struct mkhv_received_message *m;
	struct port_table *t;
	struct port_entry *e;
	bool notify = false;
	u16 st;

	if (a->vp->part->is_parent)
		return HV_STATUS_ACCESS_DENIED;	/* no PostMessages privilege */
	memcpy(&in, a->in, sizeof(in));
	if (in.reserved || !in.message_type || (in.message_type & 0x80000000u) ||
	    in.payload_size > HV_MESSAGE_PAYLOAD_MAX)
		return HV_STATUS_INVALID_PARAMETER;
	e = conn_port(a->vp, in.connection_id, HV_PORT_TYPE_MESSAGE, &t, &st);
	if (!e)
		return st;
	if (t->q_len == MKHV_CHILD_MSG_QUEUE) {
		st = HV_STATUS_INSUFFICIENT_BUFFERS;
	} else {
		m = q_at(t, t->q_head + t->q_len++);
		memset(m, 0, sizeof(*m));
		m->connection_id = in.connection_id;
		m->port_id = e->id;
		m->message_type = in.message_type;
		m->payload_size = (u16)in.payload_size;
		m->vp_index = (u16)a->vp->index;
		memcpy(m->payload, in.payload, in.payload_size);
		notify = take_notify(t);
	}
	spin_unlock(&t->lock);
	if (notify)
		arch_notify_parent();
	return st;
}

u16 hc_signal_event(struct hypercall_args *a)
{
	struct hv_input_signal_event in;
	struct port_table *t;
	struct port_entry *e;
	bool notify = false;
	u16 st;

	if (a->vp->part->is_parent)
		return HV_STATUS_ACCESS_DENIED;	/* no SignalEvents privilege */
	memcpy(&in, a->in, sizeof(in));
	if (in.rsvdz)
		return HV_STATUS_INVALID_PARAMETER;
	e = conn_port(a->vp, in.connection_id, HV_PORT_TYPE_EVENT, &t, &st);
	if (!e)
		return st;
	if (in.flag_number >= e->flag_count) {
		st = HV_STATUS_INVALID_PARAMETER;
	} else {
		/* Coalesces: a flag already pending changes nothing. */
		e->pending |= 1u << in.flag_number;
		e->last_conn = in.connection_id;
		notify = take_notify(t);
	}
	spin_unlock(&t->lock);
	if (notify)
		arch_notify_parent();
	return st;
}

void port_inbox_space(struct hv_partition *p)
{
	struct port_table *t = __atomic_load_n(&p->ports, __ATOMIC_ACQUIRE);
	bool notify;

	if (!t)
		return;	/* no Receive ever: the parent polls, if anything */
	spin_lock(&t->lock);
	t->inbox_space = true;
	notify = take_notify(t);
	spin_unlock(&t->lock);
	if (notify)
		arch_notify_parent();
}

/* ---- the parent pulls ---- */

static void receive(struct port_table *t, struct mkhv_output_receive *o)
{
	u32 i;

	while (t->q_len && o->nr_messages < MKHV_RECEIVE_MAX_MESSAGES) {
		memcpy(&o->messages[o->nr_messages++], q_at(t, t->q_head),
		       sizeof(o->messages[0]));
		t->q_head = (t->q_head + 1) % MKHV_CHILD_MSG_QUEUE;
		t->q_len--;
	}
	if (t->q_len)
		o->flags |= MKHV_RECEIVE_MORE;
	if (t->inbox_space)
		o->flags |= MKHV_RECEIVE_INBOX_SPACE;
	t->inbox_space = false;
	for (i = 0; i < MKHV_MAX_PORTS; i++) {
		struct port_entry *e = &t->ports[i];

		if (!e->id || !e->pending)
			continue;
		o->events[o->nr_events].port_id = e->id;
		o->events[o->nr_events].connection_id = e->last_conn;
		o->events[o->nr_events++].flags = e->pending;
		e->pending = 0;
	}
}

u16 hc_mkhv_receive(struct hypercall_args *a)
{
	struct mkhv_input_receive in;
	struct hv_partition *p;
	struct port_table *t;
	struct own_frame f;
	u16 st;

	memcpy(&in, a->in, sizeof(in));
	if (in.flags)
		return HV_STATUS_INVALID_PARAMETER;
	/* The word must be ordinary parent RAM: never hv, MMIO or lent. */
	if (in.notify_gpa && (!IS_ALIGNED(in.notify_gpa, 8) ||
			      ownership_query(own, in.notify_gpa, &f) ||
			      f.kind != OWN_PARENT))
		return HV_STATUS_INVALID_PARAMETER;
	p = child_lock(in.partition_id, &st);
	if (!p)
		return st;
	/* A table now, so that the armed notification cannot get lost. */
	t = in.notify_gpa ? table_get(p) : p->ports;
	if (in.notify_gpa && !t && p->state != PART_FINALIZED) {
		st = HV_STATUS_INSUFFICIENT_MEMORY;
	} else if (t) {
		spin_lock(&t->lock);
		receive(t, (struct mkhv_output_receive *)a->out);
		t->notify_gpa = in.notify_gpa;
		spin_unlock(&t->lock);
	}
	spin_unlock(&p->part_lock);
	return st;
}

/* ---- parent -> child: into the VP's inbox, delivered by its pCPU ---- */

/* The child VP a direct call names, with the child's part_lock held. */
static struct hv_vp *direct_vp(u64 pid, u32 vp_index, struct hv_partition **pp,
			       u16 *st)
{
	struct hv_partition *p = child_lock(pid, st);
	struct hv_vp *vp;

	if (!p)
		return NULL;
	vp = vp_index < MKHV_MAX_CHILD_VPS ? p->vps[vp_index] : NULL;
	if (p->state == PART_FINALIZED)
		*st = HV_STATUS_INVALID_PARTITION_STATE;
	else if (!vp)
		*st = HV_STATUS_INVALID_VP_INDEX;
	if (*st != HV_STATUS_SUCCESS) {
		spin_unlock(&p->part_lock);
		return NULL;
	}
	*pp = p;
	return vp;
}

u16 hc_post_message_direct(struct hypercall_args *a)
{
	struct hv_input_post_message_direct in;
	struct hv_synic_message msg;
	struct hv_partition *p;
	struct hv_vp *vp;
	u16 st;

	memcpy(&in, a->in, sizeof(in));
	memcpy(&msg, in.message, sizeof(msg));
	if (in.vtl || in.padding[0] || in.padding[1] || in.padding[2] ||
	    in.padding2 || in.sint_index >= HV_SYNIC_SINT_COUNT ||
	    !msg.message_type || msg.payload_size > HV_MESSAGE_PAYLOAD_MAX)
		return HV_STATUS_INVALID_PARAMETER;
	msg.flags = 0;		/* msg_pending belongs to the hv */
	vp = direct_vp(in.partition_id, in.vp_index, &p, &st);
	if (!vp)
		return st;
	if (synic_inbox_post(&vp->inbox, in.sint_index, &msg))
		st = HV_STATUS_INSUFFICIENT_BUFFERS;
	else
		arch_vp_wake(vp);
	spin_unlock(&p->part_lock);
	return st;
}

u16 hc_signal_event_direct(struct hypercall_args *a)
{
	struct hv_input_signal_event_direct in;
	struct hv_output_signal_event_direct *o =
		(struct hv_output_signal_event_direct *)a->out;
	struct hv_partition *p;
	struct hv_vp *vp;
	int fresh;
	u16 st;

	memcpy(&in, a->in, sizeof(in));
	if (in.target_vtl || in.target_sint >= HV_SYNIC_SINT_COUNT ||
	    in.flag_number >= HV_EVENT_FLAGS_COUNT)
		return HV_STATUS_INVALID_PARAMETER;
	vp = direct_vp(in.target_partition, in.target_vp, &p, &st);
	if (!vp)
		return st;
	fresh = synic_inbox_signal(&vp->inbox, in.target_sint, in.flag_number);
	o->newly_signaled = fresh > 0;
	if (fresh > 0)
		arch_vp_wake(vp);
	spin_unlock(&p->part_lock);
	return st;
}
