#!/usr/bin/env bash
# Integration checks on QEMU: the tour with the default devices, and the
# crash path. Logs go to build/test-logs/.
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

# virtio: QEMU's device properties in a representative set (each with a
# virtio-blk read and a virtio-rng fill), and classic indicators.
disk=$top/build/qemu/scratch.img
[ -f "$disk" ] || { truncate -s 32M "$disk" && printf 'CCW-SCRATCH' | dd of="$disk" conv=notrunc status=none; }
for props in max_revision=0 max_revision=1 packed=on packed=on,event_idx=off \
	indirect_desc=off,event_idx=off max_revision=0,indirect_desc=off; do
	log=$logs/qemu-props-$props.log
	DEVICES="-drive if=none,id=d0,file=$disk,format=raw -device virtio-blk-ccw,drive=d0,devno=fe.0.0002,$props -device virtio-rng-ccw,devno=fe.0.0004,$props" \
		"$here/run-tour.sh" > "$log" 2>&1
	rc=$?
	check "qemu.virtio.$props.passes" "exit status $rc (log: $log)" test $rc -eq 0
	check "qemu.virtio.$props.blk-read" "no blk read (log: $log)" has "$log" '^TEST virtio.blk-read.0.0.0002 PASS'
	check "qemu.virtio.$props.rng-fill" "no rng fill (log: $log)" has "$log" '^TEST virtio.rng-fill.0.0.0004 PASS'
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

log=$logs/qemu-fail.log
CMDLINE=fail "$here/run-tour.sh" > "$log" 2>&1
rc=$?
check qemu.fail.exit-status "exit status $rc, want 1 (log: $log)" test $rc -eq 1
check qemu.fail.result "no RESULT line with 1 failed (log: $log)" has "$log" '^RESULT: [0-9]+ passed, 1 failed$'

log=$logs/qemu-crash.log
CMDLINE=crash "$here/run-tour.sh" > "$log" 2>&1
rc=$?
check qemu.crash.exit-status "exit status $rc, want 1 (log: $log)" test $rc -eq 1
check qemu.crash.diagnosis "no program-check diagnosis (log: $log)" \
	has "$log" '^\*\*\* unexpected program interruption: code 0001 \(operation\)'
check qemu.crash.old-psw "no old PSW in the diagnosis (log: $log)" has "$log" '^\*\*\* old PSW [0-9a-f]{16} [0-9a-f]{16}$'
check qemu.crash.registers "no registers in the diagnosis (log: $log)" has "$log" '^\*\*\* r12-r15 +([0-9a-f]{16} ?){4}$'
check qemu.crash.wait-address "not the program-check wait 0xe01 (log: $log)" has "$log" 'disabled wait at 0xe01$'
exit $check_failed
