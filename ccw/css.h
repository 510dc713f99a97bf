/*
 * The channel-subsystem layer of the driver: subchannel sets and
 * enumeration, enable and disable, the one choke point that runs a channel
 * program and waits for it, sense and recovery, interruptions that belong to
 * someone else, and channel reports for devices that come and go.
 *
 * It runs unchanged on the machine and on the simulator: everything goes
 * through ccw/ioasm.h and ccw/port.h.
 */
#ifndef CCW_CSS_H
#define CCW_CSS_H

#include "ccw/css_hw.h" /* struct schib, irb, ccw1, senseid */
#include "ccw/irb.h"    /* struct css_result */
#include "ccw/port.h"   /* struct port_irq */

/* The default interruption subclass for the subchannels this layer enables. */
#define CSS_DEFAULT_ISC 3u

/* Default bound of one channel program, in microseconds. */
#define CSS_DEFAULT_TIMEOUT_US 5000000u

/* Retries of a start that met busy or a transient channel condition. */
#define CSS_RETRIES 3u

/* Interruptions for other subchannels remembered while waiting. */
#define CSS_MAX_FOREIGN 16u

/* Channel-subsystem-addressable scratch the layer keeps for itself. */
struct css_dma {
	struct orb orb;
	struct irb irb;
	struct schib schib;
	struct ccw1 ccw[2];
	struct tpi_info tpi;
	be32 crw;
	u8 sense[SENSE_DATA_LEN];
	struct senseid id;
};

/* Called with the IRB of status nobody was waiting for (unsolicited, or
 * left pending by an earlier program). */
typedef void (*css_unsolicited_fn)(void *ctx, u32 schid, const struct irb *irb);

/* Called for a channel report about a subchannel: it appeared (present)
 * or went away. */
typedef void (*css_crw_fn)(void *ctx, u32 schid, bool present);

struct css_stats {
	unsigned starts;       /* channel programs started */
	unsigned interrupts;   /* I/O interruptions taken while waiting */
	unsigned polls;        /* completions found by polling, not an interruption */
	unsigned stale;        /* stale interruptions or status dropped */
	unsigned foreign;      /* interruptions for other subchannels seen */
	unsigned retries;      /* starts retried */
	unsigned timeouts;     /* programs halted or cleared after their deadline */
	unsigned adapter;      /* adapter interruptions seen */
};

/* The state of the layer: one per machine, no globals. */
struct css {
	struct css_dma *dma;   /* from port_dma_alloc() */
	void *chsc_page;       /* 4 KiB, for CHSC */
	u32 seq;               /* source of interruption parameters */
	unsigned isc;          /* subclass given to enabled subchannels */
	bool csense;           /* ask for concurrent sense at enable */
	unsigned max_ssid;     /* highest subchannel set visible (0, or 3 with MSS) */
	u32 foreign[CSS_MAX_FOREIGN];
	unsigned nforeign;
	u8 adapter_iscs;       /* adapter interruptions seen, one bit per ISC (0x80 >> isc) */
	css_unsolicited_fn on_unsolicited;
	void *unsolicited_ctx;
	css_crw_fn on_crw;
	void *crw_ctx;
	struct css_stats stats;
};

/*
 * Set up the layer: allocate its scratch memory. Returns 0 or -VERR_NOMEM.
 * Subchannel set 0 only, until css_enable_mss().
 */
int css_init(struct css *css);

/*
 * Make subchannel sets 1 to 3 visible: CHSC set-domain-attributes with the
 * multiple-subchannel-set operation, as Linux does. Where CHSC or the
 * facility is missing the layer keeps set 0. Returns 0 when enabled,
 * -VERR_NOTSUP otherwise.
 */
int css_enable_mss(struct css *css);

/*
 * CHSC store-channel-subsystem-characteristics: the first words of the
 * general characteristics into general[n]. Returns 0, or -VERR_NOTSUP.
 */
int css_characteristics(struct css *css, u32 *general, unsigned n);

/*
 * The data address a format-1 CCW, an ORB or a format-1 IDAW takes for len
 * bytes at p: 31 bits (PoP 15, "Channel-Command Word": the address must
 * lie below 2 GiB). Returns 0 with *addr set (p NULL: 0), or -VERR_RANGE
 * when the bytes are not channel-subsystem memory below 2 GiB.
 */
int css_addr31(const void *p, size_t len, u32 *addr);

