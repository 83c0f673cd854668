// SPDX-License-Identifier: GPL-2.0
/*
 * Check suite for parent/worker/storvsp.c: the storvsc protocol through the
 * VMBus host and the fake Linux guest (hvworker_vmbus_fake.h): the guest
 * opens the SCSI channel with 128 KiB rings, runs storvsc_channel_init()'s
 * sequence and sends SRBs as storvsc_queuecommand() does (in-band without
 * data, GPA-direct with one page range otherwise); its disks are memfds.
 * Hostile packets must fail the channel (rescinded), never the worker.
 */
#include <pthread.h>
#include <time.h>
#include <unistd.h>
#include <vmbus/storvsc_wire.h>

#include "hvworker_vmbus_fake.h"
#include "scsi_disk.h"
#include "storvsp.h"
#include "hv_check.h"

#define RING_PAGES	33	/* 4 KiB header + 128 KiB */
#define DISK_BYTES	(8u << 20)

struct sv {
	struct fake *f;
	struct storvsp *s;
	struct fg_chan *c;
	struct disk *disks[3];
	int fds[3];
	unsigned int n;
	uint64_t next_trans;
	bool quiet;		/* sv_srb: never signal the host, note it in sig */
	bool sig;
};

static struct sv *sv_new(unsigned int threads, uint32_t recv_pages)
{
	static const bool ro[3] = { false, true, false };
	struct sv *v = calloc(1, sizeof(*v));
	char err[256];

	ck_assert_ptr_nonnull(v);
	v->f = fg_create(0, 0, false);
	v->n = 3;
	for (unsigned int i = 0; i < v->n; i++) {
		int fd = memfd_create("storvsp-disk", MFD_CLOEXEC);

		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(ftruncate(fd, DISK_BYTES), 0);
		v->fds[i] = dup(fd);
		v->disks[i] = disk_open_fd(fd, ro[i], i ? "/img/b" : "/img/a",
					   threads, err, sizeof(err));
		ck_assert_msg(v->disks[i] != NULL, "%s", err);
	}
	v->s = storvsp_create(v->f->h, &v->f->mem, v->disks, v->n);
	ck_assert_ptr_nonnull(v->s);
	ck_assert_int_eq(vmbus_host_start(v->f->h), 0);
	fg_boot(v->f);
	v->c = fg_chan_by_type(v->f, (struct vmbus_guid)VMBUS_GUID_SCSI);
	ck_assert_ptr_nonnull(v->c);
	ck_assert_uint_eq(fg_open(v->f, v->c, RING_PAGES, recv_pages), 0);
	v->next_trans = 1;
	return v;
}

static void sv_free(struct sv *v)
{
	vmbus_host_join(v->f->h);
	for (unsigned int i = 0; i < v->n; i++) {
		disk_close(v->disks[i]);
		close(v->fds[i]);
	}
	fg_free(v->f);
	storvsp_destroy(v->s);
	free(v);
}

static bool sv_broken(struct sv *v)
{
	return storvsp_dev(v->s)->broken;
}

/* Guest: an in-band packet (storvsc's vmbus_sendpacket). */
static void sv_send(struct sv *v, uint64_t trans, const void *p, uint32_t len)
{
	struct vmbus_packet_desc d = {
		.type = VM_PKT_DATA_INBAND, .trans_id = trans,
		.flags = VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED,
	};
	struct vmbus_ring_iov iov = { p, len };
	bool sig = false;

	ck_assert_int_eq(vmbus_ring_send(&v->c->out, &d, &iov, 1, &sig), 0);
	if (sig)
		fg_signal_host(v->f, v->c->conn_id);
}

/* Guest: one completion from the host, waiting up to 3 s (I/O threads). */
static bool sv_recv(struct sv *v, struct vstor_packet *p, uint64_t *trans,
		    uint32_t *len, uint16_t *type)
{
	static uint8_t buf[4096];
	struct timespec ms = { 0, 1000000 };

	for (int i = 0; i < 3000; i++) {
		struct vmbus_ring_pkt pkt;
		int rc;

		fg_pump(v->f);
		vmbus_host_poll(v->f->h, 1);	/* 1 ms of simulated time */
		rc = vmbus_ring_read(&v->c->in, &pkt, buf, sizeof(buf));
		if (rc >= 0) {
			if (vmbus_ring_read_done(&v->c->in) > 0)
				fg_signal_host(v->f, v->c->conn_id);
			memset(p, 0, sizeof(*p));
			memcpy(p, buf, (uint32_t)rc < sizeof(*p) ? (uint32_t)rc : sizeof(*p));
			if (trans)
				*trans = pkt.desc.trans_id;
			if (len)
				*len = (uint32_t)rc;
			if (type)
				*type = pkt.desc.type;
			return true;
		}
		vmbus_ring_unmask(&v->c->in);
		if (sv_broken(v))
			return false;
		nanosleep(&ms, NULL);
	}
	return false;
}

/* A control operation; returns the completion's status. */
static uint32_t sv_op(struct sv *v, uint32_t op, uint16_t version, struct vstor_packet *out)
{
	struct vstor_packet p, r;
	uint64_t trans;
	uint32_t len;
	uint16_t type;

	memset(&p, 0, sizeof(p));
	p.operation = op;
	p.flags = VSTOR_FLAG_REQUEST_COMPLETION;
	p.version.major_minor = version;
	sv_send(v, STORVSC_RQST_INIT, &p, sizeof(p));
	ck_assert(sv_recv(v, &r, &trans, &len, &type));
	ck_assert_uint_eq(type, VM_PKT_COMP);
	ck_assert_uint_eq(trans, STORVSC_RQST_INIT);
	ck_assert_uint_eq(len, sizeof(struct vstor_packet));
	ck_assert_uint_eq(r.operation, VSTOR_OPERATION_COMPLETE_IO);
	if (out)
		*out = r;
	return r.status;
}

