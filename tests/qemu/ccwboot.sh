#!/usr/bin/env bash
# ccwboot on QEMU (-bios build/s390x/ccwboot.elf), booting the test kernel
# (build/s390x/stubkernel) from disks made by mkboot: the device bootindex
# names, each loadparm, 4096-byte blocks, an entry started through DIAG 308
# as zipl's are, a 40 MiB initrd, and without bootindex the first bootable
# disk of a scan; disks on virtio-scsi (bootindex on a scsi-hd, and the
# scan) and a CD-ROM with an El Torito catalog. The stub reports its command line and its initrd's
# address, size and FNV-1a hash, checked against the files. Then what
# ccwboot refuses, each with its one-line reason. Every run is made again
# with the host ccwboot (build/host/ccwboot) on the simulator, with the same
# options: it must print the same lines (all but the load time). Logs go
# to build/test-logs/ccwboot/.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
start_logs ccwboot
mkboot=${MKBOOT:-$top/build/host/mkboot}
stub=${STUB_KERNEL:-$top/build/s390x/stubkernel}
ccwboot=${CCWBOOT_ELF:-$top/build/s390x/ccwboot.elf}
hostboot=${HOST_CCWBOOT:-$top/build/host/ccwboot}

fnv() { # the FNV-1a 64-bit hash of a file, as the stub prints it
	python3 -c 'import sys
h = 0xcbf29ce484222325
for b in open(sys.argv[1], "rb").read():
    h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
print("%016x" % h)' "$1"
}

qemu() { # LOG MACHINE-SUFFIX ARGS...: QEMU with ccwboot and the SCLP console, bounded
	local log=$1 m=$2
	shift 2
	timeout -k 5 60 qemu-system-s390x -nographic -nodefaults -M "s390-ccw-virtio$m" -m 512 \
		-bios "$ccwboot" -chardev "file,id=c,path=$log" -device sclpconsole,chardev=c "$@" \
		< /dev/null > "$log.qemu" 2>&1
}

same_on_host() { # NAME LOG MACHINE-SUFFIX ARGS...: the host ccwboot prints QEMU's lines
	local name=$1 log=$2 m=$3
	shift 3
	"$hostboot" -nodefaults -M "s390-ccw-virtio$m" -m 512 "$@" > "$log.host" 2>&1
	grep '^ccwboot:' "$log" | grep -v ' us: ' > "$log.lines"
	grep '^ccwboot:' "$log.host" | grep -v '^ccwboot: not started' > "$log.host.lines"
	check "ccwboot.$name.host-same" "(diff $log.lines $log.host.lines)" \
		cmp -s "$log.lines" "$log.host.lines"
}

stub_said() { # NAME LOG LINE HASH SIZE ADDR: the stub's command line and its initrd (or none)
	check "ccwboot.$1.cmdline" "no command line \"$3\" (log: $2)" has "$2" "^stub: command line \"$3\"$"
	if [ -n "$4" ]; then
		check "ccwboot.$1.initrd" "initrd not placed byte for byte (log: $2)" \
			has "$2" "^stub: initrd at $6, $5 bytes, fnv1a64 0x$4$"
	else
		check "ccwboot.$1.no-initrd" "(log: $2)" has "$2" '^stub: no initrd$'
	fi
}

disk() { # NAME: -drive for a disk image under $logs
	echo "-drive if=none,id=$1,file=$logs/$1.img,format=raw"
}

head -c 300001 /dev/urandom > "$logs/initrd.bin"
hash=$(fnv "$logs/initrd.bin")
head -c $((40 << 20)) /dev/urandom > "$logs/big.bin"
bighash=$(fnv "$logs/big.bin")
{
	"$mkboot" "$logs/two.img" --kernel="$stub" --initrd="$logs/initrd.bin" --append="first entry" \
		--entry --kernel="$stub" --append="second entry" &&
	"$mkboot" "$logs/k4.img" --block-size=4096 --kernel="$stub" --initrd="$logs/initrd.bin" \
		--append="4096-byte blocks" &&
	"$mkboot" "$logs/diag.img" --kernel="$stub" --initrd="$logs/initrd.bin" \
		--append="through DIAG 308" --psw=0008000080010010 &&
	"$mkboot" "$logs/big.img" --kernel="$stub" --initrd="$logs/big.bin" --append="big initrd"
} > "$logs/mkboot.log" 2>&1
check ccwboot.mkboot "(log: $logs/mkboot.log)" test $? -eq 0
head -c 1048576 /dev/zero > "$logs/blank.img"

