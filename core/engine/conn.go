package engine

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"
	"unsafe"

	"github.com/tinydtls-go/tinydtls/core/handshake"
	"github.com/tinydtls-go/tinydtls/core/protocol"
	"github.com/tinydtls-go/tinydtls/core/record"
	"github.com/tinydtls-go/tinydtls/core/suite"
)

// epochKeys is the key material of one direction of one protected epoch.
// The expanded cipher is built from it on demand and dropped again when the
// association has been idle for a while (see cipherCache), so that an idle
// association costs its keys, not its AES key schedules.
type epochKeys struct {
	suite *suite.Suite // nil: epoch 0, no protection
	key   [suite.KeyLen]byte
	iv    [suite.FixedIVLen]byte
}

func (k *epochKeys) protected() bool { return k.suite != nil }

type readEpoch struct {
	epoch  uint16
	keys   epochKeys
	cipher *record.Cipher // expanded keys, nil until used or after eviction
	win    record.Window
}

type writeEpoch struct {
	epoch  uint16
	keys   epochKeys
	cipher *record.Cipher
	seq    uint64
}

// pendingRecord is a record that arrived before it could be processed: it
// belongs to the epoch the peer's ChangeCipherSpec will start, or it is
// application data that overtook the Finished message.
type pendingRecords struct {
	list  []pendingRecord
	bytes int
}

type pendingRecord struct {
	h       record.Header
	payload []byte
	plain   bool // decrypted application data waiting for the handshake to end
}

// Conn is one association with one peer address.
type Conn struct {
	e     *Endpoint
	addr  string
	role  Role
	state State
	// App is free for the application (the C layer keeps its dtls_peer_t here).
	App any

	removed     bool
	established bool // completed at least one handshake

	// Current epochs, and the previous ones while a retransmitted or
	// reordered record of the last handshake may still need them.
	rd     readEpoch
	wr     writeEpoch
	rdPrev *readEpoch
	wrPrev *writeEpoch
	rdNext *readEpoch
	wrNext *writeEpoch

	suite *suite.Suite
	hs    *handshakeState

	// RFC 5746 state: whether the peer supports secure renegotiation and
	// the verify_data of the last completed handshake.
	secureReneg                bool
	clientVerify, serverVerify [protocol.VerifyDataLen]byte
	// peerSeqEnd is one past the message_seq of the peer's last message in
	// the last completed handshake; lower ones are retransmissions.
	peerSeqEnd uint16

	flight     *flight // the last flight we sent, while it may be needed
	pending    *pendingRecords
	replaying  bool // records from pending are being processed
	dupPending bool

	deadline      time.Duration
	heapIdx       int
	closeAt       time.Duration
	holdUntil     time.Duration
	prevReadUntil time.Duration

	// lastHello identifies (by 8 bytes of its random) the ClientHello of the
	// server's last completed handshake, to tell its copies from a restart.
	lastHello uint64

	// Membership in the Endpoint's cipher cache (most recently used first).
	lruPrev, lruNext *Conn
	inLRU            bool

	readCID, writeCID []byte
	peerRecordLimit   uint16 // the peer's record_size_limit: what we may send
	ownRecordLimit    uint16 // ours, once the peer acknowledged it: what we accept
}

func (c *Conn) String() string {
	return fmt.Sprintf("%s association (%s)", c.role, c.state)
}

// Addr returns the peer address key the association is stored under.
func (c *Conn) Addr() []byte { return unsafe.Slice(unsafe.StringData(c.addr), len(c.addr)) }

// Role returns whether we are client or server of this association.
func (c *Conn) Role() Role { return c.role }

// State returns the association's state as upstream reports it. During a
// renegotiation an association stays CONNECTED: it can carry data.
func (c *Conn) State() State { return c.state }

// Established reports whether a handshake completed and data can flow.
func (c *Conn) Established() bool { return c.established && c.state == StateConnected }

// Suite returns the negotiated cipher suite, or nil before the first ServerHello.
func (c *Conn) Suite() *suite.Suite { return c.suite }

// Removed reports whether the association has been removed from its Endpoint.
func (c *Conn) Removed() bool { return c.removed }

// WriteCID returns the connection ID we put on records to the peer.
func (c *Conn) WriteCID() []byte { return c.writeCID }

// ReadCID returns the connection ID the peer puts on records to us.
func (c *Conn) ReadCID() []byte { return c.readCID }

