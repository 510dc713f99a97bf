#!/usr/bin/env bash
# make test: every input of every fuzzer's corpus (the seeds and the
# regress-* inputs of past findings) given once to its target, built
# without libFuzzer by the host compiler under AddressSanitizer and UBSan
# (tests/fuzz/replay.c). One check per input; a target that aborts, or a
# sanitizer report, fails it with the report's first lines.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bindir=${REPLAY_DIR:-$top/build/host}
logs=${LOGS:-$top/build/test-logs}/replay
rm -rf "$logs" && mkdir -p "$logs"
status=0

for dir in "$top"/tests/fuzz/corpus/*/; do
	name=$(basename "$dir")
	bin=$bindir/replay-$name
	if [ ! -x "$bin" ]; then
		echo "CHECK fuzz.$name.built FAIL $bin is missing (make host builds it)"
		status=1
		continue
	fi
	n=0
	for input in "$dir"*; do
		base=$(basename "$input")
		log=$logs/$name.$base.log
		n=$((n + 1))
		if timeout 60 "$bin" "$input" >"$log" 2>&1 && grep -q "^CHECK fuzz.$name.$base PASS" "$log"; then
			echo "CHECK fuzz.$name.$base PASS"
		else
			echo "CHECK fuzz.$name.$base FAIL $(grep -m3 -E 'ERROR|runtime error|abort|fuzz:' "$log" | tr '\n' ' ')"
			status=1
		fi
	done
	[ "$n" -gt 0 ] || { echo "CHECK fuzz.$name.corpus FAIL empty corpus"; status=1; }
done
exit $status
