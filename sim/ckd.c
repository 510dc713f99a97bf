/*
 * CKD disk images in Hercules' uncompressed format (see ckd.h): checking
 * and opening one, creating one as dasdinit 3.13 does, the track cache.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/ckd.h"

/* Device header fields (Hercules: CKDDASD_DEVHDR; little-endian words). */
#define HDR_ID	    0  /* "CKD_P370" */
#define HDR_HEADS   8  /* 4 bytes */
#define HDR_TRKSIZE 12 /* 4 bytes */
#define HDR_DEVTYPE 16 /* low byte of the device type */
#define HDR_FILESEQ 17 /* 0: the only file of the volume */
#define HDR_HIGHCYL 18 /* 2 bytes; 0: the last file */

static void set_why(char *why, const char *fmt, const char *a, const char *b)
{
	if (why)
		snprintf(why, SIM_WHY_LEN, fmt, a, b);
}

/* EBCDIC (code page 037) of printable ASCII 0x20-0x7E. */
static const u8 ebcdic037[95] = {
	0x40, 0x5A, 0x7F, 0x7B, 0x5B, 0x6C, 0x50, 0x7D, 0x4D, 0x5D, 0x5C, 0x4E, 0x6B, 0x60,
	0x4B, 0x61, 0xF0, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0x7A, 0x5E,
	0x4C, 0x7E, 0x6E, 0x6F, 0x7C, 0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9,
	0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6,
	0xE7, 0xE8, 0xE9, 0xBA, 0xE0, 0xBB, 0xB0, 0x6D, 0x79, 0x81, 0x82, 0x83, 0x84, 0x85,
	0x86, 0x87, 0x88, 0x89, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0xA2,
	0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xC0, 0x4F, 0xD0, 0xA1,
};

u8 sim_ckd_ebcdic(char c)
{
	unsigned char u = (unsigned char)c;

	return u >= 0x20 && u <= 0x7E ? ebcdic037[u - 0x20] : 0x6F;
}

u32 sim_ckd_3390_space(u32 kl, u32 dl)
{
	u32 two_f5 = 2 * CKD_3390_F5;
	u32 dint = (dl + CKD_3390_F6 + two_f5 - 1) / two_f5;
	u32 kint = (kl + CKD_3390_F6 + two_f5 - 1) / two_f5;
	u32 d = CKD_3390_F1 * CKD_3390_F2 + dl + CKD_3390_F6 + CKD_3390_F4 * dint;
	u32 k = kl ? CKD_3390_F1 * CKD_3390_F3 + kl + CKD_3390_F6 + CKD_3390_F4 * kint : 0;

	/* Both areas are whole cells of F1 bytes. */
	d = (d + CKD_3390_F1 - 1) / CKD_3390_F1 * CKD_3390_F1;
	k = (k + CKD_3390_F1 - 1) / CKD_3390_F1 * CKD_3390_F1;
	return d + k;
}

/*
 * Check a device header against the file size, as Hercules does when it
 * attaches the image (ckddasd.c: identifier, geometry, size a whole number
 * of cylinders, one file). Returns 0 with *g set, or -1 with a reason.
 */
/* The first 8 bytes of a header, printable, for a message. */
static void show_id(const u8 *h, char out[40])
{
	char text[9];

	for (unsigned i = 0; i < 8; i++)
		text[i] = h[HDR_ID + i] >= 0x20 && h[HDR_ID + i] < 0x7F ? (char)h[HDR_ID + i] : '.';
	text[8] = '\0';
	snprintf(out, 40, "\"%s\" (%02x %02x %02x %02x ...)", text, h[HDR_ID], h[HDR_ID + 1],
		 h[HDR_ID + 2], h[HDR_ID + 3]);
}

