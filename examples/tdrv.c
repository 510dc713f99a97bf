/* tdrv: see tdrv.h. */
#include "tdrv.h"

#include <string.h>

/* Where the driver keeps its structures in guest memory. */
#define A_SCHIB 0x10000u
#define A_ORB 0x10100u
#define A_IRB 0x10200u
#define A_CCW 0x10300u
#define A_SENSE 0x10400u
#define DATA_MAX 4096u

/* Commands (PoP 15: the basic commands every device knows). */
#define CMD_SENSE 0x04
#define CMD_SENSE_ID 0xE4

/* CCW flags: suppress-length-indication. */
#define CCWF_SLI 0x20

/* Device status (PoP 16, "Device Status"). */
#define DS_BUSY 0x10
#define DS_CE 0x08
#define DS_DE 0x04
#define DS_UC 0x02

/* SCSW word 0 (PoP 16, "Subchannel-Status Word"): the deferred condition
 * code and the status-pending bit. */
#define SCSW_CC(w0) (((w0) >> 24) & 3)
#define SCSW_FC_CLEAR 0x00001000u
#define SCSW_SC_PENDING 0x00000001u

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

const char *tdrv_strerror(int err)
{
	switch (err) {
	case TDRV_OK: return "success";
	case TDRV_ENODEV: return "no such device";
	case TDRV_EBUSY: return "device busy";
	case TDRV_EIO: return "unit check";
	case TDRV_ETIMEDOUT: return "timed out";
	case TDRV_EPROTO: return "unexpected status";
	case TDRV_EINVAL: return "invalid argument";
	}
	return "unknown error";
}

/* Wait for the device's I/O interruption, moving the machine on: the
 * channel programs that run in steps, then virtual time. True when it came
 * before the deadline. */
static bool wait_interrupt(struct tdrv *d, uint64_t deadline)
{
	for (;;) {
		struct sim_io_int io;

		while (sim_take_io_interrupt(d->sim, &io))
			if (io.schid == d->schid)
				return true;
		if (sim_progress(d->sim))
			continue;
		if (sim_now_us(d->sim) >= deadline)
			return false;
		sim_advance(d->sim, 100);
	}
}

/* TEST SUBCHANNEL into the IRB; returns its condition code (< 0: program
 * exception), word 0 of the SCSW in *w0. */
static int test_subchannel(struct tdrv *d, uint32_t *w0)
{
	uint8_t irb[96];
	int cc = sim_tsch(d->sim, d->schid, A_IRB);

	if (cc != 0)
		return cc;
	if (!sim_mem_read(d->sim, A_IRB, irb, sizeof(irb)))
		return -1;
	*w0 = get32(irb);
	d->dstat = irb[8];
	d->cstat = irb[9];
	d->residual = (uint32_t)irb[10] << 8 | irb[11];
	return 0;
}

/* The program took too long: CLEAR SUBCHANNEL ends it, and its
 * interruption is collected. */
static int clear_program(struct tdrv *d)
{
	uint32_t w0 = 0;

	d->timeouts++;
	if (sim_csch(d->sim, d->schid) != 0)
		return TDRV_ENODEV;
	if (!wait_interrupt(d, sim_now_us(d->sim) + d->timeout_us))
		return TDRV_ETIMEDOUT;
	if (test_subchannel(d, &w0) != 0 || !(w0 & SCSW_FC_CLEAR))
		return TDRV_EPROTO;
	return TDRV_ETIMEDOUT;
}

/* One start: SSCH with a format-1 ORB pointing at one CCW, then its
 * ending status. */
static int start_once(struct tdrv *d, uint8_t cmd, uint32_t data, uint32_t count)
{
	uint8_t orb[32] = { 0 }, ccw[8] = { 0 };
	uint32_t w0 = 0;
	int cc;

	put32(orb, d->schid);          /* interruption parameter */
	orb[5] = 0x80;                 /* F: format-1 CCWs */
	orb[6] = 0xFF;                 /* logical-path mask: every path */
	put32(orb + 8, A_CCW);         /* channel-program address */
	ccw[0] = cmd;
	ccw[1] = CCWF_SLI;
	ccw[2] = (uint8_t)(count >> 8);
	ccw[3] = (uint8_t)count;
	put32(ccw + 4, data);
	if (!sim_mem_write(d->sim, A_ORB, orb, sizeof(orb)) ||
	    !sim_mem_write(d->sim, A_CCW, ccw, sizeof(ccw)))
		return TDRV_EINVAL;

	cc = sim_ssch(d->sim, d->schid, A_ORB);
	if (cc == 3)
		return TDRV_ENODEV;
	if (cc == 2)
		return TDRV_EBUSY;
	if (cc != 0)
		return TDRV_EPROTO;  /* 1: status pending, or a program exception */
	if (!wait_interrupt(d, sim_now_us(d->sim) + d->timeout_us))
		return clear_program(d);
	cc = test_subchannel(d, &w0);
	if (cc == 3)
		return TDRV_ENODEV;
	if (cc != 0)
		return TDRV_EPROTO;
	if (SCSW_CC(w0) == 1 && (d->dstat & DS_BUSY))
		return TDRV_EBUSY;   /* busy at initial selection */
	if (d->cstat)
		return TDRV_EPROTO;
	if (d->dstat & DS_UC)
		return TDRV_EIO;
	if ((d->dstat & (DS_CE | DS_DE)) != (DS_CE | DS_DE))
		return TDRV_EPROTO;
	return TDRV_OK;
}

