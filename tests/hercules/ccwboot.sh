#!/usr/bin/env bash
# ccwboot under Hercules 3.13, IPLed from a 3390 that mkboot --ckd made
# bootable (tools/ckdboot.h):
#   - Debian 12's s390x Linux with the marker initramfs (fetched once into
#     build/linux), entry 1, and entry 2 by `loadparm 2` with an IPL
#     parameter (`ipl 0120 parm ...`) added to its command line: the
#     marker and the command line in the Hercules log, and the power-off;
#   - the test kernel on a second volume: ccwboot's lines only;
#   - a volume whose boot map points past its end: ccwboot's line, and the
#     failure wait;
#   - for each, the host ccwboot on the same configuration and volume
#     (-f ... --ipl 0120) prints what ccwboot printed under Hercules;
#   - what mkboot --ckd refuses.
# Logs: build/test-logs/hercules-ccwboot/ (LOGS overrides).
#
# tests/hercules/ccwboot.sh --run   IPLs Linux (entry 1) with the Hercules
#                                   log on the terminal (make run-hercules-linux)
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
linux=${LINUX_DIR:-$top/build/linux}
mkboot=${MKBOOT:-$top/build/host/mkboot}
hostboot=${HOST_CCWBOOT:-$top/build/host/ccwboot}
stub=${STUB_KERNEL:-$top/build/s390x/stubkernel}
marker=CCWBOOT-LINUX-MARKER
run=false
[ "${1:-}" = --run ] && run=true

# hercules_ipl DIR VOLUME LOADPARM PARM LIMIT: Hercules in DIR with a 3215
# console at 0009 and VOLUME as the 3390 0120, CPUMODEL 2097, 512 MB
# (what Debian's kernel needs, reference/boot-linux.md), `loadparm
# LOADPARM` when not empty, then `ipl 0120 [parm PARM]`; it quits at a
# disabled wait, at Linux's power-off (a SIGP stop) or at a failed IPL,
# and is killed after LIMIT seconds. The log is DIR/hercules.log; the
# exit status is timeout's.
hercules_ipl() {
	local dir=$1 vol=$2 lp=$3 parm=$4 limit=$5
	mkdir -p "$dir"
	cat > "$dir/hercules.cnf" <<CNF
ARCHMODE  z/Arch
MAINSIZE  512
NUMCPU    1
CPUSERIAL 000611
CPUMODEL  2097
OSTAILOR  QUIET
PANRATE   FAST
0009  3215-C  /
0120  3390    $vol
CNF
	{
		printf '%s\n' 'hao tgt HHCCP011I' 'hao cmd quit' 'hao tgt HHCCP016I' 'hao cmd quit' \
			'hao tgt HHCCP029E' 'hao cmd quit' 'hao tgt SIGP Stop' 'hao cmd quit'
		[ -n "$lp" ] && echo "loadparm $lp"
		if [ -n "$parm" ]; then echo "ipl 0120 parm $parm"; else echo "ipl 0120"; fi
	} > "$dir/hercules.rc"
	(cd "$dir" && HERCULES_RC=hercules.rc timeout -k 5 "$limit" hercules -f hercules.cnf -d \
		> hercules.log 2>&1 < /dev/null)
}

prepare_linux() { # the kernel, the initramfs that waits after each line
	"$top/tests/linux/fetch-debian.sh" "$linux" || return 1
	if [ ! -s "$linux/initrd-settle.gz" ] || [ "$linux/busybox" -nt "$linux/initrd-settle.gz" ]; then
		python3 "$top/tests/linux/initramfs.py" "$linux/initrd-settle.gz" \
			--busybox="$linux/busybox" --marker="$marker" --settle=2 || return 1
	fi
}

# A volume of CYLS cylinders made by dasdinit: new_volume FILE SERIAL CYLS.
new_volume() {
	rm -f "$1"
	(cd "$(dirname "$1")" && dasdinit "$(basename "$1")" 3390 "$2" "$3" > /dev/null 2>&1)
}

if $run; then
	dir=$top/build/hercules-linux
	mkdir -p "$dir"
	prepare_linux || { echo "run-hercules-linux: Debian's kernel could not be prepared"; exit 1; }
	new_volume "$dir/linux.3390" LINUX1 100 || { echo "run-hercules-linux: dasdinit failed"; exit 1; }
	"$mkboot" --ckd "$dir/linux.3390" --kernel="$linux/vmlinuz" --initrd="$linux/initrd-settle.gz" \
		--append="console=ttyS0 entry=one" || exit 1
	echo "run-hercules-linux: ipl 0120 under Hercules (Linux takes about 40 s in Hercules)"
	hercules_ipl "$dir" linux.3390 "" "" 240
	sed -n '/^ipl /,/^HHCAO003I/p' "$dir/hercules.log" | grep -v '^HHCAO003I'
	if grep -q "^$marker" "$dir/hercules.log"; then
		echo "run-hercules-linux: Linux reached its initramfs through ccwboot from the 3390"
		exit 0
	fi
	echo "run-hercules-linux: no marker line; the log is $dir/hercules.log"
	exit 1
