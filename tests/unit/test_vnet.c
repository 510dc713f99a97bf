/*
 * The virtio-net driver (devices/vnet.c), the ARP and DHCP helpers
 * (devices/inet.c) and the simulated virtio-net device with QEMU's user
 * network (sim/dev_net.c), through the host port.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "boot/host/host.h"
#include "ccw/port.h"
#include "ccw/vccw.h"
#include "devices/inet.h"
#include "devices/vnet.h"
#include "sim/vdev.h"
#include "tests/unit/flood.h"
#include "tests/unit/drvrig.h"
#include "tests/unit/unit.h"

#define RIG_MEM (8u << 20)
#define WAIT_US 1000000u

#define GUEST_IP INET_ADDR(10, 0, 2, 15)
#define GATEWAY_IP INET_ADDR(10, 0, 2, 2)
#define DNS_IP INET_ADDR(10, 0, 2, 3)
#define XID 0x12345678u

static const u8 qemu_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const u8 gateway_mac[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };
static const u8 dns_mac[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x03 };
static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* --- The test's own wire helpers (not devices/inet.c's) ------------------- */

static u32 rd16(const u8 *p)
{
	return (u32)p[0] << 8 | p[1];
}

static u32 rd32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void wr16(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

static void wr32(u8 *p, u32 v)
{
	wr16(p, v >> 16);
	wr16(p + 2, v);
}

/* RFC 1071, over a list of pieces. */
static u16 cksum(const u8 *a, u32 alen, const u8 *b, u32 blen)
{
	u64 s = 0;
	u32 i;

	for (i = 0; i < alen; i++)
		s += (i & 1) ? a[i] : (u32)a[i] << 8;
	for (i = 0; i < blen; i++)
		s += (i & 1) ? b[i] : (u32)b[i] << 8;
	while (s >> 16)
		s = (s & 0xFFFF) + (s >> 16);
	return (u16)~s;
}

/* Set the IPv4 header checksum and the UDP checksum of an Ethernet frame
 * carrying IPv4 (IHL 5) and UDP. */
static void fix_sums(u8 *f)
{
	u8 *ip = f + 14, *udp = ip + 20, pseudo[12];
	u32 ulen = rd16(udp + 4);

	wr16(ip + 10, 0);
	wr16(ip + 10, cksum(ip, 20, NULL, 0));
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = 17;
	wr16(pseudo + 10, ulen);
	wr16(udp + 6, 0);
	wr16(udp + 6, cksum(pseudo, 12, udp, ulen));
}

/* --- inet: frames against images written from the RFCs -------------------- */

/* RFC 826 "Packet format", on Ethernet II, padded to the 60-byte minimum. */
static const u8 arp_request_image[60] = {
	/* Ethernet: broadcast destination, sender, type 0x0806 (ARP) */
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x08, 0x06,
	/* ar$hrd 1 (Ethernet), ar$pro 0x0800 (IPv4), ar$hln 6, ar$pln 4, ar$op 1 (request) */
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
	/* ar$sha, ar$spa 10.0.2.15 */
	0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x0a, 0x00, 0x02, 0x0f,
	/* ar$tha unknown (zero), ar$tpa 10.0.2.2; the rest is padding */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x02, 0x02,
};

static void test_arp_request_image(void)
{
	u8 f[INET_FRAME_MAX];

	memset(f, 0xEE, sizeof(f));
	CU_ASSERT_EQUAL(inet_arp_request(f, qemu_mac, GUEST_IP, GATEWAY_IP), 60u);
	CU_ASSERT_EQUAL(memcmp(f, arp_request_image, 60), 0);
}

/*
 * A DHCPDISCOVER of 342 bytes: Ethernet 14, IPv4 20 (RFC 791 3.1), UDP 8
 * (RFC 768), BOOTP 300 (RFC 2131 figure 1, options from RFC 2132).
 * Unlisted bytes are zero.
 */
static const u8 discover_image[342] = {
	/* Ethernet: broadcast, the client, type 0x0800 */
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x08, 0x00,
	/* 14, IPv4: version 4 and IHL 5; TOS 0; total length 328; id 0;
	 * flags and fragment offset 0; TTL 64; protocol 17; the header
	 * checksum 0x79a6 (the words add up to 0x28657, folded 0x8659,
	 * complemented); source 0.0.0.0; destination 255.255.255.255 */
	0x45, 0x00, 0x01, 0x48, 0x00, 0x00, 0x00, 0x00, 0x40, 0x11, 0x79, 0xa6,
	0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff,
	/* 34, UDP: source port 68, destination port 67, length 308, and the
	 * checksum over the pseudo header (0.0.0.0, 255.255.255.255, 17, 308)
	 * and the datagram, worked out separately */
	0x00, 0x44, 0x00, 0x43, 0x01, 0x34, 0x96, 0x79,
	/* 42, BOOTP: op 1 BOOTREQUEST, htype 1, hlen 6, hops 0; xid; secs 0;
	 * flags 0x8000 (broadcast); ciaddr, yiaddr, siaddr, giaddr 0 */
	0x01, 0x01, 0x06, 0x00, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x80, 0x00,
	/* 70: chaddr, the first 6 of 16 bytes; sname and file stay zero */
	[70] = 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
	/* 278: the magic cookie 99.130.83.99 (RFC 2132, 2); option 53 message
	 * type 1 DHCPDISCOVER; option 61 client identifier, type 1 and the
	 * address; option 55 parameter request list: mask, router, DNS,
	 * lease time, server identifier; 255 end; pad (0) to the end */
	[278] = 99, 130, 83, 99, 53, 1, 1, 61, 7, 1, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
	55, 5, 1, 3, 6, 51, 54, 255,
};

static void test_dhcp_discover_image(void)
{
	u8 f[INET_FRAME_MAX];

	memset(f, 0xEE, sizeof(f));
	CU_ASSERT_EQUAL_FATAL(inet_dhcp_discover(f, qemu_mac, XID), 342u);
	for (unsigned i = 0; i < 342; i++)
		if (f[i] != discover_image[i]) {
			CU_FAIL("DHCPDISCOVER differs from the image");
			fprintf(stderr, "byte %u: %02x, want %02x\n", i, f[i], discover_image[i]);
			break;
		}
	/* The checksums hold for another address and xid too. */
	{
		static const u8 other[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };
		u32 len = inet_dhcp_discover(f, other, 0xCAFEF00Du);
		u8 copy[INET_FRAME_MAX];

		memcpy(copy, f, len);
		fix_sums(copy);
		CU_ASSERT_EQUAL(memcmp(copy, f, len), 0);
		CU_ASSERT_EQUAL(rd32(f + 42 + 4), 0xCAFEF00Du);
		CU_ASSERT_EQUAL(memcmp(f + 6, other, 6), 0);
		CU_ASSERT_EQUAL(memcmp(f + 70, other, 6), 0);
	}
}

/* An ARP reply: "10.0.2.2 is at 52:55:0a:00:02:02", to the client. */
static u32 arp_reply_frame(u8 *f, u16 op, u32 sender_ip)
{
	memset(f, 0, 60);
	memcpy(f, qemu_mac, 6);
	memcpy(f + 6, gateway_mac, 6);
	wr16(f + 12, 0x0806);
	wr16(f + 14, 1);
	wr16(f + 16, 0x0800);
	f[18] = 6;
	f[19] = 4;
	wr16(f + 20, op);
	memcpy(f + 22, gateway_mac, 6);
	wr32(f + 28, sender_ip);
	memcpy(f + 32, qemu_mac, 6);
	wr32(f + 38, GUEST_IP);
	return 60;
}

static void test_arp_reply_parser(void)
{
	u8 f[60], mac[6];

	arp_reply_frame(f, 2, GATEWAY_IP);
	memset(mac, 0, 6);
	CU_ASSERT_TRUE(inet_arp_reply(f, 60, GATEWAY_IP, mac));
	CU_ASSERT_EQUAL(memcmp(mac, gateway_mac, 6), 0);
	/* The 42 bytes that matter are enough; fewer never are. */
	CU_ASSERT_TRUE(inet_arp_reply(f, 42, GATEWAY_IP, mac));
	for (u32 len = 0; len < 42; len++) {
		u8 *t = malloc(len ? len : 1);

		memcpy(t, f, len);
		CU_ASSERT_FALSE(inet_arp_reply(t, len, GATEWAY_IP, mac));
		free(t);
	}
	CU_ASSERT_FALSE(inet_arp_reply(f, 60, DNS_IP, mac));
	arp_reply_frame(f, 1, GATEWAY_IP);
	CU_ASSERT_FALSE(inet_arp_reply(f, 60, GATEWAY_IP, mac));
	arp_reply_frame(f, 2, GATEWAY_IP);
	wr16(f + 12, 0x0800);
	CU_ASSERT_FALSE(inet_arp_reply(f, 60, GATEWAY_IP, mac));
	arp_reply_frame(f, 2, GATEWAY_IP);
	wr16(f + 16, 0x86dd);
	CU_ASSERT_FALSE(inet_arp_reply(f, 60, GATEWAY_IP, mac));
	arp_reply_frame(f, 2, GATEWAY_IP);
	f[18] = 8;
	CU_ASSERT_FALSE(inet_arp_reply(f, 60, GATEWAY_IP, mac));
}

/* What a DHCPOFFER built by offer_frame() gets wrong on purpose. */
struct offer_knobs {
	u8 op;
	u32 xid;
	const u8 *chaddr;
	u8 cookie0;
	int msg_type;           /* -1: no option 53 */
	bool server;            /* option 54 */
	bool end;               /* option 255 */
	bool overrun;           /* the last option's length runs past the datagram */
	u16 dport;
	u8 version_ihl;
};

static struct offer_knobs good_offer(void)
{
	return (struct offer_knobs){ 2, XID, qemu_mac, 99, 2, true, true, false, 68, 0x45 };
}

/* A DHCPOFFER of 10.0.2.15 as RFC 2131 4.3.1 has the server send it. */
static u32 offer_frame(u8 *f, const struct offer_knobs *k)
{
	u8 *ip = f + 14, *udp = ip + 20, *b = udp + 8, *o = b + 236;
	const u32 blen = 300;

	memset(f, 0, 14 + 20 + 8 + blen);
	memcpy(f, bcast, 6);
	memcpy(f + 6, gateway_mac, 6);
	wr16(f + 12, 0x0800);
	ip[0] = k->version_ihl;
	wr16(ip + 2, 20 + 8 + blen);
	ip[8] = 64;
	ip[9] = 17;
	wr32(ip + 12, GATEWAY_IP);
	wr32(ip + 16, 0xFFFFFFFFu);
	wr16(udp, 67);
	wr16(udp + 2, k->dport);
	wr16(udp + 4, 8 + blen);
	b[0] = k->op;
	b[1] = 1;
	b[2] = 6;
	wr32(b + 4, k->xid);
	wr32(b + 16, GUEST_IP);
	wr32(b + 20, GATEWAY_IP);
	memcpy(b + 28, k->chaddr, 6);
	o[0] = k->cookie0;
	o[1] = 130;
	o[2] = 83;
	o[3] = 99;
	o += 4;
	if (k->msg_type >= 0) {
		*o++ = 53, *o++ = 1, *o++ = (u8)k->msg_type;
	}
	if (k->server) {
		*o++ = 54, *o++ = 4;
		wr32(o, GATEWAY_IP), o += 4;
	}
	*o++ = 51, *o++ = 4;
	wr32(o, 86400), o += 4;
	*o++ = 1, *o++ = 4;
	wr32(o, INET_ADDR(255, 255, 255, 0)), o += 4;
	*o++ = 3, *o++ = 4;
	wr32(o, GATEWAY_IP), o += 4;
	/* Two DNS servers: the first one counts. */
	*o++ = 6, *o++ = 8;
	wr32(o, DNS_IP), o += 4;
	wr32(o, INET_ADDR(192, 0, 2, 53)), o += 4;
	if (k->overrun) {
		/* An option that claims more bytes than the datagram has. */
		u32 left = (u32)(b + blen - o);

		*o++ = 12;
		*o = (u8)(left - 2 + 5);
		memset(o + 1, 'x', left - 2);
	} else if (k->end) {
		*o = 255;
	} else {
		/* No end option: the vendor area is all option data. */
		u32 left = (u32)(b + blen - o);

		*o++ = 12;
		*o = (u8)(left - 2);
		memset(o + 1, 'x', left - 2);
	}
	fix_sums(f);
	return 14 + 20 + 8 + blen;
}

static void test_dhcp_offer_parser(void)
{
	static const u8 other_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x57 };
	u8 f[INET_FRAME_MAX];
	struct inet_dhcp_offer off;
	struct offer_knobs k = good_offer();
	u32 len = offer_frame(f, &k);

	memset(&off, 0, sizeof(off));
	CU_ASSERT_TRUE_FATAL(inet_dhcp_offer(f, len, qemu_mac, XID, &off));
	CU_ASSERT_EQUAL(off.yiaddr, GUEST_IP);
	CU_ASSERT_EQUAL(off.server, GATEWAY_IP);
	CU_ASSERT_EQUAL(off.router, GATEWAY_IP);
	CU_ASSERT_EQUAL(off.mask, INET_ADDR(255, 255, 255, 0));
	CU_ASSERT_EQUAL(off.dns, DNS_IP);
	CU_ASSERT_EQUAL(off.lease, 86400u);

	/* Ethernet padding after the datagram is fine. */
	memset(f + len, 0, 20);
	CU_ASSERT_TRUE(inet_dhcp_offer(f, len + 20, qemu_mac, XID, &off));

	/* Truncated at every length: rejected, and never read past (ASan). */
	for (u32 l = 0; l < len; l++) {
		u8 *t = malloc(l ? l : 1);

		memcpy(t, f, l);
		if (inet_dhcp_offer(t, l, qemu_mac, XID, &off)) {
			CU_FAIL("a truncated offer was accepted");
			fprintf(stderr, "accepted at length %u\n", l);
		}
		free(t);
	}

	/* Checksums. */
	len = offer_frame(f, &k);
	f[14 + 8] ^= 1; /* TTL: the IPv4 header checksum no longer holds */
	CU_ASSERT_FALSE(inet_dhcp_offer(f, len, qemu_mac, XID, &off));
	len = offer_frame(f, &k);
	f[len - 1] ^= 0x40; /* data: the UDP checksum no longer holds */
	CU_ASSERT_FALSE(inet_dhcp_offer(f, len, qemu_mac, XID, &off));
	wr16(f + 14 + 20 + 6, 0); /* no UDP checksum at all is allowed */
	CU_ASSERT_TRUE(inet_dhcp_offer(f, len, qemu_mac, XID, &off));

	/* The wrong transaction, client, direction or cookie. */
	CU_ASSERT_FALSE(inet_dhcp_offer(f, len, qemu_mac, XID + 1, &off));
	CU_ASSERT_FALSE(inet_dhcp_offer(f, len, other_mac, XID, &off));
	k = good_offer();
	k.op = 1;
	len = offer_frame(f, &k);
	CU_ASSERT_FALSE(inet_dhcp_offer(f, len, qemu_mac, XID, &off));
	k = good_offer();
	k.cookie0 = 98;
	len = offer_frame(f, &k);
	CU_ASSERT_FALSE(inet_dhcp_offer(f, len, qemu_mac, XID, &off));
	k = good_offer();
	k.dport = 67;
	len = offer_frame(f, &k);
	CU_ASSERT_FALSE(inet_dhcp_offer(f, len, qemu_mac, XID, &off));
	k = good_offer();
	k.version_ihl = 0x65;
	len = offer_frame(f, &k);
	CU_ASSERT_FALSE(inet_dhcp_offer(f, len, qemu_mac, XID, &off));

	/* An ACK, or no message type, is not an offer; an offer names its server. */
	k = good_offer();
	k.msg_type = 5;
	len = offer_frame(f, &k);
	CU_ASSERT_FALSE(inet_dhcp_offer(f, len, qemu_mac, XID, &off));
	k = good_offer();
	k.msg_type = -1;
	len = offer_frame(f, &k);
	CU_ASSERT_FALSE(inet_dhcp_offer(f, len, qemu_mac, XID, &off));
	k = good_offer();
	k.server = false;
	len = offer_frame(f, &k);
	CU_ASSERT_FALSE(inet_dhcp_offer(f, len, qemu_mac, XID, &off));

	/* Options that run past the datagram, or never end. */
	k = good_offer();
	k.overrun = true;
	len = offer_frame(f, &k);
	CU_ASSERT_FALSE(inet_dhcp_offer(f, len, qemu_mac, XID, &off));
	k = good_offer();
	k.end = false;
	len = offer_frame(f, &k);
	CU_ASSERT_FALSE(inet_dhcp_offer(f, len, qemu_mac, XID, &off));

	/* A bigger IHL moves the UDP header: still found. */
	{
		u8 g[INET_FRAME_MAX];

		k = good_offer();
		len = offer_frame(f, &k);
		memcpy(g, f, 34);
		g[14] = 0x46;
		wr16(g + 16, rd16(f + 16) + 4);
		memset(g + 34, 0, 4); /* an empty option word */
		memcpy(g + 38, f + 34, len - 34);
		wr16(g + 24, 0);
		wr16(g + 24, cksum(g + 14, 24, NULL, 0));
		CU_ASSERT_TRUE(inet_dhcp_offer(g, len + 4, qemu_mac, XID, &off));
	}
}

