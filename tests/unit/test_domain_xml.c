// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for parent/hvd/domain_xml*.c: accepted documents, refusal of
 * unsupported elements by name, hostile input, and the canonical round trip.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "domain.h"
#include "domain_xml_testutil.h"

static char err[512];

static int parse(const char *xml, struct domain_def *d)
{
	return domain_xml_parse(xml, strlen(xml), d, err, sizeof(err));
}

/* A minimal valid document with @body inserted before </domain>. */
static char *doc(const char *body)
{
	static const char fmt[] =
		"<domain type='hyperv'>\n  <name>web1</name>\n"
		"  <memory unit='MiB'>512</memory>\n  <vcpu>1</vcpu>\n"
		"  <os><type>hvm</type><kernel>/boot/vmlinuz</kernel></os>\n"
		"%s</domain>\n";
	char *s;

	ck_assert_int_gt(asprintf(&s, fmt, body), 0);
	return s;
}

/* Parse doc(@body), expect @rc and, when given, @needle in the message. */
static void expect(const char *body, int rc, const char *needle)
{
	struct domain_def d;
	char *x = doc(body);
	int got = parse(x, &d);

	ck_assert_msg(got == rc, "%s: got %d (%s), want %d", body, got, err, rc);
	if (needle)
		ck_assert_msg(strstr(err, needle), "%s: message '%s' lacks '%s'",
			      body, err, needle);
	domain_def_clear(&d);
	free(x);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ good */

START_TEST(test_minimal_defaults)
{
	struct domain_def d;
	char *x = doc("");

	ck_assert_int_eq(parse(x, &d), 0);
	ck_assert_str_eq(d.name, "web1");
	ck_assert(!d.uuid_set);
	ck_assert_uint_eq(d.memory_kib, 512 * 1024);
	ck_assert_uint_eq(d.cur_memory_kib, 512 * 1024);
	ck_assert_uint_eq(d.vcpus, 1);
	ck_assert_str_eq(d.kernel, "/boot/vmlinuz");
	ck_assert_ptr_null(d.initrd);
	ck_assert_ptr_null(d.cmdline);
	ck_assert_ptr_null(d.title);
	ck_assert_int_eq(d.on_poweroff, DOMAIN_LC_DESTROY);
	ck_assert_int_eq(d.on_reboot, DOMAIN_LC_RESTART);
	ck_assert_int_eq(d.on_crash, DOMAIN_LC_DESTROY);
	ck_assert_uint_eq(d.ndisks, 0);
	ck_assert_uint_eq(d.nnets, 0);
	ck_assert(!d.console && !d.serial);
	ck_assert(!d.shares && !d.period_us && !d.quota_us);
	domain_def_clear(&d);
	free(x);
}
END_TEST

START_TEST(test_example_web1)
{
	static const uint8_t uuid[16] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab,
		0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0x01 };
	struct domain_def d;
	size_t len;
	char *x = tu_read("configs/examples/web1.xml", &len);

	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(domain_xml_parse(x, len, &d, err, sizeof(err)), 0);
	ck_assert(d.uuid_set);
	ck_assert_mem_eq(d.uuid, uuid, 16);
	ck_assert_str_eq(d.title, "Web server 1");
	ck_assert_str_eq(d.description, "Front end & \"cache\"\nsecond line");
	ck_assert_uint_eq(d.memory_kib, 512 * 1024);
	ck_assert_uint_eq(d.cur_memory_kib, 256 * 1024);
	ck_assert_uint_eq(d.vcpus, 2);
	ck_assert_uint_eq(d.shares, 2048);
	ck_assert_uint_eq(d.period_us, 100000);
	ck_assert_int_eq(d.quota_us, -1);
	ck_assert_str_eq(d.initrd, "/var/lib/mkhv/images/initrd.img");
	ck_assert_str_eq(d.cmdline, "console=ttyS0 root=/dev/sda1");
	ck_assert_int_eq(d.on_crash, DOMAIN_LC_PRESERVE);
	ck_assert_uint_eq(d.ndisks, 2);
	ck_assert_int_eq(d.disks[0].type, DOMAIN_DISK_FILE);
	ck_assert_int_eq(d.disks[0].format, DOMAIN_DISK_QCOW2);
	ck_assert_str_eq(d.disks[0].source, "/var/lib/mkhv/images/web1.qcow2");
	ck_assert_str_eq(d.disks[0].target, "sda");
	ck_assert(!d.disks[0].readonly);
	ck_assert_int_eq(d.disks[1].type, DOMAIN_DISK_BLOCK);
	ck_assert_int_eq(d.disks[1].format, DOMAIN_DISK_RAW);
	ck_assert_str_eq(d.disks[1].source, "/dev/vg0/web1-data");
	ck_assert_str_eq(d.disks[1].target, "sdb");
	ck_assert(d.disks[1].readonly);
	ck_assert_uint_eq(d.nnets, 2);
	ck_assert_int_eq(d.nets[0].type, DOMAIN_NET_BRIDGE);
	ck_assert_str_eq(d.nets[0].source, "br0");
	ck_assert(d.nets[0].mac_set);
	ck_assert_mem_eq(d.nets[0].mac, mac, 6);
	ck_assert_int_eq(d.nets[1].type, DOMAIN_NET_NETWORK);
	ck_assert_str_eq(d.nets[1].source, "default");
	ck_assert(!d.nets[1].mac_set);
	ck_assert(d.console && d.serial);
	domain_def_clear(&d);
	free(x);
}
END_TEST

/* <serial type='file'>: the console log path hvd gives the worker. */
START_TEST(test_serial_file)
{
	struct domain_def d, back;
	char *x = doc("<devices><serial type='file'><source path='/var/log/c1.log'/>"
		      "<target port='0'/></serial><console type='pty'/></devices>");
	char *out;

	ck_assert_int_eq(parse(x, &d), 0);
	ck_assert(d.serial && d.console);
	ck_assert_str_eq(d.serial_file, "/var/log/c1.log");
	out = domain_xml_format(&d);
	ck_assert_ptr_nonnull(strstr(out, "<serial type='file'>"));
	ck_assert_int_eq(parse(out, &back), 0);
	ck_assert_str_eq(back.serial_file, "/var/log/c1.log");
	domain_def_clear(&back);
	free(out);
	domain_def_clear(&d);
	free(x);
	x = doc("<devices><serial type='file'/></devices>");
	ck_assert_int_ne(parse(x, &d), 0);
	free(x);
}
END_TEST

START_TEST(test_uuid_forms)
{
	struct domain_def a, b;
	char *x = doc("  <uuid>8F1E3A527C114B7E9D2A0C5E6F7A8B9C</uuid>\n");
	char *y = doc("  <uuid>8f1e3a52-7c11-4b7e-9d2a-0c5e6f7a8b9c</uuid>\n");

	ck_assert_int_eq(parse(x, &a), 0);
	ck_assert_int_eq(parse(y, &b), 0);
	ck_assert(a.uuid_set && b.uuid_set);
	ck_assert_mem_eq(a.uuid, b.uuid, 16);
	ck_assert_uint_eq(a.uuid[0], 0x8f);
	ck_assert_uint_eq(a.uuid[15], 0x9c);
	domain_def_clear(&a);
	domain_def_clear(&b);
	free(x);
	free(y);
}
END_TEST