static int check_header(const u8 *h, u64 size, struct sim_ckd_geom *g, char *why)
{
	u32 heads = get_le32(h + HDR_HEADS), trksize = get_le32(h + HDR_TRKSIZE);
	char id[40];
	u64 tracks;

	/* Each refusal says what the file has, and what was expected. */
	if (!memcmp(h + HDR_ID, "CKD_C370", 8) || !memcmp(h + HDR_ID, "CKD_C064", 8)) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "a compressed (CCKD, %.8s) image: only uncompressed "
				 "CKD_P370 images are supported", (const char *)h + HDR_ID);
		return SIM_ERR;
	}
	if (memcmp(h + HDR_ID, "CKD_P370", 8)) {
		show_id(h, id);
		if (why)
			snprintf(why, SIM_WHY_LEN, "not a Hercules CKD image: it starts with %s, not "
				 "CKD_P370", id);
		return SIM_ERR;
	}
	if (h[HDR_DEVTYPE] != CKD_3390_DEVTYPE || heads != CKD_3390_HEADS ||
	    trksize != CKD_3390_TRKSIZE) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "not a 3390 image: device type 0x%02x, %u heads, "
				 "%u-byte tracks (a 3390 has 0x90, 15, 56832)", h[HDR_DEVTYPE], heads,
				 trksize);
		return SIM_ERR;
	}
	if (h[HDR_FILESEQ] != 0 || h[HDR_HIGHCYL] || h[HDR_HIGHCYL + 1]) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "file %u of a volume of several files (highest "
				 "cylinder %u): only single-file volumes are supported", h[HDR_FILESEQ],
				 (unsigned)(h[HDR_HIGHCYL] | h[HDR_HIGHCYL + 1] << 8));
		return SIM_ERR;
	}
	if (size < CKD_HDR_SIZE + (u64)trksize * heads || (size - CKD_HDR_SIZE) % trksize) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "the file has %llu bytes: not the %u-byte header and "
				 "whole tracks of %u bytes", (unsigned long long)size, CKD_HDR_SIZE,
				 trksize);
		return SIM_ERR;
	}
	tracks = (size - CKD_HDR_SIZE) / trksize;
	if (tracks % heads || tracks / heads > CKD_3390_MAX_CYLS) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "the file holds %llu tracks: not whole cylinders of "
				 "%u tracks, at most %u", (unsigned long long)tracks, heads,
				 CKD_3390_MAX_CYLS);
		return SIM_ERR;
	}
	g->cyls = (u32)(tracks / heads);
	g->heads = heads;
	g->trksize = trksize;
	g->devtype = h[HDR_DEVTYPE];
	return 0;
}

static bool read_all(int fd, void *buf, size_t len, off_t at)
{
	u8 *p = buf;

	while (len) {
		ssize_t n = pread(fd, p, len, at);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		at += n;
		len -= (size_t)n;
	}
	return true;
}

static bool write_all(int fd, const void *buf, size_t len, off_t at)
{
	const u8 *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, at);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		at += n;
		len -= (size_t)n;
	}
	return true;
}

int sim_ckd_probe(const char *path, struct sim_ckd_geom *g, char *why)
{
	u8 h[CKD_HDR_SIZE];
	struct stat st;
	int fd, rc;

	errno = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0 || !read_all(fd, h, sizeof(h), 0)) {
		set_why(why, "cannot read %s: %s", path, errno ? strerror(errno) : "too short");
		if (fd >= 0)
			close(fd);
		return SIM_ERR;
	}
	rc = check_header(h, (u64)st.st_size, g, why);
	close(fd);
	return rc;
}

