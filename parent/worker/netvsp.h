/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: the network VSP of one synthetic NIC (DESIGN §8, issue 10):
 * the NVSP transport on a VMBus channel (vmbus_host.h) that Linux 6.1's
 * hv_netvsc drives, with the RNDIS device of rndis.h behind it and a
 * frame backend (a tap, nic.c; a fake in the tests).
 *
 * Guest -> host: NVSP messages in-band (INIT, NDIS version and config,
 * receive/send buffer GPADLs, RNDIS packets in a send-buffer section or
 * as GPA-direct pages), each RNDIS packet completed at once
 * (SEND_RNDIS_PKT_COMPLETE).  Host -> guest: RNDIS messages (control
 * replies, frames) copied into a free sub-allocation of the guest's
 * receive buffer and announced with a VM_PKT_DATA_USING_XFER_PAGES
 * packet; the guest's completion frees the section.
 *
 * Locking: everything runs under the host's lock (device ops hold it;
 * the backend thread takes it with vmbus_host_lock() around netvsp_rx()).
 */
#ifndef HVWORKER_NETVSP_H
#define HVWORKER_NETVSP_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "rndis.h"
#include "vmbus_host.h"

/* Receive sub-allocation size (Hyper-V's, NETVSC_RECV_SECTION_SIZE). */
#define NETVSP_RECV_SECTION	1728u
/* Send section size announced to the guest (Linux's default). */
#define NETVSP_SEND_SECTION	6144u
/* Most receive sections used (the guest's ring of completions is
 * sections + 1 long). */
#define NETVSP_MAX_RECV_SECTIONS 16384u
/* Largest RNDIS transfer gathered from the guest (a batched section). */
#define NETVSP_MAX_XFER		65536u
/* GPA ranges of one sent frame: Linux 6.1's netvsc sends one per page
 * buffer, at most MAX_PAGE_BUFFER_COUNT (32), linearizing bigger skbs. */
#define NETVSP_MAX_RANGES	64u
/* Guest send completions held while the host -> guest ring is full. */
#define NETVSP_MAX_PENDING	8192u

struct netvsp;

struct netvsp_backend {
	/*
	 * A frame from the guest for the wire, with the offloads the guest
	 * left to the host (rndis_tx_offload()); 0 or -errno (counted).
	 */
	int (*tx)(void *ctx, const uint8_t *frame, uint32_t len,
		  const struct rndis_tx_meta *meta);
	/* Receive sections or ring space freed: netvsp_rx() may work again. */
	void (*wake)(void *ctx);
	void *ctx;
};

struct netvsp_stats {
	uint32_t version;		/* negotiated NVSP version, 0 = none */
	uint32_t recv_sections;		/* 0 = no receive buffer */
	uint32_t recv_free;
	uint32_t send_sections;		/* 0 = no send buffer */
	bool rndis_ready;		/* initialized and packet filter set */
	uint32_t filter;
	uint64_t rx_frames, rx_dropped;	/* host -> guest */
	uint64_t rx_bytes;		/* of rx_frames (Ethernet frames) */
	uint64_t tx_frames, tx_errors;	/* guest -> host */
	uint64_t tx_bytes;		/* of tx_frames (Ethernet frames) */
	uint64_t bad;			/* hostile or malformed input */
	uint64_t pending;		/* completions waiting for ring space */
};

/*
 * netvsp_create() - offer a NIC with @mac on @h (before
 * vmbus_host_start()); @index makes the instance GUID unique.
 * Return: the NIC or NULL (logged).
 */
struct netvsp *netvsp_create(struct vmbus_host *h, const uint8_t mac[6],
			     unsigned int index, const struct netvsp_backend *be);
/* Free after vmbus_host_destroy() (which closes the channel). */
void netvsp_free(struct netvsp *n);

/*
 * netvsp_rx() - deliver one Ethernet frame to the guest (host lock held).
 * Return: 0; -EAGAIN when no receive section or ring space is free now
 * (keep the frame, wait for backend->wake); -ENOTCONN when the guest is
 * not ready for frames (drop it); -EMSGSIZE (drop it).
 */
int netvsp_rx(struct netvsp *n, const uint8_t *frame, uint32_t len);

/*
 * netvsp_rx_fill() - deliver one frame that @fill writes straight into a
 * free receive section of the guest (host lock held), so a tap frame is
 * copied once, by the kernel.  @fill gets the section's frame room as
 * @cnt iovecs (the last one a byte past RNDIS_MAX_FRAME, reached only by
 * a frame too large) and returns the frame's length, 0 for no frame, or
 * -errno.  Nothing is read unless a section and ring room are there.
 * Return: 0 delivered; -EAGAIN no section or ring space (wait for
 * backend->wake); -ENOTCONN guest not ready (nothing read: drain the
 * source); -ENODATA or @fill's -errno: no frame; -EMSGSIZE frame dropped.
 */
#define NETVSP_FILL_IOV	4
typedef ssize_t (*netvsp_fill_fn)(void *ctx, struct iovec *iov, int cnt);
int netvsp_rx_fill(struct netvsp *n, netvsp_fill_fn fill, void *ctx);

/* Send an RNDIS link-status indication (host lock held). */
int netvsp_link(struct netvsp *n, bool up);

void netvsp_get_stats(struct netvsp *n, struct netvsp_stats *st);

/* A frame for the guest dropped outside netvsp_rx*() (host lock held). */
void netvsp_rx_drop(struct netvsp *n);

/*
 * netvsp_ifstats() - the control channel's answer (control.h), from the
 * guest's side (host lock held): "ifstats rx_bytes=N rx_packets=N
 * rx_errs=0 rx_drop=N tx_bytes=N tx_packets=N tx_errs=N tx_drop=0" with
 * rx = rx_frames/rx_bytes, rx_drop = rx_dropped, tx = tx_frames/tx_bytes,
 * tx_errs = tx_errors.
 */
void netvsp_ifstats(struct netvsp *n, char *reply, size_t len);
struct vmbus_host_dev *netvsp_dev(struct netvsp *n);

#endif /* HVWORKER_NETVSP_H */
