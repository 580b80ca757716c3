// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"bytes"
	"unsafe"

	"github.com/tinydtls-go/tinydtls/core/record13"
)

// Compact gives the Go heap a chance to return the memory of associations
// that went away. Go maps never shrink: it rebuilds both maps with fresh
// keys, and the list of half-open handshakes without its stale entries.
// With move, it also moves every association that is neither in a
// handshake nor closing into new memory: Go's collector never moves
// objects, and a page of the heap stays resident while one object on it
// lives, so the survivors of a mass removal, spread over every page their
// peers used, would keep nearly all of them; server associations live in
// arrays (slabs, made as they are created), and an array stays while one
// association in it lives. The moved survivors are packed together in
// arrays of their own, and the pages they leave become free at the next
// collection. A move costs 2-4 µs per association (the C layer rebuilds
// the indexes when an Endpoint lost an eighth of its associations, and
// moves them when half of those made since the last move are gone, or an
// eighth once the count settled).
//
// An association a move leaves where it is keeps the array it is in (and
// the cleared copies beside it) until it ends: InPlace tells it.
//
// A moved association is a new *Conn: the Handler hears ConnMoved with it,
// and every *Conn taken before the call is invalid afterwards (the old
// ones are cleared, their keys with them). Called during a call into the
// Endpoint (from a Handler), when the caller's step still holds
// associations, or from its own ConnMoved reports, it does nothing and
// returns -1; otherwise it returns how many associations it moved.
func (e *Endpoint) Compact(move bool) int {
	if e.closed || e.depth > 0 || e.compacting {
		return -1
	}
	var olds, news []*Conn
	sl := slabs{least: len(e.conns)}
	conns := make(map[string]*Conn, len(e.conns))
	for _, c := range e.conns {
		nc := c
		if move {
			nc = e.move(c, &sl)
		}
		if nc != c {
			olds, news = append(olds, c), append(news, nc)
			c = nc
		} else {
			c.addr = sl.key(c.addr)
			c.inPlace = c.inPlace || move
		}
		conns[c.addr] = c
	}
	e.conns = conns
	if move {
		// New associations start new arrays: the current ones may now
		// hold nothing but cleared copies and the keys of moved ones.
		e.born = slabs{}
	}
	// An old association still has its address until it is cleared below:
	// its new self is conns[old.addr].
	cids := make(map[string]*Conn, len(e.cids.conns))
	for k, c := range e.cids.conns {
		if nc := conns[c.addr]; !c.removed && nc != nil {
			c = nc
		}
		cids[sl.key(k)] = c
	}
	e.cids.conns = cids
	// A stale entry would keep its memory, and the slab it is in, alive.
	e.dropStaleHalfOpen()
	// Every old association is cleared (and so removed for any call that
	// is handed one) before the first report; the Handler may call in
	// from a report, but not compact again, and hears nothing of an
	// association it removed meanwhile.
	for _, old := range olds {
		*old = Conn{removed: true, heapIdx: -1, state: StateClosed}
	}
	e.compacting = true
	for _, nc := range news {
		if !nc.removed {
			e.h.ConnChanged(nc, ConnMoved)
		}
	}
	e.compacting = false
	return len(news)
}

// move returns a copy of c in new memory, which takes c's place in the
// timer heap (and leaves the cipher cache: record.Layer.Moved), or c
// itself when c is in a handshake (whose state points back at it from
// places that are not worth following) or closing (it ends within
// Config.CloseTimeout, and its memory with it: a copy would only add to
// the heap meanwhile). The caller updates the maps and clears c.
func (e *Endpoint) move(c *Conn, sl *slabs) *Conn {
	if c.removed || c.hs == nil || c.hs.running() || c.state == StateClosing {
		return c
	}
	nc, hs := c.hs.relocate(sl)
	if nc == nil {
		return c
	}
	*nc = *c
	nc.hs, nc.inPlace = hs, false
	nc.addr = sl.key(c.addr)
	nc.rl.Moved(&c.rl)
	if nc.heapIdx >= 0 {
		e.timers[nc.heapIdx] = nc
	}
	return nc
}

// slabs is where server associations are made (Endpoint.born) and where
// one Compact puts those it moves: in arrays of up to slabBytes, and the
// address keys of associations back to back in arrays of keySlab bytes.
// A full array gets pages of its own (Go allocates an object over 32 KB
// in a span of its own, and slabBytes is five pages; a full key array is
// the one object of its page), packed, and the collector keeps one span
// structure and one set of mark bits per array instead of per page of
// small objects: Go's runtime never returns those for the largest heap it
// ever had, so they are what a freed context leaves behind. Arrays that
// shared spans would also keep each other's pages, a span staying while
// one of its objects lives; only a context's first, short arrays do.
// During a move, an allocation per association would also fill the holes
// that removed associations left on pages where others live, the pages
// the move is meant to give back. An array stays while one association in
// it lives, which the next move ends. Client associations, seldom
// thousands, are made and moved one by one (less code: the library's size
// is bounded).
type slabs struct {
	s12  []assoc12
	s13  []assoc13
	keys []byte
	// least: the length of a first array (a move knows how many come).
	least int
}

