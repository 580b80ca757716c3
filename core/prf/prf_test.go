// SPDX-License-Identifier: BSD-3-Clause

package prf

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"testing"
)

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// referencePHash is RFC 5246 §5 written out with explicit concatenation,
// independent of the streaming implementation under test.
func referencePHash(newHash func() hash.Hash, secret, seed []byte, n int) []byte {
	mac := func(data []byte) []byte {
		m := hmac.New(newHash, secret)
		m.Write(data)
		return m.Sum(nil)
	}
	var out []byte
	a := seed
	for len(out) < n {
		a = mac(a)
		out = append(out, mac(append(append([]byte{}, a...), seed...))...)
	}
	return out[:n]
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// The SHA-256 PRF vector posted to the IETF TLS list and used by upstream's
// tests/unit-tests/test_prf.c.
var (
	tlsListSecret = unhex("9bbe436ba940f017b17652849a71db35")
	tlsListSeed   = unhex("a0ba9f936cda311827a6f796ffd5198c")
	tlsListOut    = unhex("e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a" +
		"6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab" +
		"4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701" +
		"87347b66")
)

func TestPRFKnownAnswer(t *testing.T) {
	out := make([]byte, 100)
	PRF(tlsListSecret, []byte("test label"), tlsListSeed, nil, out)
	if !bytes.Equal(out, tlsListOut) {
		t.Fatalf("PRF:\n got %x\nwant %x", out, tlsListOut)
	}
	// The seed may be split anywhere between seed1 and seed2.
	for i := 0; i <= len(tlsListSeed); i++ {
		clear(out)
		PRF(tlsListSecret, []byte("test label"), tlsListSeed[:i], tlsListSeed[i:], out)
		if !bytes.Equal(out, tlsListOut) {
			t.Fatalf("split at %d: got %x", i, out)
		}
	}
	// A shorter output is a prefix of the longer one.
	for _, n := range []int{1, 12, 31, 32, 33, 48, 64, 99} {
		out := make([]byte, n)
		PRF(tlsListSecret, []byte("test label"), tlsListSeed, nil, out)
		if !bytes.Equal(out, tlsListOut[:n]) {
			t.Fatalf("%d bytes: got %x", n, out)
		}
	}
}

// Edge cases with known answers from upstream's test_prf.c: a non-ASCII
// label, a one-byte secret with no label, an output shorter than a block,
// an empty secret, and everything empty.
func TestPHashEdgeCases(t *testing.T) {
	random80 := unhex("75fc299764382e1b91e0287d6aac6698253f08f4066632189f37b9efd101ace2" +
		"0a3bda579c77c7a2864d62aaf3f1fcd01562c4936e0b0903abc28f0abb5fbb89" +
		"45c350b56e65d5805db85eb23034ee17")
	r1, r2 := random80[:32], random80[32:]
	for _, tc := range []struct {
		name                        string
		secret, label, seed1, seed2 []byte
		want                        string
	}{
		{"label with punctuation", []byte("secret"), []byte("!? some label, 123"), []byte("random"), nil,
			"d02df7999ae4ed36b1ba07819e5da8b0be1319e79046e5ea05a3ecfffcd959a4" +
				"1a3148dae3841f8169d801d9441cd9ed83f78a4fa35c4a764d489032"},
		{"empty label, 99 bytes", []byte{0}, nil, random80, nil,
			"4cd2efad3e9228eeb1b246bb3a80f019de4efdbc8b2a36f4b1975fc994b0c968" +
				"4ffa4f09369a898fa4c1d55c488ad2f99523f42a9854a2b468ab52b769112efb" +
				"8107f8b0786f5318600cc0a30d228aa0908c403f4fab953da531218ac34ba98b" +
				"ba12d0"},
		{"three bytes", []byte{0, 1, 2, 3}, []byte("label"), r1, r2, "f1b085"},
		{"empty secret", nil, []byte("label"), r1, r2,
			"dce10a7da0a87c8cc61e33f6a961967a1c22b6bc62e4b0195b982eb5d82aa22e9cce79"},
		{"everything empty", nil, nil, nil, nil,
			"a6f991ab2b5f9ee8063c115ab7b4009b0f3bcb8f1090e1afc4a3ff202e82ed00"},
	} {
		want := unhex(tc.want)
		got := make([]byte, len(want))
		PHash(sha256.New, tc.secret, tc.label, tc.seed1, tc.seed2, got)
		if !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %x\nwant %x", tc.name, got, want)
		}
		ref := referencePHash(sha256.New, tc.secret, cat(tc.label, tc.seed1, tc.seed2), len(want))
		if !bytes.Equal(ref, want) {
			t.Errorf("%s: the reference model disagrees with the known answer", tc.name)
		}
	}
}

func TestPHashAgainstReference(t *testing.T) {
	secret := []byte("a secret longer than the sixty-four byte HMAC block size of SHA-256, to be hashed first")
	for _, newHash := range []func() hash.Hash{sha256.New, sha1.New, sha512.New384} {
		for _, n := range []int{0, 1, 19, 20, 21, 47, 48, 49, 64, 100, 129, 300} {
			got := make([]byte, n)
			PHash(newHash, secret, []byte("label"), []byte("seed one"), []byte("seed two"), got)
			want := referencePHash(newHash, secret, []byte("labelseed oneseed two"), n)
			if !bytes.Equal(got, want) {
				t.Fatalf("size %d, %d bytes: got %x want %x", newHash().Size(), n, got, want)
			}
		}
	}
}