static const struct {
	const char *unit;	/* NULL: no unit= attribute (KiB) */
	const char *value;
	uint64_t kib;
} mem_cases[] = {
	{ NULL, "524288", 524288 },
	{ "b", "1000", 1 },		/* rounded up to a KiB, as libvirt */
	{ "bytes", "1048576", 1024 },
	{ "byte", "2048", 2 },
	{ "k", "7", 7 },
	{ "KiB", "7", 7 },
	{ "KB", "1024", 1000 },
	{ "M", "3", 3072 },
	{ "MiB", "512", 524288 },
	{ "MB", "1", 977 },		/* 10^6 bytes, rounded up */
	{ "G", "2", 2097152 },
	{ "gib", "1", 1048576 },
	{ "GB", "1", 976563 },
	{ "T", "1", 1073741824ULL },
	{ "TiB", "4", 4294967296ULL },
	{ "P", "1", 1099511627776ULL },
	{ "E", "7", 7696581394432ULL * 1024 },
	{ "KiB", "9007199254740991", 9007199254740991ULL },
};

START_TEST(test_memory_units)
{
	char body[160], mem[96];
	struct domain_def d;
	char *x;

	if (mem_cases[_i].unit)
		snprintf(mem, sizeof(mem), "<memory unit='%s'>%s</memory>",
			 mem_cases[_i].unit, mem_cases[_i].value);
	else
		snprintf(mem, sizeof(mem), "<memory>%s</memory>",
			 mem_cases[_i].value);
	/* Replace the template's <memory> by this case's. */
	x = doc("");
	snprintf(body, sizeof(body), "%s", mem);
	{
		char *p = strstr(x, "<memory"), *q = strstr(x, "</memory>") + 9;
		char *y;

		ck_assert_int_gt(asprintf(&y, "%.*s%s%s", (int)(p - x), x, body, q), 0);
		free(x);
		x = y;
	}
	ck_assert_msg(parse(x, &d) == 0, "%s: %s", mem, err);
	ck_assert_msg(d.memory_kib == mem_cases[_i].kib, "%s: %llu KiB", mem,
		      (unsigned long long)d.memory_kib);
	domain_def_clear(&d);
	free(x);
}
END_TEST

START_TEST(test_current_memory)
{
	struct domain_def d;
	char *x = doc("  <currentMemory unit='MiB'>256</currentMemory>\n");

	ck_assert_int_eq(parse(x, &d), 0);
	ck_assert_uint_eq(d.cur_memory_kib, 256 * 1024);
	domain_def_clear(&d);
	free(x);
	/* Larger than <memory> is clamped to it, as libvirt does. */
	x = doc("  <currentMemory unit='GiB'>4</currentMemory>\n");
	ck_assert_int_eq(parse(x, &d), 0);
	ck_assert_uint_eq(d.cur_memory_kib, d.memory_kib);
	domain_def_clear(&d);
	free(x);
}
END_TEST

START_TEST(test_cputune)
{
	struct domain_def d;
	char *x = doc("<cputune><shares>2</shares><period>1000</period>"
		      "<quota>17592186044415</quota></cputune>");

	ck_assert_int_eq(parse(x, &d), 0);
	ck_assert_uint_eq(d.shares, 2);
	ck_assert_uint_eq(d.period_us, 1000);
	ck_assert_int_eq(d.quota_us, 17592186044415LL);
	domain_def_clear(&d);
	free(x);
	/* quota 0 means "not set" in libvirt too. */
	expect("<cputune><quota>0</quota></cputune>", 0, NULL);
	expect("<cputune><shares>262144</shares></cputune>", 0, NULL);
}
END_TEST

START_TEST(test_lifecycle)
{
	struct domain_def d;
	char *x = doc("<on_poweroff>preserve</on_poweroff>"
		      "<on_reboot>rename-restart</on_reboot>"
		      "<on_crash>restart</on_crash>");

	ck_assert_int_eq(parse(x, &d), 0);
	ck_assert_int_eq(d.on_poweroff, DOMAIN_LC_PRESERVE);
	ck_assert_int_eq(d.on_reboot, DOMAIN_LC_RENAME_RESTART);
	ck_assert_int_eq(d.on_crash, DOMAIN_LC_RESTART);
	domain_def_clear(&d);
	free(x);
}
END_TEST

START_TEST(test_disk_bus_derived)
{
	struct domain_def d;
	char *x = doc("<devices><disk type='file'><source file='/a'/>"
		      "<target dev='sdq'/></disk></devices>");

	ck_assert_int_eq(parse(x, &d), 0);
	ck_assert_uint_eq(d.ndisks, 1);
	ck_assert_str_eq(d.disks[0].target, "sdq");
	ck_assert_int_eq(d.disks[0].format, DOMAIN_DISK_RAW);
	domain_def_clear(&d);
	free(x);
}
END_TEST

/* <driver cache=...>: every libvirt mode, and none or "default" as unset. */
static const struct {
	const char *attr;	/* the driver attribute, "" for none */
	enum domain_disk_cache cache;
	const char *dumped;	/* what the dump's <driver> carries */
} cache_cases[] = {
	{ "", DOMAIN_DISK_CACHE_DEFAULT, "<driver name='qemu' type='raw'/>" },
	{ " cache='default'", DOMAIN_DISK_CACHE_DEFAULT,
	  "<driver name='qemu' type='raw'/>" },
	{ " cache='none'", DOMAIN_DISK_CACHE_NONE,
	  "<driver name='qemu' type='raw' cache='none'/>" },
	{ " cache='writeback'", DOMAIN_DISK_CACHE_WRITEBACK,
	  "<driver name='qemu' type='raw' cache='writeback'/>" },
	{ " cache='writethrough'", DOMAIN_DISK_CACHE_WRITETHROUGH,
	  "<driver name='qemu' type='raw' cache='writethrough'/>" },
	{ " cache='directsync'", DOMAIN_DISK_CACHE_DIRECTSYNC,
	  "<driver name='qemu' type='raw' cache='directsync'/>" },
	{ " cache='unsafe'", DOMAIN_DISK_CACHE_UNSAFE,
	  "<driver name='qemu' type='raw' cache='unsafe'/>" },
	{ " cache='&#110;one'", DOMAIN_DISK_CACHE_NONE,	/* a character reference */
	  "<driver name='qemu' type='raw' cache='none'/>" },
};

START_TEST(test_disk_cache_modes)
{
	struct domain_def d, back;
	char body[256], *x, *y;

	snprintf(body, sizeof(body),
		 "<devices><disk type='file'><driver name='qemu'%s/>"
		 "<source file='/a'/><target dev='sda'/></disk></devices>",
		 cache_cases[_i].attr);
	x = doc(body);
	ck_assert_msg(parse(x, &d) == 0, "%s: %s", body, err);
	ck_assert_int_eq(d.disks[0].cache, cache_cases[_i].cache);
	y = domain_xml_format(&d);
	ck_assert_ptr_nonnull(y);
	ck_assert_msg(strstr(y, cache_cases[_i].dumped), "%s: dump lacks %s:\n%s",
		      body, cache_cases[_i].dumped, y);
	if (cache_cases[_i].cache == DOMAIN_DISK_CACHE_DEFAULT)
		ck_assert_ptr_null(strstr(y, "cache="));
	ck_assert_int_eq(parse(y, &back), 0);
	ck_assert_int_eq(back.disks[0].cache, cache_cases[_i].cache);
	ck_assert_ptr_null(tu_def_diff(&d, &back));
	domain_def_clear(&d);
	domain_def_clear(&back);
	free(x);
	free(y);
}
END_TEST

