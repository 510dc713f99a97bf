/*
 * virtio-scsi against virtio-blk on the simulator, on equal terms: one
 * 64 MiB file of random bytes attached read-only both as a virtio-blk disk
 * and as a scsi-hd (512-byte blocks) on a virtio-scsi adapter, each read
 * from start to end through the whole stack (the driver's submit, the
 * ring, DIAGNOSE 0x500 of the host port, the device model's pread, the
 * used ring, the driver's completion) in 128 KiB requests with 8 in
 * flight, as the tour reads a disk, 8 times a run. Runs interleaved,
 * median of several;
 * the data of the first run of each is checked against the file. One
 * "BENCH <name> <value> <unit>" line per figure.
 *
 * Usage: bench-scsi FILE [runs]   (FILE is made, read and removed)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "boot/host/host.h"
#include "ccw/vccw.h"
#include "devices/vblk.h"
#include "devices/vscsi.h"
#include "sim/dev_scsi.h"
#include "sim/vdev.h"
#include "tests/prng.h"

#define FILE_BYTES   (64u << 20)
#define CHUNK        (128u << 10)
#define DEPTH        8u
#define PASSES       8u   /* the file read whole this often a run */
#define GUEST_MEM    (16u << 20)
#define DEFAULT_RUNS 5u
#define MAX_RUNS     31u