/* storvsc_channel_init(): BEGIN, versions 6.2.., PROPERTIES, END. */
static void sv_init(struct sv *v)
{
	struct vstor_packet r;

	ck_assert_uint_eq(sv_op(v, VSTOR_OPERATION_BEGIN_INITIALIZATION, 0, NULL), 0);
	ck_assert_uint_eq(sv_op(v, VSTOR_OPERATION_QUERY_PROTOCOL_VERSION,
				VMSTOR_PROTO_VERSION_WIN10, NULL), 0);
	ck_assert_uint_eq(sv_op(v, VSTOR_OPERATION_QUERY_PROPERTIES, 0, &r), 0);
	ck_assert_uint_eq(sv_op(v, VSTOR_OPERATION_END_INITIALIZATION, 0, NULL), 0);
}

/* How an SRB's GPA-direct packet is built (and broken, for the hostile tests). */
struct srb_opts {
	uint32_t range_cnt;	/* 0: 1 */
	int32_t len_delta;	/* range len - data_transfer_length */
	int32_t pfn_delta;	/* fewer/more PFNs than needed */
	uint32_t offset;	/* range offset into the first page */
	const uint64_t *pfns;	/* NULL: contiguous from gpa */
	uint32_t vstor_len;	/* 0: 64 */
	bool inband_with_len;	/* in-band SRB that claims data */
	uint32_t op;		/* 0: EXECUTE_SRB */
};

/* Guest: an SRB to (target, lun) with a @len-byte buffer at @gpa. */
static uint64_t sv_srb(struct sv *v, uint8_t target, uint8_t lun, const uint8_t *cdb,
		       uint8_t cdb_len, uint8_t data_in, uint64_t gpa, uint32_t len,
		       const struct srb_opts *o)
{
	static const struct srb_opts none;
	struct vstor_packet p;
	uint8_t hdr[8 + 8 * 512];
	uint64_t trans = v->next_trans++;
	uint32_t off, npfn;
	struct vmbus_packet_desc d = {
		.type = VM_PKT_DATA_USING_GPA_DIRECT, .trans_id = trans,
		.flags = VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED,
	};
	struct vmbus_ring_iov iov[2];
	bool sig = false;
	uint32_t rcnt, rlen;

	if (!o)
		o = &none;
	memset(&p, 0, sizeof(p));
	p.operation = o->op ? o->op : VSTOR_OPERATION_EXECUTE_SRB;
	p.flags = VSTOR_FLAG_REQUEST_COMPLETION;
	p.vm_srb.length = sizeof(p.vm_srb);
	p.vm_srb.target_id = target;
	p.vm_srb.lun = lun;
	p.vm_srb.cdb_length = cdb_len;
	p.vm_srb.sense_info_length = STORVSC_SENSE_BUFFER_SIZE;
	p.vm_srb.data_in = data_in;
	p.vm_srb.data_transfer_length = len;
	memcpy(p.vm_srb.cdb, cdb, cdb_len);
	if (!len) {
		if (o->inband_with_len)
			p.vm_srb.data_transfer_length = 4096;
		sv_send(v, trans, &p, o->vstor_len ? o->vstor_len : sizeof(p));
		return trans;
	}
	off = o->offset ? o->offset : (uint32_t)(gpa & 4095);
	npfn = (uint32_t)((off + len + 4095) / 4096 + o->pfn_delta);
	rcnt = o->range_cnt ? o->range_cnt : 1;
	rlen = (uint32_t)((int64_t)len + o->len_delta);
	memcpy(hdr, (uint32_t[2]){ 0, rcnt }, 8);
	memcpy(hdr + 8, (uint32_t[2]){ rlen, off }, 8);
	for (uint32_t i = 0; i < npfn; i++) {
		uint64_t pfn = o->pfns ? o->pfns[i] : (gpa >> 12) + i;

		memcpy(hdr + 16 + 8 * i, &pfn, 8);
	}
	/* the range header after the 16-byte descriptor */
	iov[0] = (struct vmbus_ring_iov){ hdr, 16 + 8 * npfn };
	iov[1] = (struct vmbus_ring_iov){ &p, o->vstor_len ? o->vstor_len : sizeof(p) };
	d.offset8 = (uint16_t)((16 + 16 + 8 * npfn) / 8);
	ck_assert_int_eq(vmbus_ring_send(&v->c->out, &d, iov, 2, &sig), 0);
	v->sig = sig;
	if (sig && !v->quiet)
		fg_signal_host(v->f, v->c->conn_id);
	return trans;
}

/* The completion of @trans; asserts it is a well-formed one. */
static struct vmscsi_request sv_done(struct sv *v, uint64_t trans)
{
	struct vstor_packet r;
	uint64_t t;
	uint16_t type;
	uint32_t len;

	ck_assert_msg(sv_recv(v, &r, &t, &len, &type), "no completion for %llu",
		      (unsigned long long)trans);
	ck_assert_uint_eq(type, VM_PKT_COMP);
	ck_assert_uint_eq(t, trans);
	ck_assert_uint_eq(len, sizeof(r));
	ck_assert_uint_eq(r.operation, VSTOR_OPERATION_COMPLETE_IO);
	return r.vm_srb;
}

/* ---- initialization ---- */

START_TEST(offer_and_init)
{
	struct sv *v = sv_new(0, RING_PAGES);
	struct vstor_packet r;
	struct storvsp_stats st;

	ck_assert_uint_eq(sv_op(v, VSTOR_OPERATION_BEGIN_INITIALIZATION, 0, NULL), 0);
	ck_assert_uint_eq(sv_op(v, VSTOR_OPERATION_QUERY_PROTOCOL_VERSION,
				VMSTOR_PROTO_VERSION_WIN10, NULL), 0);
	ck_assert_uint_eq(sv_op(v, VSTOR_OPERATION_QUERY_PROPERTIES, 0, &r), 0);
	ck_assert_uint_eq(r.storage_channel_properties.max_transfer_bytes, STORVSP_MAX_TRANSFER);
	ck_assert_uint_eq(r.storage_channel_properties.max_transfer_bytes % 4096, 0);
	ck_assert_uint_eq(r.storage_channel_properties.flags &
			  STORAGE_CHANNEL_SUPPORTS_MULTI_CHANNEL, 0);
	ck_assert_uint_eq(sv_op(v, VSTOR_OPERATION_END_INITIALIZATION, 0, NULL), 0);
	storvsp_get_stats(v->s, &st);
	ck_assert(st.ready);
	ck_assert_uint_eq(st.version, VMSTOR_PROTO_VERSION_WIN10);
	sv_free(v);
}
END_TEST