fi

start_logs hercules-ccwboot

# ccwboot's lines under Hercules and on the host, compared: same_on_host
# NAME DIR LOADPARM PARM.
same_on_host() {
	local name=$1 dir=$2 lp=$3 parm=$4 args=()
	[ -n "$lp" ] && args+=(--loadparm "$lp")
	[ -n "$parm" ] && args+=(--parm "$parm")
	(cd "$dir" && "$hostboot" -f hercules.cnf --ipl 0120 "${args[@]}") > "$dir/host.log" 2>&1
	grep '^ccwboot:' "$dir/hercules.log" | grep -v ' us: ' > "$dir/lines"
	grep '^ccwboot:' "$dir/host.log" | grep -v '^ccwboot: not started' > "$dir/host.lines"
	check "hercules-ccwboot.$name.host-same" "(diff $dir/lines $dir/host.lines)" \
		cmp -s "$dir/lines" "$dir/host.lines"
}

# esa_after_start LOG: Hercules switched to ESA/390 after ccwboot's start line.
esa_after_start() {
	sed -n '/^ccwboot: start PSW/,$p' "$1" | grep -q 'architecture mode set to ESA/390'
}

# --- The test kernel: quick, ccwboot's lines only (it prints on the SCLP's
# ASCII console, which Hercules 3.13 does not show). ---
dir=$logs/stub
mkdir -p "$dir"
new_volume "$dir/stub.3390" STUB01 10
head -c 300001 /dev/urandom > "$dir/initrd.bin"
"$mkboot" --ckd "$dir/stub.3390" --kernel="$stub" --initrd="$dir/initrd.bin" --append="stub one" \
	--entry --kernel="$stub" --append="stub two" \
	--entry --kernel="$stub" --append="stub psw" --psw=0008000080010010 > "$dir/mkboot.log" 2>&1
rc=$?
check hercules-ccwboot.mkboot "exit status $rc (log: $dir/mkboot.log)" test $rc -eq 0
check hercules-ccwboot.mkboot.says "no summary (log: $dir/mkboot.log)" \
	has "$dir/mkboot.log" '^mkboot: .*stub\.3390: volume STUB01, 10 cylinders: 3 entries$'
check hercules-ccwboot.mkboot.keeps-vol1 "(log: $dir/mkboot.log)" \
	has "$dir/mkboot.log" '^mkboot: rewritten: IPL1 and IPL2 \(cylinder 0 head 0\); VOL1 kept$'
check hercules-ccwboot.mkboot.overwrites "(log: $dir/mkboot.log)" \
	has "$dir/mkboot.log" '^mkboot: overwritten: cylinder 0 head 2 to cylinder 0 head [0-9]+ .*all empty before\)$'
for r in "entry-1|||command line \"stub one\"" "entry-2|2|x=1|command line \"stub two X=1\""; do
	IFS='|' read -r name lp parm line <<< "$r"
	d=$dir/$name
	mkdir -p "$d"
	ln -sf ../stub.3390 "$d/stub.3390"
	hercules_ipl "$d" stub.3390 "$lp" "$parm" 60
	check "hercules-ccwboot.stub-$name.placed" "no line ccwboot: $line (log: $d/hercules.log)" \
		has "$d/hercules.log" "^ccwboot: $line\$"
	check "hercules-ccwboot.stub-$name.started" "ccwboot did not start it (log: $d/hercules.log)" \
		has "$d/hercules.log" '^ccwboot: start PSW 0008000080010000, a Linux kernel'
	check "hercules-ccwboot.stub-$name.rate" "no load rate (log: $d/hercules.log)" \
		has "$d/hercules.log" '^BENCH ccwboot.load-rate [0-9.]+ MiB/s$'
	same_on_host "stub-$name" "$d" "$lp" "$parm"
done
# Entry 3 is entered at 0x10010 through its PSW, as zipl's are: with no
# DIAG 308 under Hercules, ccwboot goes back to ESA/390 and loads the PSW
# at 0, as the end of an IPL does. (The test kernel's code there wants
# z/Architecture: the program-interruption loop that follows shows where
# the CPU went.)
d=$dir/entry-3
mkdir -p "$d"
ln -sf ../stub.3390 "$d/stub.3390"
hercules_ipl "$d" stub.3390 3 "" 60
check hercules-ccwboot.stub-psw.started "(log: $d/hercules.log)" \
	has "$d/hercules.log" '^ccwboot: start PSW 0008000080010010, entered as an IPL leaves a program \(ESA/390, the PSW at 0\)$'
check hercules-ccwboot.stub-psw.esa390 "no switch to ESA/390 after the start line (log: $d/hercules.log)" \
	esa_after_start "$d/hercules.log"
same_on_host stub-psw "$d" 3 ""