static void test_text(void)
{
	char buf[20];

	CU_ASSERT_STRING_EQUAL(inet_ip_str(GATEWAY_IP, buf, sizeof(buf)), "10.0.2.2");
	CU_ASSERT_STRING_EQUAL(inet_ip_str(0xFFFFFFFFu, buf, sizeof(buf)), "255.255.255.255");
	CU_ASSERT_STRING_EQUAL(inet_mac_str(gateway_mac, buf, sizeof(buf)), "52:55:0a:00:02:02");
	/* A short buffer is cut, and terminated. */
	CU_ASSERT_STRING_EQUAL(inet_ip_str(GATEWAY_IP, buf, 5), "10.0");
	CU_ASSERT_STRING_EQUAL(inet_mac_str(gateway_mac, buf, 3), "52");
}

/* --- The driver on the simulated device -------------------------------------- */

struct rig {
	struct sim *sim;
	struct css css;
	struct vccw *v;
	struct virtio_dev *dev;
	struct vnet *n;
	struct sim_net *sn;
	u32 schid;
};

static void default_opts(struct sim_net_opts *o)
{
	memset(o, 0, sizeof(*o));
	memcpy(o->mac, qemu_mac, 6);
	o->user_net = true;
}

/* The behaviour profile of the next rig_attach() (a test that changes it
 * puts it back). */
static enum sim_profile rig_profile = SIM_PROFILE_QEMU;

/* A machine with one virtio-net device (t and o NULL: QEMU's defaults and
 * the user network), bound to the port; the device is not brought up. */
static bool rig_attach(struct rig *r, const struct sim_vccw_config *t, const struct sim_net_opts *o)
{
	struct sim_dev_config dev;
	struct sim_net_opts def;
	char why[SIM_WHY_LEN] = "";

	memset(r, 0, sizeof(*r));
	r->sim = drvrig_machine(rig_profile, SIM_COMPLETE_SYNC, RIG_MEM, true);
	if (!r->sim)
		return false;
	if (!o) {
		default_opts(&def);
		o = &def;
	}
	dev = unit_dev(0x0001);
	if (!drvrig_attached(sim_vdev_net(r->sim, &dev, t, o, why), "sim_vdev_net", why, &r->schid))
		return false;
	r->sn = sim_net_find(r->sim, r->schid);
	if (!r->sn || !drvrig_bind(r->sim, &r->css))
		return false;
	r->v = drvrig_transport();
	r->n = port_dma_alloc(sizeof(*r->n), 8);
	r->dev = vccw_virtio(r->v);
	return r->v && r->n;
}