// Epoch returns the current read and write epochs.
func (c *Conn) Epoch() (read, write uint16) { return c.rd.epoch, c.wr.epoch }

// WriteSeq returns the next record sequence number of the current write epoch.
func (c *Conn) WriteSeq() uint64 { return c.wr.seq }

// MaxWrite returns the largest application payload one Write can carry.
func (c *Conn) MaxWrite() int {
	return c.maxPlaintext(&c.wr)
}

func (c *Conn) setState(s State) {
	if c.state == s {
		return
	}
	c.state = s
	c.e.h.ConnChanged(c, ConnStateChanged)
}

func (c *Conn) logf(l LogLevel, format string, args ...any) {
	if c.e.h.LogEnabled(l) {
		c.e.h.Log(l, fmt.Sprintf(format, args...))
	}
}

// send hands one datagram to the application and returns the byte count
// its write callback reported; a negative count is also an error.
func (c *Conn) send(datagram []byte) (int, error) {
	n := c.e.h.Send(c, c.Addr(), datagram)
	if n < 0 {
		c.logf(LogWarn, "the write callback failed (%d) for a %d-byte datagram", n, len(datagram))
		return n, SendError(n)
	}
	return n, nil
}

// payloadSent estimates, as upstream does, how much of a payload of n bytes
// left in a datagram of dg bytes of which the write callback reported sent
// bytes: everything but what it did not send, never less than 0.
func payloadSent(n, dg, sent int) int {
	if sent <= 0 {
		return sent
	}
	return max(n-(dg-sent), 0)
}

// usesCID says whether records of epoch w carry the peer's connection ID.
// RFC 9146 uses the CID only on protected records.
func (c *Conn) usesCID(w *writeEpoch) bool { return w.keys.protected() && len(c.writeCID) > 0 }

// recordOverhead is what one record of epoch w adds around its content.
func (c *Conn) recordOverhead(w *writeEpoch) int {
	n := record.HeaderLen
	if w.keys.protected() {
		n += w.keys.suite.Overhead()
	}
	if c.usesCID(w) {
		n += len(c.writeCID) + 1 // the CID and the inner content type
	}
	return n
}

// maxPlaintext is the largest record content we may send in epoch w: what
// fits in one datagram, and no more than the peer's record_size_limit.
func (c *Conn) maxPlaintext(w *writeEpoch) int {
	n := c.e.cfg.MTU - c.recordOverhead(w)
	if lim := c.plaintextLimit(); n > lim {
		n = lim
	}
	return n
}

func (c *Conn) plaintextLimit() int {
	lim := protocol.MaxPlaintext
	if c.peerRecordLimit > 0 {
		// RFC 8449 §4: the limit covers the content and, with a CID, the
		// inner content type.
		lim = int(c.peerRecordLimit)
		if len(c.writeCID) > 0 && c.wr.keys.protected() {
			lim--
		}
	}
	return lim
}

// recvLimit is the largest record content we accept.
func (c *Conn) recvLimit() int {
	if c.ownRecordLimit > 0 {
		return int(c.ownRecordLimit)
	}
	return protocol.MaxPlaintext
}

func (c *Conn) writeState(epoch uint16) *writeEpoch {
	if c.wr.epoch == epoch {
		return &c.wr
	}
	if c.wrPrev != nil && c.wrPrev.epoch == epoch {
		return c.wrPrev
	}
	return nil
}

func (c *Conn) readState(epoch uint16) *readEpoch {
	if c.rd.epoch == epoch {
		return &c.rd
	}
	if c.rdPrev != nil && c.rdPrev.epoch == epoch {
		return c.rdPrev
	}
	return nil
}

// startRecord appends a record header (and room for the explicit nonce) for
// content type t in epoch w to b and consumes a sequence number.
func (c *Conn) startRecord(b []byte, w *writeEpoch, t protocol.ContentType, h *record.Header) []byte {
	*h = record.Header{Type: t, Version: protocol.VersionDTLS12, Epoch: w.epoch, Seq: w.seq}
	if c.usesCID(w) {
		h.Type = protocol.ContentTLS12CID
		h.CID = c.writeCID
	}
	w.seq++
	b = record.AppendHeader(b, h)
	if w.keys.protected() {
		b = append(b, 0, 0, 0, 0, 0, 0, 0, 0)
	}
	return b
}