const (
	slabBytes = 5 << 13 // 98 1.2 server associations, 72 1.3 ones
	keySlab   = 8192
	// ArrayLen is the most server associations in one array: a live one
	// keeps up to ArrayLen-1 empty slots beside it.
	ArrayLen = slabBytes / int(unsafe.Sizeof(assoc12{}))
)

// A server association and its handshaker, in one allocation.
type (
	assoc12 struct {
		c  Conn
		hs server12
	}
	assoc13 struct {
		c  Conn
		hs server13
	}
)

// slot12 and slot13 return the next element of the arrays, starting a new
// array when the last is full: twice as long, at least least, up to
// slabBytes, so that a context with one peer does not pay for a hundred.
// (Not generic: a generic function's instances carry the names of their
// type arguments' shapes, and the library's size is bounded.)
func (sl *slabs) slot12(least int) *assoc12 {
	if len(sl.s12) == cap(sl.s12) {
		sl.s12 = make([]assoc12, 0, min(max(2*cap(sl.s12), least, 1), ArrayLen))
	}
	sl.s12 = sl.s12[:len(sl.s12)+1]
	return &sl.s12[len(sl.s12)-1]
}

func (sl *slabs) slot13(least int) *assoc13 {
	if len(sl.s13) == cap(sl.s13) {
		sl.s13 = make([]assoc13, 0, min(max(2*cap(sl.s13), least, 1), slabBytes/int(unsafe.Sizeof(assoc13{}))))
	}
	sl.s13 = sl.s13[:len(sl.s13)+1]
	return &sl.s13[len(sl.s13)-1]
}

// key returns a copy of k in the key arrays, which grow as slot's do.
// (Not inlined: the library's size is bounded.)
//
//go:noinline
func (sl *slabs) key(k string) string {
	if cap(sl.keys)-len(sl.keys) < len(k) {
		n := min(max(2*cap(sl.keys), 32*sl.least, 64), keySlab)
		sl.keys = make([]byte, 0, max(n, len(k)))
	}
	n := len(sl.keys)
	sl.keys = append(sl.keys, k...)
	return unsafe.String(unsafe.SliceData(sl.keys[n:]), len(k))
}

// relocate, for each handshaker: a new association with a copy of the
// handshaker next to it, as newClient and newServer make them, from sl;
// the old handshaker is cleared. The caller copies the Conn.

func (cl *client12) relocate(*slabs) (*Conn, handshaker) {
	a := new(struct {
		c  Conn
		hs client12
	})
	a.hs = *cl
	a.hs.base12.c = &a.c
	*cl = client12{}
	return &a.c, &a.hs
}

func (sv *server12) relocate(sl *slabs) (*Conn, handshaker) {
	a := sl.slot12(sl.least)
	a.hs = *sv
	a.hs.base12.c = &a.c
	*sv = server12{}
	return &a.c, &a.hs
}

func (cl *client13) relocate(*slabs) (*Conn, handshaker) {
	if cl.cl12 != nil {
		return nil, nil // only while a handshake runs
	}
	a := new(struct {
		c  Conn
		hs client13
	})
	a.hs = *cl
	a.hs.base13.relocated(&a.c, &cl.base13)
	*cl = client13{}
	return &a.c, &a.hs
}

func (sv *server13) relocate(sl *slabs) (*Conn, handshaker) {
	a := sl.slot13(sl.least)
	a.hs = *sv
	a.hs.base13.relocated(&a.c, &sv.base13)
	*sv = server13{}
	return &a.c, &a.hs
}

// relocated points b, a copy of old, at its new association, gives it its
// own copies of the small slices it keeps for the association's life, and
// erases old's secrets. (Not inlined: both roles share it, and the
// library's size is bounded.)
//
//go:noinline
func (b *base13) relocated(c *Conn, old *base13) {
	b.c = c
	b.readSecret = bytes.Clone(b.readSecret)
	b.writeSecret = bytes.Clone(b.writeSecret)
	clear(old.readSecret)
	clear(old.writeSecret)
	b.rcvd = cloneNumbers(b.rcvd)
	b.finalACK = cloneNumbers(b.finalACK)
}

// cloneNumbers copies s into new memory; nil when empty (only the length
// is read), so that no slice keeps the old array.
//
//go:noinline
func cloneNumbers(s []record13.RecordNumber) []record13.RecordNumber {
	if len(s) == 0 {
		return nil
	}
	return append([]record13.RecordNumber(nil), s...)
}
