#!/usr/bin/env bash
# Integration checks under Hercules: the tour with the classic devices, IPLed
# from the load list and from the card deck (the same TEST lines both ways),
# ccwsim -f on the very same configuration and files (the same tour lines as
# Hercules), and the failure and crash paths. Logs go to build/test-logs/
# (LOGS overrides); Hercules works in build/hercules (OUT overrides).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
logs=${LOGS:-$top/build/test-logs}
out=${OUT:-$top/build/hercules}
export OUT=$out
ccwsim=${CCWSIM:-$top/build/host/ccwsim}
ckdcheck=${CKDCHECK:-$(dirname "$ccwsim")/ckdcheck}
mkdir -p "$logs"

# The tour's own lines: from the banner to the RESULT line, without the
# platform name and the timed figures (the lines that must differ).
tour_lines() {
	sed -n '/^ccw tour$/,/^RESULT:/p' "$1" | grep -v -e '^platform: ' -e '^BENCH '
}

log=$logs/hercules-tour.log
CMDLINE= "$here/run-tour.sh" > "$log" 2>&1
rc=$?
check hercules.tour.exit-status "exit status $rc (log: $log)" test $rc -eq 0
check hercules.tour.success-psw "no success PSW (log: $log)" has "$log" 'PSW=00020001 80000000 0000000000000FFF'
check hercules.tour.result "no RESULT line with 0 failed (log: $log)" has "$log" '^RESULT: [0-9]+ passed, 0 failed$'
check hercules.tour.no-failed-test "a TEST line failed (log: $log)" lacks "$log" '^TEST [^ ]+ FAIL'
check hercules.tour.listing.3215 "no 3215 console row (log: $log)" \
	has "$log" '^0\.0\.0009 0\.0\.0000 +3215/00 3215/00 yes .* 3215 console$'
check hercules.tour.listing.3505 "no 3505 reader row (log: $log)" \
	has "$log" '^0\.0\.000c 0\.0\.0001 +3505/01 2821/01 yes .* 3505 card reader$'
check hercules.tour.listing.1403 "no 1403 printer row (log: $log)" \
	has "$log" '^0\.0\.000e 0\.0\.0002 +1403/01 2821/01 yes .* 1403 printer$'
check hercules.tour.listing.3390 "no 3390 row behind a 3990 (log: $log)" \
	has "$log" '^0\.0\.0120 0\.0\.0003 +3390/02 3990/c2 yes .* 01000000 00000000  3390 DASD$'

# The 3390: geometry, serial, IPL record, and on the CCWTST scratch volume
# the write-verify test, whose data stays in the image file (seed 1).
for t in geometry volser ipl-record write-verify multitrack-read errors; do
	check "hercules.dasd.$t" "no passing dasd.$t line (log: $log)" \
		has "$log" "^TEST dasd\.$t\.0\.0\.0120 PASS"
done
check hercules.dasd.image-pattern "cylinder 1 head 0 of $out/disk.3390 does not hold the seed-1 records" \
	"$ckdcheck" "$out/disk.3390" pattern 1 0 12 4096 1

check hercules.tour.css-lines "the css.* lines differ from tests/sim/hercules-css.expected (log: $log)" \
	cmp -s <(grep -v '^#' "$top/tests/sim/hercules-css.expected") <(grep '^TEST css\.' "$log")
tour_lines "$log" > "$log.tour"

# ccwsim -f on a copy of the configuration and its files: the same tour.
# The copy sits elsewhere, so relative paths must follow the file.
sdir=$logs/hercules-ccwsim
rm -rf "$sdir" && mkdir -p "$sdir"
slog=$logs/hercules-ccwsim.log
if cp "$out/hercules.cnf" "$out/cards.ebc" "$out/disk.3390" "$sdir/" 2>/dev/null; then
	"$ccwsim" -f "$sdir/hercules.cnf" --trace="$sdir/trace.txt" > "$slog" 2>&1
	rc=$?
else
	echo "no configuration in $out" > "$slog"
	rc=1
fi
tour_lines "$slog" > "$slog.tour"
check hercules.ccwsim.exit-status "exit status $rc (log: $slog)" test $rc -eq 0
check hercules.ccwsim.same-as-hercules "differs: diff $log.tour $slog.tour" \
	cmp -s "$log.tour" "$slog.tour"
check hercules.ccwsim.through-3215 "the tour did not print through the simulated 3215 ($sdir/trace.txt)" \
	has "$sdir/trace.txt" '^css_ccw 0\.0\.0000 .*cmd 0x09'
