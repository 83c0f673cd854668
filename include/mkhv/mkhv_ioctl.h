/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/mkhv ioctl interface: the one declaration shared by mkhv.ko
 * (parent/kmod) and its userspace tools (hvctl, later hvd/hvworker).
 *
 * Every struct is fixed-width, 8-byte aligned, free of implicit padding
 * and has the same layout for 32- and 64-bit callers, so no compat ioctl
 * is needed.  Reserved fields must be 0 on input (the driver refuses
 * anything else with -EINVAL) and are 0 on output.
 */
#ifndef MKHV_MKHV_IOCTL_H
#define MKHV_MKHV_IOCTL_H

#ifdef __KERNEL__
#include <linux/ioctl.h>
#include <linux/types.h>
#else
#include <stdint.h>
#include <sys/ioctl.h>
#endif

#include <mkhv/hvcall.h>
#include <mkhv/hvcall_partition.h>

#define MKHV_DEVICE_PATH	"/dev/mkhv"
#define MKHV_DEVICE_NAME	"mkhv"

/* 'magic' of the ioctl numbers (not registered in ioctl-number.rst). */
#define MKHV_IOC_MAGIC		0xe8

/*
 * MKHV_IOC_GET_INFO: struct mkhv_info (include/mkhv/hvcall.h) straight from
 * HvCallMkhvGetInfo.
 */
#define MKHV_IOC_GET_INFO	_IOR(MKHV_IOC_MAGIC, 0x00, struct mkhv_info)

/*
 * MKHV_IOC_LOG_READ: up to MKHV_IOC_LOG_DATA_MAX bytes of the hv log from
 * byte position @pos (HvCallMkhvLogRead).  The driver reads only the 16
 * header bytes from the caller and writes back the header and @len bytes
 * of @data.  The log is a ring: a position older than the oldest byte kept
 * reads from the oldest (so next_pos - len > pos tells that bytes were
 * lost); len == 0 means the caller is at the end of the log.
 */
#define MKHV_IOC_LOG_DATA_MAX	MKHV_LOG_READ_MAX	/* 4080 */

struct mkhv_ioc_log_read {
	uint64_t pos;		/* in: position to read from; out: next position */
	uint32_t len;		/* out: bytes in data[] */
	uint32_t flags;		/* in: 0 */
	char data[MKHV_IOC_LOG_DATA_MAX]; /* out: log text, not NUL-terminated */
};

#define MKHV_IOC_LOG_READ	_IOWR(MKHV_IOC_MAGIC, 0x01, struct mkhv_ioc_log_read)

/*
 * MKHV_IOC_PROBE_PHYS (CAP_SYS_RAWIO): the isolation probe.  Maps
 * [@base, @base + @size) page by page and reads the first 8 bytes of each
 * 4 KiB page.  @base and @size must be page aligned, @size non-zero and at
 * most MKHV_PROBE_MAX_SIZE, and the range may not wrap or exceed the
 * CPU's physical address width.  A page the kernel refuses to map counts
 * in @unmapped_pages and is not read.  The parent's view of hv memory is
 * a page of all-ones, so a probe of the hv range must give
 * ones_pages == pages_read.
 */
#define MKHV_PROBE_MAX_SIZE	(1ULL << 30)	/* 1 GiB = 262144 pages */
#define MKHV_PROBE_PAGE_SIZE	4096ULL

struct mkhv_ioc_probe_phys {
	uint64_t base;		/* in: first physical byte, page aligned */
	uint64_t size;		/* in: bytes, page multiple, 1 page - 1 GiB */
	uint64_t flags;		/* in: 0 */
	uint64_t pages_read;	/* out: pages mapped and read */
	uint64_t ones_pages;	/* out: pages whose first 8 bytes were all-ones */
	uint64_t unmapped_pages; /* out: pages the kernel would not map */
	uint64_t first_value;	/* out: first 8 bytes of the first page read */
	uint64_t reserved;	/* out: 0 */
};

