/*
 * The host-side simulator of the channel subsystem and its control units.
 *
 * A library with explicit state: a struct sim is one machine (guest memory,
 * subchannels in sets 0 to 3, the pending-interruption queue, channel
 * reports), and nothing is global. It is written from the architecture
 * (z/Architecture Principles of Operation, chapters 13 to 17) and from the
 * facts in reference/ccw-virtio-checklist.md, never from the project's
 * driver, so that the two can disagree and the tests catch it.
 *
 * Every access the simulator makes to guest memory is bounds-checked: a bad
 * instruction operand gives the program exception the machine gives, a bad
 * address in a channel program ends it with program-check or
 * protection-check status, and the host process never touches memory
 * outside the guest region.
 *
 * This is a public header of libccwsim (installed as <ccwsim/sim.h>): it
 * compiles alone in C99 and C++, exposes only sim_ and SIM_ names and
 * declares no C library function. Threads: a machine and everything
 * attached to it belong to one thread at a time; different machines may
 * run in different threads at once (nothing is shared between them). The
 * structures a program puts in guest memory (CCWs, ORBs, SCHIBs, IRBs)
 * are the architecture's, big-endian, as on the machine.
 */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h> /* FILE */

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version: SIM_VERSION_MAJOR changes with the interface. */
#define SIM_VERSION_MAJOR 1
#define SIM_VERSION_MINOR 1
#define SIM_VERSION_PATCH 0
#define SIM_VERSION "1.1.0"

/* Bytes of sense data a device stores (BASIC SENSE, concurrent sense). */
#define SIM_SENSE_LEN 32

struct sim;

/*
 * Errors, one convention: a function that can fail returns SIM_ERR (or
 * NULL for a pointer) and, where it takes a `why` buffer, leaves the
 * reason there. One that attaches a device returns the subchannel-id
 * word (never negative) or SIM_ERR. The I/O instructions are the one
 * exception: they return the condition code, or the negated
 * program-interruption code (SIM_IS_PGM() below).
 */
#define SIM_ERR (-1)

/* Bytes of a `why` buffer: room for any reason the library gives. */
#define SIM_WHY_LEN 128

/* Behaviour profiles (reference/ccw-virtio-checklist.md, "QUIRK" items). */
enum sim_profile {
	SIM_PROFILE_ARCH, /* what the Principles of Operation require */
	SIM_PROFILE_QEMU, /* QEMU's documented departures */
};

/* When channel programs run. */
enum sim_completion {
	SIM_COMPLETE_SYNC,     /* inside SSCH/RSCH/HSCH/CSCH, as QEMU does */
	SIM_COMPLETE_DEFERRED, /* only when sim_progress() is called */
};

struct sim_config {
	uint64_t mem_size;                   /* bytes of guest memory (at least 64 KiB) */
	enum sim_profile profile;
	enum sim_completion completion;
	bool mss;                       /* multiple-subchannel-set facility installed */
	unsigned max_ccws;              /* CCWs one channel program may execute; 0: 65536 */
};

/* Program-interruption codes the instructions can raise (PoP 6). */
#define SIM_PGM_OPERATION 0x0001
#define SIM_PGM_PRIVILEGED 0x0002
#define SIM_PGM_ADDRESSING 0x0005
#define SIM_PGM_SPECIFICATION 0x0006
#define SIM_PGM_OPERAND 0x0015

/*
 * The instructions return a condition code 0..3, or, when the instruction
 * raises a program exception, the negated program-interruption code (the
 * instruction is then suppressed: nothing changed).
 */
#define SIM_IS_PGM(rc) ((rc) < 0)
#define SIM_PGM_CODE(rc) (-(rc))

/*
 * QEMU's machine as the simulator has it: 128 MiB, the qemu profile,
 * channel programs run at SSCH, the multiple-subchannel-set facility, the
 * default bound on CCWs. Change the fields you need:
 *   struct sim_config c = sim_config_default();
 *   c.profile = SIM_PROFILE_ARCH;
 */
