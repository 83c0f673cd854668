// SPDX-License-Identifier: GPL-2.0
/*
 * <devices> of mkhv's domain XML subset: <disk> (file or block, SCSI
 * targets, raw or qcow2, libvirt's cache modes), <interface> (bridge or network, netvsc),
 * <console>/<serial> (pty).  The schema has been checked already; these
 * functions store what mkhv runs and refuse the rest by name.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "domain_xml_priv.h"

#define DX_TARGET_MAX 16	/* "sd" plus letters: far beyond 64 disks */

/* Compare @v (may be NULL) against the allowed value list; NULL passes. */
static int dx_value(struct dx_ctx *c, const char *what, const char *v,
		    const char *const *ok)
{
	size_t i;

	if (!v)
		return 0;
	for (i = 0; ok[i]; i++)
		if (!strcmp(v, ok[i]))
			return 0;
	return dx_fail(c, -ENOTSUP, DX_UNSUP "%s '%.32s' is not supported by mkhv",
		       what, v);
}

/* Read attribute @name of @n and check it against @ok (see dx_value()). */
static int dx_attr_value(struct dx_ctx *c, const xmlNode *n, const char *name,
			 const char *what, const char *const *ok, char **out)
{
	int rc;

	*out = dx_attr(n, name);
	if (!*out && xmlHasProp(n, (const xmlChar *)name))
		return dx_fail(c, -ENOMEM, "out of memory");
	rc = dx_value(c, what, *out, ok);
	if (rc) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

/* Grow @arr of @n elements of @size by one zeroed element (NULL: ENOMEM). */
static void *dx_push(struct dx_ctx *c, void *arr, size_t n, size_t size)
{
	char *na = realloc(arr, (n + 1) * size);

	if (!na) {
		dx_fail(c, -ENOMEM, "out of memory");
		return NULL;
	}
	memset(na + n * size, 0, size);
	return na;
}

/* ---- <disk> ---- */

/*
 * <driver cache=...>: any of libvirt's modes; "default" stays unset.  The
 * schema has already refused other values; this check does not rely on it
 * and words the refusal as libvirt's own parser does.
 */
static int dx_disk_cache(struct dx_ctx *c, const xmlNode *n,
			 struct domain_disk *d)
{
	char *v = dx_attr(n, "cache");
	int i, rc = 0;

	if (!v)
		return xmlHasProp(n, (const xmlChar *)"cache") ?
		       dx_fail(c, -ENOMEM, "out of memory") : 0;
	for (i = 0; i < DOMAIN_DISK_CACHE_COUNT; i++)
		if (!strcmp(v, domain_disk_cache_name(i)))
			break;
	if (i < DOMAIN_DISK_CACHE_COUNT)
		d->cache = i;
	else
		rc = dx_fail(c, -EINVAL, DX_XML
			     "Invalid value for attribute 'cache' in element 'driver': '%.32s'.",
			     v);
	free(v);
	return rc;
}

static int dx_disk_driver(struct dx_ctx *c, xmlNode *n, struct domain_disk *d)
{
	static const char *const attrs[] = { "name", "type", "cache", NULL };
	static const char *const names[] = { "qemu", NULL };
	static const char *const types[] = { "raw", "qcow2", NULL };
	char *v;
	int rc = dx_check_attrs(c, n, attrs) ?: dx_check_no_children(c, n);

	if (!rc)
		rc = dx_attr_value(c, n, "name", "disk driver name", names, &v);
	if (rc)
		return rc;
	free(v);
	rc = dx_attr_value(c, n, "type", "disk format", types, &v);
	if (!rc && v && !strcmp(v, "qcow2"))
		d->format = DOMAIN_DISK_QCOW2;
	free(v);
	return rc ?: dx_disk_cache(c, n, d);
}

static int dx_disk_source(struct dx_ctx *c, xmlNode *n, struct domain_disk *d)
{
	static const char *const file[] = { "file", NULL };
	static const char *const block[] = { "dev", NULL };
	bool is_file = d->type == DOMAIN_DISK_FILE;
	int rc;

	rc = dx_check_attrs(c, n, is_file ? file : block) ?:
	     dx_check_no_children(c, n);
	if (rc)
		return rc;
	free(d->source);
	return dx_path(c, n, is_file ? "file" : "dev", &d->source);
}

static int dx_disk_target(struct dx_ctx *c, xmlNode *n, struct domain_disk *d)
{
	static const char *const attrs[] = { "dev", "bus", NULL };
	static const char *const buses[] = { "scsi", NULL };
	char *bus, *dev;
	size_t i;
	int rc = dx_check_attrs(c, n, attrs) ?: dx_check_no_children(c, n);

	if (!rc)
		rc = dx_attr_value(c, n, "bus", "disk bus", buses, &bus);
	if (rc)
		return rc;
	dev = dx_attr(n, "dev");
	if (!dev) {
		free(bus);
		return dx_fail(c, -EINVAL, DX_XML "missing target information for device");
	}
	/* Without bus=, libvirt derives the bus from the name: sd* is SCSI. */
	rc = strncmp(dev, "sd", 2) || !dev[2] || strlen(dev) > DX_TARGET_MAX;
	for (i = 2; !rc && dev[i]; i++)
		rc = dev[i] < 'a' || dev[i] > 'z';
	if (rc)
		rc = dx_fail(c, -ENOTSUP, DX_UNSUP
			     "disk target '%.32s' is not supported by mkhv (SCSI names sda, sdb, ...)",
			     dev);
	free(bus);
	free(d->target);
	d->target = dev;
	return rc;
}

static int dx_disk_children(struct dx_ctx *c, xmlNode *disk,
			    struct domain_disk *d)
{
	static const char *const none[] = { NULL };
	xmlNode *n;
	int rc = 0;

	for (n = dx_elem(disk->children); !rc && n; n = dx_elem(n->next)) {
		if (dx_is(n, "driver"))
			rc = dx_disk_driver(c, n, d);
		else if (dx_is(n, "source"))
			rc = dx_disk_source(c, n, d);
		else if (dx_is(n, "target"))
			rc = dx_disk_target(c, n, d);
		else if (dx_is(n, "readonly"))
			rc = dx_check_attrs(c, n, none) ?:
			     dx_check_no_children(c, n);
		else
			rc = dx_unsupported(c, n);
		if (!rc && dx_is(n, "readonly"))
			d->readonly = true;
	}
	if (rc)
		return rc;
	if (!d->target)
		return dx_fail(c, -EINVAL, DX_XML "missing target information for device");
	if (!d->source)
		return dx_fail(c, -EINVAL, "missing source information for device %s",
			       d->target);
	return 0;
}

static int dx_disk(struct dx_ctx *c, xmlNode *n, struct domain_def *def)
{
	static const char *const attrs[] = { "type", "device", NULL };
	static const char *const types[] = { "file", "block", NULL };
	static const char *const devices[] = { "disk", NULL };
	struct domain_disk *d, *nd;
	char *type, *dev;
	size_t i;
	int rc;

	if (def->ndisks >= DOMAIN_DISKS_MAX)
		return dx_fail(c, -ENOTSUP, DX_UNSUP
			       "more than %d disks are not supported by mkhv",
			       DOMAIN_DISKS_MAX);
	rc = dx_check_attrs(c, n, attrs);
	if (!rc)
		rc = dx_attr_value(c, n, "device", "disk device", devices, &dev);
	if (rc)
		return rc;
	free(dev);
	rc = dx_attr_value(c, n, "type", "disk type", types, &type);
	if (rc)
		return rc;
	nd = dx_push(c, def->disks, def->ndisks, sizeof(*nd));
	if (!nd) {
		free(type);
		return -ENOMEM;
	}
	def->disks = nd;
	d = &nd[def->ndisks++];
	/* The schema's default disk type is file. */
	d->type = type && !strcmp(type, "block") ? DOMAIN_DISK_BLOCK :
		  DOMAIN_DISK_FILE;
	free(type);
	rc = dx_disk_children(c, n, d);
	for (i = 0; !rc && i + 1 < def->ndisks; i++)
		if (!strcmp(def->disks[i].target, d->target))
			rc = dx_fail(c, -EINVAL, DX_XML
				     "target '%s' duplicated for disk sources '%.64s' and '%.64s'",
				     d->target, def->disks[i].source, d->source);
	return rc;
}

/* ---- <interface> ---- */

static int dx_mac_parse(const char *s, uint8_t *mac)
{
	unsigned int b[6];
	char tail;
	int i;

	if (strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &tail) != 6)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		if (s[i * 3] == ' ' || s[i * 3] == '+' || s[i * 3] == '-')
			return -EINVAL;
		mac[i] = (uint8_t)b[i];
	}
	return 0;
}

