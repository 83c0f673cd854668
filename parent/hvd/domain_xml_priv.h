/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals shared by the domain XML files (domain_xml_read.c: hardened
 * read and schema, domain_xml.c: helpers and domain-level elements,
 * domain_xml_devices.c: <devices>, domain_xml_format.c: the canonical
 * dump).  Not for hvd's other files.
 */
#ifndef MKHV_HVD_DOMAIN_XML_PRIV_H
#define MKHV_HVD_DOMAIN_XML_PRIV_H

#include <libxml/tree.h>
#include "domain.h"

/* Error sink for one parse: the caller's buffer. */
struct dx_ctx {
	char *err;
	size_t errlen;
};

/* libvirt's message prefixes (virErrorMsg), so virsh prints familiar lines. */
#define DX_XML       "XML error: "
#define DX_UNSUP     "unsupported configuration: "
#define DX_OVERFLOW  "numerical overflow: "
#define DX_SCHEMA    "XML document failed to validate against schema: "

/* Longest path (kernel, disk source) mkhv keeps, as Linux's PATH_MAX. */
#define DX_PATH_MAX 4096

/*
 * dx_fail() - record a one-line message (control characters replaced) and
 * return @rc, a negative errno.  Only the first failure is recorded.
 */
int dx_fail(struct dx_ctx *c, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The qualified name of @node ("prefix:name" when namespaced). */
const char *dx_qname(const xmlNode *node, char *buf, size_t len);

/* Refuse (-ENOTSUP, by name) any attribute of @node not in @allowed (NULL-ended). */
int dx_check_attrs(struct dx_ctx *c, const xmlNode *node,
		   const char *const *allowed);

/* Refuse (-ENOTSUP, by name) any child element of @node. */
int dx_check_no_children(struct dx_ctx *c, const xmlNode *node);

/* Refuse the unsupported element @node by name (-ENOTSUP). */
int dx_unsupported(struct dx_ctx *c, const xmlNode *node);

/* An attribute's value as a malloc'd string (NULL when absent or ENOMEM). */
char *dx_attr(const xmlNode *node, const char *name);

/* The text content of @node as a malloc'd string, or NULL on ENOMEM. */
char *dx_text(const xmlNode *node);

/*
 * dx_path() - read the absolute path in attribute @attr of @node (or its
 * text when @attr is NULL) into *@out.  Empty or absent gives NULL and 0.
 */
int dx_path(struct dx_ctx *c, const xmlNode *node, const char *attr,
	    char **out);

/* Next element sibling starting at @n itself (NULL when none). */
xmlNode *dx_elem(xmlNode *n);

/* Whether @node is the element named @name (no namespace). */
int dx_is(const xmlNode *node, const char *name);

/*
 * dx_load() - read @xml (hardened, DOCTYPE refused) and validate it against
 * libvirt's domain.rng.  On success *@out is the document (xmlFreeDoc()).
 */
int dx_load(struct dx_ctx *c, const char *xml, size_t len, xmlDocPtr *out);

/* Parse <devices> into @def.  0 or a negative errno (message in @c). */
int dx_parse_devices(struct dx_ctx *c, xmlNode *devices,
		     struct domain_def *def);

#endif /* MKHV_HVD_DOMAIN_XML_PRIV_H */