// finishRecord protects the record that starts at rec[0] and whose content
// ends at the end of rec.
func (c *Conn) finishRecord(rec []byte, w *writeEpoch, t protocol.ContentType, h *record.Header) []byte {
	if c.debugOn() {
		n := h.Len()
		if w.keys.protected() {
			n += 8 // the explicit nonce
		}
		c.logRecordSent(rec[:h.Len()], h, w, rec[n:])
	}
	if h.Type == protocol.ContentTLS12CID {
		rec = append(rec, byte(t)) // DTLSInnerPlaintext: content || real type, no padding
	}
	if w.keys.protected() {
		return c.e.ciphers.write(c, w).Seal(rec, h)
	}
	record.SetLength(rec, h.Len(), len(rec)-h.Len())
	return rec
}

// sendRecord sends content as one record of type t in the current epoch.
func (c *Conn) sendRecord(buf []byte, t protocol.ContentType, content []byte) error {
	var h record.Header
	b := c.startRecord(buf[:0], &c.wr, t, &h)
	b = append(b, content...)
	_, err := c.send(c.finishRecord(b, &c.wr, t, &h))
	return err
}

func (c *Conn) sendAlert(buf []byte, a protocol.Alert) {
	var tmp [2]byte
	c.logf(LogDebug, "sending %v", a)
	c.sendRecord(buf, protocol.ContentAlert, a.Marshal(tmp[:0]))
}

// fail ends the association after a fatal error: the alert goes to the peer,
// the application hears of it through its event callback, and the
// association is removed.
func (c *Conn) fail(buf []byte, a protocol.Alert) error {
	if c.removed {
		return a
	}
	a.Level = protocol.LevelFatal
	c.logf(LogWarn, "handshake failed, sending %v", a)
	c.sendAlert(buf, a)
	c.e.endConn(c, protocol.LevelFatal, a.Description)
	return a
}

func (c *Conn) write(buf []byte, bufs [][]byte) (int, error) {
	total := 0
	for _, b := range bufs {
		total += len(b)
	}
	switch {
	case c.state == StateClosing || c.state == StateClosed:
		c.logf(LogWarn, "write refused: the association is %v; %d bytes not sent", c.state, total)
		return -1, ErrClosing
	case !c.Established():
		// Upstream's answer, which applications retry on: nothing is
		// queued during a handshake.
		c.logf(LogDebug, "write during the handshake: %d bytes not sent", total)
		return 0, nil
	}
	if total > c.maxPlaintext(&c.wr) {
		c.logf(LogWarn, "refusing to send %d bytes: more than the %d that fit in one record", total, c.maxPlaintext(&c.wr))
		return -1, ErrTooLarge
	}
	if c.wr.seq > record.MaxSeq {
		return -1, ErrNotConnected
	}
	var h record.Header
	b := c.startRecord(buf[:0], &c.wr, protocol.ContentApplicationData, &h)
	for _, p := range bufs {
		b = append(b, p...)
	}
	rec := c.finishRecord(b, &c.wr, protocol.ContentApplicationData, &h)
	sent, err := c.send(rec)
	return payloadSent(total, len(rec), sent), err
}

// closeNotify is the warning alert that ends an association.
var closeNotify = protocol.Alert{Level: protocol.LevelWarning, Description: protocol.AlertCloseNotify}

// sayGoodbye sends close_notify to a peer that has keys with us and has not
// been told yet.
func (c *Conn) sayGoodbye(buf []byte) {
	if c.established && c.state != StateClosing && c.state != StateClosed {
		c.sendAlert(buf, closeNotify)
	}
}

func (c *Conn) close(buf []byte, now time.Duration) {
	if c.state == StateClosing || c.state == StateClosed {
		return
	}
	if c.hs != nil {
		c.endHandshake()
	}
	c.flight = nil
	c.sendAlert(buf, closeNotify)
	if c.removed {
		return
	}
	c.setState(StateClosing)
	c.closeAt = now + c.e.cfg.CloseTimeout
	c.updateTimer()
}

