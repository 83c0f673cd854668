// SPDX-License-Identifier: GPL-2.0
/*
 * mkhv_hostile.ko: a misbehaving VMBus guest, for tests/system/vmbus-hostile.sh
 * (through guest-drivers/initramfs/hostile).  It talks to the parent's VMBus
 * server the way a hostile kernel can, with nothing but a stock kernel's
 * hypercall page (hv_do_hypercall(HvPostMessage)) and the exported vmbus
 * driver API, and prints what the hypervisor answered as "mkhv_hostile: ..."
 * lines.  attacks= is a comma list:
 *
 *   msgs   malformed channel messages: too long for the hv, empty, shorter
 *          than a header, unknown types, the wrong SynIC message type, an
 *          unknown connection id, bogus relids for open/close/teardown/
 *          modify, an open naming a GPADL that does not exist, a contact
 *          naming a VP the VM lacks
 *   gpadl  GPADL headers for pages outside the child's RAM (past its end,
 *          in the 3-4 GiB hole, at 2^40), with lying counts (more ranges or
 *          bytes than the message carries), and bodies for no GPADL
 *   flood  10000 junk messages as fast as the hypercall goes
 *   ring   a vmbus driver for the time synchronization device (the script
 *          moves the device from hv_utils to it): opens the channel, then
 *          writes out-of-range ring indices (its write_index of the
 *          guest->host ring, its read_index of the host->guest one) and
 *          signals the host, which must close and rescind the channel
 *
 * bench=N (no attacks): N round trips of a VMBus message the worker echoes
 * (VMBUS_MSG_ECHO: HvPostMessage, then the answer in this VP's SINT2 SIMP
 * slot, polled with interrupts off and consumed here; at most 60 s), and N
 * null hypercalls,
 * printed as "mkhv_hostile: bench n=N vmbus_msg_roundtrip_ns=... post_ns=...
 * hypercall_ns=..." (post_ns: the HvPostMessage hypercall alone).
 */
#include <linux/delay.h>
#include <linux/hyperv.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/mshyperv.h>

static char *attacks = "";
static uint bench;
module_param(attacks, charp, 0);
module_param(bench, uint, 0);

/* HvPostMessage's input (TLFS): 16 bytes of header, 240 of payload. */
struct post_in {
	u32 connection_id;
	u32 reserved;
	u32 message_type;
	u32 payload_size;
	u64 payload[HV_MESSAGE_PAYLOAD_QWORD_COUNT];
} __packed;

#define CONN		4	/* VMBUS_MESSAGE_CONNECTION_ID_4 (VMBus >= 5.0) */
#define MSG_CHANNEL	1	/* the SynIC message type of channel messages */
#define FLOOD		10000
/*
 * The worker's echo message (parent/worker/vmbus_host.h VMBUS_MSG_ECHO):
 * a msgtype no VMBus version uses, answered with the same payload.
 */
#define MSG_ECHO	0x4d4b4543
#define SINT_VMBUS	2	/* VMBUS_MESSAGE_SINT (hv_vmbus-private) */

static struct post_in *in;

static u16 post_raw(u32 conn, u32 type, const void *msg, u32 size)
{
	memset(in, 0, sizeof(*in));
	in->connection_id = conn;
	in->message_type = type;
	in->payload_size = size;
	memcpy(in->payload, msg, min_t(u32, size, sizeof(in->payload)));
	return hv_do_hypercall(HVCALL_POST_MESSAGE, in, NULL) &
	       HV_HYPERCALL_RESULT_MASK;
}

static u16 post(const void *msg, u32 size)
{
	return post_raw(CONN, MSG_CHANNEL, msg, size);
}

static void report(const char *what, u16 st)
{
	pr_info("mkhv_hostile: %s: status %#x\n", what, st);
}

/* ---- malformed messages ---- */

