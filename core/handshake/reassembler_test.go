// SPDX-License-Identifier: BSD-3-Clause

package handshake

import (
	"bytes"
	"math/rand"
	"testing"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

// frag builds the header and bytes of body[off:off+n] for message seq.
func frag(typ protocol.HandshakeType, seq uint16, body []byte, off, n int) (Header, []byte) {
	return Header{
		Type: typ, Length: uint32(len(body)), MessageSeq: seq,
		FragmentOffset: uint32(off), FragmentLength: uint32(n),
	}, body[off : off+n]
}

func mustPush(t *testing.T, r *Reassembler, h Header, f []byte, epoch uint16, want PushResult) {
	t.Helper()
	if got := r.Push(h, f, epoch); got != want {
		t.Fatalf("Push(seq %d, %d+%d of %d) = %v, want %v", h.MessageSeq, h.FragmentOffset, h.FragmentLength, h.Length, got, want)
	}
}

func mustPop(t *testing.T, r *Reassembler, typ protocol.HandshakeType, seq uint16, body []byte, epoch uint16) Message {
	t.Helper()
	m, ok := r.Pop()
	if !ok {
		t.Fatalf("Pop: nothing, want seq %d", seq)
	}
	want := Header{Type: typ, Length: uint32(len(body)), MessageSeq: seq, FragmentLength: uint32(len(body))}
	if m.Header != want || !bytes.Equal(m.Body, body) || m.Epoch != epoch || len(m.Body) != len(body) {
		t.Fatalf("Pop = %+v body %x epoch %d, want %+v body %x epoch %d", m.Header, m.Body, m.Epoch, want, body, epoch)
	}
	return m
}

func mustNotPop(t *testing.T, r *Reassembler) {
	t.Helper()
	if m, ok := r.Pop(); ok {
		t.Fatalf("Pop returned seq %d early", m.Header.MessageSeq)
	}
}

func TestReassemblerInOrderNoCopy(t *testing.T) {
	r := NewReassembler(Limits{})
	for i := range 5 {
		body := seq(byte(i), 10*i+1)
		h, f := frag(protocol.HandshakeCertificate, uint16(i), body, 0, len(body))
		mustPush(t, r, h, f, 0, Accepted)
		m := mustPop(t, r, protocol.HandshakeCertificate, uint16(i), body, 0)
		if &m.Body[0] != &body[0] {
			t.Errorf("seq %d: an unfragmented in-order message was copied", i)
		}
		mustNotPop(t, r)
		if n, b := r.Buffered(); n != 0 || b != 0 {
			t.Errorf("Buffered after Pop = %d, %d", n, b)
		}
	}
	if r.NextSeq() != 5 {
		t.Errorf("NextSeq = %d", r.NextSeq())
	}
}

func TestReassemblerReverseFragments(t *testing.T) {
	r := NewReassembler(Limits{})
	body := seq(0x30, 100)
	for off := 90; off >= 0; off -= 10 {
		if off == 0 {
			// Nothing is releasable until the last gap is filled.
			mustNotPop(t, r)
		}
		h, f := frag(protocol.HandshakeServerKeyExchange, 0, body, off, 10)
		mustPush(t, r, h, f, 0, Accepted)
	}
	mustPop(t, r, protocol.HandshakeServerKeyExchange, 0, body, 0)
}

func TestReassemblerAheadOfTurn(t *testing.T) {
	r := NewReassembler(Limits{})
	r.Reset(4)
	bodies := [][]byte{seq(1, 5), seq(2, 0), seq(3, 7)}
	types := []protocol.HandshakeType{protocol.HandshakeServerHello, protocol.HandshakeServerHelloDone, protocol.HandshakeFinished}
	for _, i := range []int{2, 1, 0} {
		h, f := frag(types[i], uint16(4+i), bodies[i], 0, len(bodies[i]))
		mustPush(t, r, h, f, uint16(i), Accepted)
		if i != 0 {
			mustNotPop(t, r)
		}
	}
	if n, b := r.Buffered(); n != 3 || b != 12 {
		t.Errorf("Buffered = %d, %d, want 3, 12", n, b)
	}
	for i := range 3 {
		mustPop(t, r, types[i], uint16(4+i), bodies[i], uint16(i))
	}
	mustNotPop(t, r)
	if r.NextSeq() != 7 {
		t.Errorf("NextSeq = %d", r.NextSeq())
	}
}

func TestReassemblerZeroLength(t *testing.T) {
	var r Reassembler // the zero value is ready to use
	mustPush(t, &r, Header{Type: protocol.HandshakeServerHelloDone}, nil, 0, Accepted)
	mustPop(t, &r, protocol.HandshakeServerHelloDone, 0, nil, 0)
	// An empty fragment of a message that has bytes says nothing.
	mustPush(t, &r, Header{Type: protocol.HandshakeFinished, Length: 12, MessageSeq: 1, FragmentOffset: 3}, nil, 1, Ignored)
	if n, _ := r.Buffered(); n != 0 {
		t.Error("an empty fragment started a message")
	}
}

func TestReassemblerClassification(t *testing.T) {
	r := NewReassembler(Limits{MaxAhead: 4, MaxMessageLen: 100})
	body := seq(0, 20)
	h, f := frag(protocol.HandshakeClientHello, 0, body, 0, 20)
	mustPush(t, r, h, f, 0, Accepted)
	mustPop(t, r, protocol.HandshakeClientHello, 0, body, 0)
	mustPush(t, r, h, f, 0, Old)

	// Window [1, 5).
	h, f = frag(protocol.HandshakeClientKeyExchange, 4, body, 0, 5)
	mustPush(t, r, h, f, 0, Accepted)
	h.MessageSeq = 5
	mustPush(t, r, h, f, 0, Ignored)
	h.MessageSeq = 0xffff
	mustPush(t, r, h, f, 0, Ignored)

	big := make([]byte, 101)
	h, f = frag(protocol.HandshakeCertificate, 1, big, 0, 10)
	mustPush(t, r, h, f, 0, Ignored)

	// Start seq 1 and contradict it.
	h, f = frag(protocol.HandshakeCertificate, 1, body, 0, 10)
	mustPush(t, r, h, f, 0, Accepted)
	h2, f2 := frag(protocol.HandshakeServerKeyExchange, 1, body, 10, 10)
	mustPush(t, r, h2, f2, 0, Invalid) // type
	h2, f2 = frag(protocol.HandshakeCertificate, 1, seq(0, 21), 10, 10)
	mustPush(t, r, h2, f2, 0, Invalid) // length
	h2, f2 = frag(protocol.HandshakeCertificate, 1, body, 10, 10)
	mustPush(t, r, h2, f2, 1, Invalid) // epoch
	// Headers that contradict themselves.
	mustPush(t, r, Header{Type: protocol.HandshakeCertificate, Length: 20, MessageSeq: 1, FragmentOffset: 10, FragmentLength: 10}, body[:9], 0, Invalid)
	mustPush(t, r, Header{Type: protocol.HandshakeCertificate, Length: 20, MessageSeq: 1, FragmentOffset: 15, FragmentLength: 10}, body[:10], 0, Invalid)
	// Nothing of that reached the buffer: completing it still works.
	mustPush(t, r, h2, f2, 0, Accepted)
	mustPop(t, r, protocol.HandshakeCertificate, 1, body, 0)
	// A duplicate of a delivered message is Old even when it is malformed
	// for the current window.
	mustPush(t, r, h2, f2, 7, Old)
}

func TestReassemblerOverlapKeepsFirst(t *testing.T) {
	r := NewReassembler(Limits{})
	first := bytes.Repeat([]byte{'a'}, 10)
	second := bytes.Repeat([]byte{'b'}, 10)
	h, f := frag(protocol.HandshakeCertificate, 0, first, 0, 6)
	mustPush(t, r, h, f, 0, Accepted)
	h, f = frag(protocol.HandshakeCertificate, 0, second, 3, 7)
	mustPush(t, r, h, f, 0, Accepted)
	mustPop(t, r, protocol.HandshakeCertificate, 0, []byte("aaaaaabbbb"), 0)
}

// A complete message held ahead of its turn ignores later fragments of itself.
func TestReassemblerDuplicateOfComplete(t *testing.T) {
	r := NewReassembler(Limits{})
	body := seq(1, 8)
	h, f := frag(protocol.HandshakeFinished, 1, body, 0, 8)
	mustPush(t, r, h, f, 1, Accepted)
	h, f = frag(protocol.HandshakeFinished, 1, make([]byte, 8), 2, 4)
	mustPush(t, r, h, f, 1, Accepted)
	mustPush(t, r, Header{Type: protocol.HandshakeServerHelloDone}, nil, 0, Accepted)
	mustPop(t, r, protocol.HandshakeServerHelloDone, 0, nil, 0)
	mustPop(t, r, protocol.HandshakeFinished, 1, body, 1)
}

// The caller may reuse a datagram buffer once the call after Push has
// returned; a message that arrived whole and was not popped must survive.
func TestReassemblerAliasCopiedWhenKept(t *testing.T) {
	for _, next := range []string{"Push", "Pop"} {
		r := NewReassembler(Limits{})
		buf := seq(0x40, 16)
		want := bytes.Clone(buf)
		h, f := frag(protocol.HandshakeServerHello, 1, buf, 0, len(buf))
		mustPush(t, r, h, f, 0, Accepted)
		switch next {
		case "Push":
			h0, f0 := frag(protocol.HandshakeHelloVerifyRequest, 2, seq(0, 4), 0, 2)
			mustPush(t, r, h0, f0, 0, Accepted)
		case "Pop":
			mustNotPop(t, r)
		}
		clear(buf)
		mustPush(t, r, Header{Type: protocol.HandshakeClientHello}, nil, 0, Accepted)
		mustPop(t, r, protocol.HandshakeClientHello, 0, nil, 0)
		mustPop(t, r, protocol.HandshakeServerHello, 1, want, 0)
	}
}

func TestReassemblerByteLimit(t *testing.T) {
	r := NewReassembler(Limits{MaxAhead: 8, MaxMessageLen: 100, MaxBufferedBytes: 150})
	body := seq(0, 60)
	part := func(s uint16) (Header, []byte) { return frag(protocol.HandshakeCertificate, s, body, 0, 30) }

	h, f := part(2)
	mustPush(t, r, h, f, 0, Accepted)
	h, f = part(3)
	mustPush(t, r, h, f, 0, Accepted)
	// 120 held; a later message does not push out earlier ones.
	h, f = part(4)
	mustPush(t, r, h, f, 0, Ignored)
	if n, b := r.Buffered(); n != 2 || b != 120 {
		t.Fatalf("Buffered = %d, %d, want 2, 120", n, b)
	}
	// An earlier one does: seq 3 (the highest) is dropped for seq 1.
	h, f = part(1)
	mustPush(t, r, h, f, 0, Accepted)
	if n, b := r.Buffered(); n != 2 || b != 120 {
		t.Fatalf("Buffered = %d, %d, want 2, 120", n, b)
	}
	// The dropped message must start over, and there is no room for it.
	h, f = frag(protocol.HandshakeCertificate, 3, body, 30, 30)
	mustPush(t, r, h, f, 0, Ignored)
	// A message larger than the whole budget never fits, and evicts nothing.
	r2 := NewReassembler(Limits{MaxMessageLen: 1000, MaxBufferedBytes: 100})
	h, f = frag(protocol.HandshakeCertificate, 1, seq(0, 50), 0, 10)
	mustPush(t, r2, h, f, 0, Accepted)
	h, f = frag(protocol.HandshakeCertificate, 0, seq(0, 101), 0, 10)
	mustPush(t, r2, h, f, 0, Ignored)
	if n, _ := r2.Buffered(); n != 1 {
		t.Error("an impossible message evicted others")
	}

	// seq 0, the one the handshake needs now, makes room by dropping the
	// highest (seq 2) too.
	h, f = frag(protocol.HandshakeCertificate, 0, body, 0, 60)
	mustPush(t, r, h, f, 0, Accepted)
	if n, b := r.Buffered(); n != 2 || b != 120 {
		t.Fatalf("Buffered = %d, %d, want 2, 120", n, b)
	}
	h, f = frag(protocol.HandshakeCertificate, 1, body, 30, 30)
	mustPush(t, r, h, f, 0, Accepted)
	mustPop(t, r, protocol.HandshakeCertificate, 0, body, 0)
	mustPop(t, r, protocol.HandshakeCertificate, 1, body, 0)
	if n, b := r.Buffered(); n != 0 || b != 0 {
		t.Errorf("Buffered = %d, %d after draining", n, b)
	}
	h, f = frag(protocol.HandshakeCertificate, 2, body, 0, 60)
	mustPush(t, r, h, f, 0, Accepted)
	mustPop(t, r, protocol.HandshakeCertificate, 2, body, 0)
}

func TestReassemblerReset(t *testing.T) {
	r := NewReassembler(Limits{})
	body := seq(0, 30)
	h, f := frag(protocol.HandshakeClientHello, 0, body, 0, 10)
	mustPush(t, r, h, f, 0, Accepted)
	h, f = frag(protocol.HandshakeCertificate, 3, body, 0, 30)
	mustPush(t, r, h, f, 0, Accepted)
	r.Reset(1)
	if n, b := r.Buffered(); n != 0 || b != 0 || r.NextSeq() != 1 {
		t.Fatalf("after Reset: Buffered %d, %d NextSeq %d", n, b, r.NextSeq())
	}
	// seq 0 is now a retransmission; seq 3 has to arrive again.
	h, f = frag(protocol.HandshakeClientHello, 0, body, 10, 10)
	mustPush(t, r, h, f, 0, Old)
	h, f = frag(protocol.HandshakeClientHello, 1, body, 0, 30)
	mustPush(t, r, h, f, 0, Accepted)
	mustPop(t, r, protocol.HandshakeClientHello, 1, body, 0)
	mustNotPop(t, r)
}

// The last message_seq can be delivered, and nothing wraps around after it.
func TestReassemblerSeqSpaceEnd(t *testing.T) {
	r := NewReassembler(Limits{})
	r.Reset(0xffff)
	mustPush(t, r, Header{Type: protocol.HandshakeFinished, MessageSeq: 0xffff}, nil, 0, Accepted)
	mustPop(t, r, protocol.HandshakeFinished, 0xffff, nil, 0)
	mustPush(t, r, Header{Type: protocol.HandshakeFinished, MessageSeq: 0}, nil, 0, Old)
	mustNotPop(t, r)
}

// Random fragmentations of several messages, with duplicates and
// overlaps, shuffled and pushed from a reused datagram buffer.
func TestReassemblerRandomised(t *testing.T) {
	rng := rand.New(rand.NewSource(42))
	for round := range 300 {
		nmsg := 1 + rng.Intn(6)
		base := uint16(rng.Intn(3))
		bodies := make([][]byte, nmsg)
		type piece struct {
			h Header
			f []byte
		}
		var pieces []piece
		for i := range bodies {
			n := rng.Intn(400)
			if rng.Intn(5) == 0 {
				n = 0
			}
			bodies[i] = make([]byte, n)
			rng.Read(bodies[i])
			typ := protocol.HandshakeType(1 + i)
			// A cover of the message by random cuts...
			off := 0
			for {
				step := 1 + rng.Intn(120)
				if off+step >= n {
					h, f := frag(typ, base+uint16(i), bodies[i], off, n-off)
					pieces = append(pieces, piece{h, f})
					break
				}
				h, f := frag(typ, base+uint16(i), bodies[i], off, step)
				pieces = append(pieces, piece{h, f})
				off += step
			}
			// ...plus overlapping extras.
			for range rng.Intn(4) {
				if n == 0 {
					break
				}
				a := rng.Intn(n)
				h, f := frag(typ, base+uint16(i), bodies[i], a, 1+rng.Intn(n-a))
				pieces = append(pieces, piece{h, f})
			}
		}
		for range rng.Intn(len(pieces) + 1) {
			pieces = append(pieces, pieces[rng.Intn(len(pieces))])
		}
		rng.Shuffle(len(pieces), func(i, j int) { pieces[i], pieces[j] = pieces[j], pieces[i] })

		r := NewReassembler(Limits{MaxAhead: 8})
		r.Reset(base)
		var got [][]byte
		var datagram []byte
		for _, p := range pieces {
			// The buffer is scribbled over and reused for every fragment.
			for i := range datagram {
				datagram[i] = 0xee
			}
			datagram = append(datagram[:0], p.f...)
			delivered := p.h.MessageSeq < r.NextSeq()
			if res := r.Push(p.h, datagram, 0); res != Accepted && (res != Old || !delivered) {
				t.Fatalf("round %d: Push seq %d = %v (next %d)", round, p.h.MessageSeq, res, r.NextSeq())
			}
			for {
				m, ok := r.Pop()
				if !ok {
					break
				}
				got = append(got, bytes.Clone(m.Body))
			}
		}
		if len(got) != nmsg {
			t.Fatalf("round %d: %d of %d messages delivered", round, len(got), nmsg)
		}
		for i := range got {
			if !bytes.Equal(got[i], bodies[i]) {
				t.Fatalf("round %d: message %d corrupted", round, i)
			}
		}
		if n, b := r.Buffered(); n != 0 || b != 0 {
			t.Fatalf("round %d: Buffered %d, %d at the end", round, n, b)
		}
	}
}

func TestMessageAppendRaw(t *testing.T) {
	m := Message{Header: Header{Type: protocol.HandshakeFinished, MessageSeq: 0x0102, Length: 99, FragmentOffset: 5}, Body: seq(0xa0, 3)}
	want := []byte{20, 0, 0, 3, 1, 2, 0, 0, 0, 0, 0, 3, 0xa0, 0xa1, 0xa2}
	if got := m.AppendRaw([]byte{0xff}); !bytes.Equal(got, append([]byte{0xff}, want...)) {
		t.Errorf("AppendRaw = %x, want ff%x", got, want)
	}
}
