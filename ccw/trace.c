/*
 * Channel-program decoder. Command codes: PoP 15 (basic commands), virtio
 * 1.3 section 4.3 (virtio-ccw), the 3215 component description, the 3990
 * storage control reference (ECKD), the 2821 manual (3505, 1403).
 */
#include "ccw/trace.h"

#include "ccw/port.h" /* port_dma_ptr */
#include "ring/fmt.h" /* fmt_snprintf */

struct cmd_name {
	u8 cmd;
	const char *name;
};

static const struct cmd_name basic_cmds[] = {
	{ CCW_CMD_WRITE_NOOP, "NOP" },
	{ CCW_CMD_BASIC_SENSE, "BASIC SENSE" },
	{ CCW_CMD_TIC, "TIC" },
	{ CCW_CMD_SENSE_ID, "SENSE ID" },
};

/* virtio 1.3, 4.3.2 "Device Initialization". */
static const struct cmd_name virtio_cmds[] = {
	{ 0x83, "SET_VIRTIO_REV" }, { 0x11, "WRITE_FEAT" },   { 0x12, "READ_FEAT" },
	{ 0x21, "WRITE_CONF" },     { 0x22, "READ_CONF" },    { 0x31, "WRITE_STATUS" },
	{ 0x72, "READ_STATUS" },    { 0x32, "READ_VQ_CONF" }, { 0x13, "SET_VQ" },
	{ 0x33, "VDEV_RESET" },     { 0x43, "SET_IND" },      { 0x53, "SET_CONF_IND" },
	{ 0x73, "SET_IND_ADAPTER" },
};

static const struct cmd_name console_cmds[] = {
	{ 0x01, "WRITE" }, { 0x09, "WRITE CR" }, { 0x0A, "READ INQUIRY" }, { 0x0B, "ALARM" },
};

/* ECKD: the multitrack forms of the reads are the same codes | 0x80. */
static const struct cmd_name eckd_cmds[] = {
	{ 0x02, "READ IPL" },
	{ 0x05, "WRITE DATA" },
	{ 0x06, "READ DATA" },
	{ 0x07, "SEEK" },
	{ 0x0B, "SEEK CYLINDER" },
	{ 0x0D, "WRITE KEY AND DATA" },
	{ 0x0E, "READ KEY AND DATA" },
	{ 0x11, "ERASE" },
	{ 0x12, "READ COUNT" },
	{ 0x13, "RECALIBRATE" },
	{ 0x15, "WRITE R0" },
	{ 0x16, "READ R0" },
	{ 0x19, "WRITE HOME ADDRESS" },
	{ 0x1A, "READ HOME ADDRESS" },
	{ 0x1B, "SEEK HEAD" },
	{ 0x1D, "WRITE COUNT KEY DATA" },
	{ 0x1E, "READ COUNT KEY DATA" },
	{ 0x1F, "SET FILE MASK" },
	{ 0x29, "SEARCH KEY EQUAL" },
	{ 0x31, "SEARCH ID EQUAL" },
	{ 0x39, "SEARCH HOME ADDRESS EQUAL" },
	{ 0x47, "LOCATE RECORD" },
	{ 0x51, "SEARCH ID HIGH" },
	{ 0x63, "DEFINE EXTENT" },
	{ 0x64, "READ DEVICE CHARACTERISTICS" },
	{ 0x71, "SEARCH ID EQUAL OR HIGH" },
	{ 0x86, "READ DATA (MT)" },
	{ 0x8E, "READ KEY AND DATA (MT)" },
	{ 0x92, "READ COUNT (MT)" },
	{ 0x96, "READ R0 (MT)" },
	{ 0x9E, "READ COUNT KEY DATA (MT)" },
	{ 0xFA, "READ CONFIGURATION DATA" },
};

static const struct cmd_name reader_cmds[] = {
	{ 0x02, "READ" },
};

static const struct cmd_name printer_cmds[] = {
	{ 0x01, "WRITE NO SPACE" },    { 0x09, "WRITE SPACE 1" },     { 0x11, "WRITE SPACE 2" },
	{ 0x19, "WRITE SPACE 3" },     { 0x0B, "SPACE 1 IMMEDIATE" }, { 0x13, "SPACE 2 IMMEDIATE" },
	{ 0x1B, "SPACE 3 IMMEDIATE" }, { 0x89, "WRITE SKIP TO 1" },   { 0x8B, "SKIP TO 1 IMMEDIATE" },
};

static const char *lookup(const struct cmd_name *t, size_t n, u8 cmd)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].cmd == cmd)
			return t[i].name;
	return NULL;
}

