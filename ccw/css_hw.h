/*
 * Channel-subsystem architecture layouts: CCW (formats 0 and 1), IDAW, ORB,
 * PMCW, SCSW, SCHIB, IRB (SCSW, ESW, ECW, EMW), SENSE ID with CIWs, the
 * subchannel-id word, CRW and the I/O-interruption code.
 *
 * Source: z/Architecture Principles of Operation (SA22-7832), chapters 13
 * "I/O Overview", 14 "I/O Instructions", 15 "Basic I/O Functions" and
 * 16 "I/O Interruptions"; the names and values of the masks match
 * reference/ccw-virtio-checklist.md section A, QEMU's hw/s390x headers and
 * Linux's drivers/s390/cio so readers can cross-check.
 *
 * Every multi-byte field is big-endian on the wire. Fields are whole words
 * with masks, never bitfields, so the layout is the same on every compiler
 * and byte order.
 */
#ifndef CCW_CSS_HW_H
#define CCW_CSS_HW_H

#include "ring/base.h" /* u8..u64, be16/be32/be64, BUILD_ASSERT */

/* ---------------------------------------------------------------------
 * Subchannel-identification word (GPR 1 of the I/O instructions).
 * PoP 14 "Subchannel-Identification Word".
 */
#define SCHID_CSSID_MASK 0xFF000000u /* only meaningful with M = 1 */
#define SCHID_CSSID_SHIFT 24
#define SCHID_M 0x00080000u          /* multiple-CSS addressing */
#define SCHID_SSID_MASK 0x00060000u  /* subchannel set 0..3 */
#define SCHID_SSID_SHIFT 17
#define SCHID_ONE 0x00010000u        /* must be one */
#define SCHID_SCHNO_MASK 0x0000FFFFu /* subchannel number */
#define SCHID_RESERVED 0x00F00000u   /* must be zero */

/* The subchannel-id word for subchannel schno in set ssid of CSS 0. */
static inline u32 schid_make(unsigned ssid, unsigned schno)
{
	return SCHID_ONE | ((u32)(ssid & 3) << SCHID_SSID_SHIFT) | (schno & SCHID_SCHNO_MASK);
}
static inline unsigned schid_ssid(u32 schid) { return (schid & SCHID_SSID_MASK) >> SCHID_SSID_SHIFT; }
static inline unsigned schid_schno(u32 schid) { return schid & SCHID_SCHNO_MASK; }

/* ---------------------------------------------------------------------
 * Channel-command word. PoP 15 "Channel-Command Word", figure 15-5.
 * Both formats are doubleword aligned.
 */
#define CCW_FLAG_CD 0x80      /* chain data */
#define CCW_FLAG_CC 0x40      /* chain command */
#define CCW_FLAG_SLI 0x20     /* suppress length indication */
#define CCW_FLAG_SKIP 0x10    /* skip data transfer (read, read backward, sense) */
#define CCW_FLAG_PCI 0x08     /* program-controlled interruption */
#define CCW_FLAG_IDA 0x04     /* indirect data addressing */
#define CCW_FLAG_SUSPEND 0x02 /* suspend before this CCW */
#define CCW_FLAG_MIDA 0x01    /* modified indirect data addressing */

/* Basic commands every control unit understands. PoP 15 "Command Code". */
#define CCW_CMD_WRITE_NOOP 0x03    /* control, no operation */
#define CCW_CMD_BASIC_SENSE 0x04
#define CCW_CMD_TIC 0x08           /* transfer in channel */
#define CCW_CMD_SENSE_ID 0xE4

/* Command classes by the low bits of the command code. */
#define CCW_CMD_IS_WRITE(c) (((c) & 0x03) == 0x01)
#define CCW_CMD_IS_READ(c) (((c) & 0x03) == 0x02)
#define CCW_CMD_IS_CONTROL(c) (((c) & 0x03) == 0x03)
#define CCW_CMD_IS_SENSE(c) (((c) & 0x0F) == 0x04)
#define CCW_CMD_IS_TIC(c) (((c) & 0x0F) == 0x08)
#define CCW_CMD_IS_READ_BACK(c) (((c) & 0x0F) == 0x0C)

