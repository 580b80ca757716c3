// SPDX-License-Identifier: BSD-3-Clause

package handshake

import (
	"bytes"
	"testing"

	"github.com/tinydtls-go/tinydtls/core/protocol"
)

func TestHeaderAppendLayout(t *testing.T) {
	h := Header{Type: protocol.HandshakeClientHello, Length: 0x010203, MessageSeq: 0x0405, FragmentOffset: 0x060708, FragmentLength: 0x090a0b}
	want := []byte{1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	if got := h.Append([]byte{0xff}); !bytes.Equal(got, append([]byte{0xff}, want...)) {
		t.Errorf("Append = %x", got)
	}
}

func TestParseFragment(t *testing.T) {
	h := Header{Type: protocol.HandshakeCertificate, Length: 10, MessageSeq: 3, FragmentOffset: 4, FragmentLength: 5}
	payload := append(h.Append(nil), 'a', 'b', 'c', 'd', 'e', 'X', 'Y')
	got, frag, rest, ok := ParseFragment(payload)
	if !ok || got != h || string(frag) != "abcde" || string(rest) != "XY" {
		t.Fatalf("ParseFragment = %+v %q %q %v", got, frag, rest, ok)
	}
	if cap(frag) != len(frag) {
		t.Error("frag can be appended to over rest")
	}
	// Two fragments in one record.
	two := append(h.Append(nil), "abcde"...)
	two = append(h.Append(two), "fghij"...)
	_, f1, rest, ok1 := ParseFragment(two)
	_, f2, rest, ok2 := ParseFragment(rest)
	if !ok1 || !ok2 || string(f1) != "abcde" || string(f2) != "fghij" || len(rest) != 0 {
		t.Errorf("two fragments: %q %q %q", f1, f2, rest)
	}
}

func TestParseFragmentRejects(t *testing.T) {
	full := append(Header{Type: 2, Length: 6, FragmentOffset: 2, FragmentLength: 4}.Append(nil), 1, 2, 3, 4)
	for n := range len(full) {
		if _, _, _, ok := ParseFragment(full[:n]); ok {
			t.Errorf("accepted %d of %d bytes", n, len(full))
		}
	}
	cases := map[string]Header{
		"offset+length past Length": {Length: 5, FragmentOffset: 2, FragmentLength: 4},
		"offset past Length":        {Length: 1, FragmentOffset: 2, FragmentLength: 0},
		"max fields":                {Length: 0xffffff, FragmentOffset: 0xffffff, FragmentLength: 4},
	}
	for name, h := range cases {
		if _, _, _, ok := ParseFragment(append(h.Append(nil), 1, 2, 3, 4)); ok {
			t.Errorf("%s: accepted", name)
		}
	}
	// Empty fragments are well formed, including of an empty message.
	for _, h := range []Header{{Type: 14}, {Length: 9, FragmentOffset: 9}} {
		if _, frag, _, ok := ParseFragment(h.Append(nil)); !ok || len(frag) != 0 {
			t.Errorf("%+v: empty fragment rejected", h)
		}
	}
}
