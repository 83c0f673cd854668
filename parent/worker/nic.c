// SPDX-License-Identifier: GPL-2.0
/* hvworker: tap backend of a synthetic NIC (nic.h). */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <linux/virtio_net.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "netvsp.h"
#include "nic.h"

#define NIC_RETRY_MS	20	/* no receive room: look again this often */

struct nic {
	struct vmbus_host *h;
	struct netvsp *nv;
	struct nic_spec spec;
	char ifname[IFNAMSIZ];
	int tap, wake;
	pthread_t thread;
	bool running;
	atomic_bool stop;
	uint8_t drop[2048];	/* frames the guest is not ready for */
};

static int parse_mac(const char *s, size_t len, uint8_t mac[6])
{
	unsigned int b[6];
	char tmp[18], end;

	if (len != 17)
		return -EINVAL;
	memcpy(tmp, s, 17);
	tmp[17] = 0;
	if (sscanf(tmp, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &end) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return mac[0] & 1 ? -EINVAL : 0;	/* unicast only */
}

int nic_parse_spec(const char *arg, struct nic_spec *s)
{
	const char *p = arg;
	bool have_src = false;

	memset(s, 0, sizeof(*s));
	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		size_t klen, vlen;

		if (!eq)
			return -EINVAL;
		klen = (size_t)(eq - p);
		vlen = len - klen - 1;
		if ((klen == 6 && !strncmp(p, "bridge", 6)) ||
		    (klen == 7 && !strncmp(p, "network", 7))) {
			if (have_src || !vlen || vlen > NIC_SOURCE_MAX ||
			    memchr(eq + 1, '/', vlen))
				return -EINVAL;
			s->type = klen == 6 ? NIC_BRIDGE : NIC_NETWORK;
			memcpy(s->source, eq + 1, vlen);
			s->source[vlen] = 0;
			have_src = true;
		} else if (klen == 3 && !strncmp(p, "mac", 3)) {
			if (s->mac_set || parse_mac(eq + 1, vlen, s->mac))
				return -EINVAL;
			s->mac_set = true;
		} else {
			return -EINVAL;
		}
		p = comma ? comma + 1 : NULL;
	}
	if (!have_src)
		return -EINVAL;
	if (s->type == NIC_NETWORK && strcmp(s->source, "default"))
		return -EINVAL;	/* only the default NAT network exists */
	return 0;
}

void nic_default_mac(const char *name, unsigned int index, uint8_t mac[6])
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (const char *c = name; *c; c++)
		h = (h ^ (uint8_t)*c) * 16777619u;
	h = (h ^ index) * 16777619u;
	mac[0] = 0x52;
	mac[1] = 0x54;
	mac[2] = 0x00;
	mac[3] = (uint8_t)(h >> 16);
	mac[4] = (uint8_t)(h >> 8);
	mac[5] = (uint8_t)h;
}

/* ---- interfaces (ioctls: the parent has no iproute2) ---- */

static int if_ioctl(unsigned long req, struct ifreq *ifr)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;

	if (s < 0)
		return -errno;
	if (ioctl(s, req, ifr) < 0)
		rc = -errno;
	close(s);
	return rc;
}

static int if_up(const char *name)
{
	struct ifreq ifr;
	int rc;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	rc = if_ioctl(SIOCGIFFLAGS, &ifr);
	if (rc)
		return rc;
	ifr.ifr_flags |= IFF_UP;
	return if_ioctl(SIOCSIFFLAGS, &ifr);
}

static bool if_exists(const char *name)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	return if_ioctl(SIOCGIFINDEX, &ifr) == 0;
}

