#!/usr/bin/env bash
# Integration checks under Hercules: the tour with the classic devices, and
# the crash path. Logs go to build/test-logs/.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
logs=$top/build/test-logs
mkdir -p "$logs"

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

log=$logs/hercules-fail.log
CMDLINE=fail "$here/run-tour.sh" > "$log" 2>&1
rc=$?
check hercules.fail.exit-status "exit status $rc, want 1 (log: $log)" test $rc -eq 1
check hercules.fail.wait-psw "not the failure wait ...BAD (log: $log)" \
	has "$log" 'PSW=00020001 80000000 0000000000000BAD'
check hercules.fail.result "no RESULT line with 1 failed (log: $log)" has "$log" '^RESULT: [0-9]+ passed, 1 failed$'

log=$logs/hercules-crash.log
CMDLINE=crash "$here/run-tour.sh" > "$log" 2>&1
rc=$?
check hercules.crash.exit-status "exit status $rc, want 1 (log: $log)" test $rc -eq 1
check hercules.crash.diagnosis "no program-check diagnosis (log: $log)" \
	has "$log" '^\*\*\* unexpected program interruption: code 0001 \(operation\)'
check hercules.crash.wait-psw "not the program-check wait ...E01 (log: $log)" \
	has "$log" 'PSW=00020001 80000000 0000000000000E01'
exit $check_failed
