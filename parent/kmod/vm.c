// SPDX-License-Identifier: GPL-2.0
/*
 * mkhv.ko: child partitions ("VMs") for the per-VM worker process.
 *
 * MKHV_IOC_CREATE_VM on /dev/mkhv creates a partition and hands back an
 * anonymous-inode fd that owns it (include/mkhv/mkhv_ioctl.h):
 *
 *   CreatePartition -> MkhvSetInterceptPage(a page of this module) ->
 *   InitializePartition -> fd;  MAP_MEMORY (pin + MapGpaPages),
 *   CREATE_VP, SET/GET_REGS, RUN (MkhvResumeVp, then sleep until the VP's
 *   slot of the intercept page holds a message);  release: Finalize +
 *   Delete (the hv takes every page back), then unpin.
 *
 * Every hypercall input is built here from arguments copied once from the
 * caller and checked (mkhv_validate.h); the caller never names a host
 * page.  The hv's answer (the intercept message) is checked before use.
 *
 * SynIC transport for the worker's VMBus server (issue 8): vm_synic.c.
 *
 * Wake-ups: the hv sends the parent's CPU the callback IPI (vector 0xF3,
 * Linux's HYPERVISOR_CALLBACK_VECTOR, whose gate ms_hyperv_init_platform()
 * installs on every Hyper-V-style boot, hv_vmbus or not).  Our handler,
 * registered with hv_setup_vmbus_handler(), runs in hard-IRQ context: it
 * scans the VMs' intercept pages and wakes the wait queue of each VM with a
 * pending message (wake_up() is IRQ-safe).  Linux acks the APIC itself
 * (mkhv advertises HV_DEPRECATING_AEOI_RECOMMENDED).
 */
#define pr_fmt(fmt) "mkhv: " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include <mkhv/hvcall.h>
#include <mkhv/hvcall_partition.h>
#include <mkhv/mkhv_ioctl.h>

#include "mkhv_priv.h"
#include "mkhv_validate.h"
#include "vm.h"

/* MapGpaPages reps per call: 24-byte header + 509 * 8 = one page. */
#define MAP_BATCH	((PAGE_SIZE - sizeof(struct hv_input_map_gpa_pages)) / 8)
/* UnmapGpaPages has no rep elements: the 12-bit rep count is the limit. */
#define UNMAP_BATCH	4095u

static LIST_HEAD(mkhv_vms);
static DEFINE_SPINLOCK(mkhv_vms_lock);	/* also taken in hard-IRQ context */

_Static_assert(MKHV_MAX_CHILD_VPS * sizeof(struct hv_intercept_message) <=
	       PAGE_SIZE, "intercept slots fit a page");
_Static_assert(MAP_BATCH == 509, "MapGpaPages batch");

/* ---- hypercalls, each built from checked values ---- */

static int hc_partition_id(u16 code, u64 pid)
{
	struct hv_input_partition_id *in = mkhv_hc_begin();
	int ret;

	in->partition_id = pid;
	ret = mkhv_hc_call(code, 0, NULL, NULL);
	mkhv_hc_end();
	return ret;
}

static int hc_create_partition(const struct mkhv_ioc_create_vm *c, u64 *pid)
{
	struct hv_input_create_partition *in = mkhv_hc_begin();
	void *out;
	int ret;

	in->max_vps = c->max_vps;
	in->cpu_weight = c->weight;
	in->cpu_cap_permille = c->cap_permille;
	ret = mkhv_hc_call(HVCALL_CREATE_PARTITION, 0, NULL, &out);
	if (!ret)
		memcpy(pid, out, sizeof(*pid));
	mkhv_hc_end();
	return ret;
}

static int hc_set_intercept_page(u64 pid, void *page)
{
	struct mkhv_input_set_intercept_page *in = mkhv_hc_begin();
	int ret;

	in->partition_id = pid;
	in->page_gpa = virt_to_phys(page);	/* parent GPA = host address */
	ret = mkhv_hc_call(HVCALL_MKHV_SET_INTERCEPT_PAGE, 0, NULL, NULL);
	mkhv_hc_end();
	return ret;
}

