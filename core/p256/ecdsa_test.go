// SPDX-License-Identifier: BSD-3-Clause

package p256

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"io"
	"math/big"
	mrand "math/rand/v2"
	"testing"
	"testing/cryptotest"
)

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// RFC 6979 §A.2.5, P-256.
var (
	rfcD  = unhex("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721")
	rfcUx = unhex("60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6")
	rfcUy = unhex("7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299")
)

var rfcVectors = []struct {
	name    string
	newHash func() hash.Hash
	msg     string
	k, r, s string
}{
	{"SHA-1 sample", sha1.New, "sample",
		"882905F1227FD620FBF2ABF21244F0BA83D0DC3A9103DBBEE43A1FB858109DB4",
		"61340C88C3AAEBEB4F6D667F672CA9759A6CCAA9FA8811313039EE4A35471D32",
		"6D7F147DAC089441BB2E2FE8F7A3FA264B9C475098FDCF6E00D7C996E1B8B7EB"},
	{"SHA-224 sample", sha256.New224, "sample",
		"103F90EE9DC52E5E7FB5132B7033C63066D194321491862059967C715985D473",
		"53B2FFF5D1752B2C689DF257C04C40A587FABABB3F6FC2702F1343AF7CA9AA3F",
		"B9AFB64FDC03DC1A131C7D2386D11E349F070AA432A4ACC918BEA988BF75C74C"},
	{"SHA-256 sample", sha256.New, "sample",
		"A6E3C57DD01ABE90086538398355DD4C3B17AA873382B0F24D6129493D8AAD60",
		"EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
		"F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"},
	{"SHA-384 sample", sha512.New384, "sample",
		"09F634B188CEFD98E7EC88B1AA9852D734D0BC272F7D2A47DECC6EBEB375AAD4",
		"0EAFEA039B20E9B42309FB1D89E213057CBF973DC0CFC8F129EDDDC800EF7719",
		"4861F0491E6998B9455193E34E7B0D284DDD7149A74B95B9261F13ABDE940954"},
	{"SHA-512 sample", sha512.New, "sample",
		"5FA81C63109BADB88C1F367B47DA606DA28CAD69AA22C4FE6AD7DF73A7173AA5",
		"8496A60B5E9B47C825488827E0495B0E3FA109EC4568FD3F8D1097678EB97F00",
		"2362AB1ADBE2B8ADF9CB9EDAB740EA6049C028114F2460F96554F61FAE3302FE"},
	{"SHA-1 test", sha1.New, "test",
		"8C9520267C55D6B980DF741E56B4ADEE114D84FBFA2E62137954164028632A2E",
		"0CBCC86FD6ABD1D99E703E1EC50069EE5C0B4BA4B9AC60E409E8EC5910D81A89",
		"01B9D7B73DFAA60D5651EC4591A0136F87653E0FD780C3B1BC872FFDEAE479B1"},
	{"SHA-224 test", sha256.New224, "test",
		"669F4426F2688B8BE0DB3A6BD1989BDAEFFF84B649EEB84F3DD26080F667FAA7",
		"C37EDB6F0AE79D47C3C27E962FA269BB4F441770357E114EE511F662EC34A692",
		"C820053A05791E521FCAAD6042D40AEA1D6B1A540138558F47D0719800E18F2D"},
	{"SHA-256 test", sha256.New, "test",
		"D16B6AE827F17175E040871A1C7EC3500192C4C92677336EC2537ACAEE0008E0",
		"F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
		"019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083"},
	{"SHA-384 test", sha512.New384, "test",
		"16AEFFA357260B04B1DD199693960740066C1A8F3E8EDD79070AA914D361B3B8",
		"83910E8B48BB0C74244EBDF7F07A1C5413D61472BD941EF3920E623FBCCEBEB6",
		"8DDBEC54CF8CD5874883841D712142A56A8D0F218F5003CB0296B6B509619F2C"},
	{"SHA-512 test", sha512.New, "test",
		"6915D11632ACA3C40D5D51C08DAF9C555933819548784480E93499000D9F0B7F",
		"461D93F31B6540894788FD206C07CFA0CC35F46FA3C91816FFF1040AD1581A04",
		"39AF9F15DE0DB8D97E72719C74820D304CE5226E32DEDAE67519E840D1194E55"},
	// Not in the RFC: crypto/ecdsa's vector whose first candidate k is >= n,
	// so that generation loops (checked there against three other
	// implementations).
	{"SHA-256 loop", sha256.New, "wv[vnX", "",
		"EFD9073B652E76DA1B5A019C0E4A2E3FA529B035A6ABB91EF67F0ED7A1F21234",
		"3DB4706C9D9F4A4FE13BB5E08EF0FAB53A57DBAB2061C83A35FA411C68D2BA33"},
}

