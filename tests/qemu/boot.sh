#!/usr/bin/env bash
# Bootable disks made by mkboot, proven by an independent reader: QEMU's own
# s390-ccw BIOS boots them, the default entry and each loadparm, 512- and
# 4096-byte blocks, and the test kernel (build/s390x/stubkernel) reports
# its command line and its initrd's address, size and FNV-1a hash, which
# are checked against the files. The stub under QEMU's -kernel too. Then
# what mkboot refuses. Logs go to build/test-logs/boot/.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
start_logs boot
mkboot=${MKBOOT:-$top/build/host/mkboot}
stub=${STUB_KERNEL:-$top/build/s390x/stubkernel}

fnv() { # the FNV-1a 64-bit hash of a file, as the stub prints it
	python3 -c 'import sys
h = 0xcbf29ce484222325
for b in open(sys.argv[1], "rb").read():
    h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
print("%016x" % h)' "$1"
}

qemu() { # LOG MACHINE-SUFFIX ARGS...: QEMU with the SCLP console, bounded
	local log=$1 m=$2
	shift 2
	timeout -k 5 30 qemu-system-s390x -nographic -nodefaults -M "s390-ccw-virtio$m" -m 256 \
		-chardev "file,id=c,path=$log" -device sclpconsole,chardev=c "$@" \
		< /dev/null > "$log.qemu" 2>&1
}

head -c 300001 /dev/urandom > "$logs/initrd.bin"
hash=$(fnv "$logs/initrd.bin")
"$mkboot" "$logs/two.img" --kernel="$stub" --initrd="$logs/initrd.bin" --append="first entry" \
	--entry --kernel="$stub" --append="second entry" > "$logs/mkboot.log" 2>&1
check boot.mkboot.two-entries "(log: $logs/mkboot.log)" test $? -eq 0
"$mkboot" "$logs/4k.img" --block-size=4096 --kernel="$stub" --initrd="$logs/initrd.bin" \
	--append="4096-byte blocks" >> "$logs/mkboot.log" 2>&1
check boot.mkboot.4k "(log: $logs/mkboot.log)" test $? -eq 0

# name | machine suffix | drive options | device options | command line | initrd
runs=(
	"default||two.img||first entry|yes"
	"loadparm-1|,loadparm=1|two.img||first entry|yes"
	"loadparm-2|,loadparm=2|two.img||second entry|no"
	"4k||4k.img|logical_block_size=4096,physical_block_size=4096|4096-byte blocks|yes"
)
for r in "${runs[@]}"; do
	IFS='|' read -r name m img dopts line ini <<< "$r"
	log=$logs/bios-$name.log
	qemu "$log" "$m" -drive "if=none,id=d0,file=$logs/$img,format=raw" \
		-device "virtio-blk-ccw,drive=d0,bootindex=1${dopts:+,$dopts}"
	rc=$?
	check "boot.bios.$name.exit" "QEMU exit status $rc (log: $log)" test $rc -eq 0
	check "boot.bios.$name.cmdline" "no command line \"$line\" (log: $log)" \
		has "$log" "^stub: command line \"$line\"$"
	if [ "$ini" = yes ]; then
		check "boot.bios.$name.initrd" "initrd not placed as QEMU places it (log: $log)" \
			has "$log" "^stub: initrd at 0x800000, 300001 bytes, fnv1a64 0x$hash$"
	else
		check "boot.bios.$name.no-initrd" "(log: $log)" has "$log" '^stub: no initrd$'
	fi
	check "boot.bios.$name.done" "(log: $log)" has "$log" '^stub: done$'
done

log=$logs/kernel.log
qemu "$log" "" -kernel "$stub" -initrd "$logs/initrd.bin" -append "from -kernel"
check boot.kernel.exit "(log: $log)" test $? -eq 0
check boot.kernel.placed "(log: $log)" \
	has "$log" "^stub: initrd at 0x800000, 300001 bytes, fnv1a64 0x$hash$"

# Refusals: a file that is no kernel, a command line the kernel cannot take.
log=$logs/mkboot-refuse.log
"$mkboot" "$logs/bad.img" --kernel="$logs/initrd.bin" > "$log" 2>&1
check boot.mkboot.not-a-kernel "exit status $? (log: $log)" has "$log" 'no S390EP at 0x10008'
long=$(head -c 4096 /dev/zero | tr '\0' x)
"$mkboot" "$logs/bad.img" --kernel="$stub" --append="$long" > "$log" 2>&1
rc=$?
check boot.mkboot.cmdline-too-long "exit status $rc (log: $log)" \
	has "$log" 'the command line is 4096 bytes; the kernel takes at most 4095'
"$mkboot" "$logs/bad.img" --kernel="$stub" --entry > "$log" 2>&1
check boot.mkboot.entry-without-kernel "(log: $log)" has "$log" 'entry 2 has no --kernel'
exit $check_failed
