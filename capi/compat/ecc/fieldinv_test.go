// SPDX-License-Identifier: BSD-3-Clause

package ecc

import (
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestFieldInvAnyOddModulus: FieldInv is a general inversion for odd
// moduli, not only p and n; A may exceed the modulus.
func TestFieldInvAnyOddModulus(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	b := make([]uint32, 8)
	for i := 0; i < 300; i++ {
		m := randWords(rng, 8)
		if i%3 == 0 {
			clear(m[1+rng.IntN(7):]) // small moduli too
		}
		m[0] |= 1
		a := randWords(rng, 8)
		if i%5 == 0 {
			clear(a[1:])
		}
		FieldInv(a, m, nil, b)
		want := new(big.Int).ModInverse(wordsToInt(a), wordsToInt(m))
		if want == nil || wordsToInt(m).Cmp(big.NewInt(1)) == 0 {
			want = new(big.Int)
		}
		if wordsToInt(b).Cmp(want) != 0 {
			t.Fatalf("1/%x mod %x = %x, want %x", wordsToInt(a), wordsToInt(m), wordsToInt(b), want)
		}
	}
	// No inverse: a shared factor, and an even modulus (upstream's binary
	// algorithm needs an odd one).
	for _, c := range [][2][]uint32{
		{{6, 0, 0, 0, 0, 0, 0, 0}, {9, 0, 0, 0, 0, 0, 0, 0}},
		{{3, 0, 0, 0, 0, 0, 0, 0}, {10, 0, 0, 0, 0, 0, 0, 0}},
		{{3, 0, 0, 0, 0, 0, 0, 0}, make([]uint32, 8)},
	} {
		b[0] = 99
		FieldInv(c[0], c[1], nil, b)
		if !slices.Equal(b, make([]uint32, 8)) {
			t.Errorf("1/%d mod %d = %08x, want 0", c[0][0], c[1][0], b)
		}
	}
}
