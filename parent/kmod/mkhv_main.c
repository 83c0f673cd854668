// SPDX-License-Identifier: GPL-2.0
/*
 * mkhv.ko: the parent partition's door to the mkhv hypervisor.
 *
 * Loads only under mkhv (CPUID 0x40000000 "Microsoft Hv" plus mkhv's own
 * identity leaf 0x40000100), then exposes /dev/mkhv (root only) whose
 * ioctls (include/mkhv/mkhv_ioctl.h) issue mkhv's hypercalls
 * (include/mkhv/hvcall.h) through the hypercall page Linux's Hyper-V code
 * already set up.  Hypercall parameters go through two page-aligned pages
 * owned by the device and serialised by one mutex: the hv requires that a
 * parameter list never crosses a page, and HvCallMkhvLogRead's output is a
 * full page.
 */
#define pr_fmt(fmt) "mkhv: " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>

#include <mkhv/hvcall.h>
#include <mkhv/mkhv_ioctl.h>

#include "mkhv_priv.h"
#include "mkhv_validate.h"

#ifndef MKHV_KMOD_VERSION
#define MKHV_KMOD_VERSION "unknown"
#endif

#define HV_CPUID_VENDOR		0x40000000

static struct {
	struct mutex lock;	/* serialises the hypercall pages */
	void *in;		/* hypercall input page */
	void *out;		/* hypercall output page */
} mkhv_dev;

/* A slow call with the device's pages; the caller holds mkhv_dev.lock. */
static int mkhv_call(u16 code, bool has_input)
{
	u64 rax;
	int ret;

	lockdep_assert_held(&mkhv_dev.lock);
	memset(mkhv_dev.out, 0, PAGE_SIZE);
	rax = mkhv_hypercall(code, has_input ? mkhv_dev.in : NULL,
			     mkhv_dev.out);
	ret = mkhv_status_to_errno(rax);
	if (ret)
		pr_warn_ratelimited("hypercall %#x failed: status %#llx (%d)\n",
				    code, rax & HV_HYPERCALL_RESULT_MASK, ret);
	return ret;
}

static int mkhv_get_info(struct mkhv_info *info)
{
	int ret;

	mutex_lock(&mkhv_dev.lock);
	ret = mkhv_call(HVCALL_MKHV_GET_INFO, false);
	if (!ret)
		memcpy(info, mkhv_dev.out, sizeof(*info));
	mutex_unlock(&mkhv_dev.lock);
	if (!ret)
		info->build_id[sizeof(info->build_id) - 1] = '\0';
	return ret;
}