START_TEST(version_negotiation)
{
	struct sv *v = sv_new(0, RING_PAGES);
	struct storvsp_stats st;

	ck_assert_uint_eq(sv_op(v, VSTOR_OPERATION_BEGIN_INITIALIZATION, 0, NULL), 0);
	/* END before any version: refused */
	ck_assert_uint_ne(sv_op(v, VSTOR_OPERATION_END_INITIALIZATION, 0, NULL), 0);
	ck_assert_uint_ne(sv_op(v, VSTOR_OPERATION_QUERY_PROTOCOL_VERSION,
				VMSTOR_PROTO_VERSION(10, 0), NULL), 0);
	ck_assert_uint_ne(sv_op(v, VSTOR_OPERATION_QUERY_PROTOCOL_VERSION,
				VMSTOR_PROTO_VERSION(4, 2), NULL), 0);
	ck_assert_uint_eq(sv_op(v, VSTOR_OPERATION_QUERY_PROTOCOL_VERSION,
				VMSTOR_PROTO_VERSION_WIN8_1, NULL), 0);
	storvsp_get_stats(v->s, &st);
	ck_assert_uint_eq(st.version, VMSTOR_PROTO_VERSION_WIN8_1);
	ck_assert_uint_eq(sv_op(v, VSTOR_OPERATION_QUERY_PROTOCOL_VERSION,
				VMSTOR_PROTO_VERSION_WIN8, NULL), 0);
	ck_assert_uint_eq(sv_op(v, VSTOR_OPERATION_END_INITIALIZATION, 0, NULL), 0);
	storvsp_get_stats(v->s, &st);
	ck_assert_uint_eq(st.version, VMSTOR_PROTO_VERSION_WIN8);
	ck_assert(st.ready);
	sv_free(v);
}
END_TEST

START_TEST(reset_and_unknown_operations)
{
	struct sv *v = sv_new(0, RING_PAGES);

	sv_init(v);
	ck_assert_uint_eq(sv_op(v, VSTOR_OPERATION_RESET_BUS, 0, NULL), 0);
	ck_assert_uint_eq(sv_op(v, VSTOR_OPERATION_RESET_LUN, 0, NULL), 0);
	ck_assert_uint_eq(sv_op(v, VSTOR_OPERATION_RESET_ADAPTER, 0, NULL), 0);
	ck_assert_uint_eq(sv_op(v, VSTOR_OPERATION_CREATE_SUB_CHANNELS, 0, NULL),
			  VSTOR_STATUS_INVALID_DEVICE_REQUEST);
	ck_assert_uint_eq(sv_op(v, VSTOR_OPERATION_FCHBA_DATA, 0, NULL),
			  VSTOR_STATUS_INVALID_DEVICE_REQUEST);
	ck_assert_uint_eq(sv_op(v, 0x12345678, 0, NULL), VSTOR_STATUS_INVALID_DEVICE_REQUEST);
	ck_assert(!sv_broken(v));
	sv_free(v);
}
END_TEST

/* ---- SRBs ---- */

START_TEST(inquiry_and_absent_targets)
{
	struct sv *v = sv_new(0, RING_PAGES);
	const uint8_t inq[6] = { 0x12, 0, 0, 0, 96, 0 };
	uint64_t gpa = fg_alloc(v->f, 1);
	uint8_t *buf = v->f->ram + gpa;
	struct vmscsi_request r;

	sv_init(v);
	r = sv_done(v, sv_srb(v, 0, 0, inq, 6, VMSCSI_READ_TYPE, gpa, 96, NULL));
	ck_assert_uint_eq(r.srb_status, SRB_STATUS_SUCCESS);
	ck_assert_uint_eq(r.scsi_status, 0);
	ck_assert_uint_eq(r.data_transfer_length, 96);
	ck_assert_uint_eq(buf[0], 0);
	ck_assert(!memcmp(buf + 8, "MKHV", 4));
	/* target 1 and channel 0's absent LUN 3: qualifier 3 */
	memset(buf, 0, 96);
	r = sv_done(v, sv_srb(v, 1, 0, inq, 6, VMSCSI_READ_TYPE, gpa, 96, NULL));
	ck_assert_uint_eq(r.srb_status, SRB_STATUS_SUCCESS);
	ck_assert_uint_eq(buf[0], 0x7f);
	memset(buf, 0, 96);
	r = sv_done(v, sv_srb(v, 0, 3, inq, 6, VMSCSI_READ_TYPE, gpa, 96, NULL));
	ck_assert_uint_eq(buf[0], 0x7f);
	sv_free(v);
}
END_TEST

START_TEST(report_luns_lists_every_disk)
{
	struct sv *v = sv_new(0, RING_PAGES);
	const uint8_t rl[12] = { 0xa0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 };
	uint64_t gpa = fg_alloc(v->f, 1);
	uint8_t *buf = v->f->ram + gpa;
	struct vmscsi_request r;

	sv_init(v);
	r = sv_done(v, sv_srb(v, 0, 0, rl, 12, VMSCSI_READ_TYPE, gpa, 256, NULL));
	ck_assert_uint_eq(r.srb_status, SRB_STATUS_SUCCESS);
	ck_assert_uint_eq(r.data_transfer_length, 8 + 3 * 8);
	ck_assert_uint_eq(buf[3], 24);
	ck_assert_uint_eq(buf[8 + 8 + 1], 1);
	ck_assert_uint_eq(buf[8 + 16 + 1], 2);
	sv_free(v);
}
END_TEST

static void pattern(uint8_t *p, uint32_t n, uint32_t seed)
{
	for (uint32_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 13 + (i >> 12));
}

