// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"io"
	"time"

	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/sysrand"
	"github.com/tinydtls-go/tinydtls/core/textf"
)

// Config holds the settings of an Endpoint. Zero fields take the defaults
// documented on each.
type Config struct {
	// Rand is the source of randomness: randoms, cookie secrets,
	// connection IDs, signature nonces and the private keys of ECDHE and
	// key shares, so it must be a cryptographic generator (only tests
	// pass a seeded one). Default core/sysrand: the operating system's
	// generator, as crypto/rand but smaller to link.
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
	// MinVersion and MaxVersion bound the protocol versions negotiated:
	// protocol.VersionDTLS12 or protocol.VersionDTLS13; 0 takes the
	// default. A server's default range is 1.2 to 1.3: it negotiates 1.3
	// with a client that offers it. A client's default is 1.2 only; with
	// MaxVersion 1.3 it offers 1.3 and falls back to 1.2 unless MinVersion
	// is 1.3 too.
	MinVersion, MaxVersion uint16
	// Groups are the DTLS 1.3 key exchange groups (protocol.GroupX25519,
	// protocol.GroupSecp256r1) in preference order: a client sends a key
	// share for the first and offers them all, a server takes the first
	// the client supports. Default DefaultGroups.
	Groups []uint16
}

// versionRank orders protocol versions (their wire values count down):
// 12 for DTLS 1.2, 13 for DTLS 1.3, 0 for anything we do not speak.
func versionRank(v uint16) int {
	switch v {
	case protocol.VersionDTLS12:
		return 12
	case protocol.VersionDTLS13:
		return 13
	}
	return 0
}

// checkVersions validates a version range as Config and SetVersions take
// it: each bound 0 (the default) or a version we speak, and min not newer
// than max.
func checkVersions(min, max uint16) error {
	if min != 0 && versionRank(min) == 0 || max != 0 && versionRank(max) == 0 {
		return textf.Errorf("dtls: versions must be 0 (default), DTLS 1.2 (0x%04x) or DTLS 1.3 (0x%04x)",
			protocol.VersionDTLS12, protocol.VersionDTLS13)
	}
	if min != 0 && max != 0 && versionRank(min) > versionRank(max) {
		return textf.Errorf("dtls: the minimum version %s is newer than the maximum %s",
			protocol.VersionName(min), protocol.VersionName(max))
	}
	return nil
}

// versions is the range a role negotiates, defaults applied (see
// MinVersion): the oldest and newest version, as ranks.
func (c *Config) versions(r Role) (lo, hi int) {
	lo, hi = versionRank(c.MinVersion), versionRank(c.MaxVersion)
	if hi == 0 {
		hi = 12
		if r == RoleServer || lo == 13 {
			hi = 13
		}
	}
	if lo == 0 || lo > hi {
		lo = min(12, hi)
	}
	return lo, hi
}

func (c *Config) withDefaults() Config {
	d := *c
	if d.Rand == nil {
		d.Rand = sysrand.Reader
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
	groups := d.Groups[:0:0]
	for _, g := range d.Groups {
		if (g == protocol.GroupX25519 || g == protocol.GroupSecp256r1) && !contains(groups, g) {
			groups = append(groups, g)
		}
	}
	if d.Groups = groups; len(groups) == 0 {
		d.Groups = DefaultGroups
	}
	if checkVersions(d.MinVersion, d.MaxVersion) != nil {
		// An invalid range falls back to the defaults rather than to a
		// range that could not negotiate anything.
		d.MinVersion, d.MaxVersion = 0, 0
	}
	return d
}
