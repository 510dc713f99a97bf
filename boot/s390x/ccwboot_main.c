/*
 * ccwboot on the machine: what QEMU tells it (the IPL parameter block from
 * DIAG 308 subcode 6, memory and loadparm from SCLP), the loader
 * (boot/ccwboot.c), then the start of what it loaded.
 *
 * Starting (reference/boot-linux.md, "The jump"): a Linux entry is entered
 * by ccwboot at 0x10000 in 64-bit mode, as QEMU's -kernel enters it, after
 * the boot device is reset. Any other entry (zipl's stage 3) is started as
 * QEMU's BIOS starts it: the subchannel id at 0xb8, the IPL parameter block
 * given back with DIAG 308 subcode 5 and its address at 0x14, the EXEC PSW
 * at 0, then DIAG 308 subcode 1, a reset that keeps memory and loads the
 * PSW at 0.
 */
#include "boot/ccwboot.h"
#include "boot/s390x/ccwboot_how.h"
#include "boot/s390x/lowcore.h"
#include "boot/s390x/program.h"
#include "boot/s390x/sclp.h"  /* sclp_read_info, sclp_ascii_read */
#include "ccw/port.h"
#include "devices/ebcdic.h"   /* ebcdic_to_ascii */

/* Symbols of ccwboot_start.S and the linker. */
extern char __ehdr_start[], __heap_end[], _edata[], _end[], ccwboot_moved_entry[];
__noreturn void ccwboot_rebase(u64 entry);
void ccwboot_move_high(void);

/* CCWBOOT_HOW_*: set by ccwboot_start.S. */
unsigned ccwboot_how;

/* The IPL parameter block (PoP 17; QEMU pc-bios/s390-ccw/iplb.h): the
 * offsets used. Big-endian. */
#define IPLB_PBT 12u
#define IPLB_FLAGS 13u
#define IPLB_LOADPARM 16u
#define IPLB_SCSI_LUN 24u    /* QEMU-SCSI block: u32 lun, u16 target (QEMU's iplb.h) */
#define IPLB_SCSI_TARGET 28u
#define IPLB_SSID 109u       /* CCW and QEMU-SCSI blocks alike */
#define IPLB_DEVNO 110u
#define IPLB_FLAG_LP_VALID 0x80u

/* DIAG 308 subcodes and its return code for success (QEMU target/s390x/diag.c). */
#define DIAG308_LOAD_CLEAR 1u   /* reset keeping memory, load the PSW at 0 */
#define DIAG308_SET 5u
#define DIAG308_STORE 6u
#define DIAG308_RC_OK 0x0001u

#define LC_IPLB_ADDR 0x14u    /* where QEMU's BIOS leaves the IPLB's address */
#define LC_SCHID_ZERO 0xBCu

#define PSW_LINUX_64 PSW_MASK_64

static u8 iplb[4096] __aligned(4096);

static u64 diag308(u64 subcode, void *addr)
{
	register u64 r0 asm("0") = (u64)(uintptr_t)addr;
	register u64 r1 asm("1") = 0;

	asm volatile("diag %0,%2,0x308" : "+d"(r0), "+d"(r1) : "d"(subcode) : "memory", "cc");
	return r1;
}

static u64 mem_size;

static void *mem(u64 addr, u64 len)
{
	if (addr > mem_size || len > mem_size - addr)
		return NULL;
	return (void *)(uintptr_t)addr;
}

/* How often the console is asked for input while PROMPT waits. */
#define CB_POLL_US 20000u

/* A line from the SCLP console (PROMPT), polled: a carriage return or a
 * newline ends it; what came after it waits for the next call. */
static int read_line(char *buf, size_t size, u64 deadline_us)
{
	static char in[64];
	static int got, pos;
	size_t n = 0;

	for (;;) {
		u64 next;

		for (; pos < got; pos++) {
			char c = in[pos];

			/* QEMU 7.2 puts a NUL before the characters of each
			 * input event: no part of the line. */
			if (!c)
				continue;
			if (c == '\r' || c == '\n') {
				pos++;
				/* An empty line is an answer too: the default. */
				if (!n)
					buf[n++] = '0';
				buf[n] = '\0';
				return (int)n;
			}
			if (n + 1 < size)
				buf[n++] = c;
		}
		got = sclp_ascii_read(in, sizeof(in));
		pos = 0;
		if (got < 0) {
			int err = got;

			got = 0;
			return err;
		}
		if (got)
			continue;
		if (port_now_us() >= deadline_us)
			return 0;
		next = port_now_us() + CB_POLL_US;
		while (port_now_us() < next)
			;
	}
}

/* 8 EBCDIC characters into ASCII (a NUL as a blank), blanks at either end dropped. */
static void loadparm_ascii(const u8 *e, char out[CB_LOADPARM_LEN + 1])
{
	for (unsigned i = 0; i < CB_LOADPARM_LEN; i++)
		out[i] = e[i] ? ebcdic_to_ascii(e[i]) : ' ';
	out[CB_LOADPARM_LEN] = '\0';
	cb_loadparm_trim(out);
}

