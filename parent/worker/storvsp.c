// SPDX-License-Identifier: GPL-2.0
/* hvworker: the storage VSP (storvsp.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <vmbus/storvsc_wire.h>

#include "gpa_direct.h"
#include "scsi_disk.h"
#include "storvsp.h"

#define PFN_LIMIT	(1ull << 40)	/* beyond any guest RAM; no shift overflow */

struct storvsp_req {
	struct storvsp *s;
	uint64_t trans_id;
	uint32_t gen;			/* channel generation it arrived on */
	bool inline_io;			/* its disk has no I/O threads */
	uint64_t t_arrive;		/* ns: dev_packet() got it */
	struct vstor_packet pkt;	/* the request, answered in place */
	struct scsi_cmd cmd;
	struct iovec iov[STORVSP_MAX_PFNS];
	struct storvsp_req *next;	/* free or backlog list */
};

struct storvsp {
	struct vmbus_host_dev *dev;
	const struct guest_mem *mem;
	struct scsi_target target;
	uint32_t gen;			/* bumped on open and close */
	uint16_t version;
	bool ready;
	/* all below: under the host lock (callbacks, or vmbus_host_lock) */
	struct storvsp_req *free_list;
	struct storvsp_req *backlog, **backlog_tail;	/* ring was full */
	uint32_t allocated, in_flight;
	struct storvsp_stats st;
	struct storvsp_msg msg;		/* the packet being handled */
	uint64_t report_ns;		/* last timing lines in the log */
	uint64_t last_done_ms;		/* last completion sent */
	bool timing_new;		/* completions since */
};

/* Timing lines: after 1 s without completions, or every minute of I/O. */
#define REPORT_IDLE_MS	1000u
#define REPORT_NS	60000000000ull

static const uint16_t versions[] = {
	VMSTOR_PROTO_VERSION_WIN10, VMSTOR_PROTO_VERSION_WIN8_1,
	VMSTOR_PROTO_VERSION_WIN8,
};

/* ---- sending -------------------------------------------------------- */

static int send_comp(struct storvsp *s, uint64_t trans_id, const struct vstor_packet *p)
{
	return vmbus_host_dev_send(s->dev, VM_PKT_COMP, 0, trans_id, p, sizeof(*p));
}

/* Answer a control request: the request echoed with COMPLETE_IO, @status. */
static void reply(struct storvsp *s, uint64_t trans_id, struct vstor_packet *p,
		  uint32_t status)
{
	int rc;

	p->operation = VSTOR_OPERATION_COMPLETE_IO;
	p->flags = 0;
	p->status = status;
	rc = send_comp(s, trans_id, p);
	if (rc && rc != -ENOTCONN && rc != -EPROTO)
		vmbus_host_logf(s->dev->host, "%s: control reply lost (%d)",
				s->dev->name, rc);
}

static unsigned int timing_class(const struct storvsp_req *r)
{
	switch (r->cmd.cdb[0]) {
	case 0x08: case 0x28: case 0x88:	/* READ 6/10/16 */
		return r->cmd.buf_len <= 4096 ? STORVSP_T_READ4K : STORVSP_T_READ;
	case 0x0a: case 0x2a: case 0x8a:	/* WRITE 6/10/16 */
		return STORVSP_T_WRITE;
	}
	return STORVSP_T_OTHER;
}

/* A completion of @r is in the ring: account where its time went. */
static void account(struct storvsp *s, struct storvsp_req *r)
{
	struct storvsp_timing *t = &s->st.t[timing_class(r)];
	const struct disk_io *io = &r->cmd.io;
	uint64_t now = disk_now_ns();

	t->n++;
	t->bytes += r->cmd.xfer;
	if (io->start_ns) {
		t->queue_ns += io->start_ns - r->t_arrive;
		t->io_ns += io->end_ns - io->start_ns;
		t->send_ns += now - io->end_ns;
		t->inline_n += io->ran_now;
	} else {
		t->send_ns += now - r->t_arrive;
	}
	s->timing_new = true;
	s->last_done_ms = vmbus_host_now_ms(s->dev->host);
	if (now - s->report_ns < REPORT_NS)
		return;
	s->report_ns = now;
	s->timing_new = false;
	storvsp_log_timing(s);
}

