// SPDX-License-Identifier: BSD-3-Clause

package p256

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"go/parser"
	"go/token"
	"math/big"
	mrand "math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"testing/cryptotest"
)

// crypto/ecdh and crypto/elliptic are the oracles for the multiplications.

// edgeScalars are values where a window or comb implementation could go
// wrong: the ends of the range, small values, powers of two at the
// boundaries of windows and comb teeth, long runs of zero and one bits
// (zero windows add the point at infinity; equal comb columns add the
// same entry again and again), and values whose partial sums meet.
func edgeScalars() []*big.Int {
	one := big.NewInt(1)
	nm := func(v int64) *big.Int { return new(big.Int).Sub(bigN, big.NewInt(v)) }
	pow := func(e uint) *big.Int { return new(big.Int).Lsh(one, e) }
	vals := []*big.Int{nm(1), nm(2), nm(3), nm(15), nm(16), nm(17),
		pow(255), pow(254), pow(252), pow(64), pow(128), pow(192), pow(63), pow(127), pow(191),
		new(big.Int).Sub(pow(64), one), new(big.Int).Sub(pow(128), one), new(big.Int).Sub(pow(192), one),
		new(big.Int).Sub(pow(255), one), new(big.Int).Add(pow(255), one),
		new(big.Int).Mod(new(big.Int).Sub(pow(256), one), bigN), // all ones, reduced
		new(big.Int).Rsh(bigN, 1), new(big.Int).Add(new(big.Int).Rsh(bigN, 1), one),
		new(big.Int).Rsh(bigN, 4), new(big.Int).Rsh(bigN, 64),
	}
	for v := int64(1); v <= 33; v++ {
		vals = append(vals, big.NewInt(v))
	}
	// The same 64-bit column in every tooth of the comb, and the same
	// nibble in every window.
	teeth := new(big.Int).SetBytes(unhex("0000000000000001000000000000000100000000000000010000000000000001"))
	for _, c := range []uint64{1, 3, 0x8000000000000001, 0x0f0f0f0f0f0f0f0f, 0x7fffffffffffffff, 0xfffffffe00000000} {
		vals = append(vals, new(big.Int).Mul(teeth, new(big.Int).SetUint64(c)))
	}
	for nib := int64(1); nib < 16; nib++ {
		v := new(big.Int)
		for range 63 {
			v.Lsh(v, 4).Or(v, big.NewInt(nib))
		}
		vals = append(vals, v)
	}
	// Long runs: a one or zero bit at one end, the rest the other.
	for _, s := range []string{
		"8000000000000000000000000000000000000000000000000000000000000001",
		"7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
		"f000000000000000000000000000000000000000000000000000000000000000",
		"0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff0",
		"ffffffff00000000000000000000000000000000000000000000000000000000",
		"00000000000000000000000000000000ffffffffffffffffffffffffffffffff",
		"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550", // n-1
	} {
		vals = append(vals, new(big.Int).SetBytes(unhex(s)))
	}
	for _, v := range vals {
		if v.Sign() <= 0 || v.Cmp(bigN) >= 0 {
			panic("edge scalar out of range")
		}
	}
	return vals
}

func scalarOf(k *big.Int) *Scalar {
	var s Scalar
	if _, err := s.SetBytes(k.FillBytes(make([]byte, 32))); err != nil {
		panic(err)
	}
	return &s
}

// wantBase returns k·G by crypto/ecdh.
func wantBase(t testing.TB, k *big.Int) (x, y [32]byte) {
	priv, err := ecdh.P256().NewPrivateKey(k.FillBytes(make([]byte, 32)))
	if err != nil {
		t.Fatal(err)
	}
	pub := priv.PublicKey().Bytes()
	return [32]byte(pub[1:33]), [32]byte(pub[33:])
}

func TestScalarBaseMultAgainstECDH(t *testing.T) {
	rng := mrand.New(mrand.NewPCG(21, 22))
	scalars := edgeScalars()
	for range 3000 {
		scalars = append(scalars, new(big.Int).Mod(randScalar(rng), bigN))
	}
	for _, k := range scalars {
		if k.Sign() == 0 {
			continue
		}
		wx, wy := wantBase(t, k)
		x, y, ok := ScalarBaseMult(scalarOf(k))
		if !ok || x != wx || y != wy {
			t.Fatalf("%x·G = (%x, %x), %v; want (%x, %x)", k, x, y, ok, wx, wy)
		}
	}
	var zero Scalar
	if x, y, ok := ScalarBaseMult(&zero); ok || x != [32]byte{} || y != [32]byte{} {
		t.Fatal("0·G")
	}
}