#define MKHV_IOC_PROBE_PHYS	_IOWR(MKHV_IOC_MAGIC, 0x02, struct mkhv_ioc_probe_phys)

_Static_assert(sizeof(struct mkhv_ioc_log_read) == 4096, "mkhv_ioc_log_read size");
_Static_assert(offsetof(struct mkhv_ioc_log_read, data) == 16, "log_read data");
_Static_assert(sizeof(struct mkhv_ioc_probe_phys) == 64, "mkhv_ioc_probe_phys size");
_Static_assert(offsetof(struct mkhv_ioc_probe_phys, first_value) == 48,
	       "probe first_value");
/* The ioctl size field has 14 bits. */
_Static_assert(sizeof(struct mkhv_ioc_log_read) < (1 << 14), "ioctl size");

/*
 * ---- Child partitions (issue 7): VMs ----
 *
 * MKHV_IOC_CREATE_VM creates a child partition (HvCallCreatePartition,
 * HvCallMkhvSetInterceptPage with a kernel page of the module, then
 * HvCallInitializePartition) and returns a new file descriptor for it (the
 * ioctl's return value, O_CLOEXEC).  The VM lives as long as that fd: its
 * release finalizes and deletes the partition (the hv takes every page
 * back from the child) and then unpins the VM's memory, so a VMM that
 * crashes or is killed takes exactly its own VM down.
 */
#define MKHV_VM_WEIGHT_MAX	262144	/* cgroup cpu.shares maximum */

struct mkhv_ioc_create_vm {
	uint32_t max_vps;	/* in: 1..MKHV_MAX_CHILD_VPS */
	uint32_t weight;	/* in: CPU weight (<cputune><shares>), 0 = 1024 */
	uint32_t cap_permille;	/* in: CPU cap, 1000 = one pCPU, 0 = none */
	uint32_t flags;		/* in: 0 */
	uint64_t partition_id;	/* out: the hv's partition id */
	uint64_t reserved;	/* in/out: 0 */
};

#define MKHV_IOC_CREATE_VM	_IOWR(MKHV_IOC_MAGIC, 0x03, struct mkhv_ioc_create_vm)

/*
 * MKHV_VM_MAP_MEMORY: lend [userspace_addr, +size) of the caller's memory
 * to the child at guest page @guest_pfn.  The pages are pinned
 * (FOLL_WRITE | FOLL_LONGTERM) for the VM's life and mapped with
 * HvCallMapGpaPages; all-or-nothing (on failure nothing stays mapped or
 * pinned).  Address and size page aligned, size > 0, the guest range
 * below MKHV_MAX_CHILD_PAGES, not overlapping a previous region, at most
 * MKHV_VM_MAX_REGIONS regions.  @flags: HV_MAP_GPA_* (READABLE required).
 */
#define MKHV_VM_MAX_REGIONS	32

struct mkhv_vm_map_memory {
	uint64_t userspace_addr;	/* in: page aligned */
	uint64_t size;			/* in: bytes, page multiple */
	uint64_t guest_pfn;		/* in: first guest page number */
	uint32_t flags;			/* in: HV_MAP_GPA_* */
	uint32_t reserved;		/* in: 0 */
};

#define MKHV_VM_MAP_MEMORY	_IOW(MKHV_IOC_MAGIC, 0x10, struct mkhv_vm_map_memory)

/* MKHV_VM_CREATE_VP: HvCallCreateVp for VP @index (< the VM's max_vps). */
struct mkhv_vm_create_vp {
	uint32_t index;		/* in */
	uint32_t flags;		/* in: 0 */
};

#define MKHV_VM_CREATE_VP	_IOW(MKHV_IOC_MAGIC, 0x11, struct mkhv_vm_create_vp)

