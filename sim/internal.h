/* The simulator's internal state, shared by its files (not a public API). */
#ifndef SIM_INTERNAL_H
#define SIM_INTERNAL_H

#include "ccw/css_hw.h" /* architecture layouts and masks */
#include "ring/base.h"
#include "sim/sim.h"

#define SIM_SETS 4u
#define SIM_MAX_SCHNO 0xFFFFu
#define SIM_MAX_PROTECT 16u
#define SIM_MAX_FAULTS 32u
#define SIM_MAX_CRWS 256u
#define SIM_IRQ_RING 1024u /* per ISC; a power of two */
#define SIM_DEFAULT_MAX_CCWS 65536u
#define SIM_QEMU_MAX_CDA0 255u /* QEMU's loop guard: the 256th CCW with cda 0 */

/* The PMCW and SCSW in host order; converted at STSCH, MSCH and TSCH. */
struct sim_pmcw {
	u32 intparm;
	u16 flags;
	u16 devno;
	u8 lpm, pnom, lpum, pim;
	u16 mbi;
	u8 pom, pam;
	u8 chpid[8];
	u32 chars;
};

struct sim_scsw {
	u16 flags;
	u16 ctrl;
	u32 cpa;
	u8 dstat;
	u8 cstat;
	u16 count;
};

struct sim_sch {
	struct sim *sim;
	u32 schid;
	bool present;            /* false: the device went away */
	struct sim_pmcw pmcw;
	struct sim_scsw scsw;
	u64 mba;
	u8 mda[4];
	struct sim_dev_config cfg;
	const struct sim_cu_ops *ops;
	void *cu;
	u8 sense[SENSE_DATA_LEN];

	/* The channel program. */
	u32 orb_ctrl;
	u64 ccw_addr;            /* the CCW to fetch next */
	u64 last_ccw;            /* the CCW executed last */
	unsigned ccws;           /* CCWs executed in this program */
	unsigned cda0;           /* CCWs with data address 0 (QEMU's guard) */
	bool prev_tic;           /* the CCW fetched last was a TIC */
	bool started;            /* the first CCW has been fetched */
	bool hung;               /* a command that never ends is in progress */
	bool work;               /* on the deferred work list */

	/* Interruptions. */
	bool int_pending;        /* an interruption for this status is queued */
	u32 int_gen;             /* generation of the queued interruption */
	unsigned lose_ints;      /* injected: interruptions to drop */
	u8 first_cmd;            /* the command code the current program began with */
};

struct sim_irq {
	u32 schid;
	u32 intparm;
	u32 iid;
	u32 gen;
	struct sim_sch *sch;     /* NULL for adapter interruptions */
};

struct sim_irq_ring {
	struct sim_irq e[SIM_IRQ_RING];
	unsigned head, tail;     /* free-running */
};

struct sim_set {
	struct sim_sch **sch;    /* indexed by subchannel number */
	unsigned n;              /* entries allocated */
	int last;                /* highest installed number, -1 when none */
};

struct sim_range {
	u64 addr, len;
};

struct sim_fault_slot {
	bool armed;
	struct sim_fault f;
	unsigned left;
};

/* Background work of a device model (sim_add_poller). */
struct sim_poller {
	sim_poll_fn fn;
	void *ctx;
};

#define SIM_MAX_POLLERS 64

/* A timer on the virtual clock (sim_timer_add). */
struct sim_timer {
	u64 at;
	u64 seq;
	sim_timer_fn fn;
	void *ctx;
};

struct sim {
	struct sim_config cfg;
	u8 *mem;
	struct sim_set sets[SIM_SETS];
	unsigned max_ssid;       /* highest visible set (MSS enabled) */
	bool problem_state;
	u8 isc_mask;
	struct sim_irq_ring rings[CSS_ISC_COUNT];
	be32 crws[SIM_MAX_CRWS];
	unsigned crw_head, crw_count;
	bool crw_lost;
	bool chnmon_active;
	u64 chnmon_area;
	struct sim_range protect[SIM_MAX_PROTECT];
	unsigned nprotect;
	struct sim_fault_slot faults[SIM_MAX_FAULTS];
	unsigned nfaults_armed;
	struct sim_sch **work;   /* deferred work list */
	unsigned nwork, work_cap;
	FILE *trace;
	u32 trace_schid;
	struct sim_stats stats;
	struct sim_poller pollers[SIM_MAX_POLLERS];
	unsigned npollers;
	struct sim_sch **gone;   /* detached subchannels: interruptions may still name them */
	unsigned ngone;
	u64 now_us;              /* the virtual clock */
	struct sim_timer *timers;
	unsigned ntimers, timer_cap;
	u64 timer_seq;
};

/* mem.c */
bool sim_mem_ok(const struct sim *sim, u64 addr, u64 len);
bool sim_mem_protected(const struct sim *sim, u64 addr, u64 len);

/* machine.c */
struct sim_sch *sim_find(struct sim *sim, u32 schid);
void sim_add_work(struct sim_sch *sch);

/* irq.c */
void sim_queue_int(struct sim_sch *sch);
/* Take back the queued interruption of sch (its status was collected). */
void sim_withdraw_int(struct sim_sch *sch);
/* The next enabled interruption into *out, removed from its queue when dequeue. */
bool sim_irq_take(struct sim *sim, struct sim_io_int *out, bool dequeue);
void sim_queue_crw(struct sim *sim, unsigned rsc, unsigned erc, bool solicited, u16 rsid);

/* trace.c */
bool sim_tracing(const struct sim *sim, u32 schid);
void sim_tracef(struct sim *sim, const char *fmt, ...) __printf(2, 3);
/* The trace line of an instruction: its condition code or program exception. */
void sim_trace_insn(struct sim *sim, const char *insn, u64 r1, int rc);

/* fault.c */
/* A fault of the given kind armed for schid and command cmd, consumed; NULL when none. */
const struct sim_fault *sim_fault_take(struct sim *sim, u32 schid, enum sim_fault_kind kind, u8 cmd);
/* An injected condition code for insn on sch (cmd: the program's first command), or -1. */
int sim_fault_cc(struct sim *sim, const struct sim_sch *sch, enum sim_insn insn, u8 cmd);
/* The command code of the first CCW of a program (0 when unreadable or no fault is armed). */
u8 sim_fault_first_cmd(struct sim *sim, u32 ctrl, u32 cpa);

/* clock.c */
void sim_clock_destroy(struct sim *sim);

/* interp.c */
/* Do one step of the function the subchannel has pending. */
void sim_sch_step(struct sim_sch *sch);
/* Run the pending function to its end (synchronous completion). */
void sim_sch_run(struct sim_sch *sch);
/* Whether the subchannel has a function pending or active. */
bool sim_sch_busy(const struct sim_sch *sch);
/* Whether a step can make progress: a hung device still takes halt and clear. */
bool sim_sch_can_step(const struct sim_sch *sch);

static inline bool sim_qemu(const struct sim *sim)
{
	return sim->cfg.profile == SIM_PROFILE_QEMU;
}

#endif /* SIM_INTERNAL_H */
