// SPDX-License-Identifier: BSD-3-Clause

package ecc

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"math/big"
	"testing"
)

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// Points from RFC 6979 (A.2.5, the public key U) and RFC 5903 (8.1, g^i).
var (
	rfc6979Ux  = unhex("60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6")
	rfc6979Uy  = unhex("7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299")
	rfc5903GIx = unhex("dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180")
	rfc5903GIy = unhex("5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3")

	curveP, _ = new(big.Int).SetString("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16)
)

func bytes32(v *big.Int) []byte { return v.FillBytes(make([]byte, 32)) }

func TestIsOnCurve(t *testing.T) {
	if !IsOnCurve(rfc6979Ux, rfc6979Uy) || !IsOnCurve(rfc5903GIx, rfc5903GIy) {
		t.Fatal("valid points rejected")
	}
	bad := bytes.Clone(rfc6979Uy)
	bad[31] ^= 1
	p := bytes32(curveP)
	for _, c := range []struct {
		name string
		x, y []byte
	}{
		{"y flipped", rfc6979Ux, bad},
		{"infinity", make([]byte, 32), make([]byte, 32)},
		{"x = p", p, rfc6979Uy},
		{"short x", rfc6979Ux[:31], rfc6979Uy},
		{"long y", rfc6979Ux, append(bytes.Clone(rfc6979Uy), 0)},
	} {
		if IsOnCurve(c.x, c.y) {
			t.Errorf("%s accepted", c.name)
		}
	}
	// y and p - y are both on the curve; y + p is not a reduced coordinate.
	negY := bytes32(new(big.Int).Sub(curveP, new(big.Int).SetBytes(rfc6979Uy)))
	if !IsOnCurve(rfc6979Ux, negY) {
		t.Error("-U rejected")
	}
}

func TestHandshakeHash(t *testing.T) {
	client := bytes.Repeat([]byte{0xC1}, 32)
	server := bytes.Repeat([]byte{0x5E}, 32)
	params := []byte{3, 0, 23, 65, 4}
	digest := sha256.Sum256(append(append(bytes.Clone(client), server...), params...))
	if HandshakeHash(client, server, params) != digest {
		t.Fatal("HandshakeHash is not SHA-256 of the concatenation")
	}
}
