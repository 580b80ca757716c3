// SPDX-License-Identifier: BSD-3-Clause

package engine

import "container/heap"

// timerHeap is a min-heap (container/heap) of associations ordered by their
// next deadline. Only associations with a pending timer are in it, so
// thousands of idle associations cost nothing here.
type timerHeap []*Conn

func (h timerHeap) Len() int           { return len(h) }
func (h timerHeap) Less(i, j int) bool { return h[i].deadline < h[j].deadline }

func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].heapIdx = int32(i)
	h[j].heapIdx = int32(j)
}

func (h *timerHeap) Push(x any) {
	c := x.(*Conn)
	c.heapIdx = int32(len(*h))
	*h = append(*h, c)
}

func (h *timerHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	c.heapIdx = -1
	return c
}

func (h *timerHeap) push(c *Conn) { heap.Push(h, c) }

func (h *timerHeap) remove(c *Conn) {
	if i := int(c.heapIdx); i >= 0 && i < len(*h) && (*h)[i] == c {
		heap.Remove(h, i)
	}
}

// fix restores the heap after c's deadline changed.
func (h *timerHeap) fix(c *Conn) { heap.Fix(h, int(c.heapIdx)) }
