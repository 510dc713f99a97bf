#!/usr/bin/env python3
"""mkiso.py OUT --kernel=K [--initrd=I] [--append=TEXT] [--entry ...]

Writes an ISO 9660 volume (ECMA-119) with an El Torito boot catalog (El
Torito 1.0) whose bootable entries are s390 Linux images, as the tests boot
them from a scsi-cd: each image is the kernel file (linked at 0: file
offset = address) with the Linux IPL record's CCWs at bytes 8-31 (as
arch/s390/boot/head.S has them), the command line at 0x10480, and the
initrd at 0x800000 (or the first MiB above the kernel plus one MiB, as
QEMU's -kernel places it) named in the parameter area at 0x10408/0x10410.
Each image is also a file in the root directory (IMAGE0.IMG, ...), so a
reader can take its size from there. Loaded at 0 (load segment 0).
"""
import struct
import sys

BLOCK = 2048
IPL_CCWS = bytes.fromhex("0200001860000050" "0200006860000050") + b"\x40" * 8
CMDLINE = 0x10480
PARM_INITRD = 0x10408


def image(kernel, initrd, append):
    k = bytearray(open(kernel, "rb").read())
    if len(k) < 0x10000 + 0x1000:
        sys.exit("mkiso: %s is too small for a Linux image" % kernel)
    k[8:32] = IPL_CCWS
    line = append.encode() + b"\0"
    if len(line) > 896:
        sys.exit("mkiso: the command line is longer than 895 characters")
    k[CMDLINE:CMDLINE + len(line)] = line
    if initrd:
        ini = open(initrd, "rb").read()
        at = 0x800000
        while at < len(k) + 0x100000:
            at += 0x100000
        k[PARM_INITRD:PARM_INITRD + 16] = struct.pack(">QQ", at, len(ini))
        k += bytes(at - len(k)) + ini
    return bytes(k)


def both16(v):
    return struct.pack("<H", v) + struct.pack(">H", v)


def both32(v):
    return struct.pack("<I", v) + struct.pack(">I", v)


def dir_record(extent, size, name, is_dir=False):
    n = len(name)
    rec = bytes([0, 0]) + both32(extent) + both32(size) + bytes(7)
    rec += bytes([2 if is_dir else 0, 0, 0]) + both16(1) + bytes([n]) + name
    if len(rec) % 2:
        rec += b"\0"
    return bytes([len(rec)]) + rec[1:]


def build(imgs):
    """The volume's bytes for these boot images (each laid out from 0)."""
    # Blocks: 16 primary, 17 boot record, 18 terminator, 19 root directory,
    # 20 the catalog, then the images.
    at = 21
    where = []
    for im in imgs:
        where.append(at)
        at += (len(im) + BLOCK - 1) // BLOCK
    total = at
    vol = bytearray(total * BLOCK)
    root = dir_record(19, BLOCK, b"\0", True) + dir_record(19, BLOCK, b"\1", True)
    for i, im in enumerate(imgs):
        root += dir_record(where[i], len(im), b"IMAGE%d.IMG;1" % i)
    root += dir_record(20, BLOCK, b"BOOT.CAT;1")
    vol[19 * BLOCK:19 * BLOCK + len(root)] = root
    pvd = bytearray(BLOCK)
    pvd[0:7] = b"\x01CD001\x01"
    pvd[8:40] = b"CCW".ljust(32)
    pvd[40:72] = b"CCWBOOT-TEST".ljust(32)
    pvd[80:88] = both32(total)
    pvd[120:124] = both16(1)
    pvd[124:128] = both16(1)
    pvd[128:132] = both16(BLOCK)
    pvd[156:156 + 34] = dir_record(19, BLOCK, b"\0", True)
    pvd[881] = 1
    vol[16 * BLOCK:17 * BLOCK] = pvd
    br = bytearray(BLOCK)
    br[0:7] = b"\x00CD001\x01"
    br[7:39] = b"EL TORITO SPECIFICATION".ljust(32, b"\0")
    br[0x47:0x4B] = struct.pack("<I", 20)
    vol[17 * BLOCK:18 * BLOCK] = br
    vol[18 * BLOCK:18 * BLOCK + 7] = b"\xffCD001\x01"
    cat = bytearray(BLOCK)
    val = bytearray(32)
    val[0] = 1
    val[4:28] = b"CCW".ljust(24, b"\0")
    val[30:32] = b"\x55\xaa"
    val[28:30] = struct.pack("<H", (-sum(struct.unpack("<16H", bytes(val)))) & 0xFFFF)
    cat[0:32] = val
    for i, im in enumerate(imgs):
        sectors = min((len(im) + 511) // 512, 0xFFFF)
        e = bytes([0x88, 0]) + struct.pack("<H", 0) + bytes([0, 0])
        e += struct.pack("<H", sectors) + struct.pack("<I", where[i]) + bytes(20)
        cat[32 * (i + 1):32 * (i + 2)] = e
    vol[20 * BLOCK:21 * BLOCK] = cat
    for i, im in enumerate(imgs):
        vol[where[i] * BLOCK:where[i] * BLOCK + len(im)] = im
    return bytes(vol)


def main(argv):
    out, entries, cur = None, [], None
    for a in argv:
        if a == "--entry":
            cur = None
        elif a.startswith("--"):
            k, _, v = a[2:].partition("=")
            if cur is None:
                cur = {"kernel": None, "initrd": None, "append": ""}
                entries.append(cur)
            if k not in cur:
                sys.exit("mkiso: unknown option --" + k)
            cur[k] = v
        else:
            out = a
    if not out or not entries or any(not e["kernel"] for e in entries):
        sys.exit(__doc__)
    imgs = [image(e["kernel"], e["initrd"], e["append"]) for e in entries]
    vol = build(imgs)
    total = len(vol) // BLOCK
    open(out, "wb").write(vol)
    print("mkiso: %s: %d blocks, %d boot image%s" % (out, total, len(imgs),
                                                    "" if len(imgs) == 1 else "s"))


if __name__ == "__main__":
    main(sys.argv[1:])