// signRFC6979 is Sign without rand, with the HMAC hash of the vector (RFC
// 6979 uses the message's hash; Sign always uses SHA-256).
func signRFC6979(t *testing.T, priv *PrivateKey, newHash func() hash.Hash, digest []byte) (r, s [32]byte) {
	var e Scalar
	e.setDigest(digest)
	h1 := e.Bytes()
	r, s, err := sign(priv, &e, newDRBG(newHash, false, priv.enc[:], h1[:]))
	if err != nil {
		t.Fatal(err)
	}
	return r, s
}

func TestRFC6979(t *testing.T) {
	priv, err := NewPrivateKey(rfcD)
	if err != nil {
		t.Fatal(err)
	}
	pub := priv.PublicKey()
	if !bytes.Equal(pub.X(), rfcUx) || !bytes.Equal(pub.Y(), rfcUy) {
		t.Fatalf("public key (%x, %x)", pub.X(), pub.Y())
	}
	for _, v := range rfcVectors {
		h := v.newHash()
		h.Write([]byte(v.msg))
		digest := h.Sum(nil)
		r, s := signRFC6979(t, priv, v.newHash, digest)
		if !bytes.Equal(r[:], unhex(v.r)) || !bytes.Equal(s[:], unhex(v.s)) {
			t.Errorf("%s:\n r = %x\n s = %x", v.name, r, s)
		}
		if v.k != "" {
			var e Scalar
			e.setDigest(digest)
			h1 := e.Bytes()
			var k [32]byte
			newDRBG(v.newHash, false, rfcD, h1[:]).generate(k[:])
			if !bytes.Equal(k[:], unhex(v.k)) {
				t.Errorf("%s: k = %x", v.name, k)
			}
		}
		if !Verify(pub, digest, r[:], s[:]) {
			t.Errorf("%s: does not verify", v.name)
		}
		if v.newHash().Size() == 32 {
			// Sign without rand is this with SHA-256.
			r2, s2, err := Sign(priv, digest, nil)
			if err != nil || r2 != r || s2 != s {
				t.Errorf("%s: Sign(nil) = %x, %x, %v", v.name, r2, s2, err)
			}
		}
	}
}

// TestHedgedMatchesCryptoECDSA: with the same randomness, SignASN1 gives
// crypto/ecdsa's signature byte for byte, for digests of every length.
func TestHedgedMatchesCryptoECDSA(t *testing.T) {
	rng := mrand.New(mrand.NewPCG(5, 6))
	for i := 0; i < 40; i++ {
		goKey, priv := randomKey(t, rng)
		digest := randomBytes(rng, []int{0, 1, 20, 28, 31, 32, 33, 48, 64, 100}[i%10])
		cryptotest.SetGlobalRandom(t, uint64(i))
		want, err := ecdsa.SignASN1(rand.Reader, goKey, digest)
		if err != nil {
			t.Fatal(err)
		}
		cryptotest.SetGlobalRandom(t, uint64(i))
		got, err := SignASN1(priv, digest, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("digest %x:\n got %x\nwant %x", digest, got, want)
		}
	}
}

func randomBytes(rng *mrand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// randomKey returns the same random key as crypto/ecdsa's and ours.
func randomKey(t testing.TB, rng *mrand.Rand) (*ecdsa.PrivateKey, *PrivateKey) {
	for {
		d := randomBytes(rng, 32)
		goKey, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), d)
		if err != nil {
			continue
		}
		priv, err := NewPrivateKey(d)
		if err != nil {
			t.Fatal(err)
		}
		return goKey, priv
	}
}

