/*
 * A generic test control unit for the simulator: WRITE (0x01) stores the
 * data, READ (0x02) gives it back, control 0x07 does nothing, and every
 * other device command is rejected. It can be told to answer the next
 * command (or every command) with any status.
 */
#ifndef SIM_TESTDEV_H
#define SIM_TESTDEV_H

#include "sim.h" /* a sibling: the same in the tree and installed */

#ifdef __cplusplus
extern "C" {
#endif

#define SIM_TESTDEV_CMD_WRITE 0x01
#define SIM_TESTDEV_CMD_READ 0x02
#define SIM_TESTDEV_CMD_CONTROL 0x07

/* Identity it reports by default: CU 0x5001 model 1, device 0x5002 model 2. */
#define SIM_TESTDEV_CU_TYPE 0x5001
#define SIM_TESTDEV_DEV_TYPE 0x5002

struct sim_testdev_answer {
	enum sim_io_result result;
	uint8_t dstat;                  /* for SIM_IO_OK; 0 means channel end + device end */
	uint8_t sense[SIM_SENSE_LEN];  /* stored with a unit check in dstat */
	bool sticky;               /* every command, not only the next */
};

struct sim_testdev {
	uint8_t *buf;
	uint32_t cap;
	uint32_t len;                   /* bytes stored by the last WRITE */
	bool answer_armed;
	struct sim_testdev_answer answer;
	/* What happened, for tests. */
	unsigned commands;
	uint8_t last_cmd;
	unsigned resets;
	unsigned enables, disables;
};

extern const struct sim_cu_ops sim_testdev_ops;

/*
 * A control unit that knows no command beyond those the channel subsystem
 * answers itself (SENSE ID, BASIC SENSE, NOP): it rejects the rest. Its
 * context is unused.
 */
extern const struct sim_cu_ops sim_reject_ops;

/*
 * The test device's place and identity (CU 0x5001 model 1, device 0x5002
 * model 2) for sim_attach(): for a control unit of one's own that wraps a
 * sim_testdev (its ops calling sim_testdev_ops'), as sim_testdev_attach()
 * does with the plain one.
 */
struct sim_dev_config sim_testdev_config(unsigned ssid, int schno, uint16_t devno);

/* A test device holding up to cap bytes; NULL when out of memory. */
struct sim_testdev *sim_testdev_new(uint32_t cap);

/*
 * Attach a new test device as devno in set ssid (schno -1: the next free).
 * Returns the subchannel-id word, or SIM_ERR. The device is freed with the sim.
 */
long sim_testdev_attach(struct sim *sim, unsigned ssid, int schno, uint16_t devno, struct sim_testdev **out);

/* Answer the next command (or all, if sticky) as given. */
void sim_testdev_set_answer(struct sim_testdev *t, const struct sim_testdev_answer *a);

#ifdef __cplusplus
}
#endif

#endif /* SIM_TESTDEV_H */
