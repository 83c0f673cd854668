/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mkhv domain definition: the parsed, validated form of a libvirt domain
 * XML document (<domain type='hyperv'>), and the contract between the XML
 * layer (domain_xml.c) and the rest of hvd (rpc.c, state, backends).
 *
 * Ownership: domain_xml_parse() fills a struct domain_def that the caller
 * releases with domain_def_clear().  Everything hvd needs to run a VM lives
 * here; the XML layer may add fields (devices, tuning) but the fields below
 * keep their meaning.
 */
#ifndef MKHV_HVD_DOMAIN_H
#define MKHV_HVD_DOMAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DOMAIN_NAME_MAX   64   /* bytes, without the NUL */
#define DOMAIN_UUID_LEN   16   /* raw bytes, as in virDomainGetUUID() */
#define DOMAIN_XML_MAX    (1u << 20) /* refuse larger documents */
#define DOMAIN_VCPUS_MAX  64   /* larger <vcpu> is -ENOTSUP */
#define DOMAIN_DISKS_MAX  64   /* more <disk>s is -ENOTSUP */
#define DOMAIN_NETS_MAX   32   /* more <interface>s is -ENOTSUP */

enum domain_disk_type   { DOMAIN_DISK_FILE, DOMAIN_DISK_BLOCK };
enum domain_disk_format { DOMAIN_DISK_RAW, DOMAIN_DISK_QCOW2 };
enum domain_net_type    { DOMAIN_NET_BRIDGE, DOMAIN_NET_NETWORK };

/*
 * libvirt's disk cache modes, <driver cache='...'>.  DEFAULT is libvirt's
 * "default" and an absent attribute alike: the hypervisor's default (the
 * worker's is writeback), so it is neither dumped nor passed to hvworker.
 */
enum domain_disk_cache {
	DOMAIN_DISK_CACHE_DEFAULT,
	DOMAIN_DISK_CACHE_NONE,
	DOMAIN_DISK_CACHE_WRITEBACK,
	DOMAIN_DISK_CACHE_WRITETHROUGH,
	DOMAIN_DISK_CACHE_DIRECTSYNC,
	DOMAIN_DISK_CACHE_UNSAFE,
	DOMAIN_DISK_CACHE_COUNT
};
enum domain_lifecycle   { DOMAIN_LC_DESTROY, DOMAIN_LC_RESTART,
			  DOMAIN_LC_PRESERVE, DOMAIN_LC_RENAME_RESTART };

struct domain_disk {
	enum domain_disk_type type;
	enum domain_disk_format format;
	char *source;          /* file or block device path */
	char *target;          /* target dev, e.g. "sda" */
	bool readonly;
	enum domain_disk_cache cache;
};

struct domain_net {
	enum domain_net_type type;
	char *source;          /* bridge name or network name */
	uint8_t mac[6];
	bool mac_set;          /* false: hvd generates one at define */
};

struct domain_def {
	char name[DOMAIN_NAME_MAX + 1];
	uint8_t uuid[DOMAIN_UUID_LEN];
	bool uuid_set;         /* false: hvd generates one at define */
	char *title;           /* may be NULL */
	char *description;     /* may be NULL */

	uint64_t memory_kib;       /* <memory>, in KiB */
	uint64_t cur_memory_kib;   /* <currentMemory>, defaults to memory */
	unsigned int vcpus;        /* <vcpu> */

	/* <cputune>: 0 means "not given" for each. */
	uint64_t shares;
	uint64_t period_us;
	int64_t quota_us;

	/* <os>: direct kernel boot only. */
	char *kernel;
	char *initrd;              /* may be NULL */
	char *cmdline;             /* may be NULL */

	enum domain_lifecycle on_poweroff, on_reboot, on_crash;

	struct domain_disk *disks;
	size_t ndisks;
	struct domain_net *nets;
	size_t nnets;
	bool console;              /* a <console type='pty'> is present */
	bool serial;               /* a <serial> (pty or file) is present */
	char *serial_file;         /* <serial type='file'><source path>, or NULL */
};

/*
 * domain_xml_parse() - parse and validate one domain XML document.
 * @xml:    the document, not necessarily NUL-terminated
 * @len:    its length in bytes (> DOMAIN_XML_MAX is refused)
 * @out:    filled on success; untouched-but-zeroed on failure
 * @err:    on failure, a one-line message for the admin (libvirt style,
 *          e.g. "unsupported configuration: element 'hostdev' ...")
 * @errlen: size of @err
 *
 * Parses with libxml2 without network, entities, DTD loading or XInclude,
 * refuses DOCTYPE, validates against libvirt's RelaxNG domain schema, then
 * applies mkhv's semantic checks (type must be 'hyperv', supported subset).
 *
 * Return: 0 on success; -EINVAL for an invalid document (XML error, schema
 * violation), -ENOTSUP for valid libvirt XML that mkhv does not support,
 * -E2BIG when too large, -ENOMEM; -ENOENT when libvirt's domain.rng is not
 * installed (a broken host, reported as "internal error: ...").
 * Thread-safe: the schema is compiled once, on first use.
 */
int domain_xml_parse(const char *xml, size_t len, struct domain_def *out,
		     char *err, size_t errlen);

/*
 * domain_xml_format() - the canonical XML of @def (what `virsh dumpxml`
 * shows).  Returns a malloc'd NUL-terminated string or NULL on ENOMEM.
 * domain_xml_parse(domain_xml_format(d)) yields a def equal to d.
 */
char *domain_xml_format(const struct domain_def *def);

/*
 * domain_disk_cache_name() - @c as libvirt spells it in <driver cache=...>,
 * which is also hvworker's --disk cache= value; NULL when out of range.
 */
static inline const char *domain_disk_cache_name(enum domain_disk_cache c)
{
	static const char *const names[DOMAIN_DISK_CACHE_COUNT] = {
		[DOMAIN_DISK_CACHE_DEFAULT]      = "default",
		[DOMAIN_DISK_CACHE_NONE]         = "none",
		[DOMAIN_DISK_CACHE_WRITEBACK]    = "writeback",
		[DOMAIN_DISK_CACHE_WRITETHROUGH] = "writethrough",
		[DOMAIN_DISK_CACHE_DIRECTSYNC]   = "directsync",
		[DOMAIN_DISK_CACHE_UNSAFE]       = "unsafe",
	};

	return (unsigned int)c < DOMAIN_DISK_CACHE_COUNT ? names[c] : NULL;
}

/* The mode to write out (dump, hvworker): NULL for DEFAULT, which is left out. */
static inline const char *domain_disk_cache_given(enum domain_disk_cache c)
{
	return c == DOMAIN_DISK_CACHE_DEFAULT ? NULL : domain_disk_cache_name(c);
}

/* domain_def_clear() - release everything @def owns (not @def itself) and zero it. */
void domain_def_clear(struct domain_def *def);

#endif /* MKHV_HVD_DOMAIN_H */
