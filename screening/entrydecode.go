package screening

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"unicode/utf8"

	"github.com/bordersec/portcullis/screening/internal/jsonwire"
)

// DecodeEntryJSON decodes one entry, as json.Unmarshal would, into e. It
// reads the shape AppendJSON writes without reflection, about five times
// faster than encoding/json: the engine decodes every stored entry at
// start. Anything it does not expect (an unknown field, a value of another
// type, odd white space) hands the whole input to encoding/json instead, so
// the result, errors included, is always encoding/json's.
func DecodeEntryJSON(b []byte, e *Entry) error {
	if decodeFast(b, e) {
		return nil
	}
	*e = Entry{}
	return json.Unmarshal(b, e)
}

// DecodeEntryJSONStrict is DecodeEntryJSON refusing unknown fields and
// anything after the object, as a json.Decoder with DisallowUnknownFields
// would: for reading outside data.
func DecodeEntryJSONStrict(b []byte, e *Entry) error {
	if decodeFast(b, e) {
		return nil
	}
	*e = Entry{}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(e); err != nil {
		return err
	}
	if TrailingData(b, dec) {
		return errors.New("more than one JSON value")
	}
	return nil
}

func decodeFast(b []byte, e *Entry) bool {
	d := entryDecoder{b: b}
	var fast Entry
	if d.entry(&fast) && d.end() {
		*e = fast
		return true
	}
	return false
}

// entryDecoder is a strict reader of canonical entry JSON. Each method
// returns false at the first thing it does not expect.
type entryDecoder struct {
	b []byte
	i int
}

func (d *entryDecoder) end() bool {
	for d.i < len(d.b) && (d.b[d.i] == '\n' || d.b[d.i] == ' ' || d.b[d.i] == '\r' || d.b[d.i] == '\t') {
		d.i++
	}
	return d.i == len(d.b)
}

func (d *entryDecoder) peek() byte {
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

func (d *entryDecoder) lit(c byte) bool {
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

// The decoder walks objects and arrays with these steps rather than with
// callbacks, so that decoding allocates only what it keeps.

// open reads the opening byte of an object or array; for an array it also
// accepts null, reporting isNull.
func (d *entryDecoder) open(c byte) (ok, isNull bool) {
	if c == '[' && d.null() {
		return true, true
	}
	return d.lit(c), false
}

// more reports whether another member follows in an object or array just
// opened or whose last member was read (first is true right after the
// opening byte); ok is false on malformed input.
func (d *entryDecoder) more(close byte, first bool) (more, ok bool) {
	if d.lit(close) {
		return false, true
	}
	if first {
		return true, true
	}
	return true, d.lit(',')
}

// key reads an object key and its colon, without copying it; a key with
// escapes is left to encoding/json.
func (d *entryDecoder) key() ([]byte, bool) {
	if !d.lit('"') {
		return nil, false
	}
	start := d.i
	for d.i < len(d.b) {
		switch c := d.b[d.i]; {
		case c == '"':
			k := d.b[start:d.i]
			d.i++
			return k, d.lit(':')
		case c == '\\' || c < 0x20 || c >= utf8.RuneSelf:
			return nil, false
		}
		d.i++
	}
	return nil, false
}

func (d *entryDecoder) null() bool {
	if len(d.b)-d.i >= 4 && string(d.b[d.i:d.i+4]) == "null" {
		d.i += 4
		return true
	}
	return false
}

// str reads a JSON string.
func (d *entryDecoder) str() (string, bool) {
	if !d.lit('"') {
		return "", false
	}
	start := d.i
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			s := string(d.b[start:d.i])
			d.i++
			return s, true
		case c == '\\':
			return d.strSlow(start - 1)
		case c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(d.b[d.i:])
			if r == utf8.RuneError && size == 1 {
				return d.strSlow(start - 1)
			}
			d.i += size
		default:
			d.i++
		}
	}
	return "", false
}

// strSlow reads the string starting at the quote at start, which has
// escapes or invalid UTF-8.
func (d *entryDecoder) strSlow(start int) (string, bool) {
	s, end, ok := jsonwire.ReadString(d.b, start)
	d.i = end
	return s, ok
}

// strAs reads a string into a string or a field of a string type (Kind,
// Gender, ...).
func strAs[T ~string](d *entryDecoder, dst *T) bool {
	s, ok := d.str()
	*dst = T(s)
	return ok
}

func (d *entryDecoder) date(dst *Date) bool {
	s, ok := d.str()
	if !ok {
		return false
	}
	v, err := ParseDate(s)
	if err != nil {
		v = Date{bad: s}
	}
	*dst = v
	return true
}

func (d *entryDecoder) strings(dst *[]string) bool {
	return decodeArray(d, dst, func(v *string) bool { return strAs(d, v) })
}

