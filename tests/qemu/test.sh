#!/usr/bin/env bash
# Integration checks on QEMU: the tour with the default devices (every
# virtio device end to end, virtio-scsi with a disk included), the scratch
# disk's pattern, disks that must not be written, reading the console,
# QEMU's virtio properties, classic indicators, and the failure and crash
# paths. Logs go to build/test-logs/.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
logs=$top/build/test-logs
mkdir -p "$logs"

log=$logs/qemu-tour.log
"$here/run-tour.sh" > "$log" 2>&1
rc=$?
check qemu.tour.exit-status "exit status $rc (log: $log)" test $rc -eq 0
check qemu.tour.result "no RESULT line with 0 failed (log: $log)" has "$log" '^RESULT: [0-9]+ passed, 0 failed$'
check qemu.tour.no-failed-test "a TEST line failed (log: $log)" lacks "$log" '^TEST [^ ]+ FAIL'
for m in 01:virtio-net 02:virtio-blk 03:virtio-console 04:virtio-rng; do
	model=${m%%:*} name=${m#*:}
	check "qemu.tour.listing.3832-$model" "no listing row for CU 3832/$model $name (log: $log)" \
		has "$log" "^0\.0\.00$model 0\.0\.000[0-3] +0000/00 3832/$model yes .* $name\$"
done

# The devices, end to end (issue: each a TEST line).
# Where run-tour.sh keeps the scratch disk and the console file.
out=${OUT:-$top/build/qemu}
disk=$out/scratch.img
check qemu.blk.get-id "no GET_ID answer (log: $log)" \
	has "$log" '^TEST virtio\.blk-get-id\.0\.0\.0002 PASS "ccw-scratch"$'
check qemu.blk.read "sector 0 not read (log: $log)" \
	has "$log" '^TEST virtio\.blk-read\.0\.0\.0002 PASS block 0 \(512 bytes\) starts "CCW-SCRATCH'
# Both scratch disks, on virtio-blk and on virtio-scsi: written, read back,
# read in sequence.
for d in 'blk|0\.0\.0002|flushed' 'scsi|0\.0\.0005\.0\.0|synchronized'; do
	IFS='|' read -r kind at sync <<< "$d"
	check "qemu.$kind.write-verify" "the $kind scratch disk was not written and verified (log: $log)" \
		has "$log" "^TEST virtio\\.$kind-write-verify\\.$at PASS sectors 1-64 \\(blocks 1-64 of 512 bytes\\), seed 1, $sync; 0 of 64"
	check "qemu.$kind.seq-read" "no 16 MiB sequential read through $kind (log: $log)" \
		has "$log" "^TEST virtio\\.$kind-seq-read\\.$at PASS 16384 KiB"
done
check qemu.blk.throughput "no throughput figure (log: $log)" \
	has "$log" '^BENCH image\.vblk-seq-read\.0\.0\.0002 [0-9]+\.[0-9] MiB/s$'
check qemu.net.arp "no ARP reply from the router (log: $log)" \
	has "$log" '^TEST virtio\.net-arp\.0\.0\.0001 PASS router 10\.0\.2\.2 is at 52:55:0a:00:02:02$'
check qemu.net.dhcp "no DHCP offer (log: $log)" \
	has "$log" '^TEST virtio\.net-dhcp\.0\.0\.0001 PASS offered 10\.0\.2\.15 by 10\.0\.2\.2'
check qemu.console.write "no console write (log: $log)" \
	has "$log" '^TEST virtio\.console-write\.0\.0\.0003 PASS'
check qemu.console.output "the line did not reach the virtconsole's file" \
	has "$out/virtconsole.txt" '^hello from virtio-console$'
check qemu.rng.read "no rng read (log: $log)" \
	has "$log" '^TEST virtio\.rng-read\.0\.0\.0004 PASS'
check qemu.tour.listing.3832-08 "no listing row for the virtio-scsi adapter (log: $log)" \
	has "$log" '^0\.0\.0005 0\.0\.0004 +0000/00 3832/08 yes .* virtio-scsi$'
check qemu.scsi.scan "the scsi-hd not found (log: $log)" \
	has "$log" '^TEST virtio\.scsi-scan\.0\.0\.0005 PASS 1 logical unit$'

# The pattern stays on the disk: sector 1 of a run with seed=7 holds
# 64 copies of 00000007 00000001 (big-endian), sector 64 ends in ...0040.
log=$logs/qemu-seed.log
CMDLINE=seed=7 "$here/run-tour.sh" > "$log" 2>&1
rc=$?
check qemu.seed.passes "exit status $rc (log: $log)" test $rc -eq 0
sector() { od -An -v -tx1 -j $(($1 * 512)) -N 512 "$disk" | tr -d ' \n'; }
want1=$(printf '00000007000000%02x' 1)
check qemu.seed.sector-1 "sector 1 does not hold the seed-7 pattern" \
	test "$(sector 1)" = "$(printf "$want1%.0s" $(seq 64))"
want64=$(printf '00000007000000%02x' 64)
check qemu.seed.sector-64 "sector 64 does not hold the seed-7 pattern" \
	test "$(sector 64)" = "$(printf "$want64%.0s" $(seq 64))"

# Never write a disk without the marker, nor a read-only one.
plain=$out/plain.img
truncate -s 0 "$plain" && truncate -s 4M "$plain" && printf 'NOT-A-SCRATCH' | dd of="$plain" conv=notrunc status=none
sum=$(md5sum < "$plain")
log=$logs/qemu-plain-disk.log
DEVICES="-drive if=none,id=d0,file=$plain,format=raw -device virtio-blk-ccw,drive=d0,devno=fe.0.0002" \
	"$here/run-tour.sh" > "$log" 2>&1
rc=$?
check qemu.plain-disk.passes "exit status $rc (log: $log)" test $rc -eq 0
check qemu.plain-disk.skipped "write-verify not skipped (log: $log)" \
	has "$log" '^TEST virtio\.blk-write-verify\.0\.0\.0002 SKIP no CCW-SCRATCH marker'
check qemu.plain-disk.untouched "the disk without the marker changed" test "$(md5sum < "$plain")" = "$sum"
log=$logs/qemu-readonly.log
DEVICES="-drive if=none,id=d0,file=$disk,format=raw,readonly=on -device virtio-blk-ccw,drive=d0,devno=fe.0.0002" \
	"$here/run-tour.sh" > "$log" 2>&1
rc=$?
check qemu.readonly.passes "exit status $rc (log: $log)" test $rc -eq 0
check qemu.readonly.skipped "write-verify not skipped on a read-only disk (log: $log)" \
	has "$log" '^TEST virtio\.blk-write-verify\.0\.0\.0002 SKIP .*read-only'
check qemu.readonly.feature "RO not negotiated (log: $log)" has "$log" '^0\.0\.0002 virtio-blk: features .* RO '

# Reading a line from the console: QEMU's pipe back-end reads PATH.in.
pipe=$out/conpipe
printf 'a line typed at the host\n' > "$pipe.in" && : > "$pipe.out"
log=$logs/qemu-console-read.log
DEVICES="-device virtio-serial-ccw,devno=fe.0.0003 -chardev pipe,id=vc,path=$pipe -device virtconsole,chardev=vc" \
	CMDLINE=console-read "$here/run-tour.sh" > "$log" 2>&1
rc=$?
check qemu.console-read.passes "exit status $rc (log: $log)" test $rc -eq 0
check qemu.console-read.line "the line was not read (log: $log)" \
	has "$log" '^TEST virtio\.console-read\.0\.0\.0003 PASS "a line typed at the host"$'
check qemu.console-read.output "the hello line did not reach $pipe.out" has "$pipe.out" '^hello from virtio-console$'

# virtio: QEMU's device properties in a representative set (each with a
# virtio-blk read and a virtio-rng read), and classic indicators.
for props in max_revision=0 max_revision=1 packed=on packed=on,event_idx=off \
	indirect_desc=off,event_idx=off max_revision=0,indirect_desc=off; do
	log=$logs/qemu-props-$props.log
	DEVICES="-drive if=none,id=d0,file=$disk,format=raw -device virtio-blk-ccw,drive=d0,devno=fe.0.0002,$props -device virtio-rng-ccw,devno=fe.0.0004,$props" \
		"$here/run-tour.sh" > "$log" 2>&1
	rc=$?
	check "qemu.virtio.$props.passes" "exit status $rc (log: $log)" test $rc -eq 0
	check "qemu.virtio.$props.blk-write-verify" "no blk write-verify (log: $log)" \
		has "$log" '^TEST virtio.blk-write-verify.0.0.0002 PASS'
	check "qemu.virtio.$props.rng-read" "no rng read (log: $log)" has "$log" '^TEST virtio.rng-read.0.0.0004 PASS'
	case $props in
	max_revision=0*) want='revision 0' ;;
	max_revision=1*) want='revision 1' ;;
	*) want='revision 2' ;;
	esac
	check "qemu.virtio.$props.revision" "not $want (log: $log)" has "$log" "^0\.0\.0002 virtio-blk: $want\$"
	case $props in
	packed=on*) check "qemu.virtio.$props.packed" "RING_PACKED not negotiated (log: $log)" \
		has "$log" '^0\.0\.0002 virtio-blk: features .*RING_PACKED' ;;
	esac
