#!/usr/bin/env bash
# ccwboot's figures on QEMU, each against a baseline from the same command:
#
# - boot.ccwboot-vs-bios: whole-process time from QEMU's start to the test
#   kernel's last line (its command line says stub.nohash: the kernel then
#   does not spend a second hashing the initrd), booting a mkboot disk with
#   a 256 MiB initrd, with
#   ccwboot (-bios) and with QEMU's own BIOS, the two runs interleaved,
#   median of 5 each. Target: at most 0.5.
# - boot.load-vs-seq-read: ccwboot's load rate from that disk (its STCK
#   figure for the whole entry) against the tour's sequential-read rate on
#   the same disk file (16 MiB, timed with STCK), medians of the same runs.
#   Target: at least 0.8.
# - boot.tftp-load-vs-bare: ccwboot's rate for a 64 MiB initrd by TFTP from
#   QEMU's user network (pxelinux entry, placed in memory) against the
#   tour's bare TFTP read of the same file (tftp=, blocks discarded), medians
#   of the same runs. Target: at least 0.8.
# - size.ccwboot-loaded against s390-ccw.img: the bytes QEMU loads of each
#   (the ELF's LOAD segments' file sizes), and ccwboot's memory in use with
#   its stacks and DMA area.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${BENCH_OUT:-$top/build/bench/boot}
ccwboot=${CCWBOOT_ELF:-$top/build/s390x/ccwboot.elf}
stub=${STUB_KERNEL:-$top/build/s390x/stubkernel}
tour=${IMAGE:-$top/build/s390x/tour.elf}
mkboot=${MKBOOT:-$top/build/host/mkboot}
runs=${BOOT_BENCH_RUNS:-5}
status=0
rm -rf "$out" && mkdir -p "$out/tftp"

head -c $((256 << 20)) /dev/urandom > "$out/initrd"
"$mkboot" "$out/disk.img" --kernel="$stub" --initrd="$out/initrd" --append="stub.nohash" > /dev/null ||
	{ echo "bench: mkboot failed"; exit 1; }
rm -f "$out/initrd"

now() { date +%s%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

boot() { # LOG [-bios FILE]: seconds from QEMU's start to its end
	local log=$1 t0 t1
	shift
	t0=$(now)
	timeout -k 5 120 qemu-system-s390x -nographic -nodefaults -M s390-ccw-virtio -m 1024 "$@" \
		-chardev "file,id=c,path=$log" -device sclpconsole,chardev=c \
		-drive "if=none,id=d0,file=$out/disk.img,format=raw" \
		-device virtio-blk-ccw,drive=d0,bootindex=1 < /dev/null > "$log.qemu" 2>&1
	t1=$(now)
	grep -q '^stub: done$' "$log" || { echo "bench: no stub line in $log" >&2; return 1; }
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) / 1e9 }'
}

: > "$out/ccwboot.times"
: > "$out/bios.times"
: > "$out/rates"
for i in $(seq 1 "$runs"); do
	boot "$out/ccwboot-$i.log" -bios "$ccwboot" >> "$out/ccwboot.times" || status=1
	boot "$out/bios-$i.log" >> "$out/bios.times" || status=1
	awk '$2 == "ccwboot.load-rate" { print $3 }' "$out/ccwboot-$i.log" >> "$out/rates"
	# The tour on the same disk file: its sequential read of the first 16 MiB.
	timeout -k 5 120 qemu-system-s390x -nographic -nodefaults -M s390-ccw-virtio -m 1024 \
		-kernel "$tour" -chardev "file,id=c,path=$out/tour-$i.log" \
		-device sclpconsole,chardev=c -drive "if=none,id=d0,file=$out/disk.img,format=raw" \
		-device virtio-blk-ccw,drive=d0 < /dev/null > "$out/tour-$i.log.qemu" 2>&1
	awk '$2 ~ /^image\.vblk-seq-read\./ { print $3 }' "$out/tour-$i.log" >> "$out/seq"
done
cb=$(median < "$out/ccwboot.times")
bios=$(median < "$out/bios.times")
rate=$(median < "$out/rates")
seq=$(median < "$out/seq" 2>/dev/null)
if [ -z "$cb" ] || [ -z "$bios" ] || [ -z "$rate" ] || [ -z "$seq" ]; then
	echo "bench: a boot printed no figure (logs in $out)"
	exit 1
fi
echo "BENCH boot.ccwboot-256m-initrd $cb s"
echo "BENCH boot.bios-256m-initrd $bios s"
r=$(awk -v a="$cb" -v b="$bios" 'BEGIN { printf "%.2f", a / b }')
echo "BENCH boot.ccwboot-vs-bios $r ratio"
if awk -v r="$r" 'BEGIN { exit !(r <= 0.5) }'; then
	echo "target met: ccwboot takes $r of QEMU's BIOS's time to the kernel <= 0.5"
