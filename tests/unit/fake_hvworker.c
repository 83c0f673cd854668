// SPDX-License-Identifier: GPL-2.0
/*
 * A fake hvworker for hvd's mkhv backend tests: it takes hvworker's
 * command line, speaks its status lines (parent/worker/worker.h) and its
 * control channel (parent/worker/control.h), and does what the domain's
 * <cmdline> tells it (words separated by spaces):
 *
 *   fake-fail            "state error" + "detail boot: fake failure", exit 1
 *                        before running
 *   fake-hang            never reports running
 *   fake-exit=CODE@MS    exit CODE MS ms after running (0 poweroff,
 *                        2 reboot, 3 crashed, 1 error)
 *   fake-signal=SIG@MS   kill itself with SIG after MS ms
 *   fake-graceful        shutdown/reboot answer "ok" and exit 0/2 50 ms later
 *   fake-nostats         stats answers an error as a worker without the
 *                        hv's VP runtime register would
 *   fake-guest           the guest's integration services talk: "vmbus
 *                        version 5.3", KVP lines (hostname fake1, two IPv4
 *                        and one IPv6 address, OS) and a heartbeat line
 *                        every 100 ms, alive
 *                        (and "timesync" answers ok, counted in
 *                        <console-log>.timesync)
 *   fake-hung=MS         heartbeat alive, then "hung" from MS ms on
 *   fake-hung-only=MS    only "hung" lines from MS ms on (never alive)
 *   fake-badstats        blkstats/ifstats answer a truncated counters line
 *
 * Each --nic N gets a status line "nic N <mac> tap faketapN bridge br0"
 * (not for N = 1: as a NIC that failed to start); "blkstats N" and
 * "ifstats N" answer counters 1000 * (N + 1) + the field's place, or
 * "error no disk N" / "error no nic N" as hvworker does.
 *
 * The console is a real pty (printed as "console-pty"): "fake console
 * ready" goes out first, every byte typed comes back as "echo:<byte>".
 * Its argv goes to <console-log>.argv (one per line) and each start
 * appends a line to <console-log>.starts.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static bool has(const char *cmdline, const char *word)
{
	return cmdline && strstr(cmdline, word);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void record(const char *log, int argc, char **argv)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s.argv", log);
	f = fopen(path, "w");
	if (f) {
		for (int i = 0; i < argc; i++)
			fprintf(f, "%s\n", argv[i]);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s.starts", log);
	f = fopen(path, "a");
	if (f) {
		fprintf(f, "start %d\n", (int)getpid());
		fclose(f);
	}
}

/* "blkstats N" / "ifstats N": the counters of device N, or an error. */
static void counters(const char *line, int ndisks, int nnics, bool bad,
		     char *reply, size_t len)
{
	static const char *const blk[] = {
		"rd_req", "rd_bytes", "wr_req", "wr_bytes", "fl_req", "errs",
	};
	static const char *const nic[] = {
		"rx_bytes", "rx_packets", "rx_errs", "rx_drop",
		"tx_bytes", "tx_packets", "tx_errs", "tx_drop",
	};
	bool is_blk = line[0] == 'b';
	int n = atoi(strchr(line, ' ') + 1), max = is_blk ? ndisks : nnics;
	const char *const *keys = is_blk ? blk : nic;
	int nkeys = is_blk ? 6 : 8;
	size_t off;

	if (n < 0 || n >= max || (!is_blk && n == 1)) {
		snprintf(reply, len, "error no %s %d", is_blk ? "disk" : "nic", n);
		return;
	}
	off = (size_t)snprintf(reply, len, "%s", is_blk ? "blkstats" : "ifstats");
	for (int k = 0; k < (bad ? 2 : nkeys) && off < len; k++)
		off += (size_t)snprintf(reply + off, len - off, " %s=%d", keys[k],
					1000 * (n + 1) + k + 1);
}