/* The transport's bring-up only (ACKNOWLEDGE | DRIVER). */
static int rig_transport(struct rig *r)
{
	return drvrig_vccw_init(r->v, &r->css, r->schid, VIRTIO_ID_NET);
}

static bool rig_init(struct rig *r, const struct sim_vccw_config *t, const struct sim_net_opts *o)
{
	int err;

	if (!rig_attach(r, t, o) || rig_transport(r))
		return false;
	err = vnet_init(r->n, r->dev);
	if (err)
		fprintf(stderr, "vnet_init: %s\n", r->n->why);
	return err == 0;
}

static void rig_fini(struct rig *r)
{
	drvrig_close(&r->sim);
}

static struct sim_net_stats net_stats(struct rig *r)
{
	struct sim_net_stats st;

	sim_net_get_stats(r->sn, &st);
	return st;
}

static int recv_wait(struct rig *r, u8 *buf, u32 size)
{
	return vnet_recv(r->n, buf, size, port_now_us() + WAIT_US);
}

/* A test frame to the guest: its address, a local source, an experimental
 * EtherType (IEEE 802 local 0x88b5), and a pattern from seed. */
static void test_frame(u8 *f, u32 len, const u8 *dst, u32 seed)
{
	static const u8 src[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	wr16(f + 12, 0x88b5);
	for (u32 i = 14; i < len; i++)
		f[i] = (u8)(seed * 31u + i * 7u + (i >> 8));
}

static void test_mac_from_config(void)
{
	static const u8 mac[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };
	struct sim_net_opts o;
	struct rig r;

	default_opts(&o);
	memcpy(o.mac, mac, 6);
	CU_ASSERT_FATAL(rig_init(&r, NULL, &o));
	CU_ASSERT_TRUE(r.n->mac_from_device);
	CU_ASSERT_EQUAL(memcmp(r.n->mac, mac, 6), 0);
	CU_ASSERT_TRUE(virtio_has(r.dev, VIRTIO_NET_F_MAC));
	CU_ASSERT_TRUE(virtio_has(r.dev, VIRTIO_NET_F_STATUS));
	/* Nothing else of the device's: no offloads, merging or control queue. */
	CU_ASSERT_EQUAL(r.dev->features & 0xFFFFFF,
			VIRTIO_BIT(VIRTIO_NET_F_MAC) | VIRTIO_BIT(VIRTIO_NET_F_STATUS));
	CU_ASSERT_EQUAL(r.n->hdr_len, 12u);
	CU_ASSERT_EQUAL(r.n->rx_posted, r.n->nrx);
	CU_ASSERT(r.n->nrx > 0 && r.n->ntx > 0);
	rig_fini(&r);
}

static bool unicast_local(const u8 *mac)
{
	return (mac[0] & 0x03) == 0x02;
}

static void test_mac_made_up(void)
{
	struct sim_net_opts o;
	struct sim_dev_config dev;
	struct vnet *n[2];
	struct css css;
	struct sim *sim = drvrig_machine(SIM_PROFILE_QEMU, SIM_COMPLETE_SYNC, RIG_MEM, true);
	long schid[2];

	CU_ASSERT_PTR_NOT_NULL_FATAL(sim);
	/* Two devices without F_MAC on one machine. */
	default_opts(&o);
	o.no_mac = true;
	dev = unit_dev(0);
	for (int i = 0; i < 2; i++) {
		dev.devno = (u16)(1 + i);
		schid[i] = sim_vdev_net(sim, &dev, NULL, &o, NULL);
		CU_ASSERT_FATAL(schid[i] >= 0);
	}
	CU_ASSERT_FATAL(drvrig_bind(sim, &css));
	for (int i = 0; i < 2; i++) {
		struct vccw *v = drvrig_transport();

		n[i] = port_dma_alloc(sizeof(*n[i]), 8);
		CU_ASSERT_EQUAL_FATAL(drvrig_vccw_init(v, &css, (u32)schid[i], VIRTIO_ID_NET), 0);
		CU_ASSERT_EQUAL_FATAL(vnet_init(n[i], vccw_virtio(v)), 0);
		CU_ASSERT_FALSE(virtio_has(vccw_virtio(v), VIRTIO_NET_F_MAC));
		CU_ASSERT_FALSE(n[i]->mac_from_device);
		CU_ASSERT_TRUE(unicast_local(n[i]->mac));
	}
	CU_ASSERT_NOT_EQUAL(memcmp(n[0]->mac, n[1]->mac, 6), 0);
	drvrig_close(&sim);

	/* A device that offers a group address is not believed either. */
	{
		struct rig r;

		default_opts(&o);
		o.mac[0] = 0x01;
		CU_ASSERT_FATAL(rig_init(&r, NULL, &o));
		CU_ASSERT_FALSE(r.n->mac_from_device);
		CU_ASSERT_TRUE(unicast_local(r.n->mac));
		rig_fini(&r);
	}
}

static void test_link(void)
{
	struct sim_net_opts o;
	struct rig r;

	CU_ASSERT_FATAL(rig_init(&r, NULL, NULL));
	CU_ASSERT_EQUAL(vnet_link_up(r.n), 1);
	r.dev->config_changed = false;
	sim_net_set_link(r.sn, false);
	/* The change is signalled, and the status reads down. */
	CU_ASSERT_EQUAL(r.dev->ops->wait(r.dev, port_now_us() + WAIT_US), 1);
	CU_ASSERT_TRUE(r.dev->config_changed);
	CU_ASSERT_EQUAL(vnet_link_up(r.n), 0);
	sim_net_set_link(r.sn, true);
	CU_ASSERT_EQUAL(vnet_link_up(r.n), 1);
	rig_fini(&r);

	default_opts(&o);
	o.link_down = true;
	CU_ASSERT_FATAL(rig_init(&r, NULL, &o));
	CU_ASSERT_EQUAL(vnet_link_up(r.n), 0);
	rig_fini(&r);
}

/* Send an ARP request for ip; the reply's hardware address, or false. */
static bool ask_arp(struct rig *r, u32 ip, u8 mac[6])
{
	u8 f[INET_FRAME_MAX];
	int got;

	if (vnet_send(r->n, f, inet_arp_request(f, r->n->mac, GUEST_IP, ip)))
		return false;
	while ((got = recv_wait(r, f, sizeof(f))) > 0)
		if (inet_arp_reply(f, (u32)got, ip, mac))
			return true;
	return false;
}

static void test_arp_gateway(void)
{
	struct rig r;
	u8 mac[6], f[INET_FRAME_MAX];

	CU_ASSERT_FATAL(rig_init(&r, NULL, NULL));
	CU_ASSERT_TRUE(ask_arp(&r, GATEWAY_IP, mac));
	CU_ASSERT_EQUAL(memcmp(mac, gateway_mac, 6), 0);
	CU_ASSERT_TRUE(ask_arp(&r, DNS_IP, mac));
	CU_ASSERT_EQUAL(memcmp(mac, dns_mac, 6), 0);
	CU_ASSERT_EQUAL(net_stats(&r).arp_replies, 2u);
	/* The reply goes to the asker, and tells it who asked. */
	vnet_send(r.n, f, inet_arp_request(f, r.n->mac, GUEST_IP, GATEWAY_IP));
	CU_ASSERT_EQUAL_FATAL(recv_wait(&r, f, sizeof(f)), 60);
	CU_ASSERT_EQUAL(memcmp(f, r.n->mac, 6), 0);
	CU_ASSERT_EQUAL(memcmp(f + 6, gateway_mac, 6), 0);
	CU_ASSERT_EQUAL(rd16(f + 20), 2u);
	CU_ASSERT_EQUAL(memcmp(f + 32, r.n->mac, 6), 0);
	CU_ASSERT_EQUAL(rd32(f + 38), GUEST_IP);
	/* Nobody else on the network answers. */
	CU_ASSERT_FALSE(ask_arp(&r, INET_ADDR(10, 0, 2, 99), mac));
	CU_ASSERT_EQUAL(net_stats(&r).arp_replies, 3u);
	rig_fini(&r);
}

/* Send a DHCP message, return the first DHCP reply's length (0: none). */
static int dhcp_exchange(struct rig *r, const u8 *msg, u32 len, u8 *reply)
{
	int got;

	if (vnet_send(r->n, msg, len))
		return -1;
	while ((got = recv_wait(r, reply, INET_FRAME_MAX)) > 0)
		if (got > 42 && rd16(reply + 12) == 0x0800 && rd16(reply + 36) == 68)
			return got;
	return got;
}

/* The value of DHCP option code in a reply (its first byte), or -1. */
static const u8 *dhcp_option(const u8 *f, u32 len, u8 code)
{
	const u8 *o = f + 42 + 240, *end = f + len;

	while (o + 1 < end && *o != 255) {
		if (*o == 0) {
			o++;
			continue;
		}
		if (*o == code)
			return o + 2;
		o += 2 + o[1];
	}
	return NULL;
}

/* The DISCOVER turned into a REQUEST for addr (RFC 2131, 4.3.2). */
static u32 dhcp_request(u8 *f, const u8 *mac, u32 xid, u32 addr)
{
	u32 len = inet_dhcp_discover(f, mac, xid);

	/* Option 53's value, then option 50 where the end option was. */
	f[42 + 240 + 2] = 3;
	f[42 + 259] = 50;
	f[42 + 260] = 4;
	wr32(f + 42 + 261, addr);
	f[42 + 265] = 255;
	fix_sums(f);
	return len;
}

static void test_dhcp(void)
{
	static const u8 other[6] = { 0x02, 0x12, 0x34, 0x56, 0x78, 0x9a };
	struct rig r;
	struct inet_dhcp_offer off;
	u8 msg[INET_FRAME_MAX], f[INET_FRAME_MAX];
	const u8 *opt;
	int got;

	CU_ASSERT_FATAL(rig_init(&r, NULL, NULL));
	got = dhcp_exchange(&r, msg, inet_dhcp_discover(msg, r.n->mac, XID), f);
	CU_ASSERT_FATAL(got > 0);
	memset(&off, 0, sizeof(off));
	CU_ASSERT_TRUE_FATAL(inet_dhcp_offer(f, (u32)got, r.n->mac, XID, &off));
	CU_ASSERT_EQUAL(off.yiaddr, GUEST_IP);
	CU_ASSERT_EQUAL(off.server, GATEWAY_IP);
	CU_ASSERT_EQUAL(off.router, GATEWAY_IP);
	CU_ASSERT_EQUAL(off.dns, DNS_IP);
	CU_ASSERT_EQUAL(off.mask, INET_ADDR(255, 255, 255, 0));
	CU_ASSERT_EQUAL(off.lease, 86400u);
	/* From the gateway to everyone, as the user network sends it. */
	CU_ASSERT_EQUAL(memcmp(f, bcast, 6), 0);
	CU_ASSERT_EQUAL(memcmp(f + 6, gateway_mac, 6), 0);
	CU_ASSERT_EQUAL(rd32(f + 14 + 12), GATEWAY_IP);
	CU_ASSERT_EQUAL(rd32(f + 14 + 16), 0xFFFFFFFFu);
	CU_ASSERT_EQUAL(rd16(f + 34), 67u);
	CU_ASSERT_EQUAL(rd32(f + 42 + 20), GATEWAY_IP); /* siaddr */
	CU_ASSERT_NOT_EQUAL(rd16(f + 34 + 6), 0u);      /* a UDP checksum */
	CU_ASSERT_EQUAL(net_stats(&r).dhcp_offers, 1u);

	/* The same client again: the same address. */
	got = dhcp_exchange(&r, msg, inet_dhcp_discover(msg, r.n->mac, XID + 1), f);
	CU_ASSERT_TRUE(got > 0 && inet_dhcp_offer(f, (u32)got, r.n->mac, XID + 1, &off));
	CU_ASSERT_EQUAL(off.yiaddr, GUEST_IP);
	/* Another client: the next address. */
	got = dhcp_exchange(&r, msg, inet_dhcp_discover(msg, other, XID), f);
	CU_ASSERT_TRUE(got > 0 && inet_dhcp_offer(f, (u32)got, other, XID, &off));
	CU_ASSERT_EQUAL(off.yiaddr, INET_ADDR(10, 0, 2, 16));

	/* REQUEST gets an ACK with the same options. */
	got = dhcp_exchange(&r, msg, dhcp_request(msg, r.n->mac, XID + 2, GUEST_IP), f);
	CU_ASSERT_FATAL(got > 0);
	opt = dhcp_option(f, (u32)got, 53);
	CU_ASSERT_TRUE(opt && *opt == 5);
	CU_ASSERT_EQUAL(rd32(f + 42 + 16), GUEST_IP);
	CU_ASSERT_EQUAL(rd32(f + 42 + 4), XID + 2);
	opt = dhcp_option(f, (u32)got, 51);
	CU_ASSERT_TRUE(opt && rd32(opt) == 86400u);
	CU_ASSERT_EQUAL(net_stats(&r).dhcp_acks, 1u);
	/* Another client's address: NAK. */
	got = dhcp_exchange(&r, msg, dhcp_request(msg, r.n->mac, XID + 3, INET_ADDR(10, 0, 2, 16)),
			    f);
	CU_ASSERT_FATAL(got > 0);
	opt = dhcp_option(f, (u32)got, 53);
	CU_ASSERT_TRUE(opt && *opt == 6);
	CU_ASSERT_EQUAL(net_stats(&r).dhcp_acks, 1u);
	rig_fini(&r);
}

/* What the user network must ignore: no frame comes back. */
static void test_unet_ignores(void)
{
	struct rig r;
	u8 f[INET_FRAME_MAX], g[INET_FRAME_MAX];
	u32 len;

	CU_ASSERT_FATAL(rig_init(&r, NULL, NULL));
	/* An ARP reply, and a request with a wrong protocol type. */
	vnet_send(r.n, f, arp_reply_frame(f, 2, GUEST_IP));
	len = inet_arp_request(f, r.n->mac, GUEST_IP, GATEWAY_IP);
	wr16(f + 16, 0x86dd);
	vnet_send(r.n, f, len);
	/* A DISCOVER with a bad IPv4 checksum, a bad UDP checksum, to another port. */
	len = inet_dhcp_discover(f, r.n->mac, XID);
	memcpy(g, f, len);
	g[14 + 10] ^= 1;
	vnet_send(r.n, g, len);
	memcpy(g, f, len);
	g[len - 1] ^= 1;
	vnet_send(r.n, g, len);
	memcpy(g, f, len);
	wr16(g + 36, 53);
	fix_sums(g);
	vnet_send(r.n, g, len);
	/* A DHCP message truncated inside its options. */
	memcpy(g, f, len);
	wr16(g + 16, 20 + 8 + 241);
	wr16(g + 38, 8 + 241);
	fix_sums(g);
	vnet_send(r.n, g, 14 + 20 + 8 + 241);
	CU_ASSERT_EQUAL(recv_wait(&r, f, sizeof(f)), 0);
	CU_ASSERT_EQUAL(net_stats(&r).tx_frames, 6u);
	CU_ASSERT_EQUAL(net_stats(&r).rx_frames, 0u);
	rig_fini(&r);
}

/* Inject count frames from size `first` up; receive and compare them in order. */
static void inject_and_check(struct rig *r, u32 first, u32 last, u32 step, u32 batch)
{
	u8 *f = malloc(INET_FRAME_MAX), *g = malloc(INET_FRAME_MAX);
	u32 size = first, seed = 0, bad = 0;

	while (size <= last) {
		u32 n = 0, s = size;

		for (; n < batch && s <= last; n++, s += step) {
			test_frame(f, s, r->n->mac, seed + n);
			CU_ASSERT_EQUAL(sim_net_inject(r->sn, f, s), 0);
		}
		for (u32 i = 0; i < n; i++, size += step, seed++) {
			int got = recv_wait(r, g, INET_FRAME_MAX);

			test_frame(f, size, r->n->mac, seed);
			if (got != (int)size || memcmp(f, g, size))
				bad++;
		}
	}
	CU_ASSERT_EQUAL(bad, 0u);
	free(f);
	free(g);
}

static void test_sizes_in_order(void)
{
	struct rig r;

	CU_ASSERT_FATAL(rig_init(&r, NULL, NULL));
	/* Every size, in batches that fill the posted buffers and the
	 * device's queue behind them. */
	inject_and_check(&r, VNET_FRAME_MIN, VNET_FRAME_MAX, 1, r.n->nrx + 40);
	CU_ASSERT_EQUAL(net_stats(&r).rx_dropped, 0u);
	CU_ASSERT_EQUAL(r.n->rx_frames, VNET_FRAME_MAX - VNET_FRAME_MIN + 1);
	CU_ASSERT_EQUAL(r.n->rx_errors, 0u);
	/* Out-of-range sizes are refused at injection. */
	CU_ASSERT_EQUAL(sim_net_inject(r.sn, r.n, 13), -1);
	CU_ASSERT_EQUAL(sim_net_inject(r.sn, r.n, 1515), -1);
	rig_fini(&r);
}

static void test_too_big_for_caller(void)
{
	struct rig r;
	u8 f[INET_FRAME_MAX], g[INET_FRAME_MAX];

	CU_ASSERT_FATAL(rig_init(&r, NULL, NULL));
	test_frame(f, 1000, r.n->mac, 1);
	sim_net_inject(r.sn, f, 1000);
	test_frame(f, 100, r.n->mac, 2);
	sim_net_inject(r.sn, f, 100);
	CU_ASSERT_EQUAL(vnet_recv(r.n, g, 999, port_now_us() + WAIT_US), -VERR_RANGE);
	CU_ASSERT_EQUAL(recv_wait(&r, g, sizeof(g)), 100);
	CU_ASSERT_EQUAL(memcmp(f, g, 100), 0);
	/* Exactly the caller's size is fine. */
	sim_net_inject(r.sn, f, 100);
	CU_ASSERT_EQUAL(vnet_recv(r.n, g, 100, port_now_us() + WAIT_US), 100);
	CU_ASSERT_EQUAL(r.n->rx_posted, r.n->nrx);
	rig_fini(&r);
}

static void test_buffers_stay_posted(void)
{
	struct rig r;
	u8 f[128], g[INET_FRAME_MAX];
	unsigned bad = 0;

	CU_ASSERT_FATAL(rig_init(&r, NULL, NULL));
	/* Many times the ring size: each frame finds a buffer at once. */
	for (u32 i = 0; i < 2000; i++) {
		test_frame(f, 64 + i % 64, r.n->mac, i);
		sim_net_inject(r.sn, f, 64 + i % 64);
		if (net_stats(&r).rx_frames != i + 1)
			bad++;
		if (recv_wait(&r, g, sizeof(g)) != (int)(64 + i % 64) || memcmp(f, g, 64 + i % 64))
			bad++;
		if (r.n->rx_posted != r.n->nrx)
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0u);
	CU_ASSERT_EQUAL(net_stats(&r).rx_dropped, 0u);
	rig_fini(&r);
}

struct tap_log {
	unsigned count;
	u32 len[64];
	u8 data[64][INET_FRAME_MAX];
};

static void tap_fn(void *ctx, const u8 *frame, u32 len)
{
	struct tap_log *t = ctx;

	if (t->count < 64) {
		t->len[t->count] = len;
		memcpy(t->data[t->count], frame, len);
	}
	t->count++;
}

static void test_tap_sees_sent(void)
{
	struct tap_log *t = calloc(1, sizeof(*t));
	struct rig r;
	u8 f[INET_FRAME_MAX];
	unsigned bad = 0;

	CU_ASSERT_FATAL(rig_init(&r, NULL, NULL));
	sim_net_set_tap(r.sn, tap_fn, t);
	for (u32 i = 0; i < 60; i++) {
		u32 len = i == 0 ? 14 : i == 1 ? 1514 : 14 + i * 23;

		test_frame(f, len, bcast, i);
		CU_ASSERT_EQUAL(vnet_send(r.n, f, len), 0);
	}
	CU_ASSERT_EQUAL_FATAL(t->count, 60u);
	for (u32 i = 0; i < 60; i++) {
		u32 len = i == 0 ? 14 : i == 1 ? 1514 : 14 + i * 23;

		test_frame(f, len, bcast, i);
		if (t->len[i] != len || memcmp(t->data[i], f, len))
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0u);
	CU_ASSERT_EQUAL(net_stats(&r).tx_frames, 60u);
	CU_ASSERT_EQUAL(r.n->tx_frames, 60u);
	/* Bad lengths never reach the device. */
	CU_ASSERT_EQUAL(vnet_send(r.n, f, 13), -VERR_INVAL);
	CU_ASSERT_EQUAL(vnet_send(r.n, f, 1515), -VERR_INVAL);
	/* Many more frames than transmit buffers: they come back. */
	for (u32 i = 0; i < 1000; i++)
		if (vnet_send(r.n, f, 60))
			bad++;
	CU_ASSERT_EQUAL(bad, 0u);
	CU_ASSERT_EQUAL(t->count, 1060u);
	/* With the link down nothing reaches the network. */
	sim_net_set_link(r.sn, false);
	CU_ASSERT_EQUAL(vnet_send(r.n, f, 60), 0);
	CU_ASSERT_EQUAL(t->count, 1060u);
	CU_ASSERT_EQUAL(sim_net_inject(r.sn, f, 60), 0);
	CU_ASSERT_EQUAL(net_stats(&r).rx_dropped, 1u);
	rig_fini(&r);
	free(t);
}

static void test_pcap(void)
{
	char path[256];
	int fd;
	struct sim_net_opts o;
	struct rig r;
	u8 f[INET_FRAME_MAX], mac[6], *file;
	u8 frames[4][INET_FRAME_MAX];
	u32 lens[4];
	long size;
	FILE *fp;
	u32 off, n = 0;
	time_t now = time(NULL);

	unit_temp_template(path, sizeof(path), "vnet-pcap");
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	default_opts(&o);
	o.pcap = path;
	CU_ASSERT_FATAL(rig_init(&r, NULL, &o));
	/* Out: an ARP request; in: its reply; in: a frame; out: a frame. */
	lens[0] = inet_arp_request(frames[0], r.n->mac, GUEST_IP, GATEWAY_IP);
	CU_ASSERT_EQUAL(vnet_send(r.n, frames[0], lens[0]), 0);
	CU_ASSERT_EQUAL_FATAL(recv_wait(&r, frames[1], INET_FRAME_MAX), 60);
	lens[1] = 60;
	CU_ASSERT_TRUE(inet_arp_reply(frames[1], 60, GATEWAY_IP, mac));
	lens[2] = 1514;
	test_frame(frames[2], lens[2], r.n->mac, 7);
	sim_net_inject(r.sn, frames[2], lens[2]);
	CU_ASSERT_EQUAL(recv_wait(&r, f, sizeof(f)), 1514);
	lens[3] = 14;
	test_frame(frames[3], lens[3], bcast, 8);
	CU_ASSERT_EQUAL(vnet_send(r.n, frames[3], lens[3]), 0);
	rig_fini(&r);

	fp = fopen(path, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	rewind(fp);
	file = malloc((size_t)size + 1);
	CU_ASSERT_EQUAL_FATAL(fread(file, 1, (size_t)size, fp), (size_t)size);
	fclose(fp);
	unlink(path);

	/* The global header, in the writer's byte order (this host's). */
	CU_ASSERT_FATAL(size >= 24);
	{
		u32 magic, snaplen, link;
		u16 major, minor;

		memcpy(&magic, file, 4);
		memcpy(&major, file + 4, 2);
		memcpy(&minor, file + 6, 2);
		memcpy(&snaplen, file + 16, 4);
		memcpy(&link, file + 20, 4);
		CU_ASSERT_EQUAL(magic, 0xa1b2c3d4u);
		CU_ASSERT_EQUAL(major, 2);
		CU_ASSERT_EQUAL(minor, 4);
		CU_ASSERT_EQUAL(snaplen, 65535u);
		CU_ASSERT_EQUAL(link, 1u);
	}
	for (off = 24; off + 16 <= (u32)size; n++) {
		u32 rec[4];

		memcpy(rec, file + off, 16);
		off += 16;
		CU_ASSERT_FATAL(off + rec[2] <= (u32)size);
		CU_ASSERT(rec[0] + 5 >= (u32)now && rec[0] <= (u32)now + 60);
		CU_ASSERT(rec[1] < 1000000u);
		CU_ASSERT_EQUAL(rec[2], rec[3]);
		if (n < 4) {
			CU_ASSERT_EQUAL(rec[2], lens[n]);
			CU_ASSERT(rec[2] == lens[n] && !memcmp(file + off, frames[n], lens[n]));
		}
		off += rec[2];
	}
	CU_ASSERT_EQUAL(off, (u32)size);
	CU_ASSERT_EQUAL(n, 4u);
	free(file);
}

static void test_pcap_error(void)
{
	struct sim_config cfg = {
		.mem_size = RIG_MEM,
		.profile = SIM_PROFILE_QEMU,
		.completion = SIM_COMPLETE_SYNC,
		.mss = true,
	};
	char dir[256];
	struct sim_net_opts o;
	struct sim_dev_config dev;
	char why[SIM_WHY_LEN];
	struct sim *sim = sim_create(&cfg);

	CU_ASSERT_PTR_NOT_NULL_FATAL(sim);
	unit_temp_template(dir, sizeof(dir), "vnet-dir");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	default_opts(&o);
	o.pcap = dir; /* a directory cannot be written as a file */
	dev = unit_dev(0);
	why[0] = '\0';
	CU_ASSERT_EQUAL(sim_vdev_net(sim, &dev, NULL, &o, why), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, dir));
	rmdir(dir);
	sim_destroy(sim);
}

/* Revisions x split or packed x indirect x event index: each cell moves frames both ways. */
static void test_transport_matrix(void)
{
	unsigned cells = 0;

	for (int rev = 0; rev <= 2; rev++)
		for (unsigned f = 0; f < 8; f++) {
			struct sim_vccw_config t;
			struct rig r;
			u8 mac[6];
			bool modern = rev >= 1;

			sim_vdev_default_transport(&t);
			t.max_revision = rev;
			t.ring_packed = f & 1;
			t.indirect_desc = f & 2;
			t.event_idx = f & 4;
			t.in_order = true; /* offered, and declined */
			CU_ASSERT_FATAL(rig_init(&r, &t, NULL));
			CU_ASSERT_EQUAL(virtio_modern(r.dev), modern);
			CU_ASSERT_EQUAL(r.n->hdr_len, modern ? 12u : 10u);
			CU_ASSERT_EQUAL(r.n->rx->be, !modern);
			CU_ASSERT_EQUAL(r.n->rx->packed, modern && t.ring_packed);
			CU_ASSERT_FALSE(virtio_has(r.dev, VIRTIO_F_IN_ORDER));
			CU_ASSERT_EQUAL(vnet_link_up(r.n), 1);
			CU_ASSERT_TRUE(ask_arp(&r, GATEWAY_IP, mac));
			CU_ASSERT_EQUAL(memcmp(mac, gateway_mac, 6), 0);
			/* More than the ring holds, so the rings wrap. */
			inject_and_check(&r, 14, 14 + 299 * 5, 5, r.n->nrx + 20);
			CU_ASSERT_EQUAL(net_stats(&r).tx_errors, 0u);
			sim_net_set_link(r.sn, false);
			CU_ASSERT_EQUAL(vnet_link_up(r.n), 0);
			rig_fini(&r);
			cells++;
		}
	CU_ASSERT_EQUAL(cells, 24u);
}

static void test_recv_deadline(void)
{
	struct rig r;
	u8 f[INET_FRAME_MAX];
	u64 t0, deadline;

	CU_ASSERT_FATAL(rig_init(&r, NULL, NULL));
	t0 = port_now_us();
	deadline = t0 + 5000000u;
	CU_ASSERT_EQUAL(vnet_recv(r.n, f, sizeof(f), deadline), 0);
	CU_ASSERT(host_clock_us() >= deadline);
	CU_ASSERT(host_clock_us() < deadline + 100000u);
	/* A deadline already passed: at once. */
	CU_ASSERT_EQUAL(vnet_recv(r.n, f, sizeof(f), 0), 0);
	rig_fini(&r);
}

static void test_device_gone(void)
{
	struct rig r;
	u8 f[INET_FRAME_MAX];
	u64 t0;

	CU_ASSERT_FATAL(rig_init(&r, NULL, NULL));
	sim_set_present(r.sim, r.schid, false);
	t0 = port_now_us();
	CU_ASSERT(vnet_send(r.n, f, inet_arp_request(f, r.n->mac, GUEST_IP, GATEWAY_IP)) < 0);
	CU_ASSERT(r.n->why[0] != '\0');
	CU_ASSERT(vnet_recv(r.n, f, sizeof(f), port_now_us() + 10 * WAIT_US) < 0);
	CU_ASSERT(vnet_link_up(r.n) < 0);
	/* Noticed, not waited out. */
	CU_ASSERT(host_clock_us() - t0 < WAIT_US);
	rig_fini(&r);

	/* Gone before the driver's bring-up: it fails and says why. */
	CU_ASSERT_FATAL(rig_attach(&r, NULL, NULL));
	CU_ASSERT_EQUAL_FATAL(rig_transport(&r), 0);
	sim_set_present(r.sim, r.schid, false);
	CU_ASSERT(vnet_init(r.n, r.dev) < 0);
	CU_ASSERT(r.n->why[0] != '\0');
	rig_fini(&r);
}

/* A device that stops taking transmit buffers: vnet_send gives up in time. */
static void test_send_bounded(void)
{
	struct rig r;
	u8 f[64];
	unsigned sent = 0;
	int err = 0;
	u64 t0;

	CU_ASSERT_FATAL(rig_init(&r, NULL, NULL));
	/* Without DRIVER_OK the device ignores notifications. */
	CU_ASSERT_EQUAL(r.dev->ops->set_status(r.dev, r.dev->status & ~VIRTIO_STATUS_DRIVER_OK), 0);
	test_frame(f, 64, bcast, 0);
	t0 = port_now_us();
	while (sent <= r.n->ntx && !(err = vnet_send(r.n, f, 64)))
		sent++;
	CU_ASSERT_EQUAL(sent, r.n->ntx);
	CU_ASSERT_EQUAL(err, -VERR_TIMEOUT);
	CU_ASSERT(host_clock_us() - t0 >= VNET_TIMEOUT_US);
	CU_ASSERT(host_clock_us() - t0 < 2 * VNET_TIMEOUT_US);
	rig_fini(&r);
}

/* The receive queue's used ring, written as a misbehaving device would. */
static void hostile_used(struct rig *r, u32 id, u32 len)
{
	struct sim_vccw *d = sim_vccw_find(r->sim, r->schid);
	unsigned num;
	u64 desc, drv, dev;
	u8 *used;
	u16 idx;

	sim_vccw_get_queue(d, 0, &num, &desc, &drv, &dev);
	used = sim_mem_ptr(r->sim, dev, 4 + 8 * num);
	/* Little-endian: a VERSION_1 split ring. */
	idx = (u16)(used[2] | used[3] << 8);
	for (int i = 0; i < 4; i++) {
		used[4 + 8 * (idx % num) + i] = (u8)(id >> (8 * i));
		used[8 + 8 * (idx % num) + i] = (u8)(len >> (8 * i));
	}
	idx++;
	used[2] = (u8)idx;
	used[3] = (u8)(idx >> 8);
}

/* The head of the first buffer the driver posted (avail ring entry 0). */
static u16 first_head(struct rig *r)
{
	struct sim_vccw *d = sim_vccw_find(r->sim, r->schid);
	unsigned num;
	u64 desc, drv, dev;
	u8 *avail;

	sim_vccw_get_queue(d, 0, &num, &desc, &drv, &dev);
	avail = sim_mem_ptr(r->sim, drv, 4 + 2 * num);
	return (u16)(avail[4] | avail[5] << 8);
}

static void test_hostile_lengths(void)
{
	struct sim_vccw_config t;
	struct rig r;
	u8 f[INET_FRAME_MAX];

	sim_vdev_default_transport(&t);
	t.event_idx = false;
	t.indirect_desc = false;
	/* Too short for a header and an Ethernet header: counted, reposted. */
	CU_ASSERT_FATAL(rig_init(&r, &t, NULL));
	hostile_used(&r, first_head(&r), 12 + 13);
	CU_ASSERT_EQUAL(vnet_recv(r.n, f, sizeof(f), port_now_us() + WAIT_US), 0);
	CU_ASSERT_EQUAL(r.n->rx_errors, 1u);
	CU_ASSERT_EQUAL(r.n->rx_frames, 0u);
	CU_ASSERT_EQUAL(r.n->rx_posted, r.n->nrx);
	rig_fini(&r);

	/* Longer than the buffer: the ring refuses it; an error, no read past it. */
	CU_ASSERT_FATAL(rig_init(&r, &t, NULL));
	hostile_used(&r, first_head(&r), 12 + 1514 + 1);
	CU_ASSERT_EQUAL(vnet_recv(r.n, f, sizeof(f), port_now_us() + WAIT_US), -VERR_BROKEN);
	CU_ASSERT_EQUAL(r.n->rx_frames, 0u);
	CU_ASSERT(r.n->why[0] != '\0');
	rig_fini(&r);

	/* An id that is no buffer of the driver's. */
	CU_ASSERT_FATAL(rig_init(&r, &t, NULL));
	hostile_used(&r, 255, 100);
	CU_ASSERT_EQUAL(vnet_recv(r.n, f, sizeof(f), port_now_us() + WAIT_US), -VERR_BROKEN);
	rig_fini(&r);
}

/* --- The model on its own, driven through the raw virtqueues ------------------- */

struct raw {
	struct rig r;
	struct vq *rx, *tx, *ctrl;
	u8 *mem;   /* DMA scratch */
};

static void raw_up(struct raw *w, const struct sim_vccw_config *t, u64 features)
{
	struct virtio_dev *dev;

	CU_ASSERT_FATAL(rig_attach(&w->r, t, NULL));
	CU_ASSERT_EQUAL_FATAL(rig_transport(&w->r), 0);
	dev = w->r.dev;
	CU_ASSERT_EQUAL_FATAL(dev->ops->negotiate(dev, features | VIRTIO_BIT(VIRTIO_F_EVENT_IDX)), 0);
	CU_ASSERT_EQUAL_FATAL(dev->ops->setup_vq(dev, 0, 0, &w->rx), 0);
	CU_ASSERT_EQUAL_FATAL(dev->ops->setup_vq(dev, 1, 0, &w->tx), 0);
	if (virtio_has(dev, VIRTIO_NET_F_CTRL_VQ))
		CU_ASSERT_EQUAL_FATAL(dev->ops->setup_vq(dev, 2, 0, &w->ctrl), 0);
	CU_ASSERT_EQUAL_FATAL(dev->ops->setup_irq(dev), 0);
	CU_ASSERT_EQUAL_FATAL(dev->ops->set_status(dev, dev->status | VIRTIO_STATUS_DRIVER_OK), 0);
	w->mem = port_dma_alloc(256u << 10, 16);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w->mem);
}