/* The mode is per disk and independent of format and <readonly/>. */
START_TEST(test_disk_cache_per_disk)
{
	struct domain_def d;
	size_t len;
	char *x = tu_corpus_read("valid-disk-cache-modes.xml", &len);

	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(domain_xml_parse(x, len, &d, err, sizeof(err)), 0);
	ck_assert_uint_eq(d.ndisks, 4);
	ck_assert_int_eq(d.disks[0].cache, DOMAIN_DISK_CACHE_WRITEBACK);
	ck_assert_int_eq(d.disks[0].format, DOMAIN_DISK_QCOW2);
	ck_assert_int_eq(d.disks[1].cache, DOMAIN_DISK_CACHE_WRITETHROUGH);
	ck_assert(d.disks[1].readonly);
	ck_assert_int_eq(d.disks[1].type, DOMAIN_DISK_BLOCK);
	ck_assert_int_eq(d.disks[2].cache, DOMAIN_DISK_CACHE_DIRECTSYNC);
	ck_assert_int_eq(d.disks[2].format, DOMAIN_DISK_RAW);
	ck_assert_int_eq(d.disks[3].cache, DOMAIN_DISK_CACHE_UNSAFE);
	domain_def_clear(&d);
	free(x);
	/* The names are libvirt's, in order; nothing past the last. */
	ck_assert_str_eq(domain_disk_cache_name(DOMAIN_DISK_CACHE_DEFAULT), "default");
	ck_assert_str_eq(domain_disk_cache_name(DOMAIN_DISK_CACHE_UNSAFE), "unsafe");
	ck_assert_ptr_null(domain_disk_cache_name(DOMAIN_DISK_CACHE_COUNT));
	ck_assert_ptr_null(domain_disk_cache_name((enum domain_disk_cache)-1));
	ck_assert_ptr_null(domain_disk_cache_given(DOMAIN_DISK_CACHE_DEFAULT));
	ck_assert_str_eq(domain_disk_cache_given(DOMAIN_DISK_CACHE_NONE), "none");
}
END_TEST

/*
 * A mode libvirt does not know: refused, nothing kept.  The schema's
 * <value> compares whitespace-collapsed tokens, so " none" passes it; the
 * parser then refuses it in libvirt's own words (virsh shows the same line).
 */
#define DX_CACHE_INVALID "XML error: Invalid value for attribute 'cache' in element 'driver': "
static const struct {
	const char *value;
	const char *needle;
} bad_caches[] = {
	{ "bogus", "failed to validate" },
	{ "None", "failed to validate" },
	{ "NONE", "failed to validate" },
	{ "", "failed to validate" },
	{ "write-back", "failed to validate" },
	{ "off", "failed to validate" },
	{ "default,none", "failed to validate" },
	{ "&#110;on&#101;&#110;", "failed to validate" },
	{ " none", DX_CACHE_INVALID "' none'." },
	{ "none ", DX_CACHE_INVALID "'none '." },
	{ "none&#9;", DX_CACHE_INVALID "'none '." },	/* tab shown as a space */
	{ "&#10;unsafe&#10;", DX_CACHE_INVALID "' unsafe '." },
	{ " default ", DX_CACHE_INVALID "' default '." },
};

START_TEST(test_disk_cache_bad)
{
	struct domain_def d, zero;
	char body[256], *x;

	snprintf(body, sizeof(body),
		 "<devices><disk type='file'><driver name='qemu' type='raw' cache='%s'/>"
		 "<source file='/a'/><target dev='sda'/></disk></devices>",
		 bad_caches[_i].value);
	x = doc(body);
	memset(&zero, 0, sizeof(zero));
	memset(&d, 0xa5, sizeof(d));
	ck_assert_msg(parse(x, &d) == -EINVAL, "%s: accepted or wrong verdict (%s)",
		      body, err);
	ck_assert_msg(strstr(err, bad_caches[_i].needle), "%s: '%s'", body, err);
	ck_assert_mem_eq(&d, &zero, sizeof(d));
	free(x);
}
END_TEST

START_TEST(test_empty_text_is_unset)
{
	struct domain_def d;
	char *x = doc("<description></description>");

	ck_assert_int_eq(parse(x, &d), 0);
	ck_assert_ptr_null(d.description);
	domain_def_clear(&d);
	free(x);
}
END_TEST

START_TEST(test_latin1_encoding)
{
	static const char x[] =
		"<?xml version='1.0' encoding='ISO-8859-1'?>\n"
		"<domain type='hyperv'><name>caf\xe9</name>"
		"<memory>1024</memory><vcpu>1</vcpu>"
		"<os><type>hvm</type><kernel>/k</kernel></os></domain>";
	struct domain_def d;

	ck_assert_int_eq(parse(x, &d), 0);
	ck_assert_str_eq(d.name, "caf\xc3\xa9");
	domain_def_clear(&d);
}
END_TEST

START_TEST(test_corpus_verdicts)
{
	struct domain_def d;
	size_t n, i, len;
	char **names = tu_corpus(&n);
	int rc, want;
	char *x;

	ck_assert_uint_ge(n, 100);
	for (i = 0; i < n; i++) {
		x = tu_corpus_read(names[i], &len);
		ck_assert_ptr_nonnull(x);
		want = tu_expected(names[i]);
		rc = domain_xml_parse(x, len, &d, err, sizeof(err));
		ck_assert_msg(rc == want, "%s: got %d (%s), want %d", names[i],
			      rc, err, want);
		if (rc)
			ck_assert_msg(err[0] && !strchr(err, '\n'),
				      "%s: bad message '%s'", names[i], err);
		if (rc == -ENOTSUP)
			ck_assert_msg(strstr(err, "unsupported configuration: ") == err &&
				      strstr(err, "mkhv"), "%s: '%s'", names[i], err);
		domain_def_clear(&d);
		free(x);
	}
	tu_free_corpus(names, n);
}
END_TEST

/* ------------------------------------------------- unsupported, by name */

