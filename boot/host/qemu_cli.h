/*
 * ccwsim's QEMU command line: -device, -drive, -netdev, -nic, -chardev,
 * -object, -fsdev, -m, -append and the rest, read with QEMU 7.2's rules
 * and built into a simulated machine. What the simulator models behaves
 * as on QEMU; everything else is refused with a reason, never ignored.
 */
#ifndef BOOT_HOST_QEMU_CLI_H
#define BOOT_HOST_QEMU_CLI_H

#include "ring/base.h"
#include "sim/sim.h"

/* Devices a machine may hold: the tour lists 256 (boot/tour_priv.h). */
#define QM_MAX_DEVICES 256u

struct qm;

/* A machine to describe; NULL when out of memory. */
struct qm *qm_new(void);

/* Close what no device took over and free everything. NULL is allowed. */
void qm_free(struct qm *m);

/*
 * Whether name (an option without its dashes) is a QEMU option ccwsim
 * reads: 1 when it takes a value, 0 when it is a flag, -1 when unknown.
 */
int qm_option_kind(const char *name);

/*
 * Take one QEMU option in command-line order (value NULL for a flag).
 * Returns 0, or -1 after printing why it is refused.
 */
int qm_option(struct qm *m, const char *name, const char *value);

/* Guest memory from -m (0: not given), the command line from -append. */
u64 qm_mem_size(const struct qm *m);
const char *qm_append(const struct qm *m);

/* The device with the lowest bootindex= after qm_build(): its subchannel
 * set and device number; false when no device has one. */
bool qm_boot_device(const struct qm *m, unsigned *ssid, unsigned *devno);

/* When that device is a scsi-hd or scsi-cd: its scsi-id and lun (the
 * subchannel and number above are its virtio-scsi-ccw's). */
bool qm_boot_scsi(const struct qm *m, unsigned *target, unsigned *lun);

/* Whether -kernel was given. */
bool qm_has_kernel(const struct qm *m);

/* The -bios FILE QEMU would run: given without -kernel (with -kernel,
 * QEMU starts the kernel and the firmware is not run); NULL otherwise. */
const char *qm_bios_run(const struct qm *m);

/* -M s390-ccw-virtio,loadparm=: at most QM_LOADPARM_LEN characters, in
 * upper case; "" when not given. */
#define QM_LOADPARM_LEN 8u
const char *qm_loadparm(const struct qm *m);

/* -nodefaults, or a Hercules configuration: no default devices. */
void qm_no_defaults(struct qm *m);

/* QEMU's virtio-rng from a seeded generator (ccwsim --rng-seed). */
void qm_rng_seed(struct qm *m, u64 seed);

/*
 * Build the machine: back-ends, then the devices in command-line order
 * (QEMU's default NIC first unless -nodefaults). Returns 0, or -1 after
 * printing why.
 */
int qm_build(struct qm *m, struct sim *sim);

/*
 * Devices that come and go while the program runs, in QEMU's monitor
 * spelling: device_add takes a -device value (its back-ends given on the
 * command line), device_del a device's id=. Each makes the channel report
 * QEMU makes. Return 0, or -1 with the reason in why (256 bytes).
 */
int qm_device_add(struct qm *m, const char *spec, char *why);

/* Whether spec names a device qm_device_add() can plug in (its driver);
 * the properties are checked when it is added. 0, or -1 with why. */
int qm_device_check(const char *spec, char *why);
int qm_device_del(struct qm *m, const char *id, char *why);

#endif /* BOOT_HOST_QEMU_CLI_H */