/* Post count receive buffers of size bytes from mem + off; returns their address. */
static u8 *raw_post(struct raw *w, unsigned count, u32 size, u32 off)
{
	for (unsigned i = 0; i < count; i++) {
		struct vq_buf b = { port_dma_addr(w->mem + off + i * size), size };

		CU_ASSERT_EQUAL(vq_add(w->rx, &b, 0, 1, w->mem + off + i * size), 0);
	}
	CU_ASSERT_EQUAL(vq_kick(w->rx), 0);
	return w->mem + off;
}

static void test_model_queue_bound(void)
{
	struct raw w;
	u8 f[200];
	unsigned bad = 0;
	void *tok;
	u32 len;

	raw_up(&w, NULL, 0);
	/* No buffer posted: 64 frames wait, the rest are dropped. */
	for (u32 i = 0; i < 70; i++) {
		test_frame(f, 100, qemu_mac, i);
		CU_ASSERT_EQUAL(sim_net_inject(w.r.sn, f, 100), 0);
	}
	CU_ASSERT_EQUAL(net_stats(&w.r).rx_dropped, 6u);
	CU_ASSERT_EQUAL(net_stats(&w.r).rx_frames, 0u);
	/* Buffers arrive: the 64 oldest, in order. */
	raw_post(&w, 80, 12 + 1514, 0);
	CU_ASSERT_EQUAL(net_stats(&w.r).rx_frames, 64u);
	for (u32 i = 0; i < 64; i++) {
		if (vq_get_used(w.rx, &tok, &len) != 1 || len != 112) {
			bad++;
			continue;
		}
		test_frame(f, 100, qemu_mac, i);
		if (memcmp((u8 *)tok + 12, f, 100))
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0u);
	CU_ASSERT_EQUAL(vq_get_used(w.rx, &tok, &len), 0);
	rig_fini(&w.r);
}