int sim_ckd_open(struct sim_ckd_image *im, const char *path, bool ro, char *why)
{
	u8 h[CKD_HDR_SIZE];
	struct stat st;
	void *p;

	memset(im, 0, sizeof(*im));
	im->ro = ro;
	errno = 0;
	im->fd = open(path, (ro ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (im->fd < 0 || fstat(im->fd, &st) != 0 || !read_all(im->fd, h, sizeof(h), 0)) {
		set_why(why, "cannot open %s: %s", path, errno ? strerror(errno) : "too short");
		goto out_close;
	}
	if (check_header(h, (u64)st.st_size, &im->g, why))
		goto out_close;
	im->tracks = im->g.cyls * im->g.heads;
	p = mmap(NULL, (size_t)st.st_size, ro ? PROT_READ : PROT_READ | PROT_WRITE, MAP_PRIVATE,
		 im->fd, 0);
	if (p == MAP_FAILED) {
		set_why(why, "cannot map %s: %s", path, strerror(errno));
		goto out_close;
	}
	im->map = p;
	im->map_len = (size_t)st.st_size;
	im->dirty = calloc(im->tracks / 64 + 1, sizeof(u64));
	if (!im->dirty) {
		set_why(why, "%s%s", "out of memory", "");
		goto out_unmap;
	}
	return 0;

out_unmap:
	munmap(im->map, im->map_len);
	im->map = NULL;
out_close:
	if (im->fd >= 0)
		close(im->fd);
	im->fd = -1;
	return SIM_ERR;
}

u8 *sim_ckd_track(struct sim_ckd_image *im, u32 trk)
{
	return im->map + CKD_HDR_SIZE + (size_t)trk * im->g.trksize;
}

void sim_ckd_mark_dirty(struct sim_ckd_image *im, u32 trk)
{
	u64 bit = (u64)1 << (trk % 64);

	if (!(im->dirty[trk / 64] & bit)) {
		im->dirty[trk / 64] |= bit;
		im->ndirty++;
	}
}

int sim_ckd_sync(struct sim_ckd_image *im)
{
	int rc = 0;

	if (!im->map || im->ro)
		return 0;
	for (u32 t = 0; im->ndirty && t < im->tracks; t++) {
		u64 bit = (u64)1 << (t % 64);

		if (!im->dirty[t / 64]) {
			t |= 63;
			continue;
		}
		if (!(im->dirty[t / 64] & bit))
			continue;
		if (!write_all(im->fd, sim_ckd_track(im, t), im->g.trksize,
			       (off_t)CKD_HDR_SIZE + (off_t)t * im->g.trksize)) {
			rc = -1;
			continue;
		}
		im->dirty[t / 64] &= ~bit;
		im->ndirty--;
	}
	if (fsync(im->fd) != 0)
		rc = -1;
	return rc;
}

void sim_ckd_close(struct sim_ckd_image *im)
{
	if (im->map) {
		sim_ckd_sync(im);
		munmap(im->map, im->map_len);
	}
	if (im->fd >= 0)
		close(im->fd);
	free(im->dirty);
	memset(im, 0, sizeof(*im));
	im->fd = -1;
}

/* --- Creating an image as dasdinit does ---------------------------------- */

/* The records dasdinit puts on cylinder 0 head 0 (dasdutil.c,
 * create_ckd_file; bytes checked against a dasdinit 3.13 image). */
#define IPL1_DLEN  24u
#define IPL2_DLEN  144u
#define VOL1_DLEN  80u
#define LABEL_KLEN 4u

/* IPL1's data: a wait PSW, then a NOP CCW and an empty one. */
static const u8 ipl1_data[IPL1_DLEN] = {
	0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0F, /* PSW: disabled wait */
	0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, /* CCW1: NOP, count 1 */
};

/* count places EBCDIC bytes of s, blank-padded, at p. */
static void put_ebcdic(u8 *p, const char *s, size_t count)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < count; i++)
		p[i] = i < n ? sim_ckd_ebcdic(s[i]) : 0x40;
}

/* A count field and, after it, the key (EBCDIC); returns the data's place. */
static u8 *put_record(u8 *p, u32 cyl, u32 head, u8 rec, const char *key, u32 dl)
{
	u32 kl = key ? (u32)strlen(key) : 0;

	put_be16(p, cyl);
	put_be16(p + 2, head);
	p[4] = rec;
	p[5] = (u8)kl;
	put_be16(p + 6, dl);
	if (kl)
		put_ebcdic(p + CKD_COUNT_SIZE, key, kl);
	return p + CKD_COUNT_SIZE + kl;
}

/* An empty track: home address, R0 with 8 zero bytes, end of track. */
static u8 *empty_track(u8 *t, u32 cyl, u32 head)
{
	u8 *p;

	memset(t, 0, CKD_3390_TRKSIZE);
	put_be16(t + 1, cyl);
	put_be16(t + 3, head);
	p = put_record(t + CKD_HA_SIZE, cyl, head, 0, NULL, 8) + 8;
	memset(p, 0xFF, CKD_EOT_SIZE);
	return p;
}