static int tap_open(struct nic *n, char *err, size_t errlen)
{
	const char *br = n->spec.type == NIC_BRIDGE ? n->spec.source : NIC_DEFAULT_BRIDGE;
	struct ifreq ifr;
	int rc;

	n->tap = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (n->tap < 0) {
		snprintf(err, errlen, "/dev/net/tun: %s", strerror(errno));
		return -errno;
	}
	memset(&ifr, 0, sizeof(ifr));
	/* virtio_net_hdr before every frame: the guest's checksum and
	 * segmentation offloads go to the kernel as they are. */
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	snprintf(ifr.ifr_name, IFNAMSIZ, "mkhvtap%%d");
	if (ioctl(n->tap, TUNSETIFF, &ifr) < 0) {
		snprintf(err, errlen, "TUNSETIFF: %s", strerror(errno));
		return -errno;
	}
	memcpy(n->ifname, ifr.ifr_name, IFNAMSIZ);
	n->ifname[IFNAMSIZ - 1] = 0;
	rc = if_up(n->ifname);
	if (rc) {
		snprintf(err, errlen, "%s up: %s", n->ifname, strerror(-rc));
		return rc;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", n->ifname);
	rc = if_ioctl(SIOCGIFINDEX, &ifr);
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", br);
	if (!rc)
		rc = if_ioctl(SIOCBRADDIF, &ifr);
	if (rc) {
		snprintf(err, errlen, "cannot add %s to bridge %s: %s", n->ifname,
			 br, strerror(-rc));
		return rc;
	}
	return 0;
}

/* ---- frames ---- */

/*
 * One frame to the tap: the virtio_net_hdr with what the guest left to the
 * host (checksum, TCP segmentation), the patched headers if any, then the
 * rest straight from netvsp's private copy.
 */
static int tap_tx(void *ctx, const uint8_t *frame, uint32_t len,
		  const struct rndis_tx_meta *meta)
{
	struct nic *n = ctx;
	struct virtio_net_hdr vh;
	uint8_t hdr[RNDIS_TX_HDR_MAX];
	uint32_t hlen;
	struct iovec iov[3];
	ssize_t w;

	if (rndis_tx_offload(frame, len, meta, &vh, hdr, &hlen))
		return -EINVAL;
	iov[0] = (struct iovec){ &vh, sizeof(vh) };
	iov[1] = (struct iovec){ hdr, hlen };
	iov[2] = (struct iovec){ (void *)(frame + hlen), len - hlen };
	w = writev(n->tap, iov, 3);
	return w == (ssize_t)(sizeof(vh) + len) ? 0 : -EIO;
}

static void tap_wake(void *ctx)
{
	struct nic *n = ctx;
	uint64_t one = 1;

	if (write(n->wake, &one, sizeof(one)) < 0)
		return;	/* counter full: a wake-up is pending anyway */
}

/*
 * netvsp's fill callback: one tap frame read straight into the guest's
 * receive section (after its virtio_net_hdr, which says nothing: the
 * kernel checksummed and segmented the frame, no TUNSETOFFLOAD).
 */
static ssize_t tap_fill(void *ctx, struct iovec *iov, int cnt)
{
	struct nic *n = ctx;
	struct virtio_net_hdr vh;
	struct iovec v[1 + NETVSP_FILL_IOV];
	ssize_t r;

	if (cnt > NETVSP_FILL_IOV)
		return -EINVAL;
	v[0] = (struct iovec){ &vh, sizeof(vh) };
	memcpy(v + 1, iov, (size_t)cnt * sizeof(*iov));
	r = readv(n->tap, v, cnt + 1);
	if (r < 0)
		return errno == EAGAIN ? 0 : -errno;
	return r < (ssize_t)sizeof(vh) ? 0 : r - (ssize_t)sizeof(vh);
}

/*
 * The reader: up to 64 frames per turn, each read from the tap straight
 * into a free receive section of the guest under the host lock.  When
 * the guest has no section or ring room nothing is read (the tap queues,
 * then drops) until netvsp wakes us (sections completed, ring space
 * signalled).  Frames the guest is not ready for are read and dropped.
 */
static void *reader(void *arg)
{
	struct nic *n = arg;
	bool full = false;

	while (!atomic_load(&n->stop)) {
		struct pollfd p[2] = {
			{ .fd = n->wake, .events = POLLIN },
			{ .fd = n->tap, .events = POLLIN },
		};
		uint64_t cnt;

		if (poll(p, full ? 1 : 2, full ? NIC_RETRY_MS : 1000) < 0 &&
		    errno != EINTR)
			break;
		if (p[0].revents & POLLIN && read(n->wake, &cnt, sizeof(cnt)) < 0)
			cnt = 0;
		full = false;
		for (int k = 0; k < 64 && !atomic_load(&n->stop); k++) {
			int rc;

			vmbus_host_lock(n->h);
			rc = netvsp_rx_fill(n->nv, tap_fill, n);
			vmbus_host_unlock(n->h);
			if (rc == -EAGAIN) {
				full = true;
				break;
			}
			if (rc == -ENOTCONN) {
				if (read(n->tap, n->drop, sizeof(n->drop)) <= 0)
					break;
				vmbus_host_lock(n->h);
				netvsp_rx_drop(n->nv);	/* ifstats rx_drop */
				vmbus_host_unlock(n->h);
				continue;
			}
			if (rc && rc != -EMSGSIZE)
				break;	/* no frame now */
		}
	}
	return NULL;
}

struct nic *nic_start(struct vmbus_host *h, const struct nic_spec *s,
		      unsigned int index, FILE *status, char *err, size_t errlen)
{
	struct netvsp_backend be = { .tx = tap_tx, .wake = tap_wake };
	struct nic *n = calloc(1, sizeof(*n));

	if (!n) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	n->h = h;
	n->spec = *s;
	n->tap = -1;
	n->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (n->wake < 0) {
		snprintf(err, errlen, "eventfd: %s", strerror(errno));
		goto fail;
	}
	/* The parent sets the default network up (35-default-net). */
	if (s->type == NIC_NETWORK && !if_exists(NIC_DEFAULT_BRIDGE)) {
		snprintf(err, errlen, "network 'default' is not active (no %s in the parent)",
			 NIC_DEFAULT_BRIDGE);
		goto fail;
	}
	if (tap_open(n, err, errlen))
		goto fail;
	be.ctx = n;
	n->nv = netvsp_create(h, s->mac, index, &be);
	if (!n->nv) {
		snprintf(err, errlen, "cannot offer the NIC on VMBus");
		goto fail;
	}
	/* From here the netvsp belongs to the host until it is destroyed. */
	if (pthread_create(&n->thread, NULL, reader, n)) {
		fprintf(status, "hvworker: nic %u: cannot start the tap reader: no frames to the guest\n",
			index);
	} else {
		n->running = true;
	}
	fprintf(status, "hvworker: nic %u %02x:%02x:%02x:%02x:%02x:%02x tap %s bridge %s\n",
		index, s->mac[0], s->mac[1], s->mac[2], s->mac[3], s->mac[4],
		s->mac[5], n->ifname,
		s->type == NIC_BRIDGE ? s->source : NIC_DEFAULT_BRIDGE);
	fflush(status);
	return n;
fail:
	nic_free(n);
	return NULL;
}

struct nic *nic_attach(struct vmbus_host *h, struct netvsp *nv)
{
	struct nic *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->h = h;
	n->nv = nv;
	n->tap = -1;
	n->wake = -1;
	return n;
}

void nic_ifstats(struct nic *n, char *reply, size_t len)
{
	vmbus_host_lock(n->h);	/* the VMBus and reader threads count */
	netvsp_ifstats(n->nv, reply, len);
	vmbus_host_unlock(n->h);
}

void nic_stop(struct nic *n)
{
	if (!n || !n->running)
		return;
	atomic_store(&n->stop, true);
	tap_wake(n);
	pthread_join(n->thread, NULL);
	n->running = false;
}

void nic_free(struct nic *n)
{
	if (!n)
		return;
	nic_stop(n);
	netvsp_free(n->nv);
	if (n->tap >= 0)
		close(n->tap);
	if (n->wake >= 0)
		close(n->wake);
	free(n);
}
