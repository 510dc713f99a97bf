/* The TFTP client: see tftp.h. Packet layouts from RFC 1350, 5; options RFC 2347-2349. */
#include "boot/tftp.h"

#include "ring/fmt.h"

#define OP_RRQ 1u
#define OP_DATA 3u
#define OP_ACK 4u
#define OP_ERROR 5u
#define OP_OACK 6u

/* A packet of ours or the server's: opcode, block, data. */
#define PKT_MAX (4u + TFTP_MAX_BLKSIZE)

/* Append a NUL-terminated string; false when it does not fit. */
static bool put_str(u8 *p, u32 *n, u32 size, const char *s)
{
	size_t l = strlen(s) + 1;

	if (l > size - *n)
		return false;
	memcpy(p + *n, s, l);
	*n += (u32)l;
	return true;
}

/* A decimal number of at most 19 digits; false otherwise. */
static bool parse_num(const char *s, u32 len, u64 *v)
{
	*v = 0;
	if (!len || len > 19)
		return false;
	for (u32 i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (u64)(s[i] - '0');
	}
	return true;
}

static bool same_nocase(const char *a, u32 alen, const char *b)
{
	u32 i;

	for (i = 0; i < alen && b[i]; i++) {
		char x = a[i], y = b[i];

		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (x != y)
			return false;
	}
	return i == alen && !b[i];
}

/*
 * The options of an OACK (RFC 2347): name and value pairs, each NUL-
 * terminated. Only what was asked may come back, blksize no larger.
 */
static int parse_oack(const u8 *p, u32 len, struct tftp_result *res, const char *file, char *why,
		      size_t wl)
{
	u32 i = 2;

	while (i < len) {
		const char *name = (const char *)p + i, *val;
		u32 nl = 0, vl = 0;
		u64 v;

		while (i + nl < len && p[i + nl])
			nl++;
		if (i + nl >= len)
			break;
		val = (const char *)p + i + nl + 1;
		while (i + nl + 1 + vl < len && p[i + nl + 1 + vl])
			vl++;
		if (i + nl + 1 + vl >= len)
			break;
		if (!parse_num(val, vl, &v))
			return fmt_err(why, wl, -VERR_PROTO, "TFTP %s: the server's option value '%.*s' is "
				   "not a number", file, (int)MIN(vl, 20u), val);
		if (same_nocase(name, nl, "blksize")) {
			if (v < 8 || v > TFTP_BLKSIZE)
				return fmt_err(why, wl, -VERR_PROTO, "TFTP %s: the server grants blksize %llu; "
					   "8 to %u was asked", file, (unsigned long long)v,
					   TFTP_BLKSIZE);
			res->blksize = (u32)v;
		} else if (same_nocase(name, nl, "tsize")) {
			res->tsize = v;
		} else {
			return fmt_err(why, wl, -VERR_PROTO, "TFTP %s: the server answers option '%.*s', "
				   "which was not asked", file, (int)MIN(nl, 20u), name);
		}
		i += nl + 1 + vl + 1;
	}
	if (i != len)
		return fmt_err(why, wl, -VERR_PROTO, "TFTP %s: the server's option list is cut short", file);
	return 0;
}

static int send_ack(const struct tftp_io *io, u16 port, u16 block)
{
	u8 ack[4];

	put_be16(ack, OP_ACK);
	put_be16(ack + 2, block);
	return io->send(io->ctx, port, ack, sizeof(ack));
}

int tftp_get(const struct tftp_io *io, const char *file, const struct tftp_sink *sink,
	     struct tftp_result *res, char *why, size_t wl)
{
	u8 pkt[PKT_MAX], rrq[TFTP_NAME_MAX + 48];
	u32 n = 2, len;
	u16 port = TFTP_PORT, sport, last = 0;
	u64 got = 0, deadline;
	bool started = false;   /* the server's port is known */
	unsigned tries = 0;
	int rc;

