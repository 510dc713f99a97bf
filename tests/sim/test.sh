#!/usr/bin/env bash
# Integration checks of ccwsim: the same device set on QEMU and on the
# simulator prints the same tour (TEST lines and listing, line for line);
# both behaviour profiles and deferred completion pass; bad input is refused
# with a message; the trace is written. Logs go to build/test-logs/.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
logs=$top/build/test-logs
mkdir -p "$logs"
ccwsim=${CCWSIM:-$top/build/host/ccwsim}

# The tour's own lines: from the banner to the RESULT line, without the
# platform name (the one line that must differ).
tour_lines() {
	sed -n '/^ccw tour$/,/^RESULT:/p' "$1" | grep -v '^platform: '
}

disk=$logs/sim-disk.img
[ -f "$disk" ] || truncate -s 1M "$disk"
devices=(-device virtio-net-ccw,devno=fe.0.0001
	-drive "if=none,id=d0,file=$disk,format=raw" -device virtio-blk-ccw,drive=d0,devno=fe.0.0002
	-device virtio-serial-ccw,devno=fe.0.0003 -device virtio-rng-ccw,devno=fe.0.0004)

qlog=$logs/sim-qemu-side.log
DEVICES="${devices[*]}" "$top/tests/qemu/run-tour.sh" > "$qlog" 2>&1
qrc=$?
slog=$logs/sim-tour.log
"$ccwsim" -nodefaults "${devices[@]}" > "$slog" 2>&1
src=$?
check sim.tour.exit-status "exit status $src (log: $slog)" test $src -eq 0
check sim.tour.qemu-ran "the QEMU side failed with $qrc (log: $qlog)" test $qrc -eq 0
tour_lines "$qlog" > "$logs/sim-qemu-side.tour"
tour_lines "$slog" > "$logs/sim-tour.tour"
check sim.tour.same-as-qemu "differs from QEMU: diff $logs/sim-qemu-side.tour $logs/sim-tour.tour" \
	cmp -s "$logs/sim-qemu-side.tour" "$logs/sim-tour.tour"
check sim.tour.listing "no virtio listing rows (log: $slog)" \
	has "$slog" '^0\.0\.0002 0\.0\.0001 +0000/00 3832/02 yes .* virtio-blk$'

# QEMU's device properties: the same negotiation and TEST lines as QEMU.
for props in max_revision=0 max_revision=1 packed=on packed=on,event_idx=off \
	indirect_desc=off,event_idx=off max_revision=0,indirect_desc=off; do
	pdev=(-drive "if=none,id=d0,file=$disk,format=raw"
		-device "virtio-blk-ccw,drive=d0,devno=fe.0.0002,$props"
		-device "virtio-rng-ccw,devno=fe.0.0004,$props")
	qlog=$logs/sim-props-qemu-$props.log
	slog=$logs/sim-props-$props.log
	DEVICES="${pdev[*]}" "$top/tests/qemu/run-tour.sh" > "$qlog" 2>&1
	"$ccwsim" -nodefaults "${pdev[@]}" > "$slog" 2>&1
	rc=$?
	tour_lines "$qlog" > "$qlog.tour"
	tour_lines "$slog" > "$slog.tour"
	check "sim.virtio.$props.passes" "exit status $rc (log: $slog)" test $rc -eq 0
	check "sim.virtio.$props.same-as-qemu" "differs: diff $qlog.tour $slog.tour" \
		cmp -s "$qlog.tour" "$slog.tour"
done
log=$logs/sim-classic.log
"$ccwsim" -nodefaults -device virtio-rng-ccw -append classic > "$log" 2>&1
check sim.virtio.classic "not on classic indicators (log: $log)" \
	has "$log" '^0\.0\.0000 virtio-rng: indicators classic$'

# Without -nodefaults QEMU (and ccwsim) add a virtio-net-ccw at 0.0.0000.
log=$logs/sim-defaults.log
"$ccwsim" -device virtio-rng-ccw > "$log" 2>&1
check sim.defaults.nic-first "no default NIC at 0.0.0000 (log: $log)" \
	has "$log" '^0\.0\.0000 0\.0\.0000 +0000/00 3832/01 yes .* virtio-net$'

for mode in "--profile=arch" "--deferred" "--profile=arch --deferred"; do
	name=$(echo "$mode" | tr -d '-' | tr ' =' '..')
	log=$logs/sim-$name.log
	# shellcheck disable=SC2086 # mode holds separate options
	"$ccwsim" $mode -device virtio-rng-ccw -device ccw-testdev,devno=fe.1.0042 > "$log" 2>&1
	rc=$?
	check "sim.$name.passes" "exit status $rc (log: $log)" test $rc -eq 0
	check "sim.$name.set1-device" "the set-1 test device is not listed (log: $log)" \
		has "$log" '^0\.1\.0042 0\.1\.0000 +5002/02 5001/01 yes'
done

log=$logs/sim-crash.log
"$ccwsim" -append crash > "$log" 2>&1
rc=$?
check sim.crash.exit-status "exit status $rc, want 1 (log: $log)" test $rc -eq 1
check sim.crash.diagnosis "no diagnosis (log: $log)" has "$log" 'unexpected program interruption: code 0001'

log=$logs/sim-bad-device.log
"$ccwsim" -device virtio-blk-ccw,devno=zz > "$log" 2>&1
rc=$?
check sim.bad-devno.refused "exit status $rc, want 2 (log: $log)" test $rc -eq 2
check sim.bad-devno.message "no message about the devno (log: $log)" has "$log" "devno 'zz'"
"$ccwsim" -device no-such-device > "$log" 2>&1
rc=$?
check sim.unknown-device.refused "exit status $rc, want 2 (log: $log)" test $rc -eq 2

trace=$logs/sim-trace.txt
"$ccwsim" -nodefaults -device virtio-rng-ccw --trace="$trace" > /dev/null 2>&1
check sim.trace.written "no trace file $trace" test -s "$trace"
check sim.trace.events "no CCW or interruption events in $trace" \
	has "$trace" '^css_ccw 0\.0\.0000 addr 0x[0-9a-f]+ cmd 0xe4'
check sim.trace.interrupts "no interruption events in $trace" has "$trace" '^css_io_interrupt 0\.0\.0000'
exit $check_failed
