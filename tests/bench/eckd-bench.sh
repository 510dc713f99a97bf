#!/usr/bin/env bash
# ccwboot's load rate from a 3390, under Hercules 3.13 and in the simulator
# (the host ccwboot on the same volume), each against the rate of one
# record per channel program measured in the same run: ccwboot loads the
# entry (the test kernel and a 64 MiB initrd on a volume mkboot --ckd made)
# with multitrack reads of up to 64 records per channel program, then, as
# the IPL parameter's word CCWBOOT.BENCH asks, reads up to 2048 of the same
# records again, each by a channel program of its own, into memory nothing
# was loaded to; both timed (STCK under Hercules, the host's clock in the
# simulator, whose own clock is virtual). Median of 3 runs each.
#
#   BENCH eckd.hercules-load-rate / -one-record-rate / -load-vs-one-record
#   BENCH eckd.sim-load-rate / -one-record-rate / -load-vs-one-record
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${BENCH_OUT:-$top/build/bench/eckd}
stub=${STUB_KERNEL:-$top/build/s390x/stubkernel}
mkboot=${MKBOOT:-$top/build/host/mkboot}
hostboot=${HOST_CCWBOOT:-$top/build/host/ccwboot}
runs=${ECKD_BENCH_RUNS:-3}
status=0
rm -rf "$out" && mkdir -p "$out"

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

(cd "$out" && dasdinit bench.3390 3390 BENCH1 200 > dasdinit.log 2>&1) ||
	{ echo "bench: dasdinit failed (log: $out/dasdinit.log)"; exit 1; }
head -c $((64 << 20)) /dev/urandom > "$out/initrd"
"$mkboot" --ckd "$out/bench.3390" --kernel="$stub" --initrd="$out/initrd" --append="stub.nohash" \
	> "$out/mkboot.log" 2>&1 || { echo "bench: mkboot failed (log: $out/mkboot.log)"; exit 1; }
rm -f "$out/initrd"
cat > "$out/hercules.cnf" <<CNF
ARCHMODE  z/Arch
MAINSIZE  512
NUMCPU    1
CPUMODEL  2097
OSTAILOR  QUIET
PANRATE   FAST
0009  3215-C  /
0120  3390    bench.3390
CNF
printf '%s\n' 'hao tgt HHCCP011I' 'hao cmd quit' 'hao tgt HHCCP016I' 'hao cmd quit' \
	'hao tgt HHCCP029E' 'hao cmd quit' 'ipl 0120 parm ccwboot.bench' > "$out/hercules.rc"

for i in $(seq "$runs"); do
	(cd "$out" && HERCULES_RC=hercules.rc timeout -k 5 120 hercules -f hercules.cnf -d \
		> "hercules-$i.log" 2>&1 < /dev/null)
	(cd "$out" && "$hostboot" -f hercules.cnf --ipl 0120 --bench > "sim-$i.log" 2>&1)
done

# figure PLATFORM NAME: the median of NAME's BENCH value in PLATFORM's logs.
figure() {
	cat "$out/$1"-*.log 2>/dev/null | awk -v n="BENCH ccwboot.$2" '$1 " " $2 == n { print $3 }' | median
}
for p in hercules sim; do
	load=$(figure $p eckd-load-rate)
	one=$(figure $p eckd-one-record-rate)
	ratio=$(figure $p eckd-load-vs-one-record)
	if [ -z "$load" ] || [ -z "$one" ] || [ -z "$ratio" ]; then
		echo "bench: no ECKD figure from $p (logs: $out/$p-*.log)"
		status=1
		continue
	fi
	echo "BENCH eckd.$p-load-rate $load MiB/s"
	echo "BENCH eckd.$p-one-record-rate $one MiB/s"
	echo "BENCH eckd.$p-load-vs-one-record $ratio ratio"
done
rm -f "$out/bench.3390"
exit $status
