/*
 * Memory ordering for memory shared with a peer (the device, or the driver,
 * possibly on another CPU): single-copy accesses and the three orderings a
 * virtqueue needs. GCC's __atomic builtins, freestanding on every target:
 * on x86 and s390x acquire and release cost no instruction (both order
 * loads and stores that way already); the full fence is MFENCE or BCR 15,0.
 */
#ifndef RING_BARRIER_H
#define RING_BARRIER_H

/*
 * One load or store of a shared field, never split, merged, repeated or
 * elided by the compiler: what is read from the peer is read exactly once
 * into a local copy (no double fetch).
 */
#define READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

/* A load that later loads cannot pass: read an index, then what it covers. */
#define LOAD_ACQUIRE(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)

/* A store that earlier stores cannot pass: fill entries, then publish. */
#define STORE_RELEASE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

/* Full fence: a store, then a load of what the peer wrote (notification
 * decisions: publish, then read the peer's suppression state). */
#define MB() __atomic_thread_fence(__ATOMIC_SEQ_CST)

#endif /* RING_BARRIER_H */