/*
 * MKHV_VM_SET_REGS / MKHV_VM_GET_REGS: Set/GetVpRegisters on a VP that is
 * not running (created and never run, or stopped at an intercept the
 * caller got from MKHV_VM_RUN).  A GET of statistics registers only
 * (HV_REGISTER_VP_RUNTIME) works on a running VP too.  @regs points to @count struct
 * hv_register_assoc (TLFS names, include/mkhv/hvcall_partition.h); GET
 * reads the names and writes the values back into the same array.
 */
#define MKHV_VM_REGS_MAX	64

struct mkhv_vm_regs {
	uint32_t vp_index;	/* in */
	uint32_t count;		/* in: 1..MKHV_VM_REGS_MAX */
	uint64_t regs;		/* in: user pointer to struct hv_register_assoc[count] */
	uint64_t flags;		/* in: 0 */
};

#define MKHV_VM_SET_REGS	_IOW(MKHV_IOC_MAGIC, 0x12, struct mkhv_vm_regs)
#define MKHV_VM_GET_REGS	_IOW(MKHV_IOC_MAGIC, 0x13, struct mkhv_vm_regs)

/*
 * MKHV_VM_RUN: run VP @vp_index until its next intercept.  The first call
 * starts the VP (HvCallMkhvResumeVp with MKHV_RESUME_START), a later call
 * resumes it after the intercept the previous call returned (the caller
 * has updated RIP and the other registers with MKHV_VM_SET_REGS).  Then it
 * sleeps until the hv posts the VP's next intercept message and returns it
 * in @msg.  A signal interrupts the sleep (-EINTR) without stopping the VP:
 * the next MKHV_VM_RUN just waits again.  One caller per VP (-EBUSY).
 */
struct mkhv_vm_run {
	uint32_t vp_index;		/* in */
	uint32_t flags;			/* in: 0 */
	struct hv_intercept_message msg; /* out */
};

#define MKHV_VM_RUN		_IOWR(MKHV_IOC_MAGIC, 0x14, struct mkhv_vm_run)

/*
 * MKHV_VM_INSTALL_INTERCEPT: HvCallInstallIntercept for one I/O port.
 * Accesses to it (in the directions of @access) reach MKHV_VM_RUN as
 * HVMSG_X64_IO_PORT_INTERCEPT; every other port reads all-ones and drops
 * writes in the hv, without a round trip to the parent.
 */
struct mkhv_vm_intercept {
	uint32_t port;		/* in: 0..0xffff */
	uint32_t access;	/* in: HV_INTERCEPT_ACCESS_MASK_READ/WRITE */
};

#define MKHV_VM_INSTALL_INTERCEPT _IOW(MKHV_IOC_MAGIC, 0x15, struct mkhv_vm_intercept)

/*
 * MKHV_VM_ASSERT_INTERRUPT: HvCallAssertVirtualInterrupt: raise @vector
 * in VP @vp_index's x2APIC (the VP may be running), as the worker's
 * interrupt controller models deliver device interrupts.
 */
struct mkhv_vm_interrupt {
	uint32_t vp_index;	/* in */
	uint32_t type;		/* in: HV_X64_INTERRUPT_TYPE_FIXED */
	uint32_t vector;	/* in: 16..255 */
	uint32_t flags;		/* in: 0 */
};

#define MKHV_VM_ASSERT_INTERRUPT _IOW(MKHV_IOC_MAGIC, 0x16, struct mkhv_vm_interrupt)

/*
 * ---- SynIC messages and events (issue 8): the worker's VMBus transport ----
 *
 * The child talks to the parent with HvCallPostMessage / HvCallSignalEvent
 * on connection ids the worker set up with MKHV_VM_CONNECT; the hv queues
 * them per VM (bounded: MKHV_CHILD_MSG_QUEUE messages, one pending bit per
 * event flag) and MKHV_VM_RECEIVE pulls them.  The worker answers with
 * MKHV_VM_POST_MESSAGE (into a VP's SIMP slot, the TLFS msg_pending/EOM
 * handshake is the hv's) and MKHV_VM_SIGNAL_EVENT (a flag in a VP's SIEF
 * page).  Errors: -EINVAL bad argument (or an hv refusal of one), -ENOENT
 * unknown connection id or VP, -EEXIST connection id in use, -ENOSPC
 * MKHV_MAX_PORTS connections already, -EAGAIN the VP's inbox is full
 * (MKHV_VP_MSG_INBOX messages the child has not taken: retry later),
 * -EINTR a signal, -EIO a malformed answer from the hv.  Numbers 0x20-0x2f
 * are this group's.
 */

