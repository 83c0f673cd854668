// SPDX-License-Identifier: GPL-2.0
/*
 * Domain XML parsing: hardened libxml2 read, libvirt's RelaxNG schema, then
 * mkhv's subset of <domain type='hyperv'> (docs/domain-xml.md).
 *
 * Three verdicts, matching libvirt's test:///default driver (the oracle in
 * tests/unit/test_domain_xml_oracle.c): a document libvirt rejects is
 * -EINVAL with libvirt's message; one libvirt accepts but mkhv cannot run is
 * -ENOTSUP naming the element, attribute or value; the rest is accepted.
 * Nothing is silently dropped: every element and attribute is either
 * stored in struct domain_def or refused by name.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>

#include "domain_xml_priv.h"

/* ---- error helpers (used by the device and format files too) ---- */

int dx_fail(struct dx_ctx *c, int rc, const char *fmt, ...)
{
	va_list ap;
	size_t i;

	if (!c->err || !c->errlen || c->err[0])
		return rc;
	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	/* One line for the admin: document text may hold anything. */
	for (i = 0; c->err[i]; i++)
		if ((unsigned char)c->err[i] < 0x20 || c->err[i] == 0x7f)
			c->err[i] = ' ';
	return rc;
}

const char *dx_qname(const xmlNode *node, char *buf, size_t len)
{
	if (node->ns && node->ns->prefix)
		snprintf(buf, len, "%s:%s", (const char *)node->ns->prefix,
			 (const char *)node->name);
	else
		snprintf(buf, len, "%s", (const char *)node->name);
	return buf;
}

int dx_unsupported(struct dx_ctx *c, const xmlNode *node)
{
	const xmlNode *up = node->parent;
	char n[128], p[128];

	/* Name the parent when the element name alone is ambiguous. */
	if (up && up->type == XML_ELEMENT_NODE && !dx_is(up, "domain") &&
	    !dx_is(up, "devices"))
		return dx_fail(c, -ENOTSUP, DX_UNSUP
			       "element '%s' in '%s' is not supported by mkhv",
			       dx_qname(node, n, sizeof(n)),
			       dx_qname(up, p, sizeof(p)));
	return dx_fail(c, -ENOTSUP,
		       DX_UNSUP "element '%s' is not supported by mkhv",
		       dx_qname(node, n, sizeof(n)));
}

int dx_check_attrs(struct dx_ctx *c, const xmlNode *node,
		   const char *const *allowed)
{
	const xmlAttr *a;
	char an[128], en[128];
	size_t i;

	for (a = node->properties; a; a = a->next) {
		for (i = 0; allowed[i]; i++)
			if (!a->ns && !strcmp((const char *)a->name, allowed[i]))
				break;
		if (allowed[i])
			continue;
		if (a->ns && a->ns->prefix)
			snprintf(an, sizeof(an), "%s:%s",
				 (const char *)a->ns->prefix,
				 (const char *)a->name);
		else
			snprintf(an, sizeof(an), "%s", (const char *)a->name);
		return dx_fail(c, -ENOTSUP, DX_UNSUP
			       "attribute '%s' of element '%s' is not supported by mkhv",
			       an, dx_qname(node, en, sizeof(en)));
	}
	return 0;
}

xmlNode *dx_elem(xmlNode *n)
{
	while (n && n->type != XML_ELEMENT_NODE)
		n = n->next;
	return n;
}

int dx_check_no_children(struct dx_ctx *c, const xmlNode *node)
{
	xmlNode *ch = dx_elem(node->children);

	return ch ? dx_unsupported(c, ch) : 0;
}

int dx_is(const xmlNode *node, const char *name)
{
	return !node->ns && !strcmp((const char *)node->name, name);
}

char *dx_attr(const xmlNode *node, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(node, (const xmlChar *)name);
	char *s;

	if (!v)
		return NULL;
	s = strdup((const char *)v);
	xmlFree(v);
	return s;
}

char *dx_text(const xmlNode *node)
{
	xmlChar *v = xmlNodeGetContent(node);
	char *s;

	s = strdup(v ? (const char *)v : "");
	xmlFree(v);
	return s;
}

