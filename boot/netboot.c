/* ccwboot's network boot: see netboot.h. */
#include "boot/netboot.h"

#include "boot/linux_hw.h"
#include "boot/tftp.h"
#include "ccw/port.h"
#include "ccw/vccw.h"
#include "devices/inet.h"
#include "devices/vnet.h"
#include "ring/fmt.h"

#define NB_DHCP_TRIES 4u
#define NB_DHCP_WAIT_US 2000000u
#define NB_ARP_TRIES 4u
#define NB_ARP_WAIT_US 1000000u
#define NB_CLIENT_PORT 0xC000u   /* the first transfer's port; each next one +1 */

/* --- The network ------------------------------------------------------------------ */

/* Answer an ARP request for our address (QEMU's network may ask). */
static void arp_answer(struct nb_link *nt, const u8 *f, u32 len)
{
	u8 reply[INET_FRAME_MAX];
	u32 n = inet_arp_answer(reply, f, len, nt->n->mac, nt->ip);

	if (n)
		vnet_send(nt->n, reply, n);
}

static int udp_send(void *ctx, u16 port, const void *data, u32 len)
{
	struct nb_link *nt = ctx;
	u32 n = inet_udp(nt->frame, nt->n->mac, nt->hop_mac, nt->ip, nt->server, nt->port, port,
			 data, len);

	return n ? vnet_send(nt->n, nt->frame, n) : -VERR_INVAL;
}

static int udp_recv(void *ctx, void *buf, u32 size, u32 *len, u16 *port, u64 deadline_us)
{
	struct nb_link *nt = ctx;

	for (;;) {
		struct inet_udp_rx rx;
		int n = vnet_recv(nt->n, nt->frame, sizeof(nt->frame), deadline_us);

		if (n == -VERR_RANGE)
			continue;
		if (n <= 0)
			return n;
		arp_answer(nt, nt->frame, (u32)n);
		if (!inet_udp_in(nt->frame, (u32)n, nt->ip, nt->port, &rx) || rx.src_ip != nt->server)
			continue;
		*len = rx.len;
		*port = rx.src_port;
		memcpy(buf, rx.data, MIN(rx.len, size));
		return 1;
	}
}

static u64 now_us(void *ctx)
{
	(void)ctx;
	return port_now_us();
}

void nb_link_io(struct nb_link *l, struct tftp_io *io)
{
	*io = (struct tftp_io){ udp_send, udp_recv, now_us, l };
}

void nb_link_route(struct nb_link *l, const struct inet_dhcp_offer *ack)
{
	l->ip = ack->yiaddr;
	l->server = ack->siaddr ? ack->siaddr : ack->server;
	/* The server on our network, or through the router. */
	l->hop = (!ack->mask || ((l->server ^ l->ip) & ack->mask) == 0 || !ack->router)
			 ? l->server : ack->router;
}

/* DHCP: DISCOVER, OFFER, REQUEST, ACK (RFC 2131, 3.1), a few tries each. */
int nb_dhcp(struct nb_link *nt, struct inet_dhcp_offer *ack, char *why, size_t wl)
{
	struct inet_dhcp_offer offer;
	u32 xid = 0x63637700u ^ (u32)port_now_us();
	bool offered = false;

	for (unsigned t = 0; t < 2 * NB_DHCP_TRIES; t++) {
		u64 deadline = port_now_us() + NB_DHCP_WAIT_US;
		u32 n = offered ? inet_dhcp_request(nt->frame, nt->n->mac, xid, offer.yiaddr,
						    offer.server)
				: inet_dhcp_discover(nt->frame, nt->n->mac, xid);
		int rc = vnet_send(nt->n, nt->frame, n);

		if (rc)
			return fmt_err(why, wl, rc, "DHCP: %s", nt->n->why);
		for (;;) {
			rc = vnet_recv(nt->n, nt->frame, sizeof(nt->frame), deadline);
			if (rc == -VERR_RANGE)
				continue;
			if (rc < 0)
				return fmt_err(why, wl, rc, "DHCP: %s", nt->n->why);
			if (rc == 0)
				break;
			if (!offered && inet_dhcp_offer(nt->frame, (u32)rc, nt->n->mac, xid, &offer)) {
				offered = true;
				break;
			}
			if (offered && inet_dhcp_ack(nt->frame, (u32)rc, nt->n->mac, xid, ack))
				return 0;
		}
	}
	return fmt_err(why, wl, -VERR_TIMEOUT, "DHCP: %s after %u s", offered ? "no ACK to the REQUEST"
		   : "no server answered", 2 * NB_DHCP_TRIES * NB_DHCP_WAIT_US / 1000000u);
}

