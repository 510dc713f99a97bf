/*
 * Device-recognition table keyed by SENSE ID. Virtio device ids from
 * virtio 1.3 section 5 "Device Types"; classic types from the device
 * manuals and what Hercules reports (reference/platforms.md 11.5).
 */
#include "ccw/ident.h"

static const struct {
	unsigned id;
	const char *name;
} virtio_names[] = {
	{ 1, "virtio-net" },     { 2, "virtio-blk" },      { 3, "virtio-console" },
	{ 4, "virtio-rng" },     { 5, "virtio-balloon" },  { 8, "virtio-scsi" },
	{ 9, "virtio-9p" },      { 16, "virtio-gpu" },     { 18, "virtio-input" },
	{ 19, "virtio-vsock" },  { 20, "virtio-crypto" },  { 26, "virtio-fs" },
};

static const struct {
	u16 cu_type;
	u16 dev_type; /* 0: any */
	enum ident_kind kind;
	const char *name;
} classic[] = {
	{ 0x3215, 0, IDENT_CONSOLE, "3215 console" },
	{ 0x1052, 0, IDENT_CONSOLE, "1052 console" },
	{ 0x3990, 0x3390, IDENT_DASD_ECKD, "3390 DASD" },
	{ 0x3990, 0x3380, IDENT_DASD_ECKD, "3380 DASD" },
	{ 0x2821, 0x3505, IDENT_READER, "3505 card reader" },
	{ 0x2821, 0x3525, IDENT_PUNCH, "3525 card punch" },
	{ 0x2821, 0x1403, IDENT_PRINTER, "1403 printer" },
	{ 0x3811, 0x3211, IDENT_PRINTER, "3211 printer" },
	{ 0x3505, 0, IDENT_READER, "3505 card reader" },
	{ 0x3525, 0, IDENT_PUNCH, "3525 card punch" },
};

const char *ident_virtio_name(unsigned virtio_id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(virtio_names); i++)
		if (virtio_names[i].id == virtio_id)
			return virtio_names[i].name;
	return "virtio (unknown type)";
}

struct ident ident_recognise(const struct senseid *id, unsigned len)
{
	struct ident r = { IDENT_UNKNOWN, 0, "unknown" };
	u16 cu, dev;
	size_t i;

	if (len < 4 || id->reserved != SENSEID_RESERVED_FF)
		return r;
	cu = be16_to_cpu(id->cu_type);
	/* Device type and model are meaningful only when stored (bytes 4-6). */
	dev = len >= 6 ? be16_to_cpu(id->dev_type) : 0;
	if (cu == IDENT_CU_VIRTIO) {
		/* The driver must ignore device type and model (virtio 1.3, 4.3.1). */
		r.kind = IDENT_VIRTIO;
		r.virtio_id = id->cu_model;
		r.name = ident_virtio_name(id->cu_model);
		return r;
	}
	for (i = 0; i < ARRAY_SIZE(classic); i++) {
		if (classic[i].cu_type == cu && (!classic[i].dev_type || classic[i].dev_type == dev)) {
			r.kind = classic[i].kind;
			r.name = classic[i].name;
			return r;
		}
	}
	return r;
}
