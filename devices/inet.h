/*
 * The little of IPv4 the tour speaks over virtio-net: an ARP request and
 * its reply (RFC 826), a DHCPDISCOVER and the DHCPOFFER (RFC 2131, options
 * RFC 2132) in UDP over IPv4 (RFC 768, RFC 791). Frames are Ethernet II
 * without the frame check sequence; addresses are host-order u32.
 */
#ifndef DEVICES_INET_H
#define DEVICES_INET_H

#include "ring/base.h"

#define INET_ADDR(a, b, c, d) (((u32)(a) << 24) | ((u32)(b) << 16) | ((u32)(c) << 8) | (u32)(d))

#define INET_ETH_IPV4 0x0800
#define INET_ETH_ARP 0x0806
#define INET_FRAME_MAX 1514u

/* An ARP request "who has target? tell src" from mac, broadcast. Returns
 * the frame's length (60: padded to the Ethernet minimum). */
u32 inet_arp_request(u8 frame[INET_FRAME_MAX], const u8 mac[6], u32 src_ip, u32 target_ip);

/* Whether frame is an ARP reply for ip; its hardware address into mac. */
bool inet_arp_reply(const u8 *frame, u32 len, u32 ip, u8 mac[6]);

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
};

/* Whether frame is a DHCPOFFER to mac for xid, with valid IPv4 and UDP
 * headers and checksums; the offer into *out. */
bool inet_dhcp_offer(const u8 *frame, u32 len, const u8 mac[6], u32 xid,
		     struct inet_dhcp_offer *out);

/* "10.0.2.2" into buf (at least 16 bytes); returns buf. */
char *inet_ip_str(u32 ip, char *buf, size_t size);
/* "52:55:0a:00:02:02" into buf (at least 18 bytes); returns buf. */
char *inet_mac_str(const u8 mac[6], char *buf, size_t size);

#endif /* DEVICES_INET_H */