# name | machine suffix | disk | device options | command line | initrd hash ("" for none) | how
runs=(
	"default||two||first entry|$hash|a Linux kernel, entered by ccwboot"
	"loadparm-1|,loadparm=1|two||first entry|$hash|a Linux kernel"
	"loadparm-2|,loadparm=2|two||second entry||a Linux kernel"
	"4k||k4|logical_block_size=4096,physical_block_size=4096|4096-byte blocks|$hash|a Linux"
	"diag308||diag||through DIAG 308|$hash|entered as QEMU's BIOS enters it"
	"big-initrd||big||big initrd|$bighash|a Linux kernel"
)
for r in "${runs[@]}"; do
	IFS='|' read -r name m img dopts line ini how <<< "$r"
	log=$logs/$name.log
	size=300001
	[ "$img" = big ] && size=$((40 << 20))
	# shellcheck disable=SC2046
	qemu "$log" "$m" $(disk "$img") -device "virtio-blk-ccw,drive=$img,bootindex=1${dopts:+,$dopts}"
	rc=$?
	# shellcheck disable=SC2046
	same_on_host "$name" "$log" "$m" $(disk "$img") \
		-device "virtio-blk-ccw,drive=$img,bootindex=1${dopts:+,$dopts}"
	check "ccwboot.$name.exit" "QEMU exit status $rc (log: $log)" test $rc -eq 0
	check "ccwboot.$name.how" "(log: $log)" has "$log" "^ccwboot: start PSW [0-9a-f]{16}, $how"
	stub_said "$name" "$log" "$line" "$ini" "$size" 0x800000
	check "ccwboot.$name.done" "(log: $log)" has "$log" '^stub: done$'
done

# PROMPT: the entries listed, an answer read from the console (QEMU's SCLP
# console on standard input; the host ccwboot reads its standard input).
# name | answers | command line
prompts=(
	"prompt-2|2\r|second entry"
	"prompt-retry|x\r1\r|first entry"
	"prompt-empty|\r|first entry"
)
for r in "${prompts[@]}"; do
	IFS='|' read -r name answers line <<< "$r"
	log=$logs/$name.log
	# shellcheck disable=SC2059 # the answers hold escapes for printf
	printf "$answers" | timeout -k 5 60 qemu-system-s390x -nographic -nodefaults \
		-M s390-ccw-virtio,loadparm=PROMPT -m 512 -bios "$ccwboot" -chardev stdio,id=c \
		-device sclpconsole,chardev=c -drive "if=none,id=two,file=$logs/two.img,format=raw" \
		-device virtio-blk-ccw,drive=two,bootindex=1 2>&1 | tr -d '\r' > "$log"
	check "ccwboot.$name.cmdline" "no command line \"$line\" (log: $log)" \
		has "$log" "^stub: command line \"$line\"$"
	# shellcheck disable=SC2059
	printf "$answers" | "$hostboot" -nodefaults -M s390-ccw-virtio,loadparm=PROMPT -m 512 \
		-drive "if=none,id=two,file=$logs/two.img,format=raw" \
		-device virtio-blk-ccw,drive=two,bootindex=1 > "$log.host" 2>&1
	grep '^ccwboot:' "$log" | grep -v ' us: ' > "$log.lines"
	grep '^ccwboot:' "$log.host" | grep -v '^ccwboot: not started' > "$log.host.lines"
	check "ccwboot.$name.host-same" "(diff $log.lines $log.host.lines)" \
		cmp -s "$log.lines" "$log.host.lines"
done
check ccwboot.prompt-retry.says "(log: $logs/prompt-retry.log)" \
	has "$logs/prompt-retry.log" '^ccwboot: "x" is not an entry from 0 to 2$'

# Without bootindex: the scan passes over a blank disk to the bootable one.
log=$logs/scan.log
# shellcheck disable=SC2046
qemu "$log" "" $(disk blank) -device virtio-blk-ccw,drive=blank,devno=fe.0.0001 \
	$(disk two) -device virtio-blk-ccw,drive=two,devno=fe.0.0002
# shellcheck disable=SC2046
same_on_host scan "$log" "" $(disk blank) -device virtio-blk-ccw,drive=blank,devno=fe.0.0001 \
	$(disk two) -device virtio-blk-ccw,drive=two,devno=fe.0.0002