func TestScalarMultAgainstElliptic(t *testing.T) {
	curve := elliptic.P256()
	rng := mrand.New(mrand.NewPCG(23, 24))
	check := func(px, py, k *big.Int) {
		t.Helper()
		pub, err := NewPublicKey(px.FillBytes(make([]byte, 32)), py.FillBytes(make([]byte, 32)))
		if err != nil {
			t.Fatal(err)
		}
		wx, wy := curve.ScalarMult(px, py, k.Bytes())
		x, y, ok := ScalarMult(pub, scalarOf(k))
		if !ok || x != bytes32(wx) || y != bytes32(wy) {
			t.Fatalf("%x·(%x, %x) = (%x, %x), %v", k, px, py, x, y, ok)
		}
	}
	for range 2000 {
		px, py := randPoint(rng)
		check(px, py, new(big.Int).Mod(randScalar(rng), bigN))
	}
	// Edge scalars on a few points, -G among them (not the generator
	// shortcut, and its multiples meet G's).
	gx, gy := curve.Params().Gx, curve.Params().Gy
	points := [][2]*big.Int{{gx, gy}, {gx, new(big.Int).Sub(bigP, gy)}}
	for range 3 {
		x, y := randPoint(rng)
		points = append(points, [2]*big.Int{x, y})
	}
	for _, p := range points {
		for _, k := range edgeScalars() {
			check(p[0], p[1], k)
		}
	}
}

// TestCombTable checks every entry of the comb tables and of G's odd
// multiples against crypto/elliptic.
func TestCombTable(t *testing.T) {
	curve := elliptic.P256()
	check := func(name string, a *affine, k *big.Int) {
		t.Helper()
		k = new(big.Int).Mod(k, bigN)
		wx, wy := curve.ScalarBaseMult(k.Bytes())
		if a.inf || feBytes(&a.x) != bytes32(wx) || feBytes(&a.y) != bytes32(wy) {
			t.Fatalf("%s = (%x, %x), want %x·G", name, feBytes(&a.x), feBytes(&a.y), k)
		}
	}
	pow := func(e int) *big.Int { return new(big.Int).Lsh(big.NewInt(1), uint(e)) }
	tab := combTables()
	for j := range combs {
		for b := range 16 {
			k := pow(combColumns * (combTeeth*j + combTeeth - 1))
			for tooth := range combTeeth - 1 {
				p := pow(combColumns * (combTeeth*j + tooth))
				if b>>tooth&1 == 1 {
					k.Add(k, p)
				} else {
					k.Sub(k, p)
				}
			}
			if k.Sign() <= 0 || k.Cmp(bigN) >= 0 {
				t.Fatalf("comb %d entry %d: %x·G", j, b, k)
			}
			check(fmt.Sprintf("comb %d entry %d", j, b), &tab[16*j+b], k)
		}
	}
	for i, a := range baseOdd() {
		check(fmt.Sprintf("odd multiple %d", 2*i+1), &a, big.NewInt(int64(2*i+1)))
	}
}

// TestCompleteFormulas: the projective formulas agree with crypto/elliptic
// where affine formulas need special cases: P + P, P + (-P), P + O, O + O,
// 2O, in coordinates with Z ≠ 1.
func TestCompleteFormulas(t *testing.T) {
	curve := elliptic.P256()
	rng := mrand.New(mrand.NewPCG(25, 26))
	// scaled returns P as (λx : λy : λ).
	scaled := func(x, y *big.Int) proj {
		var q proj
		var lam element
		lb := ModP(randomBytes(rng, 32))
		if feFromBytes(&lam, &lb); isZero(&lam) == 1 {
			lam = primeP.one
		}
		var a affine
		feFromBytes(&a.x, b32(x))
		feFromBytes(&a.y, b32(y))
		q.fromAffine(&a)
		feMul(&q.x, &q.x, &lam)
		feMul(&q.y, &q.y, &lam)
		feMul(&q.z, &q.z, &lam)
		return q
	}
	inf := proj{y: primeP.one}
	check := func(name string, q *proj, wx, wy *big.Int) {
		t.Helper()
		x, y, ok := q.bytes()
		if wx == nil {
			if ok {
				t.Fatalf("%s: (%x, %x), want the point at infinity", name, x, y)
			}
			return
		}
		if !ok || x != bytes32(wx) || y != bytes32(wy) {
			t.Fatalf("%s: (%x, %x), %v", name, x, y, ok)
		}
	}
	for range 100 {
		ax, ay := randPoint(rng)
		bx, by := randPoint(rng)
		a, b := scaled(ax, ay), scaled(bx, by)
		a2 := scaled(ax, ay)
		negA := scaled(ax, new(big.Int).Sub(bigP, ay))
		var q proj
		wx, wy := curve.Add(ax, ay, bx, by)
		q.add(&a, &b)
		check("A + B", &q, wx, wy)
		wx, wy = curve.Double(ax, ay)
		q.add(&a, &a2)
		check("A + A", &q, wx, wy)
		q.double(&a)
		check("2A", &q, wx, wy)
		q.add(&a, &negA)
		check("A + (-A)", &q, nil, nil)
		q.add(&a, &inf)
		check("A + O", &q, ax, ay)
		q.add(&inf, &a)
		check("O + A", &q, ax, ay)
		// Aliasing.
		q = a
		q.add(&q, &q)
		check("q += q", &q, wx, wy)
	}
	var q proj
	q.add(&inf, &inf)
	check("O + O", &q, nil, nil)
	q.double(&inf)
	check("2O", &q, nil, nil)
}