/* Format-1 CCW: 31-bit data address. */
struct ccw1 {
	u8 cmd;
	u8 flags;
	be16 count;
	be32 cda; /* bit 0 (0x80000000) must be zero */
} __aligned(8);
BUILD_ASSERT(sizeof(struct ccw1) == 8); /* PoP figure 15-5, format 1 */

/* Format-0 CCW: 24-bit data address. */
struct ccw0 {
	be32 cmd_cda; /* command code in bits 0-7, data address in bits 8-31 */
	u8 flags;
	u8 reserved;
	be16 count;
} __aligned(8);
BUILD_ASSERT(sizeof(struct ccw0) == 8); /* PoP figure 15-5, format 0 */

#define CCW0_CMD_SHIFT 24
#define CCW0_CDA_MASK 0x00FFFFFFu

static inline struct ccw1 ccw1_make(u8 cmd, u8 flags, u16 count, u32 cda)
{
	return (struct ccw1){ .cmd = cmd, .flags = flags, .count = cpu_to_be16(count), .cda = cpu_to_be32(cda) };
}
static inline struct ccw0 ccw0_make(u8 cmd, u8 flags, u16 count, u32 cda)
{
	return (struct ccw0){ .cmd_cda = cpu_to_be32(((u32)cmd << CCW0_CMD_SHIFT) | (cda & CCW0_CDA_MASK)),
			      .flags = flags, .count = cpu_to_be16(count) };
}
static inline u8 ccw0_cmd(const struct ccw0 *c) { return (u8)(be32_to_cpu(c->cmd_cda) >> CCW0_CMD_SHIFT); }
static inline u32 ccw0_cda(const struct ccw0 *c) { return be32_to_cpu(c->cmd_cda) & CCW0_CDA_MASK; }

/*
 * Indirect-data-address words. PoP 15 "Indirect Data Addressing".
 * Format 1: 31-bit addresses, 2 KiB blocks, list word aligned.
 * Format 2: 64-bit addresses, 4 KiB blocks (2 KiB with ORB T), list
 * doubleword aligned.
 */
typedef be32 idaw1;
typedef be64 idaw2;
#define IDAW1_ADDR_INVALID 0x80000000u
#define IDAW1_BLOCK 2048u
#define IDAW2_BLOCK_4K 4096u
#define IDAW2_BLOCK_2K 2048u

/* ---------------------------------------------------------------------
 * Operation-request block (SSCH operand), command mode.
 * PoP 15 "Operation-Request Block", figure 15-1. Word aligned; 3 words,
 * or 8 with the ORB-extension bit.
 */
#define ORB_CTRL_KEY_MASK 0xF0000000u
#define ORB_CTRL_KEY_SHIFT 28
#define ORB_CTRL_SPND 0x08000000u  /* S: suspend control */
#define ORB_CTRL_STR 0x04000000u   /* streaming mode */
#define ORB_CTRL_MOD 0x02000000u   /* M: modification control */
#define ORB_CTRL_SYNC 0x01000000u  /* Y: synchronization control */
#define ORB_CTRL_FMT 0x00800000u   /* F: format-1 CCWs */
#define ORB_CTRL_PFCH 0x00400000u  /* P: prefetch */
#define ORB_CTRL_ISIC 0x00200000u  /* I: initial-status interruption */
#define ORB_CTRL_ALCC 0x00100000u  /* A: address-limit checking */
#define ORB_CTRL_SSIC 0x00080000u  /* U: suppress-suspended interruption */
#define ORB_CTRL_CPTC 0x00040000u  /* B: channel-program type (transport mode) */
#define ORB_CTRL_C64 0x00020000u   /* H: format-2 IDAWs */
#define ORB_CTRL_I2K 0x00010000u   /* T: 2 KiB format-2 IDAWs */
#define ORB_CTRL_LPM_MASK 0x0000FF00u
#define ORB_CTRL_LPM_SHIFT 8
#define ORB_CTRL_ILS 0x00000080u   /* L: incorrect-length suppression (format 0) */
#define ORB_CTRL_MIDAW 0x00000040u /* D: MIDAW control */
#define ORB_CTRL_RESERVED 0x0000003Eu
#define ORB_CTRL_ORBX 0x00000001u  /* X: ORB extension */
#define ORB_CPA_INVALID 0x80000000u /* bit 0 of the channel-program address */

