// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

// Handler is everything the engine needs from its environment. Every method
// is called synchronously from inside an Endpoint method.
type Handler interface {
	// Send transmits one datagram and returns what the application's write
	// callback reported: the bytes sent (possibly fewer than offered, or
	// 0), or a negative value on failure. c is nil for stateless replies (a
	// HelloVerifyRequest or an alert to an address without association).
	Send(c *Conn, addr []byte, datagram []byte) int
	// Receive delivers decrypted application data. data is only valid
	// during the call.
	Receive(c *Conn, data []byte)
	// Event reports a received alert (level 1 or 2, code = description), an
	// alert the engine sent or a timeout that ended the association (level
	// 2), or an internal event (level 0, code EventConnect, EventConnected
	// or EventRenegotiate).
	Event(c *Conn, level protocol.AlertLevel, code uint16)

	// Capabilities and UserParameters are asked once per handshake; c is
	// nil when a DTLS 1.3 server answers a first ClientHello statelessly
	// (its HelloRetryRequest names the suite and group), as it is for
	// Send then.
	Capabilities(c *Conn) Capabilities
	UserParameters(c *Conn, p *UserParameters)
	// PSKInfo writes the hint, identity or key into out and returns its
	// length. A protocol.Alert error aborts the handshake with that alert.
	PSKInfo(c *Conn, t CredentialType, desc []byte, out []byte) (int, error)
	ECDSAKey(c *Conn) (ECDSAKey, error)
	// VerifyECDSAKey accepts (nil) or rejects the peer's public key.
	VerifyECDSAKey(c *Conn, x, y []byte) error

	ConnChanged(c *Conn, what Change)

	LogEnabled(l LogLevel) bool
	Log(l LogLevel, msg string)
}

// LogLevel uses upstream tinydtls's log_t numbering.
type LogLevel int

const (
	LogEmerg LogLevel = iota
	LogAlert
	LogCrit
	LogWarn
	LogNotice
	LogInfo
	LogDebug
)

// CredentialType says what Handler.PSKInfo is asked for (upstream's
// dtls_credentials_type_t).
type CredentialType int

const (
	PSKHint CredentialType = iota
	PSKIdentity
	PSKKey
)

// Capabilities says which credential callbacks the application has right
// now. Upstream decides per handshake which key exchanges are possible from
// which callbacks are set, and applications (libcoap) swap handler tables at
// run time, so the engine asks every time.
type Capabilities struct {
	PSK            bool // get_psk_info
	ECDSAKey       bool // get_ecdsa_key
	VerifyECDSAKey bool // verify_ecdsa_key
}

// ECDSAKey is a P-256 key pair as 32-byte big-endian values.
type ECDSAKey struct {
	Priv, X, Y []byte
}

// UserParameters are the per-handshake settings the application may change
// (upstream's dtls_user_parameters_t).
type UserParameters struct {
	CipherSuites              []protocol.CipherSuite
	ForceExtendedMasterSecret bool
	ForceRenegotiationInfo    bool
	SupportCID                bool
	// PSKWithoutECDHE asks DTLS 1.3 to use a pre-shared key alone (psk_ke,
	// RFC 8446 §4.2.9): no key exchange, and no forward secrecy, for
	// devices that cannot afford one. A client then offers only psk_ke, a
	// server picks it when the client allows it. Default: psk_dhe_ke.
	PSKWithoutECDHE bool
}

// DefaultUserParameters returns upstream's defaults: every suite in
// upstream's order, extended master secret and renegotiation info required.
func DefaultUserParameters() UserParameters {
	return UserParameters{
		CipherSuites:              append([]protocol.CipherSuite(nil), suite.Default...),
		ForceExtendedMasterSecret: true,
		ForceRenegotiationInfo:    true,
		SupportCID:                true,
	}
}

// MaxPSKLen is the largest pre-shared key we ask the application for (RFC
// 4279 requires at least 64 bytes).
const MaxPSKLen = 64

// maxIdentityLen bounds PSK identities and hints (RFC 4279 recommends 128).
const maxIdentityLen = 128

// Change says what Handler.ConnChanged reports.
type Change int

const (
	ConnCreated Change = iota
	ConnStateChanged
	ConnAddrChanged
	ConnRemoved
	// ConnMoved: Endpoint.Compact moved the association into new memory;
	// this is its *Conn from now on, the old one is invalid.
	ConnMoved
)
