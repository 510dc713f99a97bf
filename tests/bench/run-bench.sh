#!/usr/bin/env bash
# make bench: the benchmarks and their figures, one "BENCH <name> <value>
# <unit>" line each, then the checks against the project's targets.
#
# - the simulator's SSCH-to-TSCH round trip of a one-CCW program (host, -O2);
# - the same loop timed by the s390x image on QEMU with STCK;
# - their ratio.
# Target: at most 250 ns per round trip on the simulator.
#
# - the virtqueue core with a driver and a device thread on two cores,
#   split and packed, ns per operation and as a ratio to a cache-line
#   ping-pong round trip between the same cores (median of 5 runs).
# Targets: packed at most 0.3 round trips per operation, split at most 0.9.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bench=${BENCH_BIN:-$top/build/bench/bench-css}
limit_ns=250
status=0

sim_out=$("$bench") || { echo "bench: $bench failed"; exit 1; }
echo "$sim_out"
sim_ns=$(echo "$sim_out" | awk '$2 == "sim.ssch-tsch-roundtrip" {print $3}')

qemu_out=$(CMDLINE=bench OUT=$(dirname "$bench")/qemu "$top/tests/qemu/run-tour.sh" 2>&1)
img=$(echo "$qemu_out" | grep -E '^BENCH image\.ssch-tsch-roundtrip ' | tail -1)
if [ -z "$img" ]; then
	echo "bench: the image printed no round-trip figure:"
	echo "$qemu_out" | tail -20
	exit 1
fi
qemu_ns=$(echo "$img" | awk '{print $3}')
echo "BENCH qemu.ssch-tsch-roundtrip $qemu_ns ns"
ratio=$(awk -v q="$qemu_ns" -v s="$sim_ns" 'BEGIN { printf "%.2f", q / s }')
echo "BENCH qemu-over-sim.ssch-tsch-roundtrip $ratio ratio"
# The same run's virtio-blk sequential read of the scratch disk (16 MiB,
# 8 x 128 KiB in flight, timed with STCK by the image).
seq=$(echo "$qemu_out" | grep -E '^BENCH image\.vblk-seq-read\.' | tail -1)
if [ -n "$seq" ]; then
	echo "$seq"
else
	echo "bench: the image printed no virtio-blk sequential-read figure"
	status=1
fi

if awk -v s="$sim_ns" -v l="$limit_ns" 'BEGIN { exit !(s <= l) }'; then
	echo "target met: simulator round trip ${sim_ns} ns <= ${limit_ns} ns"
else
	echo "target missed: simulator round trip ${sim_ns} ns > ${limit_ns} ns"
	status=1
fi
ring_bin=${RING_BENCH_BIN:-$top/build/bench/bench-ring}
ring_out=$("$ring_bin" "${RING_OPS:-10000000}" 5) || { echo "bench: $ring_bin failed"; exit 1; }
echo "$ring_out"
ratio_of() { echo "$ring_out" | awk -v n="$1" '$2 == n {print $3}'; }
for layout in packed:0.3 split:0.9; do
	name=${layout%%:*} limit=${layout#*:}
	r=$(ratio_of "ring.$name-op-over-roundtrip")
	if awk -v r="$r" -v l="$limit" 'BEGIN { exit !(r <= l) }'; then
		echo "target met: $name ring $r round trips per operation <= $limit"
	else
		echo "target missed: $name ring $r round trips per operation > $limit"
		status=1
	fi
done

# - virtio-blk: random 4 KiB reads through the whole stack on the simulator
#   (driver, ring, DIAGNOSE 0x500 of the host port, device model,
#   completion) at depth 1 and 32, and a 4 KiB memcpy over the same working
#   set (median of 5 runs), twice: over the whole 64 MiB memory disk (both
#   copies miss the caches) and over 256 KiB of it (".hot": both hit).
# Target: at depth 32 a request costs at most 5 of those memcpys, in both.
blk_bin=${BLK_BENCH_BIN:-$top/build/bench/bench-blk}
blk_limit=5
blk_out=$("$blk_bin") || { echo "bench: $blk_bin failed"; exit 1; }
echo "$blk_out"
for set in "" .hot; do
	r=$(echo "$blk_out" | awk -v n="sim.vblk-4k-read$set.qd32-over-memcpy" '$2 == n {print $3}')
	what="virtio-blk 4 KiB read${set:+ (cache-resident)} at depth 32"
	if [ -z "$r" ]; then
		echo "target missed: $what: no ratio printed"
		status=1
	elif awk -v r="$r" -v l="$blk_limit" 'BEGIN { exit !(r <= l) }'; then
		echo "target met: $what $r memcpys per request <= $blk_limit"
	else
		echo "target missed: $what $r memcpys per request > $blk_limit"
		status=1
	fi
done

# - ccwboot on QEMU (tests/bench/boot-bench.sh): time to the kernel against
#   QEMU's BIOS, load rate against the tour's sequential read, TFTP, sizes.
"$top/tests/bench/boot-bench.sh" || status=1
# - ccwboot from a 3390 (tests/bench/eckd-bench.sh): its load rate under
#   Hercules and in the simulator against one record per channel program.
"$top/tests/bench/eckd-bench.sh" || status=1
# - virtio-scsi beside virtio-blk on the same file (tests/bench/scsi-bench.sh):
#   sequential read on QEMU and in the simulator.
"$top/tests/bench/scsi-bench.sh" || status=1
exit $status
