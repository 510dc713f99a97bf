#!/usr/bin/env bash
# Debian 12's s390x Linux booted on QEMU: the kernel and busybox fetched
# once into build/linux (tests/linux/fetch-debian.sh), an initramfs whose
# /init prints a marker and the kernel's command line and powers off
# (tests/linux/initramfs.py), a mkboot disk with two entries. Booted by
# ccwboot (-bios) from the disk, entry 1 and by loadparm entry 2; by
# ccwboot from the network (pxelinux: the same kernel and initramfs over
# TFTP); by ccwboot from the same disk as a scsi-hd on a virtio-scsi-ccw
# (bootindex on the scsi-hd; entries 1 and 2); from a CD-ROM with an El
# Torito image of the same kernel and initramfs (tests/linux/mkiso.py), and
# from that ISO image on a virtio-blk disk; and
# by QEMU's own BIOS from the disk on virtio-blk and on virtio-scsi and
# from the CD-ROM and the ISO image on virtio-blk. Each run checks the
# marker and the command line; the host ccwboot reads the same disk and
# must print the lines ccwboot printed on QEMU. Logs: build/test-logs/linux/.
#
# tests/qemu/linux.sh --run   boots entry 1 through ccwboot with the console
#                             on the terminal (make run-linux)
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
linux=${LINUX_DIR:-$top/build/linux}
mkboot=${MKBOOT:-$top/build/host/mkboot}
ccwboot=${CCWBOOT_ELF:-$top/build/s390x/ccwboot.elf}
hostboot=${HOST_CCWBOOT:-$top/build/host/ccwboot}
marker=CCWBOOT-LINUX-MARKER
run=false
[ "${1:-}" = --run ] && run=true

prepare() { # the kernel, the initramfs and the disk in $linux; 0 or 1
	"$top/tests/linux/fetch-debian.sh" "$linux" || return 1
	if [ ! -s "$linux/initrd.gz" ] || [ "$linux/busybox" -nt "$linux/initrd.gz" ]; then
		python3 "$top/tests/linux/initramfs.py" "$linux/initrd.gz" \
			--busybox="$linux/busybox" --marker="$marker" || return 1
	fi
	"$mkboot" "$linux/disk.img" --kernel="$linux/vmlinuz" --initrd="$linux/initrd.gz" \
		--append="console=ttysclp0 entry=one" \
		--entry --kernel="$linux/vmlinuz" --initrd="$linux/initrd.gz" \
		--append="console=ttysclp0 entry=two" > /dev/null &&
	python3 "$top/tests/linux/mkiso.py" "$linux/boot.iso" --kernel="$linux/vmlinuz" \
		--initrd="$linux/initrd.gz" --append="console=ttysclp0 entry=cd" > /dev/null
}

disk_args=(-drive "if=none,id=d0,file=$linux/disk.img,format=raw"
	   -device virtio-blk-ccw,drive=d0,bootindex=1)
# An El Torito CD-ROM with the same kernel and initramfs (mkiso.py).
cd_args=(-device virtio-scsi-ccw,id=s0
	 -drive "if=none,id=cd,file=$linux/boot.iso,format=raw,media=cdrom"
	 -device scsi-cd,bus=s0.0,drive=cd,bootindex=1)
# The same ISO image as a virtio-blk disk: El Torito there too.
isoblk_args=(-drive "if=none,id=ib,file=$linux/boot.iso,format=raw"
	     -device virtio-blk-ccw,drive=ib,bootindex=1)
# The same disk as a scsi-hd behind a virtio-scsi-ccw.
scsi_args=(-device virtio-scsi-ccw,id=s0 -drive "if=none,id=d0,file=$linux/disk.img,format=raw"
	   -device scsi-hd,bus=s0.0,drive=d0,scsi-id=0,lun=1,bootindex=1)

if $run; then
	prepare || { echo "run-linux: Debian's kernel could not be prepared (see above)"; exit 1; }
	echo "run-linux: Debian's kernel ($(paste -sd';' "$linux/VERSION")) from a mkboot disk through ccwboot"
	timeout -k 5 120 qemu-system-s390x -nographic -nodefaults -M s390-ccw-virtio -m 1024 \
		-bios "$ccwboot" -chardev stdio,id=c -device sclpconsole,chardev=c "${disk_args[@]}" \
		< /dev/null | tee "$linux/run.log"
	if grep -q "^$marker" "$linux/run.log"; then
		echo "run-linux: Linux reached its initramfs through ccwboot and powered off"
		exit 0
	fi
	echo "run-linux: no marker line; the console output is in $linux/run.log"
	exit 1
