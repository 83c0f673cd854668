// SPDX-License-Identifier: GPL-2.0
/* hvworker: the VMBus transport on mkhv.ko (vmbus_transport.h). */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "mkhv_backend.h"
#include "vmbus_transport.h"

void vmbus_transport_mkhv_init(struct vmbus_transport_mkhv *t, int vm_fd)
{
	memset(t, 0, sizeof(*t));
	t->vm_fd = vm_fd;
}

static int tr_connect(void *ctx, uint32_t conn_id, enum vmbus_conn_kind kind)
{
	struct vmbus_transport_mkhv *t = ctx;
	struct mkhv_vm_connect c = {
		.connection_id = conn_id,
		.port_type = kind == VMBUS_CONN_MESSAGE ? HV_PORT_TYPE_MESSAGE :
							  HV_PORT_TYPE_EVENT,
	};

	return mkhv_xioctl(t->vm_fd, MKHV_VM_CONNECT, &c);
}

static int tr_post(void *ctx, uint32_t vp, uint32_t sint, uint32_t msg_type,
		   const void *payload, uint32_t len)
{
	struct vmbus_transport_mkhv *t = ctx;
	struct mkhv_vm_post_message m = {
		.vp_index = vp, .sint = sint, .message_type = msg_type,
		.payload_size = len,
	};

	if (len > sizeof(m.payload))
		return -EMSGSIZE;
	memcpy(m.payload, payload, len);
	return mkhv_xioctl(t->vm_fd, MKHV_VM_POST_MESSAGE, &m);
}

static int tr_signal(void *ctx, uint32_t vp, uint32_t sint, uint32_t flag)
{
	struct vmbus_transport_mkhv *t = ctx;
	struct mkhv_vm_signal_event e = { .vp_index = vp, .sint = sint,
					  .flag = flag };

	return mkhv_xioctl(t->vm_fd, MKHV_VM_SIGNAL_EVENT, &e);
}

/* The next item of the current batch, if any. */
static bool next_buffered(struct vmbus_transport_mkhv *t,
			  struct vmbus_host_event *ev)
{
	const struct mkhv_output_receive *o = &t->rx.out;

	if (t->msg_pos < o->nr_messages) {
		const struct mkhv_received_message *m = &o->messages[t->msg_pos++];

		ev->type = VMBUS_HOST_EV_MESSAGE;
		ev->conn_id = m->connection_id;
		ev->msg_type = m->message_type;
		ev->len = m->payload_size <= sizeof(ev->payload) ?
			  m->payload_size : sizeof(ev->payload);
		memcpy(ev->payload, m->payload, ev->len);
		return true;
	}
	if (t->ev_pos < o->nr_events) {
		ev->type = VMBUS_HOST_EV_SIGNAL;
		ev->conn_id = o->events[t->ev_pos++].connection_id;
		return true;
	}
	if (t->inbox_space) {
		t->inbox_space = false;
		ev->type = VMBUS_HOST_EV_SLOT_FREE;
		return true;
	}
	return false;
}

static int tr_wait(void *ctx, struct vmbus_host_event *ev, int timeout_ms)
{
	struct vmbus_transport_mkhv *t = ctx;
	struct mkhv_output_receive *o = &t->rx.out;
	int ret;

	memset(ev, 0, sizeof(*ev));
	if (next_buffered(t, ev))
		return 0;
	memset(&t->rx, 0, sizeof(t->rx));
	if (!timeout_ms)
		t->rx.flags = MKHV_VM_RECEIVE_NONBLOCK;
	else if (timeout_ms > 0)
		t->rx.timeout_ms = (uint32_t)timeout_ms;
	ret = mkhv_xioctl(t->vm_fd, MKHV_VM_RECEIVE, &t->rx);
	if (ret) {
		memset(&t->rx, 0, sizeof(t->rx));
		return ret == -EAGAIN ? -ETIMEDOUT : ret;
	}
	/* The module checked them; stay inside the arrays regardless. */
	if (o->nr_messages > MKHV_RECEIVE_MAX_MESSAGES)
		o->nr_messages = MKHV_RECEIVE_MAX_MESSAGES;
	if (o->nr_events > MKHV_MAX_PORTS)
		o->nr_events = MKHV_MAX_PORTS;
	t->msg_pos = t->ev_pos = 0;
	t->inbox_space = o->flags & MKHV_RECEIVE_INBOX_SPACE;
	return next_buffered(t, ev) ? 0 : -ETIMEDOUT;
}

static void tr_kick(void *ctx)
{
	struct vmbus_transport_mkhv *t = ctx;

	ioctl(t->vm_fd, MKHV_VM_RECEIVE_KICK);
}

/* The child's reference counter, readable while its VPs run. */
static int tr_ref_time(void *ctx, uint64_t *ref)
{
	struct vmbus_transport_mkhv *t = ctx;
	struct hv_register_assoc r = { .name = HV_REGISTER_TIME_REF_COUNT };
	int ret = mkhv_regs_ioctl(t->vm_fd, MKHV_VM_GET_REGS, 0, &r, 1);

	if (!ret)
		*ref = r.value.low;
	return ret;
}

const struct vmbus_transport_ops vmbus_transport_mkhv_ops = {
	.connect = tr_connect,
	.post = tr_post,
	.signal = tr_signal,
	.wait = tr_wait,
	.kick = tr_kick,
	.ref_time = tr_ref_time,
};
