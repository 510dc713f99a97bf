# Helpers for the integration test scripts: each check prints one line
# "CHECK <name> PASS|FAIL [detail]" that tests/run-all.sh counts.

# check NAME DETAIL COMMAND...: PASS when COMMAND succeeds.
check() {
	local name=$1 detail=$2
	shift 2
	if "$@"; then
		echo "CHECK $name PASS"
	else
		echo "CHECK $name FAIL $detail"
		check_failed=1
	fi
}

# has FILE REGEX: the file has a line matching the extended regex.
has() {
	grep -qE -- "$2" "$1"
}

# lacks FILE REGEX: no line matches.
lacks() {
	! grep -qE -- "$2" "$1"
}

check_failed=0

# start_logs NAME [SUBDIR...]: the script's logs in build/test-logs/NAME
# (LOGS overrides build/test-logs), emptied, with the subdirectories;
# ccwsim and image name the builds (CCWSIM and IMAGE override them).
# Needs $top, the repository.
start_logs() {
	logs=${LOGS:-$top/build/test-logs}/$1
	shift
	rm -rf "$logs" && mkdir -p "$logs"
	for sub in "$@"; do
		mkdir -p "$logs/$sub"
	done
	ccwsim=${CCWSIM:-$top/build/host/ccwsim}
	image=${IMAGE:-$top/build/s390x/tour.elf}
}

# hercules_cnf FILE CARDS [DASD_OPTS]: the Hercules 3.13 configuration of
# the Hercules runs (tests/hercules/run-tour.sh) and of ccwsim -f: 3215-C
# console 0009, 3505 reader 000C with the EBCDIC deck CARDS, 1403 printer
# 000E on printer.txt, 3390 0120 on disk.3390 with DASD_OPTS; the files
# relative to FILE's directory.
hercules_cnf() {
	cat > "$1" <<CNF
ARCHMODE  z/Arch
MAINSIZE  64
NUMCPU    1
CPUSERIAL 000611
CPUMODEL  2064
OSTAILOR  QUIET
PANRATE   FAST
0009  3215-C  /
000C  3505    $2  ebcdic
000E  1403    printer.txt
0120  3390    disk.3390 ${3:-}
CNF
}

# check_bad_endings PLATFORM RUNNER: the image's two bad endings on a
# platform, run by RUNNER: CMDLINE=fail ends with exit status 1 and a
# RESULT line with 1 failed, CMDLINE=crash with exit status 1 and the
# program-check diagnosis. The logs stay in $logs/PLATFORM-fail.log and
# $logs/PLATFORM-crash.log for the platform's own checks.
check_bad_endings() {
	local platform=$1 runner=$2 log rc
	log=$logs/$platform-fail.log
	CMDLINE=fail "$runner" > "$log" 2>&1
	rc=$?
	check "$platform.fail.exit-status" "exit status $rc, want 1 (log: $log)" test $rc -eq 1
	check "$platform.fail.result" "no RESULT line with 1 failed (log: $log)" \
		has "$log" '^RESULT: [0-9]+ passed, 1 failed$'
	log=$logs/$platform-crash.log
	CMDLINE=crash "$runner" > "$log" 2>&1
	rc=$?
	check "$platform.crash.exit-status" "exit status $rc, want 1 (log: $log)" test $rc -eq 1
	check "$platform.crash.diagnosis" "no program-check diagnosis (log: $log)" \
		has "$log" '^\*\*\* unexpected program interruption: code 0001 \(operation\)'
}
