/* The sense data of a 3390 on a 3990, in conditions and in words. */
#include "devices/eckd_sense.h"

#include "ccw/css_hw.h" /* SENSE0_* */
#include "ring/fmt.h"   /* fmt_vsnprintf */

/* Bytes a 32-byte sense needs for its byte 27 and its program action code. */
#define SENSE_FMT_BYTE	      7u
#define SENSE_ACTION_BYTE     25u
#define SENSE_FLAGS_BYTE      27u
#define SENSE27_24BYTE_COMPAT 0x80u /* 24-byte compatible sense (Linux: byte 27 bit 0) */
#define SENSE25_COMPOUND      0x80u

const char *eckd_cond_name(enum eckd_cond c)
{
	switch (c) {
	case ECKD_COND_NONE:
		return "no error";
	case ECKD_COND_WRITE_INHIBITED:
		return "write inhibited";
	case ECKD_COND_MASK_INHIBITS:
		return "write inhibited by the extent's file mask";
	case ECKD_COND_FILE_PROTECTED:
		return "file protected";
	case ECKD_COND_NO_RECORD:
		return "no record found";
	case ECKD_COND_END_OF_CYLINDER:
		return "end of cylinder";
	case ECKD_COND_INVALID_TRACK:
		return "invalid track format";
	case ECKD_COND_COMMAND_REJECT:
		return "command reject";
	case ECKD_COND_INTERVENTION:
		return "intervention required";
	case ECKD_COND_EQUIPMENT_CHECK:
		return "equipment check";
	case ECKD_COND_DATA_CHECK:
		return "data check";
	case ECKD_COND_OVERRUN:
		return "overrun";
	case ECKD_COND_BUS_OUT:
		return "bus-out check";
	case ECKD_COND_CHANNEL:
		return "channel status";
	case ECKD_COND_GONE:
		return "device gone";
	case ECKD_COND_TIMEOUT:
		return "timeout";
	case ECKD_COND_MISMATCH:
		return "unexpected data";
	case ECKD_COND_OUTSIDE:
		return "outside the volume or extent";
	}
	return "unknown condition";
}

enum eckd_cond eckd_sense_cond(const u8 *s, unsigned len)
{
	if (!s || len == 0)
		return ECKD_COND_NONE;
	if (len > 1) {
		if (s[1] & ECKD_SENSE1_WRITE_INHIBITED)
			return ECKD_COND_WRITE_INHIBITED;
		if (s[1] & ECKD_SENSE1_FILE_PROTECTED)
			return ECKD_COND_FILE_PROTECTED;
		if (s[1] & ECKD_SENSE1_NO_RECORD)
			return ECKD_COND_NO_RECORD;
		if (s[1] & ECKD_SENSE1_END_OF_CYL)
			return ECKD_COND_END_OF_CYLINDER;
		if (s[1] & ECKD_SENSE1_INVALID_TRACK_FMT)
			return ECKD_COND_INVALID_TRACK;
	}
	if (s[0] & SENSE0_CMD_REJECT)
		return ECKD_COND_COMMAND_REJECT;
	if (s[0] & SENSE0_INTERVENTION_REQ)
		return ECKD_COND_INTERVENTION;
	if (s[0] & SENSE0_EQUIPMENT_CHECK)
		return ECKD_COND_EQUIPMENT_CHECK;
	if (s[0] & SENSE0_DATA_CHECK)
		return ECKD_COND_DATA_CHECK;
	if (s[0] & SENSE0_OVERRUN)
		return ECKD_COND_OVERRUN;
	if (s[0] & SENSE0_BUS_OUT_CHECK)
		return ECKD_COND_BUS_OUT;
	/* 32-byte sense, program action code 0x15: the next track is outside
	 * the defined extent (Linux dasd_3990_erp.c, inspect_32). */
	if (len > SENSE_FLAGS_BYTE && !(s[SENSE_FLAGS_BYTE] & SENSE27_24BYTE_COMPAT) &&
	    s[SENSE_ACTION_BYTE] == 0x15)
		return ECKD_COND_FILE_PROTECTED;
	return ECKD_COND_NONE;
}

/* Append to a bounded string; p is the current end. */
static char *append(char *p, char *end, const char *fmt, ...) __printf(3, 4);
static char *append(char *p, char *end, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p >= end - 1)
		return p;
	va_start(ap, fmt);
	n = fmt_vsnprintf(p, (size_t)(end - p), fmt, ap);
	va_end(ap);
	return n < 0 ? p : (p + n < end ? p + n : end - 1);
}

/* Format names of sense byte 7 bits 0-3 (Linux dasd_3990_erp.c,
 * handle_env_data, after the 3990 Storage Control Reference). */
static const char *format_name(unsigned f)
{
	static const char *const names[] = {
		"program or system check",
		"device equipment check",
		"storage-control equipment check",
		"storage-control control check",
		"data check",
		"data check with displacement",
		"usage statistics or overrun",
		"device-connection control check",
	};

	return f < ARRAY_SIZE(names) ? names[f] : NULL;
}

