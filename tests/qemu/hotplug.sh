#!/usr/bin/env bash
# Devices that come and go: the tour's hotplug= option on QEMU, driven
# through QMP (device_add, device_del) while the image waits for channel
# reports, and on ccwsim with the same additions and removals scheduled by
# --hotplug-at. Every kind the stack drives (virtio-rng, -blk, -net,
# -serial), in every subchannel set, one removed device's number used
# again; both runs must print the same lines. Logs go to
# build/test-logs/hotplug/.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
start_logs hotplug q s
wait_s=15

# The steps, in order: add DEVICE, or del ID. Each waits on QEMU for the
# tour's line about it; on ccwsim they are a second apart.
steps=(
	"add virtio-rng-ccw,id=r1,devno=fe.1.0010"
	"del r1"
	"add virtio-blk-ccw,id=b1,drive=hd1,devno=fe.2.0020"
	"del b1"
	"add virtio-net-ccw,id=n1,netdev=net1,devno=fe.3.0030"
	"del n1"
	"add virtio-serial-ccw,id=s1,devno=fe.0.0040"
	"del s1"
	"add virtio-rng-ccw,id=r2,devno=fe.1.0010"
)
for side in q s; do
	rm -f "$logs/$side/hd1.img" && truncate -s 4M "$logs/$side/hd1.img" &&
		printf 'CCW-SCRATCH' | dd of="$logs/$side/hd1.img" conv=notrunc status=none
done
base() { # dir
	echo "-device virtio-rng-ccw,devno=fe.0.0001" \
		"-drive if=none,id=hd1,file=$1/hd1.img,format=raw -netdev user,id=net1"
}

# QEMU, driven through QMP.
qlog=$logs/qemu.log
sock=$logs/qmp.sock
# shellcheck disable=SC2046 # base gives separate options
DEVICES="$(base "$logs/q") -qmp unix:$sock,server=on,wait=off" CMDLINE="hotplug=$wait_s seed=6" \
	OUT=$logs/q TIMEOUT=90 "$here/run-tour.sh" > "$qlog" 2>&1 &
qemu_pid=$!
python3 - "$here" "$sock" "$qlog" "${steps[@]}" > "$logs/qmp.log" 2>&1 <<'PY'
import sys

sys.path.insert(0, sys.argv[1])
from qmp import Qmp, device_props, log_text, until

sock, log, steps = sys.argv[2], sys.argv[3], sys.argv[4:]
text = lambda: log_text(log)
q = Qmp(sock)
until(lambda: "hotplug: waiting" in text(), "the tour's hotplug wait")
ids = {}
for step in steps:
    op, arg = step.split(" ", 1)
    if op == "add":
        props = device_props(arg)
        css, ssid, devno = props["devno"].split(".")
        busid = "0.%x.%s" % (int(ssid, 16), devno)
        ids[props["id"]] = busid
        n = text().count("TEST css.attach." + busid + " ")
        q.cmd("device_add", **props)
        until(lambda: text().count("TEST css.attach." + busid + " ") > n, "attach " + busid)
    else:
        busid = ids[arg]
        n = text().count("TEST css.detach." + busid + " ")
        q.cmd("device_del", id=arg)
        until(lambda: text().count("TEST css.detach." + busid + " ") > n, "detach " + busid)
PY
qmp_rc=$?
wait $qemu_pid
qrc=$?

# ccwsim, the same steps on its schedule.
sched=()
t=1000
for step in "${steps[@]}"; do
	sched+=("--hotplug-at=$t:${step%% *}:${step#* }")
	t=$((t + 1000))
done
slog=$logs/sim.log
# shellcheck disable=SC2046
"$ccwsim" -nodefaults $(base "$logs/s") -append "hotplug=$wait_s seed=6" "${sched[@]}" > "$slog" 2>&1
src=$?

tour_lines() {
	sed -n '/^ccw tour$/,/^RESULT:/p' "$1" | grep -v -e '^platform: ' -e '^BENCH '
}
tour_lines "$qlog" > "$qlog.tour"
tour_lines "$slog" > "$slog.tour"
check hotplug.qmp "QMP steps failed ($logs/qmp.log)" test $qmp_rc -eq 0
check hotplug.qemu.passes "QEMU: exit status $qrc (log: $qlog)" test $qrc -eq 0
check hotplug.sim.passes "ccwsim: exit status $src (log: $slog)" test $src -eq 0
check hotplug.same-as-qemu "differs: diff $qlog.tour $slog.tour" cmp -s "$qlog.tour" "$slog.tour"
check hotplug.waits "no hotplug wait (log: $qlog)" has "$qlog" "^hotplug: waiting $wait_s s$"
for b in 0.1.0010:virtio-rng 0.2.0020:virtio-blk 0.3.0030:virtio-net 0.0.0040:virtio-console; do
	id=${b%%:*} name=${b#*:}
	check "hotplug.attach.$id" "no attach line for $id (log: $qlog)" \
		has "$qlog" "^TEST css\\.attach\\.${id//./\\.} PASS $name$"
done
for id in 0.1.0010 0.2.0020 0.3.0030 0.0.0040; do
	check "hotplug.detach.$id" "no detach line for $id (log: $qlog)" \
		has "$qlog" "^TEST css\\.detach\\.${id//./\\.} PASS"
done
check hotplug.again "the device number used again was not attached twice (log: $qlog)" \
	test "$(grep -c '^TEST css\.attach\.0\.1\.0010 PASS' "$qlog")" -eq 2
check hotplug.blk-checked "the added disk was not read and written (log: $qlog)" \
	has "$qlog" '^TEST virtio\.blk-write-verify\.0\.2\.0020 PASS'
check hotplug.rng-checked "the added rng was not read (log: $qlog)" \
	has "$qlog" '^TEST virtio\.rng-read\.0\.1\.0010 PASS'
check hotplug.disk-same "the disks differ after QEMU and ccwsim" cmp -s "$logs/q/hd1.img" "$logs/s/hd1.img"

# A schedule ccwsim cannot carry out is bad input: said, and exit status 2.
log=$logs/sim-bad-step.log
"$ccwsim" -nodefaults -device virtio-rng-ccw -append hotplug=2 --hotplug-at=500:del:nosuch \
	--hotplug-at=5000:add:virtio-rng-ccw > "$log" 2>&1
rc=$?
check hotplug.sim.bad-step "exit status $rc, want 2 (log: $log)" test $rc -eq 2
check hotplug.sim.bad-step-said "the unknown id not named (log: $log)" \
	has "$log" "^ccwsim: --hotplug-at=500:del:nosuch: Device 'nosuch' not found$"
check hotplug.sim.late-step-said "the step after the end not named (log: $log)" \
	has "$log" '^ccwsim: --hotplug-at=5000:add:virtio-rng-ccw: did not happen before the program ended$'

# device_add with the id of a device still plugged in: QEMU's refusal.
log=$logs/sim-id-taken.log
"$ccwsim" -nodefaults -device virtio-rng-ccw,id=r -append hotplug=2 \
	--hotplug-at=500:add:virtio-rng-ccw,id=r,devno=fe.0.0009 > "$log" 2>&1
rc=$?
check hotplug.sim.id-taken "exit status $rc, want 2 (log: $log)" test $rc -eq 2
check hotplug.sim.id-taken-said "no duplicate-id message (log: $log)" \
	has "$log" "Duplicate ID 'r' for device$"
check hotplug.sim.id-taken-not-added "the device was added (log: $log)" \
	lacks "$log" '^TEST css\.attach\.0\.0\.0009 PASS'
exit $check_failed