struct orb {
	be32 intparm; /* interruption parameter */
	be32 ctrl;    /* ORB_CTRL_* */
	be32 cpa;     /* channel-program address, 31 bits */
	be32 ext[5];  /* extension words, used only with ORB_CTRL_ORBX */
} __aligned(4);
BUILD_ASSERT(sizeof(struct orb) == 32); /* PoP figure 15-1 with extension */

/* ---------------------------------------------------------------------
 * Path-management-control word. PoP 15 "Path-Management-Control Word",
 * figure 15-3.
 */
#define PMCW_FLAGS_RESERVED 0xC300u /* bits 0, 1, 6, 7: operand exception at MSCH */
#define PMCW_FLAGS_ISC_MASK 0x3800u
#define PMCW_FLAGS_ISC_SHIFT 11
#define PMCW_FLAGS_BIT5 0x0400u     /* ignored by MSCH, stored as zero */
#define PMCW_FLAGS_ENA 0x0080u      /* E: enabled */
#define PMCW_FLAGS_LM_MASK 0x0060u  /* limit mode */
#define PMCW_FLAGS_MM_MASK 0x0018u  /* measurement mode */
#define PMCW_FLAGS_MM_MBU 0x0010u   /* measurement-block update */
#define PMCW_FLAGS_MM_DCTM 0x0008u  /* device-connect-time measurement */
#define PMCW_FLAGS_MP 0x0004u       /* multipath mode */
#define PMCW_FLAGS_TF 0x0002u       /* timing facility */
#define PMCW_FLAGS_DNV 0x0001u      /* device number valid */

#define PMCW_CHARS_ST_MASK 0x00E00000u /* subchannel type, 0 = I/O */
#define PMCW_CHARS_ST_SHIFT 21
#define PMCW_CHARS_MBFC 0x00000004u    /* F: format-1 measurement block */
#define PMCW_CHARS_XMWME 0x00000002u   /* X: extended measurement word */
#define PMCW_CHARS_CSENSE 0x00000001u  /* S: concurrent sense */
#define PMCW_CHARS_RESERVED (~0x00E00007u)

struct pmcw {
	be32 intparm;
	be16 flags; /* PMCW_FLAGS_* */
	be16 devno;
	u8 lpm;     /* logical-path mask */
	u8 pnom;    /* path-not-operational mask */
	u8 lpum;    /* last-path-used mask */
	u8 pim;     /* path-installed mask */
	be16 mbi;   /* measurement-block index */
	u8 pom;     /* path-operational mask */
	u8 pam;     /* path-available mask */
	u8 chpid[8];
	be32 chars; /* PMCW_CHARS_* */
} __aligned(4);
BUILD_ASSERT(sizeof(struct pmcw) == 28); /* PoP figure 15-3 */

/* ---------------------------------------------------------------------
 * Subchannel-status word, command mode. PoP 16 "Subchannel-Status Word",
 * figure 16-3.
 */
