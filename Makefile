# One Makefile for both builds, side by side:
#   build/host/   host objects and test binaries (AddressSanitizer, UBSan)
#   build/s390x/  the freestanding s390x image (tour.elf, tour.bin, tour.ins)
#
# make              both builds
# make run          build the image and IPL it on QEMU (DEVICES=..., CMDLINE=...)
# make run-hercules IPL the same image under Hercules (CMDLINE=...)
# make run-linux    boot Debian's s390x Linux on QEMU through ccwboot from a
#                   mkboot disk (the kernel fetched once into build/linux)
# make run-hercules-linux
#                   IPL the same Linux under Hercules from a 3390 that
#                   mkboot --ckd made bootable, through ccwboot
# make test         every test: CUnit, QEMU and Hercules tours, crash paths
# make bench        the benchmarks, as BENCH lines
# make lib          libccwsim: build/lib/libccwsim.a and libccwsim.so
# make install      the library, its headers and ccwsim.pc under PREFIX
#                   (/usr/local; DESTDIR for staging); make uninstall
# make deps         install the Debian packages the project needs
# make clean        remove build/
# V=1 shows the full commands.

CROSS_COMPILE ?= s390x-linux-gnu-
HOSTCC ?= gcc
CC_S390X := $(CROSS_COMPILE)gcc
OBJCOPY_S390X := $(CROSS_COMPILE)objcopy

BUILD := build
HOST := $(BUILD)/host
S390X := $(BUILD)/s390x
BENCHDIR := $(BUILD)/bench

ifeq ($(V),1)
Q :=
say := @true
else
Q := @
say := @printf '  %-8s %s\n'
endif

# ---------------------------------------------------------------------------
# Sources, layer by layer (DESIGN.md: includes point downward only).

RING_SRCS := ring/base.c ring/fmt.c ring/vq.c ring/split.c ring/packed.c ring/vq_dev.c \
	ring/virtio.c
CCW_SRCS := ccw/css.c ccw/irb.c ccw/ident.c ccw/port.c ccw/trace.c ccw/vccw.c
DEVICES_SRCS := devices/ebcdic.c devices/con3215.c devices/vblk.c devices/vnet.c \
	devices/vcon.c devices/vrng.c devices/inet.c devices/eckd.c devices/eckd_sense.c \
	devices/vscsi.c devices/scsi_sense.c
BOOT_SRCS := boot/report.c boot/tour.c boot/tour_virtio.c boot/tour_classic.c
# The tour's tftp= read uses ccwboot's network code.
TOUR_NET_SRCS := boot/netboot.c boot/bootfile.c boot/tftp.c
# ccwboot's platform-neutral parts: the boot-map reader and the loader.
BOOTLOADER_SRCS := boot/bootmap.c boot/eltorito.c boot/ccwboot.c boot/netboot.c boot/bootfile.c boot/tftp.c
BOOT_S390X_SRCS := boot/s390x/start.S boot/s390x/entry.S boot/s390x/ioasm.c boot/s390x/plat.c \
	boot/s390x/sclp.c boot/s390x/string.c boot/s390x/tour_main.c
SIM_SRCS := sim/mem.c sim/clock.c sim/machine.c sim/css.c sim/irq.c sim/fault.c sim/trace.c sim/interp.c sim/testdev.c sim/vccw.c sim/vdev.c \
	sim/dev_blk.c sim/dev_net.c sim/dev_con.c sim/dev_rng.c sim/dev_generic.c sim/dev_scsi.c
# The classic devices of Hercules: 3215 console, 3505 reader, 1403 printer.
SIM_SRCS += sim/con3215.c sim/unitrec.c
# The 3390 DASD on a 3990 over a Hercules CKD image.
SIM_SRCS += sim/ckd.c sim/dasd.c
BOOT_HOST_SRCS := boot/host/ioasm.c boot/host/plat.c

# Everything the host programs link: the real driver code on the host port.
HOST_LIB_SRCS := $(RING_SRCS) $(CCW_SRCS) $(DEVICES_SRCS) $(BOOT_SRCS) \
	$(BOOTLOADER_SRCS) $(SIM_SRCS) $(BOOT_HOST_SRCS)
