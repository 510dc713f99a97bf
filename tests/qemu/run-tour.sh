#!/usr/bin/env bash
# Boot the s390x image on QEMU and exit with its result: 0 when the image
# ended in the success wait, 1 otherwise (failure wait, program check,
# timeout).
#
# Environment:
#   DEVICES   QEMU device options replacing the default set (see below)
#   CMDLINE   the image's command line (QEMU -append), default empty
#   IMAGE     the ELF to boot, default build/s390x/tour.elf
#   TIMEOUT   seconds before the run is killed, default 60
#   OUT       directory for the scratch disk and console files, default build/qemu
#
# Default devices: virtio-net (user networking), virtio-blk on a generated
# scratch disk (serial "ccw-scratch"), virtio-serial with a virtconsole
# port writing to OUT/virtconsole.txt, virtio-rng, at device numbers
# 0.0.0001 to 0.0.0004 so that the listing follows the virtio ids; and
# virtio-scsi at 0.0.0005 with a scsi-hd on a second scratch disk
# (OUT/scsi-scratch.img) at target 0, LUN 0.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${OUT:-$top/build/qemu}
image=${IMAGE:-$top/build/s390x/tour.elf}
limit=${TIMEOUT:-60}
cmdline=${CMDLINE:-}

mkdir -p "$out" || exit 1
if [ ! -f "$image" ]; then
	echo "qemu: no image at $image (run make first)" >&2
	exit 1
fi

if [ -z "${DEVICES+set}" ]; then
	disk=$out/scratch.img
	# A scratch disk: sector 0 starts with the marker that allows the
	# tour to write to it.
	if [ ! -f "$disk" ]; then
		truncate -s 32M "$disk" &&
			printf 'CCW-SCRATCH' | dd of="$disk" conv=notrunc status=none || exit 1
	fi
	DEVICES="-netdev user,id=net0 -device virtio-net-ccw,netdev=net0,devno=fe.0.0001"
	DEVICES+=" -drive if=none,id=disk0,file=$disk,format=raw"
	DEVICES+=" -device virtio-blk-ccw,drive=disk0,devno=fe.0.0002,serial=ccw-scratch"
	DEVICES+=" -device virtio-serial-ccw,devno=fe.0.0003"
	DEVICES+=" -chardev file,id=vcon0,path=$out/virtconsole.txt -device virtconsole,chardev=vcon0"
	DEVICES+=" -device virtio-rng-ccw,devno=fe.0.0004"
	# A virtio-scsi adapter with a disk: a second scratch disk.
	sdisk=$out/scsi-scratch.img
	if [ ! -f "$sdisk" ]; then
		truncate -s 32M "$sdisk" &&
			printf 'CCW-SCRATCH' | dd of="$sdisk" conv=notrunc status=none || exit 1
	fi
	DEVICES+=" -device virtio-scsi-ccw,id=scsi0,devno=fe.0.0005"
	DEVICES+=" -drive if=none,id=sdisk0,file=$sdisk,format=raw -device scsi-hd,bus=scsi0.0,drive=sdisk0"
fi

# reference/platforms.md 9.1: no default devices, the SCLP console on
# stdio, and a guest panic (any wait address but ...FFF) exits 1.
# shellcheck disable=SC2086 # DEVICES is a list of options
cmd=(qemu-system-s390x -nographic -nodefaults -no-reboot -M s390-ccw-virtio
	-action panic=exit-failure
	-chardev stdio,id=con0 -device sclpconsole,chardev=con0
	-kernel "$image" -append "$cmdline" $DEVICES)
printf 'qemu:'
printf ' %q' "${cmd[@]}"
echo
log=$out/last-run.log
timeout -k 5 "$limit" "${cmd[@]}" < /dev/null 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
case $rc in
0) echo "qemu: the image ended in the success wait"; exit 0 ;;
1)
	if grep -q '^ccw tour' "$log"; then
		echo "qemu: the image ended in a failure wait"
	else
		echo "qemu: QEMU did not start the image (its message is above)"
	fi
	exit 1 ;;
124 | 137) echo "qemu: no result within ${limit}s: killed"; exit 1 ;;
*) echo "qemu: exited with status $rc"; exit 1 ;;
esac
