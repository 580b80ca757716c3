// SPDX-License-Identifier: BSD-3-Clause

package record

// Layer is the record layer of one association: its two halves, and its
// place in the endpoint's cache of expanded keys.
type Layer struct {
	In  ReadHalf
	Out WriteHalf

	cache            *CipherCache
	lruPrev, lruNext *Layer
}

// inCache reports whether l is in its cache's list.
func (l *Layer) inCache() bool {
	return l.lruPrev != nil || l.lruNext != nil || l.cache != nil && l.cache.head == l
}

// Init prepares a Layer for use: epoch 0 in both directions, expanded keys
// kept in cache (nil: always kept).
func (l *Layer) Init(cache *CipherCache) { l.cache = cache }

// Close drops everything but the current epochs' keys: the expanded keys,
// the previous and next epochs, the held records, the connection IDs.
func (l *Layer) Close() {
	if l.cache != nil {
		l.cache.Evict(l)
	}
	l.In.prev, l.In.next, l.Out.prev, l.Out.next = nil, nil, nil, nil
	l.In.held = nil
	l.In.cid, l.Out.cid = nil, nil
}

// Expanded reports whether the current epochs' keys are expanded.
func (l *Layer) Expanded() bool { return expanded(l.In.cur.prot) || expanded(l.Out.cur.prot) }

func (l *Layer) touch() {
	if l != nil && l.cache != nil {
		l.cache.touch(l)
	}
}

// dropExpanded forgets the expanded keys; the keys stay.
func (l *Layer) dropExpanded() {
	shrink(&l.In.cur.prot)
	shrink(&l.Out.cur.prot)
	if l.In.prev != nil {
		shrink(&l.In.prev.prot)
	}
	if l.Out.prev != nil {
		shrink(&l.Out.prev.prot)
	}
}

// CipherCache bounds the memory of expanded record protection. An AES key
// schedule and CCM state cost far more than the 20 bytes of key material
// they come from, and most associations of a large server are idle: only
// the Max most recently active layers keep theirs; the others rebuild them
// on their next record. A busy association always stays at the front, so
// its record path never allocates.
type CipherCache struct {
	head, tail *Layer
	n          int
	Max        int
}

// touch moves l to the front, adding it if needed, and evicts the least
// recently used layers beyond the bound.
func (cc *CipherCache) touch(l *Layer) {
	if cc.head == l {
		return
	}
	if l.inCache() {
		cc.unlink(l)
	}
	l.lruNext = cc.head
	if cc.head != nil {
		cc.head.lruPrev = l
	}
	cc.head = l
	if cc.tail == nil {
		cc.tail = l
	}
	cc.n++
	for cc.n > cc.Max && cc.tail != nil && cc.tail != l {
		cc.Evict(cc.tail)
	}
}

func (cc *CipherCache) unlink(l *Layer) {
	if l.lruPrev != nil {
		l.lruPrev.lruNext = l.lruNext
	} else {
		cc.head = l.lruNext
	}
	if l.lruNext != nil {
		l.lruNext.lruPrev = l.lruPrev
	} else {
		cc.tail = l.lruPrev
	}
	l.lruPrev, l.lruNext = nil, nil
	cc.n--
}

// Evict drops l's expanded keys; its keys stay.
func (cc *CipherCache) Evict(l *Layer) {
	if l.inCache() {
		cc.unlink(l)
	}
	l.dropExpanded()
}

// Moved is called on dst, a copy of *src just made in new memory (the
// engine moves idle associations so that the survivors of a mass removal
// do not keep the heap's pages resident): src leaves the cipher cache and
// dst does not join it, so the expanded keys, allocated wherever the
// heap had room, go (the next record expands them again, in new memory);
// dst gets copies of the connection IDs (small objects that would pin
// pages of their own), and src is cleared, its keys with it.
func (dst *Layer) Moved(src *Layer) {
	if src.inCache() {
		src.cache.unlink(src)
	}
	dst.lruPrev, dst.lruNext = nil, nil
	dst.dropExpanded()
	if src.In.cid != nil {
		dst.In.cid = cloneCID(src.In.cid)
	}
	if src.Out.cid != nil {
		dst.Out.cid = cloneCID(src.Out.cid)
	}
	*src = Layer{}
}

// Layers returns the layers that keep their expanded keys, the most
// recently used first, and whether the list is sound: each link matched by
// one back, the ends and the count right (for tests and diagnostics).
func (cc *CipherCache) Layers() ([]*Layer, bool) {
	var out []*Layer
	var prev *Layer
	for l := cc.head; l != nil && len(out) <= cc.n; l = l.lruNext {
		if l.lruPrev != prev {
			return out, false
		}
		out = append(out, l)
		prev = l
	}
	return out, len(out) == cc.n && cc.tail == prev
}
