// SPDX-License-Identifier: GPL-2.0
/* hvd: what the guest's integration services report (guest.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"

static const char *const kvp_names[HVD_KVP_NKEYS] = {
	[HVD_KVP_FQDN] = "FullyQualifiedDomainName",
	[HVD_KVP_IPV4] = "NetworkAddressIPv4",
	[HVD_KVP_IPV6] = "NetworkAddressIPv6",
	[HVD_KVP_OS_NAME] = "OSName",
	[HVD_KVP_OS_VERSION] = "OSVersion",
	[HVD_KVP_OS_BUILD] = "OSBuildNumber",
	[HVD_KVP_OS_MAJOR] = "OSMajorVersion",
	[HVD_KVP_OS_MINOR] = "OSMinorVersion",
	[HVD_KVP_ARCH] = "ProcessorArchitecture",
	[HVD_KVP_IC_VERSION] = "IntegrationServicesVersion",
};

const char *hvd_kvp_name(enum hvd_kvp_key k)
{
	return (unsigned int)k < HVD_KVP_NKEYS ? kvp_names[k] : NULL;
}

int hvd_kvp_key(const char *name)
{
	for (int i = 0; i < HVD_KVP_NKEYS; i++)
		if (!strcmp(name, kvp_names[i]))
			return i;
	return -1;
}

const char *hvd_guest_kvp(const struct hvd_guest *g, enum hvd_kvp_key k)
{
	if ((unsigned int)k >= HVD_KVP_NKEYS || !g->has[k])
		return NULL;
	return g->kvp_val[k];
}

size_t hvd_guest_addrs(const char *list, int af, char out[][46], size_t max)
{
	unsigned char bin[sizeof(struct in6_addr)];
	size_t n = 0;

	while (list && *list && n < max) {
		const char *end = strchr(list, ';');
		size_t len = end ? (size_t)(end - list) : strlen(list);
		char one[64];

		if (len && len < sizeof(one)) {
			memcpy(one, list, len);
			one[len] = '\0';
			if (inet_pton(af, one, bin) == 1 &&
			    inet_ntop(af, bin, out[n], 46))
				n++;
		}
		list = end ? end + 1 : NULL;
	}
	return n;
}

void hvd_copy_printable(char *dst, size_t len, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < len && src[i]; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : '?';
	dst[i] = '\0';
}

static int parse_u64(const char *s, const char **end, uint64_t *v)
{
	char *e;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &e, 10);
	if (errno)
		return -EINVAL;
	*end = e;
	return 0;
}

static int heartbeat_line(struct hvd_guest *g, const char *p)
{
	bool was_hung = g->hung, hung;
	uint64_t seq;

	if (parse_u64(p, &p, &seq) || *p++ != ' ')
		return -EINVAL;
	if (!strcmp(p, "alive"))
		hung = false;
	else if (!strcmp(p, "hung"))
		hung = true;
	else
		return -EINVAL;
	g->heartbeat = true;
	g->heartbeat_seq = seq;
	g->heartbeat_updates++;
	g->hung = hung;
	if (!hung)
		g->alive_seen = true;
	return hung && !was_hung && g->alive_seen ? 2 : 1;
}

static int kvp_line(struct hvd_guest *g, const char *p)
{
	const char *sp = strchr(p, ' ');
	char key[64];
	int k;

	if (!sp || sp == p || (size_t)(sp - p) >= sizeof(key))
		return -EINVAL;
	memcpy(key, p, (size_t)(sp - p));
	key[sp - p] = '\0';
	k = hvd_kvp_key(key);
	if (k < 0)
		return 0;	/* a key hvd does not use */
	hvd_copy_printable(g->kvp_val[k], sizeof(g->kvp_val[k]), sp + 1);
	g->has[k] = true;
	g->kvp = true;
	return 1;
}

static int version_line(struct hvd_guest *g, const char *p)
{
	uint64_t major, minor;

	if (parse_u64(p, &p, &major) || *p++ != '.' ||
	    parse_u64(p, &p, &minor) || *p || major > 0xffff || minor > 0xffff)
		return -EINVAL;
	g->vmbus_major = (unsigned int)major;
	g->vmbus_minor = (unsigned int)minor;
	return 1;
}

int hvd_guest_status_line(struct hvd_guest *g, const char *line)
{
	if (!strncmp(line, "heartbeat ", 10))
		return heartbeat_line(g, line + 10);
	if (!strncmp(line, "kvp ", 4))
		return kvp_line(g, line + 4);
	if (!strncmp(line, "vmbus version ", 14))
		return version_line(g, line + 14);
	return 0;
}
