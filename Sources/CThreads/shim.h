#pragma once
/* What the kernels need beyond Swift's standard library: threads and hints to the processor. */
#include <pthread.h>

/* A hint for a thread that spins on a shared flag: on x86 PAUSE, which waits a few cycles
   and frees resources the core shares with its sibling; nothing elsewhere. */
static inline void smash_spin_hint(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* A hint that the cache line at `p` will be read soon: its load starts now. */
static inline void smash_prefetch(const void *p) {
    __builtin_prefetch(p, 0, 3);
}
