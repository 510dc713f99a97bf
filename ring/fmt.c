/* A small freestanding printf core, shared by the s390x image and the host. */
#include "ring/fmt.h"

struct fmt_spec {
	bool left;     /* '-' */
	bool zero;     /* '0' */
	bool plus;     /* '+' */
	bool space;    /* ' ' */
	bool alt;      /* '#' */
	int width;     /* -1: none */
	int prec;      /* -1: none */
};

struct fmt_state {
	fmt_sink sink;
	void *ctx;
	int count;
};

static void emit(struct fmt_state *st, const char *s, size_t n)
{
	if (n == 0)
		return;
	st->sink(st->ctx, s, n);
	st->count += (int)n;
}

static void emit_pad(struct fmt_state *st, char c, int n)
{
	char buf[16];
	size_t i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = c;
	while (n > 0) {
		int k = n > (int)sizeof(buf) ? (int)sizeof(buf) : n;

		emit(st, buf, (size_t)k);
		n -= k;
	}
}

/* Pads a finished field (prefix + zeros + body) to the requested width. */
static void emit_field(struct fmt_state *st, const struct fmt_spec *sp,
		       const char *prefix, int zeros, const char *body, int blen)
{
	int plen = 0;
	int total;

	while (prefix[plen])
		plen++;
	total = plen + zeros + blen;
	if (!sp->left && sp->width > total)
		emit_pad(st, ' ', sp->width - total);
	emit(st, prefix, (size_t)plen);
	emit_pad(st, '0', zeros);
	emit(st, body, (size_t)blen);
	if (sp->left && sp->width > total)
		emit_pad(st, ' ', sp->width - total);
}

static void emit_int(struct fmt_state *st, struct fmt_spec *sp, u64 mag,
		     bool neg, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	char prefix[4] = "";
	int len = 0;
	int zeros = 0;
	int plen = 0;

	/* Digits, least significant first, into the end of buf. */
	if (mag == 0 && sp->prec != 0) {
		buf[sizeof(buf) - 1 - len++] = '0';
	}
	while (mag) {
		buf[sizeof(buf) - 1 - len++] = digits[mag % base];
		mag /= base;
	}
	if (neg)
		prefix[plen++] = '-';
	else if (sp->plus)
		prefix[plen++] = '+';
	else if (sp->space)
		prefix[plen++] = ' ';
	if (sp->alt && base == 16 && len > 0 &&
	    !(len == 1 && buf[sizeof(buf) - 1] == '0')) {
		prefix[plen++] = '0';
		prefix[plen++] = upper ? 'X' : 'x';
	}
	if (sp->alt && base == 8 && (len == 0 || buf[sizeof(buf) - len] != '0'))
		zeros = 1;
	prefix[plen] = '\0';

	if (sp->prec >= 0) {
		if (sp->prec > len + zeros)
			zeros = sp->prec - len;
	} else if (sp->zero && !sp->left && sp->width > plen + len) {
		zeros = sp->width - plen - len;
	}
	emit_field(st, sp, prefix, zeros, buf + sizeof(buf) - len, len);
}

enum fmt_len { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_MAX, LEN_PTRDIFF };

