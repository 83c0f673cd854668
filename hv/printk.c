// SPDX-License-Identifier: GPL-2.0
/*
 * printk: a small freestanding vsnprintf, log levels and the log ring.
 */
#include <mkhv/arch.h>
#include <mkhv/lib.h>
#include <mkhv/printk.h>
#include <mkhv/spinlock.h>
#include <mkhv/string.h>

int printk_level = LOG_INFO;

/* Protects the ring and serialises arch_console_write(). */
static spinlock_t printk_lock = SPINLOCK_INIT;
static char printk_ring[PRINTK_RING_SIZE];
static u64 printk_ring_pos;	/* bytes ever written; ring index = pos % size */

struct outbuf {
	char *buf;
	size_t size;
	size_t len;		/* length the output would have */
};

static void out_char(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_pad(struct outbuf *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

struct spec {
	bool zero;
	bool left;
	bool alt;		/* '#': 0x prefix for non-zero hex */
	char sign;		/* '+' or ' ' for non-negative signed, or 0 */
	int width;
	int prec;		/* -1: none */
	int lmod;		/* 0 int, 1 long, 2 long long, 3 size_t, -1 short, -2 char */
};

static void out_str(struct outbuf *o, const char *s, const struct spec *sp)
{
	size_t n;

	if (!s)
		s = "(null)";
	n = sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s);
	if (!sp->left)
		out_pad(o, ' ', sp->width - (int)n);
	for (size_t i = 0; i < n; i++)
		out_char(o, s[i]);
	if (sp->left)
		out_pad(o, ' ', sp->width - (int)n);
}

static void out_num(struct outbuf *o, u64 v, bool neg, unsigned int base,
		    bool upper, const char *prefix, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24], sign = neg ? '-' : sp->sign;
	int n = 0, plen, pad;

	if (base == 16 && sp->alt && v && !*prefix)
		prefix = upper ? "0X" : "0x";
	plen = (int)strlen(prefix) + (sign ? 1 : 0);
	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	pad = sp->width - n - plen;
	if (!sp->left && !sp->zero)
		out_pad(o, ' ', pad);
	if (sign)
		out_char(o, sign);
	while (*prefix)
		out_char(o, *prefix++);
	if (!sp->left && sp->zero)
		out_pad(o, '0', pad);
	while (n)
		out_char(o, tmp[--n]);
	if (sp->left)
		out_pad(o, ' ', pad);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .prec = -1 };
	for (;; f++) {
		if (*f == '0')
			sp->zero = true;
		else if (*f == '-')
			sp->left = true;
		else if (*f == '#')
			sp->alt = true;
		else if (*f == '+' || (*f == ' ' && sp->sign != '+'))
			sp->sign = *f;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	}
	for (; *f >= '0' && *f <= '9'; f++)
		sp->width = sp->width * 10 + (*f - '0');
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			f++;
		}
		for (; *f >= '0' && *f <= '9'; f++)
			sp->prec = sp->prec * 10 + (*f - '0');
	}
	for (;; f++) {
		if (*f == 'l')
			sp->lmod = sp->lmod == 1 ? 2 : 1;
		else if (*f == 'z')
			sp->lmod = 3;
		else if (*f == 'h')
			sp->lmod = sp->lmod == -1 ? -2 : -1;
		else
			break;
	}
	return f;
}

static u64 arg_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->lmod) {
	case 1:
		return va_arg(*ap, unsigned long);
	case 2:
		return va_arg(*ap, unsigned long long);
	case 3:
		return va_arg(*ap, size_t);
	case -1:
		return (u16)va_arg(*ap, unsigned int);
	case -2:
		return (u8)va_arg(*ap, unsigned int);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static s64 arg_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->lmod) {
	case 1:
		return va_arg(*ap, long);
	case 2:
		return va_arg(*ap, long long);
	case 3:
		return (s64)va_arg(*ap, size_t);
	case -1:
		return (s16)va_arg(*ap, int);
	case -2:
		return (s8)va_arg(*ap, int);
	default:
		return va_arg(*ap, int);
	}
}

