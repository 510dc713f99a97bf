/*
 * The host programs' common front end (build/host/ccwsim, build/host/ccwboot):
 * the command line (the program's own options, -f, and QEMU's options read
 * by boot/host/qemu_cli.c), the simulated machine built from it, the host
 * port bound to it, devices on a schedule (--hotplug-at), and one place
 * that releases it all.
 */
#ifndef BOOT_HOST_HOSTRUN_H
#define BOOT_HOST_HOSTRUN_H

#include <stdio.h>

#include "boot/host/herc_cfg.h"
#include "boot/host/qemu_cli.h"
#include "ccw/css.h"
#include "sim/sim.h"

/* What one run is made of, released in one place (hostrun_free). */
struct hostrun {
	struct sim_config cfg;
	bool profile_set, mem_set;
	const char *herc_file, *trace;
	struct qm *qm;
	struct herc_config *herc;
	struct sim *sim;
	FILE *tracef;
	struct css css;
	/* Where DMA memory starts for the final memory size (NULL or 0: the
	 * port's default); dma_base is what it gave. */
	u64 (*dma_base_of)(u64 mem_size);
	u64 dma_base;
};

/* A run with the simulator's defaults; -1 when out of memory. */
int hostrun_init(struct hostrun *r);

/*
 * The command line. 0; 1 after --help (usage printed on standard
 * output); -1 after saying what is refused.
 */
int hostrun_parse(struct hostrun *r, int argc, char **argv, void (*usage)(FILE *f));

/* The machine, its devices and the host port bound to it; -1 after saying
 * why not. */
int hostrun_build(struct hostrun *r);

/* After the program: 0, or 2 when a step of the --hotplug-at schedule was
 * not carried out (each said on standard error). */
int hostrun_schedule_status(void);

void hostrun_free(struct hostrun *r);

/*
 * A host program's whole run: the command line (usage for --help), the
 * machine (DMA memory where dma_base_of puts it; NULL: the default), the
 * program on it, the release. Returns the exit status: the program's, 0
 * after --help, 2 when the command line or the machine is refused.
 */
int hostrun_main(int argc, char **argv, void (*usage)(FILE *f), u64 (*dma_base_of)(u64 mem_size),
		 int (*program)(struct hostrun *r));

#endif /* BOOT_HOST_HOSTRUN_H */
