// SPDX-License-Identifier: BSD-3-Clause

package handshake

import (
	"github.com/tinydtls-go/tinydtls/core/textf"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// Message is a complete handshake message out of the Reassembler.
type Message struct {
	Header Header // FragmentOffset 0, FragmentLength == Length
	Body   []byte
	Epoch  uint16 // epoch of the record(s) it arrived in
}

// AppendRaw appends the message as it enters the handshake transcript
// (RFC 6347 §4.2.6): the 12-byte header with fragment_offset 0 and
// fragment_length equal to length, then the body. Both lengths are taken
// from len(Body), so a Message built by hand for an outgoing message needs
// only Type and MessageSeq in its Header.
func (m *Message) AppendRaw(b []byte) []byte {
	h := m.Header
	h.Length = uint32(len(m.Body))
	h.FragmentOffset = 0
	h.FragmentLength = h.Length
	return append(h.Append(b), m.Body...)
}

// Default limits; see Limits.
const (
	DefaultMaxAhead         = 8
	DefaultMaxMessageLen    = 16384
	DefaultMaxBufferedBytes = 32768
)

// Limits bound the memory a peer can make the Reassembler hold. Zero (or
// negative) fields take their defaults.
type Limits struct {
	// MaxAhead is the width of the receive window: message_seq values in
	// [next, next+MaxAhead) are buffered, so the default 8 holds the next
	// expected message and the 7 after it.
	MaxAhead int
	// MaxMessageLen is the largest handshake message length accepted.
	MaxMessageLen int
	// MaxBufferedBytes caps the sum of the lengths of all buffered
	// messages, complete or not. Partial messages are charged their full
	// declared length, because that is what is allocated for them.
	MaxBufferedBytes int
}

func (l Limits) withDefaults() Limits {
	if l.MaxAhead <= 0 {
		l.MaxAhead = DefaultMaxAhead
	}
	// message_seq is 16 bits, so a wider window could never fill.
	l.MaxAhead = min(l.MaxAhead, 1<<16)
	if l.MaxMessageLen <= 0 {
		l.MaxMessageLen = DefaultMaxMessageLen
	}
	if l.MaxBufferedBytes <= 0 {
		l.MaxBufferedBytes = DefaultMaxBufferedBytes
	}
	return l
}

// PushResult classifies a fragment handed to Reassembler.Push.
type PushResult int

const (
	// Old: message_seq is below the next expected one, so the message was
	// already delivered; the peer is retransmitting (RFC 6347 §4.2.4).
	Old PushResult = iota
	// Accepted: the fragment was stored, or duplicated data already held.
	Accepted
	// Ignored: dropped without judgement, because it lies beyond the
	// window, exceeds a limit, or carries no bytes of a message not yet
	// started.
	Ignored
	// Invalid: the fragment contradicts earlier fragments of the same
	// message_seq (type, length or epoch differ) or its own header
	// (fragment length not len(frag), or running past the message length).
	Invalid
)

func (r PushResult) String() string {
	switch r {
	case Old:
		return "old"
	case Accepted:
		return "accepted"
	case Ignored:
		return "ignored"
	case Invalid:
		return "invalid"
	}
	return textf.Sprintf("PushResult(%d)", int(r))
}

// Reassembler rebuilds handshake messages from fragments that may arrive
// fragmented, reordered, duplicated, overlapping or ahead of their turn, and
// releases them strictly in message_seq order. Memory is bounded by Limits.
//
// Where fragments overlap, the bytes received first are kept and later
// copies are not compared: a peer (or attacker) that sends differing
// overlaps only corrupts the transcript, which the Finished check catches.
//
// Aliasing: a message that arrives whole in a single fragment is not copied.
// Push may keep a reference to frag until the next call to Push, Pop or
// Reset has returned; a message still held at that point has been copied.
// So the caller must leave frag untouched until then, and a Body returned
// by the Pop that immediately follows such a Push aliases that frag. Any other Body
// lives in the Reassembler and stays valid until the next Push, Pop or
// Reset.
//
// The zero value is ready to use with default Limits and next sequence 0.
type Reassembler struct {
	lim   Limits
	next  int    // next message_seq to deliver; 1<<16 once 65535 is out
	slots []slot // window ring: seq s lives in slots[s%len(slots)]
	count int
	bytes int
	alias int    // 1 + index of the slot whose body aliases a caller's frag; 0 if none
	spare []byte // the last popped owned body, recycled by the next Push
}

type slot struct {
	used    bool
	typ     protocol.HandshakeType
	epoch   uint16
	length  uint32
	body    []byte   // len(body) == length
	have    []uint64 // bitmap of bytes received; nil once complete
	missing uint32   // bytes not yet received
}

// NewReassembler returns a Reassembler with the given limits, expecting
// message_seq 0 first.
func NewReassembler(l Limits) *Reassembler {
	r := &Reassembler{lim: l}
	r.ensure()
	return r
}

// ensure allocates the window of a new or zero Reassembler.
func (r *Reassembler) ensure() {
	if r.slots == nil {
		r.lim = r.lim.withDefaults()
		r.slots = make([]slot, r.lim.MaxAhead)
	}
}

// Reset starts over expecting nextSeq, as at the start of a handshake or
// after the stateless cookie exchange, and frees all buffered data.
func (r *Reassembler) Reset(nextSeq uint16) {
	r.ensure()
	clear(r.slots)
	r.next = int(nextSeq)
	r.count, r.bytes, r.alias = 0, 0, 0
	r.spare = nil
}

// NextSeq returns the message_seq the next Pop will deliver.
func (r *Reassembler) NextSeq() uint16 { return uint16(r.next) }

// Buffered reports how many messages (complete or partial) are held and the
// sum of their lengths.
func (r *Reassembler) Buffered() (messages, bytes int) { return r.count, r.bytes }

// Push offers one fragment, with the epoch of the record that carried it.
func (r *Reassembler) Push(h Header, frag []byte, epoch uint16) PushResult {
	r.ensure()
	r.unalias(-1)
	if uint64(len(frag)) != uint64(h.FragmentLength) || h.Length > max24 ||
		uint64(h.FragmentOffset)+uint64(h.FragmentLength) > uint64(h.Length) {
		return Invalid
	}
	seq := int(h.MessageSeq)
	if seq < r.next {
		return Old
	}
	if seq-r.next >= len(r.slots) || uint64(h.Length) > uint64(r.lim.MaxMessageLen) {
		return Ignored
	}
	i := seq % len(r.slots)
	sl := &r.slots[i]
	if sl.used {
		if sl.typ != h.Type || sl.length != h.Length || sl.epoch != epoch {
			return Invalid
		}
		if sl.have != nil {
			sl.fill(h.FragmentOffset, frag)
		}
		return Accepted
	}
	if h.FragmentLength == 0 && h.Length > 0 {
		return Ignored
	}
	n := int(h.Length)
	if !r.makeRoom(seq, n) {
		return Ignored
	}
	*sl = slot{used: true, typ: h.Type, epoch: epoch, length: h.Length}
	r.count++
	r.bytes += n
	if h.FragmentLength == h.Length {
		sl.body = frag
		r.alias = i + 1
		return Accepted
	}
	sl.body = r.alloc(n)
	sl.have = make([]uint64, (n+63)/64)
	sl.missing = h.Length
	sl.fill(h.FragmentOffset, frag)
	return Accepted
}

// Pop returns the next message in sequence if it is complete, and advances
// NextSeq past it.
func (r *Reassembler) Pop() (Message, bool) {
	r.ensure()
	if r.next > 0xffff {
		r.unalias(-1)
		return Message{}, false
	}
	i := r.next % len(r.slots)
	sl := &r.slots[i]
	if !sl.used || sl.have != nil {
		r.unalias(-1)
		return Message{}, false
	}
	// Copy any other aliased body before the popped one may become the
	// spare buffer that such a copy would draw from.
	r.unalias(i)
	m := Message{
		Header: Header{Type: sl.typ, Length: sl.length, MessageSeq: uint16(r.next), FragmentLength: sl.length},
		Body:   sl.body,
		Epoch:  sl.epoch,
	}
	if r.alias == i+1 {
		r.alias = 0
	} else if cap(sl.body) > cap(r.spare) {
		r.spare = sl.body
	}
	r.count--
	r.bytes -= int(sl.length)
	*sl = slot{}
	r.next++
	return m, true
}

// unalias copies the body that aliases a caller's frag into memory of our
// own, unless it lives in slot keep. Its bytes were charged when it was
// pushed, so the copy does not change the accounting.
func (r *Reassembler) unalias(keep int) {
	if r.alias == 0 || r.alias-1 == keep {
		return
	}
	sl := &r.slots[r.alias-1]
	r.alias = 0
	if len(sl.body) == 0 {
		sl.body = nil
		return
	}
	buf := r.alloc(len(sl.body))
	copy(buf, sl.body)
	sl.body = buf
}

func (r *Reassembler) alloc(n int) []byte {
	if cap(r.spare) >= n {
		b := r.spare[:n]
		r.spare = nil
		return b
	}
	return make([]byte, n)
}

// makeRoom makes sure n more bytes fit in the budget for message seq. The
// message the handshake needs next must not be starved by messages queued
// ahead of it, so buffered messages with a higher seq are evicted, highest
// first; the peer will retransmit them.
func (r *Reassembler) makeRoom(seq, n int) bool {
	if n > r.lim.MaxBufferedBytes {
		return false
	}
	for d := len(r.slots) - 1; r.bytes+n > r.lim.MaxBufferedBytes; d-- {
		if r.next+d <= seq {
			return false
		}
		j := (r.next + d) % len(r.slots)
		if !r.slots[j].used {
			continue
		}
		if r.alias == j+1 {
			r.alias = 0
		}
		r.count--
		r.bytes -= int(r.slots[j].length)
		r.slots[j] = slot{}
	}
	return true
}

// fill stores the bytes of frag that were not received before.
func (sl *slot) fill(off uint32, frag []byte) {
	for k, c := range frag {
		p := off + uint32(k)
		w, bit := p/64, uint64(1)<<(p%64)
		if sl.have[w]&bit != 0 {
			continue
		}
		sl.have[w] |= bit
		sl.body[p] = c
		sl.missing--
	}
	if sl.missing == 0 {
		sl.have = nil
	}
}