static const struct {
	const char *body;
	const char *name;	/* must appear quoted in the message */
} unsup[] = {
	{ "<devices><hostdev mode='subsystem' type='pci'><source><address domain='0' bus='0' slot='1' function='0'/></source></hostdev></devices>",
	  "element 'hostdev' is not supported by mkhv" },
	{ "<devices><graphics type='vnc'/></devices>", "'graphics'" },
	{ "<devices><video><model type='vga'/></video></devices>", "'video'" },
	{ "<devices><controller type='scsi' index='0'/></devices>", "'controller'" },
	{ "<devices><memballoon model='none'/></devices>", "'memballoon'" },
	{ "<devices><emulator>/usr/bin/qemu</emulator></devices>", "'emulator'" },
	{ "<devices><watchdog model='i6300esb'/></devices>", "'watchdog'" },
	{ "<devices><rng model='virtio'><backend model='random'>/dev/urandom</backend></rng></devices>", "'rng'" },
	{ "<devices><channel type='pty'><target type='virtio'/></channel></devices>", "'channel'" },
	{ "<devices><input type='tablet' bus='usb'/></devices>", "'input'" },
	{ "<clock offset='utc'/>", "'clock'" },
	{ "<features><acpi/></features>", "'features'" },
	{ "<cpu mode='host-passthrough'/>", "'cpu'" },
	{ "<metadata><x:y xmlns:x='urn:x'/></metadata>", "'metadata'" },
	{ "<memoryBacking><hugepages/></memoryBacking>", "'memoryBacking'" },
	{ "<blkiotune><weight>500</weight></blkiotune>", "'blkiotune'" },
	{ "<resource><partition>/machine</partition></resource>", "'resource'" },
	{ "<pm><suspend-to-mem enabled='no'/></pm>", "'pm'" },
	{ "<seclabel type='none'/>", "'seclabel'" },
	{ "<iothreads>2</iothreads>", "'iothreads'" },
	{ "<maxMemory slots='4' unit='GiB'>8</maxMemory>", "'maxMemory'" },
	{ "<cputune><vcpupin vcpu='0' cpuset='1'/></cputune>", "'vcpupin' in 'cputune'" },
	{ "<cputune><emulator_period>1000</emulator_period></cputune>", "'emulator_period'" },
	{ "<on_lockfailure>poweroff</on_lockfailure>", "'on_lockfailure'" },
	{ "<devices><disk type='file' device='disk'><source file='/a'/><target dev='sda'/><boot order='1'/></disk></devices>",
	  "'boot' in 'disk'" },
	{ "<devices><disk type='file' device='disk'><source file='/a'/><target dev='sda'/><iotune><total_bytes_sec>1</total_bytes_sec></iotune></disk></devices>",
	  "'iotune'" },
	{ "<devices><disk type='file' device='disk' snapshot='no'><source file='/a'/><target dev='sda'/></disk></devices>",
	  "attribute 'snapshot' of element 'disk'" },
	{ "<devices><disk type='file' device='disk'><driver name='qemu' type='raw' io='native'/><source file='/a'/><target dev='sda'/></disk></devices>",
	  "attribute 'io' of element 'driver'" },
	{ "<devices><disk type='file' device='disk'><source file='/a' startupPolicy='optional'/><target dev='sda'/></disk></devices>",
	  "attribute 'startupPolicy' of element 'source'" },
	{ "<devices><disk type='file' device='disk'><source file='/a'/><target dev='sda' bus='sata'/></disk></devices>",
	  "disk bus 'sata'" },
	{ "<devices><disk type='file' device='floppy'><source file='/a'/><target dev='fda'/></disk></devices>",
	  "disk device 'floppy'" },
	{ "<devices><disk type='block' device='lun'><source dev='/dev/sdb'/><target dev='sda' bus='scsi'/></disk></devices>",
	  "disk device 'lun'" },
	{ "<devices><interface type='bridge'><source bridge='br0'/><bandwidth><inbound average='1000'/></bandwidth></interface></devices>",
	  "'bandwidth' in 'interface'" },
	{ "<devices><interface type='bridge'><source bridge='br0'/><virtualport type='openvswitch'/></interface></devices>",
	  "'virtualport'" },
	{ "<devices><interface type='bridge'><source bridge='br0'/><filterref filter='clean-traffic'/></interface></devices>",
	  "'filterref'" },
	{ "<devices><interface type='bridge'><source bridge='br0'/><mtu size='9000'/></interface></devices>",
	  "'mtu'" },
	{ "<devices><interface type='ethernet'/></devices>", "interface type 'ethernet'" },
	{ "<devices><interface type='bridge'><source bridge='br0'/><model type='e1000'/></interface></devices>",
	  "interface model 'e1000'" },
	{ "<devices><serial type='tcp'><source mode='bind' host='127.0.0.1' service='4555'/></serial></devices>", "serial type 'tcp'" },
	{ "<devices><serial type='file'><source path='relative/log'/></serial></devices>", "relative/log" },
	{ "<devices><console type='file'><source path='/tmp/c'/></console></devices>", "console type 'file'" },
	{ "<devices><serial type='pty'><target port='1'/></serial></devices>", "target port '1'" },
	{ "<devices><serial type='pty'/><serial type='pty'/></devices>", "more than one serial" },
	{ "<devices><console type='pty'><log file='/tmp/l'/></console></devices>", "'log' in 'console'" },
	{ "<devices><console type='pty'><target type='sclp'/></console></devices>", "console target type 'sclp'" },
	{ "<on_crash>coredump-restart</on_crash>", "on_crash action 'coredump-restart'" },
	{ "<vcpu>2</vcpu>", NULL },	/* placeholder replaced below: invalid */
};

START_TEST(test_unsupported_by_name)
{
	if (!unsup[_i].name) {
		/* A second <vcpu> is a schema error, not "unsupported". */
		expect(unsup[_i].body, -EINVAL, "failed to validate");
		return;
	}
	expect(unsup[_i].body, -ENOTSUP, unsup[_i].name);
}
END_TEST

START_TEST(test_unsupported_root_attrs)
{
	static const char x[] =
		"<domain type='kvm' id='1'><name>a</name><memory>1024</memory>"
		"<vcpu>1</vcpu><os><type>hvm</type><kernel>/k</kernel></os></domain>";
	struct domain_def d;

	ck_assert_int_eq(parse(x, &d), -ENOTSUP);
	ck_assert_ptr_nonnull(strstr(err, "'id'"));
}
END_TEST

START_TEST(test_unsupported_limits)
{
	char body[64 * 120 + 64], *p = body;
	int i;

	expect("", 0, NULL);
	/* vcpu: 64 is the cap, beyond is unsupported, 0 is invalid. */
	{
		struct domain_def d;
		char *x = doc(""), *v = strstr(x, "<vcpu>1<");

		memcpy(v, "<vcpu>0<", 8);
		ck_assert_int_eq(parse(x, &d), -EINVAL);
		free(x);
	}
	p += sprintf(p, "<devices>");
	for (i = 0; i < DOMAIN_DISKS_MAX + 1; i++)
		p += sprintf(p, "<disk type='file'><source file='/d%d'/>"
			     "<target dev='sd%c%c'/></disk>", i,
			     'a' + i / 26, 'a' + i % 26);
	sprintf(p, "</devices>");
	expect(body, -ENOTSUP, "more than 64 disks");
}
END_TEST

/* ------------------------------------------------------------ invalid */

static const struct {
	const char *body;
	const char *needle;
} invalid[] = {
	{ "<name>b</name>", "failed to validate" },		/* duplicate */
	{ "<memory>1</memory>", "failed to validate" },	/* duplicate */
	{ "<uuid>8f1e3a52-7c11-4b7e-9d2a-0c5e6f7a8b9</uuid>", "failed to validate" },
	{ "<cputune><shares>1</shares></cputune>", "'shares' must be in range" },
	{ "<cputune><quota>999</quota></cputune>", "'quota' must be in range" },
	{ "<cputune><period>999</period></cputune>", "failed to validate" },
	{ "<devices><disk type='file'><source file='/a'/><target dev='sda'/></disk>"
	  "<disk type='file'><source file='/b'/><target dev='sda'/></disk></devices>",
	  "target 'sda' duplicated" },
	{ "<devices><disk type='block'><target dev='sda'/></disk></devices>",
	  "missing source information for device sda" },
	{ "<devices><interface type='network'/></devices>", "failed to validate" },
	{ "<devices><interface type='bridge'><mac address='52:54:00:00:00:01'/></interface></devices>",
	  "interface type='bridge' requires a 'source' element" },
	{ "<devices><interface type='bridge'><mac address='01:00:5e:00:00:01'/>"
	  "<source bridge='br0'/></interface></devices>", "failed to validate" },
	{ "<devices><console type='pty'/><console type='pty'/></devices>",
	  "Only the first console" },
	{ "<frobnicate/>", "extra content: frobnicate" },
};