int nb_arp(struct nb_link *nt, char *why, size_t wl)
{
	char ip[16];

	for (unsigned t = 0; t < NB_ARP_TRIES; t++) {
		u64 deadline = port_now_us() + NB_ARP_WAIT_US;
		int rc = vnet_send(nt->n, nt->frame, inet_arp_request(nt->frame, nt->n->mac, nt->ip,
								    nt->hop));

		if (rc)
			return fmt_err(why, wl, rc, "ARP: %s", nt->n->why);
		for (;;) {
			rc = vnet_recv(nt->n, nt->frame, sizeof(nt->frame), deadline);
			if (rc == -VERR_RANGE)
				continue;
			if (rc < 0)
				return fmt_err(why, wl, rc, "ARP: %s", nt->n->why);
			if (rc == 0)
				break;
			if (inet_arp_reply(nt->frame, (u32)rc, nt->hop, nt->hop_mac))
				return 0;
			arp_answer(nt, nt->frame, (u32)rc);
		}
	}
	return fmt_err(why, wl, -VERR_TIMEOUT, "ARP: %s does not answer",
		   inet_ip_str(nt->hop, ip, sizeof(ip)));
}

/* --- Where files go ------------------------------------------------------------ */

/* The head buffer: a configuration's bytes, and the block that crosses its end. */
#define NB_HEAD (NB_CONFIG_MAX + TFTP_MAX_BLKSIZE)

/* Memory [a, a + len) a file may be loaded into: from the kernel's entry
 * up (below is the loader's lowcore), within memory, off the loader. */
static void *load_ptr(const struct cb_env *env, u64 a, u64 len)
{
	if (a < LINUX_ENTRY || a + len < a || a + len > env->mem_size ||
	    (a < env->loader_end && a + len > env->loader_start))
		return NULL;
	return env->mem(a, len);
}

/*
 * A file loaded at base. With a head buffer, the blocks that start in the
 * file's first NB_CONFIG_MAX bytes go there (a configuration is read from
 * it; fetch() then moves what belongs in memory); the rest goes to memory.
 */
struct place {
	const struct cb_env *env;
	u64 base;
	u8 *head;
	u64 head_len;
};

static void *place_at(void *ctx, u64 off, u32 len)
{
	struct place *pl = ctx;
	u64 a = pl->base + off;

	if (pl->head && off < NB_CONFIG_MAX) {
		if (off + len > NB_HEAD)
			return NULL;
		pl->head_len = MAX(pl->head_len, off + len);
		return pl->head + off;
	}
	if (a < pl->base)
		return NULL;
	return load_ptr(pl->env, a, len);
}

struct nb {
	struct nb_link net;
	const struct cb_env *env;
	struct tftp_io io;
	u8 *head;               /* NB_HEAD bytes */
	unsigned transfers;
	u64 bytes;
};

/* Read file to base (keep_head: its first bytes in the head buffer too);
 * its size. */
static int fetch(struct nb *b, const char *file, u64 base, bool keep_head, u64 *size, char *why,
		 size_t wl)
{
	const struct cb_env *env = b->env;
	struct place pl = { env, base, keep_head ? b->head : NULL, 0 };
	struct tftp_sink sink = { place_at, &pl };
	struct tftp_result res;
	int err;

	b->net.port = (u16)(NB_CLIENT_PORT + b->transfers++);
	err = tftp_get(&b->io, file, &sink, &res, why, wl);
	if (err)
		return err;
	/* The head's bytes that belong in memory: those from the kernel's
	 * entry up (below it is the loader's lowcore, which no kernel needs
	 * to be entered at 0x10000). */
	if (keep_head && pl.head_len) {
		u64 n = MIN(res.size, pl.head_len);
		u64 from = base < LINUX_ENTRY ? LINUX_ENTRY - base : 0;

		if (from < n) {
			void *to = load_ptr(env, base + from, n - from);

			if (!to)
				return fmt_err(why, wl, -VERR_RANGE, "%s at 0x%llx would run over the "
					   "loader or beyond memory", file, (unsigned long long)base);
			memcpy(to, b->head + from, n - from);
		}
	}
	*size = res.size;
	b->bytes += res.size;
	port_printf("ccwboot: tftp %s: %llu bytes at 0x%llx (blksize %u%s)\n", file,
		    (unsigned long long)res.size, (unsigned long long)base, res.blksize,
		    res.retries ? ", packets sent again" : "");
	return 0;
}

