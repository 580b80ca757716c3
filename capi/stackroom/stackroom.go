// SPDX-License-Identifier: BSD-3-Clause

// Package stackroom keeps room for C signal handlers on the goroutine
// stack that runs the library's Go code.
//
// A C thread that calls into the library runs Go code on a goroutine stack
// (its extra M's curg), which starts small and lives in the Go heap. An
// application signal handler installed without SA_ONSTACK runs below the
// current stack pointer, on whatever stack the thread is using when the
// signal arrives: inside the library, that goroutine stack. A handler that
// needs more room than is left there would write over neighbouring heap
// memory.
//
// Reserve, called first in every export, has a frame of Frame bytes and
// does nothing else: its prologue makes the runtime grow the stack (once:
// the library is built with gcshrinkstackoff=1, so the stack is never
// shrunk again) until Frame bytes are free below the export's frame. Every
// frame the library's Go code pushes below that comes out of this room;
// the rest is left for a signal handler (the deepest Go call path, an ECDSA
// handshake, uses well under 32 KiB, so more than 128 KiB stay free).
//
// Cost: one call and one compare per export; nothing is zeroed (the frame
// has no locals) and pages below the stack pointer are touched only when a
// handler uses them. Memory: up to 256 KiB of address space per C thread
// that ever called into the library.
package stackroom

// Frame is the size of Reserve's frame (see stackroom_*.s).
const Frame = 160 << 10