static void format_one(struct outbuf *o, char conv, struct spec *sp,
		       va_list *ap)
{
	s64 sv;

	switch (conv) {
	case 's':
		out_str(o, va_arg(*ap, const char *), sp);
		break;
	case 'c':
		sp->prec = -1;
		out_pad(o, ' ', sp->left ? 0 : sp->width - 1);
		out_char(o, (char)va_arg(*ap, int));
		out_pad(o, ' ', sp->left ? sp->width - 1 : 0);
		break;
	case 'd':
	case 'i':
		sv = arg_signed(sp, ap);
		/* -(u64)sv is right for INT64_MIN too. */
		out_num(o, sv < 0 ? -(u64)sv : (u64)sv, sv < 0, 10, false, "",
			sp);
		break;
	case 'u':
		sp->sign = 0;
		out_num(o, arg_unsigned(sp, ap), false, 10, false, "", sp);
		break;
	case 'x':
	case 'X':
		sp->sign = 0;
		out_num(o, arg_unsigned(sp, ap), false, 16, conv == 'X', "",
			sp);
		break;
	case 'p':
		sp->sign = 0;
		sp->alt = false;
		sp->zero = true;
		sp->width = 18;
		out_num(o, (u64)(uintptr_t)va_arg(*ap, void *), false, 16,
			false, "0x", sp);
		break;
	case '%':
		out_char(o, '%');
		break;
	default:
		/* Unknown conversion: print it verbatim, consume nothing. */
		out_char(o, '%');
		out_char(o, conv);
		break;
	}
}

int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { .buf = buf, .size = size };
	struct spec sp;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &aq);
		if (!*fmt)
			break;
		format_one(&o, *fmt++, &sp, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > INT32_MAX ? INT32_MAX : (int)o.len;
}

int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* printk_lock held. */
static void ring_put(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printk_ring[(printk_ring_pos + i) % PRINTK_RING_SIZE] = s[i];
	printk_ring_pos += n;
}

static void vprintk(int level, const char *fmt, va_list ap)
{
	static const char *const prefix[] = { "ERROR: ", "WARNING: ", "", "" };
	char line[PRINTK_LINE_MAX];
	size_t plen, n;
	int len;

	if (level > printk_level)
		return;
	plen = strlen(prefix[level < 0 ? 0 : MIN(level, 3)]);
	memcpy(line, prefix[level < 0 ? 0 : MIN(level, 3)], plen);
	len = hv_vsnprintf(line + plen, sizeof(line) - plen, fmt, ap);
	n = plen + MIN((size_t)len, sizeof(line) - plen - 1);
	spin_lock(&printk_lock);
	ring_put(line, n);
	arch_console_write(line, n);
	spin_unlock(&printk_lock);
}

void printk(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(level, fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	printk(LOG_ERROR, "hv panic: ");
	va_start(ap, fmt);
	vprintk(LOG_ERROR, fmt, ap);
	va_end(ap);
	printk(LOG_ERROR, "\n");
	arch_panic_stop();
}

size_t printk_ring_read(u64 *pos, char *buf, size_t len)
{
	u64 p, head, oldest;
	size_t n = 0;

	spin_lock(&printk_lock);
	head = printk_ring_pos;
	oldest = head > PRINTK_RING_SIZE ? head - PRINTK_RING_SIZE : 0;
	p = *pos < oldest ? oldest : *pos;
	if (p > head)
		p = head;
	for (; p < head && n < len; p++, n++)
		buf[n] = printk_ring[p % PRINTK_RING_SIZE];
	spin_unlock(&printk_lock);
	*pos = p;
	return n;
}

u64 printk_ring_head(void)
{
	u64 head;

	spin_lock(&printk_lock);
	head = printk_ring_pos;
	spin_unlock(&printk_lock);
	return head;
}

void printk_ring_reset(void)
{
	spin_lock(&printk_lock);
	printk_ring_pos = 0;
	spin_unlock(&printk_lock);
}
