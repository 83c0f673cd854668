// SPDX-License-Identifier: GPL-2.0
/*
 * mkhv.cfg parser.  Freestanding: the loader links it under GNU-EFI and the
 * unit tests link it on the host, so it uses no libc at all.
 */
#include "cfg.h"

#define EINVAL 22
#define E2BIG  7

struct span {
	const char *p;
	size_t n;
};

static const char *const level_names[] = {
	[CFG_LOG_ERROR] = "error",
	[CFG_LOG_WARN] = "warn",
	[CFG_LOG_INFO] = "info",
	[CFG_LOG_DEBUG] = "debug",
};

static const char *const serial_names[] = {
	[CFG_SERIAL_NONE] = "none",
	[CFG_SERIAL_COM1] = "com1",
	[CFG_SERIAL_COM2] = "com2",
};

static const char *const fatal_names[] = {
	[CFG_FATAL_HALT] = "halt",
	[CFG_FATAL_RESET] = "reset",
};

static const char *const onoff_names[] = { "off", "on" };

#define NNAMES(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_of(const char *const *names, unsigned int n,
			   unsigned int v)
{
	return v < n ? names[v] : "?";
}

const char *cfg_log_level_name(enum cfg_log_level level)
{
	return name_of(level_names, NNAMES(level_names), level);
}

const char *cfg_serial_name(enum cfg_serial port)
{
	return name_of(serial_names, NNAMES(serial_names), port);
}

const char *cfg_fatal_name(enum cfg_fatal what)
{
	return name_of(fatal_names, NNAMES(fatal_names), what);
}

void cfg_defaults(struct mkhv_cfg *cfg)
{
	cfg->cmdline[0] = '\0';
	cfg->parent_memory = 0;
	cfg->log_level = CFG_LOG_INFO;
	cfg->hypervisor = 1;
	cfg->hv_serial = CFG_SERIAL_COM2;
	cfg->on_fatal = CFG_FATAL_HALT;
}

/* --- tiny string helpers (no libc) --- */

