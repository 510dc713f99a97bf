/* The driver-on-the-simulator rig of drvrig.h. */
#include "tests/unit/drvrig.h"

#include <stdio.h>
#include <string.h>

#include "boot/host/host.h"
#include "ccw/port.h"

struct sim *drvrig_machine(enum sim_profile p, enum sim_completion c, u64 mem, bool mss)
{
	struct sim_config cfg = sim_config_default();

	cfg.profile = p;
	cfg.completion = c;
	cfg.mem_size = mem ? mem : DRVRIG_MEM;
	cfg.mss = mss;
	return sim_create(&cfg);
}

bool drvrig_attached(long rc, const char *what, const char *why, u32 *schid)
{
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", what, why && why[0] ? why : "cannot attach");
		return false;
	}
	*schid = (u32)rc;
	return true;
}

bool drvrig_bind(struct sim *sim, struct css *css)
{
	host_bind(sim);
	return css_init(css) == 0;
}

struct vccw *drvrig_transport(void)
{
	return port_dma_alloc(sizeof(struct vccw), 8);
}

int drvrig_vccw_init(struct vccw *v, struct css *css, u32 schid, unsigned id)
{
	int err = vccw_init(v, css, schid, id, NULL);

	if (err)
		fprintf(stderr, "vccw_init: %s\n", v->vdev.why);
	return err;
}

static struct {
	char text[4096];
	size_t n;
} captured;

static void capture(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	n = MIN(n, sizeof(captured.text) - 1 - captured.n);
	memcpy(captured.text + captured.n, s, n);
	captured.n += n;
	captured.text[captured.n] = '\0';
}

void drvrig_capture(void)
{
	captured.n = 0;
	captured.text[0] = '\0';
	host_set_output(capture, NULL);
}

const char *drvrig_captured(void)
{
	return captured.text;
}

void *drvrig_mem(u64 addr, u64 len)
{
	struct sim *sim = host_sim();

	return sim ? sim_mem_ptr(sim, addr, len) : NULL;
}

void drvrig_close(struct sim **sim)
{
	host_set_output(NULL, NULL);
	sim_destroy(*sim);
	*sim = NULL;
	host_bind(NULL);
}
