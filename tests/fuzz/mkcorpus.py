#!/usr/bin/env python3
"""Write the fuzzers' seed corpora (tests/fuzz/corpus/<name>/).

Each seed is a small meaningful input in the fuzzer's own encoding (see the
decoders in fuzz_<name>.c): a bring-up of a virtio-ccw device and one
request, a ring with a chain on it, a driver with a hostile device. Run it
again after changing an encoding; the files are committed, so `make fuzz`
does not need Python.
"""
import os
import struct
import sys

TOP = os.path.dirname(os.path.abspath(__file__))


def u16(v):
    return struct.pack('<H', v & 0xFFFF)


def u32(v):
    return struct.pack('<I', v & 0xFFFFFFFF)


def u64(v):
    return struct.pack('<Q', v & 0xFFFFFFFFFFFFFFFF)


# --- fuzz_vccw ---------------------------------------------------------------

CMD = {name: i for i, name in enumerate([
    'SET_VQ', 'VDEV_RESET', 'SET_IND', 'SET_CONF_IND', 'SET_IND_ADAPTER',
    'READ_FEAT', 'WRITE_FEAT', 'READ_CONF', 'WRITE_CONF', 'WRITE_STATUS',
    'READ_VQ_CONF', 'SET_VIRTIO_REV', 'READ_STATUS', 'NOOP', 'SENSE',
    'SENSE_ID', 'TIC'])}
CC, SLI = 0x40, 0x20
MEM = 0x40000


class Vccw:
    """Builder for fuzz_vccw inputs."""

    def __init__(self, mode=0, blk=(0, 0), rng=(0, 0)):
        self.b = bytes([mode, blk[0], blk[1], rng[0], rng[1]])

    def program(self, dev, ccws, tsch=True):
        """ccws: (cmd, flags, count, payload[, addr_mode_bytes])."""
        assert 1 <= len(ccws) <= 8
        b = dev | (len(ccws) - 1) << 1 | (0 if tsch else 0x40)
        out = bytes([0, b, 0])
        for c in ccws:
            cmd, flags, count, payload = c[:4]
            mode = c[4] if len(c) > 4 else b'\x00'
            cmdb = bytes([CMD[cmd]]) if isinstance(cmd, str) else bytes([0xF0, cmd])
            cnt = bytes([count]) if count < 0xFF else b'\xff' + u16(count)
            out += cmdb + bytes([flags]) + cnt + mode + bytes([len(payload)]) + payload
        self.b += out
        return self

    def one(self, dev, cmd, payload, flags=0, count=None):
        return self.program(dev, [(cmd, flags, len(payload) if count is None else count,
                                   payload)])

    def notify(self, dev, queue=0):
        self.b += bytes([2, dev | queue << 1]) + u64(0)
        return self

    def desc(self, dev, slot, length, buf, flags, ix, table=False):
        """length: a byte of pick_len(); buf: the DATA_AT + 16 * buf slot."""
        b = dev | (2 if table else 0)
        self.b += bytes([3, b, slot, length, 5, buf, flags, ix])
        return self

    def avail(self, dev, head, publish=True):
        self.b += bytes([4, dev | (0 if publish else 2), head])
        return self

    def blk_header(self, type_index, sector, slot):
        self.b += bytes([5, type_index, sector, slot])
        return self

    def insn(self, dev, which, extra=b''):
        self.b += bytes([8, dev | which << 1]) + extra
        return self

    def bring_up(self, dev, rev, feat0, feat1, queue, num, ind='adapter', packed=False):
        base = 0x8000 + 0x4000 * dev
        self.one(dev, 'SET_VIRTIO_REV', struct.pack('>HH', rev, 0))
        self.one(dev, 'WRITE_STATUS', b'\x03')
        self.one(dev, 'READ_FEAT', b'\0\0\0\0\0')
        self.one(dev, 'WRITE_FEAT', struct.pack('<IB', feat0, 0))
        if rev >= 1:
            self.one(dev, 'WRITE_FEAT', struct.pack('<IB', feat1, 1))
        self.one(dev, 'WRITE_STATUS', b'\x0b')
        self.one(dev, 'READ_VQ_CONF', struct.pack('>HH', queue, 0))
        if rev >= 1:
            self.one(dev, 'SET_VQ', struct.pack('>QIHHQQ', base, 0, queue, num,
                                                base + 0x1000, base + 0x2000))
        else:
            self.one(dev, 'SET_VQ', struct.pack('>QIHH', base, 4096, queue, num))
        if ind == 'adapter':
            self.one(dev, 'SET_IND_ADAPTER', struct.pack('>QQQB', 0x7000, 0x7008, 0, 3),
                     flags=SLI)
        else:
            self.one(dev, 'SET_IND', struct.pack('>Q', 0x7010 + 8 * dev))
        self.one(dev, 'SET_CONF_IND', struct.pack('>Q', 0x7020 + 8 * dev))
        self.one(dev, 'WRITE_STATUS', b'\x0f')
        return self

    def blk_read(self, packed=False, avail=True):
        """A one-sector read: header, data, status, head descriptor 0."""
        self.blk_header(0, 1, 0)
        fa = 8 if packed else 0
        self.desc(0, 0, 16, 0, 1 | fa, 1 if not packed else 0)
        self.desc(0, 1, 0xC1, 64, 3 | fa, 2 if not packed else 0)
        self.desc(0, 2, 1, 128, 2 | fa, 0)
        if avail and not packed:
            self.avail(0, 0)
        return self.notify(0)


