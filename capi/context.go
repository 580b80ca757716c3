// SPDX-License-Identifier: BSD-3-Clause

package main

/*
#include "capi.h"
*/
import "C"

import (
	"errors"
	"math"
	"time"
	"unsafe"

	"github.com/tinydtls-go/tinydtls/capi/stackroom"
	"github.com/tinydtls-go/tinydtls/core/engine"
)

// ctxState is the Go side of one dtls_context_t.
type ctxState struct {
	c  *C.dtls_context_t
	ep *engine.Endpoint

	// peers maps the dtls_peer_t mirrors handed to the application back to
	// their associations (dtls_reset_peer takes the pointer back). Only
	// associations the application asked for, or that a callback needed
	// one for, have a mirror (peers.go).
	peers map[*C.dtls_peer_t]*engine.Conn
	// cur is the session_t of each API call in progress and the engine's
	// key of it, innermost last; stateless replies and new associations
	// take their address from it.
	cur []curCall
	// depth counts nested calls from callbacks; C memory released during a
	// call is freed only when the outermost call returns, so that a
	// callback can never be left holding a dangling session pointer.
	depth   int
	keys    []keyBuf // the session key of each nesting level (see enter)
	zombies []unsafe.Pointer
	adopted []*C.dtls_peer_t
	// scratch holds, per nesting level, the session_t passed to callbacks
	// for an association without a mirror that is going away (peers.go).
	scratch []*C.session_t
	freeing bool
	// dying: destroy is ending every association.
	dying bool
	// live counts the context's associations, peak the most it had since
	// its indexes were last compacted (compactIfShrunk), movePeak since
	// they were last moved, most the most it ever had; made counts those
	// made since they were last moved, plus those that lived then: the
	// slots of the engine's arrays they use.
	live, peak, movePeak, most, made int
	// movedAt is when they were last moved (nanotime).
	movedAt int64
	// inPlace counts the associations the last move after a decline left
	// where they were (engine.Conn.InPlace) that still live: they keep
	// arrays of cleared copies, which the last of them frees.
	inPlace int
	freed   bool
	handle  uintptr
}

// curCall is one API call in progress: its session (may be nil) and the
// engine's key of it.
type curCall struct {
	s   *C.session_t
	key []byte
}

func stateOf(ctx *C.dtls_context_t) *ctxState {
	if ctx == nil {
		return nil
	}
	st := lookupHandle(uintptr((*C.tdtls_context_impl)(unsafe.Pointer(ctx)).handle))
	if st == nil || st.freed {
		return nil
	}
	return st
}

// enter marks the start of an API call working on session s (may be nil)
// and returns the engine's key for s. Each nesting level has its own key
// buffer: the engine keeps using an outer call's key while a callback makes
// an inner call, and a buffer on the stack would escape to the heap.
func (st *ctxState) enter(s *C.session_t) []byte {
	st.depth++
	if len(st.keys) < st.depth {
		st.keys = append(st.keys, keyBuf{})
	}
	var key []byte
	if s != nil {
		key = sessionKey(s, &st.keys[st.depth-1])
	}
	st.cur = append(st.cur, curCall{s, key})
	return key
}

func (st *ctxState) leave() {
	st.cur[len(st.cur)-1] = curCall{}
	st.cur = st.cur[:len(st.cur)-1]
	st.depth--
	if st.depth > 0 {
		return
	}
	for _, p := range st.zombies {
		C.free(p)
	}
	st.zombies = st.zombies[:0]
	if st.freeing {
		st.destroy()
		return
	}
	// The outermost call of an application, which an event loop keeps
	// making: give memory back if most associations went away.
	st.compactIfShrunk()
	releaseIfShrunk()
}

// compactIfShrunk rebuilds the engine's indexes of this context when an
// eighth of the associations it had at its peak went away, from at least
// releaseMinConns: Go maps never shrink, and the address keys of the
// survivors keep pages of the heap resident. It costs a map insertion per
// survivor, so about seven per association removed. When half of the
// associations made since the last move (from at least releaseMinConns)
// went away, it also moves the survivors into new memory
// (engine.Compact): the engine makes server associations in arrays of
// about 100, and an array stays while one of them lives, so random
// survivors would otherwise keep nearly every page their peers used. A
// move costs 2-4 µs per survivor, so about as much per association
// removed. After a decline (half of the most there were since the last
// move went) the memory goes back at once (releaseIfShrunk, right after
// this); under churn (as many made as went away: a few long-lived peers
// among many short-lived ones keep arrays without the count ever
// falling) at most one move a second, and the collections that the churn
// brings anyway return the old copies.
func (st *ctxState) compactIfShrunk() {
	if st.holes() && st.live*2 <= st.made {
		if st.live*2 <= st.movePeak {
			st.move(true)
			return
		}
		if t := nanotime(); t-st.movedAt >= int64(time.Second) {
			st.move(false)
			return
		}
	}
	if st.peak < releaseMinConns || st.live*8 > st.peak*7 {
		return
	}
	st.ep.Compact(false)
	st.peak = st.live
}

