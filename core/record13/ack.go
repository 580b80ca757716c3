// SPDX-License-Identifier: BSD-3-Clause

package record13

import "encoding/binary"

// RecordNumber identifies a record in an ACK (RFC 9147 §4, §7).
type RecordNumber struct {
	Epoch uint64
	Seq   uint64
}

// maxACKRecords is what fits in an ACK's 16-bit length.
const maxACKRecords = (1<<16 - 1) / 16

// AppendACK appends the body of an ACK message (content type 26) listing
// records; at most maxACKRecords of them are written.
func AppendACK(b []byte, records []RecordNumber) []byte {
	if len(records) > maxACKRecords {
		records = records[:maxACKRecords]
	}
	n := 16 * len(records)
	b = append(b, byte(n>>8), byte(n))
	for _, r := range records {
		b = binary.BigEndian.AppendUint64(b, r.Epoch)
		b = binary.BigEndian.AppendUint64(b, r.Seq)
	}
	return b
}

// ParseACK decodes the body of an ACK message into out (reused) and reports
// whether it is well formed: a length that is a multiple of 16 and covers
// exactly the rest of the body.
func ParseACK(body []byte, out []RecordNumber) ([]RecordNumber, bool) {
	out = out[:0]
	if len(body) < 2 {
		return out, false
	}
	n := int(binary.BigEndian.Uint16(body))
	body = body[2:]
	if n%16 != 0 || n != len(body) {
		return out, false
	}
	for ; len(body) > 0; body = body[16:] {
		out = append(out, RecordNumber{Epoch: binary.BigEndian.Uint64(body), Seq: binary.BigEndian.Uint64(body[8:])})
	}
	return out, true
}