struct sim_config sim_config_default(void);

/* Create a machine; NULL when the configuration is invalid or memory is short. */
struct sim *sim_create(const struct sim_config *cfg);

/* Destroy a machine and its control units. NULL is allowed. */
void sim_destroy(struct sim *sim);

enum sim_profile sim_profile(const struct sim *sim);

/* --- Guest memory ---------------------------------------------------- */

uint64_t sim_mem_size(const struct sim *sim);

/*
 * A host pointer to len bytes of guest memory at addr, or NULL when any of
 * them lies outside the region. For the host port and tests; the simulator
 * itself goes through the checked accessors below.
 */
void *sim_mem_ptr(struct sim *sim, uint64_t addr, uint64_t len);

/* The guest address of a host pointer into guest memory; false if outside. */
bool sim_mem_addr(const struct sim *sim, const void *p, uint64_t len, uint64_t *addr);

/* Bounds-checked copies; false (and nothing copied) when out of range. */
bool sim_mem_read(const struct sim *sim, uint64_t addr, void *buf, uint64_t len);
bool sim_mem_write(struct sim *sim, uint64_t addr, const void *buf, uint64_t len);

/*
 * Mark [addr, addr+len) as protected against the channel subsystem: a
 * channel program that transfers data there ends with protection-check
 * status (the simulator's stand-in for a storage-key mismatch). Returns
 * false when the range is invalid or the table is full.
 */
bool sim_mem_protect(struct sim *sim, uint64_t addr, uint64_t len);

/* --- Control units ---------------------------------------------------- */

/*
 * One command as a control unit sees it. The data window is the storage the
 * CCW (or the data-chained CCWs) designate; the CU reads or writes it by
 * offset through sim_io_read()/sim_io_write(), which apply IDAWs, skipping
 * and bounds checks. The CSS presets the reply to a normal ending (channel
 * end and device end, want = count).
 */
enum sim_io_result {
	SIM_IO_OK,               /* the status in dstat */
	SIM_IO_REJECT,           /* unit check, command reject */
	SIM_IO_PROGRAM_CHECK,    /* the command is malformed (QEMU's -EINVAL) */
	SIM_IO_PROTECTION_CHECK,
	SIM_IO_CHANNEL_CONTROL_CHECK,
	SIM_IO_HANG,             /* the device never ends; halt or clear does */
};

/* The data length a command wants equals whatever the count is. */
#define SIM_WANT_COUNT 0xFFFFFFFFu

struct sim_io {
	/* In. */
	struct sim *sim;
	uint32_t schid;
	uint8_t cmd;        /* command code */
	uint8_t flags;      /* CCW flags of the first CCW */
	uint32_t count;     /* bytes in the data window */
	uint32_t cda;       /* data-address field of that CCW (the IDAW list with IDA) */
	/* Out. */
	enum sim_io_result result;
	uint8_t dstat;      /* device status for SIM_IO_OK (default CE|DE) */
	uint32_t want;      /* length the command naturally transfers (for incorrect length) */
	uint8_t *sense;     /* the subchannel's sense bytes, to fill with a unit check */
	unsigned sense_len;
	/* Private to the CSS. */
	void *priv;
};

/*
 * Copy window bytes [off, off+len) out of, or into, guest memory. Returns
 * the number of bytes copied (less than len at the end of the window), or
 * SIM_ERR when the transfer hit a bad address; the channel program then ends
 * with the matching check and the CU should return at once.
 */
long sim_io_read(struct sim_io *io, uint32_t off, void *buf, uint32_t len);
long sim_io_write(struct sim_io *io, uint32_t off, const void *buf, uint32_t len);