void boot_enabled_wait(u64 psw_mask);

/* How long a service signal is waited for. */
#define SCLP_SIGNAL_US 100000u
/* Before the jump: one that is pending is taken at once; none, and this
 * is the time lost. */
#define SCLP_LAST_SIGNAL_US 20000u

/*
 * Take the service-signal external interruption that follows a command's
 * answer. QEMU and Hercules both make one pending; Hercules answers every
 * later SERVICE CALL with cc 2 (busy) while it is (service.c). Waited for
 * with the clock comparator as a bound, then the masks are as they were.
 */
static void take_service_signal(u32 bound_us)
{
	u64 cr0, tod;

	asm volatile("stctg 0,0,%0" : "=Q"(cr0));
	asm volatile("stck %0" : "=Q"(tod) : : "cc");
	tod += (u64)bound_us << 12;
	asm volatile("sckc %0" : : "Q"(tod));
	{
		u64 on = cr0 | CR0_SERVICE_SIGNAL | CR0_CLOCK_COMPARATOR;

		asm volatile("lctlg 0,0,%0" : : "Q"(on));
	}
	boot_enabled_wait(PSW_MASK_EXT | PSW_MASK_WAIT | PSW_MASK_64);
	tod = ~(u64)0;
	asm volatile("sckc %0" : : "Q"(tod));
	asm volatile("lctlg 0,0,%0" : : "Q"(cr0));
}

struct psw {
	u64 mask, addr;
} __aligned(8);

static __noreturn void start(const struct cb_boot *b, bool have_iplb)
{
	static struct psw psw;

	/* The last SCLP command's service signal, taken: Hercules refuses
	 * every SERVICE CALL while one is pending, and Linux's first (its
	 * memory size) would fail. */
	take_service_signal(SCLP_LAST_SIGNAL_US);
	*(volatile u32 *)(uintptr_t)LC_SUBCHANNEL_ID = b->schid;
	*(volatile u32 *)(uintptr_t)LC_SCHID_ZERO = 0;
	if (b->how == CB_START_LINUX) {
		psw.mask = PSW_LINUX_64;
		psw.addr = b->prog.psw & 0x7FFFFFFFu;
		asm volatile("lpswe %0" : : "Q"(psw) : "memory");
		__builtin_unreachable();
	}
	if (have_iplb) {
		if (iplb[IPLB_PBT] == CB_PBT_QEMU_SCSI)
			iplb[IPLB_PBT] = CB_PBT_CCW;
		diag308(DIAG308_SET, iplb);
		*(volatile u32 *)(uintptr_t)LC_IPLB_ADDR = (u32)(uintptr_t)iplb;
	}
	*(volatile u64 *)(uintptr_t)0 = b->prog.psw;
	if (ccwboot_how != CCWBOOT_HOW_BIOS) {
		/* After a device IPL there is no DIAG 308 (Hercules): the state
		 * an IPL leaves is made by hand. Back to ESA/390 with SIGP SET
		 * ARCHITECTURE (code 0) on this CPU; the next instruction, in
		 * ESA/390 mode at this address below 2 GiB, loads the short PSW
		 * at 0, as the end of an IPL does. */
		asm volatile("	lhi	%%r0,0\n"
			     "	lhi	%%r1,0\n"
			     "	sigp	%%r1,%%r0,0x12\n"
			     "	lpsw	0\n"
			     : : : "0", "1", "cc", "memory");
		__builtin_unreachable();
	}
	diag308(DIAG308_LOAD_CLEAR, NULL);
	/* Not reached on a machine that knows DIAG 308. */
	port_printf("ccwboot: DIAG 308 subcode 1 did not start the entry\n");
	port_exit(false);
}

/* READ SCP INFO, forced (QEMU) or plain (Hercules 3.13 knows only that
 * one), each answer's service signal taken. */
static int read_info(u64 *mem_bytes, u8 loadparm[8])
{
	int err = sclp_read_info(true, mem_bytes, loadparm);

	if (err != -VERR_IO)
		take_service_signal(SCLP_SIGNAL_US);
	if (err == -VERR_NOTSUP) {
		err = sclp_read_info(false, mem_bytes, loadparm);
		if (err != -VERR_IO)
			take_service_signal(SCLP_SIGNAL_US);
	}
	return err;
}

/*
 * Straight from a device IPL: the program sits where the IPL channel
 * program read it, low in memory, where a kernel goes. Copy it (code and
 * data; .bss is cleared again) to where QEMU would put a -bios program,
 * near the top of memory (cb_loader_base), and go on there. Nothing has
 * run yet but the start-up: the copy starts afresh. Returns (and the
 * program stays) only when memory cannot be known or is too small.
 */