/* Start with retries; a unit check fetches the sense bytes. */
static int start(struct tdrv *d, uint8_t cmd, uint32_t data, uint32_t count)
{
	unsigned tries = 0;
	int rc;

	while ((rc = start_once(d, cmd, data, count)) == TDRV_EBUSY && tries < d->retries) {
		tries++;
		d->busy_retries++;
	}
	if (rc == TDRV_EIO) {
		memset(d->sense, 0, sizeof(d->sense));
		if (start_once(d, CMD_SENSE, A_SENSE, sizeof(d->sense)) == TDRV_OK)
			sim_mem_read(d->sim, A_SENSE, d->sense, sizeof(d->sense));
	}
	return rc;
}

int tdrv_open(struct tdrv *d, struct sim *sim, uint16_t devno)
{
	uint8_t schib[52];
	uint32_t schno;

	memset(d, 0, sizeof(*d));
	d->sim = sim;
	d->devno = devno;
	d->isc = 3;
	d->timeout_us = 1000000;
	d->retries = 3;
	for (schno = 0; schno <= 0xFFFF; schno++) {
		uint32_t schid = 0x00010000u | schno;  /* set 0 */
		int cc = sim_stsch(sim, schid, A_SCHIB);

		if (cc != 0 || !sim_mem_read(sim, A_SCHIB, schib, sizeof(schib)))
			continue;
		/* PMCW word 1: DNV (byte 5, bit 7) and the device number. */
		if ((schib[5] & 0x01) && ((uint16_t)(schib[6] << 8 | schib[7])) == devno) {
			d->schid = schid;
			break;
		}
	}
	if (!d->schid)
		return TDRV_ENODEV;
	/* Enable (E, byte 5 bit 0) with the subclass (byte 4 bits 2-4). */
	schib[4] = (uint8_t)((schib[4] & ~0x38) | (d->isc << 3));
	schib[5] |= 0x80;
	if (!sim_mem_write(sim, A_SCHIB, schib, sizeof(schib)))
		return TDRV_EINVAL;
	if (sim_msch(sim, d->schid, A_SCHIB) != 0)
		return TDRV_ENODEV;
	if (sim_stsch(sim, d->schid, A_SCHIB) != 0 || !sim_mem_read(sim, A_SCHIB, schib, 8) ||
	    !(schib[5] & 0x80))
		return TDRV_EPROTO;
	sim_set_isc_mask(sim, (uint8_t)(0x80 >> d->isc));
	return TDRV_OK;
}

int tdrv_sense_id(struct tdrv *d, struct tdrv_id *id)
{
	uint8_t b[7];
	int rc = start(d, CMD_SENSE_ID, TDRV_DATA, sizeof(b));

	if (rc != TDRV_OK)
		return rc;
	/* PoP 17, "Sense ID": FF, CU type and model, device type and model. */
	if (!sim_mem_read(d->sim, TDRV_DATA, b, sizeof(b)) || b[0] != 0xFF)
		return TDRV_EPROTO;
	id->cu_type = (uint16_t)(b[1] << 8 | b[2]);
	id->cu_model = b[3];
	id->dev_type = (uint16_t)(b[4] << 8 | b[5]);
	id->dev_model = b[6];
	return TDRV_OK;
}

int tdrv_run(struct tdrv *d, uint8_t cmd, uint32_t count)
{
	if (count == 0 || count > DATA_MAX)
		return TDRV_EINVAL;
	return start(d, cmd, TDRV_DATA, count);
}

int tdrv_write(struct tdrv *d, const void *buf, uint32_t len)
{
	if (len == 0 || len > DATA_MAX || !sim_mem_write(d->sim, TDRV_DATA, buf, len))
		return TDRV_EINVAL;
	return tdrv_run(d, SIM_TESTDEV_CMD_WRITE, len);
}

int tdrv_read(struct tdrv *d, void *buf, uint32_t len, uint32_t *got)
{
	int rc = tdrv_run(d, SIM_TESTDEV_CMD_READ, len);

	*got = 0;
	if (rc != TDRV_OK)
		return rc;
	if (d->residual > len)
		return TDRV_EPROTO;
	*got = len - d->residual;
	if (!sim_mem_read(d->sim, TDRV_DATA, buf, *got))
		return TDRV_EINVAL;
	return TDRV_OK;
}
