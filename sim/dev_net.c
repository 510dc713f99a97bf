/*
 * The simulated virtio-net device (virtio 1.3, 5.1) with QEMU 7.2's
 * identity, and the visible behaviour of QEMU's user network behind it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ring/virtio.h"  /* status bits, VIRTIO_BIT, VIRTIO_ID_NET */
#include "sim/vdev_priv.h"

#define NET_ID VIRTIO_ID_NET

/* QEMU 7.2's device-specific feature bits (platforms.md 12.3): CTRL_GUEST_OFFLOADS,
 * MAC, MRG_RXBUF, STATUS, CTRL_VQ, CTRL_RX, CTRL_VLAN, CTRL_RX_EXTRA,
 * GUEST_ANNOUNCE, CTRL_MAC_ADDR. */
#define NET_FEATURES 0x00BF8024ull
#define NET_F_MAC 5
#define NET_F_MRG_RXBUF 15

/* Configuration space (virtio 1.3, 5.1.4): mac, status, max_virtqueue_pairs. */
#define NET_CONFIG_LEN 10u /* mac, status, max_virtqueue_pairs (virtio 1.3, 5.1.4) */
/* QEMU 7.2's length without MQ (measured): mac and status. */
#define NET_CONFIG_QEMU 8u
#define NET_S_LINK_UP 1u

#define NET_Q_RX 0u
#define NET_Q_TX 1u
#define NET_Q_CTRL 2u

/* virtio 1.3, 5.1.6: 12 bytes with VERSION_1 or MRG_RXBUF, else 10. */
#define NET_HDR_MAX 12u
#define NET_HDR_NUM_BUFFERS 10u

#define FRAME_MIN 14u
#define FRAME_MAX 1514u
/* Frames waiting for receive buffers; beyond it they are dropped. */
#define RXQ_LEN 64u

/* QEMU's user network: 10.0.2.0/24, the gateway .2, DNS .3, and the DHCP
 * pool from .15, sixteen addresses (one per client MAC). */
#define IP4(a, b, c, d) (((u32)(a) << 24) | ((u32)(b) << 16) | ((u32)(c) << 8) | (u32)(d))
#define UNET_POOL_LEN 16u
#define UNET_LEASE_S 86400u
#define IP_BROADCAST 0xFFFFFFFFu

/* Wire constants: Ethernet II, RFC 826, RFC 791, RFC 768, RFC 2131/2132. */
#define ETH_HLEN 14u
#define ETH_MIN 60u
#define ETH_IPV4 0x0800u
#define ETH_ARP 0x0806u
#define ARP_LEN 28u
#define IP_HLEN 20u
#define IP_PROTO_UDP 17u
#define IP_TOS_LOWDELAY 0x10u
#define IP_TTL 64u
#define UDP_HLEN 8u
#define PORT_BOOTPS 67u
#define PORT_BOOTPC 68u
#define BOOTP_FIXED 236u
#define BOOTP_OPTIONS (BOOTP_FIXED + 4u)
#define BOOTP_REPLY_LEN 548u /* the fixed part and a 312-byte options field (RFC 2131, 2) */
#define DHCP_DISCOVER 1u
#define DHCP_OFFER 2u
#define DHCP_REQUEST 3u
#define DHCP_ACK 5u
#define DHCP_NAK 6u

/* pcap's classic file format: a 24-byte header, then a 16-byte header per record. */
#define PCAP_MAGIC 0xA1B2C3D4u
#define PCAP_SNAPLEN 65535u
#define PCAP_LINKTYPE_ETHERNET 1u

/* QEMU's TFTP server (libslirp tftp.c, reference/boot-linux.md "Network
 * boot"): port 69 for every packet, octet mode, blksize up to 1428, tsize,
 * a session per client port, closed after 5 s without a packet. */
#define PORT_TFTP 69u
#define TFTP_SESSIONS 4u
#define TFTP_BLKSIZE_MAX 1428u
#define TFTP_IDLE_US 5000000u
#define TFTP_RRQ 1u
#define TFTP_DATA 3u
#define TFTP_ACK 4u
#define TFTP_ERROR 5u
#define TFTP_OACK 6u

static const u8 dhcp_cookie[4] = { 99, 130, 83, 99 };
static const u8 qemu_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

struct net_frame {
	u32 len;
	u8 data[FRAME_MAX];
};

struct sim_net {
	struct sim_virtio_model model;
	u16 queue_max[3];
	struct sim *sim;
	struct sim_vccw *vccw;
	u8 mac[6];
	bool link_up;
	bool user_net;
	struct sim_unet unet;
	FILE *pcap;
	void (*tap)(void *ctx, const u8 *frame, u32 len);
	void *tap_ctx;
	struct net_frame *rxq;      /* RXQ_LEN frames for the guest */
	unsigned rx_head, rx_count;
	struct sim_net_stats st;
	struct {
		u8 mac[6];
		bool used;
	} lease[UNET_POOL_LEN];
	u16 ip_id;
	char *tftp_dir;             /* -netdev user,tftp=DIR (NULL: no TFTP server) */
	struct tftp_session {
		bool used;
		u32 ip;
		u16 port;
		FILE *f;
		u64 size;
		u32 blksize;
		u16 block;          /* the last block sent */
		u64 sent;           /* bytes sent */
		u64 last_us;        /* the clock at its last packet */
	} tftp[TFTP_SESSIONS];
};