static void test_model_small_buffer(void)
{
	struct raw w;
	u8 f[100];
	void *tok;
	u32 len = 99;

	raw_up(&w, NULL, 0);
	raw_post(&w, 1, 12 + 50, 0);
	test_frame(f, 100, qemu_mac, 0);
	sim_net_inject(w.r.sn, f, 100);
	CU_ASSERT_EQUAL(vq_get_used(w.rx, &tok, &len), 1);
	CU_ASSERT_EQUAL(len, 0u);
	CU_ASSERT_EQUAL(net_stats(&w.r).rx_dropped, 1u);
	CU_ASSERT_EQUAL(net_stats(&w.r).rx_frames, 0u);
	rig_fini(&w.r);
}

/*
 * The header the device writes, in each mode (virtio 1.3, 5.1.6.4): zero
 * but num_buffers, which is 1 with MRG_RXBUF; without it the spec wants 1
 * too (the arch profile), where QEMU 7.2 leaves 0 (the qemu profile).
 */
static void test_model_rx_header(enum sim_profile p)
{
	for (int rev = 0; rev <= 2; rev += 2)
		for (int mrg = 0; mrg < 2; mrg++) {
			struct sim_vccw_config t;
			struct raw w;
			u8 f[60], *buf;
			unsigned hdr = rev || mrg ? 12 : 10;
			void *tok;
			u32 len;

			sim_vdev_default_transport(&t);
			t.max_revision = rev;
			rig_profile = p;
			raw_up(&w, &t, mrg ? VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF) : 0);
			rig_profile = SIM_PROFILE_QEMU;
			CU_ASSERT_EQUAL(virtio_has(w.r.dev, VIRTIO_NET_F_MRG_RXBUF), mrg);
			memset(w.mem, 0xAA, 2048);
			buf = raw_post(&w, 1, 2048, 0);
			test_frame(f, 60, qemu_mac, 3);
			sim_net_inject(w.r.sn, f, 60);
			CU_ASSERT_EQUAL_FATAL(vq_get_used(w.rx, &tok, &len), 1);
			CU_ASSERT_EQUAL(len, hdr + 60);
			for (unsigned i = 0; i < 10; i++)
				CU_ASSERT_EQUAL(buf[i], 0);
			if (hdr == 12) {
				/* num_buffers, in the device's byte order. */
				u16 nb = rev ? (u16)(buf[10] | buf[11] << 8) : (u16)(buf[10] << 8 | buf[11]);

				CU_ASSERT_EQUAL(nb, mrg || p == SIM_PROFILE_ARCH ? 1 : 0);
			}
			CU_ASSERT_EQUAL(memcmp(buf + hdr, f, 60), 0);
			CU_ASSERT_EQUAL(buf[hdr + 60], 0xAA);
			rig_fini(&w.r);
		}
}
BOTH_PROFILES(test_model_rx_header)

