package edifact

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// charsetKind says how the bytes of a value become text.
type charsetKind uint8

const (
	kindASCII charsetKind = iota // UNOA, UNOB: 7-bit only
	kindTable                    // UNOC..UNOK: one byte per character, a table
	kindUTF8                     // UNOW, UNOY: UTF-8
)

// charset is a character repertoire named by a syntax identifier.
type charset struct {
	id    string
	kind  charsetKind
	table *charmap.Charmap
}

// charsets are the syntax identifiers this package reads and writes.
var charsets = map[string]charset{
	"UNOA": {id: "UNOA", kind: kindASCII},
	"UNOB": {id: "UNOB", kind: kindASCII},
	"UNOC": {id: "UNOC", kind: kindTable, table: charmap.ISO8859_1},
	"UNOD": {id: "UNOD", kind: kindTable, table: charmap.ISO8859_2},
	"UNOE": {id: "UNOE", kind: kindTable, table: charmap.ISO8859_5},
	"UNOF": {id: "UNOF", kind: kindTable, table: charmap.ISO8859_7},
	"UNOG": {id: "UNOG", kind: kindTable, table: charmap.ISO8859_3},
	"UNOH": {id: "UNOH", kind: kindTable, table: charmap.ISO8859_4},
	"UNOI": {id: "UNOI", kind: kindTable, table: charmap.ISO8859_6},
	"UNOJ": {id: "UNOJ", kind: kindTable, table: charmap.ISO8859_8},
	"UNOK": {id: "UNOK", kind: kindTable, table: charmap.ISO8859_9},
	"UNOW": {id: "UNOW", kind: kindUTF8},
	"UNOY": {id: "UNOY", kind: kindUTF8},
}

// Charsets returns the syntax identifiers this package can read and write.
func Charsets() []string {
	return []string{"UNOA", "UNOB", "UNOC", "UNOD", "UNOE", "UNOF", "UNOG", "UNOH", "UNOI", "UNOJ", "UNOK", "UNOW", "UNOY"}
}

func lookupCharset(id string) (charset, bool) {
	cs, ok := charsets[id]
	return cs, ok
}

// badChar is the result of a value with a character that may not be there.
type badChar struct {
	pos int // byte offset inside the raw value
	b   byte
	why string
}

// decode turns the raw bytes of a value (release characters already
// removed) into UTF-8. Control characters and bytes outside the repertoire
// are replaced by U+FFFD and reported in bad (the first one only); plain
// ASCII is returned as is.
func (cs *charset) decode(raw string) (s string, bad *badChar) {
	i := 0
	for i < len(raw) {
		c := raw[i]
		if c < 0x20 || c == 0x7f || c >= 0x80 {
			break
		}
		i++
	}
	if i == len(raw) {
		return raw, nil
	}
	var b strings.Builder
	b.Grow(len(raw) + 8)
	b.WriteString(raw[:i])
	for i < len(raw) {
		c := raw[i]
		switch {
		case c < 0x20 || c == 0x7f:
			if bad == nil {
				bad = &badChar{pos: i, b: c, why: fmt.Sprintf("control character 0x%02X", c)}
			}
			b.WriteRune(utf8.RuneError)
			i++
		case c < 0x80:
			b.WriteByte(c)
			i++
		case cs.kind == kindASCII:
			if bad == nil {
				bad = &badChar{pos: i, b: c, why: fmt.Sprintf("byte 0x%02X is not in %s", c, cs.id)}
			}
			b.WriteRune(utf8.RuneError)
			i++
		case cs.kind == kindTable:
			r := cs.table.DecodeByte(c)
			if r == utf8.RuneError || r < 0xa0 {
				// C1 controls (0x80-0x9F) and holes in the table.
				if bad == nil {
					bad = &badChar{pos: i, b: c, why: fmt.Sprintf("byte 0x%02X is not a character of %s", c, cs.id)}
				}
				r = utf8.RuneError
			}
			b.WriteRune(r)
			i++
		default: // UTF-8
			r, n := utf8.DecodeRuneInString(raw[i:])
			if r == utf8.RuneError && n <= 1 {
				if bad == nil {
					bad = &badChar{pos: i, b: c, why: fmt.Sprintf("byte 0x%02X is not valid UTF-8", c)}
				}
				n = 1
			} else if r >= 0x80 && r < 0xa0 {
				if bad == nil {
					bad = &badChar{pos: i, b: c, why: fmt.Sprintf("control character %U", r)}
				}
				r = utf8.RuneError
			}
			b.WriteRune(r)
			i += n
		}
	}
	return b.String(), bad
}

// encode appends the bytes of s in the repertoire, or fails on a character
// it cannot hold or on a control character.
func (cs *charset) encode(dst []byte, s string) ([]byte, error) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if c < 0x20 || c == 0x7f {
				return dst, fmt.Errorf("control character 0x%02X in %q: %w", c, s, ErrCharset)
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return dst, fmt.Errorf("invalid UTF-8 in %q: %w", s, ErrCharset)
		}
		switch cs.kind {
		case kindASCII:
			return dst, fmt.Errorf("%q is not in %s: %w", r, cs.id, ErrCharset)
		case kindTable:
			if r < 0xa0 {
				return dst, fmt.Errorf("control character %U in %q: %w", r, s, ErrCharset)
			}
			b, ok := cs.table.EncodeRune(r)
			if !ok {
				return dst, fmt.Errorf("%q is not in %s: %w", r, cs.id, ErrCharset)
			}
			dst = append(dst, b)
		default:
			if r < 0xa0 {
				return dst, fmt.Errorf("control character %U in %q: %w", r, s, ErrCharset)
			}
			dst = append(dst, s[i:i+n]...)
		}
		i += n
	}
	return dst, nil
}