func goPublic(t testing.TB, k *ecdsa.PublicKey) *PublicKey {
	pub, err := NewPublicKey(k.X.FillBytes(make([]byte, 32)), k.Y.FillBytes(make([]byte, 32)))
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

func TestCrossVerify(t *testing.T) {
	rng := mrand.New(mrand.NewPCG(7, 8))
	for i := 0; i < 300; i++ {
		goKey, priv := randomKey(t, rng)
		pub := goPublic(t, &goKey.PublicKey)
		if got := priv.PublicKey(); !bytes.Equal(got.Bytes(), pub.Bytes()) {
			t.Fatal("PublicKey differs from crypto/ecdsa's")
		}
		digest := randomBytes(rng, rng.IntN(80))
		var rr io.Reader = rand.Reader
		if i%2 == 0 {
			rr = nil
		}
		// Ours, checked by crypto/ecdsa.
		sig, err := SignASN1(priv, digest, rr)
		if err != nil {
			t.Fatal(err)
		}
		if !ecdsa.VerifyASN1(&goKey.PublicKey, digest, sig) {
			t.Fatalf("crypto/ecdsa rejects our signature %x", sig)
		}
		if !VerifyASN1(pub, digest, sig) {
			t.Fatalf("we reject our signature %x", sig)
		}
		// crypto/ecdsa's, checked by us.
		goSig, err := ecdsa.SignASN1(rand.Reader, goKey, digest)
		if err != nil {
			t.Fatal(err)
		}
		if !VerifyASN1(pub, digest, goSig) {
			t.Fatalf("we reject crypto/ecdsa's signature %x", goSig)
		}
		// A flipped bit anywhere in the signature or the digest fails in both.
		bad := bytes.Clone(goSig)
		bad[rng.IntN(len(bad))] ^= 1 << rng.IntN(8)
		if VerifyASN1(pub, digest, bad) != ecdsa.VerifyASN1(&goKey.PublicKey, digest, bad) {
			t.Fatalf("disagree on %x", bad)
		}
		if len(digest) > 0 {
			badDigest := bytes.Clone(digest)
			j := rng.IntN(min(len(badDigest), 32))
			badDigest[j] ^= 1 << rng.IntN(8)
			if VerifyASN1(pub, badDigest, goSig) {
				t.Fatalf("accepted a changed digest")
			}
		}
	}
}

// edgeSignature returns a valid signature (r, s) for digest e (as a
// number) made with nonce k, computed with math/big.
func edgeSignature(d, k, e *big.Int) (r, s *big.Int) {
	x, _ := elliptic.P256().ScalarBaseMult(k.FillBytes(make([]byte, 32)))
	r = new(big.Int).Mod(x, bigN)
	s = new(big.Int).Mul(r, d)
	s.Add(s, e).Mul(s, new(big.Int).ModInverse(k, bigN)).Mod(s, bigN)
	return r, s
}

func TestVerifyEdgeCases(t *testing.T) {
	d := new(big.Int).SetBytes(rfcD)
	goKey, _ := ecdsa.ParseRawPrivateKey(elliptic.P256(), rfcD)
	pub := goPublic(t, &goKey.PublicKey)
	k := big.NewInt(123456789)
	nm1 := new(big.Int).Sub(bigN, big.NewInt(1))
	check := func(name string, e, r, s *big.Int, want bool) {
		t.Helper()
		digest := e.FillBytes(make([]byte, 32))
		if !ecdsa.Verify(&goKey.PublicKey, digest, r, s) == want {
			t.Fatalf("%s: crypto/ecdsa says %v", name, !want)
		}
		if Verify(pub, digest, r.Bytes(), s.Bytes()) != want {
			t.Errorf("%s: Verify != %v", name, want)
		}
	}
	// e = 0: u1 = 0, u1·G is the point at infinity.
	r, s := edgeSignature(d, k, new(big.Int))
	check("e = 0", new(big.Int), r, s, true)
	// e = r·d: (e/r)·G = Q, the addition is a doubling.
	r, _ = edgeSignature(d, k, new(big.Int))
	e := new(big.Int).Mul(r, d)
	e.Mod(e, bigN)
	r, s = edgeSignature(d, k, e)
	check("e = rd", e, r, s, true)
	// e = -r·d: (e/r)·G = -Q, and u1·G + u2·Q is the point at infinity
	// for every s.
	e.Neg(e).Mod(e, bigN)
	check("e = -rd", e, r, big.NewInt(1), false)
	check("e = -rd, s = n-1", e, r, nm1, false)
	// u2 = n-1: s = -r, which e = -r(k + d) makes a valid signature.
	e = new(big.Int).Add(k, d)
	e.Mul(e, r).Neg(e).Mod(e, bigN)
	r2, s2 := edgeSignature(d, k, e)
	if new(big.Int).Add(r2, s2).Cmp(bigN) != 0 {
		t.Fatal("s != -r")
	}
	check("u2 = n-1", e, r2, s2, true)
	// u1 = n-1 and friends: e = n-1.
	r, s = edgeSignature(d, k, nm1)
	check("e = n-1", nm1, r, s, true)
	// Out of range r and s.
	r, s = edgeSignature(d, k, big.NewInt(42))
	check("valid", big.NewInt(42), r, s, true)
	for _, c := range []struct {
		name string
		r, s *big.Int
	}{
		{"r = 0", new(big.Int), s}, {"s = 0", r, new(big.Int)},
		{"r = n", bigN, s}, {"s = n", r, bigN},
		{"r + n", new(big.Int).Add(r, bigN), s}, {"s + n", r, new(big.Int).Add(s, bigN)},
		{"r = 2^256-1", new(big.Int).Sub(bigR, big.NewInt(1)), s},
		{"r + 1", new(big.Int).Add(r, big.NewInt(1)), s},
		{"s + 1", r, new(big.Int).Add(s, big.NewInt(1))},
	} {
		check(c.name, big.NewInt(42), c.r, c.s, false)
	}
	// Leading zero bytes in r and s are harmless; 33 significant bytes are not.
	digest := big.NewInt(42).FillBytes(make([]byte, 32))
	if !Verify(pub, digest, append(make([]byte, 5), r.Bytes()...), append([]byte{0}, s.Bytes()...)) {
		t.Error("leading zeros rejected")
	}
	// -Q: the signature is valid for Q only.
	negY := new(big.Int).Sub(bigP, goKey.Y)
	negQ, err := NewPublicKey(goKey.X.FillBytes(make([]byte, 32)), negY.FillBytes(make([]byte, 32)))
	if err != nil {
		t.Fatal(err)
	}
	// With e = 0 though, u1·G + u2·(-Q) = -(u2·Q) has the same x: ECDSA
	// itself (and crypto/ecdsa) accepts it for both.
	for _, e := range []*big.Int{big.NewInt(42), nm1, new(big.Int)} {
		r, s := edgeSignature(d, k, e)
		want := e.Sign() == 0
		negGo := &ecdsa.PublicKey{Curve: elliptic.P256(), X: goKey.X, Y: negY}
		if ecdsa.Verify(negGo, e.FillBytes(make([]byte, 32)), r, s) != want {
			t.Fatalf("e = %x: crypto/ecdsa under -Q says %v", e, !want)
		}
		if Verify(negQ, e.FillBytes(make([]byte, 32)), r.Bytes(), s.Bytes()) != want {
			t.Errorf("e = %x: under -Q Verify != %v", e, want)
		}
		// (r, n-s) is valid for Q as well (ECDSA's malleability; DTLS does
		// not forbid it), and crypto/ecdsa takes it too.
		sNeg := new(big.Int).Sub(bigN, s)
		if !Verify(pub, e.FillBytes(make([]byte, 32)), r.Bytes(), sNeg.Bytes()) {
			t.Errorf("e = %x: (r, n-s) rejected", e)
		}
	}
	// Another key.
	other, _ := ecdsa.ParseRawPrivateKey(elliptic.P256(), bytes.Repeat([]byte{7}, 32))
	if Verify(goPublic(t, &other.PublicKey), digest, r.Bytes(), s.Bytes()) {
		t.Error("verifies under another key")
	}
}

func TestNewPublicKeyRejects(t *testing.T) {
	x, y := bytes.Clone(rfcUx), bytes.Clone(rfcUy)
	if _, err := NewPublicKey(x, y); err != nil {
		t.Fatal(err)
	}
	pBytes := bigP.FillBytes(make([]byte, 32))
	offY := bytes.Clone(y)
	offY[31] ^= 1
	for _, c := range []struct {
		name string
		x, y []byte
	}{
		{"off the curve", x, offY},
		{"identity as (0, 0)", make([]byte, 32), make([]byte, 32)},
		{"x = p", pBytes, y},
		{"short x", x[1:], y},
		{"long y", x, append([]byte{0}, y...)},
	} {
		if _, err := NewPublicKey(c.x, c.y); err == nil {
			t.Errorf("%s: accepted", c.name)
		}
	}
	// Points with a small x: we agree with crypto/ecdsa, and x + p (below
	// 2^256, and the same point mod p) is refused as not canonical.
	found := 0
	for i := 0; i < 64; i++ {
		px := big.NewInt(int64(i)).FillBytes(make([]byte, 32))
		rhs := new(big.Int).SetInt64(int64(i))
		rhs.Exp(rhs, big.NewInt(3), bigP).Sub(rhs, big.NewInt(int64(3*i))).Add(rhs, bigB).Mod(rhs, bigP)
		py := new(big.Int).ModSqrt(rhs, bigP)
		if py == nil {
			continue
		}
		_, errGo := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, px...), py.FillBytes(make([]byte, 32))...))
		_, err := NewPublicKey(px, py.FillBytes(make([]byte, 32)))
		if err != nil || errGo != nil {
			t.Errorf("x = %d: %v, crypto/ecdsa %v", i, err, errGo)
		}
		found++
		xp := new(big.Int).Add(big.NewInt(int64(i)), bigP)
		if _, err := NewPublicKey(xp.FillBytes(make([]byte, 32)), py.FillBytes(make([]byte, 32))); err == nil {
			t.Errorf("x = %d + p accepted", i)
		}
	}
	if found == 0 {
		t.Fatal("no point with a small x")
	}
}