/* Cylinder 0 head 0: R0, IPL1, IPL2, VOL1 with the volume serial. */
static void label_track(u8 *t, const char *volser)
{
	u8 *p = empty_track(t, 0, 0);

	p = put_record(p, 0, 0, 1, "IPL1", IPL1_DLEN);
	memcpy(p, ipl1_data, IPL1_DLEN);
	p = put_record(p + IPL1_DLEN, 0, 0, 2, "IPL2", IPL2_DLEN);
	p = put_record(p + IPL2_DLEN, 0, 0, 3, "VOL1", VOL1_DLEN);
	/* The standard DASD volume label (z/OS DFSMSdfp Advanced Services,
	 * "Volume Label"): label id, serial, security byte, the VTOC's CCHHR,
	 * reserved blanks, the owner, blanks. */
	put_ebcdic(p, "VOL1", 4);
	put_ebcdic(p + 4, volser, 6);
	p[10] = 0x40;
	put_be16(p + 11, 0);
	put_be16(p + 13, 1);
	p[15] = 1;
	memset(p + 16, 0x40, 21);
	put_ebcdic(p + 37, "    HERCULES", 14);
	memset(p + 51, 0x40, 29);
	memset(p + VOL1_DLEN, 0xFF, CKD_EOT_SIZE);
}

/* A volume serial as dasdinit takes it: 1 to 6 characters, upper-cased. */
static bool volser_ok(const char *v, char out[7])
{
	size_t n = v ? strlen(v) : 0;

	if (n < 1 || n > 6)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = v[i];

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '@' || c == '#' ||
		      c == '$'))
			return false;
		out[i] = c;
	}
	out[n] = 0;
	return true;
}

int sim_ckd_create(const char *path, u32 cyls, const char *volser, char *why)
{
	const size_t cyl_bytes = (size_t)CKD_3390_HEADS * CKD_3390_TRKSIZE;
	char vol[7];
	u8 h[CKD_HDR_SIZE];
	u8 *buf;
	int fd;

	if (!volser_ok(volser, vol)) {
		set_why(why, "%s%s", "invalid volume serial (1 to 6 of A-Z 0-9 @ # $)", "");
		return SIM_ERR;
	}
	if (cyls < 1 || cyls > CKD_3390_MAX_CYLS) {
		set_why(why, "%s%s", "a 3390 has 1 to 65520 cylinders", "");
		return SIM_ERR;
	}
	buf = malloc(cyl_bytes);
	if (!buf) {
		set_why(why, "%s%s", "out of memory", "");
		return SIM_ERR;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0) {
		set_why(why, "cannot create %s: %s", path, strerror(errno));
		free(buf);
		return SIM_ERR;
	}
	memset(h, 0, sizeof(h));
	memcpy(h + HDR_ID, "CKD_P370", 8);
	put_le32(h + HDR_HEADS, CKD_3390_HEADS);
	put_le32(h + HDR_TRKSIZE, CKD_3390_TRKSIZE);
	h[HDR_DEVTYPE] = CKD_3390_DEVTYPE;
	if (!write_all(fd, h, sizeof(h), 0))
		goto out_fail;
	for (u32 c = 0; c < cyls; c++) {
		for (u32 hd = 0; hd < CKD_3390_HEADS; hd++) {
			u8 *t = buf + (size_t)hd * CKD_3390_TRKSIZE;

			if (c == 0 && hd == 0)
				label_track(t, vol);
			else
				empty_track(t, c, hd);
		}
		if (!write_all(fd, buf, cyl_bytes,
			       (off_t)CKD_HDR_SIZE + (off_t)c * (off_t)cyl_bytes))
			goto out_fail;
	}
	if (fsync(fd) != 0)
		goto out_fail;
	free(buf);
	if (close(fd) != 0) {
		set_why(why, "cannot write %s: %s", path, strerror(errno));
		unlink(path);
		return SIM_ERR;
	}
	return 0;

out_fail:
	set_why(why, "cannot write %s: %s", path, strerror(errno));
	free(buf);
	close(fd);
	unlink(path);
	return SIM_ERR;
}
