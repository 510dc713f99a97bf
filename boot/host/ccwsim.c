/*
 * ccwsim: the device tour of the s390x image, run on the simulator. Devices
 * are given in QEMU's own spelling (boot/host/qemu_cli.c), or as a Hercules
 * configuration file (-f, boot/host/herc_cfg.c), so a QEMU command line or
 * a Hercules configuration and a ccwsim run can be the same and their
 * output compared line for line. Devices may come and go on a schedule
 * (--hotplug-at), as QEMU's monitor adds and removes them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/cmdline_hw.h"    /* TOUR_CMDLINE_AREA */
#include "boot/host/host.h"
#include "boot/host/hostrun.h"
#include "boot/tour.h"
#include "ccw/port.h"
#include "devices/con3215.h" /* con3215_find, con3215_put: the console under -f */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ccwsim [QEMU options] [ccwsim options]\n"
		"\n"
		"Runs the ccw device tour on the simulated channel subsystem. Every option is\n"
		"modelled as QEMU 7.2 has it, or refused with a reason (exit status 2).\n"
		"\n"
		"QEMU options understood:\n"
		"  -device DRIVER[,devno=fe.S.NNNN][,id=ID][,...]\n"
		"        virtio-blk-ccw, virtio-net-ccw, virtio-serial-ccw (with virtconsole and\n"
		"        virtserialport), virtio-rng-ccw, and by their identity only\n"
		"        virtio-balloon-ccw, virtio-keyboard/mouse/tablet-ccw, virtio-gpu-ccw,\n"
		"        virtio-scsi-ccw, virtio-crypto-ccw, virtio-9p-ccw, vhost-vsock-ccw;\n"
		"        ccw-testdev. QEMU's short names (virtio-blk...) too. Properties: see\n"
		"        the README (\"What ccwsim models\").\n"
		"  -drive if=none,id=ID,file=PATH[,format=raw][,readonly=on][,cache=][,discard=]\n"
		"  -cdrom PATH, -hda PATH to -hdd PATH   QEMU's short forms: a virtio-blk-ccw\n"
		"        on the image (read-only for -cdrom, as media=cdrom is)\n"
		"  -netdev user,id=ID[,net=ADDR/BITS][,host=][,dns=][,dhcpstart=][,restrict=on]\n"
		"        [,hostname=][,domainname=][,bootfile=]   QEMU's user network (ARP, DHCP)\n"
		"  -chardev stdio|file|pipe|null,id=ID[,path=PATH][,append=on]\n"
		"  -object rng-builtin|rng-random,id=ID[,filename=DEV]   virtio-rng's rng=\n"
		"  -object cryptodev-backend-builtin,id=ID     virtio-crypto's cryptodev=\n"
		"  -object filter-dump,id=F,netdev=ID,file=PATH   every frame into a pcap file\n"
		"  -fsdev local,id=ID,path=DIR,security_model=M  virtio-9p's fsdev=\n"
		"  -m SIZE            guest memory (MiB, or with M or G)\n"
		"  -append CMDLINE    the tour's command line (at most %u bytes)\n"
		"  -nodefaults        no default virtio-net-ccw at 0.0.0000\n"
		"  -nic none          no default NIC\n"
		"  -kernel FILE       must be the tour image; -M s390-ccw-virtio[,loadparm=]; -cpu\n"
		"                     max|qemu|host; -bios only with -kernel (QEMU then ignores it;\n"
		"                     a loader on the simulator: build/host/ccwboot)\n"
		"  (-nographic, -no-reboot, -action, -serial, -monitor, -qmp, -smp,\n"
		"   -display ... change nothing the tour sees and are accepted)\n"
		"\n"
		"Hercules configuration:\n"
		"  -f FILE   the devices of a Hercules configuration file, in its subchannel\n"
		"            order: 3215-C and 1052-C consoles (output on standard output;\n"
		"            the first console carries the tour's output, as under Hercules),\n"
		"            3215/1052 (telnet, never connected), 3505 FILE [ebcdic|ascii]\n"
		"            [eof|intrq], 1403 FILE [crlf], 3390 FILE [ro]; MAINSIZE sets the\n"
		"            memory; other system statements are accepted. Relative paths are\n"
		"            relative to FILE's directory. Implies -nodefaults, the arch\n"
		"            profile and no multiple subchannel sets, as Hercules 3.13.\n"
		"\n"
		"ccwsim options:\n"
		"  --profile=qemu|arch   behaviour profile (default qemu)\n"
		"  --deferred            channel programs complete only when the driver waits\n"
		"  --trace=FILE          trace every instruction, CCW and interruption ('-': stderr)\n"
		"  --mem=MIB             guest memory in MiB (default 128)\n"
		"  --rng-seed=N          virtio-rng from a seeded generator, not the system's\n"
		"  --hotplug-at=MS:add:DEVICE   plug in a device (a -device value) MS ms of the\n"
		"                        machine's clock after the program starts waiting for\n"
		"                        channel reports (the tour's hotplug= option, or its\n"
		"                        scsi-hotplug=: a scsi-hd or scsi-cd onto its adapter)\n"
		"  --hotplug-at=MS:del:ID       unplug the device with id=ID then\n"
		"  --help                this text\n",
		TOUR_CMDLINE_AREA - 1);
}

/*
 * The console that carries the tour's output under -f, as the s390x image
 * finds one under Hercules: the first 3215 or 1052 by SENSE ID. When it
 * fails (a telnet 3215 nobody is connected to), the output goes to
 * standard output directly, with a note on standard error.
 */
struct console_owner {
	struct con3215 con;
	bool active;
	bool busy;
};

static void console_sink(void *ctx, const char *s, size_t n)
{
	struct console_owner *o = ctx;

	if (!o->active || o->busy) {
		fwrite(s, 1, n, stdout);
		return;
	}
	o->busy = true;
	if (con3215_put(&o->con, s, n)) {
		o->active = false;
		fprintf(stderr, "ccwsim: the console failed (%s); output goes to standard output\n",
			o->con.why);
		fwrite(s, 1, n, stdout);
	}
	o->busy = false;
}

static struct console_owner owner;

/* The tour on the built machine; the exit status: 0, 1 when a check
 * failed, 2 when a step of the hotplug schedule was not carried out. */
static int run_tour(struct hostrun *r)
{
	int status;

	/* QEMU would run that firmware, not the tour. */
	if (qm_bios_run(r->qm)) {
		fprintf(stderr, "ccwsim: -bios %s without -kernel: QEMU runs the firmware, ccwsim runs "
				"the tour; give -kernel (the tour image), or run a loader with "
				"build/host/ccwboot\n", qm_bios_run(r->qm));
		return 2;
	}

	/* Under Hercules the image prints through the first console it finds;
	 * so does the tour here when the configuration has one. */
	if (r->herc && herc_has_console(r->herc)) {
		fflush(stdout);
		if (con3215_find(&owner.con, &r->css) == 0) {
			owner.active = true;
			host_set_output(console_sink, &owner);
		} else {
			fprintf(stderr, "ccwsim: %s; output goes to standard output\n",
				owner.con.why);
		}
	}
	status = tour_main(&r->css, port_cmdline()) ? 1 : 0;
	if (owner.active)
		con3215_flush(&owner.con);
	host_set_output(NULL, NULL);
	fflush(stdout);
	return hostrun_schedule_status() ? 2 : status;
}

int main(int argc, char **argv)
{
	return hostrun_main(argc, argv, usage, NULL, run_tour);
}
