/*
 * The test kernel (boot/stub/): what a loader placed, printed on the SCLP
 * console, then the end of the run. It proves placement byte for byte in
 * well under a second, where Linux would spend seconds decompressing
 * itself:
 *
 *   stub: command line "TEXT"
 *   stub: initrd at 0xADDR, N bytes, fnv1a64 0xHASH   (or: stub: no initrd)
 *   stub: done
 *
 * then the success wait. The hash is FNV-1a, 64 bits, over the initrd's
 * bytes: the tests compute it over the file and compare. With the word
 * "stub.nohash" on its command line the stub does not hash (for timing a
 * loader: in TCG the hash of 256 MiB takes about a second) and prints
 * "..., N bytes, not hashed".
 */
#include "boot/s390x/lowcore.h"
#include "boot/s390x/sclp.h"
#include "ring/fmt.h"

extern char stub_cmdline[];
extern u64 stub_initrd[2];

void stub_main(void);

static void out(const char *fmt, ...) __printf(1, 2);

static void out(const char *fmt, ...)
{
	char line[4200];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 1)
		n = (int)sizeof(line) - 1;
	sclp_ascii_write(line, (size_t)n);
}

static __noreturn void stop(u64 addr)
{
	static struct {
		u64 mask, addr;
	} psw __aligned(8);

	psw.mask = PSW_MASK_WAIT | PSW_MASK_64;
	psw.addr = addr;
	asm volatile("lpswe %0" : : "Q"(psw) : "memory");
	__builtin_unreachable();
}

/* Whether the command line has the word w. */
static bool has_word(const char *line, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = line; *p;) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, w, n) && (p[n] == ' ' || !p[n]))
			return true;
		while (*p && *p != ' ')
			p++;
	}
	return false;
}

void stub_main(void)
{
	u64 start = stub_initrd[0], size = stub_initrd[1];

	if (!sclp_ascii_probe())
		stop(EXIT_ADDR_FAILURE);
	out("stub: command line \"%s\"\n", stub_cmdline);
	if (start && size && has_word(stub_cmdline, "stub.nohash")) {
		out("stub: initrd at 0x%llx, %llu bytes, not hashed\n", (unsigned long long)start,
		    (unsigned long long)size);
	} else if (start && size) {
		const volatile u8 *p = (const volatile u8 *)(uintptr_t)start;
		u64 h = 0xcbf29ce484222325ull;

		for (u64 i = 0; i < size; i++)
			h = (h ^ p[i]) * 0x100000001b3ull;
		out("stub: initrd at 0x%llx, %llu bytes, fnv1a64 0x%016llx\n",
		    (unsigned long long)start, (unsigned long long)size, (unsigned long long)h);
	} else {
		out("stub: no initrd\n");
	}
	out("stub: done\n");
	stop(EXIT_ADDR_SUCCESS);
}
