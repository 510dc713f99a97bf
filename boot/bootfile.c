/* The boot files ccwboot reads from the network: see netboot.h. */
#include "boot/netboot.h"

#include "ring/fmt.h"

enum nb_kind nb_kind(const char *head, u32 len)
{
	if (len >= 2 && head[0] == '*' && head[1] == ' ')
		return NB_LOADLIST;
	if (len >= 10 && !memcmp(head, "# pxelinux", 10))
		return NB_PXELINUX;
	return NB_KERNEL;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The next line of [*p, end): its start and length without the newline. */
static bool next_line(const char **p, const char *end, const char **line, u32 *len)
{
	const char *s = *p, *e = s;

	if (s >= end)
		return false;
	while (e < end && *e != '\n')
		e++;
	*line = s;
	*len = (u32)(e - s);
	*p = e < end ? e + 1 : e;
	/* Blanks and a carriage return at the end are no part of it. */
	while (*len && is_space(s[*len - 1]))
		(*len)--;
	return true;
}

/* Skip blanks: the rest of [s, s + len). */
static const char *skip(const char *s, u32 *len)
{
	while (*len && is_space(*s)) {
		s++;
		(*len)--;
	}
	return s;
}

/* A word of [s, s + len) up to a blank: its length. */
static u32 word(const char *s, u32 len)
{
	u32 n = 0;

	while (n < len && !is_space(s[n]))
		n++;
	return n;
}

/* A name: printable characters only (a NUL or a control character would
 * make another name than the text shows). */
static bool copy_word(char *dst, size_t size, const char *s, u32 n)
{
	if (!n || n >= size)
		return false;
	for (u32 i = 0; i < n; i++)
		if ((u8)s[i] < 0x21 || (u8)s[i] == 0x7F)
			return false;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return true;
}

static bool parse_hex(const char *s, u32 n, u64 *v)
{
	*v = 0;
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		n -= 2;
	}
	if (!n || n > 16)
		return false;
	for (u32 i = 0; i < n; i++) {
		char c = s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		*v = *v << 4 | d;
	}
	return true;
}

int nb_parse_list(const char *text, u32 len, struct nb_list_item *items, unsigned *n, char *why,
		  size_t wl)
{
	const char *p = text, *end = text + len, *line;
	unsigned lineno = 0;
	u32 l;

	*n = 0;
	while (next_line(&p, end, &line, &l)) {
		u32 fl, al;
		const char *a;

		lineno++;
		line = skip(line, &l);
		if (!l || line[0] == '*')
			continue;
		fl = word(line, l);
		a = line + fl;
		l -= fl;
		a = skip(a, &l);
		al = word(a, l);
		if (*n == NB_MAX_LIST)
			return fmt_err(why, wl, -VERR_PROTO, "the load list has more than %u files",
				   NB_MAX_LIST);
		if (!copy_word(items[*n].file, NB_NAME_MAX, line, fl) || !al || al != l ||
		    !parse_hex(a, al, &items[*n].addr))
			return fmt_err(why, wl, -VERR_PROTO, "load list line %u: not \"FILE ADDRESS\" "
				   "(a name and a hexadecimal address)", lineno);
		(*n)++;
	}
	if (!*n)
		return fmt_err(why, wl, -VERR_PROTO, "the load list names no file");
	return 0;
}

static bool has_nul(const char *s, u32 n)
{
	for (u32 i = 0; i < n; i++)
		if (!s[i])
			return true;
	return false;
}

/* A pxelinux keyword at the start of [s, s + n), case-insensitive; the rest after blanks. */
static bool keyword(const char *s, u32 n, const char *kw, const char **rest, u32 *rl)
{
	u32 k = (u32)strlen(kw);

	if (n < k || (n > k && !is_space(s[k])))
		return false;
	for (u32 i = 0; i < k; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != kw[i])
			return false;
	}
	*rl = n - k;
	*rest = skip(s + k, rl);
	return true;
}

int nb_parse_pxe(const char *text, u32 len, unsigned choice, struct nb_pxe *out, char *why,
		 size_t wl)
{
	const char *p = text, *end = text + len, *line, *rest;
	char def[64] = "";
	unsigned label = 0, lineno = 0;
	bool mine = false, found = false;
	u32 l, rl;

	memset(out, 0, sizeof(*out));
	/* First the default's name, then the labels. */
	while (next_line(&p, end, &line, &l)) {
		line = skip(line, &l);
		if (keyword(line, l, "default", &rest, &rl) && !copy_word(def, sizeof(def), rest, rl))
			return fmt_err(why, wl, -VERR_PROTO, "pxelinux: the default label name is too "
				   "long or missing");
	}
	for (p = text; next_line(&p, end, &line, &l);) {
		lineno++;
		line = skip(line, &l);
		if (!l || line[0] == '#')
			continue;
		if (keyword(line, l, "label", &rest, &rl)) {
			label++;
			mine = choice ? label == choice
				      : (def[0] ? rl == strlen(def) && !memcmp(rest, def, rl)
						: label == 1);
			mine = mine && !found;
			if (mine) {
				found = true;
				out->index = label;
				if (!copy_word(out->label, sizeof(out->label), rest, rl))
					return fmt_err(why, wl, -VERR_PROTO, "pxelinux line %u: a label "
						   "name of 1 to %zu characters", lineno,
						   sizeof(out->label) - 1);
			}
			continue;
		}
		if (keyword(line, l, "kernel", &rest, &rl) || keyword(line, l, "linux", &rest, &rl)) {
			if (mine && !copy_word(out->kernel, sizeof(out->kernel), rest, word(rest, rl)))
				return fmt_err(why, wl, -VERR_PROTO, "pxelinux line %u: a kernel name of 1 "
					   "to %u characters", lineno, NB_NAME_MAX - 1);
		} else if (keyword(line, l, "initrd", &rest, &rl)) {
			if (mine && !copy_word(out->initrd, sizeof(out->initrd), rest, word(rest, rl)))
				return fmt_err(why, wl, -VERR_PROTO, "pxelinux line %u: an initrd name of "
					   "1 to %u characters", lineno, NB_NAME_MAX - 1);
		} else if (keyword(line, l, "append", &rest, &rl)) {
			if (mine) {
				if (has_nul(rest, rl))
					return fmt_err(why, wl, -VERR_PROTO, "pxelinux line %u: a NUL in "
						   "the command line", lineno);
				if (rl >= sizeof(out->append))
					return fmt_err(why, wl, -VERR_PROTO, "pxelinux line %u: the "
						   "command line is longer than %zu bytes", lineno,
						   sizeof(out->append) - 1);
				memcpy(out->append, rest, rl);
				out->append[rl] = '\0';
			}
		}
		/* Other keywords (timeout, prompt, say...) change nothing here. */
	}
	out->labels = label;
	if (!found) {
		if (choice)
			return fmt_err(why, wl, -VERR_INVAL, "pxelinux: loadparm %u, but the "
				   "configuration has %u label%s", choice, label,
				   label == 1 ? "" : "s");
		return fmt_err(why, wl, -VERR_PROTO, def[0] ? "pxelinux: no label \"%s\" for the default"
					       : "pxelinux: the configuration has no label%s",
			   def[0] ? def : "");
	}
	if (!out->kernel[0])
		return fmt_err(why, wl, -VERR_PROTO, "pxelinux: label \"%s\" names no kernel", out->label);
	return 0;
}

