// SPDX-License-Identifier: BSD-3-Clause

package handshake

import (
	"bytes"
	"encoding/binary"
	"reflect"
	"testing"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

func FuzzParseFragment(f *testing.F) {
	f.Add(append(Header{Type: 1, Length: 5, MessageSeq: 2, FragmentLength: 5}.Append(nil), 1, 2, 3, 4, 5))
	f.Add(append(Header{Type: 11, Length: 50, FragmentOffset: 45, FragmentLength: 5}.Append(nil), 1, 2, 3, 4, 5, 6, 7))
	f.Add(Header{Type: 14}.Append(nil))
	f.Add([]byte{1, 0, 0})
	f.Add(Header{Length: 3, FragmentOffset: 2, FragmentLength: 2}.Append(nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, frag, rest, ok := ParseFragment(b)
		if len(b) < HeaderLen {
			if ok {
				t.Fatal("accepted a truncated header")
			}
			return
		}
		off, n, length := get24(b[6:]), get24(b[9:]), get24(b[1:])
		want := off+n <= length && uint64(n) <= uint64(len(b)-HeaderLen)
		if ok != want {
			t.Fatalf("ok = %v, want %v", ok, want)
		}
		if !ok {
			return
		}
		if !bytes.Equal(h.Append(nil), b[:HeaderLen]) {
			t.Fatalf("header %+v does not re-encode to %x", h, b[:HeaderLen])
		}
		if uint32(len(frag)) != h.FragmentLength || !bytes.Equal(frag, b[HeaderLen:HeaderLen+len(frag)]) ||
			!bytes.Equal(rest, b[HeaderLen+len(frag):]) {
			t.Fatal("frag or rest are not the bytes after the header")
		}
	})
}

// withoutRecordedOnly clears what Extensions.Marshal never sends.
func withoutRecordedOnly(e Extensions) Extensions {
	e.EncryptThenMAC = false
	e.Unknown = nil
	return e
}

// FuzzUnmarshal feeds every input to every decoder. Whatever decodes must
// encode again: exactly to the input for messages whose encoding is
// canonical, and to something that decodes to the same value for the hellos,
// whose extensions may come in any order or be unknown to us.
func FuzzUnmarshal(f *testing.F) {
	for _, v := range vectors() {
		enc, _ := join(v.wire...)
		f.Add(enc)
	}
	full := fullClientExtensions()
	f.Add(full.Marshal(nil, false)[2:])
	f.Add([]byte{0, 0, 3, 0, 0, 1, 0x30})
	f.Fuzz(func(t *testing.T, data []byte) {
		canonical := []codec{
			new(HelloRequest), new(ServerHelloDone), new(HelloVerifyRequest), new(Certificate),
			new(ServerKeyExchangePSK), new(ServerKeyExchangeECDHE), new(CertificateRequest),
			new(ClientKeyExchangePSK), new(ClientKeyExchangeECDHE), new(CertificateVerify), new(Finished),
		}
		for _, m := range canonical {
			if !m.Unmarshal(data) {
				continue
			}
			if enc := m.Marshal(nil); !bytes.Equal(enc, data) {
				t.Fatalf("%T: decoded %x but encodes %x", m, data, enc)
			}
		}

		var ske ServerKeyExchangeECDHE
		if ske.Unmarshal(data) && !bytes.HasPrefix(data, ske.Params()) {
			t.Fatalf("Params %x is not the start of %x", ske.Params(), data)
		}

		var ch ClientHello
		if ch.Unmarshal(data) {
			ch.Extensions = withoutRecordedOnly(ch.Extensions)
			var again ClientHello
			if !again.Unmarshal(ch.Marshal(nil)) || !reflect.DeepEqual(again, ch) {
				t.Fatalf("ClientHello %+v does not survive a round trip", ch)
			}
			bare := ch
			bare.Extensions = Extensions{}
			if got, want := len(ch.CookieInput(nil)), len(bare.Marshal(nil))-1-len(ch.Cookie); got != want {
				t.Fatalf("CookieInput is %d bytes, want %d", got, want)
			}
			if len(ch.SessionID) > 32 || len(ch.CipherSuites) == 0 || len(ch.CompressionMethods) == 0 {
				t.Fatalf("ClientHello out of bounds: %+v", ch)
			}
		}

		var sh ServerHello
		if sh.Unmarshal(data) {
			sh.Extensions = withoutRecordedOnly(sh.Extensions)
			var again ServerHello
			if !again.Unmarshal(sh.Marshal(nil)) || !reflect.DeepEqual(again, sh) {
				t.Fatalf("ServerHello %+v does not survive a round trip", sh)
			}
		}

		for _, fromServer := range []bool{false, true} {
			var e Extensions
			if !e.Unmarshal(data, fromServer) {
				continue
			}
			e = withoutRecordedOnly(e)
			enc := e.Marshal(nil, fromServer)
			var again Extensions
			if len(enc) > 0 && !again.Unmarshal(enc[2:], fromServer) || !reflect.DeepEqual(again, e) {
				t.Fatalf("extensions %+v (server %v) do not survive a round trip", e, fromServer)
			}
		}
	})
}

// fuzzByte is the content every fragment carries at position pos of a
// message, so that any correct reassembly yields a predictable body.
func fuzzByte(seq uint16, typ protocol.HandshakeType, length uint32, pos int) byte {
	return byte(int(seq)*31 + int(typ)*7 + int(length)*13 + pos*3 + pos>>8)
}

// FuzzReassembler decodes the input into limits and a sequence of Push, Pop
// and Reset calls, made from a datagram buffer that is overwritten before
// every call as a real caller would.
func FuzzReassembler(f *testing.F) {
	// limits, then ops: push = 0 seqDelta type len16 off16 n16 epoch.
	f.Add([]byte{3, 40, 1, 0, 0, 0, 1, 0, 20, 0, 0, 0, 20, 0, 5})
	f.Add([]byte{7, 255, 8, 0,
		0, 1, 11, 0, 100, 0, 50, 0, 50, 0, 5,
		0, 0, 1, 0, 10, 0, 0, 0, 10, 0, 5,
		0, 1, 11, 0, 100, 0, 0, 0, 60, 0, 5, 7})
	f.Add([]byte{0, 0, 0, 0, 0, 0, 14, 0, 0, 0, 0, 0, 0, 0, 5, 6, 0, 2, 5})
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) < 4 {
			return
		}
		lim := Limits{
			MaxAhead:         1 + int(in[0]%8),
			MaxMessageLen:    1 + int(in[1])*2,
			MaxBufferedBytes: 1 + int(binary.BigEndian.Uint16(in[2:]))%2048,
		}
		in = in[4:]
		r := NewReassembler(lim)
		next := func(n int) []byte {
			if len(in) < n {
				in = nil
				return nil
			}
			b := in[:n]
			in = in[n:]
			return b
		}
		// A caller may reuse the buffer of a Push once the call after it
		// has returned, so two buffers alternate and the one whose grace
		// period is over gets scribbled on.
		var bufs [2][]byte
		var cur int
		var outstanding []byte
		release := func(keep []byte) {
			for i := range outstanding {
				outstanding[i] = 0xa5
			}
			outstanding = keep
		}
		for len(in) > 0 {
			op := next(1)[0]
			switch op % 8 {
			case 0, 1, 2, 3, 4:
				b := next(9)
				if b == nil {
					return
				}
				seq := uint16(int(r.NextSeq()) + int(int8(b[0])))
				typ := protocol.HandshakeType(b[1] % 4)
				length := uint32(binary.BigEndian.Uint16(b[2:]) % 600)
				off := uint32(binary.BigEndian.Uint16(b[4:])) % (length + 2)
				n := uint32(binary.BigEndian.Uint16(b[6:])) % (length + 2)
				epoch := uint16(b[8] % 2)
				datagram := bufs[cur][:0]
				for i := range n {
					datagram = append(datagram, fuzzByte(seq, typ, length, int(off+i)))
				}
				h := Header{Type: typ, Length: length, MessageSeq: seq, FragmentOffset: off, FragmentLength: n}
				if b[8]&0x80 != 0 && n > 0 {
					datagram = datagram[:n-1] // a header that lies about its fragment
				}
				bufs[cur] = datagram[:cap(datagram)]
				cur ^= 1
				before := r.NextSeq()
				res := r.Push(h, datagram, epoch)
				release(datagram)
				consistent := uint32(len(datagram)) == n && off+n <= length
				switch {
				case !consistent && res != Invalid:
					t.Fatalf("self-contradicting fragment %+v (%d bytes) = %v", h, len(datagram), res)
				case consistent && (res == Old) != (seq < before):
					t.Fatalf("Push seq %d with next %d = %v", seq, before, res)
				case res == Accepted && int(length) > lim.MaxMessageLen:
					t.Fatalf("accepted a %d-byte message over the %d limit", length, lim.MaxMessageLen)
				}
			case 5, 6:
				before := r.NextSeq()
				m, ok := r.Pop()
				if !ok {
					if r.NextSeq() != before {
						t.Fatal("a failed Pop moved NextSeq")
					}
					release(nil)
					break
				}
				h := m.Header
				if h.MessageSeq != before || r.NextSeq() != before+1 {
					t.Fatalf("popped seq %d with next %d, now %d", h.MessageSeq, before, r.NextSeq())
				}
				if uint32(len(m.Body)) != h.Length || h.FragmentOffset != 0 || h.FragmentLength != h.Length {
					t.Fatalf("popped %+v with a %d-byte body", h, len(m.Body))
				}
				for i, c := range m.Body {
					if c != fuzzByte(h.MessageSeq, h.Type, h.Length, i) {
						t.Fatalf("popped seq %d: byte %d is %#x", h.MessageSeq, i, c)
					}
				}
				release(nil)
			case 7:
				b := next(1)
				if b == nil {
					return
				}
				r.Reset(uint16(b[0]))
				release(nil)
				if n, bytes := r.Buffered(); n != 0 || bytes != 0 || r.NextSeq() != uint16(b[0]) {
					t.Fatal("Reset kept state")
				}
			}
			if n, bytes := r.Buffered(); n > lim.MaxAhead || bytes > lim.MaxBufferedBytes || n < 0 || bytes < 0 {
				t.Fatalf("Buffered = %d messages, %d bytes over %+v", n, bytes, lim)
			}
		}
	})
}
