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


# --- fuzz_drivers --------------------------------------------------------------

DRV_BLK, DRV_NET, DRV_CON, DRV_RNG = range(4)
DRV_SCSI = DRV_RNG | 16                        # virtio-rng's choice with bit 4
# Header byte 0 (with the driver) and byte 1 (the transport).
DRV_ARCH, DRV_DEFERRED, DRV_CONPORT, DRV_NOADAPTER = 4, 8, 16, 128
(DRV_REV1, DRV_REV0, DRV_NOTRANS, DRV_NOV1, DRV_NOEVI, DRV_NOIND, DRV_PACKED,
 DRV_INORDER) = 2, 1, 4, 8, 16, 32, 64, 128
DRV_LEGACY = DRV_REV0 | DRV_NOV1


def drv_blk_config(capacity, size_max=0, seg_max=0, blk_size=512):
    c = bytearray(60)
    c[0:8] = u64(capacity)
    c[8:12] = u32(size_max)
    c[12:16] = u32(seg_max)
    c[20:24] = u32(blk_size)
    return bytes(c)


def drv_net_config(mac=b'\x52\x54\x00\x12\x34\x56', status=1):
    return mac + u16(status) + u16(1) + u16(1500)


def drv_con_config(cols=80, rows=25, ports=1):
    return u16(cols) + u16(rows) + u32(ports) + u32(0)


class Drivers:
    """Builder for fuzz_drivers inputs; the device is honest unless scripted."""

    def __init__(self, kind, h0=0, h1=0, features=0, queues=None, config=b'',
                 init=0, script=b''):
        nq = (1, 2, 4, 1, 4)[4 if kind == DRV_SCSI else kind]
        # Length 0 stands for the device type's own: write that many bytes.
        config = config or bytes((60, 12, 12, 0, 36)[4 if kind == DRV_SCSI else kind])
        self.b = bytes([kind | h0, h1]) + u32(features)
        self.b += bytes(queues if queues is not None else [0] * nq)
        self.b += bytes([len(config)]) + config
        self.b += bytes([init, len(script)]) + script

    def call(self, op, *params):
        self.b += bytes([op]) + bytes(params)
        return self

    def dev(self, op, *params):
        self.b += bytes([0x80 + op]) + bytes(params)
        return self

    def script(self, *raw):
        return self.dev(10, len(raw), *raw)

    def deliver(self, q, data, flags=0):
        n = bytes([len(data)]) if len(data) < 0xFF else b'\xff' + u16(len(data))
        self.b += bytes([0x81, q, flags]) + n + data
        return self


# virtio-blk calls: slot, offset/8, sector (< 0x80, or 0x80 + k: capacity - k),
# count (sectors % 9).
def drv_blk_rw(d, op, slot, sector, count):
    return d.call(op, slot, 0, sector, count)


def drv_scsi_config(num_queues=1, max_sectors=0xFFFF, cmd_per_lun=128, max_target=3):
    return (u32(num_queues) + u32(254) + u32(max_sectors) + u32(cmd_per_lun) + u32(16) +
            u32(96) + u32(32) + u16(0) + u16(max_target) + u32(16383))


# virtio-scsi calls: 0 scan; 1 read, 2 write: unit (< 0x80: found), slot,
# offset/8, count (% 9), lba; 3 sync: unit; 4 a command: target, CDB
# length, direction, LUN (2 bytes), slot, length (2 bytes, with a
# direction), the CDB; 5 events; 6 asynchronous: 0 submit (unit, write,
# slot, count, lba), 1 kick, 2 complete (n), 3 wait, 4 stop; 7 bring-up.
def drv_scsi_session(d):
    d.call(0)                                  # scan
    d.call(1, 0, 0, 0, 8, 3)                   # read 8 blocks at 3
    d.call(2, 0, 1, 0, 4, 5).call(1, 0, 1, 0, 4, 5)   # write 4 at 5, read back
    d.call(1, 0, 2, 0, 1, 0x80)                # the block past the end
    d.call(3, 0)                               # synchronize
    d.call(6, 0, 0, 0, 2, 4, 10).call(6, 0, 0, 1, 3, 2, 20)   # two in flight
    d.call(6, 1).call(6, 2, 7).call(5)         # kick, complete, events
    d.call(4, 0, 6, 1) .b += u16(0) + bytes([2]) + u16(36) + bytes([0x12, 0, 0, 0, 36, 0])
    return d


