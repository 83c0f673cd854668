// SPDX-License-Identifier: GPL-2.0
/*
 * Reading an untrusted domain XML document: libxml2 with every loading
 * feature off and DOCTYPE refused, then libvirt's own RelaxNG domain
 * schema (domain.rng), compiled once per process.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>

#include "domain_xml_priv.h"

#ifndef DOMAIN_XML_RNG_DEFAULT
#define DOMAIN_XML_RNG_DEFAULT "/usr/share/libvirt/schemas/domain.rng"
#endif

/* ---- schema: libvirt's domain.rng, compiled once ---- */

static pthread_once_t rng_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t rng_lock = PTHREAD_MUTEX_INITIALIZER;
static xmlRelaxNGPtr rng_schema;	/* read-only once built */
static char rng_path[PATH_MAX];

/*
 * The schema path: $MKHV_DOMAIN_RNG (hvd's environment is root's), the
 * path configured at build time (make DOMAIN_XML_RNG=...), then the usual
 * install prefixes.
 */
static const char *rng_find(void)
{
	static const char *const fallback[] = {
		DOMAIN_XML_RNG_DEFAULT,
		"/usr/share/libvirt/schemas/domain.rng",
		"/usr/local/share/libvirt/schemas/domain.rng",
		NULL,
	};
	const char *env = getenv("MKHV_DOMAIN_RNG");
	size_t i;

	if (env && env[0])
		return env;
	for (i = 0; fallback[i]; i++)
		if (access(fallback[i], R_OK) == 0)
			return fallback[i];
	return NULL;
}

static void rng_quiet(void *ctx, const xmlError *e)
{
	(void)ctx;
	(void)e;
}

static void rng_init(void)
{
	xmlRelaxNGParserCtxtPtr pc;
	const char *path;

	xmlInitParser();
	path = rng_find();
	if (!path)
		return;
	snprintf(rng_path, sizeof(rng_path), "%s", path);
	if (access(rng_path, R_OK))
		return;	/* without libxml2's stderr warning */
	pc = xmlRelaxNGNewParserCtxt(rng_path);
	if (!pc)
		return;
	xmlRelaxNGSetParserStructuredErrors(pc, (xmlStructuredErrorFunc)rng_quiet,
					    NULL);
	rng_schema = xmlRelaxNGParse(pc);
	xmlRelaxNGFreeParserCtxt(pc);
}

/* Collects the validator's first messages into one line. */
struct rng_errs {
	char buf[512];
	size_t used;
	int count;
};

static void rng_collect(void *ctx, const xmlError *e)
{
	struct rng_errs *r = ctx;
	size_t n;
	int w;

	if (r->count++ >= 3 || !e->message || r->used >= sizeof(r->buf) - 1)
		return;
	n = strcspn(e->message, "\n");
	w = snprintf(r->buf + r->used, sizeof(r->buf) - r->used, "%s%.*s",
		     r->used ? "; " : "", (int)n, e->message);
	if (w > 0)
		r->used = r->used + (size_t)w < sizeof(r->buf) ?
			  r->used + (size_t)w : sizeof(r->buf) - 1;
}

