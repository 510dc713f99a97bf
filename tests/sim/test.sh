#!/usr/bin/env bash
# Integration checks of ccwsim: the same device set on QEMU and on the
# simulator prints the same tour (TEST lines, negotiation and listing, line
# for line) and leaves the same disk and console file; the pcap file and
# the console's pipe back-end work; both behaviour profiles and deferred
# completion pass; bad input is refused with a message; the trace is
# written; ccwsim -f on a Hercules configuration prints the css.* lines
# Hercules 3.13 prints (tests/sim/hercules-css.expected, which
# tests/hercules/test.sh keeps honest against a live Hercules run, where the
# whole tour is compared too). Logs go to build/test-logs/ (LOGS overrides).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
logs=${LOGS:-$top/build/test-logs}
mkdir -p "$logs"
ccwsim=${CCWSIM:-$top/build/host/ccwsim}

# The tour's own lines: from the banner to the RESULT line, without the
# platform name and the timed figures (the lines that must differ).
tour_lines() {
	sed -n '/^ccw tour$/,/^RESULT:/p' "$1" | grep -v -e '^platform: ' -e '^BENCH '
}

# The default device set of the QEMU runner, each side on its own copy of
# the scratch disk and its own console file.
scratch() {
	rm -f "$1" && truncate -s 32M "$1" && printf 'CCW-SCRATCH' | dd of="$1" conv=notrunc status=none
}
devset() { # disk console-file
	echo "-netdev user,id=n0 -device virtio-net-ccw,netdev=n0,devno=fe.0.0001" \
		"-drive if=none,id=d0,file=$1,format=raw" \
		"-device virtio-blk-ccw,drive=d0,devno=fe.0.0002,serial=ccw-scratch" \
		"-device virtio-serial-ccw,devno=fe.0.0003" \
		"-chardev file,id=vc,path=$2 -device virtconsole,chardev=vc" \
		"-device virtio-rng-ccw,devno=fe.0.0004"
}
qdisk=$logs/sim-qemu-disk.img sdisk=$logs/sim-disk.img
scratch "$qdisk" && scratch "$sdisk"
qlog=$logs/sim-qemu-side.log
DEVICES="$(devset "$qdisk" "$logs/sim-qemu-console.txt")" CMDLINE=seed=9 \
	"$top/tests/qemu/run-tour.sh" > "$qlog" 2>&1
qrc=$?
slog=$logs/sim-tour.log
pcap=$logs/sim-net.pcap
rm -f "$pcap"
# shellcheck disable=SC2046 # devset gives separate options
"$ccwsim" -nodefaults $(devset "$sdisk" "$logs/sim-console.txt") \
	-object filter-dump,id=f0,netdev=n0,file="$pcap" -append seed=9 > "$slog" 2>&1
src=$?
check sim.tour.exit-status "exit status $src (log: $slog)" test $src -eq 0
check sim.tour.qemu-ran "the QEMU side failed with $qrc (log: $qlog)" test $qrc -eq 0
tour_lines "$qlog" > "$logs/sim-qemu-side.tour"
tour_lines "$slog" > "$logs/sim-tour.tour"
check sim.tour.same-as-qemu "differs from QEMU: diff $logs/sim-qemu-side.tour $logs/sim-tour.tour" \
	cmp -s "$logs/sim-qemu-side.tour" "$logs/sim-tour.tour"
check sim.tour.listing "no virtio listing rows (log: $slog)" \
	has "$slog" '^0\.0\.0002 0\.0\.0001 +0000/00 3832/02 yes .* virtio-blk$'
check sim.tour.all-devices "not every device proved (log: $slog)" \
	test "$(grep -cE '^TEST virtio\.(blk-write-verify|net-arp|net-dhcp|console-write|rng-read)\.[^ ]+ PASS' "$slog")" -eq 5
check sim.disk.same-as-qemu "the scratch disks differ after the runs" cmp -s "$qdisk" "$sdisk"
check sim.console.same-as-qemu "the console files differ" \
	cmp -s "$logs/sim-qemu-console.txt" "$logs/sim-console.txt"
# The pcap file: the classic header, and the ARP and DHCP exchanges (4 or more frames).
check sim.pcap.header "no pcap header in $pcap" \
	test "$(od -An -tx1 -N4 "$pcap" 2>/dev/null | tr -d ' ')" = "d4c3b2a1"
check sim.pcap.frames "fewer than 4 frames in $pcap" \
	test "$(stat -c %s "$pcap" 2>/dev/null || echo 0)" -ge $((24 + 4 * (16 + 42)))

