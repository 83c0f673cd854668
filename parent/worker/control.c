// SPDX-License-Identifier: GPL-2.0
/* hvworker: the control channel hvd talks to (control.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "control.h"

static const char *const cmd_names[CONTROL_NR_CMDS] = {
	[CONTROL_SHUTDOWN] = "shutdown",
	[CONTROL_REBOOT] = "reboot",
	[CONTROL_STATS] = "stats",
	[CONTROL_TIMESYNC] = "timesync",
	[CONTROL_BLKSTATS] = "blkstats",
	[CONTROL_IFSTATS] = "ifstats",
};

/* Commands followed by " N" (an index); the others take nothing. */
static const bool cmd_takes_index[CONTROL_NR_CMDS] = {
	[CONTROL_BLKSTATS] = true,
	[CONTROL_IFSTATS] = true,
};

/* Why a command has no hook yet, in words hvd passes on to the admin. */
static const char *const cmd_missing[CONTROL_NR_CMDS] = {
	[CONTROL_SHUTDOWN] = "graceful shutdown needs the guest's VMBus shutdown service",
	[CONTROL_REBOOT] = "graceful reboot needs the guest's VMBus shutdown service",
	[CONTROL_STATS] = "this worker has no statistics",
	[CONTROL_TIMESYNC] = "setting the guest's clock needs its VMBus time synchronization service",
	[CONTROL_BLKSTATS] = "disk statistics need the VM's VMBus storage controller",
	[CONTROL_IFSTATS] = "interface statistics need the VM's VMBus network adapters",
};

int control_parse_index(const char *arg, uint32_t *n)
{
	uint64_t v = 0;

	if (!arg || !*arg)
		return -EINVAL;
	for (const char *p = arg; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX)
			return -EINVAL;
	}
	*n = (uint32_t)v;
	return 0;
}

/*
 * The command @line names: its whole text, or for a command with an index
 * its name and a space (@arg: what follows, maybe not a number).
 */
static int find_cmd(const char *line, const char **arg)
{
	for (int cmd = 0; cmd < CONTROL_NR_CMDS; cmd++) {
		size_t n = strlen(cmd_names[cmd]);

		*arg = NULL;
		if (!strcmp(line, cmd_names[cmd]) && !cmd_takes_index[cmd])
			return cmd;
		if (!cmd_takes_index[cmd] || strncmp(line, cmd_names[cmd], n))
			continue;
		if (line[n] == '\0' || line[n] == ' ') {
			*arg = line[n] ? line + n + 1 : "";
			return cmd;
		}
	}
	return CONTROL_NR_CMDS;
}

void control_init(struct control *c, int fd)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	pthread_mutex_init(&c->lock, NULL);
}

void control_set_hook(struct control *c, enum control_cmd cmd,
		      control_hook fn, void *ctx)
{
	if ((unsigned int)cmd >= CONTROL_NR_CMDS)
		return;
	pthread_mutex_lock(&c->lock);
	c->hooks[cmd].fn = fn;
	c->hooks[cmd].ctx = ctx;
	pthread_mutex_unlock(&c->lock);
}

void control_handle(struct control *c, const char *line, char *reply,
		    size_t len)
{
	const char *arg;
	control_hook fn;
	uint32_t index;
	void *ctx;
	int cmd, ret;

	cmd = find_cmd(line, &arg);
	if (cmd == CONTROL_NR_CMDS) {
		/* Printable and short: the command is hvd's, but still input. */
		char shown[33];
		size_t i;

		for (i = 0; i < sizeof(shown) - 1 && line[i]; i++)
			shown[i] = line[i] >= 0x20 && line[i] < 0x7f ? line[i] : '?';
		shown[i] = '\0';
		snprintf(reply, len, "error unknown command '%s'", shown);
		return;
	}
	if (cmd_takes_index[cmd] && control_parse_index(arg, &index)) {
		snprintf(reply, len, "error bad argument");
		return;
	}
	pthread_mutex_lock(&c->lock);
	fn = c->hooks[cmd].fn;
	ctx = c->hooks[cmd].ctx;
	pthread_mutex_unlock(&c->lock);
	if (!fn) {
		snprintf(reply, len, "unsupported %s", cmd_missing[cmd]);
		return;
	}
	reply[0] = '\0';
	ret = fn(ctx, arg, reply, len);
	if (ret && !reply[0])
		snprintf(reply, len, "error %s", strerror(-ret));
	/* One line per answer, whatever the hook wrote. */
	reply[strcspn(reply, "\r\n")] = '\0';
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int answer(struct control *c, const char *line)
{
	char reply[CONTROL_LINE_MAX + 64];
	int old, ret;
	size_t n;

	/* control_stop() cancels us between commands, not inside a hook. */
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	control_handle(c, line, reply, sizeof(reply) - 1);
	n = strlen(reply);
	reply[n++] = '\n';
	ret = write_all(c->fd, reply, n);
	pthread_setcancelstate(old, NULL);
	return ret;
}

int control_serve(struct control *c)
{
	char buf[CONTROL_LINE_MAX + 1];
	size_t have = 0;
	bool skipping = false;	/* inside an over-long line */

	for (;;) {
		ssize_t n = read(c->fd, buf + have, sizeof(buf) - 1 - have);
		char *nl;
		int ret;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : 0;
		have += (size_t)n;
		while ((nl = memchr(buf, '\n', have))) {
			size_t used = (size_t)(nl - buf) + 1;

			*nl = '\0';
			if (nl > buf && nl[-1] == '\r')
				nl[-1] = '\0';
			ret = skipping ? 0 : answer(c, buf);
			skipping = false;
			if (ret)
				return ret;
			memmove(buf, buf + used, have - used);
			have -= used;
		}
		if (have == sizeof(buf) - 1) {
			/* No newline in CONTROL_LINE_MAX bytes: refuse once. */
			if (!skipping) {
				ret = write_all(c->fd, "error line too long\n", 20);
				if (ret)
					return ret;
			}
			skipping = true;
			have = 0;
		}
	}
}

static void *control_main(void *arg)
{
	control_serve(arg);
	return NULL;
}

int control_start(struct control *c)
{
	int ret;

	if (c->fd < 0)
		return 0;
	ret = pthread_create(&c->thread, NULL, control_main, c);
	if (ret)
		return -ret;
	c->running = true;
	return 0;
}

void control_stop(struct control *c)
{
	if (c->running) {
		pthread_cancel(c->thread);
		pthread_join(c->thread, NULL);
		c->running = false;
	}
	pthread_mutex_destroy(&c->lock);
}

int control_stats_hook(void *ctx, const char *arg, char *reply, size_t len)
{
	struct control_stats *cs = ctx;
	struct vm_stats st;
	int ret = vm_read_stats(cs->vm, cs->nr_vps, &st);

	(void)arg;
	if (ret) {
		snprintf(reply, len, "error cannot read HvRegisterVpRuntime: %s",
			 strerror(-ret));
		return ret;
	}
	snprintf(reply, len, "stats cpu_time_ns=%llu vcpus=%u exits=%llu",
		 (unsigned long long)st.runtime_ns, cs->nr_vps,
		 (unsigned long long)st.exits);
	return 0;
}
