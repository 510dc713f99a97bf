/*
 * Channel programs in words: decode a chain of CCWs into readable lines
 * (command names for virtio-ccw and classic devices, flags, counts,
 * addresses), for error reports and traces.
 */
#ifndef CCW_TRACE_H
#define CCW_TRACE_H

#include "ccw/ident.h" /* enum ident_kind */

/* Receives one decoded line, without a newline. */
typedef void (*ccwtrace_out)(void *ctx, const char *line);

/*
 * The name of command code cmd for a device of the given kind ("SENSE ID",
 * "SET_VIRTIO_REV", "SEARCH ID EQUAL"...), or NULL when unknown. The basic
 * commands (NOP, BASIC SENSE, TIC, SENSE ID) are known for every kind.
 */
const char *ccwtrace_cmd_name(u8 cmd, enum ident_kind kind);

/* The CCW flags as "CC|SLI" (or "-" for none) into buf; returns buf. */
char *ccwtrace_flags(u8 flags, char *buf, size_t size);

/*
 * Decode the channel program at channel-subsystem address addr (format-1
 * CCWs if fmt1, else format 0), following command and data chaining and
 * TICs, one line per CCW, at most max_ccws lines. It stops at the end of
 * the chain, at a CCW that is not addressable memory (a line says so), and
 * at a TIC back to a CCW already shown. Returns the number of CCWs shown.
 */
unsigned ccwtrace_program(u64 addr, bool fmt1, enum ident_kind kind, unsigned max_ccws,
			  ccwtrace_out out, void *ctx);

#endif /* CCW_TRACE_H */