check ccwboot.scan.skips-blank "(log: $log)" \
	has "$log" '^ccwboot: 0\.0\.0001: block 0 .*zIPL'
check ccwboot.scan.boots-second "(log: $log)" \
	has "$log" '^ccwboot: booting 0\.0\.0002 .*the first bootable disk'
check ccwboot.scan.done "(log: $log)" has "$log" '^stub: command line "first entry"$'

# Disks on a virtio-scsi-ccw: bootindex on a scsi-hd names the adapter
# and the unit (QEMU's SCSI IPL block); without one, the scan passes over
# a blank disk and a CD-ROM to the first disk with a boot map.
head -c 2097152 /dev/zero > "$logs/cd.iso"
scsi_units="-device virtio-scsi-ccw,id=s0 $(disk blank) -device scsi-hd,bus=s0.0,drive=blank,scsi-id=0,lun=0
	-drive if=none,id=cd,file=$logs/cd.iso,format=raw,media=cdrom
	-device scsi-cd,bus=s0.0,drive=cd,scsi-id=1,lun=0 $(disk two)"
# name | machine suffix | the disk's options | command line | initrd hash | booting line
scsis=(
	"scsi||scsi-id=3,lun=2,bootindex=1|first entry|$hash|disk 3:2 \"QEMU\" \"QEMU HARDDISK\", 512-byte blocks\), entry 0, the default"
	"scsi-loadparm-2|,loadparm=2|scsi-id=3,lun=2,bootindex=1|second entry||disk 3:2 .*\), entry 2 "
	"scsi-lun-5||scsi-id=0,lun=5,bootindex=1|first entry|$hash|disk 0:5 .*\), entry 0"
	"scsi-scan||scsi-id=3,lun=2|first entry|$hash|disk 3:2 .*, the first bootable disk\), entry 0"
)
# A disk of 4096-byte blocks as a scsi-hd (mkboot --block-size=4096).
"$mkboot" "$logs/sk4.img" --block-size=4096 --kernel="$stub" --initrd="$logs/initrd.bin" \
	--append="4k on scsi" > "$logs/mkboot-sk4.log" 2>&1
check ccwboot.mkboot-sk4 "(log: $logs/mkboot-sk4.log)" test $? -eq 0
for r in "${scsis[@]}"; do
	IFS='|' read -r name m unit line ini booting <<< "$r"
	log=$logs/$name.log
	# shellcheck disable=SC2086
	qemu "$log" "$m" $scsi_units -device "scsi-hd,bus=s0.0,drive=two,$unit"
	rc=$?
	# shellcheck disable=SC2086
	same_on_host "$name" "$log" "$m" $scsi_units -device "scsi-hd,bus=s0.0,drive=two,$unit"
	check "ccwboot.$name.exit" "QEMU exit status $rc (log: $log)" test $rc -eq 0
	check "ccwboot.$name.booting" "(log: $log)" \
		has "$log" "^ccwboot: booting 0\.0\.0000 \(virtio-scsi, $booting"
	stub_said "$name" "$log" "$line" "$ini" 300001 0x800000
done
log=$logs/scsi-4k.log
sk4="-device virtio-scsi-ccw,id=s0 -drive if=none,id=k,file=$logs/sk4.img,format=raw
	-device scsi-hd,bus=s0.0,drive=k,logical_block_size=4096,physical_block_size=4096,bootindex=1"
# shellcheck disable=SC2086
qemu "$log" "" $sk4
# shellcheck disable=SC2086
same_on_host scsi-4k "$log" "" $sk4
check ccwboot.scsi-4k.booting "(log: $log)" has "$log" '4096-byte blocks\), entry 0'
check ccwboot.scsi-4k.initrd "initrd not placed byte for byte (log: $log)" \
	has "$log" "^stub: initrd at 0x800000, 300001 bytes, fnv1a64 0x$hash$"
check ccwboot.scsi-4k.cmdline "(log: $log)" has "$log" '^stub: command line "4k on scsi"$'
# A CD-ROM with an El Torito catalog of two Linux images (mkiso.py), as
# QEMU's BIOS boots it: by bootindex on the scsi-cd, loadparm 2 for the
# second image, and by the scan after a blank disk.
python3 "$top/tests/linux/mkiso.py" "$logs/boot.iso" --kernel="$stub" --initrd="$logs/initrd.bin" \
	--append="from the cd" --entry --kernel="$stub" --append="second cd entry" \
	> "$logs/mkiso.log" 2>&1
