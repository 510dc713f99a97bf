/*
 * Fuzzer 7: ccwboot's TFTP client (boot/tftp.c) against a server that
 * answers anything, and the boot-file readers (boot/netboot.c: the load
 * list and the pxelinux configuration) on any text.
 *
 * Input: byte 0 chooses the mode (bit 7: the boot-file readers on the rest
 * of the input, bit 6 a pxelinux label choice from byte 1; else the TFTP
 * client), byte 1 and 2 the sink's size (0 to 65535 times 64 bytes); then
 * the server's side as records: a byte of kind (0-3: a datagram from the
 * port that byte and the next choose, of the length the next two bytes
 * give, those bytes following; 4-255: silence until the client's deadline).
 * When the input ends the server falls silent for good.
 *
 * Checks: the client ends (its retries are bounded: the virtual clock
 * passes each deadline it sets); an error has a reason; it stores only
 * through the sink, inside the sink's exact-size allocation; a success
 * reports what it stored, no more than the sink holds; every packet it
 * sends is a read request first and then acknowledgements, all to one
 * port the server sent from. The readers' results are NUL-terminated and
 * within their fields.
 */
#include "boot/netboot.h"
#include "boot/tftp.h"
#include "tests/fuzz/fuzz.h"

struct srv {
	struct fin in;
	u64 now;
	bool silent;          /* the input has ended */
	unsigned sent;        /* packets the client sent */
	u8 from[1024 / 8];    /* the ports the server sent from */
	u16 ack_port;         /* the port of the first acknowledgement */
	bool acked;
	u64 stored_max;       /* the furthest byte the client asked for */
	u8 *sink;
	u64 sink_len;
};

static int send_pkt(void *ctx, u16 port, const void *data, u32 len)
{
	struct srv *s = ctx;
	const u8 *p = data;

	FUZZ_CHECK(len >= 4 && len <= 4 + TFTP_MAX_BLKSIZE + 200);
	if (s->sent++ == 0) {
		FUZZ_CHECK(port == TFTP_PORT && get_be16(p) == 1);
	} else {
		/* The request again, or an acknowledgement to the server's port. */
		FUZZ_CHECK(get_be16(p) == 1 || (get_be16(p) == 4 && len == 4));
		if (get_be16(p) == 4) {
			FUZZ_CHECK(port < 1024 && (s->from[port / 8] & (1u << (port % 8))));
			FUZZ_CHECK(!s->acked || port == s->ack_port);
			s->acked = true;
			s->ack_port = port;
		}
	}
	return 0;
}

static int recv_pkt(void *ctx, void *buf, u32 size, u32 *len, u16 *port, u64 deadline_us)
{
	struct srv *s = ctx;
	u8 kind;
	u16 n;

	FUZZ_CHECK(deadline_us > s->now);
	if (!fin_left(&s->in)) {
		s->now = deadline_us;
		return 0;
	}
	kind = fin_u8(&s->in);
	if (kind >= 4) {
		s->now = deadline_us;
		return 0;
	}
	*port = (u16)(kind | (u16)fin_u8(&s->in) << 2);
	n = fin_u16(&s->in) % (TFTP_MAX_BLKSIZE + 64);
	*len = n;
	for (u32 i = 0; i < n; i++) {
		u8 b = fin_u8(&s->in);

		if (i < size)
			((u8 *)buf)[i] = b;
	}
	s->from[*port / 8] |= (u8)(1u << (*port % 8));
	s->now++;
	return 1;
}

static u64 now_us(void *ctx)
{
	return ((struct srv *)ctx)->now;
}

static void *sink_at(void *ctx, u64 off, u32 len)
{
	struct srv *s = ctx;

	if (off > s->sink_len || len > s->sink_len - off)
		return NULL;
	if (off + len > s->stored_max)
		s->stored_max = off + len;
	return s->sink + off;
}

static void readers(const u8 *data, size_t size, unsigned choice)
{
	static struct nb_list_item items[NB_MAX_LIST];
	static struct nb_pxe pxe;
	char why[200], *text = malloc(size ? size : 1);
	unsigned n = 0;

	FUZZ_CHECK(text != NULL);
	memcpy(text, data, size);
	why[0] = '\0';
	if (nb_parse_list(text, (u32)size, items, &n, why, sizeof(why)) == 0) {
		FUZZ_CHECK(n >= 1 && n <= NB_MAX_LIST);
		for (unsigned i = 0; i < n; i++)
			FUZZ_CHECK(items[i].file[0] && strlen(items[i].file) < NB_NAME_MAX);
	} else {
		FUZZ_CHECK(why[0]);
	}
	why[0] = '\0';
	if (nb_parse_pxe(text, (u32)size, choice, &pxe, why, sizeof(why)) == 0) {
		FUZZ_CHECK(pxe.kernel[0] && strlen(pxe.kernel) < sizeof(pxe.kernel));
		FUZZ_CHECK(strlen(pxe.initrd) < sizeof(pxe.initrd));
		FUZZ_CHECK(strlen(pxe.append) < sizeof(pxe.append));
		FUZZ_CHECK(pxe.index >= 1 && pxe.index <= pxe.labels);
		FUZZ_CHECK(!choice || pxe.index == choice);
	} else {
		FUZZ_CHECK(why[0]);
	}
	(void)nb_kind(text, (u32)size);
	free(text);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct srv s;
	struct tftp_io io = { send_pkt, recv_pkt, now_us, &s };
	struct tftp_sink sink = { sink_at, &s };
	struct tftp_result res;
	char why[200];
	u8 mode;
	int rc;

	if (size < 3)
		return 0;
	mode = data[0];
	if (mode & 0x80) {
		readers(data + 2, size - 2, mode & 0x40 ? data[1] % 8 : 0);
		return 0;
	}
	memset(&s, 0, sizeof(s));
	s.sink_len = (u64)(data[1] | data[2] << 8) * 64;
	s.sink = malloc(s.sink_len ? s.sink_len : 1);
	FUZZ_CHECK(s.sink != NULL);
	s.in = (struct fin){ data + 3, size - 3 };
	why[0] = '\0';
	rc = tftp_get(&io, "boot/file.cfg", &sink, &res, why, sizeof(why));
	if (fuzz_tracing())
		fprintf(stderr, "tftp: %d, %llu bytes, blksize %u, tsize %llu, %u sent: %s\n", rc,
			(unsigned long long)res.size, res.blksize, (unsigned long long)res.tsize,
			s.sent, rc ? why : "ok");
	if (rc) {
		FUZZ_CHECK(rc < 0 && why[0]);
	} else {
		FUZZ_CHECK(res.size <= s.sink_len && res.size == s.stored_max);
		FUZZ_CHECK(res.blksize >= 8 && res.blksize <= TFTP_BLKSIZE);
		FUZZ_CHECK(!res.tsize || res.tsize == res.size);
	}
	/* Bounded: a packet per input record, a few retries after it ends. */
	FUZZ_CHECK(s.sent <= size + TFTP_RETRIES + 2);
	free(s.sink);
	return 0;
}
