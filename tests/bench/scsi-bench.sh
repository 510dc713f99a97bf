#!/usr/bin/env bash
# make bench: virtio-scsi beside virtio-blk on the same file, on equal
# terms (the same 16 MiB read in 128 KiB requests, 8 in flight):
#
# - on QEMU, the tour reads one 64 MiB file of random bytes attached
#   read-only both as a virtio-blk disk and as a scsi-hd on a
#   virtio-scsi-ccw, in the same run, timed with STCK by the image; median
#   of SCSI_BENCH_RUNS runs (default 5) of each and their ratio;
# - in the simulator (build/bench/bench-scsi), the whole file read 8 times
#   through each driver on the host clock, the runs interleaved, median of 5.
#
# Target (the project's own): virtio-scsi reads at least 0.7 of
# virtio-blk's rate on each; a command carries a 51-byte request and a
# 108-byte response where virtio-blk has 16 bytes and 1, which must not
# cost more than that at 128 KiB a command.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SCSI_BENCH_BIN:-$top/build/bench/bench-scsi}
runs=${SCSI_BENCH_RUNS:-5}
out=$top/build/bench/scsi
limit=0.7
status=0
mkdir -p "$out" || exit 1

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

file=$out/seq.img
[ -s "$file" ] || head -c $((64 << 20)) /dev/urandom > "$file" || exit 1
devices="-drive if=none,id=b0,file=$file,format=raw,readonly=on -device virtio-blk-ccw,drive=b0"
devices+=" -device virtio-scsi-ccw,id=s0 -drive if=none,id=h0,file=$file,format=raw,readonly=on"
devices+=" -device scsi-hd,bus=s0.0,drive=h0"
: > "$out/blk.txt"
: > "$out/scsi.txt"
for _ in $(seq "$runs"); do
	log=$(DEVICES="$devices" CMDLINE="" OUT=$out TIMEOUT=90 "$top/tests/qemu/run-tour.sh" 2>&1)
	b=$(echo "$log" | awk '$1 == "BENCH" && $2 ~ /^image\.vblk-seq-read\./ {print $3}')
	s=$(echo "$log" | awk '$1 == "BENCH" && $2 ~ /^image\.vscsi-seq-read\./ {print $3}')
	if [ -z "$b" ] || [ -z "$s" ]; then
		echo "bench: the tour printed no sequential-read figure of both disks:"
		echo "$log" | grep -E '^(TEST|RESULT)' | tail -20
		exit 1
	fi
	echo "$b" >> "$out/blk.txt"
	echo "$s" >> "$out/scsi.txt"
done
qb=$(median < "$out/blk.txt")
qs=$(median < "$out/scsi.txt")
qr=$(awk -v s="$qs" -v b="$qb" 'BEGIN { printf "%.2f", s / b }')
echo "BENCH qemu.vblk-seq-read.same-file $qb MiB/s"
echo "BENCH qemu.vscsi-seq-read.same-file $qs MiB/s"
echo "BENCH qemu.vscsi-over-vblk-seq-read $qr ratio"

sim_out=$("$bin" "$out/sim.img" 5) || { echo "bench: $bin failed"; exit 1; }
echo "$sim_out"
sr=$(echo "$sim_out" | awk '$2 == "sim.vscsi-over-vblk-seq-read" {print $3}')

for pair in "on QEMU:$qr" "in the simulator:$sr"; do
	where=${pair%%:*} r=${pair#*:}
	if [ -n "$r" ] && awk -v r="$r" -v l="$limit" 'BEGIN { exit !(r >= l) }'; then
		echo "target met: virtio-scsi sequential read $where at $r of virtio-blk's >= $limit"
	else
		echo "target missed: virtio-scsi sequential read $where at ${r:-?} of virtio-blk's < $limit"
		status=1
	fi
done
exit $status
