#!/usr/bin/env bash
# The configurations users try, on QEMU 7.2 and on ccwsim: for each, the
# same devices and command line run on both, and the tour's lines must be
# the same (TEST lines, negotiation, configuration spaces with the
# "config" option), the exit status too, and whatever the run leaves
# behind (disks, files) is checked from outside. Each failure once seen on
# a configuration has its case here (block sizes, subnets, consoles without
# a port, rate-limited randomness, empty disks, devices the stack has no
# driver for, device numbers QEMU hides). Logs go to build/test-logs/compare/.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
start_logs compare q s

# The tour's own lines, without the platform name and the timed figures.
tour_lines() {
	sed -n '/^ccw tour$/,/^RESULT:/p' "$1" | grep -v -e '^platform: ' -e '^BENCH '
}

# Files each side gets its own copy of: @D@ in a configuration is the side's
# directory.
scratch() { # file size
	rm -f "$1" && truncate -s "$2" "$1" && printf 'CCW-SCRATCH' | dd of="$1" conv=notrunc status=none
}
prepare() { # dir
	scratch "$1/s32m.img" 32M
	scratch "$1/s4k.img" 32M
	: > "$1/empty.img"
	printf 'abc' > "$1/tiny.img"
	truncate -s 33555456 "$1/odd.img"
	rm -f "$1"/*.txt
	mkdir -p "$1/share"
	head -c 3000017 /dev/zero | tr '\0' 'z' > "$1/share/boot.bin"
	# A CD-ROM image: 64 blocks of 2048 bytes, an ISO 9660 primary volume
	# descriptor (type 1, "CD001") at block 16.
	rm -f "$1/cd.iso" && truncate -s $((64 * 2048)) "$1/cd.iso" &&
		printf '\001CD001\001' | dd of="$1/cd.iso" bs=1 seek=$((16 * 2048)) conv=notrunc status=none
	scratch "$1/lun.img" 4M
	scratch "$1/sq.img" 8M
	scratch "$1/s4ks.img" 8M
	head -c 3000 /dev/zero | tr '\0' 'c' > "$1/cdodd.iso"
	scratch "$1/cd,x.iso" 1M
	scratch "$1/mcd.img" 1M
	scratch "$1/hdb.img" 4M
}
prepare "$logs/q"
prepare "$logs/s"

# name | devices | command line
configs=(
	"blk-4096|-drive if=none,id=d0,file=@D@/s4k.img,format=raw -device virtio-blk-ccw,drive=d0,devno=fe.0.0002,logical_block_size=4096,physical_block_size=4096|seed=3 config"
	"blk-512-topology|-drive if=none,id=d0,file=@D@/s32m.img,format=raw -device virtio-blk-ccw,drive=d0,devno=fe.0.0002,physical_block_size=4096,min_io_size=8192,opt_io_size=64k,serial=topology|config"
	"blk-1024|-drive if=none,id=d0,file=@D@/odd.img,format=raw -device virtio-blk-ccw,drive=d0,logical_block_size=1024,physical_block_size=4096,discard_granularity=65536|config"
	"blk-4096-odd-size|-drive if=none,id=d0,file=@D@/odd.img,format=raw,readonly=on -device virtio-blk-ccw,drive=d0,logical_block_size=4096,physical_block_size=4096|config"
	"blk-empty|-drive if=none,id=d0,file=@D@/empty.img,format=raw -device virtio-blk-ccw,drive=d0|config"
	"blk-tiny|-drive if=none,id=d0,file=@D@/tiny.img,format=raw -device virtio-blk-ccw,drive=d0|config"
	"blk-tiny-4096|-drive if=none,id=d0,file=@D@/tiny.img,format=raw -device virtio-blk-ccw,drive=d0,logical_block_size=4096,physical_block_size=4096|"
	"blk-queues|-drive if=none,id=d0,file=@D@/s32m.img,format=raw -device virtio-blk-ccw,drive=d0,num-queues=4,queue-size=1024,seg-max-adjust=off,cyls=100,heads=4,secs=32|config seed=4"
	"blk-no-cache|-drive if=none,id=d0,file=@D@/s32m.img,format=raw,cache=writethrough -device virtio-blk-ccw,drive=d0,config-wce=off,discard=off,write-zeroes=off,queue-size=4|config seed=5"
	"net-subnet|-netdev user,id=n0,net=192.168.76.0/24 -device virtio-net-ccw,netdev=n0,devno=fe.0.0001|config"
	"net-restrict|-netdev user,id=n0,net=192.168.76.0/24,restrict=on -device virtio-net-ccw,netdev=n0|"
	"net-addresses|-netdev user,id=n0,net=10.9.0.0/16,host=10.9.0.1,dhcpstart=10.9.0.100,dns=10.9.0.53 -device virtio-net-ccw,netdev=n0,mac=02:00:00:00:00:07|"
	"net-class|-netdev user,id=n0,net=172.20.5.0 -device virtio-net-ccw,netdev=n0|"
	"net-tftp|-netdev user,id=n0,net=192.168.76.0/24,tftp=@D@/share -device virtio-net-ccw,netdev=n0|tftp=boot.bin"
	"net-tftp-missing|-netdev user,id=n0,tftp=@D@/share -device virtio-net-ccw,netdev=n0|tftp=nothing.bin"
	"serial-no-port|-device virtio-serial-ccw,devno=fe.0.0003|config"
	"serial-port|-device virtio-serial-ccw -chardev file,id=p1,path=@D@/port1.txt -device virtserialport,chardev=p1,name=org.example.port|"
	"serial-mixed|-device virtio-serial-ccw,id=vs0 -device virtio-serial-ccw,id=vs1 -device virtserialport,bus=vs0.0,name=org.example.a,nr=3 -chardev file,id=vc,path=@D@/vc.txt -device virtconsole,chardev=vc -device virtconsole,name=second|"
	"serial-one-port|-device virtio-serial-ccw,max_ports=1,emergency-write=off -chardev file,id=vc,path=@D@/vc.txt -device virtconsole,chardev=vc|config"
	"rng-limited|-object rng-random,id=r0,filename=/dev/urandom -device virtio-rng-ccw,rng=r0,max-bytes=64,period=3000|"
	"rng-builtin|-object rng-builtin,id=r0 -device virtio-rng-ccw,rng=r0,devno=fe.3.fffe|"
	"balloon|-device virtio-balloon-ccw|config"
	"balloon-props|-device virtio-balloon-ccw,deflate-on-oom=on,page-poison=off|config"
	"input|-device virtio-keyboard-ccw -device virtio-mouse-ccw -device virtio-tablet-ccw|config"
	"gpu|-device virtio-gpu-ccw -device virtio-gpu-ccw,max_outputs=2,edid=off|config"
	"scsi|-device virtio-scsi-ccw -device virtio-scsi-ccw,num_queues=2,virtqueue_size=128,max_sectors=1024,cmd_per_lun=4,hotplug=off|config"
	"scsi-sizes|-device virtio-scsi-ccw,id=s0 -drive if=none,id=t,file=@D@/tiny.img,format=raw,readonly=on -device scsi-hd,drive=t,scsi-id=1 -drive if=none,id=e,file=@D@/empty.img,format=raw,readonly=on -device scsi-hd,drive=e,scsi-id=2 -drive if=none,id=o,file=@D@/odd.img,format=raw,readonly=on -device scsi-hd,drive=o,scsi-id=3 -drive if=none,id=c,file=@D@/cdodd.iso,format=raw,media=cdrom -device scsi-cd,drive=c,scsi-id=4|"
	"scsi-cd-empty|-device virtio-scsi-ccw,id=s0 -drive if=none,id=c,media=cdrom -device scsi-cd,drive=c,scsi-id=5|"
	"scsi-cd-no-drive|-device virtio-scsi-ccw,id=s0 -device scsi-cd,bus=s0.0 -device scsi-cd,lun=2|"
	"scsi-4096|-device virtio-scsi-ccw,id=s0 -drive if=none,id=h0,file=@D@/s4ks.img,format=raw -device scsi-hd,drive=h0,logical_block_size=4096,physical_block_size=4096,scsi-id=2,lun=1|seed=9"
	"scsi-queues|-device virtio-scsi-ccw,id=s0,num_queues=4,cmd_per_lun=3 -drive if=none,id=h0,file=@D@/sq.img,format=raw -device scsi-hd,drive=h0,lun=7|seed=6"
	"scsi-luns|-device virtio-scsi-ccw,id=s0,devno=fe.0.0005 -drive if=none,id=h0,file=@D@/lun.img,format=raw -device scsi-hd,bus=s0.0,drive=h0,scsi-id=0,lun=0 -drive if=none,id=c0,file=@D@/cd.iso,format=raw,media=cdrom,readonly=on -device scsi-cd,bus=s0.0,drive=c0,scsi-id=3,lun=2 -drive if=none,id=h1,file=@D@/s32m.img,format=raw,readonly=on -device scsi-hd,drive=h1,scsi-id=3,lun=5|config"
	"crypto-9p|-object cryptodev-backend-builtin,id=c0 -device virtio-crypto-ccw,cryptodev=c0 -fsdev local,id=f0,path=@D@/share,security_model=none -device virtio-9p-ccw,fsdev=f0,mount_tag=share|config"
	"short-names|-device virtio-rng -device virtio-balloon|"
	"hidden-css|-device virtio-rng-ccw,devno=0.0.0001 -device virtio-rng-ccw,devno=fe.1.0001|"
	"iommu|-device virtio-rng-ccw,iommu_platform=on|"
	"transport-props|-device virtio-rng-ccw,max_revision=0,any_layout=off,notify_on_empty=off,queue_reset=off|config"
	"memory|-m 64 -device virtio-rng-ccw|"
	"short-forms|-cdrom @D@/cd,x.iso -hdb @D@/hdb.img -drive if=none,id=d9,file=@D@/mcd.img,format=raw,media=cdrom,readonly=off -device virtio-blk-ccw,drive=d9|seed=7"
	"drive-default-if|-device virtio-rng-ccw,devno=fe.0.0000 -drive file=@D@/tiny.img,format=raw -device virtio-rng-ccw -drive if=virtio,file=@D@/empty.img,format=raw|"
)

for c in "${configs[@]}"; do
	IFS='|' read -r name devices cmdline <<< "$c"
	qlog=$logs/$name.qemu.log
	slog=$logs/$name.sim.log
	qdev=${devices//@D@/$logs/q}
	sdev=${devices//@D@/$logs/s}
	# shellcheck disable=SC2086 # the devices are separate options
	DEVICES="$qdev" CMDLINE="$cmdline" OUT=$logs/q TIMEOUT=90 "$top/tests/qemu/run-tour.sh" > "$qlog" 2>&1
	qrc=$?
	# shellcheck disable=SC2086
	"$ccwsim" -nodefaults $sdev -append "$cmdline" > "$slog" 2>&1
	src=$?
	tour_lines "$qlog" > "$qlog.tour"
	tour_lines "$slog" > "$slog.tour"
	check "compare.$name.qemu-ran" "QEMU did not run the tour (log: $qlog)" has "$qlog" '^RESULT: '
	check "compare.$name.same-lines" "differs from QEMU: diff $qlog.tour $slog.tour" \
		cmp -s "$qlog.tour" "$slog.tour"
	check "compare.$name.same-status" "QEMU $qrc, ccwsim $src (logs: $qlog $slog)" test "$qrc" = "$src"
done

# What the failures were: each configuration now passes, skipping only
# what cannot run, with the reason.
l=$logs
passes() { test "$(grep -c '^TEST [^ ]* FAIL' "$1")" = 0 && has "$1" '^RESULT: [0-9]+ passed, 0 failed'; }
for n in blk-4096 blk-empty blk-tiny blk-tiny-4096 net-subnet net-restrict serial-no-port serial-port rng-limited; do
	check "compare.$n.passes" "a TEST failed on QEMU (log: $l/$n.qemu.log)" passes "$l/$n.qemu.log"
done
check compare.blk-4096.whole-blocks "block 0 not read whole" \
	has "$l/blk-4096.qemu.log" '^TEST virtio\.blk-read\.0\.0\.0002 PASS block 0 \(4096 bytes\)'
check compare.blk-4096.write-verify "no write-verify in 4096-byte blocks" \
	has "$l/blk-4096.qemu.log" '^TEST virtio\.blk-write-verify\.0\.0\.0002 PASS sectors 8-71 \(blocks 1-8 of 4096 bytes\), seed 3'
# The pattern from outside: sector s holds 64 copies of (3 << 32) | s, on both disks.
sector() { od -An -v -tx1 -j $(($2 * 512)) -N 512 "$1" | tr -d ' \n'; }
for s in 8 71; do
	want=$(printf '00000003%08x' "$s")
	check "compare.blk-4096.sector-$s" "sector $s does not hold the seed-3 pattern" \
		test "$(sector "$l/q/s4k.img" "$s")" = "$(printf "$want%.0s" $(seq 64))"
done
check compare.blk-4096.sector-7 "sector 7 (block 0) was written" \
	test "$(sector "$l/q/s4k.img" 7)" = "$(printf '00%.0s' $(seq 512))"
check compare.blk-4096.same-disk "the disks differ after QEMU and ccwsim" cmp -s "$l/q/s4k.img" "$l/s/s4k.img"
check compare.blk-empty.skips "the empty disk's read not skipped" \
	has "$l/blk-empty.qemu.log" '^TEST virtio\.blk-read\.0\.0\.0000 SKIP the disk holds no whole block of 512 bytes \(capacity 0 sectors\)'
check compare.blk-tiny.one-sector "the 3-byte disk is not one sector" \
	has "$l/blk-tiny.qemu.log" '^0\.0\.0000 virtio-blk: capacity 1 sectors'
check compare.blk-tiny.reads "the 3-byte disk not read" \
	has "$l/blk-tiny.qemu.log" '^TEST virtio\.blk-read\.0\.0\.0000 PASS block 0 \(512 bytes\) starts "abc'
check compare.net-subnet.router "ARP not for the offered router" \
	has "$l/net-subnet.qemu.log" '^TEST virtio\.net-arp\.0\.0\.0001 PASS router 192\.168\.76\.2 is at 52:55:c0:a8:4c:02$'
check compare.net-tftp.read "the file not read whole by TFTP" \
	has "$l/net-tftp.qemu.log" '^TEST virtio\.net-tftp\.0\.0\.0000 PASS boot\.bin: 3000017 bytes in 1428-byte blocks$'
check compare.net-tftp-missing.error "the server's error not reported" \
	has "$l/net-tftp-missing.qemu.log" '^TEST virtio\.net-tftp\.0\.0\.0000 FAIL TFTP nothing\.bin: the server says error 1: File not found$'
check compare.net-restrict.server "without a router, ARP not for the DHCP server" \
	has "$l/net-restrict.qemu.log" '^TEST virtio\.net-arp\.0\.0\.0000 PASS DHCP server 192\.168\.76\.2 is at'
check compare.serial-no-port.skips "the console test not skipped with its reason" \
	has "$l/serial-no-port.qemu.log" '^TEST virtio\.console-write\.0\.0\.0003 SKIP no port 0'
check compare.serial-port.named "the virtserialport not named" \
	has "$l/serial-port.qemu.log" '^0\.0\.0000 virtio-console: port 1 "org\.example\.port", host end open$'
check compare.serial-mixed.placed "the ports not on the devices QEMU puts them on" \
	has "$l/serial-mixed.qemu.log" '^0\.0\.0001 virtio-console: port 1 "second", a console port, host end closed$'
check compare.rng-limited.waits "the rate-limited device not waited for" \
	has "$l/rng-limited.qemu.log" '^0\.0\.0000 virtio-rng: no bytes within 2 s; waiting up to 70 s'
check compare.serial-port.file "ccwsim's virtserialport file missing" test -f "$l/s/port1.txt"
# -cdrom and media=cdrom (even with readonly=off) are read-only on QEMU:
# the scratch marker is there, but nothing is written; -hdb is written.
scratch "$l/fresh1m.img" 1M
check compare.short-forms.cd-read-only "not two read-only disks skipped (log: $l/short-forms.qemu.log)" \
	test "$(grep -c '^TEST virtio\.blk-write-verify\.[0-9.]* SKIP scratch marker, but the disk is read-only$' "$l/short-forms.qemu.log")" = 2
for side in q s; do
	check "compare.short-forms.$side.cd-unwritten" "the -cdrom image was written" \
		cmp -s "$l/$side/cd,x.iso" "$l/fresh1m.img"
	check "compare.short-forms.$side.media-cdrom-unwritten" "the media=cdrom image was written" \
		cmp -s "$l/$side/mcd.img" "$l/fresh1m.img"
done
check compare.short-forms.hdb-written "no write-verify on the -hdb disk" \
	has "$l/short-forms.qemu.log" '^TEST virtio\.blk-write-verify\.0\.0\.0002 PASS sectors 1-64'
check compare.short-forms.same-disk "the -hdb disks differ after QEMU and ccwsim" \
	cmp -s "$l/q/hdb.img" "$l/s/hdb.img"
check compare.scsi-luns.passes "a TEST failed on QEMU (log: $l/scsi-luns.qemu.log)" passes "$l/scsi-luns.qemu.log"
check compare.scsi-luns.found "not three logical units" \
	has "$l/scsi-luns.qemu.log" '^TEST virtio\.scsi-scan\.0\.0\.0005 PASS 3 logical units$'
check compare.scsi-luns.cd "the CD-ROM's volume descriptor not read" \
	has "$l/scsi-luns.qemu.log" '^TEST virtio\.scsi-read\.0\.0\.0005\.3\.2 PASS block 16 \(2048 bytes\) starts "\.CD001\.'
check compare.scsi-luns.ro-disk "the read-only disk at 3:5 not read" \
	has "$l/scsi-luns.qemu.log" '^TEST virtio\.scsi-read\.0\.0\.0005\.3\.5 PASS block 0 \(512 bytes\) starts "CCW-SCRATCH'
check compare.scsi-luns.ro-skipped "the read-only disk's write-verify not skipped with its reason" \
	has "$l/scsi-luns.qemu.log" '^TEST virtio\.scsi-write-verify\.0\.0\.0005\.3\.5 SKIP scratch marker, but the disk is write-protected$'
check compare.scsi-luns.write-verify "no write-verify on the scratch disk at 0:0" \
	has "$l/scsi-luns.qemu.log" '^TEST virtio\.scsi-write-verify\.0\.0\.0005\.0\.0 PASS sectors 1-64 \(blocks 1-64 of 512 bytes\), seed [0-9]+, synchronized; 0 of 64 blocks'
check compare.scsi-luns.seq-read "no sequential read of the 4 MiB disk" \
	has "$l/scsi-luns.qemu.log" '^TEST virtio\.scsi-seq-read\.0\.0\.0005\.0\.0 PASS 4096 KiB, 8 commands of 128 KiB in flight$'
check compare.scsi-luns.bench "no BENCH line of the sequential read on QEMU" \
	has "$l/scsi-luns.qemu.log" '^BENCH image\.vscsi-seq-read\.0\.0\.0005\.0\.0 [0-9.]+ MiB/s$'
check compare.scsi-luns.same-disk "the SCSI scratch disks differ after QEMU and ccwsim" \
	cmp -s "$l/q/lun.img" "$l/s/lun.img"
check compare.scsi-sizes.tiny "the 3-byte disk is not one block of 512 bytes read whole" \
	has "$l/scsi-sizes.qemu.log" '^TEST virtio\.scsi-read\.0\.0\.0000\.1\.0 PASS block 0 \(512 bytes\) starts "abc'
check compare.scsi-sizes.empty "the empty disk's read not skipped" \
	has "$l/scsi-sizes.qemu.log" '^TEST virtio\.scsi-read\.0\.0\.0000\.2\.0 SKIP no capacity to read$'
check compare.scsi-sizes.cd "the 3000-byte CD-ROM is not one block of 2048 bytes" \
	has "$l/scsi-sizes.qemu.log" '^0\.0\.0000 virtio-scsi: 4:0 CD-ROM "QEMU" "QEMU CD-ROM", 1 blocks of 2048 bytes'
check compare.scsi-4096.write-verify "no write-verify in 4096-byte blocks on a scsi-hd" \
	has "$l/scsi-4096.qemu.log" '^TEST virtio\.scsi-write-verify\.0\.0\.0000\.2\.1 PASS sectors 8-71 \(blocks 1-8 of 4096 bytes\), seed 9'
check compare.scsi-4096.same-disk "the 4096-byte scsi-hd differs after QEMU and ccwsim" \
	cmp -s "$l/q/s4ks.img" "$l/s/s4ks.img"
check compare.scsi-cd-empty.no-medium "the CD-ROM without a medium not listed without a capacity" \
	has "$l/scsi-cd-empty.qemu.log" '^0\.0\.0000 virtio-scsi: 5:0 CD-ROM "QEMU" "QEMU CD-ROM", 0 blocks of 0 bytes, removable$'
check compare.scsi-queues.passes "a TEST failed on QEMU (log: $l/scsi-queues.qemu.log)" passes "$l/scsi-queues.qemu.log"
check compare.scsi-queues.depth "not 4 queues and 3 commands in flight" \
	has "$l/scsi-queues.qemu.log" '^0\.0\.0000 virtio-scsi: 4 request queues \(4 used\), 3 commands in flight'
check compare.scsi-queues.write-verify "no write-verify through 4 queues" \
	has "$l/scsi-queues.qemu.log" '^TEST virtio\.scsi-write-verify\.0\.0\.0000\.0\.7 PASS .*seed 6,'
for s in 1 64; do
	want=$(printf '00000006%08x' "$s")
	check "compare.scsi-queues.sector-$s" "sector $s does not hold the seed-6 pattern" \
		test "$(sector "$l/q/sq.img" "$s")" = "$(printf "$want%.0s" $(seq 64))"
done
check compare.hidden-css.unseen "the css-0 device was seen" \
	has "$l/hidden-css.sim.log" '^0\.1\.0001 0\.1\.0000 .* virtio-rng$'
exit $check_failed
