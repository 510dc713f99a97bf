#!/usr/bin/env bash
# Every test of the project, in order: the CUnit suites (host, under
# AddressSanitizer and UBSan), then the QEMU and Hercules integration
# checks. Ends with one line "<n> passed, <m> failed" and exits non-zero on
# any failure. Run through "make test", which builds first.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
logs=build/test-logs
mkdir -p "$logs"
passed=0
failed=0

# A suite that cannot even report counts as one failure.
unit_log=$logs/unit.log
unit_bin=${UNIT_BIN:-build/host/unit-tests}
echo "== CUnit suites ($unit_bin)"
"$unit_bin" 2>&1 | tee "$unit_log"
line=$(grep -E '^CUNIT: [0-9]+ run, [0-9]+ failed$' "$unit_log" | tail -1)
if [ -n "$line" ]; then
	run=$(echo "$line" | awk '{print $2}')
	nfail=$(echo "$line" | awk '{print $4}')
	passed=$((passed + run - nfail))
	failed=$((failed + nfail))
else
	echo "unit-tests did not finish (log: $unit_log)"
	failed=$((failed + 1))
fi

for script in qemu/test.sh qemu/hotplug.sh qemu/scsi-hotplug.sh qemu/boot.sh qemu/ccwboot.sh qemu/linux.sh hercules/test.sh hercules/ccwboot.sh sim/test.sh sim/compare.sh \
	sim/refuse.sh libccwsim/test.sh fuzz/replay.sh; do
	echo
	echo "== tests/$script"
	out=$logs/$(echo "$script" | tr / -).checks.log
	"tests/$script" 2>&1 | tee "$out"
	p=$(grep -cE '^CHECK [^ ]+ PASS' "$out")
	f=$(grep -cE '^CHECK [^ ]+ FAIL' "$out")
	if [ $((p + f)) -eq 0 ]; then
		echo "tests/$script reported no checks"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