// MarkClosed applies what the application declared by writing
// DTLS_STATE_CLOSED (closing false) or DTLS_STATE_CLOSING into its view of
// the association, as upstream applications do before dtls_reset_peer so
// that no close_notify goes out (Wakaama's reconnect). Like upstream, the
// association then sends nothing more of its own accord: its handshake and
// retransmissions stop, Write returns 0, Reset and Free send no
// close_notify, and Connect starts afresh. It stays until then, or until
// the peer ends it; data from the peer is still delivered, as upstream
// does.
func (c *Conn) MarkClosed(closing bool) {
	if c.removed {
		return
	}
	if c.hs != nil {
		c.endHandshake()
	}
	c.flight = nil
	c.holdUntil = 0
	c.updateTimer()
	s := StateClosed
	if closing {
		s = StateClosing
	}
	c.logf(LogDebug, "the application marked the association %v", s)
	c.setState(s)
}

// helloID condenses a ClientHello random; 64 bits tell a client's own
// ClientHello from a restarted client's with certainty in practice, and the
// server keeps them for every association.
func helloID(random []byte) uint64 { return binary.BigEndian.Uint64(random[:8]) }

// restartCandidate reports whether an epoch-0 handshake record for this
// association should go to the stateless ClientHello path: it holds a
// ClientHello that is neither a replay nor a retransmission of one this
// server association already handled, i.e. the client restarted (RFC 6347
// §4.2.8) or a new client took over the address.
func (c *Conn) restartCandidate(payload []byte) bool {
	if c.role != RoleServer {
		return false
	}
	hh, frag, _, ok := handshake.ParseFragment(payload)
	if !ok || hh.Type != protocol.HandshakeClientHello || hh.FragmentOffset != 0 || len(frag) < 34 {
		return false
	}
	// client_version (2 bytes), then the 32-byte random. A restarted
	// client starts its record sequence numbers afresh, so only the random
	// tells a new ClientHello from a copy of one already handled.
	random := frag[2:34]
	if c.hs != nil && !c.hs.renegotiation {
		return !bytes.Equal(random, c.hs.clientRandom[:])
	}
	return helloID(random) != c.lastHello
}

func (c *Conn) handleRecord(buf, addr []byte, h *record.Header, payload []byte, now time.Duration) error {
	if h.Version != protocol.VersionDTLS12 &&
		!(h.Version == protocol.VersionDTLS10 && h.Epoch == 0 && h.Type == protocol.ContentHandshake) {
		c.logf(LogDebug, "dropping record with version 0x%04x", h.Version)
		return nil
	}
	rs := c.readState(h.Epoch)
	if rs == nil {
		switch {
		case c.hs != nil && !c.hs.newEpochActive && h.Epoch == c.rd.epoch+1:
			c.bufferRecord(h, payload, false)
		case c.lastFlightRetransmitted(h, payload):
			// The peer did not get our final flight.
			c.noteDuplicate()
		default:
			c.logf(LogDebug, "dropping record of epoch %d", h.Epoch)
		}
		return nil
	}
	// Epoch 0 is unauthenticated: anyone can move its window with a forged
	// far-ahead sequence number, so there it only catches duplicates and
	// never rejects a record for being old.
	if rs.keys.protected() && rs.win.Seen(h.Seq) || !rs.keys.protected() && rs.win.Duplicate(h.Seq) {
		c.logf(LogDebug, "dropping replayed record %d/%d", h.Epoch, h.Seq)
		return nil
	}
	data := payload
	if rs.keys.protected() {
		var err error
		data, err = c.e.ciphers.read(c, rs).Open(h, payload)
		if err != nil {
			return c.authFailed(buf, h)
		}
	} else if h.Type == protocol.ContentTLS12CID {
		return nil // a CID record must be protected
	}
	t := h.Type
	if t == protocol.ContentTLS12CID {
		// Strip the zero padding and read the real content type.
		i := len(data) - 1
		for i >= 0 && data[i] == 0 {
			i--
		}
		if i < 0 {
			return nil
		}
		t = protocol.ContentType(data[i])
		data = data[:i]
	}
	if rs.keys.protected() && len(data) > c.recvLimit() {
		// RFC 6347 §4.1.1.1, RFC 8449 §4: an authentic record that is too
		// large ends the association.
		return c.fail(buf, protocol.Fatal(protocol.AlertRecordOverflow))
	}
	rs.win.Accept(h.Seq)
	c.e.logRecordReceived(h, t, data)
	if h.CID != nil && string(addr) != c.addr {
		c.migrate(addr, rs, h)
	}
	switch t {
	case protocol.ContentHandshake:
		return c.handleHandshakeRecord(buf, h.Epoch, data, now)
	case protocol.ContentChangeCipherSpec:
		return c.handleCCS(buf, h.Epoch, data, now)
	case protocol.ContentAlert:
		return c.handleAlert(buf, h.Epoch, data, now)
	case protocol.ContentApplicationData:
		c.handleAppData(h, data)
		return nil
	}
	c.logf(LogDebug, "dropping record of unknown type %d", t)
	return nil
}