static void hc_unmap(u64 pid, u64 gfn, u64 npages)
{
	while (npages) {
		struct hv_input_unmap_gpa_pages *in = mkhv_hc_begin();
		u32 n = min_t(u64, npages, UNMAP_BATCH);
		int ret;

		in->target_partition_id = pid;
		in->target_gpa_base = gfn;
		ret = mkhv_hc_call(HVCALL_UNMAP_GPA_PAGES, n, NULL, NULL);
		mkhv_hc_end();
		if (ret)
			pr_err("partition %llu: UnmapGpaPages %#llx+%u failed (%d)\n",
			       pid, gfn, n, ret);
		gfn += n;
		npages -= n;
	}
}

/* Map @npages pinned pages at @gfn; on failure nothing stays mapped. */
static int hc_map(u64 pid, u64 gfn, struct page **pages, u64 npages, u32 flags)
{
	u64 done = 0;
	int ret = 0;

	while (done < npages) {
		struct hv_input_map_gpa_pages *in = mkhv_hc_begin();
		u64 *src = (u64 *)(in + 1);
		u32 n = min_t(u64, npages - done, MAP_BATCH), i, reps = 0;

		in->target_partition_id = pid;
		in->target_gpa_base = gfn + done;
		in->map_flags = flags;
		for (i = 0; i < n; i++)
			src[i] = page_to_pfn(pages[done + i]);
		ret = mkhv_hc_call(HVCALL_MAP_GPA_PAGES, n, &reps, NULL);
		mkhv_hc_end();
		if (ret) {
			done += min(reps, n);
			break;
		}
		done += n;
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	if (ret)
		hc_unmap(pid, gfn, done);
	return ret;
}

/* ---- the callback IPI ---- */

static bool vm_has_message(const struct mkhv_vm *vm)
{
	u32 i;

	for (i = 0; i < vm->max_vps; i++)
		if (READ_ONCE(vm->icpt[i].message_type) != HVMSG_NONE)
			return true;
	return false;
}

static void mkhv_callback(void)
{
	struct mkhv_vm *vm;

	spin_lock(&mkhv_vms_lock);
	list_for_each_entry(vm, &mkhv_vms, node) {
		if (vm_has_message(vm))
			wake_up(&vm->wq);
		if (READ_ONCE(vm->rx_notify))
			wake_up(&vm->rx_wq);
	}
	spin_unlock(&mkhv_vms_lock);
}

void mkhv_vm_init(void)
{
	mkhv_set_callback(mkhv_callback);
}

void mkhv_vm_exit(void)
{
	mkhv_clear_callback();
	/* A callback already running finishes before the module goes. */
	synchronize_rcu();
}

/* ---- VM fd ioctls ---- */

static long vm_map_memory(struct mkhv_vm *vm, void __user *arg)
{
	struct mkhv_vm_map_memory m;
	struct mkhv_region *r;
	struct page **pages;
	u64 npages, pinned = 0;
	u32 i;
	int ret;

	if (copy_from_user(&m, arg, sizeof(m)))
		return -EFAULT;
	ret = mkhv_map_validate(&m, &npages);
	if (ret)
		return ret;

	mutex_lock(&vm->lock);
	ret = -ENOSPC;
	if (vm->nr_regions >= MKHV_VM_MAX_REGIONS)
		goto out_unlock;
	ret = -EEXIST;
	for (i = 0; i < vm->nr_regions; i++)
		if (mkhv_ranges_overlap(vm->regions[i].gfn,
					vm->regions[i].npages, m.guest_pfn,
					npages))
			goto out_unlock;
	ret = -ENOMEM;
	pages = kvmalloc_array(npages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		goto out_unlock;
	while (pinned < npages) {
		int n = pin_user_pages_fast(m.userspace_addr + pinned * PAGE_SIZE,
					    min_t(u64, npages - pinned, 65536),
					    FOLL_WRITE | FOLL_LONGTERM,
					    pages + pinned);

		if (n <= 0) {
			ret = n ? n : -EFAULT;
			goto out_unpin;
		}
		pinned += n;
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out_unpin;
		}
	}
	ret = hc_map(vm->pid, m.guest_pfn, pages, npages, m.flags);
	if (ret)
		goto out_unpin;
	r = &vm->regions[vm->nr_regions++];
	r->gfn = m.guest_pfn;
	r->npages = npages;
	r->pages = pages;
	mutex_unlock(&vm->lock);
	return 0;

out_unpin:
	unpin_user_pages(pages, pinned);
	kvfree(pages);
out_unlock:
	mutex_unlock(&vm->lock);
	return ret;
}

static long vm_create_vp(struct mkhv_vm *vm, void __user *arg)
{
	struct mkhv_vm_create_vp c;
	struct hv_input_create_vp *in;
	int ret;

	if (copy_from_user(&c, arg, sizeof(c)))
		return -EFAULT;
	if (c.flags || c.index >= vm->max_vps)
		return -EINVAL;
	mutex_lock(&vm->lock);
	if (vm->vps[c.index].state != VP_NONE) {
		mutex_unlock(&vm->lock);
		return -EEXIST;
	}
	in = mkhv_hc_begin();
	in->partition_id = vm->pid;
	in->vp_index = c.index;
	ret = mkhv_hc_call(HVCALL_CREATE_VP, 0, NULL, NULL);
	mkhv_hc_end();
	if (!ret)
		vm->vps[c.index].state = VP_NEW;
	mutex_unlock(&vm->lock);
	return ret;
}

static long vm_regs(struct mkhv_vm *vm, void __user *arg, bool set)
{
	struct hv_register_assoc *regs;
	struct hv_input_vp_registers *in;
	struct mkhv_vm_regs r;
	size_t bytes;
	void *out;
	u32 i;
	int ret;

	if (copy_from_user(&r, arg, sizeof(r)))
		return -EFAULT;
	ret = mkhv_regs_validate(&r, vm->max_vps);
	if (ret)
		return ret;
	bytes = (size_t)r.count * sizeof(*regs);
	regs = memdup_user(u64_to_user_ptr(r.regs), bytes);
	if (IS_ERR(regs))
		return PTR_ERR(regs);
	for (i = 0; i < r.count && set; i++) {
		ret = mkhv_reg_assoc_validate(&regs[i]);
		if (ret)
			goto out;
	}

	mutex_lock(&vm->lock);
	switch (vm->vps[r.vp_index].state) {
	case VP_NONE:
		ret = -ENOENT;
		break;
	case VP_RUNNING:
		if (set || !mkhv_regs_statistics_only(regs, r.count)) {
			ret = -EBUSY;
			break;
		}
		fallthrough;	/* the hv reads these while the VP runs */
	default:
		in = mkhv_hc_begin();
		in->partition_id = vm->pid;
		in->vp_index = r.vp_index;
		if (set) {
			memcpy(in + 1, regs, bytes);
		} else {
			u32 *names = (u32 *)(in + 1);

			for (i = 0; i < r.count; i++)
				names[i] = regs[i].name;
		}
		ret = mkhv_hc_call(set ? HVCALL_SET_VP_REGISTERS :
					 HVCALL_GET_VP_REGISTERS,
				   r.count, NULL, &out);
		if (!ret && !set)
			for (i = 0; i < r.count; i++)
				memcpy(&regs[i].value,
				       (struct hv_register_value *)out + i,
				       sizeof(regs[i].value));
		mkhv_hc_end();
	}
	mutex_unlock(&vm->lock);
	if (!ret && !set && copy_to_user(u64_to_user_ptr(r.regs), regs, bytes))
		ret = -EFAULT;
out:
	kfree(regs);
	return ret;
}

/* Start or resume the VP if it is stopped; the caller holds run_lock. */
static int vp_go(struct mkhv_vm *vm, u32 index)
{
	struct mkhv_vp *vp = &vm->vps[index];
	struct mkhv_input_resume_vp *in;
	int ret = 0;

	mutex_lock(&vm->lock);
	switch (vp->state) {
	case VP_NONE:
		ret = -ENOENT;
		break;
	case VP_RUNNING:	/* a previous RUN was interrupted: just wait */
		break;
	case VP_NEW:
	case VP_AT_MSG:
		in = mkhv_hc_begin();
		in->partition_id = vm->pid;
		in->vp_index = index;
		in->flags = vp->state == VP_NEW ? MKHV_RESUME_START : 0;
		ret = mkhv_hc_call(HVCALL_MKHV_RESUME_VP, 0, NULL, NULL);
		mkhv_hc_end();
		if (!ret)
			vp->state = VP_RUNNING;
		break;
	}
	mutex_unlock(&vm->lock);
	return ret;
}

static long vm_run(struct mkhv_vm *vm, void __user *arg)
{
	struct mkhv_vm_run run;
	struct hv_intercept_message *slot;
	struct mkhv_vp *vp;
	int ret;

	if (copy_from_user(&run, arg, offsetof(struct mkhv_vm_run, msg)))
		return -EFAULT;
	if (run.flags || run.vp_index >= vm->max_vps)
		return -EINVAL;
	vp = &vm->vps[run.vp_index];
	slot = &vm->icpt[run.vp_index];
	if (!mutex_trylock(&vp->run_lock))
		return -EBUSY;
	ret = vp_go(vm, run.vp_index);
	if (ret)
		goto out;
	ret = wait_event_interruptible(vm->wq, READ_ONCE(slot->message_type) !=
					       HVMSG_NONE);
	if (ret)
		goto out;	/* -ERESTARTSYS: the VP keeps running */
	/* The hv wrote the body before the type (release). */
	smp_rmb();
	memcpy(&run.msg, slot, sizeof(run.msg));
	smp_mb();
	WRITE_ONCE(slot->message_type, HVMSG_NONE);
	mutex_lock(&vm->lock);
	vp->state = VP_AT_MSG;
	mutex_unlock(&vm->lock);
	ret = mkhv_intercept_validate(&run.msg, run.vp_index);
	if (ret) {
		pr_err_ratelimited("partition %llu VP %u: bad intercept message type %#x vp %u\n",
				   vm->pid, run.vp_index, run.msg.message_type,
				   run.msg.vp_index);
		goto out;
	}
	if (copy_to_user(arg, &run, sizeof(run)))
		ret = -EFAULT;
out:
	mutex_unlock(&vp->run_lock);
	return ret;
}

static long vm_install_intercept(struct mkhv_vm *vm, void __user *arg)
{
	struct hv_input_install_intercept *in;
	struct mkhv_vm_intercept c;
	int ret;

	if (copy_from_user(&c, arg, sizeof(c)))
		return -EFAULT;
	ret = mkhv_intercept_req_validate(&c);
	if (ret)
		return ret;
	mutex_lock(&vm->lock);
	in = mkhv_hc_begin();
	in->partition_id = vm->pid;
	in->access_type = c.access;
	in->intercept_type = HV_INTERCEPT_TYPE_X64_IO_PORT;
	in->intercept_parameter = c.port;
	ret = mkhv_hc_call(HVCALL_INSTALL_INTERCEPT, 0, NULL, NULL);
	mkhv_hc_end();
	mutex_unlock(&vm->lock);
	return ret;
}

static long vm_assert_interrupt(struct mkhv_vm *vm, void __user *arg)
{
	struct hv_input_assert_virtual_interrupt *in;
	struct mkhv_vm_interrupt c;
	int ret;

	if (copy_from_user(&c, arg, sizeof(c)))
		return -EFAULT;
	ret = mkhv_interrupt_req_validate(&c, vm->max_vps);
	if (ret)
		return ret;
	/* No vm->lock: the UART raises it from any worker thread, often. */
	in = mkhv_hc_begin();
	in->partition_id = vm->pid;
	in->interrupt_type = c.type;
	in->dest_addr = c.vp_index;
	in->vector = c.vector;
	ret = mkhv_hc_call(HVCALL_ASSERT_VIRTUAL_INTERRUPT, 0, NULL, NULL);
	mkhv_hc_end();
	return ret;
}

static long mkhv_vm_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct mkhv_vm *vm = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (current->mm != vm->mm)
		return -EIO;	/* as KVM: a VM belongs to its creator's mm */
	switch (cmd) {
	case MKHV_VM_MAP_MEMORY:
		return vm_map_memory(vm, uarg);
	case MKHV_VM_CREATE_VP:
		return vm_create_vp(vm, uarg);
	case MKHV_VM_SET_REGS:
		return vm_regs(vm, uarg, true);
	case MKHV_VM_GET_REGS:
		return vm_regs(vm, uarg, false);
	case MKHV_VM_RUN:
		return vm_run(vm, uarg);
	case MKHV_VM_INSTALL_INTERCEPT:
		return vm_install_intercept(vm, uarg);
	case MKHV_VM_ASSERT_INTERRUPT:
		return vm_assert_interrupt(vm, uarg);
	default:
		return mkhv_vm_synic_ioctl(vm, cmd, uarg);
	}
}

