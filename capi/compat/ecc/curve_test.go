// SPDX-License-Identifier: BSD-3-Clause

package ecc

import (
	"crypto/elliptic"
	"crypto/sha256"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// Points from NIST's "Mathematical routines for the NIST prime elliptic
// curves" (P-256 section), the same ones upstream's test_ecc.c uses. S is
// given in upstream's word order to pin that order down; the others are
// big-endian hex.
var (
	nistSx = []uint32{0x89da97c9, 0xb77cab39, 0x221a8fa0, 0x617519b3, 0x0f271508, 0x82edd27e, 0xbc8d36e6, 0xde2444be}
	nistSy = []uint32{0x3042a256, 0xb6350b24, 0x53cec576, 0x702de80f, 0xd1e66659, 0xfc01a5aa, 0xf36e5380, 0xc093ae7f}
	nistTx = w8("55a8b00f8da1d44e62f6b3b25316212e39540dc861c89575bb8cf92e35e0986b")
	nistTy = w8("5421c3209c2d6c704835d82ac4c3dd90f61a8a52598b9e7ab656e9d8c8b24316")
	nistD  = w8("c51e4753afdec1e6b6c6a5b992f43f8dd0c7a8933072708b6522468b2ffb06fd")

	nistSumX    = w8("72b13dd4354b6b81745195e98cc5ba6970349191ac476bd4553cf35a545a067e") // S + T
	nistSumY    = w8("8d585cbb2e1327d75241a8a122d7620dc33b13315aa5c9d46d013011744ac264")
	nistDoubleX = w8("7669e6901606ee3ba1a8eef1e0024c33df6c22f3b17481b82a860ffcdb6127b0") // 2S
	nistDoubleY = w8("fa878162187a54f6c39f6ee0072f33de389ef3eecd03023de10ca2c1db61d0c7")
	nistMultX   = []uint32{0x4eeca03f, 0xacc89ba3, 0xcfc18bed, 0xe62becc3, 0x83c97d11, 0x2946d88d, 0x2d427888, 0x51d08d5f} // dS
	nistMultY   = []uint32{0x6a7b41d5, 0x35beca95, 0xa6c0cf30, 0x06f8fcf8, 0x1f6e744e, 0x5b673ab5, 0x8bf626aa, 0x75ee68eb}
)

func checkPoint(t *testing.T, what string, gx, gy, wx, wy []uint32) {
	t.Helper()
	if !slices.Equal(gx, wx) || !slices.Equal(gy, wy) {
		t.Errorf("%s = (%x, %x)\nwant (%x, %x)", what, wordsToInt(gx), wordsToInt(gy), wordsToInt(wx), wordsToInt(wy))
	}
}

func TestPointArithmeticNIST(t *testing.T) {
	x, y := make([]uint32, 8), make([]uint32, 8)
	EcAdd(nistTx, nistTy, nistSx, nistSy, x, y)
	checkPoint(t, "T + S", x, y, nistSumX, nistSumY)
	EcAdd(nistSx, nistSy, nistTx, nistTy, x, y)
	checkPoint(t, "S + T", x, y, nistSumX, nistSumY)
	EcDouble(nistSx, nistSy, x, y)
	checkPoint(t, "2S", x, y, nistDoubleX, nistDoubleY)
	EcAdd(nistSx, nistSy, nistSx, nistSy, x, y)
	checkPoint(t, "S + S", x, y, nistDoubleX, nistDoubleY)
	EcMult(nistSx, nistSy, nistD, x, y)
	checkPoint(t, "dS", x, y, nistMultX, nistMultY)
}

func TestPointAdditionSpecialCases(t *testing.T) {
	zero := make([]uint32, 8)
	x, y := make([]uint32, 8), make([]uint32, 8)
	EcAdd(zero, zero, nistSx, nistSy, x, y)
	checkPoint(t, "O + S", x, y, nistSx, nistSy)
	EcAdd(nistSx, nistSy, zero, zero, x, y)
	checkPoint(t, "S + O", x, y, nistSx, nistSy)
	negY := make([]uint32, 8)
	Sub(primeM[:], nistSy, negY, 8)
	EcAdd(nistSx, nistSy, nistSx, negY, x, y)
	checkPoint(t, "S + (-S)", x, y, zero, zero)
	EcDouble(zero, zero, x, y)
	checkPoint(t, "2O", x, y, zero, zero)
	// y = 0 would hang upstream's inversion; it doubles to O.
	EcDouble([]uint32{5, 0, 0, 0, 0, 0, 0, 0}, zero, x, y)
	checkPoint(t, "2(5, 0)", x, y, zero, zero)
	// Outputs may alias inputs.
	ax, ay := slices.Clone(nistSx), slices.Clone(nistSy)
	EcAdd(ax, ay, nistTx, nistTy, ax, ay)
	checkPoint(t, "aliased S + T", ax, ay, nistSumX, nistSumY)
}

func words(v *big.Int) []uint32 {
	w := make([]uint32, 8)
	intToWords(v, w)
	return w
}

// TestEcMultAgainstOracle compares with crypto/elliptic, an independent
// constant-time implementation, for scalars at and around the edges of
// [0, n] and at random.
func TestEcMultAgainstOracle(t *testing.T) {
	curve := elliptic.P256()
	nm1 := new(big.Int).Sub(curveN, big.NewInt(1))
	twoPow := new(big.Int).Lsh(big.NewInt(1), 256)
	scalars := []*big.Int{
		big.NewInt(0), big.NewInt(1), big.NewInt(2), big.NewInt(3), nm1,
		new(big.Int).Sub(curveN, big.NewInt(2)), new(big.Int).Set(curveN),
		new(big.Int).Add(curveN, big.NewInt(1)), new(big.Int).Sub(twoPow, big.NewInt(1)),
	}
	rng := rand.New(rand.NewPCG(9, 10))
	for i := 0; i < 6; i++ {
		scalars = append(scalars, randBelow(rng, twoPow))
	}
	points := [][2]*big.Int{{curveGX, curveGY}, {wordsToInt(nistSx), wordsToInt(nistSy)}}
	for i := 0; i < 3; i++ {
		px, py := curve.ScalarBaseMult(bytes32(randBelow(rng, curveN)))
		points = append(points, [2]*big.Int{px, py})
	}
	for _, p := range points {
		for _, k := range scalars {
			wantX, wantY := curve.ScalarMult(p[0], p[1], bytes32(new(big.Int).Mod(k, curveN)))
			x, y := make([]uint32, 8), make([]uint32, 8)
			EcMult(words(p[0]), words(p[1]), words(k), x, y)
			if wordsToInt(x).Cmp(wantX) != 0 || wordsToInt(y).Cmp(wantY) != 0 {
				t.Fatalf("%x * (%x, %x):\n got (%x, %x)\nwant (%x, %x)",
					k, p[0], p[1], wordsToInt(x), wordsToInt(y), wantX, wantY)
			}
		}
	}
}

func TestEcAddAgainstOracle(t *testing.T) {
	curve := elliptic.P256()
	rng := rand.New(rand.NewPCG(11, 12))
	for i := 0; i < 20; i++ {
		ax, ay := curve.ScalarBaseMult(bytes32(randBelow(rng, curveN)))
		bx, by := curve.ScalarBaseMult(bytes32(randBelow(rng, curveN)))
		wantX, wantY := curve.Add(ax, ay, bx, by)
		x, y := make([]uint32, 8), make([]uint32, 8)
		EcAdd(words(ax), words(ay), words(bx), words(by), x, y)
		if wordsToInt(x).Cmp(wantX) != 0 || wordsToInt(y).Cmp(wantY) != 0 {
			t.Fatal("EcAdd disagrees with crypto/elliptic")
		}
		wantX, wantY = curve.Double(ax, ay)
		EcDouble(words(ax), words(ay), x, y)
		if wordsToInt(x).Cmp(wantX) != 0 || wordsToInt(y).Cmp(wantY) != 0 {
			t.Fatal("EcDouble disagrees with crypto/elliptic")
		}
	}
}

func TestEcMultRejectsInvalidPoints(t *testing.T) {
	x, y := make([]uint32, 8), make([]uint32, 8)
	offY := slices.Clone(nistSy)
	offY[0] ^= 1
	for _, c := range []struct {
		name   string
		px, py []uint32
	}{
		{"off the curve", nistSx, offY},
		{"infinity", make([]uint32, 8), make([]uint32, 8)},
		{"x >= p", ones(8), nistSy},
	} {
		x[0], y[0] = 1, 1
		EcMult(c.px, c.py, nistD, x, y)
		if !slices.Equal(x, make([]uint32, 8)) || !slices.Equal(y, make([]uint32, 8)) {
			t.Errorf("%s: got (%08x, %08x), want (0, 0)", c.name, x, y)
		}
	}
}

// RFC 5903 §8.1 (256-bit random ECP group).
var (
	rfc5903I   = unhex("c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433")
	rfc5903GIx = unhex("dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180")
	rfc5903GIy = unhex("5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3")
	rfc5903R   = unhex("c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53")
	rfc5903GRx = unhex("d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63")
	rfc5903GRy = unhex("56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab")
	rfc5903Zx  = unhex("d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de")
	rfc5903Zy  = unhex("522bde0af0d8585b8def9c183b5ae38f50235206a8674ecb5d98edb20eb153a2")
)

func keyWords(b []byte) []uint32 {
	w := make([]uint32, 8)
	WordsFromKey(b, w)
	return w
}

// genPubKey is upstream's ecc_gen_pub_key, which ecc.h defines as an
// inline call of ecc_ec_mult with the base point.
func genPubKey(priv, pubX, pubY []uint32) {
	EcMult(gPointX[:], gPointY[:], priv, pubX, pubY)
}

func TestGenPubKeyAndECDHRFC5903(t *testing.T) {
	x, y := make([]uint32, 8), make([]uint32, 8)
	genPubKey(keyWords(rfc5903I), x, y)
	checkPoint(t, "i*G", x, y, keyWords(rfc5903GIx), keyWords(rfc5903GIy))
	genPubKey(keyWords(rfc5903R), x, y)
	checkPoint(t, "r*G", x, y, keyWords(rfc5903GRx), keyWords(rfc5903GRy))
	EcMult(keyWords(rfc5903GRx), keyWords(rfc5903GRy), keyWords(rfc5903I), x, y)
	checkPoint(t, "i*gR", x, y, keyWords(rfc5903Zx), keyWords(rfc5903Zy))
	EcMult(keyWords(rfc5903GIx), keyWords(rfc5903GIy), keyWords(rfc5903R), x, y)
	checkPoint(t, "r*gI", x, y, keyWords(rfc5903Zx), keyWords(rfc5903Zy))
}

func TestIsValidKey(t *testing.T) {
	nm1 := make([]uint32, 8)
	Sub(orderM[:], []uint32{1, 0, 0, 0, 0, 0, 0, 0}, nm1, 8)
	for _, c := range []struct {
		key  []uint32
		want int
	}{
		{[]uint32{1, 0, 0, 0, 0, 0, 0, 0}, 1},
		{nm1, 1},
		{nistD, 1},
		{orderM[:8], 0},
		{ones(8), 0},
		{make([]uint32, 8), 0},
	} {
		if got := IsValidKey(c.key); got != c.want {
			t.Errorf("IsValidKey(%x) = %d, want %d", wordsToInt(c.key), got, c.want)
		}
	}
}

// Upstream's test_ecc.c ECDSA vectors, in word form.
var (
	upstreamMsg    = []uint32{0x65637572, 0x20612073, 0x68206F66, 0x20686173, 0x69732061, 0x68697320, 0x6F2C2054, 0x48616C6C}
	upstreamSecret = []uint32{0x94A949FA, 0x401455A1, 0xAD7294CA, 0x896A33BB, 0x7A80E714, 0x4321435B, 0x51247A14, 0x41C1CB6B}
	upstreamSigs   = []struct{ k, r, s []uint32 }{
		{
			k: []uint32{0x1D1E1F20, 0x191A1B1C, 0x15161718, 0x11121314, 0x0D0E0F10, 0x090A0B0C, 0x05060708, 0x01020304},
			r: []uint32{0xC3B4035F, 0x515AD0A6, 0xBF375DCA, 0x0CC1E997, 0x7F54FDCD, 0x04D3FECA, 0xB9E396B9, 0x515C3D6E},
			s: []uint32{0x5366B1AB, 0x0F1DBF46, 0xB0C8D3C4, 0xDB755B6F, 0xB9BF9243, 0xE644A8BE, 0x55159A59, 0x6F9E52A6},
		},
		{
			k: []uint32{0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0x01FFFFFF},
			r: []uint32{0x14146C91, 0xE878724D, 0xCD4FF928, 0xCC24BC04, 0xAC403390, 0x650C0060, 0x4A30B3F1, 0x9C69B726},
			s: []uint32{0x433AAB6F, 0x808250B1, 0xE46F90F4, 0xB342E972, 0x18B2F7E4, 0x2DB981A2, 0x6A288FA4, 0x41CF59DB},
		},
	}
)

func TestEcdsaSignUpstreamVectors(t *testing.T) {
	px, py := make([]uint32, 8), make([]uint32, 8)
	genPubKey(upstreamSecret, px, py)
	for i, v := range upstreamSigs {
		r := []uint32{9, 9, 9, 9, 9, 9, 9, 9, 9}
		s := slices.Clone(r)
		if ret := EcdsaSign(upstreamSecret, upstreamMsg, v.k, r, s); ret != 0 {
			t.Fatalf("vector %d: EcdsaSign = %d", i, ret)
		}
		if !slices.Equal(r[:8], v.r) || !slices.Equal(s[:8], v.s) || r[8] != 0 || s[8] != 0 {
			t.Fatalf("vector %d:\n r = %08x\n s = %08x", i, r, s)
		}
		if ret := EcdsaValidate(px, py, upstreamMsg, r, s); ret != 0 {
			t.Fatalf("vector %d: EcdsaValidate = %d", i, ret)
		}
	}
}

// RFC 6979 §A.2.5: P-256 with SHA-256, message "sample".
var (
	rfc6979D  = unhex("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721")
	rfc6979Ux = unhex("60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6")
	rfc6979Uy = unhex("7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299")
	rfc6979K  = unhex("a6e3c57dd01abe90086538398355dd4c3b17aa873382b0f24d6129493d8aad60")
	rfc6979R  = unhex("efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716")
	rfc6979S  = unhex("f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8")
)

func TestEcdsaSignRFC6979(t *testing.T) {
	hash := sha256.Sum256([]byte("sample"))
	r, s := make([]uint32, 9), make([]uint32, 9)
	if ret := EcdsaSign(keyWords(rfc6979D), keyWords(hash[:]), keyWords(rfc6979K), r, s); ret != 0 {
		t.Fatalf("EcdsaSign = %d", ret)
	}
	if !slices.Equal(r[:8], keyWords(rfc6979R)) || !slices.Equal(s[:8], keyWords(rfc6979S)) {
		t.Fatalf("r = %x\ns = %x", wordsToInt(r), wordsToInt(s))
	}
	x, y := make([]uint32, 8), make([]uint32, 8)
	genPubKey(keyWords(rfc6979D), x, y)
	checkPoint(t, "public key", x, y, keyWords(rfc6979Ux), keyWords(rfc6979Uy))
	if ret := EcdsaValidate(x, y, keyWords(hash[:]), r, s); ret != 0 {
		t.Fatalf("EcdsaValidate = %d", ret)
	}
}

func TestEcdsaSignRetryCases(t *testing.T) {
	r := []uint32{7, 7, 7, 7, 7, 7, 7, 7, 7}
	s := slices.Clone(r)
	// k = 0: -1 and nothing written.
	if ret := EcdsaSign(upstreamSecret, upstreamMsg, make([]uint32, 8), r, s); ret != -1 {
		t.Errorf("k = 0: %d", ret)
	}
	if !slices.Equal(r, []uint32{7, 7, 7, 7, 7, 7, 7, 7, 7}) || !slices.Equal(s, r) {
		t.Error("k = 0 wrote r or s")
	}
	// k = n: kG is the point at infinity, so r = 0; s is not written.
	if ret := EcdsaSign(upstreamSecret, upstreamMsg, orderM[:8], r, s); ret != -1 {
		t.Errorf("k = n: %d", ret)
	}
	if !slices.Equal(r[:8], make([]uint32, 8)) || s[0] != 7 {
		t.Errorf("k = n: r = %08x, s = %08x", r, s)
	}
	// k = n + 5 signs like k = 5 (the scalar is used mod n).
	r5, s5 := make([]uint32, 9), make([]uint32, 9)
	if ret := EcdsaSign(upstreamSecret, upstreamMsg, []uint32{5, 0, 0, 0, 0, 0, 0, 0}, r5, s5); ret != 0 {
		t.Fatalf("k = 5: %d", ret)
	}
	k := make([]uint32, 8)
	Add(orderM[:8], []uint32{5, 0, 0, 0, 0, 0, 0, 0}, k, 8)
	if ret := EcdsaSign(upstreamSecret, upstreamMsg, k, r, s); ret != 0 || !slices.Equal(r, r5) || !slices.Equal(s, s5) {
		t.Errorf("k = n + 5: %d, r = %08x, want %08x", ret, r, r5)
	}
	// e = -r*d mod n forces s = 0.
	rd := new(big.Int).Mul(wordsToInt(upstreamSigs[0].r), wordsToInt(upstreamSecret))
	rd.Neg(rd).Mod(rd, curveN)
	if ret := EcdsaSign(upstreamSecret, words(rd), upstreamSigs[0].k, r, s); ret != -1 {
		t.Errorf("s = 0: %d", ret)
	}
	// An 8-word s is enough.
	s8 := make([]uint32, 8)
	if ret := EcdsaSign(upstreamSecret, upstreamMsg, upstreamSigs[0].k, r[:8], s8); ret != 0 || !slices.Equal(s8, upstreamSigs[0].s) {
		t.Errorf("8-word outputs: %d", ret)
	}
}

func TestEcdsaValidateRejects(t *testing.T) {
	px, py := make([]uint32, 8), make([]uint32, 8)
	genPubKey(upstreamSecret, px, py)
	v := upstreamSigs[0]
	zero := make([]uint32, 8)
	plus := func(a []uint32, b int64) []uint32 {
		return words(new(big.Int).Add(wordsToInt(a), big.NewInt(b)))
	}
	badMsg := slices.Clone(upstreamMsg)
	badMsg[3] ^= 0x100
	offY := slices.Clone(py)
	offY[0] ^= 1
	for _, c := range []struct {
		name          string
		x, y, e, r, s []uint32
	}{
		{"s = 0 (upstream's ecdsa0 test)", px, py, upstreamMsg, v.r, zero},
		{"r = 0", px, py, upstreamMsg, zero, v.s},
		{"r = n", px, py, upstreamMsg, orderM[:8], v.s},
		{"s = n", px, py, upstreamMsg, v.r, orderM[:8]},
		{"r = 2^256-1", px, py, upstreamMsg, ones(8), v.s},
		{"s = 2^256-1", px, py, upstreamMsg, v.r, ones(8)},
		{"r + 1", px, py, upstreamMsg, plus(v.r, 1), v.s},
		{"s + 1", px, py, upstreamMsg, v.r, plus(v.s, 1)},
		{"wrong hash", px, py, badMsg, v.r, v.s},
		{"wrong key", nistSx, nistSy, upstreamMsg, v.r, v.s},
		{"key off the curve", px, offY, upstreamMsg, v.r, v.s},
		{"key at infinity", zero, zero, upstreamMsg, v.r, v.s},
	} {
		if ret := EcdsaValidate(c.x, c.y, c.e, c.r, c.s); ret != -1 {
			t.Errorf("%s: EcdsaValidate = %d, want -1", c.name, ret)
		}
	}
}

func TestSignValidateRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for i := 0; i < 10; i++ {
		d := words(new(big.Int).Add(randBelow(rng, new(big.Int).Sub(curveN, big.NewInt(1))), big.NewInt(1)))
		e := randWords(rng, 8)
		k := randWords(rng, 8)
		x, y := make([]uint32, 8), make([]uint32, 8)
		genPubKey(d, x, y)
		r, s := make([]uint32, 9), make([]uint32, 9)
		if ret := EcdsaSign(d, e, k, r, s); ret != 0 {
			t.Fatalf("sign: %d", ret)
		}
		if ret := EcdsaValidate(x, y, e, r, s); ret != 0 {
			t.Fatalf("validate: %d", ret)
		}
		e[0] ^= 1
		if ret := EcdsaValidate(x, y, e, r, s); ret != -1 {
			t.Fatalf("validate of another hash: %d", ret)
		}
	}
}
