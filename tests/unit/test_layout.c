/*
 * ccw/css_hw.h against byte images written out by hand from the figures of
 * the Principles of Operation (chapters 14-17) and from the SENSE ID data
 * Hercules returns (reference/platforms.md 11.5). Each struct is filled
 * through its fields and accessors and compared byte for byte; the images
 * are never derived from the structs.
 */
#include <string.h>

#include "ccw/css_hw.h"
#include "tests/unit/unit.h"

#define ASSERT_IMAGE(obj, image)                                         \
	do {                                                             \
		CU_ASSERT_EQUAL_FATAL(sizeof(obj), sizeof(image));       \
		CU_ASSERT_EQUAL(memcmp(&(obj), (image), sizeof(image)), 0); \
	} while (0)

/* Format-1 CCW: command, flags, count, 31-bit address. */
static void test_ccw1(void)
{
	static const u8 image[8] = { 0xE4, 0x20, 0x01, 0x00, 0x12, 0x34, 0x56, 0x78 };
	struct ccw1 c = ccw1_make(CCW_CMD_SENSE_ID, CCW_FLAG_SLI, 256, 0x12345678);

	ASSERT_IMAGE(c, image);
	CU_ASSERT_EQUAL(be16_to_cpu(c.count), 256);
	CU_ASSERT_EQUAL(be32_to_cpu(c.cda), 0x12345678u);
}

/* Format-0 CCW: command, 24-bit address, flags, reserved byte, count. */
static void test_ccw0(void)
{
	static const u8 image[8] = { 0x02, 0xAB, 0xCD, 0xEF, 0x60, 0x00, 0x00, 0x50 };
	struct ccw0 c = ccw0_make(0x02, CCW_FLAG_CC | CCW_FLAG_SLI, 80, 0x00ABCDEF);

	ASSERT_IMAGE(c, image);
	CU_ASSERT_EQUAL(ccw0_cmd(&c), 0x02);
	CU_ASSERT_EQUAL(ccw0_cda(&c), 0x00ABCDEFu);
	/* The address is cut to 24 bits, never spilling into the command. */
	c = ccw0_make(0x09, 0, 1, 0xFF123456);
	CU_ASSERT_EQUAL(ccw0_cmd(&c), 0x09);
	CU_ASSERT_EQUAL(ccw0_cda(&c), 0x00123456u);
}

