/*
 * The device tour: the program the s390x image and ccwsim run. It lists the
 * subchannels, identifies each device and checks it, printing TEST lines and
 * a RESULT line (DESIGN.md, "The image's output protocol").
 */
#ifndef BOOT_TOUR_H
#define BOOT_TOUR_H

#include "ccw/css.h" /* struct css */

/*
 * Run the tour on the machine's channel-subsystem layer css (set up with
 * css_init()) with the given command line: options separated by blanks,
 * "crash" executes an invalid instruction on purpose, "fail" adds a failing
 * test so the failure exit can be seen, "bench" times channel-program round
 * trips, "classic" keeps virtio devices on classic indicators. Prints everything through the port's console. Returns the number
 * of failed tests.
 */
int tour_main(struct css *css, const char *cmdline);

#endif /* BOOT_TOUR_H */
