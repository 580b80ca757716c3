// SPDX-License-Identifier: BSD-3-Clause

package hmac

import (
	"bytes"
	stdhmac "crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"math/rand/v2"
	"testing"
)

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// RFC 4231's test cases 1, 2 (a short key), 6 (a key longer than the
// block) and 7, for SHA-256 and SHA-512.
func TestRFC4231(t *testing.T) {
	long := bytes.Repeat([]byte{0xaa}, 131)
	for _, c := range []struct {
		key, data      []byte
		sha256, sha512 string
	}{
		{bytes.Repeat([]byte{0x0b}, 20), []byte("Hi There"),
			"b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
			"87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
		{[]byte("Jefe"), []byte("what do ya want for nothing?"),
			"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
			"164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
		{long, []byte("Test Using Larger Than Block-Size Key - Hash Key First"),
			"60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
			"80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"},
		{long, []byte("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
			"9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
			"e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"},
	} {
		for _, h := range []struct {
			newHash func() hash.Hash
			want    string
		}{{sha256.New, c.sha256}, {sha512.New, c.sha512}} {
			m := New(h.newHash, c.key)
			m.Write(c.data)
			if got := m.Sum(nil); !bytes.Equal(got, unhex(h.want)) {
				t.Errorf("HMAC(%x, %q) = %x, want %s", c.key, c.data, got, h.want)
			}
		}
	}
}

// Against crypto/hmac: keys of every length around the block size, data
// written in pieces, Sum in the middle (writing goes on), Reset.
func TestAgainstCryptoHMAC(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for keyLen := 0; keyLen <= 140; keyLen++ {
		for _, newHash := range []func() hash.Hash{sha256.New, sha512.New} {
			key := make([]byte, keyLen)
			for i := range key {
				key[i] = byte(r.Uint32())
			}
			ours, std := New(newHash, key), stdhmac.New(newHash, key)
			if ours.Size() != std.Size() || ours.BlockSize() != std.BlockSize() {
				t.Fatal("Size or BlockSize differ")
			}
			for round := range 3 {
				for range r.IntN(4) {
					p := make([]byte, r.IntN(200))
					for i := range p {
						p[i] = byte(r.Uint32())
					}
					ours.Write(p)
					std.Write(p)
				}
				if a, b := ours.Sum([]byte{1}), std.Sum([]byte{1}); !bytes.Equal(a, b) {
					t.Fatalf("key %d bytes, round %d: %x, crypto/hmac %x", keyLen, round, a, b)
				}
				if round == 1 {
					ours.Reset()
					std.Reset()
				}
			}
		}
	}
}

func TestEqual(t *testing.T) {
	if !Equal([]byte{1, 2}, []byte{1, 2}) || Equal([]byte{1, 2}, []byte{1, 3}) || Equal([]byte{1}, []byte{1, 2}) {
		t.Fatal("Equal is wrong")
	}
}

// A hash that cannot save its state takes the other path, with the same
// results.
type plainHash struct{ hash.Hash }

func TestWithoutSavedState(t *testing.T) {
	newPlain := func() hash.Hash { return plainHash{sha256.New()} }
	for _, key := range [][]byte{nil, []byte("k"), bytes.Repeat([]byte{7}, 100)} {
		a, b := New(newPlain, key), stdhmac.New(sha256.New, key)
		if a.(*mac).istate != nil {
			t.Fatal("state saved for a hash without MarshalBinary")
		}
		for i := range 3 {
			a.Write([]byte{byte(i)})
			b.Write([]byte{byte(i)})
			if x, y := a.Sum(nil), b.Sum(nil); !bytes.Equal(x, y) {
				t.Fatalf("%x != %x", x, y)
			}
			a.Reset()
			b.Reset()
		}
	}
}

func TestSumAllocatesNothingWithRoom(t *testing.T) {
	m := New(sha256.New, []byte("key"))
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { m.Reset(); m.Write(buf[:0]); _ = m.Sum(buf[:0]) }); n != 0 {
		t.Fatalf("%v allocations per Reset, Write, Sum", n)
	}
}

// Rekey makes a used HMAC what New makes with the new key, for keys
// shorter than, as long as and longer than the block, after Reset and Sum
// saved and used the states of the old key; Wipe erases those states and
// the HMAC still computes the right MAC. Other hashes are not rekeyed.
func TestRekey(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, newHash := range []func() hash.Hash{sha256.New, sha512.New} {
		h := New(newHash, []byte("first key"))
		for _, n := range []int{0, 1, 20, 32, 64, 65, 128, 129, 200} {
			key := make([]byte, n)
			for i := range key {
				key[i] = byte(r.Uint32())
			}
			msg := []byte("message after a rekey")
			h.Write([]byte("something"))
			h.Reset()
			h.Write([]byte("more"))
			h.Sum(nil)
			if !Rekey(h, key) {
				t.Fatalf("Rekey refused an HMAC that New made")
			}
			want := stdhmac.New(newHash, key)
			want.Write(msg)
			h.Write(msg)
			if got := h.Sum(nil); !bytes.Equal(got, want.Sum(nil)) {
				t.Fatalf("key of %d bytes: Rekey gives %x, want %x", n, got, want.Sum(nil))
			}
			h.Reset() // saves the states of the new key
			h.Write(msg)
			first := h.Sum(nil)
			wipe(h)
			if m := h.(*mac); len(m.istate) != 0 || len(m.ostate) != 0 || m.tried {
				t.Fatalf("wipe kept the saved states")
			}
			h.Reset()
			h.Write(msg)
			if got := h.Sum(nil); !bytes.Equal(got, first) || !bytes.Equal(got, want.Sum(nil)) {
				t.Fatalf("key of %d bytes: after wipe and Reset, %x, want %x", n, got, first)
			}
		}
	}
	if Rekey(sha256.New(), []byte("k")) {
		t.Fatalf("Rekey took a hash that is not an HMAC")
	}
}

// Done keeps an HMAC-SHA256 with nothing of its key: pads and saved
// states erased. The next SHA256 reuses it, keyed right.
func TestDoneForgetsTheKey(t *testing.T) {
	h := SHA256([]byte("the first secret"))
	h.Write([]byte("a"))
	h.Reset() // saves the states
	h.Sum(nil)
	Done(h)
	m := h.(*mac)
	for _, b := range [][]byte{m.ipad, m.opad, m.istate[:cap(m.istate)], m.ostate[:cap(m.ostate)]} {
		for _, x := range b {
			if x != 0 {
				t.Fatalf("Done kept key material: %x", b)
			}
		}
	}
	g := SHA256([]byte("another secret"))
	if g != h {
		t.Fatalf("SHA256 did not reuse the HMAC Done kept")
	}
	g.Write([]byte("message"))
	want := stdhmac.New(sha256.New, []byte("another secret"))
	want.Write([]byte("message"))
	if got := g.Sum(nil); !bytes.Equal(got, want.Sum(nil)) {
		t.Fatalf("the reused HMAC computes %x, want %x", got, want.Sum(nil))
	}
	Done(g)
}