// lastFlightRetransmitted reports whether a record of the epoch before the
// last handshake, whose keys are gone, is a message of the peer's last
// flight of that handshake (a Certificate, ClientKeyExchange or
// CertificateVerify before its Finished) while we still hold our final
// flight: the peer is retransmitting, record by record as upstream tinydtls
// does, and its Finished may never get through on its own. Such a record is
// unauthenticated, so it only ever triggers the rate-limited resend of our
// final flight to the peer's own address.
func (c *Conn) lastFlightRetransmitted(h *record.Header, payload []byte) bool {
	if c.flight == nil || !c.flight.final || h.Epoch+1 != c.rd.epoch || h.Type != protocol.ContentHandshake {
		return false
	}
	hh, _, _, ok := handshake.ParseFragment(payload)
	return ok && hh.MessageSeq < c.peerSeqEnd &&
		(hh.Type == protocol.HandshakeCertificate || hh.Type == protocol.HandshakeClientKeyExchange ||
			hh.Type == protocol.HandshakeCertificateVerify)
}

// authFailed handles a record that did not authenticate. It is dropped
// silently (RFC 6347 §4.1.2.7), with one exception: a handshake record of
// the handshake's new epoch after the peer's ChangeCipherSpec and before its
// Finished verified. That is the peer's Finished, and its failure means the
// two sides derived different keys (a wrong PSK, typically); waiting would
// only end in a timeout, and a peer like upstream tinydtls, which never
// retransmits on its own, would wait forever. So the handshake fails with
// bad_record_mac, as RFC 6347 allows, and the alert tells the peer. A
// forged record that arrives in that short window could do that too, but no
// more than a forged epoch-0 alert already can during a handshake (RFC
// 6347's design); one that arrived before the ChangeCipherSpec (replayed
// from the buffer now), or an application data record, cannot.
func (c *Conn) authFailed(buf []byte, h *record.Header) error {
	if hs := c.hs; hs != nil && h.Epoch == c.rd.epoch && hs.newEpochActive && !hs.peerFinished && !c.replaying &&
		(h.Type == protocol.ContentHandshake || h.Type == protocol.ContentTLS12CID) {
		c.logf(LogWarn, "the peer's Finished record does not authenticate: %s", c.keyMismatch())
		return c.fail(buf, protocol.Fatal(protocol.AlertBadRecordMAC))
	}
	c.logf(LogDebug, "dropping record %d/%d that does not authenticate", h.Epoch, h.Seq)
	return nil
}

// keyMismatch explains a Finished that does not check out.
func (c *Conn) keyMismatch() string {
	if c.suite != nil && c.suite.KeyExchange == suite.PSK {
		return "the peers probably use different pre-shared keys"
	}
	return "the peers derived different keys (a peer's bug, or an attacker)"
}

// migrate follows a peer whose address changed (RFC 9146 §6): only for
// authenticated CID records newer than any seen before.
func (c *Conn) migrate(addr []byte, rs *readEpoch, h *record.Header) {
	if top, _ := rs.win.Highest(); top != h.Seq || rs != &c.rd {
		return
	}
	if other := c.e.conns[string(addr)]; other != nil && other != c {
		return // the new address belongs to another association
	}
	delete(c.e.conns, c.addr)
	c.addr = string(addr)
	c.e.conns[c.addr] = c
	c.logf(LogInfo, "peer moved to a new address")
	c.e.h.ConnChanged(c, ConnAddrChanged)
}

func (c *Conn) bufferRecord(h *record.Header, payload []byte, plain bool) {
	if c.pending == nil {
		c.pending = &pendingRecords{}
	}
	pr := c.pending
	if len(pr.list) >= c.e.cfg.MaxPendingRecords || pr.bytes+len(payload) > 4*protocol.MaxPlaintext {
		c.logf(LogDebug, "dropping early record of epoch %d: buffer full", h.Epoch)
		return
	}
	p := pendingRecord{h: *h, payload: append([]byte(nil), payload...), plain: plain}
	if h.CID != nil {
		p.h.CID = append([]byte(nil), h.CID...)
	}
	pr.list = append(pr.list, p)
	pr.bytes += len(payload)
}