VERSION_1 = 1            # word 1, bit 32
PACKED = 1 << 2          # word 1, bit 34
IN_ORDER = 1 << 3        # word 1, bit 35
INDIRECT = 1 << 28
EVENT_IDX = 1 << 29


def vccw_seeds():
    s = {}
    s['blk-split'] = Vccw().bring_up(0, 1, 0, VERSION_1, 0, 8).blk_read().b
    s['blk-split-qemu'] = Vccw(mode=1).bring_up(0, 2, EVENT_IDX, VERSION_1, 0, 8) \
        .blk_read().b
    s['blk-packed'] = Vccw(blk=(0x40, 0)).bring_up(0, 1, 0, VERSION_1 | PACKED, 0, 8) \
        .blk_read(packed=True).b
    s['blk-legacy'] = Vccw().bring_up(0, 0, 0, 0, 0, 256, ind='classic').blk_read().b
    v = Vccw().bring_up(0, 1, INDIRECT, VERSION_1, 0, 8)
    v.blk_header(0, 2, 32)
    v.desc(0, 0, 48, 48, 4, 0)                  # the ring: an indirect table at slot 48
    v.desc(0, 48, 16, 32, 1, 1, table=True)     # header
    v.desc(0, 49, 0xC1, 64, 3, 2, table=True)   # data
    v.desc(0, 50, 1, 128, 2, 0, table=True)     # status
    s['blk-indirect'] = v.avail(0, 0).notify(0).b
    v = Vccw(mode=2).bring_up(0, 1, 0, VERSION_1, 0, 8)    # deferred completion
    s['blk-deferred'] = v.blk_read().insn(0, 4).b
    v = Vccw(rng=(0, 0)).bring_up(1, 1, 0, VERSION_1, 0, 8, ind='classic')
    v.desc(1, 0, 64, 192, 2, 0).avail(1, 0).notify(1)
    s['rng-split'] = v.insn(1, 4).b
    v = Vccw(rng=(0xC0, 0)).bring_up(1, 1, 0, VERSION_1 | PACKED | IN_ORDER, 0, 8)
    s['rng-packed'] = v.desc(1, 0, 64, 192, 2 | 8, 0).notify(1).b
    # The channel subsystem's own commands, a chain, a TIC, an unknown code.
    v = Vccw()
    v.one(0, 'SENSE_ID', b'', count=255)
    v.one(0, 'SENSE', b'', count=32)
    v.one(0, 'NOOP', b'')
    v.program(0, [('READ_CONF', CC | SLI, 60, b''), ('READ_FEAT', CC, 5, b'\0' * 5),
                  ('READ_VQ_CONF', 0, 4, b'\0\0\0\0')])
    v.program(1, [('NOOP', CC, 0, b''), ('TIC', 0, 0, b'', b'\x04' + u32(0x2000))])
    v.one(0, 0xF1, b'\0' * 8)
    v.one(0, 'READ_STATUS', b'\0')
    s['css-commands'] = v.b
    # Payloads at the edges of guest memory and a data address of 0.
    v = Vccw(mode=1)
    v.one(0, 'SET_VIRTIO_REV', struct.pack('>HH', 1, 0))
    v.program(0, [('SET_VQ', 0, 32, b'\x00' * 32, b'\x01')])
    v.program(0, [('SET_IND_ADAPTER', SLI, 25, b'\x00' * 25, b'\x02\x00')])
    v.program(0, [('WRITE_CONF', 0, 60, b'\x01' * 60, b'\x03')])
    v.program(0, [('READ_CONF', SLI, 0xFFFF, b'', b'\x01')])
    s['edges'] = v.b
    # A write split over two buffers, GET_ID, FLUSH, a failing sector, a
    # request held and let go.
    v = Vccw().bring_up(0, 1, 0, VERSION_1, 0, 8)
    v.blk_header(1, 3, 0)                       # OUT, sector 3, data in three pieces
    v.desc(0, 0, 16, 0, 1, 1).desc(0, 1, 191, 64, 1, 2).desc(0, 2, 191, 80, 1, 3)
    v.desc(0, 3, 130, 96, 1, 4).desc(0, 4, 1, 128, 2, 0).avail(0, 0).notify(0)
    v.blk_header(3, 0, 8)                       # GET_ID
    v.desc(0, 5, 16, 8, 1, 6).desc(0, 6, 20, 100, 3, 7).desc(0, 7, 1, 130, 2, 0)
    v.avail(0, 5).notify(0)
    v.b += bytes([10, 8, 3, 1])                 # sector 3 fails
    v.blk_header(0, 3, 16)                      # IN, sector 3: IOERR
    v.desc(0, 0, 16, 16, 1, 1).desc(0, 1, 0xC1, 64, 3, 2).desc(0, 2, 1, 131, 2, 0)
    v.avail(0, 0).notify(0)
    v.b += bytes([10, 16 | 2])                  # hold
    v.avail(0, 5).notify(0)
    v.b += bytes([10, 16])                      # let go
    s['blk-requests'] = v.b
    # Resets and a device that goes away with a request on its ring.
    v = Vccw().bring_up(0, 1, 0, VERSION_1, 0, 8).blk_read(avail=True)
    v.b += bytes([10, 0, 10, 2])                # away, back
    v.one(0, 'VDEV_RESET', b'').one(0, 'WRITE_STATUS', b'\x00')
    s['unplug-reset'] = v.b
    return s


