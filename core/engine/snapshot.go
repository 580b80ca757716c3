// SPDX-License-Identifier: BSD-3-Clause

package engine

import "github.com/tinydtls-go/tinydtls/core/record"

// snapshot is a read-only copy of what an association's state is, for the
// tests (which look through it instead of into the types) and for
// diagnostics. It is a value: comparing two tells whether anything changed.
type snapshot struct {
	Role    Role
	Version uint16 // protocol version; 0 while not known
	// KeyExchange is how a DTLS 1.3 handshake authenticated and agreed on
	// keys: "psk_dhe_ke", "psk_ke" or "raw public keys".
	KeyExchange string
	Group       uint16 // its ECDHE group, 0 if none
	// Flight: a flight of ours is kept for retransmission.
	Flight      bool
	State       State
	Established bool
	Removed     bool

	ReadEpoch, WriteEpoch uint16
	WriteSeq              uint64 // next sequence number of the write epoch
	NextReadKeys          bool   // the keys of the next read epoch exist
	// The highest epoch-0 sequence number received, if any was.
	Epoch0Highest uint64
	Epoch0Seen    bool
	Held          int  // records the record layer keeps for later
	Expanded      bool // record protection expanded (cipher cache)
	// WriteKeys are the current write epoch's keys, so that a test can seal
	// records as this association would without touching it.
	WriteKeys record.Keys
	WriteCID  string

	// The verify_data of the last completed handshake.
	ClientVerify, ServerVerify [12]byte

	Handshake handshakeSnapshot // zero between handshakes
}

// handshakeSnapshot is the state of a handshake in progress.
type handshakeSnapshot struct {
	Running        bool
	State          State
	NextRecvSeq    uint16 // message_seq of the peer's next message
	HelloVerifies  int    // client: HelloVerifyRequests answered
	NewEpochActive bool   // the peer's ChangeCipherSpec switched the read epoch
	CCSPending     bool   // a ChangeCipherSpec came before the keys existed
	// Buffered handshake messages (complete or not) and their bytes.
	BufferedMsgs, BufferedBytes int
}

func (c *Conn) snapshot() snapshot {
	s := snapshot{
		Role:         c.hs.role(),
		Version:      c.hs.version(),
		State:        c.state,
		Established:  c.established,
		Removed:      c.removed,
		ReadEpoch:    c.rl.In.Epoch(),
		WriteEpoch:   c.rl.Out.Epoch(),
		WriteSeq:     c.rl.Out.Seq(),
		NextReadKeys: c.rl.In.HasNext(),
		Held:         c.rl.In.HeldCount(),
		Expanded:     c.rl.Expanded(),
		WriteKeys:    c.rl.Out.Keys(),
		WriteCID:     string(c.rl.Out.CID()),
		Flight:       c.flight != nil,
	}
	s.Epoch0Highest, s.Epoch0Seen = c.rl.In.Highest(0)
	c.hs.snapshot(&s)
	return s
}
