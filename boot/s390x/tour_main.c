/* The tour image's program on the s390x port: the device tour. */
#include "boot/s390x/program.h"
#include "boot/tour.h" /* tour_main */

int boot_program(struct css *css, const char *cmdline)
{
	return tour_main(css, cmdline);
}
