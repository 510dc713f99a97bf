/*
 * ccwsim's option parsers on their own, without a tour: the QEMU command
 * line (boot/host/qemu_cli.c) and the Hercules configuration
 * (boot/host/herc_cfg.c). Each case gives options, builds a machine, and
 * checks what was attached, or the refusal and its message on stderr.
 * tests/sim/refuse.sh and compare.sh run the same rules through the
 * program, against QEMU.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot/host/herc_cfg.h"
#include "boot/host/qemu_cli.h"
#include "sim/dasd.h"
#include "sim/vdev.h"
#include "tests/unit/unit.h"

/* --- stderr, captured ----------------------------------------------------------- */

static int saved_stderr = -1;
static FILE *captured;
static char said[4096];

static void capture(void)
{
	fflush(stderr);
	captured = tmpfile();
	CU_ASSERT_PTR_NOT_NULL_FATAL(captured);
	saved_stderr = dup(2);
	dup2(fileno(captured), 2);
}

/* What was printed since capture(); stderr is restored. */
static const char *release(void)
{
	size_t n;

	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	rewind(captured);
	n = fread(said, 1, sizeof(said) - 1, captured);
	said[n] = 0;
	fclose(captured);
	return said;
}

/* --- QEMU's command line ------------------------------------------------------- */

/* A machine with the qemu profile, as ccwsim builds (less memory). */
static struct sim *machine(void)
{
	struct sim *sim = sim_create(&(struct sim_config){ .mem_size = 16u << 20,
							    .profile = SIM_PROFILE_QEMU,
							    .mss = true });

	CU_ASSERT_PTR_NOT_NULL_FATAL(sim);
	return sim;
}

/* The device number of subchannel schno in set ssid, or -1 when none. */
static long devno_at(struct sim *sim, unsigned ssid, unsigned schno)
{
	u8 *schib = sim_mem_ptr(sim, 0x1000, 52);

	if (sim_stsch(sim, 0x00010000u | ssid << 17 | schno, 0x1000) != 0)
		return -1;
	return schib[6] << 8 | schib[7];
}

/*
 * Take the options (name, value pairs; value NULL for a flag; name NULL
 * ends) and build; returns the first failure's result (0: all taken and
 * built), the machine in *out (destroyed by the caller) and stderr in
 * said.
 */
static int qm_run(const char *const *opts, struct sim **out, struct qm **qmo)
{
	struct qm *m = qm_new();
	int rc = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	*out = machine();
	capture();
	for (; rc == 0 && opts[0]; opts += 2)
		rc = qm_option(m, opts[0], opts[1]);
	if (rc == 0)
		rc = qm_build(m, *out);
	release();
	if (qmo)
		*qmo = m;
	else
		qm_free(m);
	return rc;
}

static void test_option_kinds(void)
{
	CU_ASSERT_EQUAL(qm_option_kind("device"), 1);
	CU_ASSERT_EQUAL(qm_option_kind("append"), 1);
	CU_ASSERT_EQUAL(qm_option_kind("serial"), 1);     /* taken, changes nothing seen */
	CU_ASSERT_EQUAL(qm_option_kind("nodefaults"), 0);
	CU_ASSERT_EQUAL(qm_option_kind("nographic"), 0);
	CU_ASSERT_EQUAL(qm_option_kind("cdrom"), 1);
	CU_ASSERT_EQUAL(qm_option_kind("hdd"), 1);
	CU_ASSERT_EQUAL(qm_option_kind("hde"), -1);
	CU_ASSERT_EQUAL(qm_option_kind("no-such-option"), -1);
	CU_ASSERT_EQUAL(qm_option_kind(""), -1);
}