static void net_notify(void *ctx, struct sim_vccw *d, unsigned q);

/* --- Small helpers ------------------------------------------------------------ */

/* The internet checksum (RFC 1071), continued from sum. */
static u32 csum_add(u32 sum, const u8 *p, u32 len)
{
	u32 i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get_be16(p + i);
	if (len & 1)
		sum += (u32)p[len - 1] << 8;
	return sum;
}

static u16 csum_fold(u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return (u16)~sum;
}

/* RFC 768: over the pseudo header (addresses, protocol, length) and the datagram. */
static u16 udp_csum(const u8 *ip, const u8 *udp, u32 udp_len)
{
	u32 sum = csum_add(0, ip + 12, 8) + IP_PROTO_UDP + udp_len;

	return csum_fold(csum_add(sum, udp, udp_len));
}

/* The user network's own hosts answer with 52:55 and their IPv4 address. */
static void unet_mac(u32 ip, u8 mac[6])
{
	mac[0] = 0x52;
	mac[1] = 0x55;
	put_be32(mac + 2, ip);
}

/* The header the driver's features call for. */
static unsigned hdr_len(const struct sim_net *n, bool *mrg)
{
	struct sim_vccw_state st;

	sim_vccw_get_state(n->vccw, &st);
	*mrg = (st.driver_features >> NET_F_MRG_RXBUF) & 1;
	return sim_vdev_modern(n->vccw) || *mrg ? 12 : 10;
}

/* --- pcap ------------------------------------------------------------------------ */

static int pcap_open(struct sim_net *n, const char *path, char *why)
{
	struct {
		u32 magic;
		u16 major, minor;
		s32 thiszone;
		u32 sigfigs, snaplen, network;
	} h = { PCAP_MAGIC, 2, 4, 0, 0, PCAP_SNAPLEN, PCAP_LINKTYPE_ETHERNET };

	BUILD_ASSERT(sizeof(h) == 24);
	n->pcap = fopen(path, "wb");
	if (!n->pcap || fwrite(&h, sizeof(h), 1, n->pcap) != 1 || fflush(n->pcap)) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "pcap file %s: %s", path, strerror(errno));
		if (n->pcap)
			fclose(n->pcap);
		n->pcap = NULL;
		return SIM_ERR;
	}
	return 0;
}

/* One record, stamped with the real time; flushed, so the file can be
 * read while the machine runs. */
static void pcap_record(struct sim_net *n, const u8 *frame, u32 len)
{
	struct timespec ts;
	u32 rec[4];

	if (!n->pcap)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	rec[0] = (u32)ts.tv_sec;
	rec[1] = (u32)(ts.tv_nsec / 1000);
	rec[2] = len;
	rec[3] = len;
	if (fwrite(rec, sizeof(rec), 1, n->pcap) == 1)
		fwrite(frame, len, 1, n->pcap);
	fflush(n->pcap);
}

/* --- Receive: frames for the guest ------------------------------------------------- */

/*
 * Write waiting frames into the receive buffers the driver posted, one
 * frame per buffer (the model never merges buffers, even with MRG_RXBUF:
 * num_buffers is then 1). Nothing before DRIVER_OK (virtio 1.3, 3.1.1).
 */
static void deliver(struct sim_net *n)
{
	struct vq_seg seg[SIM_VDEV_MAX_SEGS];
	struct sim_vccw_state st;
	struct vq_chain c;
	struct vqd *q;
	bool pushed = false, mrg;
	unsigned hdr;

	sim_vccw_get_state(n->vccw, &st);
	if (!(st.status & VIRTIO_STATUS_DRIVER_OK) || (st.status & VIRTIO_STATUS_DEVICE_NEEDS_RESET))
		return;
	q = sim_vccw_vqd(n->vccw, NET_Q_RX);
	if (!q)
		return;
	hdr = hdr_len(n, &mrg);
	c.seg = seg;
	c.cap = SIM_VDEV_MAX_SEGS;
	while (n->rx_count) {
		struct net_frame *f = &n->rxq[n->rx_head];
		u32 written = 0;
		int rc = vqd_pop(q, &c);

		if (rc < 0) {
			sim_vccw_needs_reset(n->vccw);
			break;
		}
		/*
		 * Out of buffers with frames waiting: ask to hear of new
		 * ones (with EVENT_IDX the driver notifies only when asked,
		 * virtio 1.3, 2.7.10); some may have come meanwhile.
		 */
		if (rc == 0) {
			if (vqd_enable_notify(q))
				break;
			continue;
		}
		if (c.out_len || !c.in_len) {
			/* Not a receive buffer (virtio 1.3, 5.1.6.3): it goes
			 * back unused and the frame waits for the next one. */
		} else if (c.in_len < hdr + f->len) {
			n->st.rx_dropped++;
			n->rx_head = (n->rx_head + 1) % RXQ_LEN;
			n->rx_count--;
		} else {
			u8 h[NET_HDR_MAX];

			/* No offloads: flags 0, GSO_NONE (virtio 1.3, 5.1.6.4).
			 * num_buffers is 1 with MRG_RXBUF, and the spec wants 1
			 * without it too; QEMU 7.2 leaves it 0 then. */
			memset(h, 0, sizeof(h));
			if (hdr == NET_HDR_MAX && (mrg || sim_profile(n->sim) == SIM_PROFILE_ARCH))
				sim_vdev_put(h + NET_HDR_NUM_BUFFERS, 2, 1, sim_vdev_modern(n->vccw));
			sim_vdev_copy(&c, true, 0, h, hdr);
			sim_vdev_copy(&c, true, hdr, f->data, f->len);
			written = hdr + f->len;
			n->st.rx_frames++;
			n->rx_head = (n->rx_head + 1) % RXQ_LEN;
			n->rx_count--;
		}
		vqd_push(q, &c, written);
		pushed = true;
	}
	if (pushed)
		sim_vccw_queue_done(n->vccw, NET_Q_RX);
}