START_TEST(write_read_scattered_pages)
{
	struct sv *v = sv_new(0, RING_PAGES);
	/* 16 KiB from offset 0x200 of the first page: 5 pages, not contiguous */
	uint64_t base = fg_alloc(v->f, 12), pfns[5];
	const uint8_t w10[10] = { 0x2a, 0, 0, 0, 0, 100, 0, 0, 32, 0 };
	const uint8_t r10[10] = { 0x28, 0, 0, 0, 0, 100, 0, 0, 32, 0 };
	struct srb_opts o = { .offset = 0x200, .pfns = pfns };
	static uint8_t src[16384], back[16384];
	struct vmscsi_request r;
	uint32_t done = 0;

	for (int i = 0; i < 5; i++)
		pfns[i] = (base >> 12) + (uint64_t)(4 - i) * 2;	/* backwards, gaps */
	pattern(src, sizeof(src), 7);
	for (int i = 0; i < 5; i++) {	/* scatter src into the guest pages */
		uint32_t off = i ? 0 : 0x200, k = 4096 - off;

		if (k > sizeof(src) - done)
			k = sizeof(src) - done;
		memcpy(v->f->ram + pfns[i] * 4096 + off, src + done, k);
		done += k;
	}
	sv_init(v);
	r = sv_done(v, sv_srb(v, 0, 0, w10, 10, VMSCSI_WRITE_TYPE, 0, sizeof(src), &o));
	ck_assert_uint_eq(r.srb_status, SRB_STATUS_SUCCESS);
	ck_assert_uint_eq(r.data_transfer_length, sizeof(src));
	/* the parent's copy of the image shows it */
	ck_assert_int_eq(pread(v->fds[0], back, sizeof(back), 100 * 512), sizeof(back));
	ck_assert(!memcmp(back, src, sizeof(src)));
	/* read it back into a fresh contiguous buffer */
	base = fg_alloc(v->f, 5);
	r = sv_done(v, sv_srb(v, 0, 0, r10, 10, VMSCSI_READ_TYPE, base, sizeof(src), NULL));
	ck_assert_uint_eq(r.srb_status, SRB_STATUS_SUCCESS);
	ck_assert(!memcmp(v->f->ram + base, src, sizeof(src)));
	/* LUN 2 is another disk: its block 100 is still zero */
	r = sv_done(v, sv_srb(v, 0, 2, r10, 10, VMSCSI_READ_TYPE, base, sizeof(src), NULL));
	ck_assert_uint_eq(r.srb_status, SRB_STATUS_SUCCESS);
	ck_assert_uint_eq(v->f->ram[base + 5], 0);
	sv_free(v);
}
END_TEST

