// SPDX-License-Identifier: BSD-3-Clause

// Package suite is the table of cipher suites the engine implements. Every
// DTLS 1.2 suite is AES-128-CCM (RFC 6655, RFC 7251) with the TLS 1.2 SHA-256
// PRF; they differ only in key exchange and tag length, so the handshake
// looks the parameters up here instead of branching on suite identifiers.
// The DTLS 1.3 suites (RFC 8446 §B.4) name only an AEAD with HKDF-SHA256:
// AES-128-GCM, AES-128-CCM and AES-128-CCM_8; their key exchange is
// negotiated apart from the suite.
package suite

import "github.com/tinydtls-go/tinydtls/core/protocol"

// KeyExchange says how the premaster secret is agreed and who is authenticated how.
type KeyExchange int

const (
	// PSK is RFC 4279 plain pre-shared keys.
	PSK KeyExchange = iota + 1
	// ECDHEECDSA is ephemeral P-256 Diffie-Hellman signed with ECDSA raw public keys.
	ECDHEECDSA
)

func (k KeyExchange) String() string {
	switch k {
	case PSK:
		return "PSK"
	case ECDHEECDSA:
		return "ECDHE_ECDSA"
	}
	return "unknown"
}

// Key material sizes shared by every suite (AES-128-CCM with a 4-byte salt).
const (
	KeyLen           = 16
	FixedIVLen       = 4
	ExplicitNonceLen = 8
	// KeyBlockLen is client and server write keys plus both fixed IVs; AEAD
	// suites have no MAC keys.
	KeyBlockLen = 2*KeyLen + 2*FixedIVLen
)

// Suite describes one cipher suite.
type Suite struct {
	ID          protocol.CipherSuite
	KeyExchange KeyExchange // 0 for DTLS 1.3 suites
	TagLen      int
	TLS13       bool // a DTLS 1.3 suite
	GCM         bool // AES-GCM; else AES-CCM
}

// Overhead is what DTLS 1.2 record protection adds to a plaintext: explicit
// nonce and tag. (DTLS 1.3 records have no explicit nonce; the record layer
// computes theirs.)
func (s *Suite) Overhead() int { return ExplicitNonceLen + s.TagLen }

func (s *Suite) String() string { return s.ID.String() }

var (
	ecdheCCM8 = &Suite{ID: protocol.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, KeyExchange: ECDHEECDSA, TagLen: 8}
	ecdheCCM  = &Suite{ID: protocol.TLS_ECDHE_ECDSA_WITH_AES_128_CCM, KeyExchange: ECDHEECDSA, TagLen: 16}
	pskCCM8   = &Suite{ID: protocol.TLS_PSK_WITH_AES_128_CCM_8, KeyExchange: PSK, TagLen: 8}
	pskCCM    = &Suite{ID: protocol.TLS_PSK_WITH_AES_128_CCM, KeyExchange: PSK, TagLen: 16}

	aesGCM  = &Suite{ID: protocol.TLS_AES_128_GCM_SHA256, TagLen: 16, TLS13: true, GCM: true}
	aesCCM  = &Suite{ID: protocol.TLS_AES_128_CCM_SHA256, TagLen: 16, TLS13: true}
	aesCCM8 = &Suite{ID: protocol.TLS_AES_128_CCM_8_SHA256, TagLen: 8, TLS13: true}
)

// Default is upstream tinydtls's default preference order.
var Default = []protocol.CipherSuite{ecdheCCM8.ID, ecdheCCM.ID, pskCCM8.ID, pskCCM.ID}

// Default13 is the DTLS 1.3 suites an application that keeps the default
// parameters allows: the constrained-device profile's CCM_8 first, as
// upstream's 1.2 order has it, then CCM, then GCM.
var Default13 = []protocol.CipherSuite{aesCCM8.ID, aesCCM.ID, aesGCM.ID}

// Lookup13 returns the DTLS 1.3 suite with the given identifier, or nil.
func Lookup13(id protocol.CipherSuite) *Suite {
	switch id {
	case aesGCM.ID:
		return aesGCM
	case aesCCM.ID:
		return aesCCM
	case aesCCM8.ID:
		return aesCCM8
	}
	return nil
}

// Equivalent13 is the DTLS 1.3 suite with the same AEAD as the DTLS 1.2
// suite s (AES-128-CCM or AES-128-CCM_8), so that an application that lists
// only 1.2 suites gets the same record protection in 1.3.
func (s *Suite) Equivalent13() *Suite {
	if s.TLS13 {
		return s
	}
	if s.TagLen == 8 {
		return aesCCM8
	}
	return aesCCM
}

// Lookup returns the DTLS 1.2 suite with the given identifier, or nil if we
// do not implement it.
func Lookup(id protocol.CipherSuite) *Suite {
	switch id {
	case ecdheCCM8.ID:
		return ecdheCCM8
	case ecdheCCM.ID:
		return ecdheCCM
	case pskCCM8.ID:
		return pskCCM8
	case pskCCM.ID:
		return pskCCM
	}
	return nil
}