static void vm_list_del(struct mkhv_vm *vm)
{
	unsigned long flags;

	spin_lock_irqsave(&mkhv_vms_lock, flags);
	list_del(&vm->node);
	spin_unlock_irqrestore(&mkhv_vms_lock, flags);
}

static void vm_free_regions(struct mkhv_vm *vm)
{
	u32 i;

	for (i = 0; i < vm->nr_regions; i++) {
		struct mkhv_region *r = &vm->regions[i];

		unpin_user_pages_dirty_lock(r->pages, r->npages, true);
		kvfree(r->pages);
	}
	vm->nr_regions = 0;
}

static void vm_destroy(struct mkhv_vm *vm)
{
	int ret;

	/* From any state: Delete also stops the VPs and returns the pages. */
	hc_partition_id(HVCALL_FINALIZE_PARTITION, vm->pid);
	ret = hc_partition_id(HVCALL_DELETE_PARTITION, vm->pid);
	if (ret) {
		/*
		 * The hv may still let the child use the pages or write the
		 * intercept page: leak them rather than hand them back.
		 */
		pr_err("partition %llu: DeletePartition failed (%d): leaking its %u regions\n",
		       vm->pid, ret, vm->nr_regions);
		return;
	}
	vm_free_regions(vm);
	free_page((unsigned long)vm->icpt);
	pr_info("partition %llu deleted\n", vm->pid);
	if (vm->mm)
		mmdrop(vm->mm);
	kfree(vm);
}

