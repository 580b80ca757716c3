// SPDX-License-Identifier: BSD-3-Clause

package ecc

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/asn1"
	"math/big"
	"math/rand/v2"
	"testing"

	p256 "github.com/tinydtls-go/tinydtls/core/ecc"
)

func TestECDHPreMasterSecretRFC5903(t *testing.T) {
	out := make([]byte, 40)
	n, err := ECDHPreMasterSecret(rfc5903I, rfc5903GRx, rfc5903GRy, out)
	if err != nil || n != 32 || !bytes.Equal(out[:32], rfc5903Zx) || !bytes.Equal(out[32:], make([]byte, 8)) {
		t.Fatalf("initiator: %d, %v, %x", n, err, out)
	}
	n, err = ECDHPreMasterSecret(rfc5903R, rfc5903GIx, rfc5903GIy, out[:32])
	if err != nil || n != 32 || !bytes.Equal(out[:32], rfc5903Zx) {
		t.Fatalf("responder: %d, %v, %x", n, err, out)
	}
}

func TestECDHPreMasterSecretRejects(t *testing.T) {
	out := make([]byte, 32)
	offY := bytes.Clone(rfc5903GRy)
	offY[0] ^= 0x80
	nBytes := bytes32(curveN)
	for _, c := range []struct {
		name          string
		priv, x, y, r []byte
	}{
		{"point off the curve", rfc5903I, rfc5903GRx, offY, out},
		{"point at infinity", rfc5903I, make([]byte, 32), make([]byte, 32), out},
		{"private key 0", make([]byte, 32), rfc5903GRx, rfc5903GRy, out},
		{"private key n", nBytes, rfc5903GRx, rfc5903GRy, out},
		{"short result", rfc5903I, rfc5903GRx, rfc5903GRy, out[:31]},
		{"short private key", rfc5903I[:31], rfc5903GRx, rfc5903GRy, out},
		{"short coordinate", rfc5903I, rfc5903GRx[1:], rfc5903GRy, out},
	} {
		if n, err := ECDHPreMasterSecret(c.priv, c.x, c.y, c.r); n != -1 || err == nil {
			t.Errorf("%s: %d, %v", c.name, n, err)
		}
	}
	// A private key >= n is used mod n, as upstream's arithmetic does.
	five := bytes32(big.NewInt(5))
	fivePlusN := bytes32(new(big.Int).Add(big.NewInt(5), curveN))
	want := make([]byte, 32)
	if _, err := ECDHPreMasterSecret(five, rfc5903GRx, rfc5903GRy, want); err != nil {
		t.Fatal(err)
	}
	if n, err := ECDHPreMasterSecret(fivePlusN, rfc5903GRx, rfc5903GRy, out); n != 32 || err != nil || !bytes.Equal(out, want) {
		t.Errorf("5 + n: %d, %v, %x", n, err, out)
	}
}

func TestGenerateKeyAndAgreement(t *testing.T) {
	privA, ax, ay, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	privB, bx, by, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	if privA == privB {
		t.Fatal("two keys alike")
	}
	if !p256.IsOnCurve(ax[:], ay[:]) || !p256.IsOnCurve(bx[:], by[:]) {
		t.Fatal("public key not on the curve")
	}
	// The public key is priv*G in the word API too.
	x, y := make([]uint32, 8), make([]uint32, 8)
	genPubKey(keyWords(privA[:]), x, y)
	checkPoint(t, "GenPubKey", x, y, keyWords(ax[:]), keyWords(ay[:]))
	if IsValidKey(keyWords(privA[:])) != 1 {
		t.Fatal("generated key not valid")
	}
	sAB, sBA := make([]byte, 32), make([]byte, 32)
	if _, err := ECDHPreMasterSecret(privA[:], bx[:], by[:], sAB); err != nil {
		t.Fatal(err)
	}
	if _, err := ECDHPreMasterSecret(privB[:], ax[:], ay[:], sBA); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sAB, sBA) {
		t.Fatal("the two sides disagree")
	}
	// The word API agrees on the full shared point's x-coordinate.
	EcMult(keyWords(bx[:]), keyWords(by[:]), keyWords(privA[:]), x, y)
	if !bytes.Equal(bytes32(wordsToInt(x)), sAB) {
		t.Fatal("ECDH word API disagrees")
	}
}

