/*
 * ccwboot on the host: the loader of build/s390x/ccwboot.elf (boot/ccwboot.c)
 * run against the simulated machine that QEMU's options describe, as ccwsim
 * runs the tour. Where the program on QEMU would start what it loaded, this
 * one prints what it placed and exits 0; a failure is the same one-line
 * message, and exit status 1; options refused, status 2.
 */
#include <ctype.h>
#include <poll.h>
#include <stdlib.h>
#include <time.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "boot/ccwboot.h"
#include "boot/host/host.h"
#include "boot/host/hostrun.h"
#include "ccw/port.h"
#include "sim/sim.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ccwboot [QEMU options] [ccwsim options]\n"
		"\n"
		"Runs ccwboot's loader on the simulated channel subsystem: it finds the boot\n"
		"device, reads its boot map, loads the entry into the simulated memory and\n"
		"prints what it placed (each component, the initrd, the command line, the PSW\n"
		"it would start), then exits 0. On a failure it prints the reason and exits 1;\n"
		"an option it refuses gives exit status 2.\n"
		"\n"
		"The boot device and entry, in QEMU 7.2's spelling:\n"
		"  -device virtio-blk-ccw,drive=ID,bootindex=N   the lowest bootindex is the boot\n"
		"        device (QEMU's IPL parameter block); without one, the first bootable\n"
		"        disk of a scan\n"
		"  -device scsi-hd,bus=S.0,drive=ID,scsi-id=T,lun=L,bootindex=N   a disk on the\n"
		"        virtio-scsi-ccw S (QEMU's SCSI IPL block: the adapter and T:L)\n"
		"  -M s390-ccw-virtio,loadparm=N                 the boot entry (0: the default)\n"
		"  -m SIZE                                       memory (default 128 MiB)\n"
		"\n"
		"A Hercules configuration instead (-f FILE), with what Hercules' commands say:\n"
		"  --ipl DEVNO        the device to IPL from (Hercules: ipl DEVNO); required\n"
		"  --loadparm TEXT    the boot entry (Hercules: loadparm TEXT before the ipl)\n"
		"  --parm TEXT        the IPL parameter (Hercules: ipl DEVNO parm TEXT), added\n"
		"                     to a Linux entry's command line, upper-cased as Hercules\n"
		"                     passes it; the word CCWBOOT.BENCH in it (or --bench)\n"
		"                     times the load against one record per channel program\n"
		"Every other option is ccwsim's (ccwsim --help); -kernel and -append do not\n"
		"apply to a loader.\n");
}

/* What Hercules' ipl and loadparm commands would say (with -f). */
static struct {
	bool ipl;
	unsigned devno;
	char loadparm[CB_LOADPARM_LEN + 1];
	char parm[65];
	bool bench;
} herc;

/* The host's clock for the bench: the simulator's own clock is virtual. */
static u64 wall_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (u64)t.tv_sec * 1000000u + (u64)t.tv_nsec / 1000u;
}

/*
 * Take --ipl, --loadparm and --parm out of argv (the rest is ccwsim's):
 * 0, or 2 after saying what is wrong with one.
 */
static int herc_options(int *argc, char **argv)
{
	int out = 1;

	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i], *v = i + 1 < *argc ? argv[i + 1] : NULL;
		char *end;

		if (!strcmp(a, "--bench")) {
			herc.bench = true;
			continue;
		}
		if (strcmp(a, "--ipl") && strcmp(a, "--loadparm") && strcmp(a, "--parm")) {
			argv[out++] = argv[i];
			continue;
		}
		if (!v) {
			fprintf(stderr, "ccwboot: %s needs a value\n", a);
			return 2;
		}
		i++;
		if (!strcmp(a, "--ipl")) {
			unsigned long d = strtoul(v, &end, 16);

			if (!*v || *end || d > 0xFFFF) {
				fprintf(stderr, "ccwboot: --ipl %s: a device number is 1 to 4 hex "
						"digits (0120)\n", v);
				return 2;
			}
			herc.ipl = true;
			herc.devno = (unsigned)d;
		} else if (!strcmp(a, "--loadparm")) {
			size_t n = strlen(v);

			/* Hercules keeps 8 characters, upper case. */
			if (n > CB_LOADPARM_LEN) {
				fprintf(stderr, "ccwboot: --loadparm %s: at most %u characters\n", v,
					CB_LOADPARM_LEN);
				return 2;
			}
			for (size_t k = 0; k < n; k++)
				herc.loadparm[k] = (char)toupper((unsigned char)v[k]);
			herc.loadparm[n] = '\0';
		} else {
			size_t n = strlen(v);

			if (n > 64) {
				fprintf(stderr, "ccwboot: --parm: at most 64 characters (the IPL "
						"parameter fills 16 registers)\n");
				return 2;
			}
			for (size_t k = 0; k < n; k++)
				if (v[k] < 0x20 || v[k] > 0x7E) {
					fprintf(stderr, "ccwboot: --parm: printable characters only\n");
					return 2;
				}
			/* Hercules 3.13 passes the text upper-cased (measured). */
			for (size_t k = 0; k <= n; k++)
				herc.parm[k] = (char)toupper((unsigned char)v[k]);
		}
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

