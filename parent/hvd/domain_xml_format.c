// SPDX-License-Identifier: GPL-2.0
/*
 * The canonical XML of a struct domain_def: libvirt's element order and
 * two-space indentation, memory in KiB, every default written out, so
 * that domain_xml_parse(domain_xml_format(d)) gives d back and a second
 * format gives the same bytes (`virsh define` of a dump changes nothing).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"

struct sbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void sb_grow(struct sbuf *b, size_t add)
{
	size_t cap = b->cap ? b->cap : 1024;
	char *ns;

	if (b->oom)
		return;
	while (cap - b->len <= add)
		cap *= 2;
	if (cap == b->cap)
		return;
	ns = realloc(b->s, cap);
	if (!ns) {
		b->oom = true;
		return;
	}
	b->s = ns;
	b->cap = cap;
}

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	sb_grow(b, n);
	if (b->oom)
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* Append a string literal. */
#define sb_lit(b, lit) sb_add((b), (lit), sizeof(lit) - 1)

static void sb_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	/* Only numbers and fixed words come through here: they fit. */
	if (n > 0)
		sb_add(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/*
 * Append @s escaped for text or an attribute value.  Whitespace other
 * than a text newline becomes a character reference, because the parser
 * would normalise it (CR in text, TAB/LF/CR in attributes).  Other C0
 * controls cannot occur in XML 1.0 and cannot come from a parsed
 * document; they are dropped.
 */
static void sb_esc(struct sbuf *b, const char *s, bool attr)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		switch (ch) {
		case '<': sb_lit(b, "&lt;"); break;
		case '>': sb_lit(b, "&gt;"); break;
		case '&': sb_lit(b, "&amp;"); break;
		case '\'': sb_lit(b, "&apos;"); break;
		case '"': sb_lit(b, "&quot;"); break;
		case '\r': sb_lit(b, "&#13;"); break;
		case '\t':
			if (attr)
				sb_lit(b, "&#9;");
			else
				sb_add(b, s, 1);
			break;
		case '\n':
			if (attr)
				sb_lit(b, "&#10;");
			else
				sb_add(b, s, 1);
			break;
		default:
			if (ch >= 0x20)
				sb_add(b, s, 1);
			break;
		}
	}
}

/* <tag>text</tag> at @indent spaces, when @text is set. */
static void sb_elem(struct sbuf *b, int indent, const char *tag,
		    const char *text)
{
	if (!text)
		return;
	sb_printf(b, "%*s<%s>", indent, "", tag);
	sb_esc(b, text, false);
	sb_printf(b, "</%s>\n", tag);
}

/* <tag attr='value'/> at @indent spaces. */
static void sb_empty(struct sbuf *b, int indent, const char *tag,
		     const char *attr, const char *value)
{
	sb_printf(b, "%*s<%s %s='", indent, "", tag, attr);
	sb_esc(b, value, true);
	sb_lit(b, "'/>\n");
}

static const char *lc_name(enum domain_lifecycle lc)
{
	switch (lc) {
	case DOMAIN_LC_RESTART: return "restart";
	case DOMAIN_LC_PRESERVE: return "preserve";
	case DOMAIN_LC_RENAME_RESTART: return "rename-restart";
	case DOMAIN_LC_DESTROY:
	default: return "destroy";
	}
}

static void fmt_header(struct sbuf *b, const struct domain_def *d)
{
	const uint8_t *u = d->uuid;

	sb_lit(b, "<domain type='hyperv'>\n");
	sb_elem(b, 2, "name", d->name);
	if (d->uuid_set)
		sb_printf(b, "  <uuid>%02x%02x%02x%02x-%02x%02x-%02x%02x-"
			  "%02x%02x-%02x%02x%02x%02x%02x%02x</uuid>\n",
			  u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8],
			  u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
	sb_elem(b, 2, "title", d->title);
	sb_elem(b, 2, "description", d->description);
	sb_printf(b, "  <memory unit='KiB'>%llu</memory>\n",
		  (unsigned long long)d->memory_kib);
	sb_printf(b, "  <currentMemory unit='KiB'>%llu</currentMemory>\n",
		  (unsigned long long)(d->cur_memory_kib ? d->cur_memory_kib :
				       d->memory_kib));
	sb_printf(b, "  <vcpu placement='static'>%u</vcpu>\n", d->vcpus);
	if (d->shares || d->period_us || d->quota_us) {
		sb_lit(b, "  <cputune>\n");
		if (d->shares)
			sb_printf(b, "    <shares>%llu</shares>\n",
				  (unsigned long long)d->shares);
		if (d->period_us)
			sb_printf(b, "    <period>%llu</period>\n",
				  (unsigned long long)d->period_us);
		if (d->quota_us)
			sb_printf(b, "    <quota>%lld</quota>\n",
				  (long long)d->quota_us);
		sb_lit(b, "  </cputune>\n");
	}
	sb_lit(b, "  <os>\n    <type arch='x86_64'>hvm</type>\n");
	sb_elem(b, 4, "kernel", d->kernel);
	sb_elem(b, 4, "initrd", d->initrd);
	sb_elem(b, 4, "cmdline", d->cmdline);
	sb_lit(b, "  </os>\n");
	sb_printf(b, "  <on_poweroff>%s</on_poweroff>\n", lc_name(d->on_poweroff));
	sb_printf(b, "  <on_reboot>%s</on_reboot>\n", lc_name(d->on_reboot));
	sb_printf(b, "  <on_crash>%s</on_crash>\n", lc_name(d->on_crash));
}