# --- fuzz_vq_dev --------------------------------------------------------------

class Dev:
    def __init__(self, mode, num_byte, cap=15):
        self.b = bytes([mode, num_byte, cap])

    def desc(self, slot, length, off16, flags, ix):
        """flags: pick_flags() byte; off16: GA + 16 * off16."""
        self.b += bytes([0, slot, 1]) + u16(length) + bytes([1, off16, flags, ix])
        return self

    def table(self, entry, length, off16, flags, ix):
        self.b += bytes([3]) + u16(entry) + bytes([1]) + u16(length) + \
            bytes([1, off16, flags, ix])
        return self

    def avail(self, head, publish=True):
        self.b += bytes([1, head, 0 if publish else 1])
        return self

    def packed_avail(self, slot, wrap=True):
        self.b += bytes([1, slot, 1 if wrap else 0])
        return self

    def pop(self, k=4, push_now=True):
        self.b += bytes([5, k - 1, 1 if push_now else 0])
        return self

    def push(self, index=0, how=0):
        self.b += bytes([6, index, how])
        return self

    def op(self, *ops):
        self.b += bytes(ops)
        return self


SPLIT, PKD, BE, EVI, IND, INO, WIN = 0, 1, 2, 4, 8, 16, 32


def vq_dev_seeds():
    s = {}
    # Split, 8 entries: a three-buffer chain, then a one-buffer one.
    d = Dev(SPLIT | EVI | WIN, 3)
    d.desc(0, 16, 0, 1, 1).desc(1, 512, 2, 3, 2).desc(2, 1, 40, 2, 0)
    d.desc(3, 64, 50, 2, 0).avail(0).avail(3)
    s['split-chain'] = d.pop(4, False).push(1, 0).push(0, 1).op(7, 8).b
    d = Dev(SPLIT | BE | IND, 2)
    d.desc(0, 48, 64, 4, 0)
    d.table(64, 16, 0, 1, 1).table(65, 512, 2, 3, 2).table(66, 1, 40, 2, 0)
    s['split-indirect-be'] = d.avail(0).pop().op(7).b
    # Packed, 5 entries: a chain of two, then a single; wrap around.
    d = Dev(PKD | EVI, 4)
    d.desc(0, 16, 0, 1 | 8, 0).desc(1, 100, 2, 2, 7).desc(2, 32, 8, 2 | 8, 3)
    s['packed-chain'] = d.pop(4, False).push(0, 0).push(0, 0).op(7, 8, 9).b
    d = Dev(PKD | BE | IND | INO, 0)
    d.desc(0, 32, 64, 4 | 8, 9)
    d.table(64, 16, 0, 0, 0).table(65, 512, 2, 2, 0)
    s['packed-indirect-be'] = d.pop().op(7).b
    # Faults: a loop, a head out of range, readable after writable.
    d = Dev(SPLIT, 2)
    d.desc(0, 4, 0, 1, 1).desc(1, 4, 1, 1, 0).avail(0)
    s['split-loop'] = d.pop().op(10, 7).b
    d = Dev(SPLIT | IND, 3)
    d.desc(0, 4, 0, 2, 0).avail(9).avail(0)
    s['split-head-range'] = d.pop().b
    return s


