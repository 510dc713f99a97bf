/*
 * The channel-subsystem layer of the driver: subchannels (store, enable,
 * disable), the one choke point that runs a channel program and waits for
 * its end, sense handling, and the mapping of an IRB to an error code.
 */
#ifndef CCW_CSS_H
#define CCW_CSS_H

#include "ccw/css_hw.h" /* struct schib, irb, ccw1, senseid */
#include "ccw/irb.h"    /* struct css_result */

/* The default interruption subclass for the subchannels this layer enables. */
#define CSS_DEFAULT_ISC 3u

/* Default bound of one channel program, in microseconds. */
#define CSS_DEFAULT_TIMEOUT_US 5000000u

/* Channel-subsystem-addressable scratch the layer keeps for itself. */
struct css_dma {
	struct orb orb;
	struct irb irb;
	struct schib schib;
	struct ccw1 ccw[2];
	u8 sense[SENSE_DATA_LEN];
	struct senseid id;
};

/* The state of the layer. One per machine; no globals. */
struct css {
	struct css_dma *dma; /* from port_dma_alloc() */
	u32 seq;             /* source of interruption parameters */
	unsigned isc;        /* subclass given to enabled subchannels */
	unsigned stale;      /* status found pending before a start and dropped */
};

/*
 * Set up the layer: allocate its scratch memory. Returns 0 or -VERR_NOMEM.
 */
int css_init(struct css *css);

/* STSCH into *out. Returns 0, or -VERR_NODEV when the subchannel does not exist. */
int css_stsch(struct css *css, u32 schid, struct schib *out);

/*
 * Enable the subchannel with the layer's ISC and intparm, verify with STSCH,
 * retrying a bounded number of times (pending status is cleared first).
 * Returns 0, -VERR_NODEV, or -VERR_BUSY when it would not take.
 */
int css_enable(struct css *css, u32 schid, u32 intparm);

/* Disable the subchannel. Returns 0, -VERR_NODEV or -VERR_BUSY. */
int css_disable(struct css *css, u32 schid);

/*
 * The choke point: start the format-1 channel program at prog (in DMA
 * memory) on schid, and wait for its final status, bounded by timeout_us.
 * Clears stale status before the start and retries busy starts within the
 * bound. On a unit check it collects the sense data (concurrent sense, or
 * BASIC SENSE). On timeout it halts, then clears, the subchannel.
 *
 * Returns 0 on normal ending; -VERR_NOTSUP for a command reject;
 * -VERR_NODEV when not operational; -VERR_TIMEOUT; -VERR_BUSY; -VERR_IO for
 * any other error status. res (optional) receives the IRB and sense data.
 */
int css_run(struct css *css, u32 schid, const struct ccw1 *prog, u64 timeout_us,
	    struct css_result *res);

/*
 * Run SENSE ID into the layer's scratch and copy it to *id. *len receives
 * the number of bytes the device stored. Returns 0, a css_run() error, or
 * -VERR_PROTO when the data is not SENSE ID data (byte 0 not 0xFF, or
 * shorter than 4 bytes).
 */
int css_sense_id(struct css *css, u32 schid, struct senseid *id, unsigned *len);

#endif /* CCW_CSS_H */