#define SCSW_FLAGS_KEY_MASK 0xF000u
#define SCSW_FLAGS_SCTL 0x0800u     /* S: suspend control */
#define SCSW_FLAGS_ESWF 0x0400u     /* L: ESW format (extended status stored) */
#define SCSW_FLAGS_CC_MASK 0x0300u  /* deferred condition code */
#define SCSW_FLAGS_CC_SHIFT 8
#define SCSW_FLAGS_FMT 0x0080u      /* F: CCW format */
#define SCSW_FLAGS_PFCH 0x0040u     /* P: prefetch */
#define SCSW_FLAGS_ISIC 0x0020u     /* I: initial-status interruption */
#define SCSW_FLAGS_ALCC 0x0010u     /* A: address-limit checking */
#define SCSW_FLAGS_SSI 0x0008u      /* U: suppress-suspended interruption */
#define SCSW_FLAGS_ZCC 0x0004u      /* Z: zero condition code */
#define SCSW_FLAGS_ECTL 0x0002u     /* E: extended control (ECW valid) */
#define SCSW_FLAGS_PNO 0x0001u      /* N: path not operational */

#define SCSW_FCTL_MASK 0x7000u
#define SCSW_FCTL_START_FUNC 0x4000u
#define SCSW_FCTL_HALT_FUNC 0x2000u
#define SCSW_FCTL_CLEAR_FUNC 0x1000u
#define SCSW_ACTL_MASK 0x0FE0u
#define SCSW_ACTL_RESUME_PEND 0x0800u
#define SCSW_ACTL_START_PEND 0x0400u
#define SCSW_ACTL_HALT_PEND 0x0200u
#define SCSW_ACTL_CLEAR_PEND 0x0100u
#define SCSW_ACTL_SCH_ACTIVE 0x0080u
#define SCSW_ACTL_DEV_ACTIVE 0x0040u
#define SCSW_ACTL_SUSP 0x0020u
#define SCSW_STCTL_MASK 0x001Fu
#define SCSW_STCTL_ALERT 0x0010u
#define SCSW_STCTL_INTERMEDIATE 0x0008u
#define SCSW_STCTL_PRIMARY 0x0004u
#define SCSW_STCTL_SECONDARY 0x0002u
#define SCSW_STCTL_STATUS_PEND 0x0001u

#define SCSW_DSTAT_ATTENTION 0x80u
#define SCSW_DSTAT_STAT_MOD 0x40u
#define SCSW_DSTAT_CU_END 0x20u
#define SCSW_DSTAT_BUSY 0x10u
#define SCSW_DSTAT_CHN_END 0x08u
#define SCSW_DSTAT_DEV_END 0x04u
#define SCSW_DSTAT_UNIT_CHECK 0x02u
#define SCSW_DSTAT_UNIT_EXCEP 0x01u

#define SCSW_CSTAT_PCI 0x80u
#define SCSW_CSTAT_INCORR_LEN 0x40u
#define SCSW_CSTAT_PROG_CHECK 0x20u
#define SCSW_CSTAT_PROT_CHECK 0x10u
#define SCSW_CSTAT_DATA_CHECK 0x08u
#define SCSW_CSTAT_CHN_CTRL_CHK 0x04u
#define SCSW_CSTAT_INTF_CTRL_CHK 0x02u
#define SCSW_CSTAT_CHAIN_CHECK 0x01u

struct scsw {
	be16 flags;  /* SCSW_FLAGS_* */
	be16 ctrl;   /* SCSW_FCTL_*, SCSW_ACTL_*, SCSW_STCTL_* */
	be32 cpa;    /* CCW address: 8 past the last CCW executed */
	u8 dstat;    /* device status, SCSW_DSTAT_* */
	u8 cstat;    /* subchannel status, SCSW_CSTAT_* */
	be16 count;  /* residual count */
} __aligned(4);
BUILD_ASSERT(sizeof(struct scsw) == 12); /* PoP figure 16-3 */

/* ---------------------------------------------------------------------
 * Subchannel-information block (STSCH/MSCH operand).
 * PoP 15 "Subchannel-Information Block", figure 15-2. Word aligned; the
 * doubleword measurement-block address is only word aligned, so it is
 * kept as two words.
 */
