/*
 * The platform port (ccw/port.h) on the machine: console selection (SCLP on
 * QEMU, 3215 under Hercules), the TOD clock, bounded enabled waits, DMA
 * memory, the exit protocol, and the diagnosis of unexpected interruptions.
 */
#include "boot/cmdline_hw.h"    /* TOUR_CMDLINE_AREA */
#include "boot/s390x/lowcore.h"
#include "boot/s390x/sclp.h" /* sclp_ascii_probe, sclp_ascii_write */
#include "boot/s390x/program.h" /* boot_program */
#include "ccw/css.h"         /* css_init */
#include "ccw/port.h"
#include "devices/con3215.h" /* con3215_find, con3215_put, con3215_flush */
#include "ring/fmt.h"         /* fmt_snprintf */

/* Symbols of start.S and image.lds. */
extern char boot_cmdline[];
extern char __heap_start[], __heap_end[];
void boot_enabled_wait(u64 psw_mask);
__noreturn void boot_unexpected(long kind);
__noreturn void boot_s390x_main(void);

/* Memory handed out by port_dma_alloc(): from the end of the program to
 * __heap_end, which its linker script sets (32 MiB for the tour, inside
 * Hercules' 64 MiB and QEMU's default 128 MiB; ccwboot's own 2 MiB). */
#define BOOT_HEAP_END ((uintptr_t)__heap_end)
/* Longest single wait: callers loop, so a cap only bounds one clock-comparator setting. */
#define BOOT_MAX_WAIT_US 60000000u

/* Which console the image found. */
enum boot_console { CONSOLE_NONE, CONSOLE_SCLP, CONSOLE_3215 };

/* The state of the port: one machine, one instance. */
static struct {
	enum boot_console console;
	struct css css;          /* the machine's channel-subsystem layer */
	struct con3215 con3215;  /* the 3215 driver keeps its own line buffer */
	char line[200];          /* the SCLP console's line (partial lines pass raw) */
	size_t line_len;
	bool in_console;         /* re-entry guard: output during output is dropped */
	uintptr_t heap_next;
	int unexpected_depth;
} boot;

struct psw {
	u64 mask;
	u64 addr;
} __aligned(8);

static inline u64 stck(void)
{
	u64 tod;

	asm volatile("stck %0" : "=Q"(tod) : : "cc");
	return tod;
}

static inline void sckc(u64 tod)
{
	asm volatile("sckc %0" : : "Q"(tod));
}

static inline u64 stctg0(void)
{
	u64 v;

	asm volatile("stctg 0,0,%0" : "=Q"(v));
	return v;
}

static inline void lctlg0(u64 v)
{
	asm volatile("lctlg 0,0,%0" : : "Q"(v));
}

static inline void lctlg6(u64 v)
{
	asm volatile("lctlg 6,6,%0" : : "Q"(v));
}

static inline u64 stctg14(void)
{
	u64 v;

	asm volatile("stctg 14,14,%0" : "=Q"(v));
	return v;
}

static inline void lctlg14(u64 v)
{
	asm volatile("lctlg 14,14,%0" : : "Q"(v));
}

static __noreturn void disabled_wait(u64 addr)
{
	static struct psw psw;

	psw.mask = PSW_MASK_WAIT | PSW_MASK_64;
	psw.addr = addr;
	asm volatile("lpswe %0" : : "Q"(psw) : "memory");
	__builtin_unreachable();
}

/* Lowcore access: the lowcore is at absolute 0 with prefix 0. */
#define LC_U8(a) (*(volatile u8 *)(uintptr_t)(a))
#define LC_U16(a) (*(volatile u16 *)(uintptr_t)(a))
#define LC_U32(a) (*(volatile u32 *)(uintptr_t)(a))
#define LC_U64(a) (*(volatile u64 *)(uintptr_t)(a))

u64 port_now_us(void)
{
	/* TOD clock bit 51 is one microsecond. */
	return stck() >> 12;
}

bool port_clock_real(void)
{
	return true;
}

/*
 * An enabled wait with the PSW mask given, bounded by the clock comparator
 * (a slice of at most BOOT_MAX_WAIT_US: callers loop), with the CR14
 * machine-check subclasses in cr14 enabled meanwhile. Returns what ended
 * it (LC_WAKE_REASON); WAKE_NONE when the deadline has passed already.
 */
static u8 wait_enabled(u64 deadline_us, u64 mask, u64 cr14)
{
	u64 now = port_now_us();
	u8 reason;

	if (now >= deadline_us)
		return WAKE_NONE;
	if (deadline_us - now > BOOT_MAX_WAIT_US)
		deadline_us = now + BOOT_MAX_WAIT_US;
	sckc(deadline_us << 12);
	lctlg0(stctg0() | CR0_CLOCK_COMPARATOR);
	if (cr14)
		lctlg14(stctg14() | cr14);
	LC_U8(LC_WAKE_REASON) = WAKE_NONE;
	boot_enabled_wait(mask | PSW_MASK_EXT | PSW_MASK_WAIT | PSW_MASK_64);
	reason = LC_U8(LC_WAKE_REASON);
	if (cr14)
		lctlg14(stctg14() & ~cr14);
	lctlg0(stctg0() & ~(u64)CR0_CLOCK_COMPARATOR);
	sckc(~(u64)0);
	return reason;
}

