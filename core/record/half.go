// SPDX-License-Identifier: BSD-3-Clause

package record

import (
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

// A half's epochs: the current one, the previous one while a retransmitted
// or reordered record of the last handshake may still need it, and the next
// one, whose keys the running handshake derived and the ChangeCipherSpec
// (ours for writing, the peer's for reading) will make current.

type readEpoch struct {
	keys epochKeys
	prot protection // expanded keys; nil until used or after eviction
	win  Window
}

type writeEpoch struct {
	keys epochKeys
	prot protection
	seq  uint64
}

// epochKeys is an epoch's keys and number, the number where padding after
// the keys would be: an idle association keeps two of these.
type epochKeys struct {
	Suite *suite.Suite
	Key   [suite.KeyLen]byte
	IV    [suite.FixedIVLen]byte
	num   uint16
}

func (k *epochKeys) Protected() bool { return k.Suite != nil }

func (k *epochKeys) public() Keys { return Keys{Suite: k.Suite, Key: k.Key, IV: k.IV} }

func newEpochKeys(k Keys, num uint16) epochKeys {
	return epochKeys{Suite: k.Suite, Key: k.Key, IV: k.IV, num: num}
}

// ReadHalf is the receiving half of an association's record layer: its
// read epochs with their keys and replay windows, the records that came
// before they could be read, the connection ID peers put on records to us
// and the largest content we accept.
type ReadHalf struct {
	cur        readEpoch
	prev, next *readEpoch
	held       *heldRecords
	cid        []byte
	limit      uint16 // our record_size_limit, once the peer acknowledged it
}

// WriteHalf is the sending half: its write epochs with their keys and
// sequence numbers, the connection ID the peer asked us to put on its
// records and the largest content the peer accepts.
type WriteHalf struct {
	cur        writeEpoch
	prev, next *writeEpoch
	cid        []byte
	limit      uint16 // the peer's record_size_limit
}

// The halves are small on purpose: an idle association keeps them. What
// they share (the cipher cache) is the Layer's, and the record path goes
// through the Layer (Open, Begin, Seal).

// Held records are records kept for later: records of the next epoch that
// overtook the ChangeCipherSpec starting it (still sealed), and application
// data that overtook the Finished it follows (already opened).
type heldRecords struct {
	list     []Held
	bytes    int
	released bool // they may be processed now
}

// Held is a record kept for later (see ReadHalf.Buffer and ReadHalf.Hold).
type Held struct {
	Header  Header
	Payload []byte
	// Opened: Payload is the authenticated content of an application data
	// record; otherwise it is the record's sealed payload.
	Opened bool
}

// maxHeldBytes bounds the bytes of held records per association.
const maxHeldBytes = 4 * protocol.MaxPlaintext

// Result says what ReadHalf.Open made of a record.
type Result int

const (
	// Opened: the record authenticated and is new; the content is returned.
	Opened Result = iota
	// NoEpoch: there are no keys (here, or any more) for the record's epoch.
	NoEpoch
	// Replayed: a record with this sequence number was seen, or it is too
	// old to tell.
	Replayed
	// NotAuthentic: the record does not authenticate.
	NotAuthentic
	// Malformed: the record authenticated but cannot be a record (an
	// unprotected tls12_cid record, an inner plaintext without a type).
	Malformed
	// Overflow: the record authenticated but its content is larger than
	// we accept (RFC 6347 §4.1.1.1, RFC 8449 §4).
	Overflow
)

func (r *ReadHalf) epoch(n uint16) *readEpoch {
	if r.cur.keys.num == n {
		return &r.cur
	}
	if r.prev != nil && r.prev.keys.num == n {
		return r.prev
	}
	return nil
}

func (l *Layer) readProtection(e *readEpoch) protection {
	if !e.keys.Protected() {
		return plaintext{}
	}
	l.touch()
	if e.prot == nil {
		e.prot = newDTLS12(e.keys.public())
	}
	return e.prot
}

// Open authenticates a record with the keys of its epoch and checks it
// against the replay window, which it then advances. If it reports Opened,
// t and data are the record's real content type and content (data aliases
// payload), and newest says whether the record is of the current epoch and
// newer than any seen before: the only kind that may move a peer to a new
// address (RFC 9146 §6). Epoch 0 is unauthenticated: anyone can move its
// window with a forged far-ahead sequence number, so there the window only
// catches duplicates and never rejects a record for being old.
func (l *Layer) Open(h *Header, payload []byte) (t protocol.ContentType, data []byte, newest bool, res Result) {
	if h.Unified() {
		return l.open13(h, payload)
	}
	r := &l.In
	e := r.epoch(h.Epoch)
	if e == nil {
		return 0, nil, false, NoEpoch
	}
	protected := e.keys.Protected()
	if protected && e.win.Seen(h.Seq) || !protected && e.win.Duplicate(h.Seq) {
		return 0, nil, false, Replayed
	}
	var err error
	switch p := l.readProtection(e).(type) {
	case *dtls12:
		// The common case, called directly: through the interface the
		// header is copied (a pointer would escape).
		t, data, err = p.openRecord(h, payload)
	default:
		t, data, err = p.open(*h, payload)
	}
	switch {
	case err == ErrAuth:
		return 0, nil, false, NotAuthentic
	case err != nil:
		return 0, nil, false, Malformed
	case protected && len(data) > r.Limit():
		return 0, nil, false, Overflow
	}
	e.win.Accept(h.Seq)
	top, _ := e.win.Highest()
	return t, data, e == &r.cur && top == h.Seq, Opened
}

// Epoch returns the current read epoch.
func (r *ReadHalf) Epoch() uint16 { return r.cur.keys.num }

// Highest returns the highest sequence number accepted in epoch n, and
// false if none was (or the epoch is gone).
func (r *ReadHalf) Highest(n uint16) (uint64, bool) {
	if e := r.epoch(n); e != nil {
		return e.win.Highest()
	}
	return 0, false
}

// HasNext reports whether the keys of the next read epoch exist.
func (r *ReadHalf) HasNext() bool { return r.next != nil }

// SetNext installs the keys of the next read epoch.
func (r *ReadHalf) SetNext(k Keys) { r.next = &readEpoch{keys: newEpochKeys(k, r.cur.keys.num+1)} }

// Activate makes the next read epoch current (the peer's ChangeCipherSpec)
// and keeps the current one as the previous one.
func (r *ReadHalf) Activate() {
	prev := r.cur
	r.prev = &prev
	r.cur = *r.next
	r.next = nil
}

// Suite is the current epoch's cipher suite (nil: epoch 0), for the log.
func (r *ReadHalf) Suite() *suite.Suite { return r.cur.keys.Suite }

// PreviousProtected reports whether a previous epoch with keys is kept.
func (r *ReadHalf) PreviousProtected() bool { return r.prev != nil && r.prev.keys.Protected() }

// DropPrevious forgets the previous read epoch.
func (r *ReadHalf) DropPrevious() { r.prev = nil }

// DropNext forgets the keys of a next epoch never activated.
func (r *ReadHalf) DropNext() { r.next = nil }

// AcceptUpTo marks every current-epoch sequence number up to seq as seen
// (a server after the stateless cookie exchange: older epoch-0 records of
// that client are stale by definition).
func (r *ReadHalf) AcceptUpTo(seq uint64) { r.cur.win.AcceptUpTo(seq) }

// SetLimit sets the largest content accepted in protected records (0: 2^14).
func (r *ReadHalf) SetLimit(n uint16) { r.limit = n }

// Limit is the largest content accepted in protected records.
func (r *ReadHalf) Limit() int {
	if r.limit > 0 {
		return int(r.limit)
	}
	return protocol.MaxPlaintext
}

// CID returns the connection ID peers put on records to us.
func (r *ReadHalf) CID() []byte { return r.cid }

// SetCID sets it (a copy is kept; nil: none).
func (r *ReadHalf) SetCID(cid []byte) { r.cid = cloneCID(cid) }

// (Not inlined: it runs once per handshake or move, and the library's
// size is bounded.)
//
//go:noinline
func cloneCID(cid []byte) []byte {
	if cid == nil {
		return nil
	}
	return append([]byte{}, cid...)
}

// Buffer keeps a sealed record of the next epoch that overtook the
// ChangeCipherSpec starting it, if fewer than max records are kept. It
// reports false, keeping nothing, when the buffer is full.
func (r *ReadHalf) Buffer(h *Header, payload []byte, max int) bool {
	return r.hold(h, payload, false, max)
}

// Hold keeps the authenticated content of a record that cannot be used yet
// (application data that overtook the Finished it follows), if fewer than
// max records are kept. It reports false, keeping nothing, when the buffer
// is full.
func (r *ReadHalf) Hold(h *Header, data []byte, max int) bool { return r.hold(h, data, true, max) }

func (r *ReadHalf) hold(h *Header, payload []byte, opened bool, max int) bool {
	if r.held == nil {
		r.held = &heldRecords{}
	}
	hr := r.held
	if len(hr.list) >= max || hr.bytes+len(payload) > maxHeldBytes {
		return false
	}
	p := Held{Header: *h, Payload: append([]byte(nil), payload...), Opened: opened}
	if h.CID != nil {
		p.Header.CID = append([]byte(nil), h.CID...)
	}
	hr.list = append(hr.list, p)
	hr.bytes += len(payload)
	return true
}

// HeldCount is the number of records kept for later.
func (r *ReadHalf) HeldCount() int {
	if r.held == nil {
		return 0
	}
	return len(r.held.list)
}

// Release says that the records kept for later may be processed now: the
// epoch they wait for became current, or the handshake they wait for ended.
// The caller takes them with TakeReleased once done with the record in
// hand, so that no record is processed inside another's processing.
func (r *ReadHalf) Release() {
	if r.held != nil {
		r.held.released = true
	}
}

// TakeReleased returns the records kept for later, oldest first, and
// forgets them, if Release was called since they were kept; nil otherwise.
func (r *ReadHalf) TakeReleased() []Held {
	if r.held == nil || !r.held.released {
		return nil
	}
	list := r.held.list
	r.held = nil
	return list
}

func (w *WriteHalf) epoch(n uint16) *writeEpoch {
	if w.cur.keys.num == n {
		return &w.cur
	}
	if w.prev != nil && w.prev.keys.num == n {
		return w.prev
	}
	return nil
}

func (l *Layer) writeProtection(e *writeEpoch) protection {
	if !e.keys.Protected() {
		return plaintext{}
	}
	l.touch()
	if e.prot == nil {
		e.prot = newDTLS12(e.keys.public())
	}
	return e.prot
}

// usesCID says whether records of epoch e carry the peer's connection ID.
// RFC 9146 uses the CID only on protected records.
func (w *WriteHalf) usesCID(e *writeEpoch) bool { return e.keys.Protected() && len(w.cid) > 0 }

// Epoch returns the current write epoch.
func (w *WriteHalf) Epoch() uint16 { return w.cur.keys.num }

// Seq returns the next sequence number of the current write epoch.
func (w *WriteHalf) Seq() uint64 { return w.cur.seq }

// SetSeq sets it (a server continues the sequence numbers of the client's
// ClientHello so that the stateless exchange needs no memory).
func (w *WriteHalf) SetSeq(seq uint64) { w.cur.seq = seq }

// Exhausted reports that the current epoch ran out of sequence numbers.
func (w *WriteHalf) Exhausted() bool { return w.cur.seq > MaxSeq }

// Has reports whether records can be written in epoch n.
func (w *WriteHalf) Has(n uint16) bool { return w.epoch(n) != nil }

// Suite is the current epoch's cipher suite (nil: epoch 0), for the log.
func (w *WriteHalf) Suite() *suite.Suite { return w.cur.keys.Suite }

// Keys returns the current epoch's keys.
func (w *WriteHalf) Keys() Keys { return w.cur.keys.public() }

// SetNext installs the keys of the next write epoch.
func (w *WriteHalf) SetNext(k Keys) { w.next = &writeEpoch{keys: newEpochKeys(k, w.cur.keys.num+1)} }

// Activate makes the next write epoch current (right after our
// ChangeCipherSpec) and keeps the current one as the previous one.
func (w *WriteHalf) Activate() {
	prev := w.cur
	w.prev = &prev
	w.cur = *w.next
	w.next = nil
}

// DropPrevious forgets the previous write epoch.
func (w *WriteHalf) DropPrevious() { w.prev = nil }

// DropNext forgets the keys of a next epoch never activated.
func (w *WriteHalf) DropNext() { w.next = nil }

// CID returns the connection ID we put on protected records.
func (w *WriteHalf) CID() []byte { return w.cid }

// SetCID sets it (a copy is kept; nil: none).
func (w *WriteHalf) SetCID(cid []byte) { w.cid = cloneCID(cid) }

// SetLimit sets the peer's record_size_limit (0: none).
func (w *WriteHalf) SetLimit(n uint16) { w.limit = n }

// Overhead is what one record of epoch n adds around its content; 0 if
// there is no such epoch.
func (w *WriteHalf) Overhead(n uint16) int {
	e := w.epoch(n)
	if e == nil {
		return 0
	}
	return w.overhead(e)
}

func (w *WriteHalf) overhead(e *writeEpoch) int {
	if e.keys.is13() {
		return w.overhead13(e)
	}
	return HeaderLen + w.extra(e)
}

// extra is what protecting a record of epoch e adds to its content: the
// explicit nonce and tag, and the connection ID with the inner content type.
func (w *WriteHalf) extra(e *writeEpoch) int {
	if !e.keys.Protected() {
		return 0
	}
	n := e.keys.Suite.Overhead()
	if w.usesCID(e) {
		n += len(w.cid) + 1
	}
	return n
}

// ContentLimit is the largest content the peer accepts in one record: 2^14,
// or its record_size_limit, which (RFC 8449 §4) also covers the inner
// content type of a record with a connection ID.
func (w *WriteHalf) ContentLimit() int {
	lim := protocol.MaxPlaintext
	if w.limit > 0 {
		lim = int(w.limit)
		// In 1.3 the limit always counts the inner content type.
		if len(w.cid) > 0 && w.cur.keys.Protected() || w.cur.keys.is13() {
			lim--
		}
	}
	return lim
}

// Draft is a record being built: Begin starts it at the end of a buffer,
// the caller appends the content, Seal finishes it.
type Draft struct {
	h       Header
	t       protocol.ContentType
	start   int // where the record starts in the buffer
	content int // where its content starts
	extra   int // what protection adds to the content in the length field
	e       *writeEpoch
}

// Begin starts a record of content type t in write epoch n (current or
// previous) at the end of b and takes its sequence number; d describes it
// for Seal. ok is false if there is no such epoch. (d is the caller's, so
// that the record path copies and allocates nothing.)
func (l *Layer) Begin(b []byte, n uint16, t protocol.ContentType, d *Draft) (_ []byte, ok bool) {
	w := &l.Out
	e := w.epoch(n)
	if e == nil {
		return b, false
	}
	if e.keys.is13() {
		return w.begin13(b, e, t, d), true
	}
	// Field by field: a composite literal stored through d costs a
	// typed copy on the record path.
	d.h.Type, d.h.Version, d.h.Epoch, d.h.Seq, d.h.CID, d.h.Length = t, protocol.VersionDTLS12, e.keys.num, e.seq, nil, 0
	d.t, d.start, d.e, d.extra = t, len(b), e, 0
	if w.usesCID(e) {
		d.h.Type = protocol.ContentTLS12CID
		d.h.CID = w.cid
	}
	e.seq++
	b = beginRecord12(b, &d.h, e.keys.Protected())
	d.content = len(b)
	if e.keys.Protected() {
		// The record's length field counts the explicit nonce, the tag and
		// the inner content type, not the CID in the header.
		d.extra = e.keys.Suite.Overhead()
		if d.h.CID != nil {
			d.extra++
		}
	}
	return b, true
}

// SetVersion rewrites the version of the draft's header: a ClientHello's
// record says DTLS 1.0 (RFC 6347 §4.2.1).
func (d *Draft) SetVersion(b []byte, v uint16) {
	d.h.Version = v
	SetVersion(b[d.start:], v)
}

// Header returns a copy of the draft's header with the length the sealed
// record will have, for the log.
func (d *Draft) Header(b []byte) []byte {
	if d.h.Unified() {
		hdr := append([]byte(nil), b[d.start:d.content]...)
		SetLength(hdr, len(hdr), len(b)-d.content+d.extra)
		return hdr
	}
	hdr := append([]byte(nil), b[d.start:d.start+d.h.Len()]...)
	SetLength(hdr, len(hdr), len(b)-d.content+d.extra)
	return hdr
}

// Seq is the draft's sequence number.
func (d *Draft) Seq() uint64 { return d.h.Seq }

// Content returns the content appended so far.
func (d *Draft) Content(b []byte) []byte { return b[d.content:] }

// Seal protects the draft record, which ends at the end of b, and returns b
// with the finished record in its place.
func (l *Layer) Seal(b []byte, d *Draft) []byte {
	rec := b[d.start:]
	var sealed []byte
	switch p := l.writeProtection(d.e).(type) {
	case *dtls12:
		sealed = p.sealRecord(rec, &d.h, d.t) // as in Open
	case *dtls13:
		sealed = p.sealRecord(rec, &d.h, d.t)
	default:
		sealed = p.seal(rec, d.h, d.t)
	}
	if &sealed[0] == &rec[0] {
		return b[:d.start+len(sealed)]
	}
	return append(b[:d.start], sealed...)
}
