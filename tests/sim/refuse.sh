#!/usr/bin/env bash
# ccwsim refuses what it does not model, and what QEMU 7.2 refuses, with a
# one-line reason and exit status 2, before any tour runs. Where QEMU
# refuses the same configuration, the QEMU side is checked to refuse it too.
# Logs go to build/test-logs/refuse/.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/lib.sh
. "$top/tests/lib.sh"
start_logs refuse

d=$logs
truncate -s 1M "$d/disk.img"
truncate -s 1M "$d/disk2.img"
printf 'QFI\xfb' > "$d/qcow.img" && truncate -s 1M "$d/qcow.img"
head -c 4096 /dev/zero > "$d/notckd.3390" && printf 'HELLO' | dd of="$d/notckd.3390" conv=notrunc status=none
printf '%s\n' '0120 3390 notckd.3390' > "$d/badckd.cnf"
long=$(head -c 2944 /dev/zero | tr '\0' x)
many=()
for i in $(seq 1 257); do many+=(-device "virtio-rng-ccw,devno=fe.0.$(printf %04x "$i")"); done
D="-drive if=none,id=d0,file=$d/disk.img,format=raw"

# name | QEMU refuses it too (q) or not (-) | message (extended regex) | arguments
cases=(
	"format-qcow2|-|format=qcow2 is not simulated: ccwsim reads raw images only|-drive if=none,id=d0,file=$d/qcow.img,format=qcow2 -device virtio-blk-ccw,drive=d0"
	"unknown-property|q|virtio-blk-ccw has no property 'foo'|$D -device virtio-blk-ccw,drive=d0,foo=1"
	"unmodelled-property|-|iothread=io0 is not simulated|$D -device virtio-blk-ccw,drive=d0,iothread=io0"
	"netdev-tap|-|-netdev tap is not simulated: only QEMU's user network|-netdev tap,id=n0 -device virtio-net-ccw,netdev=n0"
	"netdev-option|-|hostfwd=tcp::5555-:22 is not simulated|-netdev user,id=n0,hostfwd=tcp::5555-:22 -device virtio-net-ccw,netdev=n0"
	"net-parse|q|Failed to parse netmask|-netdev user,id=n0,net=300.1.1.1 -device virtio-net-ccw,netdev=n0"
	"net-host|q|Host doesn't belong to network|-netdev user,id=n0,host=192.168.1.1 -device virtio-net-ccw,netdev=n0"
	"net-dhcp|q|DHCP must be different from host and DNS|-netdev user,id=n0,dhcpstart=10.0.2.2 -device virtio-net-ccw,netdev=n0"
	"devno-syntax|q|devno 'fe.0.' is not cssid.ssid.devno|-device virtio-rng-ccw,devno=fe.0."
	"devno-set|q|Invalid cssid or ssid: cssid fe, ssid 4|-device virtio-rng-ccw,devno=fe.4.0001"
	"devno-twice|q|Device fe.0.0001 already exists|-device virtio-rng-ccw,devno=fe.0.0001 -device virtio-rng-ccw,devno=fe.0.0001"
	"drive-undefined|q|can't find value 'nope'|-device virtio-blk-ccw,drive=nope"
	"drive-twice|q|Drive 'd0' is already in use by another device|$D -device virtio-blk-ccw,drive=d0 -device virtio-blk-ccw,drive=d0"
	"drive-missing-file|q|cannot open $d/none.img: No such file or directory|-drive if=none,id=d0,file=$d/none.img,format=raw -device virtio-blk-ccw,drive=d0"
	"drive-auto|q|Drive 'd0' is already in use because it has been automatically connected|-drive id=d0,file=$d/disk.img,format=raw -device virtio-blk-ccw,drive=d0"
	"cdrom-twice|q|-cdrom $d/disk2.img: drive with bus=0, unit=2 \\(index=2\\) exists|-cdrom $d/disk.img -cdrom $d/disk2.img"
	"hda-missing-file|q|-hda $d/none.img: cannot open $d/none.img: No such file or directory|-hda $d/none.img"
	"drive-if-ide|-|if=ide is not simulated \\(none and virtio are\\)|-drive if=ide,id=d0,file=$d/disk.img,format=raw"
	"block-size|q|logical_block_size must be a power of two|$D -device virtio-blk-ccw,drive=d0,logical_block_size=3000"
	"block-sizes|q|logical_block_size > physical_block_size not supported|$D -device virtio-blk-ccw,drive=d0,logical_block_size=4096"
	"io-size|q|min_io_size must be a multiple of logical_block_size|$D -device virtio-blk-ccw,drive=d0,min_io_size=1000"
	"queue-size|q|invalid queue-size property \\(3\\), must be a power of 2|$D -device virtio-blk-ccw,drive=d0,queue-size=3"
	"scsi-on|q|Please set scsi=off|$D -device virtio-blk-ccw,drive=d0,scsi=on"
	"rng-period|q|'period' parameter expects a positive integer|-device virtio-rng-ccw,period=0"
	"rng-backend|q|can't find value 'nope'|-device virtio-rng-ccw,rng=nope"
	"port-zero|q|Port number 0 on virtio-serial devices reserved for virtconsole|-device virtio-serial-ccw -device virtserialport,nr=0"
	"port-no-bus|q|No 'virtio-serial-bus' bus found for device 'virtconsole'|-device virtconsole"
	"port-range|q|Out-of-range port id specified, max. allowed: 30|-device virtio-serial-ccw -device virtconsole,nr=31"
	"gpu-outputs|q|invalid max_outputs > 16|-device virtio-gpu-ccw,max_outputs=17"
	"crypto-backend|q|'cryptodev' parameter expects a valid object|-device virtio-crypto-ccw"
	"9p-tag|q|needs mount_tag arguments|-fsdev local,id=f0,path=$d,security_model=none -device virtio-9p-ccw,fsdev=f0"
	"device-unknown|q|'no-such-device' is not a valid device model name|-device no-such-device"
	"device-unmodelled|-|'vhost-scsi-ccw' is not simulated|-device vhost-scsi-ccw"
	"scsi-no-bus|q|No 'SCSI' bus found for device 'scsi-hd'|$D -device scsi-hd,drive=d0"
	"scsi-bad-bus|q|Bus 'x.0' not found|$D -device virtio-scsi-ccw,id=s0 -device scsi-hd,bus=x.0,drive=d0"
	"scsi-no-drive|q|drive property not set|-device virtio-scsi-ccw,id=s0 -device scsi-hd,bus=s0.0"
	"scsi-no-queues|q|Invalid number of queues \\(= 0\\), must be a positive integer less than 1022\\.|-device virtio-scsi-ccw,num_queues=0"
	"scsi-queues-1023|q|Invalid number of queues \\(= 1023\\)|-device virtio-scsi-ccw,num_queues=1023"
	"scsi-channel|q|bad scsi channel id: 1|$D -device virtio-scsi-ccw,id=s0 -device scsi-hd,bus=s0.0,drive=d0,channel=1"
	"scsi-bad-id|q|bad scsi device id: 256|$D -device virtio-scsi-ccw,id=s0 -device scsi-hd,bus=s0.0,drive=d0,scsi-id=256"
	"scsi-bad-lun|q|bad scsi device lun: 16384|$D -device virtio-scsi-ccw,id=s0 -device scsi-hd,bus=s0.0,drive=d0,lun=16384"
	"drive-empty-blk|q|Device needs media, but drive is empty|-drive if=none,id=e -device virtio-blk-ccw,drive=e"
	"drive-empty-scsi-hd|q|Device needs media, but drive is empty|-drive if=none,id=e -device virtio-scsi-ccw -device scsi-hd,drive=e"
	"scsi-serial|-|serial=x is not simulated|$D -device virtio-scsi-ccw,id=s0 -device scsi-hd,bus=s0.0,drive=d0,serial=x"
	"scsi-bootindex-twice|q|the bootindex 1 has already been used|$D -drive if=none,id=d1,file=$d/disk2.img,format=raw -device virtio-blk-ccw,drive=d1,bootindex=1 -device virtio-scsi-ccw,id=s0 -device scsi-hd,bus=s0.0,drive=d0,bootindex=1"
	"scsi-bootindex-not-integer|q|Parameter 'bootindex' expects an integer|$D -device virtio-scsi-ccw,id=s0 -device scsi-hd,bus=s0.0,drive=d0,bootindex=x"
	"chardev-socket|-|-chardev socket is not simulated|-chardev socket,id=c0,path=$d/sock,server=on,wait=off"
	"object-unmodelled|-|-object memory-backend-ram is not simulated|-object memory-backend-ram,id=m0,size=1M"
	"global|-|-global virtio-blk-ccw.serial=x: not simulated|-global virtio-blk-ccw.serial=x"
	"machine|-|only the s390-ccw-virtio machine is simulated|-M virt"
	"machine-property|-|machine property 'accel=tcg' is not simulated|-M s390-ccw-virtio,accel=tcg"
	"loadparm-character|q|loadparm takes letters, digits, '.' and blanks only|-M s390-ccw-virtio,loadparm=a_b"
	"bootindex-twice|q|the bootindex 1 has already been used|$D -drive if=none,id=d1,file=$d/disk2.img,format=raw -device virtio-blk-ccw,drive=d0,bootindex=1 -device virtio-blk-ccw,drive=d1,bootindex=1"
	"bios-without-kernel|-|-bios /x/ccwboot.elf without -kernel: QEMU runs the firmware|-bios /x/ccwboot.elf"
	"bootindex-rng|q|virtio-rng-ccw has no property 'bootindex'|-device virtio-rng-ccw,bootindex=1"
	"bootindex-not-integer|q|Parameter 'bootindex' expects an integer|$D -device virtio-blk-ccw,drive=d0,bootindex=x"
	"device-id-twice|q|Duplicate ID 'r' for device|-device virtio-rng-ccw,id=r -device virtio-rng-ccw,id=r"
	"port-id-twice|q|Duplicate ID 'p' for device|-device virtio-serial-ccw -device virtconsole,id=p -device virtio-rng-ccw,id=p"
	"device-id-malformed|q|Parameter 'id' expects an identifier|-device virtio-rng-ccw,id=1r"
	"netdev-id-malformed|q|Parameter 'id' expects an identifier|-netdev user,id=1n -device virtio-net-ccw,netdev=1n"
	"chardev-twice|q|Duplicate ID 'c0' for chardev|-chardev null,id=c0 -chardev null,id=c0"
	"object-twice|q|Duplicate ID 'o0' for object|-object rng-random,id=o0,filename=/dev/urandom -object rng-random,id=o0,filename=/dev/urandom"
	"kernel|-|not the project's tour image|-kernel $d/disk.img"
	"memory|-|-m 0: takes MiB|-m 0"
	"append-long|q|the command line has 2944 bytes; the image takes at most 2943|-append $long"
	"option-qemu|q|unknown option '-no-such-option'|-no-such-option"
	"option-ccwsim|-|unknown option '--no-such-option'|--no-such-option"
	"hotplug-syntax|-|--hotplug-at takes MS:add:DEVICE or MS:del:ID|--hotplug-at=soon"
	"hotplug-device|-|'virtio-rgn-ccw' is not a device ccwsim can plug in|--hotplug-at=10:add:virtio-rgn-ccw"
	"ckd-header|-|not a Hercules CKD image: it starts with \"HELLO...\" \\(48 45 4c 4c ...\\), not CKD_P370|-f $d/badckd.cnf"
	"device-257|-|a device beyond the 256 ccwsim simulates|MANY"
)

