/*
 * ckdcheck: look into a CKD disk image in Hercules' uncompressed format (as
 * dasdinit writes it) after a run, without Hercules.
 *
 *   ckdcheck IMAGE list CYL HEAD
 *       print the track's home address and every record's count field
 *   ckdcheck IMAGE pattern CYL HEAD RECORDS DL SEED [TAG]
 *       check that the track holds R0 and exactly records 1..RECORDS, key
 *       length 0, DL data bytes each, record r filled with DL/8 copies of
 *       the big-endian 64-bit value (SEED << 32) | (TAG + r) (TAG default 0),
 *       followed by the end-of-track marker
 *
 * Exit status 0 when the check passed (list: when the track could be
 * read), 1 when it failed, 2 for a usage or file error. The tour's DASD
 * write-verify leaves "pattern 1 0 12 4096 <seed>" on a scratch volume,
 * and on head 1 "pattern 1 1 2 4096 <seed> 65536" (its multitrack records).
 *
 * Image layout (as Hercules 3.13's ckddasd.c and dasdinit write and read
 * it, checked with xxd on a fresh dasdinit volume): a 512-byte device
 * header ("CKD_P370", heads and track size as little-endian 32-bit words
 * at bytes 8 and 12, device type byte at 16), then every track in a slot
 * of the track size: a 5-byte home address (flag byte, CC, HH), records as
 * an 8-byte count field (CC HH R KL DLDL, big-endian) followed by key and
 * data, and the end-of-track marker of eight 0xFF bytes. So track (c, h)
 * starts at 512 + (c * heads + h) * trksize.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HDR_SIZE   512u
#define HA_SIZE	   5u
#define COUNT_SIZE 8u

struct image {
	FILE *f;
	const char *path;
	uint32_t heads, trksize, cyls;
	uint8_t devtype;
};

static uint32_t le32(const uint8_t *b)
{
	return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) |
	       ((uint32_t)b[3] << 24);
}

static unsigned be16(const uint8_t *b)
{
	return ((unsigned)b[0] << 8) | b[1];
}

static int open_image(struct image *im, const char *path)
{
	uint8_t hdr[HDR_SIZE];
	long size;

	memset(im, 0, sizeof(*im));
	im->path = path;
	im->f = fopen(path, "rb");
	if (!im->f) {
		fprintf(stderr, "ckdcheck: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fread(hdr, 1, sizeof(hdr), im->f) != sizeof(hdr) || memcmp(hdr, "CKD_P370", 8)) {
		fprintf(stderr,
			"ckdcheck: %s: not an uncompressed CKD image (no CKD_P370 header)\n", path);
		return -1;
	}
	im->heads = le32(hdr + 8);
	im->trksize = le32(hdr + 12);
	im->devtype = hdr[16];
	if (im->heads == 0 || im->trksize < HA_SIZE + 2 * COUNT_SIZE || im->trksize > (1u << 20)) {
		fprintf(stderr, "ckdcheck: %s: implausible header: %u heads, track size %u\n", path,
			im->heads, im->trksize);
		return -1;
	}
	if (fseek(im->f, 0, SEEK_END) == 0 && (size = ftell(im->f)) > (long)HDR_SIZE)
		im->cyls = (uint32_t)(((uint64_t)size - HDR_SIZE) / im->trksize / im->heads);
	return 0;
}

/* Read track (cyl, head) into buf (trksize bytes). */
static int read_track(struct image *im, unsigned cyl, unsigned head, uint8_t *buf)
{
	uint64_t off;

	if (head >= im->heads || cyl >= im->cyls) {
		fprintf(stderr, "ckdcheck: %s: track %u/%u is outside the image (%u x %u)\n",
			im->path, cyl, head, im->cyls, im->heads);
		return -1;
	}
	off = HDR_SIZE + ((uint64_t)cyl * im->heads + head) * im->trksize;
	if (fseek(im->f, (long)off, SEEK_SET) || fread(buf, 1, im->trksize, im->f) != im->trksize) {
		fprintf(stderr, "ckdcheck: %s: cannot read track %u/%u\n", im->path, cyl, head);
		return -1;
	}
	return 0;
}

static const uint8_t eot[COUNT_SIZE] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };

/* Walk the records of a track: calls fn for each count field with its key
 * and data. Returns the number of records, or -1 when the track is broken. */
typedef int (*rec_fn)(void *ctx, const uint8_t *count, const uint8_t *kd);

static int walk(const uint8_t *trk, uint32_t trksize, rec_fn fn, void *ctx)
{
	uint32_t pos = HA_SIZE;
	int n = 0;

	for (;;) {
		const uint8_t *c = trk + pos;
		uint32_t len;

		if (pos + COUNT_SIZE > trksize) {
			printf("track runs past its %u bytes without an end-of-track marker\n",
			       trksize);
			return -1;
		}
		if (!memcmp(c, eot, COUNT_SIZE))
			return n;
		len = COUNT_SIZE + c[5] + be16(c + 6);
		if (pos + len > trksize) {
			printf("record R%u (%u bytes at offset %u) runs past the track\n", c[4],
			       len, pos);
			return -1;
		}
		if (fn(ctx, c, c + COUNT_SIZE))
			return -1;
		pos += len;
		n++;
	}
}