void ccwboot_move_high(void)
{
	u64 here = (u64)(uintptr_t)__ehdr_start, size, to;
	u8 lp[8];

	if (read_info(&size, lp) != 0)
		return;
	/* Hercules keeps its SCLP busy after this (an event for the
	 * console); the copy takes the answer from here. */
	*(volatile u64 *)(uintptr_t)LC_IPL_MEM = size;
	memcpy((void *)(uintptr_t)LC_IPL_LOADPARM, lp, sizeof(lp));
	if (size < 2 * CB_LOADER_SPAN)
		return;
	to = cb_loader_base(size);
	if ((u64)(uintptr_t)_end - here > CB_LOADER_SPAN || to < (u64)(uintptr_t)_end)
		return;
	memcpy((void *)(uintptr_t)to, __ehdr_start, (size_t)(_edata - __ehdr_start));
	ccwboot_rebase(to + (u64)(ccwboot_moved_entry - __ehdr_start));
}

/*
 * The IPL parameter text of a device IPL (Hercules' `ipl DEVNO parm TEXT`,
 * as VM's IPL PARM): EBCDIC in the general registers from r0, at most 64
 * characters, padded with blanks or NULs; in ASCII with blanks at the
 * ends dropped.
 */
static void ipl_parm(char *out, size_t size)
{
	const volatile u8 *g = (const volatile u8 *)(uintptr_t)LC_IPL_GPRS;
	size_t n = 0;

	for (unsigned i = 0; i < 64 && n + 1 < size; i++) {
		u8 c = g[i];

		if (!c)
			break;
		out[n++] = ebcdic_to_ascii(c);
	}
	out[n] = '\0';
	cb_loadparm_trim(out);
	/* Only printable characters go on a command line. */
	for (size_t i = 0; out[i]; i++)
		if (out[i] < 0x20 || out[i] > 0x7E) {
			out[0] = '\0';
			break;
		}
}

int boot_program(struct css *css, const char *cmdline)
{
	static struct cb_env env;
	static struct cb_boot b;
	u8 sclp_lp[8];
	char why[256];
	bool have_iplb;
	int err;

	(void)cmdline;
	env.css = css;
	env.mem = mem;
	env.read_line = read_line;
	env.loader_start = (u64)(uintptr_t)__ehdr_start;
	/* The whole span QEMU keeps for the BIOS, as on the host. */
	env.loader_end = env.loader_start + CB_LOADER_SPAN;
	if ((u64)(uintptr_t)__heap_end > env.loader_end)
		env.loader_end = (u64)(uintptr_t)__heap_end;
	if (ccwboot_how == CCWBOOT_HOW_MOVED) {
		mem_size = *(volatile u64 *)(uintptr_t)LC_IPL_MEM;
		memcpy(sclp_lp, (const void *)(uintptr_t)LC_IPL_LOADPARM, sizeof(sclp_lp));
	} else if (read_info(&mem_size, sclp_lp) != 0) {
		port_printf("ccwboot: the SCLP does not say how much memory there is\n");
		return 1;
	}
	env.mem_size = mem_size;
	/* A device IPL (Hercules): the device is the one IPLed from; there is
	 * no DIAG 308 to ask (Hercules 3.13 gives a program check). */
	have_iplb = ccwboot_how == CCWBOOT_HOW_BIOS &&
		    diag308(DIAG308_STORE, iplb) == DIAG308_RC_OK;
	if (ccwboot_how != CCWBOOT_HOW_BIOS) {
		static char parm[65];

		env.have_schid = true;
		env.device_ipl = true;
		env.schid = *(volatile u32 *)(uintptr_t)LC_IPL_SCHID;
		ipl_parm(parm, sizeof(parm));
		env.bench = cb_parm_take_bench(parm);
		env.ipl_parm = parm;
		/* PROMPT reads the SCLP console, which Hercules does not offer
		 * (it keeps the SCLP busy): no console to read, as on the host. */
		env.read_line = NULL;
	}
	if (have_iplb) {
		env.have_dev = true;
		env.pbt = iplb[IPLB_PBT];
		env.ssid = iplb[IPLB_SSID] & 3u;
		env.devno = (u16)(iplb[IPLB_DEVNO] << 8 | iplb[IPLB_DEVNO + 1]);
		env.scsi_target = (u16)(iplb[IPLB_SCSI_TARGET] << 8 | iplb[IPLB_SCSI_TARGET + 1]);
		env.scsi_lun = get_be32(iplb + IPLB_SCSI_LUN);
	}
	if (have_iplb && (iplb[IPLB_FLAGS] & IPLB_FLAG_LP_VALID))
		loadparm_ascii(iplb + IPLB_LOADPARM, env.loadparm);
	else
		loadparm_ascii(sclp_lp, env.loadparm);
	port_printf("ccwboot: %llu MiB of memory, loader at 0x%llx, %s%s%s\n",
		    (unsigned long long)(mem_size >> 20), (unsigned long long)env.loader_start,
		    env.loadparm[0] ? "loadparm \"" : "no loadparm", env.loadparm,
		    env.loadparm[0] ? "\"" : "");
	err = cb_load(&env, &b, why, sizeof(why));
	if (err) {
		port_printf("ccwboot: %s\n", why);
		return 1;
	}
	cb_report(&b, &env, true);
	cb_quiesce(&b, &env);
	start(&b, have_iplb);
}
