package engine

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"io"
	"time"

	"github.com/tinydtls-go/tinydtls/core/handshake"
)

// cookieLen is the size of our HelloVerifyRequest cookies, as upstream.
const cookieLen = 16

// cookieJar makes and checks stateless cookies: HMAC-SHA256 over the
// client's transport address and the ClientHello fields that a client must
// repeat unchanged (version, random, session id, suites, compression), keyed
// with a random secret that is replaced every Config.CookieRotation. The
// previous secret stays valid for one more period so that a client caught by
// the rotation between its two ClientHellos is not rejected.
type cookieJar struct {
	cur, prev [32]byte
	hasPrev   bool
	rotated   time.Duration
	init      bool
	scratch   []byte
}

func (j *cookieJar) refresh(e *Endpoint, now time.Duration) {
	if j.init && now-j.rotated < e.cfg.CookieRotation {
		return
	}
	if j.init {
		j.prev, j.hasPrev = j.cur, true
	}
	if _, err := io.ReadFull(e.cfg.Rand, j.cur[:]); err != nil {
		e.logf(LogCrit, "cannot read randomness for the cookie secret: %v", err)
	}
	j.rotated, j.init = now, true
}

func (j *cookieJar) compute(secret *[32]byte, addr []byte, ch *handshake.ClientHello, out []byte) []byte {
	j.scratch = ch.CookieInput(append(j.scratch[:0], addr...))
	m := hmac.New(sha256.New, secret[:])
	m.Write(j.scratch)
	return m.Sum(out[:0])[:cookieLen]
}

func (j *cookieJar) make(e *Endpoint, addr []byte, ch *handshake.ClientHello, now time.Duration) []byte {
	j.refresh(e, now)
	return j.compute(&j.cur, addr, ch, make([]byte, 0, sha256.Size))
}

func (j *cookieJar) verify(e *Endpoint, addr []byte, ch *handshake.ClientHello, now time.Duration) bool {
	j.refresh(e, now)
	if len(ch.Cookie) != cookieLen {
		return false
	}
	var tmp [sha256.Size]byte
	if subtle.ConstantTimeCompare(j.compute(&j.cur, addr, ch, tmp[:0]), ch.Cookie) == 1 {
		return true
	}
	return j.hasPrev && subtle.ConstantTimeCompare(j.compute(&j.prev, addr, ch, tmp[:0]), ch.Cookie) == 1
}