check ccwboot.mkiso "(log: $logs/mkiso.log)" test $? -eq 0
# The same volume with its boot record's system identifier blanked: an ISO
# 9660 image without El Torito.
python3 -c 'import sys
d = bytearray(open(sys.argv[1], "rb").read())
for b in range(17, 32):
    at = b * 2048
    if d[at] == 0 and d[at + 1:at + 6] == b"CD001":
        d[at + 7:at + 39] = bytes(32)
open(sys.argv[2], "wb").write(d)' "$logs/boot.iso" "$logs/plain.iso"
check ccwboot.scsi-scan.passes-blank "(log: $logs/scsi-scan.log)" \
	has "$logs/scsi-scan.log" '^ccwboot: 0\.0\.0000 0:0: block 0 holds no zIPL boot record$'
check ccwboot.scsi-scan.passes-cd "(log: $logs/scsi-scan.log)" \
	has "$logs/scsi-scan.log" '^ccwboot: 0\.0\.0000 1:0: block 16 holds no ISO 9660 volume descriptor'
# The disc as a scsi-cd (by bootindex, loadparm 2, the scan past a blank
# disk); then the same ISO image on disks: QEMU's BIOS boots El Torito from a
# virtio-blk disk that holds one (512 and 2048-byte blocks measured) and
# from a scsi-hd of 2048-byte blocks; ccwboot also from a scsi-hd of 512,
# and from blocks of 1024; -cdrom FILE is such a virtio-blk disk on s390x
# (read-only). QEMU's own BIOS is run on three, the same lines from the
# stub.
# name | machine suffix | devices | what the booting line says | command line | initrd hash
iso="-device virtio-scsi-ccw,id=s0 -drive if=none,id=cd,file=$logs/boot.iso,format=raw,media=cdrom"
cd="-device scsi-cd,bus=s0.0,drive=cd"
isos=(
	"cd||$iso $cd,bootindex=1|0\.0\.0000 \(virtio-scsi, CD-ROM .*El Torito|from the cd|$hash"
	"cd-loadparm-2|,loadparm=2|$iso $cd,bootindex=1|0\.0\.0000 \(virtio-scsi, CD-ROM .*El Torito|second cd entry|"
	"cd-scan||$iso $(disk blank) -device scsi-hd,bus=s0.0,drive=blank,scsi-id=0 $cd,scsi-id=2|0\.0\.0000 \(virtio-scsi, CD-ROM .*El Torito|from the cd|$hash"
	"iso-blk||-drive if=none,id=ib,file=$logs/boot.iso,format=raw -device virtio-blk-ccw,drive=ib,bootindex=1|virtio-blk, 512-byte blocks, an ISO 9660 image, El Torito\), entry 0, the first|from the cd|$hash"
	"iso-blk-2048|,loadparm=2|-drive if=none,id=ib,file=$logs/boot.iso,format=raw -device virtio-blk-ccw,drive=ib,bootindex=1,logical_block_size=2048,physical_block_size=2048|virtio-blk, 2048-byte blocks, an ISO 9660 image, El Torito\), entry 2 |second cd entry|"
	"iso-blk-1024||-drive if=none,id=ib,file=$logs/boot.iso,format=raw -device virtio-blk-ccw,drive=ib,bootindex=1,logical_block_size=1024,physical_block_size=1024|virtio-blk, 1024-byte blocks, an ISO 9660 image|from the cd|$hash"
	"iso-blk-scan||$(disk blank) -device virtio-blk-ccw,drive=blank -drive if=none,id=ib,file=$logs/boot.iso,format=raw -device virtio-blk-ccw,drive=ib|0\.0\.0001 \(virtio-blk, 512-byte blocks, an ISO 9660 image, El Torito, the first bootable disk\)|from the cd|$hash"
	"iso-cdrom-option||-cdrom $logs/boot.iso|0\.0\.0000 \(virtio-blk, 512-byte blocks, an ISO 9660 image, El Torito, the first bootable disk\)|from the cd|$hash"
	"iso-scsi-hd-2048||-device virtio-scsi-ccw,id=s0 -drive if=none,id=ib,file=$logs/boot.iso,format=raw -device scsi-hd,bus=s0.0,drive=ib,bootindex=1,logical_block_size=2048,physical_block_size=2048|virtio-scsi, disk 0:0 .*, 2048-byte blocks, an ISO 9660 image, El Torito\)|from the cd|$hash"
	"iso-scsi-hd-512|,loadparm=2|-device virtio-scsi-ccw,id=s0 -drive if=none,id=ib,file=$logs/boot.iso,format=raw -device scsi-hd,bus=s0.0,drive=ib,scsi-id=4|virtio-scsi, disk 4:0 .*, 512-byte blocks, an ISO 9660 image, El Torito, the first bootable unit\), entry 2 |second cd entry|"
)
for r in "${isos[@]}"; do
	IFS='|' read -r name m devs booting line ini <<< "$r"
	log=$logs/$name.log
	# shellcheck disable=SC2086
	qemu "$log" "$m" $devs
	# shellcheck disable=SC2086
	same_on_host "$name" "$log" "$m" $devs
	check "ccwboot.$name.booting" "(log: $log)" has "$log" "^ccwboot: booting .*$booting"
	stub_said "$name" "$log" "$line" "$ini" 300001 0x800000
	case $name in iso-blk|iso-cdrom-option|iso-scsi-hd-2048)
		# shellcheck disable=SC2086
		timeout -k 5 60 qemu-system-s390x -nographic -nodefaults -M s390-ccw-virtio -m 512 \
			-chardev "file,id=c,path=$log.bios" -device sclpconsole,chardev=c $devs \
			< /dev/null > "$log.bios.qemu" 2>&1
		stub_said "$name.qemu-bios" "$log.bios" "$line" "$ini" 300001 0x800000
	esac
