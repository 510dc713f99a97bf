#!/usr/bin/env python3
"""The test initramfs: a gzip'd cpio archive in the "newc" format
(Linux's Documentation/driver-api/early-userspace/buffer-format.rst) with

  /bin/busybox   the static s390x busybox given
  /init          a busybox shell script: mounts /proc, prints the marker
                 line and the kernel's command line, powers off
  /dev/console   character device 5,1 (the kernel opens it for /init)
  /dev, /proc, /sys, /bin  directories

Written without root: device nodes are entries in the archive.

usage: initramfs.py OUT.cpio.gz --busybox=FILE --marker=TEXT [--settle=SECONDS]

--settle waits after each line: Linux's SCLP line-mode console
(console=ttyS0, the one Hercules shows) writes asynchronously; Hercules
shows one line of each write, and a power-off at once loses the last.
"""
import argparse
import gzip
import sys

INIT = """#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox echo "{marker}"
{settle}/bin/busybox echo "cmdline: $(/bin/busybox cat /proc/cmdline)"
/bin/busybox sync
{settle}/bin/busybox poweroff -f
"""


class Cpio:
    """newc entries: a 110-byte ASCII header, the name, the data, each
    padded to 4 bytes; the archive ends with TRAILER!!!."""

    def __init__(self):
        self.out = bytearray()
        self.ino = 1

    def entry(self, name, mode, data=b'', rdev=(0, 0), nlink=1):
        name_b = name.encode() + b'\0'
        fields = [self.ino, mode, 0, 0, nlink, 0, len(data), 0, 0, rdev[0], rdev[1],
                  len(name_b), 0]
        self.ino += 1
        self.out += b'070701' + b''.join(b'%08X' % f for f in fields)
        self.out += name_b
        self.out += b'\0' * (-len(self.out) % 4)
        self.out += data
        self.out += b'\0' * (-len(self.out) % 4)

    def finish(self):
        self.ino = 0
        self.entry('TRAILER!!!', 0)
        return bytes(self.out)


def main():
    ap = argparse.ArgumentParser(description='write the test initramfs')
    ap.add_argument('out')
    ap.add_argument('--busybox', required=True)
    ap.add_argument('--marker', required=True)
    ap.add_argument('--settle', type=int, default=0)
    a = ap.parse_args()
    if a.settle < 0 or a.settle > 60:
        print('initramfs.py: --settle takes 0 to 60 seconds', file=sys.stderr)
        return 2
    if '"' in a.marker or '$' in a.marker or '\n' in a.marker:
        print('initramfs.py: the marker may not hold ", $ or a newline', file=sys.stderr)
        return 2
    with open(a.busybox, 'rb') as f:
        busybox = f.read()
    c = Cpio()
    for d in ('bin', 'dev', 'proc', 'sys'):
        c.entry(d, 0o040755, nlink=2)
    c.entry('dev/console', 0o020600, rdev=(5, 1))
    c.entry('bin/busybox', 0o100755, busybox)
    c.entry('init', 0o100755, INIT.format(marker=a.marker, settle=(
        '/bin/busybox sleep %d\n' % a.settle if a.settle else '')).encode())
    with open(a.out, 'wb') as f:
        f.write(gzip.compress(c.finish(), 6))
    return 0


if __name__ == '__main__':
    sys.exit(main())