// Known answers for the key schedule were computed with Python's hmac and
// hashlib from the inputs below; the reference model checks them again.
var (
	testPreMaster    = seq(1, 48)
	testClientRandom = func() []byte {
		b := make([]byte, 32)
		for i := range b {
			b[i] = 0xA0 + byte(i%16)
		}
		return b
	}()
	testServerRandom = seq(0x50, 32)
	testSessionHash  = unhex("6e1b983f2338a681fec9331551f24072641b2c011c693e3410cd95da2d6b5458")
)

func seq(start byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = start + byte(i)
	}
	return b
}

func TestMasterSecret(t *testing.T) {
	want := unhex("bf0244411fe0089b9aec0dd6a75ed4145bad13287213c020bda9c38f702d750ed22cb39fff9c25e20f0d94245a845d0b")
	ms := MasterSecret(testPreMaster, testClientRandom, testServerRandom)
	if !bytes.Equal(ms[:], want) {
		t.Fatalf("MasterSecret = %x", ms)
	}
	ref := referencePHash(sha256.New, testPreMaster, cat([]byte("master secret"), testClientRandom, testServerRandom), 48)
	if !bytes.Equal(ref, want) {
		t.Fatal("reference model disagrees")
	}
	// Swapping the randoms must change the result.
	if swapped := MasterSecret(testPreMaster, testServerRandom, testClientRandom); swapped == ms {
		t.Fatal("randoms are not order sensitive")
	}
}

func TestExtendedMasterSecret(t *testing.T) {
	want := unhex("9e202bc9fa006ec33b8263d4ab01b77f809d2674d63f4637a9767bdf8074dd2f8a164b24f2964d4825829a0eddb6c413")
	ems := ExtendedMasterSecret(testPreMaster, testSessionHash)
	if !bytes.Equal(ems[:], want) {
		t.Fatalf("ExtendedMasterSecret = %x", ems)
	}
	ref := referencePHash(sha256.New, testPreMaster, cat([]byte("extended master secret"), testSessionHash), 48)
	if !bytes.Equal(ref, want) {
		t.Fatal("reference model disagrees")
	}
}

func TestKeyBlock(t *testing.T) {
	ms := MasterSecret(testPreMaster, testClientRandom, testServerRandom)
	want := unhex("d97a794b5efd11f94d4f618452de28aff83a9ebeb90596e5ea4a3de0e0ef7071eddbc99ca3dc32a7")
	kb := make([]byte, 40)
	KeyBlock(ms[:], testServerRandom, testClientRandom, kb)
	if !bytes.Equal(kb, want) {
		t.Fatalf("KeyBlock = %x", kb)
	}
	ref := referencePHash(sha256.New, ms[:], cat([]byte("key expansion"), testServerRandom, testClientRandom), 40)
	if !bytes.Equal(ref, want) {
		t.Fatal("reference model disagrees")
	}
}

func TestVerifyData(t *testing.T) {
	ms := MasterSecret(testPreMaster, testClientRandom, testServerRandom)
	for _, tc := range []struct{ label, want string }{
		{LabelClientFinished, "f9f7d6fd80ab5121073e487b"},
		{LabelServerFinished, "cccef26b0054e21b96c6110b"},
	} {
		vd := VerifyData(ms[:], tc.label, testSessionHash)
		if !bytes.Equal(vd[:], unhex(tc.want)) {
			t.Errorf("%s: %x", tc.label, vd)
		}
		ref := referencePHash(sha256.New, ms[:], cat([]byte(tc.label), testSessionHash), 12)
		if !bytes.Equal(ref, unhex(tc.want)) {
			t.Errorf("%s: reference model disagrees", tc.label)
		}
	}
}

func TestPSKPreMasterSecret(t *testing.T) {
	for _, tc := range []struct {
		psk  []byte
		want string
	}{
		{nil, "00000000"},
		{[]byte("abc"), "0003" + "000000" + "0003" + "616263"},
		{[]byte{0xFF}, "0001" + "00" + "0001" + "ff"},
	} {
		got := PSKPreMasterSecret(tc.psk)
		if !bytes.Equal(got, unhex(tc.want)) {
			t.Errorf("PSKPreMasterSecret(%x) = %x, want %s", tc.psk, got, tc.want)
		}
	}
	psk := bytes.Repeat([]byte{0x5A}, 300)
	got := PSKPreMasterSecret(psk)
	if len(got) != 604 || got[0] != 0x01 || got[1] != 0x2C || got[302] != 0x01 || got[303] != 0x2C ||
		!bytes.Equal(got[2:302], make([]byte, 300)) || !bytes.Equal(got[304:], psk) {
		t.Errorf("300-byte key laid out wrongly")
	}
	if PSKPreMasterSecret(make([]byte, 0x10000)) != nil {
		t.Error("key longer than 65535 bytes accepted")
	}
}

func TestPSKPreMasterSecretInto(t *testing.T) {
	psk := []byte("key")
	buf := bytes.Repeat([]byte{0xEE}, 12)
	if n := PSKPreMasterSecretInto(psk, buf[:9]); n != -1 {
		t.Errorf("9-byte buffer: %d, want -1", n)
	}
	if !bytes.Equal(buf, bytes.Repeat([]byte{0xEE}, 12)) {
		t.Error("buffer written although too small")
	}
	if n := PSKPreMasterSecretInto(psk, buf); n != 10 {
		t.Fatalf("returned %d, want 10", n)
	}
	if want := unhex("000300000000036b6579eeee"); !bytes.Equal(buf, want) {
		t.Errorf("buffer %x, want %x", buf, want)
	}
}

func BenchmarkPRF48(b *testing.B) {
	out := make([]byte, 48)
	b.ReportAllocs()
	for b.Loop() {
		PRF(testPreMaster, []byte(LabelMasterSecret), testClientRandom, testServerRandom, out)
	}
}
