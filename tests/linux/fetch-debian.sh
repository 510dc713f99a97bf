#!/usr/bin/env bash
# Debian 12's s390x kernel and busybox-static, for the Linux boots
# (make run-linux, tests/qemu/linux.sh): fetched once from Debian's package
# registry with an apt configuration of their own under OUTDIR (the
# machine's dpkg is left as it was: nothing s390x is installed), unpacked,
# and kept:
#
#   OUTDIR/vmlinuz   the kernel image (Linux's s390x format, S390EP at 0x10008)
#   OUTDIR/busybox   the static s390x busybox
#   OUTDIR/VERSION   the packages they came from
#
# usage: tests/linux/fetch-debian.sh [OUTDIR]   (default build/linux)
# Exit status 0 when both files are there; else 1 with the reason.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top/build/linux}
mkdir -p "$out" || exit 1
out=$(cd "$out" && pwd)
if [ -s "$out/vmlinuz" ] && [ -s "$out/busybox" ]; then
	exit 0
fi
for t in apt-get apt-cache dpkg-deb; do
	command -v "$t" > /dev/null || { echo "fetch-debian: $t is missing (a Debian machine is needed)"; exit 1; }
done
d=$out/apt
mkdir -p "$d/state/lists/partial" "$d/cache/archives/partial" "$d/debs" || exit 1
O=(-o "Dir::State=$d/state" -o "Dir::Cache=$d/cache" -o "Dir::State::status=/dev/null"
   -o "APT::Architecture=s390x" -o "APT::Architectures::=s390x" -o "Debug::NoLocking=1")
echo "fetch-debian: reading Debian's s390x package lists"
if ! timeout 300 apt-get "${O[@]}" update > "$d/update.log" 2>&1; then
	echo "fetch-debian: apt-get update failed (log: $d/update.log):"
	tail -3 "$d/update.log"
	exit 1
fi
# The newest Linux 6.1 image apt offers (not a -dbg or -unsigned one).
kpkg=$(apt-cache "${O[@]}" search --names-only '^linux-image-[0-9][0-9.]*-[0-9]+-s390x$' 2>/dev/null |
	awk '{ print $1 }' | sort -V | tail -1)
if [ -z "$kpkg" ]; then
	echo "fetch-debian: Debian's registry lists no linux-image-*-s390x package"
	exit 1
fi
echo "fetch-debian: downloading $kpkg and busybox-static"
if ! (cd "$d/debs" && timeout 600 apt-get "${O[@]}" download "$kpkg" busybox-static) \
	> "$d/download.log" 2>&1; then
	echo "fetch-debian: apt-get download failed (log: $d/download.log):"
	tail -3 "$d/download.log"
	exit 1
fi
rm -rf "$d/x" && mkdir -p "$d/x"
for deb in "$d/debs/"*.deb; do
	dpkg-deb -x "$deb" "$d/x" || { echo "fetch-debian: cannot unpack $deb"; exit 1; }
done
k=$(ls "$d/x/boot/"vmlinuz-* 2>/dev/null | head -1)
b=$d/x/bin/busybox
if [ -z "$k" ] || [ ! -s "$b" ]; then
	echo "fetch-debian: the packages hold no boot/vmlinuz-* or bin/busybox"
	exit 1
fi
cp "$k" "$out/vmlinuz.part" && mv "$out/vmlinuz.part" "$out/vmlinuz" || exit 1
cp "$b" "$out/busybox.part" && mv "$out/busybox.part" "$out/busybox" || exit 1
for deb in "$d/debs/"*.deb; do
	dpkg-deb -f "$deb" Package Version | sed 's/^[A-Za-z]*: //' | paste -sd' '
done > "$out/VERSION"
rm -rf "$d/x"
echo "fetch-debian: $(paste -sd';' "$out/VERSION" | sed 's/;/; /g') in $out"
