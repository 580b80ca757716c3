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
// (proj.go), RFC 6979 and hedged nonces, verification, ECDH keys, the DER
// signature format and key checks.
//
// What handles secrets runs in time independent of them: scalar
// arithmetic, k·G (signing, key generation) and k·P (ECDH): fixed
// sequences of doublings and additions, table entries read with masks,
// one fixed-chain inversion. Verification and the affine point API work
// on public values and take shortcuts on them.
//
// Without assembly and big tables this is slower than crypto/ecdsa and
// crypto/ecdh, which is accepted. Measured on the development machine (2
// cores, amd64, Go 1.26, with another job running; medians of five runs
// of go test -bench . ./core/p256), ours against crypto/ecdsa's SignASN1
// and VerifyASN1, and crypto/ecdh's NewPrivateKey (a base point
// multiplication) and NewPublicKey + ECDH:
//
//	                        ours      crypto
//	Sign                   63.5 µs    30.2 µs
//	Verify                126.7 µs    59.3 µs
//	ScalarBaseMult         47.6 µs    10.9 µs
//	ScalarMult            106.3 µs
//	ECDH (with the check) 107.4 µs    46.1 µs
//
// A doubling costs about 0.3 µs. k·G is a comb over four 64-bit teeth (63
// doublings), with sixteen points made at init from three constants; k·P
// uses 4-bit windows (252 doublings); Verify shares the doublings of u1·G
// and u2·Q. The field multiplication is specialised to the shape of p
// (field.go).
package p256
