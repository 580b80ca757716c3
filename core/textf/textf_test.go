// SPDX-License-Identifier: BSD-3-Clause

package textf

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

type named uint8

func (n named) String() string { return fmt.Sprintf("named(%d)", uint8(n)) }

// The engine's log lines must read as they did with fmt: every case is
// checked against fmt itself.
func TestMatchesFmt(t *testing.T) {
	cases := []struct {
		format string
		args   []any
	}{
		{"plain", nil},
		{"%d %d %d %d", []any{0, -7, uint16(65535), int64(-1 << 40)}},
		{"%x %X %04x %02X %08X", []any{255, 255, 0x1301, 10, 0xdead}},
		{"%x|%X", []any{[]byte{0, 1, 0xab}, []byte{0xcd, 0xef}}},
		{"%s and %v", []any{"text", "more"}},
		{"%v %s", []any{errors.New("boom"), errors.New("bang")}},
		{"%v %s", []any{named(3), named(4)}},
		{"%q %x %X", []any{named(5), named(6), errors.New("e")}},
		{"%v", []any{time.Duration(1500) * time.Millisecond}},
		{"%q", []any{"a \"quoted\"\n\tstring\\"}},
		{"%v %v", []any{true, false}},
		{"%v", []any{[]byte{1, 2, 3}}},
		{"%5d|%-5d|%05d|%-3s|%4s|%03d", []any{42, 42, -42, "a", "b", 7}},
		{"100%% sure", nil},
		{"%c%c", []any{'x', byte('y')}},
		{"%v", []any{nil}},
	}
	for _, c := range cases {
		want := fmt.Sprintf(c.format, c.args...)
		if got := Sprintf(c.format, c.args...); got != want {
			t.Errorf("Sprintf(%q) = %q, fmt says %q", c.format, got, want)
		}
	}
}

// Mistakes show up in the text, as with fmt, rather than vanishing.
func TestMarksMistakes(t *testing.T) {
	for _, c := range []struct {
		format string
		args   []any
		want   string
	}{
		{"%d", nil, "%!d(MISSING)"},
		{"x", []any{1}, "x%!(EXTRA)"},
		{"%d", []any{named(1)}, "%!d(?)"},
		{"%v", []any{struct{}{}}, "%!v(?)"},
		{"%", nil, "%!(NOVERB)"},
	} {
		if got := Sprintf(c.format, c.args...); got != c.want {
			t.Errorf("Sprintf(%q) = %q, want %q", c.format, got, c.want)
		}
	}
	if err := Errorf("code %d", 5); err == nil || err.Error() != "code 5" {
		t.Errorf("Errorf = %v", err)
	}
}

func TestQuoteEscapesNonASCII(t *testing.T) {
	if got := Sprintf("%q", "\x00é"); got != `"\x00\xc3\xa9"` {
		t.Errorf("got %s", got)
	}
}
