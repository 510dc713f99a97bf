#!/usr/bin/env bash
# IPL the s390x image under Hercules, headless and bounded, and exit with
# its result: 0 when the CPU stopped in the success wait (PSW address
# ...FFF), 1 otherwise. Hercules' own exit status carries no result
# (reference/platforms.md 8.2), so the log is read.
#
# Environment:
#   CMDLINE   the image's command line, written to the parameter file that
#             the load list places at 0x10480; default: build/s390x/tour.parm
#   IPL       "ins" (load list, default); "deck": the card deck tour.deck in
#             the 3505 reader 000C and "ipl 000c" (reference/platforms.md
#             9.2); or a device number to IPL from
#   TIMEOUT   seconds before the run is killed, default 60
#   OUT       working directory, default build/hercules
#   V=1       show the whole Hercules log, not only the image's output
#   S390X_DIR where tour.bin, tour.parm and tour.deck are, default build/s390x
#   MKDECK    the deck builder, for IPL=deck with a CMDLINE; default: the
#             host build beside S390X_DIR (S390X_DIR/../host/mkdeck)
#   MKINS     the load-list builder, likewise (S390X_DIR/../host/mkins); a
#             command line longer than the image's area is refused
#   PARM      a parameter file to load as it is (for a line the builders
#             refuse), instead of CMDLINE
#   DASD_OPTS options after the 3390's file name (for example "ro")
#
# Devices: 3215-C console 0009, 3505 reader 000C (an empty deck, or
# tour.deck for IPL=deck), 1403 printer 000E, 3390 DASD 0120 (a 10-cylinder
# volume CCWTST made by dasdinit).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
out=${OUT:-$top/build/hercules}
s390x=${S390X_DIR:-$top/build/s390x}
limit=${TIMEOUT:-60}
ipl=${IPL:-ins}

mkdir -p "$out" || exit 1
for f in tour.bin tour.parm; do
	if [ ! -f "$s390x/$f" ]; then
		echo "hercules: no $s390x/$f (run make first)" >&2
		exit 1
	fi
done
# A load list may name only files in its own directory.
cp "$s390x/tour.bin" "$out/tour.bin" || exit 1
mkins=${MKINS:-$s390x/../host/mkins}
if [ -n "${PARM:-}" ]; then
	# Loaded as it is, whatever its length: what a hand-written list does.
	cp "$PARM" "$out/run.parm" &&
		printf '%s\n' '* a hand-written load list' 'tour.bin 0x00000000' \
			'run.parm 0x00010480' > "$out/run.ins" || exit 1
elif [ -n "${CMDLINE+set}" ]; then
	"$mkins" -c "$CMDLINE" "$out/tour.bin" "$out/run.ins" || {
		echo "hercules: $mkins refused the command line" >&2
		exit 1
	}
else
	"$mkins" -p "$s390x/tour.parm" "$out/tour.bin" "$out/run.ins" || exit 1
fi
[ -f "$out/cards.ebc" ] || : > "$out/cards.ebc"
cards=cards.ebc
if [ "$ipl" = deck ]; then
	# The deck carries the command line itself (0x10480): the prebuilt
	# tour.deck has tour.parm's; another command line needs mkdeck.
	cards=tour.deck
	if [ -n "${CMDLINE+set}" ]; then
		mkdeck=${MKDECK:-$s390x/../host/mkdeck}
		"$mkdeck" -p "$out/run.parm" "$out/tour.bin" "$out/tour.deck" || {
			echo "hercules: $mkdeck could not build the deck (run make first)" >&2
			exit 1
		}
	elif [ -f "$s390x/tour.deck" ]; then
		cp "$s390x/tour.deck" "$out/tour.deck" || exit 1
	else
		echo "hercules: no $s390x/tour.deck (run make first)" >&2
		exit 1
	fi
fi
if [ ! -f "$out/disk.3390" ]; then
	(cd "$out" && dasdinit disk.3390 3390 CCWTST 10 > dasdinit.log 2>&1) || {
		echo "hercules: dasdinit failed:" >&2
		cat "$out/dasdinit.log" >&2
		exit 1
	}
fi
hercules_cnf "$out/hercules.cnf" "$cards" "${DASD_OPTS:-}"
case $ipl in
ins) target=run.ins ;;
deck) target=000c ;;
*) target=$ipl ;;
esac
# The automatic operator quits once the CPU stops in a disabled wait or
# in a program-interruption loop, or when a device IPL fails (HHCCP029E,
# platforms.md 5.2).
cat > "$out/hercules.rc" <<RC
hao tgt HHCCP011I
hao cmd quit
hao tgt HHCCP016I
hao cmd quit
hao tgt HHCCP029E
hao cmd quit
ipl $target
RC

echo "hercules: ipl $target in $out"
(cd "$out" && HERCULES_RC=hercules.rc timeout -k 5 "$limit" hercules -f hercules.cnf -d \
	> hercules.log 2>&1 < /dev/null)
rc=$?
log=$out/hercules.log
if [ "${V:-0}" = 1 ]; then
	cat "$log"
else
	# The image's own lines: everything after the IPL that is not a
	# Hercules message or the continuation of one.
	sed -n '/^ipl /,$p' "$log" | grep -v -e '^HHC' -e '^ipl ' -e '^quit$' \
		-e '^CPU[0-9]*: SIGP' -e '^ *PSW=' -e '^ *tid=' -e '^hao '
fi
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	echo "hercules: no result within ${limit}s: killed (log: $log)"
	exit 1
fi
if grep -qE '^ *HHCCP029E' "$log"; then
	echo "hercules: the IPL from $target failed (log: $log)"
	grep -m1 -E '^ *HHCCP029E' "$log"
	exit 1
fi
if ! grep -q 'HHCCP011I CPU0000: Disabled wait state' "$log"; then
	echo "hercules: the CPU never stopped in a disabled wait (log: $log)"
	grep -m1 'HHCCP016I' "$log"
	exit 1
fi
psw=$(grep -o 'PSW=[0-9A-F]\{8\} [0-9A-F]\{8\}\( [0-9A-F]\{16\}\)\?' "$log" | tail -1)
addr=${psw##* }
case $addr in
*FFF) echo "hercules: the image ended in the success wait ($psw)"; exit 0 ;;
*) echo "hercules: the image ended in a failure wait ($psw)"; exit 1 ;;
esac