UNIT_SRCS := tests/unit/main.c tests/unit/test_base.c tests/unit/test_fmt.c \
	tests/unit/test_layout.c tests/unit/test_irb.c tests/unit/test_ident.c \
	tests/unit/test_ebcdic.c tests/unit/simtest.c tests/unit/drvrig.c tests/unit/flood.c tests/unit/test_sim_insn.c \
	tests/unit/test_sim_kut.c tests/unit/test_sim_ccw.c tests/unit/test_css_layer.c \
	tests/unit/test_trace.c tests/unit/test_vq.c tests/unit/test_sim_vccw.c tests/unit/test_vccw.c \
	tests/unit/test_vblk.c tests/unit/test_vnet.c tests/unit/test_vcon.c tests/unit/test_vrng.c \
	tests/unit/test_vscsi.c
UNIT_SRCS += tests/unit/test_sim_dasd.c
UNIT_SRCS += tests/unit/test_eckd.c
UNIT_SRCS += tests/unit/test_con3215.c tests/unit/test_deck.c tools/deck.c
UNIT_SRCS += tests/unit/test_faults.c
UNIT_SRCS += tests/unit/test_sim_clock.c
# ccwsim's option parsers (the program's main is not linked).
UNIT_SRCS += tests/unit/test_ccwsim_opts.c boot/host/qemu_cli.c boot/host/herc_cfg.c
UNIT_SRCS += tests/unit/test_bootmap.c tests/unit/test_ccwboot.c tools/bootdisk.c
UNIT_SRCS += tests/unit/test_ckdboot.c tools/ckdboot.c tools/ckdvol.c tools/file.c
CCWSIM_SRCS := boot/host/ccwsim.c boot/host/hostrun.c boot/host/qemu_cli.c boot/host/herc_cfg.c
# ccwboot's loader on the simulator, with ccwsim's front end.
HOST_CCWBOOT_SRCS := boot/host/ccwboot.c boot/host/hostrun.c boot/host/qemu_cli.c \
	boot/host/herc_cfg.c
# Host tools: the card-deck builder (tools/deck.h) and the load-list builder.
TOOLS_SRCS := tools/deck.c tools/file.c
MKDECK_SRCS := tools/mkdeck.c $(TOOLS_SRCS)
MKINS_SRCS := tools/mkins.c tools/file.c
# The bootable-disk writer (tools/bootdisk.h).
MKBOOT_SRCS := tools/mkboot.c tools/bootdisk.c tools/ckdboot.c tools/ckdvol.c tools/file.c
# The test tool that checks a CKD image after a run (standalone).
CKDCHECK_SRCS := tests/tools/ckdcheck.c
BENCH_SRCS := tests/bench/bench_css.c
RING_BENCH_SRCS := tests/bench/bench_ring.c
BLK_BENCH_SRCS := tests/bench/bench_blk.c
SCSI_BENCH_SRCS := tests/bench/bench_scsi.c

# libccwsim (README, "Using libccwsim in your project"): the simulator and
# the ring code it serves queues with, as a static and a shared library;
# only sim_* names are global in either.
LIB_SRCS := $(RING_SRCS) $(SIM_SRCS)
LIB_HEADERS := sim/sim.h sim/testdev.h sim/vdev.h sim/con3215.h sim/unitrec.h sim/dasd.h \
	sim/ccwsim.h

# ---------------------------------------------------------------------------
# Flags.

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wundef -Wformat=2 -Wvla \
	-Wno-format-nonliteral

HOST_CFLAGS := -std=gnu11 -O1 -g -I. $(WARNINGS) \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -MMD -MP
CUNIT_CFLAGS := $(shell pkg-config --cflags cunit 2>/dev/null)
CUNIT_LIBS := $(shell pkg-config --libs cunit 2>/dev/null || echo -lcunit)
HOST_LDFLAGS := -fsanitize=address,undefined
# Benchmarks measure the code as it would ship: optimised, no sanitizers.
BENCH_CFLAGS := -std=gnu11 -O2 -g -I. $(WARNINGS) -pthread -MMD -MP

