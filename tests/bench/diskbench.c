// SPDX-License-Identifier: GPL-2.0
/*
 * diskbench: the disk figures of `make bench` (scripts/bench-disk.sh), run
 * the same way in the parent (on the backing file) and in a child (on the
 * storvsc disk backed by that file).  Static, so it runs in both initramfs
 * images.
 *
 *   diskbench MODE PATH MIB SECONDS
 *     seqread   1 MiB reads over the first MIB MiB, again and again
 *     seqwrite  1 MiB writes likewise, fdatasync at the end (counted)
 *     randread  4 KiB reads at random 4 KiB-aligned offsets
 *   prints "diskbench MODE MB/s IOPS" (MB = 10^6 bytes)
 *
 * O_DIRECT where the file system allows it (a block device: the child's
 * page cache does not answer for the disk); else buffered (the parent's
 * tmpfs: its page cache is the backing itself).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *mode, *path;
	long mib, secs;
	size_t bs;
	void *buf;
	int fd, write_mode;
	unsigned long long bytes = 0, ops = 0, pos = 0, span;
	unsigned int seed = 1;
	double t0, t;

	if (argc != 5) {
		fprintf(stderr, "usage: diskbench seqread|seqwrite|randread PATH MIB SECONDS\n");
		return 2;
	}
	mode = argv[1];
	path = argv[2];
	mib = atol(argv[3]);
	secs = atol(argv[4]);
	write_mode = !strcmp(mode, "seqwrite");
	bs = !strcmp(mode, "randread") ? 4096 : 1 << 20;
	if (mib < 1 || secs < 1 || (!write_mode && strcmp(mode, "seqread") &&
				    strcmp(mode, "randread")))
		return 2;
	span = (unsigned long long)mib << 20;
	fd = open(path, (write_mode ? O_WRONLY : O_RDONLY) | O_DIRECT);
	if (fd < 0)
		fd = open(path, write_mode ? O_WRONLY : O_RDONLY);
	if (fd < 0 || posix_memalign(&buf, 4096, bs)) {
		fprintf(stderr, "diskbench: %s: %s\n", path, strerror(errno));
		return 1;
	}
	memset(buf, 0x5a, bs);
	t0 = now();
	do {
		unsigned long long off;
		ssize_t n;

		if (bs == 4096) {
			off = ((unsigned long long)rand_r(&seed) << 12) % span;
		} else {
			off = pos;
			pos = (pos + bs) % span;
		}
		n = write_mode ? pwrite(fd, buf, bs, (off_t)off) : pread(fd, buf, bs, (off_t)off);
		if (n != (ssize_t)bs) {
			fprintf(stderr, "diskbench: %s at %llu: %s\n", mode, off,
				n < 0 ? strerror(errno) : "short");
			return 1;
		}
		bytes += bs;
		ops++;
		t = now() - t0;
	} while (t < secs);
	if (write_mode && fdatasync(fd))
		return 1;
	t = now() - t0;
	printf("diskbench %s %.1f %.0f\n", mode, bytes / t / 1e6, ops / t);
	return 0;
}