/* A frame reaches the device from the network. */
static void to_guest(struct sim_net *n, const u8 *frame, u32 len)
{
	struct net_frame *f;

	if (!n->link_up || n->rx_count == RXQ_LEN) {
		n->st.rx_dropped++;
		return;
	}
	pcap_record(n, frame, len);
	f = &n->rxq[(n->rx_head + n->rx_count) % RXQ_LEN];
	memcpy(f->data, frame, len);
	f->len = len;
	n->rx_count++;
}

/* --- QEMU's user network ------------------------------------------------------------ */

/* RFC 826: a request for the gateway or the DNS address gets a reply to the asker. */
static void unet_arp(struct sim_net *n, const u8 *f, u32 len)
{
	const u8 *a = f + ETH_HLEN;
	u8 r[ETH_MIN], *ra = r + ETH_HLEN, mac[6];
	u32 tip;

	if (len < ETH_HLEN + ARP_LEN || get_be16(a) != 1 || get_be16(a + 2) != ETH_IPV4 || a[4] != 6 ||
	    a[5] != 4 || get_be16(a + 6) != 1)
		return;
	tip = get_be32(a + 24);
	if (tip != n->unet.host && tip != n->unet.dns)
		return;
	unet_mac(tip, mac);
	memset(r, 0, sizeof(r));
	memcpy(r, a + 8, 6);
	memcpy(r + 6, mac, 6);
	put_be16(r + 12, ETH_ARP);
	put_be16(ra, 1);
	put_be16(ra + 2, ETH_IPV4);
	ra[4] = 6;
	ra[5] = 4;
	put_be16(ra + 6, 2);
	memcpy(ra + 8, mac, 6);
	put_be32(ra + 14, tip);
	memcpy(ra + 18, a + 8, 10); /* the asker's hardware and protocol address */
	n->st.arp_replies++;
	to_guest(n, r, sizeof(r));
}

/* The pool address of chaddr: the one it had before, else the first free. */
static int lease_find(struct sim_net *n, const u8 *chaddr, bool alloc)
{
	for (unsigned i = 0; i < UNET_POOL_LEN; i++)
		if (n->lease[i].used && !memcmp(n->lease[i].mac, chaddr, 6))
			return (int)i;
	if (!alloc)
		return SIM_ERR;
	for (unsigned i = 0; i < UNET_POOL_LEN; i++)
		if (!n->lease[i].used) {
			n->lease[i].used = true;
			memcpy(n->lease[i].mac, chaddr, 6);
			return (int)i;
		}
	return SIM_ERR;
}

/* A DHCP option holding a string (RFC 2132: hostname 12, domain 15); none when empty. */
static u8 *put_str_opt(u8 *o, u8 code, const char *v)
{
	size_t len = strnlen(v, 63);

	if (!len)
		return o;
	*o++ = code;
	*o++ = (u8)len;
	memcpy(o, v, len);
	return o + len;
}