/* The timer with an empty backlog: log the timing once I/O went idle. */
static void idle_report(struct storvsp *s, uint64_t now_ms)
{
	if (!s->timing_new || s->backlog)
		return;
	if (now_ms - s->last_done_ms < REPORT_IDLE_MS) {
		vmbus_host_dev_timer(s->dev, s->last_done_ms + REPORT_IDLE_MS);
		return;
	}
	s->report_ns = disk_now_ns();
	s->timing_new = false;
	storvsp_log_timing(s);
}

void storvsp_log_timing(struct storvsp *s)
{
	static const char *const names[] = { "read4k", "read", "write", "other" };
	struct vmbus_host_dev *d = s->dev;

	for (unsigned int i = 0; i < STORVSP_T_N; i++) {
		const struct storvsp_timing *t = &s->st.t[i];
		uint64_t n = t->n ? t->n : 1;

		if (!t->n)
			continue;
		vmbus_host_logf(d->host, "%s: timing %s n %llu avg_kb %llu queue_us %.1f io_us %.1f send_us %.1f inline %llu",
				d->name, names[i], (unsigned long long)t->n,
				(unsigned long long)(t->bytes / n / 1024),
				t->queue_ns / 1e3 / n, t->io_ns / 1e3 / n,
				t->send_ns / 1e3 / n, (unsigned long long)t->inline_n);
	}
	vmbus_host_logf(d->host, "%s: timing signals_in %llu polled %llu signals_out %llu signal_us %.1f rx %llu tx %llu max_in_flight %llu",
			d->name, (unsigned long long)d->signals_in,
			(unsigned long long)d->polled,
			(unsigned long long)d->signals_out,
			d->signal_ns / 1e3 / (d->signals_out ? d->signals_out : 1),
			(unsigned long long)d->rx_packets,
			(unsigned long long)d->tx_packets,
			(unsigned long long)s->st.max_in_flight);
}

static void req_free(struct storvsp *s, struct storvsp_req *r)
{
	r->next = s->free_list;
	s->free_list = r;
	s->in_flight--;
}

/* Fill the SRB of @r from its SCSI result. */
static void srb_result(struct storvsp_req *r)
{
	struct vmscsi_request *srb = &r->pkt.vm_srb;
	const struct scsi_cmd *c = &r->cmd;

	r->pkt.operation = VSTOR_OPERATION_COMPLETE_IO;
	r->pkt.flags = 0;
	r->pkt.status = 0;
	srb->scsi_status = c->status;
	srb->data_transfer_length = c->xfer;
	memset(srb->sense_data, 0, sizeof(srb->sense_data));
	if (c->status == SAM_STAT_GOOD) {
		srb->srb_status = SRB_STATUS_SUCCESS;
		srb->sense_info_length = 0;
	} else {
		srb->srb_status = SRB_STATUS_ERROR;
		srb->sense_info_length = 0;
		if (c->sense_len) {
			srb->srb_status |= SRB_STATUS_AUTOSENSE_VALID;
			memcpy(srb->sense_data, c->sense, c->sense_len);
			srb->sense_info_length = c->sense_len;
		}
		srb->data_transfer_length = 0;
	}
}

/*
 * Send finished SRBs; keep them in the backlog while the ring is full (the
 * guest frees space as it reads: retried by the timer; an I/O thread also
 * wakes the VMBus thread, whose wait does not know the new deadline).
 */
