/*
 * ccwboot's network boot: DHCP on a virtio-net device for an address and
 * the boot file's name (the BOOTP file field, as QEMU's user network sends
 * it), then the boot file by TFTP (boot/tftp.h), read as QEMU's netboot
 * reads it (reference/boot-linux.md, "Network boot"):
 *
 *   a load list   first line "* ...": lines "FILE ADDRESS" (hexadecimal),
 *                 each file loaded at its address, '*' lines comments;
 *   a pxelinux    first line "# pxelinux": "default LABEL", and per "label"
 *   configuration "kernel FILE", "initrd FILE", "append TEXT"; the loadparm
 *                 N chooses the Nth label, none the default;
 *   a kernel      anything else: the file is the kernel.
 *
 * A kernel is placed from 0x10000 (its first 64 KiB, where the loader's
 * lowcore is, are not needed to enter it there), its initrd where QEMU's
 * -kernel puts one, the parameter area and command line written as
 * mkboot writes them. What was loaded is reported in a struct cb_boot, as
 * for a disk, and started the same way.
 */
#ifndef BOOT_NETBOOT_H
#define BOOT_NETBOOT_H

#include "boot/ccwboot.h"
#include "boot/tftp.h"
#include "devices/inet.h"

#define NB_MAX_LIST 16u        /* files in a load list */
#define NB_NAME_MAX 128u
#define NB_APPEND_MAX 4096u    /* the longest command line a kernel takes here */
#define NB_CONFIG_MAX 0x10000u /* bytes of a load list or pxelinux configuration */

enum nb_kind { NB_LOADLIST, NB_PXELINUX, NB_KERNEL };

/* What a boot file is, from its first bytes. */
enum nb_kind nb_kind(const char *head, u32 len);

struct nb_list_item {
	char file[NB_NAME_MAX];
	u64 addr;
};

/* A load list's items. 0, or -VERR_PROTO with the line that is wrong. */
int nb_parse_list(const char *text, u32 len, struct nb_list_item *items, unsigned *n,
		  char *why, size_t why_len);

struct nb_pxe {
	char label[64];
	char kernel[NB_NAME_MAX], initrd[NB_NAME_MAX];
	char append[NB_APPEND_MAX];
	unsigned index;    /* the chosen one's number, from 1 */
	unsigned labels;   /* how many the configuration has */
};

/* The label choice selects (0: the default, else the choice-th), from a
 * pxelinux configuration. 0, or -VERR_PROTO / -VERR_INVAL with why. */
int nb_parse_pxe(const char *text, u32 len, unsigned choice, struct nb_pxe *out, char *why,
		 size_t why_len);

/* A virtio-net device's link to a TFTP server (the tour uses it too). */
struct vnet;
struct nb_link {
	struct vnet *n;             /* up: vnet_init() done */
	u32 ip, server, hop;        /* ours, the server's, where frames to it go */
	u8 hop_mac[6];
	u16 port;                   /* the transfer's own */
	u8 frame[INET_FRAME_MAX];
};

/* DHCP (DISCOVER, OFFER, REQUEST, ACK; a few tries) for an address. 0 with
 * the ACK, or an error with why. */
int nb_dhcp(struct nb_link *l, struct inet_dhcp_offer *ack, char *why, size_t why_len);

/* Our address, the server's and the next hop from the ACK. */
void nb_link_route(struct nb_link *l, const struct inet_dhcp_offer *ack);

/* The next hop's hardware address by ARP. 0, or an error with why. */
int nb_arp(struct nb_link *l, char *why, size_t why_len);

/* TFTP's datagrams over the link (from port l->port, set per transfer). */
void nb_link_io(struct nb_link *l, struct tftp_io *io);

/*
 * Boot from the virtio-net device on schid: DHCP, TFTP, placement, as
 * above; entry: the loadparm's number. 0 with *out filled, or a negative
 * error with the one-line reason.
 */
int nb_boot(const struct cb_env *env, u32 schid, u16 devno, unsigned entry, struct cb_boot *out,
	    char *why, size_t why_len);

#endif /* BOOT_NETBOOT_H */
