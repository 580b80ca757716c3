// SPDX-License-Identifier: BSD-3-Clause

package main

import (
	"sync"
	"sync/atomic"
)

// The handles of contexts. A dtls_context_t made by dtls_new_context() is
// followed in C memory by a handle (tdtls_context_impl.handle), which C may
// hold but which cannot be a Go pointer (C memory may not keep one). The
// handle is an index into this table, plus one (0: none), whose slots are
// atomic pointers in chunks that are never moved or freed, so that finding
// a context's state (stateOf, on every call) is two atomic loads and no
// lock; making and freeing a context take a mutex for a moment. Slots are
// reused, most recently freed first.
const (
	handleChunk  = 1024
	handleChunks = 1024 // at most 1,048,576 contexts at once
)

var handles struct {
	chunks [handleChunks]atomic.Pointer[[handleChunk]atomic.Pointer[ctxState]]
	mu     sync.Mutex
	free   []uintptr // slots freed, for reuse
	next   uintptr   // the first slot never used
}

// newHandle gives st a slot and returns its handle; 0 if the table is full.
func newHandle(st *ctxState) uintptr {
	handles.mu.Lock()
	defer handles.mu.Unlock()
	var i uintptr
	if n := len(handles.free); n > 0 {
		i = handles.free[n-1]
		handles.free = handles.free[:n-1]
	} else {
		if handles.next == handleChunk*handleChunks {
			return 0
		}
		i = handles.next
		handles.next++
	}
	c := handles.chunks[i/handleChunk].Load()
	if c == nil {
		c = new([handleChunk]atomic.Pointer[ctxState])
		handles.chunks[i/handleChunk].Store(c)
	}
	c[i%handleChunk].Store(st)
	return i + 1
}

// lookupHandle returns the state of handle h, or nil.
func lookupHandle(h uintptr) *ctxState {
	if h == 0 || h > handleChunk*handleChunks {
		return nil
	}
	h--
	c := handles.chunks[h/handleChunk].Load()
	if c == nil {
		return nil
	}
	return c[h%handleChunk].Load()
}

// freeHandle empties the slot of handle h.
func freeHandle(h uintptr) {
	if lookupHandle(h) == nil {
		return
	}
	h--
	handles.mu.Lock()
	handles.chunks[h/handleChunk].Load()[h%handleChunk].Store(nil)
	handles.free = append(handles.free, h)
	handles.mu.Unlock()
}
