/*
 * The simulated 3215 console (and 1052), as Hercules 3.13's integrated
 * 3215-C/1052-C console (con1052c.c; reference/platforms.md 7.2): WRITE
 * 0x01 and 0x09 of at most 150 bytes with the rest as residual, READ
 * INQUIRY 0x0A that waits for an operator line, alarm 0x0B, one sense
 * byte, SENSE ID FF 3215 00 3215 00, command reject (CE DE UC, sense 0x80)
 * for anything else. Output goes to a descriptor in ASCII; input comes
 * from a descriptor (lines) or from the caller.
 */
#ifndef SIM_CON3215_H
#define SIM_CON3215_H

#include "sim.h" /* a sibling: the same in the tree and installed */

#ifdef __cplusplus
extern "C" {
#endif

/* The device's buffer: the most one WRITE or READ INQUIRY moves. */
#define SIM_CON3215_BUF 150u
/* Operator lines held for READ INQUIRY. */
#define SIM_CON3215_LINES 32u
/* Commands remembered by the history. */
#define SIM_CON3215_HISTORY 64u

struct sim_con3215_opts {
	uint16_t type;           /* 0x3215 (0 means this) or 0x1052 */
	int out_fd;         /* ASCII output; -1: discarded */
	int in_fd;          /* operator input, one line per '\n'; -1: only sim_con3215_input() */
	bool own_fds;       /* close the descriptors with the machine */
	bool disconnected;  /* a telnet console (3215 without -C) with no client:
			     * every command that reaches it ends in unit check,
			     * intervention required (platforms.md 7.2) */
};

/*
 * Attach a console. dev gives the place (ssid, schno, devno, chpid); the
 * identity is filled here. With an in_fd the console reads it while the
 * CPU waits (a poller). Returns the subchannel-id word, or SIM_ERR with a
 * reason in why (SIM_WHY_LEN bytes, or NULL).
 */
long sim_con3215_add(struct sim *sim, const struct sim_dev_config *dev,
		     const struct sim_con3215_opts *opts, char *why);

struct sim_con3215;

/* The console on schid, or NULL. */
struct sim_con3215 *sim_con3215_find(struct sim *sim, uint32_t schid);

/*
 * The operator types one line (ASCII, no newline; at most 150 characters
 * are kept, non-printable ones become blanks), as Hercules' "/text" panel
 * command. A READ INQUIRY waiting for input ends with it at once. Returns
 * 0, or SIM_ERR when SIM_CON3215_LINES lines are already waiting.
 */
int sim_con3215_input(struct sim_con3215 *c, const char *line, size_t len);

/* One command as the console executed it. */
struct sim_con3215_rec {
	uint8_t cmd;
	uint32_t count;     /* bytes the channel program offered */
	uint32_t taken;     /* bytes the device moved */
	bool waited;   /* a READ INQUIRY that had to wait for input */
};

/* Copy the last (at most max) commands, oldest first; returns how many. */
unsigned sim_con3215_history(const struct sim_con3215 *c, struct sim_con3215_rec *out,
			     unsigned max);

struct sim_con3215_stats {
	uint64_t writes, reads, alarms, rejects;
	uint64_t bytes_out, bytes_in;
	uint64_t waits;     /* READ INQUIRY commands that found no input */
	uint64_t redrives;  /* ... and were ended later by input */
};
void sim_con3215_get_stats(const struct sim_con3215 *c, struct sim_con3215_stats *out);

#ifdef __cplusplus
}
#endif

#endif /* SIM_CON3215_H */