check hercules.ccwsim.printer-file "no printer.txt beside the configuration" test -f "$sdir/printer.txt"

# One image file for both: two fresh dasdinit volumes, one written by
# Hercules and one by ccwsim with the same configuration and seed=5, end
# up the same bytes, the records where the tour puts them.
idir=$logs/hercules-image
rm -rf "$idir" && mkdir -p "$idir/hercules" "$idir/ccwsim"
ilog=$logs/hercules-image-seed5.log
OUT=$idir/hercules CMDLINE=seed=5 "$here/run-tour.sh" > "$ilog" 2>&1
rc=$?
check hercules.image.hercules-run "exit status $rc (log: $ilog)" test $rc -eq 0
slog=$logs/hercules-image-ccwsim.log
if cp "$idir/hercules/hercules.cnf" "$idir/hercules/cards.ebc" "$idir/ccwsim/" &&
	(cd "$idir/ccwsim" && dasdinit disk.3390 3390 CCWTST 10 > dasdinit.log 2>&1); then
	"$ccwsim" -f "$idir/ccwsim/hercules.cnf" -append seed=5 > "$slog" 2>&1
	rc=$?
else
	echo "could not prepare $idir/ccwsim" > "$slog"
	rc=1
fi
check hercules.image.ccwsim-run "exit status $rc (log: $slog)" test $rc -eq 0
check hercules.image.ccwsim-wrote "cylinder 1 head 0 of the ccwsim volume lacks the seed-5 records" \
	"$ckdcheck" "$idir/ccwsim/disk.3390" pattern 1 0 12 4096 5
check hercules.image.same-bytes "the volumes differ: cmp $idir/hercules/disk.3390 $idir/ccwsim/disk.3390" \
	cmp -s "$idir/hercules/disk.3390" "$idir/ccwsim/disk.3390"

# Never a write to a volume with another serial: ccwsim on a fresh OTHER1
# volume skips the test and leaves the file as it was.
odir=$idir/other
mkdir -p "$odir"
olog=$logs/hercules-image-other.log
if cp "$idir/hercules/hercules.cnf" "$idir/hercules/cards.ebc" "$odir/" &&
	(cd "$odir" && dasdinit disk.3390 3390 OTHER1 10 > dasdinit.log 2>&1); then
	sum=$(md5sum < "$odir/disk.3390")
	"$ccwsim" -f "$odir/hercules.cnf" > "$olog" 2>&1
	rc=$?
else
	sum=none
	echo "could not prepare $odir" > "$olog"
	rc=1
fi
check hercules.image.other-serial-passes "exit status $rc (log: $olog)" test $rc -eq 0
check hercules.image.other-serial-skipped "write-verify not skipped (log: $olog)" \
	has "$olog" '^TEST dasd\.write-verify\.0\.0\.0120 SKIP'
check hercules.image.other-serial-untouched "the OTHER1 volume changed" \
	test "$(md5sum < "$odir/disk.3390")" = "$sum"

# The card deck: 000C 3505 tour.deck ebcdic, ipl 000c.
dlog=$logs/hercules-deck.log
IPL=deck CMDLINE= "$here/run-tour.sh" > "$dlog" 2>&1
rc=$?
check hercules.deck.exit-status "exit status $rc (log: $dlog)" test $rc -eq 0
check hercules.deck.ipl-device "not IPLed from 000c (log: $dlog)" has "$dlog" '^hercules: ipl 000c '
check hercules.deck.success-psw "no success PSW (log: $dlog)" has "$dlog" 'PSW=00020001 80000000 0000000000000FFF'
check hercules.deck.result "no RESULT line with 0 failed (log: $dlog)" has "$dlog" '^RESULT: [0-9]+ passed, 0 failed$'
tour_lines "$dlog" > "$dlog.tour"
check hercules.deck.same-as-ins "differs from the load-list IPL: diff $log.tour $dlog.tour" \
	cmp -s "$log.tour" "$dlog.tour"
log=$logs/hercules-deck-cmdline.log
IPL=deck CMDLINE="fail seed=3" "$here/run-tour.sh" > "$log" 2>&1
rc=$?
check hercules.deck.cmdline "the deck did not carry the command line (log: $log)" \
	has "$log" '^command line: "fail seed=3"$'
check hercules.deck.fail-wait "not the failure wait ...BAD, exit $rc (log: $log)" \
	has "$log" 'PSW=00020001 80000000 0000000000000BAD'