static void flush_backlog(struct storvsp *s, bool from_io)
{
	struct vmbus_host_dev *d = s->dev;

	while (s->backlog) {
		struct storvsp_req *r = s->backlog;
		int rc = 0;

		if (r->gen == s->gen && d->open && !d->broken)
			rc = send_comp(s, r->trans_id, &r->pkt);
		if (rc == -EAGAIN) {
			vmbus_host_dev_timer(d, vmbus_host_now_ms(d->host) + 1);
			if (from_io)
				vmbus_host_dev_wake(d);
			return;
		}
		s->backlog = r->next;
		if (!s->backlog)
			s->backlog_tail = &s->backlog;
		if (!rc && r->gen == s->gen) {
			s->st.completions++;
			account(s, r);
		}
		req_free(s, r);
	}
	if (s->timing_new && !d->deadline_ms)
		vmbus_host_dev_timer(d, s->last_done_ms + REPORT_IDLE_MS);
}

static void finish(struct storvsp *s, struct storvsp_req *r)
{
	srb_result(r);
	if (r->cmd.status != SAM_STAT_GOOD)
		s->st.errors++;
	r->next = NULL;
	*s->backlog_tail = r;
	s->backlog_tail = &r->next;
}

/*
 * An SRB's disk request finished: on an I/O thread, which sends the
 * completion itself under the host lock (no hand-off to the VMBus thread);
 * for an inline disk inside dev_packet(), which sends it.
 */
static void cmd_done(struct scsi_cmd *c)
{
	struct storvsp_req *r = c->priv;
	struct storvsp *s = r->s;

	if (r->inline_io || c->io.ran_now) {	/* in dev_packet(), locked */
		finish(s, r);
		return;
	}
	vmbus_host_lock(s->dev->host);
	finish(s, r);
	flush_backlog(s, true);
	if (!s->in_flight)
		vmbus_host_dev_expect(s->dev);
	vmbus_host_unlock(s->dev->host);
}

/* VMBus thread: an I/O thread found the guest's ring full. */
static void dev_wake(struct vmbus_host_dev *d)
{
	flush_backlog(d->priv, false);
}

/* Spin for the next SRB only while no I/O thread needs the parent's CPU. */
static bool dev_can_poll(struct vmbus_host_dev *d)
{
	struct storvsp *s = d->priv;

	return !s->in_flight;
}

static void dev_timer(struct vmbus_host_dev *d, uint64_t now)
{
	flush_backlog(d->priv, false);
	idle_report(d->priv, now);
}

/* ---- requests -------------------------------------------------------- */

static struct storvsp_req *req_get(struct storvsp *s)
{
	struct storvsp_req *r = s->free_list;

	if (r) {
		s->free_list = r->next;
	} else {
		if (s->allocated >= STORVSP_MAX_REQS)
			return NULL;
		r = malloc(sizeof(*r));
		if (!r)
			return NULL;
		s->allocated++;
	}
	memset(&r->cmd, 0, offsetof(struct scsi_cmd, io));
	r->cmd.io.start_ns = 0;
	r->s = s;
	r->next = NULL;
	r->t_arrive = disk_now_ns();
	if (++s->in_flight > s->st.max_in_flight)
		s->st.max_in_flight = s->in_flight;
	return r;
}

int storvsp_parse(const struct guest_mem *mem, const struct vmbus_packet_desc *desc,
		  const uint8_t *ext, uint32_t ext_len, const uint8_t *buf, uint32_t len,
		  struct storvsp_msg *m)
{
	int rc;