# reference/platforms.md 3.1: freestanding, no FPRs beyond the basic four
# (soft-float), no vector, absolute (no PIE), lowcore at address 0.
S390X_CFLAGS := -std=gnu11 -O2 -g -I. $(WARNINGS) -m64 -mzarch -march=z900 \
	-ffreestanding -fno-builtin -nostdlib -msoft-float -mno-vx -fno-pie \
	-fno-asynchronous-unwind-tables -fno-stack-protector \
	-fno-delete-null-pointer-checks --param=min-pagesize=0 \
	-fno-tree-loop-distribute-patterns -MMD -MP
S390X_LDFLAGS := -nostdlib -no-pie -static -Wl,--build-id=none \
	-Wl,--no-warn-rwx-segments -T boot/s390x/image.lds

# ---------------------------------------------------------------------------
# Objects.

S390X_SRCS := $(RING_SRCS) $(CCW_SRCS) $(DEVICES_SRCS) $(BOOT_SRCS) $(TOUR_NET_SRCS) $(BOOT_S390X_SRCS)
S390X_OBJS := $(patsubst %,$(S390X)/%.o,$(S390X_SRCS))
HOST_LIB_OBJS := $(patsubst %,$(HOST)/%.o,$(HOST_LIB_SRCS))
UNIT_OBJS := $(patsubst %,$(HOST)/%.o,$(UNIT_SRCS)) $(HOST_LIB_OBJS)
CCWSIM_OBJS := $(patsubst %,$(HOST)/%.o,$(CCWSIM_SRCS)) $(HOST_LIB_OBJS)
HOST_CCWBOOT_OBJS := $(patsubst %,$(HOST)/%.o,$(HOST_CCWBOOT_SRCS)) $(HOST_LIB_OBJS)
MKDECK_OBJS := $(patsubst %,$(HOST)/%.o,$(MKDECK_SRCS))
MKINS_OBJS := $(patsubst %,$(HOST)/%.o,$(MKINS_SRCS))
MKBOOT_OBJS := $(patsubst %,$(HOST)/%.o,$(MKBOOT_SRCS))
CKDCHECK_OBJS := $(patsubst %,$(HOST)/%.o,$(CKDCHECK_SRCS))
BENCH_OBJS := $(patsubst %,$(BENCHDIR)/%.o,$(BENCH_SRCS) $(HOST_LIB_SRCS))
# The ring benchmark is built whole-program, as Linux's ringtest builds its
# rings (tests/bench/bench_ring.c): its objects apart from the others'.
RING_BENCH_OBJS := $(patsubst %,$(BENCHDIR)/lto/%.o,$(RING_BENCH_SRCS) $(RING_SRCS))
BLK_BENCH_OBJS := $(patsubst %,$(BENCHDIR)/%.o,$(BLK_BENCH_SRCS) $(HOST_LIB_SRCS))
SCSI_BENCH_OBJS := $(patsubst %,$(BENCHDIR)/%.o,$(SCSI_BENCH_SRCS) $(HOST_LIB_SRCS))
LIB_BUILD := $(BUILD)/lib
LIB_OBJS := $(patsubst %,$(LIB_BUILD)/obj/%.o,$(LIB_SRCS))

IMAGE_ELF := $(S390X)/tour.elf
IMAGE_BIN := $(S390X)/tour.bin
IMAGE_INS := $(S390X)/tour.ins
IMAGE_PARM := $(S390X)/tour.parm
IMAGE_DECK := $(S390X)/tour.deck
# The test kernel (boot/stub/): a flat image in Linux's format.
STUB_SRCS := boot/stub/start.S boot/stub/stub.c boot/s390x/sclp.c boot/s390x/string.c \
	ring/fmt.c ring/base.c
STUB_OBJS := $(patsubst %,$(S390X)/stub-objs/%.o,$(STUB_SRCS))
STUB_ELF := $(S390X)/stubkernel.elf
STUB_KERNEL := $(S390X)/stubkernel
# ccwboot (boot/s390x/ccwboot_main.c): position-independent, for -bios.
CCWBOOT_SRCS := $(RING_SRCS) $(CCW_SRCS) devices/vblk.c devices/vnet.c devices/inet.c \
	devices/ebcdic.c devices/con3215.c devices/eckd.c devices/eckd_sense.c devices/vscsi.c \
	devices/scsi_sense.c \
	$(BOOTLOADER_SRCS) boot/s390x/ccwboot_start.S boot/s390x/entry.S boot/s390x/ioasm.c \
	boot/s390x/plat.c boot/s390x/sclp.c boot/s390x/string.c boot/s390x/ccwboot_main.c
