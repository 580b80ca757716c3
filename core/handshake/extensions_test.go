// SPDX-License-Identifier: BSD-3-Clause

package handshake

import (
	"bytes"
	"reflect"
	"testing"
)

func fullClientExtensions() Extensions {
	return Extensions{
		ExtendedMasterSecret: true,
		HasRenegotiationInfo: true, RenegotiationInfo: seq(1, 12),
		HasClientCertType: true, ClientCertTypes: []uint8{2, 0},
		HasServerCertType: true, ServerCertTypes: []uint8{2},
		HasSupportedGroups: true, SupportedGroups: []uint16{23, 29},
		HasPointFormats: true, PointFormats: []uint8{0},
		HasSignatureAlgorithms: true, SignatureAlgorithms: []uint16{0x0403, 0x0804},
		HasConnectionID: true, ConnectionID: seq(0x10, 255),
		HasRecordSizeLimit: true, RecordSizeLimit: 16385,
	}
}

func TestExtensionsRoundTrip(t *testing.T) {
	client := fullClientExtensions()
	server := fullClientExtensions()
	server.ClientCertTypes = []uint8{0}
	server.ServerCertTypes = []uint8{2}
	server.RenegotiationInfo = seq(1, 24)
	cases := []struct {
		name       string
		e          Extensions
		fromServer bool
	}{
		{"client", client, false},
		{"server", server, true},
		{"cid-empty", Extensions{HasConnectionID: true}, false},
		{"ems-only", Extensions{ExtendedMasterSecret: true}, true},
	}
	for _, c := range cases {
		enc := c.e.Marshal([]byte{0xee}, c.fromServer)
		if enc[0] != 0xee {
			t.Fatalf("%s: Marshal overwrote its argument", c.name)
		}
		enc = enc[1:]
		if n := int(enc[0])<<8 | int(enc[1]); n != len(enc)-2 {
			t.Errorf("%s: block length %d, content %d", c.name, n, len(enc)-2)
		}
		var got Extensions
		if !got.Unmarshal(enc[2:], c.fromServer) {
			t.Errorf("%s: Unmarshal rejected %x", c.name, enc)
			continue
		}
		if !reflect.DeepEqual(got, c.e) {
			t.Errorf("%s: round trip\n%+v\nwant\n%+v", c.name, got, c.e)
		}
	}
}

// The server direction changes only the cert-type encoding, so the same
// block read in the other direction must fail for the cert types.
func TestExtensionsDirection(t *testing.T) {
	e := Extensions{HasClientCertType: true, ClientCertTypes: []uint8{2}}
	fromClient := e.Marshal(nil, false)
	fromServer := e.Marshal(nil, true)
	if want := []byte{0, 6, 0, 19, 0, 2, 1, 2}; !bytes.Equal(fromClient, want) {
		t.Errorf("client form %x, want %x", fromClient, want)
	}
	if want := []byte{0, 5, 0, 19, 0, 1, 2}; !bytes.Equal(fromServer, want) {
		t.Errorf("server form %x, want %x", fromServer, want)
	}
	var got Extensions
	if got.Unmarshal(fromClient[2:], true) {
		t.Error("server-side decoder accepted a cert type list")
	}
	if got.Unmarshal(fromServer[2:], false) {
		t.Error("client-side decoder accepted a single cert type")
	}
	mustPanic(t, "server with two types", func() {
		(&Extensions{HasServerCertType: true, ServerCertTypes: []uint8{2, 0}}).Marshal(nil, true)
	})
	mustPanic(t, "server with no type", func() {
		(&Extensions{HasClientCertType: true}).Marshal(nil, true)
	})
}

func TestExtensionsMarshalNothing(t *testing.T) {
	for _, e := range []Extensions{
		{},
		// Recorded-only fields and lists without their flag send nothing.
		{EncryptThenMAC: true, Unknown: []uint16{0x1234}, SupportedGroups: []uint16{23}},
	} {
		if got := e.Marshal([]byte{1}, false); !bytes.Equal(got, []byte{1}) {
			t.Errorf("%+v: Marshal appended %x", e, got[1:])
		}
	}
}

// The order follows upstream's ClientHello: 19, 20, 10, 11, 13, 23, ff01, 54, 28.
func TestExtensionsMarshalOrder(t *testing.T) {
	e := fullClientExtensions()
	enc := e.Marshal(nil, false)
	s := enc[2:]
	var types []uint16
	for len(s) > 0 {
		types = append(types, uint16(s[0])<<8|uint16(s[1]))
		n := int(s[2])<<8 | int(s[3])
		s = s[4+n:]
	}
	want := []uint16{19, 20, 10, 11, 13, 23, 0xff01, 54, 28}
	if !reflect.DeepEqual(types, want) {
		t.Errorf("order %v, want %v", types, want)
	}
}

