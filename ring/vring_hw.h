/*
 * Virtqueue layouts: the split ring (virtio 1.3, 2.7) and the packed ring
 * (virtio 1.3, 2.8), with the byte order a ring uses at run time:
 * little-endian for VERSION_1, guest-native for legacy devices, which on
 * s390x (the only guest this project has) is big-endian. Ring fields have
 * their own one-member types, read and written only through helpers that
 * take the byte order, so a missed conversion does not compile.
 */
#ifndef RING_VRING_HW_H
#define RING_VRING_HW_H

#include "ring/base.h" /* u16, u32, u64, BUILD_ASSERT */

typedef struct { u16 raw; } vr16;
typedef struct { u32 raw; } vr32;
typedef struct { u64 raw; } vr64;

/* Convert between CPU order and ring order; be: the ring is big-endian. */
static inline u16 vr16_swap(bool be, u16 v) { return be != BASE_CPU_BIG_ENDIAN ? __builtin_bswap16(v) : v; }
static inline u32 vr32_swap(bool be, u32 v) { return be != BASE_CPU_BIG_ENDIAN ? __builtin_bswap32(v) : v; }
static inline u64 vr64_swap(bool be, u64 v) { return be != BASE_CPU_BIG_ENDIAN ? __builtin_bswap64(v) : v; }
static inline vr16 vr16_of(bool be, u16 v) { return (vr16){ vr16_swap(be, v) }; }
static inline vr32 vr32_of(bool be, u32 v) { return (vr32){ vr32_swap(be, v) }; }
static inline vr64 vr64_of(bool be, u64 v) { return (vr64){ vr64_swap(be, v) }; }
static inline u16 vr16_get(bool be, vr16 v) { return vr16_swap(be, v.raw); }
static inline u32 vr32_get(bool be, vr32 v) { return vr32_swap(be, v.raw); }
static inline u64 vr64_get(bool be, vr64 v) { return vr64_swap(be, v.raw); }

/* Largest ring either layout allows (virtio 1.3, 2.7 and 2.8). */
#define VRING_MAX_SIZE 32768u

/* --- Split ring (virtio 1.3, 2.7) ------------------------------------------ */

#define VRING_DESC_F_NEXT 1u     /* the chain continues at next */
#define VRING_DESC_F_WRITE 2u    /* device-writable */
#define VRING_DESC_F_INDIRECT 4u /* the buffer is a table of descriptors */

#define VRING_AVAIL_F_NO_INTERRUPT 1u /* driver: no used-buffer notification wanted */
#define VRING_USED_F_NO_NOTIFY 1u     /* device: no available-buffer notification wanted */

struct vring_desc {
	vr64 addr;
	vr32 len;
	vr16 flags;
	vr16 next;
};
BUILD_ASSERT(sizeof(struct vring_desc) == 16); /* virtio 1.3, 2.7.5 */

/* Driver area: flags, idx, ring[num], then used_event (with EVENT_IDX). */
struct vring_avail {
	vr16 flags;
	vr16 idx;
	vr16 ring[];
};

struct vring_used_elem {
	vr32 id;
	vr32 len;
};
BUILD_ASSERT(sizeof(struct vring_used_elem) == 8); /* virtio 1.3, 2.7.8 */

/* Device area: flags, idx, ring[num], then avail_event (with EVENT_IDX). */
struct vring_used {
	vr16 flags;
	vr16 idx;
	struct vring_used_elem ring[];
};

/* Sizes of the three parts for a ring of num entries (virtio 1.3, 2.7). */
static inline size_t vring_desc_size(unsigned num) { return 16u * num; }
static inline size_t vring_avail_size(unsigned num) { return 6u + 2u * num; }
static inline size_t vring_used_size(unsigned num) { return 6u + 8u * num; }

/* The event-index test (virtio 1.3, 2.7.10): notify when the other side's
 * event index lies in [old, new). */
static inline bool vring_need_event(u16 event, u16 new_idx, u16 old_idx)
{
	return (u16)(new_idx - event - 1) < (u16)(new_idx - old_idx);
}

/* --- Packed ring (virtio 1.3, 2.8) ---------------------------------------- */

#define VRING_PACKED_DESC_F_AVAIL 0x0080u /* bit 7 */
#define VRING_PACKED_DESC_F_USED 0x8000u  /* bit 15 */

#define VRING_PACKED_EVENT_FLAG_ENABLE 0x0u
#define VRING_PACKED_EVENT_FLAG_DISABLE 0x1u
#define VRING_PACKED_EVENT_FLAG_DESC 0x2u
#define VRING_PACKED_EVENT_F_WRAP_CTR 15 /* bit of off_wrap holding the wrap counter */

struct vring_packed_desc {
	vr64 addr;
	vr32 len;
	vr16 id;
	vr16 flags;
};
BUILD_ASSERT(sizeof(struct vring_packed_desc) == 16); /* virtio 1.3, 2.8.13 */

/* Driver and device event-suppression areas (virtio 1.3, 2.8.10). */
struct vring_packed_event {
	vr16 off_wrap;
	vr16 flags;
};
BUILD_ASSERT(sizeof(struct vring_packed_event) == 4);

#endif /* RING_VRING_HW_H */
