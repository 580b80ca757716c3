// SPDX-License-Identifier: BSD-3-Clause

// Package p256 is ECDSA and ECDH over P-256, and the little P-256
// arithmetic upstream's C-level ECC API needs, without crypto/ecdsa,
// crypto/elliptic, crypto/ecdh and math/big. Size is the reason: ecdsa
// and elliptic bring math/big, fmt, reflect and encoding/asn1 with them
// (elliptic's init parses P-224's parameters with fmt; SignASN1 builds
// with cryptobyte, whose errors are fmt's), about 0.9 MB; crypto/ecdh
// alone brings the FIPS self-test, the nistec assembly and an 88 KB base
// point table, about 170 KB of a 2.7 MB library.
//
// Everything is therefore here, in plain Go: scalars mod n and field
// elements mod p in Montgomery form (mont.go, field.go), point
// multiplications in projective coordinates with complete formulas
// (proj.go), verification in Jacobian coordinates (jac.go), RFC 6979 and
// hedged nonces, ECDH keys, the DER signature format and key checks.
//
// What handles secrets runs in time independent of them: scalar
// arithmetic, k·G (signing, key generation) and k·P (ECDH): fixed
// sequences of doublings and additions, table entries read with masks,
// one fixed-chain inversion. Verification and the affine point API work
// on public values and take shortcuts on them.
//
// Without assembly and big tables this is slower than crypto/ecdsa and
// crypto/ecdh, which is accepted. Measured on the development machine (2
// cores, amd64, Go 1.26; medians of five runs of go test -bench .
// ./core/p256), ours against crypto/ecdsa's SignASN1 and VerifyASN1, and
// crypto/ecdh's NewPrivateKey (a base point multiplication) and
// NewPublicKey + ECDH:
//
//	                        ours      crypto
//	Sign                   43.4 µs    27.3 µs
//	Verify                 76.8 µs    60.0 µs
//	ScalarBaseMult         28.5 µs    11.6 µs
//	ScalarMult             84.3 µs
//	ECDH (with the check)  84.3 µs    44.4 µs
//
// The first k·G also makes its table of G's multiples, about 0.2 ms once;
// the first verification makes its own, about 30 µs.
//
// A field multiplication costs about 16 ns. k·G is a signed comb of four
// 5-tooth combs (12 doublings, 52 additions of affine entries read with
// masks) over 64 points made on first use; k·P uses 4-bit windows
// (252 doublings, done in Jacobian coordinates, and 63 complete
// additions); Verify interleaves width-7 (G, 32 points made on first use)
// and width-5 (Q) NAFs over one chain of Jacobian doublings, with affine
// odd multiples and no final inversion. The tables made at run time take
// about 7 KB; none is in the binary. The field multiplication is
// specialised to the shape of p (field.go).
package p256