# A volume attached read-only: the write test is skipped with the reason,
# as on a read-only virtio disk, the volume stays as it was, and ccwsim -f
# on the same configuration prints the same tour.
rdir=$logs/hercules-ro
rm -rf "$rdir" && mkdir -p "$rdir"
log=$logs/hercules-ro.log
sum=$(md5sum < "$out/disk.3390")
DASD_OPTS=ro CMDLINE="seed=9" "$here/run-tour.sh" > "$log" 2>&1
rc=$?
check hercules.readonly.passes "exit status $rc (log: $log)" test $rc -eq 0
check hercules.readonly.skipped "write-verify not skipped with its reason (log: $log)" \
	has "$log" '^TEST dasd\.write-verify\.0\.0\.0120 SKIP scratch serial, but the volume is write-inhibited \(read-only\)'
check hercules.readonly.untouched "the read-only volume changed" test "$(md5sum < "$out/disk.3390")" = "$sum"
slog=$logs/hercules-ro-ccwsim.log
cp "$out/hercules.cnf" "$out/cards.ebc" "$out/disk.3390" "$rdir/" 2>/dev/null
"$ccwsim" -f "$rdir/hercules.cnf" -append "seed=9" > "$slog" 2>&1
rc=$?
tour_lines "$log" > "$log.tour"
tour_lines "$slog" > "$slog.tour"
check hercules.readonly.ccwsim "ccwsim differs: diff $log.tour $slog.tour (exit $rc)" \
	cmp -s "$log.tour" "$slog.tour"

# The command line: the image reads its whole 2944-byte area. The longest
# line the builders take reaches the image whole, its last word in use; a
# longer one is refused with the limit; a parameter file that fills the
# area with no end (a load list made by hand) is cut before its last word,
# and the image says so.
mkins=$(dirname "$ccwsim")/mkins
mkdeck=$(dirname "$ccwsim")/mkdeck
line="$(head -c 2932 /dev/zero | tr '\0' x) seed=12345"
log=$logs/hercules-cmdline-max.log
CMDLINE="$line" "$here/run-tour.sh" > "$log" 2>&1
rc=$?
check hercules.cmdline.longest "a 2943-byte line: exit status $rc (log: $log)" test $rc -eq 0
check hercules.cmdline.last-word "the last word of a 2943-byte line was not used (log: $log)" \
	has "$log" '^TEST dasd\.write-verify\.0\.0\.0120 PASS .*seed 12345;'
log=$logs/hercules-cmdline-refused.log
"$mkins" -c "x$line" "$out/tour.bin" "$logs/refused.ins" > "$log" 2>&1
rc=$?
check hercules.cmdline.mkins-refuses "mkins took a 2944-byte line: $rc (log: $log)" test $rc -ne 0
check hercules.cmdline.mkins-limit "mkins does not name the limit (log: $log)" \
	has "$log" 'at most 2943 characters'
"$mkdeck" -c "x$line" "$out/tour.bin" "$logs/refused.deck" > "$log" 2>&1
rc=$?
check hercules.cmdline.mkdeck-refuses "mkdeck took a 2944-byte line: $rc (log: $log)" test $rc -ne 0
check hercules.cmdline.mkdeck-limit "mkdeck does not name the limit (log: $log)" \
	has "$log" 'at most 2943 characters'
printf '%s' "x$line" > "$logs/full.parm"
log=$logs/hercules-cmdline-full.log
PARM=$logs/full.parm "$here/run-tour.sh" > "$log" 2>&1
rc=$?
check hercules.cmdline.full-runs "a full area: exit status $rc (log: $log)" test $rc -eq 0
check hercules.cmdline.full-said "the cut was not said (log: $log)" \
	has "$log" '^note: the command line fills the 2944-byte parameter area with no end; cut to its first 2934 bytes, before its last word$'
check hercules.cmdline.full-word-dropped "the cut word was used (log: $log)" \
	lacks "$log" 'seed 1234[0-9]*;'

check_bad_endings hercules "$here/run-tour.sh"
check hercules.fail.wait-psw "not the failure wait ...BAD (log: $logs/hercules-fail.log)" \
	has "$logs/hercules-fail.log" 'PSW=00020001 80000000 0000000000000BAD'
check hercules.crash.wait-psw "not the program-check wait ...E01 (log: $logs/hercules-crash.log)" \
	has "$logs/hercules-crash.log" 'PSW=00020001 80000000 0000000000000E01'
exit $check_failed