func TestECDHAgainstCryptoECDH(t *testing.T) {
	rng := mrand.New(mrand.NewPCG(27, 28))
	for i := range 300 {
		d := new(big.Int).Mod(randScalar(rng), bigN)
		if i < len(edgeScalars()) {
			d = edgeScalars()[i]
		}
		if d.Sign() == 0 {
			continue
		}
		db := d.FillBytes(make([]byte, 32))
		ours, err := NewECDHKey(db)
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := ecdh.P256().NewPrivateKey(db)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ours.PublicKey(), theirs.PublicKey().Bytes()) || !bytes.Equal(ours.Bytes(), db) {
			t.Fatalf("key %x: public %x, want %x", db, ours.PublicKey(), theirs.PublicKey().Bytes())
		}
		peer, err := ecdh.P256().GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		// Our secret with their public key, and theirs with ours.
		got, err := ours.ECDH(peer.PublicKey().Bytes())
		if err != nil {
			t.Fatal(err)
		}
		want, err := theirs.ECDH(peer.PublicKey())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("ECDH %x, want %x", got, want)
		}
		ourPub, err := ecdh.P256().NewPublicKey(ours.PublicKey())
		if err != nil {
			t.Fatal(err)
		}
		if want, err = peer.ECDH(ourPub); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("crypto/ecdh's side: %x, %v", want, err)
		}
	}
	// The generator as the peer (the shortcut to the comb).
	k, _ := NewECDHKey(rfcD)
	g := append(append([]byte{4}, generator.X()...), generator.Y()...)
	if got, err := k.ECDH(g); err != nil || !bytes.Equal(got, rfcUx) {
		t.Fatalf("d·G = %x, %v", got, err)
	}
}

func TestNewECDHKeyRejects(t *testing.T) {
	for _, d := range [][]byte{
		make([]byte, 32), bigN.FillBytes(make([]byte, 32)), bytes.Repeat([]byte{0xff}, 32),
		new(big.Int).Add(bigN, big.NewInt(1)).FillBytes(make([]byte, 32)),
		rfcD[1:], append([]byte{0}, rfcD...), nil,
	} {
		_, errGo := ecdh.P256().NewPrivateKey(d)
		if _, err := NewECDHKey(d); err == nil || errGo == nil {
			t.Errorf("NewECDHKey(%x): %v, crypto/ecdh %v", d, err, errGo)
		}
	}
}