# --- fuzz_vq_drv --------------------------------------------------------------

class Drv:
    def __init__(self, mode, num_byte, ind_max=None):
        self.b = bytes([mode, num_byte])
        if mode & 16:
            self.b += bytes([ind_max - 1])

    def add(self, outs, ins):
        """outs, ins: lists of (offset, length)."""
        self.b += bytes([0, len(outs) | len(ins) << 3])
        for off, length in outs + ins:
            self.b += u16(off) + b'\x00' + u16(length)
        return self

    def kick(self):
        self.b += bytes([1, 1])
        return self

    def get(self, k=8):
        self.b += bytes([2, k - 1])
        return self

    def serve(self, k=8, how=1):
        self.b += bytes([4, k - 1, how])
        return self

    def hostile(self, *raw):
        self.b += bytes([5]) + bytes(raw)
        return self


DPKD, DBE, DEVI, DINO, DIND, DFAIL = 1, 2, 4, 8, 16, 32


def vq_drv_seeds():
    s = {}
    d = Drv(DEVI, 3)
    d.add([(0, 16)], [(64, 512), (1024, 1)]).add([], [(2048, 100)]).kick()
    s['split-serve'] = d.serve().get().b
    d = Drv(DPKD | DBE | DIND, 6, 4)
    d.add([(0, 16), (16, 16)], [(64, 512), (1024, 1)]).add([(0, 8)], []).kick()
    s['packed-indirect'] = d.serve().get().b
    d = Drv(DINO, 2)
    for i in range(4):
        d.add([], [(256 * i, 64)])
    d.kick()
    d.hostile(0, 0, 3, 10).hostile(1, 4)         # one entry for the last of four
    s['split-in-order-batch'] = d.get().b
    d = Drv(DINO | DEVI, 2)
    for i in range(4):
        d.add([], [(256 * i, 64)])
    s['split-in-order-serve'] = d.kick().serve(2).get().serve().get().b
    d = Drv(0, 2)
    d.add([], [(0, 64)]).add([], [(64, 64)]).kick()
    d.hostile(0, 0, 9, 10).hostile(1, 1)         # id 9 of 4
    s['split-bad-id'] = d.get().b
    d = Drv(0, 2)
    d.add([], [(0, 64)]).kick()
    d.hostile(0, 0, 0, 200).hostile(1, 1)        # 200 bytes into 64
    s['split-bad-len'] = d.get().b
    d = Drv(DPKD, 3)
    d.add([], [(0, 64)]).add([(64, 8)], [(128, 8)]).kick()
    d.hostile(0, 0, 1, 0, 3)                     # slot 0: id 1, AVAIL|USED
    s['packed-hostile'] = d.get().b
    d = Drv(DFAIL, 1)
    s['notify-fails'] = d.add([(0, 1)], []).kick().add([(0, 1)], []).get().b
    return s


def write(name, seeds):
    d = os.path.join(TOP, 'corpus', name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        if f.startswith('seed-'):
            os.remove(os.path.join(d, f))
    for k, v in sorted(seeds.items()):
        with open(os.path.join(d, 'seed-' + k), 'wb') as fh:
            fh.write(v)


def main():
    write('vccw', vccw_seeds())
    write('vq_dev', vq_dev_seeds())
    write('vq_drv', vq_drv_seeds())
    return 0


if __name__ == '__main__':
    sys.exit(main())
