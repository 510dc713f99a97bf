/*
 * A TFTP client for reading one file (RFC 1350, octet mode) with the
 * blksize (RFC 2348) and tsize (RFC 2349) options (RFC 2347), as ccwboot
 * reads its boot files from QEMU's user network. Platform-neutral: the
 * datagrams go through callbacks, and the file's bytes go where the sink
 * says, so the same code runs on the machine, on the simulator and under
 * the fuzzer.
 *
 * What it does with QEMU's server (reference/boot-linux.md, "Network
 * boot"): asks for 1428-byte blocks and the size; takes block numbers
 * across their 16-bit wrap; never acknowledges a block twice on its own
 * (that server sends the next block for every acknowledgement, so a
 * duplicate would skip one), but repeats the last acknowledgement after a
 * second of silence, five times at most.
 */
#ifndef BOOT_TFTP_H
#define BOOT_TFTP_H

#include "ring/base.h"

#define TFTP_PORT 69u
#define TFTP_BLKSIZE 1428u       /* what QEMU's server grants at most */
#define TFTP_DEFAULT_BLKSIZE 512u
#define TFTP_MAX_BLKSIZE 1468u   /* one unfragmented Ethernet frame (4 bytes of header) */
#define TFTP_RETRY_US 1000000u   /* silence before the last packet is sent again */
#define TFTP_RETRIES 5u
#define TFTP_NAME_MAX 128u

struct tftp_io {
	/* Send data (a TFTP packet) to the server's port. 0 or an error. */
	int (*send)(void *ctx, u16 port, const void *data, u32 len);
	/*
	 * Wait for a datagram from the server until deadline_us (the clock
	 * of now_us): its data into buf (size bytes; longer ones are cut
	 * and *len says their length), its source port. 1, 0 at the
	 * deadline, or a negative error.
	 */
	int (*recv)(void *ctx, void *buf, u32 size, u32 *len, u16 *port, u64 deadline_us);
	u64 (*now_us)(void *ctx);
	void *ctx;
};

/* Where the file goes: a pointer for bytes [off, off + len), NULL when
 * they may not be stored (the file would run over what the sink allows). */
struct tftp_sink {
	void *(*at)(void *ctx, u64 off, u32 len);
	void *ctx;
};

struct tftp_result {
	u64 size;        /* bytes received */
	u32 blksize;     /* the block size in use */
	u64 tsize;       /* the size the server announced (0: none) */
	u32 retries;     /* packets sent again after silence */
};

/*
 * Read file (at most TFTP_NAME_MAX - 1 bytes) into the sink. 0, or a
 * negative error with a one-line reason in why naming the file: the
 * server's error packet, no answer, a file larger than the sink takes, a
 * packet out of protocol.
 */
int tftp_get(const struct tftp_io *io, const char *file, const struct tftp_sink *sink,
	     struct tftp_result *res, char *why, size_t why_len);

#endif /* BOOT_TFTP_H */