START_TEST(test_invalid)
{
	expect(invalid[_i].body, -EINVAL, invalid[_i].needle);
}
END_TEST

START_TEST(test_name_rules)
{
	static const char *const bad[] = { "web/1", "/", "a/" };
	static const char fmt[] =
		"<domain type='hyperv'><name>%s</name><memory>1024</memory>"
		"<vcpu>1</vcpu><os><type>hvm</type><kernel>/k</kernel></os></domain>";
	char x[512], name[80];
	struct domain_def d;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(x, sizeof(x), fmt, bad[i]);
		ck_assert_int_eq(parse(x, &d), -EINVAL);
		ck_assert_ptr_nonnull(strstr(err, "cannot contain '/'"));
	}
	memset(name, 'n', 64);
	name[64] = '\0';
	snprintf(x, sizeof(x), fmt, name);
	ck_assert_int_eq(parse(x, &d), 0);
	ck_assert_uint_eq(strlen(d.name), 64);
	domain_def_clear(&d);
	strcat(name, "n");
	snprintf(x, sizeof(x), fmt, name);
	ck_assert_int_eq(parse(x, &d), -ENOTSUP);
	snprintf(x, sizeof(x), fmt, "a&#1;b");	/* not even XML 1.0 */
	ck_assert_int_eq(parse(x, &d), -EINVAL);
	snprintf(x, sizeof(x), fmt, "a&#10;b");	/* newline: schema error */
	ck_assert_int_eq(parse(x, &d), -EINVAL);
}
END_TEST

static const struct {
	const char *mem;
	const char *needle;
} bad_mem[] = {
	{ "<memory unit='EiB'>8</memory>", "numerical overflow" },
	{ "<memory unit='KiB'>9007199254740992</memory>", "numerical overflow" },
	{ "<memory unit='b'>9223372036854775807</memory>", "numerical overflow" },
	{ "<memory>18446744073709551615</memory>", "numerical overflow" },
	{ "<memory>18446744073709551616</memory>", "failed to validate" },
	{ "<memory>0</memory>", "Memory size must be specified" },
	{ "<memory unit='b'>0</memory>", "Memory size must be specified" },
	{ "<memory>-1</memory>", "failed to validate" },
	{ "<memory>0x10</memory>", "failed to validate" },
	{ "<memory>1e6</memory>", "failed to validate" },
	{ "<memory unit='KIB'>1</memory>", NULL },	/* case-insensitive: ok */
	{ "<memory unit='Ki'>1</memory>", "failed to validate" },
	{ "<memory unit='kib '>1</memory>", "failed to validate" },
	{ "<memory unit=''>1</memory>", "failed to validate" },
};

START_TEST(test_memory_bad)
{
	struct domain_def d;
	char *x = doc(""), *y, *p = strstr(x, "<memory"),
	     *q = strstr(x, "</memory>") + 9;
	int rc;

	ck_assert_int_gt(asprintf(&y, "%.*s%s%s", (int)(p - x), x,
				  bad_mem[_i].mem, q), 0);
	rc = parse(y, &d);
	if (!bad_mem[_i].needle) {
		ck_assert_msg(rc == 0, "%s: %s", bad_mem[_i].mem, err);
		ck_assert_uint_eq(d.memory_kib, 1);
	} else {
		ck_assert_msg(rc == -EINVAL, "%s: %d", bad_mem[_i].mem, rc);
		ck_assert_msg(strstr(err, bad_mem[_i].needle), "%s: %s",
			      bad_mem[_i].mem, err);
	}
	domain_def_clear(&d);
	free(x);
	free(y);
}
END_TEST

START_TEST(test_failure_leaves_zeroed)
{
	struct domain_def d, zero;
	char *x = doc("<devices><disk type='file'><source file='/a'/><target dev='sda'/></disk>"
		      "<interface type='bridge'><source bridge='br0'/></interface>"
		      "<hostdev mode='subsystem' type='pci'><source><address domain='0' bus='0' slot='1' function='0'/></source></hostdev></devices>");

	memset(&zero, 0, sizeof(zero));
	memset(&d, 0xa5, sizeof(d));
	ck_assert_int_eq(parse(x, &d), -ENOTSUP);
	ck_assert_mem_eq(&d, &zero, sizeof(d));
	free(x);
}
END_TEST

START_TEST(test_error_buffer_edges)
{
	struct domain_def d;
	char *x = doc("<clock offset='utc'/>");
	char small[8];

	ck_assert_int_eq(domain_xml_parse(x, strlen(x), &d, NULL, 0), -ENOTSUP);
	memset(small, 'x', sizeof(small));
	ck_assert_int_eq(domain_xml_parse(x, strlen(x), &d, small, sizeof(small)),
			 -ENOTSUP);
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
	ck_assert_int_eq(domain_xml_parse(NULL, 0, &d, err, sizeof(err)), -EINVAL);
	free(x);
	/* Success clears a stale message. */
	x = doc("");
	ck_assert_int_eq(parse(x, &d), 0);
	ck_assert_str_eq(err, "");
	domain_def_clear(&d);
	domain_def_clear(NULL);
	free(x);
}
END_TEST

/* ------------------------------------------------------------ hostile */

START_TEST(test_billion_laughs)
{
	static const char x[] =
		"<?xml version='1.0'?>\n<!DOCTYPE domain [\n"
		" <!ENTITY a 'lollollollollollollollollollol'>\n"
		" <!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>\n"
		" <!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>\n"
		" <!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'>\n"
		" <!ENTITY e '&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;'>\n"
		" <!ENTITY f '&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;'>\n"
		" <!ENTITY g '&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;'>\n"
		" <!ENTITY h '&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;'>\n"
		" <!ENTITY i '&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;'>\n]>\n"
		"<domain type='hyperv'><name>a</name><description>&i;</description>"
		"<memory>1024</memory><vcpu>1</vcpu>"
		"<os><type>hvm</type><kernel>/k</kernel></os></domain>";
	struct domain_def d;
	double t = now();

	ck_assert_int_eq(parse(x, &d), -ENOTSUP);
	ck_assert_ptr_nonnull(strstr(err, "DOCTYPE"));
	ck_assert_double_lt(now() - t, 0.5);
}
END_TEST

/* A FIFO nobody writes to: a parser that tries to read it blocks for ever. */
static char fifo_path[64];

static void make_fifo(void)
{
	snprintf(fifo_path, sizeof(fifo_path), "/tmp/mkhv-xxe-%d", (int)getpid());
	unlink(fifo_path);
	ck_assert_int_eq(mkfifo(fifo_path, 0600), 0);
}