struct schib {
	struct pmcw pmcw;
	struct scsw scsw;
	be32 mba_hi; /* measurement-block address, format-1 block */
	be32 mba_lo;
	u8 mda[4];   /* model-dependent area */
} __aligned(4);
BUILD_ASSERT(sizeof(struct schib) == 52); /* PoP figure 15-2 */
BUILD_ASSERT(offsetof(struct schib, scsw) == 0x1C);
BUILD_ASSERT(offsetof(struct schib, mba_hi) == 0x28);

static inline u64 schib_mba(const struct schib *s)
{
	return ((u64)be32_to_cpu(s->mba_hi) << 32) | be32_to_cpu(s->mba_lo);
}
static inline void schib_set_mba(struct schib *s, u64 mba)
{
	s->mba_hi = cpu_to_be32((u32)(mba >> 32));
	s->mba_lo = cpu_to_be32((u32)mba);
}

/* ---------------------------------------------------------------------
 * Interruption-response block (TSCH operand).
 * PoP 16 "Interruption-Response Block", figure 16-2.
 *
 * ESW format 0 (the I/O subchannel's normal format): word 0 is the
 * subchannel logout, word 1 the extended-report word, words 2-3 the
 * failing-storage address, word 4 the secondary-CCW address.
 */
#define ESW0_SUBLOG_ESF_MASK 0x7F000000u  /* extended-status flags */
#define ESW0_SUBLOG_LPUM_MASK 0x00FF0000u /* last-path-used mask */
#define ESW0_SUBLOG_LPUM_SHIFT 16
#define ESW0_SUBLOG_AREP 0x00008000u      /* ancillary report */
#define ESW0_SUBLOG_FVF_MASK 0x00007C00u  /* field-validity flags */
#define ESW0_SUBLOG_SACC_MASK 0x00000300u /* storage-access code */
#define ESW0_SUBLOG_TERMC_MASK 0x000000C0u /* termination code */
#define ESW0_SUBLOG_DEVSC 0x00000020u     /* device-status check */
#define ESW0_SUBLOG_SERR 0x00000010u      /* secondary error */
#define ESW0_SUBLOG_IOERR 0x00000008u     /* I/O-error alert */
#define ESW0_SUBLOG_SEQ_MASK 0x00000007u  /* sequence code */

#define ESW_ERW_AUTH 0x10000000u      /* A: authorization check */
#define ESW_ERW_PVRF 0x08000000u      /* P: path verification required */
#define ESW_ERW_CPT 0x04000000u       /* T: channel-path timeout */
#define ESW_ERW_FSAVF 0x02000000u     /* F: failing-storage address valid */
#define ESW_ERW_CONS 0x01000000u      /* S: concurrent sense (ECW holds sense) */
#define ESW_ERW_SCAVF 0x00800000u     /* C: secondary-CCW address valid */
#define ESW_ERW_FSAF 0x00400000u      /* R: failing-storage address format */
#define ESW_ERW_SCNT_MASK 0x003F0000u /* sense count */
#define ESW_ERW_SCNT_SHIFT 16

struct irb {
	struct scsw scsw;
	be32 esw[5]; /* extended-status word */
	u8 ecw[32];  /* extended-control word: concurrent-sense data */
	be32 emw[8]; /* extended-measurement word */
} __aligned(4);
BUILD_ASSERT(sizeof(struct irb) == 96); /* PoP figure 16-2 */
BUILD_ASSERT(offsetof(struct irb, esw) == 0x0C);
BUILD_ASSERT(offsetof(struct irb, ecw) == 0x20);
BUILD_ASSERT(offsetof(struct irb, emw) == 0x40);

/* Sense byte 0 (PoP 15 "Basic Sense"; device manuals). */
#define SENSE0_CMD_REJECT 0x80u
#define SENSE0_INTERVENTION_REQ 0x40u
#define SENSE0_BUS_OUT_CHECK 0x20u
#define SENSE0_EQUIPMENT_CHECK 0x10u
#define SENSE0_DATA_CHECK 0x08u
#define SENSE0_OVERRUN 0x04u
#define SENSE_DATA_LEN 32u