static long mkhv_ioc_get_info(void __user *arg)
{
	struct mkhv_info info;
	int ret = mkhv_get_info(&info);

	if (ret)
		return ret;
	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

#define LOG_HDR_SIZE offsetof(struct mkhv_ioc_log_read, data)

static long mkhv_ioc_log_read(void __user *arg)
{
	struct mkhv_ioc_log_read *r;
	struct mkhv_log_read_in *in = mkhv_dev.in;
	const struct mkhv_log_read_out *out = mkhv_dev.out;
	long ret;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	/* Only the header comes from the caller, copied once. */
	if (copy_from_user(r, arg, LOG_HDR_SIZE)) {
		ret = -EFAULT;
		goto out;
	}
	ret = mkhv_log_read_validate(r);
	if (ret)
		goto out;

	mutex_lock(&mkhv_dev.lock);
	memset(mkhv_dev.in, 0, PAGE_SIZE);
	in->pos = r->pos;
	ret = mkhv_call(HVCALL_MKHV_LOG_READ, true);
	if (!ret) {
		/* Even the hv's answer is checked before it is used. */
		ret = mkhv_log_read_out_validate(out);
		if (!ret) {
			r->pos = out->next_pos;
			r->len = out->len;
			memcpy(r->data, out->data, out->len);
		}
	}
	mutex_unlock(&mkhv_dev.lock);
	if (ret)
		goto out;
	if (copy_to_user(arg, r, LOG_HDR_SIZE + r->len))
		ret = -EFAULT;
out:
	kfree(r);
	return ret;
}

static long mkhv_ioc_probe_phys(void __user *arg)
{
	struct mkhv_ioc_probe_phys p;
	u64 off;
	bool first = true;
	int ret;

	if (!capable(CAP_SYS_RAWIO))
		return -EPERM;
	if (copy_from_user(&p, arg, sizeof(p)))
		return -EFAULT;
	ret = mkhv_probe_validate(&p, boot_cpu_data.x86_phys_bits);
	if (ret)
		return ret;
	p.pages_read = p.ones_pages = p.unmapped_pages = 0;
	p.first_value = p.reserved = 0;

	for (off = 0; off < p.size; off += MKHV_PROBE_PAGE_SIZE) {
		void *va;
		u64 v;

		/*
		 * memremap() gives the direct map for RAM the kernel owns
		 * and a WB ioremap for anything else (hv memory is
		 * "Reserved" in the parent's e820).  Page by page, so a
		 * 1 GiB probe never needs 1 GiB of vmalloc space.
		 */
		va = memremap(p.base + off, MKHV_PROBE_PAGE_SIZE, MEMREMAP_WB);
		if (!va) {
			p.unmapped_pages++;
			continue;
		}
		v = READ_ONCE(*(u64 *)va);
		memunmap(va);
		if (first) {
			p.first_value = v;
			first = false;
		}
		p.pages_read++;
		if (v == ~0ULL)
			p.ones_pages++;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	pr_info("isolation probe %llx-%llx by pid %d: %llu pages read, %llu all-ones, %llu unmapped\n",
		p.base, p.base + p.size - 1, task_pid_nr(current),
		p.pages_read, p.ones_pages, p.unmapped_pages);
	return copy_to_user(arg, &p, sizeof(p)) ? -EFAULT : 0;
}

static long mkhv_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case MKHV_IOC_GET_INFO:
		return mkhv_ioc_get_info(uarg);
	case MKHV_IOC_LOG_READ:
		return mkhv_ioc_log_read(uarg);
	case MKHV_IOC_PROBE_PHYS:
		return mkhv_ioc_probe_phys(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations mkhv_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.unlocked_ioctl = mkhv_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = no_llseek,
};

static struct miscdevice mkhv_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = MKHV_DEVICE_NAME,
	.fops = &mkhv_fops,
	.mode = 0600,
};

/*
 * Are we the parent partition of mkhv?  Returns 0, or -ENODEV after saying
 * why not in the kernel log.
 */
static int mkhv_detect(void)
{
	u32 eax, ebx, ecx, edx, max;
	char vendor[13];

	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR)) {
		pr_err("not running on the mkhv hypervisor (no hypervisor present): refusing to load\n");
		return -ENODEV;
	}
	cpuid(HV_CPUID_VENDOR, &max, &ebx, &ecx, &edx);
	memcpy(vendor, &ebx, 4);
	memcpy(vendor + 4, &ecx, 4);
	memcpy(vendor + 8, &edx, 4);
	vendor[12] = '\0';
	if (memcmp(vendor, "Microsoft Hv", 12)) {
		pr_err("not running on the mkhv hypervisor (hypervisor vendor '%s', not 'Microsoft Hv'): refusing to load\n",
		       vendor);
		return -ENODEV;
	}
	cpuid(MKHV_CPUID_IDENT, &eax, &ebx, &ecx, &edx);
	if (ebx != MKHV_CPUID_SIGNATURE || eax < MKHV_CPUID_HVCALL) {
		pr_err("not running on the mkhv hypervisor (Microsoft Hv without mkhv's CPUID %#x signature, found %#x): refusing to load\n",
		       MKHV_CPUID_IDENT, ebx);
		return -ENODEV;
	}
	if (!(edx & MKHV_FEAT_PARENT) || !(edx & MKHV_FEAT_GET_INFO) ||
	    !(edx & MKHV_FEAT_LOG_READ)) {
		pr_err("mkhv %u.%u.%u is the hypervisor but this is not its parent partition (features %#x): refusing to load\n",
		       (ecx >> 16) & 0xff, (ecx >> 8) & 0xff, ecx & 0xff, edx);
		return -ENODEV;
	}
	cpuid(MKHV_CPUID_HVCALL, &eax, &ebx, &ecx, &edx);
	if (ecx != MKHV_HVCALL_ABI_VERSION || eax != HVCALL_MKHV_BASE) {
		pr_err("mkhv hypercall ABI %u at %#x, this module speaks ABI %u at %#x: refusing to load\n",
		       ecx, eax, MKHV_HVCALL_ABI_VERSION, HVCALL_MKHV_BASE);
		return -ENODEV;
	}
	if (!mkhv_hypercall_ready()) {
		pr_err("running on mkhv but Linux's Hyper-V code set up no hypercall page: refusing to load\n");
		return -ENODEV;
	}
	return 0;
}

static int __init mkhv_init(void)
{
	struct mkhv_info info;
	int ret;

	ret = mkhv_detect();
	if (ret)
		return ret;

	mutex_init(&mkhv_dev.lock);
	mkhv_dev.in = (void *)get_zeroed_page(GFP_KERNEL);
	mkhv_dev.out = (void *)get_zeroed_page(GFP_KERNEL);
	ret = -ENOMEM;
	if (!mkhv_dev.in || !mkhv_dev.out)
		goto err_free;

	ret = mkhv_get_info(&info);
	if (ret) {
		pr_err("HvCallMkhvGetInfo failed (%d): refusing to load\n", ret);
		goto err_free;
	}
	ret = misc_register(&mkhv_misc);
	if (ret) {
		pr_err("cannot register /dev/%s (%d)\n", MKHV_DEVICE_NAME, ret);
		goto err_free;
	}
	pr_info("mkhv %u.%u.%u (build %s, ABI %u): %u pCPUs, %u in the child pool, hv memory %llx-%llx; /dev/%s ready (module %s)\n",
		(info.version >> 16) & 0xff, (info.version >> 8) & 0xff,
		info.version & 0xff, info.build_id, info.abi_version,
		info.nr_pcpus, info.nr_pool_pcpus, info.hv_mem_base,
		info.hv_mem_base + info.hv_mem_size - 1, MKHV_DEVICE_NAME,
		MKHV_KMOD_VERSION);
	return 0;

err_free:
	free_page((unsigned long)mkhv_dev.out);
	free_page((unsigned long)mkhv_dev.in);
	return ret;
}

static void __exit mkhv_exit(void)
{
	misc_deregister(&mkhv_misc);
	free_page((unsigned long)mkhv_dev.out);
	free_page((unsigned long)mkhv_dev.in);
}

module_init(mkhv_init);
module_exit(mkhv_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("mkhv project");
MODULE_DESCRIPTION("mkhv hypervisor interface for the parent partition (/dev/mkhv)");
MODULE_VERSION(MKHV_KMOD_VERSION);
