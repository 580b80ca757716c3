// SPDX-License-Identifier: BSD-3-Clause

package wire

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"golang.org/x/crypto/cryptobyte"
)

// The engine's message code moved from cryptobyte to this package; both
// must build and read the same bytes, including where a read fails.
func TestBuilderMatchesCryptobyte(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 500; i++ {
		a := r.Uint32()
		payload := make([]byte, r.IntN(300))
		for j := range payload {
			payload[j] = byte(r.Uint32())
		}
		ours := NewBuilder([]byte{0xaa})
		ours.AddUint8(uint8(a))
		ours.AddUint16(uint16(a))
		ours.AddUint24(a)
		ours.AddUint32(a)
		ours.AddUint16LengthPrefixed(func(c *Builder) {
			c.AddUint8LengthPrefixed(func(d *Builder) { d.AddBytes(payload[:len(payload)%200]) })
			c.AddUint24LengthPrefixed(func(d *Builder) { d.AddBytes(payload) })
		})
		theirs := cryptobyte.NewBuilder([]byte{0xaa})
		theirs.AddUint8(uint8(a))
		theirs.AddUint16(uint16(a))
		theirs.AddUint24(a)
		theirs.AddUint32(a)
		theirs.AddUint16LengthPrefixed(func(c *cryptobyte.Builder) {
			c.AddUint8LengthPrefixed(func(d *cryptobyte.Builder) { d.AddBytes(payload[:len(payload)%200]) })
			c.AddUint24LengthPrefixed(func(d *cryptobyte.Builder) { d.AddBytes(payload) })
		})
		if got, want := ours.BytesOrPanic(), theirs.BytesOrPanic(); !bytes.Equal(got, want) {
			t.Fatalf("case %d: %x, cryptobyte %x", i, got, want)
		}
	}
}

func TestTooLongBlock(t *testing.T) {
	b := NewBuilder(nil)
	b.AddUint8LengthPrefixed(func(c *Builder) { c.AddBytes(make([]byte, 256)) })
	if _, err := b.Bytes(); err == nil {
		t.Fatal("a 256-byte block under a one-byte length was accepted")
	}
	defer func() {
		if recover() == nil {
			t.Error("BytesOrPanic did not panic")
		}
	}()
	b.BytesOrPanic()
}

func TestReadsMatchCryptobyte(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 3000; i++ {
		in := make([]byte, r.IntN(12))
		for j := range in {
			in[j] = byte(r.IntN(6)) // short lengths, so prefixed reads succeed often
		}
		ours, theirs := String(in), cryptobyte.String(in)
		for step := 0; step < 6; step++ {
			op := r.IntN(9)
			var ok1, ok2 bool
			var v1, v2 uint32
			var b1 String
			var b2 cryptobyte.String
			switch op {
			case 0:
				var x, y uint8
				ok1, ok2 = ours.ReadUint8(&x), theirs.ReadUint8(&y)
				v1, v2 = uint32(x), uint32(y)
			case 1:
				var x, y uint16
				ok1, ok2 = ours.ReadUint16(&x), theirs.ReadUint16(&y)
				v1, v2 = uint32(x), uint32(y)
			case 2:
				ok1, ok2 = ours.ReadUint24(&v1), theirs.ReadUint24(&v2)
			case 3:
				ok1, ok2 = ours.ReadUint32(&v1), theirs.ReadUint32(&v2)
			case 4:
				ok1, ok2 = ours.ReadUint8LengthPrefixed(&b1), theirs.ReadUint8LengthPrefixed(&b2)
			case 5:
				ok1, ok2 = ours.ReadUint16LengthPrefixed(&b1), theirs.ReadUint16LengthPrefixed(&b2)
			case 6:
				ok1, ok2 = ours.ReadUint24LengthPrefixed(&b1), theirs.ReadUint24LengthPrefixed(&b2)
			case 7:
				var x, y []byte
				n := r.IntN(4)
				ok1, ok2 = ours.ReadBytes(&x, n), theirs.ReadBytes(&y, n)
				b1, b2 = x, y
			case 8:
				n := r.IntN(4)
				x, y := make([]byte, n), make([]byte, n)
				ok1, ok2 = ours.CopyBytes(x), theirs.CopyBytes(y)
				b1, b2 = x, y
				if !ours.Skip(1) != !theirs.Skip(1) {
					t.Fatalf("Skip differs")
				}
			}
			if ok1 != ok2 || v1 != v2 || !bytes.Equal(b1, b2) || !bytes.Equal(ours, theirs) || ours.Empty() != theirs.Empty() {
				t.Fatalf("input %x op %d: ours (%v %d %x rest %x), cryptobyte (%v %d %x rest %x)",
					in, op, ok1, v1, b1, []byte(ours), ok2, v2, b2, []byte(theirs))
			}
		}
	}
}
