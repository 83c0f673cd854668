/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvd's event loop watches beyond the RPC sockets: the backends' fds
 * (workers' status pipes and pidfds, console ptys).  hvd.c polls them
 * together with its listeners and clients; the unit tests drive them with
 * loop_run_once().  Single-threaded, like the rest of hvd.
 */
#ifndef MKHV_HVD_LOOP_H
#define MKHV_HVD_LOOP_H

#include <poll.h>
#include <stddef.h>

#define LOOP_MAX 4096

typedef void (*loop_fn)(void *opaque, int fd, short revents);

/* loop_add() - watch @fd for @events; 0, -EEXIST or -ENOSPC. */
int loop_add(int fd, short events, loop_fn fn, void *opaque);
/* loop_set_events() - change what @fd is watched for. */
void loop_set_events(int fd, short events);
/* loop_del() - stop watching @fd (safe from inside a callback). */
void loop_del(int fd);
size_t loop_count(void);

/*
 * loop_fill() - one pollfd per watch into @pfd (at most @max); returns how
 * many.  loop_dispatch() then calls the callbacks of those with revents,
 * skipping watches deleted (or replaced) since loop_fill().
 */
size_t loop_fill(struct pollfd *pfd, size_t max);
void loop_dispatch(const struct pollfd *pfd, size_t n);

/* loop_run_once() - poll the watches alone for up to @timeout_ms and
 * dispatch; returns the number of fds that had events, or -errno. */
int loop_run_once(int timeout_ms);

#endif /* MKHV_HVD_LOOP_H */