/* A DHCP reply from the gateway to the limited broadcast address. */
static void dhcp_reply(struct sim_net *n, const u8 *req, unsigned type, u32 yiaddr)
{
	const u32 udp_len = UDP_HLEN + BOOTP_REPLY_LEN, ip_len = IP_HLEN + udp_len;
	u8 f[ETH_HLEN + IP_HLEN + UDP_HLEN + BOOTP_REPLY_LEN];
	u8 *ip = f + ETH_HLEN, *udp = ip + IP_HLEN, *b = udp + UDP_HLEN, *o = b + BOOTP_FIXED;

	memset(f, 0xFF, 6);
	unet_mac(n->unet.host, f + 6);
	put_be16(f + 12, ETH_IPV4);
	memset(ip, 0, ip_len);
	ip[0] = 0x45;
	ip[1] = IP_TOS_LOWDELAY;
	put_be16(ip + 2, ip_len);
	put_be16(ip + 4, n->ip_id++);
	ip[8] = IP_TTL;
	ip[9] = IP_PROTO_UDP;
	put_be32(ip + 12, n->unet.host);
	put_be32(ip + 16, IP_BROADCAST);
	put_be16(ip + 10, csum_fold(csum_add(0, ip, IP_HLEN)));
	put_be16(udp, PORT_BOOTPS);
	put_be16(udp + 2, PORT_BOOTPC);
	put_be16(udp + 4, udp_len);

	b[0] = 2; /* BOOTREPLY */
	b[1] = 1;
	b[2] = 6;
	memcpy(b + 4, req + 4, 4);   /* xid */
	memcpy(b + 10, req + 10, 2); /* flags */
	if (type != DHCP_NAK) {
		put_be32(b + 16, yiaddr);
		put_be32(b + 20, n->unet.host); /* siaddr */
	}
	memcpy(b + 28, req + 28, 16); /* chaddr */

	memcpy(o, dhcp_cookie, 4);
	o += 4;
	*o++ = 53;
	*o++ = 1;
	*o++ = (u8)type;
	*o++ = 54;
	*o++ = 4;
	put_be32(o, n->unet.host);
	o += 4;
	if (type != DHCP_NAK) {
		*o++ = 51;
		*o++ = 4;
		put_be32(o, UNET_LEASE_S);
		o += 4;
		*o++ = 1;
		*o++ = 4;
		put_be32(o, n->unet.mask);
		o += 4;
		/* Restricted, QEMU names no router and no DNS server. */
		if (!n->unet.restricted) {
			*o++ = 3;
			*o++ = 4;
			put_be32(o, n->unet.host);
			o += 4;
			*o++ = 6;
			*o++ = 4;
			put_be32(o, n->unet.dns);
			o += 4;
		}
		o = put_str_opt(o, 12, n->unet.hostname);
		o = put_str_opt(o, 15, n->unet.domain);
		/* RFC 951: the boot file name, NUL-terminated in 128 bytes. */
		memcpy(b + 108, n->unet.bootfile, strnlen(n->unet.bootfile, 127));
	}
	*o = 255;
	/* RFC 768: a sum of 0 goes out as all ones (0 means none). */
	u16 csum = udp_csum(ip, udp, udp_len);
	put_be16(udp + 6, csum ? csum : 0xFFFF);
	if (type == DHCP_OFFER)
		n->st.dhcp_offers++;
	else if (type == DHCP_ACK)
		n->st.dhcp_acks++;
	to_guest(n, f, sizeof(f));
}

/* RFC 2131, 4.3: DISCOVER gets an OFFER; REQUEST an ACK for the client's
 * address, or a NAK for another client's or one outside the pool. */
static void unet_dhcp(struct sim_net *n, const u8 *b, u32 blen)
{
	const u8 *o = b + BOOTP_OPTIONS, *end = b + blen;
	unsigned type = 0;
	u32 requested = 0;
	int idx;

	if (blen < BOOTP_OPTIONS || b[0] != 1 || b[1] != 1 || b[2] != 6 ||
	    memcmp(b + BOOTP_FIXED, dhcp_cookie, 4))
		return;
	while (o < end && *o != 255) {
		unsigned code = *o++, len;

		if (code == 0)
			continue;
		if (o >= end || *o > end - o - 1)
			return;
		len = *o++;
		if (code == 53 && len == 1)
			type = o[0];
		else if (code == 50 && len == 4)
			requested = get_be32(o);
		o += len;
	}
	if (type == DHCP_DISCOVER) {
		idx = lease_find(n, b + 28, true);
		if (idx >= 0)
			dhcp_reply(n, b, DHCP_OFFER, n->unet.dhcp_start + (u32)idx);
		return;
	}
	if (type != DHCP_REQUEST)
		return;
	if (!requested)
		requested = get_be32(b + 12); /* ciaddr: renewing */
	if (!requested) {
		idx = lease_find(n, b + 28, true);
	} else if (requested - n->unet.dhcp_start < UNET_POOL_LEN) {
		idx = (int)(requested - n->unet.dhcp_start);
		if (n->lease[idx].used && memcmp(n->lease[idx].mac, b + 28, 6))
			idx = -1;
		if (idx >= 0) {
			/* A client keeps one address. */
			int old = lease_find(n, b + 28, false);

			if (old >= 0)
				n->lease[old].used = false;
			n->lease[idx].used = true;
			memcpy(n->lease[idx].mac, b + 28, 6);
		}
	} else {
		idx = -1;
	}
	if (idx >= 0)
		dhcp_reply(n, b, DHCP_ACK, n->unet.dhcp_start + (u32)idx);
	else
		dhcp_reply(n, b, DHCP_NAK, 0);
}