static int rng_validate(struct dx_ctx *c, xmlDocPtr doc)
{
	xmlRelaxNGValidCtxtPtr vc;
	struct rng_errs r = { .used = 0 };
	int rc;

	pthread_once(&rng_once, rng_init);
	if (!rng_schema)
		return dx_fail(c, -ENOENT,
			       "internal error: cannot load libvirt's domain schema (%s)",
			       rng_path[0] ? rng_path : "domain.rng not found");
	/*
	 * libxml2 keeps validation state in the context, but the compiled
	 * schema's automata are shared; serialize to stay on the safe side
	 * (validation is well under a millisecond for a domain).
	 */
	pthread_mutex_lock(&rng_lock);
	vc = xmlRelaxNGNewValidCtxt(rng_schema);
	if (!vc) {
		pthread_mutex_unlock(&rng_lock);
		return dx_fail(c, -ENOMEM, "out of memory");
	}
	xmlRelaxNGSetValidStructuredErrors(vc, (xmlStructuredErrorFunc)rng_collect,
					   &r);
	rc = xmlRelaxNGValidateDoc(vc, doc);
	xmlRelaxNGFreeValidCtxt(vc);
	pthread_mutex_unlock(&rng_lock);
	if (rc == 0)
		return 0;
	if (rc < 0)
		return dx_fail(c, -ENOMEM, "internal error: schema validation failed");
	return dx_fail(c, -EINVAL, DX_SCHEMA "%s",
		       r.used ? r.buf : "document does not match domain.rng");
}

/* ---- hardened read ---- */

/*
 * Caps that keep one request's CPU time small.  A complete mkhv domain
 * (64 disks, 32 interfaces) has about 500 elements, and no element of
 * libvirt's schema takes more than about 15 attributes.
 */
#define DX_MAX_ELEMENTS 2048
#define DX_MAX_ATTRS    32

struct dx_read_state {
	bool doctype;
	unsigned int elements;
};

/*
 * SAX hook for <!DOCTYPE ...>: libxml2 calls it after the name and external
 * ID and before the internal subset, so no entity or DTD is ever declared,
 * let alone loaded or expanded (billion laughs, XXE).
 */
static void dx_refuse_doctype(void *ctx, const xmlChar *name,
			      const xmlChar *ext, const xmlChar *sys)
{
	xmlParserCtxtPtr p = ctx;
	struct dx_read_state *st = p->_private;

	(void)name;
	(void)ext;
	(void)sys;
	st->doctype = true;
	xmlStopParser(p);
}

/*
 * Counts elements as the tree is built: libxml2's RelaxNG validation of a
 * long <devices> list costs about 35 us per element (1.7 s for a 1 MiB
 * document of <console/>s), so a document past the cap stops here.
 */
static void dx_count_element(void *ctx, const xmlChar *localname,
			     const xmlChar *prefix, const xmlChar *uri,
			     int nb_ns, const xmlChar **ns, int nb_attrs,
			     int nb_defaulted, const xmlChar **attrs)
{
	xmlParserCtxtPtr p = ctx;
	struct dx_read_state *st = p->_private;

	if (++st->elements > DX_MAX_ELEMENTS) {
		xmlStopParser(p);
		return;
	}
	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_ns, ns, nb_attrs,
			      nb_defaulted, attrs);
}

/* If *@x starts with @open, move it past the next @close (or to @end). */
static bool dx_skip(const char **x, const char *end, const char *open,
		    const char *close)
{
	size_t ol = strlen(open), cl = strlen(close);
	const char *f;

	if ((size_t)(end - *x) < ol || memcmp(*x, open, ol))
		return false;
	f = memmem(*x + ol, (size_t)(end - *x) - ol, close, cl);
	*x = f ? f + cl : end;
	return true;
}

/*
 * libxml2 2.9 checks a start tag's attributes for duplicates pairwise, so
 * 80,000 attributes in one tag cost about 7 s of CPU before any callback
 * runs.  Count them first in one pass over the raw bytes: comments, CDATA
 * and PIs skipped, quoted values skipped, each other '=' in a tag is an
 * attribute.  Approximate on malformed input, which libxml2 then refuses.
 */