START_TEST(check_condition_carries_sense)
{
	struct sv *v = sv_new(0, RING_PAGES);
	const uint8_t w10[10] = { 0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
	const uint8_t bad[10] = { 0xc1 };
	uint64_t gpa = fg_alloc(v->f, 1);
	struct vmscsi_request r;

	sv_init(v);
	r = sv_done(v, sv_srb(v, 0, 1, w10, 10, VMSCSI_WRITE_TYPE, gpa, 512, NULL));
	ck_assert_uint_eq(r.srb_status, SRB_STATUS_ERROR | SRB_STATUS_AUTOSENSE_VALID);
	ck_assert_uint_eq(r.scsi_status, SAM_STAT_CHECK_CONDITION);
	ck_assert_uint_eq(r.sense_info_length, SCSI_SENSE_LEN);
	ck_assert_uint_eq(r.sense_data[0], 0x70);
	ck_assert_uint_eq(r.sense_data[2], SK_DATA_PROTECT);
	ck_assert_uint_eq(r.sense_data[12], 0x27);
	ck_assert_uint_eq(r.data_transfer_length, 0);
	/* unknown opcode, in-band */
	r = sv_done(v, sv_srb(v, 0, 0, bad, 10, VMSCSI_UNKNOWN_TYPE, 0, 0, NULL));
	ck_assert_uint_eq(r.scsi_status, SAM_STAT_CHECK_CONDITION);
	ck_assert_uint_eq(r.sense_data[2], SK_ILLEGAL_REQUEST);
	ck_assert_uint_eq(r.sense_data[12], 0x20);
	/* CDB length 0 or 17 */
	r = sv_done(v, sv_srb(v, 0, 0, bad, 0, VMSCSI_UNKNOWN_TYPE, 0, 0, NULL));
	ck_assert_uint_eq(r.scsi_status, SAM_STAT_CHECK_CONDITION);
	ck_assert(!sv_broken(v));
	sv_free(v);
}
END_TEST

START_TEST(inband_commands_and_sync)
{
	struct sv *v = sv_new(0, RING_PAGES);
	const uint8_t tur[6] = { 0 };
	const uint8_t sync[10] = { 0x35 };
	struct vmscsi_request r;
	struct storvsp_stats st;

	/* before END_INITIALIZATION: not ready */
	ck_assert_uint_eq(sv_op(v, VSTOR_OPERATION_BEGIN_INITIALIZATION, 0, NULL), 0);
	r = sv_done(v, sv_srb(v, 0, 0, tur, 6, VMSCSI_UNKNOWN_TYPE, 0, 0, NULL));
	ck_assert_uint_eq(r.scsi_status, SAM_STAT_CHECK_CONDITION);
	ck_assert_uint_eq(r.sense_data[2], SK_NOT_READY);
	sv_init(v);
	r = sv_done(v, sv_srb(v, 0, 0, tur, 6, VMSCSI_UNKNOWN_TYPE, 0, 0, NULL));
	ck_assert_uint_eq(r.srb_status, SRB_STATUS_SUCCESS);
	r = sv_done(v, sv_srb(v, 0, 0, sync, 10, VMSCSI_UNKNOWN_TYPE, 0, 0, NULL));
	ck_assert_uint_eq(r.srb_status, SRB_STATUS_SUCCESS);
	storvsp_get_stats(v->s, &st);
	ck_assert_uint_eq(st.srbs, 3);
	ck_assert_uint_eq(st.in_flight, 0);
	sv_free(v);
}
END_TEST

static void assert_disk_stats(struct disk *d, uint64_t rd, uint64_t rdb, uint64_t wr,
			      uint64_t wrb, uint64_t fl, uint64_t errs)
{
	struct disk_stats st;

	disk_get_stats(d, &st);
	ck_assert_uint_eq(st.rd_req, rd);
	ck_assert_uint_eq(st.rd_bytes, rdb);
	ck_assert_uint_eq(st.wr_req, wr);
	ck_assert_uint_eq(st.wr_bytes, wrb);
	ck_assert_uint_eq(st.fl_req, fl);
	ck_assert_uint_eq(st.errs, errs);
}

/*
 * blkstats: READ/WRITE (10/16) and SYNCHRONIZE CACHE counted per LUN, on
 * an inline disk (_i 0) and with I/O threads (_i 1: 128 KiB on the pool,
 * smaller ones run now);
 * a read the backing cannot serve counts in errs only.
 */
START_TEST(disk_counters_per_lun)
{
	struct sv *v = sv_new(_i ? 3 : 0, RING_PAGES);
	uint64_t gpa = fg_alloc(v->f, 64);
	const uint8_t w10[10] = { 0x2a, 0, 0, 0, 0, 16, 0, 0, 8, 0 };
	const uint8_t w16[16] = { 0x8a, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0, 1, 0, 0, 0 };
	const uint8_t r10[10] = { 0x28, 0, 0, 0, 0, 16, 0, 0, 4, 0 };
	const uint8_t r16[16] = { 0x88, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0, 1, 0, 0, 0 };
	const uint8_t s10[10] = { 0x35 }, s16[16] = { 0x91 };
	const uint8_t far[10] = { 0x28, 0, 0, 0, 0x10, 0, 0, 0, 8, 0 };	/* LBA 4096 */
	struct vmscsi_request r;
	char reply[256];

	sv_init(v);
	assert_disk_stats(v->disks[0], 0, 0, 0, 0, 0, 0);
	r = sv_done(v, sv_srb(v, 0, 0, w10, 10, VMSCSI_WRITE_TYPE, gpa, 4096, NULL));
	ck_assert_uint_eq(r.srb_status, SRB_STATUS_SUCCESS);
	r = sv_done(v, sv_srb(v, 0, 0, w16, 16, VMSCSI_WRITE_TYPE, gpa, 131072, NULL));
	ck_assert_uint_eq(r.srb_status, SRB_STATUS_SUCCESS);
	r = sv_done(v, sv_srb(v, 0, 0, r10, 10, VMSCSI_READ_TYPE, gpa, 2048, NULL));
	ck_assert_uint_eq(r.srb_status, SRB_STATUS_SUCCESS);
	r = sv_done(v, sv_srb(v, 0, 0, r16, 16, VMSCSI_READ_TYPE, gpa, 131072, NULL));
	ck_assert_uint_eq(r.srb_status, SRB_STATUS_SUCCESS);
	r = sv_done(v, sv_srb(v, 0, 0, r16, 16, VMSCSI_READ_TYPE, gpa, 131072, NULL));
	ck_assert_uint_eq(r.srb_status, SRB_STATUS_SUCCESS);
	r = sv_done(v, sv_srb(v, 0, 0, s10, 10, VMSCSI_UNKNOWN_TYPE, 0, 0, NULL));
	ck_assert_uint_eq(r.srb_status, SRB_STATUS_SUCCESS);
	r = sv_done(v, sv_srb(v, 0, 0, s16, 16, VMSCSI_UNKNOWN_TYPE, 0, 0, NULL));
	ck_assert_uint_eq(r.srb_status, SRB_STATUS_SUCCESS);
	/* refused before the backing (out of range): not counted */
	r = sv_done(v, sv_srb(v, 0, 0, (const uint8_t[10]){ 0x28, 0, 0xff, 0, 0, 0, 0, 0, 8, 0 },
			      10, VMSCSI_READ_TYPE, gpa, 4096, NULL));
	ck_assert_uint_eq(r.scsi_status, SAM_STAT_CHECK_CONDITION);
	assert_disk_stats(v->disks[0], 3, 2048 + 2 * 131072, 2, 4096 + 131072, 2, 0);
	assert_disk_stats(v->disks[2], 0, 0, 0, 0, 0, 0);	/* the other LUN */
	/* the image shrinks under the disk: a read past its end fails */
	ck_assert_int_eq(ftruncate(v->fds[0], 1u << 20), 0);
	r = sv_done(v, sv_srb(v, 0, 0, far, 10, VMSCSI_READ_TYPE, gpa, 4096, NULL));
	ck_assert_uint_eq(r.scsi_status, SAM_STAT_CHECK_CONDITION);
	ck_assert_uint_eq(r.sense_data[2], SK_MEDIUM_ERROR);
	assert_disk_stats(v->disks[0], 3, 2048 + 2 * 131072, 2, 4096 + 131072, 2, 1);
	disk_blkstats(v->disks[0], reply, sizeof(reply));
	ck_assert_str_eq(reply, "blkstats rd_req=3 rd_bytes=264192 wr_req=2 "
			 "wr_bytes=135168 fl_req=2 errs=1");
	disk_blkstats(v->disks[2], reply, sizeof(reply));
	ck_assert_str_eq(reply, "blkstats rd_req=0 rd_bytes=0 wr_req=0 wr_bytes=0 "
			 "fl_req=0 errs=0");
	/* LUN 1 is read-only: its flush completes at once and counts */
	r = sv_done(v, sv_srb(v, 0, 1, s10, 10, VMSCSI_UNKNOWN_TYPE, 0, 0, NULL));
	ck_assert_uint_eq(r.srb_status, SRB_STATUS_SUCCESS);
	assert_disk_stats(v->disks[1], 0, 0, 0, 0, 1, 0);
	sv_free(v);
}
END_TEST

START_TEST(threaded_io_many_in_flight)
{
	enum { N = 200 };
	struct sv *v = sv_new(3, RING_PAGES);
	uint64_t gpa = fg_alloc(v->f, N), trans[N];
	static uint8_t data[4096];
	bool seen[N] = { false };
	struct storvsp_stats st;

	for (int i = 0; i < N; i++) {
		pattern(data, sizeof(data), (uint32_t)i);
		ck_assert_int_eq(pwrite(v->fds[2], data, 4096, (off_t)i * 4096), 4096);
	}
	sv_init(v);
	for (int i = 0; i < N; i++) {
		uint8_t r10[10] = { 0x28, 0, 0, 0, (uint8_t)(i * 8 >> 8), (uint8_t)(i * 8),
				    0, 0, 8, 0 };

		trans[i] = sv_srb(v, 0, 2, r10, 10, VMSCSI_READ_TYPE, gpa + (uint64_t)i * 4096,
				  4096, NULL);
	}
	for (int n = 0; n < N; n++) {
		struct vstor_packet r;
		uint64_t t;

		ck_assert(sv_recv(v, &r, &t, NULL, NULL));
		ck_assert_uint_ge(t, trans[0]);
		ck_assert_uint_le(t, trans[N - 1]);
		ck_assert(!seen[t - trans[0]]);
		seen[t - trans[0]] = true;
		ck_assert_uint_eq(r.vm_srb.srb_status, SRB_STATUS_SUCCESS);
	}
	for (int i = 0; i < N; i++) {
		pattern(data, sizeof(data), (uint32_t)i);
		ck_assert(!memcmp(v->f->ram + gpa + (uint64_t)i * 4096, data, 4096));
	}
	storvsp_get_stats(v->s, &st);
	ck_assert_uint_eq(st.completions, N);
	ck_assert_uint_eq(st.in_flight, 0);
	/* packets waited behind them: the pool ran them, not the VMBus thread */
	ck_assert_uint_eq(st.t[STORVSP_T_READ4K].n, N);
	ck_assert_uint_lt(st.t[STORVSP_T_READ4K].inline_n, N / 2);
	sv_free(v);
}
END_TEST

/*
 * A lone 4 KiB read of a memory-backed disk with I/O threads: run on the
 * VMBus thread, its completion is in the ring when the packet is handled.
 */
START_TEST(lone_read_runs_now)
{
	struct sv *v = sv_new(3, RING_PAGES);
	uint64_t gpa = fg_alloc(v->f, 1), trans;
	static uint8_t data[4096];
	const uint8_t r10[10] = { 0x28, 0, 0, 0, 0, 8, 0, 0, 8, 0 };
	struct storvsp_stats st;
	struct vmbus_ring_pkt pkt;
	static uint8_t buf[4096];

	pattern(data, sizeof(data), 99);
	ck_assert_int_eq(pwrite(v->fds[2], data, 4096, 4096), 4096);
	sv_init(v);
	trans = sv_srb(v, 0, 2, r10, 10, VMSCSI_READ_TYPE, gpa, 4096, NULL);
	fg_pump(v->f);
	vmbus_host_poll(v->f->h, 0);	/* handles the signal: no waiting after */
	ck_assert_int_ge(vmbus_ring_read(&v->c->in, &pkt, buf, sizeof(buf)), 0);
	ck_assert_uint_eq(pkt.desc.trans_id, trans);
	ck_assert_uint_eq(((struct vstor_packet *)buf)->vm_srb.srb_status, SRB_STATUS_SUCCESS);
	ck_assert(!memcmp(v->f->ram + gpa, data, 4096));
	storvsp_get_stats(v->s, &st);
	ck_assert_uint_eq(st.t[STORVSP_T_READ4K].n, 1);
	ck_assert_uint_eq(st.t[STORVSP_T_READ4K].inline_n, 1);
	sv_free(v);
}
END_TEST

START_TEST(poll_window_adapts)
{
	const uint64_t max = 1000000;	/* 1 ms */

	/* Grows from the start value by doubling while the guest is prompt. */
	ck_assert_uint_eq(vmbus_host_poll_adjust(0, 0, max), VMBUS_HOST_POLL_START_NS);
	ck_assert_uint_eq(vmbus_host_poll_adjust(4000, 50000, max), 8000);
	ck_assert_uint_eq(vmbus_host_poll_adjust(600000, 900000, max), max);
	ck_assert_uint_eq(vmbus_host_poll_adjust(max, max, max), max);
	/* A guest quiet for longer than the limit: no spinning at all. */
	ck_assert_uint_eq(vmbus_host_poll_adjust(max, max + 1, max), 0);
	ck_assert_uint_eq(vmbus_host_poll_adjust(8000, 5000000000ull, max), 0);
	/* A limit below the start value is the window. */
	ck_assert_uint_eq(vmbus_host_poll_adjust(0, 0, 1000), 1000);
}
END_TEST

struct late_srb {
	struct sv *v;
	uint64_t gpa, trans;
};

/* Guest, 2 ms later on its own vCPU: a 4 KiB read, without signalling. */
static void *late_read(void *arg)
{
	static const uint8_t r10[10] = { 0x28, 0, 0, 0, 0, 8, 0, 0, 8, 0 };
	struct late_srb *l = arg;

	nanosleep(&(struct timespec){ 0, 2000000 }, NULL);
	l->v->quiet = true;
	l->trans = sv_srb(l->v, 0, 2, r10, 10, VMSCSI_READ_TYPE, l->gpa, 4096, NULL);
	return NULL;
}

START_TEST(polling_catches_the_next_request)
{
	static const uint8_t r10[10] = { 0x28, 0, 0, 0, 0, 8, 0, 0, 8, 0 };
	struct sv *v;
	struct late_srb l;
	struct vmbus_ring_pkt pkt;
	static uint8_t buf[4096];
	pthread_t t;
	uint64_t first;

	fg_poll_us = 20000;	/* real time: the spin's limit */
	v = sv_new(3, RING_PAGES);
	fg_poll_us = 0;
	sv_init(v);
	l = (struct late_srb){ v, fg_alloc(v->f, 1), 0 };
	/* Prompt requests grow the window up to the limit (4 us doubling). */
	for (int i = 0; i < 16; i++) {
		uint64_t trans = sv_srb(v, 0, 2, r10, 10, VMSCSI_READ_TYPE, l.gpa, 4096, NULL);

		ck_assert_uint_eq(sv_done(v, trans).srb_status, SRB_STATUS_SUCCESS);
	}
	ck_assert_uint_eq(storvsp_dev(v->s)->polled, 0);
	/*
	 * One more, and 2 ms after it another one while the host spins with
	 * the ring masked: the guest does not signal it.
	 */
	first = sv_srb(v, 0, 2, r10, 10, VMSCSI_READ_TYPE, l.gpa, 4096, NULL);
	ck_assert(v->sig);
	ck_assert_int_eq(pthread_create(&t, NULL, late_read, &l), 0);
	ck_assert_uint_eq(sv_done(v, first).srb_status, SRB_STATUS_SUCCESS);
	pthread_join(t, NULL);
	ck_assert(!v->sig);
	ck_assert_uint_eq(v->f->ev_count, 0);
	ck_assert_uint_eq(storvsp_dev(v->s)->polled, 1);
	ck_assert_int_ge(vmbus_ring_read(&v->c->in, &pkt, buf, sizeof(buf)), 0);
	ck_assert_uint_eq(pkt.desc.trans_id, l.trans);
	ck_assert_uint_eq(((struct vstor_packet *)buf)->vm_srb.srb_status, SRB_STATUS_SUCCESS);
	/* Done spinning: unmasked, the guest's next request signals again. */
	ck_assert_uint_eq(v->c->out.hdr->interrupt_mask, 0);
	sv_free(v);
}
END_TEST

/* @n successful completions arrive, and nothing is left in flight. */
static void expect_successes(struct sv *v, unsigned int n)
{
	struct storvsp_stats st;

	for (unsigned int i = 0; i < n; i++) {
		struct vstor_packet r;

		ck_assert_msg(sv_recv(v, &r, NULL, NULL, NULL), "completion %u missing", i);
		ck_assert_uint_eq(r.vm_srb.srb_status, SRB_STATUS_SUCCESS);
	}
	storvsp_get_stats(v->s, &st);
	ck_assert_uint_eq(st.completions, n);
	ck_assert_uint_eq(st.in_flight, 0);
}

START_TEST(threaded_io_into_full_guest_ring)
{
	enum { N = 150 };
	/* I/O threads find the 4 KiB guest ring full and wake the VMBus thread */
	struct sv *v = sv_new(3, 2);
	uint64_t gpa = fg_alloc(v->f, 1);
	struct timespec ms = { 0, 20000000 };
	const uint8_t r10[10] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 8, 0 };

	sv_init(v);
	for (int i = 0; i < N; i++)
		sv_srb(v, 0, 2, r10, 10, VMSCSI_READ_TYPE, gpa, 4096, NULL);
	fg_pump(v->f);
	nanosleep(&ms, NULL);	/* the I/O threads finish, most completions wait */
	expect_successes(v, N);
	sv_free(v);
}
END_TEST