int dx_path(struct dx_ctx *c, const xmlNode *node, const char *attr,
	    char **out)
{
	char *p = attr ? dx_attr(node, attr) : dx_text(node);

	*out = NULL;
	if (!p) {
		if (attr && !xmlHasProp(node, (const xmlChar *)attr))
			return 0;
		return dx_fail(c, -ENOMEM, "out of memory");
	}
	if (!p[0]) {
		free(p);
		return 0;
	}
	if (p[0] != '/' || strlen(p) > DX_PATH_MAX) {
		dx_fail(c, -ENOTSUP, DX_UNSUP
			"path '%.64s' in element '%s' is not supported by mkhv (absolute paths of at most %d bytes)",
			p, (const char *)node->name, DX_PATH_MAX);
		free(p);
		return -ENOTSUP;
	}
	*out = p;
	return 0;
}

/* ---- numbers ---- */

/* Strict decimal (the schema already checked the pattern). */
static int dx_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

static int dx_elem_u64(struct dx_ctx *c, const xmlNode *node, uint64_t *out)
{
	char *t = dx_text(node);
	int rc;

	if (!t)
		return dx_fail(c, -ENOMEM, "out of memory");
	rc = dx_u64(t, out);
	if (rc == -ERANGE)
		rc = dx_fail(c, -EINVAL, DX_OVERFLOW "value too large: %.32s", t);
	else if (rc)
		rc = dx_fail(c, -EINVAL, DX_XML "invalid value '%.32s' in element '%s'",
			     t, (const char *)node->name);
	free(t);
	return rc;
}

/*
 * The multiplier for a unit= attribute, as libvirt's virScaleInteger():
 * b/byte/bytes, then k/m/g/t/p/e alone or with "iB" (powers of 1024) or
 * with "B" (powers of 1000), case-insensitive.  0: unknown unit.
 */
static uint64_t dx_unit_scale(const char *u)
{
	static const char order[] = "kmgtpe";
	const char *o;
	uint64_t base, scale = 1;

	if (!u)
		return 1024;
	if (!strcasecmp(u, "b") || !strcasecmp(u, "byte") ||
	    !strcasecmp(u, "bytes"))
		return 1;
	if (!u[0])
		return 0;
	if (!u[1] || !strcasecmp(u + 1, "iB"))
		base = 1024;
	else if (!strcasecmp(u + 1, "B"))
		base = 1000;
	else
		return 0;
	o = strchr(order, u[0] | 0x20);
	if (!o || !*o)
		return 0;
	for (; o >= order; o--)
		scale *= base;
	return scale;
}

/*
 * <memory>/<currentMemory>: libvirt's virDomainParseMemory(), capped at
 * LLONG_MAX bytes, rounded up to KiB.
 */
static int dx_memory(struct dx_ctx *c, const xmlNode *node, uint64_t *kib)
{
	static const char *const attrs[] = { "unit", NULL };
	const uint64_t limit = LLONG_MAX;
	uint64_t v, scale;
	char *unit;
	int rc;

	rc = dx_check_attrs(c, node, attrs);
	if (rc)
		return rc;
	rc = dx_elem_u64(c, node, &v);
	if (rc)
		return rc;
	unit = dx_attr(node, "unit");
	scale = dx_unit_scale(unit);
	if (!scale)
		rc = dx_fail(c, -EINVAL, DX_XML "unknown suffix '%.16s'", unit);
	else if (v && v > limit / scale)
		rc = dx_fail(c, -EINVAL, DX_OVERFLOW "value too large: %llu%.16s",
			     (unsigned long long)v, unit ? unit : "");
	free(unit);
	if (rc)
		return rc;
	v = (v * scale + 1023) / 1024;
	if (v >= (limit + 1023) / 1024)
		return dx_fail(c, -EINVAL, DX_OVERFLOW "size value too large");
	*kib = v;
	return 0;
}

/* ---- domain-level elements ---- */

/*
 * The text of a leaf element that takes no attributes (name, uuid, title,
 * lifecycle actions...) into *@out, malloc'd.
 */
static int dx_leaf_text(struct dx_ctx *c, xmlNode *node, char **out)
{
	static const char *const attrs[] = { NULL };
	int rc = dx_check_attrs(c, node, attrs);

	*out = NULL;
	if (!rc)
		rc = dx_check_no_children(c, node);
	if (rc)
		return rc;
	*out = dx_text(node);
	return *out ? 0 : dx_fail(c, -ENOMEM, "out of memory");
}

