// SPDX-License-Identifier: GPL-2.0
/*
 * hvworker: VMBus status lines for hvd (vmbus_host.h): what changed since
 * the last report, in the worker's "hvworker: <what> ..." style, so hvd
 * can answer virsh dominfo (heartbeat), domifaddr --source agent and
 * guestinfo (KVP) without asking the worker.
 */
#include <errno.h>
#include <stdio.h>

#include "vmbus_host.h"

/* KVP auto-pool keys hvd uses (hv_kvp_daemon's names). */
static const char *const kvp_keys[] = {
	"FullyQualifiedDomainName", "NetworkAddressIPv4", "NetworkAddressIPv6",
	"OSName", "OSVersion", "OSBuildNumber", "OSMajorVersion", "OSMinorVersion",
	"ProcessorArchitecture", "IntegrationServicesVersion",
};

int vmbus_host_report(struct vmbus_host *h, FILE *out, struct vmbus_host_seen *seen)
{
	struct vmbus_host_status st;
	char val[4096];
	int n = 0;

	vmbus_host_get_status(h, &st);
	if (!seen->any || st.version != seen->version) {
		fprintf(out, "hvworker: vmbus version %u.%u\n", st.version >> 16,
			st.version & 0xffff);
		n++;
	}
	if (st.heartbeat_ready && (!seen->any || st.heartbeat_seq != seen->heartbeat_seq ||
				   st.guest_hung != seen->hung)) {
		fprintf(out, "hvworker: heartbeat %llu %s\n",
			(unsigned long long)st.heartbeat_seq,
			st.guest_hung ? "hung" : "alive");
		n++;
	}
	if (st.shutdown_answers != seen->shutdown_answers) {
		fprintf(out, "hvworker: shutdown-answer %#x\n", st.shutdown_status);
		n++;
	}
	if (st.kvp_rounds != seen->kvp_rounds) {
		for (size_t i = 0; i < sizeof(kvp_keys) / sizeof(kvp_keys[0]); i++) {
			if (vmbus_host_kvp_get(h, kvp_keys[i], val, sizeof(val)) < 0)
				continue;
			/* One line each: no control bytes from the guest. */
			for (char *p = val; *p; p++)
				if ((unsigned char)*p < 0x20 || *p == 0x7f)
					*p = '?';
			fprintf(out, "hvworker: kvp %s %s\n", kvp_keys[i], val);
			n++;
		}
	}
	seen->version = st.version;
	seen->heartbeat_seq = st.heartbeat_seq;
	seen->hung = st.guest_hung;
	seen->shutdown_answers = st.shutdown_answers;
	seen->kvp_rounds = st.kvp_rounds;
	seen->any = true;
	if (n)
		fflush(out);
	return n;
}