/* Without -nodefaults QEMU's default NIC comes first, at 0.0.0000. */
static void test_default_nic(void)
{
	static const char *const none[] = { NULL };
	static const char *const nodef[] = { "nodefaults", NULL, NULL };
	static const char *const nic_none[] = { "nic", "none", NULL };
	struct sim *sim;

	CU_ASSERT_EQUAL(qm_run(none, &sim, NULL), 0);
	CU_ASSERT_EQUAL(devno_at(sim, 0, 0), 0x0000);
	CU_ASSERT_PTR_NOT_NULL(sim_net_find(sim, 0x00010000));
	sim_destroy(sim);
	CU_ASSERT_EQUAL(qm_run(nodef, &sim, NULL), 0);
	CU_ASSERT_EQUAL(devno_at(sim, 0, 0), -1);
	sim_destroy(sim);
	CU_ASSERT_EQUAL(qm_run(nic_none, &sim, NULL), 0);
	CU_ASSERT_EQUAL(devno_at(sim, 0, 0), -1);
	sim_destroy(sim);
}

/* Devices land where devno= puts them, in command-line order otherwise;
 * other subchannel sets too. */
static void test_placement(void)
{
	static const char *const opts[] = {
		"nodefaults", NULL,
		"device", "virtio-rng-ccw",
		"device", "virtio-rng-ccw,devno=fe.0.0042",
		"device", "virtio-rng-ccw",
		"device", "virtio-rng-ccw,devno=fe.2.1234",
		NULL,
	};
	struct sim *sim;

	CU_ASSERT_EQUAL_FATAL(qm_run(opts, &sim, NULL), 0);
	/* Without devno= QEMU takes the next free number in set 0. */
	CU_ASSERT_EQUAL(devno_at(sim, 0, 0), 0x0000);
	CU_ASSERT_EQUAL(devno_at(sim, 0, 1), 0x0042);
	CU_ASSERT_EQUAL(devno_at(sim, 0, 2), 0x0001);
	/* Set 2 is there (STSCH sees it once the program enables the sets). */
	CU_ASSERT_PTR_NOT_NULL(sim_vccw_find(sim, 0x00050000));
	CU_ASSERT_PTR_NULL(sim_vccw_find(sim, 0x00050001));
	sim_destroy(sim);
}

/* A disk from -drive, with the block properties QEMU accepts. */
/* A temporary file of size bytes (zeros) at path, made from name. */
static void temp_file(char *path, size_t len, const char *name, off_t size)
{
	int fd;

	unit_temp_template(path, len, name);
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL_FATAL(ftruncate(fd, size), 0);
	close(fd);
}

