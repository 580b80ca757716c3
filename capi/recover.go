// SPDX-License-Identifier: BSD-3-Clause

package main

/*
#include "capi.h"
*/
import "C"

import (
	"github.com/tinydtls-go/tinydtls/core/textf"
	"runtime"
	"runtime/debug"
	"unsafe"

	"github.com/tinydtls-go/tinydtls/capi/stackroom"
)

// guard turns a Go panic into a critical log line instead of letting it
// cross into C, where it would abort the application. Every export defers
// it; the export's result stays at the error value it was set to before the
// work started.
func guard(name string) {
	if r := recover(); r != nil {
		logLine(int(C.DTLS_LOG_CRIT), textf.Sprintf("internal error in %s: %v\n%s", name, r, debug.Stack()))
	}
}

// logLine hands one message to the C logging code, which formats it like
// upstream or passes it to the application's log handler.
func logLine(level int, msg string) {
	if level > int(C.tdtls_log_level) {
		return
	}
	cs := C.CString(msg + "\n")
	C.tdtls_log_line(C.int(level), cs)
	C.free(unsafe.Pointer(cs))
}

// tdtls_selftest_panic panics inside the same guard every export uses and
// returns -1 afterwards. It exists so that the test suite can prove that a
// Go panic never reaches C; it is not declared in any public header.
//
//export tdtls_selftest_panic
func tdtls_selftest_panic() (ret C.int) {
	stackroom.Reserve()
	ret = -1
	defer guard("tdtls_selftest_panic")
	var m map[string]int
	m["boom"]++ // a nil map write: a runtime panic, as a bug would cause
	return 0
}

// tdtls_selftest_goroutines reports how many goroutines the library's Go
// runtime has, so that tests can check that nothing is left running after
// every context is freed. Not declared in any public header.
//
//export tdtls_selftest_goroutines
func tdtls_selftest_goroutines() (ret C.int) {
	stackroom.Reserve()
	defer guard("tdtls_selftest_goroutines")
	return C.int(runtime.NumGoroutine())
}
