/* ARP, DHCP and UDP frames: built byte by byte, parsed with every read bounds-checked. */
#include "devices/inet.h"

#include "ring/fmt.h" /* fmt_snprintf */

/* Ethernet II (IEEE 802.3 clause 3.2, type field): dst, src, type. */
#define ETH_HLEN 14u
#define ETH_MIN 60u /* the minimum frame without the frame check sequence */

/* RFC 826: the Ethernet/IPv4 ARP packet is 28 bytes. */
#define ARP_LEN 28u
#define ARP_HTYPE_ETHERNET 1u
#define ARP_OP_REQUEST 1u
#define ARP_OP_REPLY 2u

/* RFC 791 */
#define IP_HLEN 20u
#define IP_PROTO_UDP 17u
#define IP_TTL 64u
#define IP_FLAG_MF 0x2000u
#define IP_FRAG_OFF 0x1FFFu

/* RFC 768 */
#define UDP_HLEN 8u
#define UDP_PORT_BOOTPS 67u
#define UDP_PORT_BOOTPC 68u

/* RFC 2131 figure 1: the fixed part is 236 bytes, then the options,
 * which start with the magic cookie (RFC 2132, 2). */
#define BOOTP_FIXED 236u
#define BOOTP_OPTIONS (BOOTP_FIXED + 4u)
#define BOOTP_MIN 300u   /* RFC 951's 64-byte vendor area: what every server accepts */
#define BOOTP_OP_REQUEST 1u
#define BOOTP_OP_REPLY 2u
#define BOOTP_FLAG_BROADCAST 0x8000u
#define BOOTP_OFF_OP 0u
#define BOOTP_OFF_HTYPE 1u
#define BOOTP_OFF_HLEN 2u
#define BOOTP_OFF_XID 4u
#define BOOTP_OFF_FLAGS 10u
#define BOOTP_OFF_YIADDR 16u
#define BOOTP_OFF_CHADDR 28u

/* RFC 2132 option codes. */
#define DHCP_OPT_PAD 0u
#define DHCP_OPT_MASK 1u
#define DHCP_OPT_ROUTER 3u
#define DHCP_OPT_DNS 6u
#define DHCP_OPT_REQUESTED_IP 50u
#define DHCP_OPT_LEASE 51u
#define DHCP_OPT_MSG_TYPE 53u
#define DHCP_OPT_SERVER_ID 54u
#define DHCP_OPT_PARAMS 55u
#define DHCP_OPT_CLIENT_ID 61u
#define DHCP_OPT_END 255u
#define DHCPDISCOVER 1u
#define DHCPOFFER 2u
#define DHCPREQUEST 3u
#define DHCPACK 5u
#define BOOTP_OFF_SIADDR 20u
#define BOOTP_OFF_FILE 108u
#define BOOTP_FILE_LEN 128u

static const u8 dhcp_cookie[4] = { 99, 130, 83, 99 };

/* --- Byte access: network order, whatever the CPU's ---------------------- */

/* RFC 1071: the one's-complement sum of 16-bit words, an odd byte padded
 * with zero, continued from sum. */
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

/* RFC 768: the UDP checksum covers a pseudo header (source, destination,
 * zero, protocol, UDP length), the UDP header and the data. */
static u16 udp_csum(const u8 *ip, const u8 *udp, u32 udp_len)
{
	u32 sum = csum_add(0, ip + 12, 8);

	sum += IP_PROTO_UDP + udp_len;
	return csum_fold(csum_add(sum, udp, udp_len));
}

static void eth_header(u8 *f, const u8 *dst, const u8 *src, u16 type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	put_be16(f + 12, type);
}

static const u8 eth_broadcast[6] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };

/* --- ARP (RFC 826) ----------------------------------------------------------- */

u32 inet_arp_request(u8 frame[INET_FRAME_MAX], const u8 mac[6], u32 src_ip, u32 target_ip)
{
	u8 *a = frame + ETH_HLEN;

	memset(frame, 0, ETH_MIN);
	eth_header(frame, eth_broadcast, mac, INET_ETH_ARP);
	put_be16(a + 0, ARP_HTYPE_ETHERNET); /* ar$hrd */
	put_be16(a + 2, INET_ETH_IPV4);      /* ar$pro */
	a[4] = 6;                         /* ar$hln */
	a[5] = 4;                         /* ar$pln */
	put_be16(a + 6, ARP_OP_REQUEST);     /* ar$op */
	memcpy(a + 8, mac, 6);            /* ar$sha */
	put_be32(a + 14, src_ip);            /* ar$spa */
	/* ar$tha stays zero: it is what the request asks for. */
	put_be32(a + 24, target_ip);         /* ar$tpa */
	return ETH_MIN;
}