done
log=$logs/qemu-classic.log
CMDLINE=classic "$here/run-tour.sh" > "$log" 2>&1
rc=$?
check qemu.virtio.classic.passes "exit status $rc (log: $log)" test $rc -eq 0
check qemu.virtio.classic.indicators "not on classic indicators (log: $log)" \
	has "$log" '^0\.0\.0002 virtio-blk: indicators classic$'
check qemu.virtio.adapter.indicators "the default run is not on adapter indicators" \
	has "$logs/qemu-tour.log" '^0\.0\.0002 virtio-blk: indicators adapter$'

# More devices than the tour holds (1024, in all four subchannel sets):
# the tour says how many it left out, in a TEST line.
many=""
for i in $(seq 1 1024); do
	many+=" -device virtio-rng-ccw,devno=fe.$(((i - 1) / 256)).$(printf %04x "$i")"
done
log=$logs/qemu-many.log
DEVICES="$many" "$here/run-tour.sh" > "$log" 2>&1
rc=$?
check qemu.many.passes "exit status $rc (log: $log)" test $rc -eq 0
check qemu.many.enumerated "not 1024 devices enumerated (log: $log)" \
	has "$log" '^TEST css\.enumerate PASS 1024 devices$'
check qemu.many.untested "no TEST line for the devices left out (log: $log)" \
	has "$log" '^TEST css\.untested SKIP 768 of 1024 devices not probed: the tour holds 256$'