/* CCW flag byte: CD CC SLI SKIP PCI IDA S MIDA from bit 8 (PoP 15). */
static void test_ccw_flags(void)
{
	static const u8 image[8] = { 0x03, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
	struct ccw1 c = ccw1_make(CCW_CMD_WRITE_NOOP,
				  CCW_FLAG_CD | CCW_FLAG_CC | CCW_FLAG_SLI | CCW_FLAG_SKIP |
					  CCW_FLAG_PCI | CCW_FLAG_IDA | CCW_FLAG_SUSPEND |
					  CCW_FLAG_MIDA,
				  0, 0);

	ASSERT_IMAGE(c, image);
	CU_ASSERT(CCW_CMD_IS_TIC(CCW_CMD_TIC));
	CU_ASSERT(CCW_CMD_IS_SENSE(CCW_CMD_BASIC_SENSE));
	CU_ASSERT(CCW_CMD_IS_READ(0x02) && CCW_CMD_IS_WRITE(0x01) && CCW_CMD_IS_CONTROL(0x03));
	CU_ASSERT(CCW_CMD_IS_READ_BACK(0x0C));
}

/*
 * ORB word 1: key 3, S, F, P, I, H, LPM 0x80 ->
 * byte 4 = key|S|C|M|Y = 0x38, byte 5 = F|P|I|A|U|B|H|T = 0xE2,
 * byte 6 = LPM = 0x80, byte 7 = L|D|0|X = 0x00.
 */
static void test_orb(void)
{
	static const u8 image[32] = {
		0xDE, 0xAD, 0xBE, 0xEF, 0x38, 0xE2, 0x80, 0x00, 0x00, 0x01, 0x23, 0x40,
	};
	struct orb o;

	memset(&o, 0, sizeof(o));
	o.intparm = cpu_to_be32(0xDEADBEEF);
	o.ctrl = cpu_to_be32((3u << ORB_CTRL_KEY_SHIFT) | ORB_CTRL_SPND | ORB_CTRL_FMT |
			     ORB_CTRL_PFCH | ORB_CTRL_ISIC | ORB_CTRL_C64 |
			     (0x80u << ORB_CTRL_LPM_SHIFT));
	o.cpa = cpu_to_be32(0x00012340);
	ASSERT_IMAGE(o, image);
}

/* The remaining ORB word-1 bits, each in its own byte position. */
static void test_orb_bits(void)
{
	static const u8 image[12] = {
		0x00, 0x00, 0x00, 0x00, 0x07, 0x1D, 0x00, 0xFF, 0x00, 0x00, 0x00, 0x00,
	};
	struct orb o;

	memset(&o, 0, sizeof(o));
	o.ctrl = cpu_to_be32(ORB_CTRL_STR | ORB_CTRL_MOD | ORB_CTRL_SYNC | ORB_CTRL_ALCC |
			     ORB_CTRL_SSIC | ORB_CTRL_CPTC | ORB_CTRL_I2K | ORB_CTRL_ILS |
			     ORB_CTRL_MIDAW | ORB_CTRL_RESERVED | ORB_CTRL_ORBX);
	CU_ASSERT_EQUAL(memcmp(&o, image, sizeof(image)), 0);
}

/*
 * PMCW: intparm, flags (ISC 3, E, V = 0x1881), devno 0x0120, LPM 0x80,
 * PNOM 0, LPUM 0x80, PIM 0x80, MBI 5, POM 0xFF, PAM 0x80, CHPIDs, chars
 * with concurrent sense.
 */
static const u8 pmcw_image[28] = {
	0x00, 0x01, 0x00, 0x02, 0x18, 0x81, 0x01, 0x20, 0x80, 0x00, 0x80, 0x80, 0x00, 0x05,
	0xFF, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x01,
};

static void fill_pmcw(struct pmcw *p)
{
	memset(p, 0, sizeof(*p));
	p->intparm = cpu_to_be32(0x00010002);
	p->flags = cpu_to_be16((3u << PMCW_FLAGS_ISC_SHIFT) | PMCW_FLAGS_ENA | PMCW_FLAGS_DNV);
	p->devno = cpu_to_be16(0x0120);
	p->lpm = 0x80;
	p->lpum = 0x80;
	p->pim = 0x80;
	p->mbi = cpu_to_be16(5);
	p->pom = 0xFF;
	p->pam = 0x80;
	p->chpid[0] = 0x01;
	p->chpid[7] = 0x07;
	p->chars = cpu_to_be32(PMCW_CHARS_CSENSE);
}

static void test_pmcw(void)
{
	struct pmcw p;

	fill_pmcw(&p);
	ASSERT_IMAGE(p, pmcw_image);
	CU_ASSERT_EQUAL((be16_to_cpu(p.flags) & PMCW_FLAGS_ISC_MASK) >> PMCW_FLAGS_ISC_SHIFT, 3u);
}

/* PMCW flag and chars masks against their bit numbers in PoP figure 15-3. */
static void test_pmcw_masks(void)
{
	static const u8 flags_image[2] = { 0xC3, 0x00 };  /* bits 0, 1, 6, 7 */
	static const u8 bit5_image[2] = { 0x04, 0x00 };   /* bit 5 */
	static const u8 low_image[2] = { 0x00, 0x7F };    /* LM, MM, D, T, V */
	static const u8 chars_image[4] = { 0x00, 0xE0, 0x00, 0x07 };
	be16 w = cpu_to_be16(PMCW_FLAGS_RESERVED);
	be32 c = cpu_to_be32(PMCW_CHARS_ST_MASK | PMCW_CHARS_MBFC | PMCW_CHARS_XMWME |
			     PMCW_CHARS_CSENSE);

	CU_ASSERT_EQUAL(memcmp(&w, flags_image, 2), 0);
	w = cpu_to_be16(PMCW_FLAGS_BIT5);
	CU_ASSERT_EQUAL(memcmp(&w, bit5_image, 2), 0);
	w = cpu_to_be16(PMCW_FLAGS_LM_MASK | PMCW_FLAGS_MM_MASK | PMCW_FLAGS_MP | PMCW_FLAGS_TF |
			PMCW_FLAGS_DNV);
	CU_ASSERT_EQUAL(memcmp(&w, low_image, 2), 0);
	CU_ASSERT_EQUAL(memcmp(&c, chars_image, 4), 0);
}

/*
 * SCSW: flags CC 1 | F | L | E = 0x0582; control start | alert | primary |
 * secondary | pending = 0x4017; CCW address; device status CE|DE|UC;
 * subchannel status IL; residual 1.
 */
static const u8 scsw_image[12] = {
	0x05, 0x82, 0x40, 0x17, 0x00, 0x01, 0x23, 0x48, 0x0E, 0x40, 0x00, 0x01,
};

static void fill_scsw(struct scsw *s)
{
	memset(s, 0, sizeof(*s));
	s->flags = cpu_to_be16((1u << SCSW_FLAGS_CC_SHIFT) | SCSW_FLAGS_FMT | SCSW_FLAGS_ESWF |
			       SCSW_FLAGS_ECTL);
	s->ctrl = cpu_to_be16(SCSW_FCTL_START_FUNC | SCSW_STCTL_ALERT | SCSW_STCTL_PRIMARY |
			      SCSW_STCTL_SECONDARY | SCSW_STCTL_STATUS_PEND);
	s->cpa = cpu_to_be32(0x00012348);
	s->dstat = SCSW_DSTAT_CHN_END | SCSW_DSTAT_DEV_END | SCSW_DSTAT_UNIT_CHECK;
	s->cstat = SCSW_CSTAT_INCORR_LEN;
	s->count = cpu_to_be16(1);
}

static void test_scsw(void)
{
	struct scsw s;

	fill_scsw(&s);
	ASSERT_IMAGE(s, scsw_image);
}

/* SCSW control halfword: FC bits 17-19, AC bits 20-26, SC bits 27-31. */
static void test_scsw_ctrl_masks(void)
{
	static const u8 fc_image[2] = { 0x70, 0x00 };
	static const u8 ac_image[2] = { 0x0F, 0xE0 };
	static const u8 sc_image[2] = { 0x00, 0x1F };
	be16 w = cpu_to_be16(SCSW_FCTL_START_FUNC | SCSW_FCTL_HALT_FUNC | SCSW_FCTL_CLEAR_FUNC);

	CU_ASSERT_EQUAL(memcmp(&w, fc_image, 2), 0);
	w = cpu_to_be16(SCSW_ACTL_RESUME_PEND | SCSW_ACTL_START_PEND | SCSW_ACTL_HALT_PEND |
			SCSW_ACTL_CLEAR_PEND | SCSW_ACTL_SCH_ACTIVE | SCSW_ACTL_DEV_ACTIVE |
			SCSW_ACTL_SUSP);
	CU_ASSERT_EQUAL(memcmp(&w, ac_image, 2), 0);
	w = cpu_to_be16(SCSW_STCTL_ALERT | SCSW_STCTL_INTERMEDIATE | SCSW_STCTL_PRIMARY |
			SCSW_STCTL_SECONDARY | SCSW_STCTL_STATUS_PEND);
	CU_ASSERT_EQUAL(memcmp(&w, sc_image, 2), 0);
	CU_ASSERT_EQUAL(SCSW_FCTL_MASK, 0x7000);
	CU_ASSERT_EQUAL(SCSW_ACTL_MASK, 0x0FE0);
	CU_ASSERT_EQUAL(SCSW_STCTL_MASK, 0x001F);
}

/* SCHIB: PMCW at 0, SCSW at 0x1C, MBA at 0x28 (only word aligned), MDA. */
static void test_schib(void)
{
	u8 image[52];
	static const u8 tail[12] = {
		0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x40, 0xA1, 0xA2, 0xA3, 0xA4,
	};
	struct schib s;

	memcpy(image, pmcw_image, 28);
	memcpy(image + 28, scsw_image, 12);
	memcpy(image + 40, tail, 12);
	memset(&s, 0, sizeof(s));
	fill_pmcw(&s.pmcw);
	fill_scsw(&s.scsw);
	schib_set_mba(&s, 0x0000000100000040ull);
	s.mda[0] = 0xA1;
	s.mda[1] = 0xA2;
	s.mda[2] = 0xA3;
	s.mda[3] = 0xA4;
	ASSERT_IMAGE(s, image);
	CU_ASSERT_EQUAL(schib_mba(&s), 0x0000000100000040ull);
}

/*
 * IRB: SCSW; ESW word 0 with LPUM 0x80 (byte 1); ESW word 1 (ERW) with
 * concurrent sense (bit 7) and sense count 32 (bits 10-15); ECW sense with
 * command reject; EMW empty.
 */
static void test_irb(void)
{
	u8 image[96];
	static const u8 esw_image[20] = {
		0x00, 0x80, 0x00, 0x00, 0x01, 0x20, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	struct irb irb;

	memset(image, 0, sizeof(image));
	memcpy(image, scsw_image, 12);
	memcpy(image + 12, esw_image, 20);
	image[32] = 0x80;
	memset(&irb, 0, sizeof(irb));
	fill_scsw(&irb.scsw);
	irb.esw[0] = cpu_to_be32(0x80u << ESW0_SUBLOG_LPUM_SHIFT);
	irb.esw[1] = cpu_to_be32(ESW_ERW_CONS | (32u << ESW_ERW_SCNT_SHIFT));
	irb.ecw[0] = SENSE0_CMD_REJECT;
	ASSERT_IMAGE(irb, image);
}

/* SENSE ID of a Hercules 3390: FF 3990 C2 3390 02 00, CIW 40 FA 0100. */
static void test_senseid(void)
{
	u8 image[256];
	static const u8 head[12] = {
		0xFF, 0x39, 0x90, 0xC2, 0x33, 0x90, 0x02, 0x00, 0x40, 0xFA, 0x01, 0x00,
	};
	struct senseid id;

	memset(image, 0, sizeof(image));
	memcpy(image, head, sizeof(head));
	memset(&id, 0, sizeof(id));
	id.reserved = SENSEID_RESERVED_FF;
	id.cu_type = cpu_to_be16(0x3990);
	id.cu_model = 0xC2;
	id.dev_type = cpu_to_be16(0x3390);
	id.dev_model = 0x02;
	id.ciw[0].type = CIW_ET_CIW | CIW_CT_RCD;
	id.ciw[0].cmd = 0xFA;
	id.ciw[0].count = cpu_to_be16(256);
	ASSERT_IMAGE(id, image);
}

/* Subchannel-id word: 0x0001nnnn for set 0, set 1 in bits 13-14. */
static void test_schid(void)
{
	static const u8 set0[4] = { 0x00, 0x01, 0xFF, 0xFF };
	static const u8 set1[4] = { 0x00, 0x03, 0x12, 0x34 };
	static const u8 set3[4] = { 0x00, 0x07, 0x00, 0x05 };
	be32 w = cpu_to_be32(schid_make(0, 0xFFFF));

	CU_ASSERT_EQUAL(memcmp(&w, set0, 4), 0);
	w = cpu_to_be32(schid_make(1, 0x1234));
	CU_ASSERT_EQUAL(memcmp(&w, set1, 4), 0);
	w = cpu_to_be32(schid_make(3, 5));
	CU_ASSERT_EQUAL(memcmp(&w, set3, 4), 0);
	CU_ASSERT_EQUAL(schid_ssid(0x00031234), 1u);
	CU_ASSERT_EQUAL(schid_schno(0x00031234), 0x1234u);
	CU_ASSERT_EQUAL(SCHID_M, 0x00080000u);
}

/* CRW: S R C RSC(4 bits) in byte 0, A 0 ERC(6 bits) in byte 1, RSID. */
static void test_crw(void)
{
	static const u8 image[4] = { 0x53, 0x84, 0x00, 0x02 };
	be32 w = cpu_to_be32(CRW_S | CRW_C | (CRW_RSC_SUBCH << CRW_RSC_SHIFT) | CRW_A |
			     (CRW_ERC_IPARM << CRW_ERC_SHIFT) | 0x0002);

	CU_ASSERT_EQUAL(memcmp(&w, image, 4), 0);
}

/* TPI two-word interruption code; the identification word's ISC field. */
static void test_tpi_info(void)
{
	static const u8 image[8] = { 0x00, 0x01, 0x00, 0x03, 0x12, 0x34, 0x00, 0xE4 };
	static const u8 iid[4] = { 0x98, 0x00, 0x00, 0x00 }; /* adapter, ISC 3 */
	struct tpi_info t = { cpu_to_be32(0x00010003), cpu_to_be32(0x123400E4) };
	be32 w = cpu_to_be32(IO_INT_WORD_AI | (3u << IO_INT_WORD_ISC_SHIFT));

	ASSERT_IMAGE(t, image);
	CU_ASSERT_EQUAL(memcmp(&w, iid, 4), 0);
	CU_ASSERT_EQUAL(CR6_ISC_BIT(3), 0x10000000u);
	CU_ASSERT_EQUAL(CR6_ISC_BIT(0), 0x80000000u);
}

static CU_TestInfo layout_tests[] = {
	{ "format-1 CCW matches PoP figure 15-5", test_ccw1 },
	{ "format-0 CCW matches PoP figure 15-5", test_ccw0 },
	{ "CCW flags sit in byte 1, CD first", test_ccw_flags },
	{ "ORB matches PoP figure 15-1", test_orb },
	{ "every ORB control bit sits in its own position", test_orb_bits },
	{ "PMCW matches PoP figure 15-3", test_pmcw },
	{ "PMCW flag and chars masks sit at their bit numbers", test_pmcw_masks },
	{ "SCSW matches PoP figure 16-3", test_scsw },
	{ "SCSW function, activity and status control masks", test_scsw_ctrl_masks },
	{ "SCHIB matches PoP figure 15-2, MBA at 0x28", test_schib },
	{ "IRB matches PoP figure 16-2 with ESW and ECW", test_irb },
	{ "SENSE ID with a CIW matches a Hercules 3390", test_senseid },
	{ "subchannel-id word carries the set and the one bit", test_schid },
	{ "CRW fields sit in PoP order", test_crw },
	{ "TPI interruption code and identification word", test_tpi_info },
	CU_TEST_INFO_NULL,
};

CU_SuiteInfo layout_suite = { "layout", NULL, NULL, NULL, NULL, layout_tests };