else
	echo "target missed: ccwboot takes $r of QEMU's BIOS's time to the kernel > 0.5"
	status=1
fi
echo "BENCH boot.ccwboot-load-rate $rate MiB/s"
echo "BENCH boot.tour-seq-read $seq MiB/s"
r=$(awk -v a="$rate" -v b="$seq" 'BEGIN { printf "%.2f", a / b }')
echo "BENCH boot.load-vs-seq-read $r ratio"
if awk -v r="$r" 'BEGIN { exit !(r >= 0.8) }'; then
	echo "target met: ccwboot loads at $r of the tour's sequential-read rate >= 0.8"
else
	echo "target missed: ccwboot loads at $r of the tour's sequential-read rate < 0.8"
	status=1
fi

# TFTP: a pxelinux entry with a 64 MiB initrd.
cp "$stub" "$out/tftp/stubkernel"
head -c $((64 << 20)) /dev/urandom > "$out/tftp/initrd"
printf '# pxelinux\ndefault b\nlabel b\n  kernel stubkernel\n  initrd initrd\n  append tftp\n' \
	> "$out/tftp/pxe.cfg"
: > "$out/tftp.rates"
: > "$out/bare.rates"
for i in $(seq 1 "$runs"); do
	timeout -k 5 120 qemu-system-s390x -nographic -nodefaults -M s390-ccw-virtio -m 1024 \
		-bios "$ccwboot" -chardev "file,id=c,path=$out/tftp-$i.log" -device sclpconsole,chardev=c \
		-netdev "user,id=n,tftp=$out/tftp,bootfile=pxe.cfg" \
		-device virtio-net-ccw,netdev=n,bootindex=1 < /dev/null > "$out/tftp-$i.log.qemu" 2>&1
	awk '$2 == "ccwboot.load-rate" { print $3 }' "$out/tftp-$i.log" >> "$out/tftp.rates"
	timeout -k 5 120 qemu-system-s390x -nographic -nodefaults -M s390-ccw-virtio -m 1024 \
		-kernel "$tour" -append "tftp=initrd" -chardev "file,id=c,path=$out/bare-$i.log" \
		-device sclpconsole,chardev=c -netdev "user,id=n,tftp=$out/tftp" \
		-device virtio-net-ccw,netdev=n < /dev/null > "$out/bare-$i.log.qemu" 2>&1
	awk '$2 ~ /^image\.tftp-read\./ { print $3 }' "$out/bare-$i.log" >> "$out/bare.rates"
done
t=$(median < "$out/tftp.rates")
bare=$(median < "$out/bare.rates")
if [ -n "$t" ] && [ -n "$bare" ]; then
	echo "BENCH boot.tftp-load-rate $t MiB/s"
	echo "BENCH boot.tour-tftp-read $bare MiB/s"
	r=$(awk -v a="$t" -v b="$bare" 'BEGIN { printf "%.2f", a / b }')
	echo "BENCH boot.tftp-load-vs-bare $r ratio"
	if awk -v r="$r" 'BEGIN { exit !(r >= 0.8) }'; then
		echo "target met: ccwboot loads by TFTP at $r of a bare TFTP read >= 0.8"
	else
		echo "target missed: ccwboot loads by TFTP at $r of a bare TFTP read < 0.8"
		status=1
	fi
else
	echo "bench: no TFTP figure (logs: $out/tftp-*.log, $out/bare-*.log)"
	status=1
fi
rm -rf "$out/tftp/initrd" "$out/disk.img"

loaded() { # the bytes of an ELF's LOAD segments in the file, and in memory
	local f=0 m=0 fs ms
	while read -r fs ms; do
		f=$((f + fs))
		m=$((m + ms))
	done < <(readelf -lW "$1" | awk '$1 == "LOAD" { print $5, $6 }')
	echo "$f $m"
}
bios_img=$(ls /usr/share/qemu/s390-ccw.img 2>/dev/null | head -1)
read -r cf cm <<< "$(loaded "$ccwboot")"
echo "BENCH size.ccwboot-loaded $cf bytes"
echo "BENCH size.ccwboot-memory $cm bytes"
if [ -n "$bios_img" ]; then
	read -r bf bm <<< "$(loaded "$bios_img")"
	echo "BENCH size.s390-ccw-img-loaded $bf bytes"
	echo "BENCH size.s390-ccw-img-memory $bm bytes"
	echo "BENCH size.s390-ccw-img-file $(stat -c %s "$bios_img") bytes"
fi
exit $status
