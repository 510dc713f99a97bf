/*
 * tdrv: a small channel-I/O driver for libccwsim's test device, written
 * against the library's public headers only, the way an outside project
 * would test its own code. It finds a device by device number (STORE
 * SUBCHANNEL over the subchannel set), enables it (MODIFY SUBCHANNEL),
 * runs one-CCW channel programs (START SUBCHANNEL, then the I/O
 * interruption and TEST SUBCHANNEL), retries a busy device, fetches sense
 * after a unit check (BASIC SENSE), and gives up after a bounded wait
 * (CLEAR SUBCHANNEL).
 *
 * The machine's structures (ORB, CCW, SCHIB, IRB) are written here byte by
 * byte, big-endian, from the z/Architecture Principles of Operation,
 * chapters 13 to 16.
 */
#ifndef TDRV_H
#define TDRV_H

#include <stdint.h>

#include <ccwsim/sim.h>
#include <ccwsim/testdev.h>

/* Results of every tdrv function. */
enum tdrv_err {
	TDRV_OK = 0,
	TDRV_ENODEV = -1,    /* no such device, or it went away (cc 3) */
	TDRV_EBUSY = -2,     /* still busy after the retries */
	TDRV_EIO = -3,       /* unit check: the sense bytes say why */
	TDRV_ETIMEDOUT = -4, /* no interruption in time; the program was cleared */
	TDRV_EPROTO = -5,    /* channel status, unexpected condition code or status */
	TDRV_EINVAL = -6,    /* a bad argument (length, buffer) */
};

const char *tdrv_strerror(int err);

struct tdrv {
	struct sim *sim;
	uint32_t schid;      /* subchannel-id word */
	uint16_t devno;
	uint8_t isc;         /* interruption subclass the device uses */
	uint64_t timeout_us; /* virtual time one channel program may take */
	unsigned retries;    /* restarts after a busy device */
	/* After each channel program. */
	uint8_t dstat, cstat;
	uint32_t residual;
	uint8_t sense[32];   /* after TDRV_EIO */
	/* Counters. */
	unsigned busy_retries;
	unsigned timeouts;
};

/*
 * Find the device numbered devno in subchannel set 0 and enable it for
 * I/O with interruption subclass 3; the machine's interruption mask gets
 * that subclass too. Guest memory from 0x10000 to 0x1FFFF is the driver's.
 */
int tdrv_open(struct tdrv *d, struct sim *sim, uint16_t devno);

/* What SENSE ID says a device is. */
struct tdrv_id {
	uint16_t cu_type, dev_type;
	uint8_t cu_model, dev_model;
};

/* SENSE ID: the control unit's and the device's types and models. */
int tdrv_sense_id(struct tdrv *d, struct tdrv_id *id);

/* WRITE len (1..4096) bytes, and READ them back: *got bytes arrive. */
int tdrv_write(struct tdrv *d, const void *buf, uint32_t len);
int tdrv_read(struct tdrv *d, void *buf, uint32_t len, uint32_t *got);

/*
 * Run one CCW with command code cmd on count bytes of the data buffer
 * (suppressing incorrect length); the data buffer is at guest address
 * TDRV_DATA. Handles busy, unit check and timeout as above.
 */
#define TDRV_DATA 0x11000u
int tdrv_run(struct tdrv *d, uint8_t cmd, uint32_t count);

#endif /* TDRV_H */