struct sim_cu_ops {
	/* Execute one command. Required. */
	void (*command)(void *cu, struct sim_io *io);
	/* MSCH changed the enabled bit (virtio-ccw resets its revision on disable). */
	void (*enable_changed)(void *cu, bool enabled);
	/* The clear function, or the device being reset. */
	void (*reset)(void *cu);
	/* The device went away (sim_set_present() false): when it comes
	 * back it is a new device, as one plugged in again. Optional. */
	void (*unplugged)(void *cu);
	/* Called once when the subchannel is destroyed. */
	void (*destroy)(void *cu);
	/* A start function begins a new channel program (SSCH), before its
	 * first command; state a device keeps only within one program (a
	 * DASD's orientation and extent) starts afresh. Optional. */
	void (*program_start)(void *cu);
};

/* A command-information word of SENSE ID (PoP 17, "Command-Information
 * Words"): type (CIW_ET, CIW_CT bits), command code, byte count. */
struct sim_ciw {
	uint8_t type;
	uint8_t cmd;
	uint16_t count;
};

/* Identity and wiring of a device. */
struct sim_dev_config {
	unsigned ssid;           /* subchannel set 0..3 */
	int schno;               /* subchannel number, or -1: the next free one */
	uint16_t devno;               /* device number */
	uint16_t cu_type;             /* SENSE ID */
	uint8_t cu_model;
	uint16_t dev_type;
	uint8_t dev_model;
	struct sim_ciw ciw[8];   /* command-information words, type 0 ends */
	unsigned senseid_len;    /* bytes SENSE ID stores: 7, 12, 256... (0: 7 + 4 per CIW) */
	unsigned sense_len;      /* bytes BASIC SENSE stores (0: 32) */
	uint8_t chpid;                /* CHPID 0 of the path */
	uint8_t chpid_type;           /* channel-path type (0x32 virtio) */
	bool initially_enabled;  /* QEMU: LPM 0x80 after a reset, else 0 */
};

/*
 * Attach a device with its control unit. ops and cu stay owned by the
 * caller until ops->destroy is called. Returns the subchannel-id word, or
 * SIM_ERR when the place is taken or out of range.
 */
long sim_attach(struct sim *sim, const struct sim_dev_config *cfg,
		const struct sim_cu_ops *ops, void *cu);

/*
 * The device goes away (present = false) or comes back (true): its
 * subchannel disappears from or reappears in the set, a channel program in
 * progress is lost, and a channel report word (subchannel, installed
 * parameters modified) is queued.
 */
int sim_set_present(struct sim *sim, uint32_t schid, bool present);

/*
 * Devices plugged in and out while the program runs (QEMU's device_add
 * and device_del of a virtio-ccw device). sim_announce() queues the
 * channel report for a device attached with sim_attach() after the
 * program started. sim_detach() removes the device: its control unit is
 * destroyed, the subchannel no longer exists (STSCH cc 3, its number free
 * for the next device), and the channel report is queued. Both return 0,
 * or SIM_ERR for a subchannel that does not exist.
 */
int sim_announce(struct sim *sim, uint32_t schid);
int sim_detach(struct sim *sim, uint32_t schid);

/*
 * Make the subchannel status pending with alert status and queue an
 * interruption, unless it is already status pending, not enabled, or busy
 * with a start, halt or clear function (what virtio-ccw does for a queue or
 * configuration notification). dstat is the device status to show (0 keeps
 * the last one). Returns true when it did.
 */
bool sim_unsolicited(struct sim *sim, uint32_t schid, uint8_t dstat);

/* Queue an adapter interruption for isc (virtio-ccw two-stage indicators). */
void sim_adapter_interrupt(struct sim *sim, unsigned isc);

/* --- The instructions (PoP 14) ---------------------------------------- */