static int mkhv_vm_release(struct inode *inode, struct file *file)
{
	struct mkhv_vm *vm = file->private_data;

	vm_list_del(vm);
	vm_destroy(vm);
	return 0;
}

static const struct file_operations mkhv_vm_fops = {
	.owner = THIS_MODULE,
	.release = mkhv_vm_release,
	.unlocked_ioctl = mkhv_vm_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

long mkhv_ioc_create_vm(void __user *arg)
{
	struct mkhv_ioc_create_vm c;
	struct mkhv_vm *vm;
	struct file *file;
	unsigned long flags;
	int fd, ret;
	u32 i;

	if (copy_from_user(&c, arg, sizeof(c)))
		return -EFAULT;
	ret = mkhv_create_vm_validate(&c);
	if (ret)
		return ret;
	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return -ENOMEM;
	vm->icpt = (void *)get_zeroed_page(GFP_KERNEL);
	if (!vm->icpt) {
		kfree(vm);
		return -ENOMEM;
	}
	vm->max_vps = c.max_vps;
	INIT_LIST_HEAD(&vm->node);
	mutex_init(&vm->lock);
	init_waitqueue_head(&vm->wq);
	init_waitqueue_head(&vm->rx_wq);
	for (i = 0; i < MKHV_MAX_CHILD_VPS; i++)
		mutex_init(&vm->vps[i].run_lock);

	ret = hc_create_partition(&c, &vm->pid);
	if (ret)
		goto err_free;
	ret = hc_set_intercept_page(vm->pid, vm->icpt);
	if (!ret)
		ret = hc_partition_id(HVCALL_INITIALIZE_PARTITION, vm->pid);
	if (ret)
		goto err_delete;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto err_delete;
	}
	file = anon_inode_getfile("mkhv-vm", &mkhv_vm_fops, vm, O_RDWR);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		ret = PTR_ERR(file);
		goto err_delete;
	}
	c.partition_id = vm->pid;
	if (copy_to_user(arg, &c, sizeof(c))) {
		put_unused_fd(fd);
		fput(file);	/* release deletes the partition */
		return -EFAULT;
	}
	mmgrab(current->mm);
	vm->mm = current->mm;
	spin_lock_irqsave(&mkhv_vms_lock, flags);
	list_add(&vm->node, &mkhv_vms);
	spin_unlock_irqrestore(&mkhv_vms_lock, flags);
	fd_install(fd, file);
	pr_info("partition %llu created for pid %d (%u VPs)\n", vm->pid,
		task_pid_nr(current), vm->max_vps);
	return fd;

err_delete:
	if (hc_partition_id(HVCALL_DELETE_PARTITION, vm->pid)) {
		pr_err("partition %llu: DeletePartition failed: leaking its intercept page\n",
		       vm->pid);
		kfree(vm);
		return ret;
	}
err_free:
	free_page((unsigned long)vm->icpt);
	kfree(vm);
	return ret;
}