static int dx_name(struct dx_ctx *c, xmlNode *node, struct domain_def *def)
{
	char *t;
	size_t i, len;
	int rc = dx_leaf_text(c, node, &t);

	if (rc)
		return rc;
	len = strlen(t);
	if (strchr(t, '/'))
		rc = dx_fail(c, -EINVAL, DX_XML "name %.64s cannot contain '/'", t);
	else if (!len)
		rc = dx_fail(c, -EINVAL, DX_XML "missing domain name");
	else if (len > DOMAIN_NAME_MAX)
		rc = dx_fail(c, -ENOTSUP, DX_UNSUP
			     "domain name longer than %d bytes is not supported by mkhv",
			     DOMAIN_NAME_MAX);
	else if (!strcmp(t, ".") || !strcmp(t, ".."))
		rc = dx_fail(c, -ENOTSUP, DX_UNSUP
			     "domain name '%s' is not supported by mkhv", t);
	for (i = 0; !rc && i < len; i++)
		if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
			rc = dx_fail(c, -ENOTSUP, DX_UNSUP
				     "control characters in the domain name are not supported by mkhv");
	if (!rc)
		memcpy(def->name, t, len + 1);
	free(t);
	return rc;
}

static int dx_hex(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch |= 0x20;
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* Both forms libvirt's schema allows: 32 hex digits, or 8-4-4-4-12. */
static int dx_uuid_parse(const char *s, uint8_t *uuid)
{
	size_t len = strlen(s), i, j = 0;
	int dashed = len == 36;
	int hi, lo;

	if (len != 32 && len != 36)
		return -EINVAL;
	for (i = 0; i < DOMAIN_UUID_LEN; i++) {
		if (dashed && (j == 8 || j == 13 || j == 18 || j == 23)) {
			if (s[j] != '-')
				return -EINVAL;
			j++;
		}
		hi = dx_hex(s[j]);
		lo = dx_hex(s[j + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		uuid[i] = (uint8_t)(hi << 4 | lo);
		j += 2;
	}
	return 0;
}

static int dx_uuid(struct dx_ctx *c, xmlNode *node, struct domain_def *def)
{
	char *t;
	int rc = dx_leaf_text(c, node, &t);

	if (rc)
		return rc;
	if (dx_uuid_parse(t, def->uuid))
		rc = dx_fail(c, -EINVAL, DX_XML "malformed uuid element");
	else
		def->uuid_set = true;
	free(t);
	return rc;
}

static int dx_string(struct dx_ctx *c, xmlNode *node, char **out)
{
	int rc = dx_leaf_text(c, node, out);

	if (rc)
		return rc;
	if (!**out) {	/* empty is "not given", as libvirt */
		free(*out);
		*out = NULL;
	}
	return 0;
}

static int dx_title(struct dx_ctx *c, xmlNode *node, struct domain_def *def)
{
	return dx_string(c, node, &def->title);
}

static int dx_description(struct dx_ctx *c, xmlNode *node,
			  struct domain_def *def)
{
	return dx_string(c, node, &def->description);
}

static int dx_mem(struct dx_ctx *c, xmlNode *node, struct domain_def *def)
{
	return dx_memory(c, node, &def->memory_kib);
}

static int dx_curmem(struct dx_ctx *c, xmlNode *node, struct domain_def *def)
{
	return dx_memory(c, node, &def->cur_memory_kib);
}

static int dx_vcpu(struct dx_ctx *c, xmlNode *node, struct domain_def *def)
{
	static const char *const attrs[] = { "placement", NULL };
	char *pl = dx_attr(node, "placement");
	uint64_t v;
	int rc = dx_check_attrs(c, node, attrs);

	if (!rc && pl && strcmp(pl, "static"))
		rc = dx_fail(c, -ENOTSUP, DX_UNSUP
			     "vcpu placement '%.16s' is not supported by mkhv", pl);
	free(pl);
	if (!rc)
		rc = dx_elem_u64(c, node, &v);
	if (rc)
		return rc;
	if (v < 1)
		return dx_fail(c, -EINVAL, DX_XML "invalid vcpu count 0");
	if (v > DOMAIN_VCPUS_MAX)
		return dx_fail(c, -ENOTSUP, DX_UNSUP
			       "%llu vcpus exceed mkhv's maximum of %d",
			       (unsigned long long)v, DOMAIN_VCPUS_MAX);
	def->vcpus = (unsigned int)v;
	return 0;
}

/* Range checks are libvirt's virDomainDefCputuneValidate(). */
static int dx_cputune_one(struct dx_ctx *c, xmlNode *n, struct domain_def *def)
{
	static const char *const attrs[] = { NULL };
	char *t = NULL;
	uint64_t v;
	int rc;

	if (!dx_is(n, "shares") && !dx_is(n, "period") && !dx_is(n, "quota"))
		return dx_unsupported(c, n);
	rc = dx_check_attrs(c, n, attrs);
	if (!rc)
		rc = dx_check_no_children(c, n);
	if (rc)
		return rc;
	if (dx_is(n, "quota")) {
		t = dx_text(n);
		if (!t)
			return dx_fail(c, -ENOMEM, "out of memory");
		if (!strcmp(t, "-1")) {
			def->quota_us = -1;
			free(t);
			return 0;
		}
		free(t);
	}
	rc = dx_elem_u64(c, n, &v);
	if (rc)
		return rc;
	if (dx_is(n, "shares")) {
		if (!v)
			return dx_fail(c, -ENOTSUP, DX_UNSUP
				       "cputune shares 0 is not supported by mkhv");
		if (v < 2 || v > 262144)
			return dx_fail(c, -EINVAL, DX_UNSUP
				       "Value of cputune 'shares' must be in range [2, 262144]");
		def->shares = v;
	} else if (dx_is(n, "period")) {
		if (v && (v < 1000 || v > 1000000))
			return dx_fail(c, -EINVAL, DX_UNSUP
				       "Value of cputune 'period' must be in range [1000, 1000000]");
		def->period_us = v;
	} else if (dx_is(n, "quota")) {
		if (v && (v < 1000 || v > 17592186044415ULL))
			return dx_fail(c, -EINVAL, DX_UNSUP
				       "Value of cputune 'quota' must be in range [1000, 17592186044415]");
		def->quota_us = (int64_t)v;
	}
	return 0;
}

static int dx_cputune(struct dx_ctx *c, xmlNode *node, struct domain_def *def)
{
	static const char *const attrs[] = { NULL };
	xmlNode *n;
	int rc = dx_check_attrs(c, node, attrs);

	for (n = dx_elem(node->children); !rc && n; n = dx_elem(n->next))
		rc = dx_cputune_one(c, n, def);
	return rc;
}

static int dx_os_type(struct dx_ctx *c, xmlNode *n)
{
	static const char *const attrs[] = { "arch", NULL };
	char *arch, *t;
	int rc = dx_check_attrs(c, n, attrs);

	if (rc)
		return rc;
	arch = dx_attr(n, "arch");
	if (arch && strcmp(arch, "x86_64"))
		rc = dx_fail(c, -ENOTSUP, DX_UNSUP
			     "os arch '%.16s' is not supported by mkhv (x86_64 only)",
			     arch);
	free(arch);
	if (rc)
		return rc;
	t = dx_text(n);
	if (!t)
		return dx_fail(c, -ENOMEM, "out of memory");
	if (strcmp(t, "hvm"))
		rc = dx_fail(c, -ENOTSUP, DX_UNSUP
			     "os type '%.16s' is not supported by mkhv (hvm only)", t);
	free(t);
	return rc;
}

static int dx_os_path(struct dx_ctx *c, xmlNode *n, char **out)
{
	static const char *const attrs[] = { NULL };
	int rc = dx_check_attrs(c, n, attrs);

	if (!rc)
		rc = dx_check_no_children(c, n);
	if (!rc && *out)
		rc = dx_fail(c, -EINVAL, DX_XML "duplicate element '%s'",
			     (const char *)n->name);
	return rc ? rc : dx_path(c, n, NULL, out);
}

static int dx_os(struct dx_ctx *c, xmlNode *node, struct domain_def *def)
{
	static const char *const attrs[] = { NULL };
	xmlNode *n;
	int rc = dx_check_attrs(c, node, attrs);

	for (n = dx_elem(node->children); !rc && n; n = dx_elem(n->next)) {
		if (dx_is(n, "type"))
			rc = dx_os_type(c, n);
		else if (dx_is(n, "kernel"))
			rc = dx_os_path(c, n, &def->kernel);
		else if (dx_is(n, "initrd"))
			rc = dx_os_path(c, n, &def->initrd);
		else if (dx_is(n, "cmdline"))
			rc = dx_string(c, n, &def->cmdline);
		else
			rc = dx_unsupported(c, n);
	}
	if (!rc && !def->kernel)
		rc = dx_fail(c, -ENOTSUP, DX_UNSUP
			     "mkhv boots only a direct kernel: <os> needs <kernel>");
	return rc;
}

static int dx_lifecycle(struct dx_ctx *c, xmlNode *node,
			struct domain_def *def)
{
	static const char *const names[] = {
		[DOMAIN_LC_DESTROY] = "destroy",
		[DOMAIN_LC_RESTART] = "restart",
		[DOMAIN_LC_PRESERVE] = "preserve",
		[DOMAIN_LC_RENAME_RESTART] = "rename-restart",
	};
	enum domain_lifecycle *lc;
	char *t;
	size_t i;
	int rc = dx_leaf_text(c, node, &t);

	if (rc)
		return rc;
	if (dx_is(node, "on_poweroff"))
		lc = &def->on_poweroff;
	else if (dx_is(node, "on_reboot"))
		lc = &def->on_reboot;
	else
		lc = &def->on_crash;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(t, names[i]))
			break;
	if (i < sizeof(names) / sizeof(names[0]))
		*lc = (enum domain_lifecycle)i;
	else
		rc = dx_fail(c, -ENOTSUP, DX_UNSUP
			     "%s action '%.32s' is not supported by mkhv",
			     (const char *)node->name, t);
	free(t);
	return rc;
}

struct dx_handler {
	const char *name;
	int (*fn)(struct dx_ctx *c, xmlNode *node, struct domain_def *def);
};

static const struct dx_handler dx_domain_children[] = {
	{ "name", dx_name },
	{ "uuid", dx_uuid },
	{ "title", dx_title },
	{ "description", dx_description },
	{ "memory", dx_mem },
	{ "currentMemory", dx_curmem },
	{ "vcpu", dx_vcpu },
	{ "cputune", dx_cputune },
	{ "os", dx_os },
	{ "on_poweroff", dx_lifecycle },
	{ "on_reboot", dx_lifecycle },
	{ "on_crash", dx_lifecycle },
	{ "devices", dx_parse_devices },
	{ NULL, NULL },
};

static int dx_elem_named(xmlNode *parent, const char *name)
{
	xmlNode *n;

	for (n = dx_elem(parent->children); n; n = dx_elem(n->next))
		if (dx_is(n, name))
			return 1;
	return 0;
}

static int dx_domain(struct dx_ctx *c, xmlNode *root, struct domain_def *def)
{
	static const char *const attrs[] = { "type", NULL };
	const struct dx_handler *h;
	xmlNode *n;
	char *type;
	int rc = dx_check_attrs(c, root, attrs);

	if (rc)
		return rc;
	type = dx_attr(root, "type");
	if (!type || strcmp(type, "hyperv"))
		rc = dx_fail(c, -ENOTSUP, DX_UNSUP
			     "domain type '%.32s' is not supported by mkhv (use 'hyperv')",
			     type ? type : "");
	free(type);
	def->on_poweroff = DOMAIN_LC_DESTROY;
	def->on_reboot = DOMAIN_LC_RESTART;
	def->on_crash = DOMAIN_LC_DESTROY;
	for (n = dx_elem(root->children); !rc && n; n = dx_elem(n->next)) {
		for (h = dx_domain_children; h->name; h++)
			if (dx_is(n, h->name))
				break;
		rc = h->name ? h->fn(c, n, def) : dx_unsupported(c, n);
	}
	if (rc)
		return rc;
	/* The schema lets <os> and <vcpu> out; libvirt's parser does not. */
	if (!def->kernel && !dx_elem_named(root, "os"))
		return dx_fail(c, -EINVAL, DX_XML "an os <type> must be specified");
	if (!def->vcpus)
		def->vcpus = 1;
	if (!def->memory_kib)
		return dx_fail(c, -EINVAL, DX_XML
			       "Memory size must be specified via <memory> or in the <numa> configuration");
	/* libvirt clamps a missing, zero or too large currentMemory. */
	if (!def->cur_memory_kib || def->cur_memory_kib > def->memory_kib)
		def->cur_memory_kib = def->memory_kib;
	return 0;
}

int domain_xml_parse(const char *xml, size_t len, struct domain_def *out,
		     char *err, size_t errlen)
{
	struct dx_ctx c = { .err = err, .errlen = errlen };
	xmlDocPtr doc;
	xmlNode *root;
	int rc;

	memset(out, 0, sizeof(*out));
	if (err && errlen)
		err[0] = '\0';
	if (!xml)
		return dx_fail(&c, -EINVAL, DX_XML "no document");
	rc = dx_load(&c, xml, len, &doc);
	if (rc)
		return rc;
	root = xmlDocGetRootElement(doc);
	rc = root ? dx_domain(&c, root, out) :
	     dx_fail(&c, -EINVAL, DX_XML "no root element");
	xmlFreeDoc(doc);
	if (rc)
		domain_def_clear(out);
	return rc;
}
