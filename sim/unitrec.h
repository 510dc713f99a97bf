/*
 * Simulated unit-record devices as Hercules 3.13 has them: the 3505 card
 * reader and the 1403 printer behind a 2821 control unit (SENSE ID
 * FF 2821 01 3505 01 and FF 2821 01 1403 01, reference/platforms.md 11.5),
 * and the code page 037 translation the simulated 3215 console and these
 * devices share. The simulator's own table, written from the code page, not
 * from the driver's (devices/ebcdic.c), so the two can be checked against
 * each other.
 */
#ifndef SIM_UNITREC_H
#define SIM_UNITREC_H

#include "sim.h" /* a sibling: the same in the tree and installed */

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes a `why` buffer of the attach functions must hold. */
#define SIM_UNITREC_WHY_LEN 128

/* --- Code page 037 ---------------------------------------------------------- */

/*
 * EBCDIC (code page 037) to ASCII for output: the printable ASCII
 * characters, LF (0x25) and CR (0x0D); 0 for anything else, which the
 * devices print as a blank.
 */
char sim_cp037_to_ascii(uint8_t e);

/* ASCII to code page 037; 0x40 (blank) for what is not printable ASCII. */
uint8_t sim_ascii_to_cp037(char c);

/* --- 3505 card reader (Hercules cardrdr.c) --------------------------------- */

enum sim_rdr_format {
	SIM_RDR_AUTO,   /* as Hercules: ASCII if the first 160 bytes are text */
	SIM_RDR_EBCDIC, /* 80-byte binary card images (`ebcdic`) */
	SIM_RDR_ASCII,  /* text lines, one card each, translated (`ascii`) */
};

struct sim_rdr_opts {
	const char *path;           /* the deck; NULL or "*": no deck in the hopper */
	enum sim_rdr_format format;
	bool eof;                   /* `eof`: unit exception at the end of the deck;
				     * default (`intrq`): unit check, intervention required */
};

/*
 * Attach a 3505 (CU 2821 model 1, 4 sense bytes). Commands: READ (0x02 and
 * the other read-feed-stacker codes) gives the next 80-byte card; feed
 * codes and NOP do nothing; the rest is rejected (CE DE UC, sense 0x80).
 * The file is opened at attach and must exist, as Hercules requires.
 * Returns the subchannel-id word, or SIM_ERR with a reason in why.
 */
long sim_rdr3505_add(struct sim *sim, const struct sim_dev_config *dev,
		     const struct sim_rdr_opts *opts, char *why);

/* --- 1403 printer (Hercules printer.c) -------------------------------------- */

struct sim_prt_opts {
	const char *path;  /* output file, created or truncated at attach */
	int fd;            /* or, with path NULL, this descriptor (not closed) */
	bool crlf;         /* `crlf`: lines end in CR LF */
};

/*
 * Attach a 1403 (CU 2821 model 1, 1 sense byte). WRITE 0x01 prints a line
 * without spacing (then CR), 0x09/0x11/0x19 print and space 1 to 3 lines
 * (LF each), 0x0B/0x13/0x1B space without printing, 0x89 and 0x8B skip to
 * a new page (FF). Lines are ASCII with trailing blanks removed. Other
 * commands: unit check alone with command reject, as Hercules' printer.
 * Returns the subchannel-id word, or SIM_ERR with a reason in why.
 */
long sim_prt1403_add(struct sim *sim, const struct sim_dev_config *dev,
		     const struct sim_prt_opts *opts, char *why);

struct sim_unitrec_stats {
	uint64_t records;  /* cards read or lines printed */
	uint64_t ends;     /* reads that met the end of the deck */
	uint64_t rejects;  /* commands rejected */
};

/* Statistics of the reader or printer on schid; false when it is neither. */
bool sim_unitrec_get_stats(struct sim *sim, uint32_t schid, struct sim_unitrec_stats *out);

#ifdef __cplusplus
}
#endif

#endif /* SIM_UNITREC_H */