/* Format 0 messages of a command reject (the same sources). */
static const char *reject_message(unsigned m)
{
	switch (m) {
	case 0x1:
		return "invalid command";
	case 0x2:
		return "invalid command sequence";
	case 0x3:
		return "CCW count less than required";
	case 0x4:
		return "invalid parameter";
	case 0x5:
		return "diagnostic or special command violates the file mask";
	case 0x7:
		return "channel returned with incorrect retry CCW";
	case 0x8:
		return "reset notification";
	case 0x9:
		return "storage path restart";
	case 0xB:
		return "invalid defective/alternate track pointer";
	case 0xC:
		return "DPS installation check";
	case 0xE:
		return "command invalid on secondary address";
	case 0xF:
		return "status not as required";
	}
	return NULL;
}

/* Format 4 (data check) messages: which area (the same sources). */
static const char *data_check_area(unsigned m)
{
	static const char *const areas[] = { "home address", "count", "key", "data" };

	return areas[m & 3];
}

/* Program action codes of 32-byte sense, byte 25 (Linux dasd_3990_erp.c,
 * inspect_32). */
static const char *action_name(u8 a)
{
	switch (a) {
	case 0x00:
		return "no action";
	case 0x01:
		return "fatal error";
	case 0x02:
		return "intervention required";
	case 0x03:
		return "intervention required during dual copy";
	case 0x0F:
		return "length mismatch during update write";
	case 0x10:
		return "logging required";
	case 0x15:
		return "next track outside the defined extent";
	case 0x1B:
		return "unexpected condition during write";
	case 0x1C:
		return "invalid data";
	case 0x1D:
		return "state-change pending";
	case 0x1E:
		return "busy";
	}
	return NULL;
}

char *eckd_sense_explain(const u8 *s, unsigned len, char *buf, size_t size)
{
	static const struct {
		u8 byte, bit;
		const char *name;
	} bits[] = {
		{ 0, SENSE0_CMD_REJECT, "command reject" },
		{ 0, SENSE0_INTERVENTION_REQ, "intervention required" },
		{ 0, SENSE0_BUS_OUT_CHECK, "bus-out check" },
		{ 0, SENSE0_EQUIPMENT_CHECK, "equipment check" },
		{ 0, SENSE0_DATA_CHECK, "data check" },
		{ 0, SENSE0_OVERRUN, "overrun" },
		{ 0, ECKD_SENSE0_INCOMPLETE_DOMAIN, "incomplete domain" },
		{ 1, ECKD_SENSE1_PERM_ERROR, "permanent error" },
		{ 1, ECKD_SENSE1_INVALID_TRACK_FMT, "invalid track format" },
		{ 1, ECKD_SENSE1_END_OF_CYL, "end of cylinder" },
		{ 1, ECKD_SENSE1_MSG_TO_OPERATOR, "message to operator" },
		{ 1, ECKD_SENSE1_NO_RECORD, "no record found" },
		{ 1, ECKD_SENSE1_FILE_PROTECTED, "file protected" },
		{ 1, ECKD_SENSE1_WRITE_INHIBITED, "write inhibited" },
		{ 1, ECKD_SENSE1_IMPRECISE_END, "imprecise ending" },
	};
	char *p = buf, *end = buf + size;
	const char *sep = "";
	size_t i;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (!s || len == 0) {
		append(p, end, "no sense data");
		return buf;
	}
	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		if (bits[i].byte < len && (s[bits[i].byte] & bits[i].bit)) {
			p = append(p, end, "%s%s", sep, bits[i].name);
			sep = ", ";
		}
	}
	if (p == buf)
		p = append(p, end, "no condition in bytes 0-1");

	if (len > SENSE_FLAGS_BYTE && !(s[SENSE_FLAGS_BYTE] & SENSE27_24BYTE_COMPAT)) {
		/* 32-byte format: the program action code says what to do. */
		u8 a = s[SENSE_ACTION_BYTE];
		const char *an = action_name(a & (u8)~SENSE25_COMPOUND);

		p = append(p, end, "; 32-byte sense, %s action code %02x",
			   (a & SENSE25_COMPOUND) ? "compound" : "program", a);
		if (an && !(a & SENSE25_COMPOUND))
			p = append(p, end, " (%s)", an);
	} else if (len > SENSE_FMT_BYTE) {
		unsigned f = s[SENSE_FMT_BYTE] >> 4, m = s[SENSE_FMT_BYTE] & 0xF;
		const char *fn = format_name(f);
		const char *mn = NULL;

		if (f == 0 && (s[0] & SENSE0_CMD_REJECT))
			mn = reject_message(m);
		else if (f == 4 || f == 5)
			mn = data_check_area(m);
		if (f || m || (s[0] & SENSE0_CMD_REJECT)) {
			p = append(p, end, "; format %X", f);
			if (fn)
				p = append(p, end, " (%s)", fn);
			p = append(p, end, " message %X", m);
			if (mn)
				p = append(p, end, " (%s%s)", mn,
					   (f == 4 || f == 5) ? " area" : "");
		}
		/* Formats 4 and 5 carry the CCHHR of the record in error in
		 * bytes 8-12 (3990 Storage Control Reference; Hercules
		 * ckd_build_sense). */
		if ((f == 4 || f == 5) && len > 12)
			p = append(p, end, ", CCHHR %u/%u/%u", (s[8] << 8) | s[9],
				   (s[10] << 8) | s[11], s[12]);
	}
	/* Parentheses, not brackets: code page 037 consoles lack them. */
	p = append(p, end, " (");
	for (i = 0; i < len && i < 8; i++)
		p = append(p, end, "%s%02x", i ? " " : "", s[i]);
	append(p, end, "%s)", len > 8 ? " ..." : "");
	return buf;
}

