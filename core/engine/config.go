// Package engine is the sans-I/O DTLS 1.2 engine: an Endpoint holds the
// associations (Conn) of one context and is driven entirely by its caller.
// Datagrams and the current time go in through HandleDatagram, Connect,
// Write, Close and CheckRetransmit; datagrams, application data, events and
// credential questions come out through the Handler interface, synchronously
// and only at points where the engine's state is consistent, so a handler may
// call back into the Endpoint (an echo server writes from inside Receive).
//
// An Endpoint is not safe for concurrent use: one goroutine (or C thread) at a
// time, as with upstream tinydtls.
package engine

import (
	"crypto/rand"
	"io"
	"time"

	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

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

// Role of an association.
type Role uint8

const (
	RoleClient Role = iota
	RoleServer
)

func (r Role) String() string {
	if r == RoleServer {
		return "server"
	}
	return "client"
}

// State uses upstream's dtls_state_t numbering, so the C layer can mirror it
// into dtls_peer_t.state unchanged.
type State uint8

const (
	StateInit State = iota
	StateWaitClientHello
	StateWaitClientCertificate
	StateWaitClientKeyExchange
	StateWaitCertificateVerify
	StateWaitChangeCipherSpec
	StateWaitFinished
	StateFinished
	StateClientHello
	StateWaitServerCertificate
	StateWaitServerKeyExchange
	StateWaitServerHelloDone
	StateConnected
	StateClosing
	StateClosed
)

var stateNames = [...]string{"INIT", "WAIT_CLIENTHELLO", "WAIT_CLIENTCERTIFICATE",
	"WAIT_CLIENTKEYEXCHANGE", "WAIT_CERTIFICATEVERIFY", "WAIT_CHANGECIPHERSPEC",
	"WAIT_FINISHED", "FINISHED", "CLIENTHELLO", "WAIT_SERVERCERTIFICATE",
	"WAIT_SERVERKEYEXCHANGE", "WAIT_SERVERHELLODONE", "CONNECTED", "CLOSING", "CLOSED"}

func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "UNKNOWN"
}

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
}

// Change says what Handler.ConnChanged reports.
type Change int

const (
	ConnCreated Change = iota
	ConnStateChanged
	ConnAddrChanged
	ConnRemoved
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

// Config holds the settings of an Endpoint. Zero fields take the defaults
// documented on each.
type Config struct {
	// Rand is the source of randomness. Default crypto/rand.
	Rand io.Reader
	// MTU is the largest datagram the engine sends. Default 1400, upstream's
	// DTLS_MAX_BUF.
	MTU int
	// InitialTimeout is the first retransmission timeout of a flight.
	// Default 1 s (RFC 6347 §4.2.4.1).
	InitialTimeout time.Duration
	// MaxTimeout caps the doubling timeout. Default 60 s.
	MaxTimeout time.Duration
	// MaxRetransmits is how often a flight is retransmitted before the
	// handshake is abandoned. Default 7 (DTLS_DEFAULT_MAX_RETRANSMIT).
	MaxRetransmits int
	// CloseTimeout is how long a closing association waits for the peer's
	// close_notify. Default 2 s, as upstream.
	CloseTimeout time.Duration
	// FinalFlightHold is how long the sender of a handshake's last flight
	// keeps it to answer the peer's retransmissions (RFC 6347 §4.2.4: at
	// least twice the MSL, 240 s). Default 260 s, which also outlasts
	// upstream tinydtls's last retransmission (254 s after its first
	// transmission); released earlier when the peer shows it has our
	// flight.
	FinalFlightHold time.Duration
	// CookieRotation is how often the HelloVerifyRequest cookie secret is
	// replaced; cookies made with the previous secret stay valid. Default 5 min.
	CookieRotation time.Duration
	// MaxConns bounds the number of associations. Default 100000.
	MaxConns int
	// MaxHandshakes bounds the associations with a handshake in progress.
	// When it is reached, a new client that proved its address evicts the
	// oldest server-side handshake still waiting for the client's key
	// exchange. Default 2048.
	MaxHandshakes int
	// MaxActiveCiphers is how many associations keep their expanded record
	// ciphers; less recently active ones rebuild them (an allocation) on
	// their next record. Default 1024.
	MaxActiveCiphers int
	// Reassembly bounds the handshake messages buffered per association.
	Reassembly handshake.Limits
	// MaxPendingRecords bounds the records of a not yet active epoch that an
	// association buffers (records that overtook their ChangeCipherSpec).
	// Default 16.
	MaxPendingRecords int
	// CIDLength is the length of the connection IDs a server hands out to
	// clients that support RFC 9146. Default (0) 6 bytes; negative: none
	// (the server still accepts a CID the client asks it to use). Clients
	// always offer a zero-length CID: a client rarely needs one.
	CIDLength int
	// RecordSizeLimit is the record_size_limit (RFC 8449) we advertise; 0
	// means we do not send the extension.
	RecordSizeLimit int

	// legacyRenegotiation makes the endpoint behave like a pre-RFC 5746
	// peer: no SCSV or renegotiation_info, and it renegotiates anyway. Only
	// tests set it, to check how we treat such peers.
	legacyRenegotiation bool
	// noExtendedMasterSecret makes the endpoint behave like a peer without
	// RFC 7627. Only tests set it.
	noExtendedMasterSecret bool
}

// MaxPSKLen is the largest pre-shared key we ask the application for (RFC
// 4279 requires at least 64 bytes).
const MaxPSKLen = 64

// maxIdentityLen bounds PSK identities and hints (RFC 4279 recommends 128).
const maxIdentityLen = 128

func (c *Config) withDefaults() Config {
	d := *c
	if d.Rand == nil {
		d.Rand = rand.Reader
	}
	if d.MTU <= 0 {
		d.MTU = 1400
	}
	d.MTU = min(max(d.MTU, MinMTU), MaxMTU)
	if d.InitialTimeout <= 0 {
		d.InitialTimeout = time.Second
	}
	if d.MaxTimeout <= 0 {
		d.MaxTimeout = 60 * time.Second
	}
	if d.MaxTimeout < d.InitialTimeout {
		d.MaxTimeout = d.InitialTimeout
	}
	if d.MaxRetransmits <= 0 {
		d.MaxRetransmits = 7
	}
	if d.CloseTimeout <= 0 {
		d.CloseTimeout = 2 * time.Second
	}
	if d.FinalFlightHold <= 0 {
		d.FinalFlightHold = 260 * time.Second
	}
	if d.CookieRotation <= 0 {
		d.CookieRotation = 5 * time.Minute
	}
	if d.MaxConns <= 0 {
		d.MaxConns = 100000
	}
	if d.MaxHandshakes <= 0 {
		d.MaxHandshakes = 2048
	}
	if d.MaxActiveCiphers <= 0 {
		d.MaxActiveCiphers = 1024
	}
	if d.MaxPendingRecords <= 0 {
		d.MaxPendingRecords = 16
	}
	switch {
	case d.CIDLength == 0:
		d.CIDLength = 6
	case d.CIDLength < 0:
		d.CIDLength = 0
	}
	if d.CIDLength > protocol.MaxCIDLen {
		d.CIDLength = protocol.MaxCIDLen
	}
	if d.RecordSizeLimit != 0 {
		d.RecordSizeLimit = min(max(d.RecordSizeLimit, MinRecordSizeLimit), protocol.MaxPlaintext)
	}
	return d
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
