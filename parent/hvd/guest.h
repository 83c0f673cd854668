/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a running guest told the host through its integration services:
 * the VMBus heartbeat (sequence number, alive or hung) and the KVP auto
 * pool (hostname, IP addresses, OS), as the mkhv backend learns them from
 * its worker's status lines (worker_proc.c).  The RPC layer turns it into
 * virsh's domifaddr --source agent, guestinfo and domstats answers
 * (rpc_guest.c).  Everything here came from the guest: printable ASCII,
 * length-bounded, and addresses are re-checked before use.
 */
#ifndef MKHV_HVD_GUEST_H
#define MKHV_HVD_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HVD_GUEST_VALUE_MAX 512	/* bytes with the NUL; longer values cut */
#define HVD_GUEST_ADDRS_MAX 32	/* addresses per family hvd reports */

/* The KVP auto-pool keys hvd uses (hv_kvp_daemon's names). */
enum hvd_kvp_key {
	HVD_KVP_FQDN,		/* FullyQualifiedDomainName */
	HVD_KVP_IPV4,		/* NetworkAddressIPv4: "a.b.c.d;..." */
	HVD_KVP_IPV6,		/* NetworkAddressIPv6 */
	HVD_KVP_OS_NAME,	/* OSName: os-release NAME or uname -s */
	HVD_KVP_OS_VERSION,	/* OSVersion: kernel x.y.z */
	HVD_KVP_OS_BUILD,	/* OSBuildNumber: uname -r */
	HVD_KVP_OS_MAJOR,	/* OSMajorVersion: os-release VERSION_ID */
	HVD_KVP_OS_MINOR,	/* OSMinorVersion */
	HVD_KVP_ARCH,		/* ProcessorArchitecture: uname -m */
	HVD_KVP_IC_VERSION,	/* IntegrationServicesVersion */
	HVD_KVP_NKEYS
};

struct hvd_guest {
	unsigned int vmbus_major, vmbus_minor;	/* 0.0: not connected */
	bool heartbeat;		/* a heartbeat status arrived */
	bool alive_seen;	/* ... and once said alive (hv_utils answers) */
	bool hung;		/* the last status said hung */
	uint64_t heartbeat_seq;
	uint64_t heartbeat_updates;	/* status lines, for "advancing" */
	bool kvp;		/* at least one KVP value arrived */
	bool has[HVD_KVP_NKEYS];
	char kvp_val[HVD_KVP_NKEYS][HVD_GUEST_VALUE_MAX];
};

/* hvd_kvp_name() - the KVP key of @k; hvd_kvp_key() - back, or -1. */
const char *hvd_kvp_name(enum hvd_kvp_key k);
int hvd_kvp_key(const char *name);

/* hvd_guest_kvp() - the value of @k, or NULL when the guest gave none. */
const char *hvd_guest_kvp(const struct hvd_guest *g, enum hvd_kvp_key k);

/*
 * hvd_guest_addrs() - the addresses of family @af (AF_INET/AF_INET6) in
 * KVP list @list ("addr;addr;..."), each checked with inet_pton() and
 * printed back canonically into @out (at most @max).  Anything that is
 * not an address is skipped.  Return: the number stored.
 */
size_t hvd_guest_addrs(const char *list, int af, char out[][46], size_t max);

/*
 * hvd_copy_printable() - @src into @dst (@len bytes with the NUL), every
 * byte outside printable ASCII as '?': guest and worker text ends up in
 * logs, virsh output and errors.
 */
void hvd_copy_printable(char *dst, size_t len, const char *src);

/*
 * hvd_guest_status_line() - take one worker status line without its
 * "hvworker: " prefix ("heartbeat N alive|hung", "kvp KEY VALUE",
 * "vmbus version M.m") into @g.  Return: 1 when the line was one of these
 * and taken, 2 when it turned the guest from alive to hung (the policy
 * event), 0 for another line, -EINVAL for a malformed one.
 */
int hvd_guest_status_line(struct hvd_guest *g, const char *line);

#endif /* MKHV_HVD_GUEST_H */
