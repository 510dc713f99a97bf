/*
 * Test fixture for the simulator suites: a machine, a bump allocator in its
 * guest memory, and short helpers to place CCWs and ORBs and run the
 * instructions with guest addresses.
 */
#ifndef TESTS_UNIT_SIMTEST_H
#define TESTS_UNIT_SIMTEST_H

#include "ccw/css_hw.h"
#include "ring/base.h"
#include "sim/sim.h"
#include "sim/testdev.h"

struct simtest {
	struct sim *sim;
	u64 next;            /* next free guest address of the allocator */
	u32 schid;           /* the first test device */
	struct sim_testdev *dev; /* its control unit */
};

/* Guest memory of every fixture machine. */
#define SIMTEST_MEM (4u << 20)
/* Where the allocator starts (the lowcore and 0x10000 stay free). */
#define SIMTEST_BASE 0x20000u

/* The fixture's configuration: SIMTEST_MEM, the MSS facility, profile and
 * completion as given (sim_config_default() for the rest). A suite that
 * wants another changes it and calls simtest_open() or simtest_init_cfg(). */
struct sim_config simtest_config(enum sim_profile profile, enum sim_completion completion);

/* A machine without devices: the allocator from SIMTEST_BASE, every
 * interruption subclass enabled. Returns false when it cannot be built. */
bool simtest_open(struct simtest *t, const struct sim_config *cfg);

/* simtest_open() and one test device at subchannel 0.0.0000 (devno, not
 * yet enabled). Returns false when it cannot be built. */
bool simtest_init_cfg(struct simtest *t, const struct sim_config *cfg, u16 devno);

/* simtest_init_cfg() with simtest_config() and devno 0x0100. */
bool simtest_init(struct simtest *t, enum sim_profile profile, enum sim_completion completion);
void simtest_fini(struct simtest *t);

/* size bytes of zeroed guest memory aligned to align; its guest address. */
u64 simtest_alloc(struct simtest *t, u64 size, u64 align);

/* A host pointer to guest memory (asserting the range is valid). */
void *simtest_ptr(struct simtest *t, u64 addr, u64 len);

/* Enable schid with ISC isc (MSCH), asserting cc 0. */
void simtest_enable(struct simtest *t, u32 schid, unsigned isc);

/* Store format-1 CCW number i of a program at prog. */
void simtest_ccw1(struct simtest *t, u64 prog, unsigned i, u8 cmd, u8 flags, u16 count, u32 cda);

/* Store format-0 CCW number i of a program at prog. */
void simtest_ccw0(struct simtest *t, u64 prog, unsigned i, u8 cmd, u8 flags, u16 count, u32 cda);

/* Build an ORB in guest memory; returns its address. */
u64 simtest_orb(struct simtest *t, u32 intparm, u32 ctrl, u32 cpa);

/* The usual ORB control word: format-1 CCWs, LPM 0x80. */
#define SIMTEST_ORB_FMT1 (ORB_CTRL_FMT | (0x80u << ORB_CTRL_LPM_SHIFT))

/* SSCH with an ORB built from the arguments; the cc (or negated program code). */
int simtest_ssch(struct simtest *t, u32 schid, u32 intparm, u32 ctrl, u32 cpa);

/* TSCH into a fresh IRB in guest memory, copied to *irb; the cc. */
int simtest_tsch(struct simtest *t, u32 schid, struct irb *irb);

/* STSCH into *schib; the cc. */
int simtest_stsch(struct simtest *t, u32 schid, struct schib *schib);

/* MSCH from *schib; the cc. */
int simtest_msch(struct simtest *t, u32 schid, const struct schib *schib);

/* Host-order views of an IRB's SCSW. */
static inline u16 irb_ctrl(const struct irb *irb) { return be16_to_cpu(irb->scsw.ctrl); }
static inline u16 irb_flags(const struct irb *irb) { return be16_to_cpu(irb->scsw.flags); }
static inline u32 irb_cpa(const struct irb *irb) { return be32_to_cpu(irb->scsw.cpa); }
static inline u16 irb_count(const struct irb *irb) { return be16_to_cpu(irb->scsw.count); }

/* The normal-ending SCSW control halfword: start, primary, secondary, pending. */
#define SIMTEST_FINAL (SCSW_FCTL_START_FUNC | SCSW_STCTL_PRIMARY | SCSW_STCTL_SECONDARY | \
		       SCSW_STCTL_STATUS_PEND)
#define SIMTEST_CEDE (SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END)

#endif /* TESTS_UNIT_SIMTEST_H */