/* A UDP datagram from the host's address and sport to the guest. */
static void unet_udp_out(struct sim_net *n, u16 sport, u32 dip, u16 dport, const u8 *data, u32 len)
{
	u8 f[FRAME_MAX];
	u8 *ip = f + ETH_HLEN, *udp = ip + IP_HLEN;
	u32 udp_len = UDP_HLEN + len, ip_len = IP_HLEN + udp_len, flen = ETH_HLEN + ip_len;
	u16 csum;

	if (flen > sizeof(f))
		return;
	memset(f, 0, MAX(flen, (u32)ETH_MIN));
	memcpy(f, n->mac, 6);
	unet_mac(n->unet.host, f + 6);
	put_be16(f + 12, ETH_IPV4);
	ip[0] = 0x45;
	put_be16(ip + 2, ip_len);
	put_be16(ip + 4, n->ip_id++);
	ip[8] = IP_TTL;
	ip[9] = IP_PROTO_UDP;
	put_be32(ip + 12, n->unet.host);
	put_be32(ip + 16, dip);
	put_be16(ip + 10, csum_fold(csum_add(0, ip, IP_HLEN)));
	put_be16(udp, sport);
	put_be16(udp + 2, dport);
	put_be16(udp + 4, udp_len);
	memcpy(udp + UDP_HLEN, data, len);
	csum = udp_csum(ip, udp, udp_len);
	put_be16(udp + 6, csum ? csum : 0xFFFF);
	to_guest(n, f, MAX(flen, (u32)ETH_MIN));
}

static void tftp_close(struct tftp_session *t)
{
	if (t->f)
		fclose(t->f);
	memset(t, 0, sizeof(*t));
}

static void tftp_error(struct sim_net *n, u32 ip, u16 port, u16 code, const char *msg)
{
	u8 p[96];
	size_t l = strlen(msg);

	put_be16(p, TFTP_ERROR);
	put_be16(p + 2, code);
	memcpy(p + 4, msg, l + 1);
	unet_udp_out(n, PORT_TFTP, ip, port, p, (u32)(4 + l + 1));
}

/* The next block of the session; the session ends with the short one. */
static void tftp_next(struct sim_net *n, struct tftp_session *t)
{
	u8 p[4 + TFTP_BLKSIZE_MAX];
	size_t got = 0;

	/* The 16-bit block number wraps; the file offset follows the bytes sent. */
	t->block++;
	put_be16(p, TFTP_DATA);
	put_be16(p + 2, t->block);
	if (!fseek(t->f, (long)t->sent, SEEK_SET))
		got = fread(p + 4, 1, t->blksize, t->f);
	t->sent += got;
	unet_udp_out(n, PORT_TFTP, t->ip, t->port, p, (u32)(4 + got));
	if (got < t->blksize)
		tftp_close(t);
}

/* RFC 1350 read request: a file under the server's directory, octet
 * mode, options tsize and blksize (RFC 2347-2349). */
static void tftp_rrq(struct sim_net *n, u32 ip, u16 port, const u8 *d, u32 len)
{
	const char *name = (const char *)d + 2, *mode, *end = (const char *)d + len;
	u8 oack[64];
	u32 ol = 2;
	char path[4096];
	struct tftp_session *t = NULL;
	u64 now = sim_now_us(n->sim);
	bool tsize = false;
	u32 blksize = 512;

	for (unsigned i = 0; i < TFTP_SESSIONS; i++) {
		struct tftp_session *s = &n->tftp[i];

		if (s->used && (now - s->last_us > TFTP_IDLE_US || (s->ip == ip && s->port == port)))
			tftp_close(s);
		if (!s->used && !t)
			t = s;
	}
	mode = memchr(name, 0, (size_t)(end - name));
	if (!mode || ++mode >= end || !memchr(mode, 0, (size_t)(end - mode)))
		return;
	if (strcmp(mode, "octet")) {
		tftp_error(n, ip, port, 4, "Unsupported transfer mode");
		return;
	}
	for (const char *o = mode + strlen(mode) + 1; o < end;) {
		const char *v = memchr(o, 0, (size_t)(end - o));

		if (!v || ++v >= end || !memchr(v, 0, (size_t)(end - v)))
			break;
		if (!strcasecmp(o, "tsize")) {
			tsize = true;
		} else if (!strcasecmp(o, "blksize")) {
			unsigned long b = strtoul(v, NULL, 10);

			blksize = b > TFTP_BLKSIZE_MAX ? TFTP_BLKSIZE_MAX : (u32)b;
			if (blksize < 8)
				blksize = 512;
		}
		o = v + strlen(v) + 1;
	}
	if (!t) {
		tftp_error(n, ip, port, 2, "Access violation");
		return;
	}
	if (!strncmp(name, "../", 3) || strstr(name, "/../") || !name[0] ||
	    name[strlen(name) - 1] == '/' ||
	    snprintf(path, sizeof(path), "%s/%s", n->tftp_dir, name) >= (int)sizeof(path)) {
		tftp_error(n, ip, port, 2, "Access violation");
		return;
	}
	t->f = fopen(path, "rb");
	if (!t->f || fseek(t->f, 0, SEEK_END)) {
		if (t->f)
			fclose(t->f);
		t->f = NULL;
		tftp_error(n, ip, port, 1, "File not found");
		return;
	}
	t->size = (u64)ftell(t->f);
	t->used = true;
	t->ip = ip;
	t->port = port;
	t->blksize = blksize;
	t->block = 0;
	t->sent = 0;
	t->last_us = now;
	if (!tsize && blksize == 512) {
		tftp_next(n, t);
		return;
	}
	put_be16(oack, TFTP_OACK);
	if (tsize)
		ol += (u32)snprintf((char *)oack + ol, sizeof(oack) - ol, "tsize%c%llu", 0,
				    (unsigned long long)t->size) + 1;
	if (blksize != 512)
		ol += (u32)snprintf((char *)oack + ol, sizeof(oack) - ol, "blksize%c%u", 0,
				    blksize) + 1;
	unet_udp_out(n, PORT_TFTP, ip, port, oack, ol);
}