def drivers_seeds():
    s = {}
    scsi_f = 1 << 1 | 1 << 2                   # HOTPLUG CHANGE
    for name, h0, h1 in (('split', 0, 0), ('packed', 0, DRV_PACKED), ('legacy', 0, DRV_LEGACY),
                         ('arch-deferred', DRV_ARCH | DRV_DEFERRED, DRV_NOIND)):
        d = Drivers(DRV_SCSI, h0, h1, scsi_f, config=drv_scsi_config())
        s['scsi-' + name] = drv_scsi_session(d).b
    # Two request queues, a small max_sectors (a read cut in pieces), and
    # num_queues beyond the queues the device has.
    d = Drivers(DRV_SCSI, 0, 0, scsi_f, config=drv_scsi_config(2, max_sectors=2, cmd_per_lun=3))
    s['scsi-queues'] = drv_scsi_session(d).b
    d = Drivers(DRV_SCSI, 0, 0, scsi_f, config=drv_scsi_config(5))
    s['scsi-too-many-queues'] = d.call(0).b
    # Hostile: CHECK CONDITION, BUSY (retried), a response of BUSY and of
    # BAD TARGET, a short used length, a command held until the timeout.
    d = Drivers(DRV_SCSI, 0, 0, scsi_f, config=drv_scsi_config())
    d.call(0)
    for st in (0x02, 0x08, 0x85, 0x83, 0x18):
        d.script(2, st)
        d.call(1, 0, 0, 0, 2, 1)
    d.script(3, 4)
    d.call(1, 0, 0, 0, 2, 1)
    d.script(1)
    s['scsi-hostile'] = d.call(1, 0, 0, 0, 2, 1).call(7, 0, 0).call(0).b
    # Events: a unit plugged (transport reset, rescan), events missed, junk.
    d = Drivers(DRV_SCSI, 0, 0, scsi_f, config=drv_scsi_config())
    d.call(0)
    d.deliver(1, u32(1) + bytes([1, 0, 0x40, 0, 0, 0, 0, 0]) + u32(0))
    d.deliver(1, u32(0x80000000) + bytes(12))
    d.deliver(1, b'\xff' * 5)
    s['scsi-events'] = d.call(5).call(0).b

    blk_f = 1 << 2 | 1 << 6 | 1 << 9          # SEG_MAX BLK_SIZE FLUSH
    cfg = drv_blk_config(64, seg_max=8)
    for name, h0, h1 in (('split', 0, 0), ('packed', 0, DRV_PACKED), ('legacy', 0, DRV_LEGACY),
                         ('arch-classic', DRV_ARCH | DRV_NOADAPTER, DRV_NOIND)):
        d = Drivers(DRV_BLK, h0, h1, blk_f, config=cfg)
        drv_blk_rw(d, 1, 0, 3, 2)                  # write 2 sectors at 3
        drv_blk_rw(d, 0, 1, 3, 2)                  # read them
        drv_blk_rw(d, 0, 2, 0x81, 1)               # the last sector
        drv_blk_rw(d, 0, 2, 0x80, 1)               # beyond the end
        d.call(2, 0, 0, 0, 0).call(3, 0, 0, 0, 0)       # flush, get_id
        d.call(5, 0, 1, 5, 3).call(5, 1, 2, 9, 1).call(6).call(7, 7)  # async
        s['blk-' + name] = d.b
    # seg_max 2, size_max 512: a 4-sector read is cut in two requests.
    d = Drivers(DRV_BLK, 0, 0, 1 << 1 | 1 << 2, queues=[8],
                config=drv_blk_config(32, size_max=512, seg_max=2))
    s['blk-limits'] = drv_blk_rw(drv_blk_rw(d, 0, 0, 1, 4), 1, 0, 1, 8).b
    d = Drivers(DRV_BLK, 0, DRV_INORDER, blk_f | 1 << 5, config=cfg)  # read-only
    s['blk-ro-inorder'] = drv_blk_rw(drv_blk_rw(d, 1, 0, 0, 1), 0, 0, 0, 1).b
    # Hostile: IOERR, an unknown status, a short used length, an id never
    # given out, a chain ended twice, a request held until the timeout.
    d = Drivers(DRV_BLK, 0, 0, blk_f, config=cfg)
    d.script(2, 1)
    drv_blk_rw(d, 0, 0, 0, 1)
    d.script(2, 7)
    drv_blk_rw(d, 0, 0, 0, 1)
    d.script(3, 5)
    drv_blk_rw(d, 0, 0, 0, 1)
    s['blk-bad-status'] = d.b
    d = Drivers(DRV_BLK, 0, 0, blk_f, config=cfg, script=b'\x05\x63\x00\x04')
    s['blk-bad-id'] = drv_blk_rw(drv_blk_rw(d, 0, 0, 0, 1), 0, 0, 0, 1).b
    d = Drivers(DRV_BLK, 0, DRV_PACKED, blk_f, config=cfg, script=b'\x06')
    s['blk-twice'] = drv_blk_rw(drv_blk_rw(d, 0, 0, 0, 1), 0, 0, 0, 1).b
    d = Drivers(DRV_BLK, 0, 0, blk_f, config=cfg, script=b'\x01')
    drv_blk_rw(d, 0, 0, 0, 1).call(10, 0, 0)   # timeout, then a new bring-up
    s['blk-hold-reinit'] = drv_blk_rw(d, 0, 0, 0, 1).b
    d = Drivers(DRV_BLK, 0, 0, blk_f, config=cfg)
    d.call(5, 0, 0, 0, 1).call(6).dev(4, 0, 1, 5)          # used index + 5
    s['blk-used-idx'] = d.call(7, 7).dev(3, 0).call(8, 3).b

    frame = b'\xff' * 6 + b'\x52\x55\x0a\x00\x02\x02' + b'\x08\x06' + bytes(range(48))
    net_f = 1 << 5 | 1 << 16                   # MAC STATUS
    for name, h0, h1 in (('split', 0, 0), ('packed', 0, DRV_PACKED), ('legacy', 0, DRV_LEGACY)):
        hdr = bytes(10 if name == 'legacy' else 12)
        d = Drivers(DRV_NET, h0, h1, net_f, config=drv_net_config())
        d.call(2).call(0, (len(frame) - 14) // 6).b += frame
        d.deliver(0, hdr + frame).call(1, 200, 10)
        d.deliver(0, hdr + b'\x01').deliver(0, hdr + frame).call(1, 200, 10)
        d.dev(5, 6, 1, 0, 0, 0).call(2)            # link down, a config change
        s['net-' + name] = d.b
    d = Drivers(DRV_NET, 0, 0, 0, queues=[2, 1])
    d.deliver(0, bytes(12) + frame, 1)         # a used length the buffer cannot hold
    d.b += bytes([0xFE]) + u16(3000)
    s['net-bad-len'] = d.call(1, 200, 10).call(0, 8).b + frame

    con_f = 1 << 0 | 1 << 1                    # SIZE MULTIPORT
    for name, h0, h1 in (('multiport', DRV_CONPORT, 0), ('packed', 0, DRV_PACKED),
                         ('legacy', DRV_CONPORT, DRV_LEGACY)):
        d = Drivers(DRV_CON, h0, h1, con_f, config=drv_con_config())
        d.call(0, 6).b += b'hello\n'
        d.deliver(0, b'abc\r\nxyz').call(1, 100, 5).call(2, 100, 5)
        d.deliver(0, b'line\n').call(2, 100, 5)
        s['con-' + name] = d.b
    d = Drivers(DRV_CON, 0, 0, 0, config=drv_con_config())
    d.call(0, 3).b += b'hi\n'
    s['con-single'] = d.deliver(0, b'ok\n').call(2, 10, 5).b
    d = Drivers(DRV_CON, DRV_CONPORT, 0, con_f, config=drv_con_config(ports=2))
    d.deliver(2, u32(0) + u16(5) + u16(0) + u16(132) + u16(43))   # RESIZE
    d.deliver(2, u32(0) + u16(2) + u16(0))     # PORT_REMOVE 0
    d.call(0, 2).b += b'x\n'
    s['con-control'] = d.b

    for name, h0, h1 in (('split', 0, 0), ('chunk', 1 << 5, DRV_PACKED),
                         ('legacy', 0, DRV_LEGACY)):
        d = Drivers(DRV_RNG, h0, h1)
        s['rng-' + name] = d.call(0, 16).call(0, 100).b
    d = Drivers(DRV_RNG, 0, 0, script=bytes([7, 0]) * 4 + bytes([3, 0xFE, 0, 2]))
    s['rng-hostile'] = d.call(0, 16).call(0, 16).b
    d = Drivers(DRV_RNG, 0, 0)
    d.dev(7, 0).call(0, 4).dev(7, 2).call(1, 0, 0).call(0, 4)   # away and back
    s['rng-unplug'] = d.b
    return s


# --- fuzz_ccw ----------------------------------------------------------------
# (names start with C_: the sections share one namespace)

C_TEST, C_VCCW, C_CON, C_DASD, C_RDR, C_PRT = range(6)
C_CD, C_IDA, C_SUSP, C_PCI, C_SKIP = 0x80, 0x04, 0x02, 0x08, 0x10
C_ORB_FMT0, C_ORB_SPND, C_ORB_C64, C_ORB_I2K = 1, 2, 4, 8
C_QEMU, C_DEFERRED, C_RO, C_CSENSE = 1, 2, 8, 32
C_INSN = {name: i for i, name in enumerate([
    'SSCH', 'TSCH', 'HSCH', 'CSCH', 'RSCH', 'XSCH', 'STSCH', 'TPI', 'STCRW', 'STEPS'])}
C_FAULT = {name: i for i, name in enumerate([
    'CC', 'UNIT_CHECK', 'BUSY', 'STATUS', 'LOSE_INT', 'HANG', 'GONE', 'SPURIOUS'])}


class Ccw:
    """Builder for fuzz_ccw inputs: the machine, then operations."""

    def __init__(self, mode=0, dev=C_TEST, opts=0):
        self.b = bytes([mode, dev | opts])

    @staticmethod
    def ccw(cmd, flags=0, count=None, payload=b'', data=0, tic=None, idaws=(), template=None):
        """One CCW: cmd a byte (sent raw); count None: the payload's length;
        data: where in the device's data area (16-byte units, 0-7); tic: the
        CCW a TIC goes to; idaws: for each further IDAW the count needs, one
        of the area's blocks (0 is the last; those not needed are left out);
        template: a 3390 parameter block (index, x, more bytes)."""
        return dict(cmd=cmd, flags=flags, count=count, payload=payload, data=data, tic=tic,
                    idaws=idaws, template=template)

    @staticmethod
    def encode(c, block):
        out = bytes([0xF0, c['cmd'], c['flags']])
        if c['template'] is not None:
            t = c['template']
            out += bytes([0xC0 | t[0], t[1]]) + t[2]
        else:
            out += bytes([len(c['payload'])]) + c['payload']
        count = c['count']
        if count is None:
            out += b'\xfd'
        elif count < 0xE0:
            out += bytes([count])
        else:
            out += b'\xff' + u16(count)
        if c['tic'] is not None:
            return out + bytes([0, c['tic']])
        out += bytes([(c['data'] & 7) << 3])
        if c['flags'] & C_IDA:
            # As put_idaws(): the IDAWs after the first that the count needs.
            first = 0x400 + 16 * c['data']
            in_first = block - first % block
            need = 1 if count <= in_first else 1 + (count - in_first + block - 1) // block
            assert len(c['idaws']) >= need - 1, (len(c['idaws']), need)
            out += bytes(c['idaws'][:need - 1])
        return out

    def program(self, ccws, orb=0, dev=None, settle=False, tsch=True):
        assert 1 <= len(ccws) <= 8
        block = 2048 if not orb & C_ORB_C64 or orb & C_ORB_I2K else 4096
        b = (len(ccws) - 1) << 2 | (0x20 if settle else 0) | (0 if tsch else 0x40)
        out = bytes([0, b | (3 if dev is not None else 0), orb])
        if dev is not None:
            out += bytes([dev])
        self.b += out + b''.join(self.encode(c, block) for c in ccws)
        return self

    def insn(self, which, m=0, dev=None):
        b = C_INSN[which] << 2 | (3 if dev is not None else 0)
        self.b += bytes([5, b, m]) + (bytes([dev]) if dev is not None else b'')
        return self

    def poke(self, offset, data):
        """Bytes at offset in the primary device's area."""
        self.b += bytes([4, 0, len(data)]) + u16(offset) + data
        return self

    def fault(self, kind, dev, cmd=None, cc=0, dstat=0, cstat=0, sense=b'', insn=0):
        b = 3 | (4 if cmd is not None else 0)
        self.b += bytes([8, b, dev, C_FAULT[kind], insn, cc, 0, dstat, cstat])
        if cmd is not None:
            self.b += bytes([0xF0, cmd])
        self.b += sense.ljust(32, b'\0')
        return self

    def present(self, dev, on):
        self.b += bytes([9, 0x8F if on else 0x03, dev])  # world() case 0
        return self

    def type_line(self, text):
        self.b += bytes([9, 4 << 2, len(text)]) + text
        return self

    def drain(self):
        self.b += bytes([10])
        return self


def ccw_seeds():
    s = {}
    sense_id = Ccw.ccw(0xE4, SLI, 256)
    for prof, name in ((0, 'arch'), (C_QEMU, 'qemu')):
        v = Ccw(mode=prof | C_CSENSE)
        for dev in range(6):
            v.program([sense_id], dev=dev)
        s['sense-id-' + name] = v.drain().b
    # The test device: a write of 16 + 4096 bytes, data-chained, the second
    # part through format-2 IDAWs (4K), then a read back through 2 IDAWs.
    hello = b'HELLO, CHANNEL!!'
    for orb, name in ((C_ORB_C64, 'idaw2-4k'), (C_ORB_C64 | C_ORB_I2K, 'idaw2-2k'),
                      (0, 'idaw1'), (C_ORB_FMT0, 'fmt0')):
        v = Ccw()
        v.program([Ccw.ccw(0x01, C_CD, payload=hello),
                   Ccw.ccw(0x01, CC | C_IDA, 0x1000, payload=b'\x5a' * 32, data=2,
                           idaws=[0, 1, 2]),
                   Ccw.ccw(0x02, SLI | C_IDA, 0x1010, data=4, idaws=[1, 2, 0])], orb=orb)
        s['testdev-chain-' + name] = v.drain().b
    # For the shadow of the test device (ORB byte bit 5: tame flags): a read
    # data-chained over a SKIP part that ends short with SLI; a control with
    # SLI, a NOP, a read of the wrong length.
    v = Ccw()
    v.program([Ccw.ccw(0x01, CC, 100, payload=bytes(range(64)), data=7),
               Ccw.ccw(0x02, C_CD | C_SKIP, 40, data=1),
               Ccw.ccw(0x02, SLI, 100, data=4)], orb=0x20)
    v.program([Ccw.ccw(0x07, CC | SLI, 5), Ccw.ccw(0x03, CC, 3),
               Ccw.ccw(0x02, 0, 8, data=2)], orb=0x20 | C_ORB_FMT0)
    s['testdev-shadow'] = v.drain().b
    # A TIC loop: NOP, TIC back, until the CCW limit ends it.
    for prof, name in ((0, 'arch'), (C_QEMU, 'qemu')):
        v = Ccw(mode=prof)
        v.program([Ccw.ccw(0x03, CC, 1), Ccw.ccw(0x08, 0, 0, tic=0)])
        s['tic-loop-' + name] = v.drain().b
    # Suspend before the second CCW, clear its S flag, resume.
    for prof, name in ((0, 'arch'), (C_QEMU, 'qemu'), (C_DEFERRED, 'deferred')):
        v = Ccw(mode=prof)
        v.program([Ccw.ccw(0x03, CC | C_PCI, 1), Ccw.ccw(0x07, C_SUSP | CC | SLI, 1, data=1),
                   Ccw.ccw(0x01, SLI, payload=b'resumed', data=2)], orb=C_ORB_SPND,
                  settle=bool(prof & C_DEFERRED))
        v.insn('TSCH').poke(9, b'\x60').insn('RSCH', 0x20).insn('TSCH').drain()
        s['suspend-resume-' + name] = v.b
    # Command reject, then BASIC SENSE (and a SKIP read of the sense).
    for prof, name in ((0, 'arch'), (C_QEMU, 'qemu')):
        v = Ccw(mode=prof)
        v.program([Ccw.ccw(0x0F, 0, 4)])
        v.program([Ccw.ccw(0x04, 0, 32, data=3)])
        v.program([Ccw.ccw(0x0F, 0, 4)]).program([Ccw.ccw(0x04, C_SKIP | SLI, 8)])
        v.fault('UNIT_CHECK', C_DASD, sense=b'\x10\x02').program(
            [Ccw.ccw(0x03, 0, 1)], dev=C_DASD).program([Ccw.ccw(0x04, 0, 32)], dev=C_DASD)
        s['unit-check-sense-' + name] = v.drain().b
    # The 3215: a write, an alarm, a READ INQUIRY that waits for a line.
    v = Ccw(dev=C_CON)
    v.program([Ccw.ccw(0x09, CC, payload=bytes([0xC8, 0xC9, 0x40, 0xF3, 0xF2, 0xF1, 0xF5])),
               Ccw.ccw(0x0B, 0, 1)])
    v.program([Ccw.ccw(0x0A, SLI, 150, data=2)], tsch=False)
    s['con3215'] = v.type_line(b'hello').insn('TSCH').drain().b
    # The 3390: Define Extent, Locate Record, READ DATA of IPL1; a write of
    # VOL1's data; SEEK, SEARCH ID EQUAL and TIC back until it matches, READ
    # COUNT, KEY AND DATA (in both profiles, and on a read-only volume).
    for mode, name in ((0, 'read-arch'), (C_QEMU, 'read-qemu'), (C_RO, 'ro')):
        v = Ccw(mode=mode, dev=C_DASD)
        v.program([Ccw.ccw(0x63, CC, template=(0, 0, b'\x00')),
                   Ccw.ccw(0x47, CC, template=(1, 1, b'\x03'), data=2),
                   Ccw.ccw(0x06, 0, 24, data=4)])
        v.program([Ccw.ccw(0x63, CC, template=(0, 0, b'\xc0')),
                   Ccw.ccw(0x47, CC, template=(1, 3 | 4, b'\x01'), data=2),
                   Ccw.ccw(0x05, 0, 80, payload=b'\xe5\xd6\xd3\xf1' * 16, data=4)])
        v.program([Ccw.ccw(0x07, CC, template=(2, 0, b'')),
                   Ccw.ccw(0x31, CC, template=(3, 3, b''), data=1),
                   Ccw.ccw(0x08, 0, 0, tic=1),
                   Ccw.ccw(0x1E, SLI, 100, data=2)])
        s['dasd-' + name] = v.drain().b
    # A long program halted or cleared half-way in deferred mode.
    for which in ('HSCH', 'CSCH'):
        for prof, name in ((C_DEFERRED, 'arch'), (C_DEFERRED | C_QEMU, 'qemu')):
            v = Ccw(mode=prof)
            v.program([Ccw.ccw(0x01, CC, 8, payload=b'01234567')] * 7 +
                      [Ccw.ccw(0x02, 0, 8)], tsch=False)
            v.insn('STEPS', 2).insn(which).insn('TSCH').insn('STEPS', 1).insn('TSCH')
            s['deferred-%s-%s' % (which.lower(), name)] = v.drain().b
    # A hang that only halt ends; a device that goes away during a command.
    v = Ccw(mode=C_DEFERRED)
    v.fault('HANG', C_TEST).program([Ccw.ccw(0x03, 0, 1)], settle=True)
    v.insn('HSCH', 0x20).insn('TSCH')
    v.fault('GONE', C_TEST).program([Ccw.ccw(0x03, 0, 1)], settle=True)
    v.insn('STCRW').present(C_TEST, True).insn('STCRW').insn('STSCH')
    s['hang-gone'] = v.drain().b
    # virtio-ccw: revision 1, then the features, data-chained across two
    # CCWs with PCI on the second, in both profiles.
    for prof, name in ((0, 'arch'), (C_QEMU, 'qemu')):
        v = Ccw(mode=prof, dev=C_VCCW)
        v.program([Ccw.ccw(0x83, CC, payload=b'\x00\x01\x00\x00'),
                   Ccw.ccw(0x12, C_CD, 4, payload=b'\0\0\0\0\0', data=1),
                   Ccw.ccw(0x12, C_PCI, 1, data=2)])
        s['vccw-chain-' + name] = v.insn('TPI').drain().b
    # The reader with a deck, the printer.
    v = Ccw(dev=C_RDR, opts=0x08)
    v.program([Ccw.ccw(0x02, CC, 80), Ccw.ccw(0x02, CC, 80, data=5), Ccw.ccw(0x02, 0, 80)])
    v.program([Ccw.ccw(0x09, 0, payload=bytes([0xC8, 0xC9]) * 8)], dev=C_PRT)
    s['unitrec'] = v.insn('TPI', 1).drain().b
    return s


# --- fuzz_bootmap --------------------------------------------------------------

def eckd_ptr(to, count, size, per_track=12, heads=15):
    """An ECKD pointer (boot/bootmap_hw.h) to block `to` as QEMU numbers them."""
    track = to // per_track
    return struct.pack('>HHBHB8x', track // heads, track % heads, to % per_track + 1, size,
                       count - 1)


def bootmap_disk(bs=512, lists=None, entries=1, header_type=0, extra=None, eckd=False):
    """A small boot map (boot/bootmap_hw.h): boot record, program table,
    one component header per entry, each a LOAD of a block list and an
    EXEC; lists maps a list block to its pointers (block, count). eckd:
    the pointers in ECKD form (12 records a track)."""
    n = 24
    disk = bytearray(bs * n)

    def ptr(block, slot, to, count=1, size=bs):
        o = block * bs + 16 * slot
        disk[o:o + 16] = (eckd_ptr(to, count, size) if eckd else
                          struct.pack('>QHH4x', to, size, count - 1))

    disk[0:8] = b'zIPL' + struct.pack('>I', 1)
    ptr(0, 1, 1)
    disk[bs:bs + 4] = b'zIPL'
    for e in range(entries + 1):
        ptr(1, 1 + e, 2 + min(e, entries - 1) if e else 2)
    for e in range(entries):
        h = (2 + e) * bs
        disk[h:h + 5] = b'zIPL' + bytes([header_type])
        lb = 10 + e
        lp = eckd_ptr(lb, 1, bs) if eckd else struct.pack('>QHH4x', lb, bs, 0)
        disk[h + 32:h + 64] = lp + struct.pack('>7xBQ', 2, 0x20000 + 0x10000 * e)
        disk[h + 64:h + 96] = struct.pack('>16x7xBQ', 1, 0x0008000080010000)
        for slot, (to, count) in enumerate((lists or {}).get(lb, [(16 + e, 2)])):
            ptr(lb, slot, to, count)
    for k, v in (extra or {}).items():
        disk[k:k + len(v)] = v
    return bytes(disk)


def bootmap_seeds():
    s = {}
    s['one-entry'] = bytes([0, 0, 15]) + bootmap_disk()
    s['two-entries-second'] = bytes([0, 2, 15]) + bootmap_disk(entries=2)
    s['blocks-4096'] = bytes([3, 1, 15]) + bootmap_disk(bs=4096)
    # A list continued in another block (slot 31 of block 10 to block 11).
    cont = [(16, 1)] * 31 + [(11, 1)]
    s['continued-list'] = bytes([0, 0, 15]) + bootmap_disk(lists={10: cont, 11: [(17, 3)]})
    s['loop'] = bytes([0, 0, 15]) + bootmap_disk(lists={10: [(16, 1)] * 31 + [(10, 1)]})
    s['over-loader'] = bytes([0, 0, 0]) + bootmap_disk()
    s['bad-header'] = bytes([0, 0, 15]) + bootmap_disk(header_type=1)
    # zipl's ECKD scheme: 12 records a track (bits 3-7: 11), the table's
    # pointer (block 1) before the disk.
    eckd = bytes([(11 << 3) | 4, 0, 15]) + eckd_ptr(1, 1, 512)
    s['eckd-one-entry'] = eckd + bootmap_disk(eckd=True)
    s['eckd-two-entries'] = bytes([(11 << 3) | 4, 2, 15]) + eckd_ptr(1, 1, 512) + \
        bootmap_disk(entries=2, eckd=True)
    s['eckd-loop'] = eckd + bootmap_disk(lists={10: [(16, 1)] * 31 + [(10, 1)]}, eckd=True)
    # El Torito (first byte 0xF8): discs of tests/linux/mkiso.py with small
    # images (the Linux IPL CCWs, a kernel-shaped body to 0x11000), one and
    # two entries, the second chosen.
    sys.path.insert(0, os.path.join(TOP, '..', 'linux'))
    import mkiso
    img = bytearray(0x11000)
    img[8:32] = mkiso.IPL_CCWS
    img[0x10008:0x1000E] = b'S390EP'
    s['iso-one-entry'] = bytes([0xF8, 0, 15]) + mkiso.build([bytes(img)])
    s['iso-second-entry'] = bytes([0xF8, 2, 15]) + mkiso.build([bytes(img), bytes(img[:0x10800])])
    return s


# --- fuzz_tftp ------------------------------------------------------------------

def tftp_rec(data, port=69):
    """A datagram from the server (fuzz_tftp.c): kind and port bits, length, bytes."""
    return bytes([port & 3, (port >> 2) & 0xFF]) + struct.pack('<H', len(data)) + data


def tftp_seeds():
    """The client against a server (fuzz_tftp.c): header, then datagrams;
    and the boot-file readers on text."""
    s = {}
    sink = lambda n: bytes([0, (n // 64 + 1) & 0xFF, ((n // 64 + 1) >> 8) & 0xFF])
    body = bytes(range(256)) * 12
    oack = struct.pack('>H', 6) + b'blksize\0' + b'1428\0' + b'tsize\0' + str(len(body)).encode() + b'\0'
    recs = tftp_rec(oack, 1000)
    for i in range(0, len(body) + 1, 1428):
        recs += tftp_rec(struct.pack('>HH', 3, i // 1428 + 1) + body[i:i + 1428], 1000)
    s['oack-transfer'] = sink(len(body)) + recs
    plain = b''
    for i in range(0, 1300, 512):
        plain += tftp_rec(struct.pack('>HH', 3, i // 512 + 1) + body[i:min(i + 512, 1300)], 2000)
    s['no-options'] = sink(1300) + plain
    s['error'] = sink(100) + tftp_rec(struct.pack('>HH', 5, 1) + b'File not found\0')
    s['silence-then-data'] = sink(100) + bytes([9, 9]) + tftp_rec(struct.pack('>HH', 3, 1) + b'x' * 10, 7)
    s['too-big'] = sink(10) + tftp_rec(oack, 5)
    s['duplicate-block'] = sink(2000) + tftp_rec(struct.pack('>HH', 3, 1) + body[:512], 9) * 2 + \
        tftp_rec(struct.pack('>HH', 3, 2) + body[:7], 9)
    pxe = b'# pxelinux\ndefault b\nlabel a\n  kernel k1\n  append one\nlabel b\n  kernel k2\n  initrd i2\n  append two words\n'
    s['pxelinux-default'] = bytes([0x80, 0, 0]) + pxe
    s['pxelinux-choice'] = bytes([0xC0, 1, 0]) + pxe
    s['loadlist'] = bytes([0x80, 0, 0]) + b'* list\nvmlinuz 0x0\nparm 0x10480\ninitrd 0x800000\n'
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


SEEDS = {
    'ccw': lambda: ccw_seeds(),
    'vccw': lambda: vccw_seeds(),
    'vq_dev': lambda: vq_dev_seeds(),
    'vq_drv': lambda: vq_drv_seeds(),
    'drivers': lambda: drivers_seeds(),
    'bootmap': lambda: bootmap_seeds(),
    'tftp': lambda: tftp_seeds(),
}


def main():
    """mkcorpus.py [NAME...]: the named corpora, or all of them."""
    for name in sys.argv[1:] or SEEDS:
        write(name, SEEDS[name]())
    return 0


if __name__ == '__main__':
    sys.exit(main())