static int span_eq(struct span s, const char *lit)
{
	size_t i;

	for (i = 0; i < s.n; i++)
		if (lit[i] == '\0' || lit[i] != s.p[i])
			return 0;
	return lit[i] == '\0';
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int is_key(struct span s)
{
	size_t i;

	for (i = 0; i < s.n; i++) {
		char c = s.p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return 0;
	}
	return s.n > 0;
}

static struct span trim(struct span s)
{
	while (s.n && is_blank(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_blank(s.p[s.n - 1]))
		s.n--;
	return s;
}

/* Appends to a bounded message buffer, always NUL-terminated. */
struct msgbuf {
	char *buf;
	size_t len;
};

static void msg_str(struct msgbuf *m, const char *s)
{
	while (*s && m->len + 1 < CFG_MSG_MAX)
		m->buf[m->len++] = *s++;
	m->buf[m->len] = '\0';
}

/* Quotes a value from the file, shortened so the message stays one line. */
static void msg_span(struct msgbuf *m, struct span s)
{
	size_t i, max = 40;

	msg_str(m, "'");
	for (i = 0; i < s.n && i < max && m->len + 1 < CFG_MSG_MAX; i++) {
		char c = s.p[i];

		m->buf[m->len++] = (c >= 0x20 && c < 0x7f) ? c : '?';
	}
	m->buf[m->len] = '\0';
	msg_str(m, s.n > max ? "...'" : "'");
}

static int fail(struct cfg_error *err, unsigned int line, const char *a,
		const struct span *val, const char *b)
{
	struct msgbuf m = { err->msg, 0 };

	err->line = line;
	err->msg[0] = '\0';
	msg_str(&m, a);
	if (val)
		msg_span(&m, *val);
	if (b)
		msg_str(&m, b);
	return -EINVAL;
}

/* --- values --- */

/*
 * Sizes: decimal digits, then an optional binary suffix K, M, G or T
 * (optionally followed by "iB" or "B"), case-insensitive.  No suffix means
 * bytes.  Overflow is an error, not a wrap.
 */
static int parse_size(struct span s, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
	unsigned int shift = 0;

	if (s.n == 0 || s.p[0] < '0' || s.p[0] > '9')
		return -EINVAL;
	for (; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++) {
		uint64_t d = (uint64_t)(s.p[i] - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	if (i < s.n) {
		struct span suf = { s.p + i + 1, s.n - i - 1 };

		switch (s.p[i] | 0x20) {
		case 'k': shift = 10; break;
		case 'm': shift = 20; break;
		case 'g': shift = 30; break;
		case 't': shift = 40; break;
		default: return -EINVAL;
		}
		if (!(suf.n == 0 || span_eq(suf, "iB") || span_eq(suf, "B") ||
		      span_eq(suf, "ib") || span_eq(suf, "b")))
			return -EINVAL;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return -EINVAL;
	*out = v << shift;
	return 0;
}

static int set_cmdline(struct mkhv_cfg *cfg, struct span v,
		       struct cfg_error *err, unsigned int line)
{
	size_t i;

	if (v.n >= CFG_CMDLINE_MAX)
		return fail(err, line, "cmdline is longer than 2047 bytes", 0, 0);
	for (i = 0; i < v.n; i++)
		cfg->cmdline[i] = v.p[i];
	cfg->cmdline[v.n] = '\0';
	return 0;
}

static int set_parent_memory(struct mkhv_cfg *cfg, struct span v,
			     struct cfg_error *err, unsigned int line)
{
	uint64_t bytes;

	if (parse_size(v, &bytes))
		return fail(err, line, "bad value ", &v,
			    " for parent_memory (expected a size such as 512M or 2G)");
	if (bytes < CFG_MEM_MIN || bytes > CFG_MEM_MAX)
		return fail(err, line, "parent_memory ", &v,
			    " is out of range (128M to 4T)");
	if (bytes & ((1u << 20) - 1))
		return fail(err, line, "parent_memory ", &v,
			    " is not a whole number of MiB");
	cfg->parent_memory = bytes;
	return 0;
}

/*
 * Keyword values: @v must be one of @names (index = value).  @expect is
 * the human list for the error message.
 */
static int set_keyword(struct span v, const char *const *names,
		       unsigned int n, unsigned int *out, const char *key,
		       const char *expect, struct cfg_error *err,
		       unsigned int line)
{
	struct msgbuf m = { err->msg, 0 };
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (span_eq(v, names[i])) {
			*out = i;
			return 0;
		}
	}
	err->line = line;
	msg_str(&m, "bad value ");
	msg_span(&m, v);
	msg_str(&m, " for ");
	msg_str(&m, key);
	msg_str(&m, " (expected ");
	msg_str(&m, expect);
	msg_str(&m, ")");
	return -EINVAL;
}

static int set_log_level(struct mkhv_cfg *cfg, struct span v,
			 struct cfg_error *err, unsigned int line)
{
	unsigned int x;
	int ret = set_keyword(v, level_names, NNAMES(level_names), &x,
			      "log_level", "error, warn, info or debug", err,
			      line);

	if (!ret)
		cfg->log_level = (enum cfg_log_level)x;
	return ret;
}

static int set_hypervisor(struct mkhv_cfg *cfg, struct span v,
			  struct cfg_error *err, unsigned int line)
{
	unsigned int x;
	int ret = set_keyword(v, onoff_names, NNAMES(onoff_names), &x,
			      "hypervisor", "on or off", err, line);

	if (!ret)
		cfg->hypervisor = (int)x;
	return ret;
}

static int set_hv_serial(struct mkhv_cfg *cfg, struct span v,
			 struct cfg_error *err, unsigned int line)
{
	unsigned int x;
	int ret = set_keyword(v, serial_names, NNAMES(serial_names), &x,
			      "hv_serial", "com1, com2 or none", err, line);

	if (!ret)
		cfg->hv_serial = (enum cfg_serial)x;
	return ret;
}

static int set_on_fatal(struct mkhv_cfg *cfg, struct span v,
			struct cfg_error *err, unsigned int line)
{
	unsigned int x;
	int ret = set_keyword(v, fatal_names, NNAMES(fatal_names), &x,
			      "on_fatal", "halt or reset", err, line);

	if (!ret)
		cfg->on_fatal = (enum cfg_fatal)x;
	return ret;
}

typedef int (*setter_fn)(struct mkhv_cfg *, struct span, struct cfg_error *,
			 unsigned int);

static const struct {
	const char *key;
	setter_fn set;
} keys[] = {
	{ "cmdline", set_cmdline },
	{ "parent_memory", set_parent_memory },
	{ "log_level", set_log_level },
	{ "hypervisor", set_hypervisor },
	{ "hv_serial", set_hv_serial },
	{ "on_fatal", set_on_fatal },
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static int parse_line(struct mkhv_cfg *cfg, struct span l, unsigned int line,
		      unsigned int *seen, struct cfg_error *err)
{
	struct span key, val;
	size_t i, eq;

	for (i = 0; i < l.n; i++) {
		unsigned char c = (unsigned char)l.p[i];

		if (c == '\t')
			continue;
		if (c < 0x20 || c >= 0x7f)
			return fail(err, line,
				    "non-ASCII or control character in line", 0, 0);
	}
	l = trim(l);
	if (l.n == 0 || l.p[0] == '#')
		return 0;
	for (eq = 0; eq < l.n && l.p[eq] != '='; eq++)
		;
	key = trim((struct span){ l.p, eq });
	if (eq == l.n || !is_key(key))
		return fail(err, line, "expected 'key = value', got ", &l, 0);
	val = trim((struct span){ l.p + eq + 1, l.n - eq - 1 });
	for (i = 0; i < NKEYS; i++) {
		if (!span_eq(key, keys[i].key))
			continue;
		if (*seen & (1u << i))
			return fail(err, line, "duplicate key ", &key, 0);
		*seen |= 1u << i;
		return keys[i].set(cfg, val, err, line);
	}
	return fail(err, line, "unknown key ", &key,
		    " (known keys: cmdline, parent_memory, log_level, "
		    "hypervisor, hv_serial, on_fatal)");
}

int cfg_parse(const char *buf, size_t len, struct mkhv_cfg *cfg,
	      struct cfg_error *err)
{
	unsigned int line = 0, seen = 0;
	size_t pos = 0;
	int ret;

	cfg_defaults(cfg);
	err->line = 0;
	err->msg[0] = '\0';
	if (len > CFG_FILE_MAX) {
		fail(err, 0, "file is larger than 64 KiB", 0, 0);
		return -E2BIG;
	}
	while (pos < len) {
		size_t end = pos;
		struct span l;

		while (end < len && buf[end] != '\n')
			end++;
		line++;
		l = (struct span){ buf + pos, end - pos };
		if (l.n && l.p[l.n - 1] == '\r')
			l.n--;
		if (l.n > CFG_LINE_MAX)
			ret = fail(err, line, "line is longer than 4096 bytes",
				   0, 0);
		else
			ret = parse_line(cfg, l, line, &seen, err);
		if (ret) {
			cfg_defaults(cfg);
			return ret;
		}
		pos = end + 1;
	}
	return 0;
}
