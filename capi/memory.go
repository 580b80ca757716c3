package main

/*
#ifdef __GLIBC__
#include <malloc.h>
#endif

// Returns the free pages at the top and inside glibc's malloc arenas to the
// system. Without it, the peer mirrors and other C blocks the library frees
// stay in glibc's arenas (they are interleaved with live blocks, so the heap
// top rarely shrinks on its own).
static inline void tdtls_trim_c_heap(void) {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}
*/
import "C"

import "runtime/debug"

// releaseMemory gives memory the library no longer uses back to the
// operating system, from both heaps of the process it lives in:
//
//   - the Go heap: debug.FreeOSMemory runs a full collection and returns
//     every free page at once (MADV_DONTNEED, so RSS drops immediately);
//   - the C heap: malloc_trim(0), for the dtls_peer_t mirrors and other C
//     blocks the library allocated and freed.
//
// It runs on the calling thread and starts no goroutine. It costs a full
// GC (about 20 ms with 10,000 and 60 ms with 50,000 live associations on
// the test VM) plus the trim (5-15 ms), so it is meant for after a large
// drop in live data: freeing a big context, or the engine noticing that
// most associations went away (the event loop's dtls_check_retransmit is
// the place to call it from: it is the only call an idle application
// keeps making).
func releaseMemory() {
	debug.FreeOSMemory()
	C.tdtls_trim_c_heap()
}
