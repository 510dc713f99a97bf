#!/usr/bin/env bash
# Units of a virtio-scsi adapter that come and go: the tour's
# scsi-hotplug=2 option on QEMU, driven through QMP (device_add of a
# scsi-hd at 0:3, then device_del), and on ccwsim with the same steps
# scheduled by --hotplug-at. The driver takes each event (virtio 1.3,
# 5.6.6.3: a transport reset, RESCAN or REMOVED, with the unit's
# address) and the tour scans again until the units agree with the
# event; both runs must print the same lines. Logs go to build/test-logs/scsi-hotplug/.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
start_logs scsi-hotplug q s

add="scsi-hd,bus=s0.0,drive=hd3,scsi-id=0,lun=3,id=u3"
for side in q s; do
	rm -f "$logs/$side/d0.img" "$logs/$side/d3.img" &&
		truncate -s 4M "$logs/$side/d0.img" && truncate -s 1M "$logs/$side/d3.img"
done
base() { # dir
	echo "-device virtio-scsi-ccw,id=s0 -drive if=none,id=h0,file=$1/d0.img,format=raw" \
		"-device scsi-hd,bus=s0.0,drive=h0 -drive if=none,id=hd3,file=$1/d3.img,format=raw"
}

# QEMU, driven through QMP: each step when the tour has said the one before.
qlog=$logs/qemu.log
sock=$logs/qmp.sock
rm -f "$sock"
# shellcheck disable=SC2046 # base gives separate options
DEVICES="$(base "$logs/q") -qmp unix:$sock,server=on,wait=off" CMDLINE="scsi-hotplug=2" \
	OUT=$logs/q TIMEOUT=90 "$here/run-tour.sh" > "$qlog" 2>&1 &
qemu_pid=$!
python3 - "$here" "$sock" "$qlog" "$add" > "$logs/qmp.log" 2>&1 <<'PY'
import sys

sys.path.insert(0, sys.argv[1])
from qmp import Qmp, device_props, log_text, until

sock, log, add = sys.argv[2], sys.argv[3], sys.argv[4]
text = lambda: log_text(log)
q = Qmp(sock)
until(lambda: "waiting for 2 changes" in text(), "the tour's wait")
props = device_props(add)
q.cmd("device_add", **props)
until(lambda: "event: unit 0:3 added" in text(), "the added unit's event")
q.cmd("device_del", id=props["id"])
until(lambda: "event: unit 0:3 removed" in text(), "the removed unit's event")
PY
qmp_rc=$?
wait $qemu_pid
qrc=$?

slog=$logs/sim.log
# shellcheck disable=SC2046
"$ccwsim" -nodefaults $(base "$logs/s") -append "scsi-hotplug=2" \
	"--hotplug-at=1000:add:$add" "--hotplug-at=2000:del:u3" > "$slog" 2>&1
src=$?

tour_lines() {
	sed -n '/^ccw tour$/,/^RESULT:/p' "$1" | grep -v -e '^platform: ' -e '^BENCH '
}
tour_lines "$qlog" > "$qlog.tour"
tour_lines "$slog" > "$slog.tour"
check scsi-hotplug.qmp "QMP steps failed ($logs/qmp.log)" test $qmp_rc -eq 0
check scsi-hotplug.qemu.passes "QEMU: exit status $qrc (log: $qlog)" test $qrc -eq 0
check scsi-hotplug.sim.passes "ccwsim: exit status $src (log: $slog)" test $src -eq 0
check scsi-hotplug.same-as-qemu "differs: diff $qlog.tour $slog.tour" cmp -s "$qlog.tour" "$slog.tour"
check scsi-hotplug.added "no event of the added unit (log: $qlog)" \
	has "$qlog" '^0\.0\.0000 virtio-scsi: event: unit 0:3 added$'
check scsi-hotplug.found "the added unit not found by the scan (log: $qlog)" \
	has "$qlog" '^0\.0\.0000 virtio-scsi: units now: 0:0 disk, 0:3 disk$'
check scsi-hotplug.removed "no event of the removed unit (log: $qlog)" \
	has "$qlog" '^0\.0\.0000 virtio-scsi: event: unit 0:3 removed$'
check scsi-hotplug.gone "the removed unit still found (log: $qlog)" \
	has "$qlog" '^0\.0\.0000 virtio-scsi: units now: 0:0 disk$'
check scsi-hotplug.test "(log: $qlog)" has "$qlog" '^TEST virtio\.scsi-hotplug\.0\.0\.0000 PASS 2 of 2 changes seen$'
exit $check_failed