static const char *const xxe_fmt[] = {
	"<!DOCTYPE domain [<!ENTITY x SYSTEM 'file://%s'>]>"
	"<domain type='hyperv'><name>&x;</name><memory>1024</memory><vcpu>1</vcpu>"
	"<os><type>hvm</type><kernel>/k</kernel></os></domain>",
	"<!DOCTYPE domain SYSTEM '%s'>"
	"<domain type='hyperv'><name>a</name><memory>1024</memory><vcpu>1</vcpu>"
	"<os><type>hvm</type><kernel>/k</kernel></os></domain>",
	"<!DOCTYPE domain [<!ENTITY %% p SYSTEM '%s'> %%p;]>"
	"<domain type='hyperv'><name>a</name><memory>1024</memory><vcpu>1</vcpu>"
	"<os><type>hvm</type><kernel>/k</kernel></os></domain>",
	"<domain type='hyperv' xmlns:xi='http://www.w3.org/2001/XInclude'>"
	"<name>a</name><memory>1024</memory><vcpu>1</vcpu>"
	"<os><type>hvm</type><kernel>/k</kernel></os>"
	"<xi:include href='%s' parse='text'/></domain>",
};

START_TEST(test_external_entities_never_read)
{
	struct domain_def d;
	char x[1024];
	int rc;

	/*
	 * Even with libxml2's process-wide defaults turned hostile by some
	 * other code, nothing is substituted or loaded.
	 */
	xmlSubstituteEntitiesDefault(1);
	xmlLoadExtDtdDefaultValue = XML_DETECT_IDS | XML_COMPLETE_ATTRS;
	make_fifo();
	snprintf(x, sizeof(x), xxe_fmt[_i], fifo_path);
	rc = parse(x, &d);
	unlink(fifo_path);
	ck_assert_msg(rc == (_i == 3 ? -EINVAL : -ENOTSUP), "%d: %s", rc, err);
	ck_assert_ptr_null(strstr(err, "root:"));
}
END_TEST

START_TEST(test_passwd_not_disclosed)
{
	static const char x[] =
		"<!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
		"<domain type='hyperv'><name>a</name><description>&x;</description>"
		"<memory>1024</memory><vcpu>1</vcpu>"
		"<os><type>hvm</type><kernel>/k</kernel></os></domain>";
	struct domain_def d;

	ck_assert_int_eq(parse(x, &d), -ENOTSUP);
	ck_assert_ptr_null(strstr(err, "root"));
	ck_assert_ptr_null(d.description);
}
END_TEST

START_TEST(test_network_entity_no_connect)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	struct domain_def d;
	char x[1024];
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), c;

	ck_assert_int_ge(s, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(s, 4), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &sl), 0);
	snprintf(x, sizeof(x),
		 "<!DOCTYPE domain SYSTEM 'http://127.0.0.1:%d/d.dtd'>"
		 "<domain type='hyperv' xmlns:xi='http://www.w3.org/2001/XInclude'>"
		 "<name>a</name><memory>1024</memory><vcpu>1</vcpu>"
		 "<os><type>hvm</type><kernel>/k</kernel></os>"
		 "<xi:include href='http://127.0.0.1:%d/x'/></domain>",
		 ntohs(sa.sin_port), ntohs(sa.sin_port));
	ck_assert_int_eq(parse(x, &d), -ENOTSUP);
	/* Without the DOCTYPE the XInclude is only a schema error. */
	ck_assert_int_eq(parse(strstr(x, "<domain"), &d), -EINVAL);
	c = accept(s, NULL, NULL);
	ck_assert_int_eq(c, -1);
	close(s);
}
END_TEST

START_TEST(test_size_cap)
{
	struct domain_def d;
	size_t big = 10u << 20;
	char *x = malloc(big), *y;
	double t = now();

	ck_assert_ptr_nonnull(x);
	memset(x, ' ', big);
	ck_assert_int_eq(domain_xml_parse(x, big, &d, err, sizeof(err)), -E2BIG);
	ck_assert_int_eq(domain_xml_parse(x, DOMAIN_XML_MAX + 1, &d, err,
					  sizeof(err)), -E2BIG);
	ck_assert_double_lt(now() - t, 0.1);
	/* A valid document padded to exactly the cap is accepted. */
	y = doc("<!--");
	{
		size_t l = strlen(y), tail = strlen("</domain>\n");

		memcpy(x, y, l - tail);
		memset(x + l - tail, 'x', DOMAIN_XML_MAX - l - 3);
		memcpy(x + DOMAIN_XML_MAX - tail - 3, "-->", 3);
		memcpy(x + DOMAIN_XML_MAX - tail, "</domain>\n", tail);
	}
	ck_assert_msg(domain_xml_parse(x, DOMAIN_XML_MAX, &d, err, sizeof(err)) == 0,
		      "%s", err);
	domain_def_clear(&d);
	free(x);
	free(y);
}
END_TEST

START_TEST(test_deep_nesting)
{
	const int levels = 10000;
	size_t i, off = 0, len = (size_t)levels * 7 + 256;
	char *x = malloc(len);
	struct domain_def d;
	double t = now();

	ck_assert_ptr_nonnull(x);
	off += sprintf(x, "<domain type='hyperv'><name>a</name><description>");
	for (i = 0; i < (size_t)levels; i++)
		off += sprintf(x + off, "<a>");
	for (i = 0; i < (size_t)levels; i++)
		off += sprintf(x + off, "</a>");
	off += sprintf(x + off, "</description></domain>");
	ck_assert_int_eq(domain_xml_parse(x, off, &d, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "XML error"));
	ck_assert_double_lt(now() - t, 1.0);
	free(x);
}
END_TEST

/* libxml2 2.9's pairwise duplicate-attribute check: must not be reachable. */
START_TEST(test_many_attributes)
{
	size_t off, cap = DOMAIN_XML_MAX;
	char *x = malloc(cap);
	struct domain_def d;
	double t = now();
	int i;

	ck_assert_ptr_nonnull(x);
	off = (size_t)sprintf(x, "<domain type='hyperv'");
	for (i = 0; off + 32 < cap - 64; i++)
		off += (size_t)sprintf(x + off, " a%d='1'", i);
	off += (size_t)sprintf(x + off, "><name>a</name></domain>");
	ck_assert_int_eq(domain_xml_parse(x, off, &d, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "more than 32 attributes"));
	ck_assert_double_lt(now() - t, 0.5);
	free(x);
}
END_TEST

START_TEST(test_many_elements)
{
	size_t off, cap = DOMAIN_XML_MAX;
	char *x = malloc(cap);
	struct domain_def d;
	double t = now();

	ck_assert_ptr_nonnull(x);
	off = (size_t)sprintf(x, "<domain type='hyperv'><name>a</name>"
			      "<memory>1024</memory><os><type>hvm</type>"
			      "<kernel>/k</kernel></os><devices>");
	while (off + 64 < cap)
		off += (size_t)sprintf(x + off, "<console type='pty'/>");
	off += (size_t)sprintf(x + off, "</devices></domain>");
	ck_assert_int_eq(domain_xml_parse(x, off, &d, err, sizeof(err)), -ENOTSUP);
	ck_assert_ptr_nonnull(strstr(err, "more than 2048 elements"));
	ck_assert_double_lt(now() - t, 0.5);
	free(x);
}
END_TEST

/* The attribute pre-scan must not count '=' in comments, CDATA or values. */
START_TEST(test_prescan_not_fooled)
{
	char eq[201], body[1024];

	memset(eq, '=', 200);
	eq[200] = '\0';
	snprintf(body, sizeof(body),
		 "<!-- %s -->\n<?pi %s?>\n<description><![CDATA[%s]]></description>\n"
		 "<devices><disk type='file'><source file='/a%s'/>"
		 "<target dev='sda'/></disk></devices>\n", eq, eq, eq, eq);
	expect(body, 0, NULL);
}
END_TEST

