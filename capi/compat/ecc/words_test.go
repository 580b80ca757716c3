// SPDX-License-Identifier: BSD-3-Clause

package ecc

import (
	"encoding/hex"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// primeR is 2^256 - p and orderR is 2^256 - n, the reducers upstream passes
// to ecc_fieldAdd and ecc_fieldInv (its test_helper.h ecc_prime_r and
// ecc_order_r).
var (
	primeR = [8]uint32{0x00000001, 0x00000000, 0x00000000, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFE, 0x00000000}
	orderR = [8]uint32{0x039CDAAF, 0x0C46353D, 0x58E8617B, 0x43190552, 0x00000000, 0x00000000, 0xFFFFFFFF, 0x00000000}
)

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// w8 converts a 64-digit big-endian hex number into upstream's word order.
func w8(s string) []uint32 {
	w := make([]uint32, 8)
	WordsFromKey(unhex(s), w)
	return w
}

func ones(n int) []uint32 {
	w := make([]uint32, n)
	for i := range w {
		w[i] = 0xFFFFFFFF
	}
	return w
}

func TestWordOrderConversions(t *testing.T) {
	key := unhex("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296")
	var w [8]uint32
	WordsFromKey(key, w[:])
	if w != gPointX {
		t.Fatalf("WordsFromKey(Gx) = %08x, want %08x", w, gPointX)
	}
	if w[0] != 0xd898c296 || w[7] != 0x6b17d1f2 {
		t.Fatalf("word 0 must be the least significant: %08x", w)
	}
	back := make([]byte, 32)
	KeyFromWords(w[:], back)
	if !slices.Equal(back, key) {
		t.Fatalf("KeyFromWords = %x", back)
	}
	if got := wordsToInt(w[:]); got.Cmp(new(big.Int).SetBytes(key)) != 0 {
		t.Fatalf("wordsToInt = %x", got)
	}
}

func TestCurveConstants(t *testing.T) {
	p := fromHex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff")
	n := fromHex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
	two256 := new(big.Int).Lsh(big.NewInt(1), 256)
	for _, c := range []struct {
		name string
		got  []uint32
		want *big.Int
	}{
		{"primeM", primeM[:], p},
		{"primeR", primeR[:], new(big.Int).Sub(two256, p)},
		{"orderM", orderM[:], n},
		{"orderR", orderR[:], new(big.Int).Sub(two256, n)},
	} {
		if wordsToInt(c.got).Cmp(c.want) != 0 {
			t.Errorf("%s = %x, want %x", c.name, wordsToInt(c.got), c.want)
		}
	}
	if orderM[8] != 0 {
		t.Error("ninth word of orderM must be zero")
	}
	if !onCurve(curveGX, curveGY) {
		t.Error("G is not on the curve")
	}
}

func TestAddSub(t *testing.T) {
	one := []uint32{1, 0, 0, 0, 0, 0, 0, 0}
	r := make([]uint32, 8)
	if c := Add(ones(8), one, r, 8); c != 1 || !slices.Equal(r, make([]uint32, 8)) {
		t.Errorf("(2^256-1) + 1 = %08x carry %d", r, c)
	}
	if b := Sub(make([]uint32, 8), one, r, 8); b != 1 || !slices.Equal(r, ones(8)) {
		t.Errorf("0 - 1 = %08x borrow %d", r, b)
	}
	// The carry ripples across words.
	if c := Add([]uint32{0xFFFFFFFF, 0xFFFFFFFF, 5}, []uint32{1, 0, 0}, r, 3); c != 0 || !slices.Equal(r[:3], []uint32{0, 0, 6}) {
		t.Errorf("ripple: %08x carry %d", r[:3], c)
	}
	if b := Sub([]uint32{0, 0, 6}, []uint32{1, 0, 0}, r, 3); b != 0 || !slices.Equal(r[:3], []uint32{0xFFFFFFFF, 0xFFFFFFFF, 5}) {
		t.Errorf("borrow ripple: %08x borrow %d", r[:3], b)
	}
	// Only length words are touched, and results may alias operands.
	x := []uint32{7, 8, 9, 10}
	Add(x, x, x, 2)
	if !slices.Equal(x, []uint32{14, 16, 9, 10}) {
		t.Errorf("aliased Add over 2 words = %d", x)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 200; i++ {
		a, b := randWords(rng, 9), randWords(rng, 9)
		sum := make([]uint32, 9)
		c := Add(a, b, sum, 9)
		want := new(big.Int).Add(wordsToInt(a), wordsToInt(b))
		got := new(big.Int).Add(wordsToInt(sum), new(big.Int).Lsh(big.NewInt(int64(c)), 288))
		if got.Cmp(want) != 0 {
			t.Fatalf("Add mismatch")
		}
		diff := make([]uint32, 9)
		br := Sub(a, b, diff, 9)
		want.Sub(wordsToInt(a), wordsToInt(b))
		got = new(big.Int).Sub(wordsToInt(diff), new(big.Int).Lsh(big.NewInt(int64(br)), 288))
		if got.Cmp(want) != 0 {
			t.Fatalf("Sub mismatch")
		}
	}
}

func randWords(rng *rand.Rand, n int) []uint32 {
	w := make([]uint32, n)
	for i := range w {
		w[i] = rng.Uint32()
	}
	return w
}

func TestFieldAddSub(t *testing.T) {
	r := make([]uint32, 8)
	pm1 := wordsToInt(primeM[:])
	pm1.Sub(pm1, big.NewInt(1))
	pMinus1 := make([]uint32, 8)
	intToWords(pm1, pMinus1)
	two := []uint32{2, 0, 0, 0, 0, 0, 0, 0}

	// No carry: upstream leaves the sum unreduced, here p+1.
	FieldAdd(pMinus1, two, primeR[:], r)
	if want := new(big.Int).Add(pm1, big.NewInt(2)); wordsToInt(r).Cmp(want) != 0 {
		t.Errorf("(p-1)+2 = %x, want the unreduced %x", wordsToInt(r), want)
	}
	// A carry adds the reducer once: (2^256-1) + 2 = 2^256 + 1 -> 1 + (2^256 - p).
	FieldAdd(ones(8), two, primeR[:], r)
	want := wordsToInt(primeR[:])
	want.Add(want, big.NewInt(1))
	if wordsToInt(r).Cmp(want) != 0 {
		t.Errorf("(2^256-1)+2 = %x, want %x", wordsToInt(r), want)
	}
	// A borrow adds the modulus: 1 - 2 -> p - 1.
	FieldSub([]uint32{1, 0, 0, 0, 0, 0, 0, 0}, two, primeM[:], r)
	if !slices.Equal(r, pMinus1) {
		t.Errorf("1-2 = %08x, want p-1", r)
	}
	FieldSub(two, two, primeM[:], r)
	if !slices.Equal(r, make([]uint32, 8)) {
		t.Errorf("2-2 = %08x", r)
	}
	// Reduced operands stay reduced and match modular arithmetic.
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 200; i++ {
		a, b := randBelow(rng, curveP), randBelow(rng, curveP)
		aw, bw := make([]uint32, 8), make([]uint32, 8)
		intToWords(a, aw)
		intToWords(b, bw)
		FieldSub(aw, bw, primeM[:], r)
		want := new(big.Int).Sub(a, b)
		if wordsToInt(r).Cmp(want.Mod(want, curveP)) != 0 {
			t.Fatal("FieldSub of reduced operands is not a - b mod p")
		}
	}
}

func randBelow(rng *rand.Rand, m *big.Int) *big.Int {
	b := make([]byte, 40)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	v := new(big.Int).SetBytes(b)
	return v.Mod(v, m)
}

func TestFieldMult(t *testing.T) {
	r := make([]uint32, 16)
	FieldMult(ones(8), ones(8), r, 8)
	// (2^256-1)^2 = 2^512 - 2^257 + 1.
	want := append([]uint32{1, 0, 0, 0, 0, 0, 0, 0, 0xFFFFFFFE}, ones(7)...)
	if !slices.Equal(r, want) {
		t.Errorf("(2^256-1)^2 = %08x", r)
	}
	// Nine-word operands give an 18-word product (upstream's Barrett use).
	r18 := make([]uint32, 18)
	FieldMult(orderM[:], orderM[:], r18, 9)
	n2 := new(big.Int).Mul(curveN, curveN)
	if wordsToInt(r18).Cmp(n2) != 0 {
		t.Errorf("n*n over 9 words = %x", wordsToInt(r18))
	}
	// The result may alias an operand.
	x := make([]uint32, 16)
	copy(x, gPointX[:])
	FieldMult(x, gPointY[:], x, 8)
	if wordsToInt(x).Cmp(new(big.Int).Mul(curveGX, curveGY)) != 0 {
		t.Error("aliased FieldMult wrong")
	}
}

func TestFieldModP(t *testing.T) {
	a := make([]uint32, 8)
	b := make([]uint32, 16)
	b[8] = 1 // 2^256 mod p = 2^256 - p
	FieldModP(a, b)
	if !slices.Equal(a, primeR[:]) {
		t.Errorf("2^256 mod p = %08x", a)
	}
	copy(b, primeM[:])
	clear(b[8:])
	FieldModP(a, b)
	if !slices.Equal(a, make([]uint32, 8)) {
		t.Errorf("p mod p = %08x", a)
	}
	// (p-1)^2 ≡ 1.
	pm1 := make([]uint32, 8)
	Sub(primeM[:], []uint32{1, 0, 0, 0, 0, 0, 0, 0}, pm1, 8)
	FieldMult(pm1, pm1, b, 8)
	FieldModP(a, b)
	if IsOne(a) != 1 {
		t.Errorf("(p-1)^2 mod p = %08x", a)
	}
	// The largest 512-bit input is reduced fully as well.
	FieldModP(a, ones(16))
	want := new(big.Int).Lsh(big.NewInt(1), 512)
	want.Sub(want, big.NewInt(1)).Mod(want, curveP)
	if wordsToInt(a).Cmp(want) != 0 || IsGreater(a, primeM[:], 8) >= 0 {
		t.Errorf("(2^512-1) mod p = %08x", a)
	}
}

func TestFieldModO(t *testing.T) {
	r := make([]uint32, 9)
	// Upstream's short cut: an 8-word value up to n is copied, so n stays n.
	FieldModO(orderM[:], r, 8)
	if !slices.Equal(r[:8], orderM[:8]) {
		t.Errorf("n (8 words) -> %08x, want n unchanged", r[:8])
	}
	r[8] = 0xDEAD
	FieldModO(gPointX[:], r, 8)
	if !slices.Equal(r[:8], gPointX[:]) || r[8] != 0xDEAD {
		t.Errorf("Gx < n must be copied to 8 words only: %08x", r)
	}
	// n+1 is reduced, and then 9 words are written.
	np1 := make([]uint32, 8)
	Add(orderM[:], []uint32{1, 0, 0, 0, 0, 0, 0, 0}, np1, 8)
	FieldModO(np1, r, 8)
	if !slices.Equal(r, []uint32{1, 0, 0, 0, 0, 0, 0, 0, 0}) {
		t.Errorf("n+1 -> %08x", r)
	}
	// 2^256 as nine words reduces to 2^256 - n.
	FieldModO([]uint32{0, 0, 0, 0, 0, 0, 0, 0, 1}, r, 9)
	if !slices.Equal(r[:8], orderR[:]) || r[8] != 0 {
		t.Errorf("2^256 mod n = %08x", r)
	}
	// n^2 as sixteen words reduces to 0; A may alias result.
	a := make([]uint32, 16)
	FieldMult(orderM[:8], orderM[:8], a, 8)
	FieldModO(a, a, 16)
	if !slices.Equal(a[:9], make([]uint32, 9)) {
		t.Errorf("n^2 mod n = %08x", a[:9])
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 100; i++ {
		v := randWords(rng, 16)
		FieldModO(v, r, 16)
		want := wordsToInt(v)
		if wordsToInt(r).Cmp(want.Mod(want, curveN)) != 0 {
			t.Fatal("FieldModO of 16 words is not A mod n")
		}
	}
}

func TestFieldInv(t *testing.T) {
	b := make([]uint32, 8)
	// 2^-1 = (p+1)/2.
	FieldInv([]uint32{2, 0, 0, 0, 0, 0, 0, 0}, primeM[:], primeR[:], b)
	want := new(big.Int).Add(curveP, big.NewInt(1))
	if wordsToInt(b).Cmp(want.Rsh(want, 1)) != 0 {
		t.Errorf("1/2 mod p = %x", wordsToInt(b))
	}
	// Inverse modulo n, checked by multiplying back with the word helpers.
	prod := make([]uint32, 16)
	r := make([]uint32, 9)
	FieldInv(gPointY[:], orderM[:], orderR[:], b)
	FieldMult(b, gPointY[:], prod, 8)
	FieldModO(prod, r, 16)
	if !slices.Equal(r, []uint32{1, 0, 0, 0, 0, 0, 0, 0, 0}) {
		t.Errorf("Gy * Gy^-1 mod n = %08x", r)
	}
	// No inverse: upstream hangs, here the result is zero.
	b[0] = 99
	FieldInv(make([]uint32, 8), primeM[:], primeR[:], b)
	if !slices.Equal(b, make([]uint32, 8)) {
		t.Errorf("0^-1 = %08x, want 0", b)
	}
	FieldInv(primeM[:], primeM[:], primeR[:], b)
	if !slices.Equal(b, make([]uint32, 8)) {
		t.Errorf("p^-1 mod p = %08x, want 0", b)
	}
}

func TestSmallHelpers(t *testing.T) {
	a := []uint32{1, 2, 3, 4, 5, 6, 7, 8, 9}
	b := make([]uint32, 9)
	Copy(a, b, 8)
	if !slices.Equal(b, []uint32{1, 2, 3, 4, 5, 6, 7, 8, 0}) {
		t.Errorf("Copy = %d", b)
	}
	if IsSame(a, b, 8) != 1 || IsSame(a, b, 9) != 0 {
		t.Error("IsSame")
	}
	SetZero(a, 3)
	if !slices.Equal(a, []uint32{0, 0, 0, 4, 5, 6, 7, 8, 9}) {
		t.Errorf("SetZero = %d", a)
	}
	if IsOne([]uint32{1, 0, 0, 0, 0, 0, 0, 0}) != 1 || IsOne([]uint32{1, 0, 0, 0, 0, 0, 0, 1}) != 0 ||
		IsOne(make([]uint32, 8)) != 0 || IsOne([]uint32{3, 0, 0, 0, 0, 0, 0, 0}) != 0 {
		t.Error("IsOne")
	}
	r := []uint32{0x00000003, 0, 0, 0, 0, 0, 0, 0x80000001}
	RShift(r)
	if !slices.Equal(r, []uint32{1, 0, 0, 0, 0, 0, 0x80000000, 0x40000000}) {
		t.Errorf("RShift = %08x", r)
	}
	if IsGreater(orderM[:], gPointX[:], 8) != 1 || IsGreater(gPointX[:], orderM[:], 8) != -1 ||
		IsGreater(gPointX[:], gPointX[:], 8) != 0 {
		t.Error("IsGreater")
	}
	// The most significant differing word decides.
	if IsGreater([]uint32{0, 0, 1}, []uint32{0xFFFFFFFF, 0xFFFFFFFF, 0}, 3) != 1 {
		t.Error("IsGreater must compare from the top word")
	}
}