done
check ccwboot.iso-blk-scan.passes-blank "(log: $logs/iso-blk-scan.log)" \
	has "$logs/iso-blk-scan.log" '^ccwboot: 0\.0\.0000: block 0 holds no zIPL boot record$'

# From the network: QEMU's user network serves tftp=DIR, DHCP names the
# boot file (bootfile=), read as a kernel, a pxelinux configuration (its
# default label, and loadparm 1), a load list; an initrd of 96 MiB takes
# the TFTP block number past its 16-bit wrap.
tftp=$logs/tftp
mkdir -p "$tftp"
cp "$stub" "$tftp/stubkernel"
cp "$logs/initrd.bin" "$tftp/initrd"
head -c $((96 << 20)) /dev/urandom > "$tftp/huge"
hugehash=$(fnv "$tftp/huge")
cat > "$tftp/pxe.cfg" <<CFG
# pxelinux
default two
label one
  kernel stubkernel
  append first label
label two
  kernel stubkernel
  initrd initrd
  append second label
label huge
  kernel stubkernel
  initrd huge
  append wrapped
CFG
printf '* a load list: the kernel, then its command line\nstubkernel 0x0\nparm 0x10480\n' \
	> "$tftp/list.ins"
printf 'from the load list\0' > "$tftp/parm"
# name | machine suffix | boot file | command line | initrd hash | initrd size
nets=(
	"net-kernel||stubkernel|||"
	"net-pxelinux||pxe.cfg|second label|$hash|300001"
	"net-pxelinux-1|,loadparm=1|pxe.cfg|first label||"
	"net-wrap|,loadparm=3|pxe.cfg|wrapped|$hugehash|$((96 << 20))"
	"net-loadlist||list.ins|from the load list||"
)
for r in "${nets[@]}"; do
	IFS='|' read -r name m bf line ini size <<< "$r"
	log=$logs/$name.log
	net="-netdev user,id=n,tftp=$tftp,bootfile=$bf -device virtio-net-ccw,netdev=n,bootindex=1"
	# shellcheck disable=SC2086
	qemu "$log" "$m" $net
	rc=$?
	# shellcheck disable=SC2086
	same_on_host "$name" "$log" "$m" $net
	check "ccwboot.$name.exit" "QEMU exit status $rc (log: $log)" test $rc -eq 0
	check "ccwboot.$name.tftp" "(log: $log)" has "$log" "^ccwboot: tftp $bf: [0-9]+ bytes"
	stub_said "$name" "$log" "$line" "$ini" "$size" '0x[0-9a-f]+'
done