struct bench {
	struct sim *sim;
	struct css css;
	struct vccw *vb, *vs;
	struct vblk *b;
	struct vscsi *s;
	const struct vscsi_lun *lun;
	u8 *buf;          /* DEPTH chunks of guest memory */
	u8 *file;         /* the file's bytes, for the check */
	const char *path;
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int die(const char *what, const char *why)
{
	fprintf(stderr, "bench-scsi: %s: %s\n", what, why);
	return 1;
}

static int setup(struct bench *bn)
{
	struct sim_config cfg = { .mem_size = GUEST_MEM, .profile = SIM_PROFILE_QEMU,
				  .completion = SIM_COMPLETE_SYNC, .mss = true };
	struct sim_blk_opts bo = { 0 };
	struct sim_scsi_opts so = { .nluns = 1 };
	struct sim_dev_config dev = { .schno = -1, .devno = 1 };
	char why[SIM_WHY_LEN] = "";
	long sb, ss;
	u64 seed = 0x5C5151u;
	FILE *f;
	int err;

	bn->file = malloc(FILE_BYTES);
	if (!bn->file)
		return die("memory", "exhausted");
	prng_fill(bn->file, FILE_BYTES, &seed);
	f = fopen(bn->path, "wb");
	if (!f || fwrite(bn->file, 1, FILE_BYTES, f) != FILE_BYTES || fclose(f))
		return die(bn->path, "cannot be written");
	bn->sim = sim_create(&cfg);
	if (!bn->sim)
		return die("sim_create", "failed");
	bo.path = bn->path;
	bo.read_only = true;
	sb = sim_vdev_blk(bn->sim, &dev, NULL, &bo, why);
	if (sb < 0)
		return die("sim_vdev_blk", why);
	so.lun[0] = (struct sim_scsi_lun){ .path = bn->path, .read_only = true };
	dev.devno = 2;
	ss = sim_vdev_scsi(bn->sim, &dev, NULL, &so, why);
	if (ss < 0)
		return die("sim_vdev_scsi", why);
	host_bind(bn->sim);
	if (css_init(&bn->css))
		return die("css_init", "failed");
	bn->vb = port_dma_alloc(sizeof(*bn->vb), 8);
	bn->vs = port_dma_alloc(sizeof(*bn->vs), 8);
	bn->b = port_dma_alloc(sizeof(*bn->b), 8);
	bn->s = port_dma_alloc(sizeof(*bn->s), 8);
	bn->buf = port_dma_alloc((size_t)CHUNK * DEPTH, 4096);
	if (!bn->vb || !bn->vs || !bn->b || !bn->s || !bn->buf)
		return die("guest memory", "exhausted");
	err = vccw_init(bn->vb, &bn->css, (u32)sb, VIRTIO_ID_BLOCK, NULL);
	if (err)
		return die("vccw_init", bn->vb->vdev.why);
	err = vblk_init(bn->b, vccw_virtio(bn->vb), DEPTH);
	if (err)
		return die("vblk_init", bn->b->why);
	err = vccw_init(bn->vs, &bn->css, (u32)ss, VIRTIO_ID_SCSI, NULL);
	if (err)
		return die("vccw_init", bn->vs->vdev.why);
	err = vscsi_init(bn->s, vccw_virtio(bn->vs));
	if (!err)
		err = vscsi_scan(bn->s);
	if (err)
		return die("virtio-scsi", bn->s->why);
	if (bn->s->nluns != 1 || bn->s->luns[0].blocks * bn->s->luns[0].blk_size != FILE_BYTES)
		return die("virtio-scsi", "the disk is not the file");
	if (bn->b->blocks * bn->b->blk_size != FILE_BYTES || CHUNK > bn->b->max_transfer)
		return die("virtio-blk", "the disk is not the file, or 128 KiB is too large");
	bn->lun = &bn->s->luns[0];
	if (bn->s->depth < DEPTH || vscsi_max_blocks(bn->s, bn->lun) < CHUNK / 512)
		return die("virtio-scsi", "fewer than 8 commands of 128 KiB in flight");
	return 0;
}

/* The chunk that finished, checked against the file when asked. */
static int finished(struct bench *bn, unsigned slot, u64 off, bool check)
{
	if (check && memcmp(bn->buf + (size_t)slot * CHUNK, bn->file + off, CHUNK)) {
		fprintf(stderr, "bench-scsi: the data at %llu differ from the file\n",
			(unsigned long long)off);
		return -1;
	}
	return 0;
}

/* The whole file PASSES times through one driver; MiB/s, or < 0. */
static double run(struct bench *bn, bool scsi, bool check)
{
	const u64 total = (u64)FILE_BYTES * PASSES;
	u64 off_of[DEPTH], next = 0, done = 0;
	unsigned free_slot[DEPTH], nfree = DEPTH;
	double t0;

	for (unsigned i = 0; i < DEPTH; i++)
		free_slot[i] = i;
	t0 = now_ns();
	while (done < total) {
		void *cookie;
		int result, rc;

		while (nfree && next < total) {
			unsigned s = free_slot[--nfree];
			void *at = bn->buf + (size_t)s * CHUNK;
			u64 off = next % FILE_BYTES;

			off_of[s] = off;
			rc = scsi ? vscsi_submit(bn->s, bn->lun, false, off / 512, CHUNK / 512, at,
						 (void *)(uintptr_t)s)
				  : vblk_submit(bn->b, VBLK_READ, off / VBLK_SECTOR, at, CHUNK,
						(void *)(uintptr_t)s);
			if (rc) {
				fprintf(stderr, "bench-scsi: submit: %s\n", scsi ? bn->s->why : bn->b->why);
				return -1;
			}
			next += CHUNK;
		}
		if (scsi ? vscsi_kick(bn->s) : vblk_kick(bn->b))
			return -1;
		while ((rc = scsi ? vscsi_complete(bn->s, &cookie, &result)
				  : vblk_complete(bn->b, &cookie, &result)) == 1) {
			unsigned s = (unsigned)(uintptr_t)cookie;

			if (result || (scsi && bn->s->done != CHUNK) ||
			    finished(bn, s, off_of[s], check)) {
				fprintf(stderr, "bench-scsi: read: %s\n", scsi ? bn->s->why : bn->b->why);
				return -1;
			}
			free_slot[nfree++] = s;
			done += CHUNK;
		}
		if (rc < 0)
			return -1;
		if (nfree == 0) {
			u64 deadline = port_now_us() + VSCSI_TIMEOUT_US;

			rc = scsi ? vscsi_wait(bn->s, deadline) : vblk_wait(bn->b, deadline);
			if (rc <= 0) {
				fprintf(stderr, "bench-scsi: nothing finished in time\n");
				return -1;
			}
		}
	}
	return (double)total / ((now_ns() - t0) / 1e9) / (1 << 20);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	static struct bench bn;
	unsigned runs = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : DEFAULT_RUNS;
	double blk[MAX_RUNS], scsi[MAX_RUNS];

	if (argc < 2 || !runs || runs > MAX_RUNS)
		return die("usage", "bench-scsi FILE [runs, 1 to 31]");
	bn.path = argv[1];
	if (setup(&bn)) {
		unlink(bn.path);
		return 1;
	}
	for (unsigned r = 0; r < runs; r++) {
		blk[r] = run(&bn, false, r == 0);
		scsi[r] = run(&bn, true, r == 0);
		if (blk[r] < 0 || scsi[r] < 0) {
			unlink(bn.path);
			return 1;
		}
	}
	unlink(bn.path);
	qsort(blk, runs, sizeof(double), cmp_double);
	qsort(scsi, runs, sizeof(double), cmp_double);
	printf("BENCH sim.vblk-seq-read %.1f MiB/s\n", blk[runs / 2]);
	printf("BENCH sim.vscsi-seq-read %.1f MiB/s\n", scsi[runs / 2]);
	printf("BENCH sim.vscsi-over-vblk-seq-read %.2f ratio\n", scsi[runs / 2] / blk[runs / 2]);
	return 0;
}