bool inet_arp_reply(const u8 *frame, u32 len, u32 ip, u8 mac[6])
{
	const u8 *a = frame + ETH_HLEN;

	if (len < ETH_HLEN + ARP_LEN || get_be16(frame + 12) != INET_ETH_ARP)
		return false;
	if (get_be16(a) != ARP_HTYPE_ETHERNET || get_be16(a + 2) != INET_ETH_IPV4 || a[4] != 6 ||
	    a[5] != 4 || get_be16(a + 6) != ARP_OP_REPLY || get_be32(a + 14) != ip)
		return false;
	memcpy(mac, a + 8, 6);
	return true;
}

u32 inet_arp_answer(u8 reply[INET_FRAME_MAX], const u8 *frame, u32 len, const u8 mac[6], u32 ip)
{
	const u8 *a = frame + ETH_HLEN;
	u8 *r = reply + ETH_HLEN;

	if (!ip || len < ETH_HLEN + ARP_LEN || get_be16(frame + 12) != INET_ETH_ARP ||
	    get_be16(a) != ARP_HTYPE_ETHERNET || get_be16(a + 2) != INET_ETH_IPV4 || a[4] != 6 ||
	    a[5] != 4 || get_be16(a + 6) != ARP_OP_REQUEST || get_be32(a + 24) != ip)
		return 0;
	memset(reply, 0, ETH_MIN);
	eth_header(reply, a + 8, mac, INET_ETH_ARP);
	memcpy(r, a, 6);                  /* hrd, pro, hln, pln */
	put_be16(r + 6, ARP_OP_REPLY);
	memcpy(r + 8, mac, 6);
	put_be32(r + 14, ip);
	memcpy(r + 18, a + 8, 10);        /* the asker's hardware and protocol address */
	return ETH_MIN;
}

/* --- DHCP (RFC 2131, 2132) over UDP (RFC 768) and IPv4 (RFC 791) ---------- */

/* An IPv4 header (no options, no fragmentation, identification 0) for a
 * datagram of ip_len bytes, its checksum set. */
static void ip_header(u8 *ip, u32 ip_len, u32 src, u32 dst)
{
	ip[0] = 0x45; /* version 4, IHL 5 words */
	put_be16(ip + 2, (u16)ip_len);
	ip[8] = IP_TTL;
	ip[9] = IP_PROTO_UDP;
	put_be32(ip + 12, src);
	put_be32(ip + 16, dst);
	put_be16(ip + 10, 0);
	put_be16(ip + 10, csum_fold(csum_add(0, ip, IP_HLEN)));
}

/* The UDP header and its checksum, the data in place after it. */
static void udp_header(u8 *ip, u16 sport, u16 dport, u32 udp_len)
{
	u8 *udp = ip + IP_HLEN;
	u16 csum;

	put_be16(udp + 0, sport);
	put_be16(udp + 2, dport);
	put_be16(udp + 4, (u16)udp_len);
	put_be16(udp + 6, 0);
	/* RFC 768: a sum that comes out 0 is sent as all ones, since 0
	 * means "no checksum". */
	csum = udp_csum(ip, udp, udp_len);
	put_be16(udp + 6, csum ? csum : 0xFFFF);
}

/* A DHCP message of the type from mac, broadcast, with the requested
 * address and server (REQUEST, RFC 2131 4.3.2; 0: not sent). */
static u32 dhcp_message(u8 frame[INET_FRAME_MAX], const u8 mac[6], u32 xid, unsigned type,
			u32 requested, u32 server)
{
	const u32 udp_len = UDP_HLEN + BOOTP_MIN;
	const u32 ip_len = IP_HLEN + udp_len;
	u8 *ip = frame + ETH_HLEN;
	u8 *udp = ip + IP_HLEN;
	u8 *b = udp + UDP_HLEN;
	u8 *o = b + BOOTP_FIXED;

	memset(frame, 0, ETH_HLEN + ip_len);
	eth_header(frame, eth_broadcast, mac, INET_ETH_IPV4);

	b[BOOTP_OFF_OP] = BOOTP_OP_REQUEST;
	b[BOOTP_OFF_HTYPE] = ARP_HTYPE_ETHERNET;
	b[BOOTP_OFF_HLEN] = 6;
	put_be32(b + BOOTP_OFF_XID, xid);
	/* Without an address the client cannot take a unicast reply
	 * (RFC 2131, 4.1): ask for broadcast. */
	put_be16(b + BOOTP_OFF_FLAGS, BOOTP_FLAG_BROADCAST);
	memcpy(b + BOOTP_OFF_CHADDR, mac, 6);

	memcpy(o, dhcp_cookie, 4);
	o += 4;
	*o++ = DHCP_OPT_MSG_TYPE;
	*o++ = 1;
	*o++ = (u8)type;
	/* RFC 2132, 9.14: type 1 (Ethernet) and the hardware address. */
	*o++ = DHCP_OPT_CLIENT_ID;
	*o++ = 7;
	*o++ = ARP_HTYPE_ETHERNET;
	memcpy(o, mac, 6);
	o += 6;
	if (requested) {
		*o++ = DHCP_OPT_REQUESTED_IP;
		*o++ = 4;
		put_be32(o, requested);
		o += 4;
	}
	if (server) {
		*o++ = DHCP_OPT_SERVER_ID;
		*o++ = 4;
		put_be32(o, server);
		o += 4;
	}
	*o++ = DHCP_OPT_PARAMS;
	*o++ = 5;
	*o++ = DHCP_OPT_MASK;
	*o++ = DHCP_OPT_ROUTER;
	*o++ = DHCP_OPT_DNS;
	*o++ = DHCP_OPT_LEASE;
	*o++ = DHCP_OPT_SERVER_ID;
	*o = DHCP_OPT_END;
	/* The rest of the vendor area is pad (0), already zero. */

	/* The client has no address yet: 0.0.0.0 to the limited broadcast
	 * address (RFC 2131, 4.1). */
	ip_header(ip, ip_len, 0, 0xFFFFFFFFu);
	udp_header(ip, UDP_PORT_BOOTPC, UDP_PORT_BOOTPS, udp_len);
	return ETH_HLEN + ip_len;
}