// packSettled moves the associations of this context once the count of
// the process has settled (dtls_check_retransmit) when an eighth of the
// slots made since the last move are empty: compactIfShrunk waits for
// half, and a decline that stops short of that (or a move made while
// closing associations still lived) would leave the survivors in arrays
// up to half empty for good. It reports whether a move waits for the
// count to settle (the event loop must come back to see it).
func (st *ctxState) packSettled() bool {
	if !st.holes() || st.live*8 > st.made*7 {
		return false
	}
	if !settled() {
		return true
	}
	st.move(true)
	return false
}

// move moves the associations (engine.Compact); with release, it arms a
// release of memory, which the caller's releaseIfShrunk or
// releaseIfSettled then runs: the old copies are garbage the count of
// associations does not show, and so are the arrays of the associations
// the move left in place once the last of them ends (ConnChanged).
func (st *ctxState) move(release bool) {
	n := st.ep.Compact(true)
	if n < 0 {
		return
	}
	st.peak, st.movePeak, st.made, st.movedAt = st.live, st.live, st.live, nanotime()
	st.inPlace = 0
	if release {
		st.inPlace = st.live - n
		moved.Store(true)
	}
}

// holes reports whether the empty slots that the live associations may
// keep (each keeps at most the array it is in) come to releaseMinConns: a
// few survivors of many are not worth a move.
func (st *ctxState) holes() bool {
	return min(st.made, engine.ArrayLen*st.live)-st.live >= releaseMinConns
}

// conn returns the association of s, or nil, for calls that only look.
func (st *ctxState) conn(s *C.session_t) *engine.Conn {
	var kb keyBuf
	return st.ep.Conn(sessionKey(s, &kb))
}

func (st *ctxState) curSession() *C.session_t {
	if len(st.cur) == 0 {
		return nil
	}
	return st.cur[len(st.cur)-1].s
}

// curKey is the engine's key of curSession().
func (st *ctxState) curKey() []byte {
	if len(st.cur) == 0 {
		return nil
	}
	return st.cur[len(st.cur)-1].key
}

// now is the engine's clock: dtls_ticks' milliseconds, so that deadlines
// handed back through dtls_check_retransmit are exact in the application's
// time base.
func now() time.Duration { return time.Duration(ticksNow()) * time.Millisecond }

//export tdtls_go_new_context
func tdtls_go_new_context(ctx *C.dtls_context_t) (ok C.int) {
	stackroom.Reserve()
	defer guard("dtls_new_context")
	st := &ctxState{c: ctx}
	st.ep = engine.New(engine.Config{}, st)
	if st.handle = newHandle(st); st.handle == 0 {
		logLine(int(C.DTLS_LOG_CRIT), "dtls_new_context: too many contexts")
		return 0
	}
	(*C.tdtls_context_impl)(unsafe.Pointer(ctx)).handle = C.uintptr_t(st.handle)
	return 1
}

// destroy sends close_notify to every established peer and frees all C
// memory of the context, the context itself last.
func (st *ctxState) destroy() {
	big := st.most >= releaseMinConns
	st.freeing = false
	st.ep.Conns(honourPeerState)
	st.depth++ // callbacks during Free must not re-enter destroy
	st.dying = true
	if st.ep.NumConns() > 0 {
		// (Without associations there is nothing to send or end; Free
		// would only allocate the buffer for sending.)
		st.ep.Free()
	}
	st.depth--
	for p := range st.peers {
		C.free(unsafe.Pointer(p.security_params[0]))
		C.free(unsafe.Pointer(p))
	}
	clear(st.peers)
	for _, p := range st.zombies {
		C.free(p)
	}
	st.zombies = nil
	for _, p := range st.adopted {
		C.dtls_free_peer(p)
	}
	st.adopted = nil
	for _, p := range st.scratch {
		C.free(unsafe.Pointer(p))
	}
	st.scratch = nil
	st.freed = true
	freeHandle(st.handle)
	// Nothing may keep the engine's state reachable from here on: this
	// frame is live during the collection below.
	st.ep, st.peers, st.cur, st.keys = nil, nil, nil, nil
	if big {
		// A context with many associations leaves megabytes behind, in
		// the Go heap and in glibc's; give them back now rather than at
		// some later collection.
		releaseMemory()
	} else {
		releaseIfShrunk()
	}
	// The C wrapper frees the context itself when its outermost call
	// returns; it may still be on the stack here. (Written from Go:
	// tdtls_ctx_mark_freed would cost a cgo call.)
	(*C.tdtls_context_impl)(unsafe.Pointer(st.c)).freed = 1
}

