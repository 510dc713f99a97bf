/*
 * The simulated 3390 DASD behind a 3990 control unit, backed by a CKD disk
 * image in Hercules' uncompressed CKD format (as dasdinit writes it), so one
 * image file works under Hercules and here.
 */
#ifndef SIM_DASD_H
#define SIM_DASD_H

#include "sim.h" /* a sibling: the same in the tree and installed */

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes a why buffer holds (the same as sim/vdev.h's). */

/* The image's geometry, from its 512-byte device header. */
struct sim_ckd_geom {
	uint32_t cyls;     /* cylinders in the file */
	uint32_t heads;    /* tracks per cylinder (15 for a 3390) */
	uint32_t trksize;  /* bytes per track in the file (56832 for a 3390) */
	uint8_t devtype;   /* 0x90 for a 3390 */
};

/*
 * Create a new image as `dasdinit PATH 3390 VOLSER CYLS` does: device
 * header, every track formatted with R0, and on cylinder 0 head 0 the IPL1,
 * IPL2 and VOL1 records with the volume serial (ASCII in, EBCDIC on disk,
 * at most 6 characters). Returns 0, or SIM_ERR with a reason in why.
 * The bytes equal dasdinit 3.13's (one file, as with dasdinit -lfs above
 * 2 GiB); the serial is upper-cased, 1-6 of A-Z 0-9 @ # $; cyls 1-65520.
 * An existing file at path is replaced. why: SIM_WHY_LEN bytes, or NULL.
 */
int sim_ckd_create(const char *path, uint32_t cyls, const char *volser, char *why);

/* Read an image's device header and check it against the file's size as
 * Hercules does (3390 geometry, whole cylinders, a single file; compressed
 * CCKD images are refused). Returns 0, or SIM_ERR with a reason in why. */
int sim_ckd_probe(const char *path, struct sim_ckd_geom *g, char *why);

struct sim_dasd_opts {
	const char *path;   /* the CKD image; changes are written back to it */
	bool read_only;     /* file opened read-only; writes end in equipment check
			     * with write inhibited, as Hercules' "ro" option */
};

/*
 * Attach a 3390 model 2 on a 3990 model C2 (SENSE ID as Hercules gives it:
 * FF 3990 C2 3390 02 00 and the read-configuration-data CIW). dev gives
 * the place (ssid, schno, devno); its identity fields are filled here.
 * As in Hercules, the model byte follows the image's size: 02 up to 1114
 * cylinders, 06, 0A and 0C for larger images. The image stays open (and
 * mapped) until the machine is destroyed; one image must not be attached
 * twice. Returns the subchannel-id word, or SIM_ERR with a reason in why
 * (SIM_WHY_LEN bytes, or NULL).
 */
long sim_dasd_add(struct sim *sim, const struct sim_dev_config *dev,
		  const struct sim_dasd_opts *opts, char *why);

struct sim_dasd;

/* The DASD on schid, or NULL. */
struct sim_dasd *sim_dasd_find(struct sim *sim, uint32_t schid);

/* Write every changed track back to the file and fsync it (also done when
 * the machine is destroyed). Returns 0 or SIM_ERR. */
int sim_dasd_sync(struct sim_dasd *d);

struct sim_dasd_stats {
	uint64_t commands;        /* device commands executed */
	uint64_t records_read, records_written;
	uint64_t unit_checks;     /* commands that ended with unit check */
};
void sim_dasd_get_stats(const struct sim_dasd *d, struct sim_dasd_stats *out);

/* The geometry of the DASD's image. */
void sim_dasd_geom(const struct sim_dasd *d, struct sim_ckd_geom *out);

#ifdef __cplusplus
}
#endif

#endif /* SIM_DASD_H */