// replayPending processes buffered records that may have become readable.
func (c *Conn) replayPending(buf []byte, now time.Duration) error {
	if c.pending == nil {
		return nil
	}
	list := c.pending.list
	c.pending = nil
	c.replaying = true
	defer func() { c.replaying = false }()
	for i := range list {
		if c.removed {
			return nil
		}
		p := &list[i]
		if p.plain {
			c.handleAppData(&p.h, p.payload)
			continue
		}
		if err := c.handleRecord(buf, c.Addr(), &p.h, p.payload, now); err != nil {
			return err
		}
	}
	return nil
}

func (c *Conn) handleCCS(buf []byte, epoch uint16, data []byte, now time.Duration) error {
	if len(data) != 1 || data[0] != 1 {
		c.logf(LogDebug, "dropping malformed ChangeCipherSpec")
		return nil
	}
	hs := c.hs
	if hs == nil || epoch != c.rd.epoch || hs.newEpochActive {
		// Before any handshake (CVE-2017-7243), after it, or a
		// retransmission: nothing to switch.
		c.logf(LogDebug, "ignoring ChangeCipherSpec")
		return nil
	}
	if c.rdNext == nil {
		// Overtook the key exchange; switch once the keys exist.
		hs.ccsPending = true
		return nil
	}
	return c.activateRead(buf, now)
}

// activateRead makes the pending read epoch current after the peer's
// ChangeCipherSpec and processes records that waited for it.
func (c *Conn) activateRead(buf []byte, now time.Duration) error {
	prev := c.rd
	c.rdPrev = &prev
	c.rd = *c.rdNext
	c.rdNext = nil
	c.hs.newEpochActive = true
	c.hs.ccsPending = false
	c.logf(LogDebug, "read epoch %d active (%v)", c.rd.epoch, c.rd.keys.suite)
	if c.hs.state == StateWaitChangeCipherSpec {
		c.setHSState(StateWaitFinished)
	}
	return c.replayPending(buf, now)
}

func (c *Conn) handleAlert(buf []byte, epoch uint16, data []byte, now time.Duration) error {
	a, ok := protocol.ParseAlert(data)
	if !ok {
		c.logf(LogDebug, "dropping malformed alert")
		return nil
	}
	if epoch == 0 && c.rd.epoch > 0 && (c.hs == nil || c.hs.renegotiation) {
		// Unauthenticated once we have keys: anyone could have sent it.
		c.logf(LogDebug, "ignoring unprotected %v", a)
		return nil
	}
	if a.Level != protocol.LevelWarning && a.Level != protocol.LevelFatal {
		c.logf(LogDebug, "dropping alert with level %d", a.Level)
		return nil
	}
	c.logf(LogInfo, "received %v", a)
	if f := c.flight; a.Level == protocol.LevelFatal && c.hs != nil && f != nil && f.finished() &&
		(a.Description == protocol.AlertBadRecordMAC || a.Description == protocol.AlertDecryptError) {
		c.logf(LogWarn, "the peer could not authenticate our Finished (%v): %s", a.Description, c.keyMismatch())
	}
	switch {
	case a.Description == protocol.AlertCloseNotify:
		c.sayGoodbye(buf)
		c.e.endConn(c, a.Level, a.Description)
	case a.Level == protocol.LevelFatal:
		c.e.endConn(c, a.Level, a.Description)
	default:
		if a.Description == protocol.AlertNoRenegotiation && c.hs != nil && c.hs.renegotiation {
			// The peer declined; keep using the current keys.
			c.endHandshake()
			c.flight = nil
			c.updateTimer()
		}
		c.e.h.Event(c, a.Level, uint16(a.Description))
	}
	return nil
}

func (c *Conn) handleAppData(h *record.Header, data []byte) {
	if h.Epoch == 0 {
		c.logf(LogDebug, "dropping unprotected application data")
		return
	}
	if !c.established || c.state == StateClosing {
		if c.hs != nil && !c.established {
			// Overtook the Finished it follows; keep it for later.
			c.bufferRecord(h, data, true)
			return
		}
		c.logf(LogDebug, "dropping application data: association not established")
		return
	}
	if c.flight != nil && c.flight.final && h.Epoch == c.rd.epoch {
		// The peer sends in the new epoch, so it has our last flight.
		c.releaseFinalFlight()
	}
	c.e.h.Receive(c, data)
}