//export tdtls_go_free_context
func tdtls_go_free_context(ctx *C.dtls_context_t) {
	stackroom.Reserve()
	defer guard("dtls_free_context")
	st := stateOf(ctx)
	if st == nil {
		return
	}
	if st.depth > 0 {
		// Called from inside a callback: finish when the outermost call
		// returns.
		st.freeing = true
		return
	}
	st.destroy()
}

//export tdtls_go_connect
func tdtls_go_connect(ctx *C.dtls_context_t, s *C.session_t) (ret C.int) {
	stackroom.Reserve()
	ret = -1
	defer guard("dtls_connect")
	st := stateOf(ctx)
	if st == nil || s == nil {
		return -1
	}
	key := st.enter(s)
	defer st.leave()
	return st.connect(key, false, "dtls_connect")
}

//export tdtls_go_connect_peer
func tdtls_go_connect_peer(ctx *C.dtls_context_t, p *C.dtls_peer_t) (ret C.int) {
	stackroom.Reserve()
	ret = -1
	defer guard("dtls_connect_peer")
	st := stateOf(ctx)
	if st == nil || p == nil {
		return -1
	}
	if _, mine := st.peers[p]; !mine {
		// Upstream takes ownership of a peer from dtls_new_peer(); keep it
		// until the context goes.
		st.adopted = append(st.adopted, p)
	}
	key := st.enter(&p.session)
	defer st.leave()
	return st.connect(key, true, "dtls_connect_peer")
}

// connect starts a client handshake with the address of the call in
// progress, replacing an existing association or (replace false) leaving it
// alone: as upstream, the bytes of the ClientHello the write callback
// reported sent, 0 if one was left alone, the write callback's own
// negative result if it failed, or -1.
func (st *ctxState) connect(key []byte, replace bool, name string) C.int {
	connect := st.ep.Connect
	if replace {
		connect = st.ep.Reconnect
	}
	if c := st.ep.Conn(key); c != nil {
		honourPeerState(c)
	}
	n, err := connect(key, now())
	if err != nil {
		logLine(int(C.DTLS_LOG_WARN), name+": "+err.Error())
		return failure(err)
	}
	return C.int(n)
}

// failure is the negative result of an API call that failed with err: the
// write callback's own value when that is what failed, else -1.
func failure(err error) C.int {
	// errors.AsType rather than errors.As, which links reflection.
	if se, ok := errors.AsType[engine.SendError](err); ok {
		return C.int(se)
	}
	return -1
}

//export tdtls_go_close
func tdtls_go_close(ctx *C.dtls_context_t, s *C.session_t) (ret C.int) {
	stackroom.Reserve()
	ret = -1
	defer guard("dtls_close")
	st := stateOf(ctx)
	if st == nil || s == nil {
		return -1
	}
	key := st.enter(s)
	defer st.leave()
	if c := st.ep.Conn(key); c != nil {
		honourPeerState(c)
	}
	if err := st.ep.Close(key, now()); err != nil {
		return -1
	}
	return 0
}

//export tdtls_go_renegotiate
func tdtls_go_renegotiate(ctx *C.dtls_context_t, s *C.session_t) (ret C.int) {
	stackroom.Reserve()
	ret = -1
	defer guard("dtls_renegotiate")
	st := stateOf(ctx)
	if st == nil || s == nil {
		return -1
	}
	key := st.enter(s)
	defer st.leave()
	if err := st.ep.Renegotiate(key, now()); err != nil {
		logLine(int(C.DTLS_LOG_WARN), "dtls_renegotiate: "+err.Error())
		return -1
	}
	return 0
}

//export tdtls_go_writev
func tdtls_go_writev(ctx *C.dtls_context_t, s *C.session_t, bufs **C.uint8, lens *C.size_t, n C.size_t) (ret C.int) {
	stackroom.Reserve()
	ret = -1
	defer guard("dtls_writev")
	st := stateOf(ctx)
	if st == nil || s == nil || (n > 0 && (bufs == nil || lens == nil)) {
		return -1
	}
	var small [8][]byte
	parts := small[:0]
	if n > C.size_t(len(small)) {
		parts = make([][]byte, 0, int(n))
	}
	ptrs := unsafe.Slice(bufs, int(n))
	sizes := unsafe.Slice(lens, int(n))
	for i := range ptrs {
		if sizes[i] == 0 {
			continue
		}
		if ptrs[i] == nil {
			return -1
		}
		parts = append(parts, unsafe.Slice((*byte)(unsafe.Pointer(ptrs[i])), int(sizes[i])))
	}
	return st.write(s, parts)
}

