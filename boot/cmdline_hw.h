/*
 * The image's command-line area (reference/platforms.md 4.1): QEMU's
 * -append and Hercules' parameter file land at 0x10480, and the image's
 * code starts at 0x11000, so the area holds 0xB80 bytes with the NUL. The
 * image declares that size at 0x10430, where QEMU reads its limit (896
 * bytes when the field is 0). Macros only: start.S includes it.
 */
#ifndef BOOT_CMDLINE_HW_H
#define BOOT_CMDLINE_HW_H

#define TOUR_CMDLINE_ADDR 0x10480
#define TOUR_CMDLINE_AREA 0xB80 /* bytes, the NUL included: up to 0x11000 */

#endif /* BOOT_CMDLINE_HW_H */