/* STSCH into *out. Returns 0, or -VERR_NODEV when the subchannel does not exist. */
int css_stsch(struct css *css, u32 schid, struct schib *out);

/* Called for each I/O subchannel with a valid device number. */
typedef void (*css_enum_fn)(void *ctx, u32 schid, const struct schib *schib);

/*
 * Enumerate every visible subchannel set, each until STSCH gives cc 3.
 * Returns the number of devices found.
 */
unsigned css_enumerate(struct css *css, css_enum_fn fn, void *ctx);

/*
 * Enable the subchannel with the layer's ISC, the given intparm and
 * concurrent sense, and verify with STSCH; bounded retries, clearing
 * pending status first. Returns 0, -VERR_NODEV, or -VERR_BUSY.
 */
int css_enable(struct css *css, u32 schid, u32 intparm);

/* Disable the subchannel. Returns 0, -VERR_NODEV or -VERR_BUSY. */
int css_disable(struct css *css, u32 schid);

/*
 * The choke point: start the format-1 channel program at prog (in DMA
 * memory) on schid, and wait for its final status, bounded by timeout_us.
 * - Status left pending before the start goes to the unsolicited handler.
 * - The wait uses I/O interruptions and polls as a fallback; it matches
 *   the interruption parameter and drains stale interruptions.
 * - Busy, and channel-control or interface-control checks, are retried
 *   CSS_RETRIES times.
 * - A unit check collects the sense data (concurrent sense, or BASIC SENSE).
 * - Past the deadline the subchannel is halted, then cleared.
 *
 * Returns 0 on normal ending; -VERR_NOTSUP for a command reject;
 * -VERR_NODEV when not operational; -VERR_TIMEOUT; -VERR_BUSY; -VERR_IO for
 * any other error status; -VERR_INVAL for a program not addressable. res
 * (optional) receives the IRB and sense data.
 */
int css_run(struct css *css, u32 schid, const struct ccw1 *prog, u64 timeout_us,
	    struct css_result *res);

/*
 * Run one CCW (cmd, flags, count, data in DMA memory) through css_run().
 * The CCW itself lives in the layer's scratch.
 */
int css_run1(struct css *css, u32 schid, u8 cmd, u8 flags, u16 count, void *data,
	     u64 timeout_us, struct css_result *res);

/*
 * Run SENSE ID into the layer's scratch and copy it to *id. *len receives
 * the number of bytes the device stored. Returns 0, a css_run() error, or
 * -VERR_PROTO when the data is not SENSE ID data (byte 0 not 0xFF, or
 * shorter than 4 bytes).
 */
int css_sense_id(struct css *css, u32 schid, struct senseid *id, unsigned *len);

/* Handlers for unsolicited status and for channel reports (NULL: none). */
void css_set_unsolicited_handler(struct css *css, css_unsolicited_fn fn, void *ctx);
void css_set_crw_handler(struct css *css, css_crw_fn fn, void *ctx);

/*
 * Collect the status of the subchannels whose interruptions arrived while
 * the layer waited for another, and hand it to the unsolicited handler.
 */
void css_poll_foreign(struct css *css);

/*
 * Read every pending channel report (STCRW until cc 1, bounded) and tell
 * the report handler which subchannels appeared or went away. Returns the
 * number of reports read.
 */
unsigned css_process_crws(struct css *css);

/*
 * Start prog on schid and collect its status with TSCH, n times, with
 * nothing else in the loop: no retries, no sense, no enabled wait unless the
 * status is not there yet. For benchmarks. Drains the interruptions left
 * queued afterwards. Returns how many round trips ended normally.
 */
unsigned css_roundtrips(struct css *css, u32 schid, const struct ccw1 *prog, unsigned n);

/*
 * Note an interruption a caller took with port_wait_io() while waiting for
 * something else: adapter interruptions are remembered per ISC, those of
 * other subchannels are collected later (css_poll_foreign()).
 */
void css_note_interrupt(struct css *css, const struct port_irq *irq);

/*
 * TEST SUBCHANNEL for status nobody started a program for (unsolicited
 * alert status of a virtio device). Returns 1 with *irb filled when status
 * was pending, 0 when none was, -VERR_NODEV when not operational.
 */
int css_collect(struct css *css, u32 schid, struct irb *irb);

/* Take the adapter interruptions seen so far for isc (true if any). */
bool css_take_adapter(struct css *css, unsigned isc);

#endif /* CCW_CSS_H */
