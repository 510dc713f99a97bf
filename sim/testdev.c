/* The generic test control unit: an echo device with settable answers. */
#include <stdlib.h>
#include <string.h>

#include "ccw/css_hw.h"
#include "ring/base.h"
#include "sim/testdev.h"

static void testdev_command(void *cu, struct sim_io *io)
{
	struct sim_testdev *t = cu;
	long n;

	t->commands++;
	t->last_cmd = io->cmd;
	if (t->answer_armed) {
		const struct sim_testdev_answer *a = &t->answer;

		if (!a->sticky)
			t->answer_armed = false;
		io->result = a->result;
		if (a->dstat)
			io->dstat = a->dstat;
		if (a->dstat & SCSW_DSTAT_UNIT_CHECK) {
			memcpy(io->sense, a->sense, SENSE_DATA_LEN);
			io->want = io->count; /* no length complaint with a unit check */
		}
		if (a->result != SIM_IO_OK || a->dstat)
			return;
	}
	switch (io->cmd) {
	case SIM_TESTDEV_CMD_WRITE:
		n = sim_io_read(io, 0, t->buf, MIN(io->count, t->cap));
		if (n < 0)
			return;
		t->len = (u32)n;
		/* It takes what fits; a longer write is an incorrect length. */
		io->want = MIN(io->count, t->cap);
		break;
	case SIM_TESTDEV_CMD_READ:
		if (sim_io_write(io, 0, t->buf, t->len) < 0)
			return;
		io->want = t->len;
		break;
	case SIM_TESTDEV_CMD_CONTROL:
		io->want = 0;
		break;
	default:
		io->result = SIM_IO_REJECT;
		break;
	}
}

static void testdev_enable_changed(void *cu, bool enabled)
{
	struct sim_testdev *t = cu;

	if (enabled)
		t->enables++;
	else
		t->disables++;
}

static void testdev_reset(void *cu)
{
	((struct sim_testdev *)cu)->resets++;
}

static void testdev_destroy(void *cu)
{
	struct sim_testdev *t = cu;

	free(t->buf);
	free(t);
}

const struct sim_cu_ops sim_testdev_ops = {
	.command = testdev_command,
	.enable_changed = testdev_enable_changed,
	.reset = testdev_reset,
	.destroy = testdev_destroy,
};

struct sim_testdev *sim_testdev_new(u32 cap)
{
	struct sim_testdev *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->buf = calloc(1, cap ? cap : 1);
	if (!t->buf) {
		free(t);
		return NULL;
	}
	t->cap = cap;
	return t;
}

struct sim_dev_config sim_testdev_config(unsigned ssid, int schno, u16 devno)
{
	struct sim_dev_config cfg = {
		.ssid = ssid,
		.schno = schno,
		.devno = devno,
		.cu_type = SIM_TESTDEV_CU_TYPE,
		.cu_model = 1,
		.dev_type = SIM_TESTDEV_DEV_TYPE,
		.dev_model = 2,
	};

	return cfg;
}

long sim_testdev_attach(struct sim *sim, unsigned ssid, int schno, u16 devno, struct sim_testdev **out)
{
	struct sim_dev_config cfg = sim_testdev_config(ssid, schno, devno);
	struct sim_testdev *t = sim_testdev_new(65536);
	long schid;

	if (!t)
		return SIM_ERR;
	schid = sim_attach(sim, &cfg, &sim_testdev_ops, t);
	if (schid < 0) {
		testdev_destroy(t);
		return SIM_ERR;
	}
	if (out)
		*out = t;
	return schid;
}

void sim_testdev_set_answer(struct sim_testdev *t, const struct sim_testdev_answer *a)
{
	t->answer = *a;
	t->answer_armed = true;
}

static void reject_command(void *cu, struct sim_io *io)
{
	(void)cu;
	io->result = SIM_IO_REJECT;
}

const struct sim_cu_ops sim_reject_ops = {
	.command = reject_command,
};
