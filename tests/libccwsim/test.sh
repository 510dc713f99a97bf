#!/usr/bin/env bash
# libccwsim as another project meets it (README, "Using libccwsim in your
# project"): the public headers checked alone in C99, in C++ and after
# <sys/param.h>; "make install" into a fresh PREFIX; the library exporting
# exactly what the headers declare; examples/ copied out of the tree and
# built with pkg-config against the installed copy, shared (under the
# sanitizers) and static, and run; DESTDIR staging and "make uninstall".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
. tests/lib.sh

make=${MAKE:-make}
headers="sim/sim.h sim/testdev.h sim/vdev.h sim/con3215.h sim/unitrec.h sim/dasd.h sim/ccwsim.h"
check_py=tests/libccwsim/check-headers.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The checker meets headers made to break each rule, then the real ones.
python3 "$check_py" --self-test
# shellcheck disable=SC2086
python3 "$check_py" $headers

prefix=$tmp/prefix
$make -s --no-print-directory install PREFIX="$prefix" >"$tmp/install.log" 2>&1
check lib.install.status "(log: $(tail -3 "$tmp/install.log"))" test $? -eq 0
version=$(sed -n 's/^#define SIM_VERSION "\(.*\)"/\1/p' sim/sim.h)
major=${version%%.*}
missing=""
for f in lib/libccwsim.a "lib/libccwsim.so.$version" "lib/libccwsim.so.$major" lib/libccwsim.so \
	lib/pkgconfig/ccwsim.pc; do
	[ -e "$prefix/$f" ] || missing="$missing $f"
done
for h in $headers; do
	[ -f "$prefix/include/ccwsim/$(basename "$h")" ] || missing="$missing include/ccwsim/$(basename "$h")"
done
check lib.install.files "missing:$missing" test -z "$missing"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
check lib.pkgconfig.version "pkg-config says $(pkg-config --modversion ccwsim 2>&1)" \
	test "$(pkg-config --modversion ccwsim 2>/dev/null)" = "$version"
check lib.soname "" sh -c "readelf -d '$prefix/lib/libccwsim.so.$version' | grep -q 'SONAME.*libccwsim.so.$major'"

# The headers as installed, where a user's compiler finds them.
python3 "$check_py" "$prefix"/include/ccwsim/*.h | sed 's/^CHECK headers\./CHECK installed-headers./'

# Exported: every function and object the headers declare, and nothing else.
# shellcheck disable=SC2086
python3 "$check_py" --functions $headers >"$tmp/declared"
nm -D --defined-only "$prefix/lib/libccwsim.so" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' |
	sort -u >"$tmp/so"
nm --defined-only "$prefix/lib/libccwsim.a" | awk '$2 ~ /^[A-Z]$/ { print $3 }' | sort -u >"$tmp/ar"
check lib.exports.shared "$(diff "$tmp/declared" "$tmp/so" | grep '^[<>]' | head -5 | tr '\n' ' ')" \
	cmp -s "$tmp/declared" "$tmp/so"
check lib.exports.static "$(diff "$tmp/declared" "$tmp/ar" | grep '^[<>]' | head -5 | tr '\n' ' ')" \
	cmp -s "$tmp/declared" "$tmp/ar"
check lib.exports.count "only $(wc -l <"$tmp/declared") names" test "$(wc -l <"$tmp/declared")" -ge 90

# The examples, out of the tree: the CUnit suite's tests become checks.
run_examples() {
	local name=$1
	shift
	local dir=$tmp/ex-$name log=$tmp/ex-$name.log
	rm -rf "$dir"
	cp -r examples "$dir"
	(cd "$dir" && "$make" -s --no-print-directory "$@" check) >"$log" 2>&1
	local rc=$?
	sed -n 's/^ *Test: \(.*\) \.\.\.\(passed\|FAILED\)$/\1|\2/p' "$log" | while IFS='|' read -r t r; do
		slug=$(echo "$t" | tr -c 'A-Za-z0-9\n' '-' | tr -s '-' | sed 's/-$//')
		if [ "$r" = passed ]; then echo "CHECK examples.$name.$slug PASS"; else echo "CHECK examples.$name.$slug FAIL"; fi
	done
	check "examples.$name.status" "(log: $(grep -E 'error|FAIL|Error' "$log" | head -3 | tr '\n' ' '))" \
		test $rc -eq 0
	check "examples.$name.ran" "" has "$log" '^ +tests +11 +11 +11 +0'
	check "examples.$name.cxx" "" has "$log" '^libccwsim .* from C\+\+: ok$'
	cp "$log" "$tmp/last.log"
	[ -x "$dir/test_tdrv" ] && cp "$dir/test_tdrv" "$tmp/test_tdrv-$name"
}
san="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
run_examples shared CFLAGS="$san" CXXFLAGS="$san" LDFLAGS="-fsanitize=address,undefined"
check examples.shared.linked "" sh -c "readelf -d '$tmp/test_tdrv-shared' | grep -q 'NEEDED.*libccwsim.so.$major'"
run_examples static LINK=static
check examples.static.linked "" sh -c "! readelf -d '$tmp/test_tdrv-static' | grep -q libccwsim"
cat "$tmp/ex-shared.log"

# Staging with DESTDIR, then uninstall leaves nothing behind.
stage=$tmp/stage
$make -s --no-print-directory install DESTDIR="$stage" PREFIX=/opt/ccwsim >/dev/null 2>&1
check lib.destdir.files "" test -f "$stage/opt/ccwsim/include/ccwsim/sim.h" -a \
	-f "$stage/opt/ccwsim/lib/libccwsim.a"
check lib.destdir.pc-prefix "" has "$stage/opt/ccwsim/lib/pkgconfig/ccwsim.pc" '^prefix=/opt/ccwsim$'
$make -s --no-print-directory uninstall DESTDIR="$stage" PREFIX=/opt/ccwsim >/dev/null 2>&1
left=$(find "$stage" -type f -o -type l | sed "s|^$stage||" | tr '\n' ' ')
check lib.uninstall.clean "left: $left" test -z "$left"
