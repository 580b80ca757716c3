// Package suite is the table of cipher suites the engine implements. Every
// suite is AES-128-CCM (RFC 6655, RFC 7251) with the TLS 1.2 SHA-256 PRF; they
// differ only in key exchange and tag length, so the handshake looks the
// parameters up here instead of branching on suite identifiers.
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
	KeyExchange KeyExchange
	TagLen      int
}

// Overhead is what record protection adds to a plaintext: explicit nonce and tag.
func (s *Suite) Overhead() int { return ExplicitNonceLen + s.TagLen }

func (s *Suite) String() string { return s.ID.String() }

var (
	ecdheCCM8 = &Suite{protocol.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, ECDHEECDSA, 8}
	ecdheCCM  = &Suite{protocol.TLS_ECDHE_ECDSA_WITH_AES_128_CCM, ECDHEECDSA, 16}
	pskCCM8   = &Suite{protocol.TLS_PSK_WITH_AES_128_CCM_8, PSK, 8}
	pskCCM    = &Suite{protocol.TLS_PSK_WITH_AES_128_CCM, PSK, 16}
)

// Default is upstream tinydtls's default preference order.
var Default = []protocol.CipherSuite{ecdheCCM8.ID, ecdheCCM.ID, pskCCM8.ID, pskCCM.ID}

// Lookup returns the suite with the given identifier, or nil if we do not
// implement it.
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
