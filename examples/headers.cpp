// libccwsim from C++: every public header through the umbrella one, the C
// functions called with C linkage, a machine built and a test device
// found on it with STORE SUBCHANNEL.
#include <cstdio>
#include <cstring>

#include <ccwsim/ccwsim.h>

int main()
{
	sim_config cfg = sim_config_default();
	cfg.profile = SIM_PROFILE_ARCH;
	sim *m = sim_create(&cfg);
	if (!m) {
		std::puts("sim_create failed");
		return 1;
	}
	sim_testdev *dev = nullptr;
	long schid = sim_testdev_attach(m, 0, 7, 0x0707, &dev);
	unsigned char schib[52];
	int cc = schid < 0 ? 3 : sim_stsch(m, static_cast<uint64_t>(schid), 0x1000);
	bool ok = schid == 0x00010007 && dev && cc == 0 && sim_mem_read(m, 0x1000, schib, sizeof(schib)) &&
		  schib[6] == 0x07 && schib[7] == 0x07;
	sim_destroy(m);
	std::printf("libccwsim %s from C++: %s\n", SIM_VERSION, ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}