// decodeArray reads a JSON array of T into dst, each element with elem.
// null leaves dst as it is; an array, even empty, makes it non-nil, as
// encoding/json does.
func decodeArray[T any](d *entryDecoder, dst *[]T, elem func(*T) bool) bool {
	ok, isNull := d.open('[')
	if !ok || isNull {
		return ok
	}
	*dst = []T{}
	for first := true; ; first = false {
		more, ok := d.more(']', first)
		if !ok || !more {
			return ok
		}
		// Decode in place: a pointer to a local would make it escape.
		var zero T
		*dst = append(*dst, zero)
		if !elem(&(*dst)[len(*dst)-1]) {
			return false
		}
	}
}

// object reads a JSON object, each member with field, which reads the value
// of key and reports false for an unknown key or a bad value.
func (d *entryDecoder) object(field func(key []byte) bool) bool {
	if !d.lit('{') {
		return false
	}
	for first := true; ; first = false {
		more, ok := d.more('}', first)
		if !ok || !more {
			return ok
		}
		key, ok := d.key()
		if !ok || !field(key) {
			return false
		}
	}
}

// entry field bits, to refuse a repeated key (encoding/json lets a
// repeated key replace the first; that, and every other oddity, is left to
// it).
const (
	fID = 1 << iota
	fList
	fKind
	fNames
	fBirth
	fNat
	fGender
	fDocs
	fCountries
	fIdents
	fAction
	fReason
	fSource
	fFrom
	fUntil
	fVersion
)

func (d *entryDecoder) entry(e *Entry) bool {
	seen := 0
	return d.object(func(key []byte) bool {
		var bit int
		var ok bool
		switch string(key) {
		case "id":
			bit, ok = fID, strAs(d, &e.ID)
		case "list":
			bit, ok = fList, strAs(d, &e.List)
		case "kind":
			bit, ok = fKind, strAs(d, &e.Kind)
		case "names":
			bit, ok = fNames, d.names(&e.Names)
		case "birth_dates":
			bit, ok = fBirth, d.dates(&e.BirthDates)
		case "nationalities":
			bit, ok = fNat, d.strings(&e.Nationalities)
		case "gender":
			bit, ok = fGender, strAs(d, &e.Gender)
		case "documents":
			bit, ok = fDocs, d.documents(&e.Documents)
		case "countries":
			bit, ok = fCountries, d.strings(&e.Countries)
		case "identifiers":
			bit, ok = fIdents, d.identifiers(&e.Identifiers)
		case "action":
			bit, ok = fAction, strAs(d, &e.Action)
		case "reason":
			bit, ok = fReason, strAs(d, &e.Reason)
		case "source":
			bit, ok = fSource, strAs(d, &e.Source)
		case "listed_from":
			bit, ok = fFrom, d.date(&e.ListedFrom)
		case "listed_until":
			bit, ok = fUntil, d.date(&e.ListedUntil)
		case "version":
			bit, ok = fVersion, d.uint(&e.Version)
		default:
			return false
		}
		if !ok || seen&bit != 0 {
			return false
		}
		seen |= bit
		return true
	})
}

func (d *entryDecoder) uint(dst *uint64) bool {
	start := d.i
	for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
		d.i++
	}
	n := d.i - start
	if n == 0 || (n > 1 && d.b[start] == '0') {
		return false
	}
	v, err := strconv.ParseUint(string(d.b[start:d.i]), 10, 64)
	*dst = v
	return err == nil
}

func (d *entryDecoder) names(dst *[]Name) bool {
	return decodeArray(d, dst, func(n *Name) bool {
		if d.peek() == '"' {
			return strAs(d, &n.Full)
		}
		return d.nameObject(n)
	})
}

func (d *entryDecoder) nameObject(n *Name) bool {
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "full":
			return strAs(d, &n.Full)
		case "given":
			return strAs(d, &n.Given)
		case "family":
			return strAs(d, &n.Family)
		case "strength":
			return strAs(d, &n.Strength)
		}
		return false
	})
}

func (d *entryDecoder) dates(dst *[]Date) bool {
	return decodeArray(d, dst, d.date)
}

func (d *entryDecoder) documents(dst *[]Document) bool {
	return decodeArray(d, dst, func(doc *Document) bool {
		return d.object(func(key []byte) bool {
			switch string(key) {
			case "type":
				return strAs(d, &doc.Type)
			case "number":
				return strAs(d, &doc.Number)
			case "country":
				return strAs(d, &doc.Country)
			case "expiry":
				return d.date(&doc.Expiry)
			case "note":
				return strAs(d, &doc.Note)
			}
			return false
		})
	})
}

func (d *entryDecoder) identifiers(dst *[]Identifier) bool {
	return decodeArray(d, dst, func(id *Identifier) bool {
		return d.object(func(key []byte) bool {
			switch string(key) {
			case "type":
				return strAs(d, &id.Type)
			case "value":
				return strAs(d, &id.Value)
			case "country":
				return strAs(d, &id.Country)
			}
			return false
		})
	})
}