static int dx_prescan(struct dx_ctx *c, const char *x, size_t len)
{
	const char *end = x + len, *q;
	unsigned int attrs;

	while (x < end && (x = memchr(x, '<', (size_t)(end - x)))) {
		if (dx_skip(&x, end, "<!--", "-->") ||
		    dx_skip(&x, end, "<![CDATA[", "]]>") ||
		    dx_skip(&x, end, "<?", "?>"))
			continue;
		for (attrs = 0, x++; x < end && *x != '>'; x++) {
			if (*x == '"' || *x == '\'') {
				q = memchr(x + 1, *x, (size_t)(end - x - 1));
				if (!q)
					return 0;
				x = q;
			} else if (*x == '=' && ++attrs > DX_MAX_ATTRS) {
				return dx_fail(c, -EINVAL, DX_XML
					       "an element has more than %d attributes",
					       DX_MAX_ATTRS);
			}
		}
	}
	return 0;
}

static xmlParserInputPtr dx_no_entity(void *ctx, const xmlChar *pub,
				      const xmlChar *sys)
{
	(void)ctx;
	(void)pub;
	(void)sys;
	return NULL;
}

static int dx_read(struct dx_ctx *c, const char *xml, size_t len,
		   xmlDocPtr *out)
{
	struct dx_read_state st = { .doctype = false };
	const xmlError *e;
	xmlParserCtxtPtr p;
	xmlDocPtr doc;
	size_t n;
	int rc;

	*out = NULL;
	if (len > DOMAIN_XML_MAX)
		return dx_fail(c, -E2BIG, DX_XML "document of %zu bytes exceeds mkhv's limit of %u bytes",
			       len, DOMAIN_XML_MAX);
	if (memchr(xml, '\0', len))
		return dx_fail(c, -EINVAL, DX_XML "document contains a NUL byte");
	rc = dx_prescan(c, xml, len);
	if (rc)
		return rc;
	p = xmlNewParserCtxt();
	if (!p)
		return dx_fail(c, -ENOMEM, "out of memory");
	p->_private = &st;
	p->sax->internalSubset = dx_refuse_doctype;
	p->sax->startElementNs = dx_count_element;
	p->sax->externalSubset = NULL;
	p->sax->resolveEntity = dx_no_entity;
	/*
	 * No XML_PARSE_NOENT (entities stay references), no DTDLOAD/DTDATTR/
	 * DTDVALID, no XINCLUDE, no HUGE (libxml2 keeps its 256-level depth
	 * and 10 MB text limits); NONET in case anything tries the network.
	 */
	doc = xmlCtxtReadMemory(p, xml, (int)len, NULL, NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR |
				XML_PARSE_NOWARNING);
	if (st.doctype || st.elements > DX_MAX_ELEMENTS) {
		xmlFreeDoc(doc);
		xmlFreeParserCtxt(p);
		if (st.doctype)
			return dx_fail(c, -ENOTSUP, DX_UNSUP
				       "DOCTYPE declarations (DTDs, entities) are not supported by mkhv");
		return dx_fail(c, -ENOTSUP, DX_UNSUP
			       "documents of more than %d elements are not supported by mkhv",
			       DX_MAX_ELEMENTS);
	}
	if (!doc || !p->wellFormed) {
		e = xmlCtxtGetLastError(p);
		n = e && e->message ? strcspn(e->message, "\n") : 0;
		rc = e && e->code == XML_ERR_NO_MEMORY ? -ENOMEM : -EINVAL;
		dx_fail(c, rc, DX_XML "%.*s (line %d)", (int)n,
			n ? e->message : "malformed document", e ? e->line : 0);
		xmlFreeDoc(doc);
		xmlFreeParserCtxt(p);
		return rc;
	}
	xmlFreeParserCtxt(p);
	*out = doc;
	return 0;
}

int dx_load(struct dx_ctx *c, const char *xml, size_t len, xmlDocPtr *out)
{
	xmlDocPtr doc;
	int rc;

	/* xmlInitParser() (in rng_init) must run before any parse. */
	pthread_once(&rng_once, rng_init);
	rc = dx_read(c, xml, len, &doc);
	if (rc)
		return rc;
	rc = rng_validate(c, doc);
	if (rc) {
		xmlFreeDoc(doc);
		return rc;
	}
	*out = doc;
	return 0;
}
