// SPDX-License-Identifier: BSD-3-Clause

package ccm

import (
	"bytes"
	"crypto/aes"
	"math/rand"
	"testing"
)

// The AES-NI fast path must agree with the general one for every tag size,
// nonce size, message and additional-data length, in place or not.
func TestFastPathMatchesGeneral(t *testing.T) {
	if !fastAES {
		t.Skip("no AES-NI on this machine: only the general path exists")
	}
	rng := rand.New(rand.NewSource(1))
	key := make([]byte, 16)
	for iter := 0; iter < 3000; iter++ {
		rng.Read(key)
		tag := 4 + 2*rng.Intn(7)
		nsize := 7 + rng.Intn(7)
		fast := new(CCM)
		if err := InitKey(fast, key, tag, nsize); err != nil || !fast.fast {
			t.Fatalf("InitKey: %v fast=%v", err, fast.fast)
		}
		b, _ := aes.NewCipher(key)
		gen, _ := New(b, tag, nsize)
		plen := rng.Intn(300)
		if iter%50 == 0 {
			plen = rng.Intn(5000)
		}
		alen := rng.Intn(60)
		if iter%10 == 0 {
			alen = rng.Intn(400) // past the stack buffer
		}
		if uint64(plen) > gen.maxLen {
			plen = int(gen.maxLen)
		}
		nonce, pt, ad := make([]byte, nsize), make([]byte, plen), make([]byte, alen)
		rng.Read(nonce)
		rng.Read(pt)
		rng.Read(ad)
		want := gen.Seal(nil, nonce, pt, ad)
		got := fast.Seal(nil, nonce, pt, ad)
		if !bytes.Equal(got, want) {
			t.Fatalf("iter %d (tag %d nonce %d len %d aad %d): fast path sealed differently", iter, tag, nsize, plen, alen)
		}
		inplace := append(make([]byte, 0, plen+tag), pt...)
		inplace = fast.Seal(inplace[:0], nonce, inplace, ad)
		if !bytes.Equal(inplace, want) {
			t.Fatalf("iter %d: in-place seal differs", iter)
		}
		back, err := fast.Open(inplace[:0], nonce, inplace, ad)
		if err != nil || !bytes.Equal(back, pt) {
			t.Fatalf("iter %d: fast Open failed: %v", iter, err)
		}
		if len(want) > 0 {
			bad := append([]byte(nil), want...)
			bad[rng.Intn(len(bad))] ^= 1 << uint(rng.Intn(8))
			if _, err := fast.Open(nil, nonce, bad, ad); err == nil {
				t.Fatalf("iter %d: fast Open accepted a modified message", iter)
			}
		}
	}
}

func TestFastPathNoAllocation(t *testing.T) {
	if !fastAES {
		t.Skip("no AES-NI")
	}
	c := mustNewKey(t, make([]byte, 16), 8, 12)
	nonce, ad := make([]byte, 12), make([]byte, 37)
	buf := make([]byte, 1024+8)
	if a := testing.AllocsPerRun(100, func() {
		out := c.Seal(buf[:0], nonce, buf[:1024], ad)
		c.Open(out[:0], nonce, out, ad)
	}); a != 0 {
		t.Fatalf("%v allocations per seal and open", a)
	}
}

func mustNewKey(t testing.TB, key []byte, tagSize, nonceSize int) *CCM {
	t.Helper()
	c := new(CCM)
	if err := InitKey(c, key, tagSize, nonceSize); err != nil {
		t.Fatal(err)
	}
	return c
}