int main(int argc, char **argv)
{
	const char *cmdline = NULL, *log = NULL;
	long long end_at = -1, stats_ns = 0, hung_at = -1, next_hb = 0;
	unsigned long long seq = 0;
	bool hb_alive;
	int ctl = -1, end_code = 0, end_sig = 0, pty, i, ndisks = 0, nnics = 0;
	char line[512], *p;
	size_t have = 0;
	struct termios t;

	for (i = 1; i + 1 < argc; i++) {
		if (!strcmp(argv[i], "--disk"))
			ndisks++;
		else if (!strcmp(argv[i], "--nic"))
			nnics++;
		else if (!strcmp(argv[i], "--cmdline"))
			cmdline = argv[i + 1];
		else if (!strcmp(argv[i], "--console-log"))
			log = argv[i + 1];
		else if (!strcmp(argv[i], "--control-fd"))
			ctl = atoi(argv[i + 1]);
	}
	if (log)
		record(log, argc, argv);
	hb_alive = has(cmdline, "fake-guest") || has(cmdline, "fake-hung=");
	setvbuf(stdout, NULL, _IOLBF, 0);
	fprintf(stderr, "fake hvworker starting\n");
	printf("hvworker: partition 7\n");
	if (has(cmdline, "fake-fail")) {
		printf("hvworker: state error\nhvworker: detail boot: fake failure\n");
		return 1;
	}
	pty = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (pty < 0 || grantpt(pty) || unlockpt(pty))
		return 1;
	if (!tcgetattr(pty, &t)) {
		cfmakeraw(&t);
		tcsetattr(pty, TCSANOW, &t);
	}
	printf("hvworker: console-pty %s\n", ptsname(pty));
	if (has(cmdline, "fake-hang"))
		for (;;)
			pause();
	for (i = 0; i < nnics; i++)
		if (i != 1)
			printf("hvworker: nic %d 52:54:00:00:00:%02x tap faketap%d bridge br0\n",
			       i, i, i);
	printf("hvworker: state running\n");
	if ((p = strstr(cmdline ? cmdline : "", "fake-exit=")))
		end_code = atoi(p + 10), end_at = now_ms() + atoi(strchr(p, '@') + 1);
	if ((p = strstr(cmdline ? cmdline : "", "fake-signal=")))
		end_sig = atoi(p + 12), end_at = now_ms() + atoi(strchr(p, '@') + 1);
	if (has(cmdline, "fake-guest")) {
		printf("hvworker: vmbus version 5.3\n"
		       "hvworker: kvp FullyQualifiedDomainName fake1\n"
		       "hvworker: kvp NetworkAddressIPv4 10.0.2.15;192.168.7.3;bogus\n"
		       "hvworker: kvp NetworkAddressIPv6 fe80::5054:ff:fe12:3456\n"
		       "hvworker: kvp OSName Debian GNU/Linux\n"
		       "hvworker: kvp OSVersion 6.1.0\n"
		       "hvworker: kvp OSBuildNumber 6.1.0-56-amd64\n"
		       "hvworker: kvp OSMajorVersion 12\n"
		       "hvworker: kvp ProcessorArchitecture x86_64\n");
	}
	if ((p = strstr(cmdline ? cmdline : "", "fake-hung=")))
		hung_at = now_ms() + atoi(p + 10);
	if ((p = strstr(cmdline ? cmdline : "", "fake-hung-only=")))
		hung_at = now_ms() + atoi(p + 15);
	if (write(pty, "fake console ready\r\n", 20) < 0)
		(void)0;	/* nobody reads yet: fine */
	for (;;) {
		struct pollfd pfd[2] = { { .fd = pty, .events = POLLIN },
					 { .fd = ctl, .events = POLLIN } };
		int timeout = end_at < 0 ? 100 : (int)(end_at - now_ms());
		char c, buf[64];
		ssize_t n;

		if (end_at >= 0 && now_ms() >= end_at) {
			printf("hvworker: state %s\nhvworker: detail fake end\n",
			       end_sig ? "crashed" : end_code == 0 ? "shutdown" :
			       end_code == 2 ? "reboot" : end_code == 3 ? "crashed" :
			       "error");
			if (end_sig)
				kill(getpid(), end_sig);
			return end_code;
		}
		if ((hb_alive || hung_at >= 0) && now_ms() >= next_hb) {
			bool hung = hung_at >= 0 && now_ms() >= hung_at;

			if (hung || hb_alive)
				printf("hvworker: heartbeat %llu %s\n",
				       hung ? seq : ++seq, hung ? "hung" : "alive");
			next_hb = now_ms() + 100;
		}
		poll(pfd, ctl >= 0 ? 2 : 1, timeout < 100 ? (timeout < 0 ? 0 : timeout) : 100);
		while ((n = read(pty, &c, 1)) == 1) {
			n = snprintf(buf, sizeof(buf), "echo:%c\r\n", c);
			if (write(pty, buf, (size_t)n) < 0)
				break;
		}
		if (ctl < 0 || !(pfd[1].revents & (POLLIN | POLLHUP)))
			continue;
		n = read(ctl, line + have, sizeof(line) - 1 - have);
		if (n <= 0) {
			ctl = -1;	/* hvd gone: the VM goes on */
			continue;
		}
		have += (size_t)n;
		line[have] = '\0';
		while ((p = strchr(line, '\n'))) {
			char reply[640];

			*p = '\0';
			if (!strcmp(line, "stats") && has(cmdline, "fake-nostats")) {
				snprintf(reply, sizeof(reply), "error cannot read "
					 "HvRegisterVpRuntime: Invalid argument");
			} else if (!strncmp(line, "blkstats ", 9) ||
				   !strncmp(line, "ifstats ", 8)) {
				counters(line, ndisks, nnics, has(cmdline, "fake-badstats"),
					 reply, sizeof(reply));
			} else if (!strcmp(line, "stats")) {
				stats_ns += 1000000;
				snprintf(reply, sizeof(reply),
					 "stats cpu_time_ns=%lld vcpus=1", stats_ns);
			} else if ((!strcmp(line, "shutdown") || !strcmp(line, "reboot")) &&
				   has(cmdline, "fake-graceful")) {
				snprintf(reply, sizeof(reply), "ok");
				end_code = line[0] == 's' ? 0 : 2;
				end_at = now_ms() + 50;
			} else if (!strcmp(line, "timesync") && has(cmdline, "fake-guest")) {
				char path[4096];
				FILE *f;

				snprintf(path, sizeof(path), "%s.timesync", log ? log : "");
				f = fopen(path, "a");
				if (f) {
					fprintf(f, "sync\n");
					fclose(f);
				}
				snprintf(reply, sizeof(reply), "ok");
			} else if (!strcmp(line, "timesync")) {
				snprintf(reply, sizeof(reply), "unsupported the guest's "
					 "VMBus time synchronization service is not connected");
			} else if (!strcmp(line, "shutdown") || !strcmp(line, "reboot")) {
				snprintf(reply, sizeof(reply), "unsupported graceful %s "
					 "needs the guest's VMBus shutdown service", line);
			} else {
				snprintf(reply, sizeof(reply), "error unknown command");
			}
			dprintf(ctl, "%s\n", reply);
			have -= (size_t)(p + 1 - line);
			memmove(line, p + 1, have + 1);
		}
	}
}