static void test_model_tx_chains(void)
{
	struct tap_log *t = calloc(1, sizeof(*t));
	struct raw w;
	u8 *m;
	u8 f[100];
	void *tok;
	u32 len;

	raw_up(&w, NULL, 0);
	sim_net_set_tap(w.r.sn, tap_fn, t);
	m = w.mem;
	test_frame(f, 100, bcast, 5);
	memset(m, 0, 12);
	memcpy(m + 12, f, 100);
	{
		/* Header and frame split over three buffers. */
		struct vq_buf b[3] = { { port_dma_addr(m), 12 },
				       { port_dma_addr(m + 12), 6 },
				       { port_dma_addr(m + 18), 94 } };
		/* A writable buffer in a transmit chain. */
		struct vq_buf bw[2] = { { port_dma_addr(m), 112 }, { port_dma_addr(m + 1024), 16 } };
		/* A frame shorter than an Ethernet header, and one too long. */
		struct vq_buf shrt = { port_dma_addr(m), 12 + 13 };
		struct vq_buf lng = { port_dma_addr(m), 12 + 1515 };

		CU_ASSERT_EQUAL(vq_add(w.tx, b, 3, 0, m), 0);
		CU_ASSERT_EQUAL(vq_add(w.tx, bw, 1, 1, m + 1), 0);
		CU_ASSERT_EQUAL(vq_add(w.tx, &shrt, 1, 0, m + 2), 0);
		CU_ASSERT_EQUAL(vq_add(w.tx, &lng, 1, 0, m + 3), 0);
		CU_ASSERT_EQUAL(vq_kick(w.tx), 0);
	}
	for (int i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(vq_get_used(w.tx, &tok, &len), 1);
		CU_ASSERT_EQUAL(len, 0u);
	}
	CU_ASSERT_EQUAL(net_stats(&w.r).tx_errors, 3u);
	CU_ASSERT_EQUAL(net_stats(&w.r).tx_frames, 1u);
	CU_ASSERT_EQUAL_FATAL(t->count, 1u);
	CU_ASSERT_EQUAL(t->len[0], 100u);
	CU_ASSERT_EQUAL(memcmp(t->data[0], f, 100), 0);
	rig_fini(&w.r);
	free(t);
}