# --- A volume whose program-table pointer names cylinder 500 of 10: the
# IPL2 record's data is at byte 69 of track 0 in the image (the home
# address, R0 with 8 data bytes, IPL1 with key and 24 bytes, IPL2's count
# and key), the pointer at its byte 96. ---
d=$dir/broken
mkdir -p "$d"
cp "$dir/stub.3390" "$d/stub.3390"
printf '\001\364' | dd of="$d/stub.3390" bs=1 seek=$((512 + 69 + 96)) conv=notrunc status=none
hercules_ipl "$d" stub.3390 "" "" 60
check hercules-ccwboot.broken.says "no line about the pointer (log: $d/hercules.log)" \
	has "$d/hercules.log" '^ccwboot: 0\.0\.0120 \(volume STUB01\): the program-table pointer in cylinder 0 head 0 record 2: 1 records from cylinder 500 head [0-9]+, past the end of the volume \(10 cylinders\)$'
check hercules-ccwboot.broken.failure-wait "no failure wait (log: $d/hercules.log)" \
	has "$d/hercules.log" 'PSW=00020001 80000000 0000000000000BAD'
same_on_host broken "$d" "" ""

# --- What mkboot --ckd refuses. ---
head -c 1000000 /dev/zero > "$dir/raw.img"
"$mkboot" --ckd "$dir/raw.img" --kernel="$stub" > "$dir/refuse-raw.log" 2>&1
rc=$?
check hercules-ccwboot.refuse.not-ckd "exit status $rc (log: $dir/refuse-raw.log)" test $rc -eq 1
check hercules-ccwboot.refuse.not-ckd.says "(log: $dir/refuse-raw.log)" \
	has "$dir/refuse-raw.log" 'is not a Hercules CKD volume'
new_volume "$dir/small.3390" SMALL1 1
head -c $((3 << 20)) /dev/urandom > "$dir/big.bin"
"$mkboot" --ckd "$dir/small.3390" --kernel="$stub" --initrd="$dir/big.bin" > "$dir/refuse-small.log" 2>&1
rc=$?
check hercules-ccwboot.refuse.too-small "exit status $rc (log: $dir/refuse-small.log)" test $rc -eq 1
check hercules-ccwboot.refuse.too-small.says "(log: $dir/refuse-small.log)" \
	has "$dir/refuse-small.log" 'has 1 cylinders; this boot map needs [0-9]+'
"$mkboot" --ckd "$dir/small.3390" --loader="$stub" --kernel="$stub" > "$dir/refuse-loader.log" 2>&1
rc=$?
check hercules-ccwboot.refuse.loader "exit status $rc (log: $dir/refuse-loader.log)" test $rc -eq 1
check hercules-ccwboot.refuse.loader.says "(log: $dir/refuse-loader.log)" \
	has "$dir/refuse-loader.log" 'not a 64-bit big-endian s390x ELF'

# --- Debian's Linux. ---
prepare_linux > "$logs/prepare.log" 2>&1
prepared=$?
check hercules-ccwboot.linux.prepare "Debian's kernel could not be prepared (log: $logs/prepare.log)" \
	test $prepared -eq 0
[ $prepared -eq 0 ] || exit 1
dir=$logs/linux
mkdir -p "$dir"
new_volume "$dir/linux.3390" LINUX1 100
"$mkboot" --ckd "$dir/linux.3390" --kernel="$linux/vmlinuz" --initrd="$linux/initrd-settle.gz" \
	--append="console=ttyS0 entry=one" \
	--entry --kernel="$linux/vmlinuz" --initrd="$linux/initrd-settle.gz" \
	--append="console=ttyS0 entry=two" > "$dir/mkboot.log" 2>&1
rc=$?
check hercules-ccwboot.linux.mkboot "exit status $rc (log: $dir/mkboot.log)" test $rc -eq 0
for r in "entry-1|||console=ttyS0 entry=one" "entry-2|2|quiet|console=ttyS0 entry=two QUIET"; do
	IFS='|' read -r name lp parm line <<< "$r"
	d=$dir/$name
	mkdir -p "$d"
	ln -sf ../linux.3390 "$d/linux.3390"
	t0=$(date +%s)
	hercules_ipl "$d" linux.3390 "$lp" "$parm" 180
	rc=$?
	t1=$(date +%s)
	log=$d/hercules.log
	check "hercules-ccwboot.linux-$name.in-time" "killed after 180 s (log: $log)" test $rc -ne 124
	check "hercules-ccwboot.linux-$name.marker" "no $marker line (log: $log)" has "$log" "^$marker\$"
	check "hercules-ccwboot.linux-$name.cmdline" "no command line \"$line\" (log: $log)" \
		has "$log" "^cmdline: $line[[:space:]]*\$"
	check "hercules-ccwboot.linux-$name.power-off" "Linux did not power off (log: $log)" \
		has "$log" 'SIGP Stop'
	echo "hercules-ccwboot: linux $name: $((t1 - t0)) s to power-off"
	same_on_host "linux-$name" "$d" "$lp" "$parm"
done
exit $check_failed