func TestNewPrivateKey(t *testing.T) {
	nm1 := new(big.Int).Sub(bigN, big.NewInt(1))
	for _, c := range []struct {
		d  []byte
		ok bool
	}{
		{big.NewInt(1).FillBytes(make([]byte, 32)), true},
		{nm1.FillBytes(make([]byte, 32)), true},
		{make([]byte, 32), false},
		{bigN.FillBytes(make([]byte, 32)), false},
		{bytes.Repeat([]byte{0xff}, 32), false},
		{rfcD[1:], false},
		{append([]byte{0}, rfcD...), false},
	} {
		if _, err := NewPrivateKey(c.d); (err == nil) != c.ok {
			t.Errorf("NewPrivateKey(%x): %v", c.d, err)
		}
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errFail }

var errFail = bytes.ErrTooLarge

func TestSignRandomFailure(t *testing.T) {
	priv, _ := NewPrivateKey(rfcD)
	if _, _, err := Sign(priv, make([]byte, 32), failingReader{}); err == nil {
		t.Fatal("signed without randomness")
	}
}

// TestSignDigestLengths: bits2int truncates longer digests to their first
// 32 bytes and takes shorter ones as numbers, as crypto/ecdsa does.
func TestSignDigestLengths(t *testing.T) {
	goKey, _ := ecdsa.ParseRawPrivateKey(elliptic.P256(), rfcD)
	priv, _ := NewPrivateKey(rfcD)
	long := sha512.Sum512([]byte("sample"))
	r, s, err := Sign(priv, long[:], nil)
	if err != nil {
		t.Fatal(err)
	}
	if !ecdsa.Verify(&goKey.PublicKey, long[:], new(big.Int).SetBytes(r[:]), new(big.Int).SetBytes(s[:])) {
		t.Fatal("64-byte digest")
	}
	// Truncation: the first 32 bytes sign the same.
	if !Verify(priv.PublicKey(), long[:32], r[:], s[:]) {
		t.Fatal("64-byte digest is not its first 32 bytes")
	}
	short := []byte{1, 2, 3}
	r, s, _ = Sign(priv, short, nil)
	if !ecdsa.Verify(&goKey.PublicKey, short, new(big.Int).SetBytes(r[:]), new(big.Int).SetBytes(s[:])) {
		t.Fatal("3-byte digest")
	}
	if !Verify(priv.PublicKey(), append(make([]byte, 29), short...), r[:], s[:]) {
		t.Fatal("a short digest is not the number it spells")
	}
	// crypto/ecdsa's deterministic signing agrees for a SHA-384 digest
	// with HMAC-SHA384, i.e. RFC 6979 as written.
	d384 := sha512.Sum384([]byte("anything"))
	goSig, err := goKey.Sign(nil, d384[:], crypto.SHA384)
	if err != nil {
		t.Fatal(err)
	}
	r, s = signRFC6979(t, priv, sha512.New384, d384[:])
	if !bytes.Equal(goSig, MarshalSignature(r[:], s[:])) {
		t.Fatal("SHA-384 deterministic signature differs from crypto/ecdsa's")
	}
}
