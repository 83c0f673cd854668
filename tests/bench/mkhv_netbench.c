// SPDX-License-Identifier: GPL-2.0
/*
 * mkhv-netbench: parent-side helper of scripts/bench-net.sh (net_tcp_ratio).
 *
 *   mkhv-netbench veth PID1 PID2   a veth pair: "nb0" in the network
 *                                  namespace of PID1, "nb1" in PID2's
 *                                  (busybox's ip cannot create veths)
 *   mkhv-netbench sink PORT        accept one TCP connection, read to EOF,
 *                                  print "sink BYTES bytes NS ns MBPS MB/s"
 *                                  timed from the first byte to EOF
 */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct req {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	char buf[512];
};

static struct rtattr *put(struct nlmsghdr *nh, int type, const void *data, int len)
{
	struct rtattr *rta = (struct rtattr *)((char *)nh + NLMSG_ALIGN(nh->nlmsg_len));

	rta->rta_type = (unsigned short)type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, (size_t)len);
	nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + RTA_ALIGN(rta->rta_len);
	return rta;
}

static void end(struct nlmsghdr *nh, struct rtattr *nest)
{
	nest->rta_len = (unsigned short)((char *)nh + nh->nlmsg_len - (char *)nest);
}

static int veth(uint32_t pid0, uint32_t pid1)
{
	struct req r;
	struct rtattr *info, *data, *peer;
	struct ifinfomsg pi = { .ifi_family = AF_UNSPEC };
	struct {
		struct nlmsghdr nh;
		struct nlmsgerr err;
	} ack;
	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (s < 0)
		return -errno;
	memset(&r, 0, sizeof(r));
	r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(r.ifi));
	r.nh.nlmsg_type = RTM_NEWLINK;
	r.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
	r.ifi.ifi_family = AF_UNSPEC;
	put(&r.nh, IFLA_IFNAME, "nb0", 4);
	put(&r.nh, IFLA_NET_NS_PID, &pid0, 4);
	info = put(&r.nh, IFLA_LINKINFO, NULL, 0);
	put(&r.nh, IFLA_INFO_KIND, "veth", 5);
	data = put(&r.nh, IFLA_INFO_DATA, NULL, 0);
	peer = put(&r.nh, VETH_INFO_PEER, &pi, sizeof(pi));
	put(&r.nh, IFLA_IFNAME, "nb1", 4);
	put(&r.nh, IFLA_NET_NS_PID, &pid1, 4);
	end(&r.nh, peer);
	end(&r.nh, data);
	end(&r.nh, info);
	if (send(s, &r, r.nh.nlmsg_len, 0) < 0 || recv(s, &ack, sizeof(ack), 0) < 0) {
		close(s);
		return -errno;
	}
	close(s);
	return ack.nh.nlmsg_type == NLMSG_ERROR ? ack.err.error : 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int sink(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	static char buf[1 << 16];
	uint64_t bytes = 0, t0 = 0, t1;
	int one = 1, l, c;
	ssize_t n;

	l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1))
		return -errno;
	c = accept(l, NULL, NULL);
	if (c < 0)
		return -errno;
	while ((n = read(c, buf, sizeof(buf))) > 0) {
		if (!bytes)
			t0 = now_ns();
		bytes += (uint64_t)n;
	}
	t1 = now_ns();
	close(c);
	close(l);
	if (!bytes || t1 <= t0)
		return -EIO;
	printf("sink %llu bytes %llu ns %.1f MB/s\n", (unsigned long long)bytes,
	       (unsigned long long)(t1 - t0), bytes * 1000.0 / (double)(t1 - t0));
	return 0;
}

int main(int argc, char **argv)
{
	int rc;

	if (argc == 4 && !strcmp(argv[1], "veth"))
		rc = veth((uint32_t)atoi(argv[2]), (uint32_t)atoi(argv[3]));
	else if (argc == 3 && !strcmp(argv[1], "sink"))
		rc = sink(atoi(argv[2]));
	else {
		fprintf(stderr, "usage: mkhv-netbench veth PID1 PID2 | sink PORT\n");
		return 2;
	}
	if (rc)
		fprintf(stderr, "mkhv-netbench: %s\n", strerror(-rc));
	return rc ? 1 : 0;
}
