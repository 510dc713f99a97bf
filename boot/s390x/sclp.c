/*
 * SCLP ASCII console. SCCB layouts from the SCLP interface as QEMU and Linux
 * implement it (reference/platforms.md 7.1): an 8-byte header, then the
 * command's data; all fields big-endian.
 */
#include "boot/s390x/sclp.h"

#define SCLP_CMD_WRITE_EVENT_MASK 0x00780005u
#define SCLP_CMD_WRITE_EVENT_DATA 0x00760005u
#define SCLP_CMD_READ_EVENT_DATA 0x00770005u

#define SCLP_CMD_READ_SCP_INFO 0x00020001u
#define SCLP_CMD_READ_SCP_INFO_FORCED 0x00120001u

#define SCLP_RESP_NORMAL 0x0020u
#define SCLP_RESP_READ_DONE 0x0010u   /* normal read completion */
#define SCLP_EVENT_ASCII 0x1Au
/* Event-type mask bit: 0x80000000 >> (type - 1). */
#define SCLP_MASK_ASCII (0x80000000u >> (SCLP_EVENT_ASCII - 1))

/* Busy retries of SERVICE CALL (cc 2) before giving up on a write. */
#define SCLP_BUSY_TRIES 1000

struct sccb_header {
	be16 length;
	u8 function_code;
	u8 control_mask[3];
	be16 response_code;
} __packed;
BUILD_ASSERT(sizeof(struct sccb_header) == 8);

struct sccb_event_mask {
	struct sccb_header h;
	be16 reserved;
	be16 mask_length; /* 4 */
	be32 cp_receive_mask;
	be32 cp_send_mask;
	be32 sclp_receive_mask;
	be32 sclp_send_mask;
} __packed;
BUILD_ASSERT(sizeof(struct sccb_event_mask) == 28);

struct sccb_event_buffer {
	be16 length; /* 6 + data */
	u8 type;
	u8 flags;
	be16 reserved;
} __packed;

struct sccb_write {
	struct sccb_header h;
	struct sccb_event_buffer ev;
	char data[];
} __packed;

/* The SCCB must be below 2 GiB, out of 0..0x1FFF, and not cross 4 KiB:
 * a page of its own in .bss meets all of it. One SCCB is reused, so the
 * ORed service-signal parameter stays meaningful. */
static u8 sccb_page[4096] __aligned(4096);

#define SCLP_MAX_DATA (sizeof(sccb_page) - sizeof(struct sccb_write))

static int servc(u32 cmd, void *sccb)
{
	u64 sccb_addr = (u64)(uintptr_t)sccb;
	int cc;

	/* binutils has no SERVC mnemonic: B220 RRE, R1 command, R2 SCCB. */
	asm volatile("	.insn	rre,0xb2200000,%[cmd],%[sccb]\n"
		     "	ipm	%[cc]\n"
		     "	srl	%[cc],28\n"
		     : [cc] "=&d"(cc)
		     : [cmd] "d"((u64)cmd), [sccb] "a"(sccb_addr)
		     : "cc", "memory");
	return cc;
}

static int servc_retry(u32 cmd, void *sccb)
{
	int cc = 2;
	int i;

	for (i = 0; i < SCLP_BUSY_TRIES && cc == 2; i++)
		cc = servc(cmd, sccb);
	return cc;
}

bool sclp_ascii_probe(void)
{
	struct sccb_event_mask *m = (struct sccb_event_mask *)sccb_page;

	memset(sccb_page, 0, sizeof(struct sccb_event_mask));
	m->h.length = cpu_to_be16(sizeof(*m));
	m->mask_length = cpu_to_be16(4);
	/* Receive too: ccwboot's PROMPT reads the console (sclp_ascii_read). */
	m->cp_receive_mask = cpu_to_be32(SCLP_MASK_ASCII);
	m->cp_send_mask = cpu_to_be32(SCLP_MASK_ASCII);
	if (servc_retry(SCLP_CMD_WRITE_EVENT_MASK, m) != 0)
		return false;
	return be16_to_cpu(m->h.response_code) == SCLP_RESP_NORMAL &&
	       (be32_to_cpu(m->sclp_receive_mask) & SCLP_MASK_ASCII);
}