START_TEST(full_guest_ring_completions_wait)
{
	enum { N = 120 };
	/* a 4 KiB host -> guest ring holds ~46 completions */
	struct sv *v = sv_new(0, 2);
	const uint8_t tur[6] = { 0 };
	struct storvsp_stats st;

	sv_init(v);
	for (int i = 0; i < N; i++)
		sv_srb(v, 0, 0, tur, 6, VMSCSI_UNKNOWN_TYPE, 0, 0, NULL);
	fg_pump(v->f);
	for (int i = 0; i < 10; i++)
		vmbus_host_poll(v->f->h, 5);
	storvsp_get_stats(v->s, &st);
	ck_assert_uint_lt(st.completions, N);	/* some are waiting */
	expect_successes(v, N);
	ck_assert(!sv_broken(v));
	sv_free(v);
}
END_TEST

START_TEST(guest_completion_packets_ignored)
{
	struct sv *v = sv_new(0, RING_PAGES);
	struct vstor_packet p;

	memset(&p, 0, sizeof(p));
	sv_init(v);
	ck_assert_int_eq(fg_send(v->f, v->c, VM_PKT_COMP, 5, &p, sizeof(p)), 0);
	fg_pump(v->f);
	ck_assert(!sv_broken(v));
	ck_assert_uint_eq(sv_op(v, VSTOR_OPERATION_RESET_BUS, 0, NULL), 0);
	sv_free(v);
}
END_TEST

