/* Guest memory: one region, every access bounds-checked. */
#include <string.h>

#include "sim/internal.h"

bool sim_mem_ok(const struct sim *sim, u64 addr, u64 len)
{
	return addr <= sim->cfg.mem_size && len <= sim->cfg.mem_size - addr;
}

u64 sim_mem_size(const struct sim *sim)
{
	return sim->cfg.mem_size;
}

void *sim_mem_ptr(struct sim *sim, u64 addr, u64 len)
{
	if (!sim_mem_ok(sim, addr, len))
		return NULL;
	return sim->mem + addr;
}

bool sim_mem_addr(const struct sim *sim, const void *p, u64 len, u64 *addr)
{
	uintptr_t base = (uintptr_t)sim->mem;
	uintptr_t q = (uintptr_t)p;

	if (q < base || !sim_mem_ok(sim, (u64)(q - base), len))
		return false;
	*addr = (u64)(q - base);
	return true;
}

bool sim_mem_read(const struct sim *sim, u64 addr, void *buf, u64 len)
{
	if (!sim_mem_ok(sim, addr, len))
		return false;
	memcpy(buf, sim->mem + addr, len);
	return true;
}

bool sim_mem_write(struct sim *sim, u64 addr, const void *buf, u64 len)
{
	if (!sim_mem_ok(sim, addr, len))
		return false;
	memcpy(sim->mem + addr, buf, len);
	return true;
}

bool sim_mem_protect(struct sim *sim, u64 addr, u64 len)
{
	if (!len || !sim_mem_ok(sim, addr, len) || sim->nprotect >= SIM_MAX_PROTECT)
		return false;
	sim->protect[sim->nprotect].addr = addr;
	sim->protect[sim->nprotect].len = len;
	sim->nprotect++;
	return true;
}

bool sim_mem_protected(const struct sim *sim, u64 addr, u64 len)
{
	unsigned i;

	for (i = 0; i < sim->nprotect; i++) {
		const struct sim_range *r = &sim->protect[i];

		if (addr < r->addr + r->len && r->addr < addr + len)
			return true;
	}
	return false;
}