# Reading the console through a pipe back-end, as on QEMU.
pipe=$logs/sim-conpipe
printf 'a line typed at the host\n' > "$pipe.in" && : > "$pipe.out"
log=$logs/sim-console-read.log
"$ccwsim" -nodefaults -device virtio-serial-ccw -chardev pipe,id=vc,path="$pipe" \
	-device virtconsole,chardev=vc -append console-read > "$log" 2>&1
rc=$?
check sim.console-read.passes "exit status $rc (log: $log)" test $rc -eq 0
check sim.console-read.line "the line was not read (log: $log)" \
	has "$log" '^TEST virtio\.console-read\.0\.0\.0000 PASS "a line typed at the host"$'
check sim.console-read.output "the hello line did not reach $pipe.out" has "$pipe.out" '^hello from virtio-console$'

# The stdio back-end: the console's line among the tour's own output.
log=$logs/sim-console-stdio.log
"$ccwsim" -nodefaults -device virtio-serial-ccw -chardev stdio,id=vc \
	-device virtconsole,chardev=vc > "$log" 2>&1
rc=$?
check sim.console-stdio.passes "exit status $rc (log: $log)" test $rc -eq 0
check sim.console-stdio.output "the hello line is not on standard output (log: $log)" \
	has "$log" '^hello from virtio-console$'

disk=$logs/sim-small-disk.img
[ -f "$disk" ] || truncate -s 1M "$disk"

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

# A Hercules configuration (the devices of tests/hercules/run-tour.sh),
# read from another directory: relative paths follow the file.
hdir=$logs/sim-hercules
rm -rf "$hdir" && mkdir -p "$hdir"
: > "$hdir/cards.ebc"
(cd "$hdir" && dasdinit disk.3390 3390 CCWTST 10 > dasdinit.log 2>&1)
hercules_cnf "$hdir/hercules.cnf" cards.ebc
log=$logs/sim-hercules.log
abs_ccwsim=$(cd "$(dirname "$ccwsim")" && pwd)/$(basename "$ccwsim")
(cd / && "$abs_ccwsim" -f "$hdir/hercules.cnf" --trace="$hdir/trace.txt") > "$log" 2>&1
rc=$?
check sim.hercules.exit-status "exit status $rc (log: $log)" test $rc -eq 0
check sim.hercules.css-lines "differ from Hercules: diff <(grep -v '^#' $here/hercules-css.expected) <(grep '^TEST css' $log)" \
	cmp -s <(grep -v '^#' "$here/hercules-css.expected") <(grep '^TEST css\.' "$log")
check sim.hercules.listing "not the four devices in Hercules' subchannel order (log: $log)" \
	test "$(grep -cE '^0\.0\.(0009 0\.0\.0000 +3215/00 3215/00|000c 0\.0\.0001 +3505/01 2821/01|000e 0\.0\.0002 +1403/01 2821/01|0120 0\.0\.0003 +3390/02 3990/c2) yes' "$log")" -eq 4
check sim.hercules.through-3215 "the tour did not print through the simulated 3215 ($hdir/trace.txt)" \
	has "$hdir/trace.txt" '^css_ccw 0\.0\.0000 .*cmd 0x09'
check sim.hercules.relative-paths "no printer.txt beside the configuration" test -f "$hdir/printer.txt"
printf '%s\n' 'MAINSIZE 64' '0009 3215-C /' '0010 3420 tape.aws' > "$hdir/bad.cnf"
log=$logs/sim-hercules-bad.log
"$ccwsim" -f "$hdir/bad.cnf" > "$log" 2>&1
rc=$?
refused() { # status log regex: exit status 2 and the message
	test "$1" -eq 2 && has "$2" "$3"
}
check sim.hercules.unknown-type "exit status $rc, want 2, and the line named (log: $log)" \
	refused $rc "$log" "bad\.cnf:3: device 0010: device type '3420' is not simulated"

trace=$logs/sim-trace.txt
"$ccwsim" -nodefaults -device virtio-rng-ccw --trace="$trace" > /dev/null 2>&1
check sim.trace.written "no trace file $trace" test -s "$trace"
check sim.trace.events "no CCW or interruption events in $trace" \
	has "$trace" '^css_ccw 0\.0\.0000 addr 0x[0-9a-f]+ cmd 0xe4'
check sim.trace.interrupts "no interruption events in $trace" has "$trace" '^css_io_interrupt 0\.0\.0000'
exit $check_failed
