package engine

import (
	"github.com/tinydtls-go/tinydtls/core/record"
)

// cipherCache bounds the memory of expanded record ciphers. An AES key
// schedule and CCM state cost far more than the 20 bytes of key material
// they come from, and most associations of a large server are idle: only
// the MaxActiveCiphers most recently active associations keep theirs; the
// others rebuild them on their next record. A busy association always stays
// at the front, so its record path never allocates.
type cipherCache struct {
	head, tail *Conn
	n, max     int
}

// touch moves c to the front, adding it if needed, and evicts the least
// recently used associations beyond the bound.
func (cc *cipherCache) touch(c *Conn) {
	if cc.head == c {
		return
	}
	if c.inLRU {
		cc.unlink(c)
	}
	c.lruNext = cc.head
	if cc.head != nil {
		cc.head.lruPrev = c
	}
	cc.head = c
	if cc.tail == nil {
		cc.tail = c
	}
	c.inLRU = true
	cc.n++
	for cc.n > cc.max && cc.tail != nil && cc.tail != c {
		cc.evict(cc.tail)
	}
}

func (cc *cipherCache) unlink(c *Conn) {
	if c.lruPrev != nil {
		c.lruPrev.lruNext = c.lruNext
	} else {
		cc.head = c.lruNext
	}
	if c.lruNext != nil {
		c.lruNext.lruPrev = c.lruPrev
	} else {
		cc.tail = c.lruPrev
	}
	c.lruPrev, c.lruNext, c.inLRU = nil, nil, false
	cc.n--
}

// evict drops c's expanded ciphers; its keys stay.
func (cc *cipherCache) evict(c *Conn) {
	if c.inLRU {
		cc.unlink(c)
	}
	c.rd.cipher, c.wr.cipher = nil, nil
	if c.rdPrev != nil {
		c.rdPrev.cipher = nil
	}
	if c.wrPrev != nil {
		c.wrPrev.cipher = nil
	}
}

func (cc *cipherCache) expand(k *epochKeys) *record.Cipher {
	ci, err := record.NewCipher(k.suite, k.key[:], k.iv[:])
	if err != nil {
		// Only a wrong key size fails, and the key block fixes it.
		panic(err)
	}
	return ci
}

func (cc *cipherCache) read(c *Conn, rs *readEpoch) *record.Cipher {
	cc.touch(c)
	if rs.cipher == nil {
		rs.cipher = cc.expand(&rs.keys)
	}
	return rs.cipher
}

func (cc *cipherCache) write(c *Conn, w *writeEpoch) *record.Cipher {
	cc.touch(c)
	if w.cipher == nil {
		w.cipher = cc.expand(&w.keys)
	}
	return w.cipher
}