int sim_stsch(struct sim *sim, uint64_t r1, uint64_t addr);
int sim_msch(struct sim *sim, uint64_t r1, uint64_t addr);
int sim_ssch(struct sim *sim, uint64_t r1, uint64_t addr);
int sim_tsch(struct sim *sim, uint64_t r1, uint64_t addr);
int sim_hsch(struct sim *sim, uint64_t r1);
int sim_csch(struct sim *sim, uint64_t r1);
int sim_rsch(struct sim *sim, uint64_t r1);
int sim_xsch(struct sim *sim, uint64_t r1);
/* addr 0: store the three-word code at 0xB8 in the guest lowcore. */
int sim_tpi(struct sim *sim, uint64_t addr);
int sim_stcrw(struct sim *sim, uint64_t addr);
/* Whether a channel report waits for STCRW: the machine would make a
 * channel-report-pending machine check (PoP 17). */
bool sim_crw_pending(const struct sim *sim);
int sim_rchp(struct sim *sim, uint64_t r1);
int sim_schm(struct sim *sim, uint64_t r1, uint64_t r2);
/* CHSC: store-subchannel-characteristics (0x0010), set-domain-attributes (0x0031). */
int sim_chsc(struct sim *sim, uint64_t addr);

/* The CPU's problem-state bit: every I/O instruction is privileged. */
void sim_set_problem_state(struct sim *sim, bool problem);

/* --- Interruptions ----------------------------------------------------- */

/* CR6 bits 32-39: the enabled interruption subclasses, ISC 0 = 0x80. */
void sim_set_isc_mask(struct sim *sim, uint8_t mask);

struct sim_io_int {
	uint32_t schid;   /* subchannel-id word, 0 for an adapter interruption */
	uint32_t intparm;
	uint32_t iid;     /* interruption-identification word */
};

/*
 * The CPU taking an I/O interruption with the PSW I/O mask on: dequeue the
 * highest-priority (lowest ISC, then oldest) interruption enabled in CR6.
 * Returns false when none is pending.
 */
bool sim_take_io_interrupt(struct sim *sim, struct sim_io_int *out);

/* Whether an enabled interruption is pending. */
bool sim_io_int_pending(const struct sim *sim);

/*
 * Deferred completion: let every subchannel with work make one step (one
 * CCW, or a halt or clear). Returns the number of steps made; 0 means
 * nothing is in progress. In synchronous mode there is never work left.
 */
unsigned sim_progress(struct sim *sim);

/*
 * Background work of device models that do not wait for the driver: input
 * arriving on a file descriptor, say. A poller does what is ready and may
 * block up to budget_us microseconds of real time for more; it returns
 * true when it did something the driver may see (a used buffer, an
 * interruption). Pollers live as long as the machine.
 */
typedef bool (*sim_poll_fn)(void *ctx, uint64_t budget_us);
int sim_add_poller(struct sim *sim, sim_poll_fn fn, void *ctx);

/* Remove the poller added with fn and ctx (a device model going away). */
void sim_remove_poller(struct sim *sim, sim_poll_fn fn, void *ctx);

/*
 * The CPU has nothing to do for budget_us microseconds: run the pollers,
 * sharing the budget. Returns 1 when one of them did something, 0 when
 * none did, and SIM_ERR at once when there are no pollers (time may then jump).
 */
int sim_idle(struct sim *sim, uint64_t budget_us);

/* --- Virtual time ----------------------------------------------------- */

/*
 * The machine's clock, in microseconds from sim_create(). It moves only
 * when the platform lets time pass (the host port does as the program
 * looks at its clock or waits), so a run is reproducible. Device models
 * that act later set timers on it.
 */
uint64_t sim_now_us(const struct sim *sim);

/* Let us microseconds pass; every timer that falls due runs, earliest
 * first (in the order set when due together). */
void sim_advance(struct sim *sim, uint64_t us);

/* When the earliest timer is due; false when none is set. */
bool sim_next_timer(const struct sim *sim, uint64_t *at_us);

/*
 * Call fn(ctx) once, when the clock reaches at_us (at the next
 * sim_advance() when that is already past). Returns 0, or SIM_ERR when out of
 * memory.
 */