/* ---------------------------------------------------------------------
 * SENSE ID data with command-information words.
 * Layout from the I/O device manuals and PoP 15 "Sense ID".
 */
#define CIW_ET_MASK 0xC0u   /* entry type */
#define CIW_ET_CIW 0x40u    /* the entry is a CIW */
#define CIW_CT_MASK 0x0Fu   /* command type */
#define CIW_CT_RCD 0x0u     /* read configuration data */
#define CIW_CT_SII 0x1u     /* set interface identifier */
#define CIW_CT_RNI 0x2u     /* read node identifier */

struct ciw {
	u8 type;   /* CIW_ET_* | CIW_CT_* */
	u8 cmd;    /* command code to use */
	be16 count;
} __packed;
BUILD_ASSERT(sizeof(struct ciw) == 4);

#define SENSEID_RESERVED_FF 0xFFu
#define SENSEID_CIW_OFFSET 8u
#define SENSEID_MAX_CIWS 62u

struct senseid {
	u8 reserved;   /* 0xFF */
	be16 cu_type;  /* control-unit type */
	u8 cu_model;
	be16 dev_type; /* device type */
	u8 dev_model;
	u8 unused;
	struct ciw ciw[SENSEID_MAX_CIWS];
} __packed;
BUILD_ASSERT(sizeof(struct senseid) == 256);
BUILD_ASSERT(offsetof(struct senseid, ciw) == SENSEID_CIW_OFFSET);

/* ---------------------------------------------------------------------
 * Channel-report word (STCRW operand). PoP 17 "Channel-Report Word".
 */
#define CRW_S 0x40000000u        /* solicited */
#define CRW_R 0x20000000u        /* overflow */
#define CRW_C 0x10000000u        /* chaining */
#define CRW_RSC_MASK 0x0F000000u /* reporting-source code */
#define CRW_RSC_SHIFT 24
#define CRW_A 0x00800000u        /* ancillary report */
#define CRW_ERC_MASK 0x003F0000u /* error-recovery code */
#define CRW_ERC_SHIFT 16
#define CRW_RSID_MASK 0x0000FFFFu /* reporting-source id */

#define CRW_RSC_SUBCH 0x3u
#define CRW_RSC_CHP 0x4u
#define CRW_RSC_CSS 0xBu

#define CRW_ERC_EVENT 0x00u /* event information pending */
#define CRW_ERC_AVAIL 0x01u /* available */
#define CRW_ERC_INIT 0x02u  /* installed parameters initialized */
#define CRW_ERC_TERROR 0x03u /* terminal */
#define CRW_ERC_IPARM 0x04u /* installed parameters modified */
#define CRW_ERC_TERM 0x05u  /* terminal, malfunction */
#define CRW_ERC_PERRN 0x06u /* permanent error, not initialized */
#define CRW_ERC_PERRI 0x07u /* permanent error, initialized */
#define CRW_ERC_PMOD 0x08u  /* installed parameters modified (path) */

/* ---------------------------------------------------------------------
 * I/O-interruption code, as TPI stores it (PoP 14 "Test Pending
 * Interruption"): with a non-zero operand, two words at the operand; with
 * operand zero, three words in the lowcore at 0xB8.
 */
#define IO_INT_WORD_AI 0x80000000u      /* adapter interruption */
#define IO_INT_WORD_ISC_MASK 0x38000000u
#define IO_INT_WORD_ISC_SHIFT 27

struct tpi_info {
	be32 schid;   /* subchannel-id word */
	be32 intparm; /* interruption parameter */
} __aligned(4);
BUILD_ASSERT(sizeof(struct tpi_info) == 8);

/* The eight interruption subclasses, and their bits in CR6 (bits 32-39). */
#define CSS_ISC_COUNT 8u
#define CR6_ISC_BIT(isc) ((u64)(0x80u >> (isc)) << 24)

#endif /* CCW_CSS_HW_H */