static int dx_net_mac(struct dx_ctx *c, xmlNode *n, struct domain_net *net)
{
	static const char *const attrs[] = { "address", NULL };
	char *a;
	int rc = dx_check_attrs(c, n, attrs) ?: dx_check_no_children(c, n);

	if (rc)
		return rc;
	a = dx_attr(n, "address");
	if (!a || dx_mac_parse(a, net->mac))
		rc = dx_fail(c, -EINVAL, DX_XML "unable to parse mac address '%.32s'",
			     a ? a : "");
	else if (net->mac[0] & 1)
		rc = dx_fail(c, -EINVAL, DX_XML
			     "expected unicast mac address, found multicast '%s'", a);
	else
		net->mac_set = true;
	free(a);
	return rc;
}

static int dx_net_source(struct dx_ctx *c, xmlNode *n, struct domain_net *net)
{
	static const char *const bridge[] = { "bridge", NULL };
	static const char *const network[] = { "network", NULL };
	bool br = net->type == DOMAIN_NET_BRIDGE;
	int rc = dx_check_attrs(c, n, br ? bridge : network) ?:
		 dx_check_no_children(c, n);

	if (rc)
		return rc;
	free(net->source);
	net->source = dx_attr(n, br ? "bridge" : "network");
	if (net->source && !net->source[0]) {
		free(net->source);
		net->source = NULL;
	}
	return 0;
}

