#pragma once
// Process-wide allocator settings, applied once at the start of main() by Stripeline's programs
// (and by the benchmarks that measure what they do).

#include <malloc.h>

namespace stripeline {

// glibc gives memory freed at the top of the heap back to the kernel as soon as more than
// 128 KB of it is free (a threshold it raises only after freeing a block it had mmap'd), and
// the next allocations fault it back in page by page. A metric's query materialises ~35,000
// rows (~8 MB) and frees them: with the defaults a 12-month gross_volume series paid ~15 ms of
// CPU in page faults every time (docs/PERFORMANCE.md, "Metrics"). Keeping up to 16 MB free at
// the top of the heap, and serving blocks of up to 4 MB from the heap, bounds what this adds to
// the resident memory.
inline void KeepFreedMemoryForReuse() {
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  mallopt(M_TRIM_THRESHOLD, 16 << 20);
}

}  // namespace stripeline