START_TEST(test_invalid_utf8_and_nul)
{
	char *x = doc("<title>ok</title>");
	size_t len = strlen(x);
	char *t = strstr(x, "ok");
	struct domain_def d;

	t[0] = (char)0xc0;	/* overlong encoding */
	t[1] = (char)0xaf;
	ck_assert_int_eq(domain_xml_parse(x, len, &d, err, sizeof(err)), -EINVAL);
	t[0] = (char)0xed;	/* a UTF-16 surrogate half: "\xed\xa0" */
	t[1] = (char)0xa0;
	ck_assert_int_eq(domain_xml_parse(x, len, &d, err, sizeof(err)), -EINVAL);
	t[0] = 'o';
	t[1] = '\0';		/* NUL inside the document */
	ck_assert_int_eq(domain_xml_parse(x, len, &d, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "NUL"));
	free(x);
}
END_TEST

START_TEST(test_not_nul_terminated)
{
	char *x = doc(""), *y;
	size_t len = strlen(x);
	struct domain_def d;

	/* Exactly @len bytes, no terminator: the parser must not read past. */
	y = malloc(len);
	memcpy(y, x, len);
	ck_assert_int_eq(domain_xml_parse(y, len, &d, err, sizeof(err)), 0);
	domain_def_clear(&d);
	/* A truncated prefix is an XML error, not a read past the end. */
	ck_assert_int_eq(domain_xml_parse(y, len / 2, &d, err, sizeof(err)), -EINVAL);
	free(x);
	free(y);
}
END_TEST

START_TEST(test_message_sanitized)
{
	struct domain_def d;
	char *x = doc("<devices><disk type='file'><source file='/a'/>"
		      "<target dev='sda' bus='x&#10;&#9;y'/></disk></devices>");

	/* Schema first: bus is an enum, so this is -EINVAL; no control chars out. */
	ck_assert_int_eq(parse(x, &d), -EINVAL);
	for (size_t i = 0; err[i]; i++)
		ck_assert_int_ge((unsigned char)err[i], 0x20);
	free(x);
}
END_TEST

START_TEST(test_schema_missing)
{
	struct domain_def d;
	char *x;

	/* The schema is compiled once per process: only meaningful forked. */
	if (getenv("CK_FORK") && !strcmp(getenv("CK_FORK"), "no"))
		return;
	setenv("MKHV_DOMAIN_RNG", "/nonexistent/domain.rng", 1);
	x = doc("");
	ck_assert_int_eq(parse(x, &d), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err, "internal error"));
	free(x);
}
END_TEST

static void *parse_many(void *arg)
{
	const char *x = arg;
	struct domain_def d;
	char e[256];
	intptr_t bad = 0;
	int i;

	for (i = 0; i < 50; i++) {
		if (domain_xml_parse(x, strlen(x), &d, e, sizeof(e)) ||
		    d.ndisks != 2 || strcmp(d.disks[1].source, "/dev/vg0/web1-data"))
			bad++;
		domain_def_clear(&d);
	}
	return (void *)bad;
}

/* hvd serves clients from several threads: first use and validation race. */
START_TEST(test_threads)
{
	pthread_t t[4];
	size_t len, i;
	char *x = tu_read("configs/examples/web1.xml", &len);
	void *bad;

	ck_assert_ptr_nonnull(x);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, parse_many, x), 0);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(pthread_join(t[i], &bad), 0);
		ck_assert_ptr_null(bad);
	}
	free(x);
}
END_TEST

/* ------------------------------------------------------------ round trip */

static void roundtrip(const struct domain_def *a, const char *what)
{
	struct domain_def b, c;
	char *x = domain_xml_format(a), *y;
	const char *diff;

	ck_assert_ptr_nonnull(x);
	ck_assert_msg(parse(x, &b) == 0, "%s: %s\n%s", what, err, x);
	diff = tu_def_diff(a, &b);
	ck_assert_msg(!diff, "%s: field %s differs\n%s", what, diff, x);
	y = domain_xml_format(&b);
	ck_assert_ptr_nonnull(y);
	ck_assert_msg(!strcmp(x, y), "%s: second dump differs", what);
	ck_assert_int_eq(parse(y, &c), 0);
	domain_def_clear(&b);
	domain_def_clear(&c);
	free(x);
	free(y);
}

START_TEST(test_roundtrip_corpus)
{
	struct domain_def d;
	size_t n, i, len, done = 0;
	char **names = tu_corpus(&n);
	char *x;

	for (i = 0; i < n; i++) {
		if (tu_expected(names[i]) != 0)
			continue;
		x = tu_corpus_read(names[i], &len);
		ck_assert_int_eq(domain_xml_parse(x, len, &d, err, sizeof(err)), 0);
		roundtrip(&d, names[i]);
		domain_def_clear(&d);
		free(x);
		done++;
	}
	ck_assert_uint_ge(done, 30);
	tu_free_corpus(names, n);
}
END_TEST

START_TEST(test_roundtrip_escaping)
{
	struct domain_disk disk = {
		.type = DOMAIN_DISK_FILE, .format = DOMAIN_DISK_QCOW2,
		.source = "/var/lib/it's \"mine\" & <yours>.img",
		.target = "sdzz", .readonly = true,
		.cache = DOMAIN_DISK_CACHE_DIRECTSYNC,
	};
	struct domain_net net = {
		.type = DOMAIN_NET_NETWORK, .source = "net'\"&<>",
		.mac = { 0x02, 0, 0, 0, 0, 0xff }, .mac_set = true,
	};
	struct domain_def d = {
		.name = "we<b>&'\"1 \xc3\xa9",
		.uuid = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 },
		.uuid_set = true,
		.title = "a ]]> title\twith tab",
		.description = "multi\nline\r\nwith CR\tand tab ]]> & <",
		.memory_kib = 4096, .cur_memory_kib = 2048, .vcpus = 64,
		.shares = 262144, .period_us = 1000000, .quota_us = -1,
		.kernel = "/boot/vm linuz'\"", .initrd = "/boot/i&d",
		.cmdline = "console=ttyS0 x=\"a b\" y='c' <&>",
		.on_poweroff = DOMAIN_LC_RENAME_RESTART,
		.on_reboot = DOMAIN_LC_PRESERVE, .on_crash = DOMAIN_LC_RESTART,
		.disks = &disk, .ndisks = 1, .nets = &net, .nnets = 1,
		.console = true, .serial = true,
	};

	roundtrip(&d, "escaping");
	d.uuid_set = false;
	net.mac_set = false;
	roundtrip(&d, "no uuid/mac");
}
END_TEST

/* Deterministic pseudo-random definitions inside the supported ranges. */
static uint64_t rnd_state = 88172645463325252ULL;

static uint64_t rnd(uint64_t n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return n ? rnd_state % n : rnd_state;
}

static char *rnd_path(void)
{
	char *p;

	ck_assert_int_gt(asprintf(&p, "/p/%llx&'\"<x>", (unsigned long long)rnd(0)), 0);
	return p;
}

