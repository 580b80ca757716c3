// SPDX-License-Identifier: BSD-3-Clause

package ccm

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
)

func mustAES(t testing.TB, key []byte) cipher.Block {
	t.Helper()
	b, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustNew(t testing.TB, key []byte, tagSize, nonceSize int) *CCM {
	t.Helper()
	c, err := New(mustAES(t, key), tagSize, nonceSize)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// referenceSeal is a literal transcription of RFC 3610 §2.2 and §2.3,
// written independently of the package code: it builds the whole
// authentication input and every counter block as byte strings.
func referenceSeal(block cipher.Block, M int, nonce, msg, aad []byte) []byte {
	L := 15 - len(nonce)
	putBE := func(b []byte, v uint64) {
		for i := len(b) - 1; i >= 0; i-- {
			b[i] = byte(v)
			v >>= 8
		}
	}
	pad := func(b []byte) []byte {
		for len(b)%16 != 0 {
			b = append(b, 0)
		}
		return b
	}
	b0 := make([]byte, 16)
	flags := byte(((M-2)/2)<<3 | (L - 1))
	if len(aad) > 0 {
		flags |= 0x40
	}
	b0[0] = flags
	copy(b0[1:], nonce)
	putBE(b0[16-L:], uint64(len(msg)))
	input := append([]byte{}, b0...)
	if la := len(aad); la > 0 {
		var enc []byte
		switch {
		case la < 1<<16-1<<8:
			enc = make([]byte, 2)
			putBE(enc, uint64(la))
		case uint64(la) < 1<<32:
			enc = make([]byte, 6)
			enc[0], enc[1] = 0xff, 0xfe
			putBE(enc[2:], uint64(la))
		default:
			enc = make([]byte, 10)
			enc[0], enc[1] = 0xff, 0xff
			putBE(enc[2:], uint64(la))
		}
		input = append(input, pad(append(enc, aad...))...)
	}
	input = append(input, pad(append([]byte{}, msg...))...)
	x := make([]byte, 16)
	for i := 0; i < len(input); i += 16 {
		for j := range x {
			x[j] ^= input[i+j]
		}
		block.Encrypt(x, x)
	}
	ctrBlock := func(i int) []byte {
		a := make([]byte, 16)
		a[0] = byte(L - 1)
		copy(a[1:], nonce)
		putBE(a[16-L:], uint64(i))
		block.Encrypt(a, a)
		return a
	}
	out := make([]byte, len(msg)+M)
	var s []byte
	for i := range msg {
		if i%16 == 0 {
			s = ctrBlock(i/16 + 1)
		}
		out[i] = msg[i] ^ s[i%16]
	}
	s0 := ctrBlock(0)
	for i := 0; i < M; i++ {
		out[len(msg)+i] = x[i] ^ s0[i]
	}
	return out
}

func TestRFC3610PacketVectors(t *testing.T) {
	if len(rfc3610Vectors) != 24 {
		t.Fatalf("have %d RFC 3610 packet vectors, want 24", len(rfc3610Vectors))
	}
	for i, v := range rfc3610Vectors {
		t.Run(fmt.Sprintf("packet%d", i+1), func(t *testing.T) {
			in, out := v.packets()
			block := mustAES(t, unhex(v.key))
			c, err := New(block, v.M, 13)
			if err != nil {
				t.Fatal(err)
			}
			nonce := unhex(v.nonce)
			aad, msg := in[:v.hdr], in[v.hdr:]
			want := out[v.hdr:]

			got := c.Seal(nil, nonce, msg, aad)
			if !bytes.Equal(got, want) {
				t.Fatalf("Seal:\n got %x\nwant %x", got, want)
			}
			if ref := referenceSeal(block, v.M, nonce, msg, aad); !bytes.Equal(ref, want) {
				t.Fatalf("reference model disagrees with the RFC: %x", ref)
			}
			pt, err := c.Open(nil, nonce, want, aad)
			if err != nil || !bytes.Equal(pt, msg) {
				t.Fatalf("Open = %x, %v; want %x", pt, err, msg)
			}
			checkTamper(t, c, nonce, want, aad)
		})
	}
}

// checkTamper flips every single bit of ciphertext, tag, nonce and
// additional data in turn; each change must be rejected, and the plaintext
// Open wrote into dst must be wiped again.
func checkTamper(t *testing.T, c *CCM, nonce, sealed, aad []byte) {
	t.Helper()
	n := len(sealed) - c.Overhead()
	try := func(what string, bit int, nonce, sealed, aad []byte) {
		n := len(sealed) - c.Overhead()
		backing := bytes.Repeat([]byte{0xAA}, n+4)
		dst := backing[:4]
		pt, err := c.Open(dst, nonce, sealed, aad)
		if err == nil || pt != nil {
			t.Fatalf("%s bit %d flipped: Open accepted", what, bit)
		}
		if !bytes.Equal(backing[4:], make([]byte, n)) {
			t.Fatalf("%s bit %d flipped: plaintext left in dst: %x", what, bit, backing[4:])
		}
		if !bytes.Equal(backing[:4], []byte{0xAA, 0xAA, 0xAA, 0xAA}) {
			t.Fatalf("%s bit %d flipped: dst prefix modified", what, bit)
		}
	}
	flip := func(b []byte, bit int) []byte {
		b = bytes.Clone(b)
		b[bit/8] ^= 1 << (bit % 8)
		return b
	}
	for bit := 0; bit < 8*len(sealed); bit++ {
		what := "ciphertext"
		if bit >= 8*n {
			what = "tag"
		}
		try(what, bit, nonce, flip(sealed, bit), aad)
	}
	for bit := 0; bit < 8*len(nonce); bit++ {
		try("nonce", bit, flip(nonce, bit), sealed, aad)
	}
	for bit := 0; bit < 8*len(aad); bit++ {
		try("aad", bit, nonce, sealed, flip(aad, bit))
	}
	if len(aad) > 0 {
		try("aad truncated", 0, nonce, sealed, aad[:len(aad)-1])
	}
	if n > 0 {
		try("ciphertext truncated", 0, nonce, sealed[:len(sealed)-1], aad)
	}
}

func TestExtraVectors(t *testing.T) {
	for i, v := range extraVectors {
		t.Run(fmt.Sprintf("M%d_L%d_%d", v.M, v.L, i), func(t *testing.T) {
			block := mustAES(t, unhex(v.key))
			nonce := unhex(v.nonce)
			if len(nonce) != 15-v.L {
				t.Fatalf("nonce length %d does not match L=%d", len(nonce), v.L)
			}
			msg, want := unhex(v.msg), unhex(v.out)
			c, err := New(block, v.M, 15-v.L)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Seal(nil, nonce, msg, nil); !bytes.Equal(got, want) {
				t.Fatalf("Seal:\n got %x\nwant %x", got, want)
			}
			if pt, err := c.Open(nil, nonce, want, nil); err != nil || !bytes.Equal(pt, msg) {
				t.Fatalf("Open = %x, %v", pt, err)
			}
			checkTamper(t, c, nonce, want, nil)
		})
	}
}

func TestAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	key := make([]byte, 16)
	for i := range key {
		key[i] = byte(rng.Uint32())
	}
	block := mustAES(t, key)
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	check := func(M, nonceSize, n, la int) {
		t.Helper()
		c, err := New(block, M, nonceSize)
		if err != nil {
			t.Fatal(err)
		}
		nonce, msg, aad := random(nonceSize), random(n), random(la)
		want := referenceSeal(block, M, nonce, msg, aad)
		got := c.Seal(nil, nonce, msg, aad)
		if !bytes.Equal(got, want) {
			t.Fatalf("M=%d nonce=%d len=%d la=%d: Seal differs from the reference", M, nonceSize, n, la)
		}
		pt, err := c.Open(nil, nonce, got, aad)
		if err != nil || !bytes.Equal(pt, msg) {
			t.Fatalf("M=%d nonce=%d len=%d la=%d: round trip failed: %v", M, nonceSize, n, la, err)
		}
	}
	// Every length 0..2000 with every legal tag size.
	for n := 0; n <= 2000; n++ {
		for M := 4; M <= 16; M += 2 {
			check(M, 12, n, n%40)
		}
	}
	// Every nonce size, around the block boundaries.
	for nonceSize := 7; nonceSize <= 13; nonceSize++ {
		for _, n := range []int{0, 1, 15, 16, 17, 31, 32, 33, 255, 256, 257} {
			check(8, nonceSize, n, 13)
		}
	}
	// Additional data at the thresholds of the length encoding.
	for _, la := range []int{1, 14, 15, 16, 17, 0xFEFF, 0xFF00, 0xFF01} {
		check(16, 13, 20, la)
	}
}

func TestInPlace(t *testing.T) {
	c := mustNew(t, make([]byte, 16), 8, 12)
	nonce := make([]byte, 12)
	aad := []byte("header")
	for _, n := range []int{0, 5, 16, 64, 100, 1024} {
		msg := make([]byte, n)
		for i := range msg {
			msg[i] = byte(i * 7)
		}
		want := c.Seal(nil, nonce, msg, aad)

		buf := make([]byte, n, n+c.Overhead())
		copy(buf, msg)
		got := c.Seal(buf[:0], nonce, buf, aad)
		if &got[0] != &buf[:1][0] || !bytes.Equal(got, want) {
			t.Fatalf("len %d: in-place Seal wrong or not in place", n)
		}
		pt, err := c.Open(got[:0], nonce, got, aad)
		if err != nil || !bytes.Equal(pt, msg) {
			t.Fatalf("len %d: in-place Open = %v", n, err)
		}
		if n > 0 && &pt[0] != &got[0] {
			t.Fatalf("len %d: Open did not work in place", n)
		}
	}
}

func TestAppendsToDst(t *testing.T) {
	c := mustNew(t, make([]byte, 16), 8, 13)
	nonce := make([]byte, 13)
	prefix := []byte("prefix")
	sealed := c.Seal(bytes.Clone(prefix), nonce, []byte("hello"), nil)
	if !bytes.HasPrefix(sealed, prefix) || len(sealed) != len(prefix)+5+8 {
		t.Fatalf("Seal did not append: %x", sealed)
	}
	opened, err := c.Open(bytes.Clone(prefix), nonce, sealed[len(prefix):], nil)
	if err != nil || string(opened) != "prefixhello" {
		t.Fatalf("Open did not append: %q, %v", opened, err)
	}
}

func TestZeroAllocations(t *testing.T) {
	c := mustNew(t, make([]byte, 16), 8, 12)
	nonce := make([]byte, 12)
	aad := make([]byte, 13)
	for _, n := range []int{64, 1024} {
		buf := make([]byte, n+8)
		if a := testing.AllocsPerRun(100, func() {
			c.Seal(buf[:0], nonce, buf[:n], aad)
		}); a != 0 {
			t.Errorf("Seal of %d bytes: %v allocations", n, a)
		}
		c.Seal(buf[:0], nonce, buf[:n], aad) // restore a valid record
		if a := testing.AllocsPerRun(100, func() {
			if _, err := c.Open(buf[:0], nonce, buf, aad); err != nil {
				panic(err)
			}
			// Open decrypted in place; seal again for the next run.
			c.Seal(buf[:0], nonce, buf[:n], aad)
		}); a != 0 {
			t.Errorf("Open of %d bytes: %v allocations", n, a)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	c := mustNew(t, []byte("0123456789abcdef"), 16, 12)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			nonce := make([]byte, 12)
			nonce[0] = byte(g)
			msg := bytes.Repeat([]byte{byte(g)}, 100+g)
			want := referenceSeal(c.block, 16, nonce, msg, nonce)
			for i := 0; i < 2000; i++ {
				got := c.Seal(nil, nonce, msg, nonce)
				if !bytes.Equal(got, want) {
					errs <- fmt.Errorf("goroutine %d: wrong ciphertext", g)
					return
				}
				pt, err := c.Open(got[:0], nonce, got, nonce)
				if err != nil || !bytes.Equal(pt, msg) {
					errs <- fmt.Errorf("goroutine %d: Open failed: %v", g, err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestInitRejectsBadParameters(t *testing.T) {
	block := mustAES(t, make([]byte, 16))
	for _, M := range []int{0, 2, 3, 5, 7, 15, 17, 18} {
		if _, err := New(block, M, 12); err == nil {
			t.Errorf("tag size %d accepted", M)
		}
	}
	for _, n := range []int{0, 6, 14, 15, 16} {
		if _, err := New(block, 8, n); err == nil {
			t.Errorf("nonce size %d accepted", n)
		}
	}
	if _, err := New(nil, 8, 12); err == nil {
		t.Error("nil block accepted")
	}
	if _, err := New(smallBlock{}, 8, 12); err == nil {
		t.Error("8-byte block accepted")
	}
	var c CCM
	if err := Init(&c, block, 16, 7); err != nil || c.NonceSize() != 7 || c.Overhead() != 16 {
		t.Errorf("Init(16, 7) = %v; NonceSize %d Overhead %d", err, c.NonceSize(), c.Overhead())
	}
}

type smallBlock struct{}

func (smallBlock) BlockSize() int          { return 8 }
func (smallBlock) Encrypt(dst, src []byte) {}
func (smallBlock) Decrypt(dst, src []byte) {}

func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s did not panic", what)
		}
	}()
	f()
}

func TestSealPanicsLikeAEAD(t *testing.T) {
	c := mustNew(t, make([]byte, 16), 8, 13)
	mustPanic(t, "short nonce", func() { c.Seal(nil, make([]byte, 12), nil, nil) })
	mustPanic(t, "long nonce", func() { c.Seal(nil, make([]byte, 14), nil, nil) })
	// L = 2 encodes at most 65535 bytes.
	c.Seal(nil, make([]byte, 13), make([]byte, 65535), nil)
	mustPanic(t, "65536-byte message with L=2", func() {
		c.Seal(nil, make([]byte, 13), make([]byte, 65536), nil)
	})
	buf := make([]byte, 64)
	mustPanic(t, "inexact overlap", func() { c.Seal(buf[1:1], make([]byte, 13), buf[:32], nil) })
}

func TestOpenRejectsMalformedInput(t *testing.T) {
	c := mustNew(t, make([]byte, 16), 8, 13)
	nonce := make([]byte, 13)
	sealed := c.Seal(nil, nonce, []byte("x"), nil)
	if _, err := c.Open(nil, nonce[:12], sealed, nil); err == nil {
		t.Error("short nonce accepted")
	}
	for n := 0; n < 8; n++ {
		if _, err := c.Open(nil, nonce, make([]byte, n), nil); err == nil {
			t.Errorf("%d-byte ciphertext accepted", n)
		}
	}
	// An empty message still has a valid 8-byte tag.
	if pt, err := c.Open(nil, nonce, c.Seal(nil, nonce, nil, nil), nil); err != nil || len(pt) != 0 {
		t.Errorf("empty message: %x, %v", pt, err)
	}
	if _, err := c.Open(nil, nonce, make([]byte, 65536+8), nil); err == nil {
		t.Error("ciphertext longer than L=2 allows accepted")
	}
}

func FuzzOpen(f *testing.F) {
	for _, v := range rfc3610Vectors[:3] {
		_, out := v.packets()
		f.Add(unhex(v.nonce), out[v.hdr:], out[:v.hdr])
	}
	f.Add([]byte{}, []byte{}, []byte{})
	c := mustNew(f, unhex(keyA), 8, 13)
	f.Fuzz(func(t *testing.T, nonce, ciphertext, aad []byte) {
		pt, err := c.Open(nil, nonce, ciphertext, aad)
		if err != nil {
			if pt != nil {
				t.Fatal("error with non-nil plaintext")
			}
			return
		}
		// Only a genuine record can open; sealing it again must reproduce it.
		if again := c.Seal(nil, nonce, pt, aad); !bytes.Equal(again, ciphertext) {
			t.Fatalf("opened %x but it seals to %x", ciphertext, again)
		}
	})
}

// The benchmarks run the general path (a cipher.Block from crypto/aes) and,
// as Fast*, the AES-NI path InitKey chooses where it can.
func benchmarkSeal(b *testing.B, c *CCM, n int) {
	nonce, aad := make([]byte, 12), make([]byte, 13)
	buf := make([]byte, n+8)
	b.ReportAllocs()
	b.SetBytes(int64(n))
	for b.Loop() {
		c.Seal(buf[:0], nonce, buf[:n], aad)
	}
}

func benchmarkOpen(b *testing.B, c *CCM, n int) {
	nonce, aad := make([]byte, 12), make([]byte, 13)
	sealed := c.Seal(nil, nonce, make([]byte, n), aad)
	buf := make([]byte, len(sealed))
	b.ReportAllocs()
	b.SetBytes(int64(n))
	for b.Loop() {
		if _, err := c.Open(buf[:0], nonce, sealed, aad); err != nil {
			b.Fatal(err)
		}
	}
}

func generalCCM(b *testing.B) *CCM { return mustNew(b, make([]byte, 16), 8, 12) }
func fastCCM(b *testing.B) *CCM    { return mustNewKey(b, make([]byte, 16), 8, 12) }

func BenchmarkSeal64(b *testing.B)     { benchmarkSeal(b, generalCCM(b), 64) }
func BenchmarkOpen64(b *testing.B)     { benchmarkOpen(b, generalCCM(b), 64) }
func BenchmarkSeal1K(b *testing.B)     { benchmarkSeal(b, generalCCM(b), 1024) }
func BenchmarkOpen1K(b *testing.B)     { benchmarkOpen(b, generalCCM(b), 1024) }
func BenchmarkFastSeal64(b *testing.B) { benchmarkSeal(b, fastCCM(b), 64) }
func BenchmarkFastOpen64(b *testing.B) { benchmarkOpen(b, fastCCM(b), 64) }
func BenchmarkFastSeal1K(b *testing.B) { benchmarkSeal(b, fastCCM(b), 1024) }
func BenchmarkFastOpen1K(b *testing.B) { benchmarkOpen(b, fastCCM(b), 1024) }