// TestECDHPeerRejects: the peer encodings crypto/ecdh's NewPublicKey
// refuses, ECDH refuses.
func TestECDHPeerRejects(t *testing.T) {
	k, _ := NewECDHKey(rfcD)
	good := append(append([]byte{4}, rfcUx...), rfcUy...)
	mod := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	pBytes := bigP.FillBytes(make([]byte, 32))
	yPlusP := new(big.Int).Add(new(big.Int).SetBytes(rfcUy), bigP)
	cases := map[string][]byte{
		"empty":         nil,
		"identity":      {0},
		"compressed":    append([]byte{2 + rfcUy[31]&1}, rfcUx...),
		"prefix 3":      mod(func(b []byte) []byte { b[0] = 3; return b }),
		"prefix 6":      mod(func(b []byte) []byte { b[0] = 6; return b }),
		"short":         good[:64],
		"long":          append(bytes.Clone(good), 0),
		"off the curve": mod(func(b []byte) []byte { b[64] ^= 1; return b }),
		"(0, 0)":        append([]byte{4}, make([]byte, 64)...),
		"x = p":         mod(func(b []byte) []byte { copy(b[1:33], pBytes); return b }),
		"y + p":         append(append([]byte{4}, rfcUx...), yPlusP.FillBytes(make([]byte, 33))[1:]...),
		// (x, 1) is on the curve and 1 + p fits 256 bits: a point whose y
		// is only valid once reduced.
		"y = 1 + p": append(append([]byte{4}, unhexT("09e78d4ef60d05f750f6636209092bc43cbdd6b47e11a9de20a9feb2a50bb96c")...),
			unhexT("ffffffff00000001000000000000000000000001000000000000000000000000")...),
		"y = 1, control": append(append([]byte{4}, unhexT("09e78d4ef60d05f750f6636209092bc43cbdd6b47e11a9de20a9feb2a50bb96c")...),
			append(make([]byte, 31), 1)...),
		"all ones":       append([]byte{4}, bytes.Repeat([]byte{0xff}, 64)...),
		"hybrid":         mod(func(b []byte) []byte { b[0] = 6 + rfcUy[31]&1; return b }),
		"x only":         append([]byte{4}, rfcUx...),
		"valid, control": good,
	}
	for name, peer := range cases {
		_, errGo := ecdh.P256().NewPublicKey(peer)
		_, err := k.ECDH(peer)
		if (err == nil) != (errGo == nil) {
			t.Errorf("%s: %v, crypto/ecdh %v", name, err, errGo)
		}
		if (err == nil) != strings.HasSuffix(name, "control") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if yPlusP.BitLen() > 256 {
		t.Log("y + p does not fit 256 bits; that case tested nothing")
	}
	x := unhexT("09e78d4ef60d05f750f6636209092bc43cbdd6b47e11a9de20a9feb2a50bb96c")
	if _, err := NewPublicKey(x, unhexT("ffffffff00000001000000000000000000000001000000000000000000000000")); err == nil {
		t.Error("NewPublicKey took y = 1 + p")
	}
	if _, err := NewPublicKey(x, append(make([]byte, 31), 1)); err != nil {
		t.Errorf("NewPublicKey refused (x, 1): %v", err)
	}
}

func unhexT(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// TestGenerateECDHKeyMatchesCryptoECDH: with the same global randomness,
// GenerateECDHKey(crypto/rand.Reader) gives crypto/ecdh's key.
func TestGenerateECDHKeyMatchesCryptoECDH(t *testing.T) {
	for seed := range uint64(50) {
		cryptotest.SetGlobalRandom(t, seed)
		want, err := ecdh.P256().GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		after := make([]byte, 8)
		rand.Read(after)
		cryptotest.SetGlobalRandom(t, seed)
		got, err := GenerateECDHKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) || !bytes.Equal(got.PublicKey(), want.PublicKey().Bytes()) {
			t.Fatalf("seed %d: key %x, want %x", seed, got.Bytes(), want.Bytes())
		}
		// Both consumed as much.
		after2 := make([]byte, 8)
		rand.Read(after2)
		if !bytes.Equal(after, after2) {
			t.Fatalf("seed %d: the stream continues differently", seed)
		}
	}
}

// recordingReader serves data and notes the length of every read.
type recordingReader struct {
	data  []byte
	reads []int
}

func (r *recordingReader) Read(b []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, errFail
	}
	n := copy(b, r.data)
	r.data = r.data[n:]
	r.reads = append(r.reads, len(b))
	return n, nil
}