	m->iovcnt = 0;
	m->buf_len = 0;
	m->why = NULL;
	if (desc->type == VM_PKT_COMP)
		return 1;	/* we send no requests that want one */
	if (desc->type != VM_PKT_DATA_INBAND && desc->type != VM_PKT_DATA_USING_GPA_DIRECT) {
		m->why = "packet of an unexpected type";
		return -EINVAL;
	}
	if (len < sizeof(m->p)) {
		m->why = "vstor packet shorter than 64 bytes";
		return -EINVAL;
	}
	memcpy(&m->p, buf, sizeof(m->p));
	if (desc->type == VM_PKT_DATA_INBAND) {
		if (m->p.operation == VSTOR_OPERATION_EXECUTE_SRB &&
		    m->p.vm_srb.data_transfer_length) {
			m->why = "in-band SRB with a data length but no buffer";
			return -EINVAL;
		}
		return 0;
	}
	if (m->p.operation != VSTOR_OPERATION_EXECUTE_SRB) {
		m->why = "GPA-direct packet that is not an SRB";
		return -EINVAL;
	}
	/* storvsc sends one range: the SRB's whole buffer. */
	rc = gpa_direct_map(mem, ext, ext_len, 1, STORVSP_MAX_TRANSFER, m->iov,
			    STORVSP_MAX_PFNS, &m->iovcnt);
	if (rc <= 0 || (uint32_t)rc != m->p.vm_srb.data_transfer_length) {
		m->iovcnt = 0;
		m->why = "SRB buffer: bad page range, page outside RAM or length mismatch";
		return -EINVAL;
	}
	m->buf_len = (uint32_t)rc;
	return 0;
}

static void execute_srb(struct storvsp *s, struct storvsp_req *r, uint32_t buf_len)
{
	struct vmscsi_request *srb = &r->pkt.vm_srb;
	struct scsi_cmd *c = &r->cmd;
	bool here = srb->path_id == 0 && srb->target_id == 0;

	s->st.srbs++;
	c->buf_len = buf_len;
	c->done = cmd_done;
	c->priv = r;
	if (!s->ready) {
		scsi_set_sense(c, SK_NOT_READY, 0x0400);
		finish(s, r);
		return;
	}
	if (!srb->cdb_length || srb->cdb_length > STORVSC_MAX_CMD_LEN) {
		scsi_set_sense(c, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD_CDB);
		finish(s, r);
		return;
	}
	memcpy(c->cdb, srb->cdb, sizeof(c->cdb));
	c->cdb_len = srb->cdb_length;
	r->inline_io = !here || srb->lun >= s->target.nluns ||
		       !s->target.luns[srb->lun]->pool;
	/* Nothing else waits in the ring: no pool hop if it cannot block. */
	c->may_run_now = !s->dev->rx_pending;
	if (scsi_target_exec(here ? &s->target : NULL, srb->lun, c) == 0)
		finish(s, r);
	/* else: cmd_done() from an I/O thread (or already, if inline) */
}

static void channel_fail(struct storvsp *s, const char *why)
{
	vmbus_host_dev_fail(s->dev, why);
}