static void test_disk(void)
{
	char path[256], opt[320];
	const char *opts[] = {
		"nodefaults", NULL,
		"drive", opt,
		"device", "virtio-blk-ccw,drive=d0,logical_block_size=4096,physical_block_size=4096",
		NULL,
	};
	struct sim *sim;

	temp_file(path, sizeof(path), "qm-disk", 1 << 20);
	snprintf(opt, sizeof(opt), "if=none,id=d0,file=%s,format=raw", path);
	CU_ASSERT_EQUAL(qm_run(opts, &sim, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(sim_blk_find(sim, 0x00010000));
	sim_destroy(sim);
	unlink(path);
}

/* -hdb and -cdrom: QEMU's short forms, each a virtio-blk-ccw of its own in
 * command-line order; a comma in the file name is part of the name. */
static void test_short_forms(void)
{
	char path[256], comma[300];
	const char *opts[] = {
		"nodefaults", NULL, "hdb", path, "cdrom", comma, NULL,
	};
	struct sim *sim;
	int fd;

	temp_file(path, sizeof(path), "qm-hdb", 1 << 20);
	snprintf(comma, sizeof(comma), "%s,cd", path);
	fd = open(comma, O_CREAT | O_RDWR, 0600);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL_FATAL(ftruncate(fd, 2048 * 20), 0);
	close(fd);
	CU_ASSERT_EQUAL(qm_run(opts, &sim, NULL), 0);
	CU_ASSERT_EQUAL(devno_at(sim, 0, 0), 0x0000);
	CU_ASSERT_EQUAL(devno_at(sim, 0, 1), 0x0001);
	CU_ASSERT_PTR_NOT_NULL(sim_blk_find(sim, 0x00010000));
	CU_ASSERT_PTR_NOT_NULL(sim_blk_find(sim, 0x00010001));
	CU_ASSERT_EQUAL(devno_at(sim, 0, 2), -1);
	sim_destroy(sim);
	unlink(comma);
	unlink(path);
}

/* Refusals: each option set fails, and stderr says why. */
static void test_refusals(void)
{
	static const struct {
		const char *opts[8];
		const char *says;
	} cases[] = {
		{ { "device", "no-such-device" }, "'no-such-device' is not a valid device model name" },
		{ { "device", "vhost-scsi-ccw" }, "'vhost-scsi-ccw' is not simulated" },
		{ { "device", "virtio-rng-ccw,foo=1" }, "virtio-rng-ccw has no property 'foo'" },
		{ { "device", "virtio-rng-ccw,devno=fe.4.0001" }, "Invalid cssid or ssid" },
		{ { "device", "virtio-rng-ccw,devno=fe.0.0001", "device",
		    "virtio-rng-ccw,devno=fe.0.0001" }, "Device fe.0.0001 already exists" },
		{ { "device", "virtio-blk-ccw,drive=nope" }, "can't find value 'nope'" },
		{ { "device", "virtio-rng-ccw,period=0" }, "'period' parameter expects a positive integer" },
		{ { "netdev", "tap,id=n0" }, "-netdev tap is not simulated" },
		{ { "netdev", "user,id=n0,net=300.1.1.1" }, "Failed to parse netmask" },
		{ { "nic", "user" }, "-nic user: not simulated" },
		{ { "m", "0" }, "takes MiB" },
		{ { "m", "5G" }, "takes MiB" },
		{ { "m", "12X" }, "takes MiB" },
		{ { "M", "pc" }, "only the s390-ccw-virtio machine is simulated" },
		{ { "M", "s390-ccw-virtio,accel=kvm" }, "machine property 'accel=kvm' is not simulated" },
		{ { "M", "s390-ccw-virtio,loadparm=a_b" }, "loadparm takes letters, digits" },
		{ { "device", "virtio-net-ccw,bootindex=1", "device", "virtio-net-ccw,bootindex=1" },
		  "the bootindex 1 has already been used" },
		{ { "device", "virtio-net-ccw,bootindex=one" }, "Parameter 'bootindex' expects an integer" },
		{ { "device", "virtio-net-ccw,bootindex=2147483648" },
		  "Parameter 'bootindex' expects an integer" },
		{ { "cpu", "z14" }, "CPU models are not simulated" },
		{ { "global", "virtio-blk-ccw.scsi=off" }, "give the property on the -device" },
		{ { "chardev", "socket,id=c0,path=x" }, "-chardev socket is not simulated" },
		{ { "chardev", "null,id=c0", "chardev", "null,id=c0" }, "Duplicate ID 'c0' for chardev" },
		{ { "device", "virtio-rng-ccw,id=r", "device", "virtio-rng-ccw,id=r" },
		  "Duplicate ID 'r' for device" },
		{ { "device", "virtio-rng-ccw,id=1r" }, "Parameter 'id' expects an identifier" },
		{ { "netdev", "user,id=n/0" }, "Parameter 'id' expects an identifier" },
		{ { "cdrom", "x.iso", "cdrom", "y.iso" },
		  "-cdrom y.iso: drive with bus=0, unit=2 (index=2) exists" },
		{ { "hdc", "x.img", "cdrom", "y.iso" },
		  "-cdrom y.iso: drive with bus=0, unit=2 (index=2) exists" },
		{ { "hda", "no-such-file.img" },
		  "-hda no-such-file.img: cannot open no-such-file.img: No such file" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *opts[12] = { "nodefaults", NULL };
		struct sim *sim;
		int rc;

		memcpy(opts + 2, cases[i].opts, sizeof(cases[i].opts));
		rc = qm_run(opts, &sim, NULL);
		CU_ASSERT_EQUAL(rc, -1);
		if (!strstr(said, cases[i].says)) {
			fprintf(stderr, "case %zu: wanted \"%s\", got \"%s\"\n", i, cases[i].says, said);
			CU_FAIL("refusal message");
		}
		sim_destroy(sim);
	}
}

/* The boot device is the lowest bootindex (a negative one is none); the
 * loadparm in upper case, its first 8 characters, as QEMU 7.2 takes it. */
static void test_boot_options(void)
{
	static const char *const opts[] = {
		"nodefaults", NULL,
		"M", "s390-ccw-virtio,loadparm=abc.def 123",
		"netdev", "user,id=n",
		"device", "virtio-net-ccw,netdev=n,bootindex=7,devno=fe.0.0005",
		"device", "virtio-rng-ccw,devno=fe.1.0009",
		"device", "virtio-net-ccw,bootindex=3,devno=fe.1.0002",
		"device", "virtio-net-ccw,bootindex=-5,devno=fe.0.0004",
		NULL,
	};
	static const char *const none[] = { "nodefaults", NULL, "device", "virtio-net-ccw",
					    NULL };
	unsigned ssid = 9, devno = 9;
	struct sim *sim;
	struct qm *m;

	CU_ASSERT_EQUAL_FATAL(qm_run(opts, &sim, &m), 0);
	CU_ASSERT(qm_boot_device(m, &ssid, &devno));
	CU_ASSERT_EQUAL(ssid, 1u);
	CU_ASSERT_EQUAL(devno, 0x0002u);
	CU_ASSERT_STRING_EQUAL(qm_loadparm(m), "ABC.DEF ");
	qm_free(m);
	sim_destroy(sim);
	CU_ASSERT_EQUAL_FATAL(qm_run(none, &sim, &m), 0);
	CU_ASSERT_FALSE(qm_boot_device(m, &ssid, &devno));
	CU_ASSERT_STRING_EQUAL(qm_loadparm(m), "");
	qm_free(m);
	sim_destroy(sim);
}

/* -m in MiB or with a suffix; -append kept as given. */
static void test_memory_and_append(void)
{
	static const struct {
		const char *v;
		u64 bytes;
	} sizes[] = { { "256", 256ull << 20 }, { "64M", 64ull << 20 }, { "1G", 1ull << 30 },
		      { "4G", 4ull << 30 } };

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct qm *m = qm_new();

		CU_ASSERT_EQUAL(qm_option(m, "m", sizes[i].v), 0);
		CU_ASSERT_EQUAL(qm_mem_size(m), sizes[i].bytes);
		qm_free(m);
	}
	{
		struct qm *m = qm_new();

		CU_ASSERT_EQUAL(qm_mem_size(m), 0u);
		CU_ASSERT_STRING_EQUAL(qm_append(m), "");
		CU_ASSERT_EQUAL(qm_option(m, "append", "seed=7 console-read"), 0);
		CU_ASSERT_STRING_EQUAL(qm_append(m), "seed=7 console-read");
		qm_free(m);
	}
}

/* 256 devices are taken; the 257th is refused. */
static void test_device_limit(void)
{
	static char vals[QM_MAX_DEVICES + 1][48];
	static const char *opts[2 * (QM_MAX_DEVICES + 2) + 1];
	struct sim *sim;
	unsigned k = 0;

	opts[k++] = "nodefaults";
	opts[k++] = NULL;
	for (unsigned i = 0; i < QM_MAX_DEVICES; i++) {
		snprintf(vals[i], sizeof(vals[i]), "virtio-rng-ccw,devno=fe.0.%04x", i);
		opts[k++] = "device";
		opts[k++] = vals[i];
	}
	opts[k] = NULL;
	CU_ASSERT_EQUAL(qm_run(opts, &sim, NULL), 0);
	CU_ASSERT_EQUAL(devno_at(sim, 0, QM_MAX_DEVICES - 1), QM_MAX_DEVICES - 1);
	sim_destroy(sim);
	snprintf(vals[QM_MAX_DEVICES], sizeof(vals[0]), "virtio-rng-ccw,devno=fe.0.%04x",
		 QM_MAX_DEVICES);
	opts[k++] = "device";
	opts[k++] = vals[QM_MAX_DEVICES];
	opts[k] = NULL;
	CU_ASSERT_EQUAL(qm_run(opts, &sim, NULL), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(said, "256"));
	sim_destroy(sim);
}

/* device_add and device_del after the build, with their channel reports. */
static void test_hotplug(void)
{
	static const char *const opts[] = { "nodefaults", NULL, NULL };
	struct sim *sim;
	struct qm *m;
	char why[256] = "";

	CU_ASSERT_EQUAL_FATAL(qm_run(opts, &sim, &m), 0);
	CU_ASSERT_EQUAL(qm_device_check("virtio-rng-ccw,id=r1", why), 0);
	CU_ASSERT_EQUAL(qm_device_check("no-such-device", why), -1);
	CU_ASSERT(why[0] != 0);
	CU_ASSERT_EQUAL(qm_device_add(m, "virtio-rng-ccw,id=r1,devno=fe.0.0007", why), 0);
	CU_ASSERT_EQUAL(devno_at(sim, 0, 0), 0x0007);
	CU_ASSERT(sim_crw_pending(sim));
	CU_ASSERT_EQUAL(sim_stcrw(sim, 0x2000), 0);
	CU_ASSERT_FALSE(sim_crw_pending(sim));
	why[0] = 0;
	CU_ASSERT_EQUAL(qm_device_add(m, "virtio-rng-ccw,id=r1", why), -1);  /* the id is taken */
	CU_ASSERT(why[0] != 0);
	CU_ASSERT_EQUAL(qm_device_del(m, "r1", why), 0);
	CU_ASSERT_EQUAL(devno_at(sim, 0, 0), -1);
	CU_ASSERT(sim_crw_pending(sim));
	why[0] = 0;
	CU_ASSERT_EQUAL(qm_device_del(m, "r1", why), -1);
	CU_ASSERT(why[0] != 0);
	qm_free(m);
	sim_destroy(sim);
}

/* --- Hercules configurations --------------------------------------------------- */

static char herc_dir[256];

/* Write a configuration file with the given text; its path. */
static const char *herc_file(const char *name, const char *text)
{
	static char path[320];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", herc_dir, name);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void herc_setup(void)
{
	char why[SIM_WHY_LEN];
	char ckd[320];

	unit_temp_template(herc_dir, sizeof(herc_dir), "herc-cfg");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(herc_dir));
	snprintf(ckd, sizeof(ckd), "%s/disk.3390", herc_dir);
	CU_ASSERT_EQUAL_FATAL(sim_ckd_create(ckd, 3, "HERC01", why), 0);
	herc_file("deck.txt", "HELLO\n");
}

static void herc_cleanup(void)
{
	static const char *const files[] = { "disk.3390", "deck.txt", "prt.txt", "h.cnf" };
	char path[320];

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", herc_dir, files[i]);
		unlink(path);
	}
	rmdir(herc_dir);
}

/* Every device type, paths relative to the file, configuration order. */
static void test_herc_config(void)
{
	struct herc_config *h;
	struct sim *sim;

	herc_setup();
	capture();
	h = herc_load(herc_file("h.cnf", "# a comment\n"
					  "ARCHMODE z/Arch\n"
					  "MAINSIZE 64\n"
					  "NUMCPU 1   # trailing comment\n"
					  "0009 3215-C / noprompt\n"
					  "000C 3505 deck.txt ascii eof\n"
					  "000E 1403 prt.txt crlf\n"
					  "0120 3390 disk.3390 ro\n"));
	release();
	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	CU_ASSERT_EQUAL(herc_mainsize(h), 64ull << 20);
	CU_ASSERT_TRUE(herc_has_console(h));
	sim = machine();
	capture();
	CU_ASSERT_EQUAL(herc_build(h, sim), 0);
	release();
	CU_ASSERT_EQUAL(devno_at(sim, 0, 0), 0x0009);
	CU_ASSERT_EQUAL(devno_at(sim, 0, 1), 0x000C);
	CU_ASSERT_EQUAL(devno_at(sim, 0, 2), 0x000E);
	CU_ASSERT_EQUAL(devno_at(sim, 0, 3), 0x0120);
	CU_ASSERT_PTR_NOT_NULL(sim_dasd_find(sim, 0x00010003));
	sim_destroy(sim);
	herc_free(h);
	herc_cleanup();
}

/* What a configuration may not say, with file and line in the message. */
static void test_herc_refusals(void)
{
	static const struct {
		const char *text;
		bool at_load;  /* refused when read (else when built) */
		const char *says;
	} cases[] = {
		{ "MAINSIZE 0\n", true, "h.cnf:1: MAINSIZE takes MiB" },
		{ "MAINSIZE 64\n0200 3420 tape.aws\n", true,
		  "h.cnf:2: device 0200: device type '3420' is not simulated" },
		{ "0200-0201 3390 disk.3390\n", true, "only single device numbers" },
		{ "0120 3390\n", false, "h.cnf:1: 3390 0120: a CKD image file is needed" },
		{ "0120 3390 disk.3390 sf=shadow\n", false, "option 'sf=shadow' is not simulated" },
		{ "0120 3390 none.3390\n", false, "h.cnf:1: 3390 0120:" },
		{ "000C 3505 deck.txt autopad\n", false, "option 'autopad' is not simulated" },
		{ "0009 3215-C\n0009 3215-C\n", false, "device number 0009 is already defined" },
	};

	herc_setup();
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct herc_config *h;
		struct sim *sim = machine();
		int rc = 0;

		capture();
		h = herc_load(herc_file("h.cnf", cases[i].text));
		if (h)
			rc = herc_build(h, sim);
		release();
		CU_ASSERT_EQUAL(h == NULL, cases[i].at_load);
		if (!cases[i].at_load)
			CU_ASSERT_EQUAL(rc, -1);
		if (!strstr(said, cases[i].says)) {
			fprintf(stderr, "case %zu: wanted \"%s\", got \"%s\"\n", i, cases[i].says, said);
			CU_FAIL("refusal message");
		}
		herc_free(h);
		sim_destroy(sim);
	}
	/* A file that is not there. */
	capture();
	CU_ASSERT_PTR_NULL(herc_load("no-such-dir/h.cnf"));
	CU_ASSERT_PTR_NOT_NULL(strstr(release(), "no-such-dir/h.cnf: No such file"));
	herc_cleanup();
}

static CU_TestInfo ccwsim_opts_tests[] = {
	{ "bootindex and loadparm as QEMU takes them", test_boot_options },
	{ "QEMU options: which take a value, which are flags, which are unknown", test_option_kinds },
	{ "QEMU's default NIC at 0.0.0000 unless -nodefaults or -nic none", test_default_nic },
	{ "devno= places a device; without it the next free number in set 0", test_placement },
	{ "a raw disk from -drive with 4096-byte blocks", test_disk },
	{ "-hdb and -cdrom: a virtio-blk-ccw each, in order; a comma in a name", test_short_forms },
	{ "refused options, each with its reason", test_refusals },
	{ "-m sizes and -append", test_memory_and_append },
	{ "256 devices are taken, the 257th refused", test_device_limit },
	{ "device_add and device_del with their channel reports", test_hotplug },
	{ "a Hercules configuration with every simulated device type", test_herc_config },
	{ "Hercules configurations refused at the line that says it", test_herc_refusals },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo ccwsim_opts_suite = { "ccwsim-options", NULL, NULL, NULL, NULL, ccwsim_opts_tests };