CCWBOOT_OBJS := $(patsubst %,$(S390X)/pie/%.o,$(CCWBOOT_SRCS))
CCWBOOT_ELF := $(S390X)/ccwboot.elf
UNIT_BIN := $(HOST)/unit-tests
CCWSIM := $(HOST)/ccwsim
HOST_CCWBOOT := $(HOST)/ccwboot
MKDECK := $(HOST)/mkdeck
MKINS := $(HOST)/mkins
MKBOOT := $(HOST)/mkboot
CKDCHECK := $(HOST)/ckdcheck
BENCH_BIN := $(BENCHDIR)/bench-css
RING_BENCH_BIN := $(BENCHDIR)/bench-ring
BLK_BENCH_BIN := $(BENCHDIR)/bench-blk
SCSI_BENCH_BIN := $(BENCHDIR)/bench-scsi

LIB_VERSION := $(shell sed -n 's/^\#define SIM_VERSION "\(.*\)"/\1/p' sim/sim.h)
LIB_MAJOR := $(firstword $(subst ., ,$(LIB_VERSION)))
LIB_A := $(LIB_BUILD)/libccwsim.a
LIB_SO := $(LIB_BUILD)/libccwsim.so
LIB_SO_REAL := $(LIB_SO).$(LIB_VERSION)
LIB_SONAME := libccwsim.so.$(LIB_MAJOR)
LIB_PC := $(LIB_BUILD)/ccwsim.pc

.PHONY: all host image run run-hercules run-linux run-hercules-linux linux-deps test bench deps deps-check clean lib \
	install uninstall deps-packages
.DEFAULT_GOAL := all

all: host image
host: $(UNIT_BIN) $(CCWSIM) $(HOST_CCWBOOT) $(MKDECK) $(MKINS) $(MKBOOT) $(CKDCHECK)
image: $(IMAGE_ELF) $(IMAGE_BIN) $(IMAGE_INS) $(IMAGE_PARM) $(IMAGE_DECK) $(STUB_KERNEL) \
	$(CCWBOOT_ELF)

$(HOST)/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(say) HOSTCC $<
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(CUNIT_CFLAGS) -c $< -o $@

$(UNIT_BIN): $(UNIT_OBJS)
	$(say) LINK $@
	$(Q)$(HOSTCC) $(HOST_LDFLAGS) $^ $(CUNIT_LIBS) -o $@

$(CCWSIM): $(CCWSIM_OBJS)
	$(say) LINK $@
	$(Q)$(HOSTCC) $(HOST_LDFLAGS) $^ -o $@

$(HOST_CCWBOOT): $(HOST_CCWBOOT_OBJS)
	$(say) LINK $@
	$(Q)$(HOSTCC) $(HOST_LDFLAGS) $^ -o $@

$(MKDECK): $(MKDECK_OBJS)
	$(say) LINK $@
	$(Q)$(HOSTCC) $(HOST_LDFLAGS) $^ -o $@

$(MKINS): $(MKINS_OBJS)
	$(say) LINK $@
	$(Q)$(HOSTCC) $(HOST_LDFLAGS) $^ -o $@

$(MKBOOT): $(MKBOOT_OBJS)
	$(say) LINK $@
	$(Q)$(HOSTCC) $(HOST_LDFLAGS) $^ -o $@

$(CKDCHECK): $(CKDCHECK_OBJS)
	$(say) LINK $@
	$(Q)$(HOSTCC) $(HOST_LDFLAGS) $^ -o $@

$(BENCHDIR)/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(say) BENCHCC $<
	$(Q)$(HOSTCC) $(BENCH_CFLAGS) -c $< -o $@

$(BENCH_BIN): $(BENCH_OBJS)
	$(say) LINK $@
	$(Q)$(HOSTCC) $^ -o $@

$(BENCHDIR)/lto/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(say) BENCHCC $<
	$(Q)$(HOSTCC) $(BENCH_CFLAGS) -flto -c $< -o $@

