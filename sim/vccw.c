/* Placeholder: the simulated virtio-ccw control unit (being written). */
#include "sim/vccw.h"