u32 inet_dhcp_discover(u8 frame[INET_FRAME_MAX], const u8 mac[6], u32 xid)
{
	return dhcp_message(frame, mac, xid, DHCPDISCOVER, 0, 0);
}

u32 inet_dhcp_request(u8 frame[INET_FRAME_MAX], const u8 mac[6], u32 xid, u32 requested,
		      u32 server)
{
	return dhcp_message(frame, mac, xid, DHCPREQUEST, requested, server);
}

u32 inet_udp(u8 frame[INET_FRAME_MAX], const u8 src_mac[6], const u8 dst_mac[6], u32 src_ip,
	     u32 dst_ip, u16 sport, u16 dport, const void *data, u32 len)
{
	u8 *ip = frame + ETH_HLEN;
	u32 ip_len = IP_HLEN + UDP_HLEN + len;

	if (len > INET_UDP_MAX)
		return 0;
	memset(frame, 0, ETH_MIN);
	eth_header(frame, dst_mac, src_mac, INET_ETH_IPV4);
	memcpy(ip + IP_HLEN + UDP_HLEN, data, len);
	memset(ip, 0, IP_HLEN);
	ip_header(ip, ip_len, src_ip, dst_ip);
	udp_header(ip, sport, dport, UDP_HLEN + len);
	return MAX(ETH_HLEN + ip_len, ETH_MIN);
}

/* The UDP datagram in an IPv4 frame, headers and checksums checked: its
 * header and length (the header's own); NULL when the frame holds none. */
static const u8 *udp_of(const u8 *frame, u32 len, const u8 **ipp, u32 *udp_len)
{
	const u8 *ip, *udp;
	u32 ihl, ip_len;

	if (len < ETH_HLEN + IP_HLEN || get_be16(frame + 12) != INET_ETH_IPV4)
		return NULL;
	ip = frame + ETH_HLEN;
	ihl = (ip[0] & 0x0Fu) * 4u;
	ip_len = get_be16(ip + 2);
	/* The frame may carry padding after the datagram, never less than it. */
	if ((ip[0] >> 4) != 4 || ihl < IP_HLEN || ip_len < ihl || ip_len > len - ETH_HLEN)
		return NULL;
	if (csum_fold(csum_add(0, ip, ihl)) != 0)
		return NULL;
	/* A fragment is not a whole datagram. */
	if (ip[9] != IP_PROTO_UDP || (get_be16(ip + 6) & (IP_FLAG_MF | IP_FRAG_OFF)))
		return NULL;
	if (ip_len - ihl < UDP_HLEN)
		return NULL;
	udp = ip + ihl;
	*udp_len = get_be16(udp + 4);
	if (*udp_len < UDP_HLEN || *udp_len > ip_len - ihl)
		return NULL;
	/* RFC 768: checksum 0 means the sender computed none. */
	if (get_be16(udp + 6) != 0 && udp_csum(ip, udp, *udp_len) != 0)
		return NULL;
	*ipp = ip;
	return udp;
}

bool inet_udp_in(const u8 *frame, u32 len, u32 dst_ip, u16 dst_port, struct inet_udp_rx *out)
{
	const u8 *ip, *udp;
	u32 udp_len;

	udp = udp_of(frame, len, &ip, &udp_len);
	if (!udp || get_be32(ip + 16) != dst_ip || get_be16(udp + 2) != dst_port)
		return false;
	out->src_ip = get_be32(ip + 12);
	out->src_port = get_be16(udp);
	out->data = udp + UDP_HLEN;
	out->len = udp_len - UDP_HLEN;
	return true;
}

