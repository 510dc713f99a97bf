/*
 * mkboot: a bootable raw disk for s390x Linux in the SCSI boot-map scheme
 * (tools/bootdisk.h), for QEMU's virtio-blk: booted by ccwboot and by
 * QEMU's own s390-ccw BIOS; or, with --ckd, a Hercules 3390 volume made
 * bootable with ccwboot in its IPL records (tools/ckdboot.h).
 *
 * usage: mkboot DISK.img [--block-size=N] --kernel=FILE [--initrd=FILE]
 *               [--append=TEXT] [--psw=HEX] [--entry --kernel=FILE ...]...
 *        mkboot --ckd VOLUME.3390 [--loader=ccwboot.elf] --kernel=FILE ...
 *
 * Each --entry starts another boot entry; the first is the default and
 * entry 1, the next entry 2 (QEMU: -M s390-ccw-virtio,loadparm=2;
 * Hercules: loadparm 2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/bootdisk.h"
#include "tools/ckdboot.h"
#include "tools/file.h"

struct group {
	const char *kernel, *initrd, *append;
	u64 psw;
};

static int usage(void)
{
	fprintf(stderr,
		"usage: mkboot DISK.img [--block-size=N] --kernel=FILE [--initrd=FILE]\n"
		"              [--append=TEXT] [--psw=HEX] [--entry --kernel=FILE ...]...\n"
		"       mkboot --ckd VOLUME.3390 [--loader=FILE] --kernel=FILE ...\n"
		"  --ckd VOLUME     make a Hercules 3390 volume (dasdinit's) bootable: IPL\n"
		"                   records that start ccwboot, and the boot map in zipl's\n"
		"                   ECKD scheme; the volume keeps its label and serial\n"
		"  --loader=FILE    ccwboot for --ckd (default: ccwboot.elf in ../s390x\n"
		"                   beside this program)\n"
		"  --kernel=FILE    an s390x Linux kernel image (S390EP at 0x10008)\n"
		"  --initrd=FILE    its initial ramdisk\n"
		"  --append=TEXT    its command line\n"
		"  --psw=HEX        the entry's EXEC PSW (default 0008000080010000, the\n"
		"                   kernel's entry); another address in the kernel makes an\n"
		"                   entry that loaders start as zipl's, through DIAG 308\n"
		"  --entry          the options after it make the next boot entry\n"
		"  --block-size=N   512 (default), 1024, 2048 or 4096: the disk's block size\n"
		"Entry 1 is the default; loadparm N boots entry N.\n");
	return 2;
}

/* --name=VALUE: its value, or NULL when arg is not that option. */
static const char *opt(const char *arg, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(arg, name, n) && arg[n] == '=' ? arg + n + 1 : NULL;
}

/* --ckd: the loader read, the volume written, what changed said. */
static int ckd_volume(const char *self, const char *vol, const char *loader,
		      const struct bootdisk_entry *e, unsigned n)
{
	struct ckdboot_report r;
	char why[300], path[4096];
	size_t len, ldr_len;
	u64 entry;
	u8 *elf, *ldr;
	int rc;

	if (!loader) {
		/* Beside build/host/mkboot: build/s390x/ccwboot.elf. */
		const char *slash = strrchr(self, '/');
		int dir = slash ? (int)(slash - self) : 1;

		snprintf(path, sizeof(path), "%.*s/../s390x/ccwboot.elf", dir, slash ? self : ".");
		loader = path;
	}
	elf = file_read("mkboot", loader, &len);
	if (!elf)
		return 1;
	ldr = ckdboot_loader(elf, len, &ldr_len, &entry, why, sizeof(why));
	free(elf);
	if (!ldr) {
		fprintf(stderr, "mkboot: %s: %s\n", loader, why);
		return 1;
	}
	rc = ckdboot_write(vol, ldr, ldr_len, entry, e, n, &r, why, sizeof(why));
	free(ldr);
	if (rc) {
		fprintf(stderr, "mkboot: %s: %s\n", vol, why);
		return 1;
	}
	printf("mkboot: %s: volume %s, %u cylinders: %u entr%s\n", vol, r.volser, r.cyls, n,
	       n == 1 ? "y" : "ies");
	printf("mkboot: rewritten: IPL1 and IPL2 (cylinder 0 head 0); VOL1 kept\n");
	printf("mkboot: overwritten: cylinder %u head %u to cylinder %u head %u (%u tracks of "
	       "%u records of %u bytes%s", r.first_cyl, r.first_head, r.last_cyl, r.last_head,
	       r.tracks, r.per_track, CKDBOOT_RECORD,
	       r.tracks_in_use ? "" : ", all empty before)\n");
	if (r.tracks_in_use)
		printf("; %u of them held records before)\n", r.tracks_in_use);
	printf("mkboot: ccwboot %llu bytes, IPL PSW 00080000 %08llx\n",
	       (unsigned long long)r.loader_bytes, (unsigned long long)(0x80000000u | r.loader_entry));
	return 0;
}

