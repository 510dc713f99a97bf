/* SCSI sense data: see scsi_sense.h. Codes from SPC-4, annex D. */
#include "devices/scsi_sense.h"

#include "ring/fmt.h"

static const char *const keys[16] = {
	"no sense", "recovered error", "not ready", "medium error", "hardware error",
	"illegal request", "unit attention", "data protect", "blank check", "vendor specific",
	"copy aborted", "aborted command", "key 0xc", "volume overflow", "miscompare",
	"key 0xf",
};

static const struct {
	u8 asc, ascq;
	const char *words;
} codes[] = {
	{ 0x00, 0x00, "no additional sense information" },
	{ 0x04, 0x00, "logical unit not ready, cause not reportable" },
	{ 0x04, 0x01, "logical unit is becoming ready" },
	{ 0x04, 0x02, "logical unit not ready, initializing command required" },
	{ 0x0C, 0x00, "write error" },
	{ 0x11, 0x00, "unrecovered read error" },
	{ 0x20, 0x00, "invalid command operation code" },
	{ 0x21, 0x00, "logical block address out of range" },
	{ 0x24, 0x00, "invalid field in CDB" },
	{ 0x25, 0x00, "logical unit not supported" },
	{ 0x27, 0x00, "write protected" },
	{ 0x28, 0x00, "not ready to ready change, medium may have changed" },
	{ 0x29, 0x00, "power on, reset, or bus device reset occurred" },
	{ 0x2A, 0x09, "capacity data has changed" },
	{ 0x3A, 0x00, "medium not present" },
	{ 0x3F, 0x0E, "reported LUNs data has changed" },
};

struct scsi_sense scsi_sense_decode(const u8 *p, u32 len)
{
	struct scsi_sense s = { false, 0, 0, 0 };
	u8 code = len ? p[0] & 0x7F : 0;

	if ((code == 0x70 || code == 0x71) && len >= 14) {
		s.key = p[2] & 0xF;
		s.asc = p[12];
		s.ascq = p[13];
		s.valid = true;
	} else if ((code == 0x72 || code == 0x73) && len >= 4) {
		s.key = p[1] & 0xF;
		s.asc = p[2];
		s.ascq = p[3];
		s.valid = true;
	}
	return s;
}

void scsi_sense_str(const struct scsi_sense *s, char *buf, size_t len)
{
	if (!s->valid) {
		fmt_snprintf(buf, len, "no sense data");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(codes); i++)
		if (codes[i].asc == s->asc && codes[i].ascq == s->ascq) {
			fmt_snprintf(buf, len, "%s, %s", keys[s->key], codes[i].words);
			return;
		}
	fmt_snprintf(buf, len, "%s, ASC 0x%02x ASCQ 0x%02x", keys[s->key], s->asc, s->ascq);
}