static void test_model_ctrl_ack(void)
{
	struct raw w;
	void *tok;
	u32 len;

	raw_up(&w, NULL, VIRTIO_BIT(VIRTIO_NET_F_CTRL_VQ));
	CU_ASSERT_PTR_NOT_NULL_FATAL(w.ctrl);
	/* VIRTIO_NET_CTRL_RX, PROMISC, on; the ack byte preset to ERR. */
	w.mem[0] = 0;
	w.mem[1] = 0;
	w.mem[2] = 1;
	w.mem[3] = 1;
	{
		struct vq_buf b[2] = { { port_dma_addr(w.mem), 3 }, { port_dma_addr(w.mem + 3), 1 } };

		CU_ASSERT_EQUAL(vq_add(w.ctrl, b, 1, 1, w.mem), 0);
		CU_ASSERT_EQUAL(vq_kick(w.ctrl), 0);
	}
	CU_ASSERT_EQUAL(vq_get_used(w.ctrl, &tok, &len), 1);
	CU_ASSERT_EQUAL(len, 1u);
	CU_ASSERT_EQUAL(w.mem[3], 0);
	rig_fini(&w.r);
}

/* The configuration space in the device's byte order (virtio 1.3, 5.1.4). */
static void test_model_config(void)
{
	for (int rev = 0; rev <= 2; rev += 2) {
		struct sim_vccw_config t;
		struct rig r;
		u8 c[10];
		u16 v;

		sim_vdev_default_transport(&t);
		t.max_revision = rev;
		CU_ASSERT_FATAL(rig_attach(&r, &t, NULL));
		CU_ASSERT_EQUAL_FATAL(rig_transport(&r), 0);
		CU_ASSERT_EQUAL_FATAL(r.dev->ops->negotiate(r.dev, 0), 0);
		CU_ASSERT_EQUAL(r.dev->ops->read_config(r.dev, 0, c, 8), 0);
		CU_ASSERT_EQUAL(memcmp(c, qemu_mac, 6), 0);
		v = rev ? (u16)(c[6] | c[7] << 8) : (u16)(c[6] << 8 | c[7]);
		CU_ASSERT_EQUAL(v, 1);
		/* QEMU's space ends after status without MQ: 8 bytes. */
		CU_ASSERT_EQUAL(vccw_config_size(r.v), 8);
		CU_ASSERT_NOT_EQUAL(r.dev->ops->read_config(r.dev, 0, c, 10), 0);
		/* QEMU's identity: the feature word and queue sizes. */
		CU_ASSERT_EQUAL(r.dev->offered & 0xFFFFFF, 0xBF8024u);
		CU_ASSERT_EQUAL(vccw_queue_max(r.v, 0), 256);
		CU_ASSERT_EQUAL(vccw_queue_max(r.v, 1), 256);
		CU_ASSERT_EQUAL(vccw_queue_max(r.v, 2), 64);
		CU_ASSERT_EQUAL(vccw_queue_max(r.v, 3), 0);
		rig_fini(&r);
	}
}

static void test_model_find(void)
{
	struct sim_config cfg = {
		.mem_size = RIG_MEM,
		.profile = SIM_PROFILE_QEMU,
		.completion = SIM_COMPLETE_SYNC,
		.mss = true,
	};
	struct sim *sim = sim_create(&cfg);
	struct sim_dev_config dev;
	long net, rng;

	CU_ASSERT_PTR_NOT_NULL_FATAL(sim);
	dev = unit_dev(1);
	rng = sim_vdev_rng(sim, &dev, NULL, NULL);
	dev.devno = 2;
	net = sim_vdev_net(sim, &dev, NULL, NULL, NULL);
	CU_ASSERT_FATAL(rng >= 0 && net >= 0);
	CU_ASSERT_PTR_NOT_NULL(sim_net_find(sim, (u32)net));
	CU_ASSERT_PTR_NULL(sim_net_find(sim, (u32)rng));
	CU_ASSERT_PTR_NULL(sim_net_find(sim, (u32)net + 5));
	sim_destroy(sim);
}

/* A device that answers every receive buffer with a runt (5 bytes, less
 * than the header): vnet_recv() gives up with -VERR_PROTO, it does not
 * spin on reposted buffers. */
