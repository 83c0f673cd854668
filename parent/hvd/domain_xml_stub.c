// SPDX-License-Identifier: GPL-2.0
/*
 * Temporary, minimal domain XML layer for hvd: name, uuid, memory,
 * currentMemory, vcpu and <domain type>.  The build uses it only while
 * parent/hvd/domain_xml.c (the real, validating layer) is absent.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "domain.h"

static int stub_err(char *err, size_t errlen, int ret, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
	return ret;
}

static int parse_uuid(const char *s, uint8_t out[DOMAIN_UUID_LEN])
{
	size_t i = 0;

	while (*s && i < 2 * DOMAIN_UUID_LEN) {
		unsigned int v;

		if (*s == '-') {
			s++;
			continue;
		}
		if (sscanf(s, "%1x", &v) != 1)
			return -EINVAL;
		out[i / 2] = (uint8_t)(i % 2 ? out[i / 2] | v : v << 4);
		i++;
		s++;
	}
	return i == 2 * DOMAIN_UUID_LEN && !*s ? 0 : -EINVAL;
}

static int parse_kib(xmlNode *n, uint64_t *out)
{
	xmlChar *txt = xmlNodeGetContent(n), *unit = xmlGetProp(n, BAD_CAST "unit");
	uint64_t mult = 1;
	char *end;
	int ret = 0;

	*out = strtoull((const char *)txt, &end, 10);
	if (!txt[0] || *end)
		ret = -EINVAL;
	if (unit && !strcmp((char *)unit, "MiB"))
		mult = 1024;
	else if (unit && !strcmp((char *)unit, "GiB"))
		mult = 1024 * 1024;
	else if (unit && strcmp((char *)unit, "KiB") && strcmp((char *)unit, "k"))
		ret = -EINVAL;
	*out *= mult;
	xmlFree(txt);
	xmlFree(unit);
	return ret;
}

static int parse_root(xmlNode *root, struct domain_def *d, char *err,
		      size_t errlen)
{
	xmlChar *type = xmlGetProp(root, BAD_CAST "type");
	bool bad_type = !type || strcmp((char *)type, "hyperv");
	xmlNode *n;

	xmlFree(type);
	if (bad_type)
		return stub_err(err, errlen, -ENOTSUP,
				"unsupported configuration: domain type must be 'hyperv'");
	for (n = root->children; n; n = n->next) {
		xmlChar *txt;
		int bad = 0;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		txt = xmlNodeGetContent(n);
		if (!strcmp((char *)n->name, "name")) {
			bad = !txt[0] || strlen((char *)txt) > DOMAIN_NAME_MAX ||
			      strpbrk((char *)txt, "/<>&'\"\n");
			if (!bad)
				strcpy(d->name, (char *)txt);
		} else if (!strcmp((char *)n->name, "uuid")) {
			bad = parse_uuid((char *)txt, d->uuid);
			d->uuid_set = !bad;
		} else if (!strcmp((char *)n->name, "memory")) {
			bad = parse_kib(n, &d->memory_kib);
		} else if (!strcmp((char *)n->name, "currentMemory")) {
			bad = parse_kib(n, &d->cur_memory_kib);
		} else if (!strcmp((char *)n->name, "vcpu")) {
			d->vcpus = (unsigned int)strtoul((char *)txt, NULL, 10);
		}
		xmlFree(txt);
		if (bad)
			return stub_err(err, errlen, -EINVAL,
					"XML error: invalid value in domain definition");
	}
	if (!d->name[0])
		return stub_err(err, errlen, -EINVAL,
				"XML error: missing domain name");
	if (!d->memory_kib || !d->vcpus || d->vcpus > 4096)
		return stub_err(err, errlen, -EINVAL,
				"XML error: memory and vcpu must be positive");
	if (!d->cur_memory_kib || d->cur_memory_kib > d->memory_kib)
		d->cur_memory_kib = d->memory_kib;
	return 0;
}

int domain_xml_parse(const char *xml, size_t len, struct domain_def *out,
		     char *err, size_t errlen)
{
	xmlDoc *doc;
	xmlNode *root;
	int ret;

	memset(out, 0, sizeof(*out));
	if (len > DOMAIN_XML_MAX)
		return stub_err(err, errlen, -E2BIG,
				"XML error: document too large");
	doc = xmlReadMemory(xml, (int)len, "domain.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING);
	if (!doc)
		return stub_err(err, errlen, -EINVAL,
				"XML error: malformed domain XML");
	root = xmlDocGetRootElement(doc);
	if (doc->intSubset || !root || strcmp((char *)root->name, "domain"))
		ret = stub_err(err, errlen, -EINVAL,
			       "XML error: expected a <domain> document without DOCTYPE");
	else
		ret = parse_root(root, out, err, errlen);
	xmlFreeDoc(doc);
	if (ret)
		domain_def_clear(out);
	return ret;
}

char *domain_xml_format(const struct domain_def *d)
{
	const uint8_t *u = d->uuid;
	char *out = NULL;
	int n;

	n = asprintf(&out,
		     "<domain type='hyperv'>\n"
		     "  <name>%s</name>\n"
		     "  <uuid>%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		     "%02x%02x%02x%02x%02x%02x</uuid>\n"
		     "  <memory unit='KiB'>%" PRIu64 "</memory>\n"
		     "  <currentMemory unit='KiB'>%" PRIu64 "</currentMemory>\n"
		     "  <vcpu>%u</vcpu>\n"
		     "  <os>\n    <type arch='x86_64'>hvm</type>\n  </os>\n"
		     "</domain>\n",
		     d->name, u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7],
		     u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15],
		     d->memory_kib, d->cur_memory_kib, d->vcpus);
	return n < 0 ? NULL : out;
}

void domain_def_clear(struct domain_def *d)
{
	size_t i;

	for (i = 0; i < d->ndisks; i++) {
		free(d->disks[i].source);
		free(d->disks[i].target);
	}
	for (i = 0; i < d->nnets; i++)
		free(d->nets[i].source);
	free(d->disks);
	free(d->nets);
	free(d->title);
	free(d->description);
	free(d->kernel);
	free(d->initrd);
	free(d->cmdline);
	free(d->serial_file);
	memset(d, 0, sizeof(*d));
}