static int dx_net_model(struct dx_ctx *c, xmlNode *n)
{
	static const char *const attrs[] = { "type", NULL };
	static const char *const models[] = { "netvsc", NULL };
	char *v;
	int rc = dx_check_attrs(c, n, attrs) ?: dx_check_no_children(c, n);

	if (!rc)
		rc = dx_attr_value(c, n, "type", "interface model", models, &v);
	if (!rc)
		free(v);
	return rc;
}

static int dx_interface(struct dx_ctx *c, xmlNode *iface,
			struct domain_def *def)
{
	static const char *const attrs[] = { "type", NULL };
	static const char *const types[] = { "bridge", "network", NULL };
	struct domain_net *net, *nn;
	xmlNode *n;
	char *type;
	int rc;

	if (def->nnets >= DOMAIN_NETS_MAX)
		return dx_fail(c, -ENOTSUP, DX_UNSUP
			       "more than %d interfaces are not supported by mkhv",
			       DOMAIN_NETS_MAX);
	rc = dx_check_attrs(c, iface, attrs);
	if (!rc)
		rc = dx_attr_value(c, iface, "type", "interface type", types,
				   &type);
	if (rc)
		return rc;
	nn = dx_push(c, def->nets, def->nnets, sizeof(*nn));
	if (!nn) {
		free(type);
		return -ENOMEM;
	}
	def->nets = nn;
	net = &nn[def->nnets++];
	net->type = type && !strcmp(type, "network") ? DOMAIN_NET_NETWORK :
		    DOMAIN_NET_BRIDGE;
	for (n = dx_elem(iface->children); !rc && n; n = dx_elem(n->next)) {
		if (dx_is(n, "source"))
			rc = dx_net_source(c, n, net);
		else if (dx_is(n, "mac"))
			rc = dx_net_mac(c, n, net);
		else if (dx_is(n, "model"))
			rc = dx_net_model(c, n);
		else
			rc = dx_unsupported(c, n);
	}
	if (!rc && !net->source)
		rc = dx_fail(c, -EINVAL, DX_XML
			     "interface type='%s' requires a 'source' element",
			     type ? type : "bridge");
	free(type);
	return rc;
}