$(RING_BENCH_BIN): $(RING_BENCH_OBJS)
	$(say) LINK $@
	$(Q)$(HOSTCC) -O2 -flto -fwhole-program -pthread $^ -o $@

$(BLK_BENCH_BIN): $(BLK_BENCH_OBJS)
	$(say) LINK $@
	$(Q)$(HOSTCC) $^ -o $@

$(SCSI_BENCH_BIN): $(SCSI_BENCH_OBJS)
	$(say) LINK $@
	$(Q)$(HOSTCC) $^ -o $@

# The library is built as it ships: optimised, position-independent, no
# sanitizers (a program linking it adds its own).
LIB_CFLAGS := -std=gnu11 -O2 -g -fPIC -I. $(WARNINGS) -MMD -MP
OBJCOPY ?= objcopy
AR ?= ar

$(LIB_BUILD)/obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(say) LIBCC $<
	$(Q)$(HOSTCC) $(LIB_CFLAGS) -c $< -o $@

# The exported names: every function and object the public headers declare
# (read after the preprocessor, so comments do not count), nothing else.
LIB_EXPORTS := $(LIB_BUILD)/exports.txt
LIB_MAP := $(LIB_BUILD)/libccwsim.map

$(LIB_EXPORTS): $(LIB_HEADERS)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -E -P -Isim sim/ccwsim.h > $@.i
	$(Q){ grep -oE '\bsim_[a-z0-9_]+ *\(' $@.i | sed 's/ *($$//'; \
	      grep -oE '^extern [^;(]*\bsim_[a-z0-9_]+;' $@.i | sed -E 's/.*(sim_[a-z0-9_]+);$$/\1/'; \
	    } | sort -u > $@
	$(Q)rm -f $@.i

$(LIB_MAP): $(LIB_EXPORTS)
	$(Q){ echo 'CCWSIM_$(LIB_MAJOR) {'; echo 'global:'; sed 's/.*/\t&;/' $<; \
	      echo 'local:'; printf '\t*;\n};\n'; } > $@

# One relocatable object whose other symbols are made local, so the
# archive cannot clash with a user's own names (vq_*, css_*...).
$(LIB_A): $(LIB_OBJS) $(LIB_EXPORTS)
	$(say) AR $@
	$(Q)$(HOSTCC) -r -nostdlib $(LIB_OBJS) -o $(LIB_BUILD)/ccwsim.o
	$(Q)$(OBJCOPY) --keep-global-symbols=$(LIB_EXPORTS) $(LIB_BUILD)/ccwsim.o
	$(Q)rm -f $@ && $(AR) rcs $@ $(LIB_BUILD)/ccwsim.o

$(LIB_SO_REAL): $(LIB_OBJS) $(LIB_MAP)
	$(say) LINK $@
	$(Q)$(HOSTCC) -shared -Wl,-soname,$(LIB_SONAME) -Wl,--version-script=$(LIB_MAP) \
		-Wl,--no-undefined $(LIB_OBJS) -o $@

$(LIB_SO): $(LIB_SO_REAL)
	$(Q)ln -sf $(notdir $(LIB_SO_REAL)) $(LIB_BUILD)/$(LIB_SONAME)
	$(Q)ln -sf $(LIB_SONAME) $@

lib: $(LIB_A) $(LIB_SO)

# Installation: PREFIX (default /usr/local), LIBDIR and INCLUDEDIR under it;
# DESTDIR stages the files elsewhere (ccwsim.pc still names PREFIX).
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
INSTALL ?= install