/* A packet to the TFTP port: a read request, or an acknowledgement, each
 * of which sends the session's next block. */
static void unet_tftp(struct sim_net *n, u32 ip, u16 port, const u8 *d, u32 len)
{
	u16 op;

	if (len < 4)
		return;
	op = get_be16(d);
	if (op == TFTP_RRQ) {
		tftp_rrq(n, ip, port, d, len);
		return;
	}
	if (op != TFTP_ACK)
		return;
	for (unsigned i = 0; i < TFTP_SESSIONS; i++) {
		struct tftp_session *t = &n->tftp[i];

		if (t->used && t->ip == ip && t->port == port) {
			u64 now = sim_now_us(n->sim);

			if (now - t->last_us > TFTP_IDLE_US) {
				tftp_close(t);
				return;
			}
			t->last_us = now;
			tftp_next(n, t);
			return;
		}
	}
}

/* IPv4 (RFC 791) carrying UDP (RFC 768) to the DHCP server or the TFTP
 * server; everything else goes nowhere. */
static void unet_ipv4(struct sim_net *n, const u8 *f, u32 len)
{
	const u8 *ip = f + ETH_HLEN, *udp;
	u32 ihl, ip_len, udp_len, dst;

	if (len < ETH_HLEN + IP_HLEN)
		return;
	ihl = (ip[0] & 0x0Fu) * 4u;
	ip_len = get_be16(ip + 2);
	if ((ip[0] >> 4) != 4 || ihl < IP_HLEN || ip_len < ihl + UDP_HLEN || ip_len > len - ETH_HLEN ||
	    csum_fold(csum_add(0, ip, ihl)) != 0 || ip[9] != IP_PROTO_UDP ||
	    (get_be16(ip + 6) & 0x3FFFu))
		return;
	dst = get_be32(ip + 16);
	udp = ip + ihl;
	udp_len = get_be16(udp + 4);
	if (udp_len < UDP_HLEN || udp_len > ip_len - ihl || (dst != IP_BROADCAST && dst != n->unet.host))
		return;
	if (get_be16(udp + 6) && udp_csum(ip, udp, udp_len) != 0)
		return;
	if (get_be16(udp + 2) == PORT_BOOTPS)
		unet_dhcp(n, udp + UDP_HLEN, udp_len - UDP_HLEN);
	else if (get_be16(udp + 2) == PORT_TFTP && dst == n->unet.host && n->tftp_dir)
		unet_tftp(n, get_be32(ip + 12), get_be16(udp), udp + UDP_HLEN, udp_len - UDP_HLEN);
}

static void unet_input(struct sim_net *n, const u8 *f, u32 len)
{
	switch (get_be16(f + 12)) {
	case ETH_ARP:
		unet_arp(n, f, len);
		break;
	case ETH_IPV4:
		unet_ipv4(n, f, len);
		break;
	default:
		break;
	}
}

/* --- Settings ---------------------------------------------------------------------- */

void sim_unet_default(struct sim_unet *u)
{
	memset(u, 0, sizeof(*u));
	u->net = IP4(10, 0, 2, 0);
	u->mask = IP4(255, 255, 255, 0);
	u->host = IP4(10, 0, 2, 2);
	u->dns = IP4(10, 0, 2, 3);
	u->dhcp_start = IP4(10, 0, 2, 15);
}