static void attack_msgs(void)
{
	u8 buf[256] = { 0 };
	struct vmbus_channel_message_header *hdr = (void *)buf;
	struct vmbus_channel_open_channel *open = (void *)buf;
	struct vmbus_channel_close_channel *close = (void *)buf;
	struct vmbus_channel_gpadl_teardown *td = (void *)buf;
	struct vmbus_channel_modifychannel *mod = (void *)buf;
	struct vmbus_channel_initiate_contact *ic = (void *)buf;
	u32 relid;

	report("241-byte post (hv limit 240)", post(buf, 241));
	report("0xffffffff-byte post", post(buf, 0xffffffff));
	report("empty message", post(buf, 0));
	report("3-byte message", post(buf, 3));
	hdr->msgtype = 0x7777;
	report("unknown msgtype 0x7777", post(buf, 64));
	hdr->msgtype = CHANNELMSG_COUNT;
	report("msgtype CHANNELMSG_COUNT", post(buf, 64));
	hdr->msgtype = CHANNELMSG_INVALID;
	report("msgtype 0 (invalid)", post(buf, 64));
	hdr->msgtype = CHANNELMSG_OFFERCHANNEL;	/* host -> guest only */
	report("an OFFERCHANNEL from the guest", post(buf, 200));
	report("SynIC message type 2", post_raw(CONN, 2, buf, 16));
	report("connection id 0x7777", post_raw(0x7777, MSG_CHANNEL, buf, 16));

	memset(buf, 0, sizeof(buf));
	open->header.msgtype = CHANNELMSG_OPENCHANNEL;
	open->child_relid = 0xdeadbeef;
	open->ringbuffer_gpadlhandle = 0xe1e10;
	report("OPENCHANNEL relid 0xdeadbeef", post(buf, sizeof(*open)));
	for (relid = 1; relid <= 8; relid++) {
		open->child_relid = relid;
		open->openid = relid;
		open->downstream_ringbuffer_pageoffset = 0xffff;
		post(buf, sizeof(*open));
	}
	report("OPENCHANNEL relids 1-8 on GPADL 0xe1e10 (none)", post(buf, 8));
	memset(buf, 0, sizeof(buf));
	close->header.msgtype = CHANNELMSG_CLOSECHANNEL;
	close->child_relid = 0xdeadbeef;
	report("CLOSECHANNEL relid 0xdeadbeef", post(buf, sizeof(*close)));
	memset(buf, 0, sizeof(buf));
	td->header.msgtype = CHANNELMSG_GPADL_TEARDOWN;
	td->child_relid = 0xdeadbeef;
	td->gpadl = 0x1234;
	report("GPADL_TEARDOWN relid 0xdeadbeef", post(buf, sizeof(*td)));
	memset(buf, 0, sizeof(buf));
	mod->header.msgtype = CHANNELMSG_MODIFYCHANNEL;
	mod->child_relid = 1;
	mod->target_vp = 99;
	report("MODIFYCHANNEL to VP 99", post(buf, sizeof(*mod)));
	memset(buf, 0, sizeof(buf));
	ic->header.msgtype = CHANNELMSG_INITIATE_CONTACT;
	ic->vmbus_version_requested = VERSION_WIN10_V5_3;
	ic->target_vcpu = 99;
	report("INITIATE_CONTACT naming VP 99", post(buf, sizeof(*ic)));
}

/* ---- GPADLs ---- */

static u16 gpadl_header(u32 relid, u32 gpadl, u16 rangecount, u16 buflen,
			u32 byte_count, const u64 *pfns, u32 npfns)
{
	u8 buf[240] = { 0 };
	struct vmbus_channel_gpadl_header *g = (void *)buf;
	u32 size = sizeof(*g) + sizeof(struct gpa_range) + npfns * sizeof(u64);

	g->header.msgtype = CHANNELMSG_GPADL_HEADER;
	g->child_relid = relid;
	g->gpadl = gpadl;
	g->rangecount = rangecount;
	g->range_buflen = buflen;
	g->range[0].byte_count = byte_count;
	memcpy(g->range[0].pfn_array, pfns, npfns * sizeof(u64));
	return post(buf, min_t(u32, size, sizeof(buf)));
}

static void attack_gpadl(void)
{
	u64 beyond[] = { PHYS_PFN(SZ_4G) * 64 };	/* 256 GiB */
	u64 hole[] = { PHYS_PFN(0xc0000000ULL), PHYS_PFN(0xc0000000ULL) + 1 };
	u64 big[] = { 1ULL << 28 };			/* 2^40 */
	u64 mine[] = { PHYS_PFN(virt_to_phys(in)) };
	u8 buf[240] = { 0 };
	struct vmbus_channel_gpadl_body *b = (void *)buf;
	u32 relid;

	for (relid = 1; relid <= 4; relid++) {
		report("GPADL page past RAM",
		       gpadl_header(relid, 0xe000 + relid, 1, 16, PAGE_SIZE, beyond, 1));
		report("GPADL pages in the 3-4 GiB hole",
		       gpadl_header(relid, 0xe100 + relid, 1, 24, 2 * PAGE_SIZE, hole, 2));
		report("GPADL page at 2^40",
		       gpadl_header(relid, 0xe200 + relid, 1, 16, PAGE_SIZE, big, 1));
	}
	report("GPADL with 100 ranges in one",
	       gpadl_header(1, 0xe300, 100, 16, PAGE_SIZE, mine, 1));
	report("GPADL of 1 GiB in one page",
	       gpadl_header(1, 0xe301, 1, 16, SZ_1G, mine, 1));
	report("GPADL range_buflen 0xffff",
	       gpadl_header(1, 0xe302, 1, 0xffff, PAGE_SIZE, mine, 1));
	report("GPADL announcing 4096 pages, no bodies",
	       gpadl_header(1, 0xe303, 1, 8 + 4096 * 8, 4096 * PAGE_SIZE, mine, 1));
	report("GPADL for relid 0xdeadbeef",
	       gpadl_header(0xdeadbeef, 0xe304, 1, 16, PAGE_SIZE, mine, 1));
	b->header.msgtype = CHANNELMSG_GPADL_BODY;
	b->gpadl = 0xbad;
	b->pfn[0] = 1ULL << 50;
	report("GPADL_BODY of no GPADL", post(buf, sizeof(*b) + 8));
	b->gpadl = 0xe303;
	b->msgnumber = 77;
	report("GPADL_BODY out of order, page at 2^62", post(buf, sizeof(buf)));
}

