// SPDX-License-Identifier: BSD-3-Clause

package main

import "C"

import (
	_ "unsafe" // go:linkname

	"github.com/tinydtls-go/tinydtls/capi/stackroom"
)

// nanotime is CLOCK_MONOTONIC in nanoseconds on Linux: the clock the C
// front reads for its dtls_ticks() (runtime.nanotime is one of the runtime
// functions kept linkable on purpose, go.dev/issue/67401).
//
//go:linkname nanotime runtime.nanotime
func nanotime() int64

// baseNano is the origin of dtls_ticks(). It is fixed when the library
// loads rather than reset by dtls_clock_init(), so that ticks an
// application took before calling dtls_init() stay comparable with later
// ones. Loaded by the C front (capi/front), the engine takes the front's
// origin (tdtls_go_set_clock): both read the same clock from the same
// origin, so the front's dtls_ticks() and the deadlines the engine hands
// out agree to the millisecond.
var baseNano = nanotime()

func ticksNow() uint64 { return uint64((nanotime() - baseNano) / 1e6) }

// tdtls_go_set_clock moves the origin to frontBase, a CLOCK_MONOTONIC
// reading in nanoseconds. Called once, by the front's first call into the
// engine, before any context exists.
//
//export tdtls_go_set_clock
func tdtls_go_set_clock(frontBase C.longlong) {
	stackroom.Reserve()
	defer guard("tdtls_go_set_clock")
	baseNano = int64(frontBase)
}

//export tdtls_go_ticks
func tdtls_go_ticks() (ret C.uint) {
	stackroom.Reserve()
	defer guard("dtls_ticks")
	return C.uint(uint32(ticksNow()))
}

// tdtls_go_thread_enter is the C front's first call into the engine from a
// thread, made with the thread's asynchronous signals blocked: the stack of
// the goroutine that runs this thread's calls starts small and is grown
// here (stackroom.Reserve), before an application signal handler can run
// on it.
//
//export tdtls_go_thread_enter
func tdtls_go_thread_enter() {
	stackroom.Reserve()
}