/* A dotted quad, each part a decimal number up to 255; false otherwise. */
static bool parse_ip(const char *s, u32 *out)
{
	u32 v = 0;

	for (unsigned part = 0; part < 4; part++) {
		unsigned n = 0, digits = 0;

		while (*s >= '0' && *s <= '9' && digits < 4) {
			n = n * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (!digits || n > 255 || (part < 3 ? *s++ != '.' : *s != '\0'))
			return false;
		v = v << 8 | n;
	}
	*out = v;
	return true;
}

/* The mask of an address given without one, by its class (libslirp's table). */
static u32 class_mask(u32 a)
{
	if (!(a & 0x80000000u))
		return 0xFF000000u;
	if ((a & 0xFFF00000u) == 0xAC100000u)
		return 0xFFF00000u; /* 172.16.0.0/12 */
	if ((a & 0xC0000000u) == 0x80000000u)
		return 0xFFFF0000u;
	if ((a & 0xFFFF0000u) == 0xC0A80000u)
		return 0xFFFF0000u; /* 192.168.0.0/16 */
	if ((a & 0xFFFF0000u) == 0xC6120000u)
		return 0xFFFE0000u; /* 198.18.0.0/15 */
	if ((a & 0xE0000000u) == 0xE0000000u)
		return 0xFFFFFF00u;
	return 0xFFFFFFF0u;
}

static int unet_fail(char *why, const char *msg)
{
	if (why)
		snprintf(why, SIM_WHY_LEN, "%s", msg);
	return SIM_ERR;
}

int sim_unet_parse(struct sim_unet *u, const char *net, const char *host, const char *dns,
		   const char *dhcpstart, bool restricted, char *why)
{
	sim_unet_default(u);
	u->restricted = restricted;
	if (net) {
		const char *slash = strchr(net, '/');
		char addr[32];

		snprintf(addr, sizeof(addr), "%.*s", slash ? (int)(slash - net) : (int)strlen(net), net);
		if ((size_t)(slash ? slash - net : (long)strlen(net)) >= sizeof(addr) ||
		    !parse_ip(addr, &u->net))
			return unet_fail(why, "Failed to parse netmask");
		if (!slash) {
			u->mask = class_mask(u->net);
		} else {
			char *end;
			long bits = strtol(slash + 1, &end, 10);

			if (*end) {
				if (!parse_ip(slash + 1, &u->mask))
					return unet_fail(why, "Failed to parse netmask (trailing chars)");
			} else if (end == slash + 1 || bits < 4 || bits > 32) {
				return unet_fail(why, "Invalid netmask provided (must be in range 4-32)");
			} else {
				u->mask = (u32)(0xFFFFFFFFull << (32 - bits));
			}
		}
		u->net &= u->mask;
		u->host = u->net | (0x0202u & ~u->mask);
		u->dhcp_start = u->net | (0x020Fu & ~u->mask);
		u->dns = u->net | (0x0203u & ~u->mask);
	}
	if (host && !parse_ip(host, &u->host))
		return unet_fail(why, "Failed to parse host");
	if ((u->host & u->mask) != u->net)
		return unet_fail(why, "Host doesn't belong to network");
	if (dns && !parse_ip(dns, &u->dns))
		return unet_fail(why, "Failed to parse DNS");
	if (restricted && (u->dns & u->mask) != u->net)
		return unet_fail(why, "DNS doesn't belong to network");
	if (u->dns == u->host)
		return unet_fail(why, "DNS must be different from host");
	if (dhcpstart && !parse_ip(dhcpstart, &u->dhcp_start))
		return unet_fail(why, "Failed to parse DHCP start address");
	if ((u->dhcp_start & u->mask) != u->net)
		return unet_fail(why, "DHCP doesn't belong to network");
	if (u->dhcp_start == u->host || u->dhcp_start == u->dns)
		return unet_fail(why, "DHCP must be different from host and DNS");
	return 0;
}

/* --- Transmit ---------------------------------------------------------------------- */

/*
 * One transmit chain: readable only, a header and a whole frame (virtio
 * 1.3, 5.1.6.2). Used length 0: the device writes nothing. With the link
 * down the frame is taken and lost, as on a cable pulled out.
 */
static u32 net_tx(void *ctx, struct vq_chain *c)
{
	struct sim_net *n = ctx;
	u8 frame[FRAME_MAX];
	bool mrg;
	unsigned hdr = hdr_len(n, &mrg);
	u32 len;

	if (c->in_len || c->out_len < hdr + FRAME_MIN || c->out_len > hdr + FRAME_MAX) {
		n->st.tx_errors++;
		return 0;
	}
	len = (u32)c->out_len - hdr;
	sim_vdev_copy(c, false, hdr, frame, len);
	n->st.tx_frames++;
	if (!n->link_up)
		return 0;
	pcap_record(n, frame, len);
	if (n->user_net)
		unet_input(n, frame, len);
	if (n->tap)
		n->tap(n->tap_ctx, frame, len);
	return 0;
}

/*
 * The control queue (virtio 1.3, 5.1.6.5): QEMU offers CTRL_VQ, so a
 * driver may use it. Every command is acknowledged with VIRTIO_NET_OK (0)
 * in the chain's last writable byte; the model filters nothing.
 */
static u32 net_ctrl(void *ctx, struct vq_chain *c)
{
	u8 ok = 0;

	(void)ctx;
	if (!c->in_len || !c->out_len)
		return 0;
	sim_vdev_copy(c, true, c->in_len - 1, &ok, 1);
	return (u32)c->in_len;
}

static void net_notify(void *ctx, struct sim_vccw *d, unsigned q)
{
	struct sim_net *n = ctx;

	if (q == NET_Q_TX || q == NET_Q_CTRL) {
		struct vqd *v;

		/* Serve, then ask for the next notification (with EVENT_IDX
		 * the driver notifies only past the index the device asked
		 * for, virtio 1.3, 2.7.10); serve what came meanwhile. */
		do {
			sim_vdev_serve(d, q, q == NET_Q_TX ? net_tx : net_ctrl, n);
			v = sim_vccw_vqd(d, q);
		} while (v && !vqd_enable_notify(v));
	}
	/* New receive buffers, or replies to what was just sent. */
	deliver(n);
}

/* --- The model ---------------------------------------------------------------------- */

static void net_config(void *ctx, u8 *buf, unsigned len, bool le)
{
	struct sim_net *n = ctx;
	u8 c[NET_CONFIG_LEN];

	memcpy(c, n->mac, 6);
	sim_vdev_put(c + 6, 2, n->link_up ? NET_S_LINK_UP : 0, le);
	sim_vdev_put(c + 8, 2, 1, le); /* max_virtqueue_pairs */
	memcpy(buf, c, MIN(len, (unsigned)sizeof(c)));
}

/* A reset forgets the frames meant for the driver that went away. */
static void net_reset(void *ctx)
{
	struct sim_net *n = ctx;

	n->rx_head = 0;
	n->rx_count = 0;
}

static void net_destroy(void *ctx)
{
	struct sim_net *n = ctx;

	if (n->pcap)
		fclose(n->pcap);
	for (unsigned i = 0; i < TFTP_SESSIONS; i++)
		tftp_close(&n->tftp[i]);
	free(n->tftp_dir);
	free(n->rxq);
	free(n);
}

int sim_net_set_tftp(struct sim_net *n, const char *dir, char *why)
{
	char *copy = dir ? strdup(dir) : NULL;

	if (dir && !copy) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "out of memory");
		return SIM_ERR;
	}
	free(n->tftp_dir);
	n->tftp_dir = copy;
	return 0;
}