// TestGenerateECDHKeyRejection: candidates that are 0 or >= n after the
// tweak of byte 1 are skipped as crypto/ecdh skips them. crypto/ecdh reads
// a custom reader only with GODEBUG cryptocustomrand=1, and then first
// reads one byte half of the time (randutil.MaybeReadByte), which the
// recording reader shows and the comparison skips.
func TestGenerateECDHKeyRejection(t *testing.T) {
	t.Setenv("GODEBUG", "cryptocustomrand=1")
	tweak := func(k []byte) []byte { k = bytes.Clone(k); k[1] ^= 0x42; return k }
	nm1 := new(big.Int).Sub(bigN, big.NewInt(1)).FillBytes(make([]byte, 32))
	valid := rfcD
	for name, stream := range map[string][][]byte{
		"all ones first": {tweak(bytes.Repeat([]byte{0xff}, 32)), valid},
		"raw all ones":   {bytes.Repeat([]byte{0xff}, 32)},
		"n first":        {tweak(bigN.FillBytes(make([]byte, 32))), valid},
		"zero first":     {tweak(make([]byte, 32)), valid},
		"n-1":            {tweak(nm1)},
		"zero, n, n+1":   {tweak(make([]byte, 32)), tweak(bigN.FillBytes(make([]byte, 32))), tweak(new(big.Int).Add(bigN, big.NewInt(1)).FillBytes(make([]byte, 32))), tweak(valid)},
	} {
		data := append(bytes.Join(stream, nil), bytes.Repeat([]byte{9}, 40)...)
		// Until both ways of MaybeReadByte have been seen.
		var seen [2]bool
		for i := 0; !seen[0] || !seen[1]; i++ {
			if i == 200 {
				t.Fatalf("%s: MaybeReadByte went one way 200 times", name)
			}
			theirsR := &recordingReader{data: bytes.Clone(data)}
			want, err := ecdh.P256().GenerateKey(theirsR)
			if err != nil {
				t.Fatal(err)
			}
			skip := 0
			if theirsR.reads[0] == 1 {
				skip = 1
			}
			seen[skip] = true
			oursR := &recordingReader{data: bytes.Clone(data[skip:])}
			got, err := GenerateECDHKey(oursR)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) || !bytes.Equal(got.PublicKey(), want.PublicKey().Bytes()) {
				t.Fatalf("%s: key %x, want %x", name, got.Bytes(), want.Bytes())
			}
			if len(oursR.data) != len(theirsR.data) {
				t.Fatalf("%s: %d bytes left, crypto/ecdh %d", name, len(oursR.data), len(theirsR.data))
			}
			// Without the extra byte the candidates are as planned.
			if last := stream[len(stream)-1]; skip == 0 && !bytes.Equal(got.Bytes(), tweak(last)) {
				t.Fatalf("%s: key %x, want the last candidate", name, got.Bytes())
			}
		}
	}
	if _, err := GenerateECDHKey(&recordingReader{data: make([]byte, 31)}); err == nil {
		t.Fatal("a short read gave a key")
	}
}

// TestVerifyMeetingSums: with Q = G and u1 = u2 (e = r) the partial sums
// of Verify's two products meet in every window (a doubling inside an
// addition); with Q = -G the sum is the point at infinity whatever s is.
func TestVerifyMeetingSums(t *testing.T) {
	curve := elliptic.P256()
	k := big.NewInt(987654321)
	for _, d := range []*big.Int{big.NewInt(1), big.NewInt(2)} {
		r, _ := edgeSignature(d, k, new(big.Int))
		e := new(big.Int).Set(r) // e = r: u1 = u2
		r, s := edgeSignature(d, k, e)
		x, y := curve.ScalarBaseMult(d.FillBytes(make([]byte, 32)))
		pub, err := NewPublicKey(x.FillBytes(make([]byte, 32)), y.FillBytes(make([]byte, 32)))
		if err != nil {
			t.Fatal(err)
		}
		if !Verify(pub, e.FillBytes(make([]byte, 32)), r.Bytes(), s.Bytes()) {
			t.Errorf("d = %x: valid signature rejected", d)
		}
	}
	gx, gy := curve.Params().Gx, curve.Params().Gy
	negY := new(big.Int).Sub(bigP, gy)
	negG, err := NewPublicKey(gx.FillBytes(make([]byte, 32)), negY.FillBytes(make([]byte, 32)))
	if err != nil {
		t.Fatal(err)
	}
	goNegG := &ecdsa.PublicKey{Curve: curve, X: gx, Y: negY}
	r := new(big.Int).SetBytes(rfcUx) // any r below n
	digest := r.FillBytes(make([]byte, 32))
	for _, s := range []*big.Int{big.NewInt(1), big.NewInt(12345), new(big.Int).Sub(bigN, big.NewInt(1)), r} {
		if ecdsa.Verify(goNegG, digest, r, s) {
			t.Fatal("crypto/ecdsa accepts the point at infinity")
		}
		if Verify(negG, digest, r.Bytes(), s.Bytes()) {
			t.Errorf("s = %x: the point at infinity accepted", s)
		}
	}
}

// TestNoBigImports: the library code links none of the packages this one
// replaces.
func TestNoBigImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	banned := map[string]bool{"crypto/ecdh": true, "crypto/ecdsa": true, "crypto/elliptic": true, "math/big": true}
	n := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		n++
		for _, imp := range f.Imports {
			if path := strings.Trim(imp.Path.Value, `"`); banned[path] {
				t.Errorf("%s imports %s", name, path)
			}
		}
	}
	if n < 5 {
		t.Fatalf("only %d non-test files found", n)
	}
}