func sigBytes(w [9]uint32) []byte {
	if w[8] != 0 {
		panic("ninth word set")
	}
	b := make([]byte, 32)
	KeyFromWords(w[:8], b)
	return b
}

func TestCreateAndVerifySigHash(t *testing.T) {
	hash := sha256.Sum256([]byte("sample"))
	r, s, err := ECDSACreateSigHash(rfc6979D, hash[:])
	if err != nil {
		t.Fatal(err)
	}
	rb, sb := sigBytes(r), sigBytes(s)
	// Check with crypto/ecdsa directly, independent of our verifier.
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, rfc6979Ux...), rfc6979Uy...))
	if err != nil {
		t.Fatal(err)
	}
	if !ecdsa.Verify(pub, hash[:], new(big.Int).SetBytes(rb), new(big.Int).SetBytes(sb)) {
		t.Fatal("crypto/ecdsa rejects our signature")
	}
	if ret := ECDSAVerifySigHash(rfc6979Ux, rfc6979Uy, hash[:], rb, sb); ret != 0 {
		t.Fatalf("ECDSAVerifySigHash = %d", ret)
	}
	// The published RFC 6979 signature verifies as well.
	if ret := ECDSAVerifySigHash(rfc6979Ux, rfc6979Uy, hash[:], rfc6979R, rfc6979S); ret != 0 {
		t.Fatalf("RFC 6979 signature: %d", ret)
	}
	flip := func(b []byte, i int) []byte {
		b = bytes.Clone(b)
		b[i] ^= 1
		return b
	}
	for _, c := range []struct {
		name             string
		x, y, h, rr, sss []byte
	}{
		{"wrong hash", rfc6979Ux, rfc6979Uy, flip(hash[:], 5), rb, sb},
		{"r changed", rfc6979Ux, rfc6979Uy, hash[:], flip(rb, 31), sb},
		{"s changed", rfc6979Ux, rfc6979Uy, hash[:], rb, flip(sb, 0)},
		{"key off the curve", rfc6979Ux, flip(rfc6979Uy, 31), hash[:], rb, sb},
		{"other key", rfc5903GIx, rfc5903GIy, hash[:], rb, sb},
		{"r = 0", rfc6979Ux, rfc6979Uy, hash[:], make([]byte, 32), sb},
		{"s = n", rfc6979Ux, rfc6979Uy, hash[:], rb, bytes32(curveN)},
		{"short hash", rfc6979Ux, rfc6979Uy, hash[:31], rb, sb},
		{"short r", rfc6979Ux, rfc6979Uy, hash[:], rb[1:], sb},
	} {
		if ret := ECDSAVerifySigHash(c.x, c.y, c.h, c.rr, c.sss); ret != -1 {
			t.Errorf("%s: %d, want -1", c.name, ret)
		}
	}
}

func TestCreateSigHashRejects(t *testing.T) {
	hash := make([]byte, 32)
	if _, _, err := ECDSACreateSigHash(make([]byte, 32), hash); err == nil {
		t.Error("zero private key accepted")
	}
	if _, _, err := ECDSACreateSigHash(bytes32(curveN), hash); err == nil {
		t.Error("private key n accepted")
	}
	if _, _, err := ECDSACreateSigHash(rfc6979D, hash[:20]); err == nil {
		t.Error("20-byte hash accepted")
	}
}