/*
 * MKHV_VM_CONNECT: create a port of @port_type for this VM (HvCallCreatePort)
 * and connect the child's @connection_id to it (HvCallConnectPort).  After
 * it, the child's PostMessage (message port) or SignalEvent (event port) on
 * @connection_id reaches MKHV_VM_RECEIVE.  @port_id is the hv's id of the
 * port, which MKHV_VM_RECEIVE reports too.
 */
struct mkhv_vm_connect {
	uint32_t connection_id;	/* in: 1..0xffffff (VMBus: 4 and 1 for messages,
				 * the offer's connection_id for a channel) */
	uint32_t port_type;	/* in: HV_PORT_TYPE_MESSAGE or HV_PORT_TYPE_EVENT */
	uint32_t flag_count;	/* in: event ports: 1..MKHV_MAX_EVENT_FLAGS, 0 = 1;
				 * message ports: 0 */
	uint32_t port_id;	/* out: the port's id in the hv */
};

#define MKHV_VM_CONNECT		_IOWR(MKHV_IOC_MAGIC, 0x20, struct mkhv_vm_connect)

/* MKHV_VM_DISCONNECT: HvCallDisconnectPort + HvCallDeletePort (rescind). */
struct mkhv_vm_disconnect {
	uint32_t connection_id;	/* in: a connection made by MKHV_VM_CONNECT */
	uint32_t flags;		/* in: 0 */
};

#define MKHV_VM_DISCONNECT	_IOW(MKHV_IOC_MAGIC, 0x21, struct mkhv_vm_disconnect)

/*
 * MKHV_VM_RECEIVE: what the child sent (HvCallMkhvReceive): up to
 * MKHV_RECEIVE_MAX_MESSAGES messages, oldest first, and every event port
 * with pending flags (reported once, then cleared; signals coalesce).
 * out.flags: MKHV_RECEIVE_MORE, more messages are queued, call again at
 * once; MKHV_RECEIVE_INBOX_SPACE, a VP inbox that made POST_MESSAGE fail
 * with -EAGAIN has room again (retry the queued posts now).  Blocks until
 * there is something (a message, an event or INBOX_SPACE), at most
 * @timeout_ms if non-zero (then -ETIMEDOUT), unless
 * MKHV_VM_RECEIVE_NONBLOCK (then it may return nothing); the 0xF3
 * callback wakes it; -EINTR on a signal or after MKHV_VM_RECEIVE_KICK
 * (nothing is lost).  Several threads may call it; each message goes to
 * exactly one.
 */
#define MKHV_VM_RECEIVE_NONBLOCK	0x1
#define MKHV_VM_RECEIVE_TIMEOUT_MAX	3600000u	/* ms: one hour */

struct mkhv_vm_receive {
	uint32_t flags;		/* in: MKHV_VM_RECEIVE_NONBLOCK */
	uint32_t timeout_ms;	/* in: 0 = no limit; must be 0 with NONBLOCK */
	struct mkhv_output_receive out;	/* out (hvcall_partition.h) */
};

#define MKHV_VM_RECEIVE		_IOWR(MKHV_IOC_MAGIC, 0x22, struct mkhv_vm_receive)

/*
 * MKHV_VM_RECEIVE_KICK (no argument): the RECEIVE sleeping on this VM, or
 * the next one to sleep, returns -EINTR (a worker's stop or its own
 * timers, without signals).
 */
