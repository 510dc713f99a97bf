/*
 * ccwsim -f: a Hercules configuration file as a simulated machine
 * (reference/platforms.md 9.2 and 11.1): 3215-C and 1052-C consoles, 3215
 * and 1052 on telnet, 3505 readers, 1403 printers and 3390 volumes over
 * CKD image files, in configuration (subchannel) order.
 */
#ifndef BOOT_HOST_HERC_CFG_H
#define BOOT_HOST_HERC_CFG_H

#include "ring/base.h"
#include "sim/sim.h"

struct herc_config;

/* Read the file (system statements now, device lines for later); NULL
 * after printing why it is refused. */
struct herc_config *herc_load(const char *file);

/* MAINSIZE in bytes (0: not given), and whether a console is configured. */
u64 herc_mainsize(const struct herc_config *h);
bool herc_has_console(const struct herc_config *h);

/* Attach the devices to sim in configuration order. 0, or -1 after a message. */
int herc_build(struct herc_config *h, struct sim *sim);

void herc_free(struct herc_config *h);

#endif /* BOOT_HOST_HERC_CFG_H */