static void put_be64_mem(const struct cb_env *env, u64 addr, u64 v)
{
	u8 *p = env->mem(addr, 8);

	if (p) {
		put_be32(p, (u32)(v >> 32));
		put_be32(p + 4, (u32)v);
	}
}

static void add_load(struct cb_boot *out, u64 addr, u64 len)
{
	if (addr < LINUX_ENTRY) {
		len = len > LINUX_ENTRY - addr ? len - (LINUX_ENTRY - addr) : 0;
		addr = LINUX_ENTRY;
	}
	if (len && out->prog.nloads < BM_MAX_LOADS) {
		out->prog.load[out->prog.nloads].addr = addr;
		out->prog.load[out->prog.nloads].len = len;
		out->prog.nloads++;
	}
}

/* A kernel (file offset = address) and its initrd and command line, placed as -kernel places them. */
static int linux_files(struct nb *b, struct cb_boot *out, const char *kernel, const char *initrd,
		       const char *append, char *why, size_t wl)
{
	const struct cb_env *env = b->env;
	u64 ksize, isize = 0, at = 0, max;
	const u8 *magic;
	char *line;
	int err;

	err = fetch(b, kernel, 0, true, &ksize, why, wl);
	if (err)
		return err;
	magic = env->mem(LINUX_MAGIC_ADDR, LINUX_MAGIC_LEN);
	if (ksize < LINUX_CMDLINE || !magic || memcmp(magic, LINUX_MAGIC, LINUX_MAGIC_LEN))
		return fmt_err(why, wl, -VERR_PROTO, "%s is no Linux kernel (no %s at 0x%x)", kernel,
			   LINUX_MAGIC, LINUX_MAGIC_ADDR);
	add_load(out, 0, ksize);
	if (initrd) {
		at = linux_initrd_addr(ksize);
		err = fetch(b, initrd, at, false, &isize, why, wl);
		if (err)
			return err;
		add_load(out, at, isize);
	}
	put_be64_mem(env, LINUX_PARM_INITRD_START, isize ? at : 0);
	put_be64_mem(env, LINUX_PARM_INITRD_SIZE, isize);
	if (append) {
		const u8 *m = env->mem(LINUX_PARM_MAX_CMDLINE, 8);

		max = m ? (u64)get_be32(m) << 32 | get_be32(m + 4) : 0;
		if (!max)
			max = LINUX_LEGACY_CMDLINE;
		if (strlen(append) + 1 > max)
			return fmt_err(why, wl, -VERR_PROTO, "the command line is %zu bytes; %s takes at "
				   "most %llu", strlen(append), kernel, (unsigned long long)max - 1);
		line = env->mem(LINUX_CMDLINE, strlen(append) + 1);
		if (!line)
			return fmt_err(why, wl, -VERR_PROTO, "the command line has no room");
		memcpy(line, append, strlen(append) + 1);
	}
	return 0;
}