#define MKHV_VM_RECEIVE_KICK	_IO(MKHV_IOC_MAGIC, 0x25)

/*
 * MKHV_VM_POST_MESSAGE: HvCallPostMessageDirect of one SynIC message into
 * slot @sint of VP @vp_index's message page (header built by the driver:
 * @message_type, @payload_size, sender 0).  Queued in the VP's inbox and
 * delivered by the VP's pCPU; per SINT in order.  -EAGAIN: inbox full.
 */
struct mkhv_vm_post_message {
	uint32_t vp_index;	/* in: a created VP */
	uint32_t sint;		/* in: 0..15 (VMBus: 2) */
	uint32_t message_type;	/* in: non-zero (VMBus channel messages: 1) */
	uint32_t payload_size;	/* in: 0..HV_MESSAGE_PAYLOAD_MAX */
	uint8_t payload[HV_MESSAGE_PAYLOAD_MAX]; /* in */
};

#define MKHV_VM_POST_MESSAGE	_IOW(MKHV_IOC_MAGIC, 0x23, struct mkhv_vm_post_message)

/*
 * MKHV_VM_SIGNAL_EVENT: HvCallSignalEventDirect: set flag @flag of SINT
 * @sint's area in VP @vp_index's SIEF page (VMBus: the channel's relid in
 * SINT 2) and raise the SINT.  @newly_signaled: 1 unless the flag was
 * still pending from an earlier signal.
 */
struct mkhv_vm_signal_event {
	uint32_t vp_index;	/* in */
	uint32_t sint;		/* in: 0..15 */
	uint32_t flag;		/* in: 0..HV_EVENT_FLAGS_COUNT-1 */
	uint32_t newly_signaled; /* out: 0 or 1 */
};

#define MKHV_VM_SIGNAL_EVENT	_IOWR(MKHV_IOC_MAGIC, 0x24, struct mkhv_vm_signal_event)

_Static_assert(sizeof(struct mkhv_vm_connect) == 16, "connect size");
_Static_assert(sizeof(struct mkhv_vm_disconnect) == 8, "disconnect size");
_Static_assert(offsetof(struct mkhv_vm_receive, out) == 8, "receive out");
_Static_assert(sizeof(struct mkhv_vm_receive) == 8 + 0x410 + 11 * 256, "receive size");
_Static_assert(sizeof(struct mkhv_vm_receive) < (1 << 14), "receive ioctl size");
_Static_assert(sizeof(struct mkhv_vm_post_message) == 256, "post size");
_Static_assert(sizeof(struct mkhv_vm_signal_event) == 16, "signal size");

_Static_assert(sizeof(struct mkhv_ioc_create_vm) == 32, "create_vm size");
_Static_assert(offsetof(struct mkhv_ioc_create_vm, partition_id) == 16, "create_vm id");
_Static_assert(sizeof(struct mkhv_vm_map_memory) == 32, "map_memory size");
_Static_assert(offsetof(struct mkhv_vm_map_memory, flags) == 24, "map_memory flags");
_Static_assert(sizeof(struct mkhv_vm_create_vp) == 8, "create_vp size");
_Static_assert(sizeof(struct mkhv_vm_regs) == 24, "regs size");
_Static_assert(offsetof(struct mkhv_vm_regs, regs) == 8, "regs ptr");
_Static_assert(sizeof(struct mkhv_vm_run) == 8 + 256, "run size");
_Static_assert(offsetof(struct mkhv_vm_run, msg) == 8, "run msg");
_Static_assert(sizeof(struct mkhv_vm_intercept) == 8, "intercept size");
_Static_assert(sizeof(struct mkhv_vm_interrupt) == 16, "interrupt size");
_Static_assert(MKHV_VM_REGS_MAX * sizeof(struct hv_register_assoc) +
	       sizeof(struct hv_input_vp_registers) <= 4096, "regs fit a page");

#endif /* MKHV_MKHV_IOCTL_H */