# Refusals: each a line naming the device and what is wrong, then the
# failure wait, and nothing started.
# name | machine suffix | devices | expected line
refusals=(
	"no-bootable-disk||$(disk blank) -device virtio-blk-ccw,drive=blank|^ccwboot: no bootable device: no disk holds a SCSI boot map"
	"no-disk||-device virtio-rng-ccw|^ccwboot: no bootable device: there is no virtio-blk disk or virtio-scsi adapter"
	"scsi-cd-blank||-device virtio-scsi-ccw,id=s0 -drive if=none,id=cd,file=$logs/cd.iso,format=raw,media=cdrom -device scsi-cd,bus=s0.0,drive=cd,bootindex=1|^ccwboot: 0\.0\.0000 0:0: block 16 holds no ISO 9660 volume descriptor \(no CD001\): not an ISO 9660 disc$"
	"iso-blk-4096||-drive if=none,id=ib,file=$logs/boot.iso,format=raw -device virtio-blk-ccw,drive=ib,bootindex=1,logical_block_size=4096,physical_block_size=4096|^ccwboot: 0\.0\.0000: an ISO 9660 image on 4096-byte blocks; El Torito on a disk needs blocks that divide 2048$"
	"iso-no-catalog||-drive if=none,id=ib,file=$logs/plain.iso,format=raw -device virtio-blk-ccw,drive=ib,bootindex=1|^ccwboot: 0\.0\.0000: an ISO 9660 image: the ISO 9660 disc has no El Torito boot record"
	"scsi-cd-no-disc||-device virtio-scsi-ccw,id=s0 -drive if=none,id=cd,media=cdrom -device scsi-cd,bus=s0.0,drive=cd,bootindex=1|^ccwboot: 0\.0\.0000 0:0: a CD-ROM without a disc \(not ready\)$"
	"scsi-cd-no-entry|,loadparm=3|-device virtio-scsi-ccw,id=s0 -drive if=none,id=cd,file=$logs/boot.iso,format=raw,media=cdrom -device scsi-cd,bus=s0.0,drive=cd,bootindex=1|^ccwboot: 0\.0\.0000: boot entry 3 does not exist: the El Torito catalog in block 20 names 2 s390 Linux images$"
	"scsi-blank-named||-device virtio-scsi-ccw,id=s0 $(disk blank) -device scsi-hd,bus=s0.0,drive=blank,lun=3,bootindex=1|^ccwboot: 0\.0\.0000 0:3: block 0 holds no zIPL boot record$"
	"scsi-empty||-device virtio-scsi-ccw,id=s0 -device virtio-rng-ccw|^ccwboot: 0\.0\.0000: the adapter has no logical units$"
	"bad-loadparm|,loadparm=abc|$(disk two) -device virtio-blk-ccw,drive=two,bootindex=1|^ccwboot: loadparm \"ABC\" is neither an entry number \(0 to 30\) nor PROMPT"
	"missing-entry|,loadparm=7|$(disk two) -device virtio-blk-ccw,drive=two,bootindex=1|^ccwboot: 0\.0\.0000: boot entry 7 does not exist"
	"blank-named||$(disk blank) -device virtio-blk-ccw,drive=blank,bootindex=1|^ccwboot: 0\.0\.0000: block 0 "
	"net-no-bootfile||-netdev user,id=n,tftp=$tftp -device virtio-net-ccw,netdev=n,bootindex=1|^ccwboot: 0\.0\.0000: DHCP from 10\.0\.2\.2 gave no boot file name"
	"net-missing-file||-netdev user,id=n,tftp=$tftp,bootfile=nothing -device virtio-net-ccw,netdev=n,bootindex=1|^ccwboot: 0\.0\.0000: TFTP nothing: the server says error 1: File not found"
	"net-not-a-kernel||-netdev user,id=n,tftp=$tftp,bootfile=initrd -device virtio-net-ccw,netdev=n,bootindex=1|^ccwboot: initrd is neither a load list, a pxelinux configuration nor a Linux kernel"
	"net-no-label|,loadparm=9|-netdev user,id=n,tftp=$tftp,bootfile=pxe.cfg -device virtio-net-ccw,netdev=n,bootindex=1|^ccwboot: pxe.cfg: pxelinux: loadparm 9, but the configuration has 3 labels"
)
for r in "${refusals[@]}"; do
	IFS='|' read -r name m devs want <<< "$r"
	log=$logs/refuse-$name.log
	# shellcheck disable=SC2086
	qemu "$log" "$m" $devs
	rc=$?
	# shellcheck disable=SC2086
	same_on_host "refuse.$name" "$log" "$m" $devs
	check "ccwboot.refuse.$name" "QEMU exit status $rc, expected \"$want\" (log: $log)" \
		has "$log" "$want"
	check "ccwboot.refuse.$name.nothing-started" "(log: $log)" lacks "$log" '^stub:'
done
exit $check_failed