static int list_one(void *ctx, const uint8_t *c, const uint8_t *kd)
{
	(void)ctx;
	printf("  R%-3u CCHH %04x %04x  key %3u  data %5u  first data bytes", c[4], be16(c),
	       be16(c + 2), c[5], be16(c + 6));
	for (unsigned i = 0; i < 8 && i < be16(c + 6); i++)
		printf(" %02x", kd[c[5] + i]);
	printf("\n");
	return 0;
}

struct pattern {
	unsigned cyl, head, records, dl, next;
	uint64_t seed, tag;
	unsigned bad;
};

static int check_one(void *ctx, const uint8_t *c, const uint8_t *kd)
{
	struct pattern *p = ctx;
	unsigned rec = c[4], kl = c[5], dl = be16(c + 6);

	if (be16(c) != p->cyl || be16(c + 2) != p->head) {
		printf("R%u: count field says CCHH %u/%u, not %u/%u\n", rec, be16(c), be16(c + 2),
		       p->cyl, p->head);
		p->bad++;
	}
	if (p->next == 0) {
		if (rec != 0 || kl != 0 || dl != 8) {
			printf("R0: record %u, key %u, data %u where R0 with 8 data bytes "
			       "belongs\n",
			       rec, kl, dl);
			p->bad++;
		}
		p->next = 1;
		return 0;
	}
	if (rec != p->next || kl != 0 || dl != p->dl) {
		printf("record %u: R%u key %u data %u, expected R%u key 0 data %u\n", p->next, rec,
		       kl, dl, p->next, p->dl);
		p->bad++;
	} else {
		uint64_t v = (p->seed << 32) | (p->tag + rec);
		unsigned off;

		for (off = 0; off + 8 <= dl; off += 8) {
			uint64_t got = 0;

			for (unsigned i = 0; i < 8; i++)
				got = (got << 8) | kd[off + i];
			if (got != v) {
				printf("R%u: data byte %u holds %016" PRIx64
				       ", expected %016" PRIx64 "\n",
				       rec, off, got, v);
				p->bad++;
				break;
			}
		}
	}
	p->next++;
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: ckdcheck IMAGE list CYL HEAD\n"
			"       ckdcheck IMAGE pattern CYL HEAD RECORDS DL SEED [TAG]\n");
	return 2;
}

static int number(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno || *end || end == s || *out > max ? -1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long long v[6] = { 0 };
	struct image im;
	uint8_t *trk;
	int n, rc;

	if (argc < 5)
		return usage();
	for (int i = 3; i < argc && i < 9; i++)
		if (number(argv[i], 0xFFFFFFFFull, &v[i - 3]))
			return usage();
	if (open_image(&im, argv[1]))
		return 2;
	trk = malloc(im.trksize);
	if (!trk || read_track(&im, (unsigned)v[0], (unsigned)v[1], trk))
		return 2;

	if (!strcmp(argv[2], "list") && argc == 5) {
		printf("%s: %u cylinders x %u heads, track size %u, device type %02x\n", im.path,
		       im.cyls, im.heads, im.trksize, im.devtype);
		printf("track %llu/%llu: home address %02x %04x %04x\n", v[0], v[1], trk[0],
		       be16(trk + 1), be16(trk + 3));
		n = walk(trk, im.trksize, list_one, NULL);
		if (n >= 0)
			printf("  %d records, then end of track\n", n);
		rc = n < 0;
	} else if (!strcmp(argv[2], "pattern") && (argc == 8 || argc == 9)) {
		struct pattern p = { (unsigned)v[0],
				     (unsigned)v[1],
				     (unsigned)v[2],
				     (unsigned)v[3],
				     0,
				     v[4],
				     v[5],
				     0 };

		if (be16(trk + 1) != p.cyl || be16(trk + 3) != p.head) {
			printf("home address says %u/%u, not %u/%u\n", be16(trk + 1), be16(trk + 3),
			       p.cyl, p.head);
			p.bad++;
		}
		n = walk(trk, im.trksize, check_one, &p);
		if (n >= 0 && (unsigned)n != p.records + 1) {
			printf("the track holds %d records after R0, expected %u\n", n - 1,
			       p.records);
			p.bad++;
		}
		rc = n < 0 || p.bad;
		printf("ckdcheck: %s track %u/%u: %s (%u records of %u bytes, seed %llu, tag "
		       "%llu)\n",
		       im.path, p.cyl, p.head, rc ? "FAIL" : "PASS", p.records, p.dl, v[4], v[5]);
	} else {
		return usage();
	}
	free(trk);
	fclose(im.f);
	return rc;
}
