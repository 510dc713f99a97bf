/*
 * A hostile virtio device for the driver suites: it answers every buffer
 * posted on one queue at once, with the same few bytes, so a driver that
 * reposts and looks again would never be done. Bounded drivers give up.
 */
#ifndef TESTS_UNIT_FLOOD_H
#define TESTS_UNIT_FLOOD_H

#include "ccw/css.h"
#include "sim/vccw.h"

struct flood {
	struct sim_virtio_model model;
	u16 qmax[4];
	unsigned q;          /* the queue it floods */
	u8 msg[16];          /* what each used buffer holds */
	u32 len;             /* ... and its used length */
	unsigned long pushes;
	struct sim *sim;
	struct css css;
	u32 schid;
};

/*
 * A machine (qemu profile, synchronous completion) with the flooding device
 * as virtio device id on 0.0.0001, nq queues of qmax[] entries (filled by
 * the caller with q, msg and len first), bound to the port, the css layer
 * up. config_len/read_config/features in f->model are kept when set.
 */
bool flood_up(struct flood *f, unsigned id, unsigned nq);
void flood_down(struct flood *f);

#endif /* TESTS_UNIT_FLOOD_H */