install: lib
	$(Q)$(INSTALL) -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/ccwsim
	$(Q)$(INSTALL) -m 644 $(LIB_A) $(DESTDIR)$(LIBDIR)/
	$(Q)$(INSTALL) -m 755 $(LIB_SO_REAL) $(DESTDIR)$(LIBDIR)/
	$(Q)ln -sf $(notdir $(LIB_SO_REAL)) $(DESTDIR)$(LIBDIR)/$(LIB_SONAME)
	$(Q)ln -sf $(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libccwsim.so
	$(Q)$(INSTALL) -m 644 $(LIB_HEADERS) $(DESTDIR)$(INCLUDEDIR)/ccwsim/
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(LIB_VERSION)|' \
		sim/ccwsim.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/ccwsim.pc
	@echo "installed libccwsim $(LIB_VERSION) under $(DESTDIR)$(PREFIX)"

uninstall:
	$(Q)rm -f $(DESTDIR)$(LIBDIR)/libccwsim.a $(DESTDIR)$(LIBDIR)/$(notdir $(LIB_SO_REAL)) \
		$(DESTDIR)$(LIBDIR)/$(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libccwsim.so \
		$(DESTDIR)$(LIBDIR)/pkgconfig/ccwsim.pc \
		$(addprefix $(DESTDIR)$(INCLUDEDIR)/ccwsim/,$(notdir $(LIB_HEADERS)))
	$(Q)rmdir $(DESTDIR)$(INCLUDEDIR)/ccwsim 2>/dev/null || true
	@echo "removed libccwsim from $(DESTDIR)$(PREFIX)"

$(S390X)/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC_S390X) $(S390X_CFLAGS) -c $< -o $@

$(S390X)/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(say) AS $<
	$(Q)$(CC_S390X) $(S390X_CFLAGS) -c $< -o $@

$(IMAGE_ELF): $(S390X_OBJS) boot/s390x/image.lds
	$(say) LINK $@
	$(Q)$(CC_S390X) $(S390X_CFLAGS) $(S390X_LDFLAGS) $(S390X_OBJS) -lgcc -o $@

$(S390X)/stub-objs/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC_S390X) $(S390X_CFLAGS) -c $< -o $@

$(S390X)/stub-objs/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(say) AS $<
	$(Q)$(CC_S390X) $(S390X_CFLAGS) -c $< -o $@

$(STUB_ELF): $(STUB_OBJS) boot/stub/stub.lds
	$(say) LINK $@
	$(Q)$(CC_S390X) $(S390X_CFLAGS) -nostdlib -no-pie -static -Wl,--build-id=none \
		-Wl,--no-warn-rwx-segments -T boot/stub/stub.lds $(STUB_OBJS) -lgcc -o $@

# ccwboot's objects: the image's flags, position-independent.
CCWBOOT_CFLAGS := $(filter-out -fno-pie,$(S390X_CFLAGS)) -fPIE -include boot/s390x/pie.h

$(S390X)/pie/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(say) PIECC $<
	$(Q)$(CC_S390X) $(CCWBOOT_CFLAGS) -c $< -o $@

$(S390X)/pie/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(say) PIEAS $<
	$(Q)$(CC_S390X) $(CCWBOOT_CFLAGS) -c $< -o $@

# Linked by the toolchain's own script for a PIE at 0, as QEMU links its
# BIOS; ccwboot_start.S relocates it.
$(CCWBOOT_ELF): $(CCWBOOT_OBJS)
	$(say) LINK $@
	$(Q)$(CC_S390X) $(CCWBOOT_CFLAGS) -nostdlib -static-pie -Wl,--build-id=none \
		-Wl,-z,noexecstack -Wl,-e,_start $(CCWBOOT_OBJS) -lgcc -o $@
	$(Q)test "$$($(CROSS_COMPILE)nm $@ | sed -n 's/^0*\([0-9a-f]*\) [a-zA-Z] __ehdr_start$$/\1/p')" = "" || \
		{ echo "$@: the ELF header must be linked at 0"; rm -f $@; exit 1; }

$(STUB_KERNEL): $(STUB_ELF)
	$(say) OBJCOPY $@
	$(Q)$(OBJCOPY_S390X) -O binary $< $@

# Hercules loads the flat binary at 0 (its IPL PSW is the first 8 bytes).
$(IMAGE_BIN): $(IMAGE_ELF)
	$(say) OBJCOPY $@
	$(Q)$(OBJCOPY_S390X) -O binary $< $@

# The load list for Hercules (ipl tour.ins): the image at 0 and its command
# line, tour.parm, at 0x10480 (as QEMU's -append gives it: ASCII, NUL
# terminated). Made once, empty; build/host/mkins -c "LINE" makes another.
$(IMAGE_INS): | $(S390X)/.dir $(MKINS)
	$(say) MKINS $@
	$(Q)$(MKINS) -c "" $(IMAGE_BIN) $@