int main(int argc, char **argv)
{
	struct group g[BOOTDISK_MAX_ENTRIES];
	struct bootdisk_entry e[BOOTDISK_MAX_ENTRIES];
	unsigned n = 1, bs = 512;
	const char *disk = NULL, *v, *loader = NULL;
	bool ckd = false;
	char why[256];
	size_t len;
	u8 *img;
	FILE *f;
	int rc = 1;

	memset(g, 0, sizeof(g));
	memset(e, 0, sizeof(e));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--entry")) {
			if (n == BOOTDISK_MAX_ENTRIES) {
				fprintf(stderr, "mkboot: at most %u entries\n", BOOTDISK_MAX_ENTRIES);
				return 2;
			}
			n++;
		} else if ((v = opt(a, "--kernel"))) {
			g[n - 1].kernel = v;
		} else if ((v = opt(a, "--initrd"))) {
			g[n - 1].initrd = v;
		} else if ((v = opt(a, "--append"))) {
			g[n - 1].append = v;
		} else if ((v = opt(a, "--psw"))) {
			char *end;

			g[n - 1].psw = strtoull(v, &end, 16);
			if (*end || !*v)
				return usage();
		} else if (!strcmp(a, "--ckd")) {
			if (ckd || disk || i + 1 == argc)
				return usage();
			ckd = true;
			disk = argv[++i];
		} else if ((v = opt(a, "--loader"))) {
			loader = v;
		} else if ((v = opt(a, "--block-size"))) {
			char *end;

			bs = (unsigned)strtoul(v, &end, 0);
			if (*end)
				return usage();
		} else if (a[0] == '-' || disk) {
			return usage();
		} else {
			disk = a;
		}
	}
	if (!disk || (ckd && bs != 512) || (!ckd && loader))
		return usage();
	for (unsigned k = 0; k < n; k++) {
		if (!g[k].kernel) {
			fprintf(stderr, "mkboot: entry %u has no --kernel\n", k + 1);
			goto out;
		}
		e[k].kernel = file_read("mkboot", g[k].kernel, &e[k].kernel_len);
		if (!e[k].kernel)
			goto out;
		if (g[k].initrd) {
			e[k].initrd = file_read("mkboot", g[k].initrd, &e[k].initrd_len);
			if (!e[k].initrd)
				goto out;
		}
		e[k].append = g[k].append;
		e[k].psw = g[k].psw;
	}
	if (ckd) {
		rc = ckd_volume(argv[0], disk, loader, e, n);
		goto out;
	}
	img = bootdisk_build(e, n, bs, &len, why, sizeof(why));
	if (!img) {
		fprintf(stderr, "mkboot: %s\n", why);
		goto out;
	}
	f = fopen(disk, "wb");
	if (!f || fwrite(img, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "mkboot: cannot write %s\n", disk);
		free(img);
		goto out;
	}
	free(img);
	printf("mkboot: %s: %u entr%s, %zu bytes in %u-byte blocks\n", disk, n, n == 1 ? "y" : "ies",
	       len, bs);
	rc = 0;
out:
	for (unsigned k = 0; k < n; k++) {
		free((void *)e[k].kernel);
		free((void *)e[k].initrd);
	}
	return rc;
}