/* The options of a DHCP message in [o, end): what the offer needs. */
static bool dhcp_options(const u8 *o, const u8 *end, struct inet_dhcp_offer *out,
			 unsigned *msg_type, bool *have_server)
{
	while (o < end) {
		unsigned code = *o++, len;

		if (code == DHCP_OPT_PAD)
			continue;
		if (code == DHCP_OPT_END)
			return true;
		if (o >= end)
			return false;
		len = *o++;
		if (len > (unsigned)(end - o))
			return false;
		switch (code) {
		case DHCP_OPT_MSG_TYPE:
			if (len != 1)
				return false;
			*msg_type = o[0];
			break;
		case DHCP_OPT_SERVER_ID:
			if (len != 4)
				return false;
			out->server = get_be32(o);
			*have_server = true;
			break;
		case DHCP_OPT_MASK:
			if (len != 4)
				return false;
			out->mask = get_be32(o);
			break;
		case DHCP_OPT_LEASE:
			if (len != 4)
				return false;
			out->lease = get_be32(o);
			break;
		case DHCP_OPT_ROUTER:
		case DHCP_OPT_DNS:
			/* Lists of addresses, the preferred first (RFC 2132, 3.5, 3.8). */
			if (len < 4 || len % 4)
				return false;
			if (code == DHCP_OPT_ROUTER)
				out->router = get_be32(o);
			else
				out->dns = get_be32(o);
			break;
		default:
			break;
		}
		o += len;
	}
	/* RFC 2132, 3.2: the options end with the end option. */
	return false;
}

/* A DHCP reply of type want to mac for xid. */
static bool dhcp_reply(const u8 *frame, u32 len, const u8 mac[6], u32 xid, unsigned want,
		       struct inet_dhcp_offer *out)
{
	struct inet_dhcp_offer offer;
	const u8 *ip, *udp, *b;
	u32 udp_len;
	unsigned msg_type = 0;
	bool have_server = false;

	udp = udp_of(frame, len, &ip, &udp_len);
	if (!udp || get_be16(udp + 2) != UDP_PORT_BOOTPC || udp_len - UDP_HLEN < BOOTP_OPTIONS)
		return false;
	b = udp + UDP_HLEN;
	if (b[BOOTP_OFF_OP] != BOOTP_OP_REPLY || b[BOOTP_OFF_HTYPE] != ARP_HTYPE_ETHERNET ||
	    b[BOOTP_OFF_HLEN] != 6 || get_be32(b + BOOTP_OFF_XID) != xid ||
	    memcmp(b + BOOTP_OFF_CHADDR, mac, 6) != 0 || memcmp(b + BOOTP_FIXED, dhcp_cookie, 4) != 0)
		return false;
	memset(&offer, 0, sizeof(offer));
	offer.yiaddr = get_be32(b + BOOTP_OFF_YIADDR);
	offer.siaddr = get_be32(b + BOOTP_OFF_SIADDR);
	/* RFC 2131, 2: the boot file name, NUL-terminated when shorter than
	 * the field; one that fills it is cut to keep the NUL. */
	memcpy(offer.file, b + BOOTP_OFF_FILE, BOOTP_FILE_LEN - 1);
	offer.file[BOOTP_FILE_LEN - 1] = '\0';
	if (!dhcp_options(b + BOOTP_OPTIONS, udp + udp_len, &offer, &msg_type, &have_server))
		return false;
	/* RFC 2131, table 3: an offer and an ack name their server. */
	if (msg_type != want || !have_server)
		return false;
	*out = offer;
	return true;
}

bool inet_dhcp_offer(const u8 *frame, u32 len, const u8 mac[6], u32 xid,
		     struct inet_dhcp_offer *out)
{
	return dhcp_reply(frame, len, mac, xid, DHCPOFFER, out);
}

bool inet_dhcp_ack(const u8 *frame, u32 len, const u8 mac[6], u32 xid, struct inet_dhcp_offer *out)
{
	return dhcp_reply(frame, len, mac, xid, DHCPACK, out);
}

/* --- Text ---------------------------------------------------------------------- */

char *inet_ip_str(u32 ip, char *buf, size_t size)
{
	fmt_snprintf(buf, size, "%u.%u.%u.%u", (unsigned)(ip >> 24), (unsigned)(ip >> 16) & 0xFFu,
		     (unsigned)(ip >> 8) & 0xFFu, (unsigned)ip & 0xFFu);
	return buf;
}

char *inet_mac_str(const u8 mac[6], char *buf, size_t size)
{
	fmt_snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
		     mac[4], mac[5]);
	return buf;
}