$(IMAGE_PARM): $(IMAGE_INS)

# The card deck for a 3505 reader: ipl 000c (reference/platforms.md 9.2),
# with tour.parm as its command line.
$(IMAGE_DECK): $(IMAGE_BIN) $(IMAGE_PARM) $(MKDECK)
	$(say) MKDECK $@
	$(Q)$(MKDECK) -p $(IMAGE_PARM) $(IMAGE_BIN) $@

$(S390X)/.dir:
	@mkdir -p $(S390X) && touch $@

# ---------------------------------------------------------------------------
# Dependencies: Debian packages, installed when a tool is missing.

DEB_PACKAGES := make gcc g++ libc6-dev gcc-s390x-linux-gnu binutils-s390x-linux-gnu \
	qemu-system-misc hercules libcunit1-dev pkg-config python3
DEP_TOOLS := $(HOSTCC) g++ $(CC_S390X) $(OBJCOPY_S390X) qemu-system-s390x hercules \
	dasdinit pkg-config timeout python3

deps: deps-packages
	@$(MAKE) --no-print-directory linux-deps

# Debian's s390x kernel and busybox under build/linux, fetched once with an
# apt configuration of their own (tests/linux/fetch-debian.sh): nothing s390x
# is installed on the machine.
linux-deps:
	@tests/linux/fetch-debian.sh $(BUILD)/linux

deps-packages:
	@if [ "$$(id -u)" = 0 ]; then \
		echo "installing: $(DEB_PACKAGES)"; \
		apt-get update && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends $(DEB_PACKAGES); \
	else \
		echo "Installing packages needs root. Run:"; \
		echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $(DEB_PACKAGES)"; \
		exit 1; \
	fi

deps-check:
	@missing=""; \
	for t in $(DEP_TOOLS); do \
		command -v $$t >/dev/null 2>&1 || missing="$$missing $$t"; \
	done; \
	pkg-config --exists cunit 2>/dev/null || missing="$$missing libcunit"; \
	if [ -n "$$missing" ]; then \
		echo "missing:$$missing"; \
		$(MAKE) --no-print-directory deps; \
	fi

# ---------------------------------------------------------------------------
# Running.

run: deps-check
	@$(MAKE) -s --no-print-directory image
	@IMAGE=$(IMAGE_ELF) tests/qemu/run-tour.sh

run-linux: deps-check
	@$(MAKE) -s --no-print-directory image host
	@tests/qemu/linux.sh --run

run-hercules: deps-check
	@$(MAKE) -s --no-print-directory image
	@S390X_DIR=$(S390X) tests/hercules/run-tour.sh

run-hercules-linux: deps-check
	@$(MAKE) -s --no-print-directory image host
	@tests/hercules/ccwboot.sh --run

test: deps-check
	@$(MAKE) -s --no-print-directory all lib $(BENCH_BIN) $(RING_BENCH_BIN) $(BLK_BENCH_BIN) \
		$(SCSI_BENCH_BIN)
	@UNIT_BIN=$(UNIT_BIN) CCWSIM=$(CCWSIM) IMAGE=$(IMAGE_ELF) S390X_DIR=$(S390X) tests/run-all.sh

bench: deps-check
	@$(MAKE) -s --no-print-directory image host $(BENCH_BIN) $(RING_BENCH_BIN) $(BLK_BENCH_BIN) \
		$(SCSI_BENCH_BIN)
	@BENCH_BIN=$(BENCH_BIN) RING_BENCH_BIN=$(RING_BENCH_BIN) BLK_BENCH_BIN=$(BLK_BENCH_BIN) \
		SCSI_BENCH_BIN=$(SCSI_BENCH_BIN) IMAGE=$(IMAGE_ELF) tests/bench/run-bench.sh

