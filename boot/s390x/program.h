/*
 * What a program on the s390x port provides, and the few machine services
 * the port offers beyond ccw/port.h. The port (plat.c) sets up the
 * channel-subsystem layer and the console, then runs boot_program(); its
 * result decides the exit (0: success wait).
 */
#ifndef BOOT_S390X_PROGRAM_H
#define BOOT_S390X_PROGRAM_H

#include "ccw/css.h"

/* The program: the tour (tour_main.c) or ccwboot (ccwboot_main.c). */
int boot_program(struct css *css, const char *cmdline);

#endif /* BOOT_S390X_PROGRAM_H */
