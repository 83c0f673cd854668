// SPDX-License-Identifier: GPL-2.0
/* hvd: fd watches for the backends (loop.h). */
#include <errno.h>
#include <stdint.h>

#include "loop.h"

struct watch {
	int fd;
	short events;
	loop_fn fn;
	void *opaque;
	uint64_t id;		/* tells a replaced watch of the same fd apart */
};

static struct watch watches[LOOP_MAX];
static size_t nwatches;
static uint64_t next_id = 1;
/* The watch ids loop_fill() handed out, parallel to its pollfds. */
static uint64_t filled[LOOP_MAX];

static struct watch *find(int fd)
{
	size_t i;

	for (i = 0; i < nwatches; i++)
		if (watches[i].fd == fd)
			return &watches[i];
	return NULL;
}

int loop_add(int fd, short events, loop_fn fn, void *opaque)
{
	if (fd < 0)
		return -EBADF;
	if (find(fd))
		return -EEXIST;
	if (nwatches == LOOP_MAX)
		return -ENOSPC;
	watches[nwatches++] = (struct watch){ fd, events, fn, opaque, next_id++ };
	return 0;
}

void loop_set_events(int fd, short events)
{
	struct watch *w = find(fd);

	if (w)
		w->events = events;
}

void loop_del(int fd)
{
	struct watch *w = find(fd);

	if (w)
		*w = watches[--nwatches];
}

size_t loop_count(void)
{
	return nwatches;
}

size_t loop_fill(struct pollfd *pfd, size_t max)
{
	size_t i, n = nwatches < max ? nwatches : max;

	for (i = 0; i < n; i++) {
		pfd[i] = (struct pollfd){ .fd = watches[i].fd,
					  .events = watches[i].events };
		filled[i] = watches[i].id;
	}
	return n;
}

void loop_dispatch(const struct pollfd *pfd, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < LOOP_MAX; i++) {
		struct watch *w;

		if (!pfd[i].revents)
			continue;
		w = find(pfd[i].fd);
		if (w && w->id == filled[i])
			w->fn(w->opaque, w->fd, pfd[i].revents);
	}
}

int loop_run_once(int timeout_ms)
{
	static struct pollfd pfd[LOOP_MAX];
	size_t n = loop_fill(pfd, LOOP_MAX);
	int r = poll(pfd, n, timeout_ms);

	if (r < 0)
		return errno == EINTR ? 0 : -errno;
	loop_dispatch(pfd, n);
	return r;
}
