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
