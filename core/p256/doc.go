// SPDX-License-Identifier: BSD-3-Clause

// Package p256 is ECDSA over P-256 and the little P-256 arithmetic around
// it that the engine and upstream's C-level ECC API need, without
// crypto/ecdsa, crypto/elliptic and math/big: linking those into the
// shared library brings math/big, fmt, reflect and encoding/asn1 with
// them (elliptic's init parses P-224's parameters with fmt; SignASN1
// builds with cryptobyte, whose errors are fmt's), about 0.9 MB.
//
// Point multiplications are crypto/ecdh's (constant time, and assembly on
// the common platforms); what this package adds is the scalar arithmetic
// mod n (constant time: it handles private keys and nonces), field
// arithmetic mod p for public points, RFC 6979 nonces, the verification
// equation on top of crypto/ecdh, the DER signature format, and key
// checks.
//
// Measured on the development machine (2 cores, amd64, Go 1.26; medians
// of five runs of go test -bench 'Sign|Verify' ./core/p256), against
// crypto/ecdsa's SignASN1 and VerifyASN1:
//
//	          ours      crypto/ecdsa
//	Sign     24.6 µs     26.3 µs
//	Verify   77.7 µs     54.4 µs
//
// Verification pays for crypto/ecdh's interface: the x-coordinate of a
// variable-base multiple costs a base point multiplication on top (a
// private key always gets its public key), and the intermediate point must
// be made affine; crypto/ecdsa adds the two products in Jacobian
// coordinates inside the assembly. Two inversions in Go (mod n and mod p,
// about 6 µs each) make up most of the rest.
package p256