int sclp_ascii_write(const char *s, size_t n)
{
	struct sccb_write *w = (struct sccb_write *)sccb_page;

	while (n > 0) {
		size_t k = MIN(n, SCLP_MAX_DATA);

		memset(sccb_page, 0, sizeof(*w));
		w->h.length = cpu_to_be16((u16)(sizeof(*w) + k));
		w->ev.length = cpu_to_be16((u16)(sizeof(w->ev) + k));
		w->ev.type = SCLP_EVENT_ASCII;
		memcpy(w->data, s, k);
		if (servc_retry(SCLP_CMD_WRITE_EVENT_DATA, w) != 0 ||
		    be16_to_cpu(w->h.response_code) != SCLP_RESP_NORMAL)
			return -VERR_IO;
		s += k;
		n -= k;
	}
	return 0;
}

int sclp_ascii_read(char *buf, size_t size)
{
	struct sccb_write *r = (struct sccb_write *)sccb_page;
	size_t n;
	int cc;

	/* An unconditional read (function code 0): one event buffer, or the
	 * answer that none is there (QEMU hw/s390x/event-facility.c). */
	memset(sccb_page, 0, sizeof(sccb_page));
	r->h.length = cpu_to_be16(sizeof(sccb_page));
	cc = servc_retry(SCLP_CMD_READ_EVENT_DATA, r);
	if (cc != 0)
		return -VERR_IO;
	if (be16_to_cpu(r->h.response_code) != SCLP_RESP_NORMAL)
		return 0;
	if (r->ev.type != SCLP_EVENT_ASCII || be16_to_cpu(r->ev.length) < sizeof(r->ev))
		return 0;
	n = be16_to_cpu(r->ev.length) - sizeof(r->ev);
	n = MIN(n, MIN(size, SCLP_MAX_DATA));
	memcpy(buf, r->data, n);
	return (int)n;
}

/* READ SCP INFO's answer, the fields used (QEMU hw/s390x/sclp.c; Linux
 * drivers/s390/char/sclp_early.c): offsets from the SCCB's start. */
#define RI_RNMAX 8u      /* u16: storage increments */
#define RI_RNSIZE 10u    /* u8: increment size in MiB */
#define RI_LOADPARM 24u  /* 8 EBCDIC characters */
#define RI_RNSIZE2 100u  /* u32 */
#define RI_RNMAX2 104u   /* u64 */

int sclp_read_info(bool forced, u64 *mem_bytes, u8 loadparm[8])
{
	struct sccb_header *h = (struct sccb_header *)sccb_page;
	const u8 *p = sccb_page;
	u64 rnmax, rnsize;
	int cc;

	memset(sccb_page, 0, sizeof(sccb_page));
	h->length = cpu_to_be16(sizeof(sccb_page));
	cc = servc_retry(forced ? SCLP_CMD_READ_SCP_INFO_FORCED : SCLP_CMD_READ_SCP_INFO, h);
	if (cc != 0)
		return -VERR_IO;
	if (be16_to_cpu(h->response_code) != SCLP_RESP_READ_DONE)
		return -VERR_NOTSUP;
	rnmax = (u64)p[RI_RNMAX] << 8 | p[RI_RNMAX + 1];
	rnsize = p[RI_RNSIZE];
	if (!rnsize)
		rnsize = get_be32(p + RI_RNSIZE2);
	if (!rnmax)
		rnmax = (u64)get_be32(p + RI_RNMAX2) << 32 | get_be32(p + RI_RNMAX2 + 4);
	*mem_bytes = rnmax * rnsize << 20;
	memcpy(loadparm, p + RI_LOADPARM, 8);
	return 0;
}
