/* Placeholder until the helpers are written. */
#include "devices/inet.h"

u32 inet_arp_request(u8 frame[INET_FRAME_MAX], const u8 mac[6], u32 src_ip, u32 target_ip)
{
	(void)frame, (void)mac, (void)src_ip, (void)target_ip;
	return 0;
}

bool inet_arp_reply(const u8 *frame, u32 len, u32 ip, u8 mac[6])
{
	(void)frame, (void)len, (void)ip, (void)mac;
	return false;
}

u32 inet_dhcp_discover(u8 frame[INET_FRAME_MAX], const u8 mac[6], u32 xid)
{
	(void)frame, (void)mac, (void)xid;
	return 0;
}

bool inet_dhcp_offer(const u8 *frame, u32 len, const u8 mac[6], u32 xid,
		     struct inet_dhcp_offer *out)
{
	(void)frame, (void)len, (void)mac, (void)xid, (void)out;
	return false;
}

char *inet_ip_str(u32 ip, char *buf, size_t size)
{
	(void)ip;
	if (size)
		buf[0] = '\0';
	return buf;
}

char *inet_mac_str(const u8 mac[6], char *buf, size_t size)
{
	(void)mac;
	if (size)
		buf[0] = '\0';
	return buf;
}