# Fuzzers (tests/fuzz/README.md): libFuzzer from Debian's clang with ASan and
# UBSan, built into $(BUILD)/fuzz/; each runs FUZZ_SECONDS on a copy of its
# corpus and prints BENCH lines. FUZZ_EXTRA adds compiler flags.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 30
FUZZ_EXTRA ?=
FUZZDIR := $(BUILD)/fuzz
FUZZ_NAMES := ccw vccw vq_dev vq_drv drivers bootmap tftp
FUZZ_PACKAGES := clang libclang-rt-dev
FUZZ_CFLAGS := -std=gnu11 -O1 -g -I. $(WARNINGS) -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -MMD -MP $(FUZZ_EXTRA)
FUZZ_LDFLAGS := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $(FUZZ_EXTRA)
FUZZ_vccw_SRCS := tests/fuzz/fuzz_vccw.c $(RING_SRCS) $(SIM_SRCS)
FUZZ_vq_dev_SRCS := tests/fuzz/fuzz_vq_dev.c $(RING_SRCS)
FUZZ_vq_drv_SRCS := tests/fuzz/fuzz_vq_drv.c $(RING_SRCS)
FUZZ_ccw_SRCS := tests/fuzz/fuzz_ccw.c $(RING_SRCS) $(SIM_SRCS)
FUZZ_drivers_SRCS := tests/fuzz/fuzz_drivers.c $(RING_SRCS) $(CCW_SRCS) $(DEVICES_SRCS) \
	$(SIM_SRCS) $(BOOT_HOST_SRCS)
FUZZ_bootmap_SRCS := tests/fuzz/fuzz_bootmap.c boot/bootmap.c boot/eltorito.c $(RING_SRCS)
FUZZ_tftp_SRCS := tests/fuzz/fuzz_tftp.c boot/tftp.c boot/bootfile.c $(RING_SRCS)
FUZZ_BINS := $(patsubst %,$(FUZZDIR)/fuzz_%,$(FUZZ_NAMES))

# The same targets without libFuzzer (tests/fuzz/replay.c), built with the
# host compiler and sanitizers: make test replays every corpus input.
REPLAY_BINS := $(patsubst %,$(HOST)/replay-%,$(FUZZ_NAMES))

$(HOST)/tests/fuzz/replay-%.c.o: tests/fuzz/replay.c
	@mkdir -p $(dir $@)
	$(say) HOSTCC $< [$*]
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -DFUZZ_TARGET='"$*"' -c $< -o $@

define REPLAY_LINK
$(HOST)/replay-$(1): $(HOST)/tests/fuzz/replay-$(1).c.o $(patsubst %,$(HOST)/%.o,$(FUZZ_$(1)_SRCS))
	$$(say) LINK $$@
	$$(Q)$$(HOSTCC) $$(HOST_LDFLAGS) $$^ -o $$@
endef
$(foreach n,$(FUZZ_NAMES),$(eval $(call REPLAY_LINK,$(n))))
host: $(REPLAY_BINS)

.PHONY: fuzz fuzz-build fuzz-deps

fuzz: fuzz-deps
	@$(MAKE) -s --no-print-directory fuzz-build
	@FUZZ_DIR=$(FUZZDIR) FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run-fuzz.sh $(FUZZ_NAMES)

fuzz-build: $(FUZZ_BINS)

$(FUZZDIR)/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(say) FUZZCC $<
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

define FUZZ_LINK
$(FUZZDIR)/fuzz_$(1): $(patsubst %,$(FUZZDIR)/%.o,$(FUZZ_$(1)_SRCS))
	$$(say) LINK $$@
	$$(Q)$$(FUZZ_CC) $$(FUZZ_LDFLAGS) $$^ -o $$@
endef
$(foreach n,$(FUZZ_NAMES),$(eval $(call FUZZ_LINK,$(n))))

# clang and libFuzzer's runtime: a probe links an empty fuzzer.
fuzz-deps:
	@mkdir -p $(FUZZDIR)
	@if ! printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return d && n ? 0 : 0; }\n' | \
		$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -x c - -o $(FUZZDIR)/.probe >/dev/null 2>&1; then \
		echo "missing: $(FUZZ_CC) with libFuzzer"; \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing: $(FUZZ_PACKAGES)"; \
			apt-get update && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y --no-install-recommends $(FUZZ_PACKAGES); \
		else \
			echo "Installing packages needs root. Run:"; \
			echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $(FUZZ_PACKAGES)"; \
			exit 1; \
		fi; \
	fi
	@rm -f $(FUZZDIR)/.probe

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