//export tdtls_go_write
func tdtls_go_write(ctx *C.dtls_context_t, s *C.session_t, buf *C.uint8, n C.size_t) (ret C.int) {
	stackroom.Reserve()
	ret = -1
	defer guard("dtls_write")
	st := stateOf(ctx)
	if st == nil || s == nil || (buf == nil && n > 0) {
		return -1
	}
	var one [1][]byte
	one[0] = unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(n))
	return st.write(s, one[:])
}

func (st *ctxState) write(s *C.session_t, parts [][]byte) C.int {
	key := st.enter(s)
	defer st.leave()
	if c := st.ep.Conn(key); c != nil {
		honourPeerState(c)
	}
	n, err := st.ep.Write(key, parts, now())
	if err != nil {
		return failure(err)
	}
	return C.int(n)
}

// tdtls_go_check_retransmit also tells the C front until when (nanotime)
// another call would do nothing but hand back the same *next, as long as
// no other call into the library comes first: the front then answers an
// idle event loop's calls itself (capi/front, "idle"). *until stays -1
// when it cannot be told (a nested call, a context being freed).
//
//export tdtls_go_check_retransmit
func tdtls_go_check_retransmit(ctx *C.dtls_context_t, next *C.clock_time_t, until *C.longlong) {
	stackroom.Reserve()
	defer guard("dtls_check_retransmit")
	// The C wrapper has set *next to 0 (nothing pending) and *until to -1.
	st := stateOf(ctx)
	if st == nil {
		return
	}
	st.enter(nil)
	defer st.leave()
	d, ok := st.ep.CheckRetransmit(now())
	if ok && next != nil {
		*next = C.clock_time_t(uint32(d / time.Millisecond))
	}
	if st.depth == 1 && !st.freeing {
		// The call an idle event loop keeps making: return the headroom
		// of a burst of handshakes once it is over (memory.go).
		waiting := st.packSettled()
		releaseIfSettled()
		if until != nil {
			u := int64(math.MaxInt64)
			if ok {
				u = baseNano + int64(d) // the tick of the deadline begins
			}
			if releaseArmed() || waiting {
				// releaseIfSettled and packSettled must see the count
				// settle: keep coming here, a few times a second.
				u = min(u, nanotime()+int64(100*time.Millisecond))
			}
			*until = C.longlong(u)
		}
	}
}

//export tdtls_go_handle_message
func tdtls_go_handle_message(ctx *C.dtls_context_t, s *C.session_t, msg *C.uint8, n C.int) (ret C.int) {
	stackroom.Reserve()
	ret = -1
	defer guard("dtls_handle_message")
	st := stateOf(ctx)
	if st == nil || s == nil || msg == nil || n < 0 {
		return -1
	}
	key := st.enter(s)
	defer st.leave()
	if c := st.ep.Conn(key); c != nil {
		honourPeerState(c)
	}
	err := st.ep.HandleDatagram(key, unsafe.Slice((*byte)(unsafe.Pointer(msg)), int(n)), now())
	return alertCode(err)
}

//export tdtls_go_get_peer
func tdtls_go_get_peer(ctx *C.dtls_context_t, s *C.session_t) (ret *C.dtls_peer_t) {
	stackroom.Reserve()
	defer guard("dtls_get_peer")
	st := stateOf(ctx)
	if st == nil || s == nil {
		return nil
	}
	c := st.conn(s)
	if c == nil {
		return nil
	}
	p := st.mirror(c)
	if p != nil && p.security_params[0] == nil {
		p.security_params[0] = C.dtls_security_new()
		mirrorSecurity(p, c)
	}
	return p
}

//export tdtls_go_reset_peer
func tdtls_go_reset_peer(ctx *C.dtls_context_t, p *C.dtls_peer_t) {
	stackroom.Reserve()
	defer guard("dtls_reset_peer")
	st := stateOf(ctx)
	if st == nil || p == nil {
		return
	}
	c, ok := st.peers[p]
	if !ok {
		// Not one of ours (or already gone): never touch unknown memory.
		return
	}
	st.enter(&p.session)
	defer st.leave()
	honourPeerState(c)
	st.ep.Reset(c)
}
