/*
 * The little of IPv4 the tour and ccwboot speak over virtio-net: an ARP
 * request and its reply (RFC 826), DHCP's DISCOVER, OFFER, REQUEST and ACK
 * (RFC 2131, options RFC 2132), and UDP datagrams (RFC 768) over IPv4
 * (RFC 791) without fragments. Frames are Ethernet II without the frame
 * check sequence; addresses are host-order u32.
 */
#ifndef DEVICES_INET_H
#define DEVICES_INET_H

#include "ring/base.h"

#define INET_ADDR(a, b, c, d) (((u32)(a) << 24) | ((u32)(b) << 16) | ((u32)(c) << 8) | (u32)(d))

#define INET_ETH_IPV4 0x0800
#define INET_ETH_ARP 0x0806
#define INET_FRAME_MAX 1514u
/* UDP data in one unfragmented frame: 1500 - 20 (IPv4) - 8 (UDP). */
#define INET_UDP_MAX 1472u

/* An ARP request "who has target? tell src" from mac, broadcast. Returns
 * the frame's length (60: padded to the Ethernet minimum). */
u32 inet_arp_request(u8 frame[INET_FRAME_MAX], const u8 mac[6], u32 src_ip, u32 target_ip);

/* Whether frame is an ARP reply for ip; its hardware address into mac. */
bool inet_arp_reply(const u8 *frame, u32 len, u32 ip, u8 mac[6]);

/* When frame is an ARP request for ip, the reply from mac into reply:
 * its length; else 0. */
u32 inet_arp_answer(u8 reply[INET_FRAME_MAX], const u8 *frame, u32 len, const u8 mac[6], u32 ip);

/* A DHCPDISCOVER from mac with transaction id xid, broadcast. Returns the
 * frame's length. */
u32 inet_dhcp_discover(u8 frame[INET_FRAME_MAX], const u8 mac[6], u32 xid);

struct inet_dhcp_offer {
	u32 yiaddr;          /* the address offered */
	u32 server;          /* option 54, server identifier */
	u32 router;          /* option 3 (0: none) */
	u32 mask;            /* option 1 (0: none) */
	u32 dns;             /* option 6, first address (0: none) */
	u32 lease;           /* option 51, seconds (0: none) */
	u32 siaddr;          /* the next server (BOOTP siaddr; 0: none) */
	char file[128];      /* the boot file name (BOOTP file; "" none) */
};

/* Whether frame is a DHCPOFFER to mac for xid, with valid IPv4 and UDP
 * headers and checksums; the offer into *out. */
bool inet_dhcp_offer(const u8 *frame, u32 len, const u8 mac[6], u32 xid,
		     struct inet_dhcp_offer *out);

/* The DHCPACK to mac for xid, as inet_dhcp_offer() reads an offer. */
bool inet_dhcp_ack(const u8 *frame, u32 len, const u8 mac[6], u32 xid, struct inet_dhcp_offer *out);

/* A DHCPREQUEST for the address requested from server (RFC 2131, 4.3.2),
 * broadcast. Returns the frame's length. */
u32 inet_dhcp_request(u8 frame[INET_FRAME_MAX], const u8 mac[6], u32 xid, u32 requested,
		      u32 server);

/* A UDP datagram of len bytes of data (at most INET_UDP_MAX) in a frame;
 * its length, 0 when the data is too long. */
u32 inet_udp(u8 frame[INET_FRAME_MAX], const u8 src_mac[6], const u8 dst_mac[6], u32 src_ip,
	     u32 dst_ip, u16 sport, u16 dport, const void *data, u32 len);

struct inet_udp_rx {
	u32 src_ip;
	u16 src_port;
	const u8 *data;   /* in the frame */
	u32 len;
};

/* Whether frame holds a UDP datagram for dst_ip:dst_port, headers and
 * checksums valid; where it came from and its data into *out. */
bool inet_udp_in(const u8 *frame, u32 len, u32 dst_ip, u16 dst_port, struct inet_udp_rx *out);

/* "10.0.2.2" into buf (at least 16 bytes); returns buf. */
char *inet_ip_str(u32 ip, char *buf, size_t size);
/* "52:55:0a:00:02:02" into buf (at least 18 bytes); returns buf. */
char *inet_mac_str(const u8 mac[6], char *buf, size_t size);

#endif /* DEVICES_INET_H */
