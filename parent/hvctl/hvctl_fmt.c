// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl: formatting and parsing, no I/O (see hvctl_fmt.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hvctl_fmt.h"

int hvctl_format_version(char *buf, size_t len, uint32_t code)
{
	return snprintf(buf, len, "%u.%u.%u", (code >> 16) & 0xff,
			(code >> 8) & 0xff, code & 0xff);
}

/* Appends to @buf at *@off; -ENOSPC once it no longer fits. */
static int append(char *buf, size_t len, size_t *off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int append(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off >= len)
		return -ENOSPC;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	if ((size_t)n >= len - *off) {
		*off = len;
		return -ENOSPC;
	}
	*off += (size_t)n;
	return 0;
}

static int bit_set(const uint64_t *mask, unsigned int i, int invert)
{
	int set = (mask[i / 64] >> (i % 64)) & 1;

	return invert ? !set : set;
}

int hvctl_format_cpulist(char *buf, size_t len, const uint64_t *mask,
			 unsigned int nbits, int invert)
{
	size_t off = 0;
	unsigned int i = 0, start;
	int ret = 0, first = 1;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	if (nbits > HVCTL_MAX_PCPUS)
		nbits = HVCTL_MAX_PCPUS;
	while (i < nbits && !ret) {
		if (!bit_set(mask, i, invert)) {
			i++;
			continue;
		}
		start = i;
		while (i < nbits && bit_set(mask, i, invert))
			i++;
		if (i - 1 == start)
			ret = append(buf, len, &off, "%s%u", first ? "" : ",",
				     start);
		else
			ret = append(buf, len, &off, "%s%u-%u",
				     first ? "" : ",", start, i - 1);
		first = 0;
	}
	if (!ret && first)
		ret = append(buf, len, &off, "none");
	return ret;
}

int hvctl_format_size(char *buf, size_t len, uint64_t bytes)
{
	static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB",
					    "TiB" };
	unsigned int u = 0;

	while (bytes && !(bytes & 1023) && u + 1 < sizeof(unit) / sizeof(unit[0])) {
		bytes >>= 10;
		u++;
	}
	return snprintf(buf, len, "%llu %s", (unsigned long long)bytes,
			unit[u]);
}

static unsigned int popcount_mask(const uint64_t *mask, unsigned int nbits)
{
	unsigned int i, n = 0;

	for (i = 0; i < nbits; i++)
		n += bit_set(mask, i, 0);
	return n;
}

int hvctl_format_info(char *buf, size_t len, const struct mkhv_info *info)
{
	char pool[512], parent[512], size[32], free[32];
	unsigned int nbits = info->nr_pcpus;
	uint64_t last;
	size_t off = 0;
	int bad = 0, ret;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	if (nbits > HVCTL_MAX_PCPUS) {
		nbits = HVCTL_MAX_PCPUS;
		bad = 1;
	}
	hvctl_format_cpulist(pool, sizeof(pool), info->pool_cpu_mask, nbits, 0);
	hvctl_format_cpulist(parent, sizeof(parent), info->pool_cpu_mask,
			     nbits, 1);
	if (info->nr_pool_pcpus > info->nr_pcpus ||
	    popcount_mask(info->pool_cpu_mask, nbits) != info->nr_pool_pcpus)
		bad = 1;
	hvctl_format_size(size, sizeof(size), info->hv_mem_size);
	hvctl_format_size(free, sizeof(free), info->hv_mem_free);
	if (!info->hv_mem_size ||
	    info->hv_mem_base + info->hv_mem_size - 1 < info->hv_mem_base ||
	    info->hv_mem_free > info->hv_mem_size)
		bad = 1;
	last = info->hv_mem_size ? info->hv_mem_base + info->hv_mem_size - 1
				 : info->hv_mem_base;

	ret = append(buf, len, &off,
		     "pCPUs:            %u\n"
		     "parent vCPUs:     %u (on pCPUs %s)\n"
		     "child pool pCPUs: %u (%s)\n"
		     "hv memory:        0x%llx-0x%llx (%s)\n"
		     "free hv memory:   %s\n",
		     info->nr_pcpus, info->nr_parent_vcpus, parent,
		     info->nr_pool_pcpus, pool,
		     (unsigned long long)info->hv_mem_base,
		     (unsigned long long)last, size, free);
	if (!ret && bad)
		ret = append(buf, len, &off,
			     "warning: the hv's figures are inconsistent\n");
	if (ret)
		return ret;
	return bad ? -EINVAL : 0;
}

int hvctl_parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0, d;
	unsigned int base = 10, shift = 0;
	const char *p = s;

	if (!s || !*s)
		return -EINVAL;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (!isxdigit((unsigned char)*p))
		return -EINVAL;
	for (; *p; p++) {
		if (isdigit((unsigned char)*p))
			d = (uint64_t)(*p - '0');
		else if (base == 16 && isxdigit((unsigned char)*p))
			d = (uint64_t)(tolower((unsigned char)*p) - 'a' + 10);
		else
			break;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (*p) {
		switch (toupper((unsigned char)*p)) {
		case 'K': shift = 10; break;
		case 'M': shift = 20; break;
		case 'G': shift = 30; break;
		case 'T': shift = 40; break;
		default: return -EINVAL;
		}
		p++;
		if (!strcmp(p, "iB") || !strcmp(p, "B"))
			p += strlen(p);
		if (*p)
			return -EINVAL;
		if (v > (UINT64_MAX >> shift))
			return -ERANGE;
		v <<= shift;
	}
	*out = v;
	return 0;
}

uint64_t hvctl_log_lost(uint64_t pos, uint64_t next_pos, uint32_t len)
{
	if (next_pos < len || next_pos - len < pos)
		return 0;
	return next_pos - len - pos;
}
