/*
 * The project's drivers on the simulator: the one rig of every suite that
 * runs ccw/ and devices/ code against simulated devices (vblk, vnet, vcon,
 * vrng, vccw, eckd, con3215, css, faults, the flooding device). A suite
 * keeps a struct for what it adds; the machine, the binding of the host
 * port, the channel-subsystem layer, the virtio transport and the
 * teardown come from here.
 */
#ifndef TESTS_UNIT_DRVRIG_H
#define TESTS_UNIT_DRVRIG_H

#include "ccw/css.h"
#include "ccw/vccw.h"
#include "ring/base.h"
#include "sim/sim.h"

/* Guest memory when a suite does not say: 8 MiB. */
#define DRVRIG_MEM (8u << 20)

/* A machine: sim_config_default() with this profile, completion mode,
 * guest memory (0: DRVRIG_MEM) and multiple-subchannel-set facility. */
struct sim *drvrig_machine(enum sim_profile p, enum sim_completion c, u64 mem, bool mss);

/* An attach function's result: true with the subchannel in *schid, or
 * false after printing what could not be attached and why. */
bool drvrig_attached(long rc, const char *what, const char *why, u32 *schid);

/* The devices are in place: bind the host port to sim and set up the
 * layer on it. */
bool drvrig_bind(struct sim *sim, struct css *css);

/* A virtio-ccw transport for the driver, in DMA memory; NULL when short. */
struct vccw *drvrig_transport(void);

/* vccw_init() of the transport for the device on schid (virtio device id
 * id); its error, printed with the reason. */
int drvrig_vccw_init(struct vccw *v, struct css *css, u32 schid, unsigned id);

/* What the port prints from now on, kept (up to 4 KiB) instead of shown;
 * drvrig_captured() gives it so far, drvrig_close() ends the capture. */
void drvrig_capture(void);
const char *drvrig_captured(void);

/* The bound machine's guest memory [addr, addr + len), or NULL. */
void *drvrig_mem(u64 addr, u64 len);

/* End the machine (NULL allowed) and unbind the port; *sim becomes NULL. */
void drvrig_close(struct sim **sim);

#endif /* TESTS_UNIT_DRVRIG_H */