	memset(res, 0, sizeof(*res));
	res->blksize = TFTP_DEFAULT_BLKSIZE;
	if (!file[0] || strlen(file) >= TFTP_NAME_MAX)
		return fmt_err(why, wl, -VERR_INVAL, "TFTP: a file name of 1 to %u characters is needed",
			   TFTP_NAME_MAX - 1);
	/* RRQ: the name, the mode, then blksize and tsize (0: tell me). */
	put_be16(rrq, OP_RRQ);
	if (!put_str(rrq, &n, sizeof(rrq), file) || !put_str(rrq, &n, sizeof(rrq), "octet") ||
	    !put_str(rrq, &n, sizeof(rrq), "blksize") || !put_str(rrq, &n, sizeof(rrq), "1428") ||
	    !put_str(rrq, &n, sizeof(rrq), "tsize") || !put_str(rrq, &n, sizeof(rrq), "0"))
		return fmt_err(why, wl, -VERR_INVAL, "TFTP: the name %s is too long", file);
	rc = io->send(io->ctx, port, rrq, n);
	if (rc)
		return fmt_err(why, wl, rc, "TFTP %s: the request could not be sent", file);
	deadline = io->now_us(io->ctx) + TFTP_RETRY_US;
	for (;;) {
		u16 op, block;

		rc = io->recv(io->ctx, pkt, sizeof(pkt), &len, &sport, deadline);
		if (rc < 0)
			return fmt_err(why, wl, rc, "TFTP %s: the network failed after %llu bytes", file,
				   (unsigned long long)got);
		if (rc == 0) {
			/* Silence: the last packet again, a few times. */
			if (++tries > TFTP_RETRIES)
				return fmt_err(why, wl, -VERR_TIMEOUT,
					   "TFTP %s: no answer from the server for %u s (%llu bytes "
					   "received)", file, TFTP_RETRIES + 1, (unsigned long long)got);
			res->retries++;
			rc = started ? send_ack(io, port, last) : io->send(io->ctx, port, rrq, n);
			if (rc)
				return fmt_err(why, wl, rc, "TFTP %s: a packet could not be sent", file);
			deadline = io->now_us(io->ctx) + TFTP_RETRY_US;
			continue;
		}
		/* Another transfer's packets, or a stray one: not ours. */
		if ((started && sport != port) || len < 4 || len > sizeof(pkt))
			continue;
		op = get_be16(pkt);
		block = get_be16(pkt + 2);
		if (op == OP_ERROR) {
			u32 l = 4;

			while (l < len && pkt[l] && l < 4 + 100)
				l++;
			return fmt_err(why, wl, -VERR_IO, "TFTP %s: the server says error %u: %.*s", file,
				   block, (int)(l - 4), (const char *)pkt + 4);
		}
		if (!started) {
			if (op == OP_OACK) {
				rc = parse_oack(pkt, len, res, file, why, wl);
				if (rc)
					return rc;
				if (res->tsize && !sink->at(sink->ctx, 0, 1))
					return fmt_err(why, wl, -VERR_RANGE, "TFTP %s: nowhere to put it",
						   file);
				if (res->tsize && !sink->at(sink->ctx, res->tsize - 1, 1))
					return fmt_err(why, wl, -VERR_RANGE,
						   "TFTP %s is %llu bytes: more than fits in memory "
						   "below the loader", file,
						   (unsigned long long)res->tsize);
				port = sport;
				started = true;
				tries = 0;
				if (send_ack(io, port, 0))
					return fmt_err(why, wl, -VERR_IO, "TFTP %s: a packet could not be "
						   "sent", file);
				deadline = io->now_us(io->ctx) + TFTP_RETRY_US;
				continue;
			}
			if (op != OP_DATA)
				continue;
			/* No options: 512-byte blocks from here. */
			port = sport;
			started = true;
		}
		if (op != OP_DATA)
			continue;
		if (block != (u16)(last + 1))
			continue;   /* a block again, or one ahead of its turn: not taken */
		len -= 4;
		if (len > res->blksize)
			return fmt_err(why, wl, -VERR_PROTO, "TFTP %s: block %llu has %u bytes, more than "
				   "the %u agreed", file, (unsigned long long)(got / res->blksize + 1),
				   len, res->blksize);
		if (len) {
			void *to = sink->at(sink->ctx, got, len);

			if (!to)
				return fmt_err(why, wl, -VERR_RANGE,
					   "TFTP %s: more than fits in memory below the loader "
					   "(%llu bytes so far)", file, (unsigned long long)got);
			memcpy(to, pkt + 4, len);
		}
		got += len;
		last = block;
		tries = 0;
		if (send_ack(io, port, block))
			return fmt_err(why, wl, -VERR_IO, "TFTP %s: a packet could not be sent", file);
		if (len < res->blksize)
			break;
		deadline = io->now_us(io->ctx) + TFTP_RETRY_US;
	}
	res->size = got;
	if (res->tsize && res->tsize != got)
		return fmt_err(why, wl, -VERR_PROTO, "TFTP %s: %llu bytes received, the server announced "
			   "%llu", file, (unsigned long long)got, (unsigned long long)res->tsize);
	return 0;
}