func ext(typ uint16, data ...byte) []byte {
	return append([]byte{byte(typ >> 8), byte(typ), byte(len(data) >> 8), byte(len(data))}, data...)
}

func TestExtensionsUnmarshalRecordsUnknownAndEtM(t *testing.T) {
	block := bytes.Join([][]byte{
		ext(0x1234, 1, 2, 3),
		ext(22),
		ext(0xfe00),
		ext(23),
	}, nil)
	var e Extensions
	if !e.Unmarshal(block, false) {
		t.Fatal("rejected")
	}
	want := Extensions{ExtendedMasterSecret: true, EncryptThenMAC: true, Unknown: []uint16{0x1234, 0xfe00}}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("got %+v, want %+v", e, want)
	}
}

func TestExtensionsRejects(t *testing.T) {
	cases := []struct {
		name       string
		block      []byte
		fromServer bool
	}{
		{"ems with data", ext(23, 0), false},
		{"etm with data", ext(22, 0), false},
		{"duplicate ems", append(ext(23), ext(23)...), false},
		{"duplicate unknown", bytes.Join([][]byte{ext(0x1234), ext(23), ext(0x1234)}, nil), false},
		{"duplicate cid", append(ext(54, 0), ext(54, 1, 9)...), true},
		{"duplicate etm", append(ext(22), ext(22)...), false},
		{"reneg trailing", ext(0xff01, 0, 0), false},
		{"reneg short", ext(0xff01, 2, 0), false},
		{"reneg nothing", ext(0xff01), false},
		{"client cert types empty", ext(19, 0), false},
		{"client cert types nothing", ext(19), false},
		{"server cert types trailing", ext(20, 1, 2, 0), false},
		{"server: cert type empty", ext(20), true},
		{"server: cert type two bytes", ext(19, 2, 0), true},
		{"groups empty", ext(10, 0, 0), false},
		{"groups odd", ext(10, 0, 3, 0, 23, 0), false},
		{"groups trailing", ext(10, 0, 2, 0, 23, 0), false},
		{"point formats empty", ext(11, 0), false},
		{"sigalgs empty", ext(13, 0, 0), false},
		{"sigalgs odd", ext(13, 0, 1, 4), false},
		{"cid trailing", ext(54, 1, 1, 1), false},
		{"cid short", ext(54, 2, 1), false},
		{"rsl 63", ext(28, 0, 63), false},
		{"rsl 0", ext(28, 0, 0), false},
		{"rsl 3 bytes", ext(28, 0, 64, 0), false},
		{"rsl 1 byte", ext(28, 64), false},
		{"truncated header", []byte{0, 23, 0}, false},
		{"data past block", []byte{0, 23, 0, 1}, false},
	}
	for _, c := range cases {
		var e Extensions
		e.HasPointFormats = true
		if e.Unmarshal(c.block, c.fromServer) {
			t.Errorf("%s: accepted %x", c.name, c.block)
		}
		if !reflect.DeepEqual(e, Extensions{}) {
			t.Errorf("%s: not zeroed after failure: %+v", c.name, e)
		}
	}
	var e Extensions
	if !e.Unmarshal(ext(28, 0, 64), false) || e.RecordSizeLimit != 64 {
		t.Error("record_size_limit 64 rejected")
	}
}

// Many distinct unknown extensions must be accepted (and quickly); the
// duplicate check is not quadratic.
func TestExtensionsManyUnknown(t *testing.T) {
	var block []byte
	for i := range 16383 {
		block = append(block, ext(uint16(0x8000+i))...)
	}
	var e Extensions
	if !e.Unmarshal(block, false) || len(e.Unknown) != 16383 {
		t.Fatalf("rejected %d unknown extensions", 16383)
	}
	block = append(block[:len(block)-4], ext(0x8000)...)
	if e.Unmarshal(block, false) {
		t.Error("duplicate among many unknown extensions accepted")
	}
}

// Extra extensions go last, verbatim and in order, after the known ones.
func TestExtensionsMarshalExtraLast(t *testing.T) {
	e := Extensions{ExtendedMasterSecret: true, Extra: []RawExtension{{43, []byte{2, 0xfe, 0xfc}}, {41, []byte{9}}}}
	got := e.Marshal(nil, false)
	want := append([]byte{0, 4 + 4 + 3 + 4 + 1}, ext(23)...)
	want = append(append(want, ext(43, 2, 0xfe, 0xfc)...), ext(41, 9)...)
	if !bytes.Equal(got, want) {
		t.Fatalf("got % x\nwant % x", got, want)
	}
	if got := (&Extensions{Extra: []RawExtension{{42, nil}}}).Marshal(nil, false); !bytes.Equal(got, append([]byte{0, 4}, ext(42)...)) {
		t.Fatalf("Extra alone: % x", got)
	}
}