typedef void (*sim_timer_fn)(void *ctx);
int sim_timer_add(struct sim *sim, uint64_t at_us, sim_timer_fn fn, void *ctx);

/* Remove every timer set with fn and ctx. */
void sim_timer_cancel(struct sim *sim, sim_timer_fn fn, void *ctx);

/* --- Fault injection ------------------------------------------------- */

enum sim_fault_kind {
	SIM_FAULT_CC,            /* the next `count` uses of insn on schid give cc, doing nothing */
	SIM_FAULT_UNIT_CHECK,    /* the next command ends in unit check with sense */
	SIM_FAULT_BUSY,          /* the next start finds the device busy */
	SIM_FAULT_STATUS,        /* the next command ends with dstat/cstat as given */
	SIM_FAULT_LOSE_INT,      /* the next interruption of schid is not queued */
	SIM_FAULT_HANG,          /* the next channel program never ends */
	SIM_FAULT_GONE,          /* the device goes away during the next command (the
				  * program never ends) or, virtio-ccw, as it is about
				  * to mark buffers used (they stay unpublished): the
				  * subchannel is gone as with sim_set_present() false */
	SIM_FAULT_SPURIOUS,      /* at the next start, an interruption without status
				  * is queued first (with cmd: of a program starting
				  * with it) */
	SIM_FAULT_USED_RING,     /* virtio-ccw: the next buffer the device marks used
				  * carries an id the driver never gave out */
};

enum sim_insn {
	SIM_INSN_STSCH, SIM_INSN_MSCH, SIM_INSN_SSCH, SIM_INSN_TSCH, SIM_INSN_HSCH,
	SIM_INSN_CSCH, SIM_INSN_RSCH, SIM_INSN_XSCH, SIM_INSN__COUNT
};

struct sim_fault {
	enum sim_fault_kind kind;
	uint32_t schid;
	enum sim_insn insn;   /* SIM_FAULT_CC */
	int cc;               /* SIM_FAULT_CC */
	unsigned count;       /* how many times (0: once) */
	uint8_t dstat, cstat;      /* SIM_FAULT_STATUS */
	uint8_t sense[SIM_SENSE_LEN]; /* SIM_FAULT_UNIT_CHECK */
	uint8_t cmd;               /* only for this command code (0: any); for SIM_FAULT_CC,
			       * SIM_FAULT_BUSY, SIM_FAULT_SPURIOUS and SIM_FAULT_LOSE_INT
			       * it means a program starting with it */
};

/* Arm a fault. Returns 0, or SIM_ERR when the table is full or schid unknown. */
int sim_fault_add(struct sim *sim, const struct sim_fault *f);

/* Queue an interruption for schid without any status (a spurious one). */
int sim_fault_spurious_int(struct sim *sim, uint32_t schid);

/* Disarm every fault. */
void sim_fault_clear(struct sim *sim);

/* Faults armed and not yet struck (uses left, counted over every kind). */
unsigned sim_fault_armed(const struct sim *sim);

/* --- Trace and statistics --------------------------------------------- */

/*
 * Write one line per instruction, CCW and interruption to f, for the
 * subchannel schid only, or for all with SIM_TRACE_ALL. NULL stops.
 * Event names follow QEMU's css trace events.
 */
#define SIM_TRACE_ALL 0xFFFFFFFFu
void sim_trace(struct sim *sim, FILE *f, uint32_t schid);

struct sim_stats {
	uint64_t instructions;   /* I/O instructions executed */
	uint64_t ccws;           /* CCWs interpreted */
	uint64_t interrupts;     /* interruptions queued */
	uint64_t lost;           /* interruptions dropped (queue full or injected loss) */
	uint64_t crws;           /* channel reports queued */
};
void sim_get_stats(const struct sim *sim, struct sim_stats *out);

#ifdef __cplusplus
}
#endif

#endif /* SIM_SIM_H */
