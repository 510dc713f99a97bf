/*
 * libccwsim, every public header at once: the machine and its I/O
 * instructions (sim.h), the test control unit (testdev.h), virtio-ccw with
 * its device models (vdev.h), the 3215 console (con3215.h), the 3505
 * reader and 1403 printer (unitrec.h), and the 3390 on a 3990 over a CKD
 * image file (dasd.h). Installed as <ccwsim/ccwsim.h>; see the README,
 * "Using libccwsim in your project".
 */
#ifndef SIM_CCWSIM_H
#define SIM_CCWSIM_H

#include "sim.h"
#include "testdev.h"
#include "vdev.h"
#include "con3215.h"
#include "unitrec.h"
#include "dasd.h"

#endif /* SIM_CCWSIM_H */