long sim_vdev_net(struct sim *sim, const struct sim_dev_config *dev,
		  const struct sim_vccw_config *transport, const struct sim_net_opts *opts,
		  char *why)
{
	static const u8 zero[6];
	struct sim_net *n = calloc(1, sizeof(*n));
	long schid;

	if (n)
		n->rxq = calloc(RXQ_LEN, sizeof(*n->rxq));
	if (!n || !n->rxq) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "out of memory");
		if (n)
			free(n);
		return SIM_ERR;
	}
	n->sim = sim;
	memcpy(n->mac, opts && memcmp(opts->mac, zero, 6) ? opts->mac : qemu_mac, 6);
	n->link_up = !(opts && opts->link_down);
	n->user_net = opts && opts->user_net;
	if (opts && opts->unet)
		n->unet = *opts->unet;
	else
		sim_unet_default(&n->unet);
	if (opts && opts->pcap && pcap_open(n, opts->pcap, why)) {
		net_destroy(n);
		return SIM_ERR;
	}
	n->queue_max[NET_Q_RX] = 256;
	n->queue_max[NET_Q_TX] = 256;
	n->queue_max[NET_Q_CTRL] = 64;
	n->model = (struct sim_virtio_model){
		.device_id = NET_ID,
		.features = NET_FEATURES & ~(opts && opts->no_mac ? VIRTIO_BIT(NET_F_MAC) : 0),
		.nqueues = 3,
		.queue_max = n->queue_max,
		.config_len = NET_CONFIG_QEMU,
		.read_config = net_config,
		.queue_notify = net_notify,
		.reset = net_reset,
		.destroy = net_destroy,
	};
	schid = sim_vdev_attach(sim, dev, transport, &n->model, n, &n->vccw);
	if (schid < 0) {
		if (why)
			snprintf(why, SIM_WHY_LEN, "cannot attach the device");
		net_destroy(n);
	}
	return schid;
}

struct sim_net *sim_net_find(struct sim *sim, u32 schid)
{
	struct sim_vccw *d = sim_vccw_find(sim, schid);

	/* Ours: the device runs a model whose queue handler is this file's. */
	if (!d || sim_vccw_model(d)->queue_notify != net_notify)
		return NULL;
	return sim_vccw_ctx(d);
}

int sim_net_inject(struct sim_net *n, const void *frame, u32 len)
{
	if (!frame || len < FRAME_MIN || len > FRAME_MAX)
		return SIM_ERR;
	to_guest(n, frame, len);
	deliver(n);
	return 0;
}

void sim_net_set_link(struct sim_net *n, bool up)
{
	/* Only a change is signalled, as QEMU does. */
	if (n->link_up == up)
		return;
	n->link_up = up;
	sim_vccw_config_changed(n->vccw);
}

void sim_net_set_tap(struct sim_net *n, void (*fn)(void *ctx, const u8 *frame, u32 len), void *ctx)
{
	n->tap = fn;
	n->tap_ctx = ctx;
}

void sim_net_get_stats(const struct sim_net *n, struct sim_net_stats *out)
{
	*out = n->st;
}