int nb_boot(const struct cb_env *env, u32 schid, u16 devno, unsigned entry, struct cb_boot *out,
	    char *why, size_t wl)
{
	static struct nb b;
	struct inet_dhcp_offer ack;
	char r[200], ip[16], sv[16];
	u64 size, t0;
	int err;

	memset(&b, 0, sizeof(b));
	b.env = env;
	nb_link_io(&b.net, &b.io);
	out->net = port_dma_alloc(sizeof(*out->net), 8);
	out->v = port_dma_alloc(sizeof(*out->v), 8);
	b.head = port_dma_alloc(NB_HEAD, 8);
	if (!out->net || !out->v || !b.head)
		return fmt_err(why, wl, -VERR_NOMEM, "0.%x.%04x: no memory for the network",
			   schid_ssid(schid), devno);
	out->schid = schid;
	out->devno = devno;
	out->ssid = schid_ssid(schid);
	err = vccw_init(out->v, env->css, schid, VIRTIO_ID_NET, NULL);
	if (!err)
		err = vnet_init(out->net, vccw_virtio(out->v));
	if (err)
		return fmt_err(why, wl, err, "0.%x.%04x: %s", out->ssid, devno,
			   out->net->why[0] ? out->net->why : out->v->vdev.why);
	b.net.n = out->net;
	if (vnet_link_up(out->net) == 0)
		return fmt_err(why, wl, -VERR_NODEV, "0.%x.%04x: the link is down", out->ssid, devno);
	t0 = port_now_us();
	err = nb_dhcp(&b.net, &ack, r, sizeof(r));
	if (err)
		return fmt_err(why, wl, err, "0.%x.%04x: %s", out->ssid, devno, r);
	nb_link_route(&b.net, &ack);
	if (!ack.file[0])
		return fmt_err(why, wl, -VERR_NOTSUP, "0.%x.%04x: DHCP from %s gave no boot file name "
			   "(QEMU: -netdev user,...,bootfile=NAME)", out->ssid, devno,
			   inet_ip_str(ack.server, sv, sizeof(sv)));
	port_printf("ccwboot: 0.%x.%04x: address %s, boot file %s from %s\n", out->ssid, devno,
		    inet_ip_str(b.net.ip, ip, sizeof(ip)), ack.file,
		    inet_ip_str(b.net.server, sv, sizeof(sv)));
	err = nb_arp(&b.net, r, sizeof(r));
	if (!err)
		err = fetch(&b, ack.file, 0, true, &size, r, sizeof(r));
	if (err)
		return fmt_err(why, wl, err, "0.%x.%04x: %s", out->ssid, devno, r);
	out->entry = entry;
	switch (nb_kind((const char *)b.head, (u32)MIN(size, (u64)NB_CONFIG_MAX))) {
	case NB_LOADLIST: {
		static struct nb_list_item items[NB_MAX_LIST];
		unsigned n;

		if (size > NB_CONFIG_MAX)
			return fmt_err(why, wl, -VERR_PROTO, "%s: a load list of more than %u bytes",
				   ack.file, NB_CONFIG_MAX);
		err = nb_parse_list((const char *)b.head, (u32)size, items, &n, r, sizeof(r));
		for (unsigned i = 0; !err && i < n; i++) {
			err = fetch(&b, items[i].file, items[i].addr, true, &size, r, sizeof(r));
			if (!err)
				add_load(out, items[i].addr, size);
		}
		if (err)
			return fmt_err(why, wl, err, "%s: %s", ack.file, r);
		out->nentries = 1;
		break;
	}
	case NB_PXELINUX: {
		static struct nb_pxe pxe;

		if (size > NB_CONFIG_MAX)
			return fmt_err(why, wl, -VERR_PROTO, "%s: a configuration of more than %u bytes",
				   ack.file, NB_CONFIG_MAX);
		err = nb_parse_pxe((const char *)b.head, (u32)size, entry, &pxe, r, sizeof(r));
		if (err)
			return fmt_err(why, wl, err, "%s: %s", ack.file, r);
		port_printf("ccwboot: pxelinux label \"%s\" (%u of %u)\n", pxe.label, pxe.index,
			    pxe.labels);
		err = linux_files(&b, out, pxe.kernel, pxe.initrd[0] ? pxe.initrd : NULL,
				  pxe.append, r, sizeof(r));
		if (err)
			return fmt_err(why, wl, err, "%s: %s", ack.file, r);
		out->nentries = pxe.labels + 1;
		break;
	}
	case NB_KERNEL:
		/* The boot file is the kernel, already in place. */
		{
			const u8 *magic = env->mem(LINUX_MAGIC_ADDR, LINUX_MAGIC_LEN);

			if (size < LINUX_CMDLINE || !magic ||
			    memcmp(magic, LINUX_MAGIC, LINUX_MAGIC_LEN))
				return fmt_err(why, wl, -VERR_PROTO, "%s is neither a load list, a pxelinux "
					   "configuration nor a Linux kernel (no %s at 0x%x)",
					   ack.file, LINUX_MAGIC, LINUX_MAGIC_ADDR);
		}
		add_load(out, 0, size);
		put_be64_mem(env, LINUX_PARM_INITRD_START, 0);
		put_be64_mem(env, LINUX_PARM_INITRD_SIZE, 0);
		out->nentries = 1;
		break;
	}
	out->prog.psw = LINUX_EXEC_PSW;
	out->bytes = b.bytes;
	out->us = port_now_us() - t0;
	return 0;
}
