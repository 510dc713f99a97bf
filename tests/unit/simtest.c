/* Test fixture for the simulator suites. */
#include <string.h>

#include "tests/unit/simtest.h"
#include "tests/unit/unit.h"

struct sim_config simtest_config(enum sim_profile profile, enum sim_completion completion)
{
	struct sim_config cfg = sim_config_default();

	cfg.mem_size = SIMTEST_MEM;
	cfg.profile = profile;
	cfg.completion = completion;
	cfg.mss = true;
	return cfg;
}

bool simtest_open(struct simtest *t, const struct sim_config *cfg)
{
	memset(t, 0, sizeof(*t));
	t->sim = sim_create(cfg);
	if (!t->sim)
		return false;
	t->next = SIMTEST_BASE;
	sim_set_isc_mask(t->sim, 0xFF);
	return true;
}

bool simtest_init_cfg(struct simtest *t, const struct sim_config *cfg, u16 devno)
{
	long schid;

	if (!simtest_open(t, cfg))
		return false;
	schid = sim_testdev_attach(t->sim, 0, 0, devno, &t->dev);
	if (schid < 0) {
		simtest_fini(t);
		return false;
	}
	t->schid = (u32)schid;
	return true;
}

bool simtest_init(struct simtest *t, enum sim_profile profile, enum sim_completion completion)
{
	struct sim_config cfg = simtest_config(profile, completion);

	return simtest_init_cfg(t, &cfg, 0x0100);
}

void simtest_fini(struct simtest *t)
{
	sim_destroy(t->sim);
	t->sim = NULL;
}

u64 simtest_alloc(struct simtest *t, u64 size, u64 align)
{
	u64 a = ALIGN_UP(t->next, align ? align : 8);
	void *p = sim_mem_ptr(t->sim, a, size);

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	memset(p, 0, size);
	t->next = a + size;
	return a;
}

void *simtest_ptr(struct simtest *t, u64 addr, u64 len)
{
	void *p = sim_mem_ptr(t->sim, addr, len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	return p;
}

void simtest_enable(struct simtest *t, u32 schid, unsigned isc)
{
	struct schib s;
	u16 flags;

	CU_ASSERT_EQUAL_FATAL(simtest_stsch(t, schid, &s), 0);
	flags = be16_to_cpu(s.pmcw.flags);
	flags &= (u16)~PMCW_FLAGS_ISC_MASK;
	flags |= PMCW_FLAGS_ENA | (u16)(isc << PMCW_FLAGS_ISC_SHIFT);
	s.pmcw.flags = cpu_to_be16(flags);
	CU_ASSERT_EQUAL_FATAL(simtest_msch(t, schid, &s), 0);
}

void simtest_ccw1(struct simtest *t, u64 prog, unsigned i, u8 cmd, u8 flags, u16 count, u32 cda)
{
	struct ccw1 c = ccw1_make(cmd, flags, count, cda);

	memcpy(simtest_ptr(t, prog + 8 * i, 8), &c, 8);
}

void simtest_ccw0(struct simtest *t, u64 prog, unsigned i, u8 cmd, u8 flags, u16 count, u32 cda)
{
	struct ccw0 c = ccw0_make(cmd, flags, count, cda);

	memcpy(simtest_ptr(t, prog + 8 * i, 8), &c, 8);
}

u64 simtest_orb(struct simtest *t, u32 intparm, u32 ctrl, u32 cpa)
{
	u64 a = simtest_alloc(t, sizeof(struct orb), 8);
	struct orb *o = simtest_ptr(t, a, sizeof(*o));

	o->intparm = cpu_to_be32(intparm);
	o->ctrl = cpu_to_be32(ctrl);
	o->cpa = cpu_to_be32(cpa);
	return a;
}

int simtest_ssch(struct simtest *t, u32 schid, u32 intparm, u32 ctrl, u32 cpa)
{
	return sim_ssch(t->sim, schid, simtest_orb(t, intparm, ctrl, cpa));
}

int simtest_tsch(struct simtest *t, u32 schid, struct irb *irb)
{
	u64 a = simtest_alloc(t, sizeof(struct irb), 8);
	int cc = sim_tsch(t->sim, schid, a);

	memcpy(irb, simtest_ptr(t, a, sizeof(*irb)), sizeof(*irb));
	return cc;
}

int simtest_stsch(struct simtest *t, u32 schid, struct schib *schib)
{
	u64 a = simtest_alloc(t, sizeof(struct schib), 8);
	int cc = sim_stsch(t->sim, schid, a);

	memcpy(schib, simtest_ptr(t, a, sizeof(*schib)), sizeof(*schib));
	return cc;
}

int simtest_msch(struct simtest *t, u32 schid, const struct schib *schib)
{
	u64 a = simtest_alloc(t, sizeof(struct schib), 8);

	memcpy(simtest_ptr(t, a, sizeof(*schib)), schib, sizeof(*schib));
	return sim_msch(t->sim, schid, a);
}