bool port_wait_io(u64 deadline_us, struct port_irq *irq)
{
	if (wait_enabled(deadline_us, PSW_MASK_IO, 0) != WAKE_IO)
		/* The clock comparator ended the wait (or a stray external
		 * interruption, which the caller treats as the end of a slice). */
		return false;
	irq->schid = LC_U32(LC_SUBCHANNEL_ID);
	irq->intparm = LC_U32(LC_IO_INT_PARM);
	irq->iid = LC_U32(LC_IO_INT_WORD);
	return true;
}

bool port_wait_crw(u64 deadline_us)
{
	/* Machine checks and the clock comparator only: I/O interruptions
	 * stay queued for whoever waits for them next. */
	return wait_enabled(deadline_us, PSW_MASK_MCHECK, CR14_CHANNEL_REPORT) == WAKE_CRW;
}

void *port_dma_alloc(size_t size, size_t align)
{
	uintptr_t p;

	if (align < 8)
		align = 8;
	if (!boot.heap_next)
		boot.heap_next = (uintptr_t)__heap_start;
	p = ALIGN_UP(boot.heap_next, (uintptr_t)align);
	if (p + size > BOOT_HEAP_END || p + size < p)
		return NULL;
	boot.heap_next = p + size;
	memset((void *)p, 0, size);
	return (void *)p;
}

u64 port_dma_addr(const void *p)
{
	return (u64)(uintptr_t)p;
}

void *port_dma_ptr(u64 addr, size_t len)
{
	/* Everything below the end of the heap is real memory on both platforms. */
	if (addr >= BOOT_HEAP_END || len > BOOT_HEAP_END - addr)
		return NULL;
	return (void *)(uintptr_t)addr;
}

const char *port_name(void)
{
	switch (boot.console) {
	case CONSOLE_SCLP:
		return "s390x, SCLP console";
	case CONSOLE_3215:
		return "s390x, 3215 console";
	default:
		return "s390x";
	}
}

const char *port_cmdline(void)
{
	return boot_cmdline;
}

/* Send the buffered line to the console. nl: the line ended with a newline. */
static void console_flush(bool nl)
{
	if (boot.in_console)
		return;
	boot.in_console = true;
	switch (boot.console) {
	case CONSOLE_SCLP:
		if (nl && boot.line_len < sizeof(boot.line))
			boot.line[boot.line_len++] = '\n';
		if (boot.line_len)
			sclp_ascii_write(boot.line, boot.line_len);
		break;
	case CONSOLE_3215:
		/* A partial line goes out without carrier return. */
		con3215_flush(&boot.con3215);
		break;
	case CONSOLE_NONE:
		break;
	}
	boot.line_len = 0;
	boot.in_console = false;
}

void port_write(const char *s, size_t n)
{
	size_t i;

	if (boot.console == CONSOLE_3215) {
		/* Output while a console write is in progress (a fault in it)
		 * is dropped rather than nested. */
		if (boot.in_console)
			return;
		boot.in_console = true;
		con3215_put(&boot.con3215, s, n);
		boot.in_console = false;
		return;
	}
	for (i = 0; i < n; i++) {
		if (s[i] == '\n') {
			console_flush(true);
			continue;
		}
		/* Keep room for the newline SCLP appends. */
		if (boot.line_len >= sizeof(boot.line) - 1)
			console_flush(false);
		boot.line[boot.line_len++] = s[i];
	}
}

/* Find a console: the SCLP ASCII console, else the first 3215 or 1052. */
static void console_init(void)
{
	if (sclp_ascii_probe()) {
		boot.console = CONSOLE_SCLP;
		return;
	}
	if (con3215_find(&boot.con3215, &boot.css) == 0)
		boot.console = CONSOLE_3215;
}

__noreturn void port_exit(bool success)
{
	console_flush(false);
	disabled_wait(success ? EXIT_ADDR_SUCCESS : EXIT_ADDR_FAILURE);
}

__noreturn void port_crash(void)
{
	/* Opcode 0x00 is not assigned: an operation exception, code 0x0001. */
	asm volatile(".hword 0x0000" : : : "memory");
	__builtin_unreachable();
}

static const char *pgm_code_name(u16 code)
{
	switch (code & 0x7F) {
	case 0x01: return "operation";
	case 0x02: return "privileged operation";
	case 0x03: return "execute";
	case 0x04: return "protection";
	case 0x05: return "addressing";
	case 0x06: return "specification";
	case 0x07: return "data";
	case 0x08: return "fixed-point overflow";
	case 0x09: return "fixed-point divide";
	case 0x10: return "segment translation";
	case 0x11: return "page translation";
	case 0x12: return "translation specification";
	case 0x13: return "special operation";
	case 0x15: return "operand";
	default: return "other";
	}
}

