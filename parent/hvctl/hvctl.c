// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl: mkhv-specific commands for the parent partition (VM management
 * itself is stock virsh).  Everything goes through /dev/mkhv (mkhv.ko) and
 * the hv's hypercalls.
 *
 *   hvctl [-d DEVICE] version | hv-info | hv-log [--follow] |
 *         probe-phys [BASE SIZE]
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include <mkhv/hvcall.h>
#include <mkhv/mkhv_ioctl.h>

#include "hvctl_fmt.h"

#ifndef MKHV_VERSION
#define MKHV_VERSION "unknown"
#endif

static const char *device = MKHV_DEVICE_PATH;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: hvctl [OPTIONS] COMMAND [ARGS]\n"
		"mkhv-specific commands for the parent partition (VMs: use virsh).\n"
		"\n"
		"Commands:\n"
		"  version              tool version and the running hypervisor's\n"
		"  hv-info              pCPUs (parent, child pool) and hv memory\n"
		"  hv-log [--follow]    the hypervisor's log (like `xl dmesg`)\n"
		"  probe-phys [BASE SIZE]\n"
		"                       isolation probe: read physical pages the\n"
		"                       parent must not see (default: hv memory)\n"
		"\n"
		"Options:\n"
		"  -d, --device PATH    mkhv device (default %s)\n"
		"  -h, --help           this help\n"
		"  -V, --version        the tool's version\n",
		MKHV_DEVICE_PATH);
}

static void print_tool_version(void)
{
	printf("hvctl (mkhv) %s, hypercall ABI %u\n", MKHV_VERSION,
	       MKHV_HVCALL_ABI_VERSION);
}

static int open_device(void)
{
	int fd = open(device, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		fprintf(stderr, "hvctl: %s: %s%s\n", device, strerror(errno),
			errno == ENOENT || errno == ENODEV || errno == ENXIO ?
			" (mkhv.ko not loaded or not running on mkhv)" : "");
	return fd;
}

static int get_info(struct mkhv_info *info)
{
	int fd = open_device(), ret = 0;

	if (fd < 0)
		return -1;
	memset(info, 0, sizeof(*info));
	if (ioctl(fd, MKHV_IOC_GET_INFO, info)) {
		fprintf(stderr, "hvctl: MKHV_IOC_GET_INFO: %s\n",
			strerror(errno));
		ret = -1;
	}
	close(fd);
	info->build_id[sizeof(info->build_id) - 1] = '\0';
	return ret;
}

static int cmd_version(void)
{
	struct mkhv_info info;
	char ver[32];

	print_tool_version();
	if (get_info(&info))
		return 1;
	hvctl_format_version(ver, sizeof(ver), info.version);
	printf("Running hypervisor: mkhv %s\n", ver);
	printf("Hypervisor build: %s, hypercall ABI %u\n",
	       info.build_id[0] ? info.build_id : "unknown", info.abi_version);
	return 0;
}

static int cmd_hv_info(void)
{
	struct mkhv_info info;
	char text[2048];
	int ret;

	if (get_info(&info))
		return 1;
	ret = hvctl_format_info(text, sizeof(text), &info);
	fputs(text, stdout);
	return ret == -ENOSPC ? 1 : 0;
}

static int cmd_hv_log(int follow)
{
	struct mkhv_ioc_log_read *r;
	uint64_t pos = 0, lost;
	int fd, ret = 0;

	fd = open_device();
	if (fd < 0)
		return 1;
	r = malloc(sizeof(*r));
	if (!r) {
		perror("hvctl");
		close(fd);
		return 1;
	}
	for (;;) {
		memset(r, 0, offsetof(struct mkhv_ioc_log_read, data));
		r->pos = pos;
		if (ioctl(fd, MKHV_IOC_LOG_READ, r)) {
			fprintf(stderr, "hvctl: MKHV_IOC_LOG_READ: %s\n",
				strerror(errno));
			ret = 1;
			break;
		}
		if (r->len > sizeof(r->data)) {
			fprintf(stderr, "hvctl: bad log length %u\n", r->len);
			ret = 1;
			break;
		}
		/* From 0 the ring may have wrapped: that is not a loss. */
		lost = pos ? hvctl_log_lost(pos, r->pos, r->len) : 0;
		if (lost) {
			fflush(stdout);
			fprintf(stderr, "hvctl: %llu bytes of hv log lost\n",
				(unsigned long long)lost);
		}
		fwrite(r->data, 1, r->len, stdout);
		pos = r->pos;
		if (r->len)
			continue;
		if (!follow)
			break;
		fflush(stdout);
		sleep(1);
	}
	free(r);
	close(fd);
	return ret;
}

static int cmd_probe(int argc, char **argv)
{
	struct mkhv_ioc_probe_phys p = { 0 };
	struct mkhv_info info;
	int fd, ret = 0;

	if (argc == 2) {
		if (hvctl_parse_u64(argv[0], &p.base) ||
		    hvctl_parse_u64(argv[1], &p.size)) {
			fprintf(stderr, "hvctl: bad BASE or SIZE\n");
			return 2;
		}
	} else if (argc == 0) {
		if (get_info(&info))
			return 1;
		p.base = info.hv_mem_base;
		p.size = info.hv_mem_size;
	} else {
		usage(stderr);
		return 2;
	}
	fd = open_device();
	if (fd < 0)
		return 1;
	if (ioctl(fd, MKHV_IOC_PROBE_PHYS, &p)) {
		fprintf(stderr, "hvctl: MKHV_IOC_PROBE_PHYS: %s\n",
			strerror(errno));
		ret = 1;
	} else {
		printf("probe 0x%llx-0x%llx: %llu pages read, %llu all-ones, "
		       "%llu unmapped, first value 0x%016llx\n",
		       (unsigned long long)p.base,
		       (unsigned long long)(p.base + p.size - 1),
		       (unsigned long long)p.pages_read,
		       (unsigned long long)p.ones_pages,
		       (unsigned long long)p.unmapped_pages,
		       (unsigned long long)p.first_value);
	}
	close(fd);
	return ret;
}

/* hv-log's own options; argv[0] is "hv-log". */
static int run_hv_log(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, follow = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "fh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			follow = 1;
			break;
		case 'h':
			printf("Usage: hvctl hv-log [--follow]\n");
			return 0;
		default:
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "hvctl: hv-log: unexpected '%s'\n",
			argv[optind]);
		return 2;
	}
	return cmd_hv_log(follow);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd;
	int c, rest;

	/* '+': stop at the command, whose options are its own. */
	while ((c = getopt_long(argc, argv, "+d:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			device = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			print_tool_version();
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	cmd = argv[optind];
	rest = argc - optind - 1;
	if (!strcmp(cmd, "hv-log"))
		return run_hv_log(argc - optind, argv + optind);
	if (!strcmp(cmd, "probe-phys"))
		return cmd_probe(rest, argv + optind + 1);
	if (rest) {
		fprintf(stderr, "hvctl: %s takes no arguments\n", cmd);
		return 2;
	}
	if (!strcmp(cmd, "version"))
		return cmd_version();
	if (!strcmp(cmd, "hv-info"))
		return cmd_hv_info();
	fprintf(stderr, "hvctl: unknown command '%s' (see hvctl --help)\n",
		cmd);
	return 2;
}
