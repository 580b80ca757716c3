package engine

// timerHeap is a min-heap of associations ordered by their next deadline.
// Only associations with a pending timer are in it, so thousands of idle
// associations cost nothing here.
type timerHeap []*Conn

func (h timerHeap) less(i, j int) bool { return h[i].deadline < h[j].deadline }

func (h timerHeap) swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].heapIdx = i
	h[j].heapIdx = j
}

func (h timerHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(i, p) {
			return
		}
		h.swap(i, p)
		i = p
	}
}

func (h timerHeap) down(i int) {
	n := len(h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && h.less(r, l) {
			m = r
		}
		if !h.less(m, i) {
			return
		}
		h.swap(i, m)
		i = m
	}
}

func (h *timerHeap) push(c *Conn) {
	c.heapIdx = len(*h)
	*h = append(*h, c)
	h.up(c.heapIdx)
}

func (h *timerHeap) remove(c *Conn) {
	i := c.heapIdx
	if i < 0 || i >= len(*h) || (*h)[i] != c {
		return
	}
	last := len(*h) - 1
	if i != last {
		h.swap(i, last)
	}
	(*h)[last] = nil
	*h = (*h)[:last]
	c.heapIdx = -1
	if i != last {
		h.down(i)
		h.up(i)
	}
}

// fix restores the heap after c's deadline changed.
func (h timerHeap) fix(c *Conn) {
	h.down(c.heapIdx)
	h.up(c.heapIdx)
}