# The command line: QEMU reads the size the image declares at 0x10430, so a
# line of 2943 bytes (the area less its NUL) reaches the tour whole.
line="$(head -c 2932 /dev/zero | tr '\0' x) seed=12345"
log=$logs/qemu-cmdline-max.log
DEVICES="-drive if=none,id=d0,file=$disk,format=raw -device virtio-blk-ccw,drive=d0,devno=fe.0.0002" \
	CMDLINE="$line" "$here/run-tour.sh" > "$log" 2>&1
rc=$?
check qemu.cmdline.longest "a 2943-byte line: exit status $rc (log: $log)" test $rc -eq 0
check qemu.cmdline.last-word "the last word was not used (log: $log)" \
	has "$log" '^TEST virtio\.blk-write-verify\.0\.0\.0002 PASS .*seed 12345,'

check_bad_endings qemu "$here/run-tour.sh"
log=$logs/qemu-crash.log
check qemu.crash.old-psw "no old PSW in the diagnosis (log: $log)" has "$log" '^\*\*\* old PSW [0-9a-f]{16} [0-9a-f]{16}$'
check qemu.crash.registers "no registers in the diagnosis (log: $log)" has "$log" '^\*\*\* r12-r15 +([0-9a-f]{16} ?){4}$'
check qemu.crash.wait-address "not the program-check wait 0xe01 (log: $log)" has "$log" 'disabled wait at 0xe01$'
exit $check_failed