for c in "${cases[@]}"; do
	IFS='|' read -r name qemu_too msg args <<< "$c"
	log=$logs/$name.log
	if [ "$args" = MANY ]; then
		"$ccwsim" -nodefaults "${many[@]}" > "$log" 2>&1
	else
		# shellcheck disable=SC2086 # the arguments are separate options
		"$ccwsim" -nodefaults $args > "$log" 2>&1
	fi
	rc=$?
	check "refuse.$name.status" "exit status $rc, want 2 (log: $log)" test $rc -eq 2
	check "refuse.$name.message" "no '$msg' (log: $log)" has "$log" "^ccwsim: .*$msg"
	check "refuse.$name.no-tour" "a tour ran (log: $log)" lacks "$log" '^ccw tour$'
	if [ "$qemu_too" = q ]; then
		qlog=$logs/$name.qemu.log
		# shellcheck disable=SC2086
		timeout -k 5 20 qemu-system-s390x -nographic -nodefaults -M s390-ccw-virtio \
			-kernel "$image" $args < /dev/null > "$qlog" 2>&1
		qrc=$?
		check "refuse.$name.qemu-refuses" "QEMU did not refuse it: $qrc (log: $qlog)" \
			test $qrc -eq 1 -a "$(grep -c '^ccw tour' "$qlog")" -eq 0
	fi
done
exit $check_failed