static void test_runt_flood(void)
{
	static struct flood f;
	struct vccw *v;
	struct vnet *n;
	u8 frame[VNET_FRAME_MAX];
	u64 t0;
	int rc;

	memset(&f, 0, sizeof(f));
	f.qmax[0] = f.qmax[1] = 256;
	f.q = 0;
	f.len = 5;
	CU_ASSERT_FATAL(flood_up(&f, VIRTIO_ID_NET, 2));
	v = port_dma_alloc(sizeof(*v), 8);
	n = port_dma_alloc(sizeof(*n), 8);
	CU_ASSERT_FATAL(v && n);
	memset(n, 0, sizeof(*n));
	CU_ASSERT_EQUAL_FATAL(vccw_init(v, &f.css, f.schid, VIRTIO_ID_NET, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(vnet_init(n, vccw_virtio(v)), 0);
	t0 = port_now_us();
	rc = vnet_recv(n, frame, sizeof(frame), t0 + 100000);
	CU_ASSERT_EQUAL(rc, -VERR_PROTO);
	CU_ASSERT(n->rx_errors >= VNET_RX_DROP_MAX);
	CU_ASSERT(port_now_us() - t0 < 100000);
	CU_ASSERT(f.pushes >= VNET_RX_DROP_MAX);
	flood_down(&f);
}

/* Calls before a bring-up, or after a failed one, fail cleanly. */
static void test_not_brought_up(void)
{
	static struct flood f;
	struct vccw *v;
	struct vnet *n;
	u8 frame[64] = { 0 };

	memset(&f, 0, sizeof(f));
	f.qmax[0] = f.qmax[1] = 256;
	f.q = 0;
	/* A console's id: vnet_init() refuses it before anything else. */
	CU_ASSERT_FATAL(flood_up(&f, VIRTIO_ID_CONSOLE, 2));
	v = port_dma_alloc(sizeof(*v), 8);
	n = port_dma_alloc(sizeof(*n), 8);
	CU_ASSERT_FATAL(v && n);
	memset(n, 0, sizeof(*n));
	CU_ASSERT_EQUAL(vnet_send(n, frame, sizeof(frame)), -VERR_NODEV);
	CU_ASSERT_EQUAL_FATAL(vccw_init(v, &f.css, f.schid, VIRTIO_ID_CONSOLE, NULL), 0);
	CU_ASSERT_EQUAL(vnet_init(n, vccw_virtio(v)), -VERR_NOTSUP);
	CU_ASSERT_EQUAL(vnet_send(n, frame, sizeof(frame)), -VERR_NODEV);
	CU_ASSERT_EQUAL(vnet_recv(n, frame, sizeof(frame), port_now_us() + 1000), -VERR_NODEV);
	CU_ASSERT_EQUAL(vnet_link_up(n), -VERR_NODEV);
	CU_ASSERT(strstr(n->why, "not brought up") != NULL);
	flood_down(&f);
}

/* QEMU's -netdev user addresses: net=, host=, dns=, dhcpstart= with
 * libslirp's defaults, class masks and refusals (as QEMU 7.2 words them). */
static void test_unet_parse(void)
{
	static const struct {
		const char *net, *host, *dns, *dhcp;
		bool restricted;
		u32 want_net, want_mask, want_host, want_dns, want_dhcp;
		const char *why;
	} cases[] = {
		{ NULL, NULL, NULL, NULL, false, INET_ADDR(10, 0, 2, 0), INET_ADDR(255, 255, 255, 0),
		  INET_ADDR(10, 0, 2, 2), INET_ADDR(10, 0, 2, 3), INET_ADDR(10, 0, 2, 15), NULL },
		{ "192.168.76.0/24", NULL, NULL, NULL, false, INET_ADDR(192, 168, 76, 0),
		  INET_ADDR(255, 255, 255, 0), INET_ADDR(192, 168, 76, 2), INET_ADDR(192, 168, 76, 3),
		  INET_ADDR(192, 168, 76, 15), NULL },
		{ "172.20.5.0", NULL, NULL, NULL, false, INET_ADDR(172, 16, 0, 0),
		  INET_ADDR(255, 240, 0, 0), INET_ADDR(172, 16, 2, 2), INET_ADDR(172, 16, 2, 3),
		  INET_ADDR(172, 16, 2, 15), NULL },
		{ "10.9.0.0/255.255.0.0", "10.9.0.1", "10.9.0.53", "10.9.0.100", false,
		  INET_ADDR(10, 9, 0, 0), INET_ADDR(255, 255, 0, 0), INET_ADDR(10, 9, 0, 1),
		  INET_ADDR(10, 9, 0, 53), INET_ADDR(10, 9, 0, 100), NULL },
		{ "300.1.1.1", NULL, NULL, NULL, false, 0, 0, 0, 0, 0, "Failed to parse netmask" },
		{ "10.0.0.0/33", NULL, NULL, NULL, false, 0, 0, 0, 0, 0, "must be in range 4-32" },
		{ "10.0.0.0/abc", NULL, NULL, NULL, false, 0, 0, 0, 0, 0, "(trailing chars)" },
		{ NULL, "192.168.1.1", NULL, NULL, false, 0, 0, 0, 0, 0, "Host doesn't belong" },
		{ NULL, NULL, "10.0.2.2", NULL, false, 0, 0, 0, 0, 0, "DNS must be different" },
		{ NULL, NULL, "8.8.8.8", NULL, true, 0, 0, 0, 0, 0, "DNS doesn't belong" },
		{ NULL, NULL, NULL, "10.0.3.1", false, 0, 0, 0, 0, 0, "DHCP doesn't belong" },
		{ NULL, NULL, NULL, "10.0.2.3", false, 0, 0, 0, 0, 0, "DHCP must be different" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct sim_unet u;
		char why[SIM_WHY_LEN] = "";
		int rc = sim_unet_parse(&u, cases[i].net, cases[i].host, cases[i].dns, cases[i].dhcp,
					cases[i].restricted, why);

		if (cases[i].why) {
			CU_ASSERT_EQUAL(rc, -1);
			CU_ASSERT(strstr(why, cases[i].why) != NULL);
			continue;
		}
		CU_ASSERT_EQUAL_FATAL(rc, 0);
		CU_ASSERT_EQUAL(u.net, cases[i].want_net);
		CU_ASSERT_EQUAL(u.mask, cases[i].want_mask);
		CU_ASSERT_EQUAL(u.host, cases[i].want_host);
		CU_ASSERT_EQUAL(u.dns, cases[i].want_dns);
		CU_ASSERT_EQUAL(u.dhcp_start, cases[i].want_dhcp);
	}
}

/* Another subnet, restricted: the offer comes from its host, names no
 * router and no DNS server, carries the boot file; ARP answers the host. */
static void test_unet_subnet(void)
{
	struct sim_net_opts o;
	struct sim_unet u;
	struct inet_dhcp_offer off;
	struct rig r;
	u8 msg[INET_FRAME_MAX], f[INET_FRAME_MAX], mac[6];
	int got;

	default_opts(&o);
	CU_ASSERT_EQUAL_FATAL(sim_unet_parse(&u, "192.168.76.0/24", NULL, NULL, NULL, true, NULL), 0);
	snprintf(u.bootfile, sizeof(u.bootfile), "s390x/kernel");
	o.unet = &u;
	CU_ASSERT_FATAL(rig_init(&r, NULL, &o));
	got = dhcp_exchange(&r, msg, inet_dhcp_discover(msg, r.n->mac, XID), f);
	CU_ASSERT_FATAL(got > 0);
	memset(&off, 0, sizeof(off));
	CU_ASSERT_TRUE_FATAL(inet_dhcp_offer(f, (u32)got, r.n->mac, XID, &off));
	CU_ASSERT_EQUAL(off.yiaddr, INET_ADDR(192, 168, 76, 15));
	CU_ASSERT_EQUAL(off.server, INET_ADDR(192, 168, 76, 2));
	CU_ASSERT_EQUAL(off.router, 0);
	CU_ASSERT_EQUAL(off.dns, 0);
	CU_ASSERT_EQUAL(memcmp(f + 42 + 108, "s390x/kernel", 13), 0);
	/* ARP: the host answers, with 52:55 and its address; 10.0.2.2 is nobody. */
	CU_ASSERT_EQUAL(vnet_send(r.n, msg, inet_arp_request(msg, r.n->mac, off.yiaddr,
							      INET_ADDR(192, 168, 76, 2))), 0);
	got = recv_wait(&r, f, INET_FRAME_MAX);
	CU_ASSERT_FATAL(got > 0);
	CU_ASSERT_TRUE(inet_arp_reply(f, (u32)got, INET_ADDR(192, 168, 76, 2), mac));
	CU_ASSERT_EQUAL(memcmp(mac, "\x52\x55\xc0\xa8\x4c\x02", 6), 0);
	CU_ASSERT_EQUAL(vnet_send(r.n, msg, inet_arp_request(msg, r.n->mac, off.yiaddr,
							      INET_ADDR(10, 0, 2, 2))), 0);
	CU_ASSERT(recv_wait(&r, f, INET_FRAME_MAX) <= 0);
	rig_fini(&r);
}

static CU_TestInfo vnet_tests[] = {
	{ "-netdev user's addresses as QEMU reads them, and its refusals", test_unet_parse },
	{ "another subnet, restricted: the offer and ARP as QEMU answers", test_unet_subnet },
	{ "inet: the ARP request matches RFC 826 byte for byte", test_arp_request_image },
	{ "inet: the DHCPDISCOVER matches RFC 2131/2132 byte for byte", test_dhcp_discover_image },
	{ "inet: ARP replies are accepted only whole, for the address, op 2", test_arp_reply_parser },
	{ "inet: offers are rejected when truncated, mis-summed or not for us", test_dhcp_offer_parser },
	{ "inet: addresses print in dotted and colon form", test_text },
	{ "the MAC address comes from the configuration", test_mac_from_config },
	{ "without F_MAC (or a group address) the driver makes a local one up", test_mac_made_up },
	{ "link status follows sim_net_set_link and is signalled", test_link },
	{ "ARP for the gateway is answered with 52:55:0a:00:02:02", test_arp_gateway },
	{ "DHCP: DISCOVER gets an offer of 10.0.2.15, REQUEST an ACK", test_dhcp },
	{ "the user network ignores what is not ARP or DHCP for it", test_unet_ignores },
	{ "injected frames of 14 to 1514 bytes arrive intact and in order", test_sizes_in_order },
	{ "a frame too big for the caller gives -VERR_RANGE; the next arrives", test_too_big_for_caller },
	{ "receive buffers stay posted across many times the ring size", test_buffers_stay_posted },
	{ "the tap sees exactly the frames sent", test_tap_sees_sent },
	{ "the pcap file holds a valid header and one record per frame", test_pcap },
	{ "a pcap file that cannot be opened fails the attach with a reason", test_pcap_error },
	{ "revisions 0-2, split and packed, indirect, event index all work", test_transport_matrix },
	{ "vnet_recv with nothing pending returns 0 at the deadline", test_recv_deadline },
	{ "a device that goes away gives errors, never a hang", test_device_gone },
	{ "a device that answers with runts only: -VERR_PROTO in bounds", test_runt_flood },
	{ "calls before or after a failed bring-up give -VERR_NODEV", test_not_brought_up },
	{ "vnet_send gives up in time when buffers never come back", test_send_bounded },
	{ "hostile used lengths and ids are counted or break the queue", test_hostile_lengths },
	{ "model: 64 frames wait for buffers, the rest are dropped", test_model_queue_bound },
	{ "model: a receive buffer too small drops the frame", test_model_small_buffer },
	BOTH("model: the receive header is zeroed, num_buffers as the profile says", test_model_rx_header),
	{ "model: bad transmit chains count tx_errors and reach nobody", test_model_tx_chains },
	{ "model: control-queue commands are acknowledged", test_model_ctrl_ack },
	{ "model: configuration and identity as QEMU 7.2's", test_model_config },
	{ "model: sim_net_find finds only virtio-net models", test_model_find },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo vnet_suite = { "vnet", NULL, NULL, NULL, NULL, vnet_tests };