/* ---- hostile guests: the channel fails, the worker does not ---- */

static void expect_failed(struct sv *v)
{
	struct fg_msg m;
	bool rescind = false;

	fg_pump(v->f);
	vmbus_host_poll(v->f->h, 0);
	ck_assert(sv_broken(v));
	while (fg_take(v->f, &m))
		rescind |= fg_msgtype(&m) == CHANNELMSG_RESCIND_CHANNELOFFER;
	ck_assert(rescind);
}

static void hostile_srb(const struct srb_opts *o, uint32_t len, uint64_t gpa_or_zero)
{
	struct sv *v = sv_new(0, RING_PAGES);
	const uint8_t r10[10] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 8, 0 };
	uint64_t gpa = gpa_or_zero ? gpa_or_zero : fg_alloc(v->f, 4);

	sv_init(v);
	sv_srb(v, 0, 0, r10, 10, VMSCSI_READ_TYPE, gpa, len, o);
	expect_failed(v);
	sv_free(v);
}

START_TEST(hostile_range_length_mismatch)
{
	struct srb_opts more = { .len_delta = 512 }, less = { .len_delta = -512 };

	hostile_srb(&more, 4096, 0);
	hostile_srb(&less, 4096, 0);
}
END_TEST

START_TEST(hostile_pfns_outside_ram)
{
	static const uint64_t far[2] = { FG_RAM >> 12, 0 };
	static const uint64_t huge[2] = { 1ull << 52, 0 };
	static const uint64_t wrap[2] = { 0xfffffffffffff000ull >> 0, 0 };
	static const uint64_t hole[2] = { 0xc0000, 0 };	/* 3 GiB */
	struct srb_opts o = { 0 };

	o.pfns = far;
	hostile_srb(&o, 4096, 0);
	o.pfns = huge;
	hostile_srb(&o, 4096, 0);
	o.pfns = wrap;
	hostile_srb(&o, 4096, 0);
	o.pfns = hole;
	hostile_srb(&o, 4096, 0);
	/* a buffer that runs off the end of RAM */
	hostile_srb(NULL, 8192, FG_RAM - 4096);
}
END_TEST

START_TEST(hostile_range_shape)
{
	struct srb_opts two = { .range_cnt = 2 }, zero_cnt = { .range_cnt = 0xffffffff };
	struct srb_opts few = { .pfn_delta = -1 }, off = { .offset = 4096 };

	hostile_srb(&two, 4096, 0);
	hostile_srb(&zero_cnt, 4096, 0);
	hostile_srb(&few, 8192, 0);
	hostile_srb(&off, 4096, 0);
	/* more than max_transfer_bytes */
	hostile_srb(NULL, STORVSP_MAX_TRANSFER + 4096, 0);
}
END_TEST