static void fmt_disk(struct sbuf *b, const struct domain_disk *k)
{
	bool block = k->type == DOMAIN_DISK_BLOCK;
	const char *cache = domain_disk_cache_given(k->cache);

	sb_printf(b, "    <disk type='%s' device='disk'>\n",
		  block ? "block" : "file");
	sb_printf(b, "      <driver name='qemu' type='%s'",
		  k->format == DOMAIN_DISK_QCOW2 ? "qcow2" : "raw");
	/* As libvirt: the default mode is not written out. */
	if (cache)
		sb_printf(b, " cache='%s'", cache);
	sb_lit(b, "/>\n");
	if (k->source)
		sb_empty(b, 6, "source", block ? "dev" : "file", k->source);
	if (k->target) {
		sb_printf(b, "      <target dev='");
		sb_esc(b, k->target, true);
		sb_lit(b, "' bus='scsi'/>\n");
	}
	if (k->readonly)
		sb_lit(b, "      <readonly/>\n");
	sb_lit(b, "    </disk>\n");
}

static void fmt_net(struct sbuf *b, const struct domain_net *n)
{
	bool br = n->type == DOMAIN_NET_BRIDGE;
	const uint8_t *m = n->mac;

	sb_printf(b, "    <interface type='%s'>\n", br ? "bridge" : "network");
	if (n->mac_set)
		sb_printf(b, "      <mac address='%02x:%02x:%02x:%02x:%02x:%02x'/>\n",
			  m[0], m[1], m[2], m[3], m[4], m[5]);
	if (n->source)
		sb_empty(b, 6, "source", br ? "bridge" : "network", n->source);
	sb_lit(b, "      <model type='netvsc'/>\n");
	sb_lit(b, "    </interface>\n");
}

char *domain_xml_format(const struct domain_def *def)
{
	struct sbuf b = { 0 };
	size_t i;

	fmt_header(&b, def);
	sb_lit(&b, "  <devices>\n");
	for (i = 0; i < def->ndisks; i++)
		fmt_disk(&b, &def->disks[i]);
	for (i = 0; i < def->nnets; i++)
		fmt_net(&b, &def->nets[i]);
	if (def->serial_file) {
		sb_lit(&b, "    <serial type='file'>\n");
		sb_empty(&b, 6, "source", "path", def->serial_file);
		sb_lit(&b, "      <target port='0'/>\n    </serial>\n");
	} else if (def->serial) {
		sb_lit(&b, "    <serial type='pty'>\n      <target port='0'/>\n"
		       "    </serial>\n");
	}
	if (def->console)
		sb_lit(&b, "    <console type='pty'>\n"
		       "      <target type='serial' port='0'/>\n"
		       "    </console>\n");
	sb_lit(&b, "  </devices>\n</domain>\n");
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

void domain_def_clear(struct domain_def *def)
{
	size_t i;

	if (!def)
		return;
	free(def->title);
	free(def->description);
	free(def->kernel);
	free(def->initrd);
	free(def->cmdline);
	free(def->serial_file);
	for (i = 0; i < def->ndisks; i++) {
		free(def->disks[i].source);
		free(def->disks[i].target);
	}
	free(def->disks);
	for (i = 0; i < def->nnets; i++)
		free(def->nets[i].source);
	free(def->nets);
	memset(def, 0, sizeof(*def));
}