START_TEST(test_roundtrip_random)
{
	struct domain_def d;
	size_t i, k;

	for (i = 0; i < 200; i++) {
		memset(&d, 0, sizeof(d));
		snprintf(d.name, sizeof(d.name), "vm-%zu-%llx", i,
			 (unsigned long long)rnd(1u << 30));
		d.uuid_set = rnd(2);
		for (k = 0; k < 16; k++)
			d.uuid[k] = (uint8_t)rnd(256);
		d.memory_kib = 1 + rnd(9007199254740990ULL);
		d.cur_memory_kib = 1 + rnd(d.memory_kib);
		d.vcpus = 1 + (unsigned int)rnd(DOMAIN_VCPUS_MAX);
		d.shares = rnd(2) ? 2 + rnd(262143) : 0;
		d.period_us = rnd(2) ? 1000 + rnd(999001) : 0;
		d.quota_us = rnd(3) == 0 ? -1 : rnd(2) ? 1000 + (int64_t)rnd(1ULL << 40) : 0;
		d.kernel = rnd_path();
		d.initrd = rnd(2) ? rnd_path() : NULL;
		d.cmdline = rnd(2) ? rnd_path() : NULL;
		d.title = rnd(2) ? strdup("t") : NULL;
		d.on_poweroff = (enum domain_lifecycle)rnd(4);
		d.on_reboot = (enum domain_lifecycle)rnd(4);
		d.on_crash = (enum domain_lifecycle)rnd(4);
		d.ndisks = rnd(5);
		d.disks = calloc(d.ndisks + 1, sizeof(*d.disks));
		for (k = 0; k < d.ndisks; k++) {
			d.disks[k].type = (enum domain_disk_type)rnd(2);
			d.disks[k].format = (enum domain_disk_format)rnd(2);
			d.disks[k].source = rnd_path();
			ck_assert_int_gt(asprintf(&d.disks[k].target, "sd%c", (char)('a' + k)), 0);
			d.disks[k].readonly = rnd(2);
			d.disks[k].cache =
				(enum domain_disk_cache)rnd(DOMAIN_DISK_CACHE_COUNT);
		}
		d.nnets = rnd(4);
		d.nets = calloc(d.nnets + 1, sizeof(*d.nets));
		for (k = 0; k < d.nnets; k++) {
			d.nets[k].type = (enum domain_net_type)rnd(2);
			d.nets[k].source = strdup("br0");
			d.nets[k].mac_set = rnd(2);
			d.nets[k].mac[0] = (uint8_t)(rnd(256) & 0xfe);
			d.nets[k].mac[5] = (uint8_t)rnd(256);
		}
		d.console = rnd(2);
		d.serial = rnd(2);
		roundtrip(&d, d.name);
		domain_def_clear(&d);
	}
}
END_TEST

START_TEST(test_format_canonical_text)
{
	struct domain_def d;
	char *x = doc("<uuid>0123456789ABCDEF0123456789abcdef</uuid>"
		      "<devices><console type='pty'/></devices>"), *y;

	ck_assert_int_eq(parse(x, &d), 0);
	y = domain_xml_format(&d);
	ck_assert_str_eq(y,
		"<domain type='hyperv'>\n"
		"  <name>web1</name>\n"
		"  <uuid>01234567-89ab-cdef-0123-456789abcdef</uuid>\n"
		"  <memory unit='KiB'>524288</memory>\n"
		"  <currentMemory unit='KiB'>524288</currentMemory>\n"
		"  <vcpu placement='static'>1</vcpu>\n"
		"  <os>\n"
		"    <type arch='x86_64'>hvm</type>\n"
		"    <kernel>/boot/vmlinuz</kernel>\n"
		"  </os>\n"
		"  <on_poweroff>destroy</on_poweroff>\n"
		"  <on_reboot>restart</on_reboot>\n"
		"  <on_crash>destroy</on_crash>\n"
		"  <devices>\n"
		"    <console type='pty'>\n"
		"      <target type='serial' port='0'/>\n"
		"    </console>\n"
		"  </devices>\n"
		"</domain>\n");
	domain_def_clear(&d);
	free(x);
	free(y);
}
END_TEST

static Suite *domain_xml_suite(void)
{
	Suite *s = suite_create("domain_xml");
	TCase *good = tcase_create("good"), *uns = tcase_create("unsupported"),
	      *inv = tcase_create("invalid"), *host = tcase_create("hostile"),
	      *rt = tcase_create("roundtrip");

	tcase_add_test(good, test_minimal_defaults);
	tcase_add_test(good, test_serial_file);
	tcase_add_test(good, test_example_web1);
	tcase_add_test(good, test_uuid_forms);
	tcase_add_loop_test(good, test_memory_units, 0,
			    sizeof(mem_cases) / sizeof(mem_cases[0]));
	tcase_add_test(good, test_current_memory);
	tcase_add_test(good, test_cputune);
	tcase_add_test(good, test_lifecycle);
	tcase_add_test(good, test_disk_bus_derived);
	tcase_add_loop_test(good, test_disk_cache_modes, 0,
			    sizeof(cache_cases) / sizeof(cache_cases[0]));
	tcase_add_test(good, test_disk_cache_per_disk);
	tcase_add_test(good, test_empty_text_is_unset);
	tcase_add_test(good, test_latin1_encoding);
	tcase_add_test(good, test_corpus_verdicts);
	tcase_add_loop_test(uns, test_unsupported_by_name, 0,
			    sizeof(unsup) / sizeof(unsup[0]));
	tcase_add_test(uns, test_unsupported_root_attrs);
	tcase_add_test(uns, test_unsupported_limits);
	tcase_add_loop_test(inv, test_invalid, 0,
			    sizeof(invalid) / sizeof(invalid[0]));
	tcase_add_loop_test(inv, test_disk_cache_bad, 0,
			    sizeof(bad_caches) / sizeof(bad_caches[0]));
	tcase_add_test(inv, test_name_rules);
	tcase_add_loop_test(inv, test_memory_bad, 0,
			    sizeof(bad_mem) / sizeof(bad_mem[0]));
	tcase_add_test(inv, test_failure_leaves_zeroed);
	tcase_add_test(inv, test_error_buffer_edges);
	tcase_add_test(host, test_billion_laughs);
	tcase_add_loop_test(host, test_external_entities_never_read, 0,
			    sizeof(xxe_fmt) / sizeof(xxe_fmt[0]));
	tcase_add_test(host, test_passwd_not_disclosed);
	tcase_add_test(host, test_network_entity_no_connect);
	tcase_add_test(host, test_size_cap);
	tcase_add_test(host, test_deep_nesting);
	tcase_add_test(host, test_invalid_utf8_and_nul);
	tcase_add_test(host, test_many_attributes);
	tcase_add_test(host, test_many_elements);
	tcase_add_test(host, test_prescan_not_fooled);
	tcase_add_test(host, test_not_nul_terminated);
	tcase_add_test(host, test_message_sanitized);
	tcase_add_test(host, test_schema_missing);
	tcase_add_test(host, test_threads);
	tcase_add_test(rt, test_roundtrip_corpus);
	tcase_add_test(rt, test_roundtrip_escaping);
	tcase_add_test(rt, test_roundtrip_random);
	tcase_add_test(rt, test_format_canonical_text);
	tcase_set_timeout(rt, 30);
	suite_add_tcase(s, good);
	suite_add_tcase(s, uns);
	suite_add_tcase(s, inv);
	suite_add_tcase(s, host);
	suite_add_tcase(s, rt);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(domain_xml_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
