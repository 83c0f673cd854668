// SPDX-License-Identifier: GPL-2.0
/*
 * mkhv.ko: the SynIC transport of a VM for the worker's VMBus server
 * (issue 8, docs/vmbus-hv.md).  CONNECT makes a port and connects a child
 * connection id to it, RECEIVE pulls what the child posted or signalled
 * (HvCallMkhvReceive, armed with the VM's notify word: the hv stores 1
 * there and sends 0xF3 when something arrives after the pull; vm.c's
 * callback wakes rx_wq), POST_MESSAGE / SIGNAL_EVENT are the direct calls
 * into one child VP.  Arguments are copied once and checked
 * (mkhv_validate.h) before a hypercall input is built from them.
 */
#define pr_fmt(fmt) "mkhv: " fmt

#include <linux/io.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <mkhv/hvcall.h>

#include "mkhv_priv.h"
#include "mkhv_validate.h"
#include "vm.h"

static int hc_delete_port(u32 port_id)
{
	struct hv_input_delete_port *in = mkhv_hc_begin();
	int ret;

	in->port_partition_id = HV_PARTITION_ID_SELF;
	in->port_id = port_id;
	ret = mkhv_hc_call(HVCALL_DELETE_PORT, 0, NULL, NULL);
	mkhv_hc_end();
	return ret;
}

static int hc_connect(struct mkhv_vm *vm, const struct mkhv_vm_connect *c,
		      u32 port_id)
{
	struct hv_input_create_port *cp;
	struct hv_input_connect_port *in;
	int ret;

	cp = mkhv_hc_begin();
	cp->port_partition_id = HV_PARTITION_ID_SELF;
	cp->port_id = port_id;
	cp->connection_partition_id = vm->pid;
	cp->port_info.port_type = c->port_type;
	if (c->port_type == HV_PORT_TYPE_EVENT)
		cp->port_info.flag_count = c->flag_count ? c->flag_count : 1;
	ret = mkhv_hc_call(HVCALL_CREATE_PORT, 0, NULL, NULL);
	mkhv_hc_end();
	if (ret)
		return ret;
	in = mkhv_hc_begin();
	in->connection_partition_id = vm->pid;
	in->connection_id = c->connection_id;
	in->port_partition_id = HV_PARTITION_ID_SELF;
	in->port_id = port_id;
	in->connection_info.port_type = c->port_type;
	ret = mkhv_hc_call(HVCALL_CONNECT_PORT, 0, NULL, NULL);
	mkhv_hc_end();
	if (ret && hc_delete_port(port_id))
		pr_err("partition %llu: DeletePort %#x failed\n", vm->pid,
		       port_id);
	return ret;
}

static long vm_connect(struct mkhv_vm *vm, void __user *arg)
{
	struct mkhv_vm_connect c;
	struct mkhv_conn *slot = NULL;
	u32 i;
	int ret;

	if (copy_from_user(&c, arg, sizeof(c)))
		return -EFAULT;
	ret = mkhv_connect_validate(&c);
	if (ret)
		return ret;
	mutex_lock(&vm->lock);
	for (i = 0; i < MKHV_MAX_PORTS; i++) {
		if (vm->conns[i].connection_id == c.connection_id) {
			ret = -EEXIST;
			goto out;
		}
		if (!slot && !vm->conns[i].connection_id)
			slot = &vm->conns[i];
	}
	ret = -ENOSPC;
	if (!slot)
		goto out;
	c.port_id = mkhv_port_id(vm->pid, slot - vm->conns);
	ret = hc_connect(vm, &c, c.port_id);
	if (ret)
		goto out;
	slot->connection_id = c.connection_id;
	slot->port_id = c.port_id;
out:
	mutex_unlock(&vm->lock);
	if (!ret && copy_to_user(arg, &c, sizeof(c)))
		ret = -EFAULT;	/* the connection stays; DISCONNECT removes it */
	return ret;
}

static long vm_disconnect(struct mkhv_vm *vm, void __user *arg)
{
	struct hv_input_disconnect_port *in;
	struct mkhv_vm_disconnect d;
	u32 i;
	int ret;

	if (copy_from_user(&d, arg, sizeof(d)))
		return -EFAULT;
	ret = mkhv_disconnect_validate(&d);
	if (ret)
		return ret;
	mutex_lock(&vm->lock);
	for (i = 0; i < MKHV_MAX_PORTS; i++)
		if (vm->conns[i].connection_id == d.connection_id)
			break;
	ret = -ENOENT;
	if (i == MKHV_MAX_PORTS)
		goto out;
	in = mkhv_hc_begin();
	in->connection_partition_id = vm->pid;
	in->connection_id = d.connection_id;
	ret = mkhv_hc_call(HVCALL_DISCONNECT_PORT, 0, NULL, NULL);
	mkhv_hc_end();
	if (!ret)
		ret = hc_delete_port(vm->conns[i].port_id);
	if (!ret)
		memset(&vm->conns[i], 0, sizeof(vm->conns[i]));
out:
	mutex_unlock(&vm->lock);
	return ret;
}

