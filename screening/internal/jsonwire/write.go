package jsonwire

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// Writer appends JSON to B as json.Marshal writes it. A value json.Marshal
// refuses (a NaN or infinite float, a time outside the years 0 to 9999)
// sets Failed instead of being written: the caller then asks json.Marshal
// for its error, so that errors too stay encoding/json's.
type Writer struct {
	B      []byte
	Failed bool
}

// Result returns what w wrote, or, when a value could not be written,
// b and the error json.Marshal gives for v, the value being written.
func (w *Writer) Result(b []byte, v any) ([]byte, error) {
	if w.Failed {
		return b, MarshalError(v)
	}
	return w.B, nil
}

// MarshalError returns the error json.Marshal gives for v, which a Writer
// could not write.
func MarshalError(v any) error {
	if _, err := json.Marshal(v); err != nil {
		return err
	}
	return fmt.Errorf("json: %T cannot be written", v)
}

// Raw appends s, which must be JSON.
func (w *Writer) Raw(s string) { w.B = append(w.B, s...) }

// String appends s as a JSON string.
func (w *Writer) String(s string) { w.B = AppendString(w.B, s, true) }

// Strings appends s as a JSON array of strings, nil as null.
func (w *Writer) Strings(s []string) {
	if s == nil {
		w.Raw("null")
		return
	}
	w.Raw("[")
	for i, v := range s {
		if i > 0 {
			w.Raw(",")
		}
		w.String(v)
	}
	w.Raw("]")
}

// Int appends v.
func (w *Writer) Int(v int64) { w.B = strconv.AppendInt(w.B, v, 10) }

// Uint appends v.
func (w *Writer) Uint(v uint64) { w.B = strconv.AppendUint(w.B, v, 10) }

// Float appends f as encoding/json writes a float64: the shortest
// decimal that reads back as f, in exponent form below 1e-6 and from
// 1e21 on.
func (w *Writer) Float(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		w.Failed = true
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b := strconv.AppendFloat(w.B, f, format, -1, 64)
	if format == 'e' {
		// e-07 is written e-7.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	w.B = b
}

// Time appends t as time.Time.MarshalJSON writes it.
func (w *Writer) Time(t time.Time) {
	n := len(w.B)
	b, err := t.AppendText(append(w.B, '"'))
	if err != nil {
		w.B = w.B[:n]
		w.Failed = true
		return
	}
	w.B = append(b, '"')
}

// AppendString appends s as a JSON string as encoding/json writes it:
// short escapes for \b \f \n \r \t, \u00XX for other control characters,
// U+2028 and U+2029 escaped, each byte of invalid UTF-8 as \ufffd, and,
// when html is set, <, > and & as \u003c, \u003e and \u0026.
func AppendString(b []byte, s string, html bool) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && (!html || c != '<' && c != '>' && c != '&') {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