// TestSignatureOverRandoms checks the digest upstream's _sig variants sign:
// SHA-256(client_random || server_random || keyx_params).
func TestSignatureOverRandoms(t *testing.T) {
	priv, x, y, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	client := bytes.Repeat([]byte{0xC1}, 32)
	server := bytes.Repeat([]byte{0x5E}, 32)
	params := append([]byte{3, 0, 23, 65, 4}, append(bytes.Clone(x[:]), y[:]...)...)
	r, s, err := ECDSACreateSig(priv[:], client, server, params)
	if err != nil {
		t.Fatal(err)
	}
	rb, sb := sigBytes(r), sigBytes(s)
	digest := sha256.Sum256(append(append(bytes.Clone(client), server...), params...))
	if p256.HandshakeHash(client, server, params) != digest {
		t.Fatal("HandshakeHash is not SHA-256 of the concatenation")
	}
	if ret := ECDSAVerifySigHash(x[:], y[:], digest[:], rb, sb); ret != 0 {
		t.Fatalf("verify against the concatenation's digest: %d", ret)
	}
	if ret := ECDSAVerifySig(x[:], y[:], client, server, params, rb, sb); ret != 0 {
		t.Fatalf("ECDSAVerifySig = %d", ret)
	}
	// Swapping the randoms or changing any input breaks the signature.
	if ret := ECDSAVerifySig(x[:], y[:], server, client, params, rb, sb); ret != -1 {
		t.Error("randoms swapped: accepted")
	}
	params[7] ^= 1
	if ret := ECDSAVerifySig(x[:], y[:], client, server, params, rb, sb); ret != -1 {
		t.Error("params changed: accepted")
	}
}

func TestECKeyASN1FromUint32(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	values := []*big.Int{
		big.NewInt(1), big.NewInt(0x7F), big.NewInt(0x80), big.NewInt(0xFF), big.NewInt(0x100),
		big.NewInt(0x7FFFFFFF), big.NewInt(0x80000000), new(big.Int).Lsh(big.NewInt(1), 255),
		new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1)),
		new(big.Int).Lsh(big.NewInt(0x7F), 248), new(big.Int).Set(curveN),
	}
	for i := 0; i < 50; i++ {
		values = append(values, new(big.Int).Rsh(randBelow(rng, new(big.Int).Lsh(big.NewInt(1), 256)), uint(rng.IntN(256))))
	}
	for _, v := range values {
		if v.Sign() == 0 {
			continue
		}
		want, err := asn1.Marshal(v) // DER INTEGER, an independent encoder
		if err != nil {
			t.Fatal(err)
		}
		buf := bytes.Repeat([]byte{0xEE}, 40)
		n := ECKeyASN1FromUint32(words(v), 32, buf)
		if n != len(want) || !bytes.Equal(buf[:n], want) {
			t.Fatalf("%x: wrote %d bytes %x, want %x", v, n, buf[:max(n, 0)], want)
		}
		if buf[n] != 0xEE {
			t.Fatalf("%x: wrote past the encoding", v)
		}
	}
	// Fixed examples of the two adjustments: a leading zero added and
	// leading zero bytes dropped.
	if buf := make([]byte, 35); ECKeyASN1FromUint32(words(big.NewInt(0x80)), 32, buf) != 4 || !bytes.Equal(buf[:4], []byte{2, 2, 0, 0x80}) {
		t.Errorf("0x80 -> %x", buf[:4])
	}
	top := words(new(big.Int).Lsh(big.NewInt(0x80), 248))
	if buf := make([]byte, 35); ECKeyASN1FromUint32(top, 32, buf) != 35 || buf[1] != 33 || buf[2] != 0 || buf[3] != 0x80 {
		t.Errorf("2^255 -> %x", buf)
	}
	// Zero and unusable arguments write nothing and return 0.
	buf := bytes.Repeat([]byte{0xEE}, 40)
	for _, c := range []struct {
		name    string
		key     []uint32
		keySize int
		buf     []byte
	}{
		{"zero", make([]uint32, 8), 32, buf},
		{"buffer too small", top, 32, buf[:34]},
		{"key size not a multiple of 4", top, 30, buf},
		{"key shorter than key size", top[:7], 32, buf},
		{"key size 0", top, 0, buf},
	} {
		if n := ECKeyASN1FromUint32(c.key, c.keySize, c.buf); n != 0 {
			t.Errorf("%s: %d", c.name, n)
		}
	}
	if !bytes.Equal(buf, bytes.Repeat([]byte{0xEE}, 40)) {
		t.Error("buffer written by a failing call")
	}
	// A 16-byte key size uses only the first four words.
	w := []uint32{0x01020304, 0, 0, 0, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}
	if n := ECKeyASN1FromUint32(w, 16, buf); n != 6 || !bytes.Equal(buf[:6], []byte{2, 4, 1, 2, 3, 4}) {
		t.Errorf("16-byte key: %d %x", n, buf[:6])
	}
}
