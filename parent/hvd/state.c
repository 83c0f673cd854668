// SPDX-License-Identifier: GPL-2.0
/*
 * hvd state directory: atomic per-domain files (see state.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain.h"
#include "state.h"

#define STATE_PATH_MAX 4096

int state_dir_prepare(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	if (stat(dir, &st) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

bool state_name_ok(const char *name)
{
	size_t n = strnlen(name, DOMAIN_NAME_MAX + 1);

	return n > 0 && n <= DOMAIN_NAME_MAX && name[0] != '.' &&
	       !strchr(name, '/');
}

static int state_path(char *buf, const char *dir, const char *pre,
		      const char *name, const char *suf)
{
	int n = snprintf(buf, STATE_PATH_MAX, "%s/%s%s%s", dir, pre, name, suf);

	return n < 0 || n >= STATE_PATH_MAX ? -ENAMETOOLONG : 0;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int state_save(const char *dir, const char *name, const char *xml, size_t len)
{
	char tmp[STATE_PATH_MAX], dst[STATE_PATH_MAX];
	int fd, ret;

	if (!state_name_ok(name))
		return -EINVAL;
	if (state_path(tmp, dir, ".", name, ".xml.tmp") ||
	    state_path(dst, dir, "", name, ".xml"))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	ret = write_all(fd, xml, len);
	/*
	 * fdatasync: the data and the size needed to read it back are on
	 * disk before the rename; timestamps are not part of the contract.
	 * The name is made durable by the directory fsync below.
	 */
	if (!ret && fdatasync(fd) < 0)
		ret = -errno;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (!ret && rename(tmp, dst) < 0)
		ret = -errno;
	if (ret) {
		unlink(tmp);
		return ret;
	}
	return fsync_dir(dir);
}

static int unlink_if_present(const char *path)
{
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

int state_remove(const char *dir, const char *name)
{
	char path[STATE_PATH_MAX];
	int ret;

	if (!state_name_ok(name))
		return -EINVAL;
	/* The marker goes first: a crash in between leaves a plain domain. */
	if (state_path(path, dir, "", name, ".autostart"))
		return -ENAMETOOLONG;
	ret = unlink_if_present(path);
	if (ret)
		return ret;
	if (state_path(path, dir, "", name, ".xml"))
		return -ENAMETOOLONG;
	ret = unlink_if_present(path);
	if (ret)
		return ret;
	return fsync_dir(dir);
}

int state_set_autostart(const char *dir, const char *name, bool on)
{
	char path[STATE_PATH_MAX];
	int fd, ret;

	if (!state_name_ok(name))
		return -EINVAL;
	if (state_path(path, dir, "", name, ".autostart"))
		return -ENAMETOOLONG;
	if (on) {
		fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0)
			return -errno;
		ret = fsync(fd) < 0 ? -errno : 0;
		close(fd);
	} else {
		ret = unlink_if_present(path);
	}
	return ret ? ret : fsync_dir(dir);
}

bool state_get_autostart(const char *dir, const char *name)
{
	char path[STATE_PATH_MAX];

	if (!state_name_ok(name) ||
	    state_path(path, dir, "", name, ".autostart"))
		return false;
	return access(path, F_OK) == 0;
}

/* Read at most DOMAIN_XML_MAX bytes of @path into a NUL-terminated buffer. */
static int read_file(int dirfd, const char *file, char **out, size_t *len)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	int fd, ret = 0;

	fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	if (st.st_size > DOMAIN_XML_MAX) {
		close(fd);
		return -E2BIG;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			break;
		}
		got += (size_t)n;
	}
	close(fd);
	if (ret) {
		free(buf);
		return ret;
	}
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
}

static void reportf(void (*report)(const char *), const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void reportf(void (*report)(const char *), const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!report)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	report(msg);
}

static int load_one(const char *dir, int dirfd, const char *file,
		    state_load_cb cb, void *opaque,
		    void (*report)(const char *))
{
	char name[DOMAIN_NAME_MAX + 1], msg[512] = "";
	size_t flen = strlen(file), len = 0;
	char *xml = NULL;
	int ret;

	if (flen - 4 > DOMAIN_NAME_MAX) {
		reportf(report, "state: ignoring %s/%s: name too long", dir, file);
		return 0;
	}
	memcpy(name, file, flen - 4);
	name[flen - 4] = '\0';
	ret = read_file(dirfd, file, &xml, &len);
	if (ret) {
		reportf(report, "state: ignoring %s/%s: %s", dir, file,
			strerror(-ret));
		return 0;
	}
	ret = cb(opaque, name, xml, len, msg, sizeof(msg));
	free(xml);
	if (ret) {
		reportf(report, "state: ignoring %s/%s: %s", dir, file,
			msg[0] ? msg : strerror(-ret));
		return 0;
	}
	return 1;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int state_load(const char *dir, state_load_cb cb, void *opaque,
	       void (*report)(const char *msg))
{
	char **files = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	int dfd, loaded = 0;
	DIR *dp;

	dp = opendir(dir);
	if (!dp)
		return -errno;
	dfd = dirfd(dp);
	while ((de = readdir(dp))) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.') {
			/* A crash between write and rename leaves a temp file. */
			if (len > 8 && !strcmp(de->d_name + len - 8, ".xml.tmp"))
				unlinkat(dfd, de->d_name, 0);
			continue;
		}
		if (len <= 4 || strcmp(de->d_name + len - 4, ".xml"))
			continue;
		if (n == cap) {
			char **nf = realloc(files, (cap ? cap * 2 : 16) * sizeof(*nf));

			if (!nf)
				break;
			files = nf;
			cap = cap ? cap * 2 : 16;
		}
		files[n] = strdup(de->d_name);
		if (files[n])
			n++;
	}
	if (n)
		qsort(files, n, sizeof(*files), cmp_names);
	for (i = 0; i < n; i++) {
		loaded += load_one(dir, dfd, files[i], cb, opaque, report);
		free(files[i]);
	}
	free(files);
	closedir(dp);
	return loaded;
}