/* ---- <console>, <serial> ---- */

/* <target> of a pty character device: port 0, and for a console type serial. */
static int dx_chr_target(struct dx_ctx *c, xmlNode *n, bool console)
{
	static const char *const cattrs[] = { "type", "port", NULL };
	static const char *const sattrs[] = { "port", NULL };
	static const char *const ports[] = { "0", NULL };
	static const char *const types[] = { "serial", NULL };
	char *v;
	int rc = dx_check_attrs(c, n, console ? cattrs : sattrs) ?:
		 dx_check_no_children(c, n);

	if (!rc)
		rc = dx_attr_value(c, n, "port", "character device target port",
				   ports, &v);
	if (rc)
		return rc;
	free(v);
	rc = dx_attr_value(c, n, "type", "console target type", types, &v);
	free(v);
	return rc;
}

/* <source path='/abs'/> of a <serial type='file'>: the console log. */
static int dx_chr_source(struct dx_ctx *c, xmlNode *n, char **path)
{
	static const char *const attrs[] = { "path", NULL };
	int rc = dx_check_attrs(c, n, attrs) ?: dx_check_no_children(c, n);

	if (rc)
		return rc;
	free(*path);
	*path = NULL;
	return dx_path(c, n, "path", path);
}

static int dx_chr(struct dx_ctx *c, xmlNode *dev, struct domain_def *def)
{
	static const char *const attrs[] = { "type", NULL };
	static const char *const ctypes[] = { "pty", NULL };
	static const char *const stypes[] = { "pty", "file", NULL };
	bool console = dx_is(dev, "console");
	char *type, *file = NULL;
	bool is_file;
	xmlNode *n;
	int rc = dx_check_attrs(c, dev, attrs);

	if (!rc)
		rc = dx_attr_value(c, dev, "type",
				   console ? "console type" : "serial type",
				   console ? ctypes : stypes, &type);
	if (rc)
		return rc;
	is_file = !strcmp(type, "file");
	free(type);
	for (n = dx_elem(dev->children); !rc && n; n = dx_elem(n->next))
		rc = dx_is(n, "target") ? dx_chr_target(c, n, console) :
		     is_file && dx_is(n, "source") ? dx_chr_source(c, n, &file) :
		     dx_unsupported(c, n);
	if (!rc && is_file && !file)
		rc = dx_fail(c, -EINVAL, DX_XML
			     "serial type 'file' needs <source path='...'/>");
	if (rc) {
		free(file);
		return rc;
	}
	if (!console && def->serial) {
		free(file);
		return dx_fail(c, -ENOTSUP, DX_UNSUP
			       "more than one serial device is not supported by mkhv");
	}
	def->serial_file = file ? file : def->serial_file;
	if (console && def->console)
		return dx_fail(c, -EINVAL, DX_UNSUP
			       "Only the first console can be a serial port");
	if (!console && def->serial)
		return dx_fail(c, -ENOTSUP, DX_UNSUP
			       "more than one serial device is not supported by mkhv");
	if (console)
		def->console = true;
	else
		def->serial = true;
	return 0;
}

int dx_parse_devices(struct dx_ctx *c, xmlNode *devices,
		     struct domain_def *def)
{
	static const char *const attrs[] = { NULL };
	xmlNode *n;
	int rc = dx_check_attrs(c, devices, attrs);

	for (n = dx_elem(devices->children); !rc && n; n = dx_elem(n->next)) {
		if (dx_is(n, "disk"))
			rc = dx_disk(c, n, def);
		else if (dx_is(n, "interface"))
			rc = dx_interface(c, n, def);
		else if (dx_is(n, "console") || dx_is(n, "serial"))
			rc = dx_chr(c, n, def);
		else
			rc = dx_unsupported(c, n);
	}
	return rc;
}
