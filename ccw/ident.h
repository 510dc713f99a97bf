/* Device recognition: what a SENSE ID answer names. */
#ifndef CCW_IDENT_H
#define CCW_IDENT_H

#include "ccw/css_hw.h" /* struct senseid */

/* virtio-ccw: control-unit type 0x3832, model = virtio device id (virtio 1.3, 4.3.1). */
#define IDENT_CU_VIRTIO 0x3832u

enum ident_kind {
	IDENT_UNKNOWN = 0,
	IDENT_VIRTIO,    /* any virtio-ccw device; see ident.virtio_id */
	IDENT_CONSOLE,   /* 3215 / 1052 console */
	IDENT_DASD_ECKD, /* 3390 / 3380 behind a 3990 */
	IDENT_READER,    /* 3505 card reader */
	IDENT_PUNCH,     /* 3525 card punch */
	IDENT_PRINTER,   /* 1403 / 3211 printer */
};

struct ident {
	enum ident_kind kind;
	unsigned virtio_id; /* for IDENT_VIRTIO: the virtio device id */
	const char *name;   /* "virtio-blk", "3215 console", ... never NULL */
};

/*
 * Recognise a device from len bytes of SENSE ID data. Unknown devices get
 * IDENT_UNKNOWN and the name "unknown".
 */
struct ident ident_recognise(const struct senseid *id, unsigned len);

/* The name of a virtio device id ("virtio-net", ...); "virtio (unknown type)" otherwise. */
const char *ident_virtio_name(unsigned virtio_id);

#endif /* CCW_IDENT_H */
