// SPDX-License-Identifier: BSD-3-Clause

package engine

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// addSpan keeps the list sorted and merged whatever the order the
// acknowledged ranges arrive in: checked against a bitmap of the bytes.
func TestAddSpanAnyOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var l []span
		var covered [64]bool
		for range 1 + r.IntN(8) {
			from := r.IntN(60)
			s := span{from, from + 1 + r.IntN(64-from)}
			for i := s.from; i < s.to; i++ {
				covered[i] = true
			}
			l = addSpan(l, s)
		}
		var want []span
		for i := 0; i < len(covered); i++ {
			if !covered[i] {
				continue
			}
			j := i
			for j < len(covered) && covered[j] {
				j++
			}
			want = append(want, span{i, j})
			i = j
		}
		// Adjacent spans merge too (from == last.to).
		if !slices.Equal(l, want) {
			t.Fatalf("addSpan gave %v, want %v", l, want)
		}
	}
}
