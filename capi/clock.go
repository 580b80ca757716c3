package main

import "C"

import "time"

// base is the origin of dtls_ticks(). It is fixed when the library loads
// rather than reset by dtls_clock_init(), so that ticks an application took
// before calling dtls_init() stay comparable with later ones.
var base = time.Now()

func ticksNow() uint64 { return uint64(time.Since(base) / time.Millisecond) }

//export tdtls_go_ticks
func tdtls_go_ticks() (ret C.uint) {
	defer guard("dtls_ticks")
	return C.uint(uint32(ticksNow()))
}
