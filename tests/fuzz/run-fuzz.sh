#!/usr/bin/env bash
# make fuzz: run each fuzzer named on the command line (default: all of them)
# for FUZZ_SECONDS on a fresh copy of its seed corpus, print its figures as
#   BENCH fuzz.<name>.exec-rate <n> exec/s
#   BENCH fuzz.<name>.execs <n> execs
# and fail on any crash, sanitizer report, leak, timeout or out-of-memory,
# naming the saved input. The fuzzers run one after the other (one core).
#
# FUZZ_DIR      where the binaries are (build/fuzz); runs go to FUZZ_DIR/run/<name>
# FUZZ_SECONDS  seconds per fuzzer (30)
# FUZZ_TIMEOUT  libFuzzer's -timeout: seconds one input may take (3)
# FUZZ_ARGS     more libFuzzer options (e.g. -seed=1, -jobs=2)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=${FUZZ_DIR:-$top/build/fuzz}
secs=${FUZZ_SECONDS:-30}
per_input=${FUZZ_TIMEOUT:-3}
status=0

if [ $# -eq 0 ]; then
	set -- ccw vccw vq_dev vq_drv drivers bootmap tftp
fi

stat_of() {
	awk -v k="stat::$1:" '$1 == k { print $2 }' "$2" | tail -1
}

for name in "$@"; do
	bin=$dir/fuzz_$name
	work=$dir/run/$name
	if [ ! -x "$bin" ]; then
		echo "fuzz: $bin is missing (make fuzz builds it)"
		status=1
		continue
	fi
	rm -rf "$work"
	mkdir -p "$work/corpus" "$work/artifacts"
	cp "$top/tests/fuzz/corpus/$name/"* "$work/corpus/"
	echo "fuzz: $name for ${secs} s ($(ls "$work/corpus" | wc -l) seeds)"
	# The outer timeout only guards against libFuzzer itself hanging.
	# shellcheck disable=SC2086
	start=$(date +%s.%N)
	timeout -k 10 $((secs * 2 + 120)) "$bin" -max_total_time="$secs" -timeout="$per_input" \
		-rss_limit_mb=2048 -detect_leaks=1 -print_final_stats=1 \
		-artifact_prefix="$work/artifacts/" ${FUZZ_ARGS:-} "$work/corpus" \
		>"$work/log" 2>&1
	rc=$?
	execs=$(stat_of number_of_executed_units "$work/log")
	rate=$(stat_of average_exec_per_sec "$work/log")
	# libFuzzer says 0 for a run shorter than a second: count it here.
	if [ "${rate:-0}" = 0 ] && [ -n "$execs" ]; then
		rate=$(awk -v n="$execs" -v s="$start" -v e="$(date +%s.%N)" \
			'BEGIN { d = e - s; printf "%d", d > 0 ? n / d : 0 }')
	fi
	echo "BENCH fuzz.$name.exec-rate ${rate:-0} exec/s"
	echo "BENCH fuzz.$name.execs ${execs:-0} execs"
	found=$(find "$work/artifacts" -type f | sort)
	if [ $rc -ne 0 ] || [ -n "$found" ] ||
		grep -qE '^==[0-9]+==ERROR|runtime error:|ERROR: libFuzzer|check failed:' "$work/log"; then
		echo "fuzz: $name FAILED (exit $rc); log: $work/log"
		grep -E 'runtime error:|^==[0-9]+==ERROR|^SUMMARY|check failed:|ERROR: libFuzzer|^    #[0-9] ' \
			"$work/log" | head -20 | sed 's/^/  /'
		for f in $found; do
			echo "  input: $f"
		done
		[ -z "$found" ] || echo "  replay: $bin <input>; minimise: $bin -minimize_crash=1 -max_total_time=60 <input>"
		status=1
	else
		echo "fuzz: $name passed, no crash, leak or timeout"
	fi
done
exit $status
