package screening

import (
	"strconv"

	"github.com/bordersec/portcullis/screening/internal/jsonwire"
)

// AppendJSON appends e as encoding/json would write it with HTML escaping
// off, byte for byte, but several times faster: the store encodes every
// entry of an import with it. TestAppendJSONMatchesEncodingJSON holds the
// two equal.
func (e *Entry) AppendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, e.ID)
	if e.List != "" {
		b = append(b, `,"list":`...)
		b = appendJSONString(b, e.List)
	}
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, string(e.Kind))
	b = append(b, `,"names":`...)
	if e.Names == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range e.Names {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.Names[i].appendJSON(b)
		}
		b = append(b, ']')
	}
	if len(e.BirthDates) > 0 {
		b = append(b, `,"birth_dates":[`...)
		for i, d := range e.BirthDates {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendDate(b, d, false)
		}
		b = append(b, ']')
	}
	b = appendStrings(b, `,"nationalities":`, e.Nationalities)
	if e.Gender != "" {
		b = append(b, `,"gender":`...)
		b = appendJSONString(b, string(e.Gender))
	}
	if len(e.Documents) > 0 {
		b = append(b, `,"documents":[`...)
		for i := range e.Documents {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.Documents[i].appendJSON(b, false)
		}
		b = append(b, ']')
	}
	b = appendStrings(b, `,"countries":`, e.Countries)
	if len(e.Identifiers) > 0 {
		b = append(b, `,"identifiers":[`...)
		for i, id := range e.Identifiers {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"type":`...)
			b = appendJSONString(b, id.Type)
			b = append(b, `,"value":`...)
			b = appendJSONString(b, id.Value)
			if id.Country != "" {
				b = append(b, `,"country":`...)
				b = appendJSONString(b, id.Country)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"action":`...)
	b = appendJSONString(b, string(e.Action))
	if e.Reason != "" {
		b = append(b, `,"reason":`...)
		b = appendJSONString(b, e.Reason)
	}
	if e.Source != "" {
		b = append(b, `,"source":`...)
		b = appendJSONString(b, e.Source)
	}
	if !e.ListedFrom.IsZero() {
		b = append(b, `,"listed_from":`...)
		b = appendDate(b, e.ListedFrom, false)
	}
	if !e.ListedUntil.IsZero() {
		b = append(b, `,"listed_until":`...)
		b = appendDate(b, e.ListedUntil, false)
	}
	if e.Version != 0 {
		b = append(b, `,"version":`...)
		b = strconv.AppendUint(b, e.Version, 10)
	}
	return append(b, '}')
}

func appendStrings(b []byte, key string, ss []string) []byte {
	if len(ss) == 0 {
		return b
	}
	b = append(b, key...)
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

func (n *Name) appendJSON(b []byte) []byte {
	if n.Given == "" && n.Family == "" && !n.Weak() {
		return appendJSONString(b, n.Full)
	}
	b = append(b, '{')
	sep := false
	b, sep = appendField(b, sep, `"full":`, n.Full)
	b, sep = appendField(b, sep, `"given":`, n.Given)
	b, sep = appendField(b, sep, `"family":`, n.Family)
	if n.Strength != StrengthStrong {
		b, _ = appendField(b, sep, `"strength":`, string(n.Strength))
	}
	return append(b, '}')
}

// appendField appends an omitempty string field, with a comma before it
// when sep says one is needed; it returns whether the next needs one.
func appendField(b []byte, sep bool, key, v string) ([]byte, bool) {
	if v == "" {
		return b, sep
	}
	if sep {
		b = append(b, ',')
	}
	b = append(b, key...)
	return appendJSONString(b, v), true
}

func (d *Document) appendJSON(b []byte, html bool) []byte {
	b = append(b, '{')
	if d.Type != "" {
		b = append(b, `"type":`...)
		b = jsonwire.AppendString(b, d.Type, html)
		b = append(b, ',')
	}
	b = append(b, `"number":`...)
	b = jsonwire.AppendString(b, d.Number, html)
	if d.Country != "" {
		b = append(b, `,"country":`...)
		b = jsonwire.AppendString(b, d.Country, html)
	}
	if !d.Expiry.IsZero() {
		b = append(b, `,"expiry":`...)
		b = appendDate(b, d.Expiry, html)
	}
	if d.Note != "" {
		b = append(b, `,"note":`...)
		b = jsonwire.AppendString(b, d.Note, html)
	}
	return append(b, '}')
}

// appendJSONString appends s as a JSON string exactly as encoding/json
// writes it with HTML escaping off.
func appendJSONString(b []byte, s string) []byte {
	return jsonwire.AppendString(b, s, false)
}

// appendDate appends d as a JSON string, escaping <, > and & when html is
// set.
func appendDate(b []byte, d Date, html bool) []byte {
	if d.bad != "" {
		return jsonwire.AppendString(b, d.bad, html)
	}
	b = append(b, '"')
	return append(d.appendText(b), '"')
}