START_TEST(hostile_short_and_inband_packets)
{
	struct srb_opts shortp = { .vstor_len = 40 }, claims = { .inband_with_len = true };
	const uint8_t tur[6] = { 0 };
	struct sv *v;

	hostile_srb(&shortp, 4096, 0);
	/* a short in-band vstor_packet */
	v = sv_new(0, RING_PAGES);
	sv_init(v);
	sv_srb(v, 0, 0, tur, 6, VMSCSI_UNKNOWN_TYPE, 0, 0, &shortp);
	expect_failed(v);
	sv_free(v);
	/* an in-band SRB that claims a data buffer */
	v = sv_new(0, RING_PAGES);
	sv_init(v);
	sv_srb(v, 0, 0, tur, 6, VMSCSI_READ_TYPE, 0, 0, &claims);
	expect_failed(v);
	sv_free(v);
}
END_TEST

START_TEST(hostile_packet_types)
{
	struct vstor_packet p;
	struct sv *v = sv_new(0, RING_PAGES);
	uint64_t gpa = fg_alloc(v->f, 1);
	const uint8_t tur[6] = { 0 };
	struct srb_opts ctl = { .op = VSTOR_OPERATION_BEGIN_INITIALIZATION };

	memset(&p, 0, sizeof(p));
	p.operation = VSTOR_OPERATION_BEGIN_INITIALIZATION;
	ck_assert_int_eq(fg_send(v->f, v->c, VM_PKT_DATA_USING_XFER_PAGES, 9, &p,
				 sizeof(p)), 0);
	expect_failed(v);
	sv_free(v);
	/* a GPA-direct packet carrying a control operation */
	v = sv_new(0, RING_PAGES);
	gpa = fg_alloc(v->f, 1);
	sv_init(v);
	sv_srb(v, 0, 0, tur, 6, VMSCSI_READ_TYPE, gpa, 512, NULL);	/* fine */
	ck_assert(sv_recv(v, &p, NULL, NULL, NULL));
	sv_srb(v, 0, 0, tur, 6, VMSCSI_READ_TYPE, gpa, 512, &ctl);
	expect_failed(v);
	sv_free(v);
}
END_TEST

START_TEST(hostile_random_packets)
{
	/* Random bytes and half-valid SRBs: the worker survives, answers or fails the channel. */
	unsigned int seed = 12345;

	for (int round = 0; round < 30; round++) {
		struct sv *v = sv_new(0, RING_PAGES);
		uint64_t gpa = fg_alloc(v->f, 8);

		sv_init(v);
		for (int i = 0; i < 200 && !sv_broken(v); i++) {
			uint8_t raw[160];
			struct vstor_packet *p = (void *)raw;
			struct vmbus_packet_desc d = { .trans_id = (uint64_t)i + 1 };
			struct vmbus_ring_iov iov = { raw, 64 + rand_r(&seed) % 96 };
			uint8_t r;
			bool sig = false;

			for (size_t k = 0; k < sizeof(raw); k++)
				raw[k] = (uint8_t)rand_r(&seed);
			r = (uint8_t)rand_r(&seed);
			if (r & 1) {	/* keep a plausible SRB */
				p->operation = VSTOR_OPERATION_EXECUTE_SRB;
				p->vm_srb.data_transfer_length = 0;
				p->vm_srb.target_id = r & 2;
				p->vm_srb.lun = r & 4 ? 0 : p->vm_srb.lun;
			}
			if (r & 8) {	/* a GPA-direct header with a random page list */
				uint32_t hdr[4] = { 0, 1, (uint32_t)rand_r(&seed) % 20000,
						    (uint32_t)rand_r(&seed) % 4200 };
				uint64_t pfns[6];
				struct vmbus_ring_iov v2[3] = {
					{ hdr, 16 }, { pfns, sizeof(pfns) }, iov,
				};

				for (int k = 0; k < 6; k++)
					pfns[k] = (gpa >> 12) + (uint64_t)(rand_r(&seed) % 64);
				p->vm_srb.data_transfer_length = hdr[2];
				d.type = VM_PKT_DATA_USING_GPA_DIRECT;
				d.offset8 = (16 + 16 + sizeof(pfns)) / 8;
				vmbus_ring_send(&v->c->out, &d, v2, 3, &sig);
			} else {
				d.type = r & 16 ? VM_PKT_DATA_INBAND : (uint16_t)(r % 13);
				vmbus_ring_send(&v->c->out, &d, &iov, 1, &sig);
			}
			fg_signal_host(v->f, v->c->conn_id);
			fg_pump(v->f);
			vmbus_host_poll(v->f->h, 0);
			while (vmbus_ring_read(&v->c->in, &(struct vmbus_ring_pkt){ 0 }, raw,
					       sizeof(raw)) >= 0)
				vmbus_ring_read_done(&v->c->in);
		}
		sv_free(v);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("storvsp");
	TCase *t = tcase_create("protocol");
	TCase *h = tcase_create("hostile");

	tcase_set_timeout(t, 60);
	tcase_set_timeout(h, 120);
	tcase_add_test(t, offer_and_init);
	tcase_add_test(t, version_negotiation);
	tcase_add_test(t, reset_and_unknown_operations);
	tcase_add_test(t, inquiry_and_absent_targets);
	tcase_add_test(t, report_luns_lists_every_disk);
	tcase_add_test(t, write_read_scattered_pages);
	tcase_add_test(t, check_condition_carries_sense);
	tcase_add_test(t, inband_commands_and_sync);
	tcase_add_test(t, threaded_io_many_in_flight);
	tcase_add_loop_test(t, disk_counters_per_lun, 0, 2);
	tcase_add_test(t, lone_read_runs_now);
	tcase_add_test(t, poll_window_adapts);
	tcase_add_test(t, polling_catches_the_next_request);
	tcase_add_test(t, full_guest_ring_completions_wait);
	tcase_add_test(t, threaded_io_into_full_guest_ring);
	tcase_add_test(t, guest_completion_packets_ignored);
	tcase_add_test(h, hostile_range_length_mismatch);
	tcase_add_test(h, hostile_pfns_outside_ram);
	tcase_add_test(h, hostile_range_shape);
	tcase_add_test(h, hostile_short_and_inband_packets);
	tcase_add_test(h, hostile_packet_types);
	tcase_add_test(h, hostile_random_packets);
	suite_add_tcase(s, t);
	suite_add_tcase(s, h);
	return s;
}

int main(void)
{
	return hv_check_run(suite());
}