static void attack_flood(void)
{
	u8 buf[64] = { 0 };
	unsigned int i, ok = 0, full = 0, other = 0;
	u16 st;

	((struct vmbus_channel_message_header *)buf)->msgtype = 0x6666;
	for (i = 0; i < FLOOD; i++) {
		st = post(buf, sizeof(buf));
		if (st == HV_STATUS_SUCCESS)
			ok++;
		else if (st == HV_STATUS_INSUFFICIENT_BUFFERS)
			full++;
		else
			other++;
		if (!(i % 256))
			cond_resched();
	}
	pr_info("mkhv_hostile: flood of %u: %u accepted, %u refused (hv queue full), %u other\n",
		FLOOD, ok, full, other);
}

/* ---- ring indices of an open channel ---- */

static void ring_cb(void *ctx)
{
	/* Read nothing: the host's packets stay in the ring. */
}

static int hostile_probe(struct hv_device *dev, const struct hv_vmbus_device_id *id)
{
	struct vmbus_channel *ch = dev->channel;
	int ret;

	ret = vmbus_open(ch, 4 * PAGE_SIZE, 4 * PAGE_SIZE, NULL, 0, ring_cb, dev);
	pr_info("mkhv_hostile: ring: opened relid %u: %d\n",
		ch->offermsg.child_relid, ret);
	if (ret)
		return ret;
	msleep(500);	/* the host's NEGOTIATE arrives */
	WRITE_ONCE(ch->outbound.ring_buffer->write_index, 0xfffffff0);
	WRITE_ONCE(ch->inbound.ring_buffer->read_index, 0x7ffffff8);
	virt_mb();
	vmbus_setevent(ch);
	pr_info("mkhv_hostile: ring: relid %u indices corrupted, host signalled\n",
		ch->offermsg.child_relid);
	return 0;
}

static int hostile_remove(struct hv_device *dev)
{
	struct vmbus_channel *ch = dev->channel;

	pr_info("mkhv_hostile: ring: relid %u removed (rescinded %d)\n",
		ch->offermsg.child_relid, ch->rescind);
	vmbus_close(ch);
	return 0;
}

static const struct hv_vmbus_device_id hostile_ids[] = {
	{ HV_TS_GUID, },
	{ },
};

static struct hv_driver hostile_driver = {
	.name = "mkhv_hostile",
	.id_table = hostile_ids,
	.probe = hostile_probe,
	.remove = hostile_remove,
	.driver = { .probe_type = PROBE_FORCE_SYNCHRONOUS },
};
static bool registered;

/* ---- bench ---- */

/*
 * The SINT2 slot of this VP's SIMP page (TLFS: 16 slots of 256 bytes),
 * from HV_REGISTER_SIMP; NULL when the SynIC is not set up.
 */
static struct hv_message *sint2_slot(void **page)
{
	union hv_synic_simp simp;

	simp.as_uint64 = hv_get_register(HV_REGISTER_SIMP);
	if (!simp.simp_enabled)
		return NULL;
	*page = memremap((u64)simp.base_simp_gpa << HV_HYP_PAGE_SHIFT,
			 HV_HYP_PAGE_SIZE, MEMREMAP_WB);
	return *page ? (struct hv_message *)*page + SINT_VMBUS : NULL;
}

/*
 * Wait (interrupts off) up to 200 ms for the echo @seq in @slot and take
 * it: 1.  0 on timeout.  -1 for a message that is not ours: it is left
 * for hv_vmbus (the caller lets interrupts in until it is taken).
 */