static void dev_packet(struct vmbus_host_dev *d, const struct vmbus_packet_desc *desc,
		       const uint8_t *buf, uint32_t len)
{
	struct storvsp *s = d->priv;
	struct storvsp_msg *m = &s->msg;
	struct vstor_packet *p = &m->p;
	struct storvsp_req *r;
	int rc = storvsp_parse(s->mem, desc, d->pkt_ext, d->pkt_ext_len, buf, len, m);

	if (rc < 0) {
		channel_fail(s, m->why);
		return;
	}
	if (rc > 0)
		return;
	switch (p->operation) {
	case VSTOR_OPERATION_BEGIN_INITIALIZATION:
		s->ready = false;
		s->version = 0;
		reply(s, desc->trans_id, p, VSTOR_STATUS_SUCCESS);
		return;
	case VSTOR_OPERATION_QUERY_PROTOCOL_VERSION:
		for (unsigned int i = 0; i < sizeof(versions) / sizeof(versions[0]); i++)
			if (p->version.major_minor == versions[i]) {
				s->version = versions[i];
				reply(s, desc->trans_id, p, VSTOR_STATUS_SUCCESS);
				return;
			}
		reply(s, desc->trans_id, p, VSTOR_STATUS_REVISION_MISMATCH);
		return;
	case VSTOR_OPERATION_QUERY_PROPERTIES:
		memset(&p->storage_channel_properties, 0, sizeof(p->storage_channel_properties));
		p->storage_channel_properties.max_transfer_bytes = STORVSP_MAX_TRANSFER;
		reply(s, desc->trans_id, p, VSTOR_STATUS_SUCCESS);
		return;
	case VSTOR_OPERATION_END_INITIALIZATION:
		s->ready = s->version != 0;
		reply(s, desc->trans_id, p, s->ready ? VSTOR_STATUS_SUCCESS :
					    VSTOR_STATUS_INVALID_DEVICE_REQUEST);
		return;
	case VSTOR_OPERATION_RESET_LUN:
	case VSTOR_OPERATION_RESET_ADAPTER:
	case VSTOR_OPERATION_RESET_BUS:
		/* Nothing is queued that a reset could drop: I/O completes. */
		reply(s, desc->trans_id, p, VSTOR_STATUS_SUCCESS);
		return;
	case VSTOR_OPERATION_EXECUTE_SRB:
		break;
	default:
		vmbus_host_logf(d->host, "%s: operation %u refused", d->name, p->operation);
		reply(s, desc->trans_id, p, VSTOR_STATUS_INVALID_DEVICE_REQUEST);
		return;
	}

	r = req_get(s);
	if (!r) {
		/* More than the guest's queue depth: let it retry. */
		s->st.busy++;
		p->vm_srb.srb_status = SRB_STATUS_ERROR;
		p->vm_srb.scsi_status = 0;
		p->vm_srb.sense_info_length = 0;
		p->vm_srb.data_transfer_length = 0;
		reply(s, desc->trans_id, p, VSTOR_STATUS_SUCCESS);
		return;
	}
	r->pkt = *p;
	r->trans_id = desc->trans_id;
	r->gen = s->gen;
	memcpy(r->iov, m->iov, sizeof(r->iov[0]) * (size_t)m->iovcnt);
	r->cmd.iov = r->iov;
	r->cmd.iovcnt = m->iovcnt;
	execute_srb(s, r, m->buf_len);
	flush_backlog(s, false);
}

static int dev_open(struct vmbus_host_dev *d)
{
	struct storvsp *s = d->priv;

	s->gen++;
	s->ready = false;
	s->version = 0;
	return 0;
}

static void dev_close(struct vmbus_host_dev *d)
{
	struct storvsp *s = d->priv;

	s->gen++;		/* in-flight SRBs finish unanswered */
	s->ready = false;
	s->version = 0;
}

static const struct vmbus_host_dev_ops storvsp_ops = {
	.open = dev_open,
	.close = dev_close,
	.packet = dev_packet,
	.timer = dev_timer,
	.wake = dev_wake,
	.can_poll = dev_can_poll,
};

struct storvsp *storvsp_create(struct vmbus_host *h, const struct guest_mem *mem,
			       struct disk *const *disks, unsigned int n)
{
	static const struct vmbus_guid scsi = VMBUS_GUID_SCSI;
	struct vmbus_offer_params p;
	struct storvsp *s;

	if (!h || !mem || n > DISK_MAX_DISKS)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->mem = mem;
	for (unsigned int i = 0; i < n; i++)
		s->target.luns[i] = disks[i];
	s->target.nluns = n;
	s->backlog_tail = &s->backlog;
	memset(&p, 0, sizeof(p));
	p.if_type = scsi;
	memcpy(p.if_instance.b, "mkhv-scsi-ctrl-0", 16);
	p.dedicated_interrupt = true;
	if (vmbus_host_add_device(h, &p, &storvsp_ops, s, "storvsp", &s->dev)) {
		free(s);
		return NULL;
	}
	return s;
}

static void free_list(struct storvsp_req *r)
{
	while (r) {
		struct storvsp_req *n = r->next;

		free(r);
		r = n;
	}
}

void storvsp_destroy(struct storvsp *s)
{
	if (!s)
		return;
	free_list(s->free_list);
	free_list(s->backlog);
	free(s);
}

void storvsp_get_stats(struct storvsp *s, struct storvsp_stats *st)
{
	*st = s->st;
	st->version = s->version;
	st->ready = s->ready;
	st->in_flight = s->in_flight;
}

struct vmbus_host_dev *storvsp_dev(struct storvsp *s)
{
	return s->dev;
}
