/* Freestanding base: fixed-width types, typed wire byte order, BUILD_ASSERT,
 * and the project's error codes. Shared by every layer on every platform. */
#ifndef RING_BASE_H
#define RING_BASE_H

#include <stdbool.h> /* bool */
#include <stddef.h>  /* size_t, NULL, offsetof */
#include <stdint.h>  /* uint8_t ... uint64_t, uintptr_t */

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/*
 * The C library's mem* and str* functions: the host's <string.h>, or, in the
 * freestanding image, boot/s390x/string.c (GCC may emit calls to the mem*
 * functions on its own), declared here because a freestanding compiler has
 * no <string.h>.
 */
#if defined(__STDC_HOSTED__) && __STDC_HOSTED__
#include <string.h>
#else
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
#endif

/* Compile-time assertion, usable at file scope and inside functions. */
#define BUILD_ASSERT(cond) _Static_assert(cond, #cond)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
/* <sys/param.h> defines the same two; either definition serves. */
#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif
#ifndef MAX
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#endif

#define __aligned(n) __attribute__((aligned(n)))
#define __packed __attribute__((packed))
#define __noreturn __attribute__((noreturn))
#define __printf(f, a) __attribute__((format(printf, f, a)))
#define __unused __attribute__((unused))

/*
 * Wire byte order. A field that lives in guest memory in a fixed byte order
 * has one of these types; the only way to read or write it is through the
 * helpers below, so a missing conversion is a compile error, not a bug on
 * one of the two byte orders.
 *
 * The member keeps the natural size and alignment of the integer, so the
 * architecture structs keep their natural layout.
 */
typedef struct { u16 raw; } be16;
typedef struct { u32 raw; } be32;
typedef struct { u64 raw; } be64;
typedef struct { u16 raw; } le16;
typedef struct { u32 raw; } le32;
typedef struct { u64 raw; } le64;

BUILD_ASSERT(sizeof(be16) == 2 && _Alignof(be16) == 2);
BUILD_ASSERT(sizeof(be32) == 4 && _Alignof(be32) == 4);
BUILD_ASSERT(sizeof(be64) == 8 && _Alignof(be64) == 8);
BUILD_ASSERT(sizeof(le16) == 2 && sizeof(le32) == 4 && sizeof(le64) == 8);

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define BASE_CPU_BIG_ENDIAN 1
#elif __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define BASE_CPU_BIG_ENDIAN 0
#else
#error "unknown byte order"
#endif

#if BASE_CPU_BIG_ENDIAN
#define BASE_BE16(x) (x)
#define BASE_BE32(x) (x)
#define BASE_BE64(x) (x)
#define BASE_LE16(x) __builtin_bswap16(x)
#define BASE_LE32(x) __builtin_bswap32(x)
#define BASE_LE64(x) __builtin_bswap64(x)
#else
#define BASE_BE16(x) __builtin_bswap16(x)
#define BASE_BE32(x) __builtin_bswap32(x)
#define BASE_BE64(x) __builtin_bswap64(x)
#define BASE_LE16(x) (x)
#define BASE_LE32(x) (x)
#define BASE_LE64(x) (x)
#endif

static inline be16 cpu_to_be16(u16 v) { return (be16){ BASE_BE16(v) }; }
static inline be32 cpu_to_be32(u32 v) { return (be32){ BASE_BE32(v) }; }
static inline be64 cpu_to_be64(u64 v) { return (be64){ BASE_BE64(v) }; }
static inline le16 cpu_to_le16(u16 v) { return (le16){ BASE_LE16(v) }; }
static inline le32 cpu_to_le32(u32 v) { return (le32){ BASE_LE32(v) }; }
static inline le64 cpu_to_le64(u64 v) { return (le64){ BASE_LE64(v) }; }
static inline u16 be16_to_cpu(be16 v) { return BASE_BE16(v.raw); }
static inline u32 be32_to_cpu(be32 v) { return BASE_BE32(v.raw); }
static inline u64 be64_to_cpu(be64 v) { return BASE_BE64(v.raw); }
static inline u16 le16_to_cpu(le16 v) { return BASE_LE16(v.raw); }
static inline u32 le32_to_cpu(le32 v) { return BASE_LE32(v.raw); }
static inline u64 le64_to_cpu(le64 v) { return BASE_LE64(v.raw); }

/*
 * Values at any byte address, in a given byte order whatever the CPU's:
 * packets, on-disk records, sense bytes. No alignment is needed.
 */
static inline u16 get_be16(const void *p)
{
	const u8 *b = p;

	return (u16)(b[0] << 8 | b[1]);
}

static inline u32 get_be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static inline u32 get_le32(const void *p)
{
	const u8 *b = p;

	return (u32)b[3] << 24 | (u32)b[2] << 16 | (u32)b[1] << 8 | b[0];
}

static inline void put_be16(void *p, u16 v)
{
	u8 *b = p;

	b[0] = (u8)(v >> 8);
	b[1] = (u8)v;
}

static inline void put_be32(void *p, u32 v)
{
	u8 *b = p;

	b[0] = (u8)(v >> 24);
	b[1] = (u8)(v >> 16);
	b[2] = (u8)(v >> 8);
	b[3] = (u8)v;
}

static inline void put_le32(void *p, u32 v)
{
	u8 *b = p;

	b[0] = (u8)v;
	b[1] = (u8)(v >> 8);
	b[2] = (u8)(v >> 16);
	b[3] = (u8)(v >> 24);
}

/* Read-modify-write helpers for flag words: set or clear the bits of mask. */
static inline void be16_set(be16 *w, u16 mask) { *w = cpu_to_be16(be16_to_cpu(*w) | mask); }
static inline void be16_clr(be16 *w, u16 mask) { *w = cpu_to_be16(be16_to_cpu(*w) & (u16)~mask); }
static inline void be32_set(be32 *w, u32 mask) { *w = cpu_to_be32(be32_to_cpu(*w) | mask); }
static inline void be32_clr(be32 *w, u32 mask) { *w = cpu_to_be32(be32_to_cpu(*w) & ~mask); }

/*
 * Error codes. Functions return 0 (or a non-negative count) on success and a
 * negative VERR_* on failure. Condition codes of I/O instructions are not
 * errors and have their own enum (ccw/ioasm.h).
 */
enum verr {
	VERR_OK = 0,
	VERR_IO = 1,       /* the device or channel reported an error */
	VERR_NOTSUP = 2,   /* command reject, feature or revision not offered */
	VERR_TIMEOUT = 3,  /* a bounded wait expired */
	VERR_NODEV = 4,    /* not operational, gone, or nothing there */
	VERR_BUSY = 5,     /* busy after the allowed retries */
	VERR_INVAL = 6,    /* bad argument from the caller */
	VERR_NOMEM = 7,    /* out of memory or ring slots */
	VERR_BROKEN = 8,   /* the peer misbehaved; the object is unusable */
	VERR_RANGE = 9,    /* out of range: sector, address, index */
	VERR_PROTO = 10,   /* protocol violation in data the peer wrote */
	VERR_AGAIN = 11,   /* nothing yet; try again later */
	VERR_ROFS = 12,    /* write to a read-only device */
	VERR__COUNT
};

/* A short English name for an error code (positive or negative). */
const char *verr_str(int err);

#endif /* RING_BASE_H */
