// SPDX-License-Identifier: BSD-3-Clause

// Package main is the C ABI of the library: built with -buildmode=c-shared
// into libtinydtls.so and with -buildmode=c-archive into libtinydtls.a.
//
// It only translates: C structs to Go values and back, context handles to
// Go objects (handles.go), and C callbacks through the trampolines in
// capi.h. Every protocol decision is made in core/engine.
//
// Functions whose C signatures cgo cannot express (const parameters,
// variadic arguments, data symbols) are thin C functions in the *.c files of
// this directory that call the Go exports named tdtls_go_*.
package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include/tinydtls -Wall -Wextra -Werror -Wno-unused-parameter
#cgo LDFLAGS: -lpthread
#include "capi.h"
*/
import "C"

func main() {}
