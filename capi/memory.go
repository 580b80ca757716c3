// SPDX-License-Identifier: BSD-3-Clause

package main

/*
#include <stdlib.h> // defines __GLIBC__ (through features.h) where it applies
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

// Whether GOGC is in the environment (read here rather than with Go's
// syscall.Getenv, which would add its copy of the environment to the
// library).
static inline int tdtls_gogc_set(void) { return getenv("GOGC") != NULL; }
*/
import "C"

import (
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// releaseMemory gives memory the library no longer uses back to the
// operating system, from both heaps of the process it lives in:
//
//   - the Go heap: debug.FreeOSMemory runs a full collection and returns
//     every free page at once (MADV_DONTNEED, so RSS drops immediately);
//   - the C heap: malloc_trim(0), for the dtls_peer_t mirrors and other C
//     blocks the library allocated and freed.
//
// It runs on the calling thread and starts no goroutine. It costs a full
// collection of what is still live plus the trim (BENCHMARKS.md, "Memory
// coming back": milliseconds per 10,000 live associations), so it runs only
// after changes that cost far more than it, counted in associations (all
// contexts of the process together) since the last release:
//
//   - a context that had releaseMinConns associations or more is freed
//     (destroy);
//   - a quarter of the associations went away, from at least
//     releaseMinConns (releaseIfShrunk, at the end of every outermost call:
//     resets, closes, timeouts, alerts);
//   - the count moved by an eighth either way, with at least
//     releaseMinConns on one side, and has not changed for quietPeriod
//     (releaseIfSettled, from dtls_check_retransmit, which an idle event
//     loop keeps calling): the collector's headroom, about as much again
//     as the live heap, goes back once a burst of handshakes is over, and
//     so does what a slow decline left;
//   - a context moved its associations after a decline, or once the
//     count settled (compactIfShrunk, packSettled), or the last
//     association such a move left in place ended: the old copies are
//     garbage, and the count of associations, which the others follow,
//     did not change (releaseIfShrunk or releaseIfSettled, whichever comes
//     first). Moves have limits of their own: half of the associations
//     gone since the last one, or a count that has not changed for
//     quietPeriod.
//
// The second and third at most once per releaseInterval; the last at once
// (a move doubles the memory of the survivors until the collection).
func releaseMemory() {
	// Cleared first: a move by another thread during the collection
	// arms the next one.
	moved.Store(false)
	debug.FreeOSMemory()
	C.tdtls_trim_c_heap()
	n := liveConns.Load()
	released.Store(nanotime())
	highWater.Store(n)
	afterRelease.Store(n)
}

// The associations of all contexts of the process, counted as the engine
// creates and removes them (ConnChanged).
var (
	liveConns atomic.Int64
	// highWater is the most there were since memory was last released,
	// afterRelease how many there were then.
	highWater    atomic.Int64
	afterRelease atomic.Int64
	// changes counts creations and removals; releaseIfSettled notes when
	// it last saw the count move (seenChanges, seenAt, nanotime), so that
	// creating or removing an association reads no clock.
	changes     atomic.Int64
	seenChanges atomic.Int64
	seenAt      atomic.Int64
	// released is when memory was last released (nanotime; 0: never),
	// releasing whether a thread is releasing now.
	released  atomic.Int64
	releasing atomic.Bool
	// moved: a context moved its associations since the last release.
	moved atomic.Bool
)

const (
	// releaseMinConns: fewer associations than this leave too little
	// behind to be worth a full collection (about 1 MB at 1,000).
	releaseMinConns = 1000
	// releaseInterval: at most one release per interval, so that a server
	// whose association count swings widely does not collect at every
	// swing (a move's release aside: moves have limits of their own).
	releaseInterval = time.Second
	// quietPeriod: how long the count must not have changed before a
	// smaller change than a quarter fewer is worth a release.
	quietPeriod = time.Second
)

func connAdded() {
	n := liveConns.Add(1)
	changes.Add(1)
	if n >= gcTightFrom && gcMode.Load() == gcDefault {
		setGC(gcDefault, gcTight)
	}
	for {
		h := highWater.Load()
		if n <= h || highWater.CompareAndSwap(h, n) {
			return
		}
	}
}

func connRemoved() {
	n := liveConns.Add(-1)
	changes.Add(1)
	if n < gcTightFrom/2 && gcMode.Load() == gcTight {
		setGC(gcTight, gcDefault)
	}
}

// The collector's headroom. Go's default (GOGC=100) lets the heap grow to
// twice what was live after the last collection before the next one, and
// the runtime keeps its bookkeeping of the largest heap it ever had (span
// structures, mark bits: about 3 % of it) for the life of the process,
// after every association and context is gone. From gcTightFrom
// associations in the process (about 9 MB of live heap, PSK), the library
// lowers the headroom to gcTightPercent, and gives GOGC's default back
// below half of that: the process's largest heap, and what it leaves
// behind, shrink by about a third, for more collections during bursts of
// handshakes (BENCHMARKS.md, "Memory coming back"). A GOGC from the
// environment is the application's choice, and is left alone.
const (
	gcTightFrom    = 16384
	gcTightPercent = 25
)

const (
	gcDefault = iota // GOGC=100, as the runtime started
	gcTight          // gcTightPercent
	gcOwn            // GOGC was set in the environment: never changed
)

var (
	gcMode   atomic.Int32
	gcModeMu sync.Mutex // held while the percent and gcMode change together
)

// setGC moves the collector from mode from to mode to, unless another
// thread moved it meanwhile or the count went back across the threshold.
// A GOGC in the environment, found on the first move, is the
// application's: the mode becomes gcOwn.
func setGC(from, to int32) {
	gcModeMu.Lock()
	defer gcModeMu.Unlock()
	n := liveConns.Load()
	if gcMode.Load() != from || to == gcTight && n < gcTightFrom || to == gcDefault && n >= gcTightFrom/2 {
		return
	}
	if C.tdtls_gogc_set() != 0 {
		gcMode.Store(gcOwn)
		return
	}
	gcMode.Store(to)
	if to == gcTight {
		debug.SetGCPercent(gcTightPercent)
	} else {
		debug.SetGCPercent(100)
	}
}

// releaseIfShrunk releases memory when a quarter of the associations of
// the process went away since the last release, from at least
// releaseMinConns, or a context moved its associations. Three atomic
// loads when there is nothing to do.
func releaseIfShrunk() {
	h := highWater.Load()
	if (h < releaseMinConns || liveConns.Load()*4 > h*3) && !moved.Load() {
		return
	}
	releaseSlow()
}

// releaseArmed reports whether a later call could release memory:
// releaseIfSettled waiting for the count to settle, or a release (after
// a shrink or a move) held back by the interval since the last release
// (or by another thread's release in progress).
func releaseArmed() bool {
	n, a, h := liveConns.Load(), afterRelease.Load(), highWater.Load()
	lo, hi := min(n, a), max(n, a)
	return hi >= releaseMinConns && (hi-lo)*8 >= hi ||
		h >= releaseMinConns && n*4 <= h*3 || moved.Load()
}

// releaseIfSettled releases memory when the count of associations moved by
// an eighth since the last release, with at least releaseMinConns before
// or after, and has not changed for quietPeriod (as far as the calls of
// the event loop, which come more often than that, can tell).
func releaseIfSettled() {
	if moved.Load() {
		releaseSlow()
		return
	}
	n, a := liveConns.Load(), afterRelease.Load()
	lo, hi := min(n, a), max(n, a)
	if hi < releaseMinConns || (hi-lo)*8 < hi || !settled() {
		return
	}
	releaseSlow()
}

// settled reports whether the count of associations of the process has
// not changed for quietPeriod, as far as the calls that ask (from
// dtls_check_retransmit, which comes more often than that) can tell.
func settled() bool {
	t := nanotime()
	if c := changes.Load(); seenChanges.Swap(c) != c {
		seenAt.Store(t)
		return false
	}
	return t-seenAt.Load() >= int64(quietPeriod)
}

// releaseSlow releases memory unless another thread is at it, or the last
// release was less than releaseInterval ago and no context moved its
// associations since: a move doubles their memory until the collection
// (the moves have limits of their own: half of the associations gone, or
// the count settled).
func releaseSlow() {
	if !releasing.CompareAndSwap(false, true) {
		return // another thread is at it
	}
	defer releasing.Store(false)
	if last := released.Load(); last != 0 && nanotime()-last < int64(releaseInterval) && !moved.Load() {
		return
	}
	releaseMemory()
}
