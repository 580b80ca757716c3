// SPDX-License-Identifier: BSD-3-Clause

// Package textf formats the engine's log lines and error texts.
//
// It exists for the size of the shared library, not for speed: importing
// fmt makes the linker keep fmt's printer, reflect's method machinery and,
// through fmt's Stringer and Formatter interfaces, the String and Format
// methods of every type the program boxes (time.Time's formatting and time
// zone loading, math/big's decimal conversion...): several hundred
// kilobytes of code and tables in every process that loads the library.
// This package formats what the engine actually prints, by a type switch,
// without reflect.
//
// Verbs: %s %v (strings, errors, Stringers, integers, bools, byte slices),
// %d, %x and %X (integers; %x/%X of a byte slice or string is its hex),
// %q (a quoted string), %c (a byte or rune), %% — with an optional '-' or
// '0' flag and a width. Anything else is written as "%!" followed by the
// verb, as fmt does, so that a test reading the log can see it.
package textf

import (
	"errors"
	"strconv"
	"unicode/utf8"
)

// Stringer is fmt.Stringer, declared here so that fmt is not imported.
type Stringer interface{ String() string }

// Sprintf formats like fmt.Sprintf for the verbs listed in the package
// documentation.
func Sprintf(format string, args ...any) string {
	return string(Appendf(nil, format, args...))
}

// Errorf is errors.New(Sprintf(format, args...)); it does not wrap.
func Errorf(format string, args ...any) error {
	return errors.New(Sprintf(format, args...))
}

// Appendf appends the formatted text to dst.
func Appendf(dst []byte, format string, args ...any) []byte {
	next := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			dst = append(dst, c)
			continue
		}
		i++
		var minus, zero bool
		for ; i < len(format); i++ {
			if format[i] == '-' {
				minus = true
			} else if format[i] == '0' {
				zero = true
			} else {
				break
			}
		}
		width := 0
		for ; i < len(format) && format[i] >= '0' && format[i] <= '9'; i++ {
			width = width*10 + int(format[i]-'0')
		}
		if i >= len(format) {
			return append(dst, "%!(NOVERB)"...)
		}
		verb := format[i]
		if verb == '%' {
			dst = append(dst, '%')
			continue
		}
		if next >= len(args) {
			dst = append(dst, '%', '!', verb, '(', 'M', 'I', 'S', 'S', 'I', 'N', 'G', ')')
			continue
		}
		start := len(dst)
		dst = appendArg(dst, verb, args[next])
		next++
		if pad := width - utf8.RuneCount(dst[start:]); pad > 0 {
			dst = padField(dst, start, pad, minus, zero && !minus)
		}
	}
	if next < len(args) {
		dst = append(dst, "%!(EXTRA)"...)
	}
	return dst
}

// padField widens dst[start:] to its width: spaces on the right for '-',
// zeros after the sign for '0', spaces on the left otherwise.
func padField(dst []byte, start, pad int, left, zero bool) []byte {
	if left {
		for ; pad > 0; pad-- {
			dst = append(dst, ' ')
		}
		return dst
	}
	fill := byte(' ')
	at := start
	if zero {
		fill = '0'
		if at < len(dst) && dst[at] == '-' {
			at++
		}
	}
	n := len(dst)
	for k := 0; k < pad; k++ {
		dst = append(dst, 0)
	}
	copy(dst[at+pad:], dst[at:n])
	for k := 0; k < pad; k++ {
		dst[at+k] = fill
	}
	return dst
}

func appendArg(dst []byte, verb byte, a any) []byte {
	switch v := a.(type) {
	case nil:
		if verb == 'v' || verb == 's' {
			return append(dst, "<nil>"...)
		}
	case string:
		switch verb {
		case 's', 'v':
			return append(dst, v...)
		case 'q':
			return appendQuoted(dst, v)
		case 'x', 'X':
			return appendHex(dst, []byte(v), verb == 'X')
		}
	case []byte:
		switch verb {
		case 'x', 'X':
			return appendHex(dst, v, verb == 'X')
		case 's':
			return append(dst, v...)
		case 'v':
			dst = append(dst, '[')
			for i, b := range v {
				if i > 0 {
					dst = append(dst, ' ')
				}
				dst = strconv.AppendUint(dst, uint64(b), 10)
			}
			return append(dst, ']')
		case 'q':
			return appendQuoted(dst, string(v))
		}
	case bool:
		if verb == 'v' || verb == 't' {
			return strconv.AppendBool(dst, v)
		}
	case int:
		return appendInt(dst, verb, int64(v))
	case int8:
		return appendInt(dst, verb, int64(v))
	case int16:
		return appendInt(dst, verb, int64(v))
	case int32:
		if verb == 'c' {
			return utf8.AppendRune(dst, v)
		}
		return appendInt(dst, verb, int64(v))
	case int64:
		return appendInt(dst, verb, v)
	case uint:
		return appendUint(dst, verb, uint64(v))
	case uint8:
		if verb == 'c' {
			return utf8.AppendRune(dst, rune(v))
		}
		return appendUint(dst, verb, uint64(v))
	case uint16:
		return appendUint(dst, verb, uint64(v))
	case uint32:
		return appendUint(dst, verb, uint64(v))
	case uint64:
		return appendUint(dst, verb, v)
	case uintptr:
		return appendUint(dst, verb, uint64(v))
	case error: // before Stringer, as in fmt
		return appendArg(dst, verb, v.Error())
	case Stringer:
		return appendArg(dst, verb, v.String())
	}
	return append(dst, '%', '!', verb, '(', '?', ')')
}

func appendInt(dst []byte, verb byte, v int64) []byte {
	if v < 0 && verb != 'c' {
		dst = append(dst, '-')
		return appendUint(dst, verb, uint64(-v))
	}
	return appendUint(dst, verb, uint64(v))
}

func appendUint(dst []byte, verb byte, v uint64) []byte {
	switch verb {
	case 'd', 'v':
		return strconv.AppendUint(dst, v, 10)
	case 'x':
		return strconv.AppendUint(dst, v, 16)
	case 'X':
		start := len(dst)
		dst = strconv.AppendUint(dst, v, 16)
		for i := start; i < len(dst); i++ {
			if dst[i] >= 'a' {
				dst[i] -= 'a' - 'A'
			}
		}
		return dst
	case 'c':
		return utf8.AppendRune(dst, rune(v))
	}
	return append(dst, '%', '!', verb, '(', '?', ')')
}

func appendHex(dst, b []byte, upper bool) []byte {
	digits := "0123456789abcdef"
	if upper {
		digits = "0123456789ABCDEF"
	}
	for _, c := range b {
		dst = append(dst, digits[c>>4], digits[c&15])
	}
	return dst
}

// appendQuoted quotes like %q for the ASCII a log line carries; other bytes
// are escaped as \xNN rather than interpreted, which keeps the Unicode
// tables out of the library.
func appendQuoted(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c >= 0x20 && c < 0x7f:
			dst = append(dst, c)
		default:
			dst = append(dst, '\\', 'x', hex[c>>4], hex[c&15])
		}
	}
	return append(dst, '"')
}
