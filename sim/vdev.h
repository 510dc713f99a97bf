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

#include "sim.h" /* a sibling: the same in the tree and installed */

#ifdef __cplusplus
extern "C" {
#endif

/* --- The virtio-ccw transport (sim/vccw.c) ------------------------------- */

/* One virtio-ccw device (opaque). */
struct sim_vccw;

/* Transport choices of one device. */
struct sim_vccw_config {
	int max_revision;       /* 0, 1 or 2 */
	bool transitional;      /* commands before SET_VIRTIO_REV fall back to revision 0 */
	bool version_1;         /* offer VIRTIO_F_VERSION_1 */
	bool event_idx;         /* offer VIRTIO_F_EVENT_IDX */
	bool indirect_desc;     /* offer VIRTIO_F_INDIRECT_DESC */
	bool ring_packed;       /* offer VIRTIO_F_RING_PACKED */
	bool in_order;          /* offer VIRTIO_F_IN_ORDER */
	bool adapter;           /* accept SET_IND_ADAPTER (else command reject) */
	bool legacy_bits;       /* in legacy mode also offer NOTIFY_ON_EMPTY and ANY_LAYOUT */
	bool no_notify_on_empty;/* ... but not NOTIFY_ON_EMPTY (QEMU's notify_on_empty=off) */
	bool no_any_layout;     /* ... but not ANY_LAYOUT (QEMU's any_layout=off) */
	bool ring_reset;        /* offer VIRTIO_F_RING_RESET (QEMU 7.2's queue_reset=on) */
	bool access_platform;   /* offer VIRTIO_F_ACCESS_PLATFORM and require it at FEATURES_OK
				 * (QEMU's iommu_platform=on) */
};

/*
 * DIAGNOSE 0x500: fn is GPR 1 (3: virtio-ccw notify), schid GPR 2, queue
 * GPR 3, cookie GPR 4. Stores the GPR 2 result (0, or -22 for a subchannel
 * or queue that cannot be notified) in *r2 and returns 0; returns the
 * negated program-interruption code (specification) for an unknown
 * function code.
 */
int sim_diag500(struct sim *sim, uint64_t fn, uint64_t schid, uint64_t queue, uint64_t cookie, int64_t *r2);

/* The magnitude of the error DIAGNOSE 0x500 returns in GPR 2 (QEMU: -EINVAL). */
#define SIM_DIAG500_EINVAL 22

/* What the driver has set up, for tests and models. */
struct sim_vccw_state {
	int revision;           /* -1: not set */
	uint8_t status;
	uint64_t driver_features;
	bool adapter;           /* adapter indicators in use */
	uint64_t ind_addr;           /* classic queue indicator (0: none) */
	uint64_t conf_ind_addr;      /* configuration indicator (0: none) */
	uint64_t summary_addr, adapter_ind_addr, bit_nr;
	uint8_t isc;
	unsigned queues_set;    /* queues with a ring */
};
void sim_vccw_get_state(const struct sim_vccw *d, struct sim_vccw_state *out);

/* Queue q's size and ring addresses (0 when not set). */
void sim_vccw_get_queue(const struct sim_vccw *d, unsigned q, unsigned *num, uint64_t *desc,
			uint64_t *driver, uint64_t *device);

/* Signal a configuration change (configuration indicator, bit 0). */
void sim_vccw_config_changed(struct sim_vccw *d);

/* The driver broke the rules: DEVICE_NEEDS_RESET, then a config change. */
void sim_vccw_needs_reset(struct sim_vccw *d);

/* The virtio-ccw device on subchannel-id word schid, or NULL when there is none. */
struct sim_vccw *sim_vccw_find(struct sim *sim, uint32_t schid);


/* Transport defaults as QEMU 7.2 has them (revision 2, INDIRECT_DESC,
 * EVENT_IDX and RING_RESET offered, adapter indicators, transitional). */
void sim_vdev_default_transport(struct sim_vccw_config *cfg);

/*
 * Attaching: dev gives set, subchannel number and devno; transport NULL
 * means sim_vdev_default_transport(). Each returns the subchannel-id word,
 * or SIM_ERR with a reason in why (SIM_WHY_LEN bytes, or NULL).
 */

/* --- virtio-blk (virtio 1.3, 5.2; dev_blk.c) --------------------------- */

struct sim_blk_opts {
	const char *path;     /* raw image file, or NULL for a disk in memory */
	uint64_t size;             /* bytes of a memory disk (a multiple of 512) */
	bool read_only;       /* VIRTIO_BLK_F_RO: writes fail with IOERR, nothing written */
	const char *serial;   /* GET_ID answer (at most 20 bytes; NULL: empty) */
	uint32_t seg_max;          /* data segments per request (0: QEMU's, queue_size - 2) */
	uint32_t size_max;         /* bytes per segment, with SIZE_MAX (0: not offered, as QEMU) */
	/*
	 * QEMU's block properties, with its rules (a power of two from 512
	 * to 2 MiB, logical <= physical, the I/O sizes multiples of the
	 * logical block): a request must cover whole logical blocks, aligned,
	 * or it ends with IOERR. 0 means QEMU's default for a raw file: 512,
	 * and min_io_size, opt_io_size 0, discard_granularity the logical
	 * block.
	 */
	uint32_t logical_block_size;
	uint32_t physical_block_size;
	uint32_t min_io_size, opt_io_size;
	uint32_t discard_granularity;
	uint16_t num_queues;       /* request queues (0: 1); MQ is offered for more */
	uint16_t queue_size;       /* entries per queue (0: 256; a power of two from 4 to 1024) */
	bool no_seg_max_adjust; /* seg-max-adjust=off: seg_max 126 whatever the queue size */
	uint32_t cyls, heads, secs;/* geometry (0: QEMU's guess from a partition table or the size) */
	bool no_config_wce;   /* config-wce=off: CONFIG_WCE not offered */
	bool write_through;   /* write-cache=off: writeback 0 at reset */
	bool no_discard;      /* discard=off: DISCARD not offered */
	bool no_write_zeroes; /* write-zeroes=off: WRITE_ZEROES not offered */
	bool discard_unmap;   /* -drive discard=unmap: a DISCARD zeroes its range (else
			       * QEMU's default, ignore: nothing changes) */
	uint32_t max_discard_sectors;      /* 0: QEMU's 4194303 */
	uint32_t max_write_zeroes_sectors; /* 0: QEMU's 4194303 */
};

/* The disk's size as QEMU sees a raw file: whole 512-byte sectors,
 * rounded up (a 3-byte file is one sector). */
uint64_t sim_blk_file_sectors(uint64_t file_bytes);

/*
 * Check opts as QEMU 7.2 checks virtio-blk's properties: 0, or SIM_ERR with
 * QEMU's reason in why (at least SIM_WHY_LEN bytes). sim_vdev_blk() checks
 * the same.
 */
int sim_blk_check_opts(const struct sim_blk_opts *opts, char *why);

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
struct sim_blk *sim_blk_find(struct sim *sim, uint32_t schid);

/* Requests touching sectors [sector, sector + count) end with IOERR and
 * move no data (count 0: no more failures). */
void sim_blk_fail(struct sim_blk *b, uint64_t sector, uint64_t count);

/* Hold: requests are taken from the ring but not completed until the hold
 * is released (a device that goes away mid-request). */
void sim_blk_hold(struct sim_blk *b, bool hold);

struct sim_blk_stats {
	uint64_t reads, writes, flushes, get_ids;   /* requests completed with OK */
	uint64_t errors;                            /* IOERR and UNSUPP */
	uint64_t bytes_read, bytes_written;
	uint64_t max_in_flight;                     /* most requests taken at once */
};
void sim_blk_get_stats(const struct sim_blk *b, struct sim_blk_stats *out);

/* --- virtio-net (virtio 1.3, 5.1; dev_net.c) --------------------------- */

/*
 * QEMU's user network (libslirp, -netdev user): the host (gateway) and
 * DNS addresses answer ARP (with MAC 52:55 and the address), and the DHCP
 * server at the host offers addresses from dhcp_start on. Addresses in
 * host byte order.
 */
struct sim_unet {
	uint32_t net, mask;        /* QEMU: 10.0.2.0/24 */
	uint32_t host;             /* 10.0.2.2 */
	uint32_t dns;              /* 10.0.2.3 */
	uint32_t dhcp_start;       /* 10.0.2.15; 16 addresses */
	bool restricted;      /* restrict=on: DHCP offers no router and no DNS server */
	char hostname[64];    /* hostname=: DHCP option 12 ("" none) */
	char domain[64];      /* domainname=: DHCP option 15 */
	char bootfile[128];   /* bootfile=: the BOOTP file field */
};

/* QEMU's defaults: 10.0.2.0/24 with the host at .2, DNS at .3, DHCP from .15. */
void sim_unet_default(struct sim_unet *u);

/*
 * Set u from -netdev user's net=, host=, dns=, dhcpstart= and restrict=
 * (NULL: not given) with QEMU's rules: net= is ADDR[/BITS or /MASK], an
 * address alone takes its class's mask; host, DNS and DHCP default to .2,
 * .3 and .15 within it; each must belong to the network and differ. 0, or
 * SIM_ERR with QEMU's reason in why (SIM_WHY_LEN bytes).
 */
int sim_unet_parse(struct sim_unet *u, const char *net, const char *host, const char *dns,
		   const char *dhcpstart, bool restricted, char *why);

struct sim_net_opts {
	uint8_t mac[6];            /* the device's address (QEMU: 52:54:00:12:34:56, +1 per further NIC;
			       * all zero: 52:54:00:12:34:56) */
	bool link_down;       /* STATUS without LINK_UP */
	/* QEMU's user network behind the device (unet: its settings, NULL:
	 * QEMU's defaults). Without it frames the guest sends go nowhere. */
	bool user_net;
	const struct sim_unet *unet;
	const char *pcap;     /* file that receives every frame, both ways (QEMU's filter-dump) */
	bool no_mac;          /* do not offer VIRTIO_NET_F_MAC (QEMU always does): the
			       * driver must make its address up */
};
long sim_vdev_net(struct sim *sim, const struct sim_dev_config *dev,
		  const struct sim_vccw_config *transport, const struct sim_net_opts *opts,
		  char *why);

struct sim_net;
struct sim_net *sim_net_find(struct sim *sim, uint32_t schid);

/* A frame for the guest: delivered at once when a receive buffer is posted,
 * else queued (a bounded queue; beyond it frames are dropped). Returns 0,
 * or SIM_ERR for a frame larger than 1514 bytes or smaller than 14. */
int sim_net_inject(struct sim_net *n, const void *frame, uint32_t len);

/* Link up or down: the STATUS field changes and a configuration change is
 * signalled. */
void sim_net_set_link(struct sim_net *n, bool up);

/* See every frame the guest sends (after the user network saw it). */
void sim_net_set_tap(struct sim_net *n, void (*fn)(void *ctx, const uint8_t *frame, uint32_t len),
		     void *ctx);

struct sim_net_stats {
	uint64_t tx_frames, rx_frames;   /* guest to network, network to guest */
	uint64_t rx_dropped;             /* no receive buffer and the queue was full */
	uint64_t tx_errors;              /* malformed transmit chains */
	uint64_t arp_replies, dhcp_offers, dhcp_acks;
};
void sim_net_get_stats(const struct sim_net *n, struct sim_net_stats *out);

/*
 * QEMU's -netdev user,tftp=DIR: the host address serves the files under
 * dir by TFTP (RFC 1350), as libslirp does: every packet from port 69,
 * octet mode only, the tsize and blksize options (blksize at most 1428),
 * each acknowledgement answered with the next block, a session closed
 * after 5 s without a packet, names with "../" refused. dir NULL: no
 * server. 0, or SIM_ERR with why. (Since 1.1.)
 */
int sim_net_set_tftp(struct sim_net *n, const char *dir, char *why);

/* --- virtio-console (virtio-serial; virtio 1.3, 5.3; dev_con.c) ------- */

/* One port of a multiport device: QEMU's virtconsole or virtserialport. */
struct sim_con_port {
	uint32_t nr;               /* port number: 0 only for a console port */
	bool console;         /* a virtconsole: CONSOLE_PORT is sent for it */
	const char *name;     /* sent as PORT_NAME when the driver is ready (NULL: none) */
	int out_fd;           /* where its output goes (-1: discarded) */
	int in_fd;            /* where its input comes from (-1: none) */
	bool own_fds;         /* close them when the machine is destroyed */
	bool connected;       /* the host end is open: a chardev is behind it (QEMU: even for a
			       * virtconsole, none means closed) */
};

struct sim_con_opts {
	int out_fd;           /* where port 0's output goes (-1: discarded) */
	int in_fd;            /* where port 0's input comes from (-1: none); read while the CPU waits */
	bool own_fds;         /* close them when the machine is destroyed */
	bool console_port;    /* a virtconsole with a chardev on port 0 (QEMU: -device virtconsole) */
	uint32_t max_ports;        /* 0: QEMU's 31, with MULTIPORT; 1: a single port, no MULTIPORT */
	/*
	 * With MULTIPORT: the ports, replacing the port-0 fields above (nports 0
	 * keeps them). A device may have none: it then adds no port at all.
	 */
	const struct sim_con_port *ports;
	unsigned nports;
	bool no_emerg_write;  /* QEMU's emergency-write=off: EMERG_WRITE not offered */
};
long sim_vdev_console(struct sim *sim, const struct sim_dev_config *dev,
		      const struct sim_vccw_config *transport, const struct sim_con_opts *opts,
		      char *why);

struct sim_con;
struct sim_con *sim_con_find(struct sim *sim, uint32_t schid);

/* Bytes for the guest on port 0, as if they came from in_fd. Returns 0, or
 * SIM_ERR when the model's input buffer is full. */
int sim_con_input(struct sim_con *c, const void *buf, size_t len);

struct sim_con_stats {
	uint64_t out_bytes, in_bytes;    /* port 0 (ports 1 and up: their own out_fd and in_fd only) */
	uint64_t emerg_bytes;            /* emergency writes */
	uint64_t control_msgs;           /* control messages from the driver */
	uint64_t control_bad;            /* ... ignored: short, unknown event or port, bad value */
	bool port_open;             /* the driver opened port 0 (PORT_OPEN 1) */
};
void sim_con_get_stats(const struct sim_con *c, struct sim_con_stats *out);

/* --- virtio-rng (virtio 1.3, 5.4; dev_rng.c) --------------------------- */

struct sim_rng_opts {
	bool seeded;          /* a reproducible generator instead of the system's */
	uint64_t seed;
	uint32_t chunk;            /* at most this many bytes per request (0: fill every buffer) */
	/*
	 * QEMU's rate limit (virtio-rng-ccw max-bytes= and period=): at most
	 * max_bytes per period of period_ms milliseconds of the machine's
	 * clock (sim_now_us()); requests beyond it wait for the next period.
	 * 0: no limit; period_ms 0 is QEMU's default, 65536.
	 */
	uint64_t max_bytes;
	uint32_t period_ms;
	const char *source;   /* bytes from this file (QEMU's rng-random filename=), NULL:
			       * the system's generator (rng-builtin) */
};

/* Defaults of virtio-rng-ccw in QEMU 7.2. */
#define SIM_RNG_PERIOD_MS_DEFAULT 65536u

long sim_vdev_rng(struct sim *sim, const struct sim_dev_config *dev,
		  const struct sim_vccw_config *transport, const struct sim_rng_opts *opts);

/* --- Any other device type: its identity only (dev_generic.c) ---------- */

/* One field of a configuration space, stored in the byte order the driver
 * negotiated (little-endian with VERSION_1). */
struct sim_generic_field {
	uint16_t off;
	uint8_t size;              /* 1, 2, 4 or 8 */
	uint64_t value;
};

/*
 * A virtio device QEMU offers and this simulator serves no requests for
 * (balloon, input, gpu, scsi, crypto, 9p, vsock): its device id, feature
 * bits, queues and configuration space, so that a driver negotiates and
 * sets it up as on QEMU. Buffers the driver makes available are never
 * used. Everything given is copied.
 */
struct sim_generic_opts {
	unsigned device_id;
	uint64_t features;         /* device-specific bits (0-23) */
	unsigned nqueues;
	const uint16_t *queue_max; /* nqueues sizes */
	unsigned config_len;
	const struct sim_generic_field *fields;
	unsigned nfields;
	const uint8_t *bytes;      /* raw bytes at bytes_off (a 9p mount tag) */
	unsigned bytes_off, bytes_len;
};
long sim_vdev_generic(struct sim *sim, const struct sim_dev_config *dev,
		      const struct sim_vccw_config *transport, const struct sim_generic_opts *opts,
		      char *why);

#ifdef __cplusplus
}
#endif

#endif /* SIM_VDEV_H */