/* One HvCallMkhvReceive, armed with the VM's notify word, into @o. */
static int hc_receive(struct mkhv_vm *vm, struct mkhv_output_receive *o)
{
	struct mkhv_input_receive *in = mkhv_hc_begin();
	void *out;
	int ret;

	in->partition_id = vm->pid;
	in->notify_gpa = virt_to_phys(&vm->rx_notify);	/* parent GPA = host */
	ret = mkhv_hc_call(HVCALL_MKHV_RECEIVE, 0, NULL, &out);
	if (!ret)
		memcpy(o, out, sizeof(*o));
	mkhv_hc_end();
	return ret ? ret : mkhv_receive_out_validate(o);
}

static long vm_receive(struct mkhv_vm *vm, void __user *arg)
{
	struct mkhv_vm_receive *r;
	long left;
	int ret;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(r, arg, offsetof(struct mkhv_vm_receive, out)))
		goto out;
	ret = mkhv_receive_validate(r);
	if (ret)
		goto out;
	left = r->timeout_ms ? msecs_to_jiffies(r->timeout_ms) :
			       MAX_SCHEDULE_TIMEOUT;
	for (;;) {
		/*
		 * Clear the word, then pull: whatever the child sends after
		 * the pull sets the word again (the pull armed it), so the
		 * sleep below cannot miss it.
		 */
		WRITE_ONCE(vm->rx_notify, 0);
		smp_mb();
		ret = hc_receive(vm, &r->out);
		if (ret) {
			if (ret == -EIO)
				pr_err_ratelimited("partition %llu: malformed Receive answer\n",
						   vm->pid);
			goto out;
		}
		if (mkhv_receive_has_news(&r->out) ||
		    (r->flags & MKHV_VM_RECEIVE_NONBLOCK))
			break;
		if (atomic_xchg(&vm->rx_kick, 0)) {
			ret = -EINTR;
			goto out;
		}
		left = wait_event_interruptible_timeout(vm->rx_wq,
				READ_ONCE(vm->rx_notify) ||
				atomic_read(&vm->rx_kick), left);
		if (left < 0) {
			ret = -EINTR;
			goto out;
		}
		if (!left) {
			ret = -ETIMEDOUT;
			goto out;
		}
	}
	if (copy_to_user(arg, r, sizeof(*r)))
		ret = -EFAULT;
out:
	kfree(r);
	return ret;
}

/* VP @index exists (created by CREATE_VP)?  Takes vm->lock briefly. */
static bool vm_vp_exists(struct mkhv_vm *vm, u32 index)
{
	bool ok;

	mutex_lock(&vm->lock);
	ok = vm->vps[index].state != VP_NONE;
	mutex_unlock(&vm->lock);
	return ok;
}

static long vm_post_message(struct mkhv_vm *vm, void __user *arg)
{
	struct hv_input_post_message_direct *in;
	struct hv_synic_message msg = { 0 };
	struct mkhv_vm_post_message m;
	int ret;

	if (copy_from_user(&m, arg, sizeof(m)))
		return -EFAULT;
	ret = mkhv_post_validate(&m, vm->max_vps);
	if (ret)
		return ret;
	if (!vm_vp_exists(vm, m.vp_index))
		return -ENOENT;
	msg.message_type = m.message_type;
	msg.payload_size = (u8)m.payload_size;
	memcpy(msg.payload, m.payload, m.payload_size);
	in = mkhv_hc_begin();
	in->partition_id = vm->pid;
	in->vp_index = m.vp_index;
	in->sint_index = m.sint;
	memcpy(in->message, &msg, sizeof(msg));
	ret = mkhv_hc_call(HVCALL_POST_MESSAGE_DIRECT, 0, NULL, NULL);
	mkhv_hc_end();
	return ret == -ENOBUFS ? -EAGAIN : ret;
}

static long vm_signal_event(struct mkhv_vm *vm, void __user *arg)
{
	struct hv_input_signal_event_direct *in;
	struct hv_output_signal_event_direct *o;
	struct mkhv_vm_signal_event e;
	void *out;
	int ret;

	if (copy_from_user(&e, arg, sizeof(e)))
		return -EFAULT;
	ret = mkhv_signal_validate(&e, vm->max_vps);
	if (ret)
		return ret;
	if (!vm_vp_exists(vm, e.vp_index))
		return -ENOENT;
	in = mkhv_hc_begin();
	in->target_partition = vm->pid;
	in->target_vp = e.vp_index;
	in->target_sint = (u8)e.sint;
	in->flag_number = (u16)e.flag;
	ret = mkhv_hc_call(HVCALL_SIGNAL_EVENT_DIRECT, 0, NULL, &out);
	if (!ret) {
		o = out;
		e.newly_signaled = o->newly_signaled ? 1 : 0;
	}
	mkhv_hc_end();
	if (!ret && copy_to_user(arg, &e, sizeof(e)))
		ret = -EFAULT;
	return ret;
}

long mkhv_vm_synic_ioctl(struct mkhv_vm *vm, unsigned int cmd,
			 void __user *arg)
{
	switch (cmd) {
	case MKHV_VM_CONNECT:
		return vm_connect(vm, arg);
	case MKHV_VM_DISCONNECT:
		return vm_disconnect(vm, arg);
	case MKHV_VM_RECEIVE:
		return vm_receive(vm, arg);
	case MKHV_VM_POST_MESSAGE:
		return vm_post_message(vm, arg);
	case MKHV_VM_SIGNAL_EVENT:
		return vm_signal_event(vm, arg);
	case MKHV_VM_RECEIVE_KICK:
		atomic_set(&vm->rx_kick, 1);
		wake_up(&vm->rx_wq);
		return 0;
	default:
		return -ENOTTY;
	}
}