/* Called from start.S for any interruption the image did not expect. */
__noreturn void boot_unexpected(long kind)
{
	static const char *const names[] = {
		[INT_KIND_PGM] = "program", [INT_KIND_EXT] = "external",
		[INT_KIND_MCCK] = "machine-check", [INT_KIND_RESTART] = "restart",
		[INT_KIND_SVC] = "supervisor-call", [INT_KIND_IO] = "I/O",
	};
	static const unsigned old_psw[] = {
		[INT_KIND_PGM] = LC_PGM_OLD_PSW, [INT_KIND_EXT] = LC_EXT_OLD_PSW,
		[INT_KIND_MCCK] = LC_MCCK_OLD_PSW, [INT_KIND_RESTART] = LC_RESTART_OLD_PSW,
		[INT_KIND_SVC] = LC_SVC_OLD_PSW, [INT_KIND_IO] = LC_IO_OLD_PSW,
	};
	u16 pgm_code = LC_U16(LC_PGM_INT_CODE);
	u64 exit_addr;
	int i;

	if (kind < INT_KIND_PGM || kind > INT_KIND_IO)
		kind = INT_KIND_RESTART;
	exit_addr = kind == INT_KIND_PGM ? (u64)EXIT_ADDR_PGM + (pgm_code & 0xFF)
					 : EXIT_ADDR_UNEXPECTED + (u64)kind;
	/* A fault while reporting a fault: stop without another word. */
	if (boot.unexpected_depth++ > 0)
		disabled_wait(exit_addr);
	/* The console may have been mid-line, or mid-write. */
	boot.in_console = false;
	console_flush(false);

	port_printf("*** unexpected %s interruption", names[kind]);
	switch (kind) {
	case INT_KIND_PGM:
		port_printf(": code %04x (%s), ILC %u", pgm_code, pgm_code_name(pgm_code),
			    (unsigned)((LC_U16(LC_PGM_ILC) & 0x6) >> 1));
		break;
	case INT_KIND_EXT:
		port_printf(": code %04x", LC_U16(LC_EXT_INT_CODE));
		break;
	case INT_KIND_SVC:
		port_printf(": code %04x", LC_U16(LC_SVC_INT_CODE));
		break;
	case INT_KIND_MCCK:
		port_printf(": code %016llx", (unsigned long long)LC_U64(LC_MCCK_CODE));
		break;
	default:
		break;
	}
	port_printf("\n*** old PSW %016llx %016llx\n",
		    (unsigned long long)LC_U64(old_psw[kind]),
		    (unsigned long long)LC_U64(old_psw[kind] + 8));
	for (i = 0; i < 16; i += 4) {
		char label[8];

		fmt_snprintf(label, sizeof(label), "r%d-r%d", i, i + 3);
		port_printf("*** %-7s %016llx %016llx %016llx %016llx\n", label,
			    (unsigned long long)LC_U64(LC_SAVE_GPRS + 8 * i),
			    (unsigned long long)LC_U64(LC_SAVE_GPRS + 8 * (i + 1)),
			    (unsigned long long)LC_U64(LC_SAVE_GPRS + 8 * (i + 2)),
			    (unsigned long long)LC_U64(LC_SAVE_GPRS + 8 * (i + 3)));
	}
	port_printf("*** run ended: disabled wait at 0x%llx\n", (unsigned long long)exit_addr);
	console_flush(false);
	disabled_wait(exit_addr);
}

/*
 * The command line fills the area the image owns; a line with no end in it
 * (a parameter file longer than the area) is cut before its last word,
 * which may be a part, and the cut is said once there is a console.
 */
static unsigned cmdline_cut(void)
{
	unsigned n = 0;

	while (n < TOUR_CMDLINE_AREA && boot_cmdline[n])
		n++;
	if (n < TOUR_CMDLINE_AREA)
		return 0;
	n = TOUR_CMDLINE_AREA - 1;
	while (n > 0 && boot_cmdline[n - 1] != ' ')
		n--;
	boot_cmdline[n] = '\0';
	return n;
}

__noreturn void boot_s390x_main(void)
{
	unsigned cut = cmdline_cut();

	/* Every I/O interruption subclass is enabled in CR6; the PSW I/O
	 * mask, set only in port_wait_io(), decides when they are taken. */
	lctlg6(0xFF000000u);
	sckc(~(u64)0);
	/* Without memory for the channel-subsystem layer there is no
	 * console either: the wait address is the only report. */
	if (css_init(&boot.css) != 0)
		port_exit(false);
	console_init();
	if (cut)
		port_printf("note: the command line fills the %u-byte parameter area with no end; "
			    "cut to its first %u bytes, before its last word\n", TOUR_CMDLINE_AREA,
			    cut);
	port_exit(boot_program(&boot.css, port_cmdline()) == 0);
}
