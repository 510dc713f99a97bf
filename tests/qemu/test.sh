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