static u64 fetch_unsigned(va_list *ap, enum fmt_len l)
{
	switch (l) {
	case LEN_CHAR:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_SHORT:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
		return va_arg(*ap, size_t);
	case LEN_MAX:
		return va_arg(*ap, uintmax_t);
	case LEN_PTRDIFF:
		return (u64)va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static s64 fetch_signed(va_list *ap, enum fmt_len l)
{
	switch (l) {
	case LEN_CHAR:
		return (signed char)va_arg(*ap, int);
	case LEN_SHORT:
		return (short)va_arg(*ap, int);
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LLONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:
		return (s64)va_arg(*ap, size_t);
	case LEN_MAX:
		return va_arg(*ap, intmax_t);
	case LEN_PTRDIFF:
		return va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, int);
	}
}

static int parse_num(const char **p)
{
	int v = 0;

	while (**p >= '0' && **p <= '9') {
		if (v < 100000)
			v = v * 10 + (**p - '0');
		(*p)++;
	}
	return v;
}

int fmt_vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap_in)
{
	struct fmt_state st = { sink, ctx, 0 };
	const char *p = fmt;
	va_list ap;

	va_copy(ap, ap_in);
	while (*p) {
		const char *start = p;
		struct fmt_spec sp = { false, false, false, false, false, -1, -1 };
		enum fmt_len len = LEN_INT;

		while (*p && *p != '%')
			p++;
		emit(&st, start, (size_t)(p - start));
		if (!*p)
			break;
		start = p++; /* at the '%' */

		for (;; p++) {
			if (*p == '-')
				sp.left = true;
			else if (*p == '0')
				sp.zero = true;
			else if (*p == '+')
				sp.plus = true;
			else if (*p == ' ')
				sp.space = true;
			else if (*p == '#')
				sp.alt = true;
			else
				break;
		}
		if (*p == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = true;
				sp.width = -sp.width;
			}
			p++;
		} else if (*p >= '0' && *p <= '9') {
			sp.width = parse_num(&p);
		}
		if (*p == '.') {
			p++;
			if (*p == '*') {
				sp.prec = va_arg(ap, int);
				if (sp.prec < 0)
					sp.prec = -1;
				p++;
			} else {
				sp.prec = parse_num(&p);
			}
		}
		switch (*p) {
		case 'h':
			len = LEN_SHORT;
			if (*++p == 'h') {
				len = LEN_CHAR;
				p++;
			}
			break;
		case 'l':
			len = LEN_LONG;
			if (*++p == 'l') {
				len = LEN_LLONG;
				p++;
			}
			break;
		case 'z':
			len = LEN_SIZE;
			p++;
			break;
		case 'j':
			len = LEN_MAX;
			p++;
			break;
		case 't':
			len = LEN_PTRDIFF;
			p++;
			break;
		default:
			break;
		}

		switch (*p) {
		case 'd':
		case 'i': {
			s64 v = fetch_signed(&ap, len);
			u64 mag = v < 0 ? (u64)0 - (u64)v : (u64)v;

			emit_int(&st, &sp, mag, v < 0, 10, false);
			break;
		}
		case 'u':
			emit_int(&st, &sp, fetch_unsigned(&ap, len), false, 10, false);
			break;
		case 'x':
		case 'X':
			emit_int(&st, &sp, fetch_unsigned(&ap, len), false, 16, *p == 'X');
			break;
		case 'o':
			emit_int(&st, &sp, fetch_unsigned(&ap, len), false, 8, false);
			break;
		case 'p': {
			uintptr_t v = (uintptr_t)va_arg(ap, void *);

			sp.alt = true;
			emit_int(&st, &sp, v, false, 16, false);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			emit_field(&st, &sp, "", 0, &c, 1);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			int n = 0;

			if (!s)
				s = "(null)";
			while (s[n] && (sp.prec < 0 || n < sp.prec))
				n++;
			emit_field(&st, &sp, "", 0, s, n);
			break;
		}
		case '%':
			emit(&st, "%", 1);
			break;
		case '\0':
			emit(&st, start, (size_t)(p - start));
			goto out;
		default:
			/* Unknown conversion: show it as written. */
			emit(&st, start, (size_t)(p - start + 1));
			break;
		}
		p++;
	}
out:
	va_end(ap);
	return st.count;
}

struct fmt_buf {
	char *buf;
	size_t size;
	size_t pos;
};

static void buf_sink(void *ctx, const char *s, size_t n)
{
	struct fmt_buf *b = ctx;
	size_t i;

	for (i = 0; i < n; i++, b->pos++)
		if (b->pos + 1 < b->size)
			b->buf[b->pos] = s[i];
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_buf b = { buf, size, 0 };
	int n = fmt_vformat(buf_sink, &b, fmt, ap);

	if (size > 0)
		buf[b.pos < size ? b.pos : size - 1] = '\0';
	return n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int fmt_err(char *why, size_t why_len, int err, const char *fmt, ...)
{
	va_list ap;

	if (!why || !why_len)
		return err;
	va_start(ap, fmt);
	fmt_vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
	return err;
}
