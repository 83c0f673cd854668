/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvworker: a child's NIC in the parent (issue 10): `--nic` specs, and a
 * tap device attached to a bridge that carries the frames of one netvsp
 * (netvsp.h) — guest frames are written to the tap by the VMBus thread,
 * a thread per NIC reads the tap and hands frames to netvsp_rx().
 *
 *   --nic bridge=BR[,mac=52:54:00:12:34:56]   tap on the existing bridge BR
 *   --nic network=default[,mac=...]           tap on virbr0, the bridge of
 *                                             libvirt's 'default' NAT network,
 *                                             which the parent sets up at boot
 *                                             (parent/initramfs/default-net)
 */
#ifndef HVWORKER_NIC_H
#define HVWORKER_NIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define NIC_MAX			8	/* --nic options per VM */
#define NIC_SOURCE_MAX		15	/* IFNAMSIZ - 1 */
#define NIC_DEFAULT_BRIDGE	"virbr0"

enum nic_type { NIC_BRIDGE, NIC_NETWORK };

struct nic_spec {
	enum nic_type type;
	char source[NIC_SOURCE_MAX + 1];	/* bridge or network name */
	uint8_t mac[6];
	bool mac_set;		/* false: derived from the VM name and index */
};

/* Parse "bridge=BR|network=NAME[,mac=xx:xx:xx:xx:xx:xx]": 0 or -EINVAL. */
int nic_parse_spec(const char *arg, struct nic_spec *s);

/* A locally administered unicast MAC from @name and @index (52:54:00:..). */
void nic_default_mac(const char *name, unsigned int index, uint8_t mac[6]);

struct vmbus_host;
struct nic;

/*
 * nic_start() - create the tap, attach it to the bridge, offer the NIC
 * on @h (before vmbus_host_start()) and start the tap reader.  Prints
 * "hvworker: nic <index> <mac> tap <ifname> bridge <br>" on @status.
 * Return: the NIC or NULL with a reason in @err.
 */
struct nic *nic_start(struct vmbus_host *h, const struct nic_spec *s,
		      unsigned int index, FILE *status, char *err, size_t errlen);
/*
 * nic_attach() - a NIC on netvsp @nv of @h without tap or reader (tests
 * of what sits on top); nic_free() frees @nv too.  NULL: out of memory.
 */
struct netvsp;
struct nic *nic_attach(struct vmbus_host *h, struct netvsp *nv);
/*
 * nic_ifstats() - the control channel's "ifstats ..." answer for @n
 * (netvsp_ifstats(), under the host lock; any thread).
 */
void nic_ifstats(struct nic *n, char *reply, size_t len);
/* Stop the reader thread (before vmbus_host_destroy()). */
void nic_stop(struct nic *n);
/* Close the tap and free (after vmbus_host_destroy()). */
void nic_free(struct nic *n);

#endif /* HVWORKER_NIC_H */
