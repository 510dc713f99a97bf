/*
 * Simulated virtio devices on the virtio-ccw control unit, with the identity
 * QEMU 7.2 gives them (reference/platforms.md 12.3-12.5: feature words,
 * queue sizes, configuration lengths), so that ccwsim and QEMU negotiate
 * alike; reference/ccw-virtio-checklist.md D for the device types.
 *
 * One file per device type: dev_blk.c, dev_net.c, dev_con.c, dev_rng.c.
 * Every model validates what the driver put in its rings (ring/vq_dev.h);
 * a chain that breaks the rules sets DEVICE_NEEDS_RESET, and a request the
 * model cannot serve ends with the device type's error status. Nothing a
 * driver writes makes a model touch memory outside guest memory or its
 * own buffers.
 */
#ifndef SIM_VDEV_H
#define SIM_VDEV_H

#include "sim/vccw.h"

/* Transport defaults as QEMU 7.2 has them (revision 2, INDIRECT_DESC and
 * EVENT_IDX offered, adapter indicators, transitional). */
void sim_vdev_default_transport(struct sim_vccw_config *cfg);

/*
 * Attaching: dev gives set, subchannel number and devno; transport NULL
 * means sim_vdev_default_transport(). Each returns the subchannel-id word,
 * or -1 with a reason in why (at least SIM_WHY_LEN bytes; may be NULL).
 */
#define SIM_WHY_LEN 128

/* --- virtio-blk (virtio 1.3, 5.2; dev_blk.c) --------------------------- */

struct sim_blk_opts {
	const char *path;     /* raw image file, or NULL for a disk in memory */
	u64 size;             /* bytes of a memory disk (a multiple of 512) */
	bool read_only;       /* VIRTIO_BLK_F_RO: writes fail with IOERR, nothing written */
	const char *serial;   /* GET_ID answer (at most 20 bytes; NULL: empty) */
	u32 seg_max;          /* data segments per request (0: QEMU's 254) */
	u32 size_max;         /* bytes per segment, with SIZE_MAX (0: not offered, as QEMU) */
};

/*
 * A file-backed disk has a write-back cache (CONFIG_WCE, writeback 1, as
 * QEMU's default): written data reaches the file at FLUSH, which ends with
 * fsync, and when the machine is destroyed. A driver that writes 0 to the
 * writeback field gets write-through.
 */
long sim_vdev_blk(struct sim *sim, const struct sim_dev_config *dev,
		  const struct sim_vccw_config *transport, const struct sim_blk_opts *opts,
		  char *why);

struct sim_blk;

/* The virtio-blk model on schid, or NULL. */
struct sim_blk *sim_blk_find(struct sim *sim, u32 schid);

/* Requests touching sectors [sector, sector + count) end with IOERR and
 * move no data (count 0: no more failures). */
void sim_blk_fail(struct sim_blk *b, u64 sector, u64 count);

/* Hold: requests are taken from the ring but not completed until the hold
 * is released (a device that goes away mid-request). */
void sim_blk_hold(struct sim_blk *b, bool hold);

struct sim_blk_stats {
	u64 reads, writes, flushes, get_ids;   /* requests completed with OK */
	u64 errors;                            /* IOERR and UNSUPP */
	u64 bytes_read, bytes_written;
	u64 max_in_flight;                     /* most requests taken at once */
};
void sim_blk_get_stats(const struct sim_blk *b, struct sim_blk_stats *out);

/* --- virtio-net (virtio 1.3, 5.1; dev_net.c) --------------------------- */

struct sim_net_opts {
	u8 mac[6];            /* the device's address (QEMU: 52:54:00:12:34:56, +1 per further NIC;
			       * all zero: 52:54:00:12:34:56) */
	bool link_down;       /* STATUS without LINK_UP */
	/*
	 * QEMU's user network behind the device: the gateway 10.0.2.2 (MAC
	 * 52:55:0a:00:02:02) answers ARP for itself and for the DNS address
	 * 10.0.2.3, and its DHCP server offers 10.0.2.15. Without it frames
	 * the guest sends go nowhere.
	 */
	bool user_net;
	const char *pcap;     /* file that receives every frame, both ways (QEMU's filter-dump) */
	bool no_mac;          /* do not offer VIRTIO_NET_F_MAC (QEMU always does): the
			       * driver must make its address up */
};
long sim_vdev_net(struct sim *sim, const struct sim_dev_config *dev,
		  const struct sim_vccw_config *transport, const struct sim_net_opts *opts,
		  char *why);

struct sim_net;
struct sim_net *sim_net_find(struct sim *sim, u32 schid);

/* A frame for the guest: delivered at once when a receive buffer is posted,
 * else queued (a bounded queue; beyond it frames are dropped). Returns 0,
 * or -1 for a frame larger than 1514 bytes or smaller than 14. */
int sim_net_inject(struct sim_net *n, const void *frame, u32 len);

/* Link up or down: the STATUS field changes and a configuration change is
 * signalled. */
void sim_net_set_link(struct sim_net *n, bool up);

/* See every frame the guest sends (after the user network saw it). */
void sim_net_set_tap(struct sim_net *n, void (*fn)(void *ctx, const u8 *frame, u32 len),
		     void *ctx);

struct sim_net_stats {
	u64 tx_frames, rx_frames;   /* guest to network, network to guest */
	u64 rx_dropped;             /* no receive buffer and the queue was full */
	u64 tx_errors;              /* malformed transmit chains */
	u64 arp_replies, dhcp_offers, dhcp_acks;
};
void sim_net_get_stats(const struct sim_net *n, struct sim_net_stats *out);

/* --- virtio-console (virtio-serial; virtio 1.3, 5.3; dev_con.c) ------- */

struct sim_con_opts {
	int out_fd;           /* where port 0's output goes (-1: discarded) */
	int in_fd;            /* where port 0's input comes from (-1: none); read while the CPU waits */
	bool own_fds;         /* close them when the machine is destroyed */
	bool console_port;    /* a virtconsole on port 0 (QEMU: -device virtconsole) */
	u32 max_ports;        /* 0: QEMU's 31, with MULTIPORT; 1: a single port, no MULTIPORT */
};
long sim_vdev_console(struct sim *sim, const struct sim_dev_config *dev,
		      const struct sim_vccw_config *transport, const struct sim_con_opts *opts,
		      char *why);

struct sim_con;
struct sim_con *sim_con_find(struct sim *sim, u32 schid);

/* Bytes for the guest on port 0, as if they came from in_fd. Returns 0, or
 * -1 when the model's input buffer is full. */
int sim_con_input(struct sim_con *c, const void *buf, size_t len);

struct sim_con_stats {
	u64 out_bytes, in_bytes;    /* port 0 */
	u64 emerg_bytes;            /* emergency writes */
	u64 control_msgs;           /* control messages from the driver */
	u64 control_bad;            /* ... ignored: short, unknown event or port, bad value */
	bool port_open;             /* the driver opened port 0 (PORT_OPEN 1) */
};
void sim_con_get_stats(const struct sim_con *c, struct sim_con_stats *out);

/* --- virtio-rng (virtio 1.3, 5.4; dev_rng.c) --------------------------- */

struct sim_rng_opts {
	bool seeded;          /* a reproducible generator instead of the system's */
	u64 seed;
	u32 chunk;            /* at most this many bytes per request (0: fill every buffer) */
};
long sim_vdev_rng(struct sim *sim, const struct sim_dev_config *dev,
		  const struct sim_vccw_config *transport, const struct sim_rng_opts *opts);

#endif /* SIM_VDEV_H */