static void *mem(u64 addr, u64 len)
{
	struct sim *sim = host_sim();

	return sim ? sim_mem_ptr(sim, addr, len) : NULL;
}

/* The loader's memory, and DMA memory in it, where QEMU puts the BIOS. */
static u64 loader_base(u64 mem_size)
{
	return mem_size >= 2 * CB_LOADER_SPAN ? cb_loader_base(mem_size) : 0;
}

/*
 * PROMPT's answer from standard input, as the machine's console gives it:
 * a line, an empty one meaning the default; 0 at the deadline (the
 * simulator's clock, which the wait for input does not advance: the wait
 * is on the host's clock, CB_PROMPT_US at most) or at the end of input.
 */
static int read_line(char *buf, size_t size, u64 deadline_us)
{
	size_t n = 0;
	int ms = (int)(MIN(deadline_us - MIN(deadline_us, port_now_us()), (u64)CB_PROMPT_US) / 1000u);

	fflush(stdout);
	for (;;) {
		struct pollfd p = { .fd = 0, .events = POLLIN };
		char c;

		if (poll(&p, 1, ms) <= 0 || read(0, &c, 1) != 1)
			return 0;
		if (c == '\n' || c == '\r') {
			if (!n)
				buf[n++] = '0';
			buf[n] = '\0';
			return (int)n;
		}
		if (n + 1 < size)
			buf[n++] = c;
	}
}

static int run_loader(struct hostrun *r)
{
	static struct cb_env env;
	static struct cb_boot b;
	unsigned ssid, devno;
	char why[256];

	if (qm_has_kernel(r->qm)) {
		fprintf(stderr, "ccwboot: -kernel: QEMU starts that kernel itself and runs no "
				"loader; leave it out\n");
		return 2;
	}
	if (!r->dma_base) {
		fprintf(stderr, "ccwboot: %llu bytes of memory; the loader needs at least %u\n",
			(unsigned long long)r->cfg.mem_size, 2 * CB_LOADER_SPAN);
		return 2;
	}
	env.css = &r->css;
	env.mem = mem;
	env.read_line = read_line;
	env.mem_size = r->cfg.mem_size;
	env.loader_start = r->dma_base;
	env.loader_end = r->dma_base + CB_LOADER_SPAN;
	if (r->herc_file) {
		/* A device IPL, as Hercules' ipl command makes it. */
		if (!herc.ipl) {
			fprintf(stderr, "ccwboot: -f: name the device to IPL from with --ipl DEVNO "
					"(Hercules: ipl DEVNO)\n");
			return 2;
		}
		env.have_dev = true;
		env.device_ipl = true;
		env.pbt = CB_PBT_CCW;
		env.devno = (u16)herc.devno;
		snprintf(env.loadparm, sizeof(env.loadparm), "%s", herc.loadparm);
		cb_loadparm_trim(env.loadparm);
		env.bench = cb_parm_take_bench(herc.parm) || herc.bench;
		env.ipl_parm = herc.parm;
		env.clock_us = wall_us;
		/* Hercules has no console the loader reads. */
		env.read_line = NULL;
	} else if (herc.ipl || herc.loadparm[0] || herc.parm[0] || herc.bench) {
		fprintf(stderr, "ccwboot: --ipl, --loadparm, --parm and --bench go with -f (a Hercules "
				"configuration); QEMU's spelling is bootindex= and -M ...,loadparm=\n");
		return 2;
	} else if (qm_boot_device(r->qm, &ssid, &devno)) {
		unsigned target, lun;

		env.have_dev = true;
		env.pbt = CB_PBT_CCW;
		env.ssid = ssid;
		env.devno = (u16)devno;
		if (qm_boot_scsi(r->qm, &target, &lun)) {
			env.pbt = CB_PBT_QEMU_SCSI;
			env.scsi_target = (u16)target;
			env.scsi_lun = lun;
		}
	}
	if (!r->herc_file) {
		snprintf(env.loadparm, sizeof(env.loadparm), "%s", qm_loadparm(r->qm));
		cb_loadparm_trim(env.loadparm);
	}
	port_printf("ccwboot: %llu MiB of memory, loader at 0x%llx, %s%s%s\n",
		    (unsigned long long)(env.mem_size >> 20), (unsigned long long)env.loader_start,
		    env.loadparm[0] ? "loadparm \"" : "no loadparm", env.loadparm,
		    env.loadparm[0] ? "\"" : "");
	if (cb_load(&env, &b, why, sizeof(why))) {
		port_printf("ccwboot: %s\n", why);
		fflush(stdout);
		return 1;
	}
	cb_report(&b, &env, false);
	cb_quiesce(&b, &env);
	port_printf("ccwboot: not started: this is the host\n");
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	if (herc_options(&argc, argv))
		return 2;
	return hostrun_main(argc, argv, usage, loader_base, run_loader);
}