static int take_echo(struct hv_message *slot, u32 seq)
{
	u64 end = ktime_get_ns() + 200 * NSEC_PER_MSEC;

	while (READ_ONCE(slot->header.message_type) == HVMSG_NONE) {
		if (ktime_get_ns() > end)
			return 0;
		cpu_relax();
	}
	virt_rmb();
	if (slot->u.payload[0] != ((u64)seq << 32 | MSG_ECHO))
		return -1;
	WRITE_ONCE(slot->header.message_type, HVMSG_NONE);
	virt_mb();
	if (slot->header.message_flags.msg_pending)
		hv_set_register(HV_REGISTER_EOM, 0);
	return 1;
}

/* Let hv_vmbus take a message of its own from @slot (up to 1 s). */
static bool yield_slot(struct hv_message *slot)
{
	u64 end = ktime_get_ns() + NSEC_PER_SEC;

	while (READ_ONCE(slot->header.message_type) != HVMSG_NONE) {
		if (ktime_get_ns() > end)
			return false;
		cpu_relax();
	}
	return true;
}

static void run_bench(unsigned int n)
{
	struct hv_message *slot;
	void *page = NULL;
	unsigned long flags;
	unsigned int i, got = 0, foreign = 0;
	u64 msg[2], t, t0, t2, rt_ns = 0, post_ns = 0;
	u64 deadline = ktime_get_ns() + 60 * NSEC_PER_SEC;
	const char *why = "60 s limit";
	int r = 0;

	slot = sint2_slot(&page);
	if (!slot) {
		pr_info("mkhv_hostile: bench: no SIMP page\n");
		return;
	}
	/*
	 * Interrupts are off for one round trip at a time: the answer is
	 * taken from the slot here, before hv_vmbus's interrupt could run.
	 */
	for (i = 0; i < n && ktime_get_ns() < deadline; i++) {
		msg[0] = (u64)i << 32 | MSG_ECHO;
		msg[1] = 0;
		if (!yield_slot(slot)) {
			why = "SINT2 slot not taken by hv_vmbus";
			break;
		}
		local_irq_save(flags);
		t0 = ktime_get_ns();
		if (post(msg, sizeof(msg)) != HV_STATUS_SUCCESS) {
			local_irq_restore(flags);
			why = "HvPostMessage failed";
			break;
		}
		t = ktime_get_ns();
		while ((r = take_echo(slot, i)) < 0) {
			foreign++;
			local_irq_restore(flags);	/* hv_vmbus takes it */
			if (!yield_slot(slot))
				break;
			local_irq_save(flags);
		}
		t2 = ktime_get_ns();
		local_irq_restore(flags);
		if (r <= 0) {
			why = "no answer within 200 ms";
			break;
		}
		post_ns += t - t0;
		rt_ns += t2 - t0;
		got++;
	}
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		hv_do_fast_hypercall8(HVCALL_NOTIFY_LONG_SPIN_WAIT, 0);
	t2 = ktime_get_ns();
	memunmap(page);
	if (got < n)
		pr_info("mkhv_hostile: bench: %u of %u echoes came back (%s)\n",
			got, n, why);
	if (foreign)
		pr_info("mkhv_hostile: bench: %u of hv_vmbus's messages left to it\n",
			foreign);
	if (!got)
		return;
	pr_info("mkhv_hostile: bench n=%u vmbus_msg_roundtrip_ns=%llu post_ns=%llu hypercall_ns=%llu\n",
		got, rt_ns / got, post_ns / got, (t2 - t0) / n);
}

static bool wants(const char *what)
{
	const char *p = attacks;
	size_t n = strlen(what);

	while ((p = strstr(p, what))) {
		if ((p == attacks || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

static int __init hostile_init(void)
{
	int ret;

	if (!hv_hypercall_pg) {
		pr_info("mkhv_hostile: no hypercall page\n");
		return -ENODEV;
	}
	in = (void *)__get_free_page(GFP_KERNEL | __GFP_ZERO);
	if (!in)
		return -ENOMEM;
	/*
	 * A second and a half between the groups: the hv's queue drains and
	 * the worker's log budget (per second) renews, so each group shows.
	 */
	if (wants("msgs")) {
		attack_msgs();
		msleep(1500);
	}
	if (wants("gpadl")) {
		attack_gpadl();
		msleep(1500);
	}
	if (wants("flood"))
		attack_flood();
	if (bench)
		run_bench(bench);
	if (wants("ring")) {
		ret = vmbus_driver_register(&hostile_driver);
		pr_info("mkhv_hostile: ring: driver registered: %d\n", ret);
		registered = !ret;
	}
	pr_info("mkhv_hostile: attacks sent\n");
	return 0;
}

static void __exit hostile_exit(void)
{
	if (registered)
		vmbus_driver_unregister(&hostile_driver);
	free_page((unsigned long)in);
}

module_init(hostile_init);
module_exit(hostile_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mkhv hostile VMBus guest (tests only)");