fi

start_logs linux
prepare > "$logs/prepare.log" 2>&1
prepared=$?
check linux.prepare "Debian's kernel and busybox could not be fetched or prepared (log: $logs/prepare.log)" \
	test $prepared -eq 0
[ $prepared -eq 0 ] || exit 1

qemu() { # LOG MACHINE-SUFFIX ARGS...
	local log=$1 m=$2
	shift 2
	timeout -k 5 120 qemu-system-s390x -nographic -nodefaults -M "s390-ccw-virtio$m" -m 1024 \
		-chardev "file,id=c,path=$log" -device sclpconsole,chardev=c "$@" \
		< /dev/null > "$log.qemu" 2>&1
}

tftp=$logs/tftp
mkdir -p "$tftp"
cp "$linux/vmlinuz" "$tftp/vmlinuz"
cp "$linux/initrd.gz" "$tftp/initrd.gz"
printf '# pxelinux\ndefault net\nlabel net\n  kernel vmlinuz\n  initrd initrd.gz\n  append console=ttysclp0 entry=net\n' \
	> "$tftp/pxe.cfg"
net_args=(-netdev "user,id=n,tftp=$tftp,bootfile=pxe.cfg" -device virtio-net-ccw,netdev=n,bootindex=1)

# name | machine suffix | bios (ccwboot or qemu) | source | expected command line
runs=(
	"ccwboot-entry-1||ccwboot|disk|console=ttysclp0 entry=one"
	"ccwboot-entry-2|,loadparm=2|ccwboot|disk|console=ttysclp0 entry=two"
	"ccwboot-network||ccwboot|net|console=ttysclp0 entry=net"
	"qemu-bios-entry-1||qemu|disk|console=ttysclp0 entry=one"
	"ccwboot-scsi||ccwboot|scsi|console=ttysclp0 entry=one"
	"ccwboot-scsi-entry-2|,loadparm=2|ccwboot|scsi|console=ttysclp0 entry=two"
	"qemu-bios-scsi||qemu|scsi|console=ttysclp0 entry=one"
	"ccwboot-cdrom||ccwboot|cd|console=ttysclp0 entry=cd"
	"qemu-bios-cdrom||qemu|cd|console=ttysclp0 entry=cd"
	"ccwboot-iso-blk||ccwboot|isoblk|console=ttysclp0 entry=cd"
	"qemu-bios-iso-blk||qemu|isoblk|console=ttysclp0 entry=cd"
)
for r in "${runs[@]}"; do
	IFS='|' read -r name m bios src line <<< "$r"
	log=$logs/$name.log
	args=("${disk_args[@]}")
	[ "$src" = net ] && args=("${net_args[@]}")
	[ "$src" = scsi ] && args=("${scsi_args[@]}")
	[ "$src" = cd ] && args=("${cd_args[@]}")
	[ "$src" = isoblk ] && args=("${isoblk_args[@]}")
	[ "$bios" = ccwboot ] && args=(-bios "$ccwboot" "${args[@]}")
	t0=$(date +%s%N)
	qemu "$log" "$m" "${args[@]}"
	rc=$?
	t1=$(date +%s%N)
	check "linux.$name.exit" "QEMU exit status $rc (log: $log)" test $rc -eq 0
	check "linux.$name.marker" "no $marker line (log: $log)" has "$log" "^$marker"
	check "linux.$name.cmdline" "no command line \"$line\" (log: $log)" has "$log" "^cmdline: $line[[:space:]]*\$"
	echo "linux: $name: $(( (t1 - t0) / 1000000 )) ms to power-off"
	if [ "$bios" = ccwboot ]; then
		hargs=("${disk_args[@]}")
		[ "$src" = net ] && hargs=("${net_args[@]}")
		[ "$src" = scsi ] && hargs=("${scsi_args[@]}")
		[ "$src" = cd ] && hargs=("${cd_args[@]}")
		[ "$src" = isoblk ] && hargs=("${isoblk_args[@]}")
		"$hostboot" -nodefaults -M "s390-ccw-virtio$m" -m 1024 "${hargs[@]}" > "$log.host" 2>&1
		grep '^ccwboot:' "$log" | grep -v ' us: ' > "$log.lines"
		grep '^ccwboot:' "$log.host" | grep -v '^ccwboot: not started' > "$log.host.lines"
		check "linux.$name.host-same" "(diff $log.lines $log.host.lines)" \
			cmp -s "$log.lines" "$log.host.lines"
	fi
done
exit $check_failed