const char *ccwtrace_cmd_name(u8 cmd, enum ident_kind kind)
{
	const char *name = lookup(basic_cmds, ARRAY_SIZE(basic_cmds), cmd);

	if (name)
		return name;
	switch (kind) {
	case IDENT_VIRTIO:
		return lookup(virtio_cmds, ARRAY_SIZE(virtio_cmds), cmd);
	case IDENT_CONSOLE:
		return lookup(console_cmds, ARRAY_SIZE(console_cmds), cmd);
	case IDENT_DASD_ECKD:
		return lookup(eckd_cmds, ARRAY_SIZE(eckd_cmds), cmd);
	case IDENT_READER:
		return lookup(reader_cmds, ARRAY_SIZE(reader_cmds), cmd);
	case IDENT_PRINTER:
		return lookup(printer_cmds, ARRAY_SIZE(printer_cmds), cmd);
	default:
		return NULL;
	}
}

char *ccwtrace_flags(u8 flags, char *buf, size_t size)
{
	static const struct {
		u8 bit;
		const char *name;
	} names[] = {
		{ CCW_FLAG_CD, "CD" },     { CCW_FLAG_CC, "CC" },   { CCW_FLAG_SLI, "SLI" },
		{ CCW_FLAG_SKIP, "SKIP" }, { CCW_FLAG_PCI, "PCI" }, { CCW_FLAG_IDA, "IDA" },
		{ CCW_FLAG_SUSPEND, "S" }, { CCW_FLAG_MIDA, "MIDA" },
	};
	size_t pos = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (!(flags & names[i].bit))
			continue;
		pos += (size_t)fmt_snprintf(buf + MIN(pos, size - 1), size - MIN(pos, size - 1),
					    "%s%s", pos ? "|" : "", names[i].name);
	}
	if (!pos)
		fmt_snprintf(buf, size, "-");
	return buf;
}

/* Generic names by command class, for codes no table knows. */
static const char *class_name(u8 cmd)
{
	if (CCW_CMD_IS_TIC(cmd))
		return "TIC";
	if (CCW_CMD_IS_SENSE(cmd))
		return "sense";
	if (CCW_CMD_IS_READ_BACK(cmd))
		return "read backward";
	if (CCW_CMD_IS_WRITE(cmd))
		return "write";
	if (CCW_CMD_IS_READ(cmd))
		return "read";
	if (CCW_CMD_IS_CONTROL(cmd))
		return "control";
	return "invalid";
}

#define CCWTRACE_SEEN 64

unsigned ccwtrace_program(u64 addr, bool fmt1, enum ident_kind kind, unsigned max_ccws,
			  ccwtrace_out out, void *ctx)
{
	u64 seen[CCWTRACE_SEEN];
	unsigned nseen = 0, shown = 0;
	bool chained = true;
	char line[128], flags[40];

	while (chained && shown < max_ccws) {
		const u8 *raw = port_dma_ptr(addr, 8);
		const char *name;
		u8 cmd, fl;
		u32 count, cda;
		bool tic;

		if (!raw || (addr & 7)) {
			fmt_snprintf(line, sizeof(line), "  0x%08llx  (not an addressable CCW)",
				     (unsigned long long)addr);
			out(ctx, line);
			break;
		}
		for (unsigned i = 0; i < nseen; i++) {
			if (seen[i] == addr) {
				fmt_snprintf(line, sizeof(line), "  0x%08llx  (loops back)",
					     (unsigned long long)addr);
				out(ctx, line);
				return shown;
			}
		}
		if (nseen < CCWTRACE_SEEN)
			seen[nseen++] = addr;
		if (fmt1) {
			const struct ccw1 *c = (const struct ccw1 *)raw;

			cmd = c->cmd;
			fl = c->flags;
			count = be16_to_cpu(c->count);
			cda = be32_to_cpu(c->cda);
		} else {
			const struct ccw0 *c = (const struct ccw0 *)raw;

			cmd = ccw0_cmd(c);
			fl = c->flags;
			count = be16_to_cpu(c->count);
			cda = ccw0_cda(c);
		}
		tic = (cmd & 0x0F) == CCW_CMD_TIC;
		name = tic ? "TIC" : ccwtrace_cmd_name(cmd, kind);
		if (tic)
			fmt_snprintf(line, sizeof(line), "  0x%08llx  %02x %-28s -> 0x%08x",
				     (unsigned long long)addr, cmd, name, cda);
		else
			fmt_snprintf(line, sizeof(line), "  0x%08llx  %02x %-28s %-12s count %5u  %s 0x%08x",
				     (unsigned long long)addr, cmd, name ? name : class_name(cmd),
				     ccwtrace_flags(fl, flags, sizeof(flags)), count,
				     (fl & CCW_FLAG_IDA) ? "idaws" : "data", cda);
		out(ctx, line);
		shown++;
		if (tic) {
			addr = cda;
			continue;
		}
		chained = (fl & (CCW_FLAG_CC | CCW_FLAG_CD)) != 0;
		addr += 8;
	}
	return shown;
}
